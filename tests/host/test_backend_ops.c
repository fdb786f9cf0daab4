/* bfs_hops, wcc_labels and pagerank_pull (backend_ops.h): the CPU twins against independent
 * oracles, and the CUDA backend against the same oracles when the plugin is built beside this
 * binary and a GPU answers.
 *
 * Oracles: hop distances by Bellman-Ford relaxation over the edge list (dist[v] = min over edges
 * u -> v of dist[u] + 1, repeated to a fixed point: no queue, no CSR); components by the library's
 * cp_wcc (union-find, a different algorithm from the twin's search); PageRank by the library's
 * cp_pagerank (weighted, uniform dangling), which may solve by SCC condensation, to 1e-9. The
 * random graphs have isolated nodes, self-loops, parallel edges, zero weights and removed nodes. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend.h"
#include "chokepoint/centrality.h"
#include "chokepoint/spectral.h"
#include "chokepoint/view.h"

/* ---- a small seeded generator (splitmix64), independent of the library's Philox ---- */

static uint64_t mix(uint64_t *s) {
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static double unif(uint64_t *s) {
    return (double)(mix(s) >> 11) * (1.0 / 9007199254740992.0);
}

static int32_t below(uint64_t *s, int32_t n) {
    return (int32_t)(mix(s) % (uint64_t)n);
}

/* ---- instances ---- */

typedef struct instance {
    int32_t n;
    int64_t m;
    int32_t *src, *dst;
    double *w;
    cp_view *view;
    uint8_t *removed; /* n bytes */
} instance;

static void instance_free(instance *in) {
    cp_view_free(&in->view);
    free(in->src);
    free(in->dst);
    free(in->w);
    free(in->removed);
    memset(in, 0, sizeof *in);
}

/* Random directed graph: m edges among the first 7/8 of the nodes (the rest isolated), ~5%
 * self-loops, ~5% parallel copies of the previous edge, weights in [0, 2) with ~10% zero; each
 * node removed with probability p_removed. */
static void instance_random(instance *in, uint64_t seed, int32_t n, int64_t m, double p_removed) {
    uint64_t s = seed;
    in->n = n;
    in->m = m;
    in->src = malloc(((size_t)m + 1) * sizeof *in->src);
    in->dst = malloc(((size_t)m + 1) * sizeof *in->dst);
    in->w = malloc(((size_t)m + 1) * sizeof *in->w);
    in->removed = calloc((size_t)n + 1, 1);
    cr_assert(in->src != NULL && in->dst != NULL && in->w != NULL && in->removed != NULL);
    int32_t active = n > 4 ? n - n / 8 : n;
    for (int64_t e = 0; e < m; e++) {
        double r = unif(&s);
        in->src[e] = below(&s, active);
        if (r < 0.05) {
            in->dst[e] = in->src[e];
        } else if (r < 0.10 && e > 0) {
            in->src[e] = in->src[e - 1];
            in->dst[e] = in->dst[e - 1];
        } else {
            in->dst[e] = below(&s, active);
        }
        in->w[e] = unif(&s) < 0.1 ? 0.0 : 2.0 * unif(&s);
    }
    for (int32_t v = 0; v < n; v++) {
        in->removed[v] = unif(&s) < p_removed;
    }
    cp_error err;
    cr_assert_eq(cp_view_from_edges(&in->view, n, m, in->src, in->dst, in->w, NULL, CP_DIR_STORED,
                                    CP_MULTI_KEEP, &err),
                 CP_OK, "%s", err.msg);
}

static void instance_edges(instance *in, int32_t n, int64_t m, const int32_t *src,
                           const int32_t *dst) {
    in->n = n;
    in->m = m;
    in->src = malloc(((size_t)m + 1) * sizeof *in->src);
    in->dst = malloc(((size_t)m + 1) * sizeof *in->dst);
    in->removed = calloc((size_t)n + 1, 1);
    cr_assert(in->src != NULL && in->dst != NULL && in->removed != NULL);
    if (m > 0) {
        memcpy(in->src, src, (size_t)m * sizeof *src);
        memcpy(in->dst, dst, (size_t)m * sizeof *dst);
    }
    cp_error err;
    cr_assert_eq(cp_view_from_edges(&in->view, n, m, in->src, in->dst, NULL, NULL, CP_DIR_STORED,
                                    CP_MULTI_KEEP, &err),
                 CP_OK, "%s", err.msg);
}

/* ---- the plugin beside this test binary, when built and a GPU answers ---- */

static int open_gpu(cp_backend_ops *ops) {
    memset(ops, 0, sizeof *ops);
    static char path[PATH_MAX + 64];
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len <= 0) {
        return 0;
    }
    exe[len] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash == NULL) {
        return 0;
    }
    *slash = '\0';
    snprintf(path, sizeof path, "%s/libchokepoint_cuda.so", exe);
    if (access(path, R_OK) != 0) {
        return 0;
    }
    setenv("CHOKEPOINT_CUDA_PLUGIN", path, 1);
    cp_error err;
    cp_error_clear(&err);
    cp_status st = cp__backend_open(ops, "cuda", NULL, 0, &err);
    if (st != CP_OK) {
        cr_assert_eq(st, CP_E_NODEVICE, "cuda with the built plugin: %s (%s)", cp_status_name(st),
                     err.msg);
        memset(ops, 0, sizeof *ops);
        return 0;
    }
    return 1;
}

/* The backends to test: the CPU table, then CUDA when present. Returns how many. */
static int backends(cp_backend_ops ops[2]) {
    cp__backend_cpu(&ops[0]);
    return 1 + open_gpu(&ops[1]);
}

static void backends_close(cp_backend_ops ops[2], int k) {
    if (k > 1) {
        cp__backend_close(&ops[1]);
    }
}

/* ---- bfs_hops ---- */

static void bfs_oracle(const instance *in, int32_t source, int32_t *dist) {
    for (int32_t v = 0; v < in->n; v++) {
        dist[v] = -1;
    }
    if (in->removed[source]) {
        return;
    }
    dist[source] = 0;
    int changed = 1;
    while (changed) {
        changed = 0;
        for (int64_t e = 0; e < in->m; e++) {
            int32_t u = in->src[e], v = in->dst[e];
            if (dist[u] < 0 || in->removed[v]) {
                continue;
            }
            if (dist[v] < 0 || dist[u] + 1 < dist[v]) {
                dist[v] = dist[u] + 1;
                changed = 1;
            }
        }
    }
}

static void check_bfs(const cp_backend_ops *ops, const instance *in, int32_t source) {
    int32_t *want = malloc(((size_t)in->n + 1) * sizeof *want);
    int32_t *got = malloc(((size_t)in->n + 1) * sizeof *got);
    cr_assert(want != NULL && got != NULL);
    bfs_oracle(in, source, want);
    memset(got, 0x5A, ((size_t)in->n + 1) * sizeof *got);
    const cp_view *g = in->view;
    cp_error err;
    cp_error_clear(&err);
    cp_status st = ops->bfs_hops(ops->state, in->n, in->m, g->offsets, g->indices, g->rev_offsets,
                                 g->rev_indices, in->removed, source, got, &err);
    cr_assert_eq(st, CP_OK, "%s bfs_hops: %s", ops->name, err.msg);
    for (int32_t v = 0; v < in->n; v++) {
        cr_assert_eq(got[v], want[v], "%s bfs_hops n=%d source %d node %d: got %d, want %d",
                     ops->name, in->n, source, v, got[v], want[v]);
    }
    free(want);
    free(got);
}

Test(backend_ops, bfs_by_hand) {
    /* 0 -> 1 -> 2 -> 3, 0 -> 2, 3 -> 0, 4 -> 3, 5 isolated, self-loop at 1. */
    int32_t src[] = {0, 1, 2, 0, 3, 4, 1};
    int32_t dst[] = {1, 2, 3, 2, 0, 3, 1};
    instance in = {0};
    instance_edges(&in, 6, 7, src, dst);
    cp_backend_ops cpu;
    cp__backend_cpu(&cpu);
    int32_t got[6];
    cp_error err;
    const cp_view *g = in.view;
    cr_assert_eq(cpu.bfs_hops(NULL, 6, 7, g->offsets, g->indices, g->rev_offsets, g->rev_indices,
                              NULL, 0, got, &err),
                 CP_OK);
    int32_t want[6] = {0, 1, 1, 2, -1, -1};
    for (int v = 0; v < 6; v++) {
        cr_expect_eq(got[v], want[v], "node %d: %d", v, got[v]);
    }
    /* Node 2 removed: 3 is unreachable. */
    in.removed[2] = 1;
    cr_assert_eq(cpu.bfs_hops(NULL, 6, 7, g->offsets, g->indices, g->rev_offsets, g->rev_indices,
                              in.removed, 0, got, &err),
                 CP_OK);
    int32_t want2[6] = {0, 1, -1, -1, -1, -1};
    for (int v = 0; v < 6; v++) {
        cr_expect_eq(got[v], want2[v], "node %d: %d", v, got[v]);
    }
    /* The source removed: everything -1. */
    cr_assert_eq(cpu.bfs_hops(NULL, 6, 7, g->offsets, g->indices, g->rev_offsets, g->rev_indices,
                              in.removed, 2, got, &err),
                 CP_OK);
    for (int v = 0; v < 6; v++) {
        cr_expect_eq(got[v], -1);
    }
    /* A source out of range. */
    cr_expect_eq(cpu.bfs_hops(NULL, 6, 7, g->offsets, g->indices, g->rev_offsets, g->rev_indices,
                              NULL, 6, got, &err),
                 CP_E_INVALID);
    cr_expect_eq(cpu.bfs_hops(NULL, 6, 7, g->offsets, g->indices, g->rev_offsets, g->rev_indices,
                              NULL, -1, got, &err),
                 CP_E_INVALID);
    instance_free(&in);
}

Test(backend_ops, bfs_random_vs_relaxation) {
    cp_backend_ops ops[2];
    int k = backends(ops);
    static const struct {
        int32_t n;
        int64_t m;
        double p;
    } sizes[] = {{1, 0, 0.0},     {2, 3, 0.0},      {5, 12, 0.2},
                 {40, 30, 0.1},   {64, 256, 0.0},   {150, 600, 0.3},
                 {300, 300, 0.0}, {300, 2400, 0.1}, {500, 9000, 0.05}};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        for (uint64_t seed = 1; seed <= 3; seed++) {
            instance in = {0};
            instance_random(&in, seed * 7919 + i, sizes[i].n, sizes[i].m, sizes[i].p);
            uint64_t s = seed;
            for (int rep = 0; rep < 3; rep++) {
                int32_t source = below(&s, in.n);
                for (int b = 0; b < k; b++) {
                    check_bfs(&ops[b], &in, source);
                }
            }
            instance_free(&in);
        }
    }
    backends_close(ops, k);
}

Test(backend_ops, bfs_long_path) {
    /* A path of 2000 nodes (many levels; the frontier never grows). */
    enum { N = 2000 };
    int32_t src[N], dst[N];
    for (int32_t v = 0; v + 1 < N; v++) {
        src[v] = v;
        dst[v] = v + 1;
    }
    instance in = {0};
    instance_edges(&in, N, N - 1, src, dst);
    cp_backend_ops ops[2];
    int k = backends(ops);
    for (int b = 0; b < k; b++) {
        check_bfs(&ops[b], &in, 0);
        check_bfs(&ops[b], &in, 1500);
    }
    backends_close(ops, k);
    instance_free(&in);
}

/* ---- wcc_labels ---- */

static void check_wcc(const cp_backend_ops *ops, const instance *in) {
    size_t nn = (size_t)in->n + 1;
    int32_t *want = malloc(nn * sizeof *want);
    int32_t *got = malloc(nn * sizeof *got);
    cr_assert(want != NULL && got != NULL);
    cp_error err;
    cp_error_clear(&err);
    int32_t comps = 0;
    cr_assert_eq(cp_wcc(want, &comps, NULL, in->view, in->removed, &err), CP_OK, "%s", err.msg);
    memset(got, 0x5A, nn * sizeof *got);
    const cp_view *g = in->view;
    cp_status st = ops->wcc_labels(ops->state, in->n, in->m, g->offsets, g->indices, g->rev_offsets,
                                   g->rev_indices, in->removed, got, &err);
    cr_assert_eq(st, CP_OK, "%s wcc_labels: %s", ops->name, err.msg);
    for (int32_t v = 0; v < in->n; v++) {
        cr_assert_eq(got[v], want[v], "%s wcc_labels n=%d node %d: got %d, cp_wcc %d", ops->name,
                     in->n, v, got[v], want[v]);
    }
    free(want);
    free(got);
}

Test(backend_ops, wcc_by_hand) {
    /* {0, 3} via 3 -> 0; {1, 2, 4} via 4 -> 2 -> 1 (direction ignored); 5 isolated with a
     * self-loop; 6 removed splits {6, 7, 8} into {7}, {8}. */
    int32_t src[] = {3, 4, 2, 5, 7, 6};
    int32_t dst[] = {0, 2, 1, 5, 6, 8};
    instance in = {0};
    instance_edges(&in, 9, 6, src, dst);
    in.removed[6] = 1;
    cp_backend_ops cpu;
    cp__backend_cpu(&cpu);
    int32_t got[9];
    cp_error err;
    const cp_view *g = in.view;
    cr_assert_eq(cpu.wcc_labels(NULL, 9, 6, g->offsets, g->indices, g->rev_offsets, g->rev_indices,
                                in.removed, got, &err),
                 CP_OK);
    int32_t want[9] = {0, 1, 1, 0, 1, 5, -1, 7, 8};
    for (int v = 0; v < 9; v++) {
        cr_expect_eq(got[v], want[v], "node %d: %d", v, got[v]);
    }
    check_wcc(&cpu, &in);
    instance_free(&in);
}

Test(backend_ops, wcc_random_vs_cp_wcc) {
    cp_backend_ops ops[2];
    int k = backends(ops);
    static const struct {
        int32_t n;
        int64_t m;
        double p;
    } sizes[] = {{1, 0, 0.0},      {1, 0, 1.0},      {2, 3, 0.0},     {5, 12, 0.2},
                 {40, 30, 0.1},    {64, 256, 0.0},   {150, 120, 0.3}, {300, 300, 0.0},
                 {300, 2400, 0.5}, {1000, 700, 0.05}};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        for (uint64_t seed = 1; seed <= 3; seed++) {
            instance in = {0};
            instance_random(&in, seed * 104729 + i, sizes[i].n, sizes[i].m, sizes[i].p);
            for (int b = 0; b < k; b++) {
                check_wcc(&ops[b], &in);
            }
            instance_free(&in);
        }
    }
    backends_close(ops, k);
}

/* ---- pagerank_pull ---- */

static void check_pagerank(const cp_backend_ops *ops, const instance *in, int weighted,
                           double damping) {
    size_t nn = (size_t)in->n + 1;
    double *want = malloc(nn * sizeof *want);
    double *got = malloc(nn * sizeof *got);
    cr_assert(want != NULL && got != NULL);
    cp_error err;
    cp_error_clear(&err);
    cp_pagerank_params pp;
    cp_pagerank_params_init(&pp);
    pp.alpha = damping;
    pp.weighted = weighted;
    pp.dangling = CP_DANGLING_UNIFORM;
    pp.tol = 1e-15;
    pp.max_iter = 10000;
    cr_assert_eq(cp_pagerank(want, NULL, in->view, in->removed, &pp, &err), CP_OK, "%s", err.msg);
    memset(got, 0x5A, nn * sizeof *got);
    const cp_view *g = in->view;
    int64_t iters = -1;
    double change = -1.0;
    cp_status st = ops->pagerank_pull(ops->state, in->n, in->m, g->offsets, g->indices,
                                      weighted ? g->weights : NULL, g->rev_offsets, g->rev_indices,
                                      weighted ? g->rev_weights : NULL, in->removed, damping, 1e-13,
                                      10000, got, &iters, &change, &err);
    cr_assert_eq(st, CP_OK, "%s pagerank_pull: %s", ops->name, err.msg);
    int32_t active = 0;
    double sum = 0.0;
    for (int32_t v = 0; v < in->n; v++) {
        active += !in->removed[v];
        sum += got[v];
        cr_assert(fabs(got[v] - want[v]) <= 1e-9,
                  "%s pagerank_pull n=%d weighted=%d d=%g node %d: got %.17g, cp_pagerank %.17g",
                  ops->name, in->n, weighted, damping, v, got[v], want[v]);
        if (in->removed[v]) {
            cr_assert_eq(got[v], 0.0);
        }
    }
    if (active > 0) {
        cr_expect(iters >= 1 && change >= 0.0 && change < 1e-13, "iters %lld change %g",
                  (long long)iters, change);
        cr_expect(fabs(sum - 1.0) < 1e-9, "sum %.17g", sum);
    } else {
        cr_expect_eq(iters, 0);
        cr_expect_eq(change, 0.0);
    }
    free(want);
    free(got);
}

Test(backend_ops, pagerank_random_vs_cp_pagerank) {
    cp_backend_ops ops[2];
    int k = backends(ops);
    static const struct {
        int32_t n;
        int64_t m;
        double p;
    } sizes[] = {{1, 0, 0.0},      {1, 1, 0.0},        {2, 3, 0.0},     {5, 12, 0.2},
                 {40, 30, 0.1},    {64, 256, 0.0},     {150, 120, 0.3}, {300, 300, 0.0},
                 {300, 2400, 0.3}, {1000, 4000, 0.05}, {7, 10, 1.0}};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        for (uint64_t seed = 1; seed <= 2; seed++) {
            instance in = {0};
            instance_random(&in, seed * 15485863 + i, sizes[i].n, sizes[i].m, sizes[i].p);
            for (int b = 0; b < k; b++) {
                check_pagerank(&ops[b], &in, 1, 0.85);
                check_pagerank(&ops[b], &in, 0, 0.85);
                check_pagerank(&ops[b], &in, 1, 0.5);
                check_pagerank(&ops[b], &in, 0, 0.0);
            }
            instance_free(&in);
        }
    }
    backends_close(ops, k);
}

Test(backend_ops, pagerank_by_hand) {
    /* Two nodes, 0 -> 1 only: 1 is dangling. With d = 0.5 (teleport 0.25 each, D = x1):
     *   x0 = 0.5 (0 + x1 / 2) + 0.25,  x1 = 0.5 (x0 + x1 / 2) + 0.25,
     * whose fixed point with x0 + x1 = 1 is x0 = 0.4, x1 = 0.6. */
    int32_t src[] = {0};
    int32_t dst[] = {1};
    instance in = {0};
    instance_edges(&in, 2, 1, src, dst);
    cp_backend_ops cpu;
    cp__backend_cpu(&cpu);
    double got[2];
    int64_t it = 0;
    double ch = 0.0;
    cp_error err;
    const cp_view *g = in.view;
    cr_assert_eq(cpu.pagerank_pull(NULL, 2, 1, g->offsets, g->indices, NULL, g->rev_offsets,
                                   g->rev_indices, NULL, NULL, 0.5, 1e-14, 1000, got, &it, &ch,
                                   &err),
                 CP_OK, "%s", err.msg);
    cr_expect(fabs(got[0] - 0.4) < 1e-12 && fabs(got[1] - 0.6) < 1e-12, "%.17g %.17g", got[0],
              got[1]);
    /* One iteration only: the warning, with the first iterate written. From x = (1/2, 1/2):
     * x0 = 0.5 (0 + 0.5 / 2) + 0.25 = 0.375, x1 = 0.5 (0.5 + 0.25) + 0.25 = 0.625. */
    cr_assert_eq(cpu.pagerank_pull(NULL, 2, 1, g->offsets, g->indices, NULL, g->rev_offsets,
                                   g->rev_indices, NULL, NULL, 0.5, 1e-14, 1, got, &it, &ch, &err),
                 CP_W_NOT_CONVERGED);
    cr_expect_eq(it, 1);
    cr_expect(fabs(got[0] - 0.375) < 1e-15 && fabs(got[1] - 0.625) < 1e-15, "%.17g %.17g", got[0],
              got[1]);
    cr_expect(fabs(ch - 0.25) < 1e-15, "change %g", ch);
    /* Bad arguments. */
    cr_expect_eq(cpu.pagerank_pull(NULL, 2, 1, g->offsets, g->indices, NULL, g->rev_offsets,
                                   g->rev_indices, NULL, NULL, 1.0, 1e-14, 10, got, &it, &ch, &err),
                 CP_E_INVALID);
    cr_expect_eq(cpu.pagerank_pull(NULL, 2, 1, g->offsets, g->indices, NULL, g->rev_offsets,
                                   g->rev_indices, NULL, NULL, 0.5, 0.0, 10, got, &it, &ch, &err),
                 CP_E_INVALID);
    cr_expect_eq(cpu.pagerank_pull(NULL, 2, 1, g->offsets, g->indices, NULL, g->rev_offsets,
                                   g->rev_indices, NULL, NULL, 0.5, 1e-9, 0, got, &it, &ch, &err),
                 CP_E_INVALID);
    cr_expect_eq(cpu.pagerank_pull(NULL, 2, 1, g->offsets, g->indices, g->weights, g->rev_offsets,
                                   g->rev_indices, NULL, NULL, 0.5, 1e-9, 10, got, &it, &ch, &err),
                 CP_E_INVALID);
    instance_free(&in);
}

/* ---- arguments every op checks the same way ---- */

Test(backend_ops, bad_offsets_and_empty) {
    cp_backend_ops cpu;
    cp__backend_cpu(&cpu);
    cp_error err;
    int64_t off[3] = {0, 1, 2};
    int64_t bad[3] = {0, 1, 3};
    int32_t idx[2] = {1, 0};
    int32_t out[2];
    double r[2];
    int64_t it;
    double ch;
    cr_expect_eq(cpu.bfs_hops(NULL, 2, 2, bad, idx, off, idx, NULL, 0, out, &err), CP_E_INVALID);
    cr_expect(strstr(err.msg, "offsets") != NULL, "%s", err.msg);
    cr_expect_eq(cpu.wcc_labels(NULL, 2, 2, off, idx, bad, idx, NULL, out, &err), CP_E_INVALID);
    cr_expect(strstr(err.msg, "rev_offsets") != NULL, "%s", err.msg);
    cr_expect_eq(cpu.pagerank_pull(NULL, 2, 2, off, idx, NULL, off, NULL, NULL, NULL, 0.85, 1e-9,
                                   10, r, &it, &ch, &err),
                 CP_E_INVALID);
    cr_expect_eq(cpu.wcc_labels(NULL, -1, 0, off, idx, off, idx, NULL, out, &err), CP_E_INVALID);
    /* n = 0: nothing to do (bfs has no valid source). */
    int64_t zero[1] = {0};
    cr_expect_eq(cpu.wcc_labels(NULL, 0, 0, zero, NULL, zero, NULL, NULL, NULL, &err), CP_OK);
    cr_expect_eq(cpu.pagerank_pull(NULL, 0, 0, zero, NULL, NULL, zero, NULL, NULL, NULL, 0.85, 1e-9,
                                   10, NULL, &it, &ch, &err),
                 CP_OK);
    cr_expect_eq(it, 0);
    cr_expect_eq(cpu.bfs_hops(NULL, 0, 0, zero, NULL, zero, NULL, NULL, 0, NULL, &err),
                 CP_E_INVALID);
}
