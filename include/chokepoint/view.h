/* chokepoint: views, the compact CSR form an algorithm runs on (DESIGN section 3).
 *
 * A view selects layers of a graph, a direction (as stored, reversed, symmetrised) and how
 * parallel edges are treated, and materialises the result once as CSR (offsets[n+1], indices[m],
 * weights[m]) plus the reverse CSC (rev_*), which pull-style kernels read. Within a row the
 * neighbours are sorted by index, then by original edge order, so a view is identical for an
 * identical graph. Views are plain structs whose arrays the view owns. */
#ifndef CHOKEPOINT_VIEW_H
#define CHOKEPOINT_VIEW_H

#include <stdbool.h>
#include <stdint.h>

#include "chokepoint/graph.h"
#include "chokepoint/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum cp_direction {
    CP_DIR_STORED = 0,   /* u -> v as in the file */
    CP_DIR_REVERSED = 1, /* v -> u */
    CP_DIR_SYMMETRIC = 2 /* both; the view is undirected */
} cp_direction;

typedef enum cp_multi {
    CP_MULTI_KEEP = 0,    /* each parallel edge is its own edge (a distinct path) */
    CP_MULTI_COLLAPSE = 1 /* parallel edges become one, weights summed */
} cp_multi;

typedef struct cp_view_spec {
    uint64_t layer_mask; /* bit i selects layer i (layers in name order); 0 selects every layer */
    cp_direction direction;
    cp_multi multi;
} cp_view_spec;

typedef struct cp_view {
    int32_t n;
    int64_t m;            /* entries in indices (a symmetric view holds each non-loop edge twice) */
    bool directed;        /* false for a symmetric view */
    int64_t *offsets;     /* n + 1 */
    int32_t *indices;     /* m: head of each out-edge */
    double *weights;      /* m */
    int64_t *edge_ids;    /* m: the graph edge each entry came from (the first, when collapsed) */
    int64_t *rev_offsets; /* n + 1: in-edges (for a symmetric view, the same arrays as above) */
    int32_t *rev_indices; /* m: tail of each in-edge */
    double *rev_weights;  /* m */
    int64_t *rev_edge_ids; /* m */
} cp_view;

/* Builds the view of g described by spec. Self-loops are kept (once per direction stored; once in
 * a symmetric view). Status: CP_OK; CP_E_INVALID when the mask selects no existing layer;
 * CP_E_NOMEM. Time and memory O(n + m). The caller frees *v with cp_view_free. */
cp_status cp_view_build(cp_view **v, const cp_graph *g, const cp_view_spec *spec, cp_error *err);

/* Builds a view directly from edge arrays: edges e with keep == NULL or keep[e] != 0, weights
 * from w (NULL: all 1.0). src, dst: m entries in 0..n-1 (not checked: callers pass validated
 * data). Status: CP_OK, CP_E_NOMEM. O(n + m). */
cp_status cp_view_from_edges(cp_view **v, int32_t n, int64_t m, const int32_t *src,
                             const int32_t *dst, const double *w, const uint8_t *keep,
                             cp_direction direction, cp_multi multi, cp_error *err);

/* Frees a view and sets *v = NULL; accepts NULL. */
void cp_view_free(cp_view **v);

/* Parses a comma-separated list of layer names ("transaction,trade"; "" or "all": every layer)
 * into a layer mask for g. CP_E_INVALID naming the unknown layer. */
cp_status cp_view_parse_layers(const cp_graph *g, const char *list, uint64_t *mask, cp_error *err);

/* How a weight becomes a length for shortest-path measures (DESIGN section 3). Shares and amounts
 * are strengths, not distances, so the choice is explicit:
 *   hops     every edge has length 1 (the default)
 *   weight   the weight is already a length (+inf: not traversable)
 *   inverse  1 / w (a strong tie is short); w = 0 gives +inf
 *   neglog   -log(w) for w in [0, 1] (probabilities or shares: the most likely chain is the
 *            shortest); w = 0 gives +inf */
typedef enum cp_length {
    CP_LENGTH_HOPS = 0,
    CP_LENGTH_WEIGHT = 1,
    CP_LENGTH_INVERSE = 2,
    CP_LENGTH_NEGLOG = 3
} cp_length;

/* Name ("hops", "weight", "inverse", "neglog") and parser (CP_E_INVALID for another name). */
const char *cp_length_name(cp_length l);
cp_status cp_length_parse(const char *s, cp_length *out);

/* Computes len[k] (v->m entries, caller-owned) for every entry of the view's out-CSR, and, when
 * rev_len is not NULL, rev_len[k] for every entry of its in-CSC (v->m entries). Computed once on
 * the host in double. Status: CP_OK; CP_E_INVALID for a negative or NaN weight, or (neglog) a
 * weight above 1, naming the view entry and the graph edge. O(m). */
cp_status cp_view_lengths(double *len, double *rev_len, const cp_view *v, cp_length mode,
                          cp_error *err);

#ifdef __cplusplus
}
#endif
#endif
