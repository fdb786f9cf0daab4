/* The multilayer graph: construction, validation, lookup. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "graph_impl.h"

static const char *const kind_names[] = {"other",  "person",   "company",   "bank",
                                         "vessel", "aircraft", "government"};
static const char *const meaning_names[] = {"none", "share", "amount", "count", "length"};

const char *cp_node_kind_name(cp_node_kind k) {
    if ((unsigned)k < sizeof kind_names / sizeof kind_names[0]) {
        return kind_names[k];
    }
    return "other";
}

const char *cp_weight_meaning_name(cp_weight_meaning m) {
    if ((unsigned)m < sizeof meaning_names / sizeof meaning_names[0]) {
        return meaning_names[m];
    }
    return "none";
}

cp_status cp_node_kind_parse(const char *s, cp_node_kind *out) {
    for (unsigned i = 0; i < sizeof kind_names / sizeof kind_names[0]; i++) {
        if (strcmp(s, kind_names[i]) == 0) {
            *out = (cp_node_kind)i;
            return CP_OK;
        }
    }
    return CP_E_INVALID;
}

cp_status cp_weight_meaning_parse(const char *s, cp_weight_meaning *out) {
    for (unsigned i = 0; i < sizeof meaning_names / sizeof meaning_names[0]; i++) {
        if (strcmp(s, meaning_names[i]) == 0) {
            *out = (cp_weight_meaning)i;
            return CP_OK;
        }
    }
    return CP_E_INVALID;
}

cp_status cp_graph_new(cp_graph **g, cp_error *err) {
    *g = cp__calloc(1, sizeof **g);
    if (*g == NULL) {
        return cp_error_set(err, CP_E_NOMEM, "out of memory allocating a graph");
    }
    return CP_OK;
}

static void free_nodes(cp_graph *g) {
    if (g->ids_str != NULL) {
        for (int32_t i = 0; i < g->n; i++) {
            cp__free(g->ids_str[i]);
        }
    }
    if (g->names != NULL) {
        for (int32_t i = 0; i < g->n; i++) {
            cp__free(g->names[i]);
        }
    }
    cp__free(g->ids_str);
    cp__free(g->ids_int);
    cp__free(g->names);
    cp__free(g->kind);
    cp__free(g->country);
    cp__free(g->designated);
    g->ids_str = NULL;
    g->ids_int = NULL;
    g->names = NULL;
    g->kind = NULL;
    g->country = NULL;
    g->designated = NULL;
}

static void free_edges(cp_graph *g) {
    cp__free(g->src);
    cp__free(g->dst);
    cp__free(g->layer);
    cp__free(g->weight);
    cp__free(g->time);
    g->src = g->dst = NULL;
    g->layer = NULL;
    g->weight = NULL;
    g->time = NULL;
}

void cp_graph_free(cp_graph **gp) {
    if (gp == NULL || *gp == NULL) {
        return;
    }
    cp_graph *g = *gp;
    free_nodes(g);
    free_edges(g);
    for (int i = 0; i < g->n_layers; i++) {
        cp__free(g->layers[i].name);
        cp__free(g->layers[i].units);
    }
    for (int i = 0; i < g->n_groups; i++) {
        cp__free(g->groups[i].name);
        cp__free(g->groups[i].members);
    }
    cp__free(g->groups);
    cp__free(g->description);
    cp__idmap_destroy(&g->label_index);
    cp__free(g);
    *gp = NULL;
}

int32_t cp_graph_n(const cp_graph *g) {
    return g->n;
}

int64_t cp_graph_m(const cp_graph *g) {
    return g->m;
}

char *cp_graph_node_label(const cp_graph *g, int32_t i, char *buf, size_t size) {
    if (size == 0) {
        return buf;
    }
    if (i < 0 || i >= g->n) {
        snprintf(buf, size, "#%" PRId32, i);
    } else if (g->ids_are_int) {
        snprintf(buf, size, "%" PRId64, g->ids_int[i]);
    } else {
        snprintf(buf, size, "%s", g->ids_str[i] != NULL ? g->ids_str[i] : "");
    }
    return buf;
}

int32_t cp_graph_find_node(cp_graph *g, const char *label) {
    if (!g->label_index_built) {
        cp__idmap_destroy(&g->label_index);
        cp__idmap_init(&g->label_index);
        char buf[32];
        for (int32_t i = 0; i < g->n; i++) {
            const char *key =
                g->ids_are_int ? cp_graph_node_label(g, i, buf, sizeof buf) : g->ids_str[i];
            int32_t idx;
            bool inserted;
            if (cp__idmap_intern(&g->label_index, key, &idx, &inserted) != CP_OK) {
                cp__idmap_destroy(&g->label_index);
                return -1;
            }
        }
        g->label_index_built = true;
    }
    int32_t k = cp__idmap_find(&g->label_index, label);
    return k; /* keys were interned in node order, so key index = node index (first occurrence) */
}

/* Refuses, before anything is allocated, a graph that cannot fit in this machine's memory: a tiny
 * file may declare two billion nodes, and allocating (and then touching) that much would take the
 * machine down instead of failing. The estimate counts the graph's arrays and the views the
 * kernels build from them (about 64 bytes per node and per edge). */
static cp_status check_fits(int64_t n, int64_t m, cp_error *err) {
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    if (pages <= 0 || page <= 0) {
        return CP_OK;
    }
    double have = (double)pages * (double)page;
    double need = 64.0 * (double)n + 64.0 * (double)m;
    if (need > have) {
        return cp_error_set(err, CP_E_NOMEM,
                            "a graph of %" PRId64 " nodes and %" PRId64
                            " edges needs about %.1f GiB to analyse; this machine has %.1f GiB",
                            n, m, need / 1073741824.0, have / 1073741824.0);
    }
    return CP_OK;
}

cp_status cp__graph_alloc_nodes(cp_graph *g, int32_t n, bool ids_are_int, cp_error *err) {
    cp_status fits = check_fits(n, g->m, err);
    if (fits != CP_OK) {
        return fits;
    }
    free_nodes(g);
    g->label_index_built = false;
    g->n = n;
    g->ids_are_int = ids_are_int;
    size_t nn = (size_t)(n > 0 ? n : 0);
    if (ids_are_int) {
        g->ids_int = cp__calloc(nn, sizeof *g->ids_int);
    } else {
        g->ids_str = cp__calloc(nn, sizeof *g->ids_str);
    }
    g->kind = cp__calloc(nn, 1);
    g->country = cp__calloc(nn * 2 + 1, 1);
    g->designated = cp__calloc(nn, 1);
    if ((ids_are_int ? (void *)g->ids_int : (void *)g->ids_str) == NULL || g->kind == NULL ||
        g->country == NULL || g->designated == NULL) {
        free_nodes(g);
        g->n = 0;
        return cp_error_set(err, CP_E_NOMEM, "out of memory allocating %" PRId32 " nodes", n);
    }
    return CP_OK;
}

cp_status cp__graph_alloc_edges(cp_graph *g, int64_t m, bool with_time, cp_error *err) {
    cp_status fits = check_fits(g->n, m, err);
    if (fits != CP_OK) {
        return fits;
    }
    free_edges(g);
    g->m = m;
    size_t mm = (size_t)(m > 0 ? m : 0);
    g->src = cp__calloc(mm, sizeof *g->src);
    g->dst = cp__calloc(mm, sizeof *g->dst);
    g->layer = cp__calloc(mm, sizeof *g->layer);
    g->weight = cp__calloc(mm, sizeof *g->weight);
    if (with_time) {
        g->time = cp__calloc(mm, sizeof *g->time);
    }
    if (g->src == NULL || g->dst == NULL || g->layer == NULL || g->weight == NULL ||
        (with_time && g->time == NULL)) {
        free_edges(g);
        g->m = 0;
        return cp_error_set(err, CP_E_NOMEM, "out of memory allocating %" PRId64 " edges", m);
    }
    return CP_OK;
}

int cp__graph_find_layer(const cp_graph *g, const char *name) {
    for (int i = 0; i < g->n_layers; i++) {
        if (strcmp(g->layers[i].name, name) == 0) {
            return i;
        }
    }
    return -1;
}

const cp_group *cp__graph_find_group(const cp_graph *g, const char *name) {
    for (int i = 0; i < g->n_groups; i++) {
        if (strcmp(g->groups[i].name, name) == 0) {
            return &g->groups[i];
        }
    }
    return NULL;
}

cp_status cp__graph_add_layer(cp_graph *g, const char *name, cp_weight_meaning meaning,
                              const char *units, bool directed, int *index, cp_error *err) {
    if (name == NULL || name[0] == '\0') {
        return cp_error_set(err, CP_E_INVALID, "a layer needs a non-empty name");
    }
    if (cp__graph_find_layer(g, name) >= 0) {
        return cp_error_set(err, CP_E_INVALID, "layer '%s' is declared twice", name);
    }
    if (g->n_layers >= CP_MAX_LAYERS) {
        return cp_error_set(err, CP_E_INVALID, "layer '%s': at most %d layers are supported", name,
                            CP_MAX_LAYERS);
    }
    cp_layer *l = &g->layers[g->n_layers];
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
    *index = g->n_layers++;
    return CP_OK;
}

static int cmp_i32(const void *a, const void *b) {
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

cp_status cp__graph_add_group(cp_graph *g, const char *name, const int32_t *members, int64_t size,
                              cp_error *err) {
    for (int64_t i = 0; i < size; i++) {
        if (members[i] < 0 || members[i] >= g->n) {
            return cp_error_set(err, CP_E_INVALID,
                                "group '%s': member %" PRId32 " is not a node index (n = %" PRId32
                                ")",
                                name, members[i], g->n);
        }
    }
    cp_group *grp = (cp_group *)cp__graph_find_group(g, name);
    int64_t old = grp != NULL ? grp->size : 0;
    int32_t *mem = cp__malloc_array((size_t)(old + size), sizeof *mem);
    if (mem == NULL) {
        return cp_error_set(err, CP_E_NOMEM, "out of memory building group '%s'", name);
    }
    if (old > 0) {
        memcpy(mem, grp->members, (size_t)old * sizeof *mem);
    }
    if (size > 0) {
        memcpy(mem + old, members, (size_t)size * sizeof *mem);
    }
    int64_t total = old + size;
    qsort(mem, (size_t)total, sizeof *mem, cmp_i32);
    int64_t w = 0;
    for (int64_t i = 0; i < total; i++) {
        if (w == 0 || mem[w - 1] != mem[i]) {
            mem[w++] = mem[i];
        }
    }
    if (grp == NULL) {
        cp_group *groups = cp__realloc(g->groups, (size_t)(g->n_groups + 1) * sizeof *groups);
        if (groups == NULL) {
            cp__free(mem);
            return cp_error_set(err, CP_E_NOMEM, "out of memory building group '%s'", name);
        }
        g->groups = groups;
        grp = &g->groups[g->n_groups];
        grp->name = cp__strdup(name);
        if (grp->name == NULL) {
            cp__free(mem);
            return cp_error_set(err, CP_E_NOMEM, "out of memory building group '%s'", name);
        }
        grp->members = NULL;
        g->n_groups++;
    }
    cp__free(grp->members);
    grp->members = mem;
    grp->size = w;
    return CP_OK;
}

static int cmp_group(const void *a, const void *b) {
    return strcmp(((const cp_group *)a)->name, ((const cp_group *)b)->name);
}

cp_status cp__graph_finalize(cp_graph *g, cp_error *err) {
    /* Sort layers by name; remap edge layer indices through the permutation. */
    int order[CP_MAX_LAYERS];
    for (int i = 0; i < g->n_layers; i++) {
        order[i] = i;
    }
    for (int i = 1; i < g->n_layers; i++) { /* insertion sort: at most 64 layers */
        int v = order[i], j = i - 1;
        while (j >= 0 && strcmp(g->layers[order[j]].name, g->layers[v].name) > 0) {
            order[j + 1] = order[j];
            j--;
        }
        order[j + 1] = v;
    }
    uint8_t remap[CP_MAX_LAYERS];
    cp_layer sorted[CP_MAX_LAYERS];
    for (int i = 0; i < g->n_layers; i++) {
        remap[order[i]] = (uint8_t)i;
        sorted[i] = g->layers[order[i]];
    }
    for (int i = 0; i < g->n_layers; i++) {
        g->layers[i] = sorted[i];
    }
    for (int64_t e = 0; e < g->m; e++) {
        if (g->layer[e] < g->n_layers) {
            g->layer[e] = remap[g->layer[e]];
        }
    }
    if (g->n_groups > 1) {
        qsort(g->groups, (size_t)g->n_groups, sizeof *g->groups, cmp_group);
    }
    g->label_index_built = false;
    return cp__graph_validate(g, "graph", err);
}

cp_status cp__graph_validate(const cp_graph *g, const char *origin, cp_error *err) {
    if (g->n < 0 || g->m < 0) {
        return cp_error_set(err, CP_E_FORMAT, "%s: negative node or edge count", origin);
    }
    if (g->m > 0 && g->n_layers == 0) {
        return cp_error_set(err, CP_E_FORMAT, "%s: %" PRId64 " edges but no layer is declared",
                            origin, g->m);
    }
    for (int64_t e = 0; e < g->m; e++) {
        if (g->src[e] < 0 || g->src[e] >= g->n || g->dst[e] < 0 || g->dst[e] >= g->n) {
            return cp_error_set(err, CP_E_FORMAT,
                                "%s: edge %" PRId64 " (%" PRId32 " -> %" PRId32
                                ") has an endpoint outside 0..%" PRId32,
                                origin, e, g->src[e], g->dst[e], g->n - 1);
        }
        if (g->layer[e] >= g->n_layers) {
            return cp_error_set(err, CP_E_FORMAT,
                                "%s: edge %" PRId64 " names layer %u but only %d layers exist",
                                origin, e, (unsigned)g->layer[e], g->n_layers);
        }
        double w = g->weight[e];
        if (isnan(w)) {
            return cp_error_set(err, CP_E_FORMAT, "%s: edge %" PRId64 " has a NaN weight", origin,
                                e);
        }
        if (w < 0) {
            return cp_error_set(err, CP_E_FORMAT,
                                "%s: edge %" PRId64 " has a negative weight (%g); weights must be "
                                ">= 0",
                                origin, e, w);
        }
        if (isinf(w) && g->layers[g->layer[e]].meaning != CP_MEANING_LENGTH) {
            return cp_error_set(err, CP_E_FORMAT,
                                "%s: edge %" PRId64 " has an infinite weight on layer '%s'; +inf "
                                "is accepted only as a length",
                                origin, e, g->layers[g->layer[e]].name);
        }
    }
    for (int i = 0; i < g->n_groups; i++) {
        const cp_group *grp = &g->groups[i];
        for (int64_t k = 0; k < grp->size; k++) {
            if (grp->members[k] < 0 || grp->members[k] >= g->n ||
                (k > 0 && grp->members[k] <= grp->members[k - 1])) {
                return cp_error_set(err, CP_E_FORMAT,
                                    "%s: group '%s' entry %" PRId64
                                    " is out of range or not sorted",
                                    origin, grp->name, k);
            }
        }
    }
    return CP_OK;
}
