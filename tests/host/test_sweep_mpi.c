/* chokepoint sweep under `mpirun -np 2` and `-np 3` (--oversubscribe): the same merged result as
 * one process, dataset for dataset. Skipped with a message where mpirun is absent, or as root
 * without Open MPI's allow-run-as-root settings (.ci/run sets them). */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../io/results.h"
#include "cp_test.h"

static bool have_mpirun(void) {
    return system("command -v mpirun >/dev/null 2>&1") == 0;
}

static void compare_group(const char *a, const char *b, const char *group, int *compared) {
    char **names = NULL;
    int count = 0;
    cp_error err;
    cr_assert_eq(cp_h5_list(a, group, &names, &count, &err), CP_OK, "%s", err.msg);
    for (int i = 0; i < count; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", group, names[i]);
        double *x = NULL, *y = NULL;
        int64_t dx[2], dy[2];
        if (cp_h5_read_f64(a, path, &x, dx, &err) != CP_OK) {
            compare_group(a, b, path, compared);
            continue;
        }
        cr_assert_eq(cp_h5_read_f64(b, path, &y, dy, &err), CP_OK, "%s: %s", path, err.msg);
        cr_assert(dx[0] == dy[0] && dx[1] == dy[1], "%s: shapes differ", path);
        for (int64_t q = 0; q < dx[0] * dx[1]; q++) {
            cr_assert(x[q] == y[q] || (x[q] != x[q] && y[q] != y[q]), "%s[%lld]", path,
                      (long long)q);
        }
        free(x);
        free(y);
        (*compared)++;
    }
    cp_h5_free_names(names, count);
}

Test(sweep_mpi, two_and_three_ranks_equal_one_process, .timeout = 600) {
    if (!have_mpirun()) {
        cr_skip_test("mpirun not found: install openmpi-bin to run the MPI sweep test");
    }
    if (geteuid() == 0 && getenv("OMPI_ALLOW_RUN_AS_ROOT") == NULL) {
        cr_skip_test("running as root without OMPI_ALLOW_RUN_AS_ROOT=1 and "
                     "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 (set in .ci/run): mpirun would refuse");
    }
    const char *dir = cp_test_tmpdir();
    char args[4096], yaml[1024], one[1024];
    snprintf(args, sizeof args, "generate sanctions-net --nodes 500 --seed 6 -o %s/net.h5 --quiet",
             dir);
    cp_test_expect(args, 0, NULL);
    snprintf(yaml, sizeof yaml, "%s/s.yaml", dir);
    cp_test_write(yaml, "graph: net.h5\nsources: group:origin\ntargets: group:bank\n"
                        "metrics: [reach, flow, lcc]\n"
                        "strategies: [degree, st-betweenness, random]\n"
                        "modes: [simultaneous, sequential]\nbudgets: [3, 6]\nrounds: 2\n"
                        "reroute: [0, 0.5]\nseeds: 3\n");
    snprintf(one, sizeof one, "%s/one.h5", dir);
    snprintf(args, sizeof args, "sweep %s -o %s --quiet", yaml, one);
    cp_test_expect(args, 0, NULL);
    for (int np = 2; np <= 3; np++) {
        char out[1024], cmd[8192];
        snprintf(out, sizeof out, "%s/np%d.h5", dir, np);
        /* Open MPI keeps some of its memory until exit: no leak report from sanitized builds. */
        snprintf(cmd, sizeof cmd,
                 "ASAN_OPTIONS=detect_leaks=0 mpirun -np %d --oversubscribe %s sweep %s -o %s "
                 "--threads 1 --verbose 2>&1",
                 np, CP_CLI_PATH, yaml, out);
        FILE *p = popen(cmd, "r");
        cr_assert(p != NULL);
        char text[65536];
        size_t len = fread(text, 1, sizeof text - 1, p);
        text[len] = '\0';
        int rc = pclose(p);
        cr_assert_eq(rc, 0, "mpirun -np %d failed:\n%s", np, text);
        cr_assert(strstr(text, "rank(s)") != NULL, "%s", text);
        char ranks[64];
        snprintf(ranks, sizeof ranks, "; %d rank(s)", np);
        cr_assert(strstr(text, ranks) != NULL, "not %d ranks:\n%s", np, text);
        for (int r = 0; r < np; r++) {
            char said[64];
            snprintf(said, sizeof said, "rank %d ran", r);
            cr_assert(strstr(text, said) != NULL, "rank %d said nothing:\n%s", r, text);
        }
        int compared = 0;
        compare_group(one, out, "/scenarios", &compared);
        cr_assert(compared > 20 * 10, "compared only %d datasets", compared);
    }
}
