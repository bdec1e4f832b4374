//! The fix engine. A diagnostic whose suggestion has a replacement is a fix, as far to be
//! trusted as its rule says ([`crate::rules::Rule::fix`]). `check --fix` / `--diff` and the
//! language server's code actions all go through here.
//!
//! Fixes are applied in passes: the allowed fixes that do not overlap, in text order, then the
//! text is checked again (a fix can clear the way for another, or offer a new one), until none
//! is left or [`MAX_PASSES`] ran.

pub mod write;

use std::ops::Range;

use serde::Serialize;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::rules;

/// How far a fix can be trusted, as ruff says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Cannot change what the document says: removing a suppression comment that silences
    /// nothing, adding a missing section's heading, spelling a zone as a zone.
    Safe,
    /// A guess at what the author meant: a date, AM/PM, a length, a time's punctuation.
    Unsafe,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        }
    }

    /// Whether a run that applies unsafe fixes (or not) applies this one.
    pub fn allowed(self, unsafe_fixes: bool) -> bool {
        self == Applicability::Safe || unsafe_fixes
    }
}

/// One fix: replace `span` (bytes of the BOM-stripped text) with `replacement`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix<'d> {
    pub code: &'static str,
    pub applicability: Applicability,
    pub span: Range<usize>,
    pub replacement: &'d str,
}

/// The fix a diagnostic carries, if its suggestion is an edit and its rule says how safe it is.
pub fn fix_of(d: &Diagnostic) -> Option<Fix<'_>> {
    let s = d.suggestion.as_ref()?;
    let replacement = s.replacement.as_deref()?;
    let applicability = rules::find(d.code)?.fix?;
    Some(Fix {
        code: d.code,
        applicability,
        span: s.span.clone(),
        replacement,
    })
}

/// The fixes one pass applies: the allowed ones that fit `text` (in range, on character
/// boundaries), in text order, each starting at or after the end of the one taken before it
/// (so insertions at one point all go in, in order). The same edit offered twice is one.
pub fn select<'d>(text: &str, diagnostics: &'d [Diagnostic], unsafe_fixes: bool) -> Vec<Fix<'d>> {
    let fits = |r: &Range<usize>| {
        r.start <= r.end && text.is_char_boundary(r.start) && text.is_char_boundary(r.end)
    };
    let mut fixes: Vec<Fix<'d>> = diagnostics
        .iter()
        .filter_map(fix_of)
        .filter(|f| f.applicability.allowed(unsafe_fixes) && fits(&f.span))
        .collect();
    // Stable: equal spans keep the diagnostics' order.
    fixes.sort_by_key(|f| (f.span.start, f.span.end));
    fixes.dedup_by(|b, a| a.span == b.span && a.replacement == b.replacement);
    let mut end = 0;
    fixes.retain(|f| {
        let fits = f.span.start >= end;
        if fits {
            end = f.span.end;
        }
        fits
    });
    fixes
}

/// The line ending a text uses: CRLF when its first line ends so, else LF. Inserted lines
/// are written with it, so a CRLF file stays CRLF.
pub fn line_ending(text: &str) -> &'static str {
    match memchr::memchr(b'\n', text.as_bytes()) {
        Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

/// `text` with `fixes` (from [`select`]: sorted, not overlapping) applied; line breaks in the
/// replacements are written in the text's own line ending.
pub fn apply(text: &str, fixes: &[Fix]) -> String {
    let eol = line_ending(text);
    let extra: usize = fixes.iter().map(|f| f.replacement.len() * 2).sum();
    let mut out = String::with_capacity(text.len().saturating_add(extra));
    let mut at = 0;
    for f in fixes {
        let (Some(before), true) = (text.get(at..f.span.start), f.span.end <= text.len()) else {
            continue;
        };
        out.push_str(before);
        if eol == "\n" {
            out.push_str(f.replacement);
        } else {
            for (i, line) in f.replacement.split('\n').enumerate() {
                if i > 0 {
                    out.push_str(eol);
                }
                out.push_str(line.strip_suffix('\r').unwrap_or(line));
            }
        }
        at = f.span.end;
    }
    out.push_str(text.get(at..).unwrap_or_default());
    out
}

/// A check pass can always find something new to fix; past this many passes, the rest is
/// reported instead.
pub const MAX_PASSES: usize = 10;

/// What fixing a document left.
#[derive(Debug)]
pub struct Fixed {
    /// The fixed text, with the BOM the original had.
    pub text: String,
    /// How many fixes went in, over every pass.
    pub applied: usize,
    /// The findings on the fixed text.
    pub diagnostics: Vec<Diagnostic>,
}

/// Checks `text`, applies its allowed fixes and checks again, until none is left.
/// `diagnostics` are the findings on `text` when the caller has them already.
pub fn fix_source(
    text: &str,
    config: &Config,
    unsafe_fixes: bool,
    diagnostics: Option<Vec<Diagnostic>>,
) -> Fixed {
    let (bom, body) = match text.strip_prefix('\u{feff}') {
        Some(rest) => ("\u{feff}", rest),
        None => ("", text),
    };
    let mut current = body.to_string();
    let mut diagnostics = diagnostics.unwrap_or_else(|| crate::lint_source(body, config));
    let mut applied = 0;
    // Past the per-rule cap the findings are folded into one without a fix: the passes see
    // them all, and the report is capped again at the end.
    let mut uncapped: Option<Config> = None;
    for _ in 0..MAX_PASSES {
        if diagnostics.iter().any(|d| d.more > 0) {
            let all = uncapped.get_or_insert_with(|| Config {
                max_per_rule: 0,
                ..config.clone()
            });
            diagnostics = crate::lint_source(&current, all);
        }
        let fixes = select(&current, &diagnostics, unsafe_fixes);
        if fixes.is_empty() {
            break;
        }
        let next = apply(&current, &fixes);
        if next == current {
            break;
        }
        applied += fixes.len();
        current = next;
        diagnostics = crate::lint_source(&current, uncapped.as_ref().unwrap_or(config));
    }
    Fixed {
        text: format!("{bom}{current}"),
        applied,
        diagnostics: rules::cap(diagnostics, config.max_per_rule),
    }
}

/// A unified diff of `old` → `new` for the file `name` (`--- a/NAME`, `+++ b/NAME`, three
/// lines of context), empty when they are equal.
pub fn unified_diff(old: &str, new: &str, name: &str) -> String {
    if old == new {
        return String::new();
    }
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;
    use crate::source::Position;

    fn diag(code: &'static str, span: Range<usize>, replacement: &str) -> Diagnostic {
        let mut d = Diagnostic {
            code,
            name: "x",
            severity: Severity::Error,
            message: String::new(),
            span: span.clone(),
            start: Position::default(),
            end: Position::default(),
            suggestion: None,
            more: 0,
        };
        d.suggest("m", Some(replacement.to_string()), span);
        d
    }

    #[test]
    fn overlapping_fixes_wait_for_the_next_pass_and_unsafe_ones_for_the_flag() {
        let text = "0123456789";
        // PM202 is unsafe, PM205 safe.
        let all = [
            diag("PM205", 2..5, "a"),
            diag("PM205", 4..6, "b"), // overlaps the first
            diag("PM205", 6..6, "c"), // an insertion right after the first's end... of 4..6
            diag("PM202", 8..9, "d"),
        ];
        let safe = select(text, &all, false);
        assert_eq!(
            safe.iter().map(|f| f.replacement).collect::<Vec<_>>(),
            ["a", "c"]
        );
        assert_eq!(apply(text, &safe), "01a5c6789");
        let every = select(text, &all, true);
        assert_eq!(apply(text, &every), "01a5c67d9");
        // A span out of range or inside a character is never applied.
        let odd = [diag("PM205", 1..2, "x"), diag("PM205", 0..99, "y")];
        assert!(select("é", &odd, true).is_empty());
    }

    #[test]
    fn inserted_lines_take_the_texts_line_ending() {
        let crlf = "a\r\nb\r\n";
        let fixes = [Fix {
            code: "PM001",
            applicability: Applicability::Safe,
            span: 6..6,
            replacement: "\n## Timeline\n\n",
        }];
        assert_eq!(apply(crlf, &fixes), "a\r\nb\r\n\r\n## Timeline\r\n\r\n");
        assert_eq!(
            apply(
                "a\nb\n",
                &[Fix {
                    span: 4..4,
                    ..fixes[0].clone()
                }]
            ),
            "a\nb\n\n## Timeline\n\n"
        );
    }

    #[test]
    fn fixes_past_the_per_rule_cap_are_applied_too() {
        // 150 unused suppressions, each alone on its line: more than MAX_PER_RULE.
        let text = format!(
            "# T\n\n{}Text.\n",
            "<!-- pmlint-disable PM999 -->\n".repeat(150)
        );
        let fixed = fix_source(&text, &Config::default(), false, None);
        // The safe fixes also add the six missing sections' headings.
        assert_eq!(fixed.applied, 156);
        assert!(
            fixed.text.starts_with("# T\n\nText.\n\n## "),
            "{}",
            fixed.text
        );
        assert!(fixed.diagnostics.iter().all(|d| d.code != "PM005"));
    }

    #[test]
    fn the_seeds_june_10_is_an_unsafe_fix_to_may_10() {
        let seed = include_str!("../../fixtures/seed/webstack-outage.txt");
        let diags = crate::lint_source(seed, &Config::default());
        let may = diags
            .iter()
            .find(|d| d.message.contains("June 10"))
            .and_then(fix_of);
        let may = may.map(|f| (f.applicability, f.replacement));
        assert_eq!(may, Some((Applicability::Unsafe, "May")));
    }

    #[test]
    fn every_rule_that_offers_a_replacement_says_how_safe_it_is() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let dirs = ["fixtures/rules", "fixtures/reviewer", "fixtures/fixes"].map(|d| root.join(d));
        let mut offered = std::collections::BTreeSet::new();
        let entries = dirs
            .iter()
            .flat_map(|d| std::fs::read_dir(d).expect("fixtures"));
        for entry in entries {
            let text = std::fs::read_to_string(entry.expect("entry").path()).expect("fixture");
            for d in crate::lint_source(&text, &Config::default()) {
                if d.suggestion
                    .as_ref()
                    .is_some_and(|s| s.replacement.is_some())
                {
                    assert!(
                        fix_of(&d).is_some(),
                        "{} offers an edit with no applicability",
                        d.code
                    );
                    offered.insert(d.code);
                }
            }
        }
        // The fixtures show every kind of fix there is.
        let declared: std::collections::BTreeSet<&str> = rules::RULES
            .iter()
            .filter(|r| r.fix.is_some())
            .map(|r| r.code)
            .collect();
        assert_eq!(offered, declared);
    }
}
