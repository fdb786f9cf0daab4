/* The table of operations every backend fills (DESIGN section 7): the CPU backend in host/, the
 * CUDA backend in the run-time plugin libchokepoint_cuda.so. Operations take raw arrays only
 * (CSR offsets and indices, bitsets), never graph or file structures, so a plugin needs nothing of
 * the core but this header and status.h.
 *
 * ABI: the plugin exports `cp_cuda_plugin_open` with the signature cp_backend_open_fn; the core
 * checks `abi_version` equals CP_BACKEND_ABI_VERSION before using the table. */
#ifndef CP_KERNELS_COMMON_BACKEND_OPS_H
#define CP_KERNELS_COMMON_BACKEND_OPS_H

#include <stdint.h>

#include "chokepoint/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* 2: bfs_hops, wcc_labels and pagerank_pull added after st_coreach64. */
#define CP_BACKEND_ABI_VERSION 2

typedef struct cp_backend_ops {
    int abi_version;
    const char *name; /* "cpu", "cuda" */
    char device[256]; /* human-readable device name, e.g. "NVIDIA H200 (sm_90, 141 GiB)" */
    void *state;      /* backend-private */

    /* S-T reachability for up to 64 removal scenarios at once.
     *
     * Graph: the in-edges of a directed graph as CSC: for node v, its in-neighbours (tails u of
     * edges u -> v) are rev_indices[rev_offsets[v] .. rev_offsets[v+1]); n nodes, m entries.
     * removed[v]: bit j set = node v is removed in scenario j (n words).
     * targets: n_targets node indices.
     *
     * Output: coreach[v] (n words): bit j set = in scenario j node v is not removed and reaches at
     * least one non-removed target along non-removed nodes (a target reaches itself). The caller
     * owns coreach. A backward multi-source BFS from the targets, 64 scenarios per word.
     *
     * Work O(m * levels) word operations; deterministic (the result is a fixed point, independent
     * of visiting order). Status: CP_OK, CP_E_NOMEM, CP_E_CUDA, CP_E_DEVMEM. */
    cp_status (*st_coreach64)(void *state, int32_t n, int64_t m, const int64_t *rev_offsets,
                              const int32_t *rev_indices, const uint64_t *removed,
                              const int32_t *targets, int64_t n_targets, uint64_t *coreach,
                              cp_error *err);

    /* Hop distances from one source along out-edges (unweighted BFS).
     *
     * Graph: CSR out-edges offsets[n+1] / indices[m] (heads of the edges u -> v) and the same
     * edges as CSC in-edges rev_offsets[n+1] / rev_indices[m] (tails), n nodes, m entries.
     * removed: n bytes, non-zero = the node and its edges are absent; NULL = none. source: a
     * node index, 0 <= source < n.
     *
     * Output: hops[v] (n int32, caller-owned) = the fewest edges on a path source -> v through
     * non-removed nodes, 0 at the source, -1 when unreachable or removed (all -1 when the source
     * is removed). Unique, so every backend returns the same array. The CPU twin is a sequential
     * queue BFS; the CUDA backend is level-synchronous and direction-optimising (Beamer, Asanovic
     * and Patterson 2012, "Direction-optimizing breadth-first search"), reading rev_* in its
     * bottom-up steps. Work O(n + m) top-down, O(m) per bottom-up level.
     * Status: CP_OK, CP_E_INVALID (source out of range, negative size, a required array NULL),
     * CP_E_NOMEM, CP_E_CUDA, CP_E_DEVMEM. */
    cp_status (*bfs_hops)(void *state, int32_t n, int64_t m, const int64_t *offsets,
                          const int32_t *indices, const int64_t *rev_offsets,
                          const int32_t *rev_indices, const uint8_t *removed, int32_t source,
                          int32_t *hops, cp_error *err);

    /* Weakly connected components of the graph minus removed nodes (direction ignored).
     *
     * Graph: CSR and CSC as in bfs_hops. Every edge appears in the CSR, so a backend may read the
     * CSR alone (the CUDA backend does); the CPU twin searches both directions. removed: n bytes
     * or NULL.
     *
     * Output: labels[v] (n int32, caller-owned) = the smallest node index of v's component, -1
     * for removed nodes: the labelling of cp_wcc (include/chokepoint/centrality.h), unique, so
     * every backend returns the same array. CPU twin: a BFS from each unlabelled node in
     * ascending order; CUDA: concurrent union-find hooking each root under the smaller one
     * (Jaiganesh and Burtscher 2018, "A high-performance connected components implementation for
     * GPUs" (ECL-CC)), so every root is its tree's smallest node. O(n + m) (near-linear on the
     * GPU). Status: CP_OK, CP_E_INVALID, CP_E_NOMEM, CP_E_CUDA, CP_E_DEVMEM. */
    cp_status (*wcc_labels)(void *state, int32_t n, int64_t m, const int64_t *offsets,
                            const int32_t *indices, const int64_t *rev_offsets,
                            const int32_t *rev_indices, const uint8_t *removed, int32_t *labels,
                            cp_error *err);

    /* PageRank by power iteration, pulling over the in-edges.
     *
     * Graph: CSR offsets / indices / weights and CSC rev_offsets / rev_indices / rev_weights as in
     * bfs_hops, the weights (strengths, finite and >= 0, not checked) entry by entry; both weight
     * arrays NULL for unweighted (every entry 1). removed: n bytes or NULL.
     *
     * With A the non-removed nodes (n_a of them), out_u = the sum of u's CSR weights to heads in
     * A (in CSR order), inv_u = 1 / out_u (0 when out_u = 0: u is dangling), x^0 = 1 / n_a on A:
     *
     *     c_u = x_u * inv_u;  D = sum of x_u over dangling u in A;
     *     x'_v = damping * (sum over in-entries (u, w) of v of w * c_u + D / n_a)
     *            + (1 - damping) / n_a                                       for v in A,
     *
     * with change = sum over A of |x'_v - x_v|; it stops after the first iteration whose change
     * is < tol (absolute L1, not scaled by n), or after max_iter iterations. This is cp_pagerank
     * (include/chokepoint/spectral.h) with weighted = (weights != NULL), uniform personalization
     * and CP_DANGLING_UNIFORM, by plain power iteration (cp_pagerank may take a different route
     * to the same fixed point).
     *
     * Output: rank (n doubles, caller-owned; 0 at removed nodes), *iterations (iterations run; 0
     * when A is empty), *final_change (the last change; 0 when none ran). Sums run in a different
     * order on each backend (the CPU twin: in-entries in CSC order, D and change in node order),
     * so results agree to rounding, not bit for bit; each backend is deterministic run to run.
     * Status: CP_OK; CP_W_NOT_CONVERGED (max_iter reached; rank holds the last iterate);
     * CP_E_INVALID (damping outside [0, 1), tol not > 0, max_iter < 1, a required array NULL),
     * CP_E_NOMEM, CP_E_CUDA, CP_E_DEVMEM. Time O(n + m) per iteration. */
    cp_status (*pagerank_pull)(void *state, int32_t n, int64_t m, const int64_t *offsets,
                               const int32_t *indices, const double *weights,
                               const int64_t *rev_offsets, const int32_t *rev_indices,
                               const double *rev_weights, const uint8_t *removed, double damping,
                               double tol, int64_t max_iter, double *rank, int64_t *iterations,
                               double *final_change, cp_error *err);

    /* Releases the backend's state (device memory, contexts). */
    void (*close)(void *state);
} cp_backend_ops;

/* The plugin's entry point: fills *ops for CUDA device `device` (-1: the first one that answers).
 * CP_E_NODEVICE when no device answers, CP_E_CUDA for other CUDA failures. */
typedef cp_status (*cp_backend_open_fn)(cp_backend_ops *ops, int device, cp_error *err);

#ifdef __cplusplus
}
#endif
#endif
