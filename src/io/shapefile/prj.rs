//! A `.prj` (ESRI WKT1, OGC WKT1 or WKT2) to a [`SourceCrs`]: geographic systems by datum,
//! projected ones by projection method and parameters (with the CGCS2000 Gauss-Krüger names
//! `..._GK_CM_114E` / `..._GK_Zone_38` read when the parameters are missing).

use crate::crs::SourceCrs;

/// A WKT node: `KEYWORD[ "text" | number | node, ... ]`.
#[derive(Debug, Clone)]
enum Wkt {
    Text(String),
    Num(f64),
    Node(String, Vec<Wkt>),
}

impl Wkt {
    fn kw(&self) -> &str {
        match self {
            Wkt::Node(k, _) => k,
            _ => "",
        }
    }
    fn kids(&self) -> &[Wkt] {
        match self {
            Wkt::Node(_, k) => k,
            _ => &[],
        }
    }
    fn name(&self) -> String {
        match self.kids().first() {
            Some(Wkt::Text(s)) => s.clone(),
            _ => String::new(),
        }
    }
    fn num(&self, i: usize) -> Option<f64> {
        match self.kids().get(i) {
            Some(Wkt::Num(v)) => Some(*v),
            _ => None,
        }
    }
    /// First descendant (depth first) with one of these keywords.
    fn find(&self, kws: &[&str]) -> Option<&Wkt> {
        for k in self.kids() {
            if kws.contains(&k.kw()) {
                return Some(k);
            }
            if let Some(f) = k.find(kws) {
                return Some(f);
            }
        }
        None
    }
}

fn parse_wkt(text: &str) -> Result<Wkt, String> {
    let b: Vec<char> = text.chars().collect();
    let mut i = 0;
    let v = node(&b, &mut i)?;
    skip_ws(&b, &mut i);
    if i != b.len() {
        return Err(format!("unexpected text after the end, at character {i}"));
    }
    Ok(v)
}

fn skip_ws(b: &[char], i: &mut usize) {
    while *i < b.len() && b[*i].is_whitespace() {
        *i += 1;
    }
}

fn node(b: &[char], i: &mut usize) -> Result<Wkt, String> {
    skip_ws(b, i);
    if *i >= b.len() {
        return Err("unexpected end".into());
    }
    if b[*i] == '"' {
        *i += 1;
        let mut s = String::new();
        while *i < b.len() {
            if b[*i] == '"' {
                if b.get(*i + 1) == Some(&'"') {
                    s.push('"');
                    *i += 2;
                    continue;
                }
                *i += 1;
                return Ok(Wkt::Text(s));
            }
            s.push(b[*i]);
            *i += 1;
        }
        return Err("unclosed quote".into());
    }
    let start = *i;
    while *i < b.len() && (b[*i].is_alphanumeric() || matches!(b[*i], '_' | '.' | '-' | '+')) {
        *i += 1;
    }
    let word: String = b[start..*i].iter().collect();
    if word.is_empty() {
        return Err(format!("unexpected '{}' at character {start}", b[*i]));
    }
    skip_ws(b, i);
    if *i < b.len() && (b[*i] == '[' || b[*i] == '(') {
        let close = if b[*i] == '[' { ']' } else { ')' };
        *i += 1;
        let mut kids = Vec::new();
        loop {
            skip_ws(b, i);
            if *i < b.len() && b[*i] == close {
                *i += 1;
                break;
            }
            kids.push(node(b, i)?);
            skip_ws(b, i);
            match b.get(*i) {
                Some(',') => *i += 1,
                Some(c) if *c == close => {}
                _ => return Err(format!("expected ',' or '{close}' at character {i}")),
            }
        }
        return Ok(Wkt::Node(word.to_ascii_uppercase(), kids));
    }
    match word.parse::<f64>() {
        Ok(v) => Ok(Wkt::Num(v)),
        Err(_) => Ok(Wkt::Text(word)),
    }
}

fn norm(s: &str) -> String {
    s.to_ascii_lowercase().replace([' ', '-'], "_")
}

/// The datum's name (normalised) and, for Xian 1980 and Beijing 1954, its common name.
fn datum_of(w: &Wkt) -> (String, Option<&'static str>) {
    let datum = w
        .find(&["DATUM", "GEODETICDATUM"])
        .map(|d| norm(&d.name()))
        .unwrap_or_default();
    let legacy = if datum.contains("xian") || datum.contains("xi_an") {
        Some("Xian 1980")
    } else if datum.contains("beijing") {
        Some("Beijing 1954")
    } else {
        None
    };
    (datum, legacy)
}

/// The value of the first `PARAMETER` anywhere in `w` whose normalised name is one of `keys`.
fn parameter(w: &Wkt, keys: &[&str]) -> Option<f64> {
    fn walk<'a>(w: &'a Wkt, out: &mut Vec<&'a Wkt>) {
        for k in w.kids() {
            if k.kw() == "PARAMETER" {
                out.push(k);
            }
            walk(k, out);
        }
    }
    let mut ps = Vec::new();
    walk(w, &mut ps);
    ps.into_iter()
        .find(|p| keys.contains(&norm(&p.name()).as_str()))
        .and_then(|p| p.num(1))
}

/// What a `.prj` says, with a warning for datums greenreach cannot shift.
#[allow(clippy::too_many_lines)] // one arm per projection family a .prj names
pub(crate) fn to_crs(text: &str) -> Result<(SourceCrs, Option<String>), String> {
    let text = text.trim_start_matches('\u{feff}').trim();
    if text.is_empty() {
        return Err("is empty".into());
    }
    let w = parse_wkt(text).map_err(|e| format!("is not WKT: {e}"))?;
    let (datum, legacy) = datum_of(&w);
    let warning = legacy.map(|d| {
        format!(
            "the .prj says {d}; greenreach has no datum shift for it and reads it as CGCS2000 (positions may be off by tens of metres, up to about 100 m for Beijing 1954)"
        )
    });
    let kw = w.kw();
    if matches!(kw, "GEOGCS" | "GEOGCRS" | "GEODCRS") {
        let crs = if datum.contains("wgs") && datum.contains("84") {
            SourceCrs::Wgs84
        } else {
            SourceCrs::Cgcs2000
        };
        if !(datum.contains("wgs") || datum.contains("2000") || legacy.is_some()) {
            return Err(format!(
                "names geographic datum \"{datum}\", which greenreach does not know"
            ));
        }
        return Ok((crs, warning));
    }
    if !matches!(kw, "PROJCS" | "PROJCRS") {
        return Err(format!("starts with {kw}, not PROJCS or GEOGCS"));
    }
    let name = w.name();
    let method = w
        .find(&["PROJECTION", "METHOD"])
        .map(|m| norm(&m.name()))
        .unwrap_or_default();
    let param = |keys: &[&str]| parameter(&w, keys);
    let (a, rf) = w
        .find(&["SPHEROID", "ELLIPSOID"])
        .and_then(|s| Some((s.num(1)?, s.num(2)?)))
        .unwrap_or((6_378_137.0, 298.257_222_101));
    let to_m = w
        .kids()
        .iter()
        .rev()
        .find(|k| matches!(k.kw(), "UNIT" | "LENGTHUNIT"))
        .and_then(|u| u.num(1))
        .unwrap_or(1.0);
    let lname = norm(&name);
    if method.contains("mercator_auxiliary_sphere")
        || method.contains("popular_visualisation")
        || lname.contains("web_mercator")
        || lname.contains("pseudo_mercator")
    {
        return Ok((SourceCrs::from_epsg(3857).expect("known"), warning));
    }
    if !(method.contains("transverse_mercator") || method.contains("gauss_kruger")) {
        return Err(format!(
            "uses projection \"{method}\"; greenreach reads Transverse Mercator / Gauss-Krüger and Web Mercator from a .prj (give another system with --crs EPSG:CODE or +proj=)"
        ));
    }
    let from_name = gk_from_name(&lname);
    let lon0 = param(&[
        "central_meridian",
        "longitude_of_natural_origin",
        "longitude_of_origin",
    ])
    .or(from_name.map(|g| g.0))
    .ok_or("has no central meridian")?;
    let x0 = param(&["false_easting"])
        .or(from_name.map(|g| g.1))
        .unwrap_or(0.0);
    let y0 = param(&["false_northing"]).unwrap_or(0.0);
    let k = param(&["scale_factor", "scale_factor_at_natural_origin"]).unwrap_or(1.0);
    let lat0 = param(&["latitude_of_origin", "latitude_of_natural_origin"]).unwrap_or(0.0);
    let proj = format!(
        "+proj=tmerc +lat_0={lat0} +lon_0={lon0} +k={k} +x_0={} +y_0={} +a={a} +rf={rf} +units=m +no_defs",
        x0 * to_m,
        y0 * to_m
    );
    let proj = if to_m == 1.0 {
        proj
    } else {
        format!("{proj} +to_meter={to_m}")
    };
    Ok((SourceCrs::Projected { name, proj }, warning))
}

/// Central meridian and false easting from a CGCS2000 / Xian / Beijing GK name.
fn gk_from_name(lname: &str) -> Option<(f64, f64)> {
    if let Some(i) = lname.find("_cm_") {
        let d: String = lname[i + 4..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        return Some((d.parse().ok()?, 500_000.0));
    }
    let i = lname.find("_zone_")?;
    let z: f64 = lname[i + 6..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .ok()?;
    let lon0 = if lname.contains("3_degree") {
        3.0 * z
    } else {
        6.0 * z - 3.0
    };
    Some((lon0, z * 1_000_000.0 + 500_000.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    const CM114: &str = r#"PROJCS["CGCS2000_3_Degree_GK_CM_114E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",114.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;

    #[test]
    fn esri_cgcs2000_gauss_kruger() {
        let (c, w) = to_crs(CM114).unwrap();
        assert!(w.is_none());
        let SourceCrs::Projected { name, proj } = c else {
            panic!()
        };
        assert_eq!(name, "CGCS2000_3_Degree_GK_CM_114E");
        assert!(
            proj.contains("+lon_0=114 ") && proj.contains("+x_0=500000 "),
            "{proj}"
        );
    }

    #[test]
    fn zone_names_legacy_datums_and_geographic() {
        assert_eq!(
            gk_from_name("cgcs2000_3_degree_gk_zone_38"),
            Some((114.0, 38_500_000.0))
        );
        assert_eq!(
            gk_from_name("xian_1980_gk_zone_19"),
            Some((111.0, 19_500_000.0))
        );
        let xian = CM114.replace("D_China_2000", "D_Xian_1980");
        assert!(to_crs(&xian).unwrap().1.unwrap().contains("Xian 1980"));
        let g = r#"GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]"#;
        assert_eq!(to_crs(g).unwrap().0, SourceCrs::Wgs84);
        assert!(to_crs("PROJCS[\"x\"").is_err());
        assert!(to_crs("").is_err());
    }
}
