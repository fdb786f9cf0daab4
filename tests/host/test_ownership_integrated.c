/* Tests of integrated ownership through chains and ultimate owners (include/chokepoint/ownership.h,
 * host/ownership_integrated.c): U = W + W^2 + ... = (I - W)^-1 W (Vitali, Glattfelder and
 * Battiston 2011).
 *
 * 1. Hand-worked structures: a chain (A 60% of B, B 60% of C gives A 36% of C), a cross-holding
 *    cycle (closed forms with the geometric series worked out below), parallel edges, self-loops,
 *    zero shares, percent units, isolated nodes, and the depth bound.
 * 2. Divergence: a 100%/100% cycle (spectral radius 1) is detected before iterating, its members
 *    and everything it owns are flagged, and the call returns CP_W_NOT_CONVERGED instead of
 *    looping; with a depth bound the truncated sums are hand-checked. A cycle with shares past
 *    100% into one member but radius < 1 converges; one with radius > 1 stops at max_terms.
 * 3. Random graphs against the independent oracle tests/oracle/make_integrated_fixtures.py (numpy:
 *    a dense solve of (I - W) U = W, or explicit matrix powers for a depth bound): every element of
 *    every requested column, zeros included. A larger random graph on 1, 2 and 4 threads must give
 *    bit-identical results.
 * 4. Ultimate owners: thresholds, top-only vs all, persons, the target itself excluded.
 * 5. Error paths with their exact statuses, n = 0, and every allocation failing in turn.
 *
 * Edges point from the owner to the owned entity: {A, B, 0.6} = A holds 60% of B. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <dirent.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "chokepoint/ownership.h"
#include "cp_test.h"
#include "graph_impl.h"

typedef struct edge {
    int32_t src, dst;
    double w;
} edge;

/* A graph of n nodes (ids 0..n-1) with one "ownership" layer (share, units). kinds may be NULL. */
static cp_graph *own_graph(int32_t n, int64_t m, const edge *e, const char *units,
                           const uint8_t *kinds) {
    cp_graph *g = NULL;
    cp_error err;
    int own = -1;
    cr_assert_eq(cp_graph_new(&g, &err), CP_OK);
    cr_assert_eq(cp__graph_alloc_nodes(g, n, true, &err), CP_OK, "%s", err.msg);
    cr_assert_eq(cp__graph_alloc_edges(g, m, false, &err), CP_OK, "%s", err.msg);
    cr_assert_eq(cp__graph_add_layer(g, "ownership", CP_MEANING_SHARE, units, true, &own, &err),
                 CP_OK, "%s", err.msg);
    for (int32_t i = 0; i < n; i++) {
        g->ids_int[i] = i;
        g->kind[i] = kinds != NULL ? kinds[i] : CP_KIND_COMPANY;
    }
    for (int64_t i = 0; i < m; i++) {
        g->src[i] = e[i].src;
        g->dst[i] = e[i].dst;
        g->weight[i] = e[i].w;
        g->layer[i] = (uint8_t)own;
    }
    cr_assert_eq(cp__graph_finalize(g, &err), CP_OK, "%s", err.msg);
    return g;
}

static cp_integrated_params params(int32_t depth, double tol) {
    cp_integrated_params p;
    cr_assert_eq(cp_integrated_params_init(&p), CP_OK);
    p.max_depth = depth;
    p.tolerance = tol;
    return p;
}

/* Every column, full series, tolerance 1e-15. Asserts the status. */
static cp_integrated_result *integrate(const cp_graph *g, int32_t depth, cp_status want) {
    cp_integrated_result *r = NULL;
    cp_error err;
    cp_integrated_params p = params(depth, 1e-15);
    cp_status s = cp_ownership_integrated(&r, g, 0, NULL, 0, &p, &err);
    cr_assert_eq(s, want, "cp_ownership_integrated: %s (%s)", cp_status_name(s), err.msg);
    cr_assert_not_null(r);
    return r;
}

/* U[owner][target] from a result (0 when absent); asserts each column's owners ascending and every
 * stored share positive. */
static double entry(const cp_integrated_result *r, int32_t owner, int32_t target) {
    for (int32_t i = 0; i < r->n_targets; i++) {
        if (r->targets[i] != target) {
            continue;
        }
        double v = 0.0;
        for (int64_t q = r->offsets[i]; q < r->offsets[i + 1]; q++) {
            cr_assert(r->share[q] > 0.0);
            if (q > r->offsets[i]) {
                cr_assert_lt(r->owners[q - 1], r->owners[q], "owners not ascending");
            }
            if (r->owners[q] == owner) {
                v = r->share[q];
            }
        }
        return v;
    }
    cr_assert_fail("target %d not in the result", target);
    return NAN;
}

static int32_t target_pos(const cp_integrated_result *r, int32_t t) {
    for (int32_t i = 0; i < r->n_targets; i++) {
        if (r->targets[i] == t) {
            return i;
        }
    }
    cr_assert_fail("target %d not in the result", t);
    return -1;
}

#define EXPECT(r, o, t, val)                                                                       \
    cr_assert(cp_test_close(entry(r, o, t), (val), 1e-14, 1e-12),                                  \
              "U[%d][%d] = %.17g, expected %.17g", (int)(o), (int)(t), entry(r, o, t),             \
              (double)(val))

/* ---------------------------------------------------------------------------------------------
 * 1. Hand-worked structures
 * ------------------------------------------------------------------------------------------- */

Test(integrated, chain_multiplies_down) {
    /* A 60% of B, B 60% of C: U[A][C] = 0.6 * 0.6 = 0.36; U[B][C] = 0.6; U[A][B] = 0.6. */
    enum { A, B, C, N_ };
    const edge e[] = {{A, B, 0.6}, {B, C, 0.6}};
    cp_graph *g = own_graph(N_, 2, e, "fraction", NULL);
    cp_integrated_result *r = integrate(g, 0, CP_OK);
    cr_assert_eq(r->n_targets, 3);
    EXPECT(r, A, C, 0.36);
    EXPECT(r, B, C, 0.6);
    EXPECT(r, A, B, 0.6);
    EXPECT(r, C, C, 0.0);
    EXPECT(r, C, A, 0.0);
    cr_assert_eq(r->offsets[3], 3, "exactly three positive entries");
    for (int32_t i = 0; i < 3; i++) {
        cr_assert_eq(r->state[i], CP_INTEGRATED_CONVERGED);
    }
    /* Column C: term 1 {B}, term 2 {A}, term 3 empty. */
    cr_assert_eq(r->terms[target_pos(r, C)], 3);
    cr_assert_eq(r->last_mass[target_pos(r, C)], 0.0);
    cp_integrated_result_free(&r);

    /* Depth 1: direct shares only; C is then stopped by the depth with A's 36% left out. */
    r = integrate(g, 1, CP_OK);
    EXPECT(r, A, C, 0.0);
    EXPECT(r, B, C, 0.6);
    cr_assert_eq(r->state[target_pos(r, C)], CP_INTEGRATED_DEPTH);
    cr_assert_eq(r->state[target_pos(r, A)], CP_INTEGRATED_CONVERGED, "A has no owner");
    cp_integrated_result_free(&r);
    cp_graph_free(&g);
}

Test(integrated, cross_holding_cycle_closed_form) {
    /* A 30% of B, B 20% of A, X 50% of A. Every chain into A goes round the A-B loop (ratio
     * 0.3 * 0.2 = 0.06) any number of times: with s = 1 / (1 - 0.06) = 1 / 0.94,
     *   U[X][A] = 0.5 s, U[B][A] = 0.2 s, U[A][A] = 0.06 s (A's share of itself through B),
     *   U[A][B] = 0.3 s, U[X][B] = 0.5 * 0.3 s, U[B][B] = 0.06 s. */
    enum { A, B, X, N_ };
    const edge e[] = {{A, B, 0.3}, {B, A, 0.2}, {X, A, 0.5}};
    cp_graph *g = own_graph(N_, 3, e, "fraction", NULL);
    cp_integrated_result *r = integrate(g, 0, CP_OK);
    const double s = 1.0 / 0.94;
    EXPECT(r, X, A, 0.5 * s);
    EXPECT(r, B, A, 0.2 * s);
    EXPECT(r, A, A, 0.06 * s);
    EXPECT(r, A, B, 0.3 * s);
    EXPECT(r, X, B, 0.15 * s);
    EXPECT(r, B, B, 0.06 * s);
    EXPECT(r, A, X, 0.0);
    cr_assert_eq(r->state[target_pos(r, A)], CP_INTEGRATED_CONVERGED);
    cr_assert_eq(r->diverging_node, -1);
    cp_integrated_result_free(&r);
    cp_graph_free(&g);
}

Test(integrated, parallel_edges_self_loops_zero_shares_percent_isolated) {
    /* In percent: A holds 30% + 30% of B (parallel edges add to 60%), B holds 50% of C, B holds
     * 90% of itself (ignored), D holds 0% of C (ignored: no entry), E is isolated. U[A][C] =
     * 0.6 * 0.5 = 0.3. */
    enum { A, B, C, D, E, N_ };
    const edge e[] = {{A, B, 30}, {B, C, 50}, {A, B, 30}, {B, B, 90}, {D, C, 0}};
    cp_graph *g = own_graph(N_, 5, e, "percent", NULL);
    cp_integrated_result *r = integrate(g, 0, CP_OK);
    EXPECT(r, A, B, 0.6);
    EXPECT(r, A, C, 0.3);
    EXPECT(r, B, C, 0.5);
    EXPECT(r, B, B, 0.0);
    cr_assert_eq(r->offsets[target_pos(r, C) + 1] - r->offsets[target_pos(r, C)], 2,
                 "D's zero share is not an entry");
    cr_assert_eq(r->offsets[target_pos(r, E) + 1], r->offsets[target_pos(r, E)]);
    cr_assert_eq(r->state[target_pos(r, E)], CP_INTEGRATED_CONVERGED);
    cp_integrated_result_free(&r);
    cp_graph_free(&g);
}

Test(integrated, subset_of_targets) {
    enum { A, B, C, D, N_ };
    const edge e[] = {{A, B, 0.5}, {B, C, 0.5}, {C, D, 0.5}, {A, D, 0.1}};
    cp_graph *g = own_graph(N_, 4, e, "fraction", NULL);
    const int32_t t[] = {B, D};
    cp_integrated_params p = params(0, 0.0);
    cp_integrated_result *r = NULL;
    cp_error err;
    cr_assert_eq(cp_ownership_integrated(&r, g, 0, t, 2, &p, &err), CP_OK, "%s", err.msg);
    cr_assert_eq(r->n_targets, 2);
    cr_assert_eq(r->targets[0], B);
    cr_assert_eq(r->targets[1], D);
    EXPECT(r, A, D, 0.125 + 0.1);
    EXPECT(r, B, D, 0.25);
    EXPECT(r, C, D, 0.5);
    EXPECT(r, A, B, 0.5);
    cp_integrated_result_free(&r);
    /* Depth 2 on D: C 0.5, B 0.25, A 0.1 (the 3-link chain A-B-C-D left out). */
    p.max_depth = 2;
    cr_assert_eq(cp_ownership_integrated(&r, g, 0, t, 2, &p, &err), CP_OK, "%s", err.msg);
    EXPECT(r, A, D, 0.1);
    EXPECT(r, B, D, 0.25);
    cr_assert_eq(r->state[1], CP_INTEGRATED_DEPTH);
    cr_assert_eq(r->terms[1], 2);
    cp_integrated_result_free(&r);
    cp_graph_free(&g);
}

/* ---------------------------------------------------------------------------------------------
 * 2. Divergence
 * ------------------------------------------------------------------------------------------- */

Test(integrated, full_cycle_diverges_and_is_flagged) {
    /* A 100% of B, B 100% of A (radius 1), B 40% of C: A, B and C diverge. D 50% of E converges;
     * F is isolated. */
    enum { A, B, C, D, E, F, N_ };
    const edge e[] = {{A, B, 1.0}, {B, A, 1.0}, {B, C, 0.4}, {D, E, 0.5}};
    cp_graph *g = own_graph(N_, 4, e, "fraction", NULL);
    cp_integrated_result *r = NULL;
    cp_error err;
    cp_integrated_params p = params(0, 1e-12);
    cr_assert_eq(cp_ownership_integrated(&r, g, 0, NULL, 0, &p, &err), CP_W_NOT_CONVERGED);
    cr_assert_not_null(r);
    cr_assert_not_null(strstr(err.msg, "diverges"), "%s", err.msg);
    cr_assert_eq(r->n_diverging, 3);
    cr_assert_eq(r->diverging_node, A);
    for (int32_t v = A; v <= C; v++) {
        cr_assert_eq(r->state[v], CP_INTEGRATED_DIVERGES, "node %d", v);
        cr_assert_eq(r->offsets[v + 1], r->offsets[v], "diverging column %d left empty", v);
    }
    cr_assert_eq(r->state[E], CP_INTEGRATED_CONVERGED);
    EXPECT(r, D, E, 0.5);
    cp_integrated_result_free(&r);

    /* Depth 3: the truncated sums. Column C: term 1 B 0.4, term 2 A 0.4, term 3 B 0.4: B 0.8,
     * A 0.4. Column A: B 1, A 1, B 1: B 2, A 1. Status OK: a depth-bounded sum is finite. */
    p.max_depth = 3;
    cr_assert_eq(cp_ownership_integrated(&r, g, 0, NULL, 0, &p, &err), CP_OK, "%s", err.msg);
    EXPECT(r, B, C, 0.8);
    EXPECT(r, A, C, 0.4);
    EXPECT(r, B, A, 2.0);
    EXPECT(r, A, A, 1.0);
    cr_assert_eq(r->state[C], CP_INTEGRATED_DIVERGES);
    cr_assert_eq(r->terms[C], 3);
    cp_integrated_result_free(&r);
    cp_graph_free(&g);
}

Test(integrated, cycle_past_one_hundred_percent_with_radius_below_one_converges) {
    /* A 150% of B (bad data, but allowed up to 1e12 ppm), B 50% of A: the in-cycle sums 1.5 and
     * 0.5 leave the radius undecided by the bounds; sqrt(0.75) < 1, so the series converges:
     * U[A][A] = 0.75 / (1 - 0.75) = 3, U[B][A] = 0.5 / 0.25 = 2, U[A][B] = 1.5 / 0.25 = 6. */
    enum { A, B, N_ };
    const edge e[] = {{A, B, 1.5}, {B, A, 0.5}};
    cp_graph *g = own_graph(N_, 2, e, "fraction", NULL);
    cp_integrated_result *r = integrate(g, 0, CP_OK);
    cr_assert_eq(r->n_diverging, 0);
    EXPECT(r, A, A, 3.0);
    EXPECT(r, B, A, 2.0);
    EXPECT(r, A, B, 6.0);
    cp_integrated_result_free(&r);
    cp_graph_free(&g);

    /* A 300% of B, B 50% of A: radius sqrt(1.5) > 1. The bounds cannot tell, so the iteration
     * runs to max_terms and says so. */
    const edge e2[] = {{A, B, 3.0}, {B, A, 0.5}};
    g = own_graph(N_, 2, e2, "fraction", NULL);
    cp_integrated_params p = params(0, 1e-12);
    p.max_terms = 50;
    cp_error err;
    cr_assert_eq(cp_ownership_integrated(&r, g, 0, NULL, 0, &p, &err), CP_W_NOT_CONVERGED);
    cr_assert_eq(r->n_not_converged, 2);
    cr_assert_eq(r->state[A], CP_INTEGRATED_NOT_CONVERGED);
    cr_assert_eq(r->terms[A], 50);
    cr_assert_not_null(strstr(err.msg, "50 terms"), "%s", err.msg);
    cp_integrated_result_free(&r);
    cp_graph_free(&g);
}

Test(integrated, cycle_of_three_at_exactly_one_hundred_percent_diverges) {
    /* A -> B -> C -> A, each 100%, plus D 20% of A: the in-cycle sums are all exactly 1e6 ppm.
     * D is upstream, not downstream: D's own column converges (it has no owner). */
    enum { A, B, C, D, N_ };
    const edge e[] = {{A, B, 1.0}, {B, C, 1.0}, {C, A, 1.0}, {D, A, 0.2}};
    cp_graph *g = own_graph(N_, 4, e, "fraction", NULL);
    cp_integrated_result *r = integrate(g, 0, CP_W_NOT_CONVERGED);
    cr_assert_eq(r->n_diverging, 3);
    cr_assert_eq(r->state[D], CP_INTEGRATED_CONVERGED);
    cp_integrated_result_free(&r);
    /* 99% on one link: radius 0.99^(1/3) < 1, converges (slowly: the loop's ratio is 0.99, so
     * about 6200 terms reach the tolerance). Column A: C, B and A each hold 0.99 / (1 - 0.99) =
     * 99 (every chain ends with the 99% link, then loops), D holds 0.2 / 0.01 = 20. */
    g->weight[2] = 0.99;
    cp_integrated_params p = params(0, 1e-9);
    cp_error err;
    cr_assert_eq(cp_ownership_integrated(&r, g, 0, NULL, 0, &p, &err), CP_OK, "%s", err.msg);
    cr_assert_eq(r->n_diverging, 0);
    cr_assert_eq(r->state[A], CP_INTEGRATED_CONVERGED);
    cr_assert_gt(r->terms[A], 3000);
    for (int32_t o = A; o <= C; o++) {
        cr_assert(cp_test_close(entry(r, o, A), 99.0, 0.0, 1e-6), "U[%d][A] = %.17g", o,
                  entry(r, o, A));
    }
    cr_assert(cp_test_close(entry(r, D, A), 20.0, 0.0, 1e-6), "U[D][A] = %.17g", entry(r, D, A));
    cp_integrated_result_free(&r);
    cp_graph_free(&g);
}

/* ---------------------------------------------------------------------------------------------
 * 3. Oracle fixtures
 * ------------------------------------------------------------------------------------------- */

typedef struct fixture {
    char units[32];
    int32_t n;
    int64_t m;
    edge *e;
    int32_t *targets; /* NULL: all */
    int64_t n_targets;
    int32_t depth;
    int64_t n_u;
    int32_t *uo, *ut;
    double *uv;
} fixture;

static void fixture_read(fixture *f, const char *path) {
    memset(f, 0, sizeof *f);
    FILE *fp = fopen(path, "r");
    cr_assert_not_null(fp, "%s", path);
    char line[65536];
    int64_t ne = 0, cap_u = 0;
    while (fgets(line, sizeof line, fp) != NULL) {
        if (line[0] == '#' || line[0] == '\n') {
            continue;
        }
        if (strncmp(line, "units ", 6) == 0) {
            cr_assert_eq(sscanf(line + 6, "%31s", f->units), 1);
        } else if (strncmp(line, "nodes ", 6) == 0) {
            long long m;
            cr_assert_eq(sscanf(line, "nodes %d edges %lld", &f->n, &m), 2);
            f->m = m;
            f->e = calloc((size_t)m + 1, sizeof *f->e);
        } else if (line[0] == 'e' && line[1] == ' ') {
            cr_assert_lt(ne, f->m);
            cr_assert_eq(sscanf(line, "e %d %d %lf", &f->e[ne].src, &f->e[ne].dst, &f->e[ne].w), 3);
            ne++;
        } else if (strncmp(line, "targets ", 8) == 0) {
            char *p = line + 8;
            long k = strtol(p, &p, 10);
            f->n_targets = k;
            if (k >= 0) {
                f->targets = calloc((size_t)k + 1, sizeof *f->targets);
                for (long i = 0; i < k; i++) {
                    f->targets[i] = (int32_t)strtol(p, &p, 10);
                }
            }
        } else if (strncmp(line, "depth ", 6) == 0) {
            f->depth = atoi(line + 6);
        } else if (line[0] == 'u' && line[1] == ' ') {
            if (f->n_u == cap_u) {
                cap_u = cap_u ? 2 * cap_u : 1024;
                f->uo = realloc(f->uo, (size_t)cap_u * sizeof *f->uo);
                f->ut = realloc(f->ut, (size_t)cap_u * sizeof *f->ut);
                f->uv = realloc(f->uv, (size_t)cap_u * sizeof *f->uv);
            }
            cr_assert_eq(
                sscanf(line, "u %d %d %lf", &f->uo[f->n_u], &f->ut[f->n_u], &f->uv[f->n_u]), 3);
            f->n_u++;
        }
    }
    fclose(fp);
    cr_assert_eq(ne, f->m, "%s: edge count", path);
}

static void fixture_free(fixture *f) {
    free(f->e);
    free(f->targets);
    free(f->uo);
    free(f->ut);
    free(f->uv);
}

Test(integrated, oracle_fixtures) {
    const char *dir_path = cp_test_source("tests/fixtures/ownership");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", dir_path);
    DIR *d = opendir(dir);
    cr_assert_not_null(d, "%s", dir);
    struct dirent *de;
    int nf = 0, with_depth = 0;
    int64_t compared = 0;
    while ((de = readdir(d)) != NULL) {
        if (strncmp(de->d_name, "integrated_", 11) != 0) {
            continue;
        }
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        fixture f;
        fixture_read(&f, path);
        cp_graph *g = own_graph(f.n, f.m, f.e, f.units, NULL);
        cp_integrated_params p = params(f.depth, 1e-15);
        p.max_terms = 100000;
        cp_integrated_result *r = NULL;
        cp_error err;
        cp_status s = cp_ownership_integrated(&r, g, 0, f.targets, f.n_targets, &p, &err);
        cr_assert_eq(s, CP_OK, "%s: %s", path, err.msg);
        cr_assert_eq(r->n_targets, f.targets != NULL ? f.n_targets : f.n, "%s", path);
        cr_assert_eq(f.n_u, (int64_t)r->n_targets * f.n, "%s: the oracle lists every element",
                     path);
        for (int64_t k = 0; k < f.n_u; k++) {
            double got = entry(r, f.uo[k], f.ut[k]);
            cr_assert(cp_test_close(got, f.uv[k], 1e-12, 1e-9),
                      "%s: U[%d][%d] = %.17g, oracle %.17g", path, f.uo[k], f.ut[k], got, f.uv[k]);
            compared++;
        }
        for (int32_t i = 0; i < r->n_targets; i++) {
            cr_assert(r->state[i] ==
                              (f.depth > 0 ? CP_INTEGRATED_DEPTH : CP_INTEGRATED_CONVERGED) ||
                          r->state[i] == CP_INTEGRATED_CONVERGED,
                      "%s: state %d", path, r->state[i]);
        }
        with_depth += f.depth > 0;
        cp_integrated_result_free(&r);
        cp_graph_free(&g);
        fixture_free(&f);
        nf++;
    }
    closedir(d);
    cr_assert_geq(nf, 10, "expected at least 10 integrated fixtures in %s, found %d", dir, nf);
    cr_assert_geq(with_depth, 3);
    cr_log_info("integrated: %d fixtures, %lld elements compared", nf, (long long)compared);
}

Test(integrated, thread_count_independent) {
    const int32_t n = 3000;
    const int m = 12000;
    edge *e = calloc((size_t)m, sizeof *e);
    uint64_t state = 2011;
    for (int i = 0; i < m; i++) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        uint32_t x = (uint32_t)(state >> 32);
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        uint32_t y = (uint32_t)(state >> 32);
        /* Shares of at most 24%, about 4 owners per entity: column sums mostly below 100%, with
         * cycles throughout. */
        e[i] = (edge){(int32_t)(x % (uint32_t)n), (int32_t)(y % (uint32_t)n),
                      (double)((x >> 8) % 240 + 1) / 1000.0};
    }
    cp_graph *g = own_graph(n, m, e, "fraction", NULL);
    cp_integrated_params p = params(6, 0.0);
    cp_integrated_result *r[3] = {NULL, NULL, NULL};
    const int threads[3] = {1, 2, 4};
    for (int t = 0; t < 3; t++) {
        omp_set_num_threads(threads[t]);
        cp_error err;
        cp_status s = cp_ownership_integrated(&r[t], g, 0, NULL, 0, &p, &err);
        cr_assert(s == CP_OK, "%s", err.msg);
    }
    cr_assert_gt(r[0]->offsets[n], 10 * n, "the chains reach far");
    for (int t = 1; t < 3; t++) {
        cr_assert_eq(r[t]->offsets[n], r[0]->offsets[n]);
        for (int32_t i = 0; i <= n; i++) {
            cr_assert_eq(r[t]->offsets[i], r[0]->offsets[i]);
        }
        cr_assert(memcmp(r[t]->owners, r[0]->owners,
                         (size_t)r[0]->offsets[n] * sizeof *r[0]->owners) == 0);
        cr_assert(
            memcmp(r[t]->share, r[0]->share, (size_t)r[0]->offsets[n] * sizeof *r[0]->share) == 0,
            "%d threads: shares differ in some bit", threads[t]);
        cr_assert(memcmp(r[t]->state, r[0]->state, (size_t)n) == 0);
    }
    for (int t = 0; t < 3; t++) {
        cp_integrated_result_free(&r[t]);
    }
    cp_graph_free(&g);
    free(e);
}

/* ---------------------------------------------------------------------------------------------
 * 4. Ultimate owners
 * ------------------------------------------------------------------------------------------- */

static cp_ultimate_result *ultimate(const cp_integrated_result *ir, const cp_graph *g, double thr,
                                    int mode) {
    cp_ultimate_result *u = NULL;
    cp_error err;
    cr_assert_eq(cp_ownership_ultimate(&u, ir, g, 0, thr, mode, &err), CP_OK, "%s", err.msg);
    cr_assert_not_null(u);
    cr_assert_eq(u->n_targets, ir->n_targets);
    return u;
}

/* The owners of target position i as a string "a:share b:share". */
static const char *owners_of(const cp_ultimate_result *u, int32_t i) {
    static char buf[512];
    buf[0] = '\0';
    for (int64_t q = u->offsets[i]; q < u->offsets[i + 1]; q++) {
        char one[64];
        snprintf(one, sizeof one, "%s%d:%.4f", q > u->offsets[i] ? " " : "", u->owners[q],
                 u->share[q]);
        strncat(buf, one, sizeof buf - strlen(buf) - 1);
    }
    return buf;
}

Test(integrated, ultimate_owners_chain_and_thresholds) {
    /* P (a person) 60% of B, B 60% of C, Q (company, no owner) 30% of C; R (person) owned 40%
     * by S (company) holds 50% of D. */
    enum { P, B, C, Q, R, S, D, N_ };
    const uint8_t kinds[N_] = {
        [P] = CP_KIND_PERSON, [B] = CP_KIND_COMPANY, [C] = CP_KIND_COMPANY, [Q] = CP_KIND_COMPANY,
        [R] = CP_KIND_PERSON, [S] = CP_KIND_COMPANY, [D] = CP_KIND_COMPANY};
    const edge e[] = {{P, B, 0.6}, {B, C, 0.6}, {Q, C, 0.3}, {S, R, 0.4}, {R, D, 0.5}};
    cp_graph *g = own_graph(N_, 5, e, "fraction", kinds);
    cp_integrated_result *r = integrate(g, 0, CP_OK);

    cp_ultimate_result *u = ultimate(r, g, 0.25, CP_ULTIMATE_TOP);
    cr_assert_str_eq(owners_of(u, C), "0:0.3600 3:0.3000", "C top at 25%%: P 36%%, Q 30%%");
    cr_assert_str_eq(owners_of(u, D), "4:0.5000", "R is a person: top although owned");
    cr_assert_str_eq(owners_of(u, B), "0:0.6000");
    cr_assert_str_eq(owners_of(u, P), "");
    cp_ultimate_result_free(&u);

    u = ultimate(r, g, 0.25, CP_ULTIMATE_ALL);
    cr_assert_str_eq(owners_of(u, C), "0:0.3600 1:0.6000 3:0.3000");
    cr_assert_str_eq(owners_of(u, D), "4:0.5000", "S holds 20%% of D: below");
    cp_ultimate_result_free(&u);

    u = ultimate(r, g, 0.5, CP_ULTIMATE_TOP);
    cr_assert_str_eq(owners_of(u, C), "", "nobody at the top holds 50%% of C");
    cp_ultimate_result_free(&u);
    u = ultimate(r, g, 0.5, CP_ULTIMATE_ALL);
    cr_assert_str_eq(owners_of(u, C), "1:0.6000");
    cp_ultimate_result_free(&u);

    /* 0.2 exactly: S's 0.4 * 0.5 = 0.2 counts (>= with the slack). */
    u = ultimate(r, g, 0.2, CP_ULTIMATE_TOP);
    cr_assert_str_eq(owners_of(u, D), "4:0.5000 5:0.2000");
    cp_ultimate_result_free(&u);

    cp_integrated_result_free(&r);
    cp_graph_free(&g);
}

Test(integrated, ultimate_owners_exclude_the_target_and_add_up_chains) {
    /* A cross-holding: A 50% of B, B 50% of A, plus P 50% of A. U[A][A] = 0.25 / 0.75 = 1/3 is
     * not an owner of A. P reaches B through A: U[P][B] = 0.5 * 0.5 / 0.75 = 1/3. Two chains
     * from Q (20% of X directly, and 100% of Y which holds 20% of X) make 40%. */
    enum { A, B, P, Q, X, Y, N_ };
    const edge e[] = {{A, B, 0.5}, {B, A, 0.5}, {P, A, 0.5}, {Q, X, 0.2}, {Q, Y, 1.0}, {Y, X, 0.2}};
    cp_graph *g = own_graph(N_, 6, e, "fraction", NULL);
    cp_integrated_result *r = integrate(g, 0, CP_OK);
    EXPECT(r, A, A, 1.0 / 3.0);
    cp_ultimate_result *u = ultimate(r, g, 0.3, CP_ULTIMATE_ALL);
    cr_assert_str_eq(owners_of(u, A), "1:0.6667 2:0.6667");
    cp_ultimate_result_free(&u);
    u = ultimate(r, g, 0.3, CP_ULTIMATE_TOP);
    cr_assert_str_eq(owners_of(u, A), "2:0.6667");
    cr_assert_str_eq(owners_of(u, B), "2:0.3333");
    cr_assert_str_eq(owners_of(u, X), "3:0.4000");
    cp_ultimate_result_free(&u);
    cp_integrated_result_free(&r);
    cp_graph_free(&g);
}

/* ---------------------------------------------------------------------------------------------
 * 5. Errors, n = 0, allocation failures
 * ------------------------------------------------------------------------------------------- */

Test(integrated, error_paths) {
    enum { A, B, C, N_ };
    const edge e[] = {{A, B, 0.6}, {B, C, 0.6}};
    cp_graph *g = own_graph(N_, 2, e, "fraction", NULL);
    cp_integrated_params p = params(0, 1e-12);
    cp_integrated_result *r = NULL;
    cp_error err;
    cr_assert_eq(cp_integrated_params_init(NULL), CP_E_INVALID);
    cr_assert_eq(cp_ownership_integrated(NULL, g, 0, NULL, 0, &p, &err), CP_E_INVALID);
    cr_assert_eq(cp_ownership_integrated(&r, NULL, 0, NULL, 0, &p, &err), CP_E_INVALID);
    cr_assert_null(r);
    cr_assert_eq(cp_ownership_integrated(&r, g, 0, NULL, 0, NULL, &err), CP_E_INVALID);
    cr_assert_eq(cp_ownership_integrated(&r, g, 1, NULL, 0, &p, &err), CP_E_INVALID);
    cr_assert_not_null(strstr(err.msg, "layer 1"), "%s", err.msg);
    cr_assert_eq(cp_ownership_integrated(&r, g, -1, NULL, 0, &p, &err), CP_E_INVALID);
    const int32_t unsorted[] = {2, 1};
    cr_assert_eq(cp_ownership_integrated(&r, g, 0, unsorted, 2, &p, &err), CP_E_INVALID);
    cr_assert_not_null(strstr(err.msg, "targets[1]"), "%s", err.msg);
    const int32_t dup[] = {1, 1};
    cr_assert_eq(cp_ownership_integrated(&r, g, 0, dup, 2, &p, &err), CP_E_INVALID);
    const int32_t out[] = {0, 3};
    cr_assert_eq(cp_ownership_integrated(&r, g, 0, out, 2, &p, &err), CP_E_INVALID);
    cr_assert_eq(cp_ownership_integrated(&r, g, 0, out, -1, &p, &err), CP_E_INVALID);
    cp_integrated_params bad = p;
    bad.max_depth = -1;
    cr_assert_eq(cp_ownership_integrated(&r, g, 0, NULL, 0, &bad, &err), CP_E_INVALID);
    bad = p;
    bad.tolerance = NAN;
    cr_assert_eq(cp_ownership_integrated(&r, g, 0, NULL, 0, &bad, &err), CP_E_INVALID);
    bad.tolerance = -1e-9;
    cr_assert_eq(cp_ownership_integrated(&r, g, 0, NULL, 0, &bad, &err), CP_E_INVALID);
    bad.tolerance = INFINITY;
    cr_assert_eq(cp_ownership_integrated(&r, g, 0, NULL, 0, &bad, &err), CP_E_INVALID);
    bad = p;
    bad.max_terms = 0;
    cr_assert_eq(cp_ownership_integrated(&r, g, 0, NULL, 0, &bad, &err), CP_E_INVALID);
    cr_assert_null(r);
    /* A share no register could hold (2e6 = 2e12 ppm): the message names the edge. */
    g->weight[1] = 2e6;
    cr_assert_eq(cp_ownership_integrated(&r, g, 0, NULL, 0, &p, &err), CP_E_INVALID);
    cr_assert_not_null(strstr(err.msg, "edge 1 "), "%s", err.msg);
    cr_assert_null(r);
    g->weight[1] = 0.6;

    /* Ultimate. */
    cr_assert_eq(cp_ownership_integrated(&r, g, 0, NULL, 0, &p, &err), CP_OK);
    cp_ultimate_result *u = NULL;
    cr_assert_eq(cp_ownership_ultimate(NULL, r, g, 0, 0.25, CP_ULTIMATE_TOP, &err), CP_E_INVALID);
    cr_assert_eq(cp_ownership_ultimate(&u, NULL, g, 0, 0.25, CP_ULTIMATE_TOP, &err), CP_E_INVALID);
    cr_assert_eq(cp_ownership_ultimate(&u, r, NULL, 0, 0.25, CP_ULTIMATE_TOP, &err), CP_E_INVALID);
    cr_assert_eq(cp_ownership_ultimate(&u, r, g, 1, 0.25, CP_ULTIMATE_TOP, &err), CP_E_INVALID);
    cr_assert_eq(cp_ownership_ultimate(&u, r, g, 0, -0.1, CP_ULTIMATE_TOP, &err), CP_E_INVALID);
    cr_assert_eq(cp_ownership_ultimate(&u, r, g, 0, NAN, CP_ULTIMATE_TOP, &err), CP_E_INVALID);
    cr_assert_eq(cp_ownership_ultimate(&u, r, g, 0, 0.25, 7, &err), CP_E_INVALID);
    cr_assert_not_null(strstr(err.msg, "mode 7"), "%s", err.msg);
    cr_assert_null(u);
    cp_integrated_result_free(&r);
    cp_integrated_result_free(&r); /* NULL is harmless */
    cp_ultimate_result_free(&u);
    cp_ultimate_result_free(NULL);
    cp_graph_free(&g);
}

Test(integrated, empty_graph) {
    cp_graph *g = own_graph(0, 0, NULL, "fraction", NULL);
    cp_integrated_result *r = integrate(g, 0, CP_OK);
    cr_assert_eq(r->n_targets, 0);
    cr_assert_eq(r->offsets[0], 0);
    cp_ultimate_result *u = ultimate(r, g, 0.25, CP_ULTIMATE_TOP);
    cr_assert_eq(u->offsets[0], 0);
    cp_ultimate_result_free(&u);
    cp_integrated_result_free(&r);
    cp_graph_free(&g);
}

Test(integrated, allocation_failures) {
    enum { A, B, C, D, E, N_ };
    const edge e[] = {{A, B, 0.6}, {B, C, 0.6}, {C, B, 0.1}, {D, C, 0.2}, {A, A, 0.3}, {E, E, 0.1}};
    cp_graph *g = own_graph(N_, 6, e, "fraction", NULL);
    cp_integrated_result *ref = integrate(g, 0, CP_OK);
    cp_ultimate_result *uref = ultimate(ref, g, 0.1, CP_ULTIMATE_TOP);
    omp_set_num_threads(1);
    int failures = 0;
    for (long k = 0; k < 200; k++) {
        cp_integrated_result *r = NULL;
        cp_ultimate_result *u = NULL;
        cp_error err;
        cp_integrated_params p = params(0, 1e-15);
        cp__alloc_fail_after(k);
        cp_status s = cp_ownership_integrated(&r, g, 0, NULL, 0, &p, &err);
        cp_status su = s == CP_OK ? cp_ownership_ultimate(&u, r, g, 0, 0.1, CP_ULTIMATE_TOP, &err)
                                  : CP_E_NOMEM;
        cp__alloc_fail_after(-1);
        if (s == CP_OK && su == CP_OK) {
            cr_assert_eq(r->offsets[N_], ref->offsets[N_]);
            for (int64_t q = 0; q < ref->offsets[N_]; q++) {
                cr_assert_eq(r->owners[q], ref->owners[q]);
                cr_assert(r->share[q] == ref->share[q]);
            }
            cr_assert_eq(u->offsets[N_], uref->offsets[N_]);
            cp_ultimate_result_free(&u);
            cp_integrated_result_free(&r);
            break;
        }
        if (s != CP_OK) {
            cr_assert_eq(s, CP_E_NOMEM, "allocation %ld: %s", k, cp_status_name(s));
            cr_assert_null(r);
        } else {
            cr_assert_eq(su, CP_E_NOMEM, "allocation %ld: %s", k, cp_status_name(su));
            cr_assert_null(u);
            cp_integrated_result_free(&r);
        }
        failures++;
    }
    cr_assert_geq(failures, 20);
    cp_ultimate_result_free(&uref);
    cp_integrated_result_free(&ref);
    cp_graph_free(&g);
}
