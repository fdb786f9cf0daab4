/* chokepoint simulate GRAPH.h5 -o SIM.h5: strategies x modes x seeds, curves per metric. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "chokepoint/generate.h"
#include "chokepoint/nodeset.h"
#include "chokepoint/percolation.h"
#include "chokepoint/simulate.h"
#include "cli.h"
#include "graph_impl.h"
#include "scenario_io.h"
#include "view_opts.h"

static const cli_opt_spec specs[] = {
    {"strategy", true,
     "LIST: random, degree, st-betweenness, flow, list, greedy, min-cut or any rank measure "
     "(default: random, degree, st-betweenness, flow)"},
    {"objective", true,
     "METRIC: what greedy and --reinsert minimise: reach (default) or reach-volume (greedy); any "
     "metric but path-length (reinsertion)"},
    {"cost", true, "FILE: node costs, CSV rows 'id,cost' (a header row is allowed)"},
    {"cost-default", true, "C: the cost of nodes the --cost file does not list (default 1)"},
    {"cost-budget", true, "C: total cost the strategy may spend (default: no cap)"},
    {"reinsert", false,
     "give back removed nodes that turned out unnecessary (Braunstein et al. 2016)"},
    {"closure", true,
     "ofac|eu|eu-2022|uk: after each round, also remove what the ownership rule blocks"},
    {"closure-layer", true, "NAME: the ownership layer of --closure (default: the share layer)"},
    {"null", true, "rewire: also run every scenario on degree-preserving rewirings (a band)"},
    {"null-samples", true, "R: rewired graphs for --null (default 10)"},
    {"null-swaps", true, "Q: swaps per edge for --null (default 10)"},
    {"order", true, "FILE: strategy list: external ids in removal order, one per line"},
    {"curve-only", false,
     "only the largest-component curve along --order, in one pass (Newman-Ziff); no S or T"},
    {"mode", true, "LIST: simultaneous, sequential, adaptive (default all three)"},
    {"budget", true, "K: removals (default 10)"},
    {"round", true, "B: removals per round in sequential / adaptive modes (default 1)"},
    {"reroute", true, "P: probability that a dead flow edge reroutes (default 0)"},
    {"substitutes", true, "SET: where rerouted edges may go (default: the removed node's groups)"},
    {"rerank", true, "yes|no: re-rank after each round (default yes)"},
    {"sources", true, "SET: sources S (required), e.g. group:origin"},
    {"targets", true, "SET: targets T (required), e.g. group:bank"},
    {"candidates", true, "SET: removable nodes (default: all but S, T and group:protected)"},
    {"protected", true, "SET: never removed (default group:protected when it exists)"},
    {"metrics", true,
     "LIST: reach, reach-volume, pairs, flow, lcc, path-length, efficiency, scc-pairs, lscc "
     "(default: the first five)"},
    {"seeds", true, "N: run seeds S..S+N-1 (default 1)"},
    {"layers", true, "L1,L2: layers of the view (default: all)"},
    CLI_MEASURE_SPECS,
    {NULL, false, NULL},
};

/* Reads the removal order of strategy `list`: one external id per line ('#' comments). */
static cp_status read_order(cp_graph *g, const char *path, int32_t **order, int64_t *count,
                            cp_error *err) {
    *order = NULL;
    *count = 0;
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return cp_error_set(err, CP_E_IO, "--order: cannot open %s", path);
    }
    cp_status status = CP_OK;
    char line[4096];
    long lineno = 0;
    int64_t cap = 0;
    while (fgets(line, sizeof line, f) != NULL) {
        lineno++;
        size_t len = strlen(line);
        while (len > 0 &&
               (line[len - 1] == '\n' || line[len - 1] == '\r' || line[len - 1] == ' ')) {
            line[--len] = '\0';
        }
        if (len == 0 || line[0] == '#') {
            continue;
        }
        int32_t v = cp_graph_find_node(g, line);
        if (v < 0) {
            status = cp_error_set(err, CP_E_FORMAT, "--order: %s line %ld: id '%s' is not a node",
                                  path, lineno, line);
            break;
        }
        if (*count == cap) {
            cap = cap == 0 ? 64 : cap * 2;
            int32_t *p = cp__realloc(*order, (size_t)cap * sizeof *p);
            if (p == NULL) {
                status = cp_error_set(err, CP_E_NOMEM, "out of memory reading %s", path);
                break;
            }
            *order = p;
        }
        (*order)[(*count)++] = v;
    }
    fclose(f);
    if (status != CP_OK) {
        cp__free(*order);
        *order = NULL;
        *count = 0;
    }
    return status;
}

/* simulate --curve-only --order FILE: the lcc curve along a removal order in one pass. */
static int curve_only(cli_args *a) {
    cp_error err;
    cp_error_clear(&err);
    cp_graph *g = NULL;
    cp_view *v = NULL;
    cp_results *r = NULL;
    int32_t *order = NULL;
    int64_t k = 0;
    double *lcc = NULL;
    cp_status status = CP_OK;
    double t0 = cli_now();
    if (cli_get(a, "order", NULL) == NULL || a->output == NULL) {
        status = cp_error_set(&err, CP_E_INVALID, "--curve-only needs --order FILE and -o OUT.h5");
        goto cleanup;
    }
    CP_TRY(cli_load_graph(&g, a->pos[0], &err));
    cp_view_spec spec = {0, CP_DIR_STORED, CP_MULTI_KEEP};
    CP_TRY(cp_view_parse_layers(g, cli_get(a, "layers", "all"), &spec.layer_mask, &err));
    CP_TRY(cp_view_build(&v, g, &spec, &err));
    CP_TRY(read_order(g, cli_get(a, "order", NULL), &order, &k, &err));
    lcc = cp__calloc((size_t)k + 1, sizeof *lcc);
    if (lcc == NULL) {
        status = cp_error_set(&err, CP_E_NOMEM, "out of memory");
        goto cleanup;
    }
    status = cp_percolation_curve(lcc, v, order, k, &err);
    if (status == CP_E_INVALID) {
        status = CP_E_FORMAT; /* a repeated id in the order file */
        cli_blame(&err, cli_get(a, "order", NULL));
    }
    if (status < 0) {
        goto cleanup;
    }
    double auc = cp_curve_auc(lcc, (int32_t)k);
    CP_TRY(cp_results_create(&r, a->output, a->pos[0], &err));
    CP_TRY(cli_write_provenance(r, a, a->pos[0], g, NULL, &err));
    int64_t dims[2] = {1, k + 1};
    CP_TRY(cp_results_write_f64(r, "/scenarios/order/curve/lcc", 2, dims, lcc,
                                "largest weakly connected component / n after removal 0..k of "
                                "the order (one pass, reverse union-find)",
                                &err));
    int64_t rdims[2] = {1, k};
    CP_TRY(cp_results_write_i32(r, "/scenarios/order/removed", 2, rdims, order,
                                "the removal order (node indices)", &err));
    CP_TRY(cp_results_attr_str(r, "/scenarios/order", "strategy", "list", &err));
    CP_TRY(cp_results_attr_str(r, "/scenarios/order", "mode", "curve-only", &err));
    CP_TRY(cp_results_attr_i64(r, "/scenarios/order", "budget", k, &err));
    CP_TRY(cp_results_attr_str(r, "/scenarios/order", "order", cli_get(a, "order", ""), &err));
    CP_TRY(cp_results_attr_str(r, "/scenarios/order", "layers", cli_get(a, "layers", "all"), &err));
    CP_TRY(cp_results_attr_f64(r, "/scenarios/order", "auc_lcc_mean", auc, &err));
    if (!a->quiet) {
        printf("percolation along %" PRId64 " removals: lcc %.4f -> %.4f, robustness index R = "
               "%.4f\n",
               k, lcc[0], lcc[k], auc);
    }
    CP_TRY(cli_commit(&r, a, t0, &err));
cleanup:
    cp_results_abort(&r);
    cp__free(lcc);
    cp__free(order);
    cp_view_free(&v);
    cp_graph_free(&g);
    return status < 0 ? cli_fail(a, status, &err) : 0;
}

int cmd_simulate(int argc, char **argv) {
    cli_args a;
    cp_error err;
    cp_error_clear(&err);
    cp_graph *g = NULL;
    cp_results *r = NULL;
    int32_t *S = NULL, *T = NULL, *C = NULL, *P = NULL, *SUB = NULL, *ORD = NULL;
    int64_t ns = 0, nt = 0, nc = 0, np = 0, nsub = 0, nord = 0;
    char *strategies = NULL, *modes = NULL, *metrics = NULL;
    double *pers = NULL, *COST = NULL;
    cp_scenario_result **res = NULL, **null_res = NULL;
    cp_graph **nulls = NULL;
    long seeds = 1, null_samples = 0;
    cp_backend_ops be;
    memset(&be, 0, sizeof be);
    cp_status status = cli_parse(&a, "simulate", argc, argv, 2, specs,
                                 "GRAPH.h5 -o SIM.h5 --sources SET --targets SET [options]", &err);
    if (status != CP_OK) {
        return cli_fail(&a, status, &err);
    }
    if (a.n_pos != 1 || a.output == NULL) {
        cp_error_set(
            &err, CP_E_INVALID,
            "expected: chokepoint simulate GRAPH.h5 -o SIM.h5 --sources SET --targets SET");
        return cli_fail(&a, CP_E_INVALID, &err);
    }
    if (cli_flag(&a, "curve-only")) {
        return curve_only(&a);
    }
    cp_scenario sc;
    cp_scenario_init(&sc);
    cp_measure_params mp;
    cp_measure_params_init(&mp);
    long budget, round;
    CP_TRY(cli_get_int(&a, "budget", 10, 0, 100000000L, &budget, &err));
    CP_TRY(cli_get_int(&a, "round", 1, 1, 100000000L, &round, &err));
    CP_TRY(cli_get_double(&a, "reroute", 0.0, 0.0, 1.0, &sc.reroute_p, &err));
    CP_TRY(cli_get_int(&a, "seeds", 1, 1, 1000, &seeds, &err));
    sc.budget = (int32_t)budget;
    sc.round_size = (int32_t)round;
    const char *rerank = cli_get(&a, "rerank", "yes");
    if (strcmp(rerank, "yes") != 0 && strcmp(rerank, "no") != 0) {
        status = cp_error_set(&err, CP_E_INVALID, "--rerank %s: expected yes or no", rerank);
        goto cleanup;
    }
    sc.rerank = strcmp(rerank, "yes") == 0;
    if (cli_get(&a, "sources", NULL) == NULL || cli_get(&a, "targets", NULL) == NULL) {
        status = cp_error_set(&err, CP_E_INVALID,
                              "simulate needs --sources and --targets (e.g. --sources group:origin "
                              "--targets group:bank)");
        goto cleanup;
    }
    double t0 = cli_now();
    CP_TRY(cli_open_backend(&a, &be, &err));
    CP_TRY(cli_load_graph(&g, a.pos[0], &err));
    double t_load = cli_now() - t0;
    CP_TRY(cp_view_parse_layers(g, cli_get(&a, "layers", "all"), &sc.layer_mask, &err));
    CP_TRY(cli_nodeset(&a, g, "sources", NULL, &S, &ns, &err));
    CP_TRY(cli_nodeset(&a, g, "targets", NULL, &T, &nt, &err));
    CP_TRY(cli_nodeset(&a, g, "candidates", NULL, &C, &nc, &err));
    CP_TRY(cli_nodeset(&a, g, "protected",
                       cp__graph_find_group(g, "protected") != NULL ? "group:protected" : NULL, &P,
                       &np, &err));
    CP_TRY(cli_nodeset(&a, g, "substitutes", NULL, &SUB, &nsub, &err));
    sc.sources = S;
    sc.n_sources = ns;
    sc.targets = T;
    sc.n_targets = nt;
    sc.candidates = C;
    sc.n_candidates = nc;
    sc.protected_nodes = P;
    sc.n_protected = np;
    sc.substitutes = SUB;
    sc.n_substitutes = nsub;
    if (cli_get(&a, "order", NULL) != NULL) {
        CP_TRY(read_order(g, cli_get(&a, "order", NULL), &ORD, &nord, &err));
    }
    sc.order = ORD;
    sc.n_order = nord;
    CP_TRY(cli_measure_params(&a, g, &mp, &pers, &err));
    sc.measure = &mp;
    const char *objective = cli_get(&a, "objective", "reach");
    if (cp_metric_parse(objective, &sc.objective) != CP_OK) {
        status =
            cp_error_set(&err, CP_E_INVALID, "--objective %s: expected a metric name", objective);
        goto cleanup;
    }
    double cost_default = 1.0;
    CP_TRY(cli_get_double(&a, "cost-default", 1.0, 1e-300, 1e300, &cost_default, &err));
    CP_TRY(cli_get_double(&a, "cost-budget", 0.0, 0.0, 1e300, &sc.cost_budget, &err));
    if (cli_get(&a, "cost", NULL) != NULL) {
        CP_TRY(cli_read_costs(g, cli_get(&a, "cost", NULL), cost_default, &COST, &err));
    }
    sc.cost = COST;
    sc.reinsert = cli_flag(&a, "reinsert");
    if (cli_get(&a, "closure", NULL) != NULL) {
        cp_regime reg;
        if (cp_regime_parse(cli_get(&a, "closure", NULL), &reg) != CP_OK) {
            status =
                cp_error_set(&err, CP_E_INVALID, "--closure %s: expected ofac, eu, eu-2022 or uk",
                             cli_get(&a, "closure", NULL));
            goto cleanup;
        }
        sc.closure = (int)reg;
        const char *lname = cli_get(&a, "closure-layer", NULL);
        if (lname != NULL) {
            sc.closure_layer = cp__graph_find_layer(g, lname);
            if (sc.closure_layer < 0 || g->layers[sc.closure_layer].meaning != CP_MEANING_SHARE) {
                status = cp_error_set(&err, CP_E_INVALID,
                                      "--closure-layer %s: %s has no layer of shares by that name",
                                      lname, a.pos[0]);
                goto cleanup;
            }
        }
    }
    strategies = cp__strdup(cli_get(&a, "strategy", "random,degree,st-betweenness,flow"));
    modes = cp__strdup(cli_get(&a, "mode", "simultaneous,sequential,adaptive"));
    metrics = cp__strdup(cli_get(&a, "metrics", "reach,reach-volume,pairs,flow,lcc"));
    res = cp__calloc((size_t)seeds, sizeof *res);
    if (strategies == NULL || modes == NULL || metrics == NULL || res == NULL) {
        status = cp_error_set(&err, CP_E_NOMEM, "out of memory");
        goto cleanup;
    }
    char *st_items[16], *mode_items[8], *met_items[16];
    int n_st = cli_split(strategies, st_items, 16);
    int n_mode = cli_split(modes, mode_items, 8);
    int n_met = cli_split(metrics, met_items, 16);
    CP_TRY(cli_unique(st_items, n_st, "--strategy", &err));
    CP_TRY(cli_unique(mode_items, n_mode, "--mode", &err));
    CP_TRY(cli_unique(met_items, n_met, "--metrics", &err));
    cp_strategy st_list[16];
    cp_mode mode_list[8];
    sc.metrics = 0;
    for (int i = 0; i < n_st; i++) {
        if (cp_strategy_parse(st_items[i], &st_list[i]) != CP_OK) {
            status = cp_error_set(&err, CP_E_INVALID,
                                  "--strategy %s: expected random, list or one of the measures %s",
                                  st_items[i], cp_measure_names());
            goto cleanup;
        }
        if (st_list[i] == CP_STRATEGY_LIST && cli_get(&a, "order", NULL) == NULL) {
            status = cp_error_set(&err, CP_E_INVALID, "--strategy list needs --order FILE");
            goto cleanup;
        }
    }
    for (int i = 0; i < n_mode; i++) {
        if (cp_mode_parse(mode_items[i], &mode_list[i]) != CP_OK) {
            status = cp_error_set(&err, CP_E_INVALID,
                                  "--mode %s: expected simultaneous, sequential or adaptive",
                                  mode_items[i]);
            goto cleanup;
        }
    }
    for (int i = 0; i < n_met; i++) {
        cp_metric mk;
        if (cp_metric_parse(met_items[i], &mk) != CP_OK) {
            status = cp_error_set(&err, CP_E_INVALID,
                                  "--metrics %s: expected reach, reach-volume, pairs, flow, lcc, "
                                  "path-length, efficiency, scc-pairs or lscc",
                                  met_items[i]);
            goto cleanup;
        }
        sc.metrics |= 1u << mk;
    }
    /* Refuse what the engine would refuse, before printing anything. */
    if (sc.reinsert && sc.closure >= 0) {
        status = cp_error_set(&err, CP_E_INVALID,
                              "--reinsert and --closure do not combine: a node given back would "
                              "unblock what its designation blocked");
        goto cleanup;
    }
    for (int i = 0; i < n_st; i++) {
        if (st_list[i] == CP_STRATEGY_GREEDY && sc.objective != CP_METRIC_REACH &&
            sc.objective != CP_METRIC_REACH_VOLUME) {
            status = cp_error_set(&err, CP_E_INVALID,
                                  "strategy greedy optimises reach or reach-volume, not "
                                  "--objective %s",
                                  cp_metric_name(sc.objective));
            goto cleanup;
        }
    }
    if (n_st == 0 || n_mode == 0 || sc.metrics == 0) {
        status = cp_error_set(&err, CP_E_INVALID, "empty --strategy, --mode or --metrics list");
        goto cleanup;
    }
    if ((sc.metrics >> CP_METRIC_FLOW) & 1u) {
        int32_t both = cli_sets_overlap(S, ns, T, nt);
        if (both >= 0) {
            char label[128];
            status = cp_error_set(&err, CP_E_INVALID,
                                  "node %s is both a source and a target, so the S-T flow is "
                                  "unbounded: make --sources and --targets disjoint",
                                  cp_graph_node_label(g, both, label, sizeof label));
            goto cleanup;
        }
    }
    int64_t bound = 0;
    CP_TRY(cli_min_cut_bound(&bound, g, &sc, &err));
    CP_TRY(cp_results_create(&r, a.output, a.pos[0], &err));
    CP_TRY(cp_results_attr_i64(r, "/scenarios", "min_cut_size", bound, &err));
    CP_TRY(cli_write_provenance(r, &a, a.pos[0], g, &be, &err));
    CP_TRY(cli_stage_time(r, "load", t_load, &err));
    if (!a.quiet) {
        printf("simulate: %d nodes, %" PRId64 " edges; |S| = %" PRId64 ", |T| = %" PRId64
               "; budget %d, round %d, reroute p = %g, %ld seed(s); backend %s\n",
               g->n, g->m, ns, nt, sc.budget, sc.round_size, sc.reroute_p, seeds, be.name);
        if (bound >= 0) {
            printf("lower bound: a minimum S-T vertex cut of %" PRId64
                   " candidates disconnects every source from every target\n",
                   bound);
        } else {
            printf("lower bound: no set of candidates disconnects S from T (a direct edge or a "
                   "path through non-candidates)\n");
        }
        printf("%-18s %-13s", "strategy", "mode");
        for (int mk = 0; mk < CP_METRIC_COUNT; mk++) {
            if ((sc.metrics >> mk) & 1u) {
                char h[64];
                snprintf(h, sizeof h, "%s@%d", cp_metric_name((cp_metric)mk), sc.budget);
                printf(" %14s", h);
            }
        }
        printf(" %12s\n", (sc.metrics >> CP_METRIC_FLOW) & 1u ? "auc(flow)" : "auc");
    }
    if (cli_get(&a, "null", NULL) != NULL) {
        if (strcmp(cli_get(&a, "null", NULL), "rewire") != 0) {
            status = cp_error_set(&err, CP_E_INVALID, "--null %s: expected rewire",
                                  cli_get(&a, "null", NULL));
            goto cleanup;
        }
        double swaps = 10;
        CP_TRY(cli_get_int(&a, "null-samples", 10, 1, 10000, &null_samples, &err));
        CP_TRY(cli_get_double(&a, "null-swaps", 10.0, 0.0, 1e6, &swaps, &err));
        nulls = cp__calloc((size_t)null_samples, sizeof *nulls);
        null_res = cp__calloc((size_t)(null_samples * seeds), sizeof *null_res);
        if (nulls == NULL || null_res == NULL) {
            status = cp_error_set(&err, CP_E_NOMEM, "out of memory for the null model");
            goto cleanup;
        }
        double t_null = cli_now();
        for (long q = 0; q < null_samples; q++) {
            /* The layers the scenario sees are rewired; the others (ownership for a closure)
             * stay as they are. */
            uint64_t all = g->n_layers >= 64 ? ~0ULL : (1ULL << g->n_layers) - 1;
            CP_TRY(cp_graph_rewire(&nulls[q], g, sc.layer_mask & all, swaps, a.seed, (uint32_t)q,
                                   NULL, &err));
        }
        CP_TRY(cli_stage_time(r, "rewire", cli_now() - t_null, &err));
        CP_TRY(cp_results_attr_f64(r, "/scenarios", "null_swaps_per_edge", swaps, &err));
        CP_TRY(cp_results_attr_i64(r, "/scenarios", "null_samples", null_samples, &err));
    }
    long total = (long)n_st * n_mode * seeds * (1 + null_samples), done = 0;
    double t_sim = cli_now();
    for (int i = 0; i < n_st; i++) {
        for (int j = 0; j < n_mode; j++) {
            sc.strategy = st_list[i];
            sc.mode = mode_list[j];
            for (long s = 0; s < seeds; s++) {
                sc.seed = a.seed + (uint64_t)s;
                sc.scenario_id = 0;
                CP_TRY(cp_simulate_run(&res[s], g, &sc, &be, &err));
                cli_progress(&a, "scenarios", ++done, total, t_sim);
            }
            char name[128];
            snprintf(name, sizeof name, "%s-%s", cp_strategy_name(sc.strategy),
                     cp_mode_name(sc.mode));
            /* The null model: the same scenario, seeds and all, on each rewired graph. */
            for (long q = 0; q < null_samples; q++) {
                for (long s = 0; s < seeds; s++) {
                    sc.seed = a.seed + (uint64_t)s;
                    CP_TRY(cp_simulate_run(&null_res[q * seeds + s], nulls[q], &sc, &be, &err));
                }
            }
            CP_TRY(cli_write_scenario(r, &a, name, &sc, res, (int)seeds, null_res,
                                      (int)(null_samples * seeds), &err));
            if (!a.quiet) {
                printf("%-18s %-13s", cp_strategy_name(sc.strategy), cp_mode_name(sc.mode));
                int first = -1;
                for (int mk = 0; mk < CP_METRIC_COUNT; mk++) {
                    if ((sc.metrics >> mk) & 1u) {
                        double fin[1024];
                        for (long s = 0; s < seeds && s < 1024; s++) {
                            fin[s] = res[s]->curve[mk][sc.budget];
                        }
                        cli_stat2 m = cli_mean_sd(fin, (int)(seeds < 1024 ? seeds : 1024), 1);
                        printf(" %14.4f", m.mean);
                        if (first < 0 || mk == CP_METRIC_FLOW) {
                            first = mk;
                        }
                    }
                }
                double auc[1024];
                for (long s = 0; s < seeds && s < 1024; s++) {
                    auc[s] = cp_curve_auc(res[s]->curve[first], sc.budget);
                }
                printf(" %12.4f\n", cli_mean_sd(auc, (int)(seeds < 1024 ? seeds : 1024), 1).mean);
                double blocked = 0, back = 0, made = 0, spent = 0;
                for (long s = 0; s < seeds; s++) {
                    blocked += res[s]->n_closure;
                    back += res[s]->n_reinserted;
                    made += res[s]->n_removed;
                    spent += res[s]->cost_spent[sc.budget];
                }
                if (sc.closure >= 0) {
                    printf("%32s %s closure blocked %.1f more nodes (mean over seeds)\n", "",
                           cli_get(&a, "closure", ""), blocked / (double)seeds);
                }
                if (sc.cost != NULL || sc.cost_budget > 0) {
                    printf("%32s cost spent %.4g on %.1f removals (mean over seeds)\n", "",
                           spent / (double)seeds, made / (double)seeds);
                }
                if (sc.reinsert) {
                    printf("%32s reinsertion gave back %.1f of %.1f removals; %s stays %.4f\n", "",
                           back / (double)seeds, made / (double)seeds, cp_metric_name(sc.objective),
                           res[0]->after_reinsertion[sc.objective]);
                }
            }
            if (null_samples > 0 && !a.quiet) {
                int first = -1;
                for (int mk = 0; mk < CP_METRIC_COUNT && first < 0; mk++) {
                    if ((sc.metrics >> mk) & 1u) {
                        first = mk;
                    }
                }
                if ((sc.metrics >> CP_METRIC_FLOW) & 1u) {
                    first = CP_METRIC_FLOW;
                }
                double lo = INFINITY, hi = -INFINITY, sum = 0;
                long runs = null_samples * seeds;
                for (long q = 0; q < runs; q++) {
                    double x = null_res[q]->curve[first][sc.budget];
                    lo = x < lo ? x : lo;
                    hi = x > hi ? x : hi;
                    sum += x;
                }
                printf("%32s null (rewired x %ld): %s@%d mean %.4f, range [%.4f, %.4f]\n", "",
                       null_samples, cp_metric_name((cp_metric)first), sc.budget,
                       sum / (double)runs, lo, hi);
            }
            for (long s = 0; s < seeds; s++) {
                cp_scenario_result_free(&res[s]);
            }
            for (long q = 0; q < null_samples * seeds; q++) {
                cp_scenario_result_free(&null_res[q]);
            }
        }
    }
    CP_TRY(cli_stage_time(r, "simulate", cli_now() - t_sim, &err));
    CP_TRY(cli_commit(&r, &a, t0, &err));
cleanup:
    cp_results_abort(&r);
    if (res != NULL) {
        for (long s = 0; s < seeds; s++) {
            cp_scenario_result_free(&res[s]);
        }
    }
    cp__free(res);
    if (null_res != NULL) {
        for (long q = 0; q < null_samples * seeds; q++) {
            cp_scenario_result_free(&null_res[q]);
        }
    }
    cp__free(null_res);
    if (nulls != NULL) {
        for (long q = 0; q < null_samples; q++) {
            cp_graph_free(&nulls[q]);
        }
    }
    cp__free(nulls);
    cp__free(strategies);
    cp__free(modes);
    cp__free(metrics);
    cp_nodeset_free(&S);
    cp_nodeset_free(&T);
    cp_nodeset_free(&C);
    cp_nodeset_free(&P);
    cp_nodeset_free(&SUB);
    cp__free(ORD);
    cp__free(pers);
    cp__free(COST);
    cp_graph_free(&g);
    cp__backend_close(&be);
    return status < 0 ? cli_fail(&a, status, &err) : 0;
}
