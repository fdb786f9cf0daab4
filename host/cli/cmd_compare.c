/* chokepoint compare A.h5 [B.h5 ...]: strategies and modes side by side. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chokepoint/simulate.h"
#include "cli.h"

static const cli_opt_spec specs[] = {
    {"metric", true, "LIST: metrics to compare (default: every metric in the files)"},
    {"at", true, "B1,B2: budgets at which to report the metric (default k/4, k/2, k)"},
    {"format", true, "table|csv|markdown (default table)"},
    {"level", true,
     "L: also report the budget needed to bring the metric (mean over seeds) to L or below"},
    {NULL, false, NULL},
};

typedef enum { FMT_TABLE, FMT_CSV, FMT_MD } fmt;

static void row(fmt f, int ncol, const char **cells, const int *width) {
    for (int c = 0; c < ncol; c++) {
        if (f == FMT_CSV) {
            printf("%s%s", c ? "," : "", cells[c]);
        } else if (f == FMT_MD) {
            printf("| %s ", cells[c]);
        } else {
            printf(c < 3 ? "%-*s " : "%*s ", width[c], cells[c]);
        }
    }
    printf(f == FMT_MD ? "|\n" : "\n");
}

static double mean_of(const double *x, int n, double *sd) {
    double m = 0, v = 0;
    for (int i = 0; i < n; i++) {
        m += x[i];
    }
    m = n > 0 ? m / n : 0;
    for (int i = 0; i < n; i++) {
        v += (x[i] - m) * (x[i] - m);
    }
    *sd = n > 1 ? sqrt(v / (n - 1)) : 0;
    return m;
}

/* Scenarios compared side by side must answer the same question: the same sources, targets and
 * layers, and (unless --at names the budgets) the same budget, so that a column means one thing. */
static cp_status check_comparable(const cli_args *a, bool at_given, cp_error *err) {
    static const char *const keys[] = {"sources", "targets", "layers"};
    char *first[3] = {NULL, NULL, NULL};
    double first_k = -1;
    char first_where[1024] = "";
    cp_status status = CP_OK;
    for (int fi = 0; fi < a->n_pos && status == CP_OK; fi++) {
        char **names = NULL;
        int count = 0;
        status = cp_h5_list(a->pos[fi], "/scenarios", &names, &count, err);
        for (int si = 0; si < count && status == CP_OK; si++) {
            char dir[512], where[1024];
            snprintf(dir, sizeof dir, "/scenarios/%s", names[si]);
            snprintf(where, sizeof where, "%s in %s", names[si], a->pos[fi]);
            for (int q = 0; q < 3 && status == CP_OK; q++) {
                char *v = NULL;
                if (cp_h5_read_attr_str(a->pos[fi], dir, keys[q], &v, err) != CP_OK) {
                    continue;
                }
                if (first[q] == NULL) {
                    first[q] = v;
                    snprintf(first_where, sizeof first_where, "%s", where);
                    continue;
                }
                if (strcmp(first[q], v) != 0) {
                    status = cp_error_set(err, CP_E_FORMAT,
                                          "%s has %s '%s' but %s has '%s': refusing to compare "
                                          "scenarios that ask different questions",
                                          where, keys[q], v, first_where, first[q]);
                }
                free(v);
            }
            double k = 0;
            if (status == CP_OK && !at_given &&
                cp_h5_read_attr_f64(a->pos[fi], dir, "budget", &k, err) == CP_OK) {
                if (first_k >= 0 && k != first_k) {
                    status = cp_error_set(err, CP_E_INVALID,
                                          "%s has budget %g but others have %g: name the budgets "
                                          "to compare with --at",
                                          where, k, first_k);
                }
                first_k = k;
            }
        }
        cp_h5_free_names(names, count);
    }
    for (int q = 0; q < 3; q++) {
        free(first[q]);
    }
    if (status == CP_OK) {
        cp_error_clear(err);
    }
    return status;
}

int cmd_compare(int argc, char **argv) {
    cli_args a;
    cp_error err;
    cp_error_clear(&err);
    cp_status status = cli_parse(&a, "compare", argc, argv, 2, specs,
                                 "SIM.h5 [MORE.h5 ...] [--metric flow] [--format csv]", &err);
    if (status != CP_OK) {
        return cli_fail(&a, status, &err);
    }
    if (a.output != NULL) {
        cp_error_set(&err, CP_E_INVALID, "compare prints its report and writes no file: drop -o");
        return cli_fail(&a, CP_E_INVALID, &err);
    }
    if (a.n_pos < 1) {
        cp_error_set(&err, CP_E_INVALID, "expected: chokepoint compare SIM.h5 [MORE.h5 ...]");
        return cli_fail(&a, CP_E_INVALID, &err);
    }
    const char *fs = cli_get(&a, "format", "table");
    fmt f = strcmp(fs, "csv") == 0 ? FMT_CSV : strcmp(fs, "markdown") == 0 ? FMT_MD : FMT_TABLE;
    if (f == FMT_TABLE && strcmp(fs, "table") != 0) {
        cp_error_set(&err, CP_E_INVALID, "--format %s: expected table, csv or markdown", fs);
        return cli_fail(&a, CP_E_INVALID, &err);
    }
    double level = 0;
    bool have_level = cli_get(&a, "level", NULL) != NULL;
    status = cli_get_double(&a, "level", 0, -1e300, 1e300, &level, &err);
    if (status != CP_OK) {
        return cli_fail(&a, status, &err);
    }
    const char *only_list = cli_get(&a, "metric", NULL);
    if (only_list != NULL) {
        char tmp[512];
        snprintf(tmp, sizeof tmp, "%s", only_list);
        char *items[16];
        int ni = cli_split(tmp, items, 16);
        for (int i = 0; i < ni; i++) {
            cp_metric mk;
            if (cp_metric_parse(items[i], &mk) != CP_OK) {
                cp_error_set(&err, CP_E_INVALID,
                             "--metric %s: expected reach, reach-volume, pairs, flow, lcc, "
                             "path-length or efficiency",
                             items[i]);
                return cli_fail(&a, CP_E_INVALID, &err);
            }
        }
        if (ni == 0) {
            cp_error_set(&err, CP_E_INVALID, "--metric: empty list");
            return cli_fail(&a, CP_E_INVALID, &err);
        }
    }
    /* Every file must be a results file of the same input graph. */
    char *sha0 = NULL;
    for (int i = 0; i < a.n_pos; i++) {
        char *schema = NULL, *sha = NULL;
        status = cp_h5_read_attr_str(a.pos[i], "/", "schema", &schema, &err);
        if (status == CP_OK && strcmp(schema, "chokepoint-results") != 0) {
            status =
                cp_error_set(&err, CP_E_FORMAT, "%s: schema is '%s', expected chokepoint-results",
                             a.pos[i], schema);
        }
        free(schema);
        if (status == CP_OK && !cp_h5_exists(a.pos[i], "/scenarios")) {
            status =
                cp_error_set(&err, CP_E_FORMAT,
                             "%s: no /scenarios group (is it the output of simulate?)", a.pos[i]);
        }
        if (status == CP_OK &&
            cp_h5_read_attr_str(a.pos[i], "/provenance", "input_sha256", &sha, &err) == CP_OK) {
            if (sha0 == NULL) {
                sha0 = sha;
                sha = NULL;
            } else if (strcmp(sha0, sha) != 0) {
                status = cp_error_set(&err, CP_E_FORMAT,
                                      "%s was computed on a different input graph (SHA-256 %.12s) "
                                      "than %s (%.12s): refusing to mix them",
                                      a.pos[i], sha, a.pos[0], sha0);
            }
        }
        free(sha);
        if (status != CP_OK) {
            free(sha0);
            return cli_fail(&a, status, &err);
        }
    }
    free(sha0);
    cp_error_clear(&err);
    /* Metrics in the order asked (default: the order of CP_METRIC_TABLE). */
    cp_metric order[CP_METRIC_COUNT];
    int n_order = 0;
    if (only_list != NULL) {
        char tmp[512];
        snprintf(tmp, sizeof tmp, "%s", only_list);
        char *items[16];
        int ni = cli_split(tmp, items, 16);
        for (int i = 0; i < ni && n_order < CP_METRIC_COUNT; i++) {
            cp_metric_parse(items[i], &order[n_order++]);
        }
    } else {
        for (int mk = 0; mk < CP_METRIC_COUNT; mk++) {
            order[n_order++] = (cp_metric)mk;
        }
    }
    status = check_comparable(&a, cli_get(&a, "at", NULL) != NULL, &err);
    if (status != CP_OK) {
        return cli_fail(&a, status, &err);
    }
    for (int oi = 0; oi < n_order; oi++) {
        int mk = (int)order[oi];
        const char *metric = cp_metric_name((cp_metric)mk);
        bool header = false;
        for (int fi = 0; fi < a.n_pos; fi++) {
            char **names = NULL;
            int count = 0;
            status = cp_h5_list(a.pos[fi], "/scenarios", &names, &count, &err);
            if (status != CP_OK) {
                return cli_fail(&a, status, &err);
            }
            for (int si = 0; si < count; si++) {
                char path[512];
                snprintf(path, sizeof path, "/scenarios/%s/curve/%s", names[si], metric);
                if (!cp_h5_exists(a.pos[fi], path)) {
                    continue;
                }
                double *curve = NULL;
                int64_t dims[2];
                status = cp_h5_read_f64(a.pos[fi], path, &curve, dims, &err);
                if (status != CP_OK) {
                    cp_h5_free_names(names, count);
                    return cli_fail(&a, status, &err);
                }
                int seeds = (int)dims[0];
                int k = (int)dims[1] - 1;
                int at[8], n_at = 0;
                const char *ats = cli_get(&a, "at", NULL);
                if (ats != NULL) {
                    char tmp[256];
                    snprintf(tmp, sizeof tmp, "%s", ats);
                    char *items[8];
                    int ni = cli_split(tmp, items, 8);
                    for (int q = 0; q < ni; q++) {
                        char *end = NULL;
                        long b = strtol(items[q], &end, 10);
                        if (end == items[q] || *end != '\0' || b < 0 || b > k) {
                            cp_error_set(&err, CP_E_INVALID,
                                         "--at %s: budgets must be integers in 0..%d (the "
                                         "budget of %s in %s)",
                                         items[q], k, names[si], a.pos[fi]);
                            free(curve);
                            cp_h5_free_names(names, count);
                            return cli_fail(&a, CP_E_INVALID, &err);
                        }
                        at[n_at++] = (int)b;
                    }
                    if (ni == 0) {
                        free(curve);
                        cp_h5_free_names(names, count);
                        cp_error_set(&err, CP_E_INVALID, "--at: empty list");
                        return cli_fail(&a, CP_E_INVALID, &err);
                    }
                } else {
                    at[n_at++] = k / 4;
                    at[n_at++] = k / 2;
                    at[n_at++] = k;
                }
                char sdir[300], *strategy = NULL, *mode = NULL;
                snprintf(sdir, sizeof sdir, "/scenarios/%s", names[si]);
                cp_h5_read_attr_str(a.pos[fi], sdir, "strategy", &strategy, &err);
                cp_h5_read_attr_str(a.pos[fi], sdir, "mode", &mode, &err);
                char cells[16][64];
                const char *cp[16];
                int width[16] = {18, 16, 13, 7};
                int nc = 0;
                if (!header) {
                    if (f == FMT_TABLE) {
                        printf("\nmetric %s: %s\n", metric, cp_metric_description((cp_metric)mk));
                    } else if (f == FMT_MD) {
                        printf("\n**%s**: %s\n\n", metric, cp_metric_description((cp_metric)mk));
                    }
                    snprintf(cells[nc++], 64, "file");
                    snprintf(cells[nc++], 64, "strategy");
                    snprintf(cells[nc++], 64, "mode");
                    snprintf(cells[nc++], 64, "seeds");
                    for (int q = 0; q < n_at; q++) {
                        snprintf(cells[nc++], 64, "%s@%d", metric, at[q]);
                    }
                    snprintf(cells[nc++], 64, "auc");
                    snprintf(cells[nc++], 64, "auc_sd");
                    if (have_level) {
                        snprintf(cells[nc++], 64, "k(<=%g)", level);
                    }
                    for (int c = 0; c < nc; c++) {
                        cp[c] = cells[c];
                        if (c >= 4) {
                            width[c] = 12;
                        }
                    }
                    if (f == FMT_CSV) {
                        printf("metric,");
                    }
                    row(f, nc, cp, width);
                    if (f == FMT_MD) {
                        for (int c = 0; c < nc; c++) {
                            printf("|---");
                        }
                        printf("|\n");
                    }
                    header = true;
                    nc = 0;
                }
                const char *base = strrchr(a.pos[fi], '/');
                snprintf(cells[nc++], 64, "%s", base != NULL ? base + 1 : a.pos[fi]);
                snprintf(cells[nc++], 64, "%s", strategy != NULL ? strategy : names[si]);
                snprintf(cells[nc++], 64, "%s", mode != NULL ? mode : "");
                snprintf(cells[nc++], 64, "%d", seeds);
                double vals[1024], sd;
                int ns = seeds < 1024 ? seeds : 1024;
                for (int q = 0; q < n_at; q++) {
                    for (int s = 0; s < ns; s++) {
                        vals[s] = curve[(size_t)s * (size_t)(k + 1) + (size_t)at[q]];
                    }
                    double m = mean_of(vals, ns, &sd);
                    if (f == FMT_TABLE) {
                        snprintf(cells[nc++], 64, "%.4f±%.3f", m, sd);
                    } else {
                        snprintf(cells[nc++], 64, "%.6f", m);
                    }
                }
                for (int s = 0; s < ns; s++) {
                    vals[s] = cp_curve_auc(curve + (size_t)s * (size_t)(k + 1), k);
                }
                double m = mean_of(vals, ns, &sd);
                snprintf(cells[nc++], 64, "%.6f", m);
                snprintf(cells[nc++], 64, "%.6f", sd);
                if (have_level) {
                    /* The first budget at which the mean curve reaches the level. */
                    int reached = -1;
                    for (int i = 0; i <= k && reached < 0; i++) {
                        for (int s = 0; s < ns; s++) {
                            vals[s] = curve[(size_t)s * (size_t)(k + 1) + (size_t)i];
                        }
                        if (mean_of(vals, ns, &sd) <= level) {
                            reached = i;
                        }
                    }
                    if (reached >= 0) {
                        snprintf(cells[nc++], 64, "%d", reached);
                    } else {
                        snprintf(cells[nc++], 64, ">%d", k);
                    }
                }
                for (int c = 0; c < nc; c++) {
                    cp[c] = cells[c];
                    if (c >= 4) {
                        width[c] = 12;
                    }
                }
                if (f == FMT_CSV) {
                    printf("%s,", metric);
                }
                row(f, nc, cp, width);
                free(strategy);
                free(mode);
                free(curve);
            }
            cp_h5_free_names(names, count);
        }
    }
    return 0;
}
