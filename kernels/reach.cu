/* S-T co-reachability for 64 removal scenarios at once (the st_coreach64 operation).
 *
 * What: coreach[v] bit j is set when, in scenario j, node v is not removed and reaches a
 *   non-removed target along non-removed nodes (a target reaches itself). Computed as a
 *   level-synchronous backward multi-source BFS from the targets over the CSC (in-edges), all 64
 *   scenarios of a word moving together. The CPU twin is cp__cpu_st_coreach64 (host/backend.c).
 * Thread-to-work mapping: seeding, one thread per target (grid-stride). Expansion, one warp per
 *   frontier node (grid-stride over the frontier), the warp's lanes striding over the node's
 *   in-edges, so a row's indices are read coalesced. A node u that gains bits is queued for the
 *   next level at most once per level: atomicExch on its level stamp elects the one thread that
 *   appends it, and atomicAdd on a single counter gives the slot. The host reads that counter once
 *   per level; the loop ends when a level queues nothing.
 * Work: O(sum over levels of the frontier's in-degrees) = O(m * levels) in the worst case; each
 *   node enters the frontier only in a level after it gained bits, so at most once per level.
 * Bytes per edge traversed: 4 (rev_indices, coalesced) + 8 (removed[u], gather) + 8 (coreach[u],
 *   gather, L2) + 8 when bits are gained (atomicOr, L2); per frontier node 16 (row bounds) + 8
 *   (its word) + 4 (queue entry). Memory-bound on the two gathers.
 * Determinism: the queue order and the interleaving of atomicOr depend on scheduling, the result
 *   does not: coreach is the least fixed point of coreach[u] = alive[u] & (target[u] | OR of
 *   coreach over u's out-neighbours), so the words are bit-identical to the CPU twin's. Reads of
 *   coreach that race with atomicOr may be stale; a stale read only computes a larger candidate
 *   gain, which atomicOr then filters, and any bit a node gains after its word was read queues it
 *   again for the next level.
 * Numeric types: unsigned long long words (64 scenarios, the operand type of the 64-bit atomicOr);
 *   int64 edge offsets (m may exceed 2^31); int32 node ids (n < 2^31); uint32 level stamps and
 *   queue counters (a level queues at most n nodes; there are at most n + 1 levels). */
#include <stdio.h>
#include <string.h>

#include "plugin.cuh"

typedef unsigned long long u64;

/* ---------------------------------------------------------------------------------------------
 * Kernels
 * --------------------------------------------------------------------------------------------- */

/* Seeds the BFS: each target takes its alive bits and is queued (with stamp 1) when it gained any.
 * Duplicated targets are harmless: only the first atomicOr gains bits. */
__global__ void __launch_bounds__(CP_REACH_THREADS)
    reach_seed_kernel(const int32_t *__restrict__ targets, int64_t n_targets,
                      const u64 *__restrict__ removed, u64 *coreach, uint32_t *stamp,
                      int32_t *queue, uint32_t *count) {
    const int64_t stride = (int64_t)gridDim.x * blockDim.x;
    for (int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x; i < n_targets; i += stride) {
        const int32_t t = targets[i];
        const u64 alive = ~removed[t];
        if (alive == 0) {
            continue;
        }
        const u64 old = atomicOr(&coreach[t], alive);
        if ((alive & ~old) != 0 && atomicExch(&stamp[t], 1u) != 1u) {
            queue[atomicAdd(count, 1u)] = t;
        }
    }
}

/* One level: every frontier node v pushes its word to its in-neighbours u (tails of u -> v),
 * masked by u's alive bits; a u that gains bits is queued for next_level. coreach is read with
 * __ldcg (L2, not a possibly stale L1 line) and is not __restrict__: other threads update it. */
__global__ void __launch_bounds__(CP_REACH_THREADS)
    reach_expand_kernel(const int32_t *__restrict__ frontier, int64_t nf,
                        const int64_t *__restrict__ rev_offsets,
                        const int32_t *__restrict__ rev_indices, const u64 *__restrict__ removed,
                        u64 *coreach, uint32_t *stamp, int32_t *next, uint32_t *next_count,
                        uint32_t next_level) {
    const int lane = (int)(threadIdx.x & 31u);
    const int64_t warp = ((int64_t)blockIdx.x * blockDim.x + threadIdx.x) >> 5;
    const int64_t n_warps = ((int64_t)gridDim.x * blockDim.x) >> 5;
    for (int64_t i = warp; i < nf; i += n_warps) {
        const int32_t v = frontier[i];
        const u64 bits = __ldcg(&coreach[v]);
        const int64_t end = rev_offsets[v + 1];
        for (int64_t k = rev_offsets[v] + lane; k < end; k += 32) {
            const int32_t u = rev_indices[k];
            u64 gain = bits & ~removed[u];
            if (gain == 0) {
                continue;
            }
            gain &= ~__ldcg(&coreach[u]);
            if (gain == 0) {
                continue;
            }
            const u64 old = atomicOr(&coreach[u], gain);
            if ((gain & ~old) != 0 && atomicExch(&stamp[u], next_level) != next_level) {
                next[atomicAdd(next_count, 1u)] = u;
            }
        }
    }
}

/* ---------------------------------------------------------------------------------------------
 * Launchers
 * --------------------------------------------------------------------------------------------- */

cp_status cp__cuda_reach_occupancy(cp_cuda_state *s, cp_error *err) {
    cp_status status = CP_OK;
    int per_sm_seed = 0, per_sm_expand = 0;
    CP_CUDA_TRY(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&per_sm_seed, reach_seed_kernel,
                                                              CP_REACH_THREADS, 0));
    CP_CUDA_TRY(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&per_sm_expand, reach_expand_kernel,
                                                              CP_REACH_THREADS, 0));
    s->blocks_seed = (per_sm_seed > 0 ? per_sm_seed : 1) * s->sm_count;
    s->blocks_expand = (per_sm_expand > 0 ? per_sm_expand : 1) * s->sm_count;
cleanup:
    return status;
}

void cp__cuda_reach_release(cp_cuda_state *s) {
    cp_cuda_reach_buffers *b = &s->reach;
    void *ptrs[] = {b->d_rev_offsets, b->d_rev_indices, b->d_removed, b->d_coreach, b->d_queue[0],
                    b->d_queue[1],    b->d_stamp,       b->d_targets, b->d_count};
    for (size_t i = 0; i < sizeof ptrs / sizeof ptrs[0]; i++) {
        if (ptrs[i] != NULL) {
            (void)cudaFree(ptrs[i]);
        }
    }
    memset(b, 0, sizeof *b);
}

/* Device bytes of the reach buffers for n nodes, m in-edges and t targets. */
static size_t reach_bytes(int64_t n, int64_t m, int64_t t) {
    return (size_t)(n + 1) * sizeof(int64_t) + (size_t)m * sizeof(int32_t) +
           (size_t)n * (2 * sizeof(u64) + 2 * sizeof(int32_t) + sizeof(uint32_t)) +
           (size_t)t * sizeof(int32_t) + sizeof(uint32_t);
}

/* Makes the buffers hold at least (n, m, t); checks free device memory before allocating. */
static cp_status reach_reserve(cp_cuda_state *s, int64_t n, int64_t m, int64_t t, cp_error *err) {
    cp_status status = CP_OK;
    cp_cuda_reach_buffers *b = &s->reach;
    if (b->d_count != NULL && b->cap_n >= n && b->cap_m >= m && b->cap_t >= t) {
        return CP_OK;
    }
    /* Grow to the larger of the old and new sizes so alternating calls do not reallocate. */
    int64_t cn = n > b->cap_n ? n : b->cap_n;
    int64_t cm = m > b->cap_m ? m : b->cap_m;
    int64_t ct = t > b->cap_t ? t : b->cap_t;
    if (ct < 1) {
        ct = 1;
    }
    cp__cuda_reach_release(s);
    size_t need = reach_bytes(cn, cm, ct);
    size_t free_b = 0, total_b = 0;
    CP_CUDA_TRY(cudaMemGetInfo(&free_b, &total_b));
    if (need > free_b) {
        return cp__cuda_error_set(
            err, CP_E_DEVMEM,
            "S-T reachability on the GPU needs %zu bytes of device memory (n = %lld nodes, m = "
            "%lld edges, %lld targets), but device %d has %zu bytes free of %zu",
            need, (long long)cn, (long long)cm, (long long)ct, s->device, free_b, total_b);
    }
    CP_CUDA_TRY(cudaMalloc((void **)&b->d_rev_offsets, (size_t)(cn + 1) * sizeof(int64_t)));
    CP_CUDA_TRY(
        cudaMalloc((void **)&b->d_rev_indices, (size_t)(cm > 0 ? cm : 1) * sizeof(int32_t)));
    CP_CUDA_TRY(cudaMalloc((void **)&b->d_removed, (size_t)cn * sizeof(u64)));
    CP_CUDA_TRY(cudaMalloc((void **)&b->d_coreach, (size_t)cn * sizeof(u64)));
    CP_CUDA_TRY(cudaMalloc((void **)&b->d_queue[0], (size_t)cn * sizeof(int32_t)));
    CP_CUDA_TRY(cudaMalloc((void **)&b->d_queue[1], (size_t)cn * sizeof(int32_t)));
    CP_CUDA_TRY(cudaMalloc((void **)&b->d_stamp, (size_t)cn * sizeof(uint32_t)));
    CP_CUDA_TRY(cudaMalloc((void **)&b->d_targets, (size_t)ct * sizeof(int32_t)));
    CP_CUDA_TRY(cudaMalloc((void **)&b->d_count, sizeof(uint32_t)));
    b->cap_n = cn;
    b->cap_m = cm;
    b->cap_t = ct;
cleanup:
    if (status != CP_OK) {
        cp__cuda_reach_release(s);
    }
    return status;
}

/* Input checks that cost O(1) or O(n_targets): a bad index on the device would fault the context
 * for the rest of the process, so targets are checked here (the CPU twin trusts its callers). */
static cp_status reach_validate(int32_t n, int64_t m, const int64_t *rev_offsets,
                                const int32_t *rev_indices, const uint64_t *removed,
                                const int32_t *targets, int64_t n_targets, uint64_t *coreach,
                                cp_error *err) {
    if (n < 0 || m < 0 || n_targets < 0) {
        return cp__cuda_error_set(err, CP_E_INVALID,
                                  "st_coreach64: negative size (n = %d, m = %lld, targets = %lld)",
                                  n, (long long)m, (long long)n_targets);
    }
    if (n == 0) {
        return CP_OK;
    }
    if (rev_offsets == NULL || removed == NULL || coreach == NULL ||
        (m > 0 && rev_indices == NULL) || (n_targets > 0 && targets == NULL)) {
        return cp__cuda_error_set(err, CP_E_INVALID, "st_coreach64: a required array is NULL");
    }
    if (rev_offsets[0] != 0 || rev_offsets[n] != m) {
        return cp__cuda_error_set(err, CP_E_INVALID,
                                  "st_coreach64: rev_offsets runs from %lld to %lld, expected 0 "
                                  "to m = %lld",
                                  (long long)rev_offsets[0], (long long)rev_offsets[n],
                                  (long long)m);
    }
    for (int64_t i = 0; i < n_targets; i++) {
        if (targets[i] < 0 || targets[i] >= n) {
            return cp__cuda_error_set(err, CP_E_INVALID,
                                      "st_coreach64: targets[%lld] = %d is not a node (n = %d)",
                                      (long long)i, targets[i], n);
        }
    }
    return CP_OK;
}

static int64_t min64(int64_t a, int64_t b) {
    return a < b ? a : b;
}

cp_status cp__cuda_st_coreach64(void *state, int32_t n, int64_t m, const int64_t *rev_offsets,
                                const int32_t *rev_indices, const uint64_t *removed,
                                const int32_t *targets, int64_t n_targets, uint64_t *coreach,
                                cp_error *err) {
    cp_cuda_state *s = (cp_cuda_state *)state;
    cp_status status =
        reach_validate(n, m, rev_offsets, rev_indices, removed, targets, n_targets, coreach, err);
    if (status != CP_OK || n == 0) {
        return status;
    }
    pthread_mutex_lock(&s->lock);
    memset(&s->timing, 0, sizeof s->timing);
    if (n_targets == 0) {
        /* No target: nothing reaches one; no device work. */
        memset(coreach, 0, (size_t)n * sizeof *coreach);
        pthread_mutex_unlock(&s->lock);
        return CP_OK;
    }
    cp_cuda_reach_buffers *b = &s->reach;
    cudaStream_t st = s->stream;
    int64_t nf = 0;
    uint32_t level = 1;
    int cur = 0;
    float ms[3] = {0, 0, 0};

    CP_CUDA_TRY(cudaSetDevice(s->device)); /* the calling thread may not be the opening one */
    status = reach_reserve(s, n, m, n_targets, err);
    if (status != CP_OK) {
        goto cleanup;
    }

    CP_CUDA_TRY(cudaEventRecord(s->ev[0], st));
    CP_CUDA_TRY(cudaMemcpyAsync(b->d_rev_offsets, rev_offsets, (size_t)(n + 1) * sizeof(int64_t),
                                cudaMemcpyHostToDevice, st));
    if (m > 0) {
        CP_CUDA_TRY(cudaMemcpyAsync(b->d_rev_indices, rev_indices, (size_t)m * sizeof(int32_t),
                                    cudaMemcpyHostToDevice, st));
    }
    CP_CUDA_TRY(cudaMemcpyAsync(b->d_removed, removed, (size_t)n * sizeof(u64),
                                cudaMemcpyHostToDevice, st));
    CP_CUDA_TRY(cudaMemcpyAsync(b->d_targets, targets, (size_t)n_targets * sizeof(int32_t),
                                cudaMemcpyHostToDevice, st));
    CP_CUDA_TRY(cudaEventRecord(s->ev[1], st));

    CP_CUDA_TRY(cudaMemsetAsync(b->d_coreach, 0, (size_t)n * sizeof(u64), st));
    CP_CUDA_TRY(cudaMemsetAsync(b->d_stamp, 0, (size_t)n * sizeof(uint32_t), st));
    CP_CUDA_TRY(cudaMemsetAsync(b->d_count, 0, sizeof(uint32_t), st));
    {
        int64_t blocks =
            min64(s->blocks_seed, (n_targets + CP_REACH_THREADS - 1) / CP_REACH_THREADS);
        reach_seed_kernel<<<(unsigned)blocks, CP_REACH_THREADS, 0, st>>>(
            b->d_targets, n_targets, b->d_removed, b->d_coreach, b->d_stamp, b->d_queue[0],
            b->d_count);
        CP_CUDA_CHECK_LAUNCH(s, "reach_seed_kernel");
    }
    CP_CUDA_TRY(
        cudaMemcpyAsync(s->h_count, b->d_count, sizeof(uint32_t), cudaMemcpyDeviceToHost, st));
    CP_CUDA_TRY(cudaStreamSynchronize(st));
    nf = *s->h_count;

    /* Invariant: queue[cur] holds, once each, the nf nodes stamped `level`: those that gained
     * bits in the previous level (or are seeded targets), whose in-neighbours may lack them. */
    while (nf > 0) {
        if (level > (uint32_t)n + 1) {
            status = cp__cuda_error_set(err, CP_E_INTERNAL,
                                        "st_coreach64: no fixed point after %u levels (n = %d)",
                                        level, n);
            goto cleanup;
        }
        const int warps_per_block = CP_REACH_THREADS / 32;
        int64_t blocks = min64(s->blocks_expand, (nf + warps_per_block - 1) / warps_per_block);
        CP_CUDA_TRY(cudaMemsetAsync(b->d_count, 0, sizeof(uint32_t), st));
        reach_expand_kernel<<<(unsigned)blocks, CP_REACH_THREADS, 0, st>>>(
            b->d_queue[cur], nf, b->d_rev_offsets, b->d_rev_indices, b->d_removed, b->d_coreach,
            b->d_stamp, b->d_queue[cur ^ 1], b->d_count, level + 1);
        CP_CUDA_CHECK_LAUNCH(s, "reach_expand_kernel");
        CP_CUDA_TRY(
            cudaMemcpyAsync(s->h_count, b->d_count, sizeof(uint32_t), cudaMemcpyDeviceToHost, st));
        CP_CUDA_TRY(cudaStreamSynchronize(st));
        nf = *s->h_count;
        cur ^= 1;
        level++;
    }
    CP_CUDA_TRY(cudaEventRecord(s->ev[2], st));
    CP_CUDA_TRY(cudaMemcpyAsync(coreach, b->d_coreach, (size_t)n * sizeof(u64),
                                cudaMemcpyDeviceToHost, st));
    CP_CUDA_TRY(cudaEventRecord(s->ev[3], st));
    CP_CUDA_TRY(cudaStreamSynchronize(st));

    for (int i = 0; i < 3; i++) {
        CP_CUDA_TRY(cudaEventElapsedTime(&ms[i], s->ev[i], s->ev[i + 1]));
    }
    s->timing.upload_ms = ms[0];
    s->timing.kernel_ms = ms[1];
    s->timing.download_ms = ms[2];
    s->timing.upload_bytes = (double)(n + 1) * sizeof(int64_t) + (double)m * sizeof(int32_t) +
                             (double)n * sizeof(u64) + (double)n_targets * sizeof(int32_t);
    s->timing.levels = level - 1;

cleanup:
    if (status != CP_OK) {
        /* Leave the stream idle so the next call (or close) starts clean; its own error, if any,
         * was already reported. */
        (void)cudaStreamSynchronize(st);
    }
    pthread_mutex_unlock(&s->lock);
    return status;
}
