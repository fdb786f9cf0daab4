/* Weakly connected components by union-find (union by size, path halving; Tarjan 1975), CPU
 * backend. Serial: a single pass over the edges, deterministic by construction. */
#include <inttypes.h>
#include <string.h>

#include "alloc.h"
#include "chokepoint/centrality.h"
#include "unionfind.h"

/* Root of x's tree, halving the path on the way (every node on it then points to its
 * grandparent). */
cp_status cp_wcc(int32_t *labels, int32_t *n_components, int32_t *largest, const cp_view *v,
                 const uint8_t *removed, cp_error *err) {
    cp_status status = CP_OK;
    int32_t *size = NULL;
    int32_t *first = NULL;
    if (n_components == NULL) {
        return cp_error_set(err, CP_E_INVALID, "cp_wcc: no output for the component count");
    }
    *n_components = 0;
    if (largest != NULL) {
        *largest = 0;
    }
    if (v == NULL) {
        return cp_error_set(err, CP_E_INVALID, "cp_wcc: no view");
    }
    int32_t n = v->n;
    if (n == 0) {
        return CP_OK;
    }
    if (labels == NULL) {
        return cp_error_set(err, CP_E_INVALID, "cp_wcc: no labels array");
    }
    size = cp__malloc_array((size_t)n, sizeof *size);
    first = cp__malloc_array((size_t)n, sizeof *first);
    if (size == NULL || first == NULL) {
        status = cp_error_set(err, CP_E_NOMEM, "cp_wcc: out of memory (%" PRId32 " nodes)", n);
        goto cleanup;
    }
    /* labels serves as the parent array; removed nodes are -1 and never touched. */
    int32_t *parent = labels;
    for (int32_t x = 0; x < n; x++) {
        parent[x] = removed != NULL && removed[x] ? -1 : x;
        size[x] = 1;
        first[x] = -1;
    }
    /* Every edge u -> w appears in row u (a symmetric view has it in both rows: harmless). */
    for (int32_t u = 0; u < n; u++) {
        if (parent[u] < 0) {
            continue;
        }
        for (int64_t k = v->offsets[u]; k < v->offsets[u + 1]; k++) {
            int32_t w = v->indices[k];
            if (w == u || parent[w] < 0) {
                continue;
            }
            cp__uf_union(parent, size, u, w);
        }
    }
    /* Point every node at its root, then name each component by its smallest member (the first
     * one met in ascending order). Reading parent[x] only for x itself keeps the rewrite safe. */
    int32_t count = 0, big = 0;
    for (int32_t x = 0; x < n; x++) {
        if (parent[x] >= 0) {
            parent[x] = cp__uf_find(parent, x);
        }
    }
    for (int32_t x = 0; x < n; x++) {
        int32_t r = parent[x];
        if (r < 0) {
            continue;
        }
        if (first[r] < 0) {
            first[r] = x;
            count++;
            if (size[r] > big) {
                big = size[r];
            }
        }
    }
    for (int32_t x = 0; x < n; x++) {
        if (labels[x] >= 0) {
            labels[x] = first[labels[x]];
        }
    }
    *n_components = count;
    if (largest != NULL) {
        *largest = big;
    }
cleanup:
    cp__free(size);
    cp__free(first);
    return status;
}
