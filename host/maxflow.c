/* Maximum S-T flow by Dinic's algorithm (host/dinic.h), CPU backend. Serial and deterministic.
 *
 * The residual graph has n + 2 nodes: the view's nodes, a super-source SS feeding every source and
 * a super-sink TT drained by every target, both through arcs of infinite capacity. Each view entry
 * u -> w (u, w not removed, u != w, capacity > 0) becomes an arc pair: on a directed view the arc
 * (capacity c) and its reverse (capacity 0); on a symmetric view the edge {u, w} (stored in both
 * rows) becomes one pair of mutually reverse arcs of capacity c each, so the flow on it is a net
 * flow. An infinite capacity on a symmetric edge becomes two directed pairs instead, so the flow
 * on it stays readable.
 *
 * Numbers: capacities and flows are doubles. The network keeps each arc's flow (skew-symmetric:
 * the reverse arc holds the negation), not its residual, so a small flow on an arc of huge
 * capacity stays exact; the tolerances and the exact saturation of bottleneck arcs are those of
 * host/dinic.h. */
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "alloc.h"
#include "centrality_impl.h"
#include "chokepoint/centrality.h"
#include "dinic.h"

/* An arc pair before it is placed: tail -> head with capacity c, reverse capacity c_rev; entry is
 * the view entry it came from (-1 for the super arcs). */
typedef struct pair_list {
    int64_t count;
    int32_t *tail;
    int32_t *head;
    double *c;
    double *c_rev;
    int64_t *entry;
    int64_t *arc; /* the forward arc's index once placed */
} pair_list;

static void pairs_free(pair_list *p) {
    cp__free(p->tail);
    cp__free(p->head);
    cp__free(p->c);
    cp__free(p->c_rev);
    cp__free(p->entry);
    cp__free(p->arc);
}

static void pairs_add(pair_list *p, int32_t tail, int32_t head, double c, double c_rev,
                      int64_t entry) {
    int64_t k = p->count++;
    if (p->tail != NULL) {
        p->tail[k] = tail;
        p->head[k] = head;
        p->c[k] = c;
        p->c_rev[k] = c_rev;
        p->entry[k] = entry;
    }
}

/* Lists the arc pairs (or, with the arrays NULL, only counts them). */
static void pairs_collect(pair_list *p, const cp_view *v, const uint8_t *removed,
                          const uint8_t *flags) {
    int32_t n = v->n;
    bool sym = !v->directed;
    p->count = 0;
    for (int32_t u = 0; u < n; u++) {
        if (removed != NULL && removed[u]) {
            continue;
        }
        for (int64_t k = v->offsets[u]; k < v->offsets[u + 1]; k++) {
            int32_t w = v->indices[k];
            double c = v->weights[k];
            if (w == u || c == 0.0 || (removed != NULL && removed[w])) {
                continue;
            }
            if (!sym) {
                pairs_add(p, u, w, c, 0.0, k);
            } else if (u < w) {
                if (isinf(c)) {
                    pairs_add(p, u, w, c, 0.0, k);
                    pairs_add(p, w, u, c, 0.0, k);
                } else {
                    pairs_add(p, u, w, c, c, k);
                }
            }
        }
    }
    for (int32_t x = 0; x < n; x++) {
        if (flags[x] & CP__IN_S) {
            pairs_add(p, n, x, INFINITY, 0.0, -1);
        }
        if (flags[x] & CP__IN_T) {
            pairs_add(p, x, n + 1, INFINITY, 0.0, -1);
        }
    }
}

/* Marks in mark[] (nn bytes, bit `bit`) the nodes reachable from `start` along arcs of infinite
 * initial capacity, forwards (reverse = false) or backwards. queue: nn entries. */
static void inf_reach(uint8_t *mark, uint8_t bit, int32_t *queue, const cp__flow_net *g,
                      int32_t start, bool reverse) {
    int32_t qh = 0, qt = 0;
    mark[start] |= bit;
    queue[qt++] = start;
    while (qh < qt) {
        int32_t x = queue[qh++];
        for (int64_t a = g->first[x]; a < g->first[x + 1]; a++) {
            /* Backwards: the arc y -> x is the mate of x's arc a. */
            double c = reverse ? g->cap[g->mate[a]] : g->cap[a];
            int32_t y = g->head[a];
            if (isinf(c) && !(mark[y] & bit)) {
                mark[y] |= bit;
                queue[qt++] = y;
            }
        }
    }
}

/* Index of the entry in row w whose run of head u matches entry k of row u (same position within
 * the run of parallel entries). Rows are sorted by head, and parallel entries keep their graph
 * order in both rows, so the k-th entry u -> w pairs with the k-th entry w -> u. */
static int64_t mirror_entry(const cp_view *v, int32_t u, int32_t w, int64_t k) {
    int64_t run = k;
    while (run > v->offsets[u] && v->indices[run - 1] == w) {
        run--;
    }
    int64_t lo = v->offsets[w], hi = v->offsets[w + 1];
    while (lo < hi) { /* first entry of row w with head >= u */
        int64_t mid = lo + (hi - lo) / 2;
        if (v->indices[mid] < u) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo + (k - run);
}

cp_status cp__st_maxflow_edges(double *value, double *node_flow, double *edge_flow,
                               const cp_view *v, const uint8_t *removed, const int32_t *sources,
                               int64_t n_sources, const int32_t *targets, int64_t n_targets,
                               cp_error *err) {
    cp_status status = CP_OK;
    uint8_t *flags = NULL;
    pair_list pl = {0};
    cp__flow_net g = {0};
    cp__dinic_ws dw = {0};
    double *ef = NULL, *inflow = NULL, *outflow = NULL;
    uint8_t *mark = NULL;
    if (value == NULL) {
        return cp_error_set(err, CP_E_INVALID, "cp_st_maxflow: no output for the value");
    }
    *value = 0.0;
    if (v == NULL) {
        return cp_error_set(err, CP_E_INVALID, "cp_st_maxflow: no view");
    }
    int32_t n = v->n;
    if (node_flow != NULL && n > 0) {
        memset(node_flow, 0, (size_t)n * sizeof *node_flow);
    }
    if (edge_flow != NULL && v->m > 0) {
        memset(edge_flow, 0, (size_t)v->m * sizeof *edge_flow);
    }
    if (n > INT32_MAX - 2) {
        return cp_error_set(err, CP_E_INVALID, "cp_st_maxflow: too many nodes (%" PRId32 ")", n);
    }
    for (int64_t k = 0; k < v->m; k++) {
        double c = v->weights[k];
        if (isnan(c) || c < 0.0) {
            return cp_error_set(err, CP_E_INVALID,
                                "cp_st_maxflow: capacity %g of view entry %" PRId64
                                " (graph edge %" PRId64 ") is negative or NaN",
                                c, k, v->edge_ids != NULL ? v->edge_ids[k] : k);
        }
    }
    flags = cp__malloc_array((size_t)n, 1);
    if (flags == NULL && n > 0) {
        status =
            cp_error_set(err, CP_E_NOMEM, "cp_st_maxflow: out of memory (%" PRId32 " nodes)", n);
        goto cleanup;
    }
    int64_t n_s = 0, n_t = 0;
    CP_TRY(cp__st_mark(flags, &n_s, &n_t, n, removed, sources, n_sources, targets, n_targets, err));
    if (n_s == 0 || n_t == 0) {
        goto cleanup;
    }

    /* Residual network. */
    pairs_collect(&pl, v, removed, flags);
    size_t np = (size_t)pl.count;
    pl.tail = cp__malloc_array(np, sizeof *pl.tail);
    pl.head = cp__malloc_array(np, sizeof *pl.head);
    pl.c = cp__malloc_array(np, sizeof *pl.c);
    pl.c_rev = cp__malloc_array(np, sizeof *pl.c_rev);
    pl.entry = cp__malloc_array(np, sizeof *pl.entry);
    pl.arc = cp__malloc_array(np, sizeof *pl.arc);
    if (pl.tail == NULL || pl.head == NULL || pl.c == NULL || pl.c_rev == NULL ||
        pl.entry == NULL || pl.arc == NULL) {
        status = cp_error_set(err, CP_E_NOMEM, "cp_st_maxflow: out of memory (%" PRId64 " arcs)",
                              pl.count);
        goto cleanup;
    }
    pairs_collect(&pl, v, removed, flags);
    int32_t nn = n + 2, ss = n, tt = n + 1;
    cp_status built = cp__flow_net_init(&g, nn);
    if (built == CP_OK) {
        for (int64_t i = 0; i < pl.count; i++) {
            cp__flow_net_count(&g, pl.tail[i], pl.head[i]);
        }
        built = cp__flow_net_alloc(&g, true);
    }
    if (built != CP_OK) {
        status = cp_error_set(err, CP_E_NOMEM, "cp_st_maxflow: out of memory (%" PRId64 " arcs)",
                              pl.count);
        goto cleanup;
    }
    /* Arcs of a node in the order their pairs were listed. */
    for (int64_t i = 0; i < pl.count; i++) {
        pl.arc[i] = cp__flow_net_add(&g, pl.tail[i], pl.head[i], pl.c[i], pl.c_rev[i]);
    }
    mark = cp__calloc((size_t)nn, 1);
    if (cp__dinic_ws_new(&dw, nn) != CP_OK || mark == NULL) {
        status =
            cp_error_set(err, CP_E_NOMEM, "cp_st_maxflow: out of memory (%" PRId32 " nodes)", n);
        goto cleanup;
    }

    /* Unbounded flow: a path of infinite capacities from SS to TT (a node in both S and T is one).
     * Nodes on such a path get +inf; the flow is otherwise meaningless, so edges get 0. */
    inf_reach(mark, 1, dw.queue, &g, ss, false);
    if (mark[tt] & 1) {
        inf_reach(mark, 2, dw.queue, &g, tt, true);
        *value = INFINITY;
        if (node_flow != NULL) {
            for (int32_t x = 0; x < n; x++) {
                node_flow[x] = mark[x] == 3 ? INFINITY : 0.0;
            }
        }
        goto cleanup;
    }

    *value = cp__dinic_maxflow(&g, &dw, ss, tt);

    if (node_flow == NULL && edge_flow == NULL) {
        goto cleanup;
    }
    /* Net flow per view entry. */
    ef = edge_flow;
    if (ef == NULL) {
        ef = cp__calloc((size_t)v->m, sizeof *ef);
        if (ef == NULL && v->m > 0) {
            status = cp_error_set(err, CP_E_NOMEM, "cp_st_maxflow: out of memory");
            goto cleanup;
        }
    }
    for (int64_t i = 0; i < pl.count; i++) {
        int64_t e = pl.entry[i];
        if (e < 0) {
            continue;
        }
        double f = g.flow[pl.arc[i]];
        if (v->directed && f < 0.0) {
            f = 0.0; /* rounding: a directed arc carries no negative flow */
        }
        /* A split infinite symmetric edge lists its reverse half with tail > head. */
        ef[e] += pl.tail[i] < pl.head[i] || v->directed ? f : -f;
    }
    if (!v->directed) {
        for (int32_t u = 0; u < n; u++) {
            for (int64_t k = v->offsets[u]; k < v->offsets[u + 1]; k++) {
                int32_t w = v->indices[k];
                if (u < w && ef[k] != 0.0) {
                    ef[mirror_entry(v, u, w, k)] = -ef[k];
                }
            }
        }
    }
    if (node_flow != NULL) {
        inflow = cp__calloc((size_t)n, sizeof *inflow);
        outflow = cp__calloc((size_t)n, sizeof *outflow);
        if (inflow == NULL || outflow == NULL) {
            status = cp_error_set(err, CP_E_NOMEM, "cp_st_maxflow: out of memory");
            goto cleanup;
        }
        for (int32_t u = 0; u < n; u++) {
            for (int64_t k = v->offsets[u]; k < v->offsets[u + 1]; k++) {
                int32_t w = v->indices[k];
                double f = ef[k];
                /* On a symmetric view each edge is read once, from its smaller end. */
                if (f > 0.0 && (v->directed || u < w)) {
                    outflow[u] += f;
                    inflow[w] += f;
                } else if (f < 0.0 && u < w) {
                    outflow[w] -= f;
                    inflow[u] -= f;
                }
            }
        }
        for (int32_t x = 0; x < n; x++) {
            node_flow[x] = (flags[x] & CP__IN_S) ? outflow[x] : inflow[x];
        }
    }
cleanup:
    if (status < 0) {
        *value = 0.0;
        if (node_flow != NULL && n > 0) {
            memset(node_flow, 0, (size_t)n * sizeof *node_flow);
        }
        if (edge_flow != NULL && v->m > 0) {
            memset(edge_flow, 0, (size_t)v->m * sizeof *edge_flow);
        }
    }
    if (ef != edge_flow) {
        cp__free(ef);
    }
    cp__free(inflow);
    cp__free(outflow);
    cp__free(flags);
    pairs_free(&pl);
    cp__flow_net_free(&g);
    cp__dinic_ws_free(&dw);
    cp__free(mark);
    return status;
}

cp_status cp_st_maxflow(double *value, double *node_flow, const cp_view *v, const uint8_t *removed,
                        const int32_t *sources, int64_t n_sources, const int32_t *targets,
                        int64_t n_targets, cp_error *err) {
    return cp__st_maxflow_edges(value, node_flow, NULL, v, removed, sources, n_sources, targets,
                                n_targets, err);
}
