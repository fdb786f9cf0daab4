/* The HDF5 graph file (io/graph_h5.h): round trips compared element by element, the files of
 * cases.json "hdf5-29" built with the HDF5 C API, every kind of bad file rejected with the exact
 * status and a message naming the file and the dataset, allocation failures, and an independent
 * reader (h5py) of a file we wrote. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <hdf5.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"
#include "cp_test.h"
#include "graph_h5.h"
#include "graph_impl.h"

/* ---- fixtures ------------------------------------------------------------------------------ */

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

TestSuite(graph_h5, .init = setup, .fini = teardown);

/* dir/name (static buffer: copy before the next call). */
static const char *in_dir(const char *name) {
    static char path[4300];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return path;
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

/* A graph with integer ids (one beyond int32), names (some missing), kinds, countries,
 * designations, two layers added out of name order, a time column, four groups (one empty) and
 * two isolated nodes. */
static cp_graph *rich_int_graph(void) {
    cp_graph *g = NULL;
    cp_error err;
    int trade = -1, own = -1;
    static const int64_t ids[] = {10, 20, 3000000000LL, -5, 7, 8, 9};
    static const char *const names[] = {"Alpha", NULL, "Gamma Ltd", "Delta", NULL, "Zeta", "Eta"};
    static const int32_t src[] = {0, 1, 2, 3, 0, 2, 4, 1};
    static const int32_t dst[] = {1, 2, 3, 4, 2, 0, 0, 1};
    static const double w[] = {1.5, 2.0, 0.25, 1e6, 0.0, 3.0, 0.5, 7.0};
    static const int lay[] = {1, 1, 0, 0, 1, 0, 1, 1}; /* 1 = transaction (added first) */
    static const int64_t t[] = {0, 1700000000, -1, 42, 5, 6, 7, INT64_MAX};
    ok(cp_graph_new(&g, &err), &err);
    ok(cp__graph_alloc_nodes(g, 7, true, &err), &err);
    ok(cp__graph_alloc_edges(g, 8, true, &err), &err);
    ok(cp__graph_add_layer(g, "transaction", CP_MEANING_AMOUNT, "USD", true, &trade, &err), &err);
    ok(cp__graph_add_layer(g, "ownership", CP_MEANING_SHARE, "fraction", false, &own, &err), &err);
    g->names = cp__calloc(7, sizeof *g->names);
    cr_assert_not_null(g->names);
    for (int i = 0; i < 7; i++) {
        g->ids_int[i] = ids[i];
        g->names[i] = names[i] != NULL ? cp__strdup(names[i]) : NULL;
        g->kind[i] = (uint8_t)(i % 7);
        g->designated[i] = (uint8_t)(i % 2);
    }
    memcpy(g->country, "KP\0\0RUUS\0\0CNAE", 14);
    for (int e = 0; e < 8; e++) {
        g->src[e] = src[e];
        g->dst[e] = dst[e];
        g->weight[e] = lay[e] == 0 ? w[e] / 2e6 : w[e]; /* shares stay in [0, 1] */
        g->layer[e] = (uint8_t)(lay[e] == 1 ? trade : own);
        g->time[e] = t[e];
    }
    static const int32_t origin[] = {1, 0}, bank[] = {4}, prog[] = {5, 2, 3};
    ok(cp__graph_add_group(g, "origin", origin, 2, &err), &err);
    ok(cp__graph_add_group(g, "bank", bank, 1, &err), &err);
    ok(cp__graph_add_group(g, "program:DPRK3", prog, 3, &err), &err);
    ok(cp__graph_add_group(g, "empty", NULL, 0, &err), &err);
    g->description = cp__strdup("a hand-made test network");
    ok(cp__graph_finalize(g, &err), &err);
    return g;
}

/* String ids with non-ASCII text, embedded quotes and commas. */
static cp_graph *string_graph(void) {
    cp_graph *g = NULL;
    cp_error err;
    int li = -1;
    static const char *const ids[] = {"Zürich Trading AG", "O\"Brien, Ltd", "a,b", "日本銀行",
                                      "plain"};
    ok(cp_graph_new(&g, &err), &err);
    ok(cp__graph_alloc_nodes(g, 5, false, &err), &err);
    ok(cp__graph_alloc_edges(g, 3, false, &err), &err);
    ok(cp__graph_add_layer(g, "control", CP_MEANING_NONE, "", true, &li, &err), &err);
    g->names = cp__calloc(5, sizeof *g->names);
    cr_assert_not_null(g->names);
    for (int i = 0; i < 5; i++) {
        g->ids_str[i] = cp__strdup(ids[i]);
        g->names[i] = i == 3 ? cp__strdup("Bank of Japan, \"BoJ\" — 日本") : NULL;
    }
    g->src[0] = 0, g->dst[0] = 1, g->weight[0] = 1;
    g->src[1] = 1, g->dst[1] = 3, g->weight[1] = 2;
    g->src[2] = 2, g->dst[2] = 2, g->weight[2] = 0.125; /* self-loop */
    ok(cp__graph_finalize(g, &err), &err);
    return g;
}

static void assert_same_graph(const cp_graph *a, const cp_graph *b) {
    cr_assert_eq(a->n, b->n, "n %d vs %d", a->n, b->n);
    cr_assert_eq(a->m, b->m, "m %lld vs %lld", (long long)a->m, (long long)b->m);
    cr_assert_eq(a->ids_are_int, b->ids_are_int);
    if ((a->description == NULL) != (b->description == NULL)) {
        cr_assert_fail("description present in one graph only");
    }
    if (a->description != NULL) {
        cr_assert_str_eq(a->description, b->description);
    }
    for (int32_t i = 0; i < a->n; i++) {
        if (a->ids_are_int) {
            cr_assert_eq(a->ids_int[i], b->ids_int[i], "id %d", i);
        } else {
            cr_assert_str_eq(a->ids_str[i], b->ids_str[i], "id %d", i);
        }
        cr_assert_eq(a->kind[i], b->kind[i], "kind %d", i);
        cr_assert_eq(a->designated[i], b->designated[i], "designated %d", i);
        cr_assert_eq(memcmp(a->country + 2 * i, b->country + 2 * i, 2), 0, "country %d", i);
    }
    cr_assert_eq(a->names == NULL, b->names == NULL, "names present in one graph only");
    for (int32_t i = 0; a->names != NULL && i < a->n; i++) {
        cr_assert_eq(a->names[i] == NULL, b->names[i] == NULL, "name %d", i);
        if (a->names[i] != NULL) {
            cr_assert_str_eq(a->names[i], b->names[i]);
        }
    }
    cr_assert_eq(a->n_layers, b->n_layers);
    for (int l = 0; l < a->n_layers; l++) {
        cr_assert_str_eq(a->layers[l].name, b->layers[l].name);
        cr_assert_eq(a->layers[l].meaning, b->layers[l].meaning);
        cr_assert_str_eq(a->layers[l].units, b->layers[l].units);
        cr_assert_eq(a->layers[l].directed, b->layers[l].directed);
    }
    cr_assert_eq(a->n_groups, b->n_groups);
    for (int k = 0; k < a->n_groups; k++) {
        cr_assert_str_eq(a->groups[k].name, b->groups[k].name);
        cr_assert_eq(a->groups[k].size, b->groups[k].size);
        for (int64_t j = 0; j < a->groups[k].size; j++) {
            cr_assert_eq(a->groups[k].members[j], b->groups[k].members[j]);
        }
    }
    cr_assert_eq(a->time == NULL, b->time == NULL, "time column present in one graph only");
    for (int64_t e = 0; e < a->m; e++) {
        cr_assert_eq(a->src[e], b->src[e], "src %lld", (long long)e);
        cr_assert_eq(a->dst[e], b->dst[e], "dst %lld", (long long)e);
        cr_assert_eq(a->layer[e], b->layer[e], "layer %lld", (long long)e);
        cr_assert_eq(memcmp(&a->weight[e], &b->weight[e], sizeof(double)), 0, "weight %lld",
                     (long long)e);
        if (a->time != NULL) {
            cr_assert_eq(a->time[e], b->time[e], "time %lld", (long long)e);
        }
    }
}

static cp_graph *round_trip(const cp_graph *g, const char *name) {
    cp_error err;
    cp_graph *back = NULL;
    char path[4300];
    snprintf(path, sizeof path, "%s", in_dir(name));
    id_counts before = open_ids();
    ok(cp_graph_write_h5(g, path, "chokepoint test", &err), &err);
    char tmp[4400];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    assert_same_ids(before, "write");
    cr_assert(file_exists(path));
    cr_assert(!file_exists(tmp), "the temporary file was left behind");
    ok(cp_graph_read_h5(&back, path, &err), &err);
    assert_same_ids(before, "read");
    assert_same_graph(g, back);
    return back;
}

/* ---- round trips --------------------------------------------------------------------------- */

Test(graph_h5, round_trip_int_ids) {
    cp_graph *g = rich_int_graph();
    cp_graph *back = round_trip(g, "int.h5");
    char buf[32];
    cr_assert_str_eq(cp_graph_node_label(back, 2, buf, sizeof buf), "3000000000");
    cr_assert_eq(cp_graph_find_node(back, "-5"), 3);
    cp_graph_free(&g);
    cp_graph_free(&back);
}

Test(graph_h5, round_trip_string_ids) {
    cp_graph *g = string_graph();
    cp_graph *back = round_trip(g, "str.h5");
    cr_assert_eq(cp_graph_find_node(back, "O\"Brien, Ltd"), 1);
    cr_assert_eq(cp_graph_find_node(back, "日本銀行"), 3);
    cp_graph_free(&g);
    cp_graph_free(&back);
}

Test(graph_h5, round_trip_zero_edges_and_empty) {
    int32_t none[1] = {0};
    cp_graph *g = cp_test_graph(4, 0, none, none, NULL, "t", CP_MEANING_NONE, false);
    cp_graph *back = round_trip(g, "zero_edges.h5");
    cp_graph_free(&g);
    cp_graph_free(&back);

    cp_error err;
    ok(cp_graph_new(&g, &err), &err); /* n = 0, m = 0, no layers, nothing allocated */
    back = round_trip(g, "empty.h5");
    cp_graph_free(&g);
    cp_graph_free(&back);

    g = cp_test_graph(0, 0, none, none, NULL, "only", CP_MEANING_COUNT, true);
    back = round_trip(g, "empty_layer.h5");
    cp_graph_free(&g);
    cp_graph_free(&back);
}

Test(graph_h5, overwrite_replaces_the_old_file) {
    cp_graph *g = rich_int_graph(), *s = string_graph(), *back = NULL;
    cp_error err;
    char path[4300];
    snprintf(path, sizeof path, "%s", in_dir("again.h5"));
    ok(cp_graph_write_h5(g, path, NULL, &err), &err);
    ok(cp_graph_write_h5(s, path, NULL, &err), &err);
    ok(cp_graph_read_h5(&back, path, &err), &err);
    assert_same_graph(s, back);
    cp_graph_free(&g);
    cp_graph_free(&s);
    cp_graph_free(&back);
}

typedef struct visit_state {
    int datasets;
    int described;
    char missing[256];
} visit_state;

static herr_t check_object(hid_t loc, const char *name, const H5O_info_t *info, void *data) {
    visit_state *v = data;
    if (info->type == H5O_TYPE_DATASET) {
        v->datasets++;
        if (H5Aexists_by_name(loc, name, "description", H5P_DEFAULT) > 0) {
            v->described++;
        } else {
            snprintf(v->missing, sizeof v->missing, "%s", name);
        }
    }
    return 0;
}

Test(graph_h5, layout_attributes_and_compression) {
    cp_graph *g = rich_int_graph();
    cp_error err;
    char path[4300];
    snprintf(path, sizeof path, "%s", in_dir("layout.h5"));
    ok(cp_graph_write_h5(g, path, "chokepoint test", &err), &err);
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    cr_assert_geq(f, 0);
    visit_state v = {0, 0, ""};
    cr_assert_geq(H5Ovisit(f, H5_INDEX_NAME, H5_ITER_INC, check_object, &v), 0);
    cr_assert_geq(v.datasets, 13); /* 6 node + 5 edge + 4 group datasets */
    cr_assert_eq(v.described, v.datasets, "dataset %s has no description", v.missing);

    /* Compressed and chunked, the chunk never bigger than the dataset. */
    hid_t d = H5Dopen2(f, "/edges/source", H5P_DEFAULT);
    hid_t dcpl = H5Dget_create_plist(d);
    cr_assert_eq(H5Pget_layout(dcpl), H5D_CHUNKED);
    hsize_t chunk[1] = {0};
    cr_assert_eq(H5Pget_chunk(dcpl, 1, chunk), 1);
    cr_assert_eq(chunk[0], 8);
    int nf = H5Pget_nfilters(dcpl);
    bool shuffle = false, deflate = false;
    for (int i = 0; i < nf; i++) {
        unsigned flags = 0, cd[8];
        size_t ncd = 8;
        H5Z_filter_t id = H5Pget_filter2(dcpl, (unsigned)i, &flags, &ncd, cd, 0, NULL, NULL);
        shuffle = shuffle || id == H5Z_FILTER_SHUFFLE;
        deflate = deflate || id == H5Z_FILTER_DEFLATE;
    }
    cr_assert(shuffle && deflate);
    H5Pclose(dcpl);
    H5Dclose(d);

    /* Root attributes and the layer attributes, read through the file itself. */
    char buf[64] = "";
    hid_t a = H5Aopen(f, "schema", H5P_DEFAULT);
    hid_t t = H5Aget_type(a);
    char *s = NULL;
    cr_assert(H5Tis_variable_str(t) > 0);
    cr_assert_geq(H5Aread(a, t, &s), 0);
    cr_assert_str_eq(s, "chokepoint-graph");
    H5free_memory(s);
    H5Tclose(t);
    H5Aclose(a);
    long long version = 0;
    a = H5Aopen(f, "schema_version", H5P_DEFAULT);
    cr_assert_geq(H5Aread(a, H5T_NATIVE_LLONG, &version), 0);
    cr_assert_eq(version, 1);
    H5Aclose(a);
    d = H5Dopen2(f, "/nodes/country", H5P_DEFAULT);
    t = H5Dget_type(d);
    cr_assert_eq(H5Tget_class(t), H5T_STRING);
    cr_assert(H5Tis_variable_str(t) == 0);
    cr_assert_eq(H5Tget_size(t), 2);
    cr_assert_geq(H5Dread(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf), 0);
    cr_assert_eq(memcmp(buf, "KP\0\0RUUS\0\0CNAE", 14), 0);
    H5Tclose(t);
    H5Dclose(d);
    unsigned char layer_index[8];
    d = H5Dopen2(f, "/edges/layer", H5P_DEFAULT);
    cr_assert_geq(H5Dread(d, H5T_NATIVE_UCHAR, H5S_ALL, H5S_ALL, H5P_DEFAULT, layer_index), 0);
    H5Dclose(d);
    /* ownership (index 0) sorts before transaction (index 1), whatever order they were added in */
    static const unsigned char want_layer[8] = {1, 1, 0, 0, 1, 0, 1, 1};
    cr_assert_eq(memcmp(layer_index, want_layer, 8), 0);
    H5Fclose(f);
    cp_graph_free(&g);
}

/* ---- cases.json hdf5-29, built with the HDF5 C API ----------------------------------------- */

static hid_t new_file(const char *path, bool schema) {
    hid_t f = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    cr_assert_geq(f, 0, "cannot create %s", path);
    if (schema) {
        hid_t t = H5Tcopy(H5T_C_S1);
        H5Tset_size(t, H5T_VARIABLE);
        hid_t sp = H5Screate(H5S_SCALAR);
        hid_t a = H5Acreate2(f, "schema", t, sp, H5P_DEFAULT, H5P_DEFAULT);
        const char *v = "chokepoint-graph";
        H5Awrite(a, t, &v);
        H5Aclose(a);
        long long one = 1;
        a = H5Acreate2(f, "schema_version", H5T_STD_I64LE, sp, H5P_DEFAULT, H5P_DEFAULT);
        H5Awrite(a, H5T_NATIVE_LLONG, &one);
        H5Aclose(a);
        H5Sclose(sp);
        H5Tclose(t);
    }
    return f;
}

/* A 1-D dataset; chunk > 0 makes it chunked with shuffle and gzip. */
static void put_chunked(hid_t f, const char *name, hid_t ftype, hid_t mtype, hsize_t n,
                        const void *data, hsize_t chunk) {
    hid_t sp = H5Screate_simple(1, &n, NULL);
    hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
    H5Pset_create_intermediate_group(lcpl, 1);
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    if (chunk > 0) {
        H5Pset_chunk(dcpl, 1, &chunk);
        H5Pset_shuffle(dcpl);
        H5Pset_deflate(dcpl, 6);
    }
    hid_t d = H5Dcreate2(f, name, ftype, sp, lcpl, dcpl, H5P_DEFAULT);
    cr_assert_geq(d, 0, "cannot create %s", name);
    if (n > 0) {
        cr_assert_geq(H5Dwrite(d, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), 0);
    }
    H5Dclose(d);
    H5Pclose(dcpl);
    H5Pclose(lcpl);
    H5Sclose(sp);
}

static void put(hid_t f, const char *name, hid_t ftype, hid_t mtype, hsize_t n, const void *data) {
    put_chunked(f, name, ftype, mtype, n, data, 0);
}

static void put_i64(hid_t f, const char *name, hsize_t n, const int64_t *v) {
    put(f, name, H5T_STD_I64LE, H5T_NATIVE_INT64, n, v);
}

static void put_i32(hid_t f, const char *name, hsize_t n, const int32_t *v) {
    put(f, name, H5T_STD_I32LE, H5T_NATIVE_INT32, n, v);
}

static void put_f64(hid_t f, const char *name, hsize_t n, const double *v) {
    put(f, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, n, v);
}

static void put_attr_str(hid_t f, const char *obj, const char *name, const char *value) {
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, H5T_VARIABLE);
    hid_t sp = H5Screate(H5S_SCALAR);
    hid_t a = H5Acreate_by_name(f, obj, name, t, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    cr_assert_geq(a, 0);
    H5Awrite(a, t, &value);
    H5Aclose(a);
    H5Sclose(sp);
    H5Tclose(t);
}

static void put_group(hid_t f, const char *name) {
    hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
    H5Pset_create_intermediate_group(lcpl, 1);
    hid_t g = H5Gcreate2(f, name, lcpl, H5P_DEFAULT, H5P_DEFAULT);
    cr_assert_geq(g, 0);
    H5Gclose(g);
    H5Pclose(lcpl);
}

static json_t *hdf5_case(void) {
    json_t *c = cp_test_case("hdf5-29");
    if (c == NULL) {
        cr_skip_test("../shared/cases/cases.json is absent");
    }
    return json_object_get(c, "expected");
}

static cp_graph *read_ok(const char *path) {
    cp_graph *g = NULL;
    cp_error err;
    ok(cp_graph_read_h5(&g, path, &err), &err);
    cr_assert_not_null(g);
    return g;
}

Test(graph_h5, case29_a_empty_edges) {
    json_t *x = json_object_get(hdf5_case(), "a_empty");
    char path[4300];
    snprintf(path, sizeof path, "%s", in_dir("a.h5"));
    hid_t f = new_file(path, true);
    static const int64_t ids[] = {0, 1, 2};
    put_i64(f, "/nodes/id", 3, ids);
    put_i32(f, "/edges/src", 0, NULL);
    put_i32(f, "/edges/dst", 0, NULL);
    H5Fclose(f);
    cp_graph *g = read_ok(path);
    cr_assert_eq(cp_graph_n(g), json_integer_value(json_object_get(x, "n_nodes")));
    cr_assert_eq(cp_graph_m(g), json_integer_value(json_object_get(x, "n_edges")));
    cr_assert_eq(g->n_layers, 1); /* no /layers group: the default layer */
    cr_assert_str_eq(g->layers[0].name, "edges");
    cr_assert(g->layers[0].directed);
    for (int i = 0; i < 3; i++) {
        cr_assert_eq(g->ids_int[i], i);
    }
    cp_graph_free(&g);
}

Test(graph_h5, case29_b_partial_last_chunk) {
    json_t *c = cp_test_case("hdf5-29");
    json_t *x = json_object_get(hdf5_case(), "b_partial_chunk");
    json_t *edges = json_object_get(c, "edges");
    size_t m = json_array_size(edges);
    cr_assert_eq(m, 10);
    int32_t src[10], dst[10];
    int64_t ids[10];
    for (size_t e = 0; e < m; e++) {
        src[e] = (int32_t)json_integer_value(json_array_get(json_array_get(edges, e), 0));
        dst[e] = (int32_t)json_integer_value(json_array_get(json_array_get(edges, e), 1));
        ids[e] = (int64_t)e;
    }
    char path[4300];
    snprintf(path, sizeof path, "%s", in_dir("b.h5"));
    hid_t f = new_file(path, true);
    put_i64(f, "/nodes/id", 10, ids);
    put_chunked(f, "/edges/source", H5T_STD_I32LE, H5T_NATIVE_INT32, m, src, 4);
    put_chunked(f, "/edges/target", H5T_STD_I32LE, H5T_NATIVE_INT32, m, dst, 4);
    H5Fclose(f);
    cp_graph *g = read_ok(path);
    cr_assert_eq(cp_graph_m(g), json_integer_value(json_object_get(x, "n_edges")));
    for (size_t e = 0; e < m; e++) {
        cr_assert_eq(g->src[e], src[e]);
        cr_assert_eq(g->dst[e], dst[e]);
        cr_assert_eq(g->weight[e], 1.0);
    }
    json_t *ls = json_object_get(x, "last_chunk_values_src");
    json_t *ld = json_object_get(x, "last_chunk_values_dst");
    for (size_t k = 0; k < json_array_size(ls); k++) {
        cr_assert_eq(g->src[8 + k], json_integer_value(json_array_get(ls, k)));
        cr_assert_eq(g->dst[8 + k], json_integer_value(json_array_get(ld, k)));
    }
    cp_graph_free(&g);
}

static void hex_bytes(unsigned char *out, const char *hex, size_t n) {
    for (size_t i = 0; i < n; i++) {
        unsigned v = 0;
        cr_assert_eq(sscanf(hex + 2 * i, "%2x", &v), 1);
        out[i] = (unsigned char)v;
    }
}

Test(graph_h5, case29_c_big_endian) {
    json_t *x = json_object_get(hdf5_case(), "c_bigendian");
    unsigned char sb[12], db[12];
    hex_bytes(sb, json_string_value(json_object_get(x, "src_bytes_hex")), 12);
    hex_bytes(db, json_string_value(json_object_get(x, "dst_bytes_hex")), 12);
    char path[4300];
    snprintf(path, sizeof path, "%s", in_dir("c.h5"));
    hid_t f = new_file(path, true);
    static const int64_t ids[] = {0, 1, 2};
    put_i64(f, "/nodes/id", 3, ids);
    /* The bytes go to disk exactly as the case gives them: memory type = file type = >i4. */
    put(f, "/edges/src", H5T_STD_I32BE, H5T_STD_I32BE, 3, sb);
    put(f, "/edges/dst", H5T_STD_I32BE, H5T_STD_I32BE, 3, db);
    H5Fclose(f);
    cp_graph *g = read_ok(path);
    json_t *ws = json_object_get(x, "src"), *wd = json_object_get(x, "dst");
    cr_assert_eq(cp_graph_m(g), 3);
    for (int e = 0; e < 3; e++) {
        cr_assert_eq(g->src[e], json_integer_value(json_array_get(ws, e)));
        cr_assert_eq(g->dst[e], json_integer_value(json_array_get(wd, e)));
    }
    cp_graph_free(&g);
}

Test(graph_h5, case29_d_int64_ids_are_labels) {
    json_t *x = json_object_get(hdf5_case(), "d_int64_ids");
    json_t *ext = json_object_get(x, "edges_external");
    static const int64_t ids[] = {3000000000LL, 3000000001LL, 5};
    static const int32_t src[] = {0, 1}, dst[] = {1, 2};
    char path[4300];
    snprintf(path, sizeof path, "%s", in_dir("d.h5"));
    hid_t f = new_file(path, true);
    put_i64(f, "/nodes/id", 3, ids);
    put_i32(f, "/edges/source", 2, src);
    put_i32(f, "/edges/target", 2, dst);
    H5Fclose(f);
    cp_graph *g = read_ok(path);
    cr_assert_eq(cp_graph_n(g), json_integer_value(json_object_get(x, "n_nodes")));
    cr_assert(g->ids_are_int);
    for (size_t e = 0; e < json_array_size(ext); e++) {
        json_t *pair = json_array_get(ext, e);
        cr_assert_eq(g->ids_int[g->src[e]], json_integer_value(json_array_get(pair, 0)));
        cr_assert_eq(g->ids_int[g->dst[e]], json_integer_value(json_array_get(pair, 1)));
    }
    cr_assert_eq(cp_graph_find_node(g, "3000000000"), 0);
    cr_assert_eq(cp_graph_find_node(g, "-1294967296"), -1);
    cp_graph_free(&g);
}

/* ---- other valid inputs written by other tools --------------------------------------------- */

Test(graph_h5, foreign_types_convert) {
    /* uint16 big-endian ids, fixed-length space-padded string names, int64 indices, float32
     * weights, variable-length countries, an h5py-style bool enum for designated and for the
     * layer's directed attribute, and no /edges/layer with a single layer. */
    char path[4300];
    snprintf(path, sizeof path, "%s", in_dir("foreign.h5"));
    hid_t f = new_file(path, true);
    static const uint16_t ids[] = {7, 65535, 300};
    put(f, "/nodes/id", H5T_STD_U16BE, H5T_NATIVE_UINT16, 3, ids);
    hid_t fixed = H5Tcopy(H5T_C_S1);
    H5Tset_size(fixed, 6);
    H5Tset_strpad(fixed, H5T_STR_SPACEPAD);
    put(f, "/nodes/name", fixed, fixed, 3, "ab    c     xyzuvw");
    H5Tclose(fixed);
    hid_t vstr = H5Tcopy(H5T_C_S1);
    H5Tset_size(vstr, H5T_VARIABLE);
    const char *countries[] = {"KP", "", "IR"};
    put(f, "/nodes/country", vstr, vstr, 3, countries);
    H5Tclose(vstr);
    hid_t boolean = H5Tenum_create(H5T_NATIVE_INT8);
    int8_t fv = 0, tv = 1;
    H5Tenum_insert(boolean, "FALSE", &fv);
    H5Tenum_insert(boolean, "TRUE", &tv);
    static const int8_t designated[] = {1, 0, 1};
    put(f, "/nodes/designated", boolean, boolean, 3, designated);
    static const int64_t src[] = {0, 2}, dst[] = {1, 1};
    put(f, "/edges/source", H5T_STD_I64BE, H5T_NATIVE_INT64, 2, src);
    put(f, "/edges/target", H5T_STD_I64LE, H5T_NATIVE_INT64, 2, dst);
    static const float w[] = {0.5f, 2.0f};
    put(f, "/edges/weight", H5T_IEEE_F32BE, H5T_NATIVE_FLOAT, 2, w);
    put_group(f, "/layers/ownership");
    put_attr_str(f, "/layers/ownership", "meaning", "share");
    hid_t fixed_attr = H5Tcopy(H5T_C_S1); /* numpy's fixed-length bytes, e.g. np.bytes_ */
    H5Tset_size(fixed_attr, 8);
    hid_t asp = H5Screate(H5S_SCALAR);
    hid_t fa = H5Acreate_by_name(f, "/layers/ownership", "units", fixed_attr, asp, H5P_DEFAULT,
                                 H5P_DEFAULT, H5P_DEFAULT);
    H5Awrite(fa, fixed_attr, "fraction");
    H5Aclose(fa);
    H5Sclose(asp);
    H5Tclose(fixed_attr);
    hid_t sp = H5Screate(H5S_SCALAR);
    hid_t a = H5Acreate_by_name(f, "/layers/ownership", "directed", boolean, sp, H5P_DEFAULT,
                                H5P_DEFAULT, H5P_DEFAULT);
    H5Awrite(a, boolean, &fv);
    H5Aclose(a);
    H5Sclose(sp);
    H5Tclose(boolean);
    H5Fclose(f);

    cp_graph *g = read_ok(path);
    cr_assert_eq(g->ids_int[1], 65535);
    cr_assert_eq(g->ids_int[2], 300);
    cr_assert_str_eq(g->names[0], "ab");
    cr_assert_str_eq(g->names[1], "c");
    cr_assert_str_eq(g->names[2], "xyzuvw");
    cr_assert_eq(memcmp(g->country, "KP\0\0IR", 6), 0);
    cr_assert_eq(g->designated[0], 1);
    cr_assert_eq(g->designated[1], 0);
    cr_assert_eq(g->src[1], 2);
    cr_assert_eq(g->weight[0], 0.5);
    cr_assert_eq(g->n_layers, 1);
    cr_assert_str_eq(g->layers[0].name, "ownership");
    cr_assert_eq(g->layers[0].meaning, CP_MEANING_SHARE);
    cr_assert_str_eq(g->layers[0].units, "fraction");
    cr_assert(!g->layers[0].directed);
    cr_assert_eq(g->layer[0], 0);
    cp_graph_free(&g);
}

Test(graph_h5, fixed_length_string_ids) {
    char path[4300];
    snprintf(path, sizeof path, "%s", in_dir("fixed_ids.h5"));
    hid_t f = new_file(path, true);
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, 4);
    H5Tset_strpad(t, H5T_STR_NULLPAD);
    H5Tset_cset(t, H5T_CSET_UTF8);
    put(f, "/nodes/id", t, t, 3, "abcdx\0\0\0yz\0\0");
    H5Tclose(t);
    static const int32_t src[] = {0}, dst[] = {2};
    put_i32(f, "/edges/source", 1, src);
    put_i32(f, "/edges/target", 1, dst);
    H5Fclose(f);
    cp_graph *g = read_ok(path);
    cr_assert(!g->ids_are_int);
    cr_assert_str_eq(g->ids_str[0], "abcd");
    cr_assert_str_eq(g->ids_str[1], "x");
    cr_assert_str_eq(g->ids_str[2], "yz");
    cr_assert_eq(cp_graph_find_node(g, "yz"), 2);
    cp_graph_free(&g);
}

/* ---- bad files ----------------------------------------------------------------------------- */

static void expect_error(const char *path, cp_status want, const char *needle) {
    cp_graph *g = (cp_graph *)&g; /* not NULL: the reader must clear it */
    cp_error err = {CP_OK, ""};
    id_counts before = open_ids();
    cp_status s = cp_graph_read_h5(&g, path, &err);
    assert_same_ids(before, path);
    cr_assert_eq(s, want, "status %s, expected %s: %s", cp_status_name(s), cp_status_name(want),
                 err.msg);
    cr_log_info("%s", err.msg);
    cr_assert_null(g);
    cr_assert_eq(err.status, want);
    cr_assert_not_null(strstr(err.msg, path), "message does not name the file: %s", err.msg);
    if (needle != NULL) {
        cr_assert_not_null(strstr(err.msg, needle), "message lacks \"%s\": %s", needle, err.msg);
    }
}

/* The minimal valid file: ids 0..2, edges 0->1, 1->2 with unit weights. Parts can be left out
 * (flags) so each test supplies its own broken version. */
enum { NO_IDS = 1, NO_SRC = 2, NO_DST = 4, NO_SCHEMA = 8, NO_WEIGHT = 16 };

static hid_t base_file(const char *path, int flags) {
    hid_t f = new_file(path, !(flags & NO_SCHEMA));
    static const int64_t ids[] = {0, 1, 2};
    static const int32_t src[] = {0, 1}, dst[] = {1, 2};
    static const double w[] = {1, 1};
    if (!(flags & NO_IDS)) {
        put_i64(f, "/nodes/id", 3, ids);
    }
    if (!(flags & NO_SRC)) {
        put_i32(f, "/edges/source", 2, src);
    }
    if (!(flags & NO_DST)) {
        put_i32(f, "/edges/target", 2, dst);
    }
    if (!(flags & NO_WEIGHT)) {
        put_f64(f, "/edges/weight", 2, w);
    }
    return f;
}

static const char *bad_path(const char *name) {
    static char path[4300];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return path;
}

Test(graph_h5, base_file_is_valid) {
    const char *p = bad_path("base.h5");
    H5Fclose(base_file(p, 0));
    cp_graph *g = read_ok(p);
    cr_assert_eq(g->n, 3);
    cr_assert_eq(g->m, 2);
    cp_graph_free(&g);
}

Test(graph_h5, bad_missing_file_is_io) {
    expect_error(bad_path("no-such-file.h5"), CP_E_IO, "cannot open");
    expect_error(dir, CP_E_IO, "directory");
}

Test(graph_h5, bad_not_hdf5) {
    const char *p = bad_path("text.h5");
    FILE *fp = fopen(p, "w");
    fputs("source,target\n0,1\n", fp);
    fclose(fp);
    expect_error(p, CP_E_FORMAT, "not a readable HDF5 file");
    fp = fopen(p, "w"); /* an empty file too */
    fclose(fp);
    expect_error(p, CP_E_FORMAT, "HDF5");
}

Test(graph_h5, bad_truncated) {
    /* Large enough that half the file cuts through data and metadata. */
    enum { N = 3000 };
    int32_t *src = malloc(N * sizeof *src), *dst = malloc(N * sizeof *dst);
    for (int i = 0; i < N; i++) {
        src[i] = i;
        dst[i] = (i * 7 + 1) % N;
    }
    cp_graph *g = cp_test_graph(N, N, src, dst, NULL, "t", CP_MEANING_NONE, true);
    free(src);
    free(dst);
    char path[4300];
    snprintf(path, sizeof path, "%s", in_dir("truncated.h5"));
    cp_error err;
    ok(cp_graph_write_h5(g, path, NULL, &err), &err);
    cp_graph_free(&g);
    struct stat st;
    cr_assert_eq(stat(path, &st), 0);
    cr_assert_eq(truncate(path, st.st_size / 2), 0);
    expect_error(path, CP_E_FORMAT, NULL);
}

Test(graph_h5, bad_schema) {
    const char *p = bad_path("noschema.h5");
    H5Fclose(base_file(p, NO_SCHEMA));
    expect_error(p, CP_E_FORMAT, "'schema' is missing");

    p = bad_path("wrongschema.h5");
    hid_t f = base_file(p, NO_SCHEMA);
    put_attr_str(f, "/", "schema", "chokepoint-results");
    H5Fclose(f);
    expect_error(p, CP_E_FORMAT, "results file");

    p = bad_path("version2.h5");
    f = base_file(p, NO_SCHEMA);
    put_attr_str(f, "/", "schema", "chokepoint-graph");
    hid_t sp = H5Screate(H5S_SCALAR);
    hid_t a = H5Acreate2(f, "schema_version", H5T_STD_I32BE, sp, H5P_DEFAULT, H5P_DEFAULT);
    int two = 2;
    H5Awrite(a, H5T_NATIVE_INT, &two);
    H5Aclose(a);
    H5Sclose(sp);
    H5Fclose(f);
    expect_error(p, CP_E_FORMAT, "schema_version");

    p = bad_path("noversion.h5");
    f = base_file(p, NO_SCHEMA);
    put_attr_str(f, "/", "schema", "chokepoint-graph");
    H5Fclose(f);
    expect_error(p, CP_E_FORMAT, "schema_version");
}

Test(graph_h5, bad_missing_datasets) {
    const char *p = bad_path("noids.h5");
    H5Fclose(base_file(p, NO_IDS));
    expect_error(p, CP_E_FORMAT, "/nodes/id");
    p = bad_path("nosrc.h5");
    H5Fclose(base_file(p, NO_SRC));
    expect_error(p, CP_E_FORMAT, "/edges/source");
    p = bad_path("nodst.h5");
    H5Fclose(base_file(p, NO_DST));
    expect_error(p, CP_E_FORMAT, "/edges/target");
    p = bad_path("idsgroup.h5");
    hid_t f = base_file(p, NO_IDS);
    put_group(f, "/nodes/id");
    H5Fclose(f);
    expect_error(p, CP_E_FORMAT, "/nodes/id");
}

Test(graph_h5, bad_shapes) {
    const char *p = bad_path("short_target.h5");
    hid_t f = base_file(p, NO_DST);
    static const int32_t one[] = {1};
    put_i32(f, "/edges/target", 1, one);
    H5Fclose(f);
    expect_error(p, CP_E_FORMAT, "/edges/target");

    p = bad_path("src2d.h5");
    f = base_file(p, NO_SRC);
    hsize_t dims[2] = {1, 2};
    hid_t sp = H5Screate_simple(2, dims, NULL);
    hid_t d =
        H5Dcreate2(f, "/edges/source", H5T_STD_I32LE, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    static const int32_t v[] = {0, 1};
    H5Dwrite(d, H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, v);
    H5Dclose(d);
    H5Sclose(sp);
    H5Fclose(f);
    expect_error(p, CP_E_FORMAT, "/edges/source has rank 2");

    p = bad_path("short_weight.h5");
    f = base_file(p, NO_WEIGHT);
    static const double w3[] = {1, 1, 1};
    put_f64(f, "/edges/weight", 3, w3);
    H5Fclose(f);
    expect_error(p, CP_E_FORMAT, "/edges/weight");

    p = bad_path("long_kind.h5");
    f = base_file(p, 0);
    static const uint8_t k4[] = {0, 0, 0, 0};
    put(f, "/nodes/kind", H5T_STD_U8LE, H5T_NATIVE_UINT8, 4, k4);
    H5Fclose(f);
    expect_error(p, CP_E_FORMAT, "/nodes/kind");

    p = bad_path("scalar_ids.h5");
    f = base_file(p, NO_IDS);
    put_group(f, "/nodes");
    sp = H5Screate(H5S_SCALAR);
    d = H5Dcreate2(f, "/nodes/id", H5T_STD_I64LE, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Dclose(d);
    H5Sclose(sp);
    H5Fclose(f);
    expect_error(p, CP_E_FORMAT, "/nodes/id has rank 0");
}

Test(graph_h5, bad_values) {
    const char *p = bad_path("src_range.h5");
    hid_t f = base_file(p, NO_SRC);
    static const int32_t s5[] = {0, 5};
    put_i32(f, "/edges/source", 2, s5);
    H5Fclose(f);
    expect_error(p, CP_E_FORMAT, "/edges/source[1] is 5");

    p = bad_path("dst_negative.h5");
    f = base_file(p, NO_DST);
    static const int32_t dneg[] = {-1, 1};
    put_i32(f, "/edges/target", 2, dneg);
    H5Fclose(f);
    expect_error(p, CP_E_FORMAT, "/edges/target[0] is -1");

    p = bad_path("src_int64.h5");
    f = base_file(p, NO_SRC);
    static const int64_t big[] = {0, 3000000000LL};
    put_i64(f, "/edges/source", 2, big);
    H5Fclose(f);
    expect_error(p, CP_E_FORMAT, "/edges/source");

    p = bad_path("src_float.h5");
    f = base_file(p, NO_SRC);
    static const double fs[] = {0, 1};
    put_f64(f, "/edges/source", 2, fs);
    H5Fclose(f);
    expect_error(p, CP_E_FORMAT, "/edges/source");

    p = bad_path("nan.h5");
    f = base_file(p, NO_WEIGHT);
    const double wn[] = {1, NAN};
    put_f64(f, "/edges/weight", 2, wn);
    H5Fclose(f);
    expect_error(p, CP_E_FORMAT, "/edges/weight[1]");

    p = bad_path("negative.h5");
    f = base_file(p, NO_WEIGHT);
    static const double wneg[] = {-0.5, 1};
    put_f64(f, "/edges/weight", 2, wneg);
    H5Fclose(f);
    expect_error(p, CP_E_FORMAT, "/edges/weight[0]");

    p = bad_path("inf.h5");
    f = base_file(p, NO_WEIGHT);
    const double winf[] = {1, INFINITY};
    put_f64(f, "/edges/weight", 2, winf);
    H5Fclose(f);
    expect_error(p, CP_E_FORMAT, "/edges/weight[1]");

    p = bad_path("kind.h5");
    f = base_file(p, 0);
    static const uint8_t k9[] = {0, 9, 0};
    put(f, "/nodes/kind", H5T_STD_U8LE, H5T_NATIVE_UINT8, 3, k9);
    H5Fclose(f);
    expect_error(p, CP_E_FORMAT, "/nodes/kind[1]");

    p = bad_path("kind_negative.h5");
    f = base_file(p, 0);
    static const int32_t kneg[] = {0, 0, -1};
    put_i32(f, "/nodes/kind", 3, kneg);
    H5Fclose(f);
    expect_error(p, CP_E_FORMAT, "/nodes/kind");

    p = bad_path("designated.h5");
    f = base_file(p, 0);
    static const uint8_t d2[] = {0, 2, 0};
    put(f, "/nodes/designated", H5T_STD_U8LE, H5T_NATIVE_UINT8, 3, d2);
    H5Fclose(f);
    expect_error(p, CP_E_FORMAT, "/nodes/designated[1]");

    p = bad_path("country.h5");
    f = base_file(p, 0);
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, 3);
    H5Tset_strpad(t, H5T_STR_NULLPAD);
    put(f, "/nodes/country", t, t, 3, "KP\0USAIR\0");
    H5Tclose(t);
    H5Fclose(f);
    expect_error(p, CP_E_FORMAT, "/nodes/country[1]");

    p = bad_path("dup_ids.h5");
    f = base_file(p, NO_IDS);
    static const int64_t dup[] = {4, 5, 4};
    put_i64(f, "/nodes/id", 3, dup);
    H5Fclose(f);
    expect_error(p, CP_E_FORMAT, "/nodes/id entries 0 and 2");

    p = bad_path("dup_string_ids.h5");
    f = base_file(p, NO_IDS);
    hid_t vs = H5Tcopy(H5T_C_S1);
    H5Tset_size(vs, H5T_VARIABLE);
    const char *sid[] = {"a", "b", "b"};
    put(f, "/nodes/id", vs, vs, 3, sid);
    H5Tclose(vs);
    H5Fclose(f);
    expect_error(p, CP_E_FORMAT, "/nodes/id entries 1 and 2 are both \"b\"");

    p = bad_path("float_ids.h5");
    f = base_file(p, NO_IDS);
    static const double fid[] = {0, 1, 2};
    put_f64(f, "/nodes/id", 3, fid);
    H5Fclose(f);
    expect_error(p, CP_E_FORMAT, "/nodes/id");

    p = bad_path("name_numbers.h5");
    f = base_file(p, 0);
    static const int64_t nn[] = {0, 1, 2};
    put_i64(f, "/nodes/name", 3, nn);
    H5Fclose(f);
    expect_error(p, CP_E_FORMAT, "/nodes/name");
}

Test(graph_h5, bad_layers_and_groups) {
    const char *p = bad_path("layer_range.h5");
    hid_t f = base_file(p, 0);
    static const uint8_t l3[] = {0, 3};
    put(f, "/edges/layer", H5T_STD_U8LE, H5T_NATIVE_UINT8, 2, l3);
    put_group(f, "/layers/a");
    put_group(f, "/layers/b");
    H5Fclose(f);
    expect_error(p, CP_E_FORMAT, "/edges/layer[1] is 3");

    p = bad_path("layer_missing.h5");
    f = base_file(p, 0);
    put_group(f, "/layers/a");
    put_group(f, "/layers/b");
    H5Fclose(f);
    expect_error(p, CP_E_FORMAT, "/edges/layer");

    p = bad_path("layers_empty.h5");
    f = base_file(p, 0);
    put_group(f, "/layers");
    H5Fclose(f);
    expect_error(p, CP_E_FORMAT, "/layers");

    p = bad_path("meaning.h5");
    f = base_file(p, 0);
    put_group(f, "/layers/money");
    put_attr_str(f, "/layers/money", "meaning", "dollars");
    H5Fclose(f);
    expect_error(p, CP_E_FORMAT, "/layers/money");

    p = bad_path("directed.h5");
    f = base_file(p, 0);
    put_group(f, "/layers/money");
    hid_t sp = H5Screate(H5S_SCALAR);
    hid_t a = H5Acreate_by_name(f, "/layers/money", "directed", H5T_STD_I32LE, sp, H5P_DEFAULT,
                                H5P_DEFAULT, H5P_DEFAULT);
    int seven = 7;
    H5Awrite(a, H5T_NATIVE_INT, &seven);
    H5Aclose(a);
    H5Sclose(sp);
    H5Fclose(f);
    expect_error(p, CP_E_FORMAT, "'directed'");

    p = bad_path("group_range.h5");
    f = base_file(p, 0);
    static const int32_t members[] = {0, 3};
    put_i32(f, "/groups/bank", 2, members);
    H5Fclose(f);
    expect_error(p, CP_E_FORMAT, "/groups/bank[1]");

    p = bad_path("group_nested.h5");
    f = base_file(p, 0);
    put_group(f, "/groups/nested");
    H5Fclose(f);
    expect_error(p, CP_E_FORMAT, "/groups/nested");
}

Test(graph_h5, write_errors_leave_no_file) {
    cp_graph *g = rich_int_graph();
    cp_error err;
    char path[4300], tmp[4400];
    snprintf(path, sizeof path, "%s/no/such/dir/out.h5", dir);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    cr_assert_eq(cp_graph_write_h5(g, path, NULL, &err), CP_E_IO);
    cr_assert_not_null(strstr(err.msg, path), "%s", err.msg);
    cr_assert(!file_exists(tmp));

    /* A name HDF5 cannot hold is refused before anything is written. */
    cp__free(g->groups[0].name);
    g->groups[0].name = cp__strdup("a/b");
    snprintf(path, sizeof path, "%s", in_dir("slash.h5"));
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    cr_assert_eq(cp_graph_write_h5(g, path, NULL, &err), CP_E_INVALID);
    cr_assert_not_null(strstr(err.msg, "a/b"), "%s", err.msg);
    cr_assert(!file_exists(path));
    cr_assert(!file_exists(tmp));
    cp_graph_free(&g);
}

/* ---- allocation failures ------------------------------------------------------------------- */

Test(graph_h5, every_allocation_failure_is_clean) {
    cp_graph *g = string_graph(), *back = NULL;
    cp_graph *rich = rich_int_graph();
    cp_error err;
    char path[4300], tmp[4400];
    snprintf(path, sizeof path, "%s", in_dir("fault.h5"));
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    const cp_graph *graphs[2] = {g, rich};
    for (int which = 0; which < 2; which++) {
        cp_status s = CP_E_NOMEM;
        long k;
        for (k = 0; k < 10000 && s == CP_E_NOMEM; k++) {
            remove(path);
            id_counts before = open_ids();
            cp__alloc_fail_after(k);
            s = cp_graph_write_h5(graphs[which], path, NULL, &err);
            cp__alloc_fail_after(-1);
            assert_same_ids(before, "write");
            cr_assert(s == CP_OK || s == CP_E_NOMEM, "write, fault %ld: %s", k, err.msg);
            cr_assert(!file_exists(tmp), "write, fault %ld left the temporary file", k);
            cr_assert_eq(file_exists(path), s == CP_OK);
        }
        cr_assert_eq(s, CP_OK);
        s = CP_E_NOMEM;
        for (k = 0; k < 10000 && s == CP_E_NOMEM; k++) {
            id_counts before = open_ids();
            cp__alloc_fail_after(k);
            s = cp_graph_read_h5(&back, path, &err);
            cp__alloc_fail_after(-1);
            assert_same_ids(before, "read");
            cr_assert(s == CP_OK || s == CP_E_NOMEM, "read, fault %ld: %s", k, err.msg);
            cr_assert_eq(back == NULL, s != CP_OK);
        }
        cr_assert_eq(s, CP_OK);
        cr_assert_gt(k, 5, "the reader allocated almost nothing?");
        assert_same_graph(graphs[which], back);
        cp_graph_free(&back);
    }
    cp_graph_free(&g);
    cp_graph_free(&rich);
}

/* ---- an independent reader ----------------------------------------------------------------- */

static char *run_h5py(const char *file) {
    char cmd[9000];
    snprintf(cmd, sizeof cmd, "/usr/bin/python3 '%s' '%s' 2>&1",
             cp_test_source("tests/io/read_graph_h5py.py"), file);
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p);
    static char out[8192];
    size_t len = fread(out, 1, sizeof out - 1, p);
    out[len] = '\0';
    int rc = pclose(p);
    cr_assert_eq(rc, 0, "h5py reader failed: %s", out);
    return out;
}

Test(graph_h5, readable_by_h5py) {
    if (system("/usr/bin/python3 -c 'import h5py' >/dev/null 2>&1") != 0) {
        cr_skip_test("python3-h5py is not installed");
    }
    cp_error err;
    char path[4300];
    cp_graph *g = string_graph();
    snprintf(path, sizeof path, "%s", in_dir("for_h5py_str.h5"));
    ok(cp_graph_write_h5(g, path, NULL, &err), &err);
    cp_graph_free(&g);
    cr_assert_str_eq(run_h5py(path), "schema=chokepoint-graph version=1\n"
                                     "n=5 m=3\n"
                                     "layers=control\n"
                                     "id=Zürich Trading AG\n"
                                     "id=O\"Brien, Ltd\n"
                                     "id=a,b\n"
                                     "edge=0,1,1.0\n");

    g = rich_int_graph();
    snprintf(path, sizeof path, "%s", in_dir("for_h5py_int.h5"));
    ok(cp_graph_write_h5(g, path, NULL, &err), &err);
    cp_graph_free(&g);
    cr_assert_str_eq(run_h5py(path), "schema=chokepoint-graph version=1\n"
                                     "n=7 m=8\n"
                                     "layers=ownership,transaction\n"
                                     "id=10\n"
                                     "id=20\n"
                                     "id=3000000000\n"
                                     "edge=0,1,1.5\n");

    g = cp_test_graph(0, 0, NULL, NULL, NULL, "t", CP_MEANING_NONE, true);
    snprintf(path, sizeof path, "%s", in_dir("for_h5py_empty.h5"));
    ok(cp_graph_write_h5(g, path, NULL, &err), &err);
    cp_graph_free(&g);
    cr_assert_str_eq(run_h5py(path), "schema=chokepoint-graph version=1\n"
                                     "n=0 m=0\n"
                                     "layers=t\n");
}

static char *slurp(const char *path, long *size) {
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f);
    fseek(f, 0, SEEK_END);
    *size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)*size + 1);
    cr_assert_eq(fread(buf, 1, (size_t)*size, f), (size_t)*size);
    fclose(f);
    return buf;
}

Test(graph_h5, same_graph_same_bytes) {
    /* No object times are stored, so a file depends only on its content. */
    cp_graph *g = rich_int_graph();
    cp_error err;
    char a[4300], b[4300];
    snprintf(a, sizeof a, "%s", in_dir("same_a.h5"));
    snprintf(b, sizeof b, "%s", in_dir("same_b.h5"));
    ok(cp_graph_write_h5(g, a, "test", &err), &err);
    sleep(1);
    ok(cp_graph_write_h5(g, b, "test", &err), &err);
    long na = 0, nb = 0;
    char *x = slurp(a, &na), *y = slurp(b, &nb);
    cr_assert_eq(na, nb);
    cr_assert_eq(memcmp(x, y, (size_t)na), 0, "two writes of one graph differ");
    free(x);
    free(y);
    cp_graph_free(&g);
}
