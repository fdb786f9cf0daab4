/* chokepoint diff OLD NEW [-o DIFF.csv|DIFF.h5]: entries and links added and removed between two
 * graphs (e.g. two dated SDN lists), matched by external id. */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../io/graph_h5.h"
#include "../../io/sdn.h"
#include "alloc.h"
#include "cli.h"
#include "graph_impl.h"
#include "idmap.h"

static const cli_opt_spec specs[] = {
    {"show", true, "N|all: rows of each change to print (default 10; the -o file has all)"},
    {"encoding", true, "latin1|utf8: the encoding of SDN CSV inputs (default latin1)"},
    {NULL, false, NULL},
};

/* One side of the comparison: the graph, its entry ids and its set of links. */
typedef struct side {
    const char *path;
    cp_graph *g;
    cp__idmap ids;   /* label -> node */
    cp__idmap links; /* "source\ttarget\tlayer" -> link number */
    int64_t *edge;   /* link number -> first edge with that key */
} side;

static bool is_hdf5(const char *path) {
    static const unsigned char magic[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    unsigned char head[8];
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return false;
    }
    bool yes = fread(head, 1, sizeof head, f) == sizeof head && memcmp(head, magic, 8) == 0;
    fclose(f);
    return yes;
}

static const char *label(const cp_graph *g, int32_t i, char *buf, size_t size) {
    return cp_graph_node_label(g, i, buf, size);
}

static const char *node_name(const cp_graph *g, int32_t i) {
    return g->names != NULL && g->names[i] != NULL ? g->names[i] : "";
}

/* Loads a side (HDF5 graph file, else an SDN CSV) and indexes its ids and links. */
static cp_status load_side(side *s, const char *path, cp_sdn_encoding enc, cp_error *err) {
    cp_status status = CP_OK;
    char *key = NULL;
    s->path = path;
    cp__idmap_init(&s->ids);
    cp__idmap_init(&s->links);
    if (is_hdf5(path)) {
        CP_TRY(cli_load_graph(&s->g, path, err));
    } else {
        cp_sdn_options o;
        memset(&o, 0, sizeof o);
        o.encoding = enc;
        CP_TRY(cp_import_sdn(&s->g, path, &o, NULL, err));
    }
    const cp_graph *g = s->g;
    char a[64], b[64];
    for (int32_t i = 0; i < g->n; i++) {
        int32_t idx;
        bool inserted;
        if (cp__idmap_intern(&s->ids, label(g, i, a, sizeof a), &idx, &inserted) != CP_OK) {
            CP_TRY(cp_error_set(err, CP_E_NOMEM, "%s: out of memory indexing ids", path));
        }
    }
    s->edge = cp__malloc_array((size_t)g->m + 1, sizeof *s->edge);
    if (s->edge == NULL) {
        CP_TRY(cp_error_set(err, CP_E_NOMEM, "%s: out of memory indexing links", path));
    }
    for (int64_t e = 0; e < g->m; e++) {
        const char *ln = g->layers[g->layer[e]].name;
        const char *sl = label(g, g->src[e], a, sizeof a), *tl = label(g, g->dst[e], b, sizeof b);
        size_t len = strlen(sl) + strlen(tl) + strlen(ln) + 3;
        cp__free(key);
        key = cp__malloc(len);
        if (key == NULL) {
            CP_TRY(cp_error_set(err, CP_E_NOMEM, "%s: out of memory indexing links", path));
        }
        snprintf(key, len, "%s\t%s\t%s", sl, tl, ln);
        int32_t idx;
        bool inserted;
        if (cp__idmap_intern(&s->links, key, &idx, &inserted) != CP_OK) {
            CP_TRY(cp_error_set(err, CP_E_NOMEM, "%s: out of memory indexing links", path));
        }
        if (inserted) {
            s->edge[idx] = e;
        }
    }
cleanup:
    cp__free(key);
    return status;
}

static void side_free(side *s) {
    cp_graph_free(&s->g);
    cp__idmap_destroy(&s->ids);
    cp__idmap_destroy(&s->links);
    cp__free(s->edge);
}

/* Indices of a's entries (or links) missing from b. */
static cp_status missing(int32_t **out, int64_t *count, const cp__idmap *a, const cp__idmap *b,
                         cp_error *err) {
    *out = cp__malloc_array((size_t)a->size + 1, sizeof **out);
    *count = 0;
    if (*out == NULL) {
        return cp_error_set(err, CP_E_NOMEM, "out of memory comparing");
    }
    for (int64_t i = 0; i < a->size; i++) {
        if (cp__idmap_find(b, a->keys[i]) < 0) {
            (*out)[(*count)++] = (int32_t)i;
        }
    }
    return CP_OK;
}

static void put_csv(FILE *f, const char *s, bool last) {
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"') {
            fputc('"', f);
        }
        fputc(*s, f);
    }
    fputs(last ? "\"\r\n" : "\",", f);
}

typedef struct change {
    const side *s; /* the side the rows come from: NEW for added, OLD for removed */
    const int32_t *rows;
    int64_t count;
    const char *what; /* "added" / "removed" */
} change;

static void csv_entries(FILE *f, const change *c) {
    char a[64];
    for (int64_t k = 0; k < c->count; k++) {
        int32_t i = c->rows[k];
        fprintf(f, "%s,entry,", c->what);
        put_csv(f, label(c->s->g, i, a, sizeof a), false);
        put_csv(f, node_name(c->s->g, i), false);
        fputs(",,\r\n", f);
    }
}

static void csv_links(FILE *f, const change *c) {
    char a[64];
    const cp_graph *g = c->s->g;
    for (int64_t k = 0; k < c->count; k++) {
        int64_t e = c->s->edge[c->rows[k]];
        fprintf(f, "%s,link,", c->what);
        put_csv(f, label(g, g->src[e], a, sizeof a), false);
        put_csv(f, node_name(g, g->src[e]), false);
        put_csv(f, label(g, g->dst[e], a, sizeof a), false);
        put_csv(f, node_name(g, g->dst[e]), false);
        put_csv(f, g->layers[g->layer[e]].name, true);
    }
}

static cp_status write_csv(const char *path, const change c[4], cp_error *err) {
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) {
        return cp_error_set(err, CP_E_INVALID, "%s: path too long", path);
    }
    FILE *f = fopen(tmp, "wb");
    if (f == NULL) {
        return cp_error_set(err, CP_E_IO, "%s: cannot create (%m)", tmp);
    }
    fputs("change,item,id,name,target,target_name,layer\r\n", f);
    csv_entries(f, &c[0]);
    csv_entries(f, &c[1]);
    csv_links(f, &c[2]);
    csv_links(f, &c[3]);
    bool ok = fflush(f) == 0 && !ferror(f) && fsync(fileno(f)) == 0;
    ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        remove(tmp);
        return cp_error_set(err, CP_E_IO, "%s: cannot write (%m)", path);
    }
    return CP_OK;
}

/* Writes the labels of rows (entries) or of the links' ends and layers under /diff/<name>. */
static cp_status h5_change(cp_results *r, const change *c, bool links, const char *name,
                           cp_error *err) {
    cp_status status = CP_OK;
    int64_t n = c->count;
    char **cols[3] = {NULL, NULL, NULL};
    char path[128], a[64];
    const cp_graph *g = c->s->g;
    for (int j = 0; j < (links ? 3 : 1); j++) {
        cols[j] = cp__calloc((size_t)n + 1, sizeof *cols[j]);
        if (cols[j] == NULL) {
            CP_TRY(cp_error_set(err, CP_E_NOMEM, "out of memory"));
        }
    }
    for (int64_t k = 0; k < n; k++) {
        if (links) {
            int64_t e = c->s->edge[c->rows[k]];
            cols[0][k] = strdup(label(g, g->src[e], a, sizeof a));
            cols[1][k] = strdup(label(g, g->dst[e], a, sizeof a));
            cols[2][k] = strdup(g->layers[g->layer[e]].name);
            if (cols[0][k] == NULL || cols[1][k] == NULL || cols[2][k] == NULL) {
                CP_TRY(cp_error_set(err, CP_E_NOMEM, "out of memory"));
            }
        } else {
            cols[0][k] = strdup(label(g, c->rows[k], a, sizeof a));
            if (cols[0][k] == NULL) {
                CP_TRY(cp_error_set(err, CP_E_NOMEM, "out of memory"));
            }
        }
    }
    if (links) {
        static const char *const part[3] = {"source", "target", "layer"};
        static const char *const desc[3] = {"id of the link's source entry",
                                            "id of the link's target entry", "the link's layer"};
        for (int j = 0; j < 3; j++) {
            snprintf(path, sizeof path, "/diff/%s/%s", name, part[j]);
            CP_TRY(
                cp_results_write_strings(r, path, n, (const char *const *)cols[j], desc[j], err));
        }
    } else {
        snprintf(path, sizeof path, "/diff/%s", name);
        CP_TRY(cp_results_write_strings(r, path, n, (const char *const *)cols[0],
                                        "ids of the entries (external ids as text)", err));
    }
cleanup:
    for (int j = 0; j < 3; j++) {
        for (int64_t k = 0; cols[j] != NULL && k < n; k++) {
            free(cols[j][k]);
        }
        cp__free(cols[j]);
    }
    return status;
}

/* Writes the results file: the full /provenance of cli_write_provenance (input = NEW, with its
 * /nodes/id), OLD's path and SHA-256 as old_input / old_input_sha256, the stage times, and the
 * changes under /diff; through "<path>.tmp" renamed into place. */
static cp_status write_h5(const cli_args *a, const side *old, const side *new_, const change c[4],
                          const double seconds[2], double t0, cp_error *err) {
    cp_status status = CP_OK;
    cp_results *r = NULL;
    char *abs = NULL;
    char hex[65];
    cp_backend_ops be;
    cp__backend_cpu(&be);
    CP_TRY(cp_results_create(&r, a->output, new_->path, err));
    CP_TRY(cli_write_provenance(r, a, new_->path, new_->g, &be, err));
    CP_TRY(cp_sha256_file(old->path, hex, err));
    abs = realpath(old->path, NULL);
    CP_TRY(cp_results_attr_str(r, "/provenance", "old_input", abs != NULL ? abs : old->path, err));
    CP_TRY(cp_results_attr_str(r, "/provenance", "old_input_sha256", hex, err));
    CP_TRY(cli_stage_time(r, "load", seconds[0], err));
    CP_TRY(cli_stage_time(r, "compare", seconds[1], err));
    CP_TRY(cp_results_attr_str(r, "/diff", "old", old->path, err));
    CP_TRY(cp_results_attr_str(r, "/diff", "new", new_->path, err));
    static const char *const names[4] = {"entries_added", "entries_removed", "links_added",
                                         "links_removed"};
    for (int k = 0; k < 4; k++) {
        CP_TRY(h5_change(r, &c[k], k >= 2, names[k], err));
        CP_TRY(cp_results_attr_i64(r, "/diff", names[k], c[k].count, err));
    }
    CP_TRY(cli_commit(&r, a, t0, err));
cleanup:
    free(abs);
    cp_results_abort(&r);
    return status;
}

static void print_rows(const change *c, bool links, long show) {
    if (c->count == 0 || show == 0) {
        return;
    }
    int64_t upto = show < 0 || c->count < show ? c->count : show;
    printf("\n%s %s%s:\n", links ? "links" : "entries", c->what,
           upto < c->count ? " (first rows; -o FILE or --show all for every one)" : "");
    const cp_graph *g = c->s->g;
    char a[64], b[64];
    for (int64_t k = 0; k < upto; k++) {
        if (links) {
            int64_t e = c->s->edge[c->rows[k]];
            printf("  %c %-10s %-36.36s -> %-10s %-36.36s [%s]\n", c->what[0] == 'a' ? '+' : '-',
                   label(g, g->src[e], a, sizeof a), node_name(g, g->src[e]),
                   label(g, g->dst[e], b, sizeof b), node_name(g, g->dst[e]),
                   g->layers[g->layer[e]].name);
        } else {
            printf("  %c %-10s %s\n", c->what[0] == 'a' ? '+' : '-',
                   label(g, c->rows[k], a, sizeof a), node_name(g, c->rows[k]));
        }
    }
}

int cmd_diff(int argc, char **argv) {
    cli_args a;
    cp_error err;
    cp_error_clear(&err);
    side old, new_;
    memset(&old, 0, sizeof old);
    memset(&new_, 0, sizeof new_);
    int32_t *rows[4] = {NULL, NULL, NULL, NULL};
    double t0 = cli_now(), seconds[2] = {0.0, 0.0};
    cp_status status = cli_parse(&a, "diff", argc, argv, 2, specs,
                                 "OLD NEW [-o DIFF.csv|DIFF.h5]   (graph files or SDN CSVs)", &err);
    if (status != CP_OK) {
        return cli_fail(&a, status, &err);
    }
    if (a.n_pos != 2) {
        cp_error_set(&err, CP_E_INVALID, "expected: chokepoint diff OLD NEW [-o DIFF.csv]");
        return cli_fail(&a, CP_E_INVALID, &err);
    }
    long show = 10;
    const char *show_text = cli_get(&a, "show", NULL);
    if (show_text != NULL && strcmp(show_text, "all") == 0) {
        show = -1;
    } else {
        CP_TRY(cli_get_int(&a, "show", 10, 0, 1000000000L, &show, &err));
    }
    const char *enc_text = cli_get(&a, "encoding", "latin1");
    cp_sdn_encoding enc = CP_SDN_LATIN1;
    if (strcmp(enc_text, "utf8") == 0 || strcmp(enc_text, "utf-8") == 0) {
        enc = CP_SDN_UTF8;
    } else if (strcmp(enc_text, "latin1") != 0 && strcmp(enc_text, "latin-1") != 0) {
        CP_TRY(
            cp_error_set(&err, CP_E_INVALID, "--encoding %s: expected latin1 or utf8", enc_text));
    }
    if (a.output != NULL) {
        CP_TRY(cli_check_output(&a, &err));
    }
    double t = cli_now();
    CP_TRY(load_side(&old, a.pos[0], enc, &err));
    CP_TRY(load_side(&new_, a.pos[1], enc, &err));
    seconds[0] = cli_now() - t;
    t = cli_now();
    int64_t counts[4];
    CP_TRY(missing(&rows[0], &counts[0], &new_.ids, &old.ids, &err));
    CP_TRY(missing(&rows[1], &counts[1], &old.ids, &new_.ids, &err));
    CP_TRY(missing(&rows[2], &counts[2], &new_.links, &old.links, &err));
    CP_TRY(missing(&rows[3], &counts[3], &old.links, &new_.links, &err));
    seconds[1] = cli_now() - t;
    change c[4] = {
        {&new_, rows[0], counts[0], "added"},
        {&old, rows[1], counts[1], "removed"},
        {&new_, rows[2], counts[2], "added"},
        {&old, rows[3], counts[3], "removed"},
    };
    if (!a.quiet) {
        printf("diff %s -> %s\n", old.path, new_.path);
        printf("%-8s %10s %10s %10s %10s\n", "", "old", "new", "added", "removed");
        printf("%-8s %10" PRId64 " %10" PRId64 " %10" PRId64 " %10" PRId64 "\n", "entries",
               old.ids.size, new_.ids.size, counts[0], counts[1]);
        printf("%-8s %10" PRId64 " %10" PRId64 " %10" PRId64 " %10" PRId64 "\n", "links",
               old.links.size, new_.links.size, counts[2], counts[3]);
        for (int k = 0; k < 4; k++) {
            print_rows(&c[k], k >= 2, show);
        }
    }
    if (a.output != NULL) {
        size_t len = strlen(a.output);
        if (!a.quiet) {
            putchar('\n');
        }
        if (len > 3 && strcmp(a.output + len - 3, ".h5") == 0) {
            CP_TRY(write_h5(&a, &old, &new_, c, seconds, t0, &err)); /* says "wrote" itself */
        } else {
            CP_TRY(write_csv(a.output, c, &err));
            if (!a.quiet) {
                printf("wrote %s\n", a.output);
            }
        }
    }
cleanup:
    for (int k = 0; k < 4; k++) {
        cp__free(rows[k]);
    }
    side_free(&old);
    side_free(&new_);
    return status < 0 ? cli_fail(&a, status, &err) : 0;
}
