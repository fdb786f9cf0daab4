/* chokepoint sweep: validation with line numbers, the product's size, equality with the same
 * scenarios run by `simulate`, and a sweep killed midway (SIGKILL) then resumed, which must
 * equal an uninterrupted run exactly. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../io/results.h"
#include "cp_test.h"

static void make_net(const char *dir, const char *name, int nodes, int seed) {
    char args[2048];
    snprintf(args, sizeof args, "generate sanctions-net --nodes %d --seed %d -o %s/%s --quiet",
             nodes, seed, dir, name);
    cp_test_expect(args, 0, NULL);
}

/* Every dataset under group of file a equals the one in file b, value for value (NaN equals NaN);
 * recursive. Returns the number of datasets compared. */
static int expect_same_group(const char *a, const char *b, const char *group) {
    char **names = NULL;
    int count = 0, compared = 0;
    cp_error err;
    cr_assert_eq(cp_h5_list(a, group, &names, &count, &err), CP_OK, "%s", err.msg);
    for (int i = 0; i < count; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", group, names[i]);
        double *x = NULL, *y = NULL;
        int64_t dx[2], dy[2];
        if (cp_h5_read_f64(a, path, &x, dx, &err) != CP_OK) {
            compared += expect_same_group(a, b, path); /* a group */
            continue;
        }
        cr_assert_eq(cp_h5_read_f64(b, path, &y, dy, &err), CP_OK, "%s missing in %s: %s", path, b,
                     err.msg);
        cr_assert(dx[0] == dy[0] && dx[1] == dy[1], "%s: shape %lldx%lld vs %lldx%lld", path,
                  (long long)dx[0], (long long)dx[1], (long long)dy[0], (long long)dy[1]);
        for (int64_t q = 0; q < dx[0] * dx[1]; q++) {
            cr_assert(x[q] == y[q] || (x[q] != x[q] && y[q] != y[q]), "%s[%lld]: %.17g vs %.17g",
                      path, (long long)q, x[q], y[q]);
        }
        free(x);
        free(y);
        compared++;
    }
    cp_h5_free_names(names, count);
    return compared;
}

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

/* Writes a broken scenario file and expects exit 2 and each needle in the output. */
static void expect_mistakes(const char *dir, const char *text, const char *const *needles) {
    char yaml[1024], args[2048];
    snprintf(yaml, sizeof yaml, "%s/bad.yaml", dir);
    cp_test_write(yaml, text);
    snprintf(args, sizeof args, "sweep %s -o %s/bad.h5", yaml, dir);
    char *out = NULL;
    int rc = cp_test_cli(args, &out);
    cr_assert_eq(rc, 2, "exit %d, expected 2:\n%s", rc, out);
    for (int i = 0; needles[i] != NULL; i++) {
        cr_assert(strstr(out, needles[i]) != NULL, "'%s' not reported:\n%s", needles[i], out);
    }
    free(out);
}

Test(sweep, every_mistake_is_reported_with_its_line) {
    const char *dir = cp_test_tmpdir();
    make_net(dir, "net.h5", 200, 3);
    /* Mistakes of structure and of values, one per line, all listed in one run, and the ones
     * that need the graph (an unknown group, layer, a bad measure option) too. */
    static const char *const n1[] = {"bad.yaml line 4, column 18: metrics: 'flux'",
                                     "line 5, column 22: strategies: 'magic'",
                                     "line 6, column 10: budgets: the range's to (1)",
                                     "line 7, column 9: rounds: 0 is not an integer",
                                     "line 8, column 10: reroute: 1.5 is outside [0, 1]",
                                     "line 9, column 1: unknown key 'colour'",
                                     "line 10, column 18: closures: 'fatf'",
                                     "line 11, column 23: measure: unknown option 'wobble'",
                                     "line 2: --sources: the graph has no group 'nowhere'",
                                     "line 11: --damping 2",
                                     "line 12: --layers: the graph has no layer 'money'",
                                     "11 mistakes in the scenario file",
                                     NULL};
    expect_mistakes(dir,
                    "graph: net.h5\n"
                    "sources: group:nowhere\n"
                    "targets: group:bank\n"
                    "metrics: [reach, flux]\n"
                    "strategies: [degree, magic]\n"
                    "budgets: {from: 2, to: 1}\n"
                    "rounds: [1, 0]\n"
                    "reroute: 1.5\n"
                    "colour: blue\n"
                    "closures: [ofac, fatf]\n"
                    "measure: {damping: 2, wobble: 1}\n"
                    "layers: [transaction, money]\n",
                    n1);
    /* A YAML syntax error: the first one, with its line. */
    static const char *const n2[] = {"bad.yaml line 3, column 1: YAML:", NULL};
    expect_mistakes(dir, "graph: net.h5\nsources: [a, b\n", n2);
    /* Required keys, duplicates, lists and types. */
    static const char *const n3[] = {"line 2, column 1: 'graph' is given twice",
                                     "line 3, column 21: modes names 'sequential' twice",
                                     "line 4, column 8: seeds: expected a count N >= 1",
                                     "line 5, column 9: rerank: expected yes or no",
                                     "needs sources and targets",
                                     "needs strategies",
                                     NULL};
    expect_mistakes(dir,
                    "graph: net.h5\n"
                    "graph: other.h5\n"
                    "modes: [sequential, sequential]\n"
                    "seeds: 0\n"
                    "rerank: perhaps\n",
                    n3);
    /* Rules across keys. */
    static const char *const n4[] = {"line 5: objective flow: strategy greedy takes",
                                     "line 6: reinsert cannot be combined with a closure", NULL};
    expect_mistakes(dir,
                    "graph: net.h5\nsources: group:origin\ntargets: group:bank\n"
                    "strategies: greedy\nobjective: flow\nreinsert: yes\nclosures: [none, ofac]\n",
                    n4);
    /* A missing graph file is reported at its line. */
    static const char *const n5[] = {"bad.yaml line 1: graph:", NULL};
    expect_mistakes(dir,
                    "graph: nothere.h5\nsources: group:origin\ntargets: group:bank\n"
                    "strategies: degree\n",
                    n5);
    /* No output: a usage error. */
    char args[2048];
    snprintf(args, sizeof args, "sweep %s/bad.yaml", dir);
    cp_test_expect(args, 1, "expected: chokepoint sweep");
}

Test(sweep, the_product_size_counts_ranges_and_drops_what_a_mode_ignores) {
    const char *dir = cp_test_tmpdir();
    make_net(dir, "net.h5", 200, 3);
    char yaml[1024], args[2048];
    snprintf(yaml, sizeof yaml, "%s/s.yaml", dir);
    /* 2 strategies x 3 modes x 2 budgets x 2 rounds x 2 reroute = 48 combinations; simultaneous
     * ignores the round size (8 distinct), adaptive the reroute probability (8), sequential
     * neither (16): 32 distinct x 3 seeds = 96. */
    cp_test_write(yaml, "graph: net.h5\nsources: group:origin\ntargets: group:bank\n"
                        "strategies: degree, random\nbudgets: [2, 4]\nrounds: [1, 2]\n"
                        "reroute: [0, 0.5]\nseeds: [7, 8, 9]\n");
    snprintf(args, sizeof args, "sweep %s --dry-run", yaml);
    cp_test_expect(args, 0, "96 scenarios (32 parameter combinations x 3 seeds; 16 ");
    /* Ranges: budgets 2, 6, 10; reroute 0, 0.25, ..., 1; seeds 1, 3, 5; closures x 2. */
    cp_test_write(yaml, "graph: net.h5\nsources: group:origin\ntargets: group:bank\n"
                        "strategies: [degree]\nmodes: sequential\n"
                        "budgets: {from: 2, to: 10, step: 4}\n"
                        "reroute: {from: 0, to: 1, step: 0.25}\n"
                        "seeds: {from: 1, to: 5, step: 2}\nclosures: [none, ofac]\n");
    cp_test_expect(args, 0, "90 scenarios (30 parameter combinations x 3 seeds; 0 ");
}

Test(sweep, merged_groups_equal_simulate_value_for_value) {
    const char *dir = cp_test_tmpdir();
    make_net(dir, "net.h5", 300, 4);
    char yaml[1024], args[4096], out[1024], sim[1024], sim2[1024];
    snprintf(yaml, sizeof yaml, "%s/s.yaml", dir);
    snprintf(out, sizeof out, "%s/sweep.h5", dir);
    snprintf(sim, sizeof sim, "%s/sim.h5", dir);
    snprintf(sim2, sizeof sim2, "%s/sim2.h5", dir);
    cp_test_write(yaml, "# one budget, round and response: names as simulate gives them\n"
                        "graph: net.h5\n"
                        "sources: group:origin\n"
                        "targets: group:bank\n"
                        "candidates: [group:front, group:gateway]\n"
                        "metrics: reach, flow, lcc, pairs\n"
                        "strategies: [degree, random, st-betweenness]\n"
                        "modes: [simultaneous, sequential]\n"
                        "budgets: 5\n"
                        "rounds: 2\n"
                        "reroute: 0.4\n"
                        "closures: [none, ofac]\n"
                        "seeds: 3\n");
    snprintf(args, sizeof args, "sweep %s -o %s --quiet", yaml, out);
    cp_test_expect(args, 0, NULL);
    snprintf(args, sizeof args,
             "simulate %s/net.h5 --sources group:origin --targets group:bank --candidates "
             "group:front+group:gateway --metrics reach,flow,lcc,pairs --strategy "
             "degree,random,st-betweenness --mode simultaneous,sequential --budget 5 --round 2 "
             "--reroute 0.4 --seeds 3 --seed 1 -o %s --quiet",
             dir, sim);
    cp_test_expect(args, 0, NULL);
    snprintf(args, sizeof args,
             "simulate %s/net.h5 --sources group:origin --targets group:bank --candidates "
             "group:front+group:gateway --metrics reach,flow,lcc,pairs --strategy "
             "degree,random,st-betweenness --mode simultaneous,sequential --budget 5 --round 2 "
             "--reroute 0.4 --seeds 3 --seed 1 --closure ofac -o %s --quiet",
             dir, sim2);
    cp_test_expect(args, 0, NULL);
    static const char *const st[] = {"degree", "random", "st-betweenness"};
    static const char *const md[] = {"simultaneous", "sequential"};
    int compared = 0;
    for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 2; j++) {
            for (int c = 0; c < 2; c++) {
                char a[256], b[256];
                snprintf(a, sizeof a, "/scenarios/%s-%s-%s", st[i], md[j], c ? "ofac" : "none");
                snprintf(b, sizeof b, "/scenarios/%s-%s", st[i], md[j]);
                /* The same datasets under another name: compare through a copy of names. */
                char **na = NULL, **nb = NULL;
                int ca = 0, cb = 0;
                cp_error err;
                cr_assert_eq(cp_h5_list(out, a, &na, &ca, &err), CP_OK, "%s", err.msg);
                cr_assert_eq(cp_h5_list(c ? sim2 : sim, b, &nb, &cb, &err), CP_OK, "%s", err.msg);
                cr_assert_eq(ca, cb, "%s: %d members, simulate has %d", a, ca, cb);
                cp_h5_free_names(na, ca);
                cp_h5_free_names(nb, cb);
                static const char *const ds[] = {
                    "removed",     "curve/reach",        "curve/flow",        "curve/lcc",
                    "curve/pairs", "curve_before/reach", "curve_before/flow", "response/edge",
                    "response/to", "response/seed",      "closure/node",      "closure/step"};
                for (size_t q = 0; q < sizeof ds / sizeof ds[0]; q++) {
                    char pa[512], pb[512];
                    snprintf(pa, sizeof pa, "%s/%s", a, ds[q]);
                    snprintf(pb, sizeof pb, "%s/%s", b, ds[q]);
                    if (strncmp(ds[q], "closure", 7) == 0 && c == 0) {
                        cr_assert_eq(cp_h5_exists(out, pa), 0, "%s without a closure", pa);
                        continue;
                    }
                    double *x = NULL, *y = NULL;
                    int64_t dx[2], dy[2];
                    cr_assert_eq(cp_h5_read_f64(out, pa, &x, dx, &err), CP_OK, "%s", err.msg);
                    cr_assert_eq(cp_h5_read_f64(c ? sim2 : sim, pb, &y, dy, &err), CP_OK, "%s",
                                 err.msg);
                    cr_assert(dx[0] == dy[0] && dx[1] == dy[1], "%s: shapes differ", pa);
                    for (int64_t e = 0; e < dx[0] * dx[1]; e++) {
                        cr_assert(x[e] == y[e], "%s[%lld]: sweep %.17g, simulate %.17g", pa,
                                  (long long)e, x[e], y[e]);
                    }
                    free(x);
                    free(y);
                    compared++;
                }
                double k = 0, seeds = 0;
                cr_assert_eq(cp_h5_read_attr_f64(out, a, "budget", &k, &err), CP_OK);
                cr_assert_eq(cp_h5_read_attr_f64(out, a, "seeds", &seeds, &err), CP_OK);
                cr_assert(k == 5 && seeds == 3);
                char *cl = NULL;
                cr_assert_eq(cp_h5_read_attr_str(out, a, "closure", &cl, &err), CP_OK);
                cr_assert_str_eq(cl, c ? "ofac" : "none");
                free(cl);
            }
        }
    }
    cr_assert_eq(compared, 6 * (10 + 12), "compared %d datasets", compared);
    /* The minimum-cut bound is the same question as simulate's. */
    double cut_sweep = -2, cut_sim = -3;
    cp_error err;
    cr_assert_eq(cp_h5_read_attr_f64(out, "/scenarios", "min_cut_size", &cut_sweep, &err), CP_OK,
                 "%s", err.msg);
    cr_assert_eq(cp_h5_read_attr_f64(sim, "/scenarios", "min_cut_size", &cut_sim, &err), CP_OK);
    cr_assert_eq(cut_sweep, cut_sim);
    /* compare reads the merged file. */
    snprintf(args, sizeof args, "compare %s", out);
    cp_test_expect(args, 0, "degree");
    /* The work folder is gone after the merge. */
    char parts[1100];
    snprintf(parts, sizeof parts, "%s.parts", out);
    cr_assert_eq(access(parts, F_OK), -1, "%s was left behind", parts);
}

Test(sweep, null_rewire_is_validated_and_equals_simulate_null_rewire) {
    const char *dir = cp_test_tmpdir();
    make_net(dir, "net.h5", 250, 6);
    /* Mistakes in the null keys, each at its line. */
    static const char *const n1[] = {"line 5, column 7: null: expected rewire or none",
                                     "line 6, column 15: null-samples: expected an integer",
                                     "line 7, column 13: null-swaps: expected a number",
                                     "3 mistakes in the scenario file", NULL};
    expect_mistakes(dir,
                    "graph: net.h5\nsources: group:origin\ntargets: group:bank\n"
                    "strategies: degree\nnull: shuffle\nnull-samples: 0\nnull-swaps: -1\n",
                    n1);
    static const char *const n2[] = {"line 5, column 15: null-samples: only used with null: rewire",
                                     "1 mistake in the scenario file", NULL};
    expect_mistakes(dir,
                    "graph: net.h5\nsources: group:origin\ntargets: group:bank\n"
                    "strategies: degree\nnull-samples: 4\nnull: none\n",
                    n2);
    /* A sweep with the null model equals simulate --null rewire, null curves included. The seed
     * list starts at 5: the rewirings use the first seed, as simulate --seed 5 does. */
    char yaml[1024], args[4096], out[1024], sim[1024];
    snprintf(yaml, sizeof yaml, "%s/n.yaml", dir);
    snprintf(out, sizeof out, "%s/sweep.h5", dir);
    snprintf(sim, sizeof sim, "%s/sim.h5", dir);
    cp_test_write(yaml, "graph: net.h5\nsources: group:origin\ntargets: group:bank\n"
                        "metrics: [reach, lcc, flow]\nstrategies: [degree, random]\n"
                        "modes: [simultaneous, sequential]\nbudgets: 4\nrounds: 2\n"
                        "reroute: 0.3\nseeds: [5, 6]\n"
                        "null: rewire\nnull-samples: 3\nnull-swaps: 2.5\n");
    snprintf(args, sizeof args, "sweep %s --dry-run", yaml);
    cp_test_expect(args, 0, "each scenario also runs on 3 rewired graphs (2.5 swaps per edge)");
    snprintf(args, sizeof args, "sweep %s -o %s --quiet", yaml, out);
    cp_test_expect(args, 0, NULL);
    snprintf(args, sizeof args,
             "simulate %s/net.h5 --sources group:origin --targets group:bank --metrics "
             "reach,lcc,flow --strategy degree,random --mode simultaneous,sequential --budget 4 "
             "--round 2 --reroute 0.3 --seeds 2 --seed 5 --null rewire --null-samples 3 "
             "--null-swaps 2.5 -o %s --quiet",
             dir, sim);
    cp_test_expect(args, 0, NULL);
    /* Every dataset of simulate's groups is in the sweep's, value for value, and no more. */
    int n = expect_same_group(sim, out, "/scenarios");
    cr_assert_eq(n, expect_same_group(out, sim, "/scenarios"));
    static const char *const st[] = {"degree", "random"};
    static const char *const md[] = {"simultaneous", "sequential"};
    static const char *const mets[] = {"reach", "lcc", "flow"};
    cp_error err;
    int null_sets = 0;
    for (int i = 0; i < 2; i++) {
        for (int j = 0; j < 2; j++) {
            char g[256], p[512];
            snprintf(g, sizeof g, "/scenarios/%s-%s", st[i], md[j]);
            for (int m = 0; m < 3; m++) {
                snprintf(p, sizeof p, "%s/null/curve/%s", g, mets[m]);
                double *x = NULL;
                int64_t d[2];
                cr_assert_eq(cp_h5_read_f64(out, p, &x, d, &err), CP_OK, "%s", err.msg);
                cr_assert(d[0] == 3 * 2 && d[1] == 5, "%s: %lldx%lld", p, (long long)d[0],
                          (long long)d[1]);
                free(x);
                null_sets++;
            }
            char *nm = NULL;
            double runs = 0;
            cr_assert_eq(cp_h5_read_attr_str(out, g, "null", &nm, &err), CP_OK, "%s", err.msg);
            cr_assert_str_eq(nm, "rewire");
            free(nm);
            cr_assert_eq(cp_h5_read_attr_f64(out, g, "null_runs", &runs, &err), CP_OK);
            cr_assert_eq(runs, 6);
        }
    }
    cr_assert_eq(null_sets, 12);
    cr_assert(n >= 4 * (1 + 3 * 3), "compared only %d datasets", n);
    double a = 0, b = 0;
    cr_assert_eq(cp_h5_read_attr_f64(out, "/scenarios", "null_samples", &a, &err), CP_OK);
    cr_assert_eq(cp_h5_read_attr_f64(sim, "/scenarios", "null_samples", &b, &err), CP_OK);
    cr_assert(a == 3 && b == 3);
    cr_assert_eq(cp_h5_read_attr_f64(out, "/scenarios", "null_swaps_per_edge", &a, &err), CP_OK);
    cr_assert_eq(cp_h5_read_attr_f64(sim, "/scenarios", "null_swaps_per_edge", &b, &err), CP_OK);
    cr_assert(a == 2.5 && b == 2.5);
    /* The null parameters are part of each unit's name: another sample count is another sweep,
     * not a resume of this one. */
    char parts[1100], keep[1100];
    snprintf(keep, sizeof keep, "%s/keep", dir);
    snprintf(args, sizeof args, "sweep %s -o %s --quiet --keep-parts --work-dir %s", yaml, out,
             keep);
    cp_test_expect(args, 0, NULL);
    int before = count_parts(keep);
    cr_assert_eq(before, 2 * 2 * 2);
    cp_test_write(yaml, "graph: net.h5\nsources: group:origin\ntargets: group:bank\n"
                        "metrics: [reach, lcc, flow]\nstrategies: [degree, random]\n"
                        "modes: [simultaneous, sequential]\nbudgets: 4\nrounds: 2\n"
                        "reroute: 0.3\nseeds: [5, 6]\n"
                        "null: rewire\nnull-samples: 2\nnull-swaps: 2.5\n");
    snprintf(args, sizeof args, "sweep %s -o %s --resume --keep-parts --work-dir %s", yaml, out,
             keep);
    cp_test_expect(args, 0, "8 to run, 0 already finished");
    cr_assert_eq(count_parts(keep), 16);
    snprintf(parts, sizeof parts, "%s.parts", out);
    cr_assert_eq(access(parts, F_OK), -1, "%s was left behind", parts);
}

/* Runs the CLI in the background with argv, returning its pid. */
static pid_t spawn_cli(char *const argv[]) {
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        int fd = open("/dev/null", O_WRONLY);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
        }
        execv(CP_CLI_PATH, argv);
        _exit(127);
    }
    return pid;
}

Test(sweep, a_sweep_killed_midway_resumes_to_the_uninterrupted_result, .timeout = 600) {
    const char *dir = cp_test_tmpdir();
    make_net(dir, "big.h5", 3000, 5);
    char yaml[1024], args[4096], whole[1024], resumed[1024], parts[1100];
    snprintf(yaml, sizeof yaml, "%s/k.yaml", dir);
    snprintf(whole, sizeof whole, "%s/whole.h5", dir);
    snprintf(resumed, sizeof resumed, "%s/resumed.h5", dir);
    snprintf(parts, sizeof parts, "%s.parts", resumed);
    cp_test_write(yaml, "graph: big.h5\nsources: group:origin\ntargets: group:bank\n"
                        "metrics: [reach, flow, lcc]\n"
                        "strategies: [st-betweenness, degree, random]\n"
                        "modes: [sequential, adaptive]\nbudgets: [4, 8, 12]\n"
                        "reroute: 0.5\nclosures: [none, ofac]\nseeds: {from: 1, to: 4}\n");
    snprintf(args, sizeof args, "sweep %s -o %s --quiet --threads 1", yaml, whole);
    cp_test_expect(args, 0, NULL);
    /* The same sweep, killed once a few scenarios are on disk. */
    char *argv[] = {"chokepoint", "sweep", yaml, "-o", resumed, "--quiet", "--threads", "1", NULL};
    pid_t pid = spawn_cli(argv);
    int parts_seen = 0;
    for (int i = 0; i < 20000 && parts_seen < 6; i++) {
        parts_seen = count_parts(parts);
        struct timespec ts = {0, 2000000};
        nanosleep(&ts, NULL);
    }
    kill(pid, SIGKILL);
    int wstatus = 0;
    waitpid(pid, &wstatus, 0);
    cr_assert(WIFSIGNALED(wstatus) && WTERMSIG(wstatus) == SIGKILL,
              "the sweep ended before it could be killed (%d parts seen)", parts_seen);
    int kept = count_parts(parts);
    cr_assert(kept >= 6 && kept < 144, "%d parts after the kill", kept);
    /* Without --resume the finished work is not thrown away silently. */
    snprintf(args, sizeof args, "sweep %s -o %s --quiet", yaml, resumed);
    cp_test_expect(args, 1, "pass --resume");
    char *out = NULL;
    snprintf(args, sizeof args, "sweep %s -o %s --resume --threads 1", yaml, resumed);
    int rc = cp_test_cli(args, &out);
    cr_assert_eq(rc, 0, "%s", out);
    char expect[128];
    snprintf(expect, sizeof expect, "%d to run, %d already finished", 144 - kept, kept);
    cr_assert(strstr(out, expect) != NULL, "expected '%s' in:\n%s", expect, out);
    free(out);
    int n = expect_same_group(whole, resumed, "/scenarios");
    cr_assert(n > 36 * 10, "compared only %d datasets", n);
}
