/* The scenario engine: rounds of removals chosen by a strategy, the network's rerouting response,
 * and disruption curves (DESIGN section 5).
 *
 * State: a private copy of the view's edges (tail, head, weight, layer, alive) that the response
 * edits, and the removal mask. Removal never rebuilds anything; rerouting changes edges, so the
 * CSR view is rebuilt once per round, in O(n + m). */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alloc.h"
#include "backend.h"
#include "chokepoint/centrality.h"
#include "chokepoint/measures.h"
#include "chokepoint/mincut.h"
#include "chokepoint/ownership.h"
#include "chokepoint/percolation.h"
#include "chokepoint/spectral.h"
#include "chokepoint/simulate.h"
#include "chokepoint/view.h"
#include "graph_impl.h"
#include "philox.h"

/* ---- names ------------------------------------------------------------------------------- */

static const char *const strategy_names[] = {
#define CP__STRATEGY_NAME(e, name) name,
    CP_STRATEGY_TABLE(CP__STRATEGY_NAME)
#undef CP__STRATEGY_NAME
};
static const char *const metric_names[] = {
#define CP__METRIC_NAME(e, name, desc) name,
    CP_METRIC_TABLE(CP__METRIC_NAME)
#undef CP__METRIC_NAME
};
static const char *const metric_descriptions[] = {
#define CP__METRIC_DESC(e, name, desc) desc,
    CP_METRIC_TABLE(CP__METRIC_DESC)
#undef CP__METRIC_DESC
};
static const char *const mode_names[] = {"simultaneous", "sequential", "adaptive"};

const char *cp_strategy_name(cp_strategy s) {
    return (unsigned)s < CP_STRATEGY_COUNT ? strategy_names[s] : "unknown";
}

const char *cp_mode_name(cp_mode m) {
    return (unsigned)m < CP_MODE_COUNT ? mode_names[m] : "unknown";
}

const char *cp_metric_name(cp_metric m) {
    return (unsigned)m < CP_METRIC_COUNT ? metric_names[m] : "unknown";
}

const char *cp_metric_description(cp_metric m) {
    return (unsigned)m < CP_METRIC_COUNT ? metric_descriptions[m] : "unknown";
}

static cp_status parse_name(const char *s, const char *const *names, int count, int *out) {
    for (int i = 0; i < count; i++) {
        if (strcmp(s, names[i]) == 0) {
            *out = i;
            return CP_OK;
        }
    }
    return CP_E_INVALID;
}

cp_status cp_strategy_parse(const char *s, cp_strategy *out) {
    int v = 0;
    cp_status st = parse_name(s, strategy_names, CP_STRATEGY_COUNT, &v);
    *out = (cp_strategy)v;
    return st;
}

cp_status cp_mode_parse(const char *s, cp_mode *out) {
    int v = 0;
    cp_status st = parse_name(s, mode_names, CP_MODE_COUNT, &v);
    *out = (cp_mode)v;
    return st;
}

cp_status cp_metric_parse(const char *s, cp_metric *out) {
    int v = 0;
    cp_status st = parse_name(s, metric_names, CP_METRIC_COUNT, &v);
    *out = (cp_metric)v;
    return st;
}

void cp_scenario_init(cp_scenario *sc) {
    memset(sc, 0, sizeof *sc);
    sc->budget = 10;
    sc->round_size = 1;
    sc->mode = CP_MODE_SEQUENTIAL;
    sc->rerank = true;
    sc->metrics = (1u << CP_METRIC_REACH) | (1u << CP_METRIC_FLOW);
    sc->seed = 1;
    sc->objective = CP_METRIC_REACH;
    sc->closure = -1;
    sc->closure_layer = -1;
}

void cp_scenario_result_free(cp_scenario_result **res) {
    if (res == NULL || *res == NULL) {
        return;
    }
    cp_scenario_result *r = *res;
    cp__free(r->removed);
    cp__free(r->removed_round);
    for (int k = 0; k < CP_METRIC_COUNT; k++) {
        cp__free(r->curve[k]);
        cp__free(r->curve_before[k]);
    }
    cp__free(r->reroutes);
    cp__free(r->cost_spent);
    cp__free(r->closure_nodes);
    cp__free(r->closure_round);
    cp__free(r->closure_step);
    cp__free(r->reinserted);
    cp__free(r);
    *res = NULL;
}

double cp_curve_auc(const double *curve, int32_t k) {
    if (k <= 0) {
        return 0.0;
    }
    double s = 0;
    for (int32_t i = 1; i <= k; i++) {
        s += curve[i];
    }
    return s / k;
}

/* ---- engine state ------------------------------------------------------------------------ */

typedef struct sim {
    const cp_graph *g;
    const cp_scenario *sc;
    cp_backend_ops cpu;
    const cp_backend_ops *be;
    int32_t n;
    int64_t m; /* edges of the working copy (those on the view's layers) */
    int32_t *tail;
    int32_t *head;
    double *weight;
    uint8_t *layer;
    uint8_t *alive;     /* 0 once merged into another edge */
    int64_t *edge_id;   /* index of the graph edge */
    uint32_t *attempts; /* chances each edge has had */
    bool reroutable[CP_MAX_LAYERS];
    cp_view *view;
    uint8_t *removed;       /* n */
    int32_t *removed_round; /* n: round of removal, -1 */
    uint8_t *in_s, *in_t, *is_candidate;
    uint64_t *tiebreak;      /* n: seeded hash of the external id */
    double *source_strength; /* n_sources: intact out-strength */
    double total_source_strength;
    double total_pairs;
    uint64_t *words;   /* n: scenario bits for batched reachability */
    uint64_t *coreach; /* n */
    double *score;     /* n */
    int32_t *labels;   /* n: wcc / scc scratch */
    int32_t *counts;   /* n: scc-pairs scratch */
    uint8_t *is_protected;
    uint8_t *mask;          /* n: greedy's tentative removals */
    int64_t *coreach_nodes; /* 64: nodes that reach a target, per state of a batch */
    uint32_t metric_mask;   /* the metrics measured now (sc->metrics, or one objective) */
    double cost_left;       /* INFINITY without a cost cap */
    int closure_layer;
    int64_t closure_cap;
    cp_scenario_result *res;
    int64_t reroute_cap;
} sim;

static double node_cost(const sim *s, int32_t v) {
    return s->sc->cost != NULL ? s->sc->cost[v] : 1.0;
}

static uint64_t label_hash(const cp_graph *g, int32_t i) {
    char buf[64];
    const char *s = g->ids_are_int ? cp_graph_node_label(g, i, buf, sizeof buf) : g->ids_str[i];
    uint64_t h = 1469598103934665603ULL;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        h ^= *p;
        h *= 1099511628211ULL;
    }
    return h;
}

static cp_status rebuild_view(sim *s, cp_error *err) {
    cp_view_free(&s->view);
    return cp_view_from_edges(&s->view, s->n, s->m, s->tail, s->head, s->weight, s->alive,
                              CP_DIR_STORED, CP_MULTI_KEEP, err);
}

static bool wants(const sim *s, cp_metric k) {
    return (s->metric_mask >> k) & 1u;
}

/* Reachability metrics for up to 64 nested removal states at once: bit j of words[v] is set when
 * v is removed after step j of the batch. Fills reach[j] and volume[j] for j < steps. */
static cp_status reach_batch(sim *s, int steps, double *reach, double *volume, cp_error *err) {
    const cp_view *v = s->view;
    cp_status st = s->be->st_coreach64(s->be->state, v->n, v->m, v->rev_offsets, v->rev_indices,
                                       s->words, s->sc->targets, s->sc->n_targets, s->coreach, err);
    if (st != CP_OK) {
        return st;
    }
    for (int j = 0; j < steps; j++) {
        int64_t count = 0;
        double vol = 0;
        for (int64_t i = 0; i < s->sc->n_sources; i++) {
            if ((s->coreach[s->sc->sources[i]] >> j) & 1u) {
                count++;
                vol += s->source_strength[i];
            }
        }
        reach[j] = s->sc->n_sources > 0 ? (double)count / (double)s->sc->n_sources : 0.0;
        volume[j] = s->total_source_strength > 0 ? vol / s->total_source_strength : 0.0;
        s->coreach_nodes[j] = 0;
    }
    /* Nodes that still reach a target, per state: greedy's finest tie-breaker. */
    for (int32_t x = 0; x < s->n; x++) {
        for (uint64_t w = s->coreach[x]; w != 0; w &= w - 1) {
            s->coreach_nodes[__builtin_ctzll(w)]++;
        }
    }
    return CP_OK;
}

/* Hop distances from every source to the targets on the current state: *sum_d and *connected over
 * the connected (s, t) pairs, *sum_inv of 1/d. Per-source partial sums are added in source order,
 * so the result does not depend on the thread count. */
static cp_status st_distances(sim *s, double *sum_d, double *connected, double *sum_inv,
                              cp_error *err) {
    const cp_scenario *sc = s->sc;
    const cp_view *v = s->view;
    int64_t ns = sc->n_sources;
    cp_status status = CP_OK;
    double *part = cp__calloc((size_t)ns * 3 + 1, sizeof *part);
    if (part == NULL) {
        return cp_error_set(err, CP_E_NOMEM, "out of memory for S-T distances");
    }
    int failed = 0;
#pragma omp parallel
    {
        int32_t *dist = cp__malloc_array((size_t)s->n + 1, sizeof *dist);
        int32_t *queue = cp__malloc_array((size_t)s->n + 1, sizeof *queue);
        if (dist == NULL || queue == NULL) {
#pragma omp atomic write
            failed = 1;
        } else {
            for (int32_t x = 0; x < s->n; x++) {
                dist[x] = -1;
            }
        }
#pragma omp for schedule(dynamic, 4)
        for (int64_t i = 0; i < ns; i++) {
            int32_t src = sc->sources[i];
            if (dist == NULL || queue == NULL || s->removed[src]) {
                continue;
            }
            int64_t head = 0, tail = 0;
            dist[src] = 0;
            queue[tail++] = src;
            while (head < tail) {
                int32_t u = queue[head++];
                for (int64_t q = v->offsets[u]; q < v->offsets[u + 1]; q++) {
                    int32_t w = v->indices[q];
                    if (dist[w] < 0 && !s->removed[w]) {
                        dist[w] = dist[u] + 1;
                        queue[tail++] = w;
                    }
                }
            }
            double d_sum = 0, c = 0, inv = 0;
            for (int64_t j = 0; j < sc->n_targets; j++) {
                int32_t t = sc->targets[j];
                if (t != src && dist[t] > 0) {
                    d_sum += dist[t];
                    c += 1;
                    inv += 1.0 / dist[t];
                }
            }
            part[3 * i] = d_sum;
            part[3 * i + 1] = c;
            part[3 * i + 2] = inv;
            for (int64_t k = 0; k < tail; k++) {
                dist[queue[k]] = -1;
            }
        }
        cp__free(dist);
        cp__free(queue);
    }
    if (failed) {
        status = cp_error_set(err, CP_E_NOMEM, "out of memory for S-T distances");
    } else {
        *sum_d = *connected = *sum_inv = 0;
        for (int64_t i = 0; i < ns; i++) {
            *sum_d += part[3 * i];
            *connected += part[3 * i + 1];
            *sum_inv += part[3 * i + 2];
        }
    }
    cp__free(part);
    return status;
}

/* The strongly connected metrics (lscc, scc-pairs) of the current state. */
static cp_status measure_scc(sim *s, double *out, cp_error *err) {
    const cp_scenario *sc = s->sc;
    int32_t nc = 0, largest = 0;
    cp_status st = cp_scc(s->labels, &nc, &largest, s->view, s->removed, err);
    if (st != CP_OK) {
        return st;
    }
    out[CP_METRIC_LSCC] = s->n > 0 ? (double)largest / (double)s->n : 0.0;
    /* s and t reach each other iff they share a component: count targets per component label,
     * then add each present source's count, less itself when it is also a target. */
    double mutual = 0;
    for (int64_t j = 0; j < sc->n_targets; j++) {
        int32_t l = s->labels[sc->targets[j]];
        if (l >= 0) {
            s->counts[l]++;
        }
    }
    for (int64_t i = 0; i < sc->n_sources; i++) {
        int32_t src = sc->sources[i];
        int32_t l = s->labels[src];
        if (l >= 0) {
            mutual += s->counts[l] - (s->in_t[src] ? 1 : 0);
        }
    }
    for (int64_t j = 0; j < sc->n_targets; j++) {
        int32_t l = s->labels[sc->targets[j]];
        if (l >= 0) {
            s->counts[l] = 0;
        }
    }
    out[CP_METRIC_SCC_PAIRS] = s->total_pairs > 0 ? mutual / s->total_pairs : 0.0;
    return CP_OK;
}

/* The metrics other than reach / reach-volume (and lcc when `lcc_known`), for the current
 * state. */
static cp_status measure_other(sim *s, double *out, bool lcc_known, cp_error *err) {
    cp_status st = CP_OK;
    const cp_scenario *sc = s->sc;
    if (wants(s, CP_METRIC_PAIRS)) {
        double connected = 0;
        st = cp_st_pairs(&connected, s->view, s->removed, sc->sources, sc->n_sources, sc->targets,
                         sc->n_targets, err);
        if (st != CP_OK) {
            return st;
        }
        out[CP_METRIC_PAIRS] = s->total_pairs > 0 ? connected / s->total_pairs : 0.0;
    }
    if (wants(s, CP_METRIC_FLOW)) {
        double value = 0;
        st = cp_st_maxflow(&value, NULL, s->view, s->removed, sc->sources, sc->n_sources,
                           sc->targets, sc->n_targets, err);
        if (st != CP_OK) {
            return st;
        }
        out[CP_METRIC_FLOW] = s->res->intact_flow > 0 ? value / s->res->intact_flow : 0.0;
    }
    if (wants(s, CP_METRIC_LCC) && !lcc_known) {
        int32_t nc = 0, largest = 0;
        st = cp_wcc(s->labels, &nc, &largest, s->view, s->removed, err);
        if (st != CP_OK) {
            return st;
        }
        out[CP_METRIC_LCC] = s->n > 0 ? (double)largest / (double)s->n : 0.0;
    }
    if (wants(s, CP_METRIC_PATH_LENGTH) || wants(s, CP_METRIC_EFFICIENCY)) {
        double sum_d = 0, connected = 0, sum_inv = 0;
        st = st_distances(s, &sum_d, &connected, &sum_inv, err);
        if (st != CP_OK) {
            return st;
        }
        out[CP_METRIC_PATH_LENGTH] = connected > 0 ? sum_d / connected : 0.0;
        out[CP_METRIC_EFFICIENCY] = s->total_pairs > 0 ? sum_inv / s->total_pairs : 0.0;
    }
    if (wants(s, CP_METRIC_LSCC) || wants(s, CP_METRIC_SCC_PAIRS)) {
        st = measure_scc(s, out, err);
    }
    return st;
}

/* Stores the metric values of a state at curve[.][step], and at curve_before[.][step] too when
 * `also_before` (no response happened at this step). */
static void store_values(cp_scenario_result *r, int32_t step, const double *vals,
                         bool also_before) {
    for (int k = 0; k < CP_METRIC_COUNT; k++) {
        if (r->curve[k] != NULL) {
            r->curve[k][step] = vals[k];
            if (also_before) {
                r->curve_before[k][step] = vals[k];
            }
        }
    }
}

/* Marks every removed node in all 64 states of the batch words. */
static void words_from_removed(sim *s) {
    for (int32_t v = 0; v < s->n; v++) {
        s->words[v] = s->removed[v] ? ~0ULL : 0ULL;
    }
}

/* Measures every metric of s->metric_mask on the current state into vals. */
static cp_status measure_state(sim *s, double *vals, cp_error *err) {
    for (int k = 0; k < CP_METRIC_COUNT; k++) {
        vals[k] = 0.0;
    }
    if (wants(s, CP_METRIC_REACH) || wants(s, CP_METRIC_REACH_VOLUME)) {
        words_from_removed(s);
        double reach[1], volume[1];
        cp_status st = reach_batch(s, 1, reach, volume, err);
        if (st != CP_OK) {
            return st;
        }
        vals[CP_METRIC_REACH] = reach[0];
        vals[CP_METRIC_REACH_VOLUME] = volume[0];
    }
    return measure_other(s, vals, false, err);
}

/* Measures every requested metric after each of the `count` removals picks[0..count) (which must
 * not be applied yet) and applies them; writes curve and curve_before at steps first+1.. .
 * Reachability takes 64 steps per pass of the backend, lcc one reverse union-find pass. */
static cp_status remove_and_measure(sim *s, const int32_t *picks, int32_t count, int32_t first,
                                    int32_t round, cp_error *err) {
    cp_scenario_result *r = s->res;
    double reach[64], volume[64], lcc[65];
    bool want_reach = wants(s, CP_METRIC_REACH) || wants(s, CP_METRIC_REACH_VOLUME);
    for (int32_t b0 = 0; b0 < count; b0 += 64) {
        int steps = count - b0 < 64 ? (int)(count - b0) : 64;
        if (want_reach) {
            words_from_removed(s);
            for (int j = 0; j < steps; j++) {
                s->words[picks[b0 + j]] |= ~0ULL << j;
            }
            cp_status st = reach_batch(s, steps, reach, volume, err);
            if (st != CP_OK) {
                return st;
            }
        }
        if (wants(s, CP_METRIC_LCC)) {
            cp_status st =
                cp_percolation_curve_masked(lcc, s->view, s->removed, picks + b0, steps, err);
            if (st != CP_OK) {
                return st;
            }
        }
        for (int j = 0; j < steps; j++) {
            int32_t node = picks[b0 + j];
            int32_t step = first + b0 + j + 1;
            s->removed[node] = 1;
            s->removed_round[node] = round;
            r->removed[step - 1] = node;
            r->removed_round[step - 1] = round;
            r->cost_spent[step] = r->cost_spent[step - 1] + node_cost(s, node);
            double vals[CP_METRIC_COUNT] = {0};
            vals[CP_METRIC_REACH] = reach[j];
            vals[CP_METRIC_REACH_VOLUME] = volume[j];
            vals[CP_METRIC_LCC] = lcc[j + 1];
            cp_status st = measure_other(s, vals, true, err);
            if (st != CP_OK) {
                return st;
            }
            store_values(r, step, vals, true);
        }
    }
    return CP_OK;
}

/* Measures the current state into curve[.][step], and into curve_before too when
 * `also_before`. */
static cp_status measure_at(sim *s, int32_t step, bool also_before, cp_error *err) {
    double vals[CP_METRIC_COUNT];
    cp_status st = measure_state(s, vals, err);
    if (st != CP_OK) {
        return st;
    }
    store_values(s->res, step, vals, also_before);
    return CP_OK;
}

/* ---- strategies -------------------------------------------------------------------------- */

static cp_status compute_scores(sim *s, cp_error *err) {
    const cp_scenario *sc = s->sc;
    switch (sc->strategy) {
    case CP_STRATEGY_RANDOM:
        for (int32_t v = 0; v < s->n; v++) {
            s->score[v] =
                cp_rng_uniform(sc->seed, sc->scenario_id, 0, CP_RNG_RANDOM_ORDER, (uint64_t)v, 0);
        }
        return CP_OK;
    case CP_STRATEGY_LIST:
        /* Earlier in the list ranks higher; nodes not listed rank below all listed ones. */
        for (int32_t v = 0; v < s->n; v++) {
            s->score[v] = -1.0;
        }
        for (int64_t i = sc->n_order - 1; i >= 0; i--) {
            s->score[sc->order[i]] = (double)(sc->n_order - i);
        }
        return CP_OK;
    case CP_STRATEGY_MIN_CUT: {
        uint8_t *allowed = cp__malloc_array((size_t)s->n + 1, 1);
        int32_t *cut = cp__malloc_array((size_t)s->n + 1, sizeof *cut);
        if (allowed == NULL || cut == NULL) {
            cp__free(allowed);
            cp__free(cut);
            return cp_error_set(err, CP_E_NOMEM, "out of memory for the minimum vertex cut");
        }
        for (int32_t v = 0; v < s->n; v++) {
            allowed[v] = s->is_candidate[v] && !s->removed[v];
            s->score[v] = 0;
        }
        int64_t size = 0;
        double cost = 0;
        cp_error local;
        cp_status st =
            cp_min_vertex_cut(cut, &size, &cost, s->view, s->removed, allowed, sc->cost,
                              sc->sources, sc->n_sources, sc->targets, sc->n_targets, &local);
        if (st == CP_OK) {
            for (int64_t i = 0; i < size; i++) {
                s->score[cut[i]] = 1.0;
            }
        } else if (st != CP_E_INVALID) { /* inseparable: no preference, not an error */
            cp_error_set(err, st, "%s", local.msg);
        }
        cp__free(allowed);
        cp__free(cut);
        return st == CP_E_INVALID ? CP_OK : st;
    }
    default: {
        cp_measure_params p;
        if (sc->measure != NULL) {
            p = *sc->measure;
        } else {
            cp_measure_params_init(&p);
        }
        p.sources = sc->sources;
        p.n_sources = sc->n_sources;
        p.targets = sc->targets;
        p.n_targets = sc->n_targets;
        cp_status st = cp_measure_compute(cp_strategy_name(sc->strategy), s->score, s->view,
                                          s->removed, &p, NULL, err);
        if (st < 0) {
            return st;
        }
        /* With costs, a measure ranks by score per unit of cost (the benefit-cost ratio). */
        if (sc->cost != NULL) {
            for (int32_t v = 0; v < s->n; v++) {
                s->score[v] /= sc->cost[v];
            }
        }
        /* Warnings (not converged, not strongly connected) still give a usable ranking. */
        return CP_OK;
    }
    }
}

typedef struct ranked {
    double score;
    uint64_t tiebreak;
    int32_t node;
} ranked;

/* Best first: higher score, then the seeded hash of the external id, then the index (which can
 * only decide between two ids with the same 64-bit hash). */
static int cmp_ranked(const void *a, const void *b) {
    const ranked *x = a, *y = b;
    if (x->score != y->score) {
        return x->score < y->score ? 1 : -1;
    }
    if (x->tiebreak != y->tiebreak) {
        return x->tiebreak < y->tiebreak ? -1 : 1;
    }
    return (x->node > y->node) - (x->node < y->node);
}

/* A greedy key: what removing a node takes away from the objective (primary), from the other
 * reachability measure (secondary) and from the nodes that still reach a target (tertiary), each
 * per unit of the node's cost. */
typedef struct greedy_key {
    double gain[3];
    uint64_t tiebreak;
    int32_t node;
} greedy_key;

static bool greedy_better(const greedy_key *x, const greedy_key *y) {
    for (int q = 0; q < 3; q++) {
        if (x->gain[q] != y->gain[q]) {
            return x->gain[q] > y->gain[q];
        }
    }
    if (x->tiebreak != y->tiebreak) {
        return x->tiebreak < y->tiebreak;
    }
    return x->node < y->node;
}

/* Strategy greedy: up to `want` nodes, each the present candidate whose removal, on top of the
 * current removals and the picks before it, lowers the objective most (greedy_key), evaluated 64
 * candidates per backend pass (one bit per candidate state). Candidates that do not fit in the
 * remaining cost are skipped. Time O(want * ceil(|C| / 64) * (n + m)). */
static cp_status greedy_order(sim *s, int32_t want, int32_t *order, int32_t *count, cp_error *err) {
    const cp_scenario *sc = s->sc;
    bool volume_first = sc->objective == CP_METRIC_REACH_VOLUME;
    int32_t *cand = s->labels; /* scratch: candidates still open */
    int32_t nc = 0;
    double left = s->cost_left;
    for (int32_t v = 0; v < s->n; v++) {
        s->mask[v] = s->removed[v];
        if (s->is_candidate[v] && !s->removed[v]) {
            cand[nc++] = v;
        }
    }
    double reach[64], volume[64];
    /* The objective of the state the next pick starts from. */
    words_from_removed(s);
    cp_status st = reach_batch(s, 1, reach, volume, err);
    if (st != CP_OK) {
        return st;
    }
    double base[3] = {volume_first ? volume[0] : reach[0], volume_first ? reach[0] : volume[0],
                      (double)s->coreach_nodes[0]};
    int32_t made = 0;
    while (made < want) {
        greedy_key best = {{-INFINITY, -INFINITY, -INFINITY}, 0, -1};
        double best_vals[3] = {0, 0, 0};
        int32_t open = 0;
        for (int32_t i = 0; i < nc; i++) {
            if (!s->mask[cand[i]] && node_cost(s, cand[i]) <= left) {
                cand[open++] = cand[i];
            }
        }
        nc = open;
        for (int32_t b0 = 0; b0 < nc; b0 += 64) {
            int steps = nc - b0 < 64 ? (int)(nc - b0) : 64;
            for (int32_t v = 0; v < s->n; v++) {
                s->words[v] = s->mask[v] ? ~0ULL : 0ULL;
            }
            for (int j = 0; j < steps; j++) {
                s->words[cand[b0 + j]] |= 1ULL << j;
            }
            st = reach_batch(s, steps, reach, volume, err);
            if (st != CP_OK) {
                return st;
            }
            for (int j = 0; j < steps; j++) {
                int32_t v = cand[b0 + j];
                double c = node_cost(s, v);
                double vals[3] = {volume_first ? volume[j] : reach[j],
                                  volume_first ? reach[j] : volume[j], (double)s->coreach_nodes[j]};
                greedy_key key = {
                    {(base[0] - vals[0]) / c, (base[1] - vals[1]) / c, (base[2] - vals[2]) / c},
                    s->tiebreak[v],
                    v};
                if (best.node < 0 || greedy_better(&key, &best)) {
                    best = key;
                    memcpy(best_vals, vals, sizeof best_vals);
                }
            }
        }
        if (best.node < 0) {
            break;
        }
        s->mask[best.node] = 1;
        left -= node_cost(s, best.node);
        memcpy(base, best_vals, sizeof base);
        order[made++] = best.node;
    }
    *count = made;
    return CP_OK;
}

/* Ranks the candidates still present, best first, into order[]; returns how many. Greedy gives
 * its first `want` picks only. */
static cp_status rank_candidates(sim *s, int32_t want, int32_t *order, int32_t *count,
                                 cp_error *err) {
    if (s->sc->strategy == CP_STRATEGY_GREEDY) {
        return greedy_order(s, want, order, count, err);
    }
    cp_status st = compute_scores(s, err);
    if (st != CP_OK) {
        return st;
    }
    ranked *keys = cp__malloc_array((size_t)s->n + 1, sizeof *keys);
    if (keys == NULL) {
        return cp_error_set(err, CP_E_NOMEM, "out of memory ranking %d nodes", s->n);
    }
    int32_t c = 0;
    for (int32_t v = 0; v < s->n; v++) {
        if (s->is_candidate[v] && !s->removed[v] &&
            (s->sc->strategy != CP_STRATEGY_LIST || s->score[v] > 0)) {
            keys[c].score = s->score[v];
            keys[c].tiebreak = s->tiebreak[v];
            keys[c].node = v;
            c++;
        }
    }
    qsort(keys, (size_t)c, sizeof *keys, cmp_ranked);
    for (int32_t i = 0; i < c; i++) {
        order[i] = keys[i].node;
    }
    cp__free(keys);
    *count = c;
    return CP_OK;
}

/* ---- the network response ---------------------------------------------------------------- */

typedef struct edge_map {
    int64_t cap;
    int64_t *slot; /* edge index or -1 */
} edge_map;

static uint64_t edge_key_hash(int32_t u, int32_t v, uint8_t l) {
    uint64_t h = ((uint64_t)(uint32_t)u << 32) ^ (uint64_t)(uint32_t)v ^ ((uint64_t)l << 56);
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h;
}

static int64_t edge_map_find(const edge_map *em, const sim *s, int32_t u, int32_t v, uint8_t l) {
    int64_t i = (int64_t)(edge_key_hash(u, v, l) & (uint64_t)(em->cap - 1));
    while (em->slot[i] >= 0) {
        int64_t e = em->slot[i];
        if (s->tail[e] == u && s->head[e] == v && s->layer[e] == l) {
            return e;
        }
        i = (i + 1) & (em->cap - 1);
    }
    return -1;
}

static void edge_map_put(edge_map *em, const sim *s, int64_t e) {
    if (edge_map_find(em, s, s->tail[e], s->head[e], s->layer[e]) >= 0) {
        return;
    }
    int64_t i =
        (int64_t)(edge_key_hash(s->tail[e], s->head[e], s->layer[e]) & (uint64_t)(em->cap - 1));
    while (em->slot[i] >= 0) {
        i = (i + 1) & (em->cap - 1);
    }
    em->slot[i] = e;
}

static bool in_sorted(const int32_t *a, int64_t n, int32_t x) {
    int64_t lo = 0, hi = n;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (a[mid] < x) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo < n && a[lo] == x;
}

static cp_status push_reroute(sim *s, const cp_reroute *rr, cp_error *err) {
    cp_scenario_result *r = s->res;
    if (r->n_reroutes == s->reroute_cap) {
        int64_t nc = s->reroute_cap == 0 ? 64 : s->reroute_cap * 2;
        cp_reroute *p = cp__realloc(r->reroutes, (size_t)nc * sizeof *p);
        if (p == NULL) {
            return cp_error_set(err, CP_E_NOMEM, "out of memory recording the network response");
        }
        r->reroutes = p;
        s->reroute_cap = nc;
    }
    r->reroutes[r->n_reroutes++] = *rr;
    return CP_OK;
}

/* Substitutes for removed node r: the scenario's set, or the union of r's own groups; present
 * nodes only, r excluded. Marks them in `mark` (n bytes, cleared by the caller) and lists them. */
static int64_t substitutes_of(const sim *s, int32_t r, uint8_t *mark, int32_t *list) {
    int64_t c = 0;
    if (s->sc->substitutes != NULL) {
        for (int64_t i = 0; i < s->sc->n_substitutes; i++) {
            int32_t x = s->sc->substitutes[i];
            if (!s->removed[x] && x != r && !mark[x]) {
                mark[x] = 1;
                list[c++] = x;
            }
        }
    } else {
        for (int gi = 0; gi < s->g->n_groups; gi++) {
            const cp_group *grp = &s->g->groups[gi];
            if (!in_sorted(grp->members, grp->size, r)) {
                continue;
            }
            for (int64_t i = 0; i < grp->size; i++) {
                int32_t x = grp->members[i];
                if (!s->removed[x] && x != r && !mark[x]) {
                    mark[x] = 1;
                    list[c++] = x;
                }
            }
        }
    }
    for (int64_t i = 0; i < c; i++) {
        mark[list[i]] = 0;
    }
    return c;
}

static int cmp_i32(const void *a, const void *b) {
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

static cp_status respond(sim *s, int32_t round, int32_t step, cp_error *err) {
    cp_status status = CP_OK;
    const cp_scenario *sc = s->sc;
    edge_map em = {0, NULL};
    double *instrength = NULL; /* n per reroutable layer used, computed lazily */
    uint8_t *mark = NULL;
    int32_t *list = NULL;
    int8_t layer_slot[CP_MAX_LAYERS];
    memset(layer_slot, -1, sizeof layer_slot);
    int n_slots = 0;

    if (sc->reroute_p <= 0) {
        return CP_OK;
    }
    em.cap = 64;
    while (em.cap < 2 * s->m + 2) {
        em.cap *= 2;
    }
    em.slot = cp__malloc_array((size_t)em.cap, sizeof *em.slot);
    mark = cp__calloc((size_t)s->n + 1, 1);
    list = cp__malloc_array((size_t)s->n + 1, sizeof *list);
    if (em.slot == NULL || mark == NULL || list == NULL) {
        status = cp_error_set(err, CP_E_NOMEM, "out of memory in the network response");
        goto cleanup;
    }
    memset(em.slot, 0xff, (size_t)em.cap * sizeof *em.slot);
    for (int64_t e = 0; e < s->m; e++) {
        if (s->alive[e] && s->reroutable[s->layer[e]]) {
            edge_map_put(&em, s, e);
        }
    }
    /* In-strength snapshot per reroutable layer, over present tails, taken before any edge
     * moves, so the outcome does not depend on the order edges are visited. */
    for (int64_t e = 0; e < s->m; e++) {
        if (s->reroutable[s->layer[e]] && layer_slot[s->layer[e]] < 0) {
            layer_slot[s->layer[e]] = (int8_t)n_slots++;
        }
    }
    instrength =
        cp__calloc((size_t)(n_slots > 0 ? n_slots : 1) * ((size_t)s->n + 1), sizeof *instrength);
    if (instrength == NULL) {
        status = cp_error_set(err, CP_E_NOMEM, "out of memory in the network response");
        goto cleanup;
    }
    for (int64_t e = 0; e < s->m; e++) {
        if (s->alive[e] && s->reroutable[s->layer[e]] && !s->removed[s->tail[e]] &&
            !s->removed[s->head[e]]) {
            instrength[(size_t)layer_slot[s->layer[e]] * ((size_t)s->n + 1) + s->head[e]] +=
                s->weight[e];
        }
    }
    for (int64_t e = 0; e < s->m; e++) {
        if (!s->alive[e] || !s->reroutable[s->layer[e]]) {
            continue;
        }
        int32_t u = s->tail[e], r = s->head[e];
        if (!s->removed[r] || s->removed_round[r] != round || s->removed[u]) {
            continue;
        }
        uint32_t attempt = s->attempts[e]++;
        s->res->n_dead_edges++;
        double draw = cp_rng_uniform(sc->seed, sc->scenario_id, 0, CP_RNG_REROUTE_TRY,
                                     (uint64_t)s->edge_id[e], attempt);
        if (!(draw < sc->reroute_p)) {
            continue;
        }
        int64_t c = substitutes_of(s, r, mark, list);
        /* The tail itself is no substitute. */
        int64_t w = 0;
        for (int64_t i = 0; i < c; i++) {
            if (list[i] != u) {
                list[w++] = list[i];
            }
        }
        c = w;
        if (c == 0) {
            continue;
        }
        qsort(list, (size_t)c, sizeof *list, cmp_i32);
        const double *ins = instrength + (size_t)layer_slot[s->layer[e]] * ((size_t)s->n + 1);
        double total = 0;
        for (int64_t i = 0; i < c; i++) {
            total += ins[list[i]];
        }
        double pick = cp_rng_uniform(sc->seed, sc->scenario_id, 0, CP_RNG_REROUTE_PICK,
                                     (uint64_t)s->edge_id[e], attempt);
        int32_t to = list[c - 1];
        if (total > 0) {
            double target = pick * total, acc = 0;
            for (int64_t i = 0; i < c; i++) {
                acc += ins[list[i]];
                if (target < acc) {
                    to = list[i];
                    break;
                }
            }
        } else {
            int64_t idx = (int64_t)(pick * (double)c);
            to = list[idx < c ? idx : c - 1];
        }
        cp_reroute rr = {round, step, s->edge_id[e], u, r, to, s->weight[e], 0};
        int64_t f = edge_map_find(&em, s, u, to, s->layer[e]);
        if (f >= 0 && f != e && s->alive[f]) {
            s->weight[f] += s->weight[e];
            s->alive[e] = 0;
            rr.merged = 1;
        } else {
            s->head[e] = to;
            edge_map_put(&em, s, e);
        }
        CP_TRY(push_reroute(s, &rr, err));
    }
cleanup:
    cp__free(em.slot);
    cp__free(instrength);
    cp__free(mark);
    cp__free(list);
    return status;
}

/* ---- the ownership closure and reinsertion ----------------------------------------------- */

static cp_status push_closure(sim *s, int32_t v, int32_t round, int32_t step, cp_error *err) {
    cp_scenario_result *r = s->res;
    if (r->n_closure == s->closure_cap) {
        int64_t nc = s->closure_cap == 0 ? 64 : s->closure_cap * 2;
        int32_t *a = cp__realloc(r->closure_nodes, (size_t)nc * sizeof *a);
        if (a != NULL) {
            r->closure_nodes = a;
        }
        int32_t *b = cp__realloc(r->closure_round, (size_t)nc * sizeof *b);
        if (b != NULL) {
            r->closure_round = b;
        }
        int32_t *c = cp__realloc(r->closure_step, (size_t)nc * sizeof *c);
        if (c != NULL) {
            r->closure_step = c;
        }
        if (a == NULL || b == NULL || c == NULL) {
            return cp_error_set(err, CP_E_NOMEM, "out of memory recording the closure");
        }
        s->closure_cap = nc;
    }
    r->closure_nodes[r->n_closure] = v;
    r->closure_round[r->n_closure] = round;
    r->closure_step[r->n_closure] = step;
    r->n_closure++;
    return CP_OK;
}

/* After a round: every node removed so far counts as designated; what the regime's rule then
 * blocks (cp_ownership_block_params) is removed too, in this round, except protected nodes.
 * *added: how many. O(n + m). */
static cp_status apply_closure(sim *s, int32_t round, int32_t step, int32_t *added, cp_error *err) {
    cp_status status = CP_OK;
    cp_block_result *br = NULL;
    cp_regime_params params;
    *added = 0;
    CP_TRY(cp_regime_params_init(&params, (cp_regime)s->sc->closure));
    CP_TRY(cp_ownership_block_params(&br, s->g, s->closure_layer, s->removed, &params, err));
    for (int32_t v = 0; v < s->n; v++) {
        if (br->blocked[v] == 2 && !s->removed[v] && !s->is_protected[v]) {
            s->removed[v] = 1;
            s->removed_round[v] = round;
            CP_TRY(push_closure(s, v, round, step, err));
            (*added)++;
        }
    }
cleanup:
    cp_block_result_free(&br);
    return status;
}

/* Reinsertion (A. Braunstein, L. Dall'Asta, G. Semerjian and L. Zdeborova, "Network dismantling",
 * PNAS 113 (2016) 12368): with the objective's value after the last round as the bar, give back,
 * one at a time, the strategy-removed node whose return leaves the objective lowest (ties: fewer
 * nodes reaching a target, then the seeded hash), as long as it stays at or below the bar.
 * Reachability objectives evaluate 64 returns per backend pass; the others one measurement each.
 * Time O(k^2 / 64 (n + m)) for reach, O(k^2) measurements otherwise. */
static cp_status reinsert(sim *s, int32_t made, cp_error *err) {
    cp_status status = CP_OK;
    cp_scenario_result *r = s->res;
    cp_metric obj = s->sc->objective;
    bool batched = obj == CP_METRIC_REACH || obj == CP_METRIC_REACH_VOLUME;
    double vals[CP_METRIC_COUNT];
    int32_t *open = cp__malloc_array((size_t)made + 1, sizeof *open);
    r->reinserted = cp__malloc_array((size_t)made + 1, sizeof *r->reinserted);
    if (open == NULL || r->reinserted == NULL) {
        status = cp_error_set(err, CP_E_NOMEM, "out of memory for reinsertion");
        goto cleanup;
    }
    memcpy(open, r->removed, (size_t)made * sizeof *open);
    int32_t n_open = made;
    s->metric_mask = 1u << obj;
    CP_TRY(measure_state(s, vals, err));
    double bar = vals[obj];
    double slack = 1e-12 * (fabs(bar) > 1 ? fabs(bar) : 1);
    for (;;) {
        int32_t best = -1, best_i = -1;
        double best_val = INFINITY, best_nodes = INFINITY;
        for (int32_t b0 = 0; b0 < n_open; b0 += batched ? 64 : 1) {
            int steps = batched ? (n_open - b0 < 64 ? (int)(n_open - b0) : 64) : 1;
            double reach[64], volume[64];
            if (batched) {
                words_from_removed(s);
                for (int j = 0; j < steps; j++) {
                    s->words[open[b0 + j]] &= ~(1ULL << j);
                }
                CP_TRY(reach_batch(s, steps, reach, volume, err));
            }
            for (int j = 0; j < steps; j++) {
                int32_t v = open[b0 + j];
                double val, nodes = 0;
                if (batched) {
                    val = obj == CP_METRIC_REACH ? reach[j] : volume[j];
                    nodes = (double)s->coreach_nodes[j];
                } else {
                    s->removed[v] = 0;
                    status = measure_state(s, vals, err);
                    s->removed[v] = 1;
                    if (status != CP_OK) {
                        goto cleanup;
                    }
                    val = vals[obj];
                }
                if (!(val <= bar + slack)) {
                    continue;
                }
                bool better = best < 0 || val < best_val ||
                              (val == best_val &&
                               (nodes < best_nodes ||
                                (nodes == best_nodes && s->tiebreak[v] < s->tiebreak[best])));
                if (better) {
                    best = v;
                    best_i = b0 + j;
                    best_val = val;
                    best_nodes = nodes;
                }
            }
        }
        if (best < 0) {
            break;
        }
        s->removed[best] = 0;
        s->removed_round[best] = -1;
        r->reinserted[r->n_reinserted++] = best;
        open[best_i] = open[--n_open];
    }
    s->metric_mask = s->sc->metrics;
    CP_TRY(measure_state(s, vals, err));
    for (int k = 0; k < CP_METRIC_COUNT; k++) {
        if (wants(s, (cp_metric)k)) {
            r->after_reinsertion[k] = vals[k];
        }
    }
cleanup:
    s->metric_mask = s->sc->metrics;
    cp__free(open);
    return status;
}

/* ---- the run ----------------------------------------------------------------------------- */

static void free_sim(sim *s) {
    cp__free(s->tail);
    cp__free(s->head);
    cp__free(s->weight);
    cp__free(s->layer);
    cp__free(s->alive);
    cp__free(s->edge_id);
    cp__free(s->attempts);
    cp_view_free(&s->view);
    cp__free(s->removed);
    cp__free(s->removed_round);
    cp__free(s->in_s);
    cp__free(s->in_t);
    cp__free(s->is_candidate);
    cp__free(s->tiebreak);
    cp__free(s->source_strength);
    cp__free(s->words);
    cp__free(s->coreach);
    cp__free(s->score);
    cp__free(s->labels);
    cp__free(s->counts);
    cp__free(s->is_protected);
    cp__free(s->mask);
    cp__free(s->coreach_nodes);
}

static cp_status check_set(const int32_t *a, int64_t count, int32_t n, const char *what,
                           cp_error *err) {
    for (int64_t i = 0; i < count; i++) {
        if (a[i] < 0 || a[i] >= n) {
            return cp_error_set(err, CP_E_INVALID, "%s: node index %" PRId32 " is outside 0..%d",
                                what, a[i], n - 1);
        }
    }
    return CP_OK;
}

static cp_status validate(const cp_graph *g, const cp_scenario *sc, cp_error *err) {
    if (sc->budget < 0) {
        return cp_error_set(err, CP_E_INVALID, "--budget must be >= 0 (got %d)", sc->budget);
    }
    if (sc->round_size < 1) {
        return cp_error_set(err, CP_E_INVALID, "--round must be >= 1 (got %d)", sc->round_size);
    }
    if (!(sc->reroute_p >= 0 && sc->reroute_p <= 1)) {
        return cp_error_set(err, CP_E_INVALID, "--reroute must lie in [0, 1] (got %g)",
                            sc->reroute_p);
    }
    if ((unsigned)sc->strategy >= CP_STRATEGY_COUNT || (unsigned)sc->mode >= CP_MODE_COUNT) {
        return cp_error_set(err, CP_E_INVALID, "unknown strategy or mode");
    }
    if (sc->n_sources == 0 || sc->n_targets == 0) {
        return cp_error_set(err, CP_E_INVALID,
                            "the scenario needs non-empty sources and targets (got %" PRId64
                            " sources, %" PRId64 " targets)",
                            sc->n_sources, sc->n_targets);
    }
    cp_status st = check_set(sc->sources, sc->n_sources, g->n, "sources", err);
    if (st == CP_OK) {
        st = check_set(sc->targets, sc->n_targets, g->n, "targets", err);
    }
    if (st == CP_OK && sc->candidates != NULL) {
        st = check_set(sc->candidates, sc->n_candidates, g->n, "candidates", err);
    }
    if (st == CP_OK && sc->protected_nodes != NULL) {
        st = check_set(sc->protected_nodes, sc->n_protected, g->n, "protected", err);
    }
    if (st == CP_OK && sc->strategy == CP_STRATEGY_LIST) {
        st = check_set(sc->order, sc->n_order, g->n, "order", err);
    }
    if (st == CP_OK && sc->substitutes != NULL) {
        st = check_set(sc->substitutes, sc->n_substitutes, g->n, "substitutes", err);
    }
    if (st != CP_OK) {
        return st;
    }
    if ((unsigned)sc->objective >= CP_METRIC_COUNT) {
        return cp_error_set(err, CP_E_INVALID, "unknown objective metric");
    }
    if (sc->strategy == CP_STRATEGY_GREEDY && sc->objective != CP_METRIC_REACH &&
        sc->objective != CP_METRIC_REACH_VOLUME) {
        return cp_error_set(err, CP_E_INVALID,
                            "strategy greedy optimises reach or reach-volume, not %s",
                            cp_metric_name(sc->objective));
    }
    if (sc->reinsert && sc->objective == CP_METRIC_PATH_LENGTH) {
        return cp_error_set(err, CP_E_INVALID,
                            "reinsertion needs an objective that falls as the network breaks; "
                            "path-length does not");
    }
    if (sc->reinsert && sc->closure >= 0) {
        return cp_error_set(err, CP_E_INVALID,
                            "reinsertion and an ownership closure do not combine: a node given "
                            "back would unblock what its designation blocked");
    }
    if (sc->closure < -1 || sc->closure > CP_REGIME_EU_2022) {
        return cp_error_set(err, CP_E_INVALID, "closure: unknown regime %d", sc->closure);
    }
    if (!(sc->cost_budget >= 0) || isinf(sc->cost_budget)) {
        return cp_error_set(err, CP_E_INVALID, "the cost budget must be finite and >= 0 (got %g)",
                            sc->cost_budget);
    }
    if (sc->cost != NULL) {
        for (int32_t v = 0; v < g->n; v++) {
            if (!(sc->cost[v] > 0) || isinf(sc->cost[v])) {
                char label[128];
                return cp_error_set(err, CP_E_INVALID,
                                    "node %s: cost %g; costs must be finite and > 0",
                                    cp_graph_node_label(g, v, label, sizeof label), sc->cost[v]);
            }
        }
    }
    return CP_OK;
}

/* The ownership layer a closure runs on: the given index, or the first layer of meaning share. */
static cp_status closure_layer(const cp_graph *g, const cp_scenario *sc, int *layer,
                               cp_error *err) {
    *layer = -1;
    if (sc->closure < 0) {
        return CP_OK;
    }
    if (sc->closure_layer >= 0) {
        if (sc->closure_layer >= g->n_layers) {
            return cp_error_set(err, CP_E_INVALID, "closure layer %d: the graph has %d layers",
                                sc->closure_layer, g->n_layers);
        }
        *layer = sc->closure_layer;
        return CP_OK;
    }
    for (int l = 0; l < g->n_layers; l++) {
        if (g->layers[l].meaning == CP_MEANING_SHARE) {
            *layer = l;
            return CP_OK;
        }
    }
    return cp_error_set(err, CP_E_INVALID,
                        "an ownership closure needs a layer of shares (meaning share); the graph "
                        "has none");
}

cp_status cp_simulate_run(cp_scenario_result **res, cp_graph *g, const cp_scenario *sc,
                          const struct cp_backend_ops *backend, cp_error *err) {
    cp_status status = CP_OK;
    sim s;
    memset(&s, 0, sizeof s);
    int32_t *order = NULL, *picks = NULL;
    cp_scenario_result *r = NULL;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    *res = NULL;

    CP_TRY(validate(g, sc, err));
    CP_TRY(closure_layer(g, sc, &s.closure_layer, err));
    s.metric_mask = sc->metrics;
    s.cost_left = sc->cost_budget > 0 ? sc->cost_budget : INFINITY;
    s.g = g;
    s.sc = sc;
    s.n = g->n;
    cp__backend_cpu(&s.cpu);
    s.be = backend != NULL ? backend : &s.cpu;
    uint64_t mask = sc->layer_mask != 0 ? sc->layer_mask : ~0ULL;
    for (int l = 0; l < g->n_layers; l++) {
        cp_weight_meaning mean = g->layers[l].meaning;
        s.reroutable[l] = mean == CP_MEANING_AMOUNT || mean == CP_MEANING_COUNT;
    }
    int64_t m = 0;
    for (int64_t e = 0; e < g->m; e++) {
        m += (mask >> g->layer[e]) & 1u;
    }
    size_t n1 = (size_t)s.n + 1, m1 = (size_t)m + 1;
    s.m = m;
    s.tail = cp__malloc_array(m1, sizeof *s.tail);
    s.head = cp__malloc_array(m1, sizeof *s.head);
    s.weight = cp__malloc_array(m1, sizeof *s.weight);
    s.layer = cp__malloc_array(m1, sizeof *s.layer);
    s.alive = cp__malloc_array(m1, sizeof *s.alive);
    s.edge_id = cp__malloc_array(m1, sizeof *s.edge_id);
    s.attempts = cp__calloc(m1, sizeof *s.attempts);
    s.removed = cp__calloc(n1, 1);
    s.removed_round = cp__malloc_array(n1, sizeof *s.removed_round);
    s.in_s = cp__calloc(n1, 1);
    s.in_t = cp__calloc(n1, 1);
    s.is_candidate = cp__calloc(n1, 1);
    s.tiebreak = cp__malloc_array(n1, sizeof *s.tiebreak);
    s.source_strength = cp__calloc((size_t)sc->n_sources + 1, sizeof *s.source_strength);
    s.words = cp__malloc_array(n1, sizeof *s.words);
    s.coreach = cp__malloc_array(n1, sizeof *s.coreach);
    s.score = cp__calloc(n1, sizeof *s.score);
    s.labels = cp__malloc_array(n1, sizeof *s.labels);
    s.counts = cp__calloc(n1, sizeof *s.counts);
    s.is_protected = cp__calloc(n1, 1);
    s.mask = cp__calloc(n1, 1);
    s.coreach_nodes = cp__calloc(64, sizeof *s.coreach_nodes);
    order = cp__malloc_array(n1, sizeof *order);
    picks = cp__malloc_array(n1, sizeof *picks);
    r = cp__calloc(1, sizeof *r);
    if (s.tail == NULL || s.head == NULL || s.weight == NULL || s.layer == NULL ||
        s.alive == NULL || s.edge_id == NULL || s.attempts == NULL || s.removed == NULL ||
        s.removed_round == NULL || s.in_s == NULL || s.in_t == NULL || s.is_candidate == NULL ||
        s.tiebreak == NULL || s.source_strength == NULL || s.words == NULL || s.coreach == NULL ||
        s.score == NULL || s.labels == NULL || s.counts == NULL || s.is_protected == NULL ||
        s.mask == NULL || s.coreach_nodes == NULL || order == NULL || picks == NULL || r == NULL) {
        status =
            cp_error_set(err, CP_E_NOMEM,
                         "out of memory setting up a scenario (n = %d, m = %" PRId64 ")", s.n, m);
        goto cleanup;
    }
    s.res = r;
    int64_t k = 0;
    for (int64_t e = 0; e < g->m; e++) {
        if ((mask >> g->layer[e]) & 1u) {
            s.tail[k] = g->src[e];
            s.head[k] = g->dst[e];
            s.weight[k] = g->weight[e];
            s.layer[k] = g->layer[e];
            s.alive[k] = 1;
            s.edge_id[k] = e;
            k++;
        }
    }
    for (int32_t v = 0; v < s.n; v++) {
        s.removed_round[v] = -1;
        s.tiebreak[v] = cp_rng_u64(sc->seed, 0, 0, CP_RNG_TIEBREAK, label_hash(g, v), 0);
    }
    for (int64_t i = 0; i < sc->n_sources; i++) {
        s.in_s[sc->sources[i]] = 1;
    }
    int64_t overlap = 0;
    for (int64_t i = 0; i < sc->n_targets; i++) {
        overlap += s.in_s[sc->targets[i]];
        s.in_t[sc->targets[i]] = 1;
    }
    if (overlap > 0 && ((sc->metrics >> CP_METRIC_FLOW) & 1u || sc->strategy == CP_STRATEGY_FLOW)) {
        status =
            cp_error_set(err, CP_E_INVALID,
                         "%" PRId64 " nodes are both sources and targets: the S-T maximum flow "
                         "is unbounded; make the sets disjoint",
                         overlap);
        goto cleanup;
    }
    if (sc->candidates != NULL) {
        for (int64_t i = 0; i < sc->n_candidates; i++) {
            s.is_candidate[sc->candidates[i]] = 1;
        }
    } else {
        for (int32_t v = 0; v < s.n; v++) {
            s.is_candidate[v] = !s.in_s[v] && !s.in_t[v];
        }
    }
    for (int64_t i = 0; i < sc->n_protected; i++) {
        s.is_candidate[sc->protected_nodes[i]] = 0;
        s.is_protected[sc->protected_nodes[i]] = 1;
    }
    CP_TRY(rebuild_view(&s, err));

    /* Intact reference values: denominators use the intact graph. */
    for (int64_t i = 0; i < sc->n_sources; i++) {
        int32_t v = sc->sources[i];
        double st = 0;
        for (int64_t q = s.view->offsets[v]; q < s.view->offsets[v + 1]; q++) {
            st += s.view->weights[q];
        }
        s.source_strength[i] = st;
        s.total_source_strength += st;
    }
    s.total_pairs = (double)sc->n_sources * (double)sc->n_targets - (double)overlap;
    if ((sc->metrics >> CP_METRIC_FLOW) & 1u) {
        CP_TRY(cp_st_maxflow(&r->intact_flow, NULL, s.view, NULL, sc->sources, sc->n_sources,
                             sc->targets, sc->n_targets, err));
    }
    if ((sc->metrics >> CP_METRIC_PAIRS) & 1u) {
        CP_TRY(cp_st_pairs(&r->intact_pairs, s.view, NULL, sc->sources, sc->n_sources, sc->targets,
                           sc->n_targets, err));
    }

    r->budget = sc->budget;
    r->removed = cp__malloc_array((size_t)sc->budget + 1, sizeof *r->removed);
    r->removed_round = cp__malloc_array((size_t)sc->budget + 1, sizeof *r->removed_round);
    r->cost_spent = cp__calloc((size_t)sc->budget + 1, sizeof *r->cost_spent);
    for (int mk = 0; mk < CP_METRIC_COUNT; mk++) {
        r->after_reinsertion[mk] = NAN;
    }
    if (r->removed == NULL || r->removed_round == NULL || r->cost_spent == NULL) {
        status = cp_error_set(err, CP_E_NOMEM, "out of memory for a budget of %d", sc->budget);
        goto cleanup;
    }
    for (int mk = 0; mk < CP_METRIC_COUNT; mk++) {
        if ((sc->metrics >> mk) & 1u) {
            r->curve[mk] = cp__calloc((size_t)sc->budget + 1, sizeof(double));
            r->curve_before[mk] = cp__calloc((size_t)sc->budget + 1, sizeof(double));
            if (r->curve[mk] == NULL || r->curve_before[mk] == NULL) {
                status = cp_error_set(err, CP_E_NOMEM, "out of memory for curves");
                goto cleanup;
            }
        }
    }
    /* Step 0: the intact graph. */
    CP_TRY(measure_at(&s, 0, true, err));

    int32_t step = 0, round = 0;
    int32_t n_order = 0, next = 0;
    while (step < sc->budget) {
        int32_t want =
            sc->mode == CP_MODE_SIMULTANEOUS
                ? sc->budget - step
                : (sc->round_size < sc->budget - step ? sc->round_size : sc->budget - step);
        if (round == 0 || sc->rerank) {
            CP_TRY(
                rank_candidates(&s, sc->rerank ? want : sc->budget - step, order, &n_order, err));
            next = 0;
        }
        /* Without re-ranking, later rounds take the next nodes of the first ranking. A node
         * whose cost does not fit in what is left is passed over for good (what is left only
         * shrinks). */
        int32_t take = 0;
        while (take < want && next < n_order) {
            int32_t v = order[next++];
            if (node_cost(&s, v) <= s.cost_left) {
                picks[take++] = v;
                s.cost_left -= node_cost(&s, v);
            }
        }
        if (take == 0) {
            break;
        }
        CP_TRY(remove_and_measure(&s, picks, take, step, round, err));
        step += take;
        if (sc->closure >= 0) {
            int32_t added = 0;
            CP_TRY(apply_closure(&s, round, step, &added, err));
            if (added > 0) {
                CP_TRY(measure_at(&s, step, true, err));
            }
        }
        if (sc->mode != CP_MODE_ADAPTIVE && sc->reroute_p > 0) {
            CP_TRY(respond(&s, round, step, err));
            CP_TRY(rebuild_view(&s, err));
            CP_TRY(measure_at(&s, step, false, err));
        }
        round++;
    }
    r->n_removed = step;
    r->n_rounds = round;
    for (int32_t i = step + 1; i <= sc->budget; i++) {
        r->cost_spent[i] = r->cost_spent[step];
    }
    if (sc->reinsert && step > 0) {
        CP_TRY(reinsert(&s, step, err));
    }
    for (int mk = 0; mk < CP_METRIC_COUNT; mk++) {
        if (r->curve[mk] != NULL) {
            for (int32_t i = step + 1; i <= sc->budget; i++) {
                r->curve[mk][i] = r->curve[mk][step];
                r->curve_before[mk][i] = r->curve[mk][step];
            }
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    r->seconds = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
    *res = r;
    r = NULL;
cleanup:
    cp_scenario_result_free(&r);
    cp__free(order);
    cp__free(picks);
    free_sim(&s);
    return status;
}
