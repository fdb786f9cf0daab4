/* Degree-preserving rewiring (cp_graph_rewire): invariants on random and awkward graphs, and the
 * swap chain's exact edge probabilities from tests/oracle/make_rewire_fixtures.py. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "chokepoint/generate.h"
#include "cp_test.h"
#include "graph_impl.h"

/* ---------------------------------------------------------------------------------------------
 * Helpers */

/* A small deterministic generator for drawing test graphs (xorshift64*). */
static uint64_t rng_state;
static uint64_t rnd(void) {
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * UINT64_C(2685821657736338717);
}
static int32_t rnd_below(int32_t k) {
    return (int32_t)(rnd() % (uint64_t)k);
}

typedef struct layer_spec {
    const char *name;
    bool directed;
} layer_spec;

/* A graph with string ids "n<i>", names, kinds, countries, designations, a group, the given
 * layers (declared in name order so indices match), and edges (lay[e] indexes specs); times
 * e * 10 when with_time. */
static cp_graph *build(int32_t n, int nl, const layer_spec *specs, int64_t m, const int32_t *src,
                       const int32_t *dst, const uint8_t *lay, bool with_time) {
    cp_graph *g = NULL;
    cp_error err = {0};
    cr_assert_eq(cp_graph_new(&g, &err), CP_OK);
    cr_assert_eq(cp__graph_alloc_nodes(g, n, false, &err), CP_OK, "%s", err.msg);
    g->names = cp__calloc((size_t)(n > 0 ? n : 1), sizeof *g->names);
    cr_assert_not_null(g->names);
    for (int32_t i = 0; i < n; i++) {
        char buf[32];
        snprintf(buf, sizeof buf, "n%d", (int)i);
        g->ids_str[i] = cp__strdup(buf);
        if (i % 3 == 0) {
            snprintf(buf, sizeof buf, "Name %d", (int)i);
            g->names[i] = cp__strdup(buf);
        }
        g->kind[i] = (uint8_t)(i % 7);
        g->country[2 * i] = (char)('A' + i % 26);
        g->country[2 * i + 1] = (char)('A' + (i / 26) % 26);
        g->designated[i] = (uint8_t)(i % 5 == 0);
    }
    for (int l = 0; l < nl; l++) {
        int idx;
        cr_assert_eq(cp__graph_add_layer(g, specs[l].name, CP_MEANING_AMOUNT, "USD",
                                         specs[l].directed, &idx, &err),
                     CP_OK, "%s", err.msg);
        cr_assert_eq(idx, l);
    }
    cr_assert_eq(cp__graph_alloc_edges(g, m, with_time, &err), CP_OK, "%s", err.msg);
    for (int64_t e = 0; e < m; e++) {
        g->src[e] = src[e];
        g->dst[e] = dst[e];
        g->layer[e] = lay[e];
        g->weight[e] = 1.0 + (double)e * 0.5; /* distinct weights: each edge is traceable */
        if (with_time) {
            g->time[e] = e * 10;
        }
    }
    if (n > 0) {
        int32_t members[] = {0, n / 2, n - 1};
        cr_assert_eq(cp__graph_add_group(g, "gateway", members, 3, &err), CP_OK, "%s", err.msg);
    }
    g->description = cp__strdup("test graph");
    cr_assert_eq(cp__graph_finalize(g, &err), CP_OK, "%s", err.msg);
    return g;
}

static cp_graph *rewire(const cp_graph *g, uint64_t mask, double spe, uint64_t seed,
                        uint32_t stream, cp_rewire_stats *st) {
    cp_graph *r = NULL;
    cp_error err = {0};
    cp_status s = cp_graph_rewire(&r, g, mask, spe, seed, stream, st, &err);
    cr_assert_eq(s, CP_OK, "rewire: %s", err.msg);
    cr_assert_not_null(r);
    return r;
}

static bool str_eq(const char *a, const char *b) {
    return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* Node table, layers and groups identical. */
static void assert_same_nodes(const cp_graph *a, const cp_graph *b) {
    cr_assert_eq(a->n, b->n);
    cr_assert_eq(a->m, b->m);
    cr_assert_eq(a->ids_are_int, b->ids_are_int);
    size_t n = (size_t)a->n;
    for (size_t i = 0; i < n; i++) {
        if (a->ids_are_int) {
            cr_assert_eq(a->ids_int[i], b->ids_int[i]);
        } else {
            cr_assert(str_eq(a->ids_str[i], b->ids_str[i]));
        }
        cr_assert_eq(a->names == NULL, b->names == NULL);
        if (a->names != NULL) {
            cr_assert(str_eq(a->names[i], b->names[i]), "name of node %zu", i);
        }
    }
    if (n > 0) {
        cr_assert_eq(memcmp(a->kind, b->kind, n), 0);
        cr_assert_eq(memcmp(a->country, b->country, 2 * n), 0);
        cr_assert_eq(memcmp(a->designated, b->designated, n), 0);
    }
    cr_assert_eq(a->n_layers, b->n_layers);
    for (int l = 0; l < a->n_layers; l++) {
        cr_assert_str_eq(a->layers[l].name, b->layers[l].name);
        cr_assert_str_eq(a->layers[l].units, b->layers[l].units);
        cr_assert_eq(a->layers[l].meaning, b->layers[l].meaning);
        cr_assert_eq(a->layers[l].directed, b->layers[l].directed);
    }
    cr_assert_eq(a->n_groups, b->n_groups);
    for (int k = 0; k < a->n_groups; k++) {
        cr_assert_str_eq(a->groups[k].name, b->groups[k].name);
        cr_assert_eq(a->groups[k].size, b->groups[k].size);
        cr_assert_eq(memcmp(a->groups[k].members, b->groups[k].members,
                            (size_t)a->groups[k].size * sizeof(int32_t)),
                     0);
    }
    cr_assert_eq(a->time == NULL, b->time == NULL);
}

/* Per layer and node: out- and in-degree (directed layers) or degree (undirected: out holds it,
 * in stays 0). */
static void degrees(const cp_graph *g, int64_t *out, int64_t *in) {
    size_t cells = (size_t)g->n * (size_t)(g->n_layers > 0 ? g->n_layers : 1);
    memset(out, 0, cells * sizeof *out);
    memset(in, 0, cells * sizeof *in);
    for (int64_t e = 0; e < g->m; e++) {
        size_t base = (size_t)g->layer[e] * (size_t)g->n;
        if (g->layers[g->layer[e]].directed) {
            out[base + (size_t)g->src[e]]++;
            in[base + (size_t)g->dst[e]]++;
        } else {
            out[base + (size_t)g->src[e]]++;
            out[base + (size_t)g->dst[e]]++;
        }
    }
}

static void assert_same_degrees(const cp_graph *a, const cp_graph *b) {
    size_t cells = (size_t)a->n * (size_t)(a->n_layers > 0 ? a->n_layers : 1) + 1;
    int64_t *oa = calloc(cells, 8), *ia = calloc(cells, 8), *ob = calloc(cells, 8),
            *ib = calloc(cells, 8);
    degrees(a, oa, ia);
    degrees(b, ob, ib);
    for (size_t c = 0; c < cells; c++) {
        cr_assert_eq(oa[c], ob[c], "out/undirected degree differs at layer %zu node %zu",
                     c / (size_t)(a->n > 0 ? a->n : 1), c % (size_t)(a->n > 0 ? a->n : 1));
        cr_assert_eq(ia[c], ib[c], "in-degree differs at layer %zu node %zu",
                     c / (size_t)(a->n > 0 ? a->n : 1), c % (size_t)(a->n > 0 ? a->n : 1));
    }
    free(oa);
    free(ia);
    free(ob);
    free(ib);
}

static uint64_t key(const cp_graph *g, int64_t e) {
    int32_t u = g->src[e], v = g->dst[e];
    if (!g->layers[g->layer[e]].directed && u > v) {
        int32_t t = u;
        u = v;
        v = t;
    }
    return ((uint64_t)g->layer[e] << 56) | ((uint64_t)(uint32_t)u << 28) | (uint64_t)(uint32_t)v;
}

static int cmp_u64(const void *x, const void *y) {
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return (a > b) - (a < b);
}

/* Number of occurrences of k in the sorted array s of length m. */
static int64_t occurrences(const uint64_t *s, int64_t m, uint64_t k) {
    int64_t lo = 0, hi = m;
    while (lo < hi) {
        int64_t mid = (lo + hi) / 2;
        if (s[mid] < k) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    int64_t c = 0;
    while (lo + c < m && s[lo + c] == k) {
        c++;
    }
    return c;
}

/* The full invariant set for r = rewire(g, mask): same nodes and degrees; every edge keeps its
 * index, layer, weight and time; on directed layers its tail; edges that were self-loops or
 * multi-edges in g are untouched; every other edge of r on a selected layer is not a self-loop
 * and its pair occurs once; unselected layers are identical. Returns how many edges of selected
 * layers still join their original pair. */
static int64_t check_rewired(const cp_graph *g, const cp_graph *r, uint64_t mask) {
    assert_same_nodes(g, r);
    assert_same_degrees(g, r);
    int64_t m = g->m;
    uint64_t *kg = malloc((size_t)(m + 1) * 8), *kr = malloc((size_t)(m + 1) * 8);
    for (int64_t e = 0; e < m; e++) {
        kg[e] = key(g, e);
        kr[e] = key(r, e);
    }
    qsort(kg, (size_t)m, 8, cmp_u64);
    qsort(kr, (size_t)m, 8, cmp_u64);
    int64_t kept = 0;
    for (int64_t e = 0; e < m; e++) {
        cr_assert_eq(r->layer[e], g->layer[e]);
        cr_assert_eq(r->weight[e], g->weight[e]);
        if (g->time != NULL) {
            cr_assert_eq(r->time[e], g->time[e]);
        }
        int l = g->layer[e];
        bool selected = mask == 0 || ((mask >> l) & 1u);
        if (!selected) {
            cr_assert_eq(r->src[e], g->src[e]);
            cr_assert_eq(r->dst[e], g->dst[e]);
            continue;
        }
        if (g->layers[l].directed) {
            cr_assert_eq(r->src[e], g->src[e], "edge %ld lost its tail", (long)e);
        }
        bool frozen = g->src[e] == g->dst[e] || occurrences(kg, m, key(g, e)) > 1;
        if (frozen) {
            cr_assert_eq(r->src[e], g->src[e], "frozen edge %ld moved", (long)e);
            cr_assert_eq(r->dst[e], g->dst[e], "frozen edge %ld moved", (long)e);
        } else {
            cr_assert_neq(r->src[e], r->dst[e], "edge %ld became a self-loop", (long)e);
            cr_assert_eq(occurrences(kr, m, key(r, e)), 1, "edge %ld is now a duplicate", (long)e);
            kept += key(r, e) == key(g, e);
        }
    }
    free(kg);
    free(kr);
    return kept;
}

static bool same_edges(const cp_graph *a, const cp_graph *b) {
    size_t m = (size_t)a->m;
    return a->m == b->m &&
           (m == 0 || (memcmp(a->src, b->src, m * 4) == 0 && memcmp(a->dst, b->dst, m * 4) == 0));
}

/* Random graph: layers "a" (directed, with self-loops and multi-edges), "b" (undirected, with a
 * self-loop and a doubled pair in both orientations), "c" (directed, simple); nodes n-10..n-1
 * isolated. */
static cp_graph *random_graph(uint64_t seed, int32_t n, int64_t ma, int64_t mb, int64_t mc) {
    static const layer_spec specs[] = {{"a", true}, {"b", false}, {"c", true}};
    int64_t m = ma + mb + mc + 12;
    int32_t *src = malloc((size_t)m * 4), *dst = malloc((size_t)m * 4);
    uint8_t *lay = malloc((size_t)m);
    rng_state = seed * UINT64_C(0x9E3779B97F4A7C15) + 1;
    int64_t k = 0;
    int32_t live = n - 10;
    for (int64_t i = 0; i < ma + mb + mc; i++) {
        src[k] = rnd_below(live);
        dst[k] = rnd_below(live);
        lay[k] = (uint8_t)(i < ma ? 0 : i < ma + mb ? 1 : 2);
        if (src[k] == dst[k] && i >= ma) {
            dst[k] = (src[k] + 1) % live; /* only layer a draws random self-loops */
        }
        k++;
    }
    /* Explicit awkward edges: self-loops and parallel copies. */
    int32_t extra[][3] = {{0, 3, 3}, {0, 4, 4}, {0, 5, 6},   {0, 5, 6},   {0, 5, 6},   {0, 7, 8},
                          {0, 7, 8}, {1, 9, 9}, {1, 10, 11}, {1, 11, 10}, {2, 12, 13}, {2, 12, 13}};
    for (int i = 0; i < 12; i++) {
        lay[k] = (uint8_t)extra[i][0];
        src[k] = extra[i][1];
        dst[k] = extra[i][2];
        k++;
    }
    cp_graph *g = build(n, 3, specs, m, src, dst, lay, true);
    free(src);
    free(dst);
    free(lay);
    return g;
}

/* ---------------------------------------------------------------------------------------------
 * Invariants */

Test(rewire, degrees_and_invariants_on_random_graphs) {
    for (uint64_t seed = 1; seed <= 6; seed++) {
        cp_graph *g = random_graph(seed, 120, 400, 250, 150);
        cp_rewire_stats st;
        cp_graph *r = rewire(g, 0, 10.0, seed, 0, &st);
        check_rewired(g, r, 0);
        for (int l = 0; l < 3; l++) {
            int64_t m_l = 0;
            for (int64_t e = 0; e < g->m; e++) {
                m_l += g->layer[e] == l;
            }
            cr_assert_eq(st.attempts[l], 10 * m_l);
            cr_assert(st.accepted[l] > 0 && st.accepted[l] <= st.attempts[l]);
        }
        cr_assert_eq(st.total_attempts, st.attempts[0] + st.attempts[1] + st.attempts[2]);
        cr_assert_eq(st.total_accepted, st.accepted[0] + st.accepted[1] + st.accepted[2]);
        /* Layer b's frozen edges: the self-loop and both orientations of the doubled pair. */
        cr_assert(st.frozen[1] >= 3);
        cr_assert(st.frozen[0] >= 7);
        char want[128];
        snprintf(want, sizeof want,
                 "test graph; degree-preserving rewiring: swaps_per_edge=10 seed=%d stream=0",
                 (int)seed);
        cr_assert_str_eq(r->description, want);
        cp_graph_free(&r);
        cp_graph_free(&g);
    }
}

Test(rewire, masked_layers_unchanged) {
    cp_graph *g = random_graph(7, 100, 300, 200, 200);
    cp_rewire_stats st;
    uint64_t mask = 1u << 2; /* layer c only */
    cp_graph *r = rewire(g, mask, 5.0, 3, 1, &st);
    check_rewired(g, r, mask);
    cr_assert_eq(st.attempts[0], 0);
    cr_assert_eq(st.attempts[1], 0);
    cr_assert_eq(st.attempts[2], 5 * 202); /* 200 drawn + 2 parallel copies */
    cr_assert(st.accepted[2] > 0);
    for (int64_t e = 0; e < g->m; e++) {
        if (g->layer[e] != 2) {
            cr_assert(g->src[e] == r->src[e] && g->dst[e] == r->dst[e]);
        }
    }
    cp_graph_free(&r);
    cp_graph_free(&g);
}

/* After 10 swaps per edge on sparse random simple graphs almost no original edge survives. */
Test(rewire, edges_move_away) {
    static const layer_spec specs[] = {{"d", true}, {"u", false}};
    int32_t n = 1000;
    int64_t m = 6000;
    int32_t *src = malloc((size_t)m * 4), *dst = malloc((size_t)m * 4);
    uint8_t *lay = malloc((size_t)m);
    rng_state = 12345;
    for (int64_t e = 0; e < m; e++) {
        src[e] = rnd_below(n);
        do {
            dst[e] = rnd_below(n);
        } while (dst[e] == src[e]);
        lay[e] = (uint8_t)(e % 2);
    }
    cp_graph *g = build(n, 2, specs, m, src, dst, lay, false);
    cp_rewire_stats st;
    cp_graph *r = rewire(g, 0, 10.0, 99, 0, &st);
    int64_t kept = check_rewired(g, r, 0);
    int64_t movable = m - st.frozen[0] - st.frozen[1];
    cr_assert(movable > m * 9 / 10);
    cr_assert((double)kept / (double)movable < 0.2, "kept %ld of %ld", (long)kept, (long)movable);
    /* Nearly all attempts succeed on a sparse graph. */
    cr_assert(st.total_accepted > st.total_attempts / 2);
    cp_graph_free(&r);
    cp_graph_free(&g);
    free(src);
    free(dst);
    free(lay);
}

Test(rewire, same_seed_same_graph_other_stream_differs) {
    cp_graph *g = random_graph(3, 80, 200, 150, 100);
    cp_graph *r1 = rewire(g, 0, 3.0, 42, 7, NULL);
    cp_graph *r2 = rewire(g, 0, 3.0, 42, 7, NULL);
    cp_graph *r3 = rewire(g, 0, 3.0, 42, 8, NULL);
    cp_graph *r4 = rewire(g, 0, 3.0, 43, 7, NULL);
    cr_assert(same_edges(r1, r2));
    cr_assert(!same_edges(r1, r3));
    cr_assert(!same_edges(r1, r4));
    check_rewired(g, r3, 0);
    cp_graph_free(&r1);
    cp_graph_free(&r2);
    cp_graph_free(&r3);
    cp_graph_free(&r4);
    cp_graph_free(&g);
}

/* In a complete digraph (or complete graph) every swap would duplicate an edge or make a loop. */
Test(rewire, complete_graphs_cannot_change) {
    for (int directed = 0; directed <= 1; directed++) {
        layer_spec spec = {"k", directed != 0};
        int32_t n = 6, src[30], dst[30];
        uint8_t lay[30] = {0};
        int64_t m = 0;
        for (int32_t u = 0; u < n; u++) {
            for (int32_t v = directed ? 0 : u + 1; v < n; v++) {
                if (u != v) {
                    src[m] = u;
                    dst[m] = v;
                    m++;
                }
            }
        }
        cp_graph *g = build(n, 1, &spec, m, src, dst, lay, false);
        cp_rewire_stats st;
        cp_graph *r = rewire(g, 0, 20.0, 5, 0, &st);
        cr_assert_eq(st.attempts[0], 20 * m);
        cr_assert_eq(st.accepted[0], 0);
        cr_assert_eq(st.frozen[0], 0);
        cr_assert(same_edges(g, r));
        check_rewired(g, r, 0);
        cp_graph_free(&r);
        cp_graph_free(&g);
    }
}

/* A layer of one edge, a layer made only of frozen edges, isolated nodes. */
Test(rewire, tiny_layers) {
    static const layer_spec specs[] = {{"one", true}, {"stuck", true}, {"zero", false}};
    int32_t src[] = {0, 1, 2, 2, 3};
    int32_t dst[] = {1, 1, 3, 3, 3};
    uint8_t lay[] = {0, 1, 1, 1, 1};
    cp_graph *g = build(8, 3, specs, 5, src, dst, lay, true);
    cp_rewire_stats st;
    cp_graph *r = rewire(g, 0, 4.0, 1, 0, &st);
    cr_assert_eq(st.attempts[0], 4);
    cr_assert_eq(st.accepted[0], 0);
    cr_assert_eq(st.attempts[1], 16);
    cr_assert_eq(st.accepted[1], 0);
    cr_assert_eq(st.frozen[1], 4);
    cr_assert_eq(st.attempts[2], 0);
    cr_assert(same_edges(g, r));
    check_rewired(g, r, 0);
    cp_graph_free(&r);
    cp_graph_free(&g);
}

Test(rewire, empty_graphs) {
    cp_graph *g = NULL;
    cp_error err = {0};
    cr_assert_eq(cp_graph_new(&g, &err), CP_OK);
    cp_rewire_stats st;
    cp_graph *r = rewire(g, 0, 10.0, 1, 0, &st);
    cr_assert_eq(r->n, 0);
    cr_assert_eq(r->m, 0);
    cr_assert_eq(st.total_attempts, 0);
    cp_graph_free(&r);
    cp_graph_free(&g);

    layer_spec spec = {"t", true};
    g = build(5, 1, &spec, 0, NULL, NULL, NULL, false);
    r = rewire(g, 1, 10.0, 1, 0, &st);
    check_rewired(g, r, 1);
    cr_assert_eq(st.attempts[0], 0);
    cp_graph_free(&r);
    cp_graph_free(&g);
}

Test(rewire, zero_swaps_copies) {
    cp_graph *g = random_graph(11, 50, 100, 60, 40);
    cp_rewire_stats st;
    cp_graph *r = rewire(g, 0, 0.0, 1, 0, &st);
    cr_assert(same_edges(g, r));
    cr_assert_eq(st.total_attempts, 0);
    check_rewired(g, r, 0);
    cp_graph_free(&r);
    cp_graph_free(&g);
}

Test(rewire, bad_arguments) {
    cp_graph *g = random_graph(2, 30, 40, 30, 20);
    cp_graph *r = (cp_graph *)(uintptr_t)1;
    cp_error err = {0};
    cr_assert_eq(cp_graph_rewire(&r, g, 0, -1.0, 1, 0, NULL, &err), CP_E_INVALID);
    cr_assert_null(r);
    cr_assert(strstr(err.msg, "swaps per edge") != NULL, "%s", err.msg);
    cr_assert_eq(cp_graph_rewire(&r, g, 0, NAN, 1, 0, NULL, &err), CP_E_INVALID);
    cr_assert_eq(cp_graph_rewire(&r, g, 0, INFINITY, 1, 0, NULL, &err), CP_E_INVALID);
    cr_assert_eq(cp_graph_rewire(&r, g, UINT64_C(1) << 3, 1.0, 1, 0, NULL, &err), CP_E_INVALID);
    cr_assert(strstr(err.msg, "bit 3") != NULL, "%s", err.msg);
    cr_assert_null(r);
    cr_assert_eq(cp_graph_rewire(&r, g, 0, 1e300, 1, 0, NULL, &err), CP_E_INVALID);
    cr_assert(strstr(err.msg, "2^48") != NULL, "%s", err.msg);
    cr_assert_eq(cp_graph_rewire(&r, NULL, 0, 1.0, 1, 0, NULL, &err), CP_E_INVALID);
    cr_assert_eq(cp_graph_rewire(NULL, g, 0, 1.0, 1, 0, NULL, &err), CP_E_INVALID);
    cp_graph_free(&g);
}

Test(rewire, allocation_failures_free_everything) {
    cp_graph *g = random_graph(4, 40, 60, 40, 30);
    g->names[1] = cp__strdup("x");
    cp_status s = CP_E_NOMEM;
    long k;
    for (k = 0; k < 10000 && s != CP_OK; k++) {
        cp_graph *r = NULL;
        cp_error err = {0};
        cp__alloc_fail_after(k);
        s = cp_graph_rewire(&r, g, 0, 2.0, 1, 0, NULL, &err);
        cp__alloc_fail_after(-1);
        if (s == CP_OK) {
            check_rewired(g, r, 0);
        } else {
            cr_assert_eq(s, CP_E_NOMEM, "failure %ld: %s", k, err.msg);
            cr_assert_null(r);
        }
        cp_graph_free(&r);
    }
    cr_assert_eq(s, CP_OK);
    cr_assert(k > 20);
    cp_graph_free(&g);
}

/* ---------------------------------------------------------------------------------------------
 * The chain's exact distribution (oracle: tests/oracle/make_rewire_fixtures.py) */

#define MAX_PAIRS 64
#define MAX_EDGES 16

Test(rewire, edge_probabilities_match_exact_chain) {
    const char *path = cp_test_source("tests/fixtures/rewire/chain.txt");
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "cannot open %s", path);
    char line[256];
    int cases = 0;
    bool have = false;
    char name[32] = "";
    int directed = 0, n = 0, m = 0, npairs = 0, ne = 0, np = 0;
    double spe = 0;
    int32_t src[MAX_EDGES], dst[MAX_EDGES], pu[MAX_PAIRS], pv[MAX_PAIRS];
    double prob[MAX_PAIRS];
    for (;;) {
        bool eof = fgets(line, sizeof line, f) == NULL;
        if (eof || strncmp(line, "case ", 5) == 0) {
            if (have) {
                cr_assert_eq(ne, m);
                cr_assert_eq(np, npairs);
                /* Run the rewiring under many seeds and compare each pair's frequency. */
                layer_spec spec = {"t", directed != 0};
                uint8_t lay[MAX_EDGES] = {0};
                cp_graph *g = build(n, 1, &spec, m, src, dst, lay, false);
                const int runs = 20000;
                int *hits = calloc((size_t)n * (size_t)n, sizeof *hits);
                for (int s = 0; s < runs; s++) {
                    cp_graph *r = rewire(g, 0, spe, (uint64_t)s + 1000, (uint32_t)s % 3, NULL);
                    for (int e = 0; e < m; e++) {
                        int32_t u = r->src[e], v = r->dst[e];
                        if (!directed && u > v) {
                            int32_t t = u;
                            u = v;
                            v = t;
                        }
                        hits[u * n + v]++;
                    }
                    cp_graph_free(&r);
                }
                for (int k = 0; k < npairs; k++) {
                    double p = fmin(1.0, fmax(0.0, prob[k]));
                    double est = (double)hits[pu[k] * n + pv[k]] / runs;
                    double tol = 5.0 * sqrt(p * (1 - p) / runs) + 1e-9;
                    cr_assert(fabs(est - p) <= tol, "%s: pair %d-%d: %.4f, exact %.4f (tol %.4f)",
                              name, pu[k], pv[k], est, p, tol);
                }
                free(hits);
                cp_graph_free(&g);
                cases++;
            }
            if (eof) {
                break;
            }
            cr_assert_eq(
                sscanf(line, "case %31s %d %d %d %lf %d", name, &directed, &n, &m, &spe, &npairs),
                6);
            cr_assert(m <= MAX_EDGES && npairs <= MAX_PAIRS);
            have = true;
            ne = np = 0;
        } else if (line[0] == 'e') {
            cr_assert_eq(sscanf(line, "e %d %d", &src[ne], &dst[ne]), 2);
            ne++;
        } else if (line[0] == 'p') {
            cr_assert_eq(sscanf(line, "p %d %d %lf", &pu[np], &pv[np], &prob[np]), 3);
            np++;
        }
    }
    fclose(f);
    cr_assert_eq(cases, 6);
}
