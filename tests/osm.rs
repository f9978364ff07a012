//! The OSM PBF reader: hand-made multipolygons written by a small PBF writer, the Liechtenstein
//! extract against the GeoJSON layers exported from it, and broken files.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::pbf::Osm;
use geo::{Area, Coord, Geometry, MultiPolygon, Polygon};
use greenreach::io::osm::assemble::Broken;
use greenreach::io::osm::layers::{self, LayerChoice};
use greenreach::io::osm::{OsmData, OsmWanted, TagFilter, read_pbf};
use greenreach::standard::presets;
use proptest::prelude::*;
use serde_json::Value;

const LIECHTENSTEIN_PBF: &str = "geodata/liechtenstein/liechtenstein-latest.osm.pbf";

fn write(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.path().join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn read_scene(osm: &Osm, wanted: &OsmWanted) -> OsmData {
    let dir = tempfile::tempdir().unwrap();
    let p = write(&dir, "scene.osm.pbf", &osm.to_pbf());
    read_pbf(&p, wanted).unwrap()
}

/// Node `100 * x + y` at (9.5 + x / 1000, 47.1 + y / 1000) for x, y < 100.
fn lattice(ids: &[i64]) -> Vec<(i64, f64, f64, common::pbf::Tags)> {
    ids.iter()
        .map(|&n| {
            (
                n,
                9.5 + (n / 100) as f64 / 1000.0,
                47.1 + (n % 100) as f64 / 1000.0,
                vec![],
            )
        })
        .collect()
}

fn everything() -> OsmWanted {
    OsmWanted {
        ways: TagFilter::any_key(&["highway"]),
        areas: TagFilter::any_tag(),
        nodes: TagFilter::any_key(&["entrance", "barrier"]),
    }
}

fn area_of(d: &OsmData, id: &str) -> MultiPolygon<f64> {
    d.areas
        .iter()
        .find(|a| a.id == id)
        .unwrap_or_else(|| panic!("{id} not assembled"))
        .geometry
        .clone()
}

/// Square of lattice nodes from (x0, y0) to (x1, y1), counter-clockwise, closed.
fn square(x0: i64, y0: i64, x1: i64, y1: i64) -> Vec<i64> {
    vec![
        100 * x0 + y0,
        100 * x1 + y0,
        100 * x1 + y1,
        100 * x0 + y1,
        100 * x0 + y0,
    ]
}

fn hand_scene() -> Osm {
    let mut node_ids: Vec<i64> = Vec::new();
    for x in 0..=40 {
        for y in 0..=40 {
            node_ids.push(100 * x + y);
        }
    }
    let mut nodes = lattice(&node_ids);
    nodes.push((9001, 9.5, 47.2, vec![("entrance", "yes")]));
    nodes.push((9002, 9.6, 47.2, vec![("barrier", "gate")]));
    nodes.push((9003, 9.6, 47.3, vec![("natural", "tree")]));
    let ways = vec![
        // relation 1: a park with a hole; the outer ring in two halves, one drawn backwards.
        (11, vec![0, 600, 606], vec![]),
        (12, vec![0, 6, 606], vec![]),
        (13, square(2, 2, 4, 4), vec![]),
        // relation 2: two outer squares touching at node 1010, a hole touching its outer at 1212.
        (21, square(10, 10, 12, 12), vec![]),
        (22, vec![1212, 1412, 1414, 1214, 1212], vec![]),
        (23, vec![1212, 1313, 1312, 1212], vec![]),
        // relation 3: an outer ring that does not close.
        (31, vec![2000, 2200, 2202], vec![]),
        (32, vec![2000, 2002], vec![]),
        // relation 5: role-less members, the inner one decided by containment.
        (51, square(30, 30, 36, 36), vec![]),
        (52, square(32, 32, 34, 34), vec![]),
        // closed ways: an area, an area=no, a closed footway (not an area), a tree row.
        (61, square(0, 20, 2, 22), vec![("landuse", "grass")]),
        (
            62,
            square(4, 20, 6, 22),
            vec![("leisure", "park"), ("area", "no")],
        ),
        (63, square(8, 20, 10, 22), vec![("highway", "footway")]),
        // a footway with a node missing from the file.
        (64, vec![2020, 777_777, 2024], vec![("highway", "path")]),
    ];
    let relations = vec![
        (
            1,
            vec![('w', 11, "outer"), ('w', 12, "outer"), ('w', 13, "inner")],
            vec![("type", "multipolygon"), ("leisure", "park")],
        ),
        (
            2,
            vec![('w', 21, "outer"), ('w', 22, "outer"), ('w', 23, "inner")],
            vec![("type", "multipolygon"), ("landuse", "forest")],
        ),
        (
            3,
            vec![('w', 31, "outer"), ('w', 32, "outer")],
            vec![("type", "multipolygon"), ("leisure", "park")],
        ),
        (
            4,
            vec![('w', 11, "outer"), ('w', 999, "outer")],
            vec![("type", "multipolygon"), ("leisure", "park")],
        ),
        (
            5,
            vec![('w', 51, ""), ('w', 52, ""), ('n', 9001, "label")],
            vec![("type", "multipolygon"), ("natural", "wood")],
        ),
        (
            6,
            vec![('w', 51, "outer")],
            vec![("type", "route"), ("route", "hiking")],
        ),
    ];
    Osm {
        nodes,
        ways,
        relations,
    }
}

#[test]
fn multipolygons_holes_touching_rings_and_roles() {
    let d = read_scene(&hand_scene(), &everything());
    let cell = 0.001f64 * 0.001;
    let rel1 = area_of(&d, "relation/1");
    assert_eq!(rel1.0.len(), 1);
    assert_eq!(rel1.0[0].interiors().len(), 1);
    assert!((rel1.unsigned_area() - (36.0 - 4.0) * cell).abs() < 1e-12);

    let rel2 = area_of(&d, "relation/2");
    assert_eq!(rel2.0.len(), 2, "two outer rings touching at a node");
    assert_eq!(rel2.0.iter().map(|p| p.interiors().len()).sum::<usize>(), 1);
    assert!((rel2.unsigned_area() - (4.0 + 4.0 - 0.5) * cell).abs() < 1e-12);

    let rel5 = area_of(&d, "relation/5");
    assert_eq!(rel5.0.len(), 1);
    assert_eq!(
        rel5.0[0].interiors().len(),
        1,
        "role-less inner ring by containment"
    );
    assert_eq!(d.stats.role_mismatches, 0);
    // tags are the relation's, without `type`
    let tags = &d.areas.iter().find(|a| a.id == "relation/5").unwrap().tags;
    assert_eq!(tags.get("natural"), Some("wood"));
    assert!(tags.get("type").is_none());
}

#[test]
fn broken_relations_are_skipped_and_counted() {
    let d = read_scene(&hand_scene(), &everything());
    let ids: Vec<&str> = d.areas.iter().map(|a| a.id.as_str()).collect();
    assert!(!ids.contains(&"relation/3") && !ids.contains(&"relation/4"));
    assert!(!ids.contains(&"relation/6"), "not a multipolygon");
    let broken: BTreeMap<&str, &Broken> = d
        .stats
        .broken
        .iter()
        .map(|b| (b.id.as_str(), &b.reason))
        .collect();
    assert_eq!(broken.len(), 2, "{broken:?}");
    assert_eq!(
        broken["relation/3"],
        &Broken::UnclosedRing {
            way: 31,
            node: 2202
        }
    );
    assert_eq!(broken["relation/4"], &Broken::MissingWay(999));
    let w = d.stats.warnings("scene.osm.pbf");
    assert!(
        w.iter()
            .any(|l| l.contains("1 area skipped (ring not closed), e.g. relation/3")),
        "{w:?}"
    );
    assert!(w.iter().any(|l| l.contains("1 way refer")), "{w:?}");
}

#[test]
fn closed_ways_follow_the_area_rules_and_ways_keep_node_ids() {
    let d = read_scene(&hand_scene(), &everything());
    let ids: Vec<&str> = d.areas.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(
        ids,
        ["way/61", "relation/1", "relation/2", "relation/5"],
        "area=no and a closed footway are not areas; untagged member ways are not areas"
    );
    let way_ids: Vec<i64> = d.ways.iter().map(|w| w.id).collect();
    assert_eq!(way_ids, [63, 64]);
    let w63 = &d.ways[0];
    assert_eq!(w63.node_ids, square(8, 20, 10, 22));
    assert_eq!(w63.coords[1], Coord { x: 9.51, y: 47.12 });
    assert_eq!(w63.tags.get("highway"), Some("footway"));
    // the missing node is left out and counted
    assert_eq!(d.ways[1].node_ids, [2020, 2024]);
    assert_eq!(d.stats.ways_missing_nodes, 1);
    let nodes: Vec<i64> = d.tagged_nodes.iter().map(|n| n.id).collect();
    assert_eq!(nodes, [9001, 9002], "the tree is not wanted");
    assert_eq!(d.tagged_nodes[1].lonlat, Coord { x: 9.6, y: 47.2 });
    assert_eq!(d.stats.nodes, 41 * 41 + 3);
    assert_eq!((d.stats.ways, d.stats.relations), (14, 6));
}

#[test]
fn only_wanted_elements_are_kept() {
    let mut w = OsmWanted::nothing();
    w.areas = TagFilter::new(|t| t.is("leisure", &["park"]));
    let d = read_scene(&hand_scene(), &w);
    let ids: Vec<&str> = d.areas.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["relation/1"]);
    assert!(d.ways.is_empty() && d.tagged_nodes.is_empty());
    let broken: Vec<&str> = d.stats.broken.iter().map(|b| b.id.as_str()).collect();
    assert_eq!(broken, ["relation/3", "relation/4"]);
}

#[test]
fn green_layer_under_a_standard_has_osm_ids_and_tags() {
    let mut scene = hand_scene();
    scene
        .ways
        .push((70, vec![0, 40], vec![("natural", "tree_row")]));
    scene
        .nodes
        .push((9004, 9.55, 47.25, vec![("leisure", "playground")]));
    // jiangbei plus forests, woods and tree rows as street greenery (the preset counts none
    // of them), so that multipolygon relations and lines are in the layer.
    let mut standard = presets::preset("jiangbei").unwrap();
    let rule = |tags: &[&str], kind| greenreach::standard::Rule {
        any_tag: tags
            .iter()
            .map(|t| greenreach::standard::TagMatch::parse(t).unwrap())
            .collect(),
        kinds: vec![kind],
        min_area_m2: 0.0,
        unless: vec![],
    };
    standard.categories[2].rules.push(rule(
        &["landuse=forest", "natural=wood"],
        greenreach::standard::Kind::Area,
    ));
    standard.categories[2].rules.push(rule(
        &["natural=tree_row"],
        greenreach::standard::Kind::Line,
    ));
    let choice = LayerChoice {
        green: true,
        ..LayerChoice::default()
    };
    let d = read_scene(&scene, &layers::wanted(&standard, choice));
    let layer = layers::green_layer(&d, &standard, Path::new("scene.osm.pbf"));
    let ids: Vec<&str> = layer
        .features
        .iter()
        .map(|f| f.id.as_deref().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "way/61",
            "relation/1",
            "relation/2",
            "relation/5",
            "way/70",
            "node/9004"
        ]
    );
    assert_eq!(layer.features[4].index, 4);
    assert_eq!(layer.features[0].properties["landuse"], "grass");
    assert!(matches!(
        layer.features[2].geometry,
        Geometry::MultiPolygon(_)
    ));
    assert!(matches!(
        layer.features[4].geometry,
        Geometry::LineString(_)
    ));
    assert!(matches!(layer.features[5].geometry, Geometry::Point(_)));
}

// ---------------------------------------------------------------------------------------------
// Liechtenstein: the reader against the GeoJSON layers exported from the same extract.

fn geojson(path: &str) -> Vec<Value> {
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    v["features"].as_array().unwrap().clone()
}

/// A ring without its closing position, rotated to start at its smallest position and
/// walked in the direction whose second position is smaller: the same ring in any start
/// and orientation compares equal.
fn normal_ring(ring: &[Coord<f64>]) -> Vec<(u64, u64)> {
    let pts: Vec<(u64, u64)> = ring[..ring.len() - 1]
        .iter()
        .map(|c| (c.x.to_bits(), c.y.to_bits()))
        .collect();
    let key = |p: &(u64, u64)| (f64::from_bits(p.0), f64::from_bits(p.1));
    let start = (0..pts.len())
        .min_by(|&a, &b| key(&pts[a]).partial_cmp(&key(&pts[b])).unwrap())
        .unwrap();
    let n = pts.len();
    let fwd: Vec<_> = (0..n).map(|i| pts[(start + i) % n]).collect();
    let bwd: Vec<_> = (0..n).map(|i| pts[(start + n - i) % n]).collect();
    if key(&fwd[1]) <= key(&bwd[1]) {
        fwd
    } else {
        bwd
    }
}

fn normal_polygons(g: &Geometry<f64>) -> Vec<Vec<Vec<(u64, u64)>>> {
    let polys: Vec<Polygon<f64>> = match g {
        Geometry::Polygon(p) => vec![p.clone()],
        Geometry::MultiPolygon(m) => m.0.clone(),
        other => panic!("not an area: {other:?}"),
    };
    let mut out: Vec<_> = polys
        .iter()
        .map(|p| {
            let mut rings = vec![normal_ring(&p.exterior().0)];
            let mut holes: Vec<_> = p.interiors().iter().map(|r| normal_ring(&r.0)).collect();
            holes.sort();
            rings.extend(holes);
            rings
        })
        .collect();
    out.sort();
    out
}

fn geojson_geometry(f: &Value) -> Geometry<f64> {
    let g: geojson::Geometry = serde_json::from_value(f["geometry"].clone()).unwrap();
    Geometry::try_from(g).unwrap()
}

/// `osm_id` → feature of a shipped GeoJSON layer.
fn shipped(name: &str) -> BTreeMap<String, Value> {
    geojson(&format!("geodata/liechtenstein/{name}.geojson"))
        .into_iter()
        .map(|f| (f["properties"]["osm_id"].as_str().unwrap().to_string(), f))
        .collect()
}

/// Classes of the shipped `green_areas.geojson` (its `stats.json` lists them by class).
fn export_green_classes() -> TagFilter {
    TagFilter::new(|t| {
        t.is(
            "landuse",
            &[
                "forest",
                "meadow",
                "grass",
                "recreation_ground",
                "allotments",
                "village_green",
            ],
        ) || t.is("natural", &["wood", "scrub", "grassland", "heath"])
            || t.is(
                "leisure",
                &["pitch", "playground", "park", "nature_reserve", "garden"],
            )
    })
}

#[test]
fn liechtenstein_green_areas_equal_the_geojson_export() {
    let mut w = OsmWanted::nothing();
    w.areas = export_green_classes();
    let d = read_pbf(Path::new(LIECHTENSTEIN_PBF), &w).unwrap();
    let want = shipped("green_areas");
    let got: BTreeMap<&str, _> = d.areas.iter().map(|a| (a.id.as_str(), a)).collect();
    assert_eq!(
        got.keys().copied().collect::<Vec<_>>(),
        want.keys().map(String::as_str).collect::<Vec<_>>()
    );
    assert_eq!(got.len(), 433);
    for (id, f) in &want {
        let a = got[id.as_str()];
        // the same rings, position for position (bit-identical coordinates)
        assert_eq!(
            normal_polygons(&Geometry::MultiPolygon(a.geometry.clone())),
            normal_polygons(&geojson_geometry(f)),
            "{id}"
        );
        // the same tags
        let mut props = f["properties"].as_object().unwrap().clone();
        props.remove("osm_id");
        assert_eq!(a.tags.to_properties(), props, "{id}");
    }
    // The three forest/park relations cut at the country's border are skipped and counted.
    let broken: Vec<String> = d
        .stats
        .broken
        .iter()
        .map(|b| format!("{} {}", b.id, b.reason))
        .collect();
    assert_eq!(
        broken,
        [
            "relation/61508 member way/29330724 is not in the file",
            "relation/282409 member way/25501520 is not in the file",
            "relation/3998328 member way/135931845 is not in the file",
        ]
    );
    assert_eq!(
        (d.stats.nodes, d.stats.ways, d.stats.relations),
        (142_832, 15_247, 358),
        "the counts of stats.json"
    );
}

#[test]
fn liechtenstein_buildings_land_and_zones_equal_the_geojson_export() {
    let standard = presets::preset("jiangbei").unwrap();
    let choice = LayerChoice {
        green: true,
        buildings: true,
        residential: true,
        zones: true,
    };
    let d = read_pbf(
        Path::new(LIECHTENSTEIN_PBF),
        &layers::wanted(&standard, choice),
    )
    .unwrap();
    let p = Path::new(LIECHTENSTEIN_PBF);
    for (layer, name) in [
        (layers::buildings_layer(&d, p), "buildings"),
        (layers::residential_layer(&d, p), "residential_areas"),
        (layers::zones_layer(&d, p), "admin_boundaries"),
    ] {
        let want = shipped(name);
        let got: BTreeMap<String, _> = layer
            .features
            .iter()
            .map(|f| (f.id.clone().unwrap(), f))
            .collect();
        let only_pbf: Vec<_> = got.keys().filter(|k| !want.contains_key(*k)).collect();
        let only_geojson: Vec<_> = want.keys().filter(|k| !got.contains_key(*k)).collect();
        assert_eq!(
            (only_pbf.len(), only_geojson.len()),
            (0, 0),
            "{name}: only in the PBF {only_pbf:?}, only in the GeoJSON {only_geojson:?}"
        );
        for (id, f) in &want {
            assert_eq!(
                normal_polygons(&got[id].geometry),
                normal_polygons(&geojson_geometry(f)),
                "{name} {id}"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Broken files.

#[test]
fn truncated_and_foreign_files_are_clear_errors() {
    let bytes = std::fs::read(LIECHTENSTEIN_PBF).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let p = write(&dir, "cut.osm.pbf", &bytes[..bytes.len() / 2]);
    let e = read_pbf(&p, &everything()).unwrap_err().to_string();
    assert!(
        e.starts_with(&format!("{}: is truncated: blob ", p.display())),
        "{e}"
    );
    let p = write(&dir, "cut3.osm.pbf", &bytes[..bytes.len() - 3]);
    let e = read_pbf(&p, &everything()).unwrap_err().to_string();
    assert!(e.contains("is truncated"), "{e}");
    let p = write(
        &dir,
        "text.osm.pbf",
        b"{\"type\":\"FeatureCollection\",\"features\":[]}",
    );
    let e = read_pbf(&p, &everything()).unwrap_err().to_string();
    assert!(e.contains("text.osm.pbf: is not an OSM PBF file"), "{e}");
    let p = write(&dir, "empty.osm.pbf", b"");
    let e = read_pbf(&p, &everything()).unwrap_err().to_string();
    assert!(
        e.ends_with("empty.osm.pbf: is empty; expected an OSM PBF file"),
        "{e}"
    );
    let e = read_pbf(&dir.path().join("missing.osm.pbf"), &everything())
        .unwrap_err()
        .to_string();
    assert!(e.contains("missing.osm.pbf: cannot read the file"), "{e}");
}

fn scene_bytes() -> Vec<u8> {
    hand_scene().to_pbf()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        let dir = tempfile::tempdir().unwrap();
        let p = write(&dir, "r.osm.pbf", &bytes);
        let _ = read_pbf(&p, &everything());
    }

    /// Byte flips and cuts in an uncompressed file reach the protobuf decoding itself.
    #[test]
    fn corrupted_files_never_panic(
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        cut in any::<prop::sample::Index>(),
    ) {
        let mut bytes = scene_bytes();
        for (at, b) in flips {
            let i = at.index(bytes.len());
            bytes[i] = b;
        }
        let len = bytes.len();
        bytes.truncate(cut.index(len) + 1);
        let dir = tempfile::tempdir().unwrap();
        let p = write(&dir, "c.osm.pbf", &bytes);
        if let Err(e) = read_pbf(&p, &everything()) {
            prop_assert!(e.to_string().starts_with(&p.display().to_string()), "{}", e);
        }
    }
}

#[test]
fn liechtenstein_green_layer_under_a_standard_equals_the_exported_candidates() {
    // The green layer of `--osm` holds what the standard's tag rules may use, by geometry kind:
    // the exported areas and points that pass the same rules, nothing more or less.
    let standard = presets::preset("jiangbei").unwrap();
    let choice = LayerChoice {
        green: true,
        ..LayerChoice::default()
    };
    let p = Path::new(LIECHTENSTEIN_PBF);
    let d = read_pbf(p, &layers::wanted(&standard, choice)).unwrap();
    let layer = layers::green_layer(&d, &standard, p);
    let got: Vec<&str> = layer
        .features
        .iter()
        .map(|f| f.id.as_deref().unwrap())
        .collect();
    let mut want = Vec::new();
    for (name, kind) in [
        ("green_areas", greenreach::standard::Kind::Area),
        ("green_points", greenreach::standard::Kind::Point),
    ] {
        let filter = layers::green_filter(&standard, kind);
        for (id, f) in shipped(name) {
            let props = f["properties"].as_object().unwrap();
            let tags = greenreach::io::osm::Tags::from_pairs(
                props
                    .iter()
                    .filter(|(k, _)| *k != "osm_id")
                    .map(|(k, v)| (k.as_str(), v.as_str().unwrap())),
            );
            if filter.test(&tags) {
                want.push(id);
            }
        }
    }
    let mut got_sorted = got.clone();
    got_sorted.sort();
    want.sort();
    assert_eq!(got_sorted, want);
    // 35 areas (of the export's 433 only the parks, gardens, lawns, playgrounds, recreation
    // grounds, village greens and squares that jiangbei's rules name) and the 7 playgrounds
    // mapped as nodes (the 3000 street trees are no jiangbei category).
    assert_eq!(got.len(), 42);
    assert_eq!(got.iter().filter(|i| i.starts_with("node/")).count(), 7);
}
