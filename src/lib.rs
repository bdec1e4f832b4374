//! pmlint: validates incident postmortems and checks their timelines.
//!
//! Data flows one way: source text → [`parse`] → [`document::Document`] → [`rules`] →
//! [`Diagnostic`]s → [`report`]. See ARCHITECTURE.md.

pub mod actions;
pub mod config;
pub mod config_file;
pub mod coverage;
pub mod diagnostic;
pub mod document;
#[doc(hidden)]
pub mod fuzzing;
pub mod new;
pub mod parse;
pub mod report;
pub mod rules;
pub mod runner;
pub mod source;
pub mod suppress;
pub mod time;
pub mod timeline;

pub use config::{Config, Profile};
pub use diagnostic::{Diagnostic, Severity, Suggestion};

/// Lints one document's text. Diagnostics come sorted by position, with lines and columns set.
pub fn lint_source(text: &str, config: &Config) -> Vec<Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let doc = parse::parse(text, &config.kinds);
    let timeline = timeline::build(&doc, config);
    let year = timeline
        .window
        .start
        .as_ref()
        .filter(|p| p.dated)
        .map(|p| chrono::Datelike::year(&p.at));
    let actions = actions::extract(&doc, year);
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
    suppress::apply(&doc, diagnostics, unused, &off)
}

/// Fills in 1-based lines and columns for every span, in one pass over the text.
fn resolve_positions(doc: &document::Document, diagnostics: &mut [Diagnostic]) {
    let mut offsets = Vec::with_capacity(diagnostics.len() * 2);
    for d in diagnostics.iter() {
        offsets.push(d.span.start);
        offsets.push(d.span.end);
        if let Some(s) = &d.suggestion {
            offsets.push(s.span.start);
            offsets.push(s.span.end);
        }
    }
    let positions = doc.lines.positions(doc.text, &offsets);
    let mut it = positions.into_iter();
    for d in diagnostics.iter_mut() {
        d.start = it.next().unwrap_or_default();
        d.end = it.next().unwrap_or_default();
        if let Some(s) = &mut d.suggestion {
            s.start = it.next().unwrap_or_default();
            s.end = it.next().unwrap_or_default();
        }
    }
    diagnostics.sort_by(|a, b| (a.start, a.code).cmp(&(b.start, b.code)));
}
