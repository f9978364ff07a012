//! OpenStreetMap PBF input: a compact model of the ways, tagged nodes and areas a run wants
//! ([`read_pbf`]), multipolygon assembly ([`assemble`]), and the conversion into the layers the
//! rest of greenreach reads ([`layers`]).
//!
//! The file is read in three passes over its blobs, each decoded in parallel: relations
//! (which ways are members of wanted multipolygons), ways (the wanted ones and the members, with
//! their node ids) and nodes (coordinates of only the nodes those ways use, kept in one array
//! sorted by id, plus the wanted tagged nodes). Memory is the kept elements, not the file.
//!
//! A walking network, for instance, asks for `highway` ways with their node ids and tags, and
//! for entrance and gate nodes:
//!
//! ```no_run
//! use greenreach::io::osm::{OsmWanted, TagFilter, read_pbf};
//! let wanted = OsmWanted {
//!     ways: TagFilter::any_key(&["highway"]),
//!     nodes: TagFilter::new(|t| t.has("entrance") || t.is("barrier", &["gate"])),
//!     ..OsmWanted::nothing()
//! };
//! let data = read_pbf("geodata/liechtenstein/liechtenstein-latest.osm.pbf".as_ref(), &wanted)?;
//! for way in &data.ways {
//!     let _ = (way.id, way.tags.get("foot"), &way.node_ids, &way.coords);
//! }
//! # Ok::<(), greenreach::io::input::InputError>(())
//! ```

pub mod assemble;
pub mod layers;
mod read;
pub(crate) mod tags;

use std::fmt;
use std::sync::Arc;

use geo::{Coord, MultiPolygon};

pub use read::read_pbf;
pub use tags::Tags;

/// A test on an element's tags.
#[derive(Clone)]
pub struct TagFilter(Arc<dyn Fn(&Tags) -> bool + Send + Sync>);

impl TagFilter {
    /// A filter from a function.
    pub fn new(f: impl Fn(&Tags) -> bool + Send + Sync + 'static) -> Self {
        Self(Arc::new(f))
    }

    /// Accepts nothing.
    pub fn nothing() -> Self {
        Self::new(|_| false)
    }

    /// Accepts every element with at least one tag.
    pub fn any_tag() -> Self {
        Self::new(|t| !t.is_empty())
    }

    /// Accepts elements with any of these keys.
    pub fn any_key(keys: &[&str]) -> Self {
        let keys: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
        Self::new(move |t| keys.iter().any(|k| t.has(k)))
    }

    /// Accepts what either filter accepts.
    pub fn or(self, other: TagFilter) -> Self {
        Self::new(move |t| self.test(t) || other.test(t))
    }

    /// Whether `tags` pass.
    pub fn test(&self, tags: &Tags) -> bool {
        (self.0)(tags)
    }
}

impl fmt::Debug for TagFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TagFilter")
    }
}

/// What to keep from a file.
#[derive(Debug, Clone)]
pub struct OsmWanted {
    /// Ways kept as ways (with node ids and coordinates), e.g. `highway=*` for a walking network.
    pub ways: TagFilter,
    /// Areas: closed ways that are areas by the tag rules (`tags::closed_way_is_area`) and
    /// `type=multipolygon|boundary` relations (tested on their tags without `type`).
    pub areas: TagFilter,
    /// Tagged nodes (entrances, gates, trees, playgrounds mapped as points).
    pub nodes: TagFilter,
}

impl OsmWanted {
    /// Keep nothing (set the fields you need).
    pub fn nothing() -> Self {
        Self {
            ways: TagFilter::nothing(),
            areas: TagFilter::nothing(),
            nodes: TagFilter::nothing(),
        }
    }
}

/// An OSM way as kept: id, tags, node ids and their coordinates.
#[derive(Debug, Clone, PartialEq)]
pub struct OsmWay {
    /// Way id.
    pub id: i64,
    /// Tags.
    pub tags: Tags,
    /// Node ids in way order (nodes missing from the file are left out, see
    /// [`OsmStats::ways_missing_nodes`]).
    pub node_ids: Vec<i64>,
    /// lon/lat of each node of `node_ids`.
    pub coords: Vec<Coord<f64>>,
}

/// A tagged OSM node.
#[derive(Debug, Clone, PartialEq)]
pub struct OsmNode {
    /// Node id.
    pub id: i64,
    /// Tags (never empty).
    pub tags: Tags,
    /// lon/lat.
    pub lonlat: Coord<f64>,
}

/// An area: a closed way or an assembled relation.
#[derive(Debug, Clone, PartialEq)]
pub struct OsmArea {
    /// `way/123` or `relation/456`.
    pub id: String,
    /// Tags (a relation's without `type`).
    pub tags: Tags,
    /// lon/lat polygons.
    pub geometry: MultiPolygon<f64>,
}

/// An area that could not be built, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct BrokenArea {
    /// `way/123` or `relation/456`.
    pub id: String,
    /// What is wrong.
    pub reason: assemble::Broken,
}

/// Counts of what was read and kept.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OsmStats {
    /// Blobs in the file (header included).
    pub blobs: usize,
    /// Nodes in the file.
    pub nodes: u64,
    /// Ways in the file.
    pub ways: u64,
    /// Relations in the file.
    pub relations: u64,
    /// Kept ways that refer to nodes missing from the file (those nodes are left out).
    pub ways_missing_nodes: usize,
    /// Kept ways left with fewer than two located nodes, dropped.
    pub ways_dropped: usize,
    /// Areas whose member roles disagree with the nesting of their rings (nesting used).
    pub role_mismatches: usize,
    /// Wanted areas that could not be built (skipped), in id order.
    pub broken: Vec<BrokenArea>,
}

impl OsmStats {
    /// One warning line per class of broken area, with the count and a first example.
    pub fn warnings(&self, file: &str) -> Vec<String> {
        let mut by_class: Vec<(&'static str, usize, &BrokenArea)> = Vec::new();
        for b in &self.broken {
            match by_class.iter_mut().find(|c| c.0 == b.reason.class()) {
                Some(c) => c.1 += 1,
                None => by_class.push((b.reason.class(), 1, b)),
            }
        }
        let mut out: Vec<String> = by_class
            .into_iter()
            .map(|(class, n, first)| {
                format!(
                    "{file}: {n} area{} skipped ({class}), e.g. {}: {}",
                    if n == 1 { "" } else { "s" },
                    first.id,
                    first.reason
                )
            })
            .collect();
        if self.ways_missing_nodes > 0 {
            out.push(format!(
                "{file}: {} way{} refer to nodes missing from the file (cut at the extract's border); those nodes are left out{}",
                self.ways_missing_nodes,
                if self.ways_missing_nodes == 1 { "" } else { "s" },
                if self.ways_dropped > 0 {
                    format!(", {} way(s) with fewer than two nodes left dropped", self.ways_dropped)
                } else {
                    String::new()
                }
            ));
        }
        out
    }
}

/// What a file gave.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OsmData {
    /// Wanted ways, by id.
    pub ways: Vec<OsmWay>,
    /// Wanted tagged nodes, by id.
    pub tagged_nodes: Vec<OsmNode>,
    /// Wanted areas: closed ways by id, then relations by id.
    pub areas: Vec<OsmArea>,
    /// Counts.
    pub stats: OsmStats,
}
