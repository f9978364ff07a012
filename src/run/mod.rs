//! The stages of a run: config, prepare (layers, plane, green, demand), check, summary, warnings.
//! Imported by `report`, `lib.rs` and the binary; uses `io`, `crs`, `standard` and `engine`.

pub mod check;
pub(crate) mod config;
pub mod demand;
pub mod green;
pub mod merged_gaps;
pub(crate) mod prepare;
pub mod proposed;
pub mod shard;
pub(crate) mod summary;
pub mod table;
pub mod walk;
pub(crate) mod warnings;
