/* Disruption curves drawn with PLplot: see plot.h. */
#define _POSIX_C_SOURCE 200809L
#include "plot.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef CP_HAVE_PLPLOT
#include <plplot.h>
#endif

const char *cp_plot_device(const char *path) {
    const char *dot = strrchr(path, '.');
    if (dot == NULL || strchr(dot, '/') != NULL) {
        return NULL;
    }
    if (strcmp(dot, ".svg") == 0) {
        return "svg";
    }
    if (strcmp(dot, ".png") == 0) {
        return "pngcairo";
    }
    if (strcmp(dot, ".pdf") == 0) {
        return "pdfcairo";
    }
    return NULL;
}

#ifndef CP_HAVE_PLPLOT

bool cp_plot_available(void) {
    return false;
}

cp_status cp_plot_curves(const char *path, const rv_set *s, uint32_t metrics, int width, int height,
                         cp_error *err) {
    return cp_error_set(err, CP_E_INVALID,
                        "%s: this chokepoint was built without PLplot (CMake option CP_PLOT=ON "
                        "and Debian's libplplot-dev and plplot-driver-cairo are needed for plots)",
                        path);
}

#else

bool cp_plot_available(void) {
    return true;
}

/* Line colours (RGB), one per scenario in turn: a palette readable on white and by most colour
 * vision deficiencies. */
static const int palette[][3] = {
    {0, 114, 178}, {213, 94, 0}, {0, 158, 115},  {204, 121, 167}, {86, 180, 233},
    {230, 159, 0}, {68, 68, 68}, {150, 60, 200}, {120, 130, 20},  {180, 30, 60},
};
#define NPAL ((int)(sizeof palette / sizeof palette[0]))

/* Colour map 0 slots: 0 background, 1 axes, 2 null band, 3 min-cut line, then per series its
 * line (4 + 2i) and band (5 + 2i). */
enum { COL_BG = 0, COL_AXES = 1, COL_NULL = 2, COL_CUT = 3, COL_SERIES = 4 };

static int mode_style(const char *mode) {
    if (strcmp(mode, "simultaneous") == 0) {
        return 1; /* continuous */
    }
    if (strcmp(mode, "sequential") == 0) {
        return 2; /* short dashes */
    }
    if (strcmp(mode, "adaptive") == 0) {
        return 3; /* long dashes */
    }
    return 4;
}

/* Per-column mean, minimum and maximum of a rows x (k+1) matrix. */
static void column_stats(const double *c, int64_t rows, int64_t k, double *mean, double *lo,
                         double *hi) {
    for (int64_t j = 0; j <= k; j++) {
        double sum = 0, mn = INFINITY, mx = -INFINITY;
        for (int64_t r = 0; r < rows; r++) {
            double v = c[r * (k + 1) + j];
            sum += v;
            mn = v < mn ? v : mn;
            mx = v > mx ? v : mx;
        }
        mean[j] = rows > 0 ? sum / (double)rows : NAN;
        lo[j] = mn;
        hi[j] = mx;
    }
}

/* A band between lo and hi over x = 0..k, filled as one polygon. */
static void fill_band(const double *lo, const double *hi, int64_t k, double *px, double *py) {
    int64_t n = 0;
    for (int64_t j = 0; j <= k; j++, n++) {
        px[n] = (double)j;
        py[n] = hi[j];
    }
    for (int64_t j = k; j >= 0; j--, n++) {
        px[n] = (double)j;
        py[n] = lo[j];
    }
    plfill((PLINT)n, px, py);
}

typedef struct series {
    double *mean, *lo, *hi;    /* over seeds */
    double *nmean, *nlo, *nhi; /* null band, or NULL */
    int64_t k, rows;
} series;

static void series_free(series *sr, int n) {
    for (int i = 0; sr != NULL && i < n; i++) {
        free(sr[i].mean);
        free(sr[i].lo);
        free(sr[i].hi);
        free(sr[i].nmean);
        free(sr[i].nlo);
        free(sr[i].nhi);
    }
    free(sr);
}

static cp_status load_series(series *sr, const rv_set *s, const rv_scenario *sc, cp_metric m,
                             cp_error *err) {
    cp_status status = CP_OK;
    double *c = NULL;
    int64_t rows = 0, k = sc->budget;
    memset(sr, 0, sizeof *sr);
    sr->k = k;
    CP_TRY(rv_curve(s, sc, m, false, &c, &rows, err));
    sr->rows = rows;
    sr->mean = malloc((size_t)(k + 1) * sizeof(double));
    sr->lo = malloc((size_t)(k + 1) * sizeof(double));
    sr->hi = malloc((size_t)(k + 1) * sizeof(double));
    if (sr->mean == NULL || sr->lo == NULL || sr->hi == NULL) {
        status = cp_error_set(err, CP_E_NOMEM, "out of memory");
        goto cleanup;
    }
    column_stats(c, rows, k, sr->mean, sr->lo, sr->hi);
    free(c);
    c = NULL;
    if ((sc->null_metrics >> m) & 1u) {
        CP_TRY(rv_curve(s, sc, m, true, &c, &rows, err));
        sr->nmean = malloc((size_t)(k + 1) * sizeof(double));
        sr->nlo = malloc((size_t)(k + 1) * sizeof(double));
        sr->nhi = malloc((size_t)(k + 1) * sizeof(double));
        if (sr->nmean == NULL || sr->nlo == NULL || sr->nhi == NULL) {
            status = cp_error_set(err, CP_E_NOMEM, "out of memory");
            goto cleanup;
        }
        column_stats(c, rows, k, sr->nmean, sr->nlo, sr->nhi);
    }
cleanup:
    free(c);
    return status;
}

static bool device_installed(const char *dev) {
    /* plgDevs fills caller-provided arrays; n is their capacity on input. */
    const char *menu[128], *names[128];
    const char **pm = menu, **pn = names;
    int n = 128;
    plgDevs(&pm, &pn, &n);
    bool found = false;
    for (int i = 0; i < n && !found; i++) {
        found = strcmp(pn[i], dev) == 0;
    }
    return found;
}

/* One panel: the curves of metric m. */
static cp_status draw_panel(const rv_set *s, cp_metric m, cp_error *err) {
    cp_status status = CP_OK;
    int ns = 0;
    series *sr = calloc((size_t)s->n_sc + 1, sizeof *sr);
    int *which = calloc((size_t)s->n_sc + 1, sizeof *which);
    double *px = NULL, *py = NULL;
    const char **text = NULL;
    PLINT *opt = NULL, *tcol = NULL, *bcol = NULL, *bpat = NULL, *lcol = NULL, *lsty = NULL;
    PLFLT *bscale = NULL, *bwidth = NULL, *lwidth = NULL;
    if (sr == NULL || which == NULL) {
        status = cp_error_set(err, CP_E_NOMEM, "out of memory");
        goto cleanup;
    }
    int64_t kmax = 1;
    double ymin = 0, ymax = 1e-9;
    bool any_null = false;
    for (int i = 0; i < s->n_sc; i++) {
        if (!((s->sc[i].metrics >> m) & 1u)) {
            continue;
        }
        CP_TRY(load_series(&sr[ns], s, &s->sc[i], m, err));
        which[ns] = i;
        series *x = &sr[ns++];
        kmax = x->k > kmax ? x->k : kmax;
        for (int64_t j = 0; j <= x->k; j++) {
            ymin = fmin(ymin, x->lo[j]);
            ymax = fmax(ymax, x->hi[j]);
            if (x->nlo != NULL) {
                ymin = fmin(ymin, x->nlo[j]);
                ymax = fmax(ymax, x->nhi[j]);
                any_null = true;
            }
        }
    }
    if (!isfinite(ymin) || !isfinite(ymax)) {
        ymin = 0;
        ymax = 1;
    }
    double pad = 0.05 * (ymax - ymin);
    px = malloc((size_t)(2 * kmax + 4) * sizeof *px);
    py = malloc((size_t)(2 * kmax + 4) * sizeof *py);
    int cap = 2 * ns + 4;
    text = calloc((size_t)cap, sizeof *text);
    opt = calloc((size_t)cap, sizeof *opt);
    tcol = calloc((size_t)cap, sizeof *tcol);
    bcol = calloc((size_t)cap, sizeof *bcol);
    bpat = calloc((size_t)cap, sizeof *bpat);
    lcol = calloc((size_t)cap, sizeof *lcol);
    lsty = calloc((size_t)cap, sizeof *lsty);
    bscale = calloc((size_t)cap, sizeof *bscale);
    bwidth = calloc((size_t)cap, sizeof *bwidth);
    lwidth = calloc((size_t)cap, sizeof *lwidth);
    if (px == NULL || py == NULL || text == NULL || opt == NULL || tcol == NULL || bcol == NULL ||
        bpat == NULL || lcol == NULL || lsty == NULL || bscale == NULL || bwidth == NULL ||
        lwidth == NULL) {
        status = cp_error_set(err, CP_E_NOMEM, "out of memory");
        goto cleanup;
    }
    pladv(0);
    plvpor(0.11, 0.56, 0.18, 0.88);
    plwind(0, (PLFLT)kmax, ymin - pad, ymax + pad);
    plcol0(COL_AXES);
    pllsty(1);
    plwidth(1);
    plbox("bcgnst", 0, 0, "bcgnstv", 0, 0);
    char title[160];
    snprintf(title, sizeof title, "%s after each removal", cp_metric_name(m));
    pllab("budget: nodes removed", rv_metric_axis(m), title);
    int nleg = 0;
    /* Bands first, so that every line stays visible above them. */
    if (any_null) {
        plcol0(COL_NULL);
        for (int i = 0; i < ns; i++) {
            if (sr[i].nlo != NULL) {
                fill_band(sr[i].nlo, sr[i].nhi, sr[i].k, px, py);
            }
        }
    }
    for (int i = 0; i < ns; i++) {
        if (sr[i].rows > 1) {
            plcol0(COL_SERIES + 2 * (i % NPAL) + 1);
            fill_band(sr[i].lo, sr[i].hi, sr[i].k, px, py);
        }
    }
    for (int i = 0; i < ns; i++) {
        const rv_scenario *sc = &s->sc[which[i]];
        int col = COL_SERIES + 2 * (i % NPAL);
        for (int64_t j = 0; j <= sr[i].k; j++) {
            px[j] = (double)j;
        }
        plcol0(col);
        pllsty(mode_style(sc->vals[1]));
        plwidth(2);
        plline((PLINT)(sr[i].k + 1), px, sr[i].mean);
        if (sr[i].nmean != NULL) {
            plcol0(COL_NULL);
            pllsty(3);
            plwidth(1);
            plline((PLINT)(sr[i].k + 1), px, sr[i].nmean);
        }
        opt[nleg] = PL_LEGEND_LINE;
        text[nleg] = sc->label;
        tcol[nleg] = COL_AXES;
        lcol[nleg] = col;
        lsty[nleg] = mode_style(sc->vals[1]);
        lwidth[nleg] = 2;
        nleg++;
    }
    bool any_band = false;
    for (int i = 0; i < ns; i++) {
        any_band = any_band || sr[i].rows > 1;
    }
    if (any_band) {
        opt[nleg] = PL_LEGEND_COLOR_BOX;
        text[nleg] = "shaded: min-max over seeds";
        tcol[nleg] = COL_AXES;
        bcol[nleg] = COL_SERIES + 1;
        bscale[nleg] = 0.8;
        bwidth[nleg] = 1;
        nleg++;
    }
    if (any_null) {
        opt[nleg] = PL_LEGEND_COLOR_BOX;
        text[nleg] = "grey: null model (rewired)";
        tcol[nleg] = COL_AXES;
        bcol[nleg] = COL_NULL;
        bscale[nleg] = 0.8;
        bwidth[nleg] = 1;
        nleg++;
    }
    /* The minimum cut: no strategy can disconnect S from T with fewer removals. */
    static char cut_text[64][96];
    int ncut = 0;
    for (int fi = 0; fi < s->n_files && ncut < 64; fi++) {
        int64_t mc = s->min_cut[fi];
        bool seen = false;
        for (int q = 0; q < fi; q++) {
            seen = seen || s->min_cut[q] == mc;
        }
        if (mc < 0 || seen) {
            continue;
        }
        if (mc <= kmax) {
            plcol0(COL_CUT);
            pllsty(2);
            plwidth(2);
            pljoin((PLFLT)mc, ymin - pad, (PLFLT)mc, ymax + pad);
            snprintf(cut_text[ncut], sizeof cut_text[ncut], "minimum S-T vertex cut: %lld nodes",
                     (long long)mc);
        } else {
            snprintf(cut_text[ncut], sizeof cut_text[ncut],
                     "minimum S-T vertex cut: %lld nodes (beyond k)", (long long)mc);
        }
        if (nleg < cap) {
            opt[nleg] = PL_LEGEND_LINE;
            text[nleg] = cut_text[ncut];
            tcol[nleg] = COL_AXES;
            lcol[nleg] = COL_CUT;
            lsty[nleg] = 2;
            lwidth[nleg] = 2;
            nleg++;
        }
        ncut++;
    }
    pllsty(1);
    plwidth(1);
    PLFLT lw = 0, lh = 0;
    pllegend(&lw, &lh, PL_LEGEND_BACKGROUND | PL_LEGEND_BOUNDING_BOX,
             PL_POSITION_RIGHT | PL_POSITION_OUTSIDE, 0.02, 0.0, 0.05, COL_BG, COL_AXES, 1, 0, 0,
             nleg, opt, 0.6, 0.55, 1.6, 0.0, tcol, text, bcol, bpat, bscale, bwidth, lcol, lsty,
             lwidth, NULL, NULL, NULL, NULL);
cleanup:
    series_free(sr, ns);
    free(which);
    free(px);
    free(py);
    free(text);
    free(opt);
    free(tcol);
    free(bcol);
    free(bpat);
    free(lcol);
    free(lsty);
    free(bscale);
    free(bwidth);
    free(lwidth);
    return status;
}

cp_status cp_plot_curves(const char *path, const rv_set *s, uint32_t metrics, int width, int height,
                         cp_error *err) {
    const char *dev = cp_plot_device(path);
    if (dev == NULL) {
        return cp_error_set(err, CP_E_INVALID,
                            "--plot %s: the extension names the format: .svg, .png or .pdf", path);
    }
    int panels = 0;
    for (int m = 0; m < CP_METRIC_COUNT; m++) {
        panels += ((metrics >> m) & 1u) && ((s->any_metrics >> m) & 1u);
    }
    if (panels == 0) {
        return cp_error_set(err, CP_E_INVALID,
                            "%s: nothing to plot (no scenario has the metrics asked for)", path);
    }
    if (!device_installed(dev)) {
        return cp_error_set(err, CP_E_IO, "%s: PLplot has no '%s' driver here (Debian package %s)",
                            path, dev,
                            strcmp(dev, "svg") == 0 ? "libplplot17" : "plplot-driver-cairo");
    }
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *probe = fopen(tmp, "wb");
    if (probe == NULL) {
        return cp_error_set(err, CP_E_IO, "%s: cannot write the plot there", tmp);
    }
    fclose(probe);
    int cols = panels > 1 ? 2 : 1, rows = (panels + cols - 1) / cols;
    char geometry[64];
    snprintf(geometry, sizeof geometry, "%dx%d", width * cols, height * rows);
    plsdev(dev);
    plsfnam(tmp);
    plsetopt("geometry", geometry);
    plscmap0n(COL_SERIES + 2 * NPAL);
    plscol0(COL_BG, 255, 255, 255);
    plscol0(COL_AXES, 0, 0, 0);
    plscol0a(COL_NULL, 120, 120, 120, 0.25);
    plscol0(COL_CUT, 170, 0, 0);
    for (int i = 0; i < NPAL; i++) {
        plscol0(COL_SERIES + 2 * i, palette[i][0], palette[i][1], palette[i][2]);
        plscol0a(COL_SERIES + 2 * i + 1, palette[i][0], palette[i][1], palette[i][2], 0.18);
    }
    plssub(cols, rows);
    plinit();
    plfontld(1);
    plschr(0, 0.7);
    cp_status status = CP_OK;
    for (int m = 0; m < CP_METRIC_COUNT && status == CP_OK; m++) {
        if (((metrics >> m) & 1u) && ((s->any_metrics >> m) & 1u)) {
            status = draw_panel(s, (cp_metric)m, err);
        }
    }
    plend();
    if (status == CP_OK && rename(tmp, path) != 0) {
        status = cp_error_set(err, CP_E_IO, "%s: cannot rename %s into place", path, tmp);
    }
    if (status != CP_OK) {
        remove(tmp);
    }
    return status;
}

#endif
