//! `pmlint new`: every built-in template renders into a draft that passes the structure and
//! timeline checks, with placeholder warnings exactly where the author still has to write;
//! an existing file is never overwritten without --force.

use std::collections::BTreeSet;
use std::fs;

use assert_cmd::Command;
use pmlint::new::{Values, find, render, templates};
use pmlint::{Config, Severity, lint_source};
use predicates::prelude::*;

fn sample() -> Values {
    Values {
        title: Some("Database connection pool exhausted".into()),
        start: Some("2026-11-20 14:02 UTC".into()),
        end: Some("2026-11-20 15:10 UTC".into()),
        severity: Some("SEV-1".into()),
        timezone: None,
        set: vec!["owner=storefront on-call".into()],
    }
}

fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 11, 25, 0, 0, 0)
        .single()
        .expect("date")
}

/// Lines a human still has to fill in: prompts in angle brackets and date/time stand-ins.
fn prompt_lines(text: &str) -> BTreeSet<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| {
            l.contains("HH:MM")
                || l.contains("YYYY-MM-DD")
                || l.match_indices('<').any(|(i, _)| {
                    l[i + 1..].starts_with(|c: char| c.is_ascii_alphabetic())
                        && !l[i..].starts_with("<!--")
                })
        })
        .map(|(i, _)| i + 1)
        .collect()
}

#[test]
fn every_builtin_template_round_trips_through_the_checker() {
    let all = templates(None);
    assert_eq!(
        all.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
        ["default", "detailed", "plain"]
    );
    for values in [
        sample(),
        Values {
            end: None,
            set: vec![],
            ..sample()
        },
    ] {
        for t in &all {
            let (text, name) = render(t, &values, now()).expect("renders");
            assert_eq!(name, "2026-11-20-database-connection-pool-exhausted.md");
            let diags = lint_source(&text, &Config::default());
            let not_placeholder: Vec<_> = diags.iter().filter(|d| d.code != "PM004").collect();
            assert!(
                not_placeholder.is_empty(),
                "{}: {not_placeholder:#?}\n{text}",
                t.name
            );
            assert!(diags.iter().all(|d| d.severity != Severity::Error));
            let reported: BTreeSet<usize> = diags.iter().map(|d| d.start.line).collect();
            assert_eq!(
                reported,
                prompt_lines(&text),
                "{}: placeholders\n{text}",
                t.name
            );
            assert!(text.contains("Database connection pool exhausted"));
            assert!(text.contains("2026-11-20 14:02 UTC") || text.contains("14:02"));
        }
    }
}

#[test]
fn first_timeline_entry_and_window_use_the_start() {
    let all = templates(None);
    let (text, _) =
        render(find(&all, "default").expect("default"), &sample(), now()).expect("renders");
    let doc = pmlint::parse::parse(&text, &Config::default().kinds);
    let tl = pmlint::timeline::build(&doc, &Config::default());
    let start = tl.window.start.as_ref().expect("window start").at;
    assert_eq!(start.to_rfc3339(), "2026-11-20T14:02:00+00:00");
    assert_eq!(tl.entries[0].at, Some(start));
}

#[test]
fn errors_are_clear() {
    let all = templates(None);
    let err = find(&all, "fancy").expect_err("unknown").to_string();
    assert_eq!(
        err,
        "no template `fancy`; the templates are: default, detailed, plain"
    );
    let t = find(&all, "default").expect("default");
    let bad_set = Values {
        set: vec!["owner".into()],
        ..sample()
    };
    assert_eq!(
        render(t, &bad_set, now()).expect_err("bad set").to_string(),
        "`--set owner` is not `key=value`"
    );
    let bad_start = Values {
        start: Some("yesterday-ish".into()),
        ..sample()
    };
    assert!(
        render(t, &bad_start, now())
            .expect_err("bad start")
            .to_string()
            .contains("cannot read `yesterday-ish`")
    );
    let broken = pmlint::new::Template {
        name: "team".into(),
        description: String::new(),
        source: "# {{ title }}\n\n{{ no_such_value }}\n".into(),
    };
    let err = render(&broken, &sample(), now())
        .expect_err("render")
        .to_string();
    assert!(err.starts_with("template `team` line 3:"), "{err}");
}

#[test]
fn never_overwrites_without_force_and_writes_into_new_directories() {
    let dir = tempfile::tempdir().expect("tempdir");
    let run = |args: &[&str]| {
        let mut cmd = Command::cargo_bin("pmlint").expect("binary");
        cmd.current_dir(dir.path()).args(args);
        cmd
    };
    let args = [
        "new",
        "--title",
        "Database connection pool exhausted",
        "--start",
        "2026-11-20 14:02 UTC",
    ];
    run(&args).assert().code(0);
    let path = dir
        .path()
        .join("2026-11-20-database-connection-pool-exhausted.md");
    let first = fs::read(&path).expect("written");
    fs::write(&path, b"my edits\n").expect("edit");
    run(&args)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("already exists; pass --force"));
    assert_eq!(fs::read(&path).expect("kept"), b"my edits\n");
    let mut forced = args.to_vec();
    forced.push("--force");
    run(&forced).assert().code(0);
    assert_eq!(fs::read(&path).expect("replaced"), first);
    run(&[
        "new",
        "--template",
        "plain",
        "--title",
        "x",
        "nested/dir/out.md",
    ])
    .assert()
    .code(0);
    assert!(dir.path().join("nested/dir/out.md").is_file());
    let leftovers: Vec<_> = fs::read_dir(dir.path())
        .expect("dir")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
    run(&["new", "--list"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("detailed"));
    run(&[
        "new",
        "--stdout",
        "--template",
        "plain",
        "--title",
        "Cache storm",
    ])
    .assert()
    .code(0)
    .stdout(predicate::str::starts_with("Postmortem: Cache storm"));
    run(&["new", "--template", "nope"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("default, detailed, plain"));
}

#[test]
fn team_templates_override_builtins() {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::create_dir(dir.path().join("tpl")).expect("mkdir");
    fs::write(dir.path().join("tpl/default.md"), "# {{ title }} (team)\n").expect("write");
    fs::write(
        dir.path().join("pmlint.toml"),
        "templates-dir = \"tpl\"\npostmortems-dir = \"pm\"\n",
    )
    .expect("write");
    let mut cmd = Command::cargo_bin("pmlint").expect("binary");
    cmd.current_dir(dir.path()).args([
        "new",
        "--title",
        "Outage",
        "--start",
        "2026-01-02 10:00 UTC",
    ]);
    cmd.assert().code(0);
    let text = fs::read_to_string(dir.path().join("pm/2026-01-02-outage.md"))
        .expect("written to the configured dir");
    assert_eq!(text.trim_end(), "# Outage (team)");
}
