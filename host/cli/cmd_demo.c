/* chokepoint demo [--real]: the central experiment end to end. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../io/graph_h5.h"
#include "alloc.h"
#include "chokepoint/centrality.h"
#include "chokepoint/view.h"
#include "cli.h"
#include "graph_impl.h"

static const cli_opt_spec specs[] = {
    {"outdir", true, "DIR: where the demo writes its files (default demo-out)"},
    {"real", false, "also run on the real datasets (Ethereum phishing, AMLSim, the OFAC SDN list)"},
    {"datasets", true, "DIR: the real datasets (default ../shared/datasets)"},
    {"budget", true, "K: removals (default 8)"},
    {"seeds", true, "N: seeds per scenario (default 5 on the synthetic network, 2 on real data)"},
    {NULL, false, NULL},
};

static void banner(const char *text) {
    printf("\n==== %s ====\n", text);
    fflush(stdout);
}

/* Writes the ids of the k nodes of highest in-strength that are not in group `exclude` to path,
 * one per line: the "largest cash-in hubs" used as targets on real data. */
static cp_status write_top_targets(const char *graph, const char *exclude, int k, const char *path,
                                   cp_error *err) {
    cp_graph *g = NULL;
    double *ins = NULL;
    uint8_t *skip = NULL;
    FILE *f = NULL;
    cp_status status = CP_OK;
    CP_TRY(cp_graph_read_h5(&g, graph, err));
    ins = cp__calloc((size_t)g->n + 1, sizeof *ins);
    skip = cp__calloc((size_t)g->n + 1, 1);
    if (ins == NULL || skip == NULL) {
        status = cp_error_set(err, CP_E_NOMEM, "out of memory");
        goto cleanup;
    }
    const cp_group *grp = cp__graph_find_group(g, exclude);
    for (int64_t i = 0; grp != NULL && i < grp->size; i++) {
        skip[grp->members[i]] = 1;
    }
    for (int64_t e = 0; e < g->m; e++) {
        ins[g->dst[e]] += g->weight[e];
    }
    f = fopen(path, "w");
    if (f == NULL) {
        status = cp_error_set(err, CP_E_IO, "cannot write %s: %s", path, strerror(errno));
        goto cleanup;
    }
    fprintf(f, "# the %d nodes of highest in-strength outside group %s\n", k, exclude);
    for (int c = 0; c < k; c++) {
        int32_t best = -1;
        for (int32_t v = 0; v < g->n; v++) {
            if (!skip[v] && (best < 0 || ins[v] > ins[best])) {
                best = v;
            }
        }
        if (best < 0) {
            break;
        }
        skip[best] = 1;
        char label[128];
        fprintf(f, "%s\n", cp_graph_node_label(g, best, label, sizeof label));
    }
cleanup:
    if (f != NULL && fclose(f) != 0 && status == CP_OK) {
        status = cp_error_set(err, CP_E_IO, "cannot write %s", path);
    }
    cp__free(ins);
    cp__free(skip);
    cp_graph_free(&g);
    return status;
}

/* A real dataset of the demo: how to import it and which group is the source set. Targets are the
 * 20 nodes of highest in-strength outside that group: the largest cash-in hubs. */
typedef struct real_dataset {
    const char *title;
    const char *name;  /* output file stem */
    const char *edges; /* relative to --datasets */
    const char *nodes;
    const char *import_opts;
    const char *sources; /* group name */
} real_dataset;

static const real_dataset real_datasets[] = {
    {"real data 1: Ethereum phishing network (XBlock; Wu et al. 2019)", "ethereum",
     "ethereum-phishing/edges.csv", "ethereum-phishing/nodes.csv",
     "--source-col from --target-col to --weight-col amount --time-col timestamp --units ETH "
     "--group phishing=label:1",
     "phishing"},
    {"real data 2: AMLSim bank transactions (IBM; fraud accounts as sources)", "amlsim",
     "amlsim/transactions.csv", "amlsim/nodes.csv",
     "--source-col sourceNodeId --target-col targetNodeId --weight-col value --time-col time "
     "--id-col nodeid --units USD --group fraud=isFraud",
     "fraud"},
};

static int run_real_one(const cli_args *a, const real_dataset *d, const char *out, const char *data,
                        long budget, long seeds) {
    char edges[4096], nodes[4096], graph[4096], targets[4096], sim[4096];
    cp_error err;
    cp_error_clear(&err);
    const char *q = a->quiet ? "--quiet" : "";
    snprintf(edges, sizeof edges, "%s/%s", data, d->edges);
    snprintf(nodes, sizeof nodes, "%s/%s", data, d->nodes);
    if (access(edges, R_OK) != 0) {
        fprintf(stderr, "chokepoint demo: error: --real needs %s (use --datasets DIR)\n", edges);
        return 2;
    }
    banner(d->title);
    snprintf(graph, sizeof graph, "%s/%s.h5", out, d->name);
    snprintf(targets, sizeof targets, "%s/%s-targets.txt", out, d->name);
    snprintf(sim, sizeof sim, "%s/%s-sim.h5", out, d->name);
    int rc = cli_run(cmd_import, "chokepoint import %s --nodes %s %s -o %s %s", edges, nodes,
                     d->import_opts, graph, q);
    if (rc == 0) {
        rc = cli_run(cmd_info, "chokepoint info %s", graph);
    }
    if (rc == 0 && write_top_targets(graph, d->sources, 20, targets, &err) != CP_OK) {
        fprintf(stderr, "chokepoint demo: error: %s\n", err.msg);
        rc = 2;
    }
    if (rc == 0) {
        rc = cli_run(cmd_simulate,
                     "chokepoint simulate %s -o %s --sources group:%s --targets list:%s "
                     "--substitutes top:in-strength:200 --strategy "
                     "random,degree,st-betweenness,flow --mode simultaneous,sequential,adaptive "
                     "--budget %ld --round 2 --reroute 0.5 --seeds %ld --metrics "
                     "reach,reach-volume,flow,lcc --seed 7 --device %s %s",
                     graph, sim, d->sources, targets, budget, seeds, a->device, q);
    }
    if (rc == 0) {
        rc = cli_run(cmd_compare, "chokepoint compare %s --metric flow,reach", sim);
    }
    return rc;
}

/* The DPRK programs' entries in the SDN graph's weakly connected components (linked and owner
 * layers): how many entries, in how many components, and the largest component's share. */
static cp_status dprk_components(const char *graph, cp_error *err) {
    cp_status status = CP_OK;
    cp_graph *g = NULL;
    cp_view *v = NULL;
    int32_t *labels = NULL, *count = NULL;
    uint8_t *dprk = NULL;
    CP_TRY(cp_graph_read_h5(&g, graph, err));
    cp_view_spec spec = {0, CP_DIR_STORED, CP_MULTI_KEEP};
    CP_TRY(cp_view_build(&v, g, &spec, err));
    labels = cp__malloc_array((size_t)g->n + 1, sizeof *labels);
    count = cp__calloc((size_t)g->n + 1, sizeof *count);
    dprk = cp__calloc((size_t)g->n + 1, 1);
    if (labels == NULL || count == NULL || dprk == NULL) {
        status = cp_error_set(err, CP_E_NOMEM, "out of memory");
        goto cleanup;
    }
    int32_t nc = 0, largest = 0;
    CP_TRY(cp_wcc(labels, &nc, &largest, v, NULL, err));
    int32_t entries = 0, comps = 0, best = 0, best_label = -1;
    for (int i = 0; i < g->n_groups; i++) {
        if (strncmp(g->groups[i].name, "program:DPRK", 12) == 0) {
            for (int64_t j = 0; j < g->groups[i].size; j++) {
                dprk[g->groups[i].members[j]] = 1;
            }
        }
    }
    for (int32_t x = 0; x < g->n; x++) {
        if (dprk[x]) {
            entries++;
            comps += count[labels[x]]++ == 0;
            if (count[labels[x]] > best) {
                best = count[labels[x]];
                best_label = labels[x];
            }
        }
    }
    int32_t size = 0;
    for (int32_t x = 0; x < g->n; x++) {
        size += best_label >= 0 && labels[x] == best_label;
    }
    printf("DPRK programs: %d entries in %d weakly connected components; the largest holds %d of "
           "them (%d entries in all, any program)\n",
           entries, comps, best, size);
cleanup:
    cp__free(labels);
    cp__free(count);
    cp__free(dprk);
    cp_view_free(&v);
    cp_graph_free(&g);
    return status;
}

/* The OFAC SDN list as an analysis input: import both snapshots, what changed, its structure and
 * hubs. Its entries are sanctioned already, so nothing is simulated on it. */
static int run_sdn(const cli_args *a, const char *out, const char *data) {
    static const char *const dates[2] = {"2021-08-18", "2024-05-03"};
    char csv[2][4096], graph[2][4096], ranks[4096];
    const char *q = a->quiet ? "--quiet" : "";
    for (int i = 0; i < 2; i++) {
        snprintf(csv[i], sizeof csv[i], "%s/sdn/sdn_%s.csv", data, dates[i]);
        snprintf(graph[i], sizeof graph[i], "%s/sdn-%s.h5", out, dates[i]);
        if (access(csv[i], R_OK) != 0) {
            printf("(skipping the SDN list: %s is absent)\n", csv[i]);
            return 0;
        }
    }
    banner("real data 3: the OFAC SDN list (entries linked by 'Linked To' remarks)");
    printf("every entry is sanctioned already: ranked for structure, never 'sanctioned' again\n");
    int rc = 0;
    for (int i = 0; i < 2 && rc == 0; i++) {
        rc = cli_run(cmd_import, "chokepoint import %s --format sdn -o %s %s", csv[i], graph[i], q);
    }
    if (rc == 0) {
        rc = cli_run(cmd_diff, "chokepoint diff %s %s --show 5", graph[0], graph[1]);
    }
    if (rc == 0) {
        rc = cli_run(cmd_info, "chokepoint info %s", graph[1]);
    }
    snprintf(ranks, sizeof ranks, "%s/sdn-ranks.h5", out);
    if (rc == 0) {
        rc = cli_run(cmd_rank,
                     "chokepoint rank %s -o %s --layers linked --measure degree,pagerank --top 10 "
                     "--device %s %s",
                     graph[1], ranks, a->device, q);
    }
    cp_error err;
    cp_error_clear(&err);
    if (rc == 0 && dprk_components(graph[1], &err) != CP_OK) {
        fprintf(stderr, "chokepoint demo: error: %s\n", err.msg);
        rc = 2;
    }
    return rc;
}

static int run_real(const cli_args *a, const char *out, const char *data, long budget, long seeds) {
    for (size_t i = 0; i < sizeof real_datasets / sizeof real_datasets[0]; i++) {
        int rc = run_real_one(a, &real_datasets[i], out, data, budget, seeds);
        if (rc != 0) {
            return rc;
        }
    }
    return run_sdn(a, out, data);
}

int cmd_demo(int argc, char **argv) {
    cli_args a;
    cp_error err;
    cp_error_clear(&err);
    cp_status status = cli_parse(&a, "demo", argc, argv, 2, specs, "[--real] [--outdir DIR]", &err);
    if (status != CP_OK) {
        return cli_fail(&a, status, &err);
    }
    long budget = 8, seeds = 5, real_seeds = 2;
    status = cli_get_int(&a, "budget", 8, 1, 100000, &budget, &err);
    if (status == CP_OK) {
        status = cli_get_int(&a, "seeds", 5, 1, 1000, &seeds, &err);
    }
    if (status == CP_OK) {
        status = cli_get_int(&a, "seeds", 2, 1, 1000, &real_seeds, &err);
    }
    if (status != CP_OK) {
        return cli_fail(&a, status, &err);
    }
    const char *out = cli_get(&a, "outdir", "demo-out");
    if (mkdir(out, 0777) != 0 && errno != EEXIST) {
        cp_error_set(&err, CP_E_IO, "cannot create --outdir %s: %s", out, strerror(errno));
        return cli_fail(&a, CP_E_IO, &err);
    }
    const char *q = a.quiet ? "--quiet" : "";
    char net[4096], ranks[4096], sim[4096], blocked[4096];
    snprintf(net, sizeof net, "%s/sanctions-net.h5", out);
    snprintf(ranks, sizeof ranks, "%s/ranks.h5", out);
    snprintf(sim, sizeof sim, "%s/sim.h5", out);
    snprintf(blocked, sizeof blocked, "%s/blocked.h5", out);
    int rc;
    banner("1. generate the synthetic evasion network (seed 7)");
    if ((rc = cli_run(cmd_generate, "chokepoint generate sanctions-net --seed 7 -o %s %s", net,
                      q)) != 0) {
        return rc;
    }
    banner("2. what is in it");
    if ((rc = cli_run(cmd_info, "chokepoint info %s", net)) != 0) {
        return rc;
    }
    banner("3. rank chokepoints between origin and banks (transaction layer)");
    if ((rc = cli_run(cmd_rank,
                      "chokepoint rank %s -o %s --layers transaction --measure "
                      "degree,st-betweenness,flow --sources group:origin --targets group:bank "
                      "--top 8 --device %s %s",
                      net, ranks, a.device, q)) != 0) {
        return rc;
    }
    banner("4. sanction at once vs in rounds while the network reroutes");
    printf("simultaneous: all k removals in one round, then the network responds once;\n"
           "sequential: rounds of 2, the network reroutes (p = 0.5) after each; adaptive: rounds "
           "with no response.\n");
    if ((rc = cli_run(cmd_simulate,
                      "chokepoint simulate %s -o %s --layers transaction --sources group:origin "
                      "--targets group:bank --strategy random,degree,st-betweenness,flow --mode "
                      "simultaneous,sequential,adaptive --budget %ld --round 2 --reroute 0.5 "
                      "--seeds %ld --seed 7 --device %s %s",
                      net, sim, budget, seeds, a.device, q)) != 0) {
        return rc;
    }
    banner("5. compare strategies and modes (mean over seeds; auc = mean of the curve over "
           "removals 1..k)");
    if ((rc = cli_run(cmd_compare, "chokepoint compare %s --metric flow,reach", sim)) != 0) {
        return rc;
    }
    banner("6. the 50 percent rule: designate the origin entities");
    if ((rc = cli_run(cmd_block,
                      "chokepoint block %s --designated group:origin --regime ofac --top 10 -o %s "
                      "%s",
                      net, blocked, q)) != 0) {
        return rc;
    }
    if (cli_flag(&a, "real")) {
        rc = run_real(&a, out, cli_get(&a, "datasets", "../shared/datasets"), budget, real_seeds);
        if (rc != 0) {
            return rc;
        }
    }
    printf("\ndemo files are in %s/ (read them with h5py; see README)\n", out);
    return 0;
}
