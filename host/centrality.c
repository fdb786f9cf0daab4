/* Degree and strength, source-target betweenness (Brandes restricted to S x T) and the number of
 * connected S-T pairs (bit-parallel BFS), on CSR views, CPU backend (DESIGN section 4).
 *
 * Determinism: every floating-point sum runs in an order fixed by the input alone. Betweenness
 * splits its task list (sources in ascending order, then groups of folded sources) into a fixed
 * number of chunks (at most CHUNKS, independent of the thread count); each chunk is summed
 * serially into a per-thread buffer, and the chunk buffers are added to the output in chunk order
 * (an OpenMP ordered section), so results are bit-identical at any thread count. Pair counts are
 * integers or halves, hence exact in double.
 *
 * Speed: each search stops once every target is found; sources with a single successor r (the
 * leaves of a hub) are folded into one search from r. A 50,000-leaf star with S = T = the leaves
 * is then one search, not 50,000. */
#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

#include <omp.h>

#include "alloc.h"
#include "centrality_impl.h"
#include "chokepoint/centrality.h"

/* Fixed number of source chunks for the deterministic betweenness reduction. */
#define CHUNKS 64

/* Below this many nodes the degree loop stays serial (a parallel region costs more). */
#define PAR_MIN_N 16384

/* Below this many edge visits (tasks or batches x (m + n)) the S-T kernels run on one thread. The
 * chunks, and so the result, are the same either way. */
#define PAR_MIN_WORK 1e6

cp_status cp__st_mark(uint8_t *flags, int64_t *n_s, int64_t *n_t, int32_t n, const uint8_t *removed,
                      const int32_t *sources, int64_t n_sources, const int32_t *targets,
                      int64_t n_targets, cp_error *err) {
    *n_s = 0;
    *n_t = 0;
    if (n_sources < 0 || (n_sources > 0 && sources == NULL)) {
        return cp_error_set(err, CP_E_INVALID, "sources: %" PRId64 " entries but no array",
                            n_sources);
    }
    if (n_targets < 0 || (n_targets > 0 && targets == NULL)) {
        return cp_error_set(err, CP_E_INVALID, "targets: %" PRId64 " entries but no array",
                            n_targets);
    }
    if (n > 0) {
        memset(flags, 0, (size_t)n);
    }
    for (int64_t i = 0; i < n_sources; i++) {
        int32_t s = sources[i];
        if (s < 0 || s >= n) {
            return cp_error_set(err, CP_E_INVALID,
                                "sources[%" PRId64 "] = %" PRId32
                                " is not a node index (0..%" PRId32 ")",
                                i, s, n - 1);
        }
        if ((removed == NULL || !removed[s]) && !(flags[s] & CP__IN_S)) {
            flags[s] |= CP__IN_S;
            (*n_s)++;
        }
    }
    for (int64_t i = 0; i < n_targets; i++) {
        int32_t t = targets[i];
        if (t < 0 || t >= n) {
            return cp_error_set(err, CP_E_INVALID,
                                "targets[%" PRId64 "] = %" PRId32
                                " is not a node index (0..%" PRId32 ")",
                                i, t, n - 1);
        }
        if ((removed == NULL || !removed[t]) && !(flags[t] & CP__IN_T)) {
            flags[t] |= CP__IN_T;
            (*n_t)++;
        }
    }
    return CP_OK;
}

/* ---- degree and strength ---- */

/* Sum over row u of (off, idx, wt) of 1 or the weight, skipping removed heads; a head equal to u
 * (a self-loop) counts loop_factor times. */
static double row_sum(const int64_t *off, const int32_t *idx, const double *wt,
                      const uint8_t *removed, int32_t u, bool weighted, double loop_factor) {
    double s = 0.0;
    for (int64_t k = off[u]; k < off[u + 1]; k++) {
        int32_t w = idx[k];
        if (removed != NULL && removed[w]) {
            continue;
        }
        double x = weighted ? wt[k] : 1.0;
        s += w == u ? loop_factor * x : x;
    }
    return s;
}

cp_status cp_degree(double *out, const cp_view *v, const uint8_t *removed, cp_degree_mode mode,
                    bool weighted, cp_error *err) {
    if (v == NULL) {
        return cp_error_set(err, CP_E_INVALID, "cp_degree: no view");
    }
    if (mode != CP_DEGREE_OUT && mode != CP_DEGREE_IN && mode != CP_DEGREE_TOTAL) {
        return cp_error_set(err, CP_E_INVALID, "cp_degree: mode %d is not out, in or total",
                            (int)mode);
    }
    int32_t n = v->n;
    if (n > 0 && out == NULL) {
        return cp_error_set(err, CP_E_INVALID, "cp_degree: no output array");
    }
    bool sym = !v->directed;
    /* A symmetric view stores a self-loop once: it counts twice (networkx). A directed view stores
     * it once in the row and once in the reverse row: one to out, one to in. */
#pragma omp parallel for schedule(static) if (n >= PAR_MIN_N)
    for (int32_t u = 0; u < n; u++) {
        double d = 0.0;
        if (removed == NULL || !removed[u]) {
            if (sym) {
                d = row_sum(v->offsets, v->indices, v->weights, removed, u, weighted, 2.0);
            } else {
                if (mode != CP_DEGREE_IN) {
                    d += row_sum(v->offsets, v->indices, v->weights, removed, u, weighted, 1.0);
                }
                if (mode != CP_DEGREE_OUT) {
                    d += row_sum(v->rev_offsets, v->rev_indices, v->rev_weights, removed, u,
                                 weighted, 1.0);
                }
            }
        }
        out[u] = d;
    }
    return CP_OK;
}

/* ---- source-target betweenness ---- */

/* Per-thread state, O(n) each. dist is -1 for every node between sources. */
typedef struct bc_state {
    int32_t *dist;  /* BFS level from the current source, -1 = not reached */
    int32_t *order; /* nodes in BFS order (non-decreasing dist) */
    double *sigma;  /* shortest-path counts (double: they overflow any integer type) */
    double *coef;   /* (tw(w) + delta[w]) / sigma[w], written before any predecessor reads it */
    double *acc;    /* the current chunk's partial sums */
} bc_state;

/* One BFS of Brandes' algorithm restricted to targets T, from `root`. Adds mult * delta(x) for
 * x != root into st->acc and returns the weight of the targets reached (root excluded). tw_both is
 * the weight of a target that is also a source (one half when the pair is counted both ways);
 * other targets weigh 1. n_t: the number of targets.
 *
 * The BFS stops expanding once every target is found: nodes on the last target's level need not
 * be expanded, since no shortest path to a target passes through a node at or beyond that level.
 * Accumulation runs in reverse BFS order in "pull" form: delta[v] = sigma[v] * sum over successors
 * w (dist[w] = dist[v] + 1, one term per parallel edge) of coef[w], coef[w] = (tw(w) + delta[w]) /
 * sigma[w]. Endpoints are excluded: t's own pair enters its predecessors through tw(t), never
 * delta[t]. */
static double bc_bfs(bc_state *st, const int64_t *off, const int32_t *idx, const uint8_t *removed,
                     const uint8_t *flags, int64_t n_t, int32_t root, double tw_both, double mult) {
    int32_t *dist = st->dist;
    int32_t *order = st->order;
    double *sigma = st->sigma;
    double *coef = st->coef;
    int64_t remaining = n_t - ((flags[root] & CP__IN_T) ? 1 : 0);
    if (remaining == 0) {
        return 0.0;
    }
    double pairs = 0.0;
    int32_t head = 0, tail = 0;
    int32_t stop = INT32_MAX; /* nodes at this level or deeper are not expanded */
    dist[root] = 0;
    sigma[root] = 1.0;
    order[tail++] = root;
    while (head < tail) {
        int32_t u = order[head];
        int32_t du = dist[u];
        if (du >= stop) {
            break;
        }
        head++;
        double su = sigma[u];
        for (int64_t k = off[u]; k < off[u + 1]; k++) {
            int32_t w = idx[k];
            int32_t dw = dist[w];
            if (dw < 0) {
                if (removed != NULL && removed[w]) {
                    continue;
                }
                dist[w] = du + 1;
                sigma[w] = su;
                order[tail++] = w;
                if (flags[w] & CP__IN_T) {
                    pairs += (flags[w] & CP__IN_S) ? tw_both : 1.0;
                    if (--remaining == 0) {
                        stop = du + 1;
                    }
                }
            } else if (dw == du + 1) {
                sigma[w] += su;
            }
        }
    }
    /* Unexpanded nodes (order[head..tail), all on level `stop`) have delta = 0. */
    for (int32_t i = head; i < tail; i++) {
        int32_t w = order[i];
        uint8_t f = flags[w];
        double tw = (f & CP__IN_T) ? ((f & CP__IN_S) ? tw_both : 1.0) : 0.0;
        coef[w] = tw / sigma[w];
    }
    double *acc = st->acc;
    for (int32_t i = head - 1; i >= 1; i--) {
        int32_t x = order[i];
        int32_t next = dist[x] + 1;
        double sum = 0.0;
        for (int64_t k = off[x]; k < off[x + 1]; k++) {
            int32_t w = idx[k];
            if (dist[w] == next) { /* removed and unreached nodes have dist -1 */
                sum += coef[w];
            }
        }
        double delta = sigma[x] * sum;
        acc[x] += mult * delta;
        uint8_t f = flags[x];
        double tw = (f & CP__IN_T) ? ((f & CP__IN_S) ? tw_both : 1.0) : 0.0;
        coef[x] = (tw + delta) / sigma[x];
    }
    for (int32_t i = 0; i < tail; i++) {
        dist[order[i]] = -1;
    }
    return pairs;
}

int32_t cp__single_successor(const int64_t *off, const int32_t *idx, const uint8_t *removed,
                             int32_t s) {
    int32_t c = -1;
    for (int64_t k = off[s]; k < off[s + 1]; k++) {
        int32_t w = idx[k];
        if (w == s || (removed != NULL && removed[w])) {
            continue;
        }
        if (c >= 0 && w != c) {
            return -1;
        }
        c = w;
    }
    return c;
}

/* A unit of betweenness work: one source (count = 0), or `count` folded sources whose only
 * successor is `root` (see cp_st_betweenness). */
typedef struct bc_task {
    int32_t root;
    int32_t count;
    uint8_t half; /* folded sources that are targets on a symmetric view */
} bc_task;

/* Runs one task; returns the weight of its connected pairs. */
static double bc_task_run(bc_state *st, const int64_t *off, const int32_t *idx,
                          const uint8_t *removed, const uint8_t *flags, bool sym, int64_t n_t,
                          const bc_task *t) {
    int32_t r = t->root;
    if (t->count == 0) {
        double tw_both = sym && (flags[r] & CP__IN_T) ? 0.5 : 1.0;
        return bc_bfs(st, off, idx, removed, flags, n_t, r, tw_both, 1.0);
    }
    /* Every folded source s reaches what r reaches, one step later, through r: its dependency
     * on x != r is r's (computed with s's pair weights), and r lies on all its pairs but (s, r).
     * Its own pair (s, s), counted in r's BFS when s is a target, is taken off. */
    double g = (double)t->count;
    double tw_both = t->half ? 0.5 : 1.0;
    double p = bc_bfs(st, off, idx, removed, flags, n_t, r, tw_both, g);
    double self = t->half ? 0.5 * g : 0.0; /* s in T: its weight there is tw_both = 1/2 */
    uint8_t f = flags[r];
    double r_weight = (f & CP__IN_T) ? ((f & CP__IN_S) ? tw_both : 1.0) : 0.0;
    st->acc[r] += g * p - self;
    return g * (p + r_weight) - self;
}

cp_status cp_st_betweenness(double *out, const cp_view *v, const uint8_t *removed,
                            const int32_t *sources, int64_t n_sources, const int32_t *targets,
                            int64_t n_targets, bool normalized, double *connected_pairs,
                            cp_error *err) {
    cp_status status = CP_OK;
    uint8_t *flags = NULL;
    int32_t *fold = NULL;
    bc_task *tasks = NULL;
    int32_t *dist = NULL, *order = NULL;
    double *sigma = NULL, *coef = NULL, *acc = NULL;
    if (connected_pairs != NULL) {
        *connected_pairs = 0.0;
    }
    if (v == NULL) {
        return cp_error_set(err, CP_E_INVALID, "cp_st_betweenness: no view");
    }
    int32_t n = v->n;
    if (n > 0 && out == NULL) {
        return cp_error_set(err, CP_E_INVALID, "cp_st_betweenness: no output array");
    }
    if (n > 0) {
        memset(out, 0, (size_t)n * sizeof *out);
    }
    flags = cp__malloc_array((size_t)n, 1);
    if (flags == NULL && n > 0) {
        status = cp_error_set(err, CP_E_NOMEM,
                              "cp_st_betweenness: out of memory (%" PRId32 " nodes)", n);
        goto cleanup;
    }
    int64_t n_s = 0, n_t = 0;
    CP_TRY(cp__st_mark(flags, &n_s, &n_t, n, removed, sources, n_sources, targets, n_targets, err));
    if (n_s == 0 || n_t == 0) {
        goto cleanup;
    }
    bool sym = !v->directed;
    const int64_t *off = v->offsets;
    const int32_t *idx = v->indices;
    /* Source folding: a source s whose out-entries all lead to one node r (a leaf hanging off r on
     * a symmetric view) has, for every x != s, dist_s(x) = 1 + dist_r(x) and sigma_s(x) =
     * k sigma_r(x) (k parallel entries): one BFS from r serves every such source with the same
     * pair weights. On a directed view s may be reached from r, so only sources outside T fold
     * there (their own pair (s, s) never enters r's BFS). fold[2r + half] counts them. Tasks:
     * unfolded sources in ascending order, then folded groups by (r, half): a fixed order. */
    fold = cp__calloc(2 * (size_t)n, sizeof *fold);
    tasks = cp__malloc_array((size_t)n_s, sizeof *tasks);
    if (fold == NULL || tasks == NULL) {
        status = cp_error_set(err, CP_E_NOMEM,
                              "cp_st_betweenness: out of memory (%" PRId64 " sources)", n_s);
        goto cleanup;
    }
    int64_t n_tasks = 0;
    for (int32_t x = 0; x < n; x++) {
        if (!(flags[x] & CP__IN_S)) {
            continue;
        }
        bool in_t = (flags[x] & CP__IN_T) != 0;
        int32_t r = sym || !in_t ? cp__single_successor(off, idx, removed, x) : -1;
        if (r >= 0) {
            fold[2 * (size_t)r + (sym && in_t ? 1 : 0)]++;
        } else {
            tasks[n_tasks++] = (bc_task){x, 0, 0};
        }
    }
    for (size_t k = 0; k < 2 * (size_t)n; k++) {
        if (fold[k] > 0) {
            tasks[n_tasks++] = (bc_task){(int32_t)(k / 2), fold[k], (uint8_t)(k % 2)};
        }
    }
    int64_t n_chunks = n_tasks < CHUNKS ? n_tasks : CHUNKS;
    int n_threads = omp_get_max_threads();
    if (n_threads > n_chunks) {
        n_threads = (int)n_chunks;
    }
    if (n_threads < 1 || (double)n_tasks * (double)(v->m + n) < PAR_MIN_WORK) {
        n_threads = 1;
    }
    size_t cells = (size_t)n_threads * (size_t)n;
    dist = cp__malloc_array(cells, sizeof *dist);
    order = cp__malloc_array(cells, sizeof *order);
    sigma = cp__malloc_array(cells, sizeof *sigma);
    coef = cp__malloc_array(cells, sizeof *coef);
    acc = cp__malloc_array(cells, sizeof *acc);
    if (dist == NULL || order == NULL || sigma == NULL || coef == NULL || acc == NULL) {
        status = cp_error_set(err, CP_E_NOMEM,
                              "cp_st_betweenness: out of memory for %d threads x %" PRId32
                              " nodes of work space",
                              n_threads, n);
        goto cleanup;
    }
    for (size_t i = 0; i < cells; i++) {
        dist[i] = -1;
    }
    double pairs = 0.0;
#pragma omp parallel num_threads(n_threads)
    {
        size_t base = (size_t)omp_get_thread_num() * (size_t)n;
        bc_state st = {dist + base, order + base, sigma + base, coef + base, acc + base};
#pragma omp for schedule(dynamic, 1) ordered
        for (int64_t c = 0; c < n_chunks; c++) {
            int64_t lo = c * n_tasks / n_chunks;
            int64_t hi = (c + 1) * n_tasks / n_chunks;
            memset(st.acc, 0, (size_t)n * sizeof *st.acc);
            double chunk_pairs = 0.0;
            for (int64_t i = lo; i < hi; i++) {
                chunk_pairs += bc_task_run(&st, off, idx, removed, flags, sym, n_t, &tasks[i]);
            }
#pragma omp ordered
            {
                for (int32_t x = 0; x < n; x++) {
                    out[x] += st.acc[x];
                }
                pairs += chunk_pairs;
            }
        }
    }
    if (normalized && pairs > 0.0) {
        for (int32_t x = 0; x < n; x++) {
            out[x] /= pairs;
        }
    }
    if (connected_pairs != NULL) {
        *connected_pairs = pairs;
    }
cleanup:
    if (status < 0 && n > 0 && out != NULL) {
        memset(out, 0, (size_t)n * sizeof *out);
    }
    cp__free(flags);
    cp__free(fold);
    cp__free(tasks);
    cp__free(dist);
    cp__free(order);
    cp__free(sigma);
    cp__free(coef);
    cp__free(acc);
    return status;
}

/* ---- connected S-T pairs ---- */

static int popcount64(uint64_t x) {
#if defined(__GNUC__)
    return __builtin_popcountll(x);
#else
    int c = 0;
    while (x) {
        x &= x - 1;
        c++;
    }
    return c;
#endif
}

/* Per-thread state of the multi-source BFS. */
typedef struct ms_state {
    uint64_t *seen;    /* bit j: reached from the batch's source j */
    uint64_t *pend;    /* bits reached at the current level, still to propagate */
    uint64_t *npend;   /* bits reached at the next level */
    int32_t *frontier; /* nodes with pend != 0 */
    int32_t *next;     /* nodes with npend != 0 */
    int32_t *touched;  /* nodes with seen != 0 (to reset) */
} ms_state;

/* Multi-source BFS from up to 64 sources at once (one bit each, Then et al. 2014, "The more the
 * merrier: efficient multi-source graph traversal"): every node propagates, per level, only the
 * bits it gained at the previous level. Returns the number of pairs (batch source, target t),
 * t != source, with t reached. */
static int64_t ms_batch(ms_state *st, const int64_t *off, const int32_t *idx,
                        const uint8_t *removed, const uint8_t *flags, const int32_t *batch, int nb,
                        const int32_t *tgt, int64_t n_t) {
    uint64_t *seen = st->seen, *pend = st->pend, *npend = st->npend;
    int32_t *frontier = st->frontier, *next = st->next;
    int32_t nf = 0, nt = 0;
    int64_t self = 0;
    for (int j = 0; j < nb; j++) {
        int32_t s = batch[j];
        seen[s] = 1ULL << j;
        pend[s] = 1ULL << j;
        frontier[nf++] = s;
        st->touched[nt++] = s;
        self += (flags[s] & CP__IN_T) ? 1 : 0;
    }
    while (nf > 0) {
        int32_t nn = 0;
        for (int32_t i = 0; i < nf; i++) {
            int32_t u = frontier[i];
            uint64_t bits = pend[u];
            pend[u] = 0;
            for (int64_t k = off[u]; k < off[u + 1]; k++) {
                int32_t w = idx[k];
                uint64_t gain = bits & ~seen[w];
                if (gain == 0 || (removed != NULL && removed[w])) {
                    continue;
                }
                if (seen[w] == 0) {
                    st->touched[nt++] = w;
                }
                seen[w] |= gain;
                if (npend[w] == 0) {
                    next[nn++] = w;
                }
                npend[w] |= gain;
            }
        }
        uint64_t *tp = pend;
        pend = npend;
        npend = tp;
        int32_t *tf = frontier;
        frontier = next;
        next = tf;
        nf = nn;
    }
    int64_t count = -self; /* a source that is a target reaches itself trivially: not a pair */
    for (int64_t i = 0; i < n_t; i++) {
        count += popcount64(seen[tgt[i]]);
    }
    for (int32_t i = 0; i < nt; i++) {
        seen[st->touched[i]] = 0;
    }
    return count;
}

cp_status cp_st_pairs(double *connected, const cp_view *v, const uint8_t *removed,
                      const int32_t *sources, int64_t n_sources, const int32_t *targets,
                      int64_t n_targets, cp_error *err) {
    cp_status status = CP_OK;
    uint8_t *flags = NULL;
    int32_t *src = NULL, *tgt = NULL;
    uint64_t *bits = NULL;
    int32_t *lists = NULL;
    if (connected == NULL) {
        return cp_error_set(err, CP_E_INVALID, "cp_st_pairs: no output");
    }
    *connected = 0.0;
    if (v == NULL) {
        return cp_error_set(err, CP_E_INVALID, "cp_st_pairs: no view");
    }
    int32_t n = v->n;
    flags = cp__malloc_array((size_t)n, 1);
    if (flags == NULL && n > 0) {
        status = cp_error_set(err, CP_E_NOMEM, "cp_st_pairs: out of memory (%" PRId32 " nodes)", n);
        goto cleanup;
    }
    int64_t n_s = 0, n_t = 0;
    CP_TRY(cp__st_mark(flags, &n_s, &n_t, n, removed, sources, n_sources, targets, n_targets, err));
    if (n_s == 0 || n_t == 0) {
        goto cleanup;
    }
    src = cp__malloc_array((size_t)n_s, sizeof *src);
    tgt = cp__malloc_array((size_t)n_t, sizeof *tgt);
    if (src == NULL || tgt == NULL) {
        status = cp_error_set(err, CP_E_NOMEM, "cp_st_pairs: out of memory");
        goto cleanup;
    }
    for (int32_t x = 0, ks = 0, kt = 0; x < n; x++) {
        if (flags[x] & CP__IN_S) {
            src[ks++] = x;
        }
        if (flags[x] & CP__IN_T) {
            tgt[kt++] = x;
        }
    }
    int64_t n_batches = (n_s + 63) / 64;
    int n_threads = omp_get_max_threads();
    if (n_threads > n_batches) {
        n_threads = (int)n_batches;
    }
    if (n_threads < 1 || (double)n_batches * (double)(v->m + n) < PAR_MIN_WORK) {
        n_threads = 1;
    }
    size_t cells = (size_t)n_threads * (size_t)n;
    bits = cp__calloc(cells * 3, sizeof *bits);
    lists = cp__malloc_array(cells * 3, sizeof *lists);
    if (bits == NULL || lists == NULL) {
        status = cp_error_set(err, CP_E_NOMEM,
                              "cp_st_pairs: out of memory for %d threads x %" PRId32 " nodes",
                              n_threads, n);
        goto cleanup;
    }
    int64_t total = 0;
    const int64_t *off = v->offsets;
    const int32_t *idx = v->indices;
#pragma omp parallel num_threads(n_threads) reduction(+ : total)
    {
        size_t base = (size_t)omp_get_thread_num() * 3 * (size_t)n;
        ms_state st = {bits + base,  bits + base + n,  bits + base + 2 * (size_t)n,
                       lists + base, lists + base + n, lists + base + 2 * (size_t)n};
#pragma omp for schedule(dynamic, 1)
        for (int64_t b = 0; b < n_batches; b++) {
            int64_t lo = b * 64;
            int nb = (int)(n_s - lo < 64 ? n_s - lo : 64);
            total += ms_batch(&st, off, idx, removed, flags, src + lo, nb, tgt, n_t);
        }
    }
    *connected = (double)total;
cleanup:
    cp__free(flags);
    cp__free(src);
    cp__free(tgt);
    cp__free(bits);
    cp__free(lists);
    return status;
}
