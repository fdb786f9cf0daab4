/* chokepoint rank GRAPH.h5 --measure LIST -o RANKS.h5 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "chokepoint/centrality.h"
#include "chokepoint/nodeset.h"
#include "cli.h"
#include "graph_impl.h"
#include "view_opts.h"

static const cli_opt_spec specs[] = {
    {"measure", true,
     "LIST: degree, in-degree, out-degree, strength, in-strength, out-strength, st-betweenness, "
     "flow, wcc (default degree,st-betweenness)"},
    {"sources", true, "SET: sources S for st-betweenness and flow (e.g. group:origin)"},
    {"targets", true, "SET: targets T (e.g. group:bank)"},
    {"normalized", false, "st-betweenness divided by the number of connected (s, t) pairs"},
    {"top", true, "K: print the top K nodes per measure (default 10)"},
    CLI_VIEW_SPECS,
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
        const char *grp = "";
        for (int gi = 0; gi < g->n_groups; gi++) {
            const cp_group *gr = &g->groups[gi];
            for (int64_t q = 0; q < gr->size; q++) {
                if (gr->members[q] == order[i]) {
                    grp = gr->name;
                    break;
                }
            }
            if (grp[0]) {
                break;
            }
        }
        printf("  %3ld  %-24s %-10s %.6g\n", i + 1, label, grp, score[order[i]]);
    }
}

int cmd_rank(int argc, char **argv) {
    cli_args a;
    cp_error err;
    cp_error_clear(&err);
    cp_graph *g = NULL;
    cp_view *v = NULL;
    cp_results *r = NULL;
    double *score = NULL;
    int32_t *order = NULL, *labels = NULL, *S = NULL, *T = NULL;
    uint8_t *st_mask = NULL;
    int64_t ns = 0, nt = 0;
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
    CP_TRY(cli_nodeset(&a, g, "sources", NULL, &S, &ns, &err));
    CP_TRY(cli_nodeset(&a, g, "targets", NULL, &T, &nt, &err));
    score = cp__malloc_array((size_t)g->n + 1, sizeof *score);
    order = cp__malloc_array((size_t)g->n + 1, sizeof *order);
    labels = cp__malloc_array((size_t)g->n + 1, sizeof *labels);
    st_mask = cp__calloc((size_t)g->n + 1, 1);
    list = cp__strdup(cli_get(&a, "measure", "degree,st-betweenness"));
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
    if (a.output != NULL) {
        CP_TRY(cp_results_create(&r, a.output, a.pos[0], &err));
        CP_TRY(cli_write_provenance(r, &a, a.pos[0], g, &be, &err));
        CP_TRY(cli_stage_time(r, "load", t_load, &err));
    }
    char *items[32];
    int n_items = cli_split(list, items, 32);
    CP_TRY(cli_unique(items, n_items, "--measure", &err));
    bool normalized = cli_flag(&a, "normalized");
    for (int i = 0; i < n_items; i++) {
        const char *m = items[i];
        double ts = cli_now();
        char path[256];
        snprintf(path, sizeof path, "/centrality/%s", m);
        double extra = 0;
        bool uses_st = false;
        if (strcmp(m, "degree") == 0 || strcmp(m, "in-degree") == 0 ||
            strcmp(m, "out-degree") == 0 || strcmp(m, "strength") == 0 ||
            strcmp(m, "in-strength") == 0 || strcmp(m, "out-strength") == 0) {
            bool weighted = strstr(m, "strength") != NULL;
            cp_degree_mode mode = strncmp(m, "in-", 3) == 0    ? CP_DEGREE_IN
                                  : strncmp(m, "out-", 4) == 0 ? CP_DEGREE_OUT
                                                               : CP_DEGREE_TOTAL;
            CP_TRY(cp_degree(score, v, NULL, mode, weighted, &err));
        } else if (strcmp(m, "st-betweenness") == 0 || strcmp(m, "flow") == 0) {
            if (ns == 0 || nt == 0) {
                status = cp_error_set(&err, CP_E_INVALID,
                                      "--measure %s needs --sources and --targets (e.g. "
                                      "--sources group:origin --targets group:bank)",
                                      m);
                goto cleanup;
            }
            uses_st = true;
            if (m[0] == 'f') {
                for (int64_t q = 0; q < nt; q++) {
                    for (int64_t p = 0; p < ns; p++) {
                        if (S[p] == T[q]) {
                            status = cp_error_set(&err, CP_E_INVALID,
                                                  "--measure flow: node %d is both a source and "
                                                  "a target, so the S-T flow is unbounded; make "
                                                  "the sets disjoint",
                                                  S[p]);
                            goto cleanup;
                        }
                    }
                }
            }
            if (m[0] == 's') {
                CP_TRY(cp_st_betweenness(score, v, NULL, S, ns, T, nt, normalized, &extra, &err));
            } else {
                CP_TRY(cp_st_maxflow(&extra, score, v, NULL, S, ns, T, nt, &err));
            }
        } else if (strcmp(m, "wcc") == 0) {
            int32_t nc = 0, largest = 0;
            CP_TRY(cp_wcc(labels, &nc, &largest, v, NULL, &err));
            printf("weakly connected components: %d, largest %d\n", nc, largest);
            if (r != NULL) {
                int64_t dims[1] = {g->n};
                CP_TRY(cp_results_write_i32(r, "/components/wcc", 1, dims, labels,
                                            "weakly connected component of each node (smallest "
                                            "node index in it)",
                                            &err));
                CP_TRY(cp_results_attr_i64(r, "/components/wcc", "components", nc, &err));
                CP_TRY(cp_results_attr_i64(r, "/components/wcc", "largest", largest, &err));
            }
            continue;
        } else {
            status = cp_error_set(&err, CP_E_INVALID,
                                  "--measure %s: unknown measure (expected degree, in-degree, "
                                  "out-degree, strength, in-strength, out-strength, "
                                  "st-betweenness, flow or wcc)",
                                  m);
            goto cleanup;
        }
        double secs = cli_now() - ts;
        if (!a.quiet) {
            print_top(g, m, score, top, order, uses_st ? st_mask : NULL);
            if (strcmp(m, "flow") == 0) {
                printf("  maximum S-T flow: %.6g\n", extra);
            } else if (uses_st) {
                printf("  connected (s, t) pairs: %.0f\n", extra);
            }
        }
        if (r != NULL) {
            int64_t dims[1] = {g->n};
            CP_TRY(cp_results_write_f64(r, path, 1, dims, score, m, &err));
            CP_TRY(cp_results_attr_str(r, path, "layers", cli_get(&a, "layers", "all"), &err));
            CP_TRY(cp_results_attr_str(r, path, "direction", cli_get(&a, "direction", "stored"),
                                       &err));
            CP_TRY(cp_results_attr_str(r, path, "multi", cli_get(&a, "multi", "keep"), &err));
            CP_TRY(cp_results_attr_f64(r, path, "seconds", secs, &err));
            if (uses_st) {
                CP_TRY(cp_results_attr_str(r, path, "sources", cli_get(&a, "sources", ""), &err));
                CP_TRY(cp_results_attr_str(r, path, "targets", cli_get(&a, "targets", ""), &err));
                CP_TRY(cp_results_attr_str(r, path, "length", "hops", &err));
                if (m[0] == 's') {
                    CP_TRY(cp_results_attr_i64(r, path, "normalized", normalized, &err));
                    CP_TRY(cp_results_attr_f64(r, path, "connected_pairs", extra, &err));
                } else {
                    CP_TRY(cp_results_attr_f64(r, path, "max_flow", extra, &err));
                }
            }
        }
    }
    if (r != NULL) {
        CP_TRY(cli_stage_time(r, "total", cli_now() - t0, &err));
        CP_TRY(cp_results_commit(&r, &err));
        if (!a.quiet) {
            printf("wrote %s\n", a.output);
        }
    }
cleanup:
    cp_results_abort(&r);
    cp__free(score);
    cp__free(order);
    cp__free(labels);
    cp__free(st_mask);
    cp__free(list);
    cp_nodeset_free(&S);
    cp_nodeset_free(&T);
    cp_view_free(&v);
    cp_graph_free(&g);
    cp__backend_close(&be);
    return status < 0 ? cli_fail(&a, status, &err) : 0;
}
