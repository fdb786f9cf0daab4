/* chokepoint import FILE [--nodes NODES.csv] -o OUT.h5 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "../../io/graph_h5.h"
#include "../../io/ftm.h"
#include "../../io/icij.h"
#include "../../io/import.h"
#include "../../io/merge.h"
#include "../../io/sdn.h"
#include "cli.h"

static const cli_opt_spec specs[] = {
    {"format", true,
     "csv|edgelist|mtx|sdn|ftm|icij (default: from the extension: .csv/.tsv csv, .mtx mtx, "
     "else edgelist)"},
    {"nodes", true, "FILE: CSV node table (id column plus optional attributes)"},
    {"delimiter", true, "CHAR: CSV delimiter: ',' (default), ';' or 'tab'"},
    {"source-col", true, "COL: CSV source column, name or 1-based number (default source)"},
    {"target-col", true, "COL: CSV target column (default target)"},
    {"weight-col", true, "COL: CSV weight column (default: none, weights 1)"},
    {"time-col", true, "COL: CSV time column (integer seconds or steps)"},
    {"id-col", true, "COL: node table id column (default id)"},
    {"kind-col", true, "COL: node table kind column (person, company, bank, ...)"},
    {"country-col", true, "COL: node table country column (ISO alpha-2)"},
    {"groups-col", true, "COL: node table column of ';'-separated group names"},
    {"group", true,
     "NAME=COL or NAME=COL:VALUE: nodes whose COL is true / equals VALUE join "
     "group NAME (repeatable)"},
    {"layer", true, "NAME: the layer the edges go to (default transaction / edges)"},
    {"meaning", true, "share|amount|count|length|none: what the weights mean"},
    {"units", true, "TEXT: weight units, e.g. USD, ETH, fraction"},
    {"undirected", false, "the layer is undirected"},
    {"pattern", false, "ignore weights in the file (every weight 1)"},
    {"no-header", false, "CSV: the edge table has no header row (columns by number)"},
    {"alt", true, "FILE: SDN: OFAC alt.csv (aliases used to resolve names)"},
    {"add", true, "FILE: SDN: OFAC add.csv (addresses: node countries)"},
    {"unresolved", true,
     "FILE: SDN: where the unresolved/ambiguous names go (default OUT.unresolved.csv)"},
    {"encoding", true, "latin1|utf8: SDN: the files' encoding (default latin1, OFAC's)"},
    {"same-as", true,
     "FILE: CSV of id pairs known to be one entity: merged before writing (any format)"},
    {NULL, false, NULL},
};

/* --format sdn: the OFAC SDN list; writes the report of names that could not be linked and says
 * how many were. */
static cp_status import_sdn(const cli_args *a, const char *in, cp_graph **g, cp_error *err) {
    cp_status status = CP_OK;
    cp_sdn_report rep;
    memset(&rep, 0, sizeof rep);
    char *report = NULL;
    cp_sdn_options o;
    memset(&o, 0, sizeof o);
    o.alt_path = cli_get(a, "alt", NULL);
    o.add_path = cli_get(a, "add", NULL);
    const char *enc = cli_get(a, "encoding", "latin1");
    if (strcasecmp(enc, "latin1") == 0 || strcasecmp(enc, "latin-1") == 0 ||
        strcasecmp(enc, "iso-8859-1") == 0) {
        o.encoding = CP_SDN_LATIN1;
    } else if (strcasecmp(enc, "utf8") == 0 || strcasecmp(enc, "utf-8") == 0) {
        o.encoding = CP_SDN_UTF8;
    } else {
        CP_TRY(cp_error_set(err, CP_E_INVALID, "--encoding %s: expected latin1 or utf8", enc));
    }
    if (cli_get(a, "nodes", NULL) != NULL) {
        CP_TRY(cp_error_set(err, CP_E_INVALID, "--nodes is for CSV imports only"));
    }
    const char *given = cli_get(a, "unresolved", NULL);
    if (given != NULL) {
        report = strdup(given);
    } else {
        size_t len = strlen(a->output);
        if (len > 3 && strcmp(a->output + len - 3, ".h5") == 0) {
            len -= 3;
        }
        report = malloc(len + sizeof ".unresolved.csv");
        if (report != NULL) {
            snprintf(report, len + sizeof ".unresolved.csv", "%.*s.unresolved.csv", (int)len,
                     a->output);
        }
    }
    if (report == NULL) {
        CP_TRY(cp_error_set(err, CP_E_NOMEM, "out of memory"));
    }
    const char *inputs[] = {in, o.alt_path, o.add_path, a->output};
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        if (inputs[i] != NULL && strcmp(inputs[i], report) == 0) {
            CP_TRY(cp_error_set(err, CP_E_INVALID,
                                "--unresolved %s names a file the import reads or writes; give "
                                "another name",
                                report));
        }
    }
    CP_TRY(cp_import_sdn(g, in, &o, &rep, err));
    CP_TRY(cp_sdn_report_write_csv(&rep, report, err));
    if (!a->quiet) {
        printf("%s: %lld entries; Linked To names: %lld found, %lld resolved, %lld unresolved, "
               "%lld ambiguous; vessel owners: %lld found, %lld resolved, %lld unresolved, %lld "
               "ambiguous\n",
               in, (long long)rep.entries, (long long)rep.linked.found,
               (long long)rep.linked.resolved, (long long)rep.linked.unresolved,
               (long long)rep.linked.ambiguous, (long long)rep.owner.found,
               (long long)rep.owner.resolved, (long long)rep.owner.unresolved,
               (long long)rep.owner.ambiguous);
        printf("aliases %lld; countries set %lld, unmapped %lld; ALT/ADD rows for unknown "
               "entries %lld; %lld issues listed in %s\n",
               (long long)rep.aliases, (long long)rep.countries_set,
               (long long)rep.countries_unmapped, (long long)rep.orphans, (long long)rep.n_issues,
               report);
    }
cleanup:
    cp_sdn_report_free(&rep);
    free(report);
    return status;
}

/* --format ftm | icij: FollowTheMoney JSON lines (FILE) or ICIJ Offshore Leaks CSVs (DIR, or a
 * relationships FILE with --nodes FILE ...); says what was not imported on stderr. */
static cp_status import_records(const cli_args *a, const char *in, const char *format, cp_graph **g,
                                cp_import_report *rep, cp_error *err) {
    cp_status status = CP_OK;
    if (strcmp(format, "ftm") == 0) {
        if (cli_get(a, "nodes", NULL) != NULL) {
            return cp_error_set(err, CP_E_INVALID, "--nodes is not used by --format ftm");
        }
        CP_TRY(cp_import_ftm(g, rep, in, err));
    } else {
        cp_icij_options o;
        memset(&o, 0, sizeof o);
        struct stat st;
        if (stat(in, &st) == 0 && S_ISDIR(st.st_mode)) {
            o.dir = in;
        } else {
            o.relationships = in;
        }
        for (int i = 0; i < a->n_opts; i++) {
            if (strcmp(a->opt_name[i], "nodes") == 0) {
                if (o.n_node_files == 16) {
                    return cp_error_set(err, CP_E_INVALID, "--nodes: at most 16 ICIJ node files");
                }
                o.node_files[o.n_node_files++] = a->opt_value[i];
            }
        }
        CP_TRY(cp_import_icij(g, rep, &o, err));
    }
    if (!a->quiet) {
        fprintf(stderr,
                "%s: %lld records, %lld nodes, %lld edges; %lld duplicate ids, %lld unresolved "
                "references, %lld records of types not imported, %lld ownerships without a "
                "readable share, %lld payments without a readable amount\n",
                format, (long long)rep->records, (long long)rep->nodes, (long long)rep->edges,
                (long long)rep->duplicates, (long long)rep->unresolved, (long long)rep->skipped,
                (long long)rep->no_share, (long long)rep->no_amount);
        if (rep->text != NULL) {
            fputs(rep->text, stderr);
        }
    }
cleanup:
    return status;
}

/* Merges --same-as pairs (when given) and writes the graph with its extras: share bounds from
 * the importer and the merge record. */
static cp_status write_graph(const cli_args *a, cp_graph **g, const cp_import_report *rep,
                             const char *created, cp_error *err) {
    cp_status status = CP_OK;
    cp_merge_record rec;
    cp_graph *merged = NULL;
    cp_graph_h5_extra x;
    memset(&rec, 0, sizeof rec);
    memset(&x, 0, sizeof x);
    const char *same = cli_get(a, "same-as", NULL);
    if (same != NULL) {
        CP_TRY(cp_graph_merge_same_as(&merged, &rec, *g, same, err));
        cp_graph_free(g);
        *g = merged;
        merged = NULL;
        if (!a->quiet) {
            fprintf(stderr,
                    "same-as %s: %lld pairs, %lld records merged into others, %lld pairs "
                    "skipped (an id is not a node), %lld edges became self-loops (kept)\n",
                    same, (long long)rec.pairs, (long long)rec.n, (long long)rec.unknown,
                    (long long)rec.self_loops);
            if (rec.unknown > 0) {
                fprintf(stderr, "  %s:%lld: first unknown id '%s'\n", same,
                        (long long)rec.first_unknown_line, rec.first_unknown_id);
            }
        }
        x.n_merged = rec.n;
        x.merged_id = (const char *const *)rec.id;
        x.merged_into = rec.into;
    }
    if (rep->share_lower != NULL && rep->m == cp_graph_m(*g)) {
        x.n_edge_cols = 2;
        x.edge_col_name[0] = "share_lower";
        x.edge_col[0] = rep->share_lower;
        x.edge_col_desc[0] = "lower bound of each edge's share (fraction; the weight on layer "
                             "ownership; equal to the weight on other layers)";
        x.edge_col_name[1] = "share_upper";
        x.edge_col[1] = rep->share_upper;
        x.edge_col_desc[1] = "upper bound of each edge's share (fraction; equal to the weight "
                             "on other layers)";
    }
    CP_TRY(cp_graph_write_h5_ex(*g, a->output, created, &x, err));
cleanup:
    cp_merge_record_free(&rec);
    return status;
}

static const char *guess_format(const char *path) {
    const char *dot = strrchr(path, '.');
    if (dot != NULL && (strcmp(dot, ".csv") == 0 || strcmp(dot, ".tsv") == 0)) {
        return "csv";
    }
    if (dot != NULL && strcmp(dot, ".mtx") == 0) {
        return "mtx";
    }
    return "edgelist";
}

int cmd_import(int argc, char **argv) {
    cli_args a;
    cp_error err;
    cp_error_clear(&err);
    cp_graph *g = NULL;
    cp_import_report rep;
    cp_import_report_init(&rep);
    cp_status status = cli_parse(&a, "import", argc, argv, 2, specs,
                                 "FILE [--nodes NODES.csv] -o OUT.h5 [options]", &err);
    if (status != CP_OK) {
        return cli_fail(&a, status, &err);
    }
    if (a.n_pos != 1 || a.output == NULL) {
        cp_error_set(&err, CP_E_INVALID, "expected: chokepoint import FILE -o OUT.h5 (see --help)");
        return cli_fail(&a, CP_E_INVALID, &err);
    }
    const char *in = a.pos[0];
    const char *nodes = cli_get(&a, "nodes", NULL);
    const char *format = cli_get(&a, "format", guess_format(in));
    cp_layer_options layer;
    memset(&layer, 0, sizeof layer);
    layer.name = cli_get(&a, "layer", NULL);
    layer.units = cli_get(&a, "units", "");
    layer.undirected = cli_flag(&a, "undirected");
    layer.pattern = cli_flag(&a, "pattern");
    const char *meaning = cli_get(&a, "meaning", NULL);
    if (meaning != NULL && cp_weight_meaning_parse(meaning, &layer.meaning) != CP_OK) {
        status =
            cp_error_set(&err, CP_E_INVALID,
                         "--meaning %s: expected share, amount, count, length or none", meaning);
        goto cleanup;
    }
    if (strcmp(format, "csv") == 0) {
        cp_csv_options o;
        cp_csv_options_init(&o);
        const char *d = cli_get(&a, "delimiter", NULL);
        if (d != NULL) {
            if (strcmp(d, "tab") == 0 || strcmp(d, "\\t") == 0) {
                o.delimiter = '\t';
            } else if (strlen(d) == 1) {
                o.delimiter = d[0];
            } else {
                status = cp_error_set(&err, CP_E_INVALID,
                                      "--delimiter %s: expected one character or 'tab'", d);
                goto cleanup;
            }
        }
        o.source_col = cli_get(&a, "source-col", o.source_col);
        o.target_col = cli_get(&a, "target-col", o.target_col);
        o.weight_col = cli_get(&a, "weight-col", o.weight_col);
        o.time_col = cli_get(&a, "time-col", o.time_col);
        o.nodes_path = nodes;
        o.id_col = cli_get(&a, "id-col", o.id_col);
        o.kind_col = cli_get(&a, "kind-col", o.kind_col);
        o.country_col = cli_get(&a, "country-col", o.country_col);
        o.groups_col = cli_get(&a, "groups-col", o.groups_col);
        for (int i = 0; i < a.n_opts && o.n_group_rules < 16; i++) {
            if (strcmp(a.opt_name[i], "group") == 0) {
                o.group_rules[o.n_group_rules++] = a.opt_value[i];
            }
        }
        if (layer.name == NULL) {
            layer.name = o.layer.name;
        }
        o.no_header = cli_flag(&a, "no-header");
        o.layer = layer;
        CP_TRY(cp_import_csv(&g, in, &o, &err));
    } else if (strcmp(format, "edgelist") == 0 || strcmp(format, "mtx") == 0) {
        if (nodes != NULL) {
            status = cp_error_set(&err, CP_E_INVALID, "--nodes is for CSV imports only");
            goto cleanup;
        }
        if (layer.name == NULL) {
            layer.name = "edges";
        }
        if (strcmp(format, "mtx") == 0) {
            CP_TRY(cp_import_mtx(&g, in, &layer, &err));
        } else {
            CP_TRY(cp_import_edgelist(&g, in, &layer, &err));
        }
    } else if (strcmp(format, "sdn") == 0) {
        CP_TRY(import_sdn(&a, in, &g, &err));
    } else if (strcmp(format, "ftm") == 0 || strcmp(format, "icij") == 0) {
        CP_TRY(import_records(&a, in, format, &g, &rep, &err));
    } else {
        status = cp_error_set(&err, CP_E_INVALID,
                              "--format %s: expected csv, edgelist, mtx, sdn, ftm or icij", format);
        goto cleanup;
    }
    char created[256];
    snprintf(created, sizeof created, "chokepoint %s import (%s)", CP_VERSION, format);
    CP_TRY(write_graph(&a, &g, &rep, created, &err));
    if (!a.quiet) {
        printf("wrote %s: %d nodes, %lld edges from %s (%s)\n", a.output, cp_graph_n(g),
               (long long)cp_graph_m(g), in, format);
    }
cleanup:
    if (status < 0 && status != CP_E_INVALID) {
        cli_blame(&err, in);
    }
    cp_graph_free(&g);
    cp_import_report_free(&rep);
    return status < 0 ? cli_fail(&a, status, &err) : 0;
}
