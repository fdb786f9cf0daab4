/* The plain-text oracle fixtures of tests/fixtures/{centrality,spectral,closeness,betweenness}/,
 * written by the scripts in tests/oracle/: one reader for all suites.
 *
 * Format: '#' comment lines; "name TEXT"; "n N"; "directed 0|1"; "multi keep|collapse";
 * "length hops|weight|inverse|neglog";
 * "edges M" followed by M lines "u v w" (or "edgefile PATH" naming a SNAP file under ../shared,
 * with "labelweights 1" for weights 1 + (a + 3 b) mod 7); "removed K i1 .. iK"; "sources K ..";
 * "targets K .."; and any other "KEY C v1 .. vC" as a named array of doubles. */
#ifndef CP_TEST_FIXTURE_H
#define CP_TEST_FIXTURE_H

#include <stdbool.h>
#include <stdint.h>

#include "chokepoint/view.h"

#define CP_FIXTURE_MAX_KEYS 64

typedef struct cp_fixture {
    char name[128];
    char edgefile[256]; /* "" when the edges are inline */
    int labelweights;
    int32_t n;
    int directed;
    int collapse;
    cp_length length; /* shortest-path lengths (default hops) */
    int64_t m;
    int32_t *src, *dst;
    double *w;
    uint8_t *removed; /* n, or NULL when no node is removed */
    int32_t *sources, *targets;
    int64_t n_sources, n_targets;
    int n_keys;
    char keys[CP_FIXTURE_MAX_KEYS][64];
    double *vals[CP_FIXTURE_MAX_KEYS];
    int64_t counts[CP_FIXTURE_MAX_KEYS];
} cp_fixture;

/* Loads a fixture file (asserting on malformed content). Returns false, after a log line, when its
 * SNAP edge file is absent from ../shared (the caller skips it). */
bool cp_fixture_load(cp_fixture *f, const char *path);
void cp_fixture_free(cp_fixture *f);

/* The named array and its length (count may be NULL); NULL when absent. */
const double *cp_fixture_get(const cp_fixture *f, const char *key, int64_t *count);

/* The named one-element array's value (asserts that it exists). */
double cp_fixture_scalar(const cp_fixture *f, const char *key);

/* The fixture's view: stored direction when directed, else symmetric; keep or collapse. */
cp_view *cp_fixture_view(const cp_fixture *f);

/* Loads every *.txt fixture of tests/fixtures/<subdir> whose edges are inline (want_inline) or
 * in a ../shared SNAP file (!want_inline; absent files are skipped) and calls check on each.
 * Returns how many were checked. */
int cp_fixture_each(const char *subdir, bool want_inline, void (*check)(const cp_fixture *f));

#endif
