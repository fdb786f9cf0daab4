/* Buffered text input for the importers: physical lines and RFC 4180 records (csv_reader.h). */
#include "csv_reader.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "alloc.h"

#define READ_CHUNK ((size_t)1 << 16)

static bool fill(cp__textin *t) {
    if (t->eof) {
        return false;
    }
    t->pos = 0;
    t->len = fread(t->buf, 1, READ_CHUNK, t->f);
    t->bytes += (int64_t)t->len;
    if (t->len == 0) {
        t->eof = true;
        return false;
    }
    return true;
}

/* The next byte, or EOF (the caller tells an error from the end by ferror). */
static int next_byte(cp__textin *t) {
    if (t->pos == t->len && !fill(t)) {
        return EOF;
    }
    return t->buf[t->pos++];
}

static int peek_byte(cp__textin *t) {
    if (t->pos == t->len && !fill(t)) {
        return EOF;
    }
    return t->buf[t->pos];
}

static cp_status read_error(cp__textin *t, cp_error *err) {
    return cp_error_set(err, CP_E_IO, "%s:%" PRId64 ": read error: %s", t->path, t->line,
                        strerror(errno));
}

cp_status cp__textin_open(cp__textin *t, const char *path, cp_error *err) {
    memset(t, 0, sizeof *t);
    t->path = path;
    t->line = 1;
    t->buf = cp__malloc(READ_CHUNK);
    if (t->buf == NULL) {
        return cp_error_set(err, CP_E_NOMEM, "%s: out of memory for a read buffer", path);
    }
    errno = 0;
    t->f = fopen(path, "rb");
    if (t->f == NULL) {
        int e = errno;
        cp__textin_close(t);
        return cp_error_set(err, CP_E_IO, "%s: cannot open for reading: %s", path,
                            e != 0 ? strerror(e) : "unknown reason");
    }
    /* Skip a UTF-8 byte order mark. A short first read only happens at the end of the file. */
    if (fill(t) && t->len >= 3 && t->buf[0] == 0xEF && t->buf[1] == 0xBB && t->buf[2] == 0xBF) {
        t->pos = 3;
    }
    if (ferror(t->f)) {
        cp_status s = read_error(t, err);
        cp__textin_close(t);
        return s;
    }
    return CP_OK;
}

void cp__textin_close(cp__textin *t) {
    if (t == NULL) {
        return;
    }
    if (t->f != NULL) {
        fclose(t->f);
    }
    cp__free(t->buf);
    cp__free(t->rec);
    cp__free(t->field_off);
    cp__free(t->fields);
    memset(t, 0, sizeof *t);
}

static cp_status put_byte(cp__textin *t, char c, cp_error *err) {
    if (t->rec_len == t->rec_cap) {
        size_t cap = t->rec_cap == 0 ? 256 : t->rec_cap * 2;
        char *rec = cp__realloc(t->rec, cap);
        if (rec == NULL) {
            return cp_error_set(err, CP_E_NOMEM,
                                "%s:%" PRId64 ": out of memory for a line of %zu bytes", t->path,
                                t->record_line, cap);
        }
        t->rec = rec;
        t->rec_cap = cap;
    }
    t->rec[t->rec_len++] = c;
    return CP_OK;
}

cp_status cp__textin_line(cp__textin *t, char **line, size_t *len, bool *got, cp_error *err) {
    cp_status status = CP_OK;
    *got = false;
    *line = NULL;
    *len = 0;
    t->rec_len = 0;
    t->n_fields = 0;
    t->record_line = t->line;
    int c = next_byte(t);
    if (c == EOF) {
        if (ferror(t->f)) {
            return read_error(t, err);
        }
        return CP_OK;
    }
    while (c != EOF && c != '\n' && c != '\r') {
        if (c == '\0') {
            return cp_error_set(err, CP_E_FORMAT,
                                "%s:%" PRId64 ": NUL byte in the line; expected text (is this a "
                                "binary file?)",
                                t->path, t->record_line);
        }
        CP_TRY(put_byte(t, (char)c, err));
        c = next_byte(t);
    }
    if (c == EOF && ferror(t->f)) {
        return read_error(t, err);
    }
    if (c == '\r' && peek_byte(t) == '\n') {
        next_byte(t);
    }
    if (c != EOF) {
        t->line++;
    }
    CP_TRY(put_byte(t, '\0', err));
    *line = t->rec;
    *len = t->rec_len - 1;
    *got = true;
cleanup:
    return status;
}

static cp_status new_field(cp__textin *t, cp_error *err) {
    if (t->n_fields == t->fields_cap) {
        if (t->fields_cap >= (1 << 24)) {
            return cp_error_set(err, CP_E_FORMAT, "%s:%" PRId64 ": more than %d fields in a row",
                                t->path, t->record_line, t->fields_cap);
        }
        int cap = t->fields_cap == 0 ? 16 : t->fields_cap * 2;
        size_t *off = cp__realloc(t->field_off, (size_t)cap * sizeof *off);
        if (off == NULL) {
            return cp_error_set(err, CP_E_NOMEM, "%s:%" PRId64 ": out of memory for %d fields",
                                t->path, t->record_line, cap);
        }
        t->field_off = off;
        char **fields = cp__realloc(t->fields, (size_t)cap * sizeof *fields);
        if (fields == NULL) {
            return cp_error_set(err, CP_E_NOMEM, "%s:%" PRId64 ": out of memory for %d fields",
                                t->path, t->record_line, cap);
        }
        t->fields = fields;
        t->fields_cap = cap;
    }
    t->field_off[t->n_fields++] = t->rec_len;
    return CP_OK;
}

static cp_status nul_byte(cp__textin *t, cp_error *err) {
    return cp_error_set(err, CP_E_FORMAT,
                        "%s:%" PRId64 ": NUL byte in field %d; expected text (is this a binary "
                        "file?)",
                        t->path, t->line, t->n_fields);
}

/* Consumes the rest of a line after a '\r' or '\n' already read as c. */
static void end_line(cp__textin *t, int c) {
    if (c == '\r' && peek_byte(t) == '\n') {
        next_byte(t);
    }
    t->line++;
}

cp_status cp__csv_record(cp__textin *t, char delim, bool comments, bool *got, cp_error *err) {
    cp_status status = CP_OK;
    *got = false;
    t->rec_len = 0;
    t->n_fields = 0;
    int c;
    /* Skip blank lines and comment lines; c is then the first byte of the record. */
    for (;;) {
        t->record_line = t->line;
        c = next_byte(t);
        if (c == EOF) {
            if (ferror(t->f)) {
                return read_error(t, err);
            }
            return CP_OK;
        }
        if (c == '\n' || c == '\r') {
            end_line(t, c);
            continue;
        }
        if (comments && c == '#') {
            do {
                c = next_byte(t);
            } while (c != EOF && c != '\n' && c != '\r');
            if (c == EOF) {
                if (ferror(t->f)) {
                    return read_error(t, err);
                }
                return CP_OK;
            }
            end_line(t, c);
            continue;
        }
        break;
    }
    /* Invariant at the top of each iteration: c is the first byte of a field. */
    for (;;) {
        CP_TRY(new_field(t, err));
        if (c == '"') {
            int64_t opened = t->line;
            for (;;) {
                c = next_byte(t);
                if (c == EOF) {
                    if (ferror(t->f)) {
                        return read_error(t, err);
                    }
                    return cp_error_set(err, CP_E_FORMAT,
                                        "%s:%" PRId64 ": quoted field %d opened on this line is "
                                        "never closed; expected a closing '\"' before the end of "
                                        "the file",
                                        t->path, opened, t->n_fields);
                }
                if (c == '\0') {
                    return nul_byte(t, err);
                }
                if (c == '"') {
                    if (peek_byte(t) != '"') {
                        break;
                    }
                    next_byte(t);
                } else if (c == '\n' || (c == '\r' && peek_byte(t) != '\n')) {
                    t->line++;
                }
                CP_TRY(put_byte(t, (char)c, err));
            }
            c = next_byte(t);
            if (c != EOF && c != delim && c != '\n' && c != '\r') {
                if (c == '\0') {
                    return nul_byte(t, err);
                }
                return cp_error_set(err, CP_E_FORMAT,
                                    "%s:%" PRId64 ": character '%c' after the closing quote of "
                                    "field %d; expected the delimiter '%c' or the end of the line "
                                    "(a quote inside a quoted field is written \"\")",
                                    t->path, t->line, c, t->n_fields, delim);
            }
        } else {
            while (c != EOF && c != delim && c != '\n' && c != '\r') {
                if (c == '\0') {
                    return nul_byte(t, err);
                }
                CP_TRY(put_byte(t, (char)c, err));
                c = next_byte(t);
            }
        }
        CP_TRY(put_byte(t, '\0', err));
        if (c == delim) {
            c = next_byte(t);
            continue;
        }
        break;
    }
    if (c == EOF && ferror(t->f)) {
        return read_error(t, err);
    }
    if (c == '\n' || c == '\r') {
        end_line(t, c);
    }
    for (int i = 0; i < t->n_fields; i++) {
        t->fields[i] = t->rec + t->field_off[i];
    }
    *got = true;
cleanup:
    return status;
}
