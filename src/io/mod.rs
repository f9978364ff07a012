//! Files in and out: readers (GeoJSON), layers with their CRS, per-point writers, atomic writes.
//! Used by `run` and `report`; uses `crs`, `standard`, `engine` and run's demand/green types.

pub mod atomic;
pub mod input;
pub mod load;
pub mod network;
pub mod output;
