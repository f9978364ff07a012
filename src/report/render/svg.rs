//! The map (`map.svg`, also inlined in `index.html`) and the distance histograms.

use std::fmt::Write;

use geo::{BoundingRect, Coord, Geometry, LineString, Rect};

use super::super::{Histogram, Report};
use super::print::font_stack;
use crate::report::lang::{Key, Lang};

/// Fill per category position (first = the most demanding, e.g. park).
const CATEGORY_FILL: [&str; 6] = [
    "#1b7837", "#5aae61", "#a6dba0", "#d9f0d3", "#c2e699", "#78c679",
];
/// Fill for points meeting 0, 1, ... tiers (last = all).
fn met_fill(met: usize, tiers: usize) -> &'static str {
    const SCALE: [&str; 5] = ["#d7191c", "#fdae61", "#fee08b", "#a6d96a", "#1a9641"];
    if met >= tiers {
        SCALE[4]
    } else {
        SCALE[(met * 3 / tiers.max(1)).min(3)]
    }
}

/// Most points drawn; beyond this, every k-th point is drawn and the map says so.
const MAX_POINTS: usize = 40_000;
const WIDTH: f64 = 960.0;
const MAX_HEIGHT: f64 = 1000.0;

struct View {
    min: Coord,
    scale: f64,
    height: f64,
}

impl View {
    fn x(&self, c: Coord) -> f64 {
        (c.x - self.min.x) * self.scale + 20.0
    }
    fn y(&self, c: Coord) -> f64 {
        self.height - 20.0 - (c.y - self.min.y) * self.scale
    }
}

fn ring(out: &mut String, v: &View, ls: &LineString<f64>, close: bool) {
    for (k, c) in ls.0.iter().enumerate() {
        let _ = write!(
            out,
            "{}{:.1} {:.1}",
            if k == 0 { "M" } else { "L" },
            v.x(*c),
            v.y(*c)
        );
    }
    if close {
        out.push('Z');
    }
}

fn path_of(v: &View, g: &Geometry<f64>) -> (String, bool) {
    let mut d = String::new();
    let mut area = false;
    match g {
        Geometry::Polygon(p) => {
            area = true;
            ring(&mut d, v, p.exterior(), true);
            p.interiors().iter().for_each(|r| ring(&mut d, v, r, true));
        }
        Geometry::MultiPolygon(mp) => {
            area = true;
            for p in mp {
                ring(&mut d, v, p.exterior(), true);
                p.interiors().iter().for_each(|r| ring(&mut d, v, r, true));
            }
        }
        Geometry::LineString(l) => ring(&mut d, v, l, false),
        Geometry::MultiLineString(ml) => ml.iter().for_each(|l| ring(&mut d, v, l, false)),
        Geometry::Point(p) => {
            let _ = write!(d, "M{:.1} {:.1}h2v2h-2Z", v.x(p.0) - 1.0, v.y(p.0) - 1.0);
            area = true;
        }
        Geometry::MultiPoint(mp) => {
            area = true;
            for p in mp {
                let _ = write!(d, "M{:.1} {:.1}h2v2h-2Z", v.x(p.0) - 1.0, v.y(p.0) - 1.0);
            }
        }
        _ => {}
    }
    (d, area)
}

/// A round scale-bar length near a fifth of the map width, metres.
fn bar_length(width_m: f64) -> f64 {
    let target = width_m / 5.0;
    let p = 10f64.powf(target.log10().floor());
    [5.0, 2.0, 1.0]
        .iter()
        .map(|m| m * p)
        .find(|&l| l <= target)
        .unwrap_or(p)
}

/// The bounding box of the zones and the points (a unit square when there is nothing).
fn extent_of(r: &Report) -> Rect<f64> {
    let mut extent: Option<Rect<f64>> = None;
    let mut grow = |b: Option<Rect<f64>>| {
        if let Some(b) = b {
            extent = Some(match extent {
                None => b,
                Some(e) => Rect::new(
                    Coord {
                        x: e.min().x.min(b.min().x),
                        y: e.min().y.min(b.min().y),
                    },
                    Coord {
                        x: e.max().x.max(b.max().x),
                        y: e.max().y.max(b.max().y),
                    },
                ),
            });
        }
    };
    for (_, z) in &r.zone_shapes {
        grow(z.bounding_rect());
    }
    let pts = &r.points.xy;
    grow(geo::MultiPoint(pts.iter().map(|&c| geo::Point(c)).collect()).bounding_rect());
    extent.unwrap_or(Rect::new(
        Coord { x: 0.0, y: 0.0 },
        Coord { x: 1.0, y: 1.0 },
    ))
}

/// The view of `e` on the page: scaled to fit, centred horizontally.
fn view_of(e: Rect<f64>) -> View {
    let span_x = e.width().max(1.0);
    let scale = ((WIDTH - 40.0) / span_x).min((MAX_HEIGHT - 40.0) / e.height().max(1.0));
    let height = e.height().max(1.0) * scale + 40.0;
    let pad = (WIDTH - 40.0 - span_x * scale) / 2.0 / scale;
    View {
        min: Coord {
            x: e.min().x - pad,
            y: e.min().y,
        },
        scale,
        height,
    }
}

/// The map: zones, green spaces by category, demand points by tiers met, scale bar, north
/// arrow and legend.
pub(super) fn map(r: &Report) -> String {
    let l = r.config.lang;
    let pts = &r.points.xy;
    let e = extent_of(r);
    let span_x = e.width().max(1.0);
    let v = view_of(e);
    let height = v.height;
    let step = pts.len().div_ceil(MAX_POINTS).max(1);
    let shown = pts.len().div_ceil(step);
    let total_h = height + 70.0;

    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {total_h:.0}" width="{WIDTH}" height="{total_h:.0}" role="img" aria-label="{}" data-points="{shown}" data-zones="{}" data-green="{}" font-family="{}">"#,
        l.t(Key::MapLabel),
        r.zone_shapes.len(),
        r.prepared.green.features.len(),
        esc(&font_stack(l))
    );
    let _ = write!(
        s,
        r##"<rect width="{WIDTH}" height="{height:.0}" fill="#f7f7f4"/>"##
    );
    s += &shapes(r, &v);
    s += &point_marks(r, &v, step);
    s += &zone_labels(r, &v);
    s += &scale_bar_and_north(l, span_x, &v);
    s += &legend(r, height, step);
    s += "</g></svg>";
    s
}

/// Zone outlines and green spaces filled by category.
fn shapes(r: &Report, v: &View) -> String {
    let mut s = String::from(r##"<g id="zones" fill="none" stroke="#555" stroke-width="1.2">"##);
    for (name, z) in &r.zone_shapes {
        let (d, _) = path_of(v, &Geometry::MultiPolygon(z.clone()));
        let _ = write!(
            s,
            r#"<path d="{d}"><title translate="no">{}</title></path>"#,
            esc(name)
        );
    }
    s += "</g>";
    s += r#"<g id="green" stroke-width="0.6">"#;
    for f in &r.prepared.green.features {
        let (d, area) = path_of(v, &f.geometry);
        let fill = CATEGORY_FILL[f.category.min(CATEGORY_FILL.len() - 1)];
        let _ = if area {
            write!(s, r#"<path d="{d}" fill="{fill}" fill-opacity="0.85"/>"#)
        } else {
            write!(
                s,
                r#"<path d="{d}" fill="none" stroke="{fill}" stroke-width="2"/>"#
            )
        };
    }
    s + "</g>"
}

/// Every `step`-th home as a dot coloured by tiers met, and under `--metric walk` a red ring
/// over the homes lost to barriers.
fn point_marks(r: &Report, v: &View, step: usize) -> String {
    let pts = &r.points.xy;
    let tiers = r.config.check.standard.tiers.len();
    let mut s = String::from(r#"<g id="points" stroke="none">"#);
    for i in (0..pts.len()).step_by(step) {
        let met = r.coverage.tiers.iter().filter(|c| c.ok[i]).count();
        let _ = write!(
            s,
            r#"<circle cx="{:.1}" cy="{:.1}" r="1.6" fill="{}"/>"#,
            v.x(pts[i]),
            v.y(pts[i]),
            met_fill(met, tiers)
        );
    }
    s += "</g>";
    if let Some(w) = &r.walk {
        s += r##"<g id="lost" fill="none" stroke="#d7301f" stroke-width="1.2">"##;
        for i in (0..pts.len()).step_by(step) {
            if super::walk::lost_in_any_tier(r, w, i) {
                let _ = write!(
                    s,
                    r#"<circle cx="{:.1}" cy="{:.1}" r="3.4"/>"#,
                    v.x(pts[i]),
                    v.y(pts[i])
                );
            }
        }
        s += "</g>";
    }
    s
}

/// Zone names at an interior point of each zone's largest part (drawn on top of the points).
fn zone_labels(r: &Report, v: &View) -> String {
    let mut s = String::new();
    s += r##"<g id="zone-labels" font-size="12" fill="#222" text-anchor="middle" stroke="#fff" stroke-width="3" paint-order="stroke">"##;
    for (name, z) in &r.zone_shapes {
        use geo::{Area, InteriorPoint};
        let largest =
            z.0.iter()
                .max_by(|a, b| a.unsigned_area().total_cmp(&b.unsigned_area()));
        if let Some(p) = largest.and_then(|p| p.interior_point()) {
            let _ = write!(
                s,
                r#"<text x="{:.1}" y="{:.1}" translate="no">{}</text>"#,
                v.x(p.0),
                v.y(p.0),
                esc(name)
            );
        }
    }
    s += "</g>";
    s
}

/// The scale bar and the north arrow (grid north of the local plane, which is true north at
/// its central meridian).
fn scale_bar_and_north(l: Lang, span_x: f64, v: &View) -> String {
    let (scale, height) = (v.scale, v.height);
    let mut s = String::new();
    let bar_m = bar_length(span_x);
    let bar_px = bar_m * scale;
    let (bx, by) = (24.0, height - 14.0);
    let _ = write!(
        s,
        r##"<g id="scalebar"><rect x="{:.1}" y="{:.1}" width="{:.1}" height="6" fill="#222"/><text x="{bx}" y="{:.1}" font-size="12">{}</text></g>"##,
        bx,
        by - 6.0,
        bar_px,
        by - 10.0,
        l.length(bar_m)
    );
    let _ = write!(
        s,
        r##"<g id="north" transform="translate({:.0},40)"><path d="M0 -24 L9 6 L0 0 L-9 6 Z" fill="#222"/><text x="-5" y="22" font-size="14" font-weight="bold">{}</text></g>"##,
        WIDTH - 40.0,
        l.t(Key::North)
    );
    s
}

/// The legend under the map: green categories, tiers met, and the caption.
fn legend(r: &Report, height: f64, step: usize) -> String {
    let l = r.config.lang;
    let std = &r.config.check.standard;
    let (tiers, pts) = (std.tiers.len(), &r.points.xy);
    let mut s = String::new();
    let ly = height + 18.0;
    let mut x = 20.0;
    s += r#"<g id="legend" font-size="12">"#;
    for (k, c) in std.categories.iter().enumerate() {
        let _ = write!(
            s,
            r#"<rect x="{x}" y="{:.0}" width="14" height="10" fill="{}"/><text x="{:.0}" y="{:.0}">{}</text>"#,
            ly - 9.0,
            CATEGORY_FILL[k.min(5)],
            x + 18.0,
            ly,
            esc(&l.category(c))
        );
        x += 26.0 + Lang::text_width(&l.category(c), 12.0);
    }
    x += 10.0;
    for met in 0..=tiers {
        let _ = write!(
            s,
            r#"<circle cx="{:.0}" cy="{:.0}" r="5" fill="{}"/>"#,
            x + 5.0,
            ly - 4.0,
            met_fill(met, tiers)
        );
        let label = if met == tiers {
            l.f(Key::MapAllMet, &[&tiers])
        } else {
            l.f(Key::MapMet, &[&met])
        };
        let _ = write!(s, r#"<text x="{:.0}" y="{ly:.0}">{label}</text>"#, x + 14.0);
        x += 24.0 + Lang::text_width(&label, 12.0);
    }
    if r.walk.is_some() {
        let label = l.t(Key::MapLost);
        let _ = write!(
            s,
            r##"<circle cx="{:.0}" cy="{:.0}" r="5" fill="none" stroke="#d7301f" stroke-width="1.5"/><text x="{:.0}" y="{ly:.0}">{label}</text>"##,
            x + 5.0,
            ly - 4.0,
            x + 14.0
        );
    }
    let _ = write!(
        s,
        r##"<text x="20" y="{:.0}" fill="#555">{}</text>"##,
        ly + 22.0,
        l.f(
            Key::MapCaption,
            &[&if step > 1 {
                l.f(Key::MapSampled, &[&step, &pts.len()])
            } else {
                String::new()
            }]
        )
    );
    s
}

/// A bar chart of one tier's distances with the radius marked.
pub(super) fn histogram(h: &Histogram, radius_m: f64, title: &str, l: Lang) -> String {
    let (w, hgt) = (300.0, 150.0);
    let bars = h.counts.len() + 2;
    let max = h
        .counts
        .iter()
        .chain([&h.beyond, &h.none])
        .copied()
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let bw = (w - 20.0) / bars as f64;
    let mut s = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {hgt}" width="{w}" height="{hgt}" role="img" aria-label="{}" class="hist">"#,
        esc(title)
    );
    let bar = |k: usize, n: usize, fill: &str| {
        let bh = (hgt - 40.0) * n as f64 / max;
        format!(
            r#"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{bh:.1}" fill="{fill}"><title>{n}</title></rect>"#,
            10.0 + k as f64 * bw,
            hgt - 25.0 - bh,
            bw - 1.0
        )
    };
    for (k, &n) in h.counts.iter().enumerate() {
        let fill = if (k as f64 + 1.0) * h.bin_m <= radius_m {
            "#1a9641"
        } else {
            "#d7191c"
        };
        s += &bar(k, n, fill);
    }
    s += &bar(h.counts.len(), h.beyond, "#a50f15");
    s += &bar(h.counts.len() + 1, h.none, "#999");
    let rx = 10.0 + radius_m / h.bin_m * bw;
    let _ = write!(
        s,
        r##"<line x1="{rx:.1}" x2="{rx:.1}" y1="10" y2="{:.0}" stroke="#222" stroke-dasharray="3 2"/><text x="{:.1}" y="10" font-size="10">{}</text>"##,
        hgt - 25.0,
        rx + 2.0,
        l.m(radius_m)
    );
    let _ = write!(
        s,
        r#"<text x="10" y="{:.0}" font-size="10">0</text><text x="{:.0}" y="{:.0}" font-size="10" text-anchor="middle">{}</text><text x="{:.0}" y="{:.0}" font-size="9" text-anchor="end">{}</text><text x="{:.0}" y="{:.0}" font-size="9" text-anchor="end">{}</text>"#,
        hgt - 12.0,
        10.0 + h.counts.len() as f64 * bw * 2.0 / 3.0,
        hgt - 12.0,
        l.m((h.bin_m * h.counts.len() as f64 * 2.0 / 3.0).round()),
        10.0 + (h.counts.len() as f64 + 1.0) * bw,
        hgt - 12.0,
        l.t(Key::HistFar),
        10.0 + (h.counts.len() as f64 + 2.0) * bw,
        hgt - 2.0,
        l.t(Key::HistNone)
    );
    s + "</svg>"
}

/// Escape text for XML.
pub(super) fn esc(t: &str) -> String {
    t.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_bar_is_round() {
        assert_eq!(bar_length(12_000.0), 2000.0);
        assert_eq!(bar_length(900.0), 100.0);
        assert_eq!(bar_length(30_000.0), 5000.0);
    }
}
