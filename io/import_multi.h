/* A multi-layer graph under construction, shared by the record-oriented importers (FollowTheMoney,
 * ICIJ): nodes with kind, country, name and designation; edges on named layers whose endpoints are
 * external ids resolved only at the end (so a relation may come before the records it links, and
 * a dangling reference is counted, never fatal); groups; optional per-edge share bounds. Also the
 * import report: counters and a human-readable summary of everything not imported. Internal to
 * io/. */
#ifndef CP_IO_IMPORT_MULTI_H
#define CP_IO_IMPORT_MULTI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chokepoint/graph.h"
#include "chokepoint/status.h"
#include "idmap.h"
#include "graph_impl.h"
#include "import_internal.h"

/* What an importer did beyond the graph itself. Zero it (or cp_import_report_init) before use;
 * release with cp_import_report_free. */
typedef struct cp_import_report {
    int64_t records;    /* records (JSON lines, CSV rows) read */
    int64_t nodes;      /* nodes made */
    int64_t edges;      /* edges made (after resolution) */
    int64_t duplicates; /* records whose id was seen before (attributes merged, edge kept once) */
    int64_t unresolved; /* relations dropped because an endpoint is not a node */
    int64_t skipped;    /* records of a type that is not imported (listed in text) */
    int64_t no_share;   /* ownership relations without a readable share (range 0..1 stored) */
    int64_t no_amount;  /* payments without a readable amount (weight 0) */
    int64_t recoded;    /* texts that were not UTF-8, read as Latin-1 */
    /* Per-edge share bounds as fractions (m entries each, aligned with the graph's edges), or
     * NULL when no edge had a range. On edges not of a share layer both equal the weight. */
    double *share_lower, *share_upper;
    int64_t m;  /* length of share_lower / share_upper */
    char *text; /* summary lines ("  unknown schema 'Address': 3 records\n" ...), or NULL */
    size_t text_len, text_cap;
} cp_import_report;

void cp_import_report_init(cp_import_report *r);
/* Frees the arrays and the text; the counters are zeroed. Harmless on a zeroed report. */
void cp_import_report_free(cp_import_report *r);
/* Appends a formatted line to r->text (silently truncated to nothing on out of memory: the report
 * is advisory). */
void cp__report_add(cp_import_report *r, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Counts of names (unknown schemata, relationship types) for the report. */
typedef struct cp__tally {
    cp__idmap names;
    int64_t *count;
    int64_t cap;
} cp__tally;
void cp__tally_init(cp__tally *t);
void cp__tally_destroy(cp__tally *t);
cp_status cp__tally_add(cp__tally *t, const char *name, cp_error *err);
/* Adds one report line per name: prefix, the name and its count, in first-seen order. */
void cp__tally_report(const cp__tally *t, cp_import_report *r, const char *prefix);

typedef struct cp__mb_layer {
    char *name;
    cp_weight_meaning meaning;
    char *units;
    bool directed;
} cp__mb_layer;

typedef struct cp__mbuild {
    const char *path; /* borrowed, for messages */
    /* Nodes, by label. */
    cp__idmap nodes;
    uint8_t *kind;
    char *country; /* 2 bytes per node, "\0\0" unknown */
    char **names;  /* owned, entries may be NULL */
    uint8_t *designated;
    int64_t node_cap;
    /* Labels referenced by edges and designations (resolved against nodes at the end). */
    cp__idmap refs;
    /* Edges, endpoints as ref indices. */
    int32_t *esrc, *edst;
    uint8_t *elayer;
    double *w, *lo, *hi;
    int64_t *t, *eline;
    int64_t m, ecap;
    bool any_time, any_range;
    cp__mb_layer layers[CP_MAX_LAYERS];
    int n_layers;
    /* Groups; members added directly (node index) or pending by ref (designations). */
    cp__groupbuf groups;
    int32_t *dref, *dgroup; /* dgroup -1: designate only */
    int64_t *dline;
    int64_t nd, dcap;
} cp__mbuild;

/* The time of an edge that has none, when other edges have one: the smallest int64. */
#define CP_TIME_NONE INT64_MIN

void cp__mb_init(cp__mbuild *b, const char *path);
void cp__mb_destroy(cp__mbuild *b);

/* Adds node `label` (or finds it: *dup = true, and the unknown attributes are filled from these:
 * kind when OTHER, country when unknown, name when none). country: 2 upper-case letters or NULL;
 * name may be NULL or "". CP_E_FORMAT (empty or non-UTF-8 label, naming line), CP_E_NOMEM. */
cp_status cp__mb_node(cp__mbuild *b, const char *label, cp_node_kind kind, const char *country,
                      const char *name, int64_t line, int32_t *index, bool *dup, cp_error *err);

/* Index of layer `name`, added with the given declaration when absent. CP_E_FORMAT when more than
 * CP_MAX_LAYERS layers would be needed; CP_E_NOMEM. */
cp_status cp__mb_layer_get(cp__mbuild *b, const char *name, cp_weight_meaning meaning,
                           const char *units, bool directed, int *index, cp_error *err);

/* Adds an edge between two labels on layer li, with weight w, share bounds [lo, hi] (ranged: lo
 * != hi, or a share layer's range given explicitly) and a time (has_time false: none). The record's
 * line is kept for the unresolved report. CP_E_FORMAT (empty label), CP_E_NOMEM. */
cp_status cp__mb_edge(cp__mbuild *b, const char *src, const char *dst, int li, double w, double lo,
                      double hi, bool ranged, bool has_time, int64_t time, int64_t line,
                      cp_error *err);

/* Marks `label` designated and, when group is not NULL, a member of that group (declared now, so
 * it exists even when the label never resolves). Resolved at the end. CP_E_NOMEM. */
cp_status cp__mb_designate(cp__mbuild *b, const char *label, const char *group, int64_t line,
                           cp_error *err);

/* Adds node index to group `name` (declared when new). CP_E_NOMEM. */
cp_status cp__mb_group_add(cp__mbuild *b, const char *name, int32_t node, cp_error *err);

/* Resolves every edge and designation; unresolved ones are counted in r (the first few listed with
 * their line), builds and finalises the graph, and sets r->nodes, r->edges and, when any edge was
 * ranged, r->share_lower / r->share_upper. On error *g is NULL. */
cp_status cp__mb_build(cp_graph **g, cp__mbuild *b, cp_import_report *r, cp_error *err);

/* Copies text into a cp__malloc'd UTF-8 string: unchanged when valid UTF-8, else each byte read as
 * Latin-1 (*recoded set true). NULL when out of memory. */
char *cp__to_utf8(const char *text, bool *recoded);

/* Converts an ISO 3166 alpha-2 (any case) or alpha-3 code to upper-case alpha-2 in out[0..1];
 * false when text is neither (unknown alpha-3 codes and placeholders such as "XXX" included). */
bool cp__country_code(const char *text, char out[2]);

#endif
