#define _POSIX_C_SOURCE 200809L
/* `compare` and `report` end to end: the agreement tables against scipy.stats.kendalltau
 * (fixtures from tests/oracle/make_agreement_fixtures.py) and hand-worked values, plots in SVG,
 * PNG and PDF, refusal of mismatched inputs, and the HTML report loaded in headless Chromium. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../io/results.h"
#include "cp_test.h"

#define SHA_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define SHA_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

static void ok(cp_status s, const cp_error *err) {
    cr_assert_eq(s, CP_OK, "%s", err->msg);
}

/* A results file with the provenance compare needs. */
static cp_results *new_results(const char *path, int64_t n, const char *sha) {
    cp_results *r = NULL;
    cp_error err;
    ok(cp_results_create(&r, path, NULL, &err), &err);
    ok(cp_results_attr_str(r, "/provenance", "input_sha256", sha, &err), &err);
    ok(cp_results_attr_i64(r, "/provenance", "n", n, &err), &err);
    return r;
}

static void commit(cp_results **r) {
    cp_error err;
    ok(cp_results_commit(r, &err), &err);
}

/* A scenario: removal order(s) (seeds x k, -1 padded) and a flow curve. */
static void add_scenario(cp_results *r, const char *name, const char *strategy, const char *mode,
                         int seeds, int k, const int32_t *removed, const char *sources) {
    cp_error err;
    char base[256], path[512];
    snprintf(base, sizeof base, "/scenarios/%s", name);
    int64_t rd[2] = {seeds, k}, cd[2] = {seeds, k + 1};
    snprintf(path, sizeof path, "%s/removed", base);
    ok(cp_results_write_i32(r, path, 2, rd, removed, "removal order", &err), &err);
    double *c = malloc(sizeof(double) * (size_t)(seeds * (k + 1)));
    for (int s = 0; s < seeds; s++) {
        for (int i = 0; i <= k; i++) {
            c[s * (k + 1) + i] = 1.0 - (double)i / (k + 1) * (0.5 + 0.1 * s);
        }
    }
    snprintf(path, sizeof path, "%s/curve/flow", base);
    ok(cp_results_write_f64(r, path, 2, cd, c, "flow", &err), &err);
    free(c);
    ok(cp_results_attr_str(r, base, "strategy", strategy, &err), &err);
    ok(cp_results_attr_str(r, base, "mode", mode, &err), &err);
    ok(cp_results_attr_i64(r, base, "budget", k, &err), &err);
    ok(cp_results_attr_i64(r, base, "round_size", 1, &err), &err);
    ok(cp_results_attr_i64(r, base, "seeds", seeds, &err), &err);
    ok(cp_results_attr_str(r, base, "sources", sources, &err), &err);
    ok(cp_results_attr_str(r, base, "targets", "group:bank", &err), &err);
    ok(cp_results_attr_str(r, base, "layers", "all", &err), &err);
}

/* The CSV row of `compare` (one table, one header) of table `table` that contains `needle`: its
 * last two numbers. */
static void last_two(const char *out, const char *table, const char *needle, double *a, double *b) {
    char buf[1024];
    size_t tl = strlen(table);
    for (const char *line = out; line != NULL && *line; line = strchr(line, '\n')) {
        line += *line == '\n';
        const char *end = strchr(line, '\n');
        size_t len = end != NULL ? (size_t)(end - line) : strlen(line);
        if (len >= sizeof buf || strncmp(line, table, tl) != 0 || line[tl] != ',') {
            continue;
        }
        memcpy(buf, line, len);
        buf[len] = '\0';
        if (strstr(buf, needle) == NULL) {
            continue;
        }
        char *c2 = strrchr(buf, ',');
        *c2 = '\0';
        char *c1 = strrchr(buf, ',');
        *a = strcmp(c1 + 1, "nan") == 0 ? NAN : atof(c1 + 1);
        *b = strcmp(c2 + 1, "nan") == 0 ? NAN : atof(c2 + 1);
        return;
    }
    cr_assert_fail("no %s row with '%s' in:\n%s", table, needle, out);
}

static char *run(const char *args, int expect) {
    char *out = NULL;
    int rc = cp_test_cli(args, &out);
    cr_assert_eq(rc, expect, "chokepoint %s: exit %d, expected %d:\n%s", args, rc, expect, out);
    return out;
}

Test(compare_plots, hand_worked_agreement) {
    /* Removal orders a = 5,3,1 and b = 3,5,7: the union 1,3,5,7 ranks (2,1,0,3) and (3,0,1,2):
     * 4 concordant and 2 discordant pairs, no ties: tau = 2/6; the top 3 share {3,5}: 2/3. The
     * rankings x = 1,2,3,4 and y = 1,3,2,4: 5 concordant, 1 discordant: tau = 4/6; top 2 of x
     * {3,2} and of y {3,1}: overlap 1/2. */
    const char *dir = cp_test_tmpdir();
    char path[1024], args[2048];
    snprintf(path, sizeof path, "%s/hand.h5", dir);
    cp_results *r = new_results(path, 8, SHA_A);
    int32_t a[3] = {5, 3, 1}, b[3] = {3, 5, 7};
    add_scenario(r, "one", "degree", "sequential", 1, 3, a, "group:origin");
    add_scenario(r, "two", "flow", "sequential", 1, 3, b, "group:origin");
    cp_error err;
    int64_t dims[1] = {4};
    double x[4] = {1, 2, 3, 4}, y[4] = {1, 3, 2, 4};
    commit(&r);
    snprintf(path, sizeof path, "%s/rank.h5", dir);
    r = new_results(path, 4, SHA_B);
    ok(cp_results_write_f64(r, "/centrality/x", 1, dims, x, "x", &err), &err);
    ok(cp_results_write_f64(r, "/centrality/y", 1, dims, y, "y", &err), &err);
    commit(&r);
    double tau, ov;
    snprintf(args, sizeof args, "compare %s/hand.h5 --format csv", dir);
    char *out = run(args, 0);
    last_two(out, "agreement", ",sequential,1,", &tau, &ov);
    cr_assert(fabs(tau - 2.0 / 6.0) < 1e-9, "tau %g\n%s", tau, out);
    cr_assert(fabs(ov - 2.0 / 3.0) < 1e-9, "overlap %g", ov);
    cr_assert(strstr(out, "table,file,strategy,mode,seeds,flow@0,flow@1,flow@3,auc") != NULL, "%s",
              out);
    free(out);
    snprintf(args, sizeof args, "compare %s/rank.h5 --format csv --top 2", dir);
    out = run(args, 0);
    last_two(out, "rankings", ",x,y,", &tau, &ov);
    cr_assert(fabs(tau - 4.0 / 6.0) < 1e-9, "tau %g\n%s", tau, out);
    cr_assert(fabs(ov - 0.5) < 1e-9, "overlap %g", ov);
    free(out);
    /* Markdown and table formats carry the same tables. */
    snprintf(args, sizeof args, "compare %s/hand.h5 --format markdown", dir);
    cp_test_expect(args, 0, "| strategy A | strategy B |");
    snprintf(args, sizeof args, "compare %s/hand.h5 --agreement no", dir);
    out = run(args, 0);
    cr_assert(strstr(out, "kendall") == NULL, "%s", out);
    free(out);
}

static double *json_vec(json_t *arr, size_t *n) {
    *n = json_array_size(arr);
    double *v = malloc((*n + 1) * sizeof *v);
    for (size_t i = 0; i < *n; i++) {
        v[i] = json_number_value(json_array_get(arr, i));
    }
    return v;
}

Test(compare_plots, agreement_matches_scipy) {
    json_error_t jerr;
    json_t *root =
        json_load_file(cp_test_source("tests/fixtures/agreement/agreement.json"), 0, &jerr);
    cr_assert_not_null(root, "fixture: %s (run tests/oracle/make_agreement_fixtures.py)",
                       jerr.text);
    const char *dir = cp_test_tmpdir();
    char path[1024], args[2048];
    cp_error err;
    json_t *c;
    size_t i;
    int checked = 0;
    json_array_foreach(json_object_get(root, "rankings"), i, c) {
        size_t n, n2;
        double *x = json_vec(json_object_get(c, "x"), &n);
        double *y = json_vec(json_object_get(c, "y"), &n2);
        snprintf(path, sizeof path, "%s/rank%zu.h5", dir, i);
        cp_results *r = new_results(path, (int64_t)n, SHA_A);
        int64_t dims[1] = {(int64_t)n};
        ok(cp_results_write_f64(r, "/centrality/x", 1, dims, x, "x", &err), &err);
        ok(cp_results_write_f64(r, "/centrality/y", 1, dims, y, "y", &err), &err);
        commit(&r);
        snprintf(args, sizeof args, "compare %s --format csv --top %lld", path,
                 (long long)json_integer_value(json_object_get(c, "top")));
        char *out = run(args, 0);
        double tau, ov;
        last_two(out, "rankings", ",x,y,", &tau, &ov);
        double want = json_number_value(json_object_get(c, "tau"));
        cr_assert(fabs(tau - want) < 1e-9, "ranking %zu: tau %.12g, scipy %.12g", i, tau, want);
        want = json_number_value(json_object_get(c, "overlap"));
        cr_assert(fabs(ov - want) < 1e-9, "ranking %zu: overlap %.12g, want %.12g", i, ov, want);
        free(out);
        free(x);
        free(y);
        checked++;
    }
    json_array_foreach(json_object_get(root, "orders"), i, c) {
        json_t *ja = json_object_get(c, "a"), *jb = json_object_get(c, "b");
        size_t la = json_array_size(ja), lb = json_array_size(jb);
        int k = (int)(la > lb ? la : lb);
        int32_t *a = malloc(sizeof(int32_t) * (size_t)k), *b = malloc(sizeof(int32_t) * (size_t)k);
        for (int q = 0; q < k; q++) {
            a[q] = q < (int)la ? (int32_t)json_integer_value(json_array_get(ja, (size_t)q)) : -1;
            b[q] = q < (int)lb ? (int32_t)json_integer_value(json_array_get(jb, (size_t)q)) : -1;
        }
        snprintf(path, sizeof path, "%s/order%zu.h5", dir, i);
        cp_results *r = new_results(path, 60, SHA_A);
        add_scenario(r, "a", "degree", "adaptive", 1, k, a, "group:origin");
        add_scenario(r, "b", "pagerank", "adaptive", 1, k, b, "group:origin");
        commit(&r);
        snprintf(args, sizeof args, "compare %s --format csv --top %lld", path,
                 (long long)json_integer_value(json_object_get(c, "top")));
        char *out = run(args, 0);
        double tau, ov;
        last_two(out, "agreement", ",degree,pagerank,", &tau, &ov);
        double want = json_number_value(json_object_get(c, "tau"));
        cr_assert(fabs(tau - want) < 1e-9, "order %zu: tau %.12g, scipy %.12g", i, tau, want);
        want = json_number_value(json_object_get(c, "overlap"));
        cr_assert(fabs(ov - want) < 1e-9, "order %zu: overlap %.12g, want %.12g", i, ov, want);
        free(out);
        free(a);
        free(b);
        checked++;
    }
    cr_assert_geq(checked, 10);
    cr_log_info("agreement: %d cases against %s", checked,
                json_string_value(json_object_get(root, "oracle")));
    json_decref(root);
}

Test(compare_plots, mismatched_inputs_are_refused) {
    const char *dir = cp_test_tmpdir();
    char p1[1024], p2[1024], args[4096];
    int32_t a[2] = {1, 2};
    snprintf(p1, sizeof p1, "%s/one.h5", dir);
    cp_results *r = new_results(p1, 8, SHA_A);
    add_scenario(r, "s", "degree", "sequential", 1, 2, a, "group:origin");
    commit(&r);
    /* another graph */
    snprintf(p2, sizeof p2, "%s/other-graph.h5", dir);
    r = new_results(p2, 8, SHA_B);
    add_scenario(r, "s", "flow", "sequential", 1, 2, a, "group:origin");
    commit(&r);
    snprintf(args, sizeof args, "compare %s %s", p1, p2);
    cp_test_expect(args, 2, "different input graph");
    /* another schema version */
    snprintf(p2, sizeof p2, "%s/v2.h5", dir);
    r = new_results(p2, 8, SHA_A);
    add_scenario(r, "s", "flow", "sequential", 1, 2, a, "group:origin");
    cp_error err;
    ok(cp_results_attr_i64(r, "/", "schema_version", 2, &err), &err);
    commit(&r);
    snprintf(args, sizeof args, "compare %s %s", p1, p2);
    cp_test_expect(args, 2, "schema version 2");
    snprintf(args, sizeof args, "report %s -o %s/r.html", p2, dir);
    cp_test_expect(args, 2, "schema version 2");
    /* another question */
    snprintf(p2, sizeof p2, "%s/other-sources.h5", dir);
    r = new_results(p2, 8, SHA_A);
    add_scenario(r, "s", "flow", "sequential", 1, 2, a, "group:front");
    commit(&r);
    snprintf(args, sizeof args, "compare %s %s", p1, p2);
    cp_test_expect(args, 2, "ask different questions");
    /* a metric missing from one scenario */
    snprintf(p2, sizeof p2, "%s/same.h5", dir);
    r = new_results(p2, 8, SHA_A);
    add_scenario(r, "s", "flow", "sequential", 1, 2, a, "group:origin");
    commit(&r);
    snprintf(args, sizeof args, "compare %s %s --metric reach", p1, p2);
    cp_test_expect(args, 2, "has no curve/reach");
    /* no provenance hash; not a results file */
    snprintf(p2, sizeof p2, "%s/nohash.h5", dir);
    r = NULL;
    ok(cp_results_create(&r, p2, NULL, &err), &err);
    add_scenario(r, "s", "flow", "sequential", 1, 2, a, "group:origin");
    commit(&r);
    snprintf(args, sizeof args, "compare %s %s", p1, p2);
    cp_test_expect(args, 2, "no input_sha256");
    snprintf(p2, sizeof p2, "%s/not.h5", dir);
    cp_test_write(p2, "not hdf5\n");
    snprintf(args, sizeof args, "compare %s %s", p1, p2);
    cp_test_expect(args, 2, "not.h5");
    /* the same files compare fine; bad options are usage errors */
    snprintf(args, sizeof args, "compare %s %s/same.h5 --format csv", p1, dir);
    cp_test_expect(args, 0, ",degree @one.h5,flow @same.h5,1,1\n");
    snprintf(args, sizeof args, "compare %s --plot %s/x.gif", p1, dir);
    cp_test_expect(args, 1, ".svg, .png or .pdf");
    snprintf(p2, sizeof p2, "%s/link.svg", dir);
    cr_assert_eq(symlink(p1, p2), 0);
    snprintf(args, sizeof args, "compare %s --plot %s", p1, p2);
    cp_test_expect(args, 1, "names one of the inputs");
    snprintf(args, sizeof args, "compare %s --agreement maybe", p1);
    cp_test_expect(args, 1, "expected yes or no");
    snprintf(args, sizeof args, "report %s", p1);
    cp_test_expect(args, 1, "-o report.html");
}

/* A small simulated results file with seeds, a null band and a min-cut bound. */
static const char *simulated(char *sim, size_t size) {
    const char *dir = cp_test_tmpdir();
    char args[4096];
    snprintf(args, sizeof args, "generate sanctions-net --nodes 300 --seed 3 -o %s/net.h5 --quiet",
             dir);
    cp_test_expect(args, 0, NULL);
    snprintf(sim, size, "%s/sim.h5", dir);
    snprintf(args, sizeof args,
             "simulate %s/net.h5 --sources group:origin --targets group:bank --strategy "
             "random,degree --mode simultaneous,sequential --budget 6 --round 2 --seeds 3 "
             "--metrics reach,flow --null rewire --null-samples 2 -o %s --quiet",
             dir, sim);
    cp_test_expect(args, 0, NULL);
    return dir;
}

static bool plots_available(const char *sim, const char *dir) {
    char args[4096], *out = NULL;
    snprintf(args, sizeof args, "compare %s --plot %s/probe.svg --quiet", sim, dir);
    int rc = cp_test_cli(args, &out);
    bool yes = !(rc != 0 && strstr(out, "without PLplot") != NULL);
    free(out);
    return yes;
}

static long file_size(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

Test(compare_plots, plots_in_three_formats, .timeout = 300) {
    char sim[1024], args[4096], path[1024];
    const char *dir = simulated(sim, sizeof sim);
    if (!plots_available(sim, dir)) {
        cr_skip_test("built without PLplot (CP_PLOT=OFF)");
    }
    const char *ext[3] = {"svg", "png", "pdf"};
    const char *magic[3] = {"<?xml", "\x89PNG", "%PDF"};
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/curves.%s", dir, ext[i]);
        snprintf(args, sizeof args, "compare %s --plot %s --metric flow,reach --quiet", sim, path);
        cp_test_expect(args, 0, "metric flow");
        cr_assert_gt(file_size(path), 5000, "%s is too small to hold the curves", path);
        char tmp[1100];
        snprintf(tmp, sizeof tmp, "%s.tmp", path);
        cr_assert_eq(access(tmp, F_OK), -1, "left %s behind", tmp);
        FILE *f = fopen(path, "rb");
        char head[8] = "";
        cr_assert_eq(fread(head, 1, 5, f), 5);
        fclose(f);
        cr_assert_eq(memcmp(head, magic[i], strlen(magic[i])), 0, "%s: wrong format", path);
    }
    /* The SVG is well-formed XML, draws polylines, and names its axes. */
    snprintf(args, sizeof args,
             "/usr/bin/python3 -c \"import sys, xml.etree.ElementTree as E; "
             "r = E.parse(sys.argv[1]).getroot(); "
             "assert r.tag.endswith('svg'), r.tag; "
             "n = sum(1 for e in r.iter() if e.tag.endswith('polyline') or e.tag.endswith('path'));"
             " assert n > 20, n\" %s/curves.svg",
             dir);
    cr_assert_eq(system(args), 0, "the SVG does not parse as XML (or draws nothing)");
}

/* True when a PNG holds more than a blank page: its decompressed pixels take many values. */
static bool png_not_blank(const char *png) {
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "/usr/bin/python3 -c \"import sys, struct, zlib; d = open(sys.argv[1], 'rb').read();"
             " assert d[:8] == b'\\x89PNG\\r\\n\\x1a\\n'; i = 8; idat = b'';\n"
             "while i < len(d):\n"
             "    n, t = struct.unpack('>I4s', d[i:i + 8]); idat += d[i + 8:i + 8 + n] if t == "
             "b'IDAT' else b''; i += 12 + n\n"
             "px = zlib.decompress(idat); assert len(set(px)) > 20, len(set(px))\" %s",
             png);
    return system(cmd) == 0;
}

Test(compare_plots, html_report_in_headless_chromium, .timeout = 300) {
    char sim[1024], args[4096], html[1024], shot[1024];
    const char *dir = simulated(sim, sizeof sim);
    snprintf(html, sizeof html, "%s/report.html", dir);
    snprintf(args, sizeof args, "report %s -o %s --title Evasion-network", sim, html);
    cp_test_expect(args, 0, "report written");
    cr_assert_gt(file_size(html), 2000);
    char *text = NULL;
    FILE *f = fopen(html, "r");
    long size = file_size(html);
    text = malloc((size_t)size + 1);
    cr_assert_eq(fread(text, 1, (size_t)size, f), (size_t)size);
    text[size] = '\0';
    fclose(f);
    /* Self-contained: nothing loaded from elsewhere. */
    cr_assert(strstr(text, "src=") == NULL && strstr(text, "href=") == NULL &&
                  strstr(text, "<link") == NULL && strstr(text, "@import") == NULL,
              "the report refers to other files");
    cr_assert(strstr(text, "input_sha256") != NULL && strstr(text, "command_line") != NULL);
    cr_assert(strstr(text, "kendall_tau") != NULL);
    if (plots_available(sim, dir)) {
        cr_assert(strstr(text, "<svg") != NULL, "no inline plot");
        cr_assert(strstr(text, "<?xml") == NULL && strstr(text, "DOCTYPE svg") == NULL);
    }
    free(text);
    const char *chromium = access("/usr/bin/chromium", X_OK) == 0 ? "/usr/bin/chromium" : NULL;
    if (chromium == NULL) {
        cr_skip_test("chromium is not installed (Debian package chromium): report not rendered");
    }
    snprintf(shot, sizeof shot, "%s/shot.png", dir);
    snprintf(args, sizeof args,
             "HOME=%s timeout 120 %s --headless --no-sandbox --disable-gpu "
             "--user-data-dir=%s/chromium --screenshot=%s --window-size=1200,900 file://%s "
             ">%s/chromium.log 2>&1",
             dir, chromium, dir, shot, html, dir);
    int rc = system(args);
    cr_assert_eq(rc, 0, "chromium failed (see %s/chromium.log)", dir);
    cr_assert_gt(file_size(shot), 10000, "the screenshot is suspiciously small");
    cr_assert(png_not_blank(shot), "the screenshot is blank");
}
