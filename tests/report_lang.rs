//! The report in Chinese and English on the shipped data: the default language follows the
//! standard, the Chinese page holds no English word outside names, units and data values,
//! CSV and JSON keep their English names, and `summary.json` carries both labels.

mod common;

use std::path::Path;
use std::process::Output;

use common::greenreach;
use serde_json::Value;

fn report(out: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["report", "--out", out.to_str().unwrap(), "-q"];
    args.extend_from_slice(extra);
    let o = greenreach(&args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    o
}

/// Latin words a Chinese page may hold: product and data-source names, the SHA-256 column,
/// and the code of a national standard (GB/T). Anything else in Latin letters must be inside an element marked `translate="no"`
/// (names, ids, paths, CRS, checksums from the data) or `<code>` (tags, file names).
const ALLOWED: [&str; 10] = [
    "greenreach",
    "GB",
    "T",
    "OpenStreetMap",
    "OSM",
    "ODbL",
    "SHA",
    "UTC",
    "jiangbei",
    "PDF",
];

/// Elements that are never closed.
const VOID: [&str; 6] = ["meta", "br", "hr", "img", "input", "link"];

/// The text a reader sees: text nodes (and `aria-label`s) outside `<style>`, `<code>` and
/// elements marked `translate="no"`.
fn visible_text(html: &str) -> String {
    let mut out = String::new();
    let mut stack: Vec<(String, bool)> = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        let hidden = stack.iter().any(|(_, h)| *h);
        if !hidden {
            out += &rest[..i];
            out.push(' ');
        }
        let j = rest[i..].find('>').expect("tag closes") + i;
        let tag = &rest[i + 1..j];
        rest = &rest[j + 1..];
        if tag.starts_with('!') {
            continue;
        }
        if let Some(name) = tag.strip_prefix('/') {
            let pos = stack.iter().rposition(|(n, _)| n == name.trim());
            let pos = pos.unwrap_or_else(|| panic!("unopened </{name}>"));
            stack.truncate(pos);
            continue;
        }
        let name = tag.split_whitespace().next().unwrap_or("").to_string();
        if let Some(k) = tag.find("aria-label=\"") {
            let v = &tag[k + 12..];
            out += &v[..v.find('"').unwrap()];
            out.push(' ');
        }
        if tag.ends_with('/') || VOID.contains(&name.as_str()) {
            continue;
        }
        let hide = matches!(name.as_str(), "style" | "code" | "script")
            || tag.contains("translate=\"no\"");
        stack.push((name, hide));
    }
    // Entities are read as the characters they stand for.
    (out + rest)
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

fn latin_words(text: &str) -> Vec<String> {
    let mut words: Vec<String> = text
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| !w.is_empty() && !ALLOWED.contains(w))
        .map(str::to_string)
        .collect();
    words.sort();
    words.dedup();
    words
}

fn cjk_count(s: &str) -> usize {
    s.chars()
        .filter(|&c| ('\u{4e00}'..='\u{9fff}').contains(&c))
        .count()
}

#[test]
fn visible_text_skips_untranslatable_elements() {
    let html = r#"<p>绿地 <b>公园</b><span translate="no">Vaduz <i>x</i></span><code>areas.csv</code><br>end</p><svg aria-label="地图"><rect/><title>t</title></svg>"#;
    let t = visible_text(html);
    assert_eq!(latin_words(&t), vec!["end", "t"]);
    assert!(t.contains("地图") && t.contains("公园"));
}

#[test]
fn shipped_report_is_chinese_by_default_with_no_english_left() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("zh");
    let o = report(&out, &[]);
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(html.contains(r#"<html lang="zh-CN">"#));
    let text = visible_text(&html);
    let words = latin_words(&text);
    assert!(
        words.is_empty(),
        "English left in the Chinese page: {words:?}"
    );
    for term in [
        "绿地服务半径覆盖评估报告",
        "街头绿地",
        "休闲空间",
        "公园",
        "居住用地",
        "缺口",
        "达标",
        "住宅覆盖率",
        "1283.5 公顷",
        "300 米",
        "分区统计",
    ] {
        assert!(text.contains(term), "{term} missing");
    }
    assert!(cjk_count(&text) > 500);
    // The print style sheet: A4, the map on its own page, Chinese page numbers, CJK fonts.
    for css in [
        "size: A4",
        ".map-page { break-before: page; break-after: page; }",
        r#""第 " counter(page) " 页，共 " counter(pages) " 页""#,
        "font-family: \"Noto Sans CJK SC\"",
        "Microsoft YaHei",
        "PingFang SC",
    ] {
        assert!(html.contains(css), "{css} missing");
    }

    // The printed summary is Chinese too, apart from the standard's name and the path.
    let stdout = String::from_utf8_lossy(&o.stdout).replace(out.to_str().unwrap(), "");
    let words = latin_words(&stdout);
    assert_eq!(words, vec!["html", "index"], "{stdout}");
    assert!(stdout.contains("| 街头绿地 | 300 米 |"), "{stdout}");

    // summary.md speaks Chinese; CSV and JSON keep their English names.
    let md = std::fs::read_to_string(out.join("summary.md")).unwrap();
    assert!(
        md.starts_with("# 绿地服务半径覆盖评估：jiangbei 标准"),
        "{md}"
    );
    let zones = std::fs::read_to_string(out.join("zones.csv")).unwrap();
    assert!(zones.starts_with("zone,points,weight,street_green_points,"));
    assert!(zones.lines().last().unwrap().starts_with("total,"));
    let json: Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(json["lang"], "zh");
    assert_eq!(json["standard"]["tiers"][0]["name"], "street_green");
    let tier = &json["labels"]["tiers"][0];
    assert_eq!(tier["zh"], "街头绿地");
    assert_eq!(tier["en"], "street_green 街头绿地");
    assert_eq!(tier["radius"]["zh"], "300 米");
    assert_eq!(json["labels"]["land_share"]["zh"], "居住用地覆盖率");
    assert_eq!(
        json["totals"]["tiers"][0]["land_grade_label"]["zh"],
        "未达标（< 80%）"
    );
    assert!(
        json["labels"]["source"]["zh"]
            .as_str()
            .unwrap()
            .contains("江北区")
    );
}

#[test]
fn english_on_request_and_for_other_standards() {
    let dir = tempfile::tempdir().unwrap();
    let en = dir.path().join("en");
    let o = report(&en, &["--lang", "en"]);
    let html = std::fs::read_to_string(en.join("index.html")).unwrap();
    assert!(html.contains(r#"<html lang="en">"#));
    let text = visible_text(&html);
    assert!(text.contains("Green space reach") && text.contains("Largest gaps"));
    assert!(!text.contains("主要指标"));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.starts_with("standard jiangbei: street_green 300 m, leisure 1000 m"));
    // The same numbers in both languages.
    let zh = dir.path().join("zh");
    report(&zh, &["--lang", "zh"]);
    for f in ["zones.csv", "areas.csv", "points.csv", "gaps.geojson"] {
        assert_eq!(
            std::fs::read(en.join(f)).unwrap(),
            std::fs::read(zh.join(f)).unwrap(),
            "{f} depends on the language"
        );
    }

    // An English standard defaults to English.
    let who = dir.path().join("who");
    report(&who, &["--standard", "who-europe"]);
    let html = std::fs::read_to_string(who.join("index.html")).unwrap();
    assert!(html.contains(r#"<html lang="en">"#));

    let o = greenreach(&["report", "--lang", "fr", "-q"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("zh or en"));
}

#[test]
fn weighted_chinese_page_has_no_english_left() {
    // Helsinki with its population grid: the weighting sentences, unassigned residents and
    // the green spaces left out are all in Chinese.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("hel");
    report(
        &out,
        &[
            "--green",
            "geodata/helsinki/green_areas.geojson",
            "--green",
            "geodata/helsinki/green_points.geojson",
            "--residential",
            "geodata/helsinki/buildings.geojson",
            "--homes",
            "osm",
            "--population",
            "geodata/helsinki/population_grid_cells.geojson",
        ],
    );
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    let text = visible_text(&html);
    let words = latin_words(&text);
    assert!(
        words.is_empty(),
        "English left in the Chinese page: {words:?}"
    );
    for term in ["人口覆盖率", "名居民所在网格内无住宅数据", "未计入的绿地"]
    {
        assert!(text.contains(term), "{term} missing");
    }
}

#[test]
fn chinese_page_with_a_proposed_plan_has_no_english_left() {
    // Ten pocket parks sited on the shipped data, fed back as a proposed plan.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("rep");
    let plan = common::site_plan(dir.path(), "10");
    let o = report(&out, &["--proposed", plan.to_str().unwrap()]);
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    let text = visible_text(&html);
    let words = latin_words(&text);
    assert!(
        words.is_empty(),
        "English left in the Chinese page: {words:?}"
    );
    assert!(text.contains("规划新增绿地：实施前 → 实施后"));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("街头绿地: 2010 → "), "{stdout}");
}

#[test]
fn land_use_preset_report_is_chinese_by_default() {
    // The 控规 Shapefile of the formats tests under gb50137: Chinese without --lang, and no
    // English on the page beyond the preset's name (gb50137, in the title) and the land-use
    // codes of GB 50137 (G11, G15, ...), which are written as the standard writes them.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("gb");
    let shp = "tests/formats/scene/landuse_gk.shp";
    let o = report(
        &out,
        &[
            "--green",
            shp,
            "--green-where",
            "用地代码=G1*",
            "--standard",
            "gb50137",
            "--residential",
            shp,
            "--residential-where",
            "用地代码 in R1,R2,R3",
            "--land",
            shp,
            "--land-where",
            "用地代码=R*",
        ],
    );
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.starts_with("评估标准 gb50137：街头绿地 300 米"),
        "{stdout}"
    );
    assert!(stdout.contains("达标（≥ 80%）"), "{stdout}");
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(html.contains(r#"<html lang="zh-CN">"#));
    let words: Vec<String> = latin_words(&visible_text(&html))
        .into_iter()
        .filter(|w| w != "G" && w != "gb")
        .collect();
    assert!(
        words.is_empty(),
        "English left in the Chinese page: {words:?}"
    );
}

#[test]
fn chinese_walking_page_has_no_english_left() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("rep");
    let network = "geodata/liechtenstein/walk_network.geojson";
    let o = report(&out, &["--metric", "walk", "--network", network]);
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    let text = visible_text(&html);
    let words = latin_words(&text);
    assert!(
        words.is_empty(),
        "English left in the Chinese page: {words:?}"
    );
    assert!(text.contains("因阻隔不可达的住宅") && text.contains("步行 300 米内"));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("街头绿地：步行可达 857"), "{stdout}");
}
