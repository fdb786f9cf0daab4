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
    double *acc;    /* the current chunk's vertex sums, n */
    double *eacc;   /* the current chunk's edge sums, m (edge output only) */
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
} cp__bc_ws;

/* What a work space must hold. */
enum {
    CP__WS_BFS = 1,      /* dist */
    CP__WS_DIJKSTRA = 2, /* d, pos, heap, rank, tmp, indeg */
    CP__WS_SIGMA2 = 4,   /* sigma2 */
    CP__WS_ACC = 8,      /* acc */
    CP__WS_EDGES = 16    /* eacc (m entries) */
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

/* Number of threads for `tasks` units of work on a view of n nodes and m entries, capped by the
 * chunk count and OpenMP's maximum. */
int cp__bc_threads(int64_t tasks, int64_t chunks, int32_t n, int64_t m);

#endif
