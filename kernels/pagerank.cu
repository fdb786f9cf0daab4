/* PageRank by pull power iteration (the pagerank_pull operation; backend_ops.h states the exact
 * iteration).
 *
 * What: a setup kernel sums each node's out-weight to non-removed heads (its CSR row, in order,
 *   as the CPU twin does, so inv_u = 1 / out_u is bit-identical), classifies nodes (removed,
 *   normal, dangling) and writes x^0 = 1 / n_a, c^0 = x^0 * inv and the dangling mass D^0. Then
 *   one fused kernel per iteration: each non-removed v gathers w * c_u over its in-edges (CSC),
 *   writes x'_v and c'_v = x'_v * inv_v, and accumulates |x'_v - x_v| and, for dangling v, x'_v;
 *   the last block to finish adds the per-block partials, stores the change and the next D, counts
 *   the iteration and raises a done flag when the change is < tol. Convergence is decided on the
 *   device: the host launches iterations in batches of CP_PR_BATCH without waiting, every kernel
 *   returns at once when the flag is up, and the host reads the flag once per batch.
 * Mapping: setup, one thread per node (grid-stride); iteration, one warp per node v (grid-stride
 *   over warps), its lanes striding over v's in-edges, then a warp shuffle sum.
 * Work: O(n + m) per iteration. Bytes per in-edge: 4 (tail) + 8 (weight, when weighted) + 8 (c_u,
 *   a gather); per node: 16 (row bounds) + 1 (kind) + 8 (inv) + 8 (x) + 16 (x', c' written),
 *   49 in all (gpucheck's GB/s counts m x 20 + n x 49 per iteration).
 *   Memory-bound on the gather of c.
 * Determinism: no floating-point atomics. Each block's partials are added in a fixed tree (warp
 *   shuffles, then the warps in order), and the last block adds the partials of all blocks in a
 *   fixed tree, so with a fixed grid (fixed per device: the resident-block count) every run gives
 *   the same bits. The sums run in a different order from the CPU twin's (a warp's 32 lanes
 *   each take every 32nd in-edge; the L1 change and D by blocks), so results agree with the twin
 *   to rounding, not bit for bit, and near the stopping threshold the iteration count may differ
 *   by one.
 * Numeric types: double throughout (ranks of 1 / n at n = 2^24 and an L1 tolerance near 1e-12
 *   leave no room for float); int32 node ids, int64 edge offsets and iteration counts. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "graph_ops_hd.h"
#include "plugin.cuh"

/* Iterations launched between two reads of the done flag: at most CP_PR_BATCH - 1 launches are
 * wasted (each returns at once), against one host synchronisation per batch. */
#define CP_PR_BATCH 16

/* Node kinds. */
#define CP_PR_REMOVED  0
#define CP_PR_NORMAL   1
#define CP_PR_DANGLING 2

/* Device scalars of one call. dangling[p] is D for the iteration that reads buffers p; the
 * iteration writes dangling[p ^ 1], so no block reads a value the same launch writes. */
typedef struct pr_scalars {
    double dangling[2];
    double change;
    long long iterations;
    int done;
    unsigned int arrived; /* blocks of the current launch that have stored their partials */
} pr_scalars;

/* ---------------------------------------------------------------------------------------------
 * Kernels
 * --------------------------------------------------------------------------------------------- */

/* Sums a and b over the block in a fixed order; thread 0 gets the totals. Every thread of the
 * block must call it; it begins and ends with a barrier, so it may be called again. */
static __device__ __forceinline__ void pr_block_sum2(double *a, double *b) {
    __shared__ double sh[2][CP_GRAPH_THREADS / 32];
    const int lane = (int)(threadIdx.x & 31u), warp = (int)(threadIdx.x >> 5);
    double x = *a, y = *b;
    for (int off = 16; off > 0; off >>= 1) {
        x += __shfl_down_sync(0xffffffffu, x, off);
        y += __shfl_down_sync(0xffffffffu, y, off);
    }
    __syncthreads();
    if (lane == 0) {
        sh[0][warp] = x;
        sh[1][warp] = y;
    }
    __syncthreads();
    if (threadIdx.x == 0) {
        x = 0.0;
        y = 0.0;
        for (int w = 0; w < (int)(blockDim.x >> 5); w++) {
            x += sh[0][w];
            y += sh[1][w];
        }
        *a = x;
        *b = y;
    }
    __syncthreads();
}

/* Stores this block's (a, b) and, in the last block to arrive, adds every block's partials in a
 * fixed order; returns 1 in thread 0 of that block with the totals in *a, *b, else 0. */
static __device__ __forceinline__ int pr_grid_sum2(double *a, double *b, double *part,
                                                   pr_scalars *sc) {
    __shared__ int last;
    pr_block_sum2(a, b);
    if (threadIdx.x == 0) {
        part[2 * blockIdx.x] = *a;
        part[2 * blockIdx.x + 1] = *b;
        __threadfence(); /* the partials are visible device-wide before the arrival counts */
        last = atomicAdd(&sc->arrived, 1u) == gridDim.x - 1;
    }
    __syncthreads();
    if (!last) {
        return 0;
    }
    __threadfence();
    double x = 0.0, y = 0.0;
    for (unsigned i = threadIdx.x; i < gridDim.x; i += blockDim.x) {
        x += __ldcg(&part[2 * i]);
        y += __ldcg(&part[2 * i + 1]);
    }
    pr_block_sum2(&x, &y);
    if (threadIdx.x == 0) {
        sc->arrived = 0; /* ready for the next launch (stream order makes it visible there) */
        *a = x;
        *b = y;
        return 1;
    }
    return 0;
}

__global__ void __launch_bounds__(CP_GRAPH_THREADS)
    pr_setup_kernel(int32_t n, const int64_t *__restrict__ offsets,
                    const int32_t *__restrict__ indices, const double *__restrict__ weights,
                    const uint8_t *__restrict__ removed, double inv_active, uint8_t *kind,
                    double *inv, double *x, double *c, double *part, pr_scalars *sc) {
    const int64_t stride = (int64_t)gridDim.x * blockDim.x;
    double d = 0.0, unused = 0.0;
    for (int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += stride) {
        const int32_t u = (int32_t)i;
        if (cp_ops_removed(removed, u)) {
            kind[u] = CP_PR_REMOVED;
            inv[u] = 0.0;
            x[u] = 0.0;
            c[u] = 0.0;
            continue;
        }
        double out = 0.0; /* in CSR order, as the CPU twin */
        for (int64_t k = offsets[u]; k < offsets[u + 1]; k++) {
            if (!cp_ops_removed(removed, indices[k])) {
                out += weights != NULL ? weights[k] : 1.0;
            }
        }
        const double iv = out > 0.0 ? 1.0 / out : 0.0;
        kind[u] = out > 0.0 ? CP_PR_NORMAL : CP_PR_DANGLING;
        inv[u] = iv;
        x[u] = inv_active;
        c[u] = inv_active * iv;
        if (out <= 0.0) {
            d += inv_active;
        }
    }
    if (pr_grid_sum2(&d, &unused, part, sc)) {
        sc->dangling[0] = d;
        sc->dangling[1] = 0.0;
        sc->change = 0.0;
        sc->iterations = 0;
        sc->done = 0;
    }
}

/* One iteration reading x, c, dangling[p] and writing x_next, c_next, dangling[p ^ 1]. */
__global__ void __launch_bounds__(CP_GRAPH_THREADS)
    pr_iter_kernel(int32_t n, const int64_t *__restrict__ rev_offsets,
                   const int32_t *__restrict__ rev_indices, const double *__restrict__ rev_weights,
                   const uint8_t *__restrict__ kind, const double *__restrict__ inv,
                   const double *__restrict__ x, const double *__restrict__ c,
                   double *__restrict__ x_next, double *__restrict__ c_next, double damping,
                   double inv_active, double tol, int p, double *part, pr_scalars *sc) {
    /* Uniform over the grid: set by an earlier launch, or not at all. */
    if (*(volatile int *)&sc->done) {
        return;
    }
    const double d = *(volatile double *)&sc->dangling[p];
    const int lane = (int)(threadIdx.x & 31u);
    const int64_t warp = ((int64_t)blockIdx.x * blockDim.x + threadIdx.x) >> 5;
    const int64_t n_warps = ((int64_t)gridDim.x * blockDim.x) >> 5;
    double change = 0.0, next_d = 0.0;
    for (int64_t i = warp; i < n; i += n_warps) {
        const int32_t v = (int32_t)i;
        const uint8_t kv = kind[v];
        if (kv == CP_PR_REMOVED) {
            if (lane == 0) {
                x_next[v] = 0.0;
                c_next[v] = 0.0;
            }
            continue;
        }
        double g = 0.0;
        const int64_t end = rev_offsets[v + 1];
        for (int64_t k = rev_offsets[v] + lane; k < end; k += 32) {
            g += (rev_weights != NULL ? rev_weights[k] : 1.0) * c[rev_indices[k]];
        }
        for (int off = 16; off > 0; off >>= 1) {
            g += __shfl_xor_sync(0xffffffffu, g, off);
        }
        if (lane == 0) {
            const double xv = cp_pr_value(g, d, damping, inv_active);
            x_next[v] = xv;
            c_next[v] = xv * inv[v];
            change += fabs(xv - x[v]);
            if (kv == CP_PR_DANGLING) {
                next_d += xv;
            }
        }
    }
    if (pr_grid_sum2(&change, &next_d, part, sc)) {
        sc->dangling[p ^ 1] = next_d;
        sc->change = change;
        sc->iterations += 1;
        if (change < tol) {
            sc->done = 1;
        }
    }
}

/* ---------------------------------------------------------------------------------------------
 * Launchers
 * --------------------------------------------------------------------------------------------- */

cp_status cp__cuda_pagerank_occupancy(cp_cuda_state *s, cp_error *err) {
    cp_status status = CP_OK;
    int a = 0, b = 0;
    CP_CUDA_TRY(
        cudaOccupancyMaxActiveBlocksPerMultiprocessor(&a, pr_setup_kernel, CP_GRAPH_THREADS, 0));
    CP_CUDA_TRY(
        cudaOccupancyMaxActiveBlocksPerMultiprocessor(&b, pr_iter_kernel, CP_GRAPH_THREADS, 0));
    s->graph_blocks.pr_setup = (a > 0 ? a : 1) * s->sm_count;
    s->graph_blocks.pr_iter = (b > 0 ? b : 1) * s->sm_count;
cleanup:
    return status;
}

cp_status cp__cuda_pagerank_pull(void *state, int32_t n, int64_t m, const int64_t *offsets,
                                 const int32_t *indices, const double *weights,
                                 const int64_t *rev_offsets, const int32_t *rev_indices,
                                 const double *rev_weights, const uint8_t *removed, double damping,
                                 double tol, int64_t max_iter, double *rank, int64_t *iterations,
                                 double *final_change, cp_error *err) {
    cp_cuda_state *s = (cp_cuda_state *)state;
    char msg[256];
    if (iterations == NULL || final_change == NULL) {
        return cp__cuda_error_set(err, CP_E_INVALID,
                                  "pagerank_pull: iterations or final_change NULL");
    }
    *iterations = 0;
    *final_change = 0.0;
    if (cp_ops_check_graph(msg, sizeof msg, "pagerank_pull", n, m, offsets, indices, rev_offsets,
                           rev_indices, 1) != 0 ||
        cp_ops_check_pagerank(msg, sizeof msg, damping, tol, max_iter) != 0) {
        return cp__cuda_error_set(err, CP_E_INVALID, "%s", msg);
    }
    if (n == 0) {
        return CP_OK;
    }
    if (rank == NULL || (weights == NULL) != (rev_weights == NULL)) {
        return cp__cuda_error_set(err, CP_E_INVALID,
                                  "pagerank_pull: rank is NULL, or only one of weights and "
                                  "rev_weights is given");
    }
    int32_t active = 0;
    for (int32_t v = 0; v < n; v++) {
        active += cp_ops_removed(removed, v) ? 0 : 1;
    }
    if (active == 0) {
        memset(rank, 0, (size_t)n * sizeof *rank);
        return CP_OK;
    }

    cp_status status = CP_OK;
    const int weighted = weights != NULL;
    const double inv_active = 1.0 / (double)active;
    int64_t *d_off = NULL, *d_roff = NULL;
    int32_t *d_idx = NULL, *d_ridx = NULL;
    double *d_w = NULL, *d_rw = NULL, *d_inv = NULL, *d_x[2] = {NULL, NULL}, *d_c[2] = {NULL, NULL},
           *d_part = NULL;
    uint8_t *d_removed = NULL, *d_kind = NULL;
    pr_scalars *d_sc = NULL;
    pr_scalars h_sc;
    memset(&h_sc, 0, sizeof h_sc);
    cudaStream_t st = s->stream;
    const size_t mm = (size_t)(m > 0 ? m : 1);
    const int warps_per_block = CP_GRAPH_THREADS / 32;
    const int64_t grid_setup = cp__cuda_min64(
        s->graph_blocks.pr_setup, ((int64_t)n + CP_GRAPH_THREADS - 1) / CP_GRAPH_THREADS);
    const int64_t grid_iter = cp__cuda_min64(s->graph_blocks.pr_iter,
                                             ((int64_t)n + warps_per_block - 1) / warps_per_block);
    const int64_t n_part = 2 * (grid_setup > grid_iter ? grid_setup : grid_iter);
    const size_t need =
        2 * (size_t)(n + 1) * sizeof(int64_t) + 2 * mm * sizeof(int32_t) +
        (weighted ? 2 * mm * sizeof(double) : 0) + (removed != NULL ? (size_t)n : 0) + (size_t)n +
        5 * (size_t)n * sizeof(double) + (size_t)n_part * sizeof(double) + sizeof(pr_scalars);
    float ms[3] = {0, 0, 0};
    int64_t launched = 0;

    pthread_mutex_lock(&s->lock);
    memset(&s->timing, 0, sizeof s->timing);
    CP_CUDA_TRY(cudaSetDevice(s->device));
    status = cp__cuda_check_free(s, need, "pagerank_pull", n, m, err);
    if (status != CP_OK) {
        goto cleanup;
    }
    CP_CUDA_TRY(cudaMalloc((void **)&d_off, (size_t)(n + 1) * sizeof(int64_t)));
    CP_CUDA_TRY(cudaMalloc((void **)&d_roff, (size_t)(n + 1) * sizeof(int64_t)));
    CP_CUDA_TRY(cudaMalloc((void **)&d_idx, mm * sizeof(int32_t)));
    CP_CUDA_TRY(cudaMalloc((void **)&d_ridx, mm * sizeof(int32_t)));
    if (weighted) {
        CP_CUDA_TRY(cudaMalloc((void **)&d_w, mm * sizeof(double)));
        CP_CUDA_TRY(cudaMalloc((void **)&d_rw, mm * sizeof(double)));
    }
    if (removed != NULL) {
        CP_CUDA_TRY(cudaMalloc((void **)&d_removed, (size_t)n));
    }
    CP_CUDA_TRY(cudaMalloc((void **)&d_kind, (size_t)n));
    CP_CUDA_TRY(cudaMalloc((void **)&d_inv, (size_t)n * sizeof(double)));
    for (int b = 0; b < 2; b++) {
        CP_CUDA_TRY(cudaMalloc((void **)&d_x[b], (size_t)n * sizeof(double)));
        CP_CUDA_TRY(cudaMalloc((void **)&d_c[b], (size_t)n * sizeof(double)));
    }
    CP_CUDA_TRY(cudaMalloc((void **)&d_part, (size_t)n_part * sizeof(double)));
    CP_CUDA_TRY(cudaMalloc((void **)&d_sc, sizeof(pr_scalars)));

    CP_CUDA_TRY(cudaEventRecord(s->ev[0], st));
    status = cp__cuda_upload_csr_csc(st, n, m, offsets, indices, rev_offsets, rev_indices, d_off,
                                     d_idx, d_roff, d_ridx, err);
    if (status != CP_OK) {
        goto cleanup;
    }
    if (m > 0) {
        if (weighted) {
            CP_CUDA_TRY(cudaMemcpyAsync(d_w, weights, (size_t)m * sizeof(double),
                                        cudaMemcpyHostToDevice, st));
            CP_CUDA_TRY(cudaMemcpyAsync(d_rw, rev_weights, (size_t)m * sizeof(double),
                                        cudaMemcpyHostToDevice, st));
        }
    }
    if (removed != NULL) {
        CP_CUDA_TRY(cudaMemcpyAsync(d_removed, removed, (size_t)n, cudaMemcpyHostToDevice, st));
    }
    CP_CUDA_TRY(cudaEventRecord(s->ev[1], st));

    CP_CUDA_TRY(cudaMemsetAsync(d_sc, 0, sizeof(pr_scalars), st));
    pr_setup_kernel<<<(unsigned)grid_setup, CP_GRAPH_THREADS, 0, st>>>(
        n, d_off, d_idx, d_w, d_removed, inv_active, d_kind, d_inv, d_x[0], d_c[0], d_part, d_sc);
    CP_CUDA_CHECK_LAUNCH(s, "pr_setup_kernel");
    /* Invariant: launch k reads buffers k & 1 and writes (k + 1) & 1; once the done flag is up
     * the later launches do nothing, so after `iterations` executed launches the last iterate is
     * in buffers iterations & 1. */
    while (launched < max_iter) {
        int64_t batch = cp__cuda_min64(max_iter - launched, CP_PR_BATCH);
        for (int64_t j = 0; j < batch; j++) {
            const int p = (int)((launched + j) & 1);
            pr_iter_kernel<<<(unsigned)grid_iter, CP_GRAPH_THREADS, 0, st>>>(
                n, d_roff, d_ridx, d_rw, d_kind, d_inv, d_x[p], d_c[p], d_x[p ^ 1], d_c[p ^ 1],
                damping, inv_active, tol, p, d_part, d_sc);
            CP_CUDA_CHECK_LAUNCH(s, "pr_iter_kernel");
        }
        launched += batch;
        /* Pageable destination: the copy returns once the scalars are on the host. */
        CP_CUDA_TRY(cudaMemcpyAsync(&h_sc, d_sc, sizeof(pr_scalars), cudaMemcpyDeviceToHost, st));
        CP_CUDA_TRY(cudaStreamSynchronize(st));
        if (h_sc.done) {
            break;
        }
    }
    if (h_sc.iterations < 1 || h_sc.iterations > max_iter || h_sc.iterations > launched) {
        status = cp__cuda_error_set(err, CP_E_INTERNAL,
                                    "pagerank_pull: the device counted %lld iterations of %lld "
                                    "launched",
                                    h_sc.iterations, (long long)launched);
        goto cleanup;
    }
    CP_CUDA_TRY(cudaEventRecord(s->ev[2], st));
    CP_CUDA_TRY(cudaMemcpyAsync(rank, d_x[h_sc.iterations & 1], (size_t)n * sizeof(double),
                                cudaMemcpyDeviceToHost, st));
    CP_CUDA_TRY(cudaEventRecord(s->ev[3], st));
    CP_CUDA_TRY(cudaStreamSynchronize(st));
    for (int i = 0; i < 3; i++) {
        CP_CUDA_TRY(cudaEventElapsedTime(&ms[i], s->ev[i], s->ev[i + 1]));
    }
    s->timing.upload_ms = ms[0];
    s->timing.kernel_ms = ms[1];
    s->timing.download_ms = ms[2];
    s->timing.upload_bytes =
        2.0 * (double)(n + 1) * sizeof(int64_t) + 2.0 * (double)m * sizeof(int32_t) +
        (weighted ? 2.0 * (double)m * sizeof(double) : 0.0) + (removed != NULL ? n : 0);
    s->timing.levels = (double)h_sc.iterations;
    *iterations = h_sc.iterations;
    *final_change = h_sc.change;
    if (!h_sc.done) {
        status = cp__cuda_error_set(err, CP_W_NOT_CONVERGED,
                                    "pagerank_pull: L1 change %g after %lld iterations, not below "
                                    "tol = %g",
                                    h_sc.change, h_sc.iterations, tol);
    }

cleanup:
    if (status < 0) {
        (void)cudaStreamSynchronize(st);
        memset(rank, 0, (size_t)n * sizeof *rank);
        *iterations = 0;
        *final_change = 0.0;
    }
    CP_CUDA_FREE(d_off);
    CP_CUDA_FREE(d_roff);
    CP_CUDA_FREE(d_idx);
    CP_CUDA_FREE(d_ridx);
    CP_CUDA_FREE(d_w);
    CP_CUDA_FREE(d_rw);
    CP_CUDA_FREE(d_removed);
    CP_CUDA_FREE(d_kind);
    CP_CUDA_FREE(d_inv);
    for (int b = 0; b < 2; b++) {
        CP_CUDA_FREE(d_x[b]);
        CP_CUDA_FREE(d_c[b]);
    }
    CP_CUDA_FREE(d_part);
    CP_CUDA_FREE(d_sc);
    pthread_mutex_unlock(&s->lock);
    return status;
}
