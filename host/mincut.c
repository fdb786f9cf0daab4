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
 * Numbers: residual capacities are doubles. With unit costs every value is a small integer and
 * exact. With costs, the bottleneck arc of each augmenting path is set exactly to 0, so each
 * augmentation saturates an arc (the phase bound of Dinic holds in floating point), and a residual
 * at or below REL_TOL times its pair's finite capacity counts as zero. */
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "alloc.h"
#include "centrality_impl.h"
#include "chokepoint/mincut.h"

#define REL_TOL 1e-12

typedef struct split_net {
    int32_t nn;     /* nodes: 2n + 2 */
    int64_t n_arcs; /* 2 per pair */
    int64_t *first; /* nn + 1 */
    int32_t *head;  /* per arc */
    int64_t *mate;  /* per arc: the reverse arc */
    double *res;    /* per arc: residual capacity */
    double *tol;    /* per arc: residuals at or below this count as zero */
    double *cap;    /* per arc: initial capacity (0 for reverse arcs) */
} split_net;

static void net_free(split_net *g) {
    cp__free(g->first);
    cp__free(g->head);
    cp__free(g->mate);
    cp__free(g->res);
    cp__free(g->tol);
    cp__free(g->cap);
}

/* The capacity of v's node arc (v not removed): +inf when v may not be cut. */
static double node_cap(int32_t v, const uint8_t *flags, const uint8_t *allowed,
                       const double *cost) {
    if (flags[v] != 0 || (allowed != NULL && !allowed[v])) {
        return INFINITY;
    }
    return cost != NULL ? cost[v] : 1.0;
}

/* Walks the arc pairs in their fixed order; with g->head == NULL only counts them (into
 * *count), else places them at cursor positions. */
static void pairs_walk(split_net *g, int64_t *cursor, int64_t *count, const cp_view *v,
                       const uint8_t *removed, const uint8_t *flags, const uint8_t *allowed,
                       const double *cost) {
    int32_t n = v->n;
    int32_t ss = 2 * n, tt = 2 * n + 1;
    int64_t k = 0;
#define PAIR(a, b, c)                                                                              \
    do {                                                                                           \
        if (g->head == NULL) {                                                                     \
            g->first[(a) + 1]++;                                                                   \
            g->first[(b) + 1]++;                                                                   \
        } else {                                                                                   \
            int64_t fa = cursor[(a)]++, fb = cursor[(b)]++;                                        \
            double cc = (c);                                                                       \
            g->head[fa] = (b);                                                                     \
            g->head[fb] = (a);                                                                     \
            g->mate[fa] = fb;                                                                      \
            g->mate[fb] = fa;                                                                      \
            g->res[fa] = g->cap[fa] = cc;                                                          \
            g->res[fb] = g->cap[fb] = 0.0;                                                         \
            g->tol[fa] = g->tol[fb] = isinf(cc) ? 0.0 : REL_TOL * cc;                              \
        }                                                                                          \
        k++;                                                                                       \
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
    *count = k;
}

/* Builds the split network in CSR form (arcs of a node in the order their pairs were listed). */
static cp_status net_build(split_net *g, const cp_view *v, const uint8_t *removed,
                           const uint8_t *flags, const uint8_t *allowed, const double *cost) {
    int64_t count = 0;
    int64_t *cursor = NULL;
    g->nn = 2 * v->n + 2;
    g->first = cp__calloc((size_t)g->nn + 1, sizeof *g->first);
    if (g->first == NULL) {
        return CP_E_NOMEM;
    }
    pairs_walk(g, NULL, &count, v, removed, flags, allowed, cost);
    for (int32_t x = 0; x < g->nn; x++) {
        g->first[x + 1] += g->first[x];
    }
    g->n_arcs = 2 * count;
    size_t na = (size_t)g->n_arcs;
    g->head = cp__malloc_array(na, sizeof *g->head);
    g->mate = cp__malloc_array(na, sizeof *g->mate);
    g->res = cp__malloc_array(na, sizeof *g->res);
    g->tol = cp__malloc_array(na, sizeof *g->tol);
    g->cap = cp__malloc_array(na, sizeof *g->cap);
    cursor = cp__malloc_array((size_t)g->nn, sizeof *cursor);
    if (na > 0 && (g->head == NULL || g->mate == NULL || g->res == NULL || g->tol == NULL ||
                   g->cap == NULL || cursor == NULL)) {
        cp__free(cursor);
        return CP_E_NOMEM;
    }
    if (na == 0) {
        cp__free(cursor);
        return CP_OK; /* no arcs: n == 0 and nothing to place */
    }
    memcpy(cursor, g->first, (size_t)g->nn * sizeof *cursor);
    pairs_walk(g, cursor, &count, v, removed, flags, allowed, cost);
    cp__free(cursor);
    return CP_OK;
}

static inline bool usable(const split_net *g, int64_t a) {
    return g->res[a] > g->tol[a];
}

/* BFS from ss over usable arcs (infinite ones only when inf_only), recording levels (-1: not
 * reached) and, when parent is not NULL, the arc that reached each node. Stops expanding at
 * tt's level when tt >= 0. Returns whether tt was reached (false when tt < 0). */
static bool bfs(int32_t *level, int64_t *parent, int32_t *queue, const split_net *g, int32_t ss,
                int32_t tt, bool inf_only) {
    for (int32_t x = 0; x < g->nn; x++) {
        level[x] = -1;
    }
    int32_t qh = 0, qt = 0;
    level[ss] = 0;
    queue[qt++] = ss;
    while (qh < qt) {
        int32_t x = queue[qh++];
        if (tt >= 0 && level[tt] >= 0 && level[x] >= level[tt]) {
            break;
        }
        for (int64_t a = g->first[x]; a < g->first[x + 1]; a++) {
            int32_t y = g->head[a];
            bool ok = inf_only ? isinf(g->cap[a]) : usable(g, a);
            if (level[y] < 0 && ok) {
                level[y] = level[x] + 1;
                if (parent != NULL) {
                    parent[y] = a;
                }
                queue[qt++] = y;
            }
        }
    }
    return tt >= 0 && level[tt] >= 0;
}

/* One blocking flow on the level graph (iterative DFS with current-arc pointers it[]; path[] holds
 * the arcs from ss, node[d] the node at depth d). Returns the flow added. */
static double dinic_block(split_net *g, int32_t *level, int64_t *it, int64_t *path, int32_t *node,
                          int32_t ss, int32_t tt) {
    double pushed = 0.0;
    for (int32_t x = 0; x < g->nn; x++) {
        it[x] = g->first[x];
    }
    int32_t depth = 0;
    int32_t u = ss;
    node[0] = ss;
    for (;;) {
        if (u == tt) {
            double f = INFINITY;
            int32_t cut = 0;
            for (int32_t d = 0; d < depth; d++) {
                double r = g->res[path[d]];
                if (r < f) {
                    f = r;
                    cut = d;
                }
            }
            /* f is finite: S and T are separable, so every path holds a finite node arc. */
            for (int32_t d = 0; d < depth; d++) {
                int64_t a = path[d];
                g->res[a] = d == cut ? 0.0 : g->res[a] - f;
                g->res[g->mate[a]] += f;
            }
            pushed += f;
            int32_t d = 0; /* retreat to the tail of the first arc no longer usable */
            while (d < depth && usable(g, path[d])) {
                d++;
            }
            depth = d;
            u = node[d];
            continue;
        }
        int64_t a = it[u];
        int64_t end = g->first[u + 1];
        int32_t want = level[u] + 1;
        while (a < end && !(usable(g, a) && level[g->head[a]] == want)) {
            a++;
        }
        it[u] = a;
        if (a < end) {
            path[depth++] = a;
            u = g->head[a];
            node[depth] = u;
        } else {
            level[u] = -1; /* dead end for the rest of this phase */
            if (depth == 0) {
                break;
            }
            depth--;
            u = node[depth];
            it[u]++;
        }
    }
    return pushed;
}

cp_status cp_min_vertex_cut(int32_t *cut, int64_t *cut_size, double *cut_cost, const cp_view *v,
                            const uint8_t *removed, const uint8_t *allowed, const double *cost,
                            const int32_t *S, int64_t ns, const int32_t *T, int64_t nt,
                            cp_error *err) {
    cp_status status = CP_OK;
    uint8_t *flags = NULL;
    split_net g = {0};
    int32_t *level = NULL, *queue = NULL, *node = NULL;
    int64_t *it = NULL, *path = NULL;
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
    level = cp__malloc_array((size_t)nn, sizeof *level);
    queue = cp__malloc_array((size_t)nn, sizeof *queue);
    node = cp__malloc_array((size_t)nn + 1, sizeof *node);
    it = cp__malloc_array((size_t)nn, sizeof *it);
    path = cp__malloc_array((size_t)nn, sizeof *path);
    if (level == NULL || queue == NULL || node == NULL || it == NULL || path == NULL) {
        status = cp_error_set(err, CP_E_NOMEM,
                              "cp_min_vertex_cut: out of memory (%" PRId32 " nodes)", n);
        goto cleanup;
    }

    /* Separable? A path of infinite arcs from SS to TT means no finite cut. Its first node
     * after SS is a source's s_in, its last before TT a target's t_out. */
    if (bfs(level, it, queue, &g, ss, tt, true)) {
        int32_t t_node = g.head[g.mate[it[tt]]] / 2;
        int32_t x = tt;
        while (g.head[g.mate[it[x]]] != ss) {
            x = g.head[g.mate[it[x]]];
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

    double total = 0.0;
    while (bfs(level, NULL, queue, &g, ss, tt, false)) {
        double f = dinic_block(&g, level, it, path, node, ss, tt);
        if (!(f > 0.0)) {
            break; /* cannot happen: a reached TT always admits an augmenting path */
        }
        total += f;
    }

    /* The source side of the residual graph; the cut is the set of split arcs leaving it. */
    bfs(level, NULL, queue, &g, ss, -1, false);
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
    net_free(&g);
    cp__free(level);
    cp__free(queue);
    cp__free(node);
    cp__free(it);
    cp__free(path);
    return status;
}
