/* The CLI on OFAC SDN lists: `import --format sdn` (with its report of unresolved names) and
 * `diff`, on small files written here (hand-worked answers) and on the two real snapshots in
 * ../shared/datasets/sdn (answers from tests/oracle/count_sdn.py; skipped when absent). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cp_test.h"
#include "graph_h5.h"
#include "graph_impl.h"
#include "results.h"

static char dir[1024];

static const char *in_dir(const char *name) {
    static char path[8][1200];
    static int turn = 0;
    char *p = path[turn++ % 8];
    if (dir[0] == '\0') {
        snprintf(dir, sizeof dir, "%s", cp_test_tmpdir());
    }
    snprintf(p, 1200, "%s/%s", dir, name);
    return p;
}

static const char *write_text(const char *name, const char *text) {
    const char *p = in_dir(name);
    FILE *f = fopen(p, "wb");
    cr_assert_not_null(f, "cannot create %s", p);
    fputs(text, f);
    fclose(f);
    return p;
}

static char *slurp(const char *path) {
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s", path);
    static char buf[1 << 16];
    size_t len = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[len] = '\0';
    return buf;
}

/* Runs the CLI; asserts the exit code and that the output holds each needle (NULL-terminated). */
static char *run(const char *args, int code, const char *const *needles) {
    char *out = NULL;
    int rc = cp_test_cli(args, &out);
    cr_assert_eq(rc, code, "chokepoint %s: exit %d, expected %d; output:\n%s", args, rc, code, out);
    for (int i = 0; needles != NULL && needles[i] != NULL; i++) {
        cr_assert(strstr(out, needles[i]) != NULL, "chokepoint %s: output lacks '%s':\n%s", args,
                  needles[i], out);
    }
    return out;
}

#define PAD ",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"

/* Old: 1 -> 2 and 3 -> 1 linked, 3's second name unresolvable. New: 3 removed, 4 (a vessel owned
 * by 1) added, 1 also linked to 4. Diff: entries +4 -3; links +1->4 linked, +1->4 owner, -3->1. */
static const char old_sdn[] = "1,\"ALPHA CO\",-0- ,\"SDGT\"" PAD "-0- ,\"Linked To: BETA LTD.\"\n"
                              "2,\"BETA LTD\",-0- ,\"SDGT\"" PAD "-0- ,-0- \n"
                              "3,\"GAMMA, Al\",\"individual\",\"IRAN\"" PAD "-0- ,"
                              "\"Linked To: ALPHA CO.; Linked To: NOWHERE INC.\"\n";
static const char new_sdn[] =
    "1,\"ALPHA CO\",-0- ,\"SDGT\"" PAD "-0- ,\"Linked To: BETA LTD.; Linked To: DELTA.\"\n"
    "2,\"BETA LTD\",-0- ,\"SDGT\"" PAD "-0- ,-0- \n"
    "4,\"DELTA\",\"vessel\",\"SDGT] [IRAN\"" PAD "\"Alpha Co.\",-0- \n";

Test(cli_sdn, import_small) {
    const char *in = write_text("old.csv", old_sdn);
    char args[4096];
    const char *h5 = in_dir("old.h5");
    snprintf(args, sizeof args, "import %s --format sdn -o %s", in, h5);
    const char *need[] = {"2 resolved, 1 unresolved, 0 ambiguous", "old.unresolved.csv", NULL};
    free(run(args, 0, need));
    cp_graph *g = NULL;
    cp_error err;
    cr_assert_eq(cp_graph_read_h5(&g, h5, &err), CP_OK, "%s", err.msg);
    cr_assert_eq(g->n, 3);
    cr_assert_eq(g->m, 2);
    cr_assert_str_eq(g->names[cp_graph_find_node(g, "3")], "GAMMA, Al");
    cr_assert_eq(g->kind[cp_graph_find_node(g, "3")], CP_KIND_PERSON);
    cr_assert_not_null(cp__graph_find_group(g, "program:IRAN"));
    cp_graph_free(&g);
    const char *rep = slurp(in_dir("old.unresolved.csv"));
    cr_assert(strncmp(rep, "entry,file,line,what,state,text,candidates\r\n", 44) == 0, "%s", rep);
    cr_assert_not_null(strstr(rep, "3,\""), "%s", rep);
    cr_assert_not_null(strstr(rep, ",3,linked,unresolved,\"NOWHERE INC.\",\"\""), "%s", rep);
    /* An explicit report path. */
    const char *mine = in_dir("mine.csv");
    snprintf(args, sizeof args, "import %s --format sdn -o %s --unresolved %s --quiet", in, h5,
             mine);
    free(run(args, 0, NULL));
    cr_assert_eq(access(mine, R_OK), 0);
    /* The report must not overwrite an input. */
    snprintf(args, sizeof args, "import %s --format sdn -o %s --unresolved %s", in, h5, in);
    const char *refuse[] = {"--unresolved", NULL};
    free(run(args, 1, refuse));
    cr_assert_str_eq(slurp(in), old_sdn);
}

Test(cli_sdn, import_bad_input) {
    char args[4096];
    const char *bad = write_text("bad.csv", "1,\"A\",-0-,\"X\"" PAD "-0-,-0-\n2,\"B\",-0-\n");
    snprintf(args, sizeof args, "import %s --format sdn -o %s", bad, in_dir("bad.h5"));
    const char *need[] = {"bad.csv:2:", "expected 12", NULL};
    free(run(args, 2, need));
    cr_assert_neq(access(in_dir("bad.h5"), F_OK), 0, "no output on error");
    const char *typ = write_text("typ.csv", "1,\"A\",\"robot\",\"X\"" PAD "-0-,-0-\n");
    snprintf(args, sizeof args, "import %s --format sdn -o %s", typ, in_dir("typ.h5"));
    const char *need2[] = {"typ.csv:1:", "expected individual, vessel, aircraft", NULL};
    free(run(args, 2, need2));
    const char *ok = write_text("ok.csv", old_sdn);
    const char *alt = write_text("alt.csv", "1,2,\"aka\"\n");
    snprintf(args, sizeof args, "import %s --format sdn --alt %s -o %s", ok, alt, in_dir("ok.h5"));
    const char *need3[] = {"alt.csv:1:", "expected 5", NULL};
    free(run(args, 2, need3));
    snprintf(args, sizeof args, "import %s --format sdn --encoding ebcdic -o %s", ok,
             in_dir("ok.h5"));
    const char *need4[] = {"--encoding ebcdic", NULL};
    free(run(args, 1, need4));
}

/* The counts line of the diff table: "<what> old new added removed". */
static void table_row(const char *out, const char *what, long v[4]) {
    const char *p = strstr(out, "\n");
    char key[32];
    snprintf(key, sizeof key, "\n%s ", what);
    p = strstr(out, key);
    cr_assert_not_null(p, "no '%s' row in:\n%s", what, out);
    cr_assert_eq(sscanf(p + strlen(key), "%ld %ld %ld %ld", &v[0], &v[1], &v[2], &v[3]), 4, "%s",
                 out);
}

Test(cli_sdn, diff_small) {
    const char *o = write_text("o.csv", old_sdn), *n = write_text("n.csv", new_sdn);
    char args[4096];
    /* Straight from the CSVs, with a CSV of the changes. */
    const char *csv = in_dir("d.csv");
    snprintf(args, sizeof args, "diff %s %s -o %s", o, n, csv);
    char *out = run(args, 0, NULL);
    long e[4], l[4];
    table_row(out, "entries", e);
    table_row(out, "links", l);
    cr_assert(e[0] == 3 && e[1] == 3 && e[2] == 1 && e[3] == 1, "%s", out);
    cr_assert(l[0] == 2 && l[1] == 3 && l[2] == 2 && l[3] == 1, "%s", out);
    cr_assert_not_null(strstr(out, "+ 4 "), "%s", out);
    cr_assert_not_null(strstr(out, "- 3 "), "%s", out);
    free(out);
    const char *d = slurp(csv);
    cr_assert(strncmp(d, "change,item,id,name,target,target_name,layer\r\n", 46) == 0, "%s", d);
    cr_assert_not_null(strstr(d, "added,entry,\"4\",\"DELTA\",,,\r\n"), "%s", d);
    cr_assert_not_null(strstr(d, "removed,entry,\"3\",\"GAMMA, Al\",,,\r\n"), "%s", d);
    cr_assert_not_null(strstr(d, "added,link,\"1\",\"ALPHA CO\",\"4\",\"DELTA\",\"linked\"\r\n"),
                       "%s", d);
    cr_assert_not_null(strstr(d, "added,link,\"1\",\"ALPHA CO\",\"4\",\"DELTA\",\"owner\"\r\n"),
                       "%s", d);
    cr_assert_not_null(
        strstr(d, "removed,link,\"3\",\"GAMMA, Al\",\"1\",\"ALPHA CO\",\"linked\"\r\n"), "%s", d);
    /* From graph files, with an HDF5 of the changes. */
    const char *oh = in_dir("o.h5"), *nh = in_dir("n.h5"), *dh = in_dir("d.h5");
    snprintf(args, sizeof args, "import %s --format sdn -o %s --quiet", o, oh);
    free(run(args, 0, NULL));
    snprintf(args, sizeof args, "import %s --format sdn -o %s --quiet", n, nh);
    free(run(args, 0, NULL));
    snprintf(args, sizeof args, "diff %s %s -o %s --show all", oh, nh, dh);
    out = run(args, 0, NULL);
    table_row(out, "links", l);
    cr_assert(l[2] == 2 && l[3] == 1, "%s", out);
    free(out);
    char **names = NULL;
    int count = 0;
    cp_error err;
    cr_assert_eq(cp_h5_list(dh, "/diff", &names, &count, &err), CP_OK, "%s", err.msg);
    cr_assert_eq(count, 4);
    cr_assert_str_eq(names[0], "entries_added");
    cr_assert_str_eq(names[3], "links_removed");
    cp_h5_free_names(names, count);
    cr_assert(cp_h5_exists(dh, "/diff/links_added/layer"));
    /* Identical inputs: nothing changed. */
    snprintf(args, sizeof args, "diff %s %s", oh, o);
    out = run(args, 0, NULL);
    table_row(out, "entries", e);
    table_row(out, "links", l);
    cr_assert(e[2] == 0 && e[3] == 0 && l[2] == 0 && l[3] == 0, "%s", out);
    free(out);
}

Test(cli_sdn, diff_bad_input) {
    char args[4096];
    const char *o = write_text("o.csv", old_sdn);
    const char *bad = write_text("b.csv", "1,\"A\"\n");
    snprintf(args, sizeof args, "diff %s %s", o, bad);
    const char *need[] = {"b.csv:1:", "expected 12", NULL};
    free(run(args, 2, need));
    snprintf(args, sizeof args, "diff %s", o);
    free(run(args, 1, NULL));
    snprintf(args, sizeof args, "diff %s %s -o %s", o, o, o);
    free(run(args, 1, NULL));
    cr_assert_str_eq(slurp(o), old_sdn);
}

/* ---- the real snapshots ------------------------------------------------------------------- */

static long expect_key(const char *key) {
    const char *path = cp_test_source("tests/fixtures/import/sdn_real_counts.txt");
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "cannot open %s", path);
    char line[512], k[256];
    long v = -1, x;
    while (fgets(line, sizeof line, f) != NULL) {
        if (line[0] != '#' && sscanf(line, "%255s %ld", k, &x) == 2 && strcmp(k, key) == 0) {
            v = x;
            break;
        }
    }
    fclose(f);
    cr_assert_geq(v, 0, "the fixture has no '%s'; rerun tests/oracle/count_sdn.py", key);
    return v;
}

Test(cli_sdn, real_snapshots) {
    char old_csv[1024], new_csv[1024], args[4096], need[256];
    const char *p = cp_test_shared("datasets/sdn/sdn_2021-08-18.csv");
    if (p == NULL) {
        cr_skip_test("../shared/datasets/sdn is absent");
    }
    snprintf(old_csv, sizeof old_csv, "%s", p);
    p = cp_test_shared("datasets/sdn/sdn_2024-05-03.csv");
    if (p == NULL) {
        cr_skip_test("../shared/datasets/sdn/sdn_2024-05-03.csv is absent");
    }
    snprintf(new_csv, sizeof new_csv, "%s", p);
    const char *oh = in_dir("old.h5"), *nh = in_dir("new.h5");
    const char *csvs[2] = {old_csv, new_csv}, *h5s[2] = {oh, nh};
    const char *dates[2] = {"2021-08-18", "2024-05-03"};
    for (int k = 0; k < 2; k++) {
        char key[128];
        snprintf(key, sizeof key, "%s.linked.resolved", dates[k]);
        long resolved = expect_key(key);
        snprintf(key, sizeof key, "%s.entries", dates[k]);
        long entries = expect_key(key);
        snprintf(args, sizeof args, "import %s --format sdn -o %s", csvs[k], h5s[k]);
        snprintf(need, sizeof need, "%ld entries; Linked To names: ", entries);
        char resolved_text[64];
        snprintf(resolved_text, sizeof resolved_text, " %ld resolved,", resolved);
        const char *needles[] = {need, resolved_text, NULL};
        free(run(args, 0, needles));
    }
    /* The diff from the graph files and straight from the CSVs agree with the oracle. */
    const char *pairs[2][2] = {{oh, nh}, {old_csv, new_csv}};
    for (int k = 0; k < 2; k++) {
        snprintf(args, sizeof args, "diff %s %s --show 0", pairs[k][0], pairs[k][1]);
        char *out = run(args, 0, NULL);
        long e[4], l[4];
        table_row(out, "entries", e);
        table_row(out, "links", l);
        cr_assert_eq(e[0], expect_key("2021-08-18.entries"));
        cr_assert_eq(e[1], expect_key("2024-05-03.entries"));
        cr_assert_eq(e[2], expect_key("diff.entries_added"), "%s", out);
        cr_assert_eq(e[3], expect_key("diff.entries_removed"), "%s", out);
        cr_assert_eq(l[2], expect_key("diff.links_added"), "%s", out);
        cr_assert_eq(l[3], expect_key("diff.links_removed"), "%s", out);
        free(out);
    }
}
