//! Files in and out: input readers (GeoJSON, Shapefile, GeoPackage, FlatGeobuf, CSV, OSM PBF,
//! GeoParquet with the `geoparquet` feature)
//! behind one dispatcher (`source`), layers with their CRS, per-point writers, atomic writes.
//! Used by `run` and `report`; uses `crs`, `standard`, `engine` and run's demand/green types.

pub mod atomic;
pub(crate) mod csv;
pub(crate) mod fgb;
pub(crate) mod gpkg;
pub mod input;
pub mod load;
pub(crate) mod network;
pub mod osm;
pub(crate) mod output;
#[cfg(feature = "geoparquet")]
pub(crate) mod parquet;
pub(crate) mod shapefile;
pub(crate) mod sniff;
pub mod source;
pub(crate) mod wkb;
