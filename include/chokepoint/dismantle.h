/* chokepoint: node scores used as dismantling strategies (DESIGN section 4), CPU backend.
 *
 * Both scores read the view as UNDIRECTED: the neighbours of a node are its out-neighbours
 * (offsets/indices) together with, on a directed view, its in-neighbours (rev_offsets/
 * rev_indices). Self-loops are ignored and parallel edges (or an edge stored both ways) count
 * once: the degree k_i of a node is its number of DISTINCT neighbours other than itself that are
 * not removed. `removed` (n bytes, non-zero = node removed; NULL = none) deletes a node and its
 * edges; the node keeps its index and scores 0. Outputs are caller-owned arrays of n doubles,
 * overwritten (they may be NULL when n = 0). Scores are integers, exact in double. */
#ifndef CHOKEPOINT_DISMANTLE_H
#define CHOKEPOINT_DISMANTLE_H

#include <stdint.h>

#include "chokepoint/status.h"
#include "chokepoint/view.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Collective influence (Morone and Makse 2015, "Influence maximization in complex networks
 * through optimal percolation", Nature 524:65-68):
 *     CI_l(i) = (k_i - 1) * sum over j in dBall(i, l) of (k_j - 1),
 * where dBall(i, l) is the set of nodes at hop distance exactly l from i in the undirected graph
 * minus removed nodes, and k the distinct-neighbour degree above. Nodes with k_i <= 1, nodes
 * whose boundary is empty, and removed nodes score 0; every score is >= 0.
 * score: n doubles (caller-owned). radius: l >= 1 (callers' default is 2).
 * One breadth-first search per node, truncated at depth l; OpenMP over nodes. Each value is an
 * integer sum computed by one thread, so the result is bit-identical at any thread count.
 * Status: CP_OK; CP_E_INVALID (no view, no output, radius < 1); CP_E_NOMEM.
 * Time O(n + m) for the degrees plus, per node, the size of its radius-l ball (at most
 * O(n (n + m)) in all); memory O(n) per thread. */
cp_status cp_collective_influence(double *score, const cp_view *v, const uint8_t *removed,
                                  int radius, cp_error *err);

/* CoreHD score (Zdeborova, Zhang and Zhou 2016, "Fast and simple decycling and dismantling of
 * networks", Scientific Reports 6:37954): the degree of each node within the 2-core of the
 * undirected graph minus removed nodes (distinct neighbours inside the core); nodes outside the
 * 2-core, and removed nodes, score 0. The 2-core is found by peeling: a queue of nodes of degree
 * below 2, each removal lowering its neighbours' degrees (Batagelj and Zaversnik 2003). Serial
 * and deterministic. score: n doubles (caller-owned).
 * Status: CP_OK; CP_E_INVALID (no view or no output); CP_E_NOMEM. Time O(n + m), memory O(n). */
cp_status cp_corehd_score(double *score, const cp_view *v, const uint8_t *removed, cp_error *err);

#ifdef __cplusplus
}
#endif
#endif
