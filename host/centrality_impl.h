/* Internal helpers shared by the S-T kernels (host/centrality.c, host/maxflow.c, host/mincut.c,
 * host/betweenness*.c) and their tests.
 * Not part of the public API. */
#ifndef CP_HOST_CENTRALITY_IMPL_H
#define CP_HOST_CENTRALITY_IMPL_H

#include <stdint.h>

#include "chokepoint/status.h"
#include "chokepoint/view.h"

/* Bits of the per-node membership flags built by cp__st_mark. */
#define CP__IN_S 1u
#define CP__IN_T 2u

/* Validates the index lists sources[n_sources] and targets[n_targets] against 0..n-1 and marks
 * their non-removed members in flags (n bytes, overwritten): CP__IN_S, CP__IN_T. Duplicates are
 * ignored. *n_s and *n_t receive the number of distinct non-removed members. Status: CP_OK,
 * CP_E_INVALID naming the first bad argument. O(n + |S| + |T|). */
cp_status cp__st_mark(uint8_t *flags, int64_t *n_s, int64_t *n_t, int32_t n, const uint8_t *removed,
                      const int32_t *sources, int64_t n_sources, const int32_t *targets,
                      int64_t n_targets, cp_error *err);

/* The single node that every out-entry of s (row s of off/idx) leads to, loops and removed heads
 * ignored, or -1 when there are none or several: the test of source folding in cp_st_betweenness
 * and cp_betweenness. O(out-degree of s). */
int32_t cp__single_successor(const int64_t *off, const int32_t *idx, const uint8_t *removed,
                             int32_t s);

/* cp_st_maxflow with the flow on every view entry as well: edge_flow (v->m entries, may be NULL)
 * gets, for entry e = (x -> y), the flow sent from x to y along that entry. On a directed view it
 * lies in [0, weight]; on a symmetric view it is the net flow from x to y (negative when the flow
 * runs from y to x) and the mirror entry in row y holds its negation. Self-loops, zero-capacity
 * entries and entries at removed nodes carry 0. When *value is +inf, edge_flow is all 0. Same
 * statuses and complexity as cp_st_maxflow. */
cp_status cp__st_maxflow_edges(double *value, double *node_flow, double *edge_flow,
                               const cp_view *v, const uint8_t *removed, const int32_t *sources,
                               int64_t n_sources, const int32_t *targets, int64_t n_targets,
                               cp_error *err);

#endif
