/* Strongly connected components by Tarjan's algorithm (1972) with explicit stacks, CPU backend.
 * Serial: one depth-first pass over the edges, deterministic by construction. No recursion, so a
 * path of millions of nodes needs no call stack. */
#include <inttypes.h>
#include <string.h>

#include "alloc.h"
#include "chokepoint/spectral.h"
#include "spectral_impl.h"

/* States kept in the index array (idx) before and after a node's visit. */
#define REMOVED   -1
#define UNVISITED -2

cp_status cp__scc(int32_t *labels, int32_t *n_components, int32_t *largest, const cp_view *v,
                  const uint8_t *removed, bool skip_zero, cp_error *err) {
    cp_status status = CP_OK;
    int32_t *own = NULL;   /* the index array when the caller wants no labels */
    int32_t *low = NULL;   /* lowest DFS index reachable; -1 once the node's component is done */
    int32_t *stack = NULL; /* Tarjan's stack: visited nodes whose component is not done */
    int32_t *path = NULL;  /* the DFS path (the call stack of the recursive form) */
    int64_t *pos = NULL;   /* per path entry: the next out-entry to scan */
    if (n_components == NULL) {
        return cp_error_set(err, CP_E_INVALID, "cp_scc: no output for the component count");
    }
    *n_components = 0;
    if (largest != NULL) {
        *largest = 0;
    }
    if (v == NULL) {
        return cp_error_set(err, CP_E_INVALID, "cp_scc: no view");
    }
    int32_t n = v->n;
    if (n == 0) {
        return CP_OK;
    }
    int32_t *idx = labels;
    if (idx == NULL) {
        idx = own = cp__malloc_array((size_t)n, sizeof *own);
    }
    low = cp__malloc_array((size_t)n, sizeof *low);
    stack = cp__malloc_array((size_t)n, sizeof *stack);
    path = cp__malloc_array((size_t)n, sizeof *path);
    pos = cp__malloc_array((size_t)n, sizeof *pos);
    if (idx == NULL || low == NULL || stack == NULL || path == NULL || pos == NULL) {
        status = cp_error_set(err, CP_E_NOMEM, "cp_scc: out of memory (%" PRId32 " nodes)", n);
        goto cleanup;
    }
    const int64_t *off = v->offsets;
    const int32_t *ind = v->indices;
    const double *wt = v->weights;
    /* idx[x]: REMOVED, UNVISITED, the DFS index while x is on Tarjan's stack (low[x] >= 0), or
     * its final label once its component is done (low[x] = -1). */
    for (int32_t x = 0; x < n; x++) {
        idx[x] = removed != NULL && removed[x] ? REMOVED : UNVISITED;
    }
    int32_t counter = 0, sp = 0, count = 0, big = 0;
    for (int32_t r = 0; r < n; r++) {
        if (idx[r] != UNVISITED) {
            continue;
        }
        idx[r] = low[r] = counter++;
        stack[sp++] = r;
        path[0] = r;
        pos[0] = off[r];
        int32_t depth = 1;
        while (depth > 0) {
            int32_t u = path[depth - 1];
            if (pos[depth - 1] < off[u + 1]) {
                int64_t k = pos[depth - 1]++;
                int32_t w = ind[k];
                if (skip_zero && wt[k] == 0.0) {
                    continue;
                }
                int32_t s = idx[w];
                if (s == UNVISITED) {
                    idx[w] = low[w] = counter++;
                    stack[sp++] = w;
                    path[depth] = w;
                    pos[depth] = off[w];
                    depth++;
                } else if (s >= 0 && low[w] >= 0 && s < low[u]) {
                    low[u] = s; /* w is on the stack: u reaches an open component */
                }
                continue;
            }
            /* u is finished. It roots a component when nothing below it reaches higher up. */
            depth--;
            int32_t lu = low[u];
            if (lu == idx[u]) {
                int32_t base = sp - 1;
                while (stack[base] != u) {
                    base--;
                }
                int32_t label = u;
                for (int32_t i = base; i < sp; i++) {
                    label = stack[i] < label ? stack[i] : label;
                }
                for (int32_t i = base; i < sp; i++) {
                    idx[stack[i]] = label;
                    low[stack[i]] = -1;
                }
                big = sp - base > big ? sp - base : big;
                sp = base;
                count++;
            } else if (depth > 0) {
                int32_t p = path[depth - 1];
                low[p] = lu < low[p] ? lu : low[p];
            }
        }
    }
    *n_components = count;
    if (largest != NULL) {
        *largest = big;
    }
cleanup:
    if (status < 0 && labels != NULL) {
        memset(labels, 0xff, (size_t)n * sizeof *labels); /* all -1 */
    }
    cp__free(own);
    cp__free(low);
    cp__free(stack);
    cp__free(path);
    cp__free(pos);
    return status;
}

cp_status cp_scc(int32_t *labels, int32_t *n_components, int32_t *largest, const cp_view *v,
                 const uint8_t *removed, cp_error *err) {
    if (v != NULL && v->n > 0 && labels == NULL) {
        if (n_components != NULL) {
            *n_components = 0;
        }
        if (largest != NULL) {
            *largest = 0;
        }
        return cp_error_set(err, CP_E_INVALID, "cp_scc: no labels array");
    }
    return cp__scc(labels, n_components, largest, v, removed, false, err);
}
