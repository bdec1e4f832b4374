//! What the server answers about an open document: code actions, hover, the outline and
//! inlay hints. Each reads the document afresh; none changes it (code actions return edits).

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset, Utc};
use lsp_types as lsp;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::fix::{self, Applicability};
use crate::timeline::{self, Timeline};
use crate::{parse, rules};

use super::convert::{self, Encoding, OpenDocument};

/// The kind of the "fix all safe problems" action, as ruff names its own.
pub const FIX_ALL: &str = "source.fixAll.pmlint";

/// One request's view of a document: its text, how the client counts and where it lives.
pub struct View<'a> {
    pub doc: &'a OpenDocument,
    pub uri: &'a lsp::Uri,
    pub enc: Encoding,
    pub config: &'a Config,
}

impl View<'_> {
    /// The text pmlint's spans are offsets into: without its BOM.
    fn body(&self) -> &str {
        &self.doc.text[self.doc.bom()..]
    }

    fn range(&self, span: &std::ops::Range<usize>) -> lsp::Range {
        let bom = self.doc.bom();
        self.doc
            .range(&(span.start + bom..span.end + bom), self.enc)
    }

    /// A position as an offset into [`Self::body`].
    fn body_offset(&self, pos: lsp::Position) -> usize {
        self.doc
            .offset(pos, self.enc)
            .saturating_sub(self.doc.bom())
    }

    fn edit(&self, edits: Vec<lsp::TextEdit>) -> lsp::WorkspaceEdit {
        lsp::WorkspaceEdit {
            changes: Some(HashMap::from([(self.uri.clone(), edits)])),
            ..Default::default()
        }
    }
}

/// Whether an action of `kind` is wanted by a request that asked `only` for some kinds
/// (`source` includes `source.fixAll.pmlint`).
fn wanted(kind: &str, only: Option<&[lsp::CodeActionKind]>) -> bool {
    only.is_none_or(|only| {
        only.iter().any(|o| {
            let o = o.as_str();
            kind == o || kind.strip_prefix(o).is_some_and(|r| r.starts_with('.'))
        })
    })
}

/// The code actions for the diagnostics touching `range`: each fix as a quick fix (safe ones
/// preferred), a suppression comment per rule and line, and one edit fixing every safe problem.
pub fn code_actions(
    view: &View,
    diags: &[Diagnostic],
    range: lsp::Range,
    only: Option<&[lsp::CodeActionKind]>,
) -> Vec<lsp::CodeActionOrCommand> {
    let (a, b) = (view.body_offset(range.start), view.body_offset(range.end));
    let (a, b) = (a.min(b), a.max(b));
    let touching: Vec<&Diagnostic> = diags
        .iter()
        .filter(|d| d.span.start <= b && d.span.end >= a)
        .collect();
    let lsp_diags = convert::diagnostics(
        view.doc,
        &touching.iter().map(|d| (*d).clone()).collect::<Vec<_>>(),
        view.uri,
        view.enc,
    );
    let eol = view.doc.line_ending();
    let mut out = Vec::new();
    if wanted(lsp::CodeActionKind::QUICKFIX.as_str(), only) {
        for (d, ld) in touching.iter().zip(&lsp_diags) {
            let Some(f) = fix::fix_of(d) else { continue };
            let new_text = if eol == "\n" {
                f.replacement.to_string()
            } else {
                f.replacement.replace('\n', eol)
            };
            out.push(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                title: fix_title(view.body(), d, &f),
                kind: Some(lsp::CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![ld.clone()]),
                edit: Some(view.edit(vec![lsp::TextEdit::new(view.range(&f.span), new_text)])),
                is_preferred: Some(f.applicability == Applicability::Safe),
                ..Default::default()
            }));
        }
        let mut seen = Vec::new();
        for (d, ld) in touching.iter().zip(&lsp_diags) {
            let line = view.doc.lines.line_of(d.span.start + view.doc.bom());
            if seen.contains(&(d.code, line)) {
                continue;
            }
            seen.push((d.code, line));
            out.push(lsp::CodeActionOrCommand::CodeAction(disable_for_line(
                view, d.code, line, eol, ld,
            )));
        }
    }
    if wanted(FIX_ALL, only) {
        let fixed = fix::fix_source(&view.doc.text, view.config, false, Some(diags.to_vec()));
        if fixed.applied > 0 && fixed.text != view.doc.text {
            let whole = view.doc.range(&(0..view.doc.text.len()), view.enc);
            out.push(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                title: format!(
                    "Fix all safe problems ({} fix{})",
                    fixed.applied,
                    if fixed.applied == 1 { "" } else { "es" }
                ),
                kind: Some(lsp::CodeActionKind::new(FIX_ALL)),
                edit: Some(view.edit(vec![lsp::TextEdit::new(whole, fixed.text)])),
                ..Default::default()
            }));
        }
    }
    out
}

/// "Replace `June` with `May` (PM203, unsafe)" for a short one-line edit, else the
/// suggestion's own words.
fn fix_title(body: &str, d: &Diagnostic, f: &fix::Fix) -> String {
    let old = body.get(f.span.clone()).unwrap_or_default();
    let short = |s: &str| !s.contains(['\n', '\r']) && s.chars().count() <= 40;
    let what = if short(old) && short(f.replacement) && !old.is_empty() {
        if f.replacement.is_empty() {
            format!("Remove `{old}`")
        } else {
            format!("Replace `{old}` with `{}`", f.replacement)
        }
    } else {
        let message = d.suggestion.as_ref().map_or("", |s| &s.message);
        let mut m = message.chars();
        m.next()
            .map(|c| c.to_uppercase().chain(m).collect())
            .unwrap_or_else(|| "Apply the fix".to_string())
    };
    format!("{what} ({}, {})", d.code, f.applicability.as_str())
}

/// Inserts `<!-- pmlint-disable-next-line CODE -->` above the diagnostic's line, indented as
/// it is, in the document's line ending.
fn disable_for_line(
    view: &View,
    code: &str,
    line: usize,
    eol: &str,
    diagnostic: &lsp::Diagnostic,
) -> lsp::CodeAction {
    let span = view.doc.lines.line_range(&view.doc.text, line);
    let text = &view.doc.text[span.clone()];
    // The BOM is not indentation.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let indent: String = text
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    let at = view.doc.position(span.start, view.enc);
    let at = if span.start == 0 {
        view.doc.position(view.doc.bom(), view.enc)
    } else {
        at
    };
    lsp::CodeAction {
        title: format!("Disable {code} for this line"),
        kind: Some(lsp::CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![diagnostic.clone()]),
        edit: Some(view.edit(vec![lsp::TextEdit::new(
            lsp::Range::new(at, at),
            format!("{indent}<!-- pmlint-disable-next-line {code} -->{eol}"),
        )])),
        ..Default::default()
    }
}

/// "+47 min", "-5 min", "+2 h 05 min", "+1 d 3 h 00 min".
pub fn offset_label(minutes: i64) -> String {
    let sign = if minutes < 0 { '-' } else { '+' };
    let m = minutes.unsigned_abs();
    match (m / 1440, m % 1440 / 60, m % 60) {
        (0, 0, min) => format!("{sign}{min} min"),
        (0, h, min) => format!("{sign}{h} h {min:02} min"),
        (d, h, min) => format!("{sign}{d} d {h} h {min:02} min"),
    }
}

/// The incident's start, as `pmlint timeline` measures offsets from it.
fn incident_start(tl: &Timeline) -> Option<DateTime<FixedOffset>> {
    timeline::milestones(tl)[0].1
}

/// Hover: on a timeline stamp, the instant it resolved to and how; on a diagnostic, the
/// rule's documentation.
pub fn hover(view: &View, diags: &[Diagnostic], pos: lsp::Position) -> Option<lsp::Hover> {
    let at = view.body_offset(pos);
    let body = view.body();
    let doc = parse::parse(body, &view.config.kinds);
    let tl = timeline::build(&doc, view.config);
    let mut parts = Vec::new();
    let mut range = None;
    for e in &tl.entries {
        let Some(stated) = tl.entry_stamp(e) else {
            continue;
        };
        let span = &stated.found.span;
        if !(span.start <= at && at < span.end) {
            continue;
        }
        range = Some(view.range(span));
        parts.push(stamp_hover(body, &tl, e, stated));
        break;
    }
    let mut codes: Vec<&str> = Vec::new();
    for d in diags
        .iter()
        .filter(|d| d.span.start <= at && at <= d.span.end)
    {
        if codes.contains(&d.code) {
            continue;
        }
        codes.push(d.code);
        if let Some(rule) = rules::find(d.code) {
            parts.push(format!(
                "### {} {}\n\n{}",
                rule.code,
                rule.name,
                rule.docs.trim()
            ));
            range.get_or_insert_with(|| view.range(&d.span));
        }
    }
    if parts.is_empty() {
        return None;
    }
    Some(lsp::Hover {
        contents: lsp::HoverContents::Markup(lsp::MarkupContent {
            kind: lsp::MarkupKind::Markdown,
            value: parts.join("\n\n---\n\n"),
        }),
        range,
    })
}

fn stamp_hover(
    body: &str,
    tl: &Timeline,
    e: &timeline::Entry,
    stated: &timeline::Stated,
) -> String {
    let written = body.get(stated.found.span.clone()).unwrap_or_default();
    let mut out = format!("**`{written}`**");
    let Some(at) = e.at else {
        let why = stated
            .invalid
            .as_deref()
            .unwrap_or("it could not be placed in time");
        out.push_str(&format!("\n\nnot resolved: {why}"));
        return out;
    };
    out.push_str(&format!(
        "\n\n- {}\n- {}",
        at.format("%a %Y-%m-%d %H:%M (UTC%:z)"),
        at.with_timezone(&Utc).format("%a %Y-%m-%d %H:%M UTC")
    ));
    if let Some(start) = incident_start(tl) {
        out.push_str(&format!(
            "\n- {} from the incident start ({})",
            offset_label((at - start).num_minutes()),
            start.format("%Y-%m-%d %H:%M UTC%:z")
        ));
    }
    if let Some(r) = stated.resolved {
        let date = if r.explicit_date {
            "written in the stamp"
        } else if r.dated {
            "from its context (an entry above, a day heading or the incident's date)"
        } else {
            "unknown: only the time of day is ordered"
        };
        let zone = if stated.found.start.zone.is_some() {
            "written in the stamp"
        } else if r.zone.is_some() {
            "the document's (a field, a heading or pmlint.toml)"
        } else {
            "none stated"
        };
        out.push_str(&format!("\n- date: {date}\n- zone: {zone}"));
    }
    if e.rolled {
        out.push_str("\n- moved to the next day: the times of day went past midnight");
    }
    out
}

/// The section outline: each section under the one it belongs to, its kinds as the detail.
#[allow(deprecated)] // `DocumentSymbol::deprecated` must be set, though deprecated itself.
pub fn symbols(view: &View) -> Vec<lsp::DocumentSymbol> {
    let body = view.body();
    let doc = parse::parse(body, &view.config.kinds);
    let mut nodes: Vec<Option<lsp::DocumentSymbol>> = doc
        .sections
        .iter()
        .map(|s| {
            let kinds: Vec<&str> = s.kinds.iter().map(|k| view.config.kinds.name(k)).collect();
            let name = s.title.trim();
            let end = s.body.end.max(s.heading_span.end);
            Some(lsp::DocumentSymbol {
                name: if name.is_empty() {
                    "(untitled)".into()
                } else {
                    name.into()
                },
                detail: (!kinds.is_empty()).then(|| kinds.join(", ")),
                kind: lsp::SymbolKind::STRING,
                tags: None,
                deprecated: None,
                range: view.range(&(s.heading_span.start..end)),
                selection_range: view.range(&s.heading_span),
                children: None,
            })
        })
        .collect();
    // Children come after their parent: attach from the last back, no recursion.
    let mut roots = Vec::new();
    for i in (0..nodes.len()).rev() {
        let Some(mut node) = nodes[i].take() else {
            continue;
        };
        if let Some(children) = &mut node.children {
            children.reverse();
        }
        match doc.sections[i].parent.filter(|&p| p < i) {
            Some(p) => {
                if let Some(parent) = nodes[p].as_mut() {
                    parent.children.get_or_insert_with(Vec::new).push(node);
                }
            }
            None => roots.push(node),
        }
    }
    roots.reverse();
    roots
}

/// `+47 min` after each timed timeline entry's stamp within `range`.
pub fn inlay_hints(view: &View, range: lsp::Range) -> Vec<lsp::InlayHint> {
    let (a, b) = (view.body_offset(range.start), view.body_offset(range.end));
    let body = view.body();
    let doc = parse::parse(body, &view.config.kinds);
    let tl = timeline::build(&doc, view.config);
    let Some(start) = incident_start(&tl) else {
        return Vec::new();
    };
    tl.entries
        .iter()
        .filter_map(|e| {
            let at = e.at?;
            let span = &tl.entry_stamp(e)?.found.span;
            (span.end >= a && span.end <= b).then(|| lsp::InlayHint {
                position: view.range(&(span.end..span.end)).start,
                label: lsp::InlayHintLabel::String(offset_label((at - start).num_minutes())),
                kind: None,
                text_edits: None,
                tooltip: None,
                padding_left: Some(true),
                padding_right: Some(true),
                data: None,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED: &str = include_str!("../../fixtures/seed/webstack-outage.txt");

    fn uri() -> lsp::Uri {
        "file:///tmp/seed.txt".parse().unwrap()
    }

    fn apply(text: &str, edit: &lsp::WorkspaceEdit, enc: Encoding) -> String {
        let mut doc = OpenDocument::new(text.to_string(), 0);
        let mut edits = edit.changes.as_ref().unwrap()[&uri()].clone();
        edits.sort_by_key(|e| std::cmp::Reverse(e.range.start));
        for e in edits {
            doc.apply(
                &lsp::TextDocumentContentChangeEvent {
                    range: Some(e.range),
                    range_length: None,
                    text: e.new_text,
                },
                enc,
            );
        }
        doc.text
    }

    /// The code actions for `range` (of `only` those kinds) in `text`, opened under the
    /// default configuration with UTF-16 positions.
    fn actions_in(
        text: &str,
        range: lsp::Range,
        only: Option<&[lsp::CodeActionKind]>,
    ) -> Vec<lsp::CodeActionOrCommand> {
        let config = Config::default();
        let doc = OpenDocument::new(text.to_string(), 0);
        let u = uri();
        let view = View {
            doc: &doc,
            uri: &u,
            enc: Encoding::Utf16,
            config: &config,
        };
        let diags = crate::lint_source(text, &config);
        code_actions(&view, &diags, range, only)
    }

    fn actions(text: &str, line: u32) -> Vec<lsp::CodeAction> {
        let at = lsp::Position::new(line, 5);
        actions_in(text, lsp::Range::new(at, at), None)
            .into_iter()
            .map(|a| match a {
                lsp::CodeActionOrCommand::CodeAction(a) => a,
                lsp::CodeActionOrCommand::Command(_) => unreachable!(),
            })
            .collect()
    }

    #[test]
    fn the_disable_comment_silences_that_line_and_only_it() {
        // CRLF, so the inserted line must end in CRLF too.
        let crlf = SEED.replace('\n', "\r\n");
        let acts = actions(&crlf, 10);
        let disable = acts
            .iter()
            .find(|a| a.title == "Disable PM203 for this line")
            .unwrap();
        let fixed = apply(&crlf, disable.edit.as_ref().unwrap(), Encoding::Utf16);
        assert!(fixed.contains("\r\n<!-- pmlint-disable-next-line PM203 -->\r\n- June 10"));
        let before = crate::lint_source(&crlf, &Config::default());
        let after = crate::lint_source(&fixed, &Config::default());
        assert!(before.iter().any(|d| d.code == "PM203"));
        assert!(!after.iter().any(|d| d.code == "PM203"), "{after:#?}");
        // Every other finding stays (one line further down).
        assert_eq!(after.len(), before.len() - 1);
        // A line without findings offers nothing.
        assert!(actions(&crlf, 1).is_empty());
    }

    #[test]
    fn the_may_fix_is_a_quick_fix_but_not_a_safe_one() {
        let acts = actions(SEED, 10);
        let fix = acts
            .iter()
            .find(|a| a.title.starts_with("Replace `June` with `May`"))
            .unwrap();
        assert_eq!(fix.is_preferred, Some(false));
        let fixed = apply(SEED, fix.edit.as_ref().unwrap(), Encoding::Utf8);
        assert!(fixed.contains("\n- May 10, 2023, 10:00 AM: The issue"));
        // Unsafe: not part of "fix all safe problems".
        assert!(
            !acts
                .iter()
                .any(|a| a.kind.as_ref().map(|k| k.as_str()) == Some(FIX_ALL))
        );
    }

    #[test]
    fn fix_all_applies_the_safe_fixes_as_check_fix_does() {
        // An unused suppression (removed) and missing sections (added): both safe.
        let config = Config::default();
        let text = "# Outage\n\n<!-- pmlint-disable-next-line PM202 -->\nSummary: x\n";
        let fix_all = |text: &str| {
            let only = [lsp::CodeActionKind::SOURCE];
            actions_in(text, lsp::Range::default(), Some(&only))
        };
        let all = fix_all(text);
        assert_eq!(all.len(), 1);
        let lsp::CodeActionOrCommand::CodeAction(a) = &all[0] else {
            unreachable!()
        };
        let fixed = apply(text, a.edit.as_ref().unwrap(), Encoding::Utf16);
        assert_eq!(fixed, fix::fix_source(text, &config, false, None).text);
        assert!(!fixed.contains("pmlint-disable"));
        // Nothing safe left to fix: no action.
        assert!(fix_all(&fixed).is_empty());
    }

    #[test]
    fn offsets_read_as_people_say_them() {
        assert_eq!(offset_label(47), "+47 min");
        assert_eq!(offset_label(-5), "-5 min");
        assert_eq!(offset_label(125), "+2 h 05 min");
        assert_eq!(offset_label(1440 + 60), "+1 d 1 h 00 min");
    }
}
