/* chokepoint: the command-line entry point. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const struct {
    const char *name;
    int (*fn)(int, char **);
    const char *summary;
} commands[] = {
    {"demo", cmd_demo, "the central experiment end to end on bundled (or --real) data"},
    {"generate", cmd_generate, "synthetic graphs: sanctions-net (evasion network), rmat"},
    {"import", cmd_import,
     "CSV, edge list, Matrix Market, OFAC SDN, FollowTheMoney, ICIJ -> graph"},
    {"info", cmd_info, "sizes, layers, groups, degrees, components, validation"},
    {"rank", cmd_rank, "centrality: degree, PageRank, betweenness, closeness, flow, ..."},
    {"simulate", cmd_simulate, "sanction scenarios: strategies x modes x seeds, curves"},
    {"sweep", cmd_sweep, "many scenarios from a YAML file; resumable; spread over MPI ranks"},
    {"block", cmd_block, "the 50 percent rule closure of a designation set"},
    {"owners", cmd_owners, "integrated ownership through chains and ultimate owners"},
    {"compare", cmd_compare, "strategies and modes side by side from results files"},
    {"report", cmd_report, "a self-contained HTML page: plots, tables, provenance"},
    {"diff", cmd_diff, "entries and links added/removed between two graphs or SDN lists"},
};

static void usage(FILE *f) {
    fprintf(f,
            "chokepoint %s: GPU graph analytics for sanctions research\n\n"
            "usage: chokepoint COMMAND [options]   (chokepoint COMMAND --help for details)\n\n",
            CP_VERSION);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
    }
    fprintf(f, "\nexit codes: 0 ok, 1 usage, 2 bad input data, 3 resource (memory, device), "
               "4 internal\n");
}

int main(int argc, char **argv) {
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return argc < 2 ? 1 : 0;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
        printf("chokepoint %s (commit %s)\n", CP_VERSION, CP_GIT_COMMIT);
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(argv[1], commands[i].name) == 0) {
            return commands[i].fn(argc, argv);
        }
    }
    fprintf(stderr, "chokepoint: unknown command '%s'\n\n", argv[1]);
    usage(stderr);
    return 1;
}
