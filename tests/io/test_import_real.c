/* The importers on the real data sets in ../shared/datasets, against counts computed
 * independently by tests/oracle/count_real_inputs.py (Python csv module and scipy.io.mmread)
 * and stored in tests/fixtures/import/real_counts.txt. Skipped when the data sets are absent. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cp_test.h"
#include "graph_impl.h"
#include "import.h"
#include "import_internal.h"

/* The value of `key` in the fixture; *found says whether it is there. */
static double fixture(const char *key, bool *found) {
    const char *path = cp_test_source("tests/fixtures/import/real_counts.txt");
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "cannot open %s", path);
    char line[512];
    double v = 0;
    *found = false;
    while (fgets(line, sizeof line, f) != NULL) {
        char k[256];
        double x;
        if (line[0] != '#' && sscanf(line, "%255s %lf", k, &x) == 2 && strcmp(k, key) == 0) {
            v = x;
            *found = true;
            break;
        }
    }
    fclose(f);
    return v;
}

static double expect_key(const char *key) {
    bool found;
    double v = fixture(key, &found);
    cr_assert(found, "the fixture has no '%s'; rerun tests/oracle/count_real_inputs.py", key);
    return v;
}

static double weight_sum(const cp_graph *g) {
    double s = 0;
    for (int64_t e = 0; e < g->m; e++) {
        s += g->weight[e];
    }
    return s;
}

static void check_counts(const cp_graph *g, const char *name, bool weights) {
    char key[128];
    snprintf(key, sizeof key, "%s.n", name);
    cr_assert_eq(g->n, (int32_t)expect_key(key), "%s: n = %d", name, g->n);
    snprintf(key, sizeof key, "%s.m", name);
    cr_assert_eq(g->m, (int64_t)expect_key(key), "%s: m = %lld", name, (long long)g->m);
    if (weights) {
        snprintf(key, sizeof key, "%s.wsum", name);
        double w = expect_key(key);
        cr_assert(cp_test_close(weight_sum(g), w, 1e-9, 1e-9),
                  "%s: weight sum %.17g, expected %.17g", name, weight_sum(g), w);
    }
}

static void check_group(const cp_graph *g, const char *name, const char *group) {
    char key[128];
    snprintf(key, sizeof key, "%s.group.%s", name, group);
    const cp_group *grp = cp__graph_find_group(g, group);
    cr_assert_not_null(grp, "%s: no group %s", name, group);
    cr_assert_eq(grp->size, (int64_t)expect_key(key), "%s: group %s has %lld members", name, group,
                 (long long)grp->size);
}

/* Copies a shared path (cp_test_shared's buffer is reused). */
static bool shared(char *buf, size_t size, const char *rel) {
    const char *p = cp_test_shared(rel);
    if (p == NULL) {
        return false;
    }
    snprintf(buf, size, "%s", p);
    return true;
}

Test(import_real, ethereum_phishing) {
    char edges[4200], nodes[4200];
    if (!shared(edges, sizeof edges, "datasets/ethereum-phishing/edges.csv") ||
        !shared(nodes, sizeof nodes, "datasets/ethereum-phishing/nodes.csv")) {
        cr_skip_test("../shared/datasets/ethereum-phishing is absent");
    }
    cp_csv_options o;
    cp_csv_options_init(&o);
    o.source_col = "from";
    o.target_col = "to";
    o.weight_col = "amount";
    o.time_col = "timestamp";
    o.layer.units = "ETH";
    o.nodes_path = nodes;
    o.group_rules[0] = "phishing=label:1"; /* the column holds 1.0 / 0.0 / empty */
    o.n_group_rules = 1;
    cp_graph *g = NULL;
    cp_error err;
    cr_assert_eq(cp_import_csv(&g, edges, &o, &err), CP_OK, "%s", err.msg);
    check_counts(g, "ethereum", true);
    check_group(g, "ethereum", "phishing");
    cr_assert(g->ids_are_int);
    cr_assert_not_null(g->time);
    cr_assert_eq(g->layers[0].meaning, CP_MEANING_AMOUNT);
    cr_assert_str_eq(g->layers[0].units, "ETH");
    /* The first row of nodes.csv is id 1470; ids are labels, not indices. */
    cr_assert_eq(g->ids_int[0], 1470);
    cp_graph_free(&g);
}

Test(import_real, amlsim) {
    char edges[4200], nodes[4200];
    if (!shared(edges, sizeof edges, "datasets/amlsim/transactions.csv") ||
        !shared(nodes, sizeof nodes, "datasets/amlsim/nodes.csv")) {
        cr_skip_test("../shared/datasets/amlsim is absent");
    }
    cp_csv_options o;
    cp_csv_options_init(&o);
    o.source_col = "sourceNodeId";
    o.target_col = "targetNodeId";
    o.weight_col = "value";
    o.time_col = "time";
    o.nodes_path = nodes;
    o.id_col = "nodeid";
    o.group_rules[0] = "fraud=isFraud";
    o.n_group_rules = 1;
    cp_graph *g = NULL;
    cp_error err;
    cr_assert_eq(cp_import_csv(&g, edges, &o, &err), CP_OK, "%s", err.msg);
    check_counts(g, "amlsim", true);
    check_group(g, "amlsim", "fraud");
    cr_assert(g->ids_are_int);
    cp_graph_free(&g);
}

Test(import_real, snap_edge_lists) {
    const char *names[] = {"wiki-Vote", "email-Eu-core"};
    for (int i = 0; i < 2; i++) {
        char rel[128], path[4200];
        snprintf(rel, sizeof rel, "datasets/snap/%s.txt", names[i]);
        if (!shared(path, sizeof path, rel)) {
            cr_skip_test("../shared/datasets/snap is absent");
        }
        cp_graph *g = NULL;
        cp_error err;
        cr_assert_eq(cp_import_edgelist(&g, path, NULL, &err), CP_OK, "%s", err.msg);
        check_counts(g, names[i], false);
        cr_assert(g->ids_are_int);
        cp_graph_free(&g);
    }
}

Test(import_real, bitcoin_otc_headerless_csv) {
    char path[4200];
    if (!shared(path, sizeof path, "datasets/snap/soc-sign-bitcoinotc.csv")) {
        cr_skip_test("../shared/datasets/snap is absent");
    }
    /* No header: source, target, rating (-10..10), unix time. Ratings are negative in places, so
     * the layer is imported as a pattern. */
    cp_csv_options o;
    cp_csv_options_init(&o);
    o.source_col = "1";
    o.target_col = "2";
    o.weight_col = "3";
    o.time_col = "4";
    o.layer.name = "trust";
    o.layer.pattern = true;
    cp_graph *g = NULL;
    cp_error err;
    cr_assert_eq(cp__import_csv_ex(&g, path, &o, true, &err), CP_OK, "%s", err.msg);
    check_counts(g, "bitcoinotc", false);
    cr_assert_eq(weight_sum(g), (double)g->m);
    cr_assert_eq(g->time[0], 1289241912);
    cp_graph_free(&g);

    /* Without pattern the first negative rating is refused, naming its line. */
    o.layer.pattern = false;
    cr_assert_eq(cp__import_csv_ex(&g, path, &o, true, &err), CP_E_FORMAT);
    cr_assert(strstr(err.msg, "negative") != NULL && strstr(err.msg, "column 3") != NULL, "%s",
              err.msg);
    cr_assert_null(g);
}

Test(import_real, matrix_market_files) {
    const char *names[] = {"karate",
                           "west0067",
                           "bcsstk13",
                           "full",
                           "full_symmetric",
                           "comments_full",
                           "matrix_bool",
                           "matrix_int32",
                           "ldbc-cdlp-directed-example",
                           "ldbc-cdlp-undirected-example",
                           "ldbc-directed-example-bool",
                           "ldbc-directed-example-unweighted",
                           "ldbc-directed-example",
                           "ldbc-undirected-example-bool",
                           "ldbc-undirected-example-unweighted",
                           "ldbc-undirected-example",
                           "ldbc-wcc-example"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char rel[128], path[4200], key[128];
        snprintf(rel, sizeof rel, "datasets/matrix-market/%s.mtx", names[i]);
        if (!shared(path, sizeof path, rel)) {
            cr_skip_test("../shared/datasets/matrix-market is absent");
        }
        snprintf(key, sizeof key, "mtx.%s.wsum", names[i]);
        bool nonnegative;
        fixture(key, &nonnegative); /* the oracle writes a weight sum only when none is < 0 */
        cp_layer_options lo = {NULL, CP_MEANING_NONE, NULL, false, !nonnegative};
        cp_graph *g = NULL;
        cp_error err;
        cr_assert_eq(cp_import_mtx(&g, path, &lo, &err), CP_OK, "%s", err.msg);
        snprintf(key, sizeof key, "mtx.%s", names[i]);
        check_counts(g, key, nonnegative);
        cp_graph_free(&g);
    }
}
