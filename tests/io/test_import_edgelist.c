/* The SNAP-style edge list importer (io/import.h). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "cp_test.h"
#include "graph_impl.h"
#include "import.h"

static char dir_buf[4096];
static char path_buf[4200];

static const char *write_bytes(const char *name, const char *bytes, size_t len) {
    if (dir_buf[0] == '\0') {
        snprintf(dir_buf, sizeof dir_buf, "%s", cp_test_tmpdir());
    }
    snprintf(path_buf, sizeof path_buf, "%s/%s", dir_buf, name);
    FILE *f = fopen(path_buf, "wb");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(bytes, 1, len, f), len);
    fclose(f);
    return path_buf;
}

static const char *write_text(const char *name, const char *text) {
    return write_bytes(name, text, strlen(text));
}

static cp_graph *import_ok(const char *path, const cp_layer_options *lo) {
    cp_graph *g = NULL;
    cp_error err;
    cp_status s = cp_import_edgelist(&g, path, lo, &err);
    cr_assert_eq(s, CP_OK, "%s: %s", cp_status_name(s), err.msg);
    return g;
}

static void expect_error(cp_status want, const char *path, const cp_layer_options *lo,
                         const char *const *needles) {
    cp_graph *g = NULL;
    cp_error err;
    cp_status s = cp_import_edgelist(&g, path, lo, &err);
    cr_assert_eq(s, want, "status %s, expected %s: %s", cp_status_name(s), cp_status_name(want),
                 err.msg);
    cr_assert_null(g);
    for (int i = 0; needles[i] != NULL; i++) {
        cr_assert(strstr(err.msg, needles[i]) != NULL, "message lacks '%s': %s", needles[i],
                  err.msg);
    }
}

Test(import_edgelist, snap_style_with_comments_blanks_crlf_and_tabs) {
    const char *p = write_text("g.txt", "# Directed graph\r\n"
                                        "% another comment\r\n"
                                        "   # indented comment\n"
                                        "\n"
                                        "3\t7\r\n"
                                        "  7   11  \n"
                                        "\t\n"
                                        "11 3\n"
                                        "3 3");
    cp_graph *g = import_ok(p, NULL);
    cr_assert_eq(g->n, 3);
    cr_assert_eq(g->m, 4);
    cr_assert(g->ids_are_int);
    cr_assert_eq(g->ids_int[0], 3);
    cr_assert_eq(g->ids_int[1], 7);
    cr_assert_eq(g->ids_int[2], 11);
    int32_t src[] = {0, 1, 2, 0}, dst[] = {1, 2, 0, 0};
    for (int e = 0; e < 4; e++) {
        cr_assert_eq(g->src[e], src[e]);
        cr_assert_eq(g->dst[e], dst[e]);
        cr_assert_eq(g->weight[e], 1.0);
    }
    cr_assert_str_eq(g->layers[0].name, "edges");
    cr_assert_eq(g->layers[0].meaning, CP_MEANING_NONE);
    cr_assert(g->layers[0].directed);
    cp_graph_free(&g);
}

Test(import_edgelist, labels_1_to_11_make_11_nodes) {
    const char *p = write_text("g.txt", "1 2\n3 4\n5 6\n7 8\n9 10\n11 1\n");
    cp_graph *g = import_ok(p, NULL);
    cr_assert_eq(g->n, 11);
    cp_graph_free(&g);
}

Test(import_edgelist, string_ids_weights_and_layer_options) {
    const char *p = write_text("w.txt", "alice bob 2.5\nbob carol 1e3\ncarol alice 0\n");
    cp_graph *g = import_ok(p, NULL);
    cr_assert_not(g->ids_are_int);
    cr_assert_str_eq(g->ids_str[2], "carol");
    cr_assert_eq(g->weight[0], 2.5);
    cr_assert_eq(g->weight[1], 1000.0);
    cr_assert_eq(g->weight[2], 0.0);
    cr_assert_eq(g->layers[0].meaning, CP_MEANING_AMOUNT);
    cp_graph_free(&g);

    cp_layer_options lo = {"trust", CP_MEANING_COUNT, "votes", true, false};
    g = import_ok(p, &lo);
    cr_assert_str_eq(g->layers[0].name, "trust");
    cr_assert_str_eq(g->layers[0].units, "votes");
    cr_assert_eq(g->layers[0].meaning, CP_MEANING_COUNT);
    cr_assert_not(g->layers[0].directed);
    cp_graph_free(&g);

    const char *q = write_text("neg.txt", "a b -4\nb c nan\n");
    cp_layer_options pat = {NULL, CP_MEANING_NONE, NULL, false, true};
    g = import_ok(q, &pat);
    cr_assert_eq(g->weight[0], 1.0);
    cr_assert_eq(g->weight[1], 1.0);
    cr_assert_eq(g->layers[0].meaning, CP_MEANING_NONE);
    cp_graph_free(&g);
}

Test(import_edgelist, malformed_lines_name_the_line) {
    expect_error(CP_E_FORMAT, write_text("a.txt", "# c\n1 2\n3\n"), NULL,
                 (const char *[]){"a.txt:3:", "1 field;", NULL});
    expect_error(CP_E_FORMAT, write_text("b.txt", "1 2 3 4\n"), NULL,
                 (const char *[]){"b.txt:1:", "more than 3", NULL});
    expect_error(CP_E_FORMAT, write_text("c.txt", "1 2 0.5\n\n2 3 x\n"), NULL,
                 (const char *[]){"c.txt:3:", "'x'", "not a number", NULL});
    expect_error(CP_E_FORMAT, write_text("d.txt", "1 2 0.5\n2 3 -1\n"), NULL,
                 (const char *[]){"d.txt:2:", "negative", NULL});
    expect_error(CP_E_FORMAT, write_text("e.txt", "1 2 nan\n"), NULL,
                 (const char *[]){"e.txt:1:", "NaN", NULL});
    expect_error(CP_E_FORMAT, write_text("f.txt", "1 2 inf\n"), NULL,
                 (const char *[]){"f.txt:1:", "infinite", NULL});
    expect_error(CP_E_FORMAT, write_text("g.txt", "1 2 1\n2 3\n"), NULL,
                 (const char *[]){"g.txt:2:", "line 1", NULL});
    expect_error(CP_E_FORMAT, write_bytes("h.txt", "1 2\n3\0 4\n", 8), NULL,
                 (const char *[]){"h.txt:2:", "NUL", NULL});
    expect_error(CP_E_FORMAT, write_text("i.txt", "1 \xff\n"), NULL,
                 (const char *[]){"i.txt:1:", "UTF-8", NULL});
}

Test(import_edgelist, inf_is_a_length) {
    cp_layer_options lo = {"dist", CP_MEANING_LENGTH, "km", false, false};
    cp_graph *g = import_ok(write_text("l.txt", "a b inf\nb c 2\n"), &lo);
    cr_assert_eq(g->layers[0].meaning, CP_MEANING_LENGTH);
    cp_graph_free(&g);
}

Test(import_edgelist, empty_file_and_missing_file) {
    expect_error(CP_E_FORMAT, write_text("empty.txt", ""), NULL,
                 (const char *[]){"empty.txt", "empty", NULL});
    expect_error(CP_E_IO, "/nonexistent/g.txt", NULL, (const char *[]){"/nonexistent/g.txt", NULL});
    cp_error err;
    cr_assert_eq(cp_import_edgelist(NULL, "x", NULL, &err), CP_E_INVALID);
    /* Only comments: a valid, empty graph. */
    cp_graph *g = import_ok(write_text("c.txt", "# nothing\n"), NULL);
    cr_assert_eq(g->n, 0);
    cr_assert_eq(g->m, 0);
    cp_graph_free(&g);
}

Test(import_edgelist, long_ids_are_kept_whole) {
    size_t big = 200000;
    char *text = malloc(2 * big + 8);
    memset(text, 'q', big);
    text[big] = ' ';
    memset(text + big + 1, 'r', big);
    memcpy(text + 2 * big + 1, "\n", 2);
    cp_graph *g = import_ok(write_text("big.txt", text), NULL);
    free(text);
    cr_assert_eq(g->n, 2);
    cr_assert_eq(strlen(g->ids_str[0]), big);
    cr_assert_eq(strlen(g->ids_str[1]), big);
    cp_graph_free(&g);
}

Test(import_edgelist, every_allocation_failure_is_clean) {
    const char *p = write_text("g.txt", "# c\na b 1\nb c 2\nc a 3\n");
    int ok = 0;
    for (long k = 0; k < 200; k++) {
        cp_graph *g = NULL;
        cp_error err;
        cp__alloc_fail_after(k);
        cp_status s = cp_import_edgelist(&g, p, NULL, &err);
        cp__alloc_fail_after(-1);
        if (s == CP_OK) {
            cr_assert_eq(g->m, 3);
            ok++;
        } else {
            cr_assert_eq(s, CP_E_NOMEM, "allocation %ld: %s", k, err.msg);
            cr_assert_null(g);
        }
        cp_graph_free(&g);
    }
    cr_assert(ok > 0);
}
