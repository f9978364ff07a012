//! The synthetic street city for walking benchmarks (`greenreach synth --streets`): the
//! synthetic city's 20 × 20 km in UTM 48N covered by a street grid (every vertex a junction,
//! ways sharing exact vertices), cut by an east–west river that only a few bridges cross and
//! by a north–south motorway that only a few footbridges cross, with homes scattered at random
//! off the river. Deterministic for a seed.

use std::io::{BufWriter, Write};
use std::path::Path;

use greenreach::Error;

use crate::synth::{EXTENT_M, ORIGIN};

/// The river: streets stop short of `y` in this band (metres from the city's south edge).
pub const RIVER: (f64, f64) = (9_950.0, 10_050.0);
/// The motorway's `x` (metres from the west edge), between two street columns.
pub const MOTORWAY_X: f64 = 6_670.0;
/// A bridge over the river every this many metres (at x = 1000, 3000, ...).
pub const BRIDGE_EVERY_M: f64 = 2_000.0;

/// What was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Streets {
    /// Ways in `streets_utm48n.geojson` (the motorway included).
    pub ways: usize,
    /// Distinct vertices (graph nodes) of the walkable ways.
    pub nodes: usize,
    /// Bridges over the river, footbridges over the motorway.
    pub bridges: (usize, usize),
    /// Homes in `homes_utm48n.geojson`.
    pub homes: usize,
}

/// One way: its tags (as JSON members) and its vertices, metres from the city's corner.
struct Way {
    tags: &'static str,
    coords: Vec<(f64, f64)>,
}

/// The ways of the grid with spacing `s` metres.
fn ways(s: f64) -> Vec<Way> {
    let n = (EXTENT_M / s).round() as usize;
    let at = |k: usize| k as f64 * s;
    let in_river = |y: f64| y > RIVER.0 && y < RIVER.1;
    let kind = |k: usize| {
        if k.is_multiple_of(10) {
            r#""highway":"tertiary""#
        } else {
            r#""highway":"residential""#
        }
    };
    let mut out = Vec::new();
    // East–west streets, cut at the motorway; a footbridge every 2 km keeps the cut segment.
    let west = (0..=n).filter(|&i| at(i) < MOTORWAY_X).count();
    for j in (0..=n).filter(|&j| !in_river(at(j))) {
        let y = at(j);
        out.push(Way {
            tags: kind(j),
            coords: (0..west).map(|i| (at(i), y)).collect(),
        });
        out.push(Way {
            tags: kind(j),
            coords: (west..=n).map(|i| (at(i), y)).collect(),
        });
        if ((y - 500.0) / BRIDGE_EVERY_M).fract().abs() < 1e-9 {
            out.push(Way {
                tags: r#""highway":"footway","bridge":"yes","name":"footbridge""#,
                coords: vec![(at(west - 1), y), (at(west), y)],
            });
        }
    }
    // North–south streets, cut by the river; a bridge every 2 km spans it.
    let south: Vec<usize> = (0..=n).filter(|&j| at(j) <= RIVER.0).collect();
    let north: Vec<usize> = (0..=n).filter(|&j| at(j) >= RIVER.1).collect();
    for i in 0..=n {
        let x = at(i);
        out.push(Way {
            tags: kind(i),
            coords: south.iter().map(|&j| (x, at(j))).collect(),
        });
        out.push(Way {
            tags: kind(i),
            coords: north.iter().map(|&j| (x, at(j))).collect(),
        });
        if ((x - 1000.0) / BRIDGE_EVERY_M).fract().abs() < 1e-9 {
            let (a, b) = (*south.last().expect("south bank"), north[0]);
            out.push(Way {
                tags: r#""highway":"residential","bridge":"yes","name":"bridge""#,
                coords: (a..=b).map(|j| (x, at(j))).collect(),
            });
        }
    }
    out.push(Way {
        tags: r#""highway":"motorway","name":"motorway""#,
        coords: vec![(MOTORWAY_X, 0.0), (MOTORWAY_X, EXTENT_M)],
    });
    out
}

fn create(path: &Path) -> Result<BufWriter<std::fs::File>, Error> {
    std::fs::File::create(path)
        .map(|f| BufWriter::with_capacity(1 << 20, f))
        .map_err(|source| Error::Output {
            path: path.to_path_buf(),
            source,
        })
}

const HEAD: &str = r#"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::32648"}},"features":["#;

/// Write `streets_utm48n.geojson` (spacing `spacing_m`) and `homes_utm48n.geojson` (`homes`
/// points) into `dir`.
pub fn write_streets(
    dir: &Path,
    seed: u64,
    spacing_m: f64,
    homes: usize,
) -> Result<Streets, Error> {
    if !(5.0..=EXTENT_M / 4.0).contains(&spacing_m) {
        return Err(Error::Config(format!(
            "--street-spacing {spacing_m}: give 5 to {} metres",
            EXTENT_M / 4.0
        )));
    }
    std::fs::create_dir_all(dir).map_err(|source| Error::Output {
        path: dir.to_path_buf(),
        source,
    })?;
    let ways = ways(spacing_m);
    let path = dir.join("streets_utm48n.geojson");
    let io = |source| Error::Output {
        path: path.clone(),
        source,
    };
    let mut w = create(&path)?;
    let mut nodes = std::collections::HashSet::new();
    let mut bridges = (0, 0);
    w.write_all(HEAD.as_bytes()).map_err(io)?;
    for (k, way) in ways.iter().enumerate() {
        if way.tags.contains("\"bridge\"") {
            if way.tags.contains("footway") {
                bridges.1 += 1;
            } else {
                bridges.0 += 1;
            }
        }
        if !way.tags.contains("motorway") {
            for &(x, y) in &way.coords {
                nodes.insert(((x * 100.0).round() as i64, (y * 100.0).round() as i64));
            }
        }
        let mut line = String::with_capacity(way.coords.len() * 20 + 100);
        line += if k > 0 { ",\n" } else { "\n" };
        line += &format!(
            r#"{{"type":"Feature","properties":{{"osm_id":"way/{}",{}}},"geometry":{{"type":"LineString","coordinates":["#,
            k + 1,
            way.tags
        );
        for (m, &(x, y)) in way.coords.iter().enumerate() {
            if m > 0 {
                line.push(',');
            }
            line += &format!("[{},{}]", ORIGIN.0 + x, ORIGIN.1 + y);
        }
        line += "]}}";
        w.write_all(line.as_bytes()).map_err(io)?;
    }
    w.write_all(b"\n]}\n").map_err(io)?;
    w.flush().map_err(io)?;
    drop(w);

    let path = dir.join("homes_utm48n.geojson");
    let io = |source| Error::Output {
        path: path.clone(),
        source,
    };
    let mut w = create(&path)?;
    w.write_all(HEAD.as_bytes()).map_err(io)?;
    let mut rng = crate::synth::Rng(seed ^ 0x0005_EED5_7EE7);
    let mut k = 0;
    while k < homes {
        let (x, y) = (rng.uniform(0.0, EXTENT_M), rng.uniform(0.0, EXTENT_M));
        if y > RIVER.0 - 20.0 && y < RIVER.1 + 20.0 {
            continue; // no home in the river or on its banks
        }
        let (x, y) = (
            ((ORIGIN.0 + x) * 100.0).round() / 100.0,
            ((ORIGIN.1 + y) * 100.0).round() / 100.0,
        );
        let sep = if k > 0 { ",\n" } else { "\n" };
        write!(
            w,
            r#"{sep}{{"type":"Feature","properties":{{"id":{k}}},"geometry":{{"type":"Point","coordinates":[{x},{y}]}}}}"#
        )
        .map_err(io)?;
        k += 1;
    }
    w.write_all(b"\n]}\n").map_err(io)?;
    w.flush().map_err(io)?;
    Ok(Streets {
        ways: ways.len(),
        nodes: nodes.len(),
        bridges,
        homes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    type Seg = ((i64, i64), (i64, i64));

    /// Segments between vertices (centimetres) of the ways that `keep` keeps, the motorway
    /// never (it is not walkable).
    fn segments(s: f64, keep: &dyn Fn(&Way) -> bool) -> Vec<Seg> {
        let key = |(x, y): (f64, f64)| ((x * 100.0).round() as i64, (y * 100.0).round() as i64);
        ways(s)
            .iter()
            .filter(|w| !w.tags.contains("motorway") && keep(w))
            .flat_map(|w| {
                w.coords
                    .windows(2)
                    .map(|p| (key(p[0]), key(p[1])))
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    /// Vertices reachable from the south-west corner over `segs`.
    fn reach(segs: &[Seg]) -> std::collections::HashSet<(i64, i64)> {
        let mut adj: std::collections::HashMap<(i64, i64), Vec<(i64, i64)>> = Default::default();
        for &(a, b) in segs {
            adj.entry(a).or_default().push(b);
            adj.entry(b).or_default().push(a);
        }
        let mut seen = std::collections::HashSet::from([(0, 0)]);
        let mut stack = vec![(0, 0)];
        while let Some(v) = stack.pop() {
            for &n in adj.get(&v).into_iter().flatten() {
                if seen.insert(n) {
                    stack.push(n);
                }
            }
        }
        seen
    }

    /// The river is crossed only on bridges, the motorway only on footbridges, and the grid
    /// shares its vertices: everything is reachable with them, nothing across without them.
    #[test]
    fn barriers_are_crossed_only_on_bridges() {
        let s = 100.0;
        let all = ways(s);
        let crosses_river = |w: &Way| {
            w.coords.iter().any(|c| c.1 <= RIVER.0) && w.coords.iter().any(|c| c.1 >= RIVER.1)
        };
        let crosses_motorway = |w: &Way| {
            w.coords.iter().any(|c| c.0 < MOTORWAY_X) && w.coords.iter().any(|c| c.0 > MOTORWAY_X)
        };
        let walkable = |w: &&Way| !w.tags.contains("motorway");
        let river: Vec<&Way> = all
            .iter()
            .filter(walkable)
            .filter(|w| crosses_river(w))
            .collect();
        assert_eq!(river.len(), 10);
        assert!(river.iter().all(|w| w.tags.contains(r#""bridge":"yes""#)));
        let motorway: Vec<&Way> = all
            .iter()
            .filter(walkable)
            .filter(|w| crosses_motorway(w))
            .collect();
        assert_eq!(motorway.len(), 10);
        assert!(motorway.iter().all(|w| w.tags.contains("footway")));
        let (south_east, north_east) = ((2_000_000, 0), (2_000_000, 2_000_000));
        let everything = reach(&segments(s, &|_| true));
        assert!(everything.contains(&north_east) && everything.contains(&south_east));
        let no_bridges = reach(&segments(s, &|w| !w.tags.contains(r#""name":"bridge""#)));
        assert!(no_bridges.contains(&south_east) && !no_bridges.contains(&north_east));
        let no_footbridges = reach(&segments(s, &|w| !w.tags.contains("footbridge")));
        assert!(!no_footbridges.contains(&south_east));
    }

    #[test]
    fn streets_and_homes_are_deterministic() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        let sa = write_streets(&a, 7, 200.0, 500).unwrap();
        let sb = write_streets(&b, 7, 200.0, 500).unwrap();
        assert_eq!(sa, sb);
        // The row in the river is gone; the ten bridges keep their vertex in it.
        assert_eq!(sa.nodes, 101 * 101 - 101 + 10);
        for f in ["streets_utm48n.geojson", "homes_utm48n.geojson"] {
            assert_eq!(
                std::fs::read(a.join(f)).unwrap(),
                std::fs::read(b.join(f)).unwrap()
            );
        }
        assert!(write_streets(&a, 7, 1.0, 5).is_err());
    }
}
