/* S-T co-reachability (st_coreach64): the CPU twin against an independent brute force, and the
 * backend selection (--device auto / cpu / cuda) with and without the CUDA plugin.
 *
 * Oracle: for each scenario j and node v, a plain forward BFS from v over the non-removed nodes of
 * the forward CSR, asking whether it meets a non-removed target. It shares nothing with the
 * backward multi-source BFS under test but the view. When the CUDA plugin is built beside this
 * binary and a GPU answers, the same random graphs run on it too and must match bit for bit. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "backend.h"
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

/* ---- a test instance: a graph, 64 removal scenarios, targets ---- */

typedef struct instance {
    int32_t n;
    int64_t m;
    cp_view *view;
    uint64_t *removed; /* n words */
    int32_t *targets;
    int64_t n_targets;
} instance;

static void instance_free(instance *in) {
    cp_view_free(&in->view);
    free(in->removed);
    free(in->targets);
    memset(in, 0, sizeof *in);
}

static void instance_view(instance *in, int32_t n, int64_t m, const int32_t *src,
                          const int32_t *dst) {
    cp_error err;
    in->n = n;
    in->m = m;
    cr_assert_eq(cp_view_from_edges(&in->view, n, m, src, dst, NULL, NULL, CP_DIR_STORED,
                                    CP_MULTI_KEEP, &err),
                 CP_OK, "%s", err.msg);
    cr_assert_eq(in->view->m, m);
    in->removed = calloc((size_t)n + 1, sizeof *in->removed);
    cr_assert_not_null(in->removed);
}

/* A random directed graph: m edges with random ends among the first `active` nodes (the rest are
 * isolated), some self-loops and parallel edges on purpose; scenario j removes each node with a
 * probability that grows with j (scenario 0 removes nothing); n_targets random targets (repeats
 * allowed, some removed). */
static void instance_random(instance *in, uint64_t seed, int32_t n, int64_t m, int32_t n_targets) {
    uint64_t s = seed;
    int32_t *src = malloc(((size_t)m + 1) * sizeof *src);
    int32_t *dst = malloc(((size_t)m + 1) * sizeof *dst);
    cr_assert(src != NULL && dst != NULL);
    int32_t active = n > 4 ? n - n / 8 : n;
    for (int64_t e = 0; e < m; e++) {
        double r = unif(&s);
        src[e] = below(&s, active);
        if (r < 0.05) {
            dst[e] = src[e]; /* self-loop */
        } else if (r < 0.10 && e > 0) {
            src[e] = src[e - 1]; /* parallel edge */
            dst[e] = dst[e - 1];
        } else {
            dst[e] = below(&s, active);
        }
    }
    instance_view(in, n, m, src, dst);
    free(src);
    free(dst);
    for (int j = 1; j < 64; j++) {
        double p = 0.6 * j / 63.0;
        for (int32_t v = 0; v < n; v++) {
            if (unif(&s) < p) {
                in->removed[v] |= 1ull << j;
            }
        }
    }
    in->n_targets = n_targets;
    in->targets = malloc(((size_t)n_targets + 1) * sizeof *in->targets);
    cr_assert_not_null(in->targets);
    for (int32_t i = 0; i < n_targets; i++) {
        in->targets[i] = below(&s, n);
    }
}

/* ---- the oracle ---- */

static void brute_force(const instance *in, uint64_t *out) {
    int32_t n = in->n;
    const cp_view *g = in->view;
    uint8_t *is_target = calloc((size_t)n + 1, 1);
    int32_t *seen = malloc(((size_t)n + 1) * sizeof *seen);
    int32_t *queue = malloc(((size_t)n + 1) * sizeof *queue);
    cr_assert(is_target != NULL && seen != NULL && queue != NULL);
    for (int64_t i = 0; i < in->n_targets; i++) {
        is_target[in->targets[i]] = 1;
    }
    memset(out, 0, (size_t)n * sizeof *out);
    for (int j = 0; j < 64; j++) {
        uint64_t bit = 1ull << j;
        for (int32_t i = 0; i < n; i++) {
            seen[i] = -1;
        }
        for (int32_t v = 0; v < n; v++) {
            if (in->removed[v] & bit) {
                continue;
            }
            int64_t head = 0, tail = 0;
            queue[tail++] = v;
            seen[v] = v;
            int found = 0;
            while (head < tail && !found) {
                int32_t x = queue[head++];
                if (is_target[x]) {
                    found = 1;
                    break;
                }
                for (int64_t k = g->offsets[x]; k < g->offsets[x + 1]; k++) {
                    int32_t y = g->indices[k];
                    if (seen[y] != v && !(in->removed[y] & bit)) {
                        seen[y] = v;
                        queue[tail++] = y;
                    }
                }
            }
            if (found) {
                out[v] |= bit;
            }
        }
    }
    free(is_target);
    free(seen);
    free(queue);
}

static void run_op(const cp_backend_ops *ops, const instance *in, uint64_t *out) {
    cp_error err;
    cp_error_clear(&err);
    const cp_view *g = in->view;
    cp_status st = ops->st_coreach64(ops->state, in->n, in->m, g->rev_offsets, g->rev_indices,
                                     in->removed, in->targets, in->n_targets, out, &err);
    cr_assert_eq(st, CP_OK, "%s st_coreach64: %s (%s)", ops->name, cp_status_name(st), err.msg);
}

static void expect_words(const uint64_t *got, const uint64_t *want, int32_t n, const char *what) {
    for (int32_t v = 0; v < n; v++) {
        cr_assert_eq(got[v], want[v], "%s: node %d: got %016llx, want %016llx", what, v,
                     (unsigned long long)got[v], (unsigned long long)want[v]);
    }
}

/* Runs the CPU twin (and `extra`, when not NULL) on the instance against the brute force. */
static void check_instance(const instance *in, const cp_backend_ops *extra, uint64_t *seen_bits) {
    size_t words = (size_t)in->n + 1;
    uint64_t *want = malloc(words * sizeof *want);
    uint64_t *got = malloc(words * sizeof *got);
    cr_assert(want != NULL && got != NULL);
    brute_force(in, want);
    cp_backend_ops cpu;
    cp__backend_cpu(&cpu);
    memset(got, 0xA5, words * sizeof *got); /* the op must overwrite every word */
    run_op(&cpu, in, got);
    expect_words(got, want, in->n, "cpu vs brute force");
    if (extra != NULL) {
        memset(got, 0x5A, words * sizeof *got);
        run_op(extra, in, got);
        expect_words(got, want, in->n, "cuda vs brute force");
    }
    if (seen_bits != NULL) {
        for (int32_t v = 0; v < in->n; v++) {
            *seen_bits |= want[v];
        }
    }
    free(want);
    free(got);
}

/* ---- the plugin beside this test binary (the build directory), if it was built ---- */

static const char *built_plugin(void) {
    static char path[PATH_MAX + 64];
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len <= 0) {
        return NULL;
    }
    exe[len] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash == NULL) {
        return NULL;
    }
    *slash = '\0';
    snprintf(path, sizeof path, "%s/libchokepoint_cuda.so", exe);
    return access(path, R_OK) == 0 ? path : NULL;
}

/* Opens "cuda" through the built plugin when a GPU answers; returns 0 (and a zeroed ops) when
 * there is no plugin or no GPU. */
static int open_gpu(cp_backend_ops *ops) {
    memset(ops, 0, sizeof *ops);
    const char *plugin = built_plugin();
    if (plugin == NULL) {
        return 0;
    }
    setenv("CHOKEPOINT_CUDA_PLUGIN", plugin, 1);
    cp_error err;
    cp_error_clear(&err);
    cp_status st = cp__backend_open(ops, "cuda", NULL, 0, &err);
    if (st != CP_OK) {
        cr_assert_eq(st, CP_E_NODEVICE, "cuda with the built plugin: %s (%s)", cp_status_name(st),
                     err.msg);
        memset(ops, 0, sizeof *ops);
        return 0;
    }
    cr_assert_str_eq(ops->name, "cuda");
    return 1;
}

/* ---- hand-checked ---- */

Test(reach, chain_by_hand) {
    /* 0 -> 1 -> 2 -> 3, 4 -> 2, 5 isolated; target 3. Scenario 0: nothing removed; 1: node 1
     * removed; 2: the target removed; 3: node 2 removed; 4: node 4 removed. */
    int32_t src[] = {0, 1, 2, 4};
    int32_t dst[] = {1, 2, 3, 2};
    instance in = {0};
    instance_view(&in, 6, 4, src, dst);
    in.removed[1] = 1ull << 1;
    in.removed[3] = 1ull << 2;
    in.removed[2] = 1ull << 3;
    in.removed[4] = 1ull << 4;
    in.n_targets = 1;
    in.targets = malloc(sizeof *in.targets);
    in.targets[0] = 3;
    uint64_t got[6];
    cp_backend_ops cpu;
    cp__backend_cpu(&cpu);
    run_op(&cpu, &in, got);
    uint64_t all5 = 0x1f, rest = ~all5;
    /* Scenarios 5..63 remove nothing: everything but the isolated node 5 reaches 3. */
    cr_expect_eq(got[0], (1ull << 0 | 1ull << 4) | rest);
    cr_expect_eq(got[1], (1ull << 0 | 1ull << 4) | rest);
    cr_expect_eq(got[2], (1ull << 0 | 1ull << 1 | 1ull << 4) | rest);
    cr_expect_eq(got[3], (all5 & ~(1ull << 2)) | rest);
    cr_expect_eq(got[4], (1ull << 0 | 1ull << 1) | rest);
    cr_expect_eq(got[5], 0);
    instance_free(&in);
}

/* ---- random graphs against the brute force ---- */

Test(reach, random_graphs_vs_brute_force) {
    cp_backend_ops gpu;
    int have_gpu = open_gpu(&gpu);
    static const struct {
        int32_t n;
        int64_t m;
        int32_t t;
    } sizes[] = {{2, 3, 1},      {5, 0, 2},       {5, 12, 2},    {17, 20, 3},    {40, 30, 1},
                 {64, 128, 4},   {64, 256, 1},    {150, 150, 5}, {150, 600, 3},  {300, 300, 10},
                 {300, 1200, 2}, {300, 2400, 30}, {257, 900, 0}, {100, 400, 100}};
    uint64_t seen_bits = 0;
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        for (uint64_t seed = 1; seed <= 3; seed++) {
            instance in = {0};
            instance_random(&in, seed * 1000 + i, sizes[i].n, sizes[i].m, sizes[i].t);
            check_instance(&in, have_gpu ? &gpu : NULL, &seen_bits);
            instance_free(&in);
        }
    }
    /* Every one of the 64 scenario bits was exercised (set for some node somewhere). */
    cr_expect_eq(seen_bits, ~0ull, "bits never set: %016llx", (unsigned long long)~seen_bits);
    if (have_gpu) {
        cp__backend_close(&gpu);
    }
}

Test(reach, long_paths_and_cycles) {
    /* A path of 400 nodes into the target plus a cycle hanging off it: many BFS levels. */
    enum { N = 450 };
    int32_t src[N + 60], dst[N + 60];
    int64_t m = 0;
    for (int32_t v = 0; v + 1 < 400; v++) {
        src[m] = v;
        dst[m++] = v + 1;
    }
    for (int32_t v = 400; v < 449; v++) {
        src[m] = v;
        dst[m++] = v + 1;
    }
    src[m] = 449;
    dst[m++] = 400; /* the cycle 400 .. 449 */
    src[m] = 425;
    dst[m++] = 10; /* the cycle feeds the path */
    instance in = {0};
    instance_view(&in, N, m, src, dst);
    uint64_t s = 7;
    for (int j = 1; j < 64; j++) {
        in.removed[below(&s, N)] |= 1ull << j; /* one random node per scenario */
    }
    in.n_targets = 1;
    in.targets = malloc(sizeof *in.targets);
    in.targets[0] = 399;
    cp_backend_ops gpu;
    int have_gpu = open_gpu(&gpu);
    check_instance(&in, have_gpu ? &gpu : NULL, NULL);
    if (have_gpu) {
        cp__backend_close(&gpu);
    }
    instance_free(&in);
}

/* ---- edge cases ---- */

Test(reach, empty_graph) {
    cp_backend_ops cpu;
    cp__backend_cpu(&cpu);
    int64_t offsets[1] = {0};
    uint64_t removed[1] = {0}, out[1] = {0xdead};
    cp_error err;
    cr_assert_eq(cpu.st_coreach64(cpu.state, 0, 0, offsets, NULL, removed, NULL, 0, out, &err),
                 CP_OK);
    cr_expect_eq(out[0], 0xdead, "n = 0 must write nothing");
}

Test(reach, single_node) {
    cp_backend_ops cpu;
    cp__backend_cpu(&cpu);
    cp_error err;
    /* n = 1 with a self-loop, the node its own target; removed in the odd scenarios. */
    int64_t offsets[2] = {0, 1};
    int32_t indices[1] = {0};
    uint64_t removed[1] = {0xAAAAAAAAAAAAAAAAull};
    int32_t targets[1] = {0};
    uint64_t out[1] = {0};
    cr_assert_eq(
        cpu.st_coreach64(cpu.state, 1, 1, offsets, indices, removed, targets, 1, out, &err), CP_OK);
    cr_expect_eq(out[0], 0x5555555555555555ull);
    /* No targets: nothing reaches anything. */
    out[0] = ~0ull;
    cr_assert_eq(
        cpu.st_coreach64(cpu.state, 1, 1, offsets, indices, removed, targets, 0, out, &err), CP_OK);
    cr_expect_eq(out[0], 0);
    /* n = 1 without edges, not a target. */
    int64_t bare[2] = {0, 0};
    int32_t none[1] = {0};
    out[0] = ~0ull;
    removed[0] = 0;
    cr_assert_eq(cpu.st_coreach64(cpu.state, 1, 0, bare, none, removed, none, 0, out, &err), CP_OK);
    cr_expect_eq(out[0], 0);
}

Test(reach, removed_and_repeated_targets) {
    /* Every node removed in every scenario but 0; targets repeated: only scenario 0 survives. */
    instance in = {0};
    instance_random(&in, 99, 60, 240, 8);
    for (int32_t v = 0; v < in.n; v++) {
        in.removed[v] = ~1ull;
    }
    for (int64_t i = 4; i < in.n_targets; i++) {
        in.targets[i] = in.targets[i - 4];
    }
    uint64_t *got = malloc((size_t)in.n * sizeof *got);
    uint64_t *want = malloc((size_t)in.n * sizeof *want);
    brute_force(&in, want);
    cp_backend_ops cpu;
    cp__backend_cpu(&cpu);
    run_op(&cpu, &in, got);
    expect_words(got, want, in.n, "cpu vs brute force");
    for (int32_t v = 0; v < in.n; v++) {
        cr_expect_eq(got[v] & ~1ull, 0);
    }
    /* Every target removed in every scenario: nothing is reached. */
    for (int64_t i = 0; i < in.n_targets; i++) {
        in.removed[in.targets[i]] = ~0ull;
    }
    run_op(&cpu, &in, got);
    for (int32_t v = 0; v < in.n; v++) {
        cr_expect_eq(got[v], 0, "node %d", v);
    }
    free(got);
    free(want);
    instance_free(&in);
}

Test(reach, out_of_memory_is_reported) {
    instance in = {0};
    instance_random(&in, 5, 50, 200, 3);
    uint64_t *got = malloc((size_t)in.n * sizeof *got);
    cp_backend_ops cpu;
    cp__backend_cpu(&cpu);
    for (long k = 0; k < 3; k++) {
        cp_error err;
        cp_error_clear(&err);
        cp__alloc_fail_after(k);
        cp_status st =
            cpu.st_coreach64(cpu.state, in.n, in.m, in.view->rev_offsets, in.view->rev_indices,
                             in.removed, in.targets, in.n_targets, got, &err);
        cp__alloc_fail_after(-1);
        cr_expect_eq(st, CP_E_NOMEM, "allocation %ld failing: %s", k, cp_status_name(st));
        cr_expect(strstr(err.msg, "out of memory") != NULL, "%s", err.msg);
    }
    free(got);
    instance_free(&in);
}

/* ---- backend selection ---- */

Test(backend, auto_without_plugin_falls_back) {
    setenv("CHOKEPOINT_CUDA_PLUGIN", "/nonexistent/libchokepoint_cuda.so", 1);
    cp_backend_ops ops;
    char notice[512];
    cp_error err;
    cp_error_clear(&err);
    cr_assert_eq(cp__backend_open(&ops, "auto", notice, sizeof notice, &err), CP_OK, "%s", err.msg);
    cr_expect_str_eq(ops.name, "cpu");
    cr_expect(strncmp(notice, "notice:", 7) == 0, "notice: '%s'", notice);
    cr_expect(strchr(notice, '\n') == NULL, "the notice is one line: '%s'", notice);
    cr_expect(strstr(notice, "nonexistent") != NULL, "the notice says why: '%s'", notice);
    cp__backend_close(&ops);
}

Test(backend, cuda_without_plugin_is_an_error) {
    setenv("CHOKEPOINT_CUDA_PLUGIN", "/nonexistent/libchokepoint_cuda.so", 1);
    static const char *specs[] = {"cuda", "cuda:0"};
    for (size_t i = 0; i < 2; i++) {
        cp_backend_ops ops;
        cp_error err;
        cp_error_clear(&err);
        cp_status st = cp__backend_open(&ops, specs[i], NULL, 0, &err);
        cr_expect(st == CP_E_UNSUPPORTED || st == CP_E_NODEVICE, "%s: %s (%s)", specs[i],
                  cp_status_name(st), err.msg);
        cr_expect(err.msg[0] != '\0');
    }
}

Test(backend, bad_specs) {
    static const char *specs[] = {"gpu", "cuda:", "cuda:x", "cuda:-1", "cudax", "CPU", ""};
    for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++) {
        cp_backend_ops ops;
        cp_error err;
        cp_error_clear(&err);
        cr_expect_eq(cp__backend_open(&ops, specs[i], NULL, 0, &err), CP_E_INVALID, "spec '%s'",
                     specs[i]);
        cr_expect(strstr(err.msg, "--device") != NULL, "'%s': %s", specs[i], err.msg);
    }
}

Test(backend, cpu_spec) {
    cp_backend_ops ops;
    cp_error err;
    char notice[64] = "junk";
    cr_assert_eq(cp__backend_open(&ops, "cpu", notice, sizeof notice, &err), CP_OK);
    cr_expect_str_eq(ops.name, "cpu");
    cr_expect_str_eq(notice, "");
    cr_expect_eq(ops.abi_version, CP_BACKEND_ABI_VERSION);
    cp__backend_close(&ops);
    cp__backend_close(&ops); /* a zeroed table closes harmlessly */
}

/* With the plugin built but no GPU (this machine), "auto" falls back and "cuda" is
 * CP_E_NODEVICE; with a GPU, both give the CUDA backend. Skipped when the plugin is not built. */
Test(backend, built_plugin) {
    const char *plugin = built_plugin();
    if (plugin == NULL) {
        cr_skip_test("libchokepoint_cuda.so is not built beside this test");
    }
    setenv("CHOKEPOINT_CUDA_PLUGIN", plugin, 1);
    cp_backend_ops ops;
    char notice[512];
    cp_error err;
    cp_error_clear(&err);
    cr_assert_eq(cp__backend_open(&ops, "auto", notice, sizeof notice, &err), CP_OK, "%s", err.msg);
    int gpu = strcmp(ops.name, "cuda") == 0;
    if (gpu) {
        cr_expect_str_eq(notice, "");
        cr_expect(strstr(ops.device, "sm_") != NULL, "device '%s'", ops.device);
    } else {
        cr_expect_str_eq(ops.name, "cpu");
        cr_expect(strncmp(notice, "notice:", 7) == 0, "notice: '%s'", notice);
        cr_expect(strchr(notice, '\n') == NULL, "one line: '%s'", notice);
    }
    cp__backend_close(&ops);
    cp_error_clear(&err);
    cp_status st = cp__backend_open(&ops, "cuda", NULL, 0, &err);
    if (gpu) {
        cr_expect_eq(st, CP_OK, "%s", err.msg);
        /* Invalid targets are refused on the device side, not faulted on. */
        int64_t offsets[3] = {0, 0, 0};
        uint64_t removed[2] = {0, 0}, out[2];
        int32_t targets[1] = {2};
        cr_expect_eq(
            ops.st_coreach64(ops.state, 2, 0, offsets, NULL, removed, targets, 1, out, &err),
            CP_E_INVALID);
        cp__backend_close(&ops);
    } else {
        cr_expect_eq(st, CP_E_NODEVICE, "%s (%s)", cp_status_name(st), err.msg);
        cr_expect(err.msg[0] != '\0');
        cp_error_clear(&err);
        cr_expect_eq(cp__backend_open(&ops, "cuda:7", NULL, 0, &err), CP_E_NODEVICE, "%s", err.msg);
    }
}
