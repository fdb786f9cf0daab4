/* Closeness and harmonic centrality (include/chokepoint/distance.h).
 *
 * Oracles: the fixtures in tests/fixtures/closeness/ written by
 * tests/oracle/make_closeness_fixtures.py (networkx 2.8 closeness_centrality with wf_improved
 * True and False, and harmonic_centrality, cross-checked there against python-igraph; random
 * graphs with self-loops, parallel edges, isolated and removed nodes, zero, huge and infinite
 * weights, every length mode, both directions; and SNAP email-Eu-core, read here from ../shared
 * when present); the cases of ../shared/cases/; hand-made graphs with known answers; the
 * bit-parallel BFS against Dijkstra on unit lengths.
 *
 * Tolerances: |a - b| <= 1e-12 + 1e-12 |b| for hops, 1e-12 + 1e-9 |b| for other lengths; cases
 * given to 6 decimals 1e-6; hand-made values exact or 1e-15. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <omp.h>

#include "alloc.h"
#include "chokepoint/distance.h"
#include "chokepoint/view.h"
#include "cp_fixture.h"
#include "cp_test.h"

/* A per-node array of the fixture (asserting n values). */
static const double *fixture_values(const cp_fixture *f, const char *key) {
    int64_t c = 0;
    const double *v = cp_fixture_get(f, key, &c);
    cr_assert(v == NULL || c == f->n, "%s: '%s' has %ld values", f->name, key, (long)c);
    return v;
}

/* ---- fixtures ---- */

static void expect_values(const char *name, const char *key, const double *got, const double *exp,
                          int32_t n, double atol, double rtol) {
    for (int32_t x = 0; x < n; x++) {
        cr_assert(cp_test_close(got[x], exp[x], atol, rtol), "%s: %s[%d] = %.17g, expected %.17g",
                  name, key, x, got[x], exp[x]);
    }
}

/* Runs the four variants of one (length, direction) of a fixture: Wasserman-Faust closeness with
 * raw harmonic, then per-component closeness with normalised harmonic. On a symmetric view the
 * other direction must give the same bits. */
static void check_variant(const cp_fixture *f, const cp_view *v, cp_length length,
                          cp_distance_dir dir, const char *tag) {
    char key[64];
    int32_t n = f->n;
    double *clo = calloc((size_t)n + 1, sizeof *clo), *harm = calloc((size_t)n + 1, sizeof *harm);
    double *want = calloc((size_t)n + 1, sizeof *want);
    double rtol = length == CP_LENGTH_HOPS ? 1e-12 : 1e-9;
    cp_error err;
    cp_closeness_opts o;
    cp_closeness_opts_init(&o);
    o.length = length;
    o.direction = dir;
    cr_assert_eq(cp_closeness_harmonic(clo, harm, v, f->removed, &o, &err), CP_OK, "%s: %s",
                 f->name, err.msg);
    snprintf(key, sizeof key, "close_wf_%s", tag);
    const double *e = fixture_values(f, key);
    cr_assert(e != NULL, "%s: no %s", f->name, key);
    expect_values(f->name, key, clo, e, n, 1e-12, rtol);
    snprintf(key, sizeof key, "harm_%s", tag);
    const double *eh = fixture_values(f, key);
    cr_assert(eh != NULL, "%s: no %s", f->name, key);
    expect_values(f->name, key, harm, eh, n, 1e-12, rtol);
    /* Every Wasserman-Faust value lies in [0, 1] unless zero lengths are about. */
    o.per_component = true;
    o.normalized = true;
    cr_assert_eq(cp_closeness_harmonic(clo, harm, v, f->removed, &o, &err), CP_OK, "%s: %s",
                 f->name, err.msg);
    snprintf(key, sizeof key, "close_cc_%s", tag);
    e = fixture_values(f, key);
    cr_assert(e != NULL, "%s: no %s", f->name, key);
    expect_values(f->name, key, clo, e, n, 1e-12, rtol);
    for (int32_t x = 0; x < n; x++) {
        want[x] = n > 1 ? eh[x] / (double)(n - 1) : 0.0;
    }
    snprintf(key, sizeof key, "harm_norm_%s", tag);
    expect_values(f->name, key, harm, want, n, 1e-12, rtol);
    if (!v->directed) {
        double *clo2 = calloc((size_t)n + 1, sizeof *clo2);
        double *harm2 = calloc((size_t)n + 1, sizeof *harm2);
        o.direction = dir == CP_DISTANCE_IN ? CP_DISTANCE_OUT : CP_DISTANCE_IN;
        cr_assert_eq(cp_closeness_harmonic(clo2, harm2, v, f->removed, &o, &err), CP_OK);
        cr_assert_eq(memcmp(clo, clo2, (size_t)n * sizeof *clo), 0, "%s: direction matters",
                     f->name);
        cr_assert_eq(memcmp(harm, harm2, (size_t)n * sizeof *harm), 0, "%s: direction matters",
                     f->name);
        free(clo2);
        free(harm2);
    }
    free(clo);
    free(harm);
    free(want);
}

/* Checks every (length, direction) the fixture holds (at least one). */
static void check_fixture(const cp_fixture *f) {
    static const char *lengths[4] = {"hops", "weight", "inverse", "neglog"};
    static const char *dirs[2] = {"in", "out"};
    cp_view *v = cp_fixture_view(f);
    int ran = 0;
    for (int l = 0; l < 4; l++) {
        for (int d = 0; d < 2; d++) {
            char tag[32], key[64];
            snprintf(tag, sizeof tag, "%s_%s", lengths[l], dirs[d]);
            snprintf(key, sizeof key, "close_wf_%s", tag);
            if (fixture_values(f, key) != NULL) {
                check_variant(f, v, (cp_length)l, (cp_distance_dir)d, tag);
                ran++;
            }
        }
    }
    cr_assert_gt(ran, 0, "%s: no expected values", f->name);
    cp_view_free(&v);
}

Test(oracle, random_graphs) {
    int ran = cp_fixture_each("closeness", true, check_fixture);
    cr_assert_geq(ran, 16, "only %d fixtures found", ran);
}

Test(oracle, email_eu_core) {
    if (cp_test_shared("datasets/snap/email-Eu-core.txt") == NULL) {
        cr_skip_test("../shared/datasets/snap/email-Eu-core.txt absent");
    }
    int ran = cp_fixture_each("closeness", false, check_fixture);
    cr_assert_geq(ran, 3, "only %d email fixtures ran", ran);
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

static void expect_exact(const double *got, const double *want, int32_t n, const char *what) {
    for (int32_t x = 0; x < n; x++) {
        cr_assert(cp_test_close(got[x], want[x], 1e-15, 1e-15), "%s[%d] = %.17g, expected %.17g",
                  what, x, got[x], want[x]);
    }
}

static cp_closeness_opts opts_of(cp_length length, cp_distance_dir dir, bool per_component,
                                 bool normalized) {
    cp_closeness_opts o;
    cp_closeness_opts_init(&o);
    o.length = length;
    o.direction = dir;
    o.per_component = per_component;
    o.normalized = normalized;
    return o;
}

Test(cases, close_disc_20) {
    json_t *c = need_case("close-disc-20");
    json_t *exp = json_object_get(c, "expected");
    cp_view *v = case_view(c, "edges", -1, CP_DIR_SYMMETRIC);
    double clo[5], harm[5];
    cp_error err;
    /* hops, and weight on unit weights: the same numbers; either direction on a symmetric view. */
    for (int l = 0; l < 2; l++) {
        for (int d = 0; d < 2; d++) {
            cp_length len = l ? CP_LENGTH_WEIGHT : CP_LENGTH_HOPS;
            cp_closeness_opts o = opts_of(len, (cp_distance_dir)d, false, false);
            cr_assert_eq(cp_closeness_harmonic(clo, harm, v, NULL, &o, &err), CP_OK, "%s", err.msg);
            cp_test_expect_json_array(clo,
                                      json_object_get(exp, "wasserman_faust (networkx default)"), 5,
                                      1e-6, "wasserman_faust");
            cp_test_expect_json_array(harm, json_object_get(exp, "harmonic_raw"), 5, 1e-6,
                                      "harmonic_raw");
            o = opts_of(len, (cp_distance_dir)d, true, true);
            cr_assert_eq(cp_closeness_harmonic(clo, harm, v, NULL, &o, &err), CP_OK);
            cp_test_expect_json_array(clo, json_object_get(exp, "per_component_no_wf"), 5, 1e-6,
                                      "per_component");
            cp_test_expect_json_array(harm, json_object_get(exp, "harmonic_normalized_n-1"), 5,
                                      1e-6, "harmonic_normalized");
        }
    }
    /* The defaults (opts NULL) are Wasserman-Faust and raw harmonic, through each wrapper. */
    cr_assert_eq(cp_closeness(clo, v, NULL, NULL, &err), CP_OK);
    cp_test_expect_json_array(clo, json_object_get(exp, "wasserman_faust (networkx default)"), 5,
                              1e-6, "cp_closeness");
    cr_assert_eq(cp_harmonic(harm, v, NULL, NULL, NULL), CP_OK);
    cp_test_expect_json_array(harm, json_object_get(exp, "harmonic_raw"), 5, 1e-6, "cp_harmonic");
    /* The exact values: 1/4, 1/2, 1/3 and 1, 2/3; harmonic 1, 2, 3/2. */
    double wf[5] = {0.25, 0.25, 0.5, 1.0 / 3.0, 1.0 / 3.0};
    expect_exact(clo, wf, 5, "wf exact");
    /* The directed reading (0 -> 1, 2 -> 3, 2 -> 4): incoming, node 1 is reached from 0 only
     * (closeness 1 * 1/4), node 0 from nobody; outgoing, node 2 reaches 3 and 4. */
    cp_view_free(&v);
    v = case_view(c, "edges", 1, CP_DIR_STORED);
    cp_closeness_opts o = opts_of(CP_LENGTH_HOPS, CP_DISTANCE_IN, false, false);
    cr_assert_eq(cp_closeness_harmonic(clo, harm, v, NULL, &o, &err), CP_OK);
    double in_c[5] = {0.0, 0.25, 0.0, 0.25, 0.25}, in_h[5] = {0.0, 1.0, 0.0, 1.0, 1.0};
    expect_exact(clo, in_c, 5, "directed in closeness");
    expect_exact(harm, in_h, 5, "directed in harmonic");
    o.direction = CP_DISTANCE_OUT;
    cr_assert_eq(cp_closeness_harmonic(clo, harm, v, NULL, &o, &err), CP_OK);
    double out_c[5] = {0.25, 0.0, 0.5, 0.0, 0.0}, out_h[5] = {1.0, 0.0, 2.0, 0.0, 0.0};
    expect_exact(clo, out_c, 5, "directed out closeness");
    expect_exact(harm, out_h, 5, "directed out harmonic");
    cp_view_free(&v);
}

Test(cases, empty_19) {
    json_t *c = need_case("empty-19");
    json_t *exp = json_object_get(c, "expected");
    cp_error err;
    cp_view *v = NULL;
    /* n = 0: no results, no error, no output needed. */
    cr_assert_eq(
        cp_view_from_edges(&v, 0, 0, NULL, NULL, NULL, NULL, CP_DIR_STORED, CP_MULTI_KEEP, &err),
        CP_OK);
    for (int l = 0; l < 4; l++) {
        cp_closeness_opts o = opts_of((cp_length)l, CP_DISTANCE_IN, false, true);
        cr_assert_eq(cp_closeness_harmonic(NULL, NULL, v, NULL, &o, &err), CP_OK);
        cr_assert_eq(cp_closeness(NULL, v, NULL, &o, &err), CP_OK);
        cr_assert_eq(cp_harmonic(NULL, v, NULL, &o, &err), CP_OK);
    }
    cp_view_free(&v);
    /* n = 1 (with a self-loop as well): closeness 0, harmonic 0, under every option. */
    json_t *n1 = json_object_get(exp, "n1");
    int32_t z[] = {0};
    for (int loop = 0; loop < 2; loop++) {
        cr_assert_eq(
            cp_view_from_edges(&v, 1, loop, z, z, NULL, NULL, CP_DIR_STORED, CP_MULTI_KEEP, &err),
            CP_OK);
        for (int l = 0; l < 4; l++) {
            for (int variant = 0; variant < 4; variant++) {
                double clo[1] = {-1.0}, harm[1] = {-1.0};
                cp_closeness_opts o =
                    opts_of((cp_length)l, (cp_distance_dir)(variant & 1), variant & 2, variant & 2);
                cr_assert_eq(cp_closeness_harmonic(clo, harm, v, NULL, &o, &err), CP_OK);
                cp_test_expect_json_array(clo, json_object_get(n1, "closeness"), 1, 0.0,
                                          "n1 closeness");
                cp_test_expect_json_array(harm, json_object_get(n1, "harmonic"), 1, 0.0,
                                          "n1 harmonic");
            }
        }
        cp_view_free(&v);
    }
    /* n = 2, one undirected edge of weight 1: closeness 1 for both, under every length that makes
     * it 1 long (neglog makes it 0 long: closeness 0) and every variant. */
    int32_t s[] = {0}, d[] = {1};
    cr_assert_eq(
        cp_view_from_edges(&v, 2, 1, s, d, NULL, NULL, CP_DIR_SYMMETRIC, CP_MULTI_KEEP, &err),
        CP_OK);
    json_t *n2 = json_object_get(exp, "n2_edge_0_1_undirected");
    for (int l = 0; l < 3; l++) {
        for (int variant = 0; variant < 4; variant++) {
            double clo[2], harm[2];
            cp_closeness_opts o =
                opts_of((cp_length)l, (cp_distance_dir)(variant & 1), variant & 2, variant & 2);
            cr_assert_eq(cp_closeness_harmonic(clo, harm, v, NULL, &o, &err), CP_OK, "%s", err.msg);
            cp_test_expect_json_array(clo, json_object_get(n2, "closeness"), 2, 0.0,
                                      "n2 closeness");
            cr_assert(harm[0] == 1.0 && harm[1] == 1.0);
        }
    }
    cp_view_free(&v);
    /* The directed edge 0 -> 1: incoming, 1 is reached by 0 (closeness 1), 0 by nobody. */
    cr_assert_eq(cp_view_from_edges(&v, 2, 1, s, d, NULL, NULL, CP_DIR_STORED, CP_MULTI_KEEP, &err),
                 CP_OK);
    double clo[2];
    cr_assert_eq(cp_closeness(clo, v, NULL, NULL, &err), CP_OK);
    cr_assert(clo[0] == 0.0 && clo[1] == 1.0);
    cp_closeness_opts o = opts_of(CP_LENGTH_HOPS, CP_DISTANCE_OUT, false, false);
    cr_assert_eq(cp_closeness(clo, v, NULL, &o, &err), CP_OK);
    cr_assert(clo[0] == 1.0 && clo[1] == 0.0);
    cp_view_free(&v);
}

Test(cases, infnan_13) {
    json_t *c = need_case("infnan-13");
    json_t *exp = json_object_get(c, "expected");
    cr_assert_str_eq(json_string_value(json_object_get(exp, "dist_1_5_with_inf_bridge")), "inf");
    cp_view *v = case_view(c, "edges", -1, CP_DIR_SYMMETRIC);
    double clo[6], harm[6];
    cp_error err;
    /* Weight lengths: the +inf bridge 0-3 is not traversable, so two triangles: per component 1,
     * Wasserman-Faust 2/2 * 2/5 = 0.4, harmonic 2 (node 1 does not reach node 5). */
    cp_closeness_opts o = opts_of(CP_LENGTH_WEIGHT, CP_DISTANCE_IN, false, false);
    cr_assert_eq(cp_closeness_harmonic(clo, harm, v, NULL, &o, &err), CP_OK, "%s", err.msg);
    for (int x = 0; x < 6; x++) {
        cr_assert(cp_test_close(clo[x], 0.4, 1e-15, 0.0), "clo[%d] = %.17g", x, clo[x]);
        cr_assert_eq(harm[x], 2.0);
    }
    o.per_component = true;
    cr_assert_eq(cp_closeness(clo, v, NULL, &o, &err), CP_OK);
    for (int x = 0; x < 6; x++) {
        cr_assert_eq(clo[x], 1.0);
    }
    /* Hops ignore the weights: the bridge counts as one hop. Node 0 has distances 1, 1, 1, 2, 2
     * (closeness 5/7), node 1 has 1, 1, 2, 3, 3 (5/10). */
    double want_c[6] = {5.0 / 7.0, 0.5, 0.5, 5.0 / 7.0, 0.5, 0.5};
    double want_h[6] = {4.0, 2.0 + 0.5 + 2.0 / 3.0, 2.0 + 0.5 + 2.0 / 3.0,
                        4.0, 2.0 + 0.5 + 2.0 / 3.0, 2.0 + 0.5 + 2.0 / 3.0};
    o = opts_of(CP_LENGTH_HOPS, CP_DISTANCE_IN, false, false);
    cr_assert_eq(cp_closeness_harmonic(clo, harm, v, NULL, &o, &err), CP_OK);
    expect_exact(clo, want_c, 6, "hops closeness");
    expect_exact(harm, want_h, 6, "hops harmonic");
    /* The same with the bridge at weight 1 (inverse of 1 is 1 as well). */
    cp_view_free(&v);
    int32_t s[] = {0, 1, 2, 0, 3, 4, 5}, d[] = {1, 2, 0, 3, 4, 5, 3};
    double w[] = {1, 1, 1, 1, 1, 1, 1};
    cr_assert_eq(cp_view_from_edges(&v, 6, 7, s, d, w, NULL, CP_DIR_SYMMETRIC, CP_MULTI_KEEP, &err),
                 CP_OK);
    for (int l = 1; l < 3; l++) {
        o = opts_of((cp_length)l, CP_DISTANCE_IN, false, false);
        cr_assert_eq(cp_closeness_harmonic(clo, harm, v, NULL, &o, &err), CP_OK);
        expect_exact(clo, want_c, 6, "bridge 1 closeness");
        expect_exact(harm, want_h, 6, "bridge 1 harmonic");
    }
    cp_view_free(&v);
    /* Inverse lengths: a weight of 0 is an infinite length, the bridge is cut again; a weight of
     * +inf is a length of 0. */
    w[3] = 0.0;
    cr_assert_eq(cp_view_from_edges(&v, 6, 7, s, d, w, NULL, CP_DIR_SYMMETRIC, CP_MULTI_KEEP, &err),
                 CP_OK);
    o = opts_of(CP_LENGTH_INVERSE, CP_DISTANCE_IN, false, false);
    cr_assert_eq(cp_closeness(clo, v, NULL, &o, &err), CP_OK);
    for (int x = 0; x < 6; x++) {
        cr_assert(cp_test_close(clo[x], 0.4, 1e-15, 0.0));
    }
    cp_view_free(&v);
    /* NaN weight: rejected by every length that reads the weights, naming the edge. */
    w[3] = NAN;
    cr_assert_eq(cp_view_from_edges(&v, 6, 7, s, d, w, NULL, CP_DIR_SYMMETRIC, CP_MULTI_KEEP, &err),
                 CP_OK);
    for (int l = 1; l < 4; l++) {
        clo[0] = -1.0;
        o = opts_of((cp_length)l, CP_DISTANCE_IN, false, false);
        cr_assert_eq(cp_closeness(clo, v, NULL, &o, &err), CP_E_INVALID, "length %d", l);
        cr_assert(strstr(err.msg, "graph edge 3") != NULL, "%s", err.msg);
        cr_assert_eq(clo[0], 0.0);
    }
    cp_view_free(&v);
}

Test(cases, zerow_11) {
    json_t *c = need_case("zerow-11");
    json_t *exp = json_object_get(c, "expected");
    cr_assert_eq(json_number_value(json_object_get(exp, "dist_0_2")), 1.0);
    cp_view *v = case_view(c, "edges", -1, CP_DIR_STORED);
    double clo[3], harm[3];
    cp_error err;
    /* Outgoing from 0: node 1 at 0 (the zero edge), node 2 at 1 through it (not 5): r - 1 = 2,
     * D = 1, closeness 2 * 2/2 = 2 (networkx gives the same: zero lengths break the [0, 1] range);
     * harmonic 1/1 (node 1 at distance 0 adds nothing). Node 1 reaches 2 at 1. */
    cp_closeness_opts o = opts_of(CP_LENGTH_WEIGHT, CP_DISTANCE_OUT, false, false);
    cr_assert_eq(cp_closeness_harmonic(clo, harm, v, NULL, &o, &err), CP_OK, "%s", err.msg);
    double oc[3] = {2.0, 0.5, 0.0}, oh[3] = {1.0, 1.0, 0.0};
    expect_exact(clo, oc, 3, "out closeness");
    expect_exact(harm, oh, 3, "out harmonic");
    /* Incoming: node 2 from 1 (1) and 0 (1): closeness 1, harmonic 2; node 1 from 0 at distance
     * 0: D = 0, closeness 0, harmonic 0. */
    o.direction = CP_DISTANCE_IN;
    cr_assert_eq(cp_closeness_harmonic(clo, harm, v, NULL, &o, &err), CP_OK);
    double ic[3] = {0.0, 0.0, 1.0}, ih[3] = {0.0, 0.0, 2.0};
    expect_exact(clo, ic, 3, "in closeness");
    expect_exact(harm, ih, 3, "in harmonic");
    cp_view_free(&v);
    /* g11b: the all-zero undirected triangle. Every distance is 0: closeness 0 (D = 0) and
     * harmonic 0, as in networkx. */
    v = case_view(c, "g11b_edges", 0, CP_DIR_SYMMETRIC);
    o = opts_of(CP_LENGTH_WEIGHT, CP_DISTANCE_IN, false, false);
    cr_assert_eq(cp_closeness_harmonic(clo, harm, v, NULL, &o, &err), CP_OK);
    for (int x = 0; x < 3; x++) {
        cr_assert(clo[x] == 0.0 && harm[x] == 0.0);
    }
    cp_view_free(&v);
}

/* ---- hand-made graphs ---- */

static cp_view *edges_view(int32_t n, int64_t m, const int32_t *src, const int32_t *dst,
                           const double *w, cp_direction dir, cp_multi multi) {
    cp_view *v = NULL;
    cp_error err;
    cr_assert_eq(cp_view_from_edges(&v, n, m, src, dst, w, NULL, dir, multi, &err), CP_OK, "%s",
                 err.msg);
    return v;
}

Test(hand, parallel_edges_and_loops) {
    /* 0 -> 1 twice (lengths 5 and 2), 1 -> 2 (3), 0 -> 2 (9), loops at 1 and 2. Outgoing from 0:
     * d(0,1) = 2, d(0,2) = 5. */
    int32_t s[] = {0, 0, 1, 0, 1, 2}, d[] = {1, 1, 2, 2, 1, 2};
    double w[] = {5.0, 2.0, 3.0, 9.0, 0.5, 0.0};
    cp_view *v = edges_view(3, 6, s, d, w, CP_DIR_STORED, CP_MULTI_KEEP);
    double clo[3], harm[3];
    cp_error err;
    cp_closeness_opts o = opts_of(CP_LENGTH_WEIGHT, CP_DISTANCE_OUT, true, false);
    cr_assert_eq(cp_closeness_harmonic(clo, harm, v, NULL, &o, &err), CP_OK);
    double c[3] = {2.0 / 7.0, 1.0 / 3.0, 0.0}, h[3] = {0.5 + 0.2, 1.0 / 3.0, 0.0};
    expect_exact(clo, c, 3, "closeness");
    expect_exact(harm, h, 3, "harmonic");
    /* Collapsed, the parallel pair is one edge of length 7: d(0,1) = 7, d(0,2) = 9. */
    cp_view *cv = edges_view(3, 6, s, d, w, CP_DIR_STORED, CP_MULTI_COLLAPSE);
    cr_assert_eq(cp_closeness_harmonic(clo, harm, cv, NULL, &o, &err), CP_OK);
    cr_assert(cp_test_close(clo[0], 2.0 / 16.0, 1e-15, 1e-15), "%.17g", clo[0]);
    cp_view_free(&cv);
    /* Hops: d(0,1) = d(0,2) = 1. */
    o.length = CP_LENGTH_HOPS;
    cr_assert_eq(cp_closeness_harmonic(clo, harm, v, NULL, &o, &err), CP_OK);
    cr_assert(clo[0] == 1.0 && harm[0] == 2.0 && clo[1] == 1.0 && clo[2] == 0.0);
    cp_view_free(&v);
}

Test(hand, removal_keeps_n) {
    /* Star 0 - {1, 2, 3, 4} plus edge 4 - 5. Removing node 4 leaves 0 with 3 neighbours:
     * r - 1 = 3, D = 3, Wasserman-Faust 1 * 3/5 with n = 6 kept (networkx on the graph without
     * node 4 would give 3/4). Removed 4 and the cut-off 5 get 0. */
    int32_t s[] = {0, 0, 0, 0, 4}, d[] = {1, 2, 3, 4, 5};
    cp_view *v = edges_view(6, 5, s, d, NULL, CP_DIR_SYMMETRIC, CP_MULTI_KEEP);
    uint8_t rm[6] = {0, 0, 0, 0, 1, 0};
    double clo[6], harm[6];
    cp_error err;
    for (int l = 0; l < 2; l++) {
        cp_closeness_opts o = opts_of((cp_length)l, CP_DISTANCE_IN, false, true);
        cr_assert_eq(cp_closeness_harmonic(clo, harm, v, rm, &o, &err), CP_OK);
        double c[6] = {0.6, 3.0 / 5.0 * 3.0 / 5.0, 0.36, 0.36, 0.0, 0.0};
        double h[6] = {3.0 / 5.0, 2.0 / 5.0, 2.0 / 5.0, 2.0 / 5.0, 0.0, 0.0};
        expect_exact(clo, c, 6, "removed closeness");
        expect_exact(harm, h, 6, "removed harmonic");
    }
    /* Everything removed: all 0. */
    uint8_t all[6] = {1, 1, 1, 1, 1, 1};
    cr_assert_eq(cp_closeness_harmonic(clo, harm, v, all, NULL, &err), CP_OK);
    for (int x = 0; x < 6; x++) {
        cr_assert(clo[x] == 0.0 && harm[x] == 0.0);
    }
    cp_view_free(&v);
}

Test(hand, directed_path_and_neglog) {
    /* 0 -> 1 -> 2 -> 3 with probabilities 0.5, 1, 0.25: neglog lengths log 2, 0, log 4. */
    int32_t s[] = {0, 1, 2}, d[] = {1, 2, 3};
    double w[] = {0.5, 1.0, 0.25};
    cp_view *v = edges_view(4, 3, s, d, w, CP_DIR_STORED, CP_MULTI_KEEP);
    double clo[4], harm[4];
    cp_error err;
    /* Hops, incoming: node 3 from 2, 1, 0 at 1, 2, 3: (3/6) * (3/3) = 0.5; outgoing: node 0. */
    cp_closeness_opts o = opts_of(CP_LENGTH_HOPS, CP_DISTANCE_IN, false, false);
    cr_assert_eq(cp_closeness_harmonic(clo, harm, v, NULL, &o, &err), CP_OK);
    double ic[4] = {0.0, 1.0 / 3.0, 2.0 / 3.0 * 2.0 / 3.0, 0.5};
    double ih[4] = {0.0, 1.0, 1.5, 1.0 + 0.5 + 1.0 / 3.0};
    expect_exact(clo, ic, 4, "in closeness");
    expect_exact(harm, ih, 4, "in harmonic");
    o.direction = CP_DISTANCE_OUT;
    cr_assert_eq(cp_closeness_harmonic(clo, harm, v, NULL, &o, &err), CP_OK);
    double oc[4] = {0.5, 2.0 / 3.0 * 2.0 / 3.0, 1.0 / 3.0, 0.0};
    expect_exact(clo, oc, 4, "out closeness");
    /* neglog, outgoing from 0: d = log 2, log 2, log 2 + log 4 (= log 8). */
    o.length = CP_LENGTH_NEGLOG;
    cr_assert_eq(cp_closeness_harmonic(clo, harm, v, NULL, &o, &err), CP_OK);
    double l2 = -log(0.5), l8 = l2 + -log(0.25);
    cr_assert(cp_test_close(clo[0], 3.0 / (2.0 * l2 + l8), 1e-15, 1e-15), "%.17g", clo[0]);
    cr_assert(cp_test_close(harm[0], 2.0 / l2 + 1.0 / l8, 1e-15, 1e-15), "%.17g", harm[0]);
    /* Node 1 reaches 2 at distance 0: counted in r, not in the harmonic sum. */
    cr_assert(cp_test_close(clo[1], 2.0 / (-log(0.25)) * 2.0 / 3.0, 1e-15, 1e-15));
    cr_assert(cp_test_close(harm[1], 1.0 / (-log(0.25)), 1e-15, 1e-15));
    cp_view_free(&v);
}

/* ---- random graphs: BFS vs Dijkstra, threads, errors, fault injection ---- */

static uint64_t rng_next(uint64_t *s) {
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* n nodes, m random edges; weights 1 (unit) or 1..7 and a tenth of them 0. */
static cp_view *random_view(uint64_t seed, int32_t n, int64_t m, cp_direction dir, bool unit) {
    uint64_t st = seed;
    int32_t *s = malloc((size_t)m * sizeof *s), *d = malloc((size_t)m * sizeof *d);
    double *w = malloc((size_t)m * sizeof *w);
    for (int64_t e = 0; e < m; e++) {
        s[e] = (int32_t)(rng_next(&st) % (uint64_t)n);
        d[e] = (int32_t)(rng_next(&st) % (uint64_t)n);
        uint64_t r = rng_next(&st) % 10;
        w[e] = unit ? 1.0 : (r == 0 ? 0.0 : (double)r);
    }
    cp_view *v = edges_view(n, m, s, d, w, dir, CP_MULTI_KEEP);
    free(s);
    free(d);
    free(w);
    return v;
}

/* The bit-parallel BFS and Dijkstra on unit lengths agree bit for bit (distance sums are exact
 * integers, and both add harmonic terms per distinct distance), over several batches of 64, with
 * a removal mask, in both directions. */
Test(hand, bfs_matches_dijkstra) {
    int32_t n = 1000;
    cp_view *views[2] = {random_view(11, n, 1600, CP_DIR_STORED, true),
                         random_view(12, n, 900, CP_DIR_SYMMETRIC, true)};
    uint8_t *rm = calloc((size_t)n, 1);
    for (int32_t x = 3; x < n; x += 13) {
        rm[x] = 1;
    }
    double *c1 = malloc((size_t)n * sizeof *c1), *h1 = malloc((size_t)n * sizeof *h1);
    double *c2 = malloc((size_t)n * sizeof *c2), *h2 = malloc((size_t)n * sizeof *h2);
    cp_error err;
    for (int k = 0; k < 2; k++) {
        for (int masked = 0; masked < 2; masked++) {
            for (int d = 0; d < 2; d++) {
                cp_closeness_opts o = opts_of(CP_LENGTH_HOPS, (cp_distance_dir)d, false, false);
                const uint8_t *r = masked ? rm : NULL;
                cr_assert_eq(cp_closeness_harmonic(c1, h1, views[k], r, &o, &err), CP_OK);
                o.length = CP_LENGTH_WEIGHT;
                cr_assert_eq(cp_closeness_harmonic(c2, h2, views[k], r, &o, &err), CP_OK);
                cr_assert_eq(memcmp(c1, c2, (size_t)n * sizeof *c1), 0, "closeness %d %d %d", k,
                             masked, d);
                cr_assert_eq(memcmp(h1, h2, (size_t)n * sizeof *h1), 0, "harmonic %d %d %d", k,
                             masked, d);
                double total = 0.0;
                for (int32_t x = 0; x < n; x++) {
                    total += c1[x];
                    if (r != NULL && r[x]) {
                        cr_assert(c1[x] == 0.0 && h1[x] == 0.0);
                    }
                }
                cr_assert(total > 0.0);
            }
        }
        cp_view_free(&views[k]);
    }
    free(rm);
    free(c1);
    free(h1);
    free(c2);
    free(h2);
}

Test(threads, deterministic) {
    int32_t n = 2000; /* enough work for two threads with either method */
    cp_view *v = random_view(21, n, 30000, CP_DIR_STORED, false);
    uint8_t *rm = calloc((size_t)n, 1);
    for (int32_t x = 0; x < n; x += 29) {
        rm[x] = 1;
    }
    double *a = malloc((size_t)n * sizeof *a), *ah = malloc((size_t)n * sizeof *ah);
    double *b = malloc((size_t)n * sizeof *b), *bh = malloc((size_t)n * sizeof *bh);
    cp_error err;
    for (int l = 0; l < 2; l++) {
        cp_closeness_opts o = opts_of((cp_length)l, CP_DISTANCE_IN, false, false);
        omp_set_num_threads(1);
        cr_assert_eq(cp_closeness_harmonic(a, ah, v, rm, &o, &err), CP_OK);
        omp_set_num_threads(2);
        cr_assert_eq(cp_closeness_harmonic(b, bh, v, rm, &o, &err), CP_OK);
        cr_assert_eq(memcmp(a, b, (size_t)n * sizeof *a), 0, "closeness, length %d", l);
        cr_assert_eq(memcmp(ah, bh, (size_t)n * sizeof *ah), 0, "harmonic, length %d", l);
    }
    free(a);
    free(ah);
    free(b);
    free(bh);
    free(rm);
    cp_view_free(&v);
}

Test(errors, invalid_arguments) {
    int32_t s[] = {0, 1}, d[] = {1, 2};
    double w[] = {1.0, -2.0};
    cp_view *v = edges_view(3, 2, s, d, w, CP_DIR_STORED, CP_MULTI_KEEP);
    double out[3] = {-1.0, -1.0, -1.0}, harm[3];
    cp_error err;
    cr_assert_eq(cp_closeness_harmonic(out, harm, NULL, NULL, NULL, &err), CP_E_INVALID);
    cr_assert(strstr(err.msg, "no view") != NULL, "%s", err.msg);
    cr_assert_eq(cp_closeness_harmonic(NULL, NULL, v, NULL, NULL, &err), CP_E_INVALID);
    cr_assert(strstr(err.msg, "no output") != NULL, "%s", err.msg);
    cr_assert_eq(cp_closeness(NULL, v, NULL, NULL, &err), CP_E_INVALID);
    cr_assert_eq(cp_harmonic(NULL, v, NULL, NULL, &err), CP_E_INVALID);
    cr_assert_eq(cp_closeness(out, NULL, NULL, NULL, NULL), CP_E_INVALID); /* err may be NULL */
    cp_closeness_opts o = opts_of((cp_length)7, CP_DISTANCE_IN, false, false);
    cr_assert_eq(cp_closeness(out, v, NULL, &o, &err), CP_E_INVALID);
    cr_assert(strstr(err.msg, "length 7") != NULL, "%s", err.msg);
    o = opts_of((cp_length)-1, CP_DISTANCE_IN, false, false);
    cr_assert_eq(cp_closeness(out, v, NULL, &o, &err), CP_E_INVALID);
    o = opts_of(CP_LENGTH_HOPS, (cp_distance_dir)2, false, false);
    cr_assert_eq(cp_harmonic(out, v, NULL, &o, &err), CP_E_INVALID);
    cr_assert(strstr(err.msg, "direction 2") != NULL, "%s", err.msg);
    cr_assert(out[0] == 0.0 && out[1] == 0.0 && out[2] == 0.0);
    /* A negative weight: rejected by the lengths that read it, in either direction (the message
     * names graph edge 1), on every output; hops never read weights. */
    for (int dir = 0; dir < 2; dir++) {
        for (int l = 1; l < 4; l++) {
            out[1] = -1.0;
            harm[1] = -1.0;
            o = opts_of((cp_length)l, (cp_distance_dir)dir, false, false);
            cr_assert_eq(cp_closeness_harmonic(out, harm, v, NULL, &o, &err), CP_E_INVALID);
            cr_assert(strstr(err.msg, "graph edge 1") != NULL, "%s", err.msg);
            cr_assert(strstr(err.msg, "cp_closeness") != NULL, "%s", err.msg);
            cr_assert(out[1] == 0.0 && harm[1] == 0.0);
        }
    }
    o = opts_of(CP_LENGTH_HOPS, CP_DISTANCE_OUT, false, false);
    cr_assert_eq(cp_closeness(out, v, NULL, &o, &err), CP_OK);
    cr_assert_eq(out[0], 2.0 / 3.0);
    cp_view_free(&v);
    /* neglog needs weights in [0, 1]. */
    double w2[] = {0.5, 1.5};
    v = edges_view(3, 2, s, d, w2, CP_DIR_SYMMETRIC, CP_MULTI_KEEP);
    o = opts_of(CP_LENGTH_NEGLOG, CP_DISTANCE_IN, false, false);
    cr_assert_eq(cp_closeness(out, v, NULL, &o, &err), CP_E_INVALID);
    cr_assert(strstr(err.msg, "neglog") != NULL, "%s", err.msg);
    o.length = CP_LENGTH_INVERSE;
    cr_assert_eq(cp_closeness(out, v, NULL, &o, &err), CP_OK);
    cp_view_free(&v);
}

/* Every allocation failing in turn: CP_E_NOMEM with all-zero outputs (never a crash or a leak:
 * the sanitizer build checks the latter) until enough allocations succeed. */
Test(errors, allocation_failures) {
    int32_t n = 1000; /* enough work for two threads on Dijkstra */
    cp_view *v = random_view(31, n, 3000, CP_DIR_STORED, false);
    double *clo = malloc((size_t)n * sizeof *clo), *harm = malloc((size_t)n * sizeof *harm);
    cp_error err;
    for (int l = 0; l < 3; l++) {
        for (int d = 0; d < 2; d++) {
            cp_closeness_opts o = opts_of((cp_length)l, (cp_distance_dir)d, false, true);
            for (int threads = 1; threads <= 2; threads++) {
                omp_set_num_threads(threads);
                int ok = 0;
                for (long k = 0; k < 64 && !ok; k++) {
                    for (int32_t x = 0; x < n; x++) {
                        clo[x] = harm[x] = -1.0;
                    }
                    cp__alloc_fail_after(k);
                    cp_status st = cp_closeness_harmonic(clo, harm, v, NULL, &o, &err);
                    cp__alloc_fail_after(-1);
                    cr_assert(st == CP_OK || st == CP_E_NOMEM, "length %d, failure %ld: %d", l, k,
                              st);
                    ok = st == CP_OK;
                    if (!ok) {
                        cr_assert(strstr(err.msg, "out of memory") != NULL, "%s", err.msg);
                        for (int32_t x = 0; x < n; x++) {
                            cr_assert(clo[x] == 0.0 && harm[x] == 0.0);
                        }
                    }
                }
                cr_assert(ok, "length %d never succeeded", l);
            }
        }
    }
    free(clo);
    free(harm);
    cp_view_free(&v);
}
