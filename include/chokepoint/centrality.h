/* chokepoint: centrality and connectivity kernels on views (DESIGN section 4), CPU backend.
 *
 * Every function takes a view (include/chokepoint/view.h) and an optional removal mask
 * `removed` (n bytes, non-zero = node removed; NULL = none): a removed node and its edges are
 * absent, but the node stays in n. Outputs are caller-owned arrays of n entries, overwritten. */
#ifndef CHOKEPOINT_CENTRALITY_H
#define CHOKEPOINT_CENTRALITY_H

#include <stdbool.h>
#include <stdint.h>

#include "chokepoint/status.h"
#include "chokepoint/view.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum cp_degree_mode {
    CP_DEGREE_OUT = 0,
    CP_DEGREE_IN = 1,
    CP_DEGREE_TOTAL = 2
} cp_degree_mode;

/* Degree (weighted = false) or strength (weighted = true: sum of view weights) of every node.
 * Edges to or from removed nodes do not count; removed nodes get 0. On a directed view a self-loop
 * adds one to out and one to in (2 to total); on a symmetric view mode is ignored and a self-loop
 * adds 2 (its weight twice), as in networkx. Parallel entries each count under CP_MULTI_KEEP; a
 * collapsed view has one entry per neighbour (its weight the sum). out: n doubles (may be NULL
 * when n = 0). Status: CP_OK, CP_E_INVALID (bad mode, no view or no output). O(n + m). */
cp_status cp_degree(double *out, const cp_view *v, const uint8_t *removed, cp_degree_mode mode,
                    bool weighted, cp_error *err);

/* Source-target betweenness, unweighted (hops), the gateway score of DESIGN section 4: for every
 * node x, the sum over pairs (s, t) in S x T with s != t and t reachable from s of
 * sigma_st(x) / sigma_st (shortest-path counts, in double), x not in {s, t}. On a symmetric
 * (undirected) view a pair whose reverse is also in S x T counts one half each way, so each
 * unordered pair counts once; otherwise no halving. Parallel edges in the view are distinct paths.
 * normalized divides by the number of connected pairs counted the same way (0 when none).
 * *connected_pairs (may be NULL) receives that count. sources, targets: index lists (duplicates
 * ignored; removed members ignored). Brandes (2001) restricted to S x T (Brandes 2008, "On variants
 * of shortest-path betweenness centrality and their generic computation"). OpenMP over sources;
 * bit-identical at any thread count (sources are taken in ascending index order, in a fixed number
 * of chunks reduced in order, so the result depends neither on the thread count nor on the order
 * of the caller's list). Sources whose out-entries all lead to one node r (leaves of a symmetric
 * view; on a directed view only sources outside T) share one search from r. Time O(|S| m),
 * memory O(n) per thread. On error out is all 0.
 * Status: CP_OK, CP_E_INVALID (index out of range, negative count, no view or no output),
 * CP_E_NOMEM. */
cp_status cp_st_betweenness(double *out, const cp_view *v, const uint8_t *removed,
                            const int32_t *sources, int64_t n_sources, const int32_t *targets,
                            int64_t n_targets, bool normalized, double *connected_pairs,
                            cp_error *err);

/* Weakly connected components of the view minus removed nodes: labels[x] = smallest node index
 * of x's component, -1 for removed nodes; *n_components counts components of non-removed nodes
 * (isolated nodes are components); *largest (may be NULL) the size of the largest one (0 when
 * none). Direction is ignored. labels: n entries (may be NULL when n = 0). Union-find with union
 * by size and path halving (Tarjan 1975). O(n + m alpha). CP_OK, CP_E_INVALID (no view or no
 * output), CP_E_NOMEM. */
cp_status cp_wcc(int32_t *labels, int32_t *n_components, int32_t *largest, const cp_view *v,
                 const uint8_t *removed, cp_error *err);

/* Number of ordered pairs (s, t), s in S, t in T, s != t, such that t is reachable from s in the
 * view minus removed nodes (removed s or t never count; duplicates in the lists are ignored; no
 * halving on a symmetric view). Bit-parallel BFS, 64 sources per word (Then et al. 2014, "The
 * more the merrier: efficient multi-source graph traversal"); OpenMP over words, exact integer
 * count. O(|S|/64 * m) time, O(n) memory per thread. CP_OK, CP_E_INVALID (index out of range),
 * CP_E_NOMEM. */
cp_status cp_st_pairs(double *connected, const cp_view *v, const uint8_t *removed,
                      const int32_t *sources, int64_t n_sources, const int32_t *targets,
                      int64_t n_targets, cp_error *err);

/* Maximum flow from S to T with the view's weights as edge capacities (a super-source feeds every
 * non-removed s, every non-removed t drains to a super-sink, both with unbounded capacity; nodes
 * have unbounded capacity; removed nodes carry nothing). *value gets the flow value (+inf when
 * some node is both in S and T, or when S and T are joined by a path of infinite capacities).
 * node_flow (n entries, may be NULL) gets the flow through each node: for a node outside S and T,
 * its inflow; for s in S its outflow; for t in T its inflow. This is the flow-based gateway score.
 * Dinic's algorithm (1970) in double precision; deterministic. O(n^2 m) worst case.
 * On a symmetric view an edge carries flow either way up to its weight; parallel entries add
 * their capacities; self-loops and zero weights carry nothing. Residuals below 1e-12 of an edge's
 * capacity count as zero. When *value is +inf, node_flow is +inf at the nodes on an S-T path of
 * infinite capacities (nodes in both S and T included) and 0 elsewhere. node_flow: n doubles.
 * Status: CP_OK, CP_E_INVALID (index out of range, a negative or NaN weight), CP_E_NOMEM. */
cp_status cp_st_maxflow(double *value, double *node_flow, const cp_view *v, const uint8_t *removed,
                        const int32_t *sources, int64_t n_sources, const int32_t *targets,
                        int64_t n_targets, cp_error *err);

#ifdef __cplusplus
}
#endif
#endif
