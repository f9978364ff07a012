"""gr.report: the command line's report folder from GeoDataFrames, the same numbers."""

import json

import geopandas as gpd
import pytest

import greenreach as gr

LI = "geodata/liechtenstein"


def figures(summary: dict) -> dict:
    """The numbers of a summary.json: totals and zones (shares and counts), land, gaps, the
    green and demand counts; not the run's time, the input paths or their checksums."""
    keep = ["totals", "zones", "empty_zones", "green", "points", "shortfalls", "histograms"]
    out = {k: summary[k] for k in keep}
    out["gaps"] = [{k: v for k, v in g.items() if k != "place"} for g in summary["gaps"]]
    return out


def test_report_equals_the_command_line(root, cli, tmp_path):
    homes = gpd.read_file(root / LI / "buildings.geojson").to_crs(32632)  # any CRS
    greens = gpd.read_file(root / LI / "green_areas.geojson")
    zones = gpd.read_file(root / LI / "admin_boundaries.geojson")
    zones = zones[zones["admin_level"].astype(str) == "8"]
    land = gpd.read_file(root / LI / "residential_areas.geojson")
    summary = gr.report(
        homes, greens, out=tmp_path / "py", zones=zones, land=land, homes_rule="osm", lang="en"
    )
    assert (tmp_path / "py" / "index.html").exists()
    assert (tmp_path / "py" / "inputs" / "homes.geojson").exists()
    assert json.loads((tmp_path / "py" / "summary.json").read_text())["totals"] == summary["totals"]
    cli(
        "report", "--green", f"{LI}/green_areas.geojson",
        "--residential", f"{LI}/buildings.geojson", "--homes", "osm",
        "--zones", f"{LI}/admin_boundaries.geojson", "--zone-where", "admin_level=8", "--land", f"{LI}/residential_areas.geojson",
        "--lang", "en", "--out", tmp_path / "cli", "-q",
    )
    want = json.loads((tmp_path / "cli" / "summary.json").read_text())
    got, exp = figures(summary), figures(want)
    # Homes went through UTM 32N and back: ids, counts and flags agree; shares are exact
    # counts, so they agree too.
    assert got["totals"]["points"] == exp["totals"]["points"] == 7813
    for a, b in zip(got["totals"]["tiers"], exp["totals"]["tiers"]):
        assert a["points_within"] == b["points_within"], (a, b)
        assert a["land_share"] == pytest.approx(b["land_share"], abs=1e-9)
    assert [z["name"] for z in got["zones"]] == [z["name"] for z in exp["zones"]]
    for a, b in zip(got["zones"], exp["zones"]):
        assert [t["points_within"] for t in a["tiers"]] == [t["points_within"] for t in b["tiers"]]
    assert got["green"] == exp["green"]
    assert got["points"] == exp["points"]


def test_report_with_a_proposed_plan(root, tmp_path):
    homes = gpd.read_file(root / LI / "buildings.geojson")
    greens = gpd.read_file(root / LI / "green_areas.geojson")
    plan = gpd.GeoDataFrame(
        {"name": ["p1"], "category": ["street_green"]},
        geometry=gpd.points_from_xy([9.5205], [47.2101]).buffer(0.0003),
        crs=4326,
    )
    s = gr.report(homes, greens, out=tmp_path / "p", proposed=plan, lang="zh")
    p = s["proposed"]
    assert p["spaces"][0]["label"] == "p1"
    before = p["before"]["tiers"][0]["points_within"]
    after = p["after"]["tiers"][0]["points_within"]
    assert after == before + p["spaces"][0]["newly_served"][0] > before
    assert s["lang"] == "zh"


def test_report_bad_input_raises(root, tmp_path):
    homes = gpd.read_file(root / LI / "buildings.geojson")
    greens = gpd.read_file(root / LI / "green_areas.geojson")
    with pytest.raises(gr.GreenreachError, match="zone"):
        gr.report(homes, greens, out=tmp_path / "z", zones=homes.head(3), zone_name="nope")
    with pytest.raises(ValueError, match="zh or en"):
        gr.report(homes, greens, out=tmp_path / "l", lang="fr")
    with pytest.raises(TypeError):
        gr.report(homes, greens, out=tmp_path / "t", zones="not a frame")
