/* Scenario results shared by `simulate` and `sweep`: node costs read from CSV, and one scenario
 * (all its seeds) written under /scenarios/NAME of a results file (DESIGN section 6). */
#ifndef CP_CLI_SCENARIO_IO_H
#define CP_CLI_SCENARIO_IO_H

#include "chokepoint/simulate.h"
#include "cli.h"

/* Mean and sample standard deviation (0 for fewer than two values). */
typedef struct {
    double mean, sd;
} cli_stat2;

/* Mean and spread of x[0], x[stride], ..., n values. O(n). */
cli_stat2 cli_mean_sd(const double *x, int n, int stride);

/* Reads node costs: CSV rows "id,cost" ('#' comment lines; a first row whose cost is not a number
 * is a header). Unlisted nodes cost `def`. *cost: n doubles (cp__free). CP_E_FORMAT naming the
 * file and line (wrong field count, a cost not finite and > 0, an unknown or repeated id); CP_E_IO;
 * CP_E_NOMEM. O(n + file size). */
cp_status cli_read_costs(cp_graph *g, const char *path, double def, double **cost, cp_error *err);

/* The lower bound `simulate` prints beside every heuristic and writes as the /scenarios attribute
 * min_cut_size: the size of a minimum S-T vertex cut among the candidates of the intact graph (the
 * scenario's layers, sources, targets, candidates and protected nodes; unit costs), or -1 when
 * no set of candidates separates S and T. cp_min_vertex_cut; O(m sqrt(n)). */
cp_status cli_min_cut_bound(int64_t *size, const cp_graph *g, const cp_scenario *sc, cp_error *err);

/* Writes one scenario, res[0..seeds) (one result per seed, seed a->seed + s), under
 * /scenarios/NAME: removal order, curves and curve_before per metric (seeds x (k+1)), the network
 * response, the closure and reinsertion lists, costs, null-model band (null_res[0..null_runs),
 * may be 0), summaries (auc and final value, mean and sd over seeds) and every parameter as
 * attributes, the option texts taken from `a` (sources, targets, candidates, substitutes, layers,
 * closure, cost and the measure options). CP_E_NOMEM; CP_E_IO and CP_E_INVALID from the results
 * writer. O(seeds k + reroutes). */
cp_status cli_write_scenario(cp_results *r, const cli_args *a, const char *name,
                             const cp_scenario *sc, cp_scenario_result **res, int seeds,
                             cp_scenario_result **null_res, int null_runs, cp_error *err);

#endif
