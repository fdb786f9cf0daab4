/* libFuzzer target: cp_import_sdn (io/sdn.c), the OFAC SDN list. Byte 0: bit 0 UTF-8 (else
 * Latin-1), bit 1 write the report as CSV. The rest: sdn.csv, then (after FUZZ_SEP) alt.csv, then
 * add.csv; a companion file is passed only when its part is present. */
#include "fuzz_common.h"

#include "sdn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) {
        return 0;
    }
    uint8_t flags = data[0];
    const uint8_t *part[3];
    size_t len[3];
    int k = fuzz_split(data + 1, size - 1, part, len, 3);
    cp_sdn_options o;
    memset(&o, 0, sizeof o);
    o.encoding = (flags & 1) ? CP_SDN_UTF8 : CP_SDN_LATIN1;
    const char *sdn = fuzz_write("sdn.csv", part[0], len[0]);
    if (k >= 2) {
        o.alt_path = fuzz_write("alt.csv", part[1], len[1]);
    }
    if (k >= 3) {
        o.add_path = fuzz_write("add.csv", part[2], len[2]);
    }
    cp_graph *g = NULL;
    cp_sdn_report rep;
    memset(&rep, 0, sizeof rep);
    cp_error err;
    cp_status s = cp_import_sdn(&g, sdn, &o, &rep, &err);
    fuzz_report(s, &err);
    if (s == CP_OK && (flags & 2)) {
        (void)cp_sdn_report_write_csv(&rep, fuzz_path("report.csv"), &err);
    }
    cp_sdn_report_free(&rep);
    cp_graph_free(&g);
    return 0;
}
