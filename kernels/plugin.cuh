/* Private to the CUDA plugin (libchokepoint_cuda.so): its state, the mapping of CUDA errors onto
 * cp_status, and the check macros every CUDA call and launch goes through (STYLE rule 6).
 *
 * The plugin is dlopen'ed by the core and must not use any libchokepoint symbol: errors are
 * formatted by cp__cuda_error_set below, not by cp_error_set. Every non-static symbol here is
 * hidden; the module exports only cp_cuda_plugin_open and cp_cuda_plugin_last_timing. */
#ifndef CP_KERNELS_PLUGIN_CUH
#define CP_KERNELS_PLUGIN_CUH

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include <cuda_runtime.h>

#include "backend_ops.h"

#define CP_CUDA_HIDDEN __attribute__((visibility("hidden")))

/* Device buffers of st_coreach64, kept between calls and grown on demand (never shrunk until
 * close), so a sweep over many scenario words does not pay cudaMalloc per call. Capacities are in
 * elements. */
typedef struct cp_cuda_reach_buffers {
    int64_t *d_rev_offsets;        /* cap_n + 1 */
    int32_t *d_rev_indices;        /* cap_m */
    unsigned long long *d_removed; /* cap_n */
    unsigned long long *d_coreach; /* cap_n */
    int32_t *d_queue[2];           /* cap_n each: this level's frontier and the next */
    uint32_t *d_stamp;             /* cap_n: the level a node was last queued for */
    int32_t *d_targets;            /* cap_t */
    uint32_t *d_count;             /* 1: length of the queue being filled */
    int64_t cap_n, cap_m, cap_t;
} cp_cuda_reach_buffers;

/* Phases of the last call of any operation, from CUDA events on the plugin's stream (ms). */
typedef struct cp_cuda_timing {
    double upload_ms;   /* host -> device copies of the graph, removed, targets */
    double kernel_ms;   /* seeding and all levels, including each level's count read-back */
    double download_ms; /* device -> host copy of coreach */
    double upload_bytes;
    double levels;
} cp_cuda_timing;

/* Resident blocks on the whole device of the bfs_hops, wcc_labels and pagerank_pull kernels
 * (CP_GRAPH_THREADS threads each), from the occupancy calculator at open. */
typedef struct cp_cuda_graph_blocks {
    int bfs_top_down, bfs_bottom_up;
    int wcc_init, wcc_hook, wcc_label;
    int pr_setup, pr_iter;
} cp_cuda_graph_blocks;

typedef struct cp_cuda_state {
    int device;
    int sync_each_launch; /* CHOKEPOINT_CUDA_SYNC=1: synchronise after every launch (debug) */
    int sm_count;
    int blocks_seed;   /* resident blocks of the seeding kernel on the whole device */
    int blocks_expand; /* resident blocks of the expansion kernel on the whole device */
    cudaStream_t stream;
    cudaEvent_t ev[4];
    uint32_t *h_count; /* pinned: the termination count read back once per level */
    cp_cuda_graph_blocks graph_blocks;
    cp_cuda_reach_buffers reach;
    cp_cuda_timing timing; /* of the last call of any operation */
    pthread_mutex_t lock;  /* one call at a time per state: the buffers are shared */
} cp_cuda_state;

/* Threads per block of the reach kernels (a multiple of the warp size). */
#define CP_REACH_THREADS 256

/* Threads per block of the bfs, wcc and pagerank kernels (a multiple of the warp size, at most
 * 1024: the pagerank block reduction keeps one partial per warp). */
#define CP_GRAPH_THREADS 256

/* Sets err (if not NULL) to status s with a printf-style message; returns s. */
CP_CUDA_HIDDEN cp_status cp__cuda_error_set(cp_error *err, cp_status s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Maps a CUDA error onto a status (cudaErrorMemoryAllocation: CP_E_DEVMEM; no device, no or old
 * driver: CP_E_NODEVICE; anything else: CP_E_CUDA) and records "file:line: call: CUDA error
 * string (name)" in err. Returns the status. */
CP_CUDA_HIDDEN cp_status cp__cuda_fail(cp_error *err, cudaError_t e, const char *call,
                                       const char *file, int line);

/* The check after a kernel launch: cudaGetLastError, and with sync_each_launch a stream
 * synchronisation, so that an asynchronous fault is reported at its launch. */
CP_CUDA_HIDDEN cp_status cp__cuda_after_launch(cp_cuda_state *s, const char *kernel,
                                               const char *file, int line, cp_error *err);

/* In a function with a `cp_status status` and a `cleanup:` label. */
#define CP_CUDA_TRY(call)                                                                          \
    do {                                                                                           \
        cudaError_t cp_cuda_e_ = (call);                                                           \
        if (cp_cuda_e_ != cudaSuccess) {                                                           \
            status = cp__cuda_fail(err, cp_cuda_e_, #call, __FILE__, __LINE__);                    \
            goto cleanup;                                                                          \
        }                                                                                          \
    } while (0)

#define CP_CUDA_CHECK_LAUNCH(state, kernel)                                                        \
    do {                                                                                           \
        status = cp__cuda_after_launch((state), (kernel), __FILE__, __LINE__, err);                \
        if (status != CP_OK) {                                                                     \
            goto cleanup;                                                                          \
        }                                                                                          \
    } while (0)

/* Resident-block counts for the reach kernels on the current device (called once at open). */
CP_CUDA_HIDDEN cp_status cp__cuda_reach_occupancy(cp_cuda_state *s, cp_error *err);

/* The st_coreach64 operation (kernels/reach.cu). */
CP_CUDA_HIDDEN cp_status cp__cuda_st_coreach64(void *state, int32_t n, int64_t m,
                                               const int64_t *rev_offsets,
                                               const int32_t *rev_indices, const uint64_t *removed,
                                               const int32_t *targets, int64_t n_targets,
                                               uint64_t *coreach, cp_error *err);

/* Frees the reach buffers (device memory); leaves them zeroed. */
CP_CUDA_HIDDEN void cp__cuda_reach_release(cp_cuda_state *s);

/* Fails with CP_E_DEVMEM and a message naming the operation and its size when the device has
 * fewer than `need` bytes free; CP_E_CUDA when the query fails. */
CP_CUDA_HIDDEN cp_status cp__cuda_check_free(cp_cuda_state *s, size_t need, const char *op,
                                             int32_t n, int64_t m, cp_error *err);

/* Resident-block counts of the graph kernels (called once at open; fills s->graph_blocks). */
CP_CUDA_HIDDEN cp_status cp__cuda_bfs_occupancy(cp_cuda_state *s, cp_error *err);
CP_CUDA_HIDDEN cp_status cp__cuda_wcc_occupancy(cp_cuda_state *s, cp_error *err);
CP_CUDA_HIDDEN cp_status cp__cuda_pagerank_occupancy(cp_cuda_state *s, cp_error *err);

/* The bfs_hops, wcc_labels and pagerank_pull operations (kernels/bfs.cu, wcc.cu, pagerank.cu).
 * Each allocates its device buffers per call and frees them before returning. */
CP_CUDA_HIDDEN cp_status cp__cuda_bfs_hops(void *state, int32_t n, int64_t m,
                                           const int64_t *offsets, const int32_t *indices,
                                           const int64_t *rev_offsets, const int32_t *rev_indices,
                                           const uint8_t *removed, int32_t source, int32_t *hops,
                                           cp_error *err);
CP_CUDA_HIDDEN cp_status cp__cuda_wcc_labels(void *state, int32_t n, int64_t m,
                                             const int64_t *offsets, const int32_t *indices,
                                             const int64_t *rev_offsets, const int32_t *rev_indices,
                                             const uint8_t *removed, int32_t *labels,
                                             cp_error *err);
CP_CUDA_HIDDEN cp_status cp__cuda_pagerank_pull(
    void *state, int32_t n, int64_t m, const int64_t *offsets, const int32_t *indices,
    const double *weights, const int64_t *rev_offsets, const int32_t *rev_indices,
    const double *rev_weights, const uint8_t *removed, double damping, double tol, int64_t max_iter,
    double *rank, int64_t *iterations, double *final_change, cp_error *err);

/* Frees a device pointer when not NULL, ignoring the error (cleanup paths), and sets it NULL. */
#define CP_CUDA_FREE(p)                                                                            \
    do {                                                                                           \
        if ((p) != NULL) {                                                                         \
            (void)cudaFree(p);                                                                     \
            (p) = NULL;                                                                            \
        }                                                                                          \
    } while (0)

/* min of two int64 (grid sizes). */
static inline int64_t cp__cuda_min64(int64_t a, int64_t b) {
    return a < b ? a : b;
}

/* Copies a graph's out-CSR and in-CSC (n + 1 offsets and m indices each) to device buffers the
 * caller allocated, on stream st. Status: CP_OK or CP_E_CUDA naming the failed call. */
CP_CUDA_HIDDEN cp_status cp__cuda_upload_csr_csc(cudaStream_t st, int32_t n, int64_t m,
                                                 const int64_t *offsets, const int32_t *indices,
                                                 const int64_t *rev_offsets,
                                                 const int32_t *rev_indices, int64_t *d_off,
                                                 int32_t *d_idx, int64_t *d_roff, int32_t *d_ridx,
                                                 cp_error *err);

#endif
