//! Loading input layers: read, resolve each layer's CRS (its own flag, else `--crs`, else the
//! file's legacy `crs` member, else WGS84), convert to WGS84 lon/lat, check the range, and
//! warn when layers look as if they were in different systems.

use std::path::Path;

use geo::BoundingRect;

use crate::crs::source::to_wgs84;
use crate::crs::{LonLatBox, SourceCrs};
use crate::error::Error;
use crate::io::input::{self, Layer, ReadOptions};

/// How a layer's CRS was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CrsSource {
    /// A command-line flag.
    Flag,
    /// The file itself: GeoJSON's legacy `crs` member, a `.prj`, a GeoPackage srs, a
    /// FlatGeobuf header.
    FileMember,
    /// Nothing said: WGS84 assumed (RFC 7946).
    Default,
}

/// A layer in WGS84 lon/lat, with the system it was read in.
#[derive(Debug, Clone)]
pub struct LoadedLayer {
    /// The features, converted to WGS84 lon/lat.
    pub layer: Layer,
    /// The system the file was in.
    pub crs: SourceCrs,
    /// How that was decided.
    pub crs_source: CrsSource,
}

/// How to read coordinates.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CrsOptions {
    /// `--crs`: the system of every input without its own flag.
    pub all: Option<SourceCrs>,
    /// Projected input has northing first.
    pub swap_xy: bool,
}

/// Read `path` and bring it to WGS84 lon/lat. `flag` is the layer's own `--*-crs`.
pub fn load_layer(
    path: &Path,
    flag: Option<&SourceCrs>,
    crs: &CrsOptions,
    opts: ReadOptions,
    warnings: &mut Vec<String>,
) -> Result<LoadedLayer, Error> {
    let mut layer = crate::io::source::read(path, &opts)?;
    warnings.append(&mut layer.warnings);
    let member = match layer.declared_crs.take() {
        Some(declared) => Some(declared),
        None => layer.crs_member.as_ref().map(SourceCrs::from_crs_member),
    };
    let (chosen, crs_source) = match (flag.or(crs.all.as_ref()), member) {
        (Some(f), Some(Ok(m))) => {
            if *f != m {
                warnings.push(format!(
                    "{}: the file says its CRS is {m}, the command line says {f}; using {f}",
                    path.display()
                ));
            }
            (f.clone(), CrsSource::Flag)
        }
        (Some(f), _) => (f.clone(), CrsSource::Flag),
        (None, Some(Ok(m))) => (m, CrsSource::FileMember),
        (None, Some(Err(problem))) => {
            let problem = if problem.contains("--crs") {
                problem
            } else {
                format!("{problem}; give the layer's CRS with --crs")
            };
            return Err(Error::Input(input::InputError::File {
                path: path.to_path_buf(),
                problem,
            }));
        }
        (None, None) => (SourceCrs::Wgs84, CrsSource::Default),
    };
    to_wgs84(&mut layer, &chosen, crs.swap_xy && chosen.is_projected())?;
    input::check_lonlat(&layer)?;
    Ok(LoadedLayer {
        layer,
        crs: chosen,
        crs_source,
    })
}

/// Warnings for layers that look as if they were read in different systems: a GCJ-02/BD-09
/// layer next to one read as WGS84 by default, or demand layers mostly out of reach of the
/// green layers' extent (grown by `reach_m`).
pub fn consistency_warnings(
    green: &[LoadedLayer],
    others: &[&LoadedLayer],
    reach_m: f64,
) -> Vec<String> {
    let mut out = Vec::new();
    let all: Vec<&LoadedLayer> = green.iter().chain(others.iter().copied()).collect();
    if let Some(web) = all.iter().find(|l| l.crs.is_chinese_web_datum()) {
        for l in all.iter().filter(|l| l.crs_source == CrsSource::Default) {
            out.push(format!(
                "{} is {} but {} is read as WGS84 because nothing says otherwise: the two differ by 300–500 m in China. \
                 If it also comes from a Chinese web map, give its CRS (--crs / --green-crs / --points-crs / --area-crs)",
                web.layer.path.display(),
                web.crs,
                l.layer.path.display()
            ));
        }
    }
    let mut gbox = LonLatBox::empty();
    for l in green {
        l.layer.include_in(&mut gbox);
    }
    if gbox.is_empty() {
        return out;
    }
    let dlat = reach_m / 111_000.0;
    let dlon = dlat
        / gbox
            .max_lat
            .abs()
            .max(gbox.min_lat.abs())
            .min(89.0)
            .to_radians()
            .cos();
    for l in others {
        let n = l.layer.features.len();
        let near = |x: f64, y: f64| {
            x >= gbox.min_lon - dlon
                && x <= gbox.max_lon + dlon
                && y >= gbox.min_lat - dlat
                && y <= gbox.max_lat + dlat
        };
        let centres: Vec<_> = l
            .layer
            .features
            .iter()
            .filter_map(|f| f.geometry.bounding_rect())
            .map(|r| r.center())
            .collect();
        let inside = centres.iter().filter(|c| near(c.x, c.y)).count();
        if n > 0 && inside * 2 < n {
            let swapped = centres.iter().filter(|c| near(c.y, c.x)).count();
            let hint = if swapped * 2 >= n {
                "; with x and y swapped they would: are its axes swapped ([lat, lon] instead of [lon, lat])?"
            } else {
                ": are both in the same CRS?"
            };
            out.push(format!(
                "only {inside} of {n} features of {} lie within {reach_m} m of the green layers' extent{hint}",
                l.layer.path.display()
            ));
        }
    }
    out
}
