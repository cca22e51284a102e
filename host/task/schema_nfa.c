/*
 * host/task/schema_nfa.c - the program a schema regex compiles to, and the matcher that runs it
 * (see schema_internal.h).
 *
 * The program is a Thompson NFA over code points: instructions that consume one code point
 * (a literal or a set), jumps and two-way splits with offsets relative to themselves (so a block
 * can be copied or moved without fixing it up), and zero-width assertions. The matcher follows
 * every thread at once, one code point of the subject at a time, and never visits an
 * instruction twice for one position: the time is at most the subject's length times the
 * program's size, whatever the pattern (no backtracking, no exponential blow-up), and the
 * memory is a few words per instruction. Counted repetitions are expanded into copies, which
 * is why the program's size is bounded (RT_SCHEMA_NFA_MAX).
 */
#include <stdlib.h>
#include <string.h>

#include "schema_internal.h"

typedef struct nfa_inst {
    uint8_t op;
    int32_t a, b; /* CHAR: code point; SET: set index; JMP: a; SPLIT: a, b (relative) */
} nfa_inst;

typedef struct nfa_set {
    rt_schema_cprange *r;
    size_t n;
} nfa_set;

struct rt_schema_nfa {
    nfa_inst *code;
    size_t n, cap;
    nfa_set *sets;
    size_t nsets, setcap;
    int status; /* RT_SCHEMA_NFA_OK, _NOMEM or _TOOBIG: the first failure stays */
};

rt_schema_nfa *rt_schema_nfa_new(void)
{
    return calloc(1, sizeof(rt_schema_nfa));
}

void rt_schema_nfa_free(rt_schema_nfa *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->nsets; i++)
        free(p->sets[i].r);
    free(p->sets);
    free(p->code);
    free(p);
}

int rt_schema_nfa_status(const rt_schema_nfa *p)
{
    return p->status;
}

size_t rt_schema_nfa_len(const rt_schema_nfa *p)
{
    return p->n;
}

/* Room for `more` instructions; 0 (with the status set) when there is none. */
static int reserve(rt_schema_nfa *p, size_t more)
{
    if (p->status != RT_SCHEMA_NFA_OK)
        return 0;
    if (more > RT_SCHEMA_NFA_MAX || p->n > RT_SCHEMA_NFA_MAX - more) {
        p->status = RT_SCHEMA_NFA_TOOBIG;
        return 0;
    }
    if (p->n + more <= p->cap)
        return 1;
    size_t cap = p->cap ? p->cap : 16;
    while (cap < p->n + more)
        cap *= 2;
    nfa_inst *code = realloc(p->code, cap * sizeof *code);
    if (!code) {
        p->status = RT_SCHEMA_NFA_NOMEM;
        return 0;
    }
    p->code = code;
    p->cap = cap;
    return 1;
}

void rt_schema_nfa_emit(rt_schema_nfa *p, int op, int32_t a, int32_t b)
{
    if (!reserve(p, 1))
        return;
    p->code[p->n++] = (nfa_inst){(uint8_t)op, a, b};
}

void rt_schema_nfa_insert(rt_schema_nfa *p, size_t at, int op, int32_t a, int32_t b)
{
    if (!reserve(p, 1))
        return;
    memmove(p->code + at + 1, p->code + at, (p->n - at) * sizeof *p->code);
    p->code[at] = (nfa_inst){(uint8_t)op, a, b};
    p->n++;
}

void rt_schema_nfa_patch(rt_schema_nfa *p, size_t at, int32_t a)
{
    if (p->status == RT_SCHEMA_NFA_OK && at < p->n)
        p->code[at].a = a;
}

int32_t rt_schema_nfa_link(const rt_schema_nfa *p, size_t at)
{
    return at < p->n ? p->code[at].b : 0;
}

void rt_schema_nfa_set(rt_schema_nfa *p, rt_schema_cpset *s)
{
    rt_schema_cpset_normalize(s);
    if (s->nomem && p->status == RT_SCHEMA_NFA_OK)
        p->status = RT_SCHEMA_NFA_NOMEM;
    if (p->status != RT_SCHEMA_NFA_OK)
        return;
    if (p->nsets == p->setcap) {
        size_t cap = p->setcap ? p->setcap * 2 : 4;
        nfa_set *sets = realloc(p->sets, cap * sizeof *sets);
        if (!sets) {
            p->status = RT_SCHEMA_NFA_NOMEM;
            return;
        }
        p->sets = sets;
        p->setcap = cap;
    }
    rt_schema_cprange *r = malloc((s->n ? s->n : 1) * sizeof *r);
    if (!r) {
        p->status = RT_SCHEMA_NFA_NOMEM;
        return;
    }
    if (s->n)
        memcpy(r, s->r, s->n * sizeof *r);
    p->sets[p->nsets] = (nfa_set){r, s->n};
    rt_schema_nfa_emit(p, RT_SCHEMA_NFA_SET, (int32_t)p->nsets, 0);
    p->nsets++;
}

/* Append the block `b` (len instructions) to the program. */
static void append_block(rt_schema_nfa *p, const nfa_inst *b, size_t len)
{
    if (len == 0 || !reserve(p, len))
        return;
    memcpy(p->code + p->n, b, len * sizeof *b);
    p->n += len;
}

void rt_schema_nfa_repeat(rt_schema_nfa *p, size_t start, unsigned long min, long max)
{
    if (p->status != RT_SCHEMA_NFA_OK || start > p->n)
        return;
    size_t len = p->n - start;
    unsigned long optional = max < 0 ? 0 : (unsigned long)max - min;
    /* the size first, so that no copy is made of a program that would be refused */
    unsigned long copies = min + optional + (max < 0 ? 1 : 0);
    if (copies > RT_SCHEMA_NFA_MAX || (len && copies > RT_SCHEMA_NFA_MAX / (len + 2)) ||
        start + copies * (len + 2) > RT_SCHEMA_NFA_MAX) {
        p->status = RT_SCHEMA_NFA_TOOBIG;
        return;
    }
    nfa_inst *block = malloc((len ? len : 1) * sizeof *block);
    if (!block) {
        p->status = RT_SCHEMA_NFA_NOMEM;
        return;
    }
    if (len) /* an empty group has no code yet: p->code may be NULL */
        memcpy(block, p->code + start, len * sizeof *block);
    p->n = start;
    for (unsigned long i = 0; i < min; i++)
        append_block(p, block, len);
    if (max < 0 && min > 0) {
        /* x{n,}: after the n-th copy, back to its start or on */
        rt_schema_nfa_emit(p, RT_SCHEMA_NFA_SPLIT, -(int32_t)len, 1);
    } else if (max < 0) {
        /* x*: L0 SPLIT(+1, past) x JMP(L0) */
        rt_schema_nfa_emit(p, RT_SCHEMA_NFA_SPLIT, 1, (int32_t)len + 2);
        append_block(p, block, len);
        rt_schema_nfa_emit(p, RT_SCHEMA_NFA_JMP, -(int32_t)len - 1, 0);
    } else {
        /* the optional copies: each SPLIT goes on into its copy or to the end of them all */
        size_t end = p->n + optional * (len + 1);
        for (unsigned long i = 0; i < optional; i++) {
            rt_schema_nfa_emit(p, RT_SCHEMA_NFA_SPLIT, 1, (int32_t)(end - p->n));
            append_block(p, block, len);
        }
    }
    free(block);
}

/* --- matching ------------------------------------------------------------------------------ */

typedef struct nfa_run {
    const rt_schema_nfa *p;
    size_t *mark;    /* per instruction: the id of the list it was last added to */
    uint32_t *stack; /* pending instructions of one closure */
    uint32_t *list[2];
    size_t count[2];
} nfa_run;

/* What the zero-width assertions look at: the code points on each side of a position. */
typedef struct nfa_pos {
    size_t id; /* the position + 1: a list's id */
    int at_start, at_end;
    int word_before, word_after;
} nfa_pos;

static int is_word(uint32_t cp)
{
    return (cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') ||
           cp == '_';
}

static int set_has(const nfa_set *s, uint32_t cp)
{
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cp < s->r[mid].lo)
            hi = mid;
        else if (cp > s->r[mid].hi)
            lo = mid + 1;
        else
            return 1;
    }
    return 0;
}

/* Add instruction pc and everything reachable from it without consuming to list `which`.
 * Returns 1 when MATCH is reachable. */
static int add_closure(nfa_run *r, int which, uint32_t pc, const nfa_pos *at)
{
    size_t top = 0;
    r->stack[top++] = pc;
    while (top > 0) {
        pc = r->stack[--top];
        if (r->mark[pc] == at->id)
            continue;
        r->mark[pc] = at->id;
        const nfa_inst *in = &r->p->code[pc];
        switch (in->op) {
        case RT_SCHEMA_NFA_CHAR:
        case RT_SCHEMA_NFA_SET:
            r->list[which][r->count[which]++] = pc;
            break;
        case RT_SCHEMA_NFA_MATCH:
            return 1;
        case RT_SCHEMA_NFA_JMP:
            r->stack[top++] = (uint32_t)((int64_t)pc + in->a);
            break;
        case RT_SCHEMA_NFA_SPLIT:
            r->stack[top++] = (uint32_t)((int64_t)pc + in->b);
            r->stack[top++] = (uint32_t)((int64_t)pc + in->a);
            break;
        default: {
            int pass = in->op == RT_SCHEMA_NFA_BOL     ? at->at_start
                       : in->op == RT_SCHEMA_NFA_EOL   ? at->at_end
                       : in->op == RT_SCHEMA_NFA_WORDB ? at->word_before != at->word_after
                                                       : at->word_before == at->word_after;
            if (pass)
                r->stack[top++] = pc + 1;
            break;
        }
        }
    }
    return 0;
}

/* The code point at s[i] (an invalid sequence is one unit that no set holds). */
static uint32_t next_cp(const char *s, size_t len, size_t i, size_t *used)
{
    uint32_t cp;
    if (!rt_utf8_next(s + i, len - i, used, &cp))
        cp = RT_SCHEMA_NFA_INVALID;
    return cp;
}

static int run(nfa_run *r, const char *s, size_t len)
{
    const rt_schema_nfa *p = r->p;
    int anchored = p->n > 0 && p->code[0].op == RT_SCHEMA_NFA_BOL;
    uint32_t before = RT_SCHEMA_NFA_INVALID;
    int cur = 0;
    r->count[0] = 0;
    for (size_t i = 0;;) {
        size_t used = 1;
        uint32_t cp = i < len ? next_cp(s, len, i, &used) : RT_SCHEMA_NFA_INVALID;
        nfa_pos at = {i + 1, i == 0, i == len, is_word(before), i < len && is_word(cp)};
        if ((i == 0 || !anchored) && add_closure(r, cur, 0, &at))
            return 1;
        if (i == len || r->count[cur] == 0) {
            if (i == len || anchored)
                return 0;
        }
        size_t j = i + used;
        uint32_t after = RT_SCHEMA_NFA_INVALID;
        if (j < len) {
            size_t u2 = 1;
            after = next_cp(s, len, j, &u2);
        }
        nfa_pos there = {j + 1, 0, j == len, is_word(cp), j < len && is_word(after)};
        int nxt = !cur;
        r->count[nxt] = 0;
        for (size_t k = 0; k < r->count[cur]; k++) {
            uint32_t pc = r->list[cur][k];
            const nfa_inst *in = &p->code[pc];
            int ok = in->op == RT_SCHEMA_NFA_CHAR ? (uint32_t)in->a == cp
                                                  : set_has(&p->sets[in->a], cp);
            if (ok && add_closure(r, nxt, pc + 1, &there))
                return 1;
        }
        cur = nxt;
        before = cp;
        i = j;
    }
}

int rt_schema_nfa_search(const rt_schema_nfa *p, const char *s, size_t len)
{
    if (p->n == 0 || p->n > RT_SCHEMA_NFA_MAX)
        return 0;
    /* one allocation: marks, the closure stack (each instruction pushes at most two), and two
     * lists; a small program runs on the stack */
    size_t words = p->n * sizeof(size_t) + (2 * p->n + 1 + 2 * p->n) * sizeof(uint32_t);
    size_t local[512];
    void *mem = words <= sizeof local ? (void *)local : malloc(words);
    if (!mem)
        return 0;
    nfa_run r = {p, mem, NULL, {NULL, NULL}, {0, 0}};
    memset(r.mark, 0, p->n * sizeof(size_t));
    r.stack = (uint32_t *)(r.mark + p->n);
    r.list[0] = r.stack + 2 * p->n + 1;
    r.list[1] = r.list[0] + p->n;
    int found = run(&r, s, len);
    if (mem != local)
        free(mem);
    return found;
}
