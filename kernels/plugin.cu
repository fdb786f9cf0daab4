/* The CUDA backend plugin (libchokepoint_cuda.so, DESIGN section 7): its entry point
 * cp_cuda_plugin_open, which picks a device and fills the operation table, the table's close, and
 * the mapping of CUDA errors onto cp_status.
 *
 * The core dlopen's this module and treats any failure of cp_cuda_plugin_open as "no GPU", so
 * opening must fail cleanly, with a status and a message, on machines with no driver, no device,
 * an old driver or a device this build has no code for. Nothing here aborts or exits. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plugin.cuh"

/* The architectures compiled into this module, for messages ("90" or "75,80,90"). */
#define CP_STR2(x) #x
#define CP_STR(x)  CP_STR2(x)
#ifdef __CUDA_ARCH_LIST__
#define CP_CUDA_ARCHS CP_STR(__CUDA_ARCH_LIST__)
#else
#define CP_CUDA_ARCHS "unknown"
#endif

cp_status cp__cuda_error_set(cp_error *err, cp_status s, const char *fmt, ...) {
    if (err != NULL) {
        err->status = s;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return s;
}

static cp_status status_of(cudaError_t e) {
    switch (e) {
    case cudaSuccess:
        return CP_OK;
    case cudaErrorMemoryAllocation:
        return CP_E_DEVMEM;
    case cudaErrorNoDevice:
    case cudaErrorInsufficientDriver:
    case cudaErrorStubLibrary:
    case cudaErrorInvalidDevice:
    case cudaErrorDevicesUnavailable:
    case cudaErrorSystemDriverMismatch:
    case cudaErrorCompatNotSupportedOnDevice:
    case cudaErrorSystemNotReady:
    case cudaErrorNoKernelImageForDevice:
    case cudaErrorUnsupportedPtxVersion:
        return CP_E_NODEVICE;
    default:
        return CP_E_CUDA;
    }
}

cp_status cp__cuda_fail(cp_error *err, cudaError_t e, const char *call, const char *file,
                        int line) {
    /* Only the base name of the file: the message stays short and independent of the build tree. */
    const char *base = strrchr(file, '/');
    base = base != NULL ? base + 1 : file;
    return cp__cuda_error_set(err, status_of(e), "%s:%d: %s: %s (%s)", base, line, call,
                              cudaGetErrorString(e), cudaGetErrorName(e));
}

cp_status cp__cuda_after_launch(cp_cuda_state *s, const char *kernel, const char *file, int line,
                                cp_error *err) {
    cudaError_t e = cudaGetLastError();
    if (e == cudaSuccess && s->sync_each_launch) {
        e = cudaStreamSynchronize(s->stream);
    }
    if (e != cudaSuccess) {
        char what[160];
        snprintf(what, sizeof what, "launch of %s%s", kernel,
                 s->sync_each_launch ? " (CHOKEPOINT_CUDA_SYNC=1)" : "");
        return cp__cuda_fail(err, e, what, file, line);
    }
    return CP_OK;
}

cp_status cp__cuda_check_free(cp_cuda_state *s, size_t need, const char *op, int32_t n, int64_t m,
                              cp_error *err) {
    cp_status status = CP_OK;
    size_t free_b = 0, total_b = 0;
    CP_CUDA_TRY(cudaMemGetInfo(&free_b, &total_b));
    if (need > free_b) {
        status = cp__cuda_error_set(err, CP_E_DEVMEM,
                                    "%s on the GPU needs %zu bytes of device memory (n = %d "
                                    "nodes, m = %lld edges), but device %d has %zu bytes free of "
                                    "%zu",
                                    op, need, n, (long long)m, s->device, free_b, total_b);
    }
cleanup:
    return status;
}

static void release_state(cp_cuda_state *s) {
    if (s == NULL) {
        return;
    }
    /* Errors while releasing are ignored: there is no caller to report them to, and a context
     * that has faulted refuses every call anyway. */
    (void)cudaSetDevice(s->device);
    cp__cuda_reach_release(s);
    for (int i = 0; i < 4; i++) {
        if (s->ev[i] != NULL) {
            (void)cudaEventDestroy(s->ev[i]);
        }
    }
    if (s->h_count != NULL) {
        (void)cudaFreeHost(s->h_count);
    }
    if (s->stream != NULL) {
        (void)cudaStreamDestroy(s->stream);
    }
    pthread_mutex_destroy(&s->lock);
    free(s);
}

static void cuda_close(void *state) {
    release_state((cp_cuda_state *)state);
}

/* Makes `device` current and creates its context; returns the CUDA error. */
static cudaError_t try_device(int device) {
    cudaError_t e = cudaSetDevice(device);
    if (e == cudaSuccess) {
        e = cudaFree(NULL); /* forces context creation, so a broken device fails here */
    }
    return e;
}

extern "C" __attribute__((visibility("default"))) cp_status
cp_cuda_plugin_open(cp_backend_ops *ops, int device, cp_error *err) {
    cp_status status = CP_OK;
    cp_cuda_state *s = NULL;
    int count = 0;
    cudaDeviceProp prop;

    if (ops == NULL) {
        return cp__cuda_error_set(err, CP_E_INVALID, "cp_cuda_plugin_open: ops is NULL");
    }
    memset(ops, 0, sizeof *ops);

    cudaError_t e = cudaGetDeviceCount(&count);
    if (e != cudaSuccess) {
        /* Whatever the reason (no driver, stub library, old driver), there is no usable GPU. */
        (void)cudaGetLastError();
        return cp__cuda_error_set(err, CP_E_NODEVICE, "no CUDA device: %s (%s)",
                                  cudaGetErrorString(e), cudaGetErrorName(e));
    }
    if (count <= 0) {
        return cp__cuda_error_set(err, CP_E_NODEVICE, "no CUDA device: the driver reports none");
    }
    if (device >= count) {
        return cp__cuda_error_set(err, CP_E_NODEVICE,
                                  "CUDA device %d requested, but only %d device%s present", device,
                                  count, count == 1 ? " is" : "s are");
    }
    if (device < 0) {
        /* The first device that answers. */
        e = cudaErrorNoDevice;
        for (int d = 0; d < count && e != cudaSuccess; d++) {
            e = try_device(d);
            if (e == cudaSuccess) {
                device = d;
            } else {
                (void)cudaGetLastError();
            }
        }
        if (e != cudaSuccess) {
            return cp__cuda_error_set(err, CP_E_NODEVICE,
                                      "none of the %d CUDA devices answers: %s (%s)", count,
                                      cudaGetErrorString(e), cudaGetErrorName(e));
        }
    } else {
        e = try_device(device);
        if (e != cudaSuccess) {
            cp_status st = status_of(e) == CP_E_CUDA ? CP_E_NODEVICE : status_of(e);
            return cp__cuda_error_set(err, st, "CUDA device %d does not answer: %s (%s)", device,
                                      cudaGetErrorString(e), cudaGetErrorName(e));
        }
    }

    s = (cp_cuda_state *)calloc(1, sizeof *s);
    if (s == NULL) {
        return cp__cuda_error_set(err, CP_E_NOMEM, "out of host memory opening the CUDA backend");
    }
    s->device = device;
    pthread_mutex_init(&s->lock, NULL);
    const char *sync = getenv("CHOKEPOINT_CUDA_SYNC");
    s->sync_each_launch = sync != NULL && strcmp(sync, "1") == 0;

    CP_CUDA_TRY(cudaGetDeviceProperties(&prop, device));
    s->sm_count = prop.multiProcessorCount;

    /* A device this module has no code for (e.g. built for sm_90, run on sm_80) is "no usable
     * GPU", found here (the occupancy query reads each kernel's image) rather than at the first
     * launch. */
    status = cp__cuda_reach_occupancy(s, err);
    if (status == CP_OK) {
        status = cp__cuda_bfs_occupancy(s, err);
    }
    if (status == CP_OK) {
        status = cp__cuda_wcc_occupancy(s, err);
    }
    if (status == CP_OK) {
        status = cp__cuda_pagerank_occupancy(s, err);
    }
    if (status != CP_OK) {
        if (status == CP_E_CUDA || status == CP_E_NODEVICE) {
            status = CP_E_NODEVICE;
            size_t len = strlen(err != NULL ? err->msg : "");
            if (err != NULL && len + 1 < sizeof err->msg) {
                snprintf(err->msg + len, sizeof err->msg - len,
                         "; device %d is %.200s (sm_%d%d), this plugin was built for CUDA arch %s",
                         device, prop.name, prop.major, prop.minor, CP_CUDA_ARCHS);
            }
            if (err != NULL) {
                err->status = status;
            }
        }
        goto cleanup;
    }

    CP_CUDA_TRY(cudaStreamCreateWithFlags(&s->stream, cudaStreamNonBlocking));
    for (int i = 0; i < 4; i++) {
        CP_CUDA_TRY(cudaEventCreate(&s->ev[i]));
    }
    CP_CUDA_TRY(cudaMallocHost((void **)&s->h_count, sizeof *s->h_count));

    ops->abi_version = CP_BACKEND_ABI_VERSION;
    ops->name = "cuda";
    {
        double gib = (double)prop.totalGlobalMem / (1024.0 * 1024.0 * 1024.0);
        snprintf(ops->device, sizeof ops->device, "%.200s (sm_%d%d, %.0f GiB)", prop.name,
                 prop.major, prop.minor, gib);
    }
    ops->state = s;
    ops->st_coreach64 = cp__cuda_st_coreach64;
    ops->bfs_hops = cp__cuda_bfs_hops;
    ops->wcc_labels = cp__cuda_wcc_labels;
    ops->pagerank_pull = cp__cuda_pagerank_pull;
    ops->close = cuda_close;
    s = NULL;

cleanup:
    if (s != NULL) {
        release_state(s);
        memset(ops, 0, sizeof *ops);
    }
    return status;
}

/* Bench introspection, looked up with dlsym by bench/gpucheck (not part of the operation table):
 * the phases of the last call of any operation on this state, as five doubles: upload ms, kernel
 * ms, download ms, bytes uploaded, and levels (st_coreach64 and bfs_hops: BFS levels; wcc_labels:
 * 1; pagerank_pull: iterations run). Returns 0, or -1 when state is NULL. */
extern "C" __attribute__((visibility("default"))) int cp_cuda_plugin_last_timing(const void *state,
                                                                                 double out[5]) {
    if (state == NULL || out == NULL) {
        return -1;
    }
    const cp_cuda_state *s = (const cp_cuda_state *)state;
    out[0] = s->timing.upload_ms;
    out[1] = s->timing.kernel_ms;
    out[2] = s->timing.download_ms;
    out[3] = s->timing.upload_bytes;
    out[4] = s->timing.levels;
    return 0;
}

cp_status cp__cuda_upload_csr_csc(cudaStream_t st, int32_t n, int64_t m, const int64_t *offsets,
                                  const int32_t *indices, const int64_t *rev_offsets,
                                  const int32_t *rev_indices, int64_t *d_off, int32_t *d_idx,
                                  int64_t *d_roff, int32_t *d_ridx, cp_error *err) {
    cp_status status = CP_OK;
    CP_CUDA_TRY(cudaMemcpyAsync(d_off, offsets, (size_t)(n + 1) * sizeof(int64_t),
                                cudaMemcpyHostToDevice, st));
    CP_CUDA_TRY(cudaMemcpyAsync(d_roff, rev_offsets, (size_t)(n + 1) * sizeof(int64_t),
                                cudaMemcpyHostToDevice, st));
    if (m > 0) {
        CP_CUDA_TRY(cudaMemcpyAsync(d_idx, indices, (size_t)m * sizeof(int32_t),
                                    cudaMemcpyHostToDevice, st));
        CP_CUDA_TRY(cudaMemcpyAsync(d_ridx, rev_indices, (size_t)m * sizeof(int32_t),
                                    cudaMemcpyHostToDevice, st));
    }
cleanup:
    return status;
}
