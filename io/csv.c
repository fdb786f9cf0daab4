/* The generic CSV importer (import.h): an edge table with columns chosen by header name or number,
 * and an optional node table giving kind, country and groups. Records come from the RFC 4180
 * reader in csv_reader.c; ids, weights and the final graph go through import_common.c. */
#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "csv_reader.h"
#include "import_internal.h"

#define MAX_RULES 16

void cp_csv_options_init(cp_csv_options *o) {
    memset(o, 0, sizeof *o);
    o->delimiter = ',';
    o->source_col = "source";
    o->target_col = "target";
    o->id_col = "id";
    o->layer.name = "transaction";
    o->layer.units = "";
}

cp_status cp_import_csv(cp_graph **g, const char *edges_path, const cp_csv_options *o,
                        cp_error *err) {
    return cp__import_csv_ex(g, edges_path, o, o != NULL && o->no_header, err);
}

/* ---- header and columns -----------------------------------------------------------------------
 */

/* A copy of a header row (names NULL when the file has none: columns are then numbers only). */
typedef struct header {
    char **names;
    int n;
} header;

static void header_free(header *h) {
    for (int i = 0; h->names != NULL && i < h->n; i++) {
        cp__free(h->names[i]);
    }
    cp__free(h->names);
    h->names = NULL;
    h->n = 0;
}

static cp_status header_copy(header *h, const cp__textin *t, cp_error *err) {
    h->names = cp__calloc((size_t)t->n_fields, sizeof *h->names);
    if (h->names == NULL) {
        return cp_error_set(err, CP_E_NOMEM, "%s:%" PRId64 ": out of memory copying the header",
                            t->path, t->record_line);
    }
    h->n = t->n_fields;
    for (int i = 0; i < t->n_fields; i++) {
        h->names[i] = cp__strdup(t->fields[i]);
        if (h->names[i] == NULL) {
            return cp_error_set(err, CP_E_NOMEM, "%s:%" PRId64 ": out of memory copying the header",
                                t->path, t->record_line);
        }
    }
    return CP_OK;
}

/* Writes "'a', 'b', 'c'" (shortened with "..." to fit) into buf. */
static void header_list(char *buf, size_t size, const header *h) {
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < h->n; i++) {
        int k = snprintf(buf + used, size - used, "%s'%s'", i > 0 ? ", " : "", h->names[i]);
        if (k < 0 || (size_t)k >= size - used) {
            if (size >= 4) {
                memcpy(buf + size - 4, "...", 4);
            }
            return;
        }
        used += (size_t)k;
    }
}

/* "column 'amount'" or, for a nameless or headerless column, "column 3". */
static void col_desc(char *buf, size_t size, const header *h, int col) {
    if (h->names != NULL && h->names[col][0] != '\0') {
        snprintf(buf, size, "column '%.64s'", h->names[col]);
    } else {
        snprintf(buf, size, "column %d", col + 1);
    }
}

static bool all_digits(const char *s) {
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

/* Resolves a column given by header name (first match) or by 1-based number. */
static cp_status find_col(int *col, const header *h, const char *spec, const char *option,
                          const char *path, cp_error *err) {
    *col = -1;
    for (int i = 0; h->names != NULL && i < h->n; i++) {
        if (strcmp(h->names[i], spec) == 0) {
            *col = i;
            return CP_OK;
        }
    }
    if (all_digits(spec) && strlen(spec) < 10) {
        int k = atoi(spec);
        if (k >= 1 && k <= h->n) {
            *col = k - 1;
            return CP_OK;
        }
    }
    if (h->names == NULL) {
        return cp_error_set(err, CP_E_INVALID,
                            "%s:1: %s '%s' is not a column number in 1..%d; a file without a "
                            "header names its columns by number",
                            path, option, spec, h->n);
    }
    char list[640];
    header_list(list, sizeof list, h);
    return cp_error_set(err, CP_E_INVALID,
                        "%s:1: %s '%s' names no column; expected a header name or a number in "
                        "1..%d; the header has %s",
                        path, option, spec, h->n, list);
}

static cp_status field_count(const cp__textin *t, const header *h, cp_error *err) {
    if (t->n_fields != h->n) {
        return cp_error_set(err, CP_E_FORMAT,
                            "%s:%" PRId64 ": %d field%s; expected %d as in the %s (quote fields "
                            "that hold the delimiter)",
                            t->path, t->record_line, t->n_fields, t->n_fields == 1 ? "" : "s", h->n,
                            h->names != NULL ? "header" : "first row");
    }
    return CP_OK;
}

/* ---- node table values ------------------------------------------------------------------------
 */

static bool ieq(const char *a, const char *b) {
    for (; *a && *b; a++, b++) {
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b)) {
            return false;
        }
    }
    return *a == *b;
}

/* Copies text without surrounding blanks into buf (truncated to size). */
static void trimmed(char *buf, size_t size, const char *text) {
    while (*text == ' ' || *text == '\t') {
        text++;
    }
    size_t n = strlen(text);
    while (n > 0 && (text[n - 1] == ' ' || text[n - 1] == '\t')) {
        n--;
    }
    if (n >= size) {
        n = size - 1;
    }
    memcpy(buf, text, n);
    buf[n] = '\0';
}

/* A whole number in text (blanks around allowed). */
static bool parse_number(const char *text, double *v) {
    char buf[128];
    trimmed(buf, sizeof buf, text);
    if (buf[0] == '\0' || strlen(text) >= sizeof buf) {
        return false;
    }
    char *end = NULL;
    *v = strtod(buf, &end);
    return *end == '\0';
}

/* A group rule: NAME=COLUMN (true-valued rows) or NAME=COLUMN:VALUE (rows equal to VALUE; compared
 * as numbers when VALUE is a number, so "1" matches "1.0"). */
typedef struct rule {
    const char *text; /* the option as given */
    char *name;
    char *value; /* NULL: a true-value rule */
    bool numeric;
    double number;
    int col;
    int32_t group;
} rule;

static cp_status rule_parse(rule *r, const char *text, const header *h, const char *path,
                            cp_error *err) {
    cp_status status = CP_OK;
    char *col = NULL;
    r->text = text;
    const char *eq = text != NULL ? strchr(text, '=') : NULL;
    if (eq == NULL || eq == text || eq[1] == '\0') {
        return cp_error_set(err, CP_E_INVALID,
                            "group rule '%s': expected NAME=COLUMN or NAME=COLUMN:VALUE",
                            text != NULL ? text : "(null)");
    }
    r->name = cp__malloc((size_t)(eq - text) + 1);
    if (r->name == NULL) {
        return cp_error_set(err, CP_E_NOMEM, "out of memory for group rule '%s'", text);
    }
    memcpy(r->name, text, (size_t)(eq - text));
    r->name[eq - text] = '\0';
    const char *rest = eq + 1;
    /* The whole rest names a column: a true-value rule (so column names may hold ':'). */
    for (int i = 0; h->names != NULL && i < h->n; i++) {
        if (strcmp(h->names[i], rest) == 0) {
            r->col = i;
            return CP_OK;
        }
    }
    const char *colon = strchr(rest, ':');
    if (colon == NULL) {
        char what[96];
        snprintf(what, sizeof what, "group rule '%.60s': column", text);
        return find_col(&r->col, h, rest, what, path, err);
    }
    col = cp__malloc((size_t)(colon - rest) + 1);
    r->value = cp__strdup(colon + 1);
    if (col == NULL || r->value == NULL) {
        CP_TRY(cp_error_set(err, CP_E_NOMEM, "out of memory for group rule '%s'", text));
    }
    memcpy(col, rest, (size_t)(colon - rest));
    col[colon - rest] = '\0';
    char what[96];
    snprintf(what, sizeof what, "group rule '%.60s': column", text);
    CP_TRY(find_col(&r->col, h, col, what, path, err));
    r->numeric = parse_number(r->value, &r->number) && isfinite(r->number);
cleanup:
    cp__free(col);
    return status;
}

static cp_status rule_match(bool *match, const rule *r, const char *field, const char *path,
                            int64_t line, const header *h, cp_error *err) {
    *match = false;
    if (r->value != NULL) {
        if (r->numeric) {
            double v;
            *match = parse_number(field, &v) && v == r->number;
        } else {
            *match = strcmp(field, r->value) == 0;
        }
        return CP_OK;
    }
    char buf[16];
    trimmed(buf, sizeof buf, field);
    if (buf[0] == '\0' || ieq(buf, "false") || ieq(buf, "no") || ieq(buf, "f") || ieq(buf, "n")) {
        return CP_OK;
    }
    if (ieq(buf, "true") || ieq(buf, "yes") || ieq(buf, "t") || ieq(buf, "y")) {
        *match = true;
        return CP_OK;
    }
    double v;
    if (parse_number(field, &v) && !isnan(v)) {
        *match = v != 0;
        return CP_OK;
    }
    char cd[96];
    col_desc(cd, sizeof cd, h, r->col);
    return cp_error_set(err, CP_E_FORMAT,
                        "%s:%" PRId64 ": %s holds '%.64s'; group rule '%s' expects a true or "
                        "false value (a number, true/false, yes/no, or empty)",
                        path, line, cd, field, r->text);
}

static cp_status parse_kind(uint8_t *kind, const char *field, const char *path, int64_t line,
                            const char *cd, cp_error *err) {
    char buf[32];
    trimmed(buf, sizeof buf, field);
    for (char *p = buf; *p; p++) {
        *p = (char)tolower((unsigned char)*p);
    }
    *kind = CP_KIND_OTHER;
    if (buf[0] == '\0') {
        return CP_OK;
    }
    cp_node_kind k;
    if (strlen(field) < sizeof buf && cp_node_kind_parse(buf, &k) == CP_OK) {
        *kind = (uint8_t)k;
        return CP_OK;
    }
    return cp_error_set(err, CP_E_FORMAT,
                        "%s:%" PRId64 ": %s holds '%.64s'; expected a node kind: person, company, "
                        "bank, vessel, aircraft, government, other (or empty)",
                        path, line, cd, field);
}

static cp_status parse_country(char *cc, const char *field, const char *path, int64_t line,
                               const char *cd, cp_error *err) {
    char buf[8];
    trimmed(buf, sizeof buf, field);
    cc[0] = cc[1] = '\0';
    if (buf[0] == '\0') {
        return CP_OK;
    }
    if (strlen(buf) == 2 && isalpha((unsigned char)buf[0]) && isalpha((unsigned char)buf[1]) &&
        (unsigned char)buf[0] < 0x80 && (unsigned char)buf[1] < 0x80) {
        cc[0] = (char)toupper((unsigned char)buf[0]);
        cc[1] = (char)toupper((unsigned char)buf[1]);
        return CP_OK;
    }
    return cp_error_set(err, CP_E_FORMAT,
                        "%s:%" PRId64 ": %s holds '%.64s'; expected an ISO 3166 alpha-2 country "
                        "code (two letters) or empty",
                        path, line, cd, field);
}

/* Splits a ';'-separated list of group names (in place) and adds node to each. */
static cp_status add_groups(cp__groupbuf *gb, char *field, int32_t node, const char *path,
                            int64_t line, const char *cd, cp_error *err) {
    cp_status status = CP_OK;
    char *p = field;
    for (;;) {
        char *end = strchr(p, ';');
        if (end != NULL) {
            *end = '\0';
        }
        while (*p == ' ' || *p == '\t') {
            p++;
        }
        size_t n = strlen(p);
        while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t')) {
            p[--n] = '\0';
        }
        if (n > 0) {
            if (!cp__utf8_valid(p)) {
                return cp_error_set(err, CP_E_FORMAT,
                                    "%s:%" PRId64 ": %s holds a group name that is not valid "
                                    "UTF-8",
                                    path, line, cd);
            }
            if (strchr(p, '/') != NULL || strcmp(p, ".") == 0 || strcmp(p, "..") == 0) {
                return cp_error_set(err, CP_E_FORMAT,
                                    "%s:%" PRId64 ": %s holds the group name '%s'; a group name "
                                    "may not contain '/' or be '.' or '..'",
                                    path, line, cd, p);
            }
            int32_t gi;
            CP_TRY(cp__groupbuf_declare(gb, p, &gi, err));
            CP_TRY(cp__groupbuf_add(gb, gi, node, err));
        }
        if (end == NULL) {
            break;
        }
        p = end + 1;
    }
cleanup:
    return status;
}

/* ---- the importer -----------------------------------------------------------------------------
 */

/* Per-node attributes of the node table, grown as rows arrive. */
typedef struct node_attrs {
    uint8_t *kind;
    char *country;
    int64_t *line; /* the row that gave each node, for duplicate messages */
    int64_t cap;
} node_attrs;

static cp_status attrs_reserve(node_attrs *a, int64_t need, const char *path, cp_error *err) {
    if (need <= a->cap) {
        return CP_OK;
    }
    int64_t cap = a->cap == 0 ? 1024 : a->cap * 2;
    uint8_t *kind = cp__realloc(a->kind, (size_t)cap);
    if (kind != NULL) {
        a->kind = kind;
    }
    char *country = kind != NULL ? cp__realloc(a->country, (size_t)cap * 2) : NULL;
    if (country != NULL) {
        a->country = country;
    }
    int64_t *line = country != NULL ? cp__realloc(a->line, (size_t)cap * sizeof *line) : NULL;
    if (line == NULL) {
        return cp_error_set(err, CP_E_NOMEM, "%s: out of memory for %" PRId64 " nodes", path, cap);
    }
    a->line = line;
    a->cap = cap;
    return CP_OK;
}

static bool delimiter_ok(char d) {
    return d != '"' && d != '#' && d != '\n' && d != '\r' && d != '\0' &&
           !isalnum((unsigned char)d);
}

/* Reads the node table: every row's id becomes a node (in row order), with its attributes. */
static cp_status read_nodes(cp__idmap *ids, node_attrs *na, cp__groupbuf *gb, rule *rules,
                            int n_rules, const cp_csv_options *o, char delim, cp_error *err) {
    cp_status status = CP_OK;
    cp__textin t;
    header h = {NULL, 0};
    const char *path = o->nodes_path;
    bool got;
    memset(&t, 0, sizeof t);
    CP_TRY(cp__textin_open(&t, path, err));
    CP_TRY(cp__csv_record(&t, delim, true, &got, err));
    if (!got) {
        CP_TRY(cp_error_set(err, CP_E_FORMAT,
                            "%s: no header row; expected a header naming the node table's "
                            "columns (the file is empty or holds only comments)",
                            path));
    }
    CP_TRY(header_copy(&h, &t, err));
    int id_col, kind_col = -1, country_col = -1, groups_col = -1;
    CP_TRY(find_col(&id_col, &h, o->id_col != NULL ? o->id_col : "id", "id column", path, err));
    if (o->kind_col != NULL) {
        CP_TRY(find_col(&kind_col, &h, o->kind_col, "kind column", path, err));
    }
    if (o->country_col != NULL) {
        CP_TRY(find_col(&country_col, &h, o->country_col, "country column", path, err));
    }
    if (o->groups_col != NULL) {
        CP_TRY(find_col(&groups_col, &h, o->groups_col, "groups column", path, err));
    }
    for (int r = 0; r < n_rules; r++) {
        CP_TRY(rule_parse(&rules[r], o->group_rules[r], &h, path, err));
        CP_TRY(cp__groupbuf_declare(gb, rules[r].name, &rules[r].group, err));
    }
    char kind_cd[96] = "", country_cd[96] = "", groups_cd[96] = "";
    if (kind_col >= 0) {
        col_desc(kind_cd, sizeof kind_cd, &h, kind_col);
    }
    if (country_col >= 0) {
        col_desc(country_cd, sizeof country_cd, &h, country_col);
    }
    if (groups_col >= 0) {
        col_desc(groups_cd, sizeof groups_cd, &h, groups_col);
    }
    for (;;) {
        CP_TRY(cp__csv_record(&t, delim, true, &got, err));
        if (!got) {
            break;
        }
        int64_t line = t.record_line;
        CP_TRY(field_count(&t, &h, err));
        int32_t node;
        bool inserted;
        CP_TRY(cp__import_intern(ids, t.fields[id_col], &node, &inserted, path, line, err));
        if (!inserted) {
            CP_TRY(cp_error_set(err, CP_E_FORMAT,
                                "%s:%" PRId64
                                ": node id '%.64s' appears again (first on line %" PRId64
                                "); expected each node once in the node table",
                                path, line, t.fields[id_col], na->line[node]));
        }
        CP_TRY(attrs_reserve(na, (int64_t)node + 1, path, err));
        na->line[node] = line;
        na->kind[node] = CP_KIND_OTHER;
        na->country[2 * node] = na->country[2 * node + 1] = '\0';
        if (kind_col >= 0) {
            CP_TRY(parse_kind(&na->kind[node], t.fields[kind_col], path, line, kind_cd, err));
        }
        if (country_col >= 0) {
            CP_TRY(parse_country(&na->country[2 * node], t.fields[country_col], path, line,
                                 country_cd, err));
        }
        for (int r = 0; r < n_rules; r++) {
            bool match;
            CP_TRY(rule_match(&match, &rules[r], t.fields[rules[r].col], path, line, &h, err));
            if (match) {
                CP_TRY(cp__groupbuf_add(gb, rules[r].group, node, err));
            }
        }
        if (groups_col >= 0) { /* last: it splits its field in place */
            CP_TRY(add_groups(gb, t.fields[groups_col], node, path, line, groups_cd, err));
        }
    }
cleanup:
    header_free(&h);
    cp__textin_close(&t);
    return status;
}

/* Looks up (node table given) or interns (none) an edge endpoint. */
static cp_status endpoint(int32_t *node, cp__idmap *ids, bool closed, const char *label,
                          const char *role, const cp_csv_options *o, const char *path, int64_t line,
                          cp_error *err) {
    if (!closed) {
        return cp__import_intern(ids, label, node, NULL, path, line, err);
    }
    *node = cp__idmap_find(ids, label);
    if (*node < 0) {
        if (label[0] == '\0') {
            return cp_error_set(err, CP_E_FORMAT, "%s:%" PRId64 ": empty %s id; expected a label",
                                path, line, role);
        }
        return cp_error_set(err, CP_E_FORMAT,
                            "%s:%" PRId64 ": %s id '%.64s' is not in the node table %s; every "
                            "edge endpoint must be listed there",
                            path, line, role, label, o->nodes_path);
    }
    return CP_OK;
}

cp_status cp__import_csv_ex(cp_graph **g, const char *edges_path, const cp_csv_options *o,
                            bool no_header, cp_error *err) {
    cp_status status = CP_OK;
    cp_csv_options defaults;
    cp__textin t;
    cp__idmap ids;
    cp__edgebuf eb;
    cp__groupbuf gb;
    node_attrs na = {NULL, NULL, NULL, 0};
    header h = {NULL, 0};
    rule rules[MAX_RULES];
    memset(&t, 0, sizeof t);
    memset(rules, 0, sizeof rules);
    cp__idmap_init(&ids);
    cp__groupbuf_init(&gb);
    cp__edgebuf_init(&eb, o != NULL && o->time_col != NULL);
    if (g == NULL || edges_path == NULL) {
        return cp_error_set(err, CP_E_INVALID, "cp_import_csv: g and edges_path must not be NULL");
    }
    *g = NULL;
    if (o == NULL) {
        cp_csv_options_init(&defaults);
        o = &defaults;
    }
    const char *path = edges_path;
    char delim = o->delimiter != 0 ? o->delimiter : ',';
    if (!delimiter_ok(delim)) {
        return cp_error_set(err, CP_E_INVALID,
                            "CSV delimiter '%c' is not usable; expected ',', ';', '\\t' or another "
                            "punctuation character (not '\"' or '#')",
                            delim);
    }
    if (o->n_group_rules < 0 || o->n_group_rules > MAX_RULES) {
        return cp_error_set(err, CP_E_INVALID, "n_group_rules = %d; expected 0..%d",
                            o->n_group_rules, MAX_RULES);
    }
    bool closed = o->nodes_path != NULL;
    if (!closed && (o->kind_col != NULL || o->country_col != NULL || o->groups_col != NULL ||
                    o->n_group_rules > 0)) {
        return cp_error_set(err, CP_E_INVALID,
                            "kind, country, groups columns and group rules need a node table "
                            "(nodes_path)");
    }

    if (closed) {
        CP_TRY(read_nodes(&ids, &na, &gb, rules, o->n_group_rules, o, delim, err));
    }

    /* The edge table. */
    bool got;
    CP_TRY(cp__textin_open(&t, path, err));
    CP_TRY(cp__csv_record(&t, delim, true, &got, err));
    if (!got) {
        CP_TRY(cp_error_set(err, CP_E_FORMAT,
                            "%s: no header row; expected a header naming the edge table's columns "
                            "(the file is empty or holds only comments)",
                            path));
    }
    bool pending = false; /* the first row is data (no header) */
    if (no_header) {
        h.n = t.n_fields;
        pending = true;
    } else {
        CP_TRY(header_copy(&h, &t, err));
    }
    int src_col, dst_col, w_col = -1, time_col = -1;
    CP_TRY(find_col(&src_col, &h, o->source_col != NULL ? o->source_col : "source", "source column",
                    path, err));
    CP_TRY(find_col(&dst_col, &h, o->target_col != NULL ? o->target_col : "target", "target column",
                    path, err));
    if (o->weight_col != NULL) {
        CP_TRY(find_col(&w_col, &h, o->weight_col, "weight column", path, err));
    }
    if (o->time_col != NULL) {
        CP_TRY(find_col(&time_col, &h, o->time_col, "time column", path, err));
    }
    const cp_layer_options *lo = &o->layer;
    cp_weight_meaning meaning = cp__import_layer_meaning(lo, w_col >= 0);
    bool use_weight = w_col >= 0 && !lo->pattern;
    char w_cd[96] = "", t_cd[96] = "";
    if (w_col >= 0) {
        col_desc(w_cd, sizeof w_cd, &h, w_col);
    }
    if (time_col >= 0) {
        col_desc(t_cd, sizeof t_cd, &h, time_col);
    }
    for (;;) {
        if (!pending) {
            CP_TRY(cp__csv_record(&t, delim, true, &got, err));
            if (!got) {
                break;
            }
        }
        pending = false;
        int64_t line = t.record_line;
        CP_TRY(field_count(&t, &h, err));
        int32_t s, d;
        CP_TRY(endpoint(&s, &ids, closed, t.fields[src_col], "source", o, path, line, err));
        CP_TRY(endpoint(&d, &ids, closed, t.fields[dst_col], "target", o, path, line, err));
        double w = 1.0;
        if (use_weight) {
            CP_TRY(cp__import_weight(&w, t.fields[w_col], meaning == CP_MEANING_LENGTH, path, line,
                                     w_cd, err));
        }
        int64_t tm = 0;
        if (time_col >= 0) {
            CP_TRY(cp__import_time(&tm, t.fields[time_col], path, line, t_cd, err));
        }
        CP_TRY(cp__edgebuf_push(&eb, s, d, w, tm, path, line, err));
    }
    cp__textin_close(&t);

    cp__node_attrs attrs = {na.kind, na.country, closed ? (int32_t)ids.size : 0};
    CP_TRY(cp__import_build(g, &ids, 0, &eb, cp__import_layer_name(lo, "transaction"), meaning,
                            lo->units, !lo->undirected, &attrs, &gb, path, err));
cleanup:
    for (int r = 0; r < MAX_RULES; r++) {
        cp__free(rules[r].name);
        cp__free(rules[r].value);
    }
    header_free(&h);
    cp__textin_close(&t);
    cp__idmap_destroy(&ids);
    cp__edgebuf_destroy(&eb);
    cp__groupbuf_destroy(&gb);
    cp__free(na.kind);
    cp__free(na.country);
    cp__free(na.line);
    return status;
}
