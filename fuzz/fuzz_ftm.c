/* libFuzzer target: cp_import_ftm (io/ftm.c), FollowTheMoney JSON lines. The whole input is the
 * file; the report is filled and freed on every run. */
#include "fuzz_common.h"

#include "ftm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *path = fuzz_write("entities.ftm.json", data, size);
    cp_graph *g = NULL;
    cp_import_report r;
    cp_import_report_init(&r);
    cp_error err;
    cp_status s = cp_import_ftm(&g, &r, path, &err);
    fuzz_report(s, &err);
    cp_import_report_free(&r);
    cp_graph_free(&g);
    return 0;
}
