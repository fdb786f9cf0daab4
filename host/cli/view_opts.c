#include "view_opts.h"

#include <stdio.h>
#include <string.h>

#include "chokepoint/nodeset.h"

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
