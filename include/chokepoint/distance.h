/* chokepoint: distance-based centrality on views (DESIGN section 4): closeness and harmonic
 * centrality, CPU backend.
 *
 * Both come from the shortest-path distances between a node u and every other node, measured in
 * the view's lengths (cp_length: hops, or a length derived from the weights, computed once in
 * double; a +inf length is not traversable; zero lengths are allowed). Which distance counts is
 * an explicit option (cp_distance_dir): by default the incoming distance d(x, u), from every x to
 * u ("who can reach u"), which is networkx's convention for closeness and harmonic centrality on
 * directed graphs; or the outgoing distance d(u, x). On a symmetric view both are the same.
 *
 * Removal mask: `removed` (n bytes, non-zero = removed; NULL = none), as in centrality.h: a
 * removed node and its edges are absent, it gets 0, but it stays in n (DESIGN section 4:
 * denominators use the intact graph). So the Wasserman-Faust factor (r - 1) / (n - 1) and the
 * harmonic normalisation 1 / (n - 1) use the view's n. Values for the graph with the removed
 * nodes deleted (networkx on G minus the set, k nodes removed) are these times
 * (n - 1) / (n - k - 1); per-component closeness and raw harmonic centrality do not depend on n.
 *
 * Outputs are caller-owned arrays of n doubles, overwritten (all 0 on error). */
#ifndef CHOKEPOINT_DISTANCE_H
#define CHOKEPOINT_DISTANCE_H

#include <stdbool.h>
#include <stdint.h>

#include "chokepoint/status.h"
#include "chokepoint/view.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Which shortest-path distance a node's score is built from. */
typedef enum cp_distance_dir {
    CP_DISTANCE_IN = 0, /* d(x, u): paths from every x to u, i.e. who can reach u (the default;
                           networkx's convention, and igraph's mode "in") */
    CP_DISTANCE_OUT = 1 /* d(u, x): paths from u to every x, i.e. whom u reaches */
} cp_distance_dir;

/* Options of cp_closeness, cp_harmonic and cp_closeness_harmonic. All-zero is the default, which
 * is also what cp_closeness_opts_init sets and what opts = NULL means. */
typedef struct cp_closeness_opts {
    cp_length length;          /* CP_LENGTH_HOPS (default): BFS; otherwise Dijkstra on lengths */
    cp_distance_dir direction; /* CP_DISTANCE_IN (default) or CP_DISTANCE_OUT */
    bool per_component;        /* closeness: false (default) Wasserman-Faust, true (r-1)/sum */
    bool normalized;           /* harmonic: false (default) raw sum, true divided by n - 1 */
} cp_closeness_opts;

/* Sets *o to the defaults: hops, incoming distance, Wasserman-Faust closeness, raw harmonic. */
void cp_closeness_opts_init(cp_closeness_opts *o);

/* Closeness and harmonic centrality of every node, from one shortest-path search per node.
 *
 * For a node u that is not removed, let R(u) be the non-removed nodes x with a path between x and
 * u in the chosen direction (u itself included, at distance 0), r = |R(u)|, and
 * D(u) = sum over x in R(u) of d(x, u) (or d(u, x) with CP_DISTANCE_OUT). Then
 *   closeness(u) = (r - 1) / D(u) * (r - 1) / (n - 1)   Wasserman-Faust (default)
 *   closeness(u) = (r - 1) / D(u)                       per_component: closeness within R(u)
 * and 0 when D(u) = 0 or n <= 1. This is closeness (Bavelas 1950, "Communication patterns in
 * task-oriented groups"; Sabidussi 1966, "The centrality index of a graph") with the correction
 * of Wasserman and Faust (1994, "Social Network Analysis", p. 201) for graphs that are not
 * connected: networkx's closeness_centrality with wf_improved = True / False.
 *   harmonic(u) = sum over x in R(u), d > 0, of 1 / d      (divided by n - 1 when normalized)
 * (Marchiori and Latora 2000, "Harmony in the small-world"): networkx's harmonic_centrality. As
 * there, a node other than u at distance 0 (joined by zero lengths) adds nothing to the harmonic
 * sum, while it counts in r for closeness. A node with n <= 1 gets 0; on n = 2 with one edge
 * both nodes get closeness 1.
 *
 * Parallel view entries: the shortest one counts. Self-loops never matter. Direction is ignored
 * on a symmetric view. Lengths: opts->length through cp_view_lengths; a +inf length (a weight of
 * +inf, or 0 under inverse or neglog) is not traversable.
 *
 * closeness, harmonic: n doubles each, caller-owned; either may be NULL (not computed), but not
 * both when n > 0. v: the view (not modified). removed: n bytes or NULL (see the file comment).
 * opts: NULL for the defaults. err: may be NULL.
 *
 * Method: hops use a bit-parallel breadth-first search from 64 nodes at a time (Then et al. 2014,
 * "The more the merrier: efficient multi-source graph traversal"), other lengths Dijkstra's
 * algorithm (1959) with a binary heap; the incoming distance searches the view's reverse CSC.
 * OpenMP over nodes (groups of 64 for hops); each value comes from its own search, so results are
 * bit-identical at any thread count. Distance sums are exact integers for hops; harmonic sums add
 * count / d once per distinct distance, in increasing d.
 *
 * Status: CP_OK; CP_E_INVALID (no view, no output, unknown length or direction, and from
 * cp_view_lengths a negative or NaN weight, or a weight above 1 under neglog, naming the edge);
 * CP_E_NOMEM. Time for hops O(n m) in the worst case; per batch of 64 sources an entry is read
 * once per level at which its tail gains bits, so on small-world graphs it is about
 * (n / 64) x m x (a few levels): 8 to 10 times faster than one BFS per node on SNAP wiki-Vote.
 * Other lengths O(n (m + n) log n). Memory O(m) for the lengths plus O(n) per thread. */
cp_status cp_closeness_harmonic(double *closeness, double *harmonic, const cp_view *v,
                                const uint8_t *removed, const cp_closeness_opts *opts,
                                cp_error *err);

/* cp_closeness_harmonic with only the closeness output (out: n doubles). Same statuses and
 * complexity. */
cp_status cp_closeness(double *out, const cp_view *v, const uint8_t *removed,
                       const cp_closeness_opts *opts, cp_error *err);

/* cp_closeness_harmonic with only the harmonic output (out: n doubles). Same statuses and
 * complexity. */
cp_status cp_harmonic(double *out, const cp_view *v, const uint8_t *removed,
                      const cp_closeness_opts *opts, cp_error *err);

#ifdef __cplusplus
}
#endif
#endif
