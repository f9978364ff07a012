//! Helpers shared by integration tests. Each test binary uses some of them.
#![allow(dead_code)]

pub mod pbf;

use std::process::{Command, Output};

/// Run the `greenreach` binary from the repository root.
pub fn greenreach(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_greenreach"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run greenreach")
}

/// A process's output as text.
pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}
