/* The scenario engine: curves along a fixed order against networkx (fixtures from
 * tests/oracle/make_simulate_fixtures.py), the rerouting response on hand-made graphs where the
 * redirected edges can be worked out by hand, p = 0 and p = 1, shared random numbers across modes,
 * and error paths. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "chokepoint/generate.h"
#include "chokepoint/simulate.h"
#include "cp_test.h"
#include "graph_impl.h"

#define ALL_METRICS ((1u << CP_METRIC_COUNT) - 1u)

/* ---- curves against networkx ------------------------------------------------------------- */

#define NQ 8 /* metric columns of a fixture */

static void check_fixture(const char *name, cp_mode mode) {
    char path[512];
    snprintf(path, sizeof path, "%s/tests/fixtures/simulate/%s", CP_SOURCE_DIR, name);
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "missing fixture %s", path);
    char line[4096];
    cr_assert_not_null(fgets(line, sizeof line, f)); /* header comment */
    int n, m, k;
    cr_assert_eq(fscanf(f, "%d %d %d", &n, &m, &k), 3);
    int32_t *src = malloc(sizeof *src * (size_t)m), *dst = malloc(sizeof *dst * (size_t)m);
    double *w = malloc(sizeof *w * (size_t)m);
    for (int e = 0; e < m; e++) {
        cr_assert_eq(fscanf(f, "%d %d %lf", &src[e], &dst[e], &w[e]), 3);
    }
    int ns, nt;
    cr_assert_eq(fscanf(f, "%d", &ns), 1);
    int32_t *S = malloc(sizeof *S * (size_t)ns);
    for (int i = 0; i < ns; i++) {
        cr_assert_eq(fscanf(f, "%d", &S[i]), 1);
    }
    cr_assert_eq(fscanf(f, "%d", &nt), 1);
    int32_t *T = malloc(sizeof *T * (size_t)nt);
    for (int i = 0; i < nt; i++) {
        cr_assert_eq(fscanf(f, "%d", &T[i]), 1);
    }
    int32_t *order = malloc(sizeof *order * (size_t)k);
    for (int i = 0; i < k; i++) {
        cr_assert_eq(fscanf(f, "%d", &order[i]), 1);
    }
    double *expect = malloc(sizeof *expect * (size_t)(k + 1) * NQ);
    for (int i = 0; i <= k; i++) {
        for (int q = 0; q < NQ; q++) {
            cr_assert_eq(fscanf(f, "%lf", &expect[i * NQ + q]), 1);
        }
    }
    fclose(f);
    cp_graph *g = cp_test_graph(n, m, src, dst, w, "transaction", CP_MEANING_AMOUNT, true);
    cp_scenario sc;
    cp_scenario_init(&sc);
    sc.sources = S;
    sc.n_sources = ns;
    sc.targets = T;
    sc.n_targets = nt;
    sc.strategy = CP_STRATEGY_LIST;
    sc.order = order;
    sc.n_order = k;
    sc.budget = k;
    sc.round_size = 3;
    sc.mode = mode;
    sc.reroute_p = 0;
    sc.metrics = ALL_METRICS;
    cp_scenario_result *r = NULL;
    cp_error err;
    cr_assert_eq(cp_simulate_run(&r, g, &sc, NULL, &err), CP_OK, "%s", err.msg);
    cr_assert_eq(r->n_removed, k);
    for (int i = 0; i < k; i++) {
        cr_assert_eq(r->removed[i], order[i], "%s: removal %d", name, i);
    }
    const cp_metric mk[NQ] = {CP_METRIC_REACH,     CP_METRIC_PAIRS,       CP_METRIC_FLOW,
                              CP_METRIC_LCC,       CP_METRIC_PATH_LENGTH, CP_METRIC_EFFICIENCY,
                              CP_METRIC_SCC_PAIRS, CP_METRIC_LSCC};
    for (int i = 0; i <= k; i++) {
        for (int q = 0; q < NQ; q++) {
            double got = r->curve[mk[q]][i], want = expect[i * NQ + q];
            /* reach, pairs and lcc are exact ratios; flow, path length and efficiency are ratios
             * of double sums. */
            cr_assert(cp_test_close(got, want, 1e-12, 1e-9), "%s %s step %d: got %.17g want %.17g",
                      name, cp_metric_name(mk[q]), i, got, want);
            cr_assert_eq(r->curve_before[mk[q]][i], got);
        }
    }
    cp_scenario_result_free(&r);
    cp_graph_free(&g);
    free(src);
    free(dst);
    free(w);
    free(S);
    free(T);
    free(order);
    free(expect);
}

Test(simulate, curves_match_networkx_adaptive) {
    const char *names[] = {"curves_1.txt", "curves_2.txt", "curves_3.txt",
                           "curves_4.txt", "curves_5.txt", "curves_6.txt"};
    for (int i = 0; i < 6; i++) {
        check_fixture(names[i], CP_MODE_ADAPTIVE);
    }
}

Test(simulate, curves_match_networkx_simultaneous) {
    /* One round of k: the 64-per-word batched reachability covers every step of the round. */
    const char *names[] = {"curves_3.txt", "curves_6.txt"};
    for (int i = 0; i < 2; i++) {
        check_fixture(names[i], CP_MODE_SIMULTANEOUS);
    }
}

/* ---- the response on hand-made graphs ---------------------------------------------------- */

/* o=0 -> g2 (20), o -> g3 (30), x=5 -> g3 (5); g1=1, g2=2, g3=3 each -> bank b=4 (100).
 * Gateways {1,2,3}. The flow strategy removes g3 (30 of the 50 units pass through it). With
 * p = 1 both dead edges into g3 get their chance and succeed; the substitutes are g1 (current
 * in-strength 0) and g2 (20), so both go to g2 with probability 1: o -> g3 merges into the
 * existing o -> g2 (now 50), x -> g3 becomes x -> g2. Flow: 20/50 = 0.4 before the response,
 * 50/50 = 1.0 after. An ownership edge o -> g3 never reroutes. */
static cp_graph *hand_graph(void) {
    cp_graph *g = NULL;
    cp_error err;
    int lt, lo;
    cr_assert_eq(cp_graph_new(&g, &err), CP_OK);
    cr_assert_eq(cp__graph_alloc_nodes(g, 6, true, &err), CP_OK);
    cr_assert_eq(cp__graph_alloc_edges(g, 7, false, &err), CP_OK);
    cr_assert_eq(cp__graph_add_layer(g, "transaction", CP_MEANING_AMOUNT, "USD", true, &lt, &err),
                 CP_OK);
    cr_assert_eq(cp__graph_add_layer(g, "ownership", CP_MEANING_SHARE, "fraction", true, &lo, &err),
                 CP_OK);
    for (int i = 0; i < 6; i++) {
        g->ids_int[i] = 100 + i;
    }
    const int32_t src[7] = {0, 0, 5, 1, 2, 3, 0};
    const int32_t dst[7] = {2, 3, 3, 4, 4, 4, 3};
    const double w[7] = {20, 30, 5, 100, 100, 100, 0.5};
    for (int e = 0; e < 7; e++) {
        g->src[e] = src[e];
        g->dst[e] = dst[e];
        g->weight[e] = w[e];
        g->layer[e] = (uint8_t)(e == 6 ? lo : lt);
    }
    const int32_t gw[3] = {1, 2, 3}, origin[1] = {0}, bank[1] = {4};
    cr_assert_eq(cp__graph_add_group(g, "gateway", gw, 3, &err), CP_OK);
    cr_assert_eq(cp__graph_add_group(g, "origin", origin, 1, &err), CP_OK);
    cr_assert_eq(cp__graph_add_group(g, "bank", bank, 1, &err), CP_OK);
    cr_assert_eq(cp__graph_finalize(g, &err), CP_OK, "%s", err.msg);
    return g;
}

static cp_scenario_result *run_hand(cp_graph *g, double p, cp_mode mode, uint64_t layer_mask) {
    static const int32_t S[1] = {0}, T[1] = {4}, C[3] = {1, 2, 3};
    cp_scenario sc;
    cp_scenario_init(&sc);
    sc.sources = S;
    sc.n_sources = 1;
    sc.targets = T;
    sc.n_targets = 1;
    sc.candidates = C;
    sc.n_candidates = 3;
    sc.strategy = CP_STRATEGY_FLOW;
    sc.budget = 1;
    sc.mode = mode;
    sc.reroute_p = p;
    sc.layer_mask = layer_mask;
    sc.metrics = ALL_METRICS;
    cp_scenario_result *r = NULL;
    cp_error err;
    cr_assert_eq(cp_simulate_run(&r, g, &sc, NULL, &err), CP_OK, "%s", err.msg);
    return r;
}

Test(simulate, reroute_p1_by_hand) {
    cp_graph *g = hand_graph();
    uint64_t tx = 1ULL << cp__graph_find_layer(g, "transaction");
    /* With every layer in the view the ownership edge o -> g3 is there, but it is no flow edge. */
    cp_scenario_result *all = run_hand(g, 1.0, CP_MODE_SIMULTANEOUS, 0);
    cr_assert_eq(all->n_dead_edges, 2);
    cr_assert_eq(all->n_reroutes, 2);
    cp_scenario_result_free(&all);
    cp_scenario_result *r = run_hand(g, 1.0, CP_MODE_SIMULTANEOUS, tx);
    cr_assert_eq(r->n_removed, 1);
    cr_assert_eq(r->removed[0], 3, "the flow strategy removes g3");
    cr_assert_eq(r->n_dead_edges, 2, "o->g3 and x->g3 die; the ownership edge is not a flow edge");
    cr_assert_eq(r->n_reroutes, 2);
    /* Edges are visited in input order: o->g3 (edge 1) first, then x->g3 (edge 2). */
    cr_assert_eq(r->reroutes[0].edge, 1);
    cr_assert_eq(r->reroutes[0].source, 0);
    cr_assert_eq(r->reroutes[0].from, 3);
    cr_assert_eq(r->reroutes[0].to, 2);
    cr_assert_eq(r->reroutes[0].merged, 1);
    cr_assert_eq(r->reroutes[0].weight, 30.0);
    cr_assert_eq(r->reroutes[1].edge, 2);
    cr_assert_eq(r->reroutes[1].source, 5);
    cr_assert_eq(r->reroutes[1].to, 2);
    cr_assert_eq(r->reroutes[1].merged, 0);
    cr_assert(cp_test_close(r->curve_before[CP_METRIC_FLOW][1], 0.4, 1e-12, 0));
    cr_assert(cp_test_close(r->curve[CP_METRIC_FLOW][1], 1.0, 1e-12, 0));
    cr_assert_eq(r->curve[CP_METRIC_REACH][1], 1.0);
    cr_assert_eq(r->intact_flow, 50.0);
    cp_scenario_result_free(&r);
    cp_graph_free(&g);
}

Test(simulate, reroute_p0_changes_nothing) {
    cp_graph *g = hand_graph();
    uint64_t tx = 1ULL << cp__graph_find_layer(g, "transaction");
    cp_scenario_result *r = run_hand(g, 0.0, CP_MODE_SIMULTANEOUS, tx);
    cr_assert_eq(r->n_reroutes, 0);
    cr_assert(cp_test_close(r->curve[CP_METRIC_FLOW][1], 0.4, 1e-12, 0));
    cr_assert_eq(r->curve[CP_METRIC_FLOW][1], r->curve_before[CP_METRIC_FLOW][1]);
    cp_scenario_result_free(&r);
    cp_graph_free(&g);
}

Test(simulate, adaptive_never_responds) {
    cp_graph *g = hand_graph();
    cp_scenario_result *r = run_hand(g, 1.0, CP_MODE_ADAPTIVE, 0);
    cr_assert_eq(r->n_reroutes, 0);
    cr_assert_eq(r->n_dead_edges, 0);
    cp_scenario_result_free(&r);
    cp_graph_free(&g);
}

Test(simulate, reroute_only_to_present_substitutes) {
    cp_graph *g = hand_graph();
    /* Remove both g3 and g2 at once (budget 2): the only substitute left is g1 with in-strength 0,
     * so picks are uniform over {g1}: every dead edge from a present tail goes to g1. */
    static const int32_t S[1] = {0}, T[1] = {4}, C[2] = {2, 3};
    cp_scenario sc;
    cp_scenario_init(&sc);
    sc.sources = S;
    sc.n_sources = 1;
    sc.targets = T;
    sc.n_targets = 1;
    sc.candidates = C;
    sc.n_candidates = 2;
    sc.strategy = CP_STRATEGY_FLOW;
    sc.budget = 2;
    sc.mode = CP_MODE_SIMULTANEOUS;
    sc.reroute_p = 1.0;
    sc.metrics = ALL_METRICS;
    sc.layer_mask = 1ULL << cp__graph_find_layer(g, "transaction");
    cp_scenario_result *r = NULL;
    cp_error err;
    cr_assert_eq(cp_simulate_run(&r, g, &sc, NULL, &err), CP_OK, "%s", err.msg);
    cr_assert_eq(r->n_reroutes, 3);
    for (int i = 0; i < 3; i++) {
        cr_assert_eq(r->reroutes[i].to, 1);
    }
    /* o -> g2 (20) then o -> g3 (30) move to g1: the first creates o -> g1, the second merges. */
    cr_assert_eq(r->reroutes[0].merged, 0);
    cr_assert_eq(r->reroutes[1].merged, 1);
    cr_assert(cp_test_close(r->curve_before[CP_METRIC_FLOW][2], 0.0, 1e-12, 0));
    cr_assert(cp_test_close(r->curve[CP_METRIC_FLOW][2], 1.0, 1e-12, 0));
    cp_scenario_result_free(&r);
    cp_graph_free(&g);
}

/* ---- modes on the generated evasion network ---------------------------------------------- */

static cp_graph *small_net(void) {
    cp_sanctions_net_params p;
    cp_sanctions_net_params_init(&p);
    p.n_origin = 6;
    p.n_front = 60;
    p.n_gateway = 8;
    p.n_bank = 6;
    p.n_licit = 120;
    p.seed = 3;
    cp_graph *g = NULL;
    cp_error err;
    cr_assert_eq(cp_generate_sanctions_net(&g, &p, &err), CP_OK, "%s", err.msg);
    return g;
}

static cp_scenario_result *run_net(cp_graph *g, cp_strategy st, cp_mode mode, double p, int32_t *S,
                                   int64_t ns, int32_t *T, int64_t nt) {
    cp_scenario sc;
    cp_scenario_init(&sc);
    sc.sources = S;
    sc.n_sources = ns;
    sc.targets = T;
    sc.n_targets = nt;
    sc.strategy = st;
    sc.budget = 6;
    sc.round_size = 2;
    sc.mode = mode;
    sc.reroute_p = p;
    sc.metrics = ALL_METRICS;
    sc.seed = 11;
    sc.layer_mask = 1ULL << cp__graph_find_layer(g, "transaction");
    cp_scenario_result *r = NULL;
    cp_error err;
    cr_assert_eq(cp_simulate_run(&r, g, &sc, NULL, &err), CP_OK, "%s", err.msg);
    return r;
}

Test(simulate, p0_sequential_equals_adaptive_exactly) {
    cp_graph *g = small_net();
    const cp_group *o = cp__graph_find_group(g, "origin"), *b = cp__graph_find_group(g, "bank");
    for (int st = 0; st < CP_STRATEGY_LIST; st++) {
        cp_scenario_result *seq = run_net(g, (cp_strategy)st, CP_MODE_SEQUENTIAL, 0.0, o->members,
                                          o->size, b->members, b->size);
        cp_scenario_result *ada = run_net(g, (cp_strategy)st, CP_MODE_ADAPTIVE, 0.0, o->members,
                                          o->size, b->members, b->size);
        cr_assert_eq(seq->n_removed, ada->n_removed);
        for (int i = 0; i < seq->n_removed; i++) {
            cr_assert_eq(seq->removed[i], ada->removed[i], "strategy %d removal %d", st, i);
        }
        for (int mk = 0; mk < CP_METRIC_COUNT; mk++) {
            cr_assert_arr_eq(seq->curve[mk], ada->curve[mk], sizeof(double) * 7);
            cr_assert_arr_eq(seq->curve_before[mk], ada->curve_before[mk], sizeof(double) * 7);
        }
        cp_scenario_result_free(&seq);
        cp_scenario_result_free(&ada);
    }
    cp_graph_free(&g);
}

Test(simulate, p1_every_dead_edge_reroutes_and_runs_are_repeatable) {
    cp_graph *g = small_net();
    const cp_group *o = cp__graph_find_group(g, "origin"), *b = cp__graph_find_group(g, "bank");
    cp_scenario_result *a = run_net(g, CP_STRATEGY_ST_BETWEENNESS, CP_MODE_SEQUENTIAL, 1.0,
                                    o->members, o->size, b->members, b->size);
    cp_scenario_result *c = run_net(g, CP_STRATEGY_ST_BETWEENNESS, CP_MODE_SEQUENTIAL, 1.0,
                                    o->members, o->size, b->members, b->size);
    cr_assert_gt(a->n_dead_edges, 0);
    cr_assert_eq(a->n_reroutes, a->n_dead_edges, "p = 1 and gateways to spare: all reroute");
    cr_assert_eq(a->n_reroutes, c->n_reroutes);
    for (int64_t i = 0; i < a->n_reroutes; i++) {
        cr_assert_eq(a->reroutes[i].to, c->reroutes[i].to);
        /* Rerouted edges go to gateways (the removed node's own group) still present. */
        cr_assert_neq(a->reroutes[i].to, a->reroutes[i].from);
    }
    for (int mk = 0; mk < CP_METRIC_COUNT; mk++) {
        cr_assert_arr_eq(a->curve[mk], c->curve[mk], sizeof(double) * 7);
        /* Fractions stay in [0, 1]; a path length is a count of hops, and the flow may pass 1.0
         * after a response (a rerouted edge can bypass a bottleneck). */
        double hi = mk == CP_METRIC_PATH_LENGTH || mk == CP_METRIC_FLOW ? 1e300 : 1.0 + 1e-12;
        for (int i = 0; i <= 6; i++) {
            cr_assert(a->curve[mk][i] >= 0 && a->curve[mk][i] <= hi, "%s[%d] = %g",
                      cp_metric_name((cp_metric)mk), i, a->curve[mk][i]);
        }
    }
    cp_scenario_result_free(&a);
    cp_scenario_result_free(&c);
    cp_graph_free(&g);
}

Test(simulate, random_strategy_shares_numbers_across_modes) {
    /* The random strategy's priorities depend on (seed, node) only: with p = 0 and one round
     * versus rounds of two, the same nodes are removed in the same order. */
    cp_graph *g = small_net();
    const cp_group *o = cp__graph_find_group(g, "origin"), *b = cp__graph_find_group(g, "bank");
    cp_scenario_result *a = run_net(g, CP_STRATEGY_RANDOM, CP_MODE_SIMULTANEOUS, 0.0, o->members,
                                    o->size, b->members, b->size);
    cp_scenario_result *c = run_net(g, CP_STRATEGY_RANDOM, CP_MODE_SEQUENTIAL, 0.0, o->members,
                                    o->size, b->members, b->size);
    cr_assert_arr_eq(a->removed, c->removed, sizeof(int32_t) * 6);
    cp_scenario_result_free(&a);
    cp_scenario_result_free(&c);
    cp_graph_free(&g);
}

/* ---- errors ------------------------------------------------------------------------------ */

Test(simulate, invalid_arguments) {
    cp_graph *g = hand_graph();
    static const int32_t S[1] = {0}, T[1] = {4}, bad[1] = {99};
    cp_scenario sc;
    cp_scenario_init(&sc);
    sc.sources = S;
    sc.n_sources = 1;
    sc.targets = T;
    sc.n_targets = 1;
    cp_scenario_result *r = NULL;
    cp_error err;
    sc.reroute_p = 1.5;
    cr_assert_eq(cp_simulate_run(&r, g, &sc, NULL, &err), CP_E_INVALID);
    cr_assert(strstr(err.msg, "--reroute") != NULL);
    sc.reroute_p = 0;
    sc.round_size = 0;
    cr_assert_eq(cp_simulate_run(&r, g, &sc, NULL, &err), CP_E_INVALID);
    sc.round_size = 1;
    sc.targets = bad;
    cr_assert_eq(cp_simulate_run(&r, g, &sc, NULL, &err), CP_E_INVALID);
    cr_assert(strstr(err.msg, "targets") != NULL);
    sc.targets = S; /* S and T overlap: unbounded flow */
    cr_assert_eq(cp_simulate_run(&r, g, &sc, NULL, &err), CP_E_INVALID);
    sc.targets = T;
    sc.n_sources = 0;
    cr_assert_eq(cp_simulate_run(&r, g, &sc, NULL, &err), CP_E_INVALID);
    cr_assert_null(r);
    cp_graph_free(&g);
}

Test(simulate, allocation_failures_free_everything) {
    /* Make each allocation in turn fail; every failure must return CP_E_NOMEM cleanly (ASan
     * checks that nothing leaks). */
    cp_graph *g = hand_graph();
    static const int32_t S[1] = {0}, T[1] = {4};
    cp_scenario sc;
    cp_scenario_init(&sc);
    sc.sources = S;
    sc.n_sources = 1;
    sc.targets = T;
    sc.n_targets = 1;
    sc.strategy = CP_STRATEGY_FLOW;
    sc.budget = 2;
    sc.reroute_p = 1.0;
    sc.metrics = ALL_METRICS;
    int failures = 0;
    for (long i = 0; i < 400; i++) {
        cp_scenario_result *r = NULL;
        cp_error err;
        cp__alloc_fail_after(i);
        cp_status st = cp_simulate_run(&r, g, &sc, NULL, &err);
        cp__alloc_fail_after(-1);
        if (st == CP_OK) {
            cp_scenario_result_free(&r);
            break;
        }
        cr_assert_eq(st, CP_E_NOMEM, "allocation %ld: %s", i, err.msg);
        cr_assert_null(r);
        failures++;
    }
    cr_assert_gt(failures, 10);
    cp_graph_free(&g);
}

Test(simulate, min_cut_strategy_removes_a_minimum_vertex_cut) {
    /* o reaches b only through g2 and g3 (g1 has no inflow), so {g2, g3} is the minimum cut:
     * removing it with budget 2 leaves no S-T path (p = 0). */
    cp_graph *g = hand_graph();
    static const int32_t S[1] = {0}, T[1] = {4}, C[3] = {1, 2, 3};
    cp_scenario sc;
    cp_scenario_init(&sc);
    sc.sources = S;
    sc.n_sources = 1;
    sc.targets = T;
    sc.n_targets = 1;
    sc.candidates = C;
    sc.n_candidates = 3;
    sc.strategy = CP_STRATEGY_MIN_CUT;
    sc.budget = 2;
    sc.mode = CP_MODE_SIMULTANEOUS;
    sc.metrics = ALL_METRICS;
    sc.layer_mask = 1ULL << cp__graph_find_layer(g, "transaction");
    cp_scenario_result *r = NULL;
    cp_error err;
    cr_assert_eq(cp_simulate_run(&r, g, &sc, NULL, &err), CP_OK, "%s", err.msg);
    int32_t got[2] = {r->removed[0], r->removed[1]};
    if (got[0] > got[1]) {
        int32_t t = got[0];
        got[0] = got[1];
        got[1] = t;
    }
    cr_assert_eq(got[0], 2);
    cr_assert_eq(got[1], 3);
    cr_assert_eq(r->curve[CP_METRIC_REACH][2], 0.0);
    cr_assert_eq(r->curve[CP_METRIC_FLOW][2], 0.0);
    cp_scenario_result_free(&r);
    cp_graph_free(&g);
}
