/* ICIJ Offshore Leaks database CSVs (offshoreleaks.icij.org, "all data" download): node files by
 * type (nodes-entities.csv, nodes-officers.csv, nodes-intermediaries.csv, nodes-addresses.csv,
 * nodes-others.csv) and relationships.csv. DESIGN section 6.
 *
 * Nodes (column names matched without regard to case): `node_id` (required) is the id; `name`
 * (for addresses `address` when `name` is empty) the name; the first code of `country_codes`
 * (';'-separated ISO alpha-3 such as "VGB;HKG", alpha-2 accepted too; else of `countries` when it
 * holds codes) the country. The file's type (from its name: entit, officer, intermediar, address,
 * else other) gives group `icij:entity`, `icij:officer`, `icij:intermediary`, `icij:address` or
 * `icij:other`; entities are kind company, all others kind other (ICIJ does not say whether an
 * officer is a person). `sourceID` gives group `source:S` ('/' written '_'). Text that is not
 * UTF-8 is read as Latin-1 (counted in report->recoded). A node id in two files is one node
 * (attributes still unknown are filled; counted in report->duplicates).
 *
 * Relationships (`node_id_start`, `node_id_end`, `rel_type` required; `link` optional), by
 * rel_type (any case):
 *   officer_of        `ownership` (meaning share, units fraction) when `link` holds a share
 *                     ("shareholder of 50%", "25-50%": the percentage forms of ftm.h, the weight
 *                     the lower bound) or names a shareholder / owner without one (range [0, 1],
 *                     weight 0, counted in no_share); else `control` (meaning none, weight 1)
 *   intermediary_of   `intermediary` (meaning none)
 *   registered_address `address` (meaning none)
 *   same_as and same_*_as (same_name_as, same_company_as, ...)  `same_as` (undirected, none):
 *                     candidates for merging; pass them on with `--same-as` to merge
 *   anything else     `other` (meaning none), each type counted in the report
 * All edges go from node_id_start to node_id_end. Dates and statuses are not imported. A
 * relationship whose endpoint is in no node file is counted and reported (report->unresolved),
 * never fatal. */
#ifndef CP_IO_ICIJ_H
#define CP_IO_ICIJ_H

#include "chokepoint/graph.h"
#include "chokepoint/status.h"
#include "import_multi.h"

typedef struct cp_icij_options {
    /* A directory holding the standard file names (missing node files are skipped and reported;
     * relationships.csv is required), or NULL. */
    const char *dir;
    /* Explicit node files (in addition to dir's), up to 16. */
    const char *node_files[16];
    int n_node_files;
    /* Explicit relationships file (replaces dir's relationships.csv), or NULL. */
    const char *relationships;
} cp_icij_options;

/* Imports the files. report may be NULL (else filled; free it with cp_import_report_free, also
 * after an error). Statuses: CP_OK; CP_E_INVALID (NULL g or o, neither dir nor relationships
 * given, more than 16 node files); CP_E_IO (a file that cannot be read, relationships.csv
 * missing from dir); CP_E_FORMAT naming file:line (a missing required column, listing the header;
 * a row whose field count differs from the header's; an unterminated quote; an empty node id);
 * CP_E_NOMEM. On error *g is NULL. O(total file size). */
cp_status cp_import_icij(cp_graph **g, cp_import_report *report, const cp_icij_options *o,
                         cp_error *err);

/* The share in an ICIJ `link` text: true with [*lo, *hi] when a percentage is found (a number,
 * or a range, followed by '%'). Exposed for tests. */
bool cp__icij_link_share(const char *link, double *lo, double *hi);

#endif
