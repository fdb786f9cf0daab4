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
 * schema_version=1. Refuses (CP_E_INVALID) when path names the same file as `input` (may be NULL),
 * so an input is never overwritten. CP_E_IO when the file cannot be created. */
cp_status cp_results_create(cp_results **r, const char *path, const char *input, cp_error *err);

/* Writes /nodes/id (int64 or UTF-8 strings, as in g) so a result is readable alone. */
cp_status cp_results_write_ids(cp_results *r, const cp_graph *g, cp_error *err);

/* Writes a dataset at an absolute path ("/centrality/degree"), creating intermediate groups.
 * rank 1 or 2, dims[rank]; chunked and deflated when large; `description` attribute set (may be
 * NULL for none). Element types: float64, int32, int64, uint8. */
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

/* Attributes on an object (group or dataset) at an absolute path; a group path that does not
 * exist yet is created. Strings are UTF-8 variable length... scalar attributes. */
cp_status cp_results_attr_str(cp_results *r, const char *obj, const char *name, const char *value,
                              cp_error *err);
cp_status cp_results_attr_f64(cp_results *r, const char *obj, const char *name, double value,
                              cp_error *err);
cp_status cp_results_attr_i64(cp_results *r, const char *obj, const char *name, int64_t value,
                              cp_error *err);

/* Flushes, closes and renames "<path>.tmp" to path; frees *r and sets it NULL (also on error, in
 * which case the tmp file is removed). */
cp_status cp_results_commit(cp_results **r, cp_error *err);

/* Closes and removes the tmp file; frees *r; accepts NULL. */
void cp_results_abort(cp_results **r);

/* --- reading (for compare and tests) ------------------------------------------------------- */

/* Names of the members (groups or datasets) of group `group` in file, sorted; *names is an array
 * of *count malloc'd strings, freed with cp_h5_free_names. CP_E_IO / CP_E_FORMAT naming file and
 * group. */
cp_status cp_h5_list(const char *file, const char *group, char ***names, int *count, cp_error *err);
void cp_h5_free_names(char **names, int count);

/* True when the object exists in the file (false also when the file cannot be opened). */
int cp_h5_exists(const char *file, const char *obj);

/* Reads a float64 (or convertible) dataset of rank 1 or 2: *data malloc'd (caller frees), dims[0]
 * and dims[1] (1 for rank 1). CP_E_FORMAT naming file and dataset when missing or of rank > 2. */
cp_status cp_h5_read_f64(const char *file, const char *dataset, double **data, int64_t dims[2],
                         cp_error *err);
cp_status cp_h5_read_i32(const char *file, const char *dataset, int32_t **data, int64_t *count,
                         cp_error *err);

/* Reads an attribute of an object: a string (*value malloc'd) or a number. CP_E_FORMAT when
 * missing, naming file, object and attribute. */
cp_status cp_h5_read_attr_str(const char *file, const char *obj, const char *name, char **value,
                              cp_error *err);
cp_status cp_h5_read_attr_f64(const char *file, const char *obj, const char *name, double *value,
                              cp_error *err);

/* SHA-256 of a file's bytes as 64 lowercase hex digits (OpenSSL EVP). CP_E_IO naming the file. */
cp_status cp_sha256_file(const char *path, char hex[65], cp_error *err);

#endif
