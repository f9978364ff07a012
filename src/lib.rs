//! greenreach: which homes are within reach of green space, and how far the rest fall short.
//!
//! The library reads green-space and demand layers (GeoJSON, WGS84), classifies green spaces
//! under a [`Standard`] of tiers, projects everything onto a local transverse Mercator plane,
//! indexes each tier in R-trees and evaluates every demand point in parallel.
//!
//! ```no_run
//! use greenreach::{CheckConfig, DemandSource, progress::Silent, run_check};
//! let cfg = CheckConfig::new(
//!     vec!["geodata/liechtenstein/green_areas.geojson".into()],
//!     DemandSource::Residential("geodata/liechtenstein/buildings.geojson".into()),
//! );
//! let run = run_check(&cfg, &Silent).unwrap();
//! println!("{}", run.summary);
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![warn(clippy::all)]

pub mod check;
pub mod coverage;
pub mod crs;
pub mod demand;
pub mod error;
pub mod green;
pub mod grid;
pub mod homes;
pub mod index;
pub mod input;
pub mod load;
pub mod output;
pub mod progress;
pub mod reach;
pub mod report;
pub mod standard;
pub mod summary;
pub mod synth;
pub mod validity;

pub use check::{CheckConfig, CheckRun, DemandSource, run_check};
pub use error::Error;
pub use standard::Standard;
