//! The broken-input corpus in `tests/bad_input/`: every file gets exactly the exit code and
//! the messages its `.expect` file holds (see `tests/bad_input/README.md`).

use std::path::Path;
use std::process::{Command, Output};

fn greenreach(args: &[String]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_greenreach"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run greenreach")
}

fn split_args(line: &str, file: &str, out: &str) -> Vec<String> {
    line.split_whitespace()
        .map(|a| a.replace("{}", file).replace("{out}", out))
        .collect()
}

#[test]
fn corpus_gives_the_expected_messages() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad_input");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| {
            e.ok()?
                .file_name()
                .to_str()?
                .strip_suffix(".args")
                .map(String::from)
        })
        .collect();
    names.sort();
    assert!(names.len() >= 30, "the corpus is missing: {names:?}");
    let tmp = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for name in &names {
        let args = std::fs::read_to_string(dir.join(format!("{name}.args"))).unwrap();
        let expect = std::fs::read_to_string(dir.join(format!("{name}.expect"))).unwrap();
        let out = tmp.path().join(name);
        let out = out.to_str().unwrap();
        let o = greenreach(&split_args(
            &args,
            &format!("tests/bad_input/{name}.geojson"),
            out,
        ));
        let got = format!(
            "exit {}\n{}",
            o.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&o.stderr).replace(out, "{out}")
        );
        if got != expect {
            failures.push(format!("--- {name}: expected\n{expect}--- got\n{got}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn green_error(path: &str) -> String {
    let o = greenreach(&split_args(
        "check --green {} --grid 100 --summary-only -q",
        path,
        "",
    ));
    assert_eq!(o.status.code(), Some(2), "{path}");
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn directories_missing_and_unreadable_files() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path().to_str().unwrap().to_string();
    assert_eq!(
        green_error(&d),
        format!("error: {d}: is a directory, not a GeoJSON file\n")
    );
    let missing = format!("{d}/nope.geojson");
    assert_eq!(
        green_error(&missing),
        format!("error: {missing}: cannot read the file: No such file or directory (os error 2)\n")
    );
    // Unreadable: only testable when not running as root (root reads everything).
    let locked = tmp.path().join("locked.geojson");
    std::fs::write(&locked, "{}").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
        if std::fs::read(&locked).is_err() {
            let p = locked.to_str().unwrap();
            assert_eq!(
                green_error(p),
                format!("error: {p}: cannot read the file: Permission denied (os error 13)\n")
            );
        } else {
            eprintln!("running as root: the unreadable-file case cannot be made here");
        }
    }
}

#[test]
fn a_gigabyte_of_whitespace_is_an_empty_file() {
    use std::io::Write;
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("blank.geojson");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..1024 {
        f.write_all(&chunk).unwrap();
    }
    f.flush().unwrap();
    drop(f);
    let p = path.to_str().unwrap();
    assert_eq!(
        green_error(p),
        format!("error: {p}: is empty; expected a GeoJSON FeatureCollection\n")
    );
}
