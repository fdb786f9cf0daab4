/* chokepoint block GRAPH.h5 --designated SET --regime ofac|eu|uk: the ownership-rule closure. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "chokepoint/nodeset.h"
#include "chokepoint/ownership.h"
#include "cli.h"
#include "graph_impl.h"
#include "view_opts.h"

static const cli_opt_spec specs[] = {
    {"designated", true, "SET: the designated owners, e.g. list:sdn.txt or group:origin"},
    {"regime", true,
     "ofac (blocked owners hold >= 50% in aggregate; the default), eu or uk (> 50%, or control "
     "through the layer named control)"},
    {"layer", true, "NAME: the ownership layer (default ownership)"},
    {"top", true, "K: print at most K newly blocked entities (default 20)"},
    {NULL, false, NULL},
};

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
    cp_backend_ops be;
    cp__backend_cpu(&be);
    cp_status status =
        cli_parse(&a, "block", argc, argv, 2, specs,
                  "GRAPH.h5 --designated SET [--regime ofac|eu|uk] [-o BLOCKED.h5]", &err);
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
        cp_error_set(&err, CP_E_INVALID, "--regime %s: expected ofac, eu or uk", regime);
        return cli_fail(&a, CP_E_INVALID, &err);
    }
    long top = 20;
    CP_TRY(cli_get_int(&a, "top", 20, 0, 100000000L, &top, &err));
    double t0 = cli_now();
    CP_TRY(cli_load_graph(&g, a.pos[0], &err));
    const char *lname = cli_get(&a, "layer", "ownership");
    int layer = cp__graph_find_layer(g, lname);
    if (layer < 0) {
        status =
            cp_error_set(&err, CP_E_INVALID, "%s has no layer '%s' (use --layer)", a.pos[0], lname);
        goto cleanup;
    }
    if (g->layers[layer].meaning != CP_MEANING_SHARE) {
        status = cp_error_set(&err, CP_E_INVALID,
                              "layer '%s' holds %s weights, not ownership shares (meaning share)",
                              lname, cp_weight_meaning_name(g->layers[layer].meaning));
        goto cleanup;
    }
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
    int64_t near = 0;
    for (int32_t i = 0; i < g->n; i++) {
        near += br->blocked[i] == 0 && br->blocked_ppm[i] >= 250000;
    }
    if (!a.quiet) {
        printf("regime %s (%s 50%% in aggregate, through blocked entities only%s) on layer '%s'\n",
               regime, rp.strict ? "more than" : "at least",
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
        CP_TRY(cli_commit(&r, &a, t0, &err));
    }
cleanup:
    cp_results_abort(&r);
    cp_block_result_free(&br);
    cp__free(designated);
    cp_nodeset_free(&D);
    cp_graph_free(&g);
    return status < 0 ? cli_fail(&a, status, &err) : 0;
}
