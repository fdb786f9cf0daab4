/* Vertex and edge betweenness (Brandes 2001), exact or from sampled sources, hop or weighted
 * lengths, on CSR views; CPU backend (DESIGN sections 4 and 8). Also the work-space, length and
 * thread helpers that the other host/betweenness*.c files share.
 *
 * The unweighted kernel is a breadth-first search whose queue is the settle order (the Brandes
 * stack read backwards), with levels in int32 (-1 unreached, -2 removed, so the hot loop never
 * consults the removal mask) and path counts in double. The backward pass keeps no predecessor
 * lists: for each node x, in reverse BFS order, it reads x's CSR row and sums the coefficients of
 * the entries whose head lies one level deeper, coef(w) = (1 + delta(w)) / sigma(w) stored over
 * sigma(w) in the same array. Only touched nodes are reset between searches. Nodes of the deepest
 * level have no successors and are not scanned.
 *
 * Folding: a source s whose only successor is r and whose in-entries (if any) all come from r has,
 * for every x != s, dist_s(x) = 1 + dist_r(x) and sigma_s(x) proportional to sigma_r(x); no
 * shortest path from r to another node passes through s, and the pair (r, s), if r reaches s, has
 * no inner node. So delta_s(x) = delta_r(x) for x not in {r, s}, and delta_s(r) = |R(r)| - [r
 * reaches s], where R(r) is the set reached from r. One search from r, with multiplicity 1 + (the
 * number of such s), serves them all. On a symmetric view these are the leaves; on a directed one
 * the nodes of in-degree 0 with one successor, and the leaves of "both ways" stars.
 *
 * Reversal: exact betweenness is also the sum of dependencies over targets on the reversed graph
 * (sigma and the inner nodes of each pair are the same), so on a directed view the searches may
 * run on the reversed view. Both orientations reach the same pairs in total; what differs is the
 * number of searches (nodes of in-degree 0 are trivial searches on the reversed view; leaves fold
 * in either) and the edges they scan. Reversing paid on wiki-Vote (2,312 searches instead of
 * 3,864: 1.5x faster), and cost 1.75x on the 98,480-node evasion network, whose 17,680 reversed
 * searches include 150 that each sweep 80,000 cold nodes, against 97,280 tiny forward searches in
 * the hot core. Search costs are too skewed to estimate by sampling (1% of those reversed
 * searches do 99% of the work), and measuring them exactly cost half a run, so the rule is simple:
 * reverse when that leaves fewer than 0.8 times the searches and n <= REVERSE_MAX_N, where a
 * search's state fits in a core's L2 cache and the number of searches, not memory traffic, sets
 * the cost.
 *
 * Pruning: target leaves (see prune_leaves) are left out of every search and counted instead.
 *
 * Relabelling: the plain and endpoint kernels run on a copy of the CSR with nodes renumbered by
 * decreasing in-degree (see relabel); the arithmetic is unchanged.
 *
 * Determinism: the searches (ascending root order) are split into min(tasks, CP__BC_CHUNKS) chunks;
 * each chunk is summed serially into its own buffer, and the buffers are added to the output in
 * chunk order, a wave of buffers at a time (cp__bc_bufs_flush): bit-identical at any thread
 * count. */
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <omp.h>

#include "alloc.h"
#include "betweenness_impl.h"
#include "centrality_impl.h"
#include "chokepoint/betweenness.h"
#include "philox.h"

/* Largest view on which exact directed betweenness may run on the reversed view (see the file
 * comment). */
#define REVERSE_MAX_N 16384

#if defined(__GNUC__)
#define BC_INLINE static inline __attribute__((always_inline))
#else
#define BC_INLINE static inline
#endif

/* ---- shared helpers ---- */

static bool probe_on = true; /* see cp__bc_set_probe */

void cp__bc_set_probe(bool on) {
    probe_on = on;
}

void cp_betweenness_options_init(cp_betweenness_options *o) {
    memset(o, 0, sizeof *o);
    o->length = CP_LENGTH_HOPS;
    o->seed = 1;
}

void cp__bc_ws_free(cp__bc_ws **ws, int count) {
    if (ws == NULL || *ws == NULL) {
        return;
    }
    for (int t = 0; t < count; t++) {
        cp__bc_ws *w = &(*ws)[t];
        cp__free(w->order);
        cp__free(w->val);
        cp__free(w->dist);
        cp__free(w->d);
        cp__free(w->pos);
        cp__free(w->heap);
        cp__free(w->rank);
        cp__free(w->tmp);
        cp__free(w->indeg);
        cp__free(w->sigma2);
    }
    cp__free(*ws);
    *ws = NULL;
}

cp_status cp__bc_ws_new(cp__bc_ws **ws, int count, int32_t n, int64_t m, unsigned what,
                        const uint8_t *removed, const char *who, cp_error *err) {
    *ws = cp__calloc((size_t)count, sizeof **ws);
    if (*ws == NULL) {
        return cp_error_set(err, CP_E_NOMEM, "%s: out of memory for work space", who);
    }
    size_t nn = (size_t)n + 1; /* + 1: never a zero-byte request */
    bool ok = true;
    for (int t = 0; t < count && ok; t++) {
        cp__bc_ws *w = &(*ws)[t];
        w->n = n;
        w->tid = t;
        w->order = cp__malloc_array(nn, sizeof *w->order);
        w->val = cp__calloc(nn, sizeof *w->val); /* read (masked) before written */
        ok = w->order != NULL && w->val != NULL;
        if (ok && (what & CP__WS_BFS)) {
            w->dist = cp__malloc_array(nn, sizeof *w->dist);
            ok = w->dist != NULL;
            for (int32_t x = 0; ok && x < n; x++) {
                w->dist[x] = removed != NULL && removed[x] ? -2 : -1;
            }
        }
        if (ok && (what & CP__WS_DIJKSTRA)) {
            w->d = cp__malloc_array(nn, sizeof *w->d);
            w->pos = cp__malloc_array(nn, sizeof *w->pos);
            w->heap = cp__malloc_array(nn, sizeof *w->heap);
            w->rank = cp__malloc_array(nn, sizeof *w->rank);
            w->tmp = cp__malloc_array(nn, sizeof *w->tmp);
            w->indeg = cp__malloc_array(nn, sizeof *w->indeg);
            ok = w->d != NULL && w->pos != NULL && w->heap != NULL && w->rank != NULL &&
                 w->tmp != NULL && w->indeg != NULL;
            for (int32_t x = 0; ok && x < n; x++) {
                w->d[x] = removed != NULL && removed[x] ? -INFINITY : INFINITY;
                w->pos[x] = -1;
            }
        }
        if (ok && (what & CP__WS_SIGMA2)) {
            w->sigma2 = cp__malloc_array(nn, sizeof *w->sigma2);
            ok = w->sigma2 != NULL;
        }
    }
    if (!ok) {
        cp__bc_ws_free(ws, count);
        return cp_error_set(err, CP_E_NOMEM,
                            "%s: out of memory for %d threads x %" PRId32 " nodes of work space",
                            who, count, n);
    }
    return CP_OK;
}

cp_status cp__bc_lengths(double **len, double **rev_len, const cp_view *v, cp_length mode,
                         const char *who, cp_error *err) {
    *len = NULL;
    if (rev_len != NULL) {
        *rev_len = NULL;
    }
    if ((unsigned)mode > (unsigned)CP_LENGTH_NEGLOG) {
        return cp_error_set(err, CP_E_INVALID, "%s: unknown length mode %d", who, (int)mode);
    }
    bool two = rev_len != NULL && v->directed;
    *len = cp__malloc_array((size_t)v->m + 1, sizeof **len);
    double *rl = two ? cp__malloc_array((size_t)v->m + 1, sizeof *rl) : NULL;
    if (*len == NULL || (two && rl == NULL)) {
        cp__free(*len);
        cp__free(rl);
        *len = NULL;
        return cp_error_set(err, CP_E_NOMEM, "%s: out of memory for %" PRId64 " lengths", who,
                            v->m);
    }
    cp_status st = cp_view_lengths(*len, rl, v, mode, err);
    if (st != CP_OK) {
        cp__free(*len);
        cp__free(rl);
        *len = NULL;
        return st;
    }
    if (rev_len != NULL) {
        *rev_len = two ? rl : *len;
    }
    return CP_OK;
}

cp_status cp__bc_bufs_new(cp__bc_bufs *b, int64_t n_chunks, int n_threads, int32_t n,
                          int64_t m_edges, const char *who, cp_error *err) {
    memset(b, 0, sizeof *b);
    size_t per = (size_t)n * (sizeof(double) + sizeof(int32_t)) + (size_t)m_edges * 8;
    int64_t w = (int64_t)(CP__BC_WAVE_BYTES / (per > 0 ? per : 1));
    w = w < n_threads ? n_threads : w;
    w = w > n_chunks ? n_chunks : w;
    w = w < 1 ? 1 : w;
    size_t tcells = (size_t)n_threads * (size_t)n + 1, scells = (size_t)w * (size_t)n + 1;
    b->wave = w;
    b->n = n;
    b->m = m_edges;
    b->tacc = cp__calloc(tcells, sizeof *b->tacc);
    b->tmark = cp__calloc(tcells, 1);
    b->tlist = cp__malloc_array(tcells, sizeof *b->tlist);
    b->tcount = cp__calloc((size_t)n_threads, sizeof *b->tcount);
    b->sx = cp__malloc_array(scells, sizeof *b->sx);
    b->sv = cp__malloc_array(scells, sizeof *b->sv);
    b->scount = cp__calloc((size_t)w, sizeof *b->scount);
    if (m_edges > 0) {
        b->eacc = cp__malloc_array((size_t)w * (size_t)m_edges, sizeof *b->eacc);
    }
    if (b->tacc == NULL || b->tmark == NULL || b->tlist == NULL || b->tcount == NULL ||
        b->sx == NULL || b->sv == NULL || b->scount == NULL || (m_edges > 0 && b->eacc == NULL)) {
        cp__bc_bufs_free(b);
        return cp_error_set(err, CP_E_NOMEM,
                            "%s: out of memory for %" PRId64 " chunk buffers of %" PRId32
                            " nodes and %" PRId64 " entries",
                            who, w, n, m_edges);
    }
    return CP_OK;
}

void cp__bc_bufs_free(cp__bc_bufs *b) {
    cp__free(b->tacc);
    cp__free(b->tmark);
    cp__free(b->tlist);
    cp__free(b->tcount);
    cp__free(b->sx);
    cp__free(b->sv);
    cp__free(b->scount);
    cp__free(b->eacc);
    memset(b, 0, sizeof *b);
}

void cp__bc_bufs_bind(cp__bc_bufs *b, int64_t j, cp__bc_ws *ws) {
    size_t base = (size_t)ws->tid * (size_t)b->n;
    ws->acc = b->tacc + base;
    ws->mark = b->tmark + base;
    ws->list = b->tlist + base;
    ws->nlist = &b->tcount[ws->tid];
    *ws->nlist = 0;
    ws->eacc = NULL;
    if (b->m > 0) {
        ws->eacc = b->eacc + (size_t)j * (size_t)b->m;
        memset(ws->eacc, 0, (size_t)b->m * sizeof *ws->eacc);
    }
}

void cp__bc_bufs_finish(cp__bc_bufs *b, int64_t j, cp__bc_ws *ws) {
    size_t base = (size_t)j * (size_t)b->n;
    int32_t count = *ws->nlist;
    for (int32_t i = 0; i < count; i++) {
        int32_t x = ws->list[i];
        b->sx[base + (size_t)i] = x;
        b->sv[base + (size_t)i] = ws->acc[x];
        ws->acc[x] = 0.0;
        ws->mark[x] = 0;
    }
    b->scount[j] = count;
    *ws->nlist = 0;
}

void cp__bc_bufs_flush(cp__bc_bufs *b, int64_t count, double *out, double *eout, int n_threads) {
    for (int64_t j = 0; j < count; j++) {
        size_t base = (size_t)j * (size_t)b->n;
        for (int32_t i = 0; i < b->scount[j]; i++) {
            out[b->sx[base + (size_t)i]] += b->sv[base + (size_t)i];
        }
        b->scount[j] = 0;
    }
    if (b->m > 0 && eout != NULL) {
        int64_t len = b->m;
        const double *e = b->eacc;
#pragma omp parallel for schedule(static) num_threads(n_threads) if (len >= 65536 && n_threads > 1)
        for (int64_t i = 0; i < len; i++) {
            double s = eout[i];
            for (int64_t j = 0; j < count; j++) {
                s += e[j * len + i];
            }
            eout[i] = s;
        }
    }
}

int cp__bc_threads(int64_t tasks, int64_t chunks, int32_t n, int64_t m) {
    int t = omp_get_max_threads();
    if (t > chunks) {
        t = (int)chunks;
    }
    if (t < 1 || (double)tasks * ((double)n + (double)m) < CP__BC_PAR_MIN_WORK) {
        t = 1;
    }
    return t;
}

cp_status cp_betweenness_sample_sources(int32_t *sources, int64_t *count, int32_t n,
                                        const uint8_t *removed, int64_t k, uint64_t seed,
                                        cp_error *err) {
    if (count == NULL) {
        return cp_error_set(err, CP_E_INVALID, "cp_betweenness_sample_sources: no count output");
    }
    *count = 0;
    if (n < 0 || k < 0 || k > n) {
        return cp_error_set(err, CP_E_INVALID,
                            "cp_betweenness_sample_sources: k = %" PRId64
                            " is not in 0..n (n = %" PRId32 ")",
                            k, n);
    }
    if (k > 0 && sources == NULL) {
        return cp_error_set(err, CP_E_INVALID, "cp_betweenness_sample_sources: no output array");
    }
    if (k == 0) {
        return CP_OK;
    }
    int32_t *alive = cp__malloc_array((size_t)n + 1, sizeof *alive);
    if (alive == NULL) {
        return cp_error_set(err, CP_E_NOMEM,
                            "cp_betweenness_sample_sources: out of memory (%" PRId32 " nodes)", n);
    }
    int32_t na = 0;
    for (int32_t x = 0; x < n; x++) {
        if (removed == NULL || !removed[x]) {
            alive[na++] = x;
        }
    }
    int64_t take = k < na ? k : na;
    /* Partial Fisher-Yates: position i swaps with a uniform position in i..na-1. */
    for (int64_t i = 0; i < take; i++) {
        double u = cp_rng_uniform(seed, 0, 0, CP_RNG_SAMPLE, (uint64_t)i, 0);
        int64_t span = na - i;
        int64_t j = i + (int64_t)(u * (double)span);
        if (j >= na) {
            j = na - 1; /* u * span can round up to span */
        }
        int32_t t = alive[i];
        alive[i] = alive[j];
        alive[j] = t;
    }
    /* Ascending order: mark, then read the marks back (O(n), no sort). */
    uint8_t *mark = cp__calloc((size_t)n + 1, 1);
    if (mark == NULL) {
        cp__free(alive);
        return cp_error_set(err, CP_E_NOMEM, "cp_betweenness_sample_sources: out of memory");
    }
    for (int64_t i = 0; i < take; i++) {
        mark[alive[i]] = 1;
    }
    int64_t c = 0;
    for (int32_t x = 0; x < n; x++) {
        if (mark[x]) {
            sources[c++] = x;
        }
    }
    *count = c;
    cp__free(mark);
    cp__free(alive);
    return CP_OK;
}

/* ---- the unweighted kernel ---- */

/* A search: from root, standing for `own` (0 or 1: root is itself a source) plus g folded sources,
 * gin of which root reaches (by a direct entry). */
typedef struct bfs_task {
    int32_t root;
    int32_t own;
    int32_t g;
    int32_t gin;
} bfs_task;

/* x when c holds, else +0.0, without a branch: the level tests of the BFS are taken about one
 * time in five at random, and a mispredicted branch costs more than the masked add (measured:
 * 1.75x faster on wiki-Vote). Every val entry is finite or masked away. */
BC_INLINE double keep_if(double x, bool c) {
    uint64_t bits;
    memcpy(&bits, &x, sizeof bits);
    bits &= (uint64_t)0 - (uint64_t)c;
    memcpy(&x, &bits, sizeof x);
    return x;
}

/* Brandes from one root: forward BFS, then the backward pass. Adds mult * (delta(x) + ep) into
 * acc[x] for every reached x != root and, with edges, mult * sigma(x) * coef(w) into eacc[k] for
 * every entry k = x -> w of the shortest-path DAG. leaves (NULL: none) counts the pruned target
 * leaves hanging off each node (see plan): each adds exactly 1 to its node's delta and is not
 * searched. Nodes whose sum changes are listed for the chunk (cp__bc_touch). Returns the number
 * of nodes reached besides the root, pruned leaves included when want_reach (else not). */
BC_INLINE int32_t bfs_brandes(cp__bc_ws *restrict ws, const int64_t *restrict off,
                              const int32_t *restrict idx, const int32_t *restrict leaves,
                              int32_t root, double mult, double ep, bool edges, bool want_reach) {
    int32_t *restrict dist = ws->dist;
    int32_t *restrict order = ws->order;
    double *restrict val = ws->val;
    double *restrict acc = ws->acc;
    double *restrict eacc = ws->eacc;
    dist[root] = 0;
    val[root] = 1.0;
    order[0] = root;
    int32_t head = 0, tail = 1, level_end = 1, level = 0, deepest = 0;
    while (head < tail) {
        int32_t next = level + 1;
        int32_t first_next = tail;
        for (; head < level_end; head++) {
            int32_t u = order[head];
            double su = val[u];
            for (int64_t k = off[u]; k < off[u + 1]; k++) {
                int32_t w = idx[k];
                int32_t dw = dist[w];
                if (dw == -1) {
                    dist[w] = next;
                    val[w] = su;
                    order[tail++] = w;
                } else {
                    val[w] += keep_if(su, dw == next); /* + 0.0 leaves other nodes as they are */
                }
            }
        }
        if (tail > first_next) {
            deepest = first_next;
        }
        level = next;
        level_end = tail;
    }
    /* Deepest level: no successors; delta is the pruned leaves' share alone. Only nonzero sums
     * are written (and listed for the chunk). */
    for (int32_t i = tail - 1; i >= deepest && i >= 1; i--) {
        int32_t x = order[i];
        double delta = leaves != NULL ? (double)leaves[x] : 0.0;
        if (delta + ep != 0.0) {
            acc[x] += mult * (delta + ep);
            cp__bc_touch(ws, x);
        }
        val[x] = (1.0 + delta) / val[x];
    }
    int32_t stop = edges ? 0 : 1;
    for (int32_t i = (deepest < tail ? deepest : tail) - 1; i >= stop; i--) {
        int32_t x = order[i];
        int32_t nx = dist[x] + 1;
        double sx = val[x];
        double sum = 0.0;
        for (int64_t k = off[x]; k < off[x + 1]; k++) {
            int32_t w = idx[k];
            double c = keep_if(val[w], dist[w] == nx);
            sum += c;
            if (edges) {
                eacc[k] += mult * sx * c;
            }
        }
        if (i == 0) {
            break;
        }
        double delta = sx * sum + (leaves != NULL ? (double)leaves[x] : 0.0);
        if (delta + ep != 0.0) {
            acc[x] += mult * (delta + ep);
            cp__bc_touch(ws, x);
        }
        val[x] = (1.0 + delta) / sx;
    }
    int32_t reach = tail - 1;
    if (leaves != NULL && want_reach) {
        for (int32_t i = 0; i < tail; i++) {
            reach += leaves[order[i]];
        }
    }
    for (int32_t i = 0; i < tail; i++) {
        dist[order[i]] = -1;
    }
    return reach;
}

static int32_t bfs_plain(cp__bc_ws *ws, const int64_t *off, const int32_t *idx,
                         const int32_t *leaves, int32_t root, double mult, bool want_reach) {
    return bfs_brandes(ws, off, idx, leaves, root, mult, 0.0, false, want_reach);
}

static int32_t bfs_endpoints(cp__bc_ws *ws, const int64_t *off, const int32_t *idx, int32_t root,
                             double mult) {
    return bfs_brandes(ws, off, idx, NULL, root, mult, 1.0, false, true);
}

static int32_t bfs_edges(cp__bc_ws *ws, const int64_t *off, const int32_t *idx, int32_t root,
                         double mult, double ep) {
    return bfs_brandes(ws, off, idx, NULL, root, mult, ep, true, true);
}

/* Whether s has an out-entry to another non-removed node. */
static bool has_successor(const int64_t *off, const int32_t *idx, const uint8_t *removed,
                          int32_t s) {
    for (int64_t k = off[s]; k < off[s + 1]; k++) {
        if (idx[k] != s && (removed == NULL || !removed[idx[k]])) {
            return true;
        }
    }
    return false;
}

/* Whether every in-entry of s (rows of ioff/iidx; loops and removed tails ignored) comes from r;
 * *from_r tells whether there is one. */
static bool preds_only(const int64_t *ioff, const int32_t *iidx, const uint8_t *removed, int32_t s,
                       int32_t r, bool *from_r) {
    *from_r = false;
    for (int64_t k = ioff[s]; k < ioff[s + 1]; k++) {
        int32_t u = iidx[k];
        if (u == s || (removed != NULL && removed[u])) {
            continue;
        }
        if (u != r) {
            return false;
        }
        *from_r = true;
    }
    return true;
}

/* Plans the searches on orientation (off, idx) with in-entries (ioff, iidx): sources are the
 * nodes with is_src set. With fold, foldable sources (see the file comment) go into fold_to[s] =
 * r (else -1), fold_in[s] = [r reaches s]. Tasks in ascending root order (with skip_trivial,
 * none whose root has no successor); returns their number. cnt: 2n scratch ints. */
static int64_t plan(bfs_task *tasks, int32_t *fold_to, uint8_t *fold_in, int32_t *cnt, int32_t n,
                    const int64_t *off, const int32_t *idx, const int64_t *ioff,
                    const int32_t *iidx, const uint8_t *removed, const uint8_t *is_src, bool fold,
                    bool skip_trivial) {
    for (int32_t x = 0; x < n; x++) {
        fold_to[x] = -1;
        fold_in[x] = 0;
    }
    if (fold) {
        for (int32_t s = 0; s < n; s++) {
            if (!is_src[s]) {
                continue;
            }
            int32_t r = cp__single_successor(off, idx, removed, s);
            bool from_r = false;
            if (r >= 0 && preds_only(ioff, iidx, removed, s, r, &from_r)) {
                fold_to[s] = r;
                fold_in[s] = from_r;
            }
        }
        /* Two sources folding onto each other (an isolated edge): the smaller is the root. */
        for (int32_t s = 0; s < n; s++) {
            int32_t r = fold_to[s];
            if (r >= 0 && r > s && fold_to[r] == s) {
                fold_to[s] = -1;
                fold_in[s] = 0;
            }
        }
    }
    memset(cnt, 0, 2 * (size_t)n * sizeof *cnt);
    for (int32_t s = 0; s < n; s++) {
        if (fold_to[s] >= 0) {
            cnt[2 * (size_t)fold_to[s]]++;
            cnt[2 * (size_t)fold_to[s] + 1] += fold_in[s];
        }
    }
    int64_t nt = 0;
    for (int32_t r = 0; r < n; r++) {
        int32_t own = is_src[r] && fold_to[r] < 0;
        int32_t g = cnt[2 * (size_t)r];
        if (own || g > 0) {
            bool has = has_successor(off, idx, removed, r);
            if (!has && skip_trivial) {
                continue; /* reaches nothing: adds nothing without endpoints */
            }
            if (tasks != NULL) {
                tasks[nt] = (bfs_task){r, own, g, cnt[2 * (size_t)r + 1]};
            }
            nt++;
        }
    }
    return nt;
}

/* Runs one unweighted task into ws->acc (and ws->eacc); returns |R(root)|. */
static int32_t run_bfs_task(cp__bc_ws *ws, const int64_t *off, const int32_t *idx,
                            const int32_t *leaves, const bfs_task *t, bool endpoints, bool edges) {
    double mult = (double)(t->own + t->g);
    int32_t reach;
    if (edges) {
        reach = bfs_edges(ws, off, idx, t->root, mult, endpoints ? 1.0 : 0.0);
    } else if (endpoints) {
        reach = bfs_endpoints(ws, off, idx, t->root, mult);
    } else {
        reach = bfs_plain(ws, off, idx, leaves, t->root, mult, t->g > 0);
    }
    /* Folded sources: r lies on all their pairs but (s, r) and (s, s). */
    double extra = (double)t->g * (double)reach - (double)t->gin;
    if (endpoints) {
        extra += (double)t->own * (double)reach + (double)t->g; /* r as source; r as their target */
    }
    if (extra != 0.0) {
        ws->acc[t->root] += extra;
        cp__bc_touch(ws, t->root);
    }
    return reach;
}

/* Runs chunk c (tasks [c n_tasks / n_chunks, (c + 1) n_tasks / n_chunks)) into slot j with work
 * space w. */
static void run_chunk(cp__bc_ws *w, cp__bc_bufs *bufs, int64_t j, int64_t c, int64_t n_chunks,
                      const bfs_task *tasks, int64_t n_tasks, const int64_t *off,
                      const int32_t *idx, const double *len, const int32_t *leaves, int32_t *reach,
                      bool weighted, bool endpoints, bool edges) {
    int64_t lo = c * n_tasks / n_chunks, hi = (c + 1) * n_tasks / n_chunks;
    double ep = endpoints ? 1.0 : 0.0;
    cp__bc_bufs_bind(bufs, j, w);
    for (int64_t i = lo; i < hi; i++) {
        const bfs_task *t = &tasks[i];
        if (weighted) {
            int32_t cnt_r = cp__dijkstra_forward(w, off, idx, len, t->root, NULL);
            cp__dijkstra_backward(w, off, idx, len, cnt_r, NULL, 1.0, 1.0, ep);
            if (ep * (double)(cnt_r - 1) != 0.0) {
                w->acc[t->root] += ep * (double)(cnt_r - 1);
                cp__bc_touch(w, t->root);
            }
            cp__dijkstra_reset(w, cnt_r);
        } else {
            reach[t->root] = run_bfs_task(w, off, idx, leaves, t, endpoints, edges);
        }
    }
    cp__bc_bufs_finish(bufs, j, w);
}

/* Target leaves: a node z that is not a task root, whose in-entries all come from one node p and
 * whose out-entries (if any) all go back to p. Every search but z's own reaches z only from p,
 * one level deeper, and z has no successor there: z adds exactly 1 to delta(p) (sigma(z) is
 * sigma(p) times the number of p -> z entries, which the pull sum over those entries cancels) and
 * nothing else, as no shortest path passes through z. So z is left out of every search
 * (blocked[z] = 1, like a removed node) and leaves[p] counts it. On wiki-Vote's reversed view
 * these are the 2,246 voters with a single vote; on a symmetric view, the leaves. Removed nodes
 * are blocked too. */
static void prune_leaves(int32_t *leaves, uint8_t *blocked, int32_t n, const int64_t *off,
                         const int32_t *idx, const int64_t *ioff, const int32_t *iidx,
                         const uint8_t *removed, const bfs_task *tasks, int64_t n_tasks) {
    for (int64_t i = 0; i < n_tasks; i++) {
        blocked[tasks[i].root] = 2; /* a root: never pruned */
    }
    for (int32_t z = 0; z < n; z++) {
        if (removed != NULL && removed[z]) {
            blocked[z] = 1;
            continue;
        }
        if (blocked[z] == 2) {
            continue;
        }
        int32_t p = -1;
        bool ok = true;
        for (int64_t k = ioff[z]; k < ioff[z + 1] && ok; k++) {
            int32_t u = iidx[k];
            if (u == z || (removed != NULL && removed[u])) {
                continue;
            }
            ok = p < 0 || u == p;
            p = u;
        }
        for (int64_t k = off[z]; k < off[z + 1] && ok && p >= 0; k++) {
            int32_t w = idx[k];
            ok = w == z || w == p || (removed != NULL && removed[w]);
        }
        if (ok && p >= 0) {
            blocked[z] = 1;
            leaves[p]++;
        }
    }
    for (int64_t i = 0; i < n_tasks; i++) {
        blocked[tasks[i].root] = 0;
    }
}

/* Relabelling for locality: nodes in decreasing order of in-degree (entries of (off, idx) that
 * lead to them; degrees above 2^20 count as 2^20), ties by index (a stable counting sort), so the
 * nodes that searches touch most share cache lines (on wiki-Vote 45% fewer L1 misses). New row i
 * is old row perm[i] with its heads renamed and its entries in the same order, so every search
 * visits the same nodes in the same order and the arithmetic, hence the result, is bit-identical
 * to the unrelabelled kernel. *roff (n + 1), *ridx (m): the new CSR; inv[old] = new. */
static cp_status relabel(int64_t **roff, int32_t **ridx, int32_t *inv, int32_t n,
                         const int64_t *off, const int32_t *idx, cp_error *err) {
    cp_status status = CP_OK;
    int64_t m = off[n];
    int32_t *deg = cp__calloc((size_t)n + 1, sizeof *deg);
    int32_t *perm = cp__malloc_array((size_t)n + 1, sizeof *perm);
    int64_t *start = NULL;
    *roff = cp__malloc_array((size_t)n + 1, sizeof **roff);
    *ridx = cp__malloc_array((size_t)m + 1, sizeof **ridx);
    if (deg == NULL || perm == NULL || *roff == NULL || *ridx == NULL) {
        goto nomem;
    }
    const int32_t cap = 1 << 20;
    int32_t top = 0;
    for (int64_t k = 0; k < m; k++) {
        int32_t *d = &deg[idx[k]];
        *d += *d < cap;
    }
    for (int32_t x = 0; x < n; x++) {
        top = deg[x] > top ? deg[x] : top;
    }
    start = cp__calloc((size_t)top + 2, sizeof *start);
    if (start == NULL) {
        goto nomem;
    }
    for (int32_t x = 0; x < n; x++) {
        start[top - deg[x] + 1]++; /* bucket top - deg: larger degrees first */
    }
    for (int32_t b = 0; b <= top; b++) {
        start[b + 1] += start[b];
    }
    for (int32_t x = 0; x < n; x++) {
        perm[start[top - deg[x]]++] = x;
    }
    for (int32_t i = 0; i < n; i++) {
        inv[perm[i]] = i;
    }
    (*roff)[0] = 0;
    for (int32_t i = 0; i < n; i++) {
        int32_t x = perm[i];
        int64_t p = (*roff)[i];
        for (int64_t k = off[x]; k < off[x + 1]; k++) {
            (*ridx)[p++] = inv[idx[k]];
        }
        (*roff)[i + 1] = p;
    }
    goto done;
nomem:
    status = cp_error_set(err, CP_E_NOMEM,
                          "cp_betweenness: out of memory relabelling %" PRId64 " entries", m);
done:
    cp__free(deg);
    cp__free(perm);
    cp__free(start);
    return status;
}

/* Marks the source set in is_src (n bytes): drawn, listed or every non-removed node. *k: its size,
 * *n_alive: the number of non-removed nodes. */
static cp_status mark_sources(uint8_t *is_src, int64_t *k, int64_t *n_alive, int32_t n,
                              const uint8_t *removed, const cp_betweenness_options *o,
                              cp_error *err) {
    cp_status status = CP_OK;
    int32_t *drawn = NULL;
    int64_t na = 0, c = 0;
    for (int32_t x = 0; x < n; x++) {
        na += removed == NULL || !removed[x];
    }
    memset(is_src, 0, (size_t)n);
    if (o->samples > 0) {
        drawn = cp__malloc_array((size_t)o->samples, sizeof *drawn);
        if (drawn == NULL) {
            status = cp_error_set(err, CP_E_NOMEM,
                                  "cp_betweenness: out of memory for %" PRId64 " sampled sources",
                                  o->samples);
            goto cleanup;
        }
        int64_t got = 0;
        CP_TRY(cp_betweenness_sample_sources(drawn, &got, n, removed, o->samples, o->seed, err));
        for (int64_t i = 0; i < got; i++) {
            is_src[drawn[i]] = 1;
        }
        c = got;
    } else if (o->sources != NULL) {
        for (int64_t i = 0; i < o->n_sources; i++) {
            int32_t s = o->sources[i];
            if (s < 0 || s >= n) {
                status = cp_error_set(err, CP_E_INVALID,
                                      "cp_betweenness: sources[%" PRId64 "] = %" PRId32
                                      " is not a node index (0..%" PRId32 ")",
                                      i, s, n - 1);
                goto cleanup;
            }
            if ((removed == NULL || !removed[s]) && !is_src[s]) {
                is_src[s] = 1;
                c++;
            }
        }
    } else {
        for (int32_t x = 0; x < n; x++) {
            is_src[x] = removed == NULL || !removed[x];
        }
        c = na;
    }
cleanup:
    cp__free(drawn);
    *k = c;
    *n_alive = na;
    return status;
}

/* First entry of row w (off, idx) whose head is u (rows sorted by head), or -1. */
static int64_t row_find(const int64_t *off, const int32_t *idx, int32_t w, int32_t u) {
    int64_t lo = off[w], hi = off[w + 1];
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (idx[mid] < u) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo < off[w + 1] && idx[lo] == u ? lo : -1;
}

/* Turns ordered edge sums into the output (see cp_betweenness), scaled by num / den: on a
 * symmetric view the two entries of an edge get the same value. */
static void finish_edges(double *e, const cp_view *v, double num, double den, bool normalized) {
    int32_t n = v->n;
    double nd = (double)n;
    double denom = normalized ? (n >= 2 ? nd * (nd - 1.0) : 0.0) : (v->directed ? 1.0 : 2.0);
    if (denom == 0.0) {
        memset(e, 0, (size_t)v->m * sizeof *e);
        return;
    }
    if (v->directed) {
        for (int64_t k = 0; k < v->m; k++) {
            e[k] = (num == den ? e[k] : e[k] * num / den) / denom;
        }
        return;
    }
    for (int32_t u = 0; u < n; u++) {
        int64_t run_start = v->offsets[u];
        for (int64_t k = v->offsets[u]; k < v->offsets[u + 1]; k++) {
            int32_t w = v->indices[k];
            if (k > v->offsets[u] && v->indices[k - 1] != w) {
                run_start = k;
            }
            if (w == u) {
                e[k] = 0.0;
            } else if (w > u) {
                int64_t j = row_find(v->offsets, v->indices, w, u);
                int64_t mk = j + (k - run_start); /* the mirror entry in row w */
                double total = e[k] + e[mk];
                e[k] = (num == den ? total : total * num / den) / denom;
                e[mk] = e[k];
            }
        }
    }
}

cp_status cp_betweenness(double *vertex_out, double *edge_out, const cp_view *v,
                         const uint8_t *removed, const cp_betweenness_options *o, cp_error *err) {
    cp_status status = CP_OK;
    cp_betweenness_options defaults;
    uint8_t *is_src = NULL, *fold_in = NULL;
    int32_t *fold_to = NULL, *cnt = NULL, *reach = NULL, *leaves = NULL, *inv = NULL, *ridx = NULL;
    int64_t *roff = NULL;
    uint8_t *blocked = NULL;
    bfs_task *tasks = NULL;
    double *len = NULL, *raw = NULL, *mapped = NULL;
    cp__bc_bufs bufs = {0};
    cp__bc_ws *ws = NULL;
    int n_threads = 0;
    if (v == NULL) {
        return cp_error_set(err, CP_E_INVALID, "cp_betweenness: no view");
    }
    if (o == NULL) {
        cp_betweenness_options_init(&defaults);
        o = &defaults;
    }
    int32_t n = v->n;
    int64_t m = v->m;
    if (n > 0 && vertex_out == NULL && edge_out == NULL) {
        return cp_error_set(err, CP_E_INVALID, "cp_betweenness: no output array");
    }
    if (vertex_out != NULL && n > 0) {
        memset(vertex_out, 0, (size_t)n * sizeof *vertex_out);
    }
    if (edge_out != NULL && m > 0) {
        memset(edge_out, 0, (size_t)m * sizeof *edge_out);
    }
    if ((unsigned)o->length > (unsigned)CP_LENGTH_NEGLOG) {
        return cp_error_set(err, CP_E_INVALID, "cp_betweenness: unknown length mode %d",
                            (int)o->length);
    }
    if (o->samples < 0 || o->samples > n) {
        return cp_error_set(err, CP_E_INVALID,
                            "cp_betweenness: samples = %" PRId64 " is not in 0..n (n = %" PRId32
                            ")",
                            o->samples, n);
    }
    if (o->n_sources < 0 || (o->n_sources > 0 && o->sources == NULL)) {
        return cp_error_set(err, CP_E_INVALID,
                            "cp_betweenness: sources: %" PRId64 " entries but no array",
                            o->n_sources);
    }
    if (n == 0) {
        return CP_OK;
    }
    bool weighted = o->length != CP_LENGTH_HOPS;
    bool edges = edge_out != NULL;
    bool sym = !v->directed;
    is_src = cp__malloc_array((size_t)n, 1);
    raw = cp__calloc((size_t)n, sizeof *raw);
    if (is_src == NULL || raw == NULL) {
        status =
            cp_error_set(err, CP_E_NOMEM, "cp_betweenness: out of memory (%" PRId32 " nodes)", n);
        goto cleanup;
    }
    int64_t k = 0, n_alive = 0;
    CP_TRY(mark_sources(is_src, &k, &n_alive, n, removed, o, err));
    if (weighted) {
        CP_TRY(cp__bc_lengths(&len, NULL, v, o->length, "cp_betweenness", err));
    }
    bool exact = k == n_alive;
    /* The searches: orientation, folding, tasks. */
    const int64_t *off = v->offsets, *ioff = v->rev_offsets;
    const int32_t *idx = v->indices, *iidx = v->rev_indices;
    fold_to = cp__malloc_array((size_t)n, sizeof *fold_to);
    fold_in = cp__malloc_array((size_t)n, 1);
    cnt = cp__malloc_array(2 * (size_t)n, sizeof *cnt);
    tasks = cp__malloc_array((size_t)n, sizeof *tasks);
    reach = cp__calloc((size_t)n, sizeof *reach);
    if (fold_to == NULL || fold_in == NULL || cnt == NULL || tasks == NULL || reach == NULL) {
        status =
            cp_error_set(err, CP_E_NOMEM, "cp_betweenness: out of memory (%" PRId32 " nodes)", n);
        goto cleanup;
    }
    bool fold = !weighted && !edges;
    bool plain = fold && !o->endpoints; /* the kernel without endpoints and edge sums */
    int64_t n_tasks =
        plan(tasks, fold_to, fold_in, cnt, n, off, idx, ioff, iidx, removed, is_src, fold, plain);
    if (exact && !sym && !edges && !weighted) {
        /* Orientation (see the file comment): reversed when that leaves clearly fewer searches
         * and a search's state (about 16 bytes a node) stays in a core's L2 cache. */
        int64_t n_rev = n <= REVERSE_MAX_N ? plan(tasks, fold_to, fold_in, cnt, n, ioff, iidx, off,
                                                  idx, removed, is_src, fold, plain)
                                           : n_tasks;
        if (n <= REVERSE_MAX_N && (double)n_rev < 0.8 * (double)n_tasks) {
            const int64_t *to = off;
            const int32_t *ti = idx;
            off = ioff;
            idx = iidx;
            ioff = to;
            iidx = ti;
            n_tasks = n_rev;
        } else if (n <= REVERSE_MAX_N) {
            n_tasks = plan(tasks, fold_to, fold_in, cnt, n, off, idx, ioff, iidx, removed, is_src,
                           fold, plain);
        }
    }
    if (fold) {
        /* Target leaves (plain kernel only): see prune_leaves. They are marked like removed nodes
         * in the searches. Then the relabelling (see relabel): same arithmetic, better caching. */
        leaves = cp__calloc((size_t)n, sizeof *leaves);
        blocked = cp__calloc((size_t)n, 1);
        inv = cp__malloc_array((size_t)n, sizeof *inv);
        mapped = cp__malloc_array((size_t)n, sizeof *mapped);
        if (leaves == NULL || blocked == NULL || inv == NULL || mapped == NULL) {
            status = cp_error_set(err, CP_E_NOMEM,
                                  "cp_betweenness: out of memory (%" PRId32 " nodes)", n);
            goto cleanup;
        }
        if (plain) {
            prune_leaves(leaves, blocked, n, off, idx, ioff, iidx, removed, tasks, n_tasks);
        } else {
            for (int32_t x = 0; x < n; x++) {
                blocked[x] = removed != NULL && removed[x];
            }
        }
        CP_TRY(relabel(&roff, &ridx, inv, n, off, idx, err));
        off = roff;
        idx = ridx;
        for (int64_t i = 0; i < n_tasks; i++) {
            tasks[i].root = inv[tasks[i].root]; /* the task order stays */
        }
        for (int32_t x = 0; x < n; x++) {
            cnt[inv[x]] = leaves[x];
            mapped[inv[x]] = blocked[x];
        }
        for (int32_t x = 0; x < n; x++) {
            leaves[x] = plain ? cnt[x] : 0;
            blocked[x] = (uint8_t)mapped[x];
        }
    }
    int64_t n_chunks = n_tasks < CP__BC_CHUNKS ? n_tasks : CP__BC_CHUNKS;
    n_threads = cp__bc_threads(n_tasks, n_chunks, n, m);
    unsigned what = weighted ? CP__WS_DIJKSTRA : CP__WS_BFS;
    CP_TRY(
        cp__bc_ws_new(&ws, n_threads, n, m, what, fold ? blocked : removed, "cp_betweenness", err));
    CP_TRY(cp__bc_bufs_new(&bufs, n_chunks, n_threads, n, edges ? m : 0, "cp_betweenness", err));
    bool endpoints = o->endpoints;
    /* The first chunk runs alone and is timed: when the whole job would take under a
     * millisecond, starting threads costs more than it saves, so the rest runs on one thread.
     * (The result does not depend on the thread count, so a timing may decide it.) */
    int run_threads = n_threads;
    for (int64_t c0 = 0; c0 < n_chunks; c0 += bufs.wave) {
        int64_t cw = n_chunks - c0 < bufs.wave ? n_chunks - c0 : bufs.wave;
        int64_t j0 = 0;
        if (c0 == 0 && n_threads > 1) {
            double t0 = omp_get_wtime();
            run_chunk(&ws[0], &bufs, 0, 0, n_chunks, tasks, n_tasks, off, idx, len, leaves, reach,
                      weighted, endpoints, edges);
            if (probe_on && (omp_get_wtime() - t0) * (double)n_chunks < 1e-3) {
                run_threads = 1;
            }
            j0 = 1;
        }
#pragma omp parallel for schedule(dynamic, 1) num_threads(run_threads)
        for (int64_t j = j0; j < cw; j++) {
            run_chunk(&ws[omp_get_thread_num()], &bufs, j, c0 + j, n_chunks, tasks, n_tasks, off,
                      idx, len, leaves, reach, weighted, endpoints, edges);
        }
        cp__bc_bufs_flush(&bufs, cw, raw, edge_out, run_threads);
    }
    if (fold) {
        /* Back to the view's labels. */
        for (int32_t x = 0; x < n; x++) {
            mapped[x] = raw[inv[x]];
        }
        memcpy(raw, mapped, (size_t)n * sizeof *raw);
    }
    /* Endpoint terms of folded sources, serially in index order (see run_bfs_task). */
    if (endpoints && fold) {
        for (int32_t s = 0; s < n; s++) {
            if (fold_to[s] >= 0) {
                double r = (double)reach[inv[fold_to[s]]], in = (double)fold_in[s];
                raw[s] += (r - in + 1.0) - in;
            }
        }
    }
    /* Scaling (sampled estimates: raw * num / den, exact for integer sums) and normalisation. */
    double na = (double)n_alive, kk = (double)k, nd = (double)n;
    double num_non = 1.0, den_non = 1.0, num_src = 1.0, den_src = 1.0, num_e = 1.0, den_e = 1.0;
    if (!exact) {
        num_e = k > 0 ? na : 0.0;
        den_e = k > 0 ? kk : 1.0;
        if (endpoints) {
            num_non = num_src = num_e;
            den_non = den_src = den_e;
        } else {
            num_non = k > 0 ? na - 1.0 : 0.0;
            den_non = k > 0 ? kk : 1.0;
            num_src = k > 1 ? na - 1.0 : 0.0; /* k = 1: no sample bears on the source */
            den_src = k > 1 ? kk - 1.0 : 1.0;
        }
    }
    if (vertex_out != NULL) {
        double denom;
        if (o->normalized) {
            denom = endpoints ? (n >= 2 ? nd * (nd - 1.0) : 0.0)
                              : (n >= 3 ? (nd - 1.0) * (nd - 2.0) : 0.0);
        } else {
            denom = sym ? 2.0 : 1.0;
        }
        for (int32_t x = 0; x < n; x++) {
            double num = is_src[x] ? num_src : num_non, den = is_src[x] ? den_src : den_non;
            double b = num == den ? raw[x] : raw[x] * num / den;
            vertex_out[x] = denom > 0.0 && (removed == NULL || !removed[x]) ? b / denom : 0.0;
        }
    }
    if (edges) {
        finish_edges(edge_out, v, num_e, den_e, o->normalized);
    }
cleanup:
    if (status < 0) {
        if (vertex_out != NULL) {
            memset(vertex_out, 0, (size_t)n * sizeof *vertex_out);
        }
        if (edge_out != NULL && m > 0) {
            memset(edge_out, 0, (size_t)m * sizeof *edge_out);
        }
    }
    cp__bc_ws_free(&ws, n_threads);
    cp__free(is_src);
    cp__free(fold_in);
    cp__free(fold_to);
    cp__free(cnt);
    cp__free(tasks);
    cp__free(reach);
    cp__free(len);
    cp__free(raw);
    cp__bc_bufs_free(&bufs);
    cp__free(leaves);
    cp__free(blocked);
    cp__free(inv);
    cp__free(mapped);
    cp__free(roff);
    cp__free(ridx);
    return status;
}
