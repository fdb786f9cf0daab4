/* libFuzzer target: cp_graph_merge_same_as (io/merge.c), the `--same-as` file. The graph is fixed
 * (built once per process): byte 0, bit 0 selects integer ids 1..8 (an edge list) or string ids
 * (a CSV table: alice, bob, carol, dave, eve, "x y", "é"). The rest: the same-as file. */
#include "fuzz_common.h"

#include "import.h"
#include "merge.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static cp_graph *fixed_graph(int which) {
    static cp_graph *g[2];
    if (g[which] == NULL) {
        cp_error err;
        cp_status s;
        if (which == 0) {
            static const char text[] = "1 2 1.5\n2 3 2\n3 1 0\n4 5 7\n5 5 1\n6 7 3\n8 8 0\n";
            const char *p = fuzz_write("graph.txt", (const uint8_t *)text, sizeof text - 1);
            s = cp_import_edgelist(&g[0], p, NULL, &err);
        } else {
            static const char text[] = "source,target,weight\nalice,bob,1\nbob,carol,2\n"
                                       "carol,alice,3\ndave,eve,0\n\"x y\",\xC3\xA9,4\neve,eve,1\n";
            const char *p = fuzz_write("graph.csv", (const uint8_t *)text, sizeof text - 1);
            cp_csv_options o;
            cp_csv_options_init(&o);
            o.weight_col = "weight";
            s = cp_import_csv(&g[1], p, &o, &err);
        }
        if (s != CP_OK) {
            fprintf(stderr, "fuzz_merge: fixed graph: %s\n", err.msg);
            abort();
        }
    }
    return g[which];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) {
        return 0;
    }
    cp_graph *g = fixed_graph(data[0] & 1);
    const char *path = fuzz_write("same_as.csv", data + 1, size - 1);
    cp_graph *out = NULL;
    cp_merge_record rec;
    memset(&rec, 0, sizeof rec);
    cp_error err;
    cp_status s = cp_graph_merge_same_as(&out, &rec, g, path, &err);
    fuzz_report(s, &err);
    cp_merge_record_free(&rec);
    cp_graph_free(&out);
    return 0;
}
