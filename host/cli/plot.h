/* Disruption curves drawn with PLplot (compare --plot, report): one panel per metric, one line per
 * scenario (mean over seeds), a min-max band over seeds for seeded scenarios, the null model's
 * band, and the minimum S-T vertex cut as a vertical line. */
#ifndef CP_CLI_PLOT_H
#define CP_CLI_PLOT_H

#include <stdbool.h>
#include <stdint.h>

#include "chokepoint/status.h"
#include "review.h"

/* True when this chokepoint was built with PLplot (CMake option CP_PLOT). */
bool cp_plot_available(void);

/* The PLplot device for a file name by its extension: .svg -> "svg", .png -> "pngcairo",
 * .pdf -> "pdfcairo"; NULL for any other. */
const char *cp_plot_device(const char *path);

/* Draws the curves of the metrics in `metrics` (bit m: metric m; those no scenario has are
 * skipped) to path, the device chosen by its extension, through "<path>.tmp" renamed into place.
 * width x height is the size of one panel (pixels, or points for PDF and SVG). CP_E_INVALID for an
 * unknown extension, no metric to draw, or a build without PLplot; CP_E_IO when the file cannot be
 * written or the device's driver is not installed (naming the Debian package); CP_E_FORMAT /
 * CP_E_NOMEM from reading the curves. PLplot itself exits the process on a fatal driver error. */
cp_status cp_plot_curves(const char *path, const rv_set *s, uint32_t metrics, int width, int height,
                         cp_error *err);

#endif
