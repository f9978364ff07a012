//! Reading a walking network: GeoJSON LineStrings with OSM tags as properties (Points with
//! `entrance=*` or `barrier=gate` are tagged nodes), into the engine's neutral ways, still in
//! WGS84 lon/lat. Ways connect where they share an exact vertex.

use std::path::{Path, PathBuf};

use geo::{Coord, Geometry};
use serde_json::Value;

use crate::crs::SourceCrs;
use crate::engine::walk::{NetworkWay, TaggedNode};
use crate::error::Error;
use crate::io::input::ReadOptions;
use crate::io::load::{CrsOptions, LoadedLayer, load_layer};

/// A network as read, lon/lat.
#[derive(Debug, Clone)]
pub struct NetworkFile {
    /// The file.
    pub path: PathBuf,
    /// The layer as loaded (for provenance).
    pub loaded: LoadedLayer,
    /// Ways (lon/lat), one per LineString (MultiLineStrings give one per part).
    pub ways: Vec<NetworkWay>,
    /// Tagged points (lon/lat).
    pub tagged: Vec<TaggedNode>,
    /// Features that are neither lines nor points.
    pub other: usize,
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
    pub fn ways_read(&self) -> usize {
        self.loaded.layer.read_count()
    }
}

/// Read a GeoJSON network in its CRS (`flag`, else `--crs`, else the file's, else WGS84).
pub fn read_network(
    path: &Path,
    flag: Option<&SourceCrs>,
    crs: &CrsOptions,
    opts: ReadOptions,
    notes: &mut Vec<String>,
) -> Result<NetworkFile, Error> {
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
    Ok(NetworkFile {
        path: path.to_path_buf(),
        loaded,
        ways,
        tagged,
        other,
    })
}

/// Points of an entrances file (`--entrances`), lon/lat; polygons give nothing.
pub fn read_entrances(
    path: &Path,
    flag: Option<&SourceCrs>,
    crs: &CrsOptions,
    opts: ReadOptions,
    notes: &mut Vec<String>,
) -> Result<(LoadedLayer, Vec<Coord>), Error> {
    let loaded = load_layer(path, flag, "--network-crs", crs, opts, notes)?;
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
