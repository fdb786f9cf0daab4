/* bench_scenarios: the scenario-engine benchmark of issue 4.
 *
 *   bench_scenarios [--scale S] [--edge-factor F] [--seed X] [--st N] [--scenarios N]
 *                   [--baseline N] [--removals N] [--greedy-budget K] [--greedy-top N]
 *                   [--budget K] [--round B] [--repeats N] [--substitutes N] [--skip-greedy-all]
 *
 * Generates an R-MAT graph in-process (cp_generate_rmat, Graph500 parameters, weighted so that
 * its layer is a flow layer that can reroute; default scale 16, edge factor 16: 65,536 nodes,
 * 1,048,576 edges), picks N sources S among the nodes with an out-edge and N targets T among the
 * nodes with an in-edge (default 100 each, disjoint, seeded), and times four things, each with
 * its wall time, its peak resident memory (VmHWM after resetting it through
 * /proc/self/clear_refs, so the graph itself is included; ru_maxrss, the peak of the whole
 * process, where that is not allowed) and a cross-check against an independent computation:
 *
 *   (a) S-T reach (fraction of S reaching a present target) of --scenarios removal scenarios
 *       (default 1,000), each a seeded random 1% of the nodes outside S and T: 64 scenarios per
 *       pass of the backend's st_coreach64 (one bit per scenario), against one scenario per pass
 *       (bit 0 only) on the first --baseline scenarios (default 0: all; with a sample the total
 *       is extrapolated, and labelled so) and against a plain serial breadth-first search per
 *       scenario on all of them. The three reach values must agree exactly (as counts of S).
 *   (b) the largest weak component after each of --removals removals (default 1,000) of a seeded
 *       random order: cp_percolation_curve in one pass (median of 5) against cp_wcc after every
 *       removal. The two curves must be identical.
 *   (c) cp_simulate_run with strategy greedy, adaptive mode, reroute 0, budget --greedy-budget
 *       (default 2), metric reach, candidates = every node outside S and T, then candidates =
 *       the --greedy-top (default 4,096) nodes of highest total degree outside S and T: seconds
 *       per pick and candidate evaluations per second. Checks: the reach curve equals the search
 *       with the picks removed; with the top-degree candidates, the first pick's reach equals the
 *       smallest reach of any single candidate (every candidate evaluated by the batched op).
 *   (d) cp_simulate_run with strategies degree and random, budget --budget (50), rounds of
 *       --round (10), sequential, reroute 0.5, metrics reach, reach-volume and lcc; --repeats
 *       runs (default 3, seeds 1..N), median seconds per scenario. R-MAT has no groups, so the
 *       substitutes of the response are a seeded random --substitutes nodes (default 1,000)
 *       outside S and T. Check: the curves before the first network response (steps 1..round)
 *       equal the search's reach and cp_wcc's largest component with those removals.
 *
 * Prints one JSON line per measurement, then a Markdown table. Exit status 0 when every check
 * passed, 1 when one failed, 2 on a library error or a bad option. bench/scenarios.sh builds and
 * runs it. Threads: OpenMP's default (OMP_NUM_THREADS). */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <omp.h>

#include "backend.h"
#include "bench_common.h"
#include "chokepoint/centrality.h"
#include "chokepoint/generate.h"
#include "chokepoint/graph.h"
#include "chokepoint/percolation.h"
#include "chokepoint/simulate.h"
#include "chokepoint/status.h"
#include "chokepoint/view.h"

#define MAX_ROWS 16

typedef struct opts {
    int scale;
    int edge_factor;
    uint64_t seed;
    int n_st;
    int scenarios;
    int baseline;
    int removals;
    int greedy_budget;
    int greedy_top;
    int budget;
    int round;
    int repeats;
    int substitutes;
    bool skip_greedy_all;
} opts;

/* One row of the final table. */
typedef struct row {
    char what[160];
    double seconds;
    char per[64];
    char rate[64];
    char speedup[48];
    double peak_mib;
    bool ok;
} row;

static row rows[MAX_ROWS];
static int n_rows;
static bool all_ok = true;

/* --- timing and memory ------------------------------------------------------------------------ */

static bool peak_resettable = true;

/* Resets the peak RSS to the current RSS (Linux >= 4.0); remembers when that is not allowed. */
static void reset_peak(void) {
    peak_resettable = bench_reset_peak() && peak_resettable;
}

/* Peak RSS since the last reset_peak, in MiB (the process's peak when resetting failed). */
static double peak_mib(void) {
    double hwm = bench_proc_status_mib("VmHWM");
    return hwm >= 0 && peak_resettable ? hwm : bench_maxrss_mib();
}

/* --- helpers ------------------------------------------------------------------------------------
 */

static void die(const char *what, const cp_error *err) {
    fprintf(stderr, "bench_scenarios: %s: %s\n", what, err->msg);
    exit(2);
}

#define LIB(expr, what)                                                                            \
    do {                                                                                           \
        if ((expr) != CP_OK) {                                                                     \
            die(what, &err);                                                                       \
        }                                                                                          \
    } while (0)

static void *xcalloc(size_t count, size_t size) {
    void *p = calloc(count == 0 ? 1 : count, size == 0 ? 1 : size);
    if (p == NULL) {
        fprintf(stderr, "bench_scenarios: out of memory (%zu x %zu bytes)\n", count, size);
        exit(2);
    }
    return p;
}

/* splitmix64 (Steele, Lea and Flood 2014): the driver's own seeded stream. */
static uint64_t next_u64(uint64_t *state) {
    uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* Uniform integer in 0..bound-1 (bound >= 1; the modulo bias is below 2^-32 for these sizes). */
static uint32_t next_below(uint64_t *state, uint32_t bound) {
    return (uint32_t)(next_u64(state) % bound);
}

static int cmp_i32(const void *a, const void *b) {
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* "1,234,567" */
static const char *commas(char *buf, size_t size, int64_t x) {
    char raw[32];
    snprintf(raw, sizeof raw, "%" PRId64, x);
    size_t len = strlen(raw), o = 0;
    for (size_t i = 0; i < len && o + 2 < size; i++) {
        if (i > 0 && raw[i - 1] != '-' && (len - i) % 3 == 0) {
            buf[o++] = ',';
        }
        buf[o++] = raw[i];
    }
    buf[o] = '\0';
    return buf;
}

/* A duration with a unit: "3.21 s", "12.3 ms", "45.6 us". */
static const char *dur(char *buf, size_t size, double s) {
    if (s >= 1.0) {
        snprintf(buf, size, "%.3g s", s);
    } else if (s >= 1e-3) {
        snprintf(buf, size, "%.3g ms", s * 1e3);
    } else {
        snprintf(buf, size, "%.3g us", s * 1e6);
    }
    return buf;
}

/* A rate to 3 significant digits with its unit: "10,700 scenarios/s", "0.258 scenarios/s". */
static void rate(char *buf, size_t size, double x, const char *unit) {
    if (x >= 1000.0) {
        char c[32];
        double mag = 1;
        while (x / mag >= 1000.0) {
            mag *= 10;
        }
        snprintf(buf, size, "%s %s", commas(c, sizeof c, (int64_t)(x / mag + 0.5) * (int64_t)mag),
                 unit);
    } else {
        snprintf(buf, size, "%.3g %s", x, unit);
    }
}

static row *add_row(const char *what, double seconds, double peak, bool ok) {
    if (n_rows == MAX_ROWS) {
        fprintf(stderr, "bench_scenarios: too many rows\n");
        exit(2);
    }
    row *r = &rows[n_rows++];
    memset(r, 0, sizeof *r);
    snprintf(r->what, sizeof r->what, "%s", what);
    r->seconds = seconds;
    r->peak_mib = peak;
    r->ok = ok;
    snprintf(r->per, sizeof r->per, "-");
    snprintf(r->rate, sizeof r->rate, "-");
    snprintf(r->speedup, sizeof r->speedup, "-");
    if (!ok) {
        all_ok = false;
    }
    return r;
}

/* --- the independent reach check: a plain serial BFS ------------------------------------------ */

/* Sources of S that reach a target not removed, along nodes not removed: a backward BFS from the
 * present targets over the in-edges. removed: n bytes. queue, seen: n scratch entries each. */
static int64_t bfs_reach(const cp_view *v, const uint8_t *removed, const int32_t *sources,
                         int64_t ns, const int32_t *targets, int64_t nt, int32_t *queue,
                         uint8_t *seen) {
    memset(seen, 0, (size_t)v->n);
    int64_t head = 0, tail = 0;
    for (int64_t i = 0; i < nt; i++) {
        int32_t t = targets[i];
        if (!removed[t] && !seen[t]) {
            seen[t] = 1;
            queue[tail++] = t;
        }
    }
    while (head < tail) {
        int32_t x = queue[head++];
        for (int64_t e = v->rev_offsets[x]; e < v->rev_offsets[x + 1]; e++) {
            int32_t u = v->rev_indices[e];
            if (!removed[u] && !seen[u]) {
                seen[u] = 1;
                queue[tail++] = u;
            }
        }
    }
    int64_t count = 0;
    for (int64_t i = 0; i < ns; i++) {
        count += seen[sources[i]];
    }
    return count;
}

/* --- the benchmark state ------------------------------------------------------------------------
 */

typedef struct bench {
    opts o;
    cp_graph *g;
    cp_view *view;
    int32_t n;
    int64_t m;
    int threads;
    int32_t *sources, *targets; /* sorted */
    int64_t ns, nt;
    uint8_t *in_st; /* n: 1 for S and T */
    int32_t *subs;  /* sorted: the substitutes of (d) */
    int64_t n_subs;
    cp_backend_ops ops;
    /* scratch */
    uint64_t *words, *coreach;
    uint8_t *removed, *seen;
    int32_t *queue;
} bench;

static void json_head(const bench *b, const char *measurement) {
    printf(
        "{\"bench\": \"scenarios\", \"measurement\": \"%s\", \"scale\": %d, \"edge_factor\": %d, "
        "\"n\": %" PRId32 ", \"m\": %" PRId64 ", \"threads\": %d, \"n_sources\": %" PRId64
        ", \"n_targets\": %" PRId64,
        measurement, b->o.scale, b->o.edge_factor, b->n, b->m, b->threads, b->ns, b->nt);
}

/* Picks `want` distinct nodes outside `taken` with `ok[x]` set, marks them taken, sorted. */
static int64_t pick_nodes(int32_t *out, int64_t want, const uint8_t *ok, uint8_t *taken, int32_t n,
                          uint64_t *rng) {
    int64_t eligible = 0;
    for (int32_t x = 0; x < n; x++) {
        eligible += ok[x] && !taken[x];
    }
    if (want > eligible) {
        want = eligible;
    }
    int64_t got = 0;
    while (got < want) {
        int32_t x = (int32_t)next_below(rng, (uint32_t)n);
        if (ok[x] && !taken[x]) {
            taken[x] = 1;
            out[got++] = x;
        }
    }
    qsort(out, (size_t)got, sizeof *out, cmp_i32);
    return got;
}

static void setup(bench *b) {
    cp_error err = {0};
    cp_rmat_params p;
    cp_rmat_params_init(&p);
    p.scale = b->o.scale;
    p.edge_factor = b->o.edge_factor;
    p.seed = b->o.seed;
    p.weighted = 1;
    reset_peak();
    double t0 = bench_now();
    LIB(cp_generate_rmat(&b->g, &p, &err), "generating the R-MAT graph");
    double t_gen = bench_now() - t0;
    cp_view_spec spec = {0, CP_DIR_STORED, CP_MULTI_KEEP};
    t0 = bench_now();
    LIB(cp_view_build(&b->view, b->g, &spec, &err), "building the view");
    double t_view = bench_now() - t0;
    b->n = b->view->n;
    b->m = b->view->m;
    b->threads = omp_get_max_threads();
    cp__backend_cpu(&b->ops);

    int32_t n = b->n;
    uint8_t *has_out = xcalloc((size_t)n, 1), *has_in = xcalloc((size_t)n, 1);
    for (int32_t x = 0; x < n; x++) {
        has_out[x] = b->view->offsets[x + 1] > b->view->offsets[x];
        has_in[x] = b->view->rev_offsets[x + 1] > b->view->rev_offsets[x];
    }
    b->in_st = xcalloc((size_t)n, 1);
    b->sources = xcalloc((size_t)b->o.n_st, sizeof *b->sources);
    b->targets = xcalloc((size_t)b->o.n_st, sizeof *b->targets);
    uint64_t rng = b->o.seed ^ 0x53540000ULL; /* "ST" */
    b->ns = pick_nodes(b->sources, b->o.n_st, has_out, b->in_st, n, &rng);
    b->nt = pick_nodes(b->targets, b->o.n_st, has_in, b->in_st, n, &rng);
    uint8_t *any = xcalloc((size_t)n, 1), *taken = xcalloc((size_t)n, 1);
    memset(any, 1, (size_t)n);
    memcpy(taken, b->in_st, (size_t)n);
    b->subs = xcalloc((size_t)b->o.substitutes, sizeof *b->subs);
    b->n_subs = pick_nodes(b->subs, b->o.substitutes, any, taken, n, &rng);
    free(any);
    free(taken);
    free(has_out);
    free(has_in);

    b->words = xcalloc((size_t)n, sizeof *b->words);
    b->coreach = xcalloc((size_t)n, sizeof *b->coreach);
    b->removed = xcalloc((size_t)n, 1);
    b->seen = xcalloc((size_t)n, 1);
    b->queue = xcalloc((size_t)n, sizeof *b->queue);

    uint8_t *none = xcalloc((size_t)n, 1);
    int64_t intact =
        bfs_reach(b->view, none, b->sources, b->ns, b->targets, b->nt, b->queue, b->seen);
    free(none);
    json_head(b, "setup");
    printf(", \"generate_s\": %.6f, \"view_s\": %.6f, \"intact_reach\": %.6f, \"peak_rss_mib\": "
           "%.1f}\n",
           t_gen, t_view, b->ns > 0 ? (double)intact / (double)b->ns : 0.0, peak_mib());
    fflush(stdout);
}

/* --- (a) removal scenarios, batched against one at a time ------------------------------------- */

static void bench_reach(bench *b) {
    cp_error err = {0};
    int32_t n = b->n;
    int64_t count = b->o.scenarios;
    int64_t k = ((int64_t)n + 50) / 100; /* 1% of the nodes */
    if (k < 1) {
        k = 1;
    }
    if (k > n - b->ns - b->nt) {
        k = n - b->ns - b->nt;
    }
    int32_t *scen = xcalloc((size_t)(count * k), sizeof *scen);
    int32_t *stamp = xcalloc((size_t)n, sizeof *stamp);
    for (int64_t j = 0; j < count; j++) {
        uint64_t rng = b->o.seed * 0x100000001B3ULL + 0xA0000000ULL + (uint64_t)j;
        for (int64_t i = 0; i < k;) {
            int32_t x = (int32_t)next_below(&rng, (uint32_t)n);
            if (!b->in_st[x] && stamp[x] != (int32_t)(j + 1)) {
                stamp[x] = (int32_t)(j + 1);
                scen[j * k + i++] = x;
            }
        }
    }
    free(stamp);
    int64_t *batched = xcalloc((size_t)count, sizeof *batched);
    int64_t *single = xcalloc((size_t)count, sizeof *single);
    int64_t *bfs = xcalloc((size_t)count, sizeof *bfs);
    int64_t n_single = b->o.baseline <= 0 || b->o.baseline > count ? count : b->o.baseline;

    /* Batched: 64 scenarios per pass; the time includes setting the bits and counting. */
    reset_peak();
    double t0 = bench_now();
    for (int64_t j0 = 0; j0 < count; j0 += 64) {
        int steps = count - j0 < 64 ? (int)(count - j0) : 64;
        memset(b->words, 0, (size_t)n * sizeof *b->words);
        for (int j = 0; j < steps; j++) {
            const int32_t *s = scen + (j0 + j) * k;
            for (int64_t i = 0; i < k; i++) {
                b->words[s[i]] |= 1ULL << j;
            }
        }
        LIB(b->ops.st_coreach64(b->ops.state, n, b->m, b->view->rev_offsets, b->view->rev_indices,
                                b->words, b->targets, b->nt, b->coreach, &err),
            "st_coreach64 (batched)");
        for (int j = 0; j < steps; j++) {
            int64_t c = 0;
            for (int64_t i = 0; i < b->ns; i++) {
                c += (int64_t)((b->coreach[b->sources[i]] >> j) & 1u);
            }
            batched[j0 + j] = c;
        }
    }
    double t_batched = bench_now() - t0;
    double peak_batched = peak_mib();

    /* One scenario per pass: the same op with bit 0 only. */
    reset_peak();
    t0 = bench_now();
    for (int64_t j = 0; j < n_single; j++) {
        memset(b->words, 0, (size_t)n * sizeof *b->words);
        const int32_t *s = scen + j * k;
        for (int64_t i = 0; i < k; i++) {
            b->words[s[i]] = 1;
        }
        LIB(b->ops.st_coreach64(b->ops.state, n, b->m, b->view->rev_offsets, b->view->rev_indices,
                                b->words, b->targets, b->nt, b->coreach, &err),
            "st_coreach64 (one scenario)");
        int64_t c = 0;
        for (int64_t i = 0; i < b->ns; i++) {
            c += (int64_t)(b->coreach[b->sources[i]] & 1u);
        }
        single[j] = c;
    }
    double t_single = bench_now() - t0;
    double peak_single = peak_mib();

    /* A plain serial BFS per scenario: the independent check. */
    reset_peak();
    t0 = bench_now();
    for (int64_t j = 0; j < count; j++) {
        const int32_t *s = scen + j * k;
        for (int64_t i = 0; i < k; i++) {
            b->removed[s[i]] = 1;
        }
        bfs[j] =
            bfs_reach(b->view, b->removed, b->sources, b->ns, b->targets, b->nt, b->queue, b->seen);
        for (int64_t i = 0; i < k; i++) {
            b->removed[s[i]] = 0;
        }
    }
    double t_bfs = bench_now() - t0;
    double peak_bfs = peak_mib();

    int64_t bad_single = 0, bad_bfs = 0;
    double mean_reach = 0;
    for (int64_t j = 0; j < count; j++) {
        bad_bfs += batched[j] != bfs[j];
        if (j < n_single) {
            bad_single += batched[j] != single[j];
        }
        mean_reach += b->ns > 0 ? (double)batched[j] / (double)b->ns : 0.0;
    }
    mean_reach /= count > 0 ? (double)count : 1.0;
    bool ok = bad_single == 0 && bad_bfs == 0;

    double per_b = t_batched / (double)count;
    double per_s = t_single / (double)n_single;
    double per_f = t_bfs / (double)count;
    double speed_s = per_s / per_b, speed_f = per_f / per_b;
    json_head(b, "reach-batched");
    printf(", \"scenarios\": %" PRId64 ", \"removed_per_scenario\": %" PRId64
           ", \"seconds\": %.6f, \"per_scenario_s\": %.9f, \"scenarios_per_s\": %.1f"
           ", \"speedup_vs_one_per_pass\": %.2f, \"speedup_vs_bfs\": %.2f, \"mean_reach\": %.6f"
           ", \"peak_rss_mib\": %.1f, \"mismatches_one_per_pass\": %" PRId64
           ", \"mismatches_bfs\": %" PRId64 ", \"check\": \"%s\"}\n",
           count, k, t_batched, per_b, 1.0 / per_b, speed_s, speed_f, mean_reach, peak_batched,
           bad_single, bad_bfs, ok ? "ok" : "FAILED");
    json_head(b, "reach-one-per-pass");
    printf(", \"scenarios_timed\": %" PRId64 ", \"seconds\": %.6f, \"per_scenario_s\": %.9f"
           ", \"scenarios_per_s\": %.1f, \"extrapolated_seconds\": %.6f, \"peak_rss_mib\": %.1f"
           ", \"check\": \"%s\"}\n",
           n_single, t_single, per_s, 1.0 / per_s, per_s * (double)count, peak_single,
           bad_single == 0 ? "ok" : "FAILED");
    json_head(b, "reach-bfs");
    printf(", \"scenarios\": %" PRId64 ", \"seconds\": %.6f, \"per_scenario_s\": %.9f"
           ", \"scenarios_per_s\": %.1f, \"peak_rss_mib\": %.1f, \"check\": \"%s\"}\n",
           count, t_bfs, per_f, 1.0 / per_f, peak_bfs, bad_bfs == 0 ? "ok" : "FAILED");
    fflush(stdout);

    char what[160], c1[32], c2[32];
    row *r;
    snprintf(what, sizeof what, "(a) S-T reach, %s scenarios of %s removals, 64 per pass",
             commas(c1, sizeof c1, count), commas(c2, sizeof c2, k));
    r = add_row(what, t_batched, peak_batched, ok);
    dur(r->per, sizeof r->per, per_b);
    rate(r->rate, sizeof r->rate, 1.0 / per_b, "scenarios/s");
    snprintf(r->speedup, sizeof r->speedup, "%.1fx vs one per pass", speed_s);
    if (n_single < count) {
        snprintf(what, sizeof what,
                 "(a) the same, one scenario per pass (first %s timed; total extrapolated to %s)",
                 commas(c1, sizeof c1, n_single), commas(c2, sizeof c2, count));
    } else {
        snprintf(what, sizeof what, "(a) the same, one scenario per pass");
    }
    r = add_row(what, per_s * (double)count, peak_single, bad_single == 0);
    dur(r->per, sizeof r->per, per_s);
    rate(r->rate, sizeof r->rate, 1.0 / per_s, "scenarios/s");
    snprintf(what, sizeof what, "(a) the same, plain serial BFS per scenario (the check)");
    r = add_row(what, t_bfs, peak_bfs, bad_bfs == 0);
    dur(r->per, sizeof r->per, per_f);
    rate(r->rate, sizeof r->rate, 1.0 / per_f, "scenarios/s");
    free(scen);
    free(batched);
    free(single);
    free(bfs);
}

/* --- (b) percolation curve against cp_wcc after each removal ---------------------------------- */

static void bench_percolation(bench *b) {
    cp_error err = {0};
    int32_t n = b->n;
    int64_t k = b->o.removals > n ? n : b->o.removals;
    int32_t *perm = xcalloc((size_t)n, sizeof *perm);
    for (int32_t x = 0; x < n; x++) {
        perm[x] = x;
    }
    uint64_t rng = b->o.seed ^ 0x9E0C0000ULL;
    for (int32_t i = 0; i < n - 1 && i < k; i++) { /* partial Fisher-Yates: the first k */
        int32_t j = i + (int32_t)next_below(&rng, (uint32_t)(n - i));
        int32_t t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
    }
    double *curve = xcalloc((size_t)k + 1, sizeof *curve);
    double *oracle = xcalloc((size_t)k + 1, sizeof *oracle);
    int32_t *labels = xcalloc((size_t)n, sizeof *labels);

    enum { REPS = 5 };
    double times[REPS];
    reset_peak();
    for (int r = 0; r < REPS; r++) {
        double t0 = bench_now();
        LIB(cp_percolation_curve(curve, b->view, perm, k, &err), "cp_percolation_curve");
        times[r] = bench_now() - t0;
    }
    double peak_one = peak_mib();
    qsort(times, REPS, sizeof *times, bench_cmp_double);
    double t_one = times[REPS / 2];

    memset(b->removed, 0, (size_t)n);
    reset_peak();
    double t0 = bench_now();
    for (int64_t i = 0; i <= k; i++) {
        int32_t nc = 0, largest = 0;
        LIB(cp_wcc(labels, &nc, &largest, b->view, b->removed, &err), "cp_wcc");
        oracle[i] = n > 0 ? (double)largest / (double)n : 0.0;
        if (i < k) {
            b->removed[perm[i]] = 1;
        }
    }
    double t_wcc = bench_now() - t0;
    double peak_wcc = peak_mib();
    memset(b->removed, 0, (size_t)n);

    int64_t bad = 0;
    for (int64_t i = 0; i <= k; i++) {
        bad += curve[i] != oracle[i];
    }
    bool ok = bad == 0;
    double speed = t_wcc / t_one;
    json_head(b, "percolation-one-pass");
    printf(", \"removals\": %" PRId64 ", \"seconds\": %.6f, \"repeats\": %d, \"peak_rss_mib\": %.1f"
           ", \"speedup_vs_wcc_each\": %.1f, \"lcc_first\": %.6f, \"lcc_last\": %.6f"
           ", \"mismatches\": %" PRId64 ", \"check\": \"%s\"}\n",
           k, t_one, REPS, peak_one, speed, curve[0], curve[k], bad, ok ? "ok" : "FAILED");
    json_head(b, "percolation-wcc-each");
    printf(", \"removals\": %" PRId64 ", \"seconds\": %.6f, \"per_wcc_s\": %.9f"
           ", \"peak_rss_mib\": %.1f, \"check\": \"%s\"}\n",
           k, t_wcc, t_wcc / (double)(k + 1), peak_wcc, ok ? "ok" : "FAILED");
    fflush(stdout);

    char what[160], c1[32];
    snprintf(what, sizeof what,
             "(b) percolation curve, %s random removals, one pass (median of %d)",
             commas(c1, sizeof c1, k), REPS);
    row *r = add_row(what, t_one, peak_one, ok);
    dur(r->per, sizeof r->per, t_one / (double)k);
    rate(r->rate, sizeof r->rate, (double)k / t_one, "removals/s");
    snprintf(r->speedup, sizeof r->speedup, "%.0fx vs cp_wcc each", speed);
    snprintf(what, sizeof what, "(b) the same, cp_wcc after every removal (%s calls)",
             commas(c1, sizeof c1, k + 1));
    r = add_row(what, t_wcc, peak_wcc, ok);
    dur(r->per, sizeof r->per, t_wcc / (double)(k + 1));
    rate(r->rate, sizeof r->rate, (double)k / t_wcc, "removals/s");
    free(perm);
    free(curve);
    free(oracle);
    free(labels);
}

/* --- (c) and (d): cp_simulate_run ------------------------------------------------------------- */

/* Reach (count of S) and largest weak component with the first `steps` removals of res. */
static void oracle_after(bench *b, const cp_scenario_result *res, int32_t steps, double *reach,
                         double *lcc) {
    cp_error err = {0};
    memset(b->removed, 0, (size_t)b->n);
    for (int32_t i = 0; i < steps; i++) {
        b->removed[res->removed[i]] = 1;
    }
    int64_t c =
        bfs_reach(b->view, b->removed, b->sources, b->ns, b->targets, b->nt, b->queue, b->seen);
    *reach = b->ns > 0 ? (double)c / (double)b->ns : 0.0;
    if (lcc != NULL) {
        int32_t nc = 0, largest = 0;
        LIB(cp_wcc(b->queue, &nc, &largest, b->view, b->removed, &err), "cp_wcc (check)");
        *lcc = b->n > 0 ? (double)largest / (double)b->n : 0.0;
    }
    memset(b->removed, 0, (size_t)b->n);
}

static void base_scenario(const bench *b, cp_scenario *sc) {
    cp_scenario_init(sc);
    sc->sources = b->sources;
    sc->n_sources = b->ns;
    sc->targets = b->targets;
    sc->n_targets = b->nt;
    sc->seed = b->o.seed;
}

/* Smallest reach (count of S) over removing one candidate of cand alone, by the batched op. */
static int64_t best_single_removal(bench *b, const int32_t *cand, int64_t nc) {
    cp_error err = {0};
    int64_t best = b->ns + 1;
    for (int64_t j0 = 0; j0 < nc; j0 += 64) {
        int steps = nc - j0 < 64 ? (int)(nc - j0) : 64;
        memset(b->words, 0, (size_t)b->n * sizeof *b->words);
        for (int j = 0; j < steps; j++) {
            b->words[cand[j0 + j]] |= 1ULL << j;
        }
        LIB(b->ops.st_coreach64(b->ops.state, b->n, b->m, b->view->rev_offsets,
                                b->view->rev_indices, b->words, b->targets, b->nt, b->coreach,
                                &err),
            "st_coreach64 (greedy check)");
        for (int j = 0; j < steps; j++) {
            int64_t c = 0;
            for (int64_t i = 0; i < b->ns; i++) {
                c += (int64_t)((b->coreach[b->sources[i]] >> j) & 1u);
            }
            best = c < best ? c : best;
        }
    }
    return best;
}

static void bench_greedy(bench *b, const int32_t *cand, int64_t nc, const char *label) {
    cp_error err = {0};
    cp_scenario sc;
    base_scenario(b, &sc);
    sc.strategy = CP_STRATEGY_GREEDY;
    sc.mode = CP_MODE_ADAPTIVE;
    sc.reroute_p = 0.0;
    sc.budget = b->o.greedy_budget;
    sc.round_size = 1;
    sc.metrics = 1u << CP_METRIC_REACH;
    sc.candidates = cand;
    sc.n_candidates = cand != NULL ? nc : 0;
    int64_t n_cand = cand != NULL ? nc : b->n - b->ns - b->nt;
    cp_scenario_result *res = NULL;
    reset_peak();
    double t0 = bench_now();
    LIB(cp_simulate_run(&res, b->g, &sc, NULL, &err), "cp_simulate_run (greedy)");
    double wall = bench_now() - t0;
    double peak = peak_mib();
    int32_t picks = res->n_removed;
    double evals = 0;
    for (int32_t p = 0; p < picks; p++) {
        evals += (double)(n_cand - p);
    }
    int64_t bad = 0;
    for (int32_t i = 1; i <= picks; i++) {
        double reach;
        oracle_after(b, res, i, &reach, NULL);
        bad += res->curve[CP_METRIC_REACH][i] != reach;
    }
    bool first_best = true;
    if (cand != NULL && picks > 0) {
        int64_t best = best_single_removal(b, cand, nc);
        first_best = res->curve[CP_METRIC_REACH][1] == (double)best / (double)b->ns;
    }
    bool ok = bad == 0 && first_best;
    double per_pick = picks > 0 ? res->seconds / picks : 0.0;
    json_head(b, label);
    printf(", \"candidates\": %" PRId64 ", \"budget\": %d, \"picks\": %d, \"seconds\": %.6f"
           ", \"wall_s\": %.6f, \"per_pick_s\": %.6f, \"candidate_evals_per_s\": %.1f"
           ", \"reach\": [",
           n_cand, sc.budget, picks, res->seconds, wall, per_pick, evals / res->seconds);
    for (int32_t i = 0; i <= picks; i++) {
        printf("%s%.6f", i > 0 ? ", " : "", res->curve[CP_METRIC_REACH][i]);
    }
    printf("], \"peak_rss_mib\": %.1f, \"curve_mismatches\": %" PRId64 ", \"first_pick_best\": %s"
           ", \"check\": \"%s\"}\n",
           peak, bad,
           cand == NULL ? "null"
           : first_best ? "true"
                        : "false",
           ok ? "ok" : "FAILED");
    fflush(stdout);

    char what[160], c1[32];
    snprintf(what, sizeof what, "(c) greedy, adaptive, %s candidates (%s), %d picks",
             commas(c1, sizeof c1, n_cand), cand != NULL ? "highest degree" : "all outside S and T",
             picks);
    row *r = add_row(what, res->seconds, peak, ok);
    dur(r->per, sizeof r->per, per_pick);
    snprintf(r->per + strlen(r->per), sizeof r->per - strlen(r->per), " per pick");
    rate(r->rate, sizeof r->rate, evals / res->seconds, "candidates/s");
    cp_scenario_result_free(&res);
}

static void bench_strategy(bench *b, cp_strategy strategy) {
    cp_error err = {0};
    int reps = b->o.repeats < 1 ? 1 : b->o.repeats;
    double *times = xcalloc((size_t)reps, sizeof *times);
    double peak = 0;
    int64_t bad = 0, checked = 0, reroutes = 0;
    int32_t removed = 0;
    double reach_end = 0, lcc_end = 0;
    for (int rep = 0; rep < reps; rep++) {
        cp_scenario sc;
        base_scenario(b, &sc);
        sc.strategy = strategy;
        sc.mode = CP_MODE_SEQUENTIAL;
        sc.budget = b->o.budget;
        sc.round_size = b->o.round;
        sc.reroute_p = 0.5;
        sc.substitutes = b->subs;
        sc.n_substitutes = b->n_subs;
        sc.metrics =
            (1u << CP_METRIC_REACH) | (1u << CP_METRIC_REACH_VOLUME) | (1u << CP_METRIC_LCC);
        sc.seed = (uint64_t)rep + 1;
        cp_scenario_result *res = NULL;
        reset_peak();
        LIB(cp_simulate_run(&res, b->g, &sc, NULL, &err), "cp_simulate_run");
        double pk = peak_mib();
        peak = pk > peak ? pk : peak;
        times[rep] = res->seconds;
        removed = res->n_removed;
        reroutes += res->n_reroutes;
        reach_end = res->curve[CP_METRIC_REACH][res->n_removed];
        lcc_end = res->curve[CP_METRIC_LCC][res->n_removed];
        /* Before the first response the network is the intact one minus the removals. */
        int32_t first = res->n_removed < sc.round_size ? res->n_removed : sc.round_size;
        for (int32_t i = 1; i <= first; i++) {
            double reach, lcc;
            oracle_after(b, res, i, &reach, &lcc);
            bad += res->curve_before[CP_METRIC_REACH][i] != reach;
            bad += res->curve_before[CP_METRIC_LCC][i] != lcc;
            checked += 2;
        }
        cp_scenario_result_free(&res);
    }
    qsort(times, (size_t)reps, sizeof *times, bench_cmp_double);
    double med = times[reps / 2];
    bool ok = bad == 0;
    char label[64];
    snprintf(label, sizeof label, "simulate-%s", cp_strategy_name(strategy));
    json_head(b, label);
    printf(", \"budget\": %d, \"round\": %d, \"mode\": \"sequential\", \"reroute_p\": 0.5"
           ", \"metrics\": \"reach,reach-volume,lcc\", \"repeats\": %d, \"seconds_median\": %.6f"
           ", \"seconds_min\": %.6f, \"seconds_max\": %.6f, \"removed\": %d"
           ", \"substitutes\": %" PRId64
           ", \"mean_reroutes\": %.1f, \"reach_end\": %.6f, \"lcc_end\": %.6f"
           ", \"peak_rss_mib\": %.1f, \"values_checked\": %" PRId64 ", \"mismatches\": %" PRId64
           ", \"check\": \"%s\"}\n",
           b->o.budget, b->o.round, reps, med, times[0], times[reps - 1], removed, b->n_subs,
           (double)reroutes / reps, reach_end, lcc_end, peak, checked, bad, ok ? "ok" : "FAILED");
    fflush(stdout);

    char what[160];
    snprintf(what, sizeof what,
             "(d) %s, budget %d in rounds of %d, sequential, reroute 0.5, reach + reach-volume + "
             "lcc (median of %d)",
             cp_strategy_name(strategy), b->o.budget, b->o.round, reps);
    row *r = add_row(what, med, peak, ok);
    dur(r->per, sizeof r->per, med / (removed > 0 ? removed : 1));
    snprintf(r->per + strlen(r->per), sizeof r->per - strlen(r->per), " per removal");
    rate(r->rate, sizeof r->rate, 1.0 / med, "scenarios/s");
    free(times);
}

/* The `want` nodes of highest total degree outside S and T, sorted by index. */
static int64_t top_degree(const bench *b, int32_t *out, int64_t want) {
    /* Sort by a packed key: degree descending, then index ascending. */
    uint64_t *keys = xcalloc((size_t)b->n, sizeof *keys);
    int64_t c = 0;
    for (int32_t x = 0; x < b->n; x++) {
        if (!b->in_st[x]) {
            int64_t deg = (b->view->offsets[x + 1] - b->view->offsets[x]) +
                          (b->view->rev_offsets[x + 1] - b->view->rev_offsets[x]);
            deg = deg > INT32_MAX ? INT32_MAX : deg;
            keys[c++] = ((uint64_t)(INT32_MAX - deg) << 32) | (uint32_t)x;
        }
    }
    qsort(keys, (size_t)c, sizeof *keys, cmp_u64);
    int64_t got = want < c ? want : c;
    for (int64_t i = 0; i < got; i++) {
        out[i] = (int32_t)(keys[i] & 0xFFFFFFFFu);
    }
    free(keys);
    qsort(out, (size_t)got, sizeof *out, cmp_i32);
    return got;
}

/* --- main ---------------------------------------------------------------------------------------
 */

static void usage(void) {
    fprintf(stderr, "usage: bench_scenarios [--scale S] [--edge-factor F] [--seed X] [--st N] "
                    "[--scenarios N] [--baseline N] [--removals N] [--greedy-budget K] "
                    "[--greedy-top N] [--budget K] [--round B] [--repeats N] [--substitutes N] "
                    "[--skip-greedy-all]\n");
    exit(2);
}

static long parse_long(const char *s, long lo, long hi, const char *name) {
    char *end = NULL;
    long v = strtol(s, &end, 10);
    if (end == s || *end != '\0' || v < lo || v > hi) {
        fprintf(stderr, "bench_scenarios: %s expects an integer in %ld..%ld, got '%s'\n", name, lo,
                hi, s);
        exit(2);
    }
    return v;
}

int main(int argc, char **argv) {
    bench b;
    memset(&b, 0, sizeof b);
    b.o = (opts){.scale = 16,
                 .edge_factor = 16,
                 .seed = 1,
                 .n_st = 100,
                 .scenarios = 1000,
                 .baseline = 0,
                 .removals = 1000,
                 .greedy_budget = 2,
                 .greedy_top = 4096,
                 .budget = 50,
                 .round = 10,
                 .repeats = 3,
                 .substitutes = 1000,
                 .skip_greedy_all = false};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--skip-greedy-all") == 0) {
            b.o.skip_greedy_all = true;
            continue;
        }
        if (i + 1 >= argc) {
            usage();
        }
        const char *v = argv[++i];
        if (strcmp(a, "--scale") == 0) {
            b.o.scale = (int)parse_long(v, 1, 30, a);
        } else if (strcmp(a, "--edge-factor") == 0) {
            b.o.edge_factor = (int)parse_long(v, 1, 1 << 20, a);
        } else if (strcmp(a, "--seed") == 0) {
            b.o.seed = (uint64_t)parse_long(v, 0, 0x7FFFFFFFL, a);
        } else if (strcmp(a, "--st") == 0) {
            b.o.n_st = (int)parse_long(v, 1, 1 << 24, a);
        } else if (strcmp(a, "--scenarios") == 0) {
            b.o.scenarios = (int)parse_long(v, 1, 1 << 24, a);
        } else if (strcmp(a, "--baseline") == 0) {
            b.o.baseline = (int)parse_long(v, 0, 1 << 24, a);
        } else if (strcmp(a, "--removals") == 0) {
            b.o.removals = (int)parse_long(v, 0, 0x7FFFFFFFL, a);
        } else if (strcmp(a, "--greedy-budget") == 0) {
            b.o.greedy_budget = (int)parse_long(v, 0, 1 << 20, a);
        } else if (strcmp(a, "--greedy-top") == 0) {
            b.o.greedy_top = (int)parse_long(v, 1, 0x7FFFFFFFL, a);
        } else if (strcmp(a, "--budget") == 0) {
            b.o.budget = (int)parse_long(v, 0, 1 << 24, a);
        } else if (strcmp(a, "--round") == 0) {
            b.o.round = (int)parse_long(v, 1, 1 << 24, a);
        } else if (strcmp(a, "--repeats") == 0) {
            b.o.repeats = (int)parse_long(v, 1, 1000, a);
        } else if (strcmp(a, "--substitutes") == 0) {
            b.o.substitutes = (int)parse_long(v, 0, 0x7FFFFFFFL, a);
        } else {
            usage();
        }
    }
    double t_start = bench_now();
    setup(&b);
    bench_reach(&b);
    bench_percolation(&b);
    if (!b.o.skip_greedy_all) {
        bench_greedy(&b, NULL, 0, "greedy-all");
    }
    int32_t *top = xcalloc((size_t)b.o.greedy_top, sizeof *top);
    int64_t n_top = top_degree(&b, top, b.o.greedy_top);
    bench_greedy(&b, top, n_top, "greedy-top-degree");
    free(top);
    bench_strategy(&b, CP_STRATEGY_DEGREE);
    bench_strategy(&b, CP_STRATEGY_RANDOM);
    double total = bench_now() - t_start;

    char c1[32], c2[32], buf[32];
    printf("\nR-MAT scale %d, edge factor %d (n = %s, m = %s, seed %" PRIu64 "), |S| = %" PRId64
           ", |T| = %" PRId64 ", %d threads, CPU backend; total %.1f s.\n\n",
           b.o.scale, b.o.edge_factor, commas(c1, sizeof c1, b.n), commas(c2, sizeof c2, b.m),
           b.o.seed, b.ns, b.nt, b.threads, total);
    printf("| measurement | wall time | per item | rate | speed-up | peak RSS | check |\n");
    printf("|---|---|---|---|---|---|---|\n");
    for (int i = 0; i < n_rows; i++) {
        const row *r = &rows[i];
        printf("| %s | %s | %s | %s | %s | %.0f MiB | %s |\n", r->what,
               dur(buf, sizeof buf, r->seconds), r->per, r->rate, r->speedup, r->peak_mib,
               r->ok ? "identical" : "MISMATCH");
    }
    if (!peak_resettable) {
        printf("\n(Peak RSS: /proc/self/clear_refs not writable, so each figure is the process's "
               "peak so far.)\n");
    }

    cp_view_free(&b.view);
    cp_graph_free(&b.g);
    free(b.sources);
    free(b.targets);
    free(b.in_st);
    free(b.subs);
    free(b.words);
    free(b.coreach);
    free(b.removed);
    free(b.seen);
    free(b.queue);
    return all_ok ? 0 : 1;
}
