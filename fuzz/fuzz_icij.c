/* libFuzzer target: cp_import_icij (io/icij.c), ICIJ Offshore Leaks CSVs. Byte 0, bits 0-2: the
 * node file's name (nodes-entities, -officers, -intermediaries, -addresses, -others .csv, then
 * entities again). The rest: the node file, then (after FUZZ_SEP) relationships.csv (empty when
 * absent). */
#include "fuzz_common.h"

#include "icij.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) {
        return 0;
    }
    static const char *const names[8] = {"nodes-entities.csv",       "nodes-officers.csv",
                                         "nodes-intermediaries.csv", "nodes-addresses.csv",
                                         "nodes-others.csv",         "nodes-entities.csv",
                                         "nodes-entities.csv",       "nodes-entities.csv"};
    const uint8_t *part[2];
    size_t len[2];
    int k = fuzz_split(data + 1, size - 1, part, len, 2);
    cp_icij_options o;
    memset(&o, 0, sizeof o);
    o.node_files[0] = fuzz_write(names[data[0] & 7], part[0], len[0]);
    o.n_node_files = 1;
    o.relationships = fuzz_write("relationships.csv", k == 2 ? part[1] : (const uint8_t *)"",
                                 k == 2 ? len[1] : 0);
    cp_graph *g = NULL;
    cp_import_report r;
    cp_import_report_init(&r);
    cp_error err;
    cp_status s = cp_import_icij(&g, &r, &o, &err);
    fuzz_report(s, &err);
    cp_import_report_free(&r);
    cp_graph_free(&g);
    return 0;
}
