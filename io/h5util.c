/* The checked HDF5 wrapper (see h5util.h). */
#define _XOPEN_SOURCE 700

#include "h5util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"

void cp__h5_quiet(void) {
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
}

/* ---- error stack --------------------------------------------------------------------------- */

typedef struct walk_state {
    char text[400];
    bool have;
} walk_state;

/* Walking upward, entry 0 is the most specific one: where HDF5 detected the problem. */
static herr_t walk_innermost(unsigned n, const H5E_error2_t *e, void *data) {
    walk_state *w = data;
    if (n == 0) {
        char minor[200] = "";
        if (H5Eget_msg(e->min_num, NULL, minor, sizeof minor) < 0) {
            minor[0] = '\0';
        }
        snprintf(w->text, sizeof w->text, "%s%s%s", e->desc != NULL ? e->desc : "",
                 minor[0] != '\0' ? ": " : "", minor);
        w->have = w->text[0] != '\0';
    }
    return 0;
}

cp_status cp__h5_fail(cp_error *err, cp_status s, const char *fmt, ...) {
    char msg[CP_ERROR_MSG_SIZE];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    walk_state w = {.text = "", .have = false};
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, walk_innermost, &w);
    H5Eclear2(H5E_DEFAULT);
    if (w.have) {
        return cp_error_set(err, s, "%s [HDF5: %s]", msg, w.text);
    }
    return cp_error_set(err, s, "%s", msg);
}

herr_t cp__h5_close(hid_t *id) {
    herr_t rc = 0;
    if (id == NULL || *id < 0) {
        return 0;
    }
    switch (H5Iget_type(*id)) {
    case H5I_FILE:
        rc = H5Fclose(*id);
        break;
    case H5I_GROUP:
        rc = H5Gclose(*id);
        break;
    case H5I_DATASET:
        rc = H5Dclose(*id);
        break;
    case H5I_DATASPACE:
        rc = H5Sclose(*id);
        break;
    case H5I_DATATYPE:
        rc = H5Tclose(*id);
        break;
    case H5I_ATTR:
        rc = H5Aclose(*id);
        break;
    case H5I_GENPROP_LST:
        rc = H5Pclose(*id);
        break;
    default:
        rc = -1;
        break;
    }
    *id = H5I_INVALID_HID;
    return rc;
}

/* ---- files --------------------------------------------------------------------------------- */

/* A file-access property list that tolerates file systems without locking. */
static hid_t make_fapl(bool semi_close) {
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    if (fapl < 0) {
        return fapl;
    }
    if (H5Pset_file_locking(fapl, 1, 1) < 0 ||
        (semi_close && H5Pset_fclose_degree(fapl, H5F_CLOSE_SEMI) < 0)) {
        H5Pclose(fapl);
        return H5I_INVALID_HID;
    }
    return fapl;
}

cp_status cp__h5_open_read(hid_t *file, const char *path, cp_error *err) {
    cp_status status = CP_OK;
    hid_t fapl = H5I_INVALID_HID;
    *file = H5I_INVALID_HID;
    cp__h5_quiet();
    struct stat st;
    FILE *f = NULL;
    if (stat(path, &st) != 0) {
        return cp_error_set(err, CP_E_IO, "%s: cannot open: %s", path, strerror(errno));
    }
    if (S_ISDIR(st.st_mode)) {
        return cp_error_set(err, CP_E_IO, "%s: cannot open: it is a directory, not a file", path);
    }
    f = fopen(path, "rb");
    if (f == NULL) {
        return cp_error_set(err, CP_E_IO, "%s: cannot open: %s", path, strerror(errno));
    }
    fclose(f);
    fapl = make_fapl(false);
    if (fapl < 0) {
        status = cp__h5_fail(err, CP_E_INTERNAL, "%s: cannot set up HDF5 file access", path);
        goto cleanup;
    }
    *file = H5Fopen(path, H5F_ACC_RDONLY, fapl);
    if (*file < 0) {
        status = cp__h5_fail(err, CP_E_FORMAT,
                             "%s: not a readable HDF5 file (not HDF5 at all, or truncated or "
                             "damaged)",
                             path);
        goto cleanup;
    }
cleanup:
    cp__h5_close(&fapl);
    return status;
}

cp_status cp__h5_create_tmp(hid_t *file, char **tmp_path, const char *path, cp_error *err) {
    cp_status status = CP_OK;
    hid_t fapl = H5I_INVALID_HID, fcpl = H5I_INVALID_HID;
    char *tmp = NULL;
    *file = H5I_INVALID_HID;
    *tmp_path = NULL;
    cp__h5_quiet();
    size_t len = strlen(path);
    tmp = cp__malloc(len + 5);
    if (tmp == NULL) {
        return cp_error_set(err, CP_E_NOMEM, "%s: out of memory naming the temporary file", path);
    }
    memcpy(tmp, path, len);
    memcpy(tmp + len, ".tmp", 5);
    fapl = make_fapl(true);
    fcpl = H5Pcreate(H5P_FILE_CREATE); /* no object times: same content, same bytes */
    if (fapl < 0 || fcpl < 0 || H5Pset_obj_track_times(fcpl, 0) < 0) {
        status = cp__h5_fail(err, CP_E_INTERNAL, "%s: cannot set up HDF5 file creation", path);
        goto cleanup;
    }
    *file = H5Fcreate(tmp, H5F_ACC_TRUNC, fcpl, fapl);
    if (*file < 0) {
        status = cp__h5_fail(err, CP_E_IO, "%s: cannot create the temporary file %s", path, tmp);
        goto cleanup;
    }
    *tmp_path = tmp;
    tmp = NULL;
cleanup:
    cp__h5_close(&fcpl);
    cp__h5_close(&fapl);
    cp__free(tmp);
    return status;
}

cp_status cp__h5_commit_tmp(hid_t *file, const char *tmp_path, const char *path, cp_error *err) {
    cp_status status = CP_OK;
    int fd = -1;
    cp__h5_quiet();
    if (H5Fflush(*file, H5F_SCOPE_GLOBAL) < 0) {
        status = cp__h5_fail(err, CP_E_IO, "%s: cannot flush %s", path, tmp_path);
        goto cleanup;
    }
    if (cp__h5_close(file) < 0) {
        status = cp__h5_fail(err, CP_E_IO,
                             "%s: cannot close %s (an object is still open, or the "
                             "disk is full)",
                             path, tmp_path);
        goto cleanup;
    }
    fd = open(tmp_path, O_RDONLY);
    if (fd < 0 || fsync(fd) != 0) {
        status = cp_error_set(err, CP_E_IO, "%s: cannot sync %s to disk: %s", path, tmp_path,
                              strerror(errno));
        goto cleanup;
    }
    if (rename(tmp_path, path) != 0) {
        status = cp_error_set(err, CP_E_IO, "%s: cannot rename %s into place: %s", path, tmp_path,
                              strerror(errno));
        goto cleanup;
    }
cleanup:
    if (fd >= 0) {
        close(fd);
    }
    if (status != CP_OK) {
        cp__h5_discard_tmp(file, tmp_path);
    }
    return status;
}

void cp__h5_discard_tmp(hid_t *file, const char *tmp_path) {
    cp__h5_quiet();
    cp__h5_close(file);
    H5Eclear2(H5E_DEFAULT);
    if (tmp_path != NULL) {
        remove(tmp_path);
    }
}

/* ---- objects ------------------------------------------------------------------------------- */

int cp__h5_exists(hid_t loc, const char *path) {
    cp__h5_quiet();
    if (path == NULL || path[0] == '\0') {
        return 0;
    }
    if (strcmp(path, "/") == 0 || strcmp(path, ".") == 0) {
        return 1;
    }
    /* H5Lexists fails (rather than answering 0) when an intermediate component is missing or
     * is not a group: both mean "absent" here. H5Oexists_by_name then rules out dangling soft
     * links. */
    int found =
        H5Lexists(loc, path, H5P_DEFAULT) > 0 && H5Oexists_by_name(loc, path, H5P_DEFAULT) > 0;
    H5Eclear2(H5E_DEFAULT);
    return found;
}

typedef struct names_state {
    char **names;
    int count;
    int cap;
    bool nomem;
} names_state;

static herr_t collect_name(hid_t group, const char *name, const H5L_info_t *info, void *data) {
    (void)group;
    (void)info;
    names_state *s = data;
    if (s->count == s->cap) {
        int cap = s->cap > 0 ? 2 * s->cap : 16;
        char **grown = cp__realloc(s->names, (size_t)cap * sizeof *grown);
        if (grown == NULL) {
            s->nomem = true;
            return -1;
        }
        s->names = grown;
        s->cap = cap;
    }
    s->names[s->count] = cp__strdup(name);
    if (s->names[s->count] == NULL) {
        s->nomem = true;
        return -1;
    }
    s->count++;
    return 0;
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void cp__h5_free_names(char **names, int count) {
    if (names == NULL) {
        return;
    }
    for (int i = 0; i < count; i++) {
        cp__free(names[i]);
    }
    cp__free(names);
}

cp_status cp__h5_member_names(char ***names, int *count, hid_t loc, const char *file,
                              const char *group, cp_error *err) {
    cp_status status = CP_OK;
    hid_t grp = H5I_INVALID_HID;
    names_state s = {.names = NULL, .count = 0, .cap = 0, .nomem = false};
    *names = NULL;
    *count = 0;
    cp__h5_quiet();
    if (!cp__h5_exists(loc, group)) {
        return cp_error_set(err, CP_E_FORMAT, "%s: group %s is missing", file, group);
    }
    grp = H5Gopen2(loc, group, H5P_DEFAULT);
    if (grp < 0) {
        status = cp__h5_fail(err, CP_E_FORMAT, "%s: %s is not a group", file, group);
        goto cleanup;
    }
    hsize_t idx = 0;
    if (H5Literate(grp, H5_INDEX_NAME, H5_ITER_NATIVE, &idx, collect_name, &s) < 0) {
        if (s.nomem) {
            H5Eclear2(H5E_DEFAULT);
            status = cp_error_set(err, CP_E_NOMEM, "%s: out of memory listing %s", file, group);
        } else {
            status =
                cp__h5_fail(err, CP_E_FORMAT, "%s: cannot list the members of %s", file, group);
        }
        goto cleanup;
    }
    if (s.count > 1) {
        qsort(s.names, (size_t)s.count, sizeof *s.names, cmp_str);
    }
    if (s.names == NULL) { /* an empty group still returns a freeable array */
        s.names = cp__malloc(sizeof *s.names);
        if (s.names == NULL) {
            status = cp_error_set(err, CP_E_NOMEM, "%s: out of memory listing %s", file, group);
            goto cleanup;
        }
    }
    *names = s.names;
    *count = s.count;
    s.names = NULL;
    s.count = 0;
cleanup:
    cp__h5_free_names(s.names, s.count);
    cp__h5_close(&grp);
    return status;
}

/* A link-creation property list that creates missing intermediate groups, names in UTF-8. */
static hid_t make_lcpl(void) {
    hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
    if (lcpl < 0) {
        return lcpl;
    }
    if (H5Pset_create_intermediate_group(lcpl, 1) < 0 ||
        H5Pset_char_encoding(lcpl, H5T_CSET_UTF8) < 0) {
        H5Pclose(lcpl);
        return H5I_INVALID_HID;
    }
    return lcpl;
}

/* A group-creation property list that stores no object times, so that the same content gives the
 * same bytes (the CLI promises byte-identical files for a seed). */
static hid_t make_gcpl(void) {
    hid_t gcpl = H5Pcreate(H5P_GROUP_CREATE);
    if (gcpl >= 0 && H5Pset_obj_track_times(gcpl, 0) < 0) {
        H5Pclose(gcpl);
        return H5I_INVALID_HID;
    }
    return gcpl;
}

/* Makes sure every group above `path` exists: a missing one is created (without times), and an
 * existing component that is not a group (a dataset cannot hold members) is CP_E_INVALID, so that
 * the caller's mistake is not reported as an I/O failure. Very long paths are left to HDF5's own
 * intermediate-group creation. */
static cp_status make_parents(hid_t file, const char *file_name, const char *path, cp_error *err) {
    cp_status status = CP_OK;
    hid_t gcpl = H5I_INVALID_HID, lcpl = H5I_INVALID_HID, g = H5I_INVALID_HID;
    char prefix[1024];
    size_t len = strlen(path);
    if (len >= sizeof prefix) {
        return CP_OK;
    }
    memcpy(prefix, path, len + 1);
    for (size_t i = 1; i < len; i++) {
        if (prefix[i] != '/' || prefix[i - 1] == '/') {
            continue;
        }
        prefix[i] = '\0';
        if (cp__h5_exists(file, prefix)) {
            g = H5Gopen2(file, prefix, H5P_DEFAULT);
            if (g < 0) {
                H5Eclear2(H5E_DEFAULT);
                status = cp_error_set(err, CP_E_INVALID,
                                      "%s: cannot create %s: %s exists and is not a group",
                                      file_name, path, prefix);
                goto cleanup;
            }
        } else {
            if (gcpl < 0) {
                gcpl = make_gcpl();
                lcpl = make_lcpl();
            }
            g = gcpl < 0 || lcpl < 0 ? H5I_INVALID_HID
                                     : H5Gcreate2(file, prefix, lcpl, gcpl, H5P_DEFAULT);
            if (g < 0) {
                status = cp__h5_fail(err, CP_E_IO, "%s: cannot create group %s", file_name, prefix);
                goto cleanup;
            }
        }
        cp__h5_close(&g);
        prefix[i] = '/';
    }
cleanup:
    cp__h5_close(&g);
    cp__h5_close(&lcpl);
    cp__h5_close(&gcpl);
    return status;
}

cp_status cp__h5_make_group(hid_t *grp, hid_t file, const char *file_name, const char *path,
                            cp_error *err) {
    cp_status status = CP_OK;
    hid_t lcpl = H5I_INVALID_HID, gcpl = H5I_INVALID_HID, g = H5I_INVALID_HID;
    if (grp != NULL) {
        *grp = H5I_INVALID_HID;
    }
    cp__h5_quiet();
    if (cp__h5_exists(file, path)) {
        g = H5Gopen2(file, path, H5P_DEFAULT);
        if (g < 0) {
            status =
                cp__h5_fail(err, CP_E_INVALID, "%s: %s exists and is not a group", file_name, path);
            goto cleanup;
        }
    } else {
        CP_TRY(make_parents(file, file_name, path, err));
        lcpl = make_lcpl();
        gcpl = make_gcpl();
        g = lcpl < 0 || gcpl < 0 ? H5I_INVALID_HID
                                 : H5Gcreate2(file, path, lcpl, gcpl, H5P_DEFAULT);
        if (g < 0) {
            status = cp__h5_fail(err, CP_E_IO, "%s: cannot create group %s", file_name, path);
            goto cleanup;
        }
    }
    if (grp != NULL) {
        *grp = g;
        g = H5I_INVALID_HID;
    }
cleanup:
    cp__h5_close(&g);
    cp__h5_close(&gcpl);
    cp__h5_close(&lcpl);
    return status;
}

/* ---- reading datasets ---------------------------------------------------------------------- */

static const char *class_label(H5T_class_t c) {
    switch (c) {
    case H5T_INTEGER:
        return "integers";
    case H5T_FLOAT:
        return "floating-point numbers";
    case H5T_STRING:
        return "strings";
    case H5T_COMPOUND:
        return "compound records";
    case H5T_ENUM:
        return "enum values";
    case H5T_ARRAY:
        return "arrays";
    case H5T_VLEN:
        return "variable-length sequences";
    case H5T_REFERENCE:
        return "references";
    case H5T_OPAQUE:
        return "opaque bytes";
    case H5T_BITFIELD:
        return "bit fields";
    default:
        return "data of an unknown type";
    }
}

static const char *native_label(hid_t t) {
    if (H5Tequal(t, H5T_NATIVE_UINT8) > 0) {
        return "uint8";
    }
    if (H5Tequal(t, H5T_NATIVE_INT32) > 0) {
        return "int32";
    }
    if (H5Tequal(t, H5T_NATIVE_INT64) > 0) {
        return "int64";
    }
    if (H5Tequal(t, H5T_NATIVE_DOUBLE) > 0) {
        return "float64";
    }
    return "the requested type";
}

typedef struct conv_state {
    bool hit;
} conv_state;

/* Overflow, truncation and NaN/inf-to-integer abort the read instead of being clamped; a loss
 * of precision (a large int64 read as double) is accepted. */
static H5T_conv_ret_t strict_conversion(H5T_conv_except_t except, hid_t src, hid_t dst,
                                        void *src_buf, void *dst_buf, void *data) {
    (void)src;
    (void)dst;
    (void)src_buf;
    (void)dst_buf;
    if (except == H5T_CONV_EXCEPT_PRECISION) {
        return H5T_CONV_UNHANDLED;
    }
    ((conv_state *)data)->hit = true;
    return H5T_CONV_ABORT;
}

cp_status cp__h5_open_dataset(hid_t *dset, int *rank, hsize_t *dims, int max_rank, hid_t loc,
                              const char *file, const char *name, cp_error *err) {
    cp_status status = CP_OK;
    hid_t d = H5I_INVALID_HID, space = H5I_INVALID_HID;
    *dset = H5I_INVALID_HID;
    *rank = 0;
    cp__h5_quiet();
    if (!cp__h5_exists(loc, name)) {
        return cp_error_set(err, CP_E_FORMAT, "%s: dataset %s is missing", file, name);
    }
    d = H5Dopen2(loc, name, H5P_DEFAULT);
    if (d < 0) {
        status = cp__h5_fail(err, CP_E_FORMAT, "%s: %s is not a dataset", file, name);
        goto cleanup;
    }
    space = H5Dget_space(d);
    int r = space < 0 ? -1 : H5Sget_simple_extent_ndims(space);
    if (r < 0) {
        status = cp__h5_fail(err, CP_E_FORMAT, "%s: cannot read the shape of %s", file, name);
        goto cleanup;
    }
    if (r < 1 || r > max_rank) {
        if (max_rank == 1) {
            status =
                cp_error_set(err, CP_E_FORMAT, "%s: %s has rank %d; expected a 1-D array (rank 1)",
                             file, name, r);
        } else {
            status = cp_error_set(err, CP_E_FORMAT, "%s: %s has rank %d; expected rank 1 to %d",
                                  file, name, r, max_rank);
        }
        goto cleanup;
    }
    if (H5Sget_simple_extent_dims(space, dims, NULL) < 0) {
        status = cp__h5_fail(err, CP_E_FORMAT, "%s: cannot read the shape of %s", file, name);
        goto cleanup;
    }
    *rank = r;
    *dset = d;
    d = H5I_INVALID_HID;
cleanup:
    cp__h5_close(&space);
    cp__h5_close(&d);
    return status;
}

cp_status cp__h5_read_numeric(void *buf, hid_t dset, hid_t mem_type, bool integers_only,
                              const char *file, const char *name, cp_error *err) {
    cp_status status = CP_OK;
    hid_t ftype = H5I_INVALID_HID, enum_native = H5I_INVALID_HID, dxpl = H5I_INVALID_HID;
    conv_state conv = {.hit = false};
    cp__h5_quiet();
    ftype = H5Dget_type(dset);
    if (ftype < 0) {
        status = cp__h5_fail(err, CP_E_FORMAT, "%s: cannot read the type of %s", file, name);
        goto cleanup;
    }
    H5T_class_t cls = H5Tget_class(ftype);
    hid_t read_type = mem_type;
    if (cls == H5T_ENUM && H5Tget_size(ftype) == 1 && H5Tequal(mem_type, H5T_NATIVE_UINT8) > 0) {
        /* h5py stores bool as a one-byte enum {FALSE: 0, TRUE: 1}: take the stored integers. */
        enum_native = H5Tget_native_type(ftype, H5T_DIR_DEFAULT);
        read_type = enum_native;
    } else if (cls == H5T_FLOAT && integers_only) {
        status = cp_error_set(err, CP_E_FORMAT,
                              "%s: %s holds floating-point numbers; expected integers", file, name);
        goto cleanup;
    } else if (cls != H5T_INTEGER && cls != H5T_FLOAT) {
        status = cp_error_set(err, CP_E_FORMAT, "%s: %s holds %s; expected %s", file, name,
                              class_label(cls), integers_only ? "integers" : "numbers");
        goto cleanup;
    }
    dxpl = H5Pcreate(H5P_DATASET_XFER);
    if (read_type < 0 || dxpl < 0 || H5Pset_type_conv_cb(dxpl, strict_conversion, &conv) < 0) {
        status = cp__h5_fail(err, CP_E_INTERNAL, "%s: cannot set up reading %s", file, name);
        goto cleanup;
    }
    if (H5Dread(dset, read_type, H5S_ALL, H5S_ALL, dxpl, buf) < 0) {
        if (conv.hit) {
            H5Eclear2(H5E_DEFAULT);
            status = cp_error_set(err, CP_E_FORMAT, "%s: %s holds a value that does not fit %s",
                                  file, name, native_label(mem_type));
        } else {
            status = cp__h5_fail(err, CP_E_FORMAT, "%s: cannot read %s as %s", file, name,
                                 native_label(mem_type));
        }
        goto cleanup;
    }
cleanup:
    cp__h5_close(&dxpl);
    cp__h5_close(&enum_native);
    cp__h5_close(&ftype);
    return status;
}

void cp__h5_free_strings(char **strings, int64_t count) {
    if (strings == NULL) {
        return;
    }
    for (int64_t i = 0; i < count; i++) {
        cp__free(strings[i]);
    }
    cp__free(strings);
}

/* Copies a fixed-length string element of `size` bytes: up to the first NUL, without trailing
 * spaces when the type is space-padded. */
static char *copy_fixed(const char *elem, size_t size, bool space_pad) {
    size_t len = 0;
    while (len < size && elem[len] != '\0') {
        len++;
    }
    while (space_pad && len > 0 && elem[len - 1] == ' ') {
        len--;
    }
    char *s = cp__malloc(len + 1);
    if (s != NULL) {
        memcpy(s, elem, len);
        s[len] = '\0';
    }
    return s;
}

/* A memory string type matching the stored one's character set (HDF5 refuses to convert between
 * ASCII and UTF-8) and kind: variable length, or fixed length of the same size and padding. */
static hid_t string_mem_type(hid_t ftype, bool *is_var, size_t *size) {
    hid_t mtype = H5Tcopy(H5T_C_S1);
    if (mtype < 0) {
        return mtype;
    }
    htri_t var = H5Tis_variable_str(ftype);
    H5T_cset_t cset = H5Tget_cset(ftype);
    *is_var = var > 0;
    *size = H5Tget_size(ftype);
    bool ok = var >= 0 && cset >= 0 && H5Tset_cset(mtype, cset) >= 0;
    if (ok && var > 0) {
        ok = H5Tset_size(mtype, H5T_VARIABLE) >= 0;
    } else if (ok) {
        ok = *size > 0 && H5Tset_size(mtype, *size) >= 0 &&
             H5Tset_strpad(mtype, H5Tget_strpad(ftype)) >= 0;
    }
    if (!ok) {
        H5Tclose(mtype);
        return H5I_INVALID_HID;
    }
    return mtype;
}

cp_status cp__h5_read_strings(char ***out, hid_t dset, int64_t count, const char *file,
                              const char *name, cp_error *err) {
    cp_status status = CP_OK;
    hid_t ftype = H5I_INVALID_HID, mtype = H5I_INVALID_HID, space = H5I_INVALID_HID;
    char **strings = NULL, **raw = NULL;
    char *fixed = NULL;
    bool is_var = false, raw_read = false;
    size_t size = 0;
    *out = NULL;
    cp__h5_quiet();
    ftype = H5Dget_type(dset);
    space = H5Dget_space(dset);
    if (ftype < 0 || space < 0) {
        status = cp__h5_fail(err, CP_E_FORMAT, "%s: cannot read the type of %s", file, name);
        goto cleanup;
    }
    H5T_class_t cls = H5Tget_class(ftype);
    if (cls != H5T_STRING) {
        status = cp_error_set(err, CP_E_FORMAT, "%s: %s holds %s; expected strings", file, name,
                              class_label(cls));
        goto cleanup;
    }
    if (H5Sget_simple_extent_npoints(space) != (hssize_t)count) {
        status = cp_error_set(err, CP_E_FORMAT, "%s: %s does not hold %lld strings", file, name,
                              (long long)count);
        goto cleanup;
    }
    mtype = string_mem_type(ftype, &is_var, &size);
    if (mtype < 0) {
        status = cp__h5_fail(err, CP_E_FORMAT, "%s: cannot read the string type of %s", file, name);
        goto cleanup;
    }
    strings = cp__calloc((size_t)count, sizeof *strings);
    if (strings == NULL) {
        status = cp_error_set(err, CP_E_NOMEM, "%s: out of memory reading %s", file, name);
        goto cleanup;
    }
    if (is_var) {
        raw = cp__calloc((size_t)count, sizeof *raw);
        if (raw == NULL) {
            status = cp_error_set(err, CP_E_NOMEM, "%s: out of memory reading %s", file, name);
            goto cleanup;
        }
        raw_read = true;
        if (count > 0 && H5Dread(dset, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, raw) < 0) {
            status = cp__h5_fail(err, CP_E_FORMAT, "%s: cannot read the strings of %s", file, name);
            goto cleanup;
        }
        for (int64_t i = 0; i < count; i++) {
            strings[i] = cp__strdup(raw[i] != NULL ? raw[i] : "");
            if (strings[i] == NULL) {
                status = cp_error_set(err, CP_E_NOMEM, "%s: out of memory reading %s", file, name);
                goto cleanup;
            }
        }
    } else {
        fixed = cp__malloc_array((size_t)count, size);
        if (fixed == NULL) {
            status = cp_error_set(err, CP_E_NOMEM, "%s: out of memory reading %s", file, name);
            goto cleanup;
        }
        if (count > 0 && H5Dread(dset, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, fixed) < 0) {
            status = cp__h5_fail(err, CP_E_FORMAT, "%s: cannot read the strings of %s", file, name);
            goto cleanup;
        }
        bool space_pad = H5Tget_strpad(ftype) == H5T_STR_SPACEPAD;
        for (int64_t i = 0; i < count; i++) {
            strings[i] = copy_fixed(fixed + (size_t)i * size, size, space_pad);
            if (strings[i] == NULL) {
                status = cp_error_set(err, CP_E_NOMEM, "%s: out of memory reading %s", file, name);
                goto cleanup;
            }
        }
    }
    *out = strings;
    strings = NULL;
cleanup:
    if (raw_read && count > 0) {
        H5Dvlen_reclaim(mtype, space, H5P_DEFAULT, raw);
    }
    cp__free(raw);
    cp__free(fixed);
    cp__h5_free_strings(strings, count);
    cp__h5_close(&mtype);
    cp__h5_close(&space);
    cp__h5_close(&ftype);
    return status;
}

/* ---- attributes ---------------------------------------------------------------------------- */

int cp__h5_attr_exists(hid_t loc, const char *obj, const char *name) {
    cp__h5_quiet();
    htri_t r = H5Aexists_by_name(loc, obj, name, H5P_DEFAULT);
    H5Eclear2(H5E_DEFAULT);
    return r > 0;
}

/* Opens attribute `name` of `obj`, checking it holds exactly one element. */
static cp_status open_attr(hid_t *attr, hid_t *space, hid_t loc, const char *file, const char *obj,
                           const char *name, cp_error *err) {
    *attr = H5I_INVALID_HID;
    *space = H5I_INVALID_HID;
    if (!cp__h5_exists(loc, obj)) {
        return cp_error_set(err, CP_E_FORMAT,
                            "%s: object %s is missing (looking for its attribute "
                            "'%s')",
                            file, obj, name);
    }
    if (!cp__h5_attr_exists(loc, obj, name)) {
        return cp_error_set(err, CP_E_FORMAT, "%s: %s has no attribute '%s'", file, obj, name);
    }
    *attr = H5Aopen_by_name(loc, obj, name, H5P_DEFAULT, H5P_DEFAULT);
    *space = *attr < 0 ? H5I_INVALID_HID : H5Aget_space(*attr);
    if (*space < 0) {
        cp__h5_close(attr);
        return cp__h5_fail(err, CP_E_FORMAT, "%s: cannot open attribute '%s' of %s", file, name,
                           obj);
    }
    if (H5Sget_simple_extent_npoints(*space) != 1) {
        cp__h5_close(space);
        cp__h5_close(attr);
        return cp_error_set(err, CP_E_FORMAT,
                            "%s: attribute '%s' of %s holds several values; expected one", file,
                            name, obj);
    }
    return CP_OK;
}

cp_status cp__h5_attr_read_str(char **value, hid_t loc, const char *file, const char *obj,
                               const char *name, cp_error *err) {
    cp_status status = CP_OK;
    hid_t attr = H5I_INVALID_HID, space = H5I_INVALID_HID, atype = H5I_INVALID_HID;
    hid_t mtype = H5I_INVALID_HID;
    char *raw = NULL, *fixed = NULL;
    bool is_var = false, raw_read = false;
    size_t size = 0;
    *value = NULL;
    cp__h5_quiet();
    CP_TRY(open_attr(&attr, &space, loc, file, obj, name, err));
    atype = H5Aget_type(attr);
    if (atype < 0) {
        status = cp__h5_fail(err, CP_E_FORMAT, "%s: cannot read the type of attribute '%s' of %s",
                             file, name, obj);
        goto cleanup;
    }
    if (H5Tget_class(atype) != H5T_STRING) {
        status =
            cp_error_set(err, CP_E_FORMAT, "%s: attribute '%s' of %s holds %s; expected a string",
                         file, name, obj, class_label(H5Tget_class(atype)));
        goto cleanup;
    }
    mtype = string_mem_type(atype, &is_var, &size);
    if (mtype < 0) {
        status =
            cp__h5_fail(err, CP_E_FORMAT, "%s: cannot read attribute '%s' of %s", file, name, obj);
        goto cleanup;
    }
    if (is_var) {
        raw_read = true;
        if (H5Aread(attr, mtype, &raw) < 0) {
            status = cp__h5_fail(err, CP_E_FORMAT, "%s: cannot read attribute '%s' of %s", file,
                                 name, obj);
            goto cleanup;
        }
        *value = cp__strdup(raw != NULL ? raw : "");
    } else {
        fixed = cp__malloc(size + 1);
        if (fixed == NULL) {
            status = cp_error_set(err, CP_E_NOMEM, "%s: out of memory reading attribute '%s'", file,
                                  name);
            goto cleanup;
        }
        if (H5Aread(attr, mtype, fixed) < 0) {
            status = cp__h5_fail(err, CP_E_FORMAT, "%s: cannot read attribute '%s' of %s", file,
                                 name, obj);
            goto cleanup;
        }
        *value = copy_fixed(fixed, size, H5Tget_strpad(atype) == H5T_STR_SPACEPAD);
    }
    if (*value == NULL) {
        status =
            cp_error_set(err, CP_E_NOMEM, "%s: out of memory reading attribute '%s'", file, name);
        goto cleanup;
    }
cleanup:
    if (raw_read) {
        H5Dvlen_reclaim(mtype, space, H5P_DEFAULT, &raw);
    }
    cp__free(fixed);
    cp__h5_close(&mtype);
    cp__h5_close(&atype);
    cp__h5_close(&space);
    cp__h5_close(&attr);
    return status;
}

cp_status cp__h5_attr_read_f64(double *value, hid_t loc, const char *file, const char *obj,
                               const char *name, cp_error *err) {
    cp_status status = CP_OK;
    hid_t attr = H5I_INVALID_HID, space = H5I_INVALID_HID, atype = H5I_INVALID_HID;
    hid_t native = H5I_INVALID_HID, base = H5I_INVALID_HID;
    *value = 0.0;
    cp__h5_quiet();
    CP_TRY(open_attr(&attr, &space, loc, file, obj, name, err));
    atype = H5Aget_type(attr);
    if (atype < 0) {
        status = cp__h5_fail(err, CP_E_FORMAT, "%s: cannot read the type of attribute '%s' of %s",
                             file, name, obj);
        goto cleanup;
    }
    H5T_class_t cls = H5Tget_class(atype);
    if (cls == H5T_INTEGER || cls == H5T_FLOAT) {
        if (H5Aread(attr, H5T_NATIVE_DOUBLE, value) < 0) {
            status = cp__h5_fail(err, CP_E_FORMAT, "%s: cannot read attribute '%s' of %s", file,
                                 name, obj);
            goto cleanup;
        }
    } else if (cls == H5T_ENUM) {
        /* An integer enum (h5py's bool): read the stored integer, then convert it to double. */
        unsigned char buf[sizeof(double) > 16 ? sizeof(double) : 16] = {0};
        native = H5Tget_native_type(atype, H5T_DIR_DEFAULT);
        base = native < 0 ? H5I_INVALID_HID : H5Tget_super(native);
        if (base < 0 || H5Tget_size(native) > sizeof buf || H5Aread(attr, native, buf) < 0 ||
            H5Tconvert(base, H5T_NATIVE_DOUBLE, 1, buf, NULL, H5P_DEFAULT) < 0) {
            status =
                cp__h5_fail(err, CP_E_FORMAT, "%s: cannot read attribute '%s' of %s as a number",
                            file, name, obj);
            goto cleanup;
        }
        memcpy(value, buf, sizeof *value);
    } else {
        status =
            cp_error_set(err, CP_E_FORMAT, "%s: attribute '%s' of %s holds %s; expected a number",
                         file, name, obj, class_label(cls));
        goto cleanup;
    }
cleanup:
    cp__h5_close(&base);
    cp__h5_close(&native);
    cp__h5_close(&atype);
    cp__h5_close(&space);
    cp__h5_close(&attr);
    return status;
}

/* Writes attribute `name` (replacing one of that name) on object `obj`. */
static cp_status write_attr(hid_t loc, const char *file, const char *obj, const char *name,
                            hid_t file_type, hid_t mem_type, const void *value, cp_error *err) {
    cp_status status = CP_OK;
    hid_t o = H5I_INVALID_HID, space = H5I_INVALID_HID, acpl = H5I_INVALID_HID;
    hid_t attr = H5I_INVALID_HID;
    cp__h5_quiet();
    o = H5Oopen(loc, obj, H5P_DEFAULT);
    if (o < 0) {
        status =
            cp__h5_fail(err, CP_E_IO, "%s: cannot open %s to set attribute '%s'", file, obj, name);
        goto cleanup;
    }
    htri_t had = H5Aexists(o, name);
    if (had < 0 || (had > 0 && H5Adelete(o, name) < 0)) {
        status =
            cp__h5_fail(err, CP_E_IO, "%s: cannot replace attribute '%s' of %s", file, name, obj);
        goto cleanup;
    }
    space = H5Screate(H5S_SCALAR);
    acpl = H5Pcreate(H5P_ATTRIBUTE_CREATE);
    if (space < 0 || acpl < 0 || H5Pset_char_encoding(acpl, H5T_CSET_UTF8) < 0) {
        status = cp__h5_fail(err, CP_E_INTERNAL, "%s: cannot set up attribute '%s'", file, name);
        goto cleanup;
    }
    attr = H5Acreate2(o, name, file_type, space, acpl, H5P_DEFAULT);
    if (attr < 0 || H5Awrite(attr, mem_type, value) < 0) {
        status =
            cp__h5_fail(err, CP_E_IO, "%s: cannot write attribute '%s' of %s", file, name, obj);
        goto cleanup;
    }
cleanup:
    cp__h5_close(&attr);
    cp__h5_close(&acpl);
    cp__h5_close(&space);
    cp__h5_close(&o);
    return status;
}

/* A variable-length UTF-8 string type (caller closes). */
static hid_t vlen_utf8(void) {
    hid_t t = H5Tcopy(H5T_C_S1);
    if (t < 0) {
        return t;
    }
    if (H5Tset_size(t, H5T_VARIABLE) < 0 || H5Tset_cset(t, H5T_CSET_UTF8) < 0) {
        H5Tclose(t);
        return H5I_INVALID_HID;
    }
    return t;
}

cp_status cp__h5_attr_write_str(hid_t loc, const char *file, const char *obj, const char *name,
                                const char *value, cp_error *err) {
    cp__h5_quiet();
    hid_t t = vlen_utf8();
    if (t < 0) {
        return cp__h5_fail(err, CP_E_INTERNAL, "%s: cannot make a string type", file);
    }
    const char *v = value != NULL ? value : "";
    cp_status status = write_attr(loc, file, obj, name, t, t, &v, err);
    cp__h5_close(&t);
    return status;
}

cp_status cp__h5_attr_write_num(hid_t loc, const char *file, const char *obj, const char *name,
                                hid_t file_type, hid_t mem_type, const void *value, cp_error *err) {
    return write_attr(loc, file, obj, name, file_type, mem_type, value, err);
}

/* ---- writing datasets ---------------------------------------------------------------------- */

cp_status cp__h5_write(hid_t file, const char *file_name, const char *name, hid_t file_type,
                       hid_t mem_type, int rank, const hsize_t *dims, const void *data,
                       size_t compress_min_bytes, const char *description, cp_error *err) {
    cp_status status = CP_OK;
    hid_t space = H5I_INVALID_HID, lcpl = H5I_INVALID_HID, dcpl = H5I_INVALID_HID;
    hid_t dset = H5I_INVALID_HID;
    cp__h5_quiet();
    if (rank < 1 || rank > 2) {
        return cp_error_set(err, CP_E_INVALID, "%s: %s: rank %d; expected 1 or 2", file_name, name,
                            rank);
    }
    hsize_t total = 1;
    for (int i = 0; i < rank; i++) {
        total *= dims[i];
    }
    if (total > 0 && data == NULL) {
        return cp_error_set(err, CP_E_INVALID, "%s: %s: no data given for %llu elements", file_name,
                            name, (unsigned long long)total);
    }
    if (cp__h5_exists(file, name)) {
        return cp_error_set(err, CP_E_INVALID, "%s: %s already exists; each object is written once",
                            file_name, name);
    }
    CP_TRY(make_parents(file, file_name, name, err));
    size_t esize = H5Tget_size(file_type);
    space = H5Screate_simple(rank, dims, NULL);
    lcpl = make_lcpl();
    dcpl = H5Pcreate(H5P_DATASET_CREATE);
    if (esize == 0 || space < 0 || lcpl < 0 || dcpl < 0 || H5Pset_obj_track_times(dcpl, 0) < 0) {
        status = cp__h5_fail(err, CP_E_INTERNAL, "%s: cannot set up dataset %s", file_name, name);
        goto cleanup;
    }
    if (total > 0 && (double)total * (double)esize >= (double)compress_min_bytes) {
        /* About 1 MiB per chunk, whole rows where they fit, never larger than the dataset. */
        hsize_t chunk[2] = {1, 1};
        hsize_t per_chunk = CP__H5_CHUNK_BYTES / esize > 0 ? CP__H5_CHUNK_BYTES / esize : 1;
        if (rank == 1) {
            chunk[0] = dims[0] < per_chunk ? dims[0] : per_chunk;
        } else {
            chunk[1] = dims[1] < per_chunk ? dims[1] : per_chunk;
            hsize_t rows = per_chunk / chunk[1] > 0 ? per_chunk / chunk[1] : 1;
            chunk[0] = dims[0] < rows ? dims[0] : rows;
        }
        if (H5Pset_chunk(dcpl, rank, chunk) < 0 || H5Pset_shuffle(dcpl) < 0 ||
            H5Pset_deflate(dcpl, 4) < 0) {
            status = cp__h5_fail(err, CP_E_INTERNAL, "%s: cannot set up compression for %s",
                                 file_name, name);
            goto cleanup;
        }
    }
    dset = H5Dcreate2(file, name, file_type, space, lcpl, dcpl, H5P_DEFAULT);
    if (dset < 0) {
        status = cp__h5_fail(err, CP_E_IO, "%s: cannot create dataset %s", file_name, name);
        goto cleanup;
    }
    if (total > 0 && H5Dwrite(dset, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0) {
        status = cp__h5_fail(err, CP_E_IO, "%s: cannot write dataset %s", file_name, name);
        goto cleanup;
    }
    if (description != NULL) {
        CP_TRY(cp__h5_attr_write_str(dset, file_name, ".", "description", description, err));
    }
cleanup:
    cp__h5_close(&dset);
    cp__h5_close(&dcpl);
    cp__h5_close(&lcpl);
    cp__h5_close(&space);
    return status;
}

cp_status cp__h5_write_strings(hid_t file, const char *file_name, const char *name, int64_t count,
                               const char *const *data, size_t compress_min_bytes,
                               const char *description, cp_error *err) {
    cp_status status = CP_OK;
    hid_t t = H5I_INVALID_HID;
    const char **patched = NULL;
    cp__h5_quiet();
    if (count < 0 || (count > 0 && data == NULL)) {
        return cp_error_set(err, CP_E_INVALID, "%s: %s: invalid string count or data", file_name,
                            name);
    }
    /* NULL entries become "" so that every reader (h5py included) sees a string. */
    for (int64_t i = 0; i < count && patched == NULL; i++) {
        if (data[i] == NULL) {
            patched = cp__malloc_array((size_t)count, sizeof *patched);
            if (patched == NULL) {
                return cp_error_set(err, CP_E_NOMEM, "%s: out of memory writing %s", file_name,
                                    name);
            }
            for (int64_t k = 0; k < count; k++) {
                patched[k] = data[k] != NULL ? data[k] : "";
            }
        }
    }
    t = vlen_utf8();
    if (t < 0) {
        status = cp__h5_fail(err, CP_E_INTERNAL, "%s: cannot make a string type", file_name);
        goto cleanup;
    }
    hsize_t dims[1] = {(hsize_t)count};
    status = cp__h5_write(file, file_name, name, t, t, 1, dims,
                          patched != NULL ? (const void *)patched : (const void *)data,
                          compress_min_bytes, description, err);
cleanup:
    cp__h5_close(&t);
    cp__free(patched);
    return status;
}
