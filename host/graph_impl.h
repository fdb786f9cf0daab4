/* The inside of a cp_graph, shared by the engine (host/) and the file formats (io/). Not part of
 * the public API: fields may change between versions. */
#ifndef CP_HOST_GRAPH_IMPL_H
#define CP_HOST_GRAPH_IMPL_H

#include "chokepoint/graph.h"
#include "idmap.h"

#define CP_MAX_LAYERS 64

typedef struct cp_layer {
    char *name;
    cp_weight_meaning meaning;
    char *units; /* "" when unknown */
    bool directed;
} cp_layer;

typedef struct cp_group {
    char *name;
    int32_t *members; /* sorted ascending, no duplicates */
    int64_t size;
} cp_group;

struct cp_graph {
    int32_t n;
    int64_t m;
    char *description; /* may be NULL */

    /* Nodes. Exactly one of ids_int / ids_str is set when n > 0. */
    bool ids_are_int;
    int64_t *ids_int;    /* n */
    char **ids_str;      /* n, UTF-8, owned */
    char **names;        /* n or NULL; entries may be NULL */
    uint8_t *kind;       /* n, cp_node_kind */
    char *country;       /* 2n bytes, ISO 3166 alpha-2 without NUL; "\0\0" unknown */
    uint8_t *designated; /* n, 0/1 */

    /* Layers, sorted by name once cp__graph_finalize has run. */
    int n_layers;
    cp_layer layers[CP_MAX_LAYERS];

    /* Groups, sorted by name once cp__graph_finalize has run. */
    int n_groups;
    cp_group *groups;

    /* Edges (m each). time may be NULL. */
    int32_t *src;
    int32_t *dst;
    uint8_t *layer;
    double *weight;
    int64_t *time;

    /* Lazily built label -> index map (cp_graph_find_node). */
    bool label_index_built;
    cp__idmap label_index;
};

/* Allocates the node arrays for n nodes (kind, country, designated zeroed; ids zeroed / NULL).
 * Replaces any existing node arrays. CP_E_NOMEM. */
cp_status cp__graph_alloc_nodes(cp_graph *g, int32_t n, bool ids_are_int, cp_error *err);

/* Allocates the edge arrays for m edges (zeroed), with a time column when with_time.
 * CP_E_NOMEM. */
cp_status cp__graph_alloc_edges(cp_graph *g, int64_t m, bool with_time, cp_error *err);

/* Adds a layer and returns its index in *index (layers are re-sorted by name, and edge layer
 * indices remapped, by cp__graph_finalize). CP_E_INVALID for a duplicate name or more than
 * CP_MAX_LAYERS layers. */
cp_status cp__graph_add_layer(cp_graph *g, const char *name, cp_weight_meaning meaning,
                              const char *units, bool directed, int *index, cp_error *err);

/* Adds (or extends, when the name exists) a group with the given members (copied; sorted and
 * deduplicated here). Members must lie in 0..n-1: CP_E_INVALID otherwise. */
cp_status cp__graph_add_group(cp_graph *g, const char *name, const int32_t *members, int64_t size,
                              cp_error *err);

/* Sorts layers and groups by name (remapping edge layer indices) and validates the graph
 * (cp__graph_validate). Call once after building. */
cp_status cp__graph_finalize(cp_graph *g, cp_error *err);

/* Checks every invariant a loaded graph must hold: endpoints in range, layer indices in range,
 * weights not NaN, not negative, and +inf only on layers whose meaning is `length`; group members
 * in range and sorted. `origin` names the file or source for the message. CP_E_FORMAT naming the
 * first offending edge or group. O(n + m). */
cp_status cp__graph_validate(const cp_graph *g, const char *origin, cp_error *err);

/* Index of a layer or group by name, or -1. */
int cp__graph_find_layer(const cp_graph *g, const char *name);
const cp_group *cp__graph_find_group(const cp_graph *g, const char *name);

#endif
