//! `check --fix`, `--unsafe-fixes` and `--diff` as users run them, on copies of the seed.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

fn pmlint() -> Command {
    let mut cmd = Command::cargo_bin("pmlint").expect("binary built");
    cmd.env_remove("NO_COLOR").env("CLICOLOR_FORCE", "0");
    cmd
}

const SEED: &str = "fixtures/seed/webstack-outage.txt";

fn seed() -> String {
    fs::read_to_string(SEED).expect("seed")
}

/// A copy of `text` in a fresh directory, with no pmlint.toml above it that matters.
fn copy(text: &[u8], name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(name);
    fs::write(&path, text).expect("write");
    (dir, path)
}

fn check_json(path: &Path) -> serde_json::Value {
    let out = pmlint()
        .args(["check", "--no-config", "--format", "json"])
        .arg(path)
        .output()
        .expect("ran");
    serde_json::from_slice(&out.stdout).expect("json")
}

fn codes(json: &serde_json::Value) -> Vec<String> {
    json["files"][0]["diagnostics"]
        .as_array()
        .map(|ds| {
            ds.iter()
                .map(|d| d["code"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn diff_shows_the_may_fix_only_with_unsafe_fixes_and_writes_nothing() {
    let (_dir, path) = copy(seed().as_bytes(), "pm.txt");
    pmlint()
        .current_dir(path.parent().expect("dir"))
        .args(["check", "--no-config", "--diff", "pm.txt"])
        .assert()
        .code(0)
        .stdout("")
        .stderr(predicate::str::contains(
            "pmlint: nothing to fix (1 unsafe fix: add --unsafe-fixes)",
        ));
    let out = pmlint()
        .current_dir(path.parent().expect("dir"))
        .args(["check", "--no-config", "--diff", "--unsafe-fixes", "pm.txt"])
        .output()
        .expect("ran");
    assert_eq!(out.status.code(), Some(1));
    let diff = String::from_utf8(out.stdout).expect("utf-8");
    assert!(
        diff.starts_with("--- a/pm.txt\n+++ b/pm.txt\n@@ -8,7 +8,7 @@\n"),
        "{diff}"
    );
    assert!(diff.contains("\n-- June 10, 2023, 10:00 AM: The issue was detected"));
    assert!(diff.contains("\n+- May 10, 2023, 10:00 AM: The issue was detected"));
    assert_eq!(
        diff.lines().filter(|l| l.starts_with(['+', '-'])).count(),
        4
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("would apply 1 fix to 1 file"));
    assert_eq!(fs::read_to_string(&path).expect("read"), seed());
}

#[test]
fn unsafe_fixes_leave_a_file_with_no_timeline_error_byte_identical_elsewhere() {
    let seed = seed();
    let crlf = seed.replace('\n', "\r\n");
    for (name, original) in [
        ("lf.txt", seed.clone()),
        ("crlf.txt", crlf.clone()),
        ("bom-crlf.txt", format!("\u{feff}{crlf}")),
    ] {
        let (_dir, path) = copy(original.as_bytes(), name);
        pmlint()
            .args(["check", "--no-config", "--fix"])
            .arg(&path)
            .assert()
            .stderr(predicate::str::contains("nothing fixed"));
        assert_eq!(fs::read_to_string(&path).expect("read"), original, "{name}");
        pmlint()
            .args(["check", "--no-config", "--fix", "--unsafe-fixes"])
            .arg(&path)
            .assert()
            .code(0)
            .stderr(predicate::str::contains("applied 1 fix to 1 file"));
        let fixed = fs::read_to_string(&path).expect("read");
        // Only "June" became "May"; the BOM and every CR are where they were.
        assert_eq!(
            fixed,
            original.replacen("June 10, 2023", "May 10, 2023", 1),
            "{name}"
        );
        let left = codes(&check_json(&path));
        assert!(
            left.iter().all(|c| !c.starts_with("PM2") || c == "PM201"),
            "{name}: {left:?}"
        );
        assert!(!left.iter().any(|c| c == "PM203"));
    }
}

#[test]
fn safe_fixes_insert_missing_sections_in_the_files_line_ending() {
    let text = "# Disk full on db-1\r\n\r\n## Summary\r\n\r\nThe primary ran out of disk on 2024-03-05.\r\n";
    let (_dir, path) = copy(text.as_bytes(), "pm.md");
    let before = codes(&check_json(&path));
    assert!(
        before.iter().filter(|c| *c == "PM001").count() >= 3,
        "{before:?}"
    );
    pmlint()
        .args(["check", "--no-config", "--fix"])
        .arg(&path)
        .assert()
        .stderr(predicate::str::contains("applied"));
    let fixed = fs::read_to_string(&path).expect("read");
    assert!(fixed.starts_with(text));
    assert!(fixed.contains("\r\n## Timeline\r\n"), "{fixed:?}");
    // No bare LF was written into a CRLF file.
    assert!(!fixed.replace("\r\n", "").contains('\n'));
    assert!(!codes(&check_json(&path)).iter().any(|c| c == "PM001"));
}

#[test]
fn stdin_fix_writes_the_fixed_text_to_stdout_and_the_report_to_stderr() {
    pmlint()
        .args(["check", "--no-config", "--fix", "--unsafe-fixes", "-"])
        .write_stdin(seed())
        .assert()
        .stdout(seed().replacen("June 10, 2023", "May 10, 2023", 1))
        .stderr(predicate::str::contains("PM201"))
        .stderr(predicate::str::contains("June").not());
}

#[test]
fn files_that_cannot_be_read_are_never_touched() {
    let mut bytes = seed().into_bytes();
    bytes.extend_from_slice(b"\xff\xfe not UTF-8\n");
    let (_dir, path) = copy(&bytes, "bad.txt");
    pmlint()
        .args(["check", "--no-config", "--fix", "--unsafe-fixes"])
        .arg(&path)
        .assert()
        .code(2)
        .stdout(predicate::str::contains("not valid UTF-8"));
    assert_eq!(fs::read(&path).expect("read"), bytes);
}

#[test]
fn unsafe_fixes_alone_is_a_usage_error() {
    pmlint()
        .args(["check", "--unsafe-fixes", SEED])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--unsafe-fixes applies with --fix or --diff",
        ));
}

#[test]
fn rule_docs_and_json_say_how_safe_a_fix_is() {
    pmlint()
        .args(["rule", "PM203"])
        .assert()
        .stdout(predicate::str::contains(
            "Fix: unsafe (`pmlint check --fix --unsafe-fixes` applies it)",
        ));
    pmlint()
        .args(["rule", "PM001"])
        .assert()
        .stdout(predicate::str::contains("Fix: safe"));
    pmlint()
        .args(["rule", "PM201"])
        .assert()
        .stdout(predicate::str::contains("Fix: none"));
    let json = check_json(Path::new(SEED));
    let june = json["files"][0]["diagnostics"]
        .as_array()
        .and_then(|ds| ds.iter().find(|d| d["code"] == "PM203"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(june["suggestion"]["applicability"], "unsafe");
    assert_eq!(june["suggestion"]["replacement"], "May");
}
