/* A hash map from external ids (strings or int64) to dense node indices, used by every importer
 * and by node-set parsing. Open addressing with linear probing; keys are copied. */
#ifndef CP_HOST_IDMAP_H
#define CP_HOST_IDMAP_H

#include <stdbool.h>
#include <stdint.h>

#include "chokepoint/status.h"

typedef struct cp__idmap {
    int64_t cap;    /* slots, a power of two */
    int64_t size;   /* keys stored */
    int32_t *slot;  /* cap entries: index into keys, or -1 */
    char **keys;    /* size entries, in insertion order (index = node index) */
    uint64_t *hash; /* size entries */
    int64_t keys_cap;
} cp__idmap;

/* Initialises an empty map. */
void cp__idmap_init(cp__idmap *m);
/* Frees everything the map holds (not the struct itself). */
void cp__idmap_destroy(cp__idmap *m);
/* Returns the index of key, inserting it with the next free index (= size before the call) when
 * absent; *inserted says which. CP_E_NOMEM on allocation failure, CP_E_FORMAT past 2^31-1 keys. */
cp_status cp__idmap_intern(cp__idmap *m, const char *key, int32_t *index, bool *inserted);
/* Index of key, or -1. */
int32_t cp__idmap_find(const cp__idmap *m, const char *key);

/* True when s is a decimal integer that fits int64 exactly with no sign other than a leading '-',
 * no spaces and no leading zeros except "0" itself (so the text round-trips). */
bool cp__parse_int64_label(const char *s, int64_t *out);

#endif
