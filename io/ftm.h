/* FollowTheMoney (FtM) entity streams: one JSON object per line, {"id": ..., "schema": ...,
 * "properties": {NAME: [text, ...]}}, as written by `ftm export` and published by OpenSanctions
 * and Aleph. DESIGN section 6.
 *
 * Mapping (documented for users in README, section "Importing FollowTheMoney"):
 *   nodes   Person -> person, Company -> company, Organization and LegalEntity -> other,
 *           PublicBody -> government, Vessel -> vessel, Airplane -> aircraft. Name from
 *           properties.name[0] (else the top-level "caption"); country from the first of
 *           country, jurisdiction, nationality, flag that is a 2-letter code (stored upper case).
 *           A node whose `topics` hold "sanction" is designated (group `designated`).
 *   edges   Ownership owner -> asset on layer `ownership` (meaning share, units fraction; weight
 *           from `percentage`, see below); Directorship director -> organization on `control`
 *           (meaning none); Payment payer -> beneficiary on `payment:CUR` (CUR the 3-letter
 *           `currency`, upper case; `payment` when there is none; meaning amount, units CUR;
 *           weight from `amount`, time from `date` or else `startDate`); UnknownLink
 *           subject -> object, Family person -> relative, Associate person -> associate,
 *           Membership member -> organization, Employment employee -> employer, Representation
 *           agent -> client, Succession predecessor -> successor on `linked` (meaning none). A
 *           property with several values gives every (source, target) combination. Weights of
 *           edges without a share / amount meaning are 1.
 *   marks   Sanction: its `entity` becomes designated and joins group `designated` and
 *           `program:P` for each `program` value (else each `programId`), '/' in P written '_'.
 * Shares: "50", "50%", "50.5 %", "50,5" are percent; a number written with a decimal point and at
 * most 1 without a '%' ("0.5") is a fraction; "25-50%" (also with an en dash, spaces or "to") is a
 * range; ">25%" is [0.25, 1] and "<25%" is [0, 0.25]. The weight is the lower bound (so a chain of
 * ranged holdings is never over-counted) and the bounds go to the report (share_lower /
 * share_upper, written to /edges/extra/share_lower and /edges/extra/share_upper). An unreadable or
 * missing share (or one outside 0..100%) is the range [0, 1], weight 0, counted in no_share.
 * Amounts: thousands separators ',' and blanks are ignored; an unreadable or negative amount gives
 * weight 0, counted in no_amount. Dates: YYYY, YYYY-MM, YYYY-MM-DD with an optional THH:MM[:SS]
 * (any zone suffix ignored, read as UTC): seconds since 1970-01-01 at the start of that period.
 * When any edge has a time, edges without one get CP_TIME_NONE (INT64_MIN).
 *
 * Resolution is order-independent: relations may come before the entities they link; a relation
 * or Sanction whose endpoint is no node after the whole file is counted in report->unresolved and
 * listed (the first 10) in report->text. Entities of any other schema (Address, Note, Passport...)
 * are counted by schema name in report->text and report->skipped. A node id seen again
 * (FtM streams may hold fragments of one entity) fills attributes still unknown; a relation id
 * seen again is kept once. Both count in report->duplicates. */
#ifndef CP_IO_FTM_H
#define CP_IO_FTM_H

#include "chokepoint/graph.h"
#include "chokepoint/status.h"
#include "import_multi.h"

/* Imports an FtM JSON-lines file (UTF-8, a BOM and blank lines allowed, LF or CRLF). report may be
 * NULL; when given it is filled (release it with cp_import_report_free, also after an error).
 * Statuses: CP_OK; CP_E_INVALID (NULL g or path); CP_E_IO; CP_E_FORMAT naming path:line for a line
 * that is not a JSON object (with the parser's message and column; this includes text that is not
 * UTF-8), an entity without a non-empty string `id` or `schema`, `properties` that is not an
 * object, or a property value that is neither a string nor an array of strings; CP_E_FORMAT when
 * more than 64 layers would be needed (payments in too many currencies); CP_E_NOMEM. On error *g is
 * NULL. O(file size + unresolved labels). */
cp_status cp_import_ftm(cp_graph **g, cp_import_report *report, const char *path, cp_error *err);

/* The share parser above, exposed for tests: true and [*lo, *hi] (fractions, 0 <= lo <= hi <= 1)
 * when text is readable. */
bool cp__ftm_parse_share(const char *text, double *lo, double *hi);

/* The date parser above: true and seconds since the epoch (UTC) when text is readable. */
bool cp__ftm_parse_date(const char *text, int64_t *seconds);

#endif
