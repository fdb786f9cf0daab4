/* Source-target betweenness with lengths (include/chokepoint/betweenness.h): Brandes (2001)
 * restricted to S x T (Brandes 2008), one Dijkstra search per source; hop lengths go to
 * cp_st_betweenness (host/centrality.c), whose pair conventions this follows exactly.
 *
 * Determinism: sources in ascending order, split into min(|S|, CP__BC_CHUNKS) chunks summed
 * serially into chunk buffers that are added in chunk order (cp__bc_bufs_flush); pair weights are 1
 * or 1/2, so pair counts are exact. */
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
    double *len = NULL, *chunk_pairs = NULL;
    cp__bc_bufs bufs = {0};
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
    CP_TRY(cp__bc_ws_new(&ws, n_threads, n, v->m, CP__WS_DIJKSTRA, removed,
                         "cp_st_betweenness_length", err));
    CP_TRY(cp__bc_bufs_new(&bufs, n_chunks, n_threads, n, 0, "cp_st_betweenness_length", err));
    chunk_pairs = cp__malloc_array((size_t)n_chunks, sizeof *chunk_pairs);
    if (chunk_pairs == NULL) {
        status = cp_error_set(err, CP_E_NOMEM, "cp_st_betweenness_length: out of memory");
        goto cleanup;
    }
    const int64_t *off = v->offsets;
    const int32_t *idx = v->indices;
    for (int64_t c0 = 0; c0 < n_chunks; c0 += bufs.wave) {
        int64_t cw = n_chunks - c0 < bufs.wave ? n_chunks - c0 : bufs.wave;
#pragma omp parallel for schedule(dynamic, 1) num_threads(n_threads)
        for (int64_t j = 0; j < cw; j++) {
            cp__bc_ws *w = &ws[omp_get_thread_num()];
            int64_t c = c0 + j;
            int64_t lo = c * n_s / n_chunks, hi = (c + 1) * n_s / n_chunks;
            cp__bc_bufs_bind(&bufs, j, w);
            double p = 0.0;
            for (int64_t i = lo; i < hi; i++) {
                int32_t s = src[i];
                /* On a symmetric view a pair (s, t) whose reverse is in S x T too weighs 1/2. */
                double tw_both = sym && (flags[s] & CP__IN_T) ? 0.5 : 1.0;
                int32_t count = cp__dijkstra_forward(w, off, idx, len, s, NULL);
                p += cp__dijkstra_backward(w, off, idx, len, count, flags, tw_both, 1.0, 0.0);
                cp__dijkstra_reset(w, count);
            }
            chunk_pairs[c] = p;
            cp__bc_bufs_finish(&bufs, j, w);
        }
        cp__bc_bufs_flush(&bufs, cw, out, NULL, n_threads);
    }
    double pairs = 0.0;
    for (int64_t c = 0; c < n_chunks; c++) {
        pairs += chunk_pairs[c];
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
    cp__bc_bufs_free(&bufs);
    cp__free(chunk_pairs);
    return status;
}
