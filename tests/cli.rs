//! The `pmlint` binary as users run it: exit codes, stdin, directories, unreadable files.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

fn pmlint() -> Command {
    let mut cmd = Command::cargo_bin("pmlint").expect("binary built");
    cmd.env_remove("NO_COLOR").env("CLICOLOR_FORCE", "0");
    cmd
}

const GOOD: &str = "fixtures/rules/missing-section-good.md";
const BAD: &str = "fixtures/rules/missing-section-bad.md";
const WARN_ONLY: &str = "fixtures/rules/empty-section-bad.md";

#[test]
fn clean_file_exits_zero() {
    pmlint()
        .args(["check", GOOD])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("0 errors, 0 warnings in 1 file"));
}

#[test]
fn errors_exit_one_with_rustc_style_header() {
    pmlint()
        .args(["check", "--color", "never", BAD])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "fixtures/rules/missing-section-bad.md:1:1: error[PM001 missing-section]: required section `timeline` is missing",
        ))
        .stdout(predicate::str::contains("= help: add a section headed `## Timeline`"));
}

#[test]
fn warnings_pass_unless_denied() {
    pmlint().args(["check", WARN_ONLY]).assert().code(0);
    pmlint()
        .args(["check", "--deny-warnings", WARN_ONLY])
        .assert()
        .code(1);
}

#[test]
fn color_never_and_always() {
    let out = pmlint()
        .args(["check", "--color", "never", BAD])
        .output()
        .expect("runs");
    assert!(!String::from_utf8_lossy(&out.stdout).contains('\x1b'));
    let out = pmlint()
        .args(["check", "--color", "always", BAD])
        .output()
        .expect("runs");
    assert!(String::from_utf8_lossy(&out.stdout).contains('\x1b'));
}

#[test]
fn stdin_with_a_name() {
    let text = fs::read_to_string(BAD).expect("fixture");
    pmlint()
        .args([
            "check",
            "-",
            "--stdin-filename",
            "draft.md",
            "--format",
            "json",
        ])
        .write_stdin(text)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("\"path\":\"draft.md\""));
}

#[test]
fn directories_are_walked_sorted_and_gitignore_is_honoured() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    fs::create_dir_all(root.join("b/nested")).expect("mkdir");
    fs::copy(BAD, root.join("b/nested/z.md")).expect("copy");
    fs::copy(BAD, root.join("a.markdown")).expect("copy");
    fs::copy(BAD, root.join("notes.txt")).expect("copy");
    fs::copy(BAD, root.join("ignored.md")).expect("copy");
    fs::write(root.join("image.png"), b"\x89PNG").expect("write");
    fs::write(root.join(".gitignore"), "ignored.md\n").expect("write");
    let out = pmlint()
        .current_dir(root)
        .args(["check", "--format", "json"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let paths: Vec<&str> = json["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| f["path"].as_str().expect("path"))
        .collect();
    assert_eq!(paths, ["a.markdown", "b/nested/z.md", "notes.txt"]);
    assert_eq!(json["summary"]["files"], 3);
    assert_eq!(json["summary"]["errors"], 3);
}

#[test]
fn missing_path_and_invalid_utf8_exit_two_but_other_files_are_checked() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bad_utf8 = dir.path().join("latin1.md");
    fs::write(&bad_utf8, b"# Summary\n\nCaf\xe9 outage\n").expect("write");
    let out = pmlint()
        .args(["check", "--format", "json", "does-not-exist.md"])
        .arg(&bad_utf8)
        .arg(BAD)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let files = json["files"].as_array().expect("files");
    assert_eq!(files.len(), 3);
    assert_eq!(files[0]["path"], "does-not-exist.md");
    assert_eq!(files[0]["error"], "no such file or directory");
    assert_eq!(files[1]["error"], "not valid UTF-8 (line 3, column 4)");
    assert!(
        files[1]["diagnostics"]
            .as_array()
            .expect("array")
            .is_empty()
    );
    assert_eq!(files[2]["diagnostics"][0]["code"], "PM001");

    // The human format names the path and the reason too.
    pmlint()
        .args(["check", "--color", "never", "does-not-exist.md", GOOD])
        .assert()
        .code(2)
        .stdout(predicate::str::contains(
            "error: does-not-exist.md: no such file or directory",
        ))
        .stdout(predicate::str::contains("(1 could not be read)"));
}

#[cfg(unix)]
#[test]
fn fifos_and_symlink_loops_do_not_hang_or_crash() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    fs::copy(GOOD, root.join("ok.md")).expect("copy");
    let fifo = root.join("pipe.md");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(status.success());
    std::os::unix::fs::symlink(root, root.join("loop")).expect("symlink");
    std::os::unix::fs::symlink(root.join("self.md"), root.join("self.md")).expect("symlink");
    // Walking the folder skips the FIFO and does not follow the links.
    pmlint()
        .arg("check")
        .arg(root)
        .timeout(std::time::Duration::from_secs(30))
        .assert()
        .code(0);
    // Naming them is an error for each, not a hang.
    pmlint()
        .arg("check")
        .arg(&fifo)
        .arg(root.join("self.md"))
        .timeout(std::time::Duration::from_secs(30))
        .assert()
        .code(2)
        .stdout(predicate::str::contains("pipe.md: not a regular file"));
}

#[test]
fn bad_arguments_exit_two() {
    pmlint()
        .args(["check", "--format", "yaml"])
        .assert()
        .code(2);
    pmlint().args(["rule", "PM999"]).assert().code(2);
}

#[test]
fn rules_are_documented() {
    pmlint()
        .args(["rule", "missing-section"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("# PM001 missing-section"))
        .stdout(predicate::str::contains("## Why it matters"));
    let out = pmlint()
        .args(["rules", "--format", "json"])
        .output()
        .expect("runs");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(
        json["rules"].as_array().map(Vec::len),
        Some(pmlint::rules::RULES.len())
    );
}

#[test]
fn every_real_document_gives_a_valid_report_and_exit_zero_or_one() {
    for entry in fs::read_dir("fixtures/real").expect("dir") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|x| x != "md") {
            continue;
        }
        let out = pmlint()
            .args(["check", "--format", "json"])
            .arg(&path)
            .output()
            .expect("runs");
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{}",
            path.display()
        );
        let json: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(json["version"], 1);
        assert!(
            Path::new(json["files"][0]["path"].as_str().expect("path"))
                .ends_with(path.file_name().expect("name"))
        );
    }
}

#[test]
fn timeline_command_formats() {
    let seed = "fixtures/seed/webstack-outage.txt";
    let out = pmlint()
        .args(["timeline", "--format", "json", seed])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(json["start"], "2023-05-08T10:00:00+00:00");
    assert_eq!(json["end"], "2023-05-11T02:00:00+00:00");
    assert_eq!(json["entries"][0]["line"], 11);
    assert_eq!(json["entries"][0]["flags"][0], "out-of-order");
    assert_eq!(json["entries"][1]["time"], serde_json::Value::Null);
    assert_eq!(json["entries"][1]["flags"][0], "untimed");
    assert_eq!(json["metrics"]["time_to_resolve_minutes"], 3840);

    pmlint()
        .args(["timeline", "--format", "csv", seed])
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with(
            "line,time,offset_minutes,text,flags\n11,2023-06-10T10:00:00+00:00,47520,",
        ));
    pmlint()
        .args(["timeline", "--format", "mermaid", seed])
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with(
            "timeline\n    title Incident timeline\n",
        ));
    pmlint()
        .args(["timeline", seed])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "window: 2023-05-08T10:00:00+00:00 – 2023-05-11T02:00:00+00:00",
        ));
    pmlint().args(["timeline", "nope.md"]).assert().code(2);
}

#[test]
fn docs_rules_md_is_generated_from_the_rule_docs() {
    let on_disk = fs::read_to_string("docs/rules.md").expect("docs/rules.md");
    assert!(
        on_disk == pmlint::rules::reference_markdown(),
        "docs/rules.md is stale: run `cargo run -- rules --format markdown > docs/rules.md`"
    );
    for r in pmlint::rules::RULES {
        assert!(
            on_disk.contains(&format!("\n## {} {}\n", r.code, r.name)),
            "{}",
            r.code
        );
    }
}

#[test]
fn select_ignore_and_exit_zero() {
    // The seed has PM202/PM203 errors and PM201 warnings.
    let seed = "fixtures/seed/webstack-outage.txt";
    let out = pmlint()
        .args([
            "check",
            "--format",
            "json",
            "--select",
            "timeline-untimed",
            seed,
        ])
        .output()
        .expect("runs");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let codes: Vec<&str> = json["files"][0]["diagnostics"]
        .as_array()
        .expect("array")
        .iter()
        .map(|d| d["code"].as_str().expect("code"))
        .collect();
    assert_eq!(codes, ["PM201"; 4]);
    assert_eq!(out.status.code(), Some(0));
    pmlint()
        .args(["check", "--ignore", "PM202,outside-window", seed])
        .assert()
        .code(0);
    pmlint()
        .args(["check", "--exit-zero", seed])
        .assert()
        .code(0);
    pmlint()
        .args(["check", "--select", "PM999", seed])
        .assert()
        .code(2);
    // A space after the comma is accepted; a near miss gets a suggestion.
    pmlint()
        .args(["check", "--select", "PM201, PM203", seed])
        .assert()
        .code(1);
    pmlint()
        .args(["check", "--ignore", "timeline-untimd", seed])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `timeline-untimed`?"));
    // Selecting a rule that is off by default turns it on.
    pmlint()
        .args([
            "check",
            "--format",
            "json",
            "--select",
            "action-owner",
            seed,
        ])
        .assert()
        .stdout(predicate::str::contains("\"PM402\""));
}

/// `actions --format csv` quotes every cell that needs it (a due date "next week, maybe" is
/// one field) and defuses cells a spreadsheet would run as a formula.
#[test]
fn actions_csv_is_well_formed_and_formula_safe() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("a.md");
    fs::write(
        &path,
        "# A\n\n## Action items\n\n| Action | Owner | Due |\n|---|---|---|\n| =HYPERLINK(\"http://x\") | @kim | next week, maybe |\n| Add \"canary\" checks | -ops | 2024-05-01 |\n",
    )
    .expect("write");
    let out = pmlint()
        .args(["actions", "--format", "csv"])
        .arg(&path)
        .output()
        .expect("runs");
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let records: Vec<csv::StringRecord> =
        reader.records().map(|r| r.expect("CSV record")).collect();
    assert_eq!(records.len(), 2);
    assert!(records.iter().all(|r| r.len() == 8), "{records:?}");
    assert!(records[0][2].starts_with("'="), "{:?}", &records[0]);
    assert_eq!(&records[0][4], "next week, maybe");
    assert_eq!(&records[1][3], "'-ops");
    pmlint()
        .args(["actions", "--format", "mermaid"])
        .arg(&path)
        .assert()
        .code(2);
}

/// Mermaid output stays one entry per line whatever the text holds (CR, U+2028, `%%`, `:`),
/// shows times as times, and `--fence` wraps it for markdown.
#[test]
fn mermaid_lines_cannot_be_broken_by_entries() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("m.md");
    fs::write(
        &path,
        "# M\n\n## Timeline\n\n- 2024-05-01 10:00 UTC alert: %% not a comment\r fired\u{2028}again #1; ok\n- 2024-05-01 10:05 UTC resolved\n",
    )
    .expect("write");
    let out = pmlint()
        .args(["timeline", "--format", "mermaid", "--fence"])
        .arg(&path)
        .output()
        .expect("runs");
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.first(), Some(&"```mermaid"));
    assert_eq!(lines.last(), Some(&"```"));
    let entries: Vec<&&str> = lines.iter().filter(|l| l.starts_with("    2024")).collect();
    assert_eq!(entries.len(), 2, "{text}");
    for e in &entries {
        assert_eq!(e.matches(" : ").count(), 1, "{e}");
        assert!(
            !e.contains("%%") && !e.contains('\r') && !e.contains('\u{2028}'),
            "{e}"
        );
    }
    assert!(entries[0].contains("10\u{2236}00"), "{}", entries[0]);
}

/// `timeline` and `actions` read like `check`: regular files only and a size limit, so
/// `/dev/zero` or an endless stdin is an error, not a hang; `extend = "/dev/zero"` likewise.
#[test]
fn endless_inputs_are_refused() {
    pmlint()
        .args(["timeline", "/dev/zero"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a regular file"));
    pmlint()
        .args(["actions", "/dev/zero"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a regular file"));
    let dir = tempfile::tempdir().expect("tempdir");
    fs::write(dir.path().join("pmlint.toml"), "extend = \"/dev/zero\"\n").expect("write");
    fs::write(dir.path().join("a.md"), "# A\n").expect("write");
    pmlint()
        .current_dir(dir.path())
        .args(["check", "a.md"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("not a regular file"));
}

/// `-o` into a directory that does not exist names that directory, never the temporary file
/// the atomic write would have used.
#[test]
fn output_into_missing_directory_names_the_directory() {
    let dir = tempfile::Builder::new()
        .prefix("reports")
        .tempdir()
        .expect("tempdir");
    let target = dir.path().join("missing/dir/report.json");
    let out = pmlint()
        .args(["check", "--format", "json", GOOD, "-o"])
        .arg(&target)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("missing/dir/report.json: its directory does not exist"),
        "{err}"
    );
    assert!(!err.contains(".tmp"), "temporary name leaked: {err}");
    assert!(!target.exists());
}

/// Every page pmlint(1) refers to exists: `pmlint man --out-dir` writes them, and a command's
/// page documents its options.
#[test]
fn man_pages_exist_for_every_command_the_top_page_names() {
    let dir = tempfile::tempdir().expect("tempdir");
    pmlint()
        .args(["man", "--out-dir"])
        .arg(dir.path())
        .assert()
        .code(0);
    let top = fs::read_to_string(dir.path().join("pmlint.1")).expect("pmlint.1");
    let named: Vec<&str> = top
        .lines()
        .filter_map(|l| l.strip_prefix("pmlint\\-")?.strip_suffix("(1)"))
        .collect();
    assert!(named.contains(&"check"), "{top}");
    for name in named {
        assert!(
            dir.path().join(format!("pmlint-{name}.1")).is_file(),
            "pmlint-{name}(1) is named but not written"
        );
    }
    pmlint()
        .args(["man", "check"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("\\-\\-deny\\-warnings"));
    pmlint()
        .args(["man", "nope"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no command `nope`"));
}
