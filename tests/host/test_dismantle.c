/* Collective influence and the CoreHD score (include/chokepoint/dismantle.h).
 *
 * Oracles: the fixtures in tests/fixtures/dismantle/ written by
 * tests/oracle/make_dismantle_fixtures.py (networkx 2.8: shortest-path lengths with a cutoff and
 * k_core on nx.Graph of the edges without self-loops; random graphs with self-loops, parallel and
 * both-way edges, isolated and removed nodes; directed and symmetric views, multi keep and
 * collapse); hand-checked tiny graphs. Every score is an integer: all comparisons are exact. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include <omp.h>

#include "alloc.h"
#include "chokepoint/dismantle.h"
#include "chokepoint/view.h"
#include "cp_fixture.h"
#include "cp_test.h"

/* ---- helpers ---- */

static cp_view *make_view(int32_t n, int64_t m, const int32_t *src, const int32_t *dst,
                          cp_direction dir, cp_multi multi) {
    cp_view *v = NULL;
    cp_error err;
    cr_assert_eq(cp_view_from_edges(&v, n, m, src, dst, NULL, NULL, dir, multi, &err), CP_OK, "%s",
                 err.msg);
    return v;
}

static void expect_exact(const char *what, const double *got, const double *exp, int32_t n) {
    for (int32_t x = 0; x < n; x++) {
        cr_assert_eq(got[x], exp[x], "%s[%d] = %.17g, expected %.17g", what, x, got[x], exp[x]);
    }
}

/* Runs both scores on the same edges as a stored, reversed and symmetric view, keep and collapse:
 * every reading must give the same values. */
static void check_all_views(const char *name, int32_t n, int64_t m, const int32_t *src,
                            const int32_t *dst, const uint8_t *removed, int radius,
                            const double *exp_ci, const double *exp_core) {
    static const cp_direction dirs[3] = {CP_DIR_STORED, CP_DIR_REVERSED, CP_DIR_SYMMETRIC};
    double *got = calloc((size_t)n + 1, sizeof *got);
    cp_error err;
    for (int d = 0; d < 3; d++) {
        for (int multi = 0; multi < 2; multi++) {
            cp_view *v = make_view(n, m, src, dst, dirs[d], (cp_multi)multi);
            if (exp_ci != NULL) {
                cr_assert_eq(cp_collective_influence(got, v, removed, radius, &err), CP_OK, "%s",
                             err.msg);
                expect_exact(name, got, exp_ci, n);
            }
            if (exp_core != NULL) {
                cr_assert_eq(cp_corehd_score(got, v, removed, &err), CP_OK, "%s", err.msg);
                expect_exact(name, got, exp_core, n);
            }
            cp_view_free(&v);
        }
    }
    free(got);
}

/* ---- hand-checked tiny graphs ---- */

/* A star, centre 0 and leaves 1..4: k_0 = 4, k_leaf = 1. CI_1(0) = 3 * (4 leaves x (1 - 1)) = 0;
 * the ball of radius 2 around the centre has an empty boundary, so CI_2(0) = 0; every leaf has
 * k - 1 = 0. All zero. No cycle: the 2-core is empty. */
Test(hand, star) {
    int32_t src[] = {0, 0, 2, 0}, dst[] = {1, 2, 0, 4};
    int32_t s2[] = {0, 0, 0, 0}, d2[] = {3, 3, 3, 3}; /* leaf 3 by a parallel edge */
    int32_t src8[8], dst8[8];
    memcpy(src8, src, sizeof src);
    memcpy(dst8, dst, sizeof dst);
    memcpy(src8 + 4, s2, sizeof s2);
    memcpy(dst8 + 4, d2, sizeof d2);
    double zero[5] = {0};
    for (int r = 1; r <= 3; r++) {
        check_all_views("star", 5, 8, src8, dst8, NULL, r, zero, zero);
    }
}

/* Two joined stars: 0 - 1, 0 with leaves 2, 3, 4, 1 with leaves 5, 6. k_0 = 4, k_1 = 3.
 * CI_1(0) = 3 * ((3 - 1) + 0 + 0 + 0) = 6, CI_1(1) = 2 * (4 - 1) = 6; at radius 2 the boundaries
 * are leaves only: 0. Leaves: 0. With a self-loop at 0 and 1 -> 0 stored as well. */
Test(hand, double_star) {
    int32_t src[] = {0, 0, 0, 0, 1, 1, 0, 1}, dst[] = {1, 2, 3, 4, 5, 6, 0, 0};
    double ci1[7] = {6, 6, 0, 0, 0, 0, 0}, zero[7] = {0};
    check_all_views("double_star ci1", 7, 8, src, dst, NULL, 1, ci1, zero);
    check_all_views("double_star ci2", 7, 8, src, dst, NULL, 2, zero, NULL);
    /* Removing leaf 2: k_0 = 3, CI_1(0) = 2 * 2 = 4, CI_1(1) = 2 * 2 = 4; node 2 scores 0. */
    uint8_t removed[7] = {0, 0, 1, 0, 0, 0, 0};
    double ci1r[7] = {4, 4, 0, 0, 0, 0, 0};
    check_all_views("double_star removed", 7, 8, src, dst, removed, 1, ci1r, zero);
}

/* A path 0 - 1 - 2 - 3 - 4: k = 1, 2, 2, 2, 1.
 * radius 1: CI(1) = 1 * ((1 - 1) + (2 - 1)) = 1, CI(2) = 1 * (1 + 1) = 2, CI(3) = 1; ends 0.
 * radius 2: CI(1) = 1 * (k_3 - 1) = 1, CI(2) = 1 * ((k_0 - 1) + (k_4 - 1)) = 0, CI(3) = 1.
 * radius 3: CI(1) = k_4 - 1 = 0, CI(2): empty boundary, 0; CI(3) = 0. radius 9: all 0. */
Test(hand, path) {
    int32_t src[] = {0, 2, 2, 4}, dst[] = {1, 1, 3, 3};
    double ci1[5] = {0, 1, 2, 1, 0}, ci2[5] = {0, 1, 0, 1, 0}, zero[5] = {0};
    check_all_views("path ci1", 5, 4, src, dst, NULL, 1, ci1, zero);
    check_all_views("path ci2", 5, 4, src, dst, NULL, 2, ci2, NULL);
    check_all_views("path ci3", 5, 4, src, dst, NULL, 3, zero, NULL);
    check_all_views("path ci9", 5, 4, src, dst, NULL, 9, zero, NULL);
}

/* A 4-cycle 0-1-2-3 with a chord 0-2 and a tail 3-4-5, plus a pendant 6 at 1 and an isolated 7.
 * The 2-core is {0, 1, 2, 3}: degrees within it 3, 2, 3, 2 (the pendant and tail peel away); the
 * rest 0. Parallel edges and both-way copies must not raise a degree. Removing 1 leaves the
 * triangle 0-2-3: 2 each. Removing 2 as well leaves no cycle: all 0. */
Test(hand, cycle_with_tail_corehd) {
    int32_t src[] = {0, 1, 2, 3, 0, 3, 4, 1, 2, 1, 5, 5},
            dst[] = {1, 2, 3, 0, 2, 4, 5, 6, 0, 0, 5, 4};
    double core[8] = {3, 2, 3, 2, 0, 0, 0, 0};
    check_all_views("cycle_tail", 8, 12, src, dst, NULL, 1, NULL, core);
    uint8_t rm1[8] = {0, 1, 0, 0, 0, 0, 0, 0};
    double core1[8] = {2, 0, 2, 2, 0, 0, 0, 0};
    check_all_views("cycle_tail removed 1", 8, 12, src, dst, rm1, 1, NULL, core1);
    uint8_t rm2[8] = {0, 1, 1, 0, 0, 0, 0, 0};
    double zero[8] = {0};
    check_all_views("cycle_tail removed 1, 2", 8, 12, src, dst, rm2, 1, NULL, zero);
}

/* A self-loop alone is not a cycle: a node with only a loop has degree 0. */
Test(hand, self_loop_only) {
    int32_t src[] = {0, 0, 1}, dst[] = {0, 0, 1};
    double zero[2] = {0};
    check_all_views("loops", 2, 3, src, dst, NULL, 1, zero, zero);
}

/* ---- networkx fixtures ---- */

static void check_fixture(const cp_fixture *f) {
    cp_view *v = cp_fixture_view(f);
    double *got = calloc((size_t)f->n + 1, sizeof *got);
    cp_error err;
    static const char *keys[3] = {"ci1", "ci2", "ci3"};
    for (int r = 1; r <= 3; r++) {
        int64_t c = 0;
        const double *exp = cp_fixture_get(f, keys[r - 1], &c);
        cr_assert(exp != NULL && c == f->n, "%s: no '%s'", f->name, keys[r - 1]);
        cr_assert_eq(cp_collective_influence(got, v, f->removed, r, &err), CP_OK, "%s", err.msg);
        for (int32_t x = 0; x < f->n; x++) {
            cr_assert_eq(got[x], exp[x], "%s: %s[%d] = %.17g, expected %.17g", f->name, keys[r - 1],
                         x, got[x], exp[x]);
        }
    }
    int64_t c = 0;
    const double *exp = cp_fixture_get(f, "corehd", &c);
    cr_assert(exp != NULL && c == f->n, "%s: no 'corehd'", f->name);
    cr_assert_eq(cp_corehd_score(got, v, f->removed, &err), CP_OK, "%s", err.msg);
    for (int32_t x = 0; x < f->n; x++) {
        cr_assert_eq(got[x], exp[x], "%s: corehd[%d] = %.17g, expected %.17g", f->name, x, got[x],
                     exp[x]);
    }
    free(got);
    cp_view_free(&v);
}

Test(oracle, random_graphs) {
    int ran = cp_fixture_each("dismantle", true, check_fixture);
    cr_assert_geq(ran, 10, "only %d fixtures found", ran);
}

/* ---- determinism across thread counts (a graph large enough to run in parallel) ---- */

Test(determinism, thread_counts) {
    int32_t n = 6000;
    int64_t m = 15000;
    int32_t *src = malloc((size_t)m * sizeof *src), *dst = malloc((size_t)m * sizeof *dst);
    uint64_t s = 12345;
    for (int64_t e = 0; e < m; e++) {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        src[e] = (int32_t)((s >> 33) % (uint64_t)n);
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        dst[e] = (int32_t)(e % 5 == 0 ? (s >> 33) % 20 : (s >> 33) % (uint64_t)n);
    }
    uint8_t *removed = calloc((size_t)n, 1);
    for (int32_t x = 0; x < n; x += 37) {
        removed[x] = 1;
    }
    cp_view *v = make_view(n, m, src, dst, CP_DIR_STORED, CP_MULTI_KEEP);
    double *a = calloc((size_t)n, sizeof *a), *b = calloc((size_t)n, sizeof *b);
    cp_error err;
    int saved = omp_get_max_threads();
    omp_set_num_threads(1);
    cr_assert_eq(cp_collective_influence(a, v, removed, 2, &err), CP_OK, "%s", err.msg);
    omp_set_num_threads(4);
    cr_assert_eq(cp_collective_influence(b, v, removed, 2, &err), CP_OK, "%s", err.msg);
    omp_set_num_threads(saved);
    cr_assert(memcmp(a, b, (size_t)n * sizeof *a) == 0, "CI differs between 1 and 4 threads");
    double total = 0.0;
    for (int32_t x = 0; x < n; x++) {
        cr_assert(a[x] >= 0.0);
        total += a[x];
        if (removed[x]) {
            cr_assert_eq(a[x], 0.0);
        }
    }
    cr_assert_gt(total, 0.0);
    free(a);
    free(b);
    free(removed);
    free(src);
    free(dst);
    cp_view_free(&v);
}

/* ---- error paths ---- */

Test(errors, invalid_arguments) {
    int32_t src[] = {0, 1}, dst[] = {1, 2};
    cp_view *v = make_view(3, 2, src, dst, CP_DIR_STORED, CP_MULTI_KEEP);
    double out[3] = {7, 7, 7};
    cp_error err;
    cr_assert_eq(cp_collective_influence(out, NULL, NULL, 2, &err), CP_E_INVALID);
    cr_assert_eq(err.status, CP_E_INVALID);
    cr_assert(strstr(err.msg, "view") != NULL, "%s", err.msg);
    cr_assert_eq(cp_collective_influence(NULL, v, NULL, 2, &err), CP_E_INVALID);
    cr_assert(strstr(err.msg, "output") != NULL, "%s", err.msg);
    cr_assert_eq(cp_collective_influence(out, v, NULL, 0, &err), CP_E_INVALID);
    cr_assert(strstr(err.msg, "radius 0") != NULL, "%s", err.msg);
    cr_assert_eq(cp_collective_influence(out, v, NULL, -3, NULL), CP_E_INVALID);
    cr_assert_eq(cp_corehd_score(out, NULL, NULL, &err), CP_E_INVALID);
    cr_assert(strstr(err.msg, "view") != NULL, "%s", err.msg);
    cr_assert_eq(cp_corehd_score(NULL, v, NULL, &err), CP_E_INVALID);
    cr_assert(strstr(err.msg, "output") != NULL, "%s", err.msg);
    /* Valid calls with err = NULL. */
    cr_assert_eq(cp_collective_influence(out, v, NULL, 1, NULL), CP_OK);
    cr_assert_eq(out[1], 0.0); /* k_1 = 2, boundary 0 and 2 with k = 1 */
    cr_assert_eq(cp_corehd_score(out, v, NULL, NULL), CP_OK);
    cp_view_free(&v);
}

Test(errors, empty_view) {
    cp_view *v = make_view(0, 0, NULL, NULL, CP_DIR_SYMMETRIC, CP_MULTI_KEEP);
    cp_error err;
    cr_assert_eq(cp_collective_influence(NULL, v, NULL, 2, &err), CP_OK, "%s", err.msg);
    cr_assert_eq(cp_corehd_score(NULL, v, NULL, &err), CP_OK, "%s", err.msg);
    cr_assert_eq(cp_collective_influence(NULL, v, NULL, 0, &err), CP_E_INVALID);
    cp_view_free(&v);
}

/* Every allocation in turn fails: the status is CP_E_NOMEM (output all 0) until enough succeed,
 * and ASan sees no leak. */
Test(errors, allocation_failures) {
    int32_t src[] = {0, 1, 2, 3, 0, 3, 4}, dst[] = {1, 2, 3, 0, 2, 4, 5};
    cp_view *v = make_view(6, 7, src, dst, CP_DIR_STORED, CP_MULTI_KEEP);
    double out[6];
    cp_error err;
    for (int fn = 0; fn < 2; fn++) {
        bool ok = false;
        int failures = 0;
        for (long k = 0; k < 20 && !ok; k++) {
            for (int x = 0; x < 6; x++) {
                out[x] = 7.0;
            }
            cp__alloc_fail_after(k);
            cp_status st = fn == 0 ? cp_collective_influence(out, v, NULL, 2, &err)
                                   : cp_corehd_score(out, v, NULL, &err);
            cp__alloc_fail_after(-1);
            cr_assert(st == CP_OK || st == CP_E_NOMEM, "function %d, failure %ld: %d", fn, k, st);
            if (st == CP_E_NOMEM) {
                failures++;
                cr_assert_eq(err.status, CP_E_NOMEM);
                for (int x = 0; x < 6; x++) {
                    cr_assert_eq(out[x], 0.0);
                }
            }
            ok = st == CP_OK;
        }
        cr_assert(ok, "function %d never succeeded", fn);
        cr_assert_geq(failures, 3, "function %d: only %d injected failures", fn, failures);
    }
    cp_view_free(&v);
}
