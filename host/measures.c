/* The measure registry: one name per node measure, dispatched to its kernel. */
#include <math.h>
#include <string.h>

#include "alloc.h"
#include "chokepoint/betweenness.h"
#include "chokepoint/centrality.h"
#include "chokepoint/dismantle.h"
#include "chokepoint/measures.h"

static const struct {
    const char *name;
    bool needs_st;
    const char *description;
} table[] = {
#define CP__MEASURE_ROW(name, st, desc) {name, st, desc},
    CP_MEASURE_TABLE(CP__MEASURE_ROW)
#undef CP__MEASURE_ROW
};
#define N_MEASURES ((int)(sizeof table / sizeof table[0]))

void cp_measure_params_init(cp_measure_params *p) {
    memset(p, 0, sizeof *p);
    p->length = CP_LENGTH_HOPS;
    p->epsilon = 0.01;
    p->delta = 0.1;
    p->damping = 0.85;
    p->katz_alpha = 0.1;
    p->katz_beta = 1.0;
    p->direction = CP_DISTANCE_IN;
    p->tol = 1e-10;
    p->max_iter = 1000;
    p->seed = 1;
    p->radius = 2;
}

bool cp_measure_known(const char *name, bool *needs_st) {
    for (int i = 0; i < N_MEASURES; i++) {
        if (strcmp(table[i].name, name) == 0) {
            if (needs_st != NULL) {
                *needs_st = table[i].needs_st;
            }
            return true;
        }
    }
    return false;
}

const char *cp_measure_names(void) {
    static char names[512];
    if (names[0] == '\0') {
        for (int i = 0; i < N_MEASURES; i++) {
            strncat(names, i ? ", " : "", sizeof names - strlen(names) - 1);
            strncat(names, table[i].name, sizeof names - strlen(names) - 1);
        }
    }
    return names;
}

static cp_status degree_like(const char *name, double *score, const cp_view *v,
                             const uint8_t *removed, cp_error *err) {
    bool weighted = strstr(name, "strength") != NULL;
    cp_degree_mode mode = strncmp(name, "in-", 3) == 0    ? CP_DEGREE_IN
                          : strncmp(name, "out-", 4) == 0 ? CP_DEGREE_OUT
                                                          : CP_DEGREE_TOTAL;
    return cp_degree(score, v, removed, mode, weighted, err);
}

cp_status cp_measure_compute(const char *name, double *score, const cp_view *v,
                             const uint8_t *removed, const cp_measure_params *pp,
                             cp_measure_info *info, cp_error *err) {
    cp_measure_params defaults;
    cp_measure_info local;
    if (pp == NULL) {
        cp_measure_params_init(&defaults);
        pp = &defaults;
    }
    if (info == NULL) {
        info = &local;
    }
    memset(info, 0, sizeof *info);
    bool needs_st = false;
    if (!cp_measure_known(name, &needs_st)) {
        return cp_error_set(err, CP_E_INVALID, "unknown measure '%s' (expected one of: %s)", name,
                            cp_measure_names());
    }
    if (needs_st && (pp->n_sources == 0 || pp->n_targets == 0)) {
        return cp_error_set(err, CP_E_INVALID, "measure %s needs sources and targets", name);
    }
    if (strstr(name, "degree") != NULL || strstr(name, "strength") != NULL) {
        return degree_like(name, score, v, removed, err);
    }
    if (strcmp(name, "pagerank") == 0) {
        cp_pagerank_params p;
        cp_pagerank_params_init(&p);
        p.alpha = pp->damping;
        p.personalization = pp->personalization;
        p.weighted = pp->weighted;
        p.tol = pp->tol;
        p.max_iter = pp->max_iter;
        info->iterative = true;
        return cp_pagerank(score, &info->iter, v, removed, &p, err);
    }
    if (strcmp(name, "katz") == 0) {
        cp_katz_params p;
        cp_katz_params_init(&p);
        p.alpha = pp->katz_alpha;
        p.beta = pp->katz_beta;
        p.weighted = pp->weighted;
        p.tol = pp->tol;
        p.max_iter = pp->max_iter;
        info->iterative = true;
        return cp_katz(score, &info->iter, v, removed, &p, err);
    }
    if (strcmp(name, "eigenvector") == 0) {
        cp_eigenvector_params p;
        cp_eigenvector_params_init(&p);
        p.weighted = pp->weighted;
        p.tol = pp->tol;
        p.max_iter = pp->max_iter;
        info->iterative = true;
        return cp_eigenvector(score, &info->iter, v, removed, &p, err);
    }
    if (strncmp(name, "hits-", 5) == 0) {
        cp_hits_params p;
        cp_hits_params_init(&p);
        p.weighted = pp->weighted;
        p.tol = pp->tol;
        p.max_iter = pp->max_iter;
        info->iterative = true;
        double *other = cp__malloc_array((size_t)v->n + 1, sizeof *other);
        if (other == NULL) {
            return cp_error_set(err, CP_E_NOMEM, "out of memory for HITS (n = %d)", v->n);
        }
        cp_status st = strcmp(name, "hits-hub") == 0
                           ? cp_hits(score, other, &info->iter, v, removed, &p, err)
                           : cp_hits(other, score, &info->iter, v, removed, &p, err);
        cp__free(other);
        return st;
    }
    if (strcmp(name, "betweenness") == 0) {
        cp_betweenness_options o;
        cp_betweenness_options_init(&o);
        o.length = pp->length;
        o.endpoints = pp->endpoints;
        o.normalized = pp->normalized;
        o.samples = pp->samples;
        o.seed = pp->seed;
        info->samples = pp->samples > 0 ? pp->samples : v->n;
        return cp_betweenness(score, NULL, v, removed, &o, err);
    }
    if (strcmp(name, "approx-betweenness") == 0) {
        cp_betweenness_approx_options o;
        cp_betweenness_approx_options_init(&o);
        o.length = pp->length;
        o.epsilon = pp->epsilon;
        o.delta = pp->delta;
        o.seed = pp->seed;
        cp_betweenness_approx_info ai;
        memset(&ai, 0, sizeof ai);
        cp_status st = cp_betweenness_approx(score, &ai, v, removed, &o, err);
        info->samples = ai.samples;
        return st;
    }
    if (strcmp(name, "closeness") == 0 || strcmp(name, "harmonic") == 0) {
        cp_closeness_opts o;
        cp_closeness_opts_init(&o);
        o.length = pp->length;
        o.direction = pp->direction;
        o.per_component = pp->per_component;
        o.normalized = pp->normalized;
        return name[0] == 'c' ? cp_closeness(score, v, removed, &o, err)
                              : cp_harmonic(score, v, removed, &o, err);
    }
    if (strcmp(name, "collective-influence") == 0) {
        return cp_collective_influence(score, v, removed, pp->radius, err);
    }
    if (strcmp(name, "corehd") == 0) {
        return cp_corehd_score(score, v, removed, err);
    }
    if (strcmp(name, "st-betweenness") == 0) {
        return cp_st_betweenness_length(score, v, removed, pp->sources, pp->n_sources, pp->targets,
                                        pp->n_targets, pp->length, pp->normalized,
                                        &info->connected_pairs, err);
    }
    if (strcmp(name, "flow") == 0) {
        return cp_st_maxflow(&info->max_flow, score, v, removed, pp->sources, pp->n_sources,
                             pp->targets, pp->n_targets, err);
    }
    return cp_error_set(err, CP_E_INTERNAL, "measure '%s' has no kernel", name);
}
