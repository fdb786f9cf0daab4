/* The ICIJ Offshore Leaks importer (io/icij.h) on a small hand-made directory: node files by type,
 * Latin-1 and quoted names, alpha-3 countries, every rel_type mapping, dangling references, and
 * the error paths; also through the CLI. Expected values are worked out by hand. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cp_test.h"
#include "graph_impl.h"
#include "icij.h"

static char dir[4096];

static void put(const char *name, const char *text) {
    char p[4300];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "wb");
    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
}

/* Nodes: 10 Acme (entity, VGB -> VG), 11 "Big ""Co""" (entity, Latin-1 u-umlaut in "M\xFCller
 * Ltd"), 20 officer (HKG;GBR -> HK), 21 officer, 30 intermediary. No address file: reported.
 * Relationships (line): 2 20->10 officer_of "shareholder of 50%" -> ownership 0.5;
 * 3 21->10 officer_of "Director" -> control; 4 21->11 officer_of "Beneficial Owner" -> ownership
 * [0, 1] weight 0; 5 30->10 intermediary_of -> intermediary; 6 10->99 registered_address ->
 * unresolved; 7 20->21 same_name_as -> same_as; 8 10->11 connected_to -> other;
 * 9 11->10 underlying -> other. So m = 7. */
static void make_dir(void) {
    snprintf(dir, sizeof dir, "%s", cp_test_tmpdir());
    put("nodes-entities.csv", "node_id,name,jurisdiction,country_codes,countries,sourceID\n"
                              "10,Acme,BVI,VGB,British Virgin Islands,Panama Papers\n"
                              "11,\"Big \"\"Co\"\", M\xFCller Ltd\",XX,,,Panama Papers\n");
    put("nodes-officers.csv", "node_id,name,countries,country_codes,sourceID\r\n"
                              "20,Jane Doe,Hong Kong,HKG;GBR,Paradise Papers\r\n"
                              "21,John Roe,,XXX,Paradise Papers\r\n");
    put("nodes-intermediaries.csv", "node_id,name,status,country_codes,sourceID\n"
                                    "30,Law Firm,ACTIVE,pan,Panama/Papers\n");
    put("relationships.csv", "node_id_start,node_id_end,rel_type,link,status,start_date,"
                             "end_date,sourceID\n"
                             "20,10,officer_of,shareholder of 50%,,,,x\n"
                             "21,10,officer_of,Director,,,,x\n"
                             "21,11,officer_of,Beneficial Owner,,,,x\n"
                             "30,10,intermediary_of,intermediary of,,,,x\n"
                             "10,99,registered_address,registered address,,,,x\n"
                             "20,21,same_name_as,same name as,,,,x\n"
                             "10,11,connected_to,,,,,x\n"
                             "11,10,underlying,,,,,x\n");
}

static int64_t find_edge(cp_graph *g, const char *src, const char *dst, const char *layer) {
    int32_t s = cp_graph_find_node(g, src), d = cp_graph_find_node(g, dst);
    int li = cp__graph_find_layer(g, layer);
    for (int64_t e = 0; li >= 0 && e < g->m; e++) {
        if (g->src[e] == s && g->dst[e] == d && g->layer[e] == li) {
            return e;
        }
    }
    return -1;
}

Test(icij, link_share) {
    double lo, hi;
    cr_assert(cp__icij_link_share("shareholder of 50%", &lo, &hi) && lo == 0.5 && hi == 0.5);
    cr_assert(cp__icij_link_share("owner (25-50%)", &lo, &hi) && lo == 0.25 && hi == 0.5);
    cr_assert(!cp__icij_link_share("shareholder of", &lo, &hi));
    cr_assert(!cp__icij_link_share("100% sure? no: 250%", &lo, &hi) || lo == 1.0);
}

Test(icij, hand_worked_directory) {
    make_dir();
    cp_icij_options o;
    memset(&o, 0, sizeof o);
    o.dir = dir;
    cp_graph *g = NULL;
    cp_import_report r;
    cp_error err;
    cr_assert_eq(cp_import_icij(&g, &r, &o, &err), CP_OK, "%s", err.msg);
    cr_assert_eq(g->n, 5);
    cr_assert_eq(g->m, 7);
    cr_assert(g->ids_are_int);
    cr_assert_eq(r.unresolved, 1);
    cr_assert_eq(r.recoded, 1);
    cr_assert_eq(r.no_share, 1);
    cr_assert(strstr(r.text, "nodes-addresses.csv: not found") != NULL, "%s", r.text);
    cr_assert(strstr(r.text, "'connected_to': 1") != NULL, "%s", r.text);
    cr_assert(strstr(r.text, "'underlying': 1") != NULL, "%s", r.text);
    cr_assert(strstr(r.text, "relationships.csv:6: relation to unknown id '99'") != NULL, "%s",
              r.text);
    int32_t n10 = cp_graph_find_node(g, "10"), n11 = cp_graph_find_node(g, "11");
    int32_t n20 = cp_graph_find_node(g, "20"), n30 = cp_graph_find_node(g, "30");
    cr_assert_eq(g->kind[n10], CP_KIND_COMPANY);
    cr_assert_eq(g->kind[n20], CP_KIND_OTHER);
    cr_assert_eq(memcmp(g->country + 2 * n10, "VG", 2), 0);
    cr_assert_eq(memcmp(g->country + 2 * n20, "HK", 2), 0);
    cr_assert_eq(memcmp(g->country + 2 * n30, "PA", 2), 0);
    cr_assert_eq(g->country[2 * cp_graph_find_node(g, "21")], '\0');
    cr_assert_str_eq(g->names[n11], "Big \"Co\", M\xC3\xBCller Ltd");
    const cp_group *gr = cp__graph_find_group(g, "icij:entity");
    cr_assert(gr != NULL && gr->size == 2);
    gr = cp__graph_find_group(g, "source:Panama_Papers");
    cr_assert(gr != NULL && gr->size == 1 && gr->members[0] == n30);
    int64_t e = find_edge(g, "20", "10", "ownership");
    cr_assert(e >= 0 && g->weight[e] == 0.5);
    e = find_edge(g, "21", "11", "ownership");
    cr_assert(e >= 0 && g->weight[e] == 0.0 && r.share_upper[e] == 1.0);
    cr_assert(find_edge(g, "21", "10", "control") >= 0);
    cr_assert(find_edge(g, "30", "10", "intermediary") >= 0);
    cr_assert(find_edge(g, "20", "21", "same_as") >= 0);
    cr_assert(!g->layers[cp__graph_find_layer(g, "same_as")].directed);
    cr_assert(find_edge(g, "10", "11", "other") >= 0 && find_edge(g, "11", "10", "other") >= 0);
    cp_import_report_free(&r);
    cp_graph_free(&g);
}

static void expect_format(const char *needle) {
    cp_icij_options o;
    memset(&o, 0, sizeof o);
    o.dir = dir;
    cp_graph *g = NULL;
    cp_error err;
    cr_assert_eq(cp_import_icij(&g, NULL, &o, &err), CP_E_FORMAT, "%s", err.msg);
    cr_assert_null(g);
    cr_assert(strstr(err.msg, needle) != NULL, "no '%s' in %s", needle, err.msg);
}

Test(icij, errors) {
    make_dir();
    put("nodes-others.csv", "id,name\n1,x\n");
    expect_format("nodes-others.csv:1: no column 'node_id'");
    put("nodes-others.csv", "node_id,name\n1,x\n2,y,z\n");
    expect_format("nodes-others.csv:3: 3 fields; expected 2");
    put("nodes-others.csv", "node_id,name\n1,\"open\n");
    expect_format("nodes-others.csv:2");
    put("nodes-others.csv", "node_id,name\n,x\n");
    expect_format("nodes-others.csv:2: empty node id");
    put("nodes-others.csv", "node_id,name\n");
    put("relationships.csv", "start,end,rel_type\n");
    expect_format("no column 'node_id_start'");
    cp_icij_options o;
    memset(&o, 0, sizeof o);
    o.dir = "/nonexistent";
    cp_graph *g = NULL;
    cp_error err;
    cr_assert_eq(cp_import_icij(&g, NULL, &o, &err), CP_E_IO);
    o.dir = NULL;
    cr_assert_eq(cp_import_icij(&g, NULL, &o, &err), CP_E_INVALID);
}

Test(icij, cli) {
    make_dir();
    char args[20000], h5[4300], *out = NULL;
    snprintf(h5, sizeof h5, "%s/g.h5", dir);
    snprintf(args, sizeof args, "import '%s' --format icij -o '%s'", dir, h5);
    int rc = cp_test_cli(args, &out);
    cr_assert_eq(rc, 0, "%s", out);
    free(out);
    /* Explicit files: the relationships file and one node file (the others' ids dangle). */
    snprintf(args, sizeof args,
             "import '%s/relationships.csv' --format icij --nodes '%s/nodes-entities.csv' -o '%s'",
             dir, dir, h5);
    rc = cp_test_cli(args, &out);
    cr_assert_eq(rc, 0, "%s", out);
    cr_assert(strstr(out, "2 nodes, 2 edges") != NULL, "%s", out); /* 10->11, 11->10 */
    free(out);
    put("relationships.csv", "node_id_start,node_id_end,rel_type\n1,2\n");
    snprintf(args, sizeof args, "import '%s' --format icij -o '%s'", dir, h5);
    rc = cp_test_cli(args, &out);
    cr_assert_eq(rc, 2, "%s", out);
    cr_assert(strstr(out, "relationships.csv:2:") != NULL, "%s", out);
    free(out);
}
