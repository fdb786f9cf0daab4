/* chokepoint: graph generators. Identical bytes for an identical seed (Philox keyed by the seed,
 * no global state, no dependence on thread count). */
#ifndef CHOKEPOINT_GENERATE_H
#define CHOKEPOINT_GENERATE_H

#include <stdint.h>

#include "chokepoint/graph.h"
#include "chokepoint/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The synthetic evasion network modelled on the brief: origin entities in one country; many small
 * front companies abroad owned by them; a few large gateway firms that also carry much licit trade;
 * banks as targets. Two layers: `ownership` (owner -> owned, share as a fraction) and
 * `transaction` (payer -> payee, amount in USD). Groups: origin, front, gateway, bank, licit.
 *
 * Nodes, with integer ids equal to their indices, in this order: n_origin origin entities (kind
 * company or government, country "XS", a user-assigned ISO 3166 code standing for the synthetic
 * sanctioned state; designated = 1), n_front front companies (company; transit-hub countries such
 * as AE, HK, TR, MY, SG, CN, RU, IN), n_gateway gateway firms (company; the same hubs), n_bank
 * banks (bank; US, GB, DE, CH, FR, JP, SG, HK) and n_licit licit traders (company; many countries).
 *
 * Ownership: each front is owned by 1 to 3 distinct origin entities with shares in whole percent
 * summing to exactly 1 (e.g. 1.0; 0.5/0.5; 0.3/0.3/0.4); a fraction p_front_partial of the fronts
 * is owned only 25-49% by origins and the rest by 1 or 2 licit traders, so that the 50 percent
 * rule does not reach them. Each origin, with probability p_gateway_stake, holds a 10-45% stake in
 * one gateway (skipped where the gateway's origin stakes would pass 100%).
 *
 * Transactions (amounts in USD, rounded to cents, always > 0): every front has a yearly volume
 * (lognormal with median front_volume), paid in by its origin owners in proportion to their
 * shares. With probability p_front_bank the front sends 20-60% of it straight to a bank (leakage
 * that no gateway removal cuts); the rest goes to front_gateways distinct gateways drawn with
 * probability proportional to gateway size (sizes Zipf with exponent gateway_zipf over a seeded
 * random order of the gateways, so a few gateways are large). Licit traders pay 1 or 2 gateways
 * (drawn the same way) so that licit trade is licit_share of each gateway's inflow, and pay 1 or
 * 2 banks directly. Each gateway passes its whole inflow on to 2-4 banks; a few gateway -> gateway
 * trade edges (1-5% of the payer's inflow) link the gateways.
 *
 * Every random decision is a Philox draw keyed by (seed, decision, entity), so the graph depends
 * on the parameters only. */
typedef struct cp_sanctions_net_params {
    int32_t n_origin;       /* default 20; >= 1 when n_front > 0 */
    int32_t n_front;        /* default 400 */
    int32_t n_gateway;      /* default 12 */
    int32_t n_bank;         /* default 30 */
    int32_t n_licit;        /* default 2000: licit traders */
    int32_t front_gateways; /* gateways each front pays into, default 2; 0..min(n_gateway, 65536) */
    double gateway_zipf;    /* skew of gateway size (Zipf exponent, >= 0; 0: equal), default 1.0 */
    double p_front_bank;    /* probability a front also pays a bank directly, default 0.03 */
    double licit_share;     /* fraction of gateway inflow that is licit trade, in [0, 1); 0.8 */
    double p_gateway_stake; /* probability an origin holds a minority stake in a gateway, 0.2 */
    double p_front_partial; /* probability a front is owned only 25-49% by origins, default 0.1 */
    double front_volume;    /* median yearly volume of a front in USD (> 0), default 2e6 */
    uint64_t seed;          /* default 1 */
} cp_sanctions_net_params;

/* Sets every field of *p to its default. */
void cp_sanctions_net_params_init(cp_sanctions_net_params *p);

/* Generates the network into a new graph *g (set to NULL on entry and on error; the caller frees
 * it with cp_graph_free). g->description summarises the parameters.
 * Status: CP_OK; CP_E_INVALID naming the bad parameter (negative counts, more than 2^31 - 1
 * nodes, probabilities outside [0, 1], licit_share outside [0, 1), a negative or non-finite
 * gateway_zipf, front_volume not finite and > 0, front_gateways < 0 or > n_gateway, fronts without
 * origins); CP_E_NOMEM. Time O(n + m) (m is about 2 n_front + 3.5 n_licit + 4 n_gateway); serial.
 */
cp_status cp_generate_sanctions_net(cp_graph **g, const cp_sanctions_net_params *p, cp_error *err);

/* Graph500-style R-MAT / Kronecker graph: 2^scale nodes, edge_factor * 2^scale directed edges in
 * one layer `edges` (weights 1.0, or uniform in (0, 1] when weighted), quadrant probabilities
 * a, b, c (d = 1 - a - b - c; Graph500: 0.57, 0.19, 0.19), node labels permuted by a seeded
 * permutation. Self-loops and parallel edges are kept, as Graph500 generates them.
 *
 * Reference: D. Chakrabarti, Y. Zhan and C. Faloutsos, "R-MAT: a recursive model for graph
 * mining", SIAM SDM 2004; Graph500 benchmark specification (Kronecker generator). Edge e descends
 * `scale` levels of the adjacency matrix, choosing at each level the quadrant (src bit, dst bit) =
 * (0,0) with probability a, (0,1) with b, (1,0) with c and (1,1) with d, from Philox uniforms
 * keyed by (seed, e, level); unlike Graph500 the probabilities carry no per-level noise. Node
 * labels are then permuted by a Fisher-Yates shuffle whose draws are keyed by position. Node ids
 * equal the indices; there are no groups. */
typedef struct cp_rmat_params {
    int scale;       /* default 16; 1..30 */
    int edge_factor; /* default 16; >= 1 */
    double a, b, c;  /* default 0.57, 0.19, 0.19; each in [0, 1], a + b + c <= 1 */
    int weighted;    /* default 0 */
    uint64_t seed;   /* default 1 */
} cp_rmat_params;

/* Sets every field of *p to its default (the Graph500 parameters, scale 16). */
void cp_rmat_params_init(cp_rmat_params *p);

/* Generates the R-MAT graph into a new graph *g (NULL on entry and on error; free with
 * cp_graph_free). Edge generation and relabelling run in parallel with OpenMP; the result does not
 * depend on the thread count. Memory: 17 bytes per edge plus 4 per node beyond the graph itself
 * (scale 26 with edge_factor 16: about 18 GB).
 * Status: CP_OK; CP_E_INVALID naming the bad parameter (scale outside 1..30, edge_factor < 1,
 * more than 2^48 edges, a probability outside [0, 1] or a + b + c > 1); CP_E_NOMEM.
 * Time O(m scale / threads + n). */
cp_status cp_generate_rmat(cp_graph **g, const cp_rmat_params *p, cp_error *err);

/* Per-layer counts of a rewiring (index: layer in name order, as in a view's layer mask). */
typedef struct cp_rewire_stats {
    int64_t attempts[64]; /* swaps tried: round(swaps_per_edge * m_layer); 0 on unselected layers */
    int64_t accepted[64]; /* swaps made */
    int64_t frozen[64];   /* edges never moved: self-loops and every copy of a multi-edge */
    int64_t total_attempts, total_accepted;
} cp_rewire_stats;

/* Degree-preserving rewiring (the null model of `simulate --null rewire`): a new graph *out whose
 * selected layers are a random graph with exactly the degree sequence of g's, by repeated
 * double-edge swaps (S. Maslov and K. Sneppen, "Specificity and stability in topology of protein
 * networks", Science 296:910, 2002).
 *
 * On a directed layer an attempt picks two of the layer's movable edges a -> b and c -> d
 * (positions drawn uniformly and independently; the same edge twice is a rejected attempt) and
 * replaces them by a -> d and c -> b. On an undirected layer a fair coin first reads the second
 * edge as c - d or d - c, so the swap is a-b, c-d -> a-d, c-b or a-c, d-b. A swap is rejected
 * when it would make a self-loop or an edge already present on that layer (both orientations
 * count on an undirected layer), so a simple layer stays simple. Every node keeps exactly its
 * in- and out-degree on each directed layer and its degree on each undirected layer.
 *
 * Edges keep their index, layer, weight and time: on a directed layer only the head moves (each
 * weight stays with its tail); on an undirected layer each edge keeps one endpoint, stored as its
 * src, with its weight. Self-loops and every copy of a pair joined more than once on a layer
 * (both orientations, on an undirected layer) are frozen: kept exactly as they are, never moved,
 * and never created. Layers not selected, the node table (ids, names, kinds, countries,
 * designations), layer declarations and groups are copied unchanged; the description notes the
 * rewiring.
 *
 * The directed double-edge swap does not connect every realisation of a degree sequence (a
 * directed triangle cannot be reversed by it; A. R. Rao, R. Jana and S. Bandyopadhyay, Sankhya A
 * 58:225, 1996), so the model samples among the graphs the swaps reach from g; on sparse graphs,
 * with about 10 swaps per edge, the original edges are almost all gone.
 *
 * Randomness: attempt k on layer l uses Philox (kernels/common/philox.h, purpose CP_RNG_REWIRE)
 * keyed by (seed, stream, l, k) only, so the result depends on (g, layer_mask, swaps_per_edge,
 * seed, stream) and not on threads; different streams give independent rewirings of one seed.
 *
 * out: set to NULL on entry and on error; the caller frees it with cp_graph_free.
 * layer_mask: bit i selects layer i (layers in name order); 0 selects every layer.
 * swaps_per_edge: >= 0 and finite; layer l gets round(swaps_per_edge * m_l) attempts.
 * stats: may be NULL; else filled (zeroed first).
 * Status: CP_OK; CP_E_INVALID for a NULL out or g, a mask bit naming no layer, a negative or
 * non-finite swaps_per_edge or more than 2^48 attempts on a layer; CP_E_NOMEM.
 * Time O(n + m + attempts) expected (a hash set of the layer's pairs checks duplicates in O(1));
 * memory O(n + m); serial. */
cp_status cp_graph_rewire(cp_graph **out, const cp_graph *g, uint64_t layer_mask,
                          double swaps_per_edge, uint64_t seed, uint32_t stream,
                          cp_rewire_stats *stats, cp_error *err);

#ifdef __cplusplus
}
#endif
#endif
