"""A synthetic country on Dask vs one process: several copies of the synthetic city
(`greenreach synth`, different seeds) 60 km apart in UTM 48N, uniform random homes in each,
`greenreach.check` in one process vs `greenreach.dask.check` on a LocalCluster.

    python benches/dask_country.py --cities 5 --homes 10000000 --workers 2 --partitions 16

Prints wall-clock times of both and checks that every row agrees.
"""

import argparse
import pathlib
import subprocess
import tempfile
import time

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

import greenreach as gr

ROOT = pathlib.Path(__file__).resolve().parents[1]


def country(cities: int, homes: int, tmp: pathlib.Path):
    greens, parts = [], []
    rng = np.random.default_rng(1)
    per_city = homes // cities
    for c in range(cities):
        d = tmp / f"city{c}"
        subprocess.run(
            [ROOT / "target/release/greenreach", "synth", "--out", d, "--seed", str(1000 + c)],
            check=True, capture_output=True,
        )
        g = gpd.read_file(d / "polygons_utm48n.geojson").set_crs(32648, allow_override=True)
        dx = 60_000.0 * c
        g["geometry"] = g.geometry.translate(xoff=dx)
        greens.append(g)
        x0, y0 = 640_000.0 + dx, 3_262_000.0
        n = per_city + (homes - per_city * cities if c == cities - 1 else 0)
        x = rng.uniform(x0, x0 + 20_000.0, n)
        y = rng.uniform(y0, y0 + 20_000.0, n)
        parts.append(gpd.GeoDataFrame(geometry=shapely.points(x, y), crs=32648))
    greens = pd.concat(greens, ignore_index=True)
    greens["id"] = np.arange(len(greens))
    homes = pd.concat(parts, ignore_index=True)
    # Spatially compact partitions: sort by Hilbert distance once.
    homes = homes.iloc[np.argsort(homes.hilbert_distance().to_numpy(), kind="stable")]
    homes = homes.reset_index(drop=True)
    homes["id"] = np.arange(len(homes))
    return gpd.GeoDataFrame(greens, crs=32648), homes


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cities", type=int, default=5)
    ap.add_argument("--homes", type=int, default=10_000_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--partitions", type=int, default=16)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        greens, homes = country(a.cities, a.homes, pathlib.Path(tmp))
        print(f"country: {len(homes)} homes, {len(greens)} green polygons, {a.cities} cities "
              f"({time.perf_counter() - t:.1f} s to build)")
    origin = gr.origin_of(homes, greens)
    t, c = time.perf_counter(), time.process_time()
    single = gr.check(homes, greens, origin=origin)
    t_single, c_single = time.perf_counter() - t, time.process_time() - c
    print(f"single process (all cores): {t_single:.1f} s wall, {c_single:.1f} s CPU, "
          f"{len(homes) / t_single / 1e6:.3g} M homes/s")

    import dask_geopandas
    from distributed import Client, LocalCluster

    import greenreach.dask

    cluster = LocalCluster(n_workers=a.workers, threads_per_worker=1, dashboard_address=None)
    with cluster as cl, Client(cl) as client:
        t = time.perf_counter()
        ddf = dask_geopandas.from_geopandas(homes, npartitions=a.partitions, sort=False)
        ddf = client.persist(ddf)
        from distributed import wait

        wait(ddf)
        t_load = time.perf_counter() - t
        def cpu():
            import psutil

            return sum(psutil.Process().cpu_times()[:2])

        before = sum(client.run(cpu).values())
        t, c = time.perf_counter(), time.process_time()
        res = greenreach.dask.check(ddf, greens, origin=origin, threads=1).compute()
        t_dask = time.perf_counter() - t
        c_dask = sum(client.run(cpu).values()) - before + time.process_time() - c
    print(f"dask, {a.workers} workers x 1 thread, {a.partitions} partitions: {t_dask:.1f} s wall, "
          f"{c_dask:.1f} s CPU (workers and client) "
          f"({len(homes) / t_dask / 1e6:.3g} M homes/s), plus {t_load:.1f} s to place the homes on the workers")
    res = res.set_index(res["id"].astype(np.int64).to_numpy()).sort_index()
    same = all(
        np.array_equal(single[c].to_numpy(), res[c].to_numpy(), equal_nan=single[c].dtype.kind == "f")
        for c in single.columns if c.endswith("_m") or c.endswith("_ok") or c == "all_ok"
    ) and (single["id"].to_numpy() == res["id"].to_numpy()).all()
    print(f"every row identical: {same}")


if __name__ == "__main__":
    main()
