/* Shared helpers of the libFuzzer targets (fuzz/README: fuzz/run.sh builds and runs them). Each
 * target writes the fuzzer's bytes to files in one private temporary directory per process and
 * calls an importer on them: any status is fine, a crash, a leak or undefined behaviour is not.
 *
 * Input layout used by the targets: byte 0 is a flag byte selecting importer options (documented
 * in each target); the rest is the file content, or several files separated by FUZZ_SEP. */
#ifndef CP_FUZZ_COMMON_H
#define CP_FUZZ_COMMON_H

#define _XOPEN_SOURCE 700 /* mkdtemp */

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "import.h"

#define FUZZ_SEP       "\n=====\n"
#define FUZZ_SEP_LEN   7
#define FUZZ_MAX_FILES 8

static char fuzz_dir[256];
static char fuzz_paths[FUZZ_MAX_FILES][512];
static char fuzz_names[FUZZ_MAX_FILES][64];
static int fuzz_n_paths;

static inline void fuzz_cleanup(void) {
    for (int i = 0; i < fuzz_n_paths; i++) {
        unlink(fuzz_paths[i]);
    }
    if (fuzz_dir[0] != '\0') {
        rmdir(fuzz_dir);
    }
}

/* "<private tmp dir>/<name>": the same file for the same name, for the life of the process. */
static inline const char *fuzz_path(const char *name) {
    if (fuzz_dir[0] == '\0') {
        const char *tmp = getenv("TMPDIR");
        snprintf(fuzz_dir, sizeof fuzz_dir, "%s/cp_fuzz_XXXXXX", tmp != NULL ? tmp : "/tmp");
        if (mkdtemp(fuzz_dir) == NULL) {
            perror("mkdtemp");
            abort();
        }
        atexit(fuzz_cleanup);
    }
    for (int i = 0; i < fuzz_n_paths; i++) {
        if (strcmp(fuzz_names[i], name) == 0) {
            return fuzz_paths[i];
        }
    }
    if (fuzz_n_paths == FUZZ_MAX_FILES) {
        abort();
    }
    snprintf(fuzz_names[fuzz_n_paths], sizeof fuzz_names[0], "%s", name);
    snprintf(fuzz_paths[fuzz_n_paths], sizeof fuzz_paths[0], "%s/%s", fuzz_dir, name);
    return fuzz_paths[fuzz_n_paths++];
}

/* Writes len bytes to the file called name (replacing it) and returns its path. */
static inline const char *fuzz_write(const char *name, const uint8_t *data, size_t len) {
    const char *p = fuzz_path(name);
    FILE *f = fopen(p, "wb");
    if (f == NULL || (len > 0 && fwrite(data, 1, len, f) != len) || fclose(f) != 0) {
        perror(p);
        abort();
    }
    return p;
}

/* Splits data at the first max - 1 occurrences of FUZZ_SEP into at most max parts; returns the
 * number of parts (>= 1). */
static inline int fuzz_split(const uint8_t *data, size_t size, const uint8_t **part, size_t *len,
                             int max) {
    int k = 0;
    size_t start = 0;
    for (size_t i = 0; k < max - 1 && i + FUZZ_SEP_LEN <= size;) {
        if (memcmp(data + i, FUZZ_SEP, FUZZ_SEP_LEN) == 0) {
            part[k] = data + start;
            len[k] = i - start;
            k++;
            i += FUZZ_SEP_LEN;
            start = i;
        } else {
            i++;
        }
    }
    part[k] = data + start;
    len[k] = size - start;
    return k + 1;
}

/* With CP_FUZZ_VERBOSE set in the environment, prints the importer's status and message (to see
 * what a corpus file or a reproducer does). */
static inline void fuzz_report(cp_status s, const cp_error *err) {
    static int verbose = -1;
    if (verbose < 0) {
        verbose = getenv("CP_FUZZ_VERBOSE") != NULL;
    }
    if (verbose) {
        fprintf(stderr, "status %s%s%s\n", cp_status_name(s), s == CP_OK ? "" : ": ",
                s == CP_OK ? "" : err->msg);
    }
}

/* Layer options from a flag byte: bit 0 undirected, bit 1 pattern, bits 2-4 the meaning (0..4;
 * 5..7: none). */
static inline cp_layer_options fuzz_layer(uint8_t flags) {
    cp_layer_options lo;
    memset(&lo, 0, sizeof lo);
    lo.undirected = (flags & 1) != 0;
    lo.pattern = (flags & 2) != 0;
    unsigned meaning = (flags >> 2) & 7u;
    lo.meaning = meaning <= 4 ? (cp_weight_meaning)meaning : CP_MEANING_NONE;
    return lo;
}

#endif
