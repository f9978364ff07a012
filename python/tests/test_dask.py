"""Dask recipe: 2 workers, 8 spatial partitions of homes on the synthetic city; every row
equals the single-process result."""

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

import greenreach as gr

dask_geopandas = pytest.importorskip("dask_geopandas")
distributed = pytest.importorskip("distributed")

import greenreach.dask  # noqa: E402


@pytest.fixture(scope="module")
def city(cli, tmp_path_factory):
    d = tmp_path_factory.mktemp("synth")
    cli("synth", "--out", d, "--street", "1500", "--leisure", "400", "--parks", "60")
    greens = gpd.read_file(d / "polygons_wgs84.geojson")
    extent = gpd.read_file(d / "extent_wgs84.geojson").total_bounds
    rng = np.random.default_rng(7)
    n = 40_000
    x = rng.uniform(extent[0], extent[2], n)
    y = rng.uniform(extent[1], extent[3], n)
    # spatial_shuffle replaces the index: an id column carries each home's identity.
    homes = gpd.GeoDataFrame({"id": np.arange(n)}, geometry=shapely.points(x, y), crs=4326)
    return homes, greens


def test_dask_two_workers_eight_partitions_equal_single_run(city):
    homes, greens = city
    single = gr.check(homes, greens, standard="jiangbei")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster, distributed.Client(cluster):
        ddf = dask_geopandas.from_geopandas(homes, npartitions=8).spatial_shuffle(npartitions=8)
        assert ddf.npartitions == 8
        res = greenreach.dask.check(ddf, greens, standard="jiangbei").compute()
    assert len(res) == len(homes)
    res = res.set_index(res["id"].astype(int).to_numpy()).sort_index()
    assert res.index.equals(single.index)
    assert list(res.columns) == list(single.columns)
    for c in single.columns:
        a, b = single[c].to_numpy(), res[c].to_numpy()
        if a.dtype.kind == "f":
            assert np.array_equal(a, b, equal_nan=True), c
        else:
            assert (pd.Series(a).fillna("<none>") == pd.Series(b).fillna("<none>")).all(), c
    # The partitions really were spatial: each saw only part of the green features.
    bounds = ddf.partitions[0].compute().total_bounds
    part = greenreach.dask.halo_greens(greens, bounds, 5000.0)
    assert 0 < len(part) < len(greens)
    s = gr.summarize(res)
    assert s.loc["all tiers", "evaluated"] == len(homes)


def test_shards_and_merge_equal_single_run_on_the_synthetic_city(city, cli, tmp_path):
    """The batch-scheduler path on the same city: `check --shard I/3` + `merge` give the
    single run's per-point file byte for byte, and the single run's rows equal `gr.check`'s."""
    homes, greens = city
    hp, gp = tmp_path / "homes.geojson", tmp_path / "greens.geojson"
    homes.to_file(hp, driver="GeoJSON")
    greens.to_file(gp, driver="GeoJSON")
    base = ["check", "--quiet", "--green", gp, "--points", hp]
    cli(*base, "--out", tmp_path / "single.csv")
    for i in (1, 2, 3):
        cli(*base, "--shard", f"{i}/3", "--out", tmp_path / f"p{i}.csv",
            "--shard-summary", tmp_path / f"s{i}.json")
    cli("merge", *(tmp_path / f"s{i}.json" for i in (3, 1, 2)), "--out", tmp_path / "merged.csv")
    single = (tmp_path / "single.csv").read_bytes()
    assert (tmp_path / "merged.csv").read_bytes() == single
    rows = pd.read_csv(tmp_path / "single.csv")
    assert len(rows) == len(homes)
    ours = gr.check(homes, greens, standard="jiangbei")
    for t, _ in gr.Standard.preset("jiangbei").tiers:
        assert (rows[f"{t}_ok"].to_numpy() == ours[f"{t}_ok"].to_numpy()).all(), t
        d = np.abs(rows[f"{t}_m"].to_numpy() - ours[f"{t}_m"].to_numpy())
        assert np.nanmax(d) <= 0.005 + 1e-9, t
