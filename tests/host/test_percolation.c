/* The percolation curve along a removal order (include/chokepoint/percolation.h).
 *
 * Oracles: the fixtures in tests/fixtures/percolation/ written by
 * tests/oracle/make_percolation_fixtures.py (graph-tool 2.45 topology.vertex_percolation, which
 * adds vertices in the given order; the script maps its sizes onto our removal curve and checks
 * them against a plain union-find recomputation); cp_wcc recomputed after every removal on random
 * graphs (fixed seeds; self-loops, parallel edges, isolated nodes; directed and symmetric views,
 * parallel edges kept and collapsed; k = 0..n); hand-made graphs with known curves.
 *
 * Tolerances: none. Every element is compared exactly (the curve is an integer over n, divided
 * the same way everywhere). */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "chokepoint/centrality.h"
#include "chokepoint/percolation.h"
#include "chokepoint/view.h"
#include "cp_fixture.h"
#include "cp_test.h"

/* ---- hand-made graphs ---- */

/* The path 0 - 1 - 2 - 3 - 4 (directed, stored as 0->1, 2->1, 2->3, 4->3: weak connectivity
 * needs both edge directions). */
static cp_view *path5(cp_direction dir) {
    const int32_t src[] = {0, 2, 2, 4};
    const int32_t dst[] = {1, 1, 3, 3};
    cp_view *v = NULL;
    cp_error err;
    cr_assert_eq(cp_view_from_edges(&v, 5, 4, src, dst, NULL, NULL, dir, CP_MULTI_KEEP, &err),
                 CP_OK);
    return v;
}

Test(hand, path_middle_first) {
    for (int d = 0; d < 3; d++) {
        cp_view *v = path5((cp_direction)d);
        const int32_t order[] = {2, 0, 4, 1, 3};
        /* {0,1} {3,4} -> {1} {3,4} -> {1} {3} -> {3} -> none */
        const double expect[] = {1.0, 0.4, 0.4, 0.2, 0.2, 0.0};
        double lcc[6];
        cp_error err;
        cr_assert_eq(cp_percolation_curve(lcc, v, order, 5, &err), CP_OK, "%s", err.msg);
        for (int i = 0; i < 6; i++) {
            cr_assert_eq(lcc[i], expect[i], "direction %d, lcc[%d] = %g", d, i, lcc[i]);
        }
        cp_view_free(&v);
    }
}

Test(hand, partial_order_and_k0) {
    cp_view *v = path5(CP_DIR_STORED);
    const int32_t order[] = {1, 3};
    double lcc[3] = {-1, -1, -1};
    cp_error err;
    cr_assert_eq(cp_percolation_curve(lcc, v, order, 2, &err), CP_OK, "%s", err.msg);
    cr_assert_eq(lcc[0], 1.0);
    cr_assert_eq(lcc[1], 3.0 / 5.0); /* {2,3,4} */
    cr_assert_eq(lcc[2], 1.0 / 5.0);
    lcc[1] = -1;
    cr_assert_eq(cp_percolation_curve(lcc, v, NULL, 0, &err), CP_OK, "%s", err.msg);
    cr_assert_eq(lcc[0], 1.0);
    cr_assert_eq(lcc[1], -1.0, "only k + 1 entries are written");
    cp_view_free(&v);
}

Test(hand, isolated_and_loops) {
    /* 0 and 1 joined by parallel edges, 2 has a self-loop, 3 isolated. */
    const int32_t src[] = {0, 1, 0, 2};
    const int32_t dst[] = {1, 0, 1, 2};
    cp_view *v = NULL;
    cp_error err;
    cr_assert_eq(
        cp_view_from_edges(&v, 4, 4, src, dst, NULL, NULL, CP_DIR_STORED, CP_MULTI_KEEP, &err),
        CP_OK);
    const int32_t order[] = {3, 0, 2, 1};
    const double expect[] = {0.5, 0.5, 0.25, 0.25, 0.0};
    double lcc[5];
    cr_assert_eq(cp_percolation_curve(lcc, v, order, 4, &err), CP_OK, "%s", err.msg);
    for (int i = 0; i < 5; i++) {
        cr_assert_eq(lcc[i], expect[i], "lcc[%d] = %g", i, lcc[i]);
    }
    cp_view_free(&v);
}

Test(hand, empty_graph) {
    cp_view *v = NULL;
    cp_error err;
    cr_assert_eq(
        cp_view_from_edges(&v, 0, 0, NULL, NULL, NULL, NULL, CP_DIR_STORED, CP_MULTI_KEEP, &err),
        CP_OK);
    double lcc[1] = {-1};
    cr_assert_eq(cp_percolation_curve(lcc, v, NULL, 0, &err), CP_OK, "%s", err.msg);
    cr_assert_eq(lcc[0], 0.0);
    cr_assert_eq(cp_percolation_curve(lcc, v, NULL, 1, &err), CP_E_INVALID);
    cp_view_free(&v);
}

/* ---- errors ---- */

static void expect_invalid(const cp_view *v, const int32_t *order, int64_t k, double *lcc,
                           const char *what) {
    cp_error err;
    cp_error_clear(&err);
    cp_status st = cp_percolation_curve(lcc, v, order, k, &err);
    cr_assert_eq(st, CP_E_INVALID, "%s: got %s", what, cp_status_name(st));
    cr_assert_eq(err.status, CP_E_INVALID, "%s", what);
    cr_assert_neq(err.msg[0], '\0', "%s: no message", what);
}

Test(errors, invalid_arguments) {
    cp_view *v = path5(CP_DIR_STORED);
    double lcc[7];
    const int32_t ok[] = {0, 1};
    expect_invalid(v, ok, 2, NULL, "no output");
    expect_invalid(NULL, ok, 2, lcc, "no view");
    expect_invalid(v, ok, -1, lcc, "negative k");
    expect_invalid(v, ok, 6, lcc, "k > n");
    expect_invalid(v, NULL, 2, lcc, "no order");
    const int32_t low[] = {0, -1};
    expect_invalid(v, low, 2, lcc, "negative index");
    const int32_t high[] = {5, 0};
    expect_invalid(v, high, 2, lcc, "index n");
    const int32_t rep[] = {3, 1, 3};
    for (int i = 0; i < 4; i++) {
        lcc[i] = -1;
    }
    expect_invalid(v, rep, 3, lcc, "repeated index");
    for (int i = 0; i < 4; i++) {
        cr_assert_eq(lcc[i], 0.0, "lcc[%d] not cleared on error", i);
    }
    cp_error err;
    cp_percolation_curve(lcc, v, rep, 3, &err);
    cr_assert(strstr(err.msg, "order[2]") != NULL, "message names the position: %s", err.msg);
    cp_view_free(&v);
}

Test(errors, out_of_memory) {
    cp_view *v = path5(CP_DIR_SYMMETRIC);
    const int32_t order[] = {4, 2, 0};
    double lcc[4];
    for (long fail = 0; fail < 2; fail++) {
        cp_error err;
        cp__alloc_fail_after(fail);
        cp_status st = cp_percolation_curve(lcc, v, order, 3, &err);
        cp__alloc_fail_after(-1);
        cr_assert_eq(st, CP_E_NOMEM, "allocation %ld: got %s", fail, cp_status_name(st));
        for (int i = 0; i < 4; i++) {
            cr_assert_eq(lcc[i], 0.0);
        }
    }
    cp_view_free(&v);
}

/* ---- cp_wcc after every removal on random graphs ---- */

static uint64_t next_rand(uint64_t *s) { /* splitmix64 */
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static int32_t below(uint64_t *s, int32_t n) {
    return (int32_t)(next_rand(s) % (uint64_t)n);
}

/* Compares the curve with cp_wcc's largest after each of the k removals, exactly. */
static void check_brute(const cp_view *v, const int32_t *order, int64_t k, const char *what) {
    int32_t n = v->n;
    double *lcc = malloc(sizeof(double) * (size_t)(k + 1));
    uint8_t *removed = calloc((size_t)n + 1, 1);
    int32_t *labels = malloc(sizeof(int32_t) * ((size_t)n + 1));
    cp_error err;
    cr_assert_eq(cp_percolation_curve(lcc, v, order, k, &err), CP_OK, "%s: %s", what, err.msg);
    for (int64_t i = 0; i <= k; i++) {
        if (i > 0) {
            removed[order[i - 1]] = 1;
        }
        int32_t nc = 0, largest = 0;
        cr_assert_eq(cp_wcc(labels, &nc, &largest, v, removed, &err), CP_OK, "%s", err.msg);
        double expect = n > 0 ? (double)largest / (double)n : 0.0;
        cr_assert_eq(lcc[i], expect, "%s: lcc[%ld] = %.17g, cp_wcc gives %.17g", what, (long)i,
                     lcc[i], expect);
    }
    free(lcc);
    free(removed);
    free(labels);
}

Test(brute, random_graphs_against_wcc) {
    uint64_t s = 20260401;
    int checked = 0;
    for (int g = 0; g < 40; g++) {
        int32_t n = 1 + below(&s, g < 20 ? 12 : 80);
        int32_t live = n - below(&s, n / 4 + 1); /* nodes live..n-1 stay isolated */
        int64_t m = below(&s, 3 * n + 1);
        int32_t *src = malloc(sizeof(int32_t) * ((size_t)m + 1));
        int32_t *dst = malloc(sizeof(int32_t) * ((size_t)m + 1));
        for (int64_t e = 0; e < m; e++) {
            uint64_t r = next_rand(&s) % 10;
            if (e > 0 && r == 0) { /* parallel edge */
                int64_t f = (int64_t)(next_rand(&s) % (uint64_t)e);
                src[e] = src[f];
                dst[e] = dst[f];
            } else {
                src[e] = below(&s, live);
                dst[e] = r == 1 ? src[e] : below(&s, live); /* r == 1: self-loop */
            }
        }
        int32_t *perm = malloc(sizeof(int32_t) * (size_t)n);
        for (int32_t i = 0; i < n; i++) {
            perm[i] = i;
        }
        for (int32_t i = n - 1; i > 0; i--) {
            int32_t j = below(&s, i + 1);
            int32_t t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        for (int d = 0; d < 3; d++) {
            for (int multi = 0; multi < 2; multi++) {
                cp_view *v = NULL;
                cp_error err;
                cr_assert_eq(cp_view_from_edges(&v, n, m, src, dst, NULL, NULL, (cp_direction)d,
                                                (cp_multi)multi, &err),
                             CP_OK);
                char what[96];
                int64_t ks[] = {0, 1, n / 2, n, below(&s, n + 1)};
                for (int j = 0; j < 5; j++) {
                    snprintf(what, sizeof what, "graph %d (n %d, m %ld), dir %d, multi %d, k %ld",
                             g, n, (long)m, d, multi, (long)ks[j]);
                    check_brute(v, perm, ks[j], what);
                    checked++;
                }
                cp_view_free(&v);
            }
        }
        free(src);
        free(dst);
        free(perm);
    }
    cr_assert_eq(checked, 40 * 6 * 5);
}

/* ---- graph-tool fixtures ---- */

static void check_fixture(const cp_fixture *f) {
    cp_view *v = cp_fixture_view(f);
    int32_t n = f->n;
    int orders = 0;
    for (int key = 0; key < f->n_keys; key++) {
        if (strncmp(f->keys[key], "order_", 6) != 0) {
            continue;
        }
        const char *tag = f->keys[key] + 6;
        char lkey[80];
        snprintf(lkey, sizeof lkey, "largest_%s", tag);
        int64_t k = f->counts[key], c = 0;
        const double *largest = cp_fixture_get(f, lkey, &c);
        cr_assert(largest != NULL && c == k + 1, "%s: '%s' missing or of the wrong length", f->name,
                  lkey);
        int32_t *order = malloc(sizeof(int32_t) * ((size_t)k + 1));
        for (int64_t i = 0; i < k; i++) {
            order[i] = (int32_t)f->vals[key][i];
        }
        double *lcc = malloc(sizeof(double) * (size_t)(k + 1));
        cp_error err;
        cr_assert_eq(cp_percolation_curve(lcc, v, order, k, &err), CP_OK, "%s: %s", f->name,
                     err.msg);
        for (int64_t i = 0; i <= k; i++) {
            double expect = n > 0 ? largest[i] / (double)n : 0.0;
            cr_assert_eq(lcc[i], expect, "%s, order %s: lcc[%ld] = %.17g, graph-tool %.17g",
                         f->name, tag, (long)i, lcc[i], expect);
        }
        check_brute(v, order, k, f->name);
        free(order);
        free(lcc);
        orders++;
    }
    cr_assert_geq(orders, 8, "%s: only %d orders", f->name, orders);
    cp_view_free(&v);
}

Test(oracle, graph_tool_fixtures) {
    int ran = cp_fixture_each("percolation", true, check_fixture);
    cr_assert_geq(ran, 7, "only %d fixtures found", ran);
}
