//! Snapshot tests of `check` on every fixture (the seed, the real corpus, the rule and format
//! fixtures), plus the behaviours the acceptance criteria name.

use std::path::{Path, PathBuf};

use pmlint::report::{self, Human, Json};
use pmlint::runner::Input;
use pmlint::{Config, Severity, lint_source};

fn render(path: &Path, reporter: &mut dyn report::Reporter) -> String {
    // Paths relative to the repository, so snapshots do not depend on the checkout location.
    let rel = path
        .strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap_or(path)
        .to_path_buf();
    let mut out = Vec::new();
    // Fixtures are checked with the defaults, whatever pmlint.toml a checkout may hold.
    let mut resolver = pmlint::config_file::Resolver::new(Config::default(), None, true);
    report::run(vec![Input::File(rel)], &mut resolver, reporter, &mut out)
        .expect("writing to a Vec cannot fail");
    String::from_utf8(out).expect("reports are UTF-8")
}

#[test]
fn human_output_snapshots() {
    insta::glob!("../fixtures", "**/*.{md,txt}", |path| {
        insta::assert_snapshot!(render(path, &mut Human::plain()));
    });
}

#[test]
fn json_output_snapshots() {
    insta::glob!("../fixtures", "**/*.{md,txt}", |path| {
        let json: serde_json::Value =
            serde_json::from_str(&render(path, &mut Json::default())).expect("valid JSON");
        insta::assert_json_snapshot!(json);
    });
}

/// `pmlint timeline --format json` on every fixture: the resolved entries, window and metrics.
#[test]
fn timeline_snapshots() {
    insta::glob!("../fixtures", "**/*.{md,txt}", |path| {
        let text = std::fs::read_to_string(path).expect("fixture");
        let config = Config::default();
        let doc = pmlint::parse::parse(&text, &config.kinds);
        let tl = pmlint::timeline::build(&doc, &Config::default());
        insta::assert_json_snapshot!(report::timeline::build(&doc, &tl));
    });
}

fn fixture(rel: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn codes(text: &str, config: &Config) -> Vec<(&'static str, usize)> {
    lint_source(text, config)
        .iter()
        .map(|d| (d.code, d.start.line))
        .collect()
}

#[test]
fn seed_has_all_six_sections_under_plain_labels() {
    let diags = lint_source(&fixture("seed/webstack-outage.txt"), &Config::default());
    assert!(diags.iter().all(|d| d.code != "PM001"), "{diags:#?}");
}

#[test]
fn missing_timeline_is_reported_once_by_name() {
    let diags = lint_source(&fixture("formats/missing-timeline.md"), &Config::default());
    let missing: Vec<_> = diags.iter().filter(|d| d.code == "PM001").collect();
    assert_eq!(missing.len(), 1, "{diags:#?}");
    assert_eq!(missing[0].message, "required section `timeline` is missing");
    assert_eq!((missing[0].start.line, missing[0].start.column), (1, 1));
    let fix = missing[0].suggestion.as_ref().expect("a suggestion");
    assert_eq!(fix.replacement.as_deref(), Some("\n## Timeline\n\n"));
}

/// Each rule fires on its `-bad` fixture and stays silent on its `-good` one (rules that are
/// off by default are checked in the `strict` profile that turns them on).
#[test]
fn every_rule_has_a_triggering_and_a_silent_fixture() {
    for rule in pmlint::rules::RULES {
        let config = Config {
            profile: if rule.default_severity == Severity::Off {
                pmlint::Profile::Strict
            } else {
                pmlint::Profile::Default
            },
            ..Config::default()
        };
        let bad = codes(&fixture(&format!("rules/{}-bad.md", rule.name)), &config);
        let good = codes(&fixture(&format!("rules/{}-good.md", rule.name)), &config);
        assert!(
            bad.iter().any(|(c, _)| *c == rule.code),
            "{} silent on its bad fixture",
            rule.code
        );
        assert!(
            good.is_empty(),
            "{} good fixture has findings: {good:?}",
            rule.name
        );
    }
}

#[test]
fn real_corpus_reads_without_panic_and_alias_names_count() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/real");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixtures/real")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 50);
    for path in files {
        let text = std::fs::read_to_string(&path).expect("UTF-8");
        let diags = lint_source(&text, &Config::default());
        for d in &diags {
            assert!(
                d.start.line >= 1 && d.start.column >= 1,
                "{}: {d:?}",
                path.display()
            );
            assert_ne!(d.severity, Severity::Off);
        }
    }
}

#[test]
fn crlf_bom_and_tabs_keep_exact_positions() {
    let diags = lint_source(&fixture("formats/crlf-bom-tabs.txt"), &Config::default());
    let todo = diags.iter().find(|d| d.code == "PM004").expect("the TODO");
    // Line 18 is "1. Size the session cache from traffic forecasts. TODO: owner".
    assert_eq!((todo.start.line, todo.start.column), (18, 51));
    assert_eq!((todo.end.line, todo.end.column), (18, 55));
}

/// A future year is one typo however many entries carry it: one report per future day, at
/// the first time written with that date, naming the year; past times stay silent.
#[test]
fn future_date_reports_each_future_day_once_with_its_year() {
    let text = "# Outage\n\n## Timeline\n\n\
        - 2021-04-01 23:50 UTC deploy\n\
        - 2031-04-02 00:10 UTC alert fires\n\
        - 00:20 rollback\n\
        - 2031-04-03 09:00 UTC recovered\n";
    let config = Config {
        now: chrono::DateTime::parse_from_rfc3339("2026-11-26T00:00:00Z").ok(),
        ..Config::default()
    };
    let future: Vec<_> = lint_source(text, &config)
        .into_iter()
        .filter(|d| d.code == "PM208")
        .map(|d| (d.start.line, d.message))
        .collect();
    assert_eq!(
        future,
        vec![
            (
                6,
                "`2031-04-02 00:10 UTC` (2031-04-02 00:10 UTC) is in the future; so is 1 more \
                 time on 2031-04-02"
                    .to_string()
            ),
            (
                8,
                "`2031-04-03 09:00 UTC` (2031-04-03 09:00 UTC) is in the future".to_string()
            ),
        ]
    );
}
