#!/usr/bin/python3
"""Counts that the SDN importer tests compare against, computed independently of the C code.

Reads the two OFAC SDN snapshots in ../shared/datasets/sdn/ with Python's csv module (bytes
decoded as Latin-1) and re-implements, from the written rules in io/sdn.h, the name matching of
"Linked To:" remarks and the vessel owner column. Writes tests/fixtures/import/sdn_real_counts.txt
as "key value" lines; <snap> is the file's date (e.g. 2024-05-03):
  <snap>.entries             rows (entries)
  <snap>.kind.<KIND>         entries per kind (person, company, vessel, aircraft)
  <snap>.group.<NAME>        size of a group (designated, some programs)
  <snap>.programs            number of distinct programs
  <snap>.linked.found        "Linked To:" mentions;  .linked.resolved / .unresolved / .ambiguous
  <snap>.owner.found         non-empty vessel owner cells; .owner.resolved / .unresolved / .ambiguous
  <snap>.m.linked, .m.owner  edges per layer (resolved links less repeats of the same edge and
                             less references of an entry to itself)
  diff.entries_added / diff.entries_removed / diff.links_added / diff.links_removed
                             between the older and the newer snapshot, by entity number; a link is
                             (source entity, target entity, layer)
Run from the repository root:  /usr/bin/python3 tests/oracle/count_sdn.py
"""
import csv
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(os.path.dirname(ROOT), "shared", "datasets", "sdn")
OUT = os.path.join(ROOT, "tests", "fixtures", "import", "sdn_real_counts.txt")
SNAPS = ["2021-08-18", "2024-05-03"]
KINDS = {"individual": "person", "vessel": "vessel", "aircraft": "aircraft", "": "company"}
GROUPS = ["designated", "program:SDGT", "program:DPRK3", "program:IRAN", "program:CUBA",
          "program:RUSSIA-EO14024", "program:CAATSA - RUSSIA"]


def empty(v):
    v = v.strip()
    return "" if v == "-0-" else v


def norm(text):
    """Upper case; '&' is the word AND; '.', apostrophes and backquotes vanish; any other
    character that is not a letter or digit separates words; words joined by single spaces."""
    out = []
    for ch in text:
        if ch == "&":
            out.append(" AND ")
        elif ch in ".'`":
            continue
        elif ch.isascii() and not ch.isalnum():
            out.append(" ")
        elif ch.isascii():
            out.append(ch.upper())
        elif "\u00e0" <= ch <= "\u00fe" and ch != "\u00f7":
            out.append(chr(ord(ch) - 0x20))  # the Latin-1 small letters' capitals
        else:
            out.append(ch)
    return " ".join(w for w in "".join(out).split(" ") if w)


def parse_remarks(remarks):
    """(linked names, aliases) from the remarks' ';'-separated items."""
    linked, aliases = [], []
    for item in remarks.split(";"):
        item = item.strip(" \t\r\n\v\f")
        low = item.lower()
        if low.startswith("linked to:"):
            linked.append(item[len("linked to:"):].strip())
        elif low.startswith(("a.k.a.", "f.k.a.", "n.k.a.")):
            a, b = item.find("'"), item.rfind("'")
            if a >= 0 and b > a:
                aliases.append(item[a + 1:b])
    return linked, aliases


def load(path):
    with open(path, newline="", encoding="latin-1") as f:
        rows = [r for r in csv.reader(f) if r != ["\x1a"]]  # OFAC's closing Ctrl-Z line
    assert all(len(r) == 12 for r in rows), path
    entries = []
    for r in rows:
        linked, aliases = parse_remarks(empty(r[11]))
        programs = [p.strip().strip("[]").strip() for p in empty(r[3]).split("] [")]
        entries.append({"id": int(r[0]), "name": r[1].strip(), "kind": KINDS[empty(r[2])],
                        "programs": [p for p in programs if p], "owner": empty(r[10]),
                        "linked": linked, "aliases": aliases})
    return entries


def resolve(entries):
    primary, alias = {}, {}
    for e in entries:
        primary.setdefault(norm(e["name"]), set()).add(e["id"])
        for a in e["aliases"]:
            alias.setdefault(norm(a), set()).add(e["id"])
    counts = {}
    edges = set()

    def one(layer, text, make_edge):
        counts[layer + ".found"] = counts.get(layer + ".found", 0) + 1
        key = norm(text)
        hits = primary.get(key, set()) if key else set()
        if not hits and key:
            hits = alias.get(key, set())
        status = "resolved" if len(hits) == 1 else ("ambiguous" if hits else "unresolved")
        counts[layer + "." + status] = counts.get(layer + "." + status, 0) + 1
        if len(hits) == 1 and next(iter(hits)) != e_id[0]:  # a self reference makes no edge
            edges.add(make_edge(next(iter(hits))) + (layer,))

    e_id = [None]
    for e in entries:
        e_id[0] = e["id"]
        for t in e["linked"]:
            one("linked", t, lambda x: (e["id"], x))
        if e["owner"]:
            one("owner", e["owner"], lambda x: (x, e["id"]))
    return counts, edges


def main():
    out = ["# written by tests/oracle/count_sdn.py (Python %s, csv module, latin-1)" %
           sys.version.split()[0]]
    by_snap = {}
    for snap in SNAPS:
        entries = load(os.path.join(DATA, "sdn_%s.csv" % snap))
        counts, edges = resolve(entries)
        by_snap[snap] = ({e["id"] for e in entries}, edges)
        out.append("%s.entries %d" % (snap, len(entries)))
        for k in sorted(set(KINDS.values())):
            out.append("%s.kind.%s %d" % (snap, k, sum(e["kind"] == k for e in entries)))
        progs = {}
        for e in entries:
            for p in set(e["programs"]):
                progs[p] = progs.get(p, 0) + 1
        out.append("%s.programs %d" % (snap, len(progs)))
        for g in GROUPS:
            size = len(entries) if g == "designated" else progs.get(g[len("program:"):], 0)
            out.append("%s.group.%s %d" % (snap, g.replace(" ", "_"), size))
        for layer in ("linked", "owner"):
            for what in ("found", "resolved", "unresolved", "ambiguous"):
                out.append("%s.%s.%s %d" % (snap, layer, what,
                                            counts.get(layer + "." + what, 0)))
            out.append("%s.m.%s %d" % (snap, layer, sum(1 for e in edges if e[2] == layer)))
    (old_ids, old_edges), (new_ids, new_edges) = by_snap[SNAPS[0]], by_snap[SNAPS[1]]
    out.append("diff.entries_added %d" % len(new_ids - old_ids))
    out.append("diff.entries_removed %d" % len(old_ids - new_ids))
    out.append("diff.links_added %d" % len(new_edges - old_edges))
    out.append("diff.links_removed %d" % len(old_edges - new_edges))
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        f.write("\n".join(out) + "\n")
    print("\n".join(out))


if __name__ == "__main__":
    main()
