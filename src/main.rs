//! `greenreach` command line: flags → config → library call → exit code.

mod cli;
mod synth;

use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use greenreach::progress::Progress;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use cli::{Cli, Command};

/// An indicatif bar on stderr (hidden when `--quiet` or stderr is not a terminal).
struct Bar {
    bar: ProgressBar,
}

impl Bar {
    fn new(quiet: bool) -> Self {
        let target = if quiet {
            ProgressDrawTarget::hidden()
        } else {
            ProgressDrawTarget::stderr()
        };
        let bar = ProgressBar::with_draw_target(None, target);
        bar.set_style(
            ProgressStyle::with_template(
                "{msg:>12} [{bar:40}] {human_pos}/{human_len} points ({per_sec}, {eta})",
            )
            .expect("static template")
            .progress_chars("=> "),
        );
        Self { bar }
    }
}

impl Progress for Bar {
    fn begin(&self, stage: &str, total: u64) {
        self.bar.set_message(stage.to_string());
        self.bar.set_length(total);
        self.bar.set_position(0);
        self.bar.enable_steady_tick(Duration::from_millis(200));
    }
    fn advance(&self, n: u64) {
        self.bar.inc(n);
    }
    fn end(&self) {
        self.bar.finish_and_clear();
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check(args) => check(&args),
        Command::Report(mut args) => report(&mut args),
        Command::Standards(args) => standards(&args),
        Command::Synth(args) => synth(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(e.exit_code() as u8)
        }
    }
}

fn check(args: &cli::CheckArgs) -> Result<(), greenreach::Error> {
    let cfg = args.config()?;
    let run = greenreach::run_check(&cfg, &Bar::new(args.input.quiet))?;
    for w in &run.warnings {
        eprintln!("warning: {w}");
    }
    print!("{}", run.summary);
    if let Some(out) = &cfg.out {
        println!("per-point results: {}", out.display());
    }
    Ok(())
}

fn report(args: &mut cli::ReportArgs) -> Result<(), greenreach::Error> {
    let cfg = args.config()?;
    let report = greenreach::report::run_report(&cfg, &Bar::new(args.input.quiet))?;
    for w in &report.warnings {
        eprintln!("warning: {w}");
    }
    print!("{}", greenreach::report::render::terminal_summary(&report));
    Ok(())
}

fn synth(args: &cli::SynthArgs) -> Result<(), greenreach::Error> {
    let n = synth::write_city(
        &args.out,
        args.seed,
        (args.street, args.leisure, args.parks),
    )?;
    println!(
        "{n} polygons in {} (polygons_wgs84.geojson, polygons_utm48n.geojson, extent_wgs84.geojson)",
        args.out.display()
    );
    Ok(())
}

fn standards(args: &cli::StandardsArgs) -> Result<(), greenreach::Error> {
    use greenreach::standard::{file, presets};
    match &args.name {
        None => {
            for s in presets::all() {
                println!("{:<13} {}", s.name, s.describe_tiers());
                println!("{:<13} {}", "", s.source);
            }
        }
        Some(name) => {
            let s = file::load(name)?;
            if args.toml {
                print!("{}", file::to_toml(&s));
            } else {
                print!("{}", s.describe());
            }
        }
    }
    Ok(())
}
