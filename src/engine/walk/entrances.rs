//! Where green spaces meet the network.
//!
//! A polygon is entered (a) at tagged entrance nodes (`entrance=*`, `barrier=gate`) on or
//! within [`TAGGED_REACH_M`] of its boundary, and at given entrance points within
//! [`GIVEN_REACH_M`]; (b) wherever a walkable way at ground level (not a bridge or tunnel)
//! crosses or touches its boundary: the crossing becomes a node; (c) only for a polygon with
//! neither: pseudo-entrances every [`PSEUDO_STEP_M`] along its outer rings, each kept when a
//! ground-level way lies within [`PSEUDO_REACH_M`], joined to the way's nearest point with
//! that gap added. Point features, and lines every [`PSEUDO_STEP_M`], snap like homes.
//! An entrance point off the network is joined to the nearest ground-level way within
//! [`PSEUDO_REACH_M`]; an entrance outside its polygon adds its distance to the polygon, so
//! a walk is never shorter than the straight line.

use std::collections::{HashMap, HashSet};

use geo::{Contains, Coord, Geometry, LineString, Point, Polygon};
use rstar::{AABB, PointDistance, RTree, RTreeObject};

use super::geom::{corners, intersections, project, samples};
use super::network::{KeptWay, SMALL_PIECE_EDGES, TaggedNode, VKey, set_root, unite};
use super::rules::is_entrance;
use super::seg_grid::SegmentGrid;
use crate::crs::PlaneScale;
use rayon::prelude::*;

/// Tagged entrance nodes count for a polygon whose boundary is this close, metres.
pub(crate) const TAGGED_REACH_M: f64 = 2.0;
/// Given entrance points (`--entrances`) count for a polygon whose boundary is this close.
pub(crate) const GIVEN_REACH_M: f64 = 10.0;
/// Spacing of pseudo-entrances along a boundary, metres.
pub(crate) const PSEUDO_STEP_M: f64 = 20.0;
/// A pseudo-entrance is kept when a walkable way lies this close, metres.
pub(crate) const PSEUDO_REACH_M: f64 = 30.0;

/// How a green space is entered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntryKind {
    /// A tagged gate or entrance, or a given entrance point.
    Gate,
    /// A walkable way crosses or touches the boundary.
    Crossing,
    /// Pseudo-entrances along the boundary (no gate, no crossing).
    Pseudo,
    /// A point or line feature joined to the nearest way.
    Snapped,
}

impl EntryKind {
    /// Name in summaries and exports.
    pub fn name(self) -> &'static str {
        match self {
            EntryKind::Gate => "gate",
            EntryKind::Crossing => "crossing",
            EntryKind::Pseudo => "pseudo",
            EntryKind::Snapped => "snapped",
        }
    }
}

/// An entrance while building: a vertex key, resolved to a node on assembly.
#[derive(Debug, Clone, Copy)]
pub(crate) struct EntranceAt {
    pub feature: u32,
    pub key: VKey,
    pub offset_m: f64,
    pub kind: EntryKind,
}

/// A boundary segment of a green polygon.
#[derive(Debug, Clone, Copy)]
struct Edge {
    a: Coord,
    b: Coord,
    feature: u32,
}

impl RTreeObject for Edge {
    type Envelope = AABB<[f64; 2]>;
    fn envelope(&self) -> Self::Envelope {
        AABB::from_corners([self.a.x, self.a.y], [self.b.x, self.b.y])
    }
}

impl PointDistance for Edge {
    fn distance_2(&self, p: &[f64; 2]) -> f64 {
        project(self.a, self.b, Coord { x: p[0], y: p[1] }).1
    }
}

fn polygons(g: &Geometry<f64>) -> Vec<&Polygon<f64>> {
    match g {
        Geometry::Polygon(p) => vec![p],
        Geometry::MultiPolygon(mp) => mp.0.iter().collect(),
        Geometry::GeometryCollection(gc) => gc.iter().flat_map(polygons).collect(),
        _ => Vec::new(),
    }
}

fn lines(g: &Geometry<f64>) -> Vec<&LineString<f64>> {
    match g {
        Geometry::LineString(l) => vec![l],
        Geometry::MultiLineString(ml) => ml.0.iter().collect(),
        Geometry::GeometryCollection(gc) => gc.iter().flat_map(lines).collect(),
        _ => Vec::new(),
    }
}

fn points(g: &Geometry<f64>) -> Vec<Coord> {
    match g {
        Geometry::Point(p) => vec![p.0],
        Geometry::MultiPoint(mp) => mp.0.iter().map(|p| p.0).collect(),
        Geometry::GeometryCollection(gc) => gc.iter().flat_map(points).collect(),
        _ => Vec::new(),
    }
}

/// Inputs of the entrance search.
pub(crate) struct EntranceInput<'a> {
    pub green: &'a [(u32, &'a Geometry<f64>)],
    pub tagged: &'a [TaggedNode],
    pub given: &'a [Coord],
    pub snap_m: f64,
    pub scale: PlaneScale,
}

/// Find the entrances of every green feature, adding split vertices to `kept`; also the given
/// entrance points that gave none (by their number in `input.given`).
pub(crate) fn find(kept: &mut [KeptWay], input: &EntranceInput<'_>) -> (Vec<EntranceAt>, Vec<u32>) {
    let (boundary, polys) = boundary_edges(input.green);
    let segs = ground_segments(kept);
    let hits = crossing_hits(kept, &segs, &boundary);
    let mut finder = Finder {
        segs,
        boundary,
        polys,
        scale: input.scale,
        next_split: 0,
    };
    let (mut out, given_unused) = finder.gates(kept, input.tagged, input.given);
    finder.crossings(kept, hits, &mut out);
    finder.pseudo_and_snapped(kept, input.green, input.snap_m, &mut out);
    (out, given_unused)
}

/// The segments of the ground-level kept ways, indexed, with the (way, segment) of each.
struct GroundSegments {
    grid: SegmentGrid,
    /// The ends of each segment, as the ways were before any split.
    ends: Vec<(Coord, Coord)>,
    way_seg: Vec<(u32, u32)>,
}

fn ground_segments(kept: &[KeptWay]) -> GroundSegments {
    let way_seg: Vec<(u32, u32)> = kept
        .par_iter()
        .enumerate()
        .filter(|(_, way)| way.rule.at_ground())
        .flat_map_iter(|(w, way)| (0..way.coords.len() as u32 - 1).map(move |s| (w as u32, s)))
        .collect();
    let ends: Vec<(Coord, Coord)> = way_seg
        .par_iter()
        .map(|&(w, s)| {
            let c = &kept[w as usize].coords;
            (c[s as usize], c[s as usize + 1])
        })
        .collect();
    let grid = SegmentGrid::new(&ends[..]);
    GroundSegments {
        grid,
        ends,
        way_seg,
    }
}

/// The boundary segments (outer and inner rings) of the green polygons, and the polygons of
/// each feature.
fn boundary_edges<'a>(green: &[(u32, &'a Geometry<f64>)]) -> (RTree<Edge>, FeaturePolygons<'a>) {
    let mut boundary = Vec::new();
    let mut polys = FeaturePolygons::new();
    for &(feature, g) in green {
        for p in polygons(g) {
            for ring in std::iter::once(p.exterior()).chain(p.interiors()) {
                for l in ring.lines() {
                    boundary.push(Edge {
                        a: l.start,
                        b: l.end,
                        feature,
                    });
                }
            }
            polys.entry(feature).or_default().push(p);
        }
    }
    (RTree::bulk_load(boundary), polys)
}

/// Points every [`PSEUDO_STEP_M`] along the outer rings of polygons.
fn ring_samples(polys: &[&Polygon<f64>], scale: PlaneScale) -> Vec<Coord> {
    let mut out = Vec::new();
    for poly in polys {
        let ring = &poly.exterior().0;
        let k = ring.first().map_or(1.0, |&c| scale.at(c));
        out.extend(samples(ring, PSEUDO_STEP_M * k, true));
    }
    out
}

/// The points of a point or line feature, lines every [`PSEUDO_STEP_M`].
fn feature_samples(g: &Geometry<f64>, scale: PlaneScale) -> Vec<Coord> {
    let mut out = points(g);
    for l in lines(g) {
        let k = l.0.first().map_or(1.0, |&c| scale.at(c));
        out.extend(samples(&l.0, PSEUDO_STEP_M * k, false));
    }
    out
}

/// The polygons of each green feature.
type FeaturePolygons<'a> = HashMap<u32, Vec<&'a Polygon<f64>>>;

/// Where a way crosses polygon boundaries: (segment, parameter along it, feature).
type Hits = Vec<(u32, f64, u32)>;

/// The crossings of every ground-level way with the `boundary` segments, per way in the
/// order of its segments and along each (then by feature): the boundary segments look up
/// the way segments whose boxes meet theirs, in parallel.
fn crossing_hits(kept: &[KeptWay], segs: &GroundSegments, boundary: &RTree<Edge>) -> Vec<Hits> {
    let edges: Vec<&Edge> = boundary.iter().collect();
    let mut found: Vec<(u32, u32, f64, u32)> = edges
        .par_iter()
        .flat_map_iter(|e| {
            let (lo, hi) = corners(e.a, e.b);
            let mut hits = Vec::new();
            segs.grid.in_box(&segs.ends[..], lo, hi, |at, a, b| {
                let (w, s) = segs.way_seg[at as usize];
                for t in intersections(a, b, e.a, e.b) {
                    hits.push((w, s, t, e.feature));
                }
            });
            hits
        })
        .collect();
    found.par_sort_unstable_by(|x, y| {
        (x.0, x.1)
            .cmp(&(y.0, y.1))
            .then(x.2.total_cmp(&y.2))
            .then(x.3.cmp(&y.3))
    });
    let mut per_way: Vec<Hits> = vec![Vec::new(); kept.len()];
    for (w, s, t, f) in found {
        per_way[w as usize].push((s, t, f));
    }
    per_way
}

/// The number of edges on the piece of network each kept way lies on: ways sharing a
/// vertex are on one piece, whatever their direction (as the homes' pieces are counted). An
/// edge is a segment between two vertices, split vertices included.
fn piece_edges(kept: &[KeptWay]) -> Vec<u32> {
    let mut parent: Vec<u32> = (0..kept.len() as u32).collect();
    let mut first: HashMap<VKey, u32> = HashMap::new();
    for (w, way) in kept.iter().enumerate() {
        let keys = way.keys.iter().chain(way.splits.iter().map(|s| &s.2));
        for &key in keys {
            let other = *first.entry(key).or_insert(w as u32);
            unite(&mut parent, other, w as u32);
        }
    }
    let mut edges = vec![0u32; kept.len()];
    for (w, way) in kept.iter().enumerate() {
        let r = set_root(&mut parent, w as u32) as usize;
        edges[r] += (way.keys.len().saturating_sub(1) + way.splits.len()) as u32;
    }
    (0..kept.len() as u32)
        .map(|w| edges[set_root(&mut parent, w) as usize])
        .collect()
}

/// The indexes of the search, and the counter of split vertices added to the ways.
struct Finder<'a> {
    /// Ground-level segments of the kept ways.
    segs: GroundSegments,
    /// Boundary segments of the green polygons.
    boundary: RTree<Edge>,
    polys: FeaturePolygons<'a>,
    scale: PlaneScale,
    next_split: u32,
}

impl Finder<'_> {
    /// Join `p` to the nearest ground-level way (a snappable one if `snappable_only`) within
    /// `reach_m`: the vertex there and the gap, metres.
    fn join(
        &mut self,
        kept: &mut [KeptWay],
        p: Coord,
        reach_m: f64,
        snappable_only: bool,
    ) -> Option<(VKey, f64)> {
        self.join_on(kept, p, reach_m, snappable_only, None)
    }

    /// [`Finder::join`], and with `piece_edges` (the edges of each way's piece, see
    /// [`piece_edges`]) a way on a piece of at least [`SMALL_PIECE_EDGES`] edges within
    /// `reach_m` is taken over a nearer one on a smaller piece, as for homes.
    fn join_on(
        &mut self,
        kept: &mut [KeptWay],
        p: Coord,
        reach_m: f64,
        snappable_only: bool,
        piece_edges: Option<&[u32]>,
    ) -> Option<(VKey, f64)> {
        let k = self.scale.at(p);
        let way_seg = &self.segs.way_seg;
        let r2 = (reach_m * k).powi(2);
        let usable =
            |i: u32| !snappable_only || kept[way_seg[i as usize].0 as usize].rule.snappable();
        let mut near = self.segs.grid.nearest(&self.segs.ends[..], p, r2, usable)?;
        if let Some(pieces) = piece_edges {
            let large = |i: u32| pieces[way_seg[i as usize].0 as usize] >= SMALL_PIECE_EDGES;
            if !large(near.at) {
                let on_large = self
                    .segs
                    .grid
                    .nearest(&self.segs.ends[..], p, r2, |i| usable(i) && large(i));
                near = on_large.unwrap_or(near);
            }
        }
        let (way, seg) = way_seg[near.at as usize];
        let (t, d2) = (near.t, near.d2);
        let key = kept[way as usize].split_at(seg, t, &mut self.next_split);
        Some((key, d2.sqrt() / k))
    }

    /// (a) Tagged entrance nodes and given points near a polygon boundary.
    fn gates(
        &mut self,
        kept: &mut [KeptWay],
        tagged: &[TaggedNode],
        given: &[Coord],
    ) -> (Vec<EntranceAt>, Vec<u32>) {
        let tagged: Vec<&TaggedNode> = tagged
            .iter()
            .filter(|n| is_entrance(n.tags.as_slice()))
            .collect();
        let mut out = Vec::new();
        let mut unused = Vec::new();
        if tagged.is_empty() && given.is_empty() {
            return (out, unused);
        }
        let vertex_keys: HashSet<VKey> = kept.iter().flat_map(|w| w.keys.iter().copied()).collect();
        for n in tagged {
            self.gate(kept, &vertex_keys, n.xy, n.id, TAGGED_REACH_M, &mut out);
        }
        for (i, &p) in given.iter().enumerate() {
            if !self.gate(kept, &vertex_keys, p, None, GIVEN_REACH_M, &mut out) {
                unused.push(i as u32);
            }
        }
        (out, unused)
    }

    /// The entrances of the entrance point `p` (OSM node `id`, if any) to every polygon whose
    /// boundary lies within `reach` metres; false when it gives none (no such polygon, or no
    /// way within [`PSEUDO_REACH_M`]).
    fn gate(
        &mut self,
        kept: &mut [KeptWay],
        vertex_keys: &HashSet<VKey>,
        p: Coord,
        id: Option<i64>,
        reach: f64,
        out: &mut Vec<EntranceAt>,
    ) -> bool {
        let k = self.scale.at(p);
        let q = [p.x, p.y];
        // Boundary segments within reach: (feature, squared plane distance).
        let near: Vec<(u32, f64)> = self
            .boundary
            .locate_within_distance(q, (reach * k).powi(2))
            .map(|e| (e.feature, e.distance_2(&q)))
            .collect();
        let mut features: Vec<u32> = near.iter().map(|&(f, _)| f).collect();
        features.sort_unstable();
        features.dedup();
        if features.is_empty() {
            return false;
        }
        let on_network = id
            .map(VKey::Id)
            .filter(|key| vertex_keys.contains(key))
            .or_else(|| Some(VKey::xy(p)).filter(|key| vertex_keys.contains(key)));
        let Some((key, gap)) = on_network
            .map(|key| (key, 0.0))
            .or_else(|| self.join(kept, p, PSEUDO_REACH_M, false))
        else {
            return false;
        };
        for f in features {
            let inside = self.polys[&f].iter().any(|poly| poly.contains(&Point(p)));
            let outside_m = if inside {
                0.0
            } else {
                near.iter()
                    .filter(|&&(g, _)| g == f)
                    .map(|&(_, d2)| d2)
                    .fold(f64::INFINITY, f64::min)
                    .sqrt()
                    / k
            };
            out.push(EntranceAt {
                feature: f,
                key,
                offset_m: gap + outside_m,
                kind: EntryKind::Gate,
            });
        }
        true
    }

    /// (b) Crossings of ground-level ways with polygon boundaries ([`crossing_hits`]),
    /// split into the ways in way, segment and hit order (so the split numbering does not
    /// depend on the threads).
    fn crossings(&mut self, kept: &mut [KeptWay], hits: Vec<Hits>, out: &mut Vec<EntranceAt>) {
        for (way, hits) in kept.iter_mut().zip(hits) {
            for (s, t, feature) in hits {
                let key = way.split_at(s, t, &mut self.next_split);
                out.push(EntranceAt {
                    feature,
                    key,
                    offset_m: 0.0,
                    kind: EntryKind::Crossing,
                });
            }
        }
    }

    /// (c) Pseudo-entrances for polygons with neither gate nor crossing; point and line
    /// features snap like homes.
    fn pseudo_and_snapped(
        &mut self,
        kept: &mut [KeptWay],
        green: &[(u32, &Geometry<f64>)],
        snap_m: f64,
        out: &mut Vec<EntranceAt>,
    ) {
        let entered: HashSet<u32> = out.iter().map(|e| e.feature).collect();
        let mut pieces: Option<Vec<u32>> = None;
        for &(feature, g) in green {
            let ps = polygons(g);
            let (points, reach_m, snappable_only, kind) = if ps.is_empty() {
                let points = feature_samples(g, self.scale);
                (points, snap_m, true, EntryKind::Snapped)
            } else if entered.contains(&feature) {
                continue;
            } else {
                let points = ring_samples(&ps, self.scale);
                (points, PSEUDO_REACH_M, false, EntryKind::Pseudo)
            };
            // Points and lines snap like homes: off small pieces when a larger one is near.
            if kind == EntryKind::Snapped && pieces.is_none() {
                pieces = Some(piece_edges(kept));
            }
            let prefer = pieces.as_deref().filter(|_| kind == EntryKind::Snapped);
            for p in points {
                let joined = self.join_on(kept, p, reach_m, snappable_only, prefer);
                if let Some((key, gap)) = joined {
                    out.push(EntranceAt {
                        feature,
                        key,
                        offset_m: gap,
                        kind,
                    });
                }
            }
        }
    }
}
