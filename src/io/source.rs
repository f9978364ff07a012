//! Which reader a layer goes to: the format from the file's extension (or `--format`), and
//! the options some formats need (`--layer` for GeoPackage, `--encoding` for Shapefile and
//! CSV). Every reader yields the same [`Layer`] of features.

use std::fmt;
use std::path::Path;
use std::str::FromStr;

use crate::io::input::{self, InputError, Layer, ReadOptions};

/// Input formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// GeoJSON FeatureCollection (`.geojson`, `.json`).
    GeoJson,
    /// ESRI Shapefile (`.shp` with `.shx`, `.dbf`, optional `.prj`, `.cpg`).
    Shapefile,
    /// OGC GeoPackage (`.gpkg`).
    GeoPackage,
    /// FlatGeobuf (`.fgb`).
    FlatGeobuf,
    /// CSV with lon/lat columns or a WKT column (`.csv`, `.txt`, `.tsv`).
    Csv,
    /// GeoParquet, or Parquet with x/y columns (`.parquet`, `.geoparquet`; cargo feature
    /// `geoparquet`).
    GeoParquet,
}

impl InputFormat {
    /// The format a file name says.
    pub fn from_path(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "geojson" | "json" => InputFormat::GeoJson,
            "shp" => InputFormat::Shapefile,
            "gpkg" => InputFormat::GeoPackage,
            "fgb" => InputFormat::FlatGeobuf,
            "csv" | "tsv" | "txt" => InputFormat::Csv,
            "parquet" | "geoparquet" => InputFormat::GeoParquet,
            _ => return None,
        })
    }
}

impl FromStr for InputFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Ok(match s.to_ascii_lowercase().as_str() {
            "geojson" | "json" => InputFormat::GeoJson,
            "shp" | "shapefile" => InputFormat::Shapefile,
            "gpkg" | "geopackage" => InputFormat::GeoPackage,
            "fgb" | "flatgeobuf" => InputFormat::FlatGeobuf,
            "csv" => InputFormat::Csv,
            "parquet" | "geoparquet" => InputFormat::GeoParquet,
            _ => {
                return Err(format!(
                    "unknown format \"{s}\": use geojson, shp, gpkg, fgb, csv or parquet"
                ));
            }
        })
    }
}

impl fmt::Display for InputFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            InputFormat::GeoJson => "GeoJSON",
            InputFormat::Shapefile => "Shapefile",
            InputFormat::GeoPackage => "GeoPackage",
            InputFormat::FlatGeobuf => "FlatGeobuf",
            InputFormat::Csv => "CSV",
            InputFormat::GeoParquet => "GeoParquet",
        })
    }
}

/// How to read inputs that are not plain GeoJSON.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SourceOptions {
    /// `--format`: the format of every input whose extension says otherwise or nothing.
    pub format: Option<InputFormat>,
    /// `--layer`: the GeoPackage layer (table) to read.
    pub layer: Option<String>,
    /// `--encoding`: text encoding of Shapefile attributes and CSV files (e.g. `gbk`, `utf-8`).
    pub encoding: Option<String>,
}

/// The encoding `--encoding` names.
pub fn encoding(path: &Path, name: &str) -> Result<&'static encoding_rs::Encoding, InputError> {
    crate::io::shapefile::dbf::cpg_encoding(name).ok_or_else(|| InputError::File {
        path: path.to_path_buf(),
        problem: format!("--encoding {name} names no encoding greenreach knows (try utf-8 or gbk)"),
    })
}

/// `city.gpkg:parks` names layer `parks` of `city.gpkg` (when no file has the whole name).
pub fn split_layer(path: &Path) -> Option<(&Path, &str)> {
    let s = path.to_str()?;
    let i = s.to_ascii_lowercase().rfind(".gpkg:")?;
    let (file, layer) = (Path::new(&s[..i + 5]), &s[i + 6..]);
    (!path.exists() && file.is_file() && !layer.is_empty()).then_some((file, layer))
}

/// Why a build without the `geoparquet` feature cannot read Parquet.
pub const NO_PARQUET: &str = "is (Geo)Parquet, which this build of greenreach does not read: build it with `cargo install --path . --features geoparquet`, or convert the file (ogr2ogr -f GPKG out.gpkg in.parquet)";

/// Read any supported layer (`FILE.gpkg:LAYER` picks a GeoPackage layer).
pub fn read(path: &Path, opts: &ReadOptions) -> Result<Layer, InputError> {
    if let Some((file, layer)) = split_layer(path) {
        let mut o = opts.clone();
        o.source.layer = Some(layer.to_string());
        o.source.format = Some(InputFormat::GeoPackage);
        return read(file, &o);
    }
    let format = match opts.source.format.or_else(|| InputFormat::from_path(path)) {
        Some(f) => f,
        None => InputFormat::GeoJson,
    };
    if path.is_dir() {
        return Err(InputError::File {
            path: path.to_path_buf(),
            problem: format!("is a directory, not a {format} file"),
        });
    }
    match format {
        InputFormat::GeoJson => input::read_layer(path, opts.clone()),
        InputFormat::Shapefile => crate::io::shapefile::read(path, opts),
        InputFormat::GeoPackage => crate::io::gpkg::read(path, opts),
        InputFormat::FlatGeobuf => crate::io::fgb::read(path, opts),
        InputFormat::Csv => crate::io::csv::read(path, opts),
        #[cfg(feature = "geoparquet")]
        InputFormat::GeoParquet => crate::io::parquet::read(path, opts),
        #[cfg(not(feature = "geoparquet"))]
        InputFormat::GeoParquet => Err(InputError::File {
            path: path.to_path_buf(),
            problem: NO_PARQUET.into(),
        }),
    }
}

/// Read a whole file, naming it on failure.
pub(crate) fn read_bytes(path: &Path) -> Result<Vec<u8>, InputError> {
    read_whole(path).map_err(|source| InputError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// Files at least this large are read in parallel pieces.
const PARALLEL_READ_BYTES: u64 = 16 << 20;

/// A whole file. A large one is read in pieces on every core (positioned reads into one
/// buffer): copying a hundred megabytes out of the page cache into fresh memory is otherwise
/// a serial step of its own.
fn read_whole(path: &Path) -> std::io::Result<Vec<u8>> {
    #[cfg(unix)]
    {
        use rayon::prelude::*;
        use std::os::unix::fs::FileExt;
        const PIECE: usize = 4 << 20;
        let file = std::fs::File::open(path)?;
        let len = file.metadata()?.len();
        if let Some(n) = usize::try_from(len)
            .ok()
            .filter(|_| len >= PARALLEL_READ_BYTES)
        {
            let mut bytes = vec![0u8; n];
            let whole = bytes
                .par_chunks_mut(PIECE)
                .enumerate()
                .try_for_each(|(k, piece)| file.read_exact_at(piece, (k * PIECE) as u64));
            // Shrunk or grown since the length was taken: read it again, serially.
            let mut probe = [0u8; 1];
            if whole.is_ok() && file.read_at(&mut probe, len)? == 0 {
                return Ok(bytes);
            }
        }
    }
    std::fs::read(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_large_file_read_in_pieces_is_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.bin");
        // Not a multiple of the piece size, with a pattern that shows a misplaced piece.
        let n = (PARALLEL_READ_BYTES as usize) + 4_194_304 * 2 + 12_345;
        let data: Vec<u8> = (0..n).map(|i| (i % 251) as u8 ^ (i >> 20) as u8).collect();
        std::fs::write(&path, &data).unwrap();
        assert!(read_bytes(&path).unwrap() == data);
        let small = dir.path().join("small.bin");
        std::fs::write(&small, b"abc").unwrap();
        assert_eq!(read_bytes(&small).unwrap(), b"abc");
        assert!(read_bytes(&dir.path().join("none")).is_err());
    }
}
