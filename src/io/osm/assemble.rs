//! Multipolygon assembly: member ways joined end to end at shared node ids into closed rings,
//! self-touching rings split at the repeated node, and rings nested by containment (a ring
//! inside an even number of others is an outer ring, inside an odd number a hole of the
//! smallest ring around it). Roles are checked against that nesting and mismatches counted;
//! role-less members are placed by containment alone. A relation that cannot be closed is an
//! error naming the way and node where it breaks, never a guess.

use std::collections::{HashMap, HashSet};
use std::fmt;

use geo::{Coord, LineString, MultiPolygon, Polygon};

/// The role of a member way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// `outer`.
    Outer,
    /// `inner`.
    Inner,
    /// Empty role: decided by containment.
    Unset,
}

impl Role {
    /// The role from its text; `None` for roles that are not ring parts (`subarea`, `label`...).
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "outer" => Some(Role::Outer),
            "inner" => Some(Role::Inner),
            "" => Some(Role::Unset),
            _ => None,
        }
    }
}

/// Why an area could not be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Broken {
    /// The relation has no member ways that can form rings.
    NoWays,
    /// A member way is not in the file (typically cut off at the extract's border).
    MissingWay(i64),
    /// A way refers to a node that is not in the file.
    MissingNode {
        /// The way.
        way: i64,
        /// The node.
        node: i64,
    },
    /// The ways do not close into rings: nothing continues at `node`, the end of `way`.
    UnclosedRing {
        /// The last way of the open chain.
        way: i64,
        /// The dangling node.
        node: i64,
    },
    /// A ring with fewer than three distinct nodes.
    DegenerateRing {
        /// A way of the ring.
        way: i64,
    },
}

impl Broken {
    /// A short class name for counting (`missing way`, `unclosed ring`, ...).
    pub fn class(&self) -> &'static str {
        match self {
            Broken::NoWays => "no member ways",
            Broken::MissingWay(_) => "member way missing from the file",
            Broken::MissingNode { .. } => "node missing from the file",
            Broken::UnclosedRing { .. } => "ring not closed",
            Broken::DegenerateRing { .. } => "degenerate ring",
        }
    }
}

impl fmt::Display for Broken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Broken::NoWays => f.write_str("no member ways with role outer, inner or empty"),
            Broken::MissingWay(w) => write!(f, "member way/{w} is not in the file"),
            Broken::MissingNode { way, node } => {
                write!(
                    f,
                    "way/{way} refers to node/{node}, which is not in the file"
                )
            }
            Broken::UnclosedRing { way, node } => write!(
                f,
                "the rings do not close: nothing continues at node/{node} (end of way/{way})"
            ),
            Broken::DegenerateRing { way } => {
                write!(
                    f,
                    "way/{way} makes a ring of fewer than three distinct nodes"
                )
            }
        }
    }
}

/// A member way with its geometry, as the assembler needs it.
#[derive(Debug, Clone, Copy)]
pub struct MemberWay<'a> {
    /// Way id.
    pub id: i64,
    /// Role in the relation.
    pub role: Role,
    /// Node ids.
    pub nodes: &'a [i64],
    /// Coordinates, one per node (lon/lat).
    pub coords: &'a [Coord<f64>],
}

/// An assembled area and what was noticed on the way.
#[derive(Debug, Clone)]
pub struct Assembled {
    /// The polygons (outer rings with their holes).
    pub geometry: MultiPolygon<f64>,
    /// Rings whose members' role disagrees with the nesting (the nesting wins).
    pub role_mismatches: usize,
}

struct Ring {
    nodes: Vec<i64>,
    coords: Vec<Coord<f64>>,
    role: Option<Role>,
    area: f64,
    bbox: [f64; 4],
}

/// Build the rings of `members` and nest them into polygons.
pub fn assemble(members: &[MemberWay<'_>]) -> Result<Assembled, Broken> {
    if members.is_empty() {
        return Err(Broken::NoWays);
    }
    let mut rings = Vec::new();
    for mut chain in join_ways(members)? {
        chain.dedup();
        split_touching(chain, &mut rings);
    }
    if rings.is_empty() {
        return Err(Broken::DegenerateRing { way: members[0].id });
    }
    nest(rings)
}

/// A closed walk of node ids and coordinates (first == last), with the roles of its ways.
struct Chain {
    nodes: Vec<i64>,
    coords: Vec<Coord<f64>>,
    role: Option<Role>,
}

impl Chain {
    /// Drop a node repeated right after itself, and merge a node into the one before it when
    /// both are at the same place (OSM ways sometimes list a node twice, or two nodes share a
    /// location); the later id survives so that a ring still closes on its first node.
    fn dedup(&mut self) {
        let mut keep = 0;
        for i in 0..self.nodes.len() {
            if i > 0 && self.nodes[i] == self.nodes[keep - 1] {
                continue;
            }
            if i > 0 && self.coords[i] == self.coords[keep - 1] {
                if keep > 1 {
                    self.nodes[keep - 1] = self.nodes[i];
                }
                continue;
            }
            self.nodes[keep] = self.nodes[i];
            self.coords[keep] = self.coords[i];
            keep += 1;
        }
        self.nodes.truncate(keep);
        self.coords.truncate(keep);
    }
}

fn merge_role(a: Option<Role>, b: Role) -> Option<Role> {
    match a {
        Some(r) if r == b => Some(r),
        _ => None,
    }
}

/// Join ways end to end at shared node ids. Every node of a valid multipolygon has an even
/// number of way ends, so a greedy walk can only stop at its start; stopping elsewhere means
/// the relation is broken there.
fn join_ways(members: &[MemberWay<'_>]) -> Result<Vec<Chain>, Broken> {
    let mut ends: HashMap<i64, Vec<usize>> = HashMap::new();
    for (i, m) in members.iter().enumerate() {
        if m.nodes.len() < 2 || m.coords.len() != m.nodes.len() {
            return Err(Broken::DegenerateRing { way: m.id });
        }
        let (first, last) = (m.nodes[0], m.nodes[m.nodes.len() - 1]);
        if first != last {
            ends.entry(first).or_default().push(i);
            ends.entry(last).or_default().push(i);
        }
    }
    let mut used = vec![false; members.len()];
    let mut chains = Vec::new();
    for start in 0..members.len() {
        if used[start] {
            continue;
        }
        used[start] = true;
        let m = &members[start];
        let mut chain = Chain {
            nodes: m.nodes.to_vec(),
            coords: m.coords.to_vec(),
            role: Some(m.role),
        };
        let mut last_way = m.id;
        while chain.nodes[0] != chain.nodes[chain.nodes.len() - 1] {
            let end = chain.nodes[chain.nodes.len() - 1];
            let next = ends
                .get(&end)
                .and_then(|c| c.iter().copied().find(|&j| !used[j]));
            let Some(j) = next else {
                return Err(Broken::UnclosedRing {
                    way: last_way,
                    node: end,
                });
            };
            used[j] = true;
            let w = &members[j];
            if w.nodes[0] == end {
                chain.nodes.extend_from_slice(&w.nodes[1..]);
                chain.coords.extend_from_slice(&w.coords[1..]);
            } else {
                chain.nodes.extend(w.nodes.iter().rev().skip(1));
                chain.coords.extend(w.coords.iter().rev().skip(1));
            }
            chain.role = merge_role(chain.role, w.role);
            last_way = w.id;
        }
        chains.push(chain);
    }
    Ok(chains)
}

/// Split a closed chain wherever it passes a node twice (rings touching at a node, figure
/// eights), so every ring is simple in its nodes. Pieces of fewer than three distinct nodes
/// (a spike drawn out and back) enclose nothing and are dropped.
fn split_touching(chain: Chain, out: &mut Vec<Ring>) {
    let n = chain.nodes.len() - 1; // the closing node repeats the first
    let mut sorted = chain.nodes[..n].to_vec();
    sorted.sort_unstable();
    if sorted.windows(2).all(|w| w[0] != w[1]) {
        // The common case: a simple ring.
        if n >= 3 {
            out.push(make_ring(&chain, &(0..=n).collect::<Vec<_>>()));
        }
        return;
    }
    let mut stack: Vec<usize> = Vec::with_capacity(n + 1);
    let mut at: HashMap<i64, usize> = HashMap::new();
    for i in 0..=n {
        let id = chain.nodes[i];
        if let Some(&k) = at.get(&id) {
            let mut idx: Vec<usize> = stack.drain(k..).collect();
            for &p in &idx[1..] {
                at.remove(&chain.nodes[p]);
            }
            idx.push(i);
            if idx.len() >= 4 {
                out.push(make_ring(&chain, &idx));
            }
            stack.push(i);
        } else {
            at.insert(id, stack.len());
            stack.push(i);
        }
    }
    // Only the final closing node remains: the walk ends where it started.
}

fn make_ring(chain: &Chain, idx: &[usize]) -> Ring {
    let nodes: Vec<i64> = idx.iter().map(|&i| chain.nodes[i]).collect();
    let coords: Vec<Coord<f64>> = idx.iter().map(|&i| chain.coords[i]).collect();
    let mut bbox = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
    for c in &coords {
        bbox = [
            bbox[0].min(c.x),
            bbox[1].min(c.y),
            bbox[2].max(c.x),
            bbox[3].max(c.y),
        ];
    }
    let area = signed_area(&coords).abs();
    Ring {
        nodes,
        coords,
        role: chain.role,
        area,
        bbox,
    }
}

fn signed_area(c: &[Coord<f64>]) -> f64 {
    let o = c[0];
    c.windows(2)
        .map(|w| (w[0].x - o.x) * (w[1].y - o.y) - (w[1].x - o.x) * (w[0].y - o.y))
        .sum::<f64>()
        / 2.0
}

/// Crossing-number point in ring (boundary points may go either way; callers avoid them).
fn in_ring(p: Coord<f64>, ring: &[Coord<f64>]) -> bool {
    let mut inside = false;
    for w in ring.windows(2) {
        let (a, b) = (w[0], w[1]);
        if (a.y > p.y) != (b.y > p.y) {
            let x = a.x + (p.y - a.y) / (b.y - a.y) * (b.x - a.x);
            if p.x < x {
                inside = !inside;
            }
        }
    }
    inside
}

fn on_segment(p: Coord<f64>, ring: &[Coord<f64>]) -> bool {
    ring.windows(2).any(|w| {
        let (a, b) = (w[0], w[1]);
        let cross = (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x);
        cross == 0.0
            && p.x >= a.x.min(b.x)
            && p.x <= a.x.max(b.x)
            && p.y >= a.y.min(b.y)
            && p.y <= a.y.max(b.y)
    })
}

/// Whether ring `a` lies inside ring `b`: decided at a node of `a` that `b` does not share,
/// else at the midpoint of an edge of `a` not on `b`'s boundary.
fn inside(a: &Ring, b: &Ring, b_nodes: &HashSet<i64>) -> bool {
    if a.bbox[0] < b.bbox[0]
        || a.bbox[1] < b.bbox[1]
        || a.bbox[2] > b.bbox[2]
        || a.bbox[3] > b.bbox[3]
    {
        return false;
    }
    if let Some(i) = a.nodes.iter().position(|n| !b_nodes.contains(n)) {
        return in_ring(a.coords[i], &b.coords);
    }
    for w in a.coords.windows(2) {
        let mid = Coord {
            x: (w[0].x + w[1].x) / 2.0,
            y: (w[0].y + w[1].y) / 2.0,
        };
        if !on_segment(mid, &b.coords) {
            return in_ring(mid, &b.coords);
        }
    }
    false
}

fn nest(mut rings: Vec<Ring>) -> Result<Assembled, Broken> {
    if rings.len() == 1 {
        let r = rings.pop().expect("one ring");
        return Ok(Assembled {
            geometry: MultiPolygon::new(vec![Polygon::new(LineString::new(r.coords), vec![])]),
            role_mismatches: usize::from(r.role == Some(Role::Inner)),
        });
    }
    // Largest first: a ring's possible parents come before it.
    rings.sort_by(|a, b| b.area.total_cmp(&a.area));
    let node_sets: Vec<HashSet<i64>> = rings
        .iter()
        .map(|r| r.nodes.iter().copied().collect())
        .collect();
    let n = rings.len();
    let mut depth = vec![0usize; n];
    let mut parent: Vec<Option<usize>> = vec![None; n];
    for i in 0..n {
        // Parents are larger rings; the innermost container is the one with the greatest depth.
        for j in 0..i {
            if rings[j].area > rings[i].area && inside(&rings[i], &rings[j], &node_sets[j]) {
                depth[i] += 1;
                if parent[i].is_none_or(|p| depth[j] >= depth[p]) {
                    parent[i] = Some(j);
                }
            }
        }
    }
    let mut role_mismatches = 0;
    let mut holes: Vec<Vec<usize>> = vec![Vec::new(); n];
    for i in 0..n {
        let is_outer = depth[i].is_multiple_of(2);
        match (rings[i].role, is_outer) {
            (Some(Role::Inner), true) | (Some(Role::Outer), false) => role_mismatches += 1,
            _ => {}
        }
        if let (false, Some(p)) = (is_outer, parent[i]) {
            holes[p].push(i);
        }
    }
    let mut polygons = Vec::new();
    for i in 0..n {
        if depth[i].is_multiple_of(2) {
            let interiors = holes[i]
                .iter()
                .map(|&h| LineString::new(rings[h].coords.clone()))
                .collect();
            polygons.push(Polygon::new(
                LineString::new(std::mem::take(&mut rings[i].coords)),
                interiors,
            ));
        }
    }
    Ok(Assembled {
        geometry: MultiPolygon::new(polygons),
        role_mismatches,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::Area;

    /// Nodes on a lattice: node id `10 * x + y` sits at (x, y).
    type TestWay = (i64, Role, Vec<i64>, Vec<Coord<f64>>);

    fn way(id: i64, role: Role, nodes: &[i64]) -> TestWay {
        let coords = nodes
            .iter()
            .map(|n| Coord {
                x: (n / 10) as f64,
                y: (n % 10) as f64,
            })
            .collect();
        (id, role, nodes.to_vec(), coords)
    }

    fn run(ways: &[TestWay]) -> Result<Assembled, Broken> {
        let members: Vec<MemberWay<'_>> = ways
            .iter()
            .map(|(id, role, nodes, coords)| MemberWay {
                id: *id,
                role: *role,
                nodes,
                coords,
            })
            .collect();
        assemble(&members)
    }

    #[test]
    fn square_with_hole_from_split_ways() {
        // Outer 0..6 square in two halves (one reversed), inner 2..4 square as one closed way.
        let a = run(&[
            way(1, Role::Outer, &[0, 60, 66]),
            way(2, Role::Outer, &[0, 6, 66]),
            way(3, Role::Inner, &[22, 24, 44, 42, 22]),
        ])
        .unwrap();
        assert_eq!(a.geometry.0.len(), 1);
        assert_eq!(a.geometry.0[0].interiors().len(), 1);
        assert_eq!(a.geometry.unsigned_area(), 36.0 - 4.0);
        assert_eq!(a.role_mismatches, 0);
    }

    #[test]
    fn roleless_and_wrong_roles_follow_containment() {
        let a = run(&[
            way(1, Role::Unset, &[0, 60, 66, 6, 0]),
            way(2, Role::Outer, &[22, 24, 44, 42, 22]),
        ])
        .unwrap();
        assert_eq!(a.geometry.unsigned_area(), 32.0);
        assert_eq!(a.role_mismatches, 1);
    }

    #[test]
    fn island_in_a_hole_is_a_second_polygon() {
        let a = run(&[
            way(1, Role::Outer, &[0, 90, 99, 9, 0]),
            way(2, Role::Inner, &[11, 81, 88, 18, 11]),
            way(3, Role::Outer, &[33, 63, 66, 36, 33]),
        ])
        .unwrap();
        assert_eq!(a.geometry.0.len(), 2);
        assert_eq!(a.geometry.unsigned_area(), 81.0 - 49.0 + 9.0);
    }

    #[test]
    fn rings_touching_at_a_node_are_split() {
        // Two squares sharing node 22, drawn as one figure-eight way.
        let a = run(&[way(1, Role::Outer, &[0, 20, 22, 42, 44, 24, 22, 2, 0])]).unwrap();
        assert_eq!(a.geometry.0.len(), 2);
        assert_eq!(a.geometry.unsigned_area(), 8.0);
        // A hole touching its outer ring at one node.
        let b = run(&[
            way(1, Role::Outer, &[0, 40, 44, 4, 0]),
            way(2, Role::Inner, &[0, 22, 20, 0]),
        ])
        .unwrap();
        assert_eq!(b.geometry.0.len(), 1);
        assert_eq!(b.geometry.unsigned_area(), 16.0 - 2.0);
    }

    #[test]
    fn broken_relations_say_where() {
        assert_eq!(
            run(&[
                way(1, Role::Outer, &[0, 60, 66]),
                way(2, Role::Outer, &[0, 6])
            ])
            .unwrap_err(),
            Broken::UnclosedRing { way: 1, node: 66 }
        );
        assert_eq!(run(&[]).unwrap_err(), Broken::NoWays);
        assert_eq!(
            run(&[way(7, Role::Outer, &[0, 6, 0])]).unwrap_err(),
            Broken::DegenerateRing { way: 7 }
        );
    }

    #[test]
    fn repeated_nodes_and_spikes_are_dropped() {
        let a = run(&[way(1, Role::Outer, &[0, 60, 60, 66, 6, 0, 0])]).unwrap();
        assert_eq!(a.geometry.0[0].exterior().0.len(), 5);
        // node 7 lies where node 0 is and closes the ring in its place
        let mut w = way(1, Role::Outer, &[0, 60, 66, 6, 7, 0]);
        w.3[4] = w.3[0];
        let a = run(&[w]).unwrap();
        assert_eq!(a.geometry.0[0].exterior().0.len(), 5);
        assert_eq!(a.geometry.unsigned_area(), 36.0);
        // a spike out to node 99 and back
        let b = run(&[way(1, Role::Outer, &[0, 60, 66, 99, 66, 6, 0])]).unwrap();
        assert_eq!(b.geometry.0.len(), 1);
        assert_eq!(b.geometry.unsigned_area(), 36.0);
    }
}
