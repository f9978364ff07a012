"""Deterministic candidate points for the `greenreach site` benchmark: N points uniform over
the synthetic city's extent (UTM 48N square, written in WGS84), from `extent_wgs84.geojson`.

    python3 benches/site/candidates.py synth-city/extent_wgs84.geojson 100000 > cands.geojson
"""
import json
import random
import sys

ext = json.load(open(sys.argv[1]))
n = int(sys.argv[2])
ring = ext["features"][0]["geometry"]["coordinates"][0]
lons = [c[0] for c in ring]
lats = [c[1] for c in ring]
# Stay 1% inside the box so every point falls in the (slightly rotated) square.
w, e = min(lons), max(lons)
s, nn = min(lats), max(lats)
dx, dy = (e - w) * 0.01, (nn - s) * 0.01
rng = random.Random(20240611)
feats = []
for i in range(n):
    lon = rng.uniform(w + dx, e - dx)
    lat = rng.uniform(s + dy, nn - dy)
    feats.append(
        '{"type":"Feature","properties":{"id":"c%d","cost":%d},"geometry":{"type":"Point","coordinates":[%.7f,%.7f]}}'
        % (i, rng.randint(1, 5), lon, lat)
    )
sys.stdout.write('{"type":"FeatureCollection","features":[\n' + ",\n".join(feats) + "\n]}\n")
