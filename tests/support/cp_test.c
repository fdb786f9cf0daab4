#define _GNU_SOURCE
#include "cp_test.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "graph_impl.h"

bool cp_test_close(double a, double b, double atol, double rtol) {
    if (isinf(a) || isinf(b)) {
        return a == b;
    }
    if (isnan(a) || isnan(b)) {
        return false;
    }
    return fabs(a - b) <= atol + rtol * fabs(b);
}

const char *cp_test_shared(const char *rel) {
    static char path[4096];
    snprintf(path, sizeof path, "%s/%s", CP_SHARED_DIR, rel);
    if (access(path, R_OK) != 0) {
        return NULL;
    }
    return path;
}

const char *cp_test_source(const char *rel) {
    static char path[4096];
    snprintf(path, sizeof path, "%s/%s", CP_SOURCE_DIR, rel);
    return path;
}

const char *cp_test_tmpdir(void) {
    static char path[4096];
    snprintf(path, sizeof path, "/tmp/cp-test-XXXXXX");
    if (mkdtemp(path) == NULL) {
        fprintf(stderr, "mkdtemp failed\n");
        abort();
    }
    return path;
}

cp_graph *cp_test_graph(int32_t n, int64_t m, const int32_t *src, const int32_t *dst,
                        const double *w, const char *layer, cp_weight_meaning meaning,
                        bool directed) {
    cp_graph *g = NULL;
    cp_error err;
    int li;
    if (cp_graph_new(&g, &err) != CP_OK || cp__graph_alloc_nodes(g, n, true, &err) != CP_OK ||
        cp__graph_alloc_edges(g, m, false, &err) != CP_OK ||
        cp__graph_add_layer(g, layer, meaning, "", directed, &li, &err) != CP_OK) {
        fprintf(stderr, "cp_test_graph: %s\n", err.msg);
        abort();
    }
    for (int32_t i = 0; i < n; i++) {
        g->ids_int[i] = i;
    }
    for (int64_t e = 0; e < m; e++) {
        g->src[e] = src[e];
        g->dst[e] = dst[e];
        g->weight[e] = w != NULL ? w[e] : 1.0;
        g->layer[e] = (uint8_t)li;
    }
    if (cp__graph_finalize(g, &err) != CP_OK) {
        fprintf(stderr, "cp_test_graph: %s\n", err.msg);
        abort();
    }
    return g;
}

static json_t *cases_root = NULL;

json_t *cp_test_case(const char *id) {
    if (cases_root == NULL) {
        const char *p = cp_test_shared("cases/cases.json");
        if (p == NULL) {
            return NULL;
        }
        json_error_t jerr;
        cases_root = json_load_file(p, 0, &jerr);
        if (cases_root == NULL) {
            fprintf(stderr, "cases.json: %s (line %d)\n", jerr.text, jerr.line);
            abort();
        }
    }
    size_t i;
    json_t *c;
    json_array_foreach(cases_root, i, c) {
        const char *cid = json_string_value(json_object_get(c, "id"));
        if (cid != NULL && strcmp(cid, id) == 0) {
            return c;
        }
    }
    return NULL;
}

static double json_weight(json_t *v) {
    if (json_is_string(v) && strcmp(json_string_value(v), "inf") == 0) {
        return INFINITY;
    }
    return json_number_value(v);
}

cp_graph *cp_test_case_graph(json_t *c, const char *edges_key, int directed_override) {
    json_t *edges = json_object_get(c, edges_key);
    if (edges == NULL) {
        edges = json_object_get(json_object_get(c, "expected"), edges_key);
    }
    if (edges == NULL) {
        fprintf(stderr, "case has no '%s'\n", edges_key);
        abort();
    }
    size_t m = json_array_size(edges);
    int32_t n = (int32_t)json_integer_value(json_object_get(c, "n_nodes"));
    int32_t *src = calloc(m + 1, sizeof *src), *dst = calloc(m + 1, sizeof *dst);
    double *w = calloc(m + 1, sizeof *w);
    bool weighted = false;
    for (size_t e = 0; e < m; e++) {
        json_t *row = json_array_get(edges, e);
        src[e] = (int32_t)json_integer_value(json_array_get(row, 0));
        dst[e] = (int32_t)json_integer_value(json_array_get(row, 1));
        if (src[e] + 1 > n) {
            n = src[e] + 1;
        }
        if (dst[e] + 1 > n) {
            n = dst[e] + 1;
        }
        w[e] = 1.0;
        if (json_array_size(row) > 2) {
            w[e] = json_weight(json_array_get(row, 2));
            weighted = true;
        }
    }
    bool directed = json_is_true(json_object_get(c, "directed"));
    if (directed_override >= 0) {
        directed = directed_override != 0;
    }
    cp_graph *g = cp_test_graph(n, (int64_t)m, src, dst, w, "t",
                                weighted ? CP_MEANING_LENGTH : CP_MEANING_NONE, directed);
    free(src);
    free(dst);
    free(w);
    return g;
}

int cp_test_cli(const char *args, char **output) {
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "'%s' %s 2>&1", CP_CLI_PATH, args);
    FILE *p = popen(cmd, "r");
    if (p == NULL) {
        return -1;
    }
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    size_t got;
    while ((got = fread(buf + len, 1, cap - len - 1, p)) > 0) {
        len += got;
        if (cap - len < 1024) {
            cap *= 2;
            buf = realloc(buf, cap);
        }
    }
    buf[len] = '\0';
    int rc = pclose(p);
    if (output != NULL) {
        *output = buf;
    } else {
        free(buf);
    }
    if (WIFEXITED(rc)) {
        return WEXITSTATUS(rc);
    }
    return -1;
}

void cp_test_expect(const char *args, int code, const char *needle) {
    char *out = NULL;
    int rc = cp_test_cli(args, &out);
    cr_assert_eq(rc, code, "chokepoint %s: exit %d, expected %d; output:\n%s", args, rc, code, out);
    if (needle != NULL) {
        cr_assert(strstr(out, needle) != NULL, "chokepoint %s: output lacks '%s':\n%s", args,
                  needle, out);
    }
    free(out);
}

void cp_test_write(const char *path, const char *text) {
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f, "cannot write %s", path);
    fputs(text, f);
    fclose(f);
}

void cp_test_expect_json_array(const double *got, json_t *arr, int32_t n, double tol,
                               const char *what) {
    cr_assert(arr != NULL, "%s: no expected array in the case", what);
    cr_assert_eq((int32_t)json_array_size(arr), n, "%s: size", what);
    for (int32_t x = 0; x < n; x++) {
        double e = json_number_value(json_array_get(arr, (size_t)x));
        cr_assert(cp_test_close(got[x], e, tol, 0.0), "%s[%d] = %.17g, expected %.17g", what, x,
                  got[x], e);
    }
}
