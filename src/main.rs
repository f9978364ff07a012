//! `greenreach` command line: flags → config → library call → exit code.

#![deny(unsafe_code)]

mod cli;
mod huge_pages;
mod synth;
mod synth_streets;

use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use greenreach::progress::Progress;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use cli::{Cli, Command};

/// Large blocks on transparent huge pages (see `huge_pages`).
#[global_allocator]
static ALLOCATOR: huge_pages::HugePages = huge_pages::HugePages;

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
        Command::Check(mut args) => check(&mut args),
        Command::Report(mut args) => report(&mut args),
        Command::Site(mut args) => site(&mut args),
        Command::Standards(args) => standards(&args),
        Command::Synth(args) => synth(&args),
        Command::Merge(args) => merge(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(e.exit_code() as u8)
        }
    }
}

fn check(args: &mut cli::CheckArgs) -> Result<(), greenreach::Error> {
    let cfg = args.config()?;
    if let Some(shard) = args.shard {
        use greenreach::run::shard;
        let (s, warnings) = shard::run_shard(&cfg, shard, &Bar::new(args.input.quiet))?;
        for w in &warnings {
            eprintln!("warning: {w}");
        }
        let path = args.shard_summary.clone().unwrap_or_else(|| {
            format!("greenreach-shard-{}-of-{}.json", shard.index, shard.count).into()
        });
        shard::write_summary(&path, &s)?;
        println!(
            "shard {shard}: {} points evaluated ({} read in all), {} green features within the halo",
            s.counts.tally.total, s.summary.points_read, s.green_in_halo
        );
        if let Some(out) = &s.per_point {
            println!("per-point results: {}", out.display());
        }
        println!("shard summary: {}", path.display());
        return Ok(());
    }
    let run = greenreach::run_check(&cfg, &Bar::new(args.input.quiet))?;
    for n in &run.notes {
        eprintln!("read: {n}");
    }
    for w in &run.warnings {
        eprintln!("warning: {w}");
    }
    print!("{}", run.summary);
    if let Some(walk) = &run.walk {
        println!("\ndistances above are on foot");
        print!("{walk}");
    }
    if let Some(out) = &cfg.out {
        println!("per-point results: {}", out.display());
    }
    if !args.proposed.is_empty() {
        let impact = greenreach::run::proposed::run_proposed(&cfg, &args.proposed)?;
        if cfg.walk.is_some() {
            println!("\nproposed spaces, measured on foot:");
        }
        print!("\n{impact}");
    }
    // The process ends next and its memory goes back whole: freeing a million features and
    // their results one by one would cost a fifth of a second.
    std::mem::forget(run);
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

fn site(args: &mut cli::SiteArgs) -> Result<(), greenreach::Error> {
    use greenreach::report::site;
    let cfg = args.config()?;
    let run = site::run_site(&cfg, &Bar::new(args.input.quiet))?;
    for w in &run.warnings {
        eprintln!("warning: {w}");
    }
    if let Some(dir) = &cfg.out_dir {
        site::render::write_folder(&run, dir)?;
    }
    if let Some(path) = &args.export_problem {
        greenreach::io::atomic::write_file(path, site::render::problem_json(&run).as_bytes())
            .map_err(|source| greenreach::Error::Output {
                path: path.clone(),
                source,
            })?;
    }
    print!("{}", site::render::summary_text(&run));
    if let Some(dir) = &cfg.out_dir {
        println!("sites: {}", dir.join("index.html").display());
    }
    Ok(())
}

fn merge(args: &cli::MergeArgs) -> Result<(), greenreach::Error> {
    use greenreach::run::shard;
    let shards = args
        .shards
        .iter()
        .map(|p| Ok((p.clone(), shard::read_summary(p)?)))
        .collect::<Result<Vec<_>, greenreach::Error>>()?;
    let list: Vec<_> = shards.iter().map(|(_, s)| s.clone()).collect();
    let summary = shard::merge(&list)?;
    if let Some(out) = &args.out {
        shard::merge_points(&shards, out)?;
    }
    print!("{summary}");
    if let Some(out) = &args.out {
        println!("per-point results: {}", out.display());
    }
    if let (Some(path), Some(out)) = (&args.gaps, &args.out) {
        use greenreach::run::merged_gaps;
        let gaps = merged_gaps::gaps_from_points(out, &summary, list[0].origin, args.gap_link)?;
        greenreach::io::atomic::write_file(path, merged_gaps::gaps_geojson(&gaps)?.as_bytes())
            .map_err(|source| greenreach::Error::Output {
                path: path.clone(),
                source,
            })?;
        println!("gaps: {} ({} in all tiers)", path.display(), gaps.len());
    }
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
    if let Some(spacing) = args.streets_every {
        let s = synth_streets::write_streets(&args.out, args.seed, spacing, args.homes)?;
        println!(
            "{} ways, {} junctions, {} bridges over the river, {} footbridges over the motorway (streets_utm48n.geojson); {} homes (homes_utm48n.geojson)",
            s.ways, s.nodes, s.bridges.0, s.bridges.1, s.homes
        );
    }
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
