//! Walking reach: distance on foot over the street network.
//!
//! [`build`] turns neutral input ways ([`NetworkWay`], plane metres, OSM tags) and the green
//! features into a [`WalkNetwork`]: walkable ways by the rules of `rules`, every vertex a
//! node, green spaces entered as described in `entrances`. [`WalkReach`] runs one
//! multi-source search per tier over it ([`search`]) and answers the [`crate::engine::reach::Reach`]
//! questions for any point: snapped to the nearest walkable edge (not a bridge, tunnel or
//! steps) within the snap distance, the snap gap counted.

mod buckets;
pub(crate) mod entrances;
mod geom;
pub mod network;
mod numbering;
pub(crate) mod reach;
pub(crate) mod rules;
pub mod search;
mod seg_grid;

use std::collections::BTreeMap;

use geo::{Coord, Geometry};

use crate::crs::PlaneScale;
pub use entrances::EntryKind;
pub use network::{IncomingArcs, NetworkWay, NodeKind, Snap, TaggedNode, WalkNetwork};
pub use reach::{WalkCoverage, WalkReach};

/// What can go wrong building a network.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WalkError {
    /// Nothing in the input is walkable.
    #[error(
        "no walkable way among its {ways} ways (walkable: highway=footway, path, residential, ... without foot=no; see the README)"
    )]
    NoWalkableWay {
        /// Ways in the input.
        ways: usize,
    },
}

/// An entrance of a green feature: a node where its walks begin.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Entrance {
    /// The green feature.
    pub feature: u32,
    /// The node.
    pub node: u32,
    /// Metres added to walks through it (gap to the way, distance outside the polygon).
    pub offset_m: f64,
    /// How it was found.
    pub kind: EntryKind,
}

/// Everything the network is built from.
#[derive(Debug, Clone, Copy)]
pub struct NetworkInput<'a> {
    /// The ways, plane metres.
    pub ways: &'a [NetworkWay],
    /// Tagged nodes (entrances and gates are used), plane metres.
    pub tagged: &'a [TaggedNode],
    /// Given entrance points (`--entrances`), plane metres.
    pub given_entrances: &'a [Coord],
    /// Green features by number, plane metres.
    pub green: &'a [(u32, &'a Geometry<f64>)],
    /// The plane's point scale.
    pub scale: PlaneScale,
    /// Point and line green features join ways within this distance, metres.
    pub snap_m: f64,
    /// Trunk roads are walkable.
    pub walk_trunk: bool,
}

/// Build the walking network.
pub fn build(input: &NetworkInput<'_>) -> Result<WalkNetwork, WalkError> {
    let mut kept = network::keep_ways(input.ways, input.walk_trunk);
    if kept.is_empty() {
        return Err(WalkError::NoWalkableWay {
            ways: input.ways.len(),
        });
    }
    let (found, given_unused) = entrances::find(
        &mut kept,
        &entrances::EntranceInput {
            green: input.green,
            tagged: input.tagged,
            given: input.given_entrances,
            snap_m: input.snap_m,
            scale: input.scale,
        },
    );
    let wanted: Vec<_> = found.iter().map(|e| e.key).collect();
    let (mut net, nodes) = network::assemble(kept, input.scale, &wanted);
    drop(wanted);
    let mut list: Vec<Entrance> = found
        .into_iter()
        .zip(nodes)
        .filter_map(|(e, node)| {
            Some(Entrance {
                feature: e.feature,
                node: node?,
                offset_m: e.offset_m,
                kind: e.kind,
            })
        })
        .collect();
    list.sort_by(|a, b| {
        (a.feature, a.node)
            .cmp(&(b.feature, b.node))
            .then(a.offset_m.total_cmp(&b.offset_m))
    });
    list.dedup_by(|b, a| a.feature == b.feature && a.node == b.node);
    for e in &list {
        net.kind[e.node as usize] = NodeKind::Entrance;
    }
    net.entrances = list;
    net.given_unused = given_unused;
    Ok(net)
}

impl WalkNetwork {
    /// Green features by how they were entered (the first kind found for each), and the
    /// number of features with no entrance at all among `features`.
    pub fn entry_summary(&self, features: usize) -> (BTreeMap<&'static str, usize>, usize) {
        let mut kind_of: Vec<Option<EntryKind>> = vec![None; features];
        for e in &self.entrances {
            if let Some(k) = kind_of.get_mut(e.feature as usize) {
                *k = Some(k.map_or(e.kind, |old| old.min(e.kind)));
            }
        }
        let mut m = BTreeMap::new();
        let mut none = 0;
        for k in kind_of {
            match k {
                Some(k) => *m.entry(k.name()).or_default() += 1,
                None => none += 1,
            }
        }
        (m, none)
    }
}
