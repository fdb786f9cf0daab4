/* libFuzzer target: cp_import_csv (io/csv.c). Byte 0 selects options: bit 0 a weight column,
 * bit 1 a time column, bits 2-3 the delimiter (',', ';', tab, ','), bit 4 no header (columns by
 * number 1..4), bit 5 a node table (the second part, columns id, kind, country, groups, flag,
 * type, with group rules "hot=flag" and "ships=type:vessel"), bit 6 pattern, bit 7 meaning
 * length. The rest: the edge table, then (after FUZZ_SEP) the node table. */
#include "fuzz_common.h"

#include "import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) {
        return 0;
    }
    uint8_t flags = data[0];
    const uint8_t *part[2];
    size_t len[2];
    int k = fuzz_split(data + 1, size - 1, part, len, 2);
    cp_csv_options o;
    cp_csv_options_init(&o);
    static const char delims[4] = {',', ';', '\t', ','};
    o.delimiter = delims[(flags >> 2) & 3];
    o.no_header = (flags & 16) != 0;
    if (o.no_header) {
        o.source_col = "1";
        o.target_col = "2";
    }
    if (flags & 1) {
        o.weight_col = o.no_header ? "3" : "weight";
    }
    if (flags & 2) {
        o.time_col = o.no_header ? "4" : "time";
    }
    if (flags & 64) {
        o.layer.pattern = true;
    }
    if (flags & 128) {
        o.layer.meaning = CP_MEANING_LENGTH;
    }
    if ((flags & 32) && k == 2) {
        o.nodes_path = fuzz_write("nodes.csv", part[1], len[1]);
        o.kind_col = "kind";
        o.country_col = "country";
        o.groups_col = "groups";
        o.group_rules[0] = "hot=flag";
        o.group_rules[1] = "ships=type:vessel";
        o.n_group_rules = 2;
    }
    const char *path = fuzz_write("edges.csv", part[0], len[0]);
    cp_graph *g = NULL;
    cp_error err;
    cp_status s = cp_import_csv(&g, path, &o, &err);
    fuzz_report(s, &err);
    cp_graph_free(&g);
    return 0;
}
