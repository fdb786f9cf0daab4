#include "idmap.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

static uint64_t hash_str(const char *s) {
    /* FNV-1a, 64-bit, then a final mix so that low bits are usable as a slot index. */
    uint64_t h = 1469598103934665603ULL;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        h ^= *p;
        h *= 1099511628211ULL;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h;
}

void cp__idmap_init(cp__idmap *m) {
    memset(m, 0, sizeof *m);
}

void cp__idmap_destroy(cp__idmap *m) {
    if (m == NULL) {
        return;
    }
    for (int64_t i = 0; i < m->size; i++) {
        cp__free(m->keys[i]);
    }
    cp__free(m->keys);
    cp__free(m->hash);
    cp__free(m->slot);
    memset(m, 0, sizeof *m);
}

static cp_status rehash(cp__idmap *m, int64_t cap) {
    int32_t *slot = cp__malloc_array((size_t)cap, sizeof *slot);
    if (slot == NULL) {
        return CP_E_NOMEM;
    }
    for (int64_t i = 0; i < cap; i++) {
        slot[i] = -1;
    }
    for (int64_t k = 0; k < m->size; k++) {
        int64_t s = (int64_t)(m->hash[k] & (uint64_t)(cap - 1));
        while (slot[s] >= 0) {
            s = (s + 1) & (cap - 1);
        }
        slot[s] = (int32_t)k;
    }
    cp__free(m->slot);
    m->slot = slot;
    m->cap = cap;
    return CP_OK;
}

int32_t cp__idmap_find(const cp__idmap *m, const char *key) {
    if (m->cap == 0) {
        return -1;
    }
    uint64_t h = hash_str(key);
    int64_t s = (int64_t)(h & (uint64_t)(m->cap - 1));
    while (m->slot[s] >= 0) {
        int32_t k = m->slot[s];
        if (m->hash[k] == h && strcmp(m->keys[k], key) == 0) {
            return k;
        }
        s = (s + 1) & (m->cap - 1);
    }
    return -1;
}

cp_status cp__idmap_intern(cp__idmap *m, const char *key, int32_t *index, bool *inserted) {
    int32_t found = cp__idmap_find(m, key);
    if (found >= 0) {
        *index = found;
        if (inserted != NULL) {
            *inserted = false;
        }
        return CP_OK;
    }
    if (m->size >= INT32_MAX) {
        return CP_E_FORMAT;
    }
    if ((m->size + 1) * 2 > m->cap) {
        cp_status st = rehash(m, m->cap == 0 ? 64 : m->cap * 2);
        if (st != CP_OK) {
            return st;
        }
    }
    if (m->size == m->keys_cap) {
        int64_t nc = m->keys_cap == 0 ? 64 : m->keys_cap * 2;
        char **keys = cp__realloc(m->keys, (size_t)nc * sizeof *keys);
        if (keys == NULL) {
            return CP_E_NOMEM;
        }
        m->keys = keys;
        uint64_t *hash = cp__realloc(m->hash, (size_t)nc * sizeof *hash);
        if (hash == NULL) {
            return CP_E_NOMEM;
        }
        m->hash = hash;
        m->keys_cap = nc;
    }
    char *copy = cp__strdup(key);
    if (copy == NULL) {
        return CP_E_NOMEM;
    }
    uint64_t h = hash_str(key);
    int32_t k = (int32_t)m->size;
    m->keys[k] = copy;
    m->hash[k] = h;
    m->size++;
    int64_t s = (int64_t)(h & (uint64_t)(m->cap - 1));
    while (m->slot[s] >= 0) {
        s = (s + 1) & (m->cap - 1);
    }
    m->slot[s] = k;
    *index = k;
    if (inserted != NULL) {
        *inserted = true;
    }
    return CP_OK;
}

bool cp__parse_int64_label(const char *s, int64_t *out) {
    const char *p = s;
    if (*p == '-') {
        p++;
    }
    if (*p == '\0') {
        return false;
    }
    if (p[0] == '0' && p[1] != '\0') {
        return false;
    }
    if (s[0] == '-' && p[0] == '0') {
        return false; /* "-0" would not round-trip */
    }
    for (const char *q = p; *q; q++) {
        if (*q < '0' || *q > '9') {
            return false;
        }
    }
    errno = 0;
    char *end = NULL;
    long long v = strtoll(s, &end, 10);
    if (errno != 0 || end == NULL || *end != '\0') {
        return false;
    }
    *out = (int64_t)v;
    return true;
}
