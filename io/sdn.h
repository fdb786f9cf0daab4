/* Importer for the US Treasury OFAC Specially Designated Nationals list in its CSV form (sdn.csv,
 * with the optional companion files alt.csv and add.csv), DESIGN section 6.
 *
 * The SDN file has no header row and 12 columns per entry: entity number, name, type
 * ("individual", "vessel", "aircraft", or "-0-" for an entity), programs (several separated by
 * "] ["), title, call sign, vessel type, tonnage, gross registered tonnage, vessel flag, vessel
 * owner, remarks. "-0-" (blanks around it ignored) means empty. OFAC closes its files with a DOS
 * end-of-file byte (Ctrl-Z, 0x1A) on a line of its own; that line is accepted as the end. */
#ifndef CP_IO_SDN_H
#define CP_IO_SDN_H

#include <stdint.h>

#include "chokepoint/graph.h"
#include "chokepoint/status.h"

/* How the bytes of the files are decoded. OFAC publishes Latin-1 (ISO 8859-1); the graph stores
 * UTF-8, so by default every byte >= 0x80 is taken as the Latin-1 character of that code point
 * and re-encoded (no byte is ever rejected or dropped). CP_SDN_UTF8 is for copies already
 * converted: their text must then be valid UTF-8 (CP_E_FORMAT naming line and column). */
typedef enum cp_sdn_encoding { CP_SDN_LATIN1 = 0, CP_SDN_UTF8 = 1 } cp_sdn_encoding;

/* A zeroed struct means "SDN file only, Latin-1". */
typedef struct cp_sdn_options {
    const char *alt_path; /* OFAC alt.csv (ent_num, alt_num, alt_type, alt_name, alt_remarks) */
    const char *add_path; /* OFAC add.csv (ent_num, add_num, address, city/state/postal code,
                             country, add_remarks) */
    cp_sdn_encoding encoding;
} cp_sdn_options;

/* Counts for one kind of name reference. found = resolved + unresolved + ambiguous. */
typedef struct cp_sdn_link_counts {
    int64_t found, resolved, unresolved, ambiguous;
} cp_sdn_link_counts;

/* One thing the importer could not turn into graph data, listed so that nothing is dropped
 * silently. All strings are owned by the report (UTF-8). */
typedef struct cp_sdn_issue {
    int64_t entry;     /* entity number of the row the text comes from */
    const char *file;  /* the path of the file the line is in (borrowed from the caller's
                          arguments: valid while those strings live) */
    int64_t line;      /* 1-based line in that file where the row begins */
    const char *what;  /* static: "linked", "owner", "alias" or "country" */
    const char *state; /* static: "unresolved", "ambiguous", "unmapped" or "orphan" */
    char *text;        /* the name or country as written */
    char *candidates;  /* ambiguous: the matching entity numbers, space-separated; else "" */
} cp_sdn_issue;

typedef struct cp_sdn_report {
    int64_t entries;            /* rows of the SDN file = nodes */
    cp_sdn_link_counts linked;  /* "Linked To:" names in the remarks -> layer `linked` */
    cp_sdn_link_counts owner;   /* vessel owner cells -> layer `owner` */
    int64_t repeated_edges;     /* resolved references repeating an edge already made (one kept) */
    int64_t self_links;         /* resolved references naming the entry itself (no edge made) */
    int64_t aliases;            /* a.k.a./f.k.a./n.k.a. names from the remarks plus ALT rows */
    int64_t alt_rows, add_rows; /* data rows read from the companion files */
    int64_t countries_set;      /* nodes given a country */
    int64_t countries_unmapped; /* ADD rows whose country has no ISO code here (listed) */
    int64_t countries_conflicting; /* ADD rows naming another country than the one the entry
                                      already has (the first mapped address's is kept) */
    int64_t orphans;               /* ALT/ADD rows naming an entity number absent from the SDN */
    int64_t n_issues;
    cp_sdn_issue *issues; /* in file order: SDN references, then ALT, then ADD rows */
} cp_sdn_report;

/* Imports the SDN list: one node per entry, id = entity number (int64), name = the entry's name
 * (written as /nodes/name), kind from the type (individual -> person, vessel, aircraft, "-0-" ->
 * company), designated = 1 for every node, and groups `designated` (every entry) and
 * `program:<P>` for every program the entry is listed under (e.g. `program:DPRK3`). With an ADD
 * file, country = the ISO 3166 alpha-2 code of the entry's first address whose country is in the
 * built-in table of common OFAC country names (unmapped names are listed in the report, never
 * guessed).
 *
 * Edges (weight 1.0, directed, meaning none): layer `linked`, entry -> X for each "Linked To: X"
 * item of the remarks (items are separated by ';'; several per entry); layer `owner`, X -> vessel
 * for the vessel owner cell X. A name X resolves by its normal form: upper case (ASCII and
 * Latin-1 letters), '&' read as the word AND, '.', '\'' and '`' removed, every other ASCII
 * character that is not a letter or digit a word break, words joined by single spaces (so
 * "Co., Ltd." = "CO LTD", "People's" = "PEOPLES"). The entries whose name has that normal form
 * are looked up first: exactly one resolves, several are "ambiguous" (no edge; candidates
 * listed). When no name matches, the aliases are looked up the same way: the remarks' items
 * "a.k.a. 'NAME'" (also f.k.a., n.k.a.; the text between the item's first and last quote) and
 * the ALT file's names. A reference that resolves to its own entry makes no edge (counted in
 * self_links), and a second reference to the same (source, target, layer) makes none either
 * (repeated_edges). Every unresolved or ambiguous reference is an issue in the report.
 *
 * rep may be NULL (no report); when given it is cleared on entry and filled even when the import
 * fails part-way (free it with cp_sdn_report_free in every case). o = NULL means the defaults.
 *
 * Statuses: CP_OK; CP_E_INVALID (NULL g or sdn_path); CP_E_IO (a file cannot be read); CP_E_FORMAT,
 * naming file and line, for a row without 12 fields (ALT: 5, ADD: 6), an entity number that is not
 * a non-negative integer, an entity number given twice, an empty name, an unknown type, invalid
 * UTF-8 under CP_SDN_UTF8, quoting errors (unterminated quote, text after a closing quote), rows
 * after the end-of-file byte, or an empty SDN file; CP_E_NOMEM. On error *g is NULL and nothing
 * is leaked. O(total bytes + R log R) for R names and aliases. */
cp_status cp_import_sdn(cp_graph **g, const char *sdn_path, const cp_sdn_options *o,
                        cp_sdn_report *rep, cp_error *err);

/* Frees the report's issues and zeroes it. Accepts NULL and a zeroed report. */
void cp_sdn_report_free(cp_sdn_report *rep);

/* Writes the issues as CSV (RFC 4180, UTF-8, header
 * "entry,file,line,what,state,text,candidates"), atomically: to "<path>.tmp", flushed and
 * synced, then renamed. A report with no issues gives the header alone. CP_E_INVALID for NULL
 * arguments; CP_E_IO naming the file. O(issues). */
cp_status cp_sdn_report_write_csv(const cp_sdn_report *rep, const char *path, cp_error *err);

/* The ISO 3166 alpha-2 code for an OFAC country name (e.g. "Korea, North" -> "KP", "Burma" ->
 * "MM"; case and blanks around ignored), or NULL when the name is not in the built-in table. */
const char *cp_sdn_country_code(const char *name);

#endif
