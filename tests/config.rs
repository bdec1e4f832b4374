//! pmlint.toml, suppressions and the setup commands, as users meet them.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

fn pmlint(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("pmlint").expect("binary");
    cmd.current_dir(dir);
    cmd
}

fn seed() -> String {
    fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/seed/webstack-outage.txt"),
    )
    .expect("seed")
}

fn codes(out: &[u8]) -> Vec<String> {
    let json: serde_json::Value = serde_json::from_slice(out).expect("JSON");
    json["files"]
        .as_array()
        .expect("files")
        .iter()
        .flat_map(|f| f["diagnostics"].as_array().cloned().unwrap_or_default())
        .map(|d| {
            format!(
                "{}:{}",
                d["code"].as_str().unwrap_or(""),
                d["message"].as_str().unwrap_or("")
            )
        })
        .collect()
}

#[test]
fn config_turns_a_rule_off_and_requires_a_new_kind() {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::write(dir.path().join("seed.txt"), seed()).expect("write");
    let before = pmlint(dir.path())
        .args(["check", "--format", "json", "seed.txt"])
        .output()
        .expect("runs");
    assert!(codes(&before.stdout).iter().any(|c| c.starts_with("PM201")));
    fs::write(
        dir.path().join("pmlint.toml"),
        "[sections]\nrequired = [\"summary\", \"impact\", \"root-cause\", \"timeline\", \"resolution\", \"corrective-actions\", \"lessons-learned\"]\naliases = { lessons-learned = [\"What we learned\"] }\n\n[rules]\ntimeline-untimed = \"off\"\n",
    )
    .expect("write");
    let after = pmlint(dir.path())
        .args(["check", "--format", "json", "seed.txt"])
        .output()
        .expect("runs");
    let after = codes(&after.stdout);
    assert!(!after.iter().any(|c| c.starts_with("PM201")), "{after:?}");
    assert!(
        after.contains(&"PM001:required section `lessons-learned` is missing".to_string()),
        "{after:?}"
    );
    // --no-config ignores the file; flags win over it.
    let ignored = pmlint(dir.path())
        .args(["check", "--no-config", "--format", "json", "seed.txt"])
        .output()
        .expect("runs");
    assert!(
        codes(&ignored.stdout)
            .iter()
            .any(|c| c.starts_with("PM201"))
    );
}

#[test]
fn nearest_file_wins_and_extend_inherits() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sub = dir.path().join("team/postmortems");
    fs::create_dir_all(&sub).expect("mkdir");
    fs::write(
        dir.path().join("pmlint.toml"),
        "[rules]\ntimeline-untimed = \"off\"\n",
    )
    .expect("write");
    fs::write(
        dir.path().join("team/pmlint.toml"),
        "extend = \"../pmlint.toml\"\n\n[rules]\nPM203 = \"off\"\n",
    )
    .expect("write");
    fs::write(sub.join("seed.md"), seed()).expect("write");
    fs::write(dir.path().join("top.md"), seed()).expect("write");
    // The working directory is the root, but each file uses the file nearest to it.
    let out = pmlint(dir.path())
        .args(["check", "--format", "json", "."])
        .output()
        .expect("runs");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let by_path = |p: &str| -> Vec<String> {
        json["files"]
            .as_array()
            .expect("files")
            .iter()
            .find(|f| f["path"].as_str().is_some_and(|x| x.ends_with(p)))
            .map(|f| {
                f["diagnostics"]
                    .as_array()
                    .expect("d")
                    .iter()
                    .map(|d| d["code"].as_str().unwrap_or("").to_string())
                    .collect()
            })
            .unwrap_or_default()
    };
    // The seed's June date is one defect: outside-window reports it; with that rule off in
    // the nested file, timeline-order reports the order break instead.
    let nested = by_path("postmortems/seed.md");
    assert!(
        !nested.contains(&"PM201".to_string()) && !nested.contains(&"PM203".to_string()),
        "{nested:?}"
    );
    assert!(nested.contains(&"PM202".to_string()), "{nested:?}");
    let top = by_path("top.md");
    assert!(
        !top.contains(&"PM201".to_string()) && top.contains(&"PM203".to_string()),
        "{top:?}"
    );
}

#[test]
fn bad_config_names_file_line_and_suggests() {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::write(
        dir.path().join("pmlint.toml"),
        "profile = \"strict\"\n\n[sections]\nrequied = [\"summary\"]\n",
    )
    .expect("write");
    fs::write(dir.path().join("a.md"), seed()).expect("write");
    pmlint(dir.path())
        .args(["check", "--color", "never", "a.md"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains(
            "pmlint.toml:4:1: unknown field `requied`",
        ))
        .stdout(predicate::str::contains("did you mean `required`?"));
}

#[test]
fn suppression_comments_silence_and_unused_ones_are_reported() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = seed().replacen(
        "- June 10, 2023",
        "<!-- pmlint-disable-next-line timeline-order outside-window -->\n\n- June 10, 2023",
        1,
    );
    fs::write(dir.path().join("s.md"), text).expect("write");
    let out = pmlint(dir.path())
        .args(["check", "--format", "json", "s.md"])
        .output()
        .expect("runs");
    let c = codes(&out.stdout);
    assert!(
        !c.iter()
            .any(|c| c.starts_with("PM202") || c.starts_with("PM203")),
        "{c:?}"
    );
    assert_eq!(out.status.code(), Some(0));
    let unused = "# Title\n\n<!-- pmlint-disable-file PM207 -->\n\n## Summary\n\ntext\n";
    fs::write(dir.path().join("u.md"), unused).expect("write");
    let out = pmlint(dir.path())
        .args(["check", "--format", "json", "u.md"])
        .output()
        .expect("runs");
    assert!(codes(&out.stdout).iter().any(|c| c.starts_with("PM005")));
    // A suppression of a rule turned off for this run is not unused.
    let out = pmlint(dir.path())
        .args(["check", "--format", "json", "--ignore", "PM207", "u.md"])
        .output()
        .expect("runs");
    assert!(
        !codes(&out.stdout).iter().any(|c| c.starts_with("PM005")),
        "{:?}",
        codes(&out.stdout)
    );
}

#[test]
fn init_writes_a_starter_and_never_overwrites() {
    let dir = tempfile::tempdir().expect("tempdir");
    pmlint(dir.path()).arg("init").assert().code(0);
    let written = fs::read(dir.path().join("pmlint.toml")).expect("written");
    assert!(String::from_utf8_lossy(&written).contains("[rules]"));
    fs::write(dir.path().join("pmlint.toml"), b"# mine\n").expect("write");
    pmlint(dir.path())
        .arg("init")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("already exists"));
    assert_eq!(
        fs::read(dir.path().join("pmlint.toml")).expect("kept"),
        b"# mine\n"
    );
}

#[test]
fn schema_completions_and_man_page() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = pmlint(dir.path())
        .args(["config", "--schema"])
        .output()
        .expect("runs");
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    for key in [
        "profile", "sections", "rules", "time", "include", "exclude", "extend",
    ] {
        assert!(schema["properties"][key].is_object(), "{key}");
    }
    for shell in ["bash", "zsh", "fish", "powershell"] {
        pmlint(dir.path())
            .args(["completions", shell])
            .assert()
            .code(0)
            .stdout(predicate::str::contains("pmlint"));
    }
    pmlint(dir.path())
        .arg("man")
        .assert()
        .code(0)
        .stdout(predicate::str::contains(".TH pmlint"));
}

#[test]
fn include_and_exclude_globs_shape_the_walk() {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::create_dir_all(dir.path().join("docs/drafts")).expect("mkdir");
    fs::write(dir.path().join("docs/a.md"), seed()).expect("write");
    fs::write(dir.path().join("docs/drafts/b.md"), seed()).expect("write");
    fs::write(dir.path().join("notes.txt"), seed()).expect("write");
    fs::write(
        dir.path().join("pmlint.toml"),
        "include = [\"docs/**/*.md\"]\nexclude = [\"**/drafts/**\"]\n",
    )
    .expect("write");
    let out = pmlint(dir.path())
        .args(["check", "--format", "json", "."])
        .output()
        .expect("runs");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let paths: Vec<&str> = json["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| f["path"].as_str().expect("path"))
        .collect();
    assert_eq!(paths, ["docs/a.md"]);
}
