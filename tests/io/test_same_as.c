/* Same-as merging (io/merge.h): a hand-worked union-find merge on integer ids (representative,
 * order, re-pointed edges, self-loops, attributes, groups, the record), independence of the pair
 * order, string ids from a CSV import with a same-as file (header, tab, unknown ids), the error
 * paths, and the CLI writing /merged. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cp_test.h"
#include "graph_h5.h"
#include "graph_impl.h"
#include "import.h"
#include "merge.h"

static char path_buf[4][4300];

static const char *put(int slot, const char *name, const char *text) {
    snprintf(path_buf[slot], sizeof path_buf[slot], "%s/%s", cp_test_tmpdir(), name);
    FILE *f = fopen(path_buf[slot], "wb");
    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
    return path_buf[slot];
}

/* Nodes 0..5; edges 0->1, 3->4, 4->2, 0->3, 5->5. Pairs (3, 1), (1, 4): classes {0}, {1, 3, 4},
 * {2}, {5}; representative of {1,3,4} is id 1 (smallest). Output indices by first member:
 * 0 -> 0, {1,3,4} -> 1, 2 -> 2, 5 -> 3. Edges: 0->1, 1->1 (new self-loop), 1->2, 0->1 (parallel),
 * 3->3 (an old self-loop, not counted). Record: ids 3, 4 into 1. */
static void check_merged(const int32_t *a, const int32_t *b) {
    const int32_t src[] = {0, 3, 4, 0, 5}, dst[] = {1, 4, 2, 3, 5};
    const double w[] = {1, 2, 3, 4, 5};
    cp_graph *g = cp_test_graph(6, 5, src, dst, w, "t", CP_MEANING_AMOUNT, true);
    g->designated[4] = 1;
    g->kind[3] = CP_KIND_BANK; /* node 1 has kind other: filled from 3 */
    memcpy(g->country + 2 * 4, "KP", 2);
    cp_graph *h = NULL;
    cp_merge_record rec;
    memset(&rec, 0, sizeof rec);
    cp_error err;
    cr_assert_eq(cp_graph_merge(&h, &rec, g, a, b, 2, &err), CP_OK, "%s", err.msg);
    cr_assert_eq(h->n, 4);
    cr_assert_eq(h->m, 5);
    const int64_t ids[] = {0, 1, 2, 5};
    for (int i = 0; i < 4; i++) {
        cr_assert_eq(h->ids_int[i], ids[i]);
    }
    const int32_t hs[] = {0, 1, 1, 0, 3}, hd[] = {1, 1, 2, 1, 3};
    for (int e = 0; e < 5; e++) {
        cr_assert_eq(h->src[e], hs[e], "edge %d", e);
        cr_assert_eq(h->dst[e], hd[e], "edge %d", e);
        cr_assert_eq(h->weight[e], w[e]);
    }
    cr_assert_eq(h->designated[1], 1);
    cr_assert_eq(h->designated[0] + h->designated[2] + h->designated[3], 0);
    cr_assert_eq(h->kind[1], CP_KIND_BANK);
    cr_assert_eq(memcmp(h->country + 2, "KP", 2), 0);
    cr_assert_eq(rec.n, 2);
    cr_assert_str_eq(rec.id[0], "3");
    cr_assert_str_eq(rec.id[1], "4");
    cr_assert(rec.into[0] == 1 && rec.into[1] == 1);
    cr_assert_eq(rec.self_loops, 1);
    cp_merge_record_free(&rec);
    cp_graph_free(&h);
    cp_graph_free(&g);
}

Test(same_as, hand_worked) {
    const int32_t a[] = {3, 1}, b[] = {1, 4};
    check_merged(a, b);
}

Test(same_as, pair_order_does_not_matter) {
    const int32_t a[] = {4, 1}, b[] = {1, 3};
    check_merged(a, b);
    const int32_t c[] = {4, 3}, d[] = {3, 1};
    check_merged(c, d);
}

Test(same_as, invalid) {
    cp_graph *g = cp_test_graph(2, 0, NULL, NULL, NULL, "t", CP_MEANING_NONE, true);
    cp_graph *h = NULL;
    cp_error err;
    const int32_t a[] = {0}, b[] = {2};
    cr_assert_eq(cp_graph_merge(&h, NULL, g, a, b, 1, &err), CP_E_INVALID);
    cr_assert_null(h);
    cr_assert_eq(cp_graph_merge(&h, NULL, g, NULL, NULL, 1, &err), CP_E_INVALID);
    cr_assert_eq(cp_graph_merge(&h, NULL, g, NULL, NULL, 0, &err), CP_OK);
    cr_assert_eq(h->n, 2);
    cp_graph_free(&h);
    cp_graph_free(&g);
}

/* String ids: edges bob->carol, ann->bob, dave->erin. Same-as (tab-separated, header, a comment,
 * an unknown id, an extra column): carol = bob, zed = ann (skipped). Class {bob, carol} has
 * representative "bob" (byte order). */
Test(same_as, csv_file_with_string_ids) {
    const char *edges = put(0, "e.csv", "source,target\nbob,carol\nann,bob\ndave,erin\n");
    const char *same =
        put(1, "same.tsv", "left\tright\n# known aliases\ncarol\tbob\tscore 0.9\nzed\tann\n");
    cp_graph *g = NULL, *h = NULL;
    cp_error err;
    cr_assert_eq(cp_import_csv(&g, edges, NULL, &err), CP_OK, "%s", err.msg);
    cp_merge_record rec;
    memset(&rec, 0, sizeof rec);
    cr_assert_eq(cp_graph_merge_same_as(&h, &rec, g, same, &err), CP_OK, "%s", err.msg);
    cr_assert_eq(h->n, 4);
    cr_assert_str_eq(h->ids_str[0], "bob");
    cr_assert_eq(rec.n, 1);
    cr_assert_str_eq(rec.id[0], "carol");
    cr_assert_eq(rec.pairs, 2);
    cr_assert_eq(rec.unknown, 1);
    cr_assert_eq(rec.first_unknown_line, 4);
    cr_assert_str_eq(rec.first_unknown_id, "zed");
    cr_assert_eq(rec.self_loops, 1); /* bob -> carol */
    cp_merge_record_free(&rec);
    cp_graph_free(&h);

    const char *bad = put(2, "bad.csv", "a,b\nbob,carol\nann\n");
    cr_assert_eq(cp_graph_merge_same_as(&h, NULL, g, bad, &err), CP_E_FORMAT);
    cr_assert(strstr(err.msg, "bad.csv:3:") != NULL, "%s", err.msg);
    bad = put(2, "bad.csv", "");
    cr_assert_eq(cp_graph_merge_same_as(&h, NULL, g, bad, &err), CP_E_FORMAT);
    cr_assert_eq(cp_graph_merge_same_as(&h, NULL, g, "/nonexistent", &err), CP_E_IO);
    cr_assert_null(h);
    cp_graph_free(&g);
}

Test(same_as, cli_any_format) {
    const char *edges = put(0, "e.csv", "source,target\n1,2\n2,3\n3,1\n");
    const char *same = put(1, "same.csv", "3,1\n");
    char h5[4300], args[20000], *out = NULL;
    snprintf(h5, sizeof h5, "%s/g.h5", cp_test_tmpdir());
    snprintf(args, sizeof args, "import '%s' --same-as '%s' -o '%s'", edges, same, h5);
    int rc = cp_test_cli(args, &out);
    cr_assert_eq(rc, 0, "%s", out);
    free(out);
    cp_graph *g = NULL;
    cp_error err;
    cr_assert_eq(cp_graph_read_h5(&g, h5, &err), CP_OK, "%s", err.msg);
    cr_assert_eq(g->n, 2);
    cr_assert_eq(g->m, 3);
    cr_assert(g->ids_int[0] == 1 && g->ids_int[1] == 2);
    cp_graph_free(&g);
    /* /merged/id = [3], /merged/into = [0]: checked with h5dump when present. */
    snprintf(args, sizeof args, "h5dump -d /merged/id -d /merged/into '%s' 2>/dev/null", h5);
    FILE *p = popen(args, "r");
    if (p != NULL) {
        char buf[8192];
        size_t k = fread(buf, 1, sizeof buf - 1, p);
        buf[k] = '\0';
        if (pclose(p) == 0) {
            cr_assert(strstr(buf, "(0): 3") != NULL && strstr(buf, "(0): 0") != NULL, "%s", buf);
        }
    }
    same = put(1, "same.csv", "3\n");
    snprintf(args, sizeof args, "import '%s' --same-as '%s' -o '%s'", edges, same, h5);
    rc = cp_test_cli(args, &out);
    cr_assert_eq(rc, 2, "%s", out);
    cr_assert(strstr(out, "same.csv:1:") != NULL, "%s", out);
    free(out);
}
