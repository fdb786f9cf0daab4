/* chokepoint info GRAPH.h5: sizes, layers, groups, degree summary, components, validation. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "chokepoint/centrality.h"
#include "chokepoint/view.h"
#include "cli.h"
#include "graph_impl.h"

static const cli_opt_spec specs[] = {
    {NULL, false, NULL},
};

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void degree_summary(const char *label, double *d, int32_t n) {
    if (n == 0) {
        printf("  %-11s (no nodes)\n", label);
        return;
    }
    double sum = 0;
    for (int32_t i = 0; i < n; i++) {
        sum += d[i];
    }
    qsort(d, (size_t)n, sizeof *d, cmp_double);
    printf("  %-11s min %g  median %g  mean %.3f  p99 %g  max %g\n", label, d[0], d[n / 2], sum / n,
           d[(int32_t)((n - 1) * 0.99)], d[n - 1]);
}

int cmd_info(int argc, char **argv) {
    cli_args a;
    cp_error err;
    cp_error_clear(&err);
    cp_graph *g = NULL;
    cp_view *v = NULL;
    double *deg = NULL;
    int32_t *labels = NULL;
    cp_status status = cli_parse(&a, "info", argc, argv, 2, specs, "GRAPH.h5", &err);
    if (status != CP_OK) {
        return cli_fail(&a, status, &err);
    }
    if (a.output != NULL) {
        cp_error_set(&err, CP_E_INVALID, "info prints its report and writes no file: drop -o");
        return cli_fail(&a, CP_E_INVALID, &err);
    }
    if (a.n_pos != 1) {
        cp_error_set(&err, CP_E_INVALID, "expected: chokepoint info GRAPH.h5");
        return cli_fail(&a, CP_E_INVALID, &err);
    }
    CP_TRY(cli_load_graph(&g, a.pos[0], &err));
    printf("%s\n", a.pos[0]);
    if (g->description != NULL) {
        printf("  %s\n", g->description);
    }
    printf("nodes %d, edges %" PRId64 ", ids %s\n", g->n, g->m,
           g->ids_are_int ? "int64" : "strings");
    printf("layers:\n");
    for (int l = 0; l < g->n_layers; l++) {
        int64_t count = 0, zero = 0;
        double total = 0;
        for (int64_t e = 0; e < g->m; e++) {
            if (g->layer[e] == l) {
                count++;
                total += g->weight[e];
                zero += g->weight[e] == 0;
            }
        }
        printf("  %-14s %10" PRId64 " edges  weight total %.6g %s  (%s, %s)%s\n", g->layers[l].name,
               count, total, g->layers[l].units, cp_weight_meaning_name(g->layers[l].meaning),
               g->layers[l].directed ? "directed" : "undirected",
               zero ? "  [has zero weights]" : "");
    }
    printf("groups:%s\n", g->n_groups == 0 ? " none" : "");
    for (int i = 0; i < g->n_groups; i++) {
        printf("  %-20s %" PRId64 "\n", g->groups[i].name, g->groups[i].size);
    }
    cp_view_spec spec = {0, CP_DIR_STORED, CP_MULTI_KEEP};
    CP_TRY(cp_view_build(&v, g, &spec, &err));
    deg = cp__malloc_array((size_t)g->n + 1, sizeof *deg);
    labels = cp__malloc_array((size_t)g->n + 1, sizeof *labels);
    if (deg == NULL || labels == NULL) {
        status = cp_error_set(&err, CP_E_NOMEM, "out of memory");
        goto cleanup;
    }
    printf("degrees (all layers, as stored):\n");
    CP_TRY(cp_degree(deg, v, NULL, CP_DEGREE_OUT, false, &err));
    degree_summary("out-degree", deg, g->n);
    CP_TRY(cp_degree(deg, v, NULL, CP_DEGREE_IN, false, &err));
    degree_summary("in-degree", deg, g->n);
    int32_t nc = 0, largest = 0;
    CP_TRY(cp_wcc(labels, &nc, &largest, v, NULL, &err));
    printf("weakly connected components %d, largest %d (%.1f%% of nodes)\n", nc, largest,
           g->n > 0 ? 100.0 * largest / g->n : 0.0);
    /* Validation findings: things that are legal but worth knowing. */
    int64_t loops = 0, isolated = 0, parallel = 0;
    for (int64_t e = 0; e < g->m; e++) {
        loops += g->src[e] == g->dst[e];
    }
    for (int32_t i = 0; i < g->n; i++) {
        isolated +=
            v->offsets[i + 1] == v->offsets[i] && v->rev_offsets[i + 1] == v->rev_offsets[i];
        for (int64_t k = v->offsets[i] + 1; k < v->offsets[i + 1]; k++) {
            parallel += v->indices[k] == v->indices[k - 1];
        }
    }
    printf("validation: ok (endpoints, layers, weights checked); self-loops %" PRId64
           ", parallel edges %" PRId64 ", isolated nodes %" PRId64 "\n",
           loops, parallel, isolated);
cleanup:
    cp__free(deg);
    cp__free(labels);
    cp_view_free(&v);
    cp_graph_free(&g);
    return status < 0 ? cli_fail(&a, status, &err) : 0;
}
