/* The multi-layer graph builder and the import report (import_multi.h). */
#include "import_multi.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "graph_impl.h"

/* How many unresolved references the report lists one by one. */
#define LIST_UNRESOLVED 10

/* ---- report ------------------------------------------------------------------------------- */

void cp_import_report_init(cp_import_report *r) {
    memset(r, 0, sizeof *r);
}

void cp_import_report_free(cp_import_report *r) {
    if (r == NULL) {
        return;
    }
    cp__free(r->share_lower);
    cp__free(r->share_upper);
    cp__free(r->text);
    memset(r, 0, sizeof *r);
}

void cp__report_add(cp_import_report *r, const char *fmt, ...) {
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (k < 0) {
        return;
    }
    size_t add = strlen(line);
    if (r->text_len + add + 2 > r->text_cap) {
        size_t cap = r->text_cap == 0 ? 1024 : r->text_cap * 2;
        while (cap < r->text_len + add + 2) {
            cap *= 2;
        }
        char *p = cp__realloc(r->text, cap);
        if (p == NULL) {
            return;
        }
        r->text = p;
        r->text_cap = cap;
    }
    memcpy(r->text + r->text_len, line, add);
    r->text_len += add;
    r->text[r->text_len++] = '\n';
    r->text[r->text_len] = '\0';
}

/* ---- tally -------------------------------------------------------------------------------- */

void cp__tally_init(cp__tally *t) {
    memset(t, 0, sizeof *t);
    cp__idmap_init(&t->names);
}

void cp__tally_destroy(cp__tally *t) {
    cp__idmap_destroy(&t->names);
    cp__free(t->count);
    memset(t, 0, sizeof *t);
}

cp_status cp__tally_add(cp__tally *t, const char *name, cp_error *err) {
    int32_t i;
    bool ins;
    if (t->names.size == t->cap) {
        int64_t cap = t->cap == 0 ? 16 : t->cap * 2;
        int64_t *c = cp__realloc(t->count, (size_t)cap * sizeof *c);
        if (c == NULL) {
            return cp_error_set(err, CP_E_NOMEM, "out of memory counting '%s'", name);
        }
        t->count = c;
        t->cap = cap;
    }
    if (cp__idmap_intern(&t->names, name, &i, &ins) != CP_OK) {
        return cp_error_set(err, CP_E_NOMEM, "out of memory counting '%s'", name);
    }
    if (ins) {
        t->count[i] = 0;
    }
    t->count[i]++;
    return CP_OK;
}

void cp__tally_report(const cp__tally *t, cp_import_report *r, const char *prefix) {
    for (int64_t i = 0; i < t->names.size; i++) {
        cp__report_add(r, "  %s '%s': %" PRId64, prefix, t->names.keys[i], t->count[i]);
    }
}

/* ---- builder ------------------------------------------------------------------------------ */

void cp__mb_init(cp__mbuild *b, const char *path) {
    memset(b, 0, sizeof *b);
    b->path = path;
    cp__idmap_init(&b->nodes);
    cp__idmap_init(&b->refs);
    cp__groupbuf_init(&b->groups);
}

void cp__mb_destroy(cp__mbuild *b) {
    for (int64_t i = 0; b->names != NULL && i < b->nodes.size; i++) {
        cp__free(b->names[i]);
    }
    cp__idmap_destroy(&b->nodes);
    cp__idmap_destroy(&b->refs);
    cp__free(b->kind);
    cp__free(b->country);
    cp__free(b->names);
    cp__free(b->designated);
    cp__free(b->esrc);
    cp__free(b->edst);
    cp__free(b->elayer);
    cp__free(b->w);
    cp__free(b->lo);
    cp__free(b->hi);
    cp__free(b->t);
    cp__free(b->eline);
    for (int i = 0; i < b->n_layers; i++) {
        cp__free(b->layers[i].name);
        cp__free(b->layers[i].units);
    }
    cp__groupbuf_destroy(&b->groups);
    cp__free(b->dref);
    cp__free(b->dgroup);
    cp__free(b->dline);
    memset(b, 0, sizeof *b);
}

/* Grows *p to cap elements of elem bytes; the old array stays valid on failure. */
static bool grow(void *p, int64_t cap, size_t elem) {
    void **pp = (void **)p;
    void *q = cp__realloc(*pp, (size_t)cap * elem);
    if (q == NULL) {
        return false;
    }
    *pp = q;
    return true;
}

cp_status cp__mb_node(cp__mbuild *b, const char *label, cp_node_kind kind, const char *country,
                      const char *name, int64_t line, int32_t *index, bool *dup, cp_error *err) {
    if (b->nodes.size == b->node_cap) {
        int64_t cap = b->node_cap == 0 ? 1024 : b->node_cap * 2;
        if (!grow(&b->kind, cap, 1) || !grow(&b->country, cap, 2) ||
            !grow(&b->names, cap, sizeof(char *)) || !grow(&b->designated, cap, 1)) {
            return cp_error_set(err, CP_E_NOMEM, "%s:%" PRId64 ": out of memory holding nodes",
                                b->path, line);
        }
        b->node_cap = cap;
    }
    bool inserted;
    int32_t i;
    cp_status st = cp__import_intern(&b->nodes, label, &i, &inserted, b->path, line, err);
    if (st != CP_OK) {
        return st;
    }
    if (inserted) {
        b->kind[i] = (uint8_t)kind;
        b->country[2 * i] = b->country[2 * i + 1] = '\0';
        b->names[i] = NULL;
        b->designated[i] = 0;
    }
    if (b->kind[i] == CP_KIND_OTHER) {
        b->kind[i] = (uint8_t)kind;
    }
    if (country != NULL && b->country[2 * i] == '\0') {
        b->country[2 * i] = country[0];
        b->country[2 * i + 1] = country[1];
    }
    if (name != NULL && name[0] != '\0' && b->names[i] == NULL) {
        b->names[i] = cp__strdup(name);
        if (b->names[i] == NULL) {
            return cp_error_set(err, CP_E_NOMEM, "%s:%" PRId64 ": out of memory holding names",
                                b->path, line);
        }
    }
    *index = i;
    *dup = !inserted;
    return CP_OK;
}

cp_status cp__mb_layer_get(cp__mbuild *b, const char *name, cp_weight_meaning meaning,
                           const char *units, bool directed, int *index, cp_error *err) {
    for (int i = 0; i < b->n_layers; i++) {
        if (strcmp(b->layers[i].name, name) == 0) {
            *index = i;
            return CP_OK;
        }
    }
    if (b->n_layers == CP_MAX_LAYERS) {
        return cp_error_set(err, CP_E_FORMAT,
                            "%s: layer '%s' would be layer %d; a graph holds at most %d layers",
                            b->path, name, CP_MAX_LAYERS + 1, CP_MAX_LAYERS);
    }
    cp__mb_layer *l = &b->layers[b->n_layers];
    l->name = cp__strdup(name);
    l->units = cp__strdup(units != NULL ? units : "");
    if (l->name == NULL || l->units == NULL) {
        cp__free(l->name);
        cp__free(l->units);
        l->name = l->units = NULL;
        return cp_error_set(err, CP_E_NOMEM, "out of memory adding layer '%s'", name);
    }
    l->meaning = meaning;
    l->directed = directed;
    *index = b->n_layers++;
    return CP_OK;
}

static cp_status intern_ref(cp__mbuild *b, const char *label, int64_t line, int32_t *ref,
                            cp_error *err) {
    bool ins;
    return cp__import_intern(&b->refs, label, ref, &ins, b->path, line, err);
}

cp_status cp__mb_edge(cp__mbuild *b, const char *src, const char *dst, int li, double w, double lo,
                      double hi, bool ranged, bool has_time, int64_t time, int64_t line,
                      cp_error *err) {
    if (b->m == b->ecap) {
        int64_t cap = b->ecap == 0 ? 1024 : b->ecap * 2;
        if (!grow(&b->esrc, cap, 4) || !grow(&b->edst, cap, 4) || !grow(&b->elayer, cap, 1) ||
            !grow(&b->w, cap, 8) || !grow(&b->lo, cap, 8) || !grow(&b->hi, cap, 8) ||
            !grow(&b->t, cap, 8) || !grow(&b->eline, cap, 8)) {
            return cp_error_set(err, CP_E_NOMEM, "%s:%" PRId64 ": out of memory holding edges",
                                b->path, line);
        }
        b->ecap = cap;
    }
    int32_t s, d;
    cp_status st = intern_ref(b, src, line, &s, err);
    if (st == CP_OK) {
        st = intern_ref(b, dst, line, &d, err);
    }
    if (st != CP_OK) {
        return st;
    }
    int64_t k = b->m++;
    b->esrc[k] = s;
    b->edst[k] = d;
    b->elayer[k] = (uint8_t)li;
    b->w[k] = w;
    b->lo[k] = ranged ? lo : w;
    b->hi[k] = ranged ? hi : w;
    b->t[k] = has_time ? time : CP_TIME_NONE;
    b->eline[k] = line;
    b->any_time = b->any_time || has_time;
    b->any_range = b->any_range || ranged;
    return CP_OK;
}

cp_status cp__mb_designate(cp__mbuild *b, const char *label, const char *group, int64_t line,
                           cp_error *err) {
    int32_t gi = -1, ref;
    if (group != NULL) {
        cp_status st = cp__groupbuf_declare(&b->groups, group, &gi, err);
        if (st != CP_OK) {
            return st;
        }
    }
    if (b->nd == b->dcap) {
        int64_t cap = b->dcap == 0 ? 256 : b->dcap * 2;
        if (!grow(&b->dref, cap, 4) || !grow(&b->dgroup, cap, 4) || !grow(&b->dline, cap, 8)) {
            return cp_error_set(err, CP_E_NOMEM, "%s:%" PRId64 ": out of memory", b->path, line);
        }
        b->dcap = cap;
    }
    cp_status st = intern_ref(b, label, line, &ref, err);
    if (st != CP_OK) {
        return st;
    }
    b->dref[b->nd] = ref;
    b->dgroup[b->nd] = gi;
    b->dline[b->nd] = line;
    b->nd++;
    return CP_OK;
}

cp_status cp__mb_group_add(cp__mbuild *b, const char *name, int32_t node, cp_error *err) {
    int32_t gi;
    cp_status st = cp__groupbuf_declare(&b->groups, name, &gi, err);
    if (st == CP_OK) {
        st = cp__groupbuf_add(&b->groups, gi, node, err);
    }
    return st;
}

cp_status cp__mb_build(cp_graph **g, cp__mbuild *b, cp_import_report *r, cp_error *err) {
    cp_status status = CP_OK;
    cp_graph *out = NULL;
    int32_t *map = NULL;
    int layer_index[CP_MAX_LAYERS];
    int32_t n = (int32_t)b->nodes.size;
    int64_t m = 0, listed = 0;
    *g = NULL;

    /* ref -> node index (-1 when the label is not a node). */
    map = cp__malloc_array((size_t)(b->refs.size > 0 ? b->refs.size : 1), sizeof *map);
    if (map == NULL) {
        CP_TRY(cp_error_set(err, CP_E_NOMEM, "%s: out of memory resolving ids", b->path));
    }
    for (int64_t i = 0; i < b->refs.size; i++) {
        map[i] = cp__idmap_find(&b->nodes, b->refs.keys[i]);
    }
    for (int64_t k = 0; k < b->m; k++) {
        int32_t s = map[b->esrc[k]], d = map[b->edst[k]];
        if (s >= 0 && d >= 0) {
            m++;
            continue;
        }
        r->unresolved++;
        if (listed++ < LIST_UNRESOLVED) {
            cp__report_add(
                r, "  %s:%" PRId64 ": relation to unknown id '%.80s' (on layer %s) dropped",
                b->path, b->eline[k], s < 0 ? b->refs.keys[b->esrc[k]] : b->refs.keys[b->edst[k]],
                b->layers[b->elayer[k]].name);
        }
    }
    for (int64_t k = 0; k < b->nd; k++) {
        int32_t v = map[b->dref[k]];
        if (v < 0) {
            r->unresolved++;
            if (listed++ < LIST_UNRESOLVED) {
                cp__report_add(r, "  %s:%" PRId64 ": designation of unknown id '%.80s' dropped",
                               b->path, b->dline[k], b->refs.keys[b->dref[k]]);
            }
            continue;
        }
        b->designated[v] = 1;
        if (b->dgroup[k] >= 0) {
            CP_TRY(cp__groupbuf_add(&b->groups, b->dgroup[k], v, err));
        }
    }
    if (listed > LIST_UNRESOLVED) {
        cp__report_add(r, "  ... and %" PRId64 " more unresolved references",
                       listed - LIST_UNRESOLVED);
    }

    CP_TRY(cp_graph_new(&out, err));
    bool as_int = true;
    for (int32_t i = 0; i < n && as_int; i++) {
        int64_t v;
        as_int = cp__parse_int64_label(b->nodes.keys[i], &v);
    }
    CP_TRY(cp__graph_alloc_nodes(out, n, as_int, err));
    bool any_name = false;
    for (int32_t i = 0; i < n; i++) {
        if (as_int) {
            cp__parse_int64_label(b->nodes.keys[i], &out->ids_int[i]);
        } else {
            out->ids_str[i] = b->nodes.keys[i];
            b->nodes.keys[i] = NULL;
        }
        out->kind[i] = b->kind[i];
        out->country[2 * i] = b->country[2 * i];
        out->country[2 * i + 1] = b->country[2 * i + 1];
        out->designated[i] = b->designated[i];
        any_name = any_name || b->names[i] != NULL;
    }
    if (any_name) {
        out->names = cp__calloc((size_t)n, sizeof *out->names);
        if (out->names == NULL) {
            CP_TRY(cp_error_set(err, CP_E_NOMEM, "%s: out of memory for names", b->path));
        }
        for (int32_t i = 0; i < n; i++) {
            out->names[i] = b->names[i];
            b->names[i] = NULL;
        }
    }
    for (int i = 0; i < b->n_layers; i++) {
        CP_TRY(cp__graph_add_layer(out, b->layers[i].name, b->layers[i].meaning, b->layers[i].units,
                                   b->layers[i].directed, &layer_index[i], err));
    }
    CP_TRY(cp__graph_alloc_edges(out, m, b->any_time, err));
    if (b->any_range) {
        r->share_lower = cp__malloc_array((size_t)(m > 0 ? m : 1), sizeof(double));
        r->share_upper = cp__malloc_array((size_t)(m > 0 ? m : 1), sizeof(double));
        if (r->share_lower == NULL || r->share_upper == NULL) {
            CP_TRY(cp_error_set(err, CP_E_NOMEM, "%s: out of memory for share bounds", b->path));
        }
        r->m = m;
    }
    int64_t e = 0;
    for (int64_t k = 0; k < b->m; k++) {
        int32_t s = map[b->esrc[k]], d = map[b->edst[k]];
        if (s < 0 || d < 0) {
            continue;
        }
        out->src[e] = s;
        out->dst[e] = d;
        out->layer[e] = (uint8_t)layer_index[b->elayer[k]];
        out->weight[e] = b->w[k];
        if (b->any_time) {
            out->time[e] = b->t[k];
        }
        if (b->any_range) {
            r->share_lower[e] = b->lo[k];
            r->share_upper[e] = b->hi[k];
        }
        e++;
    }
    for (int64_t k = 0; k < b->groups.names.size; k++) {
        CP_TRY(cp__graph_add_group(out, b->groups.names.keys[k], b->groups.members[k],
                                   b->groups.size[k], err));
    }
    CP_TRY(cp__graph_finalize(out, err));
    r->nodes = n;
    r->edges = m;
    *g = out;
    out = NULL;
cleanup:
    if (status != CP_OK) {
        cp__free(r->share_lower);
        cp__free(r->share_upper);
        r->share_lower = r->share_upper = NULL;
        r->m = 0;
    }
    cp__free(map);
    cp_graph_free(&out);
    return status;
}

/* ---- text helpers ------------------------------------------------------------------------- */

char *cp__to_utf8(const char *text, bool *recoded) {
    if (cp__utf8_valid(text)) {
        return cp__strdup(text);
    }
    *recoded = true;
    size_t n = strlen(text);
    char *out = cp__malloc(2 * n + 1);
    if (out == NULL) {
        return NULL;
    }
    size_t k = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if (*p < 0x80) {
            out[k++] = (char)*p;
        } else {
            out[k++] = (char)(0xC0 | (*p >> 6));
            out[k++] = (char)(0x80 | (*p & 0x3F));
        }
    }
    out[k] = '\0';
    return out;
}

/* ISO 3166-1 alpha-3 followed by alpha-2, sorted by alpha-3 (from the standard's code list). */
static const char iso3166[] = "ABWAWAFGAFAGOAOAIAAIALAAXALBALANDADAREAEARGARARMAMASMASATAAQATFTFATG"
                              "AGAUSAUAUTATAZEAZBDIBIBELBE"
                              "BENBJBESBQBFABFBGDBDBGRBGBHRBHBHSBSBIHBABLMBLBLRBYBLZBZBMUBMBOLBOBRA"
                              "BRBRBBBBRNBNBTNBTBVTBVBWABW"
                              "CAFCFCANCACCKCCCHECHCHLCLCHNCNCIVCICMRCMCODCDCOGCGCOKCKCOLCOCOMKMCPV"
                              "CVCRICRCUBCUCUWCWCXRCXCYMKY"
                              "CYPCYCZECZDEUDEDJIDJDMADMDNKDKDOMDODZADZECUECEGYEGERIERESHEHESPESEST"
                              "EEETHETFINFIFJIFJFLKFKFRAFR"
                              "FROFOFSMFMGABGAGBRGBGEOGEGGYGGGHAGHGIBGIGINGNGLPGPGMBGMGNBGWGNQGQGRC"
                              "GRGRDGDGRLGLGTMGTGUFGFGUMGU"
                              "GUYGYHKGHKHMDHMHNDHNHRVHRHTIHTHUNHUIDNIDIMNIMINDINIOTIOIRLIEIRNIRIRQ"
                              "IQISLISISRILITAITJAMJMJEYJE"
                              "JORJOJPNJPKAZKZKENKEKGZKGKHMKHKIRKIKNAKNKORKRKWTKWLAOLALBNLBLBRLRLBY"
                              "LYLCALCLIELILKALKLSOLSLTULT"
                              "LUXLULVALVMACMOMAFMFMARMAMCOMCMDAMDMDGMGMDVMVMEXMXMHLMHMKDMKMLIMLMLT"
                              "MTMMRMMMNEMEMNGMNMNPMPMOZMZ"
                              "MRTMRMSRMSMTQMQMUSMUMWIMWMYSMYMYTYTNAMNANCLNCNERNENFKNFNGANGNICNINIU"
                              "NUNLDNLNORNONPLNPNRUNRNZLNZ"
                              "OMNOMPAKPKPANPAPCNPNPERPEPHLPHPLWPWPNGPGPOLPLPRIPRPRKKPPRTPTPRYPYPSE"
                              "PSPYFPFQATQAREUREROURORUSRU"
                              "RWARWSAUSASDNSDSENSNSGPSGSGSGSSHNSHSJMSJSLBSBSLESLSLVSVSMRSMSOMSOSPM"
                              "PMSRBRSSSDSSSTPSTSURSRSVKSK"
                              "SVNSISWESESWZSZSXMSXSYCSCSYRSYTCATCTCDTDTGOTGTHATHTJKTJTKLTKTKMTMTLS"
                              "TLTONTOTTOTTTUNTNTURTRTUVTV"
                              "TWNTWTZATZUGAUGUKRUAUMIUMURYUYUSAUSUZBUZVATVAVCTVCVENVEVGBVGVIRVIVNM"
                              "VNVUTVUWLFWFWSMWSYEMYEZAFZA"
                              "ZMBZMZWEZW";

static char upper(char c) {
    return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

static bool is_alpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool cp__country_code(const char *text, char out[2]) {
    size_t n = strlen(text);
    if (n == 2 && is_alpha(text[0]) && is_alpha(text[1])) {
        out[0] = upper(text[0]);
        out[1] = upper(text[1]);
        return true;
    }
    if (n != 3 || !is_alpha(text[0]) || !is_alpha(text[1]) || !is_alpha(text[2])) {
        return false;
    }
    char key[3] = {upper(text[0]), upper(text[1]), upper(text[2])};
    size_t lo = 0, hi = (sizeof iso3166 - 1) / 5;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = memcmp(iso3166 + 5 * mid, key, 3);
        if (c == 0) {
            out[0] = iso3166[5 * mid + 3];
            out[1] = iso3166[5 * mid + 4];
            return true;
        }
        if (c < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return false;
}
