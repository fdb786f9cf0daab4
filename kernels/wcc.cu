/* Weakly connected components (the wcc_labels operation).
 *
 * What: labels[v] = the smallest node index of v's weakly connected component in the graph minus
 *   removed nodes, -1 for removed nodes (cp_wcc's labelling). Concurrent union-find in the manner
 *   of ECL-CC (Jaiganesh and Burtscher 2018): every node starts as its own root; for every edge
 *   u -> w between non-removed nodes the two roots are joined by hooking the larger root under the
 *   smaller with atomicCAS (retried when another thread hooked that root first); finds halve
 *   paths with plain stores. A last pass follows each node to its root.
 * Invariant: parent[x] <= x for every x, at every moment (hooks point a root at a smaller node;
 *   path halving points x at an ancestor, which is smaller still). So each tree's root is its
 *   smallest node, and after the hook pass, when each component is one tree, the root is exactly
 *   the label wanted: no separate minimum pass is needed.
 * Mapping: init and label, one thread per node (grid-stride); hook, one warp per node u, its lanes
 *   striding over u's out-edges (CSR). The CSC is not read: every edge is in the CSR.
 * Work: O(n + m alpha) expected; each edge is read once. Bytes per edge: 4 (head) + 1 (removed)
 *   + the finds' parent reads (a few, L2-resident for hot roots) + an atomicCAS per successful
 *   hook (at most n - 1 in all).
 * Determinism: which hooks win depends on scheduling, the final trees do not matter: the label of
 *   every node is the smallest node of its component whatever the order, so the output is unique.
 *   parent is read with __ldcg (L2): a stale L1 copy could hide a hook and make a CAS retry spin.
 * Numeric types: int32 node ids and parents (n < 2^31), int64 edge offsets. */
#include <stdio.h>
#include <string.h>

#include "graph_ops_hd.h"
#include "plugin.cuh"

/* ---------------------------------------------------------------------------------------------
 * Kernels
 * --------------------------------------------------------------------------------------------- */

/* The root of x, halving the path on the way (each visited node is pointed at its grandparent).
 * Racing writers store ancestors of x only, and parent pointers only decrease, so the loop ends. */
static __device__ __forceinline__ int32_t wcc_find(int32_t *parent, int32_t x) {
    int32_t p = __ldcg(&parent[x]);
    while (p != x) {
        const int32_t gp = __ldcg(&parent[p]);
        if (gp != p) {
            parent[x] = gp;
        }
        x = gp;
        p = __ldcg(&parent[x]);
    }
    return x;
}

/* Joins the trees of a and b: the larger root is hooked under the smaller one. */
static __device__ __forceinline__ void wcc_union(int32_t *parent, int32_t a, int32_t b) {
    int32_t ra = wcc_find(parent, a);
    int32_t rb = wcc_find(parent, b);
    while (ra != rb) {
        const int32_t hi = ra > rb ? ra : rb;
        const int32_t lo = ra > rb ? rb : ra;
        if (atomicCAS(&parent[hi], hi, lo) == hi) {
            return;
        }
        /* hi was hooked by another thread meanwhile: find both roots again. */
        ra = wcc_find(parent, hi);
        rb = wcc_find(parent, lo);
    }
}

__global__ void __launch_bounds__(CP_GRAPH_THREADS) wcc_init_kernel(int32_t n, int32_t *parent) {
    const int64_t stride = (int64_t)gridDim.x * blockDim.x;
    for (int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += stride) {
        parent[i] = (int32_t)i;
    }
}

__global__ void __launch_bounds__(CP_GRAPH_THREADS)
    wcc_hook_kernel(int32_t n, const int64_t *__restrict__ offsets,
                    const int32_t *__restrict__ indices, const uint8_t *__restrict__ removed,
                    int32_t *parent) {
    const int lane = (int)(threadIdx.x & 31u);
    const int64_t warp = ((int64_t)blockIdx.x * blockDim.x + threadIdx.x) >> 5;
    const int64_t n_warps = ((int64_t)gridDim.x * blockDim.x) >> 5;
    for (int64_t i = warp; i < n; i += n_warps) {
        const int32_t u = (int32_t)i;
        if (cp_ops_removed(removed, u)) {
            continue;
        }
        const int64_t end = offsets[u + 1];
        for (int64_t k = offsets[u] + lane; k < end; k += 32) {
            const int32_t w = indices[k];
            if (w != u && !cp_ops_removed(removed, w)) {
                wcc_union(parent, u, w);
            }
        }
    }
}

/* After the hooks (a kernel boundary: every write is visible): each node's root, -1 if removed. */
__global__ void __launch_bounds__(CP_GRAPH_THREADS)
    wcc_label_kernel(int32_t n, const uint8_t *__restrict__ removed,
                     const int32_t *__restrict__ parent, int32_t *labels) {
    const int64_t stride = (int64_t)gridDim.x * blockDim.x;
    for (int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += stride) {
        int32_t x = (int32_t)i;
        if (cp_ops_removed(removed, x)) {
            labels[i] = -1;
            continue;
        }
        int32_t p = parent[x];
        while (p != x) {
            x = p;
            p = parent[x];
        }
        labels[i] = x;
    }
}

/* ---------------------------------------------------------------------------------------------
 * Launchers
 * --------------------------------------------------------------------------------------------- */

cp_status cp__cuda_wcc_occupancy(cp_cuda_state *s, cp_error *err) {
    cp_status status = CP_OK;
    int a = 0, b = 0, c = 0;
    CP_CUDA_TRY(
        cudaOccupancyMaxActiveBlocksPerMultiprocessor(&a, wcc_init_kernel, CP_GRAPH_THREADS, 0));
    CP_CUDA_TRY(
        cudaOccupancyMaxActiveBlocksPerMultiprocessor(&b, wcc_hook_kernel, CP_GRAPH_THREADS, 0));
    CP_CUDA_TRY(
        cudaOccupancyMaxActiveBlocksPerMultiprocessor(&c, wcc_label_kernel, CP_GRAPH_THREADS, 0));
    s->graph_blocks.wcc_init = (a > 0 ? a : 1) * s->sm_count;
    s->graph_blocks.wcc_hook = (b > 0 ? b : 1) * s->sm_count;
    s->graph_blocks.wcc_label = (c > 0 ? c : 1) * s->sm_count;
cleanup:
    return status;
}

cp_status cp__cuda_wcc_labels(void *state, int32_t n, int64_t m, const int64_t *offsets,
                              const int32_t *indices, const int64_t *rev_offsets,
                              const int32_t *rev_indices, const uint8_t *removed, int32_t *labels,
                              cp_error *err) {
    cp_cuda_state *s = (cp_cuda_state *)state;
    char msg[256];
    /* The CSC is checked as the CPU twin checks it (same errors on both backends), not read. */
    if (cp_ops_check_graph(msg, sizeof msg, "wcc_labels", n, m, offsets, indices, rev_offsets,
                           rev_indices, 1) != 0) {
        return cp__cuda_error_set(err, CP_E_INVALID, "%s", msg);
    }
    if (n == 0) {
        return CP_OK;
    }
    if (labels == NULL) {
        return cp__cuda_error_set(err, CP_E_INVALID, "wcc_labels: labels is NULL");
    }
    cp_status status = CP_OK;
    int64_t *d_off = NULL;
    int32_t *d_idx = NULL, *d_parent = NULL, *d_labels = NULL;
    uint8_t *d_removed = NULL;
    cudaStream_t st = s->stream;
    const size_t mm = (size_t)(m > 0 ? m : 1);
    const size_t need = (size_t)(n + 1) * sizeof(int64_t) + mm * sizeof(int32_t) +
                        (removed != NULL ? (size_t)n : 0) + 2 * (size_t)n * sizeof(int32_t);
    const int64_t node_blocks = ((int64_t)n + CP_GRAPH_THREADS - 1) / CP_GRAPH_THREADS;
    const int64_t warp_blocks = ((int64_t)n + CP_GRAPH_THREADS / 32 - 1) / (CP_GRAPH_THREADS / 32);
    float ms[3] = {0, 0, 0};

    pthread_mutex_lock(&s->lock);
    memset(&s->timing, 0, sizeof s->timing);
    CP_CUDA_TRY(cudaSetDevice(s->device));
    status = cp__cuda_check_free(s, need, "wcc_labels", n, m, err);
    if (status != CP_OK) {
        goto cleanup;
    }
    CP_CUDA_TRY(cudaMalloc((void **)&d_off, (size_t)(n + 1) * sizeof(int64_t)));
    CP_CUDA_TRY(cudaMalloc((void **)&d_idx, mm * sizeof(int32_t)));
    CP_CUDA_TRY(cudaMalloc((void **)&d_parent, (size_t)n * sizeof(int32_t)));
    CP_CUDA_TRY(cudaMalloc((void **)&d_labels, (size_t)n * sizeof(int32_t)));
    if (removed != NULL) {
        CP_CUDA_TRY(cudaMalloc((void **)&d_removed, (size_t)n));
    }

    CP_CUDA_TRY(cudaEventRecord(s->ev[0], st));
    CP_CUDA_TRY(cudaMemcpyAsync(d_off, offsets, (size_t)(n + 1) * sizeof(int64_t),
                                cudaMemcpyHostToDevice, st));
    if (m > 0) {
        CP_CUDA_TRY(cudaMemcpyAsync(d_idx, indices, (size_t)m * sizeof(int32_t),
                                    cudaMemcpyHostToDevice, st));
    }
    if (removed != NULL) {
        CP_CUDA_TRY(cudaMemcpyAsync(d_removed, removed, (size_t)n, cudaMemcpyHostToDevice, st));
    }
    CP_CUDA_TRY(cudaEventRecord(s->ev[1], st));

    wcc_init_kernel<<<(unsigned)cp__cuda_min64(s->graph_blocks.wcc_init, node_blocks),
                      CP_GRAPH_THREADS, 0, st>>>(n, d_parent);
    CP_CUDA_CHECK_LAUNCH(s, "wcc_init_kernel");
    wcc_hook_kernel<<<(unsigned)cp__cuda_min64(s->graph_blocks.wcc_hook, warp_blocks),
                      CP_GRAPH_THREADS, 0, st>>>(n, d_off, d_idx, d_removed, d_parent);
    CP_CUDA_CHECK_LAUNCH(s, "wcc_hook_kernel");
    wcc_label_kernel<<<(unsigned)cp__cuda_min64(s->graph_blocks.wcc_label, node_blocks),
                       CP_GRAPH_THREADS, 0, st>>>(n, d_removed, d_parent, d_labels);
    CP_CUDA_CHECK_LAUNCH(s, "wcc_label_kernel");

    CP_CUDA_TRY(cudaEventRecord(s->ev[2], st));
    CP_CUDA_TRY(
        cudaMemcpyAsync(labels, d_labels, (size_t)n * sizeof(int32_t), cudaMemcpyDeviceToHost, st));
    CP_CUDA_TRY(cudaEventRecord(s->ev[3], st));
    CP_CUDA_TRY(cudaStreamSynchronize(st));
    for (int i = 0; i < 3; i++) {
        CP_CUDA_TRY(cudaEventElapsedTime(&ms[i], s->ev[i], s->ev[i + 1]));
    }
    s->timing.upload_ms = ms[0];
    s->timing.kernel_ms = ms[1];
    s->timing.download_ms = ms[2];
    s->timing.upload_bytes =
        (double)(n + 1) * sizeof(int64_t) + (double)m * sizeof(int32_t) + (removed != NULL ? n : 0);
    s->timing.levels = 1;

cleanup:
    if (status != CP_OK) {
        (void)cudaStreamSynchronize(st);
    }
    CP_CUDA_FREE(d_off);
    CP_CUDA_FREE(d_idx);
    CP_CUDA_FREE(d_parent);
    CP_CUDA_FREE(d_labels);
    CP_CUDA_FREE(d_removed);
    pthread_mutex_unlock(&s->lock);
    return status;
}
