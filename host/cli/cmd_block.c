/* chokepoint block GRAPH.h5 --designated SET --regime ofac|eu|uk [--versus SET2] [--ranges]: the
 * ownership-rule closure, the difference between the closures of two designation sets, and the
 * closures at the lower and upper bounds of ranged shares. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "chokepoint/nodeset.h"
#include "chokepoint/ownership.h"
#include "cli.h"
#include "graph_h5.h"
#include "graph_impl.h"
#include "view_opts.h"

static const cli_opt_spec specs[] = {
    {"designated", true, "SET: the designated owners, e.g. list:sdn.txt or group:origin"},
    {"regime", true,
     "ofac (>= 50% in aggregate; the default), eu (>= 50% in aggregate, or control through the "
     "layer named control; EU Best Practices 2024), eu-2022 (> 50% or control), uk (> 50% held "
     "by one designated person, or control)"},
    {"layer", true, "NAME: the ownership layer (default ownership)"},
    {"top", true, "K: print at most K newly blocked entities (default 20)"},
    {"versus", true,
     "SET2: a second designation set (e.g. an announced round against the current list): the "
     "entities blocked under one set and not under the other"},
    {"ranges", false,
     "also the closures with every share at the lower and at the upper bound of its range "
     "(/edges/extra/share_lower and share_upper, written by import --format ftm or icij): "
     "certainly and possibly blocked"},
    {NULL, false, NULL},
};

/* The share bounds of the ownership layer's edges in ppm, from the graph file's extra columns
 * /edges/extra/share_lower and share_upper (in the layer's units, as its weights; fractions for
 * the FtM and ICIJ importers). A NaN bound is replaced by the edge's weight; edges of other layers
 * get 0 (cp_ownership_block_ranges ignores them). *lo and *hi are cp__malloc'd, m + 1 each.
 * CP_E_FORMAT naming the file when a column is absent or mis-shaped, a bound is not a share, or
 * an edge's lower bound is above its upper bound; CP_E_IO; CP_E_NOMEM. */
static cp_status read_bounds(int64_t **lo, int64_t **hi, const cp_graph *g, int layer,
                             const char *path, cp_error *err) {
    cp_status status = CP_OK;
    double *bound[2] = {NULL, NULL};
    const char *name[2] = {"share_lower", "share_upper"};
    *lo = *hi = NULL;
    for (int k = 0; k < 2; k++) {
        bool present = false;
        CP_TRY(cp_graph_read_h5_edge_extra(&bound[k], &present, path, name[k], g->m, err));
        if (!present) {
            status = cp_error_set(err, CP_E_FORMAT,
                                  "%s: no /edges/extra/%s: import with share ranges (ftm, icij) "
                                  "or omit --ranges",
                                  path, name[k]);
            goto cleanup;
        }
    }
    *lo = cp__calloc((size_t)g->m + 1, sizeof **lo);
    *hi = cp__calloc((size_t)g->m + 1, sizeof **hi);
    if (*lo == NULL || *hi == NULL) {
        status = cp_error_set(err, CP_E_NOMEM, "out of memory for the share bounds");
        goto cleanup;
    }
    const char *units = g->layers[layer].units;
    for (int64_t e = 0; e < g->m; e++) {
        if (g->layer[e] != layer) {
            continue;
        }
        int64_t ppm[2];
        for (int k = 0; k < 2; k++) {
            double b = isnan(bound[k][e]) ? g->weight[e] : bound[k][e];
            ppm[k] = cp_share_to_ppm(b, units);
            if (ppm[k] < 0) {
                status = cp_error_set(err, CP_E_FORMAT,
                                      "%s: /edges/extra/%s[%" PRId64 "] is %g; expected a share "
                                      ">= 0 (units '%s' of layer '%s'), at most 1e12 ppm",
                                      path, name[k], e, b, units != NULL ? units : "",
                                      g->layers[layer].name);
                goto cleanup;
            }
        }
        if (ppm[0] > ppm[1]) {
            char s[128], d[128];
            status = cp_error_set(err, CP_E_FORMAT,
                                  "%s: edge %" PRId64 " (%s -> %s): /edges/extra/share_lower "
                                  "(%g) is above /edges/extra/share_upper (%g); expected lower "
                                  "<= upper",
                                  path, e, cp_graph_node_label(g, g->src[e], s, sizeof s),
                                  cp_graph_node_label(g, g->dst[e], d, sizeof d), bound[0][e],
                                  bound[1][e]);
            goto cleanup;
        }
        (*lo)[e] = ppm[0];
        (*hi)[e] = ppm[1];
    }
cleanup:
    if (status != CP_OK) {
        cp__free(*lo);
        cp__free(*hi);
        *lo = *hi = NULL;
    }
    cp__free(bound[0]);
    cp__free(bound[1]);
    return status;
}

/* Entities possibly but not certainly blocked, ordered for printing: the largest exposure at the
 * upper bounds first, then the largest at the lower bounds, then by node index. */
typedef struct open_entity {
    int32_t node;
    int64_t hi_ppm, lo_ppm;
} open_entity;

static int cmp_open(const void *a, const void *b) {
    const open_entity *x = a, *y = b;
    if (x->hi_ppm != y->hi_ppm) {
        return x->hi_ppm > y->hi_ppm ? -1 : 1;
    }
    if (x->lo_ppm != y->lo_ppm) {
        return x->lo_ppm > y->lo_ppm ? -1 : 1;
    }
    return (x->node > y->node) - (x->node < y->node);
}

int cmd_block(int argc, char **argv) {
    cli_args a;
    cp_error err;
    cp_error_clear(&err);
    cp_graph *g = NULL;
    cp_results *r = NULL;
    cp_block_result *br = NULL;
    int32_t *D = NULL;
    int64_t nd = 0;
    uint8_t *designated = NULL;
    cp_block_result *bv = NULL; /* the closure of --versus */
    int32_t *V = NULL;
    int64_t nv = 0;
    uint8_t *designated_v = NULL;
    int32_t *only_d = NULL, *only_v = NULL; /* blocked under one set only (node indices) */
    int64_t n_only_d = 0, n_only_v = 0;
    cp_block_result *certain = NULL, *possible = NULL; /* --ranges */
    int64_t *lo_ppm = NULL, *hi_ppm = NULL;
    open_entity *open = NULL;
    int64_t n_open = 0;
    cp_backend_ops be;
    cp__backend_cpu(&be);
    cp_status status =
        cli_parse(&a, "block", argc, argv, 2, specs,
                  "GRAPH.h5 --designated SET [--regime ofac|eu|uk] [--versus SET2] [--ranges] "
                  "[-o BLOCKED.h5]",
                  &err);
    if (status != CP_OK) {
        return cli_fail(&a, status, &err);
    }
    if (a.n_pos != 1 || cli_get(&a, "designated", NULL) == NULL) {
        cp_error_set(&err, CP_E_INVALID,
                     "expected: chokepoint block GRAPH.h5 --designated SET [-o BLOCKED.h5]");
        return cli_fail(&a, CP_E_INVALID, &err);
    }
    const char *regime = cli_get(&a, "regime", "ofac");
    cp_regime reg = CP_REGIME_OFAC;
    if (cp_regime_parse(regime, &reg) != CP_OK) {
        cp_error_set(&err, CP_E_INVALID, "--regime %s: expected ofac, eu, eu-2022 or uk", regime);
        return cli_fail(&a, CP_E_INVALID, &err);
    }
    long top = 20;
    CP_TRY(cli_get_int(&a, "top", 20, 0, 100000000L, &top, &err));
    double t0 = cli_now();
    CP_TRY(cli_load_graph(&g, a.pos[0], &err));
    int layer = -1;
    CP_TRY(cli_share_layer(&a, g, a.pos[0], &layer, &err));
    const char *lname = g->layers[layer].name;
    CP_TRY(cli_nodeset(&a, g, "designated", NULL, &D, &nd, &err));
    designated = cp__calloc((size_t)g->n + 1, 1);
    if (designated == NULL) {
        status = cp_error_set(&err, CP_E_NOMEM, "out of memory");
        goto cleanup;
    }
    for (int64_t i = 0; i < nd; i++) {
        designated[D[i]] = 1;
    }
    cp_regime_params rp;
    CP_TRY(cp_regime_params_init(&rp, reg));
    status = cp_ownership_block_params(&br, g, layer, designated, &rp, &err);
    if (status == CP_E_INVALID) {
        /* Arguments were checked above, so this is a share in the file that is not a share. */
        status = CP_E_FORMAT;
        err.status = status;
        cli_blame(&err, a.pos[0]);
    }
    if (status < 0) {
        goto cleanup;
    }
    const char *versus = cli_get(&a, "versus", NULL);
    if (versus != NULL) {
        CP_TRY(cli_nodeset(&a, g, "versus", NULL, &V, &nv, &err));
        designated_v = cp__calloc((size_t)g->n + 1, 1);
        only_d = cp__malloc_array((size_t)g->n + 1, sizeof *only_d);
        only_v = cp__malloc_array((size_t)g->n + 1, sizeof *only_v);
        if (designated_v == NULL || only_d == NULL || only_v == NULL) {
            status = cp_error_set(&err, CP_E_NOMEM, "out of memory");
            goto cleanup;
        }
        for (int64_t i = 0; i < nv; i++) {
            designated_v[V[i]] = 1;
        }
        /* The shares were converted without error above, so only memory can fail here. */
        CP_TRY(cp_ownership_block_params(&bv, g, layer, designated_v, &rp, &err));
        for (int32_t i = 0; i < g->n; i++) {
            if (br->blocked[i] != 0 && bv->blocked[i] == 0) {
                only_d[n_only_d++] = i;
            } else if (br->blocked[i] == 0 && bv->blocked[i] != 0) {
                only_v[n_only_v++] = i;
            }
        }
    }
    const bool ranges = cli_flag(&a, "ranges");
    if (ranges) {
        CP_TRY(read_bounds(&lo_ppm, &hi_ppm, g, layer, a.pos[0], &err));
        /* Bounds and arguments were checked above, so only memory can fail here. */
        CP_TRY(cp_ownership_block_ranges(&certain, &possible, g, layer, lo_ppm, hi_ppm, designated,
                                         &rp, &err));
        open = cp__malloc_array((size_t)g->n + 1, sizeof *open);
        if (open == NULL) {
            status = cp_error_set(&err, CP_E_NOMEM, "out of memory");
            goto cleanup;
        }
        for (int32_t i = 0; i < g->n; i++) {
            if (possible->blocked[i] != 0 && certain->blocked[i] == 0) {
                open[n_open].node = i;
                open[n_open].hi_ppm = possible->blocked_ppm[i];
                open[n_open].lo_ppm = certain->blocked_ppm[i];
                n_open++;
            }
        }
        if (n_open > 1) {
            qsort(open, (size_t)n_open, sizeof *open, cmp_open);
        }
    }
    int64_t near = 0;
    for (int32_t i = 0; i < g->n; i++) {
        near += br->blocked[i] == 0 && br->blocked_ppm[i] >= 250000;
    }
    if (!a.quiet) {
        printf("regime %s (%s 50%% %s, through blocked entities only%s) on layer '%s'\n", regime,
               rp.strict ? "more than" : "at least",
               rp.per_person ? "held by one designated person" : "in aggregate",
               rp.control_layer != CP_CONTROL_NONE ? "; control blocks too" : "", lname);
        printf("designated %d, newly blocked %d, free with >= 25%% blocked ownership %" PRId64 "\n",
               br->n_designated, br->n_newly_blocked, near);
        long shown = 0;
        int32_t max_round = 0;
        for (int32_t i = 0; i < g->n; i++) {
            if (br->round[i] > max_round) {
                max_round = br->round[i];
            }
        }
        for (int32_t rd = 1; rd <= max_round && shown < top; rd++) {
            for (int32_t i = 0; i < g->n && shown < top; i++) {
                if (br->blocked[i] != 2 || br->round[i] != rd) {
                    continue;
                }
                char label[128], owner[128];
                cp_graph_node_label(g, i, label, sizeof label);
                printf("  round %d  %-20s blocked %.4f%%  tipped by", rd, label,
                       100.0 * br->exposure[i]);
                for (int64_t q = br->tipped_offsets[i];
                     q < br->tipped_offsets[i + 1] && q - br->tipped_offsets[i] < 5; q++) {
                    printf(" %s", cp_graph_node_label(g, br->tipped_by[q], owner, sizeof owner));
                }
                if (br->tipped_offsets[i + 1] - br->tipped_offsets[i] > 5) {
                    printf(" ...");
                }
                printf("\n");
                shown++;
            }
        }
        if (bv != NULL) {
            printf("versus %s: designated %d, newly blocked %d\n", versus, bv->n_designated,
                   bv->n_newly_blocked);
            printf("blocked under --designated only: %" PRId64 ", under --versus only: %" PRId64
                   "\n",
                   n_only_d, n_only_v);
            for (int side = 0; side < 2; side++) {
                const int32_t *list = side == 0 ? only_d : only_v;
                const int64_t count = side == 0 ? n_only_d : n_only_v;
                const cp_block_result *res = side == 0 ? br : bv;
                for (int64_t q = 0; q < count && q < top; q++) {
                    char label[128];
                    const int32_t i = list[q];
                    cp_graph_node_label(g, i, label, sizeof label);
                    printf("  only %-10s %-20s %s", side == 0 ? "designated" : "versus", label,
                           res->blocked[i] == 1 ? "designated" : "blocked");
                    if (res->blocked[i] == 2) {
                        printf(" in round %d", res->round[i]);
                    }
                    printf(" (exposure: designated %.4f%%, versus %.4f%%)\n",
                           100.0 * br->exposure[i], 100.0 * bv->exposure[i]);
                }
                if (count > top) {
                    printf("  ... %" PRId64 " more\n", count - top);
                }
            }
        }
        if (certain != NULL) {
            printf("share ranges (/edges/extra/share_lower..share_upper), besides the %d "
                   "designated: certainly blocked %d, possibly blocked %d, possibly but not "
                   "certainly %" PRId64 "\n",
                   certain->n_designated, certain->n_newly_blocked, possible->n_newly_blocked,
                   n_open);
            for (int64_t q = 0; q < n_open && q < top; q++) {
                char label[128];
                const int32_t i = open[q].node;
                cp_graph_node_label(g, i, label, sizeof label);
                printf("  possibly %-20s exposure %.4f%%..%.4f%%, blocked in round %d at the upper "
                       "bounds\n",
                       label, 100.0 * certain->exposure[i], 100.0 * possible->exposure[i],
                       possible->round[i]);
            }
            if (n_open > top) {
                printf("  ... %" PRId64 " more\n", n_open - top);
            }
        }
    }
    if (a.output != NULL) {
        int64_t dims[1] = {g->n};
        CP_TRY(cp_results_create(&r, a.output, a.pos[0], &err));
        CP_TRY(cli_write_provenance(r, &a, a.pos[0], g, &be, &err));
        CP_TRY(cp_results_write_u8(r, "/ownership/blocked", 1, dims, br->blocked,
                                   "0 free, 1 designated, 2 blocked by the 50 percent rule", &err));
        CP_TRY(cp_results_write_f64(r, "/ownership/exposure", 1, dims, br->exposure,
                                    "aggregate share held by blocked owners (fraction)", &err));
        CP_TRY(cp_results_write_i64(r, "/ownership/blocked_ppm", 1, dims, br->blocked_ppm,
                                    "aggregate share held by blocked owners (parts per million, "
                                    "exact)",
                                    &err));
        CP_TRY(cp_results_write_i32(r, "/ownership/round", 1, dims, br->round,
                                    "round of the fixed point in which the entity became blocked "
                                    "(0 designated, -1 free)",
                                    &err));
        int64_t odims[1] = {(int64_t)g->n + 1};
        CP_TRY(cp_results_write_i64(r, "/ownership/tipped_offsets", 1, odims, br->tipped_offsets,
                                    "CSR offsets into tipped_by, n + 1", &err));
        int64_t tdims[1] = {br->tipped_offsets[g->n]};
        CP_TRY(cp_results_write_i32(r, "/ownership/tipped_by", 1, tdims, br->tipped_by,
                                    "blocked owners whose stakes tipped each entity (node indices)",
                                    &err));
        CP_TRY(cp_results_attr_str(r, "/ownership", "regime", regime, &err));
        CP_TRY(cp_results_attr_i64(r, "/ownership", "strict", rp.strict, &err));
        CP_TRY(cp_results_attr_str(r, "/ownership", "layer", lname, &err));
        CP_TRY(cp_results_attr_str(r, "/ownership", "designated", cli_get(&a, "designated", ""),
                                   &err));
        CP_TRY(cp_results_attr_i64(r, "/ownership", "threshold_ppm", rp.threshold_ppm, &err));
        if (bv != NULL) {
            const char *gv = "/ownership/versus";
            int64_t dd[1] = {n_only_d}, dv[1] = {n_only_v};
            CP_TRY(cp_results_write_u8(r, "/ownership/versus/blocked", 1, dims, bv->blocked,
                                       "under --versus: 0 free, 1 designated, 2 blocked by the "
                                       "rule",
                                       &err));
            CP_TRY(cp_results_write_f64(r, "/ownership/versus/exposure", 1, dims, bv->exposure,
                                        "under --versus: aggregate share held by blocked owners "
                                        "(fraction)",
                                        &err));
            CP_TRY(cp_results_write_i32(r, "/ownership/versus/round", 1, dims, bv->round,
                                        "under --versus: round in which the entity became "
                                        "blocked (0 designated, -1 free)",
                                        &err));
            CP_TRY(cp_results_write_i32(r, "/ownership/versus/only_designated", 1, dd, only_d,
                                        "entities blocked (designated or by the rule) under "
                                        "--designated and free under --versus (node indices)",
                                        &err));
            CP_TRY(cp_results_write_i32(r, "/ownership/versus/only_versus", 1, dv, only_v,
                                        "entities blocked under --versus and free under "
                                        "--designated (node indices)",
                                        &err));
            CP_TRY(cp_results_attr_str(r, gv, "versus", versus, &err));
            CP_TRY(cp_results_attr_i64(r, gv, "n_designated", bv->n_designated, &err));
            CP_TRY(cp_results_attr_i64(r, gv, "n_newly_blocked", bv->n_newly_blocked, &err));
        }
        if (certain != NULL) {
            CP_TRY(cp_results_write_u8(r, "/ownership/certain/blocked", 1, dims, certain->blocked,
                                       "with every share at the lower bound of its range "
                                       "(/edges/extra/share_lower): 0 free, 1 designated, 2 "
                                       "blocked by the rule, whatever the shares in the ranges",
                                       &err));
            CP_TRY(cp_results_write_f64(r, "/ownership/certain/exposure", 1, dims,
                                        certain->exposure,
                                        "with every share at its lower bound: aggregate share "
                                        "held by blocked owners (fraction)",
                                        &err));
            CP_TRY(cp_results_write_u8(r, "/ownership/possible/blocked", 1, dims, possible->blocked,
                                       "with every share at the upper bound of its range "
                                       "(/edges/extra/share_upper): 0 free (for every choice of "
                                       "shares in the ranges), 1 designated, 2 blocked by the "
                                       "rule for some choice",
                                       &err));
            CP_TRY(cp_results_write_f64(r, "/ownership/possible/exposure", 1, dims,
                                        possible->exposure,
                                        "with every share at its upper bound: aggregate share "
                                        "held by blocked owners (fraction)",
                                        &err));
            CP_TRY(cp_results_attr_i64(r, "/ownership/certain", "n_newly_blocked",
                                       certain->n_newly_blocked, &err));
            CP_TRY(cp_results_attr_i64(r, "/ownership/possible", "n_newly_blocked",
                                       possible->n_newly_blocked, &err));
        }
        CP_TRY(cli_commit(&r, &a, t0, &err));
    }
cleanup:
    cp_results_abort(&r);
    cp_block_result_free(&br);
    cp__free(designated);
    cp_nodeset_free(&D);
    cp_block_result_free(&bv);
    cp__free(designated_v);
    cp__free(only_d);
    cp__free(only_v);
    cp_nodeset_free(&V);
    cp_block_result_free(&certain);
    cp_block_result_free(&possible);
    cp__free(lo_ppm);
    cp__free(hi_ppm);
    cp__free(open);
    cp_graph_free(&g);
    return status < 0 ? cli_fail(&a, status, &err) : 0;
}
