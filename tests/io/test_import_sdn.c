/* The OFAC SDN importer (io/sdn.h): small files written here cover every quirk of the format with
 * hand-worked expectations; the two real snapshots in ../shared/datasets/sdn are checked against
 * the independent counts of tests/oracle/count_sdn.py (tests/fixtures/import/sdn_real_counts.txt)
 * and skipped when the data sets are absent. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "cp_test.h"
#include "graph_h5.h"
#include "graph_impl.h"
#include "sdn.h"

static const char *write_file(const char *name, const char *bytes, size_t len) {
    static char path[4][1024];
    static int turn = 0;
    char *p = path[turn++ % 4];
    snprintf(p, 1024, "%s/%s", cp_test_tmpdir(), name);
    FILE *f = fopen(p, "wb");
    cr_assert_not_null(f, "cannot create %s", p);
    cr_assert_eq(fwrite(bytes, 1, len, f), len);
    fclose(f);
    return p;
}

static const char *write_text(const char *name, const char *text) {
    return write_file(name, text, strlen(text));
}

static int32_t node(cp_graph *g, const char *id) {
    int32_t i = cp_graph_find_node(g, id);
    cr_assert_geq(i, 0, "no node %s", id);
    return i;
}

/* Number of edges src -> dst on the layer. */
static int count_edges(cp_graph *g, const char *src, const char *dst, const char *layer) {
    int32_t s = node(g, src), d = node(g, dst);
    int l = cp__graph_find_layer(g, layer);
    cr_assert_geq(l, 0, "no layer %s", layer);
    int c = 0;
    for (int64_t e = 0; e < g->m; e++) {
        c += g->src[e] == s && g->dst[e] == d && g->layer[e] == l;
    }
    return c;
}

static int64_t layer_edges(const cp_graph *g, const char *layer) {
    int l = cp__graph_find_layer(g, layer);
    cr_assert_geq(l, 0, "no layer %s", layer);
    int64_t c = 0;
    for (int64_t e = 0; e < g->m; e++) {
        c += g->layer[e] == l;
    }
    return c;
}

static bool in_group(const cp_graph *g, const char *group, int32_t i) {
    const cp_group *gr = cp__graph_find_group(g, group);
    cr_assert_not_null(gr, "no group %s", group);
    for (int64_t k = 0; k < gr->size; k++) {
        if (gr->members[k] == i) {
            return true;
        }
    }
    return false;
}

static const cp_sdn_issue *find_issue(const cp_sdn_report *r, int64_t entry, const char *text) {
    for (int64_t i = 0; i < r->n_issues; i++) {
        if (r->issues[i].entry == entry && strcmp(r->issues[i].text, text) == 0) {
            return &r->issues[i];
        }
    }
    return NULL;
}

/* Every quirk at once. Line numbers: row k is on line k except where a quoted field spans lines.
 * 10 ACME TRADING CO., LTD.        entity, two programs, links to 20 (spelled "Acme Holding
 *                                  S.A") and to 30 by its alias, and to a name not on the list
 * 20 ACME HOLDING SA               entity, Latin-1 name byte none
 * 30 "PEOPLE'S" BANK               quotes inside the name; a.k.a. 'PB OF ELBONIA'
 * 40 CAFÉ ROYAL (Latin-1 0xC9)     individual; linked to "Café Royal & Sons" -> 50
 * 50 CAFÉ ROYAL AND SONS           entity (written in Latin-1 capitals)
 * 60 SEA STAR                      vessel, owner "acme trading co ltd" -> 10
 * 70 DUP NAME (twice: 70 and 71)   a link to it from 80 is ambiguous
 * 80 SELF REF                      links to itself (no edge) and twice to 20 (one edge)
 * 90 AIR ONE                       aircraft, -0- padded with blanks everywhere, CRLF line ends,
 *                                  remarks over two lines; then OFAC's Ctrl-Z line. */
static const char quirks[] =
    "10,\"ACME TRADING CO., LTD.\",-0- ,\"SDGT] [DPRK3\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"
    "\"Registration ID 5 (Elbonia); Linked To: Acme Holding S.A; Linked To: PB OF ELBONIA; "
    "Linked To: NOBODY AT ALL LTD.\"\r\n"
    "20,\"ACME HOLDING SA\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"
    "30,\"\"\"PEOPLE'S\"\" BANK\",-0-,\"IRAN\",-0-,-0-,-0-,-0-,-0-,-0-,-0-,"
    "\"a.k.a. 'PB OF ELBONIA'; f.k.a. 'OLD PEOPLES BANK'.\"\r\n"
    "40,\"CAF\xc9 ROYAL\",\"individual\",\"SDGT\",\"Director\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"
    "\"DOB 1970; Linked To: Caf\xe9 Royal & Sons.\"\r\n"
    "50,\"CAF\xc9 ROYAL AND SONS\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"
    "60,\"SEA STAR\",\"vessel\",\"DPRK3] [DPRK4\",-0- ,\"HMAB\",\"Tanker\",\"1,000\",\"900\","
    "\"Elbonia\",\"acme trading co ltd\",\"IMO 1234567.\"\r\n"
    "70,\"DUP NAME\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"
    "71,\"DUP  NAME.\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"
    "80,\"SELF REF\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"
    "\"Linked To: SELF REF; Linked To: ACME HOLDING SA; Linked To: Acme Holding, S.A.; "
    "Linked To: DUP NAME.\"\r\n"
    "90 ,\"AIR ONE \",  aircraft  ,\"IRAN\", -0- , -0- , -0- , -0- , -0- , -0- , -0- ,"
    "\"Aircraft Model B747;\r\nLinked To: SEA STAR.\"\r\n"
    "\x1a";

Test(import_sdn, quirks) {
    const char *p = write_file("quirks.csv", quirks, sizeof quirks - 1);
    cp_graph *g = NULL;
    cp_error err;
    cp_sdn_report r;
    cp_status st = cp_import_sdn(&g, p, NULL, &r, &err);
    cr_assert_eq(st, CP_OK, "%s", err.msg);
    cr_assert_eq(g->n, 10);
    cr_assert(g->ids_are_int);
    cr_assert_eq(r.entries, 10);
    /* Kinds. */
    cr_assert_eq(g->kind[node(g, "10")], CP_KIND_COMPANY);
    cr_assert_eq(g->kind[node(g, "40")], CP_KIND_PERSON);
    cr_assert_eq(g->kind[node(g, "60")], CP_KIND_VESSEL);
    cr_assert_eq(g->kind[node(g, "90")], CP_KIND_AIRCRAFT);
    /* Names: quotes, Latin-1 -> UTF-8 (E acute is C3 89), blanks trimmed. */
    cr_assert_not_null(g->names);
    cr_assert_str_eq(g->names[node(g, "30")], "\"PEOPLE'S\" BANK");
    cr_assert_str_eq(g->names[node(g, "40")], "CAF\xc3\x89 ROYAL");
    cr_assert_str_eq(g->names[node(g, "90")], "AIR ONE");
    /* Groups: every entry designated; several programs per entry. */
    for (int32_t i = 0; i < g->n; i++) {
        cr_assert(in_group(g, "designated", i));
        cr_assert_eq(g->designated[i], 1);
    }
    cr_assert(in_group(g, "program:SDGT", node(g, "10")));
    cr_assert(in_group(g, "program:DPRK3", node(g, "10")));
    cr_assert(in_group(g, "program:DPRK3", node(g, "60")));
    cr_assert(in_group(g, "program:DPRK4", node(g, "60")));
    cr_assert_eq(cp__graph_find_group(g, "program:DPRK3")->size, 2);
    cr_assert_eq(cp__graph_find_group(g, "program:CUBA")->size, 3);
    cr_assert_eq(cp__graph_find_group(g, "program:IRAN")->size, 2);
    /* Edges. */
    cr_assert_eq(count_edges(g, "10", "20", "linked"), 1, "spelling and punctuation differ");
    cr_assert_eq(count_edges(g, "10", "30", "linked"), 1, "through the a.k.a. alias");
    cr_assert_eq(count_edges(g, "40", "50", "linked"), 1, "Latin-1 case and '&' = AND");
    cr_assert_eq(count_edges(g, "80", "20", "linked"), 1, "two references, one edge");
    cr_assert_eq(count_edges(g, "80", "80", "linked"), 0, "no self edge");
    cr_assert_eq(count_edges(g, "90", "60", "linked"), 1, "remarks over two lines");
    cr_assert_eq(count_edges(g, "10", "60", "owner"), 1, "owner -> vessel");
    cr_assert_eq(layer_edges(g, "linked"), 5);
    cr_assert_eq(layer_edges(g, "owner"), 1);
    cr_assert_eq(g->m, 6);
    /* Report: 9 Linked To names (3 + 1 + 4 + 1), 1 owner. */
    cr_assert_eq(r.linked.found, 9);
    cr_assert_eq(r.linked.resolved, 7);
    cr_assert_eq(r.linked.unresolved, 1);
    cr_assert_eq(r.linked.ambiguous, 1);
    cr_assert_eq(r.owner.found, 1);
    cr_assert_eq(r.owner.resolved, 1);
    cr_assert_eq(r.self_links, 1);
    cr_assert_eq(r.repeated_edges, 1);
    cr_assert_eq(r.aliases, 2);
    cr_assert_eq(r.n_issues, 2);
    const cp_sdn_issue *u = find_issue(&r, 10, "NOBODY AT ALL LTD.");
    cr_assert_not_null(u);
    cr_assert_str_eq(u->state, "unresolved");
    cr_assert_str_eq(u->what, "linked");
    cr_assert_eq(u->line, 1);
    const cp_sdn_issue *a = find_issue(&r, 80, "DUP NAME.");
    cr_assert_not_null(a);
    cr_assert_str_eq(a->state, "ambiguous");
    cr_assert_str_eq(a->candidates, "70 71");
    cr_assert_eq(a->line, 9);
    /* The report as CSV. */
    char out[1024];
    snprintf(out, sizeof out, "%s/quirks.unresolved.csv", cp_test_tmpdir());
    cr_assert_eq(cp_sdn_report_write_csv(&r, out, &err), CP_OK, "%s", err.msg);
    FILE *f = fopen(out, "rb");
    cr_assert_not_null(f);
    char buf[4096];
    size_t len = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[len] = '\0';
    cr_assert(strncmp(buf, "entry,file,line,what,state,text,candidates\r\n", 44) == 0, "%s", buf);
    cr_assert_not_null(strstr(buf, ",1,linked,unresolved,\"NOBODY AT ALL LTD.\",\"\"\r\n"), "%s",
                       buf);
    cr_assert_not_null(strstr(buf, ",9,linked,ambiguous,\"DUP NAME.\",\"70 71\"\r\n"), "%s", buf);
    cp_sdn_report_free(&r);
    cp_graph_free(&g);
}

Test(import_sdn, names_survive_hdf5) {
    const char *p = write_file("quirks.csv", quirks, sizeof quirks - 1);
    cp_graph *g = NULL, *h = NULL;
    cp_error err;
    cr_assert_eq(cp_import_sdn(&g, p, NULL, NULL, &err), CP_OK, "%s", err.msg);
    char out[1024];
    snprintf(out, sizeof out, "%s/q.h5", cp_test_tmpdir());
    cr_assert_eq(cp_graph_write_h5(g, out, NULL, &err), CP_OK, "%s", err.msg);
    cr_assert_eq(cp_graph_read_h5(&h, out, &err), CP_OK, "%s", err.msg);
    cr_assert_eq(h->n, g->n);
    cr_assert_eq(h->m, g->m);
    cr_assert_not_null(h->names);
    cr_assert_str_eq(h->names[node(h, "40")], "CAF\xc3\x89 ROYAL");
    cr_assert_eq(h->kind[node(h, "60")], CP_KIND_VESSEL);
    cr_assert_eq(h->designated[node(h, "60")], 1);
    cp_graph_free(&g);
    cp_graph_free(&h);
}

/* OFAC's companion files: ALT aliases resolve names; ADD addresses give countries. */
Test(import_sdn, alt_and_add) {
    const char *sdn = write_text(
        "s.csv",
        "1,\"NATIONAL TANKER COMPANY\",-0- ,\"IRAN\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n"
        "2,\"ARK\",\"vessel\",\"IRAN\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"NTC\",-0- \n"
        "3,\"KIM, Il\",\"individual\",\"DPRK\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n"
        "4,\"ODD PLACE LLC\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n");
    const char *alt = write_text("a.csv", "1,101,\"aka\",\"N.T.C.\",-0- \n"
                                          "99,102,\"aka\",\"GHOST\",-0- \n\x1a");
    const char *add = write_text("d.csv", "1,201,\"Street 1\",\"Tehran\",\"Iran\",-0- \n"
                                          "1,202,-0- ,\"Dubai\",\"United Arab Emirates\",-0- \n"
                                          "3,203,-0- ,\"Pyongyang\",\"Korea, North\",-0- \n"
                                          "4,204,-0- ,-0- ,\"Atlantis\",-0- \n"
                                          "4,205,-0- ,-0- ,\" burma \",-0- \n"
                                          "2,206,-0- ,-0- ,-0- ,-0- \n"
                                          "77,207,-0- ,-0- ,\"Cuba\",-0- \n");
    cp_sdn_options o;
    memset(&o, 0, sizeof o);
    o.alt_path = alt;
    o.add_path = add;
    cp_graph *g = NULL;
    cp_error err;
    cp_sdn_report r;
    cr_assert_eq(cp_import_sdn(&g, sdn, &o, &r, &err), CP_OK, "%s", err.msg);
    cr_assert_eq(count_edges(g, "1", "2", "owner"), 1, "owner named by an ALT alias");
    cr_assert_eq(r.owner.resolved, 1);
    cr_assert_eq(memcmp(g->country + 2 * node(g, "1"), "IR", 2), 0, "first address kept");
    cr_assert_eq(memcmp(g->country + 2 * node(g, "3"), "KP", 2), 0);
    cr_assert_eq(memcmp(g->country + 2 * node(g, "4"), "MM", 2), 0, "unmapped skipped");
    cr_assert_eq(memcmp(g->country + 2 * node(g, "2"), "\0\0", 2), 0);
    cr_assert_eq(r.alt_rows, 2);
    cr_assert_eq(r.add_rows, 7);
    cr_assert_eq(r.countries_set, 3);
    cr_assert_eq(r.countries_conflicting, 1);
    cr_assert_eq(r.countries_unmapped, 1);
    cr_assert_eq(r.orphans, 2);
    const cp_sdn_issue *i = find_issue(&r, 4, "Atlantis");
    cr_assert_not_null(i);
    cr_assert_str_eq(i->state, "unmapped");
    cr_assert_str_eq(i->file, add);
    cr_assert_eq(i->line, 4);
    i = find_issue(&r, 99, "GHOST");
    cr_assert_not_null(i);
    cr_assert_str_eq(i->state, "orphan");
    cr_assert_str_eq(i->what, "alias");
    i = find_issue(&r, 77, "Cuba");
    cr_assert_not_null(i);
    cr_assert_str_eq(i->state, "orphan");
    cp_sdn_report_free(&r);
    cp_graph_free(&g);
}

Test(import_sdn, country_table) {
    cr_assert_str_eq(cp_sdn_country_code("Korea, North"), "KP");
    cr_assert_str_eq(cp_sdn_country_code("  russia "), "RU");
    cr_assert_str_eq(cp_sdn_country_code("Cote d'Ivoire"), "CI");
    cr_assert_str_eq(cp_sdn_country_code("Turkmenistan"), "TM");
    cr_assert_null(cp_sdn_country_code("Korea"));
    cr_assert_null(cp_sdn_country_code(""));
    cr_assert_null(cp_sdn_country_code(NULL));
}

/* A malformed file is CP_E_FORMAT with a message naming the file, the line and `expect`. */
static void bad(const char *text, size_t len, cp_sdn_encoding enc, const char *line,
                const char *expect) {
    const char *p = write_file("bad.csv", text, len);
    cp_sdn_options o;
    memset(&o, 0, sizeof o);
    o.encoding = enc;
    cp_graph *g = NULL;
    cp_error err;
    cp_sdn_report r;
    cp_status st = cp_import_sdn(&g, p, &o, &r, &err);
    cr_assert_eq(st, CP_E_FORMAT, "status %d for %s", st, text);
    cr_assert_null(g);
    char where[1100];
    snprintf(where, sizeof where, "%s%s", p, line);
    cr_assert_not_null(strstr(err.msg, where), "message '%s' lacks '%s'", err.msg, where);
    cr_assert_not_null(strstr(err.msg, expect), "message '%s' lacks '%s'", err.msg, expect);
    cp_sdn_report_free(&r);
}

#define ROW(id, name, type)     id ",\"" name "\"," type ",\"X\",-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-\n"
#define BAD(text, line, expect) bad(text, sizeof(text) - 1, CP_SDN_LATIN1, line, expect)

Test(import_sdn, malformed) {
    BAD(ROW("1", "A", "-0-") ROW("2", "B", "-0-") "3,\"C\",-0-,\"X\"\n", ":3:", "expected 12");
    BAD(ROW("1", "A", "-0-") "x1,\"B\",-0-,\"X\",-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-\n",
        ":2:", "non-negative integer");
    BAD(ROW("-5", "A", "-0-"), ":1:", "non-negative integer");
    BAD(ROW("1", "A", "-0-") ROW("1", "B", "-0-"), ":2:", "given again (first on line 1)");
    BAD(ROW("1", "A", "-0-") ROW("2", "B", "company"), ":2:", "expected individual, vessel");
    BAD(ROW("1", "-0-", "-0-"), ":1:", "expected the entry's name");
    BAD(ROW("1", "", "-0-"), ":1:", "expected the entry's name");
    BAD(ROW("1", "A", "-0-") "2,\"B,-0-\n", ":2:", "quote");
    BAD(ROW("1", "A", "-0-") "\x1a\n" ROW("2", "B", "-0-"), ":3:", "end-of-file byte");
    BAD("", "", "no entries");
    BAD("\x1a", "", "no entries");
    bad(ROW("1", "CAF\xc9", "-0-"), sizeof(ROW("1", "CAF\xc9", "-0-")) - 1, CP_SDN_UTF8,
        ":1:", "not valid UTF-8");
}

Test(import_sdn, malformed_companions) {
    const char *sdn = write_text("s.csv", ROW("1", "A", "-0-"));
    cp_sdn_options o;
    memset(&o, 0, sizeof o);
    o.alt_path = write_text("a.csv", "1,2,\"aka\",\"B\",-0-\n1,3,\"aka\"\n");
    cp_graph *g = NULL;
    cp_error err;
    cr_assert_eq(cp_import_sdn(&g, sdn, &o, NULL, &err), CP_E_FORMAT);
    cr_assert_not_null(strstr(err.msg, ":2:"), "%s", err.msg);
    cr_assert_not_null(strstr(err.msg, "expected 5"), "%s", err.msg);
    o.alt_path = NULL;
    o.add_path = write_text("d.csv", "one,2,-0-,-0-,\"Iran\",-0-\n");
    cr_assert_eq(cp_import_sdn(&g, sdn, &o, NULL, &err), CP_E_FORMAT);
    cr_assert_not_null(strstr(err.msg, "d.csv:1:"), "%s", err.msg);
    o.add_path = "/nonexistent/add.csv";
    cr_assert_eq(cp_import_sdn(&g, sdn, &o, NULL, &err), CP_E_IO);
    cr_assert_null(g);
}

Test(import_sdn, invalid_arguments) {
    cp_graph *g = NULL;
    cp_error err;
    cr_assert_eq(cp_import_sdn(NULL, "x", NULL, NULL, &err), CP_E_INVALID);
    cr_assert_eq(cp_import_sdn(&g, NULL, NULL, NULL, &err), CP_E_INVALID);
    cr_assert_eq(cp_import_sdn(&g, "/nonexistent/sdn.csv", NULL, NULL, &err), CP_E_IO);
    cr_assert_not_null(strstr(err.msg, "/nonexistent/sdn.csv"));
    cp_sdn_report_free(NULL);
}

/* ---- the real snapshots ------------------------------------------------------------------- */

static double expect_key(const char *key) {
    const char *path = cp_test_source("tests/fixtures/import/sdn_real_counts.txt");
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "cannot open %s", path);
    char line[512], k[256];
    double v = 0, x;
    bool found = false;
    while (fgets(line, sizeof line, f) != NULL) {
        if (line[0] != '#' && sscanf(line, "%255s %lf", k, &x) == 2 && strcmp(k, key) == 0) {
            v = x;
            found = true;
            break;
        }
    }
    fclose(f);
    cr_assert(found, "the fixture has no '%s'; rerun tests/oracle/count_sdn.py", key);
    return v;
}

static void check_snapshot(const char *date) {
    char rel[128], path[1024], key[256];
    snprintf(rel, sizeof rel, "datasets/sdn/sdn_%s.csv", date);
    const char *p = cp_test_shared(rel);
    if (p == NULL) {
        cr_skip_test("../shared/%s is absent", rel);
    }
    snprintf(path, sizeof path, "%s", p);
    cp_graph *g = NULL;
    cp_error err;
    cp_sdn_report r;
    cr_assert_eq(cp_import_sdn(&g, path, NULL, &r, &err), CP_OK, "%s", err.msg);
#define EXPECT(value, fmt)                                                                         \
    do {                                                                                           \
        snprintf(key, sizeof key, fmt, date);                                                      \
        cr_assert_eq((int64_t)(value), (int64_t)expect_key(key), "%s: %lld", key,                  \
                     (long long)(value));                                                          \
    } while (0)
    EXPECT(g->n, "%s.entries");
    EXPECT(r.entries, "%s.entries");
    static const struct {
        const char *name;
        cp_node_kind kind;
    } kinds[] = {{"person", CP_KIND_PERSON},
                 {"company", CP_KIND_COMPANY},
                 {"vessel", CP_KIND_VESSEL},
                 {"aircraft", CP_KIND_AIRCRAFT}};
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        int64_t c = 0;
        for (int32_t i = 0; i < g->n; i++) {
            c += g->kind[i] == kinds[k].kind;
        }
        snprintf(key, sizeof key, "%s.kind.%s", date, kinds[k].name);
        cr_assert_eq(c, (int64_t)expect_key(key), "%s: %lld", key, (long long)c);
    }
    int programs = 0;
    for (int i = 0; i < g->n_groups; i++) {
        programs += strncmp(g->groups[i].name, "program:", 8) == 0;
    }
    EXPECT(programs, "%s.programs");
    static const char *const groups[] = {
        "designated",   "program:SDGT",           "program:DPRK3",          "program:IRAN",
        "program:CUBA", "program:RUSSIA-EO14024", "program:CAATSA - RUSSIA"};
    for (size_t k = 0; k < sizeof groups / sizeof groups[0]; k++) {
        const cp_group *gr = cp__graph_find_group(g, groups[k]);
        int64_t size = gr != NULL ? gr->size : 0;
        char fixed[128];
        snprintf(fixed, sizeof fixed, "%s", groups[k]);
        for (char *c = fixed; *c; c++) {
            *c = *c == ' ' ? '_' : *c;
        }
        snprintf(key, sizeof key, "%s.group.%s", date, fixed);
        cr_assert_eq(size, (int64_t)expect_key(key), "%s: %lld", key, (long long)size);
    }
    EXPECT(r.linked.found, "%s.linked.found");
    EXPECT(r.linked.resolved, "%s.linked.resolved");
    EXPECT(r.linked.unresolved, "%s.linked.unresolved");
    EXPECT(r.linked.ambiguous, "%s.linked.ambiguous");
    EXPECT(r.owner.found, "%s.owner.found");
    EXPECT(r.owner.resolved, "%s.owner.resolved");
    EXPECT(r.owner.unresolved, "%s.owner.unresolved");
    EXPECT(r.owner.ambiguous, "%s.owner.ambiguous");
    EXPECT(layer_edges(g, "linked"), "%s.m.linked");
    EXPECT(layer_edges(g, "owner"), "%s.m.owner");
#undef EXPECT
    /* Nothing dropped silently: every reference is an edge, a repeat, a self reference or an
     * issue. */
    cr_assert_eq(r.linked.found + r.owner.found,
                 g->m + r.repeated_edges + r.self_links + r.n_issues);
    cp_sdn_report_free(&r);
    cp_graph_free(&g);
}

Test(import_sdn, real_2021) {
    check_snapshot("2021-08-18");
}

Test(import_sdn, real_2024) {
    check_snapshot("2024-05-03");
}

/* Every allocation failure gives CP_E_NOMEM (or, once enough succeed, CP_OK) and frees what was
 * taken (AddressSanitizer's leak check in the sanitizer build). */
Test(import_sdn, allocation_failures) {
    const char *p = write_file("quirks.csv", quirks, sizeof quirks - 1);
    cp_sdn_options o;
    memset(&o, 0, sizeof o);
    o.alt_path = write_text("a.csv", "10,1,\"aka\",\"ACME\",-0-\n99,2,\"aka\",\"GHOST\",-0-\n");
    o.add_path = write_text("d.csv", "10,1,-0-,-0-,\"Iran\",-0-\n40,2,-0-,-0-,\"Atlantis\",-0-\n");
    bool ok = false;
    for (long k = 0; k < 5000 && !ok; k++) {
        cp_graph *g = NULL;
        cp_error err;
        cp_sdn_report r;
        cp__alloc_fail_after(k);
        cp_status st = cp_import_sdn(&g, p, &o, &r, &err);
        cp__alloc_fail_after(-1);
        cr_assert(st == CP_OK || st == CP_E_NOMEM, "k = %ld: %s (%s)", k, cp_status_name(st),
                  err.msg);
        cr_assert_eq(g != NULL, st == CP_OK, "k = %ld", k);
        ok = st == CP_OK;
        cp_sdn_report_free(&r);
        cp_graph_free(&g);
    }
    cr_assert(ok, "never succeeded");
}
