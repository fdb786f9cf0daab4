/* chokepoint: ownership rules (DESIGN section 4): which entities are blocked when a set of owners
 * is designated. */
#ifndef CHOKEPOINT_OWNERSHIP_H
#define CHOKEPOINT_OWNERSHIP_H

#include <stdint.h>

#include "chokepoint/graph.h"
#include "chokepoint/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum cp_regime {
    CP_REGIME_OFAC = 0,   /* blocked when blocked owners hold >= 50% in aggregate (OFAC FAQs
                             398-402) */
    CP_REGIME_EU = 1,     /* >= 50% in aggregate, or a blocked person controls it (EU Best
                             Practices, update of 3 July 2024) */
    CP_REGIME_UK = 2,     /* > 50% held by one designated person (with what it holds through
                             entities it owns or controls), or control (OFSI General Guidance,
                             chapter 4); holdings of different persons are not added up */
    CP_REGIME_EU_2022 = 3 /* the EU reading before July 2024: > 50% in aggregate, or control */
} cp_regime;

/* "ofac", "eu", "uk", "eu-2022" ("unknown" otherwise), and back: CP_E_INVALID for another name
 * (*out is then unchanged). O(1). */
const char *cp_regime_name(cp_regime regime);
cp_status cp_regime_parse(const char *s, cp_regime *out);

/* Parts per million: shares are held as exact integers, rounded once on input. */
#define CP_PPM_ONE 1000000

/* The outcome of a closure. Arrays are owned by the result; free with cp_block_result_free. */
typedef struct cp_block_result {
    int32_t n;
    uint8_t *blocked;        /* n: 1 designated, 2 blocked by the rule, 0 free */
    int64_t *blocked_ppm;    /* n: aggregate share (ppm) held by blocked owners (exposure) */
    double *exposure;        /* n: blocked_ppm / 1e6 */
    int32_t *round;          /* n: fixed-point round in which the entity became blocked (0 for
                                designated, -1 for free) */
    int64_t *tipped_offsets; /* n + 1: CSR of the owners that tipped each entity */
    int32_t *tipped_by;      /* the blocked owners whose stakes, summed, reached the threshold in
                                the round the entity became blocked (all blocked owners then) */
    int32_t n_designated;
    int32_t n_newly_blocked;
    uint8_t *by_control; /* n: 1 when a rule-blocked entity had, in the round it became blocked,
                            a blocked controller (a control edge from a node of an earlier
                            round); 0 otherwise. tipped_by then lists those controllers too.
                            All 0 when control is off. */
} cp_block_result;

/* control_layer values besides a layer index. */
#define CP_CONTROL_NONE    (-1) /* control does not block */
#define CP_CONTROL_BY_NAME (-2) /* the layer named "control" when the graph has one, else none */

/* The settings of a regime (cp_regime_params_init presets them; callers may change them after).
 *   threshold_ppm  the share of blocked owners that blocks (ppm, 0..1e12)
 *   strict         0: blocked when sum >= threshold_ppm; 1: when sum > threshold_ppm
 *   control_layer  CP_CONTROL_NONE, CP_CONTROL_BY_NAME, or a layer index: an edge u -> v on it
 *                  (any weight, any meaning) says that u controls v; v is blocked once u is.
 *   per_person     0 (the zero value): the stakes of all blocked owners are summed. 1: only the
 *                  stakes attributed to one designated person are summed: a designated node is
 *                  its own person; an entity blocked by the rule is attributed to the person whose
 *                  stakes (or control) blocked it (the smallest node index when several did in the
 *                  same round), so a person's holdings through entities it owns or controls
 *                  count with its direct ones, and different persons' holdings never add up. */
typedef struct cp_regime_params {
    int64_t threshold_ppm;
    int strict;
    int control_layer;
    int per_person;
} cp_regime_params;

/* Converts a share weight to ppm: units "percent" (or "%"; compared without regard to ASCII case)
 * multiply by 1e4, anything else ("fraction", "", NULL) by 1e6; rounded half away from zero, once.
 * The weight is read as its shortest decimal text (the fewest significant digits that convert back
 * to the same double, i.e. what a file most likely said), so 0.5189225 is the tie 518922.5 ppm and
 * gives 518923, although 0.5189225 * 1e6 evaluates to 518922.49999999994 in double.
 * Negative, NaN or infinite weights, and weights of more than 1e12 ppm (a million times 100%),
 * give -1. O(1); thread-safe. */
int64_t cp_share_to_ppm(double weight, const char *units);

/* The least fixed point of the 50 percent rule on the ownership layer `layer` (an index into the
 * graph's layers; its weights are shares, converted with cp_share_to_ppm and the layer's units).
 * An edge u -> v says that u holds the share w of v. Start from the designated nodes (n bytes,
 * non-zero = designated; may be NULL only when n = 0); an entity becomes blocked when the shares
 * held in it by blocked owners (designated or blocked), summed exactly in ppm over all edges
 * (parallel edges add), reach 500000 (OFAC, Revised Guidance on Entities Owned by Persons Whose
 * Property and Interests in Property Are Blocked, 2014, and FAQs 398-402: 50% or more, in the
 * aggregate, directly or indirectly; indirect ownership counts only through blocked entities, and
 * a blocked entity's stake counts in full, not multiplied down the chain). Cycles of ownership
 * are fine; shares summing past 100% are summed as given. Self-ownership edges (u -> u, treasury
 * shares) are ignored: they cannot decide an entity's own status and are left out of exposure.
 *
 * Rounds: designated nodes are round 0; a node whose sum reaches the threshold once every node of
 * round r has added its stakes is blocked in round r + 1. tipped_by lists (ascending, each owner
 * once) the blocked owners with a positive stake in the entity and a smaller round, i.e. those
 * whose stakes were summed when it became blocked; empty for designated and free nodes.
 * blocked_ppm / exposure are final: the stakes of all blocked owners (including owners blocked in
 * later rounds), for every node, free ones included (a 49% exposure is visible). Sums saturate at
 * INT64_MAX.
 *
 * Order- and thread-independent (integer sums). O(n + m) time (each edge is visited once by the
 * frontier), O(n + m) extra memory. The rule above is CP_REGIME_OFAC; the other regimes run
 * cp_ownership_block_params with their presets.
 * Status: CP_OK; CP_E_INVALID (res or g NULL, unknown regime, layer out of range, designated NULL
 * with n > 0, or a share on the layer that cp_share_to_ppm rejects: the message names the edge);
 * CP_E_NOMEM. *res is set to NULL on entry and is caller-owned on success. */
cp_status cp_ownership_block(cp_block_result **res, const cp_graph *g, int layer,
                             const uint8_t *designated, cp_regime regime, cp_error *err);

/* Presets *p for a regime:
 *   CP_REGIME_OFAC     threshold 500000, strict 0 (50% or more), control_layer CP_CONTROL_NONE,
 *                      per_person 0. OFAC's rule is about ownership only (Revised Guidance, 2014:
 *                      control alone does not block, though OFAC urges caution); stakes of
 *                      different blocked persons add up (FAQ 401).
 *   CP_REGIME_EU       threshold 500000, strict 0 (50% or more), control_layer CP_CONTROL_BY_NAME,
 *                      per_person 0. Council of the EU, "Update of the EU Best Practices for the
 *                      effective implementation of restrictive measures" (3 July 2024),
 *                      "Ownership and control": ownership is the possession of 50% or more of the
 *                      proprietary rights of an entity or a majority interest in it, with the
 *                      holdings of several listed persons aggregated (as Regulation 2024/1745,
 *                      recital 28, announced); control criteria include the right to appoint or
 *                      remove a majority of the board, control of a majority of the voting rights,
 *                      and the ability to exercise a dominant influence.
 *   CP_REGIME_EU_2022  as EU, but strict 1 (more than 50%): the Best Practices as updated in 2022
 *                      (doc. 10572/22), for designations assessed before July 2024.
 *   CP_REGIME_UK       threshold 500000, strict 1 (more than 50%), control_layer
 *                      CP_CONTROL_BY_NAME, per_person 1. The Russia (Sanctions) (EU Exit)
 *                      Regulations 2019, reg. 7: owned means holding directly or indirectly more
 *                      than 50% of the shares or voting rights, or the right to appoint or remove a
 *                      majority of the board; control means that it is reasonable to expect the
 *                      designated person could ensure the entity's affairs are conducted in
 *                      accordance with their wishes. OFSI, "UK Financial Sanctions General
 *                      Guidance", chapter 4 ("Ownership and control"), says it would not simply
 *                      aggregate different designated persons' holdings, unless, e.g., they are
 *                      held under a joint arrangement or one party controls the rights of another
 *                      (para. 4.14 of the 2022 text): set per_person = 0 for such a case.
 * Status: CP_OK; CP_E_INVALID (p NULL or unknown regime; *p is then left unchanged). O(1). */
cp_status cp_regime_params_init(cp_regime_params *p, cp_regime regime);

/* The closure of cp_ownership_block under explicit settings: an entity v that is neither
 * designated nor blocked becomes blocked in round r + 1 when, once every node of rounds 0..r has
 * added its stakes, the ownership sum of v passes the threshold (>= or > as `params->strict`
 * says), or some node of rounds 0..r controls v (an edge on the control layer; self-loops are
 * ignored). Control and ownership propagate through blocked entities alike: a controlled entity
 * that is blocked blocks what it owns or controls. With per_person, "the ownership sum" is the sum
 * over the blocked owners attributed to one person (see cp_regime_params), for some person.
 * Exposure (blocked_ppm) counts ownership only, summed over all blocked owners. tipped_by lists
 * the blocked owners with a positive stake and a smaller round and the blocked controllers with a
 * smaller round (ascending, each once); with per_person, only those attributed to the person v
 * is attributed to. With cp_regime_params_init(&p, CP_REGIME_OFAC) the result equals
 * cp_ownership_block's bit for bit. per_person costs a hash table of (entity, person) sums:
 * O(n + m) expected time and memory.
 * Status: CP_OK; CP_E_INVALID (as cp_ownership_block; params NULL, threshold_ppm outside
 * [0, 1e12], control_layer below -2, out of range or equal to `layer`); CP_E_NOMEM. O(n + m). */
cp_status cp_ownership_block_params(cp_block_result **res, const cp_graph *g, int layer,
                                    const uint8_t *designated, const cp_regime_params *params,
                                    cp_error *err);

/* Share ranges (a register that says "25-50%"): lower_ppm and upper_ppm are m arrays (one entry
 * per edge of g, read only on edges of `layer`, others ignored) of the lower and upper bounds in
 * ppm, 0 <= lower <= upper <= 1e12 (convert with cp_share_to_ppm). *certain is the closure with
 * every share at its lower bound (blocked whatever the true shares in the ranges are, since the
 * closure is monotone in the shares), *possible with every share at its upper bound (blocked for
 * some choice of shares in the ranges; free there means free for every choice). Control as params.
 * Status: CP_OK; CP_E_INVALID (as cp_ownership_block_params; certain, possible, lower_ppm or
 * upper_ppm NULL; a bound out of range or lower > upper: the message names the edge);
 * CP_E_NOMEM. Both outputs are NULL on entry and on error. O(n + m). */
cp_status cp_ownership_block_ranges(cp_block_result **certain, cp_block_result **possible,
                                    const cp_graph *g, int layer, const int64_t *lower_ppm,
                                    const int64_t *upper_ppm, const uint8_t *designated,
                                    const cp_regime_params *params, cp_error *err);

/* Frees a result and everything it owns, and sets *res = NULL. Accepts NULL and *res == NULL. */
void cp_block_result_free(cp_block_result **res);

/* ---- integrated ownership through chains, and ultimate owners (host/ownership_integrated.c) ---
 *
 * Vitali, Glattfelder and Battiston 2011, "The network of global corporate control", PLoS ONE
 * 6(10): e25995 (after Brioschi, Buzzacchi and Colombo 1989). With W the direct share matrix of
 * an ownership layer (W[u][v] = the share u holds in v, a fraction: each edge's share is rounded
 * to ppm by cp_share_to_ppm with the layer's units, then divided by 1e6; parallel edges add;
 * self-loops and zero shares are ignored, as in the closure), the integrated ownership is
 *     U = W + W^2 + W^3 + ... = (I - W)^-1 W,
 * U[u][v] = u's share of v through every chain, each chain's shares multiplied down it. Unlike the
 * 50 percent rule (which counts a blocked entity's stake in full), stakes dilute along a chain:
 * A 60% of B, B 60% of C gives A 36% of C. On a cross-holding cycle U[v][v] can be positive (v's
 * share of itself through the cycle), and sums over owners can pass 100%: U counts every chain.
 *
 * The series converges exactly when the spectral radius of W is below 1. An acyclic layer always
 * converges (W is nilpotent: the series ends after at most n - 1 terms). A strongly connected
 * cycle whose in-cycle shares sum to 100% or more into every member (e.g. A 100% of B, B 100% of
 * A) has spectral radius >= 1: the series diverges for every entity that the cycle owns, directly
 * or through chains, and for the cycle's own members. Such targets are flagged, never iterated
 * without a bound. */

/* Per-target states of cp_integrated_result.state. */
#define CP_INTEGRATED_CONVERGED 0 /* a term's mass fell to the tolerance or below (or to 0) */
#define CP_INTEGRATED_DEPTH                                                                        \
    1                                 /* stopped at max_depth with terms above the tolerance: the  \
                                         sum of chains of at most max_depth links, as asked */
#define CP_INTEGRATED_NOT_CONVERGED 2 /* max_terms summed with terms still above the tolerance */
#define CP_INTEGRATED_DIVERGES                                                                     \
    3 /* owned (possibly through chains) by a cycle whose spectral                                 \
         radius is >= 1: with max_depth 0 the column is left                                       \
         empty; with max_depth > 0 it holds the truncated sum */

/* Bounds of the series (cp_integrated_params_init presets max_depth 0, tolerance 1e-12,
 * max_terms 10000). The terms W^1, W^2, ... are added for each target column until one stops it:
 *   max_depth  > 0: at most this many terms (chains of at most max_depth links); 0: no depth bound.
 *   tolerance  >= 0: stop after a term whose mass (the sum of its entries in the column: the
 *              share of the target added by chains of that length) is <= tolerance. 0 stops only
 *              on an empty term. The tail left out of a geometric series with ratio r is about
 *              mass * r / (1 - r), so a tolerance bounds the error only when r is well below 1.
 *   max_terms  >= 1: the cap on the number of terms when max_depth is 0. */
typedef struct cp_integrated_params {
    int32_t max_depth;
    double tolerance;
    int32_t max_terms;
} cp_integrated_params;

/* Presets *p (see above). Status: CP_OK; CP_E_INVALID when p is NULL. O(1). */
cp_status cp_integrated_params_init(cp_integrated_params *p);

/* Integrated shares, one sparse column per target (CSR by target). Arrays are owned by the
 * result; free with cp_integrated_result_free. */
typedef struct cp_integrated_result {
    int32_t n;         /* nodes in the graph */
    int32_t n_targets; /* entities of interest */
    int32_t *targets;  /* n_targets: node indices, ascending */
    int64_t *offsets;  /* n_targets + 1: target i's owners are owners[offsets[i] .. offsets[i+1]) */
    int32_t *owners;   /* node indices, ascending within each target; only positive shares. The
                          target itself appears when a cycle leads back to it (U[v][v] > 0). */
    double *share;     /* the integrated share U[owner][target] (fraction) */
    int32_t *terms;    /* n_targets: terms computed (the last is empty when the series ended) */
    double *last_mass; /* n_targets: mass of the last term summed (0 when the column emptied) */
    uint8_t *state;    /* n_targets: CP_INTEGRATED_* */
    int32_t n_not_converged; /* targets in state CP_INTEGRATED_NOT_CONVERGED */
    int32_t n_diverging;     /* targets in state CP_INTEGRATED_DIVERGES */
    int32_t diverging_node;  /* a member of a cycle with spectral radius >= 1, or -1 */
} cp_integrated_result;

/* Integrated ownership U (above) of the entities `targets` (n_targets node indices, strictly
 * ascending, each in 0..n-1; targets NULL means every node, n_targets then ignored) on the
 * ownership layer `layer` of g (an edge u -> v: u holds the weight's share of v).
 *
 * Method: sparse propagation along in-edges, one target column at a time. With x_1 = W e_t (the
 * direct owners of t), x_{k+1}[u] = sum over u's stakes W[u][w] x_k[w] (the term W^{k+1} e_t),
 * visiting only the owners reached by the term before (a frontier), and U e_t = x_1 + x_2 + ...
 * until params stop it. A term costs O(f + e) for a frontier of f nodes with e in-edges, so a
 * target costs O(K (n + m)) for K terms in the worst case and O(edges upstream of t) per term
 * in practice; an acyclic layer needs at most (longest chain above t) terms. Targets run in
 * parallel (OpenMP), each with O(n) workspace per thread; each column is computed by one thread
 * in a fixed order, so results are bit-identical at any thread count.
 *
 * Divergence: before iterating, the strongly connected components of the layer (positive
 * shares, no self-loops) are found (cp_scc) and, for each component C of two or more nodes, the
 * shares held in each member by the other members of C are summed exactly in ppm. For the
 * irreducible block W_C, min and max of these column sums bound its spectral radius. Every sum
 * >= 100% gives radius >= 1: C diverges, and every entity reachable from C along ownership edges
 * (C included) gets state CP_INTEGRATED_DIVERGES. Every sum <= 100% with one below gives radius
 * < 1 (Perron-Frobenius): C converges. Mixed sums (some above 100%, some below: shares past 100%
 * into one entity, i.e. bad data) are left to max_terms. O(n + m).
 *
 * Status: CP_OK; CP_W_NOT_CONVERGED when some target is CP_INTEGRATED_NOT_CONVERGED, or
 * CP_INTEGRATED_DIVERGES while max_depth is 0 (the result is complete otherwise; err names a
 * diverging node or the first target left unconverged); CP_E_INVALID (res, g or params NULL;
 * layer out of range; a target out of range or not strictly ascending; max_depth < 0, tolerance
 * negative or not finite, max_terms < 1; a share that cp_share_to_ppm rejects: the message names
 * the edge); CP_E_NOMEM. *res is NULL on entry and after an error, caller-owned on success. */
cp_status cp_ownership_integrated(cp_integrated_result **res, const cp_graph *g, int layer,
                                  const int32_t *targets, int64_t n_targets,
                                  const cp_integrated_params *params, cp_error *err);

/* Frees a result and everything it owns, and sets *res = NULL. Accepts NULL and *res == NULL. */
void cp_integrated_result_free(cp_integrated_result **res);

/* Ultimate owners, per target of an integrated result (same targets, same order). */
typedef struct cp_ultimate_result {
    int32_t n_targets;
    int64_t *offsets; /* n_targets + 1 */
    int32_t *owners;  /* node indices, ascending within each target */
    double *share;    /* their integrated shares (fraction) */
} cp_ultimate_result;

/* Which owners count as ultimate (cp_ownership_ultimate's `mode`). */
#define CP_ULTIMATE_TOP                                                                            \
    0                     /* only owners at the top of their chains: owners with no owner of their \
                             own on the layer (no positive, non-self stake held in them), and      \
                             persons (kind person), who end a chain whatever a register says */
#define CP_ULTIMATE_ALL 1 /* every owner above the threshold, intermediaries included */

/* The ultimate owners of each target of ir: the owners u other than the target itself whose
 * integrated share U[u][t] is >= threshold (compared as share >= threshold - 1e-9, so that a
 * product such as 0.5 * 0.5 that lands a rounding error below 25% still counts; shares are ppm
 * multiples, far coarser than 1e-9), restricted by `mode` as CP_ULTIMATE_TOP or CP_ULTIMATE_ALL
 * say. 0.25 is the usual beneficial-ownership threshold (EU Directive 2015/849 art. 3(6) reads
 * "more than 25%": pass 0.250001 for that strict reading), 0.5 the sanctions one. With
 * CP_ULTIMATE_TOP an owner counts through all its chains at once (its share is U[u][t]), so two
 * 20% chains from one person make a 40% ultimate owner. Targets in state
 * CP_INTEGRATED_DIVERGES with an empty column have none. g and layer must be those of ir.
 * Status: CP_OK; CP_E_INVALID (res, ir or g NULL; ir->n != g->n; layer out of range; threshold
 * not in [0, 1e6] or NaN; unknown mode); CP_E_NOMEM. *res NULL on entry and after an error.
 * O(n + m + entries of ir). */
cp_status cp_ownership_ultimate(cp_ultimate_result **res, const cp_integrated_result *ir,
                                const cp_graph *g, int layer, double threshold, int mode,
                                cp_error *err);

/* Frees a result and everything it owns, and sets *res = NULL. Accepts NULL and *res == NULL. */
void cp_ultimate_result_free(cp_ultimate_result **res);

#ifdef __cplusplus
}
#endif
#endif
