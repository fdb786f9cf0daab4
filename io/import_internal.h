/* Pieces shared by the importers (csv.c, edgelist.c, mtx.c): growing edge and group buffers, the
 * checked parsers for weights, times and ids, and the final assembly of a cp_graph. Internal to
 * io/; not part of the public API. */
#ifndef CP_IO_IMPORT_INTERNAL_H
#define CP_IO_IMPORT_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "idmap.h"
#include "import.h"

/* Edges in arrival order. time is NULL unless with_time. */
typedef struct cp__edgebuf {
    int32_t *src, *dst;
    double *weight;
    int64_t *time;
    int64_t m, cap;
    bool with_time;
} cp__edgebuf;

void cp__edgebuf_init(cp__edgebuf *b, bool with_time);
void cp__edgebuf_destroy(cp__edgebuf *b);
/* Reserves room for at least `cap` edges (a hint; CP_E_NOMEM). */
cp_status cp__edgebuf_reserve(cp__edgebuf *b, int64_t cap, const char *path, cp_error *err);
/* Appends one edge (amortised O(1); CP_E_NOMEM). */
cp_status cp__edgebuf_push(cp__edgebuf *b, int32_t s, int32_t d, double w, int64_t t,
                           const char *path, int64_t line, cp_error *err);

/* Named node sets under construction. */
typedef struct cp__groupbuf {
    cp__idmap names;
    int32_t **members;
    int64_t *size, *cap;
    int64_t slots; /* allocated entries of members / size / cap */
} cp__groupbuf;

void cp__groupbuf_init(cp__groupbuf *b);
void cp__groupbuf_destroy(cp__groupbuf *b);
/* Declares group `name` (so that it exists, possibly empty, in the graph). CP_E_NOMEM. */
cp_status cp__groupbuf_declare(cp__groupbuf *b, const char *name, int32_t *index, cp_error *err);
/* Adds node to the group with the given index from cp__groupbuf_declare. CP_E_NOMEM. */
cp_status cp__groupbuf_add(cp__groupbuf *b, int32_t group, int32_t node, cp_error *err);

/* The layer's resolved name, meaning and units: a NULL or empty name becomes default_name, an
 * unset (NONE) meaning becomes AMOUNT when the input has weight values that are used (not pattern),
 * a NULL units becomes "". */
const char *cp__import_layer_name(const cp_layer_options *lo, const char *default_name);
cp_weight_meaning cp__import_layer_meaning(const cp_layer_options *lo, bool has_values);

/* Parses a weight: surrounding ASCII blanks ignored, the rest must be a whole strtod number.
 * CP_E_FORMAT naming path:line and `what` (e.g. "column 'amount'") for an empty or unparsable
 * text, NaN, a negative value, or +inf unless allow_inf. -0 is stored as 0. */
cp_status cp__import_weight(double *w, const char *text, bool allow_inf, const char *path,
                            int64_t line, const char *what, cp_error *err);

/* Parses a time: an integer ("12"), or a number with no fractional part ("12.0") within int64.
 * CP_E_FORMAT naming path:line and `what` otherwise. */
cp_status cp__import_time(int64_t *t, const char *text, const char *path, int64_t line,
                          const char *what, cp_error *err);

/* Splits line in place at blanks (space, tab, CR, VT, FF) into tokens, storing at most max of
 * them in tok; returns the number of tokens, or max + 1 when there are more than max. */
int cp__import_split(char *line, char **tok, int max);

/* True when s is valid UTF-8 (no overlong forms, no surrogates, at most U+10FFFF). */
bool cp__utf8_valid(const char *s);

/* Interns an external id: CP_E_FORMAT naming path:line for an empty id or one that is not UTF-8,
 * or past 2^31-1 ids; CP_E_NOMEM. */
cp_status cp__import_intern(cp__idmap *ids, const char *label, int32_t *index, bool *inserted,
                            const char *path, int64_t line, cp_error *err);

/* Node attributes collected from a node table (arrays of n_attr entries, for nodes 0..n_attr-1;
 * all may be NULL / 0). */
typedef struct cp__node_attrs {
    const uint8_t *kind;
    const char *country; /* 2 bytes per node */
    int32_t n_attr;
} cp__node_attrs;

/* Assembles the graph: nodes from `ids` (labels in index order; when ids is NULL, n_int nodes with
 * integer ids 1..n_int), one layer from (name, meaning, units, directed) holding every edge of
 * `edges`, node attributes and groups. ids are int64 when every label is a canonical integer
 * (cp__parse_int64_label), else strings. Takes over the edge arrays and the id keys (both buffers
 * are left empty); finishes with cp__graph_finalize. On error *g is NULL. */
cp_status cp__import_build(cp_graph **g, cp__idmap *ids, int32_t n_int, cp__edgebuf *edges,
                           const char *layer_name, cp_weight_meaning meaning, const char *units,
                           bool directed, const cp__node_attrs *attrs, cp__groupbuf *groups,
                           const char *path, cp_error *err);

/* cp_import_csv with the choice of whether the edge file has a header row. With no_header the
 * first row is data and columns can be given only by 1-based number (the node table, if any,
 * still has a header). cp_import_csv(g, p, o, err) is cp__import_csv_ex(g, p, o, false, err). */
cp_status cp__import_csv_ex(cp_graph **g, const char *edges_path, const cp_csv_options *o,
                            bool no_header, cp_error *err);

#endif
