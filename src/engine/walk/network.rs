//! The walking graph in compact arrays, built from neutral input ways.
//!
//! Every vertex of a walkable way is a node; every pair of consecutive vertices is an edge
//! (a straight segment). Ways connect only where they share a node: the same OSM node id when
//! ids are given, otherwise the exact same coordinates. Edge lengths are ground metres
//! (`f64`): plane length divided by the plane's point scale at the segment's midpoint.
//!
//! The search runs from the green spaces towards the homes, so the graph keeps the *incoming*
//! arcs of every node in CSR form ([`IncomingArcs`]): an arc `u → v` walkable in that
//! direction is stored under `v`.

use rustc_hash::FxHashMap as HashMap;

use geo::Coord;

use super::buckets::group;
use super::numbering::number;
use super::rules::{WayRule, classify};
use super::seg_grid::{SegmentGrid, Segments};
use crate::crs::PlaneScale;
use crate::engine::coverage::{positions, z_order};
use rayon::prelude::*;

/// A way of the input network, in plane metres.
#[derive(Debug, Clone, PartialEq)]
pub struct NetworkWay {
    /// Its name in messages and exports (`way/123`, or the feature index).
    pub id: String,
    /// OSM tags.
    pub tags: Vec<(String, String)>,
    /// Vertices, plane metres.
    pub coords: Vec<Coord>,
    /// OSM node ids of the vertices, when known (PBF input); ways then connect by id.
    pub node_ids: Option<Vec<i64>>,
}

/// A tagged point of the input (OSM node), in plane metres.
#[derive(Debug, Clone, PartialEq)]
pub struct TaggedNode {
    /// OSM node id, when known.
    pub id: Option<i64>,
    /// OSM tags.
    pub tags: Vec<(String, String)>,
    /// Position, plane metres.
    pub xy: Coord,
}

/// The incoming arcs of every node in CSR form.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IncomingArcs {
    /// Offsets of each node's arcs, one more than nodes (empty once taken by the searches).
    pub start: Vec<u32>,
    /// The arcs, node after node.
    pub arcs: Vec<Arc>,
    /// The longest arc, metres (0 without arcs). The searches size their ring of buckets by
    /// it: it must be at least the longest arc's length, or nodes are lost.
    pub longest: f64,
    /// The mean length of an edge, metres (0 without arcs): the searches' bucket width.
    pub mean_len: f64,
}

/// An incoming arc: its tail and length side by side (12 bytes, unaligned), so that a
/// search reads one cache line where two arrays would cost two.
#[derive(Debug, Clone, Copy, PartialEq)]
#[repr(C, packed)]
pub struct Arc {
    /// Tail node.
    pub from: u32,
    /// Length, ground metres.
    pub len: f64,
}

impl IncomingArcs {
    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.start.len().saturating_sub(1)
    }
}

/// Bits of an edge's flags.
pub mod flag {
    /// Walkable from `u` to `v`.
    pub const FORWARD: u8 = 1;
    /// Walkable from `v` to `u`.
    pub const BACKWARD: u8 = 2;
    /// A home may snap to it (at ground level, not steps).
    pub const SNAP: u8 = 4;
    /// A bridge.
    pub const BRIDGE: u8 = 8;
    /// A tunnel.
    pub const TUNNEL: u8 = 16;
    /// Steps.
    pub const STEPS: u8 = 32;
}

/// Pieces of network with fewer edges than this never take a home when a larger piece is
/// within the snap distance.
pub const SMALL_PIECE_EDGES: u32 = 20;

/// What a node is, for the export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    /// A vertex of the network.
    Junction,
    /// An entrance of at least one green space.
    Entrance,
}

/// The walking graph.
pub struct WalkNetwork {
    /// Node positions, plane metres.
    pub xy: Vec<Coord>,
    /// Node kinds.
    pub kind: Vec<NodeKind>,
    /// Edge ends.
    pub edge_u: Vec<u32>,
    /// Edge ends.
    pub edge_v: Vec<u32>,
    /// Edge lengths, ground metres.
    pub edge_len: Vec<f64>,
    /// Edge flags ([`flag`]).
    pub edge_flags: Vec<u8>,
    /// The input way (index into the input) of each edge.
    pub edge_way: Vec<u32>,
    /// The incoming arcs, for the searches. [`super::WalkReach::new`] takes them for its
    /// searches and frees them after: the network it keeps has none.
    pub arcs: IncomingArcs,
    /// Connected piece of each node.
    pub node_piece: Vec<u32>,
    /// Edges per piece.
    pub piece_edges: Vec<u32>,
    /// The snapping index, built on first use ([`WalkNetwork::snap_index`]).
    pub(crate) snap_index: std::sync::OnceLock<SnapIndex>,
    /// Entrances of the green features.
    pub entrances: Vec<super::Entrance>,
    /// Input ways that are walkable.
    pub walkable_ways: usize,
    /// The given entrance points (`--entrances`, by number) that entered no green space: no
    /// boundary within 10 m, or no way within 30 m.
    pub given_unused: Vec<u32>,
}

impl std::fmt::Debug for WalkNetwork {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WalkNetwork")
            .field("nodes", &self.xy.len())
            .field("edges", &self.edge_u.len())
            .field("pieces", &self.piece_edges.len())
            .finish()
    }
}

/// Identity of a vertex while building.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum VKey {
    Id(i64),
    Xy(u64, u64),
    Split(u32),
}

impl VKey {
    pub(crate) fn xy(c: Coord) -> Self {
        // +0.0 and -0.0 are the same place.
        VKey::Xy((c.x + 0.0).to_bits(), (c.y + 0.0).to_bits())
    }
}

/// A walkable way while building.
pub(crate) struct KeptWay {
    pub input: u32,
    pub rule: WayRule,
    pub coords: Vec<Coord>,
    pub keys: Vec<VKey>,
    /// Extra vertices: (segment, t, key), segment `i` running from vertex `i` to `i + 1`.
    pub splits: Vec<(u32, f64, VKey)>,
}

/// Walkable ways with their vertex keys (consecutive repeats removed).
pub(crate) fn keep_ways(ways: &[NetworkWay], walk_trunk: bool) -> Vec<KeptWay> {
    ways.par_iter()
        .enumerate()
        .filter_map(|(i, w)| {
            let rule = classify(w.tags.as_slice(), walk_trunk)?;
            let mut coords = Vec::with_capacity(w.coords.len());
            let mut keys: Vec<VKey> = Vec::with_capacity(w.coords.len());
            for (j, &c) in w.coords.iter().enumerate() {
                if !(c.x.is_finite() && c.y.is_finite()) {
                    continue;
                }
                let key = match &w.node_ids {
                    Some(ids) if j < ids.len() => VKey::Id(ids[j]),
                    _ => VKey::xy(c),
                };
                if keys.last() == Some(&key) {
                    continue;
                }
                keys.push(key);
                coords.push(c);
            }
            (keys.len() >= 2).then(|| KeptWay {
                input: i as u32,
                rule,
                coords,
                keys,
                splits: Vec::new(),
            })
        })
        .collect()
}

impl KeptWay {
    /// The vertex at parameter `t` of segment `seg`: an existing vertex at either end, else a
    /// split (reused when asked twice for the same place).
    pub(crate) fn split_at(&mut self, seg: u32, t: f64, next_split: &mut u32) -> VKey {
        let (a, b) = (self.coords[seg as usize], self.coords[seg as usize + 1]);
        let len = ((b.x - a.x).powi(2) + (b.y - a.y).powi(2)).sqrt();
        if t * len <= 1e-6 {
            return self.keys[seg as usize];
        }
        if (1.0 - t) * len <= 1e-6 {
            return self.keys[seg as usize + 1];
        }
        if let Some(&(_, _, k)) = self
            .splits
            .iter()
            .find(|(s, u, _)| *s == seg && (u - t).abs() * len <= 1e-6)
        {
            return k;
        }
        let k = VKey::Split(*next_split);
        *next_split += 1;
        self.splits.push((seg, t, k));
        k
    }
}

/// Assemble the graph from kept ways (with their splits). Returns the network and the node of
/// each of the vertex keys `wanted` (`None` for a key that is no vertex).
pub(crate) fn assemble(
    mut kept: Vec<KeptWay>,
    scale: PlaneScale,
    wanted: &[VKey],
) -> (WalkNetwork, Vec<Option<u32>>) {
    let (keys, coords, ends) = vertex_sequences(&mut kept);
    let (mut node, mut found) = number(&keys, wanted);
    drop(keys);
    let mut xy: Vec<Coord> = Vec::new();
    for (&n, &c) in node.iter().zip(&coords) {
        if n as usize == xy.len() {
            xy.push(c);
        }
    }
    drop(coords);
    // Nodes renumbered in Z-order of their positions, so that the nodes of a neighbourhood,
    // and their labels and arcs in the searches, lie close together in memory.
    let order = z_order(&xy);
    let new_of_old = positions(&order);
    let xy: Vec<Coord> = order.par_iter().map(|&old| xy[old as usize]).collect();
    drop(order);
    node.par_iter_mut()
        .for_each(|n| *n = new_of_old[*n as usize]);
    for f in found.iter_mut().flatten() {
        *f = new_of_old[*f as usize];
    }
    drop(new_of_old);
    // Edges between consecutive vertices of each way that are different nodes.
    let per_way: Vec<Vec<(u32, u32)>> = (0..kept.len())
        .into_par_iter()
        .map(|w| {
            let nodes = &node[ends[w]..ends[w + 1]];
            nodes
                .windows(2)
                .filter(|p| p[0] != p[1])
                .map(|p| (p[0], p[1]))
                .collect()
        })
        .collect();
    drop(node);
    let mut g = Graph {
        xy,
        ..Graph::default()
    };
    let n_edges: usize = per_way.iter().map(Vec::len).sum();
    g.edge_u.reserve_exact(n_edges);
    g.edge_v.reserve_exact(n_edges);
    g.edge_flags.reserve_exact(n_edges);
    g.edge_way.reserve_exact(n_edges);
    for (w, edges) in kept.iter().zip(&per_way) {
        let flags = edge_flags(&w.rule);
        for &(u, v) in edges {
            g.edge_u.push(u);
            g.edge_v.push(v);
            g.edge_flags.push(flags);
            g.edge_way.push(w.input);
        }
    }
    drop(per_way);
    g.edge_len = g
        .edge_u
        .par_iter()
        .zip(&g.edge_v)
        .map(|(&u, &v)| {
            let (a, b) = (g.xy[u as usize], g.xy[v as usize]);
            let mid = (a + b) * 0.5;
            let plane_len = ((b.x - a.x).powi(2) + (b.y - a.y).powi(2)).sqrt();
            plane_len / scale.at(mid)
        })
        .collect();
    let n_nodes = g.xy.len();
    let arcs = g.incoming_arcs();
    let (node_piece, piece_edges) = g.pieces();
    (
        WalkNetwork {
            kind: vec![NodeKind::Junction; n_nodes],
            xy: g.xy,
            edge_u: g.edge_u,
            edge_v: g.edge_v,
            edge_len: g.edge_len,
            edge_flags: g.edge_flags,
            edge_way: g.edge_way,
            arcs,
            node_piece,
            piece_edges,
            snap_index: std::sync::OnceLock::new(),
            entrances: Vec::new(),
            walkable_ways: kept.len(),
            given_unused: Vec::new(),
        },
        found,
    )
}

/// The vertex keys and positions of all ways one after the other (each way's splits in
/// place), and where each way's vertices begin (one more than ways). The ways' own vertex
/// lists are freed on the way.
fn vertex_sequences(kept: &mut [KeptWay]) -> (Vec<VKey>, Vec<Coord>, Vec<usize>) {
    let mut ends = Vec::with_capacity(kept.len() + 1);
    ends.push(0usize);
    for w in kept.iter() {
        ends.push(ends[ends.len() - 1] + w.keys.len() + w.splits.len());
    }
    let n = ends[kept.len()];
    let mut keys = vec![VKey::Split(0); n];
    let mut coords = vec![Coord { x: 0.0, y: 0.0 }; n];
    let mut parts = Vec::with_capacity(kept.len());
    let (mut k, mut c) = (&mut keys[..], &mut coords[..]);
    for (w, way) in kept.iter_mut().enumerate() {
        let len = ends[w + 1] - ends[w];
        let (k0, k1) = std::mem::take(&mut k).split_at_mut(len);
        let (c0, c1) = std::mem::take(&mut c).split_at_mut(len);
        parts.push((way, k0, c0));
        (k, c) = (k1, c1);
    }
    parts
        .into_par_iter()
        .for_each(|(way, k, c)| vertex_sequence(way, k, c));
    (keys, coords, ends)
}

/// Write the vertices of a way in order into `keys` and `coords`, its splits (sorted here)
/// between them, and free the way's own lists (only its rule and input remain needed).
fn vertex_sequence(w: &mut KeptWay, keys: &mut [VKey], coords: &mut [Coord]) {
    w.splits
        .sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let mut out = keys.iter_mut().zip(coords.iter_mut());
    let mut put = |key: VKey, xy: Coord| {
        if let Some((k, c)) = out.next() {
            (*k, *c) = (key, xy);
        }
    };
    let mut sp = w.splits.iter().peekable();
    for i in 0..w.keys.len() {
        put(w.keys[i], w.coords[i]);
        while let Some(&&(s, t, k)) = sp.peek() {
            if s as usize != i {
                break;
            }
            let (a, b) = (w.coords[i], w.coords[i + 1]);
            put(k, a + (b - a) * t);
            sp.next();
        }
    }
    w.keys = Vec::new();
    w.coords = Vec::new();
    w.splits = Vec::new();
}

/// The [`flag`] bits of the edges of a way under `rule`.
fn edge_flags(rule: &WayRule) -> u8 {
    let mut flags = 0u8;
    for (on, bit) in [
        (rule.forward, flag::FORWARD),
        (rule.backward, flag::BACKWARD),
        (rule.snappable(), flag::SNAP),
        (rule.bridge, flag::BRIDGE),
        (rule.tunnel, flag::TUNNEL),
        (rule.steps, flag::STEPS),
    ] {
        if on {
            flags |= bit;
        }
    }
    flags
}

/// Nodes and edges while assembling, before the arcs, pieces and snap indexes.
#[derive(Default)]
struct Graph {
    xy: Vec<Coord>,
    edge_u: Vec<u32>,
    edge_v: Vec<u32>,
    edge_len: Vec<f64>,
    edge_flags: Vec<u8>,
    edge_way: Vec<u32>,
}

impl Graph {
    /// The incoming arcs of every node in CSR form.
    fn incoming_arcs(&self) -> IncomingArcs {
        let (start, arcs) = group(
            self.edge_u.len(),
            self.xy.len(),
            Arc { from: 0, len: 0.0 },
            |e| {
                let (u, v, len) = (self.edge_u[e], self.edge_v[e], self.edge_len[e]);
                let fl = self.edge_flags[e];
                let forward =
                    (fl & flag::FORWARD != 0).then_some((v as usize, Arc { from: u, len }));
                let backward =
                    (fl & flag::BACKWARD != 0).then_some((u as usize, Arc { from: v, len }));
                forward.into_iter().chain(backward)
            },
        );
        let (longest, total) = self
            .edge_len
            .iter()
            .fold((0.0f64, 0.0f64), |(m, t), &l| (m.max(l), t + l));
        let mean_len = if self.edge_len.is_empty() {
            0.0
        } else {
            total / self.edge_len.len() as f64
        };
        IncomingArcs {
            start,
            arcs,
            longest,
            mean_len,
        }
    }

    /// Connected pieces, ignoring direction: the piece of each node and the edges per piece.
    fn pieces(&self) -> (Vec<u32>, Vec<u32>) {
        let n_nodes = self.xy.len();
        let mut parent: Vec<u32> = (0..n_nodes as u32).collect();
        for e in 0..self.edge_u.len() {
            unite(&mut parent, self.edge_u[e], self.edge_v[e]);
        }
        let mut piece_of_root: HashMap<u32, u32> = HashMap::default();
        let mut node_piece = vec![0u32; n_nodes];
        for n in 0..n_nodes as u32 {
            let r = set_root(&mut parent, n);
            let next = piece_of_root.len() as u32;
            node_piece[n as usize] = *piece_of_root.entry(r).or_insert(next);
        }
        let mut piece_edges = vec![0u32; piece_of_root.len()];
        for &u in &self.edge_u {
            piece_edges[node_piece[u as usize] as usize] += 1;
        }
        (node_piece, piece_edges)
    }
}

/// The root of `x`'s set in the union-find forest `parent` (halving the path on the way).
pub(crate) fn set_root(parent: &mut [u32], mut x: u32) -> u32 {
    while parent[x as usize] != x {
        parent[x as usize] = parent[parent[x as usize] as usize];
        x = parent[x as usize];
    }
    x
}

/// Join the sets of `a` and `b` in `parent` (the lower root becomes the root).
pub(crate) fn unite(parent: &mut [u32], a: u32, b: u32) {
    let (a, b) = (set_root(parent, a), set_root(parent, b));
    if a != b {
        parent[a.max(b) as usize] = a.min(b);
    }
}

/// The snapping index: every snappable edge in a [`SegmentGrid`] at its edge number (so ties
/// in distance go to the lower edge number), its ends read from the nodes.
pub(crate) struct SnapIndex {
    grid: SegmentGrid,
    /// Some snappable edge lies on a piece of fewer than [`SMALL_PIECE_EDGES`] edges.
    has_small: bool,
}

/// The snappable edges of a network as segments, by edge number.
struct SnapEdges<'a>(&'a WalkNetwork);

impl Segments for SnapEdges<'_> {
    fn count(&self) -> usize {
        self.0.edge_u.len()
    }
    fn ends(&self, e: u32) -> Option<(Coord, Coord)> {
        let net = self.0;
        let e = e as usize;
        (*net.edge_flags.get(e)? & flag::SNAP != 0).then(|| {
            (
                net.xy[net.edge_u[e] as usize],
                net.xy[net.edge_v[e] as usize],
            )
        })
    }
}

/// Where a home joins the network.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Snap {
    /// The edge.
    pub edge: u32,
    /// Position along the edge from `u` (0) to `v` (1).
    pub t: f64,
    /// Ground metres from the home to that point.
    pub gap_m: f64,
    /// The nearest way was a small piece of network and a larger piece within reach was
    /// taken instead.
    pub moved_off_small_piece: bool,
}

impl WalkNetwork {
    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.xy.len()
    }

    /// Number of edges.
    pub fn edge_count(&self) -> usize {
        self.edge_u.len()
    }

    /// The snapping index, built on the first call (a grid over every snappable edge:
    /// [`super::WalkReach::new`] builds it beside the searches).
    pub(crate) fn snap_index(&self) -> &SnapIndex {
        self.snap_index.get_or_init(|| {
            let has_small = (0..self.edge_u.len() as u32).into_par_iter().any(|e| {
                self.edge_flags[e as usize] & flag::SNAP != 0
                    && self.edges_in_piece_of(e) < SMALL_PIECE_EDGES
            });
            SnapIndex {
                grid: SegmentGrid::new(&SnapEdges(self)),
                has_small,
            }
        })
    }

    fn edges_in_piece_of(&self, edge: u32) -> u32 {
        self.piece_edges[self.node_piece[self.edge_u[edge as usize] as usize] as usize]
    }

    /// The nearest point of a snappable edge within `max_m` ground metres of `p` (plane),
    /// preferring pieces of at least [`SMALL_PIECE_EDGES`] edges.
    pub fn snap(&self, p: Coord, max_m: f64, scale: PlaneScale) -> Option<Snap> {
        let k = scale.at(p);
        let limit2 = (max_m * k).powi(2);
        let index = self.snap_index();
        let edges = SnapEdges(self);
        let near = index.grid.nearest(&edges, p, limit2, |_| true)?;
        let (mut t, mut d2) = (near.t, near.d2);
        let mut edge = near.at;
        let mut moved = false;
        if index.has_small
            && self.edges_in_piece_of(edge) < SMALL_PIECE_EDGES
            && let Some(b) = index.grid.nearest(&edges, p, limit2, |e| {
                self.edges_in_piece_of(e) >= SMALL_PIECE_EDGES
            })
        {
            (t, d2, edge, moved) = (b.t, b.d2, b.at, true);
        }
        Some(Snap {
            edge,
            t,
            gap_m: d2.sqrt() / k,
            moved_off_small_piece: moved,
        })
    }
}
