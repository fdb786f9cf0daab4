/* chokepoint: the betweenness family on views (DESIGN sections 4 and 8), CPU backend.
 *
 * Every function takes a view (include/chokepoint/view.h) and an optional removal mask `removed`
 * (n bytes, non-zero = node removed; NULL = none): a removed node and its edges are absent, it
 * gets 0, but it stays in n for every normalisation (DESIGN section 4: denominators use the intact
 * graph). Outputs are caller-owned arrays, overwritten; on error they are all 0.
 *
 * Conventions shared by every function here (DESIGN section 8):
 *   - sigma_st is the number of shortest s-t paths, counted in double (it overflows any integer
 *     type on real graphs). Parallel entries of the view are distinct paths (a view built with
 *     CP_MULTI_COLLAPSE has one entry per neighbour). Self-loops never lie on a shortest path.
 *   - Lengths (cp_length): hops gives breadth-first search; weight, inverse and neglog give
 *     Dijkstra (1959) with a binary heap over lengths computed once per call by cp_view_lengths, in
 *     double. A tie is exact equality of the computed sums d(u) + len(u, w), the sums taken along
 *     the path from the source in path order. +inf lengths are not traversable, and neither is an
 *     entry whose sum overflows to +inf. Negative or NaN lengths are rejected (CP_E_INVALID, from
 *     cp_view_lengths).
 *   - Zero lengths are allowed. The shortest paths from s are the paths of the "tight" graph
 *     (entries u -> w, u != w, with d(u) + len == d(w)); they are counted exactly whenever that
 *     graph is acyclic, which is always the case when every length is positive and the sums never
 *     absorb a length. A cycle of tight entries (a zero-length cycle, e.g. an undirected edge of
 *     length 0 between two nodes at equal distance, or the all-zero triangle of case zerow-11
 *     g11b) makes "shortest path" ambiguous; chokepoint then orders each set of nodes at one
 *     distance topologically (Kahn 1962) and, when no node is free, takes the node that Dijkstra
 *     settled first (distance, then smaller index) and ignores its tight in-entries from nodes of
 *     that set not yet taken. The result is deterministic and every value stays in [0, 1] after
 *     normalisation; on g11b it gives raw unordered [0.5, 0.25, 0]. (networkx 2.8 gives values
 *     that depend on insertion order there, and misses paths even on some acyclic tight graphs;
 *     igraph rejects such input.)
 *   - Determinism: work is split over sources (or samples) into a fixed number of chunks that does
 *     not depend on the thread count; each chunk is summed serially and chunk sums are added in
 *     chunk order, so every result is bit-identical at any thread count for a given input, options
 *     and seed. Random draws come from Philox 4x32 keyed by the seed (kernels/common/philox.h,
 *     purpose CP_RNG_SAMPLE), so they are identical on every thread count and backend. */
#ifndef CHOKEPOINT_BETWEENNESS_H
#define CHOKEPOINT_BETWEENNESS_H

#include <stdbool.h>
#include <stdint.h>

#include "chokepoint/status.h"
#include "chokepoint/view.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Options of cp_betweenness and cp_group_betweenness. */
typedef struct cp_betweenness_options {
    cp_length length; /* hops (default): BFS; weight, inverse, neglog: Dijkstra on those lengths */
    bool endpoints;   /* count s and t of each pair as lying on its paths (default false) */
    bool normalized;  /* default false; see cp_betweenness for the denominators */
    int64_t samples;  /* 0 (default): every source, exact; k in 1..n: k sources drawn without
                         replacement among the non-removed nodes (cp_betweenness_sample_sources) */
    uint64_t seed;    /* key of the source draw (default 1) */
    const int32_t *sources; /* instead of a draw: this source list (duplicates and removed members
                               ignored); NULL (default) for none. Used when samples == 0. */
    int64_t n_sources;      /* entries in sources */
} cp_betweenness_options;

/* Sets *o to the defaults: hops, no endpoints, raw, exact, seed 1, no source list. */
void cp_betweenness_options_init(cp_betweenness_options *o);

/* Vertex and edge betweenness centrality: Brandes (2001), "A faster algorithm for betweenness
 * centrality", J. Math. Sociol. 25(2); variants (endpoints, edges, sources) after Brandes (2008),
 * "On variants of shortest-path betweenness centrality and their generic computation", Social
 * Networks 30(2).
 *
 * vertex_out[x] (n doubles; may be NULL when edge_out is given) gets, over ordered pairs (s, t) of
 * distinct non-removed nodes with t reachable from s, the sum of sigma_st(x) / sigma_st for x not
 * in {s, t} (with o->endpoints, x = s and x = t count 1 each). On a symmetric (undirected) view
 * each unordered pair counts once, i.e. the ordered sum is halved. With o->normalized the ordered
 * sum is divided by (n - 1)(n - 2) (directed and undirected alike: on an undirected view this is
 * the unordered sum over (n - 1)(n - 2) / 2), or with endpoints by n (n - 1); when n < 3 (n < 2
 * with endpoints) every normalised value is 0. Every normalised value lies in [0, 1].
 *
 * edge_out[k] (v->m doubles, one per view entry; may be NULL) gets the edge betweenness: the sum
 * over ordered pairs of the fraction of shortest s-t paths that run along entry k (parallel
 * entries share the paths between them). Endpoints do not apply. On a directed view, entry k =
 * (u -> w) counts paths that use it from u to w. On a symmetric view one undirected edge is stored
 * as two entries (u -> w in row u, w -> u in row w; the j-th u -> w entry of row u pairs with the
 * j-th w -> u entry of row w): both entries hold the same value, the betweenness of the undirected
 * edge (paths along it either way, each unordered pair counted once). A self-loop gets 0.
 * Normalised edge values are the ordered sum over n (n - 1) (0 when n < 2), as networkx does; on
 * a symmetric view that is the unordered sum over n (n - 1) / 2 (case multi-09 b).
 *
 * Sampling (o->samples = k, or an explicit o->sources list of k distinct non-removed nodes): only
 * the paths from those k sources are summed, then scaled to estimate the exact sum over the n'
 * non-removed sources (the convention of networkx >= 3.5 and case bc-sampled-03): a node that is
 * not a sampled source is scaled by (n' - 1) / k, a sampled source by (n' - 1) / (k - 1) (its own
 * term is missing from its sum; 0 when k = 1, where no sample bears on it), and with endpoints
 * every node by n' / k. Edge values are scaled by n' / k. With k = n' every scale is 1: the exact
 * result. Normalisation then divides as above.
 *
 * Speed: OpenMP over sources; BFS for hops with a predecessor-free backward pass (successors are
 * read from the CSR row and recognised by their level; the level tests are masks, not branches).
 * Without edge output and with hop lengths, a source s whose only successor is r and whose only
 * predecessor (if any) is r (a leaf; on a directed view also a node with in-degree 0 and one
 * successor) is "folded" into the search from r: its dependencies are r's, plus |R(r)| - [r
 * reaches s] on r itself, so a 50,000-leaf star is one search; such leaf-like nodes are also left
 * out of the other searches and counted instead (each adds exactly 1 to its neighbour's
 * dependency). Exact directed betweenness without edge output may run on the reversed view
 * (Brandes's sum is the same over targets on the reversed graph) when that leaves clearly fewer
 * searches on a graph of at most 16,384 nodes, and nodes are renumbered internally by in-degree
 * for cache locality. The result depends on the input and options only, never on the thread
 * count. Time O(k m) for hops, O(k (m + n) log n) with lengths (k = number of searches, at most
 * the number of sources); memory O(n) per thread, up to 128 chunk slots of 12 bytes a node
 * (written only where a chunk's searches reach; at most 256 MiB in all, or one slot per thread),
 * with edge output also 8 bytes an entry per slot, and a renumbered copy of the CSR (hops) or
 * the lengths (otherwise), O(n + m).
 *
 * Status: CP_OK; CP_E_INVALID (no view; no output; samples outside 0..n; a source index out of
 * range; a negative count; an unknown length; a negative or NaN length, or a neglog weight above
 * 1, named by cp_view_lengths); CP_E_NOMEM. */
cp_status cp_betweenness(double *vertex_out, double *edge_out, const cp_view *v,
                         const uint8_t *removed, const cp_betweenness_options *o, cp_error *err);

/* The k sources that cp_betweenness uses for o->samples = k: a uniform draw without replacement
 * among the n' non-removed nodes (a partial Fisher-Yates shuffle of the non-removed nodes in
 * ascending order, draw i from cp_rng_uniform(seed, 0, 0, CP_RNG_SAMPLE, i, 0)), returned in
 * ascending order. sources: caller-owned array of at least min(k, n') entries; *count receives
 * min(k, n'). Status: CP_OK; CP_E_INVALID (no output, k outside 0..n); CP_E_NOMEM. O(n). */
cp_status cp_betweenness_sample_sources(int32_t *sources, int64_t *count, int32_t n,
                                        const uint8_t *removed, int64_t k, uint64_t seed,
                                        cp_error *err);

/* Source-target betweenness with lengths: the function of cp_st_betweenness
 * (include/chokepoint/centrality.h; the same pair conventions: only pairs in S x T count, s != t,
 * endpoints excluded; on a symmetric view a pair whose reverse is also in S x T counts one half
 * each way; normalised by the number of connected pairs counted the same way, 0 when none) with
 * shortest paths under `length` (see the conventions above). length = CP_LENGTH_HOPS calls
 * cp_st_betweenness. Otherwise Dijkstra from each source in ascending order, in a fixed number of
 * chunks reduced in order (bit-identical at any thread count). out: n doubles;
 * *connected_pairs (may be NULL) receives the pair count. Time O(|S| (m + n) log n); memory O(n)
 * per thread plus O(m) for the lengths. Status: CP_OK; CP_E_INVALID (no view or output, an index
 * out of range, a negative count, an unknown length, a bad weight); CP_E_NOMEM. */
cp_status cp_st_betweenness_length(double *out, const cp_view *v, const uint8_t *removed,
                                   const int32_t *sources, int64_t n_sources,
                                   const int32_t *targets, int64_t n_targets, cp_length length,
                                   bool normalized, double *connected_pairs, cp_error *err);

/* Group betweenness of the node set C (Everett and Borgatti 1999, "The centrality of groups and
 * classes", J. Math. Sociol. 23(3)): *value = the sum over ordered pairs (s, t) of distinct
 * non-removed nodes outside C, t reachable from s, of the fraction of shortest s-t paths that
 * pass through at least one member of C, i.e. 1 - sigma_st(avoiding C) / sigma_st, where
 * sigma_st(avoiding C) counts the shortest paths of the whole graph that touch no member of C
 * (computed in the same search as sigma_st, as in Puzis, Elovici and Dolev 2007, "Fast algorithm
 * for successive computation of group betweenness centrality", Phys. Rev. E 76). On a symmetric
 * view each unordered pair counts once. With o->endpoints, pairs with s or t in C count too, with
 * fraction 1 (every such path touches C), as networkx 2.8 does. With o->normalized the ordered
 * sum is divided by (n - c)(n - c - 1) (networkx's denominator; c = the number of distinct members
 * of C, removed ones included, n the intact node count), or with endpoints by n (n - 1) so that
 * the value stays in [0, 1]; 0 when the denominator is 0. Members of C that are removed are
 * absent. o->length selects the lengths; o->samples and o->sources must be 0 and NULL.
 * group: `size` node indices (duplicates ignored). Time O((n - c) m) for hops, O((n - c)(m + n)
 * log n) with lengths; memory O(n) per thread. Status: CP_OK; CP_E_INVALID (no view, no output,
 * an index out of range, a negative size, sampling options, a bad length or weight); CP_E_NOMEM.
 */
cp_status cp_group_betweenness(double *value, const cp_view *v, const uint8_t *removed,
                               const int32_t *group, int64_t size, const cp_betweenness_options *o,
                               cp_error *err);

/* Options of cp_betweenness_approx. */
typedef struct cp_betweenness_approx_options {
    cp_length length; /* default hops */
    double epsilon;   /* additive error bound, in (0, 1); default 0.01 */
    double delta;     /* failure probability, in (0, 1); default 0.1 */
    uint64_t seed;    /* default 1 */
} cp_betweenness_approx_options;

/* Sets *o to the defaults above. */
void cp_betweenness_approx_options_init(cp_betweenness_approx_options *o);

/* What cp_betweenness_approx did. */
typedef struct cp_betweenness_approx_info {
    int64_t samples;  /* r, the number of sampled pairs */
    int64_t vd_bound; /* the upper bound on the vertex diameter used for r */
} cp_betweenness_approx_info;

/* Approximate vertex betweenness with a guarantee: Riondato and Kornaropoulos, "Fast
 * approximation of betweenness centrality through sampling", WSDM 2014 / Data Min. Knowl. Disc.
 * 30 (2016). out[x] (n doubles) estimates b(x) = (1 / (n (n - 1))) times the sum over ordered
 * pairs (s, t), s != t, of sigma_st(x) / sigma_st, x not in {s, t} (their normalisation: a
 * fraction of all ordered pairs; it equals cp_betweenness's normalised value times (n - 2) / n).
 * With probability at least 1 - delta, |out[x] - b(x)| <= epsilon for every x at once.
 *
 * r = ceil((0.5 / epsilon^2) (floor(log2(VD - 2)) + 1 + ln(1 / delta))) pairs (u, v) of distinct
 * non-removed nodes are drawn uniformly (Philox, draw i keyed by i); for each, one shortest u-v
 * path is drawn uniformly (walking back from v, each tight in-entry chosen with probability
 * sigma_u(pred) / sigma_u(node)) and each inner node gets 1 / r. Hits are counted in integers, so
 * the result is bit-identical at any thread count. VD is an upper bound on the vertex diameter
 * (nodes on a longest shortest path), computed as the paper does where it applies: on a symmetric
 * view with hops, per connected component, 1 + the sum of the two largest BFS distances from the
 * component's smallest node (<= 2 eccentricity + 1); with lengths on a symmetric view, per
 * component, the smaller of its size and 1 + floor((sum of the two largest distances from that
 * node) / (smallest positive length)) when every traversable length is positive (else its size);
 * on a directed view (where one search bounds nothing) the size of the largest weakly connected
 * component. The bound is the largest over the components. When
 * VD <= 2 no path has an inner node: r = 0 and out is all 0. With a removal mask, pairs are drawn
 * among the n' non-removed nodes and the estimate is rescaled by n' (n' - 1) / (n (n - 1)), so
 * that it estimates b(x) with the intact n (the guarantee still holds). info (may be NULL)
 * receives r and VD.
 *
 * Time O(n + m) for the bound plus O(r m) worst case (each BFS stops at v's level); memory O(n)
 * per thread. Status: CP_OK; CP_E_INVALID (no view or output; epsilon or delta outside (0, 1);
 * r above 2^40; a bad length or weight); CP_E_NOMEM. */
cp_status cp_betweenness_approx(double *out, cp_betweenness_approx_info *info, const cp_view *v,
                                const uint8_t *removed, const cp_betweenness_approx_options *o,
                                cp_error *err);

#ifdef __cplusplus
}
#endif
#endif
