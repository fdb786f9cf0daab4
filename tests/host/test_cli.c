#define _POSIX_C_SOURCE 200809L
/* The command-line interface end to end: the demo, exit codes and messages for bad input, and
 * that a failed command leaves no partial output file. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../io/results.h"
#include "cp_test.h"

static bool exists(const char *path) {
    return access(path, F_OK) == 0;
}

Test(cli, demo_runs_end_to_end) {
    const char *dir = cp_test_tmpdir();
    char args[4096], path[4096];
    snprintf(args, sizeof args, "demo --outdir %s --seeds 2 --budget 4 --quiet", dir);
    char *out = NULL;
    int rc = cp_test_cli(args, &out);
    cr_assert_eq(rc, 0, "demo failed:\n%s", out);
    cr_assert(strstr(out, "metric flow") != NULL, "%s", out);
    cr_assert(strstr(out, "st-betweenness") != NULL);
    free(out);
    const char *files[] = {"sanctions-net.h5", "ranks.h5", "sim.h5", "blocked.h5"};
    for (int i = 0; i < 4; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        cr_assert(exists(path), "missing %s", path);
        snprintf(path, sizeof path, "%s/%s.tmp", dir, files[i]);
        cr_assert(!exists(path), "left a temporary file %s", path);
    }
    /* compare in every format */
    snprintf(args, sizeof args, "compare %s/sim.h5 --format csv --metric flow", dir);
    cp_test_expect(args, 0, "table,file,strategy");
    snprintf(args, sizeof args, "compare %s/sim.h5 --format markdown --metric reach", dir);
    cp_test_expect(args, 0, "| strategy |");
}

Test(cli, generate_is_byte_identical_for_a_seed) {
    const char *dir = cp_test_tmpdir();
    char args[4096], a[1024], b[1024], c[1024];
    snprintf(a, sizeof a, "%s/a.h5", dir);
    snprintf(b, sizeof b, "%s/b.h5", dir);
    snprintf(c, sizeof c, "%s/c.h5", dir);
    snprintf(args, sizeof args, "generate sanctions-net --seed 5 -o %s --quiet", a);
    cp_test_expect(args, 0, NULL);
    sleep(1); /* a file that stored creation times would now differ */
    snprintf(args, sizeof args, "generate sanctions-net --seed 5 -o %s --quiet", b);
    cp_test_expect(args, 0, NULL);
    snprintf(args, sizeof args, "generate sanctions-net --seed 6 -o %s --quiet", c);
    cp_test_expect(args, 0, NULL);
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "cmp -s %s %s", a, b);
    cr_assert_eq(system(cmd), 0, "same seed, different bytes");
    snprintf(cmd, sizeof cmd, "cmp -s %s %s", a, c);
    cr_assert_neq(system(cmd), 0, "different seeds, same bytes");
}

Test(cli, bad_matrix_market_files_exit_2_without_output) {
    const char *dir = cp_test_shared("datasets/matrix-market");
    if (dir == NULL) {
        cr_skip_test("../shared/datasets/matrix-market is absent");
    }
    char mm[1024];
    snprintf(mm, sizeof mm, "%s", dir);
    const char *tmp = cp_test_tmpdir();
    DIR *d = opendir(mm);
    cr_assert_not_null(d);
    struct dirent *ent;
    int checked = 0;
    while ((ent = readdir(d)) != NULL) {
        const char *name = ent->d_name;
        if (!(strncmp(name, "mangled", 7) == 0 || strcmp(name, "full_noheader.mtx") == 0 ||
              strcmp(name, "empty.mtx") == 0)) {
            continue;
        }
        char args[4096], out_path[2048], tmp_path[2100];
        snprintf(out_path, sizeof out_path, "%s/%s.h5", tmp, name);
        snprintf(tmp_path, sizeof tmp_path, "%s.tmp", out_path);
        snprintf(args, sizeof args, "import %s/%s -o %s", mm, name, out_path);
        cp_test_expect(args, 2, name);
        cr_assert(!exists(out_path) && !exists(tmp_path), "%s left an output file", name);
        checked++;
    }
    closedir(d);
    cr_assert_eq(checked, 18, "expected 16 mangled files plus full_noheader and empty");
}

Test(cli, bad_csv_weights_exit_2_naming_the_line) {
    const char *dir = cp_test_tmpdir();
    char path[1024], out[1024], args[4096];
    snprintf(path, sizeof path, "%s/nan.csv", dir);
    snprintf(out, sizeof out, "%s/out.h5", dir);
    cp_test_write(path, "source,target,amount\na,b,1.5\nC,D,nan\n");
    snprintf(args, sizeof args, "import %s --weight-col amount -o %s", path, out);
    cp_test_expect(args, 2, "nan.csv");
    cp_test_expect(args, 2, "3");
    cr_assert(!exists(out));
    cp_test_write(path, "source,target,amount\na,b,1.5\nC,D,-2\n");
    cp_test_expect(args, 2, "nan.csv");
    cr_assert(!exists(out));
    /* An edge endpoint missing from the node table. */
    char nodes[1024];
    snprintf(nodes, sizeof nodes, "%s/nodes.csv", dir);
    cp_test_write(path, "source,target,amount\na,b,1.5\na,zz,2\n");
    cp_test_write(nodes, "id\na\nb\n");
    snprintf(args, sizeof args, "import %s --nodes %s --weight-col amount -o %s", path, nodes, out);
    cp_test_expect(args, 2, "zz");
    cr_assert(!exists(out));
}

Test(cli, bad_graph_files_exit_2) {
    const char *dir = cp_test_tmpdir();
    char good[1024], bad[1024], args[4096], cmd[4096];
    snprintf(good, sizeof good, "%s/good.h5", dir);
    snprintf(args, sizeof args, "generate rmat --scale 8 -o %s --quiet", good);
    cp_test_expect(args, 0, NULL);
    /* Truncated to half its size. */
    snprintf(bad, sizeof bad, "%s/trunc.h5", dir);
    snprintf(cmd, sizeof cmd, "head -c $(( $(stat -c %%s %s) / 2 )) %s > %s", good, good, bad);
    cr_assert_eq(system(cmd), 0);
    snprintf(args, sizeof args, "info %s", bad);
    cp_test_expect(args, 2, "trunc.h5");
    /* Not HDF5 at all. */
    snprintf(bad, sizeof bad, "%s/text.h5", dir);
    cp_test_write(bad, "this is not an HDF5 file\n");
    snprintf(args, sizeof args, "info %s", bad);
    cp_test_expect(args, 2, "text.h5");
    /* Missing file. */
    snprintf(args, sizeof args, "info %s/nope.h5", dir);
    cp_test_expect(args, 2, "nope.h5");
    /* A results file is not a graph file (wrong schema). */
    char res[1024];
    snprintf(res, sizeof res, "%s/ranks.h5", dir);
    snprintf(args, sizeof args, "rank %s -o %s --measure degree --quiet", good, res);
    cp_test_expect(args, 0, NULL);
    snprintf(args, sizeof args, "info %s", res);
    cp_test_expect(args, 2, "schema");
}

Test(cli, usage_errors_exit_1_and_devices_exit_3) {
    const char *dir = cp_test_tmpdir();
    char g[1024], args[4096];
    snprintf(g, sizeof g, "%s/net.h5", dir);
    snprintf(args, sizeof args, "generate sanctions-net --nodes 300 -o %s --quiet", g);
    cp_test_expect(args, 0, NULL);
    cp_test_expect("frobnicate", 1, "unknown command");
    snprintf(args, sizeof args, "info %s --no-such-option", g);
    cp_test_expect(args, 1, "--no-such-option");
    /* A value option given twice would lose one silently: refused, and -o "" too. */
    snprintf(args, sizeof args, "rank %s --measure degree --measure pagerank -o %s/r.h5", g, dir);
    cp_test_expect(args, 1, "--measure is given twice");
    snprintf(args, sizeof args, "rank %s --measure degree -o ''", g);
    cp_test_expect(args, 1, "empty file name");
    snprintf(args, sizeof args,
             "simulate %s -o %s/s.h5 --sources group:nope --targets group:bank --quiet", g, dir);
    cp_test_expect(args, 1, "no group 'nope'");
    snprintf(args, sizeof args,
             "simulate %s -o %s/s.h5 --sources group:origin --targets group:bank --reroute 2", g,
             dir);
    cp_test_expect(args, 1, "--reroute");
    /* The output may not be the input. */
    snprintf(args, sizeof args, "rank %s -o %s --measure degree", g, g);
    cp_test_expect(args, 1, "input");
    /* No GPU here: --device cuda is a resource error; auto falls back with a notice. */
    setenv("CHOKEPOINT_CUDA_PLUGIN", "/nonexistent/libchokepoint_cuda.so", 1);
    snprintf(args, sizeof args, "rank %s --measure degree --device cuda", g);
    cp_test_expect(args, 3, "CUDA");
    snprintf(args, sizeof args, "rank %s --measure degree --device auto", g);
    cp_test_expect(args, 0, "notice: no GPU in use");
    unsetenv("CHOKEPOINT_CUDA_PLUGIN");
}

Test(cli, block_and_simulate_list_strategy) {
    const char *dir = cp_test_tmpdir();
    char g[1024], args[4096], order[1024];
    snprintf(g, sizeof g, "%s/net.h5", dir);
    snprintf(args, sizeof args, "generate sanctions-net --nodes 500 --seed 2 -o %s --quiet", g);
    cp_test_expect(args, 0, NULL);
    snprintf(args, sizeof args, "block %s --designated group:origin -o %s/b.h5", g, dir);
    cp_test_expect(args, 0, "newly blocked");
    snprintf(order, sizeof order, "%s/order.txt", dir);
    cp_test_write(order, "# gateways first\n"); /* empty order: nothing to remove */
    snprintf(args, sizeof args,
             "simulate %s -o %s/l.h5 --strategy list --order %s --sources group:origin "
             "--targets group:bank --budget 2 --mode simultaneous --quiet",
             g, dir, order);
    cp_test_expect(args, 0, NULL);
    cp_test_write(order, "no-such-id\n");
    cp_test_expect(args, 2, "no-such-id");
}

Test(cli, inputs_are_never_overwritten_and_lists_are_checked_first) {
    const char *dir = cp_test_tmpdir();
    char g[1024], list[1024], args[4096];
    snprintf(g, sizeof g, "%s/net.h5", dir);
    snprintf(args, sizeof args, "generate sanctions-net --nodes 400 -o %s --quiet", g);
    cp_test_expect(args, 0, NULL);
    snprintf(list, sizeof list, "%s/ids.txt", dir);
    cp_test_write(list, "0\n1\n");
    snprintf(args, sizeof args,
             "rank %s -o %s --measure st-betweenness --sources list:%s --targets group:bank", g,
             list, list);
    cp_test_expect(args, 1, "refusing to overwrite");
    snprintf(args, sizeof args, "block %s --designated group:bank+list:%s -o %s", g, list, list);
    cp_test_expect(args, 1, "refusing to overwrite");
    FILE *f = fopen(list, "r");
    char line[64] = "";
    cr_assert_not_null(fgets(line, sizeof line, f));
    fclose(f);
    cr_assert_str_eq(line, "0\n", "the list file was changed");
    snprintf(args, sizeof args, "rank %s -o %s --measure degree", g, dir);
    cp_test_expect(args, 1, "is a directory");
    /* Items named twice, empty sets, S = T for the flow measure. */
    snprintf(args, sizeof args,
             "simulate %s -o %s/s.h5 --strategy degree,degree --sources group:origin "
             "--targets group:bank",
             g, dir);
    cp_test_expect(args, 1, "twice");
    snprintf(args, sizeof args, "rank %s --measure flow --sources ids: --targets group:bank", g);
    cp_test_expect(args, 1, "names no node");
    snprintf(args, sizeof args, "rank %s --measure flow --sources group:bank --targets group:bank",
             g);
    cp_test_expect(args, 1, "unbounded");
}

Test(cli, huge_declared_sizes_are_refused_before_allocating) {
    const char *dir = cp_test_tmpdir();
    char mtx[1024], out[1024], args[4096];
    snprintf(mtx, sizeof mtx, "%s/huge.mtx", dir);
    snprintf(out, sizeof out, "%s/huge.h5", dir);
    cp_test_write(mtx, "%%MatrixMarket matrix coordinate real general\n"
                       "2000000000 2000000000 2\n1 2 1\n2000000000 1 1\n");
    snprintf(args, sizeof args, "import %s -o %s", mtx, out);
    cp_test_expect(args, 3, "huge.mtx");
    cr_assert(!exists(out));
}

Test(cli, compare_and_import_reject_bad_values) {
    const char *dir = cp_test_tmpdir();
    char args[4096], csv[1024], nodes[1024];
    snprintf(args, sizeof args, "demo --outdir %s --seeds 1 --budget 2 --quiet", dir);
    cp_test_expect(args, 0, NULL);
    snprintf(args, sizeof args, "compare %s/sim.h5 --metric foo", dir);
    cp_test_expect(args, 1, "--metric foo");
    snprintf(args, sizeof args, "compare %s/sim.h5 --at 99", dir);
    cp_test_expect(args, 1, "--at 99");
    snprintf(args, sizeof args, "compare %s/sim.h5 --metric flow --level 1.5", dir);
    cp_test_expect(args, 0, "k(<=1.5)");
    snprintf(args, sizeof args, "compare %s/sim.h5 --level high", dir);
    cp_test_expect(args, 1, "--level high");
    snprintf(args, sizeof args, "compare %s/sanctions-net.h5", dir);
    cp_test_expect(args, 2, "chokepoint-graph");
    snprintf(csv, sizeof csv, "%s/e.csv", dir);
    snprintf(nodes, sizeof nodes, "%s/n.csv", dir);
    cp_test_write(csv, "source,target\n1,2\n2,3\n");
    cp_test_write(nodes, "id,g\n1,..\n2,x\n3,x\n");
    snprintf(args, sizeof args, "import %s --nodes %s --groups-col g -o %s/ng.h5", csv, nodes, dir);
    cp_test_expect(args, 2, "n.csv:2");
}

Test(cli, rank_every_measure_and_simulate_by_it) {
    const char *dir = cp_test_tmpdir();
    char g[1024], out[1024], args[4096];
    snprintf(g, sizeof g, "%s/net.h5", dir);
    snprintf(out, sizeof out, "%s/ranks.h5", dir);
    snprintf(args, sizeof args, "generate sanctions-net --nodes 400 --seed 3 -o %s --quiet", g);
    cp_test_expect(args, 0, NULL);
    snprintf(args, sizeof args,
             "rank %s -o %s --layers transaction --measure "
             "degree,in-degree,out-degree,strength,in-strength,out-strength,pagerank,katz,"
             "eigenvector,hits-hub,hits-authority,betweenness,approx-betweenness,closeness,"
             "harmonic,collective-influence,corehd,st-betweenness,flow,group-betweenness,wcc,scc "
             "--radius 3 --sources group:origin "
             "--targets group:bank --group group:gateway --epsilon 0.05 --quiet",
             g, out);
    cp_test_expect(args, 0, NULL);
    const char *measures[] = {"pagerank",           "katz",      "betweenness",
                              "approx-betweenness", "closeness", "harmonic",
                              "st-betweenness",     "flow",      "hits-hub"};
    for (int i = 0; i < 9; i++) {
        char path[256];
        snprintf(path, sizeof path, "/centrality/%s", measures[i]);
        cr_assert(cp_h5_exists(out, path), "missing %s", path);
    }
    cr_assert(cp_h5_exists(out, "/components/scc"));
    cr_assert(cp_h5_exists(out, "/centrality/group-betweenness"));
    double iters = 0;
    cp_error err;
    cr_assert_eq(cp_h5_read_attr_f64(out, "/centrality/pagerank", "iterations", &iters, &err),
                 CP_OK, "%s", err.msg);
    cr_assert_gt(iters, 0);
    char *length = NULL;
    cr_assert_eq(cp_h5_read_attr_str(out, "/centrality/closeness", "length", &length, &err), CP_OK);
    cr_assert_str_eq(length, "hops");
    free(length);
    snprintf(
        args, sizeof args,
        "simulate %s -o %s/s.h5 --layers transaction --sources group:origin --targets "
        "group:bank --strategy pagerank,betweenness,closeness,collective-influence,corehd,min-cut "
        "--mode sequential --budget 3 "
        "--round 1 --reroute 0.5 --metrics flow --samples 50 --quiet",
        g, dir);
    cp_test_expect(args, 0, NULL);
    snprintf(args, sizeof args, "rank %s --measure nonsense", g);
    cp_test_expect(args, 1, "unknown measure");
    snprintf(args, sizeof args, "rank %s --measure closeness --length furlongs", g);
    cp_test_expect(args, 1, "--length furlongs");
}

Test(cli, block_regimes_differ_at_fifty_percent_and_on_aggregation) {
    /* X and Y hold 30% of A each; X holds exactly 50% of B. With X and Y designated: OFAC and the
     * EU (2024) aggregate and block at 50% or more (A and B); the EU's 2022 reading needs more
     * than 50% (A only); the UK needs more than 50% held by one person (neither). */
    const char *dir = cp_test_tmpdir();
    char csv[1024], g[1024], args[4096];
    snprintf(csv, sizeof csv, "%s/own.csv", dir);
    snprintf(g, sizeof g, "%s/own.h5", dir);
    cp_test_write(csv, "owner,owned,share\nX,A,0.3\nY,A,0.3\nX,B,0.5\n");
    snprintf(args, sizeof args,
             "import %s --source-col owner --target-col owned --weight-col share --layer "
             "ownership --meaning share --units fraction -o %s --quiet",
             csv, g);
    cp_test_expect(args, 0, NULL);
    const char *regimes[4][2] = {{"ofac", "newly blocked 2"},
                                 {"eu", "newly blocked 2"},
                                 {"eu-2022", "newly blocked 1"},
                                 {"uk", "newly blocked 0"}};
    for (int i = 0; i < 4; i++) {
        snprintf(args, sizeof args, "block %s --designated ids:X+ids:Y --regime %s", g,
                 regimes[i][0]);
        cp_test_expect(args, 0, regimes[i][1]);
    }
    snprintf(args, sizeof args, "block %s --designated ids:X --regime mars", g);
    cp_test_expect(args, 1, "ofac, eu, eu-2022 or uk");
}

Test(cli, curve_only_equals_the_simulated_lcc_curve) {
    /* The one-pass percolation curve and the engine's lcc metric (cp_wcc after every removal)
     * along the same order must agree exactly. */
    const char *dir = cp_test_tmpdir();
    char g[1024], order[1024], a_out[1024], b_out[1024], args[4096];
    snprintf(g, sizeof g, "%s/net.h5", dir);
    snprintf(order, sizeof order, "%s/order.txt", dir);
    snprintf(a_out, sizeof a_out, "%s/a.h5", dir);
    snprintf(b_out, sizeof b_out, "%s/b.h5", dir);
    snprintf(args, sizeof args, "generate sanctions-net --nodes 300 --seed 4 -o %s --quiet", g);
    cp_test_expect(args, 0, NULL);
    cp_test_write(order, "# a mixed order\n20\n5\n300\n7\n250\n1\n");
    snprintf(args, sizeof args, "simulate %s --curve-only --order %s -o %s --quiet", g, order,
             a_out);
    cp_test_expect(args, 0, NULL);
    snprintf(args, sizeof args,
             "simulate %s --strategy list --order %s --mode adaptive --budget 6 --metrics lcc "
             "--sources ids:0 --targets ids:2 --candidates all -o %s --quiet",
             g, order, b_out);
    cp_test_expect(args, 0, NULL);
    double *ca = NULL, *cb = NULL;
    int64_t da[2], db[2];
    cp_error err;
    cr_assert_eq(cp_h5_read_f64(a_out, "/scenarios/order/curve/lcc", &ca, da, &err), CP_OK, "%s",
                 err.msg);
    cr_assert_eq(cp_h5_read_f64(b_out, "/scenarios/list-adaptive/curve/lcc", &cb, db, &err), CP_OK,
                 "%s", err.msg);
    cr_assert_eq(da[1], 7);
    cr_assert_eq(db[1], 7);
    for (int i = 0; i < 7; i++) {
        cr_assert_eq(ca[i], cb[i], "step %d: %.17g vs %.17g", i, ca[i], cb[i]);
    }
    free(ca);
    free(cb);
    cp_test_write(order, "20\n20\n");
    snprintf(args, sizeof args, "simulate %s --curve-only --order %s -o %s/c.h5", g, order, dir);
    cp_test_expect(args, 2, "repeated");
}
