//! The per-point file under `--metric walk`: the walking columns (`<tier>_m`, `<tier>_ok`,
//! `<tier>_nearest`, `all_ok`), each tier's `<tier>_straight_m`, `snap_m` (home to the
//! network) and `status` (`ok`, `no_network`, or `skipped: ...`). CSV, GeoJSON or
//! GeoPackage (typed columns, distances to the centimetre).

use std::io::{self, Write};
use std::path::Path;

use super::csv_out::CsvOut;
use super::gpkg::{GpkgOut, walk_columns};
use super::{Cell, Format, PointTable, Row, TypedRow, cm_cell, label, lonlat, nearest_cell, rows};
use crate::engine::coverage::{Coverage, NO_FEATURE};
use crate::engine::walk::Snap;
use crate::io::atomic::AtomicFile;

fn num(d: f64) -> String {
    if d.is_nan() {
        String::new()
    } else {
        format!("{d:.2}")
    }
}

/// Write the walking per-point file atomically.
pub(crate) fn write(
    path: &Path,
    format: Format,
    table: &PointTable<'_>,
    straight: &Coverage,
    snaps: &[Option<Snap>],
) -> io::Result<()> {
    let mut w = AtomicFile::create(path)?;
    match format {
        Format::Csv => write_csv(&mut w, table, straight, snaps)?,
        Format::GeoJson => write_geojson(&mut w, table, straight, snaps)?,
        Format::GeoPackage => {
            let mut g = GpkgOut::create_with(w.temp_path(), &walk_columns(table.standard))?;
            for row in rows(table) {
                let (point, cells) = walk_cells(table, straight, snaps, &row)?;
                g.row(point, cells)?;
            }
            g.finish()?;
        }
        Format::FlatGeobuf | Format::GeoParquet => {
            return Err(io::Error::other(
                "FlatGeobuf and GeoParquet output are not available with --metric walk; use .csv, .geojson or .gpkg",
            ));
        }
    }
    w.commit()
}

/// A row's WGS84 point (`None` when skipped) and its cells in [`walk_columns`] order.
fn walk_cells(
    table: &PointTable<'_>,
    straight: &Coverage,
    snaps: &[Option<Snap>],
    row: &Row<'_>,
) -> io::Result<TypedRow> {
    let text = |s: &str| Cell::Text(s.to_string());
    let width = 4 * table.standard.tiers.len() + 6;
    let i = match *row {
        Row::Point(i) => i,
        Row::Skipped(s) => {
            let mut cells = vec![Cell::Null; width];
            cells[0] = text(&s.id);
            cells[width - 1] = text(&format!("skipped: {}", s.reason));
            return Ok((None, cells));
        }
    };
    let (lon, lat) = lonlat(table, i)?;
    let mut cells = Vec::with_capacity(width);
    cells.extend([
        text(&table.demand.ids.text(i)),
        Cell::Real(lon),
        Cell::Real(lat),
    ]);
    for (col, st) in table.coverage.tiers.iter().zip(&straight.tiers) {
        cells.push(cm_cell(col.distance_m[i]));
        cells.push(Cell::Flag(col.ok[i]));
        cells.push(nearest_cell(table, col.nearest[i]));
        cells.push(cm_cell(st.distance_m[i]));
    }
    cells.push(Cell::Flag(table.coverage.all_ok[i]));
    cells.push(snaps[i].map_or(Cell::Null, |s| cm_cell(s.gap_m)));
    cells.push(text(status(&snaps[i])));
    Ok((Some((lon, lat)), cells))
}

fn status(snap: &Option<Snap>) -> &'static str {
    if snap.is_some() { "ok" } else { "no_network" }
}

fn write_csv(
    w: &mut impl Write,
    table: &PointTable<'_>,
    straight: &Coverage,
    snaps: &[Option<Snap>],
) -> io::Result<()> {
    let mut out = CsvOut::new(w);
    let mut header = vec!["id".to_string(), "lon".into(), "lat".into()];
    for t in &table.standard.tiers {
        header.extend(["m", "ok", "nearest", "straight_m"].map(|s| format!("{}_{s}", t.name)));
    }
    header.extend(["all_ok", "snap_m", "status"].map(String::from));
    out.record(&header)?;
    for row in rows(table) {
        let i = match row {
            Row::Point(i) => i,
            Row::Skipped(s) => {
                out.text(&s.id)?;
                out.empty(2 + 4 * table.standard.tiers.len() + 2)?;
                out.text(format!("skipped: {}", s.reason))?;
                out.end()?;
                continue;
            }
        };
        let (lon, lat) = lonlat(table, i)?;
        out.text(table.demand.ids.text(i).as_bytes())?;
        out.fmt(format_args!("{lon:.7}"))?;
        out.fmt(format_args!("{lat:.7}"))?;
        for (col, st) in table.coverage.tiers.iter().zip(&straight.tiers) {
            out.text(num(col.distance_m[i]))?;
            out.fmt(format_args!("{}", col.ok[i]))?;
            out.text(label(table, col.nearest[i]))?;
            out.text(num(st.distance_m[i]))?;
        }
        out.fmt(format_args!("{}", table.coverage.all_ok[i]))?;
        out.text(snaps[i].map_or(String::new(), |s| num(s.gap_m)))?;
        out.text(status(&snaps[i]))?;
        out.end()?;
    }
    out.finish().map(drop)
}

fn write_geojson(
    w: &mut impl Write,
    table: &PointTable<'_>,
    straight: &Coverage,
    snaps: &[Option<Snap>],
) -> io::Result<()> {
    let json = |s: &str| serde_json::to_string(s).map_err(io::Error::other);
    let jnum = |d: f64| {
        if d.is_nan() {
            "null".to_string()
        } else {
            format!("{d:.2}")
        }
    };
    writeln!(w, "{{\"type\":\"FeatureCollection\",\"features\":[")?;
    for (k, row) in rows(table).enumerate() {
        if k > 0 {
            writeln!(w, ",")?;
        }
        let i = match row {
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
        write!(
            w,
            "{{\"type\":\"Feature\",\"geometry\":{{\"type\":\"Point\",\"coordinates\":[{lon:.7},{lat:.7}]}},\"properties\":{{\"id\":{}",
            json(&table.demand.ids.text(i))?
        )?;
        for ((t, col), st) in table
            .standard
            .tiers
            .iter()
            .zip(&table.coverage.tiers)
            .zip(&straight.tiers)
        {
            let nearest = match col.nearest[i] {
                NO_FEATURE => "null".to_string(),
                f => json(label(table, f))?,
            };
            write!(
                w,
                ",\"{0}_m\":{1},\"{0}_ok\":{2},\"{0}_nearest\":{nearest},\"{0}_straight_m\":{3}",
                t.name,
                jnum(col.distance_m[i]),
                col.ok[i],
                jnum(st.distance_m[i])
            )?;
        }
        write!(
            w,
            ",\"all_ok\":{},\"snap_m\":{},\"status\":\"{}\"}}}}",
            table.coverage.all_ok[i],
            snaps[i].map_or("null".to_string(), |s| jnum(s.gap_m)),
            status(&snaps[i])
        )?;
    }
    writeln!(w, "\n]}}")?;
    Ok(())
}
