/* The OFAC SDN importer (sdn.h): rows -> nodes, remarks and owner names -> edges by normalised name
 * matching, with a report of everything that could not be linked. */
#define _GNU_SOURCE
#include "sdn.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "alloc.h"
#include "csv_reader.h"
#include "graph_impl.h"
#include "import_internal.h"

enum { SDN_FIELDS = 12, ALT_FIELDS = 5, ADD_FIELDS = 6 };
enum { LAYER_LINKED = 0, LAYER_OWNER = 1 };

static const char *const sdn_columns =
    "entity number, name, type, programs, title, call sign, vessel type, tonnage, gross "
    "registered tonnage, vessel flag, vessel owner, remarks";

/* ---- text ------------------------------------------------------------------------------------ */

static bool is_blank(unsigned char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/* Trims ASCII blanks in place; returns the start. */
static char *trim(char *s) {
    while (is_blank((unsigned char)*s)) {
        s++;
    }
    size_t n = strlen(s);
    while (n > 0 && is_blank((unsigned char)s[n - 1])) {
        s[--n] = '\0';
    }
    return s;
}

/* A trimmed field with OFAC's "-0-" read as empty. */
static char *field_value(char *s) {
    s = trim(s);
    return strcmp(s, "-0-") == 0 ? s + 3 : s;
}

/* The field decoded to a fresh UTF-8 string: Latin-1 bytes re-encoded, or UTF-8 validated. */
static cp_status decode(char **out, const char *s, cp_sdn_encoding enc, const char *path,
                        int64_t line, const char *column, cp_error *err) {
    *out = NULL;
    size_t extra = 0, len = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++, len++) {
        extra += *p >= 0x80;
    }
    if (enc == CP_SDN_UTF8) {
        if (!cp__utf8_valid(s)) {
            return cp_error_set(err, CP_E_FORMAT,
                                "%s:%" PRId64 ": the %s is not valid UTF-8; expected UTF-8 text "
                                "(or import as Latin-1, OFAC's encoding)",
                                path, line, column);
        }
        extra = 0;
    }
    char *d = cp__malloc(len + extra + 1);
    if (d == NULL) {
        return cp_error_set(err, CP_E_NOMEM, "%s:%" PRId64 ": out of memory", path, line);
    }
    char *q = d;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (enc == CP_SDN_LATIN1 && *p >= 0x80) {
            *q++ = (char)(0xC0 | (*p >> 6));
            *q++ = (char)(0x80 | (*p & 0x3F));
        } else {
            *q++ = (char)*p;
        }
    }
    *q = '\0';
    *out = d;
    return CP_OK;
}

/* The normal form of a name (sdn.h): a fresh string, possibly empty; NULL when out of memory. */
static char *normalise(const char *s) {
    size_t len = strlen(s);
    char *d = cp__malloc(4 * len + 1); /* '&' -> " AND " grows 1 byte into 5 */
    if (d == NULL) {
        return NULL;
    }
    size_t k = 0;
    bool space = false; /* a word break is pending */
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        unsigned char c = *p;
        if (c == '.' || c == '\'' || c == '`') {
            continue;
        }
        if (c == '&') {
            space = true;
            if (k > 0) {
                d[k++] = ' ';
            }
            memcpy(d + k, "AND", 3);
            k += 3;
            continue;
        }
        bool word =
            c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
        if (!word) {
            space = true;
            continue;
        }
        if (space && k > 0) {
            d[k++] = ' ';
        }
        space = false;
        if (c >= 'a' && c <= 'z') {
            c = (unsigned char)(c - 'a' + 'A');
        } else if (c == 0xC3 && p[1] >= 0xA0 && p[1] <= 0xBE && p[1] != 0xB7) {
            /* U+00E0..U+00FE, the Latin-1 small letters (not U+00F7, the division sign): their
             * capitals are 0x20 lower. */
            d[k++] = (char)c;
            c = (unsigned char)(*++p - 0x20);
        }
        d[k++] = (char)c;
    }
    d[k] = '\0';
    return d;
}

/* Case-insensitive ASCII prefix test. */
static bool has_prefix(const char *s, const char *prefix) {
    for (; *prefix; s++, prefix++) {
        char c = *s;
        if (c >= 'A' && c <= 'Z') {
            c = (char)(c - 'A' + 'a');
        }
        if (c != *prefix) {
            return false;
        }
    }
    return true;
}

/* ---- growing arrays ---------------------------------------------------------------------------
 */

static bool reserve(void **p, int64_t *cap, int64_t need, size_t elem) {
    if (need <= *cap) {
        return true;
    }
    int64_t c = *cap < 64 ? 64 : *cap;
    while (c < need) {
        c *= 2;
    }
    void *q = cp__realloc(*p, (size_t)c * elem);
    if (q == NULL) {
        return false;
    }
    *p = q;
    *cap = c;
    return true;
}

/* A name reference waiting to be resolved. */
typedef struct mention {
    int32_t entry; /* the row it is in */
    int layer;     /* LAYER_LINKED or LAYER_OWNER */
    int64_t line;
    char *text; /* as written, UTF-8, owned */
} mention;

/* (normal-form key, entry) pair of the name indices. */
typedef struct keypair {
    int32_t key, entry;
} keypair;

/* What the importer keeps per entry until the graph is built. */
typedef struct node_rec {
    int64_t num;  /* entity number */
    int64_t line; /* where its row begins */
    char *name;   /* UTF-8, owned */
    uint8_t kind;
    char country[2]; /* "\0\0" unknown */
} node_rec;

typedef struct sdn_state {
    const char *path;
    cp_sdn_encoding enc;
    cp__idmap ids; /* entity number text -> node */
    node_rec *nodes;
    int64_t n_cap;
    cp__groupbuf groups;
    int32_t designated_group;
    cp__idmap keys; /* normal forms */
    keypair *primary, *alias;
    int64_t n_primary, primary_cap, n_alias, alias_cap;
    mention *mentions;
    int64_t n_mentions, mentions_cap;
    int32_t *src, *dst;
    uint8_t *layer;
    int64_t m, m_cap;
    cp_sdn_report *rep;
    int64_t issues_cap;
} sdn_state;

static cp_status nomem(const sdn_state *s, const char *path, int64_t line, cp_error *err) {
    (void)s;
    return cp_error_set(err, CP_E_NOMEM, "%s:%" PRId64 ": out of memory", path, line);
}

static cp_status add_issue(sdn_state *s, int64_t entry, const char *file, int64_t line,
                           const char *what, const char *state, const char *text,
                           const char *candidates, cp_error *err) {
    cp_sdn_report *r = s->rep;
    if (r == NULL) {
        return CP_OK;
    }
    if (!reserve((void **)&r->issues, &s->issues_cap, r->n_issues + 1, sizeof *r->issues)) {
        return nomem(s, file, line, err);
    }
    cp_sdn_issue *is = &r->issues[r->n_issues];
    memset(is, 0, sizeof *is);
    is->text = cp__strdup(text);
    is->candidates = cp__strdup(candidates != NULL ? candidates : "");
    if (is->text == NULL || is->candidates == NULL) {
        cp__free(is->text);
        cp__free(is->candidates);
        return nomem(s, file, line, err);
    }
    is->entry = entry;
    is->file = file;
    is->line = line;
    is->what = what;
    is->state = state;
    r->n_issues++;
    return CP_OK;
}

/* Adds (normal form of text, entry) to an index. */
static cp_status add_key(sdn_state *s, keypair **arr, int64_t *n, int64_t *cap, const char *text,
                         int32_t entry, const char *file, int64_t line, cp_error *err) {
    char *k = normalise(text);
    if (k == NULL) {
        return nomem(s, file, line, err);
    }
    cp_status st = CP_OK;
    if (k[0] != '\0') {
        int32_t idx;
        bool inserted;
        st = cp__idmap_intern(&s->keys, k, &idx, &inserted);
        if (st == CP_OK && !reserve((void **)arr, cap, *n + 1, sizeof **arr)) {
            st = CP_E_NOMEM;
        }
        if (st == CP_OK) {
            (*arr)[(*n)++] = (keypair){idx, entry};
        } else {
            st = nomem(s, file, line, err);
        }
    }
    cp__free(k);
    return st;
}

static cp_status add_mention(sdn_state *s, int32_t entry, int layer, int64_t line, const char *text,
                             cp_error *err) {
    if (!reserve((void **)&s->mentions, &s->mentions_cap, s->n_mentions + 1, sizeof *s->mentions)) {
        return nomem(s, s->path, line, err);
    }
    char *t = cp__strdup(text);
    if (t == NULL) {
        return nomem(s, s->path, line, err);
    }
    s->mentions[s->n_mentions++] = (mention){entry, layer, line, t};
    return CP_OK;
}

/* ---- the SDN rows -----------------------------------------------------------------------------
 */

/* Reads the remarks' items: "Linked To: X" -> mentions, "a.k.a. 'X'" -> aliases. remarks is
 * modified (split at ';'). */
static cp_status parse_remarks(sdn_state *s, int32_t entry, int64_t line, char *remarks,
                               cp_error *err) {
    cp_status status = CP_OK;
    char *item = remarks;
    while (item != NULL) {
        char *next = strchr(item, ';');
        if (next != NULL) {
            *next++ = '\0';
        }
        char *t = trim(item);
        if (has_prefix(t, "linked to:")) {
            CP_TRY(add_mention(s, entry, LAYER_LINKED, line, trim(t + strlen("linked to:")), err));
        } else if (has_prefix(t, "a.k.a.") || has_prefix(t, "f.k.a.") || has_prefix(t, "n.k.a.")) {
            char *a = strchr(t, '\''), *b = strrchr(t, '\'');
            if (a != NULL && b > a) {
                *b = '\0';
                CP_TRY(add_key(s, &s->alias, &s->n_alias, &s->alias_cap, a + 1, entry, s->path,
                               line, err));
                if (s->rep != NULL) {
                    s->rep->aliases++;
                }
            }
        }
        item = next;
    }
cleanup:
    return status;
}

static cp_status parse_kind(uint8_t *kind, const char *type, const char *path, int64_t line,
                            cp_error *err) {
    if (type[0] == '\0') {
        *kind = CP_KIND_COMPANY;
    } else if (strcasecmp(type, "individual") == 0) {
        *kind = CP_KIND_PERSON;
    } else if (strcasecmp(type, "vessel") == 0) {
        *kind = CP_KIND_VESSEL;
    } else if (strcasecmp(type, "aircraft") == 0) {
        *kind = CP_KIND_AIRCRAFT;
    } else {
        return cp_error_set(err, CP_E_FORMAT,
                            "%s:%" PRId64 ": type (column 3) is '%.64s'; expected individual, "
                            "vessel, aircraft or -0- (an entity)",
                            path, line, type);
    }
    return CP_OK;
}

/* Parses an entity number: a non-negative decimal integer, blanks around ignored. */
static cp_status parse_entnum(int64_t *v, char *text, const char *path, int64_t line,
                              const char *what, cp_error *err) {
    char *t = trim(text);
    while (t[0] == '0' && t[1] >= '0' && t[1] <= '9') {
        t++; /* "007" is 7 */
    }
    if (!cp__parse_int64_label(t, v) || *v < 0) {
        return cp_error_set(err, CP_E_FORMAT,
                            "%s:%" PRId64 ": %s is '%.64s'; expected a non-negative integer", path,
                            line, what, text);
    }
    return CP_OK;
}

/* One SDN row (12 fields in t->fields). */
static cp_status sdn_row(sdn_state *s, cp__textin *t, cp_error *err) {
    cp_status status = CP_OK;
    int64_t line = t->record_line;
    char *name = NULL, *type = NULL, *programs = NULL, *owner = NULL, *remarks = NULL;
    char *group = NULL;
    int64_t num;
    CP_TRY(parse_entnum(&num, t->fields[0], s->path, line, "the entity number (column 1)", err));
    char idtext[32];
    snprintf(idtext, sizeof idtext, "%" PRId64, num);
    int32_t node;
    bool inserted;
    CP_TRY(cp__import_intern(&s->ids, idtext, &node, &inserted, s->path, line, err));
    if (!inserted) {
        CP_TRY(cp_error_set(err, CP_E_FORMAT,
                            "%s:%" PRId64 ": entity number %" PRId64 " is given again (first on "
                            "line %" PRId64 "); expected one row per entry",
                            s->path, line, num, s->nodes[node].line));
    }
    if (!reserve((void **)&s->nodes, &s->n_cap, (int64_t)node + 1, sizeof *s->nodes)) {
        CP_TRY(nomem(s, s->path, line, err));
    }
    node_rec *nr = &s->nodes[node];
    memset(nr, 0, sizeof *nr);
    nr->num = num;
    nr->line = line;
    if (s->rep != NULL) {
        s->rep->entries++;
    }

    CP_TRY(decode(&name, field_value(t->fields[1]), s->enc, s->path, line, "name (column 2)", err));
    if (name[0] == '\0') {
        CP_TRY(cp_error_set(err, CP_E_FORMAT,
                            "%s:%" PRId64 ": the name (column 2) of entry %" PRId64
                            " is empty; expected the entry's name",
                            s->path, line, num));
    }
    nr->name = name;
    name = NULL;
    CP_TRY(add_key(s, &s->primary, &s->n_primary, &s->primary_cap, nr->name, node, s->path, line,
                   err));

    CP_TRY(decode(&type, field_value(t->fields[2]), s->enc, s->path, line, "type (column 3)", err));
    CP_TRY(parse_kind(&nr->kind, type, s->path, line, err));

    CP_TRY(cp__groupbuf_add(&s->groups, s->designated_group, node, err));
    CP_TRY(decode(&programs, field_value(t->fields[3]), s->enc, s->path, line,
                  "programs (column 4)", err));
    for (char *p = programs; p != NULL && *p != '\0';) {
        char *sep = strstr(p, "] [");
        if (sep != NULL) {
            *sep = '\0';
        }
        char *prog = trim(p);
        while (*prog == '[') {
            prog++;
        }
        size_t len = strlen(prog);
        while (len > 0 && prog[len - 1] == ']') {
            prog[--len] = '\0';
        }
        prog = trim(prog);
        if (*prog != '\0') {
            cp__free(group);
            group = cp__malloc(strlen(prog) + sizeof "program:");
            if (group == NULL) {
                CP_TRY(nomem(s, s->path, line, err));
            }
            sprintf(group, "program:%s", prog);
            int32_t gi;
            CP_TRY(cp__groupbuf_declare(&s->groups, group, &gi, err));
            CP_TRY(cp__groupbuf_add(&s->groups, gi, node, err));
        }
        p = sep != NULL ? sep + 3 : NULL;
    }

    CP_TRY(decode(&owner, field_value(t->fields[10]), s->enc, s->path, line,
                  "vessel owner (column 11)", err));
    if (owner[0] != '\0') {
        CP_TRY(add_mention(s, node, LAYER_OWNER, line, owner, err));
    }
    CP_TRY(decode(&remarks, field_value(t->fields[11]), s->enc, s->path, line,
                  "remarks (column 12)", err));
    CP_TRY(parse_remarks(s, node, line, remarks, err));
cleanup:
    cp__free(name);
    cp__free(type);
    cp__free(programs);
    cp__free(owner);
    cp__free(remarks);
    cp__free(group);
    return status;
}

/* True for OFAC's closing line: a single field holding the DOS end-of-file byte. */
static bool is_eof_marker(const cp__textin *t) {
    return t->n_fields == 1 && strcmp(t->fields[0], "\x1a") == 0;
}

/* Reads every record of a file, calling row() for each (after the field-count check). */
static cp_status read_rows(sdn_state *s, const char *path, int n_fields, const char *columns,
                           cp_status (*row)(sdn_state *, cp__textin *, const char *, cp_error *),
                           int64_t *rows, cp_error *err) {
    cp_status status = CP_OK;
    cp__textin t;
    memset(&t, 0, sizeof t);
    CP_TRY(cp__textin_open(&t, path, err));
    int64_t eof_line = 0;
    *rows = 0;
    for (;;) {
        bool got = false;
        CP_TRY(cp__csv_record(&t, ',', false, &got, err));
        if (!got) {
            break;
        }
        if (is_eof_marker(&t)) {
            if (eof_line == 0) {
                eof_line = t.record_line;
            }
            continue;
        }
        if (eof_line != 0) {
            CP_TRY(cp_error_set(err, CP_E_FORMAT,
                                "%s:%" PRId64 ": a row after the end-of-file byte (Ctrl-Z) on line "
                                "%" PRId64 "; expected nothing after it",
                                path, t.record_line, eof_line));
        }
        if (t.n_fields != n_fields) {
            CP_TRY(cp_error_set(err, CP_E_FORMAT, "%s:%" PRId64 ": %d field%s; expected %d (%s)",
                                path, t.record_line, t.n_fields, t.n_fields == 1 ? "" : "s",
                                n_fields, columns));
        }
        CP_TRY(row(s, &t, path, err));
        (*rows)++;
    }
cleanup:
    cp__textin_close(&t);
    return status;
}

static cp_status sdn_row_cb(sdn_state *s, cp__textin *t, const char *path, cp_error *err) {
    (void)path;
    return sdn_row(s, t, err);
}

/* Node of an entity number in a companion file, or -1 (then an "orphan" issue is recorded). */
static cp_status companion_node(sdn_state *s, cp__textin *t, const char *path, const char *what,
                                const char *text, int32_t *node, int64_t *num, cp_error *err) {
    cp_status status = CP_OK;
    CP_TRY(parse_entnum(num, t->fields[0], path, t->record_line, "ent_num (column 1)", err));
    char idtext[32];
    snprintf(idtext, sizeof idtext, "%" PRId64, *num);
    *node = cp__idmap_find(&s->ids, idtext);
    if (*node < 0) {
        if (s->rep != NULL) {
            s->rep->orphans++;
        }
        CP_TRY(add_issue(s, *num, path, t->record_line, what, "orphan", text, NULL, err));
    }
cleanup:
    return status;
}

static cp_status alt_row(sdn_state *s, cp__textin *t, const char *path, cp_error *err) {
    cp_status status = CP_OK;
    char *name = NULL;
    int64_t line = t->record_line, num;
    int32_t node;
    CP_TRY(
        decode(&name, field_value(t->fields[3]), s->enc, path, line, "alt_name (column 4)", err));
    CP_TRY(companion_node(s, t, path, "alias", name, &node, &num, err));
    if (s->rep != NULL) {
        s->rep->alt_rows++;
    }
    if (node >= 0 && name[0] != '\0') {
        CP_TRY(add_key(s, &s->alias, &s->n_alias, &s->alias_cap, name, node, path, line, err));
        if (s->rep != NULL) {
            s->rep->aliases++;
        }
    }
cleanup:
    cp__free(name);
    return status;
}

static cp_status add_row(sdn_state *s, cp__textin *t, const char *path, cp_error *err) {
    cp_status status = CP_OK;
    char *country = NULL;
    int64_t line = t->record_line, num;
    int32_t node;
    CP_TRY(
        decode(&country, field_value(t->fields[4]), s->enc, path, line, "country (column 5)", err));
    CP_TRY(companion_node(s, t, path, "country", country, &node, &num, err));
    if (s->rep != NULL) {
        s->rep->add_rows++;
    }
    if (node >= 0 && country[0] != '\0') {
        const char *code = cp_sdn_country_code(country);
        char *have = s->nodes[node].country;
        if (code == NULL) {
            if (s->rep != NULL) {
                s->rep->countries_unmapped++;
            }
            CP_TRY(add_issue(s, num, path, line, "country", "unmapped", country, NULL, err));
        } else if (have[0] == '\0') {
            memcpy(have, code, 2);
            if (s->rep != NULL) {
                s->rep->countries_set++;
            }
        } else if (memcmp(have, code, 2) != 0 && s->rep != NULL) {
            s->rep->countries_conflicting++;
        }
    }
cleanup:
    cp__free(country);
    return status;
}

/* ---- resolution -------------------------------------------------------------------------------
 */

static int cmp_keypair(const void *a, const void *b) {
    const keypair *x = a, *y = b;
    if (x->key != y->key) {
        return x->key < y->key ? -1 : 1;
    }
    return (x->entry > y->entry) - (x->entry < y->entry);
}

/* Sorts the pairs and drops repeats; start[k]..start[k+1] is key k's range. */
static cp_status index_pairs(keypair *p, int64_t *n, int64_t n_keys, int64_t **start,
                             cp_error *err) {
    if (*n > 1) {
        qsort(p, (size_t)*n, sizeof *p, cmp_keypair);
    }
    int64_t w = 0;
    for (int64_t i = 0; i < *n; i++) {
        if (w == 0 || p[i].key != p[w - 1].key || p[i].entry != p[w - 1].entry) {
            p[w++] = p[i];
        }
    }
    *n = w;
    *start = cp__calloc((size_t)n_keys + 1, sizeof **start);
    if (*start == NULL) {
        return cp_error_set(err, CP_E_NOMEM, "out of memory indexing names");
    }
    for (int64_t i = 0; i < w; i++) {
        (*start)[p[i].key + 1]++;
    }
    for (int64_t k = 0; k < n_keys; k++) {
        (*start)[k + 1] += (*start)[k];
    }
    return CP_OK;
}

static cp_status resolve(sdn_state *s, cp_error *err) {
    cp_status status = CP_OK;
    int64_t *pstart = NULL, *astart = NULL;
    char *key = NULL, *cands = NULL;
    int64_t n_keys = s->keys.size;
    CP_TRY(index_pairs(s->primary, &s->n_primary, n_keys, &pstart, err));
    CP_TRY(index_pairs(s->alias, &s->n_alias, n_keys, &astart, err));
    int64_t first_edge = 0; /* edges made for the current entry start here */
    int32_t cur_entry = -1;
    for (int64_t i = 0; i < s->n_mentions; i++) {
        const mention *mt = &s->mentions[i];
        if (mt->entry != cur_entry) {
            cur_entry = mt->entry;
            first_edge = s->m;
        }
        cp_sdn_link_counts *c = NULL;
        if (s->rep != NULL) {
            c = mt->layer == LAYER_LINKED ? &s->rep->linked : &s->rep->owner;
            c->found++;
        }
        cp__free(key);
        key = normalise(mt->text);
        if (key == NULL) {
            CP_TRY(nomem(s, s->path, mt->line, err));
        }
        int32_t k = key[0] != '\0' ? cp__idmap_find(&s->keys, key) : -1;
        const keypair *hits = NULL;
        int64_t n_hits = 0;
        if (k >= 0) {
            hits = s->primary + pstart[k];
            n_hits = pstart[k + 1] - pstart[k];
            if (n_hits == 0) {
                hits = s->alias + astart[k];
                n_hits = astart[k + 1] - astart[k];
            }
        }
        const char *what = mt->layer == LAYER_LINKED ? "linked" : "owner";
        int64_t entnum = s->nodes[mt->entry].num;
        if (n_hits == 0) {
            if (c != NULL) {
                c->unresolved++;
            }
            CP_TRY(
                add_issue(s, entnum, s->path, mt->line, what, "unresolved", mt->text, NULL, err));
            continue;
        }
        if (n_hits > 1) {
            if (c != NULL) {
                c->ambiguous++;
            }
            cp__free(cands);
            cands = cp__malloc((size_t)n_hits * 21 + 1);
            if (cands == NULL) {
                CP_TRY(nomem(s, s->path, mt->line, err));
            }
            size_t len = 0;
            for (int64_t h = 0; h < n_hits; h++) {
                len += (size_t)sprintf(cands + len, "%s%" PRId64, h ? " " : "",
                                       s->nodes[hits[h].entry].num);
            }
            CP_TRY(
                add_issue(s, entnum, s->path, mt->line, what, "ambiguous", mt->text, cands, err));
            continue;
        }
        if (c != NULL) {
            c->resolved++;
        }
        int32_t other = hits[0].entry;
        if (other == mt->entry) {
            if (s->rep != NULL) {
                s->rep->self_links++;
            }
            continue;
        }
        int32_t src = mt->layer == LAYER_LINKED ? mt->entry : other;
        int32_t dst = mt->layer == LAYER_LINKED ? other : mt->entry;
        bool repeat = false;
        for (int64_t e = first_edge; e < s->m && !repeat; e++) {
            repeat = s->src[e] == src && s->dst[e] == dst && s->layer[e] == mt->layer;
        }
        if (repeat) {
            if (s->rep != NULL) {
                s->rep->repeated_edges++;
            }
            continue;
        }
        int64_t c1 = s->m_cap, c2 = s->m_cap, c3 = s->m_cap;
        if (!reserve((void **)&s->src, &c1, s->m + 1, sizeof *s->src) ||
            !reserve((void **)&s->dst, &c2, s->m + 1, sizeof *s->dst) ||
            !reserve((void **)&s->layer, &c3, s->m + 1, sizeof *s->layer)) {
            CP_TRY(nomem(s, s->path, mt->line, err));
        }
        s->m_cap = c1;
        s->src[s->m] = src;
        s->dst[s->m] = dst;
        s->layer[s->m] = (uint8_t)mt->layer;
        s->m++;
    }
cleanup:
    cp__free(key);
    cp__free(cands);
    cp__free(pstart);
    cp__free(astart);
    return status;
}

/* ---- assembly ---------------------------------------------------------------------------------
 */

static cp_status build(cp_graph **g, sdn_state *s, cp_error *err) {
    cp_status status = CP_OK;
    cp_graph *out = NULL;
    int32_t n = (int32_t)s->ids.size;
    CP_TRY(cp_graph_new(&out, err));
    CP_TRY(cp__graph_alloc_nodes(out, n, true, err));
    out->names = cp__calloc((size_t)(n > 0 ? n : 1), sizeof *out->names);
    if (out->names == NULL) {
        CP_TRY(nomem(s, s->path, 0, err));
    }
    for (int32_t i = 0; i < n; i++) {
        node_rec *nr = &s->nodes[i];
        out->ids_int[i] = nr->num;
        out->names[i] = nr->name;
        nr->name = NULL;
        out->kind[i] = nr->kind;
        out->country[2 * i] = nr->country[0];
        out->country[2 * i + 1] = nr->country[1];
        out->designated[i] = 1;
    }
    int li[2];
    CP_TRY(cp__graph_add_layer(out, "linked", CP_MEANING_NONE, "", true, &li[LAYER_LINKED], err));
    CP_TRY(cp__graph_add_layer(out, "owner", CP_MEANING_NONE, "", true, &li[LAYER_OWNER], err));
    CP_TRY(cp__graph_alloc_edges(out, s->m, false, err));
    for (int64_t e = 0; e < s->m; e++) {
        out->src[e] = s->src[e];
        out->dst[e] = s->dst[e];
        out->layer[e] = (uint8_t)li[s->layer[e]];
        out->weight[e] = 1.0;
    }
    for (int64_t k = 0; k < s->groups.names.size; k++) {
        CP_TRY(cp__graph_add_group(out, s->groups.names.keys[k], s->groups.members[k],
                                   s->groups.size[k], err));
    }
    CP_TRY(cp__graph_finalize(out, err));
    *g = out;
    out = NULL;
cleanup:
    cp_graph_free(&out);
    return status;
}

static void state_destroy(sdn_state *s) {
    /* Entries 0..ids.size-1 hold a record, except the last when its row failed before the
     * record was made (reserve failed): the record count is min(ids.size, n_cap). */
    for (int64_t i = 0; s->nodes != NULL && i < s->ids.size && i < s->n_cap; i++) {
        cp__free(s->nodes[i].name);
    }
    cp__free(s->nodes);
    cp__idmap_destroy(&s->ids);
    cp__groupbuf_destroy(&s->groups);
    cp__idmap_destroy(&s->keys);
    cp__free(s->primary);
    cp__free(s->alias);
    for (int64_t i = 0; i < s->n_mentions; i++) {
        cp__free(s->mentions[i].text);
    }
    cp__free(s->mentions);
    cp__free(s->src);
    cp__free(s->dst);
    cp__free(s->layer);
}

cp_status cp_import_sdn(cp_graph **g, const char *sdn_path, const cp_sdn_options *o,
                        cp_sdn_report *rep, cp_error *err) {
    cp_status status = CP_OK;
    if (rep != NULL) {
        memset(rep, 0, sizeof *rep);
    }
    if (g == NULL || sdn_path == NULL) {
        return cp_error_set(err, CP_E_INVALID, "cp_import_sdn: g and sdn_path must not be NULL");
    }
    *g = NULL;
    cp_sdn_options defaults;
    memset(&defaults, 0, sizeof defaults);
    if (o == NULL) {
        o = &defaults;
    }
    sdn_state s;
    memset(&s, 0, sizeof s);
    s.path = sdn_path;
    s.enc = o->encoding;
    s.rep = rep;
    cp__idmap_init(&s.ids);
    cp__idmap_init(&s.keys);
    cp__groupbuf_init(&s.groups);
    CP_TRY(cp__groupbuf_declare(&s.groups, "designated", &s.designated_group, err));
    int64_t rows = 0;
    CP_TRY(read_rows(&s, sdn_path, SDN_FIELDS, sdn_columns, sdn_row_cb, &rows, err));
    if (rows == 0) {
        CP_TRY(cp_error_set(err, CP_E_FORMAT, "%s: no entries; expected rows of %d fields (%s)",
                            sdn_path, SDN_FIELDS, sdn_columns));
    }
    if (o->alt_path != NULL) {
        CP_TRY(read_rows(&s, o->alt_path, ALT_FIELDS,
                         "ent_num, alt_num, alt_type, alt_name, alt_remarks", alt_row, &rows, err));
    }
    if (o->add_path != NULL) {
        CP_TRY(read_rows(&s, o->add_path, ADD_FIELDS,
                         "ent_num, add_num, address, city/state/postal code, country, "
                         "add_remarks",
                         add_row, &rows, err));
    }
    CP_TRY(resolve(&s, err));
    CP_TRY(build(g, &s, err));
cleanup:
    state_destroy(&s);
    return status;
}

void cp_sdn_report_free(cp_sdn_report *rep) {
    if (rep == NULL) {
        return;
    }
    for (int64_t i = 0; i < rep->n_issues; i++) {
        cp__free(rep->issues[i].text);
        cp__free(rep->issues[i].candidates);
    }
    cp__free(rep->issues);
    memset(rep, 0, sizeof *rep);
}

/* ---- the report as CSV ------------------------------------------------------------------------
 */

static void put_quoted(FILE *f, const char *s) {
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"') {
            fputc('"', f);
        }
        fputc(*s, f);
    }
    fputc('"', f);
}

cp_status cp_sdn_report_write_csv(const cp_sdn_report *rep, const char *path, cp_error *err) {
    if (rep == NULL || path == NULL) {
        return cp_error_set(err, CP_E_INVALID, "cp_sdn_report_write_csv: NULL argument");
    }
    size_t len = strlen(path);
    char *tmp = cp__malloc(len + 5);
    if (tmp == NULL) {
        return cp_error_set(err, CP_E_NOMEM, "%s: out of memory", path);
    }
    memcpy(tmp, path, len);
    memcpy(tmp + len, ".tmp", 5);
    FILE *f = fopen(tmp, "wb");
    if (f == NULL) {
        cp_status st = cp_error_set(err, CP_E_IO, "%s: cannot create (%s)", tmp, strerror(errno));
        cp__free(tmp);
        return st;
    }
    fputs("entry,file,line,what,state,text,candidates\r\n", f);
    for (int64_t i = 0; i < rep->n_issues; i++) {
        const cp_sdn_issue *is = &rep->issues[i];
        fprintf(f, "%" PRId64 ",", is->entry);
        put_quoted(f, is->file != NULL ? is->file : "");
        fprintf(f, ",%" PRId64 ",%s,%s,", is->line, is->what, is->state);
        put_quoted(f, is->text);
        fputc(',', f);
        put_quoted(f, is->candidates);
        fputs("\r\n", f);
    }
    bool ok = fflush(f) == 0 && !ferror(f) && fsync(fileno(f)) == 0;
    int saved = errno;
    ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        if (ok) {
            saved = errno;
        }
        remove(tmp);
        cp__free(tmp);
        return cp_error_set(err, CP_E_IO, "%s: cannot write (%s)", path, strerror(saved));
    }
    cp__free(tmp);
    return CP_OK;
}

/* ---- country names ----------------------------------------------------------------------------
 */

/* OFAC's spellings (and a few common variants) of the countries that occur most in its address
 * file, with their ISO 3166-1 alpha-2 codes (looked up by a linear scan, case-insensitive). */
static const struct {
    const char *name, *code;
} countries[] = {
    {"Afghanistan", "AF"},
    {"Albania", "AL"},
    {"Algeria", "DZ"},
    {"Angola", "AO"},
    {"Argentina", "AR"},
    {"Armenia", "AM"},
    {"Australia", "AU"},
    {"Austria", "AT"},
    {"Azerbaijan", "AZ"},
    {"Bahamas, The", "BS"},
    {"Bahrain", "BH"},
    {"Bangladesh", "BD"},
    {"Belarus", "BY"},
    {"Belgium", "BE"},
    {"Belize", "BZ"},
    {"Bolivia", "BO"},
    {"Bosnia and Herzegovina", "BA"},
    {"Brazil", "BR"},
    {"British Virgin Islands", "VG"},
    {"Bulgaria", "BG"},
    {"Burma", "MM"},
    {"Burundi", "BI"},
    {"Cambodia", "KH"},
    {"Cameroon", "CM"},
    {"Canada", "CA"},
    {"Cayman Islands", "KY"},
    {"Central African Republic", "CF"},
    {"Chad", "TD"},
    {"Chile", "CL"},
    {"China", "CN"},
    {"Colombia", "CO"},
    {"Comoros", "KM"},
    {"Congo, Democratic Republic of the", "CD"},
    {"Congo, Republic of the", "CG"},
    {"Costa Rica", "CR"},
    {"Cote d'Ivoire", "CI"},
    {"Croatia", "HR"},
    {"Cuba", "CU"},
    {"Cyprus", "CY"},
    {"Czech Republic", "CZ"},
    {"Czechia", "CZ"},
    {"Denmark", "DK"},
    {"Djibouti", "DJ"},
    {"Dominica", "DM"},
    {"Dominican Republic", "DO"},
    {"Ecuador", "EC"},
    {"Egypt", "EG"},
    {"El Salvador", "SV"},
    {"Eritrea", "ER"},
    {"Estonia", "EE"},
    {"Ethiopia", "ET"},
    {"Finland", "FI"},
    {"France", "FR"},
    {"Gambia, The", "GM"},
    {"Georgia", "GE"},
    {"Germany", "DE"},
    {"Ghana", "GH"},
    {"Gibraltar", "GI"},
    {"Greece", "GR"},
    {"Guatemala", "GT"},
    {"Guernsey", "GG"},
    {"Guinea", "GN"},
    {"Haiti", "HT"},
    {"Honduras", "HN"},
    {"Hong Kong", "HK"},
    {"Hungary", "HU"},
    {"India", "IN"},
    {"Indonesia", "ID"},
    {"Iran", "IR"},
    {"Iraq", "IQ"},
    {"Ireland", "IE"},
    {"Isle of Man", "IM"},
    {"Israel", "IL"},
    {"Italy", "IT"},
    {"Japan", "JP"},
    {"Jersey", "JE"},
    {"Jordan", "JO"},
    {"Kazakhstan", "KZ"},
    {"Kenya", "KE"},
    {"Korea, North", "KP"},
    {"Korea, South", "KR"},
    {"Kosovo", "XK"},
    {"Kuwait", "KW"},
    {"Kyrgyzstan", "KG"},
    {"Laos", "LA"},
    {"Latvia", "LV"},
    {"Lebanon", "LB"},
    {"Liberia", "LR"},
    {"Libya", "LY"},
    {"Liechtenstein", "LI"},
    {"Lithuania", "LT"},
    {"Luxembourg", "LU"},
    {"Macau", "MO"},
    {"Malaysia", "MY"},
    {"Mali", "ML"},
    {"Malta", "MT"},
    {"Marshall Islands", "MH"},
    {"Mauritania", "MR"},
    {"Mexico", "MX"},
    {"Moldova", "MD"},
    {"Monaco", "MC"},
    {"Mongolia", "MN"},
    {"Montenegro", "ME"},
    {"Morocco", "MA"},
    {"Mozambique", "MZ"},
    {"Myanmar", "MM"},
    {"Namibia", "NA"},
    {"Netherlands", "NL"},
    {"New Zealand", "NZ"},
    {"Nicaragua", "NI"},
    {"Niger", "NE"},
    {"Nigeria", "NG"},
    {"North Korea", "KP"},
    {"North Macedonia, The Republic of", "MK"},
    {"Norway", "NO"},
    {"Oman", "OM"},
    {"Pakistan", "PK"},
    {"Palestinian", "PS"},
    {"Panama", "PA"},
    {"Paraguay", "PY"},
    {"Peru", "PE"},
    {"Philippines", "PH"},
    {"Poland", "PL"},
    {"Portugal", "PT"},
    {"Qatar", "QA"},
    {"Romania", "RO"},
    {"Russia", "RU"},
    {"Rwanda", "RW"},
    {"Saint Kitts and Nevis", "KN"},
    {"Saint Vincent and the Grenadines", "VC"},
    {"Samoa", "WS"},
    {"Saudi Arabia", "SA"},
    {"Senegal", "SN"},
    {"Serbia", "RS"},
    {"Seychelles", "SC"},
    {"Sierra Leone", "SL"},
    {"Singapore", "SG"},
    {"Slovakia", "SK"},
    {"Slovenia", "SI"},
    {"Somalia", "SO"},
    {"South Africa", "ZA"},
    {"South Korea", "KR"},
    {"South Sudan", "SS"},
    {"Spain", "ES"},
    {"Sri Lanka", "LK"},
    {"Sudan", "SD"},
    {"Sweden", "SE"},
    {"Switzerland", "CH"},
    {"Syria", "SY"},
    {"Taiwan", "TW"},
    {"Tajikistan", "TJ"},
    {"Tanzania", "TZ"},
    {"Thailand", "TH"},
    {"Togo", "TG"},
    {"Trinidad and Tobago", "TT"},
    {"Tunisia", "TN"},
    {"Turkey", "TR"},
    {"Turkmenistan", "TM"},
    {"Turkiye", "TR"},
    {"Uganda", "UG"},
    {"Ukraine", "UA"},
    {"United Arab Emirates", "AE"},
    {"United Kingdom", "GB"},
    {"United States", "US"},
    {"Uruguay", "UY"},
    {"Uzbekistan", "UZ"},
    {"Vanuatu", "VU"},
    {"Venezuela", "VE"},
    {"Vietnam", "VN"},
    {"West Bank", "PS"},
    {"Yemen", "YE"},
    {"Zambia", "ZM"},
    {"Zimbabwe", "ZW"},
};

const char *cp_sdn_country_code(const char *name) {
    if (name == NULL) {
        return NULL;
    }
    while (is_blank((unsigned char)*name)) {
        name++;
    }
    size_t len = strlen(name);
    while (len > 0 && is_blank((unsigned char)name[len - 1])) {
        len--;
    }
    for (size_t i = 0; i < sizeof countries / sizeof countries[0]; i++) {
        if (strncasecmp(countries[i].name, name, len) == 0 && countries[i].name[len] == '\0') {
            return countries[i].code;
        }
    }
    return NULL;
}
