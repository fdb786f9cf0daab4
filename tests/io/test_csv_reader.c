/* The text reader under the importers: RFC 4180 records and physical lines (io/csv_reader.h). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "cp_test.h"
#include "csv_reader.h"

static char path_buf[4200];

static const char *write_bytes(const char *bytes, size_t len) {
    snprintf(path_buf, sizeof path_buf, "%s/in.csv", cp_test_tmpdir());
    FILE *f = fopen(path_buf, "wb");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(bytes, 1, len, f), len);
    fclose(f);
    return path_buf;
}

static const char *write_text(const char *text) {
    return write_bytes(text, strlen(text));
}

/* Reads the next record and checks its fields and first line. */
static void expect_record(cp__textin *t, char delim, int64_t line, int n, const char *const *want) {
    cp_error err;
    bool got = false;
    cr_assert_eq(cp__csv_record(t, delim, true, &got, &err), CP_OK, "%s", err.msg);
    cr_assert(got, "expected a record on line %lld", (long long)line);
    cr_assert_eq(t->record_line, line, "record on line %lld, expected %lld",
                 (long long)t->record_line, (long long)line);
    cr_assert_eq(t->n_fields, n, "%d fields, expected %d", t->n_fields, n);
    for (int i = 0; i < n; i++) {
        cr_assert_str_eq(t->fields[i], want[i]);
    }
}

static void expect_end(cp__textin *t, char delim) {
    cp_error err;
    bool got = true;
    cr_assert_eq(cp__csv_record(t, delim, true, &got, &err), CP_OK, "%s", err.msg);
    cr_assert_not(got);
}

Test(csv_reader, rfc4180_quoting_bom_crlf_comments) {
    const char *p = write_text("\xEF\xBB\xBFsource,target,weight\r\n"
                               "\"Acme, Inc.\",B,1.5\r\n"
                               "B,#C,2\r\n"
                               "# full-line comment\r\n"
                               "\"He said \"\"hi\"\"\",B,3\r\n");
    cp__textin t;
    cp_error err;
    cr_assert_eq(cp__textin_open(&t, p, &err), CP_OK, "%s", err.msg);
    expect_record(&t, ',', 1, 3, (const char *[]){"source", "target", "weight"});
    expect_record(&t, ',', 2, 3, (const char *[]){"Acme, Inc.", "B", "1.5"});
    expect_record(&t, ',', 3, 3, (const char *[]){"B", "#C", "2"});
    expect_record(&t, ',', 5, 3, (const char *[]){"He said \"hi\"", "B", "3"});
    expect_end(&t, ',');
    cp__textin_close(&t);
}

Test(csv_reader, embedded_newlines_count_lines) {
    const char *p = write_text("a,b\n\"x\ny\",\"p\r\nq\"\nlast,\"\"\n\n\nc,\n");
    cp__textin t;
    cp_error err;
    cr_assert_eq(cp__textin_open(&t, p, &err), CP_OK, "%s", err.msg);
    expect_record(&t, ',', 1, 2, (const char *[]){"a", "b"});
    expect_record(&t, ',', 2, 2, (const char *[]){"x\ny", "p\r\nq"});
    expect_record(&t, ',', 5, 2, (const char *[]){"last", ""});
    expect_record(&t, ',', 8, 2, (const char *[]){"c", ""});
    expect_end(&t, ',');
    cp__textin_close(&t);
}

Test(csv_reader, no_final_newline_and_other_delimiters) {
    const char *p = write_text("\"a\";\"b\"\n\"a\";\"c\"\n\"c\";\"d\"");
    cp__textin t;
    cp_error err;
    cr_assert_eq(cp__textin_open(&t, p, &err), CP_OK, "%s", err.msg);
    expect_record(&t, ';', 1, 2, (const char *[]){"a", "b"});
    expect_record(&t, ';', 2, 2, (const char *[]){"a", "c"});
    expect_record(&t, ';', 3, 2, (const char *[]){"c", "d"});
    expect_end(&t, ';');
    cp__textin_close(&t);

    p = write_text("x\ty,z\n1\t\"2\t3\"\n");
    cr_assert_eq(cp__textin_open(&t, p, &err), CP_OK, "%s", err.msg);
    expect_record(&t, '\t', 1, 2, (const char *[]){"x", "y,z"});
    expect_record(&t, '\t', 2, 2, (const char *[]){"1", "2\t3"});
    expect_end(&t, '\t');
    cp__textin_close(&t);
}

Test(csv_reader, quote_inside_unquoted_field_is_data) {
    const char *p = write_text("a,b\n5\" pipe,x\n");
    cp__textin t;
    cp_error err;
    cr_assert_eq(cp__textin_open(&t, p, &err), CP_OK, "%s", err.msg);
    expect_record(&t, ',', 1, 2, (const char *[]){"a", "b"});
    expect_record(&t, ',', 2, 2, (const char *[]){"5\" pipe", "x"});
    cp__textin_close(&t);
}

Test(csv_reader, unterminated_quote_names_the_line) {
    const char *p = write_text("a,b\nc,d\ne,\"open\nmore\n");
    cp__textin t;
    cp_error err;
    bool got;
    cr_assert_eq(cp__textin_open(&t, p, &err), CP_OK);
    cr_assert_eq(cp__csv_record(&t, ',', true, &got, &err), CP_OK);
    cr_assert_eq(cp__csv_record(&t, ',', true, &got, &err), CP_OK);
    cr_assert_eq(cp__csv_record(&t, ',', true, &got, &err), CP_E_FORMAT);
    cr_assert(strstr(err.msg, "in.csv:3:") != NULL, "%s", err.msg);
    cr_assert(strstr(err.msg, "never closed") != NULL, "%s", err.msg);
    cp__textin_close(&t);
}

Test(csv_reader, junk_after_closing_quote) {
    const char *p = write_text("a,b\n\"x\"y,z\n");
    cp__textin t;
    cp_error err;
    bool got;
    cr_assert_eq(cp__textin_open(&t, p, &err), CP_OK);
    cr_assert_eq(cp__csv_record(&t, ',', true, &got, &err), CP_OK);
    cr_assert_eq(cp__csv_record(&t, ',', true, &got, &err), CP_E_FORMAT);
    cr_assert(strstr(err.msg, "in.csv:2:") != NULL, "%s", err.msg);
    cp__textin_close(&t);
}

Test(csv_reader, nul_byte_is_an_error) {
    const char *p = write_bytes("a,b\nx\0y,z\n", 10);
    cp__textin t;
    cp_error err;
    bool got;
    cr_assert_eq(cp__textin_open(&t, p, &err), CP_OK);
    cr_assert_eq(cp__csv_record(&t, ',', true, &got, &err), CP_OK);
    cr_assert_eq(cp__csv_record(&t, ',', true, &got, &err), CP_E_FORMAT);
    cr_assert(strstr(err.msg, "in.csv:2:") != NULL && strstr(err.msg, "NUL") != NULL, "%s",
              err.msg);
    cp__textin_close(&t);
}

Test(csv_reader, huge_lines_are_not_truncated) {
    size_t big = 300000;
    char *text = malloc(2 * big + 16);
    cr_assert_not_null(text);
    size_t k = 0;
    for (size_t i = 0; i < big; i++) {
        text[k++] = (char)('a' + i % 26);
    }
    text[k++] = ',';
    text[k++] = '"';
    for (size_t i = 0; i < big; i++) {
        text[k++] = i % 1000 == 999 ? '\n' : 'z';
    }
    text[k++] = '"';
    text[k++] = '\n';
    const char *p = write_bytes(text, k);
    cp__textin t;
    cp_error err;
    bool got;
    cr_assert_eq(cp__textin_open(&t, p, &err), CP_OK);
    cr_assert_eq(cp__csv_record(&t, ',', true, &got, &err), CP_OK, "%s", err.msg);
    cr_assert(got);
    cr_assert_eq(t.n_fields, 2);
    cr_assert_eq(strlen(t.fields[0]), big);
    cr_assert_eq(strlen(t.fields[1]), big);
    cr_assert_eq(memcmp(t.fields[0], text, big), 0);
    expect_end(&t, ',');
    cr_assert_eq(t.line, 1 + (int64_t)(big / 1000) + 1);
    cp__textin_close(&t);

    /* The same as physical lines. */
    cr_assert_eq(cp__textin_open(&t, p, &err), CP_OK);
    char *line;
    size_t len;
    cr_assert_eq(cp__textin_line(&t, &line, &len, &got, &err), CP_OK);
    cr_assert(got);
    cr_assert_eq(len, big + 2 + 999);
    cp__textin_close(&t);
    free(text);
}

Test(csv_reader, lines_strip_crlf_and_skip_bom) {
    const char *p = write_text("\xEF\xBB\xBF# c\r\n1 2\r\n\r\n3 4");
    cp__textin t;
    cp_error err;
    bool got;
    char *line;
    size_t len;
    cr_assert_eq(cp__textin_open(&t, p, &err), CP_OK);
    const char *want[] = {"# c", "1 2", "", "3 4"};
    for (int i = 0; i < 4; i++) {
        cr_assert_eq(cp__textin_line(&t, &line, &len, &got, &err), CP_OK);
        cr_assert(got);
        cr_assert_str_eq(line, want[i]);
        cr_assert_eq(len, strlen(want[i]));
        cr_assert_eq(t.record_line, i + 1);
    }
    cr_assert_eq(cp__textin_line(&t, &line, &len, &got, &err), CP_OK);
    cr_assert_not(got);
    cp__textin_close(&t);
}

Test(csv_reader, missing_file_is_io_error) {
    cp__textin t;
    cp_error err;
    cr_assert_eq(cp__textin_open(&t, "/nonexistent/dir/x.csv", &err), CP_E_IO);
    cr_assert(strstr(err.msg, "/nonexistent/dir/x.csv") != NULL, "%s", err.msg);
    cp__textin_close(&t);
}

Test(csv_reader, allocation_failures_free_everything) {
    const char *p = write_text("a,b\n\"x\ny\",2\n");
    for (long k = 0; k < 20; k++) {
        cp__textin t;
        cp_error err;
        bool got = false;
        cp__alloc_fail_after(k);
        cp_status s = cp__textin_open(&t, p, &err);
        while (s == CP_OK) {
            s = cp__csv_record(&t, ',', true, &got, &err);
            if (!got) {
                break;
            }
        }
        cp__alloc_fail_after(-1);
        cr_assert(s == CP_OK || s == CP_E_NOMEM, "status %d", s);
        cp__textin_close(&t);
    }
}
