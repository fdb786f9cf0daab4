/* chokepoint: sanction scenarios (DESIGN section 5).
 *
 * A scenario removes candidate nodes in rounds chosen by a strategy, lets the network respond
 * after each round, and measures disruption between sources S and targets T after every removal.
 * Its result is a set of curves: metric value after removal 0..k (index 0 is the intact graph),
 * measured before and after each network response. */
#ifndef CHOKEPOINT_SIMULATE_H
#define CHOKEPOINT_SIMULATE_H

#include <stdbool.h>
#include <stdint.h>

#include "chokepoint/graph.h"
#include "chokepoint/ownership.h"
#include "chokepoint/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* X(enum, name): strategies, in the order the CLI lists them. */
#define CP_STRATEGY_TABLE(X)                                                                       \
    X(CP_STRATEGY_RANDOM, "random")                                                                \
    X(CP_STRATEGY_DEGREE, "degree")                                                                \
    X(CP_STRATEGY_ST_BETWEENNESS, "st-betweenness")                                                \
    X(CP_STRATEGY_FLOW, "flow")                                                                    \
    X(CP_STRATEGY_LIST, "list")                                                                    \
    X(CP_STRATEGY_STRENGTH, "strength")                                                            \
    X(CP_STRATEGY_PAGERANK, "pagerank")                                                            \
    X(CP_STRATEGY_BETWEENNESS, "betweenness")                                                      \
    X(CP_STRATEGY_APPROX_BETWEENNESS, "approx-betweenness")                                        \
    X(CP_STRATEGY_CLOSENESS, "closeness")                                                          \
    X(CP_STRATEGY_HARMONIC, "harmonic")                                                            \
    X(CP_STRATEGY_KATZ, "katz")                                                                    \
    X(CP_STRATEGY_EIGENVECTOR, "eigenvector")                                                      \
    X(CP_STRATEGY_HITS_HUB, "hits-hub")                                                            \
    X(CP_STRATEGY_HITS_AUTHORITY, "hits-authority")                                                \
    X(CP_STRATEGY_MIN_CUT, "min-cut")                                                              \
    X(CP_STRATEGY_COLLECTIVE_INFLUENCE, "collective-influence")                                    \
    X(CP_STRATEGY_COREHD, "corehd")                                                                \
    X(CP_STRATEGY_GREEDY, "greedy")

typedef enum cp_strategy {
#define CP__STRATEGY_ENUM(e, name) e,
    CP_STRATEGY_TABLE(CP__STRATEGY_ENUM)
#undef CP__STRATEGY_ENUM
        CP_STRATEGY_COUNT
} cp_strategy;

typedef enum cp_mode {
    CP_MODE_SIMULTANEOUS = 0, /* one round of k removals */
    CP_MODE_SEQUENTIAL = 1,   /* ceil(k / b) rounds of b, the network responds after each */
    CP_MODE_ADAPTIVE = 2,     /* sequential rounds, re-ranked, with no network response */
    CP_MODE_COUNT
} cp_mode;

/* X(enum, name, description): disruption metrics. */
#define CP_METRIC_TABLE(X)                                                                         \
    X(CP_METRIC_REACH, "reach", "fraction of sources that reach at least one target")              \
    X(CP_METRIC_REACH_VOLUME, "reach-volume",                                                      \
      "out-strength of the sources that reach a target, as a fraction of all sources' "            \
      "out-strength in the intact graph")                                                          \
    X(CP_METRIC_PAIRS, "pairs",                                                                    \
      "fraction of the (s, t) pairs of S x T (s != t) in which t is reachable from s")             \
    X(CP_METRIC_FLOW, "flow",                                                                      \
      "maximum S-T flow with edge weights as capacities, as a fraction of the intact graph's")     \
    X(CP_METRIC_LCC, "lcc", "size of the largest weakly connected component as a fraction of n")   \
    X(CP_METRIC_PATH_LENGTH, "path-length",                                                        \
      "mean shortest S-T path length in hops among the connected (s, t) pairs (0 when none)")      \
    X(CP_METRIC_EFFICIENCY, "efficiency",                                                          \
      "mean of 1/d(s, t) over the (s, t) pairs of S x T, s != t, in hops (1/inf = 0)")             \
    X(CP_METRIC_SCC_PAIRS, "scc-pairs",                                                            \
      "fraction of the (s, t) pairs of S x T (s != t) in which s and t reach each other (one "     \
      "strongly connected component)")                                                             \
    X(CP_METRIC_LSCC, "lscc", "size of the largest strongly connected component as a fraction of n")

typedef enum cp_metric {
#define CP__METRIC_ENUM(e, name, desc) e,
    CP_METRIC_TABLE(CP__METRIC_ENUM)
#undef CP__METRIC_ENUM
        CP_METRIC_COUNT
} cp_metric;

const char *cp_strategy_name(cp_strategy s);
const char *cp_mode_name(cp_mode m);
const char *cp_metric_name(cp_metric m);
const char *cp_metric_description(cp_metric m);
/* Parse names; CP_E_INVALID for an unknown name. */
cp_status cp_strategy_parse(const char *s, cp_strategy *out);
cp_status cp_mode_parse(const char *s, cp_mode *out);
cp_status cp_metric_parse(const char *s, cp_metric *out);

/* A scenario. Arrays are borrowed for the duration of cp_simulate_run. */
typedef struct cp_scenario {
    uint64_t layer_mask;    /* layers of the view (0: every layer); direction as stored */
    const int32_t *sources; /* S, sorted node indices */
    int64_t n_sources;
    const int32_t *targets; /* T, sorted node indices */
    int64_t n_targets;
    const int32_t *candidates; /* C, sorted; NULL: every node not in S, T or `protected_nodes` */
    int64_t n_candidates;
    const int32_t *protected_nodes; /* never removed; may be NULL */
    int64_t n_protected;
    cp_strategy strategy;
    int32_t budget;     /* k: removals */
    int32_t round_size; /* b: removals per round (sequential, adaptive); >= 1 */
    cp_mode mode;
    bool rerank;                /* re-rank after each round (sequential, adaptive); default true */
    double reroute_p;           /* p in [0, 1]: chance of each dead flow edge to reroute */
    const int32_t *substitutes; /* substitutable nodes; NULL: the removed node's own groups */
    int64_t n_substitutes;
    const struct cp_measure_params *measure; /* parameters of measure strategies (length,
                                                damping, samples...); NULL: defaults. Its S and
                                                T are ignored: sources and targets above count */
    const int32_t *order;                    /* strategy list: the removal order (node indices) */
    int64_t n_order;
    uint32_t metrics; /* bit per cp_metric */
    uint64_t seed;
    uint32_t scenario_id; /* stream id shared by the modes compared at one seed */
    /* The objective of strategy greedy and of reinsertion: a metric, lower = more disrupted.
     * Greedy takes CP_METRIC_REACH or CP_METRIC_REACH_VOLUME; reinsertion any metric but
     * path-length (which does not fall as the network breaks). Default CP_METRIC_REACH. */
    cp_metric objective;
    /* Node costs: n doubles, each > 0 and finite (NULL: every node costs 1). cost_budget > 0
     * caps the total cost of the strategy's removals (0: no cap besides `budget`). */
    const double *cost;
    double cost_budget;
    /* Reinsertion (Braunstein et al. 2016): after the last round, give back removed nodes that
     * turned out unnecessary (see cp_simulate_run). Not combined with a closure. */
    bool reinsert;
    /* Ownership closure after each round: -1 none, else a cp_regime (ofac, eu, uk). */
    int closure;
    int closure_layer; /* ownership layer index; -1: the first layer whose meaning is share */
} cp_scenario;

/* Sets defaults: every layer, budget 10, round size 1, sequential, rerank, p = 0, metrics reach
 * and flow, seed 1, scenario_id 0, objective reach, no costs, no reinsertion, no closure. */
void cp_scenario_init(cp_scenario *sc);

/* One redirected edge of the network response. */
typedef struct cp_reroute {
    int32_t round;  /* round after which it happened (0-based) */
    int32_t step;   /* removals made when it happened */
    int64_t edge;   /* the graph edge (index into the input edges) */
    int32_t source; /* its tail */
    int32_t from;   /* the removed node it ran into */
    int32_t to;     /* the substitute that now receives it */
    double weight;
    uint8_t merged; /* 1: merged into an existing edge source -> to of the same layer */
} cp_reroute;

/* The result of one scenario run. Free with cp_scenario_result_free. */
typedef struct cp_scenario_result {
    int32_t budget;         /* k asked */
    int32_t n_removed;      /* removals made (< k when candidates ran out) */
    int32_t *removed;       /* n_removed node indices, in removal order */
    int32_t *removed_round; /* n_removed: round of each removal */
    int32_t n_rounds;
    /* curve[metric][i], i = 0..budget (entries past n_removed repeat the last value); NULL when
     * the metric was not asked. curve: after the response of a round ending at step i (or just
     * after removal i within a round); curve_before: before it. */
    double *curve[CP_METRIC_COUNT];
    double *curve_before[CP_METRIC_COUNT];
    double intact_flow;  /* absolute maximum flow of the intact graph (units of the weights) */
    double intact_pairs; /* connected pairs in the intact graph */
    int64_t n_reroutes;
    cp_reroute *reroutes;
    int64_t n_dead_edges; /* flow edges that ran into a removed node and got their chance */
    double seconds;       /* wall time */
    double *cost_spent;   /* budget + 1: total cost of the first i removals (repeats past
                             n_removed) */
    /* The closure: nodes the ownership rule blocked after a round, in the order found. */
    int32_t n_closure;
    int32_t *closure_nodes;
    int32_t *closure_round; /* round after which each was blocked */
    int32_t *closure_step;  /* removals made by the strategy then */
    /* Reinsertion: removed nodes given back, in order; the metrics after it (NAN when the
     * metric was not asked or no reinsertion ran). */
    int32_t n_reinserted;
    int32_t *reinserted;
    double after_reinsertion[CP_METRIC_COUNT];
} cp_scenario_result;

struct cp_backend_ops;

/* Runs one scenario on g with the given backend (NULL: CPU).
 *
 * Each round: the strategy ranks the candidates that are still present on the current network
 * (rerank) or once on the intact one, and the best b are removed in rank order (ties broken by a
 * seeded hash of the external id, never by input order); metrics are measured after each
 * removal. Then, except in adaptive mode, the network responds: every edge of a flow layer
 * (meaning amount or count; ownership and control never reroute) that ran into a node removed in
 * this round, from a node still present, gets one chance, with probability p, to be redirected to
 * a present substitute (not its own tail), chosen with probability proportional to the
 * substitute's current in-strength on that layer (uniformly when all are zero); it keeps its
 * weight and merges into an existing edge tail -> substitute of the same layer. The random numbers
 * come from Philox keyed by (seed, scenario_id, purpose) and counted by edge and attempt, so modes
 * compared at one seed share them; with p = 0 sequential equals adaptive exactly.
 *
 * Strategies: random (seeded priority), list (the given order; nodes outside C are skipped),
 * min-cut (the nodes of a minimum S-T vertex cut among the present candidates, cp_min_vertex_cut
 * with the node costs, first; when S and T cannot be separated by candidates, no node is
 * preferred and the seeded tie-break orders them), greedy (one pick at a time, the present
 * candidate whose removal lowers the objective most on top of the removals and picks before it;
 * ties by the other reachability measure, then by the number of nodes that still reach a target;
 * 64 candidates are evaluated per pass of the backend's reachability kernel; with rerank off, the
 * greedy sequence of the intact network is followed), and every measure of
 * include/chokepoint/measures.h by its name (degree, strength, pagerank, betweenness,
 * st-betweenness, flow, closeness, collective-influence, corehd, ...), recomputed on the current
 * network at each re-ranking with the parameters in `measure`.
 *
 * Costs: with `cost`, measures rank by score / cost and greedy by objective drop / cost; with
 * cost_budget > 0 a node whose cost exceeds what is left is passed over (for good) and the run
 * stops when nothing fits; cost_spent records the total. `budget` still caps the removals.
 *
 * Closure (closure >= 0): after each round's removals, every removed node counts as designated
 * and what the regime's ownership rule then blocks (cp_ownership_block_params on closure_layer,
 * with the regime's presets) is removed too, in the same round, before the response; protected
 * nodes are exempt. Blocked nodes do not count against budget or cost and are listed in
 * closure_nodes; curve and curve_before at the round's last step include them.
 *
 * Reinsertion (reinsert): after the last round, strategy-removed nodes are given back one at a
 * time, each time the one whose return leaves the objective lowest, as long as the objective
 * stays at or below its value after the last round (Braunstein, Dall'Asta, Semerjian and
 * Zdeborova, "Network dismantling", PNAS 113 (2016) 12368, which does this for the largest
 * component). The curves are left as they are; reinserted lists the nodes given back and
 * after_reinsertion the metrics of the final state.
 *
 * Metrics: see CP_METRIC_TABLE; denominators use the intact graph (a removed source counts as cut
 * off; removed nodes stay in n). Within a round, reach and reach-volume take 64 removals per
 * backend pass and lcc one reverse union-find pass (cp_percolation_curve_masked).
 *
 * Status: CP_OK; CP_E_INVALID (budget < 0, round size < 1, p outside [0, 1], empty S or T,
 * indices out of range, a cost not finite and > 0, a negative cost budget, greedy with an
 * objective other than reach or reach-volume, reinsertion with path-length or with a closure, a
 * closure without a share layer); CP_E_NOMEM; backend errors. Time per round: the strategy's cost
 * (st-betweenness O(|S| m), flow O(maxflow), greedy O(b |C| / 64 (n + m))) plus, per removal, the
 * metrics' (reach O(m) per 64 removals, lcc O(m) per round, pairs O(|S| m / 64), flow
 * O(maxflow), path-length and efficiency O(|S| m), scc metrics O(n + m)); a closure O(n + m) per
 * round; reinsertion O(k^2 / 64 (n + m)) for reachability objectives. */
cp_status cp_simulate_run(cp_scenario_result **res, cp_graph *g, const cp_scenario *sc,
                          const struct cp_backend_ops *backend, cp_error *err);

void cp_scenario_result_free(cp_scenario_result **res);

/* Robustness index of a curve: mean of curve[1..k] (Schneider et al. 2011 for lcc); 0 for k = 0.
 */
double cp_curve_auc(const double *curve, int32_t k);

#ifdef __cplusplus
}
#endif
#endif
