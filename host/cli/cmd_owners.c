/* chokepoint owners GRAPH.h5 [--of SET] [--threshold T] [--depth D] [--tolerance E]: integrated
 * ownership through chains (Vitali, Glattfelder and Battiston 2011) and the ultimate owners above
 * a threshold. */
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
    {"of", true, "SET: the entities whose owners are wanted (default all)"},
    {"threshold", true,
     "T: ultimate owners hold at least T of an entity through all chains (fraction; default "
     "0.25)"},
    {"ultimate", true,
     "top|all: top (default): only owners nobody owns, and persons; all: every owner above T"},
    {"depth", true, "D: sum chains of at most D links (default 0: no bound)"},
    {"tolerance", true, "E: stop when a chain length adds at most E (default 1e-12)"},
    {"max-terms", true, "N: the most chain lengths summed without a depth (default 10000)"},
    {"layer", true, "NAME: the ownership layer (default ownership)"},
    {"top", true, "K: print at most K entities (default 20)"},
    {NULL, false, NULL},
};

static const char *state_name(uint8_t s) {
    switch (s) {
    case CP_INTEGRATED_CONVERGED:
        return "converged";
    case CP_INTEGRATED_DEPTH:
        return "depth";
    case CP_INTEGRATED_NOT_CONVERGED:
        return "not converged";
    default:
        return "diverges";
    }
}

int cmd_owners(int argc, char **argv) {
    cli_args a;
    cp_error err;
    cp_error_clear(&err);
    cp_graph *g = NULL;
    cp_results *r = NULL;
    cp_integrated_result *ir = NULL;
    cp_ultimate_result *ur = NULL;
    int32_t *T = NULL;
    int64_t nt = 0;
    cp_status warning = CP_OK;
    char warning_msg[CP_ERROR_MSG_SIZE] = "";
    cp_backend_ops be;
    cp__backend_cpu(&be);
    cp_status status = cli_parse(&a, "owners", argc, argv, 2, specs,
                                 "GRAPH.h5 [--of SET] [--threshold T] [--ultimate top|all] "
                                 "[--depth D] [--tolerance E] [--layer NAME] [-o OWNERS.h5]",
                                 &err);
    if (status != CP_OK) {
        return cli_fail(&a, status, &err);
    }
    if (a.n_pos != 1) {
        cp_error_set(&err, CP_E_INVALID,
                     "expected: chokepoint owners GRAPH.h5 [--of SET] [-o OWNERS.h5]");
        return cli_fail(&a, CP_E_INVALID, &err);
    }
    double threshold = 0.25, tolerance = 1e-12;
    long depth = 0, max_terms = 10000, top = 20;
    CP_TRY(cli_get_double(&a, "threshold", 0.25, 0.0, 1e6, &threshold, &err));
    CP_TRY(cli_get_double(&a, "tolerance", 1e-12, 0.0, 1e300, &tolerance, &err));
    CP_TRY(cli_get_int(&a, "depth", 0, 0, 1000000L, &depth, &err));
    CP_TRY(cli_get_int(&a, "max-terms", 10000, 1, 1000000000L, &max_terms, &err));
    CP_TRY(cli_get_int(&a, "top", 20, 0, 100000000L, &top, &err));
    const char *mode_name = cli_get(&a, "ultimate", "top");
    int mode = CP_ULTIMATE_TOP;
    if (strcmp(mode_name, "all") == 0) {
        mode = CP_ULTIMATE_ALL;
    } else if (strcmp(mode_name, "top") != 0) {
        status = cp_error_set(&err, CP_E_INVALID, "--ultimate %s: expected top or all", mode_name);
        goto cleanup;
    }
    double t0 = cli_now();
    CP_TRY(cli_load_graph(&g, a.pos[0], &err));
    int layer = -1;
    CP_TRY(cli_share_layer(&a, g, a.pos[0], &layer, &err));
    const char *lname = g->layers[layer].name;
    const char *of = cli_get(&a, "of", NULL);
    if (of != NULL) {
        CP_TRY(cli_nodeset(&a, g, "of", NULL, &T, &nt, &err));
    }
    cp_integrated_params p;
    CP_TRY(cp_integrated_params_init(&p));
    p.max_depth = (int32_t)depth;
    p.tolerance = tolerance;
    p.max_terms = (int32_t)max_terms;
    double t1 = cli_now();
    status = cp_ownership_integrated(&ir, g, layer, of != NULL ? T : NULL, nt, &p, &err);
    if (status == CP_E_INVALID) {
        /* Arguments were checked above, so this is a share in the file that is not a share. */
        status = CP_E_FORMAT;
        err.status = status;
        cli_blame(&err, a.pos[0]);
    }
    if (status < 0) {
        goto cleanup;
    }
    if (status > 0) {
        warning = status;
        snprintf(warning_msg, sizeof warning_msg, "%s", err.msg);
        char wlabel[128] = "";
        if (ir->n_diverging > 0 && ir->diverging_node >= 0) {
            cp_graph_node_label(g, ir->diverging_node, wlabel, sizeof wlabel);
        }
        fprintf(stderr, "chokepoint owners: warning: %s%s%s\n", err.msg,
                wlabel[0] != '\0' ? "; that node is " : "", wlabel);
        status = CP_OK;
    }
    CP_TRY(cp_ownership_ultimate(&ur, ir, g, layer, threshold, mode, &err));
    double t_integrated = cli_now() - t1;

    if (!a.quiet) {
        char bound[96];
        if (depth > 0) {
            snprintf(bound, sizeof bound, "chains of at most %ld links", depth);
        } else {
            snprintf(bound, sizeof bound, "all chains, tolerance %g", tolerance);
        }
        printf("integrated ownership on layer '%s' (%s): %d entities, %" PRId64 " owner entries\n",
               lname, bound, ir->n_targets, ir->offsets[ir->n_targets]);
        if (ir->n_diverging > 0 || ir->n_not_converged > 0) {
            printf("diverging %d (owned through a cycle of 100%% or more), not converged %d\n",
                   ir->n_diverging, ir->n_not_converged);
        }
        int64_t with = 0;
        for (int32_t i = 0; i < ur->n_targets; i++) {
            with += ur->offsets[i + 1] > ur->offsets[i];
        }
        printf("ultimate owners (%s, >= %g%%): %" PRId64 " of %d entities have one\n",
               mode == CP_ULTIMATE_TOP ? "top of chain or person" : "any owner", 100.0 * threshold,
               with, ur->n_targets);
        printf("  %-20s %8s  %-13s  %s\n", "entity", "owners", "state", "ultimate owners");
        long shown = 0;
        for (int32_t i = 0; i < ir->n_targets && shown < top; i++) {
            if (of == NULL && ur->offsets[i + 1] == ur->offsets[i]) {
                continue; /* over every node, list those that have ultimate owners */
            }
            char label[128], owner[128];
            cp_graph_node_label(g, ir->targets[i], label, sizeof label);
            printf("  %-20s %8" PRId64 "  %-13s ", label, ir->offsets[i + 1] - ir->offsets[i],
                   state_name(ir->state[i]));
            if (ur->offsets[i + 1] == ur->offsets[i]) {
                printf(" -");
            }
            for (int64_t q = ur->offsets[i]; q < ur->offsets[i + 1] && q - ur->offsets[i] < 5;
                 q++) {
                printf(" %s %.4f%%", cp_graph_node_label(g, ur->owners[q], owner, sizeof owner),
                       100.0 * ur->share[q]);
            }
            if (ur->offsets[i + 1] - ur->offsets[i] > 5) {
                printf(" ...");
            }
            printf("\n");
            shown++;
        }
    }
    if (a.output != NULL) {
        const int64_t k = ir->n_targets;
        const int64_t nnz = ir->offsets[k];
        const int64_t unz = ur->offsets[k];
        int64_t dk[1] = {k}, dk1[1] = {k + 1}, dnz[1] = {nnz}, dunz[1] = {unz};
        const char *gi = "/ownership/integrated";
        const char *gu = "/ownership/ultimate";
        CP_TRY(cp_results_create(&r, a.output, a.pos[0], &err));
        CP_TRY(cli_write_provenance(r, &a, a.pos[0], g, &be, &err));
        CP_TRY(cli_stage_time(r, "integrated", t_integrated, &err));
        CP_TRY(cp_results_write_i32(r, "/ownership/integrated/targets", 1, dk, ir->targets,
                                    "the entities of interest (node indices into /nodes/id)",
                                    &err));
        CP_TRY(cp_results_write_i64(r, "/ownership/integrated/offsets", 1, dk1, ir->offsets,
                                    "CSR offsets into owners and share, one row per target", &err));
        CP_TRY(cp_results_write_i32(r, "/ownership/integrated/owners", 1, dnz, ir->owners,
                                    "owners with a positive integrated share (node indices, "
                                    "ascending per target; the target itself through cycles)",
                                    &err));
        CP_TRY(cp_results_write_f64(r, "/ownership/integrated/share", 1, dnz, ir->share,
                                    "integrated share U[owner][target] through every chain, "
                                    "U = (I - W)^-1 W (fraction)",
                                    &err));
        CP_TRY(cp_results_write_i32(r, "/ownership/integrated/terms", 1, dk, ir->terms,
                                    "chain lengths summed per target", &err));
        CP_TRY(cp_results_write_u8(r, "/ownership/integrated/state", 1, dk, ir->state,
                                   "0 converged, 1 stopped at --depth, 2 not converged within "
                                   "--max-terms, 3 diverges (a cycle of 100% or more owns it)",
                                   &err));
        CP_TRY(cp_results_write_i64(r, "/ownership/ultimate/offsets", 1, dk1, ur->offsets,
                                    "CSR offsets into owners and share, one row per target of "
                                    "/ownership/integrated/targets",
                                    &err));
        CP_TRY(cp_results_write_i32(r, "/ownership/ultimate/owners", 1, dunz, ur->owners,
                                    "ultimate owners (node indices, ascending per target)", &err));
        CP_TRY(cp_results_write_f64(r, "/ownership/ultimate/share", 1, dunz, ur->share,
                                    "their integrated shares (fraction)", &err));
        CP_TRY(cp_results_attr_str(r, gi, "layer", lname, &err));
        CP_TRY(cp_results_attr_str(r, gi, "of", of != NULL ? of : "all", &err));
        CP_TRY(cp_results_attr_i64(r, gi, "depth", depth, &err));
        CP_TRY(cp_results_attr_f64(r, gi, "tolerance", tolerance, &err));
        CP_TRY(cp_results_attr_i64(r, gi, "max_terms", max_terms, &err));
        CP_TRY(cp_results_attr_i64(r, gi, "n_diverging", ir->n_diverging, &err));
        CP_TRY(cp_results_attr_i64(r, gi, "n_not_converged", ir->n_not_converged, &err));
        CP_TRY(cp_results_attr_str(r, gi, "status", cp_status_name(warning), &err));
        if (warning != CP_OK) {
            CP_TRY(cp_results_attr_str(r, gi, "warning", warning_msg, &err));
        }
        CP_TRY(cp_results_attr_str(r, gi, "reference",
                                   "Vitali, Glattfelder and Battiston 2011, The network of global "
                                   "corporate control, PLoS ONE 6(10): e25995",
                                   &err));
        CP_TRY(cp_results_attr_f64(r, gu, "threshold", threshold, &err));
        CP_TRY(cp_results_attr_str(r, gu, "mode", mode_name, &err));
        CP_TRY(cli_commit(&r, &a, t0, &err));
    }
cleanup:
    cp_results_abort(&r);
    cp_ultimate_result_free(&ur);
    cp_integrated_result_free(&ir);
    cp_nodeset_free(&T);
    cp_graph_free(&g);
    return status < 0 ? cli_fail(&a, status, &err) : 0;
}
