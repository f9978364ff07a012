//! The coordinate systems input layers arrive in, and their conversion to WGS84 lon/lat.

use std::fmt;
use std::str::FromStr;

use geo::{Coord, MapCoords, MapCoordsInPlace};
use proj4rs::proj::Proj;
use rayon::prelude::*;
use serde_json::Value;

use super::china;
use crate::io::input::{InputError, Layer};

/// The coordinate system of an input layer.
#[derive(Debug, Clone, PartialEq)]
pub enum SourceCrs {
    /// WGS84 lon/lat (EPSG:4326, RFC 7946), the default.
    Wgs84,
    /// CGCS2000 lon/lat (EPSG:4490): treated as WGS84 (they differ by centimetres).
    Cgcs2000,
    /// GCJ-02 lon/lat (Amap, Tencent, Google China).
    Gcj02,
    /// BD-09 lon/lat (Baidu).
    Bd09,
    /// Another geographic (lon/lat) system with its own datum, e.g. EPSG:4214 Beijing 1954.
    Geographic {
        /// How the user named it (`EPSG:4214`).
        name: String,
        /// The proj string (`+proj=longlat ...`).
        proj: String,
    },
    /// A projected system in metres.
    Projected {
        /// How the user named it (`EPSG:4544`, or the `+proj=` string).
        name: String,
        /// The proj string.
        proj: String,
    },
}

impl fmt::Display for SourceCrs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SourceCrs::Wgs84 => f.write_str("WGS84"),
            SourceCrs::Cgcs2000 => f.write_str("CGCS2000"),
            SourceCrs::Gcj02 => f.write_str("GCJ-02"),
            SourceCrs::Bd09 => f.write_str("BD-09"),
            SourceCrs::Projected { name, .. } | SourceCrs::Geographic { name, .. } => {
                f.write_str(name)
            }
        }
    }
}

impl SourceCrs {
    /// True for GCJ-02 and BD-09, the offset datums of Chinese web maps.
    pub fn is_chinese_web_datum(&self) -> bool {
        matches!(self, SourceCrs::Gcj02 | SourceCrs::Bd09)
    }

    /// True for systems in metres.
    pub fn is_projected(&self) -> bool {
        matches!(self, SourceCrs::Projected { .. })
    }

    /// The system of an EPSG code: the Chinese, UTM and Web Mercator codes as written here,
    /// every other code from the EPSG table of the `crs-definitions` crate (its proj strings
    /// come from the EPSG database through crs-csv).
    pub fn from_epsg(code: u32) -> Option<Self> {
        let gk = |lon0: u32, x0: u64| {
            format!(
                "+proj=tmerc +lat_0=0 +lon_0={lon0} +k=1 +x_0={x0} +y_0=0 +ellps=GRS80 +units=m +no_defs"
            )
        };
        let proj = match code {
            4326 => return Some(SourceCrs::Wgs84),
            4490 => return Some(SourceCrs::Cgcs2000),
            // CGCS2000 / Gauss-Kruger 6° zones 13–23 (zone number in the easting).
            4491..=4501 => {
                let zone = code - 4478;
                gk(6 * zone - 3, zone as u64 * 1_000_000 + 500_000)
            }
            // CGCS2000 / Gauss-Kruger 6° CM 75E–135E.
            4502..=4512 => gk(75 + 6 * (code - 4502), 500_000),
            // CGCS2000 / 3-degree Gauss-Kruger zones 25–45 (zone number in the easting).
            4513..=4533 => {
                let zone = code - 4488;
                gk(3 * zone, zone as u64 * 1_000_000 + 500_000)
            }
            // CGCS2000 / 3-degree Gauss-Kruger CM 75E–135E.
            4534..=4554 => gk(75 + 3 * (code - 4534), 500_000),
            32601..=32660 => format!("+proj=utm +zone={} +datum=WGS84 +units=m +no_defs", code - 32600),
            32701..=32760 => {
                format!("+proj=utm +zone={} +south +datum=WGS84 +units=m +no_defs", code - 32700)
            }
            3857 => "+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +no_defs".into(),
            _ => return Self::from_epsg_table(code),
        };
        Some(SourceCrs::Projected {
            name: format!("EPSG:{code}"),
            proj,
        })
    }

    /// A code from the EPSG table, when proj4rs can use its definition.
    fn from_epsg_table(code: u32) -> Option<Self> {
        let def = crs_definitions::from_code(u16::try_from(code).ok()?)?;
        let proj = def.proj4.to_string();
        Proj::from_proj_string(&proj).ok()?;
        let name = format!("EPSG:{code}");
        Some(if proj.starts_with("+proj=longlat") {
            SourceCrs::Geographic { name, proj }
        } else {
            SourceCrs::Projected { name, proj }
        })
    }

    /// A caution about the datum: a system on another ellipsoid than WGS84/GRS80 whose
    /// definition gives no shift to WGS84 (Xian 1980, some Beijing 1954 files) is placed with
    /// an error of up to a few hundred metres.
    pub fn datum_caution(&self) -> Option<String> {
        let proj = match self {
            SourceCrs::Projected { proj, .. } | SourceCrs::Geographic { proj, .. } => proj,
            _ => return None,
        };
        let on_wgs84 = proj.contains("+datum=WGS84")
            || proj.contains("+ellps=WGS84")
            || proj.contains("+ellps=GRS80")
            || (proj.contains("+a=6378137") && !proj.contains("+b=6356752.314"));
        let shifted = proj.contains("+towgs84=") || proj.contains("+datum=");
        (!on_wgs84 && !shifted).then(|| {
            format!(
                "{self} gives no datum shift to WGS84: positions may be off by up to a few hundred \
                 metres; reproject the data to CGCS2000 or WGS84 first if you can"
            )
        })
    }

    /// The CRS named by a legacy GeoJSON `crs` member, as QGIS and ogr2ogr write it.
    pub fn from_crs_member(member: &Value) -> Result<Self, String> {
        let name = member
            .pointer("/properties/name")
            .and_then(Value::as_str)
            .ok_or_else(|| format!("the \"crs\" member {member} has no properties.name"))?;
        name.parse()
    }
}

impl FromStr for SourceCrs {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let t = s.trim();
        let lower = t.to_ascii_lowercase();
        match lower.as_str() {
            "wgs84" | "crs84" | "urn:ogc:def:crs:ogc:1.3:crs84" | "urn:ogc:def:crs:ogc::crs84" => {
                return Ok(SourceCrs::Wgs84);
            }
            "cgcs2000" => return Ok(SourceCrs::Cgcs2000),
            "gcj02" | "gcj-02" => return Ok(SourceCrs::Gcj02),
            "bd09" | "bd-09" => return Ok(SourceCrs::Bd09),
            _ => {}
        }
        if lower.starts_with("+proj=") {
            Proj::from_proj_string(t).map_err(|e| format!("cannot use \"{t}\": {e}"))?;
            return Ok(SourceCrs::Projected {
                name: t.to_string(),
                proj: t.to_string(),
            });
        }
        // EPSG:4544, urn:ogc:def:crs:EPSG::32648, urn:ogc:def:crs:EPSG:6.6:4326
        if lower.contains("epsg") {
            let code = lower
                .rsplit(':')
                .next()
                .and_then(|c| c.parse::<u32>().ok())
                .ok_or_else(|| format!("cannot read an EPSG code from \"{t}\""))?;
            return SourceCrs::from_epsg(code).ok_or_else(|| {
                format!(
                    "EPSG:{code} is not in the EPSG table or uses a projection greenreach cannot \
                     compute: give its +proj= string instead"
                )
            });
        }
        Err(format!(
            "unknown CRS \"{t}\": use wgs84, cgcs2000, gcj02, bd09, EPSG:CODE or a +proj= string"
        ))
    }
}

/// Convert every coordinate of `layer` from `crs` to WGS84 lon/lat. With `swap_xy`, input is
/// read as (northing, easting) or (lat, lon). Projected input whose axes look swapped is
/// rejected with a hint.
pub(crate) fn to_wgs84(
    layer: &mut Layer,
    crs: &SourceCrs,
    swap_xy: bool,
) -> Result<(), InputError> {
    let lonlat_swap = swap_xy
        && !matches!(
            crs,
            SourceCrs::Projected { .. } | SourceCrs::Geographic { .. }
        );
    if lonlat_swap {
        map_layer(layer, |x, y| (y, x));
    }
    match crs {
        SourceCrs::Wgs84 | SourceCrs::Cgcs2000 => Ok(()),
        SourceCrs::Gcj02 => {
            map_layer(layer, china::gcj02_to_wgs84);
            Ok(())
        }
        SourceCrs::Bd09 => {
            map_layer(layer, china::bd09_to_wgs84);
            Ok(())
        }
        SourceCrs::Projected { name, proj } | SourceCrs::Geographic { name, proj } => {
            // proj4rs takes and gives geographic coordinates in radians.
            let unit_in = if matches!(crs, SourceCrs::Geographic { .. }) {
                1f64.to_radians()
            } else {
                1.0
            };
            let src = Proj::from_proj_string(proj).map_err(|e| InputError::File {
                path: layer.path.clone(),
                problem: format!("cannot use {name}: {e}"),
            })?;
            let dst = Proj::from_proj_string("+proj=longlat +datum=WGS84 +no_defs")
                .expect("static proj string");
            let is_tm = matches!(src.projname(), "tmerc" | "etmerc" | "utm");
            let lon0 = src.longitude_of_origin().to_degrees();
            // A plain transverse Mercator is inverted here (the same answers, a fraction of
            // the cost); anything else by proj4rs.
            let plain = matches!(crs, SourceCrs::Projected { .. })
                .then(|| super::krueger::PlainTm::parse(proj))
                .flatten();
            let inverse = |x: f64, y: f64| -> Option<Coord> {
                let c = match &plain {
                    Some(tm) => tm.to_lonlat(x, y)?,
                    None => {
                        let mut p = (x * unit_in, y * unit_in, 0.0);
                        proj4rs::transform::transform(&src, &dst, &mut p).ok()?;
                        Coord {
                            x: p.0.to_degrees(),
                            y: p.1.to_degrees(),
                        }
                    }
                };
                let plausible = c.x.is_finite()
                    && c.y.is_finite()
                    && c.y.abs() <= 90.0
                    && (!is_tm || (c.x - lon0).abs() <= 15.0);
                plausible.then_some(c)
            };
            // Each feature in parallel, in place; the first failure in file order is reported.
            let path = &layer.path;
            let first = layer.features.par_iter_mut().find_map_first(|f| {
                let converted = f.geometry.try_map_coords(|c| {
                    let (x, y) = if swap_xy { (c.y, c.x) } else { (c.x, c.y) };
                    inverse(x, y).ok_or_else(|| {
                        if inverse(y, x).is_some() {
                            format!(
                                "coordinate [{}, {}] does not fit {name}, but fits it with the axes swapped: \
                                 the file has northing first; pass --swap-xy",
                                c.x, c.y
                            )
                        } else {
                            format!("coordinate [{}, {}] does not fit {name}: is the CRS right?", c.x, c.y)
                        }
                    })
                });
                match converted {
                    Ok(g) => {
                        f.geometry = g;
                        None
                    }
                    Err(problem) => Some(InputError::Feature {
                        path: path.clone(),
                        index: f.index,
                        id: f.id.clone(),
                        problem,
                    }),
                }
            });
            first.map_or(Ok(()), Err)
        }
    }
}

fn map_layer(layer: &mut Layer, f: fn(f64, f64) -> (f64, f64)) {
    layer.features.par_iter_mut().for_each(|feat| {
        feat.geometry.map_coords_in_place(|c| {
            let (x, y) = f(c.x, c.y);
            Coord { x, y }
        });
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::input::{ReadOptions, parse_layer};
    use std::path::Path;

    fn layer_with(x: f64, y: f64) -> Layer {
        let text = format!(
            r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","id":"p","properties":{{}},"geometry":{{"type":"Point","coordinates":[{x},{y}]}}}}]}}"#
        );
        parse_layer(
            Path::new("t.geojson"),
            text.as_bytes(),
            ReadOptions::default(),
        )
        .unwrap()
    }

    fn point(l: &Layer) -> Coord {
        match &l.features[0].geometry {
            geo::Geometry::Point(p) => p.0,
            _ => unreachable!(),
        }
    }

    /// Known coordinates: PROJ 9.5.1 (pyproj) forward values of the same lon/lat.
    #[test]
    fn projected_codes_invert_proj_reference_values() {
        let cases = [
            (
                "EPSG:32648",
                650143.6550026052,
                3272141.7931415536,
                106.55,
                29.57,
            ),
            (
                "EPSG:4544",
                650203.736497807,
                3273451.1735166335,
                106.55,
                29.57,
            ),
            (
                "EPSG:4523",
                35650203.736497805,
                3273451.1735166335,
                106.55,
                29.57,
            ),
            (
                "EPSG:4497",
                19528740.644374553,
                3397752.6709954636,
                111.3,
                30.7,
            ),
            (
                "EPSG:32733",
                305337.8110723737,
                9022374.720654668,
                13.23,
                -8.84,
            ),
            (
                "urn:ogc:def:crs:EPSG::3857",
                1059761.5523519644,
                5964955.649843613,
                9.52,
                47.14,
            ),
            (
                "+proj=tmerc +lat_0=0 +lon_0=105 +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m",
                650203.736497807,
                3273451.1735166335,
                106.55,
                29.57,
            ),
        ];
        for (name, x, y, lon, lat) in cases {
            let crs: SourceCrs = name.parse().unwrap();
            let mut l = layer_with(x, y);
            to_wgs84(&mut l, &crs, false).unwrap();
            let c = point(&l);
            assert!(
                (c.x - lon).abs() < 1e-8 && (c.y - lat).abs() < 1e-8,
                "{name}: {c:?}"
            );
        }
    }

    /// Every code of tests/fixtures/epsg_reference.csv (PROJ 9.5.1 forward values, made by
    /// tests/fixtures/make_epsg_fixture.py) inverts to its lon/lat.
    #[test]
    fn epsg_table_codes_invert_proj_reference_values() {
        let csv = include_str!("../../tests/fixtures/epsg_reference.csv");
        let mut n = 0;
        for line in csv
            .lines()
            .filter(|l| !l.starts_with('#') && !l.starts_with("code"))
        {
            let v: Vec<f64> = line.split(',').map(|x| x.parse().unwrap()).collect();
            let (code, lon, lat, x, y) = (v[0] as u32, v[1], v[2], v[3], v[4]);
            let crs = SourceCrs::from_epsg(code).unwrap_or_else(|| panic!("EPSG:{code}"));
            let mut l = layer_with(x, y);
            to_wgs84(&mut l, &crs, false).unwrap();
            let c = point(&l);
            // 1e-7° is about 1 cm; EPSG:27700's published 7-parameter shift is the one PROJ
            // uses without the OSTN15 grid, so it agrees to the same precision.
            let (dx, dy) = ((c.x - lon).abs(), (c.y - lat).abs());
            assert!(
                dx < 1e-7 && dy < 1e-7,
                "EPSG:{code} at {lon},{lat}: off by {dx:e}, {dy:e}"
            );
            n += 1;
        }
        assert_eq!(n, 18);
    }

    #[test]
    fn datum_caution_for_xian_1980_only() {
        let xian = SourceCrs::from_epsg(2383).unwrap();
        assert!(xian.datum_caution().unwrap().contains("no datum shift"));
        for code in [4544, 25832, 2056, 27700, 2154, 4214, 3067] {
            assert_eq!(
                SourceCrs::from_epsg(code).unwrap().datum_caution(),
                None,
                "{code}"
            );
        }
    }

    #[test]
    fn northing_first_is_detected_and_swap_xy_fixes_it() {
        let crs: SourceCrs = "EPSG:4523".parse().unwrap();
        let mut l = layer_with(3273451.1735166335, 35650203.736497805);
        let e = to_wgs84(&mut l, &crs, false).unwrap_err().to_string();
        assert!(
            e.contains("feature 0 (id p)") && e.contains("--swap-xy"),
            "{e}"
        );
        let mut l = layer_with(3273451.1735166335, 35650203.736497805);
        to_wgs84(&mut l, &crs, true).unwrap();
        assert!((point(&l).x - 106.55).abs() < 1e-8);
        // UTM without a zone prefix: northing first is caught by the central-meridian check.
        let crs: SourceCrs = "EPSG:32648".parse().unwrap();
        let mut l = layer_with(3272141.7931415536, 650143.6550026052);
        assert!(
            to_wgs84(&mut l, &crs, false)
                .unwrap_err()
                .to_string()
                .contains("--swap-xy")
        );
    }

    #[test]
    fn names_and_members_parse() {
        assert!("EPSG:2056".parse::<SourceCrs>().is_ok());
        assert_eq!("wgs84".parse::<SourceCrs>().unwrap(), SourceCrs::Wgs84);
        assert_eq!(
            "EPSG:4490".parse::<SourceCrs>().unwrap(),
            SourceCrs::Cgcs2000
        );
        assert_eq!("GCJ02".parse::<SourceCrs>().unwrap(), SourceCrs::Gcj02);
        let m: Value = serde_json::json!({"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32648"}});
        assert!(
            matches!(SourceCrs::from_crs_member(&m).unwrap(), SourceCrs::Projected { name, .. } if name == "EPSG:32648")
        );
        let m: Value = serde_json::json!({"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}});
        assert_eq!(SourceCrs::from_crs_member(&m).unwrap(), SourceCrs::Wgs84);
        assert!(
            "EPSG:9999"
                .parse::<SourceCrs>()
                .unwrap_err()
                .contains("not in the EPSG table")
        );
        assert!(
            "mercator"
                .parse::<SourceCrs>()
                .unwrap_err()
                .contains("unknown CRS")
        );
    }

    #[test]
    fn gcj02_layer_converts() {
        let mut l = layer_with(116.41024449916938, 39.91640428150164);
        to_wgs84(&mut l, &SourceCrs::Gcj02, false).unwrap();
        let c = point(&l);
        assert!((c.x - 116.404).abs() < 1e-9 && (c.y - 39.915).abs() < 1e-9);
    }
}
