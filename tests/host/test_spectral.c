/* PageRank, Katz, eigenvector and HITS centralities and strongly connected components
 * (include/chokepoint/spectral.h).
 *
 * Oracles: the fixtures in tests/fixtures/spectral/ written by
 * tests/oracle/make_spectral_fixtures.py (direct linear solves and dense eigen / singular value
 * decompositions with numpy and scipy, each checked there against networkx 2.8; random graphs
 * with self-loops, parallel edges, zero and 1e12 weights, isolated and removed nodes; SNAP
 * email-Eu-core and wiki-Vote read here from ../shared when present); the cases of
 * ../shared/cases/; hand-made graphs with closed-form answers.
 *
 * Tolerances (|a - b| <= atol + rtol |b|): PageRank 1e-9 + 1e-9 |b| (iterated to tol 1e-13);
 * Katz 1e-9 + 1e-9 |b| (tol 1e-14); eigenvector 1e-8 (tol 1e-14); HITS 1e-8 (tol 1e-14); the
 * cases 1e-6 (their values have 6 decimals); components exact. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <omp.h>

#include "alloc.h"
#include "chokepoint/spectral.h"
#include "spectral_impl.h"
#include "chokepoint/view.h"
#include "cp_fixture.h"
#include "cp_test.h"

#define PR_ATOL   1e-9
#define PR_RTOL   1e-9
#define KATZ_ATOL 1e-9
#define KATZ_RTOL 1e-9
#define EIG_ATOL  1e-8
#define HITS_ATOL 1e-8
#define CASE_TOL  1e-6

/* ---- fixtures ---- */

static void expect_array(const cp_fixture *f, const char *key, const double *got, double atol,
                         double rtol) {
    int64_t c = 0;
    const double *exp = cp_fixture_get(f, key, &c);
    cr_assert(exp != NULL, "%s: no '%s'", f->name, key);
    cr_assert_eq(c, f->n, "%s: '%s' has %ld values", f->name, key, (long)c);
    for (int32_t x = 0; x < f->n; x++) {
        cr_assert(cp_test_close(got[x], exp[x], atol, rtol), "%s: %s[%d] = %.17g, expected %.17g",
                  f->name, key, x, got[x], exp[x]);
    }
}

/* ---- checks shared by the fixtures ---- */

static void check_pagerank(const cp_fixture *f, const cp_view *v) {
    double *out = malloc(((size_t)f->n + 1) * sizeof *out);
    cp_error err;
    cp_iter_info info;
    static const struct {
        const char *key;
        bool weighted;
        bool pers;
        cp_dangling dangling;
    } runs[] = {{"pr", false, false, CP_DANGLING_PERSONALIZATION},
                {"pr_w", true, false, CP_DANGLING_PERSONALIZATION},
                {"pr_pers_w", true, true, CP_DANGLING_PERSONALIZATION},
                {"pr_pers_u", false, true, CP_DANGLING_UNIFORM}};
    for (size_t r = 0; r < sizeof runs / sizeof runs[0]; r++) {
        if (cp_fixture_get(f, runs[r].key, NULL) == NULL) {
            continue;
        }
        cp_pagerank_params p;
        cp_pagerank_params_init(&p);
        p.weighted = runs[r].weighted;
        p.dangling = runs[r].dangling;
        p.tol = 1e-13;
        p.max_iter = 100000;
        if (runs[r].pers) {
            int64_t c = 0;
            p.personalization = cp_fixture_get(f, "pers", &c);
            cr_assert(p.personalization != NULL && c == f->n, "%s: no pers", f->name);
        }
        cr_assert_eq(cp_pagerank(out, &info, v, f->removed, &p, &err), CP_OK, "%s %s: %s", f->name,
                     runs[r].key, err.msg);
        cr_assert(info.converged && info.iterations > 0);
        expect_array(f, runs[r].key, out, PR_ATOL, PR_RTOL);
    }
    free(out);
}

static void check_katz(const cp_fixture *f, const cp_view *v) {
    double *out = malloc(((size_t)f->n + 1) * sizeof *out);
    cp_error err;
    for (int weighted = 0; weighted < 2; weighted++) {
        const char *key = weighted ? "katz_w" : "katz";
        if (cp_fixture_get(f, key, NULL) == NULL) {
            continue;
        }
        cp_katz_params p;
        cp_katz_params_init(&p);
        p.alpha = cp_fixture_scalar(f, weighted ? "katz_alpha_w" : "katz_alpha");
        p.weighted = weighted;
        p.tol = 1e-14;
        p.max_iter = 100000;
        cr_assert_eq(cp_katz(out, NULL, v, f->removed, &p, &err), CP_OK, "%s %s: %s", f->name, key,
                     err.msg);
        expect_array(f, key, out, KATZ_ATOL, KATZ_RTOL);
    }
    free(out);
}

static void check_eigenvector(const cp_fixture *f, const cp_view *v) {
    double *out = malloc(((size_t)f->n + 1) * sizeof *out);
    cp_error err;
    cp_iter_info info;
    for (int weighted = 0; weighted < 2; weighted++) {
        const char *key = weighted ? "eig_w" : "eig";
        const char *sc_key = weighted ? "eig_w_sc" : "eig_sc";
        if (cp_fixture_get(f, sc_key, NULL) == NULL) {
            continue;
        }
        bool sc = cp_fixture_scalar(f, sc_key) != 0.0;
        cp_eigenvector_params p;
        cp_eigenvector_params_init(&p);
        p.weighted = weighted;
        p.tol = 1e-14;
        p.max_iter = cp_fixture_get(f, key, NULL) != NULL ? 100000 : 2000;
        cp_status st = cp_eigenvector(out, &info, v, f->removed, &p, &err);
        if (cp_fixture_get(f, key, NULL) == NULL) {
            /* No unique answer (or a slow one): only the status is pinned. */
            cr_assert(st == CP_W_NOT_CONVERGED || st == (sc ? CP_OK : CP_W_NOT_STRONGLY_CONNECTED),
                      "%s %s: %s", f->name, key, cp_status_name(st));
            continue;
        }
        cr_assert_eq(st, sc ? CP_OK : CP_W_NOT_STRONGLY_CONNECTED, "%s %s: %s (%s)", f->name, key,
                     cp_status_name(st), err.msg);
        cr_assert(info.converged);
        expect_array(f, key, out, EIG_ATOL, 0.0);
    }
    free(out);
}

static void check_hits(const cp_fixture *f, const cp_view *v) {
    double *h = malloc(((size_t)f->n + 1) * sizeof *h);
    double *a = malloc(((size_t)f->n + 1) * sizeof *a);
    cp_error err;
    for (int weighted = 0; weighted < 2; weighted++) {
        const char *hk = weighted ? "hits_h_w" : "hits_h";
        const char *ak = weighted ? "hits_a_w" : "hits_a";
        if (cp_fixture_get(f, hk, NULL) == NULL) {
            continue;
        }
        cp_hits_params p;
        cp_hits_params_init(&p);
        p.weighted = weighted;
        p.tol = 1e-14;
        p.max_iter = 100000;
        cr_assert_eq(cp_hits(h, a, NULL, v, f->removed, &p, &err), CP_OK, "%s %s: %s", f->name, hk,
                     err.msg);
        expect_array(f, hk, h, HITS_ATOL, 0.0);
        expect_array(f, ak, a, HITS_ATOL, 0.0);
    }
    free(h);
    free(a);
}

static void check_scc(const cp_fixture *f, const cp_view *v) {
    int32_t *labels = malloc(((size_t)f->n + 1) * sizeof *labels);
    int32_t count = -1, largest = -1;
    cp_error err;
    cr_assert_eq(cp_scc(labels, &count, &largest, v, f->removed, &err), CP_OK, "%s", err.msg);
    int64_t c = 0;
    const double *exp = cp_fixture_get(f, "scc_labels", &c);
    cr_assert(exp != NULL && c == f->n, "%s: no scc_labels", f->name);
    for (int32_t x = 0; x < f->n; x++) {
        cr_assert_eq(labels[x], (int32_t)exp[x], "%s: label[%d] = %d, expected %d", f->name, x,
                     labels[x], (int32_t)exp[x]);
    }
    cr_assert_eq(count, (int32_t)cp_fixture_scalar(f, "scc_count"), "%s", f->name);
    cr_assert_eq(largest, (int32_t)cp_fixture_scalar(f, "scc_largest"), "%s", f->name);
    free(labels);
}

static void check_fixture(const cp_fixture *f) {
    cp_view *v = cp_fixture_view(f);
    check_pagerank(f, v);
    check_katz(f, v);
    check_eigenvector(f, v);
    check_hits(f, v);
    check_scc(f, v);
    cp_view_free(&v);
}

Test(oracle, random_graphs) {
    int ran = cp_fixture_each("spectral", true, check_fixture);
    cr_assert_geq(ran, 14, "only %d fixtures found", ran);
}

Test(oracle, snap_graphs) {
    if (cp_test_shared("datasets/snap/email-Eu-core.txt") == NULL &&
        cp_test_shared("datasets/snap/wiki-Vote.txt") == NULL) {
        cr_skip_test("../shared/datasets/snap absent");
    }
    int ran = cp_fixture_each("spectral", false, check_fixture);
    cr_assert_geq(ran, 1, "no SNAP fixture ran");
}

/* ---- cases of ../shared/cases ---- */

static json_t *need_case(const char *id) {
    json_t *c = cp_test_case(id);
    if (c == NULL) {
        cr_skip_test("../shared/cases/cases.json absent");
    }
    return c;
}

static cp_view *case_view(json_t *c, const char *edges_key, int directed_override,
                          cp_direction dir) {
    cp_graph *g = cp_test_case_graph(c, edges_key, directed_override);
    cp_view *v = NULL;
    cp_view_spec spec = {0, dir, CP_MULTI_KEEP};
    cp_error err;
    cr_assert_eq(cp_view_build(&v, g, &spec, &err), CP_OK, "%s", err.msg);
    cp_graph_free(&g);
    return v;
}

/* PageRank alpha 0.85 of a view, with the given personalization (NULL: uniform). */
static cp_status pagerank_run(double *out, const cp_view *v, const uint8_t *rm, const double *pers,
                              cp_dangling dangling, bool weighted) {
    cp_pagerank_params p;
    cp_pagerank_params_init(&p);
    p.personalization = pers;
    p.dangling = dangling;
    p.weighted = weighted;
    p.tol = 1e-13;
    p.max_iter = 10000;
    cp_error err;
    cp_status st = cp_pagerank(out, NULL, v, rm, &p, &err);
    cr_assert(st >= 0, "%s", err.msg);
    return st;
}

Test(cases, pr_pers_15) {
    json_t *c = need_case("pr-pers-15");
    json_t *exp = json_object_get(c, "expected");
    double out[4];
    /* Personalization (0, 1) on 0 -> 1: node 1 is dangling; its mass returns to itself. */
    cp_view *v = case_view(c, "edges", -1, CP_DIR_STORED);
    double p2[] = {0.0, 1.0};
    pagerank_run(out, v, NULL, p2, CP_DANGLING_PERSONALIZATION, false);
    cp_test_expect_json_array(out, json_object_get(exp, "dangling_to_personalization"), 2, CASE_TOL,
                              "dangling_to_personalization");
    pagerank_run(out, v, NULL, p2, CP_DANGLING_UNIFORM, false);
    cp_test_expect_json_array(out, json_object_get(exp, "dangling_uniform"), 2, CASE_TOL,
                              "dangling_uniform");
    cp_view_free(&v);
    /* gB: A -> B, B -> C, B -> D with the reset at C: nothing reaches A or B, and C and D are
     * dangling, so with dangling mass following the reset everything ends at C. */
    v = case_view(c, "gB_edges", -1, CP_DIR_STORED);
    cr_assert_eq(v->n, 4);
    double p4[] = {0.0, 0.0, 1.0, 0.0};
    pagerank_run(out, v, NULL, p4, CP_DANGLING_PERSONALIZATION, false);
    cp_test_expect_json_array(out, json_object_get(exp, "gB_dangling_to_personalization"), 4,
                              CASE_TOL, "gB_dangling_to_personalization");
    /* The igraph 0.7.0 value: reset at C, dangling mass spread uniformly. */
    pagerank_run(out, v, NULL, p4, CP_DANGLING_UNIFORM, false);
    cp_test_expect_json_array(out, json_object_get(exp, "gB_dangling_uniform"), 4, CASE_TOL,
                              "gB_dangling_uniform");
    /* Unspecified entries are 0: a personalization on C alone equals p4. */
    double q4[] = {0.0, 0.0, 5.0, 0.0};
    double again[4];
    pagerank_run(again, v, NULL, q4, CP_DANGLING_PERSONALIZATION, false);
    cr_assert(fabs(again[2] - 1.0) < 1e-12);
    cr_assert_eq(again[0],
                 json_number_value(json_object_get(exp, "unspecified_personalization_entries")));
    cp_view_free(&v);
}

Test(cases, pr_dangling_16) {
    json_t *c = need_case("pr-dangling-16");
    json_t *exp = json_object_get(c, "expected");
    double out[5];
    cp_view *v = case_view(c, "edges", -1, CP_DIR_STORED);
    pagerank_run(out, v, NULL, NULL, CP_DANGLING_PERSONALIZATION, false);
    cp_test_expect_json_array(out, json_object_get(exp, "pagerank"), 3, CASE_TOL, "pagerank");
    cr_assert(fabs(out[0] + out[1] + out[2] - json_number_value(json_object_get(exp, "sum"))) <
              1e-12);
    /* With a uniform personalization the two dangling conventions agree (up to rounding). */
    double u[3];
    pagerank_run(u, v, NULL, NULL, CP_DANGLING_UNIFORM, false);
    for (int x = 0; x < 3; x++) {
        cr_assert(fabs(u[x] - out[x]) < 1e-15);
    }
    cp_view_free(&v);
    v = case_view(c, "in_star_edges", -1, CP_DIR_STORED);
    cr_assert_eq(v->n, 5);
    pagerank_run(out, v, NULL, NULL, CP_DANGLING_PERSONALIZATION, false);
    cp_test_expect_json_array(out, json_object_get(exp, "in_star_pagerank"), 5, CASE_TOL,
                              "in_star");
    cp_view_free(&v);
}

Test(cases, pr_zeroneg_18) {
    json_t *c = need_case("pr-zeroneg-18");
    json_t *exp = json_object_get(c, "expected");
    double out[3];
    /* The zero-weight edge 1 -> 0 carries nothing: 0 -> 1 -> 2 -> 0 is a plain cycle. */
    cp_view *v = case_view(c, "edges", -1, CP_DIR_STORED);
    pagerank_run(out, v, NULL, NULL, CP_DANGLING_PERSONALIZATION, true);
    cp_test_expect_json_array(out, json_object_get(exp, "pagerank_with_zero_weight"), 3, CASE_TOL,
                              "pagerank_with_zero_weight");
    cp_view_free(&v);
    /* g18b: node 1's only out-edge weighs 0, so node 1 is dangling. */
    v = case_view(c, "g18b_edges", -1, CP_DIR_STORED);
    pagerank_run(out, v, NULL, NULL, CP_DANGLING_PERSONALIZATION, true);
    cp_test_expect_json_array(out, json_object_get(exp, "g18b_pagerank_node1_dangling"), 3,
                              CASE_TOL, "g18b");
    cp_view_free(&v);
    /* Weight -1 instead of 0: an error naming the entry (the recommended answer). */
    int32_t s[] = {0, 1, 2, 1}, d[] = {1, 2, 0, 0};
    double w[] = {1.0, 2.0, 3.0, -1.0};
    cp_error err;
    cr_assert_eq(cp_view_from_edges(&v, 3, 4, s, d, w, NULL, CP_DIR_STORED, CP_MULTI_KEEP, &err),
                 CP_OK);
    cp_pagerank_params p;
    cp_pagerank_params_init(&p);
    p.weighted = true;
    out[0] = out[1] = out[2] = 7.0;
    cr_assert_eq(cp_pagerank(out, NULL, v, NULL, &p, &err), CP_E_INVALID);
    cr_assert(strstr(err.msg, "weight") != NULL, "%s", err.msg);
    cr_assert(out[0] == 0.0 && out[1] == 0.0 && out[2] == 0.0);
    cp_view_free(&v);
}

Test(cases, wsem_14) {
    json_t *c = need_case("wsem-14");
    double out[3];
    cp_view *v = case_view(c, "edges", -1, CP_DIR_SYMMETRIC);
    pagerank_run(out, v, NULL, NULL, CP_DANGLING_PERSONALIZATION, true);
    cp_test_expect_json_array(
        out, json_object_get(json_object_get(c, "expected"), "pagerank_weighted_alpha0.85"), 3,
        CASE_TOL, "wsem-14");
    cp_view_free(&v);
}

Test(cases, cc_isolated_24) {
    json_t *c = need_case("cc-isolated-24");
    json_t *exp = json_object_get(c, "expected");
    int32_t n = (int32_t)json_integer_value(json_object_get(exp, "n_nodes"));
    cp_view *v = case_view(c, "edges", -1, CP_DIR_SYMMETRIC);
    cr_assert_eq(v->n, n);
    double out[10];
    /* The self-loop at 7 is one entry of row 7 (networkx's undirected adjacency). */
    pagerank_run(out, v, NULL, NULL, CP_DANGLING_PERSONALIZATION, false);
    cp_test_expect_json_array(out, json_object_get(exp, "pagerank_alpha0.85_networkx_convention"),
                              n, CASE_TOL, "cc-isolated-24");
    /* Components of the symmetric view: those of the case. */
    int32_t labels[10], count = 0, largest = 0;
    cp_error err;
    cr_assert_eq(cp_scc(labels, &count, &largest, v, NULL, &err), CP_OK);
    cr_assert_eq(count, (int32_t)json_integer_value(json_object_get(exp, "n_components")));
    cr_assert_eq(largest, (int32_t)json_integer_value(json_object_get(exp, "lcc_size")));
    json_t *wcc = json_object_get(exp, "wcc");
    for (size_t i = 0; i < json_array_size(wcc); i++) {
        json_t *comp = json_array_get(wcc, i);
        int32_t first = (int32_t)json_integer_value(json_array_get(comp, 0));
        for (size_t j = 0; j < json_array_size(comp); j++) {
            cr_assert_eq(labels[json_integer_value(json_array_get(comp, j))], first);
        }
    }
    /* Eigenvector centrality warns: three isolated nodes. */
    cr_assert_eq(cp_eigenvector(out, NULL, v, NULL, NULL, &err), CP_W_NOT_STRONGLY_CONNECTED);
    cp_view_free(&v);
}

Test(cases, empty_19) {
    json_t *c = need_case("empty-19");
    json_t *exp = json_object_get(c, "expected");
    cp_error err;
    cp_view *v = NULL;
    cp_iter_info info;
    /* n = 0: empty results, no error, nothing iterated. */
    cr_assert_eq(
        cp_view_from_edges(&v, 0, 0, NULL, NULL, NULL, NULL, CP_DIR_STORED, CP_MULTI_KEEP, &err),
        CP_OK);
    cr_assert_eq(json_array_size(json_object_get(json_object_get(exp, "n0"), "pagerank")), 0);
    cr_assert_eq(cp_pagerank(NULL, &info, v, NULL, NULL, &err), CP_OK);
    cr_assert(info.converged && info.iterations == 0);
    cr_assert_eq(cp_katz(NULL, NULL, v, NULL, NULL, &err), CP_OK);
    cr_assert_eq(cp_eigenvector(NULL, NULL, v, NULL, NULL, &err), CP_OK);
    cr_assert_eq(cp_hits(NULL, NULL, NULL, v, NULL, NULL, &err), CP_OK);
    int32_t count = -1, largest = -1;
    cr_assert_eq(cp_scc(NULL, &count, &largest, v, NULL, &err), CP_OK);
    cr_assert_eq(count, 0);
    cr_assert_eq(largest, 0);
    cp_view_free(&v);
    /* n = 1. */
    double out[2];
    cr_assert_eq(
        cp_view_from_edges(&v, 1, 0, NULL, NULL, NULL, NULL, CP_DIR_STORED, CP_MULTI_KEEP, &err),
        CP_OK);
    pagerank_run(out, v, NULL, NULL, CP_DANGLING_PERSONALIZATION, false);
    cp_test_expect_json_array(out, json_object_get(json_object_get(exp, "n1"), "pagerank"), 1, 0.0,
                              "n1");
    cr_assert_eq(cp_eigenvector(out, NULL, v, NULL, NULL, &err), CP_OK);
    cr_assert_eq(out[0], 1.0);
    cp_view_free(&v);
    /* n = 2, one undirected edge. */
    int32_t s[] = {0}, d[] = {1};
    cr_assert_eq(
        cp_view_from_edges(&v, 2, 1, s, d, NULL, NULL, CP_DIR_SYMMETRIC, CP_MULTI_KEEP, &err),
        CP_OK);
    pagerank_run(out, v, NULL, NULL, CP_DANGLING_PERSONALIZATION, false);
    cp_test_expect_json_array(
        out, json_object_get(json_object_get(exp, "n2_edge_0_1_undirected"), "pagerank"), 2, 1e-15,
        "n2");
    cp_view_free(&v);
}

Test(cases, hdf5_29) {
    json_t *c = need_case("hdf5-29");
    json_t *exp = json_object_get(c, "expected");
    cp_error err;
    cp_view *v = NULL;
    double out[10];
    /* (a) three nodes, no edges: every node dangling, 1/3 each. */
    json_t *a = json_object_get(exp, "a_empty");
    int32_t na = (int32_t)json_integer_value(json_object_get(a, "n_nodes"));
    cr_assert_eq(
        cp_view_from_edges(&v, na, 0, NULL, NULL, NULL, NULL, CP_DIR_STORED, CP_MULTI_KEEP, &err),
        CP_OK);
    pagerank_run(out, v, NULL, NULL, CP_DANGLING_PERSONALIZATION, false);
    cp_test_expect_json_array(out, json_object_get(a, "pagerank"), na, CASE_TOL, "a_empty");
    int32_t labels[10], count = 0;
    cr_assert_eq(cp_scc(labels, &count, NULL, v, NULL, &err), CP_OK);
    cr_assert_eq(count, (int32_t)json_integer_value(json_object_get(a, "n_wcc")));
    cp_view_free(&v);
    /* (b) the 10-cycle: 0.1 each, one strongly connected component. */
    json_t *b = json_object_get(exp, "b_partial_chunk");
    v = case_view(c, "edges", -1, CP_DIR_STORED);
    pagerank_run(out, v, NULL, NULL, CP_DANGLING_PERSONALIZATION, false);
    cp_test_expect_json_array(out, json_object_get(b, "pagerank"), 10, CASE_TOL, "b_partial_chunk");
    cr_assert_eq(cp_scc(labels, &count, NULL, v, NULL, &err), CP_OK);
    cr_assert_eq(count, (int32_t)json_integer_value(json_object_get(b, "n_scc")));
    cp_view_free(&v);
}

/* ---- hand-made graphs ---- */

static cp_view *edges_view(int32_t n, int64_t m, const int32_t *src, const int32_t *dst,
                           const double *w, cp_direction dir) {
    cp_view *v = NULL;
    cp_error err;
    cr_assert_eq(cp_view_from_edges(&v, n, m, src, dst, w, NULL, dir, CP_MULTI_KEEP, &err), CP_OK,
                 "%s", err.msg);
    return v;
}

Test(pagerank, removed_node_makes_dangling) {
    /* 0 -> 1 -> 2 -> 0 with 1 removed: 0 is dangling (its only edge leads to 1), 2 -> 0 stays.
     * x0 = 0.85 (x2 + x0 / 2) + 0.075 and x2 = 0.85 x0 / 2 + 0.075 give x0 = 0.13875 / 0.21375. */
    int32_t s[] = {0, 1, 2}, d[] = {1, 2, 0};
    cp_view *v = edges_view(3, 3, s, d, NULL, CP_DIR_STORED);
    uint8_t rm[] = {0, 1, 0};
    double out[3];
    pagerank_run(out, v, rm, NULL, CP_DANGLING_PERSONALIZATION, false);
    double x0 = 0.13875 / 0.21375;
    cr_assert(fabs(out[0] - x0) < 1e-12, "%.17g", out[0]);
    cr_assert_eq(out[1], 0.0);
    cr_assert(fabs(out[2] - (1.0 - x0)) < 1e-12, "%.17g", out[2]);
    /* Everything removed: zeros, nothing iterated. */
    uint8_t all[] = {1, 1, 1};
    cp_iter_info info;
    cp_error err;
    cr_assert_eq(cp_pagerank(out, &info, v, all, NULL, &err), CP_OK);
    cr_assert(out[0] == 0.0 && out[1] == 0.0 && out[2] == 0.0);
    cr_assert(info.converged && info.iterations == 0);
    /* Default parameters on the cycle: 1/3 each, iterations and change reported. */
    cr_assert_eq(cp_pagerank(out, &info, v, NULL, NULL, &err), CP_OK);
    for (int x = 0; x < 3; x++) {
        cr_assert(fabs(out[x] - 1.0 / 3.0) < 1e-15);
    }
    cr_assert(info.converged && info.iterations >= 1 && info.final_change < 3e-10);
    cp_view_free(&v);
}

Test(pagerank, parallel_edges_add_weight) {
    /* Two parallel 0 -> 1 entries and one 0 -> 2 (unweighted) equal one 0 -> 1 of weight 2. */
    int32_t s[] = {0, 0, 0, 1, 2}, d[] = {1, 1, 2, 0, 0};
    cp_view *v = edges_view(3, 5, s, d, NULL, CP_DIR_STORED);
    int32_t s2[] = {0, 0, 1, 2}, d2[] = {1, 2, 0, 0};
    double w2[] = {2.0, 1.0, 1.0, 1.0};
    cp_view *v2 = edges_view(3, 4, s2, d2, w2, CP_DIR_STORED);
    double a[3], b[3];
    pagerank_run(a, v, NULL, NULL, CP_DANGLING_PERSONALIZATION, false);
    pagerank_run(b, v2, NULL, NULL, CP_DANGLING_PERSONALIZATION, true);
    for (int x = 0; x < 3; x++) {
        cr_assert(fabs(a[x] - b[x]) < 1e-14, "%d: %.17g %.17g", x, a[x], b[x]);
    }
    cr_assert(a[1] > a[2]);
    cp_view_free(&v);
    cp_view_free(&v2);
}

Test(katz, path_closed_form) {
    /* 0 -> 1 -> 2, alpha 0.5, beta 1: x = (1, 1.5, 1.75), exact after three iterations. */
    int32_t s[] = {0, 1}, d[] = {1, 2};
    cp_view *v = edges_view(3, 2, s, d, NULL, CP_DIR_STORED);
    cp_katz_params p;
    cp_katz_params_init(&p);
    p.alpha = 0.5;
    p.normalized = false;
    double out[3];
    cp_iter_info info;
    cp_error err;
    cr_assert_eq(cp_katz(out, &info, v, NULL, &p, &err), CP_OK, "%s", err.msg);
    cr_assert(out[0] == 1.0 && out[1] == 1.5 && out[2] == 1.75);
    cr_assert(info.converged && info.final_change == 0.0 && info.iterations == 4);
    p.normalized = true;
    cr_assert_eq(cp_katz(out, NULL, v, NULL, &p, &err), CP_OK);
    double norm = sqrt(1.0 + 2.25 + 3.0625);
    cr_assert(fabs(out[0] - 1.0 / norm) < 1e-15 && fabs(out[2] - 1.75 / norm) < 1e-15);
    /* beta_vec and a removed node: 1 gone, so 2 only gets its own beta. */
    double bv[] = {2.0, 3.0, 4.0};
    uint8_t rm[] = {0, 1, 0};
    p.beta_vec = bv;
    p.normalized = false;
    cr_assert_eq(cp_katz(out, NULL, v, rm, &p, &err), CP_OK);
    cr_assert(out[0] == 2.0 && out[1] == 0.0 && out[2] == 4.0);
    /* Weighted: the edge weights scale the flow. */
    double w[] = {2.0, 4.0};
    cp_view *vw = edges_view(3, 2, s, d, w, CP_DIR_STORED);
    p.beta_vec = NULL;
    p.weighted = true;
    p.alpha = 0.25;
    cr_assert_eq(cp_katz(out, NULL, vw, NULL, &p, &err), CP_OK);
    cr_assert(out[0] == 1.0 && out[1] == 1.5 && out[2] == 2.5);
    cp_view_free(&v);
    cp_view_free(&vw);
}

Test(katz, divergence) {
    /* A 3-cycle has lambda_max = 1: alpha 1 grows linearly, alpha 2 geometrically. */
    int32_t s[] = {0, 1, 2}, d[] = {1, 2, 0};
    cp_view *v = edges_view(3, 3, s, d, NULL, CP_DIR_STORED);
    cp_katz_params p;
    cp_katz_params_init(&p);
    double out[3];
    cp_iter_info info;
    cp_error err;
    p.alpha = 1.0;
    p.max_iter = 500;
    cr_assert_eq(cp_katz(out, &info, v, NULL, &p, &err), CP_W_NOT_CONVERGED);
    cr_assert(!info.converged && info.iterations == 500);
    p.alpha = 1e6;
    p.max_iter = 100000;
    cr_assert_eq(cp_katz(out, &info, v, NULL, &p, &err), CP_W_NOT_CONVERGED);
    cr_assert(info.iterations < 100, "stopped after %ld", (long)info.iterations);
    p.alpha = 0.9;
    cr_assert_eq(cp_katz(out, &info, v, NULL, &p, &err), CP_OK);
    cr_assert(fabs(out[0] - 1.0 / sqrt(3.0)) < 1e-12);
    cp_view_free(&v);
}

Test(eigenvector, star) {
    /* The undirected star with 3 leaves: lambda = sqrt(3), centre 1/sqrt(2), leaves 1/sqrt(6).
     * It is bipartite (-sqrt(3) is an eigenvalue too): the shift is what makes it converge. */
    int32_t s[] = {0, 0, 0}, d[] = {1, 2, 3};
    cp_view *v = edges_view(4, 3, s, d, NULL, CP_DIR_SYMMETRIC);
    cp_eigenvector_params p;
    cp_eigenvector_params_init(&p);
    p.tol = 1e-15;
    double out[4];
    cp_iter_info info;
    cp_error err;
    cr_assert_eq(cp_eigenvector(out, &info, v, NULL, &p, &err), CP_OK, "%s", err.msg);
    cr_assert(fabs(out[0] - 1.0 / sqrt(2.0)) < 1e-12, "%.17g", out[0]);
    for (int x = 1; x < 4; x++) {
        cr_assert(fabs(out[x] - 1.0 / sqrt(6.0)) < 1e-12, "%.17g", out[x]);
    }
    p.shift = false;
    p.max_iter = 200;
    cr_assert_eq(cp_eigenvector(out, &info, v, NULL, &p, &err), CP_W_NOT_CONVERGED);
    cr_assert(!info.converged && info.iterations == 200);
    /* Removing the centre leaves three isolated nodes: not connected; each stays 1/sqrt(3). */
    uint8_t rm[] = {1, 0, 0, 0};
    p.shift = true;
    cr_assert_eq(cp_eigenvector(out, &info, v, rm, &p, &err), CP_W_NOT_STRONGLY_CONNECTED);
    cr_assert_eq(out[0], 0.0);
    for (int x = 1; x < 4; x++) {
        cr_assert(fabs(out[x] - 1.0 / sqrt(3.0)) < 1e-15, "%.17g", out[x]);
    }
    cp_view_free(&v);
}

Test(eigenvector, directed_in_edges) {
    /* 0 <-> 1 and 2 -> 0: {0, 1} is the only cycle; 2 has no in-edge, so gets 0 (in-edge
     * convention); the graph is not strongly connected. */
    int32_t s[] = {0, 1, 2}, d[] = {1, 0, 0};
    cp_view *v = edges_view(3, 3, s, d, NULL, CP_DIR_STORED);
    cp_eigenvector_params p;
    cp_eigenvector_params_init(&p);
    p.tol = 1e-15;
    double out[3];
    cp_error err;
    cr_assert_eq(cp_eigenvector(out, NULL, v, NULL, &p, &err), CP_W_NOT_STRONGLY_CONNECTED);
    cr_assert(fabs(out[0] - 1.0 / sqrt(2.0)) < 1e-12 && fabs(out[1] - 1.0 / sqrt(2.0)) < 1e-12);
    cr_assert(out[2] < 1e-12, "%.17g", out[2]);
    /* 0 <-> 1, 1 -> 2 and 2 -> 0 is strongly connected, but not when 2 -> 0 weighs 0 and the
     * run is weighted (then 2 only receives, from 1). */
    int32_t sw[] = {0, 1, 1, 2}, dw[] = {1, 0, 2, 0};
    double w[] = {1.0, 1.0, 1.0, 0.0};
    cp_view *vw = edges_view(3, 4, sw, dw, w, CP_DIR_STORED);
    cr_assert_eq(cp_eigenvector(out, NULL, vw, NULL, &p, &err), CP_OK);
    p.weighted = true;
    cr_assert_eq(cp_eigenvector(out, NULL, vw, NULL, &p, &err), CP_W_NOT_STRONGLY_CONNECTED);
    cr_assert(fabs(out[0] - out[1]) < 1e-12 && out[2] > 0.0);
    /* The whole 3-cycle is strongly connected. */
    int32_t s3[] = {0, 1, 2}, d3[] = {1, 2, 0};
    cp_view *c3 = edges_view(3, 3, s3, d3, NULL, CP_DIR_STORED);
    p.weighted = false;
    cr_assert_eq(cp_eigenvector(out, NULL, c3, NULL, &p, &err), CP_OK);
    cr_assert(fabs(out[2] - 1.0 / sqrt(3.0)) < 1e-12);
    cp_view_free(&v);
    cp_view_free(&vw);
    cp_view_free(&c3);
}

Test(hits, small) {
    /* 0 -> 2, 1 -> 2, 1 -> 3: authorities (2, 3) proportional to (1, 1/phi), hubs (0, 1) to
     * (1/phi, 1) (phi the golden ratio); each vector sums to 1. */
    int32_t s[] = {0, 1, 1}, d[] = {2, 2, 3};
    cp_view *v = edges_view(5, 3, s, d, NULL, CP_DIR_STORED);
    cp_hits_params p;
    cp_hits_params_init(&p);
    p.tol = 1e-15;
    double h[5], a[5];
    cp_iter_info info;
    cp_error err;
    cr_assert_eq(cp_hits(h, a, &info, v, NULL, &p, &err), CP_OK, "%s", err.msg);
    double phi = (1.0 + sqrt(5.0)) / 2.0;
    double big = phi / (phi + 1.0), small = 1.0 / (phi + 1.0);
    cr_assert(fabs(a[2] - big) < 1e-12 && fabs(a[3] - small) < 1e-12, "%.17g %.17g", a[2], a[3]);
    cr_assert(fabs(h[1] - big) < 1e-12 && fabs(h[0] - small) < 1e-12, "%.17g %.17g", h[0], h[1]);
    cr_assert(a[0] == 0.0 && a[1] == 0.0 && h[2] == 0.0 && h[3] == 0.0 && h[4] == 0.0 &&
              a[4] == 0.0);
    /* Remove 1: only 0 -> 2 is left. */
    uint8_t rm[] = {0, 1, 0, 0, 0};
    cr_assert_eq(cp_hits(h, a, NULL, v, rm, &p, &err), CP_OK);
    cr_assert(h[0] == 1.0 && a[2] == 1.0 && h[1] == 0.0 && a[3] == 0.0);
    /* No edge left at all: every non-removed node ties at 1 / 3. */
    uint8_t rm2[] = {1, 1, 0, 0, 0};
    cr_assert_eq(cp_hits(h, a, &info, v, rm2, &p, &err), CP_OK);
    cr_assert(h[0] == 0.0 && a[1] == 0.0 && h[2] == 1.0 / 3.0 && a[4] == 1.0 / 3.0);
    cr_assert(info.converged && info.iterations == 0);
    cp_view_free(&v);
}

Test(scc, hand) {
    /* {0, 1, 2} a cycle, 2 -> 3, {3, 4} a 2-cycle, 5 isolated, 6 a self-loop, 7 -> 5. */
    int32_t s[] = {0, 1, 2, 2, 3, 4, 6, 7}, d[] = {1, 2, 0, 3, 4, 3, 6, 5};
    cp_view *v = edges_view(8, 8, s, d, NULL, CP_DIR_STORED);
    int32_t labels[8], count = 0, largest = 0;
    cp_error err;
    cr_assert_eq(cp_scc(labels, &count, &largest, v, NULL, &err), CP_OK);
    int32_t want[] = {0, 0, 0, 3, 3, 5, 6, 7};
    cr_assert_eq(memcmp(labels, want, sizeof want), 0);
    cr_assert_eq(count, 5);
    cr_assert_eq(largest, 3);
    uint8_t rm[] = {0, 1, 0, 0, 0, 0, 0, 0};
    cr_assert_eq(cp_scc(labels, &count, &largest, v, rm, &err), CP_OK);
    int32_t want_rm[] = {0, -1, 2, 3, 3, 5, 6, 7};
    cr_assert_eq(memcmp(labels, want_rm, sizeof want_rm), 0);
    cr_assert_eq(count, 6);
    cr_assert_eq(largest, 2);
    /* The symmetric view: connected components {0..4}, {5, 7}, {6}. */
    cp_view *sv = edges_view(8, 8, s, d, NULL, CP_DIR_SYMMETRIC);
    cr_assert_eq(cp_scc(labels, &count, NULL, sv, NULL, &err), CP_OK);
    int32_t want_sym[] = {0, 0, 0, 0, 0, 5, 6, 5};
    cr_assert_eq(memcmp(labels, want_sym, sizeof want_sym), 0);
    cr_assert_eq(count, 3);
    /* Errors. */
    cr_assert_eq(cp_scc(NULL, &count, NULL, v, NULL, &err), CP_E_INVALID);
    cr_assert_eq(cp_scc(labels, NULL, NULL, v, NULL, &err), CP_E_INVALID);
    cr_assert_eq(cp_scc(labels, &count, NULL, NULL, NULL, &err), CP_E_INVALID);
    cp_view_free(&v);
    cp_view_free(&sv);
}

Test(scc, long_path_no_recursion) {
    /* A path of 10^6 nodes closed into a cycle: one component, found without recursion; open,
     * every node is its own component. */
    int32_t n = 1000000;
    int32_t *s = malloc((size_t)n * sizeof *s), *d = malloc((size_t)n * sizeof *d);
    for (int32_t i = 0; i < n; i++) {
        s[i] = i;
        d[i] = (i + 1) % n;
    }
    cp_view *cyc = edges_view(n, n, s, d, NULL, CP_DIR_STORED);
    cp_view *path = edges_view(n, n - 1, s, d, NULL, CP_DIR_STORED);
    int32_t *labels = malloc((size_t)n * sizeof *labels);
    int32_t count = 0, largest = 0;
    cp_error err;
    cr_assert_eq(cp_scc(labels, &count, &largest, cyc, NULL, &err), CP_OK);
    cr_assert_eq(count, 1);
    cr_assert_eq(largest, n);
    cr_assert_eq(labels[n - 1], 0);
    cr_assert_eq(cp_scc(labels, &count, &largest, path, NULL, &err), CP_OK);
    cr_assert_eq(count, n);
    cr_assert_eq(largest, 1);
    cr_assert_eq(labels[n / 2], n / 2);
    free(s);
    free(d);
    free(labels);
    cp_view_free(&cyc);
    cp_view_free(&path);
}

/* ---- random graphs: determinism, errors, fault injection ---- */

static uint64_t rng_next(uint64_t *s) {
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* m random edges (a third of them into the first n / 50 nodes) with weights 0..7. */
static cp_view *random_view(uint64_t seed, int32_t n, int64_t m, cp_direction dir) {
    uint64_t st = seed;
    int32_t *s = malloc((size_t)m * sizeof *s), *d = malloc((size_t)m * sizeof *d);
    double *w = malloc((size_t)m * sizeof *w);
    for (int64_t e = 0; e < m; e++) {
        s[e] = (int32_t)(rng_next(&st) % (uint64_t)n);
        uint64_t r = rng_next(&st);
        d[e] = (int32_t)(r % 3 == 0 ? (r / 3) % (uint64_t)(n / 50 + 1) : (r / 3) % (uint64_t)n);
        w[e] = (double)(rng_next(&st) % 8);
    }
    cp_view *v = edges_view(n, m, s, d, w, dir);
    free(s);
    free(d);
    free(w);
    return v;
}

/* Runs measure `which` (0..3 PageRank variants, 4 Katz, 5 eigenvector, 6 HITS) into out (2n), at
 * most 20 iterations (enough to compare thread counts). */
static cp_status run_measure(int which, double *out, const cp_view *v, const uint8_t *rm,
                             const double *pers, cp_error *err) {
    int32_t n = v->n;
    if (which < 4) {
        cp_pagerank_params p;
        cp_pagerank_params_init(&p);
        p.weighted = which & 1;
        p.personalization = which & 2 ? pers : NULL;
        p.dangling = which == 3 ? CP_DANGLING_UNIFORM : CP_DANGLING_PERSONALIZATION;
        p.max_iter = 20;
        return cp_pagerank(out, NULL, v, rm, &p, err);
    }
    if (which == 4) {
        cp_katz_params p;
        cp_katz_params_init(&p);
        p.alpha = 1e-3;
        p.weighted = true;
        p.max_iter = 20;
        return cp_katz(out, NULL, v, rm, &p, err);
    }
    if (which == 5) {
        cp_eigenvector_params p;
        cp_eigenvector_params_init(&p);
        p.max_iter = 20;
        return cp_eigenvector(out, NULL, v, rm, &p, err);
    }
    cp_hits_params p;
    cp_hits_params_init(&p);
    p.weighted = true;
    p.max_iter = 20;
    return cp_hits(out, out + n, NULL, v, rm, &p, err);
}

Test(determinism, one_vs_two_threads) {
    /* Big enough for several reduction chunks and a parallel sweep. */
    int32_t n = 8000;
    cp_view *views[2] = {random_view(7, n, 60000, CP_DIR_STORED),
                         random_view(8, n, 40000, CP_DIR_SYMMETRIC)};
    uint8_t *rm = calloc((size_t)n, 1);
    double *pers = malloc((size_t)n * sizeof *pers);
    for (int32_t x = 0; x < n; x++) {
        rm[x] = x % 13 == 0;
        pers[x] = (double)(x % 5);
    }
    double *a = malloc(2 * (size_t)n * sizeof *a), *b = malloc(2 * (size_t)n * sizeof *b);
    cp_error err;
    for (int k = 0; k < 2; k++) {
        for (int which = 0; which < 7; which++) {
            const uint8_t *r = which % 2 == 0 ? rm : NULL;
            omp_set_num_threads(1);
            cp_status sa = run_measure(which, a, views[k], r, pers, &err);
            omp_set_num_threads(2);
            cp_status sb = run_measure(which, b, views[k], r, pers, &err);
            cr_assert(sa >= 0 && sa == sb, "view %d measure %d: %d %d", k, which, sa, sb);
            size_t cells = (which == 6 ? 2 : 1) * (size_t)n;
            cr_assert_eq(memcmp(a, b, cells * sizeof *a), 0,
                         "view %d measure %d: 1 and 2 threads "
                         "differ",
                         k, which);
        }
        cp_view_free(&views[k]);
    }
    free(rm);
    free(pers);
    free(a);
    free(b);
}

Test(errors, invalid_arguments) {
    int32_t s[] = {0, 1, 2}, d[] = {1, 2, 0};
    double w_nan[] = {1.0, NAN, 1.0}, w_neg[] = {1.0, -2.0, 1.0}, w_inf[] = {1.0, INFINITY, 1.0};
    double w_big[] = {1e308, 1e308, 1.0};
    int32_t s_big[] = {0, 0, 1}, d_big[] = {1, 2, 2};
    cp_view *v = edges_view(3, 3, s, d, NULL, CP_DIR_STORED);
    cp_view *bad[4] = {edges_view(3, 3, s, d, w_nan, CP_DIR_STORED),
                       edges_view(3, 3, s, d, w_neg, CP_DIR_STORED),
                       edges_view(3, 3, s, d, w_inf, CP_DIR_STORED),
                       edges_view(3, 3, s_big, d_big, w_big, CP_DIR_STORED)};
    double out[3] = {5.0, 5.0, 5.0}, out2[3];
    cp_error err;
    cp_pagerank_params p;
    double alphas[] = {-0.1, 1.0, 1.5, NAN};
    for (int i = 0; i < 4; i++) {
        cp_pagerank_params_init(&p);
        p.alpha = alphas[i];
        cr_assert_eq(cp_pagerank(out, NULL, v, NULL, &p, &err), CP_E_INVALID, "alpha %g",
                     alphas[i]);
        cr_assert(strstr(err.msg, "alpha") != NULL);
    }
    cr_assert(out[0] == 0.0 && out[1] == 0.0 && out[2] == 0.0);
    cp_pagerank_params_init(&p);
    p.tol = 0.0;
    cr_assert_eq(cp_pagerank(out, NULL, v, NULL, &p, &err), CP_E_INVALID);
    p.tol = NAN;
    cr_assert_eq(cp_pagerank(out, NULL, v, NULL, &p, &err), CP_E_INVALID);
    cp_pagerank_params_init(&p);
    p.max_iter = 0;
    cr_assert_eq(cp_pagerank(out, NULL, v, NULL, &p, &err), CP_E_INVALID);
    cp_pagerank_params_init(&p);
    p.dangling = (cp_dangling)9;
    cr_assert_eq(cp_pagerank(out, NULL, v, NULL, &p, &err), CP_E_INVALID);
    /* Personalization: a negative entry, a NaN, all zeros, zeros on the non-removed nodes. */
    double neg[] = {1.0, -1.0, 1.0}, nan[] = {1.0, NAN, 0.0}, zero[] = {0.0, 0.0, 0.0};
    double only1[] = {0.0, 2.0, 0.0};
    uint8_t rm1[] = {0, 1, 0};
    cp_pagerank_params_init(&p);
    p.personalization = neg;
    cr_assert_eq(cp_pagerank(out, NULL, v, NULL, &p, &err), CP_E_INVALID);
    cr_assert(strstr(err.msg, "personalization[1]") != NULL, "%s", err.msg);
    p.personalization = nan;
    cr_assert_eq(cp_pagerank(out, NULL, v, NULL, &p, &err), CP_E_INVALID);
    p.personalization = zero;
    cr_assert_eq(cp_pagerank(out, NULL, v, NULL, &p, &err), CP_E_INVALID);
    p.personalization = only1;
    cr_assert_eq(cp_pagerank(out, NULL, v, NULL, &p, &err), CP_OK);
    cr_assert_eq(cp_pagerank(out, NULL, v, rm1, &p, &err), CP_E_INVALID);
    /* Bad weights matter only when weighted. */
    cp_pagerank_params_init(&p);
    for (int i = 0; i < 4; i++) {
        p.weighted = false;
        cr_assert_eq(cp_pagerank(out, NULL, bad[i], NULL, &p, &err), CP_OK);
        p.weighted = true;
        cr_assert_eq(cp_pagerank(out, NULL, bad[i], NULL, &p, &err), CP_E_INVALID, "weights %d", i);
    }
    cr_assert(strstr(err.msg, "infinity") != NULL, "%s", err.msg);
    /* No view, no output. */
    cr_assert_eq(cp_pagerank(out, NULL, NULL, NULL, NULL, &err), CP_E_INVALID);
    cr_assert_eq(cp_pagerank(NULL, NULL, v, NULL, NULL, &err), CP_E_INVALID);
    /* Katz. */
    cp_katz_params kp;
    cp_katz_params_init(&kp);
    kp.alpha = -0.5;
    cr_assert_eq(cp_katz(out, NULL, v, NULL, &kp, &err), CP_E_INVALID);
    kp.alpha = INFINITY;
    cr_assert_eq(cp_katz(out, NULL, v, NULL, &kp, &err), CP_E_INVALID);
    cp_katz_params_init(&kp);
    kp.beta = NAN;
    cr_assert_eq(cp_katz(out, NULL, v, NULL, &kp, &err), CP_E_INVALID);
    cp_katz_params_init(&kp);
    double bv[] = {1.0, INFINITY, 1.0};
    kp.beta_vec = bv;
    cr_assert_eq(cp_katz(out, NULL, v, NULL, &kp, &err), CP_E_INVALID);
    cp_katz_params_init(&kp);
    kp.weighted = true;
    cr_assert_eq(cp_katz(out, NULL, bad[1], NULL, &kp, &err), CP_E_INVALID);
    kp.max_iter = -1;
    cr_assert_eq(cp_katz(out, NULL, v, NULL, &kp, &err), CP_E_INVALID);
    cr_assert_eq(cp_katz(NULL, NULL, v, NULL, NULL, &err), CP_E_INVALID);
    /* Eigenvector and HITS. */
    cp_eigenvector_params ep;
    cp_eigenvector_params_init(&ep);
    ep.weighted = true;
    cr_assert_eq(cp_eigenvector(out, NULL, bad[0], NULL, &ep, &err), CP_E_INVALID);
    ep.tol = -1.0;
    cr_assert_eq(cp_eigenvector(out, NULL, v, NULL, &ep, &err), CP_E_INVALID);
    cr_assert_eq(cp_eigenvector(NULL, NULL, v, NULL, NULL, &err), CP_E_INVALID);
    cp_hits_params hp;
    cp_hits_params_init(&hp);
    hp.weighted = true;
    cr_assert_eq(cp_hits(out, out2, NULL, bad[2], NULL, &hp, &err), CP_E_INVALID);
    hp.weighted = false;
    hp.max_iter = 0;
    cr_assert_eq(cp_hits(out, out2, NULL, v, NULL, &hp, &err), CP_E_INVALID);
    cr_assert_eq(cp_hits(out, NULL, NULL, v, NULL, NULL, &err), CP_E_INVALID);
    cr_assert_eq(cp_hits(NULL, out2, NULL, v, NULL, NULL, &err), CP_E_INVALID);
    cr_assert_eq(cp_hits(out, out2, NULL, NULL, NULL, NULL, &err), CP_E_INVALID);
    cp_view_free(&v);
    for (int i = 0; i < 4; i++) {
        cp_view_free(&bad[i]);
    }
}

/* Every allocation failing in turn: each function returns CP_E_NOMEM (never crashes or leaks:
 * the sanitizer build checks the latter) until enough allocations succeed. */
Test(errors, allocation_failures) {
    int32_t n = 300;
    cp_view *v = random_view(5, n, 1500, CP_DIR_STORED);
    double pers[300], out[600];
    int32_t labels[300], count = 0, largest = 0;
    uint8_t rm[300];
    for (int32_t x = 0; x < n; x++) {
        pers[x] = (double)(x % 3);
        rm[x] = x % 7 == 0;
    }
    cp_error err;
    for (int fn = 0; fn < 9; fn++) {
        int ok = 0;
        for (long k = 0; k < 64 && !ok; k++) {
            cp__alloc_fail_after(k);
            cp_status st = CP_OK;
            if (fn < 7) {
                st = run_measure(fn, out, v, fn % 2 == 0 ? rm : NULL, pers, &err);
            } else if (fn == 7) {
                st = cp_scc(labels, &count, &largest, v, rm, &err);
            } else {
                st = cp__scc(NULL, &count, &largest, v, NULL, true, &err);
            }
            cp__alloc_fail_after(-1);
            cr_assert(st >= 0 || st == CP_E_NOMEM, "function %d, failure %ld: %d", fn, k, st);
            if (st == CP_E_NOMEM && fn < 7) {
                for (int32_t x = 0; x < n; x++) {
                    cr_assert_eq(out[x], 0.0, "function %d: output not cleared", fn);
                }
            }
            ok = st >= 0;
            if (k == 0) {
                cr_assert(!ok, "function %d allocates nothing", fn);
            }
        }
        cr_assert(ok, "function %d never succeeded", fn);
    }
    cp_view_free(&v);
}
