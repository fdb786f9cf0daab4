/* The generic CSV importer (io/import.h): the shared case csv-30, column choice, weights, times,
 * node tables, group rules, and every error path (with allocation failures). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "cp_test.h"
#include "graph_impl.h"
#include "import.h"
#include "import_internal.h"

/* ---- helpers ----------------------------------------------------------------------------------
 */

static char dir_buf[4096];
static char path_bufs[4][4200];

/* Writes bytes to <tmpdir>/name (one tmpdir per test) and returns the path (slot 0..3). */
static const char *write_file(int slot, const char *name, const char *bytes, size_t len) {
    if (dir_buf[0] == '\0') {
        snprintf(dir_buf, sizeof dir_buf, "%s", cp_test_tmpdir());
    }
    snprintf(path_bufs[slot], sizeof path_bufs[slot], "%s/%s", dir_buf, name);
    FILE *f = fopen(path_bufs[slot], "wb");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(bytes, 1, len, f), len);
    fclose(f);
    return path_bufs[slot];
}

static const char *write_text(int slot, const char *name, const char *text) {
    return write_file(slot, name, text, strlen(text));
}

/* Decodes a Python str repr ('...' or "..." with \\, \', \", \r, \n, \t, \xHH, \uXXXX escapes)
 * into UTF-8 bytes. Returns malloc'd bytes and their length. */
static char *decode_repr(const char *repr, size_t *len) {
    size_t n = strlen(repr);
    cr_assert(n >= 2 && (repr[0] == '\'' || repr[0] == '"') && repr[n - 1] == repr[0]);
    char *out = malloc(n * 4 + 1);
    size_t k = 0;
    for (size_t i = 1; i + 1 < n; i++) {
        char c = repr[i];
        if (c != '\\') {
            out[k++] = c;
            continue;
        }
        c = repr[++i];
        unsigned cp = 0;
        int hex = 0;
        switch (c) {
        case 'r':
            out[k++] = '\r';
            break;
        case 'n':
            out[k++] = '\n';
            break;
        case 't':
            out[k++] = '\t';
            break;
        case '\\':
        case '\'':
        case '"':
            out[k++] = c;
            break;
        case 'x':
            hex = 2;
            break;
        case 'u':
            hex = 4;
            break;
        default:
            cr_assert_fail("unknown escape \\%c in the case's repr", c);
        }
        if (hex > 0) {
            char buf[5] = {0};
            memcpy(buf, repr + i + 1, (size_t)hex);
            cp = (unsigned)strtoul(buf, NULL, 16);
            i += (size_t)hex;
            if (cp < 0x80) {
                out[k++] = (char)cp;
            } else if (cp < 0x800) {
                out[k++] = (char)(0xC0 | (cp >> 6));
                out[k++] = (char)(0x80 | (cp & 0x3F));
            } else {
                out[k++] = (char)(0xE0 | (cp >> 12));
                out[k++] = (char)(0x80 | ((cp >> 6) & 0x3F));
                out[k++] = (char)(0x80 | (cp & 0x3F));
            }
        }
    }
    out[k] = '\0';
    *len = k;
    return out;
}

static const char *label(const cp_graph *g, int32_t i) {
    static char buf[4][256];
    static int next = 0;
    next = (next + 1) % 4;
    return cp_graph_node_label(g, i, buf[next], sizeof buf[next]);
}

static void expect_error(cp_status want, const char *path, const cp_csv_options *o,
                         const char *const *needles) {
    cp_graph *g = (cp_graph *)0x1;
    cp_error err;
    cp_status s = cp_import_csv(&g, path, o, &err);
    cr_assert_eq(s, want, "status %s, expected %s: %s", cp_status_name(s), cp_status_name(want),
                 err.msg);
    cr_assert_null(g);
    for (int i = 0; needles[i] != NULL; i++) {
        cr_assert(strstr(err.msg, needles[i]) != NULL, "message lacks '%s': %s", needles[i],
                  err.msg);
    }
}

static cp_graph *import_ok(const char *path, const cp_csv_options *o) {
    cp_graph *g = NULL;
    cp_error err;
    cp_status s = cp_import_csv(&g, path, o, &err);
    cr_assert_eq(s, CP_OK, "%s: %s", cp_status_name(s), err.msg);
    cr_assert_not_null(g);
    return g;
}

/* ---- the shared case csv-30 -------------------------------------------------------------------
 */

Test(import_csv, case_csv30) {
    json_t *c = cp_test_case("csv-30");
    if (c == NULL) {
        cr_skip_test("../shared/cases/cases.json is absent");
    }
    json_t *ex = json_object_get(c, "expected");
    size_t len;
    char *bytes = decode_repr(json_string_value(json_object_get(ex, "csv_text_repr")), &len);
    cr_assert(len > 3 && memcmp(bytes, "\xEF\xBB\xBF", 3) == 0, "the case starts with a BOM");
    const char *p = write_file(0, "in.csv", bytes, len);
    free(bytes);

    cp_csv_options o;
    cp_csv_options_init(&o);
    json_t *header = json_object_get(ex, "header");
    o.source_col = json_string_value(json_array_get(header, 0));
    o.target_col = json_string_value(json_array_get(header, 1));
    o.weight_col = json_string_value(json_array_get(header, 2));
    cp_graph *g = import_ok(p, &o);
    cr_assert_eq(cp_graph_n(g), json_integer_value(json_object_get(ex, "n_nodes")));
    cr_assert_eq(cp_graph_m(g), json_integer_value(json_object_get(ex, "n_edges")));
    cr_assert_not(g->ids_are_int);
    json_t *edges = json_object_get(ex, "edges_by_label");
    cr_assert_eq((int64_t)json_array_size(edges), g->m);
    for (int64_t e = 0; e < g->m; e++) {
        json_t *row = json_array_get(edges, (size_t)e);
        cr_assert_str_eq(label(g, g->src[e]), json_string_value(json_array_get(row, 0)));
        cr_assert_str_eq(label(g, g->dst[e]), json_string_value(json_array_get(row, 1)));
        cr_assert(cp_test_close(g->weight[e], json_number_value(json_array_get(row, 2)), 0, 0));
    }
    json_t *labels = json_object_get(c, "node_labels");
    for (int32_t i = 0; i < g->n; i++) {
        cr_assert_str_eq(label(g, i), json_string_value(json_array_get(labels, (size_t)i)));
    }
    /* The case's edges (by index) are the same graph. */
    json_t *ie = json_object_get(c, "edges");
    for (int64_t e = 0; e < g->m; e++) {
        cr_assert_eq(g->src[e], json_integer_value(json_array_get(json_array_get(ie, e), 0)));
        cr_assert_eq(g->dst[e], json_integer_value(json_array_get(json_array_get(ie, e), 1)));
    }
    cr_assert_str_eq(g->layers[0].name, "transaction");
    cr_assert_eq(g->layers[0].meaning, CP_MEANING_AMOUNT);
    cr_assert(g->layers[0].directed);
    cr_assert_null(g->time);
    cp_graph_free(&g);
    cr_assert_null(g);
}

Test(import_csv, case_csv30_nan_row_rejected_with_line) {
    json_t *c = cp_test_case("csv-30");
    if (c == NULL) {
        cr_skip_test("../shared/cases/cases.json is absent");
    }
    json_t *ex = json_object_get(c, "expected");
    size_t len;
    char *bytes = decode_repr(json_string_value(json_object_get(ex, "csv_text_repr")), &len);
    const char *row =
        json_string_value(json_object_get(json_object_get(ex, "nan_row"), "input_line"));
    char *all = malloc(len + strlen(row) + 3);
    memcpy(all, bytes, len);
    memcpy(all + len, row, strlen(row));
    memcpy(all + len + strlen(row), "\r\n", 2);
    const char *p = write_file(0, "nan.csv", all, len + strlen(row) + 2);
    free(bytes);
    free(all);
    cp_csv_options o;
    cp_csv_options_init(&o);
    o.weight_col = "weight";
    /* Lines: 1 header (after the BOM), 2-3 rows, 4 comment, 5 row, 6 the NaN row. */
    expect_error(CP_E_FORMAT, p, &o,
                 (const char *[]){"nan.csv:6:", "column 'weight'", "NaN", NULL});
}

Test(import_csv, case_csv30_semicolon_variant) {
    json_t *c = cp_test_case("csv-30");
    if (c == NULL) {
        cr_skip_test("../shared/cases/cases.json is absent");
    }
    json_t *v = json_object_get(json_object_get(c, "expected"), "semicolon_quoted_variant");
    const char *input = json_string_value(json_object_get(v, "input"));
    json_t *nodes = json_object_get(v, "nodes");

    /* (1) With a header line added, through the public function. */
    char *with_header = malloc(strlen(input) + 32);
    sprintf(with_header, "source;target\n%s", input);
    const char *p = write_text(0, "semi.csv", with_header);
    free(with_header);
    cp_csv_options o;
    cp_csv_options_init(&o);
    o.delimiter = ';';
    cp_graph *g = import_ok(p, &o);
    cr_assert_eq((size_t)cp_graph_n(g), json_array_size(nodes));
    for (int32_t i = 0; i < g->n; i++) {
        cr_assert_str_eq(label(g, i), json_string_value(json_array_get(nodes, (size_t)i)));
    }
    cr_assert_eq(g->m, 3);
    cr_assert_eq(g->layers[0].meaning, CP_MEANING_NONE);
    cp_graph_free(&g);

    /* (2) As given (no header), through the headerless variant with numbered columns. */
    p = write_text(1, "semi_noheader.csv", input);
    o.source_col = "1";
    o.target_col = "2";
    cp_error err;
    cr_assert_eq(cp__import_csv_ex(&g, p, &o, true, &err), CP_OK, "%s", err.msg);
    cr_assert_eq((size_t)cp_graph_n(g), json_array_size(nodes));
    for (int32_t i = 0; i < g->n; i++) {
        cr_assert_str_eq(label(g, i), json_string_value(json_array_get(nodes, (size_t)i)));
    }
    cr_assert_eq(g->m, 3);
    cr_assert_eq(g->src[0], 0);
    cr_assert_eq(g->dst[2], 3);
    cp_graph_free(&g);

    /* Without a header, names cannot be used. */
    o.source_col = "source";
    cr_assert_eq(cp__import_csv_ex(&g, p, &o, true, &err), CP_E_INVALID);
    cr_assert(strstr(err.msg, "number") != NULL, "%s", err.msg);
    cr_assert_null(g);
}

/* ---- ids, columns, layer ----------------------------------------------------------------------
 */

Test(import_csv, integer_labels_1_to_11_make_11_nodes) {
    const char *p = write_text(0, "e.csv",
                               "source,target\n1,2\n2,3\n3,4\n4,5\n5,6\n6,7\n7,8\n8,9\n"
                               "9,10\n10,11\n11,1\n");
    cp_graph *g = import_ok(p, NULL);
    cr_assert_eq(g->n, 11);
    cr_assert_eq(g->m, 11);
    cr_assert(g->ids_are_int);
    for (int32_t i = 0; i < 11; i++) {
        cr_assert_eq(g->ids_int[i], i + 1);
    }
    cr_assert_eq(cp_graph_find_node(g, "11"), 10);
    cr_assert_eq(g->layers[0].meaning, CP_MEANING_NONE);
    cr_assert_eq(g->weight[0], 1.0);
    cp_graph_free(&g);
}

Test(import_csv, non_canonical_integers_make_string_ids) {
    const char *p = write_text(0, "e.csv", "source,target\n1,01\n-5,7\n");
    cp_graph *g = import_ok(p, NULL);
    cr_assert_eq(g->n, 4);
    cr_assert_not(g->ids_are_int);
    cr_assert_str_eq(g->ids_str[1], "01");
    cp_graph_free(&g);

    p = write_text(0, "e2.csv", "source,target\n-5,7\n9223372036854775807,0\n");
    g = import_ok(p, NULL);
    cr_assert(g->ids_are_int);
    cr_assert_eq(g->ids_int[0], -5);
    cr_assert_eq(g->ids_int[2], INT64_MAX);
    cp_graph_free(&g);
}

Test(import_csv, columns_by_number_time_units_undirected) {
    const char *p = write_text(0, "e.csv", "t,x,from,to,amt\n12,a,u,v,2.5\n13.0,b,v,w, 4 \n");
    cp_csv_options o;
    cp_csv_options_init(&o);
    o.source_col = "3";
    o.target_col = "to";
    o.weight_col = "5";
    o.time_col = "t";
    o.layer.name = "payments";
    o.layer.units = "USD";
    o.layer.undirected = true;
    cp_graph *g = import_ok(p, &o);
    cr_assert_eq(g->n, 3);
    cr_assert_eq(g->m, 2);
    cr_assert_not_null(g->time);
    cr_assert_eq(g->time[0], 12);
    cr_assert_eq(g->time[1], 13);
    cr_assert_eq(g->weight[0], 2.5);
    cr_assert_eq(g->weight[1], 4.0);
    cr_assert_str_eq(g->layers[0].name, "payments");
    cr_assert_str_eq(g->layers[0].units, "USD");
    cr_assert_not(g->layers[0].directed);
    cr_assert_eq(g->layers[0].meaning, CP_MEANING_AMOUNT);
    cp_graph_free(&g);
}

Test(import_csv, pattern_ignores_values_and_length_accepts_inf) {
    const char *p = write_text(0, "e.csv", "source,target,w\na,b,-3\nb,c,junk\n");
    cp_csv_options o;
    cp_csv_options_init(&o);
    o.weight_col = "w";
    o.layer.pattern = true;
    cp_graph *g = import_ok(p, &o);
    cr_assert_eq(g->weight[0], 1.0);
    cr_assert_eq(g->weight[1], 1.0);
    cr_assert_eq(g->layers[0].meaning, CP_MEANING_NONE);
    cp_graph_free(&g);

    p = write_text(1, "len.csv", "source,target,w\na,b,inf\nb,c,0.5\n");
    o.layer.pattern = false;
    o.layer.meaning = CP_MEANING_LENGTH;
    g = import_ok(p, &o);
    cr_assert(isinf(g->weight[0]));
    cr_assert_eq(g->layers[0].meaning, CP_MEANING_LENGTH);
    cp_graph_free(&g);
}

Test(import_csv, tab_delimiter_and_crlf_and_lf_mixed) {
    const char *p = write_text(0, "e.tsv", "source\ttarget\r\n\"a\tb\"\tc\nc\td\r\n");
    cp_csv_options o;
    cp_csv_options_init(&o);
    o.delimiter = '\t';
    cp_graph *g = import_ok(p, &o);
    cr_assert_eq(g->n, 3);
    cr_assert_str_eq(g->ids_str[0], "a\tb");
    cp_graph_free(&g);
}

/* ---- weight and row errors --------------------------------------------------------------------
 */

Test(import_csv, bad_weights_name_file_line_and_column) {
    cp_csv_options o;
    cp_csv_options_init(&o);
    o.weight_col = "amount";
    struct {
        const char *value, *needle;
    } bad[] = {
        {"nan", "NaN"},           {"inf", "infinite"},  {"-1", "negative"},    {"", "empty"},
        {"1.5x", "not a number"}, {"-inf", "negative"}, {"1e999", "infinite"}, {"NaN", "NaN"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char text[256];
        snprintf(text, sizeof text, "source,target,amount\na,b,1\n# c\nb,c,%s\n", bad[i].value);
        const char *p = write_text(0, "w.csv", text);
        expect_error(CP_E_FORMAT, p, &o,
                     (const char *[]){"w.csv:4:", "column 'amount'", bad[i].needle, NULL});
    }
}

Test(import_csv, bad_time_is_rejected) {
    cp_csv_options o;
    cp_csv_options_init(&o);
    o.time_col = "time";
    const char *p = write_text(0, "t.csv", "source,target,time\na,b,12.5\n");
    expect_error(CP_E_FORMAT, p, &o, (const char *[]){"t.csv:2:", "column 'time'", NULL});
    p = write_text(0, "t2.csv", "source,target,time\na,b,\n");
    expect_error(CP_E_FORMAT, p, &o, (const char *[]){"t2.csv:2:", "empty", NULL});
}

Test(import_csv, wrong_field_count_names_line) {
    const char *p = write_text(0, "f.csv", "source,target\na,b\n\"x\ny\",c\nb,c,d\n");
    expect_error(CP_E_FORMAT, p, NULL,
                 (const char *[]){"f.csv:5:", "3 fields", "expected 2", NULL});
    p = write_text(0, "f2.csv", "source,target\na\n");
    expect_error(CP_E_FORMAT, p, NULL, (const char *[]){"f2.csv:2:", "1 field;", NULL});
}

Test(import_csv, empty_ids_and_bad_utf8_are_rejected) {
    const char *p = write_text(0, "e.csv", "source,target\na,\n");
    expect_error(CP_E_FORMAT, p, NULL, (const char *[]){"e.csv:2:", "empty", NULL});
    p = write_text(0, "u.csv", "source,target\na,\xC3\x28\n");
    expect_error(CP_E_FORMAT, p, NULL, (const char *[]){"u.csv:2:", "UTF-8", NULL});
}

Test(import_csv, unknown_column_lists_the_header) {
    const char *p = write_text(0, "c.csv", "from,to,amount\na,b,1\n");
    cp_csv_options o;
    cp_csv_options_init(&o);
    expect_error(CP_E_INVALID, p, &o,
                 (const char *[]){"c.csv:1:", "'source'", "'from', 'to', 'amount'", NULL});
    o.source_col = "from";
    o.target_col = "to";
    o.weight_col = "9";
    expect_error(CP_E_INVALID, p, &o, (const char *[]){"'9'", "1..3", NULL});
}

Test(import_csv, empty_or_comment_only_file_has_no_header) {
    const char *p = write_text(0, "empty.csv", "");
    expect_error(CP_E_FORMAT, p, NULL, (const char *[]){"empty.csv", "no header", NULL});
    p = write_text(0, "c.csv", "\xEF\xBB\xBF# only a comment\r\n\r\n");
    expect_error(CP_E_FORMAT, p, NULL, (const char *[]){"c.csv", "no header", NULL});
}

Test(import_csv, header_only_gives_empty_graph) {
    const char *p = write_text(0, "h.csv", "source,target\n");
    cp_graph *g = import_ok(p, NULL);
    cr_assert_eq(g->n, 0);
    cr_assert_eq(g->m, 0);
    cp_graph_free(&g);
}

Test(import_csv, missing_file_and_bad_arguments) {
    expect_error(CP_E_IO, "/nonexistent/edges.csv", NULL,
                 (const char *[]){"/nonexistent/edges.csv", NULL});
    cp_error err;
    cr_assert_eq(cp_import_csv(NULL, "x", NULL, &err), CP_E_INVALID);
    cp_graph *g = NULL;
    cr_assert_eq(cp_import_csv(&g, NULL, NULL, &err), CP_E_INVALID);
    cp_csv_options o;
    cp_csv_options_init(&o);
    o.delimiter = '"';
    const char *p = write_text(0, "x.csv", "source,target\na,b\n");
    expect_error(CP_E_INVALID, p, &o, (const char *[]){"delimiter", NULL});
    cp_csv_options_init(&o);
    o.kind_col = "kind";
    expect_error(CP_E_INVALID, p, &o, (const char *[]){"nodes_path", NULL});
}

/* ---- node tables ------------------------------------------------------------------------------
 */

static const char *nodes_text = "id,kind,country,groups,flag,label\n"
                                "n1,Company,kp,origin;front,1.0,x\n"
                                "n2,bank,RU, bank ,0,y\n"
                                "n3,,,,,1\n"
                                "iso,person,cn,front,yes,1.0\n";

Test(import_csv, node_table_attributes_groups_and_isolated_nodes) {
    const char *np = write_text(1, "nodes.csv", nodes_text);
    const char *ep = write_text(0, "edges.csv", "source,target\nn2,n1\nn3,n2\n");
    cp_csv_options o;
    cp_csv_options_init(&o);
    o.nodes_path = np;
    o.kind_col = "kind";
    o.country_col = "country";
    o.groups_col = "groups";
    o.group_rules[0] = "flagged=flag";
    o.group_rules[1] = "one=label:1";
    o.group_rules[2] = "never=flag:7";
    o.group_rules[3] = "why=label:y";
    o.n_group_rules = 4;
    cp_graph *g = import_ok(ep, &o);
    cr_assert_eq(g->n, 4, "the isolated node 'iso' is kept");
    cr_assert_eq(g->m, 2);
    cr_assert_str_eq(label(g, 0), "n1");
    cr_assert_str_eq(label(g, 3), "iso");
    cr_assert_eq(g->src[0], 1);
    cr_assert_eq(g->dst[0], 0);
    cr_assert_eq(g->kind[0], CP_KIND_COMPANY);
    cr_assert_eq(g->kind[1], CP_KIND_BANK);
    cr_assert_eq(g->kind[2], CP_KIND_OTHER);
    cr_assert_eq(g->kind[3], CP_KIND_PERSON);
    cr_assert_eq(memcmp(g->country, "KPRU\0\0CN", 8), 0);

    struct {
        const char *name;
        int64_t size;
        int32_t members[4];
    } want[] = {{"bank", 1, {1}},   {"flagged", 2, {0, 3}}, {"front", 2, {0, 3}}, {"never", 0, {0}},
                {"one", 2, {2, 3}}, {"origin", 1, {0}},     {"why", 1, {1}}};
    cr_assert_eq(g->n_groups, 7);
    for (int i = 0; i < 7; i++) {
        const cp_group *grp = cp__graph_find_group(g, want[i].name);
        cr_assert_not_null(grp, "group %s", want[i].name);
        cr_assert_eq(grp->size, want[i].size, "group %s has %lld members", want[i].name,
                     (long long)grp->size);
        for (int64_t k = 0; k < grp->size; k++) {
            cr_assert_eq(grp->members[k], want[i].members[k]);
        }
    }
    cp_graph_free(&g);
}

Test(import_csv, endpoint_missing_from_node_table) {
    const char *np = write_text(1, "nodes.csv", "id\na\nb\n");
    const char *ep = write_text(0, "edges.csv", "source,target\na,b\nb,zz\n");
    cp_csv_options o;
    cp_csv_options_init(&o);
    o.nodes_path = np;
    expect_error(CP_E_FORMAT, ep, &o, (const char *[]){"edges.csv:3:", "'zz'", "node table", NULL});
}

Test(import_csv, node_table_errors) {
    const char *ep = write_text(0, "edges.csv", "source,target\na,b\n");
    cp_csv_options o;
    cp_csv_options_init(&o);
    o.nodes_path = write_text(1, "dup.csv", "id\na\nb\na\n");
    expect_error(CP_E_FORMAT, ep, &o, (const char *[]){"dup.csv:4:", "'a'", "line 2", NULL});

    o.nodes_path = write_text(1, "k.csv", "id,kind\na,spaceship\nb,bank\n");
    o.kind_col = "kind";
    expect_error(CP_E_FORMAT, ep, &o, (const char *[]){"k.csv:2:", "column 'kind'", NULL});
    o.kind_col = NULL;

    o.nodes_path = write_text(1, "c.csv", "id,cc\na,USA\nb,\n");
    o.country_col = "cc";
    expect_error(CP_E_FORMAT, ep, &o, (const char *[]){"c.csv:2:", "alpha-2", NULL});
    o.country_col = NULL;

    o.nodes_path = write_text(1, "r.csv", "id,flag\na,1\nb,maybe\n");
    o.group_rules[0] = "g=flag";
    o.n_group_rules = 1;
    expect_error(CP_E_FORMAT, ep, &o, (const char *[]){"r.csv:3:", "maybe", NULL});
    o.group_rules[0] = "g=nosuch:1";
    expect_error(CP_E_INVALID, ep, &o, (const char *[]){"r.csv:1:", "'id', 'flag'", NULL});
    o.group_rules[0] = "=flag";
    expect_error(CP_E_INVALID, ep, &o, (const char *[]){"NAME=COLUMN", NULL});
    o.n_group_rules = 0;

    o.nodes_path = write_text(1, "n.csv", "");
    expect_error(CP_E_FORMAT, ep, &o, (const char *[]){"n.csv", "no header", NULL});
    o.nodes_path = write_text(1, "i.csv", "name\na\n");
    expect_error(CP_E_INVALID, ep, &o, (const char *[]){"i.csv:1:", "'id'", "'name'", NULL});
}

/* ---- allocation failures ----------------------------------------------------------------------
 */

Test(import_csv, every_allocation_failure_is_clean) {
    const char *np = write_text(1, "nodes.csv", nodes_text);
    const char *ep = write_text(0, "edges.csv", "source,target,w,t\nn2,n1,1,5\nn3,n2,2.5,6\n");
    cp_csv_options o;
    cp_csv_options_init(&o);
    o.nodes_path = np;
    o.kind_col = "kind";
    o.country_col = "country";
    o.groups_col = "groups";
    o.weight_col = "w";
    o.time_col = "t";
    o.group_rules[0] = "flagged=flag";
    o.group_rules[1] = "one=label:1";
    o.n_group_rules = 2;
    bool finished = false;
    for (long k = 0; k < 400; k++) {
        cp_graph *g = NULL;
        cp_error err;
        cp__alloc_fail_after(k);
        cp_status s = cp_import_csv(&g, ep, &o, &err);
        cp__alloc_fail_after(-1);
        if (s == CP_OK) {
            cr_assert_eq(g->n, 4);
            finished = true;
        } else {
            cr_assert_eq(s, CP_E_NOMEM, "allocation %ld: %s: %s", k, cp_status_name(s), err.msg);
            cr_assert_null(g);
        }
        cp_graph_free(&g);
    }
    cr_assert(finished);
}
