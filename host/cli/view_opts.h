/* View and node-set options shared by rank and simulate. */
#ifndef CP_CLI_VIEW_OPTS_H
#define CP_CLI_VIEW_OPTS_H

#include "chokepoint/measures.h"
#include "chokepoint/view.h"
#include "cli.h"

#define CLI_VIEW_SPECS                                                                             \
    {"layers", true, "L1,L2: layers of the view (default: all)"},                                  \
        {"direction", true, "stored|reversed|symmetric (default stored)"}, {                       \
        "multi", true, "keep|collapse: parallel edges (default keep)"                              \
    }

#define CLI_MEASURE_SPECS                                                                          \
    {"length", true, "hops|weight|inverse|neglog: edge length for shortest paths (default hops)"}, \
        {"normalized", false, "normalise betweenness (see README) and harmonic (by n-1)"},         \
        {"endpoints", false, "betweenness: count the endpoints of each path"},                     \
        {"samples", true, "K: betweenness from K sampled sources, scaled by n/K (default exact)"}, \
        {"epsilon", true, "E: approx-betweenness additive error (default 0.01)"},                  \
        {"delta", true, "D: approx-betweenness failure probability (default 0.1)"},                \
        {"damping", true, "A: PageRank damping factor (default 0.85)"},                            \
        {"personalization", true, "SET: PageRank restarts uniformly on these nodes"},              \
        {"weighted", false, "PageRank, Katz, eigenvector, HITS: use edge weights"},                \
        {"katz-alpha", true, "A: Katz attenuation (default 0.1)"},                                 \
        {"katz-beta", true, "B: Katz constant term (default 1)"},                                  \
        {"distance", true,                                                                         \
         "in|out: closeness/harmonic from distances to (in, default) or from "                     \
         "(out) the node"},                                                                        \
        {"per-component", false, "closeness without the Wasserman-Faust factor"},                  \
        {"tol", true, "T: iterative measures stop when the L1 change < n T (default 1e-10)"},      \
        {"max-iter", true, "N: iterative measures' iteration limit (default 1000)"}, {             \
        "radius", true, "L: collective-influence ball radius (default 2)"                          \
    }

/* Reads the measure options into p (sources and targets are left empty). A personalization set
 * is expanded into an n-vector in *pers (caller frees with cp__free). */
cp_status cli_measure_params(const cli_args *a, cp_graph *g, cp_measure_params *p, double **pers,
                             cp_error *err);

/* Writes every measure option as attributes of obj. */
cp_status cli_measure_attrs(cp_results *r, const char *obj, const cli_args *a,
                            const cp_measure_params *p, cp_error *err);

/* Reads --layers, --direction, --multi into spec (and their texts, for the results file). */
cp_status cli_view_spec(const cli_args *a, const cp_graph *g, cp_view_spec *spec, cp_error *err);

/* Resolves the node-set option `name` (e.g. "sources"), or def when absent (def NULL: optional,
 * *count = 0). */
cp_status cli_nodeset(const cli_args *a, cp_graph *g, const char *name, const char *def,
                      int32_t **nodes, int64_t *count, cp_error *err);

#endif
