/* The FollowTheMoney importer (io/ftm.h): share and date parsing, a hand-worked entity stream
 * (edges before nodes, array-valued properties, unknown schemata, dangling references, duplicate
 * ids, quotes and UTF-8 in names, sanctions), and every malformed-line error, also through the
 * CLI (exit 2 naming file and line). Expected values are worked out by hand in the comments. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cp_test.h"
#include "ftm.h"
#include "graph_h5.h"
#include "graph_impl.h"

static char path_buf[4200];

static const char *write_text(const char *name, const char *text) {
    snprintf(path_buf, sizeof path_buf, "%s/%s", cp_test_tmpdir(), name);
    FILE *f = fopen(path_buf, "wb");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(text, 1, strlen(text), f), strlen(text));
    fclose(f);
    return path_buf;
}

/* Index of the first edge src -> dst on layer `layer` (labels), or -1. */
static int64_t find_edge(cp_graph *g, const char *src, const char *dst, const char *layer) {
    int32_t s = cp_graph_find_node(g, src), d = cp_graph_find_node(g, dst);
    int li = cp__graph_find_layer(g, layer);
    for (int64_t e = 0; e < g->m; e++) {
        if (g->src[e] == s && g->dst[e] == d && g->layer[e] == li) {
            return e;
        }
    }
    return -1;
}

static void share_is(const char *text, double lo, double hi) {
    double a = -1, b = -1;
    cr_assert(cp__ftm_parse_share(text, &a, &b), "'%s' not read", text);
    cr_assert(fabs(a - lo) < 1e-12 && fabs(b - hi) < 1e-12, "'%s': [%g, %g], expected [%g, %g]",
              text, a, b, lo, hi);
}

Test(ftm, share_forms) {
    share_is("50", 0.5, 0.5);
    share_is("50%", 0.5, 0.5);
    share_is(" 50.5 %", 0.505, 0.505);
    share_is("50,5", 0.505, 0.505);
    share_is("0.5", 0.5, 0.5); /* a fraction: decimal point, at most 1, no '%' */
    share_is("1", 0.01, 0.01); /* an integer is percent */
    share_is("100", 1.0, 1.0);
    share_is("25-50%", 0.25, 0.5);
    share_is("25% - 50%", 0.25, 0.5);
    share_is("25 \xE2\x80\x93 50 %", 0.25, 0.5); /* en dash */
    share_is("75 to 100", 0.75, 1.0);
    share_is("0.25-0.5", 0.25, 0.5);
    share_is(">25%", 0.25, 1.0);
    share_is("<= 10%", 0.0, 0.1);
    double a, b;
    const char *bad[] = {"", "abc", "150%", "50-25%", "-5", "50%%", "1.2.3", "25-", "majority"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cr_assert(!cp__ftm_parse_share(bad[i], &a, &b), "'%s' should not be read", bad[i]);
    }
}

Test(ftm, dates) {
    int64_t t = -1;
    /* 2020-01-01T00:00Z = 1577836800 (18262 days * 86400). */
    cr_assert(cp__ftm_parse_date("2020-01-02", &t) && t == 1577836800 + 86400);
    cr_assert(cp__ftm_parse_date("1970", &t) && t == 0);
    cr_assert(cp__ftm_parse_date("1969-12-31", &t) && t == -86400);
    cr_assert(cp__ftm_parse_date("2020-03", &t) && t == 1577836800 + (31 + 29) * 86400LL);
    /* 2021-03-04 = 18690 days -> 1614816000, plus 5:06:07 = 18367 s. */
    cr_assert(cp__ftm_parse_date("2021-03-04T05:06:07Z", &t) && t == 1614834367);
    cr_assert(cp__ftm_parse_date("2000-02-29", &t));
    cr_assert(!cp__ftm_parse_date("1900-02-29", &t));
    cr_assert(!cp__ftm_parse_date("2000-02-30", &t));
    cr_assert(!cp__ftm_parse_date("2000-13-01", &t));
    cr_assert(!cp__ftm_parse_date("yesterday", &t));
}

/* Entities (line numbers in the comments). Hand-worked result:
 * nodes in first-appearance order: p1 (line 3), c1 (4), c2 (5), v1 (6), c1 again (7, duplicate:
 * fills nothing, name kept), pb (11), o1 (12) -> 6 nodes.
 * edges: line 1 Ownership own1 {p1, o1} -> c1 "25-50%" : 2 edges ownership [0.25, 0.5];
 *        line 2 Directorship p1 -> c2 : control;
 *        line 8 Payment c1 -> c2 "1,000.50" EUR 2020-01-02: payment:EUR weight 1000.5;
 *        line 9 Payment c2 -> c1, no amount, no currency: payment, weight 0 (no_amount 1);
 *        line 10 Ownership c1 -> ghost: unresolved;
 *        line 13 Ownership own1 again: duplicate, dropped;
 *        line 14 Ownership o1 -> v1, percentage "lots": [0, 1], weight 0 (no_share 1);
 *        line 16 UnknownLink v1 -> pb on linked.
 * marks: line 15 Sanction on c2, programs "UKRAINE-EO13662" and "A/B"; line 17 Sanction on
 *        "nobody": unresolved. Skipped: Address (line 18), Note x2 (19, 20).
 * So m = 7, unresolved 2, duplicates 2, skipped 3. */
static const char *stream =
    "{\"id\":\"own1\",\"schema\":\"Ownership\",\"properties\":{\"owner\":[\"p1\",\"o1\"],"
    "\"asset\":[\"c1\"],\"percentage\":[\"25-50%\"]}}\n"
    "{\"id\":\"dir1\",\"schema\":\"Directorship\",\"properties\":{\"director\":[\"p1\"],"
    "\"organization\":[\"c2\"]}}\n"
    "{\"id\":\"p1\",\"schema\":\"Person\",\"properties\":{\"name\":[\"Jane \\\"JJ\\\" Doe\","
    "\"J. Doe\"],\"nationality\":[\"ru\"],\"topics\":[\"role.pep\"]}}\r\n"
    "{\"id\":\"c1\",\"schema\":\"Company\",\"properties\":{\"name\":[\"Acme \xC3\x96l\"],"
    "\"jurisdiction\":[\"cy\"]}}\n"
    "{\"id\":\"c2\",\"schema\":\"Company\",\"properties\":{\"name\":[\"Beta\"],\"country\":"
    "[\"gb-wls\",\"gb\"]}}\n"
    "{\"id\":\"v1\",\"schema\":\"Vessel\",\"caption\":\"MV "
    "Sea\",\"properties\":{\"flag\":[\"pa\"]}}\n"
    "{\"id\":\"c1\",\"schema\":\"Company\",\"properties\":{\"name\":[\"Other name\"]}}\n"
    "{\"id\":\"pay1\",\"schema\":\"Payment\",\"properties\":{\"payer\":[\"c1\"],\"beneficiary\":"
    "[\"c2\"],\"amount\":[\"1,000.50\"],\"currency\":[\"eur\"],\"date\":[\"2020-01-02\"]}}\n"
    "{\"id\":\"pay2\",\"schema\":\"Payment\",\"properties\":{\"payer\":[\"c2\"],\"beneficiary\":"
    "[\"c1\"]}}\n"
    "{\"id\":\"own3\",\"schema\":\"Ownership\",\"properties\":{\"owner\":[\"c1\"],\"asset\":"
    "[\"ghost\"],\"percentage\":[\"10\"]}}\n"
    "{\"id\":\"pb\",\"schema\":\"PublicBody\",\"properties\":{}}\n"
    "{\"id\":\"o1\",\"schema\":\"Organization\",\"properties\":{\"name\":\"Org One\"}}\n"
    "{\"id\":\"own1\",\"schema\":\"Ownership\",\"properties\":{\"owner\":[\"p1\"],\"asset\":"
    "[\"c2\"]}}\n"
    "{\"id\":\"own4\",\"schema\":\"Ownership\",\"properties\":{\"owner\":[\"o1\"],\"asset\":"
    "[\"v1\"],\"percentage\":[\"lots\"]}}\n"
    "{\"id\":\"s1\",\"schema\":\"Sanction\",\"properties\":{\"entity\":[\"c2\"],\"program\":"
    "[\"UKRAINE-EO13662\",\"A/B\"]}}\n"
    "{\"id\":\"u1\",\"schema\":\"UnknownLink\",\"properties\":{\"subject\":[\"v1\"],\"object\":"
    "[\"pb\"]}}\n"
    "{\"id\":\"s2\",\"schema\":\"Sanction\",\"properties\":{\"entity\":[\"nobody\"]}}\n"
    "{\"id\":\"a1\",\"schema\":\"Address\",\"properties\":{}}\n"
    "\n"
    "{\"id\":\"n1\",\"schema\":\"Note\"}\n"
    "{\"id\":\"n2\",\"schema\":\"Note\",\"properties\":null}\n";

Test(ftm, hand_worked_stream) {
    const char *p = write_text("s.ftm.json", stream);
    cp_graph *g = NULL;
    cp_import_report r;
    cp_error err;
    cp_status s = cp_import_ftm(&g, &r, p, &err);
    cr_assert_eq(s, CP_OK, "%s", err.msg);
    cr_assert_eq(g->n, 6);
    cr_assert_eq(g->m, 7);
    cr_assert_eq(r.records, 20);
    cr_assert_eq(r.unresolved, 2);
    cr_assert_eq(r.duplicates, 2);
    cr_assert_eq(r.skipped, 3);
    cr_assert_eq(r.no_share, 1);
    cr_assert_eq(r.no_amount, 1);
    cr_assert(strstr(r.text, "'Address': 1") != NULL && strstr(r.text, "'Note': 2") != NULL, "%s",
              r.text);
    cr_assert(strstr(r.text, ":10: relation to unknown id 'ghost'") != NULL, "%s", r.text);
    cr_assert(strstr(r.text, ":17: designation of unknown id 'nobody'") != NULL, "%s", r.text);
    const char *order[] = {"p1", "c1", "c2", "v1", "pb", "o1"};
    const uint8_t kinds[] = {CP_KIND_PERSON, CP_KIND_COMPANY,    CP_KIND_COMPANY,
                             CP_KIND_VESSEL, CP_KIND_GOVERNMENT, CP_KIND_OTHER};
    const char *countries[] = {"RU", "CY", "GB", "PA", "", ""};
    for (int i = 0; i < 6; i++) {
        cr_assert_eq(cp_graph_find_node(g, order[i]), i, "%s", order[i]);
        cr_assert_eq(g->kind[i], kinds[i], "%s", order[i]);
        cr_assert_eq(strncmp(g->country + 2 * i, countries[i], strlen(countries[i])), 0);
    }
    cr_assert_str_eq(g->names[0], "Jane \"JJ\" Doe");
    cr_assert_str_eq(g->names[1], "Acme \xC3\x96l");
    cr_assert_str_eq(g->names[3], "MV Sea");
    cr_assert_null(g->names[4]);
    cr_assert_str_eq(g->names[5], "Org One");
    /* Designations: c2 only. */
    for (int i = 0; i < 6; i++) {
        cr_assert_eq(g->designated[i], i == 2);
    }
    const cp_group *gr = cp__graph_find_group(g, "program:A_B");
    cr_assert(gr != NULL && gr->size == 1 && gr->members[0] == 2);
    gr = cp__graph_find_group(g, "program:UKRAINE-EO13662");
    cr_assert(gr != NULL && gr->size == 1);
    /* Layers. */
    int lo = cp__graph_find_layer(g, "ownership");
    cr_assert(lo >= 0 && g->layers[lo].meaning == CP_MEANING_SHARE);
    cr_assert_str_eq(g->layers[lo].units, "fraction");
    int lp = cp__graph_find_layer(g, "payment:EUR");
    cr_assert(lp >= 0 && g->layers[lp].meaning == CP_MEANING_AMOUNT);
    cr_assert_str_eq(g->layers[lp].units, "EUR");
    cr_assert(cp__graph_find_layer(g, "payment") >= 0);
    cr_assert_eq(g->n_layers, 5); /* ownership control payment:EUR payment linked */
    /* Edges. */
    int64_t e1 = find_edge(g, "p1", "c1", "ownership"), e2 = find_edge(g, "o1", "c1", "ownership");
    cr_assert(e1 >= 0 && e2 >= 0);
    cr_assert_float_eq(g->weight[e1], 0.25, 1e-15);
    cr_assert_not_null(r.share_lower);
    cr_assert_eq(r.m, 7);
    cr_assert_float_eq(r.share_lower[e2], 0.25, 1e-15);
    cr_assert_float_eq(r.share_upper[e2], 0.5, 1e-15);
    int64_t e3 = find_edge(g, "o1", "v1", "ownership");
    cr_assert(e3 >= 0 && g->weight[e3] == 0.0 && r.share_upper[e3] == 1.0);
    cr_assert(find_edge(g, "p1", "c2", "control") >= 0);
    cr_assert(find_edge(g, "p1", "c2", "ownership") < 0); /* the duplicate own1 */
    int64_t e4 = find_edge(g, "c1", "c2", "payment:EUR");
    cr_assert(e4 >= 0 && g->weight[e4] == 1000.5);
    cr_assert_not_null(g->time);
    cr_assert_eq(g->time[e4], 1577836800 + 86400);
    int64_t e5 = find_edge(g, "c2", "c1", "payment");
    cr_assert(e5 >= 0 && g->weight[e5] == 0.0 && g->time[e5] == INT64_MIN);
    int64_t e6 = find_edge(g, "v1", "pb", "linked");
    cr_assert(e6 >= 0 && g->weight[e6] == 1.0 && r.share_lower[e6] == 1.0);
    cp_import_report_free(&r);
    cp_graph_free(&g);
}

static void format_error(const char *text, const char *line_tag, const char *what) {
    const char *p = write_text("bad.ftm.json", text);
    cp_graph *g = NULL;
    cp_error err;
    cp_status s = cp_import_ftm(&g, NULL, p, &err);
    cr_assert_eq(s, CP_E_FORMAT, "%s: %s", cp_status_name(s), err.msg);
    cr_assert_null(g);
    cr_assert(strstr(err.msg, line_tag) != NULL, "no '%s' in: %s", line_tag, err.msg);
    cr_assert(strstr(err.msg, what) != NULL, "no '%s' in: %s", what, err.msg);
}

static const char *ok_line = "{\"id\":\"a\",\"schema\":\"Person\",\"properties\":{}}\n";

Test(ftm, malformed_lines) {
    char buf[512];
    snprintf(buf, sizeof buf, "%s%s{\"id\": \"b\", \"schema\": \"Person\"\n", ok_line, ok_line);
    format_error(buf, "bad.ftm.json:3:", "malformed JSON");
    snprintf(buf, sizeof buf, "%s[1, 2]\n", ok_line);
    format_error(buf, ":2:", "not an object");
    snprintf(buf, sizeof buf, "%s{\"schema\":\"Person\"}\n", ok_line);
    format_error(buf, ":2:", "'id'");
    snprintf(buf, sizeof buf, "{\"id\":\"x\",\"schema\":7}\n");
    format_error(buf, ":1:", "'schema'");
    snprintf(buf, sizeof buf, "{\"id\":\"x\",\"schema\":\"Person\",\"properties\":[]}\n");
    format_error(buf, ":1:", "'properties'");
    snprintf(buf, sizeof buf,
             "{\"id\":\"x\",\"schema\":\"Person\",\"properties\":{\"name\":[1]}}\n");
    format_error(buf, ":1:", "'name'");
    snprintf(buf, sizeof buf,
             "{\"id\":\"x\",\"schema\":\"Ownership\",\"properties\":{\"owner\":{}}}\n");
    format_error(buf, ":1:", "'owner'");
    /* Latin-1 inside JSON text is not UTF-8: the JSON parser refuses the line. */
    snprintf(buf, sizeof buf,
             "%s{\"id\":\"b\",\"schema\":\"Person\",\"properties\":{\"name\":"
             "[\"M\xFCller\"]}}\n",
             ok_line);
    format_error(buf, ":2:", "malformed JSON");
}

Test(ftm, empty_and_missing) {
    cp_graph *g = NULL;
    cp_error err;
    const char *p = write_text("empty.json", "\n\n");
    cr_assert_eq(cp_import_ftm(&g, NULL, p, &err), CP_OK, "%s", err.msg);
    cr_assert_eq(g->n, 0);
    cp_graph_free(&g);
    cr_assert_eq(cp_import_ftm(&g, NULL, "/nonexistent/x.json", &err), CP_E_IO);
    cr_assert_eq(cp_import_ftm(NULL, NULL, p, &err), CP_E_INVALID);
}

Test(ftm, cli) {
    const char *p = write_text("s.ftm.json", stream);
    char args[9000], *out = NULL;
    char h5[4300];
    snprintf(h5, sizeof h5, "%s/g.h5", cp_test_tmpdir());
    snprintf(args, sizeof args, "import '%s' --format ftm -o '%s'", p, h5);
    int rc = cp_test_cli(args, &out);
    cr_assert_eq(rc, 0, "%s", out);
    cr_assert(strstr(out, "2 unresolved") != NULL, "%s", out);
    free(out);
    cp_graph *g = NULL;
    cp_error err;
    cr_assert_eq(cp_graph_read_h5(&g, h5, &err), CP_OK, "%s", err.msg);
    cr_assert_eq(g->n, 6);
    cr_assert_eq(g->m, 7);
    cp_graph_free(&g);
    p = write_text("bad.json", "{\"id\":\"a\",\"schema\":\"Person\"}\n{oops}\n");
    snprintf(args, sizeof args, "import '%s' --format ftm -o '%s'", p, h5);
    rc = cp_test_cli(args, &out);
    cr_assert_eq(rc, 2, "%s", out);
    cr_assert(strstr(out, "bad.json:2:") != NULL, "%s", out);
    free(out);
}
