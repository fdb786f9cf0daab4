/* chokepoint generate sanctions-net | rmat */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../../io/graph_h5.h"
#include "chokepoint/generate.h"
#include "cli.h"

static const cli_opt_spec specs[] = {
    {"nodes", true, "N: sanctions-net: scale every group so the total is about N"},
    {"origin", true, "N: sanctions-net: origin entities (default 20)"},
    {"front", true, "N: front companies (default 400)"},
    {"gateway", true, "N: gateway firms (default 12)"},
    {"bank", true, "N: banks (default 30)"},
    {"licit", true, "N: licit traders (default 2000)"},
    {"front-gateways", true, "N: gateways each front pays into (default 2)"},
    {"gateway-zipf", true, "X: Zipf exponent of gateway sizes (default 1.0)"},
    {"p-front-bank", true, "P: probability a front also pays a bank directly (default 0.03)"},
    {"licit-share", true, "F: licit fraction of gateway inflow (default 0.8)"},
    {"p-gateway-stake", true, "P: probability an origin holds a gateway stake (default 0.2)"},
    {"p-front-partial", true, "P: share of fronts origins own only 25-49% (default 0.1)"},
    {"front-volume", true, "USD: median yearly volume per front (default 2e6)"},
    {"scale", true, "S: rmat: 2^S nodes (default 16)"},
    {"edge-factor", true, "F: rmat: F * 2^S edges (default 16)"},
    {"weighted", false, "rmat: weights uniform in (0, 1]"},
    {NULL, false, NULL},
};

static cp_status get_i32(const cli_args *a, const char *name, int32_t *v, cp_error *err) {
    long x;
    cp_status st = cli_get_int(a, name, *v, 0, 2000000000L, &x, err);
    if (st == CP_OK) {
        *v = (int32_t)x;
    }
    return st;
}

int cmd_generate(int argc, char **argv) {
    cli_args a;
    cp_error err;
    cp_error_clear(&err);
    cp_graph *g = NULL;
    cp_status status = cli_parse(&a, "generate", argc, argv, 2, specs,
                                 "sanctions-net|rmat -o OUT.h5 [options]", &err);
    if (status != CP_OK) {
        return cli_fail(&a, status, &err);
    }
    if (a.n_pos != 1 || a.output == NULL) {
        cp_error_set(&err, CP_E_INVALID,
                     "expected: chokepoint generate sanctions-net|rmat -o OUT.h5 (see --help)");
        return cli_fail(&a, CP_E_INVALID, &err);
    }
    const char *kind = a.pos[0];
    char created[256];
    snprintf(created, sizeof created, "chokepoint %s generate %s seed %llu", CP_VERSION, kind,
             (unsigned long long)a.seed);
    if (strcmp(kind, "sanctions-net") == 0) {
        cp_sanctions_net_params p;
        cp_sanctions_net_params_init(&p);
        p.seed = a.seed;
        long total = 0;
        CP_TRY(cli_get_int(&a, "nodes", 0, 0, 2000000000L, &total, &err));
        if (total > 0) {
            double base = (double)p.n_origin + p.n_front + p.n_gateway + p.n_bank + p.n_licit;
            double f = (double)total / base;
            p.n_origin = (int32_t)ceil(p.n_origin * f);
            p.n_front = (int32_t)ceil(p.n_front * f);
            p.n_gateway = (int32_t)ceil(p.n_gateway * f);
            p.n_bank = (int32_t)ceil(p.n_bank * f);
            p.n_licit = (int32_t)ceil(p.n_licit * f);
        }
        CP_TRY(get_i32(&a, "origin", &p.n_origin, &err));
        CP_TRY(get_i32(&a, "front", &p.n_front, &err));
        CP_TRY(get_i32(&a, "gateway", &p.n_gateway, &err));
        CP_TRY(get_i32(&a, "bank", &p.n_bank, &err));
        CP_TRY(get_i32(&a, "licit", &p.n_licit, &err));
        if (p.front_gateways > p.n_gateway) {
            p.front_gateways = p.n_gateway; /* small --nodes totals scale the gateways down */
        }
        CP_TRY(get_i32(&a, "front-gateways", &p.front_gateways, &err));
        CP_TRY(cli_get_double(&a, "gateway-zipf", p.gateway_zipf, 0, 10, &p.gateway_zipf, &err));
        CP_TRY(cli_get_double(&a, "p-front-bank", p.p_front_bank, 0, 1, &p.p_front_bank, &err));
        CP_TRY(cli_get_double(&a, "licit-share", p.licit_share, 0, 0.999, &p.licit_share, &err));
        CP_TRY(cli_get_double(&a, "p-front-partial", p.p_front_partial, 0, 1, &p.p_front_partial,
                              &err));
        CP_TRY(
            cli_get_double(&a, "front-volume", p.front_volume, 0.01, 1e15, &p.front_volume, &err));
        CP_TRY(cli_get_double(&a, "p-gateway-stake", p.p_gateway_stake, 0, 1, &p.p_gateway_stake,
                              &err));
        CP_TRY(cp_generate_sanctions_net(&g, &p, &err));
    } else if (strcmp(kind, "rmat") == 0) {
        cp_rmat_params p;
        cp_rmat_params_init(&p);
        p.seed = a.seed;
        long v;
        CP_TRY(cli_get_int(&a, "scale", p.scale, 1, 30, &v, &err));
        p.scale = (int)v;
        CP_TRY(cli_get_int(&a, "edge-factor", p.edge_factor, 1, 1024, &v, &err));
        p.edge_factor = (int)v;
        p.weighted = cli_flag(&a, "weighted");
        CP_TRY(cp_generate_rmat(&g, &p, &err));
    } else {
        status = cp_error_set(&err, CP_E_INVALID,
                              "unknown generator '%s' (expected sanctions-net or rmat)", kind);
        goto cleanup;
    }
    CP_TRY(cp_graph_write_h5(g, a.output, created, &err));
    if (!a.quiet) {
        printf("wrote %s: %d nodes, %lld edges (%s, seed %llu)\n", a.output, cp_graph_n(g),
               (long long)cp_graph_m(g), kind, (unsigned long long)a.seed);
    }
cleanup:
    cp_graph_free(&g);
    return status < 0 ? cli_fail(&a, status, &err) : 0;
}
