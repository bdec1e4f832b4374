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
        let mut sink = Sink {
            code: rule.code,
            name: rule.name,
            severity,
            out: Vec::new(),
        };
        (rule.check)(&ctx, &mut sink);
        all.append(&mut sink.out);
    }
    all
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
}
