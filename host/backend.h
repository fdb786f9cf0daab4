/* Backend selection: the CPU backend (always present) and the CUDA plugin (loaded at run time). */
#ifndef CP_HOST_BACKEND_H
#define CP_HOST_BACKEND_H

#include <stddef.h>

#include "../kernels/common/backend_ops.h"

/* Fills ops with the CPU backend (OpenMP). Never fails. */
void cp__backend_cpu(cp_backend_ops *ops);

/* Opens the backend named by spec: "cpu", "cuda" / "cuda:N", or "auto" (CUDA when the plugin
 * loads and a device answers, else the CPU). With "auto" falling back, a one-line notice is
 * written into notice (size bytes; "" when there is none). "cuda" without a usable GPU is an error:
 * CP_E_NODEVICE (or CP_E_UNSUPPORTED when the plugin is absent). CP_E_INVALID for another spec.
 * The plugin is looked for at $CHOKEPOINT_CUDA_PLUGIN, beside the executable, in ../lib beside it,
 * then on the loader's path. Close with cp__backend_close. */
cp_status cp__backend_open(cp_backend_ops *ops, const char *spec, char *notice, size_t size,
                           cp_error *err);

/* Releases the backend (and unloads the plugin). Accepts a zeroed ops. */
void cp__backend_close(cp_backend_ops *ops);

/* CPU twin of st_coreach64, callable directly (tests, gpucheck). */
cp_status cp__cpu_st_coreach64(void *state, int32_t n, int64_t m, const int64_t *rev_offsets,
                               const int32_t *rev_indices, const uint64_t *removed,
                               const int32_t *targets, int64_t n_targets, uint64_t *coreach,
                               cp_error *err);

/* CPU twins of bfs_hops, wcc_labels and pagerank_pull (backend_ops.h), callable directly (tests,
 * gpucheck): a queue BFS; a BFS over out- and in-edges from each unlabelled node in ascending
 * order; a plain sequential power iteration. Single-threaded. */
cp_status cp__cpu_bfs_hops(void *state, int32_t n, int64_t m, const int64_t *offsets,
                           const int32_t *indices, const int64_t *rev_offsets,
                           const int32_t *rev_indices, const uint8_t *removed, int32_t source,
                           int32_t *hops, cp_error *err);
cp_status cp__cpu_wcc_labels(void *state, int32_t n, int64_t m, const int64_t *offsets,
                             const int32_t *indices, const int64_t *rev_offsets,
                             const int32_t *rev_indices, const uint8_t *removed, int32_t *labels,
                             cp_error *err);
cp_status cp__cpu_pagerank_pull(void *state, int32_t n, int64_t m, const int64_t *offsets,
                                const int32_t *indices, const double *weights,
                                const int64_t *rev_offsets, const int32_t *rev_indices,
                                const double *rev_weights, const uint8_t *removed, double damping,
                                double tol, int64_t max_iter, double *rank, int64_t *iterations,
                                double *final_change, cp_error *err);

#endif
