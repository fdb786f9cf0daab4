/* chokepoint: spectral and iterative centralities (PageRank, Katz, eigenvector, HITS) and strongly
 * connected components on views (DESIGN section 4), CPU backend.
 *
 * Conventions shared by every function here:
 * - `removed` is an optional removal mask (n bytes, non-zero = removed; NULL = none). A removed
 *   node and every edge at it are absent: the measure is that of the view minus the removed nodes,
 *   written back with 0 (or label -1) at the removed nodes, which stay in n.
 * - Weighted measures read the view's weights as strengths (a larger weight: a stronger tie).
 *   Weights must be finite and >= 0 (CP_E_INVALID naming the view entry otherwise); a zero weight
 *   carries nothing. Unweighted measures count every entry as 1. Parallel entries of a view built
 *   with CP_MULTI_KEEP add up, as their summed weight does under CP_MULTI_COLLAPSE.
 * - On a symmetric view every undirected edge counts both ways and a self-loop once (the
 *   adjacency matrix networkx builds for an undirected graph).
 * - Directed measures use the in-edge convention: a node is central when central nodes point to
 *   it (x_v gathers from the tails u of the edges u -> v), as networkx does.
 * - Iterations run until the L1 change of the score vector between two iterations falls below
 *   n_active * tol (n_active: the non-removed nodes; the networkx test), or max_iter iterations;
 *   a cp_iter_info (optional) reports how it went, and CP_W_NOT_CONVERGED (a warning: the last
 *   iterate is written) says that the limit was hit.
 * - Every sum runs in an order fixed by the input alone: per-node gathers in view order, and
 *   global sums (L1 change, dangling mass, norms) over a fixed set of node chunks whose number
 *   depends on n and m, never on the thread count, added in chunk order. Results are therefore
 *   bit-identical at any OpenMP thread count.
 * - Outputs are caller-owned arrays of n doubles, overwritten (they may be NULL when n = 0). On an
 *   error (negative status) they are all 0. */
#ifndef CHOKEPOINT_SPECTRAL_H
#define CHOKEPOINT_SPECTRAL_H

#include <stdbool.h>
#include <stdint.h>

#include "chokepoint/status.h"
#include "chokepoint/view.h"

#ifdef __cplusplus
extern "C" {
#endif

/* How an iteration ended. */
typedef struct cp_iter_info {
    int64_t iterations;  /* iterations run (0 when there was nothing to iterate) */
    double final_change; /* L1 change of the last iteration (0 when none ran) */
    bool converged;      /* final_change < n_active * tol (true when nothing to iterate) */
} cp_iter_info;

/* ---- PageRank ---- */

/* Where the rank held by dangling nodes (nodes without out-weight) goes. */
typedef enum cp_dangling {
    CP_DANGLING_PERSONALIZATION = 0, /* along the personalization vector (networkx; default) */
    CP_DANGLING_UNIFORM = 1          /* uniformly over the non-removed nodes (igraph 0.7) */
} cp_dangling;

typedef struct cp_pagerank_params {
    double alpha; /* damping factor, 0 <= alpha < 1; default 0.85 */
    /* n doubles >= 0, or NULL for uniform (the default). Entries at removed nodes are ignored; the
     * rest is divided by its sum, which must be > 0 and finite. Borrowed for the call. */
    const double *personalization;
    cp_dangling dangling; /* default CP_DANGLING_PERSONALIZATION */
    bool weighted;        /* transition probability proportional to weight; default false */
    double tol;           /* > 0; stop when the L1 change < n_active * tol; default 1e-10 */
    int64_t max_iter;     /* >= 1; default 1000 */
} cp_pagerank_params;

/* Sets every field of *p to its default. */
void cp_pagerank_params_init(cp_pagerank_params *p);

/* PageRank (Brin and Page 1998, "The anatomy of a large-scale hypertextual Web search engine";
 * Page, Brin, Motwani and Winograd 1999) of the view minus removed nodes, by power iteration:
 *
 *     x'_v = alpha * (sum over edges u -> v of x_u P_uv + d(x) q_v) + (1 - alpha) p_v,
 *
 * where P_uv = w_uv / (sum of u's out-weights to non-removed nodes) (w = 1 when unweighted), p is
 * the normalised personalization vector (uniform by default), d(x) is the rank held by dangling
 * nodes (non-removed nodes whose out-weight is 0: no out-edges, or only zero-weight ones, or
 * only edges to removed nodes) and q = p (CP_DANGLING_PERSONALIZATION, the networkx convention)
 * or uniform. The start vector is uniform over the non-removed nodes (as networkx's); the result
 * sums to 1 over them (up to rounding) and is 0 at removed nodes. A symmetric view is the
 * directed graph with both directions of every edge and each self-loop once (networkx).
 *
 * rank: n doubles, caller-owned. info: may be NULL. params: NULL for the defaults. Pull-based
 * (each node gathers over its in-edges, the view's rev_* arrays), OpenMP over fixed node chunks,
 * bit-identical at any thread count. Nodes that no edge points to are never swept (their value is
 * the teleport term, folded in once), and the rest gather over a compact copy of the in-edges:
 * one double and one int32 per kept entry (at most m) besides O(n) work space. Runs serially
 * below 2^19 nodes plus edges, where threads cost more than they give.
 *
 * Mostly acyclic graphs: when the dangling rank follows p (CP_DANGLING_PERSONALIZATION, or no
 * personalization, where both modes coincide) and at most a quarter of the non-removed nodes lie
 * in strongly connected components of two or more nodes, the same fixed point is computed as
 * x = y / ||y||_1 with y = alpha P~^T y + (1 - alpha) p (P~: P with dangling rows zero), solved
 * serially component by component in topological order: a single node exactly, a larger
 * component by Gauss-Seidel sweeps (fixed order) until its L1 change in y is below tol times its
 * size. info->iterations is then the most sweeps any component needed, at least 1 (the pass),
 * and final_change the last L1 change of the last component swept (0 when none was). Still
 * bit-identical at any thread count, and O(n + m) extra memory at most.
 *
 * Status: CP_OK; CP_W_NOT_CONVERGED (max_iter reached; rank holds the last iterate);
 * CP_E_INVALID (no view, no output array, alpha outside [0, 1), tol not > 0, max_iter < 1, an
 * unknown dangling mode, a personalization entry negative or not finite, a personalization
 * without weight on the non-removed nodes, or, when weighted, a negative or non-finite weight or
 * out-weights summing to infinity); CP_E_NOMEM. Time O(n + m) per iteration, about
 * log(tol) / log(alpha) iterations. */
cp_status cp_pagerank(double *rank, cp_iter_info *info, const cp_view *v, const uint8_t *removed,
                      const cp_pagerank_params *params, cp_error *err);

/* ---- Katz ---- */

typedef struct cp_katz_params {
    double alpha;           /* attenuation, finite and >= 0; below 1 / lambda_max to converge;
                               default 0.1 */
    double beta;            /* the constant term of every node when beta_vec is NULL; default 1 */
    const double *beta_vec; /* n finite doubles or NULL (then beta); borrowed */
    bool normalized;        /* divide by sign(sum x) * ||x||_2 (networkx); default true */
    bool weighted;          /* default false */
    double tol;             /* > 0; stop when the L1 change < n_active * tol; default 1e-10 */
    int64_t max_iter;       /* >= 1; default 1000 */
} cp_katz_params;

/* Sets every field of *p to its default. */
void cp_katz_params_init(cp_katz_params *p);

/* Katz centrality (Katz 1953, "A new status index derived from sociometric analysis"): the
 * solution of x = alpha A^T x + beta on the view minus removed nodes, with A_uv the weight (or
 * the number of entries, unweighted) of the edges u -> v, so x_v gathers from the nodes pointing
 * to v. Jacobi iteration from x = 0 (networkx's katz_centrality): x_k = sum over j < k of
 * (alpha A^T)^j beta. It converges when alpha < 1 / lambda_max (the spectral radius of A); when
 * it does not (divergence, or a non-finite iterate, at which point it stops early) the status is
 * CP_W_NOT_CONVERGED. With normalized, the result is divided by sign(sum) times its L2 norm
 * (networkx's katz_centrality_numpy; nothing happens to a zero vector).
 *
 * x: n doubles, caller-owned; 0 at removed nodes. info: may be NULL. params: NULL for defaults.
 * Status: CP_OK; CP_W_NOT_CONVERGED; CP_E_INVALID (no view, no output, alpha negative or not
 * finite, beta or a beta_vec entry not finite, tol not > 0, max_iter < 1, a negative or
 * non-finite weight when weighted); CP_E_NOMEM. Time O(n + m) per iteration, about
 * log(tol) / log(alpha lambda_max) iterations; OpenMP, bit-identical at any thread count. */
cp_status cp_katz(double *x, cp_iter_info *info, const cp_view *v, const uint8_t *removed,
                  const cp_katz_params *params, cp_error *err);

/* ---- eigenvector centrality ---- */

typedef struct cp_eigenvector_params {
    bool weighted;    /* default false */
    bool shift;       /* iterate with I + A^T instead of A^T (networkx); default true */
    double tol;       /* > 0; stop when the L1 change < n_active * tol; default 1e-10 */
    int64_t max_iter; /* >= 1; default 1000 */
} cp_eigenvector_params;

/* Sets every field of *p to its default. */
void cp_eigenvector_params_init(cp_eigenvector_params *p);

/* Eigenvector centrality (Bonacich 1972, "Factoring and weighting approaches to status scores and
 * clique identification"): the dominant eigenvector of A^T (x_v proportional to the sum of x_u
 * over edges u -> v, the in-edge convention of networkx) on the view minus removed nodes, by
 * power iteration from the uniform vector, L2-normalised after every step. With shift (the
 * default, as networkx's eigenvector_centrality) each step multiplies by I + A^T, which has the
 * same eigenvectors with eigenvalues moved by 1, so the iteration also converges on periodic
 * graphs (bipartite, cycles); without it, by A^T alone (no convergence there). An all-zero step
 * (no edges) keeps the vector unnormalised (networkx).
 *
 * The eigenvector is unique and positive only when the graph (minus removed nodes; on a weighted
 * run, minus zero-weight entries) is strongly connected (connected, for a symmetric view). When
 * it is not, the result is still computed (the limit of the iteration from the uniform vector,
 * which is networkx's answer) and the status is CP_W_NOT_STRONGLY_CONNECTED; a run that also
 * failed to converge returns CP_W_NOT_CONVERGED instead (info->converged tells). A single
 * non-removed node, or none, counts as strongly connected.
 *
 * x: n doubles, caller-owned; 0 at removed nodes. info: may be NULL. params: NULL for defaults.
 * Status: CP_OK; CP_W_NOT_STRONGLY_CONNECTED; CP_W_NOT_CONVERGED; CP_E_INVALID (no view, no
 * output, tol not > 0, max_iter < 1, a negative or non-finite weight when weighted); CP_E_NOMEM.
 * Time O(n + m) per iteration plus one strongly connected components pass; OpenMP, bit-identical
 * at any thread count. */
cp_status cp_eigenvector(double *x, cp_iter_info *info, const cp_view *v, const uint8_t *removed,
                         const cp_eigenvector_params *params, cp_error *err);

/* ---- HITS ---- */

typedef struct cp_hits_params {
    bool weighted;    /* default false (networkx's hits uses weights when present) */
    double tol;       /* > 0; stop when the L1 change of hubs plus that of authorities is
                         < n_active * tol; default 1e-10 */
    int64_t max_iter; /* >= 1; default 1000 */
} cp_hits_params;

/* Sets every field of *p to its default. */
void cp_hits_params_init(cp_hits_params *p);

/* Hubs and authorities (Kleinberg 1999, "Authoritative sources in a hyperlinked environment",
 * J. ACM 46(5)) of the view minus removed nodes: authorities a = A^T h (a node pointed to by good
 * hubs), hubs h = A a (a node pointing to good authorities), by power iteration from the uniform
 * hub vector, each vector divided by its sum after every step, so both sum to 1 as networkx's
 * hits returns them. They converge to the dominant left and right singular vectors of A, which
 * are unique when its largest singular value is simple. When A has no non-zero entry among the
 * non-removed nodes, every non-removed node gets 1 / n_active in both (all tie).
 *
 * hubs, authorities: n doubles each, caller-owned; 0 at removed nodes. info: may be NULL (its
 * change is that of hubs plus authorities). params: NULL for defaults.
 * Status: CP_OK; CP_W_NOT_CONVERGED; CP_E_INVALID (no view, no output, tol not > 0,
 * max_iter < 1, a negative or non-finite weight when weighted); CP_E_NOMEM. Time O(n + m) per
 * iteration (two gathers: over in-edges, then out-edges); OpenMP, bit-identical at any thread
 * count. */
cp_status cp_hits(double *hubs, double *authorities, cp_iter_info *info, const cp_view *v,
                  const uint8_t *removed, const cp_hits_params *params, cp_error *err);

/* ---- strongly connected components ---- */

/* Strongly connected components of the view minus removed nodes (on a symmetric view: connected
 * components): labels[x] = the smallest node index in x's component, -1 for removed nodes;
 * *n_components counts the components of non-removed nodes (an isolated node is one);
 * *largest (may be NULL) receives the size of the largest (0 when none). Tarjan's algorithm
 * (Tarjan 1972, "Depth-first search and linear graph algorithms", SIAM J. Comput. 1(2)) with an
 * explicit stack instead of recursion, so graphs of any depth run in O(n) extra memory. Serial and
 * deterministic. labels: n entries (may be NULL when n = 0), caller-owned; all -1 after an
 * error. Status: CP_OK; CP_E_INVALID (no view, no labels array or no count output); CP_E_NOMEM.
 * Time O(n + m), memory about 25 bytes per node. */
cp_status cp_scc(int32_t *labels, int32_t *n_components, int32_t *largest, const cp_view *v,
                 const uint8_t *removed, cp_error *err);

#ifdef __cplusplus
}
#endif
#endif
