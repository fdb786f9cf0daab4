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

/* Converts a share weight to ppm: units "percent" (or "%") multiply by 1e4, anything else
 * ("fraction", "") by 1e6; rounded half away from zero. Negative or NaN gives -1. */
int64_t cp_share_to_ppm(double weight, const char *units);

/* The least fixed point of the 50 percent rule on the ownership layer `layer` (an index into the
 * graph's layers; its weights are shares): start from the designated nodes (n bytes, non-zero =
 * designated); an entity becomes blocked when the shares held in it by blocked owners (designated
 * or blocked), summed exactly in ppm over all edges (parallel edges add), reach 500000 (OFAC: 50%
 * or more, in the aggregate, directly or indirectly; indirect ownership counts only through
 * blocked entities). Cycles of ownership are fine; shares summing past 100% are summed as given.
 * Order- and thread-independent (integer sums). O((n + m) * rounds) worst case, frontier-based.
 * Status: CP_OK; CP_E_INVALID (layer out of range, or a share that is negative / NaN); CP_E_NOMEM.
 * *res is caller-owned. */
cp_status cp_ownership_block(cp_block_result **res, const cp_graph *g, int layer,
                             const uint8_t *designated, cp_regime regime, cp_error *err);

void cp_block_result_free(cp_block_result **res);

#ifdef __cplusplus
}
#endif
#endif
