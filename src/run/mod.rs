//! The stages of a run: prepare the layers, make the demand, classify green, check, summarise.
//! Imported by `report`, `lib.rs` and the binary; uses `io`, `crs`, `standard` and `engine`.

pub mod check;
pub mod demand;
pub mod green;
pub mod summary;
