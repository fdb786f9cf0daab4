/* The percolation curve along a removal order by reverse union-find (Newman and Ziff 2000), CPU
 * backend. Serial: one pass over the edges of the kept nodes, then one over the edges of each
 * node added back, so the whole curve costs O((n + m) alpha(n)). */
#include <inttypes.h>

#include "alloc.h"
#include "chokepoint/percolation.h"
#include "unionfind.h"

/* Joins present node u with every present neighbour in the CSR (off, idx); returns the largest
 * tree size seen, at least big. */
static int32_t join_row(int32_t *parent, int32_t *size, const int64_t *off, const int32_t *idx,
                        int32_t u, int32_t big) {
    for (int64_t e = off[u]; e < off[u + 1]; e++) {
        int32_t w = idx[e];
        if (w == u || parent[w] < 0) {
            continue;
        }
        int32_t s = cp__uf_union(parent, size, u, w);
        if (s > big) {
            big = s;
        }
    }
    return big;
}

cp_status cp_percolation_curve(double *lcc, const cp_view *v, const int32_t *order, int64_t k,
                               cp_error *err) {
    return cp_percolation_curve_masked(lcc, v, NULL, order, k, err);
}

cp_status cp_percolation_curve_masked(double *lcc, const cp_view *v, const uint8_t *removed,
                                      const int32_t *order, int64_t k, cp_error *err) {
    cp_status status = CP_OK;
    int32_t *parent = NULL;
    int32_t *size = NULL;
    if (lcc == NULL) {
        return cp_error_set(err, CP_E_INVALID, "cp_percolation_curve: no output array");
    }
    if (v == NULL) {
        return cp_error_set(err, CP_E_INVALID, "cp_percolation_curve: no view");
    }
    int32_t n = v->n;
    if (k < 0 || k > n) {
        return cp_error_set(err, CP_E_INVALID,
                            "cp_percolation_curve: k = %" PRId64 " is outside 0..%" PRId32, k, n);
    }
    for (int64_t i = 0; i <= k; i++) {
        lcc[i] = 0.0;
    }
    if (n == 0) {
        return CP_OK;
    }
    if (k > 0 && order == NULL) {
        return cp_error_set(err, CP_E_INVALID, "cp_percolation_curve: no order (k = %" PRId64 ")",
                            k);
    }
    parent = cp__malloc_array((size_t)n, sizeof *parent);
    size = cp__malloc_array((size_t)n, sizeof *size);
    if (parent == NULL || size == NULL) {
        status = cp_error_set(err, CP_E_NOMEM,
                              "cp_percolation_curve: out of memory (%" PRId32 " nodes)", n);
        goto cleanup;
    }
    /* parent[x] < 0: x is absent (removed). Every other node starts as its own tree of size 1. */
    for (int32_t x = 0; x < n; x++) {
        parent[x] = removed != NULL && removed[x] ? -1 : x;
        size[x] = 1;
    }
    for (int64_t i = 0; i < k; i++) {
        int32_t x = order[i];
        if (x < 0 || x >= n) {
            status = cp_error_set(err, CP_E_INVALID,
                                  "cp_percolation_curve: order[%" PRId64 "] = %" PRId32
                                  " is outside 0..%" PRId32,
                                  i, x, n - 1);
            goto cleanup;
        }
        if (parent[x] < 0) {
            status = cp_error_set(err, CP_E_INVALID,
                                  "cp_percolation_curve: order[%" PRId64 "] = %" PRId32
                                  " is repeated or already removed",
                                  i, x);
            goto cleanup;
        }
        parent[x] = -1;
    }
    /* The graph minus all k removals: every edge u -> w appears in row u, so the out-CSR alone
     * joins it. */
    int32_t big = 0;
    for (int32_t u = 0; u < n; u++) {
        if (parent[u] < 0) {
            continue;
        }
        if (big < 1) {
            big = 1;
        }
        big = join_row(parent, size, v->offsets, v->indices, u, big);
    }
    /* Invariant: before step i, the present nodes are all but order[0..i]; big is the largest
     * tree among them, which adding a node can only grow. */
    bool aliased = v->rev_offsets == v->offsets && v->rev_indices == v->indices;
    lcc[k] = (double)big / (double)n;
    for (int64_t i = k - 1; i >= 0; i--) {
        int32_t u = order[i];
        parent[u] = u;
        size[u] = 1;
        if (big < 1) {
            big = 1;
        }
        big = join_row(parent, size, v->offsets, v->indices, u, big);
        if (!aliased) {
            big = join_row(parent, size, v->rev_offsets, v->rev_indices, u, big);
        }
        lcc[i] = (double)big / (double)n;
    }
cleanup:
    if (status < 0) {
        for (int64_t i = 0; i <= k; i++) {
            lcc[i] = 0.0;
        }
    }
    cp__free(parent);
    cp__free(size);
    return status;
}
