//! Files in and out: input readers (GeoJSON), loading a layer with its CRS, per-point writers.
//! Used by `run` and `report`; uses `crs`, `standard`, `engine` and run's demand/green types.

pub mod input;
pub mod load;
pub mod output;
