//! Points merged into groups: two points closer than a link distance belong to one group
//! (single linkage: union-find over an R-tree of the points). Gaps of the report and of a
//! merged sharded run are such groups of failing points.

use geo::Coord;
use rstar::RTree;
use rstar::primitives::GeomWithData;

/// The groups of `members` (indices into `xy`, plane metres) linked within `link_m`; each
/// group's members ascending, groups in the order of their smallest member.
pub(crate) fn link_groups(xy: &[Coord], members: &[u32], link_m: f64) -> Vec<Vec<u32>> {
    let tree: RTree<GeomWithData<[f64; 2], usize>> = RTree::bulk_load(
        members
            .iter()
            .enumerate()
            .map(|(k, &i)| GeomWithData::new([xy[i as usize].x, xy[i as usize].y], k))
            .collect(),
    );
    let mut parent: Vec<usize> = (0..members.len()).collect();
    for (k, &i) in members.iter().enumerate() {
        let p = [xy[i as usize].x, xy[i as usize].y];
        for n in tree.locate_within_distance(p, link_m * link_m) {
            union(&mut parent, k, n.data);
        }
    }
    let mut groups: std::collections::BTreeMap<usize, Vec<u32>> = Default::default();
    for (k, &i) in members.iter().enumerate() {
        let root = find(&mut parent, k);
        groups.entry(root).or_default().push(i);
    }
    groups.into_values().collect()
}

fn find(parent: &mut [usize], mut k: usize) -> usize {
    while parent[k] != k {
        parent[k] = parent[parent[k]];
        k = parent[k];
    }
    k
}

fn union(parent: &mut [usize], a: usize, b: usize) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    if ra != rb {
        parent[ra.max(rb)] = ra.min(rb);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chains_link_and_distant_points_stay_apart() {
        let xy: Vec<Coord> = [0.0, 100.0, 200.0, 1000.0, 1100.0, 5000.0]
            .iter()
            .map(|&x| Coord { x, y: 0.0 })
            .collect();
        let all: Vec<u32> = (0..6).collect();
        assert_eq!(
            link_groups(&xy, &all, 150.0),
            vec![vec![0, 1, 2], vec![3, 4], vec![5]]
        );
        // Without point 1 the chain breaks.
        assert_eq!(
            link_groups(&xy, &[0, 2, 3], 150.0),
            vec![vec![0], vec![2], vec![3]]
        );
        assert_eq!(link_groups(&xy, &all, 10_000.0), vec![all.clone()]);
    }
}
