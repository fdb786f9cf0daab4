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

#define CP_BACKEND_ABI_VERSION 1

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
