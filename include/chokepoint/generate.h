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
 * `transaction` (payer -> payee, amount in USD). Groups: origin, front, gateway, bank, licit. */
typedef struct cp_sanctions_net_params {
    int32_t n_origin;       /* default 20 */
    int32_t n_front;        /* default 400 */
    int32_t n_gateway;      /* default 12 */
    int32_t n_bank;         /* default 30 */
    int32_t n_licit;        /* default 2000: licit traders */
    int32_t front_gateways; /* gateways each front pays into, default 2 */
    double gateway_zipf;    /* skew of gateway size (Zipf exponent), default 1.0 */
    double p_front_bank;    /* probability a front also pays a bank directly, default 0.03 */
    double licit_share;     /* fraction of gateway inflow that is licit trade, default 0.8 */
    double p_gateway_stake; /* probability an origin holds a minority stake in a gateway, 0.2 */
    uint64_t seed;          /* default 1 */
} cp_sanctions_net_params;

void cp_sanctions_net_params_init(cp_sanctions_net_params *p);

/* Generates the network. CP_E_INVALID naming the bad parameter (negative counts, probabilities
 * outside [0, 1], front_gateways > n_gateway), CP_E_NOMEM. O(n + m). */
cp_status cp_generate_sanctions_net(cp_graph **g, const cp_sanctions_net_params *p, cp_error *err);

/* Graph500-style R-MAT / Kronecker graph: 2^scale nodes, edge_factor * 2^scale directed edges in
 * one layer `edges` (weights 1.0, or uniform in (0, 1] when weighted), quadrant probabilities
 * a, b, c (d = 1 - a - b - c; Graph500: 0.57, 0.19, 0.19), node labels permuted by a seeded
 * permutation. Self-loops and parallel edges are kept, as Graph500 generates them. */
typedef struct cp_rmat_params {
    int scale;       /* default 16 */
    int edge_factor; /* default 16 */
    double a, b, c;  /* default 0.57, 0.19, 0.19 */
    int weighted;    /* default 0 */
    uint64_t seed;   /* default 1 */
} cp_rmat_params;

void cp_rmat_params_init(cp_rmat_params *p);

cp_status cp_generate_rmat(cp_graph **g, const cp_rmat_params *p, cp_error *err);

#ifdef __cplusplus
}
#endif
#endif
