/* Per-element rules and argument checks shared by the CPU twins (host/backend.c) and the CUDA
 * kernels of bfs_hops, wcc_labels and pagerank_pull (kernels/bfs.cu, wcc.cu, pagerank.cu), in the
 * common subset of C11 and CUDA C++, so that the CPU tests cover them. */
#ifndef CP_KERNELS_COMMON_GRAPH_OPS_HD_H
#define CP_KERNELS_COMMON_GRAPH_OPS_HD_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cp_hd.h"

/* The PageRank update of one non-removed node (backend_ops.h, pagerank_pull): gather is the sum
 * of w * c_u over its in-entries, dangling the rank D held by dangling nodes, inv_active 1 / n_a.
 * One expression for both backends (nvcc may still contract it into fused multiply-adds). */
CP_HD double cp_pr_value(double gather, double dangling, double damping, double inv_active) {
    return damping * (gather + dangling * inv_active) + (1.0 - damping) * inv_active;
}

/* 1 when node v is removed (removed may be NULL: none is). */
CP_HD int cp_ops_removed(const uint8_t *removed, int32_t v) {
    return removed != NULL && removed[v] != 0;
}

/* The O(1) checks every graph operation makes before touching its arrays (a bad offset array on
 * the device would fault the context for the rest of the process): sizes not negative, the arrays
 * present when n > 0 (indices when m > 0), and both offset arrays running from 0 to m. Returns 0,
 * or -1 with a message naming the operation and the argument in msg (size bytes). */
static inline int cp_ops_check_graph(char *msg, size_t size, const char *op, int32_t n, int64_t m,
                                     const int64_t *offsets, const int32_t *indices,
                                     const int64_t *rev_offsets, const int32_t *rev_indices,
                                     int need_rev) {
    if (n < 0 || m < 0) {
        snprintf(msg, size, "%s: negative size (n = %d, m = %lld)", op, (int)n, (long long)m);
        return -1;
    }
    if (n == 0) {
        return 0;
    }
    if (offsets == NULL || (m > 0 && indices == NULL)) {
        snprintf(msg, size, "%s: the CSR offsets or indices are NULL", op);
        return -1;
    }
    if (need_rev && (rev_offsets == NULL || (m > 0 && rev_indices == NULL))) {
        snprintf(msg, size, "%s: the CSC rev_offsets or rev_indices are NULL", op);
        return -1;
    }
    if (offsets[0] != 0 || offsets[n] != m) {
        snprintf(msg, size, "%s: offsets run from %lld to %lld, expected 0 to m = %lld", op,
                 (long long)offsets[0], (long long)offsets[n], (long long)m);
        return -1;
    }
    if (need_rev && (rev_offsets[0] != 0 || rev_offsets[n] != m)) {
        snprintf(msg, size, "%s: rev_offsets run from %lld to %lld, expected 0 to m = %lld", op,
                 (long long)rev_offsets[0], (long long)rev_offsets[n], (long long)m);
        return -1;
    }
    return 0;
}

/* pagerank_pull's scalar arguments. Returns 0, or -1 with a message in msg. */
static inline int cp_ops_check_pagerank(char *msg, size_t size, double damping, double tol,
                                        int64_t max_iter) {
    if (!(damping >= 0.0 && damping < 1.0)) {
        snprintf(msg, size, "pagerank_pull: damping = %g, expected 0 <= damping < 1", damping);
        return -1;
    }
    if (!(tol > 0.0)) {
        snprintf(msg, size, "pagerank_pull: tol = %g, expected > 0", tol);
        return -1;
    }
    if (max_iter < 1) {
        snprintf(msg, size, "pagerank_pull: max_iter = %lld, expected >= 1", (long long)max_iter);
        return -1;
    }
    return 0;
}

#endif
