/* Reading the scenario file of `chokepoint sweep` with libyaml's document loader, which keeps the
 * line and column of every node, so each mistake can be reported where it is. */
#define _GNU_SOURCE
#include "sweep_spec.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "alloc.h"
#include "chokepoint/ownership.h"
#include "cli.h"
#include "view_opts.h"

/* The reading state: the document, the error count and whether to print. */
typedef struct {
    const char *path;
    yaml_document_t *doc;
    int errors;
    bool report;
    char dir[4096]; /* folder of the YAML file, with a trailing '/', or "" */
} reader;

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}
static void bad(reader *r, const yaml_node_t *n, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static void bad(reader *r, const yaml_node_t *n, const char *fmt, ...) {
    r->errors++;
    if (!r->report) {
        return;
    }
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (n != NULL) {
        fprintf(stderr, "chokepoint sweep: error: %s line %lu, column %lu: %s\n", r->path,
                (unsigned long)n->start_mark.line + 1, (unsigned long)n->start_mark.column + 1,
                msg);
    } else {
        fprintf(stderr, "chokepoint sweep: error: %s: %s\n", r->path, msg);
    }
}

/* A mistake that belongs to a line rather than to a node (a rule across two keys). */
static void bad_line(reader *r, int line, const char *what) {
    r->errors++;
    if (r->report) {
        fprintf(stderr, "chokepoint sweep: error: %s line %d: %s\n", r->path, line, what);
    }
}

static int line_of(const yaml_node_t *n) {
    return (int)n->start_mark.line + 1;
}

static const char *scalar(const yaml_node_t *n) {
    return n != NULL && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

/* The items of a value that is a scalar (split on commas, blanks trimmed) or a sequence of
 * scalars. items[] point into buf (size bytes) or into the document. Returns the count, or -1
 * after reporting. */
static int items_of(reader *r, const yaml_node_t *n, const char *key, char **items, int max,
                    const yaml_node_t **nodes, char *buf, size_t size) {
    int c = 0;
    if (n->type == YAML_SCALAR_NODE) {
        snprintf(buf, size, "%s", scalar(n));
        char *save = NULL;
        for (char *t = strtok_r(buf, ",", &save); t != NULL; t = strtok_r(NULL, ",", &save)) {
            while (*t == ' ') {
                t++;
            }
            size_t len = strlen(t);
            while (len > 0 && t[len - 1] == ' ') {
                t[--len] = '\0';
            }
            if (c == max) {
                bad(r, n, "%s: more than %d items", key, max);
                return -1;
            }
            nodes[c] = n;
            items[c++] = t;
        }
    } else if (n->type == YAML_SEQUENCE_NODE) {
        for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
             it++) {
            yaml_node_t *e = yaml_document_get_node(r->doc, *it);
            if (scalar(e) == NULL) {
                bad(r, e, "%s: expected a plain value in the list, not a list or mapping", key);
                return -1;
            }
            if (c == max) {
                bad(r, n, "%s: more than %d items", key, max);
                return -1;
            }
            nodes[c] = e;
            items[c++] = (char *)e->data.scalar.value;
        }
    } else {
        bad(r, n, "%s: expected a value or a list of values, not a mapping", key);
        return -1;
    }
    if (c == 0) {
        bad(r, n, "%s: the list is empty", key);
        return -1;
    }
    for (int i = 0; i < c; i++) {
        for (int j = 0; j < i; j++) {
            if (strcmp(items[i], items[j]) == 0) {
                bad(r, nodes[i], "%s names '%s' twice", key, items[i]);
                return -1;
            }
        }
    }
    return c;
}

static bool parse_double(const char *s, double *out) {
    char *end = NULL;
    errno = 0;
    double d = strtod(s, &end);
    if (errno != 0 || end == s || *end != '\0' || !isfinite(d)) {
        return false;
    }
    *out = d;
    return true;
}

/* A mapping {from, to, step} (step default 1): the values from, from + step, ... <= to (a small
 * tolerance keeps 0:1:0.1 at eleven values). Returns the count, or -1 after reporting. */
static int64_t range_of(reader *r, const yaml_node_t *n, const char *key, double *from,
                        double *step) {
    double v[3] = {NAN, NAN, 1.0};
    static const char *const names[] = {"from", "to", "step"};
    bool ok = true;
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(r->doc, p->key);
        yaml_node_t *val = yaml_document_get_node(r->doc, p->value);
        int which = -1;
        for (int i = 0; i < 3; i++) {
            if (scalar(k) != NULL && strcmp(scalar(k), names[i]) == 0) {
                which = i;
            }
        }
        if (which < 0) {
            bad(r, k, "%s: unknown range key '%s' (expected from, to, step)", key,
                scalar(k) != NULL ? scalar(k) : "?");
            ok = false;
            continue;
        }
        if (scalar(val) == NULL || !parse_double(scalar(val), &v[which])) {
            bad(r, val, "%s: %s: expected a number", key, names[which]);
            ok = false;
        }
    }
    if (!ok) {
        return -1;
    }
    if (isnan(v[0]) || isnan(v[1])) {
        bad(r, n, "%s: a range needs from and to (and optionally step)", key);
        return -1;
    }
    if (!(v[2] > 0)) {
        bad(r, n, "%s: the range's step must be > 0", key);
        return -1;
    }
    if (v[1] < v[0]) {
        bad(r, n, "%s: the range's to (%g) is below its from (%g)", key, v[1], v[0]);
        return -1;
    }
    double count = floor((v[1] - v[0]) / v[2] + 1e-9) + 1;
    if (count > 1e6) {
        bad(r, n, "%s: the range has %.0f values (at most 1000000)", key, count);
        return -1;
    }
    *from = v[0];
    *step = v[2];
    return (int64_t)count;
}

/* A list of numbers: one value, a list, or a range; integers in [lo, hi] when integral. Values
 * into *out (cp__malloc'd). Returns the count or -1 after reporting. */
static int numbers_of(reader *r, const yaml_node_t *n, const char *key, bool integral, double lo,
                      double hi, double **out) {
    *out = NULL;
    int64_t count = 0;
    if (n->type == YAML_MAPPING_NODE) {
        double from = 0, step = 1;
        count = range_of(r, n, key, &from, &step);
        if (count < 0) {
            return -1;
        }
        *out = cp__malloc_array((size_t)count, sizeof **out);
        if (*out == NULL) {
            bad(r, n, "%s: out of memory", key);
            return -1;
        }
        for (int64_t i = 0; i < count; i++) {
            (*out)[i] = from + (double)i * step;
        }
    } else {
        char *items[4096], buf[16384];
        const yaml_node_t *nodes[4096];
        int c = items_of(r, n, key, items, 4096, nodes, buf, sizeof buf);
        if (c < 0) {
            return -1;
        }
        *out = cp__malloc_array((size_t)c, sizeof **out);
        if (*out == NULL) {
            bad(r, n, "%s: out of memory", key);
            return -1;
        }
        for (int i = 0; i < c; i++) {
            if (!parse_double(items[i], &(*out)[i])) {
                bad(r, nodes[i], "%s: '%s' is not a number", key, items[i]);
                return -1;
            }
        }
        count = c;
    }
    for (int64_t i = 0; i < count; i++) {
        double d = (*out)[i];
        if ((integral && d != floor(d)) || d < lo || d > hi) {
            if (integral) {
                bad(r, n, "%s: %g is not an integer in %.0f..%.0f", key, d, lo, hi);
            } else {
                bad(r, n, "%s: %g is outside [%g, %g]", key, d, lo, hi);
            }
            return -1;
        }
    }
    /* Repeats: sort a copy, O(count log count) (a range can hold a million values). */
    double *sorted = cp__malloc_array((size_t)count + 1, sizeof *sorted);
    if (sorted == NULL) {
        bad(r, n, "%s: out of memory", key);
        return -1;
    }
    memcpy(sorted, *out, (size_t)count * sizeof *sorted);
    qsort(sorted, (size_t)count, sizeof *sorted, cmp_double);
    for (int64_t i = 1; i < count; i++) {
        if (sorted[i] == sorted[i - 1]) {
            bad(r, n, "%s names %g twice", key, sorted[i]);
            cp__free(sorted);
            return -1;
        }
    }
    cp__free(sorted);
    return (int)count;
}

static bool parse_bool(const char *s, bool *out) {
    static const char *const yes[] = {"yes", "true", "on", "y", "Yes", "True", "YES", "TRUE"};
    static const char *const no[] = {"no", "false", "off", "n", "No", "False", "NO", "FALSE"};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        if (strcmp(s, yes[i]) == 0) {
            *out = true;
            return true;
        }
        if (strcmp(s, no[i]) == 0) {
            *out = false;
            return true;
        }
    }
    return false;
}

/* A path as given, or joined to the YAML file's folder when relative. */
static char *resolve_path(const reader *r, const char *p) {
    if (p[0] == '/' || r->dir[0] == '\0') {
        return cp__strdup(p);
    }
    size_t len = strlen(r->dir) + strlen(p) + 1;
    char *s = cp__malloc(len);
    if (s != NULL) {
        snprintf(s, len, "%s%s", r->dir, p);
    }
    return s;
}

static bool add_opt(reader *r, sweep_spec *s, const yaml_node_t *n, const char *name,
                    const char *value) {
    if (s->n_opts == SWEEP_MAX_OPTS) {
        bad(r, n, "too many options");
        return false;
    }
    s->opt_name[s->n_opts] = cp__strdup(name);
    s->opt_value[s->n_opts] = value != NULL ? cp__strdup(value) : NULL;
    s->opt_line[s->n_opts] = line_of(n);
    if (s->opt_name[s->n_opts] == NULL || (value != NULL && s->opt_value[s->n_opts] == NULL)) {
        bad(r, n, "out of memory");
        return false;
    }
    s->n_opts++;
    return true;
}

/* A node set: a scalar in the grammar of include/chokepoint/nodeset.h, or a list of terms (a
 * union). list:FILE terms with a relative FILE are taken from the YAML file's folder. */
static void nodeset_opt(reader *r, sweep_spec *s, const yaml_node_t *n, const char *key) {
    char *items[256], buf[16384], out[16384];
    const yaml_node_t *nodes[256];
    /* Split scalars on '+', lists item by item (a scalar may itself be a union). */
    char joined[16384] = "";
    if (n->type == YAML_SEQUENCE_NODE) {
        int c = items_of(r, n, key, items, 256, nodes, buf, sizeof buf);
        if (c < 0) {
            return;
        }
        for (int i = 0; i < c; i++) {
            size_t len = strlen(joined);
            snprintf(joined + len, sizeof joined - len, "%s%s", i ? "+" : "", items[i]);
        }
    } else if (scalar(n) != NULL) {
        snprintf(joined, sizeof joined, "%s", scalar(n));
    } else {
        bad(r, n, "%s: expected a node set such as group:origin, or a list of them", key);
        return;
    }
    if (joined[0] == '\0') {
        bad(r, n, "%s: empty node set", key);
        return;
    }
    out[0] = '\0';
    char *save = NULL;
    int i = 0;
    for (char *t = strtok_r(joined, "+", &save); t != NULL; t = strtok_r(NULL, "+", &save), i++) {
        while (*t == ' ') {
            t++;
        }
        size_t len = strlen(out);
        if (strncmp(t, "list:", 5) == 0 && t[5] != '/' && r->dir[0] != '\0') {
            snprintf(out + len, sizeof out - len, "%slist:%s%s", i ? "+" : "", r->dir, t + 5);
        } else {
            snprintf(out + len, sizeof out - len, "%s%s", i ? "+" : "", t);
        }
    }
    add_opt(r, s, n, key, out);
}

/* The measure options: a mapping whose keys are simulate's measure options. */
static void measure_opts(reader *r, sweep_spec *s, const yaml_node_t *n) {
    static const cli_opt_spec measure_specs[] = {CLI_MEASURE_SPECS, {NULL, false, NULL}};
    if (n->type != YAML_MAPPING_NODE) {
        bad(r, n, "measure: expected a mapping such as {length: hops, damping: 0.85}");
        return;
    }
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(r->doc, p->key);
        yaml_node_t *v = yaml_document_get_node(r->doc, p->value);
        const cli_opt_spec *spec = NULL;
        for (const cli_opt_spec *q = measure_specs; q->name != NULL; q++) {
            if (scalar(k) != NULL && strcmp(scalar(k), q->name) == 0) {
                spec = q;
            }
        }
        if (spec == NULL) {
            bad(r, k, "measure: unknown option '%s' (see chokepoint simulate --help)",
                scalar(k) != NULL ? scalar(k) : "?");
            continue;
        }
        if (sweep_spec_line(s, spec->name) > 0) {
            bad(r, k, "measure: '%s' is given twice", spec->name);
            continue;
        }
        if (scalar(v) == NULL) {
            bad(r, v, "measure: %s: expected a plain value", spec->name);
            continue;
        }
        if (!spec->takes_value) {
            bool on = false;
            if (!parse_bool(scalar(v), &on)) {
                bad(r, v, "measure: %s: expected yes or no, got '%s'", spec->name, scalar(v));
            } else if (on) {
                add_opt(r, s, v, spec->name, NULL);
            }
            continue;
        }
        if (strcmp(spec->name, "personalization") == 0) {
            nodeset_opt(r, s, v, "personalization");
        } else {
            add_opt(r, s, v, spec->name, scalar(v));
        }
    }
}

static const char *const known_keys[] = {
    "graph",        "layers",      "sources",   "targets",  "candidates",    "protected",
    "substitutes",  "metrics",     "objective", "rerank",   "closure-layer", "cost",
    "cost-default", "cost-budget", "reinsert",  "measure",  "strategies",    "modes",
    "budgets",      "rounds",      "reroute",   "closures", "seeds",         "null",
    "null-samples", "null-swaps",  NULL};

static void read_root(reader *r, sweep_spec *s, const yaml_node_t *root) {
    bool have[32] = {false};
    const yaml_node_t *budgets = NULL, *rounds = NULL, *reroute = NULL, *seeds = NULL;
    const yaml_node_t *null_samples = NULL, *null_swaps = NULL;
    bool null_invalid = false; /* reported: the rules below would only repeat it */
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = yaml_document_get_node(r->doc, p->key);
        yaml_node_t *v = yaml_document_get_node(r->doc, p->value);
        const char *key = scalar(k);
        int which = -1;
        for (int i = 0; key != NULL && known_keys[i] != NULL; i++) {
            if (strcmp(key, known_keys[i]) == 0) {
                which = i;
            }
        }
        if (which < 0) {
            bad(r, k,
                "unknown key '%s' (expected graph, layers, sources, targets, candidates, "
                "protected, substitutes, metrics, objective, rerank, closure-layer, cost, "
                "cost-default, cost-budget, reinsert, measure, strategies, modes, budgets, rounds, "
                "reroute, closures, seeds, null, null-samples, null-swaps)",
                key != NULL ? key : "?");
            continue;
        }
        if (have[which]) {
            bad(r, k, "'%s' is given twice", key);
            continue;
        }
        have[which] = true;
        char *items[64], buf[8192];
        const yaml_node_t *nodes[64];
        if (strcmp(key, "graph") == 0 || strcmp(key, "cost") == 0) {
            if (scalar(v) == NULL || scalar(v)[0] == '\0') {
                bad(r, v, "%s: expected a file name", key);
                continue;
            }
            char *path = resolve_path(r, scalar(v));
            if (path == NULL) {
                bad(r, v, "out of memory");
            } else if (strcmp(key, "graph") == 0) {
                s->graph = path;
                s->graph_line = line_of(v);
            } else {
                add_opt(r, s, v, key, path);
                cp__free(path);
            }
        } else if (strcmp(key, "sources") == 0 || strcmp(key, "targets") == 0 ||
                   strcmp(key, "candidates") == 0 || strcmp(key, "protected") == 0 ||
                   strcmp(key, "substitutes") == 0) {
            nodeset_opt(r, s, v, key);
        } else if (strcmp(key, "layers") == 0 || strcmp(key, "metrics") == 0) {
            int c = items_of(r, v, key, items, 64, nodes, buf, sizeof buf);
            if (c < 0) {
                continue;
            }
            char joined[8192] = "";
            for (int i = 0; i < c; i++) {
                size_t len = strlen(joined);
                snprintf(joined + len, sizeof joined - len, "%s%s", i ? "," : "", items[i]);
                cp_metric mk;
                if (strcmp(key, "metrics") == 0 && cp_metric_parse(items[i], &mk) != CP_OK) {
                    bad(r, nodes[i],
                        "metrics: '%s' is not a metric (reach, reach-volume, pairs, flow, lcc, "
                        "path-length, efficiency, scc-pairs, lscc)",
                        items[i]);
                }
            }
            add_opt(r, s, v, key, joined);
        } else if (strcmp(key, "objective") == 0) {
            cp_metric mk;
            if (scalar(v) == NULL || cp_metric_parse(scalar(v), &mk) != CP_OK) {
                bad(r, v, "objective: expected a metric name such as reach or reach-volume");
                continue;
            }
            s->objective_line = line_of(v);
            add_opt(r, s, v, key, scalar(v));
        } else if (strcmp(key, "rerank") == 0 || strcmp(key, "reinsert") == 0) {
            bool on = false;
            if (scalar(v) == NULL || !parse_bool(scalar(v), &on)) {
                bad(r, v, "%s: expected yes or no", key);
                continue;
            }
            if (strcmp(key, "rerank") == 0) {
                add_opt(r, s, v, key, on ? "yes" : "no");
            } else if (on) {
                add_opt(r, s, v, key, NULL);
            }
        } else if (strcmp(key, "closure-layer") == 0 || strcmp(key, "cost-default") == 0 ||
                   strcmp(key, "cost-budget") == 0) {
            if (scalar(v) == NULL) {
                bad(r, v, "%s: expected a plain value", key);
                continue;
            }
            add_opt(r, s, v, key, scalar(v));
        } else if (strcmp(key, "measure") == 0) {
            measure_opts(r, s, v);
        } else if (strcmp(key, "strategies") == 0) {
            int c = items_of(r, v, key, items, 64, nodes, buf, sizeof buf);
            s->strategy_line = line_of(v);
            for (int i = 0; i < c && i < CP_STRATEGY_COUNT; i++) {
                if (cp_strategy_parse(items[i], &s->strategy[s->n_strategy]) != CP_OK) {
                    bad(r, nodes[i],
                        "strategies: '%s' is not a strategy (random, min-cut, greedy, %s)",
                        items[i], cp_measure_names());
                } else if (s->strategy[s->n_strategy] == CP_STRATEGY_LIST) {
                    bad(r, nodes[i],
                        "strategies: 'list' is not available in sweeps (use chokepoint "
                        "simulate --order)");
                } else {
                    s->n_strategy++;
                }
            }
        } else if (strcmp(key, "modes") == 0) {
            int c = items_of(r, v, key, items, 64, nodes, buf, sizeof buf);
            for (int i = 0; i < c && i < CP_MODE_COUNT; i++) {
                if (cp_mode_parse(items[i], &s->mode[s->n_mode]) != CP_OK) {
                    bad(r, nodes[i],
                        "modes: '%s' is not a mode (simultaneous, sequential, adaptive)", items[i]);
                } else {
                    s->n_mode++;
                }
            }
        } else if (strcmp(key, "closures") == 0) {
            int c = items_of(r, v, key, items, 64, nodes, buf, sizeof buf);
            for (int i = 0; i < c && i < CP_REGIME_EU_2022 + 2; i++) {
                cp_regime reg;
                if (strcmp(items[i], "none") == 0) {
                    s->closure[s->n_closure++] = -1;
                } else if (cp_regime_parse(items[i], &reg) == CP_OK) {
                    s->closure[s->n_closure++] = (int)reg;
                } else {
                    bad(r, nodes[i], "closures: '%s' is not ofac, eu, eu-2022, uk or none",
                        items[i]);
                }
            }
        } else if (strcmp(key, "budgets") == 0) {
            budgets = v;
        } else if (strcmp(key, "rounds") == 0) {
            rounds = v;
        } else if (strcmp(key, "reroute") == 0) {
            reroute = v;
        } else if (strcmp(key, "seeds") == 0) {
            seeds = v;
        } else if (strcmp(key, "null") == 0) {
            if (scalar(v) == NULL ||
                (strcmp(scalar(v), "rewire") != 0 && strcmp(scalar(v), "none") != 0)) {
                bad(r, v, "null: expected rewire or none");
                null_invalid = true;
                continue;
            }
            s->null_rewire = strcmp(scalar(v), "rewire") == 0;
        } else if (strcmp(key, "null-samples") == 0) {
            double x = 0;
            if (scalar(v) == NULL || !parse_double(scalar(v), &x) || x != floor(x) || x < 1 ||
                x > 10000) {
                bad(r, v, "null-samples: expected an integer in 1..10000 (rewired graphs)");
                continue;
            }
            s->null_samples = (int)x;
            null_samples = v;
        } else if (strcmp(key, "null-swaps") == 0) {
            double x = 0;
            if (scalar(v) == NULL || !parse_double(scalar(v), &x) || x < 0 || x > 1e6) {
                bad(r, v, "null-swaps: expected a number in [0, 1e6] (swaps per edge)");
                continue;
            }
            s->null_swaps = x;
            null_swaps = v;
        }
    }
    /* The null model's size and swaps mean nothing without it: most likely a forgotten
     * `null: rewire`. Defaults as in simulate: 10 samples, 10 swaps per edge. */
    if (!s->null_rewire && !null_invalid) {
        if (null_samples != NULL) {
            bad(r, null_samples, "null-samples: only used with null: rewire");
        }
        if (null_swaps != NULL) {
            bad(r, null_swaps, "null-swaps: only used with null: rewire");
        }
    }
    if (null_samples == NULL) {
        s->null_samples = 10;
    }
    if (null_swaps == NULL) {
        s->null_swaps = 10.0;
    }
    if (s->graph == NULL && !have[0]) {
        bad(r, root, "the scenario file names no graph (graph: net.h5)");
    }
    if (!have[2] || !have[3]) {
        bad(r, root, "the scenario file needs sources and targets (e.g. sources: group:origin)");
    }
    if (!have[16]) {
        bad(r, root, "the scenario file needs strategies (e.g. strategies: [degree, random])");
    }
    /* Defaults as in simulate: every mode, budget 10, round 1, no response, no closure. */
    if (!have[17]) {
        for (int m = 0; m < CP_MODE_COUNT; m++) {
            s->mode[s->n_mode++] = (cp_mode)m;
        }
    }
    if (!have[21]) {
        s->closure[s->n_closure++] = -1;
    }
    double *d = NULL;
    int c;
    c = budgets != NULL ? numbers_of(r, budgets, "budgets", true, 0, 1e8, &d) : -2;
    s->n_budget = c == -2 ? 1 : c;
    s->budget = cp__malloc_array((size_t)(s->n_budget > 0 ? s->n_budget : 1), sizeof *s->budget);
    for (int i = 0; s->budget != NULL && i < s->n_budget; i++) {
        s->budget[i] = d != NULL ? (int32_t)d[i] : 10;
    }
    cp__free(d);
    d = NULL;
    c = rounds != NULL ? numbers_of(r, rounds, "rounds", true, 1, 1e8, &d) : -2;
    s->n_round = c == -2 ? 1 : c;
    s->round = cp__malloc_array((size_t)(s->n_round > 0 ? s->n_round : 1), sizeof *s->round);
    for (int i = 0; s->round != NULL && i < s->n_round; i++) {
        s->round[i] = d != NULL ? (int32_t)d[i] : 1;
    }
    cp__free(d);
    d = NULL;
    c = reroute != NULL ? numbers_of(r, reroute, "reroute", false, 0, 1, &d) : -2;
    s->n_reroute = c == -2 ? 1 : c;
    s->reroute =
        cp__malloc_array((size_t)(s->n_reroute > 0 ? s->n_reroute : 1), sizeof *s->reroute);
    for (int i = 0; s->reroute != NULL && i < s->n_reroute; i++) {
        s->reroute[i] = d != NULL ? d[i] : 0.0;
    }
    cp__free(d);
    d = NULL;
    /* seeds: N (the seeds 1..N, as simulate --seeds N), a list, or a range. */
    if (seeds != NULL && scalar(seeds) != NULL && strchr(scalar(seeds), ',') == NULL) {
        double n = 0;
        if (!parse_double(scalar(seeds), &n) || n != floor(n) || n < 1 || n > 1e6) {
            bad(r, seeds, "seeds: expected a count N >= 1 (seeds 1..N), a list or a range");
            c = -1;
        } else {
            c = (int)n;
            d = cp__malloc_array((size_t)c, sizeof *d);
            for (int i = 0; d != NULL && i < c; i++) {
                d[i] = (double)(i + 1);
            }
        }
    } else {
        c = seeds != NULL ? numbers_of(r, seeds, "seeds", true, 0, 9007199254740992.0, &d) : -2;
    }
    s->n_seed = c == -2 ? 1 : c;
    s->seed = cp__malloc_array((size_t)(s->n_seed > 0 ? s->n_seed : 1), sizeof *s->seed);
    for (int i = 0; s->seed != NULL && i < s->n_seed; i++) {
        s->seed[i] = d != NULL ? (uint64_t)d[i] : 1;
    }
    cp__free(d);
    if (s->budget == NULL || s->round == NULL || s->reroute == NULL || s->seed == NULL) {
        bad(r, root, "out of memory");
        return;
    }
    /* Rules of the engine checked up front. */
    const char *objective = sweep_spec_get(s, "objective");
    for (int i = 0; i < s->n_strategy; i++) {
        if (s->strategy[i] == CP_STRATEGY_GREEDY && objective != NULL &&
            strcmp(objective, "reach") != 0 && strcmp(objective, "reach-volume") != 0) {
            char what[256];
            snprintf(what, sizeof what,
                     "objective %s: strategy greedy takes objective reach or reach-volume",
                     objective);
            bad_line(r, s->objective_line, what);
        }
    }
    if (sweep_spec_line(s, "reinsert") > 0) {
        for (int i = 0; i < s->n_closure; i++) {
            if (s->closure[i] >= 0) {
                bad_line(r, sweep_spec_line(s, "reinsert"),
                         "reinsert cannot be combined with a closure (closures other than none)");
                break;
            }
        }
        if (objective != NULL && strcmp(objective, "path-length") == 0) {
            bad_line(r, s->objective_line, "objective path-length: reinsert cannot minimise it");
        }
    }
    if (s->n_seed > 0 && s->n_budget > 0 &&
        sweep_spec_combinations(s) * s->n_seed > SWEEP_MAX_UNITS) {
        bad(r, root, "the sweep has %lld scenarios (at most %ld)",
            (long long)(sweep_spec_combinations(s) * s->n_seed), SWEEP_MAX_UNITS);
    }
}

cp_status sweep_spec_read(sweep_spec *s, const char *path, bool report, cp_error *err) {
    memset(s, 0, sizeof *s);
    s->path = cp__strdup(path);
    if (s->path == NULL) {
        return cp_error_set(err, CP_E_NOMEM, "out of memory");
    }
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return cp_error_set(err, CP_E_IO, "cannot open the scenario file %s: %s", path,
                            strerror(errno));
    }
    reader r;
    memset(&r, 0, sizeof r);
    r.path = path;
    r.report = report;
    const char *slash = strrchr(path, '/');
    if (slash != NULL && (size_t)(slash - path) + 2 < sizeof r.dir) {
        memcpy(r.dir, path, (size_t)(slash - path) + 1);
        r.dir[slash - path + 1] = '\0';
    }
    yaml_parser_t parser;
    yaml_document_t doc;
    cp_status status = CP_OK;
    if (!yaml_parser_initialize(&parser)) {
        fclose(f);
        return cp_error_set(err, CP_E_NOMEM, "out of memory");
    }
    yaml_parser_set_input_file(&parser, f);
    if (!yaml_parser_load(&parser, &doc)) {
        if (report) {
            fprintf(stderr, "chokepoint sweep: error: %s line %lu, column %lu: YAML: %s%s%s\n",
                    path, (unsigned long)parser.problem_mark.line + 1,
                    (unsigned long)parser.problem_mark.column + 1,
                    parser.problem != NULL ? parser.problem : "syntax error",
                    parser.context != NULL ? " " : "",
                    parser.context != NULL ? parser.context : "");
        }
        status = cp_error_set(err, CP_E_FORMAT, "%s is not valid YAML (line %lu: %s)", path,
                              (unsigned long)parser.problem_mark.line + 1,
                              parser.problem != NULL ? parser.problem : "syntax error");
        yaml_parser_delete(&parser);
        fclose(f);
        return status;
    }
    r.doc = &doc;
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    if (root == NULL) {
        bad(&r, NULL, "the scenario file is empty");
    } else if (root->type != YAML_MAPPING_NODE) {
        bad(&r, root, "expected a mapping of keys (graph:, sources:, strategies:, ...)");
    } else {
        read_root(&r, s, root);
    }
    s->n_errors = r.errors;
    if (r.errors > 0) {
        status = cp_error_set(err, CP_E_FORMAT, "%s: %d mistake%s in the scenario file%s", path,
                              r.errors, r.errors == 1 ? "" : "s", report ? " (listed above)" : "");
    }
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    fclose(f);
    return status;
}

void sweep_spec_free(sweep_spec *s) {
    if (s == NULL) {
        return;
    }
    cp__free(s->path);
    cp__free(s->graph);
    for (int i = 0; i < s->n_opts; i++) {
        cp__free(s->opt_name[i]);
        cp__free(s->opt_value[i]);
    }
    cp__free(s->budget);
    cp__free(s->round);
    cp__free(s->reroute);
    cp__free(s->seed);
    memset(s, 0, sizeof *s);
}

int sweep_spec_line(const sweep_spec *s, const char *name) {
    for (int i = 0; i < s->n_opts; i++) {
        if (strcmp(s->opt_name[i], name) == 0) {
            return s->opt_line[i];
        }
    }
    return 0;
}

const char *sweep_spec_get(const sweep_spec *s, const char *name) {
    for (int i = 0; i < s->n_opts; i++) {
        if (strcmp(s->opt_name[i], name) == 0) {
            return s->opt_value[i];
        }
    }
    return NULL;
}

int64_t sweep_spec_combinations(const sweep_spec *s) {
    return (int64_t)s->n_strategy * s->n_mode * s->n_budget * s->n_round * s->n_reroute *
           s->n_closure;
}
