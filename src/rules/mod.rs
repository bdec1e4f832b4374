//! The rule registry. Each rule lives in its own file with its documentation beside it and is
//! a pure function of the [`Document`]: it reads the model and reports through a [`Sink`].
//!
//! Codes are stable and grouped: PM0xx structure, PM2xx timeline, PM3xx consistency,
//! PM4xx action items, PM5xx wording. Never reuse or renumber a code.

mod action_due;
mod action_owner;
mod action_vague;
mod ambiguous_date;
mod blame_language;
mod duplicate_section;
mod duration_mismatch;
mod empty_section;
mod future_date;
mod invalid_date;
mod milestone_order;
mod missing_section;
mod no_action_items;
mod outside_window;
mod placeholder;
mod reference;
mod timeline_fix;
mod timeline_order;
mod timeline_undated;
mod timeline_unreadable;
mod timeline_untimed;
mod timezone;
mod unused_suppression;
mod weekday_mismatch;
mod window_mismatch;
mod window_missing;

use std::ops::Range;

use crate::actions::Actions;
use crate::config::{Config, Profile};
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::Document;
use crate::fix::Applicability;
use crate::source::Position;
use crate::timeline::Timeline;

/// A rule's declaration: identity, default severity, documentation and its check.
pub struct Rule {
    pub code: &'static str,
    pub name: &'static str,
    pub default_severity: Severity,
    /// One line: what it catches.
    pub summary: &'static str,
    /// Markdown: what it catches, why it matters, an example and its fix, options.
    pub docs: &'static str,
    /// How far its fixes (suggestions with a replacement) can be trusted; None: it has none.
    pub fix: Option<Applicability>,
    pub check: fn(&Context, &mut Sink),
}

pub use reference::reference_markdown;

/// Every rule, in code order.
pub static RULES: &[&Rule] = &[
    &missing_section::RULE,
    &empty_section::RULE,
    &duplicate_section::RULE,
    &placeholder::RULE,
    &unused_suppression::RULE,
    &timeline_untimed::RULE,
    &timeline_order::RULE,
    &outside_window::RULE,
    &ambiguous_date::RULE,
    &timezone::RULE,
    &weekday_mismatch::RULE,
    &invalid_date::RULE,
    &future_date::RULE,
    &timeline_undated::RULE,
    &timeline_unreadable::RULE,
    &duration_mismatch::RULE,
    &window_mismatch::RULE,
    &milestone_order::RULE,
    &window_missing::RULE,
    &no_action_items::RULE,
    &action_owner::RULE,
    &action_due::RULE,
    &action_vague::RULE,
    &blame_language::RULE,
];

/// What the `strict` profile changes: owners and due dates become required, and vague
/// actions and blaming language are raised from notes to warnings.
pub const STRICT: &[(&str, Severity)] = &[
    ("PM402", Severity::Error),
    ("PM403", Severity::Error),
    ("PM404", Severity::Warning),
    ("PM501", Severity::Warning),
];

/// A rule's severity in force: an explicit override, else the profile's.
pub fn severity_of(rule: &Rule, config: &Config) -> Severity {
    config
        .severity
        .get(rule.code)
        .copied()
        .unwrap_or_else(|| severity_in_profile(rule, config.profile))
}

/// A rule's severity under a profile, before any explicit override.
pub fn severity_in_profile(rule: &Rule, profile: Profile) -> Severity {
    match profile {
        Profile::Strict => STRICT
            .iter()
            .find(|(code, _)| *code == rule.code)
            .map_or(rule.default_severity, |(_, s)| *s),
        Profile::Default => rule.default_severity,
    }
}

/// Looks a rule up by code (`PM001`) or name (`missing-section`), case-insensitively.
pub fn find(key: &str) -> Option<&'static Rule> {
    RULES
        .iter()
        .copied()
        .find(|r| r.code.eq_ignore_ascii_case(key) || r.name.eq_ignore_ascii_case(key))
}

/// What a rule can read.
pub struct Context<'d, 'a> {
    pub doc: &'d Document<'a>,
    /// The corrective and preventive action items.
    pub actions: &'d Actions,
    /// Every timestamp of the document, resolved (built once, before the rules run).
    pub timeline: &'d Timeline,
    pub config: &'d Config,
}

/// Collects one rule's diagnostics at the severity in force.
pub struct Sink {
    code: &'static str,
    name: &'static str,
    severity: Severity,
    out: Vec<Diagnostic>,
}

impl Sink {
    pub fn report(&mut self, span: Range<usize>, message: impl Into<String>) -> &mut Diagnostic {
        self.out.push(Diagnostic {
            code: self.code,
            name: self.name,
            severity: self.severity,
            message: message.into(),
            span,
            start: Position::default(),
            end: Position::default(),
            suggestion: None,
            more: 0,
        });
        let last = self.out.len() - 1;
        &mut self.out[last]
    }
}

/// Runs every enabled rule over a document.
pub fn run(
    doc: &Document,
    timeline: &Timeline,
    actions: &Actions,
    config: &Config,
) -> Vec<Diagnostic> {
    let ctx = Context {
        doc,
        actions,
        timeline,
        config,
    };
    let mut all = Vec::new();
    for rule in RULES {
        let severity = severity_of(rule, config);
        if severity == Severity::Off {
            continue;
        }
        // Every rule appends to the one list: no second copy of a rule's findings, which on
        // a document with 200,000 of them doubled the peak memory.
        let mut sink = Sink {
            code: rule.code,
            name: rule.name,
            severity,
            out: std::mem::take(&mut all),
        };
        (rule.check)(&ctx, &mut sink);
        all = sink.out;
    }
    all
}

/// Findings of one rule listed per file by default (`--max-per-rule`): past it a document
/// full of one mistake says so once instead of burying the rest of the report.
pub const MAX_PER_RULE: usize = 100;

/// Keeps the first `max` findings of each rule (0: all) and turns the next one into a
/// stand-in at its location: "and N more ... findings", at the rule's severity, counting for
/// all N in totals and the exit code ([`Diagnostic::findings`]). Runs after suppressions, so
/// only findings that would be reported count. Order is kept; two passes, in place.
pub fn cap(mut diagnostics: Vec<Diagnostic>, max: usize) -> Vec<Diagnostic> {
    if max == 0 || diagnostics.len() <= max {
        return diagnostics;
    }
    // (code, findings, seen so far): one entry per rule, so a short list.
    let mut counts: Vec<(&str, usize, usize)> = Vec::new();
    for d in &diagnostics {
        match counts.iter_mut().find(|c| c.0 == d.code) {
            Some(c) => c.1 += 1,
            None => counts.push((d.code, 1, 0)),
        }
    }
    if counts.iter().all(|c| c.1 <= max) {
        return diagnostics;
    }
    diagnostics.retain_mut(|d| {
        let Some(c) = counts.iter_mut().find(|c| c.0 == d.code) else {
            return true;
        };
        c.2 += 1;
        if c.2 == max + 1 {
            let more = c.1 - max;
            d.message = format!(
                "and {more} more {} findings in this file (only the first {max} of each rule are \
                 listed; `--max-per-rule 0` lists all)",
                d.name
            );
            d.suggestion = None;
            d.more = more;
        }
        c.2 <= max + 1
    });
    diagnostics.shrink_to_fit();
    diagnostics
}

/// Texts made of `pieces` in a fixed pseudo-random order, for the tests that compare a rule's
/// quick candidate search with the plain walk it replaced.
#[cfg(test)]
pub(crate) fn random_texts(pieces: &[&str], count: usize, len: usize, seed: u64) -> Vec<String> {
    let mut seed = seed;
    (0..count)
        .map(|_| {
            let mut text = String::new();
            for _ in 0..len {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                text.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
            }
            text
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_are_unique_and_well_formed() {
        let mut seen = std::collections::HashSet::new();
        for r in RULES {
            assert!(seen.insert(r.code), "duplicate code {}", r.code);
            assert!(seen.insert(r.name), "duplicate name {}", r.name);
            assert!(r.code.len() == 5 && r.code.starts_with("PM"), "{}", r.code);
            assert!(
                r.name.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{}",
                r.name
            );
            for heading in ["## What it does", "## Why it matters", "## Example"] {
                assert!(r.docs.contains(heading), "{} docs lack {heading}", r.code);
            }
        }
        assert_eq!(find("pm001").map(|r| r.name), Some("missing-section"));
        assert_eq!(find("placeholder").map(|r| r.code), Some("PM004"));
    }

    fn diag(code: &'static str, name: &'static str, line: usize) -> Diagnostic {
        let at = Position { line, column: 1 };
        let mut d = Diagnostic {
            code,
            name,
            severity: Severity::Warning,
            message: format!("finding on line {line}"),
            span: line..line + 1,
            start: at,
            end: at,
            suggestion: None,
            more: 0,
        };
        d.suggest("fix it", None, line..line + 1);
        d
    }

    #[test]
    fn cap_folds_what_is_past_the_limit_into_one_finding_at_the_next_location() {
        // 250 placeholders with three other findings among them, in position order.
        let mut all: Vec<Diagnostic> = (1..=250).map(|l| diag("PM004", "placeholder", l)).collect();
        for l in [1, 120, 300] {
            all.push(diag("PM001", "missing-section", l));
        }
        all.sort_by_key(|d| (d.start, d.code));
        let capped = cap(all.clone(), 100);
        let todo: Vec<&Diagnostic> = capped.iter().filter(|d| d.code == "PM004").collect();
        assert_eq!(todo.len(), 101);
        assert!(todo[..100].iter().all(|d| d.more == 0 && d.findings() == 1));
        let last = todo[100];
        assert_eq!(
            (last.start.line, last.more, last.findings()),
            (101, 150, 150)
        );
        assert!(
            last.message
                .starts_with("and 150 more placeholder findings in this file"),
            "{}",
            last.message
        );
        assert_eq!(last.severity, Severity::Warning);
        assert!(last.suggestion.is_none());
        // Other rules untouched, order kept, and every finding still counted.
        assert_eq!(capped.iter().filter(|d| d.code == "PM001").count(), 3);
        assert!(capped.windows(2).all(|w| w[0].start <= w[1].start));
        let total: usize = capped.iter().map(Diagnostic::findings).sum();
        assert_eq!(total, all.len());
        // At or under the limit, and with no limit, nothing changes.
        assert_eq!(cap(all.clone(), 250), all);
        assert_eq!(cap(all.clone(), 0), all);
    }
}
