/* Group betweenness (Everett and Borgatti 1999) of one node set C, exactly: one search per source s
 * outside C counts, next to sigma_st, the shortest s-t paths of the whole graph that avoid C
 * (sigma2: pushed along the same shortest-path DAG, but never into a member of C); the pair
 * (s, t) contributes 1 - sigma2_st / sigma_st (Puzis, Elovici and Dolev 2007 use the same
 * quantity). With endpoints, pairs with an end in C count 1.
 *
 * Determinism: sources in ascending order in min(n, CP__BC_CHUNKS) chunks; each chunk's sum is
 * computed serially and the chunk sums are added in chunk order. */
#include <inttypes.h>
#include <string.h>

#include <omp.h>

#include "alloc.h"
#include "betweenness_impl.h"
#include "chokepoint/betweenness.h"

/* BFS from s with path counts sigma (ws->val) and sigma2 (avoiding in_c). Returns the number of
 * nodes reached, s included, in ws->order. */
static int32_t bfs_avoid(cp__bc_ws *ws, const int64_t *off, const int32_t *idx, const uint8_t *in_c,
                         int32_t s) {
    int32_t *dist = ws->dist, *order = ws->order;
    double *sigma = ws->val, *s2 = ws->sigma2;
    dist[s] = 0;
    sigma[s] = 1.0;
    s2[s] = 1.0;
    order[0] = s;
    int32_t head = 0, tail = 1;
    while (head < tail) {
        int32_t u = order[head++];
        int32_t next = dist[u] + 1;
        double su = sigma[u], s2u = s2[u];
        for (int64_t k = off[u]; k < off[u + 1]; k++) {
            int32_t w = idx[k];
            int32_t dw = dist[w];
            if (dw == -1) {
                dist[w] = next;
                sigma[w] = su;
                s2[w] = in_c[w] ? 0.0 : s2u;
                order[tail++] = w;
            } else if (dw == next) {
                sigma[w] += su;
                if (!in_c[w]) {
                    s2[w] += s2u;
                }
            }
        }
    }
    return tail;
}

/* The contribution of source s: see the file comment. */
static double source_sum(const cp__bc_ws *ws, const uint8_t *in_c, int32_t count, bool endpoints,
                         bool s_in_c) {
    double sum = 0.0;
    for (int32_t i = 1; i < count; i++) {
        int32_t t = ws->order[i];
        if (s_in_c || in_c[t]) {
            sum += endpoints ? 1.0 : 0.0;
        } else {
            sum += 1.0 - ws->sigma2[t] / ws->val[t];
        }
    }
    return sum;
}

cp_status cp_group_betweenness(double *value, const cp_view *v, const uint8_t *removed,
                               const int32_t *group, int64_t size, const cp_betweenness_options *o,
                               cp_error *err) {
    cp_status status = CP_OK;
    cp_betweenness_options defaults;
    uint8_t *in_c = NULL;
    int32_t *src = NULL;
    double *len = NULL, *chunk_sum = NULL;
    cp__bc_ws *ws = NULL;
    int n_threads = 0;
    if (value == NULL) {
        return cp_error_set(err, CP_E_INVALID, "cp_group_betweenness: no output");
    }
    *value = 0.0;
    if (v == NULL) {
        return cp_error_set(err, CP_E_INVALID, "cp_group_betweenness: no view");
    }
    if (o == NULL) {
        cp_betweenness_options_init(&defaults);
        o = &defaults;
    }
    if (size < 0 || (size > 0 && group == NULL)) {
        return cp_error_set(err, CP_E_INVALID,
                            "cp_group_betweenness: group: %" PRId64 " entries but no array", size);
    }
    if (o->samples != 0 || o->sources != NULL) {
        return cp_error_set(err, CP_E_INVALID,
                            "cp_group_betweenness: sampling options are not supported (samples = "
                            "%" PRId64 ", sources %s)",
                            o->samples, o->sources != NULL ? "given" : "none");
    }
    if ((unsigned)o->length > (unsigned)CP_LENGTH_NEGLOG) {
        return cp_error_set(err, CP_E_INVALID, "cp_group_betweenness: unknown length mode %d",
                            (int)o->length);
    }
    int32_t n = v->n;
    in_c = cp__calloc((size_t)n + 1, 1);
    if (in_c == NULL) {
        status = cp_error_set(err, CP_E_NOMEM,
                              "cp_group_betweenness: out of memory (%" PRId32 " nodes)", n);
        goto cleanup;
    }
    int64_t c = 0;
    for (int64_t i = 0; i < size; i++) {
        int32_t x = group[i];
        if (x < 0 || x >= n) {
            status = cp_error_set(err, CP_E_INVALID,
                                  "cp_group_betweenness: group[%" PRId64 "] = %" PRId32
                                  " is not a node index (0..%" PRId32 ")",
                                  i, x, n - 1);
            goto cleanup;
        }
        if (!in_c[x]) {
            in_c[x] = 1;
            c++;
        }
    }
    bool weighted = o->length != CP_LENGTH_HOPS;
    if (weighted) {
        CP_TRY(cp__bc_lengths(&len, NULL, v, o->length, "cp_group_betweenness", err));
    }
    bool endpoints = o->endpoints;
    /* Sources: non-removed nodes, those in C only with endpoints. */
    int64_t n_src = 0;
    src = cp__malloc_array((size_t)n + 1, sizeof *src);
    if (src == NULL) {
        status = cp_error_set(err, CP_E_NOMEM, "cp_group_betweenness: out of memory");
        goto cleanup;
    }
    for (int32_t x = 0; x < n; x++) {
        if ((removed == NULL || !removed[x]) && (endpoints || !in_c[x])) {
            src[n_src++] = x;
        }
    }
    if (n_src == 0) {
        goto cleanup;
    }
    int64_t n_chunks = n_src < CP__BC_CHUNKS ? n_src : CP__BC_CHUNKS;
    chunk_sum = cp__calloc((size_t)n_chunks, sizeof *chunk_sum);
    if (chunk_sum == NULL) {
        status = cp_error_set(err, CP_E_NOMEM, "cp_group_betweenness: out of memory");
        goto cleanup;
    }
    n_threads = cp__bc_threads(n_src, n_chunks, n, v->m);
    unsigned what = CP__WS_SIGMA2 | (weighted ? CP__WS_DIJKSTRA : CP__WS_BFS);
    CP_TRY(cp__bc_ws_new(&ws, n_threads, n, v->m, what, removed, "cp_group_betweenness", err));
    const int64_t *off = v->offsets;
    const int32_t *idx = v->indices;
#pragma omp parallel num_threads(n_threads)
    {
        cp__bc_ws *w = &ws[omp_get_thread_num()];
#pragma omp for schedule(dynamic, 1)
        for (int64_t ch = 0; ch < n_chunks; ch++) {
            int64_t lo = ch * n_src / n_chunks, hi = (ch + 1) * n_src / n_chunks;
            double sum = 0.0;
            for (int64_t i = lo; i < hi; i++) {
                int32_t s = src[i];
                if (weighted) {
                    int32_t count = cp__dijkstra_forward(w, off, idx, len, s, in_c);
                    sum += source_sum(w, in_c, count, endpoints, in_c[s] != 0);
                    cp__dijkstra_reset(w, count);
                } else {
                    int32_t count = bfs_avoid(w, off, idx, in_c, s);
                    sum += source_sum(w, in_c, count, endpoints, in_c[s] != 0);
                    for (int32_t j = 0; j < count; j++) {
                        w->dist[w->order[j]] = -1;
                    }
                }
            }
            chunk_sum[ch] = sum;
        }
    }
    double total = 0.0;
    for (int64_t ch = 0; ch < n_chunks; ch++) {
        total += chunk_sum[ch];
    }
    double nd = (double)n, cd = (double)c;
    double denom;
    if (o->normalized) {
        denom = endpoints ? nd * (nd - 1.0) : (nd - cd) * (nd - cd - 1.0);
    } else {
        denom = v->directed ? 1.0 : 2.0;
    }
    *value = denom > 0.0 ? total / denom : 0.0;
cleanup:
    if (status < 0) {
        *value = 0.0;
    }
    cp__bc_ws_free(&ws, n_threads);
    cp__free(in_c);
    cp__free(src);
    cp__free(len);
    cp__free(chunk_sum);
    return status;
}
