/* Reading results files back for review: see review.h. */
#define _POSIX_C_SOURCE 200809L
#include "review.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../../io/results.h"

const char *const rv_param_names[RV_NPARAM] = {
    "strategy",   "mode",        "budget",  "round_size", "reroute",         "rerank",    "closure",
    "cost",       "cost_budget", "null",    "candidates", "substitutes",     "objective", "length",
    "normalized", "endpoints",   "samples", "damping",    "personalization", "weighted",  "radius"};

/* Short column titles for the parameters shown when they vary. */
static const char *const param_titles[RV_NPARAM] = {
    "strategy",   "mode",        "k",       "round",      "reroute",         "rerank",    "closure",
    "cost",       "cost_budget", "null",    "candidates", "substitutes",     "objective", "length",
    "normalized", "endpoints",   "samples", "damping",    "personalization", "weighted",  "radius"};

const char *rv_base(const char *path) {
    const char *b = strrchr(path, '/');
    return b != NULL ? b + 1 : path;
}

const char *rv_metric_axis(cp_metric m) {
    switch (m) {
    case CP_METRIC_REACH:
        return "reach (fraction of sources)";
    case CP_METRIC_REACH_VOLUME:
        return "reach-volume (fraction of out-strength)";
    case CP_METRIC_PAIRS:
        return "pairs (fraction of S x T)";
    case CP_METRIC_FLOW:
        return "flow (fraction of intact max-flow)";
    case CP_METRIC_LCC:
        return "lcc (fraction of n)";
    case CP_METRIC_PATH_LENGTH:
        return "path-length (hops)";
    case CP_METRIC_EFFICIENCY:
        return "efficiency (1/hops)";
    case CP_METRIC_SCC_PAIRS:
        return "scc-pairs (fraction of pairs)";
    case CP_METRIC_LSCC:
        return "lscc (fraction of n)";
    default:
        return cp_metric_name(m);
    }
}

/* ---- statistics ------------------------------------------------------------------------------ */

typedef struct xy {
    double x, y;
} xy;

static int cmp_xy(const void *pa, const void *pb) {
    const xy *a = pa, *b = pb;
    if (a->x != b->x) {
        return a->x < b->x ? -1 : 1;
    }
    if (a->y != b->y) {
        return a->y < b->y ? -1 : 1;
    }
    return 0;
}

/* Sorts y[lo..hi) by merge sort through tmp, returning the number of strict inversions (pairs
 * i < j with y[i] > y[j]); equal values are never counted, so pairs tied in y stay neutral. */
static int64_t merge_count(double *y, double *tmp, int64_t lo, int64_t hi) {
    if (hi - lo < 2) {
        return 0;
    }
    int64_t mid = lo + (hi - lo) / 2;
    int64_t swaps = merge_count(y, tmp, lo, mid) + merge_count(y, tmp, mid, hi);
    int64_t i = lo, j = mid, o = lo;
    while (i < mid && j < hi) {
        if (y[j] < y[i]) {
            swaps += mid - i; /* y[j] is below every remaining left element */
            tmp[o++] = y[j++];
        } else {
            tmp[o++] = y[i++];
        }
    }
    while (i < mid) {
        tmp[o++] = y[i++];
    }
    while (j < hi) {
        tmp[o++] = y[j++];
    }
    memcpy(y + lo, tmp + lo, (size_t)(hi - lo) * sizeof *y);
    return swaps;
}

double rv_kendall_tau_b(const double *x, const double *y, int64_t n) {
    if (n < 2) {
        return NAN;
    }
    for (int64_t i = 0; i < n; i++) {
        if (isnan(x[i]) || isnan(y[i])) {
            return NAN;
        }
    }
    xy *p = malloc((size_t)n * sizeof *p);
    double *ys = malloc((size_t)n * sizeof *ys);
    double *tmp = malloc((size_t)n * sizeof *tmp);
    double tau = NAN;
    if (p == NULL || ys == NULL || tmp == NULL) {
        goto cleanup;
    }
    for (int64_t i = 0; i < n; i++) {
        p[i].x = x[i];
        p[i].y = y[i];
    }
    qsort(p, (size_t)n, sizeof *p, cmp_xy);
    /* n1: pairs tied in x; n3: pairs tied in both (runs of equal (x, y) in the sorted order). */
    double n1 = 0, n2 = 0, n3 = 0;
    for (int64_t i = 0; i < n;) {
        int64_t j = i;
        while (j < n && p[j].x == p[i].x) {
            j++;
        }
        n1 += 0.5 * (double)(j - i) * (double)(j - i - 1);
        for (int64_t u = i; u < j;) {
            int64_t v = u;
            while (v < j && p[v].y == p[u].y) {
                v++;
            }
            n3 += 0.5 * (double)(v - u) * (double)(v - u - 1);
            u = v;
        }
        i = j;
    }
    for (int64_t i = 0; i < n; i++) {
        ys[i] = p[i].y;
    }
    /* Sorted by x (then y), every strict inversion in y is a discordant pair. */
    double swaps = (double)merge_count(ys, tmp, 0, n);
    for (int64_t i = 0; i < n;) {
        int64_t j = i;
        while (j < n && ys[j] == ys[i]) {
            j++;
        }
        n2 += 0.5 * (double)(j - i) * (double)(j - i - 1);
        i = j;
    }
    double n0 = 0.5 * (double)n * (double)(n - 1);
    double den = sqrt((n0 - n1) * (n0 - n2));
    if (den > 0) {
        tau = (n0 - n1 - n2 + n3 - 2 * swaps) / den;
    }
cleanup:
    free(p);
    free(ys);
    free(tmp);
    return tau;
}

static int64_t list_length(const int32_t *a, int64_t na) {
    int64_t len = 0;
    while (len < na && a[len] >= 0) {
        len++;
    }
    return len;
}

static int cmp_i32(const void *pa, const void *pb) {
    int32_t a = *(const int32_t *)pa, b = *(const int32_t *)pb;
    return (a > b) - (a < b);
}

static int64_t find_pos(const int32_t *a, int64_t na, int32_t v) {
    for (int64_t i = 0; i < na; i++) {
        if (a[i] == v) {
            return i;
        }
    }
    return -1;
}

void rv_order_agreement(const int32_t *a, int64_t na, const int32_t *b, int64_t nb, int64_t top,
                        double *tau, double *overlap) {
    *tau = NAN;
    *overlap = NAN;
    na = list_length(a, na);
    nb = list_length(b, nb);
    if (na == 0 || nb == 0) {
        return;
    }
    int64_t K = na < nb ? na : nb;
    if (top > 0 && top < K) {
        K = top;
    }
    int64_t common = 0;
    for (int64_t i = 0; i < K; i++) {
        int64_t j = find_pos(b, K, a[i]);
        common += j >= 0;
    }
    *overlap = (double)common / (double)K;
    /* The union of both lists, each node ranked by its position, absentees tied last. */
    int32_t *u = malloc((size_t)(na + nb) * sizeof *u);
    double *ra = malloc((size_t)(na + nb) * sizeof *ra);
    double *rb = malloc((size_t)(na + nb) * sizeof *rb);
    if (u != NULL && ra != NULL && rb != NULL) {
        if (na > 0) {
            memcpy(u, a, (size_t)na * sizeof *u);
        }
        if (nb > 0) {
            memcpy(u + na, b, (size_t)nb * sizeof *u);
        }
        qsort(u, (size_t)(na + nb), sizeof *u, cmp_i32);
        int64_t nu = 0;
        for (int64_t i = 0; i < na + nb; i++) {
            if (nu == 0 || u[nu - 1] != u[i]) {
                u[nu++] = u[i];
            }
        }
        for (int64_t i = 0; i < nu; i++) {
            int64_t pa = find_pos(a, na, u[i]), pb = find_pos(b, nb, u[i]);
            ra[i] = (double)(pa >= 0 ? pa : na);
            rb[i] = (double)(pb >= 0 ? pb : nb);
        }
        *tau = rv_kendall_tau_b(ra, rb, nu);
    }
    free(u);
    free(ra);
    free(rb);
}

/* ---- tables ---------------------------------------------------------------------------------- */

rv_table *rv_table_new(int ncol, int n_left, const char *title) {
    rv_table *t = calloc(1, sizeof *t);
    if (t == NULL) {
        return NULL;
    }
    t->ncol = ncol;
    t->n_left = n_left;
    t->title = strdup(title != NULL ? title : "");
    t->nrow = -1; /* no header yet */
    if (t->title == NULL) {
        rv_table_free(&t);
    }
    return t;
}

bool rv_table_add(rv_table *t, const char *const *cells) {
    /* The first row added is the header (row 0). */
    size_t have = (size_t)(t->nrow + 1) * (size_t)t->ncol;
    char **grown = realloc(t->cells, (have + (size_t)t->ncol) * sizeof *grown);
    if (grown == NULL) {
        return false;
    }
    t->cells = grown;
    bool ok = true;
    for (int c = 0; c < t->ncol; c++) {
        grown[have + (size_t)c] = strdup(cells[c] != NULL ? cells[c] : "");
        ok = ok && grown[have + (size_t)c] != NULL;
    }
    t->nrow++;
    return ok;
}

void rv_table_free(rv_table **pt) {
    if (pt == NULL || *pt == NULL) {
        return;
    }
    rv_table *t = *pt;
    if (t->cells != NULL) {
        for (size_t i = 0; i < (size_t)(t->nrow + 1) * (size_t)t->ncol; i++) {
            free(t->cells[i]);
        }
    }
    free(t->cells);
    free(t->title);
    free(t->csv_prefix);
    free(t->csv_prefix_h);
    free(t);
    *pt = NULL;
}

void rv_html_escape(FILE *f, const char *s) {
    for (; s != NULL && *s; s++) {
        switch (*s) {
        case '&':
            fputs("&amp;", f);
            break;
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        default:
            fputc(*s, f);
        }
    }
}

/* Display width of a UTF-8 string (code points). */
static int text_width(const char *s) {
    int w = 0;
    for (; *s; s++) {
        w += ((unsigned char)*s & 0xC0) != 0x80;
    }
    return w;
}

static void csv_cell(FILE *f, const char *s) {
    if (strpbrk(s, ",\"\n") == NULL) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"') {
            fputc('"', f);
        }
        fputc(*s, f);
    }
    fputc('"', f);
}

void rv_tables_print_csv(FILE *f, rv_table *const *ts, int n) {
    enum { MAX_COLS = 256 };
    const char *names[MAX_COLS];
    int nn = 0;
    for (int i = 0; i < n; i++) {
        for (int c = 0; ts[i] != NULL && ts[i]->nrow >= 0 && c < ts[i]->ncol; c++) {
            const char *h = ts[i]->cells[c];
            int k = 0;
            while (k < nn && strcmp(names[k], h) != 0) {
                k++;
            }
            if (k == nn && nn < MAX_COLS) {
                names[nn++] = h;
            }
        }
    }
    fputs("table", f);
    for (int k = 0; k < nn; k++) {
        fputc(',', f);
        csv_cell(f, names[k]);
    }
    fputc('\n', f);
    for (int i = 0; i < n; i++) {
        const rv_table *t = ts[i];
        if (t == NULL || t->nrow < 0) {
            continue;
        }
        int where[MAX_COLS]; /* column of t under each union column, -1 */
        for (int k = 0; k < nn; k++) {
            where[k] = -1;
            for (int c = 0; c < t->ncol; c++) {
                if (strcmp(t->cells[c], names[k]) == 0) {
                    where[k] = c;
                    break;
                }
            }
        }
        for (int r = 1; r <= t->nrow; r++) {
            csv_cell(f, t->csv_prefix != NULL ? t->csv_prefix : "");
            for (int k = 0; k < nn; k++) {
                fputc(',', f);
                if (where[k] >= 0) {
                    csv_cell(f, t->cells[(size_t)r * (size_t)t->ncol + (size_t)where[k]]);
                }
            }
            fputc('\n', f);
        }
    }
}

void rv_table_print(FILE *f, const rv_table *t, rv_format fmt) {
    if (t == NULL || t->nrow < 0) {
        return;
    }
    int width[64] = {0};
    for (int r = 0; r <= t->nrow; r++) {
        for (int c = 0; c < t->ncol && c < 64; c++) {
            int w = text_width(t->cells[(size_t)r * (size_t)t->ncol + (size_t)c]);
            width[c] = w > width[c] ? w : width[c];
        }
    }
    if (fmt == RV_TABLE && t->title[0]) {
        fprintf(f, "\n%s\n", t->title);
    } else if (fmt == RV_MARKDOWN && t->title[0]) {
        fprintf(f, "\n**%s**\n\n", t->title);
    } else if (fmt == RV_HTML) {
        if (t->title[0]) {
            fputs("<h3>", f);
            rv_html_escape(f, t->title);
            fputs("</h3>\n", f);
        }
        fputs("<table>\n", f);
    }
    for (int r = 0; r <= t->nrow; r++) {
        const char *const *row = (const char *const *)t->cells + (size_t)r * (size_t)t->ncol;
        if (fmt == RV_HTML) {
            fputs("<tr>", f);
        }
        if (fmt == RV_CSV && t->csv_prefix != NULL) {
            csv_cell(f, r == 0 ? t->csv_prefix_h : t->csv_prefix);
            fputc(',', f);
        }
        for (int c = 0; c < t->ncol; c++) {
            const char *cell = row[c];
            int w = c < 64 ? width[c] : 0;
            switch (fmt) {
            case RV_CSV:
                if (c > 0) {
                    fputc(',', f);
                }
                csv_cell(f, cell);
                break;
            case RV_MARKDOWN:
                fprintf(f, "| %s ", cell);
                break;
            case RV_HTML:
                fputs(r == 0 ? "<th>" : c < t->n_left ? "<td>" : "<td class=\"num\">", f);
                rv_html_escape(f, cell);
                fputs(r == 0 ? "</th>" : "</td>", f);
                break;
            default: {
                int pad = w - text_width(cell);
                if (c < t->n_left) {
                    fprintf(f, "%s%*s", cell, pad + (c + 1 < t->ncol ? 2 : 0), "");
                } else {
                    fprintf(f, "%*s%s%s", pad, "", cell, c + 1 < t->ncol ? "  " : "");
                }
            }
            }
        }
        if (fmt == RV_MARKDOWN) {
            fputs("|\n", f);
            if (r == 0) {
                for (int c = 0; c < t->ncol; c++) {
                    fputs(c < t->n_left ? "|---" : "|--:", f);
                }
                fputs("|\n", f);
            }
        } else if (fmt == RV_HTML) {
            fputs("</tr>\n", f);
        } else {
            fputc('\n', f);
        }
    }
    if (fmt == RV_HTML) {
        fputs("</table>\n", f);
    }
}

/* ---- loading --------------------------------------------------------------------------------- */

void rv_free(rv_set *s) {
    for (int i = 0; i < s->n_sc; i++) {
        rv_scenario *sc = &s->sc[i];
        free(sc->name);
        free(sc->key);
        free(sc->context);
        free(sc->label);
        for (int p = 0; p < RV_NPARAM; p++) {
            free(sc->vals[p]);
        }
    }
    free(s->sc);
    for (int i = 0; i < s->n_measures; i++) {
        free(s->measure[i]);
        free(s->measure_name[i]);
    }
    memset(s, 0, sizeof *s);
}

/* An attribute as text: a string as it is, a number as %.10g; "" when absent. */
char *rv_attr_text(const char *file, const char *obj, const char *name) {
    cp_error e;
    char *v = NULL;
    if (cp_h5_read_attr_str(file, obj, name, &v, &e) == CP_OK) {
        return v;
    }
    double x = 0;
    char buf[64] = "";
    if (cp_h5_read_attr_f64(file, obj, name, &x, &e) == CP_OK) {
        snprintf(buf, sizeof buf, "%.10g", x);
    }
    return strdup(buf);
}

static int cmp_scenario(const void *pa, const void *pb) {
    const rv_scenario *a = pa, *b = pb;
    int c = strcmp(a->key, b->key);
    return c != 0 ? c : (a->file > b->file) - (a->file < b->file);
}

static char *join_params(const rv_scenario *sc, bool with_strategy) {
    size_t len = 1;
    for (int p = 0; p < RV_NPARAM; p++) {
        len += strlen(rv_param_names[p]) + strlen(sc->vals[p]) + 2;
    }
    char *out = malloc(len);
    if (out == NULL) {
        return NULL;
    }
    out[0] = '\0';
    for (int p = 0; p < RV_NPARAM; p++) {
        if (!with_strategy && (p == 0 || p >= RV_FIRST_MEASURE_PARAM)) {
            continue;
        }
        strcat(out, rv_param_names[p]);
        strcat(out, "=");
        strcat(out, sc->vals[p]);
        strcat(out, ";");
    }
    return out;
}

static cp_status check_file(rv_set *s, int fi, char **sha0, cp_error *err) {
    const char *file = s->files[fi];
    char *schema = NULL, *sha = NULL;
    double version = 0;
    cp_status status = CP_OK;
    CP_TRY(cp_h5_read_attr_str(file, "/", "schema", &schema, err));
    if (strcmp(schema, "chokepoint-results") != 0) {
        status = cp_error_set(err, CP_E_FORMAT, "%s: schema is '%s', expected chokepoint-results",
                              file, schema);
        goto cleanup;
    }
    CP_TRY(cp_h5_read_attr_f64(file, "/", "schema_version", &version, err));
    if (version != 1) {
        status = cp_error_set(err, CP_E_FORMAT,
                              "%s: results schema version %g, but this chokepoint reads version 1 "
                              "only: refusing to mix schema versions",
                              file, version);
        goto cleanup;
    }
    if (!cp_h5_exists(file, "/scenarios") && !cp_h5_exists(file, "/centrality")) {
        status = cp_error_set(err, CP_E_FORMAT,
                              "%s: neither /scenarios nor /centrality (expected the output of "
                              "simulate or rank)",
                              file);
        goto cleanup;
    }
    if (cp_h5_read_attr_str(file, "/provenance", "input_sha256", &sha, err) != CP_OK) {
        status = cp_error_set(err, CP_E_FORMAT,
                              "%s: /provenance has no input_sha256, so its input graph cannot be "
                              "matched with the other files",
                              file);
        goto cleanup;
    }
    if (*sha0 == NULL) {
        *sha0 = sha;
        sha = NULL;
        double n = 0;
        if (cp_h5_read_attr_f64(file, "/provenance", "n", &n, err) == CP_OK) {
            s->n = (int64_t)n;
        }
        cp_error_clear(err);
    } else if (strcmp(*sha0, sha) != 0) {
        status = cp_error_set(err, CP_E_FORMAT,
                              "%s was computed on a different input graph (SHA-256 %.12s) than %s "
                              "(%.12s): refusing to mix them",
                              file, sha, s->files[0], *sha0);
    }
cleanup:
    if (status != CP_OK && strstr(err->msg, file) == NULL) {
        char old[CP_ERROR_MSG_SIZE];
        memcpy(old, err->msg, sizeof old);
        cp_error_set(err, status, "%s: %s", file, old);
    }
    free(schema);
    free(sha);
    return status;
}

cp_status rv_load(rv_set *s, const char *const *files, int n_files, cp_error *err) {
    memset(s, 0, sizeof *s);
    cp_status status = CP_OK;
    char *sha0 = NULL;
    char *question[3] = {NULL, NULL, NULL};
    char question_where[600] = "";
    char path[700];
    static const char *const qkeys[3] = {"sources", "targets", "layers"};
    if (n_files > 64) {
        return cp_error_set(err, CP_E_INVALID, "at most 64 results files at once (got %d)",
                            n_files);
    }
    s->n_files = n_files;
    for (int i = 0; i < n_files; i++) {
        s->files[i] = files[i];
        s->min_cut[i] = -1;
    }
    for (int fi = 0; fi < n_files; fi++) {
        CP_TRY(check_file(s, fi, &sha0, err));
    }
    int cap = 0;
    for (int fi = 0; fi < n_files && status == CP_OK; fi++) {
        const char *file = files[fi];
        double mc = -1;
        if (cp_h5_read_attr_f64(file, "/scenarios", "min_cut_size", &mc, err) == CP_OK) {
            s->min_cut[fi] = (int64_t)mc;
        }
        char **names = NULL;
        int count = 0;
        if (cp_h5_exists(file, "/scenarios")) {
            CP_TRY(cp_h5_list(file, "/scenarios", &names, &count, err));
        }
        for (int si = 0; si < count && status == CP_OK; si++) {
            char dir[512];
            snprintf(dir, sizeof dir, "/scenarios/%s", names[si]);
            if (s->n_sc == cap) {
                cap = cap ? 2 * cap : 16;
                rv_scenario *grown = realloc(s->sc, (size_t)cap * sizeof *grown);
                if (grown == NULL) {
                    status = cp_error_set(err, CP_E_NOMEM, "out of memory reading %s", file);
                    break;
                }
                s->sc = grown;
            }
            rv_scenario *sc = &s->sc[s->n_sc++];
            memset(sc, 0, sizeof *sc);
            sc->file = fi;
            sc->name = strdup(names[si]);
            for (int p = 0; p < RV_NPARAM; p++) {
                sc->vals[p] = rv_attr_text(file, dir, rv_param_names[p]);
                if (sc->vals[p] == NULL) {
                    status = cp_error_set(err, CP_E_NOMEM, "out of memory reading %s", file);
                }
            }
            if (status != CP_OK || sc->name == NULL) {
                status = cp_error_set(err, CP_E_NOMEM, "out of memory reading %s", file);
                break;
            }
            if (sc->vals[0][0] == '\0') {
                status = cp_error_set(err, CP_E_FORMAT,
                                      "%s: scenario %s has no 'strategy' attribute (not written "
                                      "by chokepoint simulate?)",
                                      file, names[si]);
                break;
            }
            /* The question asked: the same for every scenario compared. */
            for (int q = 0; q < 3 && status == CP_OK; q++) {
                char *v = rv_attr_text(file, dir, qkeys[q]);
                if (v == NULL) {
                    status = cp_error_set(err, CP_E_NOMEM, "out of memory");
                } else if (question[q] == NULL) {
                    question[q] = v;
                    snprintf(question_where, sizeof question_where, "%s in %s", names[si], file);
                    v = NULL;
                } else if (strcmp(question[q], v) != 0) {
                    status =
                        cp_error_set(err, CP_E_FORMAT,
                                     "%s in %s has %s '%s' but %s has '%s': refusing to "
                                     "compare scenarios that ask different questions",
                                     names[si], file, qkeys[q], v, question_where, question[q]);
                }
                free(v);
            }
            double x = 0;
            if (status == CP_OK && cp_h5_read_attr_f64(file, dir, "budget", &x, err) != CP_OK) {
                status = cp_error_set(err, CP_E_FORMAT, "%s: scenario %s has no budget attribute",
                                      file, names[si]);
            }
            sc->budget = (int64_t)x;
            for (int m = 0; m < CP_METRIC_COUNT && status == CP_OK; m++) {
                snprintf(path, sizeof path, "%s/curve/%s", dir, cp_metric_name((cp_metric)m));
                if (cp_h5_exists(file, path)) {
                    sc->metrics |= 1u << m;
                }
                snprintf(path, sizeof path, "%s/null/curve/%s", dir, cp_metric_name((cp_metric)m));
                if (cp_h5_exists(file, path)) {
                    sc->null_metrics |= 1u << m;
                }
            }
            if (status == CP_OK && cp_h5_read_attr_f64(file, dir, "seeds", &x, err) == CP_OK) {
                sc->seeds = (int64_t)x;
            }
            if (status == CP_OK) {
                sc->key = join_params(sc, true);
                sc->context = join_params(sc, false);
                if (sc->key == NULL || sc->context == NULL) {
                    status = cp_error_set(err, CP_E_NOMEM, "out of memory");
                }
            }
        }
        cp_h5_free_names(names, count);
        /* Rankings: /centrality vectors of n scores. */
        if (status == CP_OK && cp_h5_exists(file, "/centrality")) {
            CP_TRY(cp_h5_list(file, "/centrality", &names, &count, err));
            for (int i = 0; i < count && status == CP_OK; i++) {
                double *v = NULL;
                int64_t dims[2];
                snprintf(path, sizeof path, "/centrality/%s", names[i]);
                if (cp_h5_read_f64(file, path, &v, dims, err) == CP_OK && dims[0] == s->n &&
                    dims[1] == 1 && s->n_measures < 256) {
                    s->measure_file[s->n_measures] = fi;
                    s->measure_name[s->n_measures] = strdup(names[i]);
                    s->n_measures++;
                }
                free(v);
            }
            cp_h5_free_names(names, count);
        }
    }
    if (status != CP_OK) {
        goto cleanup;
    }
    cp_error_clear(err);
    /* Labels of rankings: the file is named when several files hold them. */
    bool many = false;
    for (int i = 1; i < s->n_measures; i++) {
        many = many || s->measure_file[i] != s->measure_file[0];
    }
    for (int i = 0; i < s->n_measures; i++) {
        char buf[600];
        if (many) {
            snprintf(buf, sizeof buf, "%s (%s)", s->measure_name[i],
                     rv_base(files[s->measure_file[i]]));
        } else {
            snprintf(buf, sizeof buf, "%s", s->measure_name[i]);
        }
        s->measure[i] = strdup(buf);
        if (s->measure[i] == NULL || s->measure_name[i] == NULL) {
            status = cp_error_set(err, CP_E_NOMEM, "out of memory");
            goto cleanup;
        }
    }
    if (s->n_sc > 1) { /* a results file of rankings only has no scenarios (sc NULL) */
        qsort(s->sc, (size_t)s->n_sc, sizeof *s->sc, cmp_scenario);
    }
    s->common_metrics = s->n_sc > 0 ? ~0u : 0;
    for (int i = 0; i < s->n_sc; i++) {
        s->common_metrics &= s->sc[i].metrics;
        s->any_metrics |= s->sc[i].metrics;
        for (int p = 0; p < RV_NPARAM; p++) {
            s->varies[p] = s->varies[p] || strcmp(s->sc[i].vals[p], s->sc[0].vals[p]) != 0;
        }
    }
    for (int i = 0; i < s->n_sc; i++) {
        rv_scenario *sc = &s->sc[i];
        char buf[1024];
        int len = snprintf(buf, sizeof buf, "%s %s", sc->vals[0], sc->vals[1]);
        for (int p = 2; p < RV_NPARAM && len < (int)sizeof buf; p++) {
            if (s->varies[p]) {
                len += snprintf(buf + len, sizeof buf - (size_t)len, " %s=%s", param_titles[p],
                                sc->vals[p]);
            }
        }
        if (s->n_files > 1 && len < (int)sizeof buf) {
            snprintf(buf + len, sizeof buf - (size_t)len, " [%s]", rv_base(files[sc->file]));
        }
        sc->label = strdup(buf);
        if (sc->label == NULL) {
            status = cp_error_set(err, CP_E_NOMEM, "out of memory");
            goto cleanup;
        }
    }
cleanup:
    free(sha0);
    for (int q = 0; q < 3; q++) {
        free(question[q]);
    }
    if (status != CP_OK) {
        rv_free(s);
    }
    return status;
}

cp_status rv_curve(const rv_set *s, const rv_scenario *sc, cp_metric m, bool null, double **curve,
                   int64_t *rows, cp_error *err) {
    char path[700];
    snprintf(path, sizeof path, "/scenarios/%s/%scurve/%s", sc->name, null ? "null/" : "",
             cp_metric_name(m));
    int64_t dims[2] = {0, 0};
    cp_status status = cp_h5_read_f64(s->files[sc->file], path, curve, dims, err);
    if (status != CP_OK) {
        return status;
    }
    if (dims[1] != sc->budget + 1) {
        free(*curve);
        *curve = NULL;
        return cp_error_set(err, CP_E_FORMAT, "%s: %s has %lld columns, expected budget + 1 = %lld",
                            s->files[sc->file], path, (long long)dims[1],
                            (long long)sc->budget + 1);
    }
    *rows = dims[0];
    return CP_OK;
}

/* ---- summaries ------------------------------------------------------------------------------- */

static double mean_sd(const double *x, int64_t n, double *sd) {
    double m = 0, v = 0;
    for (int64_t i = 0; i < n; i++) {
        m += x[i];
    }
    m = n > 0 ? m / (double)n : NAN;
    for (int64_t i = 0; i < n; i++) {
        v += (x[i] - m) * (x[i] - m);
    }
    *sd = n > 1 ? sqrt(v / (double)(n - 1)) : 0;
    return m;
}

/* Column of a curve matrix: x[s] = curve[s][col]. */
static void column(double *x, const double *curve, int64_t rows, int64_t k, int64_t col) {
    for (int64_t r = 0; r < rows; r++) {
        x[r] = curve[r * (k + 1) + col];
    }
}

cp_status rv_summary_table(rv_table **out, const rv_set *s, cp_metric m, const rv_summary_opts *o,
                           cp_error *err) {
    *out = NULL;
    cp_status status = CP_OK;
    rv_table *t = NULL;
    double *curve = NULL, *nullc = NULL, *x = NULL;
    const char *mn = cp_metric_name(m);
    bool any_null = false;
    int nvary = 0;
    for (int i = 0; i < s->n_sc; i++) {
        any_null = any_null || ((s->sc[i].metrics >> m) & 1u && (s->sc[i].null_metrics >> m) & 1u);
    }
    for (int p = 2; p < RV_NPARAM; p++) {
        nvary += s->varies[p];
    }
    for (int i = 0; i < s->n_sc && status == CP_OK; i++) {
        const rv_scenario *sc = &s->sc[i];
        if (!((sc->metrics >> m) & 1u)) {
            continue;
        }
        int64_t k = sc->budget, rows = 0;
        int64_t at[16];
        int n_at = 0;
        if (o->at != NULL) {
            for (int q = 0; q < o->n_at && q < 16; q++) {
                if (o->at[q] > k) {
                    status = cp_error_set(err, CP_E_INVALID,
                                          "--at %lld: budgets must be integers in 0..%lld (the "
                                          "budget of %s in %s)",
                                          (long long)o->at[q], (long long)k, sc->name,
                                          s->files[sc->file]);
                    goto cleanup;
                }
                at[n_at++] = o->at[q];
            }
        } else {
            at[n_at++] = k / 4;
            at[n_at++] = k / 2;
            at[n_at++] = k;
        }
        int ncol = 4 + nvary + n_at + 2 + (o->have_level ? 1 : 0) + (any_null ? 2 : 0);
        char cells[64][96];
        const char *cp[64];
        int c = 0;
        if (t == NULL) {
            char title[512];
            snprintf(title, sizeof title, "metric %s: %s", mn, cp_metric_description(m));
            t = rv_table_new(ncol, 4 + nvary, title);
            if (t == NULL) {
                status = cp_error_set(err, CP_E_NOMEM, "out of memory");
                goto cleanup;
            }
            t->csv_prefix = strdup(mn);
            t->csv_prefix_h = strdup("metric");
            snprintf(cells[c++], 96, "file");
            snprintf(cells[c++], 96, "strategy");
            snprintf(cells[c++], 96, "mode");
            for (int p = 2; p < RV_NPARAM; p++) {
                if (s->varies[p]) {
                    snprintf(cells[c++], 96, "%s", param_titles[p]);
                }
            }
            snprintf(cells[c++], 96, "seeds");
            for (int q = 0; q < n_at; q++) {
                snprintf(cells[c++], 96, "%s@%lld", mn, (long long)at[q]);
            }
            snprintf(cells[c++], 96, "auc");
            snprintf(cells[c++], 96, "auc_sd");
            if (o->have_level) {
                snprintf(cells[c++], 96, "k(<=%g)", o->level);
            }
            if (any_null) {
                snprintf(cells[c++], 96, "null@k");
                snprintf(cells[c++], 96, "null_range@k");
            }
            for (int q = 0; q < c; q++) {
                cp[q] = cells[q];
            }
            if (!rv_table_add(t, cp) || t->csv_prefix == NULL || t->csv_prefix_h == NULL) {
                status = cp_error_set(err, CP_E_NOMEM, "out of memory");
                goto cleanup;
            }
            c = 0;
        }
        if (ncol != t->ncol) {
            status = cp_error_set(err, CP_E_INVALID,
                                  "scenarios of different budgets (%s in %s has k = %lld): name "
                                  "the budgets to compare with --at",
                                  sc->name, s->files[sc->file], (long long)k);
            goto cleanup;
        }
        CP_TRY(rv_curve(s, sc, m, false, &curve, &rows, err));
        x = malloc((size_t)(rows + 1) * sizeof *x);
        if (x == NULL) {
            status = cp_error_set(err, CP_E_NOMEM, "out of memory");
            goto cleanup;
        }
        snprintf(cells[c++], 96, "%s", rv_base(s->files[sc->file]));
        snprintf(cells[c++], 96, "%s", sc->vals[0]);
        snprintf(cells[c++], 96, "%s", sc->vals[1]);
        for (int p = 2; p < RV_NPARAM; p++) {
            if (s->varies[p]) {
                snprintf(cells[c++], 96, "%s", sc->vals[p][0] ? sc->vals[p] : "-");
            }
        }
        snprintf(cells[c++], 96, "%lld", (long long)rows);
        double sd = 0;
        for (int q = 0; q < n_at; q++) {
            column(x, curve, rows, k, at[q]);
            double mean = mean_sd(x, rows, &sd);
            if (o->plain_numbers || rows < 2) {
                snprintf(cells[c++], 96, "%.6f", mean);
            } else {
                snprintf(cells[c++], 96, "%.4f±%.3f", mean, sd);
            }
        }
        for (int64_t r = 0; r < rows; r++) {
            x[r] = cp_curve_auc(curve + r * (k + 1), (int32_t)k);
        }
        double auc = mean_sd(x, rows, &sd);
        snprintf(cells[c++], 96, "%.6f", auc);
        snprintf(cells[c++], 96, "%.6f", sd);
        if (o->have_level) {
            /* The first budget at which the mean curve reaches the level. */
            int64_t reached = -1;
            for (int64_t i2 = 0; i2 <= k && reached < 0; i2++) {
                column(x, curve, rows, k, i2);
                if (mean_sd(x, rows, &sd) <= o->level) {
                    reached = i2;
                }
            }
            if (reached >= 0) {
                snprintf(cells[c++], 96, "%lld", (long long)reached);
            } else {
                snprintf(cells[c++], 96, ">%lld", (long long)k);
            }
        }
        if (any_null) {
            int64_t nrows = 0;
            if ((sc->null_metrics >> m) & 1u) {
                CP_TRY(rv_curve(s, sc, m, true, &nullc, &nrows, err));
                double lo = INFINITY, hi = -INFINITY, sum = 0;
                for (int64_t r = 0; r < nrows; r++) {
                    double v = nullc[r * (k + 1) + k];
                    lo = v < lo ? v : lo;
                    hi = v > hi ? v : hi;
                    sum += v;
                }
                snprintf(cells[c++], 96, "%.6f", nrows > 0 ? sum / (double)nrows : NAN);
                snprintf(cells[c++], 96, "%.4f..%.4f", lo, hi);
                free(nullc);
                nullc = NULL;
            } else {
                snprintf(cells[c++], 96, "-");
                snprintf(cells[c++], 96, "-");
            }
        }
        for (int q = 0; q < c; q++) {
            cp[q] = cells[q];
        }
        if (!rv_table_add(t, cp)) {
            status = cp_error_set(err, CP_E_NOMEM, "out of memory");
            goto cleanup;
        }
        free(curve);
        curve = NULL;
        free(x);
        x = NULL;
    }
    *out = t;
    t = NULL;
cleanup:
    rv_table_free(&t);
    free(curve);
    free(nullc);
    free(x);
    return status;
}

/* ---- agreement ------------------------------------------------------------------------------- */

static cp_status read_removed(const rv_set *s, const rv_scenario *sc, int32_t **removed,
                              int64_t *rows, int64_t *cols, cp_error *err) {
    char path[700];
    snprintf(path, sizeof path, "/scenarios/%s/removed", sc->name);
    double *d = NULL;
    int64_t dims[2];
    cp_status status = cp_h5_read_f64(s->files[sc->file], path, &d, dims, err);
    if (status != CP_OK) {
        return status;
    }
    *rows = dims[0];
    *cols = dims[1];
    *removed = malloc((size_t)(dims[0] * dims[1] + 1) * sizeof **removed);
    if (*removed == NULL) {
        free(d);
        return cp_error_set(err, CP_E_NOMEM, "out of memory");
    }
    for (int64_t i = 0; i < dims[0] * dims[1]; i++) {
        (*removed)[i] = (int32_t)d[i];
    }
    free(d);
    return CP_OK;
}

static void fmt_num(char *buf, size_t size, double v, bool plain) {
    if (isnan(v)) {
        snprintf(buf, size, "nan");
    } else {
        snprintf(buf, size, plain ? "%.10g" : "%.4f", v);
    }
}

cp_status rv_order_agreement_table(rv_table **out, const rv_set *s, int64_t top, cp_error *err) {
    *out = NULL;
    cp_status status = CP_OK;
    rv_table *t = NULL;
    int32_t *ra = NULL, *rb = NULL;
    int nvary = 0;
    for (int p = 1; p < RV_FIRST_MEASURE_PARAM; p++) {
        nvary += p == 1 || s->varies[p];
    }
    for (int i = 0; i < s->n_sc && status == CP_OK; i++) {
        for (int j = i + 1; j < s->n_sc && status == CP_OK; j++) {
            const rv_scenario *a = &s->sc[i], *b = &s->sc[j];
            if (strcmp(a->context, b->context) != 0 || strcmp(a->key, b->key) == 0) {
                continue;
            }
            int64_t rows_a = 0, cols_a = 0, rows_b = 0, cols_b = 0;
            CP_TRY(read_removed(s, a, &ra, &rows_a, &cols_a, err));
            CP_TRY(read_removed(s, b, &rb, &rows_b, &cols_b, err));
            int64_t seeds = rows_a < rows_b ? rows_a : rows_b;
            double st = 0, so = 0;
            int64_t nt = 0, no = 0;
            for (int64_t r = 0; r < seeds; r++) {
                double tau, ov;
                rv_order_agreement(ra + r * cols_a, cols_a, rb + r * cols_b, cols_b, top, &tau,
                                   &ov);
                if (!isnan(tau)) {
                    st += tau;
                    nt++;
                }
                if (!isnan(ov)) {
                    so += ov;
                    no++;
                }
            }
            free(ra);
            free(rb);
            ra = rb = NULL;
            char cells[32][300];
            const char *cp[32];
            int c = 0;
            if (t == NULL) {
                t = rv_table_new(nvary + 5, nvary + 2,
                                 "agreement of removal orders (Kendall tau-b over the union of "
                                 "both lists, top-k overlap; mean over seeds)");
                if (t == NULL || (t->csv_prefix = strdup("agreement")) == NULL ||
                    (t->csv_prefix_h = strdup("table")) == NULL) {
                    status = cp_error_set(err, CP_E_NOMEM, "out of memory");
                    goto cleanup;
                }
                for (int p = 1; p < RV_FIRST_MEASURE_PARAM; p++) {
                    if (p == 1 || s->varies[p]) {
                        snprintf(cells[c++], 300, "%s", param_titles[p]);
                    }
                }
                snprintf(cells[c++], 300, "strategy A");
                snprintf(cells[c++], 300, "strategy B");
                snprintf(cells[c++], 300, "seeds");
                snprintf(cells[c++], 300, "kendall_tau");
                snprintf(cells[c++], 300, top > 0 ? "overlap@%lld" : "overlap@k", (long long)top);
                for (int q = 0; q < c; q++) {
                    cp[q] = cells[q];
                }
                if (!rv_table_add(t, cp)) {
                    status = cp_error_set(err, CP_E_NOMEM, "out of memory");
                    goto cleanup;
                }
                c = 0;
            }
            for (int p = 1; p < RV_FIRST_MEASURE_PARAM; p++) {
                if (p == 1 || s->varies[p]) {
                    snprintf(cells[c++], 300, "%s", a->vals[p][0] ? a->vals[p] : "-");
                }
            }
            snprintf(cells[c++], 300, "%s%s%s", a->vals[0], s->n_files > 1 ? " @" : "",
                     s->n_files > 1 ? rv_base(s->files[a->file]) : "");
            snprintf(cells[c++], 300, "%s%s%s", b->vals[0], s->n_files > 1 ? " @" : "",
                     s->n_files > 1 ? rv_base(s->files[b->file]) : "");
            snprintf(cells[c++], 300, "%lld", (long long)seeds);
            fmt_num(cells[c++], 300, nt > 0 ? st / (double)nt : NAN, true);
            fmt_num(cells[c++], 300, no > 0 ? so / (double)no : NAN, true);
            for (int q = 0; q < c; q++) {
                cp[q] = cells[q];
            }
            if (!rv_table_add(t, cp)) {
                status = cp_error_set(err, CP_E_NOMEM, "out of memory");
                goto cleanup;
            }
        }
    }
    *out = t;
    t = NULL;
cleanup:
    rv_table_free(&t);
    free(ra);
    free(rb);
    return status;
}

/* Indices 0..n-1 ordered by score, highest first, ties by index (NaN last). */
static const double *g_score;
static int cmp_desc(const void *pa, const void *pb) {
    int32_t a = *(const int32_t *)pa, b = *(const int32_t *)pb;
    double x = g_score[a], y = g_score[b];
    bool xn = isnan(x), yn = isnan(y);
    if (xn != yn) {
        return xn ? 1 : -1;
    }
    if (!xn && x != y) {
        return x > y ? -1 : 1;
    }
    return (a > b) - (a < b);
}

static cp_status top_set(uint8_t *in, const double *score, int64_t n, int64_t K, cp_error *err) {
    int32_t *idx = malloc((size_t)(n + 1) * sizeof *idx);
    if (idx == NULL) {
        return cp_error_set(err, CP_E_NOMEM, "out of memory");
    }
    for (int64_t i = 0; i < n; i++) {
        idx[i] = (int32_t)i;
    }
    g_score = score;
    qsort(idx, (size_t)n, sizeof *idx, cmp_desc);
    memset(in, 0, (size_t)n);
    for (int64_t i = 0; i < K; i++) {
        in[idx[i]] = 1;
    }
    free(idx);
    return CP_OK;
}

cp_status rv_ranking_agreement_table(rv_table **out, const rv_set *s, int64_t top, cp_error *err) {
    *out = NULL;
    if (s->n_measures < 2 || s->n < 1) {
        return CP_OK;
    }
    cp_status status = CP_OK;
    rv_table *t = NULL;
    double *x = NULL, *y = NULL;
    uint8_t *ta = malloc((size_t)s->n), *tb = malloc((size_t)s->n);
    int64_t K = top > 0 ? top : 10;
    K = K < s->n ? K : s->n;
    if (ta == NULL || tb == NULL) {
        status = cp_error_set(err, CP_E_NOMEM, "out of memory");
        goto cleanup;
    }
    char title[128];
    snprintf(title, sizeof title,
             "agreement of centrality rankings (Kendall tau-b over all %lld nodes, top-%lld "
             "overlap)",
             (long long)s->n, (long long)K);
    t = rv_table_new(4, 2, title);
    if (t == NULL || (t->csv_prefix = strdup("rankings")) == NULL ||
        (t->csv_prefix_h = strdup("table")) == NULL) {
        status = cp_error_set(err, CP_E_NOMEM, "out of memory");
        goto cleanup;
    }
    char kcol[32];
    snprintf(kcol, sizeof kcol, "overlap@%lld", (long long)K);
    const char *head[4] = {"measure A", "measure B", "kendall_tau", kcol};
    if (!rv_table_add(t, head)) {
        status = cp_error_set(err, CP_E_NOMEM, "out of memory");
        goto cleanup;
    }
    for (int i = 0; i < s->n_measures; i++) {
        for (int j = i + 1; j < s->n_measures; j++) {
            char path[600];
            int64_t dims[2];
            snprintf(path, sizeof path, "/centrality/%s", s->measure_name[i]);
            CP_TRY(cp_h5_read_f64(s->files[s->measure_file[i]], path, &x, dims, err));
            snprintf(path, sizeof path, "/centrality/%s", s->measure_name[j]);
            CP_TRY(cp_h5_read_f64(s->files[s->measure_file[j]], path, &y, dims, err));
            double tau = rv_kendall_tau_b(x, y, s->n);
            CP_TRY(top_set(ta, x, s->n, K, err));
            CP_TRY(top_set(tb, y, s->n, K, err));
            int64_t common = 0;
            for (int64_t v = 0; v < s->n; v++) {
                common += ta[v] & tb[v];
            }
            char c2[64], c3[64];
            fmt_num(c2, sizeof c2, tau, true);
            fmt_num(c3, sizeof c3, (double)common / (double)K, true);
            const char *row[4] = {s->measure[i], s->measure[j], c2, c3};
            if (!rv_table_add(t, row)) {
                status = cp_error_set(err, CP_E_NOMEM, "out of memory");
                goto cleanup;
            }
            free(x);
            free(y);
            x = y = NULL;
        }
    }
    *out = t;
    t = NULL;
cleanup:
    rv_table_free(&t);
    free(x);
    free(y);
    free(ta);
    free(tb);
    return status;
}
