//! Coordinate systems: input systems ([`SourceCrs`], converted to WGS84 lon/lat on reading)
//! and the local metric plane ([`LocalPlane`]). Used by every other folder; uses only `io` layers.

pub mod china;
mod plane;
pub mod source;

pub use plane::{CrsError, LocalPlane, LonLatBox, PlaneScale, WIDE_SPAN_DEG};
pub use source::SourceCrs;
