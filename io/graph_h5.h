/* The HDF5 graph file, schema `chokepoint-graph` version 1 (DESIGN section 6). */
#ifndef CP_IO_GRAPH_H5_H
#define CP_IO_GRAPH_H5_H

#include <stdbool.h>
#include <stdint.h>

#include "chokepoint/graph.h"
#include "chokepoint/status.h"

/* Reads a graph file. Every dataset is read through HDF5's type conversion into native types (so
 * big-endian or narrower integer storage is fine), shapes are checked before allocating, ids are
 * labels (int64 or UTF-8 strings). The result is validated (cp__graph_validate).
 *
 * Required: root attributes schema="chokepoint-graph" and schema_version=1; /nodes/id (any
 * integer type, or variable- or fixed-length strings; it defines n; ids must be unique); the edge
 * endpoints /edges/source and /edges/target (also accepted under the names /edges/src and
 * /edges/dst; any integer type, values 0..n-1; /edges/source defines m, shape (0,) is fine).
 * Optional, with defaults: /nodes/name (none), /nodes/kind (0 = other; values 0..6),
 * /nodes/country (unknown; 2-character codes or empty, fixed or variable strings),
 * /nodes/designated (0; values 0/1, h5py bools accepted), /edges/weight (1.0), /edges/time
 * (none), /edges/layer (required only when /layers has more than one member), /groups/<NAME>
 * (member indices, sorted and deduplicated on reading), /layers/<NAME> attributes meaning
 * ("none"), units (""), directed (1). A file with no /layers group gets one layer "edges"
 * (meaning none, directed). A value that does not fit its native type (e.g. an int64 endpoint
 * beyond int32) is an error, never clamped. /edges/commodity and /edges/extra are not read (the
 * graph has no place for them; cp_graph_read_h5_edge_extra reads an extra column). Edges keep
 * the order of the file: edge e of the graph is element e of every /edges dataset.
 *
 * Status: CP_OK; CP_E_INVALID for NULL arguments; CP_E_IO when the file cannot be opened
 * (message names it); CP_E_FORMAT for a file that is not HDF5 (or is truncated), a wrong or
 * missing schema attribute, a missing or mis-shaped dataset, or invalid data (an endpoint out of
 * range, a NaN or negative weight, duplicate ids...), with a message naming the file, the
 * dataset and the element; CP_E_NOMEM. *g is NULL on every error. Not thread-safe (serial
 * HDF5). O(n + m) time and memory (plus the group sizes). */
cp_status cp_graph_read_h5(cp_graph **g, const char *path, cp_error *err);

/* Reads the optional per-edge column /edges/extra/<name> of the graph file at path (e.g.
 * "share_lower", written by cp_graph_write_h5_ex). m is the edge count of the graph read from the
 * same file by cp_graph_read_h5, which keeps the file's edge order (layers are renumbered, edges
 * never reordered), so (*values)[e] belongs to the graph's edge e. The values are read through
 * HDF5's conversion into double, unchecked (NaN and negatives are the caller's to judge).
 * Absent column: CP_OK with *present false and *values NULL. Present: *present true and *values
 * a cp__malloc'd array of m doubles (at least one element allocated), freed by the caller with
 * cp__free. Status: CP_OK; CP_E_INVALID (values, present or path NULL, name empty or holding '/'
 * or "." or "..", m < 0); CP_E_IO when the file cannot be opened (message names it); CP_E_FORMAT
 * naming the file and the dataset when the file is not a chokepoint-graph file, or the column
 * is not a 1-D floating-point dataset of m elements (an integer column is refused: the schema
 * says float64); CP_E_NOMEM. Outputs cleared on entry and on error. Not thread-safe (serial
 * HDF5). O(m). */
cp_status cp_graph_read_h5_edge_extra(double **values, bool *present, const char *path,
                                      const char *name, int64_t m, cp_error *err);

/* Writes g to path atomically: to "<path>.tmp" in the same directory, flushed, closed and synced,
 * then renamed. Chunked (about 1 MiB, never bigger than the dataset; empty datasets contiguous),
 * deflate with shuffle, a `description` attribute on every dataset. `created_by` (e.g.
 * "chokepoint 0.1.0 import"; NULL for "chokepoint <version>") goes to the root attribute. Ids are
 * written as int64 or as variable-length UTF-8 strings, /nodes/name only when g has names (a
 * missing name as ""), /edges/layer as the index of the edge's layer among the layers in name
 * order, /edges/time only when g has times; /layers and /groups are always present. Never leaves
 * a partial file at path, nor the tmp file. Status: CP_OK; CP_E_INVALID for NULL arguments or a
 * layer or group name that cannot be an HDF5 link name (empty, containing '/', "." or "..");
 * CP_E_IO naming the file; CP_E_NOMEM. Not thread-safe (serial HDF5). O(n + m). */
cp_status cp_graph_write_h5(const cp_graph *g, const char *path, const char *created_by,
                            cp_error *err);

/* What a graph file may hold beyond the graph: extra per-edge columns (/edges/extra/<NAME>,
 * float64, m each, aligned with g's edges) and the record of merged ids (/merged/id, written as
 * int64 when g's ids are integers, else as strings; /merged/into, int32 node indices). Neither is
 * read back by cp_graph_read_h5 (the graph has no place for them); cp_graph_read_h5_edge_extra
 * reads an extra column, h5py reads them all. */
typedef struct cp_graph_h5_extra {
    int n_edge_cols;
    const char *edge_col_name[8];
    const double *edge_col[8];
    const char *edge_col_desc[8];
    int64_t n_merged;
    const char *const *merged_id;
    const int32_t *merged_into;
} cp_graph_h5_extra;

/* cp_graph_write_h5 plus the extras (extra NULL: none). Also CP_E_INVALID for an extra column name
 * that cannot be an HDF5 link name, or a merged id that is not an integer when g's ids are. */
cp_status cp_graph_write_h5_ex(const cp_graph *g, const char *path, const char *created_by,
                               const cp_graph_h5_extra *extra, cp_error *err);

#endif
