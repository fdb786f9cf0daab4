#!/usr/bin/python3
"""Independent reader of chokepoint-results files, using h5py and numpy only (none of our code).

Usage: read_results_h5py.py FILE [FILE ...]

Walks every group, dataset and attribute of each file and checks it against the results schema
(version 1) of the README ("File schemas" and the commands' sections): root attributes,
/provenance, /nodes/id, /centrality, /components, /scenarios (also `simulate --curve-only`),
/ownership (`block`, `block --versus`, `block --ranges`, `owners`, also with `--of`) and /diff
(`diff -o FILE.h5`), with the dtype and shape of every dataset in terms of n (graph nodes), the
seeds, the budget k, the null runs, the entities asked for and the change counts recorded in the
attributes.
Every dataset must carry a `description` attribute, every value must be readable, and a dataset
the schema does not name is an error. Prints one line per file: "FILE ok: D datasets, A
attributes"; exits 1 listing every problem otherwise.
"""
import re
import sys

import h5py
import numpy as np

METRICS = ("reach", "reach-volume", "pairs", "flow", "lcc", "path-length", "efficiency",
           "scc-pairs", "lscc")
PROVENANCE_STR = ("tool", "version", "git_commit", "command_line", "date", "host", "backend",
                  "device")
PROVENANCE_NUM = ("threads", "seed")
SCENARIO_ATTRS = ("strategy", "mode", "budget", "round_size", "reroute", "rerank", "seeds",
                  "seed_first", "sources", "targets", "candidates", "substitutes", "layers",
                  "objective", "intact_flow")
# simulate --curve-only --order FILE: one lcc curve along the order, no S-T scenario parameters.
CURVE_ONLY_ATTRS = ("strategy", "mode", "budget", "order", "layers")
VERSUS_ATTRS = ("versus", "n_designated", "n_newly_blocked")
DIFF_CHANGES = ("entries_added", "entries_removed", "links_added", "links_removed")


def text(value):
    return value.decode("utf-8") if isinstance(value, bytes) else value


class Checker:
    def __init__(self, path):
        self.path = path
        self.problems = []
        self.datasets = 0
        self.attributes = 0

    def fail(self, msg):
        msg = f"{self.path}: {msg}"
        if msg not in self.problems:  # a group's problem is found once per dataset in it
            self.problems.append(msg)

    def expect(self, name, ds, kinds, shape):
        """kinds: numpy dtype kinds/strings accepted; shape: tuple with None for any length."""
        dt = ds.dtype
        ok_kind = False
        for k in kinds:
            if k == "str":
                ok_kind = ok_kind or h5py.check_string_dtype(dt) is not None
            else:
                ok_kind = ok_kind or dt == np.dtype(k)
        if not ok_kind:
            self.fail(f"{name}: dtype {dt}, expected {' or '.join(kinds)}")
        if len(shape) != len(ds.shape) or any(
                s is not None and s != d for s, d in zip(shape, ds.shape)):
            self.fail(f"{name}: shape {ds.shape}, expected {shape}")

    def check(self):
        with h5py.File(self.path, "r") as f:
            if text(f.attrs.get("schema")) != "chokepoint-results":
                self.fail(f"root attribute schema is {f.attrs.get('schema')!r}")
            if int(f.attrs.get("schema_version", -1)) != 1:
                self.fail(f"root attribute schema_version is {f.attrs.get('schema_version')!r}")
            prov = f.get("provenance")
            if prov is None:
                self.fail("no /provenance group")
                return
            for key in PROVENANCE_STR:
                if not isinstance(text(prov.attrs.get(key)), str):
                    self.fail(f"/provenance attribute {key} missing or not a string")
            for key in PROVENANCE_NUM:
                if not np.issubdtype(np.asarray(prov.attrs.get(key, "x")).dtype, np.number):
                    self.fail(f"/provenance attribute {key} missing or not a number")
            sha = text(prov.attrs.get("input_sha256", ""))
            if not re.fullmatch(r"[0-9a-f]{64}", sha):
                self.fail(f"/provenance input_sha256 is {sha!r}")
            if "old_input_sha256" in prov.attrs or "diff" in f:  # diff: the OLD side's file
                old = text(prov.attrs.get("old_input_sha256", ""))
                if not re.fullmatch(r"[0-9a-f]{64}", old):
                    self.fail(f"/provenance old_input_sha256 is {old!r}")
                if not isinstance(text(prov.attrs.get("old_input")), str):
                    self.fail("/provenance attribute old_input missing or not a string")
            n = int(prov.attrs["n"]) if "n" in prov.attrs else None
            if n is None:
                self.fail("/provenance attribute n missing")
                return
            f.visititems(lambda name, obj: self.visit(f, name, obj, n))

    def visit(self, f, name, obj, n):
        for key, value in obj.attrs.items():
            self.attributes += 1
            value = text(value)  # every attribute value decodes
        if isinstance(obj, h5py.Group):
            return
        self.datasets += 1
        data = obj[...]  # every value is readable
        if "description" not in obj.attrs:
            self.fail(f"/{name}: no description attribute")
        if data.dtype.kind == "f" and np.isinf(data).any():
            self.fail(f"/{name}: holds an infinity")
        p = name.split("/")
        if name == "nodes/id":
            self.expect(name, obj, ("int64", "str"), (n,))
        elif p[0] == "centrality" and len(p) == 2:
            self.expect(name, obj, ("float64",), (1,) if p[1] == "group-betweenness" else (n,))
        elif p[0] == "components" and len(p) == 2:
            self.expect(name, obj, ("int32",), (n,))
            if len(data) and (data.min() < 0 or data.max() >= n or (data > np.arange(n)).any()):
                self.fail(f"/{name}: labels must be the smallest node index of the component")
        elif p[0] == "scenarios" and len(p) >= 3:
            self.scenario(f, name, obj, data, p, n)
        elif p[0] == "ownership":
            self.ownership(f, name, obj, data, p, n)
        elif p[0] == "diff" and len(p) >= 2:
            self.diff(f, name, obj, p)
        else:
            self.fail(f"/{name}: not in the results schema")

    def scenario(self, f, name, obj, data, p, n):
        sc = f["scenarios/" + p[1]]
        curve_only = text(sc.attrs.get("mode")) == "curve-only"
        for key in CURVE_ONLY_ATTRS if curve_only else SCENARIO_ATTRS:
            if key not in sc.attrs:
                self.fail(f"/scenarios/{p[1]}: attribute {key} missing")
                return
        seeds, k = int(sc.attrs.get("seeds", 1)), int(sc.attrs["budget"])
        rest = "/".join(p[2:])
        if curve_only and rest not in ("removed", "curve/lcc"):
            self.fail(f"/{name}: not in the results schema (simulate --curve-only writes only "
                      "removed and curve/lcc)")
        elif curve_only and seeds != 1:
            self.fail(f"/scenarios/{p[1]}: a curve-only order has one row, not seeds={seeds}")
        elif rest == "removed":
            self.expect(name, obj, ("int32",), (seeds, k))
            if ((data < -1) | (data >= n)).any():
                self.fail(f"/{name}: node index out of range")
        elif len(p) == 4 and p[2] in ("curve", "curve_before") and p[3] in METRICS:
            self.expect(name, obj, ("float64",), (seeds, k + 1))
        elif len(p) == 5 and p[2] == "null" and p[3] == "curve" and p[4] in METRICS:
            runs = int(sc.attrs.get("null_runs", -1))
            self.expect(name, obj, ("float64",), (runs, k + 1))
            if text(sc.attrs.get("null")) != "rewire":
                self.fail(f"/scenarios/{p[1]}: null curves without attribute null=rewire")
        elif rest == "cost_spent":
            self.expect(name, obj, ("float64",), (seeds, k + 1))
            if "cost_budget" not in sc.attrs:
                self.fail(f"/scenarios/{p[1]}: cost_spent without attribute cost_budget")
        elif len(p) == 4 and p[2] == "response":
            kinds = {"edge": "int64", "weight": "float64", "merged": "uint8"}
            if p[3] not in ("seed", "round", "step", "source", "from", "to", "edge", "weight",
                            "merged"):
                self.fail(f"/{name}: not in the results schema")
            self.expect(name, obj, (kinds.get(p[3], "int32"),), (None,))
            if len(obj) != len(sc["response/seed"]):
                self.fail(f"/{name}: the response fields differ in length")
        elif len(p) == 4 and p[2] == "closure" and p[3] in ("seed", "node", "round", "step"):
            self.expect(name, obj, ("int32",), (len(sc["closure/node"]),))
            if "closure" not in sc.attrs:
                self.fail(f"/scenarios/{p[1]}: closure lists without attribute closure")
        elif len(p) == 4 and p[2] == "reinserted" and p[3] in ("seed", "node"):
            self.expect(name, obj, ("int32",), (len(sc["reinserted/node"]),))
        elif len(p) == 4 and p[2] == "after_reinsertion" and p[3] in METRICS:
            self.expect(name, obj, ("float64",), (seeds,))
        else:
            self.fail(f"/{name}: not in the results schema")

    def in_range(self, name, data, n):
        if len(data) and (data.min() < 0 or data.max() >= n):
            self.fail(f"/{name}: node index out of range")

    def ownership(self, f, name, obj, data, p, n):
        rest = "/".join(p[1:])
        per_node = {"blocked": "uint8", "possibly_blocked": "uint8", "exposure": "float64",
                    "blocked_ppm": "int64", "round": "int32", "versus/blocked": "uint8",
                    "versus/exposure": "float64", "versus/round": "int32",
                    "certain/blocked": "uint8", "certain/exposure": "float64",
                    "possible/blocked": "uint8", "possible/exposure": "float64"}
        # owners: one row per entity asked for (--of), k of them, listed in integrated/targets.
        per_target = {"integrated/targets": "int32", "integrated/terms": "int32",
                      "integrated/state": "uint8"}
        k = len(f["ownership/integrated/targets"]) if "integrated/targets" in f["ownership"] \
            else None
        if rest in per_node:
            self.expect(name, obj, (per_node[rest],), (n,))
            if p[1] == "versus":
                for key in VERSUS_ATTRS:
                    if key not in f["ownership/versus"].attrs:
                        self.fail(f"/ownership/versus: attribute {key} missing")
            if p[1] in ("certain", "possible"):
                self.ranges(f, name, data, p)
        elif rest in ("versus/only_designated", "versus/only_versus"):
            self.expect(name, obj, ("int32",), (None,))
            self.in_range(name, data, n)
        elif rest in per_target:
            self.expect(name, obj, (per_target[rest],), (k,))
            if rest == "integrated/targets":
                self.in_range(name, data, n)
                if (np.diff(data) <= 0).any():
                    self.fail(f"/{name}: targets must be ascending and distinct")
            if rest == "integrated/state" and len(data) and data.max() > 3:
                self.fail(f"/{name}: state must be 0, 1, 2 or 3")
        elif rest in ("tipped_offsets", "integrated/offsets", "ultimate/offsets"):
            rows = n if rest == "tipped_offsets" else k
            if rows is None:
                self.fail(f"/{name}: without /ownership/integrated/targets")
                return
            self.expect(name, obj, ("int64",), (rows + 1,))
            if len(data) and (data[0] != 0 or (np.diff(data) < 0).any()):
                self.fail(f"/{name}: offsets must start at 0 and never decrease")
        elif rest in ("tipped_by", "integrated/owners", "ultimate/owners"):
            self.expect(name, obj, ("int32",), (None,))
            self.in_range(name, data, n)
            offsets = {"tipped_by": "tipped_offsets"}.get(rest, p[1] + "/offsets")
            if len(data) != int(f["ownership/" + offsets][-1]):
                self.fail(f"/{name}: length differs from the last offset")
        elif rest in ("integrated/share", "ultimate/share"):
            self.expect(name, obj, ("float64",), (len(f["ownership/" + p[1] + "/owners"]),))
        else:
            self.fail(f"/{name}: not in the results schema")

    def ranges(self, f, name, data, p):
        """block --ranges: the closures at the lower (certain) and upper (possible) bounds of
        the shares come as a pair; statuses are 0/1/2, what is certainly blocked is possibly
        blocked, and exposures are fractions, never lower at the upper bounds."""
        other = "possible" if p[1] == "certain" else "certain"
        if f"ownership/{other}/{p[2]}" not in f:
            self.fail(f"/{name}: without /ownership/{other}/{p[2]}")
            return
        if "n_newly_blocked" not in f["ownership/" + p[1]].attrs:
            self.fail(f"/ownership/{p[1]}: attribute n_newly_blocked missing")
        if p[1] != "possible" or data.shape != f[f"ownership/certain/{p[2]}"].shape:
            return
        low = f[f"ownership/certain/{p[2]}"][()]
        if p[2] == "blocked":
            if len(data) and max(data.max(), low.max()) > 2:
                self.fail(f"/{name}: status must be 0, 1 or 2")
            if ((low != 0) & (data == 0)).any():
                self.fail(f"/{name}: an entity certainly blocked is not possibly blocked")
        elif (np.isnan(data).any() or np.isnan(low).any() or (low < 0).any()
              or (data < low).any()):
            self.fail(f"/{name}: exposures must be >= 0 and not below /ownership/certain/exposure")

    def diff(self, f, name, obj, p):
        """diff -o FILE.h5: ids (strings) of the entries added and removed, and the links added
        and removed as parallel source/target/layer strings; the counts are attributes of
        /diff, and so are the paths old and new."""
        d = f["diff"]
        for key in ("old", "new") + DIFF_CHANGES:
            if key not in d.attrs:
                self.fail(f"/diff: attribute {key} missing")
                return
        if p[1] in ("entries_added", "entries_removed") and len(p) == 2:
            self.expect(name, obj, ("str",), (int(d.attrs[p[1]]),))
        elif p[1] in ("links_added", "links_removed") and len(p) == 3 and \
                p[2] in ("source", "target", "layer"):
            self.expect(name, obj, ("str",), (int(d.attrs[p[1]]),))
        else:
            self.fail(f"/{name}: not in the results schema")


def main(paths):
    problems = []
    for path in paths:
        c = Checker(path)
        c.check()
        problems += c.problems
        if not c.problems:
            print(f"{path} ok: {c.datasets} datasets, {c.attributes} attributes")
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
