/* Internal helpers of the spectral kernels (host/spectral.c, host/scc.c) and their tests. Not part
 * of the public API. */
#ifndef CP_HOST_SPECTRAL_IMPL_H
#define CP_HOST_SPECTRAL_IMPL_H

#include <stdbool.h>
#include <stdint.h>

#include "chokepoint/status.h"
#include "chokepoint/view.h"

/* cp_scc with one more choice: skip_zero ignores view entries whose weight is 0 (the edges a
 * weighted spectral measure cannot use). labels may be NULL: then only the counts are computed
 * (in a work array of n int32). Same statuses and complexity as cp_scc. */
cp_status cp__scc(int32_t *labels, int32_t *n_components, int32_t *largest, const cp_view *v,
                  const uint8_t *removed, bool skip_zero, cp_error *err);

#endif
