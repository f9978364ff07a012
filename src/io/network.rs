//! Reading a walking network into the engine's neutral ways, still in WGS84 lon/lat: GeoJSON
//! LineStrings with OSM tags as properties (Points with `entrance=*` or `barrier=gate` are
//! tagged nodes; ways connect where they share an exact vertex), or an OSM PBF extract through
//! the shared reader [`crate::io::osm::read_pbf`] (ways connect where they share a node id).

use std::path::Path;

use geo::{Coord, Geometry};
use serde_json::Value;

use crate::crs::SourceCrs;
use crate::engine::walk::{NetworkWay, TaggedNode};
use crate::error::Error;
use crate::io::input::ReadOptions;
use crate::io::load::{CrsOptions, LoadedLayer, load_layer};
use crate::io::osm::layers::is_pbf;
use crate::io::osm::tags::Tags;
use crate::io::osm::{OsmWanted, TagFilter, read_pbf};

/// A network as read, lon/lat.
#[derive(Debug, Clone)]
pub(crate) struct NetworkFile {
    /// Features (GeoJSON) or `highway` ways (PBF) read from the file.
    pub read: usize,
    /// Ways (lon/lat), one per LineString (MultiLineStrings give one per part).
    pub ways: Vec<NetworkWay>,
    /// Tagged points (lon/lat).
    pub tagged: Vec<TaggedNode>,
}

fn tags(props: &serde_json::Map<String, Value>) -> Vec<(String, String)> {
    props
        .iter()
        .filter_map(|(k, v)| {
            let v = match v {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
                _ => return None,
            };
            Some((k.clone(), v))
        })
        .collect()
}

impl NetworkFile {
    /// Features read from the file.
    pub(crate) fn ways_read(&self) -> usize {
        self.read
    }
}

/// Read a network: an OSM PBF (`.osm.pbf`, always WGS84), else a GeoJSON file in its CRS
/// (`flag`, else `--crs`, else the file's, else WGS84).
pub(crate) fn read_network(
    path: &Path,
    flag: Option<&SourceCrs>,
    crs: &CrsOptions,
    opts: ReadOptions,
    notes: &mut Vec<String>,
) -> Result<NetworkFile, Error> {
    if is_pbf(path) {
        return read_pbf_network(path, flag, crs, notes);
    }
    let loaded = load_layer(path, flag, "--network-crs", crs, opts, notes)?;
    let mut ways = Vec::new();
    let mut tagged = Vec::new();
    let mut other = 0;
    for f in &loaded.layer.features {
        let id = match f.properties.get("osm_id") {
            Some(Value::String(s)) => s.clone(),
            _ => f.id_or_index(),
        };
        let t = tags(&f.properties);
        let mut line = |coords: Vec<Coord>, part: Option<usize>| {
            ways.push(NetworkWay {
                id: part.map_or(id.clone(), |j| format!("{id}#{j}")),
                tags: t.clone(),
                coords,
                node_ids: None,
            })
        };
        match &f.geometry {
            Geometry::LineString(l) => line(l.0.clone(), None),
            Geometry::MultiLineString(ml) => {
                for (j, l) in ml.0.iter().enumerate() {
                    line(l.0.clone(), Some(j));
                }
            }
            Geometry::Point(p) => tagged.push(TaggedNode {
                id: None,
                tags: t,
                xy: p.0,
            }),
            _ => other += 1,
        }
    }
    if other > 0 {
        notes.push(format!(
            "{}: {other} features are neither lines nor points (polygons?) and are not part of \
             the walking network",
            path.display()
        ));
    }
    Ok(NetworkFile {
        read: loaded.layer.read_count(),
        ways,
        tagged,
    })
}

/// Whether an OSM node matters to walking: an entrance or a gate (the rules in
/// `engine::walk::rules` decide what each does).
fn is_entrance_node(t: &Tags) -> bool {
    t.has("entrance") || t.get("barrier") == Some("gate")
}

/// The network of an OSM PBF extract: every `highway` way with its node ids (the walking rules
/// decide which are walkable), and the entrance and gate nodes.
fn read_pbf_network(
    path: &Path,
    flag: Option<&SourceCrs>,
    crs: &CrsOptions,
    notes: &mut Vec<String>,
) -> Result<NetworkFile, Error> {
    if let Some(f) = flag.filter(|f| **f != SourceCrs::Wgs84) {
        return Err(Error::Config(format!(
            "{}: an OSM PBF file is always WGS84 lon/lat; drop --network-crs ({f}) for it",
            path.display()
        )));
    }
    if let Some(f) = crs.all.as_ref().filter(|f| **f != SourceCrs::Wgs84) {
        notes.push(format!(
            "{}: --crs {f} does not apply: an OSM PBF file is always WGS84 lon/lat",
            path.display()
        ));
    }
    let wanted = OsmWanted {
        ways: TagFilter::any_key(&["highway"]),
        nodes: TagFilter::new(is_entrance_node),
        ..OsmWanted::nothing()
    };
    let data = read_pbf(path, &wanted)?;
    notes.extend(data.stats.warnings(&path.display().to_string()));
    let pairs = |t: &Tags| -> Vec<(String, String)> {
        t.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    };
    let ways: Vec<NetworkWay> = data
        .ways
        .iter()
        .map(|w| NetworkWay {
            id: format!("way/{}", w.id),
            tags: pairs(&w.tags),
            coords: w.coords.clone(),
            node_ids: Some(w.node_ids.clone()),
        })
        .collect();
    let tagged = data
        .tagged_nodes
        .iter()
        .map(|n| TaggedNode {
            id: Some(n.id),
            tags: pairs(&n.tags),
            xy: n.lonlat,
        })
        .collect();
    Ok(NetworkFile {
        read: ways.len(),
        ways,
        tagged,
    })
}

/// Points of an entrances file (`--entrances`), lon/lat; polygons give nothing.
pub(crate) fn read_entrances(
    path: &Path,
    flag: Option<&SourceCrs>,
    crs: &CrsOptions,
    opts: ReadOptions,
    notes: &mut Vec<String>,
) -> Result<(LoadedLayer, Vec<Coord>), Error> {
    let loaded = load_layer(path, flag, "--entrances-crs", crs, opts, notes)?;
    let mut pts = Vec::new();
    for f in &loaded.layer.features {
        match &f.geometry {
            Geometry::Point(p) => pts.push(p.0),
            Geometry::MultiPoint(mp) => pts.extend(mp.0.iter().map(|p| p.0)),
            _ => {
                return Err(Error::Config(format!(
                    "{}: feature {}: an entrance must be a Point",
                    path.display(),
                    f.index
                )));
            }
        }
    }
    Ok((loaded, pts))
}
