//! The engine: green-space indexes, the distance seam (`Reach`), coverage, grids, validity,
//! walking networks.
//! Pure computation on plane coordinates: no files, no CLI; imports nothing of io/run/report.

pub mod coverage;
pub mod grid;
pub(crate) mod groups;
pub mod index;
pub mod lookup;
pub(crate) mod packed;
pub(crate) mod radix;
pub mod reach;
pub mod siting;
pub mod tally;
pub(crate) mod validity;
pub mod walk;
