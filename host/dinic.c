/* Dinic's maximum flow on a residual network in CSR form (host/dinic.h). */
#include "dinic.h"

#include <math.h>
#include <string.h>

#include "alloc.h"

/* The search functions below take keep_flow as a constant from their callers, so that each
 * representation gets its own inner loops without a test per arc. */
#if defined(__GNUC__)
#define DINIC_INLINE static inline __attribute__((always_inline))
#else
#define DINIC_INLINE static inline
#endif

cp_status cp__flow_net_init(cp__flow_net *g, int32_t nn) {
    g->nn = nn;
    g->first = cp__calloc((size_t)nn + 1, sizeof *g->first);
    return g->first == NULL ? CP_E_NOMEM : CP_OK;
}

cp_status cp__flow_net_alloc(cp__flow_net *g, bool keep_flow) {
    int32_t nn = g->nn;
    for (int32_t x = 0; x < nn; x++) {
        g->first[x + 1] += g->first[x];
    }
    g->n_arcs = g->first[nn];
    size_t na = (size_t)g->n_arcs;
    g->head = cp__malloc_array(na, sizeof *g->head);
    g->mate = cp__malloc_array(na, sizeof *g->mate);
    g->cap = cp__malloc_array(na, sizeof *g->cap);
    g->tol = cp__malloc_array(na, sizeof *g->tol);
    double *values =
        keep_flow ? cp__calloc(na, sizeof *g->flow) : cp__malloc_array(na, sizeof *g->res);
    if (keep_flow) {
        g->flow = values;
    } else {
        g->res = values;
    }
    g->cursor = cp__malloc_array((size_t)nn, sizeof *g->cursor);
    if ((nn > 0 && g->cursor == NULL) ||
        (na > 0 && (g->head == NULL || g->mate == NULL || g->cap == NULL || g->tol == NULL ||
                    values == NULL))) {
        return CP_E_NOMEM;
    }
    if (nn > 0) {
        memcpy(g->cursor, g->first, (size_t)nn * sizeof *g->cursor);
    }
    return CP_OK;
}

void cp__flow_net_free(cp__flow_net *g) {
    cp__free(g->first);
    cp__free(g->head);
    cp__free(g->mate);
    cp__free(g->cap);
    cp__free(g->tol);
    cp__free(g->flow);
    cp__free(g->res);
    cp__free(g->cursor);
}

cp_status cp__dinic_ws_new(cp__dinic_ws *w, int32_t nn) {
    w->level = cp__malloc_array((size_t)nn, sizeof *w->level);
    w->queue = cp__malloc_array((size_t)nn, sizeof *w->queue);
    w->node = cp__malloc_array((size_t)nn + 1, sizeof *w->node);
    w->it = cp__malloc_array((size_t)nn, sizeof *w->it);
    w->path = cp__malloc_array((size_t)nn, sizeof *w->path);
    if (w->node == NULL ||
        (nn > 0 && (w->level == NULL || w->queue == NULL || w->it == NULL || w->path == NULL))) {
        return CP_E_NOMEM;
    }
    return CP_OK;
}

void cp__dinic_ws_free(cp__dinic_ws *w) {
    cp__free(w->level);
    cp__free(w->queue);
    cp__free(w->node);
    cp__free(w->it);
    cp__free(w->path);
}

/* Residual capacity of arc a: with flows kept, cap - flow, exact for the small flows on a huge
 * arc. */
DINIC_INLINE double residual(const cp__flow_net *g, int64_t a, bool keep_flow) {
    return keep_flow ? g->cap[a] - g->flow[a] : g->res[a];
}

DINIC_INLINE bool usable(const cp__flow_net *g, int64_t a, bool keep_flow) {
    return residual(g, a, keep_flow) > g->tol[a];
}

DINIC_INLINE bool bfs_impl(int32_t *level, int64_t *parent, int32_t *queue, const cp__flow_net *g,
                           int32_t ss, int32_t tt, bool inf_only, bool keep_flow) {
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
            if (level[y] < 0 && (inf_only ? isinf(g->cap[a]) : usable(g, a, keep_flow))) {
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

bool cp__dinic_bfs(int32_t *level, int64_t *parent, int32_t *queue, const cp__flow_net *g,
                   int32_t ss, int32_t tt, bool inf_only) {
    if (g->flow != NULL) {
        return bfs_impl(level, parent, queue, g, ss, tt, inf_only, true);
    }
    return bfs_impl(level, parent, queue, g, ss, tt, inf_only, false);
}

/* One blocking flow on the level graph; returns the flow it adds. Iterative DFS: path[] holds the
 * arcs from ss, node[d] the node at depth d; it[x] is x's current arc (arcs before it are known to
 * be useless in this phase). */
DINIC_INLINE double block_impl(cp__flow_net *g, int32_t *level, int64_t *it, int64_t *path,
                               int32_t *node, int32_t ss, int32_t tt, bool keep_flow) {
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
                double r = residual(g, path[d], keep_flow);
                if (r < f) {
                    f = r;
                    cut = d;
                }
            }
            /* f is finite: no path of infinite arcs joins ss and tt. The bottleneck arc is
             * saturated exactly. */
            for (int32_t d = 0; d < depth; d++) {
                int64_t a = path[d];
                if (keep_flow) {
                    double fa = d == cut ? g->cap[a] : g->flow[a] + f;
                    g->flow[a] = fa;
                    g->flow[g->mate[a]] = -fa;
                } else {
                    g->res[a] = d == cut ? 0.0 : g->res[a] - f;
                    g->res[g->mate[a]] += f;
                }
            }
            pushed += f;
            /* Retreat to the tail of the first arc that is no longer usable. */
            int32_t d = 0;
            while (d < depth && usable(g, path[d], keep_flow)) {
                d++;
            }
            depth = d;
            u = node[d];
            continue;
        }
        int64_t a = it[u];
        int64_t end = g->first[u + 1];
        int32_t want = level[u] + 1;
        while (a < end && !(usable(g, a, keep_flow) && level[g->head[a]] == want)) {
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

DINIC_INLINE double maxflow_impl(cp__flow_net *g, cp__dinic_ws *w, int32_t ss, int32_t tt,
                                 bool keep_flow) {
    double total = 0.0;
    while (bfs_impl(w->level, NULL, w->queue, g, ss, tt, false, keep_flow)) {
        double f = block_impl(g, w->level, w->it, w->path, w->node, ss, tt, keep_flow);
        if (!(f > 0.0)) {
            break; /* cannot happen: a reached tt always admits one augmenting path */
        }
        total += f;
    }
    return total;
}

double cp__dinic_maxflow(cp__flow_net *g, cp__dinic_ws *w, int32_t ss, int32_t tt) {
    if (g->flow != NULL) {
        return maxflow_impl(g, w, ss, tt, true);
    }
    return maxflow_impl(g, w, ss, tt, false);
}
