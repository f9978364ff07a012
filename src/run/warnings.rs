//! Warnings of a run, collected in order; under `--strict` the first one is an error.
//! Used by every stage of `run` and by `report`.

use crate::error::Error;
use crate::io::input::Layer;

/// Warnings of a run; under `strict` the first one is an error.
#[derive(Debug, Clone, Default)]
pub struct Warnings {
    strict: bool,
    /// The warnings so far.
    pub list: Vec<String>,
}

impl Warnings {
    /// A collector; `strict` turns warnings into errors.
    pub fn new(strict: bool) -> Self {
        Self {
            strict,
            list: Vec::new(),
        }
    }

    /// Record a warning (an error under `strict`).
    pub fn warn(&mut self, msg: String) -> Result<(), Error> {
        if self.strict {
            return Err(Error::Strict(msg));
        }
        self.list.push(msg);
        Ok(())
    }
}

/// Warn once for a layer's skipped features.
pub(crate) fn report_skips(layer: &Layer, warnings: &mut Warnings) -> Result<(), Error> {
    if let Some(first) = layer.skipped.first() {
        warnings.warn(format!(
            "{}: {} feature(s) skipped (first: feature {}: {})",
            layer.path.display(),
            layer.skipped.len(),
            first.index,
            first.reason
        ))?;
    }
    Ok(())
}
