//! Krüger's series for the transverse Mercator (Poder/Engsager, 6th order in the third
//! flattening, as PROJ's `tmerc` and proj4rs' `etmerc`), both ways, on any ellipsoid: the
//! forward direction for the local plane, the inverse for inputs in a plain transverse
//! Mercator (UTM, Gauss-Krüger).

use geo::Coord;

/// Semi-major axis of the WGS84 ellipsoid (and of GRS80), metres.
pub(crate) const WGS84_A: f64 = 6_378_137.0;
/// Flattening of the WGS84 ellipsoid.
pub(crate) const WGS84_F: f64 = 1.0 / 298.257_223_563;
/// Flattening of the GRS80 ellipsoid (CGCS2000's differs from it by 1e-11).
pub(crate) const GRS80_F: f64 = 1.0 / 298.257_222_101;

/// The forward Poder/Engsager transverse Mercator (Krüger's series to 6th order in the third
/// flattening n, the coefficients of Engsager & Poder, ICC 2007, as in PROJ's `tmerc`), with
/// the spherical step in closed form: where PROJ takes two `atan2`, a `hypot`, a `tan` and an
/// `asinh`, the complementary spherical easting is `atanh(sin λ cos χ)` (exactly equal, as
/// `hypot` of the other two terms is 1). The trigonometric and hyperbolic functions of the
/// series' arguments follow algebraically from those already known (double angles, and
/// e^(2·atanh s) = (1 + s) / (1 − s)): four transcendental calls a point (`sin_cos` of φ and
/// of λ, `atan2`, `ln_1p`) where PROJ makes thirteen. It agrees with proj4rs to a few
/// nanometres, rounding (see the tests).
#[derive(Debug, Clone)]
pub(crate) struct Krueger {
    /// Central meridian, radians.
    lam0: f64,
    /// Semi-major axis times the normalised meridian quadrant (scale 1), metres.
    a_qn: f64,
    /// Northing of the origin latitude on the central meridian, metres (subtracted).
    north0: f64,
    /// Geodetic → Gaussian latitude, highest order first (for Clenshaw's recurrence).
    cbg: [f64; 6],
    /// Spherical → ellipsoidal normalised northing and easting, highest order first.
    gtu: [f64; 6],
    /// Gaussian → geodetic latitude, highest order first.
    cgb: [f64; 6],
    /// Ellipsoidal → spherical normalised northing and easting, highest order first.
    utg: [f64; 6],
}

impl Krueger {
    /// The plane of [`super::LocalPlane`]: WGS84, scale 1 on the central meridian `lon0`,
    /// northings from latitude `lat0` (degrees).
    pub(crate) fn new(lon0: f64, lat0: f64) -> Self {
        Self::tm(WGS84_A, WGS84_F, 1.0, lon0, lat0)
    }

    /// A transverse Mercator on the ellipsoid `a`, `f` with scale `k0` on the central
    /// meridian `lon0`, northings from latitude `lat0` (degrees), no false origin.
    #[rustfmt::skip]
    pub(crate) fn tm(a: f64, f: f64, k0: f64, lon0: f64, lat0: f64) -> Self {
        let n = f / (2.0 - f);
        let n2 = n * n;
        let mut cbg = [
            n * (-2. + n*( 2./3.0 + n*( 4./3.0  + n*(-82./45.0 + n*(32./45.0 + n*(4642./4725.0)))))),
            n2 * (5./3.0 + n*(-16./15.0 + n*(-13./9.0  + n*(904./315.0 + n*(-1522./945.0))))),
            n2 * n * (-26./15.0 + n*(34./21.0 + n*(8./5.0 + n*(-12686./2835.0)))),
            n2 * n2 * (1237./630.0 + n*(-12./5.0 + n*(-24832./14175.0))),
            n2 * n2 * n * (-734./315.0 + n*(109598./31185.0)),
            n2 * n2 * n2 * (444337./155925.0),
        ];
        let mut gtu = [
            n *( 0.5 + n*(-2./3.0 + n*(5./16.0 + n*(41./180.0 + n*(-127./288.0 + n*(7891./37800.0)))))),
            n2 * (13./48.0 + n*(-3./5.0 + n*(557./1440.0 + n*(281./630.0 + n*(-1983433./1935360.0))))),
            n2 * n * (61./240.0 + n*(-103./140.0 + n*(15061./26880.0 + n*(167603./181440.0)))),
            n2 * n2 * (49561./161280.0 + n*(-179./168.0 + n*(6601661./7257600.0))),
            n2 * n2 * n * (34729./80640.0 + n*(-3418889./1995840.0)),
            n2 * n2 * n2 * (212378941./319334400.0),
        ];
        let mut cgb = [
            n * (2. + n*(-2./3.0 + n*(-2. + n*(116./45.0 + n*(26./45.0 + n*(-2854./675.0)))))),
            n2 * (7./3.0 + n*(-8./5.0 + n*(-227./45.0 + n*(2704./315.0 + n*(2323./945.0))))),
            n2 * n * (56./15.0 + n*(-136./35.0 + n*(-1262./105.0 + n*(73814./2835.0)))),
            n2 * n2 * (4279./630.0 + n*(-332./35.0 + n*(-399572./14175.0))),
            n2 * n2 * n * (4174./315.0 + n*(-144838./6237.0)),
            n2 * n2 * n2 * (601676./22275.0),
        ];
        let mut utg = [
            n * (-0.5 + n*(2./3.0 + n*(-37./96.0 + n*(1./360.0 + n*(81./512.0 + n*(-96199./604800.0)))))),
            n2 * (-1./48.0 + n*(-1./15.0 + n*(437./1440.0 + n*(-46./105.0 + n*(1118711./3870720.0))))),
            n2 * n * (-17./480.0 + n*(37./840.0 + n*(209./4480.0 + n*(-5569./90720.0)))),
            n2 * n2 * (-4397./161280.0 + n*(11./504.0 + n*(830251./7257600.0))),
            n2 * n2 * n * (-4583./161280.0 + n*(108847./3991680.0)),
            n2 * n2 * n2 * (-20648693./638668800.0),
        ];
        cbg.reverse();
        gtu.reverse();
        cgb.reverse();
        utg.reverse();
        let qn = k0 / (1. + n) * (1. + n2 * (1. / 4.0 + n2 * (1. / 64.0 + n2 / 256.0)));
        let z = gauss_lat(&cbg, lat0.to_radians());
        let north0 = a * qn * (z + clenshaw(&gtu, 2.0 * z));
        Self { lam0: lon0.to_radians(), a_qn: a * qn, north0, cbg, gtu, cgb, utg }
    }

    /// Longitude and latitude (radians) of plane metres `x`, `y` (no false origin), or `None`
    /// outside the projection's domain: PROJ's inverse `tmerc`, with the sines and cosines of
    /// the series' arguments from one `sin_cos` and one `exp`, those of the corrected
    /// arguments from them by the addition formulas (the corrections are small), and the
    /// spherical latitude's sine and cosine taken without the angle: four transcendental
    /// calls a point (two `atan2`) where PROJ makes about a dozen.
    pub(crate) fn inverse(&self, x: f64, y: f64) -> Option<(f64, f64)> {
        let cn = (y + self.north0) / self.a_qn;
        let ce = x / self.a_qn;
        if ce.is_nan() || ce.abs() > 2.623_395_162_778 {
            return None;
        }
        // Normalised northing and easting → complementary spherical latitude and longitude.
        let (sin_2n, cos_2n) = (2.0 * cn).sin_cos();
        let e2 = (2.0 * ce).exp();
        let (sinh_2e, cosh_2e) = (0.5 * (e2 - 1.0 / e2), 0.5 * (e2 + 1.0 / e2));
        let (dn, de) = clenshaw_complex(&self.utg, sin_2n, cos_2n, sinh_2e, cosh_2e);
        // sin and cos of cn + dn: those of cn by the half angle (cos cn > 0 away from the
        // poles, where the direct call is kept), then the addition formulas.
        let (sin_cn, cos_cn) = if cn.abs() < 1.4 {
            let c0 = (0.5 * (1.0 + cos_2n)).sqrt();
            let s0 = sin_2n / (2.0 * c0);
            let (sd, cd) = sin_cos_of_small(dn);
            (s0 * cd + c0 * sd, c0 * cd - s0 * sd)
        } else {
            (cn + dn).sin_cos()
        };
        // ce + de → atan(sinh(ce + de)): its sine and cosine are tanh and 1 / cosh, from
        // e^(ce + de) = √(e^(2·ce)) · e^de.
        let e1 = e2.sqrt() * exp_of_small(de);
        let cosh = 0.5 * (e1 + 1.0 / e1);
        let (sin_ce, cos_ce) = ((0.5 * (e1 - 1.0 / e1)) / cosh, 1.0 / cosh);
        let lam = sin_ce.atan2(cos_ce * cos_cn);
        // The spherical latitude χ: sin χ = z, cos χ = h (z² + h² = 1).
        let z = sin_cn * cos_ce;
        let h = (sin_ce * sin_ce + (cos_ce * cos_cn) * (cos_ce * cos_cn)).sqrt();
        let chi = z.atan2(h);
        // Gaussian → geodetic latitude, sin 2χ and cos 2χ from z and h.
        let r2 = z * z + h * h;
        let phi = chi + clenshaw_sc(&self.cgb, 2.0 * z * h / r2, (h - z) * (h + z) / r2);
        Some((lam + self.lam0, phi))
    }

    /// Plane metres of `lam`, `phi` (radians), or why not (as proj4rs words it).
    pub(crate) fn apply(&self, lam: f64, phi: f64) -> Result<Coord, &'static str> {
        use std::f64::consts::{FRAC_PI_2, PI, TAU};
        if phi.abs() - FRAC_PI_2 > 1e-12 || lam.abs() > 10.0 {
            return Err("Coordinate out of range");
        }
        let mut lam = lam - self.lam0;
        if lam.abs() >= PI + 1e-12 {
            lam += PI;
            lam -= TAU * (lam / TAU).floor();
            lam -= PI;
        }
        // Gaussian latitude χ = φ + δ, δ = Σ cₖ sin 2kφ, whose sine and cosine follow from
        // φ's by the addition formulas (|δ| < 0.0034, so short series give sin δ and cos δ).
        let (sin_phi, cos_phi) = phi.clamp(-FRAC_PI_2, FRAC_PI_2).sin_cos();
        let delta = clenshaw_sc(
            &self.cbg,
            2.0 * sin_phi * cos_phi,
            (cos_phi - sin_phi) * (cos_phi + sin_phi),
        );
        let (sin_d, cos_d) = small_sin_cos(delta);
        let sin_chi = sin_phi * cos_d + cos_phi * sin_d;
        let cos_chi = cos_phi * cos_d - sin_phi * sin_d;
        let (sin_lam, cos_lam) = lam.sin_cos();
        // Complementary spherical latitude and the normalised spherical easting.
        let cy = cos_lam * cos_chi;
        let cn = sin_chi.atan2(cy);
        let s = sin_lam * cos_chi;
        let ce = 0.5 * (2.0 * s / (1.0 - s)).ln_1p();
        // The series' arguments 2·cn and 2·ce without more transcendental calls: cn is the
        // angle of (cy, sin χ), and e^(2·ce) = (1 + s) / (1 − s).
        let h2 = sin_chi * sin_chi + cy * cy;
        let (sin_2n, cos_2n) = (
            2.0 * sin_chi * cy / h2,
            (cy - sin_chi) * (cy + sin_chi) / h2,
        );
        let one_s2 = (1.0 - s) * (1.0 + s);
        let (sinh_2e, cosh_2e) = (2.0 * s / one_s2, (1.0 + s * s) / one_s2);
        let (dn, de) = clenshaw_complex(&self.gtu, sin_2n, cos_2n, sinh_2e, cosh_2e);
        let (cn, ce) = (cn + dn, ce + de);
        if ce.abs() > 2.623_395_162_778 || !ce.is_finite() {
            return Err("Coordinate outside projection domain");
        }
        Ok(Coord {
            x: self.a_qn * ce,
            y: self.a_qn * cn - self.north0,
        })
    }
}

/// Geodetic latitude `b` → Gaussian (conformal sphere) latitude.
fn gauss_lat(c: &[f64; 6], b: f64) -> f64 {
    b + clenshaw(c, 2.0 * b)
}

/// Σ cₖ sin(k·arg) by Clenshaw's recurrence (`c` highest order first).
fn clenshaw(c: &[f64; 6], arg: f64) -> f64 {
    let (sin_a, cos_a) = arg.sin_cos();
    clenshaw_sc(c, sin_a, cos_a)
}

/// [`clenshaw`] given the sine and cosine of the argument.
fn clenshaw_sc(c: &[f64; 6], sin_a: f64, cos_a: f64) -> f64 {
    let r = 2.0 * cos_a;
    let (mut h1, mut h2) = (0.0, 0.0);
    for &p in c {
        let h = -h2 + r * h1 + p;
        h2 = h1;
        h1 = h;
    }
    sin_a * h1
}

/// sin and cos of a small angle (|d| < 0.01) by their Taylor series, to a unit in the last
/// place (the first term left out is below 10⁻²⁰ of the result).
fn small_sin_cos(d: f64) -> (f64, f64) {
    let d2 = d * d;
    let sin = d * (1.0 - d2 / 6.0 * (1.0 - d2 / 20.0 * (1.0 - d2 / 42.0)));
    let cos = 1.0 - d2 / 2.0 * (1.0 - d2 / 12.0 * (1.0 - d2 / 30.0 * (1.0 - d2 / 56.0)));
    (sin, cos)
}

/// sin and cos of `d`: by [`small_sin_cos`] when it is small, else directly.
fn sin_cos_of_small(d: f64) -> (f64, f64) {
    if d.abs() < 0.01 {
        small_sin_cos(d)
    } else {
        d.sin_cos()
    }
}

/// e^d by its Taylor series when `d` is small (|d| < 0.01: the first term left out is below
/// 10⁻²⁰ of the result), else directly.
fn exp_of_small(d: f64) -> f64 {
    if d.abs() < 0.01 {
        1.0 + d
            * (1.0
                + d / 2.0
                    * (1.0
                        + d / 3.0
                            * (1.0
                                + d / 4.0 * (1.0 + d / 5.0 * (1.0 + d / 6.0 * (1.0 + d / 7.0))))))
    } else {
        d.exp()
    }
}

/// Σ cₖ sin(k·(re + i·im)) by the complex Clenshaw recurrence: (real, imaginary) parts,
/// given sin and cos of `re` and sinh and cosh of `im`.
fn clenshaw_complex(c: &[f64; 6], sin_r: f64, cos_r: f64, sinh_i: f64, cosh_i: f64) -> (f64, f64) {
    let (r, i) = (2.0 * cos_r * cosh_i, -2.0 * sin_r * sinh_i);
    let (mut hr1, mut hr2, mut hi1, mut hi2) = (0.0, 0.0, 0.0, 0.0);
    for &p in c {
        let hr = -hr2 + r * hr1 - i * hi1 + p;
        let hi = -hi2 + i * hr1 + r * hi1;
        hr2 = hr1;
        hi2 = hi1;
        hr1 = hr;
        hi1 = hi;
    }
    let (r, i) = (sin_r * cosh_i, cos_r * sinh_i);
    (r * hr1 - i * hi1, r * hi1 + i * hr1)
}

/// A plain transverse Mercator input system (UTM or Gauss-Krüger on WGS84 or GRS80, no datum
/// shift): converted to lon/lat by [`Krueger::inverse`] instead of proj4rs, with the same
/// answers (see the tests) at a fraction of the cost.
#[derive(Debug, Clone)]
pub(crate) struct PlainTm {
    series: Krueger,
    x0: f64,
    y0: f64,
}

impl PlainTm {
    /// The system of a proj string, when it is nothing but a transverse Mercator on WGS84 or
    /// GRS80 in metres (`+proj=utm|tmerc|etmerc` with `+zone`, `+south`, `+lon_0`, `+lat_0`,
    /// `+k`, `+x_0`, `+y_0`, `+ellps`/`+datum`, `+units=m`, a zero `+towgs84`); `None` for
    /// anything else, which proj4rs converts.
    pub(crate) fn parse(proj: &str) -> Option<Self> {
        let (mut kind, mut zone, mut south, mut f) = (None, None, false, None);
        let (mut lon0, mut lat0, mut k0, mut x0, mut y0) = (0.0, 0.0, 1.0, 0.0, 0.0);
        for token in proj.split_whitespace() {
            let token = token.strip_prefix('+')?;
            let (key, value) = token.split_once('=').unwrap_or((token, ""));
            let num = || value.parse::<f64>().ok().filter(|v| v.is_finite());
            match key {
                "proj" => kind = Some(value),
                "zone" => zone = Some(value.parse::<u32>().ok().filter(|z| (1..=60).contains(z))?),
                "south" => south = true,
                "lon_0" => lon0 = num()?,
                "lat_0" => lat0 = num()?,
                "k" | "k_0" => k0 = num().filter(|k| *k > 0.0)?,
                "x_0" => x0 = num()?,
                "y_0" => y0 = num()?,
                "ellps" | "datum" => {
                    f = Some(match value {
                        "WGS84" => WGS84_F,
                        "GRS80" => GRS80_F,
                        _ => return None,
                    })
                }
                "towgs84" if value.split(',').all(|v| v.parse::<f64>() == Ok(0.0)) => {}
                "units" if value == "m" => {}
                "no_defs" | "type" | "wktext" => {}
                _ => return None,
            }
        }
        let f = f?;
        match kind? {
            "utm" => {
                let zone = zone?;
                lon0 = 6.0 * zone as f64 - 183.0;
                (lat0, k0, x0) = (0.0, 0.9996, 500_000.0);
                y0 = if south { 10_000_000.0 } else { 0.0 };
            }
            "tmerc" | "etmerc" if zone.is_none() && !south => {}
            _ => return None,
        }
        Some(Self {
            series: Krueger::tm(WGS84_A, f, k0, lon0, lat0),
            x0,
            y0,
        })
    }

    /// Lon/lat degrees of easting `x`, northing `y`, or `None` outside the projection.
    pub(crate) fn to_lonlat(&self, x: f64, y: f64) -> Option<Coord> {
        let (lam, phi) = self.series.inverse(x - self.x0, y - self.y0)?;
        let c = Coord {
            x: lam.to_degrees(),
            y: phi.to_degrees(),
        };
        (c.x.is_finite() && c.y.is_finite()).then_some(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The inverse agrees with proj4rs within 1e-11 degrees (about a micrometre) for UTM
    /// north and south, Gauss-Krüger on GRS80 with the zone in the easting, and a tmerc with
    /// an origin latitude and a scale, over the zones' width and beyond.
    #[test]
    fn plain_inverse_agrees_with_proj4rs() {
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 11) as f64 / (1u64 << 53) as f64
        };
        let dst =
            proj4rs::proj::Proj::from_proj_string("+proj=longlat +datum=WGS84 +no_defs").unwrap();
        for (proj, x0, y0) in [
            (
                "+proj=utm +zone=48 +datum=WGS84 +units=m +no_defs",
                500_000.0,
                3_300_000.0,
            ),
            (
                "+proj=utm +zone=19 +south +datum=WGS84 +units=m +no_defs",
                500_000.0,
                6_300_000.0,
            ),
            (
                "+proj=tmerc +lat_0=0 +lon_0=105 +k=1 +x_0=35500000 +y_0=0 +ellps=GRS80 +units=m +no_defs",
                35_500_000.0,
                3_300_000.0,
            ),
            (
                "+proj=tmerc +lat_0=47.1 +lon_0=9.5 +k=0.9999 +x_0=1000 +y_0=-200 +ellps=WGS84 +towgs84=0,0,0 +units=m",
                1000.0,
                0.0,
            ),
        ] {
            let mine = PlainTm::parse(proj).unwrap_or_else(|| panic!("{proj}"));
            let src = proj4rs::proj::Proj::from_proj_string(proj).unwrap();
            for _ in 0..20_000 {
                let x = x0 + (next() - 0.5) * 1_400_000.0;
                let y = y0 + (next() - 0.5) * 4_000_000.0;
                let mut p = (x, y, 0.0);
                let theirs = proj4rs::transform::transform(&src, &dst, &mut p).is_ok();
                let ours = mine.to_lonlat(x, y);
                let (true, Some(c)) = (theirs, ours) else {
                    assert_eq!(theirs, ours.is_some(), "{proj}: {x} {y}");
                    continue;
                };
                let (dlon, dlat) = (c.x - p.0.to_degrees(), c.y - p.1.to_degrees());
                assert!(
                    dlon.abs() < 1e-11 && dlat.abs() < 1e-11,
                    "{proj}: {x} {y}: {dlon} {dlat}"
                );
            }
        }
    }

    #[test]
    fn anything_else_is_left_to_proj4rs() {
        for proj in [
            "+proj=utm +zone=48 +ellps=krass +units=m",
            "+proj=utm +zone=48 +datum=WGS84 +units=ft",
            "+proj=tmerc +lon_0=105 +ellps=GRS80 +towgs84=1,2,3",
            "+proj=merc +datum=WGS84",
            "+proj=utm +datum=WGS84",
            "+proj=tmerc +lon_0=105 +units=m",
            "+proj=tmerc +lon_0=105 +ellps=GRS80 +axis=neu",
        ] {
            assert!(PlainTm::parse(proj).is_none(), "{proj}");
        }
    }
}
