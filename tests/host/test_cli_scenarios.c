/* simulate's scenario options end to end: greedy, costs, the closure, reinsertion, the strongly
 * connected metrics, and clear errors for bad cost files. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../io/results.h"
#include "cp_test.h"

static const char *make_net(char *g, size_t size) {
    const char *dir = cp_test_tmpdir();
    char args[2048];
    snprintf(g, size, "%s/net.h5", dir);
    snprintf(args, sizeof args, "generate sanctions-net --nodes 400 --seed 3 -o %s --quiet", g);
    cp_test_expect(args, 0, NULL);
    return dir;
}

Test(cli_scenarios, greedy_costs_and_reinsertion_are_written) {
    char g[1024], args[4096], cost[1024], out[1024];
    const char *dir = make_net(g, sizeof g);
    snprintf(cost, sizeof cost, "%s/cost.csv", dir);
    snprintf(out, sizeof out, "%s/sim.h5", dir);
    /* Gateways are dear, fronts cheap; a header row is allowed. */
    cp_test_write(cost, "id,cost\n# comment\n0,3\n1,2.5\n");
    snprintf(args, sizeof args,
             "simulate %s --sources group:origin --targets group:bank --candidates "
             "group:gateway+group:front --strategy greedy,degree --mode sequential --budget 4 "
             "--round 2 --cost %s --cost-budget 50 --reinsert --objective reach-volume "
             "--metrics reach,reach-volume,scc-pairs,lscc -o %s",
             g, cost, out);
    cp_test_expect(args, 0, "reinsertion gave back");
    double *d = NULL;
    int64_t dims[2];
    cp_error err;
    cr_assert_eq(cp_h5_read_f64(out, "/scenarios/greedy-sequential/cost_spent", &d, dims, &err),
                 CP_OK, "%s", err.msg);
    cr_assert_eq(dims[1], 5);
    cr_assert_eq(d[0], 0.0);
    cr_assert(d[4] <= 50.0);
    free(d);
    cr_assert_eq(cp_h5_read_f64(out, "/scenarios/degree-sequential/after_reinsertion/reach-volume",
                                &d, dims, &err),
                 CP_OK, "%s", err.msg);
    cr_assert(d[0] >= 0 && d[0] <= 1);
    free(d);
    cr_assert(cp_h5_exists(out, "/scenarios/greedy-sequential/reinserted/node") == 1);
    cr_assert(cp_h5_exists(out, "/scenarios/greedy-sequential/curve/lscc") == 1);
    char *objective = NULL;
    cr_assert_eq(
        cp_h5_read_attr_str(out, "/scenarios/greedy-sequential", "objective", &objective, &err),
        CP_OK);
    cr_assert_str_eq(objective, "reach-volume");
    free(objective);
}

Test(cli_scenarios, closure_blocks_fronts_of_designated_origins) {
    /* Origins own fronts in the generated network: designating origins blocks the fronts they
     * hold 50% or more of. */
    char g[1024], args[4096], out[1024];
    const char *dir = make_net(g, sizeof g);
    snprintf(out, sizeof out, "%s/closure.h5", dir);
    snprintf(args, sizeof args,
             "simulate %s --sources group:front --targets group:bank --candidates group:origin "
             "--strategy degree --mode sequential --budget 3 --closure ofac --layers transaction "
             "--metrics reach,flow -o %s",
             g, out);
    cp_test_expect(args, 0, "ofac closure blocked");
    int32_t *nodes = NULL;
    int64_t count = 0;
    cp_error err;
    cr_assert_eq(
        cp_h5_read_i32(out, "/scenarios/degree-sequential/closure/node", &nodes, &count, &err),
        CP_OK, "%s", err.msg);
    cr_assert(count > 0, "the closure blocked nothing");
    free(nodes);
    snprintf(args, sizeof args,
             "simulate %s --sources group:front --targets group:bank --closure fatf -o %s/x.h5", g,
             dir);
    cp_test_expect(args, 1, "expected ofac, eu, eu-2022 or uk");
    snprintf(args, sizeof args,
             "simulate %s --sources group:front --targets group:bank --closure ofac --reinsert "
             "-o %s/x.h5",
             g, dir);
    cp_test_expect(args, 1, "do not combine");
}

Test(cli_scenarios, bad_cost_files_exit_2_naming_the_line) {
    char g[1024], args[4096], cost[1024];
    const char *dir = make_net(g, sizeof g);
    snprintf(cost, sizeof cost, "%s/cost.csv", dir);
    const char *bad[][2] = {
        {"0,1\n1,-2\n", "line 2"},       {"0,1\n0,2\n", "listed twice"},
        {"0,1\nnope,2\n", "not a node"}, {"0,1,2\n", "expected 2 fields"},
        {"id,cost\n5,abc\n", "line 2"},  {"0,inf\n", "finite"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cp_test_write(cost, bad[i][0]);
        snprintf(args, sizeof args,
                 "simulate %s --sources group:origin --targets group:bank --cost %s -o %s/x.h5", g,
                 cost, dir);
        cp_test_expect(args, 2, bad[i][1]);
    }
    snprintf(args, sizeof args,
             "simulate %s --sources group:origin --targets group:bank --strategy greedy "
             "--objective flow -o %s/x.h5",
             g, dir);
    cp_test_expect(args, 1, "greedy optimises reach or reach-volume");
}

Test(cli_scenarios, null_rewire_band_has_one_curve_per_sample_and_seed) {
    char g[1024], args[4096], out[1024];
    const char *dir = make_net(g, sizeof g);
    snprintf(out, sizeof out, "%s/null.h5", dir);
    snprintf(args, sizeof args,
             "simulate %s --sources group:origin --targets group:bank --strategy degree --mode "
             "sequential --budget 3 --seeds 2 --layers transaction --metrics reach,flow --null "
             "rewire --null-samples 3 --null-swaps 5 -o %s",
             g, out);
    cp_test_expect(args, 0, "null (rewired x 3)");
    double *d = NULL;
    int64_t dims[2];
    cp_error err;
    cr_assert_eq(
        cp_h5_read_f64(out, "/scenarios/degree-sequential/null/curve/flow", &d, dims, &err), CP_OK,
        "%s", err.msg);
    cr_assert_eq(dims[0], 6);
    cr_assert_eq(dims[1], 4);
    for (int q = 0; q < 6; q++) {
        cr_assert(cp_test_close(d[q * 4], 1.0, 0, 1e-12), "the intact null flow is 1");
    }
    free(d);
    snprintf(args, sizeof args,
             "simulate %s --sources group:origin --targets group:bank --null shuffle -o %s", g,
             out);
    cp_test_expect(args, 1, "expected rewire");
}
