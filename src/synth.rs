//! A deterministic synthetic city for benchmarks, of the same shape as the peers' kit
//! (`../shared/peers/gen.py`): 20 × 20 km in UTM zone 48N around Chongqing, small street
//! greens, leisure spaces and parks (up to 2000 vertices, 30% with holes) clustered in nine
//! districts, each polygon star-shaped around its centre (so simple) with an exact area. It
//! is not the peers' exact city (their generator uses NumPy's random streams); the counts,
//! sizes and vertex counts follow the same distributions.

use std::f64::consts::TAU;
use std::fmt::Write as _;
use std::path::Path;

use geo::{Coord, LineString, Polygon};

use greenreach::Error;
use greenreach::crs::SourceCrs;

/// South-west corner of the city, UTM 48N metres.
pub const ORIGIN: (f64, f64) = (640_000.0, 3_262_000.0);
/// Side of the city, metres.
pub const EXTENT_M: f64 = 20_000.0;

/// SplitMix64: small, fast and deterministic on every platform.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub(crate) fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * ((self.next() >> 11) as f64 / (1u64 << 53) as f64)
    }
    fn normal(&mut self) -> f64 {
        let (u, v) = (self.uniform(f64::MIN_POSITIVE, 1.0), self.uniform(0.0, TAU));
        (-2.0 * u.ln()).sqrt() * v.cos()
    }
    fn int(&mut self, lo: u64, hi_inclusive: u64) -> u64 {
        lo + self.next() % (hi_inclusive - lo + 1)
    }
}

fn round_cm(c: Coord) -> Coord {
    Coord {
        x: (c.x * 100.0).round() / 100.0,
        y: (c.y * 100.0).round() / 100.0,
    }
}

/// A closed star-shaped ring of `n` vertices around `c` with area `area`, and the radius of
/// a circle around `c` inside it.
fn star_ring(rng: &mut Rng, c: Coord, n: usize, area: f64, rough: f64) -> (Vec<Coord>, f64) {
    let mut ang: Vec<f64> = (0..n)
        .map(|k| TAU * (k as f64 + rng.uniform(-0.35, 0.35)) / n as f64)
        .collect();
    ang.sort_by(f64::total_cmp);
    let mut logr = vec![0.0; n];
    for k in 1..6 {
        let amp = rough * rng.uniform(0.2, 1.0) / k as f64;
        let phase = rng.uniform(0.0, TAU);
        for (l, a) in logr.iter_mut().zip(&ang) {
            *l += amp * (k as f64 * a + phase).sin();
        }
    }
    let mut r: Vec<f64> = logr
        .iter()
        .map(|l| (l + rough * 0.25 * rng.normal()).exp())
        .collect();
    let shoelace = |r: &[f64]| {
        let (x, y): (Vec<f64>, Vec<f64>) = r
            .iter()
            .zip(&ang)
            .map(|(r, a)| (r * a.cos(), r * a.sin()))
            .unzip();
        0.5 * (0..n)
            .map(|i| x[i] * y[(i + 1) % n] - y[i] * x[(i + 1) % n])
            .sum::<f64>()
            .abs()
    };
    let s = (area / shoelace(&r)).sqrt();
    r.iter_mut().for_each(|v| *v *= s);
    let rin = (0..n)
        .map(|i| {
            let gap = if i + 1 < n {
                ang[i + 1] - ang[i]
            } else {
                ang[0] + TAU - ang[i]
            };
            r[i].min(r[(i + 1) % n]) * (gap / 2.0).cos()
        })
        .fold(f64::INFINITY, f64::min);
    let mut ring: Vec<Coord> = r
        .iter()
        .zip(&ang)
        .map(|(r, a)| {
            round_cm(Coord {
                x: c.x + r * a.cos(),
                y: c.y + r * a.sin(),
            })
        })
        .collect();
    ring.push(ring[0]);
    (ring, rin)
}

/// One to three holes for a park centred at `c` whose shell holds a circle of radius `rin`,
/// each inside that circle.
fn park_holes(rng: &mut Rng, c: Coord, rin: f64) -> Vec<LineString<f64>> {
    let mut holes = Vec::new();
    let nh = rng.int(1, 3);
    let phi = rng.uniform(0.0, TAU);
    for h in 0..nh {
        let a = phi + TAU * h as f64 / 3.0;
        let hc = Coord {
            x: c.x + 0.5 * rin * a.cos(),
            y: c.y + 0.5 * rin * a.sin(),
        };
        let hr = rng.uniform(0.08, 0.18) * rin;
        let hn = rng.int(8, 40) as usize;
        let (ring, _) = star_ring(rng, hc, hn, std::f64::consts::PI * hr * hr, 0.15);
        let dmax = ring
            .iter()
            .map(|p| (p.x - hc.x).hypot(p.y - hc.y))
            .fold(0.0, f64::max);
        let f = (0.2 * rin / dmax).min(1.0);
        holes.push(LineString(
            ring.iter()
                .map(|p| {
                    round_cm(Coord {
                        x: hc.x + (p.x - hc.x) * f,
                        y: hc.y + (p.y - hc.y) * f,
                    })
                })
                .collect(),
        ));
    }
    holes
}

/// The city's polygons with their category, UTM 48N metres.
pub fn city(
    seed: u64,
    n_street: usize,
    n_leisure: usize,
    n_park: usize,
) -> Vec<(&'static str, Polygon<f64>)> {
    let mut rng = Rng(seed);
    let clusters: Vec<(Coord, f64)> = (0..9)
        .map(|_| {
            let c = Coord {
                x: rng.uniform(2500.0, EXTENT_M - 2500.0),
                y: rng.uniform(2500.0, EXTENT_M - 2500.0),
            };
            (c, rng.uniform(500.0, 1600.0))
        })
        .collect();
    let specs = [
        (
            "street_green",
            n_street,
            (200.0, 5000.0),
            (6, 20),
            0.90,
            0.35,
        ),
        (
            "leisure",
            n_leisure,
            (5000.0, 50_000.0),
            (10, 60),
            0.97,
            0.30,
        ),
        (
            "park",
            n_park,
            (50_000.0, 3_000_000.0),
            (50, 2000),
            0.85,
            0.35,
        ),
    ];
    let mut out = Vec::with_capacity(n_street + n_leisure + n_park);
    for (cat, count, (amin, amax), (vmin, vmax), p_cluster, rough) in specs {
        for _ in 0..count {
            let c = loop {
                let c = if rng.uniform(0.0, 1.0) < p_cluster {
                    let (cc, sig) = clusters[rng.int(0, 8) as usize];
                    Coord {
                        x: cc.x + sig * rng.normal(),
                        y: cc.y + sig * rng.normal(),
                    }
                } else {
                    Coord {
                        x: rng.uniform(0.0, EXTENT_M),
                        y: rng.uniform(0.0, EXTENT_M),
                    }
                };
                if (0.0..=EXTENT_M).contains(&c.x) && (0.0..=EXTENT_M).contains(&c.y) {
                    break Coord {
                        x: ORIGIN.0 + c.x,
                        y: ORIGIN.1 + c.y,
                    };
                }
            };
            let area = rng.uniform(f64::ln(amin), f64::ln(amax)).exp();
            let n = if cat == "park" {
                rng.uniform(f64::ln(vmin as f64), f64::ln(vmax as f64))
                    .exp()
                    .round() as usize
            } else {
                rng.int(vmin, vmax) as usize
            };
            let (shell, rin) = star_ring(&mut rng, c, n, area, rough);
            let holes = if cat == "park" && rng.uniform(0.0, 1.0) < 0.30 {
                park_holes(&mut rng, c, rin)
            } else {
                Vec::new()
            };
            out.push((cat, Polygon::new(LineString(shell), holes)));
        }
    }
    out
}

fn feature(
    i: usize,
    cat: &str,
    p: &Polygon<f64>,
    f: &dyn Fn(Coord) -> Result<Coord, Error>,
) -> Result<String, Error> {
    let mut rings = Vec::new();
    for r in std::iter::once(p.exterior()).chain(p.interiors()) {
        let mut s = String::from("[");
        for (k, c) in r.0.iter().enumerate() {
            let c = f(*c)?;
            let _ = write!(s, "{}[{},{}]", if k > 0 { "," } else { "" }, c.x, c.y);
        }
        rings.push(s + "]");
    }
    Ok(format!(
        r#"{{"type":"Feature","properties":{{"id":{i},"category":"{cat}"}},"geometry":{{"type":"Polygon","coordinates":[{}]}}}}"#,
        rings.join(",")
    ))
}

fn write_fc(path: &Path, crs: Option<&str>, features: &[String]) -> Result<(), Error> {
    let head = match crs {
        Some(c) => format!(
            r#"{{"type":"FeatureCollection","crs":{{"type":"name","properties":{{"name":"{c}"}}}},"features":["#
        ),
        None => r#"{"type":"FeatureCollection","features":["#.to_string(),
    };
    let text = format!("{head}\n{}\n]}}\n", features.join(",\n"));
    greenreach::io::atomic::write_file(path, text.as_bytes()).map_err(|source| Error::Output {
        path: path.to_path_buf(),
        source,
    })
}

/// Write `polygons_utm48n.geojson` (with a legacy crs member), `polygons_wgs84.geojson` and
/// `extent_wgs84.geojson` into `dir`; returns the number of polygons.
pub fn write_city(dir: &Path, seed: u64, counts: (usize, usize, usize)) -> Result<usize, Error> {
    std::fs::create_dir_all(dir).map_err(|source| Error::Output {
        path: dir.to_path_buf(),
        source,
    })?;
    let polys = city(seed, counts.0, counts.1, counts.2);
    let utm = SourceCrs::from_epsg(32648).expect("UTM 48N is known");
    let SourceCrs::Projected { proj, .. } = utm else {
        unreachable!()
    };
    let src = proj4rs::proj::Proj::from_proj_string(&proj).expect("static proj string");
    let dst = proj4rs::proj::Proj::from_proj_string("+proj=longlat +ellps=WGS84 +no_defs")
        .expect("static proj string");
    let to_wgs84 = |c: Coord| -> Result<Coord, Error> {
        let mut p = (c.x, c.y, 0.0);
        proj4rs::transform::transform(&src, &dst, &mut p)
            .map_err(|e| Error::Config(format!("projection failed: {e}")))?;
        Ok(Coord {
            x: (p.0.to_degrees() * 1e9).round() / 1e9,
            y: (p.1.to_degrees() * 1e9).round() / 1e9,
        })
    };
    let same = |c: Coord| -> Result<Coord, Error> { Ok(c) };
    let f_utm = polys
        .iter()
        .enumerate()
        .map(|(i, (c, p))| feature(i, c, p, &same))
        .collect::<Result<Vec<_>, _>>()?;
    write_fc(
        &dir.join("polygons_utm48n.geojson"),
        Some("urn:ogc:def:crs:EPSG::32648"),
        &f_utm,
    )?;
    let f_wgs = polys
        .iter()
        .enumerate()
        .map(|(i, (c, p))| feature(i, c, p, &to_wgs84))
        .collect::<Result<Vec<_>, _>>()?;
    write_fc(&dir.join("polygons_wgs84.geojson"), None, &f_wgs)?;
    // The extent, its edges densified every 500 m so that it stays square on any plane.
    let mut ring = Vec::new();
    let steps = (EXTENT_M / 500.0) as usize;
    for (dx, dy, sx, sy) in [
        (0.0, 0.0, 1.0, 0.0),
        (EXTENT_M, 0.0, 0.0, 1.0),
        (EXTENT_M, EXTENT_M, -1.0, 0.0),
        (0.0, EXTENT_M, 0.0, -1.0),
    ] {
        for k in 0..steps {
            let t = k as f64 * 500.0;
            ring.push(Coord {
                x: ORIGIN.0 + dx + sx * t,
                y: ORIGIN.1 + dy + sy * t,
            });
        }
    }
    ring.push(ring[0]);
    let extent = Polygon::new(LineString(ring), vec![]);
    write_fc(
        &dir.join("extent_wgs84.geojson"),
        None,
        &[feature(0, "extent", &extent, &to_wgs84)?],
    )?;
    Ok(polys.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Area, Validation};

    #[test]
    fn city_is_deterministic_valid_and_shaped_like_the_kit() {
        let a = city(7, 300, 80, 12);
        assert_eq!(a, city(7, 300, 80, 12));
        assert_eq!(a.len(), 392);
        for (cat, p) in &a {
            assert!(p.is_valid(), "{cat}: {:?}", p.check_validation());
            let area = p.exterior().0.len();
            assert!(area >= 7);
        }
        let parks: Vec<&Polygon<f64>> = a
            .iter()
            .filter(|(c, _)| *c == "park")
            .map(|(_, p)| p)
            .collect();
        assert!(parks.iter().all(|p| p.unsigned_area() > 40_000.0));
        let streets = a.iter().filter(|(c, _)| *c == "street_green");
        assert!(
            streets
                .map(|(_, p)| p.unsigned_area())
                .all(|s| (150.0..6000.0).contains(&s))
        );
    }
}
