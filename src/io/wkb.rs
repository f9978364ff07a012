//! Well-known binary (ISO and EWKB flavours, 2D/Z/M/ZM; Z and M dropped) to `geo`, and the
//! little-endian WKB point the per-point writers emit.

use geo::{Coord, Geometry, LineString, MultiLineString, MultiPoint, MultiPolygon, Point, Polygon};

/// A little-endian WKB point.
pub(crate) fn point(x: f64, y: f64) -> [u8; 21] {
    let mut b = [0u8; 21];
    b[0] = 1; // little endian
    b[1..5].copy_from_slice(&1u32.to_le_bytes()); // Point
    b[5..13].copy_from_slice(&x.to_le_bytes());
    b[13..21].copy_from_slice(&y.to_le_bytes());
    b
}

/// Parse one WKB geometry; the bytes after it are ignored.
pub(crate) fn parse(b: &[u8]) -> Result<Geometry<f64>, String> {
    let mut r = R { b, i: 0, le: true };
    geometry(&mut r, 0)
}

struct R<'a> {
    b: &'a [u8],
    i: usize,
    le: bool,
}

impl R<'_> {
    fn bytes<const N: usize>(&mut self) -> Result<[u8; N], String> {
        let s = self
            .b
            .get(self.i..self.i + N)
            .ok_or("the WKB is truncated")?;
        self.i += N;
        Ok(s.try_into().expect("N bytes"))
    }
    fn u32(&mut self) -> Result<u32, String> {
        let b = self.bytes::<4>()?;
        Ok(if self.le {
            u32::from_le_bytes(b)
        } else {
            u32::from_be_bytes(b)
        })
    }
    fn f64(&mut self) -> Result<f64, String> {
        let b = self.bytes::<8>()?;
        Ok(if self.le {
            f64::from_le_bytes(b)
        } else {
            f64::from_be_bytes(b)
        })
    }
    fn count(&mut self) -> Result<usize, String> {
        let n = self.u32()? as usize;
        if n > self.b.len() {
            return Err(format!("a count ({n}) exceeds the WKB's size"));
        }
        Ok(n)
    }
}

/// The byte order and type of the next geometry: its base type (1–7) and how many ordinates
/// beyond x and y each position has (Z, M; ISO and EWKB flags alike).
fn header(r: &mut R) -> Result<(u32, usize), String> {
    r.le = match r.bytes::<1>()?[0] {
        0 => false,
        1 => true,
        b => return Err(format!("bad WKB byte order {b}")),
    };
    let raw = r.u32()?;
    let (ez, em) = (raw & 0x8000_0000 != 0, raw & 0x4000_0000 != 0);
    if raw & 0x2000_0000 != 0 {
        r.bytes::<4>()?; // EWKB SRID
    }
    let t = raw & 0x0FFF_FFFF;
    if t / 1000 > 3 {
        return Err(format!("WKB geometry type {t} is not supported"));
    }
    let (iz, im) = (matches!(t / 1000, 1 | 3), matches!(t / 1000, 2 | 3));
    Ok((t % 1000, usize::from(ez || iz) + usize::from(em || im)))
}

fn finite(cs: &[Coord]) -> bool {
    cs.iter().all(|c| c.x.is_finite() && c.y.is_finite())
}

impl R<'_> {
    /// A position, its `extra` ordinates dropped.
    fn coord(&mut self, extra: usize) -> Result<Coord, String> {
        let x = self.f64()?;
        let y = self.f64()?;
        for _ in 0..extra {
            self.f64()?;
        }
        Ok(Coord { x, y })
    }

    fn line(&mut self, extra: usize) -> Result<Vec<Coord>, String> {
        let n = self.count()?;
        (0..n).map(|_| self.coord(extra)).collect()
    }

    /// A polygon with closed rings of at least 4 finite positions; `None` when it has none.
    fn polygon(&mut self, extra: usize) -> Result<Option<Polygon>, String> {
        let n = self.count()?;
        let rings = (0..n)
            .map(|_| self.line(extra))
            .collect::<Result<Vec<_>, _>>()?;
        for (k, ring) in rings.iter().enumerate() {
            if ring.len() < 4 {
                return Err(format!(
                    "ring {k} has {} position(s); a polygon ring needs at least 4 (closed)",
                    ring.len()
                ));
            }
            if ring[0] != ring[ring.len() - 1] {
                return Err(format!(
                    "ring {k} is not closed: its last position must equal its first"
                ));
            }
            if !finite(ring) {
                return Err("a coordinate is not a finite number".into());
            }
        }
        let mut it = rings.into_iter().map(LineString);
        Ok(it.next().map(|e| Polygon::new(e, it.collect())))
    }
}

/// A multi-geometry of `base` type (4, 5 or 6) from its parts; empty parts are dropped.
fn collection(base: u32, parts: Vec<Geometry<f64>>) -> Result<Geometry<f64>, String> {
    Ok(match base {
        4 => Geometry::MultiPoint(MultiPoint(
            parts
                .into_iter()
                .filter_map(|g| match g {
                    Geometry::Point(p) => Some(Ok(p)),
                    Geometry::MultiPoint(m) if m.0.is_empty() => None,
                    _ => Some(Err("a MultiPoint holds a non-point".to_string())),
                })
                .collect::<Result<_, _>>()?,
        )),
        5 => Geometry::MultiLineString(MultiLineString(
            parts
                .into_iter()
                .map(|g| match g {
                    Geometry::LineString(l) => Ok(l),
                    _ => Err("a MultiLineString holds a non-line".to_string()),
                })
                .collect::<Result<_, _>>()?,
        )),
        _ => {
            let mut ps = Vec::new();
            for g in parts {
                match g {
                    Geometry::Polygon(p) => ps.push(p),
                    Geometry::MultiPolygon(m) if m.0.is_empty() => {}
                    _ => return Err("a MultiPolygon holds a non-polygon".into()),
                }
            }
            Geometry::MultiPolygon(MultiPolygon(ps))
        }
    })
}

fn geometry(r: &mut R, depth: usize) -> Result<Geometry<f64>, String> {
    if depth > 4 {
        return Err("the WKB nests too deep".into());
    }
    let (base, extra) = header(r)?;
    let g = match base {
        1 => {
            let c = r.coord(extra)?;
            if c.x.is_nan() && c.y.is_nan() {
                Geometry::MultiPoint(MultiPoint(vec![]))
            } else if !finite(&[c]) {
                return Err("a coordinate is not a finite number".into());
            } else {
                Geometry::Point(Point(c))
            }
        }
        2 => {
            let cs = r.line(extra)?;
            if !finite(&cs) {
                return Err("a coordinate is not a finite number".into());
            }
            Geometry::LineString(LineString(cs))
        }
        3 => match r.polygon(extra)? {
            Some(p) => Geometry::Polygon(p),
            None => Geometry::MultiPolygon(MultiPolygon(vec![])),
        },
        4..=6 => {
            let n = r.count()?;
            let parts = (0..n)
                .map(|_| geometry(r, depth + 1))
                .collect::<Result<Vec<_>, _>>()?;
            collection(base, parts)?
        }
        7 => return Err("GeometryCollection is not supported; split it into Point, LineString or Polygon features".into()),
        k => return Err(format!("WKB geometry type {k} is not supported")),
    };
    Ok(g)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn point_and_polygon_both_byte_orders() {
        let mut p = vec![1u8];
        p.extend(1u32.to_le_bytes());
        p.extend(2.5f64.to_le_bytes());
        p.extend(3.5f64.to_le_bytes());
        assert_eq!(parse(&p).unwrap(), Geometry::Point(Point::new(2.5, 3.5)));
        let mut q = vec![0u8];
        q.extend(3u32.to_be_bytes());
        q.extend(1u32.to_be_bytes());
        q.extend(4u32.to_be_bytes());
        for (x, y) in [(0.0f64, 0.0f64), (1.0, 0.0), (1.0, 1.0), (0.0, 0.0)] {
            q.extend(x.to_be_bytes());
            q.extend(y.to_be_bytes());
        }
        assert!(matches!(parse(&q).unwrap(), Geometry::Polygon(_)));
        assert!(parse(&q[..20]).is_err());
    }
}
