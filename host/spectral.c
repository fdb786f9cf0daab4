/* PageRank, Katz, eigenvector and HITS centralities on CSR views, CPU backend (DESIGN section 4).
 *
 * Every iteration is a gather ("pull"): node v reads the scores of its in-neighbours through the
 * view's in-CSC (rev_offsets, rev_indices), or of its out-neighbours through the CSR for the hub
 * step of HITS, and writes only its own entry, so nodes are independent and need no atomics.
 * PageRank first drops the nodes nobody reaches (see pr_graph) and gathers over a compact copy of
 * the in-CSC of the rest.
 *
 * Determinism: a gather adds its terms in view order (four interleaved partial sums, always
 * combined the same way). Global sums (the L1 change, the dangling mass, norms) are taken per node
 * chunk and the chunk sums added in chunk order. The chunks are fixed by the view alone: about
 * CHUNK_WORK units of n + (in-degree + out-degree) each (PageRank: of its compact problem), at
 * most MAX_CHUNKS, cut by a binary search on the offsets. Neither depends on the thread count, so
 * the results are bit-identical at any thread count.
 *
 * Numeric types: scores in double. Weighted PageRank keeps the transition probability of every
 * kept in-entry (w_uv times 1 / out-weight of u, in [0, 1]) rather than dividing scores by tiny
 * out-weights, which could overflow. Unweighted PageRank pulls y_u = x_u / outdeg(u), one double
 * per node, and reads no per-entry values: 4 bytes of index per kept entry and iteration, plus
 * the gather. */
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include <omp.h>

#include "alloc.h"
#include "chokepoint/spectral.h"
#include "spectral_impl.h"

/* Target work (nodes + in- and out-entries) of one reduction chunk, and the most chunks. */
#define CHUNK_WORK 32768
#define MAX_CHUNKS 4096

/* Below this much work (n + 2m) a sweep runs on one thread; the chunks, and so the result, are
 * the same either way. */
#define PAR_MIN_WORK 65536

/* The same for PageRank, whose sweeps are cheaper per unit of work (no removed nodes, compact
 * arrays): below it, a thread team costs more than it saves, and on a busy machine much more
 * (a thread waiting at the barrier of every iteration for one that is descheduled). */
#define PR_PAR_MIN_WORK (1 << 19)

/* ---- shared machinery ---- */

/* The fixed node chunks of a view. */
typedef struct plan {
    int64_t n_chunks;
    int32_t *bounds; /* n_chunks + 1: chunk c is nodes bounds[c] .. bounds[c+1]-1 */
    double *part;    /* 2 n_chunks partial sums, written per sweep */
    bool parallel;
} plan;

static void plan_free(plan *p) {
    cp__free(p->bounds);
    cp__free(p->part);
    p->bounds = NULL;
    p->part = NULL;
}

/* Work up to node x: x + the entries of the nodes before x in off_a and (when not NULL) off_b.
 * Non-decreasing. */
static int64_t work_before(int32_t x, const int64_t *off_a, const int64_t *off_b) {
    return (int64_t)x + off_a[x] + (off_b != NULL ? off_b[x] : 0);
}

/* Chunks over nodes 0 .. n-1 whose work is counted by off_a and off_b (see work_before); the
 * sweeps run on several threads when the total reaches par_min_work. n = 0 gives one empty
 * chunk. */
static cp_status plan_make(plan *p, int32_t n, const int64_t *off_a, const int64_t *off_b,
                           int64_t par_min_work, const char *fn, cp_error *err) {
    int64_t total = work_before(n, off_a, off_b);
    int64_t nc = (total + CHUNK_WORK - 1) / CHUNK_WORK;
    nc = nc > MAX_CHUNKS ? MAX_CHUNKS : nc;
    nc = nc > n ? n : nc;
    nc = nc < 1 ? 1 : nc;
    p->n_chunks = nc;
    p->parallel = total >= par_min_work;
    p->bounds = cp__malloc_array((size_t)nc + 1, sizeof *p->bounds);
    p->part = cp__malloc_array(2 * (size_t)nc, sizeof *p->part);
    if (p->bounds == NULL || p->part == NULL) {
        return cp_error_set(err, CP_E_NOMEM, "%s: out of memory (%" PRId64 " chunks)", fn, nc);
    }
    /* bounds[c] = the first node x with work_before(x) >= c * total / nc. */
    p->bounds[0] = 0;
    for (int64_t c = 1; c < nc; c++) {
        int64_t goal = (int64_t)((double)c / (double)nc * (double)total);
        int32_t lo = p->bounds[c - 1], hi = n;
        while (lo < hi) {
            int32_t mid = lo + (hi - lo) / 2;
            if (work_before(mid, off_a, off_b) < goal) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        p->bounds[c] = lo;
    }
    p->bounds[nc] = n;
    return CP_OK;
}

/* The chunks of a view's nodes, work counted over out- and in-entries. */
static cp_status plan_make_view(plan *p, const cp_view *v, const char *fn, cp_error *err) {
    return plan_make(p, v->n, v->offsets, v->rev_offsets, PAR_MIN_WORK, fn, err);
}

/* Sums part[2c + j] over the chunks in order. */
static double plan_sum(const plan *p, int j) {
    double s = 0.0;
    for (int64_t c = 0; c < p->n_chunks; c++) {
        s += p->part[2 * c + j];
    }
    return s;
}

static void info_set(cp_iter_info *info, int64_t iterations, double change, bool converged) {
    if (info != NULL) {
        info->iterations = iterations;
        info->final_change = change;
        info->converged = converged;
    }
}

/* Common checks: a view, the outputs (out2 only when two) when n > 0, tol and max_iter. Clears
 * the outputs. */
static cp_status check_common(const char *fn, const cp_view *v, double *out1, double *out2,
                              bool two, double tol, int64_t max_iter, cp_error *err) {
    if (v == NULL) {
        return cp_error_set(err, CP_E_INVALID, "%s: no view", fn);
    }
    if (v->n > 0 && (out1 == NULL || (two && out2 == NULL))) {
        return cp_error_set(err, CP_E_INVALID, "%s: no output array", fn);
    }
    if (v->n > 0) {
        memset(out1, 0, (size_t)v->n * sizeof *out1);
        if (two) {
            memset(out2, 0, (size_t)v->n * sizeof *out2);
        }
    }
    if (!(tol > 0.0) || !isfinite(tol)) {
        return cp_error_set(err, CP_E_INVALID, "%s: tol = %g must be finite and > 0", fn, tol);
    }
    if (max_iter < 1) {
        return cp_error_set(err, CP_E_INVALID, "%s: max_iter = %" PRId64 " must be >= 1", fn,
                            max_iter);
    }
    return CP_OK;
}

/* Every view weight finite and >= 0. */
static cp_status check_weights(const char *fn, const cp_view *v, cp_error *err) {
    for (int32_t u = 0; u < v->n; u++) {
        for (int64_t k = v->offsets[u]; k < v->offsets[u + 1]; k++) {
            double w = v->weights[k];
            if (!(w >= 0.0) || !isfinite(w)) {
                return cp_error_set(
                    err, CP_E_INVALID,
                    "%s: weight %g of view entry %" PRId64 " (%" PRId32 " -> %" PRId32
                    ", graph edge %" PRId64 ") is negative or not finite",
                    fn, w, k, u, v->indices[k], v->edge_ids != NULL ? v->edge_ids[k] : (int64_t)-1);
            }
        }
    }
    return CP_OK;
}

static int32_t count_active(int32_t n, const uint8_t *removed) {
    if (removed == NULL) {
        return n;
    }
    int32_t c = 0;
    for (int32_t x = 0; x < n; x++) {
        c += removed[x] ? 0 : 1;
    }
    return c;
}

static bool is_removed(const uint8_t *removed, int32_t x) {
    return removed != NULL && removed[x] != 0;
}

/* sum over entries k of row x of y[idx[k]], in a fixed order (four interleaved partial sums). */
static inline double gather(const int64_t *off, const int32_t *idx, const double *y, int32_t x) {
    int64_t k = off[x], end = off[x + 1];
    double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
    for (; k + 4 <= end; k += 4) {
        s0 += y[idx[k]];
        s1 += y[idx[k + 1]];
        s2 += y[idx[k + 2]];
        s3 += y[idx[k + 3]];
    }
    for (; k < end; k++) {
        s0 += y[idx[k]];
    }
    return (s0 + s1) + (s2 + s3);
}

/* sum over entries k of row x of y[idx[k]] * w[k], in a fixed order. */
static inline double gather_w(const int64_t *off, const int32_t *idx, const double *w,
                              const double *y, int32_t x) {
    int64_t k = off[x], end = off[x + 1];
    double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
    for (; k + 4 <= end; k += 4) {
        s0 += y[idx[k]] * w[k];
        s1 += y[idx[k + 1]] * w[k + 1];
        s2 += y[idx[k + 2]] * w[k + 2];
        s3 += y[idx[k + 3]] * w[k + 3];
    }
    for (; k < end; k++) {
        s0 += y[idx[k]] * w[k];
    }
    return (s0 + s1) + (s2 + s3);
}

/* The gather over the in-entries (rev = true) or out-entries of x, weighted or not. */
static inline double pull(const cp_view *v, bool rev, bool weighted, const double *y, int32_t x) {
    const int64_t *off = rev ? v->rev_offsets : v->offsets;
    const int32_t *idx = rev ? v->rev_indices : v->indices;
    if (weighted) {
        return gather_w(off, idx, rev ? v->rev_weights : v->weights, y, x);
    }
    return gather(off, idx, y, x);
}

/* ---- PageRank ---- */

void cp_pagerank_params_init(cp_pagerank_params *p) {
    p->alpha = 0.85;
    p->personalization = NULL;
    p->dangling = CP_DANGLING_PERSONALIZATION;
    p->weighted = false;
    p->tol = 1e-10;
    p->max_iter = 1000;
}

/* The normalised personalization (0 at removed nodes) into pers. */
static cp_status pagerank_pers(double *pers, const double *given, int32_t n, const uint8_t *removed,
                               cp_error *err) {
    double sum = 0.0;
    for (int32_t x = 0; x < n; x++) {
        double p = given[x];
        if (!(p >= 0.0) || !isfinite(p)) {
            return cp_error_set(
                err, CP_E_INVALID,
                "cp_pagerank: personalization[%" PRId32 "] = %g is negative or not finite", x, p);
        }
        pers[x] = is_removed(removed, x) ? 0.0 : p;
        sum += pers[x];
    }
    if (!(sum > 0.0) || !isfinite(sum)) {
        return cp_error_set(err, CP_E_INVALID,
                            "cp_pagerank: the personalization sums to %g over the non-removed "
                            "nodes (it must be > 0 and finite)",
                            sum);
    }
    for (int32_t x = 0; x < n; x++) {
        pers[x] /= sum;
    }
    return CP_OK;
}

/* PageRank's reduced problem. A "free" node is a non-removed node that no entry with a non-zero
 * transition probability reaches (no in-edges from non-removed nodes, or only zero-weight ones).
 * Its next value is the teleport term alone, cu + cp p_u, with the same two constants of the
 * iteration at every free node. So free nodes are never swept: their share of the L1 change and
 * of the dangling mass follows from counts, and what they pass along their entries (a + b p_u,
 * for the previous iteration's constants a, b) is folded into two per-node sums fixed at setup.
 * The other ("gather") nodes are renumbered 0 .. n_g - 1 and keep only their in-entries from
 * gather nodes, so the sweep reads compact arrays. On the benchmark graphs 20-82% of the nodes
 * are free and their out-entries are 18-88% of all entries (bench/RESULTS.md). */
typedef struct pr_graph {
    int32_t n_g;         /* gather nodes */
    int32_t *node;       /* n_g: the view index of each, increasing */
    int64_t *off;        /* n_g + 1: CSC of the kept in-entries (from gather nodes, P_uv > 0) */
    int32_t *tail;       /* the tail of each kept entry, as a gather index */
    double *prob;        /* weighted: P_uv of each kept entry; NULL when unweighted */
    double *scale;       /* unweighted: 1 / outdeg of each gather node (0: dangling); else NULL */
    double *from_free;   /* n_g: sum of P_uv over the entries from free tails u */
    double *from_free_p; /* with a personalization: sum of P_uv p_u over them; else NULL */
    double *pers;        /* with a personalization: p of each gather node; else NULL */
    uint8_t *dangling;   /* n_g: 1 when the node has no out-weight */
    int32_t *pos;        /* n: gather index of each node, -1 at free and removed nodes */
    int32_t n_free, n_free_dangling;
    double p_free, p_free_dangling; /* sums of p over those (0 without a personalization) */
} pr_graph;

static void pr_graph_free(pr_graph *g) {
    cp__free(g->node);
    cp__free(g->off);
    cp__free(g->tail);
    cp__free(g->prob);
    cp__free(g->scale);
    cp__free(g->from_free);
    cp__free(g->from_free_p);
    cp__free(g->pers);
    cp__free(g->dangling);
    cp__free(g->pos);
}

/* P_uv of in-entry k (from tail u): its weight (1 when unweighted) times inv_out[u], which is
 * 1 / (u's out-weight to non-removed nodes), or 0 when u is removed or dangling. So an entry from
 * a removed tail, or with a zero weight, has P = 0 with no test. */
static inline double entry_prob(const cp_view *v, bool weighted, const double *inv_out, int64_t k) {
    return (weighted ? v->rev_weights[k] : 1.0) * inv_out[v->rev_indices[k]];
}

/* Builds g (zeroed by the caller) from the view. pers: the normalised personalization or NULL. */
static cp_status pr_graph_make(pr_graph *g, const cp_view *v, const uint8_t *removed, bool weighted,
                               const double *inv_out, const double *pers, cp_error *err) {
    int32_t n = v->n;
    const int64_t *roff = v->rev_offsets;
    g->pos = cp__malloc_array((size_t)n, sizeof *g->pos);
    if (g->pos == NULL) {
        goto nomem;
    }
    /* Free or gather; gather nodes numbered in view order. */
    int32_t n_g = 0;
    for (int32_t x = 0; x < n; x++) {
        g->pos[x] = -1;
        if (is_removed(removed, x)) {
            continue;
        }
        bool reached = false;
        for (int64_t k = roff[x]; k < roff[x + 1] && !reached; k++) {
            reached = entry_prob(v, weighted, inv_out, k) > 0.0;
        }
        if (reached) {
            g->pos[x] = n_g++;
            continue;
        }
        double p = pers != NULL ? pers[x] : 0.0;
        g->n_free++;
        g->p_free += p;
        if (inv_out[x] == 0.0) {
            g->n_free_dangling++;
            g->p_free_dangling += p;
        }
    }
    g->n_g = n_g;
    size_t ng1 = (size_t)n_g + 1; /* every array at least one long: n_g may be 0 */
    g->node = cp__malloc_array(ng1, sizeof *g->node);
    g->off = cp__malloc_array(ng1, sizeof *g->off);
    g->from_free = cp__malloc_array(ng1, sizeof *g->from_free);
    g->dangling = cp__malloc_array(ng1, sizeof *g->dangling);
    if (weighted) {
        g->prob = NULL; /* allocated once the kept entries are counted */
    } else {
        g->scale = cp__malloc_array(ng1, sizeof *g->scale);
    }
    if (pers != NULL) {
        g->from_free_p = cp__malloc_array(ng1, sizeof *g->from_free_p);
        g->pers = cp__malloc_array(ng1, sizeof *g->pers);
    }
    if (g->node == NULL || g->off == NULL || g->from_free == NULL || g->dangling == NULL ||
        (!weighted && g->scale == NULL) ||
        (pers != NULL && (g->from_free_p == NULL || g->pers == NULL))) {
        goto nomem;
    }
    /* Count the kept entries of each gather node. */
    g->off[0] = 0;
    for (int32_t x = 0, i = 0; x < n; x++) {
        if (g->pos[x] < 0) {
            continue;
        }
        int64_t kept = 0;
        for (int64_t k = roff[x]; k < roff[x + 1]; k++) {
            int32_t u = v->rev_indices[k];
            kept += g->pos[u] >= 0 && entry_prob(v, weighted, inv_out, k) > 0.0 ? 1 : 0;
        }
        g->node[i] = x;
        g->off[i + 1] = g->off[i] + kept;
        g->dangling[i] = inv_out[x] == 0.0 ? 1 : 0;
        if (!weighted) {
            g->scale[i] = inv_out[x];
        }
        if (pers != NULL) {
            g->pers[i] = pers[x];
        }
        i++;
    }
    size_t m_kept = (size_t)g->off[n_g];
    g->tail = cp__malloc_array(m_kept + 1, sizeof *g->tail);
    if (weighted) {
        g->prob = cp__malloc_array(m_kept + 1, sizeof *g->prob);
    }
    if (g->tail == NULL || (weighted && g->prob == NULL)) {
        goto nomem;
    }
    /* Fill them in view order; entries from free tails go into the two sums instead. */
    for (int32_t i = 0; i < n_g; i++) {
        int32_t x = g->node[i];
        int64_t j = g->off[i];
        double ff = 0.0, ffp = 0.0;
        for (int64_t k = roff[x]; k < roff[x + 1]; k++) {
            double pk = entry_prob(v, weighted, inv_out, k);
            if (!(pk > 0.0)) {
                continue;
            }
            int32_t u = v->rev_indices[k];
            if (g->pos[u] < 0) {
                ff += pk;
                ffp += pers != NULL ? pk * pers[u] : 0.0;
                continue;
            }
            g->tail[j] = g->pos[u];
            if (weighted) {
                g->prob[j] = pk;
            }
            j++;
        }
        g->from_free[i] = ff;
        if (pers != NULL) {
            g->from_free_p[i] = ffp;
        }
    }
    return CP_OK;
nomem:
    return cp_error_set(err, CP_E_NOMEM,
                        "cp_pagerank: out of memory (%" PRId32 " nodes, %" PRId64 " entries)", n,
                        v->m);
}

/* The new value of gather node i: alpha * (pulled + fa from_free + fb from_free_p) + cu + cp p. */
static inline double pr_value(const pr_graph *g, int32_t i, double pulled, double alpha, double fa,
                              double fb, double cu, double cp) {
    double xv = alpha * (pulled + fa * g->from_free[i]) + cu;
    if (g->pers != NULL) {
        xv += alpha * fb * g->from_free_p[i] + cp * g->pers[i];
    }
    return xv;
}

/* One unweighted sweep over the gather nodes: x (updated in place) from cy = x / outdeg; the new
 * x / outdeg goes to ny. Chunk c's L1 change and dangling mass go to part[2c], part[2c + 1]. */
static void pr_sweep(plan *pl, const pr_graph *g, double alpha, double fa, double fb, double cu,
                     double cp, double *x, const double *cy, double *ny) {
#pragma omp parallel for schedule(dynamic, 1) if (pl->parallel)
    for (int64_t c = 0; c < pl->n_chunks; c++) {
        double diff = 0.0, dang = 0.0;
        for (int32_t i = pl->bounds[c]; i < pl->bounds[c + 1]; i++) {
            double xv = pr_value(g, i, gather(g->off, g->tail, cy, i), alpha, fa, fb, cu, cp);
            diff += fabs(xv - x[i]);
            x[i] = xv;
            ny[i] = xv * g->scale[i];
            dang += (double)g->dangling[i] * xv; /* exact, and no branch to mispredict */
        }
        pl->part[2 * c] = diff;
        pl->part[2 * c + 1] = dang;
    }
}

/* One weighted sweep: x read from cx, written to nx, each kept entry's term scaled by its P. */
static void pr_sweep_weighted(plan *pl, const pr_graph *g, double alpha, double fa, double fb,
                              double cu, double cp, const double *cx, double *nx) {
#pragma omp parallel for schedule(dynamic, 1) if (pl->parallel)
    for (int64_t c = 0; c < pl->n_chunks; c++) {
        double diff = 0.0, dang = 0.0;
        for (int32_t i = pl->bounds[c]; i < pl->bounds[c + 1]; i++) {
            double pulled = gather_w(g->off, g->tail, g->prob, cx, i);
            double xv = pr_value(g, i, pulled, alpha, fa, fb, cu, cp);
            diff += fabs(xv - cx[i]);
            nx[i] = xv;
            dang += (double)g->dangling[i] * xv; /* exact, and no branch to mispredict */
        }
        pl->part[2 * c] = diff;
        pl->part[2 * c + 1] = dang;
    }
}

/* The L1 change of the free nodes going from fa + fb p_u to cu + cp p_u. As p_u >= 0, it is
 * |cu - fa| n_free + |cp - fb| p_free when both constants move the same way, which is every
 * iteration but the first one with a personalization; that one scans the free nodes. */
static double pr_free_change(const pr_graph *g, const uint8_t *removed, const double *pers,
                             int32_t n, double fa, double fb, double cu, double cp) {
    double da = cu - fa, db = cp - fb;
    if (da * db >= 0.0) {
        return fabs(da) * (double)g->n_free + fabs(db) * g->p_free;
    }
    double change = 0.0;
    for (int32_t x = 0; x < n; x++) {
        if (g->pos[x] < 0 && !is_removed(removed, x)) {
            change += fabs(da + db * pers[x]);
        }
    }
    return change;
}

/* ---- PageRank by strongly connected components ----
 *
 * When the dangling rank follows the personalization p (CP_DANGLING_PERSONALIZATION, or any mode
 * without a personalization, where p and the uniform vector coincide), the fixed point satisfies
 * (I - alpha P~^T) x = beta p for a scalar beta, with P~ the transition matrix whose dangling rows
 * are zero. So x = y / ||y||_1 with y the solution of y = alpha P~^T y + (1 - alpha) p, a linear
 * system that is triangular by blocks once the nodes are ordered by strongly connected components
 * in topological order: a component reads only from itself and from components before it. Each
 * component is solved in that order with its inputs already final: a single node directly
 * (y_u = (alpha * (inputs) + (1 - alpha) p_u) / (1 - alpha P_uu), exact, a self-loop included),
 * a larger one by Gauss-Seidel sweeps in a fixed order until its L1 change falls below
 * tol * (its size) (so the changes summed over the components stay below n_active * tol, the
 * rule of the power iteration). All of it is serial, in an order fixed by the view: bit-identical
 * at any thread count. On a graph that is mostly acyclic (transaction networks) this is about one
 * pass over the edges instead of log(tol) / log(alpha) of them. */

/* The components of g's kept entries (edges tail -> node), by Tarjan's algorithm run iteratively
 * over the in-entries: a component is emitted after every component it reaches backwards, so the
 * emission order is a topological order of the edges' direction (upstream first). order (n_g):
 * gather indices by component; cstart (n_g + 1): component c is order[cstart[c] .. cstart[c+1]-1];
 * rpos (n_g): the position of each node in order. Returns the number of components, -1 when out
 * of memory. */
static int32_t pr_components(const pr_graph *g, int32_t *order, int32_t *cstart, int32_t *rpos) {
    int32_t n_g = g->n_g;
    size_t ng1 = (size_t)n_g + 1;
    int32_t *low = cp__malloc_array(ng1, sizeof *low);
    int32_t *stk = cp__malloc_array(ng1, sizeof *stk);
    int32_t *cs_node = cp__malloc_array(ng1, sizeof *cs_node);
    int64_t *cs_k = cp__malloc_array(ng1, sizeof *cs_k);
    int32_t n_comp = -1;
    if (low == NULL || stk == NULL || cs_node == NULL || cs_k == NULL) {
        goto out;
    }
    /* rpos doubles as the discovery index (-1: unvisited) until a node's component is emitted;
     * an emitted node gets its final position, and is marked off the stack in low (INT32_MAX). */
    for (int32_t i = 0; i < n_g; i++) {
        rpos[i] = -1;
    }
    int32_t counter = 0, sp = 0, nout = 0;
    n_comp = 0;
    for (int32_t r = 0; r < n_g; r++) {
        if (rpos[r] >= 0) {
            continue;
        }
        int32_t csp = 0;
        rpos[r] = low[r] = counter++;
        stk[sp++] = r;
        cs_node[csp] = r;
        cs_k[csp] = g->off[r];
        csp++;
        while (csp > 0) {
            int32_t i = cs_node[csp - 1];
            int64_t k = cs_k[csp - 1];
            if (k < g->off[i + 1]) {
                cs_k[csp - 1] = k + 1;
                int32_t j = g->tail[k];
                if (rpos[j] < 0) {
                    rpos[j] = low[j] = counter++;
                    stk[sp++] = j;
                    cs_node[csp] = j;
                    cs_k[csp] = g->off[j];
                    csp++;
                } else if (low[j] != INT32_MAX && rpos[j] < low[i]) {
                    low[i] = rpos[j]; /* j on the stack: rpos[j] is still its discovery index */
                }
                continue;
            }
            csp--;
            if (csp > 0 && low[i] < low[cs_node[csp - 1]]) {
                low[cs_node[csp - 1]] = low[i];
            }
            if (low[i] == rpos[i]) {
                cstart[n_comp++] = nout;
                int32_t j;
                do {
                    j = stk[--sp];
                    low[j] = INT32_MAX;
                    order[nout++] = j;
                } while (j != i);
            }
        }
    }
    cstart[n_comp] = nout;
    for (int32_t p = 0; p < n_g; p++) {
        rpos[order[p]] = p;
    }
out:
    cp__free(low);
    cp__free(stk);
    cp__free(cs_node);
    cp__free(cs_k);
    return n_comp;
}

/* Use the component solver when at most this fraction of the non-removed nodes lies in
 * components of two or more nodes. Inside such a component the linear solve converges at about
 * alpha * (the spectral radius of its block of P~), near alpha on a large well-mixed component,
 * where the power iteration converges at alpha * |lambda_2|, often much faster: measured at
 * 1 thread (bench/, tol 1e-10 / n), R-MAT scale 16 (52% of the nodes cyclic) 66 sweeps and 99 ms
 * against 21 iterations and 49 ms, scale 18 (47%) 0.70 s against 0.23 s; wiki-Vote (18%) 1.8 ms
 * against 2.2 ms; the Ethereum phishing network (5.5%) 5 ms against 28 ms. */
#define PR_SCC_MAX_CYCLIC 0.25

/* PageRank by components (see above), when it applies and pays: *done says whether it ran (the
 * status is then the call's; else nothing was written and the power iteration follows). */
static cp_status pr_by_components(double *rank, cp_iter_info *info, bool *done, const pr_graph *g,
                                  const cp_pagerank_params *pp, const double *pers,
                                  const uint8_t *removed, int32_t n, int32_t n_act, bool weighted,
                                  cp_error *err) {
    static const char fn[] = "cp_pagerank";
    cp_status status = CP_OK;
    *done = false;
    int32_t n_g = g->n_g;
    size_t ng1 = (size_t)n_g + 1;
    size_t m1 = (size_t)g->off[n_g] + 1;
    int32_t *order = cp__malloc_array(ng1, sizeof *order);
    int32_t *cstart = cp__malloc_array(ng1, sizeof *cstart);
    int32_t *rpos = cp__malloc_array(ng1, sizeof *rpos);
    double *y = NULL, *z = NULL, *lprob = NULL, *lext = NULL;
    int32_t *ltail = NULL;
    int64_t *loff = NULL;
    if (order == NULL || cstart == NULL || rpos == NULL) {
        goto nomem;
    }
    int32_t n_comp = pr_components(g, order, cstart, rpos);
    if (n_comp < 0) {
        goto nomem;
    }
    /* Nodes in components of two or more, and the entries inside the largest such component. */
    int32_t n_cyclic = 0, big = 0;
    for (int32_t c = 0; c < n_comp; c++) {
        int32_t size = cstart[c + 1] - cstart[c];
        n_cyclic += size > 1 ? size : 0;
        big = size > big ? size : big;
    }
    if ((double)n_cyclic > PR_SCC_MAX_CYCLIC * (double)n_act) {
        goto cleanup; /* mostly cyclic: the (parallel) power iteration */
    }
    *done = true;
    y = cp__malloc_array(ng1, sizeof *y);
    z = weighted ? y : cp__malloc_array(ng1, sizeof *z);
    if (y == NULL || z == NULL) {
        goto nomem;
    }
    if (big > 1) {
        loff = cp__malloc_array((size_t)big + 1, sizeof *loff);
        lext = cp__malloc_array((size_t)big + 1, sizeof *lext);
        ltail = cp__malloc_array(m1, sizeof *ltail);
        if (weighted) {
            lprob = cp__malloc_array(m1, sizeof *lprob);
        }
        if (loff == NULL || lext == NULL || ltail == NULL || (weighted && lprob == NULL)) {
            goto nomem;
        }
    }
    double alpha = pp->alpha, beta = 1.0 - alpha;
    double unif = beta / (double)n_act; /* y at a free node without a personalization */
    for (int32_t i = 0; i < n_g; i++) {
        z[i] = 0.0; /* a node's own value is 0 until solved: a singleton reads only the others */
    }
    int64_t iters = 0;
    double change = 0.0;
    bool converged = true;
    for (int32_t c = 0; c < n_comp; c++) {
        int32_t cs = cstart[c], ce = cstart[c + 1];
        if (ce - cs == 1) {
            /* y_i (1 - alpha P_ii) = alpha * (inputs from others) + beta p_i: exact. */
            int32_t i = order[cs];
            double s = 0.0, self = 0.0;
            for (int64_t k = g->off[i]; k < g->off[i + 1]; k++) {
                int32_t j = g->tail[k];
                double pk = weighted ? g->prob[k] : g->scale[j];
                s += weighted ? z[j] * pk : z[j];
                self += j == i ? pk : 0.0;
            }
            double base = pers != NULL ? alpha * (s + beta * g->from_free_p[i]) + beta * g->pers[i]
                                       : alpha * (s + unif * g->from_free[i]) + unif;
            double yi = base / (1.0 - alpha * self);
            y[i] = yi;
            if (!weighted) {
                z[i] = yi * g->scale[i];
            }
            continue;
        }
        /* A cyclic component: its inputs from outside are final, so fold them into lext once,
         * copy its inside entries, then Gauss-Seidel sweeps in the order of `order`. */
        int64_t cnt = 0;
        for (int32_t r = cs; r < ce; r++) {
            int32_t i = order[r];
            double ext = 0.0;
            loff[r - cs] = cnt;
            for (int64_t k = g->off[i]; k < g->off[i + 1]; k++) {
                int32_t j = g->tail[k];
                if (rpos[j] >= cs && rpos[j] < ce) {
                    ltail[cnt] = j;
                    if (weighted) {
                        lprob[cnt] = g->prob[k];
                    }
                    cnt++;
                } else {
                    ext += weighted ? z[j] * g->prob[k] : z[j];
                }
            }
            double base = pers != NULL
                              ? alpha * (ext + beta * g->from_free_p[i]) + beta * g->pers[i]
                              : alpha * (ext + unif * g->from_free[i]) + unif;
            lext[r - cs] = base;
            y[i] = base; /* the start: a lower bound of the solution */
            if (!weighted) {
                z[i] = base * g->scale[i];
            }
        }
        loff[ce - cs] = cnt;
        double limit = pp->tol * (double)(ce - cs);
        int64_t sweeps = 0;
        bool conv = false;
        double chg = 0.0;
        while (sweeps < pp->max_iter) {
            chg = 0.0;
            for (int32_t r = cs; r < ce; r++) {
                int32_t i = order[r], l = r - cs;
                double s = 0.0;
                if (weighted) {
                    for (int64_t k = loff[l]; k < loff[l + 1]; k++) {
                        s += z[ltail[k]] * lprob[k];
                    }
                } else {
                    for (int64_t k = loff[l]; k < loff[l + 1]; k++) {
                        s += z[ltail[k]];
                    }
                }
                double yn = lext[l] + alpha * s;
                chg += fabs(yn - y[i]);
                y[i] = yn;
                if (!weighted) {
                    z[i] = yn * g->scale[i];
                }
            }
            sweeps++;
            if (chg < limit) {
                conv = true;
                break;
            }
        }
        iters = sweeps > iters ? sweeps : iters;
        change = chg;
        converged = converged && conv;
    }
    /* Normalise: the free nodes hold beta p_u; the sum in node order. */
    double sum = 0.0;
    for (int32_t u = 0; u < n; u++) {
        if (g->pos[u] >= 0) {
            sum += y[g->pos[u]];
        } else if (!is_removed(removed, u)) {
            sum += pers != NULL ? beta * pers[u] : unif;
        }
    }
    double inv = 1.0 / sum;
    for (int32_t u = 0; u < n; u++) {
        if (g->pos[u] >= 0) {
            rank[u] = y[g->pos[u]] * inv;
        } else if (!is_removed(removed, u)) {
            rank[u] = (pers != NULL ? beta * pers[u] : unif) * inv;
        }
    }
    /* iterations: the most sweeps a cyclic component needed, at least 1 (the pass itself). */
    info_set(info, iters > 1 ? iters : 1, change, converged);
    status = converged ? CP_OK : CP_W_NOT_CONVERGED;
    goto cleanup;
nomem:
    status =
        cp_error_set(err, CP_E_NOMEM, "%s: out of memory (%" PRId32 " nodes, %" PRId64 " entries)",
                     fn, n, (int64_t)(m1 - 1));
cleanup:
    cp__free(order);
    cp__free(cstart);
    cp__free(rpos);
    if (z != y) {
        cp__free(z);
    }
    cp__free(y);
    cp__free(lprob);
    cp__free(lext);
    cp__free(ltail);
    cp__free(loff);
    return status;
}

cp_status cp_pagerank(double *rank, cp_iter_info *info, const cp_view *v, const uint8_t *removed,
                      const cp_pagerank_params *params, cp_error *err) {
    static const char fn[] = "cp_pagerank";
    cp_status status = CP_OK;
    plan pl = {0, NULL, NULL, false};
    pr_graph g;
    memset(&g, 0, sizeof g);
    double *pers = NULL;                       /* normalised personalization, or NULL: uniform */
    double *inv_out = NULL;                    /* 1 / out-weight per node (0: none) */
    double *b0 = NULL, *b1 = NULL, *b2 = NULL; /* per gather node; see the sweeps */
    cp_pagerank_params def;
    cp_pagerank_params_init(&def);
    const cp_pagerank_params *pp = params != NULL ? params : &def;
    info_set(info, 0, 0.0, false);
    CP_TRY(check_common(fn, v, rank, NULL, false, pp->tol, pp->max_iter, err));
    double alpha = pp->alpha;
    if (!(alpha >= 0.0 && alpha < 1.0)) {
        status = cp_error_set(err, CP_E_INVALID, "%s: alpha = %g is not in [0, 1)", fn, alpha);
        goto cleanup;
    }
    if (pp->dangling != CP_DANGLING_PERSONALIZATION && pp->dangling != CP_DANGLING_UNIFORM) {
        status = cp_error_set(err, CP_E_INVALID, "%s: dangling mode %d is unknown", fn,
                              (int)pp->dangling);
        goto cleanup;
    }
    bool weighted = pp->weighted;
    int32_t n = v->n;
    int32_t n_act = count_active(n, removed);
    if (pp->personalization != NULL) {
        pers = cp__malloc_array((size_t)n, sizeof *pers);
        if (pers == NULL && n > 0) {
            status = cp_error_set(err, CP_E_NOMEM, "%s: out of memory (%" PRId32 " nodes)", fn, n);
            goto cleanup;
        }
        if (n_act > 0) {
            CP_TRY(pagerank_pers(pers, pp->personalization, n, removed, err));
        }
    }
    if (n_act == 0) {
        info_set(info, 0, 0.0, true);
        goto cleanup;
    }
    inv_out = cp__malloc_array((size_t)n, sizeof *inv_out);
    if (inv_out == NULL) {
        status = cp_error_set(err, CP_E_NOMEM, "%s: out of memory (%" PRId32 " nodes)", fn, n);
        goto cleanup;
    }
    /* 1 / out-weight to non-removed heads; 0 at removed and dangling nodes. Weighted, every
     * weight is checked in the same pass (check_weights, fused: one pass over m fewer). */
    const int64_t *off = v->offsets;
    const int32_t *ind = v->indices;
    for (int32_t u = 0; u < n; u++) {
        double s = 0.0;
        bool gone = is_removed(removed, u);
        if (!weighted) {
            if (removed == NULL) {
                s = (double)(off[u + 1] - off[u]); /* no scan needed */
            } else if (!gone) {
                for (int64_t k = off[u]; k < off[u + 1]; k++) {
                    s += is_removed(removed, ind[k]) ? 0.0 : 1.0;
                }
            }
        } else {
            for (int64_t k = off[u]; k < off[u + 1]; k++) {
                double w = v->weights[k];
                if (!(w >= 0.0) || !isfinite(w)) {
                    CP_TRY(check_weights(fn, v, err)); /* reports the first bad entry */
                }
                s += gone || is_removed(removed, ind[k]) ? 0.0 : w;
            }
        }
        if (!isfinite(s)) {
            status = cp_error_set(err, CP_E_INVALID,
                                  "%s: the out-weights of node %" PRId32 " sum to infinity", fn, u);
            goto cleanup;
        }
        inv_out[u] = s > 0.0 ? 1.0 / s : 0.0;
    }
    CP_TRY(pr_graph_make(&g, v, removed, weighted, inv_out, pers, err));
    if (pers == NULL || pp->dangling == CP_DANGLING_PERSONALIZATION) {
        bool done = false;
        status =
            pr_by_components(rank, info, &done, &g, pp, pers, removed, n, n_act, weighted, err);
        if (status < 0 || done) {
            goto cleanup;
        }
    }
    CP_TRY(plan_make(&pl, g.n_g, g.off, NULL, PR_PAR_MIN_WORK, fn, err));
    size_t ng1 = (size_t)g.n_g + 1;
    b0 = cp__malloc_array(ng1, sizeof *b0);
    b1 = cp__malloc_array(ng1, sizeof *b1);
    if (!weighted) {
        b2 = cp__malloc_array(ng1, sizeof *b2);
    }
    if (b0 == NULL || b1 == NULL || (!weighted && b2 == NULL)) {
        status = cp_error_set(err, CP_E_NOMEM, "%s: out of memory (%" PRId32 " nodes)", fn, n);
        goto cleanup;
    }
    /* Start: uniform over the non-removed nodes (networkx), so free nodes hold fa + fb p_u with
     * fa = 1 / n_act, fb = 0. Unweighted, b0 is x and b1 x / outdeg; weighted, b0 is x. */
    double inv_act = 1.0 / (double)n_act;
    double fa = inv_act, fb = 0.0;
    double dmass = inv_act * (double)g.n_free_dangling;
    for (int32_t i = 0; i < g.n_g; i++) {
        b0[i] = inv_act;
        if (!weighted) {
            b1[i] = inv_act * g.scale[i];
        }
        dmass += g.dangling[i] ? inv_act : 0.0;
    }
    bool dangling_uniform = pp->dangling == CP_DANGLING_UNIFORM;
    double limit = (double)n_act * pp->tol;
    double change = 0.0;
    int64_t it = 0;
    bool converged = false;
    double *cur = weighted ? b0 : b1, *nxt = weighted ? b1 : b2;
    while (it < pp->max_iter) {
        /* x'_v = alpha * pull + cp * p_v + cu. */
        double cp = (1.0 - alpha) + (dangling_uniform ? 0.0 : alpha * dmass);
        double cu = dangling_uniform ? alpha * dmass * inv_act : 0.0;
        if (pers == NULL) {
            cu += cp * inv_act;
            cp = 0.0;
        }
        if (weighted) {
            pr_sweep_weighted(&pl, &g, alpha, fa, fb, cu, cp, cur, nxt);
        } else {
            pr_sweep(&pl, &g, alpha, fa, fb, cu, cp, b0, cur, nxt);
        }
        change = plan_sum(&pl, 0) + pr_free_change(&g, removed, pers, n, fa, fb, cu, cp);
        dmass = plan_sum(&pl, 1) + cu * (double)g.n_free_dangling + cp * g.p_free_dangling;
        fa = cu;
        fb = cp;
        double *t = cur;
        cur = nxt;
        nxt = t;
        it++;
        if (change < limit) {
            converged = true;
            break;
        }
    }
    /* Scatter back: gather nodes from their buffer, free nodes fa + fb p_u, removed ones 0. */
    const double *x = weighted ? cur : b0;
    for (int32_t u = 0; u < n; u++) {
        if (g.pos[u] >= 0) {
            rank[u] = x[g.pos[u]];
        } else if (!is_removed(removed, u)) {
            rank[u] = fa + (pers != NULL ? fb * pers[u] : 0.0);
        }
    }
    info_set(info, it, change, converged);
    status = converged ? CP_OK : CP_W_NOT_CONVERGED;
cleanup:
    if (status < 0 && v != NULL && v->n > 0 && rank != NULL) {
        memset(rank, 0, (size_t)v->n * sizeof *rank);
    }
    plan_free(&pl);
    pr_graph_free(&g);
    cp__free(pers);
    cp__free(inv_out);
    cp__free(b0);
    cp__free(b1);
    cp__free(b2);
    return status;
}

/* ---- helpers of Katz, eigenvector and HITS ---- */

/* For every non-removed x: nxt[x] = alpha * (gather of y over x's in-entries (rev) or
 * out-entries) + self * y[x] + (bvec ? bvec[x] : b). Chunk sums of nxt (part[2c]) and of its
 * squares (part[2c + 1]). Removed entries of nxt are left alone (0). */
static void sweep_pull(plan *pl, const cp_view *v, const uint8_t *removed, bool rev, bool weighted,
                       double alpha, double self, double b, const double *bvec, const double *y,
                       double *nxt) {
#pragma omp parallel for schedule(dynamic, 1) if (pl->parallel)
    for (int64_t c = 0; c < pl->n_chunks; c++) {
        double sum = 0.0, sq = 0.0;
        for (int32_t x = pl->bounds[c]; x < pl->bounds[c + 1]; x++) {
            if (is_removed(removed, x)) {
                continue;
            }
            double xv = alpha * pull(v, rev, weighted, y, x) + self * y[x];
            xv += bvec != NULL ? bvec[x] : b;
            nxt[x] = xv;
            sum += xv;
            sq += xv * xv;
        }
        pl->part[2 * c] = sum;
        pl->part[2 * c + 1] = sq;
    }
}

/* nxt *= scale (removed entries are 0 and stay so), chunk L1 change |nxt - cur| in part[2c]. */
static void sweep_scale_diff(plan *pl, double scale, const double *cur, double *nxt) {
#pragma omp parallel for schedule(dynamic, 1) if (pl->parallel)
    for (int64_t c = 0; c < pl->n_chunks; c++) {
        double diff = 0.0;
        for (int32_t x = pl->bounds[c]; x < pl->bounds[c + 1]; x++) {
            double xv = nxt[x] * scale;
            nxt[x] = xv;
            diff += fabs(xv - cur[x]);
        }
        pl->part[2 * c] = diff;
    }
}

/* Chunk sums of x (part[2c]) and of its squares (part[2c + 1]). */
static void sweep_sums(plan *pl, const double *x) {
#pragma omp parallel for schedule(dynamic, 1) if (pl->parallel)
    for (int64_t c = 0; c < pl->n_chunks; c++) {
        double sum = 0.0, sq = 0.0;
        for (int32_t i = pl->bounds[c]; i < pl->bounds[c + 1]; i++) {
            sum += x[i];
            sq += x[i] * x[i];
        }
        pl->part[2 * c] = sum;
        pl->part[2 * c + 1] = sq;
    }
}

/* ---- Katz ---- */

void cp_katz_params_init(cp_katz_params *p) {
    p->alpha = 0.1;
    p->beta = 1.0;
    p->beta_vec = NULL;
    p->normalized = true;
    p->weighted = false;
    p->tol = 1e-10;
    p->max_iter = 1000;
}

cp_status cp_katz(double *x, cp_iter_info *info, const cp_view *v, const uint8_t *removed,
                  const cp_katz_params *params, cp_error *err) {
    static const char fn[] = "cp_katz";
    cp_status status = CP_OK;
    plan pl = {0, NULL, NULL, false};
    double *alt = NULL;
    cp_katz_params def;
    cp_katz_params_init(&def);
    const cp_katz_params *kp = params != NULL ? params : &def;
    info_set(info, 0, 0.0, false);
    CP_TRY(check_common(fn, v, x, NULL, false, kp->tol, kp->max_iter, err));
    if (!(kp->alpha >= 0.0) || !isfinite(kp->alpha)) {
        status = cp_error_set(err, CP_E_INVALID, "%s: alpha = %g must be finite and >= 0", fn,
                              kp->alpha);
        goto cleanup;
    }
    if (!isfinite(kp->beta)) {
        status = cp_error_set(err, CP_E_INVALID, "%s: beta = %g is not finite", fn, kp->beta);
        goto cleanup;
    }
    int32_t n = v->n;
    if (kp->beta_vec != NULL) {
        for (int32_t i = 0; i < n; i++) {
            if (!isfinite(kp->beta_vec[i])) {
                status =
                    cp_error_set(err, CP_E_INVALID, "%s: beta_vec[%" PRId32 "] = %g is not finite",
                                 fn, i, kp->beta_vec[i]);
                goto cleanup;
            }
        }
    }
    if (kp->weighted) {
        CP_TRY(check_weights(fn, v, err));
    }
    int32_t n_act = count_active(n, removed);
    if (n_act == 0) {
        info_set(info, 0, 0.0, true);
        goto cleanup;
    }
    CP_TRY(plan_make_view(&pl, v, fn, err));
    alt = cp__calloc((size_t)n, sizeof *alt);
    if (alt == NULL) {
        status = cp_error_set(err, CP_E_NOMEM, "%s: out of memory (%" PRId32 " nodes)", fn, n);
        goto cleanup;
    }
    /* x_0 = 0 (x was cleared); x_{k+1} = alpha A^T x_k + beta. */
    double limit = (double)n_act * kp->tol;
    double change = 0.0;
    int64_t it = 0;
    bool converged = false;
    double *cur = x, *nxt = alt;
    while (it < kp->max_iter) {
        sweep_pull(&pl, v, removed, true, kp->weighted, kp->alpha, 0.0, kp->beta, kp->beta_vec, cur,
                   nxt);
        sweep_scale_diff(&pl, 1.0, cur, nxt);
        change = plan_sum(&pl, 0);
        double *t = cur;
        cur = nxt;
        nxt = t;
        it++;
        if (!isfinite(change)) {
            break; /* diverged: alpha is at or above 1 / lambda_max */
        }
        if (change < limit) {
            converged = true;
            break;
        }
    }
    if (cur != x) {
        memcpy(x, cur, (size_t)n * sizeof *x);
    }
    if (kp->normalized && isfinite(change)) {
        sweep_sums(&pl, x);
        double sum = plan_sum(&pl, 0);
        double norm = sqrt(plan_sum(&pl, 1));
        if (norm > 0.0 && isfinite(norm)) {
            double s = sum < 0.0 ? -norm : norm;
            for (int32_t i = 0; i < n; i++) {
                x[i] /= s;
            }
        }
    }
    info_set(info, it, change, converged);
    status = converged ? CP_OK : CP_W_NOT_CONVERGED;
cleanup:
    if (status < 0 && v != NULL && v->n > 0 && x != NULL) {
        memset(x, 0, (size_t)v->n * sizeof *x);
    }
    plan_free(&pl);
    cp__free(alt);
    return status;
}

/* ---- eigenvector ---- */

void cp_eigenvector_params_init(cp_eigenvector_params *p) {
    p->weighted = false;
    p->shift = true;
    p->tol = 1e-10;
    p->max_iter = 1000;
}

cp_status cp_eigenvector(double *x, cp_iter_info *info, const cp_view *v, const uint8_t *removed,
                         const cp_eigenvector_params *params, cp_error *err) {
    static const char fn[] = "cp_eigenvector";
    cp_status status = CP_OK;
    plan pl = {0, NULL, NULL, false};
    double *alt = NULL;
    cp_eigenvector_params def;
    cp_eigenvector_params_init(&def);
    const cp_eigenvector_params *ep = params != NULL ? params : &def;
    info_set(info, 0, 0.0, false);
    CP_TRY(check_common(fn, v, x, NULL, false, ep->tol, ep->max_iter, err));
    if (ep->weighted) {
        CP_TRY(check_weights(fn, v, err));
    }
    int32_t n = v->n;
    int32_t n_act = count_active(n, removed);
    if (n_act == 0) {
        info_set(info, 0, 0.0, true);
        goto cleanup;
    }
    int32_t n_comp = 0;
    CP_TRY(cp__scc(NULL, &n_comp, NULL, v, removed, ep->weighted, err));
    CP_TRY(plan_make_view(&pl, v, fn, err));
    alt = cp__calloc((size_t)n, sizeof *alt);
    if (alt == NULL) {
        status = cp_error_set(err, CP_E_NOMEM, "%s: out of memory (%" PRId32 " nodes)", fn, n);
        goto cleanup;
    }
    /* Start uniform (networkx), then x <- (shift x + A^T x) / ||.||_2. */
    for (int32_t i = 0; i < n; i++) {
        x[i] = is_removed(removed, i) ? 0.0 : 1.0 / (double)n_act;
    }
    double limit = (double)n_act * ep->tol;
    double change = 0.0;
    int64_t it = 0;
    bool converged = false;
    double *cur = x, *nxt = alt;
    while (it < ep->max_iter) {
        sweep_pull(&pl, v, removed, true, ep->weighted, 1.0, ep->shift ? 1.0 : 0.0, 0.0, NULL, cur,
                   nxt);
        double norm = sqrt(plan_sum(&pl, 1));
        if (norm == 0.0) {
            norm = 1.0; /* networkx: an all-zero step stays as it is */
        }
        sweep_scale_diff(&pl, 1.0 / norm, cur, nxt);
        change = plan_sum(&pl, 0);
        double *t = cur;
        cur = nxt;
        nxt = t;
        it++;
        if (change < limit) {
            converged = true;
            break;
        }
    }
    if (cur != x) {
        memcpy(x, cur, (size_t)n * sizeof *x);
    }
    info_set(info, it, change, converged);
    if (!converged) {
        status = CP_W_NOT_CONVERGED;
    } else if (n_comp > 1) {
        status = CP_W_NOT_STRONGLY_CONNECTED;
    }
cleanup:
    if (status < 0 && v != NULL && v->n > 0 && x != NULL) {
        memset(x, 0, (size_t)v->n * sizeof *x);
    }
    plan_free(&pl);
    cp__free(alt);
    return status;
}

/* ---- HITS ---- */

void cp_hits_params_init(cp_hits_params *p) {
    p->weighted = false;
    p->tol = 1e-10;
    p->max_iter = 1000;
}

/* Whether some entry joins two non-removed nodes (with a non-zero weight, when weighted). */
static bool has_live_entry(const cp_view *v, const uint8_t *removed, bool weighted) {
    for (int32_t u = 0; u < v->n; u++) {
        if (is_removed(removed, u)) {
            continue;
        }
        for (int64_t k = v->offsets[u]; k < v->offsets[u + 1]; k++) {
            if (!is_removed(removed, v->indices[k]) && (!weighted || v->weights[k] > 0.0)) {
                return true;
            }
        }
    }
    return false;
}

cp_status cp_hits(double *hubs, double *authorities, cp_iter_info *info, const cp_view *v,
                  const uint8_t *removed, const cp_hits_params *params, cp_error *err) {
    static const char fn[] = "cp_hits";
    cp_status status = CP_OK;
    plan pl = {0, NULL, NULL, false};
    double *halt = NULL, *aalt = NULL;
    cp_hits_params def;
    cp_hits_params_init(&def);
    const cp_hits_params *hp = params != NULL ? params : &def;
    info_set(info, 0, 0.0, false);
    CP_TRY(check_common(fn, v, hubs, authorities, true, hp->tol, hp->max_iter, err));
    bool weighted = hp->weighted;
    if (weighted) {
        CP_TRY(check_weights(fn, v, err));
    }
    int32_t n = v->n;
    int32_t n_act = count_active(n, removed);
    if (n_act == 0) {
        info_set(info, 0, 0.0, true);
        goto cleanup;
    }
    double x0 = 1.0 / (double)n_act;
    if (!has_live_entry(v, removed, weighted)) {
        /* A = 0: every node ties. */
        for (int32_t i = 0; i < n; i++) {
            hubs[i] = authorities[i] = is_removed(removed, i) ? 0.0 : x0;
        }
        info_set(info, 0, 0.0, true);
        goto cleanup;
    }
    CP_TRY(plan_make_view(&pl, v, fn, err));
    halt = cp__calloc((size_t)n, sizeof *halt);
    aalt = cp__calloc((size_t)n, sizeof *aalt);
    if (halt == NULL || aalt == NULL) {
        status = cp_error_set(err, CP_E_NOMEM, "%s: out of memory (%" PRId32 " nodes)", fn, n);
        goto cleanup;
    }
    for (int32_t i = 0; i < n; i++) {
        hubs[i] = is_removed(removed, i) ? 0.0 : x0;
    }
    /* a <- A^T h / sum, h <- A a / sum; authorities start at 0. */
    double limit = (double)n_act * hp->tol;
    double change = 0.0;
    int64_t it = 0;
    bool converged = false;
    double *h = hubs, *hn = halt, *a = authorities, *an = aalt;
    while (it < hp->max_iter) {
        sweep_pull(&pl, v, removed, true, weighted, 1.0, 0.0, 0.0, NULL, h, an);
        double sa = plan_sum(&pl, 0);
        sweep_scale_diff(&pl, sa > 0.0 ? 1.0 / sa : 1.0, a, an);
        double da = plan_sum(&pl, 0);
        sweep_pull(&pl, v, removed, false, weighted, 1.0, 0.0, 0.0, NULL, an, hn);
        double sh = plan_sum(&pl, 0);
        sweep_scale_diff(&pl, sh > 0.0 ? 1.0 / sh : 1.0, h, hn);
        double dh = plan_sum(&pl, 0);
        change = da + dh;
        double *t = h;
        h = hn;
        hn = t;
        t = a;
        a = an;
        an = t;
        it++;
        if (change < limit) {
            converged = true;
            break;
        }
    }
    if (h != hubs) {
        memcpy(hubs, h, (size_t)n * sizeof *hubs);
    }
    if (a != authorities) {
        memcpy(authorities, a, (size_t)n * sizeof *authorities);
    }
    info_set(info, it, change, converged);
    status = converged ? CP_OK : CP_W_NOT_CONVERGED;
cleanup:
    if (status < 0 && v != NULL && v->n > 0) {
        if (hubs != NULL) {
            memset(hubs, 0, (size_t)v->n * sizeof *hubs);
        }
        if (authorities != NULL) {
            memset(authorities, 0, (size_t)v->n * sizeof *authorities);
        }
    }
    plan_free(&pl);
    cp__free(halt);
    cp__free(aalt);
    return status;
}
