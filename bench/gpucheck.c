/* gpucheck: the one program that runs on a GPU machine (DESIGN section 7). It depends only on the
 * core library (and loads the CUDA plugin at run time): no HDF5, Criterion or MPI.
 *
 * For each R-MAT graph (Graph500 parameters, scale from the command line) and each scenario count
 * (64 removal scenarios per word), it draws removal scenarios that remove 1% .. 30% of the nodes
 * and a few hundred random targets, builds the CSC, runs st_coreach64 on the CPU twin and on the
 * CUDA backend, compares every word (they must be bit-identical: the result is a fixed point) and
 * prints one table.
 *
 * Timing. cpu ms: the sum over words of the CPU twin's time per call (single-threaded; several
 * words run at once on different cores, so the wall time is shorter). gpu ms: the sum over words
 * of the wall time of each call (clock_gettime), after one untimed warm-up call; it includes
 * copying the graph to the device on every call (the operation takes host arrays). kernel ms, H2D
 * GB/s and levels come from the plugin's own CUDA events (cp_cuda_plugin_last_timing, looked up
 * with dlsym) when it exports them. GTEPS = m x words / kernel time: graph edges per second per
 * 64-scenario word. speed-up = cpu ms / gpu ms (one CPU core against the whole GPU call).
 *
 * A second table checks bfs_hops, wcc_labels and pagerank_pull on the same R-MAT graphs (scales up
 * to --ops-max-scale), with random weights in [0, 1) (about 5% zero) written into the view and 3%
 * of the nodes removed. Tolerances: bfs_hops and wcc_labels must match the CPU twin element for
 * element (both results are unique); pagerank_pull (damping 0.85, L1 tol 1e-12) must agree with the
 * twin to max |diff| <= 1e-9 at every node (the sums run in different orders; the iteration counts
 * may differ by one near the threshold), and the twin with the library's cp_pagerank (weighted,
 * uniform dangling, tol 1e-13 per node) to max |diff| <= 1e-6; the twin's wcc_labels must equal
 * cp_wcc's labels. cpu ms there is the twin's single-threaded time; GB/s (pagerank) is the bytes
 * one iteration must move (m x 20 + n x 49) times the iterations over the kernel time.
 *
 * Exit status: 0 when every comparison matches; 1 on a mismatch or an error; 2 on a usage error;
 * 77 when there is no GPU (after running the CPU twin alone on a small graph). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "backend.h"
#include "chokepoint/centrality.h"
#include "chokepoint/generate.h"
#include "chokepoint/spectral.h"
#include "chokepoint/view.h"
#include "philox.h"

#define EXIT_NOGPU 77
#define MAX_LIST   16

typedef struct options {
    int scales[MAX_LIST];
    int n_scales;
    int words[MAX_LIST];
    int n_words;
    int edge_factor;
    int n_targets;
    int ops_max_scale;
    uint64_t seed;
    const char *device;
} options;

typedef struct plugin_timing_fn {
    int (*fn)(const void *state, double out[5]);
} plugin_timing_fn;

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

static void usage(FILE *f) {
    fprintf(f, "usage: gpucheck [--full] [--scales 16,18,20] [--words 1,10] [--edge-factor 16]\n"
               "                [--targets 256] [--seed 1] [--ops-max-scale 20]\n"
               "                [--device cuda|cuda:N|cpu]\n"
               "  Compares st_coreach64 on the CPU twin and the CUDA backend on R-MAT graphs.\n"
               "  --full: scales 16,18,20,22,24. --words: scenario words (64 scenarios each).\n"
               "  --ops-max-scale: largest scale for bfs_hops, wcc_labels, pagerank_pull\n"
               "  (their single-threaded CPU twins are the slow part).\n"
               "  --device cpu: a dry run with the CPU backend in the GPU's place.\n"
               "  Exit: 0 all match, 1 mismatch or error, 2 usage, 77 no GPU.\n");
}

static int parse_list(const char *s, int *out, int max, int lo, int hi) {
    int k = 0;
    while (*s != '\0') {
        char *end = NULL;
        long v = strtol(s, &end, 10);
        if (end == s || v < lo || v > hi || k == max) {
            return -1;
        }
        out[k++] = (int)v;
        s = end;
        if (*s == ',') {
            s++;
        } else if (*s != '\0') {
            return -1;
        }
    }
    return k;
}

/* 1 when a is an option that takes a value. */
static int takes_value(const char *a) {
    static const char *names[] = {"--scales", "--words",         "--edge-factor", "--targets",
                                  "--seed",   "--ops-max-scale", "--device"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(a, names[i]) == 0) {
            return 1;
        }
    }
    return 0;
}

static int parse_args(int argc, char **argv, options *o) {
    memset(o, 0, sizeof *o);
    static const int def_scales[] = {16, 18, 20};
    static const int full_scales[] = {16, 18, 20, 22, 24};
    o->n_scales = 3;
    memcpy(o->scales, def_scales, sizeof def_scales);
    o->words[0] = 1;
    o->words[1] = 10;
    o->n_words = 2;
    o->edge_factor = 16;
    o->n_targets = 256;
    o->ops_max_scale = 20;
    o->seed = 1;
    o->device = "cuda";
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            exit(0);
        } else if (strcmp(a, "--full") == 0) {
            o->n_scales = 5;
            memcpy(o->scales, full_scales, sizeof full_scales);
        } else if (!takes_value(a)) {
            fprintf(stderr, "gpucheck: unknown option %s\n", a);
            return -1;
        } else if (v == NULL) {
            fprintf(stderr, "gpucheck: %s needs a value\n", a);
            return -1;
        } else if (strcmp(a, "--scales") == 0) {
            o->n_scales = parse_list(v, o->scales, MAX_LIST, 1, 30);
            if (o->n_scales <= 0) {
                fprintf(stderr, "gpucheck: --scales %s: expected a list of 1..30\n", v);
                return -1;
            }
            i++;
        } else if (strcmp(a, "--words") == 0) {
            o->n_words = parse_list(v, o->words, MAX_LIST, 1, 1000);
            if (o->n_words <= 0) {
                fprintf(stderr, "gpucheck: --words %s: expected a list of 1..1000\n", v);
                return -1;
            }
            i++;
        } else if (strcmp(a, "--edge-factor") == 0) {
            int k = parse_list(v, &o->edge_factor, 1, 1, 1024);
            if (k != 1) {
                fprintf(stderr, "gpucheck: --edge-factor %s: expected 1..1024\n", v);
                return -1;
            }
            i++;
        } else if (strcmp(a, "--targets") == 0) {
            int k = parse_list(v, &o->n_targets, 1, 0, 1 << 30);
            if (k != 1) {
                fprintf(stderr, "gpucheck: --targets %s: expected a count\n", v);
                return -1;
            }
            i++;
        } else if (strcmp(a, "--ops-max-scale") == 0) {
            int k = parse_list(v, &o->ops_max_scale, 1, 0, 30);
            if (k != 1) {
                fprintf(stderr, "gpucheck: --ops-max-scale %s: expected 0..30\n", v);
                return -1;
            }
            i++;
        } else if (strcmp(a, "--seed") == 0) {
            char *end = NULL;
            o->seed = strtoull(v, &end, 10);
            if (end == v || *end != '\0') {
                fprintf(stderr, "gpucheck: --seed %s: expected an integer\n", v);
                return -1;
            }
            i++;
        } else if (strcmp(a, "--device") == 0) {
            o->device = v;
            i++;
        } else {
            fprintf(stderr, "gpucheck: unknown option %s\n", a);
            return -1;
        }
    }
    return 0;
}

/* ---- inputs ---- */

/* The R-MAT graph's CSC (and CSR) as a view; the graph itself is freed. */
static cp_status make_graph(cp_view **v, int scale, int edge_factor, uint64_t seed, cp_error *err) {
    cp_status status = CP_OK;
    cp_graph *g = NULL;
    cp_rmat_params p;
    cp_rmat_params_init(&p);
    p.scale = scale;
    p.edge_factor = edge_factor;
    p.seed = seed;
    cp_view_spec spec = {0, CP_DIR_STORED, CP_MULTI_KEEP};
    CP_TRY(cp_generate_rmat(&g, &p, err));
    CP_TRY(cp_view_build(v, g, &spec, err));
cleanup:
    cp_graph_free(&g);
    return status;
}

/* Scenario s = 64 w + j removes round(f n) nodes drawn with replacement, f = 1% .. 30% rising with
 * j; removed[w n + v] bit j. Seeded by (seed, s), so every run draws the same scenarios. */
static void make_removed(uint64_t *removed, int32_t n, int words, uint64_t seed) {
    memset(removed, 0, (size_t)n * (size_t)words * sizeof *removed);
    for (int w = 0; w < words; w++) {
        uint64_t *word = removed + (size_t)w * (size_t)n;
        for (int j = 0; j < 64; j++) {
            double f = 0.01 + 0.29 * (double)j / 63.0;
            int64_t k = (int64_t)(f * n + 0.5);
            uint32_t s = (uint32_t)(64 * w + j);
            uint64_t bit = 1ULL << j;
#pragma omp parallel for schedule(static)
            for (int64_t i = 0; i < k; i++) {
                uint64_t r = cp_rng_u64(seed, s, 0, CP_RNG_SAMPLE, (uint64_t)i, 0);
                int32_t v = (int32_t)(r % (uint64_t)n);
#pragma omp atomic
                word[v] |= bit;
            }
        }
    }
}

static void make_targets(int32_t *targets, int n_targets, int32_t n, uint64_t seed) {
    for (int i = 0; i < n_targets; i++) {
        uint64_t r = cp_rng_u64(seed, 0xFFFFFFFFu, 1, CP_RNG_SAMPLE, (uint64_t)i, 0);
        targets[i] = (int32_t)(r % (uint64_t)n);
    }
}

/* ---- the plugin's optional timing export ---- */

static plugin_timing_fn find_timing(void) {
    plugin_timing_fn t = {NULL};
    char paths[3][PATH_MAX + 64];
    int np = 0;
    const char *env = getenv("CHOKEPOINT_CUDA_PLUGIN");
    if (env != NULL && env[0] != '\0') {
        snprintf(paths[np++], sizeof paths[0], "%s", env);
    } else {
        char exe[PATH_MAX];
        ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
        if (len > 0) {
            exe[len] = '\0';
            char *slash = strrchr(exe, '/');
            if (slash != NULL) {
                *slash = '\0';
                snprintf(paths[np++], sizeof paths[0], "%s/libchokepoint_cuda.so", exe);
                snprintf(paths[np++], sizeof paths[0], "%s/../lib/libchokepoint_cuda.so", exe);
            }
        }
        snprintf(paths[np++], sizeof paths[0], "libchokepoint_cuda.so");
    }
    for (int i = 0; i < np && t.fn == NULL; i++) {
        /* Only a plugin the core has already loaded: RTLD_NOLOAD loads nothing new. */
        void *h = dlopen(paths[i], RTLD_NOW | RTLD_NOLOAD);
        if (h != NULL) {
            void *sym = dlsym(h, "cp_cuda_plugin_last_timing");
            if (sym != NULL) {
                memcpy(&t.fn, &sym, sizeof t.fn);
            }
            /* The core holds its own reference; this one only balances our dlopen. */
            dlclose(h);
        }
    }
    return t;
}

/* ---- one row of the table ---- */

typedef struct row {
    double cpu_ms, gpu_ms, kernel_ms, upload_ms, upload_bytes, levels_max, warm_ms;
    int have_timing;
    int64_t mismatched_words;
    int64_t first_bad_node;
    int first_bad_word;
    double reach_fraction;
} row;

static cp_status run_cpu(const cp_view *g, const uint64_t *removed, int words,
                         const int32_t *targets, int n_targets, uint64_t *out, double *ms_total,
                         cp_error *err) {
    int32_t n = g->n;
    cp_status status = CP_OK;
    double total = 0.0;
#pragma omp parallel for schedule(dynamic, 1) reduction(+ : total)
    for (int w = 0; w < words; w++) {
        cp_error e;
        cp_error_clear(&e);
        double t0 = now_ms();
        cp_status st = cp__cpu_st_coreach64(NULL, n, g->m, g->rev_offsets, g->rev_indices,
                                            removed + (size_t)w * (size_t)n, targets, n_targets,
                                            out + (size_t)w * (size_t)n, &e);
        total += now_ms() - t0;
        if (st != CP_OK) {
#pragma omp critical
            {
                status = st;
                if (err != NULL) {
                    *err = e;
                }
            }
        }
    }
    *ms_total = total;
    return status;
}

static cp_status run_gpu(const cp_backend_ops *ops, plugin_timing_fn timing, const cp_view *g,
                         const uint64_t *removed, int words, const int32_t *targets, int n_targets,
                         uint64_t *out, row *r, cp_error *err) {
    int32_t n = g->n;
    cp_status status = CP_OK;
    /* Warm-up: the first call allocates device buffers and loads the kernels. */
    double t0 = now_ms();
    CP_TRY(ops->st_coreach64(ops->state, n, g->m, g->rev_offsets, g->rev_indices, removed, targets,
                             n_targets, out, err));
    r->warm_ms = now_ms() - t0;
    r->have_timing = timing.fn != NULL;
    for (int w = 0; w < words; w++) {
        t0 = now_ms();
        CP_TRY(ops->st_coreach64(ops->state, n, g->m, g->rev_offsets, g->rev_indices,
                                 removed + (size_t)w * (size_t)n, targets, n_targets,
                                 out + (size_t)w * (size_t)n, err));
        r->gpu_ms += now_ms() - t0;
        double t[5];
        if (timing.fn != NULL && timing.fn(ops->state, t) == 0) {
            r->upload_ms += t[0];
            r->kernel_ms += t[1];
            r->upload_bytes += t[3];
            if (t[4] > r->levels_max) {
                r->levels_max = t[4];
            }
        } else {
            r->have_timing = 0;
        }
    }
cleanup:
    return status;
}

static void compare(const uint64_t *a, const uint64_t *b, int32_t n, int words, row *r) {
    r->mismatched_words = 0;
    r->first_bad_node = -1;
    r->first_bad_word = -1;
    int64_t bits = 0;
    for (int w = 0; w < words; w++) {
        for (int32_t v = 0; v < n; v++) {
            size_t i = (size_t)w * (size_t)n + (size_t)v;
            bits += __builtin_popcountll(a[i]);
            if (a[i] != b[i]) {
                if (r->mismatched_words == 0) {
                    r->first_bad_node = v;
                    r->first_bad_word = w;
                }
                r->mismatched_words++;
            }
        }
    }
    r->reach_fraction = n > 0 ? (double)bits / (64.0 * words * (double)n) : 0.0;
}

static void print_header(void) {
    printf("%-10s %9s %11s %6s %10s %10s %10s %7s %8s %6s %8s %7s %-5s\n", "graph", "n", "m",
           "scen", "cpu ms", "gpu ms", "kernel ms", "GTEPS", "H2D GB/s", "levels", "speed-up",
           "reach", "match");
}

static void print_row(int scale, int32_t n, int64_t m, int words, const row *r, int gpu) {
    char name[32];
    snprintf(name, sizeof name, "rmat-%d", scale);
    if (!gpu) {
        printf("%-10s %9" PRId32 " %11" PRId64
               " %6d %10.1f %10s %10s %7s %8s %6s %8s %6.1f%% %-5s\n",
               name, n, m, 64 * words, r->cpu_ms, "-", "-", "-", "-", "-", "-",
               100.0 * r->reach_fraction, "-");
        fflush(stdout);
        return;
    }
    char kernel[16] = "-", gteps[16] = "-", h2d[16] = "-", levels[16] = "-";
    if (r->have_timing && r->kernel_ms > 0) {
        snprintf(kernel, sizeof kernel, "%.2f", r->kernel_ms);
        snprintf(gteps, sizeof gteps, "%.2f", (double)m * words / (r->kernel_ms * 1e-3) / 1e9);
        snprintf(levels, sizeof levels, "%.0f", r->levels_max);
        if (r->upload_ms > 0) {
            snprintf(h2d, sizeof h2d, "%.1f", r->upload_bytes / (r->upload_ms * 1e-3) / 1e9);
        }
    }
    printf("%-10s %9" PRId32 " %11" PRId64 " %6d %10.1f %10.2f %10s %7s %8s %6s %7.1fx %6.1f%% "
           "%-5s\n",
           name, n, m, 64 * words, r->cpu_ms, r->gpu_ms, kernel, gteps, h2d, levels,
           r->gpu_ms > 0 ? r->cpu_ms / r->gpu_ms : 0.0, 100.0 * r->reach_fraction,
           r->mismatched_words == 0 ? "yes" : "NO");
    if (r->mismatched_words != 0) {
        printf("  MISMATCH: %" PRId64 " words differ; first at word %d node %" PRId64 "\n",
               r->mismatched_words, r->first_bad_word, r->first_bad_node);
    }
    fflush(stdout);
}

/* Runs one graph at every scenario count; returns 0 (all match), 1 (mismatch or error). */
static int check_graph(const options *o, int scale, const cp_backend_ops *gpu,
                       plugin_timing_fn timing) {
    int rc = 1;
    cp_error err;
    cp_error_clear(&err);
    cp_view *g = NULL;
    uint64_t *removed = NULL, *cpu_out = NULL, *gpu_out = NULL;
    int32_t *targets = NULL;
    double t0 = now_ms();
    if (make_graph(&g, scale, o->edge_factor, o->seed, &err) != CP_OK) {
        fprintf(stderr, "gpucheck: rmat-%d: %s\n", scale, err.msg);
        goto cleanup;
    }
    double gen_ms = now_ms() - t0;
    int32_t n = g->n;
    int max_words = 1;
    for (int i = 0; i < o->n_words; i++) {
        max_words = o->words[i] > max_words ? o->words[i] : max_words;
    }
    size_t cells = (size_t)n * (size_t)max_words;
    removed = malloc(cells * sizeof *removed);
    cpu_out = malloc(cells * sizeof *cpu_out);
    gpu_out = gpu != NULL ? malloc(cells * sizeof *gpu_out) : NULL;
    targets = malloc(((size_t)o->n_targets + 1) * sizeof *targets);
    if (removed == NULL || cpu_out == NULL || (gpu != NULL && gpu_out == NULL) || targets == NULL) {
        fprintf(stderr, "gpucheck: rmat-%d: out of host memory for %d words\n", scale, max_words);
        goto cleanup;
    }
    make_targets(targets, o->n_targets, n, o->seed);
    rc = 0;
    for (int i = 0; i < o->n_words; i++) {
        int words = o->words[i];
        row r;
        memset(&r, 0, sizeof r);
        make_removed(removed, n, words, o->seed);
        if (run_cpu(g, removed, words, targets, o->n_targets, cpu_out, &r.cpu_ms, &err) != CP_OK) {
            fprintf(stderr, "gpucheck: rmat-%d: CPU twin: %s\n", scale, err.msg);
            rc = 1;
            goto cleanup;
        }
        if (gpu != NULL) {
            memset(gpu_out, 0xA5, (size_t)n * (size_t)words * sizeof *gpu_out);
            cp_status st =
                run_gpu(gpu, timing, g, removed, words, targets, o->n_targets, gpu_out, &r, &err);
            if (st != CP_OK) {
                fprintf(stderr, "gpucheck: rmat-%d, %d scenarios: CUDA backend: %s: %s\n", scale,
                        64 * words, cp_status_name(st), err.msg);
                rc = 1;
                goto cleanup;
            }
            compare(cpu_out, gpu_out, n, words, &r);
            if (r.mismatched_words != 0) {
                rc = 1;
            }
        } else {
            compare(cpu_out, cpu_out, n, words, &r);
        }
        print_row(scale, n, g->m, words, &r, gpu != NULL);
    }
    fprintf(stderr, "  (rmat-%d: generated and viewed in %.0f ms)\n", scale, gen_ms);
cleanup:
    cp_view_free(&g);
    free(removed);
    free(cpu_out);
    free(gpu_out);
    free(targets);
    return rc;
}

/* ---- bfs_hops, wcc_labels, pagerank_pull ---- */

#define PR_DAMPING  0.85
#define PR_TOL      1e-12 /* L1, absolute */
#define PR_MAX_ITER 1000
#define PR_TWIN_TOL 1e-9 /* max |gpu - twin| */
#define PR_LIB_TOL  1e-6 /* max |twin - cp_pagerank| */

typedef struct op_row {
    const char *op;
    double cpu_ms, gpu_ms, kernel_ms, upload_ms, upload_bytes, levels, bytes;
    int have_timing, ran_gpu;
    int64_t bad;      /* elements outside the tolerance */
    int64_t first;    /* first bad node, -1 */
    double max_diff;  /* pagerank: max |gpu - twin| */
    double lib_diff;  /* pagerank: max |twin - cp_pagerank|; wcc: mismatches with cp_wcc */
    int lib_ok;       /* the twin agrees with the library (1 when not compared) */
    char detail[128]; /* iterations, levels, components */
} op_row;

static void print_ops_header(void) {
    printf("%-14s %-10s %9s %11s %10s %10s %10s %8s %8s %6s %-5s %s\n", "op", "graph", "n", "m",
           "cpu ms", "gpu ms", "kernel ms", "GTEPS", "GB/s", "lvl/it", "match", "detail");
}

static void print_op_row(const op_row *r, int scale, int32_t n, int64_t m) {
    char name[32], gpu[16] = "-", kernel[16] = "-", gteps[16] = "-", gbs[16] = "-", lv[16] = "-";
    snprintf(name, sizeof name, "rmat-%d", scale);
    if (r->ran_gpu) {
        snprintf(gpu, sizeof gpu, "%.2f", r->gpu_ms);
    }
    if (r->ran_gpu && r->have_timing && r->kernel_ms > 0) {
        snprintf(kernel, sizeof kernel, "%.2f", r->kernel_ms);
        snprintf(gteps, sizeof gteps, "%.2f",
                 (double)m * (r->levels > 0 && r->bytes > 0 ? r->levels : 1.0) /
                     (r->kernel_ms * 1e-3) / 1e9);
        if (r->bytes > 0) {
            snprintf(gbs, sizeof gbs, "%.0f", r->bytes / (r->kernel_ms * 1e-3) / 1e9);
        }
        snprintf(lv, sizeof lv, "%.0f", r->levels);
    }
    const char *match =
        !r->ran_gpu ? (r->lib_ok ? "-" : "NO") : (r->bad == 0 && r->lib_ok ? "yes" : "NO");
    printf("%-14s %-10s %9" PRId32 " %11" PRId64 " %10.1f %10s %10s %8s %8s %6s %-5s %s\n", r->op,
           name, n, m, r->cpu_ms, gpu, kernel, gteps, gbs, lv, match, r->detail);
    if (r->bad != 0) {
        printf("  MISMATCH: %" PRId64 " nodes differ; first at node %" PRId64 "\n", r->bad,
               r->first);
    }
    if (!r->lib_ok) {
        printf("  MISMATCH: the CPU twin disagrees with the library (%g)\n", r->lib_diff);
    }
    fflush(stdout);
}

/* Reads the plugin's timing of the last call into r. */
static void take_timing(op_row *r, plugin_timing_fn timing, const cp_backend_ops *ops) {
    double t[5];
    r->have_timing = timing.fn != NULL && timing.fn(ops->state, t) == 0;
    if (r->have_timing) {
        r->upload_ms = t[0];
        r->kernel_ms = t[1];
        r->upload_bytes = t[3];
        r->levels = t[4];
    }
}

/* Random weights in [0, 1), about 5% exactly 0, per graph edge (so the CSR and the CSC agree),
 * written into the view; 3% of the nodes removed (drawn with replacement). */
static void make_ops_inputs(cp_view *g, uint8_t *removed, uint64_t seed) {
    for (int side = 0; side < 2; side++) {
        double *w = side == 0 ? g->weights : g->rev_weights;
        const int64_t *ids = side == 0 ? g->edge_ids : g->rev_edge_ids;
        for (int64_t k = 0; k < g->m; k++) {
            uint64_t r = cp_rng_u64(seed, 0xFFFFFFFEu, 2, CP_RNG_SAMPLE, (uint64_t)ids[k], 0);
            double u = (double)(r >> 11) * (1.0 / 9007199254740992.0);
            w[k] = u < 0.05 ? 0.0 : u;
        }
    }
    memset(removed, 0, (size_t)g->n);
    int64_t k = (int64_t)(0.03 * g->n);
    for (int64_t i = 0; i < k; i++) {
        uint64_t r = cp_rng_u64(seed, 0xFFFFFFFEu, 3, CP_RNG_SAMPLE, (uint64_t)i, 0);
        removed[r % (uint64_t)g->n] = 1;
    }
}

/* The non-removed node of largest out-degree (the BFS source: it reaches much of the graph). */
static int32_t pick_source(const cp_view *g, const uint8_t *removed) {
    int32_t best = 0;
    int64_t deg = -1;
    for (int32_t v = 0; v < g->n; v++) {
        int64_t d = g->offsets[v + 1] - g->offsets[v];
        if (!removed[v] && d > deg) {
            best = v;
            deg = d;
        }
    }
    return best;
}

static int check_ops_graph(const options *o, int scale, const cp_backend_ops *gpu,
                           plugin_timing_fn timing) {
    int rc = 1;
    cp_error err;
    cp_error_clear(&err);
    cp_view *g = NULL;
    uint8_t *removed = NULL;
    int32_t *a32 = NULL, *b32 = NULL;
    double *ad = NULL, *bd = NULL, *lib = NULL;
    cp_backend_ops cpu;
    cp__backend_cpu(&cpu);
    if (make_graph(&g, scale, o->edge_factor, o->seed, &err) != CP_OK) {
        fprintf(stderr, "gpucheck: rmat-%d: %s\n", scale, err.msg);
        goto cleanup;
    }
    int32_t n = g->n;
    int64_t m = g->m;
    size_t nn = (size_t)n + 1;
    removed = malloc(nn);
    a32 = malloc(nn * sizeof *a32);
    b32 = malloc(nn * sizeof *b32);
    ad = malloc(nn * sizeof *ad);
    bd = malloc(nn * sizeof *bd);
    lib = malloc(nn * sizeof *lib);
    if (removed == NULL || a32 == NULL || b32 == NULL || ad == NULL || bd == NULL || lib == NULL) {
        fprintf(stderr, "gpucheck: rmat-%d: out of host memory\n", scale);
        goto cleanup;
    }
    make_ops_inputs(g, removed, o->seed);
    int32_t source = pick_source(g, removed);
    rc = 0;
    cp_status st;
    double t0;

    /* bfs_hops: exact. */
    {
        op_row r;
        memset(&r, 0, sizeof r);
        r.op = "bfs_hops";
        r.lib_ok = 1;
        r.first = -1;
        t0 = now_ms();
        st = cp__cpu_bfs_hops(NULL, n, m, g->offsets, g->indices, g->rev_offsets, g->rev_indices,
                              removed, source, a32, &err);
        r.cpu_ms = now_ms() - t0;
        if (st != CP_OK) {
            fprintf(stderr, "gpucheck: rmat-%d: bfs_hops twin: %s\n", scale, err.msg);
            rc = 1;
            goto cleanup;
        }
        int32_t depth = 0, reached = 0;
        for (int32_t v = 0; v < n; v++) {
            depth = a32[v] > depth ? a32[v] : depth;
            reached += a32[v] >= 0;
        }
        if (gpu != NULL) {
            r.ran_gpu = 1;
            for (int rep = 0; rep < 2; rep++) { /* the first call is the warm-up */
                memset(b32, 0xA5, nn * sizeof *b32);
                t0 = now_ms();
                st = gpu->bfs_hops(gpu->state, n, m, g->offsets, g->indices, g->rev_offsets,
                                   g->rev_indices, removed, source, b32, &err);
                r.gpu_ms = now_ms() - t0;
                if (st != CP_OK) {
                    fprintf(stderr, "gpucheck: rmat-%d: bfs_hops on %s: %s: %s\n", scale, gpu->name,
                            cp_status_name(st), err.msg);
                    rc = 1;
                    goto cleanup;
                }
            }
            take_timing(&r, timing, gpu);
            for (int32_t v = 0; v < n; v++) {
                if (a32[v] != b32[v] && r.bad++ == 0) {
                    r.first = v;
                }
            }
        }
        r.levels = r.have_timing ? r.levels : depth + 1;
        snprintf(r.detail, sizeof r.detail,
                 "source %" PRId32 ": %" PRId32 " reached, depth %" PRId32, source, reached, depth);
        print_op_row(&r, scale, n, m);
        rc |= r.bad != 0;
    }

    /* wcc_labels: exact, and the twin equal to cp_wcc. */
    {
        op_row r;
        memset(&r, 0, sizeof r);
        r.op = "wcc_labels";
        r.first = -1;
        t0 = now_ms();
        st = cp__cpu_wcc_labels(NULL, n, m, g->offsets, g->indices, g->rev_offsets, g->rev_indices,
                                removed, a32, &err);
        r.cpu_ms = now_ms() - t0;
        int32_t comps = 0;
        if (st != CP_OK || cp_wcc(b32, &comps, NULL, g, removed, &err) != CP_OK) {
            fprintf(stderr, "gpucheck: rmat-%d: wcc: %s\n", scale, err.msg);
            rc = 1;
            goto cleanup;
        }
        int64_t lib_bad = 0;
        for (int32_t v = 0; v < n; v++) {
            lib_bad += a32[v] != b32[v];
        }
        r.lib_ok = lib_bad == 0;
        r.lib_diff = (double)lib_bad;
        if (gpu != NULL) {
            r.ran_gpu = 1;
            for (int rep = 0; rep < 2; rep++) {
                memset(b32, 0xA5, nn * sizeof *b32);
                t0 = now_ms();
                st = gpu->wcc_labels(gpu->state, n, m, g->offsets, g->indices, g->rev_offsets,
                                     g->rev_indices, removed, b32, &err);
                r.gpu_ms = now_ms() - t0;
                if (st != CP_OK) {
                    fprintf(stderr, "gpucheck: rmat-%d: wcc_labels on %s: %s: %s\n", scale,
                            gpu->name, cp_status_name(st), err.msg);
                    rc = 1;
                    goto cleanup;
                }
            }
            take_timing(&r, timing, gpu);
            for (int32_t v = 0; v < n; v++) {
                if (a32[v] != b32[v] && r.bad++ == 0) {
                    r.first = v;
                }
            }
        }
        snprintf(r.detail, sizeof r.detail, "%" PRId32 " components", comps);
        print_op_row(&r, scale, n, m);
        rc |= r.bad != 0 || !r.lib_ok;
    }

    /* pagerank_pull: to PR_TWIN_TOL against the twin, the twin to PR_LIB_TOL against
     * cp_pagerank. */
    {
        op_row r;
        memset(&r, 0, sizeof r);
        r.op = "pagerank_pull";
        r.first = -1;
        int64_t it_cpu = 0, it_gpu = 0;
        double ch_cpu = 0.0, ch_gpu = 0.0;
        t0 = now_ms();
        st = cp__cpu_pagerank_pull(NULL, n, m, g->offsets, g->indices, g->weights, g->rev_offsets,
                                   g->rev_indices, g->rev_weights, removed, PR_DAMPING, PR_TOL,
                                   PR_MAX_ITER, ad, &it_cpu, &ch_cpu, &err);
        r.cpu_ms = now_ms() - t0;
        if (st != CP_OK) {
            fprintf(stderr, "gpucheck: rmat-%d: pagerank_pull twin: %s: %s\n", scale,
                    cp_status_name(st), err.msg);
            rc = 1;
            goto cleanup;
        }
        cp_pagerank_params pp;
        cp_pagerank_params_init(&pp);
        pp.alpha = PR_DAMPING;
        pp.weighted = true;
        pp.dangling = CP_DANGLING_UNIFORM;
        pp.tol = 1e-13;
        pp.max_iter = PR_MAX_ITER;
        st = cp_pagerank(lib, NULL, g, removed, &pp, &err);
        if (st != CP_OK) {
            fprintf(stderr, "gpucheck: rmat-%d: cp_pagerank: %s: %s\n", scale, cp_status_name(st),
                    err.msg);
            rc = 1;
            goto cleanup;
        }
        for (int32_t v = 0; v < n; v++) {
            double d = fabs(ad[v] - lib[v]);
            r.lib_diff = d > r.lib_diff || isnan(d) ? d : r.lib_diff;
        }
        r.lib_ok = r.lib_diff <= PR_LIB_TOL;
        if (gpu != NULL) {
            r.ran_gpu = 1;
            for (int rep = 0; rep < 2; rep++) {
                memset(bd, 0xA5, nn * sizeof *bd);
                t0 = now_ms();
                st =
                    gpu->pagerank_pull(gpu->state, n, m, g->offsets, g->indices, g->weights,
                                       g->rev_offsets, g->rev_indices, g->rev_weights, removed,
                                       PR_DAMPING, PR_TOL, PR_MAX_ITER, bd, &it_gpu, &ch_gpu, &err);
                r.gpu_ms = now_ms() - t0;
                if (st != CP_OK) {
                    fprintf(stderr, "gpucheck: rmat-%d: pagerank_pull on %s: %s: %s\n", scale,
                            gpu->name, cp_status_name(st), err.msg);
                    rc = 1;
                    goto cleanup;
                }
            }
            take_timing(&r, timing, gpu);
            r.bytes = r.levels * ((double)m * 20.0 + (double)n * 49.0);
            for (int32_t v = 0; v < n; v++) {
                double d = fabs(ad[v] - bd[v]);
                r.max_diff = d > r.max_diff || isnan(d) ? d : r.max_diff;
                if (!(d <= PR_TWIN_TOL) && r.bad++ == 0) {
                    r.first = v;
                }
            }
        }
        snprintf(r.detail, sizeof r.detail,
                 "it cpu %" PRId64 " gpu %" PRId64 "; max|gpu-cpu| %.1e; max|cpu-lib| %.1e", it_cpu,
                 it_gpu, r.max_diff, r.lib_diff);
        print_op_row(&r, scale, n, m);
        rc |= r.bad != 0 || !r.lib_ok;
    }
cleanup:
    cp_view_free(&g);
    free(removed);
    free(a32);
    free(b32);
    free(ad);
    free(bd);
    free(lib);
    return rc;
}

int main(int argc, char **argv) {
    options o;
    if (parse_args(argc, argv, &o) != 0) {
        usage(stderr);
        return 2;
    }
    cp_backend_ops gpu;
    memset(&gpu, 0, sizeof gpu);
    cp_error err;
    cp_error_clear(&err);
    char notice[512] = "";
    cp_status st = cp__backend_open(&gpu, o.device, notice, sizeof notice, &err);
    int have_gpu = st == CP_OK && gpu.name != NULL && strcmp(gpu.name, "cuda") == 0;
    /* --device cpu: a dry run of the whole table with the CPU backend in the GPU's place. */
    int dry_run = st == CP_OK && strcmp(o.device, "cpu") == 0;
    if (!have_gpu && !dry_run) {
        if (st == CP_E_INVALID) {
            fprintf(stderr, "gpucheck: %s\n", err.msg);
            return 2;
        }
        if (st != CP_OK && st != CP_E_NODEVICE && st != CP_E_UNSUPPORTED) {
            /* A GPU is there but failed: that is an error, not a skip. */
            fprintf(stderr, "gpucheck: the CUDA backend failed to open: %s: %s\n",
                    cp_status_name(st), err.msg);
            return 1;
        }
        printf("no GPU: CPU twin only (%s)\n", st != CP_OK ? err.msg : notice);
        cp__backend_close(&gpu);
        options small = o;
        small.n_scales = 1;
        small.scales[0] = 12;
        small.n_words = 1;
        small.words[0] = 2;
        print_header();
        int rc = check_graph(&small, 12, NULL, (plugin_timing_fn){NULL});
        print_ops_header();
        rc |= check_ops_graph(&small, 12, NULL, (plugin_timing_fn){NULL});
        return rc == 0 ? EXIT_NOGPU : 1;
    }
    plugin_timing_fn timing = find_timing();
    printf("gpucheck: st_coreach64, CPU twin vs %s; R-MAT edge factor %d, %d targets, seed %" PRIu64
           "\n",
           gpu.device, o.edge_factor, o.n_targets, o.seed);
    printf("  scenarios remove 1%%..30%% of the nodes; cpu ms: one core per word, summed; gpu ms: "
           "whole calls incl. graph upload; GTEPS: m x words / kernel ms%s\n",
           timing.fn != NULL ? "" : " (plugin exports no timing: kernel columns empty)");
    print_header();
    int failed = 0;
    for (int i = 0; i < o.n_scales; i++) {
        failed |= check_graph(&o, o.scales[i], &gpu, timing);
    }
    printf("gpucheck: bfs_hops, wcc_labels (exact), pagerank_pull (max |diff| <= %g; d = %g, L1 "
           "tol %g), CPU twin vs %s; 3%% of nodes removed, weights in [0, 1)\n",
           PR_TWIN_TOL, PR_DAMPING, PR_TOL, gpu.device);
    print_ops_header();
    for (int i = 0; i < o.n_scales; i++) {
        if (o.scales[i] <= o.ops_max_scale) {
            failed |= check_ops_graph(&o, o.scales[i], &gpu, timing);
        }
    }
    cp__backend_close(&gpu);
    printf("gpucheck: %s\n", failed ? "FAILED (see above)"
                                    : "all results match (reach, bfs, wcc bit-identical; "
                                      "pagerank within tolerance)");
    return failed ? 1 : 0;
}
