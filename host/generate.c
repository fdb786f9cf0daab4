/* Graph generators: the synthetic sanctions-evasion network and Graph500-style R-MAT.
 *
 * Every random decision is a Philox draw (kernels/common/philox.h) with purpose CP_RNG_GENERATE,
 * keyed by the seed, a sub-stream id per kind of decision (the `scenario` word), a pick number (the
 * `round` word), the entity it concerns (the element) and a try number (the draw). No decision
 * shares random bits with another, nothing depends on the order of other decisions' draws, and
 * nothing depends on the thread count. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "chokepoint/generate.h"
#include "graph_impl.h"
#include "philox.h"

/* Sub-streams (the Philox `scenario` word under CP_RNG_GENERATE). */
enum {
    ST_ORIGIN_KIND = 1,
    ST_COUNTRY = 2,
    ST_GATEWAY_RANK = 3,
    ST_FRONT_SHAPE = 4,
    ST_FRONT_ORIGINS = 5,
    ST_FRONT_LICIT = 6,
    ST_FRONT_VOLUME = 7,
    ST_FRONT_LEAK = 8,
    ST_FRONT_GATEWAYS = 9,
    ST_FRONT_SPLIT = 10,
    ST_STAKE = 11,
    ST_LICIT_SHAPE = 12,
    ST_LICIT_GATEWAYS = 13,
    ST_LICIT_WEIGHT = 14,
    ST_LICIT_FILL = 15,
    ST_LICIT_BANKS = 16,
    ST_LICIT_BANK_AMOUNT = 17,
    ST_GATEWAY_SHAPE = 18,
    ST_GATEWAY_BANKS = 19,
    ST_GATEWAY_SPLIT = 20,
    ST_TRADE_PAIR = 21,
    ST_TRADE_AMOUNT = 22,
    ST_RMAT_EDGE = 64,
    ST_RMAT_WEIGHT = 65,
    ST_RMAT_PERM = 66
};

/* Tries by rejection before an exact scan when drawing without replacement. */
#define PICK_TRIES 64
/* The most picks one entity makes from one set (the Philox `round` word holds the pick number). */
#define MAX_PICKS 65536

/* Shape constants of the sanctions network that are not parameters. */
#define P_GOVERNMENT       0.25  /* an origin entity is a government body */
#define FRONT_SIGMA        1.0   /* log-spread of front volumes */
#define LICIT_SIGMA        1.0   /* log-spread of licit traders' gateway business */
#define LICIT_BANK_MEDIAN  5.0e5 /* median licit payment straight to a bank, USD */
#define LICIT_BANK_SIGMA   1.2
#define P_LICIT_TWO        0.3   /* a licit trader uses two gateways */
#define P_LICIT_TWO_BANKS  0.4   /* a licit trader pays two banks */
#define NOMINAL_GATEWAY    1.0e8 /* reference gateway volume when no front exists, USD */
#define TRADE_EDGES_PER_GW 0.25  /* gateway -> gateway trade edges per gateway */

static const char *const hub_countries[] = {"AE", "HK", "TR", "MY", "SG", "CN", "RU", "IN"};
static const char *const bank_countries[] = {"US", "GB", "DE", "CH", "FR", "JP", "SG", "HK"};
static const char *const licit_countries[] = {"US", "DE", "CN", "JP", "GB", "FR", "IT", "NL",
                                              "KR", "IN", "BR", "CA", "MX", "AE", "SG", "TR",
                                              "ES", "AU", "CH", "SE", "PL", "ZA", "VN", "TH"};
#define N_OF(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* ---------------------------------------------------------------------------------------------
 * Random draws */

static double unif(uint64_t seed, uint32_t stream, uint32_t round, uint64_t elem, uint32_t draw) {
    return cp_rng_uniform(seed, stream, round, CP_RNG_GENERATE, elem, draw);
}

/* An integer in [0, k), k >= 1, from one uniform (53 bits: the bias is below 2^-22 for any k that
 * fits an int32). */
static int64_t below(int64_t k, uint64_t seed, uint32_t stream, uint32_t round, uint64_t elem,
                     uint32_t draw) {
    int64_t v = (int64_t)(unif(seed, stream, round, elem, draw) * (double)k);
    return v < k ? v : k - 1;
}

/* A standard normal deviate (Box-Muller) from draws `draw` and `draw + 1`. */
static double normal(uint64_t seed, uint32_t stream, uint32_t round, uint64_t elem, uint32_t draw) {
    double u1 = 1.0 - unif(seed, stream, round, elem, draw); /* (0, 1] */
    double u2 = unif(seed, stream, round, elem, draw + 1);
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

/* Rounds a USD amount to cents, never below one cent. */
static double cents(double x) {
    double r = round(x * 100.0) / 100.0;
    return r >= 0.01 ? r : 0.01;
}

/* A weighted set to draw from: w[i] >= 0, cum[i] = w[0] + ... + w[i], and a mark per member used
 * to keep draws distinct (all zero between calls). */
typedef struct pick_set {
    int32_t count;
    const double *w;
    const double *cum;
    uint8_t *mark;
} pick_set;

/* Draws k distinct members of s into out[0..k-1], each with probability proportional to its
 * weight among those not drawn yet (members of weight 0 come only once the positive weight is
 * exhausted, uniformly). Pick j uses round j; try t uses draw t: up to PICK_TRIES rejection draws
 * by binary search on cum, then one exact scan over the remaining members. Requires
 * k <= s->count and k <= MAX_PICKS. Leaves s->mark all zero. */
static void pick_distinct(int32_t *out, int32_t k, pick_set *s, uint64_t seed, uint32_t stream,
                          uint64_t elem) {
    int32_t count = s->count;
    double total = count > 0 ? s->cum[count - 1] : 0.0;
    for (int32_t j = 0; j < k; j++) {
        int32_t got = -1;
        for (uint32_t t = 0; t < PICK_TRIES && total > 0.0; t++) {
            double x = unif(seed, stream, (uint32_t)j, elem, t) * total;
            int32_t lo = 0, hi = count; /* first i with cum[i] > x */
            while (lo < hi) {
                int32_t mid = lo + (hi - lo) / 2;
                if (s->cum[mid] > x) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            if (lo < count && !s->mark[lo]) {
                got = lo;
                break;
            }
        }
        if (got < 0) { /* exact draw over what remains */
            double rest = 0.0;
            int32_t free_members = 0;
            for (int32_t i = 0; i < count; i++) {
                if (!s->mark[i]) {
                    rest += s->w[i];
                    free_members++;
                }
            }
            double u = unif(seed, stream, (uint32_t)j, elem, PICK_TRIES);
            if (rest > 0.0) {
                double x = u * rest, acc = 0.0;
                for (int32_t i = 0; i < count; i++) {
                    if (!s->mark[i] && s->w[i] > 0.0) {
                        got = i; /* the last positive one, should rounding leave x >= acc */
                        acc += s->w[i];
                        if (acc > x) {
                            break;
                        }
                    }
                }
            } else {
                int64_t r = (int64_t)(u * (double)free_members);
                for (int32_t i = 0; i < count; i++) {
                    if (!s->mark[i]) {
                        got = i;
                        if (r-- <= 0) {
                            break;
                        }
                    }
                }
            }
        }
        out[j] = got;
        s->mark[got] = 1;
    }
    for (int32_t j = 0; j < k; j++) {
        s->mark[out[j]] = 0;
    }
}

/* ---------------------------------------------------------------------------------------------
 * A growable edge list */

typedef struct edge_buf {
    int64_t m, cap;
    int32_t *src, *dst;
    double *w;
} edge_buf;

static void edge_buf_free(edge_buf *b) {
    cp__free(b->src);
    cp__free(b->dst);
    cp__free(b->w);
    memset(b, 0, sizeof *b);
}

static cp_status edge_push(edge_buf *b, int32_t s, int32_t d, double w, cp_error *err) {
    if (b->m == b->cap) {
        int64_t cap = b->cap > 0 ? 2 * b->cap : 1024;
        int32_t *src = cp__realloc(b->src, (size_t)cap * sizeof *src);
        if (src != NULL) {
            b->src = src;
        }
        int32_t *dst = cp__realloc(b->dst, (size_t)cap * sizeof *dst);
        if (dst != NULL) {
            b->dst = dst;
        }
        double *w_new = cp__realloc(b->w, (size_t)cap * sizeof *w_new);
        if (w_new != NULL) {
            b->w = w_new;
        }
        if (src == NULL || dst == NULL || w_new == NULL) {
            return cp_error_set(err, CP_E_NOMEM,
                                "sanctions-net: out of memory growing the edge "
                                "list");
        }
        b->cap = cap;
    }
    b->src[b->m] = s;
    b->dst[b->m] = d;
    b->w[b->m] = w;
    b->m++;
    return CP_OK;
}

/* ---------------------------------------------------------------------------------------------
 * Common node and group helpers */

static void set_country(cp_graph *g, int32_t i, const char *code) {
    g->country[2 * (size_t)i] = code[0];
    g->country[2 * (size_t)i + 1] = code[1];
}

/* Adds group `name` = nodes first..first+count-1, using scratch (>= count entries). */
static cp_status add_range_group(cp_graph *g, const char *name, int32_t first, int32_t count,
                                 int32_t *scratch, cp_error *err) {
    for (int32_t i = 0; i < count; i++) {
        scratch[i] = first + i;
    }
    return cp__graph_add_group(g, name, scratch, count, err);
}

static cp_status set_description(cp_graph *g, const char *text, cp_error *err) {
    cp__free(g->description);
    g->description = cp__strdup(text);
    if (g->description == NULL) {
        return cp_error_set(err, CP_E_NOMEM, "out of memory writing the graph description");
    }
    return CP_OK;
}

static bool is_prob(double x) {
    return x >= 0.0 && x <= 1.0; /* false for NaN */
}

/* ---------------------------------------------------------------------------------------------
 * The sanctions-evasion network */

void cp_sanctions_net_params_init(cp_sanctions_net_params *p) {
    memset(p, 0, sizeof *p);
    p->n_origin = 20;
    p->n_front = 400;
    p->n_gateway = 12;
    p->n_bank = 30;
    p->n_licit = 2000;
    p->front_gateways = 2;
    p->gateway_zipf = 1.0;
    p->p_front_bank = 0.03;
    p->licit_share = 0.8;
    p->p_gateway_stake = 0.2;
    p->p_front_partial = 0.1;
    p->front_volume = 2.0e6;
    p->seed = 1;
}

static cp_status check_sanctions_params(const cp_sanctions_net_params *p, cp_error *err) {
    const char *fmt = "sanctions-net: %s must be >= 0 (got %" PRId32 ")";
    if (p->n_origin < 0) {
        return cp_error_set(err, CP_E_INVALID, fmt, "n_origin", p->n_origin);
    }
    if (p->n_front < 0) {
        return cp_error_set(err, CP_E_INVALID, fmt, "n_front", p->n_front);
    }
    if (p->n_gateway < 0) {
        return cp_error_set(err, CP_E_INVALID, fmt, "n_gateway", p->n_gateway);
    }
    if (p->n_bank < 0) {
        return cp_error_set(err, CP_E_INVALID, fmt, "n_bank", p->n_bank);
    }
    if (p->n_licit < 0) {
        return cp_error_set(err, CP_E_INVALID, fmt, "n_licit", p->n_licit);
    }
    int64_t n = (int64_t)p->n_origin + p->n_front + p->n_gateway + p->n_bank + p->n_licit;
    if (n > INT32_MAX) {
        return cp_error_set(err, CP_E_INVALID,
                            "sanctions-net: n_origin + n_front + n_gateway + n_bank + n_licit = "
                            "%" PRId64 " exceeds the node limit %" PRId32,
                            n, INT32_MAX);
    }
    if (p->n_front > 0 && p->n_origin < 1) {
        return cp_error_set(err, CP_E_INVALID,
                            "sanctions-net: n_origin must be >= 1 when n_front > 0 (fronts need "
                            "owners)");
    }
    if (p->front_gateways < 0 || p->front_gateways > p->n_gateway ||
        p->front_gateways > MAX_PICKS) {
        return cp_error_set(err, CP_E_INVALID,
                            "sanctions-net: front_gateways must lie in 0..min(n_gateway = %" PRId32
                            ", %d) (got %" PRId32 ")",
                            p->n_gateway, MAX_PICKS, p->front_gateways);
    }
    if (!(p->gateway_zipf >= 0.0) || !isfinite(p->gateway_zipf)) {
        return cp_error_set(err, CP_E_INVALID,
                            "sanctions-net: gateway_zipf must be finite and >= 0 (got %g)",
                            p->gateway_zipf);
    }
    if (!is_prob(p->p_front_bank)) {
        return cp_error_set(err, CP_E_INVALID,
                            "sanctions-net: p_front_bank must lie in [0, 1] "
                            "(got %g)",
                            p->p_front_bank);
    }
    if (!(p->licit_share >= 0.0 && p->licit_share < 1.0)) {
        return cp_error_set(err, CP_E_INVALID,
                            "sanctions-net: licit_share must lie in [0, 1) "
                            "(got %g)",
                            p->licit_share);
    }
    if (!is_prob(p->p_gateway_stake)) {
        return cp_error_set(err, CP_E_INVALID,
                            "sanctions-net: p_gateway_stake must lie in [0, 1] (got %g)",
                            p->p_gateway_stake);
    }
    if (!is_prob(p->p_front_partial)) {
        return cp_error_set(err, CP_E_INVALID,
                            "sanctions-net: p_front_partial must lie in [0, 1] (got %g)",
                            p->p_front_partial);
    }
    if (!(p->front_volume > 0.0) || !isfinite(p->front_volume)) {
        return cp_error_set(err, CP_E_INVALID,
                            "sanctions-net: front_volume must be finite and > 0 (got %g)",
                            p->front_volume);
    }
    return CP_OK;
}

/* Splits `total` whole percent into k >= 1 parts of at least `least` each (k * least <= total),
 * written to pct[0..k-1]: with probability 1/2 in nearly equal parts (50/50, 30/30/40, 18/19),
 * else at random. */
static void split_percent(int *pct, int k, int total, int least, uint64_t seed, uint64_t elem,
                          uint32_t round) {
    if (k == 1) {
        pct[0] = total;
        return;
    }
    if (unif(seed, ST_FRONT_SHAPE, round, elem, 0) < 0.5) {
        int base = total / k;
        if (total == 100 && base >= 20) { /* round parts: 0.3/0.3/0.4 rather than 33/33/34 */
            base = base / 10 * 10;
        }
        for (int j = 0; j < k - 1; j++) {
            pct[j] = base;
        }
        pct[k - 1] = total - base * (k - 1);
        return;
    }
    int left = total;
    for (int j = 0; j < k - 1; j++) {
        int room = left - least * (k - j); /* what may go above the minimum of the parts left */
        pct[j] = least + (int)below((int64_t)room + 1, seed, ST_FRONT_SHAPE, round, elem,
                                    (uint32_t)(1 + j));
        left -= pct[j];
    }
    pct[k - 1] = left;
}

cp_status cp_generate_sanctions_net(cp_graph **out, const cp_sanctions_net_params *p,
                                    cp_error *err) {
    cp_status status = CP_OK;
    cp_graph *g = NULL;
    edge_buf own = {0}, tx = {0};
    double *gw_w = NULL, *gw_cum = NULL, *gw_in = NULL, *gw_licit = NULL, *gw_raw = NULL;
    double *one_w = NULL, *one_cum = NULL;
    int32_t *rank = NULL, *scratch = NULL;
    uint8_t *mark = NULL;
    int *gw_stake = NULL;

    if (out == NULL || p == NULL) {
        return cp_error_set(err, CP_E_INVALID, "sanctions-net: NULL %s",
                            out == NULL ? "output" : "parameters");
    }
    *out = NULL;
    CP_TRY(check_sanctions_params(p, err));

    const uint64_t seed = p->seed;
    const int32_t no = p->n_origin, nf = p->n_front, ng = p->n_gateway, nb = p->n_bank;
    const int32_t nl = p->n_licit;
    const int32_t f0 = no, g0 = f0 + nf, b0 = g0 + ng, l0 = b0 + nb, n = l0 + nl;
    int32_t big = no;
    big = nf > big ? nf : big;
    big = ng > big ? ng : big;
    big = nb > big ? nb : big;
    big = nl > big ? nl : big;

    gw_w = cp__calloc((size_t)ng + 1, sizeof *gw_w);
    gw_cum = cp__calloc((size_t)ng + 1, sizeof *gw_cum);
    gw_in = cp__calloc((size_t)ng + 1, sizeof *gw_in);
    gw_licit = cp__calloc((size_t)ng + 1, sizeof *gw_licit);
    gw_raw = cp__calloc((size_t)ng + 1, sizeof *gw_raw);
    gw_stake = cp__calloc((size_t)ng + 1, sizeof *gw_stake);
    rank = cp__calloc((size_t)ng + 1, sizeof *rank);
    one_w = cp__calloc((size_t)big + 1, sizeof *one_w);
    one_cum = cp__calloc((size_t)big + 1, sizeof *one_cum);
    scratch = cp__calloc((size_t)big + 1, sizeof *scratch);
    mark = cp__calloc((size_t)big + 1, sizeof *mark);
    if (gw_w == NULL || gw_cum == NULL || gw_in == NULL || gw_licit == NULL || gw_raw == NULL ||
        gw_stake == NULL || rank == NULL || one_w == NULL || one_cum == NULL || scratch == NULL ||
        mark == NULL) {
        status = cp_error_set(err, CP_E_NOMEM, "sanctions-net: out of memory");
        goto cleanup;
    }
    for (int32_t i = 0; i < big; i++) { /* uniform weights, for uniform distinct draws */
        one_w[i] = 1.0;
        one_cum[i] = (double)i + 1.0;
    }

    /* Nodes. */
    CP_TRY(cp_graph_new(&g, err));
    CP_TRY(cp__graph_alloc_nodes(g, n, true, err));
    for (int32_t i = 0; i < n; i++) {
        g->ids_int[i] = i;
    }
    for (int32_t i = 0; i < no; i++) {
        bool gov = unif(seed, ST_ORIGIN_KIND, 0, (uint64_t)i, 0) < P_GOVERNMENT;
        g->kind[i] = (uint8_t)(gov ? CP_KIND_GOVERNMENT : CP_KIND_COMPANY);
        g->designated[i] = 1;
        set_country(g, i, "XS");
    }
    for (int32_t i = f0; i < b0; i++) { /* fronts and gateways */
        g->kind[i] = CP_KIND_COMPANY;
        set_country(g, i,
                    hub_countries[below(N_OF(hub_countries), seed, ST_COUNTRY, 0, (uint64_t)i, 0)]);
    }
    for (int32_t i = b0; i < l0; i++) {
        g->kind[i] = CP_KIND_BANK;
        set_country(
            g, i, bank_countries[below(N_OF(bank_countries), seed, ST_COUNTRY, 0, (uint64_t)i, 0)]);
    }
    for (int32_t i = l0; i < n; i++) {
        g->kind[i] = CP_KIND_COMPANY;
        set_country(
            g, i,
            licit_countries[below(N_OF(licit_countries), seed, ST_COUNTRY, 0, (uint64_t)i, 0)]);
    }

    /* Gateway sizes: Zipf weights (rank + 1)^-zipf over a seeded random order (Fisher-Yates). */
    for (int32_t i = 0; i < ng; i++) {
        rank[i] = i;
    }
    for (int32_t i = ng - 1; i > 0; i--) {
        int32_t j = (int32_t)below((int64_t)i + 1, seed, ST_GATEWAY_RANK, 0, (uint64_t)i, 0);
        int32_t t = rank[i];
        rank[i] = rank[j];
        rank[j] = t;
    }
    double gw_total = 0.0, gw_max = 0.0;
    for (int32_t i = 0; i < ng; i++) {
        gw_w[i] = pow((double)rank[i] + 1.0, -p->gateway_zipf);
        gw_total += gw_w[i];
        gw_cum[i] = gw_total;
        gw_max = gw_w[i] > gw_max ? gw_w[i] : gw_max;
    }
    pick_set gateways = {ng, gw_w, gw_cum, mark};
    pick_set origins = {no, one_w, one_cum, mark};
    pick_set licits = {nl, one_w, one_cum, mark};
    pick_set banks = {nb, one_w, one_cum, mark};

    /* Fronts: owners, funding, leakage and payments into gateways. */
    for (int32_t i = 0; i < nf; i++) {
        const int32_t f = f0 + i;
        const uint64_t e = (uint64_t)i;
        int32_t who_o[3], who_l[2];
        int pct_o[3], pct_l[2];
        int k_o, k_l = 0, origin_pct = 100;
        bool partial = nl > 0 && unif(seed, ST_FRONT_SHAPE, 100, e, 0) < p->p_front_partial;
        if (partial) {
            origin_pct = 25 + (int)below(25, seed, ST_FRONT_SHAPE, 100, e, 1);
            k_o = (no >= 2 && unif(seed, ST_FRONT_SHAPE, 100, e, 2) < 0.5) ? 2 : 1;
            k_l = (nl >= 2 && unif(seed, ST_FRONT_SHAPE, 100, e, 3) < 0.5) ? 2 : 1;
            split_percent(pct_o, k_o, origin_pct, 1, seed, e, 101);
            split_percent(pct_l, k_l, 100 - origin_pct, 1, seed, e, 102);
        } else {
            double u = unif(seed, ST_FRONT_SHAPE, 100, e, 4);
            k_o = u < 0.5 ? 1 : (u < 0.8 ? 2 : 3);
            k_o = k_o < no ? k_o : no;
            split_percent(pct_o, k_o, 100, 10, seed, e, 103);
        }
        pick_distinct(who_o, k_o, &origins, seed, ST_FRONT_ORIGINS, e);
        if (k_l > 0) {
            pick_distinct(who_l, k_l, &licits, seed, ST_FRONT_LICIT, e);
        }
        for (int j = 0; j < k_o; j++) {
            CP_TRY(edge_push(&own, who_o[j], f, pct_o[j] / 100.0, err));
        }
        for (int j = 0; j < k_l; j++) {
            CP_TRY(edge_push(&own, l0 + who_l[j], f, pct_l[j] / 100.0, err));
        }

        /* Funding by the origin owners, in proportion to their shares. */
        double volume = p->front_volume * exp(FRONT_SIGMA * normal(seed, ST_FRONT_VOLUME, 0, e, 0));
        for (int j = 0; j < k_o; j++) {
            CP_TRY(edge_push(&tx, who_o[j], f, cents(volume * pct_o[j] / origin_pct), err));
        }

        /* Leakage straight to a bank. */
        double to_gateways = volume;
        if (nb > 0 && unif(seed, ST_FRONT_LEAK, 0, e, 0) < p->p_front_bank) {
            int32_t bank = b0 + (int32_t)below(nb, seed, ST_FRONT_LEAK, 0, e, 1);
            double beta =
                p->front_gateways > 0 ? 0.2 + 0.4 * unif(seed, ST_FRONT_LEAK, 0, e, 2) : 1.0;
            CP_TRY(edge_push(&tx, f, bank, cents(volume * beta), err));
            to_gateways = volume * (1.0 - beta);
        }

        /* The rest into front_gateways distinct gateways, drawn by size, in random proportions. */
        int32_t k_g = p->front_gateways;
        if (k_g > 0) {
            pick_distinct(scratch, k_g, &gateways, seed, ST_FRONT_GATEWAYS, e);
            double sum = 0.0;
            for (int32_t j = 0; j < k_g; j++) {
                sum += 0.5 + unif(seed, ST_FRONT_SPLIT, (uint32_t)j, e, 0);
            }
            for (int32_t j = 0; j < k_g; j++) {
                double r = 0.5 + unif(seed, ST_FRONT_SPLIT, (uint32_t)j, e, 0);
                double amount = cents(to_gateways * r / sum);
                CP_TRY(edge_push(&tx, f, g0 + scratch[j], amount, err));
                gw_in[scratch[j]] += amount;
            }
        }
    }

    /* Minority stakes of origins in gateways. */
    for (int32_t o = 0; o < no && ng > 0; o++) {
        if (unif(seed, ST_STAKE, 0, (uint64_t)o, 0) < p->p_gateway_stake) {
            int32_t gw = (int32_t)below(ng, seed, ST_STAKE, 0, (uint64_t)o, 1);
            int pct = 10 + (int)below(36, seed, ST_STAKE, 0, (uint64_t)o, 2);
            if (gw_stake[gw] + pct <= 100) {
                gw_stake[gw] += pct;
                CP_TRY(edge_push(&own, o, g0 + gw, pct / 100.0, err));
            }
        }
    }

    /* Licit inflow of each gateway: licit_share of its total, i.e. ls / (1 - ls) times its
     * illicit inflow (or, for a gateway no front uses, its size's share of all illicit inflow). */
    double illicit_total = 0.0;
    for (int32_t i = 0; i < ng; i++) {
        illicit_total += gw_in[i];
    }
    double ratio = p->licit_share / (1.0 - p->licit_share);
    for (int32_t i = 0; i < ng; i++) {
        double ref = gw_in[i];
        if (ref <= 0.0) {
            ref = illicit_total > 0.0 ? illicit_total * gw_w[i] / gw_total
                                      : (gw_max > 0.0 ? NOMINAL_GATEWAY * gw_w[i] / gw_max : 0.0);
        }
        gw_licit[i] = ratio * ref;
    }

    /* Licit traders -> gateways: raw lognormal weights first, scaled per gateway afterwards. */
    int64_t licit_first = tx.m;
    if (ng > 0 && nl > 0 && ratio > 0.0) {
        for (int32_t t = 0; t < nl; t++) {
            const uint64_t e = (uint64_t)t;
            int32_t k = (ng >= 2 && unif(seed, ST_LICIT_SHAPE, 0, e, 0) < P_LICIT_TWO) ? 2 : 1;
            int32_t who[2];
            pick_distinct(who, k, &gateways, seed, ST_LICIT_GATEWAYS, e);
            for (int32_t j = 0; j < k; j++) {
                double r = exp(LICIT_SIGMA * normal(seed, ST_LICIT_WEIGHT, (uint32_t)j, e, 0));
                CP_TRY(edge_push(&tx, l0 + t, g0 + who[j], r, err));
                gw_raw[who[j]] += r;
            }
        }
        for (int32_t i = 0; i < ng; i++) { /* a trader for every gateway that drew none */
            if (gw_raw[i] == 0.0 && gw_licit[i] > 0.0) {
                int32_t t = (int32_t)below(nl, seed, ST_LICIT_FILL, 0, (uint64_t)i, 0);
                CP_TRY(edge_push(&tx, l0 + t, g0 + i, 1.0, err));
                gw_raw[i] = 1.0;
            }
        }
    }
    double *gw_licit_paid = gw_raw; /* reused: raw sums are read once per edge below */
    for (int64_t e = licit_first; e < tx.m; e++) {
        int32_t i = tx.dst[e] - g0;
        tx.w[e] = cents(gw_licit[i] * tx.w[e] / gw_raw[i]);
    }
    for (int32_t i = 0; i < ng; i++) {
        gw_licit_paid[i] = 0.0;
    }
    for (int64_t e = licit_first; e < tx.m; e++) {
        gw_licit_paid[tx.dst[e] - g0] += tx.w[e];
    }

    /* Licit traders -> banks directly. */
    for (int32_t t = 0; t < nl && nb > 0; t++) {
        const uint64_t e = (uint64_t)t;
        int32_t k = (nb >= 2 && unif(seed, ST_LICIT_SHAPE, 1, e, 0) < P_LICIT_TWO_BANKS) ? 2 : 1;
        int32_t who[2];
        pick_distinct(who, k, &banks, seed, ST_LICIT_BANKS, e);
        for (int32_t j = 0; j < k; j++) {
            double z = normal(seed, ST_LICIT_BANK_AMOUNT, (uint32_t)j, e, 0);
            CP_TRY(edge_push(&tx, l0 + t, b0 + who[j],
                             cents(LICIT_BANK_MEDIAN * exp(LICIT_BANK_SIGMA * z)), err));
        }
    }

    /* Gateways -> banks: the whole inflow spread over 2-4 distinct banks. */
    for (int32_t i = 0; i < ng && nb > 0; i++) {
        const uint64_t e = (uint64_t)i;
        double inflow = gw_in[i] + gw_licit_paid[i];
        if (inflow <= 0.0) {
            continue;
        }
        int32_t k = 2 + (int32_t)below(3, seed, ST_GATEWAY_SHAPE, 0, e, 0);
        k = k < nb ? k : nb;
        int32_t who[4];
        pick_distinct(who, k, &banks, seed, ST_GATEWAY_BANKS, e);
        double sum = 0.0;
        for (int32_t j = 0; j < k; j++) {
            sum += 0.5 + unif(seed, ST_GATEWAY_SPLIT, (uint32_t)j, e, 0);
        }
        for (int32_t j = 0; j < k; j++) {
            double r = 0.5 + unif(seed, ST_GATEWAY_SPLIT, (uint32_t)j, e, 0);
            CP_TRY(edge_push(&tx, g0 + i, b0 + who[j], cents(inflow * r / sum), err));
        }
    }

    /* A few gateway -> gateway trade edges, both ends drawn by size. */
    int32_t n_trade = ng >= 2 ? (int32_t)ceil(TRADE_EDGES_PER_GW * ng) : 0;
    for (int32_t k = 0; k < n_trade; k++) {
        int32_t pair[2];
        pick_distinct(pair, 2, &gateways, seed, ST_TRADE_PAIR, (uint64_t)k);
        double inflow = gw_in[pair[0]] + gw_licit_paid[pair[0]];
        if (inflow > 0.0) {
            double frac = 0.01 + 0.04 * unif(seed, ST_TRADE_AMOUNT, 0, (uint64_t)k, 0);
            CP_TRY(edge_push(&tx, g0 + pair[0], g0 + pair[1], cents(inflow * frac), err));
        }
    }

    /* The graph: ownership edges first, then transactions. */
    int li_own, li_tx;
    CP_TRY(cp__graph_add_layer(g, "ownership", CP_MEANING_SHARE, "fraction", true, &li_own, err));
    CP_TRY(cp__graph_add_layer(g, "transaction", CP_MEANING_AMOUNT, "USD", true, &li_tx, err));
    CP_TRY(cp__graph_alloc_edges(g, own.m + tx.m, false, err));
    for (int64_t e = 0; e < own.m; e++) {
        g->src[e] = own.src[e];
        g->dst[e] = own.dst[e];
        g->weight[e] = own.w[e];
        g->layer[e] = (uint8_t)li_own;
    }
    for (int64_t e = 0; e < tx.m; e++) {
        g->src[own.m + e] = tx.src[e];
        g->dst[own.m + e] = tx.dst[e];
        g->weight[own.m + e] = tx.w[e];
        g->layer[own.m + e] = (uint8_t)li_tx;
    }
    edge_buf_free(&own);
    edge_buf_free(&tx);

    CP_TRY(add_range_group(g, "origin", 0, no, scratch, err));
    CP_TRY(add_range_group(g, "front", f0, nf, scratch, err));
    CP_TRY(add_range_group(g, "gateway", g0, ng, scratch, err));
    CP_TRY(add_range_group(g, "bank", b0, nb, scratch, err));
    CP_TRY(add_range_group(g, "licit", l0, nl, scratch, err));

    char text[512];
    snprintf(text, sizeof text,
             "chokepoint synthetic sanctions-evasion network: n_origin=%" PRId32 " n_front=%" PRId32
             " n_gateway=%" PRId32 " n_bank=%" PRId32 " n_licit=%" PRId32 " front_gateways=%" PRId32
             " gateway_zipf=%g p_front_bank=%g licit_share=%g "
             "p_gateway_stake=%g p_front_partial=%g front_volume=%g seed=%" PRIu64,
             no, nf, ng, nb, nl, p->front_gateways, p->gateway_zipf, p->p_front_bank,
             p->licit_share, p->p_gateway_stake, p->p_front_partial, p->front_volume, seed);
    CP_TRY(set_description(g, text, err));
    CP_TRY(cp__graph_finalize(g, err));
    *out = g;
    g = NULL;

cleanup:
    cp_graph_free(&g);
    edge_buf_free(&own);
    edge_buf_free(&tx);
    cp__free(gw_w);
    cp__free(gw_cum);
    cp__free(gw_in);
    cp__free(gw_licit);
    cp__free(gw_raw);
    cp__free(gw_stake);
    cp__free(rank);
    cp__free(one_w);
    cp__free(one_cum);
    cp__free(scratch);
    cp__free(mark);
    return status;
}

/* ---------------------------------------------------------------------------------------------
 * R-MAT */

void cp_rmat_params_init(cp_rmat_params *p) {
    memset(p, 0, sizeof *p);
    p->scale = 16;
    p->edge_factor = 16;
    p->a = 0.57;
    p->b = 0.19;
    p->c = 0.19;
    p->weighted = 0;
    p->seed = 1;
}

static cp_status check_rmat_params(const cp_rmat_params *p, cp_error *err) {
    if (p->scale < 1 || p->scale > 30) {
        return cp_error_set(err, CP_E_INVALID, "rmat: scale must lie in 1..30 (got %d)", p->scale);
    }
    if (p->edge_factor < 1) {
        return cp_error_set(err, CP_E_INVALID, "rmat: edge_factor must be >= 1 (got %d)",
                            p->edge_factor);
    }
    if ((int64_t)p->edge_factor > (INT64_C(1) << (48 - p->scale))) {
        return cp_error_set(err, CP_E_INVALID,
                            "rmat: edge_factor * 2^scale must be at most 2^48 (edge_factor %d, "
                            "scale %d)",
                            p->edge_factor, p->scale);
    }
    const double q[3] = {p->a, p->b, p->c};
    const char *names[3] = {"a", "b", "c"};
    for (int i = 0; i < 3; i++) {
        if (!is_prob(q[i])) {
            return cp_error_set(err, CP_E_INVALID, "rmat: %s must lie in [0, 1] (got %g)", names[i],
                                q[i]);
        }
    }
    if (p->a + p->b + p->c > 1.0 + 1e-12) {
        return cp_error_set(err, CP_E_INVALID, "rmat: a + b + c must be <= 1 (got %.17g)",
                            p->a + p->b + p->c);
    }
    return CP_OK;
}

cp_status cp_generate_rmat(cp_graph **out, const cp_rmat_params *p, cp_error *err) {
    cp_status status = CP_OK;
    cp_graph *g = NULL;
    int32_t *perm = NULL;

    if (out == NULL || p == NULL) {
        return cp_error_set(err, CP_E_INVALID, "rmat: NULL %s",
                            out == NULL ? "output" : "parameters");
    }
    *out = NULL;
    CP_TRY(check_rmat_params(p, err));

    const int scale = p->scale;
    const int32_t n = (int32_t)(INT64_C(1) << scale);
    const int64_t m = (int64_t)p->edge_factor << scale;
    const uint64_t seed = p->seed;
    const double ta = p->a, tab = p->a + p->b, tabc = p->a + p->b + p->c;
    const int weighted = p->weighted != 0;

    CP_TRY(cp_graph_new(&g, err));
    CP_TRY(cp__graph_alloc_nodes(g, n, true, err));
    int li;
    CP_TRY(cp__graph_add_layer(g, "edges", weighted ? CP_MEANING_AMOUNT : CP_MEANING_NONE, "", true,
                               &li, err));
    CP_TRY(cp__graph_alloc_edges(g, m, false, err));
    perm = cp__malloc_array((size_t)n, sizeof *perm);
    if (perm == NULL) {
        status = cp_error_set(err, CP_E_NOMEM,
                              "rmat: out of memory for a permutation of %" PRId32 " nodes", n);
        goto cleanup;
    }

    int32_t *ids_src = g->src, *ids_dst = g->dst;
    double *wt = g->weight;
    uint8_t *lay = g->layer;
    int64_t *ids = g->ids_int;

#pragma omp parallel for schedule(static)
    for (int32_t i = 0; i < n; i++) {
        ids[i] = i;
    }

    /* Each edge descends from the top bit: one Philox call gives four 32-bit uniforms, one per
     * level. Keyed by the edge index alone, so any thread may generate any edge. */
#pragma omp parallel for schedule(static)
    for (int64_t e = 0; e < m; e++) {
        uint32_t s = 0, d = 0;
        cp_philox_ctr words = {{0, 0, 0, 0}};
        for (int l = 0; l < scale; l++) {
            if ((l & 3) == 0) {
                words = cp_rng_words(seed, ST_RMAT_EDGE, 0, CP_RNG_GENERATE, (uint64_t)e,
                                     (uint32_t)(l >> 2));
            }
            double u = (double)words.v[l & 3] * (1.0 / 4294967296.0);
            /* Branch-free (the branches would be unpredictable): (0,0) below a, (0,1) below
             * a + b, (1,0) below a + b + c, else (1,1). */
            uint32_t ge_a = u >= ta, ge_ab = u >= tab, ge_abc = u >= tabc;
            s = (s << 1) | ge_ab;
            d = (d << 1) | ((ge_a & (ge_ab ^ 1u)) | ge_abc);
        }
        ids_src[e] = (int32_t)s;
        ids_dst[e] = (int32_t)d;
        wt[e] = weighted
                    ? 1.0 - cp_rng_uniform(seed, ST_RMAT_WEIGHT, 0, CP_RNG_GENERATE, (uint64_t)e, 0)
                    : 1.0;
        lay[e] = (uint8_t)li;
    }

    /* A uniform random relabelling (Fisher-Yates, draws keyed by position): serial, O(n). */
    for (int32_t i = 0; i < n; i++) {
        perm[i] = i;
    }
    for (int32_t i = n - 1; i > 0; i--) {
        int32_t j = (int32_t)below((int64_t)i + 1, seed, ST_RMAT_PERM, 0, (uint64_t)i, 0);
        int32_t t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
    }
#pragma omp parallel for schedule(static)
    for (int64_t e = 0; e < m; e++) {
        ids_src[e] = perm[ids_src[e]];
        ids_dst[e] = perm[ids_dst[e]];
    }

    char text[256];
    snprintf(text, sizeof text,
             "chokepoint R-MAT graph: scale=%d edge_factor=%d a=%g b=%g c=%g weighted=%d "
             "seed=%" PRIu64,
             scale, p->edge_factor, p->a, p->b, p->c, weighted, seed);
    CP_TRY(set_description(g, text, err));
    CP_TRY(cp__graph_finalize(g, err));
    *out = g;
    g = NULL;

cleanup:
    cp_graph_free(&g);
    cp__free(perm);
    return status;
}
