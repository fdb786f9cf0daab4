#define _POSIX_C_SOURCE 200809L
/* Results files read without chokepoint: tests/io/read_results_h5py.py (h5py and numpy only)
 * walks every group, dataset and attribute of the files made by rank, simulate (with --cost,
 * --reinsert, --null rewire, and with --closure), block and owners, and of owners --of (k
 * entities, not n), block --versus, block --ranges (on an FtM import with share ranges),
 * simulate --curve-only --order and diff -o FILE.h5, and checks their dtypes and shapes against
 * the README's schema. */
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

/* The outputs whose layout depends on what was asked: owners --of (rows for the k entities asked
 * for), block --versus (/ownership/versus), block --ranges (/ownership/certain and possible),
 * simulate --curve-only --order (one curve, no S-T
 * attributes) and diff -o FILE.h5 (/diff, with the full provenance of both inputs). */
Test(results_h5py, owners_of_versus_curve_only_and_diff, .timeout = 600) {
    if (system("/usr/bin/python3 -c 'import h5py, numpy' >/dev/null 2>&1") != 0) {
        cr_skip_test("python3-h5py is not installed");
    }
    const char *dir = cp_test_tmpdir();
    char args[4096], files[4096], out[16384], path[1024];
    snprintf(args, sizeof args, "generate sanctions-net --nodes 400 --seed 3 -o %s/net.h5 --quiet",
             dir);
    cp_test_expect(args, 0, NULL);
    snprintf(args, sizeof args, "generate sanctions-net --nodes 400 --seed 4 -o %s/net2.h5 --quiet",
             dir);
    cp_test_expect(args, 0, NULL);
    /* The generator's ids are 0..n-1. */
    snprintf(path, sizeof path, "%s/targets.txt", dir);
    cp_test_write(path, "12\n# a comment\n10\n11\n");
    snprintf(path, sizeof path, "%s/versus.txt", dir);
    cp_test_write(path, "0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n");
    snprintf(path, sizeof path, "%s/order.txt", dir);
    cp_test_write(path, "20\n21\n22\n23\n24\n25\n26\n27\n28\n29\n");
    snprintf(args, sizeof args,
             "owners %s/net.h5 --of list:%s/targets.txt -o %s/owners_of.h5 --quiet", dir, dir, dir);
    cp_test_expect(args, 0, NULL);
    snprintf(args, sizeof args,
             "block %s/net.h5 --designated group:origin --versus list:%s/versus.txt -o "
             "%s/versus.h5 --quiet",
             dir, dir, dir);
    cp_test_expect(args, 0, NULL);
    snprintf(args, sizeof args,
             "simulate %s/net.h5 --curve-only --order %s/order.txt -o %s/curve.h5 --quiet", dir,
             dir, dir);
    cp_test_expect(args, 0, NULL);
    snprintf(args, sizeof args, "diff %s/net.h5 %s/net2.h5 -o %s/changes.h5 --quiet", dir, dir,
             dir);
    cp_test_expect(args, 0, NULL);
    /* X designated, holding 25-50% of A and 60-70% of B; A holds 0-10% of C, X 45% of C. */
    snprintf(path, sizeof path, "%s/ranged.ftm.json", dir);
    cp_test_write(path,
                  "{\"id\":\"o1\",\"schema\":\"Ownership\",\"properties\":{\"owner\":[\"X\"],"
                  "\"asset\":[\"A\"],\"percentage\":[\"25-50%\"]}}\n"
                  "{\"id\":\"o2\",\"schema\":\"Ownership\",\"properties\":{\"owner\":[\"X\"],"
                  "\"asset\":[\"B\"],\"percentage\":[\"60-70%\"]}}\n"
                  "{\"id\":\"o3\",\"schema\":\"Ownership\",\"properties\":{\"owner\":[\"A\"],"
                  "\"asset\":[\"C\"],\"percentage\":[\"0-10%\"]}}\n"
                  "{\"id\":\"o4\",\"schema\":\"Ownership\",\"properties\":{\"owner\":[\"X\"],"
                  "\"asset\":[\"C\"],\"percentage\":[\"45%\"]}}\n"
                  "{\"id\":\"s1\",\"schema\":\"Sanction\",\"properties\":{\"entity\":[\"X\"]}}\n");
    for (const char *node = "XABC"; *node != '\0'; node++) {
        char line[128];
        snprintf(line, sizeof line, "{\"id\":\"%c\",\"schema\":\"Company\",\"properties\":{}}\n",
                 *node);
        FILE *f = fopen(path, "ab");
        cr_assert_not_null(f);
        fputs(line, f);
        fclose(f);
    }
    snprintf(args, sizeof args, "import %s/ranged.ftm.json --format ftm -o %s/ranged.h5 --quiet",
             dir, dir);
    cp_test_expect(args, 0, NULL);
    snprintf(args, sizeof args,
             "block %s/ranged.h5 --designated group:designated --ranges -o %s/ranges.h5 --quiet",
             dir, dir);
    cp_test_expect(args, 0, NULL);
    snprintf(files, sizeof files,
             "%s/owners_of.h5 %s/versus.h5 %s/curve.h5 %s/changes.h5 %s/ranges.h5", dir, dir, dir,
             dir, dir);
    int rc = run_reader(files, out, sizeof out);
    cr_assert_eq(rc, 0, "h5py found problems:\n%s", out);
    const char *names[] = {"owners_of.h5 ok", "versus.h5 ok", "curve.h5 ok", "changes.h5 ok",
                           "ranges.h5 ok"};
    for (int i = 0; i < 5; i++) {
        cr_assert(strstr(out, names[i]) != NULL, "missing '%s' in:\n%s", names[i], out);
    }
    /* What those files hold, read by h5py: 3 targets, the versus attributes, one curve of 11
     * points, and the diff's provenance naming both inputs by SHA-256 (sha256sum, not ours). */
    snprintf(args, sizeof args,
             "/usr/bin/python3 -c \"import h5py, hashlib, sys\n"
             "d = sys.argv[1]\n"
             "o = h5py.File(d + '/owners_of.h5', 'r')['ownership/integrated/targets'][:]\n"
             "v = h5py.File(d + '/versus.h5', 'r')['ownership/versus'].attrs['n_designated']\n"
             "c = h5py.File(d + '/curve.h5', 'r')['scenarios/order/curve/lcc'].shape\n"
             "p = h5py.File(d + '/changes.h5', 'r')['provenance'].attrs\n"
             "h = lambda f: hashlib.sha256(open(d + f, 'rb').read()).hexdigest()\n"
             "assert list(o) == [10, 11, 12], o\n"
             "assert v == 10, v\n"
             "assert c == (1, 11), c\n"
             "assert p['input_sha256'] == h('/net2.h5') and p['old_input_sha256'] == h('/net.h5')\n"
             "assert p['input'].endswith('/net2.h5') and p['old_input'].endswith('/net.h5')\n"
             "n = len(h5py.File(d + '/net2.h5', 'r')['nodes/id'])\n"
             "assert p['n'] == n and 'seconds_total' in p and 'git_commit' in p\n"
             "\" '%s' 2>&1",
             dir);
    FILE *py = popen(args, "r");
    cr_assert_not_null(py);
    size_t len = fread(out, 1, sizeof out - 1, py);
    out[len] = '\0';
    cr_assert_eq(pclose(py), 0, "%s", out);
    /* The reader is not a rubber stamp: a dataset /diff does not document is an error. */
    snprintf(args, sizeof args,
             "cp '%s/changes.h5' '%s/extra.h5' && /usr/bin/python3 -c \"import h5py, sys\n"
             "f = h5py.File(sys.argv[1], 'a')\n"
             "f['diff/extra'] = [1, 2]\n"
             "f['diff/extra'].attrs['description'] = 'not in the schema'\n"
             "\" '%s/extra.h5'",
             dir, dir, dir);
    cr_assert_eq(system(args), 0);
    snprintf(files, sizeof files, "%s/extra.h5", dir);
    rc = run_reader(files, out, sizeof out);
    cr_assert_neq(rc, 0, "the reader accepted an undocumented dataset:\n%s", out);
    cr_assert(strstr(out, "/diff/extra: not in the results schema") != NULL, "%s", out);
    /* Nor for --ranges: a certain closure without its possible twin, or one that is not a
     * subset of it. */
    snprintf(args, sizeof args,
             "cp '%s/ranges.h5' '%s/half.h5' && cp '%s/ranges.h5' '%s/swapped.h5' && "
             "/usr/bin/python3 -c \"import h5py, sys\n"
             "f = h5py.File(sys.argv[1], 'a')\n"
             "del f['ownership/possible/exposure']\n"
             "g = h5py.File(sys.argv[2], 'a')\n"
             "b = g['ownership/possible/blocked'][:]\n"
             "g['ownership/possible/blocked'][:] = g['ownership/certain/blocked'][:]\n"
             "g['ownership/certain/blocked'][:] = b\n"
             "\" '%s/half.h5' '%s/swapped.h5'",
             dir, dir, dir, dir, dir, dir);
    cr_assert_eq(system(args), 0);
    snprintf(files, sizeof files, "%s/half.h5 %s/swapped.h5", dir, dir);
    rc = run_reader(files, out, sizeof out);
    cr_assert_neq(rc, 0, "the reader accepted broken --ranges files:\n%s", out);
    cr_assert(strstr(out, "/ownership/certain/exposure: without /ownership/possible/exposure") !=
                  NULL,
              "%s", out);
    cr_assert(strstr(out, "an entity certainly blocked is not possibly blocked") != NULL, "%s",
              out);
}
