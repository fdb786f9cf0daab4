/* Results files, schema `chokepoint-results` version 1 (DESIGN section 6), and small readers of
 * HDF5 files used by `compare`. */
#ifndef CP_IO_RESULTS_H
#define CP_IO_RESULTS_H

#include <stdint.h>

#include "chokepoint/graph.h"
#include "chokepoint/status.h"

/* An open results file being written. Everything goes to "<path>.tmp"; cp_results_commit renames
 * it into place, cp_results_abort removes it. */
typedef struct cp_results cp_results;

/* Creates "<path>.tmp" (truncating a stale one) with root attributes schema="chokepoint-results",
 * schema_version=1. Refuses (CP_E_INVALID) when path, or its tmp name, names the same file as
 * `input` (may be NULL): the same device and inode when both exist (so other spellings, symbolic
 * and hard links count), else the same string; so an input is never overwritten. CP_E_IO when
 * the file cannot be created; CP_E_NOMEM. *r is NULL on error. All cp_results_* and cp_h5_*
 * functions are not thread-safe (serial HDF5). */
cp_status cp_results_create(cp_results **r, const char *path, const char *input, cp_error *err);

/* Writes /nodes/id (int64 or UTF-8 strings, as in g) so a result is readable alone. */
cp_status cp_results_write_ids(cp_results *r, const cp_graph *g, cp_error *err);

/* Writes a dataset at an absolute path ("/centrality/degree"), creating intermediate groups.
 * rank 1 or 2, dims[rank] (row-major data; may be NULL when a dimension is 0); chunked (about
 * 1 MiB) with shuffle and deflate from 64 KiB on, contiguous below; `description` attribute set
 * (may be NULL for none). Element types: float64, int32, int64, uint8 (stored little-endian).
 * Status: CP_OK; CP_E_INVALID for a relative path, a bad rank or dims, missing data, a dataset
 * that already exists or a parent that is not a group; CP_E_IO when HDF5 fails. O(elements). */
cp_status cp_results_write_f64(cp_results *r, const char *path, int rank, const int64_t *dims,
                               const double *data, const char *description, cp_error *err);
cp_status cp_results_write_i32(cp_results *r, const char *path, int rank, const int64_t *dims,
                               const int32_t *data, const char *description, cp_error *err);
cp_status cp_results_write_i64(cp_results *r, const char *path, int rank, const int64_t *dims,
                               const int64_t *data, const char *description, cp_error *err);
cp_status cp_results_write_u8(cp_results *r, const char *path, int rank, const int64_t *dims,
                              const uint8_t *data, const char *description, cp_error *err);
/* A 1-D dataset of variable-length UTF-8 strings. */
cp_status cp_results_write_strings(cp_results *r, const char *path, int64_t count,
                                   const char *const *data, const char *description, cp_error *err);

/* Scalar attributes on an object (group or dataset) at an absolute path ("/" is the root); a path
 * that does not exist yet is created as a group (with its parents). An attribute of the same
 * name is replaced. Strings are stored as variable-length UTF-8, numbers as float64 / int64.
 * CP_E_INVALID for a relative path or a parent that is not a group; CP_E_IO. */
cp_status cp_results_attr_str(cp_results *r, const char *obj, const char *name, const char *value,
                              cp_error *err);
cp_status cp_results_attr_f64(cp_results *r, const char *obj, const char *name, double value,
                              cp_error *err);
cp_status cp_results_attr_i64(cp_results *r, const char *obj, const char *name, int64_t value,
                              cp_error *err);

/* Flushes, closes, syncs and renames "<path>.tmp" to path; frees *r and sets it NULL (also on
 * error, in which case the tmp file is removed). CP_E_INVALID when r or *r is NULL; CP_E_IO. */
cp_status cp_results_commit(cp_results **r, cp_error *err);

/* Closes and removes the tmp file; frees *r; accepts NULL. */
void cp_results_abort(cp_results **r);

/* --- reading (for compare and tests) ------------------------------------------------------- */

/* Names of the members (groups or datasets) of group `group` in file, sorted by strcmp; *names is
 * an array of *count malloc'd strings (non-NULL even when *count is 0), freed with
 * cp_h5_free_names. CP_E_IO when the file cannot be opened; CP_E_FORMAT naming file and group
 * when it is not HDF5 or the group is missing or not a group; CP_E_NOMEM. */
cp_status cp_h5_list(const char *file, const char *group, char ***names, int *count, cp_error *err);
void cp_h5_free_names(char **names, int count);

/* True when the object exists in the file (false also when the file cannot be opened). */
int cp_h5_exists(const char *file, const char *obj);

/* Reads a float64 (or convertible: any integer or float type) dataset of rank 1 or 2: *data
 * malloc'd (caller frees with free(); non-NULL even when empty), dims[0] and dims[1] (1 for
 * rank 1). CP_E_IO when the file cannot be opened; CP_E_FORMAT naming file and dataset when it is
 * not HDF5, the dataset is missing, of rank 0 or > 2, or not numeric. cp_h5_read_i32 reads a 1-D
 * integer dataset (float storage is CP_E_FORMAT, and so is a value outside int32). */
cp_status cp_h5_read_f64(const char *file, const char *dataset, double **data, int64_t dims[2],
                         cp_error *err);
cp_status cp_h5_read_i32(const char *file, const char *dataset, int32_t **data, int64_t *count,
                         cp_error *err);

/* Reads a scalar (or one-element) attribute of an object: a string, variable or fixed length
 * (*value malloc'd, caller frees with free()), or a number of any integer, float or integer-enum
 * type. CP_E_IO when the file cannot be opened; CP_E_FORMAT when missing or of the wrong kind,
 * naming file, object and attribute. */
cp_status cp_h5_read_attr_str(const char *file, const char *obj, const char *name, char **value,
                              cp_error *err);
cp_status cp_h5_read_attr_f64(const char *file, const char *obj, const char *name, double *value,
                              cp_error *err);

/* SHA-256 of a file's bytes as 64 lowercase hex digits (OpenSSL EVP), streamed in 64 KiB blocks.
 * CP_E_IO naming the file (missing, unreadable, a directory); CP_E_NOMEM. O(file size). */
cp_status cp_sha256_file(const char *path, char hex[65], cp_error *err);

#endif
