//! The timeline sections' candidate entries: list items, table rows and paragraph lines, with
//! the day heading above each and the zone its section states. Nothing is resolved here: the
//! date order is not known until every expression has been scanned.

use std::ops::Range;

use crate::document::{Block, BlockKind, Document, KindId};
use crate::parse::strip_markup;
use crate::time::{self, Found, Stamp, Zone};

use super::{heading_offset, scan_at, scan_first_at, zone_in, zone_word};

/// An entry before resolution.
#[derive(Debug, Clone)]
pub(super) struct RawEntry {
    /// Its first line.
    pub line: Range<usize>,
    /// Its time expression.
    pub found: Option<Found>,
    /// The day heading above it.
    pub day: Option<NaiveDateCtx>,
    /// The zone its section states (heading, table header, "All times in CET").
    pub zone: Option<Zone>,
    /// The label sub-section of the timeline it sits under ("Actions Taken:"), if any.
    pub group: Option<usize>,
}

/// Day context from a heading, kept unresolved until the date order is known.
#[derive(Debug, Clone)]
pub(super) struct NaiveDateCtx(pub Stamp);

/// What the timeline sections hold, in source order.
#[derive(Debug, Default)]
pub(super) struct Candidates {
    /// The timeline sections' heading spans.
    pub sections: Vec<Range<usize>>,
    pub raw: Vec<RawEntry>,
    /// Sub-headings that are dates: stated expressions too.
    pub day_headings: Vec<Found>,
    /// With no timeline section, the paragraph that tells the incident with several times.
    pub prose: Option<Range<usize>>,
}

pub(super) fn collect(doc: &Document) -> Candidates {
    let timeline_sections: Vec<usize> = doc
        .sections
        .iter()
        .enumerate()
        .filter(|(i, s)| {
            s.kinds.contains(KindId::TIMELINE) && !doc.has_ancestor_of_kind(*i, KindId::TIMELINE)
        })
        .map(|(i, _)| i)
        .collect();
    let mut out = Candidates::default();
    if timeline_sections.is_empty() {
        prose_timeline(doc, &mut out);
    }
    for si in timeline_sections {
        collect_section(doc, si, &mut out);
    }
    out
}

/// Times of day in one paragraph that make it a prose timeline.
const PROSE_TIMELINE_TIMES: usize = 3;

/// A document without a timeline section may tell it in a paragraph ("At 15:23 UTC we
/// received a report ... by 15:56 UTC"): its sentences are the entries.
fn prose_timeline(doc: &Document, out: &mut Candidates) {
    let Some(b) = doc
        .blocks
        .iter()
        .filter(|b| b.kind == BlockKind::Paragraph && !doc.is_masked(&b.span))
        .find(|b| {
            scan_at(doc, &b.span)
                .iter()
                .filter(|f| f.start.hour.is_some())
                .count()
                >= PROSE_TIMELINE_TIMES
        })
    else {
        return;
    };
    out.prose = Some(b.span.clone());
    // Outside a timeline section, a sentence without a time is narrative, not an entry.
    for sentence in sentences(doc, &b.span) {
        // "At 15:27 we confirmed it ... completed by 15:56": each time is an event.
        for found in scan_at(doc, &sentence) {
            let line = doc.first_line(&(found.span.start..sentence.end));
            out.raw.push(RawEntry {
                line,
                found: Some(found),
                day: None,
                zone: None,
                group: None,
            });
        }
    }
}

/// The sentences of a span: split after `.`, `!` or `?` followed by white space and a
/// capital or a digit ("... 1.23.1. At 15:56 UTC"), never inside "1.24.0".
fn sentences(doc: &Document, span: &Range<usize>) -> Vec<Range<usize>> {
    let text = doc.slice(span);
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    for (i, &c) in bytes.iter().enumerate() {
        if !matches!(c, b'.' | b'!' | b'?') || i < start {
            continue;
        }
        let rest = &text[i + 1..];
        let next = rest.trim_start();
        if next.len() < rest.len()
            && next
                .bytes()
                .next()
                .is_some_and(|n| n.is_ascii_uppercase() || n.is_ascii_digit())
        {
            push_trimmed(&mut out, text, span.start, start..i + 1);
            start = i + 1;
        }
    }
    push_trimmed(&mut out, text, span.start, start..text.len());
    out
}

fn push_trimmed(out: &mut Vec<Range<usize>>, text: &str, base: usize, r: Range<usize>) {
    let part = &text[r.clone()];
    let lead = part.len() - part.trim_start().len();
    let len = part.trim().len();
    if len > 0 {
        out.push(base + r.start + lead..base + r.start + lead + len);
    }
}

fn collect_section(doc: &Document, si: usize, out: &mut Candidates) {
    let section = &doc.sections[si];
    out.sections.push(section.heading_span.clone());
    let blocks = doc.blocks_in(section.body.clone());
    let min_depth = Document::min_list_depth(blocks);
    // About one entry a block: sized once instead of grown entry by entry (bounded: blocks
    // that are not entries must not reserve memory).
    out.raw.reserve(blocks.len().min(256));
    let mut walk = SectionWalk {
        doc,
        section: si,
        group: None,
        quote: false,
        prose: Vec::new(),
        pushed: 0,
        days: Vec::new(),
        zone: zone_in(&time::scan(&section.title))
            .or_else(|| zone_word(&section.title))
            .or_else(|| heading_offset(&section.title)),
        day: None,
        min_depth,
        time_col: time_column(doc, blocks),
        raw: &mut out.raw,
    };
    // Sub-headings follow the section directly in the list: a bounded walk, not a scan.
    let mut next_heading = doc.sections[si + 1..]
        .iter()
        .take_while(|s| s.heading_span.start < section.body.end)
        .peekable();
    for b in blocks {
        // A sub-heading that is a date sets the day for the entries under it.
        while let Some(h) = next_heading.peek() {
            if h.heading_span.start > b.span.start {
                break;
            }
            let found = scan_at(doc, &h.heading_span);
            if let Some(f) = found
                .into_iter()
                .find(|f| f.start.has_date() && !f.start.has_time())
            {
                walk.day = Some(NaiveDateCtx(f.start.clone()));
                out.day_headings.push(f);
            }
            next_heading.next();
        }
        walk.group = b.section.filter(|&g| g != si);
        walk.block(b);
    }
    walk.finish();
    out.day_headings.append(&mut walk.days);
}

/// One timeline section's blocks, read in order: the day and zone they state carry on.
struct SectionWalk<'a, 'd> {
    doc: &'a Document<'d>,
    /// The timeline section and the label sub-section the current block is under.
    section: usize,
    group: Option<usize>,
    /// The last entry ended with ':' ("... outlined in the following snippet:"): the list
    /// after it quotes logs or output, and its items are not entries.
    quote: bool,
    /// Paragraphs with no entry line: a prose timeline if the section has nothing else.
    prose: Vec<Range<usize>>,
    /// Entries pushed for this section.
    pushed: usize,
    /// Day lines read in paragraphs (`2025-03-14 (all times UTC)`): stated expressions too.
    days: Vec<Found>,
    zone: Option<Zone>,
    day: Option<NaiveDateCtx>,
    /// Only the outermost list items are entries; deeper ones are their details.
    min_depth: u8,
    /// The table column holding times, by header name.
    time_col: Option<usize>,
    raw: &'a mut Vec<RawEntry>,
}

impl SectionWalk<'_, '_> {
    fn push(&mut self, line: Range<usize>, found: Option<Found>) {
        self.pushed += 1;
        self.raw.push(RawEntry {
            line,
            found,
            day: self.day.clone(),
            zone: self.zone,
            group: self.group,
        });
    }

    /// A timeline told only in prose: each sentence is an entry, timed by its first
    /// expression wherever it stands ("The outage occurred by 08:00 GMT ...").
    fn finish(&mut self) {
        if self.pushed > 0 {
            return;
        }
        let doc = self.doc;
        for p in std::mem::take(&mut self.prose) {
            for sentence in sentences(doc, &p) {
                let found = scan_first_at(doc, &sentence);
                self.push(doc.first_line(&sentence), found);
            }
        }
        let _ = self.section;
    }

    /// A line that is only a date, perhaps with its zone: `2025-03-14 (all times UTC)`. It
    /// sets the day and zone of the entries below it, like a day heading.
    fn day_line(&mut self, line: &Range<usize>, found: &[Found]) -> bool {
        let doc = self.doc;
        let [f] = found else { return false };
        if !f.start.has_date() || f.start.has_time() {
            return false;
        }
        let raw = doc.slice(line);
        let before = doc.text[line.start..f.span.start].trim_start_matches(is_lead);
        let after = doc.text[f.span.end..line.end].trim();
        let after_plain = after.trim_matches(['(', ')', ':', ' ', '*', '_']);
        let zone = zone_word(after_plain);
        if !before.trim().is_empty()
            || !(after_plain.is_empty() || zone.is_some())
            || after.len() > 40
            || raw.len() > 80
        {
            return false;
        }
        self.day = Some(NaiveDateCtx(f.start.clone()));
        self.zone = zone.or(self.zone);
        self.days.push(f.clone());
        true
    }

    /// Entry starts within a line: a time at its start, or a time followed by `:` or a dash
    /// ("12:00pm EAT: Issue was detected. 12:06pm EAT: ..."). Pushes one entry from each;
    /// false when there is none.
    fn split_line(&mut self, line: &Range<usize>, found: &[Found]) -> bool {
        let doc = self.doc;
        let raw = doc.slice(line);
        let content_start = line.start + (raw.len() - raw.trim_start_matches(is_lead).len());
        let mut starts = found
            .iter()
            .filter(|f| f.span.start <= content_start + 3 || labels_entry(doc.text, f.span.end))
            .peekable();
        let mut last_end = None;
        while let Some(f) = starts.next() {
            let end = starts.peek().map_or(line.end, |n| n.span.start);
            let seg = doc.text.get(f.span.start..end).unwrap_or("");
            self.push(
                f.span.start..f.span.start + seg.trim_end().len(),
                Some(f.clone()),
            );
            last_end = Some(f.span.end);
        }
        if let Some(e) = last_end {
            self.quote = doc.text[e..line.end].trim_end().ends_with(':');
        }
        last_end.is_some()
    }

    fn block(&mut self, b: &Block) {
        let doc = self.doc;
        match b.kind {
            BlockKind::ListItem { depth } if depth == self.min_depth => {
                let line = doc.first_line(&b.span);
                let found = scan_at(doc, &line);
                let quoted = self.quote || is_log_line(doc.slice(&line));
                if self.split_line(&line, &found) {
                    self.quote = false;
                    return;
                }
                // "- Actions Taken:" heads a group of sub-items; it is not an entry.
                let label_only =
                    found.is_empty() && strip_markup(doc.slice(&line)).0.trim_end().ends_with(':');
                if !label_only && !quoted {
                    self.push(line, found.into_iter().next());
                }
            }
            // A two-column field table ("| Start | 14:02 UTC |") and an empty template
            // row are not entries.
            BlockKind::TableRow { header: false }
                if b.cells.iter().all(|c| doc.slice(c).trim().is_empty())
                    || (b.cells.len() == 2
                        && crate::document::field_name(
                            strip_markup(doc.slice(&b.cells[0])).0.trim(),
                        )
                        .is_some()) => {}
            BlockKind::TableRow { header: false } => {
                let found = match self.time_col.and_then(|c| b.cells.get(c)) {
                    Some(cell) => scan_first_at(doc, cell),
                    None => b.cells.iter().find_map(|c| scan_first_at(doc, c)),
                };
                // A row of a two-column field table ("| Impact | ... |") is not an entry.
                if found.is_some() || b.cells.len() > 2 {
                    self.push(b.span.clone(), found);
                }
            }
            BlockKind::TableRow { header: true } => {
                if let Some(z) = zone_in(&scan_at(doc, &b.span)) {
                    self.zone = Some(z);
                }
                let text = doc.slice(&b.span).to_ascii_uppercase();
                if self.zone.is_none() {
                    self.zone = zone_word(&text);
                }
            }
            BlockKind::Paragraph | BlockKind::Html => self.lines(b),
            _ => {}
        }
        if !matches!(
            b.kind,
            BlockKind::ListItem { .. } | BlockKind::Paragraph | BlockKind::Html
        ) {
            self.quote = false;
        }
    }

    /// A paragraph's lines: those that start with a time (or hold several "TIME:" entries),
    /// bullet and label lines ("● Escalated to ...", "Investigation: ...") and `<li>`s are
    /// entries; other lines are prose, or state the zone of what follows.
    fn lines(&mut self, b: &Block) {
        let doc = self.doc;
        let before = self.pushed;
        let mut zone_only = true;
        self.quote = false;
        // Phase lines are entries when the paragraph lists several; one `Resolution: ...`
        // paragraph after the timeline is a section told inline, not an entry.
        let phases = doc
            .lines_in(&b.span)
            .filter(|l| is_label_line(doc.slice(l)))
            .take(2)
            .count();
        for line in doc.lines_in(&b.span) {
            let found = scan_at(doc, &line);
            if self.day_line(&line, &found) {
                continue;
            }
            if self.split_line(&line, &found) {
                continue;
            }
            let raw = doc.slice(&line);
            if raw.contains("<li") || is_bullet_line(raw) || (phases > 1 && is_label_line(raw)) {
                self.push(line.clone(), found.into_iter().next());
            } else if let Some(z) = zone_in(&found).or_else(|| zone_word(raw)) {
                // "All times in CET." sets the zone of what follows.
                self.zone = Some(z);
            } else {
                zone_only = false;
            }
        }
        if self.pushed == before && !zone_only {
            self.prose.push(b.span.clone());
        }
    }
}

/// After a time: `:` or a dash starts the entry's text ("12:06pm EAT: While ...").
fn labels_entry(text: &str, end: usize) -> bool {
    let rest = text.get(end..).unwrap_or("").trim_start_matches(' ');
    rest.starts_with(':')
        || ["- ", "\u{2013} ", "\u{2014} ", "=> "]
            .iter()
            .any(|d| rest.starts_with(d))
}

/// A line written as a list item without markdown: `● The team ...`, `• ...`.
fn is_bullet_line(raw: &str) -> bool {
    raw.trim_start()
        .starts_with(['●', '•', '▪', '◦', '‣', '➤', '►', '○', '■'])
}

/// A phase label with its text on the line: `Investigation: Initial suspicion ...`.
fn is_label_line(raw: &str) -> bool {
    let text = strip_markup(raw).0;
    let text = text.trim_start_matches(is_lead);
    let Some((label, rest)) = text.split_once(':') else {
        return false;
    };
    // `Timezone: UTC`, `Duration: ...` state facts about the timeline; they are not entries.
    // (`Resolution: ...` and `Impact: ...` in a timeline are phases, and are entries.)
    if crate::document::field_name(label).is_some_and(|f| f.satisfies_kind().is_none()) {
        return false;
    }
    let words = label.split_whitespace().count();
    (1..=4).contains(&words)
        && label.len() <= 40
        && label.starts_with(|c: char| c.is_uppercase())
        && label
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, ' ' | '/' | '&' | '-'))
        && rest.trim().len() >= 3
        && !rest.starts_with("//")
}

/// A quoted log line: `nginx[31101]: nginx: [emerg] ...`.
fn is_log_line(raw: &str) -> bool {
    let text = raw.trim_start_matches(is_lead);
    let word_end = text.find(|c: char| c.is_whitespace()).unwrap_or(text.len());
    let word = &text[..word_end];
    word.ends_with("]:") && word.contains('[')
}

/// Markup and words that may come before an entry's time: `- `, `**`, `At `, `<li>`.
fn is_lead(c: char) -> bool {
    matches!(
        c,
        '-' | '*' | '_' | '>' | '•' | '●' | ' ' | '\t' | '|' | '[' | '('
    )
}

/// The table column holding times, by header name.
fn time_column(doc: &Document, blocks: &[Block]) -> Option<usize> {
    let header = blocks
        .iter()
        .find(|b| b.kind == BlockKind::TableRow { header: true })?;
    header.cells.iter().position(|c| {
        let h = doc.slice(c).to_ascii_lowercase();
        ["time", "date", "when", "timestamp"]
            .iter()
            .any(|w| h.contains(w))
    })
}
