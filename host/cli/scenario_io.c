/* Scenario results shared by simulate and sweep: node costs in, one scenario group out. */
#include "scenario_io.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "chokepoint/mincut.h"
#include "chokepoint/view.h"
#include "csv_reader.h"
#include "graph_impl.h"
#include "view_opts.h"

/* Reads node costs: CSV rows "id,cost" ('#' comment lines; a first row whose cost is not a number
 * is a header). Unlisted nodes cost `def`. Every error names the file and line. */
cp_status cli_read_costs(cp_graph *g, const char *path, double def, double **cost, cp_error *err) {
    cp_status status = CP_OK;
    cp__textin t;
    memset(&t, 0, sizeof t);
    uint8_t *seen = NULL;
    *cost = cp__malloc_array((size_t)g->n + 1, sizeof **cost);
    seen = cp__calloc((size_t)g->n + 1, 1);
    if (*cost == NULL || seen == NULL) {
        status = cp_error_set(err, CP_E_NOMEM, "out of memory reading %s", path);
        goto cleanup;
    }
    for (int32_t v = 0; v < g->n; v++) {
        (*cost)[v] = def;
    }
    CP_TRY(cp__textin_open(&t, path, err));
    bool got = true, first = true;
    for (;;) {
        CP_TRY(cp__csv_record(&t, ',', true, &got, err));
        if (!got) {
            break;
        }
        long line = (long)t.record_line;
        if (t.n_fields != 2) {
            status = cp_error_set(err, CP_E_FORMAT,
                                  "--cost: %s line %ld: expected 2 fields 'id,cost', got %d", path,
                                  line, t.n_fields);
            goto cleanup;
        }
        char *end = NULL;
        double c = strtod(t.fields[1], &end);
        bool number = end != t.fields[1] && *end == '\0';
        if (!number && first && cp_graph_find_node(g, t.fields[0]) < 0) {
            first = false; /* a header row: its first field names no node */
            continue;
        }
        first = false;
        if (!number || !(c > 0) || isinf(c)) {
            status = cp_error_set(err, CP_E_FORMAT,
                                  "--cost: %s line %ld: cost '%s' of '%s' must be a finite "
                                  "number > 0",
                                  path, line, t.fields[1], t.fields[0]);
            goto cleanup;
        }
        int32_t v = cp_graph_find_node(g, t.fields[0]);
        if (v < 0) {
            status = cp_error_set(err, CP_E_FORMAT, "--cost: %s line %ld: id '%s' is not a node",
                                  path, line, t.fields[0]);
            goto cleanup;
        }
        if (seen[v]) {
            status = cp_error_set(err, CP_E_FORMAT, "--cost: %s line %ld: id '%s' is listed twice",
                                  path, line, t.fields[0]);
            goto cleanup;
        }
        seen[v] = 1;
        (*cost)[v] = c;
    }
cleanup:
    cp__textin_close(&t);
    cp__free(seen);
    if (status != CP_OK) {
        cp__free(*cost);
        *cost = NULL;
    }
    return status;
}

cli_stat2 cli_mean_sd(const double *x, int n, int stride) {
    cli_stat2 s = {0, 0};
    if (n == 0) {
        return s;
    }
    for (int i = 0; i < n; i++) {
        s.mean += x[(size_t)i * (size_t)stride];
    }
    s.mean /= n;
    if (n > 1) {
        double v = 0;
        for (int i = 0; i < n; i++) {
            double d = x[(size_t)i * (size_t)stride] - s.mean;
            v += d * d;
        }
        s.sd = sqrt(v / (n - 1));
    }
    return s;
}

/* Writes the per-seed node lists of the closure (closure = true: nodes, rounds, steps) or of
 * reinsertion as flat datasets BASE/WHAT/{seed,node[,round,step]}, one row per entry. */
static cp_status write_lists(cp_results *r, const char *base, bool closure,
                             cp_scenario_result **res, int seeds, cp_error *err) {
    cp_status status = CP_OK;
    int64_t total = 0;
    for (int s = 0; s < seeds; s++) {
        total += closure ? res[s]->n_closure : res[s]->n_reinserted;
    }
    int32_t *buf = cp__malloc_array((size_t)total + 1, sizeof *buf);
    if (buf == NULL) {
        return cp_error_set(err, CP_E_NOMEM, "out of memory writing results");
    }
    static const char *const fields[] = {"seed", "node", "round", "step"};
    static const char *const closure_descs[] = {
        "seed index (0-based) of the run",
        "node the ownership rule blocked (node index into /nodes/id)",
        "round after which it was blocked (0-based)", "strategy removals made by then"};
    static const char *const reinsert_descs[] = {
        "seed index (0-based) of the run", "node given back, in order (node index into /nodes/id)"};
    int n_fields = closure ? 4 : 2;
    for (int f = 0; f < n_fields; f++) {
        int64_t q = 0;
        for (int s = 0; s < seeds; s++) {
            const cp_scenario_result *x = res[s];
            int32_t count = closure ? x->n_closure : x->n_reinserted;
            for (int32_t i = 0; i < count; i++) {
                int32_t vals[4] = {s, closure ? x->closure_nodes[i] : x->reinserted[i],
                                   closure ? x->closure_round[i] : 0,
                                   closure ? x->closure_step[i] : 0};
                buf[q++] = vals[f];
            }
        }
        char path[512];
        snprintf(path, sizeof path, "%s/%s/%s", base, closure ? "closure" : "reinserted",
                 fields[f]);
        int64_t dims[1] = {total};
        CP_TRY(cp_results_write_i32(r, path, 1, dims, buf,
                                    closure ? closure_descs[f] : reinsert_descs[f], err));
    }
cleanup:
    cp__free(buf);
    return status;
}

/* Writes one strategy x mode scenario (all seeds) under /scenarios/NAME. */
cp_status cli_write_scenario(cp_results *r, const cli_args *a, const char *name,
                             const cp_scenario *sc, cp_scenario_result **res, int seeds,
                             cp_scenario_result **null_res, int null_runs, cp_error *err) {
    cp_status status = CP_OK;
    int32_t k = sc->budget;
    char path[512], base[256];
    double *buf = NULL;
    int32_t *ibuf = NULL;
    snprintf(base, sizeof base, "/scenarios/%s", name);
    size_t cells = (size_t)seeds * ((size_t)k + 1);
    buf = cp__malloc_array(cells + 1, sizeof *buf);
    ibuf = cp__malloc_array(cells + 1, sizeof *ibuf);
    if (buf == NULL || ibuf == NULL) {
        status = cp_error_set(err, CP_E_NOMEM, "out of memory writing results");
        goto cleanup;
    }
    for (int s = 0; s < seeds; s++) {
        for (int32_t i = 0; i < k; i++) {
            ibuf[(size_t)s * (size_t)k + (size_t)i] =
                i < res[s]->n_removed ? res[s]->removed[i] : -1;
        }
    }
    int64_t rdims[2] = {seeds, k};
    snprintf(path, sizeof path, "%s/removed", base);
    CP_TRY(cp_results_write_i32(r, path, 2, rdims, ibuf,
                                "removal order per seed (node indices into /nodes/id; -1 past the "
                                "removals made)",
                                err));
    int64_t cdims[2] = {seeds, k + 1};
    for (int mk = 0; mk < CP_METRIC_COUNT; mk++) {
        if (!((sc->metrics >> mk) & 1u)) {
            continue;
        }
        for (int pass = 0; pass < 2; pass++) {
            for (int s = 0; s < seeds; s++) {
                const double *c = pass == 0 ? res[s]->curve[mk] : res[s]->curve_before[mk];
                memcpy(buf + (size_t)s * ((size_t)k + 1), c, ((size_t)k + 1) * sizeof *buf);
            }
            snprintf(path, sizeof path, "%s/%s/%s", base, pass == 0 ? "curve" : "curve_before",
                     cp_metric_name((cp_metric)mk));
            char desc[512];
            snprintf(desc, sizeof desc,
                     "%s after removal 0..k (%s the network response), seeds x "
                     "(k+1)",
                     cp_metric_description((cp_metric)mk), pass == 0 ? "after" : "before");
            CP_TRY(cp_results_write_f64(r, path, 2, cdims, buf, desc, err));
        }
        /* Summaries: area under the curve and the final value, mean and spread over seeds. */
        double auc[1024], fin[1024];
        int ns = seeds < 1024 ? seeds : 1024;
        for (int s = 0; s < ns; s++) {
            auc[s] = cp_curve_auc(res[s]->curve[mk], k);
            fin[s] = res[s]->curve[mk][k];
        }
        cli_stat2 sa = cli_mean_sd(auc, ns, 1), sf = cli_mean_sd(fin, ns, 1);
        char an[128];
        const char *mn = cp_metric_name((cp_metric)mk);
        snprintf(an, sizeof an, "auc_%s_mean", mn);
        CP_TRY(cp_results_attr_f64(r, base, an, sa.mean, err));
        snprintf(an, sizeof an, "auc_%s_sd", mn);
        CP_TRY(cp_results_attr_f64(r, base, an, sa.sd, err));
        snprintf(an, sizeof an, "final_%s_mean", mn);
        CP_TRY(cp_results_attr_f64(r, base, an, sf.mean, err));
        snprintf(an, sizeof an, "final_%s_sd", mn);
        CP_TRY(cp_results_attr_f64(r, base, an, sf.sd, err));
    }
    /* The network response: every redirected edge, all seeds. */
    int64_t total = 0;
    for (int s = 0; s < seeds; s++) {
        total += res[s]->n_reroutes;
    }
    {
        int64_t dims[1] = {total};
        int32_t *iv = cp__malloc_array((size_t)total + 1, sizeof *iv);
        int64_t *ev = cp__malloc_array((size_t)total + 1, sizeof *ev);
        double *wv = cp__malloc_array((size_t)total + 1, sizeof *wv);
        uint8_t *mv = cp__malloc_array((size_t)total + 1, 1);
        if (iv == NULL || ev == NULL || wv == NULL || mv == NULL) {
            cp__free(iv);
            cp__free(ev);
            cp__free(wv);
            cp__free(mv);
            status = cp_error_set(err, CP_E_NOMEM, "out of memory writing the response");
            goto cleanup;
        }
        static const char *const fields[] = {"seed", "round", "step", "source", "from", "to"};
        static const char *const descs[] = {
            "seed index (0-based) of the run",       "round after which the edge moved (0-based)",
            "removals made when it moved",           "tail of the edge (node index)",
            "removed node it ran into (node index)", "substitute that receives it (node index)"};
        for (int f = 0; f < 6 && status == CP_OK; f++) {
            int64_t q = 0;
            for (int s = 0; s < seeds; s++) {
                for (int64_t i = 0; i < res[s]->n_reroutes; i++) {
                    const cp_reroute *rr = &res[s]->reroutes[i];
                    int32_t vals[6] = {s, rr->round, rr->step, rr->source, rr->from, rr->to};
                    iv[q] = vals[f];
                    ev[q] = rr->edge;
                    wv[q] = rr->weight;
                    mv[q] = rr->merged;
                    q++;
                }
            }
            snprintf(path, sizeof path, "%s/response/%s", base, fields[f]);
            status = cp_results_write_i32(r, path, 1, dims, iv, descs[f], err);
        }
        if (status == CP_OK) {
            snprintf(path, sizeof path, "%s/response/edge", base);
            status = cp_results_write_i64(
                r, path, 1, dims, ev, "index of the moved edge in the input graph's /edges", err);
        }
        if (status == CP_OK) {
            snprintf(path, sizeof path, "%s/response/weight", base);
            status = cp_results_write_f64(r, path, 1, dims, wv, "weight the edge carried", err);
        }
        if (status == CP_OK) {
            snprintf(path, sizeof path, "%s/response/merged", base);
            status = cp_results_write_u8(r, path, 1, dims, mv,
                                         "1: merged into an existing edge to the substitute", err);
        }
        cp__free(iv);
        cp__free(ev);
        cp__free(wv);
        cp__free(mv);
        if (status != CP_OK) {
            goto cleanup;
        }
    }
    CP_TRY(cp_results_attr_str(r, base, "strategy", cp_strategy_name(sc->strategy), err));
    CP_TRY(cp_results_attr_str(r, base, "mode", cp_mode_name(sc->mode), err));
    CP_TRY(cp_results_attr_i64(r, base, "budget", sc->budget, err));
    CP_TRY(cp_results_attr_i64(r, base, "round_size",
                               sc->mode == CP_MODE_SIMULTANEOUS ? sc->budget : sc->round_size,
                               err));
    CP_TRY(cp_results_attr_f64(r, base, "reroute",
                               sc->mode == CP_MODE_ADAPTIVE ? 0.0 : sc->reroute_p, err));
    CP_TRY(cp_results_attr_i64(r, base, "rerank", sc->rerank, err));
    CP_TRY(cp_results_attr_i64(r, base, "seeds", seeds, err));
    CP_TRY(cp_results_attr_i64(r, base, "seed_first", (int64_t)a->seed, err));
    CP_TRY(cp_results_attr_str(r, base, "sources", cli_get(a, "sources", ""), err));
    CP_TRY(cp_results_attr_str(r, base, "targets", cli_get(a, "targets", ""), err));
    CP_TRY(cp_results_attr_str(r, base, "candidates", cli_get(a, "candidates", "default"), err));
    CP_TRY(
        cp_results_attr_str(r, base, "substitutes", cli_get(a, "substitutes", "own groups"), err));
    CP_TRY(cp_results_attr_str(r, base, "layers", cli_get(a, "layers", "all"), err));
    CP_TRY(cli_measure_attrs(r, base, a, sc->measure, err));
    CP_TRY(cp_results_attr_f64(r, base, "intact_flow", res[0]->intact_flow, err));
    CP_TRY(cp_results_attr_i64(r, base, "removals_made", res[0]->n_removed, err));
    CP_TRY(cp_results_attr_str(r, base, "objective", cp_metric_name(sc->objective), err));
    if (null_runs > 0) {
        double *nb = cp__malloc_array((size_t)null_runs * ((size_t)k + 1), sizeof *nb);
        if (nb == NULL) {
            status = cp_error_set(err, CP_E_NOMEM, "out of memory writing the null band");
            goto cleanup;
        }
        int64_t ndims[2] = {null_runs, k + 1};
        for (int mk = 0; mk < CP_METRIC_COUNT && status == CP_OK; mk++) {
            if (!((sc->metrics >> mk) & 1u)) {
                continue;
            }
            for (int q = 0; q < null_runs; q++) {
                memcpy(nb + (size_t)q * ((size_t)k + 1), null_res[q]->curve[mk],
                       ((size_t)k + 1) * sizeof *nb);
            }
            snprintf(path, sizeof path, "%s/null/curve/%s", base, cp_metric_name((cp_metric)mk));
            status = cp_results_write_f64(r, path, 2, ndims, nb,
                                          "the same scenario on degree-preserving rewirings: "
                                          "(samples x seeds) x (k+1), sample-major",
                                          err);
        }
        cp__free(nb);
        if (status != CP_OK) {
            goto cleanup;
        }
        CP_TRY(cp_results_attr_str(r, base, "null", "rewire", err));
        CP_TRY(cp_results_attr_i64(r, base, "null_runs", null_runs, err));
    }
    if (sc->cost != NULL || sc->cost_budget > 0) {
        for (int s = 0; s < seeds; s++) {
            memcpy(buf + (size_t)s * ((size_t)k + 1), res[s]->cost_spent,
                   ((size_t)k + 1) * sizeof *buf);
        }
        snprintf(path, sizeof path, "%s/cost_spent", base);
        CP_TRY(cp_results_write_f64(r, path, 2, cdims, buf,
                                    "total cost of the first i removals, seeds x (k+1)", err));
        CP_TRY(cp_results_attr_str(r, base, "cost", cli_get(a, "cost", "1 per node"), err));
        CP_TRY(cp_results_attr_f64(r, base, "cost_budget", sc->cost_budget, err));
    }
    if (sc->closure >= 0) {
        CP_TRY(cp_results_attr_str(r, base, "closure", cli_get(a, "closure", ""), err));
        CP_TRY(write_lists(r, base, true, res, seeds, err));
    }
    if (sc->reinsert) {
        CP_TRY(write_lists(r, base, false, res, seeds, err));
        for (int mk = 0; mk < CP_METRIC_COUNT; mk++) {
            if (!((sc->metrics >> mk) & 1u)) {
                continue;
            }
            for (int s = 0; s < seeds; s++) {
                buf[s] = res[s]->after_reinsertion[mk];
            }
            snprintf(path, sizeof path, "%s/after_reinsertion/%s", base,
                     cp_metric_name((cp_metric)mk));
            int64_t sdims[1] = {seeds};
            CP_TRY(cp_results_write_f64(r, path, 1, sdims, buf,
                                        "the metric once unnecessary removals are given back "
                                        "(NaN when nothing was removed), per seed",
                                        err));
        }
    }
cleanup:
    cp__free(buf);
    cp__free(ibuf);
    return status;
}

/* The lower bound printed beside every heuristic: the size of a minimum S-T vertex cut among the
 * candidates of the intact graph (-1 when S and T cannot be separated by candidates). */
cp_status cli_min_cut_bound(int64_t *size, const cp_graph *g, const cp_scenario *sc,
                            cp_error *err) {
    cp_status status = CP_OK;
    cp_view *v = NULL;
    uint8_t *allowed = cp__calloc((size_t)g->n + 1, 1);
    if (allowed == NULL) {
        return cp_error_set(err, CP_E_NOMEM, "out of memory");
    }
    cp_view_spec spec = {sc->layer_mask, CP_DIR_STORED, CP_MULTI_KEEP};
    CP_TRY(cp_view_build(&v, g, &spec, err));
    if (sc->candidates != NULL) {
        for (int64_t i = 0; i < sc->n_candidates; i++) {
            allowed[sc->candidates[i]] = 1;
        }
    } else {
        memset(allowed, 1, (size_t)g->n);
    }
    for (int64_t i = 0; i < sc->n_protected; i++) {
        allowed[sc->protected_nodes[i]] = 0;
    }
    double cost = 0;
    cp_error local;
    status = cp_min_vertex_cut(NULL, size, &cost, v, NULL, allowed, NULL, sc->sources,
                               sc->n_sources, sc->targets, sc->n_targets, &local);
    if (status == CP_E_INVALID) {
        *size = -1;
        status = CP_OK;
    } else if (status != CP_OK) {
        cp_error_set(err, status, "%s", local.msg);
    }
cleanup:
    cp_view_free(&v);
    cp__free(allowed);
    return status;
}
