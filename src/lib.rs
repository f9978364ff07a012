//! greenreach: which homes are within reach of green space, and how far the rest fall short.
//!
//! The library reads green-space and demand layers (GeoJSON, WGS84 or a named CRS; or an
//! OpenStreetMap `.osm.pbf` extract),
//! classifies green spaces under a [`Standard`] of tiers, projects everything onto a local
//! transverse Mercator plane, indexes each tier and evaluates every demand point in parallel.
//!
//! # The supported API
//!
//! - [`run_check`] with a [`CheckConfig`] (its [`DemandSource`]: points, residential
//!   polygons or a grid) gives a [`CheckRun`]: the printed summary and per-point results.
//! - [`run_report`] with a [`ReportConfig`] writes the planner's report folder, in Chinese or
//!   English ([`Lang`]), and with `pdf` also `report.pdf` through a local Chromium.
//! - [`Standard`]s: the presets in [`standard::presets`], or a TOML file through
//!   [`standard::file::load`].
//! - [`io::osm::read_pbf`]: an OpenStreetMap extract as ways with node ids and tags, tagged
//!   nodes and assembled areas (multipolygons with holes), filtered by [`io::osm::OsmWanted`].
//! - [`Progress`] (or [`Silent`]) receives progress; every failure is an [`Error`].
//! - For embedding the engine without files: [`engine`] (indexes, the [`engine::reach::Reach`]
//!   seam, coverage, grids) on the plane of [`crs::LocalPlane`].
//! - For layers held in memory (the Python package): [`run::table::check_table`]; for one
//!   study split over machines: [`run::shard`] (`check --shard I/N`, `merge`).
//!
//! The other modules (`io`, `run`, `report`'s internals) are public for the binary and the
//! tests; their items may change without notice.
//!
//! A check of every building of Liechtenstein:
//!
//! ```no_run
//! use greenreach::{CheckConfig, DemandSource, Silent, run_check};
//! let cfg = CheckConfig::new(
//!     vec!["geodata/liechtenstein/green_areas.geojson".into()],
//!     DemandSource::Residential("geodata/liechtenstein/buildings.geojson".into()),
//! );
//! let run = run_check(&cfg, &Silent).unwrap();
//! println!("{}", run.summary);
//! ```
//!
//! The same homes under the GB/T 51346 standard, as a report folder:
//!
//! ```no_run
//! use greenreach::{CheckConfig, DemandSource, Lang, ReportConfig, Silent, WeightSource, run_report};
//! let mut check = CheckConfig::new(
//!     vec!["geodata/liechtenstein/green_areas.geojson".into()],
//!     DemandSource::Residential("geodata/liechtenstein/buildings.geojson".into()),
//! );
//! check.standard = greenreach::standard::presets::gbt51346();
//! let cfg = ReportConfig {
//!     check,
//!     out_dir: "li-report".into(),
//!     weight: WeightSource::Points,
//!     zones: None,
//!     land: None,
//!     land_crs: None,
//!     land_where: Vec::new(),
//!     gap_link_m: None,
//!     land_cell_m: 2.0,
//!     lang: Lang::Zh,
//!     pdf: false,
//!     proposed: Vec::new(),
//! };
//! let report = run_report(&cfg, &Silent).unwrap();
//! println!("{:.1}% of homes meet every tier", 100.0 * report.totals.point_share(None));
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![warn(clippy::all)]
#![warn(unreachable_pub)]
#![warn(clippy::too_many_lines)]

pub mod crs;
pub mod engine;
pub mod error;
pub mod io;
pub mod progress;
pub mod report;
pub mod run;
pub mod standard;

pub use error::Error;
pub use progress::{Progress, Silent};
pub use report::{Lang, ReportConfig, WeightSource, ZoneSpec, run_report};
pub use run::check::{CheckRun, run_check};
pub use run::config::{CheckConfig, DemandSource};
pub use standard::Standard;
