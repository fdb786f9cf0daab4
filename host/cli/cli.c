/* Shared CLI machinery. */
#define _GNU_SOURCE
#include "cli.h"

#include <errno.h>
#include <math.h>
#include <omp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../io/graph_h5.h"
#include "graph_impl.h"

static const cli_opt_spec common_specs[] = {
    {"device", true, "auto|cpu|cuda[:N]: backend (default auto: CUDA if present, else CPU)"},
    {"threads", true, "N: CPU threads (default: all cores)"},
    {"seed", true, "S: random seed (default 1)"},
    {"quiet", false, "no progress or notices"},
    {"verbose", false, "more detail"},
    {"output", true, "FILE: output file"},
    {"help", false, "this help"},
    {NULL, false, NULL},
};

static const cli_opt_spec *find_spec(const cli_opt_spec *specs, const char *name) {
    for (const cli_opt_spec *s = specs; s != NULL && s->name != NULL; s++) {
        if (strcmp(s->name, name) == 0) {
            return s;
        }
    }
    return NULL;
}

static void print_usage(const char *command, const cli_opt_spec *specs, const char *usage,
                        FILE *f) {
    fprintf(f, "usage: chokepoint %s %s\n\noptions:\n", command, usage);
    for (const cli_opt_spec *s = specs; s != NULL && s->name != NULL; s++) {
        fprintf(f, "  --%-22s %s\n", s->name, s->help);
    }
    fprintf(f, "common options:\n");
    for (const cli_opt_spec *s = common_specs; s->name != NULL; s++) {
        fprintf(f, "  --%-22s %s\n", s->name, s->help);
    }
    fprintf(f, "  %-24s %s\n", "-o FILE", "same as --output");
}

cp_status cli_parse(cli_args *a, const char *command, int argc, char **argv, int first,
                    const cli_opt_spec *specs, const char *usage, cp_error *err) {
    memset(a, 0, sizeof *a);
    a->command = command;
    a->device = "auto";
    a->seed = 1;
    size_t len = 0;
    for (int i = 0; i < argc && len < sizeof a->cmdline - 2; i++) {
        int w = snprintf(a->cmdline + len, sizeof a->cmdline - len, "%s%s", i ? " " : "", argv[i]);
        if (w < 0) {
            break;
        }
        len += (size_t)w;
    }
    for (int i = first; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "-o") == 0) {
            arg = "--output";
        }
        if (strncmp(arg, "--", 2) != 0 || arg[2] == '\0') {
            if (a->n_pos >= CLI_MAX_POS) {
                return cp_error_set(err, CP_E_INVALID, "too many arguments");
            }
            a->pos[a->n_pos++] = argv[i];
            continue;
        }
        char name[128];
        const char *eq = strchr(arg + 2, '=');
        size_t nl = eq != NULL ? (size_t)(eq - arg - 2) : strlen(arg + 2);
        if (nl >= sizeof name) {
            nl = sizeof name - 1;
        }
        memcpy(name, arg + 2, nl);
        name[nl] = '\0';
        const cli_opt_spec *spec = find_spec(specs, name);
        if (spec == NULL) {
            spec = find_spec(common_specs, name);
        }
        if (spec == NULL) {
            return cp_error_set(err, CP_E_INVALID,
                                "unknown option --%s (chokepoint %s --help lists the options)",
                                name, command);
        }
        if (strcmp(name, "help") == 0) {
            print_usage(command, specs, usage, stdout);
            exit(0);
        }
        const char *value = "1";
        if (spec->takes_value) {
            if (eq != NULL) {
                value = eq + 1;
            } else if (i + 1 < argc) {
                value = argv[++i];
            } else {
                return cp_error_set(err, CP_E_INVALID, "option --%s needs a value", name);
            }
        } else if (eq != NULL) {
            return cp_error_set(err, CP_E_INVALID, "option --%s takes no value", name);
        }
        if (a->n_opts >= CLI_MAX_OPTS) {
            return cp_error_set(err, CP_E_INVALID, "too many options");
        }
        /* A value given twice would silently lose one; only list-like options repeat. */
        bool repeatable = strcmp(spec->name, "group") == 0 || strcmp(spec->name, "nodes") == 0;
        for (int k = 0; spec->takes_value && !repeatable && k < a->n_opts; k++) {
            if (strcmp(a->opt_name[k], spec->name) == 0) {
                return cp_error_set(err, CP_E_INVALID, "option --%s is given twice (%s and %s)",
                                    spec->name, a->opt_value[k], value);
            }
        }
        a->opt_name[a->n_opts] = spec->name;
        a->opt_value[a->n_opts] = value;
        a->n_opts++;
    }
    a->device = cli_get(a, "device", "auto");
    a->output = cli_get(a, "output", NULL);
    cp_status out_st = cli_check_output(a, err);
    if (out_st != CP_OK) {
        return out_st;
    }
    a->quiet = cli_flag(a, "quiet");
    a->verbose = cli_flag(a, "verbose");
    long threads = 0;
    cp_status st = cli_get_int(a, "threads", 0, 0, 4096, &threads, err);
    if (st != CP_OK) {
        return st;
    }
    a->threads = (int)threads;
    if (threads > 0) {
        omp_set_num_threads((int)threads);
    }
    const char *seed = cli_get(a, "seed", NULL);
    if (seed != NULL) {
        char *end = NULL;
        errno = 0;
        unsigned long long s = strtoull(seed, &end, 10);
        if (errno != 0 || end == seed || *end != '\0' || seed[0] == '-') {
            return cp_error_set(err, CP_E_INVALID, "--seed %s: expected a non-negative integer",
                                seed);
        }
        a->seed = (uint64_t)s;
    }
    return CP_OK;
}

const char *cli_get(const cli_args *a, const char *name, const char *def) {
    for (int i = a->n_opts - 1; i >= 0; i--) {
        if (strcmp(a->opt_name[i], name) == 0) {
            return a->opt_value[i];
        }
    }
    return def;
}

bool cli_flag(const cli_args *a, const char *name) {
    return cli_get(a, name, NULL) != NULL;
}

cp_status cli_get_int(const cli_args *a, const char *name, long def, long lo, long hi, long *out,
                      cp_error *err) {
    const char *v = cli_get(a, name, NULL);
    if (v == NULL) {
        *out = def;
        return CP_OK;
    }
    char *end = NULL;
    errno = 0;
    double d = strtod(v, &end); /* accepts 1e6 */
    if (errno != 0 || end == v || *end != '\0' || d != floor(d) || d < (double)lo ||
        d > (double)hi) {
        return cp_error_set(err, CP_E_INVALID, "--%s %s: expected an integer in %ld..%ld", name, v,
                            lo, hi);
    }
    *out = (long)d;
    return CP_OK;
}

cp_status cli_get_double(const cli_args *a, const char *name, double def, double lo, double hi,
                         double *out, cp_error *err) {
    const char *v = cli_get(a, name, NULL);
    if (v == NULL) {
        *out = def;
        return CP_OK;
    }
    char *end = NULL;
    errno = 0;
    double d = strtod(v, &end);
    if (errno != 0 || end == v || *end != '\0' || !(d >= lo && d <= hi)) {
        return cp_error_set(err, CP_E_INVALID, "--%s %s: expected a number in [%g, %g]", name, v,
                            lo, hi);
    }
    *out = d;
    return CP_OK;
}

int cli_fail(const cli_args *a, cp_status st, const cp_error *err) {
    const char *msg = err != NULL && err->msg[0] ? err->msg : cp_status_message(st);
    fprintf(stderr, "chokepoint %s: error: %s\n", a != NULL && a->command ? a->command : "", msg);
    return cp_status_exit_code(st);
}

double cli_now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

void cli_blame(cp_error *err, const char *path) {
    if (err == NULL || path == NULL || strstr(err->msg, path) != NULL) {
        return;
    }
    char old[CP_ERROR_MSG_SIZE];
    memcpy(old, err->msg, sizeof old);
    size_t len = strlen(path);
    if (len > sizeof err->msg / 2) {
        len = sizeof err->msg / 2;
    }
    memcpy(err->msg, path, len);
    memcpy(err->msg + len, ": ", 3);
    strncat(err->msg, old, sizeof err->msg - len - 3);
}

bool cli_same_file(const char *a, const char *b) {
    struct stat sa, sb;
    if (stat(a, &sa) != 0 || stat(b, &sb) != 0) {
        return false;
    }
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

cp_status cli_check_output(const cli_args *a, cp_error *err) {
    if (a->output == NULL) {
        return CP_OK;
    }
    if (a->output[0] == '\0') {
        return cp_error_set(err, CP_E_INVALID, "-o: empty file name");
    }
    struct stat st;
    if (stat(a->output, &st) == 0 && S_ISDIR(st.st_mode)) {
        return cp_error_set(err, CP_E_INVALID, "-o %s is a directory; expected a file name",
                            a->output);
    }
    for (int i = 0; i < a->n_pos; i++) {
        if (cli_same_file(a->pos[i], a->output)) {
            return cp_error_set(err, CP_E_INVALID,
                                "-o %s is the input %s: refusing to overwrite an input", a->output,
                                a->pos[i]);
        }
    }
    for (int i = 0; i < a->n_opts; i++) {
        const char *v = a->opt_value[i];
        const char *n = a->opt_name[i];
        /* Any option naming an existing file is an input (--nodes, --order, --cost, --same-as,
         * --alt, ...). */
        if (strcmp(n, "output") != 0 && strcmp(n, "o") != 0 && cli_same_file(v, a->output)) {
            return cp_error_set(err, CP_E_INVALID,
                                "-o %s is the input --%s %s: refusing to overwrite an input",
                                a->output, n, v);
        }
        /* list:FILE terms anywhere in a node-set union */
        for (const char *p = strstr(v, "list:"); p != NULL; p = strstr(p + 5, "list:")) {
            char path[4096];
            size_t len = strcspn(p + 5, "+");
            if (len >= sizeof path) {
                continue;
            }
            memcpy(path, p + 5, len);
            path[len] = '\0';
            if (cli_same_file(path, a->output)) {
                return cp_error_set(err, CP_E_INVALID,
                                    "-o %s is the input list:%s (--%s): refusing to overwrite an "
                                    "input",
                                    a->output, path, n);
            }
        }
    }
    return CP_OK;
}

cp_status cli_load_graph(cp_graph **g, const char *path, cp_error *err) {
    cp_status st = cp_graph_read_h5(g, path, err);
    if (st != CP_OK) {
        cli_blame(err, path);
    }
    return st;
}

cp_status cli_open_backend(const cli_args *a, cp_backend_ops *ops, cp_error *err) {
    char notice[768];
    cp_status st = cp__backend_open(ops, a->device, notice, sizeof notice, err);
    if (st == CP_OK && notice[0] != '\0' && !a->quiet) {
        fprintf(stderr, "%s\n", notice);
    }
    return st;
}

cp_status cli_write_provenance(cp_results *r, const cli_args *a, const char *input,
                               const cp_graph *g, const cp_backend_ops *be, cp_error *err) {
    cp_status status = CP_OK;
    const char *p = "/provenance";
    char buf[256];
    time_t now = time(NULL);
    struct tm tmv;
    gmtime_r(&now, &tmv);
    strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tmv);
    CP_TRY(cp_results_attr_str(r, p, "tool", "chokepoint", err));
    CP_TRY(cp_results_attr_str(r, p, "version", CP_VERSION, err));
    CP_TRY(cp_results_attr_str(r, p, "git_commit", CP_GIT_COMMIT, err));
    CP_TRY(cp_results_attr_str(r, p, "command_line", a->cmdline, err));
    CP_TRY(cp_results_attr_str(r, p, "date", buf, err));
    char host[256] = "unknown";
    gethostname(host, sizeof host - 1);
    CP_TRY(cp_results_attr_str(r, p, "host", host, err));
    CP_TRY(cp_results_attr_str(r, p, "backend", be != NULL ? be->name : "cpu", err));
    CP_TRY(cp_results_attr_str(r, p, "device", be != NULL ? be->device : "CPU", err));
    CP_TRY(cp_results_attr_i64(r, p, "threads", omp_get_max_threads(), err));
    CP_TRY(cp_results_attr_i64(r, p, "seed", (int64_t)a->seed, err));
    if (input != NULL) {
        char hex[65];
        CP_TRY(cp_sha256_file(input, hex, err));
        char *abs = realpath(input, NULL);
        status = cp_results_attr_str(r, p, "input", abs != NULL ? abs : input, err);
        free(abs);
        if (status != CP_OK) {
            goto cleanup;
        }
        CP_TRY(cp_results_attr_str(r, p, "input_sha256", hex, err));
    }
    if (g != NULL) {
        CP_TRY(cp_results_attr_i64(r, p, "n", cp_graph_n(g), err));
        CP_TRY(cp_results_attr_i64(r, p, "m", cp_graph_m(g), err));
        CP_TRY(cp_results_write_ids(r, g, err));
    }
cleanup:
    return status;
}

cp_status cli_stage_time(cp_results *r, const char *stage, double seconds, cp_error *err) {
    char name[128];
    snprintf(name, sizeof name, "seconds_%s", stage);
    return cp_results_attr_f64(r, "/provenance", name, seconds, err);
}

int cli_split(char *s, char **items, int max) {
    int c = 0;
    char *save = NULL;
    for (char *tok = strtok_r(s, ",", &save); tok != NULL && c < max;
         tok = strtok_r(NULL, ",", &save)) {
        items[c++] = tok;
    }
    return c;
}

cp_status cli_commit(cp_results **r, const cli_args *a, double t0, cp_error *err) {
    cp_status st = cli_stage_time(*r, "total", cli_now() - t0, err);
    if (st == CP_OK) {
        st = cp_results_commit(r, err);
    }
    if (st == CP_OK && !a->quiet) {
        printf("wrote %s\n", a->output);
    }
    return st;
}

int32_t cli_sets_overlap(const int32_t *a, int64_t na, const int32_t *b, int64_t nb) {
    for (int64_t i = 0, j = 0; i < na && j < nb;) {
        if (a[i] == b[j]) {
            return a[i];
        }
        if (a[i] < b[j]) {
            i++;
        } else {
            j++;
        }
    }
    return -1;
}

cp_status cli_unique(char **items, int count, const char *option, cp_error *err) {
    for (int i = 0; i < count; i++) {
        for (int j = 0; j < i; j++) {
            if (strcmp(items[i], items[j]) == 0) {
                return cp_error_set(err, CP_E_INVALID, "%s names '%s' twice", option, items[i]);
            }
        }
    }
    return CP_OK;
}

void cli_progress(const cli_args *a, const char *label, long done, long total, double t0) {
    if (a->quiet || !isatty(STDERR_FILENO)) {
        return;
    }
    double el = cli_now() - t0;
    double rate = el > 0 ? (double)done / el : 0;
    double eta = rate > 0 ? (double)(total - done) / rate : 0;
    fprintf(stderr, "\r%s %ld/%ld  %.1f/s  ETA %.0fs   ", label, done, total, rate, eta);
    if (done >= total) {
        fprintf(stderr, "\n");
    }
    fflush(stderr);
}

int cli_run(int (*cmd)(int, char **), const char *fmt, ...) {
    char buf[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    char *argv[128];
    int argc = 0;
    char *save = NULL;
    for (char *tok = strtok_r(buf, " ", &save); tok != NULL && argc < 127;
         tok = strtok_r(NULL, " ", &save)) {
        argv[argc++] = tok;
    }
    argv[argc] = NULL;
    return cmd(argc, argv);
}

cp_status cli_share_layer(const cli_args *a, const cp_graph *g, const char *path, int *layer,
                          cp_error *err) {
    const char *lname = cli_get(a, "layer", "ownership");
    *layer = cp__graph_find_layer(g, lname);
    if (*layer < 0) {
        return cp_error_set(err, CP_E_INVALID, "%s has no layer '%s' (use --layer)", path, lname);
    }
    if (g->layers[*layer].meaning != CP_MEANING_SHARE) {
        return cp_error_set(err, CP_E_INVALID,
                            "layer '%s' holds %s weights, not ownership shares (meaning share)",
                            lname, cp_weight_meaning_name(g->layers[*layer].meaning));
    }
    return CP_OK;
}
