#define _GNU_SOURCE
#include "cp_fixture.h"

#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cp_test.h"

void cp_fixture_free(cp_fixture *f) {
    free(f->src);
    free(f->dst);
    free(f->w);
    free(f->removed);
    free(f->sources);
    free(f->targets);
    for (int k = 0; k < f->n_keys; k++) {
        free(f->vals[k]);
    }
    memset(f, 0, sizeof *f);
}

const double *cp_fixture_get(const cp_fixture *f, const char *key, int64_t *count) {
    for (int k = 0; k < f->n_keys; k++) {
        if (strcmp(f->keys[k], key) == 0) {
            if (count != NULL) {
                *count = f->counts[k];
            }
            return f->vals[k];
        }
    }
    return NULL;
}

double cp_fixture_scalar(const cp_fixture *f, const char *key) {
    int64_t c = 0;
    const double *v = cp_fixture_get(f, key, &c);
    cr_assert(v != NULL && c == 1, "%s: no scalar '%s'", f->name, key);
    return v[0];
}

/* Reads an index list "<k> i1 ... ik" from the rest of a line. */
static int32_t *read_list(char *rest, int64_t *count) {
    char *end = NULL;
    int64_t k = strtoll(rest, &end, 10);
    int32_t *out = calloc((size_t)k + 1, sizeof *out);
    cr_assert(out != NULL);
    for (int64_t i = 0; i < k; i++) {
        out[i] = (int32_t)strtol(end, &end, 10);
    }
    *count = k;
    return out;
}

/* Reads a SNAP edge list, labels remapped to 0.. in order of first appearance; weights 1, or
 * 1 + (a + 3 b) mod 7 for labels a -> b when f->labelweights. */
static bool read_snap(cp_fixture *f, const char *path) {
    FILE *fp = fopen(path, "r");
    if (fp == NULL) {
        return false;
    }
    size_t cap = 1024, m = 0;
    long *lab = malloc(2 * cap * sizeof *lab);
    char line[256];
    long max_label = -1;
    while (fgets(line, sizeof line, fp) != NULL) {
        long a, b;
        if (line[0] == '#' || sscanf(line, "%ld %ld", &a, &b) != 2) {
            continue;
        }
        if (m == cap) {
            cap *= 2;
            lab = realloc(lab, 2 * cap * sizeof *lab);
        }
        lab[2 * m] = a;
        lab[2 * m + 1] = b;
        max_label = a > max_label ? a : max_label;
        max_label = b > max_label ? b : max_label;
        m++;
    }
    fclose(fp);
    int32_t *index = malloc(((size_t)max_label + 1) * sizeof *index);
    for (long i = 0; i <= max_label; i++) {
        index[i] = -1;
    }
    int32_t n = 0;
    f->src = malloc((m + 1) * sizeof *f->src);
    f->dst = malloc((m + 1) * sizeof *f->dst);
    f->w = malloc((m + 1) * sizeof *f->w);
    for (size_t e = 0; e < m; e++) {
        long a = lab[2 * e], b = lab[2 * e + 1];
        if (index[a] < 0) {
            index[a] = n++;
        }
        if (index[b] < 0) {
            index[b] = n++;
        }
        f->src[e] = index[a];
        f->dst[e] = index[b];
        f->w[e] = f->labelweights ? (double)(1 + (a + 3 * b) % 7) : 1.0;
    }
    f->m = (int64_t)m;
    cr_assert_eq(n, f->n, "%s: %s has %d nodes, the fixture says %d", f->name, path, n, f->n);
    free(index);
    free(lab);
    return true;
}

/* Loads a fixture file. Returns false (after a log line) when its edge file is absent. */
bool cp_fixture_load(cp_fixture *f, const char *path) {
    memset(f, 0, sizeof *f);
    FILE *fp = fopen(path, "r");
    cr_assert(fp != NULL, "cannot open %s", path);
    size_t cap = 1 << 16;
    char *line = malloc(cap);
    bool ok = true;
    while (fgets(line, (int)cap, fp) != NULL) {
        size_t len = strlen(line);
        while (len == cap - 1 && line[len - 1] != '\n') { /* grow for long lines */
            cap *= 2;
            line = realloc(line, cap);
            if (fgets(line + len, (int)(cap - len), fp) == NULL) {
                break;
            }
            len = strlen(line);
        }
        if (line[0] == '#' || line[0] == '\n') {
            continue;
        }
        char key[64];
        int used = 0;
        if (sscanf(line, "%63s %n", key, &used) != 1) {
            continue;
        }
        char *rest = line + used;
        rest[strcspn(rest, "\n")] = '\0';
        if (strcmp(key, "name") == 0) {
            snprintf(f->name, sizeof f->name, "%s", rest);
        } else if (strcmp(key, "n") == 0) {
            f->n = (int32_t)atol(rest);
        } else if (strcmp(key, "labelweights") == 0) {
            f->labelweights = atoi(rest);
        } else if (strcmp(key, "directed") == 0) {
            f->directed = atoi(rest);
        } else if (strcmp(key, "multi") == 0) {
            f->collapse = strcmp(rest, "collapse") == 0;
        } else if (strcmp(key, "edges") == 0) {
            f->m = atoll(rest);
            f->src = malloc(((size_t)f->m + 1) * sizeof *f->src);
            f->dst = malloc(((size_t)f->m + 1) * sizeof *f->dst);
            f->w = malloc(((size_t)f->m + 1) * sizeof *f->w);
            for (int64_t e = 0; e < f->m; e++) {
                char buf[256];
                cr_assert(fgets(buf, sizeof buf, fp) != NULL, "%s: short edge list", path);
                char *end = NULL;
                f->src[e] = (int32_t)strtol(buf, &end, 10);
                f->dst[e] = (int32_t)strtol(end, &end, 10);
                f->w[e] = strtod(end, NULL); /* "inf" parses as +inf */
            }
        } else if (strcmp(key, "length") == 0) {
            cr_assert_eq(cp_length_parse(rest, &f->length), CP_OK, "%s: length %s", path, rest);
        } else if (strcmp(key, "edgefile") == 0) {
            snprintf(f->edgefile, sizeof f->edgefile, "%s", rest);
        } else if (strcmp(key, "removed") == 0) {
            int64_t k = 0;
            int32_t *list = read_list(rest, &k);
            if (k > 0) {
                f->removed = calloc((size_t)f->n, 1);
                for (int64_t i = 0; i < k; i++) {
                    f->removed[list[i]] = 1;
                }
            }
            free(list);
        } else if (strcmp(key, "sources") == 0) {
            f->sources = read_list(rest, &f->n_sources);
        } else if (strcmp(key, "targets") == 0) {
            f->targets = read_list(rest, &f->n_targets);
        } else {
            cr_assert(f->n_keys < CP_FIXTURE_MAX_KEYS);
            int k = f->n_keys++;
            snprintf(f->keys[k], sizeof f->keys[k], "%s", key);
            char *end = NULL;
            int64_t c = strtoll(rest, &end, 10);
            f->counts[k] = c;
            f->vals[k] = calloc((size_t)c + 1, sizeof(double));
            for (int64_t i = 0; i < c; i++) {
                f->vals[k][i] = strtod(end, &end);
            }
        }
    }
    free(line);
    fclose(fp);
    if (f->edgefile[0] != '\0') {
        const char *p = cp_test_shared(f->edgefile);
        if (p == NULL || !read_snap(f, p)) {
            cr_log_info("%s: ../shared/%s absent: skipped", f->name, f->edgefile);
            ok = false;
        }
    }
    return ok;
}

cp_view *cp_fixture_view(const cp_fixture *f) {
    cp_view *v = NULL;
    cp_error err;
    cp_status st = cp_view_from_edges(&v, f->n, f->m, f->src, f->dst, f->w, NULL,
                                      f->directed ? CP_DIR_STORED : CP_DIR_SYMMETRIC,
                                      f->collapse ? CP_MULTI_COLLAPSE : CP_MULTI_KEEP, &err);
    cr_assert_eq(st, CP_OK, "%s: %s", f->name, err.msg);
    return v;
}

int cp_fixture_each(const char *subdir, bool want_inline, void (*check)(const cp_fixture *f)) {
    char dir[4096];
    char rel[512];
    snprintf(rel, sizeof rel, "tests/fixtures/%s", subdir);
    snprintf(dir, sizeof dir, "%s", cp_test_source(rel));
    DIR *d = opendir(dir);
    cr_assert(d != NULL, "no fixture directory %s", dir);
    struct dirent *de;
    char *names[256];
    int count = 0;
    while ((de = readdir(d)) != NULL && count < 256) {
        size_t len = strlen(de->d_name);
        if (len > 4 && strcmp(de->d_name + len - 4, ".txt") == 0) {
            names[count++] = strdup(de->d_name);
        }
    }
    closedir(d);
    int ran = 0;
    for (int i = 0; i < count; i++) {
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        cp_fixture f;
        bool ok = cp_fixture_load(&f, path);
        if ((f.edgefile[0] == '\0') == want_inline && ok) {
            check(&f);
            ran++;
        }
        cp_fixture_free(&f);
        free(names[i]);
    }
    return ran;
}
