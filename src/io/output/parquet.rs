//! GeoParquet points for the per-point results (`--out FILE.parquet`, cargo feature
//! `geoparquet`): a WKB `geometry` column (WGS84 lon/lat, so the `geo` metadata leaves `crs`
//! out, which GeoParquet 1.1 reads as OGC:CRS84; null for skipped rows), then the
//! GeoPackage table's columns with the same types (DOUBLE, BOOLEAN, UTF-8 strings; nullable).
//! Snappy-compressed row groups of 65 536 rows are written as batches come, so a grid streams
//! into it; the `geo` metadata with the bounding box goes into the footer. GeoPandas
//! (`read_parquet`), DuckDB, GDAL/OGR and QGIS read it.

use std::fs::File;
use std::io;
use std::sync::Arc;

use parquet::basic::{Compression, LogicalType, Repetition, Type as PhysicalType};
use parquet::data_type::{BoolType, ByteArray, ByteArrayType, DoubleType};
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::{ColumnPath, Type};

use super::Cell;
use super::gpkg::columns;
use crate::standard::Standard;

/// Rows per row group.
const GROUP_ROWS: usize = 1 << 16;

fn err(e: parquet::errors::ParquetError) -> io::Error {
    io::Error::other(format!("GeoParquet: {e}"))
}

/// A buffered row: its WGS84 point (`None` for a skipped row) and its cells.
type Row = (Option<(f64, f64)>, Vec<Cell>);

/// An open GeoParquet file being filled.
pub(crate) struct ParquetOut {
    writer: SerializedFileWriter<File>,
    /// SQL type of each column after the geometry (`REAL`, `BOOLEAN`, `TEXT`).
    kinds: Vec<&'static str>,
    rows: Vec<Row>,
    bounds: Option<[f64; 4]>,
}

fn schema(standard: &Standard) -> Result<Type, parquet::errors::ParquetError> {
    let field = |name: &str, physical: PhysicalType, text: bool| {
        Type::primitive_type_builder(name, physical)
            .with_repetition(Repetition::OPTIONAL)
            .with_logical_type(text.then_some(LogicalType::String))
            .build()
            .map(Arc::new)
    };
    let mut fields = vec![field("geometry", PhysicalType::BYTE_ARRAY, false)?];
    for (name, kind) in columns(standard) {
        fields.push(match kind {
            "REAL" => field(&name, PhysicalType::DOUBLE, false)?,
            "BOOLEAN" => field(&name, PhysicalType::BOOLEAN, false)?,
            _ => field(&name, PhysicalType::BYTE_ARRAY, true)?,
        });
    }
    Type::group_type_builder("greenreach_points")
        .with_fields(fields)
        .build()
}

impl ParquetOut {
    /// Start the file at `path` (already created, empty).
    pub(crate) fn create(path: &std::path::Path, standard: &Standard) -> io::Result<Self> {
        let file = std::fs::OpenOptions::new()
            .write(true)
            .truncate(true)
            .open(path)?;
        // Dictionaries only where values repeat (flags, nearest labels, status): hashing a
        // million distinct ids, points and distances into one costs time and saves nothing.
        let mut props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_created_by(format!("greenreach {}", env!("CARGO_PKG_VERSION")));
        for (name, _) in std::iter::once(("geometry".to_string(), "BLOB"))
            .chain(columns(standard))
            .filter(|(n, k)| matches!(*k, "BLOB" | "REAL") || n == "id")
        {
            props = props.set_column_dictionary_enabled(ColumnPath::from(name.as_str()), false);
        }
        let props = props.build();
        let writer = SerializedFileWriter::new(
            file,
            Arc::new(schema(standard).map_err(err)?),
            Arc::new(props),
        )
        .map_err(err)?;
        Ok(Self {
            writer,
            kinds: columns(standard).into_iter().map(|(_, k)| k).collect(),
            rows: Vec::with_capacity(GROUP_ROWS),
            bounds: None,
        })
    }

    /// Add a row: its point (lon, lat; `None` for a skipped row) and its cells.
    pub(crate) fn row(&mut self, point: Option<(f64, f64)>, cells: Vec<Cell>) -> io::Result<()> {
        if let Some((x, y)) = point {
            let b = self.bounds.get_or_insert([x, y, x, y]);
            *b = [b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y)];
        }
        self.rows.push((point, cells));
        if self.rows.len() >= GROUP_ROWS {
            self.flush()?;
        }
        Ok(())
    }

    /// Write the buffered rows as one row group.
    fn flush(&mut self) -> io::Result<()> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let rows = std::mem::take(&mut self.rows);
        let mut group = self.writer.next_row_group().map_err(err)?;
        let missing = || io::Error::other("GeoParquet: fewer columns than cells");
        let mut col = group.next_column().map_err(err)?.ok_or_else(missing)?;
        let defs: Vec<i16> = rows.iter().map(|r| i16::from(r.0.is_some())).collect();
        let points: Vec<ByteArray> = rows
            .iter()
            .filter_map(|r| r.0)
            .map(|(x, y)| ByteArray::from(crate::io::wkb::point(x, y).to_vec()))
            .collect();
        col.typed::<ByteArrayType>()
            .write_batch(&points, Some(&defs), None)
            .map_err(err)?;
        col.close().map_err(err)?;
        for (k, kind) in self.kinds.iter().enumerate() {
            let mut col = group.next_column().map_err(err)?.ok_or_else(missing)?;
            let cells = rows.iter().map(|r| &r.1[k]);
            let defs: Vec<i16> = cells.clone().map(|c| i16::from(*c != Cell::Null)).collect();
            match *kind {
                "REAL" => {
                    let v: Vec<f64> = cells
                        .filter_map(|c| match c {
                            Cell::Real(v) => Some(*v),
                            _ => None,
                        })
                        .collect();
                    col.typed::<DoubleType>().write_batch(&v, Some(&defs), None)
                }
                "BOOLEAN" => {
                    let v: Vec<bool> = cells
                        .filter_map(|c| match c {
                            Cell::Flag(b) => Some(*b),
                            _ => None,
                        })
                        .collect();
                    col.typed::<BoolType>().write_batch(&v, Some(&defs), None)
                }
                _ => {
                    let v: Vec<ByteArray> = cells
                        .filter_map(|c| match c {
                            Cell::Text(s) => Some(ByteArray::from(s.as_str())),
                            _ => None,
                        })
                        .collect();
                    col.typed::<ByteArrayType>()
                        .write_batch(&v, Some(&defs), None)
                }
            }
            .map_err(err)?;
            col.close().map_err(err)?;
        }
        group.close().map_err(err)?;
        Ok(())
    }

    /// Write the last row group, the `geo` metadata and the footer.
    pub(crate) fn finish(mut self) -> io::Result<()> {
        self.flush()?;
        let mut column = serde_json::json!({
            "encoding": "WKB",
            "geometry_types": ["Point"],
        });
        if let Some(b) = self.bounds {
            column["bbox"] = serde_json::json!(b);
        }
        let geo = serde_json::json!({
            "version": "1.1.0",
            "primary_column": "geometry",
            "columns": { "geometry": column },
        });
        self.writer
            .append_key_value_metadata(KeyValue::new("geo".into(), geo.to_string()));
        self.writer.close().map_err(err)?;
        Ok(())
    }
}
