/* The SNAP-style edge list importer (import.h): "source target [weight]" per line. */
#include <inttypes.h>
#include <string.h>

#include "csv_reader.h"
#include "import_internal.h"

static bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r';
}

cp_status cp_import_edgelist(cp_graph **g, const char *path, const cp_layer_options *layer,
                             cp_error *err) {
    cp_status status = CP_OK;
    cp__textin t;
    cp__idmap ids;
    cp__edgebuf eb;
    memset(&t, 0, sizeof t);
    cp__idmap_init(&ids);
    cp__edgebuf_init(&eb, false);
    if (g == NULL || path == NULL) {
        return cp_error_set(err, CP_E_INVALID, "cp_import_edgelist: g and path must not be NULL");
    }
    *g = NULL;
    cp_layer_options none;
    memset(&none, 0, sizeof none);
    const cp_layer_options *lo = layer != NULL ? layer : &none;

    CP_TRY(cp__textin_open(&t, path, err));
    int columns = 0;   /* 2 or 3 once the first edge is read */
    int64_t first = 0; /* the line that fixed the column count */
    bool allow_inf = lo->meaning == CP_MEANING_LENGTH;
    for (;;) {
        char *line;
        size_t len;
        bool got;
        CP_TRY(cp__textin_line(&t, &line, &len, &got, err));
        if (!got) {
            break;
        }
        int64_t ln = t.record_line;
        char *p = line;
        while (is_space(*p)) {
            p++;
        }
        if (*p == '\0' || *p == '#' || *p == '%') {
            continue;
        }
        char *tok[3];
        int k = cp__import_split(p, tok, 3);
        if (k < 2 || k > 3) {
            CP_TRY(cp_error_set(err, CP_E_FORMAT,
                                "%s:%" PRId64 ": %s; expected 'source target [weight]' "
                                "separated by spaces or tabs",
                                path, ln, k == 1 ? "1 field" : "more than 3 fields"));
        }
        if (columns == 0) {
            columns = k;
            first = ln;
        } else if (k != columns) {
            CP_TRY(cp_error_set(err, CP_E_FORMAT,
                                "%s:%" PRId64 ": %d fields, but line %" PRId64 " has %d; "
                                "expected every edge %s a weight",
                                path, ln, k, first, columns, columns == 3 ? "with" : "without"));
        }
        int32_t s, d;
        CP_TRY(cp__import_intern(&ids, tok[0], &s, NULL, path, ln, err));
        CP_TRY(cp__import_intern(&ids, tok[1], &d, NULL, path, ln, err));
        double w = 1.0;
        if (k == 3 && !lo->pattern) {
            CP_TRY(cp__import_weight(&w, tok[2], allow_inf, path, ln, "the weight (field 3)", err));
        }
        CP_TRY(cp__edgebuf_push(&eb, s, d, w, 0, path, ln, err));
    }
    if (t.bytes == 0) {
        CP_TRY(cp_error_set(err, CP_E_FORMAT,
                            "%s: the file is empty; expected lines 'source target [weight]'",
                            path));
    }
    cp__textin_close(&t);
    CP_TRY(cp__import_build(g, &ids, 0, &eb, cp__import_layer_name(lo, "edges"),
                            cp__import_layer_meaning(lo, columns == 3), lo->units, !lo->undirected,
                            NULL, NULL, path, err));
cleanup:
    cp__textin_close(&t);
    cp__idmap_destroy(&ids);
    cp__edgebuf_destroy(&eb);
    return status;
}
