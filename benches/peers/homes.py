#!/usr/bin/env python3
"""1M home points on the synthetic city, and DuckDB's whole pipeline on them.

usage: homes.py CITY_DIR [--n 1000000] [--make] [--duckdb] [--threads 2]
  CITY_DIR   a folder written by `greenreach synth --out CITY_DIR` (polygons_utm48n.geojson)
  --make     write CITY_DIR/homes_wgs84.geojson (1M random points, seed 7, properties {id}),
             CITY_DIR/homes_utm48n.parquet (id, x, y) and CITY_DIR/polygons.parquet
             (id, category, WKB geometry in UTM 48N) for DuckDB
  --duckdb   time DuckDB spatial, whole pipeline: load both Parquet files, one ST_DWithin join
             per tier (street_green 300 m, leisure 1000 m, park 2000 m; tiers nest), write one
             CSV row per home (id, three flags). Prints one JSON line.
Needs numpy, pyarrow, shapely, pyproj, duckdb and duckdb-extension-spatial (see
../shared/peers/run.sh for the pinned versions).
"""
import argparse
import json
import os
import time

TIERS = [("street_green", 300.0, ("street_green", "leisure", "park")),
         ("leisure", 1000.0, ("leisure", "park")),
         ("park", 2000.0, ("park",))]
X0, Y0, EXTENT = 640000.0, 3262000.0, 20000.0


def make(city, n):
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq
    import shapely
    from pyproj import Transformer

    rng = np.random.default_rng(7)
    x = np.round(X0 + rng.uniform(0, EXTENT, n), 2)
    y = np.round(Y0 + rng.uniform(0, EXTENT, n), 2)
    pq.write_table(pa.table({"id": np.arange(n, dtype=np.int64), "x": x, "y": y}),
                   f"{city}/homes_utm48n.parquet")
    lon, lat = Transformer.from_crs(32648, 4326, always_xy=True).transform(x, y)
    with open(f"{city}/homes_wgs84.geojson", "w") as f:
        f.write('{"type":"FeatureCollection","features":[\n')
        for i in range(n):
            sep = ",\n" if i + 1 < n else "\n"
            f.write('{"type":"Feature","properties":{"id":%d},"geometry":{"type":"Point","coordinates":[%.7f,%.7f]}}%s'
                    % (i, lon[i], lat[i], sep))
        f.write("]}\n")
    with open(f"{city}/polygons_utm48n.geojson") as f:
        fc = json.load(f)
    ids, cats, geoms = [], [], []
    for feat in fc["features"]:
        ids.append(feat["properties"]["id"])
        cats.append(feat["properties"]["category"])
        geoms.append(shapely.to_wkb(shapely.geometry.shape(feat["geometry"])))
    pq.write_table(pa.table({"id": ids, "category": cats, "geometry": geoms}), f"{city}/polygons.parquet")


def duckdb_pipeline(city, threads, out):
    import duckdb
    import duckdb_extension_spatial
    ext = os.path.join(os.path.dirname(duckdb_extension_spatial.__file__), "extensions",
                       "v" + duckdb.__version__, "spatial.duckdb_extension")
    t0 = time.perf_counter()
    con = duckdb.connect(config={"autoinstall_known_extensions": False,
                                 "autoload_known_extensions": False, "threads": threads})
    con.execute(f"LOAD '{ext}'")
    con.execute(f"CREATE TABLE g AS SELECT id, category, ST_GeomFromWKB(geometry) AS geom FROM read_parquet('{city}/polygons.parquet')")
    con.execute(f"CREATE TABLE pts AS SELECT id, ST_Point(x, y) AS geom FROM read_parquet('{city}/homes_utm48n.parquet')")
    for t, r, cats in TIERS:
        inlist = ",".join(f"'{c}'" for c in cats)
        con.execute(f"CREATE TABLE ok_{t} AS SELECT DISTINCT p.id FROM pts p JOIN g q "
                    f"ON ST_DWithin(p.geom, q.geom, {r}) WHERE q.category IN ({inlist})")
    cols = ", ".join(f"(ok_{t}.id IS NOT NULL) AS {t}_ok" for t, _, _ in TIERS)
    joins = " ".join(f"LEFT JOIN ok_{t} ON ok_{t}.id = pts.id" for t, _, _ in TIERS)
    con.execute(f"COPY (SELECT pts.id, {cols} FROM pts {joins} ORDER BY pts.id) TO '{out}' (HEADER, DELIMITER ',')")
    n = con.execute("SELECT count(*) FROM pts").fetchone()[0]
    shares = {t: con.execute(f"SELECT count(*) FROM ok_{t}").fetchone()[0] / n for t, _, _ in TIERS}
    return n, time.perf_counter() - t0, shares


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("city")
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--make", action="store_true")
    ap.add_argument("--duckdb", action="store_true")
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    if a.make:
        make(a.city, a.n)
    if a.duckdb:
        n, secs, shares = duckdb_pipeline(a.city, a.threads, f"{a.city}/duckdb_homes.csv")
        print(json.dumps({"peer": f"duckdb-{a.threads}threads", "points": n, "whole_s": round(secs, 3),
                          "covered": {k: round(v, 6) for k, v in shares.items()}}), flush=True)


if __name__ == "__main__":
    main()
