//! ESRI Shapefile: `.shp` shapes through the `.shx` index, `.dbf` attributes in the encoding
//! chosen by `dbf`, the CRS from the `.prj`. Records are decoded in parallel.

pub(crate) mod dbf;
pub(crate) mod prj;
pub(crate) mod shp;

use std::path::{Path, PathBuf};

use encoding_rs::{Encoding, GBK, UTF_8};
use geo::CoordsIter;
use rayon::prelude::*;

use crate::io::input::{
    InputError, Layer, Properties, RawFeature, ReadOptions, SkipReason, SkippedFeature,
};
use crate::io::source::{self, read_bytes};

/// The sibling file with extension `ext` (either case), if it exists.
fn sibling(path: &Path, ext: &str) -> Option<PathBuf> {
    [ext.to_string(), ext.to_ascii_uppercase()]
        .into_iter()
        .map(|e| path.with_extension(e))
        .find(|p| p.is_file())
}

fn file_error(path: &Path, problem: String) -> InputError {
    InputError::File {
        path: path.to_path_buf(),
        problem,
    }
}

/// One record: its id, and its feature or why it was skipped.
type Record = (Option<String>, Result<Option<RawFeature>, SkipReason>);

/// The CRS of the `.prj` beside `path`, if there is one: the CRS or why it cannot be read
/// (a note says which was found; a datum warning goes to `warnings`).
fn prj_crs(
    path: &Path,
    notes: &mut Vec<String>,
    warnings: &mut Vec<String>,
) -> Option<Result<crate::crs::SourceCrs, String>> {
    sibling(path, "prj").map(|prj| {
        let text =
            std::fs::read(&prj).map_err(|e| format!("{}: cannot read: {e}", prj.display()))?;
        let text = String::from_utf8_lossy(&text);
        match prj::to_crs(&text) {
            Ok((crs, warning)) => {
                notes.push(format!("{}: CRS {crs} from the .prj", path.display()));
                if let Some(w) = warning {
                    warnings.push(format!("{}: {w}", prj.display()));
                }
                Ok(crs)
            }
            Err(e) => Err(format!(
                "{} {e}; give the layer's CRS with --crs (or the layer's own --*-crs flag)",
                prj.display()
            )),
        }
    })
}

/// Read a shapefile layer.
#[allow(clippy::too_many_lines)] // the .shp, .shx, .dbf, .cpg and .prj of one layer read in turn
pub(crate) fn read(path: &Path, opts: &ReadOptions) -> Result<Layer, InputError> {
    let shp = read_bytes(path)?;
    shp::header(&shp).map_err(|p| file_error(path, p))?;
    let need = |ext: &str, what: &str| {
        sibling(path, ext).ok_or_else(|| {
            file_error(
                path,
                format!(
                    "its {what} {} is missing; a shapefile needs its .shp, .shx and .dbf files side by side",
                    path.with_extension(ext).display()
                ),
            )
        })
    };
    let shx_path = need("shx", "index")?;
    let dbf_path = need("dbf", "attribute table")?;
    let shx = read_bytes(&shx_path)?;
    let offsets = shp::index(&shx).map_err(|p| file_error(&shx_path, p))?;
    let dbf = read_bytes(&dbf_path)?;
    let table = dbf::Table::parse(&dbf).map_err(|p| file_error(&dbf_path, p))?;
    if table.len() != offsets.len() || table.present() < table.len() {
        return Err(file_error(
            path,
            format!(
                "the .shx indexes {} record(s), the .dbf holds {} of the {} it announces: the files do not belong together, or one is truncated",
                offsets.len(),
                table.present().min(table.len()),
                table.len()
            ),
        ));
    }
    let (enc, why) = choose_encoding(path, opts, &table)?;
    let names = table.names(enc);
    let mut notes = vec![format!(
        "{}: Shapefile, {} record(s), attributes read as {} ({why})",
        path.display(),
        offsets.len(),
        enc.name()
    )];
    let mut warnings = Vec::new();
    let declared_crs = prj_crs(path, &mut notes, &mut warnings);
    let keep = opts.properties;
    let shapes: Vec<Result<Record, InputError>> = offsets
        .par_iter()
        .enumerate()
        .with_min_len(256)
        .map(|(i, &o)| {
            let props = table.record(i, &names, enc);
            let id = props.get("id").and_then(crate::io::input::id_text);
            let shape = shp::shape(&shp, i, o).map_err(|problem| InputError::Feature {
                path: path.to_path_buf(),
                index: i,
                id: id.clone(),
                problem,
            })?;
            let r = match shape {
                None => Err(SkipReason::NullGeometry),
                Some(g) if g.coords_count() == 0 => Err(SkipReason::EmptyGeometry),
                Some(geometry) => Ok(Some(RawFeature {
                    index: i,
                    id: id.clone(),
                    properties: match keep {
                        Properties::All => props,
                        Properties::None => Default::default(),
                    },
                    geometry,
                })),
            };
            Ok((id, r))
        })
        .collect();
    let mut layer = Layer {
        path: path.to_path_buf(),
        features: Vec::with_capacity(shapes.len()),
        skipped: Vec::new(),
        crs_member: None,
        declared_crs,
        notes: Vec::new(),
        warnings,
    };
    for (index, s) in shapes.into_iter().enumerate() {
        let (id, r) = s?;
        match r {
            Ok(Some(f)) => layer.features.push(f),
            Ok(None) => {}
            Err(reason) if opts.strict => {
                return Err(InputError::Feature {
                    path: path.to_path_buf(),
                    index,
                    id,
                    problem: format!("{reason} (--strict)"),
                });
            }
            Err(reason) => layer.skipped.push(SkippedFeature { index, id, reason }),
        }
    }
    layer.notes = notes;
    Ok(layer)
}

/// `--encoding`, the `.cpg`, the DBF language id, strict UTF-8, GBK: the first that speaks.
fn choose_encoding(
    path: &Path,
    opts: &ReadOptions,
    table: &dbf::Table,
) -> Result<(&'static Encoding, String), InputError> {
    if let Some(name) = &opts.source.encoding {
        return Ok((source::encoding(path, name)?, "--encoding".into()));
    }
    if let Some(cpg) = sibling(path, "cpg") {
        let text = read_bytes(&cpg)?;
        let text = String::from_utf8_lossy(&text);
        if let Some(e) = dbf::cpg_encoding(&text) {
            return Ok((e, "from the .cpg file".into()));
        }
    }
    if let Some(e) = table.language_encoding() {
        return Ok((e, "from the .dbf language id".into()));
    }
    if !table.has_non_ascii() {
        return Ok((UTF_8, "all text is ASCII".into()));
    }
    if table.all_utf8() {
        Ok((UTF_8, "every text value is valid UTF-8".into()))
    } else {
        Ok((
            GBK,
            "no .cpg or language id, and the text is not UTF-8: assumed GBK; pass --encoding if it is not".into(),
        ))
    }
}
