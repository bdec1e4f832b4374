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

/// A kind in `[sections]` that is not one pmlint knows is a typo unless the file both
/// requires it and gives it aliases.
#[test]
fn unknown_section_kinds_are_errors_with_a_suggestion() {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::write(dir.path().join("a.md"), seed()).expect("write");
    for (config, line, column, place) in [
        (
            "[sections]\naliases = { lesons-learned = [\"What we learned\"] }\n",
            2,
            13,
            "aliases",
        ),
        (
            "# lessons-learned is a built-in kind\n[sections]\nrequired = [\"summary\", \"lesons-learned\"]\n",
            3,
            25,
            "required",
        ),
        // The same typo in both places is still one letter from a known kind.
        (
            "[sections]\nrequired = [\"lesons-learned\"]\naliases = { lesons-learned = [\"What we learned\"] }\n",
            2,
            14,
            "required",
        ),
    ] {
        fs::write(dir.path().join("pmlint.toml"), config).expect("write");
        pmlint(dir.path())
            .args(["check", "--color", "never", "a.md"])
            .assert()
            .code(2)
            .stdout(predicate::str::contains(format!(
                "pmlint.toml:{line}:{column}: unknown section kind `lesons-learned` in [sections] {place}; did you mean `lessons-learned`?"
            )));
    }
    // A new kind, required and given aliases, is accepted and checked.
    fs::write(
        dir.path().join("pmlint.toml"),
        "[sections]\nrequired = [\"triage\"]\naliases = { triage = [\"Triage\"] }\n",
    )
    .expect("write");
    let out = pmlint(dir.path())
        .args(["check", "--format", "json", "a.md"])
        .output()
        .expect("runs");
    let missing: Vec<String> = codes(&out.stdout)
        .into_iter()
        .filter(|c| c.starts_with("PM001"))
        .collect();
    assert_eq!(missing, ["PM001:required section `triage` is missing"]);
    // Required without aliases, no heading could ever name it.
    fs::write(
        dir.path().join("pmlint.toml"),
        "[sections]\nrequired = [\"customer-comms\"]\n",
    )
    .expect("write");
    pmlint(dir.path())
        .args(["check", "--color", "never", "a.md"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains(
            "unknown section kind `customer-comms` in [sections] required; known kinds: summary, impact,",
        ))
        .stdout(predicate::str::contains("a new kind needs `aliases`"));
}

/// A kind added by the file a configuration extends is known to it.
#[test]
fn kinds_from_an_extended_file_are_known() {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::write(
        dir.path().join("base.toml"),
        "[sections]\nrequired = [\"summary\", \"triage\"]\naliases = { triage = [\"Triage\"] }\n",
    )
    .expect("write");
    fs::write(
        dir.path().join("pmlint.toml"),
        "extend = \"base.toml\"\n\n[sections]\nrequired = [\"triage\"]\n",
    )
    .expect("write");
    fs::write(
        dir.path().join("a.md"),
        "# A\n\n## Triage\n\nPaged the DB team.\n",
    )
    .expect("write");
    let out = pmlint(dir.path())
        .args(["check", "--format", "json", "a.md"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{:?}", codes(&out.stdout));
}

#[test]
fn a_missing_extend_target_is_named_at_the_extend_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::write(
        dir.path().join("pmlint.toml"),
        "# team settings\nextend = \"base.toml\"\n",
    )
    .expect("write");
    fs::write(dir.path().join("a.md"), seed()).expect("write");
    let base = fs::canonicalize(dir.path())
        .expect("canonical")
        .join("base.toml");
    pmlint(dir.path())
        .args(["check", "--color", "never", "a.md"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains(format!(
            "pmlint.toml:2:1: extend = \"base.toml\": cannot read {}: no such file or directory",
            base.display()
        )));
    // Once the base exists, the same file loads.
    fs::write(dir.path().join("base.toml"), "profile = \"default\"\n").expect("write");
    pmlint(dir.path()).args(["check", "a.md"]).assert().code(1);
}

/// `--config` that cannot be used is one error up front, naming it, for every command.
#[test]
fn a_bad_config_flag_is_one_error_naming_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::write(dir.path().join("a.md"), seed()).expect("write");
    fs::write(dir.path().join("b.md"), seed()).expect("write");
    let out = pmlint(dir.path())
        .args(["check", "--config", "nope.toml", "a.md", "b.md"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr,
        "pmlint: --config nope.toml: cannot read configuration file: no such file or directory\n"
    );
    fs::write(dir.path().join("bad.toml"), "profile = \"loud\"\n").expect("write");
    for cmd in [&["timeline", "a.md"][..], &["actions", "a.md"]] {
        pmlint(dir.path())
            .args(cmd)
            .args(["--config", "bad.toml"])
            .assert()
            .code(2)
            .stdout(predicate::str::is_empty())
            .stderr(predicate::str::contains(
                "pmlint: --config bad.toml:1:11: unknown variant `loud`",
            ));
    }
    // A good one is used.
    fs::write(
        dir.path().join("ok.toml"),
        "[rules]\nPM202 = \"off\"\nPM203 = \"off\"\n",
    )
    .expect("write");
    pmlint(dir.path())
        .args([
            "check",
            "--config",
            "ok.toml",
            "--select",
            "PM202,PM203",
            "a.md",
        ])
        .assert()
        .code(0);
}

/// `timeline` and `actions` read pmlint.toml as `check` does: the nearest file, `--config`,
/// `--no-config`, and for standard input the file above `--stdin-filename`.
#[test]
fn timeline_and_actions_use_the_configuration() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    fs::create_dir_all(root.join("team")).expect("mkdir");
    let doc = "# Outage\n\n## Timeline\n\n- 03/04/2024 10:00 deploy\n- 03/04/2024 10:30 fixed\n\n## Things we will do\n\n- Add a canary stage (owner: platform)\n";
    fs::write(root.join("team/pm.md"), doc).expect("write");
    fs::write(
        root.join("team/pmlint.toml"),
        "[sections]\naliases = { corrective-actions = [\"Things we will do\"] }\n\n[time]\ndate-order = \"dmy\"\ntimezone = \"CET\"\n",
    )
    .expect("write");
    fs::write(root.join("us.toml"), "[time]\ndate-order = \"mdy\"\n").expect("write");
    let first_time = |args: &[&str], stdin: Option<&str>| -> String {
        let mut cmd = pmlint(root);
        cmd.args(["timeline", "--format", "json"]).args(args);
        if let Some(s) = stdin {
            cmd.write_stdin(s.to_string());
        }
        let out = cmd.output().expect("runs");
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
        json["entries"][0]["time"]
            .as_str()
            .unwrap_or("")
            .to_string()
    };
    assert_eq!(
        first_time(&["team/pm.md"], None),
        "2024-04-03T10:00:00+01:00"
    );
    assert_eq!(
        first_time(&["--no-config", "team/pm.md"], None),
        "2024-03-04T10:00:00+00:00"
    );
    assert_eq!(
        first_time(&["--config", "us.toml", "team/pm.md"], None),
        "2024-03-04T10:00:00+00:00"
    );
    assert_eq!(
        first_time(&["-", "--stdin-filename", "team/pm.md"], Some(doc)),
        "2024-04-03T10:00:00+01:00"
    );
    assert_eq!(first_time(&["-"], Some(doc)), "2024-03-04T10:00:00+00:00");
    // The alias makes "Things we will do" the action-item section.
    let actions = |args: &[&str]| -> usize {
        let out = pmlint(root)
            .args(["actions", "--format", "json"])
            .args(args)
            .output()
            .expect("runs");
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
        json["actions"].as_array().map_or(0, Vec::len)
    };
    assert_eq!(actions(&["team/pm.md"]), 1);
    assert_eq!(actions(&["--no-config", "team/pm.md"]), 0);
    assert_eq!(actions(&["team"]), 1);
}

/// `check -` with `--stdin-filename team/pm.md` uses the configuration above `team/`.
#[test]
fn stdin_uses_the_configuration_above_its_name() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    fs::create_dir_all(root.join("team")).expect("mkdir");
    fs::write(root.join("team/pmlint.toml"), "[rules]\nPM201 = \"off\"\n").expect("write");
    let run = |name: &str| -> Vec<String> {
        let out = pmlint(root)
            .args(["check", "--format", "json", "-", "--stdin-filename", name])
            .write_stdin(seed())
            .output()
            .expect("runs");
        codes(&out.stdout)
    };
    let in_team = run("team/pm.md");
    assert!(
        !in_team.iter().any(|c| c.starts_with("PM201")),
        "{in_team:?}"
    );
    // A file that does not exist yet, in a directory that does not either: looked up from
    // where it would be.
    let new_dir = run("team/new/pm.md");
    assert!(
        !new_dir.iter().any(|c| c.starts_with("PM201")),
        "{new_dir:?}"
    );
    let elsewhere = run("other/pm.md");
    assert!(
        elsewhere.iter().any(|c| c.starts_with("PM201")),
        "{elsewhere:?}"
    );
}

#[test]
fn a_bad_glob_is_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::write(dir.path().join("pmlint.toml"), "exclude = [\"{a,{b}\"]\n").expect("write");
    fs::write(dir.path().join("a.md"), seed()).expect("write");
    pmlint(dir.path())
        .args(["check", "--color", "never", "a.md"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains(
            "pmlint.toml:1:13: bad glob `{a,{b}`",
        ));
}
