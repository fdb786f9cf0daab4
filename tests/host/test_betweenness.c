/* The betweenness family (include/chokepoint/betweenness.h): vertex and edge betweenness (exact,
 * sampled, hop and weighted lengths, endpoints, normalised), source-target betweenness with
 * lengths, group betweenness and the Riondato-Kornaropoulos approximation.
 *
 * Oracles: the fixtures in tests/fixtures/betweenness/ written by
 * tests/oracle/make_betweenness_fixtures.py (an exact pair-by-pair path enumeration in rational
 * arithmetic, cross-checked against networkx 2.8 where networkx applies; networkx alone on the
 * 200-500 node graphs); the cases of ../shared/cases/; hand-made graphs with known answers (stars,
 * zero-length ties).
 *
 * Tolerances: betweenness |a - b| <= 1e-9 + 1e-9 |b| (the oracle is exact or networkx's doubles);
 * cases 1e-6 where given to 6 decimals, else exact; the 50,000-node star exactly 1.0.
 * The approximation is checked by its guarantee: |approx - exact| <= epsilon at every node in at
 * least 19 of 20 seeds. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <omp.h>

#include "alloc.h"
#include "betweenness_impl.h"
#include "chokepoint/betweenness.h"
#include "chokepoint/centrality.h"
#include "chokepoint/view.h"
#include "cp_fixture.h"
#include "cp_test.h"

#define ATOL 1e-9
#define RTOL 1e-9

/* ---- fixtures (tests/support/cp_fixture.h) ---- */

/* An index list stored as doubles, copied to int32 (caller frees); NULL when absent. */
static int32_t *get_list(const cp_fixture *f, const char *key, int64_t *count) {
    const double *v = cp_fixture_get(f, key, count);
    if (v == NULL) {
        return NULL;
    }
    int32_t *out = calloc((size_t)*count + 1, sizeof *out);
    for (int64_t i = 0; i < *count; i++) {
        out[i] = (int32_t)v[i];
    }
    return out;
}

static void expect_nodes(const cp_fixture *f, const char *key, const double *got) {
    int64_t c = 0;
    const double *exp = cp_fixture_get(f, key, &c);
    cr_assert(exp != NULL, "%s: no '%s'", f->name, key);
    cr_assert_eq(c, f->n, "%s: '%s' has %ld values", f->name, key, (long)c);
    for (int32_t x = 0; x < f->n; x++) {
        cr_assert(cp_test_close(got[x], exp[x], ATOL, RTOL), "%s: %s[%d] = %.17g, expected %.17g",
                  f->name, key, x, got[x], exp[x]);
    }
}

/* Edge values come per input edge; the view entry k compares with its edge_ids[k]. */
static void expect_entries(const cp_fixture *f, const cp_view *v, const char *key,
                           const double *got) {
    int64_t c = 0;
    const double *exp = cp_fixture_get(f, key, &c);
    cr_assert(exp != NULL, "%s: no '%s'", f->name, key);
    cr_assert_eq(c, f->m, "%s: '%s' has %ld values", f->name, key, (long)c);
    for (int64_t k = 0; k < v->m; k++) {
        double e = exp[v->edge_ids[k]];
        cr_assert(cp_test_close(got[k], e, ATOL, RTOL),
                  "%s: %s entry %ld (edge %ld) = %.17g, expected %.17g", f->name, key, (long)k,
                  (long)v->edge_ids[k], got[k], e);
    }
}

static void check_fixture(const cp_fixture *f) {
    cp_view *v = cp_fixture_view(f);
    cp_error err;
    int32_t n = f->n;
    double *got = calloc((size_t)n + 1, sizeof *got);
    double *got2 = calloc((size_t)n + 1, sizeof *got2);
    double *eg = calloc((size_t)v->m + 1, sizeof *eg);
    cp_betweenness_options o;
    cp_betweenness_options_init(&o);
    o.length = f->length;
    /* Exact vertex betweenness, each normalisation and endpoints setting. */
    for (int ep = 0; ep < 2; ep++) {
        if (ep && cp_fixture_get(f, "bce_raw", NULL) == NULL) {
            continue;
        }
        for (int norm = 0; norm < 2; norm++) {
            o.endpoints = ep;
            o.normalized = norm;
            cr_assert_eq(cp_betweenness(got, NULL, v, f->removed, &o, &err), CP_OK, "%s: %s",
                         f->name, err.msg);
            expect_nodes(f, ep ? (norm ? "bce_norm" : "bce_raw") : (norm ? "bc_norm" : "bc_raw"),
                         got);
            if (norm) {
                for (int32_t x = 0; x < n; x++) {
                    cr_assert(got[x] >= 0.0 && got[x] <= 1.0 + 1e-12, "%s: normalised %d = %g",
                              f->name, x, got[x]);
                }
            }
        }
    }
    /* Edge betweenness; the vertex values of the same call (unfolded, never reversed) agree. */
    o.endpoints = false;
    for (int norm = 0; norm < 2; norm++) {
        o.normalized = norm;
        cr_assert_eq(cp_betweenness(got2, eg, v, f->removed, &o, &err), CP_OK, "%s", err.msg);
        expect_entries(f, v, norm ? "ebc_norm" : "ebc_raw", eg);
        expect_nodes(f, norm ? "bc_norm" : "bc_raw", got2);
    }
    /* Sampled from a fixed source list. */
    int64_t ks = 0;
    int32_t *K = get_list(f, "samp_sources", &ks);
    if (K != NULL) {
        o.sources = K;
        o.n_sources = ks;
        for (int ep = 0; ep < 2; ep++) {
            if (ep && cp_fixture_get(f, "sampe_raw", NULL) == NULL) {
                continue;
            }
            for (int norm = 0; norm < 2; norm++) {
                o.endpoints = ep;
                o.normalized = norm;
                cr_assert_eq(cp_betweenness(got, NULL, v, f->removed, &o, &err), CP_OK, "%s",
                             err.msg);
                expect_nodes(
                    f, ep ? (norm ? "sampe_norm" : "sampe_raw") : (norm ? "samp_norm" : "samp_raw"),
                    got);
            }
        }
        o.endpoints = false;
        o.normalized = false;
        cr_assert_eq(cp_betweenness(NULL, eg, v, f->removed, &o, &err), CP_OK, "%s", err.msg);
        expect_entries(f, v, "esamp_raw", eg);
        o.sources = NULL;
        o.n_sources = 0;
        free(K);
    }
    /* Source-target with the fixture's lengths. */
    int64_t ns = 0, nt = 0;
    int32_t *S = get_list(f, "st_sources", &ns);
    int32_t *T = get_list(f, "st_targets", &nt);
    if (S != NULL) {
        double pairs = -1.0;
        cr_assert_eq(cp_st_betweenness_length(got, v, f->removed, S, ns, T, nt, f->length, false,
                                              &pairs, &err),
                     CP_OK, "%s: %s", f->name, err.msg);
        expect_nodes(f, "st_raw", got);
        cr_assert(cp_test_close(pairs, cp_fixture_get(f, "st_pairs", NULL)[0], 0.0, 0.0),
                  "%s: %g connected pairs", f->name, pairs);
        cr_assert_eq(
            cp_st_betweenness_length(got, v, f->removed, S, ns, T, nt, f->length, true, NULL, &err),
            CP_OK);
        expect_nodes(f, "st_norm", got);
    }
    free(S);
    free(T);
    /* Group betweenness. */
    int64_t nc = 0;
    int32_t *C = get_list(f, "group", &nc);
    if (C != NULL) {
        for (int ep = 0; ep < 2; ep++) {
            for (int norm = 0; norm < 2; norm++) {
                o.endpoints = ep;
                o.normalized = norm;
                double gb = -1.0;
                cr_assert_eq(cp_group_betweenness(&gb, v, f->removed, C, nc, &o, &err), CP_OK,
                             "%s: %s", f->name, err.msg);
                const char *key =
                    ep ? (norm ? "gbe_norm" : "gbe_raw") : (norm ? "gb_norm" : "gb_raw");
                double e = cp_fixture_get(f, key, NULL)[0];
                cr_assert(cp_test_close(gb, e, ATOL, RTOL), "%s: %s = %.17g, expected %.17g",
                          f->name, key, gb, e);
            }
        }
        free(C);
    }
    /* The approximation's sample size and diameter bound. */
    const double *eps = cp_fixture_get(f, "approx_eps", NULL);
    if (eps != NULL) {
        cp_betweenness_approx_options ao;
        cp_betweenness_approx_options_init(&ao);
        ao.length = f->length;
        ao.epsilon = eps[0];
        ao.delta = cp_fixture_get(f, "approx_delta", NULL)[0];
        cp_betweenness_approx_info info;
        cr_assert_eq(cp_betweenness_approx(got, &info, v, f->removed, &ao, &err), CP_OK, "%s",
                     err.msg);
        cr_assert_eq(info.vd_bound, (int64_t)cp_fixture_get(f, "approx_vd", NULL)[0], "%s: VD %ld",
                     f->name, (long)info.vd_bound);
        cr_assert_eq(info.samples, (int64_t)cp_fixture_get(f, "approx_r", NULL)[0], "%s: r %ld",
                     f->name, (long)info.samples);
    }
    free(got);
    free(got2);
    free(eg);
    cp_view_free(&v);
}

/* Runs every fixture whose size class matches (big: name starts with "big_"). */
static int run_fixtures(bool big) {
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", cp_test_source("tests/fixtures/betweenness"));
    DIR *d = opendir(dir);
    cr_assert(d != NULL, "no fixture directory %s", dir);
    struct dirent *de;
    char *names[256];
    int count = 0;
    while ((de = readdir(d)) != NULL && count < 256) {
        size_t len = strlen(de->d_name);
        if (len > 4 && strcmp(de->d_name + len - 4, ".txt") == 0 &&
            (strncmp(de->d_name, "big_", 4) == 0) == big) {
            names[count++] = strdup(de->d_name);
        }
    }
    closedir(d);
    for (int i = 0; i < count; i++) {
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        cp_fixture f;
        cp_fixture_load(&f, path);
        check_fixture(&f);
        cr_log_info("%s: %d nodes, %ld edges: checked", f.name, f.n, (long)f.m);
        cp_fixture_free(&f);
        free(names[i]);
    }
    return count;
}

Test(oracle, small_graphs) {
    int ran = run_fixtures(false);
    cr_assert_geq(ran, 20, "only %d fixtures found", ran);
}

Test(oracle, big_graphs) {
    int ran = run_fixtures(true);
    cr_assert_geq(ran, 7, "only %d fixtures found", ran);
}

/* ---- the approximation's guarantee ---- */

static void check_guarantee(const char *name, double eps) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.txt", cp_test_source("tests/fixtures/betweenness"), name);
    cp_fixture f;
    cp_fixture_load(&f, path);
    cp_view *v = cp_fixture_view(&f);
    int32_t n = f.n;
    const double *raw = cp_fixture_get(&f, "bc_raw", NULL);
    double *exact = calloc((size_t)n, sizeof *exact), *got = calloc((size_t)n, sizeof *got);
    for (int32_t x = 0; x < n; x++) {
        /* b(x): ordered sum over n (n - 1); bc_raw is unordered on a symmetric view */
        exact[x] = raw[x] * (f.directed ? 1.0 : 2.0) / ((double)n * (double)(n - 1));
    }
    cp_betweenness_approx_options ao;
    cp_betweenness_approx_options_init(&ao);
    ao.length = f.length;
    ao.epsilon = eps;
    ao.delta = 0.1;
    cp_error err;
    int good = 0;
    double worst = 0.0;
    for (uint64_t seed = 1; seed <= 20; seed++) {
        ao.seed = seed;
        cp_betweenness_approx_info info;
        cr_assert_eq(cp_betweenness_approx(got, &info, v, f.removed, &ao, &err), CP_OK, "%s",
                     err.msg);
        cr_assert_gt(info.samples, 0);
        double err_max = 0.0;
        for (int32_t x = 0; x < n; x++) {
            double e = fabs(got[x] - exact[x]);
            err_max = e > err_max ? e : err_max;
        }
        worst = err_max > worst ? err_max : worst;
        good += err_max <= eps;
    }
    cr_log_info("%s: epsilon %g, %d of 20 seeds within it, worst error %g", name, eps, good, worst);
    cr_assert_geq(good, 19, "%s: only %d of 20 seeds within epsilon %g (worst %g)", name, good, eps,
                  worst);
    free(exact);
    free(got);
    cp_view_free(&v);
    cp_fixture_free(&f);
}

Test(approx, guarantee) {
    check_guarantee("conn_sym", 0.05);
    check_guarantee("conn_dir", 0.05);
    check_guarantee("tiny_dir", 0.1);
    check_guarantee("w_sym_pos", 0.05);
    check_guarantee("w_dir_zero", 0.05);
    check_guarantee("big_sym", 0.02);
}

Test(approx, trivial_and_r) {
    cp_error err;
    cp_view *v = NULL;
    /* A path 0-1-2-3-4: VD = 5 from the BFS bound (2 + 2 + 1 from node 0: 4 + 3 + 1 > 5,
     * capped by the size 5): r = ceil(0.5 / 0.01 (floor(log2 3) + 1 + ln 10)). */
    int32_t s[] = {0, 1, 2, 3}, d[] = {1, 2, 3, 4};
    cr_assert_eq(
        cp_view_from_edges(&v, 5, 4, s, d, NULL, NULL, CP_DIR_SYMMETRIC, CP_MULTI_KEEP, &err),
        CP_OK);
    cp_betweenness_approx_options ao;
    cp_betweenness_approx_options_init(&ao);
    ao.epsilon = 0.1;
    double out[5];
    cp_betweenness_approx_info info;
    cr_assert_eq(cp_betweenness_approx(out, &info, v, NULL, &ao, &err), CP_OK);
    cr_assert_eq(info.vd_bound, 5);
    cr_assert_eq(info.samples, (int64_t)ceil(0.5 / (0.1 * 0.1) * (1.0 + 1.0 + log(1.0 / 0.1))));
    cr_assert_eq(out[0], 0.0);
    cr_assert_eq(out[4], 0.0);
    cp_view_free(&v);
    /* A star has VD 3; a single edge has VD 2: r = 0 and zeros. */
    int32_t es[] = {0}, ed[] = {1};
    cr_assert_eq(
        cp_view_from_edges(&v, 3, 1, es, ed, NULL, NULL, CP_DIR_SYMMETRIC, CP_MULTI_KEEP, &err),
        CP_OK);
    cr_assert_eq(cp_betweenness_approx(out, &info, v, NULL, &ao, &err), CP_OK);
    cr_assert_eq(info.vd_bound, 2);
    cr_assert_eq(info.samples, 0);
    cr_assert(out[0] == 0.0 && out[1] == 0.0 && out[2] == 0.0);
    cp_view_free(&v);
}

/* ---- cases of ../shared/cases ---- */

static json_t *need_case(const char *id) {
    json_t *c = cp_test_case(id);
    if (c == NULL) {
        cr_skip_test("../shared/cases/cases.json absent");
    }
    return c;
}

static cp_view *case_view(json_t *c, const char *edges_key, int directed_override, cp_direction dir,
                          cp_multi multi) {
    cp_graph *g = cp_test_case_graph(c, edges_key, directed_override);
    cp_view *v = NULL;
    cp_view_spec spec = {0, dir, multi};
    cp_error err;
    cr_assert_eq(cp_view_build(&v, g, &spec, &err), CP_OK, "%s", err.msg);
    cp_graph_free(&g);
    return v;
}

/* The case's node-label object {"i": v, "A": v, ...} in node order. */
static void expect_labelled(const double *got, json_t *c, json_t *obj, double tol,
                            const char *what) {
    json_t *labels = json_object_get(c, "node_labels");
    for (size_t x = 0; x < json_array_size(labels); x++) {
        const char *lab = json_string_value(json_array_get(labels, x));
        double e = json_number_value(json_object_get(obj, lab));
        cr_assert(cp_test_close(got[x], e, tol, 0.0), "%s[%s] = %.17g, expected %.17g", what, lab,
                  got[x], e);
    }
}

static cp_betweenness_options opts(cp_length length, bool endpoints, bool normalized) {
    cp_betweenness_options o;
    cp_betweenness_options_init(&o);
    o.length = length;
    o.endpoints = endpoints;
    o.normalized = normalized;
    return o;
}

Test(cases, bc_norm_01) {
    json_t *c = need_case("bc-norm-01");
    json_t *exp = json_object_get(c, "expected");
    cp_error err;
    double out[5];
    cp_view *v = case_view(c, "edges", -1, CP_DIR_SYMMETRIC, CP_MULTI_KEEP);
    cp_betweenness_options o = opts(CP_LENGTH_HOPS, false, false);
    cr_assert_eq(cp_betweenness(out, NULL, v, NULL, &o, &err), CP_OK);
    cp_test_expect_json_array(out, json_object_get(exp, "raw_unordered"), 3, 0.0, "raw_unordered");
    o.normalized = true;
    cr_assert_eq(cp_betweenness(out, NULL, v, NULL, &o, &err), CP_OK);
    cp_test_expect_json_array(out, json_object_get(exp, "normalized"), 3, 0.0, "normalized");
    cp_view_free(&v);
    /* Ordered raw: the directed reading of both directions. */
    v = case_view(c, "edges", 1, CP_DIR_SYMMETRIC, CP_MULTI_KEEP);
    o.normalized = false;
    cr_assert_eq(cp_betweenness(out, NULL, v, NULL, &o, &err), CP_OK);
    for (int x = 0; x < 3; x++) {
        out[x] *= 2.0; /* unordered -> ordered */
    }
    cp_test_expect_json_array(out, json_object_get(exp, "raw_ordered"), 3, 0.0, "raw_ordered");
    cp_view_free(&v);
    v = case_view(c, "extra_path5_undirected_edges", 0, CP_DIR_SYMMETRIC, CP_MULTI_KEEP);
    cr_assert_eq(cp_betweenness(out, NULL, v, NULL, &o, &err), CP_OK);
    cp_test_expect_json_array(out, json_object_get(exp, "extra_path5_raw_unordered"), 5, 0.0,
                              "path5 raw");
    o.normalized = true;
    cr_assert_eq(cp_betweenness(out, NULL, v, NULL, &o, &err), CP_OK);
    cp_test_expect_json_array(out, json_object_get(exp, "extra_path5_normalized"), 5, 1e-6,
                              "path5 norm");
    cp_view_free(&v);
    v = case_view(c, "extra_directed_path3_edges", 1, CP_DIR_STORED, CP_MULTI_KEEP);
    o.normalized = false;
    cr_assert_eq(cp_betweenness(out, NULL, v, NULL, &o, &err), CP_OK);
    cp_test_expect_json_array(out, json_object_get(exp, "extra_directed_path3_raw"), 3, 0.0,
                              "dpath3 raw");
    o.normalized = true;
    cr_assert_eq(cp_betweenness(out, NULL, v, NULL, &o, &err), CP_OK);
    cp_test_expect_json_array(out,
                              json_object_get(exp, "extra_directed_path3_normalized_by_(n-1)(n-2)"),
                              3, 0.0, "dpath3 norm");
    cp_view_free(&v);
}

Test(cases, bc_endpoints_02) {
    json_t *c = need_case("bc-endpoints-02");
    json_t *exp = json_object_get(c, "expected");
    cp_error err;
    double out[3];
    cp_view *v = case_view(c, "edges", -1, CP_DIR_SYMMETRIC, CP_MULTI_KEEP);
    cp_betweenness_options o = opts(CP_LENGTH_HOPS, true, false);
    cr_assert_eq(cp_betweenness(out, NULL, v, NULL, &o, &err), CP_OK);
    cp_test_expect_json_array(out, json_object_get(exp, "raw_unordered"), 3, 0.0, "raw_unordered");
    o.normalized = true;
    cr_assert_eq(cp_betweenness(out, NULL, v, NULL, &o, &err), CP_OK);
    cp_test_expect_json_array(out, json_object_get(exp, "normalized"), 3, 1e-6, "normalized");
    /* Both leaves fold into the centre's search; the weighted (Dijkstra) path agrees. */
    o.length = CP_LENGTH_WEIGHT;
    cr_assert_eq(cp_betweenness(out, NULL, v, NULL, &o, &err), CP_OK);
    cp_test_expect_json_array(out, json_object_get(exp, "normalized"), 3, 1e-6,
                              "normalized, Dijkstra");
    cp_view_free(&v);
}

Test(cases, bc_sampled_03) {
    json_t *c = need_case("bc-sampled-03");
    json_t *exp = json_object_get(c, "expected");
    cp_error err;
    double out[6];
    cp_view *v = case_view(c, "edges", -1, CP_DIR_STORED, CP_MULTI_KEEP);
    int32_t only_i[] = {0};
    cp_betweenness_options o = opts(CP_LENGTH_HOPS, false, true);
    o.sources = only_i;
    o.n_sources = 1;
    cr_assert_eq(cp_betweenness(out, NULL, v, NULL, &o, &err), CP_OK);
    expect_labelled(out, c, json_object_get(exp, "normalized_estimate"), 1e-12, "estimate");
    /* Every source: the exact values. */
    o.sources = NULL;
    o.n_sources = 0;
    o.normalized = false;
    cr_assert_eq(cp_betweenness(out, NULL, v, NULL, &o, &err), CP_OK);
    expect_labelled(out, c, json_object_get(exp, "exact_full_BC_raw_all_sources"), 0.0, "exact");
    o.normalized = true;
    cr_assert_eq(cp_betweenness(out, NULL, v, NULL, &o, &err), CP_OK);
    expect_labelled(out, c, json_object_get(exp, "exact_full_BC_normalized"), 1e-12, "exact norm");
    /* Sampling every source (k = n) is exact too. */
    o.samples = 6;
    double again[6];
    cr_assert_eq(cp_betweenness(again, NULL, v, NULL, &o, &err), CP_OK);
    cr_assert_eq(memcmp(out, again, sizeof out), 0);
    cp_view_free(&v);
    /* The star of 5 sampled from leaf 1: the centre's estimate is exactly 1. */
    json_t *se = json_object_get(exp, "extra_star5_undirected_edges");
    int32_t ss[4], sd[4];
    for (int e = 0; e < 4; e++) {
        ss[e] = (int32_t)json_integer_value(json_array_get(json_array_get(se, (size_t)e), 0));
        sd[e] = (int32_t)json_integer_value(json_array_get(json_array_get(se, (size_t)e), 1));
    }
    /* n = 5 (the case's n_nodes, 6, belongs to the main graph) */
    cr_assert_eq(
        cp_view_from_edges(&v, 5, 4, ss, sd, NULL, NULL, CP_DIR_SYMMETRIC, CP_MULTI_KEEP, &err),
        CP_OK);
    int32_t one[] = {1};
    o.samples = 0;
    o.sources = one;
    o.n_sources = 1;
    cr_assert_eq(cp_betweenness(out, NULL, v, NULL, &o, &err), CP_OK);
    cr_assert_eq(out[0], json_number_value(json_object_get(exp, "extra_star5_normalized_estimate_"
                                                                "center")));
    for (int x = 1; x < 5; x++) {
        cr_assert_eq(out[x], 0.0);
    }
    cp_view_free(&v);
}

Test(cases, bc_subset_04) {
    /* The S-T conventions through cp_st_betweenness_length, with hops (delegated) and with unit
     * weights (Dijkstra). */
    json_t *c = need_case("bc-subset-04");
    json_t *exp = json_object_get(c, "expected");
    cp_view *v = case_view(c, "edges", -1, CP_DIR_SYMMETRIC, CP_MULTI_KEEP);
    int32_t S[] = {0, 1}, T[] = {2, 3};
    double out[4], pairs = 0.0;
    cp_error err;
    for (int l = 0; l < 2; l++) {
        cp_length len = l ? CP_LENGTH_WEIGHT : CP_LENGTH_HOPS;
        cr_assert_eq(cp_st_betweenness_length(out, v, NULL, S, 2, T, 2, len, false, &pairs, &err),
                     CP_OK);
        cp_test_expect_json_array(out, json_object_get(exp, "bc_subset"), 4, 0.0, "bc_subset");
        cr_assert_eq(pairs, 2.0);
        cr_assert_eq(cp_st_betweenness_length(out, v, NULL, S, 2, T, 2, len, true, NULL, &err),
                     CP_OK);
        cr_assert_eq(out[1], 0.5);
    }
    cp_view_free(&v);
}

Test(cases, bc_wties_05) {
    json_t *c = need_case("bc-wties-05");
    json_t *exp = json_object_get(c, "expected");
    cp_view *v = case_view(c, "edges", -1, CP_DIR_SYMMETRIC, CP_MULTI_KEEP);
    cp_error err;
    double out[4];
    cp_betweenness_options o = opts(CP_LENGTH_WEIGHT, false, false);
    cr_assert_eq(cp_betweenness(out, NULL, v, NULL, &o, &err), CP_OK);
    cp_test_expect_json_array(out, json_object_get(exp, "raw_unordered"), 4, 0.0, "raw_unordered");
    o.normalized = true;
    cr_assert_eq(cp_betweenness(out, NULL, v, NULL, &o, &err), CP_OK);
    cp_test_expect_json_array(out, json_object_get(exp, "normalized"), 4, 1e-6, "normalized");
    cp_view_free(&v);
    /* Ties in sums that are not exact in binary: 0.1 + 0.2 != 0.3 in double, so 0-1-2 (0.1, 0.2)
     * and 0-2 (0.3) are not tied: the direct edge 0.3 is shorter than 0.30000000000000004. */
    int32_t s[] = {0, 1, 0}, d[] = {1, 2, 2};
    double w[] = {0.1, 0.2, 0.3};
    cr_assert_eq(cp_view_from_edges(&v, 3, 3, s, d, w, NULL, CP_DIR_STORED, CP_MULTI_KEEP, &err),
                 CP_OK);
    cr_assert_eq(cp_betweenness(out, NULL, v, NULL, &o, &err), CP_OK);
    cr_assert_eq(out[1], 0.0);
    cp_view_free(&v);
    /* 0.5 + 0.25 == 0.75 exactly: tied, each path carries half. */
    w[0] = 0.5;
    w[1] = 0.25;
    w[2] = 0.75;
    cr_assert_eq(cp_view_from_edges(&v, 3, 3, s, d, w, NULL, CP_DIR_STORED, CP_MULTI_KEEP, &err),
                 CP_OK);
    o.normalized = false;
    cr_assert_eq(cp_betweenness(out, NULL, v, NULL, &o, &err), CP_OK);
    cr_assert_eq(out[1], 0.5);
    cp_view_free(&v);
}

Test(cases, bc_gpu_07) {
    json_t *c = need_case("bc-gpu-07");
    json_t *exp = json_object_get(c, "expected");
    cp_view *v = case_view(c, "edges", -1, CP_DIR_SYMMETRIC, CP_MULTI_KEEP);
    cp_error err;
    double out[7];
    for (int l = 0; l < 2; l++) {
        cp_betweenness_options o = opts(l ? CP_LENGTH_WEIGHT : CP_LENGTH_HOPS, false, false);
        cr_assert_eq(cp_betweenness(out, NULL, v, NULL, &o, &err), CP_OK);
        cp_test_expect_json_array(out, json_object_get(exp, "raw_unordered"), 7, 1e-6,
                                  "raw_unordered");
        o.normalized = true;
        cr_assert_eq(cp_betweenness(out, NULL, v, NULL, &o, &err), CP_OK);
        cp_test_expect_json_array(out, json_object_get(exp, "normalized"), 7, 1e-6, "normalized");
    }
    cp_view_free(&v);
}

Test(cases, multi_09) {
    json_t *c = need_case("multi-09");
    json_t *exp = json_object_get(c, "expected");
    cp_error err;
    double out[4];
    cp_betweenness_options o = opts(CP_LENGTH_HOPS, false, false);
    /* (a) keep: the doubled edge gives distinct paths; collapse: one. */
    cp_view *v = case_view(c, "edges", -1, CP_DIR_SYMMETRIC, CP_MULTI_KEEP);
    cr_assert_eq(cp_betweenness(out, NULL, v, NULL, &o, &err), CP_OK);
    cp_test_expect_json_array(out, json_object_get(exp, "a_raw_unordered_parallel_edges_distinct"),
                              4, 1e-6, "a keep");
    cp_view_free(&v);
    v = case_view(c, "edges", -1, CP_DIR_SYMMETRIC, CP_MULTI_COLLAPSE);
    cr_assert_eq(cp_betweenness(out, NULL, v, NULL, &o, &err), CP_OK);
    cp_test_expect_json_array(out, json_object_get(exp, "a_raw_unordered_parallel_edges_collapsed"),
                              4, 1e-6, "a collapse");
    cp_view_free(&v);
    /* (b) weighted multigraph: vertex and edge betweenness. */
    json_t *bj = json_object_get(exp, "b_edges");
    int32_t bs[4], bd[4];
    double bw[4];
    for (int e = 0; e < 4; e++) {
        json_t *row = json_array_get(bj, (size_t)e);
        bs[e] = (int32_t)json_integer_value(json_array_get(row, 0));
        bd[e] = (int32_t)json_integer_value(json_array_get(row, 1));
        bw[e] = json_number_value(json_array_get(row, 2));
    }
    cr_assert_eq(
        cp_view_from_edges(&v, 3, 4, bs, bd, bw, NULL, CP_DIR_SYMMETRIC, CP_MULTI_KEEP, &err),
        CP_OK);
    double eb[8];
    o.length = CP_LENGTH_WEIGHT;
    cr_assert_eq(cp_betweenness(out, NULL, v, NULL, &o, &err), CP_OK);
    cp_test_expect_json_array(out, json_object_get(exp, "b_vertex_bc_raw_unordered"), 3, 0.0,
                              "b vertex");
    o.normalized = true;
    cr_assert_eq(cp_betweenness(NULL, eb, v, NULL, &o, &err), CP_OK);
    json_t *ebj = json_object_get(exp, "b_edge_bc_normalized_by_n(n-1)/2");
    for (int64_t k = 0; k < v->m; k++) {
        int64_t e = v->edge_ids[k];
        double want = 0.0; /* 0-1 (20.8) and the parallel 0-2 (5.0) carry nothing */
        if (e == 2) {
            want = json_number_value(json_object_get(ebj, "0-2"));
        } else if (e == 1) {
            want = json_number_value(json_object_get(ebj, "1-2"));
        } else if (e == 0) {
            want = json_number_value(json_object_get(exp, "b_edge_0_1_bc"));
        }
        cr_assert(cp_test_close(eb[k], want, 1e-6, 0.0), "b edge entry %ld (edge %ld) = %g",
                  (long)k, (long)e, eb[k]);
    }
    cp_view_free(&v);
    /* (c) [[0,1],[1,0],[1,2],[2,1]] read as undirected, keep and collapse. */
    o = opts(CP_LENGTH_HOPS, false, false);
    for (int multi = 0; multi < 2; multi++) {
        v = case_view(c, "c_edges", 1, CP_DIR_SYMMETRIC, multi ? CP_MULTI_COLLAPSE : CP_MULTI_KEEP);
        cr_assert_eq(cp_betweenness(out, NULL, v, NULL, &o, &err), CP_OK);
        cp_test_expect_json_array(out, json_object_get(exp, "c_vertex_bc_unordered_either_way"), 3,
                                  1e-12, "c");
        cp_view_free(&v);
    }
}

Test(cases, zerow_11) {
    json_t *c = need_case("zerow-11");
    json_t *exp = json_object_get(c, "expected");
    cp_error err;
    double out[3];
    cp_view *v = case_view(c, "edges", -1, CP_DIR_STORED, CP_MULTI_KEEP);
    cp_betweenness_options o = opts(CP_LENGTH_WEIGHT, false, false);
    cr_assert_eq(cp_betweenness(out, NULL, v, NULL, &o, &err), CP_OK);
    cp_test_expect_json_array(out, json_object_get(exp, "bc_raw_directed"), 3, 0.0,
                              "bc_raw_directed");
    cp_view_free(&v);
    /* g11b, the all-zero triangle: every pair is joined by a direct edge and by a path through
     * the third node, all of length 0, and the tight entries form cycles. chokepoint's documented
     * choice (include/chokepoint/betweenness.h): each search takes the nodes of equal distance in
     * Dijkstra's settle order (smaller index first) when they wait on each other, so from 0 the
     * path 0-1-2 counts, 0-2-1 does not: raw unordered [0.5, 0.25, 0]. It is deterministic and
     * stays in [0, 1] normalised. (Simple-path semantics would give [0.5, 0.5, 0.5].) */
    v = case_view(c, "g11b_edges", 0, CP_DIR_SYMMETRIC, CP_MULTI_KEEP);
    cr_assert_eq(cp_betweenness(out, NULL, v, NULL, &o, &err), CP_OK);
    double want[3] = {0.5, 0.25, 0.0};
    for (int x = 0; x < 3; x++) {
        cr_assert_eq(out[x], want[x], "g11b[%d] = %g", x, out[x]);
    }
    o.normalized = true;
    cr_assert_eq(cp_betweenness(out, NULL, v, NULL, &o, &err), CP_OK);
    for (int x = 0; x < 3; x++) {
        cr_assert(out[x] >= 0.0 && out[x] <= 1.0);
    }
    cp_view_free(&v);
}

Test(zero_lengths, exact_when_acyclic) {
    cp_error err;
    cp_view *v = NULL;
    double out[4];
    cp_betweenness_options o = opts(CP_LENGTH_WEIGHT, false, false);
    /* 0->1 (1), 0->2 (1), 2->1 (0), 1->3 (1): node 1 settles before node 2 (same distance,
     * smaller index), yet 2 -> 1 is tight. Paths 0-1 and 0-2-1 both count (networkx 2.8 misses
     * the second, depending on insertion order): node 1 = 2, node 2 = 1/2 + 1/2. */
    int32_t s[] = {0, 0, 2, 1}, d[] = {1, 2, 1, 3};
    double w[] = {1, 1, 0, 1};
    cr_assert_eq(cp_view_from_edges(&v, 4, 4, s, d, w, NULL, CP_DIR_STORED, CP_MULTI_KEEP, &err),
                 CP_OK);
    cr_assert_eq(cp_betweenness(out, NULL, v, NULL, &o, &err), CP_OK);
    cr_assert(out[0] == 0.0 && out[1] == 2.0 && out[2] == 1.0 && out[3] == 0.0, "[%g %g %g %g]",
              out[0], out[1], out[2], out[3]);
    /* Source-target and group betweenness see the same paths. */
    int32_t S[] = {0}, T[] = {3}, C[] = {2};
    cr_assert_eq(
        cp_st_betweenness_length(out, v, NULL, S, 1, T, 1, CP_LENGTH_WEIGHT, false, NULL, &err),
        CP_OK);
    cr_assert(out[1] == 1.0 && out[2] == 0.5);
    double gb = 0.0;
    cr_assert_eq(cp_group_betweenness(&gb, v, NULL, C, 1, &o, &err), CP_OK);
    cr_assert_eq(gb, 1.0, "%g", gb); /* (0,1) and (0,3): half each */
    cp_view_free(&v);
    /* Undirected path 0 -1- 1 -0- 2 -1- 3: the zero edge is a 2-cycle of tight entries, taken
     * in settle order: exact (one path per pair). */
    int32_t ps[] = {0, 1, 2}, pd[] = {1, 2, 3};
    double pw[] = {1, 0, 1};
    cr_assert_eq(
        cp_view_from_edges(&v, 4, 3, ps, pd, pw, NULL, CP_DIR_SYMMETRIC, CP_MULTI_KEEP, &err),
        CP_OK);
    cr_assert_eq(cp_betweenness(out, NULL, v, NULL, &o, &err), CP_OK);
    cr_assert(out[0] == 0.0 && out[1] == 2.0 && out[2] == 2.0 && out[3] == 0.0, "[%g %g %g %g]",
              out[0], out[1], out[2], out[3]);
    cp_view_free(&v);
    /* neglog of a 100% share is a zero length: A -(1.0)-> B -(0.5)-> C and A -(0.5)-> C tie
     * (-log 1 + -log 0.5 == -log 0.5). */
    int32_t ns[] = {0, 1, 0}, nd[] = {1, 2, 2};
    double nw[] = {1.0, 0.5, 0.5};
    cr_assert_eq(cp_view_from_edges(&v, 3, 3, ns, nd, nw, NULL, CP_DIR_STORED, CP_MULTI_KEEP, &err),
                 CP_OK);
    o.length = CP_LENGTH_NEGLOG;
    cr_assert_eq(cp_betweenness(out, NULL, v, NULL, &o, &err), CP_OK);
    cr_assert_eq(out[1], 0.5);
    cp_view_free(&v);
}

Test(cases, negw_12) {
    /* Negative lengths are rejected (the graph loader rejects them too; a view can carry them). */
    int32_t s[] = {0, 0, 1, 2}, d[] = {1, 2, 3, 3};
    double w[] = {-1, -1, -1, -2};
    cp_view *v = NULL;
    cp_error err;
    cr_assert_eq(cp_view_from_edges(&v, 4, 4, s, d, w, NULL, CP_DIR_STORED, CP_MULTI_KEEP, &err),
                 CP_OK);
    double out[4] = {7, 7, 7, 7}, gb = 7.0;
    cp_betweenness_options o = opts(CP_LENGTH_WEIGHT, false, false);
    cr_assert_eq(cp_betweenness(out, NULL, v, NULL, &o, &err), CP_E_INVALID);
    cr_assert(strstr(err.msg, "weight") != NULL, "%s", err.msg);
    for (int x = 0; x < 4; x++) {
        cr_assert_eq(out[x], 0.0);
    }
    cr_assert_eq(cp_group_betweenness(&gb, v, NULL, s, 1, &o, &err), CP_E_INVALID);
    cr_assert_eq(gb, 0.0);
    cr_assert_eq(
        cp_st_betweenness_length(out, v, NULL, s, 1, d, 1, CP_LENGTH_INVERSE, false, NULL, &err),
        CP_E_INVALID);
    cp_betweenness_approx_options ao;
    cp_betweenness_approx_options_init(&ao);
    ao.length = CP_LENGTH_WEIGHT;
    cr_assert_eq(cp_betweenness_approx(out, NULL, v, NULL, &ao, &err), CP_E_INVALID);
    /* Hops ignore weights. */
    o.length = CP_LENGTH_HOPS;
    cr_assert_eq(cp_betweenness(out, NULL, v, NULL, &o, &err), CP_OK);
    cp_view_free(&v);
}

Test(cases, infnan_13) {
    json_t *c = need_case("infnan-13");
    json_t *exp = json_object_get(c, "expected");
    cp_error err;
    double out[6];
    cp_view *v = case_view(c, "edges", -1, CP_DIR_SYMMETRIC, CP_MULTI_KEEP);
    cp_betweenness_options o = opts(CP_LENGTH_WEIGHT, false, false);
    cr_assert_eq(cp_betweenness(out, NULL, v, NULL, &o, &err), CP_OK);
    cp_test_expect_json_array(out, json_object_get(exp, "bc_raw_unordered_inf_bridge"), 6, 0.0,
                              "inf bridge");
    /* Edge values too: nothing crosses the bridge. */
    double eb[16];
    cr_assert_eq(cp_betweenness(NULL, eb, v, NULL, &o, &err), CP_OK);
    for (int64_t k = 0; k < v->m; k++) {
        cr_assert_eq(eb[k], v->edge_ids[k] == 3 ? 0.0 : 1.0, "entry %ld: %g", (long)k, eb[k]);
    }
    cp_view_free(&v);
    /* The same with the bridge at weight 1. */
    int32_t s[7], d[7];
    double w[7];
    json_t *edges = json_object_get(c, "edges");
    for (int e = 0; e < 7; e++) {
        s[e] = (int32_t)json_integer_value(json_array_get(json_array_get(edges, (size_t)e), 0));
        d[e] = (int32_t)json_integer_value(json_array_get(json_array_get(edges, (size_t)e), 1));
        w[e] = 1.0;
    }
    cr_assert_eq(cp_view_from_edges(&v, 6, 7, s, d, w, NULL, CP_DIR_SYMMETRIC, CP_MULTI_KEEP, &err),
                 CP_OK);
    cr_assert_eq(cp_betweenness(out, NULL, v, NULL, &o, &err), CP_OK);
    cp_test_expect_json_array(out, json_object_get(exp, "bc_raw_unordered_bridge_weight_1"), 6, 0.0,
                              "bridge 1");
    /* NaN lengths are rejected, naming the entry. */
    w[2] = NAN;
    cp_view_free(&v);
    cr_assert_eq(cp_view_from_edges(&v, 6, 7, s, d, w, NULL, CP_DIR_SYMMETRIC, CP_MULTI_KEEP, &err),
                 CP_OK);
    cr_assert_eq(cp_betweenness(out, NULL, v, NULL, &o, &err), CP_E_INVALID);
    cr_assert(strstr(err.msg, "graph edge 2") != NULL, "%s", err.msg);
    cp_view_free(&v);
}

Test(cases, wsem_14) {
    json_t *c = need_case("wsem-14");
    json_t *exp = json_object_get(c, "expected");
    cp_error err;
    double out[3];
    cp_view *v = case_view(c, "edges", -1, CP_DIR_SYMMETRIC, CP_MULTI_KEEP);
    cp_betweenness_options o = opts(CP_LENGTH_WEIGHT, false, false);
    cr_assert_eq(cp_betweenness(out, NULL, v, NULL, &o, &err), CP_OK);
    cp_test_expect_json_array(out, json_object_get(exp, "bc_raw_unordered_weight_is_distance"), 3,
                              0.0, "weight");
    o.length = CP_LENGTH_INVERSE;
    cr_assert_eq(cp_betweenness(out, NULL, v, NULL, &o, &err), CP_OK);
    cp_test_expect_json_array(
        out, json_object_get(exp, "bc_raw_unordered_distance_is_1_over_weight"), 3, 0.0, "inverse");
    cp_view_free(&v);
}

Test(cases, empty_19) {
    cp_error err;
    cp_view *v = NULL;
    cr_assert_eq(
        cp_view_from_edges(&v, 0, 0, NULL, NULL, NULL, NULL, CP_DIR_STORED, CP_MULTI_KEEP, &err),
        CP_OK);
    cp_betweenness_options o = opts(CP_LENGTH_HOPS, false, true);
    cr_assert_eq(cp_betweenness(NULL, NULL, v, NULL, &o, &err), CP_OK);
    double gb = 7.0;
    cr_assert_eq(cp_group_betweenness(&gb, v, NULL, NULL, 0, &o, &err), CP_OK);
    cr_assert_eq(gb, 0.0);
    cr_assert_eq(cp_betweenness_approx(NULL, NULL, v, NULL, NULL, &err), CP_OK);
    cr_assert_eq(cp_st_betweenness_length(NULL, v, NULL, NULL, 0, NULL, 0, CP_LENGTH_WEIGHT, true,
                                          NULL, &err),
                 CP_OK);
    cp_view_free(&v);
    /* n = 1 and n = 2: 0 under every normalisation (no division by n - 2). */
    int32_t s[] = {0}, d[] = {1};
    for (int32_t n = 1; n <= 2; n++) {
        cr_assert_eq(cp_view_from_edges(&v, n, n - 1, s, d, NULL, NULL, CP_DIR_SYMMETRIC,
                                        CP_MULTI_KEEP, &err),
                     CP_OK);
        for (int ep = 0; ep < 2; ep++) {
            double out[2] = {7, 7}, eb[2] = {7, 7};
            o.endpoints = ep;
            cr_assert_eq(cp_betweenness(out, eb, v, NULL, &o, &err), CP_OK);
            for (int x = 0; x < n; x++) {
                /* with endpoints, n = 2: each node is an end of the one pair: 2 / (2 * 1) */
                double want = ep && n == 2 ? 1.0 : 0.0;
                cr_assert_eq(out[x], want, "n %d ep %d: %g", n, ep, out[x]);
            }
            if (n == 2) {
                cr_assert_eq(eb[0], 1.0); /* the one edge carries the one pair: 2 / (2 * 1) */
            }
        }
        o.endpoints = false;
        cp_view_free(&v);
    }
}

/* ---- stars: folding, exact 1.0 ---- */

static cp_view *star(int32_t n, bool both_ways) {
    int64_t m = both_ways ? 2 * (int64_t)(n - 1) : n - 1;
    int32_t *s = malloc((size_t)m * sizeof *s), *d = malloc((size_t)m * sizeof *d);
    int64_t k = 0;
    for (int32_t x = 1; x < n; x++) {
        s[k] = 0;
        d[k++] = x;
        if (both_ways) {
            s[k] = x;
            d[k++] = 0;
        }
    }
    cp_view *v = NULL;
    cp_error err;
    cr_assert_eq(cp_view_from_edges(&v, n, m, s, d, NULL, NULL,
                                    both_ways ? CP_DIR_STORED : CP_DIR_SYMMETRIC, CP_MULTI_KEEP,
                                    &err),
                 CP_OK);
    free(s);
    free(d);
    return v;
}

Test(star, fifty_thousand, .timeout = 20) {
    const int32_t n = 50000;
    double *out = malloc((size_t)n * sizeof *out);
    cp_error err;
    for (int both = 0; both < 2; both++) {
        cp_view *v = star(n, both);
        cp_betweenness_options o = opts(CP_LENGTH_HOPS, false, true);
        cr_assert_eq(cp_betweenness(out, NULL, v, NULL, &o, &err), CP_OK);
        cr_assert_eq(out[0], 1.0, "centre %.17g", out[0]);
        for (int32_t x = 1; x < n; x++) {
            cr_assert_eq(out[x], 0.0);
        }
        o.normalized = false;
        cr_assert_eq(cp_betweenness(out, NULL, v, NULL, &o, &err), CP_OK);
        double pairs = (double)(n - 1) * (double)(n - 2);
        cr_assert_eq(out[0], both ? pairs : pairs / 2);
        /* With endpoints: the centre is on every pair; a leaf on 2 (n - 1) ordered pairs. */
        o.endpoints = true;
        o.normalized = true;
        cr_assert_eq(cp_betweenness(out, NULL, v, NULL, &o, &err), CP_OK);
        cr_assert_eq(out[0], 1.0, "centre %.17g", out[0]);
        cr_assert(cp_test_close(out[1], 2.0 / n, 0.0, 1e-15), "leaf %.17g", out[1]);
        cr_assert_eq(out[1], out[n - 1]);
        /* Sampled from 10 leaves: still exactly 1 at the centre. */
        o.endpoints = false;
        o.samples = 10;
        cr_assert_eq(cp_betweenness(out, NULL, v, NULL, &o, &err), CP_OK);
        cr_assert_eq(out[0], 1.0, "sampled centre %.17g", out[0]);
        cp_view_free(&v);
        /* Group {centre} (no folding there: a smaller star): every pair of leaves. */
        v = star(2000, both);
        int32_t centre[] = {0};
        double gb = 0.0;
        o.samples = 0;
        cr_assert_eq(cp_group_betweenness(&gb, v, NULL, centre, 1, &o, &err), CP_OK);
        cr_assert_eq(gb, 1.0);
        cp_view_free(&v);
    }
    free(out);
}

/* ---- determinism ---- */

/* Runs every kernel at 1, 2 and 3 threads and compares the bytes. */
Test(determinism, thread_counts) {
    char path[4096];
    snprintf(path, sizeof path, "%s/big_dir.txt", cp_test_source("tests/fixtures/betweenness"));
    cp_fixture f;
    cp_fixture_load(&f, path);
    cp_view *v = cp_fixture_view(&f);
    int32_t n = v->n;
    int64_t m = v->m;
    enum { RUNS = 9 };
    double *ref[RUNS] = {0}, *got = malloc(((size_t)n + (size_t)m) * sizeof *got);
    int32_t S[300], T[40], C[5] = {3, 50, 77, 120, 200};
    uint8_t *mask = calloc((size_t)n, 1);
    for (int32_t i = 0; i < n; i++) {
        S[i] = i; /* every source: enough work for several threads */
        mask[i] = i % 7 == 3;
    }
    for (int i = 0; i < 40; i++) {
        T[i] = 7 * i + 1;
    }
    cp_error err;
    cp__bc_set_probe(false); /* really use the threads, even on this small graph */
    for (int threads = 1; threads <= 3; threads++) {
        omp_set_num_threads(threads);
        for (int r = 0; r < RUNS; r++) {
            memset(got, 0, ((size_t)n + (size_t)m) * sizeof *got);
            cp_betweenness_options o = opts(CP_LENGTH_HOPS, false, false);
            cp_status st = CP_OK;
            switch (r) {
            case 0: /* exact, hops (reversal, folding) */
                st = cp_betweenness(got, NULL, v, NULL, &o, &err);
                break;
            case 1: /* endpoints, normalised */
                o.endpoints = true;
                o.normalized = true;
                st = cp_betweenness(got, NULL, v, NULL, &o, &err);
                break;
            case 2: /* vertex and edges */
                st = cp_betweenness(got, got + n, v, NULL, &o, &err);
                break;
            case 3: /* weighted */
                o.length = CP_LENGTH_INVERSE;
                st = cp_betweenness(got, got + n, v, NULL, &o, &err);
                break;
            case 4: /* sampled */
                o.samples = 200;
                o.seed = 9;
                st = cp_betweenness(got, NULL, v, NULL, &o, &err);
                break;
            case 5: /* S-T weighted */
                st = cp_st_betweenness_length(got, v, NULL, S, n, T, 40, CP_LENGTH_INVERSE, true,
                                              got + n, &err);
                break;
            case 6: /* group, hops and weighted */
                st = cp_group_betweenness(got, v, NULL, C, 5, &o, &err);
                o.length = CP_LENGTH_WEIGHT;
                st = st ? st : cp_group_betweenness(got + 1, v, NULL, C, 5, &o, &err);
                break;
            case 7: { /* approximation */
                cp_betweenness_approx_options ao;
                cp_betweenness_approx_options_init(&ao);
                ao.epsilon = 0.05;
                st = cp_betweenness_approx(got, NULL, v, NULL, &ao, &err);
                break;
            }
            case 8: /* removal mask */
                st = cp_betweenness(got, NULL, v, mask, &o, &err);
                break;
            }
            cr_assert_eq(st, CP_OK, "run %d: %s", r, err.msg);
            if (threads == 1) {
                ref[r] = malloc(((size_t)n + (size_t)m) * sizeof *got);
                memcpy(ref[r], got, ((size_t)n + (size_t)m) * sizeof *got);
            } else {
                cr_assert_eq(memcmp(ref[r], got, ((size_t)n + (size_t)m) * sizeof *got), 0,
                             "run %d differs at %d threads", r, threads);
            }
        }
    }
    for (int r = 0; r < RUNS; r++) {
        free(ref[r]);
    }
    free(got);
    free(mask);
    cp_view_free(&v);
    cp_fixture_free(&f);
}

Test(sampling, draws) {
    enum { N = 1000, K = 100 };
    int32_t a[K], b[K], c[K];
    int64_t ka = 0, kb = 0, kc = 0;
    cp_error err;
    cr_assert_eq(cp_betweenness_sample_sources(a, &ka, N, NULL, K, 5, &err), CP_OK);
    cr_assert_eq(cp_betweenness_sample_sources(b, &kb, N, NULL, K, 5, &err), CP_OK);
    cr_assert_eq(cp_betweenness_sample_sources(c, &kc, N, NULL, K, 6, &err), CP_OK);
    cr_assert(ka == K && kb == K && kc == K);
    cr_assert_eq(memcmp(a, b, sizeof a), 0);
    cr_assert_neq(memcmp(a, c, sizeof a), 0);
    for (int i = 1; i < K; i++) {
        cr_assert_lt(a[i - 1], a[i]); /* ascending, hence distinct */
    }
    /* Removed nodes are never drawn; k above the survivors gives them all. */
    uint8_t removed[N];
    for (int x = 0; x < N; x++) {
        removed[x] = x % 10 != 0;
    }
    cr_assert_eq(cp_betweenness_sample_sources(a, &ka, N, removed, K, 5, &err), CP_OK);
    cr_assert_eq(ka, K);
    for (int i = 0; i < K; i++) {
        cr_assert_eq(a[i], 10 * i);
    }
    /* samples = k equals the explicit list of the drawn sources, bit for bit. */
    char path[4096];
    snprintf(path, sizeof path, "%s/mid_sym.txt", cp_test_source("tests/fixtures/betweenness"));
    cp_fixture f;
    cp_fixture_load(&f, path);
    cp_view *v = cp_fixture_view(&f);
    double x1[64], x2[64];
    int32_t drawn[20];
    int64_t kd = 0;
    cr_assert_eq(cp_betweenness_sample_sources(drawn, &kd, v->n, NULL, 20, 3, &err), CP_OK);
    cp_betweenness_options o = opts(CP_LENGTH_HOPS, false, true);
    o.samples = 20;
    o.seed = 3;
    cr_assert_eq(cp_betweenness(x1, NULL, v, NULL, &o, &err), CP_OK);
    o.samples = 0;
    o.sources = drawn;
    o.n_sources = kd;
    cr_assert_eq(cp_betweenness(x2, NULL, v, NULL, &o, &err), CP_OK);
    cr_assert_eq(memcmp(x1, x2, (size_t)v->n * sizeof *x1), 0);
    cp_view_free(&v);
    cp_fixture_free(&f);
}

/* ---- errors ---- */

Test(errors, statuses) {
    cp_error err;
    cp_view *v = star(5, false);
    double out[5], eb[8], gb = 0.0;
    int32_t bad[] = {7}, ok[] = {1};
    cp_betweenness_options o = opts(CP_LENGTH_HOPS, false, false);
    cr_assert_eq(cp_betweenness(out, NULL, NULL, NULL, &o, &err), CP_E_INVALID);
    cr_assert_eq(cp_betweenness(NULL, NULL, v, NULL, &o, &err), CP_E_INVALID);
    o.samples = -1;
    cr_assert_eq(cp_betweenness(out, eb, v, NULL, &o, &err), CP_E_INVALID);
    o.samples = 6;
    cr_assert_eq(cp_betweenness(out, eb, v, NULL, &o, &err), CP_E_INVALID);
    cr_assert(strstr(err.msg, "samples") != NULL, "%s", err.msg);
    o.samples = 0;
    o.sources = bad;
    o.n_sources = 1;
    out[0] = 7.0;
    cr_assert_eq(cp_betweenness(out, NULL, v, NULL, &o, &err), CP_E_INVALID);
    cr_assert(strstr(err.msg, "sources[0] = 7") != NULL, "%s", err.msg);
    cr_assert_eq(out[0], 0.0);
    o.sources = NULL;
    cr_assert_eq(cp_betweenness(out, NULL, v, NULL, &o, &err), CP_E_INVALID);
    o.n_sources = -1;
    o.sources = ok;
    cr_assert_eq(cp_betweenness(out, NULL, v, NULL, &o, &err), CP_E_INVALID);
    o = opts((cp_length)9, false, false);
    cr_assert_eq(cp_betweenness(out, NULL, v, NULL, &o, &err), CP_E_INVALID);
    /* NULL options mean the defaults. */
    cr_assert_eq(cp_betweenness(out, NULL, v, NULL, NULL, &err), CP_OK);
    cr_assert_eq(out[0], 6.0);
    /* neglog needs weights in [0, 1]. */
    int32_t s[] = {0}, d[] = {1};
    double w[] = {2.0};
    cp_view *v2 = NULL;
    cr_assert_eq(cp_view_from_edges(&v2, 2, 1, s, d, w, NULL, CP_DIR_STORED, CP_MULTI_KEEP, &err),
                 CP_OK);
    o = opts(CP_LENGTH_NEGLOG, false, false);
    cr_assert_eq(cp_betweenness(out, NULL, v2, NULL, &o, &err), CP_E_INVALID);
    cp_view_free(&v2);
    /* group */
    o = opts(CP_LENGTH_HOPS, false, false);
    cr_assert_eq(cp_group_betweenness(NULL, v, NULL, ok, 1, &o, &err), CP_E_INVALID);
    cr_assert_eq(cp_group_betweenness(&gb, NULL, NULL, ok, 1, &o, &err), CP_E_INVALID);
    cr_assert_eq(cp_group_betweenness(&gb, v, NULL, bad, 1, &o, &err), CP_E_INVALID);
    cr_assert(strstr(err.msg, "group[0] = 7") != NULL, "%s", err.msg);
    cr_assert_eq(cp_group_betweenness(&gb, v, NULL, ok, -1, &o, &err), CP_E_INVALID);
    cr_assert_eq(cp_group_betweenness(&gb, v, NULL, NULL, 1, &o, &err), CP_E_INVALID);
    o.samples = 2;
    cr_assert_eq(cp_group_betweenness(&gb, v, NULL, ok, 1, &o, &err), CP_E_INVALID);
    o.samples = 0;
    o.length = (cp_length)-1;
    cr_assert_eq(cp_group_betweenness(&gb, v, NULL, ok, 1, &o, &err), CP_E_INVALID);
    /* approximation */
    cp_betweenness_approx_options ao;
    cp_betweenness_approx_options_init(&ao);
    double bads[] = {0.0, 1.0, -0.5, NAN};
    for (int i = 0; i < 4; i++) {
        ao.epsilon = bads[i];
        cr_assert_eq(cp_betweenness_approx(out, NULL, v, NULL, &ao, &err), CP_E_INVALID);
        ao.epsilon = 0.1;
        ao.delta = bads[i];
        cr_assert_eq(cp_betweenness_approx(out, NULL, v, NULL, &ao, &err), CP_E_INVALID);
        ao.delta = 0.1;
    }
    ao.epsilon = 1e-9; /* r above 2^40 */
    cr_assert_eq(cp_betweenness_approx(out, NULL, v, NULL, &ao, &err), CP_E_INVALID);
    cr_assert(strstr(err.msg, "2^40") != NULL, "%s", err.msg);
    ao.epsilon = 0.1;
    cr_assert_eq(cp_betweenness_approx(NULL, NULL, v, NULL, &ao, &err), CP_E_INVALID);
    cr_assert_eq(cp_betweenness_approx(out, NULL, NULL, NULL, &ao, &err), CP_E_INVALID);
    ao.length = (cp_length)5;
    cr_assert_eq(cp_betweenness_approx(out, NULL, v, NULL, &ao, &err), CP_E_INVALID);
    /* S-T with lengths */
    cr_assert_eq(
        cp_st_betweenness_length(out, v, NULL, bad, 1, ok, 1, CP_LENGTH_WEIGHT, false, NULL, &err),
        CP_E_INVALID);
    cr_assert(strstr(err.msg, "sources[0] = 7") != NULL, "%s", err.msg);
    cr_assert_eq(
        cp_st_betweenness_length(out, v, NULL, ok, 1, bad, 1, CP_LENGTH_HOPS, false, NULL, &err),
        CP_E_INVALID);
    cr_assert_eq(
        cp_st_betweenness_length(out, v, NULL, ok, -1, ok, 1, CP_LENGTH_WEIGHT, false, NULL, &err),
        CP_E_INVALID);
    cr_assert_eq(
        cp_st_betweenness_length(NULL, v, NULL, ok, 1, ok, 1, CP_LENGTH_WEIGHT, false, NULL, &err),
        CP_E_INVALID);
    cr_assert_eq(cp_st_betweenness_length(out, NULL, NULL, ok, 1, ok, 1, CP_LENGTH_WEIGHT, false,
                                          NULL, &err),
                 CP_E_INVALID);
    cr_assert_eq(
        cp_st_betweenness_length(out, v, NULL, ok, 1, ok, 1, (cp_length)8, false, NULL, &err),
        CP_E_INVALID);
    /* sample draws */
    int64_t cnt = 0;
    int32_t drawn[8];
    cr_assert_eq(cp_betweenness_sample_sources(drawn, NULL, 5, NULL, 2, 1, &err), CP_E_INVALID);
    cr_assert_eq(cp_betweenness_sample_sources(drawn, &cnt, 5, NULL, 6, 1, &err), CP_E_INVALID);
    cr_assert_eq(cp_betweenness_sample_sources(NULL, &cnt, 5, NULL, 2, 1, &err), CP_E_INVALID);
    cr_assert_eq(cp_betweenness_sample_sources(drawn, &cnt, 5, NULL, 0, 1, &err), CP_OK);
    cr_assert_eq(cnt, 0);
    /* err = NULL is allowed. */
    cr_assert_eq(cp_betweenness(out, NULL, NULL, NULL, &o, NULL), CP_E_INVALID);
    cp_view_free(&v);
}

/* ---- allocation failures ---- */

/* Calls f with the k-th allocation failing, k = 0, 1, ... until it succeeds: every failure must
 * be CP_E_NOMEM (leaks are caught by the sanitizer build). */
static void each_failure(const char *what, cp_status (*f)(void *), void *ctx) {
    for (long k = 0;; k++) {
        cp__alloc_fail_after(k);
        cp_status st = f(ctx);
        cp__alloc_fail_after(-1);
        if (st == CP_OK) {
            cr_assert_gt(k, 0, "%s: no allocation", what);
            cr_log_info("%s: %ld allocations, each failure CP_E_NOMEM", what, k);
            return;
        }
        cr_assert_eq(st, CP_E_NOMEM, "%s: allocation %ld failing gives %d", what, k, (int)st);
        cr_assert_lt(k, 1000, "%s: too many allocations", what);
    }
}

typedef struct alloc_ctx {
    cp_view *v;
    double *out, *eb;
    int variant;
} alloc_ctx;

static cp_status run_variant(void *p) {
    alloc_ctx *c = p;
    cp_error err;
    cp_betweenness_options o = opts(CP_LENGTH_HOPS, false, false);
    int32_t S[] = {1, 2, 3}, T[] = {4, 5, 6}, C[] = {2, 9};
    cp_status st = CP_OK;
    switch (c->variant) {
    case 0:
        st = cp_betweenness(c->out, NULL, c->v, NULL, &o, &err);
        break;
    case 1:
        o.length = CP_LENGTH_WEIGHT;
        o.endpoints = true;
        st = cp_betweenness(c->out, c->eb, c->v, NULL, &o, &err);
        break;
    case 2:
        o.samples = 5;
        st = cp_betweenness(c->out, c->eb, c->v, NULL, &o, &err);
        break;
    case 3:
        st = cp_group_betweenness(c->out, c->v, NULL, C, 2, &o, &err);
        break;
    case 4:
        o.length = CP_LENGTH_INVERSE;
        st = cp_group_betweenness(c->out, c->v, NULL, C, 2, &o, &err);
        break;
    case 5:
        st = cp_st_betweenness_length(c->out, c->v, NULL, S, 3, T, 3, CP_LENGTH_WEIGHT, true, NULL,
                                      &err);
        break;
    case 6: {
        cp_betweenness_approx_options ao;
        cp_betweenness_approx_options_init(&ao);
        ao.epsilon = 0.3;
        st = cp_betweenness_approx(c->out, NULL, c->v, NULL, &ao, &err);
        break;
    }
    case 7: {
        cp_betweenness_approx_options ao;
        cp_betweenness_approx_options_init(&ao);
        ao.epsilon = 0.3;
        ao.length = CP_LENGTH_WEIGHT;
        st = cp_betweenness_approx(c->out, NULL, c->v, NULL, &ao, &err);
        break;
    }
    case 8: {
        int32_t drawn[10];
        int64_t k = 0;
        st = cp_betweenness_sample_sources(drawn, &k, c->v->n, NULL, 10, 1, &err);
        break;
    }
    }
    if (st == CP_E_NOMEM && c->variant <= 2) {
        for (int32_t x = 0; x < c->v->n; x++) {
            cr_assert_eq(c->out[x], 0.0, "variant %d: output not cleared", c->variant);
        }
    }
    return st;
}

Test(errors, allocation_failures) {
    char path[4096];
    snprintf(path, sizeof path, "%s/small_sym_mask.txt",
             cp_test_source("tests/fixtures/betweenness"));
    for (int dir = 0; dir < 2; dir++) {
        cp_fixture f;
        cp_fixture_load(&f, path);
        f.directed = dir;
        cp_view *v = cp_fixture_view(&f);
        alloc_ctx c = {v, calloc((size_t)v->n + 1, sizeof(double)),
                       calloc((size_t)v->m + 1, sizeof(double)), 0};
        for (c.variant = 0; c.variant <= 8; c.variant++) {
            char what[64];
            snprintf(what, sizeof what, "variant %d, %s", c.variant, dir ? "directed" : "sym");
            each_failure(what, run_variant, &c);
        }
        free(c.out);
        free(c.eb);
        cp_view_free(&v);
        cp_fixture_free(&f);
    }
}
