//! `--format sarif`: SARIF 2.1.0, one run, for GitHub code scanning and other SARIF viewers.
//! Results are collected (diagnostics only, not file text) and written at the end.

use std::io::{self, Write};

use serde_json::{Value, json};

use super::{Reporter, Summary};
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{RULES, Rule};
use crate::runner::FileReport;

#[derive(Default)]
pub struct Sarif {
    results: Vec<Value>,
    notifications: Vec<Value>,
}

/// Where a rule's documentation lives: `docs/rules.md`, generated from the rule docs.
pub fn help_uri(rule: &Rule) -> String {
    format!(
        "{}/blob/main/docs/rules.md#{}-{}",
        env!("CARGO_PKG_REPOSITORY"),
        rule.code.to_ascii_lowercase(),
        rule.name
    )
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
        Severity::Off => "none",
    }
}

/// The first paragraph of a rule's "What it does".
pub fn full_description(rule: &Rule) -> String {
    rule.docs
        .split("\n\n")
        .find(|p| !p.starts_with('#'))
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| rule.summary.to_string())
}

fn region(start: crate::source::Position, end: crate::source::Position) -> Value {
    json!({
        "startLine": start.line, "startColumn": start.column,
        "endLine": end.line, "endColumn": end.column,
    })
}

/// A path as a SARIF URI reference: RFC 3986 percent-encoding of everything but unreserved
/// characters and `/`, so `Q3 outage #2.md` is not read as a fragment.
pub fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn result(path: &str, d: &Diagnostic) -> Value {
    let path = uri(path);
    let index = RULES.iter().position(|r| r.code == d.code).unwrap_or(0);
    let mut r = json!({
        "ruleId": d.code,
        "ruleIndex": index,
        "level": level(d.severity),
        "message": {"text": d.message},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": {"uri": path},
                "region": region(d.start, d.end),
            }
        }],
    });
    if let Some(s) = &d.suggestion
        && let Some(replacement) = &s.replacement
    {
        r["fixes"] = json!([{
            "description": {"text": s.message},
            "artifactChanges": [{
                "artifactLocation": {"uri": path},
                "replacements": [{
                    "deletedRegion": region(s.start, s.end),
                    "insertedContent": {"text": replacement},
                }],
            }],
        }]);
    }
    r
}

impl Reporter for Sarif {
    fn file(&mut self, _out: &mut dyn Write, report: &FileReport) -> io::Result<()> {
        if let Some(err) = &report.error {
            self.notifications.push(json!({
                "level": "error",
                "message": {"text": format!("{}: {err}", report.path)},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri(&report.path)}}}],
            }));
        }
        self.results
            .extend(report.diagnostics.iter().map(|d| result(&report.path, d)));
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, _summary: &Summary) -> io::Result<()> {
        let rules: Vec<Value> = RULES
            .iter()
            .map(|r| {
                json!({
                    "id": r.code,
                    "name": r.name,
                    "shortDescription": {"text": r.summary},
                    "fullDescription": {"text": full_description(r)},
                    "helpUri": help_uri(r),
                    "help": {"text": r.docs, "markdown": r.docs},
                    "defaultConfiguration": {"level": level(r.default_severity)},
                })
            })
            .collect();
        let sarif = json!({
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [{
                "tool": {"driver": {
                    "name": "pmlint",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": env!("CARGO_PKG_REPOSITORY"),
                    "rules": rules,
                }},
                // Columns are counted in characters (code points), not UTF-16 units.
                "columnKind": "unicodeCodePoints",
                "invocations": [{
                    "executionSuccessful": self.notifications.is_empty(),
                    "toolExecutionNotifications": std::mem::take(&mut self.notifications),
                }],
                "results": std::mem::take(&mut self.results),
            }],
        });
        serde_json::to_writer(&mut *out, &sarif)?;
        writeln!(out)
    }
}
