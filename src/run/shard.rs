//! Exact partitioning of one study: shard `I/N` evaluates a deterministic spatial part of the
//! demand points against the green features within its bounds plus a halo of the search
//! limit, on the plane of the whole study; `merge` adds the shards' counts into the summary of
//! a single run and interleaves their per-point files back into input order.
//!
//! Why the answer is identical: every shard reads all layers and centres the plane on their
//! whole extent, so each coordinate, scale factor and distance is computed by the same float
//! operations as in a single run. A point's result depends only on features within plane
//! distance `limit · k(p)` of it (nothing farther is reported, and every radius is at most the
//! limit); every such feature's box meets the shard's box grown by the halo (`limit` times the
//! largest point scale over the box). Features keep their relative order, and ties go to the
//! lowest feature number, so the same feature wins. Each point is in exactly one shard, and
//! counts and shortfall bins add.

use std::collections::BTreeMap;
use std::fmt;
use std::fs::File;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use geo::{BoundingRect, Coord, Rect};
use serde::{Deserialize, Serialize};

use crate::engine::coverage::Detail;
use crate::engine::reach::StraightLine;
use crate::error::Error;
use crate::io::atomic::{self, AtomicFile};
use crate::io::output::{self, Format, PointTable};
use crate::progress::Progress;
use crate::run::check::{evaluate_points, with_threads};
use crate::run::config::{CheckConfig, DemandSource};
use crate::run::demand::{DemandPoints, PointIds};
use crate::run::green::GreenSpaces;
use crate::run::prepare::prepare;
use crate::run::summary::{Counts, Summary};

/// Shard `index` (1-based) of `count`, as in `--shard 2/8`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShardSpec {
    /// 1 ..= count.
    pub index: usize,
    /// Number of shards.
    pub count: usize,
}

impl FromStr for ShardSpec {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("--shard takes I/N with 1 <= I <= N (e.g. 2/8), got \"{s}\"");
        let (i, n) = s.split_once('/').ok_or_else(bad)?;
        let index: usize = i.trim().parse().map_err(|_| bad())?;
        let count: usize = n.trim().parse().map_err(|_| bad())?;
        if index == 0 || index > count {
            return Err(bad());
        }
        Ok(Self { index, count })
    }
}

impl fmt::Display for ShardSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// What a shard writes for `merge`: the summary of the whole study with this shard's counts,
/// and the counts themselves.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ShardSummary {
    /// `greenreach-shard 1`.
    pub format: String,
    /// Which shard (1-based).
    pub shard: usize,
    /// Of how many.
    pub shards: usize,
    /// The plane's centre: the same for every shard of one study.
    pub origin: (f64, f64),
    /// Green features within the shard's bounds and halo.
    pub green_in_halo: usize,
    /// This shard's counts.
    pub counts: Counts,
    /// Whole-study figures (green and demand read), with this shard's counts.
    pub summary: Summary,
    /// The shard's per-point CSV (with a leading `row` column), if written.
    pub per_point: Option<PathBuf>,
}

const FORMAT: &str = "greenreach-shard 1";

/// Split points into `count` parts of equal size (±1) by recursive bisection of the wider
/// side at the count-weighted median; ties are broken by position, so the split depends on
/// the points alone. Returns each point's part (0-based).
pub fn split(xy: &[Coord], count: usize) -> Vec<u32> {
    let mut part = vec![0u32; xy.len()];
    let mut idx: Vec<u32> = (0..xy.len() as u32).collect();
    bisect(xy, &mut idx, 0, count.max(1), &mut part);
    part
}

fn bisect(xy: &[Coord], idx: &mut [u32], first: usize, count: usize, part: &mut [u32]) {
    if count == 1 || idx.is_empty() {
        for &i in idx.iter() {
            part[i as usize] = first as u32;
        }
        return;
    }
    let left = count / 2;
    let k = (idx.len() as u128 * left as u128 / count as u128) as usize;
    let (mut lo, mut hi) = (
        Coord {
            x: f64::MAX,
            y: f64::MAX,
        },
        Coord {
            x: f64::MIN,
            y: f64::MIN,
        },
    );
    for &i in idx.iter() {
        let c = xy[i as usize];
        lo = Coord {
            x: lo.x.min(c.x),
            y: lo.y.min(c.y),
        };
        hi = Coord {
            x: hi.x.max(c.x),
            y: hi.y.max(c.y),
        };
    }
    let along_x = hi.x - lo.x >= hi.y - lo.y;
    let key = |i: u32| {
        let c = xy[i as usize];
        if along_x {
            (c.x, c.y, i)
        } else {
            (c.y, c.x, i)
        }
    };
    if k < idx.len() {
        idx.select_nth_unstable_by(k, |&a, &b| {
            let (a, b) = (key(a), key(b));
            a.0.total_cmp(&b.0)
                .then(a.1.total_cmp(&b.1))
                .then(a.2.cmp(&b.2))
        });
    }
    let (l, r) = idx.split_at_mut(k);
    bisect(xy, l, first, left, part);
    bisect(xy, r, first + left, count - left, part);
}

/// The points of `d` at `keep` (ascending), with the skipped rows when `with_skipped`.
fn subset(d: &DemandPoints, keep: &[usize], with_skipped: bool) -> DemandPoints {
    let ids = match &d.ids {
        PointIds::Listed(v) => PointIds::Listed(keep.iter().map(|&i| v[i].clone()).collect()),
        PointIds::Cells(v) => PointIds::Cells(keep.iter().map(|&i| v[i]).collect()),
    };
    let pick = |v: &[u32]| keep.iter().map(|&i| v[i]).collect::<Vec<_>>();
    let skipped_rows = if with_skipped {
        d.skipped_rows.clone()
    } else {
        vec![]
    };
    DemandPoints {
        ids,
        lonlat: d
            .lonlat
            .as_ref()
            .map(|v| keep.iter().map(|&i| v[i]).collect()),
        xy: keep.iter().map(|&i| d.xy[i]).collect(),
        source: if d.source.is_empty() {
            vec![]
        } else {
            pick(&d.source)
        },
        file_index: keep.iter().map(|&i| d.file_index[i]).collect(),
        read: keep.len() + skipped_rows.len(),
        skipped_rows,
        duplicate_ids: (0, None),
    }
}

/// Green features whose box meets `bounds` grown by `halo` (plane metres), in their order.
fn within_halo(green: &GreenSpaces, bounds: Rect<f64>, halo: f64) -> GreenSpaces {
    let (lo, hi) = (bounds.min(), bounds.max());
    let features = green
        .features
        .iter()
        .filter(|f| {
            f.geometry.bounding_rect().is_some_and(|r| {
                r.max().x >= lo.x - halo
                    && r.min().x <= hi.x + halo
                    && r.max().y >= lo.y - halo
                    && r.min().y <= hi.y + halo
            })
        })
        .cloned()
        .collect();
    GreenSpaces {
        features,
        invalid: vec![],
        ..green.clone()
    }
}

/// Run shard `shard` of the check `cfg`: its per-point file (CSV, with a leading `row`
/// column: the row of the single run's file) when `cfg.out` is set, and its summary.
#[allow(clippy::too_many_lines)] // the shard's stages in order: its rows, evaluation, file and summary
pub fn run_shard(
    cfg: &CheckConfig,
    shard: ShardSpec,
    progress: &dyn Progress,
) -> Result<(ShardSummary, Vec<String>), Error> {
    let format = cfg.validate()?;
    if matches!(cfg.demand, DemandSource::Grid { .. }) {
        return Err(Error::Config(
            "--shard splits --points or --residential; for a grid, split the --area instead".into(),
        ));
    }
    if cfg.out.is_some() && format != Format::Csv {
        return Err(Error::Config(
            "--shard writes its per-point file as CSV (.csv)".into(),
        ));
    }
    with_threads(cfg.threads, || {
        let (prepared, demand) = prepare(cfg)?;
        let d = &demand.into_points(&prepared)?;
        let part = split(&d.xy, shard.count);
        let me = (shard.index - 1) as u32;
        let keep: Vec<usize> = (0..d.len()).filter(|&i| part[i] == me).collect();
        let mine = subset(d, &keep, shard.index == 1);
        let bounds = mine
            .xy
            .iter()
            .map(|&c| Rect::new(c, c))
            .reduce(|a, b| {
                Rect::new(
                    Coord {
                        x: a.min().x.min(b.min().x),
                        y: a.min().y.min(b.min().y),
                    },
                    Coord {
                        x: a.max().x.max(b.max().x),
                        y: a.max().y.max(b.max().y),
                    },
                )
            })
            .unwrap_or(Rect::new(Coord::zero(), Coord::zero()));
        // The largest point scale over the box (it grows away from the central meridian).
        let far_x = bounds.min().x.abs().max(bounds.max().x.abs());
        let k = prepared.plane.scale().at(Coord { x: far_x, y: 0.0 });
        let halo = cfg.max_distance_m * k * (1.0 + 1e-9) + 1.0;
        let green = within_halo(&prepared.green, bounds, halo);
        let reach = StraightLine::new(green.tier_groups(&cfg.standard), prepared.plane.scale());
        let detail = if cfg.out.is_some() {
            Detail::Distances
        } else {
            Detail::Flags
        };
        let coverage = evaluate_points(&reach, &mine, cfg.max_distance_m, detail, progress);
        let counts = Counts::of(&cfg.standard, &green, &coverage);
        if let Some(path) = &cfg.out {
            let rows = global_rows(d, &keep, shard.index == 1);
            let table = PointTable {
                standard: &cfg.standard,
                demand: &mine,
                coverage: &coverage,
                green: &green,
                plane: &prepared.plane,
            };
            write_with_rows(path, &table, &rows).map_err(|source| Error::Output {
                path: path.clone(),
                source,
            })?;
        }
        let summary = Summary::from_counts(
            &cfg.standard,
            &prepared.green,
            d.read,
            d.skipped_counts(),
            &counts,
            cfg.max_distance_m,
        );
        Ok((
            ShardSummary {
                format: FORMAT.into(),
                shard: shard.index,
                shards: shard.count,
                origin: prepared.plane.origin(),
                green_in_halo: green.features.len(),
                counts,
                summary,
                per_point: cfg.out.clone(),
            },
            prepared.warnings.list,
        ))
    })
}

/// The single run's row numbers of a shard's rows, in the shard file's order: points at
/// `keep` and (with `skipped`) the skipped rows, merged by file index as the writer does.
fn global_rows(d: &DemandPoints, keep: &[usize], skipped: bool) -> Vec<u64> {
    // In the single run, skipped row s precedes point p when s.file_index < p.file_index.
    let skipped_before = |fi: usize| d.skipped_rows.partition_point(|s| s.file_index < fi) as u64;
    let points_through = |fi: usize| d.file_index.partition_point(|&p| p <= fi) as u64;
    let mut out = Vec::with_capacity(keep.len() + d.skipped_rows.len());
    let mut s = 0;
    let mut k = 0;
    while k < keep.len() || (skipped && s < d.skipped_rows.len()) {
        let take_skipped = skipped
            && s < d.skipped_rows.len()
            && (k >= keep.len() || d.skipped_rows[s].file_index < d.file_index[keep[k]]);
        if take_skipped {
            out.push(s as u64 + points_through(d.skipped_rows[s].file_index));
            s += 1;
        } else {
            let i = keep[k];
            out.push(i as u64 + skipped_before(d.file_index[i]));
            k += 1;
        }
    }
    out
}

/// Split CSV text into records (a line break inside quotes does not end one).
fn records(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut quoted = false;
        for (i, b) in rest.bytes().enumerate() {
            match b {
                b'"' => quoted = !quoted,
                b'\n' if !quoted => {
                    let (rec, tail) = rest.split_at(i);
                    rest = &tail[1..];
                    return Some(rec);
                }
                _ => {}
            }
        }
        let rec = rest;
        rest = "";
        Some(rec)
    })
}

fn write_with_rows(path: &Path, table: &PointTable<'_>, rows: &[u64]) -> io::Result<()> {
    let plain_path = plain_path(path);
    output::write(&plain_path, Format::Csv, table)?;
    let mut plain = Vec::new();
    File::open(&plain_path)?.read_to_end(&mut plain)?;
    std::fs::remove_file(&plain_path)?;
    let text = String::from_utf8(plain).map_err(io::Error::other)?;
    let mut recs = records(&text);
    let mut w = AtomicFile::create(path)?;
    writeln!(w, "row,{}", recs.next().unwrap_or_default())?;
    let mut n = 0;
    for (rec, row) in recs.zip(rows) {
        writeln!(w, "{row},{rec}")?;
        n += 1;
    }
    if n != rows.len() {
        return Err(io::Error::other(format!(
            "{n} rows written for {} shard rows",
            rows.len()
        )));
    }
    w.commit()
}

/// Where the shard's file is first written without its `row` column.
fn plain_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".plain.csv");
    path.with_file_name(name)
}

/// Read a shard summary.
pub fn read_summary(path: &Path) -> Result<ShardSummary, Error> {
    let bad = |problem: String| Error::Config(format!("{}: {problem}", path.display()));
    let text = std::fs::read_to_string(path).map_err(|e| bad(format!("cannot read: {e}")))?;
    let s: ShardSummary =
        serde_json::from_str(&text).map_err(|e| bad(format!("not a shard summary: {e}")))?;
    if s.format != FORMAT {
        return Err(bad(format!(
            "format \"{}\", expected \"{FORMAT}\"",
            s.format
        )));
    }
    Ok(s)
}

/// Write a shard summary (JSON).
pub fn write_summary(path: &Path, s: &ShardSummary) -> Result<(), Error> {
    let text = serde_json::to_string_pretty(s).expect("serialisable");
    atomic::write_file(path, (text + "\n").as_bytes()).map_err(|source| Error::Output {
        path: path.to_path_buf(),
        source,
    })
}

/// Add the shards of one study (each exactly once) into the summary of a single run.
pub fn merge(shards: &[ShardSummary]) -> Result<Summary, Error> {
    let Some(first) = shards.first() else {
        return Err(Error::Config("give the shard summaries to merge".into()));
    };
    let n = first.shards;
    let mut seen = vec![false; n];
    for s in shards {
        if s.shards != n || s.origin != first.origin || s.summary.standard != first.summary.standard
        {
            return Err(Error::Config(format!(
                "shard {}/{} is not of the same study as shard {}/{} (shard count, inputs or standard differ)",
                s.shard, s.shards, first.shard, n
            )));
        }
        if s.shard == 0 || s.shard > n || std::mem::replace(&mut seen[s.shard - 1], true) {
            return Err(Error::Config(format!(
                "shard {}/{n} is given twice",
                s.shard
            )));
        }
    }
    if let Some(missing) = seen.iter().position(|&b| !b) {
        return Err(Error::Config(format!(
            "shard {}/{n} is missing",
            missing + 1
        )));
    }
    let mut counts = Counts::default();
    for s in shards {
        counts.merge(&s.counts);
    }
    let mut summary = first.summary.clone();
    summary.points_evaluated = counts.tally.total;
    let limit_m = summary.limit_m;
    for (t, tier) in summary.tiers.iter_mut().enumerate() {
        tier.within = counts.tally.within[t];
        tier.share = counts.tally.share(Some(t));
        tier.shortfall = match (&counts.shortfalls, &counts.beyond) {
            (Some(s), Some(b)) => crate::run::summary::ShortfallStats::new(
                &s[t],
                b[t] as u64,
                limit_m - tier.max_radius_m,
            ),
            _ => None,
        };
        tier.beyond_limit = counts.beyond.as_ref().map(|b| b[t]);
    }
    summary.all_within = counts.tally.all;
    summary.all_share = counts.tally.share(None);
    Ok(summary)
}

/// Interleave the shards' per-point files (paths relative to their summary's folder) back into
/// the single run's order, without the `row` column, into `out` (CSV).
pub fn merge_points(shards: &[(PathBuf, ShardSummary)], out: &Path) -> Result<usize, Error> {
    let mut readers = Vec::new();
    for (json, s) in shards {
        let Some(p) = &s.per_point else {
            return Err(Error::Config(format!(
                "{}: the shard wrote no per-point file (it ran with --summary-only)",
                json.display()
            )));
        };
        let p = if p.is_relative() && !p.exists() {
            json.parent().unwrap_or(Path::new(".")).join(p)
        } else {
            p.clone()
        };
        let text = std::fs::read_to_string(&p).map_err(|e| {
            Error::Config(format!(
                "{}: cannot read the shard's per-point file: {e}",
                p.display()
            ))
        })?;
        readers.push((p, text));
    }
    let out_err = |source| Error::Output {
        path: out.to_path_buf(),
        source,
    };
    let mut header = None;
    let mut rows: BTreeMap<u64, String> = BTreeMap::new();
    for (p, text) in &readers {
        let mut recs = records(text);
        let h = recs.next().unwrap_or_default();
        let Some(h) = h.strip_prefix("row,") else {
            return Err(Error::Config(format!(
                "{}: not a shard per-point file (no leading row column)",
                p.display()
            )));
        };
        if header.get_or_insert_with(|| h.to_string()) != h {
            return Err(Error::Config(format!(
                "{}: columns differ from the other shards'",
                p.display()
            )));
        }
        for rec in recs {
            let (row, rest) = rec.split_once(',').unwrap_or((rec, ""));
            let row: u64 = row
                .parse()
                .map_err(|_| Error::Config(format!("{}: bad row number \"{row}\"", p.display())))?;
            if rows.insert(row, rest.to_string()).is_some() {
                return Err(Error::Config(format!(
                    "{}: row {row} appears in two shards",
                    p.display()
                )));
            }
        }
    }
    if let Some((&last, _)) = rows.last_key_value()
        && last + 1 != rows.len() as u64
    {
        return Err(Error::Config(format!(
            "the shards' per-point files hold {} rows but number them up to {last}: a shard is missing",
            rows.len()
        )));
    }
    let write = || -> io::Result<()> {
        let mut w = AtomicFile::create(out)?;
        writeln!(w, "{}", header.as_deref().unwrap_or_default())?;
        for rec in rows.values() {
            writeln!(w, "{rec}")?;
        }
        w.commit()
    };
    write().map_err(out_err)?;
    Ok(rows.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_spec_parses_and_rejects() {
        assert_eq!(
            "2/8".parse::<ShardSpec>().unwrap(),
            ShardSpec { index: 2, count: 8 }
        );
        for bad in ["0/2", "3/2", "1", "a/b", "1/0"] {
            assert!(bad.parse::<ShardSpec>().is_err(), "{bad}");
        }
    }

    #[test]
    fn split_is_balanced_and_covers_every_point() {
        let xy: Vec<Coord> = (0..1000)
            .map(|i| Coord {
                x: ((i * 7919) % 1000) as f64,
                y: ((i * 104_729) % 313) as f64,
            })
            .collect();
        for n in [1, 2, 3, 7, 8] {
            let part = split(&xy, n);
            let mut sizes = vec![0; n];
            for &p in &part {
                sizes[p as usize] += 1;
            }
            let (lo, hi) = (sizes.iter().min().unwrap(), sizes.iter().max().unwrap());
            assert!(hi - lo <= 1, "{n}: {sizes:?}");
            assert_eq!(part, split(&xy, n));
        }
    }

    #[test]
    fn csv_records_keep_quoted_line_breaks() {
        let r: Vec<&str> = records("a,b\n\"x\ny\",1\nlast").collect();
        assert_eq!(r, vec!["a,b", "\"x\ny\",1", "last"]);
    }
}
