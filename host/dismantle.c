/* Collective influence and the CoreHD score on CSR views, CPU backend (include/
 * chokepoint/dismantle.h).
 *
 * Both read the view as undirected: a node's neighbours are its out-row plus, on a directed view,
 * its in-row, without itself and without removed nodes, each distinct neighbour once. Duplicates
 * (parallel entries, an edge stored both ways) are skipped with a per-thread stamp array:
 * stamp[w] == u while node u's neighbourhood is being read.
 *
 * Numeric types: degrees are int32 (at most n - 1); the collective-influence boundary sum is
 * int64 (at most n * n) and converted to double once, exactly for any realistic n. Each score is
 * computed by one thread alone, so results are bit-identical at any thread count. */
#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

#include <omp.h>

#include "alloc.h"
#include "chokepoint/dismantle.h"

/* Below this many nodes the loops stay on one thread (a parallel region costs more). */
#define PAR_MIN_N 2048

/* Checks the arguments shared by both scores. */
static cp_status check_args(const char *fn, double *score, const cp_view *v, cp_error *err) {
    if (v == NULL) {
        return cp_error_set(err, CP_E_INVALID, "%s: no view", fn);
    }
    if (v->n < 0) {
        return cp_error_set(err, CP_E_INVALID, "%s: view has %" PRId32 " nodes", fn, v->n);
    }
    if (v->n > 0 && score == NULL) {
        return cp_error_set(err, CP_E_INVALID, "%s: no output array", fn);
    }
    return CP_OK;
}

static inline bool present(const uint8_t *removed, int32_t x) {
    return removed == NULL || !removed[x];
}

/* The distinct present neighbours of u other than u, counted with stamp (n entries, none equal to
 * u on entry; entries of counted neighbours equal u on return). */
static int32_t distinct_degree(const cp_view *v, const uint8_t *removed, int32_t u,
                               int32_t *stamp) {
    int32_t k = 0;
    for (int pass = 0; pass < (v->directed ? 2 : 1); pass++) {
        const int64_t *off = pass == 0 ? v->offsets : v->rev_offsets;
        const int32_t *idx = pass == 0 ? v->indices : v->rev_indices;
        for (int64_t e = off[u]; e < off[u + 1]; e++) {
            int32_t w = idx[e];
            if (w == u || !present(removed, w) || stamp[w] == u) {
                continue;
            }
            stamp[w] = u;
            k++;
        }
    }
    return k;
}

/* Fills deg[u] (distinct-neighbour degree, 0 for removed nodes) using nt per-thread stamp arrays
 * of n entries each (all -1 on entry; left holding node indices). */
static void degrees(int32_t *deg, const cp_view *v, const uint8_t *removed, int32_t *stamps,
                    int nt) {
    int32_t n = v->n;
#pragma omp parallel num_threads(nt) if (nt > 1)
    {
        int32_t *stamp = stamps + (size_t)omp_get_thread_num() * (size_t)n;
#pragma omp for schedule(static)
        for (int32_t u = 0; u < n; u++) {
            deg[u] = present(removed, u) ? distinct_degree(v, removed, u, stamp) : 0;
        }
    }
}

/* Breadth-first search from i to depth radius; returns the sum of (deg[j] - 1) over the nodes j at
 * distance exactly radius. dist (n entries, all -1 on entry and on return) and queue (n entries)
 * are the thread's workspace. Invariant: queue[0..tail) holds the nodes reached, in non-decreasing
 * distance; dist of each is set. */
static int64_t boundary_sum(const cp_view *v, const uint8_t *removed, const int32_t *deg, int32_t i,
                            int radius, int32_t *dist, int32_t *queue) {
    int64_t head = 0, tail = 0, sum = 0;
    dist[i] = 0;
    queue[tail++] = i;
    while (head < tail) {
        int32_t u = queue[head++];
        if (dist[u] == radius) {
            sum += deg[u] - 1;
            continue; /* the boundary is not expanded */
        }
        for (int pass = 0; pass < (v->directed ? 2 : 1); pass++) {
            const int64_t *off = pass == 0 ? v->offsets : v->rev_offsets;
            const int32_t *idx = pass == 0 ? v->indices : v->rev_indices;
            for (int64_t e = off[u]; e < off[u + 1]; e++) {
                int32_t w = idx[e];
                if (dist[w] >= 0 || !present(removed, w)) {
                    continue;
                }
                dist[w] = dist[u] + 1;
                queue[tail++] = w;
            }
        }
    }
    for (int64_t q = 0; q < tail; q++) {
        dist[queue[q]] = -1;
    }
    return sum;
}

cp_status cp_collective_influence(double *score, const cp_view *v, const uint8_t *removed,
                                  int radius, cp_error *err) {
    cp_status status = check_args("cp_collective_influence", score, v, err);
    if (status != CP_OK) {
        return status;
    }
    if (radius < 1) {
        return cp_error_set(err, CP_E_INVALID,
                            "cp_collective_influence: radius %d is below 1 (the default is 2)",
                            radius);
    }
    int32_t n = v->n;
    if (n == 0) {
        return CP_OK;
    }
    memset(score, 0, (size_t)n * sizeof *score);
    int nt = n >= PAR_MIN_N ? omp_get_max_threads() : 1;
    if (nt < 1) {
        nt = 1;
    }
    int32_t *deg = NULL, *dist = NULL, *queue = NULL;
    deg = cp__malloc_array((size_t)n, sizeof *deg);
    dist = cp__malloc_array((size_t)nt * (size_t)n, sizeof *dist);
    queue = cp__malloc_array((size_t)nt * (size_t)n, sizeof *queue);
    if (deg == NULL || dist == NULL || queue == NULL) {
        status = cp_error_set(err, CP_E_NOMEM,
                              "cp_collective_influence: no memory for %" PRId32 " nodes", n);
        goto cleanup;
    }
    memset(dist, 0xff, (size_t)nt * (size_t)n * sizeof *dist); /* every entry -1 */
    degrees(deg, v, removed, dist, nt);
    memset(dist, 0xff, (size_t)nt * (size_t)n * sizeof *dist);
#pragma omp parallel num_threads(nt) if (nt > 1)
    {
        size_t t = (size_t)omp_get_thread_num();
        int32_t *my_dist = dist + t * (size_t)n, *my_queue = queue + t * (size_t)n;
#pragma omp for schedule(dynamic, 64)
        for (int32_t i = 0; i < n; i++) {
            if (deg[i] <= 1) {
                continue; /* k_i - 1 <= 0: removed, isolated or leaf; score stays 0 */
            }
            int64_t s = boundary_sum(v, removed, deg, i, radius, my_dist, my_queue);
            score[i] = (double)(deg[i] - 1) * (double)s;
        }
    }
    status = CP_OK;
cleanup:
    cp__free(deg);
    cp__free(dist);
    cp__free(queue);
    return status;
}

cp_status cp_corehd_score(double *score, const cp_view *v, const uint8_t *removed, cp_error *err) {
    cp_status status = check_args("cp_corehd_score", score, v, err);
    if (status != CP_OK) {
        return status;
    }
    int32_t n = v->n;
    if (n == 0) {
        return CP_OK;
    }
    memset(score, 0, (size_t)n * sizeof *score);
    int32_t *deg = NULL, *stamp = NULL, *queue = NULL;
    uint8_t *out = NULL;
    deg = cp__malloc_array((size_t)n, sizeof *deg);
    stamp = cp__malloc_array((size_t)n, sizeof *stamp);
    queue = cp__malloc_array((size_t)n, sizeof *queue);
    out = cp__malloc_array((size_t)n, sizeof *out);
    if (deg == NULL || stamp == NULL || queue == NULL || out == NULL) {
        status =
            cp_error_set(err, CP_E_NOMEM, "cp_corehd_score: no memory for %" PRId32 " nodes", n);
        goto cleanup;
    }
    memset(stamp, 0xff, (size_t)n * sizeof *stamp);
    degrees(deg, v, removed, stamp, 1);
    /* Peeling. Invariant: out[x] != 0 iff x is removed or was queued; deg[x] of a node still in
     * the core counts its distinct neighbours not yet peeled. */
    int64_t head = 0, tail = 0;
    for (int32_t u = 0; u < n; u++) {
        out[u] = !present(removed, u) || deg[u] < 2;
        if (present(removed, u) && deg[u] < 2) {
            queue[tail++] = u;
        }
    }
    memset(stamp, 0xff, (size_t)n * sizeof *stamp);
    while (head < tail) {
        int32_t u = queue[head++];
        for (int pass = 0; pass < (v->directed ? 2 : 1); pass++) {
            const int64_t *off = pass == 0 ? v->offsets : v->rev_offsets;
            const int32_t *idx = pass == 0 ? v->indices : v->rev_indices;
            for (int64_t e = off[u]; e < off[u + 1]; e++) {
                int32_t w = idx[e];
                if (out[w] || stamp[w] == u) {
                    continue; /* removed, peeled, u itself (queued), or already seen from u */
                }
                stamp[w] = u;
                if (--deg[w] < 2) {
                    out[w] = 1;
                    queue[tail++] = w;
                }
            }
        }
    }
    for (int32_t u = 0; u < n; u++) {
        score[u] = out[u] ? 0.0 : (double)deg[u];
    }
    status = CP_OK;
cleanup:
    cp__free(deg);
    cp__free(stamp);
    cp__free(queue);
    cp__free(out);
    return status;
}
