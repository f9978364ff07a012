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

use std::collections::HashMap;

use geo::{Contains, Coord, Geometry, LineString, Point, Polygon};
use rstar::{AABB, PointDistance, RTree, RTreeObject};

use super::geom::{intersections, project, samples};
use super::network::{KeptWay, TaggedNode, VKey};
use super::rules::is_entrance;
use crate::crs::PlaneScale;

/// Tagged entrance nodes count for a polygon whose boundary is this close, metres.
pub const TAGGED_REACH_M: f64 = 2.0;
/// Given entrance points (`--entrances`) count for a polygon whose boundary is this close.
pub const GIVEN_REACH_M: f64 = 10.0;
/// Spacing of pseudo-entrances along a boundary, metres.
pub const PSEUDO_STEP_M: f64 = 20.0;
/// A pseudo-entrance is kept when a walkable way lies this close, metres.
pub const PSEUDO_REACH_M: f64 = 30.0;

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

/// A ground-level segment of a kept way, before splitting.
#[derive(Debug, Clone, Copy)]
struct WaySeg {
    a: Coord,
    b: Coord,
    way: u32,
    seg: u32,
    snappable: bool,
}

impl RTreeObject for WaySeg {
    type Envelope = AABB<[f64; 2]>;
    fn envelope(&self) -> Self::Envelope {
        AABB::from_corners([self.a.x, self.a.y], [self.b.x, self.b.y])
    }
}

impl PointDistance for WaySeg {
    fn distance_2(&self, p: &[f64; 2]) -> f64 {
        project(self.a, self.b, Coord { x: p[0], y: p[1] }).1
    }
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

/// Find the entrances of every green feature, adding split vertices to `kept`.
pub(crate) fn find(kept: &mut [KeptWay], input: &EntranceInput<'_>) -> Vec<EntranceAt> {
    let mut segs = Vec::new();
    for (w, way) in kept.iter().enumerate() {
        if !way.rule.at_ground() {
            continue;
        }
        for s in 0..way.coords.len() - 1 {
            segs.push(WaySeg {
                a: way.coords[s],
                b: way.coords[s + 1],
                way: w as u32,
                seg: s as u32,
                snappable: way.rule.snappable(),
            });
        }
    }
    let segs = RTree::bulk_load(segs);
    let mut boundary = Vec::new();
    let mut polys: HashMap<u32, Vec<&Polygon<f64>>> = HashMap::new();
    for &(feature, g) in input.green {
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
    let boundary = RTree::bulk_load(boundary);
    let mut next_split = 0u32;
    let mut out: Vec<EntranceAt> = Vec::new();
    let k_at = |c: Coord| input.scale.at(c);

    // Join a point to the nearest ground-level (or snappable) way within `reach_m`.
    let join = |kept: &mut [KeptWay],
                next_split: &mut u32,
                p: Coord,
                reach_m: f64,
                snappable_only: bool|
     -> Option<(VKey, f64)> {
        let k = k_at(p);
        let q = [p.x, p.y];
        let s = segs
            .nearest_neighbor_iter(&q)
            .take_while(|s| s.distance_2(&q) <= (reach_m * k).powi(2))
            .find(|s| s.snappable || !snappable_only)?;
        let (t, d2) = project(s.a, s.b, p);
        let key = kept[s.way as usize].split_at(s.seg, t, next_split);
        Some((key, d2.sqrt() / k))
    };

    // (a) tagged entrance nodes and given points.
    let mut vertex_keys: HashMap<VKey, ()> = HashMap::new();
    for w in kept.iter() {
        for &k in &w.keys {
            vertex_keys.insert(k, ());
        }
    }
    let points_a: Vec<(Coord, Option<i64>, f64)> = input
        .tagged
        .iter()
        .filter(|n| is_entrance(n.tags.as_slice()))
        .map(|n| (n.xy, n.id, TAGGED_REACH_M))
        .chain(input.given.iter().map(|&c| (c, None, GIVEN_REACH_M)))
        .collect();
    for (p, id, reach) in points_a {
        let k = k_at(p);
        let q = [p.x, p.y];
        let mut features: Vec<u32> = boundary
            .locate_within_distance(q, (reach * k).powi(2))
            .map(|e| e.feature)
            .collect();
        features.sort_unstable();
        features.dedup();
        if features.is_empty() {
            continue;
        }
        let on_network = id
            .map(VKey::Id)
            .filter(|key| vertex_keys.contains_key(key))
            .or_else(|| Some(VKey::xy(p)).filter(|key| vertex_keys.contains_key(key)));
        let Some((key, gap)) = on_network
            .map(|key| (key, 0.0))
            .or_else(|| join(kept, &mut next_split, p, PSEUDO_REACH_M, false))
        else {
            continue;
        };
        for f in features {
            let inside = polys[&f].iter().any(|poly| poly.contains(&Point(p)));
            let outside_m = if inside {
                0.0
            } else {
                boundary
                    .locate_within_distance(q, (reach * k).powi(2))
                    .filter(|e| e.feature == f)
                    .map(|e| e.distance_2(&q))
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
    }

    // (b) crossings of ground-level ways with polygon boundaries.
    for way in kept.iter_mut() {
        if !way.rule.at_ground() {
            continue;
        }
        for s in 0..way.coords.len() - 1 {
            let (a, b) = (way.coords[s], way.coords[s + 1]);
            let env = AABB::from_corners([a.x, a.y], [b.x, b.y]);
            let hits: Vec<(u32, f64)> = boundary
                .locate_in_envelope_intersecting(&env)
                .flat_map(|e| {
                    intersections(a, b, e.a, e.b)
                        .into_iter()
                        .map(move |t| (e.feature, t))
                })
                .collect();
            for (feature, t) in hits {
                let key = way.split_at(s as u32, t, &mut next_split);
                out.push(EntranceAt {
                    feature,
                    key,
                    offset_m: 0.0,
                    kind: EntryKind::Crossing,
                });
            }
        }
    }

    // (c) pseudo-entrances for polygons with neither; point and line features snap.
    let mut entered: HashMap<u32, ()> = HashMap::new();
    for e in &out {
        entered.insert(e.feature, ());
    }
    for &(feature, g) in input.green {
        let ps = polygons(g);
        if !ps.is_empty() {
            if entered.contains_key(&feature) {
                continue;
            }
            for poly in ps {
                let ring: Vec<Coord> = poly.exterior().0.clone();
                let k = ring.first().map_or(1.0, |&c| k_at(c));
                for p in samples(&ring, PSEUDO_STEP_M * k, true) {
                    if let Some((key, gap)) = join(kept, &mut next_split, p, PSEUDO_REACH_M, false)
                    {
                        out.push(EntranceAt {
                            feature,
                            key,
                            offset_m: gap,
                            kind: EntryKind::Pseudo,
                        });
                    }
                }
            }
            continue;
        }
        let mut pts = points(g);
        for l in lines(g) {
            let k = l.0.first().map_or(1.0, |&c| k_at(c));
            pts.extend(samples(&l.0, PSEUDO_STEP_M * k, false));
        }
        for p in pts {
            if let Some((key, gap)) = join(kept, &mut next_split, p, input.snap_m, true) {
                out.push(EntranceAt {
                    feature,
                    key,
                    offset_m: gap,
                    kind: EntryKind::Snapped,
                });
            }
        }
    }
    out
}
