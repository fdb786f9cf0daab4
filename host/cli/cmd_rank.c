/* chokepoint rank GRAPH.h5 --measure LIST [-o RANKS.h5]: centrality and components. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "chokepoint/betweenness.h"
#include "chokepoint/centrality.h"
#include "chokepoint/measures.h"
#include "chokepoint/nodeset.h"
#include "chokepoint/spectral.h"
#include "cli.h"
#include "graph_impl.h"
#include "view_opts.h"

static const cli_opt_spec specs[] = {
    {"measure", true,
     "LIST: any of degree, in-degree, out-degree, strength, in-strength, out-strength, pagerank, "
     "katz, eigenvector, hits-hub, hits-authority, betweenness, approx-betweenness, closeness, "
     "harmonic, st-betweenness, flow, group-betweenness, wcc, scc (default "
     "degree,pagerank,betweenness)"},
    {"sources", true, "SET: sources S for st-betweenness and flow (e.g. group:origin)"},
    {"targets", true, "SET: targets T (e.g. group:bank)"},
    {"group", true, "SET: the node set of group-betweenness"},
    {"top", true, "K: print the top K nodes per measure (default 10)"},
    CLI_VIEW_SPECS,
    CLI_MEASURE_SPECS,
    {NULL, false, NULL},
};

static const double *sort_scores;

static int cmp_desc(const void *a, const void *b) {
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    if (sort_scores[x] != sort_scores[y]) {
        return sort_scores[x] < sort_scores[y] ? 1 : -1;
    }
    return (x > y) - (x < y);
}

/* The first group a node belongs to, for the top list ("" when none). */
static const char *group_of(const cp_graph *g, int32_t v) {
    for (int gi = 0; gi < g->n_groups; gi++) {
        const cp_group *gr = &g->groups[gi];
        int64_t lo = 0, hi = gr->size;
        while (lo < hi) {
            int64_t mid = lo + (hi - lo) / 2;
            if (gr->members[mid] < v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        if (lo < gr->size && gr->members[lo] == v) {
            return gr->name;
        }
    }
    return "";
}

static void print_top(const cp_graph *g, const char *measure, const double *score, long k,
                      int32_t *order, const uint8_t *exclude) {
    int32_t c = 0;
    for (int32_t i = 0; i < g->n; i++) {
        if (exclude == NULL || !exclude[i]) {
            order[c++] = i;
        }
    }
    sort_scores = score;
    qsort(order, (size_t)c, sizeof *order, cmp_desc);
    printf("top %ld by %s%s:\n", k < c ? k : (long)c, measure,
           exclude != NULL ? " (sources and targets excluded)" : "");
    for (long i = 0; i < k && i < c; i++) {
        char label[128];
        cp_graph_node_label(g, order[i], label, sizeof label);
        /* The name when the graph has one (SDN, FollowTheMoney), else the first group. */
        const char *what = g->names != NULL && g->names[order[i]] != NULL ? g->names[order[i]]
                                                                          : group_of(g, order[i]);
        printf("  %3ld  %-24s %-40.40s %.6g\n", i + 1, label, what, score[order[i]]);
    }
}

int cmd_rank(int argc, char **argv) {
    cli_args a;
    cp_error err;
    cp_error_clear(&err);
    cp_graph *g = NULL;
    cp_view *v = NULL;
    cp_results *r = NULL;
    double *score = NULL, *pers = NULL;
    int32_t *order = NULL, *labels = NULL, *S = NULL, *T = NULL, *G = NULL;
    uint8_t *st_mask = NULL;
    int64_t ns = 0, nt = 0, ngrp = 0;
    char *list = NULL;
    cp_backend_ops be;
    memset(&be, 0, sizeof be);
    cp_status status = cli_parse(&a, "rank", argc, argv, 2, specs,
                                 "GRAPH.h5 [-o RANKS.h5] --measure LIST [--sources SET --targets "
                                 "SET]",
                                 &err);
    if (status != CP_OK) {
        return cli_fail(&a, status, &err);
    }
    if (a.n_pos != 1) {
        cp_error_set(&err, CP_E_INVALID, "expected: chokepoint rank GRAPH.h5 [options]");
        return cli_fail(&a, CP_E_INVALID, &err);
    }
    long top = 10;
    CP_TRY(cli_get_int(&a, "top", 10, 0, 1000000, &top, &err));
    double t0 = cli_now();
    CP_TRY(cli_open_backend(&a, &be, &err));
    CP_TRY(cli_load_graph(&g, a.pos[0], &err));
    double t_load = cli_now() - t0;
    cp_view_spec spec;
    CP_TRY(cli_view_spec(&a, g, &spec, &err));
    CP_TRY(cp_view_build(&v, g, &spec, &err));
    cp_measure_params mp;
    CP_TRY(cli_measure_params(&a, g, &mp, &pers, &err));
    CP_TRY(cli_nodeset(&a, g, "sources", NULL, &S, &ns, &err));
    CP_TRY(cli_nodeset(&a, g, "targets", NULL, &T, &nt, &err));
    CP_TRY(cli_nodeset(&a, g, "group", NULL, &G, &ngrp, &err));
    mp.sources = S;
    mp.n_sources = ns;
    mp.targets = T;
    mp.n_targets = nt;
    score = cp__malloc_array((size_t)g->n + 1, sizeof *score);
    order = cp__malloc_array((size_t)g->n + 1, sizeof *order);
    labels = cp__malloc_array((size_t)g->n + 1, sizeof *labels);
    st_mask = cp__calloc((size_t)g->n + 1, 1);
    list = cp__strdup(cli_get(&a, "measure", "degree,pagerank,betweenness"));
    if (score == NULL || order == NULL || labels == NULL || st_mask == NULL || list == NULL) {
        status = cp_error_set(&err, CP_E_NOMEM, "out of memory");
        goto cleanup;
    }
    for (int64_t i = 0; i < ns; i++) {
        st_mask[S[i]] = 1;
    }
    for (int64_t i = 0; i < nt; i++) {
        st_mask[T[i]] = 1;
    }
    char *items[32];
    int n_items = cli_split(list, items, 32);
    CP_TRY(cli_unique(items, n_items, "--measure", &err));
    /* Check every name and its needs before any work. */
    for (int i = 0; i < n_items; i++) {
        const char *m = items[i];
        bool needs_st = false;
        if (strcmp(m, "wcc") == 0 || strcmp(m, "scc") == 0) {
            continue;
        }
        if (strcmp(m, "group-betweenness") == 0) {
            if (ngrp == 0) {
                status = cp_error_set(&err, CP_E_INVALID,
                                      "--measure group-betweenness needs --group SET");
                goto cleanup;
            }
            continue;
        }
        if (!cp_measure_known(m, &needs_st)) {
            status = cp_error_set(&err, CP_E_INVALID,
                                  "--measure %s: unknown measure (expected %s, group-betweenness, "
                                  "wcc or scc)",
                                  m, cp_measure_names());
            goto cleanup;
        }
        if (needs_st && (ns == 0 || nt == 0)) {
            status = cp_error_set(&err, CP_E_INVALID,
                                  "--measure %s needs --sources and --targets (e.g. --sources "
                                  "group:origin --targets group:bank)",
                                  m);
            goto cleanup;
        }
        if (strcmp(m, "flow") == 0 && cli_sets_overlap(S, ns, T, nt) >= 0) {
            status = cp_error_set(&err, CP_E_INVALID,
                                  "--measure flow: a node is both a source and a target, so the "
                                  "S-T flow is unbounded; make the sets disjoint");
            goto cleanup;
        }
    }
    if (a.output != NULL) {
        CP_TRY(cp_results_create(&r, a.output, a.pos[0], &err));
        CP_TRY(cli_write_provenance(r, &a, a.pos[0], g, &be, &err));
        CP_TRY(cli_stage_time(r, "load", t_load, &err));
    }
    for (int i = 0; i < n_items; i++) {
        const char *m = items[i];
        double ts = cli_now();
        char path[256];
        if (strcmp(m, "wcc") == 0 || strcmp(m, "scc") == 0) {
            int32_t nc = 0, largest = 0;
            if (m[0] == 'w') {
                CP_TRY(cp_wcc(labels, &nc, &largest, v, NULL, &err));
            } else {
                CP_TRY(cp_scc(labels, &nc, &largest, v, NULL, &err));
            }
            if (!a.quiet) {
                printf("%s: %d components, largest %d (%.1f%% of nodes)\n",
                       m[0] == 'w' ? "weakly connected components"
                                   : "strongly connected components",
                       nc, largest, g->n > 0 ? 100.0 * largest / g->n : 0.0);
            }
            if (r != NULL) {
                int64_t dims[1] = {g->n};
                snprintf(path, sizeof path, "/components/%s", m);
                CP_TRY(cp_results_write_i32(r, path, 1, dims, labels,
                                            "component of each node (the smallest node index in "
                                            "it)",
                                            &err));
                CP_TRY(cp_results_attr_i64(r, path, "components", nc, &err));
                CP_TRY(cp_results_attr_i64(r, path, "largest", largest, &err));
            }
            continue;
        }
        if (strcmp(m, "group-betweenness") == 0) {
            cp_betweenness_options o;
            cp_betweenness_options_init(&o);
            o.length = mp.length;
            o.normalized = mp.normalized;
            o.endpoints = mp.endpoints;
            double value = 0;
            CP_TRY(cp_group_betweenness(&value, v, NULL, G, ngrp, &o, &err));
            if (!a.quiet) {
                printf("group betweenness of %s (%" PRId64 " nodes): %.10g\n",
                       cli_get(&a, "group", ""), ngrp, value);
            }
            if (r != NULL) {
                int64_t dims[1] = {1};
                CP_TRY(cp_results_write_f64(r, "/centrality/group-betweenness", 1, dims, &value,
                                            "group betweenness of the node set in attribute "
                                            "`group` (Everett and Borgatti 1999)",
                                            &err));
                CP_TRY(cp_results_attr_str(r, "/centrality/group-betweenness", "group",
                                           cli_get(&a, "group", ""), &err));
                CP_TRY(cli_measure_attrs(r, "/centrality/group-betweenness", &a, &mp, &err));
            }
            continue;
        }
        cp_measure_info info;
        bool needs_st = false;
        cp_measure_known(m, &needs_st);
        status = cp_measure_compute(m, score, v, NULL, &mp, &info, &err);
        if (status < 0) {
            goto cleanup;
        }
        if (status > 0 && !a.quiet) {
            fprintf(stderr, "chokepoint rank: warning: %s: %s\n", m,
                    err.msg[0] ? err.msg : cp_status_message(status));
        }
        cp_status warning = status;
        status = CP_OK;
        double secs = cli_now() - ts;
        if (!a.quiet) {
            print_top(g, m, score, top, order, needs_st ? st_mask : NULL);
            if (info.iterative) {
                printf("  %" PRId64 " iterations, final L1 change %.3g%s\n", info.iter.iterations,
                       info.iter.final_change, info.iter.converged ? "" : " (NOT converged)");
            }
            if (strcmp(m, "flow") == 0) {
                printf("  maximum S-T flow: %.6g\n", info.max_flow);
            } else if (strcmp(m, "st-betweenness") == 0) {
                printf("  connected (s, t) pairs: %.0f\n", info.connected_pairs);
            } else if (strcmp(m, "approx-betweenness") == 0) {
                printf("  %" PRId64 " sampled pairs (epsilon %g, delta %g)\n", info.samples,
                       mp.epsilon, mp.delta);
            }
        }
        if (r != NULL) {
            int64_t dims[1] = {g->n};
            snprintf(path, sizeof path, "/centrality/%s", m);
            char desc[256];
            snprintf(desc, sizeof desc, "%s of every node (see attributes for parameters)", m);
            CP_TRY(cp_results_write_f64(r, path, 1, dims, score, desc, &err));
            CP_TRY(cp_results_attr_str(r, path, "layers", cli_get(&a, "layers", "all"), &err));
            CP_TRY(cp_results_attr_str(r, path, "direction", cli_get(&a, "direction", "stored"),
                                       &err));
            CP_TRY(cp_results_attr_str(r, path, "multi", cli_get(&a, "multi", "keep"), &err));
            CP_TRY(cp_results_attr_f64(r, path, "seconds", secs, &err));
            CP_TRY(cli_measure_attrs(r, path, &a, &mp, &err));
            CP_TRY(cp_results_attr_str(r, path, "status", cp_status_name(warning), &err));
            if (info.iterative) {
                CP_TRY(cp_results_attr_i64(r, path, "iterations", info.iter.iterations, &err));
                CP_TRY(cp_results_attr_f64(r, path, "final_change", info.iter.final_change, &err));
                CP_TRY(cp_results_attr_i64(r, path, "converged", info.iter.converged, &err));
            }
            if (needs_st) {
                CP_TRY(cp_results_attr_str(r, path, "sources", cli_get(&a, "sources", ""), &err));
                CP_TRY(cp_results_attr_str(r, path, "targets", cli_get(&a, "targets", ""), &err));
                CP_TRY(cp_results_attr_f64(r, path, "connected_pairs", info.connected_pairs, &err));
                CP_TRY(cp_results_attr_f64(r, path, "max_flow", info.max_flow, &err));
            }
            if (strstr(m, "betweenness") != NULL) {
                CP_TRY(cp_results_attr_i64(r, path, "samples_used", info.samples, &err));
            }
        }
    }
    if (r != NULL) {
        CP_TRY(cli_commit(&r, &a, t0, &err));
    }
cleanup:
    cp_results_abort(&r);
    cp__free(score);
    cp__free(pers);
    cp__free(order);
    cp__free(labels);
    cp__free(st_mask);
    cp__free(list);
    cp_nodeset_free(&S);
    cp_nodeset_free(&T);
    cp_nodeset_free(&G);
    cp_view_free(&v);
    cp_graph_free(&g);
    cp__backend_close(&be);
    return status < 0 ? cli_fail(&a, status, &err) : 0;
}
