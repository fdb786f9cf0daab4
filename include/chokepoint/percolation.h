/* chokepoint: the percolation curve along a removal order in one pass (DESIGN section 4), CPU
 * backend. */
#ifndef CHOKEPOINT_PERCOLATION_H
#define CHOKEPOINT_PERCOLATION_H

#include <stdint.h>

#include "chokepoint/status.h"
#include "chokepoint/view.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The largest-component curve of a node removal order: lcc[i], for i = 0..k, is the size of the
 * largest weakly connected component of the view after removing the first i nodes of order,
 * divided by n (removed nodes stay in n, as in the `lcc` metric of cp_simulate; n = 0 gives 0).
 * lcc[0] is the intact graph. Direction is ignored; self-loops and parallel edges change nothing.
 *
 * Reference: M. E. J. Newman and R. M. Ziff, "Efficient Monte Carlo algorithm and high-precision
 * results for percolation", Phys. Rev. Lett. 85 (2000) 4104. The nodes of order are removed all
 * at once, the rest is joined by union-find (union by size, path halving; Tarjan 1975), and the
 * removed nodes are then added back in reverse order, each joined to its present out- and
 * in-neighbours, while the largest size is tracked. Serial and deterministic; the result equals
 * cp_wcc's `largest` after each removal, exactly.
 *
 * lcc: k + 1 doubles, caller-owned, overwritten (set to 0 on entry when k is valid, and left 0
 * on error). v: the view (its in-CSC is read too; a symmetric view's aliased arrays are read
 * once). order: k distinct node indices in 0..n-1 (may be NULL when k = 0). k: 0..n.
 * Status: CP_OK; CP_E_INVALID (no view, no output, k outside 0..n, no order, an index out of
 * range or repeated, naming its position); CP_E_NOMEM.
 * Time O((n + m) alpha(n)); memory 8 n bytes. */
cp_status cp_percolation_curve(double *lcc, const cp_view *v, const int32_t *order, int64_t k,
                               cp_error *err);

/* As cp_percolation_curve, on the view minus the nodes already removed (n bytes, non-zero =
 * absent throughout; NULL: none): lcc[i] is the largest weakly connected component after also
 * removing order[0..i), over n. An order entry that is already removed is CP_E_INVALID, as a
 * repeated one is. The scenario engine measures `lcc` this way, one pass per round. Same time and
 * memory. */
cp_status cp_percolation_curve_masked(double *lcc, const cp_view *v, const uint8_t *removed,
                                      const int32_t *order, int64_t k, cp_error *err);

#ifdef __cplusplus
}
#endif
#endif
