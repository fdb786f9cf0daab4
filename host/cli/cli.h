/* The command-line interface: shared option parsing, graph loading, backend selection,
 * provenance, and one function per subcommand. */
#ifndef CP_CLI_H
#define CP_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "../../io/results.h"
#include "chokepoint/graph.h"
#include "chokepoint/status.h"
#include "backend.h"

#define CLI_MAX_OPTS 64
#define CLI_MAX_POS  32

/* One accepted option: name without dashes; takes_value; help text. */
typedef struct cli_opt_spec {
    const char *name;
    bool takes_value;
    const char *help;
} cli_opt_spec;

typedef struct cli_args {
    const char *command;
    int n_pos;
    const char *pos[CLI_MAX_POS];
    int n_opts;
    const char *opt_name[CLI_MAX_OPTS];
    const char *opt_value[CLI_MAX_OPTS];
    /* Common options. */
    const char *device;
    int threads;
    uint64_t seed;
    bool quiet, verbose;
    const char *output;
    char cmdline[4096];
} cli_args;

/* Parses argv[first..argc) against the command's specs plus the common ones. On an unknown option
 * or a missing value prints the command's usage and returns CP_E_INVALID. */
cp_status cli_parse(cli_args *a, const char *command, int argc, char **argv, int first,
                    const cli_opt_spec *specs, const char *usage, cp_error *err);

/* Value of an option (the last given), or def. */
const char *cli_get(const cli_args *a, const char *name, const char *def);
bool cli_flag(const cli_args *a, const char *name);
cp_status cli_get_int(const cli_args *a, const char *name, long def, long lo, long hi, long *out,
                      cp_error *err);
cp_status cli_get_double(const cli_args *a, const char *name, double def, double lo, double hi,
                         double *out, cp_error *err);

/* Prints the error (the message, or the status text) to stderr as "chokepoint CMD: ..." and
 * returns the exit code for it. */
int cli_fail(const cli_args *a, cp_status st, const cp_error *err);

/* Makes sure an error message names the file it concerns: prefixes "PATH: " when the message
 * does not mention PATH already. */
void cli_blame(cp_error *err, const char *path);

/* Checks, before any work, that the output path (-o) names no file the command reads (the
 * positional inputs, --nodes, --order, and every list:FILE term of every option) and is not a
 * directory. CP_E_INVALID naming both. */
cp_status cli_check_output(const cli_args *a, cp_error *err);

/* True when both paths exist and name the same file (device and inode). */
bool cli_same_file(const char *a, const char *b);

/* Loads a graph file (chokepoint-graph HDF5) and reports its time. */
cp_status cli_load_graph(cp_graph **g, const char *path, cp_error *err);

/* The ownership layer named by --layer (default "ownership") of g, loaded from `path`, into
 * *layer; CP_E_INVALID naming the file when there is no such layer or its meaning is not share. */
cp_status cli_share_layer(const cli_args *a, const cp_graph *g, const char *path, int *layer,
                          cp_error *err);

/* Opens the backend of --device, printing the fallback notice unless --quiet. */
cp_status cli_open_backend(const cli_args *a, cp_backend_ops *ops, cp_error *err);

/* Writes /provenance (version, commit, command line, date, host, device, backend, input path and
 * SHA-256, n, m, seed) and /nodes/id. Stage times are added with cli_stage_time. */
cp_status cli_write_provenance(cp_results *r, const cli_args *a, const char *input,
                               const cp_graph *g, const cp_backend_ops *be, cp_error *err);
cp_status cli_stage_time(cp_results *r, const char *stage, double seconds, cp_error *err);

/* Records the total time since t0, commits the results file and says where it went. */
cp_status cli_commit(cp_results **r, const cli_args *a, double t0, cp_error *err);

/* The first node in both sorted index lists, or -1. */
int32_t cli_sets_overlap(const int32_t *a, int64_t na, const int32_t *b, int64_t nb);

/* Monotonic seconds. */
double cli_now(void);

/* Splits a comma-separated list in place into at most max items. */
int cli_split(char *s, char **items, int max);

/* CP_E_INVALID naming the option when a list names an item twice. */
cp_status cli_unique(char **items, int count, const char *option, cp_error *err);

/* Progress line on a terminal (stderr is a tty and not --quiet): "label done/total rate ETA". */
void cli_progress(const cli_args *a, const char *label, long done, long total, double t0);

int cmd_generate(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_rank(int argc, char **argv);
int cmd_simulate(int argc, char **argv);
int cmd_block(int argc, char **argv);
int cmd_owners(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_sweep(int argc, char **argv);

/* Runs another subcommand in-process (used by demo), with argv built from a format string split
 * on spaces (no quoting). */
int cli_run(int (*cmd)(int, char **), const char *fmt, ...);

#endif
