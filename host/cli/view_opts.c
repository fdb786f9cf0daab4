#include "view_opts.h"

#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "chokepoint/nodeset.h"
#include "graph_impl.h"

cp_status cli_view_spec(const cli_args *a, const cp_graph *g, cp_view_spec *spec, cp_error *err) {
    memset(spec, 0, sizeof *spec);
    cp_status st = cp_view_parse_layers(g, cli_get(a, "layers", "all"), &spec->layer_mask, err);
    if (st != CP_OK) {
        return st;
    }
    const char *dir = cli_get(a, "direction", "stored");
    if (strcmp(dir, "stored") == 0) {
        spec->direction = CP_DIR_STORED;
    } else if (strcmp(dir, "reversed") == 0) {
        spec->direction = CP_DIR_REVERSED;
    } else if (strcmp(dir, "symmetric") == 0) {
        spec->direction = CP_DIR_SYMMETRIC;
    } else {
        return cp_error_set(err, CP_E_INVALID,
                            "--direction %s: expected stored, reversed or symmetric", dir);
    }
    const char *multi = cli_get(a, "multi", "keep");
    if (strcmp(multi, "keep") == 0) {
        spec->multi = CP_MULTI_KEEP;
    } else if (strcmp(multi, "collapse") == 0) {
        spec->multi = CP_MULTI_COLLAPSE;
    } else {
        return cp_error_set(err, CP_E_INVALID, "--multi %s: expected keep or collapse", multi);
    }
    return CP_OK;
}

cp_status cli_nodeset(const cli_args *a, cp_graph *g, const char *name, const char *def,
                      int32_t **nodes, int64_t *count, cp_error *err) {
    *nodes = NULL;
    *count = 0;
    const char *spec = cli_get(a, name, def);
    if (spec == NULL) {
        return CP_OK;
    }
    char what[64];
    snprintf(what, sizeof what, "--%s", name);
    cp_status st = cp_nodeset_parse(nodes, count, g, spec, what, err);
    if (st == CP_OK && *count == 0) {
        cp_nodeset_free(nodes);
        return cp_error_set(err, CP_E_INVALID, "%s %s names no node of the graph", what, spec);
    }
    return st;
}

cp_status cli_measure_params(const cli_args *a, cp_graph *g, cp_measure_params *p, double **pers,
                             cp_error *err) {
    cp_status st = CP_OK;
    cp_measure_params_init(p);
    *pers = NULL;
    const char *len = cli_get(a, "length", "hops");
    if (cp_length_parse(len, &p->length) != CP_OK) {
        return cp_error_set(err, CP_E_INVALID,
                            "--length %s: expected hops, weight, inverse or neglog", len);
    }
    p->normalized = cli_flag(a, "normalized");
    p->endpoints = cli_flag(a, "endpoints");
    p->weighted = cli_flag(a, "weighted");
    p->per_component = cli_flag(a, "per-component");
    long samples = 0, max_iter = 1000;
    if ((st = cli_get_int(a, "samples", 0, 0, 2147483647L, &samples, err)) != CP_OK ||
        (st = cli_get_int(a, "max-iter", 1000, 1, 100000000L, &max_iter, err)) != CP_OK ||
        (st = cli_get_double(a, "epsilon", 0.01, 1e-9, 0.999999, &p->epsilon, err)) != CP_OK ||
        (st = cli_get_double(a, "delta", 0.1, 1e-12, 0.999999, &p->delta, err)) != CP_OK ||
        (st = cli_get_double(a, "damping", 0.85, 0, 0.999999, &p->damping, err)) != CP_OK ||
        (st = cli_get_double(a, "katz-alpha", 0.1, 0, 1e6, &p->katz_alpha, err)) != CP_OK ||
        (st = cli_get_double(a, "katz-beta", 1.0, -1e12, 1e12, &p->katz_beta, err)) != CP_OK ||
        (st = cli_get_double(a, "tol", 1e-10, 1e-300, 1, &p->tol, err)) != CP_OK) {
        return st;
    }
    if (samples > g->n) {
        return cp_error_set(err, CP_E_INVALID, "--samples %ld: the graph has only %d nodes",
                            samples, g->n);
    }
    long radius = 2;
    if ((st = cli_get_int(a, "radius", 2, 1, 1000, &radius, err)) != CP_OK) {
        return st;
    }
    p->radius = (int)radius;
    p->samples = samples;
    p->max_iter = max_iter;
    p->seed = a->seed;
    const char *dir = cli_get(a, "distance", "in");
    if (strcmp(dir, "in") == 0) {
        p->direction = CP_DISTANCE_IN;
    } else if (strcmp(dir, "out") == 0) {
        p->direction = CP_DISTANCE_OUT;
    } else {
        return cp_error_set(err, CP_E_INVALID, "--distance %s: expected in or out", dir);
    }
    if (cli_get(a, "personalization", NULL) != NULL) {
        int32_t *nodes = NULL;
        int64_t count = 0;
        st = cli_nodeset(a, g, "personalization", NULL, &nodes, &count, err);
        if (st != CP_OK) {
            return st;
        }
        *pers = cp__calloc((size_t)g->n + 1, sizeof **pers);
        if (*pers == NULL) {
            cp_nodeset_free(&nodes);
            return cp_error_set(err, CP_E_NOMEM, "out of memory");
        }
        for (int64_t i = 0; i < count; i++) {
            (*pers)[nodes[i]] = 1.0;
        }
        cp_nodeset_free(&nodes);
        p->personalization = *pers;
    }
    return CP_OK;
}

cp_status cli_measure_attrs(cp_results *r, const char *obj, const cli_args *a,
                            const cp_measure_params *p, cp_error *err) {
    cp_status status = CP_OK;
    CP_TRY(cp_results_attr_str(r, obj, "length", cp_length_name(p->length), err));
    CP_TRY(cp_results_attr_i64(r, obj, "normalized", p->normalized, err));
    CP_TRY(cp_results_attr_i64(r, obj, "endpoints", p->endpoints, err));
    CP_TRY(cp_results_attr_i64(r, obj, "samples", p->samples, err));
    CP_TRY(cp_results_attr_f64(r, obj, "epsilon", p->epsilon, err));
    CP_TRY(cp_results_attr_f64(r, obj, "delta", p->delta, err));
    CP_TRY(cp_results_attr_f64(r, obj, "damping", p->damping, err));
    CP_TRY(cp_results_attr_str(r, obj, "personalization", cli_get(a, "personalization", "uniform"),
                               err));
    CP_TRY(cp_results_attr_i64(r, obj, "weighted", p->weighted, err));
    CP_TRY(cp_results_attr_f64(r, obj, "katz_alpha", p->katz_alpha, err));
    CP_TRY(cp_results_attr_f64(r, obj, "katz_beta", p->katz_beta, err));
    CP_TRY(cp_results_attr_str(r, obj, "distance", p->direction == CP_DISTANCE_IN ? "in" : "out",
                               err));
    CP_TRY(cp_results_attr_i64(r, obj, "per_component", p->per_component, err));
    CP_TRY(cp_results_attr_f64(r, obj, "tol", p->tol, err));
    CP_TRY(cp_results_attr_i64(r, obj, "max_iter", p->max_iter, err));
    CP_TRY(cp_results_attr_i64(r, obj, "seed", (int64_t)p->seed, err));
    CP_TRY(cp_results_attr_i64(r, obj, "radius", p->radius, err));
cleanup:
    return status;
}
