/* Same-as merging (merge.h): union-find over the pairs, the smallest id of each class as its
 * representative, then a fresh graph with edges re-pointed. */
#include "merge.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "csv_reader.h"
#include "graph_impl.h"
#include "unionfind.h"

void cp_merge_record_free(cp_merge_record *r) {
    if (r == NULL) {
        return;
    }
    for (int64_t i = 0; r->id != NULL && i < r->n; i++) {
        cp__free(r->id[i]);
    }
    cp__free(r->id);
    cp__free(r->into);
    memset(r, 0, sizeof *r);
}

/* True when node i's id sorts before node j's. */
static bool id_less(const cp_graph *g, int32_t i, int32_t j) {
    if (g->ids_are_int) {
        return g->ids_int[i] < g->ids_int[j];
    }
    return strcmp(g->ids_str[i], g->ids_str[j]) < 0;
}

cp_status cp_graph_merge(cp_graph **out, cp_merge_record *rec, const cp_graph *g, const int32_t *a,
                         const int32_t *b, int64_t k, cp_error *err) {
    cp_status status = CP_OK;
    cp_graph *h = NULL;
    int32_t *parent = NULL, *size = NULL, *rep = NULL, *newidx = NULL, *members = NULL;
    if (out != NULL) {
        *out = NULL;
    }
    if (out == NULL || g == NULL || (k > 0 && (a == NULL || b == NULL)) || k < 0) {
        return cp_error_set(err, CP_E_INVALID,
                            "cp_graph_merge: out, g (and a, b when k > 0) are required");
    }
    int32_t n = g->n;
    for (int64_t i = 0; i < k; i++) {
        if (a[i] < 0 || a[i] >= n || b[i] < 0 || b[i] >= n) {
            return cp_error_set(err, CP_E_INVALID,
                                "cp_graph_merge: pair %" PRId64 " (%" PRId32 ", %" PRId32
                                ") names a node outside 0..%" PRId32,
                                i, a[i], b[i], n - 1);
        }
    }
    size_t nn = (size_t)(n > 0 ? n : 1);
    parent = cp__malloc_array(nn, sizeof *parent);
    size = cp__malloc_array(nn, sizeof *size);
    rep = cp__malloc_array(nn, sizeof *rep);
    newidx = cp__malloc_array(nn, sizeof *newidx);
    members = cp__malloc_array(nn, sizeof *members);
    if (parent == NULL || size == NULL || rep == NULL || newidx == NULL || members == NULL) {
        CP_TRY(cp_error_set(err, CP_E_NOMEM, "cp_graph_merge: out of memory for %" PRId32 " nodes",
                            n));
    }
    for (int32_t v = 0; v < n; v++) {
        parent[v] = v;
        size[v] = 1;
    }
    for (int64_t i = 0; i < k; i++) {
        cp__uf_union(parent, size, a[i], b[i]);
    }
    /* rep[root] = the member with the smallest id; newidx[root] = output index (order of first
     * member). Invariant after the loop: every root r has rep[r] and newidx[r] set. */
    int32_t n_out = 0;
    for (int32_t v = 0; v < n; v++) {
        size[v] = -1; /* reused: -1 = root not yet seen */
    }
    for (int32_t v = 0; v < n; v++) {
        int32_t r = cp__uf_find(parent, v);
        if (size[r] == -1) {
            size[r] = 0;
            rep[r] = v;
            newidx[r] = n_out++;
        } else if (id_less(g, v, rep[r])) {
            rep[r] = v;
        }
    }
    CP_TRY(cp_graph_new(&h, err));
    CP_TRY(cp__graph_alloc_nodes(h, n_out, g->ids_are_int, err));
    if (g->names != NULL) {
        h->names = cp__calloc((size_t)(n_out > 0 ? n_out : 1), sizeof *h->names);
        if (h->names == NULL) {
            CP_TRY(cp_error_set(err, CP_E_NOMEM, "cp_graph_merge: out of memory for names"));
        }
    }
    /* First the representatives' attributes, then fill what is still unknown in node order. */
    for (int32_t v = 0; v < n; v++) {
        int32_t r = cp__uf_find(parent, v);
        if (rep[r] != v) {
            continue;
        }
        int32_t o = newidx[r];
        if (g->ids_are_int) {
            h->ids_int[o] = g->ids_int[v];
        } else {
            h->ids_str[o] = cp__strdup(g->ids_str[v]);
            if (h->ids_str[o] == NULL) {
                CP_TRY(cp_error_set(err, CP_E_NOMEM, "cp_graph_merge: out of memory for ids"));
            }
        }
        h->kind[o] = g->kind[v];
        h->country[2 * o] = g->country[2 * v];
        h->country[2 * o + 1] = g->country[2 * v + 1];
        if (g->names != NULL && g->names[v] != NULL) {
            h->names[o] = cp__strdup(g->names[v]);
            if (h->names[o] == NULL) {
                CP_TRY(cp_error_set(err, CP_E_NOMEM, "cp_graph_merge: out of memory for names"));
            }
        }
    }
    int64_t n_merged = 0;
    for (int32_t v = 0; v < n; v++) {
        int32_t r = cp__uf_find(parent, v);
        int32_t o = newidx[r];
        members[v] = o;
        h->designated[o] = (uint8_t)(h->designated[o] | g->designated[v]);
        if (rep[r] == v) {
            continue;
        }
        n_merged++;
        if (h->kind[o] == CP_KIND_OTHER) {
            h->kind[o] = g->kind[v];
        }
        if (h->country[2 * o] == '\0') {
            h->country[2 * o] = g->country[2 * v];
            h->country[2 * o + 1] = g->country[2 * v + 1];
        }
        if (g->names != NULL && h->names[o] == NULL && g->names[v] != NULL) {
            h->names[o] = cp__strdup(g->names[v]);
            if (h->names[o] == NULL) {
                CP_TRY(cp_error_set(err, CP_E_NOMEM, "cp_graph_merge: out of memory for names"));
            }
        }
    }
    if (g->description != NULL) {
        h->description = cp__strdup(g->description);
        if (h->description == NULL) {
            CP_TRY(cp_error_set(err, CP_E_NOMEM, "cp_graph_merge: out of memory"));
        }
    }
    for (int l = 0; l < g->n_layers; l++) {
        int li;
        CP_TRY(cp__graph_add_layer(h, g->layers[l].name, g->layers[l].meaning, g->layers[l].units,
                                   g->layers[l].directed, &li, err));
    }
    CP_TRY(cp__graph_alloc_edges(h, g->m, g->time != NULL, err));
    int64_t loops = 0;
    for (int64_t e = 0; e < g->m; e++) {
        h->src[e] = members[g->src[e]];
        h->dst[e] = members[g->dst[e]];
        loops += g->src[e] != g->dst[e] && h->src[e] == h->dst[e];
        h->layer[e] = g->layer[e];
        h->weight[e] = g->weight[e];
        if (g->time != NULL) {
            h->time[e] = g->time[e];
        }
    }
    for (int gi = 0; gi < g->n_groups; gi++) {
        const cp_group *gr = &g->groups[gi];
        int32_t *mapped = cp__malloc_array((size_t)(gr->size > 0 ? gr->size : 1), sizeof *mapped);
        if (mapped == NULL) {
            CP_TRY(cp_error_set(err, CP_E_NOMEM, "cp_graph_merge: out of memory for groups"));
        }
        for (int64_t i = 0; i < gr->size; i++) {
            mapped[i] = members[gr->members[i]];
        }
        status = cp__graph_add_group(h, gr->name, mapped, gr->size, err);
        cp__free(mapped);
        CP_TRY(status);
    }
    CP_TRY(cp__graph_finalize(h, err));
    if (rec != NULL) {
        cp_merge_record_free(rec);
        rec->id = cp__calloc((size_t)(n_merged > 0 ? n_merged : 1), sizeof *rec->id);
        rec->into = cp__malloc_array((size_t)(n_merged > 0 ? n_merged : 1), sizeof *rec->into);
        if (rec->id == NULL || rec->into == NULL) {
            CP_TRY(cp_error_set(err, CP_E_NOMEM, "cp_graph_merge: out of memory for the record"));
        }
        char buf[32];
        for (int32_t v = 0; v < n; v++) {
            int32_t r = cp__uf_find(parent, v);
            if (rep[r] == v) {
                continue;
            }
            const char *label =
                g->ids_are_int ? cp_graph_node_label(g, v, buf, sizeof buf) : g->ids_str[v];
            rec->id[rec->n] = cp__strdup(label);
            if (rec->id[rec->n] == NULL) {
                CP_TRY(cp_error_set(err, CP_E_NOMEM, "cp_graph_merge: out of memory"));
            }
            rec->into[rec->n++] = newidx[r];
        }
        rec->pairs = k;
        rec->self_loops = loops;
    }
    *out = h;
    h = NULL;
cleanup:
    if (status != CP_OK && rec != NULL) {
        cp_merge_record_free(rec);
    }
    cp_graph_free(&h);
    cp__free(parent);
    cp__free(size);
    cp__free(rep);
    cp__free(newidx);
    cp__free(members);
    return status;
}

/* Appends a pair to the growing arrays. */
static bool push_pair(int32_t **a, int32_t **b, int64_t *k, int64_t *cap, int32_t x, int32_t y) {
    if (*k == *cap) {
        int64_t c = *cap == 0 ? 256 : *cap * 2;
        int32_t *na = cp__realloc(*a, (size_t)c * sizeof *na);
        if (na == NULL) {
            return false;
        }
        *a = na;
        int32_t *nb = cp__realloc(*b, (size_t)c * sizeof *nb);
        if (nb == NULL) {
            return false;
        }
        *b = nb;
        *cap = c;
    }
    (*a)[*k] = x;
    (*b)[*k] = y;
    (*k)++;
    return true;
}

cp_status cp_graph_merge_same_as(cp_graph **out, cp_merge_record *rec, cp_graph *g,
                                 const char *path, cp_error *err) {
    cp_status status = CP_OK;
    cp__textin in;
    int32_t *a = NULL, *b = NULL;
    int64_t k = 0, cap = 0, unknown = 0, first_line = 0, rows = 0;
    char first_id[128] = "";
    memset(&in, 0, sizeof in);
    if (out != NULL) {
        *out = NULL;
    }
    if (out == NULL || g == NULL || path == NULL) {
        return cp_error_set(err, CP_E_INVALID,
                            "cp_graph_merge_same_as: out, g and path are required");
    }
    /* The delimiter: tab when the first line has a tab and no comma. */
    char delim = ',';
    {
        FILE *f = fopen(path, "rb");
        if (f != NULL) {
            int c;
            bool tab = false, comma = false;
            while ((c = fgetc(f)) != EOF && c != '\n') {
                tab = tab || c == '\t';
                comma = comma || c == ',';
            }
            fclose(f);
            if (tab && !comma) {
                delim = '\t';
            }
        }
    }
    CP_TRY(cp__textin_open(&in, path, err));
    for (;;) {
        bool got;
        CP_TRY(cp__csv_record(&in, delim, true, &got, err));
        if (!got) {
            break;
        }
        int64_t line = in.record_line;
        if (in.n_fields < 2) {
            CP_TRY(cp_error_set(err, CP_E_FORMAT,
                                "%s:%" PRId64 ": %d field%s; expected two ids (a pair of records "
                                "that are one entity)",
                                path, line, in.n_fields, in.n_fields == 1 ? "" : "s"));
        }
        const char *x = in.fields[0], *y = in.fields[1];
        int32_t i = cp_graph_find_node(g, x), j = cp_graph_find_node(g, y);
        rows++;
        if (rows == 1 && i < 0 && j < 0) {
            continue; /* a header */
        }
        if (x[0] == '\0' || y[0] == '\0') {
            CP_TRY(cp_error_set(err, CP_E_FORMAT, "%s:%" PRId64 ": empty id; expected two ids",
                                path, line));
        }
        if (i < 0 || j < 0) {
            if (unknown++ == 0) {
                first_line = line;
                snprintf(first_id, sizeof first_id, "%s", i < 0 ? x : y);
            }
            continue;
        }
        if (!push_pair(&a, &b, &k, &cap, i, j)) {
            CP_TRY(cp_error_set(err, CP_E_NOMEM, "%s:%" PRId64 ": out of memory", path, line));
        }
    }
    if (rows == 0) {
        CP_TRY(cp_error_set(err, CP_E_FORMAT,
                            "%s: no rows; expected a CSV of id pairs (two columns)", path));
    }
    CP_TRY(cp_graph_merge(out, rec, g, a, b, k, err));
    if (rec != NULL) {
        rec->pairs = k + unknown;
        rec->unknown = unknown;
        rec->first_unknown_line = first_line;
        snprintf(rec->first_unknown_id, sizeof rec->first_unknown_id, "%s", first_id);
    }
cleanup:
    cp__textin_close(&in);
    cp__free(a);
    cp__free(b);
    return status;
}
