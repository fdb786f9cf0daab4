/* ICIJ Offshore Leaks CSVs (icij.h): node files then the relationships file, read with the RFC 4180
 * reader (csv_reader.h) into the multi-layer builder (import_multi.h). */
#include "icij.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "alloc.h"
#include "csv_reader.h"
#include "ftm.h"

/* Index of column `name` (any case) in the header, or -1. */
static int column(char **header, int n, const char *name) {
    for (int i = 0; i < n; i++) {
        if (strcasecmp(header[i], name) == 0) {
            return i;
        }
    }
    return -1;
}

/* Copies the current record's fields as the header (cp__free each and the array). */
static cp_status copy_header(char ***out, int *n, cp__textin *in, cp_error *err) {
    *out = cp__calloc((size_t)(in->n_fields > 0 ? in->n_fields : 1), sizeof **out);
    if (*out == NULL) {
        return cp_error_set(err, CP_E_NOMEM, "%s: out of memory", in->path);
    }
    *n = in->n_fields;
    for (int i = 0; i < in->n_fields; i++) {
        (*out)[i] = cp__strdup(in->fields[i]);
        if ((*out)[i] == NULL) {
            return cp_error_set(err, CP_E_NOMEM, "%s: out of memory", in->path);
        }
    }
    return CP_OK;
}

static void free_header(char **h, int n) {
    for (int i = 0; h != NULL && i < n; i++) {
        cp__free(h[i]);
    }
    cp__free(h);
}

static cp_status missing_column(const char *path, const char *name, char **h, int n,
                                cp_error *err) {
    char list[600] = "";
    size_t k = 0;
    for (int i = 0; i < n && k + 4 < sizeof list; i++) {
        int w = snprintf(list + k, sizeof list - k, "%s'%s'", i > 0 ? ", " : "", h[i]);
        k += w > 0 ? (size_t)w : 0;
    }
    return cp_error_set(err, CP_E_FORMAT,
                        "%s:1: no column '%s'; expected an ICIJ Offshore Leaks header with it "
                        "(the header has %s)",
                        path, name, list);
}

/* Opens path, reads the header and checks the field count of each later row. */
static cp_status next_row(cp__textin *in, int n_header, bool *got, cp_error *err) {
    cp_status st = cp__csv_record(in, ',', false, got, err);
    if (st == CP_OK && *got && in->n_fields != n_header) {
        return cp_error_set(err, CP_E_FORMAT,
                            "%s:%" PRId64 ": %d fields; expected %d as in the header", in->path,
                            in->record_line, in->n_fields, n_header);
    }
    return st;
}

/* The group name `prefix` + text, '/' written '_'. */
static void group_name(char *out, size_t size, const char *prefix, const char *text) {
    snprintf(out, size, "%s%s", prefix, text);
    for (char *c = out; *c; c++) {
        if (*c == '/') {
            *c = '_';
        }
    }
}

/* The first usable country code of a ';'-separated list. */
static bool first_country(const char *list, char cc[2]) {
    char buf[8];
    const char *p = list;
    while (*p) {
        size_t k = 0;
        while (*p == ' ') {
            p++;
        }
        while (*p && *p != ';' && *p != ',') {
            if (k + 1 < sizeof buf) {
                buf[k] = *p;
            }
            k++;
            p++;
        }
        while (k > 0 && k < sizeof buf && buf[k - 1] == ' ') {
            k--;
        }
        if (k < sizeof buf) {
            buf[k] = '\0';
            if (cp__country_code(buf, cc)) {
                return true;
            }
        }
        if (*p) {
            p++;
        }
    }
    return false;
}

static const char *file_type(const char *path) {
    const char *base = strrchr(path, '/');
    base = base != NULL ? base + 1 : path;
    char low[256];
    size_t k = 0;
    for (; base[k] && k + 1 < sizeof low; k++) {
        low[k] = (char)tolower((unsigned char)base[k]);
    }
    low[k] = '\0';
    if (strstr(low, "entit") != NULL) {
        return "entity";
    }
    if (strstr(low, "officer") != NULL) {
        return "officer";
    }
    if (strstr(low, "intermediar") != NULL) {
        return "intermediary";
    }
    if (strstr(low, "address") != NULL) {
        return "address";
    }
    return "other";
}

static cp_status read_nodes(cp__mbuild *b, cp_import_report *r, const char *path, cp_error *err) {
    cp_status status = CP_OK;
    cp__textin in;
    char **h = NULL;
    int nh = 0;
    char *name = NULL;
    char group[300], tgroup[64];
    bool got;
    memset(&in, 0, sizeof in);
    const char *type = file_type(path);
    cp_node_kind kind = strcmp(type, "entity") == 0 ? CP_KIND_COMPANY : CP_KIND_OTHER;
    snprintf(tgroup, sizeof tgroup, "icij:%s", type);
    b->path = path; /* messages name this file */
    CP_TRY(cp__textin_open(&in, path, err));
    CP_TRY(cp__csv_record(&in, ',', false, &got, err));
    if (!got) {
        CP_TRY(
            cp_error_set(err, CP_E_FORMAT, "%s: empty file; expected a header with node_id", path));
    }
    CP_TRY(copy_header(&h, &nh, &in, err));
    int c_id = column(h, nh, "node_id"), c_name = column(h, nh, "name");
    int c_addr = column(h, nh, "address"), c_cc = column(h, nh, "country_codes");
    int c_countries = column(h, nh, "countries"), c_src = column(h, nh, "sourceID");
    if (c_id < 0) {
        CP_TRY(missing_column(path, "node_id", h, nh, err));
    }
    {
        int32_t gi;
        CP_TRY(cp__groupbuf_declare(&b->groups, tgroup, &gi, err));
    }
    for (;;) {
        CP_TRY(next_row(&in, nh, &got, err));
        if (!got) {
            break;
        }
        r->records++;
        int64_t line = in.record_line;
        const char *nm = c_name >= 0 ? in.fields[c_name] : "";
        if (nm[0] == '\0' && c_addr >= 0) {
            nm = in.fields[c_addr];
        }
        bool recoded = false;
        cp__free(name);
        name = cp__to_utf8(nm, &recoded);
        if (name == NULL) {
            CP_TRY(cp_error_set(err, CP_E_NOMEM, "%s:%" PRId64 ": out of memory", path, line));
        }
        r->recoded += recoded;
        char cc[2];
        bool have_cc = (c_cc >= 0 && first_country(in.fields[c_cc], cc)) ||
                       (c_countries >= 0 && first_country(in.fields[c_countries], cc));
        int32_t index;
        bool dup;
        CP_TRY(cp__mb_node(b, in.fields[c_id], kind, have_cc ? cc : NULL, name, line, &index, &dup,
                           err));
        r->duplicates += dup;
        CP_TRY(cp__mb_group_add(b, tgroup, index, err));
        if (c_src >= 0 && in.fields[c_src][0] != '\0') {
            bool rc = false;
            char *src = cp__to_utf8(in.fields[c_src], &rc);
            if (src == NULL) {
                CP_TRY(cp_error_set(err, CP_E_NOMEM, "%s:%" PRId64 ": out of memory", path, line));
            }
            group_name(group, sizeof group, "source:", src);
            cp__free(src);
            CP_TRY(cp__mb_group_add(b, group, index, err));
        }
    }
cleanup:
    cp__free(name);
    free_header(h, nh);
    cp__textin_close(&in);
    return status;
}

bool cp__icij_link_share(const char *link, double *lo, double *hi) {
    for (const char *pct = strchr(link, '%'); pct != NULL; pct = strchr(pct + 1, '%')) {
        /* Walk back over the number or range before the '%'. */
        const char *start = pct;
        while (start > link &&
               (isdigit((unsigned char)start[-1]) || start[-1] == '.' || start[-1] == ',' ||
                start[-1] == ' ' || start[-1] == '-' || start[-1] == '%')) {
            start--;
        }
        while (start < pct && !isdigit((unsigned char)*start)) {
            start++;
        }
        char buf[64];
        size_t len = (size_t)(pct - start) + 1;
        if (len < sizeof buf && start < pct) {
            memcpy(buf, start, len);
            buf[len] = '\0';
            if (cp__ftm_parse_share(buf, lo, hi)) {
                return true;
            }
        }
    }
    return false;
}

/* True when the text names a holder of shares. */
static bool names_owner(const char *link) {
    char low[256];
    size_t k = 0;
    for (; link[k] && k + 1 < sizeof low; k++) {
        low[k] = (char)tolower((unsigned char)link[k]);
    }
    low[k] = '\0';
    return strstr(low, "shareholder") != NULL || strstr(low, "owner") != NULL;
}

static cp_status read_relationships(cp__mbuild *b, cp_import_report *r, cp__tally *other,
                                    const char *path, cp_error *err) {
    cp_status status = CP_OK;
    cp__textin in;
    char **h = NULL;
    int nh = 0;
    bool got;
    memset(&in, 0, sizeof in);
    CP_TRY(cp__textin_open(&in, path, err));
    CP_TRY(cp__csv_record(&in, ',', false, &got, err));
    if (!got) {
        CP_TRY(cp_error_set(err, CP_E_FORMAT,
                            "%s: empty file; expected a header with node_id_start, node_id_end, "
                            "rel_type",
                            path));
    }
    CP_TRY(copy_header(&h, &nh, &in, err));
    int c_s = column(h, nh, "node_id_start"), c_d = column(h, nh, "node_id_end");
    int c_t = column(h, nh, "rel_type"), c_link = column(h, nh, "link");
    if (c_s < 0 || c_d < 0 || c_t < 0) {
        CP_TRY(missing_column(path,
                              c_s < 0   ? "node_id_start"
                              : c_d < 0 ? "node_id_end"
                                        : "rel_type",
                              h, nh, err));
    }
    for (;;) {
        CP_TRY(next_row(&in, nh, &got, err));
        if (!got) {
            break;
        }
        r->records++;
        int64_t line = in.record_line;
        char type[64];
        size_t k = 0;
        for (const char *p = in.fields[c_t]; *p && k + 1 < sizeof type; p++) {
            type[k++] = (char)tolower((unsigned char)*p);
        }
        type[k] = '\0';
        const char *link = c_link >= 0 ? in.fields[c_link] : "";
        int li;
        double w = 1.0, lo = 1.0, hi = 1.0;
        bool ranged = false;
        size_t tl = strlen(type);
        if (strcmp(type, "officer_of") == 0) {
            if (cp__icij_link_share(link, &lo, &hi) || names_owner(link)) {
                if (!cp__icij_link_share(link, &lo, &hi)) {
                    lo = 0.0;
                    hi = 1.0;
                    r->no_share++;
                }
                w = lo;
                ranged = lo != hi;
                CP_TRY(
                    cp__mb_layer_get(b, "ownership", CP_MEANING_SHARE, "fraction", true, &li, err));
            } else {
                CP_TRY(cp__mb_layer_get(b, "control", CP_MEANING_NONE, "", true, &li, err));
            }
        } else if (strcmp(type, "intermediary_of") == 0) {
            CP_TRY(cp__mb_layer_get(b, "intermediary", CP_MEANING_NONE, "", true, &li, err));
        } else if (strcmp(type, "registered_address") == 0) {
            CP_TRY(cp__mb_layer_get(b, "address", CP_MEANING_NONE, "", true, &li, err));
        } else if (strncmp(type, "same_", 5) == 0 && tl >= 7 && strcmp(type + tl - 3, "_as") == 0) {
            CP_TRY(cp__mb_layer_get(b, "same_as", CP_MEANING_NONE, "", false, &li, err));
        } else {
            CP_TRY(cp__tally_add(other, type[0] != '\0' ? type : "(empty)", err));
            CP_TRY(cp__mb_layer_get(b, "other", CP_MEANING_NONE, "", true, &li, err));
        }
        CP_TRY(cp__mb_edge(b, in.fields[c_s], in.fields[c_d], li, w, lo, hi, ranged, false, 0, line,
                           err));
    }
cleanup:
    free_header(h, nh);
    cp__textin_close(&in);
    return status;
}

static bool file_exists(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

cp_status cp_import_icij(cp_graph **g, cp_import_report *report, const cp_icij_options *o,
                         cp_error *err) {
    static const char *const standard[] = {"nodes-entities.csv", "nodes-officers.csv",
                                           "nodes-intermediaries.csv", "nodes-addresses.csv",
                                           "nodes-others.csv"};
    cp_status status = CP_OK;
    cp__mbuild b;
    cp__tally other;
    cp_import_report local;
    char path[4200], rel[4200];
    cp_import_report_init(&local);
    cp_import_report *r = report != NULL ? report : &local;
    if (g != NULL) {
        *g = NULL;
    }
    if (g == NULL || o == NULL || (o->dir == NULL && o->relationships == NULL) ||
        o->n_node_files < 0 || o->n_node_files > 16) {
        return cp_error_set(err, CP_E_INVALID,
                            "cp_import_icij: a graph, and a directory or a relationships file "
                            "(and at most 16 node files) are required");
    }
    cp_import_report_init(r);
    cp__mb_init(&b, o->dir != NULL ? o->dir : o->relationships);
    cp__tally_init(&other);
    if (o->dir != NULL) {
        for (size_t i = 0; i < sizeof standard / sizeof standard[0]; i++) {
            snprintf(path, sizeof path, "%s/%s", o->dir, standard[i]);
            if (!file_exists(path)) {
                cp__report_add(r, "  %s: not found (no nodes of that type)", path);
                continue;
            }
            CP_TRY(read_nodes(&b, r, path, err));
        }
    }
    for (int i = 0; i < o->n_node_files; i++) {
        CP_TRY(read_nodes(&b, r, o->node_files[i], err));
    }
    if (o->relationships != NULL) {
        snprintf(rel, sizeof rel, "%s", o->relationships);
    } else {
        snprintf(rel, sizeof rel, "%s/relationships.csv", o->dir);
        if (!file_exists(rel)) {
            CP_TRY(cp_error_set(err, CP_E_IO,
                                "%s: not found; expected the ICIJ relationships file in %s", rel,
                                o->dir));
        }
    }
    b.path = rel;
    CP_TRY(read_relationships(&b, r, &other, rel, err));
    cp__tally_report(&other, r, "relationship type on layer 'other'");
    if (r->recoded > 0) {
        cp__report_add(r, "  %" PRId64 " names were not UTF-8 and were read as Latin-1",
                       r->recoded);
    }
    CP_TRY(cp__mb_build(g, &b, r, err));
cleanup:
    cp__mb_destroy(&b);
    cp__tally_destroy(&other);
    cp_import_report_free(&local);
    return status;
}
