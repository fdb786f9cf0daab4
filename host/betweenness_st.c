/* Source-target betweenness with lengths (include/chokepoint/betweenness.h): Brandes (2001)
 * restricted to S x T (Brandes 2008), one Dijkstra search per source; hop lengths go to
 * cp_st_betweenness (host/centrality.c), whose pair conventions this follows exactly.
 *
 * Determinism: sources in ascending order, split into min(|S|, CP__BC_CHUNKS) chunks summed
 * serially and added in chunk order; pair weights are 1 or 1/2, so pair counts are exact. */
#include <inttypes.h>
#include <string.h>

#include <omp.h>

#include "alloc.h"
#include "betweenness_impl.h"
#include "centrality_impl.h"
#include "chokepoint/betweenness.h"
#include "chokepoint/centrality.h"

cp_status cp_st_betweenness_length(double *out, const cp_view *v, const uint8_t *removed,
                                   const int32_t *sources, int64_t n_sources,
                                   const int32_t *targets, int64_t n_targets, cp_length length,
                                   bool normalized, double *connected_pairs, cp_error *err) {
    cp_status status = CP_OK;
    uint8_t *flags = NULL;
    int32_t *src = NULL;
    double *len = NULL;
    cp__bc_ws *ws = NULL;
    int n_threads = 0;
    if (length == CP_LENGTH_HOPS) {
        return cp_st_betweenness(out, v, removed, sources, n_sources, targets, n_targets,
                                 normalized, connected_pairs, err);
    }
    if (connected_pairs != NULL) {
        *connected_pairs = 0.0;
    }
    if (v == NULL) {
        return cp_error_set(err, CP_E_INVALID, "cp_st_betweenness_length: no view");
    }
    int32_t n = v->n;
    if (n > 0 && out == NULL) {
        return cp_error_set(err, CP_E_INVALID, "cp_st_betweenness_length: no output array");
    }
    if (n > 0) {
        memset(out, 0, (size_t)n * sizeof *out);
    }
    if ((unsigned)length > (unsigned)CP_LENGTH_NEGLOG) {
        return cp_error_set(err, CP_E_INVALID, "cp_st_betweenness_length: unknown length mode %d",
                            (int)length);
    }
    flags = cp__malloc_array((size_t)n + 1, 1);
    if (flags == NULL) {
        status = cp_error_set(err, CP_E_NOMEM,
                              "cp_st_betweenness_length: out of memory (%" PRId32 " nodes)", n);
        goto cleanup;
    }
    int64_t n_s = 0, n_t = 0;
    CP_TRY(cp__st_mark(flags, &n_s, &n_t, n, removed, sources, n_sources, targets, n_targets, err));
    CP_TRY(cp__bc_lengths(&len, NULL, v, length, "cp_st_betweenness_length", err));
    if (n_s == 0 || n_t == 0) {
        goto cleanup;
    }
    src = cp__malloc_array((size_t)n_s, sizeof *src);
    if (src == NULL) {
        status = cp_error_set(err, CP_E_NOMEM, "cp_st_betweenness_length: out of memory");
        goto cleanup;
    }
    for (int32_t x = 0, c = 0; x < n; x++) {
        if (flags[x] & CP__IN_S) {
            src[c++] = x;
        }
    }
    bool sym = !v->directed;
    int64_t n_chunks = n_s < CP__BC_CHUNKS ? n_s : CP__BC_CHUNKS;
    n_threads = cp__bc_threads(n_s, n_chunks, n, v->m);
    CP_TRY(cp__bc_ws_new(&ws, n_threads, n, v->m, CP__WS_ACC | CP__WS_DIJKSTRA, removed,
                         "cp_st_betweenness_length", err));
    const int64_t *off = v->offsets;
    const int32_t *idx = v->indices;
    double pairs = 0.0;
#pragma omp parallel num_threads(n_threads)
    {
        cp__bc_ws *w = &ws[omp_get_thread_num()];
#pragma omp for schedule(dynamic, 1) ordered
        for (int64_t c = 0; c < n_chunks; c++) {
            int64_t lo = c * n_s / n_chunks, hi = (c + 1) * n_s / n_chunks;
            memset(w->acc, 0, (size_t)n * sizeof *w->acc);
            double chunk_pairs = 0.0;
            for (int64_t i = lo; i < hi; i++) {
                int32_t s = src[i];
                /* On a symmetric view a pair (s, t) whose reverse is in S x T too weighs 1/2. */
                double tw_both = sym && (flags[s] & CP__IN_T) ? 0.5 : 1.0;
                int32_t count = cp__dijkstra_forward(w, off, idx, len, s, NULL);
                chunk_pairs +=
                    cp__dijkstra_backward(w, off, idx, len, count, flags, tw_both, 1.0, 0.0);
                cp__dijkstra_reset(w, count);
            }
#pragma omp ordered
            {
                for (int32_t x = 0; x < n; x++) {
                    out[x] += w->acc[x];
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
    cp__bc_ws_free(&ws, n_threads);
    cp__free(flags);
    cp__free(src);
    cp__free(len);
    return status;
}
