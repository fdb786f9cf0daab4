/* The Dijkstra stage of the betweenness family (lengths other than hops): one search from a root
 * with path counts, its repair for zero-length ties, and the backward (dependency) pass.
 *
 * Dijkstra (1959) with a binary heap keyed by (distance, node index), so the settle order depends
 * on the input alone. Path counts are pushed along tight entries as nodes settle: sigma(w) is the
 * sum of sigma(u) over the tight entries u -> w (d(u) + len == d(w), computed exactly as in the
 * search), which is exact as long as every tight predecessor of w settles before w. With positive
 * lengths that always holds. A zero length (or a length absorbed by a large sum) can create a tight
 * entry into a node that is already settled; the search notices it ("late" entry) and the repair
 * recomputes a topological order of each class of equal distance (Kahn 1962; a cycle is broken by
 * taking the earliest-settled node, see include/chokepoint/betweenness.h) and the counts along it.
 * The backward pass of Brandes (2001) then runs in reverse order in "pull" form, reading the
 * successors from the CSR row (no predecessor lists). */
#include <math.h>
#include <string.h>

#include "betweenness_impl.h"
#include "centrality_impl.h"

/* Heap order: smaller distance first, then smaller index. */
static inline bool before(const double *d, int32_t a, int32_t b) {
    return d[a] < d[b] || (d[a] == d[b] && a < b);
}

static void heap_up(int32_t *heap, int32_t *pos, const double *d, int32_t i) {
    int32_t x = heap[i];
    while (i > 0) {
        int32_t p = (i - 1) / 2;
        int32_t y = heap[p];
        if (!before(d, x, y)) {
            break;
        }
        heap[i] = y;
        pos[y] = i;
        i = p;
    }
    heap[i] = x;
    pos[x] = i;
}

static void heap_down(int32_t *heap, int32_t *pos, const double *d, int32_t size, int32_t i) {
    int32_t x = heap[i];
    for (;;) {
        int32_t c = 2 * i + 1;
        if (c >= size) {
            break;
        }
        if (c + 1 < size && before(d, heap[c + 1], heap[c])) {
            c++;
        }
        if (!before(d, heap[c], x)) {
            break;
        }
        heap[i] = heap[c];
        pos[heap[i]] = i;
        i = c;
    }
    heap[i] = x;
    pos[x] = i;
}

/* A min-heap of nodes keyed by key[x] (the repair's ready set; no positions needed). */
static void rheap_push(int32_t *h, int32_t *size, const int32_t *key, int32_t x) {
    int32_t i = (*size)++;
    while (i > 0) {
        int32_t p = (i - 1) / 2;
        if (key[h[p]] <= key[x]) {
            break;
        }
        h[i] = h[p];
        i = p;
    }
    h[i] = x;
}

static int32_t rheap_pop(int32_t *h, int32_t *size, const int32_t *key) {
    int32_t top = h[0];
    int32_t x = h[--(*size)];
    int32_t i = 0;
    for (;;) {
        int32_t c = 2 * i + 1;
        if (c >= *size) {
            break;
        }
        if (c + 1 < *size && key[h[c + 1]] < key[h[c]]) {
            c++;
        }
        if (key[h[c]] >= key[x]) {
            break;
        }
        h[i] = h[c];
        i = c;
    }
    if (*size > 0) {
        h[i] = x;
    }
    return top;
}

/* Whether entry u -> w (length l) is tight and stays within u's distance class. */
static inline bool same_class_tight(const double *d, int32_t u, int32_t w, double l) {
    return w != u && d[u] + l == d[w] && d[w] == d[u];
}

/* The repair of a search whose settle order is not a topological order of its tight entries: see
 * the file comment. Rewrites ws->order[0..count), sets ws->rank and ws->ranked, and recomputes
 * sigma (and sigma2 when avoid != NULL). */
static void repair(cp__bc_ws *ws, const int64_t *off, const int32_t *idx, const double *len,
                   int32_t root, int32_t count, const uint8_t *avoid) {
    const double *d = ws->d;
    int32_t *order = ws->order, *rank = ws->rank, *tmp = ws->tmp, *indeg = ws->indeg;
    int32_t *ready = ws->heap; /* the Dijkstra heap is empty now */
    for (int32_t i = 0; i < count; i++) {
        rank[order[i]] = i; /* settle order: the key of the ready set and of forced picks */
    }
    int32_t out = 0;
    for (int32_t a = 0; a < count;) {
        int32_t b = a + 1;
        while (b < count && d[order[b]] == d[order[a]]) {
            b++;
        }
        if (b - a == 1) {
            tmp[out++] = order[a++];
            continue;
        }
        for (int32_t i = a; i < b; i++) {
            indeg[order[i]] = 0;
        }
        for (int32_t i = a; i < b; i++) {
            int32_t u = order[i];
            for (int64_t k = off[u]; k < off[u + 1]; k++) {
                int32_t w = idx[k];
                if (w != root && same_class_tight(d, u, w, len[k])) {
                    indeg[w]++;
                }
            }
        }
        int32_t nready = 0;
        for (int32_t i = a; i < b; i++) {
            if (indeg[order[i]] == 0) {
                rheap_push(ready, &nready, rank, order[i]);
            }
        }
        int32_t scan = a;
        for (int32_t taken = 0; taken < b - a;) {
            int32_t x;
            if (nready == 0) {
                /* Every remaining node waits on another: a tight cycle. Take the earliest settled
                 * one; its tight in-entries from nodes not yet taken are ignored. */
                while (indeg[order[scan]] < 0) {
                    scan++;
                }
                x = order[scan];
            } else {
                x = rheap_pop(ready, &nready, rank);
            }
            indeg[x] = -1;
            tmp[out++] = x;
            taken++;
            for (int64_t k = off[x]; k < off[x + 1]; k++) {
                int32_t w = idx[k];
                if (w != root && same_class_tight(d, x, w, len[k]) && indeg[w] > 0) {
                    if (--indeg[w] == 0) {
                        rheap_push(ready, &nready, rank, w);
                    }
                }
            }
        }
        a = b;
    }
    memcpy(order, tmp, (size_t)count * sizeof *order);
    for (int32_t i = 0; i < count; i++) {
        rank[order[i]] = i;
    }
    ws->ranked = true;
    double *sigma = ws->val, *s2 = avoid != NULL ? ws->sigma2 : NULL;
    for (int32_t i = 0; i < count; i++) {
        sigma[order[i]] = 0.0;
        if (s2 != NULL) {
            s2[order[i]] = 0.0;
        }
    }
    sigma[root] = 1.0;
    if (s2 != NULL) {
        s2[root] = 1.0;
    }
    for (int32_t i = 0; i < count; i++) {
        int32_t x = order[i];
        double sx = sigma[x], s2x = s2 != NULL ? s2[x] : 0.0;
        for (int64_t k = off[x]; k < off[x + 1]; k++) {
            int32_t w = idx[k];
            if (cp__dijkstra_tight(ws, x, w, len[k])) {
                sigma[w] += sx;
                if (s2 != NULL && !avoid[w]) {
                    s2[w] += s2x;
                }
            }
        }
    }
}

int32_t cp__dijkstra_forward(cp__bc_ws *ws, const int64_t *off, const int32_t *idx,
                             const double *len, int32_t root, const uint8_t *avoid) {
    double *d = ws->d, *sigma = ws->val;
    double *s2 = avoid != NULL ? ws->sigma2 : NULL;
    int32_t *pos = ws->pos, *heap = ws->heap, *order = ws->order;
    int32_t size = 1, count = 0;
    bool late = false;
    ws->ranked = false;
    d[root] = 0.0;
    sigma[root] = 1.0;
    if (s2 != NULL) {
        s2[root] = 1.0;
    }
    heap[0] = root;
    pos[root] = 0;
    while (size > 0) {
        int32_t u = heap[0];
        if (--size > 0) {
            heap[0] = heap[size];
            pos[heap[0]] = 0;
            heap_down(heap, pos, d, size, 0);
        }
        pos[u] = -2;
        order[count++] = u;
        double du = d[u], su = sigma[u];
        double s2u = s2 != NULL ? s2[u] : 0.0;
        for (int64_t k = off[u]; k < off[u + 1]; k++) {
            int32_t w = idx[k];
            double nd = du + len[k];
            if (w == u || !(nd < INFINITY)) {
                continue; /* a loop, an infinite length, or a sum that overflows */
            }
            double dw = d[w]; /* +inf: not reached; -inf: removed */
            if (nd < dw) {
                d[w] = nd;
                sigma[w] = su;
                if (s2 != NULL) {
                    s2[w] = avoid[w] ? 0.0 : s2u;
                }
                if (pos[w] == -1) {
                    heap[size] = w;
                    pos[w] = size;
                    heap_up(heap, pos, d, size++);
                } else {
                    heap_up(heap, pos, d, pos[w]);
                }
            } else if (nd == dw) {
                if (pos[w] == -2) {
                    late = true; /* w settled before this tight predecessor */
                } else {
                    sigma[w] += su;
                    if (s2 != NULL && !avoid[w]) {
                        s2[w] += s2u;
                    }
                }
            }
        }
    }
    if (late) {
        repair(ws, off, idx, len, root, count, avoid);
    }
    return count;
}

void cp__dijkstra_reset(cp__bc_ws *ws, int32_t count) {
    for (int32_t i = 0; i < count; i++) {
        int32_t x = ws->order[i];
        ws->d[x] = INFINITY;
        ws->pos[x] = -1;
    }
    ws->ranked = false;
}

double cp__dijkstra_backward(cp__bc_ws *ws, const int64_t *off, const int32_t *idx,
                             const double *len, int32_t count, const uint8_t *flags, double tw_both,
                             double mult, double ep) {
    const int32_t *order = ws->order;
    double *val = ws->val, *acc = ws->acc, *eacc = ws->eacc;
    double pairs = 0.0;
    int32_t last = eacc != NULL ? 0 : 1; /* the root has edges but no dependency of its own */
    for (int32_t i = count - 1; i >= last; i--) {
        int32_t x = order[i];
        double sx = val[x];
        double sum = 0.0;
        for (int64_t k = off[x]; k < off[x + 1]; k++) {
            int32_t w = idx[k];
            if (cp__dijkstra_tight(ws, x, w, len[k])) {
                double c = val[w]; /* successors come later in the order: already coefficients */
                sum += c;
                if (eacc != NULL) {
                    eacc[k] += mult * sx * c;
                }
            }
        }
        if (i == 0) {
            break;
        }
        double delta = sx * sum;
        double tw = 1.0;
        if (flags != NULL) {
            uint8_t f = flags[x];
            tw = (f & CP__IN_T) ? ((f & CP__IN_S) ? tw_both : 1.0) : 0.0;
        }
        pairs += tw;
        if (delta + ep * tw != 0.0) {
            acc[x] += mult * (delta + ep * tw);
            cp__bc_touch(ws, x);
        }
        val[x] = (tw + delta) / sx;
    }
    return pairs;
}
