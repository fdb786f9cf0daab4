/* Pieces shared by the importers: edge and group buffers, checked number parsing, graph assembly
 * (import_internal.h). */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "graph_impl.h"
#include "import_internal.h"

/* ---- edge buffer ------------------------------------------------------------------------------
 */

void cp__edgebuf_init(cp__edgebuf *b, bool with_time) {
    memset(b, 0, sizeof *b);
    b->with_time = with_time;
}

void cp__edgebuf_destroy(cp__edgebuf *b) {
    cp__free(b->src);
    cp__free(b->dst);
    cp__free(b->weight);
    cp__free(b->time);
    bool with_time = b->with_time;
    memset(b, 0, sizeof *b);
    b->with_time = with_time;
}

/* Grows one array to cap elements; on failure the old array stays valid. */
static bool grow(void **p, int64_t cap, size_t elem) {
    void *q = cp__realloc(*p, (size_t)cap * elem);
    if (q == NULL) {
        return false;
    }
    *p = q;
    return true;
}

cp_status cp__edgebuf_reserve(cp__edgebuf *b, int64_t cap, const char *path, cp_error *err) {
    if (cap <= b->cap) {
        return CP_OK;
    }
    if ((uint64_t)cap > SIZE_MAX / sizeof(double)) {
        return cp_error_set(err, CP_E_NOMEM, "%s: %" PRId64 " edges do not fit in memory", path,
                            cap);
    }
    /* Each array is grown in turn; cap is raised only when all four succeeded, and a partly grown
     * set is still consistent because every array holds at least the old cap. */
    if (!grow((void **)&b->src, cap, sizeof *b->src) ||
        !grow((void **)&b->dst, cap, sizeof *b->dst) ||
        !grow((void **)&b->weight, cap, sizeof *b->weight) ||
        (b->with_time && !grow((void **)&b->time, cap, sizeof *b->time))) {
        return cp_error_set(err, CP_E_NOMEM, "%s: out of memory holding %" PRId64 " edges", path,
                            cap);
    }
    b->cap = cap;
    return CP_OK;
}

cp_status cp__edgebuf_push(cp__edgebuf *b, int32_t s, int32_t d, double w, int64_t t,
                           const char *path, int64_t line, cp_error *err) {
    if (b->m == b->cap) {
        cp_status st = cp__edgebuf_reserve(b, b->cap < 1024 ? 1024 : b->cap * 2, path, err);
        if (st != CP_OK) {
            return cp_error_set(err, st, "%s:%" PRId64 ": out of memory holding %" PRId64 " edges",
                                path, line, b->m + 1);
        }
    }
    b->src[b->m] = s;
    b->dst[b->m] = d;
    b->weight[b->m] = w;
    if (b->with_time) {
        b->time[b->m] = t;
    }
    b->m++;
    return CP_OK;
}

/* ---- group buffer -----------------------------------------------------------------------------
 */

void cp__groupbuf_init(cp__groupbuf *b) {
    memset(b, 0, sizeof *b);
    cp__idmap_init(&b->names);
}

void cp__groupbuf_destroy(cp__groupbuf *b) {
    for (int64_t i = 0; i < b->slots; i++) {
        cp__free(b->members[i]);
    }
    cp__free(b->members);
    cp__free(b->size);
    cp__free(b->cap);
    cp__idmap_destroy(&b->names);
    memset(b, 0, sizeof *b);
}

cp_status cp__groupbuf_declare(cp__groupbuf *b, const char *name, int32_t *index, cp_error *err) {
    /* Make room for one more group before interning, so that every interned name has a slot. */
    if (b->names.size == b->slots) {
        int64_t slots = b->slots == 0 ? 8 : b->slots * 2;
        if (!grow((void **)&b->members, slots, sizeof *b->members) ||
            !grow((void **)&b->size, slots, sizeof *b->size) ||
            !grow((void **)&b->cap, slots, sizeof *b->cap)) {
            return cp_error_set(err, CP_E_NOMEM, "out of memory declaring group '%s'", name);
        }
        for (int64_t i = b->slots; i < slots; i++) {
            b->members[i] = NULL;
            b->size[i] = 0;
            b->cap[i] = 0;
        }
        b->slots = slots;
    }
    bool inserted;
    cp_status st = cp__idmap_intern(&b->names, name, index, &inserted);
    if (st != CP_OK) {
        return cp_error_set(err, st, "out of memory declaring group '%s'", name);
    }
    return CP_OK;
}

cp_status cp__groupbuf_add(cp__groupbuf *b, int32_t group, int32_t node, cp_error *err) {
    if (b->size[group] == b->cap[group]) {
        int64_t cap = b->cap[group] == 0 ? 16 : b->cap[group] * 2;
        if (!grow((void **)&b->members[group], cap, sizeof *b->members[group])) {
            return cp_error_set(err, CP_E_NOMEM, "out of memory building group '%s'",
                                b->names.keys[group]);
        }
        b->cap[group] = cap;
    }
    b->members[group][b->size[group]++] = node;
    return CP_OK;
}

/* ---- layer options ----------------------------------------------------------------------------
 */

const char *cp__import_layer_name(const cp_layer_options *lo, const char *default_name) {
    if (lo == NULL || lo->name == NULL || lo->name[0] == '\0') {
        return default_name;
    }
    return lo->name;
}

cp_weight_meaning cp__import_layer_meaning(const cp_layer_options *lo, bool has_values) {
    if (lo != NULL && lo->meaning != CP_MEANING_NONE) {
        return lo->meaning;
    }
    bool pattern = lo != NULL && lo->pattern;
    return has_values && !pattern ? CP_MEANING_AMOUNT : CP_MEANING_NONE;
}

/* ---- number and id parsing --------------------------------------------------------------------
 */

static bool is_blank(char c) {
    return c == ' ' || c == '\t';
}

/* Trims ASCII blanks: *begin and *len describe the rest of text. */
static void trim(const char *text, const char **begin, size_t *len) {
    const char *b = text;
    while (is_blank(*b)) {
        b++;
    }
    size_t n = strlen(b);
    while (n > 0 && is_blank(b[n - 1])) {
        n--;
    }
    *begin = b;
    *len = n;
}

cp_status cp__import_weight(double *w, const char *text, bool allow_inf, const char *path,
                            int64_t line, const char *what, cp_error *err) {
    const char *b;
    size_t len;
    trim(text, &b, &len);
    *w = 0.0;
    if (len == 0) {
        return cp_error_set(err, CP_E_FORMAT,
                            "%s:%" PRId64 ": %s is empty; expected a weight (a number >= 0)", path,
                            line, what);
    }
    char *end = NULL;
    double v = strtod(b, &end);
    if (end != b + len) {
        return cp_error_set(err, CP_E_FORMAT,
                            "%s:%" PRId64 ": %s holds '%.64s', which is not a number; expected a "
                            "weight (a number >= 0)",
                            path, line, what, text);
    }
    if (isnan(v)) {
        return cp_error_set(err, CP_E_FORMAT,
                            "%s:%" PRId64 ": %s holds '%.64s', a NaN weight; expected a number >= "
                            "0",
                            path, line, what, text);
    }
    if (v < 0) {
        return cp_error_set(err, CP_E_FORMAT,
                            "%s:%" PRId64 ": %s holds '%.64s', a negative weight; weights must be "
                            ">= 0 (import with the pattern option to ignore values)",
                            path, line, what, text);
    }
    if (isinf(v) && !allow_inf) {
        return cp_error_set(err, CP_E_FORMAT,
                            "%s:%" PRId64 ": %s holds '%.64s', an infinite weight; +inf is "
                            "accepted only on a layer whose meaning is length",
                            path, line, what, text);
    }
    *w = v + 0.0; /* -0 becomes +0 */
    return CP_OK;
}

cp_status cp__import_time(int64_t *t, const char *text, const char *path, int64_t line,
                          const char *what, cp_error *err) {
    const char *b;
    size_t len;
    trim(text, &b, &len);
    *t = 0;
    if (len == 0) {
        return cp_error_set(err, CP_E_FORMAT,
                            "%s:%" PRId64 ": %s is empty; expected an integer time", path, line,
                            what);
    }
    char *end = NULL;
    errno = 0;
    long long iv = strtoll(b, &end, 10);
    if (end == b + len && errno == 0) {
        *t = (int64_t)iv;
        return CP_OK;
    }
    end = NULL;
    double v = strtod(b, &end);
    /* 9223372036854775808.0 = 2^63 is the first double outside int64. */
    if (end == b + len && isfinite(v) && floor(v) == v && v >= -9223372036854775808.0 &&
        v < 9223372036854775808.0) {
        *t = (int64_t)v;
        return CP_OK;
    }
    return cp_error_set(err, CP_E_FORMAT,
                        "%s:%" PRId64 ": %s holds '%.64s'; expected an integer time (e.g. 12 or "
                        "12.0) within the int64 range",
                        path, line, what, text);
}

static bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r';
}

int cp__import_split(char *line, char **tok, int max) {
    int n = 0;
    char *p = line;
    for (;;) {
        while (is_space(*p)) {
            p++;
        }
        if (*p == '\0') {
            return n;
        }
        if (n == max) {
            return max + 1;
        }
        tok[n++] = p;
        while (*p != '\0' && !is_space(*p)) {
            p++;
        }
        if (*p != '\0') {
            *p++ = '\0';
        }
    }
}

bool cp__utf8_valid(const char *s) {
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned c = *p;
        int extra;
        uint32_t cp;
        if (c < 0x80) {
            p++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            extra = 1;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            extra = 2;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            extra = 3;
            cp = c & 0x07;
        } else {
            return false;
        }
        for (int k = 1; k <= extra; k++) {
            if ((p[k] & 0xC0) != 0x80) {
                return false; /* also stops at the terminating NUL */
            }
            cp = (cp << 6) | (p[k] & 0x3F);
        }
        if ((extra == 2 && cp < 0x800) || (extra == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF)) {
            return false;
        }
        p += extra + 1;
    }
    return true;
}

cp_status cp__import_intern(cp__idmap *ids, const char *label, int32_t *index, bool *inserted,
                            const char *path, int64_t line, cp_error *err) {
    if (label[0] == '\0') {
        return cp_error_set(err, CP_E_FORMAT, "%s:%" PRId64 ": empty node id; expected a label",
                            path, line);
    }
    if (!cp__utf8_valid(label)) {
        return cp_error_set(err, CP_E_FORMAT,
                            "%s:%" PRId64 ": node id is not valid UTF-8; expected UTF-8 text", path,
                            line);
    }
    cp_status st = cp__idmap_intern(ids, label, index, inserted);
    if (st == CP_E_NOMEM) {
        return cp_error_set(err, st, "%s:%" PRId64 ": out of memory storing node ids", path, line);
    }
    if (st != CP_OK) {
        return cp_error_set(err, st, "%s:%" PRId64 ": more than %" PRId32 " distinct node ids",
                            path, line, INT32_MAX);
    }
    return CP_OK;
}

/* ---- assembly ---------------------------------------------------------------------------------
 */

/* Shrinks an array to its used length; keeps the original when realloc declines. */
static void shrink(void **p, int64_t used, int64_t cap, size_t elem) {
    if (*p != NULL && used < cap) {
        void *q = cp__realloc(*p, (size_t)(used > 0 ? used : 1) * elem);
        if (q != NULL) {
            *p = q;
        }
    }
}

cp_status cp__import_build(cp_graph **g, cp__idmap *ids, int32_t n_int, cp__edgebuf *edges,
                           const char *layer_name, cp_weight_meaning meaning, const char *units,
                           bool directed, const cp__node_attrs *attrs, cp__groupbuf *groups,
                           const char *path, cp_error *err) {
    cp_status status = CP_OK;
    cp_graph *out = NULL;
    *g = NULL;
    CP_TRY(cp_graph_new(&out, err));

    int32_t n = ids != NULL ? (int32_t)ids->size : n_int;
    bool as_int = true;
    for (int32_t i = 0; ids != NULL && i < n && as_int; i++) {
        int64_t v;
        as_int = cp__parse_int64_label(ids->keys[i], &v);
    }
    CP_TRY(cp__graph_alloc_nodes(out, n, as_int, err));
    for (int32_t i = 0; i < n; i++) {
        if (ids == NULL) {
            out->ids_int[i] = (int64_t)i + 1;
        } else if (as_int) {
            cp__parse_int64_label(ids->keys[i], &out->ids_int[i]);
        } else {
            out->ids_str[i] = ids->keys[i]; /* taken over; the map frees NULL harmlessly */
            ids->keys[i] = NULL;
        }
    }
    if (attrs != NULL) {
        for (int32_t i = 0; i < attrs->n_attr && i < n; i++) {
            if (attrs->kind != NULL) {
                out->kind[i] = attrs->kind[i];
            }
            if (attrs->country != NULL) {
                out->country[2 * i] = attrs->country[2 * i];
                out->country[2 * i + 1] = attrs->country[2 * i + 1];
            }
        }
    }

    int li = 0;
    CP_TRY(cp__graph_add_layer(out, layer_name, meaning, units != NULL ? units : "", directed, &li,
                               err));
    int64_t m = edges->m;
    out->layer = cp__calloc((size_t)(m > 0 ? m : 1), 1);
    if (out->layer == NULL) {
        CP_TRY(cp_error_set(err, CP_E_NOMEM, "%s: out of memory for %" PRId64 " edges", path, m));
    }
    memset(out->layer, li, (size_t)m);
    shrink((void **)&edges->src, m, edges->cap, sizeof *edges->src);
    shrink((void **)&edges->dst, m, edges->cap, sizeof *edges->dst);
    shrink((void **)&edges->weight, m, edges->cap, sizeof *edges->weight);
    if (edges->with_time) {
        shrink((void **)&edges->time, m, edges->cap, sizeof *edges->time);
    }
    /* An empty buffer may hold no arrays at all; the graph wants them allocated. */
    if (edges->src == NULL) {
        CP_TRY(cp__edgebuf_reserve(edges, 1, path, err));
    }
    out->m = m;
    out->src = edges->src;
    out->dst = edges->dst;
    out->weight = edges->weight;
    out->time = edges->with_time ? edges->time : NULL;
    if (!edges->with_time) {
        cp__free(edges->time);
    }
    edges->src = edges->dst = NULL;
    edges->weight = NULL;
    edges->time = NULL;
    edges->m = edges->cap = 0;

    for (int64_t k = 0; groups != NULL && k < groups->names.size; k++) {
        CP_TRY(cp__graph_add_group(out, groups->names.keys[k], groups->members[k], groups->size[k],
                                   err));
    }
    CP_TRY(cp__graph_finalize(out, err));
    *g = out;
    out = NULL;
cleanup:
    cp_graph_free(&out);
    return status;
}
