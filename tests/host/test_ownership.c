/* Tests of the ownership closure (include/chokepoint/ownership.h, host/ownership.c): the OFAC 50
 * Percent Rule, the EU and UK rules (> 50% or control) and share ranges.
 *
 * 1. cp_share_to_ppm: units, rounding half away from zero of the decimal a file said, rejects.
 * 2. The worked examples of OFAC's 2014 revised guidance and FAQ 401, as small hand-built graphs
 *    with the exact shares, and the corner cases of the brief (cycles, shares past 100%, exactly
 *    50%, 49.9999%, ppm sums that doubles get wrong, chains, tipped_by, exposure, self-ownership,
 *    other layers). Every hand case is run on EVERY permutation of its edge order (each order
 *    builds a fresh graph) and every result must be identical, field by field.
 * 3. Random graphs against the independent oracle tests/oracle/make_ownership_fixtures.py (exact
 *    Python arithmetic, a plain repeat-until-no-change loop): every node's status, round,
 *    exposure and tipping owners; also with the edges reversed and shuffled. A larger random
 *    graph on 1, 2 and 4 threads.
 * 4. Error paths with their exact statuses, n = 0, and every allocation failing in turn.
 * 5. EU and UK regimes (strictly more than 50%, control edges, control through blocked
 *    intermediaries, cycles), every edge order; cp_regime_params presets; cp_ownership_block_params
 *    equal to cp_ownership_block for ofac; share ranges (certainly / possibly blocked). The oracle
 *    fixtures ownership_eu_NN and ownership_uk_NN (section 3) carry control edges.
 *
 * Edges point from the owner to the owned entity: {X, A, 0.5} = X holds 50% of A. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <dirent.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "chokepoint/ownership.h"
#include "cp_test.h"
#include "graph_impl.h"

/* ---------------------------------------------------------------------------------------------
 * Helpers
 * ------------------------------------------------------------------------------------------- */

typedef struct edge {
    int32_t src, dst;
    double w;
    int control; /* 1: on the "control" layer (ignored by ofac, blocks under eu/uk), 0: on
                    "ownership" */
} edge;

/* A graph of n nodes with an "ownership" layer (share, the given units) and, when any edge asks
 * for it, a "control" layer. */
static cp_graph *own_graph(int32_t n, int m, const edge *e, const char *units) {
    cp_graph *g = NULL;
    cp_error err;
    int own = -1, ctl = -1;
    bool any_control = false;
    for (int i = 0; i < m; i++) {
        any_control = any_control || e[i].control != 0;
    }
    cr_assert_eq(cp_graph_new(&g, &err), CP_OK);
    cr_assert_eq(cp__graph_alloc_nodes(g, n, true, &err), CP_OK, "%s", err.msg);
    cr_assert_eq(cp__graph_alloc_edges(g, m, false, &err), CP_OK, "%s", err.msg);
    cr_assert_eq(cp__graph_add_layer(g, "ownership", CP_MEANING_SHARE, units, true, &own, &err),
                 CP_OK, "%s", err.msg);
    if (any_control) {
        cr_assert_eq(cp__graph_add_layer(g, "control", CP_MEANING_NONE, "", true, &ctl, &err),
                     CP_OK, "%s", err.msg);
    }
    for (int32_t i = 0; i < n; i++) {
        g->ids_int[i] = i;
    }
    for (int i = 0; i < m; i++) {
        g->src[i] = e[i].src;
        g->dst[i] = e[i].dst;
        g->weight[i] = e[i].w;
        g->layer[i] = (uint8_t)(e[i].control ? ctl : own);
    }
    cr_assert_eq(cp__graph_finalize(g, &err), CP_OK, "%s", err.msg);
    return g;
}

static int ownership_layer(const cp_graph *g) {
    int li = cp__graph_find_layer(g, "ownership");
    cr_assert_geq(li, 0);
    return li;
}

/* The closure under `regime` (OFAC through cp_ownership_block, the others through
 * cp_ownership_block_params with the regime's presets). */
static cp_block_result *block_regime(const cp_graph *g, const uint8_t *designated,
                                     cp_regime regime) {
    cp_block_result *r = NULL;
    cp_error err;
    cp_status s;
    if (regime == CP_REGIME_OFAC) {
        s = cp_ownership_block(&r, g, ownership_layer(g), designated, CP_REGIME_OFAC, &err);
    } else {
        cp_regime_params p;
        cr_assert_eq(cp_regime_params_init(&p, regime), CP_OK);
        s = cp_ownership_block_params(&r, g, ownership_layer(g), designated, &p, &err);
    }
    cr_assert_eq(s, CP_OK, "cp_ownership_block: %s", err.msg);
    cr_assert_not_null(r);
    return r;
}

static cp_block_result *block(const cp_graph *g, const uint8_t *designated) {
    return block_regime(g, designated, CP_REGIME_OFAC);
}

/* Every field of two results is identical (doubles compared exactly). */
static void assert_same(const cp_block_result *a, const cp_block_result *b, const char *what) {
    cr_assert_eq(a->n, b->n, "%s: n", what);
    cr_assert_eq(a->n_designated, b->n_designated, "%s: n_designated", what);
    cr_assert_eq(a->n_newly_blocked, b->n_newly_blocked, "%s: n_newly_blocked", what);
    for (int32_t v = 0; v < a->n; v++) {
        cr_assert_eq(a->blocked[v], b->blocked[v], "%s: blocked[%d]", what, v);
        cr_assert_eq(a->round[v], b->round[v], "%s: round[%d]", what, v);
        cr_assert_eq(a->blocked_ppm[v], b->blocked_ppm[v], "%s: blocked_ppm[%d]", what, v);
        cr_assert(a->exposure[v] == b->exposure[v], "%s: exposure[%d]", what, v);
        cr_assert_eq(a->by_control[v], b->by_control[v], "%s: by_control[%d]", what, v);
    }
    for (int32_t v = 0; v <= a->n; v++) {
        cr_assert_eq(a->tipped_offsets[v], b->tipped_offsets[v], "%s: tipped_offsets[%d]", what, v);
    }
    for (int64_t k = 0; k < a->tipped_offsets[a->n]; k++) {
        cr_assert_eq(a->tipped_by[k], b->tipped_by[k], "%s: tipped_by[%lld]", what, (long long)k);
    }
}

/* Runs the closure on every permutation of the edge order (Heap's algorithm; a fresh graph per
 * order) and asserts that all results are identical. Returns the result for the order given. */
static cp_block_result *block_all_orders_regime(int32_t n, int m, const edge *e, const char *units,
                                                const uint8_t *designated, cp_regime regime) {
    cr_assert_leq(m, 8, "too many edges for all permutations");
    cp_graph *g = own_graph(n, m, e, units);
    cp_block_result *ref = block_regime(g, designated, regime);
    cp_graph_free(&g);

    edge perm[8];
    int c[8] = {0};
    memcpy(perm, e, (size_t)m * sizeof *perm);
    long orders = 1;
    int i = 1;
    while (i < m) {
        if (c[i] < i) {
            int j = (i % 2 == 0) ? 0 : c[i];
            edge t = perm[j];
            perm[j] = perm[i];
            perm[i] = t;
            orders++;
            cp_graph *gp = own_graph(n, m, perm, units);
            cp_block_result *r = block_regime(gp, designated, regime);
            char what[64];
            snprintf(what, sizeof what, "edge order #%ld", orders);
            assert_same(r, ref, what);
            cp_block_result_free(&r);
            cp_graph_free(&gp);
            c[i]++;
            i = 1;
        } else {
            c[i] = 0;
            i++;
        }
    }
    long expect = 1;
    for (int k = 2; k <= m; k++) {
        expect *= k;
    }
    cr_assert_eq(orders, expect, "visited %ld of %ld edge orders", orders, expect);
    return ref;
}

static cp_block_result *block_all_orders(int32_t n, int m, const edge *e, const char *units,
                                         const uint8_t *designated) {
    return block_all_orders_regime(n, m, e, units, designated, CP_REGIME_OFAC);
}

static void assert_node(const cp_block_result *r, int32_t v, int blocked, int round, int64_t ppm) {
    cr_assert_eq(r->blocked[v], blocked, "node %d: blocked %d, expected %d", v, r->blocked[v],
                 blocked);
    cr_assert_eq(r->round[v], round, "node %d: round %d, expected %d", v, r->round[v], round);
    cr_assert_eq(r->blocked_ppm[v], ppm, "node %d: blocked_ppm %lld, expected %lld", v,
                 (long long)r->blocked_ppm[v], (long long)ppm);
    cr_assert(r->exposure[v] == (double)ppm / 1e6, "node %d: exposure %.17g", v, r->exposure[v]);
}

/* tipped_by of v is exactly the k owners listed (ascending). */
static void assert_tipped(const cp_block_result *r, int32_t v, int k, const int32_t *owners) {
    int64_t b = r->tipped_offsets[v], e = r->tipped_offsets[v + 1];
    cr_assert_eq(e - b, k, "node %d: %lld tipping owners, expected %d", v, (long long)(e - b), k);
    for (int i = 0; i < k; i++) {
        cr_assert_eq(r->tipped_by[b + i], owners[i], "node %d: tipped_by[%d] = %d, expected %d", v,
                     i, r->tipped_by[b + i], owners[i]);
    }
}

#define NOBODY ((const int32_t *)NULL)

/* ---------------------------------------------------------------------------------------------
 * 1. cp_share_to_ppm
 * ------------------------------------------------------------------------------------------- */

Test(ownership, share_to_ppm_units) {
    cr_assert_eq(cp_share_to_ppm(0.5, "fraction"), 500000);
    cr_assert_eq(cp_share_to_ppm(0.5, ""), 500000);
    cr_assert_eq(cp_share_to_ppm(0.5, NULL), 500000);
    cr_assert_eq(cp_share_to_ppm(50.0, "percent"), 500000);
    cr_assert_eq(cp_share_to_ppm(50.0, "%"), 500000);
    cr_assert_eq(cp_share_to_ppm(50.0, "Percent"), 500000);
    cr_assert_eq(cp_share_to_ppm(50.0, "PERCENT"), 500000);
    /* Units matter: 50 read as a fraction is 5000%, 0.5 read as percent is half a percent. */
    cr_assert_eq(cp_share_to_ppm(50.0, "fraction"), 50000000);
    cr_assert_eq(cp_share_to_ppm(0.5, "percent"), 5000);
    cr_assert_eq(cp_share_to_ppm(1.0, "fraction"), CP_PPM_ONE);
    cr_assert_eq(cp_share_to_ppm(100.0, "percent"), CP_PPM_ONE);
    cr_assert_eq(cp_share_to_ppm(0.0, "fraction"), 0);
    cr_assert_eq(cp_share_to_ppm(-0.0, "fraction"), 0);
}

Test(ownership, share_to_ppm_rounding) {
    /* Half away from zero, on the decimal the file said. */
    cr_assert_eq(cp_share_to_ppm(0.49999949, ""), 499999);
    cr_assert_eq(cp_share_to_ppm(0.4999995, ""), 500000); /* the tie rounds up */
    cr_assert_eq(cp_share_to_ppm(0.3333335, ""), 333334);
    cr_assert_eq(cp_share_to_ppm(0.1666665, ""), 166667);
    cr_assert_eq(cp_share_to_ppm(5e-7, ""), 1);
    cr_assert_eq(cp_share_to_ppm(2.5e-7, ""), 0);
    cr_assert_eq(cp_share_to_ppm(1.5e-6, ""), 2);
    cr_assert_eq(cp_share_to_ppm(49.9999, "percent"), 499999);
    cr_assert_eq(cp_share_to_ppm(49.99995, "percent"), 500000);
    /* Ties whose double product falls just below the half: 0.5189225 * 1e6 is
     * 518922.49999999994 and 12.34565 * 1e4 is 123456.49999999999, yet the decimals are ties. */
    cr_assert(0.5189225 * 1e6 < 518922.5);
    cr_assert_eq(cp_share_to_ppm(0.5189225, ""), 518923);
    cr_assert(12.34565 * 1e4 < 123456.5);
    cr_assert_eq(cp_share_to_ppm(12.34565, "percent"), 123457);
    /* Large (sloppy) values stay exact up to 1e12 ppm. */
    cr_assert_eq(cp_share_to_ppm(1.3, ""), 1300000);
    cr_assert_eq(cp_share_to_ppm(123456.5, "percent"), 1234565000);
    cr_assert_eq(cp_share_to_ppm(1e6, ""), 1000000000000LL);
}

Test(ownership, share_to_ppm_rejects) {
    cr_assert_eq(cp_share_to_ppm(-0.1, ""), -1);
    cr_assert_eq(cp_share_to_ppm(-1e-300, ""), -1);
    cr_assert_eq(cp_share_to_ppm(NAN, ""), -1);
    cr_assert_eq(cp_share_to_ppm(INFINITY, "percent"), -1);
    cr_assert_eq(cp_share_to_ppm(2e6, ""), -1); /* 2e12 ppm: past the limit */
}

/* ---------------------------------------------------------------------------------------------
 * 2. OFAC's worked examples: FAQ 399 (aggregation) and FAQ 401 examples 1-3 (indirect
 *    ownership), with the shares they state, plus cases that follow from FAQ 401's definition of
 *    "indirectly" (through entities themselves 50% or more owned by blocked persons). X, Y are
 *    blocked (designated) persons; A, B, C, N entities. Each asserts what its comment says.
 * ------------------------------------------------------------------------------------------- */

/* FAQ 399, aggregation: blocked X owns 25% of A and blocked Y owns another 25% of A. A is
 * blocked: blocked persons own 50% of it in the aggregate, although neither does alone. */
Test(ownership, faq399_aggregation_of_two_blocked_owners) {
    enum { X, Y, A, N_ };
    const edge e[] = {{X, A, 0.25, 0}, {Y, A, 0.25, 0}};
    const uint8_t d[N_] = {[X] = 1, [Y] = 1};
    cp_block_result *r = block_all_orders(N_, 2, e, "fraction", d);
    assert_node(r, X, 1, 0, 0);
    assert_node(r, Y, 1, 0, 0);
    assert_node(r, A, 2, 1, 500000);
    assert_tipped(r, A, 2, (const int32_t[]){X, Y});
    cr_assert_eq(r->n_designated, 2);
    cr_assert_eq(r->n_newly_blocked, 1);
    cp_block_result_free(&r);
}

/* FAQ 401 example 1: X owns 50% of A, A owns 50% of B. A is blocked (50% by X); B is blocked
 * because A, itself blocked, owns 50% of it. The percentages are not multiplied down the chain
 * (a "look-through" 25% would miss it): B's exposure is A's full 50%, one round after A. */
Test(ownership, faq401_example1_indirect_through_blocked_entity) {
    enum { X, A, B, N_ };
    const edge e[] = {{X, A, 0.5, 0}, {A, B, 0.5, 0}};
    const uint8_t d[N_] = {[X] = 1};
    cp_block_result *r = block_all_orders(N_, 2, e, "fraction", d);
    assert_node(r, A, 2, 1, 500000);
    assert_node(r, B, 2, 2, 500000);
    assert_tipped(r, A, 1, (const int32_t[]){X});
    assert_tipped(r, B, 1, (const int32_t[]){A});
    cp_block_result_free(&r);
}

/* FAQ 401 example 2: X owns 50% of A and 50% of B; A and B each own 25% of C. A and B are
 * blocked (round 1), and C is blocked (round 2) by the 50% that the two blocked entities hold in
 * the aggregate; A and B tipped it. */
Test(ownership, faq401_example2_two_blocked_entities_aggregate) {
    enum { X, A, B, C, N_ };
    const edge e[] = {{X, A, 0.5, 0}, {X, B, 0.5, 0}, {A, C, 0.25, 0}, {B, C, 0.25, 0}};
    const uint8_t d[N_] = {[X] = 1};
    cp_block_result *r = block_all_orders(N_, 4, e, "fraction", d);
    assert_node(r, A, 2, 1, 500000);
    assert_node(r, B, 2, 1, 500000);
    assert_node(r, C, 2, 2, 500000);
    assert_tipped(r, C, 2, (const int32_t[]){A, B});
    cr_assert_eq(r->n_newly_blocked, 3);
    cp_block_result_free(&r);
}

/* FAQ 401 example 3: X owns 50% of A and 10% of B; A owns 40% of B. A is blocked; B is blocked
 * by X's direct 10% plus blocked A's 40% (round 2, tipped by X and A). */
Test(ownership, faq401_example3_ten_direct_forty_through_blocked) {
    enum { X, A, B, N_ };
    const edge e[] = {{X, A, 0.5, 0}, {X, B, 0.1, 0}, {A, B, 0.4, 0}};
    const uint8_t d[N_] = {[X] = 1};
    cp_block_result *r = block_all_orders(N_, 3, e, "fraction", d);
    assert_node(r, A, 2, 1, 500000);
    assert_node(r, B, 2, 2, 500000);
    assert_tipped(r, B, 2, (const int32_t[]){X, A});
    cp_block_result_free(&r);
}

/* Direct plus indirect, 25 + 25: X owns 50% of A; X owns 25% of C and A owns 25% of C. C is
 * blocked because X's direct 25% and blocked A's 25% add to 50%. C joins in round 2, once A's
 * stake counts, and both X and A tipped it. */
Test(ownership, direct_plus_indirect) {
    enum { X, A, C, N_ };
    const edge e[] = {{X, A, 0.5, 0}, {X, C, 0.25, 0}, {A, C, 0.25, 0}};
    const uint8_t d[N_] = {[X] = 1};
    cp_block_result *r = block_all_orders(N_, 3, e, "fraction", d);
    assert_node(r, A, 2, 1, 500000);
    assert_node(r, C, 2, 2, 500000);
    assert_tipped(r, C, 2, (const int32_t[]){X, A});
    cp_block_result_free(&r);
}

/* Indirect ownership counts only through blocked entities (FAQ 401's definition of
 * "indirectly"): X owns 10% of B directly, and 40% of N, which owns 40% of B. N is not blocked (X
 * holds only 40% of it), so N's 40% of B does not count: B is NOT blocked, although X's direct plus
 * "look-through" stake would reach 50%. Both exposures stay visible: N 40%, B 10%. */
Test(ownership, not_through_unblocked_entity) {
    enum { X, N, B, N_ };
    const edge e[] = {{X, B, 0.1, 0}, {X, N, 0.4, 0}, {N, B, 0.4, 0}};
    const uint8_t d[N_] = {[X] = 1};
    cp_block_result *r = block_all_orders(N_, 3, e, "fraction", d);
    assert_node(r, X, 1, 0, 0);
    assert_node(r, N, 0, -1, 400000);
    assert_node(r, B, 0, -1, 100000);
    assert_tipped(r, N, 0, NOBODY);
    assert_tipped(r, B, 0, NOBODY);
    cr_assert_eq(r->n_newly_blocked, 0);
    cp_block_result_free(&r);
}

/* FAQ 399 and 401 together: X and Y each own 25% of A (A is blocked by aggregation); A owns 50%
 * of B, so B is blocked too. Persons blocked under different
 * programs are aggregated the same way (the closure does not look at programs). */
Test(ownership, faq399_401_aggregated_then_indirect) {
    enum { X, Y, A, B, N_ };
    const edge e[] = {{X, A, 0.25, 0}, {Y, A, 0.25, 0}, {A, B, 0.5, 0}};
    const uint8_t d[N_] = {[X] = 1, [Y] = 1};
    cp_block_result *r = block_all_orders(N_, 3, e, "fraction", d);
    assert_node(r, A, 2, 1, 500000);
    assert_node(r, B, 2, 2, 500000);
    assert_tipped(r, A, 2, (const int32_t[]){X, Y});
    assert_tipped(r, B, 1, (const int32_t[]){A});
    cp_block_result_free(&r);
}

/* ---------------------------------------------------------------------------------------------
 * Corner cases
 * ------------------------------------------------------------------------------------------- */

/* Cycles: A owns 60% of B and B owns 60% of A. Neither designated: nothing is blocked (the least
 * fixed point does not bootstrap itself), exposures 0. A designated: B is blocked in round 1, and
 * A's exposure shows B's 60%. */
Test(ownership, cycle_of_two) {
    enum { A, B, N_ };
    const edge e[] = {{A, B, 0.6, 0}, {B, A, 0.6, 0}};
    const uint8_t none[N_] = {0};
    cp_block_result *r = block_all_orders(N_, 2, e, "fraction", none);
    assert_node(r, A, 0, -1, 0);
    assert_node(r, B, 0, -1, 0);
    cr_assert_eq(r->n_designated, 0);
    cr_assert_eq(r->n_newly_blocked, 0);
    cp_block_result_free(&r);

    const uint8_t d[N_] = {[A] = 1};
    r = block_all_orders(N_, 2, e, "fraction", d);
    assert_node(r, A, 1, 0, 600000);
    assert_node(r, B, 2, 1, 600000);
    assert_tipped(r, B, 1, (const int32_t[]){A});
    assert_tipped(r, A, 0, NOBODY);
    cp_block_result_free(&r);
}

/* A cycle entered from outside: X owns 50% of A; A and B own 60% of each other. A is round 1, B
 * round 2; A's exposure is final, X's 50% plus B's 60% (B was blocked later). */
Test(ownership, cycle_entered_from_outside) {
    enum { X, A, B, N_ };
    const edge e[] = {{X, A, 0.5, 0}, {A, B, 0.6, 0}, {B, A, 0.6, 0}};
    const uint8_t d[N_] = {[X] = 1};
    cp_block_result *r = block_all_orders(N_, 3, e, "fraction", d);
    assert_node(r, A, 2, 1, 1100000);
    assert_node(r, B, 2, 2, 600000);
    assert_tipped(r, A, 1, (const int32_t[]){X}); /* B blocked later: not a tipping owner */
    assert_tipped(r, B, 1, (const int32_t[]){A});
    cp_block_result_free(&r);
}

/* A longer cycle A -> B -> C -> A at 50% each, with D owning 50% of A. Designating D blocks the
 * ring one by one (rounds 1, 2, 3). */
Test(ownership, cycle_of_three) {
    enum { D, A, B, C, N_ };
    const edge e[] = {{D, A, 0.5, 0}, {A, B, 0.5, 0}, {B, C, 0.5, 0}, {C, A, 0.5, 0}};
    const uint8_t d[N_] = {[D] = 1};
    cp_block_result *r = block_all_orders(N_, 4, e, "fraction", d);
    assert_node(r, A, 2, 1, 1000000);
    assert_node(r, B, 2, 2, 500000);
    assert_node(r, C, 2, 3, 500000);
    cp_block_result_free(&r);
}

/* Sloppy data: shares into A sum to 130% (X 80%, Y 50%). They are summed as given, not
 * normalised: with only Y designated, A is blocked on Y's 50% (exposure 50%); with both, the
 * exposure is 130%. */
Test(ownership, shares_past_one_hundred_percent) {
    enum { X, Y, A, N_ };
    const edge e[] = {{X, A, 80.0, 0}, {Y, A, 50.0, 0}};
    const uint8_t only_y[N_] = {[Y] = 1};
    cp_block_result *r = block_all_orders(N_, 2, e, "percent", only_y);
    assert_node(r, A, 2, 1, 500000);
    cp_block_result_free(&r);
    const uint8_t both[N_] = {[X] = 1, [Y] = 1};
    r = block_all_orders(N_, 2, e, "percent", both);
    assert_node(r, A, 2, 1, 1300000);
    cr_assert(r->exposure[A] == 1.3);
    cp_block_result_free(&r);
}

/* Exactly 50% is enough (50% "or more"): a 50/50 joint venture J of blocked X and free Z is
 * blocked; K held 25% + 25% by blocked X and Y is blocked. */
Test(ownership, exactly_fifty_percent) {
    enum { X, Y, Z, J, K, N_ };
    const edge e[] = {{X, J, 0.5, 0}, {Z, J, 0.5, 0}, {X, K, 0.25, 0}, {Y, K, 0.25, 0}};
    const uint8_t d[N_] = {[X] = 1, [Y] = 1};
    cp_block_result *r = block_all_orders(N_, 4, e, "fraction", d);
    assert_node(r, J, 2, 1, 500000);
    assert_node(r, K, 2, 1, 500000);
    assert_node(r, Z, 0, -1, 0);
    assert_tipped(r, J, 1, (const int32_t[]){X});
    assert_tipped(r, K, 2, (const int32_t[]){X, Y});
    cp_block_result_free(&r);
}

/* 49.9999% is not 50%: X holds 49.9999% of A (percent units) and 0.499999 of B (fraction units,
 * separate graph): neither is blocked, and the 499999 ppm exposure is visible. 49.99995% is the
 * tie 499999.5 ppm and rounds (half away from zero, once, on input) to 500000: blocked. */
Test(ownership, just_below_fifty_percent) {
    enum { X, A, N_ };
    const uint8_t d[N_] = {[X] = 1};
    const edge pct[] = {{X, A, 49.9999, 0}};
    cp_block_result *r = block_all_orders(N_, 1, pct, "percent", d);
    assert_node(r, A, 0, -1, 499999);
    cr_assert(r->exposure[A] == 0.499999);
    cp_block_result_free(&r);
    const edge frac[] = {{X, A, 0.499999, 0}};
    r = block_all_orders(N_, 1, frac, "fraction", d);
    assert_node(r, A, 0, -1, 499999);
    cp_block_result_free(&r);
    const edge tie[] = {{X, A, 49.99995, 0}};
    r = block_all_orders(N_, 1, tie, "%", d);
    assert_node(r, A, 2, 1, 500000);
    cp_block_result_free(&r);
}

/* 0.3333335 + 0.1666665 is 0.5 in decimal. Each share is rounded once on input, half away from
 * zero: 333334 + 166667 = 500001 ppm >= 500000, so A is blocked in every edge order. */
Test(ownership, thirds_and_sixths_sum_to_half) {
    enum { X, Y, A, N_ };
    const edge e[] = {{X, A, 0.3333335, 0}, {Y, A, 0.1666665, 0}};
    const uint8_t d[N_] = {[X] = 1, [Y] = 1};
    cp_block_result *r = block_all_orders(N_, 2, e, "fraction", d);
    assert_node(r, A, 2, 1, 500001);
    assert_tipped(r, A, 2, (const int32_t[]){X, Y});
    cp_block_result_free(&r);
}

/* 0.4004 + 0.057395 + 0.042205 is exactly 500000 ppm, but summed in double it is
 * 0.49999999999999994 in some orders and 0.5 in others: a floating-point closure would block A
 * or not depending on the edge order. In ppm A is blocked in all 6 orders. */
Test(ownership, ppm_sum_exact_where_double_is_not) {
    const double s[3] = {0.4004, 0.057395, 0.042205};
    const int orders[6][3] = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
    int below = 0;
    for (int o = 0; o < 6; o++) {
        double sum = 0.0;
        for (int k = 0; k < 3; k++) {
            sum += s[orders[o][k]];
        }
        below += sum < 0.5;
    }
    cr_assert_gt(below, 0, "the double sum should fall below 0.5 in some order");
    cr_assert_lt(below, 6);

    enum { X, Y, Z, A, N_ };
    const edge e[] = {{X, A, s[0], 0}, {Y, A, s[1], 0}, {Z, A, s[2], 0}};
    const uint8_t d[N_] = {[X] = 1, [Y] = 1, [Z] = 1};
    cp_block_result *r = block_all_orders(N_, 3, e, "fraction", d);
    assert_node(r, A, 2, 1, 500000);
    assert_tipped(r, A, 3, (const int32_t[]){X, Y, Z});
    cp_block_result_free(&r);
}

/* Fractions vs percent: the same holdings written as 0.5 / 0.25 (fraction) and 50 / 25 (percent,
 * also "%") give the same result; 50 read as a fraction is 5000%. */
Test(ownership, fraction_and_percent_units_agree) {
    enum { X, A, B, N_ };
    const uint8_t d[N_] = {[X] = 1};
    const edge frac[] = {{X, A, 0.5, 0}, {X, B, 0.25, 0}};
    const edge pct[] = {{X, A, 50.0, 0}, {X, B, 25.0, 0}};
    cp_block_result *rf = block_all_orders(N_, 2, frac, "fraction", d);
    cp_block_result *rp = block_all_orders(N_, 2, pct, "percent", d);
    cp_block_result *rs = block_all_orders(N_, 2, pct, "%", d);
    assert_same(rf, rp, "fraction vs percent");
    assert_same(rf, rs, "fraction vs %");
    assert_node(rf, A, 2, 1, 500000);
    assert_node(rf, B, 0, -1, 250000);
    cp_block_result *rw = block_all_orders(N_, 2, pct, "fraction", d);
    assert_node(rw, B, 2, 1, 25000000);
    cp_block_result_free(&rf);
    cp_block_result_free(&rp);
    cp_block_result_free(&rs);
    cp_block_result_free(&rw);
}

/* A chain with round numbers: X owns 50% of A, A 50% of B, B 100% of C. Rounds 1, 2, 3; each
 * tipped by its one owner; exposures 0.5, 0.5, 1.0. */
Test(ownership, chain) {
    enum { X, A, B, C, N_ };
    const edge e[] = {{X, A, 0.5, 0}, {A, B, 0.5, 0}, {B, C, 1.0, 0}};
    const uint8_t d[N_] = {[X] = 1};
    cp_block_result *r = block_all_orders(N_, 3, e, "fraction", d);
    assert_node(r, X, 1, 0, 0);
    assert_node(r, A, 2, 1, 500000);
    assert_node(r, B, 2, 2, 500000);
    assert_node(r, C, 2, 3, 1000000);
    assert_tipped(r, A, 1, (const int32_t[]){X});
    assert_tipped(r, B, 1, (const int32_t[]){A});
    assert_tipped(r, C, 1, (const int32_t[]){B});
    assert_tipped(r, X, 0, NOBODY);
    cr_assert_eq(r->n_designated, 1);
    cr_assert_eq(r->n_newly_blocked, 3);
    cr_assert_eq(r->tipped_offsets[N_], 3);
    cp_block_result_free(&r);
}

/* tipped_by: V is owned by Z (free, 40%), X (designated, 20% + 10% on parallel edges), W
 * (designated, 0%), and A (blocked in round 1 via X's 50%, 20%). After round 0 V holds 30% from
 * blocked owners; A's 20% tips it in round 2. tipped_by(V) = {X, A}: each owner once despite
 * parallel edges, W out (no positive stake), Z out (free). V then owns 60% of B, which owns 5%
 * of V: B is round 3, not among V's tipping owners, but V's final exposure counts it: 55%. */
Test(ownership, tipped_by_contents) {
    enum { B, A, X, Z, V, W, N_ };
    const edge e[] = {{X, A, 0.5, 0}, {X, V, 0.2, 0}, {X, V, 0.1, 0}, {W, V, 0.0, 0},
                      {Z, V, 0.4, 0}, {A, V, 0.2, 0}, {V, B, 0.6, 0}, {B, V, 0.05, 0}};
    const uint8_t d[N_] = {[X] = 1, [W] = 1};
    cp_block_result *r = block_all_orders(N_, 8, e, "fraction", d);
    assert_node(r, A, 2, 1, 500000);
    assert_node(r, V, 2, 2, 550000);
    assert_node(r, B, 2, 3, 600000);
    assert_node(r, Z, 0, -1, 0);
    assert_tipped(r, V, 2, (const int32_t[]){A, X}); /* ascending node index: A = 1, X = 2 */
    assert_tipped(r, B, 1, (const int32_t[]){V});
    assert_tipped(r, W, 0, NOBODY);
    cr_assert_eq(r->n_designated, 2);
    cr_assert_eq(r->n_newly_blocked, 3);
    cp_block_result_free(&r);
}

/* Exposure is reported for every node: a free entity F 49% held by X shows 0.49; a designated
 * entity D held 30% by X shows 0.3; a node with no blocked owner shows 0. */
Test(ownership, exposure_for_every_node) {
    enum { X, F, D, Q, N_ };
    const edge e[] = {{X, F, 0.49, 0}, {X, D, 0.3, 0}, {Q, F, 0.51, 0}};
    const uint8_t d[N_] = {[X] = 1, [D] = 1};
    cp_block_result *r = block_all_orders(N_, 3, e, "fraction", d);
    assert_node(r, F, 0, -1, 490000);
    assert_node(r, D, 1, 0, 300000);
    assert_node(r, Q, 0, -1, 0);
    assert_node(r, X, 1, 0, 0);
    cp_block_result_free(&r);
}

/* Self-ownership (u -> u, treasury shares) is ignored: A's 60% of itself neither blocks it nor
 * shows in its exposure; with X holding 40% of A, A stays free at 40%. */
Test(ownership, self_ownership_ignored) {
    enum { X, A, N_ };
    const edge e[] = {{A, A, 0.6, 0}, {X, A, 0.4, 0}};
    const uint8_t d[N_] = {[X] = 1};
    cp_block_result *r = block_all_orders(N_, 2, e, "fraction", d);
    assert_node(r, A, 0, -1, 400000);
    cp_block_result_free(&r);
    const uint8_t da[N_] = {[A] = 1};
    r = block_all_orders(N_, 2, e, "fraction", da);
    assert_node(r, A, 1, 0, 0);
    cp_block_result_free(&r);
}

/* Only the ownership layer counts: X's 100% on the "control" layer does not block A (the OFAC
 * rule is about ownership, not control). */
Test(ownership, other_layers_ignored) {
    enum { X, A, B, N_ };
    const edge e[] = {{X, A, 1.0, 1}, {X, B, 0.5, 0}, {A, B, 0.2, 1}};
    const uint8_t d[N_] = {[X] = 1};
    cp_block_result *r = block_all_orders(N_, 3, e, "fraction", d);
    assert_node(r, A, 0, -1, 0);
    assert_node(r, B, 2, 1, 500000);
    cp_block_result_free(&r);
}

/* Parallel edges add: X holds 20% + 30% of A on two edges (two share classes): blocked. */
Test(ownership, parallel_edges_add) {
    enum { X, A, N_ };
    const edge e[] = {{X, A, 0.2, 0}, {X, A, 0.3, 0}};
    const uint8_t d[N_] = {[X] = 1};
    cp_block_result *r = block_all_orders(N_, 2, e, "fraction", d);
    assert_node(r, A, 2, 1, 500000);
    assert_tipped(r, A, 1, (const int32_t[]){X});
    cp_block_result_free(&r);
}

/* ---------------------------------------------------------------------------------------------
 * 3. Random graphs against the independent oracle
 * ------------------------------------------------------------------------------------------- */

typedef struct fixture {
    cp_regime regime;
    char units[64];
    int32_t n;
    int64_t m;
    int32_t k;
    int32_t *src, *dst;
    double *w;
    int64_t nc; /* control edges */
    int32_t *csrc, *cdst;
    uint8_t *by_control; /* n */
    uint8_t *designated;
    uint8_t *blocked;
    int32_t *round;
    int64_t *ppm;
    int64_t *tip_off; /* n + 1 */
    int32_t *tip;
} fixture;

static void fixture_free(fixture *f) {
    free(f->src);
    free(f->dst);
    free(f->w);
    free(f->csrc);
    free(f->cdst);
    free(f->by_control);
    free(f->designated);
    free(f->blocked);
    free(f->round);
    free(f->ppm);
    free(f->tip_off);
    free(f->tip);
    memset(f, 0, sizeof *f);
}

static void fixture_read(fixture *f, const char *path) {
    memset(f, 0, sizeof *f);
    FILE *fp = fopen(path, "r");
    cr_assert_not_null(fp, "cannot open %s", path);
    char *line = NULL;
    size_t cap = 0;
    int64_t ne = 0, nv = 0, tips = 0, tip_cap = 0;
    long lineno = 0;
    bool have_sizes = false;
    while (getline(&line, &cap, fp) >= 0) {
        lineno++;
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '#' || line[0] == '\0') {
            continue;
        }
        if (strncmp(line, "regime ", 7) == 0) {
            cr_assert_eq(cp_regime_parse(line + 7, &f->regime), CP_OK, "%s:%ld: regime %s", path,
                         lineno, line + 7);
        } else if (strncmp(line, "units", 5) == 0) {
            snprintf(f->units, sizeof f->units, "%s", line[5] == ' ' ? line + 6 : line + 5);
        } else if (strncmp(line, "nodes ", 6) == 0) {
            long long m;
            cr_assert_eq(sscanf(line, "nodes %d edges %lld designated %d", &f->n, &m, &f->k), 3,
                         "%s:%ld", path, lineno);
            f->m = m;
            f->src = calloc((size_t)m + 1, sizeof *f->src);
            f->dst = calloc((size_t)m + 1, sizeof *f->dst);
            f->w = calloc((size_t)m + 1, sizeof *f->w);
            f->designated = calloc((size_t)f->n + 1, 1);
            f->blocked = calloc((size_t)f->n + 1, 1);
            f->round = calloc((size_t)f->n + 1, sizeof *f->round);
            f->ppm = calloc((size_t)f->n + 1, sizeof *f->ppm);
            f->tip_off = calloc((size_t)f->n + 1, sizeof *f->tip_off);
            f->by_control = calloc((size_t)f->n + 1, 1);
            have_sizes = true;
        } else if (line[0] == 'e' && line[1] == ' ') {
            cr_assert(have_sizes && ne < f->m, "%s:%ld: unexpected edge", path, lineno);
            char *end = NULL;
            f->src[ne] = (int32_t)strtol(line + 2, &end, 10);
            f->dst[ne] = (int32_t)strtol(end, &end, 10);
            f->w[ne] = strtod(end, &end);
            ne++;
        } else if (line[0] == 'c' && line[1] == ' ') {
            cr_assert(have_sizes, "%s:%ld: unexpected control edge", path, lineno);
            f->csrc = realloc(f->csrc, (size_t)(f->nc + 1) * sizeof *f->csrc);
            f->cdst = realloc(f->cdst, (size_t)(f->nc + 1) * sizeof *f->cdst);
            cr_assert(f->csrc != NULL && f->cdst != NULL);
            char *end = NULL;
            f->csrc[f->nc] = (int32_t)strtol(line + 2, &end, 10);
            f->cdst[f->nc] = (int32_t)strtol(end, &end, 10);
            f->nc++;
        } else if (line[0] == 'k' && line[1] == ' ') {
            int i = atoi(line + 2);
            cr_assert(have_sizes && i >= 0 && i < f->n, "%s:%ld", path, lineno);
            f->by_control[i] = 1;
        } else if (line[0] == 'd' && line[1] == ' ') {
            int i = atoi(line + 2);
            cr_assert(have_sizes && i >= 0 && i < f->n, "%s:%ld", path, lineno);
            f->designated[i] = 1;
        } else if (line[0] == 'v' && line[1] == ' ') {
            char *p = line + 2, *end = NULL;
            long i = strtol(p, &end, 10);
            cr_assert(have_sizes && i == nv, "%s:%ld: node lines out of order", path, lineno);
            f->blocked[i] = (uint8_t)strtol(end, &end, 10);
            f->round[i] = (int32_t)strtol(end, &end, 10);
            f->ppm[i] = strtoll(end, &end, 10);
            long t = strtol(end, &end, 10);
            for (long j = 0; j < t; j++) {
                if (tips == tip_cap) {
                    tip_cap = tip_cap * 2 + 16;
                    f->tip = realloc(f->tip, (size_t)tip_cap * sizeof *f->tip);
                    cr_assert_not_null(f->tip);
                }
                f->tip[tips++] = (int32_t)strtol(end, &end, 10);
            }
            f->tip_off[i + 1] = tips;
            nv++;
        } else {
            cr_assert_fail("%s:%ld: unknown record '%s'", path, lineno, line);
        }
    }
    free(line);
    fclose(fp);
    cr_assert(have_sizes && ne == f->m && nv == f->n, "%s: truncated", path);
}

/* order: a permutation of the m + nc edges (ownership edges first, then control edges). */
static cp_graph *fixture_graph(const fixture *f, const int64_t *order) {
    const int64_t mt = f->m + f->nc;
    edge *e = calloc((size_t)mt + 1, sizeof *e);
    for (int64_t i = 0; i < mt; i++) {
        int64_t j = order != NULL ? order[i] : i;
        e[i] = j < f->m ? (edge){f->src[j], f->dst[j], f->w[j], 0}
                        : (edge){f->csrc[j - f->m], f->cdst[j - f->m], 1.0, 1};
    }
    cp_graph *g = own_graph(f->n, (int)mt, e, f->units);
    free(e);
    return g;
}

static void fixture_check(const fixture *f, const cp_block_result *r, const char *path) {
    int32_t newly = 0, designated = 0;
    cr_assert_eq(r->n, f->n, "%s", path);
    for (int32_t v = 0; v < f->n; v++) {
        cr_assert_eq(r->blocked[v], f->blocked[v], "%s: node %d blocked %d, oracle %d", path, v,
                     r->blocked[v], f->blocked[v]);
        cr_assert_eq(r->round[v], f->round[v], "%s: node %d round %d, oracle %d", path, v,
                     r->round[v], f->round[v]);
        cr_assert_eq(r->blocked_ppm[v], f->ppm[v], "%s: node %d ppm %lld, oracle %lld", path, v,
                     (long long)r->blocked_ppm[v], (long long)f->ppm[v]);
        cr_assert(r->exposure[v] == (double)f->ppm[v] / 1e6, "%s: node %d exposure", path, v);
        int64_t k = r->tipped_offsets[v + 1] - r->tipped_offsets[v];
        cr_assert_eq(k, f->tip_off[v + 1] - f->tip_off[v], "%s: node %d tipped count", path, v);
        for (int64_t j = 0; j < k; j++) {
            cr_assert_eq(r->tipped_by[r->tipped_offsets[v] + j], f->tip[f->tip_off[v] + j],
                         "%s: node %d tipped_by[%lld]", path, v, (long long)j);
        }
        cr_assert_eq(r->by_control[v], f->by_control[v], "%s: node %d by_control %d, oracle %d",
                     path, v, r->by_control[v], f->by_control[v]);
        newly += f->blocked[v] == 2;
        designated += f->blocked[v] == 1;
    }
    cr_assert_eq(r->n_newly_blocked, newly, "%s", path);
    cr_assert_eq(r->n_designated, designated, "%s", path);
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

Test(ownership, oracle_fixtures) {
    const char *dir_path = cp_test_source("tests/fixtures/ownership");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", dir_path);
    DIR *d = opendir(dir);
    cr_assert_not_null(d, "cannot open %s", dir);
    char *names[256];
    int nf = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL && nf < 256) {
        size_t len = strlen(de->d_name);
        if (len > 4 && strcmp(de->d_name + len - 4, ".txt") == 0) {
            names[nf++] = strdup(de->d_name);
        }
    }
    closedir(d);
    qsort(names, (size_t)nf, sizeof *names, cmp_str);
    cr_assert_geq(nf, 20, "expected at least 20 fixtures in %s, found %d", dir, nf);

    int64_t blocked_total = 0, max_round = 0, by_control_total = 0;
    int regime_files = 0;
    for (int i = 0; i < nf; i++) {
        char path[4200];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        fixture f;
        fixture_read(&f, path);

        /* As written, then reversed, then a fixed shuffle of the edges. */
        const int64_t mt = f.m + f.nc;
        int64_t *order = calloc((size_t)mt + 1, sizeof *order);
        for (int variant = 0; variant < 3; variant++) {
            for (int64_t j = 0; j < mt; j++) {
                order[j] = variant == 1 ? mt - 1 - j : j;
            }
            if (variant == 2) {
                uint64_t state = 0x9E3779B97F4A7C15ULL ^ (uint64_t)i;
                for (int64_t j = mt - 1; j > 0; j--) {
                    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
                    int64_t k = (int64_t)((state >> 33) % (uint64_t)(j + 1));
                    int64_t t = order[j];
                    order[j] = order[k];
                    order[k] = t;
                }
            }
            cp_graph *g = fixture_graph(&f, order);
            cp_block_result *r = block_regime(g, f.designated, f.regime);
            fixture_check(&f, r, path);
            cp_block_result_free(&r);
            cp_graph_free(&g);
        }
        free(order);
        for (int32_t v = 0; v < f.n; v++) {
            blocked_total += f.blocked[v] == 2;
            max_round = f.round[v] > max_round ? f.round[v] : max_round;
            by_control_total += f.by_control[v];
        }
        regime_files += f.regime != CP_REGIME_OFAC;
        fixture_free(&f);
        free(names[i]);
    }
    /* The fixtures must exercise the rule, not just designate. */
    cr_assert_gt(blocked_total, 100);
    cr_assert_geq(max_round, 5);
    cr_assert_geq(regime_files, 12, "expected eu, eu-2022 and uk fixtures");
    cr_assert_geq(by_control_total, 10);
}

/* A larger random graph (past the size where the share conversion runs on a thread team) gives
 * identical results on 1, 2 and 4 threads, and a bad share is reported as the first bad edge
 * whatever the thread count. Shares come from a pool with ties and exact halves. */
Test(ownership, thread_count_independent) {
    const int32_t n = 6000;
    const int m = 40000;
    const double pool[] = {0.5,      0.25,      0.1, 0.3333335, 0.1666665, 0.5189225,
                           0.499999, 0.4999995, 0.6, 0.05,      0.0,       0.125};
    edge *e = calloc((size_t)m, sizeof *e);
    uint8_t *d = calloc((size_t)n, 1);
    uint64_t state = 401;
    for (int i = 0; i < m; i++) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        uint32_t x = (uint32_t)(state >> 32);
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        uint32_t y = (uint32_t)(state >> 32);
        e[i] = (edge){(int32_t)(x % (uint32_t)n), (int32_t)(y % (uint32_t)n),
                      pool[(x >> 16) % (sizeof pool / sizeof pool[0])], 0};
    }
    for (int32_t v = 0; v < n; v += 37) {
        d[v] = 1;
    }
    cp_graph *g = own_graph(n, m, e, "fraction");
    omp_set_num_threads(1);
    cp_block_result *r1 = block(g, d);
    cr_assert_gt(r1->n_newly_blocked, 100);
    const int threads[] = {2, 4};
    for (int t = 0; t < 2; t++) {
        omp_set_num_threads(threads[t]);
        cp_block_result *rt = block(g, d);
        assert_same(rt, r1, "threads");
        cp_block_result_free(&rt);
    }
    cp_block_result_free(&r1);

    g->weight[30000] = -1.0;
    g->weight[20000] = NAN;
    for (int t = 1; t <= 4; t *= 2) {
        omp_set_num_threads(t);
        cp_block_result *r = NULL;
        cp_error err;
        cr_assert_eq(cp_ownership_block(&r, g, 0, d, CP_REGIME_OFAC, &err), CP_E_INVALID);
        cr_assert_null(r);
        cr_assert_not_null(strstr(err.msg, "edge 20000 "), "%d threads: %s", t, err.msg);
    }
    cp_graph_free(&g);
    free(e);
    free(d);
}

/* ---------------------------------------------------------------------------------------------
 * 4. Error paths, n = 0, allocation failures
 * ------------------------------------------------------------------------------------------- */

Test(ownership, error_paths) {
    enum { X, A, N_ };
    const edge e[] = {{X, A, 0.5, 0}};
    const uint8_t d[N_] = {[X] = 1};
    cp_graph *g = own_graph(N_, 1, e, "fraction");
    cp_block_result *r = (cp_block_result *)&r; /* not NULL: must be cleared on entry */
    cp_error err;

    cr_assert_eq(cp_ownership_block(&r, g, 1, d, CP_REGIME_OFAC, &err), CP_E_INVALID);
    cr_assert_null(r);
    cr_assert_eq(err.status, CP_E_INVALID);
    cr_assert_not_null(strstr(err.msg, "layer 1"), "%s", err.msg);
    cr_assert_eq(cp_ownership_block(&r, g, -1, d, CP_REGIME_OFAC, &err), CP_E_INVALID);
    cr_assert_null(r);
    cr_assert_eq(cp_ownership_block(&r, g, 0, d, (cp_regime)7, &err), CP_E_INVALID);
    cr_assert_null(r);
    cr_assert_eq(cp_ownership_block(&r, g, 0, NULL, CP_REGIME_OFAC, &err), CP_E_INVALID);
    cr_assert_null(r);
    cr_assert_eq(cp_ownership_block(NULL, g, 0, d, CP_REGIME_OFAC, &err), CP_E_INVALID);
    cr_assert_eq(cp_ownership_block(&r, NULL, 0, d, CP_REGIME_OFAC, &err), CP_E_INVALID);
    cr_assert_eq(cp_ownership_block(&r, g, 0, d, CP_REGIME_OFAC, NULL), CP_OK); /* err optional */
    cp_block_result_free(&r);

    /* A negative or NaN share slipped in after validation is rejected, naming the edge. */
    g->weight[0] = -0.5;
    cr_assert_eq(cp_ownership_block(&r, g, 0, d, CP_REGIME_OFAC, &err), CP_E_INVALID);
    cr_assert_null(r);
    cr_assert_not_null(strstr(err.msg, "edge 0"), "%s", err.msg);
    g->weight[0] = NAN;
    cr_assert_eq(cp_ownership_block(&r, g, 0, d, CP_REGIME_OFAC, &err), CP_E_INVALID);
    cr_assert_null(r);
    cp_graph_free(&g);

    cp_block_result_free(NULL); /* harmless */
    cp_block_result *none = NULL;
    cp_block_result_free(&none);
}

Test(ownership, empty_graph) {
    cp_graph *g = own_graph(0, 0, NULL, "fraction");
    cp_block_result *r = NULL;
    cp_error err;
    cr_assert_eq(cp_ownership_block(&r, g, 0, NULL, CP_REGIME_OFAC, &err), CP_OK, "%s", err.msg);
    cr_assert_not_null(r);
    cr_assert_eq(r->n, 0);
    cr_assert_eq(r->n_designated, 0);
    cr_assert_eq(r->n_newly_blocked, 0);
    cr_assert_eq(r->tipped_offsets[0], 0);
    cp_block_result_free(&r);
    cr_assert_null(r);

    /* Nodes but no edges: designated stay designated, nothing else moves. */
    cp_graph_free(&g);
    g = own_graph(3, 0, NULL, "percent");
    const uint8_t d[3] = {0, 1, 0};
    r = block(g, d);
    assert_node(r, 0, 0, -1, 0);
    assert_node(r, 1, 1, 0, 0);
    cp_block_result_free(&r);
    cp_graph_free(&g);
}

/* Every allocation failing in turn gives CP_E_NOMEM, no result, and no leak (ASan build). */
Test(ownership, allocation_failures) {
    enum { B, A, X, Z, V, W, N_ };
    const edge e[] = {{X, A, 0.5, 0}, {X, V, 0.2, 0}, {X, V, 0.1, 0}, {W, V, 0.0, 0},
                      {Z, V, 0.4, 0}, {A, V, 0.2, 0}, {V, B, 0.6, 0}, {B, V, 0.05, 0}};
    const uint8_t d[N_] = {[X] = 1, [W] = 1};
    cp_graph *g = own_graph(N_, 8, e, "fraction");
    cp_block_result *ref = block(g, d);
    int failures = 0;
    for (long k = 0; k < 100; k++) {
        cp_block_result *r = NULL;
        cp_error err;
        cp__alloc_fail_after(k);
        cp_status s = cp_ownership_block(&r, g, 0, d, CP_REGIME_OFAC, &err);
        cp__alloc_fail_after(-1);
        if (s == CP_OK) {
            assert_same(r, ref, "after injected failures");
            cp_block_result_free(&r);
            break;
        }
        cr_assert_eq(s, CP_E_NOMEM, "allocation %ld: %s", k, cp_status_name(s));
        cr_assert_null(r);
        failures++;
    }
    cr_assert_geq(failures, 10);
    cp_block_result_free(&ref);
    cp_graph_free(&g);
}

/* ---------------------------------------------------------------------------------------------
 * 5. EU and UK regimes, regime settings, share ranges
 * ------------------------------------------------------------------------------------------- */

#define N_REGIMES 4
static const cp_regime ALL_REGIMES[N_REGIMES] = {CP_REGIME_OFAC, CP_REGIME_EU, CP_REGIME_EU_2022,
                                                 CP_REGIME_UK};

/* More than 50% (EU 2022, UK) rather than 50% or more (OFAC, EU since July 2024). */
static bool strict_of(cp_regime r) {
    return r == CP_REGIME_EU_2022 || r == CP_REGIME_UK;
}

Test(ownership, regime_presets) {
    cp_regime_params p;
    const struct {
        cp_regime r;
        int strict, control_layer, per_person;
        const char *name;
    } want[N_REGIMES] = {{CP_REGIME_OFAC, 0, CP_CONTROL_NONE, 0, "ofac"},
                         {CP_REGIME_EU, 0, CP_CONTROL_BY_NAME, 0, "eu"},
                         {CP_REGIME_EU_2022, 1, CP_CONTROL_BY_NAME, 0, "eu-2022"},
                         {CP_REGIME_UK, 1, CP_CONTROL_BY_NAME, 1, "uk"}};
    for (int i = 0; i < N_REGIMES; i++) {
        cr_assert_eq(cp_regime_params_init(&p, want[i].r), CP_OK);
        cr_assert_eq(p.threshold_ppm, 500000);
        cr_assert_eq(p.strict, want[i].strict, "%s", want[i].name);
        cr_assert_eq(p.control_layer, want[i].control_layer, "%s", want[i].name);
        cr_assert_eq(p.per_person, want[i].per_person, "%s", want[i].name);
        cr_assert_str_eq(cp_regime_name(want[i].r), want[i].name);
        cp_regime parsed = CP_REGIME_OFAC;
        cr_assert_eq(cp_regime_parse(want[i].name, &parsed), CP_OK);
        cr_assert_eq(parsed, want[i].r);
    }
    cp_regime parsed = CP_REGIME_UK;
    cr_assert_eq(cp_regime_parse("fatf", &parsed), CP_E_INVALID);
    cr_assert_eq(parsed, CP_REGIME_UK);
    p.threshold_ppm = 7;
    cr_assert_eq(cp_regime_params_init(&p, (cp_regime)7), CP_E_INVALID);
    cr_assert_eq(p.threshold_ppm, 7, "left unchanged on error");
    cr_assert_eq(cp_regime_params_init(NULL, CP_REGIME_EU), CP_E_INVALID);
}

/* Exactly 50% blocks under OFAC and the EU since 2024 ("50 percent or more") but not under the
 * EU's 2022 reading or the UK ("more than 50%"): the 50/50 joint venture J of blocked X and free
 * Z, and K held 25% + 25% by blocked X and Y. The exposure (500000 ppm) is the same under every
 * regime. */
Test(ownership, exactly_fifty_percent_blocks_under_ofac_and_eu_only) {
    enum { X, Y, Z, J, K, N_ };
    const edge e[] = {{X, J, 0.5, 0}, {Z, J, 0.5, 0}, {X, K, 0.25, 0}, {Y, K, 0.25, 0}};
    const uint8_t d[N_] = {[X] = 1, [Y] = 1};
    for (int i = 0; i < N_REGIMES; i++) {
        cp_block_result *r = block_all_orders_regime(N_, 4, e, "fraction", d, ALL_REGIMES[i]);
        int ofac = !strict_of(ALL_REGIMES[i]);
        assert_node(r, J, ofac ? 2 : 0, ofac ? 1 : -1, 500000);
        assert_node(r, K, ofac ? 2 : 0, ofac ? 1 : -1, 500000);
        cr_assert_eq(r->n_newly_blocked, ofac ? 2 : 0);
        cp_block_result_free(&r);
    }
}

/* 50.0001% blocks under every regime: X holds 50.0001% of A. X 25% and Y 25.0001% of B: the
 * stakes of different designated persons add up except in the UK. Percent units. */
Test(ownership, just_above_fifty_percent_blocks_everywhere) {
    enum { X, Y, A, B, N_ };
    const edge e[] = {{X, A, 50.0001, 0}, {X, B, 25.0, 0}, {Y, B, 25.0001, 0}};
    const uint8_t d[N_] = {[X] = 1, [Y] = 1};
    for (int i = 0; i < N_REGIMES; i++) {
        cp_block_result *r = block_all_orders_regime(N_, 3, e, "percent", d, ALL_REGIMES[i]);
        assert_node(r, A, 2, 1, 500001);
        if (ALL_REGIMES[i] == CP_REGIME_UK) {
            assert_node(r, B, 0, -1, 500001);
        } else {
            assert_node(r, B, 2, 1, 500001);
            assert_tipped(r, B, 2, (const int32_t[]){X, Y});
        }
        cr_assert_eq(r->by_control[B], 0);
        cp_block_result_free(&r);
    }
}

/* UK: one person's holdings count with those of the entities blocked because of it, never with
 * another person's. X and Y are designated. X holds 30% of A and Y 30%: free in the UK (60% under
 * the others). X holds 60% of M (M is X's); X 30% and M 30% of B: blocked everywhere, tipped by X
 * and M. Y holds 60% of N (Y's); N 30% and X 30% of C: free in the UK only. P and Q, designated,
 * both control D, which holds 60% of E: D is attributed to P (the smaller index), so E's tipper
 * is D alone in the UK. */
Test(ownership, uk_does_not_add_up_different_persons) {
    enum { X, Y, A, M, B, N, C, N_ };
    const edge e[] = {{X, A, 0.3, 0}, {Y, A, 0.3, 0}, {X, M, 0.6, 0}, {X, B, 0.3, 0},
                      {M, B, 0.3, 0}, {Y, N, 0.6, 0}, {N, C, 0.3, 0}, {X, C, 0.3, 0}};
    const uint8_t d[N_] = {[X] = 1, [Y] = 1};
    for (int i = 0; i < N_REGIMES; i++) {
        bool uk = ALL_REGIMES[i] == CP_REGIME_UK;
        cp_block_result *r = block_all_orders_regime(N_, 8, e, "fraction", d, ALL_REGIMES[i]);
        assert_node(r, A, uk ? 0 : 2, uk ? -1 : 1, 600000);
        assert_node(r, M, 2, 1, 600000);
        assert_node(r, B, 2, 2, 600000);
        assert_tipped(r, B, 2, (const int32_t[]){X, M});
        assert_node(r, N, 2, 1, 600000);
        assert_node(r, C, uk ? 0 : 2, uk ? -1 : 2, 600000);
        cp_block_result_free(&r);
    }
    enum { P, Q, D, E, N2 };
    const edge e2[] = {{P, D, 1.0, 1}, {Q, D, 1.0, 1}, {D, E, 0.6, 0}};
    const uint8_t d2[N2] = {[P] = 1, [Q] = 1};
    for (int i = 1; i < N_REGIMES; i++) { /* control: not under OFAC */
        cp_block_result *r = block_all_orders_regime(N2, 3, e2, "fraction", d2, ALL_REGIMES[i]);
        assert_node(r, D, 2, 1, 0);
        if (ALL_REGIMES[i] == CP_REGIME_UK) { /* D is P's: Q's control is not listed */
            assert_tipped(r, D, 1, (const int32_t[]){P});
        } else {
            assert_tipped(r, D, 2, (const int32_t[]){P, Q});
        }
        assert_node(r, E, 2, 2, 600000);
        assert_tipped(r, E, 1, (const int32_t[]){D});
        cp_block_result_free(&r);
    }
}

/* Control: designated X controls A (a control edge, no shares) and holds 10% of B, in which A
 * holds 45%. OFAC: A and B free (ownership only; B's exposure 10%). EU/UK: A blocked by control in
 * round 1 (exposure 0: control is not a share), then B at 55% in round 2, tipped by X and A. */
Test(ownership, control_edge_blocks_under_eu_uk_only) {
    enum { X, A, B, N_ };
    const edge e[] = {{X, A, 1.0, 1}, {X, B, 0.10, 0}, {A, B, 0.45, 0}};
    const uint8_t d[N_] = {[X] = 1};
    for (int i = 0; i < N_REGIMES; i++) {
        cp_block_result *r = block_all_orders_regime(N_, 3, e, "fraction", d, ALL_REGIMES[i]);
        if (ALL_REGIMES[i] == CP_REGIME_OFAC) {
            assert_node(r, A, 0, -1, 0);
            assert_node(r, B, 0, -1, 100000);
            cr_assert_eq(r->by_control[A], 0);
        } else {
            assert_node(r, A, 2, 1, 0);
            assert_node(r, B, 2, 2, 550000);
            assert_tipped(r, A, 1, (const int32_t[]){X});
            assert_tipped(r, B, 2, (const int32_t[]){X, A});
            cr_assert_eq(r->by_control[A], 1);
            cr_assert_eq(r->by_control[B], 0);
        }
        cp_block_result_free(&r);
    }
}

/* Control through a blocked intermediary: X owns 60% of M (blocked under every regime); M
 * controls C, C controls D, and D holds 51% of E. EU/UK: C in round 2, D in round 3 (both by
 * control), E in round 4. OFAC: only M. A self-control edge (E controls E) is ignored. */
Test(ownership, control_through_blocked_intermediary) {
    enum { X, M, C, D, E, N_ };
    const edge e[] = {
        {X, M, 0.6, 0}, {M, C, 0.0, 1}, {C, D, 1.0, 1}, {D, E, 0.51, 0}, {E, E, 1.0, 1}};
    const uint8_t d[N_] = {[X] = 1};
    for (int i = 0; i < N_REGIMES; i++) {
        cp_block_result *r = block_all_orders_regime(N_, 5, e, "fraction", d, ALL_REGIMES[i]);
        assert_node(r, M, 2, 1, 600000);
        if (ALL_REGIMES[i] == CP_REGIME_OFAC) {
            assert_node(r, C, 0, -1, 0);
            assert_node(r, D, 0, -1, 0);
            assert_node(r, E, 0, -1, 0);
        } else {
            assert_node(r, C, 2, 2, 0);
            assert_node(r, D, 2, 3, 0);
            assert_node(r, E, 2, 4, 510000);
            assert_tipped(r, C, 1, (const int32_t[]){M});
            assert_tipped(r, D, 1, (const int32_t[]){C});
            assert_tipped(r, E, 1, (const int32_t[]){D});
            cr_assert_eq(r->by_control[C] + r->by_control[D], 2);
            cr_assert_eq(r->by_control[E], 0);
        }
        cp_block_result_free(&r);
    }
}

/* Cycles: a control cycle A -> B -> C -> A entered from designated X (X controls A): rounds 1, 2,
 * 3 under EU/UK, free under OFAC. P and Q hold 60% of each other with no blocked owner: free under
 * every regime. X holds 50% of R and R 50% of S: R and S blocked under OFAC and EU only. */
Test(ownership, eu_uk_cycles) {
    enum { X, A, B, C, P, Q, R, S, N_ };
    const edge e[] = {{X, A, 1.0, 1}, {A, B, 1.0, 1}, {B, C, 1.0, 1}, {C, A, 1.0, 1},
                      {P, Q, 0.6, 0}, {Q, P, 0.6, 0}, {X, R, 0.5, 0}, {R, S, 0.5, 0}};
    const uint8_t d[N_] = {[X] = 1};
    for (int i = 0; i < N_REGIMES; i++) {
        cp_block_result *r = block_all_orders_regime(N_, 8, e, "fraction", d, ALL_REGIMES[i]);
        assert_node(r, P, 0, -1, 0);
        assert_node(r, Q, 0, -1, 0);
        if (ALL_REGIMES[i] == CP_REGIME_OFAC) {
            assert_node(r, A, 0, -1, 0);
        } else {
            assert_node(r, A, 2, 1, 0);
            assert_node(r, B, 2, 2, 0);
            assert_node(r, C, 2, 3, 0);
            assert_tipped(r, A, 1, (const int32_t[]){X}); /* C is blocked later: not a tipper */
        }
        if (strict_of(ALL_REGIMES[i])) {
            assert_node(r, R, 0, -1, 500000);
            assert_node(r, S, 0, -1, 0);
        } else {
            assert_node(r, R, 2, 1, 500000);
            assert_node(r, S, 2, 2, 500000);
        }
        cp_block_result_free(&r);
    }
}

/* cp_ownership_block_params with the OFAC presets equals cp_ownership_block field for field
 * (control edges present and ignored); a chosen threshold (25%
 * or more) and an explicit control layer index work. */
Test(ownership, params_match_ofac_and_custom_settings) {
    enum { X, A, B, C, N_ };
    const edge e[] = {{X, A, 0.25, 0}, {A, B, 0.3, 0}, {X, C, 1.0, 1}, {B, C, 0.2, 0}};
    const uint8_t d[N_] = {[X] = 1};
    cp_graph *g = own_graph(N_, 4, e, "fraction");
    cp_error err;
    cp_block_result *ref = block(g, d), *r = NULL;
    cp_regime_params p;
    cr_assert_eq(cp_regime_params_init(&p, CP_REGIME_OFAC), CP_OK);
    cr_assert_eq(cp_ownership_block_params(&r, g, ownership_layer(g), d, &p, &err), CP_OK, "%s",
                 err.msg);
    assert_same(r, ref, "params vs ofac");
    cr_assert_eq(ref->n_newly_blocked, 0);
    cp_block_result_free(&r);

    p.threshold_ppm = 250000; /* 25% or more, control by layer index */
    p.control_layer = cp__graph_find_layer(g, "control");
    cr_assert_eq(cp_ownership_block_params(&r, g, ownership_layer(g), d, &p, &err), CP_OK, "%s",
                 err.msg);
    assert_node(r, A, 2, 1, 250000);
    assert_node(r, B, 2, 2, 300000);
    assert_node(r, C, 2, 1, 200000);
    cr_assert_eq(r->by_control[C], 1);
    assert_tipped(r, C, 1, (const int32_t[]){X}); /* B is blocked after C */
    cp_block_result_free(&r);

    p.strict = 1; /* more than 25%: A (exactly 25%) stays free, so B does too */
    cr_assert_eq(cp_ownership_block_params(&r, g, ownership_layer(g), d, &p, &err), CP_OK);
    assert_node(r, A, 0, -1, 250000);
    assert_node(r, B, 0, -1, 0);
    assert_node(r, C, 2, 1, 0);
    cp_block_result_free(&r);
    cp_block_result_free(&ref);
    cp_graph_free(&g);
}

Test(ownership, params_error_paths) {
    enum { X, A, N_ };
    const edge e[] = {{X, A, 0.5, 0}, {X, A, 1.0, 1}};
    const uint8_t d[N_] = {[X] = 1};
    cp_graph *g = own_graph(N_, 2, e, "fraction");
    const int own = ownership_layer(g), ctl = cp__graph_find_layer(g, "control");
    cp_block_result *r = (cp_block_result *)&r;
    cp_error err;
    cp_regime_params p;
    cr_assert_eq(cp_regime_params_init(&p, CP_REGIME_EU), CP_OK);

    cr_assert_eq(cp_ownership_block_params(&r, g, own, d, NULL, &err), CP_E_INVALID);
    cr_assert_null(r);
    cr_assert_eq(cp_ownership_block_params(NULL, g, own, d, &p, &err), CP_E_INVALID);
    cr_assert_eq(cp_ownership_block_params(&r, NULL, own, d, &p, &err), CP_E_INVALID);
    cr_assert_eq(cp_ownership_block_params(&r, g, 2, d, &p, &err), CP_E_INVALID);
    cr_assert_not_null(strstr(err.msg, "layer 2"), "%s", err.msg);
    cr_assert_eq(cp_ownership_block_params(&r, g, own, NULL, &p, &err), CP_E_INVALID);
    cp_regime_params q = p;
    q.threshold_ppm = -1;
    cr_assert_eq(cp_ownership_block_params(&r, g, own, d, &q, &err), CP_E_INVALID);
    cr_assert_not_null(strstr(err.msg, "threshold_ppm"), "%s", err.msg);
    for (int bad = 0; bad < 3; bad++) {
        q = p;
        q.control_layer = bad == 0 ? own : (bad == 1 ? 2 : -3);
        cr_assert_eq(cp_ownership_block_params(&r, g, own, d, &q, &err), CP_E_INVALID);
        cr_assert_not_null(strstr(err.msg, "control_layer"), "%s", err.msg);
        cr_assert_null(r);
    }
    /* The control layer's weights are not shares: a NaN there is not an error. */
    q = p;
    q.control_layer = ctl;
    cr_assert_eq(cp_ownership_block_params(&r, g, own, d, &q, &err), CP_OK, "%s", err.msg);
    cr_assert_eq(r->blocked[A], 2); /* by 50% and by control under the EU (2024) */
    cr_assert_eq(r->by_control[A], 1);
    cp_block_result_free(&r);
    /* The cp_ownership_block entry point takes the EU regime too. */
    cr_assert_eq(cp_ownership_block(&r, g, own, d, CP_REGIME_UK, &err), CP_OK, "%s", err.msg);
    cr_assert_eq(r->blocked[A], 2);
    cp_block_result_free(&r);
    cp_graph_free(&g);
}

/* Share ranges: X holds "25-50%" of A and "60-70%" of B; A holds "0-10%" of C, in which X holds
 * 45%. OFAC: B certainly blocked; A possibly (50% at the upper bound); C possibly (45% + 10%
 * once A is blocked); the EU (2024) alike. EU 2022/UK: A not even possibly (50% is not more than
 * 50%), C not possibly. */
Test(ownership, share_ranges_certain_and_possible) {
    enum { X, A, B, C, N_ };
    const edge e[] = {{X, A, 0.25, 0}, {X, B, 0.6, 0}, {A, C, 0.0, 0}, {X, C, 0.45, 0}};
    const int64_t lo[] = {250000, 600000, 0, 450000}, hi[] = {500000, 700000, 100000, 450000};
    const uint8_t d[N_] = {[X] = 1};
    cp_graph *g = own_graph(N_, 4, e, "fraction");
    cp_error err;
    for (int i = 0; i < N_REGIMES; i++) {
        cp_regime_params p;
        cr_assert_eq(cp_regime_params_init(&p, ALL_REGIMES[i]), CP_OK);
        cp_block_result *c = NULL, *q = NULL;
        cr_assert_eq(cp_ownership_block_ranges(&c, &q, g, ownership_layer(g), lo, hi, d, &p, &err),
                     CP_OK, "%s", err.msg);
        /* The order of edges in g is the order given (one layer, no re-sorting of edges). */
        assert_node(c, A, 0, -1, 250000);
        assert_node(c, B, 2, 1, 600000);
        assert_node(c, C, 0, -1, 450000);
        cr_assert_eq(c->n_newly_blocked, 1);
        assert_node(q, B, 2, 1, 700000);
        if (!strict_of(ALL_REGIMES[i])) {
            assert_node(q, A, 2, 1, 500000);
            assert_node(q, C, 2, 2, 550000);
        } else {
            assert_node(q, A, 0, -1, 500000);
            assert_node(q, C, 0, -1, 450000);
        }
        /* Certain is a subset of possible. */
        for (int v = 0; v < N_; v++) {
            cr_assert(c->blocked[v] == 0 || q->blocked[v] != 0);
        }
        cp_block_result_free(&c);
        cp_block_result_free(&q);
    }

    /* Equal bounds give the point closure (the shares of the graph here are the lower bounds). */
    cp_regime_params p;
    cr_assert_eq(cp_regime_params_init(&p, CP_REGIME_OFAC), CP_OK);
    cp_block_result *c = NULL, *q = NULL, *ref = block(g, d);
    cr_assert_eq(cp_ownership_block_ranges(&c, &q, g, ownership_layer(g), lo, lo, d, &p, &err),
                 CP_OK);
    assert_same(c, ref, "ranges lower");
    assert_same(q, ref, "ranges upper");
    cp_block_result_free(&c);
    cp_block_result_free(&q);
    cp_block_result_free(&ref);

    /* Errors: lower > upper names the edge; NULL arrays; both outputs cleared. */
    const int64_t bad_hi[] = {500000, 500000, 100000, 450000};
    c = (cp_block_result *)&c;
    q = (cp_block_result *)&q;
    cr_assert_eq(cp_ownership_block_ranges(&c, &q, g, ownership_layer(g), lo, bad_hi, d, &p, &err),
                 CP_E_INVALID);
    cr_assert_null(c);
    cr_assert_null(q);
    cr_assert_not_null(strstr(err.msg, "edge 1"), "%s", err.msg);
    cr_assert_eq(cp_ownership_block_ranges(&c, &q, g, ownership_layer(g), NULL, hi, d, &p, &err),
                 CP_E_INVALID);
    cr_assert_eq(cp_ownership_block_ranges(&c, NULL, g, ownership_layer(g), lo, hi, d, &p, &err),
                 CP_E_INVALID);
    cr_assert_null(c);
    cr_assert_eq(cp_ownership_block_ranges(&c, &q, g, ownership_layer(g), lo, hi, d, NULL, &err),
                 CP_E_INVALID);
    cp_graph_free(&g);
}

/* Every allocation failing in turn, for the EU closure with control and for ranges. */
Test(ownership, regime_allocation_failures) {
    enum { X, A, B, C, N_ };
    const edge e[] = {{X, A, 0.6, 0}, {A, B, 1.0, 1}, {B, C, 0.7, 0}, {C, X, 0.1, 0}};
    const int64_t lo[] = {500000, 0, 600000, 0}, hi[] = {700000, 0, 800000, 100000};
    const uint8_t d[N_] = {[X] = 1};
    cp_graph *g = own_graph(N_, 4, e, "fraction");
    const int own = ownership_layer(g);
    cp_regime_params p;
    cr_assert_eq(cp_regime_params_init(&p, CP_REGIME_EU), CP_OK);
    cp_block_result *ref = block_regime(g, d, CP_REGIME_EU);
    cr_assert_eq(ref->n_newly_blocked, 3);
    int failures = 0;
    for (long k = 0; k < 100; k++) {
        cp_block_result *r = NULL;
        cp_error err;
        cp__alloc_fail_after(k);
        cp_status s = cp_ownership_block_params(&r, g, own, d, &p, &err);
        cp__alloc_fail_after(-1);
        if (s == CP_OK) {
            assert_same(r, ref, "after injected failures");
            cp_block_result_free(&r);
            break;
        }
        cr_assert_eq(s, CP_E_NOMEM, "allocation %ld: %s", k, cp_status_name(s));
        cr_assert_null(r);
        failures++;
    }
    cr_assert_geq(failures, 10);
    failures = 0;
    for (long k = 0; k < 200; k++) {
        cp_block_result *c = NULL, *q = NULL;
        cp_error err;
        cp__alloc_fail_after(k);
        cp_status s = cp_ownership_block_ranges(&c, &q, g, own, lo, hi, d, &p, &err);
        cp__alloc_fail_after(-1);
        if (s == CP_OK) {
            cp_block_result_free(&c);
            cp_block_result_free(&q);
            break;
        }
        cr_assert_eq(s, CP_E_NOMEM, "allocation %ld: %s", k, cp_status_name(s));
        cr_assert_null(c);
        cr_assert_null(q);
        failures++;
    }
    cr_assert_geq(failures, 20);
    cp_block_result_free(&ref);
    cp_graph_free(&g);
}
