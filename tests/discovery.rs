//! Which files `check` and `actions` read: walks that skip what is not a postmortem,
//! `--force-exclude` for hooks, `include`/`exclude` relative to their pmlint.toml, and the
//! warning for a directory with no postmortems.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

const GOOD: &str = "fixtures/rules/missing-section-good.md";
const BAD: &str = "fixtures/rules/missing-section-bad.md";
/// Prose with headings, but no timeline and no heading or field of a required kind.
const NOTES: &str = "# Team notes\n\nHow we work, who to ask.\n\n## Links\n\n- the wiki\n";

fn pmlint(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("pmlint").expect("binary built");
    cmd.current_dir(dir)
        .env_remove("NO_COLOR")
        .env("CLICOLOR_FORCE", "0");
    cmd
}

fn fixture(rel: &str) -> String {
    fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)).expect("fixture")
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).expect("mkdir");
    }
    fs::write(path, text).expect("write");
}

/// The paths of the files in a JSON report.
fn checked(out: &[u8]) -> Vec<String> {
    let json: serde_json::Value = serde_json::from_slice(out).expect("JSON report");
    json["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| f["path"].as_str().expect("path").to_string())
        .collect()
}

/// README, CHANGELOG and such are skipped by name (even when they look like a postmortem),
/// and documents with no timeline and no required section by content; named, both are read.
#[test]
fn a_walk_skips_files_that_are_not_postmortems() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(root, "README.md", &fixture(BAD));
    write(root, "CHANGELOG.md", "# Changelog\n\n## 1.0\n\n- first\n");
    write(root, "docs/CODE_OF_CONDUCT.md", "# Be kind\n");
    write(root, "docs/notes.md", NOTES);
    write(root, "docs/pm.md", &fixture(BAD));
    let out = pmlint(root)
        .args(["check", "--format", "json"])
        .output()
        .expect("runs");
    assert_eq!(checked(&out.stdout), ["docs/pm.md"]);
    assert_eq!(out.status.code(), Some(1));
    // The document skipped for its content is named, so a draft does not pass unnoticed.
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("note: skipped 1 document"), "{stderr}");
    assert!(stderr.contains("docs/notes.md"), "{stderr}");
    assert!(!stderr.contains("README"), "{stderr}");
    // --verbose lists every skipped file with the reason.
    pmlint(root)
        .args(["check", "--verbose", "--format", "json"])
        .assert()
        .stderr(predicate::str::contains(
            "skipped README.md: named as a repository file",
        ))
        .stderr(predicate::str::contains(
            "skipped docs/notes.md: no timeline and no heading or field of a required kind",
        ));
    // Named on the command line, each is read.
    let out = pmlint(root)
        .args(["check", "--format", "json", "README.md", "docs/notes.md"])
        .output()
        .expect("runs");
    assert_eq!(checked(&out.stdout), ["README.md", "docs/notes.md"]);
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// An `include` glob that names a file (`README.md`, not `*.md`) makes the walk check it.
#[test]
fn include_naming_a_file_overrides_the_skip() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(root, "README.md", &fixture(BAD));
    write(root, "CHANGELOG.md", &fixture(BAD));
    write(root, "pm.md", &fixture(GOOD));
    write(root, "pmlint.toml", "include = [\"README.md\", \"*.md\"]\n");
    let out = pmlint(root)
        .args(["check", "--format", "json"])
        .output()
        .expect("runs");
    assert_eq!(checked(&out.stdout), ["README.md", "pm.md"]);
}

/// Globs are relative to the pmlint.toml that sets them, whichever directory is walked.
#[test]
fn globs_are_relative_to_their_configuration_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(
        root,
        "pmlint.toml",
        "include = [\"docs/postmortems/**/*.md\"]\nexclude = [\"**/drafts/**\"]\n",
    );
    write(root, "docs/postmortems/a.md", &fixture(GOOD));
    write(root, "docs/postmortems/drafts/b.md", &fixture(BAD));
    write(root, "docs/design.md", &fixture(BAD));
    for (cwd, arg, expected) in [
        (".", ".", "docs/postmortems/a.md"),
        (".", "docs", "docs/postmortems/a.md"),
        ("docs", ".", "postmortems/a.md"),
    ] {
        let out = pmlint(&root.join(cwd))
            .args(["check", "--format", "json", arg])
            .output()
            .expect("runs");
        assert_eq!(checked(&out.stdout), [expected], "from {cwd}: check {arg}");
    }
}

/// What pre-commit runs: every staged file by name. With `--force-exclude` they are treated as
/// a walk treats them; without it, every named file is read.
#[test]
fn force_exclude_treats_named_files_as_a_walk_does() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(root, "pmlint.toml", "exclude = [\"drafts/\"]\n");
    write(root, "README.md", &fixture(BAD));
    write(root, "drafts/x.md", &fixture(BAD));
    write(root, "notes.txt", NOTES);
    write(root, "Cargo.toml", "[package]\n");
    write(root, "pm.md", &fixture(GOOD));
    let staged = [
        "README.md",
        "drafts/x.md",
        "notes.txt",
        "Cargo.toml",
        "pm.md",
    ];
    let out = pmlint(root)
        .args(["check", "--force-exclude", "--format", "json"])
        .args(staged)
        .output()
        .expect("runs");
    assert_eq!(checked(&out.stdout), ["pm.md"]);
    assert_eq!(out.status.code(), Some(0));
    pmlint(root)
        .args(["check", "--force-exclude", "--verbose", "--format", "json"])
        .args(staged)
        .assert()
        .stderr(predicate::str::contains(
            "skipped drafts/x.md: excluded by `drafts/`",
        ))
        .stderr(predicate::str::contains(
            "skipped Cargo.toml: not a .md, .markdown or .txt file",
        ));
    let out = pmlint(root)
        .args(["check", "--format", "json"])
        .args(staged)
        .output()
        .expect("runs");
    assert_eq!(checked(&out.stdout), staged);
    assert_eq!(out.status.code(), Some(1));
    // An editor piping a buffer names it: the same filters apply to that name.
    pmlint(root)
        .args([
            "check",
            "--force-exclude",
            "-",
            "--stdin-filename",
            "drafts/y.md",
        ])
        .write_stdin(fixture(BAD))
        .assert()
        .code(0)
        .stdout(predicate::str::contains("in 0 files"));
    pmlint(root)
        .args(["check", "-", "--stdin-filename", "drafts/y.md"])
        .write_stdin(fixture(BAD))
        .assert()
        .code(1);
    // Only README changed: nothing to check, and no complaint.
    pmlint(root)
        .args(["check", "--force-exclude", "README.md"])
        .assert()
        .code(0)
        .stderr(predicate::str::is_empty());
}

/// The hook definition turns --force-exclude on and passes only markdown and .txt files.
#[test]
fn the_pre_commit_hook_skips_what_is_not_a_postmortem() {
    #[derive(serde::Deserialize)]
    struct Hook {
        entry: String,
        types_or: Vec<String>,
    }
    let hooks: Vec<Hook> =
        serde_saphyr::from_str(&fixture(".pre-commit-hooks.yaml")).expect("hook definition");
    let hook = &hooks[0];
    assert_eq!(hook.types_or, ["markdown", "plain-text"]);
    let mut words = hook.entry.split_whitespace();
    assert_eq!(words.next(), Some("pmlint"));
    let args: Vec<&str> = words.collect();
    assert!(args.contains(&"--force-exclude"), "{args:?}");
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(root, "README.md", &fixture(BAD));
    write(root, "CHANGELOG.md", &fixture(BAD));
    write(root, "postmortems/pm.md", &fixture(GOOD));
    pmlint(root)
        .args(&args)
        .args(["README.md", "CHANGELOG.md", "postmortems/pm.md"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("in 1 file"));
    write(root, "postmortems/bad.md", &fixture(BAD));
    pmlint(root)
        .args(&args)
        .args(["README.md", "postmortems/bad.md"])
        .assert()
        .code(1);
}

#[test]
fn a_directory_with_no_postmortems_says_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(root, "docs/README.md", "# Docs\n");
    write(root, "docs/notes.md", NOTES);
    fs::create_dir_all(root.join("empty")).expect("mkdir");
    write(root, "pms/pm.md", &fixture(GOOD));
    pmlint(root)
        .args(["check", "docs", "empty"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains(
            "warning: no postmortems found under docs/ (2 files skipped: docs/README.md, docs/notes.md; --verbose says why)",
        ))
        .stderr(predicate::str::contains(
            "warning: no postmortems found under empty/ (no .md, .markdown or .txt files)",
        ));
    pmlint(root)
        .args(["check", "pms"])
        .assert()
        .code(0)
        .stderr(predicate::str::is_empty());
    // `actions` walks the same way.
    pmlint(root)
        .args(["actions", "docs"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains(
            "warning: no postmortems found under docs/",
        ));
}

/// `actions` skips what `check` skips in a walk, and lists a named file whatever its name.
#[test]
fn actions_walks_as_check_does() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    let readme = "# Project\n\n## Action items\n\n- Write the install guide (owner: docs team)\n";
    write(root, "README.md", readme);
    write(root, "pm.md", &fixture(BAD));
    let out = pmlint(root)
        .args(["actions", "--format", "json"])
        .output()
        .expect("runs");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let paths: Vec<&str> = json["actions"]
        .as_array()
        .expect("actions")
        .iter()
        .map(|a| a["path"].as_str().expect("path"))
        .collect();
    assert_eq!(paths, ["pm.md"]);
    pmlint(root)
        .args(["actions", "--format", "json", "README.md"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Write the install guide"));
}

#[test]
fn stdin_filename_without_dash_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "pm.md", &fixture(BAD));
    for cmd in [
        &["check", "--stdin-filename", "pm.md"][..],
        &["actions", "--stdin-filename", "pm.md"],
        &["timeline", "pm.md", "--stdin-filename", "pm.md"],
    ] {
        pmlint(dir.path())
            .env_remove("CLICOLOR_FORCE")
            .args(cmd)
            .write_stdin("")
            .assert()
            .code(2)
            .stdout(predicate::str::is_empty())
            .stderr(predicate::str::contains(
                "--stdin-filename names standard input, which is read only when `-` is given",
            ))
            .stderr(predicate::str::contains(format!(
                "Usage: pmlint {}",
                cmd[0]
            )));
    }
    pmlint(dir.path())
        .args(["check", "-", "--stdin-filename", "x.md"])
        .write_stdin(fixture(GOOD))
        .assert()
        .code(0);
}
