/* Reading results files back for review (`compare`, `report`): the scenarios of several files
 * aligned by their parameters, their summaries (DESIGN section 5), the agreement between
 * strategies (Kendall tau-b and top-k overlap), and tables printed as text, CSV, Markdown or
 * HTML. Inputs are validated first: files of other schemas or schema versions, of different
 * input graphs, or scenarios asking different questions are refused, never mixed. */
#ifndef CP_CLI_REVIEW_H
#define CP_CLI_REVIEW_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "chokepoint/simulate.h"
#include "chokepoint/status.h"

/* The scenario parameters that scenarios are aligned by, in display order (attribute names of
 * /scenarios/<NAME>). The first is the strategy; the measure options follow the scenario ones. */
#define RV_NPARAM 21
extern const char *const rv_param_names[RV_NPARAM];
/* Index of the first measure option in rv_param_names (they belong to the strategy). */
#define RV_FIRST_MEASURE_PARAM 13

typedef struct rv_scenario {
    int file;              /* index into rv_set.files */
    char *name;            /* group name under /scenarios */
    char *vals[RV_NPARAM]; /* each parameter as text ("" when the file does not record it) */
    char *key;             /* every parameter, "name=value;...", the alignment key */
    char *context;         /* the key without the strategy and its measure options */
    char *label;           /* strategy, mode and the parameters that vary, for legends */
    int64_t budget, seeds; /* k, and the rows of the curves */
    uint32_t metrics;      /* bit m: curve/<metric m> exists */
    uint32_t null_metrics; /* bit m: null/curve/<metric m> exists */
} rv_scenario;

typedef struct rv_set {
    int n_files;
    const char *files[64];
    int64_t min_cut[64]; /* /scenarios attribute min_cut_size per file; -1 when absent or none */
    int64_t n;           /* nodes (/provenance n) */
    rv_scenario *sc;     /* scenarios sorted by key, then file */
    int n_sc;
    bool varies[RV_NPARAM]; /* a parameter takes more than one value among the scenarios */
    int n_measures;         /* /centrality/<MEASURE> vectors of n scores */
    char *measure[256];     /* "MEASURE" or "MEASURE (FILE)" when several files hold rankings */
    int measure_file[256];
    char *measure_name[256];
    uint32_t common_metrics; /* metrics every scenario has */
    uint32_t any_metrics;    /* metrics some scenario has */
} rv_set;

/* Loads and validates files[0..n_files): each must have root attributes
 * schema="chokepoint-results" and schema_version=1, a /provenance input_sha256 equal across
 * files, and /scenarios or /centrality; scenarios must share sources, targets and layers.
 * CP_E_FORMAT naming the file (and scenario) otherwise; CP_E_IO; CP_E_NOMEM. Fills *s (freed
 * with rv_free, also on error). */
cp_status rv_load(rv_set *s, const char *const *files, int n_files, cp_error *err);
void rv_free(rv_set *s);

/* An attribute as text: a string as it is, a number as %.10g, "" when absent; malloc'd (NULL only
 * when out of memory). */
char *rv_attr_text(const char *file, const char *obj, const char *name);

/* Base name of a path (borrowed). */
const char *rv_base(const char *path);

/* Reads curve/<metric> (or null/curve/<metric> when null) of a scenario: *curve malloc'd,
 * rows x (k+1). */
cp_status rv_curve(const rv_set *s, const rv_scenario *sc, cp_metric m, bool null, double **curve,
                   int64_t *rows, cp_error *err);

/* Kendall tau-b of x and y (n each), with ties corrected as in Kendall (1945) and
 * scipy.stats.kendalltau's default; Knight's (1966) O(n log n) algorithm. NaN when n < 2, when
 * either vector is constant or holds a NaN. Needs no allocation beyond 3n doubles of its own;
 * returns NaN as well when they cannot be had. */
double rv_kendall_tau_b(const double *x, const double *y, int64_t n);

/* Agreement of two removal orders a[0..na) and b[0..nb) (node indices, -1 ends a list early):
 * *tau = Kendall tau-b over the union of the two lists, where a node one list did not remove
 * ranks after every node it did (tied with the other such nodes); *overlap = |a[:K] & b[:K]| / K
 * with K = min(top, length of a, length of b) (top <= 0: no cap). NaN when a list is empty. */
void rv_order_agreement(const int32_t *a, int64_t na, const int32_t *b, int64_t nb, int64_t top,
                        double *tau, double *overlap);

/* A table of text cells, printed in one of four formats. */
typedef enum { RV_TABLE, RV_CSV, RV_MARKDOWN, RV_HTML } rv_format;
typedef struct rv_table {
    int ncol, nrow;     /* nrow: rows below the header; -1 until the header is added */
    int n_left;         /* the first n_left columns are left-aligned text, the rest numbers */
    char *title;        /* printed above (table, Markdown, HTML); CSV: none */
    char *csv_prefix;   /* CSV: first column value of every row ("metric" names), or NULL */
    char *csv_prefix_h; /* CSV: first header cell when csv_prefix is set */
    char **cells;       /* (nrow + 1) x ncol, row 0 the header; malloc'd strings */
} rv_table;

rv_table *rv_table_new(int ncol, int n_left, const char *title);
/* Appends a row of ncol cells (copied); returns false on out of memory. */
bool rv_table_add(rv_table *t, const char *const *cells);
void rv_table_print(FILE *f, const rv_table *t, rv_format fmt);
/* CSV of several tables as ONE table (pandas reads it with read_csv): a header "table" plus the
 * union of every table's column names in first-seen order; then each table's rows, its
 * csv_prefix (the metric, "agreement", "rankings") in the first column and each cell under its
 * column's name, other columns empty. */
void rv_tables_print_csv(FILE *f, rv_table *const *ts, int n);
void rv_table_free(rv_table **t);
/* Writes s with & < > " escaped for HTML. */
void rv_html_escape(FILE *f, const char *s);

/* Summary options for rv_summary_table. */
typedef struct rv_summary_opts {
    const int64_t *at; /* budgets to report at, n_at of them; NULL: k/4, k/2, k of each row */
    int n_at;
    bool have_level;
    double level;
    bool plain_numbers; /* numbers only (CSV): mean, no "±sd" */
} rv_summary_opts;

/* The summary of one metric (DESIGN section 5): per scenario (file, strategy, mode, the
 * parameters that vary, seeds), the metric at budgets, area under the curve (mean and sd over
 * seeds), the budget needed to reach the level, and the null band at k when there is one.
 * Scenarios without that metric are left out. *out NULL when none has it. CP_E_INVALID when a
 * budget in opts->at exceeds a scenario's k (naming it). */
cp_status rv_summary_table(rv_table **out, const rv_set *s, cp_metric m, const rv_summary_opts *o,
                           cp_error *err);

/* The agreement between strategies: every pair of scenarios of different strategies in the same
 * context (all other parameters equal), their removal orders compared seed by seed (mean over
 * the seed indices both have) with rv_order_agreement. top as there. *out NULL when no pair. */
cp_status rv_order_agreement_table(rv_table **out, const rv_set *s, int64_t top, cp_error *err);

/* Kendall tau-b and top-K overlap (K = top, default 10 when top <= 0; ties at the cutoff broken
 * by node index) between every pair of /centrality rankings. *out NULL when fewer than two. */
cp_status rv_ranking_agreement_table(rv_table **out, const rv_set *s, int64_t top, cp_error *err);

/* Y-axis label of a metric with its unit, e.g. "flow (fraction of intact max-flow)". */
const char *rv_metric_axis(cp_metric m);

#endif
