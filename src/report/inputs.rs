//! The layers only the report reads (zones, residential land, population) and the
//! provenance of every input: its SHA-256, and when the report was made.

use std::path::Path;

use geo::MultiPolygon;

use super::compute::weights::{self, WeightSource, Weights};
use super::compute::zones::Zones;
use super::{InputFile, ReportConfig, ZoneOverlap};
use crate::engine::lookup::areal;
use crate::error::Error;
use crate::io::load::{load_layer, load_role};
use crate::io::osm::layers::OsmLayer;
use crate::run::config::{CheckConfig, DemandSource};
use crate::run::demand::DemandPoints;
use crate::run::prepare::{LayerInfo, Prepared};

/// A residential land polygon: its id, its zone and its shape on the plane.
pub(super) type LandPolygon = (String, Option<usize>, MultiPolygon<f64>);

/// Residential land: the `--land` polygons, else the residential layer's polygons (one per
/// demand point), each with its label and zone; `None` when the demand has no polygons.
pub(super) fn land_polygons(
    cfg: &ReportConfig,
    prepared: &mut Prepared,
    points: &DemandPoints,
    zone_of: &[Option<usize>],
    zones: Option<&Zones>,
    notes: &mut Vec<String>,
) -> Result<Option<Vec<LandPolygon>>, Error> {
    let check = &cfg.check;
    let opts = check.read_options();
    Ok(match (&cfg.land, &check.demand, &prepared.demand_layer) {
        (Some(path), _, _) => {
            let mut l = load_role(
                path,
                OsmLayer::Residential,
                &check.standard,
                cfg.land_crs.as_ref(),
                "--land-crs",
                &check.crs,
                opts,
                notes,
            )?;
            l.layer.select(&cfg.land_where, false);
            prepared.layers.push(LayerInfo::of(&l, "land"));
            let mut v = Vec::new();
            for f in &l.layer.features {
                if let Some(mp) = areal(&prepared.plane.project(&f.geometry)?) {
                    let zone = crate::run::demand::representative(&f.geometry)
                        .map(|c| prepared.plane.forward(c.x, c.y))
                        .transpose()?
                        .and_then(|c| zones.and_then(|z| z.zone_of(c)));
                    v.push((crate::run::green::label(f, None), zone, mp));
                }
            }
            Some(v)
        }
        (None, DemandSource::Residential(_), Some(layer)) => {
            let mut v = Vec::new();
            for (i, &s) in points.source.iter().enumerate() {
                let f = &layer.features[s as usize];
                if let Some(mp) = areal(&prepared.plane.project(&f.geometry)?) {
                    v.push((crate::run::green::label(f, None), zone_of[i], mp));
                }
            }
            Some(v)
        }
        _ => None,
    })
}

/// The weight of each demand point: 1, a property of the demand layer, or a population
/// layer (read here, and listed among the inputs).
pub(crate) fn weights_of(
    weight: &WeightSource,
    check: &CheckConfig,
    prepared: &mut Prepared,
    points: &DemandPoints,
    notes: &mut Vec<String>,
) -> Result<Weights, Error> {
    let opts = check.read_options();
    Ok(match (weight, &prepared.demand_layer) {
        (WeightSource::Points, _) => weights::unit(points),
        (WeightSource::Property(field), Some(layer)) => {
            weights::from_property(layer, points, field)?
        }
        (WeightSource::Property(_), None) => {
            return Err(Error::Config(
                "--weight needs --points or --residential (a grid has no properties)".into(),
            ));
        }
        (WeightSource::Population { path, field, crs }, _) => {
            let l = load_layer(
                path,
                crs.as_ref(),
                "--population-crs",
                &check.crs,
                opts,
                notes,
            )?;
            prepared.layers.push(LayerInfo::of(&l, "population"));
            weights::from_population(&l.layer, field, points, &prepared.plane)?
        }
    })
}

/// The zones layer, when one is given (read here, and listed among the inputs). Overlapping
/// zones are an error unless a rule for them was chosen.
pub(super) fn zones_of(
    cfg: &ReportConfig,
    prepared: &mut Prepared,
    notes: &mut Vec<String>,
) -> Result<Option<Zones>, Error> {
    let Some(z) = &cfg.zones else {
        return Ok(None);
    };
    let opts = cfg.check.read_options();
    let l = load_role(
        &z.path,
        OsmLayer::Zones,
        &cfg.check.standard,
        z.crs.as_ref(),
        "--zones-crs",
        &cfg.check.crs,
        opts,
        notes,
    )?;
    prepared.layers.push(LayerInfo::of(&l, "zones"));
    let zones = Zones::from_layer(&l.layer, &z.name_property, &z.filter, &prepared.plane)?;
    notes.extend(zones.skipped.iter().cloned());
    if z.overlap == ZoneOverlap::Error {
        check_zone_overlaps(&zones, &z.path)?;
    }
    Ok(Some(zones))
}

/// Overlapping zones are an error: name the largest overlaps and the ways out.
fn check_zone_overlaps(zones: &Zones, path: &Path) -> Result<(), Error> {
    let mut overlaps = zones.overlaps();
    if overlaps.is_empty() {
        return Ok(());
    }
    overlaps.sort_by(|a, b| b.area_m2.total_cmp(&a.area_m2));
    let named: Vec<String> = overlaps
        .iter()
        .take(3)
        .map(|o| {
            format!(
                "\"{}\" and \"{}\" share {:.1} ha",
                zones.names[o.zones.0],
                zones.names[o.zones.1],
                o.area_m2 / 10_000.0
            )
        })
        .collect();
    Err(Error::Config(format!(
        "{}: {} pair(s) of zones overlap ({}{}): keep one level with --zone-where (e.g. admin_level=8), or say how to count homes in several zones with --zone-overlap first|each",
        path.display(),
        overlaps.len(),
        named.join("; "),
        if overlaps.len() > 3 { "; ..." } else { "" }
    )))
}

/// Every input file with its SHA-256.
pub(super) fn input_files(layers: &[LayerInfo]) -> Result<Vec<InputFile>, Error> {
    layers
        .iter()
        .map(|info| {
            Ok(InputFile {
                sha256: sha256_of(&info.path).map_err(|source| Error::Output {
                    path: info.path.clone(),
                    source,
                })?,
                info: info.clone(),
            })
        })
        .collect()
}

fn sha256_of(path: &Path) -> std::io::Result<String> {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    std::io::copy(&mut std::fs::File::open(path)?, &mut hasher)?;
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

/// The current time, UTC, as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn now_utc() -> String {
    humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_format() {
        let t = now_utc();
        assert_eq!(t.len(), 20);
        assert!(t.starts_with("20") && t.ends_with('Z'));
        assert_eq!(&t[10..11], "T");
    }

    #[test]
    fn sha256_of_a_file() {
        let dir = std::env::temp_dir().join(format!("gr-sha-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("abc.txt");
        std::fs::write(&p, "abc").unwrap();
        assert_eq!(
            sha256_of(&p).unwrap(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
