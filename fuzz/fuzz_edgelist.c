/* libFuzzer target: cp_import_edgelist (io/edgelist.c). Byte 0: layer options (fuzz_layer); the
 * rest: the edge-list file. */
#include "fuzz_common.h"

#include "import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) {
        return 0;
    }
    cp_layer_options lo = fuzz_layer(data[0]);
    const char *path = fuzz_write("g.txt", data + 1, size - 1);
    cp_graph *g = NULL;
    cp_error err;
    cp_status s = cp_import_edgelist(&g, path, &lo, &err);
    fuzz_report(s, &err);
    cp_graph_free(&g);
    return 0;
}
