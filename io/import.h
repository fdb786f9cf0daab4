/* Importers from the formats analysts already have into a cp_graph (DESIGN section 6): generic
 * CSV tables, SNAP-style edge lists and Matrix Market. External ids are labels, never indices:
 * ids 1..11 make 11 nodes. Every error names the file, the line (1-based) and what was expected:
 * CP_E_IO when a file cannot be read, CP_E_FORMAT for malformed content, CP_E_INVALID for options
 * that do not fit the file (e.g. a column name not in the header). */
#ifndef CP_IO_IMPORT_H
#define CP_IO_IMPORT_H

#include <stdbool.h>

#include "chokepoint/graph.h"
#include "chokepoint/status.h"

/* One edge layer's declaration, shared by all importers. */
typedef struct cp_layer_options {
    const char *name; /* layer name; default "transaction" for CSV, "edges" otherwise */
    cp_weight_meaning
        meaning;       /* default CP_MEANING_AMOUNT when a weight column exists, else NONE */
    const char *units; /* e.g. "ETH"; default "" */
    bool undirected;   /* default false (directed) */
    bool pattern;      /* ignore values in the file: every weight 1.0 (default false) */
} cp_layer_options;

/* Generic CSV (RFC 4180: quoted fields, doubled quotes, CRLF or LF, UTF-8 with or without BOM).
 * The delimiter is ',' unless given (';' or '\t' too); '#' starts a comment only at the start of
 * a line. The first row is a header. Columns are named by header name or 1-based number. */
typedef struct cp_csv_options {
    char delimiter;         /* 0: ',' */
    const char *source_col; /* default "source" */
    const char *target_col; /* default "target" */
    const char *weight_col; /* NULL: no weight (1.0 each); default NULL */
    const char *time_col;   /* NULL: none; integer seconds (or steps) */
    cp_layer_options layer;
    /* Node table (optional): */
    const char *nodes_path;  /* NULL: nodes are the edge endpoints */
    const char *id_col;      /* default "id" */
    const char *kind_col;    /* NULL or a column of kind names */
    const char *country_col; /* NULL or a column of ISO alpha-2 codes */
    const char *groups_col;  /* NULL or a column of ';'-separated group names */
    /* Groups from a column's value: "NAME=COLUMN" (rows whose COLUMN is a true value: non-zero
     * number, "true", "yes") or "NAME=COLUMN:VALUE" (rows whose COLUMN equals VALUE). Up to 16. */
    const char *group_rules[16];
    int n_group_rules;
} cp_csv_options;

/* Sets the defaults above. */
void cp_csv_options_init(cp_csv_options *o);

/* Imports an edge table (and optional node table). Edge endpoints absent from a node table are
 * an error (CP_E_FORMAT naming line and id). NaN, infinite (unless meaning is length) or negative
 * weights, and empty ids, are CP_E_FORMAT naming the line. O(file size). */
cp_status cp_import_csv(cp_graph **g, const char *edges_path, const cp_csv_options *o,
                        cp_error *err);

/* SNAP-style edge list: whitespace-separated "source target [weight]" per line, '#' or '%'
 * comment lines, ids are labels. */
cp_status cp_import_edgelist(cp_graph **g, const char *path, const cp_layer_options *layer,
                             cp_error *err);

/* Matrix Market: `matrix coordinate (real|integer|pattern) (general|symmetric)` and `matrix array`
 * (dense) files, square only (an adjacency matrix); entry (i, j, v) is an edge i -> j with weight
 * v (1.0 for pattern); symmetric files give both directions of each off-diagonal entry. Ids are
 * 1..n (node labels). Rejects with CP_E_FORMAT (naming the line): a missing or malformed banner,
 * a non-square size line, indices out of range, fewer or more entries than declared, NaN values,
 * complex / hermitian / skew-symmetric fields, and unparsable lines. */
cp_status cp_import_mtx(cp_graph **g, const char *path, const cp_layer_options *layer,
                        cp_error *err);

#endif
