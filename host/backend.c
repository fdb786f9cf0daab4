/* The CPU backend's operation table, and loading the CUDA plugin at run time.
 *
 * Any failure while probing the plugin (missing file, missing CUDA libraries, no device, a CUDA
 * error) means "no GPU": with --device auto the CPU is used and a one-line notice says why. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "backend.h"
#include "graph_ops_hd.h"

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

cp_status cp__cpu_bfs_hops(void *state, int32_t n, int64_t m, const int64_t *offsets,
                           const int32_t *indices, const int64_t *rev_offsets,
                           const int32_t *rev_indices, const uint8_t *removed, int32_t source,
                           int32_t *hops, cp_error *err) {
    (void)state;
    char msg[256];
    if (cp_ops_check_graph(msg, sizeof msg, "bfs_hops", n, m, offsets, indices, rev_offsets,
                           rev_indices, 1) != 0) {
        return cp_error_set(err, CP_E_INVALID, "%s", msg);
    }
    if (source < 0 || source >= n || hops == NULL) {
        return cp_error_set(err, CP_E_INVALID,
                            "bfs_hops: source %d is not a node (n = %d) or hops is NULL", source,
                            n);
    }
    int32_t *queue = cp__malloc_array((size_t)n, sizeof *queue);
    if (queue == NULL) {
        return cp_error_set(err, CP_E_NOMEM, "bfs_hops: out of memory (n = %d)", n);
    }
    for (int32_t v = 0; v < n; v++) {
        hops[v] = -1;
    }
    if (!cp_ops_removed(removed, source)) {
        /* Invariant: queue[head .. tail) holds the nodes found but not yet expanded, in
         * non-decreasing hop order, so each node's first discovery is along a shortest path. */
        int64_t head = 0, tail = 0;
        hops[source] = 0;
        queue[tail++] = source;
        while (head < tail) {
            int32_t u = queue[head++];
            for (int64_t k = offsets[u]; k < offsets[u + 1]; k++) {
                int32_t w = indices[k];
                if (hops[w] < 0 && !cp_ops_removed(removed, w)) {
                    hops[w] = hops[u] + 1;
                    queue[tail++] = w;
                }
            }
        }
    }
    cp__free(queue);
    return CP_OK;
}

cp_status cp__cpu_wcc_labels(void *state, int32_t n, int64_t m, const int64_t *offsets,
                             const int32_t *indices, const int64_t *rev_offsets,
                             const int32_t *rev_indices, const uint8_t *removed, int32_t *labels,
                             cp_error *err) {
    (void)state;
    char msg[256];
    if (cp_ops_check_graph(msg, sizeof msg, "wcc_labels", n, m, offsets, indices, rev_offsets,
                           rev_indices, 1) != 0) {
        return cp_error_set(err, CP_E_INVALID, "%s", msg);
    }
    if (n == 0) {
        return CP_OK;
    }
    if (labels == NULL) {
        return cp_error_set(err, CP_E_INVALID, "wcc_labels: labels is NULL");
    }
    int32_t *queue = cp__malloc_array((size_t)n, sizeof *queue);
    if (queue == NULL) {
        return cp_error_set(err, CP_E_NOMEM, "wcc_labels: out of memory (n = %d)", n);
    }
    for (int32_t v = 0; v < n; v++) {
        labels[v] = -1;
    }
    /* Nodes are visited in ascending order, so the node that starts a search is the smallest of
     * its component, and the search (out- and in-edges) labels the whole component with it. */
    for (int32_t r = 0; r < n; r++) {
        if (labels[r] >= 0 || cp_ops_removed(removed, r)) {
            continue;
        }
        int64_t head = 0, tail = 0;
        labels[r] = r;
        queue[tail++] = r;
        while (head < tail) {
            int32_t u = queue[head++];
            for (int side = 0; side < 2; side++) {
                const int64_t *off = side == 0 ? offsets : rev_offsets;
                const int32_t *idx = side == 0 ? indices : rev_indices;
                for (int64_t k = off[u]; k < off[u + 1]; k++) {
                    int32_t w = idx[k];
                    if (labels[w] < 0 && !cp_ops_removed(removed, w)) {
                        labels[w] = r;
                        queue[tail++] = w;
                    }
                }
            }
        }
    }
    cp__free(queue);
    return CP_OK;
}

cp_status cp__cpu_pagerank_pull(void *state, int32_t n, int64_t m, const int64_t *offsets,
                                const int32_t *indices, const double *weights,
                                const int64_t *rev_offsets, const int32_t *rev_indices,
                                const double *rev_weights, const uint8_t *removed, double damping,
                                double tol, int64_t max_iter, double *rank, int64_t *iterations,
                                double *final_change, cp_error *err) {
    (void)state;
    cp_status status = CP_OK;
    double *inv = NULL, *x = NULL, *c = NULL;
    uint8_t *dangling = NULL;
    char msg[256];
    if (iterations == NULL || final_change == NULL) {
        return cp_error_set(err, CP_E_INVALID, "pagerank_pull: iterations or final_change NULL");
    }
    *iterations = 0;
    *final_change = 0.0;
    if (cp_ops_check_graph(msg, sizeof msg, "pagerank_pull", n, m, offsets, indices, rev_offsets,
                           rev_indices, 1) != 0 ||
        cp_ops_check_pagerank(msg, sizeof msg, damping, tol, max_iter) != 0) {
        return cp_error_set(err, CP_E_INVALID, "%s", msg);
    }
    if (n == 0) {
        return CP_OK;
    }
    if (rank == NULL || (weights == NULL) != (rev_weights == NULL)) {
        return cp_error_set(err, CP_E_INVALID,
                            "pagerank_pull: rank is NULL, or only one of weights and rev_weights "
                            "is given");
    }
    inv = cp__malloc_array((size_t)n, sizeof *inv);
    x = cp__malloc_array((size_t)n, sizeof *x);
    c = cp__malloc_array((size_t)n, sizeof *c);
    dangling = cp__calloc((size_t)n, 1);
    if (inv == NULL || x == NULL || c == NULL || dangling == NULL) {
        status = cp_error_set(err, CP_E_NOMEM, "pagerank_pull: out of memory (n = %d)", n);
        goto cleanup;
    }
    int32_t active = 0;
    for (int32_t u = 0; u < n; u++) {
        inv[u] = 0.0;
        if (cp_ops_removed(removed, u)) {
            continue;
        }
        active++;
        double out = 0.0; /* in CSR order: the CUDA setup kernel sums the same way */
        for (int64_t k = offsets[u]; k < offsets[u + 1]; k++) {
            if (!cp_ops_removed(removed, indices[k])) {
                out += weights != NULL ? weights[k] : 1.0;
            }
        }
        if (out > 0.0) {
            inv[u] = 1.0 / out;
        } else {
            dangling[u] = 1;
        }
    }
    memset(rank, 0, (size_t)n * sizeof *rank);
    if (active == 0) {
        goto cleanup;
    }
    double inv_active = 1.0 / (double)active;
    double d_mass = 0.0;
    for (int32_t u = 0; u < n; u++) {
        x[u] = cp_ops_removed(removed, u) ? 0.0 : inv_active;
        c[u] = x[u] * inv[u];
        if (dangling[u]) {
            d_mass += x[u];
        }
    }
    status = CP_W_NOT_CONVERGED;
    for (int64_t it = 1; it <= max_iter; it++) {
        /* rank receives x'; x and c still hold the previous iterate. */
        double change = 0.0, next_d = 0.0;
        for (int32_t v = 0; v < n; v++) {
            if (cp_ops_removed(removed, v)) {
                rank[v] = 0.0;
                continue;
            }
            double g = 0.0;
            for (int64_t k = rev_offsets[v]; k < rev_offsets[v + 1]; k++) {
                g += (rev_weights != NULL ? rev_weights[k] : 1.0) * c[rev_indices[k]];
            }
            rank[v] = cp_pr_value(g, d_mass, damping, inv_active);
            change += fabs(rank[v] - x[v]);
            if (dangling[v]) {
                next_d += rank[v];
            }
        }
        for (int32_t v = 0; v < n; v++) {
            x[v] = rank[v];
            c[v] = x[v] * inv[v];
        }
        d_mass = next_d;
        *iterations = it;
        *final_change = change;
        if (change < tol) {
            status = CP_OK;
            break;
        }
    }
    if (status == CP_W_NOT_CONVERGED) {
        cp_error_set(err, CP_W_NOT_CONVERGED,
                     "pagerank_pull: L1 change %g after %lld iterations, not below tol = %g",
                     *final_change, (long long)*iterations, tol);
    }
cleanup:
    if (status < 0 && rank != NULL) {
        memset(rank, 0, (size_t)n * sizeof *rank);
    }
    cp__free(inv);
    cp__free(x);
    cp__free(c);
    cp__free(dangling);
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
    ops->bfs_hops = cp__cpu_bfs_hops;
    ops->wcc_labels = cp__cpu_wcc_labels;
    ops->pagerank_pull = cp__cpu_pagerank_pull;
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
