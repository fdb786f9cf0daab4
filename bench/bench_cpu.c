/* bench_cpu: times one chokepoint CPU kernel on one graph at one thread count (issue 3).
 *
 *   bench_cpu GRAPH.h5 --layer NAME --measure M [--threads T] [--repeats N] [--budget SECONDS]
 *             [--sources FILE] [--tol X] [--dump FILE]
 *
 * Loads the graph file, builds the view once (the layer, as stored, parallel edges collapsed with
 * weights summed: the same graph as the edge list bench/h5_to_edges.py writes for the anchors),
 * then runs the kernel up to N times (default 3), stopping early when one more run would take the
 * total past BUDGET seconds (default 30; at least one run), and prints one JSON line: the median
 * kernel time, every run's time, the resident memory after loading (the baseline) and the peak
 * during the kernels (VmHWM after resetting it through /proc/self/clear_refs once the view is
 * built; ru_maxrss where that is not allowed). --dump writes the result vector (n little-endian
 * float64) for the agreement check in bench/report.py.
 *
 * Measures (all unweighted/hops on the directed view unless said):
 *   bc          exact betweenness (Brandes 2001), raw (unnormalised), directed, endpoints excluded
 *   bc-sampled  the same summed over the k sources in --sources FILE only, scaled as
 *               cp_betweenness does: (n - 1) / k off the sample, (n - 1) / (k - 1) on it
 *   pagerank    damping 0.85, weighted by the view weights, dangling mass spread uniformly,
 *               stops when the L1 change < --tol (default 1e-10)
 *   closeness   closeness from out-distances, hops (convention in bench/README.md)
 *   harmonic    harmonic centrality from out-distances, hops
 *   wcc         weakly connected components (dump: each node's smallest member index)
 *   scc         strongly connected components (dump: each node's smallest member index)
 * A measure whose API is not in this build prints "status": "unavailable" (bench/Makefile defines
 * CP_BENCH_NO_<FAMILY> when the library lacks the family's functions while its header exists). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <omp.h>

#include "chokepoint/centrality.h"
#include "chokepoint/graph.h"
#include "chokepoint/status.h"
#include "chokepoint/view.h"
#include "bench_common.h"
#include "graph_h5.h"

#if defined(__has_include)
#if __has_include("chokepoint/betweenness.h") && !defined(CP_BENCH_NO_BETWEENNESS)
#include "chokepoint/betweenness.h"
#define HAVE_BETWEENNESS 1
#endif
#if __has_include("chokepoint/spectral.h") && !defined(CP_BENCH_NO_SPECTRAL)
#include "chokepoint/spectral.h"
#define HAVE_SPECTRAL 1
#endif
#if __has_include("chokepoint/distance.h") && !defined(CP_BENCH_NO_DISTANCE)
#include "chokepoint/distance.h"
#define HAVE_DISTANCE 1
#endif
#endif
#ifndef HAVE_BETWEENNESS
#define HAVE_BETWEENNESS 0
#endif
#ifndef HAVE_SPECTRAL
#define HAVE_SPECTRAL 0
#endif
#ifndef HAVE_DISTANCE
#define HAVE_DISTANCE 0
#endif

#define MAX_REPEATS 64

typedef struct opts {
    const char *graph;
    const char *layer;
    const char *measure;
    const char *sources;
    const char *dump;
    int threads;
    int repeats;
    double budget;
    double tol;
} opts;

/* What a kernel run leaves beside the vector: a short JSON fragment of facts (iterations...). */
typedef struct run_info {
    char json[512];
    const char *api; /* the library function timed */
} run_info;

static void usage(void) {
    fprintf(stderr, "usage: bench_cpu GRAPH.h5 --layer NAME --measure "
                    "bc|bc-sampled|pagerank|closeness|harmonic|wcc|scc [--threads T] "
                    "[--repeats N] [--budget SECONDS] [--sources FILE] [--tol X] [--dump FILE]\n");
    exit(1);
}

static void parse(opts *o, int argc, char **argv) {
    *o = (opts){.layer = "", .threads = 1, .repeats = 3, .budget = 30, .tol = 1e-10};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = (i + 1 < argc) ? argv[i + 1] : NULL;
        if (a[0] != '-') {
            o->graph = a;
            continue;
        }
        if (v == NULL) {
            usage();
        }
        i++;
        if (strcmp(a, "--layer") == 0) {
            o->layer = v;
        } else if (strcmp(a, "--measure") == 0) {
            o->measure = v;
        } else if (strcmp(a, "--sources") == 0) {
            o->sources = v;
        } else if (strcmp(a, "--dump") == 0) {
            o->dump = v;
        } else if (strcmp(a, "--threads") == 0) {
            o->threads = atoi(v);
        } else if (strcmp(a, "--repeats") == 0) {
            o->repeats = atoi(v);
        } else if (strcmp(a, "--budget") == 0) {
            o->budget = atof(v);
        } else if (strcmp(a, "--tol") == 0) {
            o->tol = atof(v);
        } else {
            usage();
        }
    }
    if (o->graph == NULL || o->measure == NULL || o->threads < 1 || o->repeats < 1) {
        usage();
    }
    if (o->repeats > MAX_REPEATS) {
        o->repeats = MAX_REPEATS;
    }
}

/* Reads whitespace-separated node indices. */
static int32_t *read_sources(const char *path, int64_t *k, int32_t n) {
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        fprintf(stderr, "bench_cpu: cannot open %s: %s\n", path, strerror(errno));
        exit(2);
    }
    int64_t cap = 256, len = 0;
    int32_t *s = malloc((size_t)cap * sizeof *s);
    long v;
    while (s != NULL && fscanf(f, "%ld", &v) == 1) {
        if (v < 0 || v >= n) {
            fprintf(stderr, "bench_cpu: %s: %ld is not a node index (0..%d)\n", path, v, n - 1);
            exit(2);
        }
        if (len == cap) {
            cap *= 2;
            int32_t *t = realloc(s, (size_t)cap * sizeof *s);
            if (t == NULL) {
                free(s);
                s = NULL;
                break;
            }
            s = t;
        }
        s[len++] = (int32_t)v;
    }
    fclose(f);
    if (s == NULL) {
        fprintf(stderr, "bench_cpu: out of memory\n");
        exit(3);
    }
    *k = len;
    return s;
}

/* Canonical component labels: each node's smallest member index, as double. cp_wcc already
 * labels so; other labelings are mapped. */
static void canonical_labels(double *out, const int32_t *lab, int32_t n) {
    int32_t *minof = malloc((size_t)(n > 0 ? n : 1) * sizeof *minof);
    if (minof == NULL) {
        exit(3);
    }
    for (int32_t i = 0; i < n; i++) {
        minof[i] = INT32_MAX;
    }
    for (int32_t i = 0; i < n; i++) {
        if (lab[i] >= 0 && lab[i] < n && i < minof[lab[i]]) {
            minof[lab[i]] = i;
        }
    }
    for (int32_t i = 0; i < n; i++) {
        out[i] = (lab[i] >= 0 && lab[i] < n) ? (double)minof[lab[i]] : -1.0;
    }
    free(minof);
}

/* Runs the measure once into out (n doubles). Returns a status; CP_E_UNSUPPORTED when this build
 * lacks the API. */
static cp_status run_once(double *out, int32_t *lab, const cp_view *v, const opts *o,
                          const int32_t *all, const int32_t *src, int64_t k, run_info *info,
                          cp_error *err) {
    int32_t n = v->n;
    const char *m = o->measure;
    info->json[0] = '\0';
    (void)all; /* used by the fallbacks only */
    if (strcmp(m, "bc") == 0 || strcmp(m, "bc-sampled") == 0) {
        bool sampled = strcmp(m, "bc-sampled") == 0;
#if HAVE_BETWEENNESS
        /* Raw, hops, endpoints excluded; sampled: the given sources, scaled as cp_betweenness
         * documents ((n - 1) / k off the sample, (n - 1) / (k - 1) on it). */
        cp_betweenness_options bo;
        cp_betweenness_options_init(&bo);
        if (sampled) {
            bo.sources = src;
            bo.n_sources = k;
        }
        info->api = sampled ? "cp_betweenness(sources)" : "cp_betweenness";
        return cp_betweenness(out, NULL, v, NULL, &bo, err);
#else
        /* Through the source-target kernel: S = the sources (or every node), T = every node,
         * scaled as cp_betweenness does. */
        info->api = sampled ? "cp_st_betweenness(S=sources,T=V)" : "cp_st_betweenness(S=T=V)";
        cp_status s = cp_st_betweenness(out, v, NULL, sampled ? src : all, sampled ? k : n, all, n,
                                        false, NULL, err);
        if (s >= 0 && sampled && k > 0) {
            for (int64_t i = 0; i < k; i++) {
                lab[src[i]] = -7; /* mark the sources */
            }
            for (int32_t i = 0; i < n; i++) {
                out[i] *= (lab[i] == -7) ? (k > 1 ? (double)(n - 1) / (double)(k - 1) : 0.0)
                                         : (double)(n - 1) / (double)k;
                lab[i] = 0;
            }
        }
        return s;
#endif
    }
    if (strcmp(m, "wcc") == 0) {
        int32_t nc = 0, largest = 0;
        info->api = "cp_wcc";
        cp_status s = cp_wcc(lab, &nc, &largest, v, NULL, err);
        if (s >= 0) {
            canonical_labels(out, lab, n);
            snprintf(info->json, sizeof info->json, "\"components\": %d, \"largest\": %d", nc,
                     largest);
        }
        return s;
    }
    if (strcmp(m, "scc") == 0) {
#if HAVE_SPECTRAL
        int32_t nc = 0, largest = 0;
        info->api = "cp_scc";
        cp_status s = cp_scc(lab, &nc, &largest, v, NULL, err);
        if (s >= 0) {
            canonical_labels(out, lab, n);
            snprintf(info->json, sizeof info->json, "\"components\": %d, \"largest\": %d", nc,
                     largest);
        }
        return s;
#else
        return CP_E_UNSUPPORTED;
#endif
    }
    if (strcmp(m, "pagerank") == 0) {
#if HAVE_SPECTRAL
        /* Stop when the L1 change < o->tol: cp_pagerank tests L1 < n * tol (the networkx test). */
        cp_pagerank_params p;
        cp_pagerank_params_init(&p);
        p.alpha = 0.85;
        p.weighted = true;
        p.dangling = CP_DANGLING_PERSONALIZATION; /* uniform personalization: uniform */
        p.tol = o->tol / (double)(n > 0 ? n : 1);
        p.max_iter = 1000;
        cp_iter_info it = {0};
        info->api = "cp_pagerank";
        cp_status s = cp_pagerank(out, &it, v, NULL, &p, err);
        snprintf(info->json, sizeof info->json,
                 "\"iterations\": %" PRId64 ", \"final_change\": %.3g, \"converged\": %s",
                 it.iterations, it.final_change, it.converged ? "true" : "false");
        return s;
#else
        return CP_E_UNSUPPORTED;
#endif
    }
    if (strcmp(m, "closeness") == 0 || strcmp(m, "harmonic") == 0) {
#if HAVE_DISTANCE
        /* Out-distances, hops; closeness within the reached set, (r - 1) / sum of distances
         * (per_component), the convention all three anchors compute; harmonic raw. */
        cp_closeness_opts co;
        cp_closeness_opts_init(&co);
        co.length = CP_LENGTH_HOPS;
        co.direction = CP_DISTANCE_OUT;
        co.per_component = true;
        co.normalized = false;
        if (strcmp(m, "closeness") == 0) {
            info->api = "cp_closeness(out, per_component)";
            return cp_closeness(out, v, NULL, &co, err);
        }
        info->api = "cp_harmonic(out, raw)";
        return cp_harmonic(out, v, NULL, &co, err);
#else
        return CP_E_UNSUPPORTED;
#endif
    }
    (void)o;
    return cp_error_set(err, CP_E_INVALID, "unknown measure %s", m);
}

int main(int argc, char **argv) {
    opts o;
    parse(&o, argc, argv);
    omp_set_num_threads(o.threads);
    cp_error err;
    cp_error_clear(&err);
    cp_graph *g = NULL;
    cp_view *v = NULL;
    double t0 = bench_now();
    cp_status st = cp_graph_read_h5(&g, o.graph, &err);
    if (st < 0) {
        fprintf(stderr, "bench_cpu: %s\n", err.msg);
        return 2;
    }
    cp_view_spec spec = {.layer_mask = 0, .direction = CP_DIR_STORED, .multi = CP_MULTI_COLLAPSE};
    st = cp_view_parse_layers(g, o.layer, &spec.layer_mask, &err);
    if (st >= 0) {
        st = cp_view_build(&v, g, &spec, &err);
    }
    if (st < 0) {
        fprintf(stderr, "bench_cpu: %s\n", err.msg);
        cp_graph_free(&g);
        return 2;
    }
    double load_s = bench_now() - t0;
    int32_t n = v->n;
    size_t nn = (size_t)(n > 0 ? n : 1);
    double *out = malloc(nn * sizeof *out);
    int32_t *lab = malloc(nn * sizeof *lab);
    int32_t *all = malloc(nn * sizeof *all);
    if (out == NULL || lab == NULL || all == NULL) {
        fprintf(stderr, "bench_cpu: out of memory\n");
        return 3;
    }
    for (int32_t i = 0; i < n; i++) {
        all[i] = i;
    }
    int64_t k = 0;
    int32_t *src = NULL;
    if (o.sources != NULL) {
        src = read_sources(o.sources, &k, n);
    } else if (strcmp(o.measure, "bc-sampled") == 0) {
        fprintf(stderr, "bench_cpu: bc-sampled needs --sources FILE\n");
        return 1;
    }
    /* Touch the output arrays so that they count in the baseline, not in the kernel's peak. */
    memset(out, 0, nn * sizeof *out);
    memset(lab, 0, nn * sizeof *lab);
    double base = bench_proc_status_mib("VmRSS");
    bool reset = bench_reset_peak();
    double times[MAX_REPEATS];
    int runs = 0;
    double spent = 0;
    run_info info = {.json = "", .api = ""};
    while (runs < o.repeats) {
        double a = bench_now();
        st = run_once(out, lab, v, &o, all, src, k, &info, &err);
        double t = bench_now() - a;
        if (st == CP_E_UNSUPPORTED) {
            printf("{\"lib\": \"chokepoint\", \"measure\": \"%s\", \"threads\": %d, \"status\": "
                   "\"unavailable\", \"note\": \"no API for this measure in this build\"}\n",
                   o.measure, o.threads);
            return 0;
        }
        if (st < 0) {
            fprintf(stderr, "bench_cpu: %s: %s\n", cp_status_name(st), err.msg);
            return 4;
        }
        times[runs++] = t;
        spent += t;
        if (spent + t > o.budget) { /* another run would pass the budget */
            break;
        }
    }
    double peak = reset ? bench_proc_status_mib("VmHWM") : bench_maxrss_mib();
    double sorted[MAX_REPEATS];
    memcpy(sorted, times, (size_t)runs * sizeof *times);
    qsort(sorted, (size_t)runs, sizeof *sorted, bench_cmp_double);
    double med = (runs % 2) ? sorted[runs / 2] : 0.5 * (sorted[runs / 2 - 1] + sorted[runs / 2]);
    if (o.dump != NULL) {
        FILE *f = fopen(o.dump, "wb");
        if (f == NULL || fwrite(out, sizeof *out, (size_t)n, f) != (size_t)n || fclose(f) != 0) {
            fprintf(stderr, "bench_cpu: cannot write %s\n", o.dump);
            return 2;
        }
    }
    printf("{\"lib\": \"chokepoint\", \"measure\": \"%s\", \"threads\": %d, \"status\": \"ok\", "
           "\"n\": %d, \"m\": %" PRId64 ", \"time_s\": %.6g, \"runs\": %d, \"times\": [",
           o.measure, o.threads, n, v->m, med, runs);
    for (int i = 0; i < runs; i++) {
        printf("%s%.6g", i ? ", " : "", times[i]);
    }
    printf("], \"load_s\": %.4g, \"rss_base_mib\": %.1f, \"peak_mib\": %.1f, \"extra_mib\": %.1f, "
           "\"peak_reset\": %s, \"api\": \"%s\", \"warning\": \"%s\"%s%s}\n",
           load_s, base, peak, peak - base, reset ? "true" : "false", info.api,
           st > 0 ? cp_status_name(st) : "", info.json[0] ? ", " : "", info.json);
    free(out);
    free(lab);
    free(all);
    free(src);
    cp_view_free(&v);
    cp_graph_free(&g);
    return 0;
}
