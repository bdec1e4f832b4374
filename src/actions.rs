//! Action items: the corrective and preventive measures a postmortem commits to, each with
//! whatever owner, due date, ticket, type and status it states. Built once from the
//! [`Document`] for the PM4xx rules and `pmlint actions`.

use std::ops::Range;

use chrono::NaiveDate;

use crate::document::{Block, BlockKind, Document, KindId};
use crate::parse::strip_markup;
use crate::timeline::resolve::{Context, DateOrder, resolve};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionItem {
    /// The item's first line (list item, table row or line), in the source.
    pub span: Range<usize>,
    pub text: String,
    pub owner: Option<String>,
    pub due: Option<NaiveDate>,
    /// The due date as written, when it could not be read as a date ("Q3", "next sprint").
    pub due_text: Option<String>,
    pub ticket: Option<String>,
    pub kind: Option<String>,
    /// `open` or `done` (from a task checkbox or a Status column), else `open`.
    pub status: String,
}

/// The measures sections and their items.
#[derive(Debug, Clone, Default)]
pub struct Actions {
    /// Heading spans of the corrective-actions sections (outermost ones).
    pub sections: Vec<Range<usize>>,
    pub items: Vec<ActionItem>,
}

/// Table columns by header name.
#[derive(Debug, Default, Clone, Copy)]
struct Columns {
    action: Option<usize>,
    owner: Option<usize>,
    due: Option<usize>,
    ticket: Option<usize>,
    kind: Option<usize>,
    status: Option<usize>,
}

fn columns(doc: &Document, header: &Block) -> Columns {
    let mut c = Columns::default();
    for (i, cell) in header.cells.iter().enumerate() {
        let h = strip_markup(doc.slice(cell)).0.to_ascii_lowercase();
        let h = h.trim();
        let set = |slot: &mut Option<usize>| {
            slot.get_or_insert(i);
        };
        if ["owner", "assignee", "assigned to", "responsible", "who"]
            .iter()
            .any(|w| h.contains(w))
        {
            set(&mut c.owner);
        } else if ["due", "deadline", "by when", "target date", "date", "when"]
            .iter()
            .any(|w| h.contains(w))
        {
            set(&mut c.due);
        } else if ["ticket", "bug", "issue", "jira", "link", "tracking"]
            .iter()
            .any(|w| h.contains(w))
        {
            set(&mut c.ticket);
        } else if h == "type" || h.contains("category") || h.contains("kind") {
            set(&mut c.kind);
        } else if h.contains("status") || h.contains("state") || h == "done" {
            set(&mut c.status);
        } else if ["action", "item", "task", "measure", "description", "what"]
            .iter()
            .any(|w| h.contains(w))
        {
            set(&mut c.action);
        }
    }
    c
}

/// Extracts the action items of every corrective-actions section.
pub fn extract(doc: &Document, incident_year: Option<i32>) -> Actions {
    let mut out = Actions::default();
    for (i, s) in doc.sections.iter().enumerate() {
        if !s.kinds.contains(KindId::CORRECTIVE_ACTIONS)
            || doc.has_ancestor_of_kind(i, KindId::CORRECTIVE_ACTIONS)
        {
            continue;
        }
        out.sections.push(s.heading_span.clone());
        let blocks = doc.blocks_in(s.body.clone());
        let min_depth = Document::min_list_depth(blocks);
        let mut cols: Option<Columns> = None;
        // Paragraphs count as items only in sections written without lists ("Regards." and
        // closing words after a list are not actions).
        let has_list = blocks.iter().any(|b| {
            matches!(
                b.kind,
                BlockKind::ListItem { .. } | BlockKind::TableRow { .. }
            )
        });
        for b in blocks {
            match b.kind {
                BlockKind::ListItem { depth } if depth == min_depth => {
                    let line = doc.first_line(&b.span);
                    let raw = doc.slice(&line);
                    // "- Tasks:" heads a group; its sub-items are read as items below.
                    if strip_markup(raw).0.trim_end().ends_with(':') && b.span.end > line.end {
                        continue;
                    }
                    out.items.push(item(doc, line, None, incident_year));
                }
                BlockKind::ListItem { depth } if depth == min_depth + 1 => {
                    // Items of a group ("- Tasks:" then indented items).
                    let line = doc.first_line(&b.span);
                    let parent_is_group = out
                        .items
                        .last()
                        .is_none_or(|last| last.span.end < b.span.start);
                    if parent_is_group && group_above(doc, blocks, b) {
                        out.items.push(item(doc, line, None, incident_year));
                    }
                }
                BlockKind::TableRow { header: true } => cols = Some(columns(doc, b)),
                BlockKind::TableRow { header: false } => {
                    if b.cells.iter().all(|c| doc.slice(c).trim().is_empty()) {
                        continue;
                    }
                    let c = cols.unwrap_or_default();
                    out.items
                        .push(item(doc, b.span.clone(), Some((b, c)), incident_year));
                }
                BlockKind::Html => {
                    // `<ol><li>...` lists written in HTML.
                    let line = doc.first_line(&b.span);
                    if doc.slice(&line).contains("<li") {
                        out.items.push(item(doc, line, None, incident_year));
                    }
                }
                BlockKind::Paragraph if !has_list => {
                    // Actions written one per line without bullets: the lines after any intro
                    // each start with a capital and are short; wrapped prose is not a list.
                    let lines: Vec<Range<usize>> = doc.lines_in(&b.span);
                    // "● Implement ..." lines, with wrapped continuation lines between them.
                    let glyph = |l: &Range<usize>| {
                        doc.slice(l)
                            .starts_with(['●', '•', '▪', '◦', '➤', '–', '→'])
                    };
                    if lines.iter().any(glyph) {
                        for l in lines.iter().filter(|l| glyph(l)) {
                            out.items.push(item(doc, l.clone(), None, incident_year));
                        }
                        continue;
                    }
                    let candidates: Vec<&Range<usize>> = lines
                        .iter()
                        .filter(|l| l.len() <= 200 && !doc.slice(l).trim_end().ends_with(':'))
                        .collect();
                    let listy = lines.len() >= 2
                        && candidates.len() >= 2
                        && lines.iter().skip(1).all(|l| starts_like_item(doc.slice(l)));
                    // A lone short line is an item too when its paragraph sits among others
                    // like it ("One action.\n\nAnother action.").
                    let lone = lines.len() == 1
                        && lines[0].len() <= 200
                        && doc.slice(&lines[0]).split_whitespace().count() >= 4
                        && starts_like_item(doc.slice(&lines[0]))
                        && !doc.slice(&lines[0]).trim_end().ends_with(':')
                        && lone_items_around(doc, blocks, b);
                    if listy || lone {
                        for l in candidates {
                            out.items.push(item(doc, l.clone(), None, incident_year));
                        }
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// Does a line start the way a list item does (a capital letter or a digit)?
fn starts_like_item(line: &str) -> bool {
    let t = strip_markup(line).0;
    t.trim_start()
        .starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit())
}

/// Is this one-line paragraph one of several one-line paragraphs in a row?
fn lone_items_around(doc: &Document, blocks: &[Block], b: &Block) -> bool {
    let one_line = |x: &Block| x.kind == BlockKind::Paragraph && !doc.slice(&x.span).contains('\n');
    let i = blocks.partition_point(|x| x.span.start < b.span.start);
    let prev = i
        .checked_sub(1)
        .and_then(|j| blocks.get(j))
        .is_some_and(one_line);
    let next = blocks.get(i + 1).is_some_and(one_line);
    prev || next
}

/// Is the list item `b` under a `- Label:` group item of lower depth?
fn group_above(doc: &Document, blocks: &[Block], b: &Block) -> bool {
    blocks
        .iter()
        .rev()
        .filter(|p| p.span.start < b.span.start && p.span.end >= b.span.end)
        .any(|p| {
            matches!(p.kind, BlockKind::ListItem { .. })
                && strip_markup(doc.slice(&doc.first_line(&p.span)))
                    .0
                    .trim_end()
                    .ends_with(':')
        })
}

/// A ticket reference: `ABC-123`, `#123`, or a URL.
fn ticket_in(text: &str) -> Option<String> {
    for word in
        text.split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | ',' | ';' | '[' | ']'))
    {
        let w = word.trim_end_matches(['.', ':']);
        if w.starts_with("http://") || w.starts_with("https://") {
            return Some(w.to_string());
        }
        if let Some(n) = w.strip_prefix('#')
            && !n.is_empty()
            && n.len() <= 7
            && n.bytes().all(|b| b.is_ascii_digit())
        {
            return Some(w.to_string());
        }
        if let Some((key, num)) = w.split_once('-') {
            let key_ok = (2..=10).contains(&key.len())
                && key
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
                && key.as_bytes()[0].is_ascii_uppercase();
            if key_ok
                && !num.is_empty()
                && num.len() <= 7
                && num.bytes().all(|b| b.is_ascii_digit())
            {
                return Some(w.to_string());
            }
        }
    }
    None
}

/// Reads one item from its text (and its table row, when it is one).
fn item(
    doc: &Document,
    span: Range<usize>,
    row: Option<(&Block, Columns)>,
    year: Option<i32>,
) -> ActionItem {
    let raw = doc.slice(&span);
    let mut status = "open".to_string();
    let trimmed =
        raw.trim_start_matches(['-', '*', '+', ' ', '\t', '●', '•', '▪', '◦', '➤', '–', '→']);
    if trimmed.starts_with("[x]") || trimmed.starts_with("[X]") {
        status = "done".into();
    }
    let cell = |c: Option<usize>| -> Option<String> {
        let (b, _) = row?;
        let text = strip_markup(doc.slice(b.cells.get(c?)?))
            .0
            .trim()
            .to_string();
        (!text.is_empty() && text != "-" && !text.eq_ignore_ascii_case("n/a")).then_some(text)
    };
    let (text, owner_cell, due_cell, ticket_cell, kind_cell, status_cell) = match row {
        Some((b, c)) => {
            let action = c.action.or(Some(0)).filter(|i| *i < b.cells.len());
            (
                cell(action).unwrap_or_default(),
                cell(c.owner),
                cell(c.due),
                cell(c.ticket),
                cell(c.kind),
                cell(c.status),
            )
        }
        None => (
            strip_markup(trimmed).0.trim().to_string(),
            None,
            None,
            None,
            None,
            None,
        ),
    };
    let text = text
        .trim_start_matches("[ ] ")
        .trim_start_matches("[x] ")
        .trim_start_matches("[X] ");
    // "3. Conduct regular load testing": the number is the list's, not the action's.
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let text = match text[digits..]
        .strip_prefix(". ")
        .or_else(|| text[digits..].strip_prefix(") "))
    {
        Some(rest) if digits > 0 && digits <= 3 => rest.trim_start(),
        _ => text,
    }
    .to_string();
    let body = if row.is_some() {
        doc.slice(&span).to_string()
    } else {
        text.clone()
    };
    let owner = owner_cell.or_else(|| owner_in(&body));
    let (due, due_text) = match due_cell {
        Some(d) => (date_in(&d, year), Some(d)),
        None => match due_phrase(&body) {
            Some(d) => (date_in(&d, year), Some(d)),
            None => (None, None),
        },
    };
    let due_text = due_text.filter(|_| due.is_none());
    let ticket = ticket_cell.or_else(|| ticket_in(&body));
    let kind = kind_cell.or_else(|| labelled(&body, &["type"]));
    if let Some(s) = &status_cell {
        let l = s.to_ascii_lowercase();
        status = if [
            "done",
            "closed",
            "complete",
            "completed",
            "fixed",
            "resolved",
            "✅",
        ]
        .iter()
        .any(|w| l.contains(w))
        {
            "done".into()
        } else {
            l
        };
    }
    // The SRE book's action table marks status in bold inside a cell: `b/311403 **DONE**`.
    if status_cell.is_none() && (raw.contains("**DONE**") || raw.contains("**Done**")) {
        status = "done".into();
    }
    ActionItem {
        span,
        text,
        owner,
        due,
        due_text,
        ticket,
        kind,
        status,
    }
}

/// `owner: X`, `(owner: platform team)`, `assigned to X`, `@name`, `(X team)`.
fn owner_in(text: &str) -> Option<String> {
    if let Some(o) = labelled(
        text,
        &["owner", "owners", "assignee", "assigned to", "responsible"],
    ) {
        return Some(o);
    }
    if let Some(at) = text
        .split_whitespace()
        .find(|w| w.starts_with('@') && w.len() > 1)
    {
        return Some(at.trim_end_matches([',', '.', ')', ';']).to_string());
    }
    // "(storefront team)"
    let lower = text.to_ascii_lowercase();
    let mut from = 0;
    while let Some(open) = lower[from..].find('(') {
        let start = from + open + 1;
        let Some(close) = lower[start..].find(')') else {
            break;
        };
        let inner = &text[start..start + close];
        if inner.to_ascii_lowercase().trim_end().ends_with(" team")
            && inner.split_whitespace().count() <= 4
        {
            return Some(inner.trim().to_string());
        }
        from = start + close;
    }
    None
}

/// The value after `label:` (up to `,`, `;` or `)`), for any of the labels.
fn labelled(text: &str, labels: &[&str]) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    for label in labels {
        let mut from = 0;
        while let Some(pos) = lower[from..].find(label) {
            let at = from + pos;
            let before_ok = at == 0 || !lower.as_bytes()[at - 1].is_ascii_alphanumeric();
            let rest = &text[at + label.len()..];
            let rest = rest.trim_start_matches([' ', '*', '_']);
            if before_ok && let Some(v) = rest.strip_prefix(':').or_else(|| rest.strip_prefix('='))
            {
                let v = v.trim_start_matches([' ', '*', '_']);
                let end = v.find([',', ';', ')', '|']).unwrap_or(v.len());
                let v = v[..end].trim().trim_end_matches('.');
                if !v.is_empty() {
                    return Some(v.to_string());
                }
            }
            from = at + label.len();
        }
    }
    None
}

/// `due 2024-04-01`, `due: ...`, `by 2024-04-01`, `deadline: ...`.
/// How far after "by" or "due" a due date is looked for.
const DUE_WINDOW: usize = 64;

fn due_phrase(text: &str) -> Option<String> {
    if let Some(v) = labelled(text, &["due", "deadline", "due date", "target date", "eta"]) {
        return Some(v);
    }
    let lower = text.to_ascii_lowercase();
    for key in ["due ", "by ", "before ", "deadline "] {
        let mut from = 0;
        while let Some(pos) = lower[from..].find(key) {
            let at = from + pos;
            // A date right after the cue is short: reading a bounded window keeps a line with
            // thousands of "by"s linear, and each window is scanned once.
            let rest = &text[at + key.len()..];
            let rest = &rest[..crate::source::floor_char_boundary(rest, DUE_WINDOW)];
            if let Some(f) = crate::time::scan(rest)
                .into_iter()
                .next()
                .filter(|f| f.span.start == 0 && f.start.has_date())
            {
                return Some(rest[f.span.clone()].to_string());
            }
            from = at + key.len();
        }
    }
    None
}

fn date_in(text: &str, year: Option<i32>) -> Option<NaiveDate> {
    let found = crate::time::scan(text)
        .into_iter()
        .find(|f| f.start.has_date())?;
    let ctx = Context {
        year,
        ..Context::default()
    };
    resolve(&found.start, DateOrder::MonthFirst, &ctx)
        .ok()
        .filter(|r| r.dated)
        .map(|r| r.at.date_naive())
}
