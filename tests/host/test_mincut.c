/* Minimum S-T vertex cut (include/chokepoint/mincut.h).
 *
 * Oracles: (1) hand-made graphs with known cuts; (2) a brute force in this file over every subset
 * of the candidates of random tiny graphs (n <= 12; directed and symmetric; parallel edges,
 * self-loops, isolated and removed nodes, forbidden candidates, integer node costs): the least
 * cost (and, with unit costs, size) of a subset whose removal leaves no source-target path, by
 * BFS; (3) the fixtures in tests/fixtures/mincut/ written by tests/oracle/make_mincut_fixtures.py
 * (networkx 2.8: maximum flow on a split graph, and minimum_st_node_cut) for random graphs of
 * 20-200 nodes. The cut set is not unique, so every returned set is checked by its properties:
 * sorted, candidates only, its size and cost as reported, and its removal disconnects S from T.
 * All values compared are small integers: exact. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "chokepoint/mincut.h"
#include "chokepoint/view.h"
#include "cp_fixture.h"
#include "cp_test.h"

/* ---- a small seeded generator (splitmix64) ---- */

static uint64_t mix(uint64_t *s) {
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static int32_t below(uint64_t *s, int32_t n) {
    return (int32_t)(mix(s) % (uint64_t)n);
}

/* ---- reference: does any source reach any target in the view minus gone[]? ---- */

static bool st_connected(const cp_view *v, const uint8_t *gone, const int32_t *S, int64_t ns,
                         const int32_t *T, int64_t nt) {
    int32_t n = v->n;
    uint8_t *seen = calloc((size_t)n + 1, 1), *is_t = calloc((size_t)n + 1, 1);
    int32_t *queue = malloc(((size_t)n + 1) * sizeof *queue);
    int32_t qh = 0, qt = 0;
    bool found = false;
    for (int64_t i = 0; i < nt; i++) {
        if (!gone[T[i]]) {
            is_t[T[i]] = 1;
        }
    }
    for (int64_t i = 0; i < ns; i++) {
        if (!gone[S[i]] && !seen[S[i]]) {
            seen[S[i]] = 1;
            queue[qt++] = S[i];
        }
    }
    while (qh < qt && !found) {
        int32_t x = queue[qh++];
        if (is_t[x]) {
            found = true;
            break;
        }
        for (int64_t k = v->offsets[x]; k < v->offsets[x + 1]; k++) {
            int32_t y = v->indices[k];
            if (!gone[y] && !seen[y]) {
                seen[y] = 1;
                queue[qt++] = y;
            }
        }
    }
    free(seen);
    free(is_t);
    free(queue);
    return found;
}

/* Checks the properties of a returned cut; returns its cost. */
static double check_cut(const char *name, const cp_view *v, const uint8_t *removed,
                        const uint8_t *allowed, const double *cost, const int32_t *S, int64_t ns,
                        const int32_t *T, int64_t nt, const int32_t *cut, int64_t size) {
    int32_t n = v->n;
    uint8_t *gone = calloc((size_t)n + 1, 1), *st = calloc((size_t)n + 1, 1);
    for (int64_t i = 0; i < ns; i++) {
        st[S[i]] = 1;
    }
    for (int64_t i = 0; i < nt; i++) {
        st[T[i]] = 1;
    }
    for (int32_t x = 0; x < n; x++) {
        gone[x] = removed != NULL && removed[x];
    }
    double sum = 0.0;
    cr_assert(size >= 0 && size <= n, "%s: size %ld", name, (long)size);
    for (int64_t i = 0; i < size; i++) {
        int32_t x = cut[i];
        cr_assert(x >= 0 && x < n, "%s: cut[%ld] = %d", name, (long)i, x);
        cr_assert(i == 0 || cut[i - 1] < x, "%s: cut not sorted at %ld", name, (long)i);
        cr_assert(!gone[x], "%s: removed node %d in the cut", name, x);
        cr_assert(!st[x], "%s: source or target %d in the cut", name, x);
        cr_assert(allowed == NULL || allowed[x], "%s: forbidden node %d in the cut", name, x);
        gone[x] = 1;
        sum += cost != NULL ? cost[x] : 1.0;
    }
    for (int64_t i = size; i < n; i++) {
        cr_assert_eq(cut[i], -1, "%s: cut[%ld] = %d past the size", name, (long)i, cut[i]);
    }
    cr_assert(!st_connected(v, gone, S, ns, T, nt), "%s: the cut does not disconnect", name);
    free(gone);
    free(st);
    return sum;
}

static cp_view *make_view(int32_t n, int64_t m, const int32_t *src, const int32_t *dst,
                          bool directed) {
    cp_view *v = NULL;
    cp_error err;
    cp_status st =
        cp_view_from_edges(&v, n, m, src, dst, NULL, NULL,
                           directed ? CP_DIR_STORED : CP_DIR_SYMMETRIC, CP_MULTI_KEEP, &err);
    cr_assert_eq(st, CP_OK, "view: %s", err.msg);
    return v;
}

/* ---- hand-made graphs ---- */

Test(mincut, path_and_diamond) {
    /* 0 -> 1 -> 2 -> 3 and 0 -> 4 -> 3: cut {1, 4} or {2, 4}; the cut nearest S is {1, 4}. */
    int32_t src[] = {0, 1, 2, 0, 4}, dst[] = {1, 2, 3, 4, 3};
    cp_view *v = make_view(5, 5, src, dst, true);
    int32_t S[] = {0}, T[] = {3}, cut[5];
    int64_t size = 0;
    double cost = 0.0;
    cp_error err;
    cr_assert_eq(cp_min_vertex_cut(cut, &size, &cost, v, NULL, NULL, NULL, S, 1, T, 1, &err),
                 CP_OK);
    cr_assert_eq(size, 2);
    cr_assert_eq(cost, 2.0);
    cr_assert_eq(cut[0], 1);
    cr_assert_eq(cut[1], 4);
    /* Costs move the cut: node 1 costs 5, node 2 costs 1. */
    double c[] = {9, 5, 1, 9, 2};
    cr_assert_eq(cp_min_vertex_cut(cut, &size, &cost, v, NULL, NULL, c, S, 1, T, 1, &err), CP_OK);
    cr_assert_eq(size, 2);
    cr_assert_eq(cost, 3.0);
    cr_assert_eq(cut[0], 2);
    cr_assert_eq(cut[1], 4);
    /* Node 4 forbidden: 0 -> 4 -> 3 cannot be cut. */
    uint8_t allowed[] = {1, 1, 1, 1, 0};
    cr_assert_eq(cp_min_vertex_cut(cut, &size, &cost, v, NULL, allowed, NULL, S, 1, T, 1, &err),
                 CP_E_INVALID);
    cr_assert_eq(size, -1);
    cr_assert(isinf(cost) && cost > 0);
    cr_assert(strstr(err.msg, "source 0 and target 3") != NULL, "%s", err.msg);
    for (int i = 0; i < 5; i++) {
        cr_assert_eq(cut[i], -1);
    }
    /* Node 4 removed as well: {1} suffices. */
    uint8_t removed[] = {0, 0, 0, 0, 1};
    cr_assert_eq(cp_min_vertex_cut(cut, &size, &cost, v, removed, allowed, NULL, S, 1, T, 1, &err),
                 CP_OK);
    cr_assert_eq(size, 1);
    cr_assert_eq(cut[0], 1);
    cr_assert_eq(cut[1], -1);
    cp_view_free(&v);
}

Test(mincut, directed_versus_symmetric) {
    /* 0 -> 1 <- 2: no directed path from 0 to 2, but the symmetric view joins them through 1. */
    int32_t src[] = {0, 2, 1, 1}, dst[] = {1, 1, 1, 1}; /* with a doubled self-loop at 1 */
    int32_t S[] = {0}, T[] = {2}, cut[3];
    int64_t size = 0;
    double cost = 0.0;
    cp_error err;
    cp_view *d = make_view(3, 4, src, dst, true);
    cr_assert_eq(cp_min_vertex_cut(cut, &size, &cost, d, NULL, NULL, NULL, S, 1, T, 1, &err),
                 CP_OK);
    cr_assert_eq(size, 0);
    cr_assert_eq(cost, 0.0);
    cp_view *u = make_view(3, 4, src, dst, false);
    cr_assert_eq(cp_min_vertex_cut(cut, &size, &cost, u, NULL, NULL, NULL, S, 1, T, 1, &err),
                 CP_OK);
    cr_assert_eq(size, 1);
    cr_assert_eq(cut[0], 1);
    cp_view_free(&d);
    cp_view_free(&u);
}

Test(mincut, inseparable_instances) {
    int32_t src[] = {0, 1, 0}, dst[] = {1, 2, 2};
    cp_view *v = make_view(4, 3, src, dst, true);
    int32_t cut[4];
    int64_t size = 0;
    double cost = 0.0;
    cp_error err;
    /* A direct edge 0 -> 2. */
    int32_t S[] = {0}, T[] = {2};
    cr_assert_eq(cp_min_vertex_cut(cut, &size, &cost, v, NULL, NULL, NULL, S, 1, T, 1, &err),
                 CP_E_INVALID);
    cr_assert_eq(size, -1);
    cr_assert(isinf(cost));
    cr_assert(strstr(err.msg, "cannot be separated") != NULL, "%s", err.msg);
    /* A node in both S and T (node 3, isolated). */
    int32_t S2[] = {0, 3}, T2[] = {3};
    cr_assert_eq(cp_min_vertex_cut(cut, &size, &cost, v, NULL, NULL, NULL, S2, 2, T2, 1, &err),
                 CP_E_INVALID);
    cr_assert(strstr(err.msg, "both a source and a target") != NULL, "%s", err.msg);
    cr_assert(strstr(err.msg, "source 3 and target 3") != NULL, "%s", err.msg);
    /* Removing T's only member leaves nothing to cut. */
    int32_t S3[] = {0}, T3[] = {2};
    uint8_t removed[] = {0, 0, 1, 0};
    cr_assert_eq(cp_min_vertex_cut(cut, &size, &cost, v, removed, NULL, NULL, S3, 1, T3, 1, &err),
                 CP_OK);
    cr_assert_eq(size, 0);
    cp_view_free(&v);
    int32_t src2[] = {0, 1}, dst2[] = {1, 2};
    v = make_view(3, 2, src2, dst2, false);
    double c[] = {1, INFINITY, 1}; /* an infinite cost: node 1 cannot be cut */
    cr_assert_eq(cp_min_vertex_cut(cut, &size, &cost, v, NULL, NULL, c, S3, 1, T3, 1, &err),
                 CP_E_INVALID);
    c[1] = 0.0; /* a free node */
    cr_assert_eq(cp_min_vertex_cut(cut, &size, &cost, v, NULL, NULL, c, S3, 1, T3, 1, &err), CP_OK);
    cr_assert_eq(size, 1);
    cr_assert_eq(cost, 0.0);
    cp_view_free(&v);
}

Test(mincut, empty_and_errors) {
    cp_view *v = make_view(0, 0, NULL, NULL, true);
    int64_t size = 7;
    double cost = 7.0;
    cp_error err;
    cr_assert_eq(cp_min_vertex_cut(NULL, &size, &cost, v, NULL, NULL, NULL, NULL, 0, NULL, 0, &err),
                 CP_OK);
    cr_assert_eq(size, 0);
    cr_assert_eq(cost, 0.0);
    cp_view_free(&v);

    int32_t src[] = {0, 1}, dst[] = {1, 2};
    v = make_view(3, 2, src, dst, true);
    int32_t S[] = {0}, T[] = {2}, bad[] = {3}, cut[3];
    cr_assert_eq(cp_min_vertex_cut(cut, NULL, &cost, v, NULL, NULL, NULL, S, 1, T, 1, &err),
                 CP_E_INVALID);
    cr_assert_eq(cp_min_vertex_cut(cut, &size, &cost, NULL, NULL, NULL, NULL, S, 1, T, 1, &err),
                 CP_E_INVALID);
    cr_assert_eq(cp_min_vertex_cut(cut, &size, &cost, v, NULL, NULL, NULL, bad, 1, T, 1, &err),
                 CP_E_INVALID);
    cr_assert_eq(size, 0);
    cr_assert_eq(cp_min_vertex_cut(cut, &size, &cost, v, NULL, NULL, NULL, S, 1, bad, 1, &err),
                 CP_E_INVALID);
    cr_assert_eq(cp_min_vertex_cut(cut, &size, &cost, v, NULL, NULL, NULL, S, -1, T, 1, &err),
                 CP_E_INVALID);
    double c[] = {1, -1, 1};
    cr_assert_eq(cp_min_vertex_cut(cut, &size, &cost, v, NULL, NULL, c, S, 1, T, 1, &err),
                 CP_E_INVALID);
    cr_assert(strstr(err.msg, "node 1") != NULL, "%s", err.msg);
    c[1] = NAN;
    cr_assert_eq(cp_min_vertex_cut(cut, &size, &cost, v, NULL, NULL, c, S, 1, T, 1, &err),
                 CP_E_INVALID);
    c[0] = -5; /* a source's cost is never read */
    c[1] = 2;
    cr_assert_eq(cp_min_vertex_cut(cut, &size, &cost, v, NULL, NULL, c, S, 1, T, 1, &err), CP_OK);
    cr_assert_eq(cost, 2.0);
    /* No source left: empty cut. */
    uint8_t removed[] = {1, 0, 0};
    cr_assert_eq(cp_min_vertex_cut(cut, &size, &cost, v, removed, NULL, NULL, S, 1, T, 1, &err),
                 CP_OK);
    cr_assert_eq(size, 0);
    cr_assert_eq(cut[0], -1);
    cp_view_free(&v);
}

/* ---- brute force over subsets on tiny random graphs ---- */

Test(mincut, random_tiny_vs_brute_force) {
    uint64_t seed = 20261129;
    int checked = 0, inseparable = 0;
    for (int trial = 0; trial < 600; trial++) {
        int32_t n = 2 + below(&seed, 11); /* 2..12 */
        int64_t m = below(&seed, 3 * n + 1);
        int32_t src[64], dst[64];
        for (int64_t e = 0; e < m; e++) {
            src[e] = below(&seed, n);
            dst[e] = below(&seed, n);
            if (e > 0 && below(&seed, 8) == 0) { /* a parallel edge */
                src[e] = src[e - 1];
                dst[e] = dst[e - 1];
            }
        }
        bool directed = trial % 2 == 0;
        cp_view *v = make_view(n, m, src, dst, directed);
        int32_t S[4], T[4];
        int64_t ns = 1 + below(&seed, 2), nt = 1 + below(&seed, 2);
        for (int64_t i = 0; i < ns; i++) {
            S[i] = below(&seed, n);
        }
        for (int64_t i = 0; i < nt; i++) {
            T[i] = below(&seed, n);
        }
        uint8_t removed[12] = {0}, allowed[12] = {0}, is_st[12] = {0};
        double cost[12];
        for (int32_t x = 0; x < n; x++) {
            removed[x] = below(&seed, 10) == 0;
            allowed[x] = below(&seed, 6) != 0;
            cost[x] = (double)(1 + below(&seed, 4));
        }
        for (int64_t i = 0; i < ns; i++) {
            is_st[S[i]] = 1;
        }
        for (int64_t i = 0; i < nt; i++) {
            is_st[T[i]] = 1;
        }
        int32_t cand[12];
        int nc = 0;
        for (int32_t x = 0; x < n; x++) {
            if (!removed[x] && allowed[x] && !is_st[x]) {
                cand[nc++] = x;
            }
        }
        for (int with_cost = 0; with_cost < 2; with_cost++) {
            const double *cs = with_cost ? cost : NULL;
            double best = INFINITY;
            int best_size = -1;
            for (uint32_t mask = 0; mask < (1u << nc); mask++) {
                uint8_t gone[12];
                memcpy(gone, removed, sizeof gone);
                double c = 0.0;
                int size = 0;
                for (int i = 0; i < nc; i++) {
                    if (mask >> i & 1u) {
                        gone[cand[i]] = 1;
                        c += cs != NULL ? cs[cand[i]] : 1.0;
                        size++;
                    }
                }
                if (c < best && !st_connected(v, gone, S, ns, T, nt)) {
                    best = c;
                    best_size = size;
                }
            }
            int32_t cut[12];
            int64_t size = 0;
            double got = 0.0;
            cp_error err;
            cp_status st =
                cp_min_vertex_cut(cut, &size, &got, v, removed, allowed, cs, S, ns, T, nt, &err);
            char name[64];
            snprintf(name, sizeof name, "trial %d (cost %d)", trial, with_cost);
            if (isinf(best)) {
                cr_assert_eq(st, CP_E_INVALID, "%s: status %d, expected inseparable", name, st);
                cr_assert_eq(size, -1, "%s", name);
                cr_assert(isinf(got), "%s", name);
                inseparable++;
                continue;
            }
            cr_assert_eq(st, CP_OK, "%s: %s", name, err.msg);
            cr_assert_eq(got, best, "%s: cost %g, brute force %g", name, got, best);
            if (cs == NULL) {
                cr_assert_eq(size, best_size, "%s: size %ld, brute force %d", name, (long)size,
                             best_size);
            }
            double sum = check_cut(name, v, removed, allowed, cs, S, ns, T, nt, cut, size);
            cr_assert_eq(sum, got, "%s: set cost %g, reported %g", name, sum, got);
            checked++;
        }
        cp_view_free(&v);
    }
    cr_assert_geq(checked, 400, "only %d instances checked", checked);
    cr_assert_geq(inseparable, 50, "only %d inseparable instances", inseparable);
}

/* ---- networkx fixtures ---- */

static void check_fixture(const cp_fixture *f) {
    cp_view *v = cp_fixture_view(f);
    int64_t na = 0;
    const double *a = cp_fixture_get(f, "allowed", &na);
    cr_assert(a != NULL && na == f->n, "%s: no allowed mask", f->name);
    uint8_t *allowed = malloc((size_t)f->n);
    for (int32_t x = 0; x < f->n; x++) {
        allowed[x] = a[x] != 0.0;
    }
    double expect = cp_fixture_scalar(f, "cut_size");
    int32_t *cut = malloc((size_t)f->n * sizeof *cut);
    int64_t size = 0;
    double cost = 0.0;
    cp_error err;
    cp_status st = cp_min_vertex_cut(cut, &size, &cost, v, f->removed, allowed, NULL, f->sources,
                                     f->n_sources, f->targets, f->n_targets, &err);
    if (isinf(expect)) {
        cr_assert_eq(st, CP_E_INVALID, "%s: status %d, expected inseparable", f->name, st);
        cr_assert_eq(size, -1, "%s", f->name);
    } else {
        cr_assert_eq(st, CP_OK, "%s: %s", f->name, err.msg);
        cr_assert_eq((double)size, expect, "%s: size %ld, networkx %g", f->name, (long)size,
                     expect);
        cr_assert_eq(cost, expect, "%s", f->name);
        check_cut(f->name, v, f->removed, allowed, NULL, f->sources, f->n_sources, f->targets,
                  f->n_targets, cut, size);
    }
    free(cut);
    free(allowed);
    cp_view_free(&v);
}

Test(oracle, networkx_fixtures) {
    int ran = cp_fixture_each("mincut", true, check_fixture);
    cr_assert_geq(ran, 14, "only %d fixtures found", ran);
}

/* ---- out of memory ---- */

Test(mincut, out_of_memory_is_reported) {
    int32_t n = 60;
    int32_t src[240], dst[240];
    uint64_t seed = 7;
    for (int e = 0; e < 240; e++) {
        src[e] = below(&seed, n);
        dst[e] = below(&seed, n);
    }
    cp_view *v = make_view(n, 240, src, dst, true);
    int32_t S[] = {0, 1, 2}, T[] = {57, 58, 59}, cut[60];
    int ok = 0;
    cp_status last = CP_E_NOMEM;
    for (long k = 0; k < 64 && !ok; k++) {
        int64_t size = 0;
        double cost = 0.0;
        cp_error err;
        cp__alloc_fail_after(k);
        cp_status st = cp_min_vertex_cut(cut, &size, &cost, v, NULL, NULL, NULL, S, 3, T, 3, &err);
        cp__alloc_fail_after(-1);
        cr_assert(st == CP_OK || st == CP_E_NOMEM || st == CP_E_INVALID, "failure %ld: %d", k, st);
        if (st == CP_E_NOMEM) {
            cr_assert_eq(size, 0);
            cr_assert_eq(cut[0], -1);
        }
        ok = st != CP_E_NOMEM;
        last = st;
    }
    cr_assert(ok, "never succeeded");
    cr_assert_eq(last, CP_OK);
    cp_view_free(&v);
}
