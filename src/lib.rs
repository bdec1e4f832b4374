//! pmlint: validates incident postmortems and checks their timelines.
//!
//! Data flows one way: source text → [`parse`] → [`document::Document`] → [`rules`] →
//! [`Diagnostic`]s → [`report`]. See ARCHITECTURE.md.

pub mod actions;
pub mod config;
pub mod config_file;
pub mod coverage;
pub mod diagnostic;
pub mod discover;
pub mod document;
pub mod fix;
#[doc(hidden)]
pub mod fuzzing;
pub mod new;
pub mod parse;
pub mod report;
pub mod rules;
pub mod runner;
pub mod server;
pub mod source;
pub mod stats;
pub mod suppress;
pub mod time;
pub mod timeline;
mod warmup;

pub use config::{Config, Profile};
pub use diagnostic::{Diagnostic, Severity, Suggestion};

/// Lints one document's text. Diagnostics come sorted by position, with lines and columns set.
pub fn lint_source(text: &str, config: &Config) -> Vec<Diagnostic> {
    lint_if(text, config, |_, _| true).unwrap_or_default()
}

/// As [`lint_source`], unless `wanted`, shown the parsed document and its timeline, says the
/// document is not one to check (a walk skips what does not read as a postmortem).
pub fn lint_if(
    text: &str,
    config: &Config,
    wanted: impl FnOnce(&document::Document, &timeline::Timeline) -> bool,
) -> Option<Vec<Diagnostic>> {
    lint_inspect(text, config, wanted, |_, _, _| ())
}

/// As [`lint_if`], showing `inspect` the models the rules read (`pmlint stats` takes its
/// figures from them, so each document is parsed once).
pub fn lint_inspect(
    text: &str,
    config: &Config,
    wanted: impl FnOnce(&document::Document, &timeline::Timeline) -> bool,
    inspect: impl FnOnce(&document::Document, &timeline::Timeline, &actions::Actions),
) -> Option<Vec<Diagnostic>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let doc = parse::parse(text, &config.kinds);
    let timeline = timeline::build(&doc, config);
    if !wanted(&doc, &timeline) {
        return None;
    }
    let actions = actions::extract(&doc, actions::incident_date(&timeline));
    inspect(&doc, &timeline, &actions);
    let mut diagnostics = rules::run(&doc, &timeline, &actions, config);
    resolve_positions(&doc, &mut diagnostics);
    let unused =
        rules::find(suppress::UNUSED.0).map_or(Severity::Off, |r| rules::severity_of(r, config));
    // A suppression of a rule that is off in this run is not unused: it matters elsewhere.
    let off: Vec<&str> = rules::RULES
        .iter()
        .filter(|r| rules::severity_of(r, config) == Severity::Off)
        .map(|r| r.code)
        .collect();
    let kept = suppress::apply(&doc, diagnostics, unused, &off);
    // Capped here, once, so every output format and the totals see the same findings.
    Some(rules::cap(kept, config.max_per_rule))
}

/// Fills in 1-based lines and columns for every span, in one pass over the text, then sorts.
/// Offsets are visited through a list of indices (four per diagnostic: its span, then its
/// suggestion's, or the span again) and positions written in place: no copies of the offsets
/// or the positions, which for 200,000 findings would be 20 MB more at the peak.
fn resolve_positions(doc: &document::Document, diagnostics: &mut [Diagnostic]) {
    fn offset(d: &Diagnostic, k: usize) -> usize {
        let s = d.suggestion.as_ref().map_or(&d.span, |s| &s.span);
        match k {
            0 => d.span.start,
            1 => d.span.end,
            2 => s.start,
            _ => s.end,
        }
    }
    let mut order: Vec<usize> = (0..diagnostics.len().saturating_mul(4)).collect();
    // Equal offsets get equal positions, so their order does not matter.
    order.sort_unstable_by_key(|&i| offset(&diagnostics[i / 4], i % 4));
    let mut sweep = doc.lines.sweep(doc.text);
    for i in order {
        let d = &mut diagnostics[i / 4];
        let at = sweep.position(offset(d, i % 4));
        match (i % 4, &mut d.suggestion) {
            (0, _) => d.start = at,
            (1, _) => d.end = at,
            (2, Some(s)) => s.start = at,
            (3, Some(s)) => s.end = at,
            _ => {}
        }
    }
    sort_by_position(diagnostics);
}

/// Sorts by position then code, stably, without the half-length scratch copy a stable sort
/// of the diagnostics themselves takes (about 20 MB for 200,000 findings): the indices are
/// sorted, then the diagnostics are moved into place along the permutation's cycles.
fn sort_by_position(diagnostics: &mut [Diagnostic]) {
    let mut order: Vec<usize> = (0..diagnostics.len()).collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (&diagnostics[a], &diagnostics[b]);
        (a.start, a.code).cmp(&(b.start, b.code))
    });
    // order[k] is the index of the diagnostic that belongs at k; usize::MAX marks k done.
    for first in 0..order.len() {
        let mut k = first;
        while order[k] != usize::MAX {
            let from = order[k];
            order[k] = usize::MAX;
            if from == first {
                break;
            }
            diagnostics.swap(k, from);
            k = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Position;

    #[test]
    fn sorting_by_position_is_stable() {
        let at = |line, i: usize| Diagnostic {
            code: if i.is_multiple_of(3) {
                "PM004"
            } else {
                "PM001"
            },
            name: "x",
            severity: Severity::Warning,
            message: i.to_string(),
            span: 0..0,
            start: Position { line, column: 1 },
            end: Position { line, column: 1 },
            suggestion: None,
            more: 0,
        };
        // Lines in a scrambled order, with many ties in line and code.
        let mut diags: Vec<Diagnostic> = (0..500).map(|i| at((i * 37) % 11, i)).collect();
        let mut expected = diags.clone();
        expected.sort_by(|a, b| (a.start, a.code).cmp(&(b.start, b.code)));
        sort_by_position(&mut diags);
        assert_eq!(diags, expected);
    }
}
