#define _POSIX_C_SOURCE 200809L
/* The CLI end to end for `chokepoint owners` (integrated ownership and ultimate owners) and
 * `chokepoint block --versus` (the difference between the closures of two designation sets): small
 * graphs imported from CSV, the printed tables, the results files read back, and exit codes for
 * bad input. Expected values are worked by hand in the comments. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../io/results.h"
#include "cp_test.h"

static bool exists(const char *path) {
    return access(path, F_OK) == 0;
}

/* Imports an ownership edge table (owner,owned,share in fractions) with an optional node table
 * (id,kind) into dir/name.h5, whose path is returned in g. */
static void import(const char *dir, const char *name, const char *edges, const char *nodes,
                   const char *meaning, char *g, size_t gsize) {
    char csv[1024], ncsv[1024], args[8192];
    snprintf(csv, sizeof csv, "%s/%s.csv", dir, name);
    snprintf(g, gsize, "%s/%s.h5", dir, name);
    cp_test_write(csv, edges);
    char node_opts[2048] = "";
    if (nodes != NULL) {
        snprintf(ncsv, sizeof ncsv, "%s/%s_nodes.csv", dir, name);
        cp_test_write(ncsv, nodes);
        snprintf(node_opts, sizeof node_opts, "--nodes %s --kind-col kind", ncsv);
    }
    snprintf(args, sizeof args,
             "import %s %s --source-col owner --target-col owned --weight-col share --layer "
             "ownership --meaning %s --units fraction -o %s --quiet",
             csv, node_opts, meaning, g);
    cp_test_expect(args, 0, NULL);
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Reads a float64 dataset, sorted ascending, and checks it against want (within 1e-12). */
static void expect_values(const char *file, const char *dataset, const double *want, int64_t n) {
    double *v = NULL;
    int64_t dims[2];
    cp_error err;
    cr_assert_eq(cp_h5_read_f64(file, dataset, &v, dims, &err), CP_OK, "%s", err.msg);
    cr_assert_eq(dims[0], n, "%s: %lld values, expected %lld", dataset, (long long)dims[0],
                 (long long)n);
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    for (int64_t i = 0; i < n; i++) {
        cr_assert(cp_test_close(v[i], want[i], 1e-12, 0.0), "%s[%lld] = %.17g, expected %.17g",
                  dataset, (long long)i, v[i], want[i]);
    }
    free(v);
}

/* P (person) 60% of B, B 60% of C, Q 30% of C: U[P][C] = 0.36, U[B][C] = 0.6, U[Q][C] = 0.3,
 * U[P][B] = 0.6. X and Y hold 100% of each other (a diverging cycle), Y 40% of Z. */
static const char *EDGES = "owner,owned,share\nP,B,0.6\nB,C,0.6\nQ,C,0.3\nX,Y,1\nY,X,1\nY,Z,0.4\n";
static const char *NODES = "id,kind\nP,person\nB,company\nC,company\nQ,company\nX,company\n"
                           "Y,company\nZ,company\n";

Test(cli_owners, integrated_shares_and_ultimate_owners) {
    const char *dir = cp_test_tmpdir();
    char g[1024], out[1024], args[8192];
    import(dir, "own", EDGES, NODES, "share", g, sizeof g);
    snprintf(out, sizeof out, "%s/owners.h5", dir);

    /* Only C: three owners through chains; ultimate at 25% (top of chain or person): P, Q. */
    snprintf(args, sizeof args, "owners %s --of ids:C -o %s", g, out);
    cp_test_expect(args, 0, "P 36.0000% Q 30.0000%");
    cr_assert(exists(out));
    expect_values(out, "/ownership/integrated/share", (const double[]){0.3, 0.36, 0.6}, 3);
    expect_values(out, "/ownership/ultimate/share", (const double[]){0.3, 0.36}, 2);
    int32_t *targets = NULL;
    int64_t count = 0;
    cp_error err;
    cr_assert_eq(cp_h5_read_i32(out, "/ownership/integrated/targets", &targets, &count, &err),
                 CP_OK, "%s", err.msg);
    cr_assert_eq(count, 1);
    free(targets);
    char *layer = NULL;
    cr_assert_eq(cp_h5_read_attr_str(out, "/ownership/integrated", "layer", &layer, &err), CP_OK,
                 "%s", err.msg);
    cr_assert_str_eq(layer, "ownership");
    free(layer);
    double thr = 0;
    cr_assert_eq(cp_h5_read_attr_f64(out, "/ownership/ultimate", "threshold", &thr, &err), CP_OK);
    cr_assert_eq(thr, 0.25);
    unlink(out);

    /* --ultimate all at 50%: only B (60%); top at 50%: nobody. */
    snprintf(args, sizeof args, "owners %s --of ids:C --threshold 0.5 --ultimate all", g);
    cp_test_expect(args, 0, "B 60.0000%");
    snprintf(args, sizeof args, "owners %s --of ids:C --threshold 0.5", g);
    cp_test_expect(args, 0, "0 of 1 entities have one");

    /* Every node: the X-Y cycle diverges (X, Y, Z): a warning naming X, exit 0, file written
     * with state 3 for those targets and their columns empty. */
    snprintf(args, sizeof args, "owners %s -o %s", g, out);
    cp_test_expect(args, 0, "that node is X");
    expect_values(out, "/ownership/integrated/share", (const double[]){0.3, 0.36, 0.6, 0.6}, 4);
    double *state = NULL;
    int64_t dims[2];
    cr_assert_eq(cp_h5_read_f64(out, "/ownership/integrated/state", &state, dims, &err), CP_OK);
    cr_assert_eq(dims[0], 7);
    int diverging = 0;
    for (int i = 0; i < 7; i++) {
        diverging += state[i] == 3.0;
    }
    cr_assert_eq(diverging, 3);
    free(state);
    char *status = NULL;
    cr_assert_eq(cp_h5_read_attr_str(out, "/ownership/integrated", "status", &status, &err), CP_OK);
    cr_assert_str_eq(status, "CP_W_NOT_CONVERGED");
    free(status);
    unlink(out);

    /* With a depth bound the diverging column of Z holds the truncated sums: Y 0.4 (1 link),
     * X 0.4 (2 links), Y 0.4 more (3 links): Y 0.8, X 0.4. */
    snprintf(args, sizeof args, "owners %s --of ids:Z --depth 3 --ultimate all -o %s", g, out);
    cp_test_expect(args, 0, "diverges");
    expect_values(out, "/ownership/integrated/share", (const double[]){0.4, 0.8}, 2);
    unlink(out);
    snprintf(args, sizeof args, "owners %s --of ids:C --depth 1 --ultimate all --quiet", g);
    cp_test_expect(args, 0, NULL);
}

Test(cli_owners, bad_input_and_usage) {
    const char *dir = cp_test_tmpdir();
    char g[1024], amounts[1024], huge[1024], out[1024], args[8192];
    import(dir, "own", EDGES, NODES, "share", g, sizeof g);
    snprintf(out, sizeof out, "%s/o.h5", dir);

    snprintf(args, sizeof args, "owners %s --ultimate sideways -o %s", g, out);
    cp_test_expect(args, 1, "top or all");
    snprintf(args, sizeof args, "owners %s --threshold -0.5 -o %s", g, out);
    cp_test_expect(args, 1, "--threshold");
    snprintf(args, sizeof args, "owners %s --depth -1 -o %s", g, out);
    cp_test_expect(args, 1, "--depth");
    snprintf(args, sizeof args, "owners %s --max-terms 0 -o %s", g, out);
    cp_test_expect(args, 1, "--max-terms");
    snprintf(args, sizeof args, "owners %s --layer trade -o %s", g, out);
    cp_test_expect(args, 1, "no layer 'trade'");
    snprintf(args, sizeof args, "owners %s --of ids:NOBODY -o %s", g, out);
    cp_test_expect(args, 2, "NOBODY");
    snprintf(args, sizeof args, "owners %s -o %s", g, g);
    cp_test_expect(args, 1, "refusing to overwrite");
    snprintf(args, sizeof args, "owners %s %s", g, g);
    cp_test_expect(args, 1, "expected: chokepoint owners");
    snprintf(args, sizeof args, "owners %s/missing.h5 -o %s", dir, out);
    cp_test_expect(args, 2, "missing.h5");
    cr_assert(!exists(out), "no output after an error");

    /* A layer of amounts is not ownership. */
    import(dir, "amounts", "owner,owned,share\nA,B,5\n", NULL, "amount", amounts, sizeof amounts);
    snprintf(args, sizeof args, "owners %s -o %s", amounts, out);
    cp_test_expect(args, 1, "not ownership shares");
    /* A share no register could hold (2e6 = 2e12 ppm): bad data, exit 2 naming the edge. */
    import(dir, "huge", "owner,owned,share\nA,B,0.5\nB,C,2000000\n", NULL, "share", huge,
           sizeof huge);
    snprintf(args, sizeof args, "owners %s -o %s", huge, out);
    cp_test_expect(args, 2, "edge 1");
    cr_assert(!exists(out));
}

/* X 50% of A, A 50% of C, Z 10% of C, Y 60% of B. Under ofac, designating X blocks A (50%) and
 * then C (A's 50%); designating Y blocks B. */
static const char *VERSUS = "owner,owned,share\nX,A,0.5\nY,B,0.6\nA,C,0.5\nZ,C,0.1\n";

static int64_t count_of(const char *file, const char *dataset) {
    int32_t *v = NULL;
    int64_t count = -1;
    cp_error err;
    cr_assert_eq(cp_h5_read_i32(file, dataset, &v, &count, &err), CP_OK, "%s", err.msg);
    free(v);
    return count;
}

Test(cli_owners, block_versus_two_designation_sets) {
    const char *dir = cp_test_tmpdir();
    char g[1024], out[1024], list[1024], args[8192];
    import(dir, "v", VERSUS, NULL, "share", g, sizeof g);
    snprintf(out, sizeof out, "%s/b.h5", dir);

    snprintf(args, sizeof args, "block %s --designated ids:X --versus ids:Y -o %s", g, out);
    cp_test_expect(args, 0, "blocked under --designated only: 3, under --versus only: 2");
    cr_assert_eq(count_of(out, "/ownership/versus/only_designated"), 3);
    cr_assert_eq(count_of(out, "/ownership/versus/only_versus"), 2);
    cr_assert_eq(count_of(out, "/ownership/versus/round"), 6);
    /* The closure of --designated itself is written as before. */
    cr_assert_eq(count_of(out, "/ownership/round"), 6);
    char *versus = NULL;
    cp_error err;
    cr_assert_eq(cp_h5_read_attr_str(out, "/ownership/versus", "versus", &versus, &err), CP_OK);
    cr_assert_str_eq(versus, "ids:Y");
    free(versus);
    unlink(out);

    /* The printed lines name the entities on each side. */
    snprintf(args, sizeof args, "block %s --designated ids:X --versus ids:Y", g);
    cp_test_expect(args, 0, "only designated C");
    cp_test_expect(args, 0, "only versus     B");

    /* A round that adds Y to X: nothing is lost, Y and B are added. */
    snprintf(args, sizeof args, "block %s --designated ids:X --versus ids:X+ids:Y", g);
    cp_test_expect(args, 0, "blocked under --designated only: 0, under --versus only: 2");
    /* Under eu-2022, X's 50% blocks nothing (more than 50% needed): only X itself differs. */
    snprintf(args, sizeof args, "block %s --designated ids:X --versus ids:Y --regime eu-2022 -o %s",
             g, out);
    cp_test_expect(args, 0, "blocked under --designated only: 1, under --versus only: 2");
    cr_assert_eq(count_of(out, "/ownership/versus/only_designated"), 1);
    unlink(out);
    /* The same set on both sides: no difference. A list file works as for --designated. */
    snprintf(list, sizeof list, "%s/round.txt", dir);
    cp_test_write(list, "# announced round\nX\n");
    snprintf(args, sizeof args, "block %s --designated ids:X --versus list:%s", g, list);
    cp_test_expect(args, 0, "blocked under --designated only: 0, under --versus only: 0");

    /* Errors: an unknown id in --versus is bad data (exit 2), -o naming the --versus list is
     * refused (exit 1), and no output is left behind. */
    snprintf(args, sizeof args, "block %s --designated ids:X --versus ids:NOBODY -o %s", g, out);
    cp_test_expect(args, 2, "NOBODY");
    cr_assert(!exists(out));
    snprintf(args, sizeof args, "block %s --designated ids:X --versus list:%s -o %s", g, list,
             list);
    cp_test_expect(args, 1, "refusing to overwrite");
}
