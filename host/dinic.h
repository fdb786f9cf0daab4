/* Maximum flow by Dinic's algorithm (Dinic 1970, "Algorithm for solution of a problem of maximum
 * flow in networks with power estimation", Soviet Math. Doklady 11), shared by the S-T maximum
 * flow (host/maxflow.c) and the minimum S-T vertex cut (host/mincut.c). Each phase computes BFS
 * levels on the residual network from the source, then a blocking flow on the level graph found
 * by an iterative depth-first search with current-arc pointers (no recursion: networks of millions
 * of nodes). Serial and deterministic: arcs are scanned in CSR order.
 *
 * Complexity: at most nn - 1 phases, each O(nn * n_arcs) for the blocking flow, so O(nn^2 n_arcs)
 * in the worst case. On a unit network (every node but the terminals has a single arc of capacity
 * 1 in or out, as the split graph of a vertex cut with unit costs) there are O(sqrt(nn)) phases,
 * each O(n_arcs): O(n_arcs sqrt(nn)) in all (Even and Tarjan 1975, "Network flow and testing graph
 * connectivity", SIAM J. Comput. 4(4)). Memory O(nn + n_arcs).
 *
 * The network: nn nodes, arcs in CSR form (first[x] .. first[x+1]-1 leave x), each arc with its
 * head, its reverse arc (mate), its initial capacity cap (+inf allowed) and a tolerance tol. Arcs
 * come in mutually reverse pairs, placed by cp__flow_net_add. The network keeps per arc either its
 * flow (skew-symmetric: flow[mate[a]] = -flow[a]; residual cap - flow, so a small flow on an arc of
 * huge capacity stays exact) or its residual capacity res; the choice is the caller's and fixes
 * the arithmetic, so each caller's results are those of its own representation.
 *
 * Numbers: an arc is usable when its residual exceeds tol, CP__DINIC_REL_TOL times its pair's
 * finite capacity (0 for pairs of infinite capacity), so rounding never yields augmenting paths of
 * a few ulps. The bottleneck arc of every augmenting path is set exactly to residual 0 (flow =
 * cap), so each augmentation saturates an arc and the phase bound of Dinic holds in floating
 * point. A path of infinite arcs alone would carry an infinite flow: callers rule it out first
 * (cp__dinic_bfs with inf_only). */
#ifndef CP_HOST_DINIC_H
#define CP_HOST_DINIC_H

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chokepoint/status.h"

#define CP__DINIC_REL_TOL 1e-12

typedef struct cp__flow_net {
    int32_t nn;     /* nodes */
    int64_t n_arcs; /* arcs: 2 per pair */
    int64_t *first; /* nn + 1: arcs of node x are first[x] .. first[x+1]-1 */
    int32_t *head;  /* per arc */
    int64_t *mate;  /* per arc: the reverse arc */
    double *cap;    /* per arc: initial capacity */
    double *tol;    /* per arc: residuals at or below this count as zero */
    double *flow; /* per arc, when the network keeps flows (else NULL): flow[mate[a]] = -flow[a] */
    double *res;  /* per arc, when the network keeps residuals (else NULL) */
    int64_t *cursor; /* nn, while arcs are placed: each node's next free slot */
} cp__flow_net;

/* Work space of the search: level, queue (nn each), node (nn + 1), it, path (nn each). */
typedef struct cp__dinic_ws {
    int32_t *level;
    int32_t *queue;
    int32_t *node;
    int64_t *it;
    int64_t *path;
} cp__dinic_ws;

/* Building a network: cp__flow_net_init, then cp__flow_net_count for every pair, then
 * cp__flow_net_alloc, then cp__flow_net_add for the same pairs in the same order (arcs of a node
 * keep the order in which their pairs were added); cp__flow_net_free in every case. */

/* Starts an empty network of nn nodes (g zero-initialised). CP_OK or CP_E_NOMEM. */
cp_status cp__flow_net_init(cp__flow_net *g, int32_t nn);

/* Counts the arc pair a -> b, b -> a. */
static inline void cp__flow_net_count(cp__flow_net *g, int32_t a, int32_t b) {
    g->first[a + 1]++;
    g->first[b + 1]++;
}

/* Turns the counts into CSR offsets and allocates the arcs, keeping flows (keep_flow, all 0) or
 * residuals. CP_OK or CP_E_NOMEM. */
cp_status cp__flow_net_alloc(cp__flow_net *g, bool keep_flow);

/* Places the pair a -> b (capacity c) and b -> a (capacity c_rev; c itself for an undirected
 * edge, whose net flow the pair then carries); both get the tolerance of c. Returns the index of
 * the arc a -> b. */
static inline int64_t cp__flow_net_add(cp__flow_net *g, int32_t a, int32_t b, double c,
                                       double c_rev) {
    int64_t fa = g->cursor[a]++;
    int64_t fb = g->cursor[b]++;
    g->head[fa] = b;
    g->head[fb] = a;
    g->mate[fa] = fb;
    g->mate[fb] = fa;
    g->cap[fa] = c;
    g->cap[fb] = c_rev;
    g->tol[fa] = g->tol[fb] = isinf(c) ? 0.0 : CP__DINIC_REL_TOL * c;
    if (g->res != NULL) {
        g->res[fa] = c;
        g->res[fb] = c_rev;
    }
    return fa;
}

void cp__flow_net_free(cp__flow_net *g);

/* Allocates the work space for a network of nn nodes (w zero-initialised; freed by
 * cp__dinic_ws_free in every case). CP_OK or CP_E_NOMEM. */
cp_status cp__dinic_ws_new(cp__dinic_ws *w, int32_t nn);
void cp__dinic_ws_free(cp__dinic_ws *w);

/* BFS from ss over usable arcs (with inf_only: over the arcs of infinite initial capacity
 * instead), recording levels (-1: not reached) and, when parent is not NULL, the arc that reached
 * each node. Stops expanding at tt's level when tt >= 0. queue: nn entries. Returns whether tt
 * was reached (false when tt < 0). O(nn + n_arcs). */
bool cp__dinic_bfs(int32_t *level, int64_t *parent, int32_t *queue, const cp__flow_net *g,
                   int32_t ss, int32_t tt, bool inf_only);

/* Maximum flow from ss to tt (no path of infinite arcs between them), added to the network's
 * flows or residuals; returns its value, the sum of the phases' blocking flows. Afterwards
 * w->level holds garbage. */
double cp__dinic_maxflow(cp__flow_net *g, cp__dinic_ws *w, int32_t ss, int32_t tt);

#endif
