//! Files in and out: readers (GeoJSON, OSM PBF), layers with their CRS, per-point writers, atomic writes.
//! Files in and out: input readers (GeoJSON, Shapefile, GeoPackage, FlatGeobuf, CSV) behind
//! one dispatcher (`source`), layers with their CRS, per-point writers, atomic writes.
//! Used by `run` and `report`; uses `crs`, `standard`, `engine` and run's demand/green types.

pub mod atomic;
pub mod csv;
pub mod fgb;
pub mod gpkg;
pub mod input;
pub mod load;
pub mod network;
pub mod osm;
pub mod output;
pub mod shapefile;
pub mod sniff;
pub mod source;
pub mod wkb;
