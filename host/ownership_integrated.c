/* Integrated ownership through chains (Vitali, Glattfelder and Battiston 2011, "The network of
 * global corporate control", PLoS ONE 6(10): e25995): U = W + W^2 + ... = (I - W)^-1 W on an
 * ownership layer, one sparse target column at a time, and the ultimate owners above a threshold.
 *
 * Numeric types: shares are rounded once to ppm (cp_share_to_ppm, as in the closure), so that the
 * divergence test on a cycle's column sums is exact integer arithmetic; the series itself is a sum
 * of products of shares and cannot be exact, so it runs in double. Each column is computed by one
 * thread in an order fixed by the data (the frontier order and the CSR order), so results do not
 * depend on the thread count.
 *
 * Edges on the layer point from the owner to the owned entity: u -> v with weight w means u holds
 * the share w of v. A target column x = U e_t is built by pulling along in-edges: the owners of
 * the owners of t, and so on. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "chokepoint/ownership.h"
#include "chokepoint/spectral.h"
#include "chokepoint/view.h"
#include "graph_impl.h"

#define PPM_ONE       1000000LL
#define SHARE_MAX_PPM 1000000000000LL /* as in the closure: 1e12 ppm */
#define ULTIMATE_SLACK                                                                             \
    1e-9 /* threshold slack: products of ppm shares carry rounding errors near 1e-16 */

cp_status cp_integrated_params_init(cp_integrated_params *p) {
    if (p == NULL) {
        return CP_E_INVALID;
    }
    p->max_depth = 0;
    p->tolerance = 1e-12;
    p->max_terms = 10000;
    return CP_OK;
}

void cp_integrated_result_free(cp_integrated_result **res) {
    if (res == NULL || *res == NULL) {
        return;
    }
    cp_integrated_result *r = *res;
    cp__free(r->targets);
    cp__free(r->offsets);
    cp__free(r->owners);
    cp__free(r->share);
    cp__free(r->terms);
    cp__free(r->last_mass);
    cp__free(r->state);
    cp__free(r);
    *res = NULL;
}

void cp_ultimate_result_free(cp_ultimate_result **res) {
    if (res == NULL || *res == NULL) {
        return;
    }
    cp_ultimate_result *r = *res;
    cp__free(r->offsets);
    cp__free(r->owners);
    cp__free(r->share);
    cp__free(r);
    *res = NULL;
}

static int cmp_i32(const void *a, const void *b) {
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

/* Workspace of one thread: dense accumulators indexed by node, and the lists of their non-zero
 * entries. Invariant between targets: acc, cur, nxt are all zero and the marks all clear. */
typedef struct workspace {
    double *acc;     /* n: the column summed so far */
    double *cur;     /* n: the current term */
    double *nxt;     /* n: the next term */
    uint8_t *in_acc; /* n: listed in seen */
    uint8_t *in_nxt; /* n: listed in next */
    int32_t *seen;   /* owners with acc > 0 */
    int32_t *front;  /* nodes of the current term */
    int32_t *next;   /* nodes of the next term */
} workspace;

static void workspace_free(workspace *w) {
    cp__free(w->acc);
    cp__free(w->cur);
    cp__free(w->nxt);
    cp__free(w->in_acc);
    cp__free(w->in_nxt);
    cp__free(w->seen);
    cp__free(w->front);
    cp__free(w->next);
    memset(w, 0, sizeof *w);
}

static int workspace_alloc(workspace *w, int32_t n) {
    size_t nn = (size_t)n + 1;
    memset(w, 0, sizeof *w);
    w->acc = cp__calloc(nn, sizeof *w->acc);
    w->cur = cp__calloc(nn, sizeof *w->cur);
    w->nxt = cp__calloc(nn, sizeof *w->nxt);
    w->in_acc = cp__calloc(nn, 1);
    w->in_nxt = cp__calloc(nn, 1);
    w->seen = cp__malloc_array(nn, sizeof *w->seen);
    w->front = cp__malloc_array(nn, sizeof *w->front);
    w->next = cp__malloc_array(nn, sizeof *w->next);
    if (w->acc == NULL || w->cur == NULL || w->nxt == NULL || w->in_acc == NULL ||
        w->in_nxt == NULL || w->seen == NULL || w->front == NULL || w->next == NULL) {
        workspace_free(w);
        return 0;
    }
    return 1;
}

/* One column: sums the terms W^k e_t for k = 1, 2, ... until a bound stops them (cap terms at
 * most; stop early after a term of mass <= tol), then copies the positive entries, owners
 * ascending, into fresh arrays *owners / *share (*count entries; NULL when 0). Returns 0 on
 * out-of-memory. The rule for each term: next[u] += W[u][w] * cur[w] over the in-edges u -> w of
 * each w in the frontier, in frontier order then CSR order. */
static int column(const cp_view *v, int32_t t, int32_t cap, double tol, workspace *w,
                  int32_t **owners, double **share, int64_t *count, int32_t *terms,
                  double *last_mass, int *stopped_by_tol) {
    int64_t n_seen = 0, n_front = 1, n_next = 0;
    w->front[0] = t;
    w->cur[t] = 1.0; /* term 0 = e_t (not summed) */
    int32_t k = 0;
    double mass = 0.0;
    *stopped_by_tol = 0;
    while (k < cap && n_front > 0) {
        n_next = 0;
        for (int64_t i = 0; i < n_front; i++) {
            const int32_t x = w->front[i];
            const double cx = w->cur[x];
            for (int64_t q = v->rev_offsets[x]; q < v->rev_offsets[x + 1]; q++) {
                const int32_t u = v->rev_indices[q];
                if (!w->in_nxt[u]) {
                    w->in_nxt[u] = 1;
                    w->next[n_next++] = u;
                }
                w->nxt[u] += v->rev_weights[q] * cx;
            }
        }
        for (int64_t i = 0; i < n_front; i++) {
            w->cur[w->front[i]] = 0.0;
        }
        k++;
        mass = 0.0;
        for (int64_t i = 0; i < n_next; i++) {
            const int32_t u = w->next[i];
            const double x = w->nxt[u];
            mass += x;
            w->acc[u] += x;
            if (!w->in_acc[u]) {
                w->in_acc[u] = 1;
                w->seen[n_seen++] = u;
            }
            w->cur[u] = x;
            w->nxt[u] = 0.0;
            w->in_nxt[u] = 0;
        }
        /* The next term's frontier is this one's touched list. */
        int32_t *tmp = w->front;
        w->front = w->next;
        w->next = tmp;
        n_front = n_next;
        if (mass <= tol) {
            *stopped_by_tol = 1;
            break;
        }
    }
    if (n_front == 0) {
        *stopped_by_tol = 1; /* the column emptied: the series ended */
    }
    for (int64_t i = 0; i < n_front; i++) {
        w->cur[w->front[i]] = 0.0;
    }
    *terms = k;
    *last_mass = n_front == 0 ? 0.0 : mass;

    qsort(w->seen, (size_t)n_seen, sizeof *w->seen, cmp_i32);
    int64_t c = 0;
    for (int64_t i = 0; i < n_seen; i++) {
        c += w->acc[w->seen[i]] > 0.0;
    }
    *owners = NULL;
    *share = NULL;
    *count = c;
    int ok = 1;
    if (c > 0) {
        *owners = cp__malloc_array((size_t)c, sizeof **owners);
        *share = cp__malloc_array((size_t)c, sizeof **share);
        ok = *owners != NULL && *share != NULL;
    }
    c = 0;
    for (int64_t i = 0; i < n_seen; i++) {
        const int32_t u = w->seen[i];
        if (ok && w->acc[u] > 0.0) {
            (*owners)[c] = u;
            (*share)[c] = w->acc[u];
            c++;
        }
        w->acc[u] = 0.0;
        w->in_acc[u] = 0;
    }
    if (!ok) {
        cp__free(*owners);
        cp__free(*share);
        *owners = NULL;
        *share = NULL;
        *count = 0;
    }
    return ok;
}

/* Marks (diverges[x] = 1) every node owned, directly or through chains, by a strongly connected
 * component whose in-component share sums are all >= 100% (spectral radius >= 1), components
 * included. *witness receives the smallest member of such a component, or -1. ppm_in: n scratch.
 * Returns CP_OK, CP_E_NOMEM (err set). */
static cp_status find_divergent(uint8_t *diverges, int32_t *witness, const cp_view *v,
                                const int64_t *ppm_of_entry, cp_error *err) {
    cp_status status = CP_OK;
    const int32_t n = v->n;
    int32_t *label = NULL;
    int64_t *in_sum = NULL;  /* n: shares held in x by members of x's component (ppm) */
    int64_t *min_sum = NULL; /* n, by component root: min of in_sum over members */
    uint8_t *cyclic = NULL;  /* n, by root: component has an internal edge */
    int32_t *stack = NULL;
    int32_t n_comp = 0;
    *witness = -1;

    label = cp__malloc_array((size_t)n + 1, sizeof *label);
    in_sum = cp__calloc((size_t)n + 1, sizeof *in_sum);
    min_sum = cp__malloc_array((size_t)n + 1, sizeof *min_sum);
    cyclic = cp__calloc((size_t)n + 1, 1);
    stack = cp__malloc_array((size_t)n + 1, sizeof *stack);
    if (label == NULL || in_sum == NULL || min_sum == NULL || cyclic == NULL || stack == NULL) {
        status = cp_error_set(err, CP_E_NOMEM, "cp_ownership_integrated: out of memory (n = %d)",
                              (int)n);
        goto cleanup;
    }
    CP_TRY(cp_scc(label, &n_comp, NULL, v, NULL, err));
    for (int32_t u = 0; u < n; u++) {
        for (int64_t q = v->offsets[u]; q < v->offsets[u + 1]; q++) {
            const int32_t x = v->indices[q];
            if (label[x] == label[u] && x != u) {
                const int64_t s = ppm_of_entry[q];
                in_sum[x] = s > INT64_MAX - in_sum[x] ? INT64_MAX : in_sum[x] + s;
                cyclic[label[u]] = 1;
            }
        }
    }
    for (int32_t x = 0; x < n; x++) {
        min_sum[x] = INT64_MAX;
    }
    for (int32_t x = 0; x < n; x++) {
        if (in_sum[x] < min_sum[label[x]]) {
            min_sum[label[x]] = in_sum[x];
        }
    }
    /* Seed: members of diverging components; then a forward search along ownership edges. */
    int64_t top = 0;
    for (int32_t x = 0; x < n; x++) {
        const int32_t r = label[x];
        if (cyclic[r] && min_sum[r] >= PPM_ONE) {
            if (*witness < 0) {
                *witness = r; /* labels are the smallest member index */
            }
            diverges[x] = 1;
            stack[top++] = x;
        }
    }
    while (top > 0) {
        const int32_t u = stack[--top];
        for (int64_t q = v->offsets[u]; q < v->offsets[u + 1]; q++) {
            const int32_t x = v->indices[q];
            if (!diverges[x]) {
                diverges[x] = 1;
                stack[top++] = x;
            }
        }
    }

cleanup:
    cp__free(label);
    cp__free(in_sum);
    cp__free(min_sum);
    cp__free(cyclic);
    cp__free(stack);
    return status;
}

cp_status cp_ownership_integrated(cp_integrated_result **res, const cp_graph *g, int layer,
                                  const int32_t *targets, int64_t n_targets,
                                  const cp_integrated_params *params, cp_error *err) {
    static const char who[] = "cp_ownership_integrated";
    cp_status status = CP_OK;
    cp_integrated_result *r = NULL;
    cp_view *v = NULL;
    int64_t *ppm = NULL;          /* m: each edge's share in ppm */
    double *wfrac = NULL;         /* m: ppm / 1e6 */
    uint8_t *keep = NULL;         /* m: counts as ownership */
    int64_t *ppm_of_entry = NULL; /* view entries: ppm of the edge */
    uint8_t *diverges = NULL;     /* n */
    int32_t **col_owners = NULL;  /* per target */
    double **col_share = NULL;
    int64_t *col_count = NULL;
    int32_t nt = 0;

    if (res != NULL) {
        *res = NULL;
    }
    if (res == NULL || g == NULL || params == NULL) {
        return cp_error_set(err, CP_E_INVALID, "%s: res, g and params must not be NULL", who);
    }
    if (layer < 0 || layer >= g->n_layers) {
        return cp_error_set(err, CP_E_INVALID,
                            "%s: layer %d out of range (the graph has %d layers)", who, layer,
                            g->n_layers);
    }
    if (params->max_depth < 0 || params->max_terms < 1 || !(params->tolerance >= 0.0) ||
        isinf(params->tolerance)) {
        return cp_error_set(err, CP_E_INVALID,
                            "%s: need max_depth >= 0 (got %d), max_terms >= 1 (got %d) and a "
                            "finite tolerance >= 0 (got %g)",
                            who, (int)params->max_depth, (int)params->max_terms, params->tolerance);
    }
    if (targets == NULL) {
        nt = g->n;
    } else {
        if (n_targets < 0 || n_targets > g->n) {
            return cp_error_set(err, CP_E_INVALID, "%s: n_targets %lld outside [0, n = %d]", who,
                                (long long)n_targets, (int)g->n);
        }
        nt = (int32_t)n_targets;
        for (int32_t i = 0; i < nt; i++) {
            if (targets[i] < 0 || targets[i] >= g->n || (i > 0 && targets[i] <= targets[i - 1])) {
                return cp_error_set(err, CP_E_INVALID,
                                    "%s: targets[%d] = %d: need node indices in 0..%d, strictly "
                                    "ascending",
                                    who, (int)i, (int)targets[i], (int)g->n - 1);
            }
        }
    }
    const int32_t n = g->n;
    const int64_t m = g->m;

    /* 1. Shares in ppm, rounded once; the edges that count (on the layer, positive, no loop). */
    ppm = cp__malloc_array((size_t)m + 1, sizeof *ppm);
    wfrac = cp__malloc_array((size_t)m + 1, sizeof *wfrac);
    keep = cp__calloc((size_t)m + 1, 1);
    if (ppm == NULL || wfrac == NULL || keep == NULL) {
        status = CP_E_NOMEM;
        goto cleanup;
    }
    const char *units = g->layers[layer].units;
    for (int64_t e = 0; e < m; e++) {
        ppm[e] = 0;
        wfrac[e] = 0.0;
        if (g->layer[e] != layer) {
            continue;
        }
        const int64_t p = cp_share_to_ppm(g->weight[e], units);
        if (p < 0) {
            status = cp_error_set(err, CP_E_INVALID,
                                  "%s: edge %lld on layer '%s' has share %g (%s): not a finite "
                                  "non-negative share of at most 1e12 ppm",
                                  who, (long long)e, g->layers[layer].name, g->weight[e],
                                  units[0] != '\0' ? units : "fraction");
            goto cleanup;
        }
        if (g->src[e] == g->dst[e] || p == 0) {
            continue;
        }
        ppm[e] = p;
        wfrac[e] = (double)p / (double)PPM_ONE;
        keep[e] = 1;
    }
    CP_TRY(cp_view_from_edges(&v, n, m, g->src, g->dst, wfrac, keep, CP_DIR_STORED, CP_MULTI_KEEP,
                              err));
    ppm_of_entry = cp__malloc_array((size_t)v->m + 1, sizeof *ppm_of_entry);
    diverges = cp__calloc((size_t)n + 1, 1);
    if (ppm_of_entry == NULL || diverges == NULL) {
        status = CP_E_NOMEM;
        goto cleanup;
    }
    for (int64_t q = 0; q < v->m; q++) {
        ppm_of_entry[q] = ppm[v->edge_ids[q]];
    }

    /* 2. Cycles whose spectral radius is >= 1, and what they own. */
    int32_t witness = -1;
    CP_TRY(find_divergent(diverges, &witness, v, ppm_of_entry, err));

    /* 3. The result and one column per target, targets in parallel. */
    r = cp__calloc(1, sizeof *r);
    if (r == NULL) {
        status = CP_E_NOMEM;
        goto cleanup;
    }
    r->n = n;
    r->n_targets = nt;
    r->diverging_node = witness;
    r->targets = cp__malloc_array((size_t)nt + 1, sizeof *r->targets);
    r->offsets = cp__calloc((size_t)nt + 1, sizeof *r->offsets);
    r->terms = cp__calloc((size_t)nt + 1, sizeof *r->terms);
    r->last_mass = cp__calloc((size_t)nt + 1, sizeof *r->last_mass);
    r->state = cp__calloc((size_t)nt + 1, 1);
    col_owners = cp__calloc((size_t)nt + 1, sizeof *col_owners);
    col_share = cp__calloc((size_t)nt + 1, sizeof *col_share);
    col_count = cp__calloc((size_t)nt + 1, sizeof *col_count);
    if (r->targets == NULL || r->offsets == NULL || r->terms == NULL || r->last_mass == NULL ||
        r->state == NULL || col_owners == NULL || col_share == NULL || col_count == NULL) {
        status = CP_E_NOMEM;
        goto cleanup;
    }
    for (int32_t i = 0; i < nt; i++) {
        r->targets[i] = targets != NULL ? targets[i] : i;
    }
    const int32_t cap = params->max_depth > 0 ? params->max_depth : params->max_terms;
    int nomem = 0;
#pragma omp parallel if (nt >= 64)
    {
        workspace w;
        int ok = workspace_alloc(&w, n);
        if (!ok) {
#pragma omp atomic write
            nomem = 1;
        }
#pragma omp for schedule(dynamic, 16)
        for (int32_t i = 0; i < nt; i++) {
            if (!ok) {
                continue;
            }
            const int32_t t = r->targets[i];
            if (diverges[t] && params->max_depth == 0) {
                r->state[i] = CP_INTEGRATED_DIVERGES;
                continue; /* the series is infinite: no bound to stop it */
            }
            int by_tol = 0;
            if (!column(v, t, cap, params->tolerance, &w, &col_owners[i], &col_share[i],
                        &col_count[i], &r->terms[i], &r->last_mass[i], &by_tol)) {
#pragma omp atomic write
                nomem = 1;
                continue;
            }
            if (diverges[t]) {
                r->state[i] = CP_INTEGRATED_DIVERGES;
            } else if (by_tol) {
                r->state[i] = CP_INTEGRATED_CONVERGED;
            } else if (params->max_depth > 0) {
                r->state[i] = CP_INTEGRATED_DEPTH;
            } else {
                r->state[i] = CP_INTEGRATED_NOT_CONVERGED;
            }
        }
        workspace_free(&w);
    }
    if (nomem) {
        status = CP_E_NOMEM;
        goto cleanup;
    }
    for (int32_t i = 0; i < nt; i++) {
        r->offsets[i + 1] = r->offsets[i] + col_count[i];
        r->n_not_converged += r->state[i] == CP_INTEGRATED_NOT_CONVERGED;
        r->n_diverging += r->state[i] == CP_INTEGRATED_DIVERGES;
    }
    const int64_t total = r->offsets[nt];
    r->owners = cp__malloc_array((size_t)total + 1, sizeof *r->owners);
    r->share = cp__malloc_array((size_t)total + 1, sizeof *r->share);
    if (r->owners == NULL || r->share == NULL) {
        status = CP_E_NOMEM;
        goto cleanup;
    }
    for (int32_t i = 0; i < nt; i++) {
        if (col_count[i] > 0) {
            memcpy(r->owners + r->offsets[i], col_owners[i],
                   (size_t)col_count[i] * sizeof *r->owners);
            memcpy(r->share + r->offsets[i], col_share[i], (size_t)col_count[i] * sizeof *r->share);
        }
    }

    /* 4. Warnings: the result is complete, but some columns are not the full series. */
    if (r->n_diverging > 0 && params->max_depth == 0) {
        status = cp_error_set(err, CP_W_NOT_CONVERGED,
                              "%s: %d target(s) are owned through a cycle whose shares sum to "
                              "100%% or more into each member (e.g. node %d): the series diverges "
                              "there; their columns are left empty (give a depth bound to sum "
                              "chains up to a length)",
                              who, (int)r->n_diverging, (int)witness);
    } else if (r->n_not_converged > 0) {
        int32_t first = -1;
        for (int32_t i = 0; i < nt && first < 0; i++) {
            first = r->state[i] == CP_INTEGRATED_NOT_CONVERGED ? r->targets[i] : -1;
        }
        status = cp_error_set(err, CP_W_NOT_CONVERGED,
                              "%s: %d target(s) (first: node %d) still added more than the "
                              "tolerance %g after %d terms",
                              who, (int)r->n_not_converged, (int)first, params->tolerance,
                              (int)params->max_terms);
    }
    *res = r;
    r = NULL;

cleanup:
    if (status == CP_E_NOMEM) {
        cp_error_set(err, CP_E_NOMEM, "%s: out of memory (n = %d, m = %lld)", who, (int)g->n,
                     (long long)g->m);
    }
    for (int32_t i = 0; i < nt; i++) {
        if (col_owners != NULL) {
            cp__free(col_owners[i]);
        }
        if (col_share != NULL) {
            cp__free(col_share[i]);
        }
    }
    cp__free(col_owners);
    cp__free(col_share);
    cp__free(col_count);
    cp_integrated_result_free(&r);
    cp_view_free(&v);
    cp__free(ppm);
    cp__free(wfrac);
    cp__free(keep);
    cp__free(ppm_of_entry);
    cp__free(diverges);
    return status;
}

cp_status cp_ownership_ultimate(cp_ultimate_result **res, const cp_integrated_result *ir,
                                const cp_graph *g, int layer, double threshold, int mode,
                                cp_error *err) {
    static const char who[] = "cp_ownership_ultimate";
    cp_status status = CP_OK;
    cp_ultimate_result *u = NULL;
    uint8_t *owned = NULL; /* n: someone else holds a positive share in the node */

    if (res != NULL) {
        *res = NULL;
    }
    if (res == NULL || ir == NULL || g == NULL) {
        return cp_error_set(err, CP_E_INVALID, "%s: res, ir and g must not be NULL", who);
    }
    if (ir->n != g->n || layer < 0 || layer >= g->n_layers) {
        return cp_error_set(err, CP_E_INVALID,
                            "%s: the result (n = %d) and layer %d do not fit the graph (n = %d, "
                            "%d layers)",
                            who, (int)ir->n, layer, (int)g->n, g->n_layers);
    }
    if (!(threshold >= 0.0 && threshold <= 1e6)) {
        return cp_error_set(err, CP_E_INVALID, "%s: threshold %g outside [0, 1e6]", who, threshold);
    }
    if (mode != CP_ULTIMATE_TOP && mode != CP_ULTIMATE_ALL) {
        return cp_error_set(err, CP_E_INVALID,
                            "%s: mode %d: expected CP_ULTIMATE_TOP or CP_ULTIMATE_ALL", who, mode);
    }
    owned = cp__calloc((size_t)g->n + 1, 1);
    u = cp__calloc(1, sizeof *u);
    if (owned == NULL || u == NULL) {
        status = CP_E_NOMEM;
        goto cleanup;
    }
    const char *units = g->layers[layer].units;
    for (int64_t e = 0; e < g->m; e++) {
        if (g->layer[e] == layer && g->src[e] != g->dst[e] &&
            cp_share_to_ppm(g->weight[e], units) > 0) {
            owned[g->dst[e]] = 1;
        }
    }
    const int32_t nt = ir->n_targets;
    u->n_targets = nt;
    u->offsets = cp__calloc((size_t)nt + 1, sizeof *u->offsets);
    if (u->offsets == NULL) {
        status = CP_E_NOMEM;
        goto cleanup;
    }
    /* Two passes: count, then fill. */
    for (int pass = 0; pass < 2; pass++) {
        int64_t c = 0;
        for (int32_t i = 0; i < nt; i++) {
            const int32_t t = ir->targets[i];
            for (int64_t q = ir->offsets[i]; q < ir->offsets[i + 1]; q++) {
                const int32_t o = ir->owners[q];
                if (o == t || ir->share[q] < threshold - ULTIMATE_SLACK) {
                    continue;
                }
                if (mode == CP_ULTIMATE_TOP && owned[o] && g->kind[o] != CP_KIND_PERSON) {
                    continue;
                }
                if (pass == 1) {
                    u->owners[c] = o;
                    u->share[c] = ir->share[q];
                }
                c++;
            }
            if (pass == 0) {
                u->offsets[i + 1] = c;
            }
        }
        if (pass == 0) {
            u->owners = cp__malloc_array((size_t)c + 1, sizeof *u->owners);
            u->share = cp__malloc_array((size_t)c + 1, sizeof *u->share);
            if (u->owners == NULL || u->share == NULL) {
                status = CP_E_NOMEM;
                goto cleanup;
            }
        }
    }
    *res = u;
    u = NULL;

cleanup:
    if (status == CP_E_NOMEM) {
        cp_error_set(err, CP_E_NOMEM, "%s: out of memory (n = %d)", who, (int)g->n);
    }
    cp_ultimate_result_free(&u);
    cp__free(owned);
    return status;
}
