"""Walking peers on greenreach's own graph: scipy, networkx (and pandana when it installs)
over the graph a `check --metric walk --export-network` wrote, the same work as greenreach's
searches: per tier one multi-source shortest-path search from every entrance (with its start
offset) cut off at the search limit, then every home read from the two ends of its snapped
edge. Prints each peer's time per step and the largest difference from greenreach's
per-point file (they must agree within 1 cm).

    python benches/peers/walk.py NETWORK.geojson CHECK.csv street_green,leisure,park [LIMIT_M]
        [--no-pandana]

A tier with no entrances (Liechtenstein has no park) reaches nothing. A home that one side
reaches and the other does not is counted as a disagreement. pandana's contraction
hierarchies took more than 15 minutes on the 50 m street grid; `--no-pandana` skips it.
"""

import csv
import json
import sys
import time

import numpy as np

SHIFT = 1000.0  # keeps the super-source arcs strictly positive


def load(path):
    t = time.perf_counter()
    feats = json.load(open(path))["features"]
    edges = [f["properties"] for f in feats if f["properties"]["kind"] == "edge"]
    starts = [f["properties"] for f in feats if f["properties"]["kind"] == "start"]
    homes = [f["properties"] for f in feats if f["properties"]["kind"] == "home-snap"]
    node_xy = {
        f["properties"]["node"]: f["geometry"]["coordinates"]
        for f in feats
        if f["properties"]["kind"] in ("junction", "entrance")
    }
    del feats
    print(f"read {path}: {len(edges)} edges, {len(starts)} starts, {len(homes)} homes "
          f"({time.perf_counter() - t:.1f} s, not timed below)")
    return edges, starts, homes, node_xy


def main():
    args = [a for a in sys.argv[1:] if a != "--no-pandana"]
    with_pandana = len(args) == len(sys.argv) - 1
    net, check, tiers = args[0], args[1], args[2].split(",")
    limit = float(args[3]) if len(args) > 3 else 5000.0
    edges, starts, homes, node_xy = load(net)
    u = np.array([e["u"] for e in edges], dtype=np.int64)
    v = np.array([e["v"] for e in edges], dtype=np.int64)
    w = np.array([e["length_m"] for e in edges])
    fw = np.array([e["forward"] for e in edges], dtype=bool)
    bw = np.array([e["backward"] for e in edges], dtype=bool)
    n = int(max(u.max(), v.max())) + 1
    s = n  # super source
    # Reversed arcs: a walk goes from a home to an entrance.
    src = np.concatenate([v[fw], u[bw]])
    dst = np.concatenate([u[fw], v[bw]])
    wt = np.concatenate([w[fw], w[bw]])
    he = np.array([h["edge"] for h in homes], dtype=np.int64)
    hu, hv = u[he], v[he]
    au = np.array([h["along_u_m"] for h in homes])
    av = np.array([h["along_v_m"] for h in homes])
    gap = np.array([h["snap_m"] for h in homes])
    ids = [h["id"] for h in homes]
    starts_of = {}
    for t in tiers:
        key = f"{t}_start_m"
        st = [(x["node"], x[key]) for x in starts if key in x]
        starts_of[t] = (np.array([a for a, _ in st], dtype=np.int64), np.array([b for _, b in st]))

    def homes_from(d):
        du = np.where(bw[he], au + d[hu], np.inf)
        dv = np.where(fw[he], av + d[hv], np.inf)
        r = gap + np.minimum(du, dv)
        return np.where(r <= limit, r, np.nan)

    ours = {t: {} for t in tiers}
    for r in csv.DictReader(open(check)):
        for t in tiers:
            ours[t][r["id"]] = float(r[f"{t}_m"]) if r[f"{t}_m"] else np.nan

    def compare(name, answers):
        worst, one_sided, compared = 0.0, 0, 0
        for t in tiers:
            for i, hid in enumerate(ids):
                a, b = answers[t][i], ours[t][hid]
                if b == 0.0:
                    continue  # inside a polygon: 0 by the polygon, not by the graph
                if np.isnan(a) and np.isnan(b):
                    continue
                if np.isnan(a) or np.isnan(b):
                    # Reached by one side only: a disagreement, unless both are at the limit.
                    if abs(np.nan_to_num(a, nan=limit) - np.nan_to_num(b, nan=limit)) > 0.01:
                        one_sided += 1
                    continue
                compared += 1
                worst = max(worst, abs(a - b))
        print(f"{name}: largest difference from greenreach {worst:.4f} m over {compared} "
              f"home-tier answers; reached by one side only: {one_sided}")

    # scipy
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import dijkstra

    t0 = time.perf_counter()
    answers = {}
    build = 0.0
    for t in tiers:
        b0 = time.perf_counter()
        nodes, off = starts_of[t]
        g = csr_matrix(
            (np.concatenate([wt, off + SHIFT]),
             (np.concatenate([src, np.full(len(nodes), s)]), np.concatenate([dst, nodes]))),
            shape=(n + 1, n + 1),
        )
        build += time.perf_counter() - b0
        d = dijkstra(g, directed=True, indices=s, limit=limit + SHIFT) - SHIFT
        answers[t] = homes_from(d)
    total = time.perf_counter() - t0
    print(f"scipy csgraph.dijkstra: {total:.2f} s for {len(tiers)} tiers "
          f"({build:.2f} s of it building the matrices)")
    compare("scipy", answers)

    # networkx
    import networkx as nx

    b0 = time.perf_counter()
    G = nx.DiGraph()
    G.add_weighted_edges_from(zip(src.tolist(), dst.tolist(), wt.tolist()))
    build = time.perf_counter() - b0
    t0 = time.perf_counter()
    answers = {}
    for t in tiers:
        nodes, off = starts_of[t]
        if len(nodes) == 0:
            answers[t] = homes_from(np.full(n + 1, np.inf))
            continue
        G.add_weighted_edges_from((s, int(a), float(b) + SHIFT) for a, b in zip(nodes, off))
        dist = nx.single_source_dijkstra_path_length(G, s, cutoff=limit + SHIFT)
        G.remove_node(s)
        d = np.full(n + 1, np.inf)
        for k, x in dist.items():
            d[k] = x - SHIFT
        answers[t] = homes_from(d)
    total = time.perf_counter() - t0
    print(f"networkx single_source_dijkstra_path_length (super source): {total:.2f} s for "
          f"{len(tiers)} tiers (+{build:.2f} s building the graph)")
    compare("networkx", answers)

    if not with_pandana:
        print("pandana: skipped (--no-pandana)")
        return
    try:
        import pandana
        import pandas as pd
    except ImportError:
        print("pandana: not installed")
        return
    # pandana: an undirected graph (every way here is two-way), POIs at the entrance nodes
    # (mapped back to those nodes by their coordinates); it has no start offsets, so an
    # entrance's offset (a gap to a pseudo-entrance) is lost.
    nx_ = np.array([node_xy[k][0] for k in range(n)])
    ny_ = np.array([node_xy[k][1] for k in range(n)])
    b0 = time.perf_counter()
    net_ = pandana.Network(pd.Series(nx_), pd.Series(ny_), pd.Series(u), pd.Series(v),
                           pd.DataFrame({"w": w}), twoway=True)
    net_.precompute(limit)
    build = time.perf_counter() - b0
    t0 = time.perf_counter()
    answers = {}
    for t in tiers:
        nodes, off = starts_of[t]
        if len(nodes) == 0:
            answers[t] = homes_from(np.full(n + 1, np.inf))
            continue
        net_.set_pois(t, limit, 1, pd.Series(nx_[nodes]), pd.Series(ny_[nodes]))
        d = net_.nearest_pois(limit, t, num_pois=1)[1].reindex(range(n)).to_numpy(dtype=float)
        d = np.append(np.where(d >= limit, np.inf, d), np.inf)
        answers[t] = homes_from(d)
    total = time.perf_counter() - t0
    print(f"pandana nearest_pois: {total:.2f} s for {len(tiers)} tiers (+{build:.2f} s building "
          f"and precomputing)")
    biggest = max((float(off.max()) for _, off in starts_of.values() if len(off)), default=0.0)
    compare(f"pandana (no start offsets; the largest offset is {biggest:.2f} m)", answers)


if __name__ == "__main__":
    main()
