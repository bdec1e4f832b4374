//! `--format sarif`: SARIF 2.1.0, one run, for GitHub code scanning and other SARIF viewers.
//! Streamed as the JSON report is: the log's opening (tool and rules) goes out before the
//! first file, each file's results are serialized from borrowed typed structs by the worker
//! that checked it and written as the file's turn comes, and only the notifications for
//! unreadable files (one small entry per file) wait for the end.

use std::borrow::Cow;
use std::io::{self, Write};

use serde::Serialize;

use super::{Render, Reporter, Summary};
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{RULES, Rule};
use crate::runner::FileReport;
use crate::source::Position;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

#[derive(Default)]
pub struct Sarif {
    /// The log's opening and `"results":[` are written.
    started: bool,
    results_written: usize,
    notifications: Vec<Notification<'static>>,
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

#[derive(Serialize)]
struct Text<'a> {
    text: Cow<'a, str>,
}

impl<'a> Text<'a> {
    fn new(text: impl Into<Cow<'a, str>>) -> Self {
        Text { text: text.into() }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'static str,
    information_uri: &'static str,
    rules: Vec<RuleDescriptor<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RuleDescriptor<'a> {
    id: &'a str,
    name: &'a str,
    short_description: Text<'a>,
    full_description: Text<'a>,
    help_uri: String,
    help: Help<'a>,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Help<'a> {
    text: &'a str,
    markdown: &'a str,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    rule_index: usize,
    level: &'static str,
    message: Text<'a>,
    locations: [Location<'a>; 1],
    #[serde(skip_serializing_if = "Option::is_none")]
    fixes: Option<[Fix<'a>; 1]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<Properties>,
}

/// A result's property bag: how many findings a capped rule's last result stands for.
#[derive(Serialize)]
struct Properties {
    more: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    physical_location: PhysicalLocation<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation<'a> {
    artifact_location: ArtifactLocation<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
struct ArtifactLocation<'a> {
    uri: Cow<'a, str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

impl Region {
    fn new(start: Position, end: Position) -> Self {
        Region {
            start_line: start.line,
            start_column: start.column,
            end_line: end.line,
            end_column: end.column,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Fix<'a> {
    description: Text<'a>,
    artifact_changes: [ArtifactChange<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange<'a> {
    artifact_location: ArtifactLocation<'a>,
    replacements: [Replacement<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement<'a> {
    deleted_region: Region,
    inserted_content: Text<'a>,
}

#[derive(Serialize)]
struct Notification<'a> {
    level: &'static str,
    message: Text<'a>,
    locations: [Location<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation<'a> {
    execution_successful: bool,
    tool_execution_notifications: &'a [Notification<'a>],
}

fn result<'a>(uri: &'a str, d: &'a Diagnostic) -> SarifResult<'a> {
    let fixes = d.suggestion.as_ref().and_then(|s| {
        let replacement = s.replacement.as_deref()?;
        Some([Fix {
            description: Text::new(&*s.message),
            artifact_changes: [ArtifactChange {
                artifact_location: ArtifactLocation {
                    uri: Cow::Borrowed(uri),
                },
                replacements: [Replacement {
                    deleted_region: Region::new(s.start, s.end),
                    inserted_content: Text::new(replacement),
                }],
            }],
        }])
    });
    SarifResult {
        rule_id: d.code,
        rule_index: RULES.iter().position(|r| r.code == d.code).unwrap_or(0),
        level: level(d.severity),
        message: Text::new(d.message.as_str()),
        locations: [location(uri, Some(Region::new(d.start, d.end)))],
        fixes,
        properties: (d.more > 0).then_some(Properties { more: d.more }),
    }
}

fn location<'a>(uri: impl Into<Cow<'a, str>>, region: Option<Region>) -> Location<'a> {
    Location {
        physical_location: PhysicalLocation {
            artifact_location: ArtifactLocation { uri: uri.into() },
            region,
        },
    }
}

impl Sarif {
    /// The log up to the opening of the results array: the schema, the tool and its rules.
    fn start(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if self.started {
            return Ok(());
        }
        self.started = true;
        let descriptions: Vec<String> = RULES.iter().map(|r| full_description(r)).collect();
        let tool = Tool {
            driver: Driver {
                name: "pmlint",
                version: env!("CARGO_PKG_VERSION"),
                information_uri: env!("CARGO_PKG_REPOSITORY"),
                rules: RULES
                    .iter()
                    .zip(&descriptions)
                    .map(|(r, full)| RuleDescriptor {
                        id: r.code,
                        name: r.name,
                        short_description: Text::new(r.summary),
                        full_description: Text::new(full.as_str()),
                        help_uri: help_uri(r),
                        help: Help {
                            text: r.docs,
                            markdown: r.docs,
                        },
                        default_configuration: Configuration {
                            level: level(r.default_severity),
                        },
                    })
                    .collect(),
            },
        };
        write!(
            out,
            "{{\"$schema\":{},\"version\":\"2.1.0\",\"runs\":[{{\"tool\":",
            serde_json::to_string(SCHEMA)?
        )?;
        serde_json::to_writer(&mut *out, &tool)?;
        // Columns are counted in characters (code points), not UTF-16 units.
        out.write_all(b",\"columnKind\":\"unicodeCodePoints\",\"results\":[")
    }
}

/// A file's results, comma-separated; [`Sarif::start_file`] puts a comma between files.
struct SarifResults;

impl Render for SarifResults {
    fn diagnostic(
        &self,
        out: &mut dyn Write,
        report: &FileReport,
        index: usize,
        d: &Diagnostic,
    ) -> io::Result<()> {
        if index > 0 {
            out.write_all(b",")?;
        }
        serde_json::to_writer(&mut *out, &result(&uri(&report.path), d))?;
        Ok(())
    }
}

impl Reporter for Sarif {
    fn render(&self) -> Box<dyn Render> {
        Box::new(SarifResults)
    }

    fn start_file(&mut self, out: &mut dyn Write, report: &FileReport) -> io::Result<()> {
        self.start(out)?;
        if let Some(err) = &report.error {
            self.notifications.push(Notification {
                level: "error",
                message: Text::new(format!("{}: {err}", report.path)),
                locations: [location(uri(&report.path), None)],
            });
        }
        if !report.diagnostics.is_empty() {
            if self.results_written > 0 {
                out.write_all(b",")?;
            }
            self.results_written += report.diagnostics.len();
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, _summary: &Summary) -> io::Result<()> {
        self.start(out)?;
        let invocation = Invocation {
            execution_successful: self.notifications.is_empty(),
            tool_execution_notifications: &self.notifications,
        };
        out.write_all(b"],\"invocations\":[")?;
        serde_json::to_writer(&mut *out, &invocation)?;
        out.write_all(b"]}]}\n")
    }
}
