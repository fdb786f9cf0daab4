/* Ranged ownership shares from the command line: `import --format ftm` stores the bounds of each
 * share in /edges/extra/share_lower and share_upper, cp_graph_read_h5_edge_extra reads them back
 * aligned with the graph's edges, and `block --ranges` runs the closures at the lower bounds
 * (certainly blocked) and at the upper bounds (possibly blocked).
 *
 * Hand-worked case (as tests/host/test_ownership.c share_ranges_certain_and_possible): X is
 * designated (a Sanction); X holds 25-50% of A and 60-70% of B; A holds 0-10% of C, in which X
 * holds 45%. Awkward extras: X directs E (layer control), B pays C 20,000,000 EUR (a weight that is
 * no share: other layers must be ignored), F owns 10-90% of itself (a self-loop, ignored by the
 * rule) and nothing else.
 *   OFAC (>= 50%), lower bounds: B 60% blocked in round 1; A 25%, C 45% free.
 *                  upper bounds: A 50% and B 70% blocked in round 1, then C 45% + 10% = 55% in
 *                  round 2. So B certainly; A and C possibly but not certainly. E free (OFAC has
 *                  no control rule).
 *   EU 2022 (> 50%, or control), lower bounds: B and E (control) blocked; upper bounds: A at
 *                  exactly 50% stays free, so C stays at 45%: nothing is possibly but not
 *                  certainly blocked. */
#include <criterion/criterion.h>
#include <hdf5.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "cp_test.h"
#include "graph_h5.h"
#include "graph_impl.h"
#include "results.h"

static const char ranged_ftm[] =
    "{\"id\":\"X\",\"schema\":\"Person\",\"properties\":{\"name\":[\"Xavier\"]}}\n"
    "{\"id\":\"A\",\"schema\":\"Company\",\"properties\":{}}\n"
    "{\"id\":\"B\",\"schema\":\"Company\",\"properties\":{}}\n"
    "{\"id\":\"C\",\"schema\":\"Company\",\"properties\":{}}\n"
    "{\"id\":\"E\",\"schema\":\"Company\",\"properties\":{}}\n"
    "{\"id\":\"F\",\"schema\":\"Company\",\"properties\":{}}\n"
    "{\"id\":\"o1\",\"schema\":\"Ownership\",\"properties\":{\"owner\":[\"X\"],\"asset\":[\"A\"],"
    "\"percentage\":[\"25-50%\"]}}\n"
    "{\"id\":\"o2\",\"schema\":\"Ownership\",\"properties\":{\"owner\":[\"X\"],\"asset\":[\"B\"],"
    "\"percentage\":[\"60 to 70%\"]}}\n"
    "{\"id\":\"o3\",\"schema\":\"Ownership\",\"properties\":{\"owner\":[\"A\"],\"asset\":[\"C\"],"
    "\"percentage\":[\"0-10%\"]}}\n"
    "{\"id\":\"o4\",\"schema\":\"Ownership\",\"properties\":{\"owner\":[\"X\"],\"asset\":[\"C\"],"
    "\"percentage\":[\"45%\"]}}\n"
    "{\"id\":\"o5\",\"schema\":\"Ownership\",\"properties\":{\"owner\":[\"F\"],\"asset\":[\"F\"],"
    "\"percentage\":[\"10-90%\"]}}\n"
    "{\"id\":\"d1\",\"schema\":\"Directorship\",\"properties\":{\"director\":[\"X\"],"
    "\"organization\":[\"E\"]}}\n"
    "{\"id\":\"p1\",\"schema\":\"Payment\",\"properties\":{\"payer\":[\"B\"],\"beneficiary\":"
    "[\"C\"],\"amount\":[\"20,000,000\"],\"currency\":[\"EUR\"]}}\n"
    "{\"id\":\"s1\",\"schema\":\"Sanction\",\"properties\":{\"entity\":[\"X\"]}}\n";

/* The same owners with point shares only: the importer writes no bounds. */
static const char point_ftm[] =
    "{\"id\":\"X\",\"schema\":\"Person\",\"properties\":{}}\n"
    "{\"id\":\"B\",\"schema\":\"Company\",\"properties\":{}}\n"
    "{\"id\":\"o2\",\"schema\":\"Ownership\",\"properties\":{\"owner\":[\"X\"],\"asset\":[\"B\"],"
    "\"percentage\":[\"60%\"]}}\n"
    "{\"id\":\"s1\",\"schema\":\"Sanction\",\"properties\":{\"entity\":[\"X\"]}}\n";

enum { X, A, B, C, E, F, N_NODES };
static const char *const node_id[N_NODES] = {"X", "A", "B", "C", "E", "F"};

static const char *in_dir(const char *dir, const char *name) {
    static char path[8][1200];
    static int turn = 0;
    char *p = path[turn++ % 8];
    snprintf(p, 1200, "%s/%s", dir, name);
    return p;
}

/* Runs the CLI; asserts the exit code and that the output holds each needle (NULL-terminated). */
static void run(const char *args, int code, const char *const *needles) {
    char *out = NULL;
    int rc = cp_test_cli(args, &out);
    cr_assert_eq(rc, code, "chokepoint %s: exit %d, expected %d; output:\n%s", args, rc, code, out);
    for (int i = 0; needles != NULL && needles[i] != NULL; i++) {
        cr_assert(strstr(out, needles[i]) != NULL, "chokepoint %s: output lacks '%s':\n%s", args,
                  needles[i], out);
    }
    free(out);
}

/* Imports text (FtM JSON lines) into dir/name.h5 with the CLI; returns the graph file's path. */
static const char *import_ftm(const char *dir, const char *name, const char *text) {
    char json[1200], args[4096];
    snprintf(json, sizeof json, "%s/%s.ftm.json", dir, name);
    cp_test_write(json, text);
    const char *h5 = in_dir(dir, name);
    snprintf(args, sizeof args, "import %s --format ftm -o %s.h5", json, h5);
    run(args, 0, NULL);
    static char path[1300];
    snprintf(path, sizeof path, "%s.h5", h5);
    return path;
}

/* The node indices of X, A, ... in g (the importer decides the order). */
static void node_indices(cp_graph *g, int32_t idx[N_NODES]) {
    for (int i = 0; i < N_NODES; i++) {
        idx[i] = cp_graph_find_node(g, node_id[i]);
        cr_assert_geq(idx[i], 0, "node %s", node_id[i]);
    }
}

/* The edge from `from` to `to` on layer `layer` (exactly one), or -1. */
static int64_t find_edge(const cp_graph *g, int32_t from, int32_t to, const char *layer) {
    int l = cp__graph_find_layer(g, layer);
    int64_t found = -1;
    for (int64_t e = 0; e < g->m; e++) {
        if (g->src[e] == from && g->dst[e] == to && g->layer[e] == l) {
            cr_assert_eq(found, -1, "two edges %d -> %d on %s", from, to, layer);
            found = e;
        }
    }
    return found;
}

/* Reads a 1-D per-node dataset of a results file as doubles (n values). */
static double *read_node_values(const char *file, const char *dataset, int32_t n) {
    double *v = NULL;
    int64_t dims[2] = {0, 0};
    cp_error err;
    cr_assert_eq(cp_h5_read_f64(file, dataset, &v, dims, &err), CP_OK, "%s", err.msg);
    cr_assert_eq(dims[0], n, "%s has %lld values", dataset, (long long)dims[0]);
    return v;
}

/* Checks /ownership/<which>/blocked and exposure of a results file exactly. Exposures are ppm
 * divided by 1e6, so 0.45 is the double nearest 450000 / 1e6, the literal 0.45. */
static void expect_closure(const char *file, const char *which, const cp_graph *g,
                           const int32_t idx[N_NODES], const double blocked[N_NODES],
                           const double exposure[N_NODES]) {
    char name[128];
    snprintf(name, sizeof name, "/ownership/%s/blocked", which);
    double *b = read_node_values(file, name, g->n);
    snprintf(name, sizeof name, "/ownership/%s/exposure", which);
    double *x = read_node_values(file, name, g->n);
    for (int i = 0; i < N_NODES; i++) {
        cr_assert_eq(b[idx[i]], blocked[i], "%s: %s blocked %g, expected %g", which, node_id[i],
                     b[idx[i]], blocked[i]);
        cr_assert_eq(x[idx[i]], exposure[i], "%s: %s exposure %.17g, expected %.17g", which,
                     node_id[i], x[idx[i]], exposure[i]);
    }
    free(b);
    free(x);
}

/* Overwrites element e of a float64 dataset of a graph file (HDF5 directly, none of our code). */
static void poke(const char *file, const char *dataset, int64_t e, double value) {
    hid_t f = H5Fopen(file, H5F_ACC_RDWR, H5P_DEFAULT);
    cr_assert_geq(f, 0, "cannot open %s", file);
    hid_t d = H5Dopen2(f, dataset, H5P_DEFAULT);
    cr_assert_geq(d, 0, "cannot open %s", dataset);
    hid_t fs = H5Dget_space(d);
    hsize_t start[1] = {(hsize_t)e}, count[1] = {1};
    cr_assert_geq(H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL), 0);
    hid_t ms = H5Screate_simple(1, count, NULL);
    cr_assert_geq(H5Dwrite(d, H5T_NATIVE_DOUBLE, ms, fs, H5P_DEFAULT, &value), 0);
    H5Sclose(ms);
    H5Sclose(fs);
    H5Dclose(d);
    H5Fclose(f);
}

/* Adds a dataset of `count` int32 zeros (rank 1, or rank 2 as count x 1) to a graph file. */
static void add_int_dataset(const char *file, const char *dataset, hsize_t count, int rank) {
    hid_t f = H5Fopen(file, H5F_ACC_RDWR, H5P_DEFAULT);
    cr_assert_geq(f, 0, "cannot open %s", file);
    hsize_t dims[2] = {count, 1};
    hid_t sp = H5Screate_simple(rank, dims, NULL);
    hid_t d = H5Dcreate2(f, dataset, H5T_STD_I32LE, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    cr_assert_geq(d, 0, "cannot create %s", dataset);
    H5Dclose(d);
    H5Sclose(sp);
    H5Fclose(f);
}

/* The importer's bounds come back through cp_graph_read_h5_edge_extra, aligned with the edges
 * of cp_graph_read_h5: ranges on the ownership layer, the weight on other layers. */
Test(block_ranges, bounds_read_back_in_edge_order) {
    const char *dir = cp_test_tmpdir();
    const char *h5 = import_ftm(dir, "net", ranged_ftm);
    cp_graph *g = NULL;
    cp_error err;
    cr_assert_eq(cp_graph_read_h5(&g, h5, &err), CP_OK, "%s", err.msg);
    int32_t v[N_NODES];
    node_indices(g, v);
    cr_assert_eq(g->m, 7);
    double *lo = NULL, *hi = NULL;
    bool present = false;
    cr_assert_eq(cp_graph_read_h5_edge_extra(&lo, &present, h5, "share_lower", g->m, &err), CP_OK,
                 "%s", err.msg);
    cr_assert(present);
    cr_assert_eq(cp_graph_read_h5_edge_extra(&hi, &present, h5, "share_upper", g->m, &err), CP_OK,
                 "%s", err.msg);
    cr_assert(present);
    const struct {
        int from, to;
        const char *layer;
        double lo, hi, w;
    } want[] = {
        {X, A, "ownership", 0.25, 0.5, 0.25}, {X, B, "ownership", 0.6, 0.7, 0.6},
        {A, C, "ownership", 0.0, 0.1, 0.0},   {X, C, "ownership", 0.45, 0.45, 0.45},
        {F, F, "ownership", 0.1, 0.9, 0.1},   {X, E, "control", 1.0, 1.0, 1.0},
        {B, C, "payment:EUR", 2e7, 2e7, 2e7},
    };
    for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
        int64_t e = find_edge(g, v[want[k].from], v[want[k].to], want[k].layer);
        cr_assert_geq(e, 0, "edge %zu missing", k);
        cr_assert_eq(g->weight[e], want[k].w, "edge %zu weight %g", k, g->weight[e]);
        cr_assert_eq(lo[e], want[k].lo, "edge %zu lower %.17g", k, lo[e]);
        cr_assert_eq(hi[e], want[k].hi, "edge %zu upper %.17g", k, hi[e]);
    }
    cp__free(lo);
    cp__free(hi);

    /* Absent column: CP_OK, present false, values NULL. */
    lo = (double *)&lo;
    present = true;
    cr_assert_eq(cp_graph_read_h5_edge_extra(&lo, &present, h5, "commodity", g->m, &err), CP_OK);
    cr_assert(!present);
    cr_assert_null(lo);
    /* A length other than m names the file and the dataset. */
    cr_assert_eq(cp_graph_read_h5_edge_extra(&lo, &present, h5, "share_lower", g->m + 1, &err),
                 CP_E_FORMAT);
    cr_assert(strstr(err.msg, h5) != NULL && strstr(err.msg, "/edges/extra/share_lower") != NULL &&
                  strstr(err.msg, "has 7 elements") != NULL,
              "%s", err.msg);
    cr_assert_null(lo);
    cr_assert(!present);
    /* Integers, and a column of rank 2, are not float64 columns. */
    add_int_dataset(h5, "/edges/extra/ints", (hsize_t)g->m, 1);
    add_int_dataset(h5, "/edges/extra/matrix", (hsize_t)g->m, 2);
    cr_assert_eq(cp_graph_read_h5_edge_extra(&lo, &present, h5, "ints", g->m, &err), CP_E_FORMAT);
    cr_assert(strstr(err.msg, h5) != NULL && strstr(err.msg, "/edges/extra/ints") != NULL &&
                  strstr(err.msg, "float64") != NULL,
              "%s", err.msg);
    cr_assert_eq(cp_graph_read_h5_edge_extra(&lo, &present, h5, "matrix", g->m, &err), CP_E_FORMAT);
    cr_assert(strstr(err.msg, "/edges/extra/matrix") != NULL && strstr(err.msg, "rank") != NULL,
              "%s", err.msg);
    /* Bad arguments, a missing file, a file that is not a graph. */
    cr_assert_eq(cp_graph_read_h5_edge_extra(NULL, &present, h5, "share_lower", g->m, &err),
                 CP_E_INVALID);
    cr_assert_eq(cp_graph_read_h5_edge_extra(&lo, NULL, h5, "share_lower", g->m, &err),
                 CP_E_INVALID);
    cr_assert_eq(cp_graph_read_h5_edge_extra(&lo, &present, h5, "a/b", g->m, &err), CP_E_INVALID);
    cr_assert_eq(cp_graph_read_h5_edge_extra(&lo, &present, h5, "", g->m, &err), CP_E_INVALID);
    cr_assert_eq(cp_graph_read_h5_edge_extra(&lo, &present, h5, "share_lower", -1, &err),
                 CP_E_INVALID);
    const char *missing = in_dir(dir, "missing.h5");
    cr_assert_eq(cp_graph_read_h5_edge_extra(&lo, &present, missing, "share_lower", 1, &err),
                 CP_E_IO);
    cr_assert(strstr(err.msg, missing) != NULL, "%s", err.msg);
    const char *json = in_dir(dir, "net.ftm.json");
    cr_assert_eq(cp_graph_read_h5_edge_extra(&lo, &present, json, "share_lower", 1, &err),
                 CP_E_FORMAT);
    cr_assert_null(lo);
    cp_graph_free(&g);
}

Test(block_ranges, ofac_and_eu_2022, .timeout = 120) {
    const char *dir = cp_test_tmpdir();
    char h5[1300], args[4096];
    snprintf(h5, sizeof h5, "%s", import_ftm(dir, "net", ranged_ftm));
    cp_graph *g = NULL;
    cp_error err;
    cr_assert_eq(cp_graph_read_h5(&g, h5, &err), CP_OK, "%s", err.msg);
    int32_t v[N_NODES];
    node_indices(g, v);

    /* OFAC. The possibly-but-not-certainly list is ordered by the exposure at the upper bounds:
     * C (55%) before A (50%). */
    const char *ofac = in_dir(dir, "ofac.h5");
    snprintf(args, sizeof args, "block %s --designated group:designated --ranges -o %s", h5, ofac);
    const char *ofac_out[] = {"besides the 1 designated: certainly blocked 1, possibly blocked 3, "
                              "possibly but not certainly 2",
                              "possibly C                    exposure 45.0000%..55.0000%, blocked "
                              "in round 2",
                              "possibly A                    exposure 25.0000%..50.0000%, blocked "
                              "in round 1",
                              NULL};
    run(args, 0, ofac_out);
    {
        char *out = NULL;
        cr_assert_eq(cp_test_cli(args, &out), 0);
        cr_assert(strstr(out, "possibly C") < strstr(out, "possibly A"), "%s", out);
        free(out);
    }
    const double ofac_cb[N_NODES] = {1, 0, 2, 0, 0, 0};
    const double ofac_cx[N_NODES] = {0, 0.25, 0.6, 0.45, 0, 0};
    const double ofac_pb[N_NODES] = {1, 2, 2, 2, 0, 0};
    const double ofac_px[N_NODES] = {0, 0.5, 0.7, 0.55, 0, 0};
    expect_closure(ofac, "certain", g, v, ofac_cb, ofac_cx);
    expect_closure(ofac, "possible", g, v, ofac_pb, ofac_px);
    /* The point closure runs on the weights, which are the lower bounds: the same as certain. */
    double *pb = read_node_values(ofac, "/ownership/blocked", g->n);
    double *px = read_node_values(ofac, "/ownership/exposure", g->n);
    for (int i = 0; i < N_NODES; i++) {
        cr_assert_eq(pb[v[i]], ofac_cb[i], "%s", node_id[i]);
        cr_assert_eq(px[v[i]], ofac_cx[i], "%s", node_id[i]);
    }
    free(pb);
    free(px);
    double count = 0;
    cr_assert_eq(cp_h5_read_attr_f64(ofac, "/ownership/possible", "n_newly_blocked", &count, &err),
                 CP_OK, "%s", err.msg);
    cr_assert_eq(count, 3);
    cr_assert_eq(cp_h5_read_attr_f64(ofac, "/ownership/certain", "n_newly_blocked", &count, &err),
                 CP_OK, "%s", err.msg);
    cr_assert_eq(count, 1);

    /* EU 2022: more than 50% (A at exactly 50% stays free, so C stays at 45%), or control. */
    const char *eu = in_dir(dir, "eu2022.h5");
    snprintf(args, sizeof args,
             "block %s --designated group:designated --ranges --regime eu-2022 -o %s", h5, eu);
    const char *eu_out[] = {"certainly blocked 2, possibly blocked 2, possibly but not certainly 0",
                            NULL};
    run(args, 0, eu_out);
    const double eu_b[N_NODES] = {1, 0, 2, 0, 2, 0};
    const double eu_cx[N_NODES] = {0, 0.25, 0.6, 0.45, 0, 0};
    const double eu_px[N_NODES] = {0, 0.5, 0.7, 0.45, 0, 0};
    expect_closure(eu, "certain", g, v, eu_b, eu_cx);
    expect_closure(eu, "possible", g, v, eu_b, eu_px);

    /* A NaN bound takes the edge's weight: X -> A becomes the point share 25%, so A is never
     * blocked and C only reaches 45%; only B is blocked, certainly. */
    int64_t xa = find_edge(g, v[X], v[A], "ownership");
    cr_assert_geq(xa, 0);
    poke(h5, "/edges/extra/share_lower", xa, NAN);
    poke(h5, "/edges/extra/share_upper", xa, NAN);
    const char *nan = in_dir(dir, "nan.h5");
    snprintf(args, sizeof args, "block %s --designated group:designated --ranges -o %s", h5, nan);
    const char *nan_out[] = {
        "certainly blocked 1, possibly blocked 1, possibly but not certainly 0", NULL};
    run(args, 0, nan_out);
    const double nan_px[N_NODES] = {0, 0.25, 0.7, 0.45, 0, 0};
    expect_closure(nan, "certain", g, v, ofac_cb, ofac_cx);
    expect_closure(nan, "possible", g, v, ofac_cb, nan_px);

    /* Bad bounds in the file: exit 2, naming the file, the dataset and the edge. */
    int64_t xb = find_edge(g, v[X], v[B], "ownership");
    cr_assert_geq(xb, 0);
    poke(h5, "/edges/extra/share_lower", xb, 0.8); /* above its upper bound 0.7 */
    snprintf(args, sizeof args, "block %s --designated group:designated --ranges", h5);
    char edge[64];
    snprintf(edge, sizeof edge, "edge %lld (X -> B)", (long long)xb);
    const char *above[] = {h5, edge, "share_lower (0.8) is above /edges/extra/share_upper (0.7)",
                           NULL};
    run(args, 2, above);
    poke(h5, "/edges/extra/share_lower", xb, -0.1);
    char elem[64];
    snprintf(elem, sizeof elem, "/edges/extra/share_lower[%lld] is -0.1", (long long)xb);
    const char *negative[] = {h5, elem, NULL};
    run(args, 2, negative);
    cp_graph_free(&g);
}

/* A graph without bounds: --ranges is an error (exit 2) naming the file; without it block runs. */
Test(block_ranges, graph_without_bounds) {
    const char *dir = cp_test_tmpdir();
    char h5[1300], args[4096];
    snprintf(h5, sizeof h5, "%s", import_ftm(dir, "point", point_ftm));
    cr_assert(!cp_h5_exists(h5, "/edges/extra/share_lower"));
    snprintf(args, sizeof args, "block %s --designated group:designated --ranges -o %s/out.h5", h5,
             dir);
    const char *need[] = {h5,
                          "no /edges/extra/share_lower: import with share ranges (ftm, icij) "
                          "or omit --ranges",
                          NULL};
    run(args, 2, need);
    cr_assert(!cp_h5_exists(in_dir(dir, "out.h5"), "/ownership"), "no output on error");
    snprintf(args, sizeof args, "block %s --designated group:designated", h5);
    const char *ok[] = {"designated 1, newly blocked 1", NULL};
    run(args, 0, ok);
}
