//! Per-point output: CSV, GeoJSON, FlatGeobuf, GeoPackage or GeoParquet (feature `geoparquet`), one row or feature per input
//! point in input order, skipped features included (empty results, `status` saying why).
//! Files are written atomically ([`crate::io::atomic`]).

pub(crate) mod csv_out;
mod fgb;
pub(crate) mod fixed;
pub(crate) mod gpkg;
pub(crate) mod network;
#[cfg(feature = "geoparquet")]
mod parquet;
pub(crate) mod walk;

use std::io::{self, Write};
use std::path::Path;

use csv_out::CsvOut;

use crate::crs::LocalPlane;
use crate::engine::coverage::{Coverage, NO_FEATURE};
use crate::io::atomic::AtomicFile;
use crate::run::demand::{DemandPoints, SkippedRow};
use crate::run::green::GreenSpaces;
use crate::standard::Standard;

/// Per-point file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Comma-separated values with a header.
    Csv,
    /// A GeoJSON FeatureCollection of points.
    GeoJson,
    /// FlatGeobuf points (compact and streamed: for huge grids).
    FlatGeobuf,
    /// A GeoPackage with one point table (QGIS opens one file).
    GeoPackage,
    /// GeoParquet points (WKB, WGS84; cargo feature `geoparquet`).
    GeoParquet,
}

/// Why a build without the `geoparquet` feature cannot write Parquet.
#[cfg(not(feature = "geoparquet"))]
pub(crate) const NO_PARQUET_OUT: &str = "this build of greenreach does not write GeoParquet: build it with `cargo install --path . --features geoparquet`, or write .gpkg or .fgb";

impl Format {
    /// The format named by the file's extension (`.csv`, `.geojson`, `.json`, `.fgb`, `.gpkg`,
    /// `.parquet`).
    pub fn from_path(path: &Path) -> Option<Self> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "csv" => Some(Format::Csv),
            "geojson" | "json" => Some(Format::GeoJson),
            "fgb" => Some(Format::FlatGeobuf),
            "gpkg" => Some(Format::GeoPackage),
            "parquet" | "geoparquet" => Some(Format::GeoParquet),
            _ => None,
        }
    }
}

/// Everything a per-point writer reads.
pub(crate) struct PointTable<'a> {
    /// The standard (tier names, order).
    pub standard: &'a Standard,
    /// Points and ids.
    pub demand: &'a DemandPoints,
    /// Results; must hold distances.
    pub coverage: &'a Coverage,
    /// Green features (for the nearest feature's label).
    pub green: &'a GreenSpaces,
    /// For the lon/lat of grid points.
    pub plane: &'a LocalPlane,
}

/// Write `table` to `path` in `format`, atomically.
pub(crate) fn write(path: &Path, format: Format, table: &PointTable<'_>) -> io::Result<()> {
    let mut w = Writer::create(path, format, table.standard)?;
    w.write(table)?;
    w.finish()
}

/// A per-point file written batch by batch: header on creation, rows as batches come, and
/// the file renamed into place only by [`Writer::finish`]. Dropped unfinished, it removes its
/// temporary file.
pub(crate) struct Writer {
    format: Format,
    out: AtomicFile,
    rows: usize,
    standard: Standard,
    fbb: flatbuffers::FlatBufferBuilder<'static>,
    gpkg: Option<gpkg::GpkgOut>,
    #[cfg(feature = "geoparquet")]
    parquet: Option<parquet::ParquetOut>,
}

impl Writer {
    /// Start `path` (as a temporary file) and write the header.
    pub(crate) fn create(path: &Path, format: Format, standard: &Standard) -> io::Result<Self> {
        let mut out = AtomicFile::create(path)?;
        let mut gpkg = None;
        #[cfg(feature = "geoparquet")]
        let mut parquet = None;
        match format {
            Format::Csv => write_csv_header(&mut out, standard)?,
            Format::GeoJson => writeln!(out, "{{\"type\":\"FeatureCollection\",\"features\":[")?,
            Format::FlatGeobuf => out.write_all(&fgb::header(standard, 0))?,
            Format::GeoPackage => {
                gpkg = Some(gpkg::GpkgOut::create(out.temp_path(), standard)?);
            }
            #[cfg(feature = "geoparquet")]
            Format::GeoParquet => {
                parquet = Some(parquet::ParquetOut::create(out.temp_path(), standard)?);
            }
            #[cfg(not(feature = "geoparquet"))]
            Format::GeoParquet => return Err(io::Error::other(NO_PARQUET_OUT)),
        }
        Ok(Self {
            format,
            out,
            rows: 0,
            standard: standard.clone(),
            fbb: flatbuffers::FlatBufferBuilder::new(),
            gpkg,
            #[cfg(feature = "geoparquet")]
            parquet,
        })
    }

    /// Append the rows of `table`.
    pub(crate) fn write(&mut self, table: &PointTable<'_>) -> io::Result<()> {
        let out = &mut self.out;
        match self.format {
            Format::Csv => write_csv(out, table),
            Format::GeoJson => write_geojson(out, table, &mut self.rows),
            Format::FlatGeobuf => write_fgb(out, table, &mut self.fbb, &mut self.rows),
            Format::GeoPackage => match &mut self.gpkg {
                Some(g) => typed_rows(table, |p, cells| g.row(p, cells)),
                None => Err(io::Error::other("GeoPackage writer closed")),
            },
            #[cfg(feature = "geoparquet")]
            Format::GeoParquet => match &mut self.parquet {
                Some(g) => typed_rows(table, |p, cells| g.row(p, cells)),
                None => Err(io::Error::other("GeoParquet writer closed")),
            },
            #[cfg(not(feature = "geoparquet"))]
            Format::GeoParquet => Err(io::Error::other(NO_PARQUET_OUT)),
        }
    }

    /// Close the file and move it into place.
    pub(crate) fn finish(mut self) -> io::Result<()> {
        if self.format == Format::GeoJson {
            writeln!(self.out, "\n]}}")?;
        }
        if self.format == Format::FlatGeobuf {
            fgb::patch_count(self.out.file()?, &self.standard, self.rows as u64)?;
        }
        if let Some(g) = self.gpkg.take() {
            g.finish()?;
        }
        #[cfg(feature = "geoparquet")]
        if let Some(p) = self.parquet.take() {
            p.finish()?;
        }
        self.out.commit()
    }
}

fn lonlat(table: &PointTable<'_>, i: usize) -> io::Result<(f64, f64)> {
    let c = table
        .demand
        .lonlat_of(i, table.plane)
        .map_err(|e| io::Error::other(e.to_string()))?;
    Ok((c.x, c.y))
}

fn label<'a>(table: &'a PointTable<'_>, feature: u32) -> &'a str {
    if feature == NO_FEATURE {
        ""
    } else {
        &table.green.features[feature as usize].label
    }
}

/// One output row: an evaluated point or a skipped feature.
enum Row<'a> {
    Point(usize),
    Skipped(&'a SkippedRow),
}

/// Rows in input order: evaluated points and skipped features merged by file index.
fn rows<'a>(table: &'a PointTable<'_>) -> impl Iterator<Item = Row<'a>> + 'a {
    let d = table.demand;
    let mut skipped = d.skipped_rows.iter().peekable();
    let mut next = 0usize;
    std::iter::from_fn(move || {
        let point_at = (next < d.len()).then(|| d.file_index.get(next).copied().unwrap_or(0));
        match (point_at, skipped.peek()) {
            (Some(p), Some(s)) if s.file_index < p => Some(Row::Skipped(skipped.next()?)),
            (Some(_), _) => {
                next += 1;
                Some(Row::Point(next - 1))
            }
            (None, Some(_)) => Some(Row::Skipped(skipped.next()?)),
            (None, None) => None,
        }
    })
}

fn write_csv_header(w: &mut impl Write, standard: &Standard) -> io::Result<()> {
    let mut out = CsvOut::new(w);
    let mut header = vec!["id".to_string(), "lon".into(), "lat".into()];
    for t in &standard.tiers {
        header.extend(["m", "ok", "nearest"].map(|s| format!("{}_{s}", t.name)));
    }
    header.extend(["all_ok".into(), "status".into()]);
    out.record(&header)?;
    out.finish().map(drop)
}

fn bool_text(b: bool) -> &'static str {
    if b { "true" } else { "false" }
}

/// Rows formatted in parallel (pieces of a window of rows, each into its own buffer) and
/// written in order: text formats cost more to format than to write. `format` gets the rows
/// of a piece and the number of rows written before its first.
fn write_parallel(
    w: &mut impl Write,
    table: &PointTable<'_>,
    written: &mut usize,
    format: impl Fn(&[Row<'_>], usize, &mut Vec<u8>) -> io::Result<()> + Sync,
) -> io::Result<()> {
    use rayon::prelude::*;
    const PIECE: usize = 1 << 12;
    in_windows(table, 1 << 18, |window| {
        let first = *written;
        let pieces: Vec<io::Result<Vec<u8>>> = window
            .par_chunks(PIECE)
            .enumerate()
            .map(|(k, rows)| {
                let mut buf = Vec::with_capacity(rows.len() * 128);
                format(rows, first + k * PIECE, &mut buf).map(|()| buf)
            })
            .collect();
        for piece in pieces {
            w.write_all(&piece?)?;
        }
        *written += window.len();
        Ok(())
    })
}

/// The rows of `table` in input order, handed to `each` `size` at a time (the last window
/// may be shorter), so that a window can be worked on in parallel.
fn in_windows<'a>(
    table: &'a PointTable<'_>,
    size: usize,
    mut each: impl FnMut(&[Row<'a>]) -> io::Result<()>,
) -> io::Result<()> {
    let mut all = rows(table);
    let mut window = Vec::with_capacity(size);
    loop {
        window.clear();
        window.extend(all.by_ref().take(size));
        if window.is_empty() {
            return Ok(());
        }
        each(&window)?;
    }
}

fn write_csv(w: &mut impl Write, table: &PointTable<'_>) -> io::Result<()> {
    write_parallel(w, table, &mut 0, |rows, _, buf| csv_rows(rows, table, buf))
}

fn csv_rows(rows: &[Row<'_>], table: &PointTable<'_>, buf: &mut Vec<u8>) -> io::Result<()> {
    let mut out = CsvOut::new(buf);
    for row in rows {
        let i = match *row {
            Row::Point(i) => i,
            Row::Skipped(s) => {
                out.text(&s.id)?;
                out.empty(2 + 3 * table.standard.tiers.len() + 1)?;
                out.text(format!("skipped: {}", s.reason))?;
                out.end()?;
                continue;
            }
        };
        let (lon, lat) = lonlat(table, i)?;
        out.text(table.demand.ids.text(i).as_bytes())?;
        out.fixed(lon, 7)?;
        out.fixed(lat, 7)?;
        for col in &table.coverage.tiers {
            let d = col.distance_m[i];
            if d.is_nan() {
                out.empty(1)?;
            } else {
                out.fixed(d, 2)?;
            }
            out.text(bool_text(col.ok[i]))?;
            out.text(label(table, col.nearest[i]))?;
        }
        out.text(bool_text(table.coverage.all_ok[i]))?;
        out.text("ok")?;
        out.end()?;
    }
    out.finish().map(drop)
}

fn write_fgb(
    w: &mut impl Write,
    table: &PointTable<'_>,
    fbb: &mut flatbuffers::FlatBufferBuilder<'static>,
    written: &mut usize,
) -> io::Result<()> {
    use fgb::Value;
    let tiers = table.standard.tiers.len();
    for row in rows(table) {
        *written += 1;
        let i = match row {
            Row::Point(i) => i,
            Row::Skipped(s) => {
                let status = format!("skipped: {}", s.reason);
                let mut values: Vec<Option<Value<'_>>> = (0..3 * tiers + 3).map(|_| None).collect();
                values[0] = Some(Value::Str(&s.id));
                values[3 * tiers + 2] = Some(Value::Str(&status));
                fgb::feature(fbb, None, &values, w)?;
                continue;
            }
        };
        let id = table.demand.ids.text(i);
        let mut values: Vec<Option<Value<'_>>> = Vec::with_capacity(3 * tiers + 3);
        values.push(Some(Value::Str(&id)));
        for col in &table.coverage.tiers {
            let d = col.distance_m[i];
            values.push((!d.is_nan()).then(|| Value::F64((d * 100.0).round() / 100.0)));
            values.push(Some(Value::Bool(col.ok[i])));
            values.push(
                (col.nearest[i] != NO_FEATURE).then(|| Value::Str(label(table, col.nearest[i]))),
            );
        }
        values.push(Some(Value::Bool(table.coverage.all_ok[i])));
        values.push(Some(Value::Str("ok")));
        fgb::feature(fbb, Some(lonlat(table, i)?), &values, w)?;
    }
    Ok(())
}

/// One typed value of a row in the GeoPackage and GeoParquet tables.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    Null,
    Real(f64),
    Flag(bool),
    Text(String),
}

/// Each row of `table` as its WGS84 point (`None` for a skipped row) and its cells in
/// [`gpkg::columns`] order: `id`, `lon`, `lat`, per tier `<t>_m` (to the centimetre),
/// `<t>_ok`, `<t>_nearest`, then `all_ok`, `status`. Cells are built in parallel, a window of
/// rows at a time, and handed to `each` in order.
fn typed_rows(
    table: &PointTable<'_>,
    mut each: impl FnMut(Option<(f64, f64)>, Vec<Cell>) -> io::Result<()>,
) -> io::Result<()> {
    use rayon::prelude::*;
    in_windows(table, 1 << 16, |window| {
        let typed: Vec<io::Result<TypedRow>> =
            window.par_iter().map(|row| typed_row(table, row)).collect();
        for t in typed {
            let (point, cells) = t?;
            each(point, cells)?;
        }
        Ok(())
    })
}

/// A row's WGS84 point (`None` when skipped) and its cells.
pub(crate) type TypedRow = (Option<(f64, f64)>, Vec<Cell>);

/// A distance to the centimetre, or NULL (NaN: none).
fn cm_cell(d: f64) -> Cell {
    if d.is_nan() {
        Cell::Null
    } else {
        Cell::Real((d * 100.0).round() / 100.0)
    }
}

/// The label of the nearest feature, or NULL (none).
fn nearest_cell(table: &PointTable<'_>, feature: u32) -> Cell {
    if feature == NO_FEATURE {
        Cell::Null
    } else {
        Cell::Text(label(table, feature).to_string())
    }
}

/// One row of [`typed_rows`].
fn typed_row(table: &PointTable<'_>, row: &Row<'_>) -> io::Result<TypedRow> {
    let text = |s: &str| Cell::Text(s.to_string());
    let tiers = table.standard.tiers.len();
    let i = match *row {
        Row::Point(i) => i,
        Row::Skipped(s) => {
            let mut cells = vec![Cell::Null; 3 * tiers + 5];
            cells[0] = text(&s.id);
            cells[3 * tiers + 4] = text(&format!("skipped: {}", s.reason));
            return Ok((None, cells));
        }
    };
    let (lon, lat) = lonlat(table, i)?;
    let mut cells = Vec::with_capacity(3 * tiers + 5);
    cells.extend([
        text(&table.demand.ids.text(i)),
        Cell::Real(lon),
        Cell::Real(lat),
    ]);
    for col in &table.coverage.tiers {
        cells.push(cm_cell(col.distance_m[i]));
        cells.push(Cell::Flag(col.ok[i]));
        cells.push(nearest_cell(table, col.nearest[i]));
    }
    cells.push(Cell::Flag(table.coverage.all_ok[i]));
    cells.push(text("ok"));
    Ok((Some((lon, lat)), cells))
}

fn write_geojson(
    w: &mut impl Write,
    table: &PointTable<'_>,
    written: &mut usize,
) -> io::Result<()> {
    write_parallel(w, table, written, |rows, start, buf| {
        geojson_rows(rows, start, table, buf)
    })
}

fn geojson_rows(
    rows: &[Row<'_>],
    start: usize,
    table: &PointTable<'_>,
    w: &mut Vec<u8>,
) -> io::Result<()> {
    let json = |s: &str| serde_json::to_string(s).map_err(io::Error::other);
    // Each tier's three property names, quoted once.
    let keys = table
        .standard
        .tiers
        .iter()
        .map(|t| -> io::Result<[String; 3]> {
            let key = |k: &str| json(&format!("{}_{k}", t.name));
            Ok([key("m")?, key("ok")?, key("nearest")?])
        })
        .collect::<io::Result<Vec<_>>>()?;
    for (k, row) in rows.iter().enumerate() {
        if start + k > 0 {
            writeln!(w, ",")?;
        }
        let i = match *row {
            Row::Point(i) => i,
            Row::Skipped(s) => {
                write!(
                    w,
                    "{{\"type\":\"Feature\",\"geometry\":null,\"properties\":{{\"id\":{},\"status\":{}}}}}",
                    json(&s.id)?,
                    json(&format!("skipped: {}", s.reason))?
                )?;
                continue;
            }
        };
        let (lon, lat) = lonlat(table, i)?;
        w.extend_from_slice(
            b"{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[",
        );
        fixed::push_fixed(w, lon, 7);
        w.push(b',');
        fixed::push_fixed(w, lat, 7);
        write!(
            w,
            "]}},\"properties\":{{\"id\":{}",
            json(&table.demand.ids.text(i))?
        )?;
        for ([m, ok, nearest], col) in keys.iter().zip(&table.coverage.tiers) {
            write!(w, ",{m}:")?;
            match col.distance_m[i] {
                d if d.is_nan() => w.extend_from_slice(b"null"),
                d => fixed::push_fixed(w, d, 2),
            }
            write!(w, ",{ok}:{},{nearest}:", col.ok[i])?;
            match col.nearest[i] {
                NO_FEATURE => w.extend_from_slice(b"null"),
                f => w.extend_from_slice(json(label(table, f))?.as_bytes()),
            }
        }
        write!(
            w,
            ",\"all_ok\":{},\"status\":\"ok\"}}}}",
            table.coverage.all_ok[i]
        )?;
    }
    Ok(())
}

/// Write the green features that serve at least one tier as WGS84 GeoJSON, each with its
/// `category`, `label`, the `tiers` it serves and the `reason` (the rule that admitted it):
/// what the standard counted.
pub(crate) fn write_classified(
    path: &Path,
    green: &GreenSpaces,
    standard: &Standard,
    plane: &LocalPlane,
) -> io::Result<()> {
    use geo::MapCoords;
    let mut w = AtomicFile::create(path)?;
    {
        writeln!(w, "{{\"type\":\"FeatureCollection\",\"features\":[")?;
        for (k, f) in green.features.iter().enumerate() {
            let ll = f
                .geometry
                .try_map_coords(|c| plane.inverse(c))
                .map_err(|e| io::Error::other(e.to_string()))?;
            let geometry = geojson::Geometry::from(&ll);
            let tiers: Vec<&str> = standard
                .tiers_served_by(f.category)
                .map(|t| standard.tiers[t].name.as_str())
                .collect();
            let feature = serde_json::json!({
                "type": "Feature",
                "geometry": geometry,
                "properties": {
                    "category": standard.categories[f.category].name,
                    "label": f.label,
                    "area_m2": (f.area_m2 * 10.0).round() / 10.0,
                    "tiers": tiers,
                    "reason": f.reason,
                }
            });
            if k > 0 {
                writeln!(w, ",")?;
            }
            serde_json::to_writer(&mut w, &feature).map_err(io::Error::other)?;
        }
        writeln!(w, "\n]}}")?;
    }
    w.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_from_extension() {
        assert_eq!(Format::from_path(Path::new("a/b.CSV")), Some(Format::Csv));
        assert_eq!(
            Format::from_path(Path::new("b.geojson")),
            Some(Format::GeoJson)
        );
        assert_eq!(Format::from_path(Path::new("b.txt")), None);
    }
}
