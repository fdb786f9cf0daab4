#define _POSIX_C_SOURCE 200809L
/* Results files read without chokepoint: tests/io/read_results_h5py.py (h5py and numpy only)
 * walks every group, dataset and attribute of the files made by rank, simulate (with --cost,
 * --reinsert, --null rewire, and with --closure), block and owners, and checks their dtypes and
 * shapes against the README's schema. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cp_test.h"

static int run_reader(const char *files, char *out, size_t size) {
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "/usr/bin/python3 '%s' %s 2>&1",
             cp_test_source("tests/io/read_results_h5py.py"), files);
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p);
    size_t len = fread(out, 1, size - 1, p);
    out[len] = '\0';
    return pclose(p);
}

Test(results_h5py, every_dataset_of_every_command, .timeout = 600) {
    if (system("/usr/bin/python3 -c 'import h5py, numpy' >/dev/null 2>&1") != 0) {
        cr_skip_test("python3-h5py is not installed");
    }
    const char *dir = cp_test_tmpdir();
    char args[4096], files[4096], out[16384];
    snprintf(args, sizeof args, "generate sanctions-net --nodes 400 --seed 3 -o %s/net.h5 --quiet",
             dir);
    cp_test_expect(args, 0, NULL);
    char cost[1024];
    snprintf(cost, sizeof cost, "%s/cost.csv", dir);
    cp_test_write(cost, "id,cost\n0,3\n1,2.5\n");
    snprintf(args, sizeof args,
             "rank %s/net.h5 --measure degree,pagerank,st-betweenness,flow,wcc --sources "
             "group:origin --targets group:bank -o %s/rank.h5 --quiet",
             dir, dir);
    cp_test_expect(args, 0, NULL);
    snprintf(args, sizeof args,
             "simulate %s/net.h5 --sources group:origin --targets group:bank --candidates "
             "group:gateway+group:front --strategy greedy,degree --mode sequential,simultaneous "
             "--budget 4 --round 2 --reroute 0.5 --cost %s --cost-budget 50 --reinsert "
             "--objective reach-volume --null rewire --null-samples 2 --seeds 2 -o %s/sim.h5 "
             "--quiet",
             dir, cost, dir);
    cp_test_expect(args, 0, NULL);
    snprintf(args, sizeof args,
             "simulate %s/net.h5 --sources group:front --targets group:bank --candidates "
             "group:origin --strategy degree --mode sequential --budget 3 --closure ofac "
             "--layers transaction -o %s/closure.h5 --quiet",
             dir, dir);
    cp_test_expect(args, 0, NULL);
    snprintf(args, sizeof args, "block %s/net.h5 --designated group:origin -o %s/block.h5 --quiet",
             dir, dir);
    cp_test_expect(args, 0, NULL);
    snprintf(args, sizeof args, "owners %s/net.h5 -o %s/owners.h5 --quiet", dir, dir);
    cp_test_expect(args, 0, NULL);
    snprintf(files, sizeof files, "%s/rank.h5 %s/sim.h5 %s/closure.h5 %s/block.h5 %s/owners.h5",
             dir, dir, dir, dir, dir);
    int rc = run_reader(files, out, sizeof out);
    cr_assert_eq(rc, 0, "h5py found problems:\n%s", out);
    const char *names[] = {"rank.h5 ok", "sim.h5 ok", "closure.h5 ok", "block.h5 ok",
                           "owners.h5 ok"};
    for (int i = 0; i < 5; i++) {
        cr_assert(strstr(out, names[i]) != NULL, "missing '%s' in:\n%s", names[i], out);
    }
    /* The reader is not a rubber stamp: a graph file is not a results file. */
    snprintf(files, sizeof files, "%s/net.h5", dir);
    rc = run_reader(files, out, sizeof out);
    cr_assert_neq(rc, 0, "the reader accepted a graph file:\n%s", out);
    cr_assert(strstr(out, "schema") != NULL, "%s", out);
}
