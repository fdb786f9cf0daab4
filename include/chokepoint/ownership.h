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
    CP_REGIME_OFAC =
        0,            /* blocked when blocked owners hold >= 50% in aggregate (OFAC FAQ 398-402) */
    CP_REGIME_EU = 1, /* blocked when blocked owners hold > 50% in aggregate, or when a blocked
                         person controls it (EU Best Practices, paragraphs 55-66) */
    CP_REGIME_UK = 2  /* as EU: > 50% or control (OFSI General Guidance, chapter 4) */
} cp_regime;

/* "ofac", "eu", "uk" ("unknown" otherwise), and back: CP_E_INVALID for another name (*out is
 * then unchanged). O(1). */
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
 *   threshold_ppm  the aggregate share of blocked owners that blocks (ppm, 0..1e12)
 *   strict         0: blocked when sum >= threshold_ppm; 1: when sum > threshold_ppm
 *   control_layer  CP_CONTROL_NONE, CP_CONTROL_BY_NAME, or a layer index: an edge u -> v on it
 *                  (any weight, any meaning) says that u controls v; v is blocked once u is. */
typedef struct cp_regime_params {
    int64_t threshold_ppm;
    int strict;
    int control_layer;
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
 * frontier), O(n + m) extra memory. The rule above is CP_REGIME_OFAC; CP_REGIME_EU and
 * CP_REGIME_UK run cp_ownership_block_params with their presets (> 50% or control).
 * Status: CP_OK; CP_E_INVALID (res or g NULL, unknown regime, layer out of range, designated NULL
 * with n > 0, or a share on the layer that cp_share_to_ppm rejects: the message names the edge);
 * CP_E_NOMEM. *res is set to NULL on entry and is caller-owned on success. */
cp_status cp_ownership_block(cp_block_result **res, const cp_graph *g, int layer,
                             const uint8_t *designated, cp_regime regime, cp_error *err);

/* Presets *p for a regime:
 *   CP_REGIME_OFAC  threshold 500000, strict 0 (50% or more), control_layer CP_CONTROL_NONE: OFAC's
 *                   rule is about ownership only (Revised Guidance, 2014: control alone does not
 *                   block, though OFAC urges caution).
 *   CP_REGIME_EU    threshold 500000, strict 1 (more than 50%), control_layer CP_CONTROL_BY_NAME.
 *                   Council of the EU, "Restrictive measures (sanctions) - Update of the EU Best
 *                   Practices for the effective implementation of restrictive measures" (doc.
 *                   10572/22, 2022), "Ownership and control": ownership is "the possession of more
 *                   than 50% of the proprietary rights of an entity or having majority interest in
 *                   it"; control criteria include the right to appoint or remove a majority of the
 *                   board, control of a majority of the voting rights, and the ability to exercise
 *                   a dominant influence; funds of an entity owned or controlled by a listed person
 *                   are presumed to be under that person's control. Aggregation across listed
 *                   persons: the Best Practices assess ownership per person and say joint
 *                   ownership may be taken into account; we aggregate as for OFAC (an assumption,
 *                   stated so that a user can check it against the case at hand).
 *   CP_REGIME_UK    as EU. OFSI, "UK Financial Sanctions General Guidance", chapter 4 ("Ownership
 *                   and control"), on the Russia (Sanctions) (EU Exit) Regulations 2019, reg. 7:
 *                   owned means holding directly or indirectly more than 50% of the shares or
 *                   voting rights, or the right to appoint or remove a majority of the board;
 *                   control means that it is reasonable to expect the designated person could
 *                   ensure the entity's affairs are conducted in accordance with their wishes.
 *                   Aggregation of different designated persons' holdings is not in the
 *                   regulations: OFSI's guidance treats it case by case (joint arrangements). We
 *                   aggregate as for OFAC; this is a guidance matter, not statute.
 * Status: CP_OK; CP_E_INVALID (p NULL or unknown regime; *p is then left unchanged). O(1). */
cp_status cp_regime_params_init(cp_regime_params *p, cp_regime regime);

/* The closure of cp_ownership_block under explicit settings: an entity v that is neither
 * designated nor blocked becomes blocked in round r + 1 when, once every node of rounds 0..r has
 * added its stakes, the ownership sum of v passes the threshold (>= or > as `params->strict`
 * says), or some node of rounds 0..r controls v (an edge on the control layer; self-loops are
 * ignored). Control and ownership propagate through blocked entities alike: a controlled entity
 * that is blocked blocks what it owns or controls. Exposure (blocked_ppm) counts ownership only.
 * tipped_by lists the blocked owners with a positive stake and a smaller round and the blocked
 * controllers with a smaller round (ascending, each once). With cp_regime_params_init(&p,
 * CP_REGIME_OFAC) the result equals cp_ownership_block's bit for bit.
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

#ifdef __cplusplus
}
#endif
#endif
