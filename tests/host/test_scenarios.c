/* The scenario engine's choices, checked by brute force: every greedy pick against all present
 * candidates (reachability recomputed by plain BFS here), node costs and the cost budget, the
 * ownership closure during rounds on hand-worked structures for each regime, reinsertion
 * (Braunstein et al. 2016) against its two defining properties, and the masked percolation curve
 * against components recomputed after every removal. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "chokepoint/centrality.h"
#include "chokepoint/percolation.h"
#include "chokepoint/simulate.h"
#include "cp_test.h"
#include "graph_impl.h"

/* ---- a random graph and brute-force reachability ------------------------------------------ */

typedef struct rgraph {
    int32_t n;
    int64_t m;
    int32_t *src, *dst;
    double *w;
} rgraph;

static uint64_t lcg(uint64_t *x) {
    *x = *x * 6364136223846793005ULL + 1442695040888963407ULL;
    return *x >> 33;
}

/* n nodes, the last tenth isolated; m random edges with zero and huge weights, a few parallel
 * edges and self-loops. */
static rgraph rand_graph(uint64_t seed, int32_t n, int64_t m) {
    rgraph r = {n, m + m / 8 + 2, NULL, NULL, NULL};
    r.src = malloc(sizeof *r.src * (size_t)r.m);
    r.dst = malloc(sizeof *r.dst * (size_t)r.m);
    r.w = malloc(sizeof *r.w * (size_t)r.m);
    int32_t active = n - n / 10;
    uint64_t x = seed;
    for (int64_t e = 0; e < r.m; e++) {
        if (e < m) {
            r.src[e] = (int32_t)(lcg(&x) % (uint64_t)active);
            r.dst[e] = (int32_t)(lcg(&x) % (uint64_t)active);
        } else if (e < r.m - 2) { /* parallel */
            int64_t f = (int64_t)(lcg(&x) % (uint64_t)m);
            r.src[e] = r.src[f];
            r.dst[e] = r.dst[f];
        } else { /* self-loop */
            r.src[e] = r.dst[e] = (int32_t)(lcg(&x) % (uint64_t)active);
        }
        uint64_t q = lcg(&x) % 100;
        r.w[e] = q < 5 ? 0.0 : (q < 8 ? 1e9 : 1.0 + (double)(lcg(&x) % 1000) / 10.0);
    }
    return r;
}

static void rfree(rgraph *r) {
    free(r->src);
    free(r->dst);
    free(r->w);
}

/* Brute force on the intact edge list minus removed nodes: sources that reach a present target,
 * their intact out-strength over all sources' (reach-volume), and the present nodes that reach a
 * present target. Plain fixed-point iteration, nothing shared with the engine. */
typedef struct bf {
    double reach, volume, nodes;
} bf;

static bf brute(const rgraph *r, const uint8_t *removed, const int32_t *S, int ns, const int32_t *T,
                int nt) {
    uint8_t *good = calloc((size_t)r->n, 1);
    for (int j = 0; j < nt; j++) {
        if (!removed[T[j]]) {
            good[T[j]] = 1;
        }
    }
    for (bool changed = true; changed;) {
        changed = false;
        for (int64_t e = 0; e < r->m; e++) {
            int32_t u = r->src[e], v = r->dst[e];
            if (!removed[u] && !removed[v] && good[v] && !good[u]) {
                good[u] = 1;
                changed = true;
            }
        }
    }
    bf out = {0, 0, 0};
    double total = 0;
    for (int i = 0; i < ns; i++) {
        double st = 0;
        for (int64_t e = 0; e < r->m; e++) {
            if (r->src[e] == S[i]) {
                st += r->w[e];
            }
        }
        total += st;
        if (good[S[i]]) {
            out.reach += 1.0 / ns;
            out.volume += st;
        }
    }
    out.volume = total > 0 ? out.volume / total : 0.0;
    for (int32_t v = 0; v < r->n; v++) {
        out.nodes += good[v];
    }
    free(good);
    return out;
}

static cp_scenario base_scenario(const int32_t *S, int ns, const int32_t *T, int nt) {
    cp_scenario sc;
    cp_scenario_init(&sc);
    sc.sources = S;
    sc.n_sources = ns;
    sc.targets = T;
    sc.n_targets = nt;
    sc.reroute_p = 0;
    sc.mode = CP_MODE_ADAPTIVE;
    sc.metrics = (1u << CP_METRIC_REACH) | (1u << CP_METRIC_REACH_VOLUME) | (1u << CP_METRIC_LCC);
    return sc;
}

/* ---- greedy ------------------------------------------------------------------------------- */

/* Checks that every pick of a greedy run has the best key among the candidates present at that
 * point: the largest drop in the objective per unit cost, then in the other reachability
 * measure, then in the nodes reaching a target. */
static void check_greedy(uint64_t seed, int32_t n, int64_t m, int32_t k, int32_t round,
                         bool volume_first, bool with_cost) {
    rgraph r = rand_graph(seed, n, m);
    cp_graph *g = cp_test_graph(n, r.m, r.src, r.dst, r.w, "transaction", CP_MEANING_AMOUNT, true);
    int32_t S[4] = {0, 1, 2, 3}, T[3] = {4, 5, 6};
    double *cost = NULL;
    if (with_cost) {
        cost = malloc(sizeof *cost * (size_t)n);
        uint64_t x = seed * 7 + 1;
        for (int32_t v = 0; v < n; v++) {
            cost[v] = 1.0 + (double)(lcg(&x) % 4);
        }
    }
    cp_scenario sc = base_scenario(S, 4, T, 3);
    sc.strategy = CP_STRATEGY_GREEDY;
    sc.objective = volume_first ? CP_METRIC_REACH_VOLUME : CP_METRIC_REACH;
    sc.budget = k;
    sc.round_size = round;
    sc.cost = cost;
    cp_scenario_result *res = NULL;
    cp_error err;
    cr_assert_eq(cp_simulate_run(&res, g, &sc, NULL, &err), CP_OK, "%s", err.msg);
    cr_assert_eq(res->n_removed, k, "seed %llu: %d removals", (unsigned long long)seed,
                 res->n_removed);
    uint8_t *removed = calloc((size_t)n, 1);
    for (int32_t i = 0; i < k; i++) {
        bf base = brute(&r, removed, S, 4, T, 3);
        double best[3] = {-INFINITY, -INFINITY, -INFINITY}, chosen[3] = {0, 0, 0};
        int32_t pick = res->removed[i];
        for (int32_t c = 7; c < n; c++) { /* every node but S and T is a candidate */
            if (removed[c]) {
                continue;
            }
            removed[c] = 1;
            bf after = brute(&r, removed, S, 4, T, 3);
            removed[c] = 0;
            double cc = cost != NULL ? cost[c] : 1.0;
            double key[3] = {((volume_first ? base.volume : base.reach) -
                              (volume_first ? after.volume : after.reach)) /
                                 cc,
                             ((volume_first ? base.reach : base.volume) -
                              (volume_first ? after.reach : after.volume)) /
                                 cc,
                             (base.nodes - after.nodes) / cc};
            if (c == pick) {
                memcpy(chosen, key, sizeof chosen);
            }
            /* lexicographic maximum, with a little slack for sums in another order */
            for (int q = 0; q < 3; q++) {
                if (key[q] > best[q] + 1e-9) {
                    memcpy(best, key, sizeof best);
                    break;
                }
                if (key[q] < best[q] - 1e-9) {
                    break;
                }
            }
        }
        for (int q = 0; q < 3; q++) {
            cr_assert(fabs(chosen[q] - best[q]) <= 1e-9,
                      "seed %llu step %d: pick %d key[%d] = %.12g, best %.12g",
                      (unsigned long long)seed, i, pick, q, chosen[q], best[q]);
        }
        removed[pick] = 1;
        /* the curve agrees with brute force after the pick */
        bf now = brute(&r, removed, S, 4, T, 3);
        cr_assert(cp_test_close(res->curve[CP_METRIC_REACH][i + 1], now.reach, 1e-12, 1e-12));
    }
    free(removed);
    free(cost);
    cp_scenario_result_free(&res);
    cp_graph_free(&g);
    rfree(&r);
}

Test(greedy, every_pick_is_best_by_brute_force) {
    for (uint64_t seed = 1; seed <= 6; seed++) {
        check_greedy(seed, 30, 70, 5, 1, false, false);
    }
}

Test(greedy, rounds_and_more_than_64_candidates) {
    /* 150 nodes: candidate batches cross the 64-bit word boundary. */
    check_greedy(11, 150, 420, 4, 2, false, false);
    check_greedy(12, 150, 420, 4, 4, true, false);
}

Test(greedy, reach_volume_objective_and_costs) {
    for (uint64_t seed = 21; seed <= 24; seed++) {
        check_greedy(seed, 40, 100, 4, 1, true, false);
        check_greedy(seed, 40, 100, 4, 1, false, true);
    }
}

Test(greedy, rejects_other_objectives) {
    int32_t src[2] = {0, 1}, dst[2] = {1, 2}, S[1] = {0}, T[1] = {2};
    cp_graph *g = cp_test_graph(3, 2, src, dst, NULL, "t", CP_MEANING_AMOUNT, true);
    cp_scenario sc = base_scenario(S, 1, T, 1);
    sc.strategy = CP_STRATEGY_GREEDY;
    sc.objective = CP_METRIC_FLOW;
    cp_scenario_result *res = NULL;
    cp_error err;
    cr_assert_eq(cp_simulate_run(&res, g, &sc, NULL, &err), CP_E_INVALID);
    cr_assert_not_null(strstr(err.msg, "greedy"), "%s", err.msg);
    cr_assert_null(res);
    cp_graph_free(&g);
}

/* ---- costs -------------------------------------------------------------------------------- */

/* 0 -> {1, 2, 3} -> 4 and 1 -> {5, 6, 7}: node 1 has degree 5, nodes 2 and 3 degree 2. */
static cp_graph *cost_graph(void) {
    int32_t src[9] = {0, 0, 0, 1, 2, 3, 1, 1, 1}, dst[9] = {1, 2, 3, 4, 4, 4, 5, 6, 7};
    return cp_test_graph(8, 9, src, dst, NULL, "t", CP_MEANING_AMOUNT, true);
}

Test(costs, measures_rank_by_score_per_cost_within_the_budget) {
    cp_graph *g = cost_graph();
    int32_t S[1] = {0}, T[1] = {4}, C[3] = {1, 2, 3};
    double cost[8] = {1, 5, 1, 2, 1, 1, 1, 1};
    cp_scenario sc = base_scenario(S, 1, T, 1);
    sc.candidates = C;
    sc.n_candidates = 3;
    sc.strategy = CP_STRATEGY_DEGREE;
    sc.budget = 3;
    sc.cost = cost;
    sc.cost_budget = 3.5;
    cp_scenario_result *res = NULL;
    cp_error err;
    cr_assert_eq(cp_simulate_run(&res, g, &sc, NULL, &err), CP_OK, "%s", err.msg);
    /* degree / cost: node 2: 2/1 = 2, node 1: 5/5 = 1, node 3: 2/2 = 1 (ties by the seeded
     * hash). 2 is first (cost 1, 2.5 left); then 1 (cost 5) cannot fit and 3 (cost 2) can. */
    cr_assert_eq(res->n_removed, 2);
    cr_assert_eq(res->removed[0], 2);
    cr_assert_eq(res->removed[1], 3);
    cr_assert_eq(res->cost_spent[0], 0.0);
    cr_assert_eq(res->cost_spent[1], 1.0);
    cr_assert_eq(res->cost_spent[2], 3.0);
    cr_assert_eq(res->cost_spent[3], 3.0);
    cp_scenario_result_free(&res);
    /* Without a cap: all three, and the curve reaches 0. */
    sc.cost_budget = 0;
    cr_assert_eq(cp_simulate_run(&res, g, &sc, NULL, &err), CP_OK, "%s", err.msg);
    cr_assert_eq(res->n_removed, 3);
    cr_assert_eq(res->cost_spent[3], 8.0);
    cr_assert_eq(res->curve[CP_METRIC_REACH][3], 0.0);
    cp_scenario_result_free(&res);
    /* Bad costs are refused, naming the node. */
    cost[5] = 0;
    cr_assert_eq(cp_simulate_run(&res, g, &sc, NULL, &err), CP_E_INVALID);
    cr_assert_not_null(strstr(err.msg, "node 5"), "%s", err.msg);
    cost[5] = NAN;
    cr_assert_eq(cp_simulate_run(&res, g, &sc, NULL, &err), CP_E_INVALID);
    cost[5] = 1;
    sc.cost_budget = -1;
    cr_assert_eq(cp_simulate_run(&res, g, &sc, NULL, &err), CP_E_INVALID);
    cp_graph_free(&g);
}

Test(costs, min_cut_uses_costs_as_capacities) {
    /* Routes 0 -> 1 -> 2 -> 4 and 0 -> 3 -> 4: a cut takes 3 and one of 1, 2; the costs decide
     * which. */
    int32_t src[5] = {0, 1, 2, 0, 3}, dst[5] = {1, 2, 4, 3, 4};
    cp_graph *g = cp_test_graph(5, 5, src, dst, NULL, "t", CP_MEANING_AMOUNT, true);
    int32_t S[1] = {0}, T[1] = {4};
    double cost[2][5] = {{1, 5, 1, 1, 1}, {1, 1, 5, 1, 1}};
    int32_t expect[2] = {2, 1};
    for (int c = 0; c < 2; c++) {
        cp_scenario sc = base_scenario(S, 1, T, 1);
        sc.strategy = CP_STRATEGY_MIN_CUT;
        sc.mode = CP_MODE_SIMULTANEOUS;
        sc.budget = 2;
        sc.cost = cost[c];
        cp_scenario_result *res = NULL;
        cp_error err;
        cr_assert_eq(cp_simulate_run(&res, g, &sc, NULL, &err), CP_OK, "%s", err.msg);
        cr_assert_eq(res->curve[CP_METRIC_REACH][2], 0.0);
        int32_t a = res->removed[0] < res->removed[1] ? res->removed[0] : res->removed[1];
        int32_t b = res->removed[0] ^ res->removed[1] ^ a;
        cr_assert(a == expect[c] && b == 3, "costs %d: cut {%d, %d}", c, a, b);
        cr_assert_eq(res->cost_spent[2], 2.0);
        cp_scenario_result_free(&res);
    }
    cp_graph_free(&g);
}

/* ---- the ownership closure during rounds -------------------------------------------------- */

/* Nodes: 0 origin S, 1 A, 2 B, 3 C, 4 bank T, 5 D. Ownership: A holds 60% of B, B 50% of C.
 * Control: A controls D. Transactions (10 each): S -> {A, B, C, D} -> T. Designating A blocks
 * B (60%) under every regime; C (exactly 50% held by blocked B) under OFAC (50% or more) but not
 * under EU/UK (more than 50%); D only under EU/UK (control). */
static cp_graph *closure_graph(void) {
    cp_graph *g = NULL;
    cp_error err;
    int lt, lo, lc;
    cr_assert_eq(cp_graph_new(&g, &err), CP_OK);
    cr_assert_eq(cp__graph_alloc_nodes(g, 6, true, &err), CP_OK);
    cr_assert_eq(cp__graph_alloc_edges(g, 11, false, &err), CP_OK);
    cr_assert_eq(cp__graph_add_layer(g, "transaction", CP_MEANING_AMOUNT, "USD", true, &lt, &err),
                 CP_OK);
    cr_assert_eq(cp__graph_add_layer(g, "ownership", CP_MEANING_SHARE, "fraction", true, &lo, &err),
                 CP_OK);
    cr_assert_eq(cp__graph_add_layer(g, "control", CP_MEANING_NONE, "", true, &lc, &err), CP_OK);
    for (int i = 0; i < 6; i++) {
        g->ids_int[i] = i;
    }
    const int32_t src[11] = {0, 0, 0, 0, 1, 2, 3, 5, 1, 2, 1};
    const int32_t dst[11] = {1, 2, 3, 5, 4, 4, 4, 4, 2, 3, 5};
    const double w[11] = {10, 10, 10, 10, 10, 10, 10, 10, 0.6, 0.5, 1};
    for (int e = 0; e < 11; e++) {
        g->src[e] = src[e];
        g->dst[e] = dst[e];
        g->weight[e] = w[e];
        g->layer[e] = (uint8_t)(e < 8 ? lt : (e < 10 ? lo : lc));
    }
    cr_assert_eq(cp__graph_finalize(g, &err), CP_OK, "%s", err.msg);
    return g;
}

static cp_scenario_result *run_closure(cp_graph *g, int regime, const int32_t *prot, int np) {
    static const int32_t S[1] = {0}, T[1] = {4}, order[1] = {1};
    cp_scenario sc = base_scenario(S, 1, T, 1);
    sc.metrics = (1u << CP_METRIC_REACH) | (1u << CP_METRIC_FLOW);
    sc.strategy = CP_STRATEGY_LIST;
    sc.order = order;
    sc.n_order = 1;
    sc.budget = 1;
    sc.mode = CP_MODE_SEQUENTIAL;
    sc.closure = regime;
    sc.protected_nodes = prot;
    sc.n_protected = np;
    sc.layer_mask = 1u << (uint32_t)cp__graph_find_layer(g, "transaction");
    cp_scenario_result *res = NULL;
    cp_error err;
    cr_assert_eq(cp_simulate_run(&res, g, &sc, NULL, &err), CP_OK, "%s", err.msg);
    return res;
}

Test(closure, each_regime_blocks_what_its_rule_says) {
    cp_graph *g = closure_graph();
    /* OFAC: B (60%) and C (50% or more, through blocked B); control does not count. */
    cp_scenario_result *r = run_closure(g, CP_REGIME_OFAC, NULL, 0);
    cr_assert_eq(r->n_removed, 1);
    cr_assert_eq(r->n_closure, 2);
    cr_assert_eq(r->closure_nodes[0], 2); /* B */
    cr_assert_eq(r->closure_nodes[1], 3); /* C */
    cr_assert_eq(r->closure_round[0], 0);
    cr_assert_eq(r->closure_step[1], 1);
    /* Flow 40 intact; after A, B and C only D carries 10. */
    cr_assert(cp_test_close(r->curve[CP_METRIC_FLOW][1], 0.25, 0, 1e-12));
    cr_assert_eq(r->curve_before[CP_METRIC_FLOW][1], r->curve[CP_METRIC_FLOW][1]);
    cp_scenario_result_free(&r);
    /* EU (2024): 50% or more, and control: B, C and D; nothing carries money. */
    r = run_closure(g, CP_REGIME_EU, NULL, 0);
    cr_assert_eq(r->n_closure, 3);
    cr_assert_eq(r->closure_nodes[0], 2);
    cr_assert_eq(r->closure_nodes[1], 3);
    cr_assert_eq(r->closure_nodes[2], 5);
    cr_assert_eq(r->curve[CP_METRIC_FLOW][1], 0.0);
    cp_scenario_result_free(&r);
    /* EU (2022) and UK: more than 50%, and control: B and D, not C. */
    const cp_regime strict[2] = {CP_REGIME_EU_2022, CP_REGIME_UK};
    for (int i = 0; i < 2; i++) {
        r = run_closure(g, strict[i], NULL, 0);
        cr_assert_eq(r->n_closure, 2, "regime %d", strict[i]);
        cr_assert_eq(r->closure_nodes[0], 2); /* B: 60% > 50% */
        cr_assert_eq(r->closure_nodes[1], 5); /* D: controlled by A */
        cr_assert(cp_test_close(r->curve[CP_METRIC_FLOW][1], 0.25, 0, 1e-12));
        cp_scenario_result_free(&r);
    }
    cp_graph_free(&g);
}

Test(closure, protected_nodes_are_exempt_but_still_pass_the_block_on) {
    cp_graph *g = closure_graph();
    int32_t prot[1] = {2};
    cp_scenario_result *r = run_closure(g, CP_REGIME_OFAC, prot, 1);
    /* B is protected (stays), C is still blocked through B's designation by the rule. */
    cr_assert_eq(r->n_closure, 1);
    cr_assert_eq(r->closure_nodes[0], 3);
    cr_assert(cp_test_close(r->curve[CP_METRIC_FLOW][1], 0.5, 0, 1e-12));
    cp_scenario_result_free(&r);
    cp_graph_free(&g);
}

Test(closure, needs_a_share_layer_and_refuses_reinsertion) {
    int32_t src[2] = {0, 1}, dst[2] = {1, 2}, S[1] = {0}, T[1] = {2};
    cp_graph *g = cp_test_graph(3, 2, src, dst, NULL, "t", CP_MEANING_AMOUNT, true);
    cp_scenario sc = base_scenario(S, 1, T, 1);
    sc.strategy = CP_STRATEGY_DEGREE;
    sc.closure = CP_REGIME_OFAC;
    cp_scenario_result *res = NULL;
    cp_error err;
    cr_assert_eq(cp_simulate_run(&res, g, &sc, NULL, &err), CP_E_INVALID);
    cr_assert_not_null(strstr(err.msg, "share"), "%s", err.msg);
    sc.reinsert = true;
    cr_assert_eq(cp_simulate_run(&res, g, &sc, NULL, &err), CP_E_INVALID);
    cr_assert_not_null(strstr(err.msg, "reinsertion"), "%s", err.msg);
    cp_graph_free(&g);
}

/* ---- reinsertion -------------------------------------------------------------------------- */

Test(reinsertion, gives_back_a_redundant_removal) {
    /* One route 0 -> 1 -> 2 -> 3: removing 1 and 2 cuts it; either alone does too, so one of
     * the two comes back and the other stays. */
    int32_t src[3] = {0, 1, 2}, dst[3] = {1, 2, 3}, S[1] = {0}, T[1] = {3}, order[2] = {1, 2};
    cp_graph *g = cp_test_graph(4, 3, src, dst, NULL, "t", CP_MEANING_AMOUNT, true);
    cp_scenario sc = base_scenario(S, 1, T, 1);
    sc.strategy = CP_STRATEGY_LIST;
    sc.order = order;
    sc.n_order = 2;
    sc.budget = 2;
    sc.reinsert = true;
    cp_scenario_result *res = NULL;
    cp_error err;
    cr_assert_eq(cp_simulate_run(&res, g, &sc, NULL, &err), CP_OK, "%s", err.msg);
    cr_assert_eq(res->n_reinserted, 1);
    cr_assert_eq(res->after_reinsertion[CP_METRIC_REACH], 0.0);
    cr_assert(isnan(res->after_reinsertion[CP_METRIC_PAIRS]));
    cp_scenario_result_free(&res);
    cp_graph_free(&g);
}

/* The two properties that define the result: the objective stays at or below its value after
 * the last round, and no node still removed by the strategy could come back on its own. */
static void check_reinsertion(uint64_t seed, cp_metric objective, cp_strategy strategy) {
    int32_t n = 60;
    rgraph r = rand_graph(seed, n, 110);
    cp_graph *g = cp_test_graph(n, r.m, r.src, r.dst, r.w, "transaction", CP_MEANING_AMOUNT, true);
    int32_t S[4] = {0, 1, 2, 3}, T[3] = {4, 5, 6};
    cp_scenario sc = base_scenario(S, 4, T, 3);
    sc.metrics |= 1u << objective;
    sc.strategy = strategy;
    sc.objective = objective;
    sc.budget = 12;
    sc.round_size = 4;
    sc.reinsert = true;
    cp_scenario_result *res = NULL;
    cp_error err;
    cr_assert_eq(cp_simulate_run(&res, g, &sc, NULL, &err), CP_OK, "%s", err.msg);
    double bar = res->curve[objective][res->n_removed];
    uint8_t *removed = calloc((size_t)n, 1), *back = calloc((size_t)n, 1);
    for (int32_t i = 0; i < res->n_reinserted; i++) {
        back[res->reinserted[i]] = 1;
    }
    for (int32_t i = 0; i < res->n_removed; i++) {
        removed[res->removed[i]] = !back[res->removed[i]];
    }
    for (int32_t i = 0; i < res->n_reinserted; i++) { /* given back: was removed */
        bool found = false;
        for (int32_t j = 0; j < res->n_removed; j++) {
            found |= res->removed[j] == res->reinserted[i];
        }
        cr_assert(found);
    }
    /* The objective of a state, measured independently where possible. */
    cp_view *v = NULL;
    cp_view_spec spec = {0, CP_DIR_STORED, CP_MULTI_KEEP};
    cr_assert_eq(cp_view_build(&v, g, &spec, &err), CP_OK);
    int32_t *labels = malloc(sizeof *labels * (size_t)n);
#define OBJ(val)                                                                                   \
    do {                                                                                           \
        if (objective == CP_METRIC_LCC) {                                                          \
            int32_t nc = 0, big = 0;                                                               \
            cr_assert_eq(cp_wcc(labels, &nc, &big, v, removed, &err), CP_OK);                      \
            (val) = (double)big / n;                                                               \
        } else {                                                                                   \
            bf b = brute(&r, removed, S, 4, T, 3);                                                 \
            (val) = objective == CP_METRIC_REACH ? b.reach : b.volume;                             \
        }                                                                                          \
    } while (0)
    double now;
    OBJ(now);
    cr_assert(now <= bar + 1e-12, "seed %llu: %.17g above the bar %.17g", (unsigned long long)seed,
              now, bar);
    cr_assert(cp_test_close(res->after_reinsertion[objective], now, 1e-12, 1e-12));
    for (int32_t i = 0; i < res->n_removed; i++) {
        int32_t x = res->removed[i];
        if (!removed[x]) {
            continue;
        }
        removed[x] = 0;
        double val;
        OBJ(val);
        removed[x] = 1;
        cr_assert(val > bar + 1e-12, "seed %llu: node %d could still come back (%.17g <= %.17g)",
                  (unsigned long long)seed, x, val, bar);
    }
#undef OBJ
    free(labels);
    cp_view_free(&v);
    free(removed);
    free(back);
    cp_scenario_result_free(&res);
    cp_graph_free(&g);
    rfree(&r);
}

Test(reinsertion, keeps_the_objective_and_leaves_nothing_to_give_back) {
    for (uint64_t seed = 31; seed <= 36; seed++) {
        check_reinsertion(seed, CP_METRIC_REACH, CP_STRATEGY_DEGREE);
        check_reinsertion(seed, CP_METRIC_REACH_VOLUME, CP_STRATEGY_RANDOM);
        check_reinsertion(seed, CP_METRIC_LCC, CP_STRATEGY_DEGREE);
    }
}

/* ---- the masked percolation curve --------------------------------------------------------- */

Test(percolation, masked_curve_equals_components_after_each_removal) {
    for (uint64_t seed = 41; seed <= 45; seed++) {
        int32_t n = 80;
        rgraph r = rand_graph(seed, n, 120);
        cp_graph *g =
            cp_test_graph(n, r.m, r.src, r.dst, r.w, "transaction", CP_MEANING_AMOUNT, true);
        cp_view *v = NULL;
        cp_error err;
        cp_view_spec spec = {0, CP_DIR_STORED, CP_MULTI_KEEP};
        cr_assert_eq(cp_view_build(&v, g, &spec, &err), CP_OK);
        uint8_t removed[80] = {0};
        for (int32_t x = 0; x < n; x += 7) {
            removed[x] = 1;
        }
        int32_t order[20];
        int k = 0;
        for (int32_t x = 3; x < n && k < 20; x += 4) {
            if (!removed[x]) {
                order[k++] = x;
            }
        }
        double lcc[21];
        cr_assert_eq(cp_percolation_curve_masked(lcc, v, removed, order, k, &err), CP_OK, "%s",
                     err.msg);
        int32_t labels[80];
        for (int i = 0; i <= k; i++) {
            int32_t nc = 0, big = 0;
            cr_assert_eq(cp_wcc(labels, &nc, &big, v, removed, &err), CP_OK);
            cr_assert_eq(lcc[i], (double)big / n, "seed %llu step %d", (unsigned long long)seed, i);
            if (i < k) {
                removed[order[i]] = 1;
            }
        }
        /* An order entry that is already removed is refused. */
        cr_assert_eq(cp_percolation_curve_masked(lcc, v, removed, order, 1, &err), CP_E_INVALID);
        cp_view_free(&v);
        cp_graph_free(&g);
        rfree(&r);
    }
}
