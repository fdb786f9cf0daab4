/* chokepoint sweep SCENARIOS.yaml -o OUT.h5: the product of a scenario file's lists, each
 * scenario persisted at once as its own small file, resumable, spread over MPI ranks when
 * launched by mpirun, merged into the /scenarios layout of `simulate` (DESIGN sections 5-7).
 *
 * A unit of work is one parameter combination at one seed. Its file, WORK/<sha256>.h5, is named
 * by the SHA-256 of its canonical parameters (the graph file's SHA-256 included), written to a
 * tmp file, synced and renamed, then the folder is synced: a unit either exists whole or not at
 * all, so --resume after any crash or SIGKILL redoes exactly the units that are missing. The
 * merge reads the units back into scenario results and writes them with the writer `simulate`
 * uses, so a sweep's groups equal `simulate`'s for the same scenarios, value for value. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#ifdef CP_HAVE_MPI
#include <mpi.h>
#endif

#include "alloc.h"
#include "chokepoint/generate.h"
#include "chokepoint/nodeset.h"
#include "chokepoint/ownership.h"
#include "chokepoint/simulate.h"
#include "cli.h"
#include "graph_impl.h"
#include "scenario_io.h"
#include "sweep_spec.h"
#include "view_opts.h"

static const cli_opt_spec specs[] = {
    {"resume", false, "keep the scenarios an earlier run of this sweep finished"},
    {"work-dir", true, "DIR: where finished scenarios are kept (default OUT.h5.parts)"},
    {"keep-parts", false, "keep the work folder after the merge"},
    {"dry-run", false, "validate the file and the graph, print the sweep's size, run nothing"},
    {NULL, false, NULL},
};

/* The options of the synthetic argument lists built for each scenario: simulate's spelling. */
static const cli_opt_spec scenario_specs[] = {
    {"sources", true, ""},      {"targets", true, ""},       {"candidates", true, ""},
    {"protected", true, ""},    {"substitutes", true, ""},   {"layers", true, ""},
    {"metrics", true, ""},      {"objective", true, ""},     {"rerank", true, ""},
    {"closure", true, ""},      {"closure-layer", true, ""}, {"cost", true, ""},
    {"cost-default", true, ""}, {"cost-budget", true, ""},   {"reinsert", false, ""},
    CLI_MEASURE_SPECS,          {NULL, false, NULL},
};

/* One rank's view of the job. */
typedef struct {
    int rank, size, local_rank, local_size;
    bool mpi;
} job;

/* Everything a rank needs to run and write units. */
typedef struct {
    sweep_spec spec;
    cp_graph *g;
    cp_scenario base; /* the shared part of every scenario */
    cp_measure_params mp;
    int32_t *S, *T, *C, *P, *SUB;
    int64_t ns, nt, nc, np, nsub;
    double *pers, *cost;
    int closure_layer;
    char graph_sha[65];
    int64_t n_combo; /* combinations before duplicates are dropped */
    int64_t *combo;  /* the distinct combinations, in product order */
    int64_t n_distinct;
    cp_graph **nulls; /* null: rewire: the rewired graphs, spec.null_samples of them */
    int n_nulls;
} sweep;

/* --- the product -------------------------------------------------------------------------- */

typedef struct {
    cp_strategy strategy;
    cp_mode mode;
    int32_t budget, round;
    double reroute;
    int closure;
} combo_params;

/* Combination c of the product (strategies outermost, closures innermost), with the round size
 * and reroute probability that the engine actually uses: simultaneous mode is one round of k and
 * adaptive mode has no response. Two combinations with the same canonical parameters are one. */
static combo_params combo_of(const sweep_spec *s, int64_t c) {
    combo_params p;
    int64_t q = c;
    p.closure = s->closure[q % s->n_closure];
    q /= s->n_closure;
    p.reroute = s->reroute[q % s->n_reroute];
    q /= s->n_reroute;
    p.round = s->round[q % s->n_round];
    q /= s->n_round;
    p.budget = s->budget[q % s->n_budget];
    q /= s->n_budget;
    p.mode = s->mode[q % s->n_mode];
    q /= s->n_mode;
    p.strategy = s->strategy[q];
    if (p.mode == CP_MODE_SIMULTANEOUS) {
        p.round = p.budget > 0 ? p.budget : 1;
    }
    if (p.mode == CP_MODE_ADAPTIVE) {
        p.reroute = 0.0;
    }
    return p;
}

/* The shortest decimal text of x that reads back as x. */
static void shortest(char *buf, size_t size, double x) {
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, size, "%.*g", prec, x);
        if (strtod(buf, NULL) == x) {
            return;
        }
    }
}

static const char *closure_name(int closure) {
    return closure < 0 ? "none" : cp_regime_name((cp_regime)closure);
}

/* The group name: strategy-mode, then each dimension that has more than one value. */
static void combo_name(char *buf, size_t size, const sweep_spec *s, combo_params p) {
    int len = snprintf(buf, size, "%s-%s", cp_strategy_name(p.strategy), cp_mode_name(p.mode));
    if (s->n_budget > 1) {
        len += snprintf(buf + len, size - (size_t)len, "-k%d", p.budget);
    }
    if (s->n_round > 1) {
        len += snprintf(buf + len, size - (size_t)len, "-b%d", p.round);
    }
    if (s->n_reroute > 1) {
        char num[32];
        shortest(num, sizeof num, p.reroute);
        len += snprintf(buf + len, size - (size_t)len, "-p%s", num);
    }
    if (s->n_closure > 1) {
        snprintf(buf + len, size - (size_t)len, "-%s", closure_name(p.closure));
    }
}

/* The canonical text of a unit, hashed for its file name and stored in it. */
static void unit_key(char *buf, size_t size, const sweep *w, combo_params p, uint64_t seed) {
    const sweep_spec *s = &w->spec;
    char num[32];
    shortest(num, sizeof num, p.reroute);
    int len = snprintf(buf, size, "chokepoint-sweep-unit 1\ngraph_sha256=%s\n", w->graph_sha);
    for (int i = 0; i < s->n_opts && len < (int)size; i++) {
        len += snprintf(buf + len, size - (size_t)len, "%s=%s\n", s->opt_name[i],
                        s->opt_value[i] != NULL ? s->opt_value[i] : "yes");
    }
    if (len < (int)size) {
        snprintf(buf + len, size - (size_t)len,
                 "strategy=%s\nmode=%s\nbudget=%d\nround=%d\nreroute=%s\nclosure=%s\nseed=%" PRIu64
                 "\nmeasure_seed=%" PRIu64 "\n",
                 cp_strategy_name(p.strategy), cp_mode_name(p.mode), p.budget, p.round, num,
                 closure_name(p.closure), seed, s->seed[0]);
    }
    if (s->null_rewire) {
        /* The null model's parameters; absent without one, so earlier units keep their names. */
        len = (int)strlen(buf);
        shortest(num, sizeof num, s->null_swaps);
        if (len < (int)size) {
            snprintf(buf + len, size - (size_t)len,
                     "null=rewire\nnull_samples=%d\nnull_swaps=%s\nnull_seed=%" PRIu64 "\n",
                     s->null_samples, num, s->seed[0]);
        }
    }
}

static cp_status sha256_text(const char *text, char hex[65], cp_error *err) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int md_len = 0;
    if (EVP_Digest(text, strlen(text), md, &md_len, EVP_sha256(), NULL) != 1) {
        return cp_error_set(err, CP_E_INTERNAL, "OpenSSL could not compute a SHA-256");
    }
    for (unsigned int i = 0; i < md_len && i < 32; i++) {
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
    }
    return CP_OK;
}

static cp_status unit_path(char *path, size_t size, const char *dir, const sweep *w, int64_t u,
                           char *key, size_t key_size, cp_error *err) {
    int64_t c = w->combo[u / w->spec.n_seed];
    combo_params p = combo_of(&w->spec, c);
    unit_key(key, key_size, w, p, w->spec.seed[u % w->spec.n_seed]);
    char hex[65];
    cp_status st = sha256_text(key, hex, err);
    if (st == CP_OK) {
        snprintf(path, size, "%s/%s.h5", dir, hex);
    }
    return st;
}

/* --- building scenarios ------------------------------------------------------------------- */

/* A synthetic argument list for one combination (NULL: the shared options alone), parsed into a
 * cli_args as `simulate` would parse it. argv strings live in store until the next call. */
typedef struct {
    char *argv[2 * SWEEP_MAX_OPTS + 16];
    char store[8][64];
} argbuf;

static cp_status scenario_args(cli_args *a, argbuf *b, const sweep *w, const combo_params *p,
                               cp_error *err) {
    const sweep_spec *s = &w->spec;
    int argc = 0;
    b->argv[argc++] = "chokepoint";
    b->argv[argc++] = "simulate";
    b->argv[argc++] = s->graph;
    for (int i = 0; i < s->n_opts; i++) {
        b->argv[argc++] = s->opt_name[i];
        if (s->opt_value[i] != NULL) {
            b->argv[argc++] = s->opt_value[i];
        }
    }
    b->argv[argc++] = "--seed";
    snprintf(b->store[1], sizeof b->store[1], "%" PRIu64, s->seed[0]);
    b->argv[argc++] = b->store[1];
    if (p != NULL && p->closure >= 0) {
        b->argv[argc++] = "--closure";
        b->argv[argc++] = (char *)closure_name(p->closure);
    }
    b->argv[argc] = NULL;
    return cli_parse(a, "sweep", argc, b->argv, 3, scenario_specs, "", err);
}

/* cli_parse wants "--name"; the spec keeps bare names. Dashed copies live in the spec itself. */
static cp_status dash_names(sweep_spec *s, cp_error *err) {
    for (int i = 0; i < s->n_opts; i++) {
        size_t len = strlen(s->opt_name[i]) + 3;
        char *d = cp__malloc(len);
        if (d == NULL) {
            return cp_error_set(err, CP_E_NOMEM, "out of memory");
        }
        snprintf(d, len, "--%s", s->opt_name[i]);
        cp__free(s->opt_name[i]);
        s->opt_name[i] = d;
    }
    return CP_OK;
}

/* Reports a graph-dependent mistake at the line of the option (rank 0 only) and counts it. */
static void bad_opt(int *errors, bool report, const sweep_spec *s, const char *opt, cp_error *e) {
    (*errors)++;
    if (report) {
        char dashed[80];
        snprintf(dashed, sizeof dashed, "--%s", opt);
        int line = sweep_spec_line(s, dashed);
        if (line > 0) {
            fprintf(stderr, "chokepoint sweep: error: %s line %d: %s\n", s->path, line, e->msg);
        } else {
            fprintf(stderr, "chokepoint sweep: error: %s: %s\n", s->path, e->msg);
        }
    }
    cp_error_clear(e);
}

/* Resolves the shared options on the graph, as simulate does, reporting every mistake with its
 * line. CP_E_FORMAT when there were any. */
static cp_status resolve_shared(sweep *w, bool report, cp_error *err) {
    cli_args a;
    argbuf b;
    cp_error e;
    cp_error_clear(&e);
    int errors = w->spec.n_errors;
    cp_status st = scenario_args(&a, &b, w, NULL, &e);
    if (st != CP_OK) {
        return cp_error_set(err, st, "%s", e.msg);
    }
    cp_scenario *sc = &w->base;
    cp_scenario_init(sc);
    if (cp_view_parse_layers(w->g, cli_get(&a, "layers", "all"), &sc->layer_mask, &e) != CP_OK) {
        bad_opt(&errors, report, &w->spec, "layers", &e);
    }
    static const char *const sets[] = {"sources", "targets", "candidates", "protected",
                                       "substitutes"};
    int32_t **dst[] = {&w->S, &w->T, &w->C, &w->P, &w->SUB};
    int64_t *cnt[] = {&w->ns, &w->nt, &w->nc, &w->np, &w->nsub};
    for (int i = 0; i < 5; i++) {
        const char *def =
            i == 3 && cp__graph_find_group(w->g, "protected") != NULL ? "group:protected" : NULL;
        if (cli_nodeset(&a, w->g, sets[i], def, dst[i], cnt[i], &e) != CP_OK) {
            bad_opt(&errors, report, &w->spec, sets[i], &e);
        }
    }
    sc->sources = w->S;
    sc->n_sources = w->ns;
    sc->targets = w->T;
    sc->n_targets = w->nt;
    sc->candidates = w->C;
    sc->n_candidates = w->nc;
    sc->protected_nodes = w->P;
    sc->n_protected = w->np;
    sc->substitutes = w->SUB;
    sc->n_substitutes = w->nsub;
    if (cli_measure_params(&a, w->g, &w->mp, &w->pers, &e) != CP_OK) {
        /* The message names the option (--damping x: ...); find which. */
        const char *opt = "measure";
        for (int i = 0; i < w->spec.n_opts; i++) {
            if (strstr(e.msg, w->spec.opt_name[i]) != NULL) {
                opt = w->spec.opt_name[i] + 2;
            }
        }
        bad_opt(&errors, report, &w->spec, opt, &e);
    }
    sc->measure = &w->mp;
    const char *rerank = cli_get(&a, "rerank", "yes");
    sc->rerank = strcmp(rerank, "yes") == 0;
    if (cp_metric_parse(cli_get(&a, "objective", "reach"), &sc->objective) != CP_OK) {
        sc->objective = CP_METRIC_REACH; /* reported while reading the file */
    }
    sc->metrics = 0;
    char metrics[1024];
    snprintf(metrics, sizeof metrics, "%s",
             cli_get(&a, "metrics", "reach,reach-volume,pairs,flow,lcc"));
    char *items[16];
    int n_met = cli_split(metrics, items, 16);
    for (int i = 0; i < n_met; i++) {
        cp_metric mk;
        if (cp_metric_parse(items[i], &mk) == CP_OK) {
            sc->metrics |= 1u << mk;
        }
    }
    double cost_default = 1.0;
    if (cli_get_double(&a, "cost-default", 1.0, 1e-300, 1e300, &cost_default, &e) != CP_OK) {
        bad_opt(&errors, report, &w->spec, "cost-default", &e);
    }
    if (cli_get_double(&a, "cost-budget", 0.0, 0.0, 1e300, &sc->cost_budget, &e) != CP_OK) {
        bad_opt(&errors, report, &w->spec, "cost-budget", &e);
    }
    if (cli_get(&a, "cost", NULL) != NULL &&
        cli_read_costs(w->g, cli_get(&a, "cost", NULL), cost_default, &w->cost, &e) != CP_OK) {
        bad_opt(&errors, report, &w->spec, "cost", &e);
    }
    sc->cost = w->cost;
    sc->reinsert = cli_flag(&a, "reinsert");
    w->closure_layer = -1;
    const char *lname = cli_get(&a, "closure-layer", NULL);
    if (lname != NULL) {
        w->closure_layer = cp__graph_find_layer(w->g, lname);
        if (w->closure_layer < 0 || w->g->layers[w->closure_layer].meaning != CP_MEANING_SHARE) {
            cp_error_set(&e, CP_E_INVALID, "%s has no layer of shares named %s", w->spec.graph,
                         lname);
            bad_opt(&errors, report, &w->spec, "closure-layer", &e);
        }
    }
    bool any_closure = false;
    for (int i = 0; i < w->spec.n_closure; i++) {
        any_closure = any_closure || w->spec.closure[i] >= 0;
    }
    if (any_closure && lname == NULL) {
        int share = -1;
        for (int l = 0; l < w->g->n_layers && share < 0; l++) {
            share = w->g->layers[l].meaning == CP_MEANING_SHARE ? l : -1;
        }
        if (share < 0) {
            errors++;
            if (report) {
                fprintf(stderr,
                        "chokepoint sweep: error: %s: closures: %s has no layer of shares "
                        "(meaning share) for the ownership rule\n",
                        w->spec.path, w->spec.graph);
            }
        }
    }
    if (((sc->metrics >> CP_METRIC_FLOW) & 1u) && w->S != NULL && w->T != NULL) {
        int32_t both = cli_sets_overlap(w->S, w->ns, w->T, w->nt);
        if (both >= 0) {
            char label[128];
            cp_error_set(&e, CP_E_INVALID,
                         "node %s is both a source and a target, so the S-T flow is unbounded: "
                         "make sources and targets disjoint",
                         cp_graph_node_label(w->g, both, label, sizeof label));
            bad_opt(&errors, report, &w->spec, "targets", &e);
        }
    }
    if (errors > 0) {
        return cp_error_set(err, CP_E_FORMAT, "%s: %d mistake%s in the scenario file%s",
                            w->spec.path, errors, errors == 1 ? "" : "s",
                            report ? " (listed above)" : "");
    }
    return CP_OK;
}

/* The scenario of a combination at a seed. */
static cp_scenario scenario_of(const sweep *w, combo_params p, uint64_t seed) {
    cp_scenario sc = w->base;
    sc.strategy = p.strategy;
    sc.mode = p.mode;
    sc.budget = p.budget;
    sc.round_size = p.round;
    sc.reroute_p = p.reroute;
    sc.closure = p.closure;
    sc.closure_layer = w->closure_layer;
    sc.seed = seed;
    sc.scenario_id = 0;
    return sc;
}

/* --- unit files --------------------------------------------------------------------------- */

static cp_status sync_dir(const char *dir, cp_error *err) {
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd < 0) {
        return cp_error_set(err, CP_E_IO, "cannot open the work folder %s: %s", dir,
                            strerror(errno));
    }
    int rc = fsync(fd);
    close(fd);
    if (rc != 0 && errno != EINVAL) {
        return cp_error_set(err, CP_E_IO, "cannot sync the work folder %s: %s", dir,
                            strerror(errno));
    }
    return CP_OK;
}

/* Writes one result as a unit file (tmp, sync, rename; then the folder is synced), with the
 * curves of the same scenario on the n_null rewired graphs (nres[0..n_null)) as /null/curve/METRIC,
 * n_null x (k+1). */
static cp_status write_unit(const char *path, const char *dir, const char *key,
                            const cp_scenario *sc, const cp_scenario_result *x,
                            cp_scenario_result *const *nres, int n_null, cp_error *err) {
    cp_status status = CP_OK;
    cp_results *r = NULL;
    int32_t *iv = NULL;
    int64_t *ev = NULL;
    double *wv = NULL;
    uint8_t *mv = NULL;
    double *nb = NULL;
    int32_t k = sc->budget;
    CP_TRY(cp_results_create(&r, path, NULL, err));
    CP_TRY(cp_results_attr_str(r, "/", "key", key, err));
    CP_TRY(cp_results_attr_i64(r, "/", "budget", x->budget, err));
    CP_TRY(cp_results_attr_i64(r, "/", "n_rounds", x->n_rounds, err));
    CP_TRY(cp_results_attr_f64(r, "/", "intact_flow", x->intact_flow, err));
    CP_TRY(cp_results_attr_f64(r, "/", "intact_pairs", x->intact_pairs, err));
    CP_TRY(cp_results_attr_i64(r, "/", "n_dead_edges", x->n_dead_edges, err));
    CP_TRY(cp_results_attr_f64(r, "/", "seconds", x->seconds, err));
    int64_t d1[1] = {x->n_removed};
    CP_TRY(cp_results_write_i32(r, "/removed", 1, d1, x->removed, "removal order", err));
    CP_TRY(cp_results_write_i32(r, "/removed_round", 1, d1, x->removed_round, "round", err));
    int64_t dk[1] = {(int64_t)k + 1};
    for (int mk = 0; mk < CP_METRIC_COUNT; mk++) {
        if (x->curve[mk] == NULL) {
            continue;
        }
        char p[128];
        snprintf(p, sizeof p, "/curve/%s", cp_metric_name((cp_metric)mk));
        CP_TRY(cp_results_write_f64(r, p, 1, dk, x->curve[mk], NULL, err));
        snprintf(p, sizeof p, "/curve_before/%s", cp_metric_name((cp_metric)mk));
        CP_TRY(cp_results_write_f64(r, p, 1, dk, x->curve_before[mk], NULL, err));
    }
    if (x->cost_spent != NULL) {
        CP_TRY(cp_results_write_f64(r, "/cost_spent", 1, dk, x->cost_spent, NULL, err));
    }
    int64_t nr = x->n_reroutes;
    iv = cp__malloc_array((size_t)nr * 5 + 1, sizeof *iv);
    ev = cp__malloc_array((size_t)nr + 1, sizeof *ev);
    wv = cp__malloc_array((size_t)nr + 1, sizeof *wv);
    mv = cp__malloc_array((size_t)nr + 1, 1);
    if (iv == NULL || ev == NULL || wv == NULL || mv == NULL) {
        status = cp_error_set(err, CP_E_NOMEM, "out of memory writing %s", path);
        goto cleanup;
    }
    for (int64_t i = 0; i < nr; i++) {
        const cp_reroute *rr = &x->reroutes[i];
        int32_t vals[5] = {rr->round, rr->step, rr->source, rr->from, rr->to};
        for (int f = 0; f < 5; f++) {
            iv[(size_t)f * (size_t)nr + (size_t)i] = vals[f];
        }
        ev[i] = rr->edge;
        wv[i] = rr->weight;
        mv[i] = rr->merged;
    }
    static const char *const fields[] = {"round", "step", "source", "from", "to"};
    int64_t dr[1] = {nr};
    for (int f = 0; f < 5; f++) {
        char p[64];
        snprintf(p, sizeof p, "/response/%s", fields[f]);
        CP_TRY(cp_results_write_i32(r, p, 1, dr, iv + (size_t)f * (size_t)nr, NULL, err));
    }
    CP_TRY(cp_results_write_i64(r, "/response/edge", 1, dr, ev, NULL, err));
    CP_TRY(cp_results_write_f64(r, "/response/weight", 1, dr, wv, NULL, err));
    CP_TRY(cp_results_write_u8(r, "/response/merged", 1, dr, mv, NULL, err));
    int64_t dc[1] = {x->n_closure};
    CP_TRY(cp_results_write_i32(r, "/closure/node", 1, dc, x->closure_nodes, NULL, err));
    CP_TRY(cp_results_write_i32(r, "/closure/round", 1, dc, x->closure_round, NULL, err));
    CP_TRY(cp_results_write_i32(r, "/closure/step", 1, dc, x->closure_step, NULL, err));
    int64_t di[1] = {x->n_reinserted};
    CP_TRY(cp_results_write_i32(r, "/reinserted", 1, di, x->reinserted, NULL, err));
    int64_t da[1] = {CP_METRIC_COUNT};
    CP_TRY(cp_results_write_f64(r, "/after_reinsertion", 1, da, x->after_reinsertion, NULL, err));
    if (n_null > 0) {
        nb = cp__malloc_array((size_t)n_null * ((size_t)k + 1), sizeof *nb);
        if (nb == NULL) {
            status = cp_error_set(err, CP_E_NOMEM, "out of memory writing %s", path);
            goto cleanup;
        }
        int64_t dn[2] = {n_null, (int64_t)k + 1};
        for (int mk = 0; mk < CP_METRIC_COUNT; mk++) {
            if (x->curve[mk] == NULL) {
                continue;
            }
            for (int q = 0; q < n_null; q++) {
                memcpy(nb + (size_t)q * ((size_t)k + 1), nres[q]->curve[mk],
                       ((size_t)k + 1) * sizeof *nb);
            }
            char p[128];
            snprintf(p, sizeof p, "/null/curve/%s", cp_metric_name((cp_metric)mk));
            CP_TRY(cp_results_write_f64(r, p, 2, dn, nb, NULL, err));
        }
    }
    CP_TRY(cp_results_commit(&r, err));
    CP_TRY(sync_dir(dir, err));
cleanup:
    cp_results_abort(&r);
    cp__free(iv);
    cp__free(ev);
    cp__free(wv);
    cp__free(mv);
    cp__free(nb);
    return status;
}

/* Reads a 1-D dataset of a unit into a cp__malloc'd array of n elements of the given kind. */
static cp_status read_vec(const char *path, const char *ds, int kind, void **out, int64_t *n,
                          cp_error *err) {
    double *d = NULL;
    int64_t dims[2] = {0, 0};
    *out = NULL;
    cp_status st = cp_h5_read_f64(path, ds, &d, dims, err);
    if (st != CP_OK) {
        return st;
    }
    *n = dims[0] * dims[1];
    size_t el = kind == 0 ? sizeof(double) : kind == 1 ? sizeof(int32_t) : sizeof(int64_t);
    *out = cp__malloc_array((size_t)*n + 1, el);
    if (*out == NULL) {
        free(d);
        return cp_error_set(err, CP_E_NOMEM, "out of memory reading %s", path);
    }
    for (int64_t i = 0; i < *n; i++) {
        if (kind == 0) {
            ((double *)*out)[i] = d[i];
        } else if (kind == 1) {
            ((int32_t *)*out)[i] = (int32_t)d[i];
        } else {
            ((int64_t *)*out)[i] = (int64_t)d[i];
        }
    }
    free(d);
    return CP_OK;
}

/* Reads a unit file back into a scenario result. CP_E_FORMAT when its key is not the expected
 * one (another sweep's file under the same name, which SHA-256 makes all but impossible). */
static cp_status read_unit(cp_scenario_result **out, const char *path, const char *key,
                           const cp_scenario *sc, cp_error *err) {
    cp_status status = CP_OK;
    char *stored = NULL;
    void *tmp[5] = {NULL, NULL, NULL, NULL, NULL};
    int32_t *merged = NULL;
    cp_scenario_result *x = cp__calloc(1, sizeof *x);
    *out = NULL;
    if (x == NULL) {
        return cp_error_set(err, CP_E_NOMEM, "out of memory reading %s", path);
    }
    CP_TRY(cp_h5_read_attr_str(path, "/", "key", &stored, err));
    if (strcmp(stored, key) != 0) {
        status = cp_error_set(err, CP_E_FORMAT,
                              "%s holds another scenario than its name says: remove it", path);
        goto cleanup;
    }
    double v = 0;
    int64_t n = 0, k1 = (int64_t)sc->budget + 1;
    x->budget = sc->budget;
    CP_TRY(cp_h5_read_attr_f64(path, "/", "n_rounds", &v, err));
    x->n_rounds = (int32_t)v;
    CP_TRY(cp_h5_read_attr_f64(path, "/", "intact_flow", &x->intact_flow, err));
    CP_TRY(cp_h5_read_attr_f64(path, "/", "intact_pairs", &x->intact_pairs, err));
    CP_TRY(cp_h5_read_attr_f64(path, "/", "n_dead_edges", &v, err));
    x->n_dead_edges = (int64_t)v;
    CP_TRY(cp_h5_read_attr_f64(path, "/", "seconds", &x->seconds, err));
    CP_TRY(read_vec(path, "/removed", 1, (void **)&x->removed, &n, err));
    x->n_removed = (int32_t)n;
    CP_TRY(read_vec(path, "/removed_round", 1, (void **)&x->removed_round, &n, err));
    for (int mk = 0; mk < CP_METRIC_COUNT; mk++) {
        x->after_reinsertion[mk] = NAN;
        if (!((sc->metrics >> mk) & 1u)) {
            continue;
        }
        char p[128];
        snprintf(p, sizeof p, "/curve/%s", cp_metric_name((cp_metric)mk));
        CP_TRY(read_vec(path, p, 0, (void **)&x->curve[mk], &n, err));
        snprintf(p, sizeof p, "/curve_before/%s", cp_metric_name((cp_metric)mk));
        CP_TRY(read_vec(path, p, 0, (void **)&x->curve_before[mk], &n, err));
        if (n != k1) {
            status =
                cp_error_set(err, CP_E_FORMAT, "%s: %s has %" PRId64 " values, expected %" PRId64,
                             path, p, n, k1);
            goto cleanup;
        }
    }
    if (cp_h5_exists(path, "/cost_spent")) {
        CP_TRY(read_vec(path, "/cost_spent", 0, (void **)&x->cost_spent, &n, err));
    }
    static const char *const fields[] = {"round", "step", "source", "from", "to"};
    for (int f = 0; f < 5; f++) {
        char p[64];
        snprintf(p, sizeof p, "/response/%s", fields[f]);
        CP_TRY(read_vec(path, p, 1, &tmp[f], &n, err));
    }
    x->n_reroutes = n;
    int64_t *edge = NULL;
    double *weight = NULL;
    CP_TRY(read_vec(path, "/response/edge", 2, (void **)&edge, &n, err));
    status = read_vec(path, "/response/weight", 0, (void **)&weight, &n, err);
    if (status == CP_OK) {
        status = read_vec(path, "/response/merged", 1, (void **)&merged, &n, err);
    }
    x->reroutes = cp__calloc((size_t)x->n_reroutes + 1, sizeof *x->reroutes);
    if (status == CP_OK && x->reroutes == NULL) {
        status = cp_error_set(err, CP_E_NOMEM, "out of memory reading %s", path);
    }
    for (int64_t i = 0; status == CP_OK && i < x->n_reroutes; i++) {
        cp_reroute *rr = &x->reroutes[i];
        rr->round = ((int32_t *)tmp[0])[i];
        rr->step = ((int32_t *)tmp[1])[i];
        rr->source = ((int32_t *)tmp[2])[i];
        rr->from = ((int32_t *)tmp[3])[i];
        rr->to = ((int32_t *)tmp[4])[i];
        rr->edge = edge[i];
        rr->weight = weight[i];
        rr->merged = (uint8_t)merged[i];
    }
    cp__free(edge);
    cp__free(weight);
    if (status != CP_OK) {
        goto cleanup;
    }
    CP_TRY(read_vec(path, "/closure/node", 1, (void **)&x->closure_nodes, &n, err));
    x->n_closure = (int32_t)n;
    CP_TRY(read_vec(path, "/closure/round", 1, (void **)&x->closure_round, &n, err));
    CP_TRY(read_vec(path, "/closure/step", 1, (void **)&x->closure_step, &n, err));
    CP_TRY(read_vec(path, "/reinserted", 1, (void **)&x->reinserted, &n, err));
    x->n_reinserted = (int32_t)n;
    double *after = NULL;
    CP_TRY(read_vec(path, "/after_reinsertion", 0, (void **)&after, &n, err));
    for (int mk = 0; mk < CP_METRIC_COUNT && mk < n; mk++) {
        x->after_reinsertion[mk] = after[mk];
    }
    cp__free(after);
    *out = x;
    x = NULL;
cleanup:
    free(stored);
    for (int f = 0; f < 5; f++) {
        cp__free(tmp[f]);
    }
    cp__free(merged);
    cp_scenario_result_free(&x);
    if (status != CP_OK) {
        cli_blame(err, path);
    }
    return status;
}

/* Reads the null curves of a unit (whose key read_unit checked): dst[q * stride] for q in
 * 0..n_null, each a result holding only curve[METRIC] (k+1 values) for the scenario's metrics.
 * CP_E_FORMAT when a dataset is missing or has another shape; CP_E_NOMEM. */
static cp_status read_unit_null(cp_scenario_result **dst, int stride, int n_null, const char *path,
                                const cp_scenario *sc, cp_error *err) {
    cp_status status = CP_OK;
    double *d = NULL;
    int64_t k1 = (int64_t)sc->budget + 1;
    if (n_null == 0) {
        return CP_OK;
    }
    for (int q = 0; q < n_null; q++) {
        cp_scenario_result_free(&dst[(size_t)q * (size_t)stride]);
        dst[(size_t)q * (size_t)stride] = cp__calloc(1, sizeof **dst);
        if (dst[(size_t)q * (size_t)stride] == NULL) {
            return cp_error_set(err, CP_E_NOMEM, "out of memory reading %s", path);
        }
        dst[(size_t)q * (size_t)stride]->budget = sc->budget;
    }
    for (int mk = 0; mk < CP_METRIC_COUNT; mk++) {
        if (!((sc->metrics >> mk) & 1u)) {
            continue;
        }
        char p[128];
        snprintf(p, sizeof p, "/null/curve/%s", cp_metric_name((cp_metric)mk));
        int64_t dims[2] = {0, 0};
        CP_TRY(cp_h5_read_f64(path, p, &d, dims, err));
        if (dims[0] != n_null || dims[1] != k1) {
            status = cp_error_set(err, CP_E_FORMAT,
                                  "%s: %s is %" PRId64 " x %" PRId64 ", expected %d x %" PRId64,
                                  path, p, dims[0], dims[1], n_null, k1);
            goto cleanup;
        }
        for (int q = 0; q < n_null; q++) {
            double *c = cp__malloc_array((size_t)k1, sizeof *c);
            if (c == NULL) {
                status = cp_error_set(err, CP_E_NOMEM, "out of memory reading %s", path);
                goto cleanup;
            }
            memcpy(c, d + (size_t)q * (size_t)k1, (size_t)k1 * sizeof *c);
            dst[(size_t)q * (size_t)stride]->curve[mk] = c;
        }
        free(d);
        d = NULL;
    }
cleanup:
    free(d);
    if (status != CP_OK) {
        cli_blame(err, path);
    }
    return status;
}

/* --- MPI ---------------------------------------------------------------------------------- */

/* True when this process was started by an MPI launcher (mpirun, srun with PMI/PMIx). */
static bool launched_by_mpi(void) {
    return getenv("OMPI_COMM_WORLD_SIZE") != NULL || getenv("PMIX_RANK") != NULL ||
           getenv("PMI_RANK") != NULL || getenv("PMI_SIZE") != NULL;
}

static void job_start(job *j, int *argc, char ***argv) {
    memset(j, 0, sizeof *j);
    j->size = 1;
    j->local_size = 1;
#ifdef CP_HAVE_MPI
    if (launched_by_mpi()) {
        MPI_Init(argc, argv);
        j->mpi = true;
        MPI_Comm_rank(MPI_COMM_WORLD, &j->rank);
        MPI_Comm_size(MPI_COMM_WORLD, &j->size);
        MPI_Comm local;
        MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &local);
        MPI_Comm_rank(local, &j->local_rank);
        MPI_Comm_size(local, &j->local_size);
        MPI_Comm_free(&local);
    }
#else
    (void)argc;
    (void)argv;
#endif
}

/* Every rank's status combined (the most severe, i.e. the lowest), so all ranks agree. */
static cp_status job_agree(const job *j, cp_status st) {
#ifdef CP_HAVE_MPI
    if (j->mpi) {
        int in = (int)st, out = 0;
        MPI_Allreduce(&in, &out, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
        return (cp_status)out;
    }
#endif
    (void)j;
    return st;
}

static void job_bcast(const job *j, void *buf, int bytes) {
#ifdef CP_HAVE_MPI
    if (j->mpi) {
        MPI_Bcast(buf, bytes, MPI_BYTE, 0, MPI_COMM_WORLD);
    }
#else
    (void)j;
    (void)buf;
    (void)bytes;
#endif
}

static int job_end(const job *j, int code) {
#ifdef CP_HAVE_MPI
    if (j->mpi) {
        MPI_Finalize();
    }
#endif
    (void)j;
    return code;
}

/* A failure in one rank during the work: its finished units stay; the job stops. */
static void job_abort(const job *j, int code) {
#ifdef CP_HAVE_MPI
    if (j->mpi && j->size > 1) {
        MPI_Abort(MPI_COMM_WORLD, code);
    }
#endif
    (void)j;
    (void)code;
}

/* Visible CUDA devices from CUDA_VISIBLE_DEVICES, or -1 when it is not set. */
static int visible_devices(void) {
    const char *v = getenv("CUDA_VISIBLE_DEVICES");
    if (v == NULL) {
        return -1;
    }
    if (v[0] == '\0') {
        return 0;
    }
    int c = 1;
    for (const char *p = v; *p; p++) {
        c += *p == ',';
    }
    return c;
}

/* One GPU per rank: the local rank modulo the visible devices, when --device is auto or cuda
 * and several ranks share a node; CPU threads split among the node's ranks otherwise. */
static cp_status open_rank_backend(cli_args *a, const job *j, cp_backend_ops *be, cp_error *err) {
    bool pick =
        j->local_size > 1 && (strcmp(a->device, "auto") == 0 || strcmp(a->device, "cuda") == 0);
    if (pick) {
        int count = visible_devices();
        char spec[32];
        if (count < 0) { /* probe cuda:0, cuda:1, ... */
            count = 0;
            for (int d = 0; d < 64; d++) {
                cp_backend_ops probe;
                cp_error e;
                snprintf(spec, sizeof spec, "cuda:%d", d);
                if (cp__backend_open(&probe, spec, NULL, 0, &e) != CP_OK) {
                    break;
                }
                cp__backend_close(&probe);
                count++;
            }
        }
        if (count > 0) {
            snprintf(spec, sizeof spec, "cuda:%d", j->local_rank % count);
            cp_status st = cp__backend_open(be, spec, NULL, 0, err);
            if (st == CP_OK || strcmp(a->device, "cuda") == 0) {
                if (st == CP_OK && a->verbose) {
                    fprintf(stderr, "sweep: rank %d uses %s (%s)\n", j->rank, spec, be->device);
                }
                return st;
            }
        }
    }
    cp_status st = cli_open_backend(a, be, err);
    if (st == CP_OK && j->local_size > 1 && a->threads == 0 && strcmp(be->name, "cpu") == 0) {
        int t = omp_get_num_procs() / j->local_size;
        omp_set_num_threads(t > 0 ? t : 1);
        if (a->verbose) {
            fprintf(stderr, "sweep: rank %d runs on the CPU with %d thread(s)\n", j->rank,
                    t > 0 ? t : 1);
        }
    }
    return st;
}

/* The next unit to run: a shared counter on rank 0 (one-sided, so rank 0 works too), or a plain
 * loop in one process. */
typedef struct {
    int64_t next;
#ifdef CP_HAVE_MPI
    MPI_Win win;
    int64_t *counter;
#endif
} dispenser;

static void dispenser_open(dispenser *d, const job *j) {
    memset(d, 0, sizeof *d);
#ifdef CP_HAVE_MPI
    if (j->mpi) {
        MPI_Win_allocate(j->rank == 0 ? (MPI_Aint)sizeof(int64_t) : 0, sizeof(int64_t),
                         MPI_INFO_NULL, MPI_COMM_WORLD, &d->counter, &d->win);
        if (j->rank == 0) {
            MPI_Win_lock(MPI_LOCK_EXCLUSIVE, 0, 0, d->win);
            *d->counter = 0;
            MPI_Win_unlock(0, d->win);
        }
        MPI_Barrier(MPI_COMM_WORLD);
        MPI_Win_lock_all(0, d->win);
    }
#else
    (void)j;
#endif
}

static int64_t dispenser_next(dispenser *d, const job *j) {
#ifdef CP_HAVE_MPI
    if (j->mpi) {
        int64_t one = 1, got = 0;
        MPI_Fetch_and_op(&one, &got, MPI_INT64_T, 0, 0, MPI_SUM, d->win);
        MPI_Win_flush(0, d->win);
        return got;
    }
#else
    (void)j;
#endif
    return d->next++;
}

static void dispenser_close(dispenser *d, const job *j) {
#ifdef CP_HAVE_MPI
    if (j->mpi) {
        MPI_Win_unlock_all(d->win);
        MPI_Win_free(&d->win);
    }
#else
    (void)d;
    (void)j;
#endif
}

/* --- the command -------------------------------------------------------------------------- */

static int count_parts(const char *dir) {
    DIR *d = opendir(dir);
    if (d == NULL) {
        return 0;
    }
    int c = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        c += len == 67 && strcmp(e->d_name + 64, ".h5") == 0;
    }
    closedir(d);
    return c;
}

/* Rank 0: the distinct combinations, the work folder, and the units still to run. */
static cp_status plan(sweep *w, const cli_args *a, const char *dir, int64_t **todo, int64_t *n_todo,
                      int64_t *n_done, cp_error *err) {
    char path[4400], key[16384];
    *todo = NULL;
    *n_todo = *n_done = 0;
    struct stat st;
    if (stat(dir, &st) == 0) {
        if (!S_ISDIR(st.st_mode)) {
            return cp_error_set(err, CP_E_INVALID, "the work folder %s is not a folder", dir);
        }
        int parts = count_parts(dir);
        if (parts > 0 && !cli_flag(a, "resume")) {
            return cp_error_set(err, CP_E_INVALID,
                                "the work folder %s holds %d finished scenario(s) of an earlier "
                                "run: pass --resume to keep them, or remove the folder",
                                dir, parts);
        }
    } else if (mkdir(dir, 0777) != 0) {
        return cp_error_set(err, CP_E_IO, "cannot create the work folder %s: %s", dir,
                            strerror(errno));
    }
    int64_t units = w->n_distinct * w->spec.n_seed;
    *todo = cp__malloc_array((size_t)units + 1, sizeof **todo);
    if (*todo == NULL) {
        return cp_error_set(err, CP_E_NOMEM, "out of memory for %" PRId64 " scenarios", units);
    }
    for (int64_t u = 0; u < units; u++) {
        cp_status s = unit_path(path, sizeof path, dir, w, u, key, sizeof key, err);
        if (s != CP_OK) {
            return s;
        }
        if (access(path, F_OK) == 0) {
            char *stored = NULL;
            s = cp_h5_read_attr_str(path, "/", "key", &stored, err);
            bool same = s == CP_OK && strcmp(stored, key) == 0;
            free(stored);
            if (!same) {
                return cp_error_set(err, CP_E_FORMAT,
                                    "%s is not a finished scenario of this sweep: remove it", path);
            }
            (*n_done)++;
        } else {
            (*todo)[(*n_todo)++] = u;
        }
    }
    return CP_OK;
}

/* Rank 0: the results file, one group per distinct combination, all its seeds. */
static cp_status merge(sweep *w, const cli_args *a, const char *dir, double t0, cp_error *err) {
    cp_status status = CP_OK;
    cp_results *r = NULL;
    cp_scenario_result **res = NULL, **null_res = NULL;
    char path[4400], key[16384], name[256];
    int ns = w->spec.n_seed;
    int nq = w->spec.null_rewire ? w->spec.null_samples : 0;
    size_t null_runs = (size_t)nq * (size_t)ns;
    res = cp__calloc((size_t)ns, sizeof *res);
    null_res = cp__calloc(null_runs + 1, sizeof *null_res);
    if (res == NULL || null_res == NULL) {
        cp__free(res);
        cp__free(null_res);
        return cp_error_set(err, CP_E_NOMEM, "out of memory merging");
    }
    CP_TRY(cp_results_create(&r, a->output, w->spec.graph, err));
    CP_TRY(cli_write_provenance(r, a, w->spec.graph, w->g, NULL, err));
    CP_TRY(cp_results_attr_str(r, "/scenarios", "sweep_file", w->spec.path, err));
    CP_TRY(cp_results_attr_i64(r, "/scenarios", "sweep_scenarios", w->n_distinct, err));
    int64_t bound = 0;
    CP_TRY(cli_min_cut_bound(&bound, w->g, &w->base, err));
    CP_TRY(cp_results_attr_i64(r, "/scenarios", "min_cut_size", bound, err));
    if (nq > 0) {
        CP_TRY(
            cp_results_attr_f64(r, "/scenarios", "null_swaps_per_edge", w->spec.null_swaps, err));
        CP_TRY(cp_results_attr_i64(r, "/scenarios", "null_samples", nq, err));
    }
    char seeds[4096];
    int len = 0;
    for (int s = 0; s < ns && len < (int)sizeof seeds - 24; s++) {
        len += snprintf(seeds + len, sizeof seeds - (size_t)len, "%s%" PRIu64, s ? "," : "",
                        w->spec.seed[s]);
    }
    for (int64_t i = 0; i < w->n_distinct; i++) {
        combo_params p = combo_of(&w->spec, w->combo[i]);
        cp_scenario sc = scenario_of(w, p, w->spec.seed[0]);
        for (int s = 0; s < ns; s++) {
            CP_TRY(unit_path(path, sizeof path, dir, w, i * ns + s, key, sizeof key, err));
            cp_scenario_result_free(&res[s]);
            CP_TRY(read_unit(&res[s], path, key, &sc, err));
            /* simulate's layout: sample-major, run q * seeds + s. */
            CP_TRY(read_unit_null(null_res + s, ns, nq, path, &sc, err));
        }
        cli_args ca;
        argbuf b;
        CP_TRY(scenario_args(&ca, &b, w, &p, err));
        combo_name(name, sizeof name, &w->spec, p);
        CP_TRY(cli_write_scenario(r, &ca, name, &sc, res, ns, null_res, (int)null_runs, err));
        char base[300];
        snprintf(base, sizeof base, "/scenarios/%s", name);
        if (p.closure < 0) {
            CP_TRY(cp_results_attr_str(r, base, "closure", "none", err));
        }
        CP_TRY(cp_results_attr_str(r, base, "seed_list", seeds, err));
        CP_TRY(cp_results_attr_str(
            r, base, "metrics", cli_get(&ca, "metrics", "reach,reach-volume,pairs,flow,lcc"), err));
    }
    for (int s = 0; s < ns; s++) {
        cp_scenario_result_free(&res[s]);
    }
    for (size_t q = 0; q < null_runs; q++) {
        cp_scenario_result_free(&null_res[q]);
    }
    CP_TRY(cli_stage_time(r, "sweep", cli_now() - t0, err));
    CP_TRY(cli_commit(&r, a, t0, err));
cleanup:
    cp_results_abort(&r);
    if (res != NULL) {
        for (int s = 0; s < ns; s++) {
            cp_scenario_result_free(&res[s]);
        }
    }
    cp__free(res);
    for (size_t q = 0; q < null_runs; q++) {
        cp_scenario_result_free(&null_res[q]);
    }
    cp__free(null_res);
    return status;
}

/* null: rewire: every rank builds the rewired graphs once, as simulate --null rewire does: the
 * layers the scenarios see are rewired (the others, ownership for a closure, stay), seed the
 * first of the seed list, stream the sample index. */
static cp_status build_nulls(sweep *w, cp_error *err) {
    if (!w->spec.null_rewire) {
        return CP_OK;
    }
    w->nulls = cp__calloc((size_t)w->spec.null_samples, sizeof *w->nulls);
    if (w->nulls == NULL) {
        return cp_error_set(err, CP_E_NOMEM, "out of memory for the null model");
    }
    w->n_nulls = w->spec.null_samples;
    uint64_t all = w->g->n_layers >= 64 ? ~0ULL : (1ULL << w->g->n_layers) - 1;
    for (int q = 0; q < w->n_nulls; q++) {
        cp_status st = cp_graph_rewire(&w->nulls[q], w->g, w->base.layer_mask & all,
                                       w->spec.null_swaps, w->spec.seed[0], (uint32_t)q, NULL, err);
        if (st != CP_OK) {
            return st;
        }
    }
    return CP_OK;
}

static void remove_parts(sweep *w, const char *dir) {
    char path[4400], key[16384];
    cp_error e;
    for (int64_t u = 0; u < w->n_distinct * w->spec.n_seed; u++) {
        if (unit_path(path, sizeof path, dir, w, u, key, sizeof key, &e) == CP_OK) {
            unlink(path);
        }
    }
    rmdir(dir); /* fails, harmlessly, when other files remain */
}

static void sweep_free(sweep *w) {
    sweep_spec_free(&w->spec);
    cp_graph_free(&w->g);
    cp_nodeset_free(&w->S);
    cp_nodeset_free(&w->T);
    cp_nodeset_free(&w->C);
    cp_nodeset_free(&w->P);
    cp_nodeset_free(&w->SUB);
    cp__free(w->pers);
    cp__free(w->cost);
    cp__free(w->combo);
    for (int q = 0; w->nulls != NULL && q < w->n_nulls; q++) {
        cp_graph_free(&w->nulls[q]);
    }
    cp__free(w->nulls);
}

int cmd_sweep(int argc, char **argv) {
    cli_args a;
    cp_error err;
    cp_error_clear(&err);
    job j;
    job_start(&j, &argc, &argv);
    sweep w;
    memset(&w, 0, sizeof w);
    cp_backend_ops be;
    memset(&be, 0, sizeof be);
    int64_t *todo = NULL, n_todo = 0, n_done = 0;
    cp_scenario_result **nres = NULL; /* one unit's runs on the rewired graphs */
    char dir[4200] = "";
    bool report = j.rank == 0;
    cp_status status = cli_parse(&a, "sweep", argc, argv, 2, specs,
                                 "SCENARIOS.yaml -o OUT.h5 [--resume] [--work-dir DIR]", &err);
    if (status == CP_OK && (a.n_pos != 1 || (a.output == NULL && !cli_flag(&a, "dry-run")))) {
        status = cp_error_set(&err, CP_E_INVALID,
                              "expected: chokepoint sweep SCENARIOS.yaml -o OUT.h5 [--resume]");
    }
    if (status != CP_OK) {
        return job_end(&j, report ? cli_fail(&a, status, &err) : cp_status_exit_code(status));
    }
    if (!report) {
        a.quiet = a.quiet || !a.verbose;
    }
    double t0 = cli_now();
    /* 1. The file, then the graph: every rank reads both; rank 0 reports. */
    /* Mistakes in the file do not stop the checks against the graph, so one run lists all. */
    status = sweep_spec_read(&w.spec, a.pos[0], report, &err);
    if (status != CP_OK && (status != CP_E_FORMAT || w.spec.graph == NULL || w.spec.n_errors == 0 ||
                            access(w.spec.graph, R_OK) != 0)) {
        goto cleanup;
    }
    CP_TRY(dash_names(&w.spec, &err));
    if (a.output != NULL) {
        /* The scenario file's inputs are inputs too: the graph, a cost file, list: files. */
        const char *clash = cli_same_file(w.spec.graph, a.output) ? w.spec.graph : NULL;
        for (int i = 0; clash == NULL && i < w.spec.n_opts; i++) {
            const char *v = w.spec.opt_value[i];
            if (v == NULL) {
                continue;
            }
            if (cli_same_file(v, a.output)) {
                clash = v;
            }
            for (const char *t = strstr(v, "list:"); clash == NULL && t != NULL;
                 t = strstr(t + 5, "list:")) {
                char path[4096];
                size_t len = strcspn(t + 5, "+");
                if (len < sizeof path) {
                    memcpy(path, t + 5, len);
                    path[len] = '\0';
                    clash = cli_same_file(path, a.output) ? v : NULL;
                }
            }
        }
        if (clash != NULL) {
            status = cp_error_set(&err, CP_E_INVALID,
                                  "-o %s is an input of %s (%s): refusing to overwrite an input",
                                  a.output, w.spec.path, clash);
            goto cleanup;
        }
    }
    status = cli_load_graph(&w.g, w.spec.graph, &err);
    if (status != CP_OK) {
        if (report) {
            fprintf(stderr, "chokepoint sweep: error: %s line %d: graph: %s\n", w.spec.path,
                    w.spec.graph_line, err.msg);
        }
        goto cleanup;
    }
    CP_TRY(resolve_shared(&w, report, &err));
    if (report) {
        CP_TRY(cp_sha256_file(w.spec.graph, w.graph_sha, &err));
    }
    job_bcast(&j, w.graph_sha, sizeof w.graph_sha);
    /* 2. The distinct combinations. */
    w.n_combo = sweep_spec_combinations(&w.spec);
    w.combo = cp__malloc_array((size_t)w.n_combo + 1, sizeof *w.combo);
    if (w.combo == NULL) {
        status = cp_error_set(&err, CP_E_NOMEM, "out of memory");
        goto cleanup;
    }
    for (int64_t c = 0; c < w.n_combo; c++) {
        /* Lists hold no repeated values, so two combinations are one exactly when the mode
         * ignores the dimension they differ in: simultaneous mode the round size (one round of
         * k), adaptive mode the reroute probability (no response). O(1) each. */
        combo_params p = combo_of(&w.spec, c);
        int64_t q = c / w.spec.n_closure;
        int64_t i_reroute = q % w.spec.n_reroute;
        int64_t i_round = (q / w.spec.n_reroute) % w.spec.n_round;
        bool dup = (p.mode == CP_MODE_SIMULTANEOUS && i_round != 0) ||
                   (p.mode == CP_MODE_ADAPTIVE && i_reroute != 0);
        if (!dup) {
            w.combo[w.n_distinct++] = c;
        }
    }
    int64_t units = w.n_distinct * w.spec.n_seed;
    if (cli_flag(&a, "dry-run")) {
        if (report) {
            printf("sweep: %" PRId64 " scenarios (%" PRId64 " parameter combinations x %d seeds; "
                   "%" PRId64 " combinations that the mode makes identical dropped)\n",
                   units, w.n_distinct, w.spec.n_seed, w.n_combo - w.n_distinct);
            if (w.spec.null_rewire) {
                printf("null model: each scenario also runs on %d rewired graphs (%g swaps per "
                       "edge)\n",
                       w.spec.null_samples, w.spec.null_swaps);
            }
        }
        goto cleanup;
    }
    if (cli_get(&a, "work-dir", NULL) != NULL) {
        snprintf(dir, sizeof dir, "%s", cli_get(&a, "work-dir", NULL));
    } else {
        snprintf(dir, sizeof dir, "%s.parts", a.output);
    }
    /* 3. Rank 0 plans; every rank learns the list of units to run. */
    if (report) {
        status = plan(&w, &a, dir, &todo, &n_todo, &n_done, &err);
    }
    status = job_agree(&j, status);
    if (status != CP_OK) {
        if (!report) {
            cp_error_set(&err, status, "rank 0 stopped");
        }
        goto cleanup;
    }
    job_bcast(&j, &n_todo, sizeof n_todo);
    job_bcast(&j, &n_done, sizeof n_done);
    if (!report) {
        todo = cp__malloc_array((size_t)n_todo + 1, sizeof *todo);
        if (todo == NULL) {
            job_abort(&j, 3);
            status = cp_error_set(&err, CP_E_NOMEM, "out of memory");
            goto cleanup;
        }
    }
    for (int64_t off = 0; off < n_todo; off += 1 << 20) {
        int64_t cnt = n_todo - off < (1 << 20) ? n_todo - off : (1 << 20);
        job_bcast(&j, todo + off, (int)(cnt * (int64_t)sizeof *todo));
    }
    CP_TRY(open_rank_backend(&a, &j, &be, &err));
    if (n_todo > 0) {
        status = build_nulls(&w, &err);
        nres = cp__calloc((size_t)w.n_nulls + 1, sizeof *nres);
        if (status == CP_OK && nres == NULL) {
            status = cp_error_set(&err, CP_E_NOMEM, "out of memory for the null model");
        }
        if (status != CP_OK) {
            fprintf(stderr, "chokepoint sweep: error: rank %d, null model: %s\n", j.rank, err.msg);
            job_abort(&j, cp_status_exit_code(status));
            goto cleanup;
        }
    }
    if (report && !a.quiet) {
        printf("sweep: %" PRId64 " scenarios (%" PRId64 " combinations x %d seeds), %" PRId64
               " to run, %" PRId64 " already finished; %d rank(s); work folder %s\n",
               units, w.n_distinct, w.spec.n_seed, n_todo, n_done, j.size, dir);
        fflush(stdout);
    }
    /* 4. The work: each rank takes the next unit until none is left. */
    {
        dispenser d;
        dispenser_open(&d, &j);
        double t_run = cli_now();
        long mine = 0;
        char path[4400], key[16384], label[32];
        snprintf(label, sizeof label, "rank %d", j.rank);
        for (;;) {
            int64_t i = dispenser_next(&d, &j);
            if (i >= n_todo) {
                break;
            }
            int64_t u = todo[i];
            combo_params p = combo_of(&w.spec, w.combo[u / w.spec.n_seed]);
            cp_scenario sc = scenario_of(&w, p, w.spec.seed[u % w.spec.n_seed]);
            cp_scenario_result *res = NULL;
            status = unit_path(path, sizeof path, dir, &w, u, key, sizeof key, &err);
            if (status == CP_OK) {
                status = cp_simulate_run(&res, w.g, &sc, &be, &err);
            }
            /* The null model: the same scenario and seed on each rewired graph. */
            for (int q = 0; status == CP_OK && q < w.n_nulls; q++) {
                status = cp_simulate_run(&nres[q], w.nulls[q], &sc, &be, &err);
            }
            if (status == CP_OK) {
                status = write_unit(path, dir, key, &sc, res, nres, w.n_nulls, &err);
            }
            cp_scenario_result_free(&res);
            for (int q = 0; q < w.n_nulls; q++) {
                cp_scenario_result_free(&nres[q]);
            }
            if (status != CP_OK) {
                char name[256];
                combo_name(name, sizeof name, &w.spec, p);
                fprintf(stderr,
                        "chokepoint sweep: error: rank %d, scenario %s seed %" PRIu64 ": %s\n",
                        j.rank, name, sc.seed, err.msg);
                job_abort(&j, cp_status_exit_code(status));
                break;
            }
            mine++;
            if (a.verbose) {
                cli_progress(&a, label, mine, (long)n_todo, t_run);
            } else if (report) {
                cli_progress(&a, "scenarios", (long)(i + 1 < n_todo ? i + 1 : n_todo), (long)n_todo,
                             t_run);
            }
        }
        dispenser_close(&d, &j);
        if (report && !a.verbose && n_todo > 0 && !a.quiet && isatty(STDERR_FILENO)) {
            cli_progress(&a, "scenarios", (long)n_todo, (long)n_todo, t_run);
        }
        if (a.verbose && !a.quiet) {
            fprintf(stderr, "sweep: rank %d ran %ld scenario(s)\n", j.rank, mine);
        }
    }
    status = job_agree(&j, status);
    if (status != CP_OK) {
        goto cleanup;
    }
    /* 5. Rank 0 merges. */
    if (report) {
        status = merge(&w, &a, dir, t0, &err);
        if (status == CP_OK && !cli_flag(&a, "keep-parts")) {
            remove_parts(&w, dir);
        }
    }
    status = job_agree(&j, status);
    if (status != CP_OK && !report) {
        cp_error_set(&err, status, "rank 0 could not merge");
    }
cleanup:
    cp__free(todo);
    cp__free(nres);
    sweep_free(&w);
    cp__backend_close(&be);
    if (status < 0) {
        return job_end(&j, report ? cli_fail(&a, status, &err) : cp_status_exit_code(status));
    }
    return job_end(&j, 0);
}
