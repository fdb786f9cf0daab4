/* chokepoint compare A.h5 [B.h5 ...]: strategies and modes side by side, their agreement, and
 * the curves as a plot. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "chokepoint/simulate.h"
#include "cli.h"
#include "plot.h"
#include "review.h"

static const cli_opt_spec specs[] = {
    {"metric", true, "LIST: metrics to compare (default: every metric all the scenarios have)"},
    {"at", true, "B1,B2: budgets at which to report the metric (default k/4, k/2, k)"},
    {"format", true, "table|csv|markdown (default table)"},
    {"level", true,
     "L: also report the budget needed to bring the metric (mean over seeds) to L or below"},
    {"top", true, "K: depth of the top-k overlap (default: the budget; 10 for rankings)"},
    {"agreement", true, "yes|no: the agreement tables (default yes)"},
    {"plot", true, "FILE.svg|.png|.pdf: draw the curves (PLplot)"},
    {NULL, false, NULL},
};

/* True when path names the same file as one of the inputs (same device and inode). */
static bool same_file_as_input(const cli_args *a, const char *path) {
    struct stat sp;
    if (stat(path, &sp) != 0) {
        return false;
    }
    for (int i = 0; i < a->n_pos; i++) {
        struct stat si;
        if (stat(a->pos[i], &si) == 0 && si.st_dev == sp.st_dev && si.st_ino == sp.st_ino) {
            return true;
        }
    }
    return false;
}

/* Parses --metric into a bit set; CP_E_INVALID naming an unknown metric. */
static cp_status parse_metrics(const char *list, uint32_t *bits, cp_error *err) {
    char tmp[512];
    snprintf(tmp, sizeof tmp, "%s", list);
    char *items[32];
    int ni = cli_split(tmp, items, 32);
    *bits = 0;
    for (int i = 0; i < ni; i++) {
        cp_metric mk;
        if (cp_metric_parse(items[i], &mk) != CP_OK) {
            return cp_error_set(err, CP_E_INVALID,
                                "--metric %s: expected reach, reach-volume, pairs, flow, lcc, "
                                "path-length, efficiency, scc-pairs or lscc",
                                items[i]);
        }
        *bits |= 1u << mk;
    }
    if (ni == 0) {
        return cp_error_set(err, CP_E_INVALID, "--metric: empty list");
    }
    return CP_OK;
}

int cmd_compare(int argc, char **argv) {
    cli_args a;
    cp_error err;
    cp_error_clear(&err);
    rv_set set;
    memset(&set, 0, sizeof set);
    rv_table *t = NULL;
    rv_table *tables[CP_METRIC_COUNT + 2] = {NULL};
    int n_tables = 0;
    int64_t at[16];
    int n_at = 0;
    cp_status status =
        cli_parse(&a, "compare", argc, argv, 2, specs,
                  "SIM.h5 [MORE.h5 ...] [--metric flow] [--format csv] [--plot curves.svg]", &err);
    if (status != CP_OK) {
        return cli_fail(&a, status, &err);
    }
    if (a.output != NULL) {
        cp_error_set(&err, CP_E_INVALID,
                     "compare prints its report and writes no results file: drop -o (--plot "
                     "FILE draws the curves)");
        return cli_fail(&a, CP_E_INVALID, &err);
    }
    if (a.n_pos < 1) {
        cp_error_set(&err, CP_E_INVALID, "expected: chokepoint compare SIM.h5 [MORE.h5 ...]");
        return cli_fail(&a, CP_E_INVALID, &err);
    }
    const char *fs = cli_get(&a, "format", "table");
    rv_format f = strcmp(fs, "csv") == 0        ? RV_CSV
                  : strcmp(fs, "markdown") == 0 ? RV_MARKDOWN
                                                : RV_TABLE;
    if (f == RV_TABLE && strcmp(fs, "table") != 0) {
        cp_error_set(&err, CP_E_INVALID, "--format %s: expected table, csv or markdown", fs);
        return cli_fail(&a, CP_E_INVALID, &err);
    }
    const char *ag = cli_get(&a, "agreement", "yes");
    if (strcmp(ag, "yes") != 0 && strcmp(ag, "no") != 0) {
        cp_error_set(&err, CP_E_INVALID, "--agreement %s: expected yes or no", ag);
        return cli_fail(&a, CP_E_INVALID, &err);
    }
    rv_summary_opts so = {NULL, 0, cli_get(&a, "level", NULL) != NULL, 0, f == RV_CSV};
    long top = 0;
    CP_TRY(cli_get_double(&a, "level", 0, -1e300, 1e300, &so.level, &err));
    CP_TRY(cli_get_int(&a, "top", 0, 1, 1L << 30, &top, &err));
    uint32_t asked = 0;
    const char *only_list = cli_get(&a, "metric", NULL);
    if (only_list != NULL) {
        CP_TRY(parse_metrics(only_list, &asked, &err));
    }
    const char *ats = cli_get(&a, "at", NULL);
    if (ats != NULL) {
        char tmp[256];
        snprintf(tmp, sizeof tmp, "%s", ats);
        char *items[16];
        int ni = cli_split(tmp, items, 16);
        for (int q = 0; q < ni; q++) {
            char *end = NULL;
            long b = strtol(items[q], &end, 10);
            if (end == items[q] || *end != '\0' || b < 0) {
                status = cp_error_set(&err, CP_E_INVALID,
                                      "--at %s: budgets must be integers from 0 up to the budget",
                                      items[q]);
                goto cleanup;
            }
            at[n_at++] = b;
        }
        if (ni == 0) {
            status = cp_error_set(&err, CP_E_INVALID, "--at: empty list");
            goto cleanup;
        }
        so.at = at;
        so.n_at = n_at;
    }
    const char *plot = cli_get(&a, "plot", NULL);
    if (plot != NULL) {
        if (cp_plot_device(plot) == NULL) {
            status =
                cp_error_set(&err, CP_E_INVALID,
                             "--plot %s: the extension names the format: .svg, .png or .pdf", plot);
            goto cleanup;
        }
        if (same_file_as_input(&a, plot)) {
            status = cp_error_set(&err, CP_E_INVALID, "--plot %s names one of the inputs", plot);
            goto cleanup;
        }
    }
    /* Every file must be a results file, schema version 1, of the same input graph, and every
     * scenario must ask the same question. */
    CP_TRY(rv_load(&set, a.pos, a.n_pos, &err));
    if (ats == NULL) {
        for (int i = 1; i < set.n_sc; i++) {
            if (set.sc[i].budget != set.sc[0].budget) {
                status = cp_error_set(&err, CP_E_INVALID,
                                      "%s in %s has budget %lld but %s in %s has %lld: name the "
                                      "budgets to compare with --at",
                                      set.sc[i].name, set.files[set.sc[i].file],
                                      (long long)set.sc[i].budget, set.sc[0].name,
                                      set.files[set.sc[0].file], (long long)set.sc[0].budget);
                goto cleanup;
            }
        }
    }
    /* Metrics: those asked must be in every scenario; by default, those all of them have. */
    uint32_t metrics = asked;
    if (asked != 0) {
        for (int i = 0; i < set.n_sc; i++) {
            uint32_t missing = asked & ~set.sc[i].metrics;
            if (missing != 0) {
                int m = 0;
                while (!((missing >> m) & 1u)) {
                    m++;
                }
                status = cp_error_set(&err, CP_E_FORMAT,
                                      "%s: scenario %s has no curve/%s (simulate --metrics did "
                                      "not include it): refusing to compare it with the others",
                                      set.files[set.sc[i].file], set.sc[i].name,
                                      cp_metric_name((cp_metric)m));
                goto cleanup;
            }
        }
    } else {
        metrics = set.common_metrics;
        uint32_t partial = set.any_metrics & ~set.common_metrics;
        for (int m = 0; m < CP_METRIC_COUNT && !a.quiet; m++) {
            if ((partial >> m) & 1u) {
                fprintf(stderr,
                        "chokepoint compare: note: metric %s is not in every scenario, so it is "
                        "left out (name it with --metric to see which)\n",
                        cp_metric_name((cp_metric)m));
            }
        }
    }
    /* Every table is built first; CSV prints them as one table (one header), the other formats
     * one after another. */
    for (int m = 0; m < CP_METRIC_COUNT; m++) {
        if ((metrics >> m) & 1u) {
            CP_TRY(rv_summary_table(&tables[n_tables++], &set, (cp_metric)m, &so, &err));
        }
    }
    if (strcmp(ag, "yes") == 0) {
        CP_TRY(rv_order_agreement_table(&tables[n_tables++], &set, top, &err));
        CP_TRY(rv_ranking_agreement_table(&tables[n_tables++], &set, top, &err));
    }
    if (f == RV_CSV) {
        rv_tables_print_csv(stdout, tables, n_tables);
    } else {
        for (int i = 0; i < n_tables; i++) {
            rv_table_print(stdout, tables[i], f);
        }
    }
    if (set.n_sc == 0 && set.n_measures < 2 && !a.quiet) {
        fprintf(stderr, "chokepoint compare: note: no scenarios and fewer than two rankings: "
                        "nothing to compare\n");
    }
    if (plot != NULL) {
        fflush(stdout);
        CP_TRY(cp_plot_curves(plot, &set, metrics, 900, 420, &err));
        if (!a.quiet) {
            fprintf(stderr, "chokepoint compare: curves drawn in %s\n", plot);
        }
    }
cleanup:
    rv_table_free(&t);
    for (int i = 0; i < n_tables; i++) {
        rv_table_free(&tables[i]);
    }
    rv_free(&set);
    if (status != CP_OK) {
        return cli_fail(&a, status, &err);
    }
    return 0;
}
