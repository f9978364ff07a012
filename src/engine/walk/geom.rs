//! Small plane-geometry helpers for the network: segment intersection, projection of a point
//! onto a segment, points every so many metres along a line.

use geo::Coord;

/// Relative tolerance for intersection parameters.
const EPS: f64 = 1e-9;

fn cross(a: Coord, b: Coord) -> f64 {
    a.x * b.y - a.y * b.x
}

/// The lower-left and upper-right corners of the box of `a`–`b`.
pub(super) fn corners(a: Coord, b: Coord) -> (Coord, Coord) {
    (
        Coord {
            x: a.x.min(b.x),
            y: a.y.min(b.y),
        },
        Coord {
            x: a.x.max(b.x),
            y: a.y.max(b.y),
        },
    )
}

/// Parameters `t` in [0, 1] along `p0`–`p1` where it meets `q0`–`q1` (crossing, touching or,
/// when collinear, the two ends of the overlap).
pub(super) fn intersections(p0: Coord, p1: Coord, q0: Coord, q1: Coord) -> Vec<f64> {
    let r = p1 - p0;
    let s = q1 - q0;
    let qp = q0 - p0;
    let denom = cross(r, s);
    let scale = (r.x.abs() + r.y.abs()) * (s.x.abs() + s.y.abs());
    if scale == 0.0 {
        return Vec::new();
    }
    if denom.abs() > EPS * scale {
        let t = cross(qp, s) / denom;
        let u = cross(qp, r) / denom;
        if (-EPS..=1.0 + EPS).contains(&t) && (-EPS..=1.0 + EPS).contains(&u) {
            return vec![t.clamp(0.0, 1.0)];
        }
        return Vec::new();
    }
    // Parallel: only collinear overlaps count.
    let rr = r.x * r.x + r.y * r.y;
    if cross(qp, r).abs() > EPS * (rr.sqrt() * (qp.x.abs() + qp.y.abs()).max(1.0)) {
        return Vec::new();
    }
    let t0 = (qp.x * r.x + qp.y * r.y) / rr;
    let q1p = q1 - p0;
    let t1 = (q1p.x * r.x + q1p.y * r.y) / rr;
    let (lo, hi) = (t0.min(t1).max(0.0), t0.max(t1).min(1.0));
    if lo > hi + EPS {
        Vec::new()
    } else if hi - lo <= EPS {
        vec![lo.clamp(0.0, 1.0)]
    } else {
        vec![lo, hi]
    }
}

/// The parameter in [0, 1] of the point of `a`–`b` nearest to `p`, and the squared distance.
pub(super) fn project(a: Coord, b: Coord, p: Coord) -> (f64, f64) {
    let d = b - a;
    let len2 = d.x * d.x + d.y * d.y;
    let t = if len2 > 0.0 {
        (((p.x - a.x) * d.x + (p.y - a.y) * d.y) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let e = Coord {
        x: a.x + t * d.x - p.x,
        y: a.y + t * d.y - p.y,
    };
    (t, e.x * e.x + e.y * e.y)
}

/// Points every `step` (plane units) along a line, starting at its first vertex; the last
/// vertex is added for open lines.
pub(super) fn samples(line: &[Coord], step: f64, closed: bool) -> Vec<Coord> {
    let mut out = Vec::new();
    let Some(&first) = line.first() else {
        return out;
    };
    out.push(first);
    let mut next = step;
    let mut walked = 0.0;
    for w in line.windows(2) {
        let (a, b) = (w[0], w[1]);
        let len = ((b.x - a.x).powi(2) + (b.y - a.y).powi(2)).sqrt();
        while len > 0.0 && next <= walked + len {
            let t = (next - walked) / len;
            out.push(Coord {
                x: a.x + t * (b.x - a.x),
                y: a.y + t * (b.y - a.y),
            });
            next += step;
        }
        walked += len;
    }
    if !closed && line.len() > 1 {
        let last = line[line.len() - 1];
        if out.last() != Some(&last) {
            out.push(last);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::coord;

    #[test]
    fn crossing_touching_parallel() {
        let o = coord! {x: 0., y: 0.};
        let t = intersections(
            o,
            coord! {x: 10., y: 0.},
            coord! {x: 5., y: -1.},
            coord! {x: 5., y: 1.},
        );
        assert_eq!(t, vec![0.5]);
        let t = intersections(
            o,
            coord! {x: 10., y: 0.},
            coord! {x: 10., y: 0.},
            coord! {x: 10., y: 5.},
        );
        assert_eq!(t, vec![1.0]);
        let t = intersections(
            o,
            coord! {x: 10., y: 0.},
            coord! {x: 0., y: 1.},
            coord! {x: 10., y: 1.},
        );
        assert!(t.is_empty());
        let t = intersections(
            o,
            coord! {x: 10., y: 0.},
            coord! {x: 2., y: 0.},
            coord! {x: 4., y: 0.},
        );
        assert_eq!(t, vec![0.2, 0.4]);
        let t = intersections(
            o,
            coord! {x: 10., y: 0.},
            coord! {x: 11., y: -1.},
            coord! {x: 11., y: 1.},
        );
        assert!(t.is_empty());
    }

    #[test]
    fn samples_every_step() {
        let l = [coord! {x: 0., y: 0.}, coord! {x: 50., y: 0.}];
        let s = samples(&l, 20.0, false);
        let xs: Vec<f64> = s.iter().map(|c| c.x).collect();
        assert_eq!(xs, vec![0., 20., 40., 50.]);
    }
}
