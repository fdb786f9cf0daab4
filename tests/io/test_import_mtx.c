/* The Matrix Market importer (io/import.h): hand-made files with known edges, and the shared
 * malformed files, each rejected with a message that says what is wrong. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "cp_test.h"
#include "graph_impl.h"
#include "import.h"

static char dir_buf[4096];
static char path_buf[4200];

static const char *write_text(const char *name, const char *text) {
    if (dir_buf[0] == '\0') {
        snprintf(dir_buf, sizeof dir_buf, "%s", cp_test_tmpdir());
    }
    snprintf(path_buf, sizeof path_buf, "%s/%s", dir_buf, name);
    FILE *f = fopen(path_buf, "wb");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(text, 1, strlen(text), f), strlen(text));
    fclose(f);
    return path_buf;
}

static cp_graph *import_ok(const char *path, const cp_layer_options *lo) {
    cp_graph *g = NULL;
    cp_error err;
    cp_status s = cp_import_mtx(&g, path, lo, &err);
    cr_assert_eq(s, CP_OK, "%s: %s", cp_status_name(s), err.msg);
    return g;
}

static void expect_error(const char *path, const cp_layer_options *lo, const char *const *needles) {
    cp_graph *g = NULL;
    cp_error err;
    cp_status s = cp_import_mtx(&g, path, lo, &err);
    cr_assert_eq(s, CP_E_FORMAT, "status %s: %s", cp_status_name(s), err.msg);
    cr_assert_null(g);
    for (int i = 0; needles[i] != NULL; i++) {
        cr_assert(strstr(err.msg, needles[i]) != NULL, "message lacks '%s': %s", needles[i],
                  err.msg);
    }
}

/* Checks the edge list against (src, dst, w) triples of 0-based indices. */
static void expect_edges(const cp_graph *g, int64_t m, const int32_t (*e)[2], const double *w) {
    cr_assert_eq(g->m, m, "m = %lld, expected %lld", (long long)g->m, (long long)m);
    for (int64_t k = 0; k < m; k++) {
        cr_assert_eq(g->src[k], e[k][0], "edge %lld source", (long long)k);
        cr_assert_eq(g->dst[k], e[k][1], "edge %lld target", (long long)k);
        cr_assert(cp_test_close(g->weight[k], w[k], 0, 1e-15), "edge %lld weight %g", (long long)k,
                  g->weight[k]);
    }
}

Test(import_mtx, coordinate_general_keeps_isolated_nodes) {
    const char *p = write_text("a.mtx", "%%MatrixMarket matrix coordinate real general\n"
                                        "% a comment\n"
                                        "\n"
                                        "5 5 3\n"
                                        "1 2 0.5\n"
                                        "3 1 2\n"
                                        "2 2 0\n");
    cp_graph *g = import_ok(p, NULL);
    cr_assert_eq(g->n, 5);
    cr_assert(g->ids_are_int);
    for (int32_t i = 0; i < 5; i++) {
        cr_assert_eq(g->ids_int[i], i + 1);
    }
    expect_edges(g, 3, (const int32_t[][2]){{0, 1}, {2, 0}, {1, 1}}, (const double[]){0.5, 2, 0});
    cr_assert_str_eq(g->layers[0].name, "edges");
    cr_assert_eq(g->layers[0].meaning, CP_MEANING_AMOUNT);
    cr_assert(g->layers[0].directed);
    cp_graph_free(&g);
}

Test(import_mtx, symmetric_both_directions_or_undirected_once) {
    const char *p = write_text("s.mtx", "%%matrixmarket MATRIX Coordinate Pattern Symmetric\n"
                                        "3 3 3\n"
                                        "2 1\n"
                                        "3 3\n"
                                        "1 3\n");
    cp_graph *g = import_ok(p, NULL);
    cr_assert_eq(g->n, 3);
    expect_edges(g, 5, (const int32_t[][2]){{1, 0}, {0, 1}, {2, 2}, {0, 2}, {2, 0}},
                 (const double[]){1, 1, 1, 1, 1});
    cr_assert(g->layers[0].directed);
    cr_assert_eq(g->layers[0].meaning, CP_MEANING_NONE);
    cp_graph_free(&g);

    cp_layer_options lo = {"links", CP_MEANING_NONE, NULL, true, false};
    g = import_ok(p, &lo);
    expect_edges(g, 3, (const int32_t[][2]){{1, 0}, {2, 2}, {0, 2}}, (const double[]){1, 1, 1});
    cr_assert_not(g->layers[0].directed);
    cr_assert_str_eq(g->layers[0].name, "links");
    cp_graph_free(&g);
}

Test(import_mtx, array_general_is_column_major_and_zero_is_no_edge) {
    /* [[1 0] [3 4]] column by column: 1 3 0 4. */
    const char *p = write_text("a.mtx", "%%MatrixMarket matrix array integer general\n"
                                        "2 2\n1\n3\n0\n4\n");
    cp_graph *g = import_ok(p, NULL);
    expect_edges(g, 3, (const int32_t[][2]){{0, 0}, {1, 0}, {1, 1}}, (const double[]){1, 3, 4});
    cp_graph_free(&g);
}

Test(import_mtx, array_symmetric_lower_triangle) {
    /* Column 1: a11 a21 a31; column 2: a22 a32; column 3: a33. */
    const char *p = write_text("s.mtx", "%%MatrixMarket matrix array real symmetric\n"
                                        "3 3\n1\n2\n0\n4\n5\n6\n");
    cp_graph *g = import_ok(p, NULL);
    expect_edges(g, 7, (const int32_t[][2]){{0, 0}, {1, 0}, {0, 1}, {1, 1}, {2, 1}, {1, 2}, {2, 2}},
                 (const double[]){1, 2, 2, 4, 5, 5, 6});
    cp_graph_free(&g);
}

Test(import_mtx, negative_values_need_pattern) {
    const char *p = write_text("n.mtx", "%%MatrixMarket matrix coordinate real general\n"
                                        "2 2 2\n1 2 3\n2 1 -1.5\n");
    expect_error(p, NULL, (const char *[]){"n.mtx:4:", "negative", "--pattern", NULL});
    cp_layer_options lo = {NULL, CP_MEANING_NONE, NULL, false, true};
    cp_graph *g = import_ok(p, &lo);
    expect_edges(g, 2, (const int32_t[][2]){{0, 1}, {1, 0}}, (const double[]){1, 1});
    cr_assert_eq(g->layers[0].meaning, CP_MEANING_NONE);
    cp_graph_free(&g);
}

Test(import_mtx, nan_inf_and_integer_values) {
    expect_error(write_text("nan.mtx", "%%MatrixMarket matrix coordinate real general\n"
                                       "2 2 1\n1 2 nan\n"),
                 NULL, (const char *[]){"nan.mtx:3:", "NaN", NULL});
    const char *inf = write_text("inf.mtx", "%%MatrixMarket matrix coordinate real general\n"
                                            "2 2 1\n1 2 inf\n");
    expect_error(inf, NULL, (const char *[]){"inf.mtx:3:", "infinite", NULL});
    cp_layer_options lo = {"d", CP_MEANING_LENGTH, "km", false, false};
    cp_graph *g = import_ok(inf, &lo);
    cr_assert(isinf(g->weight[0]));
    cp_graph_free(&g);
    expect_error(write_text("int.mtx", "%%MatrixMarket matrix coordinate integer general\n"
                                       "2 2 1\n1 2 1.5\n"),
                 NULL, (const char *[]){"int.mtx:3:", "not an integer", NULL});
}

Test(import_mtx, structural_errors_name_the_line) {
    expect_error(write_text("more.mtx", "%%MatrixMarket matrix coordinate real general\n"
                                        "2 2 1\n1 2 1\n2 1 1\n"),
                 NULL, (const char *[]){"more.mtx:4:", "more entries", "line 2", NULL});
    expect_error(write_text("fewer.mtx", "%%MatrixMarket matrix coordinate real general\n"
                                         "% c\n2 2 3\n1 2 1\n2 1 1\n"),
                 NULL, (const char *[]){"fewer.mtx:5:", "2 of the 3", "line 3", NULL});
    expect_error(write_text("zero.mtx", "%%MatrixMarket matrix coordinate real general\n"
                                        "2 2 1\n0 1 1\n"),
                 NULL, (const char *[]){"zero.mtx:3:", "row index '0'", "1..2", NULL});
    expect_error(write_text("arr.mtx", "%%MatrixMarket matrix array real general\n"
                                       "2 2\n1\n2\n3\n"),
                 NULL, (const char *[]){"arr.mtx:5:", "3 of the 4 values", NULL});
    expect_error(write_text("arr2.mtx", "%%MatrixMarket matrix array real general\n"
                                        "1 1\n1\n2\n"),
                 NULL, (const char *[]){"arr2.mtx:4:", "more values", NULL});
    expect_error(write_text("pat.mtx", "%%MatrixMarket matrix array pattern general\n1 1\n1\n"),
                 NULL, (const char *[]){"pat.mtx:1:", "pattern", NULL});
    expect_error(write_text("vec.mtx", "%%MatrixMarket vector coordinate real general\n"), NULL,
                 (const char *[]){"vec.mtx:1:", "'vector'", NULL});
    expect_error(write_text("short.mtx", "%%MatrixMarket matrix coordinate real\n"), NULL,
                 (const char *[]){"short.mtx:1:", "4 words", NULL});
    expect_error(write_text("cplx.mtx", "%%MatrixMarket matrix coordinate complex general\n"), NULL,
                 (const char *[]){"cplx.mtx:1:", "complex", NULL});
    expect_error(write_text("nosize.mtx", "%%MatrixMarket matrix coordinate real general\n% c\n"),
                 NULL, (const char *[]){"nosize.mtx:2:", "size line", NULL});
    expect_error(write_text("badsize.mtx", "%%MatrixMarket matrix coordinate real general\n"
                                           "2 x 1\n"),
                 NULL, (const char *[]){"badsize.mtx:2:", "'x'", NULL});
    expect_error(write_text("empty.mtx", ""), NULL, (const char *[]){"empty.mtx", "empty", NULL});
    expect_error(write_text("dup.mtx", "%%MatrixMarket matrix coordinate pattern symmetric\n"
                                       "3 3 3\n2 1\n3 3\n1 2\n"),
                 NULL, (const char *[]){"dup.mtx:5:", "(2, 1)", "line 3", NULL});
    expect_error(write_text("rect.mtx", "%%MatrixMarket matrix coordinate real general\n"
                                        "2 3 1\n1 3 1\n"),
                 NULL, (const char *[]){"rect.mtx:2:", "2 x 3", "not square", NULL});
    cp_graph *g = NULL;
    cp_error err;
    cr_assert_eq(cp_import_mtx(&g, "/nonexistent/x.mtx", NULL, &err), CP_E_IO);
    cr_assert(strstr(err.msg, "/nonexistent/x.mtx") != NULL, "%s", err.msg);
}

/* The shared malformed files: each is rejected, naming the line and the defect. */
Test(import_mtx, shared_malformed_files) {
    if (cp_test_shared("datasets/matrix-market/karate.mtx") == NULL) {
        cr_skip_test("../shared/datasets is absent");
    }
    struct {
        const char *file;
        const char *needles[3];
    } cases[] = {
        {"mangled1.mtx", {"mangled1.mtx:1:", "object 'mangled'", NULL}},
        {"mangled2.mtx", {"mangled2.mtx:1:", "format 'mangled'", NULL}},
        {"mangled3.mtx", {"mangled3.mtx:1:", "field 'mangled'", NULL}},
        {"mangled4.mtx", {"mangled4.mtx:1:", "symmetry 'mangled'", NULL}},
        {"mangled5.mtx", {"mangled5.mtx:1:", "hermitian", NULL}},
        {"mangled6.mtx", {"mangled6.mtx:1:", "hermitian", NULL}},
        {"mangled7.mtx", {"mangled7.mtx:5:", "expected 'row col value'", NULL}},
        {"mangled8.mtx", {"mangled8.mtx:4:", "size line has 1 number", NULL}},
        {"mangled9.mtx", {"mangled9.mtx:4:", "symmetric", "3 x 4"}},
        {"mangled10.mtx", {"mangled10.mtx:6:", "2 of the 3 entries", NULL}},
        {"mangled11.mtx", {"mangled11.mtx:5:", "'zero'", NULL}},
        {"mangled12.mtx", {"mangled12.mtx:5:", "expected 'row col value'", NULL}},
        {"mangled13.mtx", {"mangled13.mtx:7:", "'9999'", NULL}},
        {"mangled14.mtx", {"mangled14.mtx:8:", "(2, 2)", "line 7"}},
        {"mangled15.mtx", {"mangled15.mtx:5:", "one value per line", NULL}},
        {"mangled16.mtx", {"mangled16.mtx:5:", "complex", NULL}},
        {"full_noheader.mtx", {"full_noheader.mtx:1:", "banner", NULL}},
        {"empty.mtx", {"empty.mtx:4:", "3 x 4", "not square"}},
        {"skew_fp64.mtx", {"skew_fp64.mtx:1:", "skew-symmetric", NULL}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char rel[256];
        snprintf(rel, sizeof rel, "datasets/matrix-market/%s", cases[i].file);
        const char *p = cp_test_shared(rel);
        cr_assert_not_null(p, "%s is missing", rel);
        char path[4200];
        snprintf(path, sizeof path, "%s", p);
        const char *needles[4] = {cases[i].needles[0], cases[i].needles[1], cases[i].needles[2],
                                  NULL};
        expect_error(path, NULL, needles);
    }
}

Test(import_mtx, every_allocation_failure_is_clean) {
    const char *p = write_text("s.mtx", "%%MatrixMarket matrix coordinate real symmetric\n"
                                        "3 3 3\n2 1 1\n3 3 2\n3 1 0.5\n");
    int ok = 0;
    for (long k = 0; k < 100; k++) {
        cp_graph *g = NULL;
        cp_error err;
        cp__alloc_fail_after(k);
        cp_status s = cp_import_mtx(&g, p, NULL, &err);
        cp__alloc_fail_after(-1);
        if (s == CP_OK) {
            cr_assert_eq(g->m, 5);
            ok++;
        } else {
            cr_assert_eq(s, CP_E_NOMEM, "allocation %ld: %s", k, err.msg);
            cr_assert_null(g);
        }
        cp_graph_free(&g);
    }
    cr_assert(ok > 0);
}
