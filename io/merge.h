/* Merging records known to be one entity (`--same-as FILE`, DESIGN section 6): union-find over
 * pairs of node ids, then a new graph with one node per class. */
#ifndef CP_IO_MERGE_H
#define CP_IO_MERGE_H

#include <stdint.h>

#include "chokepoint/graph.h"
#include "chokepoint/status.h"

/* What a merge did. Release with cp_merge_record_free (harmless on a zeroed record). */
typedef struct cp_merge_record {
    int64_t n;       /* records merged away (nodes of the input that are no node of the output) */
    char **id;       /* n external ids (text) of those records, in input node order; owned */
    int32_t *into;   /* n node indices of the output graph each of them became part of; owned */
    int64_t pairs;   /* pairs read from the file (cp_graph_merge_same_as) or given */
    int64_t unknown; /* pairs skipped because an id is not a node of the graph */
    int64_t self_loops;         /* edges that became self-loops by the merge (kept) */
    int64_t first_unknown_line; /* line of the first unknown id (0: none) */
    char first_unknown_id[128]; /* that id, truncated */
} cp_merge_record;

void cp_merge_record_free(cp_merge_record *r);

/* Merges node a[i] with node b[i] for every i < k (indices into g; a pair may repeat, or name one
 * node twice). Each class of the transitive closure becomes one node whose external id is the
 * smallest id of the class (numerically when g's ids are integers, else by byte-wise comparison
 * of the UTF-8 text): the result does not depend on the order of the pairs. Nodes keep their
 * relative order (the output index of a class is its rank among the classes ordered by their
 * first member). Attributes: kind, country and name are the representative's, or when it has none
 * (kind other, country unknown, no name) those of the first member that has one; designated is
 * the OR of the class; each group holds the classes of its members. Edges are all kept, in input
 * order, with both endpoints re-pointed to their class: parallel edges stay parallel and an edge
 * inside a class becomes a self-loop (kept, counted in rec->self_loops), so per-edge columns
 * aligned with g's edges stay aligned with the output's. Layers, weights, times and the
 * description are copied. rec (may be NULL) lists every merged-away id with its class's output
 * index. Statuses: CP_OK; CP_E_INVALID (NULL out or g, k > 0 with NULL a or b, an index outside
 * 0..n-1: the message names the pair); CP_E_NOMEM. On error *out is NULL. O(n + m + k α(n)),
 * plus the groups' sizes. */
cp_status cp_graph_merge(cp_graph **out, cp_merge_record *rec, const cp_graph *g, const int32_t *a,
                         const int32_t *b, int64_t k, cp_error *err);

/* Reads a same-as file and merges (cp_graph_merge). The file is CSV (RFC 4180, ',' or, when the
 * first line has a tab and no comma, tab; '#' comment lines and blank lines skipped; UTF-8 with or
 * without BOM): each row names two ids in its first two fields (further fields, e.g. a score or a
 * note, are ignored). When neither field of the first row is a node id the row is a header. A
 * pair naming an id that is not a node is skipped and counted in rec->unknown (the first one
 * recorded with its line). Statuses: those of cp_graph_merge; CP_E_IO; CP_E_FORMAT naming
 * path:line for a row with fewer than two fields or an empty id, an unterminated quote, or a file
 * with no rows at all. cp_graph_find_node builds g's label index (hence g is not const). O(file
 * size + n + m). */
cp_status cp_graph_merge_same_as(cp_graph **out, cp_merge_record *rec, cp_graph *g,
                                 const char *path, cp_error *err);

#endif
