"""greenreach on Dask: one `greenreach.check` per partition of the homes, exact.

    import dask_geopandas, greenreach.dask
    homes = dask_geopandas.read_parquet("homes/").spatial_shuffle()   # spatial partitions
    res = greenreach.dask.check(homes, greens, standard="jiangbei")    # a dask DataFrame
    res.to_parquet("result/")

Each partition gets the green features whose bounding box meets the partition's bounds grown
by the search limit (the halo), and every partition is measured on one plane, centred on the
whole study. Together these make every row identical to a single-process `greenreach.check`
(see the README: "Why the halo makes the answer identical"). Partitions that are spatially
compact (`spatial_shuffle`) keep the halos, and so the repeated green features, small.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

import greenreach as gr


def _lonlat_bounds(gdf) -> np.ndarray:
    if gdf.crs is not None and not gdf.crs.is_geographic:
        gdf = gdf.to_crs(4326)
    return np.asarray(gdf.total_bounds, dtype=float)


def halo_greens(greens, bounds, halo_m: float):
    """The green features (in their order, with their index) whose box meets the lon/lat
    `bounds` (minx, miny, maxx, maxy) grown by `halo_m` metres. The growth in degrees is
    generous (a degree of latitude is at least 110.5 km); more features than needed never
    change a result, fewer would."""
    import shapely

    minx, miny, maxx, maxy = bounds
    dlat = halo_m / 110_000.0 * 1.01 + 1e-6
    lat = min(89.0, max(abs(miny), abs(maxy)) + dlat)
    dlon = min(360.0, dlat / math.cos(math.radians(lat)))
    area = shapely.box(minx - dlon, miny - dlat, maxx + dlon, maxy + dlat)
    g = greens
    if greens.crs is not None and not greens.crs.is_geographic:
        g = greens.to_crs(4326)
    hits = np.sort(g.sindex.query(area, predicate="intersects"))
    return greens.iloc[hits]


def check_partition(part, greens, standard, origin, halo_m, **kwargs) -> pd.DataFrame:
    """`greenreach.check` on one partition: the function Dask maps (also usable from
    Spark's `mapInPandas`/`mapInArrow` or any batch runner)."""
    if len(part) == 0:
        return gr.empty_result(standard, part.index[:0])
    valid = part.geometry.notna() & ~part.geometry.is_empty
    if valid.any():
        bounds = _lonlat_bounds(part[valid])
        near = halo_greens(greens, bounds, halo_m)
    else:
        near = greens.iloc[:0]
    if len(near) == 0:
        near = greens.iloc[:1]  # every point fails; one feature keeps the layer non-empty
    res = gr.check(part, near, standard=standard, origin=origin, **kwargs)
    res.attrs = {}
    return res


def check(homes, greens, standard="jiangbei", *, max_distance=None, origin=None, **kwargs):
    """Check a dask-geopandas GeoDataFrame of homes against a (small, in-memory) GeoDataFrame
    of green features. Returns a dask DataFrame with the rows `greenreach.check` gives, same
    index; `compute()` it or write it out. `origin` defaults to the centre of the lon/lat box of
    homes and greens together, as a single run chooses it."""
    std = gr._standard(standard)
    limit = max_distance if max_distance is not None else max(std.max_radius, 5000.0)
    if origin is None:
        hb = homes.total_bounds
        hb = np.asarray(hb.compute() if hasattr(hb, "compute") else hb, dtype=float)
        if homes.crs is not None and not homes.crs.is_geographic:
            raise gr.GreenreachError(
                "give origin= (lon, lat) for homes in a projected CRS, e.g. "
                "gr.origin_of(homes.compute(), greens) or the centre of your study area"
            )
        gb = _lonlat_bounds(greens)
        origin = (
            (min(hb[0], gb[0]) + max(hb[2], gb[2])) / 2.0,
            (min(hb[1], gb[1]) + max(hb[3], gb[3])) / 2.0,
        )
    meta = gr.empty_result(std)
    meta.index = meta.index.astype(homes.index.dtype) if len(meta.columns) else meta.index
    return homes.map_partitions(
        check_partition,
        greens,
        std,
        origin,
        limit,
        max_distance=max_distance,
        meta=meta,
        **kwargs,
    )
