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
    CP_REGIME_OFAC = 0 /* blocked when blocked owners hold >= 50% in aggregate (OFAC FAQ 398-402) */
} cp_regime;

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
} cp_block_result;

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
 * frontier), O(n + m) extra memory.
 * Status: CP_OK; CP_E_INVALID (res or g NULL, unknown regime, layer out of range, designated NULL
 * with n > 0, or a share on the layer that cp_share_to_ppm rejects: the message names the edge);
 * CP_E_NOMEM. *res is set to NULL on entry and is caller-owned on success. */
cp_status cp_ownership_block(cp_block_result **res, const cp_graph *g, int layer,
                             const uint8_t *designated, cp_regime regime, cp_error *err);

/* Frees a result and everything it owns, and sets *res = NULL. Accepts NULL and *res == NULL. */
void cp_block_result_free(cp_block_result **res);

#ifdef __cplusplus
}
#endif
#endif
