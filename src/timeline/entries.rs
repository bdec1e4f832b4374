//! The timeline sections' candidate entries: list items, table rows and paragraph lines, with
//! the day heading above each and the zone its section states. Nothing is resolved here: the
//! date order is not known until every expression has been scanned.

use std::ops::Range;

use crate::document::{Block, BlockKind, Document, KindId};
use crate::parse::strip_markup;
use crate::time::{self, Found, Stamp, Zone};

use super::{scan_at, zone_in, zone_word};

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
    for si in timeline_sections {
        collect_section(doc, si, &mut out);
    }
    out
}

fn collect_section(doc: &Document, si: usize, out: &mut Candidates) {
    let section = &doc.sections[si];
    out.sections.push(section.heading_span.clone());
    let blocks = doc.blocks_in(section.body.clone());
    let min_depth = blocks
        .iter()
        .filter_map(|b| match b.kind {
            BlockKind::ListItem { depth } => Some(depth),
            _ => None,
        })
        .min()
        .unwrap_or(0);
    let mut walk = SectionWalk {
        doc,
        zone: zone_in(&time::scan(&section.title)).or_else(|| zone_word(&section.title)),
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
        walk.block(b);
    }
}

/// One timeline section's blocks, read in order: the day and zone they state carry on.
struct SectionWalk<'a, 'd> {
    doc: &'a Document<'d>,
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
        self.raw.push(RawEntry {
            line,
            found,
            day: self.day.clone(),
            zone: self.zone,
        });
    }

    fn block(&mut self, b: &Block) {
        let doc = self.doc;
        match b.kind {
            BlockKind::ListItem { depth } if depth == self.min_depth => {
                let line = doc.first_line(&b.span);
                let found = scan_at(doc, &line).into_iter().next();
                // "- Actions Taken:" heads a group of sub-items; it is not an entry.
                let label_only =
                    found.is_none() && strip_markup(doc.slice(&line)).0.trim_end().ends_with(':');
                if !label_only {
                    self.push(line, found);
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
                    Some(cell) => scan_at(doc, cell).into_iter().next(),
                    None => b
                        .cells
                        .iter()
                        .find_map(|c| scan_at(doc, c).into_iter().next()),
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
    }

    /// A paragraph's lines: those that start with a time (or are `<li>`s) are entries.
    fn lines(&mut self, b: &Block) {
        let doc = self.doc;
        for line in doc.lines_in(&b.span) {
            let found = scan_at(doc, &line);
            let raw = doc.slice(&line);
            let is_li = raw.contains("<li");
            let content_start = line.start + (raw.len() - raw.trim_start_matches(is_lead).len());
            let at_start = found.first().filter(|f| f.span.start <= content_start + 3);
            if let Some(f) = at_start {
                self.push(line.clone(), Some(f.clone()));
            } else if is_li {
                self.push(line.clone(), found.into_iter().next());
            } else if let Some(z) = zone_in(&found).or_else(|| zone_word(raw)) {
                // "All times in CET." sets the zone of what follows.
                self.zone = Some(z);
            }
        }
    }
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
