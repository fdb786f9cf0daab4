/* Ownership rules (DESIGN section 4): the closure of the OFAC 50 Percent Rule over an ownership
 * layer, with shares held as exact integers in parts per million.
 *
 * Rule implemented: OFAC, "Revised Guidance on Entities Owned by Persons Whose Property and
 * Interests in Property Are Blocked" (13 August 2014) and FAQs 398-402: an entity is blocked when
 * one or more blocked persons own, directly or indirectly, 50 percent or more of it in the
 * aggregate. Indirect ownership counts only through entities that are themselves blocked, and a
 * blocked entity's stake counts in full (percentages are not multiplied down a chain). Stakes of
 * persons blocked under different programs add up.
 *
 * Numeric types: every share is rounded once, on input, to an int64 count of ppm; every sum and
 * the threshold test (sum >= 500000) are then exact integer operations, so the result does not
 * depend on the edge order, the thread count or the backend. Sums saturate at INT64_MAX (only
 * reachable with millions of absurd shares into one entity), which keeps the threshold test exact.
 *
 * Edges on the ownership layer point from the owner to the owned entity: u -> v with weight w
 * means u holds the share w of v.
 *
 * EU and UK regimes (cp_regime_params_init documents the texts): more than 50 percent (strict
 * comparison) or control. An edge u -> v on the control layer says that u controls v; control
 * blocks v as soon as u is blocked, and propagates through blocked entities like ownership. The
 * same frontier computes every regime: ownership and control edges share one owner CSR, control
 * edges carrying the marker CONTROL_EDGE instead of a share. */
#include "chokepoint/ownership.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "graph_impl.h"

#define OFAC_THRESHOLD_PPM 500000 /* 50 percent or more */
#define CONTROL_EDGE       (-1)   /* CSR share marking a control edge */
/* Below this many edges a thread team costs more than the conversion it would share. */
#define PARALLEL_MIN_EDGES 16384
#define SHARE_MAX_PPM      1000000000000LL /* 1e12 ppm: a million times 100 percent */

/* Case-insensitive comparison of ASCII strings (strcasecmp is POSIX, not C11). */
static int ascii_ieq(const char *a, const char *b) {
    for (; *a != '\0' && *b != '\0'; a++, b++) {
        char ca = (*a >= 'A' && *a <= 'Z') ? (char)(*a - 'A' + 'a') : *a;
        char cb = (*b >= 'A' && *b <= 'Z') ? (char)(*b - 'A' + 'a') : *b;
        if (ca != cb) {
            return 0;
        }
    }
    return *a == *b;
}

/* 10^k for k = 0..18. */
static int64_t pow10_i64(int k) {
    int64_t p = 1;
    for (int i = 0; i < k; i++) {
        p *= 10;
    }
    return p;
}

/* Rounds w * 10^scale_exp half away from zero, where w is read as its shortest decimal text (the
 * fewest significant digits that convert back to the same double, as printf and strtod see it).
 * This is what the user wrote in a file ("0.5189225" is the tie 518922.5 ppm, although the product
 * 0.5189225 * 1e6 is 518922.49999999994 in double), so ties round the way a person would.
 * Requires 0 <= w and w * 10^scale_exp <= about SHARE_MAX_PPM (so that every place fits). */
static int64_t round_shortest_decimal(double w, int scale_exp) {
    char buf[64];
    int prec = 1;
    for (; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*e", prec - 1, w);
        if (strtod(buf, NULL) == w) {
            break;
        }
    }
    if (prec > 17) {
        prec = 17; /* %.16e always converts back; kept for safety */
    }
    /* buf is "d.ddd...e[+-]XX" (the radix character depends on the locale: skip any non-digit). */
    int digits[24];
    int nd = 0;
    const char *s = buf;
    for (; *s != '\0' && *s != 'e' && *s != 'E'; s++) {
        if (*s >= '0' && *s <= '9' && nd < 24) {
            digits[nd++] = *s - '0';
        }
    }
    int exp10 = (*s == 'e' || *s == 'E') ? atoi(s + 1) : 0;
    /* Digit i has the place value 10^(exp10 - i) in w, 10^(exp10 - i + scale_exp) once scaled. */
    int64_t value = 0;
    int first_dropped = 0;
    for (int i = 0; i < nd; i++) {
        int place = exp10 - i + scale_exp;
        if (place >= 0 && place <= 18) {
            value += (int64_t)digits[i] * pow10_i64(place);
        } else if (place == -1) {
            first_dropped = digits[i];
        }
    }
    return value + (first_dropped >= 5 ? 1 : 0);
}

int64_t cp_share_to_ppm(double weight, const char *units) {
    if (isnan(weight) || weight < 0) {
        return -1;
    }
    int scale_exp = 6;
    if (units != NULL && (ascii_ieq(units, "percent") || strcmp(units, "%") == 0)) {
        scale_exp = 4;
    }
    double x = weight * (scale_exp == 4 ? 1e4 : 1e6);
    if (!(x <= (double)SHARE_MAX_PPM)) {
        return -1; /* +inf, or a share no register could hold */
    }
    /* Fast path: for x <= 1e12 the product differs from the scaled decimal by less than 3e-4, so
     * only a fraction within 1e-3 of one half can round differently; those go the exact way. */
    double whole = floor(x);
    double frac = x - whole;
    if (fabs(frac - 0.5) > 1e-3) {
        return (int64_t)whole + (frac > 0.5 ? 1 : 0);
    }
    return round_shortest_decimal(weight, scale_exp);
}

void cp_block_result_free(cp_block_result **res) {
    if (res == NULL || *res == NULL) {
        return;
    }
    cp_block_result *r = *res;
    cp__free(r->blocked);
    cp__free(r->blocked_ppm);
    cp__free(r->exposure);
    cp__free(r->round);
    cp__free(r->tipped_offsets);
    cp__free(r->tipped_by);
    cp__free(r->by_control);
    cp__free(r);
    *res = NULL;
}

static int64_t add_saturating(int64_t a, int64_t b) {
    return b > INT64_MAX - a ? INT64_MAX : a + b;
}

/* Marks every edge: its share in ppm when it lies on `layer` and is not a self-loop, -2 when it
 * does not count, and returns the index of the first edge whose share is invalid (or m). */
static int64_t convert_shares(int64_t *ppm, const cp_graph *g, int layer) {
    const char *units = g->layers[layer].units;
    int64_t first_bad = g->m;
#pragma omp parallel for schedule(static) reduction(min : first_bad) if (g->m >= PARALLEL_MIN_EDGES)
    for (int64_t e = 0; e < g->m; e++) {
        if (g->layer[e] != layer || g->src[e] == g->dst[e]) {
            ppm[e] = -2;
            continue;
        }
        ppm[e] = cp_share_to_ppm(g->weight[e], units);
        if (ppm[e] < 0 && e < first_bad) {
            first_bad = e;
        }
    }
    return first_bad;
}

static cp_status alloc_result(cp_block_result **out, int32_t n) {
    cp_block_result *r = cp__calloc(1, sizeof *r);
    if (r == NULL) {
        return CP_E_NOMEM;
    }
    size_t nn = (size_t)n;
    r->n = n;
    r->blocked = cp__calloc(nn, sizeof *r->blocked);
    r->blocked_ppm = cp__calloc(nn, sizeof *r->blocked_ppm);
    r->exposure = cp__malloc_array(nn, sizeof *r->exposure);
    r->round = cp__malloc_array(nn, sizeof *r->round);
    r->tipped_offsets = cp__calloc(nn + 1, sizeof *r->tipped_offsets);
    r->by_control = cp__calloc(nn, sizeof *r->by_control);
    *out = r;
    if (r->blocked == NULL || r->blocked_ppm == NULL || r->exposure == NULL || r->round == NULL ||
        r->tipped_offsets == NULL || r->by_control == NULL) {
        return CP_E_NOMEM;
    }
    return CP_OK;
}

cp_status cp_regime_params_init(cp_regime_params *p, cp_regime regime) {
    if (p == NULL) {
        return CP_E_INVALID;
    }
    switch (regime) {
    case CP_REGIME_OFAC:
        *p = (cp_regime_params){OFAC_THRESHOLD_PPM, 0, CP_CONTROL_NONE, 0};
        return CP_OK;
    case CP_REGIME_EU:
        *p = (cp_regime_params){OFAC_THRESHOLD_PPM, 0, CP_CONTROL_BY_NAME, 0};
        return CP_OK;
    case CP_REGIME_EU_2022:
        *p = (cp_regime_params){OFAC_THRESHOLD_PPM, 1, CP_CONTROL_BY_NAME, 0};
        return CP_OK;
    case CP_REGIME_UK:
        *p = (cp_regime_params){OFAC_THRESHOLD_PPM, 1, CP_CONTROL_BY_NAME, 1};
        return CP_OK;
    }
    return CP_E_INVALID;
}

static const char *const regime_names[] = {"ofac", "eu", "uk", "eu-2022"};

const char *cp_regime_name(cp_regime regime) {
    return (unsigned)regime <= CP_REGIME_EU_2022 ? regime_names[regime] : "unknown";
}

cp_status cp_regime_parse(const char *s, cp_regime *out) {
    for (int r = 0; s != NULL && r <= CP_REGIME_EU_2022; r++) {
        if (strcmp(s, regime_names[r]) == 0) {
            *out = (cp_regime)r;
            return CP_OK;
        }
    }
    return CP_E_INVALID;
}

/* Checks the arguments shared by every entry point and resolves the control layer into *ctl
 * (-1 when control is off). `who` names the entry point in messages. */
static cp_status check_args(const cp_graph *g, int layer, const uint8_t *designated,
                            const cp_regime_params *params, int *ctl, const char *who,
                            cp_error *err) {
    if (g == NULL || params == NULL) {
        return cp_error_set(err, CP_E_INVALID, "%s: res, g and params must not be NULL", who);
    }
    if (layer < 0 || layer >= g->n_layers) {
        return cp_error_set(err, CP_E_INVALID,
                            "%s: layer %d out of range (the graph has %d layers)", who, layer,
                            g->n_layers);
    }
    if (params->threshold_ppm < 0 || params->threshold_ppm > SHARE_MAX_PPM) {
        return cp_error_set(err, CP_E_INVALID, "%s: threshold_ppm %lld outside [0, 1e12]", who,
                            (long long)params->threshold_ppm);
    }
    *ctl = params->control_layer;
    if (*ctl == CP_CONTROL_BY_NAME) {
        *ctl = cp__graph_find_layer(g, "control");
        if (*ctl == layer) {
            *ctl = CP_CONTROL_NONE; /* the ownership layer itself is named "control" */
        }
    } else if (*ctl < CP_CONTROL_NONE || *ctl >= g->n_layers || *ctl == layer) {
        return cp_error_set(err, CP_E_INVALID,
                            "%s: control_layer %d invalid (the graph has %d layers; ownership "
                            "layer %d)",
                            who, params->control_layer, g->n_layers, layer);
    }
    if (designated == NULL && g->n > 0) {
        return cp_error_set(err, CP_E_INVALID, "%s: designated must not be NULL (n = %d)", who,
                            (int)g->n);
    }
    return CP_OK;
}

/* The closure itself. ppm: m entries, each edge's share on the ownership layer, -2 for edges that
 * do not count as ownership. ctl: the control layer or -1. Arguments already checked. On success
 * *res is the new result; on failure it is untouched and the status is CP_E_NOMEM. */
/* Sums of ownership per (entity, person): open addressing on the key v << 32 | person. */
typedef struct person_sums {
    int64_t cap; /* a power of two */
    uint64_t *key;
    int64_t *sum;
} person_sums;

#define EMPTY_KEY UINT64_MAX

static int64_t *person_sum(person_sums *h, int32_t v, int32_t person) {
    uint64_t k = (uint64_t)(uint32_t)v << 32 | (uint32_t)person;
    uint64_t x = k * 0x9e3779b97f4a7c15ULL;
    int64_t i = (int64_t)((x ^ (x >> 29)) & (uint64_t)(h->cap - 1));
    while (h->key[i] != EMPTY_KEY && h->key[i] != k) {
        i = (i + 1) & (h->cap - 1);
    }
    if (h->key[i] == EMPTY_KEY) {
        h->key[i] = k;
        h->sum[i] = 0;
    }
    return &h->sum[i];
}

static cp_status closure(cp_block_result **res, const cp_graph *g, const int64_t *ppm, int ctl,
                         const uint8_t *designated, const cp_regime_params *params) {
    cp_status status = CP_OK;
    cp_block_result *r = NULL;
    int64_t *off = NULL;    /* n + 1: CSR offsets of the owners' out-edges */
    int64_t *cursor = NULL; /* n: fill positions */
    int32_t *owned = NULL;  /* CSR targets */
    int64_t *share = NULL;  /* CSR shares (ppm), CONTROL_EDGE for control edges */
    int32_t *queue = NULL;  /* n: blocked nodes in the order of their rounds */
    int32_t *last = NULL;   /* n: last owner listed for each entity (deduplicates parallel edges) */
    int32_t *person = NULL; /* n: the person a blocked node is attributed to (per_person) */
    person_sums sums = {0, NULL, NULL};
    const int per_person = params->per_person != 0;
    const int32_t n = g->n;
    const int64_t m = g->m;
    const int64_t threshold = params->threshold_ppm;
    const int strict = params->strict != 0;

    /* 2. Out-edge CSR of the owners and controllers (counting sort by source). Self-loops were
     * dropped: an entity's stake in itself (treasury shares) cannot decide its own status, since
     * it would count only once the entity is already blocked; it is left out of the exposure as
     * well, so that exposure measures what other blocked persons hold. Self-control likewise. */
    off = cp__calloc((size_t)n + 1, sizeof *off);
    cursor = cp__malloc_array((size_t)n, sizeof *cursor);
    if (off == NULL || cursor == NULL) {
        status = CP_E_NOMEM;
        goto cleanup;
    }
    for (int64_t e = 0; e < m; e++) {
        if (ppm[e] >= 0 || (ctl >= 0 && g->layer[e] == ctl && g->src[e] != g->dst[e])) {
            off[g->src[e] + 1]++;
        }
    }
    for (int32_t u = 0; u < n; u++) {
        off[u + 1] += off[u];
        cursor[u] = off[u];
    }
    const int64_t m_own = off[n];
    owned = cp__malloc_array((size_t)m_own, sizeof *owned);
    share = cp__malloc_array((size_t)m_own, sizeof *share);
    if (owned == NULL || share == NULL) {
        status = CP_E_NOMEM;
        goto cleanup;
    }
    for (int64_t e = 0; e < m; e++) {
        if (ppm[e] >= 0 || (ctl >= 0 && g->layer[e] == ctl && g->src[e] != g->dst[e])) {
            int64_t k = cursor[g->src[e]]++;
            owned[k] = g->dst[e];
            share[k] = ppm[e] >= 0 ? ppm[e] : CONTROL_EDGE;
        }
    }
    cp__free(cursor);
    cursor = NULL;

    /* 3. The fixed point, frontier by frontier. queue[begin, end) holds the nodes blocked in
     * round `rnd`. Invariant: after round rnd has been processed, blocked_ppm[v] is the sum of the
     * shares held in v by every node blocked in rounds 0..rnd, and exactly the unblocked nodes
     * whose sum passed the threshold, or that one of those nodes controls, have joined round
     * rnd + 1. Sums only grow, so a node crosses the threshold once; the set crossing in a round
     * does not depend on the order in which the frontier or the edges are visited. Each edge is
     * visited once: O(n + m) in all. Sequential on purpose: the work is one pass over the edges,
     * and atomics would buy little. */
    CP_TRY(alloc_result(&r, n));
    queue = cp__malloc_array((size_t)n, sizeof *queue);
    last = cp__malloc_array((size_t)n, sizeof *last);
    person = cp__malloc_array((size_t)n + 1, sizeof *person);
    if (queue == NULL || last == NULL || person == NULL) {
        status = CP_E_NOMEM;
        goto cleanup;
    }
    if (per_person) {
        sums.cap = 64;
        while (sums.cap < 2 * m_own + 2) {
            sums.cap *= 2;
        }
        sums.key = cp__malloc_array((size_t)sums.cap, sizeof *sums.key);
        sums.sum = cp__malloc_array((size_t)sums.cap, sizeof *sums.sum);
        if (sums.key == NULL || sums.sum == NULL) {
            status = CP_E_NOMEM;
            goto cleanup;
        }
        memset(sums.key, 0xff, (size_t)sums.cap * sizeof *sums.key);
    }
    int64_t qlen = 0;
    for (int32_t v = 0; v < n; v++) {
        r->round[v] = -1;
        person[v] = -1;
        if (designated[v] != 0) {
            r->blocked[v] = 1;
            r->round[v] = 0;
            person[v] = v;
            queue[qlen++] = v;
        }
    }
    r->n_designated = (int32_t)qlen;
    int64_t begin = 0;
    for (int32_t rnd = 0; begin < qlen; rnd++) {
        const int64_t end = qlen;
        for (int64_t q = begin; q < end; q++) {
            const int32_t u = queue[q];
            for (int64_t k = off[u]; k < off[u + 1]; k++) {
                const int32_t v = owned[k];
                int tips;
                if (share[k] == CONTROL_EDGE) {
                    tips = 1;
                } else {
                    r->blocked_ppm[v] = add_saturating(r->blocked_ppm[v], share[k]);
                    int64_t total = r->blocked_ppm[v];
                    if (per_person) {
                        int64_t *ps = person_sum(&sums, v, person[u]);
                        *ps = add_saturating(*ps, share[k]);
                        total = *ps;
                    }
                    tips = strict ? total > threshold : total >= threshold;
                }
                if (r->blocked[v] == 0 && tips) {
                    r->blocked[v] = 2;
                    r->round[v] = rnd + 1;
                    person[v] = person[u];
                    queue[qlen++] = v;
                } else if (tips && r->round[v] == rnd + 1 && person[u] < person[v]) {
                    /* Several persons blocked v in this round: the smallest index, whatever the
                     * order the frontier was visited in. */
                    person[v] = person[u];
                }
            }
        }
        begin = end;
    }
    r->n_newly_blocked = (int32_t)(qlen - r->n_designated);
    for (int32_t v = 0; v < n; v++) {
        r->exposure[v] = (double)r->blocked_ppm[v] / (double)CP_PPM_ONE;
    }

    /* 4. The owners and controllers that tipped each rule-blocked entity v: the blocked owners u
     * with a positive stake in v, and the blocked controllers u of v, with round[u] < round[v]
     * (those whose stakes were summed, or whose control counted, when v crossed). Owners are
     * visited in ascending order, so each list comes out sorted; `last` drops the repeats of
     * parallel edges. Two passes: count, then fill. */
    for (int pass = 0; pass < 2; pass++) {
        for (int32_t v = 0; v < n; v++) {
            last[v] = -1;
        }
        for (int32_t u = 0; u < n; u++) {
            if (r->blocked[u] == 0) {
                continue;
            }
            for (int64_t k = off[u]; k < off[u + 1]; k++) {
                const int32_t v = owned[k];
                if (share[k] == 0 || r->blocked[v] != 2 || r->round[u] >= r->round[v]) {
                    continue;
                }
                if (share[k] == CONTROL_EDGE) {
                    r->by_control[v] = 1;
                }
                if (per_person && person[u] != person[v]) {
                    continue;
                }
                if (last[v] == u) {
                    continue;
                }
                last[v] = u;
                if (pass == 0) {
                    r->tipped_offsets[v + 1]++;
                } else {
                    r->tipped_by[r->tipped_offsets[v]++] = u;
                }
            }
        }
        if (pass == 0) {
            for (int32_t v = 0; v < n; v++) {
                r->tipped_offsets[v + 1] += r->tipped_offsets[v];
            }
            r->tipped_by = cp__malloc_array((size_t)r->tipped_offsets[n], sizeof *r->tipped_by);
            if (r->tipped_by == NULL) {
                status = CP_E_NOMEM;
                goto cleanup;
            }
        } else {
            /* The fill advanced each start offset to the next one's: shift back. */
            for (int32_t v = n; v > 0; v--) {
                r->tipped_offsets[v] = r->tipped_offsets[v - 1];
            }
            r->tipped_offsets[0] = 0;
        }
    }

    *res = r;
    r = NULL;

cleanup:
    cp_block_result_free(&r);
    cp__free(off);
    cp__free(cursor);
    cp__free(owned);
    cp__free(share);
    cp__free(queue);
    cp__free(last);
    cp__free(person);
    cp__free(sums.key);
    cp__free(sums.sum);
    return status;
}

cp_status cp_ownership_block_params(cp_block_result **res, const cp_graph *g, int layer,
                                    const uint8_t *designated, const cp_regime_params *params,
                                    cp_error *err) {
    static const char who[] = "cp_ownership_block";
    cp_status status = CP_OK;
    int64_t *ppm = NULL; /* m: each edge's share, -2 for edges that do not count */
    int ctl = CP_CONTROL_NONE;

    if (res != NULL) {
        *res = NULL;
    }
    if (res == NULL) {
        return cp_error_set(err, CP_E_INVALID, "%s: res, g and params must not be NULL", who);
    }
    CP_TRY(check_args(g, layer, designated, params, &ctl, who, err));

    /* 1. Shares in ppm, rounded once (in parallel: the per-edge decimal rounding is the cost). */
    ppm = cp__malloc_array((size_t)g->m, sizeof *ppm);
    if (ppm == NULL) {
        status = CP_E_NOMEM;
        goto cleanup;
    }
    int64_t bad = convert_shares(ppm, g, layer);
    if (bad < g->m) {
        status =
            cp_error_set(err, CP_E_INVALID,
                         "%s: edge %lld on layer '%s' has share %g (%s): "
                         "not a finite non-negative share of at most 1e12 ppm",
                         who, (long long)bad, g->layers[layer].name, g->weight[bad],
                         g->layers[layer].units[0] != '\0' ? g->layers[layer].units : "fraction");
        goto cleanup;
    }
    status = closure(res, g, ppm, ctl, designated, params);

cleanup:
    if (status == CP_E_NOMEM) {
        cp_error_set(err, CP_E_NOMEM, "%s: out of memory (n = %d, m = %lld)", who, (int)g->n,
                     (long long)g->m);
    }
    cp__free(ppm);
    return status;
}

cp_status cp_ownership_block(cp_block_result **res, const cp_graph *g, int layer,
                             const uint8_t *designated, cp_regime regime, cp_error *err) {
    cp_regime_params params;
    if (res != NULL) {
        *res = NULL;
    }
    if (res == NULL || g == NULL) {
        return cp_error_set(err, CP_E_INVALID, "cp_ownership_block: res and g must not be NULL");
    }
    if (cp_regime_params_init(&params, regime) != CP_OK) {
        return cp_error_set(err, CP_E_INVALID, "cp_ownership_block: unknown regime %d",
                            (int)regime);
    }
    return cp_ownership_block_params(res, g, layer, designated, &params, err);
}

cp_status cp_ownership_block_ranges(cp_block_result **certain, cp_block_result **possible,
                                    const cp_graph *g, int layer, const int64_t *lower_ppm,
                                    const int64_t *upper_ppm, const uint8_t *designated,
                                    const cp_regime_params *params, cp_error *err) {
    static const char who[] = "cp_ownership_block_ranges";
    cp_status status = CP_OK;
    int64_t *lo = NULL; /* m: lower bounds, -2 for edges that do not count */
    int64_t *hi = NULL; /* m: upper bounds, likewise */
    cp_block_result *rc = NULL, *rp = NULL;
    int ctl = CP_CONTROL_NONE;

    if (certain != NULL) {
        *certain = NULL;
    }
    if (possible != NULL) {
        *possible = NULL;
    }
    if (certain == NULL || possible == NULL || lower_ppm == NULL || upper_ppm == NULL) {
        return cp_error_set(err, CP_E_INVALID,
                            "%s: certain, possible, lower_ppm and upper_ppm must not be NULL", who);
    }
    CP_TRY(check_args(g, layer, designated, params, &ctl, who, err));
    lo = cp__malloc_array((size_t)g->m, sizeof *lo);
    hi = cp__malloc_array((size_t)g->m, sizeof *hi);
    if (lo == NULL || hi == NULL) {
        status = CP_E_NOMEM;
        goto cleanup;
    }
    for (int64_t e = 0; e < g->m; e++) {
        if (g->layer[e] != layer || g->src[e] == g->dst[e]) {
            lo[e] = hi[e] = -2;
            continue;
        }
        if (lower_ppm[e] < 0 || lower_ppm[e] > upper_ppm[e] || upper_ppm[e] > SHARE_MAX_PPM) {
            status =
                cp_error_set(err, CP_E_INVALID,
                             "%s: edge %lld has the range [%lld, %lld] ppm: need 0 <= lower "
                             "<= upper <= 1e12",
                             who, (long long)e, (long long)lower_ppm[e], (long long)upper_ppm[e]);
            goto cleanup;
        }
        lo[e] = lower_ppm[e];
        hi[e] = upper_ppm[e];
    }
    CP_TRY(closure(&rc, g, lo, ctl, designated, params));
    CP_TRY(closure(&rp, g, hi, ctl, designated, params));
    *certain = rc;
    *possible = rp;
    rc = rp = NULL;

cleanup:
    if (status == CP_E_NOMEM) {
        cp_error_set(err, CP_E_NOMEM, "%s: out of memory (n = %d, m = %lld)", who, (int)g->n,
                     (long long)g->m);
    }
    cp_block_result_free(&rc);
    cp_block_result_free(&rp);
    cp__free(lo);
    cp__free(hi);
    return status;
}
