/* Degree-preserving rewiring by double-edge swaps (Maslov and Sneppen 2002): the null model of
 * `simulate --null rewire`.
 *
 * The graph is deep-copied, then each selected layer is rewired in place on the copy. Per layer:
 * one pass puts every (tail, head) pair of the layer into an open-addressing hash set with its
 * multiplicity (undirected layers key the unordered pair); edges that are self-loops or whose pair
 * occurs more than once are frozen, the rest form the movable list. An attempt draws two list
 * positions (and a coin on undirected layers) from one Philox call keyed by (seed, stream, layer,
 * attempt), checks the two new pairs against the set, and on success erases the two old pairs
 * and inserts the new ones. The swaps run on a packed copy of the movable edges, written back
 * into the graph's src/dst at the end. The set keeps every pair of the layer, frozen ones
 * included, so no swap ever creates a duplicate of anything. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "chokepoint/generate.h"
#include "graph_impl.h"
#include "philox.h"

/* Attempts per layer are Philox element indices, which must stay below 2^48. */
#define MAX_ATTEMPTS (INT64_C(1) << 48)

/* ---------------------------------------------------------------------------------------------
 * Pair set: linear probing, load <= 1/2, backward-shift deletion (no tombstones, so a long chain
 * of erase/insert never degrades it). Keys are (u << 32 | v) with u, v < 2^31, so EMPTY (all ones)
 * is never a key. */

#define EMPTY UINT64_MAX

typedef struct pair_set {
    uint64_t *keys;
    uint32_t *count;
    uint64_t mask; /* capacity - 1, capacity a power of two */
} pair_set;

static uint64_t mix(uint64_t x) { /* the SplitMix64 finaliser */
    x ^= x >> 30;
    x *= UINT64_C(0xbf58476d1ce4e5b9);
    x ^= x >> 27;
    x *= UINT64_C(0x94d049bb133111eb);
    x ^= x >> 31;
    return x;
}

static uint64_t pair_key(int32_t u, int32_t v, bool directed) {
    if (!directed && u > v) {
        int32_t t = u;
        u = v;
        v = t;
    }
    return ((uint64_t)(uint32_t)u << 32) | (uint32_t)v;
}

/* Slot holding key, or the empty slot where it would go. */
static uint64_t set_slot(const pair_set *s, uint64_t key) {
    uint64_t i = mix(key) & s->mask;
    while (s->keys[i] != EMPTY && s->keys[i] != key) {
        i = (i + 1) & s->mask;
    }
    return i;
}

static bool set_has(const pair_set *s, uint64_t key) {
    return s->keys[set_slot(s, key)] == key;
}

/* Adds one occurrence of key; returns its new multiplicity. */
static uint32_t set_add(pair_set *s, uint64_t key) {
    uint64_t i = set_slot(s, key);
    if (s->keys[i] == EMPTY) {
        s->keys[i] = key;
        s->count[i] = 0;
    }
    return ++s->count[i];
}

static uint32_t set_count(const pair_set *s, uint64_t key) {
    uint64_t i = set_slot(s, key);
    return s->keys[i] == key ? s->count[i] : 0;
}

/* Adds key, absent, without a count: used once the counts have served (after the first erase,
 * counts are no longer kept: erase moves keys only). */
static void set_insert(pair_set *s, uint64_t key) {
    s->keys[set_slot(s, key)] = key;
}

/* Removes key (present) and shifts back the entries its slot was hiding. Counts are not moved:
 * they are read only before the first erase. */
static void set_erase(pair_set *s, uint64_t key) {
    uint64_t i = set_slot(s, key);
    s->keys[i] = EMPTY;
    uint64_t j = i;
    for (;;) {
        j = (j + 1) & s->mask;
        if (s->keys[j] == EMPTY) {
            return;
        }
        uint64_t home = mix(s->keys[j]) & s->mask;
        /* Entry j may move to the hole i unless its home lies cyclically in (i, j]. */
        bool stays = (i <= j) ? (i < home && home <= j) : (i < home || home <= j);
        if (!stays) {
            s->keys[i] = s->keys[j];
            s->keys[j] = EMPTY;
            i = j;
        }
    }
}

/* ---------------------------------------------------------------------------------------------
 * Deep copy of a graph */

static char *dup_or_null(const char *s, bool *failed) {
    if (s == NULL) {
        return NULL;
    }
    char *d = cp__strdup(s);
    if (d == NULL) {
        *failed = true;
    }
    return d;
}

static cp_status copy_graph(cp_graph **out, const cp_graph *g, cp_error *err) {
    cp_status status = CP_OK;
    cp_graph *c = NULL;
    bool failed = false;
    size_t n = (size_t)g->n, m = (size_t)g->m;

    CP_TRY(cp_graph_new(&c, err));
    CP_TRY(cp__graph_alloc_nodes(c, g->n, g->ids_are_int, err));
    if (g->ids_are_int) {
        if (n > 0) {
            memcpy(c->ids_int, g->ids_int, n * sizeof *c->ids_int);
        }
    } else {
        for (size_t i = 0; i < n; i++) {
            c->ids_str[i] = dup_or_null(g->ids_str[i], &failed);
        }
    }
    if (g->names != NULL) {
        c->names = cp__calloc(n > 0 ? n : 1, sizeof *c->names);
        if (c->names == NULL) {
            failed = true;
        } else {
            for (size_t i = 0; i < n; i++) {
                c->names[i] = dup_or_null(g->names[i], &failed);
            }
        }
    }
    if (n > 0) {
        memcpy(c->kind, g->kind, n);
        memcpy(c->country, g->country, 2 * n);
        memcpy(c->designated, g->designated, n);
    }
    c->description = dup_or_null(g->description, &failed);
    if (failed) {
        status = cp_error_set(err, CP_E_NOMEM, "rewire: out of memory copying the node table");
        goto cleanup;
    }
    for (int l = 0; l < g->n_layers; l++) {
        int index;
        const cp_layer *ly = &g->layers[l];
        CP_TRY(cp__graph_add_layer(c, ly->name, ly->meaning, ly->units, ly->directed, &index, err));
    }
    for (int k = 0; k < g->n_groups; k++) {
        CP_TRY(cp__graph_add_group(c, g->groups[k].name, g->groups[k].members, g->groups[k].size,
                                   err));
    }
    CP_TRY(cp__graph_alloc_edges(c, g->m, g->time != NULL, err));
    if (m > 0) {
        memcpy(c->src, g->src, m * sizeof *c->src);
        memcpy(c->dst, g->dst, m * sizeof *c->dst);
        memcpy(c->layer, g->layer, m * sizeof *c->layer);
        memcpy(c->weight, g->weight, m * sizeof *c->weight);
        if (g->time != NULL) {
            memcpy(c->time, g->time, m * sizeof *c->time);
        }
    }
    *out = c;
    c = NULL;

cleanup:
    cp_graph_free(&c);
    return status;
}

/* ---------------------------------------------------------------------------------------------
 * The swap chain on one layer */

/* Rewires layer l of c in place. edges: the layer's edge indices (m_l of them), overwritten here
 * with the movable ones; pair: room for m_l entries (the swaps run on this packed copy of the
 * movable edges, written back at the end); set: capacity >= 2 m_l, emptied here. */
static void rewire_layer(cp_graph *c, int l, int64_t *edges, int64_t m_l, uint64_t *pair,
                         pair_set *set, int64_t attempts, uint64_t seed, uint32_t stream,
                         int64_t *accepted, int64_t *frozen) {
    const bool directed = c->layers[l].directed;
    int32_t *src = c->src, *dst = c->dst;
    uint64_t cap = 1;
    while (cap < 2 * (uint64_t)m_l) {
        cap <<= 1;
    }
    set->mask = cap - 1;
    for (uint64_t i = 0; i < cap; i++) {
        set->keys[i] = EMPTY;
    }
    for (int64_t k = 0; k < m_l; k++) {
        set_add(set, pair_key(src[edges[k]], dst[edges[k]], directed));
    }
    /* The movable edges, in edge order (so the result depends on the graph and the draws only). */
    int64_t k_mov = 0;
    for (int64_t k = 0; k < m_l; k++) {
        int64_t e = edges[k];
        if (src[e] != dst[e] && set_count(set, pair_key(src[e], dst[e], directed)) == 1) {
            pair[k_mov] = ((uint64_t)(uint32_t)src[e] << 32) | (uint32_t)dst[e];
            edges[k_mov++] = e;
        }
    }
    *frozen = m_l - k_mov;
    /* The frozen ones are dropped from the list: they never move. With fewer than two movable
     * edges every attempt is rejected, so none is drawn. */
    int64_t acc = 0;
    for (int64_t t = 0; k_mov >= 2 && t < attempts; t++) {
        cp_philox_ctr w = cp_rng_words(seed, stream, (uint32_t)l, CP_RNG_REWIRE, (uint64_t)t, 0);
        /* Two positions from 53-bit uniforms (floor(u k): relative bias below k / 2^53), and a
         * coin from the low bit of the fourth word, which the second uniform does not use. */
        double u1 = (double)((((uint64_t)w.v[0] << 21) ^ ((uint64_t)w.v[1] >> 11)) &
                             ((UINT64_C(1) << 53) - 1)) *
                    (1.0 / 9007199254740992.0);
        double u2 = (double)((((uint64_t)w.v[2] << 21) ^ ((uint64_t)w.v[3] >> 11)) &
                             ((UINT64_C(1) << 53) - 1)) *
                    (1.0 / 9007199254740992.0);
        bool flip = !directed && (w.v[3] & 1u);
        int64_t i = (int64_t)(u1 * (double)k_mov), j = (int64_t)(u2 * (double)k_mov);
        if (i >= k_mov) {
            i = k_mov - 1;
        }
        if (j >= k_mov) {
            j = k_mov - 1;
        }
        if (i == j) {
            continue;
        }
        uint64_t p1 = pair[i], p2 = pair[j];
        int32_t a = (int32_t)(p1 >> 32), b = (int32_t)(uint32_t)p1;
        int32_t c2 = (int32_t)(p2 >> 32), d2 = (int32_t)(uint32_t)p2;
        int32_t x = flip ? d2 : c2, y = flip ? c2 : d2;
        /* a -> b, x -> y  becomes  a -> y, x -> b. */
        if (a == y || x == b) {
            continue;
        }
        uint64_t k1 = pair_key(a, y, directed), k2 = pair_key(x, b, directed);
        if (k1 == k2 || set_has(set, k1) || set_has(set, k2)) {
            continue;
        }
        set_erase(set, pair_key(a, b, directed));
        set_erase(set, pair_key(c2, d2, directed));
        set_insert(set, k1);
        set_insert(set, k2);
        pair[i] = ((uint64_t)(uint32_t)a << 32) | (uint32_t)y;
        pair[j] = ((uint64_t)(uint32_t)x << 32) | (uint32_t)b;
        acc++;
    }
    for (int64_t k = 0; k < k_mov; k++) {
        src[edges[k]] = (int32_t)(pair[k] >> 32);
        dst[edges[k]] = (int32_t)(uint32_t)pair[k];
    }
    *accepted = acc;
}

/* ---------------------------------------------------------------------------------------------
 * Public entry */

cp_status cp_graph_rewire(cp_graph **out, const cp_graph *g, uint64_t layer_mask,
                          double swaps_per_edge, uint64_t seed, uint32_t stream,
                          cp_rewire_stats *stats, cp_error *err) {
    cp_status status = CP_OK;
    cp_graph *c = NULL;
    int64_t *offsets = NULL, *edges = NULL;
    uint64_t *pair = NULL; /* the movable edges of the layer being rewired, (src << 32 | dst) */
    pair_set set = {NULL, NULL, 0};

    if (out == NULL || g == NULL) {
        return cp_error_set(err, CP_E_INVALID, "rewire: NULL %s", out == NULL ? "output" : "graph");
    }
    *out = NULL;
    if (stats != NULL) {
        memset(stats, 0, sizeof *stats);
    }
    if (!isfinite(swaps_per_edge) || swaps_per_edge < 0) {
        return cp_error_set(err, CP_E_INVALID,
                            "rewire: swaps per edge must be finite and >= 0 (got %g)",
                            swaps_per_edge);
    }
    if (g->n_layers < 64 && (layer_mask >> g->n_layers) != 0) {
        int bit = g->n_layers;
        while (((layer_mask >> bit) & 1u) == 0) {
            bit++;
        }
        return cp_error_set(err, CP_E_INVALID,
                            "rewire: layer mask bit %d names no layer (the graph has %d)", bit,
                            g->n_layers);
    }
    uint64_t selected = layer_mask != 0 ? layer_mask : UINT64_MAX;

    /* Edges of each layer, grouped by layer in edge order (a counting sort). */
    offsets = cp__calloc(CP_MAX_LAYERS + 1, sizeof *offsets);
    edges = cp__malloc_array(g->m > 0 ? (size_t)g->m : 1, sizeof *edges);
    if (offsets == NULL || edges == NULL) {
        status = cp_error_set(err, CP_E_NOMEM, "rewire: out of memory for %" PRId64 " edges", g->m);
        goto cleanup;
    }
    for (int64_t e = 0; e < g->m; e++) {
        offsets[g->layer[e] + 1]++;
    }
    int64_t largest = 0;
    int64_t attempts[CP_MAX_LAYERS] = {0};
    for (int l = 0; l < CP_MAX_LAYERS; l++) {
        int64_t m_l = offsets[l + 1];
        offsets[l + 1] += offsets[l];
        if (l < g->n_layers && ((selected >> l) & 1u)) {
            double t = round(swaps_per_edge * (double)m_l);
            if (t >= (double)MAX_ATTEMPTS) {
                status = cp_error_set(err, CP_E_INVALID,
                                      "rewire: %g swaps per edge on layer '%s' (%" PRId64
                                      " edges) is more than 2^48 attempts",
                                      swaps_per_edge, g->layers[l].name, m_l);
                goto cleanup;
            }
            attempts[l] = (int64_t)t;
            if (m_l > largest) {
                largest = m_l;
            }
        }
    }
    {
        int64_t fill[CP_MAX_LAYERS];
        memcpy(fill, offsets, sizeof fill);
        for (int64_t e = 0; e < g->m; e++) {
            edges[fill[g->layer[e]]++] = e;
        }
    }

    CP_TRY(copy_graph(&c, g, err));

    uint64_t cap = 1;
    while (cap < 2 * (uint64_t)largest) {
        cap <<= 1;
    }
    set.keys = cp__malloc_array((size_t)cap, sizeof *set.keys);
    set.count = cp__malloc_array((size_t)cap, sizeof *set.count);
    pair = cp__malloc_array(largest > 0 ? (size_t)largest : 1, sizeof *pair);
    if (set.keys == NULL || set.count == NULL || pair == NULL) {
        status =
            cp_error_set(err, CP_E_NOMEM,
                         "rewire: out of memory for the edge set of %" PRId64 " edges", largest);
        goto cleanup;
    }

    for (int l = 0; l < g->n_layers; l++) {
        if (((selected >> l) & 1u) == 0) {
            continue;
        }
        int64_t m_l = offsets[l + 1] - offsets[l], acc = 0, frz = 0;
        rewire_layer(c, l, edges + offsets[l], m_l, pair, &set, attempts[l], seed, stream, &acc,
                     &frz);
        if (stats != NULL) {
            stats->attempts[l] = attempts[l];
            stats->accepted[l] = acc;
            stats->frozen[l] = frz;
            stats->total_attempts += attempts[l];
            stats->total_accepted += acc;
        }
    }

    {
        char note[160];
        snprintf(note, sizeof note,
                 "degree-preserving rewiring: swaps_per_edge=%g seed=%" PRIu64 " stream=%" PRIu32,
                 swaps_per_edge, seed, stream);
        size_t old = c->description != NULL ? strlen(c->description) : 0;
        char *d = cp__malloc(old + strlen(note) + 3);
        if (d == NULL) {
            status = cp_error_set(err, CP_E_NOMEM, "rewire: out of memory for the description");
            goto cleanup;
        }
        if (old > 0) {
            snprintf(d, old + strlen(note) + 3, "%s; %s", c->description, note);
        } else {
            snprintf(d, strlen(note) + 1, "%s", note);
        }
        cp__free(c->description);
        c->description = d;
    }
    *out = c;
    c = NULL;

cleanup:
    cp_graph_free(&c);
    cp__free(offsets);
    cp__free(edges);
    cp__free(set.keys);
    cp__free(set.count);
    cp__free(pair);
    return status;
}
