/* Node-set specifications: group:, country:, kind:, list:, ids:, top:, all, and unions. */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "chokepoint/nodeset.h"
#include "graph_impl.h"

void cp_nodeset_free(int32_t **nodes) {
    if (nodes != NULL) {
        cp__free(*nodes);
        *nodes = NULL;
    }
}

static cp_status mark_label(uint8_t *mark, cp_graph *g, const char *label, const char *what,
                            const char *file, long line, cp_error *err) {
    int32_t i = cp_graph_find_node(g, label);
    if (i < 0) {
        if (file != NULL) {
            return cp_error_set(err, CP_E_FORMAT,
                                "%s: %s line %ld: id '%s' is not a node of the graph", what, file,
                                line, label);
        }
        return cp_error_set(err, CP_E_FORMAT, "%s: id '%s' is not a node of the graph", what,
                            label);
    }
    mark[i] = 1;
    return CP_OK;
}

static void trim(char *s) {
    size_t len = strlen(s);
    while (len > 0 &&
           (s[len - 1] == '\n' || s[len - 1] == '\r' || s[len - 1] == ' ' || s[len - 1] == '\t')) {
        s[--len] = '\0';
    }
    size_t start = 0;
    while (s[start] == ' ' || s[start] == '\t') {
        start++;
    }
    if (start > 0) {
        memmove(s, s + start, len - start + 1);
    }
}

static cp_status mark_list_file(uint8_t *mark, cp_graph *g, const char *path, const char *what,
                                cp_error *err) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return cp_error_set(err, CP_E_IO, "%s: cannot open id list '%s'", what, path);
    }
    char *line = NULL;
    size_t cap = 0;
    long lineno = 0;
    cp_status status = CP_OK;
    while (getline(&line, &cap, f) >= 0) {
        lineno++;
        trim(line);
        if (line[0] == '\0' || line[0] == '#') {
            continue;
        }
        status = mark_label(mark, g, line, what, path, lineno, err);
        if (status != CP_OK) {
            break;
        }
    }
    free(line);
    fclose(f);
    return status;
}

typedef struct {
    double score;
    int32_t node;
} scored;

static int cmp_scored_desc(const void *a, const void *b) {
    const scored *x = a, *y = b;
    if (x->score != y->score) {
        return x->score < y->score ? 1 : -1;
    }
    return (x->node > y->node) - (x->node < y->node);
}

static cp_status mark_top(uint8_t *mark, const cp_graph *g, const char *measure, long k,
                          const char *what, cp_error *err) {
    int in = 0, out = 0, weighted = 0;
    if (strcmp(measure, "degree") == 0) {
        in = out = 1;
    } else if (strcmp(measure, "in-degree") == 0) {
        in = 1;
    } else if (strcmp(measure, "out-degree") == 0) {
        out = 1;
    } else if (strcmp(measure, "strength") == 0) {
        in = out = weighted = 1;
    } else if (strcmp(measure, "in-strength") == 0) {
        in = weighted = 1;
    } else if (strcmp(measure, "out-strength") == 0) {
        out = weighted = 1;
    } else {
        return cp_error_set(err, CP_E_INVALID,
                            "%s: top:%s: unknown measure (expected degree, in-degree, out-degree, "
                            "strength, in-strength or out-strength)",
                            what, measure);
    }
    scored *s = cp__malloc_array((size_t)g->n + 1, sizeof *s);
    if (s == NULL) {
        return cp_error_set(err, CP_E_NOMEM, "%s: out of memory", what);
    }
    for (int32_t i = 0; i < g->n; i++) {
        s[i].score = 0;
        s[i].node = i;
    }
    for (int64_t e = 0; e < g->m; e++) {
        double w = weighted ? g->weight[e] : 1.0;
        if (out) {
            s[g->src[e]].score += w;
        }
        if (in) {
            s[g->dst[e]].score += w;
        }
    }
    qsort(s, (size_t)g->n, sizeof *s, cmp_scored_desc);
    for (long i = 0; i < k && i < g->n; i++) {
        mark[s[i].node] = 1;
    }
    cp__free(s);
    return CP_OK;
}

static cp_status mark_term(uint8_t *mark, cp_graph *g, char *term, const char *what,
                           cp_error *err) {
    if (strcmp(term, "all") == 0) {
        memset(mark, 1, (size_t)g->n);
        return CP_OK;
    }
    char *colon = strchr(term, ':');
    if (colon == NULL) {
        return cp_error_set(err, CP_E_INVALID,
                            "%s: '%s' is not a node set (expected group:NAME, country:CC, "
                            "kind:KIND, list:FILE, ids:A,B, top:MEASURE:K or all)",
                            what, term);
    }
    *colon = '\0';
    const char *arg = colon + 1;
    if (strcmp(term, "group") == 0) {
        const cp_group *grp = cp__graph_find_group(g, arg);
        if (grp == NULL) {
            char known[512] = "";
            for (int i = 0; i < g->n_groups && strlen(known) < 400; i++) {
                strncat(known, i ? ", " : "", sizeof known - strlen(known) - 1);
                strncat(known, g->groups[i].name, sizeof known - strlen(known) - 1);
            }
            return cp_error_set(err, CP_E_INVALID, "%s: the graph has no group '%s' (it has: %s)",
                                what, arg, known[0] ? known : "none");
        }
        for (int64_t i = 0; i < grp->size; i++) {
            mark[grp->members[i]] = 1;
        }
        return CP_OK;
    }
    if (strcmp(term, "country") == 0) {
        if (strlen(arg) != 2) {
            return cp_error_set(err, CP_E_INVALID,
                                "%s: country:%s: expected a two-letter ISO 3166 code", what, arg);
        }
        for (int32_t i = 0; i < g->n; i++) {
            if (g->country[2 * i] == arg[0] && g->country[2 * i + 1] == arg[1]) {
                mark[i] = 1;
            }
        }
        return CP_OK;
    }
    if (strcmp(term, "kind") == 0) {
        cp_node_kind k;
        if (cp_node_kind_parse(arg, &k) != CP_OK) {
            return cp_error_set(err, CP_E_INVALID,
                                "%s: kind:%s: expected person, company, bank, vessel, aircraft, "
                                "government or other",
                                what, arg);
        }
        for (int32_t i = 0; i < g->n; i++) {
            if (g->kind[i] == k) {
                mark[i] = 1;
            }
        }
        return CP_OK;
    }
    if (strcmp(term, "list") == 0) {
        return mark_list_file(mark, g, arg, what, err);
    }
    if (strcmp(term, "ids") == 0) {
        char *copy = cp__strdup(arg);
        if (copy == NULL) {
            return cp_error_set(err, CP_E_NOMEM, "%s: out of memory", what);
        }
        cp_status st = CP_OK;
        char *save = NULL;
        for (char *tok = strtok_r(copy, ",", &save); tok != NULL;
             tok = strtok_r(NULL, ",", &save)) {
            st = mark_label(mark, g, tok, what, NULL, 0, err);
            if (st != CP_OK) {
                break;
            }
        }
        cp__free(copy);
        return st;
    }
    if (strcmp(term, "top") == 0) {
        const char *c2 = strrchr(arg, ':');
        if (c2 == NULL) {
            return cp_error_set(err, CP_E_INVALID, "%s: top:%s: expected top:MEASURE:K", what, arg);
        }
        char measure[64];
        size_t len = (size_t)(c2 - arg);
        if (len >= sizeof measure) {
            return cp_error_set(err, CP_E_INVALID, "%s: top:%s: measure name too long", what, arg);
        }
        memcpy(measure, arg, len);
        measure[len] = '\0';
        char *end = NULL;
        long k = strtol(c2 + 1, &end, 10);
        if (end == c2 + 1 || *end != '\0' || k < 0) {
            return cp_error_set(err, CP_E_INVALID, "%s: top:%s: K must be a non-negative integer",
                                what, arg);
        }
        return mark_top(mark, g, measure, k, what, err);
    }
    return cp_error_set(
        err, CP_E_INVALID,
        "%s: unknown node-set kind '%s:' (expected group, country, kind, list, ids, "
        "top or all)",
        what, term);
}

cp_status cp_nodeset_parse(int32_t **nodes, int64_t *count, cp_graph *g, const char *spec,
                           const char *what, cp_error *err) {
    cp_status status = CP_OK;
    uint8_t *mark = NULL;
    char *copy = NULL;
    *nodes = NULL;
    *count = 0;
    if (spec == NULL || spec[0] == '\0') {
        return cp_error_set(err, CP_E_INVALID, "%s: empty node set", what);
    }
    mark = cp__calloc((size_t)g->n + 1, 1);
    copy = cp__strdup(spec);
    if (mark == NULL || copy == NULL) {
        status = cp_error_set(err, CP_E_NOMEM, "%s: out of memory", what);
        goto cleanup;
    }
    /* Split on '+' (ids may not contain '+' inside a union). */
    char *p = copy;
    for (;;) {
        char *plus = strchr(p, '+');
        if (plus != NULL) {
            *plus = '\0';
        }
        CP_TRY(mark_term(mark, g, p, what, err));
        if (plus == NULL) {
            break;
        }
        p = plus + 1;
    }
    int64_t c = 0;
    for (int32_t i = 0; i < g->n; i++) {
        c += mark[i];
    }
    *nodes = cp__malloc_array((size_t)c + 1, sizeof **nodes);
    if (*nodes == NULL) {
        status = cp_error_set(err, CP_E_NOMEM, "%s: out of memory", what);
        goto cleanup;
    }
    c = 0;
    for (int32_t i = 0; i < g->n; i++) {
        if (mark[i]) {
            (*nodes)[c++] = i;
        }
    }
    *count = c;
cleanup:
    cp__free(mark);
    cp__free(copy);
    return status;
}
