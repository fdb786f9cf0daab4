/* Shared helpers for the Criterion suites: fixture paths, tiny graph builders, cases.json, and
 * running the CLI. */
#ifndef CP_TEST_SUPPORT_H
#define CP_TEST_SUPPORT_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "chokepoint/graph.h"
#include "chokepoint/status.h"
#include "chokepoint/view.h"

/* |a - b| <= atol + rtol |b| (DESIGN section 8). */
bool cp_test_close(double a, double b, double atol, double rtol);

/* Path of ../shared/<rel> when it exists, else NULL (the caller skips with a message). The string
 * is static: copy it before the next call. */
const char *cp_test_shared(const char *rel);

/* Path of <repo>/<rel> (static buffer). */
const char *cp_test_source(const char *rel);

/* A fresh temporary directory for this test (created; static buffer). */
const char *cp_test_tmpdir(void);

/* Builds a graph of n nodes with integer ids 0..n-1 and one layer `name` (meaning, directed) from
 * m edges (src[i], dst[i], w[i] or 1.0 when w is NULL). Asserts on failure. */
cp_graph *cp_test_graph(int32_t n, int64_t m, const int32_t *src, const int32_t *dst,
                        const double *w, const char *layer, cp_weight_meaning meaning,
                        bool directed);

/* Loads ../shared/cases/cases.json, returns the case object with that id (borrowed from a cached
 * root; valid for the process), or NULL when the file is absent. */
json_t *cp_test_case(const char *id);

/* Asserts that arr (a JSON array from a case, not NULL) has n numbers and that got[x] is within
 * tol of each (absolute). `what` names the quantity in messages. */
void cp_test_expect_json_array(const double *got, json_t *arr, int32_t n, double tol,
                               const char *what);

/* Builds a graph from a case's "n_nodes"/"edges" ("inf" weights allowed; layer "t" with meaning
 * `length` when weighted, else `none`; directed as the case says unless directed_override is 0 or
 * 1). Asserts on failure. */
cp_graph *cp_test_case_graph(json_t *c, const char *edges_key, int directed_override);

/* Runs the chokepoint CLI with the given shell-quoted argument string; returns its exit code and
 * stores combined stdout+stderr (malloc'd, caller frees) in *output when output is not NULL. */
int cp_test_cli(const char *args, char **output);

/* Runs the CLI and asserts (Criterion) its exit code and that its output contains `needle`
 * (unless NULL), showing the output when not. */
void cp_test_expect(const char *args, int code, const char *needle);

/* Writes text to path (created or truncated); asserts on failure. */
void cp_test_write(const char *path, const char *text);

#endif
