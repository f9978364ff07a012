"""GeoParquet written by a binary built with `--features geoparquet` opens in GeoPandas as the
same table as the CSV of the same run. Runs when GREENREACH_GEOPARQUET=1 (CI sets it after
building that binary); skipped otherwise, since the default build has no GeoParquet."""

import os

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

pytestmark = pytest.mark.skipif(
    os.environ.get("GREENREACH_GEOPARQUET") != "1",
    reason="needs a greenreach built with --features geoparquet (GREENREACH_GEOPARQUET=1)",
)


def test_geopandas_reads_the_per_point_geoparquet(cli, root, tmp_path):
    args = ["check", "-q", "--green", "geodata/liechtenstein/green_areas.geojson",
            "--residential", "geodata/liechtenstein/buildings.geojson", "--homes", "osm"]
    cli(*args, "--out", tmp_path / "p.csv")
    cli(*args, "--out", tmp_path / "p.parquet")
    csv = pd.read_csv(tmp_path / "p.csv", dtype={"id": str}, keep_default_na=False, na_values=[""])
    g = gpd.read_parquet(tmp_path / "p.parquet")
    assert g.crs.to_epsg() == 4326 or g.crs.to_string() == "OGC:CRS84"
    assert list(g.columns) == ["geometry", *csv.columns]
    assert len(g) == len(csv) == 8994
    assert g.geometry.isna().sum() == 1181
    assert (g["id"].to_numpy() == csv["id"].to_numpy()).all()
    ok = g.geometry.notna()
    assert np.allclose(g.geometry[ok].x, g["lon"][ok], atol=0, rtol=0)
    for col in csv.columns:
        if col.endswith("_m"):
            assert np.allclose(g[col].astype(float), csv[col].astype(float), equal_nan=True), col
        elif col.endswith("_ok"):
            pd.testing.assert_series_equal(
                pd.Series(g[col].to_numpy(), dtype="boolean"),
                pd.Series(csv[col].to_numpy(), dtype="boolean"), check_names=False, obj=col)
    assert g.total_bounds == pytest.approx(
        [g["lon"].min(), g["lat"].min(), g["lon"].max(), g["lat"].max()])
