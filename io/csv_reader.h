/* Reading text input for the importers: a buffered byte reader over a file opened in binary mode
 * that yields either physical lines of any length (edge lists, Matrix Market) or RFC 4180 records
 * (CSV). Internal to io/.
 *
 * Both readers skip a UTF-8 byte order mark at the start of the file, accept LF, CRLF and lone CR
 * line ends, keep 1-based line numbers for messages, and refuse NUL bytes (a binary file read by
 * mistake would otherwise be cut silently at the first NUL). Nothing is limited in length: lines
 * and records grow a buffer as needed. */
#ifndef CP_IO_CSV_READER_H
#define CP_IO_CSV_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "chokepoint/status.h"

typedef struct cp__textin {
    FILE *f;
    const char *path; /* borrowed: the caller keeps it alive while the reader is open */
    unsigned char *buf;
    size_t pos, len;
    bool eof;
    int64_t bytes;       /* bytes read so far (the BOM included) */
    int64_t line;        /* 1-based line number of the next byte */
    int64_t record_line; /* line on which the last line or record returned began */

    /* The last line or record: text in rec (fields NUL-separated), fields point into it. */
    char *rec;
    size_t rec_len, rec_cap;
    size_t *field_off;
    char **fields;
    int n_fields;
    int fields_cap;
} cp__textin;

/* Opens path for reading in binary mode; skips a UTF-8 BOM. CP_E_IO (naming the path and the
 * system's reason) when it cannot be opened, CP_E_NOMEM. On error the reader holds nothing and
 * cp__textin_close is still harmless. */
cp_status cp__textin_open(cp__textin *t, const char *path, cp_error *err);

/* Closes the file and frees every buffer. Harmless on a zeroed or already closed reader. */
void cp__textin_close(cp__textin *t);

/* Reads the next physical line into *line (NUL-terminated, line end removed; valid until the
 * next call) with its length in *len, and its 1-based number in t->record_line. *got = false at
 * the end of the file. CP_E_IO on a read error, CP_E_FORMAT for a NUL byte, CP_E_NOMEM. O(line). */
cp_status cp__textin_line(cp__textin *t, char **line, size_t *len, bool *got, cp_error *err);

/* Reads the next RFC 4180 record separated by `delim` into t->fields[0 .. t->n_fields) with its
 * first line in t->record_line. Fields may be quoted ("..." with "" for a quote), and quoted fields
 * may hold delimiters and line ends. Blank lines are skipped; when `comments` is set, a line
 * whose first byte is '#' is skipped too ('#' anywhere else, e.g. a field "#C", is data). A quote
 * inside an unquoted field is kept as data. *got = false at the end of the file. CP_E_FORMAT
 * (naming the line) for an unterminated quoted field, a character after a closing quote other
 * than the delimiter or a line end, or a NUL byte; CP_E_IO; CP_E_NOMEM. O(record). */
cp_status cp__csv_record(cp__textin *t, char delim, bool comments, bool *got, cp_error *err);

#endif
