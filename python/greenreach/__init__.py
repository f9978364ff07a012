"""greenreach for GeoPandas: which homes are within reach of green space.

The engine is greenreach's (Rust): the same classification, projection and distances as the
command line, so a DataFrame row here equals the row of `greenreach check --out FILE.csv`.

    import greenreach as gr
    std = gr.Standard.preset("jiangbei")
    res = gr.check(homes_gdf, greens_gdf, standard=std)   # one row per home, same index
    gr.summarize(res)
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

import json
import os

from ._greenreach import GreenreachError, Standard, check_layers, crs_name, report_files

__all__ = [
    "GreenreachError",
    "Standard",
    "check",
    "report",
    "summarize",
    "crs_of",
    "origin_of",
    "empty_result",
]


def crs_of(gdf) -> str | None:
    """The CRS of a GeoDataFrame as greenreach names it (None: WGS84 lon/lat is assumed).

    An EPSG code when pyproj knows one and greenreach supports it, else the PROJ string.
    """
    crs = getattr(gdf, "crs", None)
    if crs is None:
        return None
    epsg = crs.to_epsg()
    if epsg is not None:
        try:
            return crs_name(f"EPSG:{epsg}")
        except GreenreachError:
            pass
    proj = crs.to_proj4()
    if not proj:
        raise GreenreachError(f"cannot express the CRS {crs.name!r} as an EPSG code or a PROJ string")
    return crs_name(proj)


def origin_of(*gdfs) -> tuple[float, float]:
    """Centre (lon, lat) of the lon/lat bounding box of GeoDataFrames: the plane greenreach
    would choose for them together. Pass it as `origin=` to every part of a study evaluated
    apart (Dask partitions, shards) so that all parts share one plane."""
    boxes = []
    for g in gdfs:
        if len(g) == 0:
            continue
        if g.crs is not None and not g.crs.is_geographic:
            g = g.to_crs(4326)
        boxes.append(np.asarray(g.total_bounds, dtype=float))
    if not boxes:
        raise GreenreachError("no features to centre the plane on")
    b = np.vstack(boxes)
    return ((b[:, 0].min() + b[:, 2].max()) / 2.0, (b[:, 1].min() + b[:, 3].max()) / 2.0)


def _standard(standard) -> Standard:
    if isinstance(standard, Standard):
        return standard
    if isinstance(standard, str):
        if standard.endswith(".toml"):
            return Standard.from_toml(standard)
        return Standard.preset(standard)
    raise TypeError("standard must be a gr.Standard, a preset name or a .toml path")


def _records(df: pd.DataFrame) -> str:
    return df.to_json(orient="records", date_format="iso", default_handler=str)


def _positions(index: pd.Index) -> np.ndarray | None:
    """Feature numbers for labels of unnamed features: integer index labels, else None."""
    if pd.api.types.is_integer_dtype(index.dtype) and (len(index) == 0 or index.min() >= 0):
        return np.ascontiguousarray(index.to_numpy(dtype=np.int64))
    return None


def check(
    homes,
    greens,
    standard="jiangbei",
    metric: str = "straight",
    *,
    max_distance: float | None = None,
    homes_rule: str = "all",
    swap_xy: bool = False,
    strict: bool = False,
    threads: int | None = None,
    origin: tuple[float, float] | None = None,
    with_summary: bool = False,
):
    """Check every home against every tier of `standard`.

    homes: GeoDataFrame of points or polygons (one representative point each, as `--residential`).
    greens: GeoDataFrame of green features; its columns (leisure, landuse, access, ...) classify
    them, as the GeoJSON properties do for the command line. CRS of each is taken from the frame.

    Returns a DataFrame with the columns of `greenreach check --out FILE.csv` (id, lon, lat,
    per tier `<tier>_m`, `<tier>_ok`, `<tier>_nearest`, all_ok, status), one row per home, index
    aligned with `homes` (a multipoint gives one row per part). Distances are full precision
    (the CSV rounds to 0.01 m). Skipped homes (no geometry) have status `skipped: ...`.
    With `with_summary=True`, returns `(frame, summary_text)`, the text the command line prints.
    """
    if metric != "straight":
        raise GreenreachError(f'metric "{metric}" is not available here; use metric="straight"')
    std = _standard(standard)
    gcol = greens.geometry.name
    green_wkb = list(shapely.to_wkb(greens.geometry.values))
    green_props = _records(pd.DataFrame(greens.drop(columns=[gcol])))
    geoms = homes.geometry.values
    ids = homes["id"] if "id" in homes.columns else pd.Series(homes.index, index=homes.index)
    text_ids = _text_ids(ids)
    props = None
    if homes_rule != "all":
        other = pd.DataFrame(homes.drop(columns=[homes.geometry.name])).reset_index(drop=True)
        props = _records(other.drop(columns=["id"], errors="ignore"))
    kwargs = dict(
        green_crs=crs_of(greens),
        demand_crs=crs_of(homes),
        demand_props=props,
        demand_ids=(
            ids.astype(object).where(ids.notna(), None).tolist()
            if text_ids is None
            else text_ids.tolist()
        ),
        return_ids=text_ids is None,
        homes=homes_rule,
        max_distance=max_distance,
        swap_xy=swap_xy,
        strict=strict,
        threads=threads,
        origin=origin,
        green_index=_positions(greens.index),
    )
    types = shapely.get_type_id(geoms)
    if len(geoms) and (types == 0).all() and not shapely.is_empty(geoms).any():
        x = np.ascontiguousarray(shapely.get_x(geoms), dtype=np.float64)
        y = np.ascontiguousarray(shapely.get_y(geoms), dtype=np.float64)
        out = check_layers(green_wkb, green_props, standard=std, demand_x=x, demand_y=y, **kwargs)
    else:
        out = check_layers(
            green_wkb, green_props, standard=std, demand_wkb=list(shapely.to_wkb(geoms)), **kwargs
        )
    row = out["row"].astype(np.intp)
    if out["id"] is None:
        out["id"] = _ids_by_row(text_ids, row)
    frame = _frame(out, homes.index.take(row))
    frame.attrs["greenreach"] = {
        "standard": std.name,
        "tiers": std.tiers,
        "origin": out["origin"],
        "warnings": out["warnings"],
    }
    if with_summary:
        return frame, out["summary"]
    return frame


def report(
    homes,
    greens,
    out: str = "greenreach-report",
    standard="jiangbei",
    *,
    zones=None,
    zone_name: str = "name",
    land=None,
    population=None,
    population_field: str = "population",
    weight: str | None = None,
    proposed=None,
    homes_rule: str = "all",
    lang: str | None = None,
    max_distance: float | None = None,
    strict: bool = False,
    threads: int | None = None,
) -> dict:
    """Write the planner's report folder for `homes` and `greens`, exactly as
    `greenreach report` does (the same library call), and return its `summary.json` as a dict.

    homes: GeoDataFrame of residential polygons or points; greens: green features (their
    columns classify them); zones, land, population, proposed: optional GeoDataFrames (zones
    named by `zone_name`; residential land-use polygons; population cells with
    `population_field`; proposed green spaces). Each frame is written in WGS84 (through its own
    CRS) to `out/inputs/` and read from there, so the report's input table (paths, SHA-256)
    names files that stay beside it. lang: "zh" or "en" (default: the standard's).
    """
    std = _standard(standard)
    inputs = os.path.join(out, "inputs")
    os.makedirs(inputs, exist_ok=True)

    def put(name, gdf):
        if gdf is None:
            return None
        if not hasattr(gdf, "geometry"):
            raise TypeError(f"{name} must be a GeoDataFrame")
        g = gdf if gdf.crs is None or gdf.crs.to_epsg() == 4326 else gdf.to_crs(4326)
        path = os.path.join(inputs, f"{name}.geojson")
        if os.path.exists(path):
            os.remove(path)
        g.to_file(path, driver="GeoJSON")
        return path

    text = report_files(
        [put("greens", greens)],
        put("homes", homes),
        out,
        std,
        zones=put("zones", zones),
        zone_name=zone_name,
        land=put("land", land),
        population=put("population", population),
        population_field=population_field,
        weight=weight,
        homes=homes_rule,
        lang=lang,
        proposed=[put("proposed", proposed)] if proposed is not None else [],
        max_distance=max_distance,
        strict=strict,
        threads=threads,
    )
    return json.loads(text)


def _text_ids(ids: pd.Series) -> np.ndarray | None:
    """The ids as the engine writes them (text; missing ones None), when that can be done
    here without asking the engine: integer ids, or text ids. Else None."""
    if pd.api.types.is_integer_dtype(ids.dtype) and not ids.isna().any():
        return ids.astype(str).to_numpy(dtype=object)
    if pd.api.types.infer_dtype(ids, skipna=True) in ("string", "empty"):
        out = ids.to_numpy(dtype=object, copy=True)
        out[pd.isna(out)] = None
        return out
    return None


def _ids_by_row(text_ids: np.ndarray, row: np.ndarray) -> np.ndarray:
    """Each row's id taken from its feature (shared string objects); a feature without an id
    is named by its number, as the engine names it."""
    out = text_ids[row]
    missing = pd.isna(out)
    if missing.any():
        out[missing] = row[missing].astype(str).astype(object)
    return out


def _decode(codes: np.ndarray, labels: list) -> np.ndarray:
    """Numbers into `labels` (-1: None) as an object column whose entries share the labels'
    string objects: a million rows cost a million pointers, not a million strings."""
    table = np.empty(len(labels) + 1, dtype=object)
    table[: len(labels)] = labels
    table[len(labels)] = None
    return table[np.where(codes < 0, len(labels), codes)]


def _frame(out: dict, index: pd.Index) -> pd.DataFrame:
    """The result frame. Text columns are object columns holding None where empty (a Series
    of dtype object, so that pandas does not turn them into its string dtype with NaN)."""

    def text(values) -> pd.Series:
        values = values if isinstance(values, np.ndarray) else np.asarray(values, dtype=object)
        return pd.Series(values, index=index, dtype=object)

    def column(values) -> pd.Series:
        return pd.Series(values, index=index)

    cols = {"id": text(out["id"]), "lon": column(out["lon"]), "lat": column(out["lat"])}
    for t in out["tiers"]:
        name = t["name"]
        cols[f"{name}_m"] = column(t["distance_m"])
        cols[f"{name}_ok"] = column(t["ok"])
        cols[f"{name}_nearest"] = text(_decode(np.asarray(t["nearest"]), out["labels"]))
    cols["all_ok"] = column(out["all_ok"])
    cols["status"] = text(_decode(np.asarray(out["status"]), out["statuses"]))
    return pd.DataFrame(cols, index=index)


def empty_result(standard="jiangbei", index: pd.Index | None = None) -> pd.DataFrame:
    """A result frame with no rows: the columns and dtypes `check` returns (Dask's `meta`)."""
    std = _standard(standard)
    f64 = np.empty(0, dtype=np.float64)
    b = np.empty(0, dtype=bool)
    i64 = np.empty(0, dtype=np.int64)
    out = {
        "id": [],
        "lon": f64,
        "lat": f64,
        "tiers": [{"name": n, "distance_m": f64, "ok": b, "nearest": i64} for n, _ in std.tiers],
        "labels": [],
        "all_ok": b,
        "status": i64,
        "statuses": [],
    }
    return _frame(out, index if index is not None else pd.RangeIndex(0))


def summarize(res: pd.DataFrame) -> pd.DataFrame:
    """Shares per tier of a `check` result (or of several concatenated): points evaluated,
    within reach, share, and points with nothing within the search limit. One row per tier and
    one for all tiers together; additive, so partial results can be summed first."""
    tiers = [c[: -len("_ok")] for c in res.columns if c.endswith("_ok") and c != "all_ok"]
    evaluated = res["status"] == "ok"
    n = int(evaluated.sum())
    rows = []
    radii = dict(res.attrs.get("greenreach", {}).get("tiers", []))
    for t in tiers:
        within = int(res.loc[evaluated, f"{t}_ok"].sum())
        beyond = int(res.loc[evaluated, f"{t}_m"].isna().sum())
        rows.append((t, radii.get(t, np.nan), n, within, within / n if n else 0.0, beyond))
    within = int(res.loc[evaluated, "all_ok"].sum())
    rows.append(("all tiers", np.nan, n, within, within / n if n else 0.0, np.nan))
    return pd.DataFrame(
        rows, columns=["tier", "radius_m", "evaluated", "within", "share", "beyond_limit"]
    ).set_index("tier")
