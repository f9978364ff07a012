//! GCJ-02 (the obfuscated datum of Chinese web maps: Amap, Tencent, Google China) and BD-09
//! (Baidu), to and from WGS84. The forward transforms are the published formulas; the
//! inverses iterate the forward transform to below 1e-10° (about 0.01 mm), where the common
//! one-step inverse is off by up to a few metres.

use std::f64::consts::PI;

/// Krasovsky 1940 semi-major axis used by the GCJ-02 formulas.
const A: f64 = 6_378_245.0;
/// Its first eccentricity squared.
const EE: f64 = 0.006_693_421_622_965_943;
const X_PI: f64 = PI * 3000.0 / 180.0;

/// True outside the box where GCJ-02 offsets apply (there it equals WGS84).
pub fn out_of_china(lon: f64, lat: f64) -> bool {
    !(72.004..=137.8347).contains(&lon) || !(0.8293..=55.8271).contains(&lat)
}

fn d_lat(x: f64, y: f64) -> f64 {
    let mut r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * x.abs().sqrt();
    r += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    r += (20.0 * (y * PI).sin() + 40.0 * (y / 3.0 * PI).sin()) * 2.0 / 3.0;
    r += (160.0 * (y / 12.0 * PI).sin() + 320.0 * (y * PI / 30.0).sin()) * 2.0 / 3.0;
    r
}

fn d_lon(x: f64, y: f64) -> f64 {
    let mut r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * x.abs().sqrt();
    r += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    r += (20.0 * (x * PI).sin() + 40.0 * (x / 3.0 * PI).sin()) * 2.0 / 3.0;
    r += (150.0 * (x / 12.0 * PI).sin() + 300.0 * (x / 30.0 * PI).sin()) * 2.0 / 3.0;
    r
}

/// WGS84 → GCJ-02 (degrees).
pub fn wgs84_to_gcj02(lon: f64, lat: f64) -> (f64, f64) {
    if out_of_china(lon, lat) {
        return (lon, lat);
    }
    let dlat = d_lat(lon - 105.0, lat - 35.0);
    let dlon = d_lon(lon - 105.0, lat - 35.0);
    let radlat = lat / 180.0 * PI;
    let magic = 1.0 - EE * radlat.sin() * radlat.sin();
    let sqrt_magic = magic.sqrt();
    let dlat = (dlat * 180.0) / ((A * (1.0 - EE)) / (magic * sqrt_magic) * PI);
    let dlon = (dlon * 180.0) / (A / sqrt_magic * radlat.cos() * PI);
    (lon + dlon, lat + dlat)
}

/// GCJ-02 → BD-09 (degrees).
pub fn gcj02_to_bd09(lon: f64, lat: f64) -> (f64, f64) {
    let z = (lon * lon + lat * lat).sqrt() + 0.00002 * (lat * X_PI).sin();
    let theta = lat.atan2(lon) + 0.000003 * (lon * X_PI).cos();
    (z * theta.cos() + 0.0065, z * theta.sin() + 0.006)
}

/// Invert `forward` at `target` by fixed-point iteration (the transforms are near-identity).
fn invert(forward: impl Fn(f64, f64) -> (f64, f64), target: (f64, f64)) -> (f64, f64) {
    let (mut lon, mut lat) = target;
    for _ in 0..50 {
        let (fx, fy) = forward(lon, lat);
        let (dx, dy) = (fx - target.0, fy - target.1);
        lon -= dx;
        lat -= dy;
        if dx.abs() < 1e-12 && dy.abs() < 1e-12 {
            break;
        }
    }
    (lon, lat)
}

/// GCJ-02 → WGS84 (degrees), iterative.
pub fn gcj02_to_wgs84(lon: f64, lat: f64) -> (f64, f64) {
    invert(wgs84_to_gcj02, (lon, lat))
}

/// BD-09 → GCJ-02 (degrees), iterative.
pub fn bd09_to_gcj02(lon: f64, lat: f64) -> (f64, f64) {
    invert(gcj02_to_bd09, (lon, lat))
}

/// BD-09 → WGS84 (degrees).
pub fn bd09_to_wgs84(lon: f64, lat: f64) -> (f64, f64) {
    let (lon, lat) = bd09_to_gcj02(lon, lat);
    gcj02_to_wgs84(lon, lat)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Reference vectors published with the widely used coordtransform implementations.
    const WGS: (f64, f64) = (116.404, 39.915);

    #[test]
    fn forward_matches_published_vectors() {
        assert_eq!(
            wgs84_to_gcj02(WGS.0, WGS.1),
            (116.41024449916938, 39.91640428150164)
        );
        let (x, y) = gcj02_to_bd09(116.404, 39.915);
        assert!((x - 116.41036949371029).abs() < 1e-12 && (y - 39.92133699351021).abs() < 1e-12);
        let (g0, g1) = wgs84_to_gcj02(WGS.0, WGS.1);
        let (x, y) = gcj02_to_bd09(g0, g1);
        assert!((x - 116.41662724378733).abs() < 1e-12 && (y - 39.922699552216216).abs() < 1e-12);
    }

    #[test]
    fn inverses_round_trip_and_beat_the_one_step_formulas() {
        let (x, y) = gcj02_to_wgs84(116.41024449916938, 39.91640428150164);
        assert!(
            (x - WGS.0).abs() < 1e-10 && (y - WGS.1).abs() < 1e-10,
            "{x} {y}"
        );
        // The one-step inverse published with the vectors gives (116.39775550083061,
        // 39.91359571849836) for GCJ (116.404, 39.915); ours agrees to a few metres and
        // round-trips exactly.
        let (x, y) = gcj02_to_wgs84(116.404, 39.915);
        assert!((x - 116.39775550083061).abs() < 5e-5 && (y - 39.91359571849836).abs() < 5e-5);
        let (fx, fy) = wgs84_to_gcj02(x, y);
        assert!((fx - 116.404).abs() < 1e-10 && (fy - 39.915).abs() < 1e-10);
        let (x, y) = bd09_to_gcj02(116.404, 39.915);
        assert!((x - 116.39762729119315).abs() < 1e-5 && (y - 39.90865673957631).abs() < 1e-5);
        let (bx, by) = gcj02_to_bd09(x, y);
        assert!((bx - 116.404).abs() < 1e-10 && (by - 39.915).abs() < 1e-10);
        let (x, y) = bd09_to_wgs84(116.41662724378733, 39.922699552216216);
        assert!((x - WGS.0).abs() < 1e-9 && (y - WGS.1).abs() < 1e-9);
    }

    #[test]
    fn identity_outside_china() {
        assert_eq!(wgs84_to_gcj02(9.5, 47.1), (9.5, 47.1));
        assert_eq!(gcj02_to_wgs84(9.5, 47.1), (9.5, 47.1));
    }
}
