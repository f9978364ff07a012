//! Loading input layers: read, resolve each layer's CRS (its own flag, else `--crs`, else the
//! file's legacy `crs` member, else WGS84), convert to WGS84 lon/lat, check the range, and
//! warn when layers look as if they were in different systems.

use rayon::prelude::*;
use std::path::Path;

use geo::BoundingRect;

use crate::crs::source::to_wgs84;
use crate::crs::{LonLatBox, SourceCrs};
use crate::error::Error;
use crate::io::input::{self, Layer, ReadOptions};
use crate::io::osm::layers::{self as osm_layers, OsmLayer};
use crate::standard::Standard;

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
    /// Input has its axes the other way round: northing first (projected) or latitude first
    /// (lon/lat).
    pub swap_xy: bool,
    /// Accept a layer that lies far from the others or looks axis-swapped (`--allow-far-layers`);
    /// otherwise that is an error.
    pub allow_far: bool,
}

/// Read `path` in a role of the run: an OSM PBF gives that role's layer (`role`; always
/// WGS84: the layer's own CRS flag other than WGS84 is an error, `--crs` is ignored with a
/// warning), any other file is read by [`load_layer`].
#[allow(clippy::too_many_arguments)] // one argument per thing that decides how a layer is read
pub fn load_role(
    path: &Path,
    role: OsmLayer,
    standard: &Standard,
    flag: Option<&SourceCrs>,
    flag_name: &str,
    crs: &CrsOptions,
    opts: ReadOptions,
    warnings: &mut Vec<String>,
) -> Result<LoadedLayer, Error> {
    if !osm_layers::is_pbf(path) {
        return load_layer(path, flag, flag_name, crs, opts, warnings);
    }
    if let Some(f) = flag.filter(|f| **f != SourceCrs::Wgs84) {
        return Err(Error::Config(format!(
            "{}: an OSM PBF file is always WGS84 lon/lat; drop the CRS flag ({f}) for it",
            path.display()
        )));
    }
    if let Some(f) = crs.all.as_ref().filter(|f| **f != SourceCrs::Wgs84) {
        warnings.push(format!(
            "{}: --crs {f} does not apply: an OSM PBF file is always WGS84 lon/lat",
            path.display()
        ));
    }
    let layer = osm_layers::read_layer(path, role, standard, warnings)?;
    Ok(LoadedLayer {
        layer,
        crs: SourceCrs::Wgs84,
        crs_source: CrsSource::Default,
    })
}

/// Read `path` and bring it to WGS84 lon/lat. `flag` is the layer's own CRS flag's value,
/// `flag_name` that flag (`--points-crs`, named in hints).
pub fn load_layer(
    path: &Path,
    flag: Option<&SourceCrs>,
    flag_name: &str,
    crs: &CrsOptions,
    opts: ReadOptions,
    warnings: &mut Vec<String>,
) -> Result<LoadedLayer, Error> {
    if osm_layers::is_pbf(path) {
        return Err(Error::Input(input::InputError::File {
            path: path.to_path_buf(),
            problem: "is an OSM PBF file, which gives --green, --points/--residential, --area, --land, --zones or --osm, not this layer".into(),
        }));
    }
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
                format!("{problem}; give the layer's CRS with {flag_name}")
            };
            return Err(Error::Input(input::InputError::File {
                path: path.to_path_buf(),
                problem: problem.replace("with --crs", &format!("with {flag_name}")),
            }));
        }
        (None, None) => (SourceCrs::Wgs84, CrsSource::Default),
    };
    if let Some(caution) = chosen.datum_caution() {
        warnings.push(format!("{}: {caution}", path.display()));
    }
    to_wgs84(&mut layer, &chosen, crs.swap_xy)?;
    input::check_lonlat_for(&layer, flag_name)?;
    Ok(LoadedLayer {
        layer,
        crs: chosen,
        crs_source,
    })
}

/// What [`consistency`] found.
#[derive(Debug, Default, PartialEq)]
pub struct Consistency {
    /// Worth a warning: a GCJ-02/BD-09 layer next to one read as WGS84 by default.
    pub warnings: Vec<String>,
    /// Worth stopping for: a layer mostly out of reach of the green layers (in another CRS,
    /// or with its axes swapped). An error unless `--allow-far-layers`.
    pub far: Vec<String>,
}

/// Layers that look as if they were read in different systems: a GCJ-02/BD-09 layer next to
/// one read as WGS84 by default (a warning), or demand layers mostly out of reach of the green
/// layers' extent grown by `reach_m` (`far`).
pub fn consistency(green: &[LoadedLayer], others: &[&LoadedLayer], reach_m: f64) -> Consistency {
    let mut found = Consistency::default();
    let out = &mut found.warnings;
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
        return found;
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
        // Features whose centre lies near, as read and with x and y swapped.
        let (inside, swapped) = l
            .layer
            .features
            .par_iter()
            .filter_map(|f| f.geometry.bounding_rect())
            .map(|r| {
                let c = r.center();
                (usize::from(near(c.x, c.y)), usize::from(near(c.y, c.x)))
            })
            .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
        if n > 0 && inside * 2 < n {
            let hint = if swapped * 2 >= n {
                "; with x and y swapped they would: its axes look swapped ([lat, lon] instead of [lon, lat]): fix the file, or pass --swap-xy if every layer is so"
            } else {
                ": are both in the same CRS? Give each layer its own CRS flag"
            };
            found.far.push(format!(
                "only {inside} of {n} features of {} lie within {reach_m} m of the green layers' extent{hint}",
                l.layer.path.display()
            ));
        }
    }
    found
}
