/* The CPU backend's operation table, and loading the CUDA plugin at run time.
 *
 * Any failure while probing the plugin (missing file, missing CUDA libraries, no device, a CUDA
 * error) means "no GPU": with --device auto the CPU is used and a one-line notice says why. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "backend.h"

cp_status cp__cpu_st_coreach64(void *state, int32_t n, int64_t m, const int64_t *rev_offsets,
                               const int32_t *rev_indices, const uint64_t *removed,
                               const int32_t *targets, int64_t n_targets, uint64_t *coreach,
                               cp_error *err) {
    (void)state;
    (void)m;
    cp_status status = CP_OK;
    int32_t *frontier = cp__malloc_array((size_t)n + 1, sizeof *frontier);
    int32_t *next = cp__malloc_array((size_t)n + 1, sizeof *next);
    uint8_t *queued = cp__calloc((size_t)n + 1, 1);
    if (frontier == NULL || next == NULL || queued == NULL) {
        status = cp_error_set(err, CP_E_NOMEM, "out of memory in S-T reachability (n = %d)", n);
        goto cleanup;
    }
    memset(coreach, 0, (size_t)n * sizeof *coreach);
    int64_t nf = 0;
    for (int64_t i = 0; i < n_targets; i++) {
        int32_t t = targets[i];
        coreach[t] |= ~removed[t]; /* a present target reaches itself */
        if (coreach[t] != 0 && !queued[t]) {
            queued[t] = 1;
            frontier[nf++] = t;
        }
    }
    /* Level-synchronous backward BFS. Invariant: every node in the frontier gained bits in the
     * previous level that its in-neighbours have not yet seen. A node is queued at most once per
     * level; the loop ends when no node gains a bit, which is the least fixed point. */
    while (nf > 0) {
        int64_t nn = 0;
        for (int64_t i = 0; i < nf; i++) {
            queued[frontier[i]] = 0;
        }
        for (int64_t i = 0; i < nf; i++) {
            int32_t v = frontier[i];
            uint64_t bits = coreach[v];
            for (int64_t k = rev_offsets[v]; k < rev_offsets[v + 1]; k++) {
                int32_t u = rev_indices[k];
                uint64_t gain = bits & ~removed[u] & ~coreach[u];
                if (gain != 0) {
                    coreach[u] |= gain;
                    if (!queued[u]) {
                        queued[u] = 1;
                        next[nn++] = u;
                    }
                }
            }
        }
        int32_t *tmp = frontier;
        frontier = next;
        next = tmp;
        nf = nn;
    }
cleanup:
    cp__free(frontier);
    cp__free(next);
    cp__free(queued);
    return status;
}

static void cpu_close(void *state) {
    (void)state;
}

void cp__backend_cpu(cp_backend_ops *ops) {
    memset(ops, 0, sizeof *ops);
    ops->abi_version = CP_BACKEND_ABI_VERSION;
    ops->name = "cpu";
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    snprintf(ops->device, sizeof ops->device, "CPU (%ld cores, OpenMP)", cores);
    ops->st_coreach64 = cp__cpu_st_coreach64;
    ops->close = cpu_close;
}

/* The plugin handle is kept per process: opening the backend twice reuses it. */
static void *plugin_handle = NULL;

static void *try_dlopen(const char *path, char *why, size_t size) {
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (h == NULL && why != NULL && why[0] == '\0') {
        const char *e = dlerror();
        snprintf(why, size, "%s", e != NULL ? e : "cannot load");
    }
    return h;
}

static void *load_plugin(char *why, size_t size) {
    if (plugin_handle != NULL) {
        return plugin_handle;
    }
    why[0] = '\0';
    const char *env = getenv("CHOKEPOINT_CUDA_PLUGIN");
    if (env != NULL && env[0] != '\0') {
        plugin_handle = try_dlopen(env, why, size);
        return plugin_handle;
    }
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len > 0) {
        exe[len] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash != NULL) {
            *slash = '\0';
            char path[PATH_MAX + 64];
            snprintf(path, sizeof path, "%s/libchokepoint_cuda.so", exe);
            if (access(path, R_OK) == 0) {
                plugin_handle = try_dlopen(path, why, size);
                if (plugin_handle != NULL) {
                    return plugin_handle;
                }
            }
            snprintf(path, sizeof path, "%s/../lib/libchokepoint_cuda.so", exe);
            if (access(path, R_OK) == 0) {
                plugin_handle = try_dlopen(path, why, size);
                if (plugin_handle != NULL) {
                    return plugin_handle;
                }
            }
        }
    }
    plugin_handle = try_dlopen("libchokepoint_cuda.so", why, size);
    return plugin_handle;
}

static cp_status open_cuda(cp_backend_ops *ops, int device, cp_error *err) {
    char why[512];
    void *h = load_plugin(why, sizeof why);
    if (h == NULL) {
        return cp_error_set(err, CP_E_UNSUPPORTED,
                            "the CUDA plugin libchokepoint_cuda.so could not be loaded: %s", why);
    }
    void *sym = dlsym(h, "cp_cuda_plugin_open");
    if (sym == NULL) {
        return cp_error_set(err, CP_E_UNSUPPORTED,
                            "libchokepoint_cuda.so has no entry point cp_cuda_plugin_open");
    }
    cp_backend_open_fn open_fn;
    memcpy(&open_fn, &sym, sizeof open_fn);
    memset(ops, 0, sizeof *ops);
    cp_status st = open_fn(ops, device, err);
    if (st != CP_OK) {
        return st;
    }
    if (ops->abi_version != CP_BACKEND_ABI_VERSION) {
        return cp_error_set(err, CP_E_UNSUPPORTED,
                            "the CUDA plugin has ABI version %d, this chokepoint expects %d",
                            ops->abi_version, CP_BACKEND_ABI_VERSION);
    }
    return CP_OK;
}

cp_status cp__backend_open(cp_backend_ops *ops, const char *spec, char *notice, size_t size,
                           cp_error *err) {
    if (notice != NULL && size > 0) {
        notice[0] = '\0';
    }
    if (spec == NULL || strcmp(spec, "cpu") == 0) {
        cp__backend_cpu(ops);
        return CP_OK;
    }
    if (strcmp(spec, "auto") == 0) {
        cp_error probe;
        cp_error_clear(&probe);
        if (open_cuda(ops, -1, &probe) == CP_OK) {
            return CP_OK;
        }
        cp__backend_cpu(ops);
        if (notice != NULL && size > 0) {
            snprintf(notice, size, "notice: no GPU in use, running on the CPU (%s)", probe.msg);
        }
        return CP_OK;
    }
    if (strncmp(spec, "cuda", 4) == 0) {
        int device = -1;
        if (spec[4] == ':') {
            char *end = NULL;
            long d = strtol(spec + 5, &end, 10);
            if (end == spec + 5 || *end != '\0' || d < 0 || d > 1024) {
                return cp_error_set(err, CP_E_INVALID,
                                    "--device %s: expected cuda:N with N a device number", spec);
            }
            device = (int)d;
        } else if (spec[4] != '\0') {
            return cp_error_set(err, CP_E_INVALID,
                                "--device %s: expected auto, cpu, cuda or cuda:N", spec);
        }
        cp_status st = open_cuda(ops, device, err);
        if (st != CP_OK && st != CP_E_NODEVICE && st != CP_E_CUDA && st != CP_E_DEVMEM) {
            return st;
        }
        return st;
    }
    return cp_error_set(err, CP_E_INVALID, "--device %s: expected auto, cpu, cuda or cuda:N", spec);
}

void cp__backend_close(cp_backend_ops *ops) {
    if (ops != NULL && ops->close != NULL) {
        ops->close(ops->state);
    }
    if (ops != NULL) {
        memset(ops, 0, sizeof *ops);
    }
}
