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

pub mod crs;
pub mod engine;
pub mod error;
pub mod io;
pub mod progress;
pub mod report;
pub mod run;
pub mod standard;

pub use error::Error;
pub use run::check::{CheckRun, run_check};
pub use run::config::{CheckConfig, DemandSource};
pub use standard::Standard;
