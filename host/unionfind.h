/* Union-find over node indices (path halving, union by size), shared by weakly connected
 * components and the percolation curve. parent[x] = x for a root; size[] is valid at roots. */
#ifndef CP_HOST_UNIONFIND_H
#define CP_HOST_UNIONFIND_H

#include <stdint.h>

/* Root of x's tree, halving the path on the way (every node on it then points to its
 * grandparent). */
static inline int32_t cp__uf_find(int32_t *parent, int32_t x) {
    while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    return x;
}

/* Joins the trees of a and b (union by size); returns the size of the joined tree. */
static inline int32_t cp__uf_union(int32_t *parent, int32_t *size, int32_t a, int32_t b) {
    a = cp__uf_find(parent, a);
    b = cp__uf_find(parent, b);
    if (a == b) {
        return size[a];
    }
    if (size[a] < size[b]) {
        int32_t t = a;
        a = b;
        b = t;
    }
    parent[b] = a;
    size[a] += size[b];
    return size[a];
}

#endif
