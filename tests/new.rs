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
        Values {
            start: None,
            end: None,
            ..sample()
        },
    ] {
        for t in &all {
            let (text, name) = render(t, &values, now()).expect("renders");
            // Without --start the file is named for the day it was drafted.
            let day = if values.start.is_some() {
                "2026-11-20"
            } else {
                "2026-11-25"
            };
            assert_eq!(name, format!("{day}-database-connection-pool-exhausted.md"));
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
            if values.start.is_some() {
                assert!(text.contains("2026-11-20 14:02 UTC") || text.contains("14:02"));
            }
        }
    }
}

/// Stand-in for an author: every prompt gets a plausible value. The incident runs 14:02 to
/// 15:10 on 2026-11-20, detected at 14:12 and mitigated at 14:40, in the zone `zone`.
fn fill(text: &str, zone: &str) -> String {
    let at = |hm: &str| format!("2026-11-20 {hm} {zone}");
    let mut out = String::new();
    let mut actions = [
        "Alert when the connection pool is 80% used",
        "Cap connections per service in the shared pool",
        "Shed checkout traffic before the pool is exhausted",
    ]
    .into_iter()
    .cycle();
    for line in text.split_inclusive('\n') {
        let lower = line.to_ascii_lowercase();
        let hm = if lower.contains("detect") {
            "14:12"
        } else if lower.contains("mitigat") {
            "14:40"
        } else {
            "15:10"
        };
        let mut line = line
            .replace("HH:MM", hm)
            .replace("YYYY-MM-DD", "2026-12-15");
        // Prompts are `<` and a letter, up to the next `>` (HTML comments are not prompts).
        while let Some(open) = line
            .match_indices('<')
            .map(|(i, _)| i)
            .find(|&i| line[i + 1..].starts_with(|c: char| c.is_ascii_alphabetic()))
        {
            let close = open + line[open..].find('>').expect("prompt closes");
            let prompt = line[open + 1..close].to_ascii_lowercase();
            let value = if prompt.starts_with("when") {
                if prompt.contains("detected") {
                    at("14:12")
                } else if prompt.contains("mitigated") {
                    at("14:40")
                } else {
                    at("15:10")
                }
            } else if prompt.contains("owner") || prompt.contains("@person") {
                "@storefront-oncall".to_string()
            } else if prompt.contains("ticket") {
                "OPS-1234".to_string()
            } else if prompt.contains("severity") {
                "SEV-2".to_string()
            } else if prompt.contains("title") {
                "Checkout outage".to_string()
            } else if prompt.starts_with("action") {
                actions.next().unwrap_or_default().to_string()
            } else if prompt.contains("detected") {
                "the pool saturation alert paged the on-call engineer".to_string()
            } else if prompt.contains("mitigated") {
                "the on-call engineer restarted the checkout workers".to_string()
            } else if prompt.contains("resolved") {
                "the pool size was restored and error rates returned to normal".to_string()
            } else {
                "a deploy halved the database connection pool, and checkout requests \
                 queued until they timed out for 68 minutes"
                    .to_string()
            };
            line.replace_range(open..=close, &value);
        }
        out.push_str(&line);
    }
    out
}

/// The issue's case: a draft from any template, with --start/--end in any of the zone forms
/// people type, filled in by the author, checks clean: its timeline heading is recognised
/// whatever zone it names, and no prompt is left. Unfilled, it reports the prompts.
#[test]
fn filled_drafts_of_every_template_check_clean() {
    let cases = [
        ("2026-11-20 14:02 UTC", "2026-11-20 15:10 UTC", None, "UTC"),
        ("2026-11-20 14:02 PST", "2026-11-20 15:10 PST", None, "PST"),
        (
            "2026-11-20T14:02:00-08:00",
            "2026-11-20T15:10:00-08:00",
            None,
            "UTC-08:00",
        ),
        (
            "2026-11-20 14:02",
            "15:10",
            Some("Europe/Berlin"),
            "Europe/Berlin",
        ),
        ("2026-11-20 14:02", "15:10", Some("utc+5:30"), "UTC+05:30"),
    ];
    let config = Config::default();
    for t in &templates(None) {
        for (start, end, timezone, zone) in cases {
            let values = Values {
                start: Some(start.into()),
                end: Some(end.into()),
                timezone: timezone.map(String::from),
                ..sample()
            };
            let (draft, _) = render(t, &values, now()).expect("renders");
            let what = format!("{} with {start} .. {end} {timezone:?}", t.name);
            assert!(
                draft.contains(&format!("(all times {zone})")),
                "{what}: zone written as {zone}\n{draft}"
            );
            let unfilled = lint_source(&draft, &config);
            assert!(
                unfilled.iter().any(|d| d.code == "PM004"),
                "{what}: prompts reported"
            );
            assert!(
                unfilled.iter().all(|d| d.code == "PM004"),
                "{what}: {unfilled:#?}"
            );
            let filled = fill(&draft, zone);
            assert!(
                prompt_lines(&filled).is_empty(),
                "{what}: fill left prompts\n{filled}"
            );
            let diags = lint_source(&filled, &config);
            assert!(diags.is_empty(), "{what}: {diags:#?}\n{filled}");
            // The timeline is read in the draft's zone: 14:02 there is the start.
            let doc = pmlint::parse::parse(&filled, &config.kinds);
            let tl = pmlint::timeline::build(&doc, &config);
            let first = tl.entries.first().and_then(|e| e.at).expect("first entry");
            let window = tl.window.start.as_ref().expect("window start").at;
            assert_eq!(first, window, "{what}");
            assert_eq!(first.format("%H:%M").to_string(), "14:02", "{what}");
        }
    }
}

#[test]
fn drafts_end_with_exactly_one_newline() {
    let team = |source: &str| pmlint::new::Template {
        name: "team".into(),
        description: String::new(),
        source: source.into(),
    };
    let mut all = templates(None);
    all.push(team("# {{ title }}\n\n## Timeline\n\n\n"));
    all.push(team("# {{ title }}"));
    for t in &all {
        for values in [sample(), Values::default()] {
            let (text, _) = render(t, &values, now()).expect("renders");
            assert!(
                text.ends_with('\n') && !text.ends_with("\n\n"),
                "{}: {:?}",
                t.name,
                &text[text.len().saturating_sub(20)..]
            );
        }
    }
    // A CRLF template keeps CRLF, to the last line.
    let (text, _) =
        render(&team("# {{ title }}\r\n\r\nBody\r\n\r\n"), &sample(), now()).expect("renders");
    assert_eq!(text, "# Database connection pool exhausted\r\n\r\nBody\r\n");
}

/// Without --start nothing claims the incident started when the draft was written: the start
/// is a prompt the placeholder rule reports, and today's date appears only in the file name.
#[test]
fn without_start_the_start_is_a_reported_prompt() {
    let config = Config::default();
    for t in &templates(None) {
        let values = Values {
            start: None,
            end: None,
            ..sample()
        };
        let (text, name) = render(t, &values, now()).expect("renders");
        assert!(name.starts_with("2026-11-25-"), "{name}");
        assert!(
            !text.contains("2026-11-25"),
            "{}: now leaked\n{text}",
            t.name
        );
        assert!(!text.contains("00:00"), "{}: now leaked\n{text}", t.name);
        let prompt = text
            .lines()
            .position(|l| l.contains("YYYY-MM-DD HH:MM UTC"))
            .map(|i| i + 1)
            .expect("start prompt");
        let diags = lint_source(&text, &config);
        assert!(
            diags
                .iter()
                .any(|d| d.code == "PM004" && d.start.line == prompt),
            "{}: line {prompt} not reported: {diags:#?}",
            t.name
        );
        // Given, the start is written as given and is no prompt.
        let (text, _) = render(t, &sample(), now()).expect("renders");
        assert!(!text.contains("YYYY-MM-DD HH:MM"), "{}", t.name);
    }
    // A date without a time keeps the time as a prompt.
    let (text, _) = render(
        find(&templates(None), "default").expect("default"),
        &Values {
            start: Some("2026-11-20".into()),
            end: None,
            ..sample()
        },
        now(),
    )
    .expect("renders");
    assert!(text.contains("start: \"2026-11-20 HH:MM UTC\""), "{text}");
}

#[test]
fn zones_are_written_as_given_and_times_converted_into_them() {
    let plain = templates(None);
    let plain = find(&plain, "plain").expect("plain");
    let draft = |start: &str, tz: Option<&str>| {
        let values = Values {
            start: Some(start.into()),
            end: None,
            timezone: tz.map(String::from),
            ..sample()
        };
        render(plain, &values, now()).expect("renders").0
    };
    // The issue's command: the zone as written, and a heading pmlint reads as the timeline.
    let text = draft("2026-11-20 14:02 PST", None);
    assert!(
        text.contains("Timeline (all times PST):\n- 14:02:"),
        "{text}"
    );
    assert!(text.contains("Duration: 2026-11-20 14:02 PST - "), "{text}");
    // Another zone asked for: the same instant on that zone's clock.
    let text = draft("2026-11-20 14:02 PST", Some("UTC"));
    assert!(text.contains("Duration: 2026-11-20 22:02 UTC - "), "{text}");
    let text = draft("2026-11-20 14:02", Some("pst"));
    assert!(text.contains("Duration: 2026-11-20 14:02 PST - "), "{text}");
    let text = draft("2026-11-20 14:02", Some("america/los_angeles"));
    assert!(
        text.contains("Timeline (all times America/Los_Angeles):"),
        "{text}"
    );
    // No zone anywhere: UTC, said so.
    let text = draft("2026-11-20 14:02", None);
    assert!(text.contains("Timeline (all times UTC):"), "{text}");
}

#[test]
fn bad_times_and_zones_are_clear_errors() {
    let all = templates(None);
    let t = find(&all, "default").expect("default");
    let err = |start: Option<&str>, end: Option<&str>, tz: Option<&str>| {
        let values = Values {
            start: start.map(String::from),
            end: end.map(String::from),
            timezone: tz.map(String::from),
            ..sample()
        };
        render(t, &values, now()).expect_err("rejected").to_string()
    };
    assert_eq!(
        err(
            Some("2026-11-20 14:02 PST"),
            Some("2026-11-20 12:00 PST"),
            None
        ),
        "--end `2026-11-20 12:00 PST` is before --start `2026-11-20 14:02 PST`: the incident must end after it starts"
    );
    // Compared as instants: 22:30 UTC is after 14:02 PST; 21:30 UTC is not.
    assert!(
        err(
            Some("2026-11-20 14:02 PST"),
            Some("2026-11-20 21:30 UTC"),
            None
        )
        .starts_with("--end `2026-11-20 21:30 UTC` is before")
    );
    let ok = Values {
        start: Some("2026-11-20 14:02 PST".into()),
        end: Some("2026-11-20 22:30 UTC".into()),
        ..sample()
    };
    let (text, _) = render(t, &ok, now()).expect("end after start");
    assert!(text.contains("end: \"2026-11-20 14:30 PST\""), "{text}");
    assert_eq!(
        err(None, None, Some("Mars")),
        "--timezone: `Mars` is not a time zone; give an abbreviation (UTC, PST, CET), an IANA name (Europe/Berlin) or an offset (UTC-08:00)"
    );
    for (typo, meant) in [
        ("Europe/Berln", "Europe/Berlin"),
        ("berlin", "Europe/Berlin"),
        ("ESTT", "EST"),
    ] {
        let e = err(None, None, Some(typo));
        assert!(
            e.contains(&format!(
                "`{typo}` is not a time zone (did you mean `{meant}`?)"
            )),
            "{e}"
        );
    }
    for (start, want) in [
        (
            "garbage",
            "--start: cannot read `garbage` as a date and time (try `2026-11-20 14:02 UTC`)",
        ),
        (
            "2026-11-20 14:02 PST garbage",
            "--start: cannot read `2026-11-20 14:02 PST garbage` as a date and time: `garbage` is left over (try `2026-11-20 14:02 UTC`)",
        ),
        (
            "14:02",
            "--start: `14:02` has no date (try `2026-11-20 14:02 UTC`)",
        ),
        (
            "2026-11-20 14:02-15:10 UTC",
            "--start: `2026-11-20 14:02-15:10 UTC` is a range; give its start with --start and its end with --end",
        ),
        (
            "2026-02-30 10:00",
            "--start: `2026-02-30 10:00` is not a date: February 2026 has 28 days",
        ),
        (
            "2026-11-20 HH:MM",
            "--start: `2026-11-20 HH:MM` is a stand-in, not a time; leave --start out to get a prompt in the draft",
        ),
        ("", "--start: is empty (try `2026-11-20 14:02 UTC`)"),
    ] {
        assert_eq!(err(Some(start), None, None), want);
    }
    // A year the draft could not be read back with, once converted.
    assert_eq!(
        err(Some("9999-12-31 23:59 PST"), None, Some("UTC")),
        "--start: `9999-12-31 23:59 PST` is +10000-01-01 07:59 in UTC, outside the years 1000 to 9999"
    );
    // A 1 MB value is refused without being echoed whole.
    let long = "9".repeat(1 << 20);
    let e = err(Some(&long), None, None);
    assert!(e.len() < 300, "{}", e.len());
    let e = err(None, Some("yesterday"), None);
    assert!(e.starts_with("--end: cannot read `yesterday`"), "{e}");
    // Values that would break the draft's lines or front matter.
    let values = Values {
        title: Some("Outage\n## Injected".into()),
        ..sample()
    };
    assert_eq!(
        render(t, &values, now()).expect_err("newline").to_string(),
        "--title holds a line break or control character; give it on one line"
    );
    let values = Values {
        title: Some(r#"The "big" one \ part 2"#.into()),
        ..sample()
    };
    let (text, _) = render(t, &values, now()).expect("quotes are fine");
    assert!(
        text.contains(r#"title: "The \"big\" one \\ part 2""#),
        "{text}"
    );
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
fn cli_rejects_bad_times_with_exit_2() {
    let run = |args: &[&str]| {
        let mut cmd = Command::cargo_bin("pmlint").expect("binary");
        cmd.args(["new", "--stdout"]).args(args);
        cmd
    };
    run(&[
        "--start",
        "2026-11-20 14:02 PST",
        "--end",
        "2026-11-20 12:00 PST",
    ])
    .assert()
    .code(2)
    .stdout("")
    .stderr(predicate::str::contains(
        "--end `2026-11-20 12:00 PST` is before --start `2026-11-20 14:02 PST`",
    ));
    run(&["--timezone", "Mars"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("`Mars` is not a time zone"));
    run(&["--start", "garbage"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot read `garbage`"));
    // The issue's command: a plain draft whose timeline pmlint recognises, ending in a newline.
    let out = run(&["--template", "plain", "--start", "2026-11-20 14:02 PST"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).expect("utf-8");
    assert!(text.contains("Timeline (all times PST):"), "{text}");
    assert!(text.ends_with(")\n") && !text.ends_with("\n\n"), "{text:?}");
    let mut check = Command::cargo_bin("pmlint").expect("binary");
    check
        .args(["check", "--stdin-filename", "draft.txt", "-"])
        .write_stdin(text)
        .assert()
        .stdout(predicate::str::contains("missing-section").not())
        .stdout(predicate::str::contains("placeholder"));
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
