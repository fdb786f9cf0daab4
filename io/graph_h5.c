/* The HDF5 graph file, schema `chokepoint-graph` version 1 (DESIGN section 6).
 *
 * Layout:
 *   /                 attrs schema="chokepoint-graph", schema_version=1, created_by, description
 *   /nodes/id         int64 or UTF-8 strings, n (required: it defines n)
 *   /nodes/name       strings, n (optional)
 *   /nodes/kind       uint8, n (optional on input, default 0 = other)
 *   /nodes/country    2-byte fixed strings, n (optional, default unknown)
 *   /nodes/designated uint8 0/1, n (optional, default 0)
 *   /groups/<NAME>    int32 node indices (optional)
 *   /layers/<NAME>    group with attrs meaning, units, directed
 *   /edges/source, /edges/target  int32, m (also accepted as /edges/src, /edges/dst)
 *   /edges/layer      uint8, m: index into /layers in name order (optional with at most one layer)
 *   /edges/weight     float64, m (optional on input, default 1)
 *   /edges/time       int64, m (optional)
 *   /edges/extra/<NAME>  float64, m (optional; written by cp_graph_write_h5_ex, read one column
 *                     at a time by cp_graph_read_h5_edge_extra, aligned with /edges/source:
 *                     e.g. share_lower / share_upper, the bounds of ranged ownership shares)
 *   /merged/id        int64 or UTF-8 strings, k (optional; written by cp_graph_write_h5_ex, not
 *                     read back): external ids of records merged into another node (--same-as)
 *   /merged/into      int32, k: the node index (into /nodes) each of them was merged into
 * A file without a /layers group gets one layer "edges" (meaning none, directed).
 *
 * The reader opens every dataset and checks its shape before allocating anything, reads through
 * HDF5's type conversion into native types (a value that does not fit is an error, never clamped),
 * and checks every value before the graph is finalised, naming the dataset and the element. */
#include "graph_h5.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "graph_impl.h"
#include "h5util.h"
#include "idmap.h"

#define SCHEMA_NAME    "chokepoint-graph"
#define SCHEMA_VERSION 1
#define DEFAULT_LAYER  "edges"

/* "<prefix>/<name>", cp__malloc'd (NULL when out of memory). */
static char *join_path(const char *prefix, const char *name) {
    size_t a = strlen(prefix), b = strlen(name);
    char *s = cp__malloc(a + b + 2);
    if (s != NULL) {
        memcpy(s, prefix, a);
        s[a] = '/';
        memcpy(s + a + 1, name, b + 1);
    }
    return s;
}

/* The class of the values a dataset holds, or H5T_NO_CLASS on error. */
static H5T_class_t dataset_class(hid_t dset) {
    hid_t t = H5Dget_type(dset);
    H5T_class_t c = t < 0 ? H5T_NO_CLASS : H5Tget_class(t);
    cp__h5_close(&t);
    return c;
}

/* ---- reading ------------------------------------------------------------------------------- */

static cp_status check_schema(hid_t file, const char *path, cp_error *err) {
    cp_status status = CP_OK;
    char *schema = NULL;
    double version = 0;
    if (!cp__h5_attr_exists(file, "/", "schema")) {
        return cp_error_set(err, CP_E_FORMAT,
                            "%s: not a chokepoint-graph file (root attribute 'schema' is missing; "
                            "expected schema=\"%s\")",
                            path, SCHEMA_NAME);
    }
    CP_TRY(cp__h5_attr_read_str(&schema, file, path, "/", "schema", err));
    if (strcmp(schema, SCHEMA_NAME) != 0) {
        status = cp_error_set(
            err, CP_E_FORMAT, "%s: root attribute 'schema' is \"%s\"; expected \"%s\"%s", path,
            schema, SCHEMA_NAME,
            strcmp(schema, "chokepoint-results") == 0 ? " (this is a results file, not a graph)"
                                                      : "");
        goto cleanup;
    }
    if (!cp__h5_attr_exists(file, "/", "schema_version")) {
        status = cp_error_set(err, CP_E_FORMAT,
                              "%s: root attribute 'schema_version' is missing; expected %d", path,
                              SCHEMA_VERSION);
        goto cleanup;
    }
    CP_TRY(cp__h5_attr_read_f64(&version, file, path, "/", "schema_version", err));
    if (version != SCHEMA_VERSION) {
        status = cp_error_set(err, CP_E_FORMAT,
                              "%s: root attribute 'schema_version' is %g; this build reads "
                              "chokepoint-graph version %d",
                              path, version, SCHEMA_VERSION);
        goto cleanup;
    }
cleanup:
    cp__free(schema);
    return status;
}

/* Opens an optional 1-D dataset and checks it has `want` elements (named after `what`). *dset
 * stays invalid when the dataset is absent. */
static cp_status open_optional(hid_t *dset, hid_t file, const char *path, const char *name,
                               hsize_t want, const char *what, const char *want_from,
                               cp_error *err) {
    int rank = 0;
    hsize_t dims[1] = {0};
    *dset = H5I_INVALID_HID;
    if (!cp__h5_exists(file, name)) {
        return CP_OK;
    }
    cp_status status = cp__h5_open_dataset(dset, &rank, dims, 1, file, path, name, err);
    if (status != CP_OK) {
        return status;
    }
    if (dims[0] != want) {
        cp__h5_close(dset);
        return cp_error_set(err, CP_E_FORMAT,
                            "%s: %s has %llu elements; expected %llu (one per %s, the length of "
                            "%s)",
                            path, name, (unsigned long long)dims[0], (unsigned long long)want, what,
                            want_from);
    }
    return CP_OK;
}

static int cmp_i64(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Ids are labels, so they must be unique. Integer ids: a sorted copy (8n bytes, O(n log n));
 * string ids: a hash map of the strings (O(n) expected). The message names both entries. */
static cp_status check_unique_ids(const cp_graph *g, const char *path, cp_error *err) {
    cp_status status = CP_OK;
    int64_t *sorted = NULL;
    cp__idmap map;
    cp__idmap_init(&map);
    if (g->ids_are_int) {
        sorted = cp__malloc_array((size_t)g->n, sizeof *sorted);
        if (sorted == NULL) {
            status = cp_error_set(err, CP_E_NOMEM, "%s: out of memory checking /nodes/id", path);
            goto cleanup;
        }
        memcpy(sorted, g->ids_int, (size_t)g->n * sizeof *sorted);
        qsort(sorted, (size_t)g->n, sizeof *sorted, cmp_i64);
        for (int32_t k = 1; k < g->n; k++) {
            if (sorted[k] == sorted[k - 1]) {
                int32_t first = -1, second = -1;
                for (int32_t i = 0; i < g->n && second < 0; i++) {
                    if (g->ids_int[i] == sorted[k]) {
                        if (first < 0) {
                            first = i;
                        } else {
                            second = i;
                        }
                    }
                }
                status = cp_error_set(err, CP_E_FORMAT,
                                      "%s: /nodes/id entries %" PRId32 " and %" PRId32
                                      " are both %" PRId64 "; expected unique ids (they are "
                                      "labels)",
                                      path, first, second, sorted[k]);
                goto cleanup;
            }
        }
        goto cleanup;
    }
    for (int32_t i = 0; i < g->n; i++) {
        int32_t first = -1;
        bool inserted = false;
        status = cp__idmap_intern(&map, g->ids_str[i], &first, &inserted);
        if (status == CP_E_NOMEM) {
            status = cp_error_set(err, CP_E_NOMEM, "%s: out of memory checking /nodes/id", path);
            goto cleanup;
        }
        if (status != CP_OK) {
            status = cp_error_set(err, CP_E_FORMAT, "%s: /nodes/id: too many ids", path);
            goto cleanup;
        }
        if (!inserted) {
            status = cp_error_set(err, CP_E_FORMAT,
                                  "%s: /nodes/id entries %" PRId32 " and %" PRId32
                                  " are both \"%s\"; expected unique ids (they are labels)",
                                  path, first, i, g->ids_str[i]);
            goto cleanup;
        }
    }
cleanup:
    cp__free(sorted);
    cp__idmap_destroy(&map);
    return status;
}

static cp_status read_nodes(cp_graph *g, hid_t file, const char *path, cp_error *err) {
    cp_status status = CP_OK;
    hid_t ids = H5I_INVALID_HID, names = H5I_INVALID_HID, kind = H5I_INVALID_HID;
    hid_t country = H5I_INVALID_HID, designated = H5I_INVALID_HID;
    char **strings = NULL;
    int64_t n_strings = 0;
    int rank = 0;
    hsize_t dims[1] = {0};

    /* Shapes first: /nodes/id defines n, every other node array must match it. */
    CP_TRY(cp__h5_open_dataset(&ids, &rank, dims, 1, file, path, "/nodes/id", err));
    if (dims[0] > (hsize_t)INT32_MAX) {
        status = cp_error_set(err, CP_E_FORMAT,
                              "%s: /nodes/id has %llu entries; at most 2^31-1 nodes are supported",
                              path, (unsigned long long)dims[0]);
        goto cleanup;
    }
    int32_t n = (int32_t)dims[0];
    H5T_class_t cls = dataset_class(ids);
    if (cls != H5T_INTEGER && cls != H5T_STRING) {
        status = cp_error_set(err, CP_E_FORMAT,
                              "%s: /nodes/id holds neither integers nor strings; expected int64 "
                              "or UTF-8 string ids",
                              path);
        goto cleanup;
    }
    CP_TRY(open_optional(&names, file, path, "/nodes/name", (hsize_t)n, "node", "/nodes/id", err));
    CP_TRY(open_optional(&kind, file, path, "/nodes/kind", (hsize_t)n, "node", "/nodes/id", err));
    CP_TRY(open_optional(&country, file, path, "/nodes/country", (hsize_t)n, "node", "/nodes/id",
                         err));
    CP_TRY(open_optional(&designated, file, path, "/nodes/designated", (hsize_t)n, "node",
                         "/nodes/id", err));

    CP_TRY(cp__graph_alloc_nodes(g, n, cls == H5T_INTEGER, err));
    if (cls == H5T_INTEGER) {
        CP_TRY(
            cp__h5_read_numeric(g->ids_int, ids, H5T_NATIVE_INT64, true, path, "/nodes/id", err));
    } else {
        CP_TRY(cp__h5_read_strings(&strings, ids, n, path, "/nodes/id", err));
        cp__free(g->ids_str);
        g->ids_str = strings;
        strings = NULL;
    }
    CP_TRY(check_unique_ids(g, path, err));

    if (names >= 0) {
        CP_TRY(cp__h5_read_strings(&g->names, names, n, path, "/nodes/name", err));
        for (int32_t i = 0; i < n; i++) { /* "" means no name */
            if (g->names[i][0] == '\0') {
                cp__free(g->names[i]);
                g->names[i] = NULL;
            }
        }
    }
    if (kind >= 0) {
        CP_TRY(
            cp__h5_read_numeric(g->kind, kind, H5T_NATIVE_UINT8, true, path, "/nodes/kind", err));
        for (int32_t i = 0; i < n; i++) {
            if (g->kind[i] > CP_KIND_GOVERNMENT) {
                status = cp_error_set(err, CP_E_FORMAT,
                                      "%s: /nodes/kind[%" PRId32 "] is %u; expected a node kind "
                                      "0..6 (other, person, company, bank, vessel, aircraft, "
                                      "government)",
                                      path, i, (unsigned)g->kind[i]);
                goto cleanup;
            }
        }
    }
    if (country >= 0) {
        CP_TRY(cp__h5_read_strings(&strings, country, n, path, "/nodes/country", err));
        n_strings = n;
        for (int32_t i = 0; i < n; i++) {
            size_t len = strlen(strings[i]);
            if (len != 0 && len != 2) {
                status = cp_error_set(err, CP_E_FORMAT,
                                      "%s: /nodes/country[%" PRId32 "] is \"%s\"; expected an ISO "
                                      "3166 alpha-2 code (2 characters) or an empty string",
                                      path, i, strings[i]);
                goto cleanup;
            }
            memcpy(g->country + 2 * (size_t)i, len == 2 ? strings[i] : "\0\0", 2);
        }
    }
    if (designated >= 0) {
        CP_TRY(cp__h5_read_numeric(g->designated, designated, H5T_NATIVE_UINT8, true, path,
                                   "/nodes/designated", err));
        for (int32_t i = 0; i < n; i++) {
            if (g->designated[i] > 1) {
                status = cp_error_set(err, CP_E_FORMAT,
                                      "%s: /nodes/designated[%" PRId32 "] is %u; expected 0 or 1",
                                      path, i, (unsigned)g->designated[i]);
                goto cleanup;
            }
        }
    }
cleanup:
    cp__h5_free_strings(strings, n_strings);
    cp__h5_close(&designated);
    cp__h5_close(&country);
    cp__h5_close(&kind);
    cp__h5_close(&names);
    cp__h5_close(&ids);
    return status;
}

/* Reads /layers (when present) in name order, so that layer i of the graph is /edges/layer == i. */
static cp_status read_layers(cp_graph *g, hid_t file, const char *path, cp_error *err) {
    cp_status status = CP_OK;
    char **names = NULL, *obj = NULL, *meaning_text = NULL, *units = NULL;
    int count = 0;
    if (!cp__h5_exists(file, "/layers")) {
        return CP_OK;
    }
    CP_TRY(cp__h5_member_names(&names, &count, file, path, "/layers", err));
    if (count > CP_MAX_LAYERS) {
        status = cp_error_set(err, CP_E_FORMAT,
                              "%s: /layers has %d members; at most %d layers are "
                              "supported",
                              path, count, CP_MAX_LAYERS);
        goto cleanup;
    }
    for (int i = 0; i < count; i++) {
        cp_weight_meaning meaning = CP_MEANING_NONE;
        double directed = 1.0;
        int index = -1;
        obj = join_path("/layers", names[i]);
        if (obj == NULL) {
            status = cp_error_set(err, CP_E_NOMEM, "%s: out of memory reading /layers", path);
            goto cleanup;
        }
        if (cp__h5_attr_exists(file, obj, "meaning")) {
            CP_TRY(cp__h5_attr_read_str(&meaning_text, file, path, obj, "meaning", err));
            if (cp_weight_meaning_parse(meaning_text, &meaning) != CP_OK) {
                status = cp_error_set(err, CP_E_FORMAT,
                                      "%s: %s: attribute 'meaning' is \"%s\"; expected none, "
                                      "share, amount, count or length",
                                      path, obj, meaning_text);
                goto cleanup;
            }
        }
        if (cp__h5_attr_exists(file, obj, "units")) {
            CP_TRY(cp__h5_attr_read_str(&units, file, path, obj, "units", err));
        }
        if (cp__h5_attr_exists(file, obj, "directed")) {
            CP_TRY(cp__h5_attr_read_f64(&directed, file, path, obj, "directed", err));
            if (directed != 0.0 && directed != 1.0) {
                status = cp_error_set(err, CP_E_FORMAT,
                                      "%s: %s: attribute 'directed' is %g; expected 0 or 1", path,
                                      obj, directed);
                goto cleanup;
            }
        }
        CP_TRY(cp__graph_add_layer(g, names[i], meaning, units != NULL ? units : "",
                                   directed != 0.0, &index, err));
        cp__free(obj);
        cp__free(meaning_text);
        cp__free(units);
        obj = meaning_text = units = NULL;
    }
cleanup:
    cp__free(obj);
    cp__free(meaning_text);
    cp__free(units);
    cp__h5_free_names(names, count);
    return status;
}

/* The first of two names that exists, or NULL. */
static const char *either(hid_t file, const char *name, const char *alt) {
    if (cp__h5_exists(file, name)) {
        return name;
    }
    if (cp__h5_exists(file, alt)) {
        return alt;
    }
    return NULL;
}

static cp_status read_edges(cp_graph *g, hid_t file, const char *path, cp_error *err) {
    cp_status status = CP_OK;
    hid_t src = H5I_INVALID_HID, dst = H5I_INVALID_HID, layer = H5I_INVALID_HID;
    hid_t weight = H5I_INVALID_HID, time = H5I_INVALID_HID;
    int rank = 0, index = -1;
    hsize_t dims[1] = {0};
    bool layers_group = cp__h5_exists(file, "/layers");

    const char *src_name = either(file, "/edges/source", "/edges/src");
    const char *dst_name = either(file, "/edges/target", "/edges/dst");
    if (src_name == NULL || dst_name == NULL) {
        status = cp_error_set(err, CP_E_FORMAT,
                              "%s: dataset %s is missing (also looked for %s); expected int32 "
                              "node indices, one per edge",
                              path, src_name == NULL ? "/edges/source" : "/edges/target",
                              src_name == NULL ? "/edges/src" : "/edges/dst");
        goto cleanup;
    }
    /* Shapes first: the source array defines m, every other edge array must match it. */
    CP_TRY(cp__h5_open_dataset(&src, &rank, dims, 1, file, path, src_name, err));
    hsize_t m = dims[0];
    if (m > (hsize_t)INT64_MAX / 32) {
        status = cp_error_set(err, CP_E_FORMAT, "%s: %s has %llu elements; too many edges", path,
                              src_name, (unsigned long long)m);
        goto cleanup;
    }
    CP_TRY(open_optional(&dst, file, path, dst_name, m, "edge", src_name, err));
    if (dst < 0) { /* exists (checked above) but open_optional raced: treat as missing */
        status = cp_error_set(err, CP_E_FORMAT, "%s: dataset %s is missing", path, dst_name);
        goto cleanup;
    }
    CP_TRY(open_optional(&layer, file, path, "/edges/layer", m, "edge", src_name, err));
    CP_TRY(open_optional(&weight, file, path, "/edges/weight", m, "edge", src_name, err));
    CP_TRY(open_optional(&time, file, path, "/edges/time", m, "edge", src_name, err));

    /* Which layer each edge is on. */
    if (!layers_group) {
        CP_TRY(cp__graph_add_layer(g, DEFAULT_LAYER, CP_MEANING_NONE, "", true, &index, err));
    } else if (g->n_layers == 0 && m > 0) {
        status = cp_error_set(err, CP_E_FORMAT,
                              "%s: /layers declares no layer but there are %llu edges; expected "
                              "at least one member of /layers",
                              path, (unsigned long long)m);
        goto cleanup;
    }
    if (layer < 0 && g->n_layers > 1) {
        status = cp_error_set(err, CP_E_FORMAT,
                              "%s: dataset /edges/layer is missing but /layers declares %d "
                              "layers; expected one layer index per edge",
                              path, g->n_layers);
        goto cleanup;
    }

    CP_TRY(cp__graph_alloc_edges(g, (int64_t)m, time >= 0, err));
    CP_TRY(cp__h5_read_numeric(g->src, src, H5T_NATIVE_INT32, true, path, src_name, err));
    CP_TRY(cp__h5_read_numeric(g->dst, dst, H5T_NATIVE_INT32, true, path, dst_name, err));
    if (layer >= 0) {
        CP_TRY(cp__h5_read_numeric(g->layer, layer, H5T_NATIVE_UINT8, true, path, "/edges/layer",
                                   err));
    }
    if (weight >= 0) {
        CP_TRY(cp__h5_read_numeric(g->weight, weight, H5T_NATIVE_DOUBLE, false, path,
                                   "/edges/weight", err));
    } else {
        for (int64_t e = 0; e < g->m; e++) {
            g->weight[e] = 1.0;
        }
    }
    if (time >= 0) {
        CP_TRY(
            cp__h5_read_numeric(g->time, time, H5T_NATIVE_INT64, true, path, "/edges/time", err));
    }

    /* Every value, named by its dataset and element. */
    for (int64_t e = 0; e < g->m; e++) {
        if (g->src[e] < 0 || g->src[e] >= g->n || g->dst[e] < 0 || g->dst[e] >= g->n) {
            bool bad_src = g->src[e] < 0 || g->src[e] >= g->n;
            status =
                cp_error_set(err, CP_E_FORMAT,
                             "%s: %s[%" PRId64 "] is %" PRId32 "; expected a node index 0..%" PRId32
                             " (n = %" PRId32 ", the length of /nodes/id)",
                             path, bad_src ? src_name : dst_name, e,
                             bad_src ? g->src[e] : g->dst[e], g->n - 1, g->n);
            goto cleanup;
        }
        if (g->layer[e] >= g->n_layers) {
            status = cp_error_set(err, CP_E_FORMAT,
                                  "%s: /edges/layer[%" PRId64 "] is %u; expected an index "
                                  "0..%d into the %d members of /layers (in name order)",
                                  path, e, (unsigned)g->layer[e], g->n_layers - 1, g->n_layers);
            goto cleanup;
        }
        double w = g->weight[e];
        const cp_layer *l = &g->layers[g->layer[e]];
        if (isnan(w) || w < 0 || (isinf(w) && l->meaning != CP_MEANING_LENGTH)) {
            status = cp_error_set(err, CP_E_FORMAT,
                                  "%s: /edges/weight[%" PRId64 "] is %g; expected a weight >= 0 "
                                  "(not NaN; +inf only on a layer whose meaning is length, and "
                                  "layer '%s' means %s)",
                                  path, e, w, l->name, cp_weight_meaning_name(l->meaning));
            goto cleanup;
        }
    }
cleanup:
    cp__h5_close(&time);
    cp__h5_close(&weight);
    cp__h5_close(&layer);
    cp__h5_close(&dst);
    cp__h5_close(&src);
    return status;
}

static cp_status read_groups(cp_graph *g, hid_t file, const char *path, cp_error *err) {
    cp_status status = CP_OK;
    char **names = NULL, *obj = NULL;
    int count = 0;
    hid_t dset = H5I_INVALID_HID;
    int32_t *members = NULL;
    if (!cp__h5_exists(file, "/groups")) {
        return CP_OK;
    }
    CP_TRY(cp__h5_member_names(&names, &count, file, path, "/groups", err));
    for (int i = 0; i < count; i++) {
        int rank = 0;
        hsize_t dims[1] = {0};
        obj = join_path("/groups", names[i]);
        if (obj == NULL) {
            status = cp_error_set(err, CP_E_NOMEM, "%s: out of memory reading /groups", path);
            goto cleanup;
        }
        CP_TRY(cp__h5_open_dataset(&dset, &rank, dims, 1, file, path, obj, err));
        if (dims[0] > (hsize_t)INT32_MAX) {
            status = cp_error_set(err, CP_E_FORMAT, "%s: %s has %llu members; at most n expected",
                                  path, obj, (unsigned long long)dims[0]);
            goto cleanup;
        }
        members = cp__malloc_array((size_t)dims[0], sizeof *members);
        if (members == NULL) {
            status = cp_error_set(err, CP_E_NOMEM, "%s: out of memory reading %s", path, obj);
            goto cleanup;
        }
        CP_TRY(cp__h5_read_numeric(members, dset, H5T_NATIVE_INT32, true, path, obj, err));
        for (hsize_t k = 0; k < dims[0]; k++) {
            if (members[k] < 0 || members[k] >= g->n) {
                status = cp_error_set(err, CP_E_FORMAT,
                                      "%s: %s[%llu] is %" PRId32
                                      "; expected a node index 0..%" PRId32 " (n = %" PRId32 ")",
                                      path, obj, (unsigned long long)k, members[k], g->n - 1, g->n);
                goto cleanup;
            }
        }
        CP_TRY(cp__graph_add_group(g, names[i], members, (int64_t)dims[0], err));
        cp__free(members);
        cp__free(obj);
        members = NULL;
        obj = NULL;
        cp__h5_close(&dset);
    }
cleanup:
    cp__h5_close(&dset);
    cp__free(members);
    cp__free(obj);
    cp__h5_free_names(names, count);
    return status;
}

cp_status cp_graph_read_h5(cp_graph **out, const char *path, cp_error *err) {
    cp_status status = CP_OK;
    hid_t file = H5I_INVALID_HID;
    cp_graph *g = NULL;
    char *description = NULL;
    if (out == NULL || path == NULL) {
        return cp_error_set(err, CP_E_INVALID, "cp_graph_read_h5: graph and path are required");
    }
    *out = NULL;
    CP_TRY(cp__h5_open_read(&file, path, err));
    CP_TRY(check_schema(file, path, err));
    CP_TRY(cp_graph_new(&g, err));
    if (cp__h5_attr_exists(file, "/", "description")) {
        CP_TRY(cp__h5_attr_read_str(&description, file, path, "/", "description", err));
        if (description[0] != '\0') {
            g->description = description;
            description = NULL;
        }
    }
    CP_TRY(read_nodes(g, file, path, err));
    CP_TRY(read_layers(g, file, path, err));
    CP_TRY(read_edges(g, file, path, err));
    CP_TRY(read_groups(g, file, path, err));
    CP_TRY(cp__graph_finalize(g, err));
    *out = g;
    g = NULL;
cleanup:
    cp__free(description);
    cp_graph_free(&g);
    cp__h5_close(&file);
    return status;
}

cp_status cp_graph_read_h5_edge_extra(double **values, bool *present, const char *path,
                                      const char *name, int64_t m, cp_error *err) {
    cp_status status = CP_OK;
    hid_t file = H5I_INVALID_HID, dset = H5I_INVALID_HID;
    char *obj = NULL;
    double *v = NULL;
    int rank = 0;
    hsize_t dims[1] = {0};
    if (values == NULL || present == NULL || path == NULL) {
        return cp_error_set(err, CP_E_INVALID,
                            "cp_graph_read_h5_edge_extra: values, present and path are required");
    }
    *values = NULL;
    *present = false;
    if (name == NULL || name[0] == '\0' || strchr(name, '/') != NULL || strcmp(name, ".") == 0 ||
        strcmp(name, "..") == 0 || m < 0) {
        return cp_error_set(err, CP_E_INVALID,
                            "cp_graph_read_h5_edge_extra: expected an extra column name without "
                            "'/' and m >= 0 (got \"%s\", m = %" PRId64 ")",
                            name != NULL ? name : "(null)", m);
    }
    obj = join_path("/edges/extra", name);
    if (obj == NULL) {
        return cp_error_set(err, CP_E_NOMEM, "%s: out of memory reading /edges/extra", path);
    }
    CP_TRY(cp__h5_open_read(&file, path, err));
    CP_TRY(check_schema(file, path, err));
    if (!cp__h5_exists(file, obj)) {
        goto cleanup; /* absent: *present stays false */
    }
    CP_TRY(cp__h5_open_dataset(&dset, &rank, dims, 1, file, path, obj, err));
    if (dataset_class(dset) != H5T_FLOAT) {
        status = cp_error_set(err, CP_E_FORMAT,
                              "%s: %s does not hold floating-point numbers; expected float64, one "
                              "value per edge",
                              path, obj);
        goto cleanup;
    }
    if (dims[0] != (hsize_t)m) {
        status = cp_error_set(err, CP_E_FORMAT,
                              "%s: %s has %llu elements; expected %" PRId64
                              " (one per edge, the length of /edges/source)",
                              path, obj, (unsigned long long)dims[0], m);
        goto cleanup;
    }
    v = cp__malloc_array((size_t)(m > 0 ? m : 1), sizeof *v);
    if (v == NULL) {
        status = cp_error_set(err, CP_E_NOMEM, "%s: out of memory reading %s", path, obj);
        goto cleanup;
    }
    if (m > 0) {
        CP_TRY(cp__h5_read_numeric(v, dset, H5T_NATIVE_DOUBLE, false, path, obj, err));
    }
    *values = v;
    *present = true;
    v = NULL;
cleanup:
    cp__free(v);
    cp__free(obj);
    cp__h5_close(&dset);
    cp__h5_close(&file);
    return status;
}

/* ---- writing ------------------------------------------------------------------------------- */

/* Layer and group names become HDF5 link names: non-empty, no '/', not "." or "..". */
static cp_status check_name(const char *kind, const char *name, const char *path, cp_error *err) {
    if (name == NULL || name[0] == '\0' || strchr(name, '/') != NULL || strcmp(name, ".") == 0 ||
        strcmp(name, "..") == 0) {
        return cp_error_set(err, CP_E_INVALID,
                            "%s: %s name \"%s\" cannot be stored; expected a non-empty name "
                            "without '/' (and not \".\" or \"..\")",
                            path, kind, name != NULL ? name : "(null)");
    }
    return CP_OK;
}

static cp_status write_nodes(const cp_graph *g, hid_t file, const char *path, cp_error *err) {
    cp_status status = CP_OK;
    hid_t ctype = H5I_INVALID_HID;
    hsize_t dims[1] = {(hsize_t)(g->n > 0 ? g->n : 0)};
    if (g->ids_are_int) {
        CP_TRY(cp__h5_write(file, path, "/nodes/id", H5T_STD_I64LE, H5T_NATIVE_INT64, 1, dims,
                            g->ids_int, 1,
                            "external node ids (labels), one per node; node i of every other "
                            "array is the node with id[i]",
                            err));
    } else {
        CP_TRY(cp__h5_write_strings(file, path, "/nodes/id", dims[0],
                                    (const char *const *)g->ids_str, 1,
                                    "external node ids (UTF-8 labels), one per node; node i of "
                                    "every other array is the node with id[i]",
                                    err));
    }
    if (g->names != NULL) {
        CP_TRY(cp__h5_write_strings(file, path, "/nodes/name", dims[0],
                                    (const char *const *)g->names, 1,
                                    "display name of each node (empty when unknown)", err));
    }
    CP_TRY(cp__h5_write(file, path, "/nodes/kind", H5T_STD_U8LE, H5T_NATIVE_UINT8, 1, dims, g->kind,
                        1,
                        "node kind: 0 other, 1 person, 2 company, 3 bank, 4 vessel, 5 aircraft, "
                        "6 government",
                        err));
    ctype = H5Tcopy(H5T_C_S1);
    if (ctype < 0 || H5Tset_size(ctype, 2) < 0 || H5Tset_strpad(ctype, H5T_STR_NULLPAD) < 0) {
        status = cp__h5_fail(err, CP_E_INTERNAL, "%s: cannot make the country string type", path);
        goto cleanup;
    }
    CP_TRY(cp__h5_write(file, path, "/nodes/country", ctype, ctype, 1, dims, g->country, 1,
                        "ISO 3166 alpha-2 country code of each node (empty when unknown)", err));
    CP_TRY(cp__h5_write(file, path, "/nodes/designated", H5T_STD_U8LE, H5T_NATIVE_UINT8, 1, dims,
                        g->designated, 1, "1 when the node is designated (sanctioned), else 0",
                        err));
cleanup:
    cp__h5_close(&ctype);
    return status;
}

static cp_status write_layers(const cp_graph *g, hid_t file, const char *path, int *order,
                              cp_error *err) {
    cp_status status = CP_OK;
    char *obj = NULL;
    CP_TRY(cp__h5_make_group(NULL, file, path, "/layers", err));
    for (int k = 0; k < g->n_layers; k++) {
        const cp_layer *l = &g->layers[order[k]];
        uint8_t directed = l->directed ? 1 : 0;
        obj = join_path("/layers", l->name);
        if (obj == NULL) {
            status = cp_error_set(err, CP_E_NOMEM, "%s: out of memory writing /layers", path);
            goto cleanup;
        }
        CP_TRY(cp__h5_make_group(NULL, file, path, obj, err));
        CP_TRY(cp__h5_attr_write_str(file, path, obj, "meaning", cp_weight_meaning_name(l->meaning),
                                     err));
        CP_TRY(
            cp__h5_attr_write_str(file, path, obj, "units", l->units != NULL ? l->units : "", err));
        CP_TRY(cp__h5_attr_write_num(file, path, obj, "directed", H5T_STD_U8LE, H5T_NATIVE_UINT8,
                                     &directed, err));
        cp__free(obj);
        obj = NULL;
    }
cleanup:
    cp__free(obj);
    return status;
}

static cp_status write_edges(const cp_graph *g, hid_t file, const char *path, const int *order,
                             cp_error *err) {
    cp_status status = CP_OK;
    uint8_t *layer = NULL;
    hsize_t dims[1] = {(hsize_t)(g->m > 0 ? g->m : 0)};
    /* File layer indices count layers in name order; remap when g's order differs. */
    uint8_t rank_of[CP_MAX_LAYERS];
    bool identity = true;
    for (int k = 0; k < g->n_layers; k++) {
        rank_of[order[k]] = (uint8_t)k;
        identity = identity && order[k] == k;
    }
    const uint8_t *layer_out = g->layer;
    if (!identity && g->m > 0) {
        layer = cp__malloc((size_t)g->m);
        if (layer == NULL) {
            return cp_error_set(err, CP_E_NOMEM, "%s: out of memory writing /edges/layer", path);
        }
        for (int64_t e = 0; e < g->m; e++) {
            layer[e] = g->layer[e] < g->n_layers ? rank_of[g->layer[e]] : g->layer[e];
        }
        layer_out = layer;
    }
    CP_TRY(cp__h5_write(file, path, "/edges/source", H5T_STD_I32LE, H5T_NATIVE_INT32, 1, dims,
                        g->src, 1, "source node index (0-based into /nodes) of each edge", err));
    CP_TRY(cp__h5_write(file, path, "/edges/target", H5T_STD_I32LE, H5T_NATIVE_INT32, 1, dims,
                        g->dst, 1, "target node index (0-based into /nodes) of each edge", err));
    CP_TRY(cp__h5_write(
        file, path, "/edges/layer", H5T_STD_U8LE, H5T_NATIVE_UINT8, 1, dims, layer_out, 1,
        "layer of each edge: index into the members of /layers in name order", err));
    CP_TRY(cp__h5_write(file, path, "/edges/weight", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, dims,
                        g->weight, 1,
                        "weight of each edge; its meaning and units are attributes of the edge's "
                        "layer",
                        err));
    if (g->time != NULL) {
        CP_TRY(cp__h5_write(file, path, "/edges/time", H5T_STD_I64LE, H5T_NATIVE_INT64, 1, dims,
                            g->time, 1, "time of each edge in seconds since 1970-01-01 UTC", err));
    }
cleanup:
    cp__free(layer);
    return status;
}

static cp_status write_groups(const cp_graph *g, hid_t file, const char *path, cp_error *err) {
    cp_status status = CP_OK;
    char *obj = NULL;
    char description[256];
    CP_TRY(cp__h5_make_group(NULL, file, path, "/groups", err));
    for (int i = 0; i < g->n_groups; i++) {
        const cp_group *grp = &g->groups[i];
        hsize_t dims[1] = {(hsize_t)(grp->size > 0 ? grp->size : 0)};
        obj = join_path("/groups", grp->name);
        if (obj == NULL) {
            status = cp_error_set(err, CP_E_NOMEM, "%s: out of memory writing /groups", path);
            goto cleanup;
        }
        snprintf(description, sizeof description,
                 "node indices (0-based into /nodes, sorted) of the members of group '%s'",
                 grp->name);
        CP_TRY(cp__h5_write(file, path, obj, H5T_STD_I32LE, H5T_NATIVE_INT32, 1, dims, grp->members,
                            1, description, err));
        cp__free(obj);
        obj = NULL;
    }
cleanup:
    cp__free(obj);
    return status;
}

/* The optional extras (graph_h5.h). */
static cp_status write_extra(const cp_graph *g, hid_t file, const char *path,
                             const cp_graph_h5_extra *x, cp_error *err) {
    cp_status status = CP_OK;
    int64_t *ids = NULL;
    char name[300];
    hsize_t dims[1] = {(hsize_t)(g->m > 0 ? g->m : 0)};
    for (int i = 0; i < x->n_edge_cols; i++) {
        CP_TRY(check_name("extra edge column", x->edge_col_name[i], path, err));
        snprintf(name, sizeof name, "/edges/extra/%s", x->edge_col_name[i]);
        CP_TRY(cp__h5_write(file, path, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, dims,
                            x->edge_col[i], 1, x->edge_col_desc[i], err));
    }
    if (x->n_merged > 0) {
        hsize_t k[1] = {(hsize_t)x->n_merged};
        const char *desc = "external id of each record merged into another node (--same-as)";
        if (g->ids_are_int) {
            ids = cp__malloc_array((size_t)x->n_merged, sizeof *ids);
            if (ids == NULL) {
                CP_TRY(cp_error_set(err, CP_E_NOMEM, "%s: out of memory writing /merged", path));
            }
            for (int64_t i = 0; i < x->n_merged; i++) {
                if (!cp__parse_int64_label(x->merged_id[i], &ids[i])) {
                    CP_TRY(cp_error_set(err, CP_E_INVALID,
                                        "%s: merged id '%.80s' is not an integer but the graph's "
                                        "ids are",
                                        path, x->merged_id[i]));
                }
            }
            CP_TRY(cp__h5_write(file, path, "/merged/id", H5T_STD_I64LE, H5T_NATIVE_INT64, 1, k,
                                ids, 1, desc, err));
        } else {
            CP_TRY(cp__h5_write_strings(file, path, "/merged/id", x->n_merged, x->merged_id, 1,
                                        desc, err));
        }
        CP_TRY(cp__h5_write(
            file, path, "/merged/into", H5T_STD_I32LE, H5T_NATIVE_INT32, 1, k, x->merged_into, 1,
            "node index (0-based into /nodes) each merged record became part of", err));
    }
cleanup:
    cp__free(ids);
    return status;
}

cp_status cp_graph_write_h5(const cp_graph *g, const char *path, const char *created_by,
                            cp_error *err) {
    return cp_graph_write_h5_ex(g, path, created_by, NULL, err);
}

cp_status cp_graph_write_h5_ex(const cp_graph *g, const char *path, const char *created_by,
                               const cp_graph_h5_extra *extra, cp_error *err) {
    cp_status status = CP_OK;
    hid_t file = H5I_INVALID_HID;
    char *tmp = NULL;
    int order[CP_MAX_LAYERS];
    int64_t version = SCHEMA_VERSION;
    if (g == NULL || path == NULL) {
        return cp_error_set(err, CP_E_INVALID, "cp_graph_write_h5: graph and path are required");
    }
    for (int i = 0; i < g->n_layers; i++) {
        CP_TRY(check_name("layer", g->layers[i].name, path, err));
    }
    for (int i = 0; i < g->n_groups; i++) {
        CP_TRY(check_name("group", g->groups[i].name, path, err));
    }
    /* Layers in name order (the order /edges/layer indexes), whatever order g holds them in. */
    for (int i = 0; i < g->n_layers; i++) {
        int v = i, j = i - 1;
        while (j >= 0 && strcmp(g->layers[order[j]].name, g->layers[v].name) > 0) {
            order[j + 1] = order[j];
            j--;
        }
        order[j + 1] = v;
    }

    CP_TRY(cp__h5_create_tmp(&file, &tmp, path, err));
    CP_TRY(cp__h5_attr_write_str(file, path, "/", "schema", SCHEMA_NAME, err));
    CP_TRY(cp__h5_attr_write_num(file, path, "/", "schema_version", H5T_STD_I64LE, H5T_NATIVE_INT64,
                                 &version, err));
    CP_TRY(cp__h5_attr_write_str(file, path, "/", "created_by",
                                 created_by != NULL ? created_by : "chokepoint " CP_VERSION, err));
    CP_TRY(cp__h5_attr_write_str(file, path, "/", "description",
                                 g->description != NULL ? g->description : "", err));
    CP_TRY(write_nodes(g, file, path, err));
    CP_TRY(write_layers(g, file, path, order, err));
    CP_TRY(write_edges(g, file, path, order, err));
    CP_TRY(write_groups(g, file, path, err));
    if (extra != NULL) {
        CP_TRY(write_extra(g, file, path, extra, err));
    }
    CP_TRY(cp__h5_commit_tmp(&file, tmp, path, err));
cleanup:
    if (status != CP_OK) {
        cp__h5_discard_tmp(&file, tmp);
    }
    cp__free(tmp);
    return status;
}
