/* Internal pieces shared by the betweenness files (host/betweenness*.c): per-thread work space, the
 * Dijkstra stage with its zero-length repair, lengths, and the index-list helpers. Not part of the
 * public API. */
#ifndef CP_HOST_BETWEENNESS_IMPL_H
#define CP_HOST_BETWEENNESS_IMPL_H

#include <math.h>
#include <stdbool.h>
#include <stdint.h>

#include "chokepoint/betweenness.h"
#include "chokepoint/status.h"
#include "chokepoint/view.h"

/* Fixed number of chunks of sources (or samples) for the deterministic reductions: at most this
 * many, never a function of the thread count. */
#define CP__BC_CHUNKS 128

/* Below this much work (searches x (n + m)) a kernel runs on one thread; the chunks, and so the
 * result, are the same either way. */
#define CP__BC_PAR_MIN_WORK 2e5

/* Per-thread work space of one search, O(n) (eacc: O(m)). Arrays a kernel does not use are NULL.
 * Between searches every node is "clean": dist = -1 (-2 for removed nodes, permanently), d = +inf
 * (-inf for removed nodes), pos = -1; the kernels reset exactly the nodes they touched. */
typedef struct cp__bc_ws {
    int32_t n;
    int32_t *order; /* nodes in settle order (a topological order of the shortest-path DAG) */
    double *val;    /* sigma (path counts), overwritten by the backward coefficients */
    double *acc;    /* the current chunk's vertex sums, n (borrowed: a chunk buffer) */
    double *eacc;   /* the current chunk's edge sums, m, or NULL (borrowed likewise) */
    uint8_t *mark;  /* the chunk's touched flags (borrowed; NULL when no buffer is bound) */
    int32_t *list;  /* the chunk's touched nodes (borrowed) */
    int32_t *nlist; /* their number (borrowed) */
    /* BFS */
    int32_t *dist; /* level; -1 not reached; -2 removed */
    /* Dijkstra */
    double *d;      /* distance; +inf not reached; -inf removed */
    int32_t *pos;   /* heap position; -1 not in the heap and not settled; -2 settled */
    int32_t *heap;  /* binary heap of nodes keyed by (d, index); reused by the repair */
    int32_t *rank;  /* position in order (valid when `ranked`) */
    int32_t *tmp;   /* repair: the new order */
    int32_t *indeg; /* repair: tight in-entries from the same distance class; -1 taken */
    double *sigma2; /* group betweenness: path counts avoiding the group */
    bool ranked;    /* the last search needed the zero-length repair (rank[] is valid) */
    int tid;        /* index of this work space (the OpenMP thread that uses it) */
} cp__bc_ws;

/* What a work space must hold. */
enum {
    CP__WS_BFS = 1,      /* dist */
    CP__WS_DIJKSTRA = 2, /* d, pos, heap, rank, tmp, indeg */
    CP__WS_SIGMA2 = 4    /* sigma2 */
};

/* Allocates `count` work spaces for n nodes and m entries with the arrays `what` asks for, and
 * marks removed nodes. *ws is NULL on entry; free with cp__bc_ws_free. CP_OK or CP_E_NOMEM (with
 * a message naming `who`). */
cp_status cp__bc_ws_new(cp__bc_ws **ws, int count, int32_t n, int64_t m, unsigned what,
                        const uint8_t *removed, const char *who, cp_error *err);
void cp__bc_ws_free(cp__bc_ws **ws, int count);

/* The lengths of every out-entry of v (v->m doubles, new array in *len, freed with cp__free) and,
 * when rev_len is not NULL, of every in-entry (*rev_len = *len on a symmetric view, not a second
 * array). Status from cp_view_lengths, or CP_E_NOMEM. */
cp_status cp__bc_lengths(double **len, double **rev_len, const cp_view *v, cp_length mode,
                         const char *who, cp_error *err);

/* Dijkstra from root over everything reachable: fills ws->order[0..count) (count returned, root
 * first), ws->d, ws->val = sigma, and ws->sigma2 (paths avoiding the nodes with avoid[x] != 0)
 * when avoid is not NULL. Self-loops and entries whose sum is +inf are skipped. When some tight
 * entry u -> w reaches a w settled before u (zero lengths, or a length absorbed by the sum), the
 * order and counts are repaired as the header describes and ws->ranked is set. */
int32_t cp__dijkstra_forward(cp__bc_ws *ws, const int64_t *off, const int32_t *idx,
                             const double *len, int32_t root, const uint8_t *avoid);

/* The tight out-entries of x, as used by the backward passes: w != x, len finite, d[x] + len ==
 * d[w], and (after a repair) w after x in the order. */
static inline bool cp__dijkstra_tight(const cp__bc_ws *ws, int32_t x, int32_t w, double l) {
    double nd = ws->d[x] + l;
    return nd == ws->d[w] && nd < INFINITY && w != x && (!ws->ranked || ws->rank[w] > ws->rank[x]);
}

/* Resets the count nodes of the last Dijkstra search to clean. */
void cp__dijkstra_reset(cp__bc_ws *ws, int32_t count);

/* Backward accumulation over the last Dijkstra search (count nodes): for x in reverse order,
 * delta(x) = sigma(x) * sum over tight out-entries x -> w of (tw(w) + delta(w)) / sigma(w), where
 * tw(w) = 1, or, with flags, the S-T pair weight (0 outside T, tw_both for a target that is also a
 * source, else 1). Adds mult * (delta(x) + ep * tw(x)) into ws->acc[x] for x != root, and, when
 * ws->eacc is not NULL, mult * sigma(x) * coef(w) into ws->eacc[k] for every tight entry k.
 * Returns the sum of tw over the reached nodes other than root. */
double cp__dijkstra_backward(cp__bc_ws *ws, const int64_t *off, const int32_t *idx,
                             const double *len, int32_t count, const uint8_t *flags, double tw_both,
                             double mult, double ep);

/* Chunk buffers: rather than make each finished chunk wait for its predecessors (an ordered
 * section, which costs a context switch per chunk on a busy machine), a kernel computes a "wave"
 * of chunks into separate buffers, then adds the buffers to the output in chunk order. The wave
 * size (at least the thread count, at most the chunk count, else as many buffers as fit in
 * CP__BC_WAVE_BYTES) does not change the result: every element still receives the chunk sums one
 * at a time in chunk order. Vertex sums are sparse: a thread sums its chunk in its own dense
 * buffer (kept hot in cache), listing the nodes it touched; at the end of the chunk those are
 * moved into the chunk's slot as (node, sum) pairs and the buffer is cleared. Adding a chunk's
 * +0.0 elsewhere would change nothing, so a chunk of small searches on a large graph costs what
 * it touches, not n. Edge sums are dense. */
#define CP__BC_WAVE_BYTES ((size_t)256 << 20)

typedef struct cp__bc_bufs {
    int64_t wave; /* number of chunk slots */
    int32_t n;    /* nodes */
    int64_t m;    /* edge entries per slot, 0 for none */
    /* per thread (hot, reused by every chunk the thread runs): */
    double *tacc;    /* threads x n, all 0 outside a chunk */
    uint8_t *tmark;  /* threads x n, all 0 outside a chunk */
    int32_t *tlist;  /* threads x n */
    int32_t *tcount; /* threads */
    /* per slot (a finished chunk, sparse; written in order, so untouched pages stay unmapped): */
    int32_t *sx;     /* wave x n: the chunk's touched nodes */
    double *sv;      /* wave x n: their sums */
    int32_t *scount; /* wave */
    double *eacc;    /* wave x m, or NULL */
} cp__bc_bufs;

/* Allocates the buffers for n_threads threads and min(n_chunks, ...) slots (see above) into *b
 * (zeroed on entry). CP_OK or CP_E_NOMEM naming `who`. */
cp_status cp__bc_bufs_new(cp__bc_bufs *b, int64_t n_chunks, int n_threads, int32_t n,
                          int64_t m_edges, const char *who, cp_error *err);
void cp__bc_bufs_free(cp__bc_bufs *b);

/* Binds ws (thread ws->tid) to slot j for one chunk: its vertex sums go to the thread's dense
 * buffer, its edge sums to the slot (cleared). */
void cp__bc_bufs_bind(cp__bc_bufs *b, int64_t j, cp__bc_ws *ws);

/* Moves the chunk's vertex sums from the thread's buffer (left zero) into slot j. */
void cp__bc_bufs_finish(cp__bc_bufs *b, int64_t j, cp__bc_ws *ws);

/* Adds slots 0..count-1 to out (n) and eout (m, when edge sums are kept), in slot order. */
void cp__bc_bufs_flush(cp__bc_bufs *b, int64_t count, double *out, double *eout, int n_threads);

/* Records that the bound chunk wrote acc[x]. */
static inline void cp__bc_touch(cp__bc_ws *ws, int32_t x) {
    if (!ws->mark[x]) {
        ws->mark[x] = 1;
        ws->list[(*ws->nlist)++] = x;
    }
}

/* cp_betweenness times its first chunk and stays on one thread when the whole job would take
 * under a millisecond. Tests switch that off (false) to exercise the threads on small inputs. */
void cp__bc_set_probe(bool on);

/* Number of threads for `tasks` units of work on a view of n nodes and m entries, capped by the
 * chunk count and OpenMP's maximum. */
int cp__bc_threads(int64_t tasks, int64_t chunks, int32_t n, int64_t m);

#endif
