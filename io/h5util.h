/* The small checked wrapper around HDF5 that every file in io/ goes through (STYLE rule 11).
 *
 * Conventions:
 * - Every function that touches HDF5 first calls cp__h5_quiet(), so HDF5 never prints its error
 *   stack; when an HDF5 call fails, cp__h5_fail() writes our message and folds the innermost
 *   entry of HDF5's error stack into it (H5Ewalk2).
 * - Messages name the file and the object ("net.h5: /edges/source: ...") and what was expected.
 * - Handles are hid_t initialised to H5I_INVALID_HID and released with cp__h5_close(), which
 *   accepts invalid ids, so each function has one cleanup label that closes everything.
 * - Every read goes through HDF5's type conversion into a native memory type, with a transfer
 *   property list that turns overflow, truncation and NaN-to-integer conversions into an error
 *   instead of HDF5's default silent clamping.
 * - Written objects store no modification times, so the same content gives the same bytes.
 *
 * Not thread-safe (the serial HDF5 library is not): call from one thread at a time. */
#ifndef CP_IO_H5UTIL_H
#define CP_IO_H5UTIL_H

#include <hdf5.h>
#include <stdbool.h>
#include <stdint.h>

#include "chokepoint/status.h"

/* Target size of one chunk of a chunked dataset. */
#define CP__H5_CHUNK_BYTES ((size_t)1 << 20)

/* Turns HDF5's automatic error printing off (cheap; call on entry to every io function). */
void cp__h5_quiet(void);

/* Sets err to status s with the printf-style message, appends the innermost entry of HDF5's
 * current error stack (" [HDF5: <description>: <detail>]") when there is one, clears that stack,
 * and returns s. */
cp_status cp__h5_fail(cp_error *err, cp_status s, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Closes any HDF5 id (file, group, dataset, dataspace, datatype, attribute, property list) and
 * sets *id = H5I_INVALID_HID. Invalid ids are ignored. Returns the close's result (< 0 failed). */
herr_t cp__h5_close(hid_t *id);

/* --- files ------------------------------------------------------------------------------------ */

/* Opens an existing file read-only. CP_E_IO (naming the file and the system's reason) when the
 * file cannot be opened at all; CP_E_FORMAT when it opens but is not a readable HDF5 file (not
 * HDF5, truncated or damaged). */
cp_status cp__h5_open_read(hid_t *file, const char *path, cp_error *err);

/* Creates "<path>.tmp" (truncating a stale one) for writing; *tmp_path receives that name
 * (cp__malloc'd; the caller frees it with cp__free). CP_E_IO naming it, CP_E_NOMEM. */
cp_status cp__h5_create_tmp(hid_t *file, char **tmp_path, const char *path, cp_error *err);

/* Flushes and closes *file (set invalid), fsyncs tmp_path and renames it to path. On any error
 * the tmp file is removed. CP_E_IO naming the file. */
cp_status cp__h5_commit_tmp(hid_t *file, const char *tmp_path, const char *path, cp_error *err);

/* Closes *file (when valid) and removes tmp_path (when not NULL); never fails. */
void cp__h5_discard_tmp(hid_t *file, const char *tmp_path);

/* --- objects ---------------------------------------------------------------------------------- */

/* 1 when the object at `path` (absolute, or relative to loc) exists and resolves, 0 otherwise.
 * Checks each component in turn, so a missing intermediate group is simply "absent". */
int cp__h5_exists(hid_t loc, const char *path);

/* Names of the members of group `group` (relative to loc), sorted by strcmp: *names is a
 * cp__malloc'd array of *count cp__strdup'd strings (free with cp__h5_free_names). CP_E_FORMAT
 * when the group is missing or is not a group, CP_E_NOMEM. */
cp_status cp__h5_member_names(char ***names, int *count, hid_t loc, const char *file,
                              const char *group, cp_error *err);
void cp__h5_free_names(char **names, int count);

/* Creates group `path` (absolute) and any missing intermediate groups; *grp receives an open
 * handle when grp is not NULL. An existing group is opened instead. CP_E_INVALID when `path` or
 * a component above it exists and is not a group; CP_E_IO. */
cp_status cp__h5_make_group(hid_t *grp, hid_t file, const char *file_name, const char *path,
                            cp_error *err);

/* --- reading datasets ------------------------------------------------------------------------- */

/* Opens dataset `name` (relative to loc) and reports its rank and dims (dims has room for
 * max_rank entries). CP_E_FORMAT naming file and dataset when it is missing, is not a dataset,
 * or has rank 0 or rank > max_rank. */
cp_status cp__h5_open_dataset(hid_t *dset, int *rank, hsize_t *dims, int max_rank, hid_t loc,
                              const char *file, const char *name, cp_error *err);

/* Reads the whole numeric dataset into buf (which must hold every element) as mem_type (a native
 * integer or float type), letting HDF5 convert. integers_only rejects float storage. A value that
 * does not fit mem_type is CP_E_FORMAT (never clamped). Single-byte enums (h5py's bool) are read
 * as their integer values when mem_type is H5T_NATIVE_UINT8. */
cp_status cp__h5_read_numeric(void *buf, hid_t dset, hid_t mem_type, bool integers_only,
                              const char *file, const char *name, cp_error *err);

/* Reads a 1-D string dataset of `count` elements (variable-length or fixed-length, ASCII or
 * UTF-8) into *out: a cp__malloc'd array of count cp__strdup'd strings (NULL entries are read
 * as ""; fixed-length strings lose their padding). CP_E_FORMAT when it holds no strings. */
cp_status cp__h5_read_strings(char ***out, hid_t dset, int64_t count, const char *file,
                              const char *name, cp_error *err);
void cp__h5_free_strings(char **strings, int64_t count);

/* --- attributes ------------------------------------------------------------------------------- */

/* 1 when object `obj` (relative to loc) has attribute `name`, 0 when not or on error. */
int cp__h5_attr_exists(hid_t loc, const char *obj, const char *name);

/* Reads a scalar (or one-element) string attribute, variable or fixed length; *value is
 * cp__malloc'd. CP_E_FORMAT naming file, object and attribute when it is missing or not a
 * string. */
cp_status cp__h5_attr_read_str(char **value, hid_t loc, const char *file, const char *obj,
                               const char *name, cp_error *err);

/* Reads a scalar (or one-element) numeric attribute (any integer or float type, or an integer
 * enum such as h5py's bool) as a double. CP_E_FORMAT when missing or not numeric. */
cp_status cp__h5_attr_read_f64(double *value, hid_t loc, const char *file, const char *obj,
                               const char *name, cp_error *err);

/* Writes (replacing) a scalar attribute on object `obj` (relative to loc): a variable-length
 * UTF-8 string, or a number stored as file_type from *value given in mem_type. */
cp_status cp__h5_attr_write_str(hid_t loc, const char *file, const char *obj, const char *name,
                                const char *value, cp_error *err);
cp_status cp__h5_attr_write_num(hid_t loc, const char *file, const char *obj, const char *name,
                                hid_t file_type, hid_t mem_type, const void *value, cp_error *err);

/* --- writing datasets ------------------------------------------------------------------------- */

/* Creates dataset `name` (absolute; missing parent groups created) of rank 1 or 2 with dims, stored
 * as file_type, and writes data given as mem_type (data may be NULL when the dataset is empty).
 * Compression: chunked (about 1 MiB, never bigger than the dataset) with shuffle and deflate when
 * the dataset is non-empty and its size is at least compress_min_bytes; otherwise contiguous.
 * A `description` attribute is set when description is not NULL. CP_E_INVALID when the object
 * already exists or a parent is not a group; CP_E_IO when HDF5 fails. */
cp_status cp__h5_write(hid_t file, const char *file_name, const char *name, hid_t file_type,
                       hid_t mem_type, int rank, const hsize_t *dims, const void *data,
                       size_t compress_min_bytes, const char *description, cp_error *err);

/* A 1-D dataset of variable-length UTF-8 strings (NULL entries are written as ""). */
cp_status cp__h5_write_strings(hid_t file, const char *file_name, const char *name, int64_t count,
                               const char *const *data, size_t compress_min_bytes,
                               const char *description, cp_error *err);

#endif
