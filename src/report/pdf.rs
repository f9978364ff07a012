//! `report --pdf`: the written page printed to `report.pdf` (A4, by its print style sheet) by a
//! locally installed Chromium, Chrome or Edge in headless mode. Nothing is downloaded: without a
//! browser the error says which were looked for and how to name one.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::error::Error;

/// Names the browser is found by on `PATH`, in order.
const NAMES: [&str; 7] = [
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "chrome",
    "microsoft-edge",
    "msedge",
];

/// Where macOS and Windows install them.
const INSTALLED: [&str; 6] = [
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
    "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
    r"C:\Program Files\Google\Chrome\Application\chrome.exe",
    r"C:\Program Files (x86)\Google\Chrome\Application\chrome.exe",
    r"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe",
];

/// The environment variable that names the browser.
pub(crate) const BROWSER_VAR: &str = "GREENREACH_BROWSER";

/// The longest a print may take.
const TIMEOUT: Duration = Duration::from_secs(180);

/// The browser to print with: `$GREENREACH_BROWSER`, else the first of [`NAMES`] on `PATH`,
/// else a standard install location.
pub(crate) fn find_browser() -> Result<PathBuf, Error> {
    if let Some(p) = std::env::var_os(BROWSER_VAR) {
        let p = PathBuf::from(p);
        return if p.is_file() {
            Ok(p)
        } else {
            Err(Error::Config(format!(
                "--pdf: {BROWSER_VAR}={} is not a file",
                p.display()
            )))
        };
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        for name in NAMES {
            for exe in [name.to_string(), format!("{name}.exe")] {
                let p = dir.join(exe);
                if p.is_file() {
                    return Ok(p);
                }
            }
        }
    }
    INSTALLED
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
        .ok_or_else(|| {
            Error::Config(format!(
                "--pdf needs Chromium, Chrome or Edge and none was found (looked for {} on PATH and in the usual install folders); install one (Debian: apt-get install chromium fonts-noto-cjk) or set {BROWSER_VAR}=/path/to/chrome. The report folder is written: its index.html prints to A4 from any browser",
                NAMES.join(", ")
            ))
        })
}

/// `file://` URL of an existing file.
fn file_url(path: &Path) -> Result<String, std::io::Error> {
    let abs = std::fs::canonicalize(path)?;
    let mut s = abs.to_string_lossy().replace('\\', "/");
    if let Some(rest) = s.strip_prefix("//?/") {
        s = rest.to_string();
    }
    if !s.starts_with('/') {
        s.insert(0, '/');
    }
    let mut url = String::from("file://");
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~:".contains(&b) {
            url.push(b as char);
        } else {
            url += &format!("%{b:02X}");
        }
    }
    Ok(url)
}

/// Print `page` (an HTML file) to `out` with `browser`; the file appears only when complete.
#[allow(clippy::too_many_lines)] // one Chromium run: arguments, a wait with a timeout, the output checked
pub(crate) fn print(browser: &Path, page: &Path, out: &Path) -> Result<(), Error> {
    let fail = |msg: String| Error::Output {
        path: out.to_path_buf(),
        source: std::io::Error::other(msg),
    };
    let url = file_url(page).map_err(|source| Error::Output {
        path: page.to_path_buf(),
        source,
    })?;
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let profile =
        std::env::temp_dir().join(format!("greenreach-pdf-{}-{stamp}", std::process::id()));
    let partial = out.with_extension("pdf.partial");
    let _ = std::fs::remove_file(&partial);
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-extensions",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            // No date, title or URL in the margins (the page prints its own page numbers);
            // the second name is the flag's name before Chromium 112.
            "--no-pdf-header-footer",
            "--print-to-pdf-no-header",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--print-to-pdf={}", partial.display()))
        .arg(&url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| fail(format!("cannot start {}: {e}", browser.display())))?;
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Ok(status),
            Ok(None) if start.elapsed() > TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                break Err(format!(
                    "{} did not finish within {} s",
                    browser.display(),
                    TIMEOUT.as_secs()
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(100)),
            Err(e) => break Err(e.to_string()),
        }
    };
    let stderr = child
        .stderr
        .take()
        .map(|mut e| {
            let mut s = String::new();
            let _ = std::io::Read::read_to_string(&mut e, &mut s);
            s
        })
        .unwrap_or_default();
    let _ = std::fs::remove_dir_all(&profile);
    let status = status.map_err(fail)?;
    let head = std::fs::read(&partial)
        .ok()
        .map(|b| b.starts_with(b"%PDF"))
        .unwrap_or(false);
    if !status.success() || !head {
        let _ = std::fs::remove_file(&partial);
        let tail: Vec<&str> = stderr.lines().rev().take(5).collect();
        return Err(fail(format!(
            "{} did not print the page ({status}){}",
            browser.display(),
            if tail.is_empty() {
                String::new()
            } else {
                format!(
                    ": {}",
                    tail.into_iter().rev().collect::<Vec<_>>().join(" | ")
                )
            }
        )));
    }
    std::fs::rename(&partial, out).map_err(|source| Error::Output {
        path: out.to_path_buf(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_urls_are_absolute_and_escaped() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a b#报告.html");
        std::fs::write(&p, "x").unwrap();
        let url = file_url(&p).unwrap();
        assert!(url.starts_with("file:///"), "{url}");
        assert!(url.ends_with("/a%20b%23%E6%8A%A5%E5%91%8A.html"), "{url}");
        assert!(file_url(&dir.path().join("missing.html")).is_err());
    }
}
