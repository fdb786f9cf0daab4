/* The scenario file of `chokepoint sweep` (YAML, read with libyaml): the graph, the view, the
 * node sets and the lists or ranges whose product is the sweep. The schema is documented in the
 * README section on sweeps; every mistake is reported with its line. */
#ifndef CP_CLI_SWEEP_SPEC_H
#define CP_CLI_SWEEP_SPEC_H

#include <stdbool.h>
#include <stdint.h>

#include "chokepoint/simulate.h"
#include "chokepoint/status.h"

#define SWEEP_MAX_OPTS  48
#define SWEEP_MAX_UNITS 100000000L

/* A validated scenario file. Options shared by every scenario are kept in simulate's spelling
 * (name without dashes, value text or NULL for a flag) with the line that gave them, so the
 * sweep resolves and writes them exactly as `simulate` does. */
typedef struct sweep_spec {
    char *path;  /* the YAML file as named */
    char *graph; /* graph file, relative paths taken from the YAML file's folder */
    int graph_line;
    int n_opts;
    char *opt_name[SWEEP_MAX_OPTS];
    char *opt_value[SWEEP_MAX_OPTS];
    int opt_line[SWEEP_MAX_OPTS];
    /* The product, outermost first: strategies x modes x budgets x rounds x reroute x closures,
     * each combination run at every seed. */
    int n_strategy;
    cp_strategy strategy[CP_STRATEGY_COUNT];
    int n_mode;
    cp_mode mode[CP_MODE_COUNT];
    int n_budget;
    int32_t *budget;
    int n_round;
    int32_t *round;
    int n_reroute;
    double *reroute;
    int n_closure;
    int closure[CP_REGIME_EU_2022 + 2]; /* -1: none, else a cp_regime */
    int n_seed;
    uint64_t *seed;
    /* The null model (simulate --null rewire): every unit also runs on null_samples
     * degree-preserving rewirings of the view's layers (null_swaps swaps per edge, seed the first
     * of the seed list, stream the sample index). null_rewire false: none. */
    bool null_rewire;
    int null_samples;
    double null_swaps;
    int strategy_line, objective_line;
    int n_errors; /* mistakes reported by sweep_spec_read */
} sweep_spec;

/* Reads and validates path. Every mistake found is printed to stderr as
 * "chokepoint sweep: error: PATH line L: ..." when report is true (only rank 0 reports under
 * MPI). CP_OK; CP_E_IO when the file cannot be read; CP_E_FORMAT when it holds mistakes (a YAML
 * syntax error stops the reading at the first one; every other mistake is listed), with err
 * saying how many; CP_E_NOMEM. Free with sweep_spec_free (also after an error). O(file size +
 * product dimensions). */
cp_status sweep_spec_read(sweep_spec *s, const char *path, bool report, cp_error *err);

void sweep_spec_free(sweep_spec *s);

/* The line of a shared option (0 when the file does not give it). */
int sweep_spec_line(const sweep_spec *s, const char *name);

/* The value of a shared option, or NULL. */
const char *sweep_spec_get(const sweep_spec *s, const char *name);

/* Combinations in the product (before duplicates are dropped), and units (combinations x seeds). */
int64_t sweep_spec_combinations(const sweep_spec *s);

#endif
