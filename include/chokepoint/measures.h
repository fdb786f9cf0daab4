/* chokepoint: every node measure by name, with one set of parameters: what `rank` computes and
 * what the measure-driven strategies of `simulate` rank by. Each entry calls the kernel documented
 * in centrality.h, betweenness.h, spectral.h or distance.h. */
#ifndef CHOKEPOINT_MEASURES_H
#define CHOKEPOINT_MEASURES_H

#include <stdbool.h>
#include <stdint.h>

#include "chokepoint/distance.h"
#include "chokepoint/spectral.h"
#include "chokepoint/status.h"
#include "chokepoint/view.h"

#ifdef __cplusplus
extern "C" {
#endif

/* X(name, needs S and T, description) */
#define CP_MEASURE_TABLE(X)                                                                        \
    X("degree", false, "total degree (in + out; a self-loop counts twice)")                        \
    X("in-degree", false, "in-degree")                                                             \
    X("out-degree", false, "out-degree")                                                           \
    X("strength", false, "total strength (sum of weights in and out)")                             \
    X("in-strength", false, "sum of incoming weights")                                             \
    X("out-strength", false, "sum of outgoing weights")                                            \
    X("pagerank", false, "PageRank (damping, personalization; dangling mass follows it)")          \
    X("katz", false, "Katz centrality (in-edge convention)")                                       \
    X("eigenvector", false, "eigenvector centrality (in-edge convention)")                         \
    X("hits-hub", false, "HITS hub score")                                                         \
    X("hits-authority", false, "HITS authority score")                                             \
    X("betweenness", false, "Brandes betweenness (exact, or sampled with --samples)")              \
    X("approx-betweenness", false,                                                                 \
      "betweenness within epsilon with probability 1 - delta (Riondato-Kornaropoulos)")            \
    X("closeness", false, "closeness (Wasserman-Faust on disconnected graphs)")                    \
    X("harmonic", false, "harmonic centrality (sum of 1/d)")                                       \
    X("collective-influence", false,                                                               \
      "collective influence (Morone and Makse 2015), radius --radius")                             \
    X("corehd", false, "degree within the 2-core (CoreHD; Zdeborova, Zhang and Zhou 2016)")        \
    X("st-betweenness", true, "source-target betweenness: the gateway score")                      \
    X("flow", true, "flow through each node in a maximum S-T flow (amounts as capacities)")

/* Parameters of every measure; cp_measure_params_init sets the defaults noted. */
typedef struct cp_measure_params {
    cp_length length;              /* shortest-path measures; default hops */
    bool normalized;               /* betweenness family, harmonic; default false */
    bool endpoints;                /* betweenness; default false */
    int64_t samples;               /* betweenness: sources sampled, 0 = exact (default) */
    double epsilon, delta;         /* approx-betweenness; default 0.01, 0.1 */
    double damping;                /* pagerank; default 0.85 */
    const double *personalization; /* pagerank: n entries or NULL (uniform) */
    double katz_alpha;             /* default 0.1 */
    double katz_beta;              /* default 1.0 */
    bool weighted;             /* pagerank, katz, eigenvector, hits: use weights; default false */
    cp_distance_dir direction; /* closeness, harmonic; default incoming */
    bool per_component;        /* closeness without the Wasserman-Faust factor; default false */
    double tol;                /* iterative measures; default 1e-10 */
    int64_t max_iter;          /* iterative measures; default 1000 */
    const int32_t *sources;    /* S and T for st-betweenness and flow */
    int64_t n_sources;
    const int32_t *targets;
    int64_t n_targets;
    uint64_t seed; /* sampled and approximate betweenness; default 1 */
    int radius;    /* collective-influence ball radius; default 2 */
} cp_measure_params;

void cp_measure_params_init(cp_measure_params *p);

/* What a run reports beside the scores. */
typedef struct cp_measure_info {
    cp_iter_info iter; /* iterative measures: iterations, final change, converged */
    bool iterative;
    double connected_pairs; /* st-betweenness */
    double max_flow;        /* flow */
    int64_t samples;        /* approx-betweenness: r pairs; betweenness: sources used */
} cp_measure_info;

/* True when `name` is a measure; *needs_st (may be NULL) says whether it needs S and T. */
bool cp_measure_known(const char *name, bool *needs_st);

/* Comma-separated list of every measure name, for messages. */
const char *cp_measure_names(void);

/* Computes measure `name` for every node of v minus removed nodes into score (n doubles,
 * caller-owned). info may be NULL. Status: that of the kernel (warnings CP_W_NOT_CONVERGED and
 * CP_W_NOT_STRONGLY_CONNECTED pass through with the scores filled); CP_E_INVALID for an unknown
 * name or missing S / T. */
cp_status cp_measure_compute(const char *name, double *score, const cp_view *v,
                             const uint8_t *removed, const cp_measure_params *p,
                             cp_measure_info *info, cp_error *err);

#ifdef __cplusplus
}
#endif
#endif
