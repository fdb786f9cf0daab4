/* The HDF5 graph file, schema `chokepoint-graph` version 1 (DESIGN section 6). */
#ifndef CP_IO_GRAPH_H5_H
#define CP_IO_GRAPH_H5_H

#include "chokepoint/graph.h"
#include "chokepoint/status.h"

/* Reads a graph file. Every dataset is read through HDF5's type conversion into native types (so
 * big-endian or narrower integer storage is fine), shapes are checked before allocating, ids are
 * labels (int64 or UTF-8 strings). The result is validated (cp__graph_validate).
 * Status: CP_OK; CP_E_IO when the file cannot be opened (message names it); CP_E_FORMAT for a file
 * that is not HDF5, a wrong or missing schema attribute, a missing or mis-shaped dataset, or
 * invalid data, with a message naming the file and dataset; CP_E_NOMEM. O(n + m). */
cp_status cp_graph_read_h5(cp_graph **g, const char *path, cp_error *err);

/* Writes g to path atomically: to "<path>.tmp" in the same directory, flushed and closed, then
 * renamed. Chunked (about 1 MiB), deflate with shuffle, a `description` attribute on every
 * dataset. `created_by` (e.g. "chokepoint 0.1.0 import") goes to the root attribute. Never
 * leaves a partial file at path. Status: CP_OK, CP_E_IO, CP_E_NOMEM. O(n + m). */
cp_status cp_graph_write_h5(const cp_graph *g, const char *path, const char *created_by,
                            cp_error *err);

#endif
