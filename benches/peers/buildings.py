#!/usr/bin/env python3
"""Per-point peers on real data: for every building point of Liechtenstein, is a green feature
of each tier within its radius? DuckDB spatial (2 threads) and shapely STRtree, query time only
(data loaded and projected to UTM 32N first), median of 3 runs.

Inputs come from greenreach itself so all tools answer the same question:
  greenreach check --green geodata/liechtenstein/green_areas.geojson --green geodata/liechtenstein/green_points.geojson \
    --residential geodata/liechtenstein/buildings.geojson --out /tmp/li_pts.csv --classified /tmp/li_green.geojson -q
usage: buildings.py /tmp/li_green.geojson /tmp/li_pts.csv   (run with the peers' venv: ../shared/peers/run.sh makes it)
"""
import json, statistics, sys, time
import numpy as np

TIERS = [("street_green", 300.0), ("leisure", 1000.0), ("park", 2000.0)]


def load(green_path, pts_path):
    import shapely
    from pyproj import Transformer
    tr = Transformer.from_crs(4326, 32632, always_xy=True)
    feats = json.load(open(green_path))["features"]
    geoms = shapely.from_geojson([json.dumps(f["geometry"]) for f in feats])
    geoms = shapely.transform(geoms, lambda xy: np.column_stack(tr.transform(xy[:, 0], xy[:, 1])))
    tiers = [f["properties"]["tiers"] for f in feats]
    lon, lat = np.loadtxt(pts_path, delimiter=",", skiprows=1, usecols=(1, 2), unpack=True)
    x, y = tr.transform(lon, lat)
    return geoms, tiers, np.asarray(x), np.asarray(y)


def shapely_peer(geoms, tiers, x, y):
    import shapely
    pts = shapely.points(x, y)
    trees = {t: shapely.STRtree(geoms[[t in ts for ts in tiers]]) for t, _ in TIERS}

    def run():
        return {t: len(np.unique(trees[t].query(pts, predicate="dwithin", distance=r)[0])) for t, r in TIERS}
    return run


def duckdb_peer(geoms, tiers, x, y):
    import duckdb, duckdb_extension_spatial, os, shapely
    ext = os.path.join(os.path.dirname(duckdb_extension_spatial.__file__), "extensions", "v" + duckdb.__version__, "spatial.duckdb_extension")
    con = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False, "threads": 2})
    con.execute(f"LOAD '{ext}'")
    con.execute("CREATE TABLE pts (id INTEGER, x DOUBLE, y DOUBLE)")
    con.executemany("INSERT INTO pts VALUES (?, ?, ?)", list(zip(range(len(x)), x.tolist(), y.tolist())))
    con.execute("CREATE TABLE p AS SELECT id, ST_Point(x, y) AS geom FROM pts")
    for t, _ in TIERS:
        wkb = [bytes(shapely.to_wkb(g)) for g, ts in zip(geoms, tiers) if t in ts]
        con.execute(f"CREATE TABLE g_{t} (geom_wkb BLOB)")
        con.executemany(f"INSERT INTO g_{t} VALUES (?)", [(w,) for w in wkb])
        con.execute(f"CREATE TABLE t_{t} AS SELECT ST_GeomFromWKB(geom_wkb) AS geom FROM g_{t}")

    def run():
        return {t: con.execute(f"SELECT count(DISTINCT p.id) FROM p JOIN t_{t} q ON ST_DWithin(p.geom, q.geom, {r})").fetchone()[0] for t, r in TIERS}
    return run


def main():
    geoms, tiers, x, y = load(sys.argv[1], sys.argv[2])
    for name, make in [("duckdb-2threads", duckdb_peer), ("shapely-1proc", shapely_peer)]:
        run = make(geoms, tiers, x, y)
        times, within = [], None
        for _ in range(3):
            t0 = time.perf_counter(); within = run(); times.append(time.perf_counter() - t0)
        med = statistics.median(times)
        print(json.dumps({"peer": name, "points": len(x), "tiers": 3, "query_s": round(med, 4),
                          "checks_per_s": round(3 * len(x) / med), "within": within}), flush=True)


if __name__ == "__main__":
    main()
