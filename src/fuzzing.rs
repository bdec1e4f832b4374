//! Entry points for the fuzz targets in `fuzz/` (nightly `cargo fuzz`) and for replaying their
//! corpora as ordinary tests (`tests/fuzz_replay.rs`), so both run the same code. One function
//! per target, taking the raw input; each panics when an output breaks an invariant, so a
//! broken invariant is a crash the fuzzer reports. Not a stable API.

use std::io::Write;
use std::ops::Range;

use chrono::{DateTime, FixedOffset};

use crate::config::{Config, Profile};
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::Document;
use crate::report::{self, Reporter, Summary};
use crate::rules::{self, RULES};
use crate::runner::FileReport;
use crate::source::LineIndex;
use crate::timeline::resolve::{self, Context, DateOrder};

/// Diagnostics whose positions are recomputed one by one (the check is linear per offset).
const POSITIONS_CHECKED: usize = 200;

/// A path that needs escaping in every format (SARIF URI, GitHub property, XML).
const PATH: &str = "team/Q3 outage #2, 100%: <a&b>.md";

/// The fixed "now" of a fuzz run, so `future-date` does not depend on the clock.
fn now() -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339("2026-01-15T12:00:00+00:00").ok()
}

/// The strict profile with every rule on: the most code any document can reach. Built once:
/// the kind table is a noticeable share of a fuzz iteration.
fn all_rules() -> &'static Config {
    static CONFIG: std::sync::OnceLock<Config> = std::sync::OnceLock::new();
    CONFIG.get_or_init(build_all_rules)
}

fn build_all_rules() -> Config {
    let mut config = Config {
        profile: Profile::Strict,
        now: now(),
        ..Config::default()
    };
    for r in RULES {
        if rules::severity_of(r, &config) == Severity::Off {
            config.severity.insert(r.code, Severity::Warning);
        }
    }
    config
}

/// Target `pipeline`: bytes as `pmlint check` reads a file (UTF-8 or an error; a BOM is
/// dropped), through parse, timeline, actions, rules and suppressions, to every reporter of
/// `check`, `timeline` and `actions`. Bytes that are not UTF-8 are reported as `check`
/// reports them and then checked lossily, so the fuzzer's mutations keep reaching the rules.
pub fn pipeline(data: &[u8]) {
    let config = all_rules();
    let mut reports = Vec::new();
    match crate::runner::decode(data.to_vec()) {
        Ok(text) => reports.push(checked(PATH, text, config)),
        Err(reason) => {
            reports.push(FileReport {
                path: "not-utf8.md".into(),
                diagnostics: Vec::new(),
                error: Some(reason),
                skipped: None,
                fixed: None,
                text: String::new(),
            });
            let lossy = String::from_utf8_lossy(data).into_owned();
            reports.push(checked(PATH, lossy, config));
        }
    }
    check_reporters(&reports);
    for r in reports.iter().filter(|r| r.error.is_none()) {
        timeline_and_actions(r.text(), config);
    }
}

/// Lints as `runner::check_one` does, without its `catch_unwind`: a panic must reach the fuzzer.
fn checked(path: &str, text: String, config: &Config) -> FileReport {
    let diagnostics = crate::lint_source(&text, config);
    let report = FileReport {
        path: path.into(),
        diagnostics,
        error: None,
        skipped: None,
        fixed: None,
        text,
    };
    check_diagnostics(report.text(), &report.diagnostics);
    report
}

fn check_span(text: &str, span: &Range<usize>, what: &str) {
    assert!(
        span.start <= span.end
            && span.end <= text.len()
            && text.is_char_boundary(span.start)
            && text.is_char_boundary(span.end),
        "{what}: span {span:?} is not a range of whole characters in a text of {} bytes",
        text.len()
    );
}

/// Every diagnostic: a known rule at a severity in force, a span of whole characters in the
/// text, 1-based positions that match the span, a message; all sorted by position then code.
fn check_diagnostics(text: &str, diags: &[Diagnostic]) {
    let lines = LineIndex::new(text);
    for (i, d) in diags.iter().enumerate() {
        let what = format!("{} {} ({})", d.code, d.name, d.message);
        assert!(
            rules::find(d.code).is_some_and(|r| r.name == d.name),
            "{what}: unknown rule"
        );
        assert_ne!(d.severity, Severity::Off, "{what}: reported while off");
        assert!(!d.message.trim().is_empty(), "{what}: empty message");
        check_span(text, &d.span, &what);
        assert!(
            d.start.line >= 1 && d.start.column >= 1,
            "{what}: {:?}",
            d.start
        );
        assert!(d.start <= d.end, "{what}: ends before it starts");
        if let Some(s) = &d.suggestion {
            check_span(text, &s.span, &what);
            assert!(s.start <= s.end, "{what}: suggestion ends before it starts");
        }
        if i < POSITIONS_CHECKED {
            assert_eq!(d.start, lines.position(text, d.span.start), "{what}: start");
            assert_eq!(d.end, lines.position(text, d.span.end), "{what}: end");
        }
    }
    assert!(
        diags
            .windows(2)
            .all(|w| (w[0].start, w[0].code) <= (w[1].start, w[1].code)),
        "diagnostics out of order"
    );
}

fn render(reporter: &mut dyn Reporter, reports: &[FileReport], summary: &Summary) -> String {
    let mut out = Vec::new();
    for r in reports {
        reporter.file(&mut out, r).expect("writing to a Vec");
    }
    reporter
        .finish(&mut out, summary)
        .expect("writing to a Vec");
    String::from_utf8(out).expect("reporters write UTF-8")
}

/// No character a terminal would act on: ESC, other C0/C1 controls but tab and line feed,
/// line/paragraph separators and bidirectional overrides.
fn assert_inert(output: &str, format: &str) {
    let bad = output.chars().find(|&c| {
        (c.is_control() && !matches!(c, '\t' | '\n'))
            || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    });
    assert!(bad.is_none(), "{format}: raw {bad:?} in the output");
}

fn check_reporters(reports: &[FileReport]) {
    let mut summary = Summary::default();
    reports.iter().for_each(|r| summary.add(r));
    let diagnostics: usize = reports.iter().map(|r| r.diagnostics.len()).sum();
    let unreadable = reports.iter().filter(|r| r.error.is_some()).count();

    let plain = render(&mut report::Human::plain(), reports, &summary);
    assert_inert(&plain, "human");
    let styled = render(&mut report::Human::default(), reports, &summary);
    assert_eq!(
        anstream::adapter::strip_str(&styled).to_string(),
        plain,
        "human: colour changes more than colour"
    );

    let json = render(&mut report::Json::default(), reports, &summary);
    let value: serde_json::Value = serde_json::from_str(&json).expect("json: valid JSON");
    let files = value["files"].as_array().expect("json: files");
    assert_eq!(files.len(), reports.len(), "json: one entry per file");
    let listed: usize = files
        .iter()
        .map(|f| f["diagnostics"].as_array().map_or(0, Vec::len))
        .sum();
    assert_eq!(listed, diagnostics, "json: every diagnostic");

    let sarif = render(&mut report::Sarif::default(), reports, &summary);
    let value: serde_json::Value = serde_json::from_str(&sarif).expect("sarif: valid JSON");
    let results = value["runs"][0]["results"]
        .as_array()
        .expect("sarif: results");
    for r in results {
        let id = r["ruleId"].as_str().expect("sarif: ruleId");
        assert!(rules::find(id).is_some(), "sarif: unknown rule {id}");
        let region = &r["locations"][0]["physicalLocation"]["region"];
        assert!(
            region["startLine"].as_u64().is_some_and(|l| l >= 1),
            "sarif: {region}"
        );
    }

    let github = render(&mut report::Github, reports, &summary);
    assert_inert(&github, "github");
    for line in github.lines() {
        assert!(
            ["::error ", "::warning ", "::notice "]
                .iter()
                .any(|c| line.starts_with(c)),
            "github: a line that is not a workflow command: {line:?}"
        );
    }
    assert_eq!(
        github.lines().count(),
        diagnostics + unreadable,
        "github: one command per diagnostic or unreadable file"
    );

    for deny in [false, true] {
        let xml = render(&mut report::Junit::new(deny), reports, &summary);
        // XML 1.0's Char production: anything else makes the report unreadable.
        let bad = xml.chars().find(|&c| {
            !matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
        });
        assert!(bad.is_none(), "junit: {bad:?} is not an XML character");
        assert_eq!(
            xml.matches("<testcase ").count(),
            reports.len(),
            "junit: one test case per file"
        );
    }
}

/// `pmlint timeline` in every format and `pmlint actions` in every format, as the CLI runs them.
fn timeline_and_actions(text: &str, config: &Config) {
    let doc = crate::parse::parse(text, &config.kinds);
    let tl = crate::timeline::build(&doc, config);
    assert_eq!(
        tl.outlier.len(),
        tl.entries.len(),
        "an outlier flag per entry"
    );
    for e in &tl.entries {
        check_span(text, &e.span, "timeline entry");
    }
    let report = report::timeline::build(&doc, &tl);
    let entries = report.entries.len();

    let table = report::timeline::table(&report);
    assert_inert(&table, "timeline table");
    assert_eq!(
        table.lines().count(),
        entries + 3 + report.metrics.notes.len(),
        "timeline table: one line per entry"
    );
    let json = serde_json::to_string_pretty(&report).expect("timeline json: serializes");
    let value: serde_json::Value = serde_json::from_str(&json).expect("timeline json: valid");
    assert_eq!(
        value["entries"].as_array().map(Vec::len),
        Some(entries),
        "timeline json: every entry"
    );
    check_csv(&report::timeline::csv(&report), 5, entries, "timeline csv");
    let mermaid = report::timeline::mermaid(&report);
    assert_inert(&mermaid, "mermaid");
    let mut lines = mermaid.lines();
    assert_eq!(lines.next(), Some("timeline"), "mermaid: header");
    assert_eq!(lines.next(), Some("    title Incident timeline"), "mermaid");
    let mut n = 0;
    for line in lines {
        n += 1;
        assert!(
            line.starts_with("    ") && line.matches(" : ").count() == 1 && !line.contains("%%"),
            "mermaid: an entry that is not one `period : event` line: {line:?}"
        );
    }
    assert_eq!(n, entries, "mermaid: one line per entry");

    let actions = crate::actions::extract(&doc, crate::actions::incident_date(&tl));
    for a in &actions.items {
        check_span(text, &a.span, "action item");
    }
    let rows = report::actions::rows(PATH, &doc, &actions);
    let table = report::actions::table(&rows);
    assert_eq!(
        table.lines().count(),
        rows.len() + 2,
        "actions table: one line per item"
    );
    let json = format!("{}\n", serde_json::json!({ "actions": rows }));
    let value: serde_json::Value = serde_json::from_str(&json).expect("actions json: valid");
    assert_eq!(
        value["actions"].as_array().map(Vec::len),
        Some(rows.len()),
        "actions json: every item"
    );
    check_csv(&report::actions::csv(&rows), 8, rows.len(), "actions csv");
}

/// A header and `rows` records of `fields` fields each, none a spreadsheet formula.
fn check_csv(text: &str, fields: usize, rows: usize, what: &str) {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut n = 0;
    for record in reader.records() {
        let record = record.unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(record.len(), fields, "{what}: record {n}: {record:?}");
        for cell in record.iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{what}: a formula cell {cell:?}"
            );
        }
        n += 1;
    }
    assert_eq!(n, rows + 1, "{what}: a header and one record per row");
}

/// Target `time`: the date/time scanner on every line, each expression resolved under every
/// date order with and without context; the duration and relative-time readers; the zone
/// tables on every word.
pub fn time(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let contexts = [
        Context::default(),
        Context {
            date: chrono::NaiveDate::from_ymd_opt(2024, 2, 29),
            year: Some(2024),
            zone: crate::time::zone::abbreviation("PST").map(|z| z.0),
        },
        Context {
            date: chrono::NaiveDate::from_ymd_opt(9999, 12, 31),
            year: Some(9999),
            zone: crate::time::zone::iana("Pacific/Kiritimati"),
        },
    ];
    for line in text.split('\n').chain(std::iter::once(text.as_ref())) {
        for found in crate::time::scan(line) {
            check_span(line, &found.span, "found");
            for stamp in std::iter::once(&found.start).chain(found.end.as_deref()) {
                for span in [
                    &stamp.month_span,
                    &stamp.year_span,
                    &stamp.meridiem_span,
                    &stamp.date_span,
                    &stamp.time_span,
                ]
                .into_iter()
                .flatten()
                {
                    check_span(line, span, "stamp part");
                }
                for order in [
                    DateOrder::MonthFirst,
                    DateOrder::DayFirst,
                    DateOrder::Unsettled,
                ] {
                    for ctx in &contexts {
                        let Ok(r) = resolve::resolve(stamp, order, ctx) else {
                            continue;
                        };
                        let _ = r.at.to_rfc3339();
                        let _ = crate::timeline::short_date(&r.at);
                        for days in [-1, 1, 36_500] {
                            let _ = resolve::add_days(r.at, days);
                        }
                        if let Some(z) = r.zone {
                            let _ = z.label();
                        }
                    }
                }
            }
        }
        for length in crate::timeline::length::lengths(line) {
            check_span(line, &length.span, "length");
        }
        let _ = crate::timeline::length::relative_minutes(line);
        for word in line.split_whitespace().take(1000) {
            let _ = crate::time::zone::abbreviation(word);
            let _ = crate::time::zone::iana(word);
            let _ = crate::time::zone::near_abbreviation(word);
            let _ = crate::time::zone::us_region(word);
            let _ = crate::time::zone::family(word);
        }
    }
}

/// Target `config`: `pmlint.toml` text, optionally followed by a NUL byte and a document
/// (else a built-in one). The configuration is read as `pmlint` reads it, from a file, and
/// the document checked with it through the whole pipeline.
pub fn config(data: &[u8]) {
    let (toml, doc) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], Some(&data[i + 1..])),
        None => (data, None),
    };
    let Ok(dir) = tempfile::tempdir() else {
        return;
    };
    let path = dir.path().join(crate::config_file::FILE_NAMES[0]);
    if std::fs::File::create(&path)
        .and_then(|mut f| f.write_all(toml))
        .is_err()
    {
        return;
    }
    let mut config = Config {
        now: now(),
        ..Config::default()
    };
    if let Err(e) = crate::config_file::apply(&path, &mut config, 0) {
        let text = String::from_utf8_lossy(toml);
        assert!(
            e.line >= 1 && e.column >= 1 && e.line <= LineIndex::new(&text).line_count(),
            "config error outside the file: {e}"
        );
        assert!(
            !e.message.trim().is_empty(),
            "config error without a message"
        );
        return;
    }
    let text = match doc {
        Some(d) => String::from_utf8_lossy(d).into_owned(),
        None => SAMPLE.to_string(),
    };
    let report = checked(PATH, text, &config);
    check_reporters(std::slice::from_ref(&report));
    timeline_and_actions(report.text(), &config);
}

/// A document that reaches most rules, for configurations fuzzed without one.
const SAMPLE: &str = "# Checkout outage, 03/04/2024

Date: 03/04/2024
Start: 14:02 PST
End: 2024-03-04 16:40 UTC
Duration: 2 hours

## Summary
Checkout failed for 2h 38m. TODO

## What we learned
Retries hide outages.

## Timeline
- 14:02 alerts fire
- 13:50 deploy started
- 14:10 detected by on-call
- 25:00 rollback
- 16:40 resolved

## Corrective actions
- [ ] Add a canary (owner: @sam, due: February 30, 2024)
- Fix it by next week
<!-- pmlint-disable-next-line PM202 -->
";

/// Target `suppress`: the suppression comments of a document, applied to synthetic
/// diagnostics (two rules on every line). Checks the one-sweep `suppress::apply` against
/// itself one diagnostic at a time: a diagnostic is kept in the batch exactly when it is kept
/// alone, and a directive is unused in the batch exactly when every diagnostic alone leaves
/// it unused.
pub fn suppress(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let doc = crate::parse::parse(text, &crate::document::KindTable::default());
    let diagnostics = synthetic(&doc);
    let off = ["PM202", "PM402"];
    let unused = |ds: &[Diagnostic]| -> Vec<Range<usize>> {
        unused_of(ds).map(|d| d.span.clone()).collect()
    };
    let all = crate::suppress::apply(&doc, diagnostics.clone(), Severity::Warning, &off);
    check_diagnostics(text, &all);
    for d in unused_of(&all) {
        let comment = doc.slice(&d.span);
        assert!(
            doc.comments.contains(&d.span) && comment.contains("pmlint-"),
            "unused-suppression on something that is not a directive: {comment:?}"
        );
    }
    let kept: Vec<&Diagnostic> = all
        .iter()
        .filter(|d| d.code != crate::suppress::UNUSED.0)
        .collect();
    // One apply per diagnostic: bounded so the check stays cheap.
    if diagnostics.len() > 64 {
        return;
    }
    let mut kept_alone = Vec::new();
    let mut unused_by_all: Option<Vec<Range<usize>>> = None;
    for d in &diagnostics {
        let alone = crate::suppress::apply(&doc, vec![d.clone()], Severity::Warning, &off);
        if alone.contains(d) {
            kept_alone.push(d);
        }
        let u = unused(&alone);
        unused_by_all = Some(match unused_by_all {
            None => u,
            Some(prev) => prev.into_iter().filter(|s| u.contains(s)).collect(),
        });
    }
    assert_eq!(kept, kept_alone, "kept in the batch, not alone (or back)");
    if let Some(expected) = unused_by_all {
        assert_eq!(unused(&all), expected, "unused in the batch, used alone");
    }
}

fn unused_of(ds: &[Diagnostic]) -> impl Iterator<Item = &Diagnostic> {
    ds.iter().filter(|d| d.code == crate::suppress::UNUSED.0)
}

/// Two diagnostics of different rules on each line (at most 2,000 lines), positions resolved
/// and sorted as `lint_source` hands them to `suppress::apply`.
fn synthetic(doc: &Document) -> Vec<Diagnostic> {
    let codes: Vec<&rules::Rule> = RULES
        .iter()
        .copied()
        .filter(|r| r.code != crate::suppress::UNUSED.0)
        .collect();
    let mut out = Vec::new();
    for line in 0..doc.lines.line_count().min(2000) {
        let span = doc.lines.line_range(doc.text, line);
        for k in [line * 7, line * 7 + 3] {
            let r = codes[k % codes.len()];
            let start = doc.lines.position(doc.text, span.start);
            let end = doc.lines.position(doc.text, span.end);
            out.push(Diagnostic {
                code: r.code,
                name: r.name,
                severity: Severity::Warning,
                message: "synthetic".into(),
                span: span.clone(),
                start,
                end,
                suggestion: None,
                more: 0,
            });
        }
    }
    out.sort_by(|a, b| (a.start, a.code).cmp(&(b.start, b.code)));
    out
}

/// Target `server`: bytes as a client's stream to `pmlint server`, after a well-formed
/// `initialize` and `initialized` (so the fuzzer's messages reach the handlers). Whatever the
/// stream holds, the server ends when it does, and everything it wrote is a sequence of
/// frames whose `Content-Length` is exact and whose body is a JSON-RPC 2.0 message.
pub fn server(data: &[u8]) {
    #[derive(Clone, Default)]
    struct Shared(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);
    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            match self.0.lock() {
                Ok(mut v) => v.extend_from_slice(buf),
                Err(_) => return Err(std::io::Error::other("poisoned")),
            }
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let frame = |body: &str| format!("Content-Length: {}\r\n\r\n{body}", body.len());
    let mut stream =
        frame(r#"{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"capabilities":{}}}"#)
            .into_bytes();
    stream.extend(frame(r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#).bytes());
    stream.extend_from_slice(data);
    let out = Shared::default();
    crate::server::serve(std::io::Cursor::new(stream), out.clone());
    let written = out.0.lock().map(|v| v.clone()).unwrap_or_default();
    let mut rest = written.as_slice();
    let mut first = true;
    while !rest.is_empty() {
        let head_end = memchr::memmem::find(rest, b"\r\n\r\n").expect("a frame header");
        let head = std::str::from_utf8(&rest[..head_end]).expect("an ASCII header");
        let len: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("Content-Length: "))
            .and_then(|n| n.trim().parse().ok())
            .expect("a Content-Length");
        let body = rest
            .get(head_end + 4..head_end + 4 + len)
            .expect("as many bytes as the header says");
        let msg: serde_json::Value = serde_json::from_slice(body).expect("a JSON body");
        assert_eq!(msg["jsonrpc"], "2.0", "{msg}");
        // The first reply answers the initialize this stream began with.
        if first {
            assert!(
                msg["id"] == 0 && msg["result"]["capabilities"].is_object(),
                "{msg}"
            );
            first = false;
        }
        rest = &rest[head_end + 4 + len..];
    }
    assert!(!first, "no reply to initialize");
}
