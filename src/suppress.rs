//! Suppression comments in documents:
//!
//! ```markdown
//! <!-- pmlint-disable timeline-untimed -->  …  <!-- pmlint-enable -->
//! <!-- pmlint-disable-next-line PM202 -->
//! <!-- pmlint-disable-file -->
//! ```
//!
//! Rules are named by code or name; none means all. `disable-next-line` applies to the next
//! non-blank line (formatters such as Prettier put a blank line after a comment). A directive
//! that suppresses nothing is reported as `unused-suppression`.

use std::ops::Range;

use crate::diagnostic::{Diagnostic, Severity};
use crate::document::Document;
use crate::rules;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Disable,
    Enable,
    NextLine,
    File,
}

#[derive(Debug)]
struct Directive {
    kind: Kind,
    /// Rule codes; empty means every rule.
    codes: Vec<&'static str>,
    unknown: Vec<String>,
    span: Range<usize>,
    /// 1-based line of the comment, and for `next-line` the line it applies to.
    line: usize,
    target: usize,
    used: bool,
}

fn parse(doc: &Document) -> Vec<Directive> {
    let mut out = Vec::new();
    for span in &doc.comments {
        let text = doc.slice(span);
        let inner = text
            .trim_start_matches("<!--")
            .trim_end_matches("-->")
            .trim();
        let Some(rest) = inner.strip_prefix("pmlint-") else {
            continue;
        };
        let (word, args) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
        let kind = match word {
            "disable" => Kind::Disable,
            "enable" => Kind::Enable,
            "disable-next-line" => Kind::NextLine,
            "disable-file" => Kind::File,
            _ => continue,
        };
        let mut codes = Vec::new();
        let mut unknown = Vec::new();
        for name in args.split([' ', ',', '\t', '\n']).filter(|n| !n.is_empty()) {
            match rules::find(name) {
                Some(r) => codes.push(r.code),
                None => unknown.push(name.to_string()),
            }
        }
        let line = doc.lines.line_of(span.start) + 1;
        let end_line = doc
            .lines
            .line_of(span.end.saturating_sub(1).max(span.start))
            + 1;
        let target = if kind == Kind::NextLine {
            (end_line..doc.lines.line_count())
                .find(|&l| {
                    !doc.slice(&doc.lines.line_range(doc.text, l))
                        .trim()
                        .is_empty()
                })
                .map_or(0, |l| l + 1)
        } else {
            0
        };
        out.push(Directive {
            kind,
            codes,
            unknown,
            span: span.clone(),
            line,
            target,
            used: false,
        });
    }
    out
}

fn covers(d: &Directive, code: &str) -> bool {
    d.codes.is_empty() || d.codes.contains(&code)
}

/// Removes suppressed diagnostics (positions must be resolved) and adds one
/// `unused-suppression` for each directive that suppressed nothing.
pub fn apply(
    doc: &Document,
    diagnostics: Vec<Diagnostic>,
    unused_severity: Severity,
    off: &[&str],
) -> Vec<Diagnostic> {
    let mut directives = parse(doc);
    if directives.is_empty() {
        return diagnostics;
    }
    // Disable ranges: from a disable to the next enable that covers it.
    let mut ranges: Vec<(usize, usize, usize)> = Vec::new(); // (directive, from line, to line)
    for (i, d) in directives.iter().enumerate() {
        if d.kind != Kind::Disable {
            continue;
        }
        let end = directives[i + 1..]
            .iter()
            .find(|e| {
                e.kind == Kind::Enable
                    && (e.codes.is_empty() || d.codes.iter().any(|c| e.codes.contains(c)))
            })
            .map_or(usize::MAX, |e| e.line);
        ranges.push((i, d.line, end));
    }
    let mut kept = Vec::with_capacity(diagnostics.len());
    for diag in diagnostics {
        let line = diag.start.line;
        let mut hit = None;
        for (i, d) in directives.iter().enumerate() {
            let applies = match d.kind {
                Kind::File => covers(d, diag.code),
                Kind::NextLine => d.target == line && covers(d, diag.code),
                _ => false,
            };
            if applies {
                hit = Some(i);
                break;
            }
        }
        if hit.is_none() {
            hit = ranges
                .iter()
                .find(|(i, from, to)| {
                    line > *from && line < *to && covers(&directives[*i], diag.code)
                })
                .map(|(i, _, _)| *i);
        }
        match hit {
            Some(i) => directives[i].used = true,
            None => kept.push(diag),
        }
    }
    if unused_severity != Severity::Off {
        for d in directives.iter().filter(|d| {
            let only_off = !d.codes.is_empty() && d.codes.iter().all(|c| off.contains(c));
            d.kind != Kind::Enable && ((!d.used && !only_off) || !d.unknown.is_empty())
        }) {
            let text = doc.slice(&d.span).trim().to_string();
            let message = if !d.unknown.is_empty() {
                format!("`{text}` names no known rule: {}", d.unknown.join(", "))
            } else {
                format!("`{text}` suppresses nothing")
            };
            let start = doc.lines.position(doc.text, d.span.start);
            let end = doc.lines.position(doc.text, d.span.end);
            kept.push(Diagnostic {
                code: UNUSED.0,
                name: UNUSED.1,
                severity: unused_severity,
                message,
                span: d.span.clone(),
                start,
                end,
                suggestion: Some(crate::diagnostic::Suggestion {
                    message: "remove the comment, or name the rule it should silence".into(),
                    replacement: Some(String::new()),
                    span: d.span.clone(),
                    start,
                    end,
                }),
            });
        }
        kept.sort_by(|a, b| (a.start, a.code).cmp(&(b.start, b.code)));
    }
    kept
}

/// The rule that reports unused suppressions (its check runs here, after the other rules).
pub const UNUSED: (&str, &str) = ("PM005", "unused-suppression");
