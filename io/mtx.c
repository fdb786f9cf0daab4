/* The Matrix Market importer (import.h): a square matrix read as an adjacency matrix, entry (i, j)
 * an edge i -> j. Coordinate files list entries "i j [v]" (1-based); array files list every value
 * of the matrix column by column (the lower triangle only when symmetric), and a zero there is no
 * edge.
 *
 * Symmetric files: by default both directions of each off-diagonal entry are stored (one edge
 * i -> j and one j -> i, on a directed layer), so that directed algorithms see the symmetric
 * matrix. With the layer option `undirected`, each entry is stored once on an undirected layer.
 * A diagonal entry is one self-loop either way. */
#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "csv_reader.h"
#include "import_internal.h"

#define BANNER "%%MatrixMarket"

static bool ieq(const char *a, const char *b) {
    for (; *a && *b; a++, b++) {
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b)) {
            return false;
        }
    }
    return *a == *b;
}

/* A whole non-negative decimal integer (at most 18 digits: far beyond any real size). */
static bool parse_count(const char *s, int64_t *v) {
    size_t n = strlen(s);
    if (n == 0 || n > 18) {
        return false;
    }
    int64_t x = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return false;
        }
        x = x * 10 + (s[i] - '0');
    }
    *v = x;
    return true;
}

static bool is_integer_text(const char *s) {
    if (*s == '+' || *s == '-') {
        s++;
    }
    if (*s == '\0') {
        return false;
    }
    for (; *s; s++) {
        if (*s < '0' || *s > '9') {
            return false;
        }
    }
    return true;
}

typedef struct mtx_info {
    bool coordinate;
    bool integer;
    bool pattern_field; /* the file holds no values */
    bool symmetric;
} mtx_info;

static cp_status parse_banner(mtx_info *mi, char *line, const char *path, int64_t ln,
                              cp_error *err) {
    const char *expect = "expected '%%MatrixMarket matrix coordinate|array "
                         "real|integer|pattern general|symmetric'";
    bool banner = true;
    for (size_t i = 0; i < sizeof BANNER - 1; i++) {
        if (tolower((unsigned char)line[i]) != tolower((unsigned char)BANNER[i])) {
            banner = false; /* also stops at the end of a short line */
            break;
        }
    }
    if (!banner) {
        return cp_error_set(err, CP_E_FORMAT,
                            "%s:%" PRId64 ": no Matrix Market banner; %s on line 1, found "
                            "'%.40s'",
                            path, ln, expect, line);
    }
    char *tok[5];
    int k = cp__import_split(line, tok, 5);
    if (k < 1 || !ieq(tok[0], BANNER)) {
        return cp_error_set(err, CP_E_FORMAT,
                            "%s:%" PRId64 ": no Matrix Market banner; %s on line 1, found "
                            "'%.40s'",
                            path, ln, expect, k >= 1 ? tok[0] : "");
    }
    if (k != 5) {
        return cp_error_set(err, CP_E_FORMAT, "%s:%" PRId64 ": the banner has %d words; %s", path,
                            ln, k, expect);
    }
    if (!ieq(tok[1], "matrix")) {
        return cp_error_set(err, CP_E_FORMAT,
                            "%s:%" PRId64 ": the banner names object '%.32s'; expected 'matrix'",
                            path, ln, tok[1]);
    }
    if (ieq(tok[2], "coordinate")) {
        mi->coordinate = true;
    } else if (!ieq(tok[2], "array")) {
        return cp_error_set(err, CP_E_FORMAT,
                            "%s:%" PRId64 ": the banner names format '%.32s'; expected "
                            "'coordinate' or 'array'",
                            path, ln, tok[2]);
    }
    if (ieq(tok[3], "integer")) {
        mi->integer = true;
    } else if (ieq(tok[3], "pattern")) {
        mi->pattern_field = true;
    } else if (ieq(tok[3], "complex")) {
        return cp_error_set(err, CP_E_FORMAT,
                            "%s:%" PRId64 ": complex matrices are not supported; expected field "
                            "'real', 'integer' or 'pattern'",
                            path, ln);
    } else if (!ieq(tok[3], "real")) {
        return cp_error_set(err, CP_E_FORMAT,
                            "%s:%" PRId64 ": the banner names field '%.32s'; expected 'real', "
                            "'integer' or 'pattern'",
                            path, ln, tok[3]);
    }
    if (ieq(tok[4], "symmetric")) {
        mi->symmetric = true;
    } else if (ieq(tok[4], "hermitian") || ieq(tok[4], "skew-symmetric")) {
        return cp_error_set(err, CP_E_FORMAT,
                            "%s:%" PRId64 ": %s matrices are not supported as adjacency matrices; "
                            "expected symmetry 'general' or 'symmetric'",
                            path, ln, tok[4]);
    } else if (!ieq(tok[4], "general")) {
        return cp_error_set(err, CP_E_FORMAT,
                            "%s:%" PRId64 ": the banner names symmetry '%.32s'; expected "
                            "'general' or 'symmetric'",
                            path, ln, tok[4]);
    }
    if (!mi->coordinate && mi->pattern_field) {
        return cp_error_set(err, CP_E_FORMAT,
                            "%s:%" PRId64 ": field 'pattern' is not allowed with format 'array'; "
                            "expected 'real' or 'integer'",
                            path, ln);
    }
    return CP_OK;
}

/* Reads the next line that is neither blank nor a '%' comment; *tok_n = -1 at the end. *last is
 * the number of the last line read (for messages about the end of the file). */
static cp_status next_data_line(cp__textin *t, char **tok, int max, int *tok_n, int64_t *last,
                                cp_error *err) {
    cp_status status = CP_OK;
    *tok_n = -1;
    for (;;) {
        char *line;
        size_t len;
        bool got;
        CP_TRY(cp__textin_line(t, &line, &len, &got, err));
        if (!got) {
            return CP_OK;
        }
        *last = t->record_line;
        char *p = line;
        while (*p == ' ' || *p == '\t' || *p == '\r') {
            p++;
        }
        if (*p == '\0' || *p == '%') {
            continue;
        }
        *tok_n = cp__import_split(p, tok, max);
        return CP_OK;
    }
cleanup:
    return status;
}

/* Parses one value: *edge = false for a zero in array format. */
static cp_status parse_value(double *w, bool *edge, const char *text, const mtx_info *mi,
                             bool pattern, bool allow_inf, const char *path, int64_t ln,
                             cp_error *err) {
    char *end = NULL;
    double v = strtod(text, &end);
    *w = 1.0;
    *edge = true;
    if (*end != '\0' || end == text) {
        return cp_error_set(err, CP_E_FORMAT,
                            "%s:%" PRId64 ": value '%.40s' is not a number; expected a %s value",
                            path, ln, text, mi->integer ? "integer" : "real");
    }
    if (mi->integer && !is_integer_text(text)) {
        return cp_error_set(err, CP_E_FORMAT,
                            "%s:%" PRId64 ": value '%.40s' is not an integer; the banner declares "
                            "field 'integer'",
                            path, ln, text);
    }
    if (isnan(v)) {
        return cp_error_set(err, CP_E_FORMAT,
                            "%s:%" PRId64 ": value '%.40s' is NaN; expected a number", path, ln,
                            text);
    }
    if (!mi->coordinate && v == 0) {
        *edge = false;
        return CP_OK;
    }
    if (pattern) {
        return CP_OK;
    }
    if (v < 0) {
        return cp_error_set(err, CP_E_FORMAT,
                            "%s:%" PRId64 ": value '%.40s' is negative, but edge weights must be "
                            ">= 0; import with --pattern to ignore the values",
                            path, ln, text);
    }
    if (isinf(v) && !allow_inf) {
        return cp_error_set(err, CP_E_FORMAT,
                            "%s:%" PRId64 ": value '%.40s' is infinite; +inf is accepted only on "
                            "a layer whose meaning is length",
                            path, ln, text);
    }
    *w = v + 0.0;
    return CP_OK;
}

static cp_status parse_index(int32_t *idx, const char *text, const char *what, int64_t n,
                             const char *path, int64_t ln, cp_error *err) {
    int64_t v;
    if (!parse_count(text, &v) || v < 1 || v > n) {
        return cp_error_set(err, CP_E_FORMAT,
                            "%s:%" PRId64 ": %s index '%.40s' is not in 1..%" PRId64, path, ln,
                            what, text, n);
    }
    *idx = (int32_t)(v - 1);
    return CP_OK;
}

/* One coordinate entry for the duplicate check: key = row * cols + col (row >= col for symmetric
 * files, so that (i, j) and (j, i) collide), and its line. */
typedef struct entry_key {
    uint64_t key;
    int64_t line;
} entry_key;

static int cmp_entry(const void *a, const void *b) {
    const entry_key *x = a, *y = b;
    if (x->key != y->key) {
        return x->key < y->key ? -1 : 1;
    }
    return (x->line > y->line) - (x->line < y->line);
}

/* CP_E_FORMAT naming the first line (in file order) that repeats an earlier entry. Sorts keys. */
static cp_status check_duplicates(entry_key *keys, int64_t count, int64_t cols, const char *path,
                                  cp_error *err) {
    if (count < 2) {
        return CP_OK;
    }
    qsort(keys, (size_t)count, sizeof *keys, cmp_entry);
    int64_t worst = -1; /* index of the repeat with the smallest line */
    for (int64_t k = 1; k < count; k++) {
        if (keys[k].key == keys[k - 1].key && (k < 2 || keys[k - 1].key != keys[k - 2].key) &&
            (worst < 0 || keys[k].line < keys[worst].line)) {
            worst = k;
        }
    }
    if (worst < 0) {
        return CP_OK;
    }
    uint64_t key = keys[worst].key;
    return cp_error_set(err, CP_E_FORMAT,
                        "%s:%" PRId64 ": entry (%" PRIu64 ", %" PRIu64 ") repeats the entry on "
                        "line %" PRId64 "; a Matrix Market file lists each entry once",
                        path, keys[worst].line, key / (uint64_t)cols + 1, key % (uint64_t)cols + 1,
                        keys[worst - 1].line);
}

cp_status cp_import_mtx(cp_graph **g, const char *path, const cp_layer_options *layer,
                        cp_error *err) {
    cp_status status = CP_OK;
    cp__textin t;
    cp__edgebuf eb;
    entry_key *keys = NULL;
    int64_t keys_cap = 0;
    memset(&t, 0, sizeof t);
    cp__edgebuf_init(&eb, false);
    if (g == NULL || path == NULL) {
        return cp_error_set(err, CP_E_INVALID, "cp_import_mtx: g and path must not be NULL");
    }
    *g = NULL;
    cp_layer_options none;
    memset(&none, 0, sizeof none);
    const cp_layer_options *lo = layer != NULL ? layer : &none;

    CP_TRY(cp__textin_open(&t, path, err));
    char *line;
    size_t len;
    bool got;
    CP_TRY(cp__textin_line(&t, &line, &len, &got, err));
    if (!got) {
        CP_TRY(cp_error_set(err, CP_E_FORMAT,
                            "%s: the file is empty; expected a '%%%%MatrixMarket matrix ...' "
                            "banner on line 1",
                            path));
    }
    int64_t last_ln = t.record_line;
    mtx_info mi = {false, false, false, false};
    CP_TRY(parse_banner(&mi, line, path, t.record_line, err));

    /* The size line. */
    char *tok[4];
    int k;
    const char *size_form = mi.coordinate ? "'rows cols entries'" : "'rows cols'";
    CP_TRY(next_data_line(&t, tok, 3, &k, &last_ln, err));
    int64_t size_line = t.record_line;
    if (k < 0) {
        CP_TRY(cp_error_set(err, CP_E_FORMAT,
                            "%s:%" PRId64 ": the file ends before the size line; expected %s", path,
                            last_ln, size_form));
    }
    int64_t dims[3] = {0, 0, 0};
    if (k != (mi.coordinate ? 3 : 2)) {
        CP_TRY(cp_error_set(
            err, CP_E_FORMAT, "%s:%" PRId64 ": the size line has %s%d number%s; expected %s", path,
            size_line, k > 3 ? "more than " : "", k > 3 ? 3 : k, k == 1 ? "" : "s", size_form));
    }
    for (int i = 0; i < k; i++) {
        if (!parse_count(tok[i], &dims[i])) {
            CP_TRY(cp_error_set(err, CP_E_FORMAT,
                                "%s:%" PRId64 ": size '%.40s' is not a whole number; expected %s",
                                path, size_line, tok[i], size_form));
        }
    }
    int64_t rows = dims[0], cols = dims[1];
    if (rows > INT32_MAX || cols > INT32_MAX) {
        CP_TRY(cp_error_set(err, CP_E_FORMAT,
                            "%s:%" PRId64 ": the matrix is %" PRId64 " x %" PRId64
                            "; at most %" PRId32 " nodes are supported",
                            path, size_line, rows, cols, INT32_MAX));
    }
    if (mi.symmetric && rows != cols) {
        CP_TRY(cp_error_set(err, CP_E_FORMAT,
                            "%s:%" PRId64 ": the banner says symmetric but the matrix is %" PRId64
                            " x %" PRId64 "; a symmetric matrix must be square",
                            path, size_line, rows, cols));
    }
    /* A non-square matrix is refused after its entries are read, so that a file with a more
     * specific defect (a bad entry, a wrong count, a duplicate) is reported for that. */
    int64_t cells = mi.symmetric ? rows * (rows + 1) / 2 : rows * cols; /* < 2^62 */
    int64_t expected = mi.coordinate ? dims[2] : cells;
    if (mi.coordinate && expected > rows * cols) {
        CP_TRY(cp_error_set(err, CP_E_FORMAT,
                            "%s:%" PRId64 ": %" PRId64 " entries declared, more than the %" PRId64
                            " cells of the matrix",
                            path, size_line, expected, rows * cols));
    }
    bool pattern = mi.pattern_field || lo->pattern;
    cp_weight_meaning meaning = cp__import_layer_meaning(lo, !mi.pattern_field);
    bool allow_inf = meaning == CP_MEANING_LENGTH;
    bool mirror = mi.symmetric && !lo->undirected;
    int64_t hint = mi.coordinate ? expected * (mirror ? 2 : 1) : 1024;
    CP_TRY(cp__edgebuf_reserve(&eb, hint < (1 << 20) ? hint : (1 << 20), path, err));

    int want = mi.coordinate ? (mi.pattern_field ? 2 : 3) : 1;
    int64_t count = 0;
    int32_t row = 0, col = 0; /* array format: the cell the next value fills */
    for (;;) {
        CP_TRY(next_data_line(&t, tok, 3, &k, &last_ln, err));
        if (k < 0) {
            break;
        }
        int64_t ln = t.record_line;
        if (count == expected) {
            CP_TRY(cp_error_set(
                err, CP_E_FORMAT,
                "%s:%" PRId64 ": more %s than the %" PRId64 " declared on line %" PRId64, path, ln,
                mi.coordinate ? "entries" : "values", expected, size_line));
        }
        if (k != want) {
            if (!mi.coordinate) {
                CP_TRY(cp_error_set(err, CP_E_FORMAT,
                                    "%s:%" PRId64 ": %s%d values; expected one value per line%s",
                                    path, ln, k > 3 ? "more than " : "", k > 3 ? 3 : k,
                                    k == 2 ? " (complex data is not supported)" : ""));
            }
            CP_TRY(cp_error_set(err, CP_E_FORMAT, "%s:%" PRId64 ": %s%d fields; expected '%s'",
                                path, ln, k > 3 ? "more than " : "", k > 3 ? 3 : k,
                                want == 2 ? "row col" : "row col value"));
        }
        int32_t i = 0, j = 0;
        const char *vtext = NULL;
        if (mi.coordinate) {
            CP_TRY(parse_index(&i, tok[0], "row", rows, path, ln, err));
            CP_TRY(parse_index(&j, tok[1], "column", cols, path, ln, err));
            vtext = want == 3 ? tok[2] : NULL;
            int32_t a = i, b = j;
            if (mi.symmetric && a < b) {
                a = j;
                b = i;
            }
            if (count == keys_cap) { /* grown as entries arrive: the size line may lie */
                int64_t cap = keys_cap == 0 ? 1024 : keys_cap * 2;
                entry_key *more = cp__realloc(keys, (size_t)cap * sizeof *keys);
                if (more == NULL) {
                    CP_TRY(cp_error_set(err, CP_E_NOMEM,
                                        "%s:%" PRId64 ": out of memory for %" PRId64 " entries",
                                        path, ln, cap));
                }
                keys = more;
                keys_cap = cap;
            }
            keys[count].key = (uint64_t)a * (uint64_t)cols + (uint64_t)b;
            keys[count].line = ln;
        } else {
            i = row;
            j = col;
            vtext = tok[0];
            /* Next cell, column by column; a symmetric array holds rows col..n-1 of column col. */
            if (++row == rows) {
                col++;
                row = mi.symmetric ? col : 0;
            }
        }
        count++;
        double w = 1.0;
        bool edge = true;
        if (vtext != NULL) {
            CP_TRY(parse_value(&w, &edge, vtext, &mi, pattern, allow_inf, path, ln, err));
        }
        if (!edge) {
            continue;
        }
        CP_TRY(cp__edgebuf_push(&eb, i, j, w, 0, path, ln, err));
        if (mirror && i != j) {
            CP_TRY(cp__edgebuf_push(&eb, j, i, w, 0, path, ln, err));
        }
    }
    if (count < expected) {
        CP_TRY(cp_error_set(err, CP_E_FORMAT,
                            "%s:%" PRId64 ": the file ends after %" PRId64 " of the %" PRId64
                            " %s declared on line %" PRId64,
                            path, last_ln, count, expected, mi.coordinate ? "entries" : "values",
                            size_line));
    }
    if (mi.coordinate) {
        CP_TRY(check_duplicates(keys, count, cols, path, err));
    }
    if (rows != cols) {
        CP_TRY(cp_error_set(err, CP_E_FORMAT,
                            "%s:%" PRId64 ": the matrix is %" PRId64 " x %" PRId64
                            ", not square; expected a square adjacency matrix",
                            path, size_line, rows, cols));
    }
    cp__textin_close(&t);
    cp__free(keys);
    keys = NULL;
    CP_TRY(cp__import_build(g, NULL, (int32_t)rows, &eb, cp__import_layer_name(lo, "edges"),
                            meaning, lo->units, !lo->undirected, NULL, NULL, path, err));
cleanup:
    cp__textin_close(&t);
    cp__edgebuf_destroy(&eb);
    cp__free(keys);
    return status;
}
