/* View and node-set options shared by rank and simulate. */
#ifndef CP_CLI_VIEW_OPTS_H
#define CP_CLI_VIEW_OPTS_H

#include "chokepoint/view.h"
#include "cli.h"

#define CLI_VIEW_SPECS                                                                             \
    {"layers", true, "L1,L2: layers of the view (default: all)"},                                  \
        {"direction", true, "stored|reversed|symmetric (default stored)"}, {                       \
        "multi", true, "keep|collapse: parallel edges (default keep)"                              \
    }

/* Reads --layers, --direction, --multi into spec (and their texts, for the results file). */
cp_status cli_view_spec(const cli_args *a, const cp_graph *g, cp_view_spec *spec, cp_error *err);

/* Resolves the node-set option `name` (e.g. "sources"), or def when absent (def NULL: optional,
 * *count = 0). */
cp_status cli_nodeset(const cli_args *a, cp_graph *g, const char *name, const char *def,
                      int32_t **nodes, int64_t *count, cp_error *err);

#endif
