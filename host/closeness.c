/* Closeness and harmonic centrality on CSR views, CPU backend (include/chokepoint/distance.h).
 *
 * Every node's score comes from the distances of one single-source search (from the node, on the
 * reverse CSC for incoming distance). The searches are independent, so the nodes are split among
 * threads in any way and every value is bit-identical at any thread count.
 *
 * Hops: a bit-parallel BFS (Then et al. 2014, "The more the merrier") runs the searches of 64
 * sources at once, one bit per source in a 64-bit word per node: per level, a node passes on only
 * the bits it gained at the previous level, so an edge is read once per level at which its tail
 * gained bits, not once per source. The newly reached (node, source) pairs of a level are counted
 * per source; a source's distance sum is an exact integer and its harmonic sum adds count / d once
 * per level.
 *
 * Other lengths: Dijkstra's algorithm with an indexed binary heap (decrease-key), so the heap
 * holds at most n entries; only the nodes a search touched are reset after it. The harmonic sum
 * adds count / d once per run of equal distances in settling order (non-decreasing), so on unit
 * lengths it gives bit for bit what the BFS gives. */
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <omp.h>

#include "alloc.h"
#include "chokepoint/distance.h"

/* Below this many edge visits (searches x (m + n)) the work runs on one thread. */
#define PAR_MIN_WORK 1e6

/* Sources per bit-parallel batch (bits in a word). */
#define BATCH 64

void cp_closeness_opts_init(cp_closeness_opts *o) {
    if (o != NULL) {
        memset(o, 0, sizeof *o);
        o->length = CP_LENGTH_HOPS;
        o->direction = CP_DISTANCE_IN;
    }
}

/* The three numbers each search yields for its source u. */
typedef struct search_sums {
    int64_t reached; /* r - 1: nodes other than u in R(u) */
    double dist_sum; /* D(u) */
    double harm_sum; /* sum of 1 / d over d > 0 */
} search_sums;

/* Writes u's scores from its search (see distance.h for the formulas; the operations follow
 * networkx's order so that values agree to the last bit where the distances do). */
static void finish(double *closeness, double *harmonic, int32_t u, const search_sums *s, int32_t n,
                   const cp_closeness_opts *o) {
    if (closeness != NULL) {
        double c = 0.0;
        if (s->dist_sum > 0.0 && n > 1) {
            double rm1 = (double)s->reached;
            c = rm1 / s->dist_sum;
            if (!o->per_component) {
                c *= rm1 / (double)(n - 1);
            }
        }
        closeness[u] = c;
    }
    if (harmonic != NULL) {
        double h = n > 1 ? s->harm_sum : 0.0;
        if (o->normalized && n > 1) {
            h /= (double)(n - 1);
        }
        harmonic[u] = h;
    }
}

/* True when row u of (off, idx, len) has an entry that a search can follow: to another node that
 * is not removed, with a finite length (len NULL: hops). Sources without one score 0 and need no
 * search. */
static bool has_exit(const int64_t *off, const int32_t *idx, const double *len,
                     const uint8_t *removed, int32_t u) {
    for (int64_t k = off[u]; k < off[u + 1]; k++) {
        int32_t w = idx[k];
        if (w != u && (removed == NULL || !removed[w]) && (len == NULL || !isinf(len[k]))) {
            return true;
        }
    }
    return false;
}

/* ---- hops: bit-parallel BFS ---- */

/* Index of the lowest set bit of x (x != 0). */
static int lowest_bit(uint64_t x) {
#if defined(__GNUC__)
    return __builtin_ctzll(x);
#else
    int i = 0;
    while (!(x & 1u)) {
        x >>= 1;
        i++;
    }
    return i;
#endif
}

/* Per-thread state, O(n) each. Between batches pend and npend are 0 everywhere, and seen is 0 at
 * every node but the removed ones, where it stays all ones: no bit is ever gained there, so the
 * inner loop needs no test for removal. */
typedef struct ms_state {
    uint64_t *seen;    /* bit j: reached from the batch's source j */
    uint64_t *pend;    /* bits gained at the current level, still to pass on */
    uint64_t *npend;   /* bits gained at the next level */
    int32_t *frontier; /* nodes with pend != 0 */
    int32_t *next;     /* nodes with npend != 0 */
    int32_t *touched;  /* nodes with seen != 0 (to reset) */
} ms_state;

/* BFS from the nb <= 64 sources batch[0..nb) at once; sums[j] receives source j's numbers. */
static void ms_batch(ms_state *st, const int64_t *off, const int32_t *idx, const int32_t *batch,
                     int nb, search_sums *sums) {
    uint64_t *seen = st->seen, *pend = st->pend, *npend = st->npend;
    int32_t *frontier = st->frontier, *next = st->next, *touched = st->touched;
    int32_t nf = 0, nt = 0;
    int64_t count[BATCH]; /* pairs (node, source j) reached at the current level */
    for (int j = 0; j < nb; j++) {
        int32_t s = batch[j];
        seen[s] = 1ULL << j;
        pend[s] = 1ULL << j;
        frontier[nf++] = s;
        touched[nt++] = s;
        sums[j] = (search_sums){0, 0.0, 0.0};
        count[j] = 0;
    }
    int64_t level = 0;
    while (nf > 0) {
        level++;
        int32_t nn = 0;
        for (int32_t i = 0; i < nf; i++) {
            int32_t u = frontier[i];
            uint64_t bits = pend[u];
            pend[u] = 0;
            for (int64_t k = off[u]; k < off[u + 1]; k++) {
                int32_t w = idx[k];
                uint64_t gain = bits & ~seen[w];
                if (gain == 0) {
                    continue;
                }
                if (seen[w] == 0) {
                    touched[nt++] = w;
                }
                seen[w] |= gain;
                if (npend[w] == 0) {
                    next[nn++] = w;
                }
                npend[w] |= gain;
            }
        }
        /* Every bit gained at this level is one (node, source) pair at distance `level`. */
        for (int32_t i = 0; i < nn; i++) {
            uint64_t g = npend[next[i]];
            while (g != 0) {
                count[lowest_bit(g)]++;
                g &= g - 1;
            }
        }
        double d = (double)level;
        for (int j = 0; j < nb; j++) {
            if (count[j] > 0) {
                sums[j].reached += count[j];
                sums[j].dist_sum += (double)(count[j] * level); /* exact: below 2^53 */
                sums[j].harm_sum += (double)count[j] / d;
                count[j] = 0;
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
    /* pend and npend are all 0 again (every bit was cleared when passed on, and the last level
     * gained none), whichever buffer the swaps left them in. */
    for (int32_t i = 0; i < nt; i++) {
        seen[touched[i]] = 0;
    }
}

/* ---- other lengths: Dijkstra ---- */

/* Per-thread state, O(n) each. Between searches pos is -1 everywhere and dist is +inf, except at
 * removed nodes, where it stays -inf: no tentative distance is ever below it, so the inner loop
 * needs no test for removal. */
typedef struct dj_state {
    double *dist;   /* tentative or final distance */
    int32_t *pos;   /* index in heap, -1 never reached, SETTLED once final */
    int32_t *heap;  /* binary min-heap of nodes keyed by dist */
    int32_t *order; /* settled nodes (to reset) */
} dj_state;

#define SETTLED (-2)

static void heap_up(dj_state *st, int32_t i) {
    int32_t *heap = st->heap;
    int32_t x = heap[i];
    double dx = st->dist[x];
    while (i > 0) {
        int32_t p = (i - 1) / 2;
        int32_t y = heap[p];
        if (st->dist[y] <= dx) {
            break;
        }
        heap[i] = y;
        st->pos[y] = i;
        i = p;
    }
    heap[i] = x;
    st->pos[x] = i;
}

static void heap_down(dj_state *st, int32_t i, int32_t size) {
    int32_t *heap = st->heap;
    int32_t x = heap[i];
    double dx = st->dist[x];
    for (;;) {
        int32_t c = 2 * i + 1;
        if (c >= size) {
            break;
        }
        if (c + 1 < size && st->dist[heap[c + 1]] < st->dist[heap[c]]) {
            c++;
        }
        int32_t y = heap[c];
        if (st->dist[y] >= dx) {
            break;
        }
        heap[i] = y;
        st->pos[y] = i;
        i = c;
    }
    heap[i] = x;
    st->pos[x] = i;
}

/* Dijkstra from s over (off, idx, len); returns s's numbers. The relaxation test alone keeps the
 * search right: an entry of +inf length gives du + inf, never below a tentative distance (nor
 * +inf); a settled node w has dist[w] <= du <= du + len (lengths are >= 0, or -0.0); a removed
 * node has -inf. */
static search_sums dijkstra(dj_state *st, const int64_t *off, const int32_t *idx, const double *len,
                            int32_t s) {
    double *dist = st->dist;
    int32_t *pos = st->pos, *heap = st->heap, *order = st->order;
    search_sums out = {0, 0.0, 0.0};
    int32_t size = 0, settled = 0;
    dist[s] = 0.0;
    heap[size++] = s;
    pos[s] = 0;
    double run_d = 0.0; /* the current run of equal distances, and its length */
    int64_t run_count = 0;
    while (size > 0) {
        int32_t u = heap[0];
        if (--size > 0) {
            heap[0] = heap[size];
            heap_down(st, 0, size);
        }
        pos[u] = SETTLED;
        order[settled++] = u;
        double du = dist[u];
        if (u != s) {
            out.reached++;
            out.dist_sum += du;
            if (du > 0.0) {
                if (du != run_d) {
                    if (run_count > 0) {
                        out.harm_sum += (double)run_count / run_d;
                    }
                    run_d = du;
                    run_count = 0;
                }
                run_count++;
            }
        }
        for (int64_t k = off[u]; k < off[u + 1]; k++) {
            int32_t w = idx[k];
            double nd = du + len[k];
            if (nd < dist[w]) {
                dist[w] = nd;
                if (pos[w] < 0) { /* -1: first reached (a settled node never gets here) */
                    heap[size] = w;
                    heap_up(st, size);
                    size++;
                } else {
                    heap_up(st, pos[w]);
                }
            }
        }
    }
    if (run_count > 0) {
        out.harm_sum += (double)run_count / run_d;
    }
    for (int32_t i = 0; i < settled; i++) {
        dist[order[i]] = INFINITY;
        pos[order[i]] = -1;
    }
    return out;
}

/* ---- entry points ---- */

static int thread_count(int64_t tasks, double work) {
    int t = omp_get_max_threads();
    if (t > tasks) {
        t = (int)tasks;
    }
    if (t < 1 || work < PAR_MIN_WORK) {
        t = 1;
    }
    return t;
}

/* Bit-parallel BFS over the sources src[0..n_src). */
static cp_status run_hops(double *closeness, double *harmonic, const int64_t *off,
                          const int32_t *idx, const uint8_t *removed, const int32_t *src,
                          int64_t n_src, int32_t n, int64_t m, const cp_closeness_opts *o,
                          cp_error *err) {
    cp_status status = CP_OK;
    uint64_t *bits = NULL;
    int32_t *lists = NULL;
    int64_t n_batches = (n_src + BATCH - 1) / BATCH;
    int n_threads = thread_count(n_batches, (double)n_batches * (double)(m + n));
    size_t cells = (size_t)n_threads * (size_t)n;
    bits = cp__calloc(cells * 3, sizeof *bits);
    lists = cp__malloc_array(cells * 3, sizeof *lists);
    if (bits == NULL || lists == NULL) {
        status = cp_error_set(err, CP_E_NOMEM,
                              "cp_closeness: out of memory for %d threads x %" PRId32 " nodes",
                              n_threads, n);
        goto cleanup;
    }
    if (removed != NULL) {
        for (size_t t = 0; t < (size_t)n_threads; t++) {
            uint64_t *seen = bits + t * 3 * (size_t)n;
            for (int32_t i = 0; i < n; i++) {
                seen[i] = removed[i] ? ~0ULL : 0;
            }
        }
    }
#pragma omp parallel num_threads(n_threads)
    {
        size_t base = (size_t)omp_get_thread_num() * 3 * (size_t)n;
        ms_state st = {bits + base,  bits + base + n,  bits + base + 2 * (size_t)n,
                       lists + base, lists + base + n, lists + base + 2 * (size_t)n};
        search_sums sums[BATCH];
#pragma omp for schedule(dynamic, 1)
        for (int64_t b = 0; b < n_batches; b++) {
            int64_t lo = b * BATCH;
            int nb = (int)(n_src - lo < BATCH ? n_src - lo : BATCH);
            ms_batch(&st, off, idx, src + lo, nb, sums);
            for (int j = 0; j < nb; j++) {
                finish(closeness, harmonic, src[lo + j], &sums[j], n, o);
            }
        }
    }
cleanup:
    cp__free(bits);
    cp__free(lists);
    return status;
}

/* One Dijkstra per source src[0..n_src). */
static cp_status run_dijkstra(double *closeness, double *harmonic, const int64_t *off,
                              const int32_t *idx, const double *len, const uint8_t *removed,
                              const int32_t *src, int64_t n_src, int32_t n, int64_t m,
                              const cp_closeness_opts *o, cp_error *err) {
    cp_status status = CP_OK;
    double *dist = NULL;
    int32_t *ints = NULL;
    int n_threads = thread_count(n_src, (double)n_src * (double)(m + n));
    size_t cells = (size_t)n_threads * (size_t)n;
    dist = cp__malloc_array(cells, sizeof *dist);
    ints = cp__malloc_array(cells * 3, sizeof *ints);
    if (dist == NULL || ints == NULL) {
        status = cp_error_set(err, CP_E_NOMEM,
                              "cp_closeness: out of memory for %d threads x %" PRId32 " nodes",
                              n_threads, n);
        goto cleanup;
    }
    for (size_t t = 0; t < (size_t)n_threads; t++) {
        double *d = dist + t * (size_t)n;
        int32_t *pos = ints + t * 3 * (size_t)n;
        for (int32_t i = 0; i < n; i++) {
            d[i] = removed != NULL && removed[i] ? -INFINITY : INFINITY;
            pos[i] = -1;
        }
    }
#pragma omp parallel num_threads(n_threads)
    {
        size_t t = (size_t)omp_get_thread_num();
        int32_t *base = ints + t * 3 * (size_t)n;
        dj_state st = {dist + t * (size_t)n, base, base + n, base + 2 * (size_t)n};
#pragma omp for schedule(dynamic, 16)
        for (int64_t i = 0; i < n_src; i++) {
            search_sums s = dijkstra(&st, off, idx, len, src[i]);
            finish(closeness, harmonic, src[i], &s, n, o);
        }
    }
cleanup:
    cp__free(dist);
    cp__free(ints);
    return status;
}

cp_status cp_closeness_harmonic(double *closeness, double *harmonic, const cp_view *v,
                                const uint8_t *removed, const cp_closeness_opts *opts,
                                cp_error *err) {
    cp_status status = CP_OK;
    double *len = NULL;
    int32_t *src = NULL;
    cp_closeness_opts o;
    cp_closeness_opts_init(&o);
    if (opts != NULL) {
        o = *opts;
    }
    if (v == NULL) {
        return cp_error_set(err, CP_E_INVALID, "cp_closeness: no view");
    }
    int32_t n = v->n;
    if (n > 0 && closeness == NULL && harmonic == NULL) {
        return cp_error_set(err, CP_E_INVALID, "cp_closeness: no output array");
    }
    if (n > 0 && closeness != NULL) {
        memset(closeness, 0, (size_t)n * sizeof *closeness);
    }
    if (n > 0 && harmonic != NULL) {
        memset(harmonic, 0, (size_t)n * sizeof *harmonic);
    }
    if ((unsigned)o.length > (unsigned)CP_LENGTH_NEGLOG) {
        return cp_error_set(err, CP_E_INVALID,
                            "cp_closeness: length %d is not hops, weight, inverse or neglog",
                            (int)o.length);
    }
    if (o.direction != CP_DISTANCE_IN && o.direction != CP_DISTANCE_OUT) {
        return cp_error_set(err, CP_E_INVALID, "cp_closeness: direction %d is not in or out",
                            (int)o.direction);
    }
    /* Incoming distance to u = outgoing distance from u in the reversed graph: search the reverse
     * CSC. A symmetric view aliases the two. */
    bool in = o.direction == CP_DISTANCE_IN && v->directed;
    const int64_t *off = in ? v->rev_offsets : v->offsets;
    const int32_t *idx = in ? v->rev_indices : v->indices;
    bool hops = o.length == CP_LENGTH_HOPS;
    if (!hops) {
        len = cp__malloc_array((size_t)v->m, sizeof *len);
        if (len == NULL && v->m > 0) {
            status = cp_error_set(err, CP_E_NOMEM,
                                  "cp_closeness: out of memory for %" PRId64 " lengths", v->m);
            goto cleanup;
        }
        /* Lengths of the searched side only: a shallow copy whose out-CSR is the reverse CSC. */
        cp_view side = *v;
        if (in) {
            side.offsets = v->rev_offsets;
            side.indices = v->rev_indices;
            side.weights = v->rev_weights;
            side.edge_ids = v->rev_edge_ids;
        }
        status = cp_view_lengths(len, NULL, &side, o.length, err);
        if (status < 0) {
            if (err != NULL) {
                char msg[CP_ERROR_MSG_SIZE];
                snprintf(msg, sizeof msg, "%s", err->msg);
                cp_error_set(err, status, "cp_closeness%s: %s", in ? " (reverse CSC)" : "", msg);
            }
            goto cleanup;
        }
    }
    if (n <= 1) {
        goto cleanup; /* no other node: every score is 0 */
    }
    /* Sources: non-removed nodes with an edge to follow, in ascending order. */
    src = cp__malloc_array((size_t)n, sizeof *src);
    if (src == NULL) {
        status =
            cp_error_set(err, CP_E_NOMEM, "cp_closeness: out of memory (%" PRId32 " nodes)", n);
        goto cleanup;
    }
    int64_t n_src = 0;
    for (int32_t u = 0; u < n; u++) {
        if ((removed == NULL || !removed[u]) && has_exit(off, idx, len, removed, u)) {
            src[n_src++] = u;
        }
    }
    if (n_src == 0) {
        goto cleanup;
    }
    if (hops) {
        CP_TRY(run_hops(closeness, harmonic, off, idx, removed, src, n_src, n, v->m, &o, err));
    } else {
        CP_TRY(run_dijkstra(closeness, harmonic, off, idx, len, removed, src, n_src, n, v->m, &o,
                            err));
    }
cleanup:
    if (status < 0) {
        if (closeness != NULL) {
            memset(closeness, 0, (size_t)n * sizeof *closeness);
        }
        if (harmonic != NULL) {
            memset(harmonic, 0, (size_t)n * sizeof *harmonic);
        }
    }
    cp__free(len);
    cp__free(src);
    return status;
}

cp_status cp_closeness(double *out, const cp_view *v, const uint8_t *removed,
                       const cp_closeness_opts *opts, cp_error *err) {
    if (v != NULL && v->n > 0 && out == NULL) {
        return cp_error_set(err, CP_E_INVALID, "cp_closeness: no output array");
    }
    return cp_closeness_harmonic(out, NULL, v, removed, opts, err);
}

cp_status cp_harmonic(double *out, const cp_view *v, const uint8_t *removed,
                      const cp_closeness_opts *opts, cp_error *err) {
    if (v != NULL && v->n > 0 && out == NULL) {
        return cp_error_set(err, CP_E_INVALID, "cp_harmonic: no output array");
    }
    return cp_closeness_harmonic(NULL, out, v, removed, opts, err);
}
