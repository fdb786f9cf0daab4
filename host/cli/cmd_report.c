/* chokepoint report RESULTS.h5 [MORE.h5 ...] -o report.html: one self-contained HTML page with
 * the plots (inline SVG), the tables of `compare` and the provenance of each file. Nothing in the
 * page refers to another file or to the network. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "chokepoint/simulate.h"
#include "cli.h"
#include "plot.h"
#include "review.h"

static const cli_opt_spec specs[] = {
    {"metric", true, "LIST: metrics to show (default: every metric all the scenarios have)"},
    {"top", true, "K: depth of the top-k overlap (default: the budget; 10 for rankings)"},
    {"title", true, "TEXT: the page title (default: the file names)"},
    {NULL, false, NULL},
};

static const char *const provenance_keys[] = {
    "tool",    "version", "git_commit", "command_line", "date", "host", "backend",      "device",
    "threads", "seed",    "input",      "input_sha256", "n",    "m",    "seconds_total"};

static const char *style =
    "body{font-family:sans-serif;margin:2em;max-width:1400px;color:#222}"
    "table{border-collapse:collapse;margin:0.5em 0 1.5em 0;font-size:0.9em}"
    "th,td{border:1px solid #bbb;padding:0.25em 0.6em;text-align:left}"
    "th{background:#eee}td.num{text-align:right;font-variant-numeric:tabular-nums}"
    "svg{max-width:100%;height:auto}code{background:#f4f4f4}"
    "h2{border-bottom:1px solid #ccc;padding-bottom:0.2em}";

/* Copies an SVG file into the page from its <svg element on (no XML declaration, no DOCTYPE, so
 * nothing external is named). */
static cp_status inline_svg(FILE *out, const char *path, cp_error *err) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return cp_error_set(err, CP_E_IO, "%s: cannot read the plot back", path);
    }
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = malloc((size_t)size + 1);
    if (text == NULL) {
        fclose(f);
        return cp_error_set(err, CP_E_NOMEM, "out of memory");
    }
    size_t got = fread(text, 1, (size_t)size, f);
    fclose(f);
    text[got] = '\0';
    const char *svg = strstr(text, "<svg");
    cp_status status = CP_OK;
    if (svg == NULL) {
        status = cp_error_set(err, CP_E_FORMAT, "%s: PLplot wrote no <svg> element", path);
    } else {
        fputs(svg, out);
        fputc('\n', out);
    }
    free(text);
    return status;
}

static void provenance(FILE *out, const char *file) {
    fputs("<table>\n", out);
    for (size_t i = 0; i < sizeof provenance_keys / sizeof provenance_keys[0]; i++) {
        char *v = rv_attr_text(file, "/provenance", provenance_keys[i]);
        if (v != NULL && v[0]) {
            fprintf(out, "<tr><th>%s</th><td>", provenance_keys[i]);
            if (strcmp(provenance_keys[i], "command_line") == 0) {
                fputs("<code>", out);
                rv_html_escape(out, v);
                fputs("</code>", out);
            } else {
                rv_html_escape(out, v);
            }
            fputs("</td></tr>\n", out);
        }
        free(v);
    }
    fputs("</table>\n", out);
}

/* The parameters of every scenario (only those recorded). */
static cp_status scenario_table(FILE *out, const rv_set *s, cp_error *err) {
    rv_table *t = rv_table_new(4, 4, "scenarios");
    if (t == NULL) {
        return cp_error_set(err, CP_E_NOMEM, "out of memory");
    }
    const char *head[4] = {"file", "scenario", "seeds", "parameters"};
    bool ok = rv_table_add(t, head);
    for (int i = 0; i < s->n_sc && ok; i++) {
        const rv_scenario *sc = &s->sc[i];
        char params[2048] = "", seeds[32];
        size_t len = 0;
        for (int p = 0; p < RV_NPARAM && len < sizeof params; p++) {
            if (sc->vals[p][0]) {
                len += (size_t)snprintf(params + len, sizeof params - len, "%s%s=%s",
                                        len ? ", " : "", rv_param_names[p], sc->vals[p]);
            }
        }
        snprintf(seeds, sizeof seeds, "%lld", (long long)sc->seeds);
        const char *row[4] = {rv_base(s->files[sc->file]), sc->name, seeds, params};
        ok = rv_table_add(t, row);
    }
    if (ok) {
        rv_table_print(out, t, RV_HTML);
    }
    rv_table_free(&t);
    return ok ? CP_OK : cp_error_set(err, CP_E_NOMEM, "out of memory");
}

int cmd_report(int argc, char **argv) {
    cli_args a;
    cp_error err;
    cp_error_clear(&err);
    rv_set set;
    memset(&set, 0, sizeof set);
    rv_table *t = NULL;
    FILE *out = NULL;
    char tmp[4200] = "", plot_path[4300] = "";
    cp_status status = cli_parse(&a, "report", argc, argv, 2, specs,
                                 "RESULTS.h5 [MORE.h5 ...] -o report.html [--metric flow]", &err);
    if (status != CP_OK) {
        return cli_fail(&a, status, &err);
    }
    if (a.n_pos < 1 || a.output == NULL) {
        cp_error_set(&err, CP_E_INVALID, "expected: chokepoint report RESULTS.h5 -o report.html");
        return cli_fail(&a, CP_E_INVALID, &err);
    }
    long top = 0;
    CP_TRY(cli_get_int(&a, "top", 0, 1, 1L << 30, &top, &err));
    uint32_t metrics = 0;
    const char *only = cli_get(&a, "metric", NULL);
    if (only != NULL) {
        char list[512];
        snprintf(list, sizeof list, "%s", only);
        char *items[32];
        int ni = cli_split(list, items, 32);
        for (int i = 0; i < ni; i++) {
            cp_metric m;
            if (cp_metric_parse(items[i], &m) != CP_OK) {
                status = cp_error_set(&err, CP_E_INVALID, "--metric %s: not a metric", items[i]);
                goto cleanup;
            }
            metrics |= 1u << m;
        }
    }
    CP_TRY(rv_load(&set, a.pos, a.n_pos, &err));
    if (only == NULL) {
        metrics = set.common_metrics;
    } else {
        for (int i = 0; i < set.n_sc; i++) {
            if ((metrics & ~set.sc[i].metrics) != 0) {
                status = cp_error_set(&err, CP_E_FORMAT,
                                      "%s: scenario %s lacks a metric of --metric %s: refusing to "
                                      "compare it with the others",
                                      set.files[set.sc[i].file], set.sc[i].name, only);
                goto cleanup;
            }
        }
    }
    snprintf(tmp, sizeof tmp, "%s.tmp", a.output);
    out = fopen(tmp, "w");
    if (out == NULL) {
        status = cp_error_set(&err, CP_E_IO, "%s: cannot create the report", tmp);
        goto cleanup;
    }
    char title[1024] = "";
    if (cli_get(&a, "title", NULL) != NULL) {
        snprintf(title, sizeof title, "%s", cli_get(&a, "title", ""));
    } else {
        size_t len = (size_t)snprintf(title, sizeof title, "chokepoint report:");
        for (int i = 0; i < a.n_pos && len < sizeof title; i++) {
            len += (size_t)snprintf(title + len, sizeof title - len, " %s", rv_base(a.pos[i]));
        }
    }
    char date[64];
    time_t now = time(NULL);
    struct tm tmv;
    gmtime_r(&now, &tmv);
    strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &tmv);
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>", out);
    rv_html_escape(out, title);
    fprintf(out, "</title>\n<style>%s</style>\n</head>\n<body>\n<h1>", style);
    rv_html_escape(out, title);
    fprintf(out,
            "</h1>\n<p>Written by chokepoint %s (commit %s) on %s. Every number below is read "
            "from the results files named; the page refers to nothing outside itself.</p>\n",
            CP_VERSION, CP_GIT_COMMIT, date);
    /* Plots: one per metric, drawn to SVG beside the report and inlined. */
    if (set.n_sc > 0 && metrics != 0) {
        fputs("<h2>Disruption curves</h2>\n<p>One line per scenario (mean over seeds; line "
              "style by mode), shaded min-max over seeds, grey the null model's band where "
              "simulated, and the dashed red line at the size of the minimum S-T vertex cut, "
              "the fewest removals that can disconnect the sources from the targets.</p>\n",
              out);
        if (!cp_plot_available()) {
            fputs("<p><em>Plots are unavailable: this chokepoint was built without "
                  "PLplot.</em></p>\n",
                  out);
        }
        for (int m = 0; m < CP_METRIC_COUNT && cp_plot_available(); m++) {
            if (!((metrics >> m) & 1u)) {
                continue;
            }
            snprintf(plot_path, sizeof plot_path, "%s.plot-%s.svg", a.output,
                     cp_metric_name((cp_metric)m));
            CP_TRY(cp_plot_curves(plot_path, &set, 1u << m, 900, 420, &err));
            status = inline_svg(out, plot_path, &err);
            remove(plot_path);
            plot_path[0] = '\0';
            if (status != CP_OK) {
                goto cleanup;
            }
        }
    }
    if (set.n_sc > 0) {
        fputs("<h2>Summaries</h2>\n<p>The metric at budgets k/4, k/2 and k (mean ± sd over "
              "seeds), the area under the curve (the mean over removals 1..k; for lcc the "
              "robustness index R), and the null model at k where simulated.</p>\n",
              out);
        rv_summary_opts so = {NULL, 0, false, 0, false};
        for (int m = 0; m < CP_METRIC_COUNT; m++) {
            if ((metrics >> m) & 1u) {
                CP_TRY(rv_summary_table(&t, &set, (cp_metric)m, &so, &err));
                rv_table_print(out, t, RV_HTML);
                rv_table_free(&t);
            }
        }
    }
    fputs("<h2>Agreement between strategies</h2>\n<p>Kendall tau-b between removal orders "
          "(over the union of both lists; a node one list did not remove ranks after all it "
          "did) and between centrality rankings (over all nodes), and the overlap of the top "
          "k.</p>\n",
          out);
    CP_TRY(rv_order_agreement_table(&t, &set, top, &err));
    rv_table_print(out, t, RV_HTML);
    rv_table_free(&t);
    CP_TRY(rv_ranking_agreement_table(&t, &set, top, &err));
    rv_table_print(out, t, RV_HTML);
    rv_table_free(&t);
    if (set.n_sc > 0) {
        fputs("<h2>Scenarios</h2>\n", out);
        CP_TRY(scenario_table(out, &set, &err));
    }
    fputs("<h2>Provenance</h2>\n", out);
    for (int i = 0; i < a.n_pos; i++) {
        fputs("<h3>", out);
        rv_html_escape(out, a.pos[i]);
        fputs("</h3>\n", out);
        provenance(out, a.pos[i]);
    }
    fprintf(out, "<p>Report command line: <code>");
    rv_html_escape(out, a.cmdline);
    fputs("</code></p>\n</body>\n</html>\n", out);
    if (ferror(out) | fclose(out)) {
        out = NULL;
        status = cp_error_set(&err, CP_E_IO, "%s: write failed", tmp);
        goto cleanup;
    }
    out = NULL;
    if (rename(tmp, a.output) != 0) {
        status = cp_error_set(&err, CP_E_IO, "%s: cannot rename %s into place", a.output, tmp);
        goto cleanup;
    }
    tmp[0] = '\0';
    if (!a.quiet) {
        printf("report written to %s\n", a.output);
    }
cleanup:
    if (out != NULL) {
        fclose(out);
    }
    if (tmp[0]) {
        remove(tmp);
    }
    if (plot_path[0]) {
        remove(plot_path);
    }
    rv_table_free(&t);
    rv_free(&set);
    if (status != CP_OK) {
        return cli_fail(&a, status, &err);
    }
    return 0;
}
