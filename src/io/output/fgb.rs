//! FlatGeobuf points, written as a stream: the header first (with a feature count patched in
//! at the end), then one feature per row, no spatial index, so memory does not grow with the
//! number of points. QGIS, GDAL/OGR and GeoPandas (pyogrio) read it.

use std::io::{self, Seek, SeekFrom, Write};

use flatbuffers::FlatBufferBuilder;
use flatgeobuf::{
    Column, ColumnArgs, ColumnType, Crs, CrsArgs, Feature, FeatureArgs, Geometry, GeometryArgs,
    GeometryType, Header, HeaderArgs,
};

use crate::standard::Standard;

/// The FlatGeobuf magic bytes (format version 3).
const MAGIC: [u8; 8] = *b"fgb\x03fgb\x00";

/// Column layout: `id`, then per tier `<t>_m`, `<t>_ok`, `<t>_nearest`, then `all_ok`, `status`.
fn columns(standard: &Standard) -> Vec<(String, ColumnType)> {
    let mut c = vec![("id".to_string(), ColumnType::String)];
    for t in &standard.tiers {
        c.push((format!("{}_m", t.name), ColumnType::Double));
        c.push((format!("{}_ok", t.name), ColumnType::Bool));
        c.push((format!("{}_nearest", t.name), ColumnType::String));
    }
    c.push(("all_ok".into(), ColumnType::Bool));
    c.push(("status".into(), ColumnType::String));
    c
}

/// The size-prefixed header for `count` features. Defaults are forced into the buffer so its
/// length does not depend on `count`, and the real count can overwrite the placeholder.
pub(super) fn header(standard: &Standard, count: u64) -> Vec<u8> {
    let mut fbb = FlatBufferBuilder::new();
    fbb.force_defaults(true);
    let cols: Vec<_> = columns(standard)
        .into_iter()
        .map(|(name, type_)| {
            let name = fbb.create_string(&name);
            Column::create(
                &mut fbb,
                &ColumnArgs {
                    name: Some(name),
                    type_,
                    nullable: true,
                    ..Default::default()
                },
            )
        })
        .collect();
    let columns = fbb.create_vector(&cols);
    let org = fbb.create_string("EPSG");
    let crs = Crs::create(
        &mut fbb,
        &CrsArgs {
            org: Some(org),
            code: 4326,
            ..Default::default()
        },
    );
    let name = fbb.create_string("greenreach points");
    let h = Header::create(
        &mut fbb,
        &HeaderArgs {
            name: Some(name),
            geometry_type: GeometryType::Point,
            columns: Some(columns),
            features_count: count,
            index_node_size: 0,
            crs: Some(crs),
            ..Default::default()
        },
    );
    fbb.finish_size_prefixed(h, None);
    let mut out = MAGIC.to_vec();
    out.extend_from_slice(fbb.finished_data());
    out
}

/// One row's values, in column order; `None` is a null.
pub(super) enum Value<'a> {
    /// A string column.
    Str(&'a str),
    /// A double column.
    F64(f64),
    /// A boolean column.
    Bool(bool),
}

/// Encode one feature (size-prefixed) into `out`.
pub(super) fn feature(
    fbb: &mut FlatBufferBuilder<'_>,
    lonlat: Option<(f64, f64)>,
    values: &[Option<Value<'_>>],
    out: &mut impl Write,
) -> io::Result<()> {
    fbb.reset();
    let mut props = Vec::with_capacity(64);
    for (i, v) in values.iter().enumerate() {
        let Some(v) = v else { continue };
        props.extend_from_slice(&(i as u16).to_le_bytes());
        match v {
            Value::Str(s) => {
                props.extend_from_slice(&(s.len() as u32).to_le_bytes());
                props.extend_from_slice(s.as_bytes());
            }
            Value::F64(x) => props.extend_from_slice(&x.to_le_bytes()),
            Value::Bool(b) => props.push(u8::from(*b)),
        }
    }
    let geometry = lonlat.map(|(x, y)| {
        let xy = fbb.create_vector(&[x, y]);
        Geometry::create(
            fbb,
            &GeometryArgs {
                xy: Some(xy),
                ..Default::default()
            },
        )
    });
    let properties = fbb.create_vector(&props);
    let f = Feature::create(
        fbb,
        &FeatureArgs {
            geometry,
            properties: Some(properties),
            columns: None,
        },
    );
    fbb.finish_size_prefixed(f, None);
    out.write_all(fbb.finished_data())
}

/// Overwrite the header of a finished file with the real feature count.
pub(super) fn patch_count(
    file: &mut std::fs::File,
    standard: &Standard,
    count: u64,
) -> io::Result<()> {
    let h = header(standard, count);
    file.seek(SeekFrom::Start(0))?;
    file.write_all(&h)
}
