//! Regular grids: the lattice, the area it covers, and streaming evaluation.
//!
//! Flags-only runs (`--summary-only`) never hold the points: the lattice is cut into tiles,
//! and a tile whose points all lie inside the area and all meet (or all miss) a tier — proved
//! by one disc test around its centre ([`Reach::decide_disc`]) — is counted whole. Other tiles
//! split in four down to a few points, which are evaluated one by one, so the counts are those
//! of the per-point path exactly. Runs with a per-point file evaluate every point with
//! distances, band of rows by band of rows, and hand each band to a writer in row-major order.

use geo::{Coord, MultiPolygon, Rect};
use rayon::prelude::*;

use crate::engine::coverage::{Coverage, Detail, EvalSettings, evaluate};
use crate::engine::index::TierIndex;
use crate::engine::reach::Reach;
use crate::engine::tally::Tally;

/// Largest grid lattice (columns × rows) accepted.
pub const MAX_GRID_CELLS: u64 = 1_000_000_000;

/// Too many grid cells for one run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error(
    "a {spacing_m} m grid over this extent has {cells} cells (limit {MAX_GRID_CELLS}): use a larger spacing or a smaller area"
)]
pub struct GridTooLarge {
    /// Spacing asked for.
    pub spacing_m: f64,
    /// Lattice size.
    pub cells: u64,
}

/// Kept grid cells in row-major order: cell numbers (`j · nx + i`) and plane centres.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Cells {
    /// Cell numbers.
    pub ids: Vec<u64>,
    /// Cell centres, plane metres.
    pub xy: Vec<Coord>,
}

impl Cells {
    /// Number of cells.
    pub fn len(&self) -> usize {
        self.xy.len()
    }

    /// True when no cell is kept.
    pub fn is_empty(&self) -> bool {
        self.xy.is_empty()
    }
}

/// A lattice of cell centres.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GridSpec {
    /// Spacing, metres.
    pub spacing_m: f64,
    /// Centre of cell (0, 0), plane metres.
    pub first: Coord,
    /// Columns.
    pub nx: u64,
    /// Rows (south to north).
    pub ny: u64,
}

impl GridSpec {
    /// Cells of `spacing_m` covering `extent`; cell `(i, j)` has centre
    /// `(min.x + spacing/2 + i·spacing, min.y + spacing/2 + j·spacing)`.
    pub fn over(spacing_m: f64, extent: Rect<f64>) -> Result<Self, GridTooLarge> {
        let nx = ((extent.width() / spacing_m).ceil() as u64).max(1);
        let ny = ((extent.height() / spacing_m).ceil() as u64).max(1);
        let cells = nx.saturating_mul(ny);
        if cells > MAX_GRID_CELLS {
            return Err(GridTooLarge { spacing_m, cells });
        }
        Ok(Self {
            spacing_m,
            first: Coord {
                x: extent.min().x + spacing_m / 2.0,
                y: extent.min().y + spacing_m / 2.0,
            },
            nx,
            ny,
        })
    }

    /// Centre of cell `(i, j)`.
    pub fn centre(&self, i: u64, j: u64) -> Coord {
        Coord {
            x: self.first.x + i as f64 * self.spacing_m,
            y: self.first.y + j as f64 * self.spacing_m,
        }
    }
}

/// Which cell centres a grid keeps: those inside the area polygons, or all without any.
#[derive(Debug)]
pub struct AreaMask {
    index: Option<TierIndex>,
}

impl AreaMask {
    /// A mask over `areas` (plane metres); `None` keeps everything.
    pub fn new(areas: Option<&[MultiPolygon<f64>]>) -> Self {
        Self {
            index: areas.map(|a| {
                let g: Vec<geo::Geometry<f64>> =
                    a.iter().cloned().map(geo::Geometry::MultiPolygon).collect();
                TierIndex::build(g.iter().enumerate().map(|(i, g)| (i as u32, g)))
            }),
        }
    }

    /// Is `p` in the interior of an area polygon?
    pub fn keeps(&self, p: Coord) -> bool {
        self.index
            .as_ref()
            .is_none_or(|x| x.containing(p).is_some())
    }

    /// `Some(true)` when every point within `delta` of `c` is kept, `Some(false)` when none is.
    pub fn state(&self, c: Coord, delta: f64) -> Option<bool> {
        let Some(x) = &self.index else {
            return Some(true);
        };
        let d = x.boundary_distance_2(c).sqrt();
        (d > delta + 1e-6).then(|| x.containing(c).is_some())
    }

    /// The kept cells of row `j`: ids and centres.
    pub fn row(&self, spec: &GridSpec, j: u64) -> (Vec<u64>, Vec<Coord>) {
        let mut ids = Vec::new();
        let mut xy = Vec::new();
        for i in 0..spec.nx {
            let c = spec.centre(i, j);
            if self.keeps(c) {
                ids.push(j * spec.nx + i);
                xy.push(c);
            }
        }
        (ids, xy)
    }
}

/// Every kept point of a grid, in row-major order (the in-memory path).
pub fn points(spec: &GridSpec, mask: &AreaMask) -> Cells {
    let rows: Vec<(Vec<u64>, Vec<Coord>)> = (0..spec.ny)
        .into_par_iter()
        .map(|j| mask.row(spec, j))
        .collect();
    let n = rows.iter().map(|r| r.0.len()).sum();
    let mut ids = Vec::with_capacity(n);
    let mut xy = Vec::with_capacity(n);
    for (i, c) in rows {
        ids.extend(i);
        xy.extend(c);
    }
    Cells { ids, xy }
}

/// Side of the top-level tiles, in cells.
const TILE: u64 = 64;
/// Tiles of at most this many cells are evaluated point by point.
const LEAF: u64 = 16;

/// Count the kept points meeting each tier, tile by tile. `progress` receives cells done.
pub fn tally_flags(
    spec: &GridSpec,
    mask: &AreaMask,
    reach: &dyn Reach,
    progress: &(dyn Fn(u64) + Sync),
) -> Tally<usize> {
    let tiers = reach.tier_count();
    let (tx, ty) = (spec.nx.div_ceil(TILE), spec.ny.div_ceil(TILE));
    (0..tx * ty)
        .into_par_iter()
        .map(|t| {
            let (i0, j0) = ((t % tx) * TILE, (t / tx) * TILE);
            let (i1, j1) = ((i0 + TILE).min(spec.nx), (j0 + TILE).min(spec.ny));
            let mut tally = Tally::new(tiers);
            quad(spec, mask, reach, (i0, i1, j0, j1), None, &mut tally);
            progress((i1 - i0) * (j1 - j0));
            tally
        })
        .reduce(
            || Tally::new(tiers),
            |mut a, b| {
                a.merge(&b);
                a
            },
        )
}

fn quad(
    spec: &GridSpec,
    mask: &AreaMask,
    reach: &dyn Reach,
    (i0, i1, j0, j1): (u64, u64, u64, u64),
    inside: Option<bool>,
    tally: &mut Tally<usize>,
) {
    let n = (i1 - i0) * (j1 - j0);
    if n == 0 {
        return;
    }
    let (a, b) = (spec.centre(i0, j0), spec.centre(i1 - 1, j1 - 1));
    let c = Coord {
        x: (a.x + b.x) / 2.0,
        y: (a.y + b.y) / 2.0,
    };
    let delta = 0.5 * ((b.x - a.x).powi(2) + (b.y - a.y).powi(2)).sqrt();
    let inside = match inside {
        Some(true) => Some(true),
        _ => mask.state(c, delta),
    };
    if inside == Some(false) {
        return;
    }
    let tiers = reach.tier_count();
    let states: Vec<Option<bool>> = (0..tiers).map(|t| reach.decide_disc(t, c, delta)).collect();
    let decided: Option<Vec<bool>> = states.iter().copied().collect();
    match (&decided, inside) {
        (Some(flags), Some(true)) => return tally.add(n as usize, flags.iter().copied()),
        _ if n > LEAF => {
            let (im, jm) = ((i0 + i1).div_ceil(2), (j0 + j1).div_ceil(2));
            let known = inside.filter(|&k| k);
            for q in [
                (i0, im, j0, jm),
                (im, i1, j0, jm),
                (i0, im, jm, j1),
                (im, i1, jm, j1),
            ] {
                quad(spec, mask, reach, q, known, tally);
            }
            return;
        }
        _ => {}
    }
    let mut flags = vec![false; tiers];
    for j in j0..j1 {
        for i in i0..i1 {
            let p = spec.centre(i, j);
            if inside != Some(true) && !mask.keeps(p) {
                continue;
            }
            match &decided {
                Some(d) => flags.copy_from_slice(d),
                None => {
                    for (t, f) in flags.iter_mut().enumerate() {
                        *f = states[t].unwrap_or_else(|| reach.within(t, p));
                    }
                }
            }
            tally.add(1, flags.iter().copied());
        }
    }
}

/// Evaluate every kept point with distances, `band_rows` rows at a time, handing each band
/// (its points in row-major order and their results) to `sink` before the next is computed.
pub fn stream_bands<E>(
    spec: &GridSpec,
    mask: &AreaMask,
    reach: &dyn Reach,
    limit_m: f64,
    band_rows: u64,
    progress: &(dyn Fn(u64) + Sync),
    mut sink: impl FnMut(Cells, Coverage) -> Result<(), E>,
) -> Result<(), E> {
    let settings = EvalSettings {
        limit_m,
        detail: Detail::Distances,
    };
    let mut j0 = 0;
    while j0 < spec.ny {
        let j1 = (j0 + band_rows).min(spec.ny);
        let rows: Vec<(Vec<u64>, Vec<Coord>)> = (j0..j1)
            .into_par_iter()
            .map(|j| mask.row(spec, j))
            .collect();
        let (mut ids, mut xy) = (Vec::new(), Vec::new());
        for (i, c) in rows {
            ids.extend(i);
            xy.extend(c);
        }
        let coverage = evaluate(reach, &xy, &settings, &|_| {});
        progress((j1 - j0) * spec.nx);
        sink(Cells { ids, xy }, coverage)?;
        j0 = j1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{coord, polygon};

    #[test]
    fn lattice_is_row_major_from_the_south_west() {
        let spec = GridSpec::over(
            10.0,
            Rect::new(coord! { x: 0., y: 0. }, coord! { x: 30., y: 20. }),
        )
        .unwrap();
        assert_eq!((spec.nx, spec.ny), (3, 2));
        assert_eq!(spec.centre(1, 1), coord! { x: 15., y: 15. });
        let g = points(&spec, &AreaMask::new(None));
        assert_eq!(g.ids, (0..6).collect::<Vec<u64>>());
    }

    #[test]
    fn mask_keeps_interior_cells() {
        let spec = GridSpec::over(
            10.0,
            Rect::new(coord! { x: 0., y: 0. }, coord! { x: 40., y: 40. }),
        )
        .unwrap();
        let tri = MultiPolygon(vec![
            polygon![(x: 0., y: 0.), (x: 40., y: 0.), (x: 0., y: 40.), (x: 0., y: 0.)],
        ]);
        let g = points(&spec, &AreaMask::new(Some(&[tri])));
        assert_eq!(g.ids, vec![0, 1, 2, 4, 5, 8]);
    }

    #[test]
    fn grid_size_is_bounded() {
        assert!(
            GridSpec::over(
                0.01,
                Rect::new(coord! { x: 0., y: 0. }, coord! { x: 1e6, y: 1e6 })
            )
            .is_err()
        );
    }
}
