#!/usr/bin/env python3
"""Write the same small scene (Wuhan, 114.3E 30.6N) in every input format greenreach reads.

usage: python3 tests/formats/make_fixtures.py   (from the repository root; needs a venv with
       pyogrio, shapely, pyproj, numpy, geopandas and pyarrow:
       python3 -m venv v && v/bin/pip install pyogrio shapely pyproj numpy geopandas pyarrow;
       only the Parquet files: python3 -c "import make_fixtures as m; m.parquet_fixtures()")

The scene: green spaces (a park with a hole, leisure spaces, street greens; attributes id,
名称, category, 用地代码) and 40 homes (id, 名称). Written as
  scene/green.geojson, scene/points.geojson                      reference (WGS84)
  scene/green_wgs84.shp, points_wgs84.shp                        WGS84 .prj, UTF-8 with .cpg
  scene/green_gk.shp, points_gk.shp                              CGCS2000 3-degree GK CM 114E
                                                                  (EPSG:4547) .prj, GBK with .cpg
  scene/green_gbk_nocpg.shp, points_gbk_nocpg.shp                WGS84, GBK, no .cpg
  scene/green_utf8_nocpg.shp                                     WGS84, UTF-8, no .cpg
  scene/scene.gpkg                                               layers green, points (WGS84)
  scene/green_gk.gpkg                                            layer green in EPSG:4547
  scene/green.fgb, scene/points.fgb                              WGS84
  scene/points.csv                                               经度/纬度 columns, UTF-8 with BOM
  scene/green_wkt_gbk.csv                                        WKT column, GBK
  scene/green.parquet, scene/points.parquet                      GeoParquet (WKB), WGS84, snappy
  scene/green_gk.parquet                                         GeoParquet in EPSG:4547 (PROJJSON),
                                                                  zstd, row groups of 5 rows
  scene/points_lonlat.parquet                                    plain Parquet: id, 名称, 经度, 纬度
  bad/...                                                        broken inputs, one per format
Coordinates are rounded to 1e-7 degrees (1 cm in EPSG:4547) so every format holds the same
positions to well under the 0.05 m the tests allow.
"""
import json
import os
import shutil

import numpy as np
import pyogrio
import shapely
from pyproj import Transformer

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "scene")
BAD = os.path.join(HERE, "bad")
LON0, LAT0 = 114.30, 30.60
M_LAT = 1 / 110_900.0
M_LON = 1 / (111_320.0 * np.cos(np.radians(LAT0)))


def star(cx, cy, r, n, rng):
    ang = np.sort(rng.uniform(0, 2 * np.pi, n))
    rad = r * rng.uniform(0.7, 1.0, n)
    pts = [(cx + a * np.cos(t) * M_LON, cy + a * np.sin(t) * M_LAT) for t, a in zip(ang, rad)]
    return pts + [pts[0]]


def scene():
    rng = np.random.default_rng(11)
    green = []
    park = shapely.Polygon(star(LON0, LAT0, 400, 24, rng), [star(LON0 + 50 * M_LON, LAT0, 120, 10, rng)[::-1]])
    green.append(("p1", "中山公园", "park", "G11", park))
    for k in range(4):
        cx = LON0 + rng.uniform(-2500, 2500) * M_LON
        cy = LAT0 + rng.uniform(-2500, 2500) * M_LAT
        green.append((f"l{k}", f"社区公园{k}", "leisure", "G12", shapely.Polygon(star(cx, cy, 120, 12, rng))))
    for k in range(8):
        cx = LON0 + rng.uniform(-3000, 3000) * M_LON
        cy = LAT0 + rng.uniform(-3000, 3000) * M_LAT
        green.append((f"s{k}", f"街旁绿地{k}", "street_green", "G15", shapely.Polygon(star(cx, cy, 30, 8, rng))))
    homes = []
    for k in range(40):
        x = LON0 + rng.uniform(-3500, 3500) * M_LON
        y = LAT0 + rng.uniform(-3500, 3500) * M_LAT
        homes.append((f"h{k}", f"住宅{k}号", shapely.Point(x, y)))
    rnd = lambda g: shapely.set_precision(g, 1e-7)
    green = [(a, b, c, d, rnd(g)) for a, b, c, d, g in green]
    homes = [(a, b, rnd(g)) for a, b, g in homes]
    return green, homes


def to_gk(g):
    t = Transformer.from_crs(4326, 4547, always_xy=True)
    return shapely.set_precision(shapely.transform(g, lambda xy: np.column_stack(t.transform(xy[:, 0], xy[:, 1]))), 0.01)


def write(path, geoms, cols, crs, encoding=None, layer=None, driver=None, append=False, layer_options=None):
    kw = {"layer_options": layer_options} if layer_options else {}
    if encoding:
        kw["encoding"] = encoding
    kind = "Point" if shapely.get_type_id(geoms[0]) == 0 else "Polygon"
    pyogrio.raw.write(path, np.array(shapely.to_wkb(geoms), dtype=object),
                      [np.array(v, dtype=object) for v in cols.values()], list(cols),
                      geometry_type=kind, crs=crs, layer=layer, driver=driver, append=append, **kw)


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    shutil.rmtree(BAD, ignore_errors=True)
    os.makedirs(OUT)
    os.makedirs(BAD)
    green, homes = scene()
    gcols = {"id": [g[0] for g in green], "名称": [g[1] for g in green], "category": [g[2] for g in green],
             "用地代码": [g[3] for g in green]}
    ggeo = [g[4] for g in green]
    hcols = {"id": [h[0] for h in homes], "名称": [h[1] for h in homes]}
    hgeo = [h[2] for h in homes]

    def fc(geoms, cols):
        feats = []
        for i, g in enumerate(geoms):
            feats.append({"type": "Feature", "properties": {k: v[i] for k, v in cols.items()},
                          "geometry": json.loads(shapely.to_geojson(g))})
        return {"type": "FeatureCollection", "features": feats}

    for name, geoms, cols in [("green", ggeo, gcols), ("points", hgeo, hcols)]:
        with open(f"{OUT}/{name}.geojson", "w", encoding="utf-8") as f:
            json.dump(fc(geoms, cols), f, ensure_ascii=False)
        write(f"{OUT}/{name}_wgs84.shp", geoms, cols, "EPSG:4326", encoding="UTF-8")
        write(f"{OUT}/{name}_gk.shp", [to_gk(g) for g in geoms], cols, "EPSG:4547", encoding="GBK")
        write(f"{OUT}/{name}_gbk_nocpg.shp", geoms, cols, "EPSG:4326", encoding="GBK")
        os.remove(f"{OUT}/{name}_gbk_nocpg.cpg")
        write(f"{OUT}/{name}.fgb", geoms, cols, "EPSG:4326", driver="FlatGeobuf", layer_options={"SPATIAL_INDEX": "NO"})
        write(f"{OUT}/scene.gpkg", geoms, cols, "EPSG:4326", layer=name, driver="GPKG",
              append=name == "points")
    write(f"{OUT}/green_utf8_nocpg.shp", ggeo, gcols, "EPSG:4326", encoding="UTF-8")
    os.remove(f"{OUT}/green_utf8_nocpg.cpg")
    write(f"{OUT}/green_gk.gpkg", [to_gk(g) for g in ggeo], gcols, "EPSG:4547", layer="green", driver="GPKG")
    with open(f"{OUT}/points.csv", "w", encoding="utf-8-sig") as f:
        f.write("id,名称,经度,纬度\n")
        for (i, n, g) in homes:
            f.write(f"{i},{n},{g.x!r},{g.y!r}\n")
    with open(f"{OUT}/green_wkt_gbk.csv", "w", encoding="gbk") as f:
        f.write("id,名称,category,用地代码,wkt\n")
        for (i, n, c, code, g) in green:
            f.write(f'{i},{n},{c},{code},"{shapely.to_wkt(g, rounding_precision=-1)}"\n')

    # A land-use map (控规): every parcel in one layer, GB 50137 codes, GBK, CGCS2000 GK.
    parcels = []
    for j in range(6):
        for i in range(6):
            x0 = LON0 + (i - 3) * 300 * M_LON
            y0 = LAT0 + (j - 3) * 300 * M_LAT
            box = shapely.box(x0, y0, x0 + 280 * M_LON, y0 + 280 * M_LAT)
            code, name = [("R2", "二类居住用地"), ("R2", "二类居住用地"), ("B1", "商业用地"),
                          ("G15", "街旁绿地"), ("R2", "二类居住用地"), ("G2", "防护绿地")][(i + 2 * j) % 6]
            if (i, j) == (2, 2):
                code, name = "G11", "综合公园"
            parcels.append((f"p{j}{i}", name, code, shapely.set_precision(box, 1e-7)))
    lcols = {"id": [p[0] for p in parcels], "用地名称": [p[1] for p in parcels], "用地代码": [p[2] for p in parcels]}
    write(f"{OUT}/landuse_gk.shp", [to_gk(p[3]) for p in parcels], lcols, "EPSG:4547", encoding="GBK")

    # Broken inputs.
    for ext in ["shp", "shx", "dbf", "prj", "cpg"]:
        shutil.copy(f"{OUT}/green_wgs84.{ext}", f"{BAD}/truncated.{ext}")
        shutil.copy(f"{OUT}/green_wgs84.{ext}", f"{BAD}/no_dbf.{ext}")
        shutil.copy(f"{OUT}/green_wgs84.{ext}", f"{BAD}/no_shx.{ext}")
        shutil.copy(f"{OUT}/green_wgs84.{ext}", f"{BAD}/bad_prj.{ext}")
    size = os.path.getsize(f"{BAD}/truncated.shp")
    with open(f"{BAD}/truncated.shp", "r+b") as f:
        f.truncate(size - 300)
    os.remove(f"{BAD}/no_dbf.dbf")
    os.remove(f"{BAD}/no_shx.shx")
    with open(f"{BAD}/bad_prj.prj", "w") as f:
        f.write('PROJCS["broken",GEOGCS[')
    with open(f"{BAD}/no_coords.csv", "w") as f:
        f.write("name,value\na,1\n")
    with open(f"{BAD}/bad_number.csv", "w") as f:
        f.write("id,lon,lat\na,114.3,30.6\nb,114.3,north\n")
    parquet_fixtures()


def parquet_fixtures():
    """The scene as (Geo)Parquet, and broken Parquet inputs."""
    import geopandas as gpd
    import pyarrow as pa
    import pyarrow.parquet as pq

    green, homes = scene()
    g = gpd.GeoDataFrame({"id": [x[0] for x in green], "名称": [x[1] for x in green],
                          "category": [x[2] for x in green], "用地代码": [x[3] for x in green]},
                         geometry=[x[4] for x in green], crs="EPSG:4326")
    h = gpd.GeoDataFrame({"id": [x[0] for x in homes], "名称": [x[1] for x in homes]},
                         geometry=[x[2] for x in homes], crs="EPSG:4326")
    g.to_parquet(f"{OUT}/green.parquet", index=False)
    h.to_parquet(f"{OUT}/points.parquet", index=False)
    gk = g.set_geometry([to_gk(x) for x in g.geometry], crs="EPSG:4547")
    gk.to_parquet(f"{OUT}/green_gk.parquet", index=False, compression="zstd", row_group_size=5)
    pq.write_table(pa.table({"id": h["id"], "名称": h["名称"], "经度": h.geometry.x, "纬度": h.geometry.y}),
                   f"{OUT}/points_lonlat.parquet", compression="lz4")
    data = open(f"{OUT}/green.parquet", "rb").read()
    with open(f"{BAD}/truncated.parquet", "wb") as f:
        f.write(data[:-100])
    pq.write_table(pa.table({"name": ["a"], "value": [1]}), f"{BAD}/no_coords.parquet")
    g.to_parquet(f"{BAD}/geoarrow.parquet", index=False, geometry_encoding="geoarrow")


if __name__ == "__main__":
    main()
