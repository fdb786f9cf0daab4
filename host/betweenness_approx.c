/* Approximate betweenness with a guarantee: Riondato and Kornaropoulos, "Fast approximation of
 * betweenness centrality through sampling" (WSDM 2014; Data Min. Knowl. Disc. 30, 2016).
 *
 * r = ceil((c / eps^2) (floor(log2(VD - 2)) + 1 + ln(1 / delta))), c = 0.5, pairs (u, v) are
 * drawn uniformly, one shortest u-v path is drawn uniformly per pair, and each inner node gets
 * 1 / r. VD bounds the vertex diameter (see include/chokepoint/betweenness.h for the bound used in
 * each case). Each sample i takes its random numbers from Philox keyed by the seed at counter i
 * (pair: round 1, draws 0 and 1; path step j: round 2, scenario j), and hits are counted in
 * integers, so the result does not depend on the thread count or the schedule.
 *
 * Hops: BFS from u that stops before expanding v's level (sigma of every node up to that level is
 * then final). Lengths: a full Dijkstra search from u with the shared repair for zero lengths. */
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include <omp.h>

#include "alloc.h"
#include "betweenness_impl.h"
#include "chokepoint/betweenness.h"
#include "philox.h"

/* Samples above this are refused (r would take years). */
#define MAX_SAMPLES ((int64_t)1 << 40)

void cp_betweenness_approx_options_init(cp_betweenness_approx_options *o) {
    memset(o, 0, sizeof *o);
    o->length = CP_LENGTH_HOPS;
    o->epsilon = 0.01;
    o->delta = 0.1;
    o->seed = 1;
}

/* floor(log2(x)) for x >= 1. */
static int floor_log2(int64_t x) {
    int r = 0;
    while (x > 1) {
        x >>= 1;
        r++;
    }
    return r;
}

/* Upper bound on the vertex diameter of the view minus removed nodes (entries with an infinite
 * length ignored). comp, queue: n scratch ints; dist: n doubles of scratch. */
static int64_t vd_bound(const cp_view *v, const uint8_t *removed, const double *len, int32_t *comp,
                        int32_t *queue, double *dist, cp__bc_ws *ws) {
    int32_t n = v->n;
    bool sym = !v->directed;
    /* Smallest positive traversable length; any zero length disables the length bound. */
    double lmin = INFINITY;
    bool zero = false;
    for (int32_t u = 0; len != NULL && u < n; u++) {
        if (removed != NULL && removed[u]) {
            continue;
        }
        for (int64_t k = v->offsets[u]; k < v->offsets[u + 1]; k++) {
            int32_t w = v->indices[k];
            double l = len[k];
            if (w == u || (removed != NULL && removed[w]) || !(l < INFINITY)) {
                continue;
            }
            if (l > 0.0) {
                lmin = l < lmin ? l : lmin;
            } else {
                zero = true;
            }
        }
    }
    for (int32_t x = 0; x < n; x++) {
        comp[x] = -1;
    }
    int64_t best = 1;
    for (int32_t root = 0; root < n; root++) {
        if (comp[root] >= 0 || (removed != NULL && removed[root])) {
            continue;
        }
        /* Weakly connected component of root by BFS (both directions); on a symmetric view with
         * hops the BFS levels are the distances from root. */
        int32_t head = 0, tail = 0;
        comp[root] = root;
        dist[root] = 0.0;
        queue[tail++] = root;
        double top1 = 0.0, top2 = 0.0; /* two largest distances among distinct nodes */
        while (head < tail) {
            int32_t u = queue[head++];
            double du = dist[u];
            if (head > 1) {
                if (du > top1) {
                    top2 = top1;
                    top1 = du;
                } else if (du > top2) {
                    top2 = du;
                }
            }
            for (int dir = 0; dir < (sym ? 1 : 2); dir++) {
                const int64_t *o = dir == 0 ? v->offsets : v->rev_offsets;
                const int32_t *ix = dir == 0 ? v->indices : v->rev_indices;
                for (int64_t k = o[u]; k < o[u + 1]; k++) {
                    int32_t w = ix[k];
                    if (comp[w] >= 0 || (removed != NULL && removed[w])) {
                        continue;
                    }
                    if (len != NULL && dir == 0 && !(len[k] < INFINITY)) {
                        continue; /* in-entries are all followed: a larger component only
                                     loosens the bound */
                    }
                    comp[w] = root;
                    dist[w] = du + 1.0;
                    queue[tail++] = w;
                }
            }
        }
        int64_t size = tail;
        int64_t b = size; /* a shortest path visits each node at most once */
        if (sym && len == NULL) {
            int64_t hb = (int64_t)(top1 + top2) + 1;
            b = hb < b ? hb : b;
        } else if (sym && !zero && lmin < INFINITY && size > 1) {
            int32_t count = cp__dijkstra_forward(ws, v->offsets, v->indices, len, root, NULL);
            if (count == size) {
                double t1 = 0.0, t2 = 0.0;
                for (int32_t i = 1; i < count; i++) {
                    double d = ws->d[ws->order[i]];
                    if (d > t1) {
                        t2 = t1;
                        t1 = d;
                    } else if (d > t2) {
                        t2 = d;
                    }
                }
                double edges = floor((t1 + t2) / lmin * (1.0 + 1e-9));
                if (edges + 1.0 < (double)b) {
                    b = (int64_t)edges + 1;
                }
            }
            cp__dijkstra_reset(ws, count);
        }
        best = b > best ? b : best;
    }
    return best;
}

/* One sample: BFS (or Dijkstra) from u, then a walk back from t choosing tight in-entries with
 * probability proportional to sigma. Adds 1 to hits[x] for every inner node. */
static void one_sample(cp__bc_ws *ws, int64_t *hits, const cp_view *v, const double *len,
                       const double *rev_len, int32_t u, int32_t t, uint64_t seed, uint64_t i) {
    const int64_t *off = v->offsets, *roff = v->rev_offsets;
    const int32_t *idx = v->indices, *ridx = v->rev_indices;
    double *sigma = ws->val;
    int32_t count;
    bool reached;
    if (len == NULL) {
        int32_t *dist = ws->dist, *order = ws->order;
        dist[u] = 0;
        sigma[u] = 1.0;
        order[0] = u;
        int32_t head = 0, tail = 1;
        while (head < tail) {
            int32_t x = order[head];
            if (dist[t] >= 0 && dist[x] >= dist[t]) {
                break; /* v's level is complete */
            }
            head++;
            int32_t next = dist[x] + 1;
            double sx = sigma[x];
            for (int64_t k = off[x]; k < off[x + 1]; k++) {
                int32_t w = idx[k];
                int32_t dw = dist[w];
                if (dw == -1) {
                    dist[w] = next;
                    sigma[w] = sx;
                    order[tail++] = w;
                } else if (dw == next) {
                    sigma[w] += sx;
                }
            }
        }
        count = tail;
        reached = dist[t] >= 0;
    } else {
        count = cp__dijkstra_forward(ws, off, idx, len, u, NULL);
        reached = ws->d[t] < INFINITY;
    }
    if (reached) {
        int32_t x = t;
        for (uint32_t step = 0; x != u; step++) {
            /* Tight in-entries p -> x, in row order; total first, then the pick. */
            double total = 0.0;
            int32_t last = -1;
            for (int64_t k = roff[x]; k < roff[x + 1]; k++) {
                int32_t p = ridx[k];
                bool tight = len == NULL ? ws->dist[p] >= 0 && ws->dist[p] == ws->dist[x] - 1
                                         : cp__dijkstra_tight(ws, p, x, rev_len[k]);
                if (tight) {
                    total += sigma[p];
                    last = p;
                }
            }
            double target = cp_rng_uniform(seed, step, 2, CP_RNG_SAMPLE, i, 0) * total;
            double cum = 0.0;
            int32_t pick = last;
            for (int64_t k = roff[x]; k < roff[x + 1]; k++) {
                int32_t p = ridx[k];
                bool tight = len == NULL ? ws->dist[p] >= 0 && ws->dist[p] == ws->dist[x] - 1
                                         : cp__dijkstra_tight(ws, p, x, rev_len[k]);
                if (tight) {
                    cum += sigma[p];
                    if (cum > target) {
                        pick = p;
                        break;
                    }
                }
            }
            x = pick;
            if (x != u) {
                hits[x]++;
            }
        }
    }
    if (len == NULL) {
        for (int32_t j = 0; j < count; j++) {
            ws->dist[ws->order[j]] = -1;
        }
    } else {
        cp__dijkstra_reset(ws, count);
    }
}

cp_status cp_betweenness_approx(double *out, cp_betweenness_approx_info *info, const cp_view *v,
                                const uint8_t *removed, const cp_betweenness_approx_options *o,
                                cp_error *err) {
    cp_status status = CP_OK;
    cp_betweenness_approx_options defaults;
    double *len = NULL, *rev_len = NULL, *scratch = NULL;
    int32_t *alive = NULL, *comp = NULL, *queue = NULL;
    int64_t *hits = NULL;
    cp__bc_ws *ws = NULL;
    int n_threads = 0;
    if (info != NULL) {
        info->samples = 0;
        info->vd_bound = 0;
    }
    if (v == NULL) {
        return cp_error_set(err, CP_E_INVALID, "cp_betweenness_approx: no view");
    }
    int32_t n = v->n;
    if (n > 0 && out == NULL) {
        return cp_error_set(err, CP_E_INVALID, "cp_betweenness_approx: no output array");
    }
    if (n > 0) {
        memset(out, 0, (size_t)n * sizeof *out);
    }
    if (o == NULL) {
        cp_betweenness_approx_options_init(&defaults);
        o = &defaults;
    }
    if (!(o->epsilon > 0.0 && o->epsilon < 1.0) || !(o->delta > 0.0 && o->delta < 1.0)) {
        return cp_error_set(err, CP_E_INVALID,
                            "cp_betweenness_approx: epsilon = %g and delta = %g must lie in (0, 1)",
                            o->epsilon, o->delta);
    }
    if ((unsigned)o->length > (unsigned)CP_LENGTH_NEGLOG) {
        return cp_error_set(err, CP_E_INVALID, "cp_betweenness_approx: unknown length mode %d",
                            (int)o->length);
    }
    bool weighted = o->length != CP_LENGTH_HOPS;
    if (weighted) {
        CP_TRY(cp__bc_lengths(&len, &rev_len, v, o->length, "cp_betweenness_approx", err));
    }
    alive = cp__malloc_array((size_t)n + 1, sizeof *alive);
    comp = cp__malloc_array((size_t)n + 1, sizeof *comp);
    queue = cp__malloc_array((size_t)n + 1, sizeof *queue);
    scratch = cp__malloc_array((size_t)n + 1, sizeof *scratch);
    if (alive == NULL || comp == NULL || queue == NULL || scratch == NULL) {
        status = cp_error_set(err, CP_E_NOMEM,
                              "cp_betweenness_approx: out of memory (%" PRId32 " nodes)", n);
        goto cleanup;
    }
    int32_t na = 0;
    for (int32_t x = 0; x < n; x++) {
        if (removed == NULL || !removed[x]) {
            alive[na++] = x;
        }
    }
    if (na < 3) {
        goto cleanup; /* no pair has an inner node */
    }
    /* One work space first (the bound may run Dijkstra), more once r is known. */
    unsigned what = weighted ? CP__WS_DIJKSTRA : CP__WS_BFS;
    CP_TRY(cp__bc_ws_new(&ws, 1, n, v->m, what, removed, "cp_betweenness_approx", err));
    n_threads = 1;
    int64_t vd = vd_bound(v, removed, len, comp, queue, scratch, ws);
    if (info != NULL) {
        info->vd_bound = vd;
    }
    if (vd <= 2) {
        goto cleanup;
    }
    double eps = o->epsilon;
    double rr = ceil(0.5 / (eps * eps) * ((double)floor_log2(vd - 2) + 1.0 + log(1.0 / o->delta)));
    if (!(rr <= (double)MAX_SAMPLES)) {
        status = cp_error_set(err, CP_E_INVALID,
                              "cp_betweenness_approx: epsilon = %g and delta = %g need %.3g "
                              "samples (more than 2^40)",
                              o->epsilon, o->delta, rr);
        goto cleanup;
    }
    int64_t r = (int64_t)rr;
    if (info != NULL) {
        info->samples = r;
    }
    int64_t n_chunks = r < CP__BC_CHUNKS ? r : CP__BC_CHUNKS;
    int want = cp__bc_threads(r, n_chunks, n, v->m);
    cp__bc_ws_free(&ws, n_threads);
    n_threads = 0;
    CP_TRY(cp__bc_ws_new(&ws, want, n, v->m, what, removed, "cp_betweenness_approx", err));
    n_threads = want;
    hits = cp__calloc((size_t)n_threads * (size_t)n, sizeof *hits);
    if (hits == NULL) {
        status = cp_error_set(err, CP_E_NOMEM, "cp_betweenness_approx: out of memory");
        goto cleanup;
    }
    uint64_t seed = o->seed;
#pragma omp parallel num_threads(n_threads)
    {
        int tid = omp_get_thread_num();
        cp__bc_ws *w = &ws[tid];
        int64_t *h = hits + (size_t)tid * (size_t)n;
#pragma omp for schedule(dynamic, 1)
        for (int64_t ch = 0; ch < n_chunks; ch++) {
            int64_t lo = ch * r / n_chunks, hi = (ch + 1) * r / n_chunks;
            for (int64_t i = lo; i < hi; i++) {
                double a = cp_rng_uniform(seed, 0, 1, CP_RNG_SAMPLE, (uint64_t)i, 0);
                double b = cp_rng_uniform(seed, 0, 1, CP_RNG_SAMPLE, (uint64_t)i, 1);
                int64_t iu = (int64_t)(a * (double)na);
                iu = iu < na ? iu : na - 1;
                int64_t it = (int64_t)(b * (double)(na - 1));
                it = it < na - 1 ? it : na - 2;
                it += it >= iu; /* uniform over the other na - 1 nodes */
                one_sample(w, h, v, len, rev_len, alive[iu], alive[it], seed, (uint64_t)i);
            }
        }
    }
    double nd = (double)n, nad = (double)na;
    double scale = (nad * (nad - 1.0)) / (nd * (nd - 1.0));
    for (int32_t x = 0; x < n; x++) {
        int64_t total = 0;
        for (int t = 0; t < n_threads; t++) {
            total += hits[(size_t)t * (size_t)n + (size_t)x];
        }
        double b = (double)total / (double)r;
        out[x] = scale == 1.0 ? b : b * scale;
    }
cleanup:
    if (status < 0 && n > 0 && out != NULL) {
        memset(out, 0, (size_t)n * sizeof *out);
    }
    cp__bc_ws_free(&ws, n_threads);
    cp__free(len);
    if (rev_len != len) {
        cp__free(rev_len);
    }
    cp__free(alive);
    cp__free(comp);
    cp__free(queue);
    cp__free(scratch);
    cp__free(hits);
    return status;
}
