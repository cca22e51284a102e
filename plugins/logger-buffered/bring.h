/*
 * bring.h - the bounded ring of logger-buffered: event copies in reusable slots.
 *
 * A ring holds at most `cap` events, oldest first. Each slot keeps its own storage (one
 * block for the strings, one array for the fields) and reuses it for the next event, so a
 * steady stream allocates nothing. Not thread-safe: the plugin guards the ring it fills with
 * its mutex and swaps it whole with the writer's (see buffered.c).
 */
#ifndef BRING_H
#define BRING_H

#include <stddef.h>
#include <stdint.h>

#include <ratchet/logger_util.h>

typedef struct bring_slot {
    ratchet_log_event ev; /* points into text/fields below */
    ratchet_log_field *fields;
    size_t fields_cap;
    char *text;
    size_t text_cap;
} bring_slot;

typedef struct bring {
    bring_slot *slots;
    size_t cap;   /* events it holds at most */
    size_t head;  /* index of the oldest event */
    size_t count; /* events held */
} bring;

/* The plugin's host table (set by its entry function in buffered.c); the ring allocates with
 * it. */
extern const ratchet_host_api *buffered_host;

/* Allocate `cap` empty slots. RATCHET_NOMEM on failure (r left empty). */
ratchet_status bring_init(bring *r, size_t cap);
/* Release every slot's storage and the slots. */
void bring_free(bring *r);

/* Append a deep copy of `ev`. When the ring is full the oldest event is dropped first and
 * *dropped is set to 1 (0 otherwise). RATCHET_NOMEM when the copy could not be stored (the
 * event is lost; the ring is unchanged apart from a drop already done). */
ratchet_status bring_push(bring *r, const ratchet_log_event *ev, int *dropped);

/* The i-th oldest event (i < count). */
const ratchet_log_event *bring_at(const bring *r, size_t i);

/* Forget every event (slots keep their storage, up to a limit per slot). */
void bring_clear(bring *r);

#endif
