/* FollowTheMoney JSON lines (ftm.h): each line parsed with jansson, entities mapped onto nodes,
 * edges and designations of the multi-layer builder (import_multi.h), which resolves references
 * once the whole file is read. */
#include "ftm.h"

#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "csv_reader.h"

/* ---- value parsers ------------------------------------------------------------------------ */

static const char *skip_blanks(const char *p) {
    while (*p == ' ' || *p == '\t') {
        p++;
    }
    return p;
}

/* Reads a non-negative decimal number at *p (',' read as a decimal point); *dot says whether it
 * was written with one. */
static bool read_number(const char **p, double *v, bool *dot) {
    char buf[64];
    size_t k = 0;
    const char *q = *p;
    *dot = false;
    while (((*q >= '0' && *q <= '9') || *q == '.' || *q == ',') && k + 1 < sizeof buf) {
        if (*q == '.' || *q == ',') {
            if (*dot) {
                return false;
            }
            *dot = true;
            buf[k++] = '.';
        } else {
            buf[k++] = *q;
        }
        q++;
    }
    buf[k] = '\0';
    if (k == 0 || (k == 1 && buf[0] == '.')) {
        return false;
    }
    char *end;
    *v = strtod(buf, &end);
    if (*end != '\0' || !isfinite(*v)) {
        return false;
    }
    *p = q;
    return true;
}

/* A range separator at *p: '-', an en dash (U+2013) or the word "to". */
static bool read_dash(const char **p) {
    const char *q = *p;
    if (*q == '-') {
        *p = q + 1;
        return true;
    }
    if ((unsigned char)q[0] == 0xE2 && (unsigned char)q[1] == 0x80 && (unsigned char)q[2] == 0x93) {
        *p = q + 3;
        return true;
    }
    if ((q[0] == 't' || q[0] == 'T') && (q[1] == 'o' || q[1] == 'O') && q[2] == ' ') {
        *p = q + 2;
        return true;
    }
    return false;
}

bool cp__ftm_parse_share(const char *text, double *lo, double *hi) {
    const char *p = skip_blanks(text);
    int bound = 0; /* -1: "<", +1: ">" */
    if (*p == '<' || *p == '>') {
        bound = *p == '<' ? -1 : 1;
        p++;
        if (*p == '=') {
            p++;
        }
        p = skip_blanks(p);
    }
    double a, b;
    bool dot_a, dot_b = false, pct = false, range = false;
    if (!read_number(&p, &a, &dot_a)) {
        return false;
    }
    p = skip_blanks(p);
    if (*p == '%') {
        pct = true;
        p = skip_blanks(p + 1);
    }
    b = a;
    if (bound == 0 && read_dash(&p)) {
        p = skip_blanks(p);
        if (!read_number(&p, &b, &dot_b)) {
            return false;
        }
        range = true;
        p = skip_blanks(p);
        if (*p == '%') {
            pct = true;
            p = skip_blanks(p + 1);
        }
    }
    if (*p != '\0') {
        return false;
    }
    /* Without '%', numbers all written with a decimal point and at most 1 are fractions. */
    bool fraction = !pct && dot_a && a <= 1.0 && (!range || (dot_b && b <= 1.0));
    if (!fraction) {
        a /= 100.0;
        b /= 100.0;
    }
    if (bound < 0) {
        b = a;
        a = 0.0;
    } else if (bound > 0) {
        b = 1.0;
    }
    if (!(a >= 0.0 && a <= b && b <= 1.0)) {
        return false;
    }
    *lo = a;
    *hi = b;
    return true;
}

/* Days from 1970-01-01 to the given proleptic Gregorian date (y, m 1..12, d 1..31). */
static int64_t days_from_civil(int64_t y, int m, int d) {
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;                                  /* 0..399 */
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1; /* 0..365 */
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;          /* 0..146096 */
    return era * 146097 + doe - 719468;
}

/* Reads exactly `digits` decimal digits at *p. */
static bool read_digits(const char **p, int digits, int *v) {
    int x = 0;
    for (int i = 0; i < digits; i++) {
        char c = (*p)[i];
        if (c < '0' || c > '9') {
            return false;
        }
        x = 10 * x + (c - '0');
    }
    *p += digits;
    *v = x;
    return true;
}

bool cp__ftm_parse_date(const char *text, int64_t *seconds) {
    const char *p = skip_blanks(text);
    int y, mo = 1, d = 1, hh = 0, mm = 0, ss = 0;
    if (!read_digits(&p, 4, &y)) {
        return false;
    }
    if (*p == '-') {
        p++;
        if (!read_digits(&p, 2, &mo) || mo < 1 || mo > 12) {
            return false;
        }
        if (*p == '-') {
            p++;
            static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
            bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
            if (!read_digits(&p, 2, &d) || d < 1 || d > mdays[mo - 1] ||
                (mo == 2 && d == 29 && !leap)) {
                return false;
            }
            if (*p == 'T' || *p == ' ') {
                p++;
                if (!read_digits(&p, 2, &hh) || *p++ != ':' || !read_digits(&p, 2, &mm) ||
                    hh > 23 || mm > 59) {
                    return false;
                }
                if (*p == ':') {
                    p++;
                    if (!read_digits(&p, 2, &ss) || ss > 60) {
                        return false;
                    }
                }
                /* Fractions of a second and a zone suffix (Z, +hh:mm) are ignored. */
                return (*seconds = days_from_civil(y, mo, d) * 86400 + hh * 3600 + mm * 60 + ss,
                        true);
            }
        }
    }
    p = skip_blanks(p);
    if (*p != '\0') {
        return false;
    }
    *seconds = days_from_civil(y, mo, d) * 86400;
    return true;
}

/* An amount: ',', '_' and blanks ignored (thousands separators), the rest a whole number >= 0. */
static bool parse_amount(const char *text, double *v) {
    char buf[128];
    size_t k = 0;
    for (const char *p = text; *p; p++) {
        if (*p == ',' || *p == ' ' || *p == '_' || *p == '\t') {
            continue;
        }
        if (k + 1 >= sizeof buf) {
            return false;
        }
        buf[k++] = *p;
    }
    buf[k] = '\0';
    char *end;
    if (k == 0) {
        return false;
    }
    double x = strtod(buf, &end);
    if (*end != '\0' || !isfinite(x) || x < 0) {
        return false;
    }
    *v = x + 0.0;
    return true;
}

/* ---- entities ----------------------------------------------------------------------------- */

typedef struct ftm_state {
    cp__mbuild b;
    cp__idmap seen_rel; /* ids of relation / Sanction entities already imported */
    cp__tally skipped;
    cp_import_report *r;
    const char *path;
    int64_t line;
} ftm_state;

/* The values of property `name`: an array (possibly empty) or NULL when absent. A lone string is
 * accepted as a one-element list. CP_E_FORMAT for anything else. */
static cp_status prop(json_t **out, json_t *props, const char *name, ftm_state *s, cp_error *err) {
    *out = NULL;
    json_t *v = props != NULL ? json_object_get(props, name) : NULL;
    if (v == NULL || json_is_null(v)) {
        return CP_OK;
    }
    if (json_is_string(v)) {
        *out = v;
        return CP_OK;
    }
    if (json_is_array(v)) {
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) {
            if (!json_is_string(x)) {
                return cp_error_set(err, CP_E_FORMAT,
                                    "%s:%" PRId64 ": property '%s' value %zu is not a string; "
                                    "expected an array of strings",
                                    s->path, s->line, name, i + 1);
            }
        }
        *out = v;
        return CP_OK;
    }
    return cp_error_set(err, CP_E_FORMAT,
                        "%s:%" PRId64 ": property '%s' is not an array; expected an array of "
                        "strings",
                        s->path, s->line, name);
}

static size_t n_values(json_t *v) {
    return v == NULL ? 0 : json_is_string(v) ? 1 : json_array_size(v);
}

static const char *value(json_t *v, size_t i) {
    return json_string_value(json_is_string(v) ? v : json_array_get(v, i));
}

typedef struct node_schema {
    const char *name;
    cp_node_kind kind;
} node_schema;

static const node_schema node_schemata[] = {
    {"Person", CP_KIND_PERSON},         {"Company", CP_KIND_COMPANY},
    {"Organization", CP_KIND_OTHER},    {"LegalEntity", CP_KIND_OTHER},
    {"PublicBody", CP_KIND_GOVERNMENT}, {"Vessel", CP_KIND_VESSEL},
    {"Airplane", CP_KIND_AIRCRAFT},
};

typedef struct rel_schema {
    const char *name, *from, *to, *layer;
} rel_schema;

static const rel_schema rel_schemata[] = {
    {"Ownership", "owner", "asset", "ownership"},
    {"Directorship", "director", "organization", "control"},
    {"Payment", "payer", "beneficiary", "payment"},
    {"UnknownLink", "subject", "object", "linked"},
    {"Family", "person", "relative", "linked"},
    {"Associate", "person", "associate", "linked"},
    {"Membership", "member", "organization", "linked"},
    {"Employment", "employee", "employer", "linked"},
    {"Representation", "agent", "client", "linked"},
    {"Succession", "predecessor", "successor", "linked"},
};

static cp_status do_node(ftm_state *s, const char *id, cp_node_kind kind, json_t *ent,
                         json_t *props, cp_error *err) {
    cp_status status = CP_OK;
    json_t *names, *topics;
    char *name = NULL;
    char cc[2];
    const char *country = NULL;
    static const char *const country_props[] = {"country", "jurisdiction", "nationality", "flag"};
    CP_TRY(prop(&names, props, "name", s, err));
    CP_TRY(prop(&topics, props, "topics", s, err));
    for (size_t k = 0; k < 4 && country == NULL; k++) {
        json_t *c;
        CP_TRY(prop(&c, props, country_props[k], s, err));
        for (size_t i = 0; i < n_values(c) && country == NULL; i++) {
            const char *t = value(c, i);
            if (strlen(t) == 2 && cp__country_code(t, cc)) {
                country = cc;
            }
        }
    }
    const char *nm = n_values(names) > 0 ? value(names, 0) : NULL;
    if (nm == NULL) {
        nm = json_string_value(json_object_get(ent, "caption"));
    }
    int32_t index;
    bool dup;
    CP_TRY(cp__mb_node(&s->b, id, kind, country, nm, s->line, &index, &dup, err));
    if (dup) {
        s->r->duplicates++;
    }
    for (size_t i = 0; i < n_values(topics); i++) {
        if (strcmp(value(topics, i), "sanction") == 0) {
            s->b.designated[index] = 1;
            CP_TRY(cp__mb_group_add(&s->b, "designated", index, err));
            break;
        }
    }
cleanup:
    cp__free(name);
    return status;
}

/* True (and the id remembered) the first time a relation id is seen. */
static cp_status first_time(bool *first, ftm_state *s, const char *id, cp_error *err) {
    int32_t i;
    cp_status st = cp__import_intern(&s->seen_rel, id, &i, first, s->path, s->line, err);
    if (st == CP_OK && !*first) {
        s->r->duplicates++;
    }
    return st;
}

static cp_status do_relation(ftm_state *s, const rel_schema *rs, const char *id, json_t *props,
                             cp_error *err) {
    cp_status status = CP_OK;
    json_t *from, *to;
    bool first;
    CP_TRY(first_time(&first, s, id, err));
    if (!first) {
        return CP_OK;
    }
    CP_TRY(prop(&from, props, rs->from, s, err));
    CP_TRY(prop(&to, props, rs->to, s, err));
    int li = 0;
    double w = 1.0, lo = 1.0, hi = 1.0;
    bool ranged = false, has_time = false;
    int64_t t = 0;
    if (strcmp(rs->layer, "ownership") == 0) {
        json_t *pct;
        CP_TRY(prop(&pct, props, "percentage", s, err));
        bool ok = false;
        for (size_t i = 0; i < n_values(pct) && !ok; i++) {
            ok = cp__ftm_parse_share(value(pct, i), &lo, &hi);
        }
        if (!ok) {
            lo = 0.0;
            hi = 1.0;
            s->r->no_share++;
        }
        w = lo;
        ranged = lo != hi;
        CP_TRY(cp__mb_layer_get(&s->b, "ownership", CP_MEANING_SHARE, "fraction", true, &li, err));
    } else if (strcmp(rs->layer, "payment") == 0) {
        json_t *amount, *currency, *date;
        CP_TRY(prop(&amount, props, "amount", s, err));
        CP_TRY(prop(&currency, props, "currency", s, err));
        CP_TRY(prop(&date, props, "date", s, err));
        if (n_values(date) == 0) {
            CP_TRY(prop(&date, props, "startDate", s, err));
        }
        bool ok = false;
        for (size_t i = 0; i < n_values(amount) && !ok; i++) {
            ok = parse_amount(value(amount, i), &w);
        }
        if (!ok) {
            w = 0.0;
            s->r->no_amount++;
        }
        for (size_t i = 0; i < n_values(date) && !has_time; i++) {
            has_time = cp__ftm_parse_date(value(date, i), &t);
        }
        char layer[32] = "payment", units[4] = "";
        const char *c = n_values(currency) > 0 ? value(currency, 0) : "";
        if (strlen(c) == 3) {
            bool letters = true;
            for (int k = 0; k < 3; k++) {
                char ch = c[k];
                letters = letters && ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'));
                units[k] = ch >= 'a' && ch <= 'z' ? (char)(ch - 'a' + 'A') : ch;
            }
            units[3] = '\0';
            if (letters) {
                snprintf(layer, sizeof layer, "payment:%s", units);
            } else {
                units[0] = '\0';
            }
        }
        CP_TRY(cp__mb_layer_get(&s->b, layer, CP_MEANING_AMOUNT, units, true, &li, err));
    } else {
        CP_TRY(cp__mb_layer_get(&s->b, rs->layer, CP_MEANING_NONE, "", true, &li, err));
    }
    if (n_values(from) == 0 || n_values(to) == 0) {
        s->r->unresolved++;
        cp__report_add(s->r, "  %s:%" PRId64 ": %s '%.80s' has no '%s' or no '%s'; dropped",
                       s->path, s->line, rs->name, id, rs->from, rs->to);
        return CP_OK;
    }
    for (size_t i = 0; i < n_values(from); i++) {
        for (size_t j = 0; j < n_values(to); j++) {
            CP_TRY(cp__mb_edge(&s->b, value(from, i), value(to, j), li, w, lo, hi, ranged, has_time,
                               t, s->line, err));
        }
    }
cleanup:
    return status;
}

static cp_status do_sanction(ftm_state *s, const char *id, json_t *props, cp_error *err) {
    cp_status status = CP_OK;
    json_t *entity, *program;
    bool first;
    char group[256];
    CP_TRY(first_time(&first, s, id, err));
    if (!first) {
        return CP_OK;
    }
    CP_TRY(prop(&entity, props, "entity", s, err));
    CP_TRY(prop(&program, props, "program", s, err));
    if (n_values(program) == 0) {
        CP_TRY(prop(&program, props, "programId", s, err));
    }
    if (n_values(entity) == 0) {
        s->r->unresolved++;
        cp__report_add(s->r, "  %s:%" PRId64 ": Sanction '%.80s' has no 'entity'; dropped", s->path,
                       s->line, id);
    }
    for (size_t i = 0; i < n_values(entity); i++) {
        CP_TRY(cp__mb_designate(&s->b, value(entity, i), "designated", s->line, err));
        for (size_t j = 0; j < n_values(program); j++) {
            const char *p = value(program, j);
            if (p[0] == '\0') {
                continue;
            }
            snprintf(group, sizeof group, "program:%s", p);
            for (char *c = group; *c; c++) {
                if (*c == '/') {
                    *c = '_';
                }
            }
            CP_TRY(cp__mb_designate(&s->b, value(entity, i), group, s->line, err));
        }
    }
cleanup:
    return status;
}

static cp_status do_line(ftm_state *s, const char *text, size_t len, cp_error *err) {
    cp_status status = CP_OK;
    json_error_t jerr;
    json_t *ent = json_loadb(text, len, 0, &jerr);
    if (ent == NULL) {
        return cp_error_set(err, CP_E_FORMAT,
                            "%s:%" PRId64 ": malformed JSON at column %d (%s); expected one "
                            "FollowTheMoney entity object per line",
                            s->path, s->line, jerr.column, jerr.text);
    }
    if (!json_is_object(ent)) {
        CP_TRY(cp_error_set(err, CP_E_FORMAT,
                            "%s:%" PRId64 ": the line is JSON but not an object; expected one "
                            "FollowTheMoney entity object per line",
                            s->path, s->line));
    }
    const char *id = json_string_value(json_object_get(ent, "id"));
    const char *schema = json_string_value(json_object_get(ent, "schema"));
    if (id == NULL || id[0] == '\0') {
        CP_TRY(cp_error_set(err, CP_E_FORMAT,
                            "%s:%" PRId64 ": entity without an 'id' string; expected "
                            "{\"id\": ..., \"schema\": ..., \"properties\": {...}}",
                            s->path, s->line));
    }
    if (schema == NULL || schema[0] == '\0') {
        CP_TRY(cp_error_set(err, CP_E_FORMAT,
                            "%s:%" PRId64 ": entity '%.80s' without a 'schema' string; expected "
                            "a FollowTheMoney schema name such as \"Company\"",
                            s->path, s->line, id));
    }
    json_t *props = json_object_get(ent, "properties");
    if (props != NULL && !json_is_object(props) && !json_is_null(props)) {
        CP_TRY(cp_error_set(err, CP_E_FORMAT,
                            "%s:%" PRId64 ": entity '%.80s': 'properties' is not an object; "
                            "expected {NAME: [values...]}",
                            s->path, s->line, id));
    }
    if (props != NULL && !json_is_object(props)) {
        props = NULL;
    }
    for (size_t k = 0; k < sizeof node_schemata / sizeof node_schemata[0]; k++) {
        if (strcmp(schema, node_schemata[k].name) == 0) {
            CP_TRY(do_node(s, id, node_schemata[k].kind, ent, props, err));
            goto cleanup;
        }
    }
    for (size_t k = 0; k < sizeof rel_schemata / sizeof rel_schemata[0]; k++) {
        if (strcmp(schema, rel_schemata[k].name) == 0) {
            CP_TRY(do_relation(s, &rel_schemata[k], id, props, err));
            goto cleanup;
        }
    }
    if (strcmp(schema, "Sanction") == 0) {
        CP_TRY(do_sanction(s, id, props, err));
        goto cleanup;
    }
    s->r->skipped++;
    CP_TRY(cp__tally_add(&s->skipped, schema, err));
cleanup:
    json_decref(ent);
    return status;
}

cp_status cp_import_ftm(cp_graph **g, cp_import_report *report, const char *path, cp_error *err) {
    cp_status status = CP_OK;
    cp__textin in;
    ftm_state s;
    cp_import_report local;
    memset(&in, 0, sizeof in);
    cp_import_report_init(&local);
    cp_import_report *r = report != NULL ? report : &local;
    if (g != NULL) {
        *g = NULL;
    }
    if (g == NULL || path == NULL) {
        return cp_error_set(err, CP_E_INVALID, "cp_import_ftm: graph and path are required");
    }
    cp_import_report_init(r);
    memset(&s, 0, sizeof s);
    cp__mb_init(&s.b, path);
    cp__idmap_init(&s.seen_rel);
    cp__tally_init(&s.skipped);
    s.r = r;
    s.path = path;
    CP_TRY(cp__textin_open(&in, path, err));
    for (;;) {
        char *line;
        size_t len;
        bool got;
        CP_TRY(cp__textin_line(&in, &line, &len, &got, err));
        if (!got) {
            break;
        }
        s.line = in.record_line;
        const char *p = line;
        while (*p == ' ' || *p == '\t') {
            p++;
        }
        if (*p == '\0') {
            continue;
        }
        r->records++;
        CP_TRY(do_line(&s, line, len, err));
    }
    cp__tally_report(&s.skipped, r, "schema not imported");
    CP_TRY(cp__mb_build(g, &s.b, r, err));
cleanup:
    cp__textin_close(&in);
    cp__mb_destroy(&s.b);
    cp__idmap_destroy(&s.seen_rel);
    cp__tally_destroy(&s.skipped);
    cp_import_report_free(&local);
    return status;
}
