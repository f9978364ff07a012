//! The `.shp` / `.shx` pair: record offsets from the index, shapes from the main file.
//! Polygon rings are nested by containment (largest first), so files with either ring
//! orientation read the same.

use geo::{Coord, Geometry, LineString, MultiLineString, MultiPoint, MultiPolygon, Point, Polygon};

/// One record's shape, or `None` for a null shape.
pub(crate) type Shape = Option<Geometry<f64>>;

/// Byte offset and content length of every record, from the `.shx` index.
pub(crate) fn index(shx: &[u8]) -> Result<Vec<(usize, usize)>, String> {
    header(shx)?;
    let body = &shx[100..];
    if !body.len().is_multiple_of(8) {
        return Err(format!(
            "the index is {} bytes, not 100 + 8 per record: it is truncated",
            shx.len()
        ));
    }
    Ok(body
        .chunks_exact(8)
        .map(|c| {
            let off = u32::from_be_bytes([c[0], c[1], c[2], c[3]]) as usize * 2;
            let len = u32::from_be_bytes([c[4], c[5], c[6], c[7]]) as usize * 2;
            (off, len)
        })
        .collect())
}

/// Check the 100-byte header shared by `.shp` and `.shx`; the shape type.
pub(crate) fn header(b: &[u8]) -> Result<i32, String> {
    if b.len() < 100 {
        return Err(format!(
            "is {} bytes, shorter than the 100-byte header: not a shapefile, or truncated",
            b.len()
        ));
    }
    if i32::from_be_bytes([b[0], b[1], b[2], b[3]]) != 9994 {
        return Err("does not start with the shapefile code 9994: not a shapefile".into());
    }
    Ok(i32::from_le_bytes([b[32], b[33], b[34], b[35]]))
}

/// The shape of record `i` at `(offset, len)` of `shp`.
pub(crate) fn shape(shp: &[u8], i: usize, (off, len): (usize, usize)) -> Result<Shape, String> {
    let end = off
        .checked_add(8)
        .and_then(|s| s.checked_add(len))
        .filter(|&e| e <= shp.len() && off >= 100)
        .ok_or_else(|| {
            format!(
                "record {} lies beyond the end of the .shp file ({} bytes): the file is truncated",
                i + 1,
                shp.len()
            )
        })?;
    let mut r = Cursor {
        b: &shp[off + 8..end],
        i: 0,
    };
    let kind = r.i32()?;
    let g = match kind {
        0 => return Ok(None),
        1 | 11 | 21 => Geometry::Point(Point(r.coord()?)),
        8 | 18 | 28 => {
            r.skip(32)?;
            let n = r.count()?;
            let pts = (0..n)
                .map(|_| r.coord().map(Point))
                .collect::<Result<_, _>>()?;
            Geometry::MultiPoint(MultiPoint(pts))
        }
        3 | 13 | 23 | 5 | 15 | 25 => {
            r.skip(32)?;
            let parts = r.count()?;
            let n = r.count()?;
            let starts = (0..parts)
                .map(|_| r.count())
                .collect::<Result<Vec<_>, _>>()?;
            let coords = (0..n).map(|_| r.coord()).collect::<Result<Vec<_>, _>>()?;
            let mut lines = Vec::with_capacity(parts);
            for (k, &s) in starts.iter().enumerate() {
                let e = starts.get(k + 1).copied().unwrap_or(n);
                if s > e || e > n {
                    return Err(format!("part {k} has bad bounds ({s}..{e} of {n} points)"));
                }
                lines.push(coords[s..e].to_vec());
            }
            if matches!(kind, 5 | 15 | 25) {
                polygons(lines)?
            } else {
                for (k, l) in lines.iter().enumerate() {
                    if l.len() < 2 {
                        return Err(format!(
                            "part {k} has {} point(s); a line needs at least 2",
                            l.len()
                        ));
                    }
                }
                Geometry::MultiLineString(MultiLineString(
                    lines.into_iter().map(LineString).collect(),
                ))
            }
        }
        31 => return Err("MultiPatch shapes are not supported".into()),
        k => return Err(format!("unknown shape type {k}")),
    };
    Ok(Some(g))
}

struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], String> {
        let s = self.b.get(self.i..self.i + n).ok_or(
            "the record is shorter than its shape needs: the file is corrupt or truncated",
        )?;
        self.i += n;
        Ok(s)
    }
    fn skip(&mut self, n: usize) -> Result<(), String> {
        self.take(n).map(|_| ())
    }
    fn i32(&mut self) -> Result<i32, String> {
        let s = self.take(4)?;
        Ok(i32::from_le_bytes([s[0], s[1], s[2], s[3]]))
    }
    fn count(&mut self) -> Result<usize, String> {
        let v = self.i32()?;
        let n = usize::try_from(v).map_err(|_| format!("a count is negative ({v})"))?;
        if n > self.b.len() {
            return Err(format!("a count ({n}) exceeds the record's size"));
        }
        Ok(n)
    }
    fn f64(&mut self) -> Result<f64, String> {
        let s = self.take(8)?;
        Ok(f64::from_le_bytes(s.try_into().expect("8 bytes")))
    }
    fn coord(&mut self) -> Result<Coord, String> {
        let x = self.f64()?;
        let y = self.f64()?;
        if !x.is_finite() || !y.is_finite() {
            return Err("a coordinate is not a finite number".into());
        }
        Ok(Coord { x, y })
    }
}

fn signed_area(r: &[Coord]) -> f64 {
    r.windows(2)
        .map(|w| w[0].x * w[1].y - w[1].x * w[0].y)
        .sum::<f64>()
        / 2.0
}

fn inside(p: Coord, ring: &[Coord]) -> bool {
    let mut c = false;
    for w in ring.windows(2) {
        let (a, b) = (w[0], w[1]);
        if (a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x {
            c = !c;
        }
    }
    c
}

/// Rings nested by containment: even depth is a shell, odd depth a hole of its container.
fn polygons(rings: Vec<Vec<Coord>>) -> Result<Geometry<f64>, String> {
    for (k, r) in rings.iter().enumerate() {
        if r.len() < 4 {
            return Err(format!(
                "ring {k} has {} point(s); a polygon ring needs at least 4 (closed)",
                r.len()
            ));
        }
        if r[0] != r[r.len() - 1] {
            return Err(format!(
                "ring {k} is not closed: its last point must equal its first"
            ));
        }
    }
    let mut order: Vec<usize> = (0..rings.len()).collect();
    order.sort_by(|&a, &b| {
        signed_area(&rings[b])
            .abs()
            .total_cmp(&signed_area(&rings[a]).abs())
    });
    // For each placed ring: its depth and the shell (index into `shells`) it belongs to.
    let mut placed: Vec<(usize, usize, usize)> = Vec::new(); // (ring, depth, shell)
    let mut shells: Vec<(usize, Vec<usize>)> = Vec::new();
    for &r in &order {
        let p = rings[r][0];
        let container = placed
            .iter()
            .rev()
            .find(|&&(q, _, _)| inside(p, &rings[q]))
            .copied();
        match container {
            Some((_, d, s)) if d % 2 == 0 => {
                shells[s].1.push(r);
                placed.push((r, d + 1, s));
            }
            Some((_, d, _)) => {
                shells.push((r, Vec::new()));
                placed.push((r, d + 1, shells.len() - 1));
            }
            None => {
                shells.push((r, Vec::new()));
                placed.push((r, 0, shells.len() - 1));
            }
        }
    }
    let mut polys: Vec<Polygon> = shells
        .into_iter()
        .map(|(s, holes)| {
            Polygon::new(
                LineString(rings[s].clone()),
                holes
                    .into_iter()
                    .map(|h| LineString(rings[h].clone()))
                    .collect(),
            )
        })
        .collect();
    Ok(if polys.len() == 1 {
        Geometry::Polygon(polys.pop().expect("one"))
    } else {
        Geometry::MultiPolygon(MultiPolygon(polys))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ring(x0: f64, y0: f64, s: f64, cw: bool) -> Vec<Coord> {
        let mut v = vec![
            Coord { x: x0, y: y0 },
            Coord { x: x0 + s, y: y0 },
            Coord {
                x: x0 + s,
                y: y0 + s,
            },
            Coord { x: x0, y: y0 + s },
            Coord { x: x0, y: y0 },
        ];
        if cw {
            v.reverse();
        }
        v
    }

    #[test]
    fn rings_nest_by_containment_whatever_their_orientation() {
        for cw in [false, true] {
            let g = polygons(vec![
                ring(1.0, 1.0, 1.0, !cw),
                ring(0.0, 0.0, 10.0, cw),
                ring(20.0, 0.0, 1.0, cw),
                ring(1.2, 1.2, 0.5, cw),
            ])
            .unwrap();
            let Geometry::MultiPolygon(mp) = g else {
                panic!()
            };
            assert_eq!(mp.0.len(), 3, "shell, far shell, island in the hole");
            assert_eq!(mp.0[0].interiors().len(), 1);
        }
        assert!(polygons(vec![ring(0.0, 0.0, 1.0, false)[..3].to_vec()]).is_err());
    }
}
