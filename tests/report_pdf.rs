//! `report --pdf` on the shipped data, printed by Debian's headless chromium and read back with
//! poppler's pdfinfo and pdftotext: A4 pages, extractable Chinese text, page numbers, the map on
//! a page of its own. CI installs chromium, poppler-utils and fonts-noto-cjk; elsewhere the test
//! says it was skipped when one is missing. Without a browser `--pdf` fails at once, with a
//! message naming what was looked for.

use std::path::Path;
use std::process::{Command, Output};

fn greenreach(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_greenreach"));
    c.args(args).current_dir(env!("CARGO_MANIFEST_DIR"));
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().unwrap()
}

fn on_path(name: &str) -> bool {
    std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).any(|d| d.join(name).is_file()))
        .unwrap_or(false)
}

fn tools_present() -> bool {
    let browser = std::env::var_os("GREENREACH_BROWSER").is_some()
        || ["chromium", "chromium-browser", "google-chrome"]
            .iter()
            .any(|b| on_path(b));
    let ok = browser && on_path("pdftotext") && on_path("pdfinfo");
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install chromium and poppler-utils (.ci/run does)"
        );
        eprintln!("report_pdf: chromium or pdftotext/pdfinfo not found. Skipped.");
    }
    ok
}

fn pdfinfo(pdf: &Path) -> String {
    let o = Command::new("pdfinfo").arg(pdf).output().unwrap();
    assert!(o.status.success());
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn cjk_count(s: &str) -> usize {
    s.chars()
        .filter(|&c| ('\u{4e00}'..='\u{9fff}').contains(&c))
        .count()
}

#[test]
fn chinese_report_prints_to_a4_pdf() {
    if !tools_present() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("报告 zh");
    let o = greenreach(
        &["report", "--pdf", "--out", out.to_str().unwrap(), "-q"],
        &[],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("PDF 文件："), "{stdout}");
    let pdf = out.join("report.pdf");
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"));
    assert!(!out.join("report.pdf.partial").exists());

    let info = pdfinfo(&pdf);
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .expect("page count")
        .trim()
        .parse()
        .unwrap();
    assert!((3..=40).contains(&pages), "{pages} pages");
    // A4 is 595 × 842 pt.
    let size = info.lines().find(|l| l.starts_with("Page size:")).unwrap();
    assert!(size.contains("(A4)"), "{size}");

    let o = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(o.status.success());
    let text = String::from_utf8(o.stdout).expect("UTF-8 text");
    let page_texts: Vec<&str> = text.split('\u{c}').collect();
    assert!(page_texts.len() >= pages);
    assert!(cjk_count(&text) > 500, "Chinese text not extractable");
    for term in [
        "绿地服务半径覆盖评估报告",
        "主要指标",
        "街头绿地",
        "主要服务缺口",
    ] {
        assert!(text.contains(term), "{term} not in the PDF text");
    }
    // Page numbers in the margin, in Chinese.
    for (k, page) in page_texts.iter().take(pages).enumerate() {
        let number = format!("第 {} 页，共 {pages} 页", k + 1);
        assert!(page.contains(&number), "page {}: no '{number}'", k + 1);
    }
    // The map has a page of its own: its heading and legend, nothing of the sections around it.
    let map_page = page_texts
        .iter()
        .find(|p| p.contains("分布图"))
        .expect("a map page");
    assert!(map_page.contains("级均达标"), "legend on the map page");
    assert!(!map_page.contains("主要指标") && !map_page.contains("距离分布"));
}

#[test]
fn pdf_without_a_browser_fails_at_once_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r");
    let o = greenreach(
        &["report", "--pdf", "--out", out.to_str().unwrap(), "-q"],
        &[("GREENREACH_BROWSER", "/nonexistent/chrome")],
    );
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("GREENREACH_BROWSER=/nonexistent/chrome"),
        "{err}"
    );
    assert!(!out.exists(), "nothing is computed or written");

    // No browser on PATH (the binary is started by its full path).
    let o = Command::new(env!("CARGO_BIN_EXE_greenreach"))
        .args(["report", "--pdf", "--out", out.to_str().unwrap(), "-q"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("PATH", dir.path())
        .env_remove("GREENREACH_BROWSER")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("none was found") && err.contains("chromium"),
        "{err}"
    );
    assert!(err.contains("fonts-noto-cjk"), "{err}");
}
