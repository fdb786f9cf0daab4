/* Hop distances from one source (the bfs_hops operation).
 *
 * What: hops[v] = the fewest out-edges on a path source -> v through non-removed nodes, -1 when
 *   unreachable or removed. Level-synchronous BFS, direction-optimising (Beamer, Asanovic and
 *   Patterson 2012): a level runs top-down (the frontier queue pushes along out-edges, CSR) while
 *   the frontier's out-edges m_f are few next to the edges left unexplored m_u (m_f <= m_u / 14),
 *   and bottom-up (every unvisited node looks along its in-edges, CSC, for a parent on the
 *   current level, stopping at the first) from then until the frontier has fewer than n / 24
 *   nodes. m_u is estimated as m minus the out-degrees of the nodes found so far; the choice only
 *   changes speed, never the result.
 * Mapping: top-down, one warp per frontier node, its lanes striding over the node's out-edges
 *   (as reach.cu); bottom-up, one thread per node (grid-stride), scanning its in-edges in order.
 *   Grids are at most the resident blocks of the device.
 * Work: O(n + m) top-down; a bottom-up level reads every unvisited node's in-edges up to its first
 *   parent, O(m) at most. The host reads back two counters per level (one synchronisation).
 * Bytes per edge: top-down 4 (head) + 1 (removed[head]) + 4 (hops[head], L2) + an atomicCAS when
 *   the head is new; bottom-up 4 (tail) + 4 (hops[tail], a gather).
 * Determinism: which thread claims a node (atomicCAS from -1) and the queue order depend on
 *   scheduling; the hop values do not: a node is claimed on the first level that reaches it, with
 *   that level + 1. In a bottom-up level only the thread of v writes hops[v], and it compares
 *   in-neighbours' hops with the current level, which no write of this level produces (writes
 *   store level + 1 over -1), so racing reads cannot change the outcome.
 * Numeric types: int32 hops and node ids (n < 2^31), int64 edge offsets, unsigned long long
 *   counters (the frontier's out-degree sum may exceed 2^32). */
#include <stdio.h>
#include <string.h>

#include "graph_ops_hd.h"
#include "plugin.cuh"

typedef unsigned long long u64;

/* Beamer's switching parameters (alpha and beta of the paper; their defaults). */
#define CP_BFS_ALPHA 14.0
#define CP_BFS_BETA  24

/* ---------------------------------------------------------------------------------------------
 * Kernels
 * --------------------------------------------------------------------------------------------- */

/* The source is on level 0 and is the first frontier. */
__global__ void bfs_seed_kernel(int32_t *hops, int32_t *queue, int32_t source) {
    if (blockIdx.x == 0 && threadIdx.x == 0) {
        hops[source] = 0;
        queue[0] = source;
    }
}

/* One top-down level: frontier node u (on `level`) claims each non-removed, unvisited head w with
 * level + 1 and queues it, adding w's out-degree to count[1]. count[0]: the next queue's length. */
__global__ void __launch_bounds__(CP_GRAPH_THREADS)
    bfs_top_down_kernel(const int32_t *__restrict__ frontier, int64_t nf,
                        const int64_t *__restrict__ offsets, const int32_t *__restrict__ indices,
                        const uint8_t *__restrict__ removed, int32_t *hops, int32_t *next,
                        u64 *count, int32_t level) {
    const int lane = (int)(threadIdx.x & 31u);
    const int64_t warp = ((int64_t)blockIdx.x * blockDim.x + threadIdx.x) >> 5;
    const int64_t n_warps = ((int64_t)gridDim.x * blockDim.x) >> 5;
    for (int64_t i = warp; i < nf; i += n_warps) {
        const int32_t u = frontier[i];
        const int64_t end = offsets[u + 1];
        for (int64_t k = offsets[u] + lane; k < end; k += 32) {
            const int32_t w = indices[k];
            if (cp_ops_removed(removed, w) || __ldcg(&hops[w]) != -1) {
                continue;
            }
            if (atomicCAS(&hops[w], -1, level + 1) == -1) {
                next[atomicAdd(&count[0], 1ull)] = w;
                atomicAdd(&count[1], (u64)(offsets[w + 1] - offsets[w]));
            }
        }
    }
}

/* One bottom-up level: each non-removed node v not yet visited takes level + 1 when one of its
 * in-neighbours is on `level`; it is queued (the queue serves a later top-down level) and its
 * out-degree added to count[1]. */
__global__ void __launch_bounds__(CP_GRAPH_THREADS)
    bfs_bottom_up_kernel(int32_t n, const int64_t *__restrict__ offsets,
                         const int64_t *__restrict__ rev_offsets,
                         const int32_t *__restrict__ rev_indices,
                         const uint8_t *__restrict__ removed, int32_t *hops, int32_t *next,
                         u64 *count, int32_t level) {
    const int64_t stride = (int64_t)gridDim.x * blockDim.x;
    for (int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += stride) {
        const int32_t v = (int32_t)i;
        if (hops[v] != -1 || cp_ops_removed(removed, v)) {
            continue;
        }
        const int64_t end = rev_offsets[v + 1];
        for (int64_t k = rev_offsets[v]; k < end; k++) {
            if (__ldcg(&hops[rev_indices[k]]) == level) {
                hops[v] = level + 1;
                next[atomicAdd(&count[0], 1ull)] = v;
                atomicAdd(&count[1], (u64)(offsets[v + 1] - offsets[v]));
                break;
            }
        }
    }
}

/* ---------------------------------------------------------------------------------------------
 * Launchers
 * --------------------------------------------------------------------------------------------- */

cp_status cp__cuda_bfs_occupancy(cp_cuda_state *s, cp_error *err) {
    cp_status status = CP_OK;
    int td = 0, bu = 0;
    CP_CUDA_TRY(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&td, bfs_top_down_kernel,
                                                              CP_GRAPH_THREADS, 0));
    CP_CUDA_TRY(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&bu, bfs_bottom_up_kernel,
                                                              CP_GRAPH_THREADS, 0));
    s->graph_blocks.bfs_top_down = (td > 0 ? td : 1) * s->sm_count;
    s->graph_blocks.bfs_bottom_up = (bu > 0 ? bu : 1) * s->sm_count;
cleanup:
    return status;
}

cp_status cp__cuda_bfs_hops(void *state, int32_t n, int64_t m, const int64_t *offsets,
                            const int32_t *indices, const int64_t *rev_offsets,
                            const int32_t *rev_indices, const uint8_t *removed, int32_t source,
                            int32_t *hops, cp_error *err) {
    cp_cuda_state *s = (cp_cuda_state *)state;
    char msg[256];
    if (cp_ops_check_graph(msg, sizeof msg, "bfs_hops", n, m, offsets, indices, rev_offsets,
                           rev_indices, 1) != 0) {
        return cp__cuda_error_set(err, CP_E_INVALID, "%s", msg);
    }
    if (source < 0 || source >= n || hops == NULL) {
        return cp__cuda_error_set(err, CP_E_INVALID,
                                  "bfs_hops: source %d is not a node (n = %d) or hops is NULL",
                                  source, n);
    }
    cp_status status = CP_OK;
    int64_t *d_off = NULL, *d_roff = NULL;
    int32_t *d_idx = NULL, *d_ridx = NULL, *d_hops = NULL, *d_queue[2] = {NULL, NULL};
    uint8_t *d_removed = NULL;
    u64 *d_count = NULL;
    u64 h_count[2] = {0, 0};
    cudaStream_t st = s->stream;
    const size_t mm = (size_t)(m > 0 ? m : 1);
    const size_t need = 2 * (size_t)(n + 1) * sizeof(int64_t) + 2 * mm * sizeof(int32_t) +
                        (removed != NULL ? (size_t)n : 0) + 3 * (size_t)n * sizeof(int32_t) +
                        2 * sizeof(u64);
    float ms[3] = {0, 0, 0};
    int32_t level = 0;
    int cur = 0;

    pthread_mutex_lock(&s->lock);
    memset(&s->timing, 0, sizeof s->timing);
    CP_CUDA_TRY(cudaSetDevice(s->device)); /* the calling thread may not be the opening one */
    status = cp__cuda_check_free(s, need, "bfs_hops", n, m, err);
    if (status != CP_OK) {
        goto cleanup;
    }
    CP_CUDA_TRY(cudaMalloc((void **)&d_off, (size_t)(n + 1) * sizeof(int64_t)));
    CP_CUDA_TRY(cudaMalloc((void **)&d_roff, (size_t)(n + 1) * sizeof(int64_t)));
    CP_CUDA_TRY(cudaMalloc((void **)&d_idx, mm * sizeof(int32_t)));
    CP_CUDA_TRY(cudaMalloc((void **)&d_ridx, mm * sizeof(int32_t)));
    CP_CUDA_TRY(cudaMalloc((void **)&d_hops, (size_t)n * sizeof(int32_t)));
    CP_CUDA_TRY(cudaMalloc((void **)&d_queue[0], (size_t)n * sizeof(int32_t)));
    CP_CUDA_TRY(cudaMalloc((void **)&d_queue[1], (size_t)n * sizeof(int32_t)));
    CP_CUDA_TRY(cudaMalloc((void **)&d_count, 2 * sizeof(u64)));
    if (removed != NULL) {
        CP_CUDA_TRY(cudaMalloc((void **)&d_removed, (size_t)n));
    }

    CP_CUDA_TRY(cudaEventRecord(s->ev[0], st));
    status = cp__cuda_upload_csr_csc(st, n, m, offsets, indices, rev_offsets, rev_indices, d_off,
                                     d_idx, d_roff, d_ridx, err);
    if (status != CP_OK) {
        goto cleanup;
    }
    if (removed != NULL) {
        CP_CUDA_TRY(cudaMemcpyAsync(d_removed, removed, (size_t)n, cudaMemcpyHostToDevice, st));
    }
    CP_CUDA_TRY(cudaEventRecord(s->ev[1], st));

    CP_CUDA_TRY(cudaMemsetAsync(d_hops, 0xFF, (size_t)n * sizeof(int32_t), st)); /* all -1 */
    if (removed == NULL || removed[source] == 0) {
        bfs_seed_kernel<<<1, 32, 0, st>>>(d_hops, d_queue[0], source);
        CP_CUDA_CHECK_LAUNCH(s, "bfs_seed_kernel");
        int64_t nf = 1;
        /* The frontier's out-degree sum, and the estimate of edges not yet explored. */
        double mf = (double)(offsets[source + 1] - offsets[source]);
        double mu = (double)m - mf;
        int bottom_up = 0;
        /* Invariant: queue[cur] holds the nf nodes on `level`, each once; every node on a level
         * <= level has its final hops; no other node has been claimed. */
        while (nf > 0) {
            if (level >= n) {
                status = cp__cuda_error_set(err, CP_E_INTERNAL,
                                            "bfs_hops: still running after %d levels (n = %d)",
                                            level, n);
                goto cleanup;
            }
            if (!bottom_up && mf > mu / CP_BFS_ALPHA) {
                bottom_up = 1;
            } else if (bottom_up && nf < (int64_t)n / CP_BFS_BETA) {
                bottom_up = 0;
            }
            CP_CUDA_TRY(cudaMemsetAsync(d_count, 0, 2 * sizeof(u64), st));
            if (bottom_up) {
                int64_t blocks =
                    cp__cuda_min64(s->graph_blocks.bfs_bottom_up,
                                   ((int64_t)n + CP_GRAPH_THREADS - 1) / CP_GRAPH_THREADS);
                bfs_bottom_up_kernel<<<(unsigned)blocks, CP_GRAPH_THREADS, 0, st>>>(
                    n, d_off, d_roff, d_ridx, d_removed, d_hops, d_queue[cur ^ 1], d_count, level);
                CP_CUDA_CHECK_LAUNCH(s, "bfs_bottom_up_kernel");
            } else {
                const int warps_per_block = CP_GRAPH_THREADS / 32;
                int64_t blocks = cp__cuda_min64(s->graph_blocks.bfs_top_down,
                                                (nf + warps_per_block - 1) / warps_per_block);
                bfs_top_down_kernel<<<(unsigned)blocks, CP_GRAPH_THREADS, 0, st>>>(
                    d_queue[cur], nf, d_off, d_idx, d_removed, d_hops, d_queue[cur ^ 1], d_count,
                    level);
                CP_CUDA_CHECK_LAUNCH(s, "bfs_top_down_kernel");
            }
            /* Pageable destination: the copy returns once the counters are on the host. */
            CP_CUDA_TRY(
                cudaMemcpyAsync(h_count, d_count, 2 * sizeof(u64), cudaMemcpyDeviceToHost, st));
            CP_CUDA_TRY(cudaStreamSynchronize(st));
            nf = (int64_t)h_count[0];
            mf = (double)h_count[1];
            mu -= mf;
            cur ^= 1;
            level++;
        }
    }
    CP_CUDA_TRY(cudaEventRecord(s->ev[2], st));
    CP_CUDA_TRY(
        cudaMemcpyAsync(hops, d_hops, (size_t)n * sizeof(int32_t), cudaMemcpyDeviceToHost, st));
    CP_CUDA_TRY(cudaEventRecord(s->ev[3], st));
    CP_CUDA_TRY(cudaStreamSynchronize(st));
    for (int i = 0; i < 3; i++) {
        CP_CUDA_TRY(cudaEventElapsedTime(&ms[i], s->ev[i], s->ev[i + 1]));
    }
    s->timing.upload_ms = ms[0];
    s->timing.kernel_ms = ms[1];
    s->timing.download_ms = ms[2];
    s->timing.upload_bytes = 2.0 * (double)(n + 1) * sizeof(int64_t) +
                             2.0 * (double)m * sizeof(int32_t) + (removed != NULL ? n : 0);
    s->timing.levels = level;

cleanup:
    if (status != CP_OK) {
        (void)cudaStreamSynchronize(st); /* nothing may still use the buffers freed below */
    }
    CP_CUDA_FREE(d_off);
    CP_CUDA_FREE(d_roff);
    CP_CUDA_FREE(d_idx);
    CP_CUDA_FREE(d_ridx);
    CP_CUDA_FREE(d_hops);
    CP_CUDA_FREE(d_queue[0]);
    CP_CUDA_FREE(d_queue[1]);
    CP_CUDA_FREE(d_count);
    CP_CUDA_FREE(d_removed);
    pthread_mutex_unlock(&s->lock);
    return status;
}
