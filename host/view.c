/* Materialising views as CSR / CSC by counting sort: stable, O(n + m), deterministic. */
#include <inttypes.h>
#include <string.h>

#include "alloc.h"
#include "chokepoint/view.h"
#include "graph_impl.h"

void cp_view_free(cp_view **vp) {
    if (vp == NULL || *vp == NULL) {
        return;
    }
    cp_view *v = *vp;
    if (v->rev_offsets != v->offsets) {
        cp__free(v->rev_offsets);
        cp__free(v->rev_indices);
        cp__free(v->rev_weights);
        cp__free(v->rev_edge_ids);
    }
    cp__free(v->offsets);
    cp__free(v->indices);
    cp__free(v->weights);
    cp__free(v->edge_ids);
    cp__free(v);
    *vp = NULL;
}

/* Builds CSR rows from (tail, head, weight, id) arrays: rows keyed by tail, each row sorted by
 * head then by position in the input (two stable counting sorts). With collapse, runs of equal
 * heads in a row merge into one entry whose weight is the sum. */
static cp_status build_csr(int32_t n, int64_t m, const int32_t *tail, const int32_t *head,
                           const double *w, const int64_t *id, bool collapse, int64_t **offsets_out,
                           int32_t **indices_out, double **weights_out, int64_t **ids_out,
                           int64_t *m_out) {
    cp_status status = CP_OK;
    int64_t *count = cp__calloc((size_t)n + 1, sizeof *count);
    int64_t *by_head = cp__malloc_array((size_t)m, sizeof *by_head);
    int64_t *offsets = cp__calloc((size_t)n + 1, sizeof *offsets);
    int32_t *indices = cp__malloc_array((size_t)m, sizeof *indices);
    double *weights = cp__malloc_array((size_t)m, sizeof *weights);
    int64_t *ids = cp__malloc_array((size_t)m, sizeof *ids);
    if (count == NULL || by_head == NULL || offsets == NULL || indices == NULL || weights == NULL ||
        ids == NULL) {
        status = CP_E_NOMEM;
        goto cleanup;
    }
    /* Pass 1: order edge positions by head (stable). */
    for (int64_t e = 0; e < m; e++) {
        count[head[e] + 1]++;
    }
    for (int32_t i = 0; i < n; i++) {
        count[i + 1] += count[i];
    }
    for (int64_t e = 0; e < m; e++) {
        by_head[count[head[e]]++] = e;
    }
    /* Pass 2: stable by tail over that order, so each row is sorted by head, then input order. */
    for (int64_t e = 0; e < m; e++) {
        offsets[tail[e] + 1]++;
    }
    for (int32_t i = 0; i < n; i++) {
        offsets[i + 1] += offsets[i];
    }
    memset(count, 0, ((size_t)n + 1) * sizeof *count);
    for (int64_t k = 0; k < m; k++) {
        int64_t e = by_head[k];
        int64_t pos = offsets[tail[e]] + count[tail[e]]++;
        indices[pos] = head[e];
        weights[pos] = w != NULL ? w[e] : 1.0;
        ids[pos] = id != NULL ? id[e] : e;
    }
    int64_t out_m = m;
    if (collapse) {
        int64_t wpos = 0;
        int64_t start = 0;
        for (int32_t u = 0; u < n; u++) {
            int64_t end = offsets[u + 1];
            offsets[u] = wpos;
            for (int64_t k = start; k < end; k++) {
                if (k > start && indices[k] == indices[wpos - 1] && wpos > offsets[u]) {
                    weights[wpos - 1] += weights[k];
                } else {
                    indices[wpos] = indices[k];
                    weights[wpos] = weights[k];
                    ids[wpos] = ids[k];
                    wpos++;
                }
            }
            start = end;
        }
        offsets[n] = wpos;
        out_m = wpos;
    }
    *offsets_out = offsets;
    *indices_out = indices;
    *weights_out = weights;
    *ids_out = ids;
    *m_out = out_m;
    offsets = NULL;
    indices = NULL;
    weights = NULL;
    ids = NULL;
cleanup:
    cp__free(count);
    cp__free(by_head);
    cp__free(offsets);
    cp__free(indices);
    cp__free(weights);
    cp__free(ids);
    return status;
}

cp_status cp_view_from_edges(cp_view **vp, int32_t n, int64_t m, const int32_t *src,
                             const int32_t *dst, const double *w, const uint8_t *keep,
                             cp_direction direction, cp_multi multi, cp_error *err) {
    cp_status status = CP_OK;
    cp_view *v = NULL;
    int32_t *tail = NULL, *head = NULL;
    double *wt = NULL;
    int64_t *id = NULL;
    *vp = NULL;

    int64_t kept = 0;
    int64_t loops = 0;
    for (int64_t e = 0; e < m; e++) {
        if (keep == NULL || keep[e]) {
            kept++;
            loops += src[e] == dst[e];
        }
    }
    int64_t cap = direction == CP_DIR_SYMMETRIC ? 2 * kept - loops : kept;
    v = cp__calloc(1, sizeof *v);
    tail = cp__malloc_array((size_t)cap, sizeof *tail);
    head = cp__malloc_array((size_t)cap, sizeof *head);
    wt = cp__malloc_array((size_t)cap, sizeof *wt);
    id = cp__malloc_array((size_t)cap, sizeof *id);
    if (v == NULL || tail == NULL || head == NULL || wt == NULL || id == NULL) {
        status = cp_error_set(err, CP_E_NOMEM, "out of memory building a view of %" PRId64 " edges",
                              cap);
        goto cleanup;
    }
    int64_t k = 0;
    for (int64_t e = 0; e < m; e++) {
        if (keep != NULL && !keep[e]) {
            continue;
        }
        int32_t a = direction == CP_DIR_REVERSED ? dst[e] : src[e];
        int32_t b = direction == CP_DIR_REVERSED ? src[e] : dst[e];
        double we = w != NULL ? w[e] : 1.0;
        tail[k] = a;
        head[k] = b;
        wt[k] = we;
        id[k] = e;
        k++;
        if (direction == CP_DIR_SYMMETRIC && a != b) {
            tail[k] = b;
            head[k] = a;
            wt[k] = we;
            id[k] = e;
            k++;
        }
    }
    v->n = n;
    v->directed = direction != CP_DIR_SYMMETRIC;
    bool collapse = multi == CP_MULTI_COLLAPSE;
    status = build_csr(n, cap, tail, head, wt, id, collapse, &v->offsets, &v->indices, &v->weights,
                       &v->edge_ids, &v->m);
    if (status != CP_OK) {
        cp_error_set(err, status, "out of memory building a view of %" PRId64 " edges", cap);
        goto cleanup;
    }
    if (v->directed) {
        int64_t rm = 0;
        status = build_csr(n, cap, head, tail, wt, id, collapse, &v->rev_offsets, &v->rev_indices,
                           &v->rev_weights, &v->rev_edge_ids, &rm);
        if (status != CP_OK) {
            cp_error_set(err, status, "out of memory building a view of %" PRId64 " edges", cap);
            goto cleanup;
        }
    } else {
        v->rev_offsets = v->offsets;
        v->rev_indices = v->indices;
        v->rev_weights = v->weights;
        v->rev_edge_ids = v->edge_ids;
    }
    *vp = v;
    v = NULL;
cleanup:
    cp_view_free(&v);
    cp__free(tail);
    cp__free(head);
    cp__free(wt);
    cp__free(id);
    return status;
}

cp_status cp_view_build(cp_view **vp, const cp_graph *g, const cp_view_spec *spec, cp_error *err) {
    *vp = NULL;
    uint64_t mask = spec->layer_mask;
    uint64_t all = g->n_layers >= 64 ? ~0ULL : ((1ULL << g->n_layers) - 1);
    if (mask == 0) {
        mask = all;
    }
    if (g->m > 0 && (mask & all) == 0) {
        return cp_error_set(err, CP_E_INVALID, "the view selects no layer of the graph");
    }
    uint8_t *keep = cp__malloc_array((size_t)g->m, 1);
    if (keep == NULL) {
        return cp_error_set(err, CP_E_NOMEM, "out of memory building a view");
    }
    for (int64_t e = 0; e < g->m; e++) {
        keep[e] = (uint8_t)((mask >> g->layer[e]) & 1);
    }
    cp_status st = cp_view_from_edges(vp, g->n, g->m, g->src, g->dst, g->weight, keep,
                                      spec->direction, spec->multi, err);
    cp__free(keep);
    return st;
}

cp_status cp_view_parse_layers(const cp_graph *g, const char *list, uint64_t *mask, cp_error *err) {
    *mask = 0;
    if (list == NULL || list[0] == '\0' || strcmp(list, "all") == 0) {
        return CP_OK;
    }
    const char *p = list;
    while (*p) {
        const char *comma = strchr(p, ',');
        size_t len = comma != NULL ? (size_t)(comma - p) : strlen(p);
        char name[256];
        if (len >= sizeof name) {
            return cp_error_set(err, CP_E_INVALID, "--layers: layer name too long");
        }
        memcpy(name, p, len);
        name[len] = '\0';
        int li = cp__graph_find_layer(g, name);
        if (li < 0) {
            char known[512] = "";
            for (int i = 0; i < g->n_layers; i++) {
                strncat(known, i ? ", " : "", sizeof known - strlen(known) - 1);
                strncat(known, g->layers[i].name, sizeof known - strlen(known) - 1);
            }
            return cp_error_set(err, CP_E_INVALID,
                                "--layers: the graph has no layer '%s' (it has: %s)", name, known);
        }
        *mask |= 1ULL << li;
        p += len;
        if (*p == ',') {
            p++;
        }
    }
    return CP_OK;
}
