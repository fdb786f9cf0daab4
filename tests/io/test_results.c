/* Results files (io/results.h): the tmp-then-rename life cycle, refusing to overwrite the input,
 * datasets and attributes read back through the cp_h5_* readers and through HDF5 itself, error
 * statuses and messages, allocation failures, and SHA-256 against known values. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <hdf5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"
#include "cp_test.h"
#include "graph_h5.h"
#include "graph_impl.h"
#include "results.h"

static char dir[4096];

static void setup(void) {
    snprintf(dir, sizeof dir, "%s", cp_test_tmpdir());
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
}

static void teardown(void) {
    char cmd[4200];
    if (strncmp(dir, "/tmp/cp-test-", 13) == 0) {
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        if (system(cmd) != 0) {
            fprintf(stderr, "could not remove %s\n", dir);
        }
    }
}

TestSuite(results, .init = setup, .fini = teardown);

/* dir/name into a caller buffer. */
static char *in_dir(char *buf, size_t size, const char *name) {
    snprintf(buf, size, "%s/%s", dir, name);
    return buf;
}

/* Open HDF5 objects (files, groups, datasets, attributes, named types), to check that no path
 * of the library leaks a handle. */
typedef struct id_counts {
    ssize_t n;
} id_counts;

static id_counts open_ids(void) {
    id_counts c = {H5Fget_obj_count((hid_t)H5F_OBJ_ALL, H5F_OBJ_ALL)};
    return c;
}

static void assert_same_ids(id_counts before, const char *what) {
    id_counts after = open_ids();
    cr_assert_eq(after.n, before.n, "%s leaked HDF5 handles (%zd open before, %zd after)", what,
                 before.n, after.n);
}

static bool file_exists(const char *path) {
    struct stat st;
    return stat(path, &st) == 0;
}

static void ok(cp_status s, const cp_error *err) {
    cr_assert_eq(s, CP_OK, "status %s: %s", cp_status_name(s), err->msg);
}

static id_counts baseline;

static void expect(cp_status got, cp_status want, const cp_error *err, const char *needle1,
                   const char *needle2) {
    cr_log_info("%s", err->msg);
    if (want != CP_E_INVALID || got != want) { /* an open results file may be holding ids */
        assert_same_ids(baseline, err->msg);
    }
    cr_assert_eq(got, want, "status %s, expected %s: %s", cp_status_name(got), cp_status_name(want),
                 err->msg);
    if (needle1 != NULL) {
        cr_assert_not_null(strstr(err->msg, needle1), "message lacks \"%s\": %s", needle1,
                           err->msg);
    }
    if (needle2 != NULL) {
        cr_assert_not_null(strstr(err->msg, needle2), "message lacks \"%s\": %s", needle2,
                           err->msg);
    }
}

static void write_bytes(const char *path, const char *bytes, size_t len) {
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(bytes, 1, len, f), len);
    fclose(f);
}

static cp_graph *string_ids_graph(void) {
    cp_graph *g = NULL;
    cp_error err;
    int li;
    static const char *const ids[] = {"Zürich AG", "O\"Brien, Ltd", "x"};
    ok(cp_graph_new(&g, &err), &err);
    ok(cp__graph_alloc_nodes(g, 3, false, &err), &err);
    ok(cp__graph_alloc_edges(g, 0, false, &err), &err);
    ok(cp__graph_add_layer(g, "t", CP_MEANING_NONE, "", true, &li, &err), &err);
    for (int i = 0; i < 3; i++) {
        g->ids_str[i] = cp__strdup(ids[i]);
    }
    ok(cp__graph_finalize(g, &err), &err);
    return g;
}

/* Reads a 1-D variable-length string dataset with HDF5 itself; returns the count. */
static int read_strings_h5(const char *file, const char *name, char out[][64], int max) {
    hid_t f = H5Fopen(file, H5F_ACC_RDONLY, H5P_DEFAULT);
    cr_assert_geq(f, 0);
    hid_t d = H5Dopen2(f, name, H5P_DEFAULT);
    cr_assert_geq(d, 0, "%s has no %s", file, name);
    hid_t t = H5Dget_type(d);
    cr_assert(H5Tis_variable_str(t) > 0);
    cr_assert_eq(H5Tget_cset(t), H5T_CSET_UTF8);
    hid_t sp = H5Dget_space(d);
    int n = (int)H5Sget_simple_extent_npoints(sp);
    cr_assert_leq(n, max);
    char *raw[16] = {0};
    cr_assert_geq(H5Dread(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, raw), 0);
    for (int i = 0; i < n; i++) {
        snprintf(out[i], 64, "%s", raw[i]);
    }
    H5Dvlen_reclaim(t, sp, H5P_DEFAULT, raw);
    H5Sclose(sp);
    H5Tclose(t);
    H5Dclose(d);
    H5Fclose(f);
    return n;
}

/* ---- the life cycle ------------------------------------------------------------------------ */

Test(results, create_write_commit_and_read_back) {
    char in[4300], out[4300], tmp[4400];
    in_dir(in, sizeof in, "net.h5");
    in_dir(out, sizeof out, "ranks.h5");
    snprintf(tmp, sizeof tmp, "%s.tmp", out);
    static const int32_t src[] = {0, 1, 2, 3}, dst[] = {1, 2, 3, 4};
    cp_graph *g = cp_test_graph(5, 4, src, dst, NULL, "t", CP_MEANING_NONE, true);
    cp_error err;
    ok(cp_graph_write_h5(g, in, NULL, &err), &err);

    cp_results *r = NULL;
    ok(cp_results_create(&r, out, in, &err), &err);
    cr_assert_not_null(r);
    cr_assert(file_exists(tmp));
    cr_assert(!file_exists(out));
    ok(cp_results_write_ids(r, g, &err), &err);
    static const double pr[] = {0.1, 0.2, 0.3, 0.25, 0.15};
    int64_t d5[1] = {5};
    ok(cp_results_write_f64(r, "/centrality/pagerank", 1, d5, pr, "PageRank", &err), &err);
    double curve[3][4];
    for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 4; j++) {
            curve[i][j] = i + j / 10.0;
        }
    }
    int64_t d34[2] = {3, 4};
    ok(cp_results_write_f64(r, "/scenarios/s1/curve/lcc", 2, d34, &curve[0][0], NULL, &err), &err);
    static const int32_t removed[] = {3, 1, 4};
    int64_t d3[1] = {3};
    ok(cp_results_write_i32(r, "/scenarios/s1/removed", 1, d3, removed, "removal order", &err),
       &err);
    static const int64_t big[] = {3000000000LL, -1, 0};
    ok(cp_results_write_i64(r, "/misc/big", 1, d3, big, "int64", &err), &err);
    static const uint8_t blocked[] = {1, 0, 1};
    ok(cp_results_write_u8(r, "/ownership/blocked", 1, d3, blocked, "blocked", &err), &err);
    const char *const names[] = {"degree", "Zürich, \"quoted\"", NULL};
    ok(cp_results_write_strings(r, "/misc/names", 3, names, "names", &err), &err);
    ok(cp_results_attr_str(r, "/provenance", "command_line", "chokepoint rank net.h5", &err), &err);
    ok(cp_results_attr_i64(r, "/provenance", "seed", 7, &err), &err);
    ok(cp_results_attr_f64(r, "/centrality/pagerank", "damping", 0.85, &err), &err);
    ok(cp_results_attr_f64(r, "/", "wall_time", 1.5, &err), &err);
    ok(cp_results_attr_str(r, "/provenance", "command_line", "replaced", &err), &err);
    ok(cp_results_attr_str(r, "/deep/new/group", "note", "made on demand", &err), &err);
    ok(cp_results_commit(&r, &err), &err);
    cr_assert_null(r);
    cr_assert(file_exists(out));
    cr_assert(!file_exists(tmp), "the temporary file was left behind");

    char *s = NULL;
    double v = 0;
    ok(cp_h5_read_attr_str(out, "/", "schema", &s, &err), &err);
    cr_assert_str_eq(s, "chokepoint-results");
    free(s);
    ok(cp_h5_read_attr_f64(out, "/", "schema_version", &v, &err), &err);
    cr_assert_eq(v, 1.0);
    ok(cp_h5_read_attr_f64(out, "/", "wall_time", &v, &err), &err);
    cr_assert_eq(v, 1.5);
    ok(cp_h5_read_attr_str(out, "/provenance", "command_line", &s, &err), &err);
    cr_assert_str_eq(s, "replaced");
    free(s);
    ok(cp_h5_read_attr_f64(out, "/provenance", "seed", &v, &err), &err);
    cr_assert_eq(v, 7.0);
    ok(cp_h5_read_attr_f64(out, "/centrality/pagerank", "damping", &v, &err), &err);
    cr_assert_eq(v, 0.85);
    ok(cp_h5_read_attr_str(out, "/centrality/pagerank", "description", &s, &err), &err);
    cr_assert_str_eq(s, "PageRank");
    free(s);
    ok(cp_h5_read_attr_str(out, "/deep/new/group", "note", &s, &err), &err);
    cr_assert_str_eq(s, "made on demand");
    free(s);

    double *data = NULL;
    int64_t dims[2];
    ok(cp_h5_read_f64(out, "/centrality/pagerank", &data, dims, &err), &err);
    cr_assert_eq(dims[0], 5);
    cr_assert_eq(dims[1], 1);
    for (int i = 0; i < 5; i++) {
        cr_assert_eq(data[i], pr[i]);
    }
    free(data);
    ok(cp_h5_read_f64(out, "/scenarios/s1/curve/lcc", &data, dims, &err), &err);
    cr_assert_eq(dims[0], 3);
    cr_assert_eq(dims[1], 4);
    for (int i = 0; i < 12; i++) {
        cr_assert_eq(data[i], (&curve[0][0])[i]);
    }
    free(data);
    ok(cp_h5_read_f64(out, "/nodes/id", &data, dims, &err), &err); /* int64 ids, converted */
    cr_assert_eq(dims[0], 5);
    cr_assert_eq(data[4], 4.0);
    free(data);
    ok(cp_h5_read_f64(out, "/misc/big", &data, dims, &err), &err);
    cr_assert_eq(data[0], 3e9);
    cr_assert_eq(data[1], -1.0);
    free(data);
    int32_t *ints = NULL;
    int64_t count = 0;
    ok(cp_h5_read_i32(out, "/scenarios/s1/removed", &ints, &count, &err), &err);
    cr_assert_eq(count, 3);
    cr_assert_eq(memcmp(ints, removed, sizeof removed), 0);
    free(ints);
    ok(cp_h5_read_i32(out, "/ownership/blocked", &ints, &count, &err), &err);
    cr_assert_eq(count, 3);
    cr_assert_eq(ints[0], 1);
    cr_assert_eq(ints[1], 0);
    free(ints);
    char strings[4][64];
    cr_assert_eq(read_strings_h5(out, "/misc/names", strings, 4), 3);
    cr_assert_str_eq(strings[0], "degree");
    cr_assert_str_eq(strings[1], "Zürich, \"quoted\"");
    cr_assert_str_eq(strings[2], "");

    char **list = NULL;
    int n = 0;
    ok(cp_h5_list(out, "/", &list, &n, &err), &err);
    static const char *const top[] = {"centrality", "deep",       "misc",     "nodes",
                                      "ownership",  "provenance", "scenarios"};
    cr_assert_eq(n, 7);
    for (int i = 0; i < n; i++) {
        cr_assert_str_eq(list[i], top[i]);
    }
    cp_h5_free_names(list, n);
    ok(cp_h5_list(out, "/scenarios/s1", &list, &n, &err), &err);
    cr_assert_eq(n, 2);
    cr_assert_str_eq(list[0], "curve");
    cr_assert_str_eq(list[1], "removed");
    cp_h5_free_names(list, n);
    ok(cp_h5_list(out, "/provenance", &list, &n, &err), &err); /* an empty group */
    cr_assert_eq(n, 0);
    cp_h5_free_names(list, n);

    cr_assert(cp_h5_exists(out, "/scenarios/s1/curve/lcc"));
    cr_assert(cp_h5_exists(out, "/"));
    cr_assert(!cp_h5_exists(out, "/scenarios/s2"));
    cr_assert(!cp_h5_exists(out, "/no/such/path"));
    cr_assert(!cp_h5_exists(out, "/centrality/pagerank/below"));
    cr_assert(!cp_h5_exists(in_dir(tmp, sizeof tmp, "absent.h5"), "/"));
    cp_graph_free(&g);
}

Test(results, string_ids_and_the_graph_file_through_the_readers) {
    char out[4300];
    in_dir(out, sizeof out, "ids.h5");
    cp_graph *g = string_ids_graph();
    cp_error err;
    cp_results *r = NULL;
    ok(cp_results_create(&r, out, NULL, &err), &err);
    ok(cp_results_write_ids(r, g, &err), &err);
    ok(cp_results_commit(&r, &err), &err);
    char strings[4][64];
    cr_assert_eq(read_strings_h5(out, "/nodes/id", strings, 4), 3);
    cr_assert_str_eq(strings[0], "Zürich AG");
    cr_assert_str_eq(strings[1], "O\"Brien, Ltd");
    cp_graph_free(&g);

    /* The generic readers work on graph files too (compare uses them on any HDF5 file). */
    char net[4300];
    in_dir(net, sizeof net, "g.h5");
    static const int32_t src[] = {0, 1}, dst[] = {1, 0};
    g = cp_test_graph(2, 2, src, dst, NULL, "t", CP_MEANING_NONE, true);
    ok(cp_graph_write_h5(g, net, "test", &err), &err);
    int32_t *ints = NULL;
    int64_t count = 0;
    ok(cp_h5_read_i32(net, "/edges/target", &ints, &count, &err), &err);
    cr_assert_eq(count, 2);
    cr_assert_eq(ints[0], 1);
    free(ints);
    char *s = NULL;
    ok(cp_h5_read_attr_str(net, "/layers/t", "meaning", &s, &err), &err);
    cr_assert_str_eq(s, "none");
    free(s);
    double v = 0;
    ok(cp_h5_read_attr_f64(net, "/layers/t", "directed", &v, &err), &err);
    cr_assert_eq(v, 1.0);
    ok(cp_h5_read_attr_str(net, "/", "created_by", &s, &err), &err);
    cr_assert_str_eq(s, "test");
    free(s);
    cp_graph_free(&g);
}

Test(results, empty_and_large_datasets) {
    char out[4300];
    in_dir(out, sizeof out, "sizes.h5");
    cp_error err;
    cp_results *r = NULL;
    ok(cp_results_create(&r, out, NULL, &err), &err);
    int64_t zero[1] = {0}, zero2[2] = {0, 7};
    ok(cp_results_write_f64(r, "/empty", 1, zero, NULL, "nothing", &err), &err);
    ok(cp_results_write_f64(r, "/empty2", 2, zero2, NULL, NULL, &err), &err);
    ok(cp_results_write_strings(r, "/nostrings", 0, NULL, NULL, &err), &err);
    enum { BIG = 200000, ROWS = 3, COLS = 150000 };
    double *big = malloc(BIG * sizeof *big), *wide = malloc((size_t)ROWS * COLS * sizeof *wide);
    for (int i = 0; i < BIG; i++) {
        big[i] = i * 0.5;
    }
    for (int i = 0; i < ROWS * COLS; i++) {
        wide[i] = -i;
    }
    int64_t dbig[1] = {BIG}, dwide[2] = {ROWS, COLS};
    ok(cp_results_write_f64(r, "/big", 1, dbig, big, "big", &err), &err);
    ok(cp_results_write_f64(r, "/wide", 2, dwide, wide, "wide", &err), &err);
    ok(cp_results_commit(&r, &err), &err);

    double *data = NULL;
    int64_t dims[2];
    ok(cp_h5_read_f64(out, "/empty", &data, dims, &err), &err);
    cr_assert_eq(dims[0], 0);
    cr_assert_not_null(data);
    free(data);
    ok(cp_h5_read_f64(out, "/empty2", &data, dims, &err), &err);
    cr_assert_eq(dims[0], 0);
    cr_assert_eq(dims[1], 7);
    free(data);
    ok(cp_h5_read_f64(out, "/big", &data, dims, &err), &err);
    cr_assert_eq(dims[0], BIG);
    cr_assert_eq(memcmp(data, big, BIG * sizeof *big), 0);
    free(data);
    ok(cp_h5_read_f64(out, "/wide", &data, dims, &err), &err);
    cr_assert_eq(dims[0], ROWS);
    cr_assert_eq(dims[1], COLS);
    cr_assert_eq(memcmp(data, wide, (size_t)ROWS * COLS * sizeof *wide), 0);
    free(data);

    /* Large datasets are chunked (at most 1 MiB a chunk) and compressed; small ones are not. */
    hid_t f = H5Fopen(out, H5F_ACC_RDONLY, H5P_DEFAULT);
    static const char *const names[] = {"/big", "/wide"};
    for (int k = 0; k < 2; k++) {
        hid_t d = H5Dopen2(f, names[k], H5P_DEFAULT);
        hid_t dcpl = H5Dget_create_plist(d);
        cr_assert_eq(H5Pget_layout(dcpl), H5D_CHUNKED, "%s", names[k]);
        hsize_t chunk[2] = {1, 1};
        int rank = H5Pget_chunk(dcpl, 2, chunk);
        cr_assert_leq(chunk[0] * (rank == 2 ? chunk[1] : 1) * sizeof(double), (size_t)1 << 20);
        cr_assert_geq(H5Pget_nfilters(dcpl), 2);
        H5Pclose(dcpl);
        H5Dclose(d);
    }
    H5Fclose(f);
    free(big);
    free(wide);
}

Test(results, abort_leaves_nothing) {
    char out[4300], tmp[4400];
    in_dir(out, sizeof out, "aborted.h5");
    snprintf(tmp, sizeof tmp, "%s.tmp", out);
    cp_error err;
    cp_results *r = NULL;
    ok(cp_results_create(&r, out, NULL, &err), &err);
    static const double x[] = {1, 2};
    int64_t d2[1] = {2};
    ok(cp_results_write_f64(r, "/x", 1, d2, x, NULL, &err), &err);
    cr_assert(file_exists(tmp));
    cp_results_abort(&r);
    cr_assert_null(r);
    cr_assert(!file_exists(out));
    cr_assert(!file_exists(tmp));
    cp_results_abort(&r);   /* *r == NULL */
    cp_results_abort(NULL); /* NULL */
    cr_assert_eq(cp_results_commit(&r, &err), CP_E_INVALID);

    /* A stale tmp file from a crashed run is replaced. */
    write_bytes(tmp, "garbage", 7);
    ok(cp_results_create(&r, out, NULL, &err), &err);
    ok(cp_results_commit(&r, &err), &err);
    cr_assert(file_exists(out));
    cr_assert(!file_exists(tmp));
}

Test(results, refuses_to_overwrite_its_input) {
    char in[4300], alias[4300], slink[4300], hard[4300], tmp_in[4300], out[4300];
    in_dir(in, sizeof in, "in.h5");
    write_bytes(in, "precious", 8);
    snprintf(alias, sizeof alias, "%s/./in.h5", dir);
    in_dir(slink, sizeof slink, "link.h5");
    in_dir(hard, sizeof hard, "hard.h5");
    cr_assert_eq(symlink(in, slink), 0);
    cr_assert_eq(link(in, hard), 0);
    const char *const same[] = {in, alias, slink, hard};
    cp_error err;
    for (int k = 0; k < 4; k++) {
        cp_results *r = (cp_results *)&r;
        cp_status s = cp_results_create(&r, same[k], in, &err);
        expect(s, CP_E_INVALID, &err, "refusing", same[k]);
        cr_assert_null(r);
        char tmp[4400];
        snprintf(tmp, sizeof tmp, "%s.tmp", same[k]);
        cr_assert(!file_exists(tmp));
    }
    /* Writing out.h5 would create out.h5.tmp: refused when that is the input. */
    in_dir(tmp_in, sizeof tmp_in, "out.h5.tmp");
    write_bytes(tmp_in, "precious", 8);
    in_dir(out, sizeof out, "out.h5");
    cp_results *r = NULL;
    expect(cp_results_create(&r, out, tmp_in, &err), CP_E_INVALID, &err, "refusing", NULL);
    FILE *f = fopen(in, "rb");
    char buf[16] = "";
    cr_assert_eq(fread(buf, 1, sizeof buf, f), 8);
    fclose(f);
    cr_assert_eq(memcmp(buf, "precious", 8), 0);
    f = fopen(tmp_in, "rb");
    cr_assert_eq(fread(buf, 1, sizeof buf, f), 8);
    fclose(f);
    cr_assert_eq(memcmp(buf, "precious", 8), 0);
    /* A different output is fine, and so is an input that does not exist. */
    ok(cp_results_create(&r, out, in, &err), &err);
    cp_results_abort(&r);
    ok(cp_results_create(&r, out, "/nonexistent/input.h5", &err), &err);
    cp_results_abort(&r);
}

/* ---- errors -------------------------------------------------------------------------------- */

Test(results, writer_errors) {
    char out[4300];
    cp_error err;
    cp_results *r = NULL;
    baseline = open_ids();
    snprintf(out, sizeof out, "%s/missing-dir/out.h5", dir);
    expect(cp_results_create(&r, out, NULL, &err), CP_E_IO, &err, out, NULL);
    cr_assert_null(r);

    in_dir(out, sizeof out, "errors.h5");
    ok(cp_results_create(&r, out, NULL, &err), &err);
    static const double x[] = {1, 2, 3};
    int64_t d3[1] = {3}, dneg[1] = {-1};
    ok(cp_results_write_f64(r, "/a/x", 1, d3, x, NULL, &err), &err);
    expect(cp_results_write_f64(r, "/a/x", 1, d3, x, NULL, &err), CP_E_INVALID, &err, "/a/x",
           "already exists");
    expect(cp_results_write_f64(r, "relative", 1, d3, x, NULL, &err), CP_E_INVALID, &err,
           "absolute", NULL);
    expect(cp_results_write_f64(r, "/three", 3, d3, x, NULL, &err), CP_E_INVALID, &err, "rank",
           NULL);
    expect(cp_results_write_f64(r, "/neg", 1, dneg, x, NULL, &err), CP_E_INVALID, &err, "negative",
           NULL);
    expect(cp_results_write_f64(r, "/nodata", 1, d3, NULL, NULL, &err), CP_E_INVALID, &err,
           "/nodata", NULL);
    expect(cp_results_write_f64(r, "/a/x/below", 1, d3, x, NULL, &err), CP_E_INVALID, &err,
           "/a/x/below", NULL);
    expect(cp_results_write_f64(NULL, "/z", 1, d3, x, NULL, &err), CP_E_INVALID, &err, NULL, NULL);
    expect(cp_results_attr_str(r, "/a/x/below", "k", "v", &err), CP_E_INVALID, &err, "/a/x/below",
           NULL);
    ok(cp_results_commit(&r, &err), &err);
    cr_assert(file_exists(out));
}

Test(results, reader_errors) {
    char out[4300], text[4300], missing[4300];
    in_dir(out, sizeof out, "r.h5");
    in_dir(text, sizeof text, "text.h5");
    in_dir(missing, sizeof missing, "missing.h5");
    write_bytes(text, "not hdf5\n", 9);
    baseline = open_ids();
    cp_error err;
    cp_results *r = NULL;
    ok(cp_results_create(&r, out, NULL, &err), &err);
    static const double x[] = {1.5, 2};
    int64_t d2[1] = {2};
    ok(cp_results_write_f64(r, "/x", 1, d2, x, NULL, &err), &err);
    ok(cp_results_attr_str(r, "/x", "label", "two", &err), &err);
    ok(cp_results_commit(&r, &err), &err);
    /* a rank-3 dataset, written by HDF5 directly */
    hid_t f = H5Fopen(out, H5F_ACC_RDWR, H5P_DEFAULT);
    hsize_t dims3[3] = {1, 1, 1};
    hid_t sp = H5Screate_simple(3, dims3, NULL);
    hid_t d = H5Dcreate2(f, "/cube", H5T_IEEE_F64LE, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Dclose(d);
    H5Sclose(sp);
    H5Fclose(f);
    baseline = open_ids();

    double *data = (double *)&data, v = 0;
    int64_t dims[2];
    int32_t *ints = NULL;
    int64_t count = 0;
    char *s = NULL, **names = NULL;
    int n = 0;
    expect(cp_h5_read_f64(missing, "/x", &data, dims, &err), CP_E_IO, &err, missing, NULL);
    cr_assert_null(data);
    expect(cp_h5_read_f64(text, "/x", &data, dims, &err), CP_E_FORMAT, &err, text, "HDF5");
    expect(cp_h5_read_f64(out, "/y", &data, dims, &err), CP_E_FORMAT, &err, out, "/y");
    expect(cp_h5_read_f64(out, "/cube", &data, dims, &err), CP_E_FORMAT, &err, out, "/cube");
    expect(cp_h5_read_i32(out, "/x", &ints, &count, &err), CP_E_FORMAT, &err, out, "/x");
    cr_assert_null(ints);
    expect(cp_h5_read_attr_str(out, "/x", "nope", &s, &err), CP_E_FORMAT, &err, out, "'nope'");
    cr_assert_null(s);
    expect(cp_h5_read_attr_str(out, "/nowhere", "label", &s, &err), CP_E_FORMAT, &err, out,
           "/nowhere");
    expect(cp_h5_read_attr_str(out, "/", "schema_version", &s, &err), CP_E_FORMAT, &err,
           "schema_version", "expected a string");
    expect(cp_h5_read_attr_f64(out, "/x", "label", &v, &err), CP_E_FORMAT, &err, "label",
           "expected a number");
    expect(cp_h5_read_attr_f64(missing, "/", "x", &v, &err), CP_E_IO, &err, missing, NULL);
    expect(cp_h5_list(out, "/absent", &names, &n, &err), CP_E_FORMAT, &err, out, "/absent");
    expect(cp_h5_list(out, "/x", &names, &n, &err), CP_E_FORMAT, &err, out, "not a group");
    cr_assert_null(names);
    cr_assert_eq(n, 0);
}

/* ---- allocation failures ------------------------------------------------------------------- */

static cp_status write_all(const char *out, const cp_graph *g) {
    cp_error err;
    cp_results *r = NULL;
    static const double x[] = {1, 2, 3};
    const char *const names[] = {"a", NULL, "c"};
    int64_t d3[1] = {3};
    cp_status s = cp_results_create(&r, out, NULL, &err);
    if (s == CP_OK) {
        s = cp_results_write_ids(r, g, &err);
    }
    if (s == CP_OK) {
        s = cp_results_write_f64(r, "/c/x", 1, d3, x, "x", &err);
    }
    if (s == CP_OK) {
        s = cp_results_write_strings(r, "/c/names", 3, names, "names", &err);
    }
    if (s == CP_OK) {
        s = cp_results_attr_str(r, "/provenance", "k", "v", &err);
    }
    if (s == CP_OK) {
        return cp_results_commit(&r, &err);
    }
    cp_results_abort(&r);
    return s;
}

Test(results, every_allocation_failure_is_clean) {
    char out[4300], tmp[4400];
    in_dir(out, sizeof out, "fault.h5");
    snprintf(tmp, sizeof tmp, "%s.tmp", out);
    cp_graph *g = string_ids_graph();
    cp_status s = CP_E_NOMEM;
    long k;
    for (k = 0; k < 1000 && s == CP_E_NOMEM; k++) {
        id_counts before = open_ids();
        cp__alloc_fail_after(k);
        s = write_all(out, g);
        cp__alloc_fail_after(-1);
        assert_same_ids(before, "write_all");
        cr_assert(s == CP_OK || s == CP_E_NOMEM, "fault %ld: %s", k, cp_status_name(s));
        cr_assert(!file_exists(tmp));
        cr_assert_eq(file_exists(out), s == CP_OK);
    }
    cr_assert_eq(s, CP_OK);
    char **names = NULL;
    int n = 0;
    cp_error err;
    s = CP_E_NOMEM;
    for (k = 0; k < 1000 && s == CP_E_NOMEM; k++) {
        id_counts before = open_ids();
        cp__alloc_fail_after(k);
        s = cp_h5_list(out, "/", &names, &n, &err);
        cp__alloc_fail_after(-1);
        assert_same_ids(before, "cp_h5_list");
        cr_assert(s == CP_OK || s == CP_E_NOMEM, "fault %ld: %s", k, err.msg);
    }
    ok(s, &err);
    cr_assert_eq(n, 3);
    cp_h5_free_names(names, n);
    cp_graph_free(&g);
}

/* ---- SHA-256 ------------------------------------------------------------------------------- */

Test(results, sha256_known_vectors) {
    char path[4300], hex[65];
    cp_error err;
    in_dir(path, sizeof path, "abc.txt");
    write_bytes(path, "abc", 3);
    ok(cp_sha256_file(path, hex, &err), &err);
    cr_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    in_dir(path, sizeof path, "empty.txt");
    write_bytes(path, "", 0);
    ok(cp_sha256_file(path, hex, &err), &err);
    cr_assert_str_eq(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    /* FIPS 180-2 appendix B.2: two blocks */
    in_dir(path, sizeof path, "two.txt");
    const char *msg = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    write_bytes(path, msg, strlen(msg));
    ok(cp_sha256_file(path, hex, &err), &err);
    cr_assert_str_eq(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");

    in_dir(path, sizeof path, "absent.txt");
    baseline = open_ids();
    expect(cp_sha256_file(path, hex, &err), CP_E_IO, &err, path, NULL);
    expect(cp_sha256_file(dir, hex, &err), CP_E_IO, &err, dir, NULL);
}

Test(results, sha256_matches_sha256sum) {
    if (system("sha256sum --version >/dev/null 2>&1") != 0) {
        cr_skip_test("sha256sum is not installed");
    }
    char path[4300], hex[65], cmd[4500], want[65] = "";
    in_dir(path, sizeof path, "big.bin");
    enum { SIZE = 300001 }; /* several 64 KiB blocks and a partial one */
    char *bytes = malloc(SIZE);
    uint32_t x = 12345;
    for (int i = 0; i < SIZE; i++) {
        x = x * 1103515245u + 12345u;
        bytes[i] = (char)(x >> 24);
    }
    write_bytes(path, bytes, SIZE);
    free(bytes);
    cp_error err;
    ok(cp_sha256_file(path, hex, &err), &err);
    snprintf(cmd, sizeof cmd, "sha256sum '%s'", path);
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p);
    cr_assert_eq(fscanf(p, "%64s", want), 1);
    pclose(p);
    cr_assert_str_eq(hex, want);
}
