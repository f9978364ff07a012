#!/usr/bin/env python3
"""Writes the broken-input corpus: NAME.geojson (the input) and NAME.args (the command line,
{} = the file, {out} = a temporary folder). NAME.expect holds the exit code and stderr that
greenreach must produce; tests/bad_input.rs runs them. Coordinates lie in the Kouvola extract."""
import json
LON, LAT = 26.94, 60.53
def fc(features): return {"type": "FeatureCollection", "features": features}
def feat(geom, props=None, fid=None):
    f = {"type": "Feature", "properties": props or {}, "geometry": geom}
    if fid is not None:
        f["id"] = fid
    return f
def pt(dx=0.0, dy=0.0): return {"type": "Point", "coordinates": [LON + dx, LAT + dy]}
def ring(*xy): return [[LON + x, LAT + y] for x, y in xy]
def sq(dx, dy, d=0.002): return {"type": "Polygon", "coordinates": [ring((dx, dy), (dx + d, dy), (dx + d, dy + d), (dx, dy + d), (dx, dy))]}
park = feat(sq(0, 0), {"category": "park", "name": "Test park"})
GREEN = "check --green {} --grid 100 --summary-only -q"
POINTS = "check --green geodata/kouvola/green_areas.geojson --points {} --summary-only -q"
REPORT = "report --green geodata/kouvola/green_areas.geojson --points {} --weight population --out {out} -q"
cases = {}
def raw(name, data, args): cases[name] = (data if isinstance(data, bytes) else data.encode(), args)
def js(name, obj, args): raw(name, json.dumps(obj), args)
coords = json.dumps(fc([feat(pt())]))
raw("truncated", coords[:60], GREEN)
raw("trailing_comma", '{"type":"FeatureCollection","features":[],}', GREEN)
raw("bom", b"\xef\xbb\xbf" + json.dumps(fc([park])).encode(), GREEN)
raw("utf16", b"\xff\xfe" + json.dumps(fc([park])).encode("utf-16-le"), GREEN)
js("top_array", [park], GREEN)
js("top_feature", park, GREEN)
js("no_geometry", fc([park, {"type": "Feature", "id": "x1", "properties": {}}]), GREEN)
js("null_geometry", fc([feat(None, fid="h1"), feat(pt(), fid="h2")]), POINTS)
js("geometry_collection", fc([feat({"type": "GeometryCollection", "geometries": [pt()]}, fid="gc")]), GREEN)
js("unknown_type", fc([park, feat({"type": "Circle", "coordinates": [LON, LAT], "radius": 10}, fid="c1")]), GREEN)
js("short_ring", fc([feat({"type": "Polygon", "coordinates": [ring((0, 0), (0.01, 0), (0, 0))]}, {"category": "park"}, "r3")]), GREEN)
js("unclosed_ring", fc([feat({"type": "Polygon", "coordinates": [ring((0, 0), (0.01, 0), (0.01, 0.01), (0, 0.01))]}, {"category": "park"}, "open")]), GREEN)
js("bowtie", fc([feat({"type": "Polygon", "coordinates": [ring((0, 0), (0.01, 0.01), (0.01, 0), (0, 0.01), (0, 0))]}, {"category": "park"}, "bow")]), GREEN)
js("duplicate_vertices", fc([feat({"type": "Polygon", "coordinates": [ring((0, 0), (0.01, 0), (0.01, 0), (0.01, 0.01), (0, 0.01), (0, 0.01), (0, 0))]}, {"category": "park"}, "dup")]), GREEN)
js("zero_area", fc([park, feat({"type": "Polygon", "coordinates": [ring((0, 0), (0.01, 0.005), (0.02, 0.01), (0, 0))]}, {"category": "park"}, "flat")]), GREEN)
js("wrong_winding", fc([feat({"type": "Polygon", "coordinates": [ring((0, 0), (0, 0.01), (0.02, 0.01), (0.02, 0), (0, 0)), ring((0.005, 0.002), (0.015, 0.002), (0.015, 0.008), (0.005, 0.008), (0.005, 0.002))]}, {"category": "park"}, "cw")]), GREEN)
raw("nan", coords.replace(str(LON), "NaN"), GREEN)
raw("infinity", coords.replace(str(LON), "Infinity"), GREEN)
raw("huge_number", coords.replace(str(LON), "1e999"), GREEN)
js("string_coords", fc([park, feat({"type": "Point", "coordinates": [str(LON), str(LAT)]}, fid="s1")]), GREEN)
js("z_and_m", fc([feat({"type": "Point", "coordinates": [LON, LAT, 12.5]}, fid="z"), feat({"type": "Point", "coordinates": [LON + 0.001, LAT, 12.5, 3.0]}, fid="zm")]), POINTS)
js("swapped", fc([feat({"type": "Point", "coordinates": [LAT + 0.001 * i, LON]}, fid=f"h{i}") for i in range(5)]), POINTS)
js("projected", fc([feat(pt(), fid="ok"), feat({"type": "Point", "coordinates": [551600.5, 6711300.2]}, fid="utm")]), POINTS)
js("out_of_range", fc([feat({"type": "Point", "coordinates": [190.0, LAT]}, fid="far")]), POINTS)
js("unknown_category", fc([park, feat(sq(0.01, 0.01), {"category": "lawn"}, "l1")]), GREEN)
js("negative_weight", fc([feat(pt(), {"population": 12}, "a"), feat(pt(0.001, 0.001), {"population": -3}, "b")]), REPORT)
js("text_weight", fc([feat(pt(), {"population": "many"}, "a")]), REPORT)
js("duplicate_ids", fc([feat(pt(), fid="same"), feat(pt(0.001, 0.001), fid="same")]), POINTS)
js("empty_collection", fc([]), GREEN)
js("empty_points", fc([]), POINTS)
raw("zero_byte", b"", GREEN)
raw("deep_nesting", "[" * 100000, GREEN)
# Not GeoJSON at all, named .geojson: say what it looks like.
raw("shapefile_bytes", bytes([0, 0, 0x27, 0x0A]) + bytes(96), GREEN)
raw("gzip", bytes([0x1F, 0x8B, 8, 0]) + bytes(16), GREEN)
raw("csv_table", "lon,lat,name\n26.94,60.53,a\n", POINTS)
raw("ndjson", "\n".join(json.dumps(feat(pt(0.001 * i), fid=f"n{i}")) for i in range(3)) + "\n", POINTS)
raw("gbk_text", "名称,经度,纬度\n公园,26.94,60.53\n".encode("gbk"), POINTS)
for name, (data, args) in cases.items():
    open(f"{name}.geojson", "wb").write(data)
    open(f"{name}.args", "w").write(args + "\n")
print(f"{len(cases)} cases")
