//! `pmlint actions`: the action items of many postmortems, as a table, JSON or CSV.

use std::fmt::Write as _;

use serde::Serialize;

use crate::actions::Actions;
use crate::config_file::Resolver;
use crate::discover::{self, Log, Skip};
use crate::document::Document;
use crate::runner::{self, Input};

#[derive(Serialize)]
pub struct ActionRow {
    pub path: String,
    pub line: usize,
    pub text: String,
    pub owner: Option<String>,
    pub due: Option<String>,
    pub ticket: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub status: String,
}

pub fn rows(path: &str, doc: &Document, actions: &Actions) -> Vec<ActionRow> {
    actions
        .items
        .iter()
        .map(|a| ActionRow {
            path: path.to_string(),
            line: doc.lines.line_of(a.span.start) + 1,
            text: a.text.clone(),
            owner: a.owner.clone(),
            due: a.due.map(|d| d.to_string()).or_else(|| a.due_text.clone()),
            ticket: a.ticket.clone(),
            kind: a.kind.clone(),
            status: a.status.clone(),
        })
        .collect()
}

/// The rows of every input, each read and configured as `check` does; a file a walk found
/// that does not read as a postmortem is skipped (and logged). Inputs that could not be read
/// come back with the reason.
pub fn collect(
    inputs: &[Input],
    resolver: &mut Resolver,
    log: &mut Log,
) -> (Vec<ActionRow>, Vec<(String, String)>) {
    let mut all = Vec::new();
    let mut failed = Vec::new();
    for (i, input) in inputs.iter().enumerate() {
        let path = input.display();
        let (text, config) = match runner::read_configured(input, resolver) {
            Ok(read) => read,
            Err(e) => {
                log.saw(i, &path, None);
                failed.push((path, e));
                continue;
            }
        };
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let doc = crate::parse::parse(text, &config.kinds);
        let tl = crate::timeline::build(&doc, &config);
        if matches!(input, Input::Found(_)) && !discover::reads_as_postmortem(&doc, &tl, &config) {
            log.saw(i, &path, Some(&Skip::Content));
            continue;
        }
        log.saw(i, &path, None);
        let found = crate::actions::extract(&doc, crate::actions::incident_date(&tl));
        all.extend(rows(&path, &doc, &found));
    }
    (all, failed)
}

fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        return s.to_string();
    }
    let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
    t.push('…');
    t
}

pub fn table(rows: &[ActionRow]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<40} {:>5}  {:<50} {:<18} {:<10} {:<10} status",
        "path", "line", "action", "owner", "due", "ticket"
    );
    // A terminal table: control characters from the document are shown, not obeyed.
    let cell = |s: &str, n: usize| clip(&super::visible(s), n);
    for r in rows {
        let _ = writeln!(
            out,
            "{:<40} {:>5}  {:<50} {:<18} {:<10} {:<10} {}",
            cell(&r.path, 40),
            r.line,
            cell(&r.text, 50),
            cell(r.owner.as_deref().unwrap_or("-"), 18),
            cell(r.due.as_deref().unwrap_or("-"), 10),
            cell(r.ticket.as_deref().unwrap_or("-"), 10),
            super::visible(&r.status)
        );
    }
    let _ = writeln!(out, "{} action items", rows.len());
    out
}

pub fn csv(rows: &[ActionRow]) -> String {
    let cell = |s: &Option<String>| s.clone().unwrap_or_default();
    super::csv_table(
        &[
            "path", "line", "text", "owner", "due", "ticket", "type", "status",
        ],
        rows.iter().map(|r| {
            vec![
                r.path.clone(),
                r.line.to_string(),
                r.text.clone(),
                cell(&r.owner),
                cell(&r.due),
                cell(&r.ticket),
                cell(&r.kind),
                r.status.clone(),
            ]
        }),
    )
}
