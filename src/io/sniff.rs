//! What a file that is not GeoJSON probably is, from its first bytes: so that a Shapefile, a
//! gzip archive, NDJSON, a CSV table or GBK-encoded text given where GeoJSON was expected gets
//! "this looks like a Shapefile" instead of a JSON parser's complaint.

/// A description of what `bytes` look like and what to do, when they are clearly not a
/// GeoJSON document; `None` when they might be one (let the JSON parser speak).
#[allow(clippy::too_many_lines)] // one check per format it recognises, in order
pub(crate) fn not_geojson(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(4096)];
    let magic: &[(&[u8], &str)] = &[
        (
            &[0x00, 0x00, 0x27, 0x0A],
            "a Shapefile (.shp): give the .shp path to a reader that knows Shapefiles, or convert it: ogr2ogr -f GeoJSON out.geojson in.shp",
        ),
        (
            b"SQLite format 3\0",
            "an SQLite database (GeoPackage?): convert the layer: ogr2ogr -f GeoJSON out.geojson in.gpkg LAYER",
        ),
        (
            &[0x1F, 0x8B],
            "gzip-compressed: decompress it first (gunzip)",
        ),
        (b"PK\x03\x04", "a zip archive: unpack it first"),
        (b"fgb\x03", "FlatGeobuf (.fgb): name it .fgb"),
        (b"PAR1", "Parquet (GeoParquet?): convert it to GeoJSON"),
        (
            &[0x00, 0x00, 0x00, 0x0D, 0x0A, 0x09, b'O', b'S', b'M', b'H'],
            "an OSM PBF extract: convert it (osmium export) or use an OSM reader",
        ),
        (b"%PDF", "a PDF document, not data"),
        (
            b"<?xml",
            "XML (KML, GML or OSM XML?): convert it to GeoJSON (ogr2ogr)",
        ),
    ];
    for (m, what) in magic {
        if head.starts_with(m) {
            return Some(format!("this is not GeoJSON: it looks like {what}"));
        }
    }
    // OSM PBF: a 4-byte length then a BlobHeader whose type is "OSMHeader".
    if head.len() > 16 && head[4..16].windows(9).any(|w| w == b"OSMHeader") {
        return Some(
            "this is not GeoJSON: it looks like an OSM PBF extract: convert it (osmium export) or use an OSM reader"
                .into(),
        );
    }
    let text = match std::str::from_utf8(head) {
        Ok(t) => t,
        // A cut at 4096 bytes may split a character: judge the valid prefix.
        Err(e) if e.error_len().is_none() => std::str::from_utf8(&head[..e.valid_up_to()]).ok()?,
        Err(_) => {
            let (_, _, bad) = encoding_rs::GBK.decode(head);
            return Some(if bad {
                "this is not UTF-8 text (GeoJSON must be UTF-8) nor a known binary format".into()
            } else {
                "this is not UTF-8: it looks like GBK-encoded text (GeoJSON must be UTF-8): convert it (iconv -f GBK -t UTF-8)".into()
            });
        }
    };
    let t = text.trim_start_matches('\u{feff}').trim_start();
    if t.is_empty() {
        return None;
    }
    if t.starts_with('{') {
        // NDJSON / GeoJSON Text Sequences: one Feature per line.
        let mut lines = t.lines().filter(|l| !l.trim().is_empty());
        let first = lines.next().unwrap_or("");
        let second = lines.next();
        if first.contains("\"Feature\"")
            && !first.contains("FeatureCollection")
            && second.is_some_and(|l| l.trim_start().starts_with('{'))
        {
            return Some(
                "this looks like newline-delimited GeoJSON (one Feature per line), not a FeatureCollection: wrap it (ogr2ogr -f GeoJSON out.geojson in.geojsonl)"
                    .into(),
            );
        }
        return None;
    }
    if t.starts_with('\u{1e}') {
        return Some("this is a GeoJSON text sequence (RFC 8142), not a FeatureCollection: convert it (ogr2ogr)".into());
    }
    if t.starts_with('[') {
        return None; // let the parser say what the array is
    }
    let first = t.lines().next().unwrap_or("");
    if first.contains(',') || first.contains('\t') || first.contains(';') {
        return Some(format!(
            "this looks like a CSV table (first line: \"{}\"), not GeoJSON",
            first.chars().take(60).collect::<String>()
        ));
    }
    if first.starts_with("PROJCS[") || first.starts_with("GEOGCS[") {
        return Some("this is a .prj (WKT CRS) file, not data".into());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_common_wrong_inputs() {
        let says = |b: &[u8], what: &str| {
            let m = not_geojson(b).unwrap_or_default();
            assert!(m.contains(what), "{m:?} should contain {what:?}");
        };
        says(&[0, 0, 0x27, 0x0A, 0, 0], "Shapefile");
        says(&[0x1F, 0x8B, 8, 0], "gzip");
        says(b"SQLite format 3\0....", "GeoPackage");
        says(b"lon,lat,name\n9.5,47.1,a\n", "CSV");
        says(
            b"{\"type\":\"Feature\",\"geometry\":null,\"properties\":{}}\n{\"type\":\"Feature\"}\n",
            "newline-delimited",
        );
        // "name,公园" in GBK.
        says(
            &[b'n', b'a', b'm', b'e', b',', 0xB9, 0xAB, 0xD4, 0xB0, b'\n'],
            "GBK",
        );
    }

    #[test]
    fn leaves_geojson_and_json_errors_to_the_parser() {
        assert_eq!(
            not_geojson(b"{\"type\":\"FeatureCollection\",\"features\":[]}"),
            None
        );
        assert_eq!(
            not_geojson(b"\xEF\xBB\xBF  {\"type\":\"FeatureCollection\""),
            None
        );
        assert_eq!(not_geojson(b"[1,2]"), None);
        assert_eq!(not_geojson(b""), None);
        assert_eq!(not_geojson(b"   "), None);
    }
}
