/* Degree and strength, source-target betweenness, weakly connected components, S-T pair counts and
 * S-T maximum flow (include/chokepoint/centrality.h).
 *
 * Oracles: the fixtures in tests/fixtures/centrality/ written by
 * tests/oracle/make_centrality_fixtures.py (networkx 2.8 and an exact path-count enumeration;
 * random graphs with self-loops, parallel edges, isolated and removed nodes; and SNAP
 * email-Eu-core, read here from ../shared when present); the cases of ../shared/cases/; hand-made
 * graphs with known answers. The flow through each node is not unique, so it is checked by its
 * properties (capacities, conservation, value) rather than against networkx.
 *
 * Tolerances: degrees, components and pair counts exact; strength |a-b| <= 1e-9 + 1e-12 |b|;
 * betweenness 1e-9 + 1e-9 |b|; max-flow value 1e-9 + 1e-9 |b|. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <omp.h>

#include "alloc.h"
#include "centrality_impl.h"
#include "chokepoint/centrality.h"
#include "chokepoint/view.h"
#include "cp_fixture.h"
#include "cp_test.h"

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

static void check_degree(const cp_fixture *f, const cp_view *v) {
    double *got = calloc((size_t)f->n + 1, sizeof *got);
    cp_error err;
    static const char *dkeys[3] = {"deg_out", "deg_in", "deg_total"};
    static const char *skeys[3] = {"str_out", "str_in", "str_total"};
    for (int mode = 0; mode < 3; mode++) {
        for (int weighted = 0; weighted < 2; weighted++) {
            const char *key =
                f->directed ? (weighted ? skeys[mode] : dkeys[mode]) : (weighted ? "str" : "deg");
            if (cp_fixture_get(f, key, NULL) == NULL) {
                continue;
            }
            cr_assert_eq(cp_degree(got, v, f->removed, (cp_degree_mode)mode, weighted, &err), CP_OK,
                         "%s", err.msg);
            expect_array(f, key, got, weighted ? 1e-9 : 0.0, weighted ? 1e-12 : 0.0);
        }
    }
    free(got);
}

static void check_betweenness(const cp_fixture *f, const cp_view *v) {
    double *got = calloc((size_t)f->n + 1, sizeof *got);
    cp_error err;
    double pairs = -1.0;
    cr_assert_eq(cp_st_betweenness(got, v, f->removed, f->sources, f->n_sources, f->targets,
                                   f->n_targets, false, &pairs, &err),
                 CP_OK, "%s", err.msg);
    expect_array(f, "bc_raw", got, 1e-9, 1e-9);
    cr_assert_eq(pairs, cp_fixture_scalar(f, "bc_pairs"),
                 "%s: %.17g connected pairs, expected %.17g", f->name, pairs,
                 cp_fixture_scalar(f, "bc_pairs"));
    cr_assert_eq(cp_st_betweenness(got, v, f->removed, f->sources, f->n_sources, f->targets,
                                   f->n_targets, true, NULL, &err),
                 CP_OK, "%s", err.msg);
    expect_array(f, "bc_norm", got, 1e-9, 1e-9);
    for (int32_t x = 0; x < f->n; x++) {
        cr_assert(got[x] >= 0.0 && got[x] <= 1.0 + 1e-12, "%s: normalised %d = %g", f->name, x,
                  got[x]);
    }
    free(got);
}

static void check_wcc(const cp_fixture *f, const cp_view *v) {
    int32_t *labels = calloc((size_t)f->n + 1, sizeof *labels);
    int32_t count = -1, largest = -1;
    cp_error err;
    cr_assert_eq(cp_wcc(labels, &count, &largest, v, f->removed, &err), CP_OK, "%s", err.msg);
    int64_t c = 0;
    const double *exp = cp_fixture_get(f, "wcc_labels", &c);
    cr_assert(exp != NULL && c == f->n);
    for (int32_t x = 0; x < f->n; x++) {
        cr_assert_eq(labels[x], (int32_t)exp[x], "%s: label[%d] = %d, expected %d", f->name, x,
                     labels[x], (int32_t)exp[x]);
    }
    cr_assert_eq(count, (int32_t)cp_fixture_scalar(f, "wcc_count"), "%s", f->name);
    cr_assert_eq(largest, (int32_t)cp_fixture_scalar(f, "wcc_largest"), "%s", f->name);
    free(labels);
}

static void check_pairs(const cp_fixture *f, const cp_view *v) {
    double got = -1.0;
    cp_error err;
    cr_assert_eq(
        cp_st_pairs(&got, v, f->removed, f->sources, f->n_sources, f->targets, f->n_targets, &err),
        CP_OK, "%s", err.msg);
    cr_assert_eq(got, cp_fixture_scalar(f, "st_pairs"), "%s: %g pairs, expected %g", f->name, got,
                 cp_fixture_scalar(f, "st_pairs"));
}

/* The properties of a maximum flow (edge_flow from cp__st_maxflow_edges): capacities respected,
 * antisymmetric on a symmetric view, nothing at removed nodes or on loops, conservation at every
 * node outside S and T, net outflow of S = inflow of T = value, and node_flow as documented. */
static void check_flow_properties(const char *name, const cp_view *v, const uint8_t *removed,
                                  const int32_t *S, int64_t ns, const int32_t *T, int64_t nt,
                                  double value, const double *node_flow, const double *ef) {
    int32_t n = v->n;
    double *in = calloc((size_t)n + 1, sizeof *in), *out = calloc((size_t)n + 1, sizeof *out);
    double *through = calloc((size_t)n + 1, sizeof *through);
    uint8_t *inS = calloc((size_t)n + 1, 1), *inT = calloc((size_t)n + 1, 1);
    for (int64_t i = 0; i < ns; i++) {
        inS[S[i]] = removed == NULL || !removed[S[i]];
    }
    for (int64_t i = 0; i < nt; i++) {
        inT[T[i]] = removed == NULL || !removed[T[i]];
    }
    for (int32_t u = 0; u < n; u++) {
        for (int64_t k = v->offsets[u]; k < v->offsets[u + 1]; k++) {
            int32_t w = v->indices[k];
            double f = ef[k], c = v->weights[k];
            bool dead = w == u || (removed != NULL && (removed[u] || removed[w]));
            if (dead) {
                cr_assert_eq(f, 0.0, "%s: flow %g on a loop or removed entry %ld", name, f,
                             (long)k);
                continue;
            }
            double slack = 1e-9 * c + 1e-12;
            if (v->directed) {
                cr_assert(f >= 0.0 && f <= c + slack, "%s: flow %.17g on entry %ld of capacity %g",
                          name, f, (long)k, c);
            } else {
                cr_assert(fabs(f) <= c + slack, "%s: flow %.17g on edge entry %ld of capacity %g",
                          name, f, (long)k, c);
            }
            /* Each edge once: every entry on a directed view, the u < w entry on a symmetric one.
             */
            if (v->directed || u < w) {
                double a = f > 0 ? f : 0.0, b = f < 0 ? -f : 0.0;
                out[u] += a;
                in[w] += a;
                out[w] += b;
                in[u] += b;
                through[u] += fabs(f);
                through[w] += fabs(f);
            }
        }
    }
    if (!v->directed) {
        /* Antisymmetry: entries u -> w of row u sum to minus the entries w -> u of row w. */
        for (int32_t u = 0; u < n; u++) {
            for (int64_t k = v->offsets[u]; k < v->offsets[u + 1]; k++) {
                int32_t w = v->indices[k];
                if (u >= w) {
                    continue;
                }
                double a = 0.0, b = 0.0;
                for (int64_t j = v->offsets[u]; j < v->offsets[u + 1]; j++) {
                    a += v->indices[j] == w ? ef[j] : 0.0;
                }
                for (int64_t j = v->offsets[w]; j < v->offsets[w + 1]; j++) {
                    b += v->indices[j] == u ? ef[j] : 0.0;
                }
                cr_assert(cp_test_close(a, -b, 1e-12, 1e-12), "%s: edge %d-%d not antisymmetric",
                          name, u, w);
            }
        }
    }
    double net_s = 0.0, net_t = 0.0;
    for (int32_t x = 0; x < n; x++) {
        double tol = 1e-9 * through[x] + 1e-12;
        if (removed != NULL && removed[x]) {
            cr_assert_eq(node_flow[x], 0.0, "%s: removed node %d has flow", name, x);
            continue;
        }
        if (inS[x]) {
            net_s += out[x] - in[x];
            cr_assert(cp_test_close(node_flow[x], out[x], 1e-12, 1e-12), "%s: node_flow[%d]", name,
                      x);
        } else {
            cr_assert(cp_test_close(node_flow[x], in[x], 1e-12, 1e-12), "%s: node_flow[%d]", name,
                      x);
        }
        if (inT[x]) {
            net_t += in[x] - out[x];
        }
        if (!inS[x] && !inT[x]) {
            cr_assert(fabs(in[x] - out[x]) <= tol, "%s: node %d: in %.17g, out %.17g", name, x,
                      in[x], out[x]);
        }
        cr_assert(node_flow[x] >= 0.0);
    }
    cr_assert(cp_test_close(net_s, value, 1e-9, 1e-9), "%s: net outflow of S %.17g, value %.17g",
              name, net_s, value);
    cr_assert(cp_test_close(net_t, value, 1e-9, 1e-9), "%s: net inflow of T %.17g, value %.17g",
              name, net_t, value);
    free(in);
    free(out);
    free(through);
    free(inS);
    free(inT);
}

static void check_maxflow(const cp_fixture *f, const cp_view *v) {
    double value = -1.0;
    double *nf = calloc((size_t)f->n + 1, sizeof *nf);
    double *ef = calloc((size_t)v->m + 1, sizeof *ef);
    cp_error err;
    double exp = cp_fixture_scalar(f, "maxflow");
    cr_assert_eq(cp__st_maxflow_edges(&value, nf, ef, v, f->removed, f->sources, f->n_sources,
                                      f->targets, f->n_targets, &err),
                 CP_OK, "%s", err.msg);
    cr_assert(cp_test_close(value, exp, 1e-9, 1e-9), "%s: max flow %.17g, expected %.17g", f->name,
              value, exp);
    if (isinf(exp)) {
        /* Every node in both S and T carries +inf. */
        for (int64_t i = 0; i < f->n_sources; i++) {
            int32_t s = f->sources[i];
            bool in_t = false;
            for (int64_t j = 0; j < f->n_targets; j++) {
                in_t = in_t || f->targets[j] == s;
            }
            if (in_t && (f->removed == NULL || !f->removed[s])) {
                cr_assert(isinf(nf[s]), "%s: node %d in S and T has flow %g", f->name, s, nf[s]);
            }
        }
    } else {
        check_flow_properties(f->name, v, f->removed, f->sources, f->n_sources, f->targets,
                              f->n_targets, value, nf, ef);
    }
    /* The public entry point gives the same value and node flows. */
    double value2 = -1.0;
    double *nf2 = calloc((size_t)f->n + 1, sizeof *nf2);
    cr_assert_eq(cp_st_maxflow(&value2, nf2, v, f->removed, f->sources, f->n_sources, f->targets,
                               f->n_targets, &err),
                 CP_OK);
    cr_assert(value2 == value || (isnan(value2) && isnan(value)));
    cr_assert_eq(memcmp(nf, nf2, (size_t)f->n * sizeof *nf), 0, "%s: node flows differ", f->name);
    free(nf2);
    free(nf);
    free(ef);
}

static void check_fixture(const cp_fixture *f) {
    cp_view *v = cp_fixture_view(f);
    check_degree(f, v);
    check_betweenness(f, v);
    check_wcc(f, v);
    check_pairs(f, v);
    check_maxflow(f, v);
    cp_view_free(&v);
}

Test(oracle, random_graphs) {
    int ran = cp_fixture_each("centrality", true, check_fixture);
    cr_assert_geq(ran, 10, "only %d fixtures found", ran);
}

Test(oracle, email_eu_core) {
    if (cp_test_shared("datasets/snap/email-Eu-core.txt") == NULL) {
        cr_skip_test("../shared/datasets/snap/email-Eu-core.txt absent");
    }
    int ran = cp_fixture_each("centrality", false, check_fixture);
    cr_assert_geq(ran, 2, "only %d email fixtures ran", ran);
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

Test(cases, bc_subset_04) {
    json_t *c = need_case("bc-subset-04");
    json_t *exp = json_object_get(c, "expected");
    cp_view *v = case_view(c, "edges", -1, CP_DIR_SYMMETRIC, CP_MULTI_KEEP);
    int32_t S[] = {0, 1}, T[] = {2, 3};
    double out[4], pairs = 0.0;
    cp_error err;
    cr_assert_eq(cp_st_betweenness(out, v, NULL, S, 2, T, 2, false, &pairs, &err), CP_OK);
    cp_test_expect_json_array(out, json_object_get(exp, "bc_subset"), 4, 1e-12, "bc_subset");
    cr_assert_eq(pairs, 2.0); /* (0,2) and (1,2); node 3 is isolated */
    /* networkx's value for node 1 is half of ours: it halves every pair on undirected graphs. */
    cr_assert(cp_test_close(out[1] / 2.0,
                            json_number_value(json_object_get(exp, "networkx_convention_value_for_"
                                                                   "node1")),
                            1e-12, 0.0));
    /* Normalised by the connected pairs. */
    cr_assert_eq(cp_st_betweenness(out, v, NULL, S, 2, T, 2, true, NULL, &err), CP_OK);
    cr_assert_eq(out[1], 0.5);
    cp_view_free(&v);
    /* The 3-node path, S = {0}, T = {2}. */
    int32_t ps[] = {0, 1}, pd[] = {1, 2}, s0[] = {0}, t2[] = {2};
    cr_assert_eq(
        cp_view_from_edges(&v, 3, 2, ps, pd, NULL, NULL, CP_DIR_SYMMETRIC, CP_MULTI_KEEP, &err),
        CP_OK);
    cr_assert_eq(cp_st_betweenness(out, v, NULL, s0, 1, t2, 1, false, NULL, &err), CP_OK);
    cp_test_expect_json_array(out, json_object_get(exp, "extra_path3_sources_{0}_targets_{2}"), 3,
                              1e-12, "path3");
    cp_view_free(&v);
}

Test(cases, selfloop_deg_27) {
    json_t *c = need_case("selfloop-deg-27");
    json_t *exp = json_object_get(c, "expected");
    cp_view *v = case_view(c, "edges", -1, CP_DIR_SYMMETRIC, CP_MULTI_KEEP);
    double out[2];
    cp_error err;
    cr_assert_eq(cp_degree(out, v, NULL, CP_DEGREE_TOTAL, false, &err), CP_OK);
    cp_test_expect_json_array(out, json_object_get(exp, "degree_loops_twice"), 2, 0.0, "degree");
    cr_assert_eq(cp_degree(out, v, NULL, CP_DEGREE_TOTAL, true, &err), CP_OK);
    cp_test_expect_json_array(out, json_object_get(exp, "strength_loops_twice"), 2, 0.0,
                              "strength");
    /* Mode is ignored on a symmetric view. */
    cr_assert_eq(cp_degree(out, v, NULL, CP_DEGREE_IN, true, &err), CP_OK);
    cp_test_expect_json_array(out, json_object_get(exp, "strength_loops_twice"), 2, 0.0,
                              "strength in");
    cp_view_free(&v);
    /* Directed loop 0 -> 0: in 1, out 1, total 2. */
    json_t *dl = json_object_get(exp, "directed_loop_0->0");
    int32_t z[] = {0};
    cr_assert_eq(cp_view_from_edges(&v, 1, 1, z, z, NULL, NULL, CP_DIR_STORED, CP_MULTI_KEEP, &err),
                 CP_OK);
    const char *names[3] = {"out", "in", "total"};
    for (int mode = 0; mode < 3; mode++) {
        cr_assert_eq(cp_degree(out, v, NULL, (cp_degree_mode)mode, false, &err), CP_OK);
        cr_assert_eq(out[0], json_number_value(json_object_get(dl, names[mode])), "%s",
                     names[mode]);
    }
    cp_view_free(&v);
    /* Multigraph (1,2),(1,1),(2,2) (labels 1, 2 as nodes 0, 1): degrees 3 and 3. */
    int32_t ms[] = {0, 0, 1}, md[] = {1, 0, 1};
    cr_assert_eq(
        cp_view_from_edges(&v, 2, 3, ms, md, NULL, NULL, CP_DIR_SYMMETRIC, CP_MULTI_KEEP, &err),
        CP_OK);
    cr_assert_eq(cp_degree(out, v, NULL, CP_DEGREE_TOTAL, false, &err), CP_OK);
    json_t *mg = json_object_get(exp, "multigraph_(1,2),(1,1),(2,2)_degrees");
    cr_assert_eq(out[0], json_number_value(json_object_get(mg, "1")));
    cr_assert_eq(out[1], json_number_value(json_object_get(mg, "2")));
    cp_view_free(&v);
}

Test(cases, cc_isolated_24) {
    json_t *c = need_case("cc-isolated-24");
    json_t *exp = json_object_get(c, "expected");
    cp_view *v = case_view(c, "edges", -1, CP_DIR_SYMMETRIC, CP_MULTI_KEEP);
    int32_t n = (int32_t)json_integer_value(json_object_get(exp, "n_nodes"));
    cr_assert_eq(v->n, n);
    int32_t labels[10], count = 0, largest = 0;
    cp_error err;
    cr_assert_eq(cp_wcc(labels, &count, &largest, v, NULL, &err), CP_OK);
    cr_assert_eq(count, (int32_t)json_integer_value(json_object_get(exp, "n_components")));
    cr_assert_eq(largest, (int32_t)json_integer_value(json_object_get(exp, "lcc_size")));
    /* Every listed component: one label, the smallest member. */
    size_t i;
    json_t *comp;
    json_array_foreach(json_object_get(exp, "wcc"), i, comp) {
        int32_t first = (int32_t)json_integer_value(json_array_get(comp, 0));
        size_t j;
        json_t *x;
        json_array_foreach(comp, j, x) {
            cr_assert_eq(labels[json_integer_value(x)], first);
        }
    }
    double deg[10];
    cr_assert_eq(cp_degree(deg, v, NULL, CP_DEGREE_TOTAL, false, &err), CP_OK);
    cp_test_expect_json_array(deg, json_object_get(exp, "degree_selfloop_counts_2"), n, 0.0,
                              "degree");
    /* The directed reading gives the same components. */
    cp_view_free(&v);
    v = case_view(c, "edges", 1, CP_DIR_STORED, CP_MULTI_KEEP);
    cr_assert_eq(cp_wcc(labels, &count, &largest, v, NULL, &err), CP_OK);
    cr_assert_eq(count, 4);
    cr_assert_eq(largest, 7);
    /* Removing node 7 (the hub) splits the big component. */
    uint8_t removed[10] = {0};
    removed[7] = 1;
    cr_assert_eq(cp_wcc(labels, &count, &largest, v, removed, &err), CP_OK);
    int32_t want[10] = {0, 1, 2, 3, 4, 1, 6, -1, 1, 9};
    for (int x = 0; x < 10; x++) {
        cr_assert_eq(labels[x], want[x], "label[%d] = %d", x, labels[x]);
    }
    cr_assert_eq(count, 7);
    cr_assert_eq(largest, 3);
    cp_view_free(&v);
}

Test(cases, multi_09) {
    json_t *c = need_case("multi-09");
    json_t *exp = json_object_get(c, "expected");
    cp_error err;
    double out[4];
    /* (c): the edges [[0,1],[1,0],[1,2],[2,1]] read as undirected. */
    cp_graph *g = cp_test_case_graph(c, "c_edges", 1);
    cp_view *v = NULL;
    cp_view_spec keep = {0, CP_DIR_SYMMETRIC, CP_MULTI_KEEP};
    cp_view_spec collapse = {0, CP_DIR_SYMMETRIC, CP_MULTI_COLLAPSE};
    cr_assert_eq(cp_view_build(&v, g, &keep, &err), CP_OK);
    cr_assert_eq(cp_degree(out, v, NULL, CP_DEGREE_TOTAL, false, &err), CP_OK);
    cp_test_expect_json_array(out, json_object_get(exp, "c_degree_as_multigraph"), 3, 0.0,
                              "multigraph");
    int32_t all3[] = {0, 1, 2};
    cr_assert_eq(cp_st_betweenness(out, v, NULL, all3, 3, all3, 3, false, NULL, &err), CP_OK);
    cp_test_expect_json_array(out, json_object_get(exp, "c_vertex_bc_unordered_either_way"), 3,
                              1e-12, "c bc keep");
    cp_view_free(&v);
    cr_assert_eq(cp_view_build(&v, g, &collapse, &err), CP_OK);
    cr_assert_eq(cp_degree(out, v, NULL, CP_DEGREE_TOTAL, false, &err), CP_OK);
    cp_test_expect_json_array(out, json_object_get(exp, "c_degree_deduplicated"), 3, 0.0,
                              "deduplicated");
    cr_assert_eq(cp_st_betweenness(out, v, NULL, all3, 3, all3, 3, false, NULL, &err), CP_OK);
    cp_test_expect_json_array(out, json_object_get(exp, "c_vertex_bc_unordered_either_way"), 3,
                              1e-12, "c bc collapse");
    cp_view_free(&v);
    cp_graph_free(&g);
    /* (a): the doubled edge 0=1 gives distinct shortest paths under keep, one under collapse;
     * S = T = every node on a symmetric view counts each unordered pair once. */
    int32_t all4[] = {0, 1, 2, 3};
    g = cp_test_case_graph(c, "edges", -1);
    cr_assert_eq(cp_view_build(&v, g, &keep, &err), CP_OK);
    cr_assert_eq(cp_st_betweenness(out, v, NULL, all4, 4, all4, 4, false, NULL, &err), CP_OK);
    cp_test_expect_json_array(out, json_object_get(exp, "a_raw_unordered_parallel_edges_distinct"),
                              4, 1e-6, "a keep");
    cp_view_free(&v);
    cr_assert_eq(cp_view_build(&v, g, &collapse, &err), CP_OK);
    cr_assert_eq(cp_st_betweenness(out, v, NULL, all4, 4, all4, 4, false, NULL, &err), CP_OK);
    cp_test_expect_json_array(out, json_object_get(exp, "a_raw_unordered_parallel_edges_collapsed"),
                              4, 1e-6, "a collapse");
    cp_view_free(&v);
    cp_graph_free(&g);
}

Test(cases, empty_19) {
    json_t *c = need_case("empty-19");
    json_t *exp = json_object_get(c, "expected");
    cp_error err;
    cp_view *v = NULL;
    /* n = 0: no components, no results, no error. */
    cr_assert_eq(
        cp_view_from_edges(&v, 0, 0, NULL, NULL, NULL, NULL, CP_DIR_STORED, CP_MULTI_KEEP, &err),
        CP_OK);
    int32_t count = -1, largest = -1;
    cr_assert_eq(cp_wcc(NULL, &count, &largest, v, NULL, &err), CP_OK);
    json_t *n0 = json_object_get(exp, "n0");
    cr_assert_eq(count, (int32_t)json_integer_value(json_object_get(n0, "components")));
    cr_assert_eq(largest, (int32_t)json_integer_value(json_object_get(n0, "lcc")));
    double pairs = -1.0, value = -1.0;
    cr_assert_eq(cp_degree(NULL, v, NULL, CP_DEGREE_OUT, false, &err), CP_OK);
    cr_assert_eq(cp_st_betweenness(NULL, v, NULL, NULL, 0, NULL, 0, true, &pairs, &err), CP_OK);
    cr_assert_eq(pairs, 0.0);
    cr_assert_eq(cp_st_pairs(&pairs, v, NULL, NULL, 0, NULL, 0, &err), CP_OK);
    cr_assert_eq(pairs, 0.0);
    cr_assert_eq(cp_st_maxflow(&value, NULL, v, NULL, NULL, 0, NULL, 0, &err), CP_OK);
    cr_assert_eq(value, 0.0);
    cp_view_free(&v);
    /* n = 1: one component; betweenness 0. */
    int32_t zero[] = {0};
    double out[2] = {-1.0, -1.0};
    int32_t labels[2];
    cr_assert_eq(
        cp_view_from_edges(&v, 1, 0, NULL, NULL, NULL, NULL, CP_DIR_STORED, CP_MULTI_KEEP, &err),
        CP_OK);
    cr_assert_eq(cp_wcc(labels, &count, &largest, v, NULL, &err), CP_OK);
    cr_assert_eq(count, (int32_t)json_integer_value(
                            json_object_get(json_object_get(exp, "n1"), "components")));
    cr_assert_eq(largest, 1);
    cr_assert_eq(labels[0], 0);
    cr_assert_eq(cp_st_betweenness(out, v, NULL, zero, 1, zero, 1, true, &pairs, &err), CP_OK);
    cp_test_expect_json_array(
        out, json_object_get(json_object_get(exp, "n1"), "betweenness_normalized"), 1, 0.0, "n1");
    cr_assert_eq(pairs, 0.0);
    cp_view_free(&v);
    /* n = 2, one undirected edge: betweenness 0 for both, one component of 2. */
    int32_t s[] = {0}, d[] = {1}, both[] = {0, 1};
    cr_assert_eq(
        cp_view_from_edges(&v, 2, 1, s, d, NULL, NULL, CP_DIR_SYMMETRIC, CP_MULTI_KEEP, &err),
        CP_OK);
    cr_assert_eq(cp_st_betweenness(out, v, NULL, both, 2, both, 2, true, &pairs, &err), CP_OK);
    cp_test_expect_json_array(
        out,
        json_object_get(json_object_get(exp, "n2_edge_0_1_undirected"), "betweenness_normalized"),
        2, 0.0, "n2");
    cr_assert_eq(pairs, 1.0);
    cr_assert_eq(cp_wcc(labels, &count, &largest, v, NULL, &err), CP_OK);
    cr_assert_eq(count, 1);
    cr_assert_eq(largest, 2);
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

/* Diamond 0 -> {1, 2} -> 3 plus 1 -> 2: the minimum cut {1->3, 2->3} has capacity 3 + 4 = 7. */
static const int32_t dia_s[] = {0, 0, 1, 1, 2};
static const int32_t dia_d[] = {1, 2, 3, 2, 3};
static const double dia_w[] = {5.0, 6.0, 3.0, 2.0, 4.0};

Test(maxflow, diamond) {
    cp_view *v = edges_view(4, 5, dia_s, dia_d, dia_w, CP_DIR_STORED, CP_MULTI_KEEP);
    int32_t S[] = {0}, T[] = {3};
    double value = 0.0, nf[4], ef[5];
    cp_error err;
    cr_assert_eq(cp__st_maxflow_edges(&value, nf, ef, v, NULL, S, 1, T, 1, &err), CP_OK);
    cr_assert_eq(value, 7.0);
    check_flow_properties("diamond", v, NULL, S, 1, T, 1, value, nf, ef);
    cr_assert_eq(nf[0], 7.0);
    cr_assert_eq(nf[3], 7.0);
    /* Reversed: no path from 0 to 3. */
    cp_view *r = edges_view(4, 5, dia_s, dia_d, dia_w, CP_DIR_REVERSED, CP_MULTI_KEEP);
    cr_assert_eq(cp_st_maxflow(&value, nf, r, NULL, S, 1, T, 1, &err), CP_OK);
    cr_assert_eq(value, 0.0);
    for (int x = 0; x < 4; x++) {
        cr_assert_eq(nf[x], 0.0);
    }
    cp_view_free(&r);
    /* Symmetric: the cut around 3 is still 7, the cut around 0 is 11. */
    cp_view *u = edges_view(4, 5, dia_s, dia_d, dia_w, CP_DIR_SYMMETRIC, CP_MULTI_KEEP);
    double ef2[10];
    cr_assert_eq(cp__st_maxflow_edges(&value, nf, ef2, u, NULL, S, 1, T, 1, &err), CP_OK);
    cr_assert_eq(value, 7.0);
    check_flow_properties("diamond sym", u, NULL, S, 1, T, 1, value, nf, ef2);
    /* From 3 to 0 on the symmetric view: also 7. */
    cr_assert_eq(cp_st_maxflow(&value, nf, u, NULL, T, 1, S, 1, &err), CP_OK);
    cr_assert_eq(value, 7.0);
    cp_view_free(&u);
    cp_view_free(&v);
}

Test(maxflow, removed_nodes) {
    cp_view *v = edges_view(4, 5, dia_s, dia_d, dia_w, CP_DIR_STORED, CP_MULTI_KEEP);
    int32_t S[] = {0}, T[] = {3};
    double value = 0.0, nf[4], ef[5];
    cp_error err;
    uint8_t rm[4] = {0, 1, 0, 0};
    cr_assert_eq(cp__st_maxflow_edges(&value, nf, ef, v, rm, S, 1, T, 1, &err), CP_OK);
    cr_assert_eq(value, 4.0); /* only 0 -> 2 -> 3 is left */
    check_flow_properties("removed 1", v, rm, S, 1, T, 1, value, nf, ef);
    cr_assert_eq(nf[1], 0.0);
    cr_assert_eq(nf[2], 4.0);
    rm[1] = 0;
    rm[3] = 1; /* the only target removed */
    cr_assert_eq(cp_st_maxflow(&value, nf, v, rm, S, 1, T, 1, &err), CP_OK);
    cr_assert_eq(value, 0.0);
    rm[3] = 0;
    rm[0] = 1; /* the only source removed */
    cr_assert_eq(cp_st_maxflow(&value, nf, v, rm, S, 1, T, 1, &err), CP_OK);
    cr_assert_eq(value, 0.0);
    cp_view_free(&v);
}

Test(maxflow, overlap_and_infinite) {
    cp_view *v = edges_view(4, 5, dia_s, dia_d, dia_w, CP_DIR_STORED, CP_MULTI_KEEP);
    int32_t S[] = {0, 1}, T[] = {1, 3};
    double value = 0.0, nf[4];
    cp_error err;
    cr_assert_eq(cp_st_maxflow(&value, nf, v, NULL, S, 2, T, 2, &err), CP_OK);
    cr_assert(isinf(value) && value > 0);
    cr_assert(isinf(nf[1]));
    cr_assert_eq(nf[2], 0.0);
    /* The overlap removed: finite again (node 1 gone: 0 -> 2 -> 3 only). */
    uint8_t rm[4] = {0, 1, 0, 0};
    cr_assert_eq(cp_st_maxflow(&value, nf, v, rm, S, 2, T, 2, &err), CP_OK);
    cr_assert_eq(value, 4.0);
    cp_view_free(&v);
    /* A path of infinite capacities 0 -> 1 -> 2 beside a finite edge 0 -> 2. */
    int32_t is[] = {0, 1, 0, 2}, id[] = {1, 2, 2, 3};
    double iw[] = {INFINITY, INFINITY, 1.0, 2.0};
    int32_t s0[] = {0}, t2[] = {2}, t3[] = {3};
    v = edges_view(4, 4, is, id, iw, CP_DIR_STORED, CP_MULTI_KEEP);
    cr_assert_eq(cp_st_maxflow(&value, nf, v, NULL, s0, 1, t2, 1, &err), CP_OK);
    cr_assert(isinf(value));
    cr_assert(isinf(nf[0]) && isinf(nf[1]) && isinf(nf[2]) && nf[3] == 0.0);
    /* To 3 the finite edge 2 -> 3 bounds it. */
    double ef[4];
    cr_assert_eq(cp__st_maxflow_edges(&value, nf, ef, v, NULL, s0, 1, t3, 1, &err), CP_OK);
    cr_assert_eq(value, 2.0);
    check_flow_properties("inf arcs", v, NULL, s0, 1, t3, 1, value, nf, ef);
    cp_view_free(&v);
    /* Symmetric infinite edges: flow readable and antisymmetric. */
    v = edges_view(4, 4, is, id, iw, CP_DIR_SYMMETRIC, CP_MULTI_KEEP);
    double ef8[8];
    cr_assert_eq(cp__st_maxflow_edges(&value, nf, ef8, v, NULL, t3, 1, s0, 1, &err), CP_OK);
    cr_assert_eq(value, 2.0);
    check_flow_properties("inf sym", v, NULL, t3, 1, s0, 1, value, nf, ef8);
    cp_view_free(&v);
}

Test(maxflow, zero_and_parallel) {
    /* 0 -> 1 twice (2 + 3 add up), 1 -> 2 with capacity 0 and 1 -> 2 with 10, 0 -> 2 with 0. */
    int32_t s[] = {0, 0, 1, 1, 0}, d[] = {1, 1, 2, 2, 2};
    double w[] = {2.0, 3.0, 0.0, 10.0, 0.0};
    int32_t S[] = {0}, T[] = {2};
    double value = 0.0, nf[3], ef[5];
    cp_error err;
    cp_view *v = edges_view(3, 5, s, d, w, CP_DIR_STORED, CP_MULTI_KEEP);
    cr_assert_eq(cp__st_maxflow_edges(&value, nf, ef, v, NULL, S, 1, T, 1, &err), CP_OK);
    cr_assert_eq(value, 5.0);
    check_flow_properties("parallel keep", v, NULL, S, 1, T, 1, value, nf, ef);
    cr_assert_eq(nf[1], 5.0);
    cp_view_free(&v);
    v = edges_view(3, 5, s, d, w, CP_DIR_STORED, CP_MULTI_COLLAPSE);
    cr_assert_eq(cp_st_maxflow(&value, nf, v, NULL, S, 1, T, 1, &err), CP_OK);
    cr_assert_eq(value, 5.0);
    cp_view_free(&v);
    /* Only zero capacities: nothing flows. */
    double z[] = {0.0, 0.0, 0.0, 0.0, 0.0};
    v = edges_view(3, 5, s, d, z, CP_DIR_SYMMETRIC, CP_MULTI_KEEP);
    cr_assert_eq(cp_st_maxflow(&value, nf, v, NULL, S, 1, T, 1, &err), CP_OK);
    cr_assert_eq(value, 0.0);
    cp_view_free(&v);
    /* Huge and tiny capacities together: 1e12 in series with 1 gives 1; in parallel 1e12 + 1. */
    int32_t hs[] = {0, 1, 0}, hd[] = {1, 2, 2};
    double hw[] = {1e12, 1.0, 1e12};
    v = edges_view(3, 3, hs, hd, hw, CP_DIR_STORED, CP_MULTI_KEEP);
    cr_assert_eq(cp_st_maxflow(&value, nf, v, NULL, S, 1, T, 1, &err), CP_OK);
    cr_assert_eq(value, 1e12 + 1.0);
    cr_assert_eq(nf[1], 1.0);
    cp_view_free(&v);
}

Test(maxflow, invalid) {
    cp_view *v = edges_view(4, 5, dia_s, dia_d, dia_w, CP_DIR_STORED, CP_MULTI_KEEP);
    int32_t bad[] = {4}, ok[] = {0};
    double value = 1.0;
    cp_error err;
    cr_assert_eq(cp_st_maxflow(&value, NULL, v, NULL, bad, 1, ok, 1, &err), CP_E_INVALID);
    cr_assert(strstr(err.msg, "sources[0]") != NULL, "%s", err.msg);
    cr_assert_eq(cp_st_maxflow(&value, NULL, v, NULL, ok, 1, bad, 1, &err), CP_E_INVALID);
    cr_assert(strstr(err.msg, "targets[0]") != NULL, "%s", err.msg);
    cr_assert_eq(cp_st_maxflow(&value, NULL, v, NULL, NULL, 1, ok, 1, &err), CP_E_INVALID);
    cp_view_free(&v);
    double nw[] = {1.0, -1.0, 1.0, 1.0, 1.0};
    v = edges_view(4, 5, dia_s, dia_d, nw, CP_DIR_STORED, CP_MULTI_KEEP);
    cr_assert_eq(cp_st_maxflow(&value, NULL, v, NULL, ok, 1, ok, 1, &err), CP_E_INVALID);
    cr_assert(strstr(err.msg, "negative") != NULL, "%s", err.msg);
    cp_view_free(&v);
}

/* A long path: the iterative search must not recurse (200,000 nodes). */
Test(maxflow, long_path) {
    int32_t n = 200000;
    int32_t *s = malloc((size_t)n * sizeof *s), *d = malloc((size_t)n * sizeof *d);
    double *w = malloc((size_t)n * sizeof *w);
    for (int32_t i = 0; i + 1 < n; i++) {
        s[i] = i;
        d[i] = i + 1;
        w[i] = i == n / 2 ? 0.5 : 2.0;
    }
    cp_view *v = edges_view(n, n - 1, s, d, w, CP_DIR_STORED, CP_MULTI_KEEP);
    int32_t S[] = {0}, T[] = {n - 1};
    double value = 0.0;
    cp_error err;
    cr_assert_eq(cp_st_maxflow(&value, NULL, v, NULL, S, 1, T, 1, &err), CP_OK);
    cr_assert_eq(value, 0.5);
    cp_view_free(&v);
    free(s);
    free(d);
    free(w);
}

Test(betweenness, hand) {
    /* Directed: 0 -> 1 -> 3, 0 -> 2 -> 3, 3 -> 4. S = {0}, T = {3, 4}. */
    int32_t s[] = {0, 1, 0, 2, 3}, d[] = {1, 3, 2, 3, 4};
    cp_view *v = edges_view(5, 5, s, d, NULL, CP_DIR_STORED, CP_MULTI_KEEP);
    int32_t S[] = {0, 0}, T[] = {4, 3, 3};
    double out[5], pairs = 0.0;
    cp_error err;
    cr_assert_eq(cp_st_betweenness(out, v, NULL, S, 2, T, 3, false, &pairs, &err), CP_OK);
    double want[5] = {0.0, 1.0, 1.0, 1.0, 0.0};
    for (int x = 0; x < 5; x++) {
        cr_assert_eq(out[x], want[x], "node %d: %g", x, out[x]);
    }
    cr_assert_eq(pairs, 2.0);
    /* Node 1 removed: every path runs through 2. */
    uint8_t rm[5] = {0, 1, 0, 0, 0};
    cr_assert_eq(cp_st_betweenness(out, v, rm, S, 2, T, 3, false, &pairs, &err), CP_OK);
    double want_rm[5] = {0.0, 0.0, 2.0, 1.0, 0.0};
    for (int x = 0; x < 5; x++) {
        cr_assert_eq(out[x], want_rm[x], "node %d: %g", x, out[x]);
    }
    /* Target 3 removed: 4 is unreachable, nothing counts. */
    rm[1] = 0;
    rm[3] = 1;
    cr_assert_eq(cp_st_betweenness(out, v, rm, S, 2, T, 3, true, &pairs, &err), CP_OK);
    cr_assert_eq(pairs, 0.0);
    for (int x = 0; x < 5; x++) {
        cr_assert_eq(out[x], 0.0);
    }
    /* Invalid arguments. */
    int32_t bad[] = {-1};
    cr_assert_eq(cp_st_betweenness(out, v, NULL, bad, 1, T, 1, false, NULL, &err), CP_E_INVALID);
    cr_assert_eq(cp_st_betweenness(out, v, NULL, S, 1, bad, 1, false, NULL, &err), CP_E_INVALID);
    cr_assert_eq(cp_st_betweenness(out, v, NULL, S, -1, T, 1, false, NULL, &err), CP_E_INVALID);
    cr_assert_eq(cp_st_pairs(&pairs, v, NULL, bad, 1, T, 1, &err), CP_E_INVALID);
    cr_assert_eq(cp_degree(out, v, NULL, (cp_degree_mode)7, false, &err), CP_E_INVALID);
    cr_assert_eq(cp_degree(out, NULL, NULL, CP_DEGREE_OUT, false, &err), CP_E_INVALID);
    cp_view_free(&v);
}

/* ---- random graphs: determinism, batches, fault injection ---- */

static uint64_t rng_next(uint64_t *s) {
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static cp_view *random_view(uint64_t seed, int32_t n, int64_t m, cp_direction dir) {
    uint64_t st = seed;
    int32_t *s = malloc((size_t)m * sizeof *s), *d = malloc((size_t)m * sizeof *d);
    double *w = malloc((size_t)m * sizeof *w);
    for (int64_t e = 0; e < m; e++) {
        s[e] = (int32_t)(rng_next(&st) % (uint64_t)n);
        d[e] = (int32_t)(rng_next(&st) % (uint64_t)n);
        w[e] = (double)(1 + rng_next(&st) % 7);
    }
    cp_view *v = edges_view(n, m, s, d, w, dir, CP_MULTI_KEEP);
    free(s);
    free(d);
    free(w);
    return v;
}

Test(betweenness, deterministic_across_threads) {
    int32_t n = 2000;
    cp_view *v = random_view(7, n, 5000, CP_DIR_SYMMETRIC);
    cp_view *dv = random_view(8, n, 7000, CP_DIR_STORED);
    int32_t S[300], T[200];
    for (int i = 0; i < 300; i++) {
        S[i] = (i * 7919) % n;
    }
    for (int i = 0; i < 200; i++) {
        T[i] = (i * 104729 + 13) % n;
    }
    uint8_t *rm = calloc((size_t)n, 1);
    for (int32_t x = 0; x < n; x += 17) {
        rm[x] = 1;
    }
    double *a = malloc((size_t)n * sizeof *a), *b = malloc((size_t)n * sizeof *b);
    cp_error err;
    const cp_view *views[2] = {v, dv};
    for (int k = 0; k < 2; k++) {
        for (int masked = 0; masked < 2; masked++) {
            double pa = 0.0, pb = 0.0;
            omp_set_num_threads(1);
            cr_assert_eq(cp_st_betweenness(a, views[k], masked ? rm : NULL, S, 300, T, 200, false,
                                           &pa, &err),
                         CP_OK);
            omp_set_num_threads(2);
            cr_assert_eq(cp_st_betweenness(b, views[k], masked ? rm : NULL, S, 300, T, 200, false,
                                           &pb, &err),
                         CP_OK);
            cr_assert_eq(memcmp(a, b, (size_t)n * sizeof *a), 0, "1 and 2 threads differ (view %d)",
                         k);
            cr_assert_eq(pa, pb);
            double total = 0.0;
            for (int32_t x = 0; x < n; x++) {
                total += a[x];
            }
            cr_assert(total > 0.0);
            /* The connected pairs agree with the bit-parallel count on a directed view (no
             * halving there). */
            if (k == 1) {
                double c = 0.0;
                cr_assert_eq(cp_st_pairs(&c, views[k], masked ? rm : NULL, S, 300, T, 200, &err),
                             CP_OK);
                cr_assert_eq(c, pa);
            }
        }
    }
    free(a);
    free(b);
    free(rm);
    cp_view_free(&v);
    cp_view_free(&dv);
}

/* Naive S-T pair count: one plain BFS per distinct non-removed source. */
static double naive_pairs(const cp_view *v, const uint8_t *rm, const int32_t *S, int64_t ns,
                          const int32_t *T, int64_t nt) {
    int32_t n = v->n;
    uint8_t *isS = calloc((size_t)n, 1), *isT = calloc((size_t)n, 1), *seen = calloc((size_t)n, 1);
    int32_t *q = malloc((size_t)n * sizeof *q);
    for (int64_t i = 0; i < ns; i++) {
        isS[S[i]] = 1;
    }
    for (int64_t i = 0; i < nt; i++) {
        isT[T[i]] = 1;
    }
    double count = 0.0;
    for (int32_t s = 0; s < n; s++) {
        if (!isS[s] || (rm != NULL && rm[s])) {
            continue;
        }
        memset(seen, 0, (size_t)n);
        int32_t h = 0, t = 0;
        q[t++] = s;
        seen[s] = 1;
        while (h < t) {
            int32_t u = q[h++];
            for (int64_t k = v->offsets[u]; k < v->offsets[u + 1]; k++) {
                int32_t w = v->indices[k];
                if (!seen[w] && (rm == NULL || !rm[w])) {
                    seen[w] = 1;
                    q[t++] = w;
                }
            }
        }
        for (int32_t x = 0; x < n; x++) {
            count += (x != s && seen[x] && isT[x]) ? 1.0 : 0.0;
        }
    }
    free(isS);
    free(isT);
    free(seen);
    free(q);
    return count;
}

Test(pairs, many_batches) {
    int32_t n = 800;
    cp_view *views[2] = {random_view(3, n, 900, CP_DIR_STORED),
                         random_view(4, n, 500, CP_DIR_SYMMETRIC)};
    int32_t S[300], T[250];
    for (int i = 0; i < 300; i++) {
        S[i] = (i * 37) % n;
    }
    for (int i = 0; i < 250; i++) {
        T[i] = (i * 53 + 1) % n;
    }
    uint8_t *rm = calloc((size_t)n, 1);
    for (int32_t x = 0; x < n; x += 11) {
        rm[x] = 1;
    }
    cp_error err;
    for (int k = 0; k < 2; k++) {
        for (int masked = 0; masked < 2; masked++) {
            const uint8_t *r = masked ? rm : NULL;
            double c = -1.0;
            omp_set_num_threads(1 + masked);
            cr_assert_eq(cp_st_pairs(&c, views[k], r, S, 300, T, 250, &err), CP_OK);
            double want = naive_pairs(views[k], r, S, 300, T, 250);
            cr_assert_eq(c, want, "view %d masked %d: %g pairs, naive %g", k, masked, c, want);
        }
        cp_view_free(&views[k]);
    }
    free(rm);
}

/* Every allocation failing in turn: each function returns CP_E_NOMEM (never crashes or leaks:
 * the sanitizer build checks the latter) until enough allocations succeed. */
Test(errors, allocation_failures) {
    cp_view *v = random_view(5, 200, 600, CP_DIR_SYMMETRIC);
    int32_t S[40], T[30];
    for (int i = 0; i < 40; i++) {
        S[i] = i * 5;
    }
    for (int i = 0; i < 30; i++) {
        T[i] = i * 6 + 1;
    }
    double out[200], ef[1200], value = 0.0;
    int32_t labels[200], count = 0, largest = 0;
    cp_error err;
    for (int fn = 0; fn < 4; fn++) {
        int ok = 0;
        for (long k = 0; k < 64 && !ok; k++) {
            cp__alloc_fail_after(k);
            cp_status st = CP_OK;
            switch (fn) {
            case 0:
                st = cp_st_betweenness(out, v, NULL, S, 40, T, 30, true, NULL, &err);
                break;
            case 1:
                st = cp_st_pairs(&value, v, NULL, S, 40, T, 30, &err);
                break;
            case 2:
                st = cp__st_maxflow_edges(&value, out, ef, v, NULL, S, 40, T, 30, &err);
                break;
            default:
                st = cp_wcc(labels, &count, &largest, v, NULL, &err);
                break;
            }
            cp__alloc_fail_after(-1);
            cr_assert(st == CP_OK || st == CP_E_NOMEM, "function %d, failure %ld: %d", fn, k, st);
            ok = st == CP_OK;
        }
        cr_assert(ok, "function %d never succeeded", fn);
    }
    cp_view_free(&v);
}

/* ---- the 50,000-node star ---- */

Test(betweenness, star_50000) {
    int32_t n = 50000, leaves = n - 1;
    int32_t *s = malloc((size_t)leaves * sizeof *s), *d = malloc((size_t)leaves * sizeof *d);
    for (int32_t i = 0; i < leaves; i++) {
        s[i] = 0;
        d[i] = i + 1;
    }
    cp_view *v = edges_view(n, leaves, s, d, NULL, CP_DIR_SYMMETRIC, CP_MULTI_KEEP);
    double *out = malloc((size_t)n * sizeof *out);
    double pairs = 0.0;
    cp_error err;
    /* S = T = every leaf: each unordered leaf pair counts once, through the centre. */
    cr_assert_eq(cp_st_betweenness(out, v, NULL, d, leaves, d, leaves, true, &pairs, &err), CP_OK);
    cr_assert_eq(pairs, (double)leaves * (double)(leaves - 1) / 2.0);
    cr_assert(fabs(out[0] - 1.0) <= 1e-12, "centre %.17g", out[0]);
    for (int32_t x = 1; x < n; x++) {
        cr_assert_eq(out[x], 0.0);
    }
    free(out);
    free(s);
    free(d);
    cp_view_free(&v);
}
