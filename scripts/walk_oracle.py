#!/usr/bin/env python3
"""Walking distances recomputed with scipy from a graph written by --export-network.

usage: walk_oracle.py NETWORK.geojson TIERS OUT.csv [--check CHECK.csv]

For every tier (comma-separated names, e.g. street_green,leisure,park), a super source is
joined to every entrance (`kind: start`) with its `<tier>_start_m`; scipy.sparse.csgraph.dijkstra
runs over the reversed walkable arcs (a walk goes from a home to an entrance), and each
home-snap gets snap_m + min over its edge's walkable ends of along_*_m + the end's value. The
answers are written as `id,<tier>_m,...` (empty: unreached). With --check, every home's
`<tier>_m` in greenreach's per-point file must equal the answer within 1 cm, except homes inside
a polygon of the tier (straight distance 0, walking 0), which the graph does not represent.
Standards without size classes only (no R − r offsets to subtract).
"""
import csv
import json
import sys

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

SHIFT = 1000.0  # keeps the super-source edges strictly positive


def main():
    net_path, tiers, out_path = sys.argv[1], sys.argv[2].split(","), sys.argv[3]
    check = sys.argv[5] if len(sys.argv) > 5 and sys.argv[4] == "--check" else None
    feats = json.load(open(net_path))["features"]
    edges = [f["properties"] for f in feats if f["properties"]["kind"] == "edge"]
    starts = [f["properties"] for f in feats if f["properties"]["kind"] == "start"]
    homes = [f["properties"] for f in feats if f["properties"]["kind"] == "home-snap"]
    n = 1 + max(max(e["u"], e["v"]) for e in edges)
    s = n  # super source
    best = {}

    def arc(a, b, w):
        if w < best.get((a, b), np.inf):
            best[(a, b)] = w

    # Reversed arcs: walkable u -> v is stored v -> u.
    for e in edges:
        if e["forward"]:
            arc(e["v"], e["u"], e["length_m"])
        if e["backward"]:
            arc(e["u"], e["v"], e["length_m"])
    answers = {h["id"]: {} for h in homes}
    for t in tiers:
        arcs = dict(best)
        for st in starts:
            key = f"{t}_start_m"
            if key in st:
                a = (s, st["node"])
                arcs[a] = min(arcs.get(a, np.inf), st[key] + SHIFT)
        rows, cols = zip(*arcs.keys())
        g = csr_matrix((list(arcs.values()), (rows, cols)), shape=(n + 1, n + 1))
        d = dijkstra(g, directed=True, indices=s) - SHIFT
        for h in homes:
            e = edges[h["edge"]]
            v = np.inf
            if e["backward"]:
                v = min(v, h["along_u_m"] + d[h["u"]])
            if e["forward"]:
                v = min(v, h["along_v_m"] + d[h["v"]])
            answers[h["id"]][t] = h["snap_m"] + v
    with open(out_path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id"] + [f"{t}_m" for t in tiers])
        for hid, a in answers.items():
            w.writerow([hid] + ["" if not np.isfinite(a[t]) else f"{a[t]:.4f}" for t in tiers])
    if check:
        bad = checked = inside = 0
        for r in csv.DictReader(open(check)):
            if r["status"] != "ok":
                continue
            for t in tiers:
                ours = r[f"{t}_m"]
                oracle = answers[r["id"]][t]
                if ours == "":
                    if np.isfinite(oracle) and oracle <= 5000:
                        bad += 1
                    continue
                if float(ours) == 0.0 and r[f"{t}_straight_m"] == "0.00":
                    inside += 1
                    continue
                checked += 1
                if abs(float(ours) - oracle) > 0.01:
                    bad += 1
                    if bad < 10:
                        print("mismatch", r["id"], t, ours, oracle)
        print(f"{checked} distances equal within 1 cm, {inside} inside a polygon, {bad} mismatches")
        sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
