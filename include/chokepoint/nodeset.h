/* chokepoint: node sets named on the command line (DESIGN section 3).
 *
 * Grammar: TERM ('+' TERM)*, a union, where TERM is one of
 *   group:NAME        the graph's group NAME
 *   country:CC        nodes whose country is CC (ISO 3166 alpha-2)
 *   kind:KIND         nodes of a kind (person, company, bank, vessel, aircraft, government, other)
 *   list:FILE         external ids, one per line ('#' comments, blank lines ignored)
 *   ids:A,B,C         external ids given inline
 *   top:MEASURE:K     the K nodes with the highest MEASURE over all layers as stored, where MEASURE
 *                     is degree, in-degree, out-degree, strength, in-strength or out-strength
 *                     (ties broken by node index)
 *   all               every node */
#ifndef CHOKEPOINT_NODESET_H
#define CHOKEPOINT_NODESET_H

#include <stdint.h>

#include "chokepoint/graph.h"
#include "chokepoint/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Resolves spec against g into a sorted, duplicate-free array of node indices (*nodes,
 * malloc'd through the library allocator; free with cp_nodeset_free) of *count entries.
 * `what` names the option for messages ("--sources"). Status: CP_OK; CP_E_INVALID for a
 * malformed spec, an unknown group (listing the graph's groups), kind or measure; CP_E_IO for an
 * unreadable list file; CP_E_FORMAT for an id in a list that is not in the graph (naming the file,
 * line and id); CP_E_NOMEM. O(n + |spec|) (top: O(m + n log n)). */
cp_status cp_nodeset_parse(int32_t **nodes, int64_t *count, cp_graph *g, const char *spec,
                           const char *what, cp_error *err);

void cp_nodeset_free(int32_t **nodes);

#ifdef __cplusplus
}
#endif
#endif
