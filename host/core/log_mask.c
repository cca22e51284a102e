/* host/core/log_mask.c - mask secrets in log text (see log_mask.h). One pass over the text,
 * word by word; nothing is allocated unless something is masked. */
#include "log_mask.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"

const char *const rt_mask_secret_headers[] = {"Authorization", "Proxy-Authorization", "Cookie",
                                              "Set-Cookie", NULL};

/* Key names (normalised: lowercase, '_' for '-') whose values are secret besides the headers. */
static const char *const builtin_keys[] = {
    "password",    "passwd",     "secret",        "token",  "access_token", "refresh_token",
    "id_token",    "auth_token", "api_key",       "apikey", "x_api_key",    "client_secret",
    "private_key", "secret_key", "session_token", NULL};

/* Authorization schemes kept in front of a masked credential. */
static const char *const schemes[] = {"bearer", "basic", "digest", "token", "negotiate", NULL};

/* Prefixes of well-known API keys, and how many key characters must follow. */
static const struct {
    const char *prefix;
    size_t min_rest;
} key_prefixes[] = {{"sk-", 16},   {"sk_live_", 16},    {"sk_test_", 16}, {"rk_live_", 16},
                    {"ghp_", 20},  {"gho_", 20},        {"ghu_", 20},     {"ghs_", 20},
                    {"ghr_", 20},  {"github_pat_", 20}, {"glpat-", 16},   {"xoxb-", 10},
                    {"xoxp-", 10}, {"xoxa-", 10},       {"xoxs-", 10},    {"rk_", 32}};

/* The first letters (lowercase) of the built-in keys and headers above: a word starting
 * otherwise is not compared with them. */
static const char builtin_first[] = "acipqrstx";

static char **extra_keys;
static size_t nextra_keys;
static unsigned char extra_first[256]; /* first letters of extra_keys, lowercase */

int rt_mask_is_secret_header(const char *name)
{
    for (size_t i = 0; name && rt_mask_secret_headers[i]; i++)
        if (strcasecmp(name, rt_mask_secret_headers[i]) == 0)
            return 1;
    return 0;
}

static int is_word(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
}

static char norm(char c)
{
    if (c >= 'A' && c <= 'Z')
        return (char)(c - 'A' + 'a');
    return c == '-' ? '_' : c;
}

void rt_mask_clear_keys(void)
{
    for (size_t i = 0; i < nextra_keys; i++)
        free(extra_keys[i]);
    free(extra_keys);
    extra_keys = NULL;
    nextra_keys = 0;
    memset(extra_first, 0, sizeof extra_first);
}

ratchet_status rt_mask_set_keys(const char *const *keys, size_t n)
{
    char **copy = calloc(n + 1, sizeof *copy);
    if (!copy)
        return RATCHET_NOMEM;
    for (size_t i = 0; i < n; i++) {
        if (!(copy[i] = strdup(keys[i]))) {
            for (size_t j = 0; j < i; j++)
                free(copy[j]);
            free(copy);
            return RATCHET_NOMEM;
        }
    }
    rt_mask_clear_keys();
    extra_keys = copy;
    nextra_keys = n;
    for (size_t i = 0; i < n; i++)
        extra_first[(unsigned char)norm(copy[i][0])] = 1;
    return RATCHET_OK;
}

/* `w` (len bytes) equals `key` without regard to case, '-' and '_' alike. */
static int key_eq(const char *w, size_t len, const char *key)
{
    size_t i = 0;
    for (; i < len && key[i]; i++)
        if (norm(w[i]) != norm(key[i]))
            return 0;
    return i == len && !key[i];
}

static int word_is_secret_key(const char *w, size_t len)
{
    char first = norm(w[0]);
    if (!extra_first[(unsigned char)first] && (!first || !strchr(builtin_first, first)))
        return 0;
    for (size_t i = 0; rt_mask_secret_headers[i]; i++)
        if (key_eq(w, len, rt_mask_secret_headers[i]))
            return 1;
    for (size_t i = 0; builtin_keys[i]; i++)
        if (key_eq(w, len, builtin_keys[i]))
            return 1;
    for (size_t i = 0; i < nextra_keys; i++)
        if (key_eq(w, len, extra_keys[i]))
            return 1;
    return 0;
}

int rt_mask_key_is_secret(const char *key)
{
    return key && word_is_secret_key(key, strlen(key));
}

/* Whether the word ending at j is followed by what a key is: `:`, `=`, or a closing quote
 * (then, after spaces, one of those): the cheap test that spares most words the key list. */
static int before_value(const char *s, size_t j)
{
    if (s[j] == '"' || s[j] == '\'')
        j++;
    while (s[j] == ' ' || s[j] == '\t')
        j++;
    return s[j] == ':' || s[j] == '=';
}

static size_t word_end(const char *s, size_t i)
{
    while (is_word((unsigned char)s[i]))
        i++;
    return i;
}

/* A span of text to replace by RT_MASK_REDACTED. */
typedef struct span {
    size_t from, to;
} span;

static int is_scheme(const char *w, size_t len)
{
    for (size_t i = 0; schemes[i]; i++)
        if (len == strlen(schemes[i]) && strncasecmp(w, schemes[i], len) == 0)
            return 1;
    return 0;
}

/* After a secret key ending at j: the value written `: v`, `=v`, `": "v"`. */
static int key_value(const char *s, size_t j, span *out)
{
    size_t k = j;
    if (s[k] == '"' || s[k] == '\'')
        k++;
    while (s[k] == ' ' || s[k] == '\t')
        k++;
    if (s[k] != ':' && s[k] != '=')
        return 0;
    k++;
    while (s[k] == ' ' || s[k] == '\t')
        k++;
    char q = (s[k] == '"' || s[k] == '\'') ? s[k++] : 0;
    size_t w = word_end(s, k);
    if (w > k && s[w] == ' ' && is_scheme(s + k, w - k))
        for (k = w; s[k] == ' ';)
            k++;
    size_t e = k;
    if (q) {
        while (s[e] && s[e] != q)
            e += (s[e] == '\\' && s[e + 1]) ? 2 : 1;
    } else {
        while (s[e] && !strchr(" \t\r\n,;&}])\"'", s[e]))
            e++;
    }
    if (e == k)
        return 0;
    *out = (span){k, e};
    return 1;
}

/* `Bearer <token>` outside a key: a token of 8+ characters that is not a plain word. */
static int bearer_token(const char *s, size_t i, size_t j, span *out)
{
    if (j - i != 6 || strncasecmp(s + i, "bearer", 6) != 0 || s[j] != ' ')
        return 0;
    size_t k = j;
    while (s[k] == ' ')
        k++;
    size_t e = k;
    int plain = 1;
    while (s[e] && (is_word((unsigned char)s[e]) || strchr("._~+/=", s[e]))) {
        plain &= s[e] >= 'a' && s[e] <= 'z';
        e++;
    }
    if (e - k < 8 || plain)
        return 0;
    *out = (span){k, e};
    return 1;
}

static int all_upper_alnum(const char *w, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!((w[i] >= 'A' && w[i] <= 'Z') || (w[i] >= '0' && w[i] <= '9')))
            return 0;
    return 1;
}

/* A word that looks like an API key; a JWT runs on past its dots, so `out->to` may pass j. */
static int api_key_word(const char *s, size_t i, size_t j, span *out)
{
    size_t len = j - i;
    if (len < 10 || !strchr("sgrxAe", s[i]))
        return 0; /* shorter than any key below, or none starts so */
    for (size_t p = 0; p < sizeof key_prefixes / sizeof *key_prefixes; p++) {
        size_t pl = strlen(key_prefixes[p].prefix);
        if (len >= pl + key_prefixes[p].min_rest &&
            strncmp(s + i, key_prefixes[p].prefix, pl) == 0) {
            *out = (span){i, j};
            return 1;
        }
    }
    if ((len == 20 && strncmp(s + i, "AKIA", 4) == 0 && all_upper_alnum(s + i, len)) ||
        (len == 39 && strncmp(s + i, "AIza", 4) == 0)) {
        *out = (span){i, j};
        return 1;
    }
    if (len >= 10 && strncmp(s + i, "eyJ", 3) == 0 && s[j] == '.') {
        size_t b = word_end(s, j + 1);
        if (b > j + 1 && s[b] == '.' && strncmp(s + j + 1, "eyJ", 3) == 0) {
            *out = (span){i, word_end(s, b + 1)};
            return 1;
        }
    }
    return 0;
}

/* `scheme://user:PASSWORD@host`: the password, when the text at i starts with "://". */
static int url_password(const char *s, size_t i, span *out)
{
    if (strncmp(s + i, "://", 3) != 0)
        return 0;
    size_t k = i + 3, colon = 0;
    for (; s[k] && !strchr("/?#@ \t\r\n\"'<>", s[k]); k++)
        if (s[k] == ':' && !colon)
            colon = k;
    if (s[k] != '@' || !colon || k == colon + 1)
        return 0;
    *out = (span){colon + 1, k};
    return 1;
}

/* The next secret at or after *pos: 1 with its span (and *pos moved past what was read). */
static int next_secret(const char *s, size_t *pos, span *out)
{
    size_t i = *pos;
    while (s[i]) {
        if (!is_word((unsigned char)s[i])) {
            if (s[i] == ':' && url_password(s, i, out)) {
                *pos = out->to;
                return 1;
            }
            i++;
            continue;
        }
        size_t j = word_end(s, i);
        if ((before_value(s, j) && word_is_secret_key(s + i, j - i) && key_value(s, j, out)) ||
            bearer_token(s, i, j, out) || api_key_word(s, i, j, out)) {
            *pos = out->to;
            return 1;
        }
        i = j;
    }
    *pos = i;
    return 0;
}

char *rt_mask_text(const char *text, int *failed)
{
    *failed = 0;
    if (!text)
        return NULL;
    size_t pos = 0, copied = 0;
    span sp;
    ratchet_buf out = RATCHET_BUF_INIT;
    int bad = 0;
    while (next_secret(text, &pos, &sp)) {
        bad |= rt_buf_append(&out, text + copied, sp.from - copied) != RATCHET_OK;
        bad |= rt_buf_puts(&out, RT_MASK_REDACTED) != RATCHET_OK;
        copied = sp.to;
    }
    if (copied == 0 && !out.data)
        return NULL;
    bad |= rt_buf_puts(&out, text + copied) != RATCHET_OK;
    if (bad) {
        rt_buf_free(&out);
        *failed = 1;
        return NULL;
    }
    return out.data;
}
