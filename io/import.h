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

/* One edge layer's declaration, shared by all importers. A zeroed struct means "all defaults".
 * meaning = CP_MEANING_NONE (the zero value) stands for "default": it becomes AMOUNT when the file
 * has weight values that are used (a CSV weight column, a third edge-list field, a real/integer
 * Matrix Market field) and pattern is false, else stays NONE. Weights must be >= 0 and not NaN;
 * +inf is accepted only when meaning is CP_MEANING_LENGTH (given explicitly). With pattern the
 * values are not read at all (a CSV weight column may then hold anything). */
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
    bool no_header; /* the edge table has no header row: columns by number only (default false) */
} cp_csv_options;

/* Sets the defaults above (delimiter ',', source/target/id columns "source"/"target"/"id", layer
 * name "transaction", units "", everything else NULL / 0 / false). */
void cp_csv_options_init(cp_csv_options *o);

/* Imports an edge table (and optional node table). Edge endpoints absent from a node table are
 * an error (CP_E_FORMAT naming line and id). NaN, infinite (unless meaning is length) or negative
 * weights, and empty ids, are CP_E_FORMAT naming the line. O(file size).
 *
 * Details. o = NULL means the defaults. Ids are labels interned in order of first appearance
 * (node table rows first, then edge endpoints); the graph's ids are int64 when every label is a
 * canonical decimal integer ("7", not "07" or "+7"), else UTF-8 strings (invalid UTF-8 is
 * CP_E_FORMAT). Every node-table row is a node, with or without edges; an id given twice there is
 * CP_E_FORMAT. Blank lines are skipped; every other row must have as many fields as the header.
 * A column option matching no header name may be a 1-based number. The time column holds
 * integers ("12", or "12.0" with no fraction). kind_col: person, company, bank, vessel, aircraft,
 * government, other (any case; empty = other); country_col: two ASCII letters (stored upper
 * case) or empty; groups_col: ';'-separated names, blanks around names ignored. Group rules: true
 * values are non-zero numbers, true/yes/t/y (any case); false values are 0, false/no/f/n and
 * empty; anything else is CP_E_FORMAT. A rule's VALUE that is a number matches numerically ("1"
 * matches "1.0"), any other VALUE matches the exact text. A rule's group exists even when no row
 * matches. The kind, country, groups columns and rules need nodes_path (CP_E_INVALID otherwise).
 * Statuses: CP_OK; CP_E_INVALID (NULL g or path, unusable delimiter, unknown column: the message
 * lists the header; malformed rule); CP_E_IO; CP_E_FORMAT (empty file or no header row, wrong
 * field count, unterminated quote, bad weight, time, kind, country, id); CP_E_NOMEM. On error *g
 * is NULL and nothing is leaked. A file whose first row is data (no header) is read by the
 * internal cp__import_csv_ex (io/import_internal.h). */
cp_status cp_import_csv(cp_graph **g, const char *edges_path, const cp_csv_options *o,
                        cp_error *err);

/* SNAP-style edge list: whitespace-separated "source target [weight]" per line, '#' or '%'
 * comment lines, ids are labels.
 *
 * Blank lines are skipped; lines may end in LF or CRLF and have any length. Every edge line has
 * the same number of fields (2, or 3 with a weight): a line with 1 or more than 3 fields, a count
 * different from the first edge line's, or a bad weight is CP_E_FORMAT naming the line. Ids are
 * int64 when all are canonical integers, else strings. layer = NULL means the defaults (name
 * "edges"). A zero-byte file is CP_E_FORMAT; a file of comments only is an empty graph. Statuses:
 * CP_OK, CP_E_INVALID (NULL g or path), CP_E_IO, CP_E_FORMAT, CP_E_NOMEM. O(file size). */
cp_status cp_import_edgelist(cp_graph **g, const char *path, const cp_layer_options *layer,
                             cp_error *err);

/* Matrix Market: `matrix coordinate (real|integer|pattern) (general|symmetric)` and `matrix array`
 * (dense) files, square only (an adjacency matrix); entry (i, j, v) is an edge i -> j with weight
 * v (1.0 for pattern); symmetric files give both directions of each off-diagonal entry. Ids are
 * 1..n (node labels). Rejects with CP_E_FORMAT (naming the line): a missing or malformed banner,
 * a non-square size line, indices out of range, fewer or more entries than declared, NaN values,
 * complex / hermitian / skew-symmetric fields, and unparsable lines.
 *
 * Details. The banner is case-insensitive; '%' lines and blank lines are skipped anywhere. Array
 * files list values column by column (a symmetric one only the lower triangle, diagonal included)
 * and a zero value is no edge; in coordinate files every entry is an edge, explicit zeros
 * included (weight 0). Symmetric files: by default each off-diagonal entry gives two edges, i -> j
 * then j -> i, on a directed layer (so directed algorithms see the whole matrix); with
 * layer->undirected each entry is stored once and the layer is undirected. A diagonal entry is
 * one self-loop. A coordinate entry given twice ((i, j) and (j, i) count as the same entry in a
 * symmetric file) is CP_E_FORMAT naming the repeat. A negative value is CP_E_FORMAT suggesting
 * the pattern option, which gives every edge weight 1.0 (values must still be numbers and not
 * NaN; an array file's zeros are still no edge). A value in an integer file must be
 * written as an integer. A non-square matrix is reported after its entries are checked, so a
 * file with a more specific defect is reported for that. layer = NULL means the defaults (name
 * "edges"). Statuses: CP_OK, CP_E_INVALID (NULL g or path), CP_E_IO, CP_E_FORMAT, CP_E_NOMEM.
 * O(file size), plus O(entries log entries) for the duplicate check. */
cp_status cp_import_mtx(cp_graph **g, const char *path, const cp_layer_options *layer,
                        cp_error *err);

#endif
