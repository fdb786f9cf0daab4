/* Generators: the synthetic sanctions-evasion network and R-MAT. */
#include <criterion/criterion.h>
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "chokepoint/generate.h"
#include "cp_test.h"
#include "graph_impl.h"

/* ---------------------------------------------------------------------------------------------
 * Helpers */

static cp_graph *net(const cp_sanctions_net_params *p) {
    cp_graph *g = NULL;
    cp_error err = {0};
    cp_status s = cp_generate_sanctions_net(&g, p, &err);
    cr_assert_eq(s, CP_OK, "sanctions-net: %s", err.msg);
    cr_assert_not_null(g);
    return g;
}

static cp_graph *rmat(const cp_rmat_params *p) {
    cp_graph *g = NULL;
    cp_error err = {0};
    cp_status s = cp_generate_rmat(&g, p, &err);
    cr_assert_eq(s, CP_OK, "rmat: %s", err.msg);
    cr_assert_not_null(g);
    return g;
}

/* Every array and dataset of two graphs, element by element (weights bit for bit). */
static bool graphs_identical(const cp_graph *a, const cp_graph *b) {
    if (a->n != b->n || a->m != b->m || a->ids_are_int != b->ids_are_int ||
        a->n_layers != b->n_layers || a->n_groups != b->n_groups) {
        return false;
    }
    size_t n = (size_t)a->n, m = (size_t)a->m;
    if (memcmp(a->ids_int, b->ids_int, n * sizeof *a->ids_int) != 0 ||
        memcmp(a->kind, b->kind, n) != 0 || memcmp(a->country, b->country, 2 * n) != 0 ||
        memcmp(a->designated, b->designated, n) != 0 ||
        memcmp(a->src, b->src, m * sizeof *a->src) != 0 ||
        memcmp(a->dst, b->dst, m * sizeof *a->dst) != 0 ||
        memcmp(a->layer, b->layer, m * sizeof *a->layer) != 0 ||
        memcmp(a->weight, b->weight, m * sizeof *a->weight) != 0) {
        return false;
    }
    if ((a->time == NULL) != (b->time == NULL) ||
        (a->description == NULL) != (b->description == NULL) ||
        (a->description != NULL && strcmp(a->description, b->description) != 0)) {
        return false;
    }
    for (int i = 0; i < a->n_layers; i++) {
        const cp_layer *x = &a->layers[i], *y = &b->layers[i];
        if (strcmp(x->name, y->name) != 0 || strcmp(x->units, y->units) != 0 ||
            x->meaning != y->meaning || x->directed != y->directed) {
            return false;
        }
    }
    for (int i = 0; i < a->n_groups; i++) {
        const cp_group *x = &a->groups[i], *y = &b->groups[i];
        if (strcmp(x->name, y->name) != 0 || x->size != y->size ||
            memcmp(x->members, y->members, (size_t)x->size * sizeof *x->members) != 0) {
            return false;
        }
    }
    return true;
}

/* Node ranges of the sanctions network, in id order. */
typedef struct ranges {
    int32_t origin, front, gateway, bank, licit, n;
} ranges;

static ranges ranges_of(const cp_sanctions_net_params *p) {
    ranges r;
    r.origin = 0;
    r.front = p->n_origin;
    r.gateway = r.front + p->n_front;
    r.bank = r.gateway + p->n_gateway;
    r.licit = r.bank + p->n_bank;
    r.n = r.licit + p->n_licit;
    return r;
}

enum { R_ORIGIN, R_FRONT, R_GATEWAY, R_BANK, R_LICIT };

static int role(const ranges *r, int32_t v) {
    if (v < r->front) {
        return R_ORIGIN;
    }
    if (v < r->gateway) {
        return R_FRONT;
    }
    if (v < r->bank) {
        return R_GATEWAY;
    }
    if (v < r->licit) {
        return R_BANK;
    }
    return R_LICIT;
}

static bool is_cents(double w) {
    double c = w * 100.0;
    return fabs(c - round(c)) <= 1e-6 * fmax(1.0, fabs(c));
}

/* Checks the invariants every sanctions network must hold, for any parameters. */
static void check_net_invariants(const cp_graph *g, const cp_sanctions_net_params *p) {
    ranges r = ranges_of(p);
    cr_assert_eq(g->n, r.n);
    cr_assert(g->ids_are_int);
    int own = cp__graph_find_layer(g, "ownership"), tx = cp__graph_find_layer(g, "transaction");
    cr_assert(own >= 0 && tx >= 0);
    cr_assert_eq(g->n_layers, 2);
    cr_assert_eq(g->layers[own].meaning, CP_MEANING_SHARE);
    cr_assert_str_eq(g->layers[own].units, "fraction");
    cr_assert(g->layers[own].directed);
    cr_assert_eq(g->layers[tx].meaning, CP_MEANING_AMOUNT);
    cr_assert_str_eq(g->layers[tx].units, "USD");
    cr_assert(g->layers[tx].directed);

    const char *names[5] = {"origin", "front", "gateway", "bank", "licit"};
    const int32_t first[5] = {r.origin, r.front, r.gateway, r.bank, r.licit};
    const int32_t size[5] = {p->n_origin, p->n_front, p->n_gateway, p->n_bank, p->n_licit};
    for (int k = 0; k < 5; k++) {
        const cp_group *grp = cp__graph_find_group(g, names[k]);
        cr_assert_not_null(grp, "group %s", names[k]);
        cr_assert_eq(grp->size, size[k], "group %s has %ld members", names[k], (long)grp->size);
        for (int64_t i = 0; i < grp->size; i++) {
            cr_assert_eq(grp->members[i], first[k] + i);
        }
    }
    for (int32_t v = 0; v < g->n; v++) {
        cr_assert_eq(g->ids_int[v], v);
        int ro = role(&r, v);
        const char *cc = &g->country[2 * v];
        cr_assert(cc[0] >= 'A' && cc[0] <= 'Z' && cc[1] >= 'A' && cc[1] <= 'Z');
        if (ro == R_ORIGIN) {
            cr_assert(g->kind[v] == CP_KIND_COMPANY || g->kind[v] == CP_KIND_GOVERNMENT);
            cr_assert(cc[0] == 'X' && cc[1] == 'S');
            cr_assert_eq(g->designated[v], 1);
        } else {
            cr_assert_eq(g->kind[v], ro == R_BANK ? CP_KIND_BANK : CP_KIND_COMPANY);
            cr_assert_eq(g->designated[v], 0);
            cr_assert(!(cc[0] == 'X' && cc[1] == 'S'));
        }
    }

    double *owned = calloc((size_t)g->n + 1, sizeof *owned);
    double *owned_by_origin = calloc((size_t)g->n + 1, sizeof *owned_by_origin);
    int *owners = calloc((size_t)g->n + 1, sizeof *owners);
    for (int64_t e = 0; e < g->m; e++) {
        int32_t s = g->src[e], d = g->dst[e];
        cr_assert(s >= 0 && s < g->n && d >= 0 && d < g->n, "edge %ld out of range", (long)e);
        double w = g->weight[e];
        cr_assert(isfinite(w) && w > 0.0, "edge %ld weight %g", (long)e, w);
        int rs = role(&r, s), rd = role(&r, d);
        if (g->layer[e] == own) {
            cr_assert(w <= 1.0);
            cr_assert(is_cents(w), "share %g is not a whole percent", w);
            cr_assert((rs == R_ORIGIN && (rd == R_FRONT || rd == R_GATEWAY)) ||
                      (rs == R_LICIT && rd == R_FRONT));
            if (rd == R_GATEWAY) {
                cr_assert(w >= 0.10 - 1e-12 && w <= 0.45 + 1e-12, "gateway stake %g", w);
            }
            owned[d] += w;
            owners[d]++;
            if (rs == R_ORIGIN) {
                owned_by_origin[d] += w;
            }
        } else {
            cr_assert_eq(g->layer[e], tx);
            cr_assert(is_cents(w), "amount %.17g is not in cents", w);
            bool ok = (rs == R_ORIGIN && rd == R_FRONT) ||
                      (rs == R_FRONT && (rd == R_GATEWAY || rd == R_BANK)) ||
                      (rs == R_GATEWAY && (rd == R_BANK || rd == R_GATEWAY)) ||
                      (rs == R_LICIT && (rd == R_GATEWAY || rd == R_BANK));
            cr_assert(ok, "unexpected transaction %d -> %d", rs, rd);
            cr_assert(s != d);
        }
    }
    for (int32_t v = 0; v < g->n; v++) {
        cr_assert(owned[v] <= 1.0 + 1e-12, "node %d owned %.17g", v, owned[v]);
        if (role(&r, v) == R_FRONT) {
            cr_assert(fabs(owned[v] - 1.0) <= 1e-12, "front %d: shares sum to %.17g", v, owned[v]);
            cr_assert(owners[v] >= 1 && owners[v] <= 5);
            cr_assert(owned_by_origin[v] >= 0.25 - 1e-12, "front %d: origins hold %g", v,
                      owned_by_origin[v]);
        }
    }
    free(owned);
    free(owned_by_origin);
    free(owners);
}

/* ---------------------------------------------------------------------------------------------
 * The sanctions network */

Test(sanctions_net, defaults) {
    cp_sanctions_net_params p;
    memset(&p, 0xff, sizeof p);
    cp_sanctions_net_params_init(&p);
    cr_assert_eq(p.n_origin, 20);
    cr_assert_eq(p.n_front, 400);
    cr_assert_eq(p.n_gateway, 12);
    cr_assert_eq(p.n_bank, 30);
    cr_assert_eq(p.n_licit, 2000);
    cr_assert_eq(p.front_gateways, 2);
    cr_assert_eq(p.gateway_zipf, 1.0);
    cr_assert_eq(p.p_front_bank, 0.03);
    cr_assert_eq(p.licit_share, 0.8);
    cr_assert_eq(p.p_gateway_stake, 0.2);
    cr_assert_eq(p.p_front_partial, 0.1);
    cr_assert_eq(p.front_volume, 2e6);
    cr_assert_eq(p.seed, 1);
}

Test(sanctions_net, sizes_groups_layers_and_invariants) {
    cp_sanctions_net_params p;
    cp_sanctions_net_params_init(&p);
    cp_graph *g = net(&p);
    cr_assert_eq(cp_graph_n(g), 20 + 400 + 12 + 30 + 2000);
    cr_assert(cp_graph_m(g) > 400 * 3);
    cr_assert_not_null(g->description);
    cr_assert_not_null(strstr(g->description, "n_front=400"));
    cr_assert_not_null(strstr(g->description, "seed=1"));
    check_net_invariants(g, &p);
    cp_graph_free(&g);
}

Test(sanctions_net, same_seed_identical_other_seed_different) {
    cp_sanctions_net_params p;
    cp_sanctions_net_params_init(&p);
    p.seed = 42;
    cp_graph *a = net(&p);
    cp_graph *b = net(&p);
    cr_assert(graphs_identical(a, b));
    p.seed = 43;
    cp_graph *c = net(&p);
    cr_assert(!graphs_identical(a, c));
    cr_assert(a->m != c->m || memcmp(a->weight, c->weight, (size_t)a->m * sizeof(double)) != 0);
    cp_graph_free(&a);
    cp_graph_free(&b);
    cp_graph_free(&c);
}

Test(sanctions_net, independent_of_thread_count) {
    cp_sanctions_net_params p;
    cp_sanctions_net_params_init(&p);
    omp_set_num_threads(1);
    cp_graph *a = net(&p);
    omp_set_num_threads(2);
    cp_graph *b = net(&p);
    cr_assert(graphs_identical(a, b));
    cp_graph_free(&a);
    cp_graph_free(&b);
}

Test(sanctions_net, ownership_shapes) {
    cp_sanctions_net_params p;
    cp_sanctions_net_params_init(&p);
    cp_graph *g = net(&p);
    ranges r = ranges_of(&p);
    int own = cp__graph_find_layer(g, "ownership");
    int *origin_owners = calloc((size_t)g->n, sizeof *origin_owners);
    double *origin_share = calloc((size_t)g->n, sizeof *origin_share);
    int stakes = 0;
    for (int64_t e = 0; e < g->m; e++) {
        if (g->layer[e] == own && role(&r, g->src[e]) == R_ORIGIN) {
            if (role(&r, g->dst[e]) == R_FRONT) {
                origin_owners[g->dst[e]]++;
                origin_share[g->dst[e]] += g->weight[e];
            } else {
                stakes++;
            }
        }
    }
    int by_count[4] = {0, 0, 0, 0}, partial = 0, even_pair = 0;
    for (int32_t f = r.front; f < r.gateway; f++) {
        cr_assert(origin_owners[f] >= 1 && origin_owners[f] <= 3);
        if (origin_share[f] < 0.5) {
            partial++;
            cr_assert(origin_share[f] >= 0.25 - 1e-12 && origin_share[f] <= 0.49 + 1e-12);
        } else {
            cr_assert(fabs(origin_share[f] - 1.0) <= 1e-12);
            by_count[origin_owners[f]]++;
        }
    }
    for (int64_t e = 0; e < g->m; e++) { /* 0.5/0.5 splits exist */
        if (g->layer[e] == own && role(&r, g->dst[e]) == R_FRONT && origin_owners[g->dst[e]] == 2 &&
            g->weight[e] == 0.5) {
            even_pair++;
        }
    }
    /* 10% partial fronts of 400: 40 expected, sd about 6. */
    cr_assert(partial >= 15 && partial <= 70, "partial fronts: %d", partial);
    cr_assert(by_count[1] > 50 && by_count[2] > 30 && by_count[3] > 20, "%d %d %d", by_count[1],
              by_count[2], by_count[3]);
    cr_assert(even_pair > 0);
    /* 20 origins with p = 0.2: 4 expected. */
    cr_assert(stakes >= 1 && stakes <= 12, "gateway stakes: %d", stakes);
    free(origin_owners);
    free(origin_share);
    cp_graph_free(&g);
}

/* The shape the brief asks for: a few large gateways carry most of the illicit flow, licit trade
 * is licit_share of gateway inflow, gateways pass their inflow on to banks, some fronts leak
 * straight to banks. */
Test(sanctions_net, flow_structure) {
    cp_sanctions_net_params p;
    cp_sanctions_net_params_init(&p);
    cp_graph *g = net(&p);
    ranges r = ranges_of(&p);
    int tx = cp__graph_find_layer(g, "transaction");
    int ng = p.n_gateway;
    double *illicit = calloc((size_t)ng, sizeof *illicit);
    double *licit = calloc((size_t)ng, sizeof *licit);
    double *to_banks = calloc((size_t)ng, sizeof *to_banks);
    int *front_gw = calloc((size_t)g->n, sizeof *front_gw);
    int *gw_banks = calloc((size_t)ng, sizeof *gw_banks);
    int leaks = 0, trade = 0;
    double origin_out = 0.0, leak_amount = 0.0;
    for (int64_t e = 0; e < g->m; e++) {
        if (g->layer[e] != tx) {
            continue;
        }
        int rs = role(&r, g->src[e]), rd = role(&r, g->dst[e]);
        double w = g->weight[e];
        if (rs == R_ORIGIN) {
            origin_out += w;
        } else if (rs == R_FRONT && rd == R_GATEWAY) {
            illicit[g->dst[e] - r.gateway] += w;
            front_gw[g->src[e]]++;
        } else if (rs == R_FRONT && rd == R_BANK) {
            leaks++;
            leak_amount += w;
        } else if (rs == R_LICIT && rd == R_GATEWAY) {
            licit[g->dst[e] - r.gateway] += w;
        } else if (rs == R_GATEWAY && rd == R_BANK) {
            to_banks[g->src[e] - r.gateway] += w;
            gw_banks[g->src[e] - r.gateway]++;
        } else if (rs == R_GATEWAY && rd == R_GATEWAY) {
            trade++;
        }
    }
    for (int32_t f = r.front; f < r.gateway; f++) {
        cr_assert_eq(front_gw[f], p.front_gateways, "front %d pays %d gateways", f, front_gw[f]);
    }
    double total_illicit = 0.0, total_licit = 0.0, top3 = 0.0;
    for (int i = 0; i < ng; i++) {
        total_illicit += illicit[i];
        total_licit += licit[i];
        cr_assert(gw_banks[i] >= 2 && gw_banks[i] <= 4);
        double in = illicit[i] + licit[i];
        cr_assert(fabs(to_banks[i] - in) <= 0.01 * gw_banks[i] + 1e-9 * in,
                  "gateway %d: in %.2f out %.2f", i, in, to_banks[i]);
        if (illicit[i] > 0.0) {
            cr_assert(fabs(licit[i] / in - p.licit_share) <= 1e-3, "gateway %d licit share %g", i,
                      licit[i] / in);
        }
    }
    for (int k = 0; k < 3; k++) { /* the three largest by illicit inflow */
        int best = 0;
        for (int i = 1; i < ng; i++) {
            best = illicit[i] > illicit[best] ? i : best;
        }
        top3 += illicit[best];
        illicit[best] = -1.0;
    }
    /* Zipf(1) over 12 gateways: the top three hold about 59% of the size. */
    cr_assert(top3 / total_illicit > 0.45, "top three gateways carry %g", top3 / total_illicit);
    cr_assert(top3 / total_illicit < 0.9);
    cr_assert(fabs(total_licit / (total_licit + total_illicit) - p.licit_share) <= 1e-3);
    cr_assert(leaks >= 2 && leaks <= 30, "front -> bank leaks: %d", leaks);
    cr_assert(leak_amount > 0.0 && leak_amount < 0.1 * origin_out);
    cr_assert(fabs(total_illicit + leak_amount - origin_out) <= 0.01 * (3 * p.n_front),
              "front inflow %.2f outflow %.2f", origin_out, total_illicit + leak_amount);
    cr_assert(trade >= 1 && trade <= ng);
    free(illicit);
    free(licit);
    free(to_banks);
    free(front_gw);
    free(gw_banks);
    cp_graph_free(&g);
}

Test(sanctions_net, parameter_variants) {
    cp_sanctions_net_params base;
    cp_sanctions_net_params_init(&base);
    base.n_front = 60;
    base.n_licit = 80;
    cp_sanctions_net_params v[12];
    int nv = 0;
    v[nv] = base; /* nothing but licit trade */
    v[nv].n_origin = 0;
    v[nv].n_front = 0;
    nv++;
    v[nv] = base; /* no gateways at all */
    v[nv].n_gateway = 0;
    v[nv].front_gateways = 0;
    v[nv].p_front_bank = 1.0;
    nv++;
    v[nv] = base; /* every gateway, equal sizes */
    v[nv].front_gateways = v[nv].n_gateway;
    v[nv].gateway_zipf = 0.0;
    nv++;
    v[nv] = base; /* extreme skew: weights underflow */
    v[nv].front_gateways = 4;
    v[nv].gateway_zipf = 400.0;
    nv++;
    v[nv] = base; /* no licit trade, no banks */
    v[nv].licit_share = 0.0;
    v[nv].n_bank = 0;
    nv++;
    v[nv] = base; /* no licit traders: no partial fronts */
    v[nv].n_licit = 0;
    v[nv].p_front_partial = 1.0;
    nv++;
    v[nv] = base; /* every front partial, every origin with a stake, one origin */
    v[nv].p_front_partial = 1.0;
    v[nv].p_gateway_stake = 1.0;
    v[nv].n_origin = 1;
    nv++;
    v[nv] = base; /* one of everything */
    v[nv].n_origin = v[nv].n_front = v[nv].n_gateway = v[nv].n_bank = v[nv].n_licit = 1;
    v[nv].front_gateways = 1;
    nv++;
    v[nv] = base; /* an empty graph */
    v[nv].n_origin = v[nv].n_front = v[nv].n_gateway = v[nv].n_bank = v[nv].n_licit = 0;
    v[nv].front_gateways = 0;
    nv++;
    v[nv] = base; /* all fronts leak, licit_share near 1 */
    v[nv].p_front_bank = 1.0;
    v[nv].licit_share = 0.99;
    nv++;
    for (int i = 0; i < nv; i++) {
        cp_graph *g = net(&v[i]);
        check_net_invariants(g, &v[i]);
        cp_graph_free(&g);
    }
}

Test(sanctions_net, partial_fronts_everywhere) {
    cp_sanctions_net_params p;
    cp_sanctions_net_params_init(&p);
    p.p_front_partial = 1.0;
    p.n_front = 100;
    cp_graph *g = net(&p);
    ranges r = ranges_of(&p);
    int own = cp__graph_find_layer(g, "ownership");
    double *by_origin = calloc((size_t)g->n, sizeof *by_origin);
    for (int64_t e = 0; e < g->m; e++) {
        if (g->layer[e] == own && role(&r, g->src[e]) == R_ORIGIN &&
            role(&r, g->dst[e]) == R_FRONT) {
            by_origin[g->dst[e]] += g->weight[e];
        }
    }
    for (int32_t f = r.front; f < r.gateway; f++) {
        cr_assert(by_origin[f] >= 0.25 - 1e-12 && by_origin[f] <= 0.49 + 1e-12, "front %d: %g", f,
                  by_origin[f]);
    }
    free(by_origin);
    cp_graph_free(&g);
}

static void expect_invalid(const cp_sanctions_net_params *p, const char *name) {
    cp_graph *g = (cp_graph *)p; /* any non-NULL value: must be cleared */
    cp_error err = {0};
    cp_status s = cp_generate_sanctions_net(&g, p, &err);
    cr_assert_eq(s, CP_E_INVALID, "%s: status %d", name, s);
    cr_assert_null(g);
    cr_assert_not_null(strstr(err.msg, name), "message '%s' does not name %s", err.msg, name);
}

Test(sanctions_net, invalid_parameters) {
    cp_sanctions_net_params base, p;
    cp_sanctions_net_params_init(&base);
#define BAD(field, value)                                                                          \
    do {                                                                                           \
        p = base;                                                                                  \
        p.field = value;                                                                           \
        expect_invalid(&p, #field);                                                                \
    } while (0)
    BAD(n_origin, -1);
    BAD(n_origin, 0);
    BAD(n_front, -5);
    BAD(n_gateway, -1);
    BAD(n_bank, -1);
    BAD(n_licit, -2);
    BAD(n_licit, INT32_MAX);
    BAD(front_gateways, -1);
    BAD(front_gateways, 13);
    BAD(gateway_zipf, -0.5);
    BAD(gateway_zipf, NAN);
    BAD(gateway_zipf, INFINITY);
    BAD(p_front_bank, 1.5);
    BAD(p_front_bank, -0.1);
    BAD(p_front_bank, NAN);
    BAD(licit_share, 1.0);
    BAD(licit_share, -0.1);
    BAD(p_gateway_stake, 2.0);
    BAD(p_front_partial, -1.0);
    BAD(front_volume, 0.0);
    BAD(front_volume, INFINITY);
#undef BAD
    cp_graph *g = NULL;
    cr_assert_eq(cp_generate_sanctions_net(&g, NULL, NULL), CP_E_INVALID);
    cr_assert_eq(cp_generate_sanctions_net(NULL, &base, NULL), CP_E_INVALID);
}

Test(sanctions_net, every_allocation_failure_is_clean) {
    cp_sanctions_net_params p;
    cp_sanctions_net_params_init(&p);
    p.n_front = 50;
    p.n_licit = 600; /* enough edges to grow the edge lists a few times */
    cp_status s = CP_E_NOMEM;
    long k;
    for (k = 0; k < 10000 && s != CP_OK; k++) {
        cp_graph *g = NULL;
        cp_error err = {0};
        cp__alloc_fail_after(k);
        s = cp_generate_sanctions_net(&g, &p, &err);
        cp__alloc_fail_after(-1);
        if (s == CP_OK) {
            cr_assert_not_null(g);
        } else {
            cr_assert_eq(s, CP_E_NOMEM, "failure %ld: %s", k, err.msg);
            cr_assert_null(g);
        }
        cp_graph_free(&g);
    }
    cr_assert_eq(s, CP_OK);
    cr_assert(k > 10);
}

/* ---------------------------------------------------------------------------------------------
 * R-MAT */

Test(rmat, defaults) {
    cp_rmat_params p;
    memset(&p, 0xff, sizeof p);
    cp_rmat_params_init(&p);
    cr_assert_eq(p.scale, 16);
    cr_assert_eq(p.edge_factor, 16);
    cr_assert_eq(p.a, 0.57);
    cr_assert_eq(p.b, 0.19);
    cr_assert_eq(p.c, 0.19);
    cr_assert_eq(p.weighted, 0);
    cr_assert_eq(p.seed, 1);
}

Test(rmat, sizes_layer_and_range) {
    cp_rmat_params p;
    cp_rmat_params_init(&p);
    p.scale = 10;
    p.edge_factor = 8;
    cp_graph *g = rmat(&p);
    cr_assert_eq(cp_graph_n(g), 1024);
    cr_assert_eq(cp_graph_m(g), 8 * 1024);
    cr_assert_eq(g->n_layers, 1);
    cr_assert_str_eq(g->layers[0].name, "edges");
    cr_assert_eq(g->layers[0].meaning, CP_MEANING_NONE);
    cr_assert(g->layers[0].directed);
    cr_assert_eq(g->n_groups, 0);
    cr_assert_not_null(g->description);
    cr_assert_not_null(strstr(g->description, "scale=10"));
    for (int32_t i = 0; i < g->n; i++) {
        cr_assert_eq(g->ids_int[i], i);
    }
    for (int64_t e = 0; e < g->m; e++) {
        cr_assert(g->src[e] >= 0 && g->src[e] < g->n && g->dst[e] >= 0 && g->dst[e] < g->n);
        cr_assert_eq(g->weight[e], 1.0);
        cr_assert_eq(g->layer[e], 0);
    }
    cp_graph_free(&g);
}

Test(rmat, default_size) {
    cp_rmat_params p;
    cp_rmat_params_init(&p);
    cp_graph *g = rmat(&p);
    cr_assert_eq(cp_graph_n(g), 65536);
    cr_assert_eq(cp_graph_m(g), (int64_t)16 * 65536);
    cp_graph_free(&g);
}

Test(rmat, same_seed_identical_other_seed_different) {
    cp_rmat_params p;
    cp_rmat_params_init(&p);
    p.scale = 12;
    p.weighted = 1;
    cp_graph *a = rmat(&p);
    cp_graph *b = rmat(&p);
    cr_assert(graphs_identical(a, b));
    p.seed = 2;
    cp_graph *c = rmat(&p);
    cr_assert(!graphs_identical(a, c));
    cr_assert(memcmp(a->src, c->src, (size_t)a->m * sizeof *a->src) != 0);
    cr_assert(memcmp(a->weight, c->weight, (size_t)a->m * sizeof *a->weight) != 0);
    cp_graph_free(&a);
    cp_graph_free(&b);
    cp_graph_free(&c);
}

Test(rmat, independent_of_thread_count) {
    cp_rmat_params p;
    cp_rmat_params_init(&p);
    p.scale = 14;
    p.weighted = 1;
    omp_set_num_threads(1);
    cp_graph *a = rmat(&p);
    omp_set_num_threads(2);
    cp_graph *b = rmat(&p);
    omp_set_num_threads(3);
    cp_graph *c = rmat(&p);
    cr_assert(graphs_identical(a, b));
    cr_assert(graphs_identical(a, c));
    cp_graph_free(&a);
    cp_graph_free(&b);
    cp_graph_free(&c);
}

/* With one quadrant certain, every edge is the same (permuted) pair. */
static void check_single_pair(double a, double b, double c, bool loop, uint64_t seed,
                              int32_t *node) {
    cp_rmat_params p;
    cp_rmat_params_init(&p);
    p.scale = 8;
    p.edge_factor = 4;
    p.a = a;
    p.b = b;
    p.c = c;
    p.seed = seed;
    cp_graph *g = rmat(&p);
    for (int64_t e = 0; e < g->m; e++) {
        cr_assert_eq(g->src[e], g->src[0]);
        cr_assert_eq(g->dst[e], g->dst[0]);
    }
    cr_assert_eq(g->src[0] == g->dst[0], loop);
    *node = g->src[0];
    cp_graph_free(&g);
}

Test(rmat, one_certain_quadrant) {
    int32_t node[4];
    for (int s = 0; s < 4; s++) {
        check_single_pair(1.0, 0.0, 0.0, true, (uint64_t)s + 1, &node[s]); /* all at node 0 */
    }
    /* The seeded relabelling moves the loop node around. */
    cr_assert(!(node[0] == node[1] && node[1] == node[2] && node[2] == node[3]));
    check_single_pair(0.0, 0.0, 0.0, true, 1, &node[0]);  /* d = 1: all at node n-1 */
    check_single_pair(0.0, 1.0, 0.0, false, 1, &node[0]); /* 0 -> n-1 */
    check_single_pair(0.0, 0.0, 1.0, false, 1, &node[0]); /* n-1 -> 0 */
}

static int cmp_desc_i64(const void *x, const void *y) {
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return (a < b) - (a > b);
}

/* The quadrant probabilities, seen through statistics the relabelling does not change: P(loop) =
 * (a + d)^scale, and the sorted out-degrees (in-degrees) of a node with k one-bits are
 * m (a + b)^(scale - k) (c + d)^k (m (a + c)^(scale - k) (b + d)^k), C(scale, k) nodes each. */
Test(rmat, quadrant_statistics) {
    cp_rmat_params p;
    cp_rmat_params_init(&p);
    p.scale = 4;
    p.edge_factor = 8192; /* m = 131072 */
    p.b = 0.21;
    p.c = 0.15; /* d = 0.07 */
    cp_graph *g = rmat(&p);
    double m = (double)g->m, d = 1.0 - p.a - p.b - p.c;
    int64_t out[16] = {0}, in[16] = {0}, loops = 0;
    for (int64_t e = 0; e < g->m; e++) {
        out[g->src[e]]++;
        in[g->dst[e]]++;
        loops += g->src[e] == g->dst[e];
    }
    double want_loops = pow(p.a + d, 4);
    cr_assert(fabs(loops / m - want_loops) < 0.01, "loops %g want %g", loops / m, want_loops);
    qsort(out, 16, sizeof out[0], cmp_desc_i64);
    qsort(in, 16, sizeof in[0], cmp_desc_i64);
    const int binom[5] = {1, 4, 6, 4, 1};
    int pos = 0;
    for (int k = 0; k <= 4; k++) {
        double want_out = pow(p.a + p.b, 4 - k) * pow(p.c + d, k);
        double want_in = pow(p.a + p.c, 4 - k) * pow(p.b + d, k);
        for (int j = 0; j < binom[k]; j++, pos++) {
            cr_assert(fabs(out[pos] / m - want_out) < 0.01, "out-degree %d: %g want %g", pos,
                      out[pos] / m, want_out);
            cr_assert(fabs(in[pos] / m - want_in) < 0.01, "in-degree %d: %g want %g", pos,
                      in[pos] / m, want_in);
        }
    }
    cp_graph_free(&g);
}

Test(rmat, skewed_degrees) {
    cp_rmat_params p;
    cp_rmat_params_init(&p);
    p.scale = 14;
    cp_graph *g = rmat(&p);
    int64_t *deg = calloc((size_t)g->n, sizeof *deg);
    for (int64_t e = 0; e < g->m; e++) {
        deg[g->src[e]]++;
        deg[g->dst[e]]++;
    }
    int64_t max = 0, isolated = 0;
    for (int32_t i = 0; i < g->n; i++) {
        max = deg[i] > max ? deg[i] : max;
        isolated += deg[i] == 0;
    }
    double mean = 2.0 * (double)g->m / g->n;
    cr_assert(max > 20 * mean, "max degree %ld, mean %g", (long)max, mean);
    cr_assert(isolated > 0);
    free(deg);
    cp_graph_free(&g);

    p.a = p.b = p.c = 0.25; /* uniform: Erdos-Renyi-like, no hubs */
    g = rmat(&p);
    deg = calloc((size_t)g->n, sizeof *deg);
    for (int64_t e = 0; e < g->m; e++) {
        deg[g->src[e]]++;
        deg[g->dst[e]]++;
    }
    max = 0;
    for (int32_t i = 0; i < g->n; i++) {
        max = deg[i] > max ? deg[i] : max;
    }
    cr_assert(max < 3 * mean, "uniform: max degree %ld, mean %g", (long)max, mean);
    free(deg);
    cp_graph_free(&g);
}

Test(rmat, weighted) {
    cp_rmat_params p;
    cp_rmat_params_init(&p);
    p.scale = 12;
    p.weighted = 1;
    cp_graph *g = rmat(&p);
    cr_assert_eq(g->layers[0].meaning, CP_MEANING_AMOUNT);
    double sum = 0.0;
    for (int64_t e = 0; e < g->m; e++) {
        cr_assert(g->weight[e] > 0.0 && g->weight[e] <= 1.0);
        sum += g->weight[e];
    }
    cr_assert(fabs(sum / g->m - 0.5) < 0.01);
    cp_graph_free(&g);
}

static void expect_rmat_invalid(const cp_rmat_params *p, const char *name) {
    cp_graph *g = (cp_graph *)p;
    cp_error err = {0};
    cp_status s = cp_generate_rmat(&g, p, &err);
    cr_assert_eq(s, CP_E_INVALID, "%s: status %d", name, s);
    cr_assert_null(g);
    cr_assert_not_null(strstr(err.msg, name), "message '%s' does not name %s", err.msg, name);
}

Test(rmat, invalid_parameters) {
    cp_rmat_params base, p;
    cp_rmat_params_init(&base);
#define BAD(field, value, name)                                                                    \
    do {                                                                                           \
        p = base;                                                                                  \
        p.field = value;                                                                           \
        expect_rmat_invalid(&p, name);                                                             \
    } while (0)
    BAD(scale, 0, "scale");
    BAD(scale, 31, "scale");
    BAD(scale, -3, "scale");
    BAD(edge_factor, 0, "edge_factor");
    BAD(edge_factor, -16, "edge_factor");
    BAD(a, -0.1, "a ");
    BAD(a, NAN, "a ");
    BAD(b, 1.5, "b ");
    BAD(c, -1e-9, "c ");
    BAD(a, 0.7, "a + b + c");
#undef BAD
    p = base;
    p.scale = 30;
    p.edge_factor = 1 << 20; /* 2^50 edges */
    expect_rmat_invalid(&p, "edge_factor");
    cp_graph *g = NULL;
    cr_assert_eq(cp_generate_rmat(&g, NULL, NULL), CP_E_INVALID);
    cr_assert_eq(cp_generate_rmat(NULL, &base, NULL), CP_E_INVALID);
}

Test(rmat, every_allocation_failure_is_clean) {
    cp_rmat_params p;
    cp_rmat_params_init(&p);
    p.scale = 6;
    p.edge_factor = 2;
    cp_status s = CP_E_NOMEM;
    long k;
    for (k = 0; k < 1000 && s != CP_OK; k++) {
        cp_graph *g = NULL;
        cp_error err = {0};
        cp__alloc_fail_after(k);
        s = cp_generate_rmat(&g, &p, &err);
        cp__alloc_fail_after(-1);
        if (s == CP_OK) {
            cr_assert_not_null(g);
        } else {
            cr_assert_eq(s, CP_E_NOMEM, "failure %ld: %s", k, err.msg);
            cr_assert_null(g);
        }
        cp_graph_free(&g);
    }
    cr_assert_eq(s, CP_OK);
    cr_assert(k > 5);
}
