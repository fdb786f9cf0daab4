/* Maximum S-T flow by Dinic's algorithm (Dinic 1970), CPU backend: BFS levels on the residual
 * graph, then a blocking flow found by an iterative depth-first search with current-arc pointers
 * (no recursion: graphs of millions of nodes). Serial and deterministic.
 *
 * The residual graph has n + 2 nodes: the view's nodes, a super-source SS feeding every source and
 * a super-sink TT drained by every target, both through arcs of infinite capacity. Each view entry
 * u -> w (u, w not removed, u != w, capacity > 0) becomes an arc pair: on a directed view the arc
 * (capacity c) and its reverse (capacity 0); on a symmetric view the edge {u, w} (stored in both
 * rows) becomes one pair of mutually reverse arcs of capacity c each, so the flow on it is a net
 * flow. An infinite capacity on a symmetric edge becomes two directed pairs instead, so the flow
 * on it stays readable.
 *
 * Numbers: capacities and flows are doubles. Each arc keeps its flow (skew-symmetric: the reverse
 * arc holds the negation), not its residual, so a small flow on an arc of huge capacity stays
 * exact. An arc counts as usable when its residual exceeds a tolerance of REL_TOL times its pair's
 * finite capacity (0 for pairs of infinite capacity), so rounding never yields augmenting paths of
 * a few ulps. The bottleneck arc of every augmenting path is set exactly to its capacity, so each
 * augmentation saturates an arc, and the phase bound of Dinic holds in floating point. */
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "alloc.h"
#include "centrality_impl.h"
#include "chokepoint/centrality.h"

#define REL_TOL 1e-12

typedef struct flow_net {
    int32_t nn;     /* nodes: n + 2 */
    int64_t n_arcs; /* arcs: 2 per pair */
    int64_t *first; /* nn + 1: arcs of node x are first[x] .. first[x+1]-1 */
    int32_t *head;  /* per arc */
    int64_t *mate;  /* per arc: the reverse arc */
    double *flow;   /* per arc: flow; flow[mate[a]] = -flow[a] */
    double *cap;    /* per arc: capacity (0 for the reverse of a directed arc) */
    double *tol;    /* per arc: residuals at or below this are treated as zero */
} flow_net;

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

static void net_free(flow_net *g) {
    cp__free(g->first);
    cp__free(g->head);
    cp__free(g->mate);
    cp__free(g->flow);
    cp__free(g->cap);
    cp__free(g->tol);
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

/* Places the pairs into CSR form by a counting sort on the tail (stable: arcs of a node keep the
 * order in which pairs were listed). */
static cp_status net_build(flow_net *g, pair_list *p, int32_t nn) {
    g->nn = nn;
    g->n_arcs = 2 * p->count;
    size_t na = (size_t)g->n_arcs;
    g->first = cp__calloc((size_t)nn + 1, sizeof *g->first);
    g->head = cp__malloc_array(na, sizeof *g->head);
    g->mate = cp__malloc_array(na, sizeof *g->mate);
    g->flow = cp__calloc(na, sizeof *g->flow);
    g->cap = cp__malloc_array(na, sizeof *g->cap);
    g->tol = cp__malloc_array(na, sizeof *g->tol);
    if (g->first == NULL || (na > 0 && (g->head == NULL || g->mate == NULL || g->flow == NULL ||
                                        g->cap == NULL || g->tol == NULL))) {
        return CP_E_NOMEM;
    }
    for (int64_t i = 0; i < p->count; i++) {
        g->first[p->tail[i] + 1]++;
        g->first[p->head[i] + 1]++;
    }
    for (int32_t x = 0; x < nn; x++) {
        g->first[x + 1] += g->first[x];
    }
    /* Fill positions, using the mate array of each node's next free slot as a cursor: walk the
     * pairs in order and take the next slot of each endpoint. */
    int64_t *cursor = cp__malloc_array((size_t)nn, sizeof *cursor);
    if (cursor == NULL) {
        return CP_E_NOMEM;
    }
    memcpy(cursor, g->first, (size_t)nn * sizeof *cursor);
    for (int64_t i = 0; i < p->count; i++) {
        int32_t a = p->tail[i], b = p->head[i];
        int64_t fa = cursor[a]++;
        int64_t fb = cursor[b]++;
        double c = p->c[i], cr = p->c_rev[i];
        double tol = isinf(c) ? 0.0 : REL_TOL * c;
        g->head[fa] = b;
        g->head[fb] = a;
        g->mate[fa] = fb;
        g->mate[fb] = fa;
        g->cap[fa] = c;
        g->cap[fb] = cr;
        g->tol[fa] = g->tol[fb] = tol;
        p->arc[i] = fa;
    }
    cp__free(cursor);
    return CP_OK;
}

/* Residual capacity of arc a: exact for the small flows on a huge arc, since the flow is kept
 * rather than the residual. */
static inline double residual(const flow_net *g, int64_t a) {
    return g->cap[a] - g->flow[a];
}

/* Marks in mark[] (nn bytes, bit `bit`) the nodes reachable from `start` along arcs of infinite
 * initial capacity, forwards (reverse = false) or backwards. queue: nn entries. */
static void inf_reach(uint8_t *mark, uint8_t bit, int32_t *queue, const flow_net *g, int32_t start,
                      bool reverse) {
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

/* BFS levels from SS over usable arcs; stops expanding at TT's level. Returns true when TT is
 * reached. */
static bool dinic_levels(int32_t *level, int32_t *queue, const flow_net *g, int32_t ss,
                         int32_t tt) {
    for (int32_t x = 0; x < g->nn; x++) {
        level[x] = -1;
    }
    int32_t qh = 0, qt = 0;
    level[ss] = 0;
    queue[qt++] = ss;
    while (qh < qt) {
        int32_t x = queue[qh++];
        if (level[tt] >= 0 && level[x] >= level[tt]) {
            break;
        }
        for (int64_t a = g->first[x]; a < g->first[x + 1]; a++) {
            int32_t y = g->head[a];
            if (level[y] < 0 && residual(g, a) > g->tol[a]) {
                level[y] = level[x] + 1;
                queue[qt++] = y;
            }
        }
    }
    return level[tt] >= 0;
}

/* One blocking flow on the level graph; returns the flow it adds. Iterative DFS: path[] holds the
 * arcs from SS, node[d] the node at depth d; it[x] is x's current arc (arcs before it are known to
 * be useless in this phase). */
static double dinic_block(flow_net *g, int32_t *level, int64_t *it, int64_t *path, int32_t *node,
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
                double r = residual(g, path[d]);
                if (r < f) {
                    f = r;
                    cut = d;
                }
            }
            for (int32_t d = 0; d < depth; d++) {
                int64_t a = path[d];
                double fa = d == cut ? g->cap[a] : g->flow[a] + f;
                g->flow[a] = fa;
                g->flow[g->mate[a]] = -fa;
            }
            pushed += f;
            /* Retreat to the tail of the first arc that is no longer usable. */
            int32_t d = 0;
            while (d < depth && residual(g, path[d]) > g->tol[path[d]]) {
                d++;
            }
            depth = d;
            u = node[d];
            continue;
        }
        int64_t a = it[u];
        int64_t end = g->first[u + 1];
        int32_t want = level[u] + 1;
        while (a < end && !(residual(g, a) > g->tol[a] && level[g->head[a]] == want)) {
            a++;
        }
        it[u] = a;
        if (a < end) {
            path[depth++] = a;
            u = g->head[a];
            node[depth] = u;
        } else {
            level[u] = -1; /* dead end: nobody enters it again this phase */
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
    flow_net g = {0};
    int32_t *level = NULL, *queue = NULL, *node = NULL;
    int64_t *it = NULL, *path = NULL;
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
    if (net_build(&g, &pl, nn) != CP_OK) {
        status = cp_error_set(err, CP_E_NOMEM, "cp_st_maxflow: out of memory (%" PRId64 " arcs)",
                              pl.count);
        goto cleanup;
    }
    level = cp__malloc_array((size_t)nn, sizeof *level);
    queue = cp__malloc_array((size_t)nn, sizeof *queue);
    node = cp__malloc_array((size_t)nn + 1, sizeof *node);
    it = cp__malloc_array((size_t)nn, sizeof *it);
    path = cp__malloc_array((size_t)nn, sizeof *path);
    mark = cp__calloc((size_t)nn, 1);
    if (level == NULL || queue == NULL || node == NULL || it == NULL || path == NULL ||
        mark == NULL) {
        status =
            cp_error_set(err, CP_E_NOMEM, "cp_st_maxflow: out of memory (%" PRId32 " nodes)", n);
        goto cleanup;
    }

    /* Unbounded flow: a path of infinite capacities from SS to TT (a node in both S and T is one).
     * Nodes on such a path get +inf; the flow is otherwise meaningless, so edges get 0. */
    inf_reach(mark, 1, queue, &g, ss, false);
    if (mark[tt] & 1) {
        inf_reach(mark, 2, queue, &g, tt, true);
        *value = INFINITY;
        if (node_flow != NULL) {
            for (int32_t x = 0; x < n; x++) {
                node_flow[x] = mark[x] == 3 ? INFINITY : 0.0;
            }
        }
        goto cleanup;
    }

    double total = 0.0;
    while (dinic_levels(level, queue, &g, ss, tt)) {
        double f = dinic_block(&g, level, it, path, node, ss, tt);
        if (!(f > 0.0)) {
            break; /* cannot happen: a reached TT always admits one augmenting path */
        }
        total += f;
    }
    *value = total;

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
    net_free(&g);
    cp__free(level);
    cp__free(queue);
    cp__free(node);
    cp__free(it);
    cp__free(path);
    cp__free(mark);
    return status;
}

cp_status cp_st_maxflow(double *value, double *node_flow, const cp_view *v, const uint8_t *removed,
                        const int32_t *sources, int64_t n_sources, const int32_t *targets,
                        int64_t n_targets, cp_error *err) {
    return cp__st_maxflow_edges(value, node_flow, NULL, v, removed, sources, n_sources, targets,
                                n_targets, err);
}
