/* chokepoint: the multilayer graph held in memory (DESIGN section 3).
 *
 * Nodes are dense indices 0..n-1 (int32_t); edge counts and offsets are int64_t. External ids
 * (the input's labels) are kept beside the indices: int64 when every id in the input was an
 * integer, else UTF-8 strings. Edges belong to layers (ownership, control, transaction, trade or
 * user-named); each layer declares its weight meaning, units and whether it is directed. Node sets
 * ("groups") are named, sorted index lists.
 *
 * A cp_graph is an opaque handle made by the importers, the generators or cp_graph_read_h5, and
 * released with cp_graph_free. */
#ifndef CHOKEPOINT_GRAPH_H
#define CHOKEPOINT_GRAPH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chokepoint/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cp_graph cp_graph;

/* Node kinds, stored as uint8 in /nodes/kind. */
typedef enum cp_node_kind {
    CP_KIND_OTHER = 0,
    CP_KIND_PERSON = 1,
    CP_KIND_COMPANY = 2,
    CP_KIND_BANK = 3,
    CP_KIND_VESSEL = 4,
    CP_KIND_AIRCRAFT = 5,
    CP_KIND_GOVERNMENT = 6
} cp_node_kind;

/* What an edge weight means on a layer. Shares and amounts are strengths or capacities, never
 * distances; `length` is a distance. */
typedef enum cp_weight_meaning {
    CP_MEANING_NONE = 0,
    CP_MEANING_SHARE = 1,
    CP_MEANING_AMOUNT = 2,
    CP_MEANING_COUNT = 3,
    CP_MEANING_LENGTH = 4
} cp_weight_meaning;

/* Names of the enums as used in files and on the command line ("company", "share"). Never NULL. */
const char *cp_node_kind_name(cp_node_kind k);
const char *cp_weight_meaning_name(cp_weight_meaning m);
/* Parse those names; return CP_E_INVALID for an unknown name. */
cp_status cp_node_kind_parse(const char *s, cp_node_kind *out);
cp_status cp_weight_meaning_parse(const char *s, cp_weight_meaning *out);

/* Makes an empty graph (n = 0, m = 0, no layers). Status: CP_OK, CP_E_NOMEM. O(1). */
cp_status cp_graph_new(cp_graph **g, cp_error *err);

/* Frees the graph and everything it owns, and sets *g = NULL. Accepts NULL and *g == NULL. */
void cp_graph_free(cp_graph **g);

/* Number of nodes and edges. */
int32_t cp_graph_n(const cp_graph *g);
int64_t cp_graph_m(const cp_graph *g);

/* Writes node i's external id as text into buf (at most size bytes, NUL-terminated, truncated if
 * longer). Returns buf. */
char *cp_graph_node_label(const cp_graph *g, int32_t i, char *buf, size_t size);

/* Finds the node whose external id is `label` (the integer's decimal text when ids are integers).
 * Returns its index, or -1 when absent. O(1) expected after the first call, which builds an index
 * in O(n). */
int32_t cp_graph_find_node(cp_graph *g, const char *label);

#ifdef __cplusplus
}
#endif
#endif
