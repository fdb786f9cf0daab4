/* Minimum S-T vertex cut by maximum flow on the split graph (include/chokepoint/mincut.h), CPU
 * backend. Serial and deterministic.
 *
 * The split graph has 2n + 2 nodes: v_in = 2v, v_out = 2v + 1, a super-source SS = 2n and a
 * super-sink TT = 2n + 1. Arc pairs (forward arc, reverse arc of capacity 0), listed in this order:
 * one node arc v_in -> v_out per non-removed node (capacity cost or 1 when v may be cut, +inf
 * otherwise), one edge arc u_out -> w_in of capacity +inf per view entry u -> w (u != w, both
 * not removed; a symmetric view holds each edge in both rows, so both directions appear), then
 * SS -> s_in and t_out -> TT (+inf). Feeding s_in rather than s_out, and draining t_out rather
 * than t_in, makes a node in both S and T an infinite path like any other.
 *
 * Before the flow, a search along infinite arcs from SS decides whether S and T can be separated
 * at all; if they can, every augmenting path holds a finite node arc and the flow is finite.
 *
 * The flow is Dinic's (host/dinic.h), on a network that keeps residual capacities (doubles). With
 * unit costs every value is a small integer and exact. With costs, the tolerances and the exact
 * saturation of bottleneck arcs are those of host/dinic.h. */
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "alloc.h"
#include "centrality_impl.h"
#include "chokepoint/mincut.h"
#include "dinic.h"

/* The capacity of v's node arc (v not removed): +inf when v may not be cut. */
static double node_cap(int32_t v, const uint8_t *flags, const uint8_t *allowed,
                       const double *cost) {
    if (flags[v] != 0 || (allowed != NULL && !allowed[v])) {
        return INFINITY;
    }
    return cost != NULL ? cost[v] : 1.0;
}

/* Walks the arc pairs (forward capacity c, reverse 0) in their fixed order: counts them when
 * place is false, else places them. */
static void pairs_walk(cp__flow_net *g, bool place, const cp_view *v, const uint8_t *removed,
                       const uint8_t *flags, const uint8_t *allowed, const double *cost) {
    int32_t n = v->n;
    int32_t ss = 2 * n, tt = 2 * n + 1;
#define PAIR(a, b, c)                                                                              \
    do {                                                                                           \
        if (place) {                                                                               \
            cp__flow_net_add(g, (a), (b), (c), 0.0);                                               \
        } else {                                                                                   \
            cp__flow_net_count(g, (a), (b));                                                       \
        }                                                                                          \
    } while (0)
    for (int32_t x = 0; x < n; x++) {
        if (removed == NULL || !removed[x]) {
            PAIR(2 * x, 2 * x + 1, node_cap(x, flags, allowed, cost));
        }
    }
    for (int32_t u = 0; u < n; u++) {
        if (removed != NULL && removed[u]) {
            continue;
        }
        for (int64_t e = v->offsets[u]; e < v->offsets[u + 1]; e++) {
            int32_t w = v->indices[e];
            if (w != u && (removed == NULL || !removed[w])) {
                PAIR(2 * u + 1, 2 * w, INFINITY);
            }
        }
    }
    for (int32_t x = 0; x < n; x++) {
        if (flags[x] & CP__IN_S) {
            PAIR(ss, 2 * x, INFINITY);
        }
        if (flags[x] & CP__IN_T) {
            PAIR(2 * x + 1, tt, INFINITY);
        }
    }
#undef PAIR
}

/* Builds the split network in CSR form (arcs of a node in the order their pairs were listed). */
static cp_status net_build(cp__flow_net *g, const cp_view *v, const uint8_t *removed,
                           const uint8_t *flags, const uint8_t *allowed, const double *cost) {
    if (cp__flow_net_init(g, 2 * v->n + 2) != CP_OK) {
        return CP_E_NOMEM;
    }
    pairs_walk(g, false, v, removed, flags, allowed, cost);
    if (cp__flow_net_alloc(g, false) != CP_OK) {
        return CP_E_NOMEM;
    }
    pairs_walk(g, true, v, removed, flags, allowed, cost);
    return CP_OK;
}

cp_status cp_min_vertex_cut(int32_t *cut, int64_t *cut_size, double *cut_cost, const cp_view *v,
                            const uint8_t *removed, const uint8_t *allowed, const double *cost,
                            const int32_t *S, int64_t ns, const int32_t *T, int64_t nt,
                            cp_error *err) {
    cp_status status = CP_OK;
    uint8_t *flags = NULL;
    cp__flow_net g = {0};
    cp__dinic_ws dw = {0};
    bool inseparable = false;
    if (cut_size == NULL) {
        return cp_error_set(err, CP_E_INVALID, "cp_min_vertex_cut: no output for the cut size");
    }
    *cut_size = 0;
    if (cut_cost != NULL) {
        *cut_cost = 0.0;
    }
    if (v == NULL) {
        return cp_error_set(err, CP_E_INVALID, "cp_min_vertex_cut: no view");
    }
    int32_t n = v->n;
    if (cut != NULL) {
        for (int32_t x = 0; x < n; x++) {
            cut[x] = -1;
        }
    }
    if (n > (INT32_MAX - 2) / 2) {
        return cp_error_set(err, CP_E_INVALID, "cp_min_vertex_cut: too many nodes (%" PRId32 ")",
                            n);
    }
    flags = cp__malloc_array((size_t)n, 1);
    if (flags == NULL && n > 0) {
        return cp_error_set(err, CP_E_NOMEM, "cp_min_vertex_cut: out of memory (%" PRId32 " nodes)",
                            n);
    }
    int64_t n_s = 0, n_t = 0;
    CP_TRY(cp__st_mark(flags, &n_s, &n_t, n, removed, S, ns, T, nt, err));
    if (cost != NULL) {
        for (int32_t x = 0; x < n; x++) {
            if ((removed != NULL && removed[x]) || flags[x] != 0 ||
                (allowed != NULL && !allowed[x])) {
                continue;
            }
            if (isnan(cost[x]) || cost[x] < 0.0) {
                status = cp_error_set(err, CP_E_INVALID,
                                      "cp_min_vertex_cut: cost %g of node %" PRId32
                                      " is negative or NaN",
                                      cost[x], x);
                goto cleanup;
            }
        }
    }
    if (n_s == 0 || n_t == 0) {
        goto cleanup;
    }

    if (net_build(&g, v, removed, flags, allowed, cost) != CP_OK) {
        status = cp_error_set(err, CP_E_NOMEM,
                              "cp_min_vertex_cut: out of memory (%" PRId32 " nodes, %" PRId64
                              " view entries)",
                              n, v->m);
        goto cleanup;
    }
    int32_t nn = g.nn, ss = 2 * n, tt = 2 * n + 1;
    if (cp__dinic_ws_new(&dw, nn) != CP_OK) {
        status = cp_error_set(err, CP_E_NOMEM,
                              "cp_min_vertex_cut: out of memory (%" PRId32 " nodes)", n);
        goto cleanup;
    }

    /* Separable? A path of infinite arcs from SS to TT means no finite cut. Its first node
     * after SS is a source's s_in, its last before TT a target's t_out. */
    if (cp__dinic_bfs(dw.level, dw.it, dw.queue, &g, ss, tt, true)) {
        const int64_t *parent = dw.it;
        int32_t t_node = g.head[g.mate[parent[tt]]] / 2;
        int32_t x = tt;
        while (g.head[g.mate[parent[x]]] != ss) {
            x = g.head[g.mate[parent[x]]];
        }
        int32_t s_node = x / 2;
        inseparable = true;
        status = cp_error_set(err, CP_E_INVALID,
                              "cp_min_vertex_cut: source %" PRId32 " and target %" PRId32
                              " cannot be separated by allowed nodes (%s)",
                              s_node, t_node,
                              s_node == t_node ? "the node is both a source and a target"
                                               : "joined by an edge or by a path through nodes "
                                                 "that may not be cut");
        goto cleanup;
    }

    double total = cp__dinic_maxflow(&g, &dw, ss, tt);

    /* The source side of the residual graph; the cut is the set of split arcs leaving it. */
    int32_t *level = dw.level;
    cp__dinic_bfs(level, NULL, dw.queue, &g, ss, -1, false);
    int64_t size = 0;
    double sum = 0.0;
    for (int32_t x = 0; x < n; x++) {
        if (level[2 * x] >= 0 && level[2 * x + 1] < 0) {
            if (cut != NULL) {
                cut[size] = x;
            }
            size++;
            sum += cost != NULL ? cost[x] : 1.0;
        }
    }
    (void)total; /* equals sum up to rounding (max-flow min-cut); sum is reported exactly */
    *cut_size = size;
    if (cut_cost != NULL) {
        *cut_cost = sum;
    }
cleanup:
    if (status < 0) {
        *cut_size = inseparable ? -1 : 0;
        if (cut_cost != NULL) {
            *cut_cost = inseparable ? INFINITY : 0.0;
        }
        if (cut != NULL) {
            for (int32_t x = 0; x < n; x++) {
                cut[x] = -1;
            }
        }
    }
    cp__free(flags);
    cp__flow_net_free(&g);
    cp__dinic_ws_free(&dw);
    return status;
}
