/* chokepoint: the minimum S-T vertex cut (DESIGN sections 4-5, the `min-cut` strategy), CPU
 * backend.
 *
 * The smallest (or cheapest) set of candidate nodes whose removal disconnects every source from
 * every target. It is the lower bound printed beside every removal heuristic: no strategy can
 * disconnect S from T with fewer candidate removals. */
#ifndef CHOKEPOINT_MINCUT_H
#define CHOKEPOINT_MINCUT_H

#include <stdint.h>

#include "chokepoint/status.h"
#include "chokepoint/view.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Minimum S-T vertex cut of the view minus `removed` (directed as stored; a symmetric view is
 * undirected): a set C of nodes, each allowed, not removed and in neither S nor T, such that no
 * path leads from a source to a target once C is removed, of least total cost (least size when
 * cost is NULL). Menger's theorem via maximum flow (Ford and Fulkerson 1956; Even and Tarjan 1975,
 * "Network flow and testing graph connectivity"): every non-removed node v is split into v_in ->
 * v_out with capacity cost[v] (1 when cost is NULL) when v may be cut, +inf otherwise; every view
 * entry u -> w (u != w, both not removed) becomes u_out -> w_in of capacity +inf, whatever its
 * weight (an edge of weight 0 still connects; parallel entries change nothing; self-loops are
 * ignored); a super-source feeds every s_in, every t_out drains to a super-sink. Dinic's algorithm
 * (1970) finds the maximum flow; C is the set of cut nodes whose v_in the source side of the final
 * residual graph reaches and whose v_out it does not. The cut is the one closest to the sources.
 *
 * cut       n entries (may be NULL): the cut's nodes in ascending order in cut[0 .. size-1],
 *           -1 in the rest. Caller-owned.
 * cut_size  receives |C| (required); -1 when S and T cannot be separated (see below).
 * cut_cost  (may be NULL) receives the cut's cost, the maximum flow value: sum of cost[v] over C
 *           (|C| when cost is NULL); +inf when S and T cannot be separated.
 * v         the view; removed: n bytes, non-zero = node absent (NULL: none).
 * allowed   n bytes, non-zero = the node may be cut (NULL: every node). Sources, targets and
 *           removed nodes are never cut, whatever their mask entry.
 * cost      n doubles (NULL: every node costs 1): the cost of cutting each allowed node, >= 0
 *           (read only at allowed nodes outside S and T); +inf makes the node uncuttable. With
 *           costs of 0, C may hold nodes that a smaller cut of the same cost would not need.
 * S, T      index lists (duplicates ignored; removed members ignored). With no non-removed source
 *           or no non-removed target, C is empty and the cost 0.
 *
 * S and T cannot be separated when a node is both a source and a target, an edge joins a source
 * to a target, or a path joins them through uncuttable nodes only. Then the function returns
 * CP_E_INVALID with a message naming such a source and target, *cut_size = -1, *cut_cost = +inf
 * and cut all -1: this is an answer about the instance (no finite cut exists), reported as an
 * error so that no caller can mistake it for a cut.
 *
 * Status: CP_OK; CP_E_INVALID (no view, no cut_size, an index out of range, a negative count, a
 * negative or NaN cost, too many nodes, or S and T inseparable as above); CP_E_NOMEM. On an error
 * other than inseparability, *cut_size = 0, *cut_cost = 0 and cut is all -1.
 * Time O(n^2 m) worst case (Dinic), O(m sqrt(n)) with unit costs (Even and Tarjan 1975); memory
 * O(n + m). Serial and deterministic. */
cp_status cp_min_vertex_cut(int32_t *cut, int64_t *cut_size, double *cut_cost, const cp_view *v,
                            const uint8_t *removed, const uint8_t *allowed, const double *cost,
                            const int32_t *S, int64_t ns, const int32_t *T, int64_t nt,
                            cp_error *err);

#ifdef __cplusplus
}
#endif
#endif
