//! Coordinate systems: input systems ([`SourceCrs`], to WGS84 on reading) and the local metric
//! plane ([`LocalPlane`]). Used by every other folder; imports only `io` layers (`to_wgs84`).

pub mod china;
mod krueger;
mod plane;
pub(crate) mod source;

pub use plane::{CrsError, LocalPlane, LonLatBox, PlaneScale, WIDE_SPAN_DEG};
pub use source::SourceCrs;
