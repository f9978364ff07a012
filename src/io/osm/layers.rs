//! From one OSM file to the layers a run reads: green candidates (areas, lines and points the
//! standard's tag rules may use), buildings, residential land and administrative zones. Each
//! feature gets the id `way/…`, `relation/…` or `node/…`, its tags as properties and lon/lat
//! geometry, exactly like a feature of a GeoJSON export.

use std::path::Path;

use geo::{Geometry, LineString, Point};

use super::{OsmData, OsmWanted, TagFilter, Tags, read_pbf};
use crate::io::input::{InputError, Layer, RawFeature};
use crate::standard::{Kind, Standard};

/// Which layers to take from the file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LayerChoice {
    /// Green candidates.
    pub green: bool,
    /// Buildings (`building=*` areas).
    pub buildings: bool,
    /// Residential land (`landuse=residential` areas).
    pub residential: bool,
    /// Zones (`boundary=administrative` areas).
    pub zones: bool,
}

/// The filters for green candidates of each kind under `standard`: any tag test of a rule
/// accepting that kind, or an explicit `category` tag.
pub fn green_filter(standard: &Standard, kind: Kind) -> TagFilter {
    let tests: Vec<(String, Vec<String>)> = standard
        .categories
        .iter()
        .flat_map(|c| &c.rules)
        .filter(|r| r.kinds.contains(&kind))
        .flat_map(|r| &r.any_tag)
        .map(|t| (t.key.clone(), t.values.clone()))
        .collect();
    TagFilter::new(move |tags: &Tags| {
        tags.has("category")
            || tests
                .iter()
                .any(|(k, vs)| tags.get(k).is_some_and(|v| vs.iter().any(|x| x == v)))
    })
}

fn is_building(t: &Tags) -> bool {
    t.get("building").is_some_and(|v| v != "no")
}

fn is_residential(t: &Tags) -> bool {
    t.is("landuse", &["residential"])
}

fn is_zone(t: &Tags) -> bool {
    t.is("boundary", &["administrative"])
}

/// What to read from the file for `choice`.
pub fn wanted(standard: &Standard, choice: LayerChoice) -> OsmWanted {
    let mut w = OsmWanted::nothing();
    if choice.green {
        w.areas = green_filter(standard, Kind::Area);
        w.ways = green_filter(standard, Kind::Line);
        w.nodes = green_filter(standard, Kind::Point);
    }
    if choice.buildings {
        w.areas = w.areas.or(TagFilter::new(is_building));
    }
    if choice.residential {
        w.areas = w.areas.or(TagFilter::new(is_residential));
    }
    if choice.zones {
        w.areas = w.areas.or(TagFilter::new(is_zone));
    }
    w
}

fn layer(path: &Path, features: Vec<(String, &Tags, Geometry<f64>)>) -> Layer {
    Layer {
        path: path.to_path_buf(),
        features: features
            .into_iter()
            .enumerate()
            .map(|(index, (id, tags, geometry))| RawFeature {
                index,
                id: Some(id),
                properties: tags.to_properties(),
                geometry,
            })
            .collect(),
        skipped: Vec::new(),
        crs_member: None,
        declared_crs: None,
        notes: Vec::new(),
        warnings: Vec::new(),
    }
}

fn areas(
    data: &OsmData,
    keep: impl Fn(&Tags) -> bool,
) -> impl Iterator<Item = (String, &Tags, Geometry<f64>)> {
    data.areas.iter().filter(move |a| keep(&a.tags)).map(|a| {
        let g = if a.geometry.0.len() == 1 {
            Geometry::Polygon(a.geometry.0[0].clone())
        } else {
            Geometry::MultiPolygon(a.geometry.clone())
        };
        (a.id.clone(), &a.tags, g)
    })
}

/// Green candidates: areas, then lines (ways), then points (nodes), each in id order.
pub fn green_layer(data: &OsmData, standard: &Standard, path: &Path) -> Layer {
    let (a, l, p) = (
        green_filter(standard, Kind::Area),
        green_filter(standard, Kind::Line),
        green_filter(standard, Kind::Point),
    );
    let mut f: Vec<_> = areas(data, |t| a.test(t)).collect();
    f.extend(data.ways.iter().filter(|w| l.test(&w.tags)).map(|w| {
        (
            format!("way/{}", w.id),
            &w.tags,
            Geometry::LineString(LineString::new(w.coords.clone())),
        )
    }));
    f.extend(
        data.tagged_nodes
            .iter()
            .filter(|n| p.test(&n.tags))
            .map(|n| {
                (
                    format!("node/{}", n.id),
                    &n.tags,
                    Geometry::Point(Point(n.lonlat)),
                )
            }),
    );
    layer(path, f)
}

/// Buildings (`building=*` other than `no`), as areas.
pub fn buildings_layer(data: &OsmData, path: &Path) -> Layer {
    layer(path, areas(data, is_building).collect())
}

/// Residential land (`landuse=residential`).
pub fn residential_layer(data: &OsmData, path: &Path) -> Layer {
    layer(path, areas(data, is_residential).collect())
}

/// Administrative areas (`boundary=administrative`, with their `admin_level` and `name`).
pub fn zones_layer(data: &OsmData, path: &Path) -> Layer {
    layer(path, areas(data, is_zone).collect())
}

/// The layer an OSM file gives in each role of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OsmLayer {
    /// `--green`: green candidates under the standard.
    Green,
    /// `--points` / `--residential`: buildings.
    Buildings,
    /// `--land` / `--area`: residential land (`landuse=residential`).
    Residential,
    /// `--zones`: administrative areas.
    Zones,
}

impl OsmLayer {
    fn choice(self) -> LayerChoice {
        let mut c = LayerChoice::default();
        match self {
            OsmLayer::Green => c.green = true,
            OsmLayer::Buildings => c.buildings = true,
            OsmLayer::Residential => c.residential = true,
            OsmLayer::Zones => c.zones = true,
        }
        c
    }
}

/// Whether `path` names an OSM PBF file (`.pbf`, as in `.osm.pbf`).
pub fn is_pbf(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("pbf"))
}

/// Read the `which` layer of an OSM file; warnings (broken areas, cut ways) go to `warnings`.
pub fn read_layer(
    path: &Path,
    which: OsmLayer,
    standard: &Standard,
    warnings: &mut Vec<String>,
) -> Result<Layer, InputError> {
    let data = read_pbf(path, &wanted(standard, which.choice()))?;
    warnings.extend(data.stats.warnings(&path.display().to_string()));
    Ok(match which {
        OsmLayer::Green => green_layer(&data, standard, path),
        OsmLayer::Buildings => buildings_layer(&data, path),
        OsmLayer::Residential => residential_layer(&data, path),
        OsmLayer::Zones => zones_layer(&data, path),
    })
}
