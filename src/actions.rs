//! Action items: the corrective and preventive measures a postmortem commits to, each with
//! whatever owner, due date, ticket, type and status it states. Built once from the
//! [`Document`] for the PM4xx rules and `pmlint actions`.

use std::borrow::Cow;
use std::ops::Range;

use chrono::{Datelike, NaiveDate};

use crate::document::{Block, BlockKind, Document, KindId};
use crate::parse::strip_markup;
use crate::time::{Found, Stamp};
use crate::timeline::Timeline;
use crate::timeline::resolve::{Context, DateOrder, resolve};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionItem {
    /// The item's first line (list item, table row or line), in the source. `Owner:`,
    /// `Deadline:` ... lines under it add to the item but not to its span.
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

/// The incident's start date, which due dates are read against: what `action-due` compares
/// them with.
pub fn incident_date(timeline: &Timeline) -> Option<NaiveDate> {
    timeline
        .window
        .start
        .as_ref()
        .filter(|p| p.dated)
        .map(|p| p.at.date_naive())
}

/// Extracts the action items of every corrective-actions section. `incident` (the incident's
/// start date) places due dates written without a year.
pub fn extract(doc: &Document, incident: Option<NaiveDate>) -> Actions {
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
        // The item that `Owner:` / `Deadline:` lines right after it belong to.
        let mut open: Option<usize> = None;
        // The current top-level list item: its span, whether it heads a group ("- Tasks:"),
        // and the item it is. Tracked here so nested items need no search for their parent.
        let mut parent: Option<(Range<usize>, bool, Option<usize>)> = None;
        for (bi, b) in blocks.iter().enumerate() {
            let carry = open.take();
            match b.kind {
                BlockKind::ListItem { depth } if depth == min_depth => {
                    let line = doc.first_line(&b.span);
                    let raw = doc.slice(&line);
                    // "- Tasks:" heads a group; its sub-items are read as items below.
                    if strip_markup(raw).0.trim_end().ends_with(':') && b.span.end > line.end {
                        parent = Some((b.span.clone(), true, None));
                        continue;
                    }
                    let at = list_item(doc, blocks, bi, carry, &mut out.items, incident);
                    parent = Some((b.span.clone(), false, Some(at)));
                    open = Some(at);
                }
                BlockKind::ListItem { depth } if depth == min_depth + 1 => {
                    let inside = parent
                        .as_ref()
                        .filter(|(p, _, _)| p.start < b.span.start && p.end >= b.span.end);
                    match inside {
                        // Items of a group ("- Tasks:" then indented items).
                        Some((_, true, _)) => {
                            let at = list_item(doc, blocks, bi, carry, &mut out.items, incident);
                            open = Some(at);
                        }
                        // "  - Owner: @sec" under an item is that item's owner; other
                        // sub-items are its details.
                        Some((_, false, Some(k))) => {
                            let line = doc.first_line(&b.span);
                            if is_attribute_line(doc.slice(&line))
                                && let Some(it) = out.items.get_mut(*k)
                            {
                                attach(doc, it, &line, incident);
                            }
                            open = carry;
                        }
                        _ => {}
                    }
                }
                // Details of details do not part an item from its `Deadline:` bullet.
                BlockKind::ListItem { .. } => open = carry,
                BlockKind::TableRow { header: true } => cols = Some(columns(doc, b)),
                BlockKind::TableRow { header: false } => {
                    if b.cells.iter().all(|c| doc.slice(c).trim().is_empty()) {
                        continue;
                    }
                    let c = cols.unwrap_or_default();
                    out.items
                        .push(item(doc, b.span.clone(), Some((b, c)), incident));
                }
                BlockKind::Html => {
                    // `<ol><li>...` lists written in HTML.
                    let line = doc.first_line(&b.span);
                    if doc.slice(&line).contains("<li") {
                        out.items.push(item(doc, line, None, incident));
                    }
                }
                BlockKind::Paragraph => {
                    let lines: Vec<Range<usize>> = doc.lines_in(&b.span).collect();
                    let attr: Vec<bool> = lines
                        .iter()
                        .map(|l| is_attribute_line(doc.slice(l)))
                        .collect();
                    // A paragraph of only `Owner:` / `Deadline:` lines continues the item
                    // above it.
                    if let Some(k) = carry
                        && attr.iter().all(|a| *a)
                    {
                        if let Some(it) = out.items.get_mut(k) {
                            for l in &lines {
                                attach(doc, it, l, incident);
                            }
                        }
                        open = Some(k);
                        continue;
                    }
                    if has_list {
                        continue;
                    }
                    // Actions written one per line without bullets: the lines after any intro
                    // each start with a capital and are short; wrapped prose is not a list.
                    // "● Implement ..." lines, with wrapped continuation lines between them.
                    let glyph = |l: &Range<usize>| {
                        doc.slice(l)
                            .starts_with(['●', '•', '▪', '◦', '➤', '–', '→'])
                    };
                    if lines.iter().any(glyph) {
                        open = lines_as_items(
                            doc,
                            &lines,
                            &attr,
                            glyph,
                            carry,
                            &mut out.items,
                            incident,
                        );
                        continue;
                    }
                    let candidate = |l: &Range<usize>| {
                        l.len() <= 200 && !doc.slice(l).trim_end().ends_with(':')
                    };
                    let listy = lines.len() >= 2
                        && lines.iter().filter(|l| candidate(l)).count() >= 2
                        && lines
                            .iter()
                            .zip(&attr)
                            .skip(1)
                            .all(|(l, a)| *a || starts_like_item(doc.slice(l)));
                    // A lone short line is an item too when its paragraph sits among others
                    // like it ("One action.\n\nAnother action.").
                    let lone = lines.len() == 1
                        && lines[0].len() <= 200
                        && doc.slice(&lines[0]).split_whitespace().count() >= 4
                        && starts_like_item(doc.slice(&lines[0]))
                        && !doc.slice(&lines[0]).trim_end().ends_with(':')
                        && lone_items_around(doc, blocks, b);
                    if listy || lone {
                        open = lines_as_items(
                            doc,
                            &lines,
                            &attr,
                            candidate,
                            carry,
                            &mut out.items,
                            incident,
                        );
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// Reads a list item (or, when it is only an `Owner:` / `Deadline:` line, adds it to the
/// item `carry` before it), then its own continuation lines that are such labels. Returns
/// the item's index.
fn list_item(
    doc: &Document,
    blocks: &[Block],
    bi: usize,
    carry: Option<usize>,
    items: &mut Vec<ActionItem>,
    incident: Option<NaiveDate>,
) -> usize {
    let Some(b) = blocks.get(bi) else {
        return items.len().saturating_sub(1);
    };
    let line = doc.first_line(&b.span);
    let at = match carry {
        Some(k) if k < items.len() && is_attribute_line(doc.slice(&line)) => {
            attach(doc, &mut items[k], &line, incident);
            k
        }
        _ => {
            items.push(item(doc, line.clone(), None, incident));
            items.len() - 1
        }
    };
    // The item's own lines end where its first nested block starts.
    let own_end = blocks
        .get(bi + 1)
        .map_or(b.span.end, |n| n.span.start.clamp(line.end, b.span.end));
    for l in doc.lines_in(&(line.end..own_end)) {
        if is_attribute_line(doc.slice(&l)) {
            attach(doc, &mut items[at], &l, incident);
        }
    }
    at
}

/// Lines of a paragraph as items: those `is_item` accepts start one, unless they are
/// `Owner:` / `Deadline:` lines that follow an item (or the paragraph continues `carry`).
/// Returns the last item, for the lines after the paragraph.
fn lines_as_items(
    doc: &Document,
    lines: &[Range<usize>],
    attr: &[bool],
    is_item: impl Fn(&Range<usize>) -> bool,
    carry: Option<usize>,
    items: &mut Vec<ActionItem>,
    incident: Option<NaiveDate>,
) -> Option<usize> {
    let mut cur = carry.filter(|k| *k < items.len());
    for (l, a) in lines.iter().zip(attr) {
        match cur {
            Some(k) if *a => attach(doc, &mut items[k], l, incident),
            _ if is_item(l) => {
                items.push(item(doc, l.clone(), None, incident));
                cur = Some(items.len() - 1);
            }
            _ => {}
        }
    }
    cur
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

/// A ticket reference: `ABC-123`, `#123`, or a URL.
fn ticket_in(text: &str) -> Option<String> {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        // Every form starts with `h`, `#` or a capital: only words starting so are cut out.
        // Those bytes are ASCII, so `i` is on a character boundary when one matches.
        let c = b[i];
        let starts = (c == b'h' || c == b'#' || c.is_ascii_uppercase())
            && text[..i].chars().next_back().is_none_or(ticket_separator);
        if !starts {
            i += 1;
            continue;
        }
        let end = text[i..]
            .find(ticket_separator)
            .map_or(text.len(), |n| i + n);
        if let Some(t) = ticket_word(&text[i..end]) {
            return Some(t.to_string());
        }
        i = end.max(i + 1);
    }
    None
}

/// What separates the words a ticket is looked for in.
fn ticket_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, '(' | ')' | ',' | ';' | '[' | ']')
}

/// The ticket a word is, if it is one (trailing `.` and `:` are not part of it).
fn ticket_word(word: &str) -> Option<&str> {
    let w = word.trim_end_matches(['.', ':']);
    if w.starts_with("http://") || w.starts_with("https://") {
        return Some(w);
    }
    if let Some(n) = w.strip_prefix('#')
        && !n.is_empty()
        && n.len() <= 7
        && n.bytes().all(|b| b.is_ascii_digit())
    {
        return Some(w);
    }
    let (key, num) = w.split_once('-')?;
    let key_ok = (2..=10).contains(&key.len())
        && key
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        && key.as_bytes()[0].is_ascii_uppercase();
    (key_ok && !num.is_empty() && num.len() <= 7 && num.bytes().all(|b| b.is_ascii_digit()))
        .then_some(w)
}

/// Reads one item from its text (and its table row, when it is one).
fn item(
    doc: &Document,
    span: Range<usize>,
    row: Option<(&Block, Columns)>,
    incident: Option<NaiveDate>,
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
        let text = strip_markup(doc.slice(b.cells.get(c?)?)).0;
        let text = text.trim();
        (!text.is_empty() && text != "-" && !text.eq_ignore_ascii_case("n/a"))
            .then(|| text.to_string())
    };
    let (text, owner_cell, due_cell, ticket_cell, kind_cell, status_cell) = match row {
        Some((b, c)) => {
            let action = c.action.or(Some(0)).filter(|i| *i < b.cells.len());
            (
                Cow::Owned(cell(action).unwrap_or_default()),
                cell(c.owner),
                cell(c.due),
                cell(c.ticket),
                cell(c.kind),
                cell(c.status),
            )
        }
        None => (strip_markup(trimmed).0, None, None, None, None, None),
    };
    let text = text
        .trim()
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
        doc.slice(&span)
    } else {
        text.as_str()
    };
    let owner = owner_cell.or_else(|| owner_in(body));
    let (due, due_text) = match due_cell {
        Some(d) => (date_in(&d, incident), Some(d)),
        None => due_in(body, incident),
    };
    let due_text = due_text.filter(|_| due.is_none());
    let ticket = ticket_cell.or_else(|| ticket_in(body));
    let kind = kind_cell.or_else(|| labelled(body, &["type"]));
    if let Some(s) = &status_cell {
        status = status_of(s);
    }
    // The SRE book's action table marks status in bold inside a cell: `b/311403 **DONE**`.
    if status_cell.is_none()
        && memchr::memchr(b'*', raw.as_bytes()).is_some()
        && (raw.contains("**DONE**") || raw.contains("**Done**"))
    {
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

/// A status as written, `done` for the words that mean it.
fn status_of(s: &str) -> String {
    let l = s.to_ascii_lowercase();
    let done = [
        "done",
        "closed",
        "complete",
        "completed",
        "fixed",
        "resolved",
        "✅",
    ];
    if done.iter().any(|w| l.contains(w)) {
        "done".into()
    } else {
        l
    }
}

/// Labels of lines that add to the action item above them instead of starting one: a
/// `Task:` line and its `Deadline:` line are one item.
const ATTRIBUTE_LABELS: &[&str] = &[
    "owner",
    "owners",
    "assignee",
    "assigned to",
    "responsible",
    "due",
    "due date",
    "deadline",
    "target date",
    "eta",
    "ticket",
    "tickets",
    "jira",
    "tracking",
    "status",
    "type",
    "priority",
];

const TICKET_LABELS: &[&str] = &["ticket", "tickets", "jira", "tracking"];

/// Is this an `Owner: ...` / `Deadline: ...` line (bulleted, bold or plain)?
fn is_attribute_line(line: &str) -> bool {
    // A label is short: only the line's head is read.
    let head = &line[..crate::source::floor_char_boundary(line, 64)];
    let t = strip_markup(head).0;
    let t = t.trim_start_matches([
        '-', '*', '+', '_', ' ', '\t', '●', '•', '▪', '◦', '➤', '–', '→',
    ]);
    let Some((label, _)) = t.split_once(':') else {
        return false;
    };
    let label = label.trim_end_matches(['*', '_', ' ']);
    ATTRIBUTE_LABELS
        .iter()
        .any(|l| l.eq_ignore_ascii_case(label))
}

/// Adds what an `Owner:` / `Deadline:` line states to its item, where the item has not
/// stated it already.
fn attach(doc: &Document, it: &mut ActionItem, line: &Range<usize>, incident: Option<NaiveDate>) {
    let text = strip_markup(doc.slice(line)).0;
    if it.owner.is_none() {
        it.owner = owner_in(&text);
    }
    if it.due.is_none() && it.due_text.is_none() {
        let (due, due_text) = due_in(&text, incident);
        it.due_text = due_text.filter(|_| due.is_none());
        it.due = due;
    }
    if it.ticket.is_none() {
        it.ticket = ticket_in(&text).or_else(|| labelled(&text, TICKET_LABELS));
    }
    if it.kind.is_none() {
        it.kind = labelled(&text, &["type"]);
    }
    if let Some(s) = labelled(&text, &["status"]) {
        it.status = status_of(&s);
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
    if memchr::memchr(b'@', text.as_bytes()).is_some()
        && let Some(at) = text
            .split_whitespace()
            .find(|w| w.starts_with('@') && w.len() > 1)
    {
        return Some(at.trim_end_matches([',', '.', ')', ';']).to_string());
    }
    // "(storefront team)"
    let mut from = 0;
    while let Some(open) = text[from..].find('(') {
        let start = from + open + 1;
        let Some(close) = text[start..].find(')') else {
            break;
        };
        let inner = &text[start..start + close];
        let tail = inner.trim_end().as_bytes();
        if tail.len() >= 5
            && tail[tail.len() - 5..].eq_ignore_ascii_case(b" team")
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
    labelled_at(text, labels).map(|r| text[r].to_string())
}

/// Where the value after `label:` is in `text` (see [`labelled`]). An earlier label of the
/// list wins over a later one. One pass over the colons, each checked against every label.
fn labelled_at(text: &str, labels: &[&str]) -> Option<Range<usize>> {
    let mut best: Option<(usize, Range<usize>)> = None;
    for at in memchr::memchr2_iter(b':', b'=', text.as_bytes()) {
        let before = text[..at].trim_end_matches([' ', '*', '_']).as_bytes();
        let Some(rank) = labels.iter().position(|l| ends_with_word(before, l)) else {
            continue;
        };
        if best.as_ref().is_some_and(|(r, _)| *r <= rank) {
            continue;
        }
        let v = text[at + 1..].trim_start_matches([' ', '*', '_']);
        let end = v.find([',', ';', ')', '|']).unwrap_or(v.len());
        let value = v[..end].trim().trim_end_matches('.');
        if !value.is_empty() {
            // `v` is a suffix of `text`, so its offset is what precedes it.
            let start = text.len() - v.len() + (v.len() - v.trim_start().len());
            best = Some((rank, start..start + value.len()));
            if rank == 0 {
                break;
            }
        }
    }
    best.map(|(_, r)| r)
}

/// Does `b` end with `word` (ASCII, any case), with no letter or digit right before it?
fn ends_with_word(b: &[u8], word: &str) -> bool {
    let n = word.len();
    b.len() >= n
        && b[b.len() - n..].eq_ignore_ascii_case(word.as_bytes())
        && (b.len() == n || !b[b.len() - n - 1].is_ascii_alphanumeric())
}

/// Labels whose value is the due date: `due: ...`, `(deadline: ...)`.
const DUE_LABELS: &[&str] = &["due", "deadline", "due date", "target date", "eta"];

/// Words a due date follows: `due 2024-05-01`, `by May 1`, `before June 3, 2025`. A date
/// after an earlier word of the list wins over one after a later word.
const DUE_CUES: &[&str] = &[
    "due",
    "due date",
    "deadline",
    "target date",
    "eta",
    "by",
    "before",
];

/// The due date of an item's text, and the due date as written (`Q3`, `next sprint`). The
/// text is scanned for dates once; each date found is then judged by the words right before
/// it, so a line with thousands of "by"s stays linear.
fn due_in(text: &str, incident: Option<NaiveDate>) -> (Option<NaiveDate>, Option<String>) {
    let label = labelled_at(text, DUE_LABELS);
    let found = crate::time::scan(text);
    let mut best: Option<(usize, &Found)> = None;
    for f in found.iter().filter(|f| f.start.has_date()) {
        // A date in a `due:` value, whatever follows it there: `due: February 1, 2025`.
        let rank = if label.as_ref().is_some_and(|v| v.contains(&f.span.start)) {
            Some(0)
        } else {
            cue_before(&text[..f.span.start]).map(|r| r + 1)
        };
        if let Some(r) = rank
            && best.is_none_or(|(b, _)| r < b)
        {
            best = Some((r, f));
        }
    }
    if let Some((_, f)) = best {
        let written = text.get(f.span.clone()).unwrap_or_default().to_string();
        return (due_date(&f.start, incident), Some(written));
    }
    match label {
        Some(v) => {
            // The scan reads a long line's head only; a `due:` further on is read on its own,
            // past its comma (`due: February 1, 2025`).
            let from = &text[v.start..];
            match crate::time::scan(from)
                .into_iter()
                .find(|f| f.start.has_date() && f.span.start < v.len())
            {
                Some(f) => (
                    due_date(&f.start, incident),
                    from.get(f.span.clone()).map(str::to_string),
                ),
                None => (None, Some(text[v].to_string())),
            }
        }
        None => (None, None),
    }
}

/// The rank (index in [`DUE_CUES`]) of the cue word `before` ends with, if any.
fn cue_before(before: &str) -> Option<usize> {
    let b = before
        .trim_end_matches([' ', '\t', ':', '=', '*', '_'])
        .as_bytes();
    DUE_CUES.iter().position(|cue| ends_with_word(b, cue))
}

/// A due date as a date. A stated year always stands; a date without one is the first such
/// date on or after the incident ("Jan 10" in a December 2023 postmortem is 2024-01-10).
fn due_date(stamp: &Stamp, incident: Option<NaiveDate>) -> Option<NaiveDate> {
    // Without a year in the context, a month and day are checked against a leap year.
    let r = resolve(stamp, DateOrder::MonthFirst, &Context::default()).ok()?;
    if stamp.year.is_some() {
        return r.dated.then(|| r.at.date_naive());
    }
    let start = incident?;
    stamp.month.and(stamp.day)?;
    let (month, day) = (r.at.month(), r.at.day());
    // February 29 comes back within eight years.
    (0..=8)
        .filter_map(|k| start.year().checked_add(k))
        .filter_map(|y| NaiveDate::from_ymd_opt(y, month, day))
        .find(|d| *d >= start)
}

/// The first date in a due cell or value.
fn date_in(text: &str, incident: Option<NaiveDate>) -> Option<NaiveDate> {
    let found = crate::time::scan(text)
        .into_iter()
        .find(|f| f.start.has_date())?;
    due_date(&found.start, incident)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    fn due(text: &str) -> (Option<NaiveDate>, Option<String>) {
        due_in(text, date(2023, 12, 5))
    }

    #[test]
    fn a_stated_year_wins_over_the_incident() {
        assert_eq!(due("(due: February 1, 2025)").0, date(2025, 2, 1));
        assert_eq!(due("deadline: Jan 10, 2024").0, date(2024, 1, 10));
        assert_eq!(due("**Due:** 1 March 2022").0, date(2022, 3, 1));
        assert_eq!(due("by 2023-01-02").0, date(2023, 1, 2));
    }

    #[test]
    fn a_date_without_a_year_is_the_next_one_after_the_incident() {
        assert_eq!(due("due: Jan 10").0, date(2024, 1, 10));
        assert_eq!(due("by Dec 5").0, date(2023, 12, 5));
        assert_eq!(due("by Dec 4").0, date(2024, 12, 4));
        // The next February 29 after a December 2023 incident is in 2024; after 2096, 2104.
        assert_eq!(due("due Feb 29").0, date(2024, 2, 29));
        assert_eq!(due_in("due Feb 29", date(2096, 3, 1)).0, date(2104, 2, 29));
        // Without an incident date there is nothing to place it with: the text is kept.
        assert_eq!(due_in("due: Jan 10", None), (None, Some("Jan 10".into())));
    }

    #[test]
    fn a_date_counts_only_right_after_a_cue() {
        assert_eq!(due("overdue 2024-01-01 tickets"), (None, None));
        assert_eq!(due("Migrate the 2024-01-01 backups"), (None, None));
        assert_eq!(due("a standby 2024-01-01 plan"), (None, None));
        assert_eq!(
            due("Move data from before Jan 2023 by Mar 1, 2024").0,
            date(2024, 3, 1)
        );
        assert_eq!(
            due("by May 1, 2024 (due: June 1, 2024)").0,
            date(2024, 6, 1)
        );
        assert_eq!(
            due("Roll out the fix (due: next sprint)"),
            (None, Some("next sprint".into()))
        );
    }

    #[test]
    fn a_due_label_past_the_scanned_head_is_still_read() {
        let text = format!("{} (due: February 1, 2025)", "word ".repeat(2000));
        assert_eq!(due(&text).0, date(2025, 2, 1));
    }

    #[test]
    fn attribute_lines() {
        for yes in [
            "Deadline: Jan 10",
            "- Owner: @sre",
            "**Due date:** 2024-01-01",
            "  Ticket: SRE-1",
            "Status: done",
        ] {
            assert!(is_attribute_line(yes), "{yes}");
        }
        for no in [
            "Task: add alerts",
            "Status page: post a banner",
            "Owner review of runbooks",
            "Add a deadline: for every ticket",
        ] {
            assert!(!is_attribute_line(no), "{no}");
        }
        assert!(is_attribute_line("OWNER: @sre"));
    }

    #[test]
    fn tickets_and_owners_in_item_text() {
        let t = |s: &str| ticket_in(s);
        assert_eq!(t("Add alerts (OPS-2143)").as_deref(), Some("OPS-2143"));
        assert_eq!(
            t("see https://x.test/1.").as_deref(),
            Some("https://x.test/1")
        );
        assert_eq!(t("fixed in #123, done").as_deref(), Some("#123"));
        assert_eq!(t("ops-2143 and a-1 and http-2"), None);
        // Words start after any separator, Unicode spaces too, and never inside a word.
        assert_eq!(t("x\u{2003}OPS-7;").as_deref(), Some("OPS-7"));
        assert_eq!(t("xOPS-7 yhttps://a").as_deref(), None);
        assert_eq!(t("(#12)[AB-1]").as_deref(), Some("#12"));
        assert_eq!(t("é#12 hé AB-12345678 AB-1:").as_deref(), Some("AB-1"));
        let o = |s: &str| owner_in(s);
        assert_eq!(
            o("Add alerts (Storefront TEAM)").as_deref(),
            Some("Storefront TEAM")
        );
        assert_eq!(o("Add alerts (team) (the steam)"), None);
        assert_eq!(
            o("Add alerts (owner: SRE team, due May 1)").as_deref(),
            Some("SRE team")
        );
    }
}
