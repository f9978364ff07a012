"""The Python package against the command line on the shipped data, CRS from the frames, and
bad input raising instead of crashing."""

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

import greenreach as gr
import greenreach.dask

LI = "geodata/liechtenstein"
MC = "geodata/monaco"


def as_csv_text(res: pd.DataFrame) -> list[str]:
    """The frame's rows formatted as the command line's CSV formats them."""

    def num(v, digits):
        return "" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:.{digits}f}"

    def field(s):
        s = "" if s is None or (isinstance(s, float) and math.isnan(s)) else str(s)
        return '"' + s.replace('"', '""') + '"' if any(c in s for c in ',"\n\r') else s

    tiers = [c[:-3] for c in res.columns if c.endswith("_ok") and c != "all_ok"]
    lines = []
    for r in res.itertuples(index=False):
        r = r._asdict()
        if r["status"] != "ok":
            cells = [field(r["id"]), "", ""] + ["", "", ""] * len(tiers) + ["", field(r["status"])]
        else:
            cells = [field(r["id"]), num(r["lon"], 7), num(r["lat"], 7)]
            for t in tiers:
                cells += [
                    num(r[f"{t}_m"], 2),
                    "true" if r[f"{t}_ok"] else "false",
                    field(r[f"{t}_nearest"]),
                ]
            cells += ["true" if r["all_ok"] else "false", "ok"]
        lines.append(",".join(cells))
    return lines


@pytest.mark.parametrize(
    "place, homes_rule, standard",
    [(LI, "all", "jiangbei"), (LI, "osm", "who-europe"), (MC, "all", "gbt51346")],
)
def test_rows_and_summary_equal_the_cli(root, cli, tmp_path, place, homes_rule, standard):
    out = tmp_path / "cli.csv"
    stdout = cli(
        "check", "--quiet", "--green", f"{place}/green_areas.geojson",
        "--residential", f"{place}/buildings.geojson", "--homes", homes_rule,
        "--standard", standard, "--out", out,
    )
    homes = gpd.read_file(root / place / "buildings.geojson")
    greens = gpd.read_file(root / place / "green_areas.geojson")
    res, summary = gr.check(
        homes, greens, standard=gr.Standard.preset(standard), homes_rule=homes_rule,
        with_summary=True,
    )
    assert res.index.equals(homes.index)
    cli_lines = out.read_text().splitlines()
    header = cli_lines[0].split(",")
    assert header == list(res.columns)
    ours = as_csv_text(res)
    assert len(ours) == len(cli_lines) - 1
    for k, (a, b) in enumerate(zip(ours, cli_lines[1:])):
        assert a == b, f"row {k}"
    assert summary == stdout.split("per-point results:")[0]
    s = gr.summarize(res)
    assert s.loc["all tiers", "evaluated"] == (res["status"] == "ok").sum()
    first = gr.Standard.preset(standard).tiers[0][0]
    assert s.loc[first, "within"] == res[f"{first}_ok"].sum()


def test_crs_is_taken_from_the_frames(root):
    homes = gpd.read_file(root / MC / "buildings.geojson")
    greens = gpd.read_file(root / MC / "green_areas.geojson")
    base = gr.check(homes, greens)
    # Homes in UTM 32N, greens in Web Mercator: the same places, so the same answers (the
    # round trip through two projections moves points by well under a millimetre).
    moved = gr.check(homes.to_crs(32632), greens.to_crs(3857))
    assert gr.crs_of(homes.to_crs(32632)) == "EPSG:32632"
    assert (moved.index == base.index).all()
    for t, _ in gr.Standard.preset("jiangbei").tiers:
        d = (moved[f"{t}_m"] - base[f"{t}_m"]).abs()
        assert d.max() < 1e-3, t
        near_edge = (base[f"{t}_m"] - dict(gr.Standard.preset("jiangbei").tiers)[t]).abs() < 1e-3
        assert (moved[f"{t}_ok"] == base[f"{t}_ok"])[~near_edge].all()
    # A CRS without an EPSG code goes through its PROJ string.
    local = homes.to_crs("+proj=tmerc +lat_0=43.7 +lon_0=7.4 +k=1 +x_0=1000 +y_0=0 +ellps=WGS84 +units=m")
    assert gr.crs_of(local).startswith("+proj=tmerc")
    res = gr.check(local, greens)
    assert (res["park_m"] - base["park_m"]).abs().max() < 1e-3


def test_points_nulls_and_index_alignment():
    greens = gpd.GeoDataFrame(
        {"leisure": ["park"], "name": ["P"]},
        geometry=[shapely.box(9.5, 47.1, 9.51, 47.11)],
        crs=4326,
    )
    homes = gpd.GeoDataFrame(
        {"id": ["a", "b", "c"]},
        geometry=[shapely.Point(9.505, 47.105), None, shapely.Point(9.53, 47.105)],
        crs=4326,
        index=[10, 20, 30],
    )
    res = gr.check(homes, greens)
    assert list(res.index) == [10, 20, 30]
    assert list(res["status"]) == ["ok", "skipped: null geometry", "ok"]
    assert res.loc[10, "park_m"] == 0.0 and res.loc[10, "park_nearest"] == "P"
    assert math.isnan(res.loc[20, "park_m"]) and not res.loc[20, "park_ok"]
    # 0.02° of longitude east of the park's edge at 47.105°N: about 1.5 km.
    assert 1400 < res.loc[30, "park_m"] < 1600 and res.loc[30, "park_ok"]
    with pytest.raises(gr.GreenreachError, match=r"homes: feature 1 \(id b\): null geometry"):
        gr.check(homes, greens, strict=True)


def test_ids_of_every_kind_and_multipoint_parts():
    greens = gpd.GeoDataFrame(
        {"leisure": ["park"], "name": ["P"]},
        geometry=[shapely.box(9.5, 47.1, 9.51, 47.11)],
        crs=4326,
    )
    pts = [shapely.Point(9.505, 47.105), shapely.Point(9.53, 47.105), None]
    for ids, want in [
        ([7, 8, 9], ["7", "8", "9"]),
        (pd.array([7, None, 9], dtype="Int64"), ["7", "1", "9"]),
        (["a", None, "c"], ["a", "1", "c"]),
        ([1.5, 3.0, float("nan")], ["1.5", "3.0", "2"]),
    ]:
        homes = gpd.GeoDataFrame({"id": ids}, geometry=pts, crs=4326)
        res = gr.check(homes, greens)
        assert list(res["id"]) == want, ids
        assert list(res["park_nearest"]) == ["P", "P", None]
        assert list(res["status"]) == ["ok", "ok", "skipped: null geometry"]
    # No id column: the index names the homes; a multipoint gives one row per part.
    homes = gpd.GeoDataFrame(
        geometry=[shapely.MultiPoint([(9.505, 47.105), (9.53, 47.105)]), pts[0]], crs=4326
    )
    res = gr.check(homes, greens)
    assert list(res["id"]) == ["0#0", "0#1", "1"]
    assert list(res.index) == [0, 0, 1]


def test_a_part_of_a_study_with_no_geometry_gives_its_skipped_rows():
    greens = gpd.GeoDataFrame(
        {"leisure": ["park"]}, geometry=[shapely.box(9.5, 47.1, 9.51, 47.11)], crs=4326
    )
    homes = gpd.GeoDataFrame({"id": ["a", "b"]}, geometry=[None, None], crs=4326)
    with pytest.raises(gr.GreenreachError, match="no demand points"):
        gr.check(homes, greens)
    res = gr.check(homes, greens, origin=(9.5, 47.1))
    assert list(res["status"]) == ["skipped: null geometry"] * 2
    assert list(res["id"]) == ["a", "b"] and not res["all_ok"].any()
    part = greenreach.dask.check_partition(homes, greens, gr.Standard.preset("jiangbei"), (9.5, 47.1), 5000.0)
    assert list(part["status"]) == ["skipped: null geometry"] * 2


def test_bad_input_raises_with_the_library_message(root):
    greens = gpd.read_file(root / MC / "green_areas.geojson")
    homes = gpd.read_file(root / MC / "buildings.geojson")
    with pytest.raises(gr.GreenreachError, match="unknown standard"):
        gr.Standard.preset("nope")
    with pytest.raises(gr.GreenreachError, match="max-distance"):
        gr.check(homes, greens, max_distance=10)
    with pytest.raises(gr.GreenreachError, match="not available"):
        gr.check(homes, greens, metric="walk")
    # Latitude out of range: the loader's range check names the layer and the feature.
    bad = gpd.GeoDataFrame(geometry=[shapely.Point(7.4, 147.0)], crs=4326)
    with pytest.raises(gr.GreenreachError, match="homes: feature 0"):
        gr.check(bad, greens)
    with pytest.raises(gr.GreenreachError, match="greens"):
        gr.check(homes, greens.iloc[:0])
    # Northing first in a UTM layer: the library's hint.
    swapped = gpd.GeoDataFrame(geometry=[shapely.Point(4_843_000.0, 373_000.0)], crs=32632)
    with pytest.raises(gr.GreenreachError, match=r"homes: feature 0 \(id 0\): .*axes swapped"):
        gr.check(swapped, greens)
    with pytest.raises(gr.GreenreachError, match="unreadable WKB"):
        gr._greenreach.check_layers([b"\x01\x02"], None, None, standard=gr.Standard.preset("jiangbei"),
                                    demand_x=np.zeros(1), demand_y=np.zeros(1))


def test_standard_round_trips_through_toml_and_pickle(tmp_path):
    import pickle

    s = gr.Standard.preset("who-europe")
    p = tmp_path / "s.toml"
    p.write_text(s.to_toml())
    t = gr.Standard.from_toml(str(p))
    assert t.tiers == s.tiers and t.name == s.name
    assert pickle.loads(pickle.dumps(s)).tiers == s.tiers
    (tmp_path / "bad.toml").write_text("name = 3\n")
    with pytest.raises(gr.GreenreachError, match="bad.toml"):
        gr.Standard.from_toml(str(tmp_path / "bad.toml"))
