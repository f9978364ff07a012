//! The library's error type: what a run can fail on, and the exit code for each.

use std::path::PathBuf;

use thiserror::Error;

use crate::crs::CrsError;
use crate::engine::grid::GridTooLarge;
use crate::io::input::InputError;
use crate::standard::file::StandardError;

/// Why a run failed.
#[derive(Debug, Error)]
pub enum Error {
    /// A file could not be read or is not usable GeoJSON.
    #[error(transparent)]
    Input(#[from] InputError),
    /// The standard could not be loaded.
    #[error(transparent)]
    Standard(#[from] StandardError),
    /// The options do not make a valid run.
    #[error("{0}")]
    Config(String),
    /// A warning, raised as an error because of `--strict`.
    #[error("{0} (an error under --strict)")]
    Strict(String),
    /// The grid asked for is too large.
    #[error(transparent)]
    Grid(#[from] GridTooLarge),
    /// A projection failed.
    #[error(transparent)]
    Crs(#[from] CrsError),
    /// The output file could not be written.
    #[error("{}: cannot write: {source}", .path.display())]
    Output {
        /// The output file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The worker threads could not be started.
    #[error("cannot start worker threads: {0}")]
    Threads(String),
}

impl Error {
    /// 2 for bad input or options, 1 for failures inside greenreach.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Crs(_) | Error::Threads(_) => 1,
            _ => 2,
        }
    }
}
