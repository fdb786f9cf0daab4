/* libFuzzer target: cp_graph_read_h5 (io/graph_h5.c, io/h5util.c). libhdf5 1.10 itself is not
 * robust against corrupt files (it crashes on many of them, outside our code), so this target is
 * structure-aware: the input describes a well-formed HDF5 file (which datasets exist, their
 * stored types, shapes and raw contents, the root attributes, the /layers and /groups members),
 * the target writes it with libhdf5 and reads it back with cp_graph_read_h5. That exercises every
 * check of the reader (missing / mis-shaped / mistyped datasets, values out of range, NaN weights,
 * duplicate ids, odd strings, bad attributes) without fuzzing libhdf5's own parser.
 *
 * Input: byte 0 n (mod 16), byte 1 m (mod 32), then the root attributes, one spec per known
 * dataset (absent, or a stored type, a shape and the raw bytes of its elements), the layers and
 * the groups; missing bytes read as 0. */
#include "fuzz_common.h"

#include <hdf5.h>

#include "graph_h5.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct cursor {
    const uint8_t *p;
    size_t n;
} cursor;

static uint8_t take8(cursor *c) {
    if (c->n == 0) {
        return 0;
    }
    c->n--;
    return *c->p++;
}

static void take(cursor *c, void *out, size_t k) {
    size_t have = k < c->n ? k : c->n;
    if (have > 0) {
        memcpy(out, c->p, have);
    }
    memset((uint8_t *)out + have, 0, k - have);
    c->p += have;
    c->n -= have;
}

enum { T_VLEN_STR = 9, T_FIX2 = 10, T_FIX5 = 11, T_BOOL = 12, N_TYPES = 14 };

/* The stored (file) type of selector t (the caller closes it). */
static hid_t file_type(int t) {
    switch (t) {
    case 0:
        return H5Tcopy(H5T_STD_I8LE);
    case 1:
        return H5Tcopy(H5T_STD_U8LE);
    case 2:
        return H5Tcopy(H5T_STD_I16BE);
    case 3:
        return H5Tcopy(H5T_STD_I32LE);
    case 5:
        return H5Tcopy(H5T_STD_U64LE);
    case 6:
        return H5Tcopy(H5T_IEEE_F32LE);
    case 7:
        return H5Tcopy(H5T_IEEE_F64LE);
    case 8:
        return H5Tcopy(H5T_IEEE_F64BE);
    case T_VLEN_STR:
    case T_FIX2:
    case T_FIX5: {
        hid_t s = H5Tcopy(H5T_C_S1);
        H5Tset_size(s, t == T_VLEN_STR ? H5T_VARIABLE : (t == T_FIX2 ? 2 : 5));
        H5Tset_cset(s, H5T_CSET_UTF8);
        return s;
    }
    case T_BOOL: { /* h5py's bool */
        hid_t e = H5Tenum_create(H5T_NATIVE_INT8);
        int8_t v = 0;
        H5Tenum_insert(e, "FALSE", &v);
        v = 1;
        H5Tenum_insert(e, "TRUE", &v);
        return e;
    }
    case 13:
        return H5Tcopy(H5T_STD_U32BE);
    default:
        return H5Tcopy(H5T_STD_I64LE);
    }
}

/* Writes dataset `name` from the spec at the cursor: byte a (bit 0 clear: absent; bits 1-4 the
 * type), byte b (shape: 0..199 the natural length `len`, 200..239 a length 0..39, 240..249 a
 * scalar, 250..255 rank 2 with len x 2), then the elements' raw bytes (strings: a length byte
 * and that many bytes each). */
static void put_dataset(hid_t file, hid_t lcpl, const char *name, hsize_t len, cursor *c,
                        bool force) {
    uint8_t a = take8(c), b = take8(c);
    if (!(a & 1) && !force) {
        return;
    }
    int t = ((a >> 1) & 15) % N_TYPES;
    hsize_t dims[2] = {len, 2};
    int rank = 1;
    if (b >= 200 && b < 240) {
        dims[0] = b - 200;
    } else if (b >= 240 && b < 250) {
        rank = 0;
    } else if (b >= 250) {
        rank = 2;
    }
    size_t count = rank == 0 ? 1 : (size_t)dims[0] * (rank == 2 ? 2 : 1);
    hid_t type = file_type(t);
    hid_t space = rank == 0 ? H5Screate(H5S_SCALAR) : H5Screate_simple(rank, dims, NULL);
    hid_t dset = H5Dcreate2(file, name, type, space, lcpl, H5P_DEFAULT, H5P_DEFAULT);
    if (t == T_VLEN_STR) {
        char **s = calloc(count + 1, sizeof *s);
        for (size_t i = 0; i < count; i++) {
            size_t k = take8(c) % 12;
            s[i] = calloc(k + 1, 1);
            take(c, s[i], k);
        }
        H5Dwrite(dset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, s);
        for (size_t i = 0; i < count; i++) {
            free(s[i]);
        }
        free(s);
    } else {
        size_t el = H5Tget_size(type);
        uint8_t *buf = malloc(count * el + 1);
        take(c, buf, count * el);
        H5Dwrite(dset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf);
        free(buf);
    }
    H5Dclose(dset);
    H5Sclose(space);
    H5Tclose(type);
}

static void put_attr_str(hid_t loc, const char *name, const char *value) {
    hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, H5T_VARIABLE);
    H5Tset_cset(type, H5T_CSET_UTF8);
    hid_t space = H5Screate(H5S_SCALAR);
    hid_t attr = H5Acreate2(loc, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
    H5Awrite(attr, type, &value);
    H5Aclose(attr);
    H5Sclose(space);
    H5Tclose(type);
}

static void put_attr_num(hid_t loc, const char *name, hid_t type, const void *value) {
    hid_t space = H5Screate(H5S_SCALAR);
    hid_t attr = H5Acreate2(loc, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
    H5Awrite(attr, type, value);
    H5Aclose(attr);
    H5Sclose(space);
}

/* An attribute from one selector byte (and more bytes for fuzzed values): the usual string or
 * number, absent, another type, or a fuzzed string. */
static void put_attr(hid_t loc, const char *name, const char *usual, double usual_num, cursor *c) {
    uint8_t s = take8(c);
    switch (s % 8) {
    case 5:
        return; /* absent */
    case 6: {
        char text[9];
        take(c, text, 8);
        text[8] = '\0';
        put_attr_str(loc, name, text);
        return;
    }
    case 7: {
        int64_t v = (int8_t)take8(c);
        put_attr_num(loc, name, H5T_NATIVE_INT64, &v);
        return;
    }
    default:
        if (usual != NULL && s % 2 == 0) {
            put_attr_str(loc, name, usual);
        } else if (usual != NULL) {
            put_attr_num(loc, name, H5T_NATIVE_DOUBLE, &usual_num);
        } else if (s % 2 == 0) {
            put_attr_num(loc, name, H5T_NATIVE_DOUBLE, &usual_num);
        } else {
            int64_t v = (int64_t)usual_num;
            put_attr_num(loc, name, H5T_NATIVE_INT64, &v);
        }
    }
}

static void write_file(const char *path, cursor *c) {
    hsize_t n = take8(c) % 16, m = take8(c) % 32;
    hid_t file = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
    H5Pset_create_intermediate_group(lcpl, 1);
    hid_t root = H5Gopen2(file, "/", H5P_DEFAULT);
    uint8_t schema = take8(c);
    put_attr(root, "schema", schema % 16 == 15 ? "chokepoint-results" : "chokepoint-graph", 0, c);
    put_attr(root, "schema_version", NULL, 1, c);
    H5Gclose(root);

    static const char *const node_sets[] = {"/nodes/name", "/nodes/kind", "/nodes/country",
                                            "/nodes/designated"};
    static const char *const edge_sets[] = {"/edges/target", "/edges/src",    "/edges/dst",
                                            "/edges/layer",  "/edges/weight", "/edges/time"};
    put_dataset(file, lcpl, "/nodes/id", n, c, false);
    for (size_t i = 0; i < sizeof node_sets / sizeof node_sets[0]; i++) {
        put_dataset(file, lcpl, node_sets[i], n, c, false);
    }
    put_dataset(file, lcpl, "/edges/source", m, c, false);
    for (size_t i = 0; i < sizeof edge_sets / sizeof edge_sets[0]; i++) {
        put_dataset(file, lcpl, edge_sets[i], m, c, false);
    }

    /* Layers: a selector byte (bit 0: a /layers group; bits 1-2: members), per member a byte
     * (bit 0: a dataset instead of a group) and its attributes. */
    static const char *const layer_names[] = {"edges", "transaction", "b", "zz"};
    static const char *const meanings[] = {"none", "share", "amount", "count", "length", "bogus"};
    uint8_t ls = take8(c);
    if (ls & 1) {
        hid_t layers = H5Gcreate2(file, "/layers", lcpl, H5P_DEFAULT, H5P_DEFAULT);
        int k = (ls >> 1) & 3;
        for (int i = 0; i < k; i++) {
            uint8_t how = take8(c);
            if (how & 1) {
                char name[64];
                snprintf(name, sizeof name, "/layers/%s", layer_names[i]);
                put_dataset(file, lcpl, name, 1, c, true);
                continue;
            }
            hid_t grp = H5Gcreate2(layers, layer_names[i], lcpl, H5P_DEFAULT, H5P_DEFAULT);
            put_attr(grp, "meaning", meanings[(how >> 1) % 6], 0, c);
            put_attr(grp, "units", "ETH", 0, c);
            put_attr(grp, "directed", NULL, (how >> 4) % 3, c);
            H5Gclose(grp);
        }
        H5Gclose(layers);
    }

    /* Groups: bits 0-1 of a byte, members written like datasets (natural length 3). */
    static const char *const group_names[] = {"/groups/designated", "/groups/program:X",
                                              "/groups/g"};
    int gs = take8(c) % 4;
    for (int i = 0; i < gs; i++) {
        put_dataset(file, lcpl, group_names[i], 3, c, true);
    }
    H5Pclose(lcpl);
    H5Fclose(file);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static int quiet = 0;
    if (!quiet) {
        H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
        quiet = 1;
    }
    cursor c = {data, size};
    const char *path = fuzz_path("g.h5");
    write_file(path, &c);
    cp_graph *g = NULL;
    cp_error err;
    cp_status s = cp_graph_read_h5(&g, path, &err);
    fuzz_report(s, &err);
    cp_graph_free(&g);
    return 0;
}
