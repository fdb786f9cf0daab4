/* Results files, schema `chokepoint-results` version 1 (DESIGN section 6), and the small HDF5
 * readers used by `compare` and the tests.
 *
 * A results file is written to "<path>.tmp" and renamed into place by cp_results_commit, so a
 * crash never leaves a half-written file under the final name. Small datasets are stored
 * contiguously; from 64 KiB on they are chunked (about 1 MiB) with shuffle and deflate. */
#define _XOPEN_SOURCE 700

#include "results.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "alloc.h"
#include "graph_impl.h"
#include "h5util.h"

#define SCHEMA_NAME    "chokepoint-results"
#define SCHEMA_VERSION 1
#define COMPRESS_MIN   ((size_t)64 << 10)

struct cp_results {
    hid_t file;
    char *path; /* the final name */
    char *tmp;  /* "<path>.tmp", where everything is written */
};

/* True when a and b name the same existing file (same device and inode, so links and different
 * spellings count), or are the same string. */
static bool same_file(const char *a, const char *b) {
    struct stat sa, sb;
    if (stat(a, &sa) == 0 && stat(b, &sb) == 0) {
        return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
    }
    return strcmp(a, b) == 0;
}

cp_status cp_results_create(cp_results **r, const char *path, const char *input, cp_error *err) {
    cp_status status = CP_OK;
    cp_results *res = NULL;
    char *tmp_name = NULL;
    int64_t version = SCHEMA_VERSION;
    if (r == NULL || path == NULL) {
        return cp_error_set(err, CP_E_INVALID, "cp_results_create: results and path are required");
    }
    *r = NULL;
    if (input != NULL) {
        size_t len = strlen(path);
        tmp_name = cp__malloc(len + 5);
        if (tmp_name == NULL) {
            return cp_error_set(err, CP_E_NOMEM, "%s: out of memory", path);
        }
        memcpy(tmp_name, path, len);
        memcpy(tmp_name + len, ".tmp", 5);
        if (same_file(path, input)) {
            status = cp_error_set(err, CP_E_INVALID,
                                  "%s: refusing to write results there: it is the input file %s; "
                                  "choose another output name",
                                  path, input);
            goto cleanup;
        }
        if (same_file(tmp_name, input)) {
            status = cp_error_set(err, CP_E_INVALID,
                                  "%s: refusing to write results there: its temporary file %s is "
                                  "the input file %s; choose another output name",
                                  path, tmp_name, input);
            goto cleanup;
        }
    }
    res = cp__calloc(1, sizeof *res);
    if (res == NULL) {
        status = cp_error_set(err, CP_E_NOMEM, "%s: out of memory", path);
        goto cleanup;
    }
    res->file = H5I_INVALID_HID;
    res->path = cp__strdup(path);
    if (res->path == NULL) {
        status = cp_error_set(err, CP_E_NOMEM, "%s: out of memory", path);
        goto cleanup;
    }
    CP_TRY(cp__h5_create_tmp(&res->file, &res->tmp, path, err));
    CP_TRY(cp__h5_attr_write_str(res->file, path, "/", "schema", SCHEMA_NAME, err));
    CP_TRY(cp__h5_attr_write_num(res->file, path, "/", "schema_version", H5T_STD_I64LE,
                                 H5T_NATIVE_INT64, &version, err));
    *r = res;
    res = NULL;
cleanup:
    if (res != NULL) {
        cp_results_abort(&res);
    }
    cp__free(tmp_name);
    return status;
}

void cp_results_abort(cp_results **r) {
    if (r == NULL || *r == NULL) {
        return;
    }
    cp_results *res = *r;
    cp__h5_discard_tmp(&res->file, res->tmp);
    cp__free(res->tmp);
    cp__free(res->path);
    cp__free(res);
    *r = NULL;
}

cp_status cp_results_commit(cp_results **r, cp_error *err) {
    if (r == NULL || *r == NULL) {
        return cp_error_set(err, CP_E_INVALID, "cp_results_commit: no open results file");
    }
    cp_results *res = *r;
    *r = NULL;
    cp_status status = cp__h5_commit_tmp(&res->file, res->tmp, res->path, err);
    cp__h5_close(&res->file);
    cp__free(res->tmp);
    cp__free(res->path);
    cp__free(res);
    return status;
}

/* Checks the arguments every dataset writer shares. */
static cp_status check_target(const cp_results *r, const char *path, cp_error *err) {
    if (r == NULL || r->file < 0) {
        return cp_error_set(err, CP_E_INVALID, "results: no open results file");
    }
    if (path == NULL || path[0] != '/' || path[1] == '\0') {
        return cp_error_set(err, CP_E_INVALID,
                            "%s: dataset path \"%s\" must be absolute, e.g. \"/centrality/degree\"",
                            r->path, path != NULL ? path : "(null)");
    }
    return CP_OK;
}

static cp_status write_array(cp_results *r, const char *path, int rank, const int64_t *dims,
                             hid_t file_type, hid_t mem_type, const void *data,
                             const char *description, cp_error *err) {
    cp_status status = check_target(r, path, err);
    if (status != CP_OK) {
        return status;
    }
    if (rank < 1 || rank > 2 || dims == NULL) {
        return cp_error_set(err, CP_E_INVALID, "%s: %s: rank %d; expected 1 or 2 with its dims",
                            r->path, path, rank);
    }
    hsize_t hd[2] = {0, 0};
    for (int i = 0; i < rank; i++) {
        if (dims[i] < 0) {
            return cp_error_set(err, CP_E_INVALID, "%s: %s: dimension %d is negative (%lld)",
                                r->path, path, i, (long long)dims[i]);
        }
        hd[i] = (hsize_t)dims[i];
    }
    return cp__h5_write(r->file, r->path, path, file_type, mem_type, rank, hd, data, COMPRESS_MIN,
                        description, err);
}

cp_status cp_results_write_f64(cp_results *r, const char *path, int rank, const int64_t *dims,
                               const double *data, const char *description, cp_error *err) {
    return write_array(r, path, rank, dims, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, data, description,
                       err);
}

cp_status cp_results_write_i32(cp_results *r, const char *path, int rank, const int64_t *dims,
                               const int32_t *data, const char *description, cp_error *err) {
    return write_array(r, path, rank, dims, H5T_STD_I32LE, H5T_NATIVE_INT32, data, description,
                       err);
}

cp_status cp_results_write_i64(cp_results *r, const char *path, int rank, const int64_t *dims,
                               const int64_t *data, const char *description, cp_error *err) {
    return write_array(r, path, rank, dims, H5T_STD_I64LE, H5T_NATIVE_INT64, data, description,
                       err);
}

cp_status cp_results_write_u8(cp_results *r, const char *path, int rank, const int64_t *dims,
                              const uint8_t *data, const char *description, cp_error *err) {
    return write_array(r, path, rank, dims, H5T_STD_U8LE, H5T_NATIVE_UINT8, data, description, err);
}

cp_status cp_results_write_strings(cp_results *r, const char *path, int64_t count,
                                   const char *const *data, const char *description,
                                   cp_error *err) {
    cp_status status = check_target(r, path, err);
    if (status != CP_OK) {
        return status;
    }
    return cp__h5_write_strings(r->file, r->path, path, count, data, COMPRESS_MIN, description,
                                err);
}

cp_status cp_results_write_ids(cp_results *r, const cp_graph *g, cp_error *err) {
    cp_status status = check_target(r, "/nodes/id", err);
    if (status != CP_OK) {
        return status;
    }
    if (g == NULL) {
        return cp_error_set(err, CP_E_INVALID, "%s: /nodes/id: no graph given", r->path);
    }
    int64_t n = g->n > 0 ? g->n : 0;
    if (g->ids_are_int) {
        return write_array(r, "/nodes/id", 1, &n, H5T_STD_I64LE, H5T_NATIVE_INT64, g->ids_int,
                           "external node ids (labels) of the input graph, one per node", err);
    }
    return cp__h5_write_strings(r->file, r->path, "/nodes/id", n, (const char *const *)g->ids_str,
                                COMPRESS_MIN,
                                "external node ids (UTF-8 labels) of the input graph, one per "
                                "node",
                                err);
}

/* Makes sure `obj` exists, creating it (and its parents) as a group when it does not. */
static cp_status ensure_object(cp_results *r, const char *obj, cp_error *err) {
    if (r == NULL || r->file < 0) {
        return cp_error_set(err, CP_E_INVALID, "results: no open results file");
    }
    if (obj == NULL || obj[0] != '/') {
        return cp_error_set(err, CP_E_INVALID, "%s: object path \"%s\" must be absolute", r->path,
                            obj != NULL ? obj : "(null)");
    }
    if (cp__h5_exists(r->file, obj)) {
        return CP_OK;
    }
    return cp__h5_make_group(NULL, r->file, r->path, obj, err);
}

cp_status cp_results_attr_str(cp_results *r, const char *obj, const char *name, const char *value,
                              cp_error *err) {
    cp_status status = ensure_object(r, obj, err);
    if (status != CP_OK) {
        return status;
    }
    return cp__h5_attr_write_str(r->file, r->path, obj, name, value, err);
}

cp_status cp_results_attr_f64(cp_results *r, const char *obj, const char *name, double value,
                              cp_error *err) {
    cp_status status = ensure_object(r, obj, err);
    if (status != CP_OK) {
        return status;
    }
    return cp__h5_attr_write_num(r->file, r->path, obj, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                                 &value, err);
}

cp_status cp_results_attr_i64(cp_results *r, const char *obj, const char *name, int64_t value,
                              cp_error *err) {
    cp_status status = ensure_object(r, obj, err);
    if (status != CP_OK) {
        return status;
    }
    return cp__h5_attr_write_num(r->file, r->path, obj, name, H5T_STD_I64LE, H5T_NATIVE_INT64,
                                 &value, err);
}

/* ---- reading ------------------------------------------------------------------------------- */

cp_status cp_h5_list(const char *file, const char *group, char ***names, int *count,
                     cp_error *err) {
    cp_status status = CP_OK;
    hid_t f = H5I_INVALID_HID;
    if (names == NULL || count == NULL || file == NULL || group == NULL) {
        return cp_error_set(err, CP_E_INVALID, "cp_h5_list: file, group, names, count required");
    }
    *names = NULL;
    *count = 0;
    CP_TRY(cp__h5_open_read(&f, file, err));
    CP_TRY(cp__h5_member_names(names, count, f, file, group, err));
cleanup:
    cp__h5_close(&f);
    return status;
}

void cp_h5_free_names(char **names, int count) {
    cp__h5_free_names(names, count);
}

int cp_h5_exists(const char *file, const char *obj) {
    hid_t f = H5I_INVALID_HID;
    if (file == NULL || obj == NULL || cp__h5_open_read(&f, file, NULL) != CP_OK) {
        return 0;
    }
    int found = cp__h5_exists(f, obj);
    cp__h5_close(&f);
    return found;
}

cp_status cp_h5_read_f64(const char *file, const char *dataset, double **data, int64_t dims[2],
                         cp_error *err) {
    cp_status status = CP_OK;
    hid_t f = H5I_INVALID_HID, d = H5I_INVALID_HID;
    double *buf = NULL;
    hsize_t hd[2] = {0, 1};
    int rank = 0;
    if (file == NULL || dataset == NULL || data == NULL || dims == NULL) {
        return cp_error_set(err, CP_E_INVALID,
                            "cp_h5_read_f64: file, dataset, data, dims required");
    }
    *data = NULL;
    dims[0] = dims[1] = 0;
    CP_TRY(cp__h5_open_read(&f, file, err));
    CP_TRY(cp__h5_open_dataset(&d, &rank, hd, 2, f, file, dataset, err));
    if (rank == 1) {
        hd[1] = 1;
    }
    if (hd[0] > (hsize_t)INT64_MAX || (hd[1] > 0 && hd[0] > (hsize_t)INT64_MAX / hd[1])) {
        status = cp_error_set(err, CP_E_FORMAT, "%s: %s is too large to read", file, dataset);
        goto cleanup;
    }
    buf = cp__malloc_array((size_t)(hd[0] * hd[1]), sizeof *buf);
    if (buf == NULL) {
        status = cp_error_set(err, CP_E_NOMEM, "%s: out of memory reading %s", file, dataset);
        goto cleanup;
    }
    CP_TRY(cp__h5_read_numeric(buf, d, H5T_NATIVE_DOUBLE, false, file, dataset, err));
    *data = buf;
    buf = NULL;
    dims[0] = (int64_t)hd[0];
    dims[1] = (int64_t)hd[1];
cleanup:
    cp__free(buf);
    cp__h5_close(&d);
    cp__h5_close(&f);
    return status;
}

cp_status cp_h5_read_i32(const char *file, const char *dataset, int32_t **data, int64_t *count,
                         cp_error *err) {
    cp_status status = CP_OK;
    hid_t f = H5I_INVALID_HID, d = H5I_INVALID_HID;
    int32_t *buf = NULL;
    hsize_t hd[1] = {0};
    int rank = 0;
    if (file == NULL || dataset == NULL || data == NULL || count == NULL) {
        return cp_error_set(err, CP_E_INVALID,
                            "cp_h5_read_i32: file, dataset, data, count required");
    }
    *data = NULL;
    *count = 0;
    CP_TRY(cp__h5_open_read(&f, file, err));
    CP_TRY(cp__h5_open_dataset(&d, &rank, hd, 1, f, file, dataset, err));
    buf = cp__malloc_array((size_t)hd[0], sizeof *buf);
    if (buf == NULL) {
        status = cp_error_set(err, CP_E_NOMEM, "%s: out of memory reading %s", file, dataset);
        goto cleanup;
    }
    CP_TRY(cp__h5_read_numeric(buf, d, H5T_NATIVE_INT32, true, file, dataset, err));
    *data = buf;
    buf = NULL;
    *count = (int64_t)hd[0];
cleanup:
    cp__free(buf);
    cp__h5_close(&d);
    cp__h5_close(&f);
    return status;
}

cp_status cp_h5_read_attr_str(const char *file, const char *obj, const char *name, char **value,
                              cp_error *err) {
    cp_status status = CP_OK;
    hid_t f = H5I_INVALID_HID;
    if (file == NULL || obj == NULL || name == NULL || value == NULL) {
        return cp_error_set(err, CP_E_INVALID, "cp_h5_read_attr_str: arguments required");
    }
    *value = NULL;
    CP_TRY(cp__h5_open_read(&f, file, err));
    CP_TRY(cp__h5_attr_read_str(value, f, file, obj, name, err));
cleanup:
    cp__h5_close(&f);
    return status;
}

cp_status cp_h5_read_attr_f64(const char *file, const char *obj, const char *name, double *value,
                              cp_error *err) {
    cp_status status = CP_OK;
    hid_t f = H5I_INVALID_HID;
    if (file == NULL || obj == NULL || name == NULL || value == NULL) {
        return cp_error_set(err, CP_E_INVALID, "cp_h5_read_attr_f64: arguments required");
    }
    *value = 0.0;
    CP_TRY(cp__h5_open_read(&f, file, err));
    CP_TRY(cp__h5_attr_read_f64(value, f, file, obj, name, err));
cleanup:
    cp__h5_close(&f);
    return status;
}
