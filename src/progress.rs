//! Progress reporting, kept abstract so the library does not draw anything itself.

/// Receives progress from long stages. Implementations must be cheap: `advance` is called
/// from worker threads once per chunk of points.
pub trait Progress: Sync {
    /// A stage with `total` units of work starts.
    fn begin(&self, stage: &str, total: u64);
    /// `n` more units are done.
    fn advance(&self, n: u64);
    /// The stage is over.
    fn end(&self);
}

/// Reports nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct Silent;

impl Progress for Silent {
    fn begin(&self, _: &str, _: u64) {}
    fn advance(&self, _: u64) {}
    fn end(&self) {}
}
