/* chokepoint import FILE [--nodes NODES.csv] -o OUT.h5 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../io/graph_h5.h"
#include "../../io/import.h"
#include "cli.h"

static const cli_opt_spec specs[] = {
    {"format", true,
     "csv|edgelist|mtx (default: from the extension: .csv/.tsv csv, .mtx mtx, "
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
    {NULL, false, NULL},
};

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
    } else {
        status =
            cp_error_set(&err, CP_E_INVALID, "--format %s: expected csv, edgelist or mtx", format);
        goto cleanup;
    }
    char created[256];
    snprintf(created, sizeof created, "chokepoint %s import (%s)", CP_VERSION, format);
    CP_TRY(cp_graph_write_h5(g, a.output, created, &err));
    if (!a.quiet) {
        printf("wrote %s: %d nodes, %lld edges from %s (%s)\n", a.output, cp_graph_n(g),
               (long long)cp_graph_m(g), in, format);
    }
cleanup:
    if (status < 0 && status != CP_E_INVALID) {
        cli_blame(&err, in);
    }
    cp_graph_free(&g);
    return status < 0 ? cli_fail(&a, status, &err) : 0;
}
