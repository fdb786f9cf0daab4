/* Lengths for shortest-path measures, from a view's weights. */
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "chokepoint/view.h"

static const char *const length_names[] = {"hops", "weight", "inverse", "neglog"};

const char *cp_length_name(cp_length l) {
    return (unsigned)l < 4 ? length_names[l] : "unknown";
}

cp_status cp_length_parse(const char *s, cp_length *out) {
    for (int i = 0; i < 4; i++) {
        if (strcmp(s, length_names[i]) == 0) {
            *out = (cp_length)i;
            return CP_OK;
        }
    }
    return CP_E_INVALID;
}

static cp_status one(double *out, double w, cp_length mode, int64_t k, int64_t edge,
                     cp_error *err) {
    if (isnan(w) || w < 0) {
        return cp_error_set(err, CP_E_INVALID,
                            "view entry %" PRId64 " (graph edge %" PRId64
                            ") has weight %g: lengths need weights >= 0",
                            k, edge, w);
    }
    switch (mode) {
    case CP_LENGTH_HOPS:
        *out = 1.0;
        return CP_OK;
    case CP_LENGTH_WEIGHT:
        *out = w;
        return CP_OK;
    case CP_LENGTH_INVERSE:
        *out = w == 0 ? INFINITY : 1.0 / w;
        return CP_OK;
    case CP_LENGTH_NEGLOG:
        if (w > 1) {
            return cp_error_set(err, CP_E_INVALID,
                                "--length neglog needs weights in [0, 1]; view entry %" PRId64
                                " (graph edge %" PRId64 ") has %g",
                                k, edge, w);
        }
        *out = w == 0 ? INFINITY : -log(w);
        return CP_OK;
    }
    return cp_error_set(err, CP_E_INVALID, "unknown length mode %d", (int)mode);
}

cp_status cp_view_lengths(double *len, double *rev_len, const cp_view *v, cp_length mode,
                          cp_error *err) {
    for (int64_t k = 0; k < v->m; k++) {
        cp_status st = one(&len[k], v->weights[k], mode, k, v->edge_ids[k], err);
        if (st != CP_OK) {
            return st;
        }
    }
    if (rev_len != NULL) {
        for (int64_t k = 0; k < v->m; k++) {
            cp_status st = one(&rev_len[k], v->rev_weights[k], mode, k, v->rev_edge_ids[k], err);
            if (st != CP_OK) {
                return st;
            }
        }
    }
    return CP_OK;
}
