//! The model every rule reads: one parse of a postmortem into sections, fields and blocks.
//!
//! All spans are byte ranges into [`Document::text`] (the source with any BOM removed).
//! Sections form a tree through `level`: a section's body runs until the next heading of the
//! same or a higher level (a lower number).

mod fields;
mod kinds;

use std::ops::Range;

pub use fields::{FieldName, field_name};
pub use kinds::{ASSIGNMENT_TAILS, KindId, KindSet, KindTable, normalize_heading};

use crate::source::{LineIndex, trim_end_ws, trim_start_ws};

/// Markdown levels are 1–6; labels that are not markdown headings sit below them, so a bold
/// `**Timeline**` under `## Details` is a sub-section, and siblings of each other.
pub const LABEL_LEVEL: u8 = 7;

/// An opening paragraph shorter than this is a byline or a note, not a summary.
const OPENING_WORDS: usize = 12;
/// How many blocks of a summary are read for its window, lengths and impact.
const SUMMARY_BLOCKS: usize = 8;

#[derive(Debug)]
pub struct Document<'a> {
    pub text: &'a str,
    pub lines: LineIndex,
    pub front_matter: Option<FrontMatter>,
    /// The document's title (first lone H1, front matter `title`, or a plain first line).
    pub title: Option<Title>,
    pub sections: Vec<Section>,
    pub blocks: Vec<Block>,
    pub fields: Vec<Field>,
    /// Byte ranges that are not prose: code, HTML comments, front matter. Sorted, disjoint.
    pub masked: Vec<Range<usize>>,
    /// HTML comments (`<!-- ... -->`), where suppression directives live.
    pub comments: Vec<Range<usize>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Title {
    pub text: String,
    pub span: Range<usize>,
}

/// How a heading was written; rules phrase suggestions in the document's own style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeadingForm {
    Atx,
    Setext,
    Html,
    /// A paragraph line that is only bold text: `**Timeline**`, `__Impact:__`.
    BoldLabel,
    /// A plain line standing alone: `Issue Summary:` or a known name such as `Timeline`.
    PlainLabel,
}

#[derive(Debug, Clone)]
pub struct Section {
    /// Heading text as written, markup stripped.
    pub title: String,
    pub form: HeadingForm,
    pub level: u8,
    /// The heading line (trimmed).
    pub heading_span: Range<usize>,
    /// From the end of the heading to the next heading of the same or higher level.
    pub body: Range<usize>,
    pub kinds: KindSet,
    /// The title names its kind with a qualifier ("Timeline of day 2"), not by its own name.
    pub qualified: bool,
    pub parent: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    /// Prose lines (a markdown paragraph, or the part of one between label lines).
    Paragraph,
    /// A list item, `depth` 0 for top-level lists. Its span covers nested content.
    ListItem {
        depth: u8,
    },
    /// A table row; cells are in `Block::cells`.
    TableRow {
        header: bool,
    },
    Code,
    /// Raw HTML lines that are not headings.
    Html,
}

#[derive(Debug, Clone)]
pub struct Block {
    pub kind: BlockKind,
    pub span: Range<usize>,
    /// Index into `Document::sections` of the innermost section holding this block.
    pub section: Option<usize>,
    /// Cell spans (trimmed) for table rows; empty otherwise.
    pub cells: Vec<Range<usize>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldSource {
    /// `Label: value` on a line of prose, a list item or a bold label.
    Inline,
    /// A two-column table row: `| Start | 2025-09-17 14:02 UTC |`.
    Table,
    FrontMatter,
}

/// A known summary field: `Duration: ...`, `**Start:** ...`, a front matter key.
#[derive(Debug, Clone)]
pub struct Field {
    pub name: FieldName,
    /// The label as written (`Start Time`), for messages.
    pub label: String,
    pub value: String,
    pub span: Range<usize>,
    pub value_span: Range<usize>,
    pub source: FieldSource,
    pub section: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrontMatterFormat {
    Yaml,
    Toml,
}

#[derive(Debug, Clone)]
pub struct FrontMatter {
    pub format: FrontMatterFormat,
    pub span: Range<usize>,
    /// Set when the block is not valid YAML/TOML; the message names the problem.
    pub error: Option<String>,
}

impl Document<'_> {
    /// Does any section (or inline field standing for one) have this kind?
    pub fn has_kind(&self, kind: KindId) -> bool {
        self.sections.iter().any(|s| s.kinds.contains(kind))
            || self
                .fields
                .iter()
                .any(|f| f.name.satisfies_kind() == Some(kind) && !f.value.trim().is_empty())
    }

    /// Blocks whose start lies in `range`, found by binary search (blocks are in source order).
    pub fn blocks_in(&self, range: Range<usize>) -> &[Block] {
        let lo = self.blocks.partition_point(|b| b.span.start < range.start);
        let hi = self.blocks.partition_point(|b| b.span.start < range.end);
        &self.blocks[lo..hi.max(lo)]
    }

    /// Is the whole span inside code, a comment or front matter?
    pub fn is_masked(&self, span: &Range<usize>) -> bool {
        let i = self.masked.partition_point(|m| m.start <= span.start);
        i > 0 && self.masked[i - 1].end >= span.end
    }

    pub fn field(&self, name: FieldName) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// Text of a span.
    pub fn slice(&self, span: &Range<usize>) -> &str {
        self.text.get(span.clone()).unwrap_or("")
    }

    /// Is this section inside (a descendant of) another section that has a classified kind?
    pub fn has_classified_ancestor(&self, index: usize) -> bool {
        self.has_ancestor(index, |s| !s.kinds.is_empty())
    }

    /// Is this section inside a section of `kind`?
    pub fn has_ancestor_of_kind(&self, index: usize, kind: KindId) -> bool {
        self.has_ancestor(index, |s| s.kinds.contains(kind))
    }

    /// Walks the parents of a section (at most as deep as heading levels go).
    fn has_ancestor(&self, index: usize, pred: impl Fn(&Section) -> bool) -> bool {
        let mut cur = self.sections.get(index).and_then(|s| s.parent);
        while let Some(p) = cur {
            if pred(&self.sections[p]) {
                return true;
            }
            cur = self.sections[p].parent;
        }
        false
    }

    /// Prose before the first section of a known kind: the untitled opening summary of a
    /// blog-style postmortem. Short lines (a byline, a note) are not a summary.
    pub fn opening(&self) -> impl Iterator<Item = &Block> + '_ {
        let first = self
            .sections
            .iter()
            .find(|s| !s.kinds.is_empty())
            .map_or(self.text.len(), |s| s.heading_span.start);
        self.blocks
            .iter()
            .take_while(move |b| b.span.start < first)
            .filter(|b| matches!(b.kind, BlockKind::Paragraph | BlockKind::Html))
            .filter(|b| !self.is_masked(&b.span))
            .filter(|b| self.slice(&b.span).split_whitespace().count() >= OPENING_WORDS)
    }

    /// Where the summary is told: the summary sections' prose and list items (their first
    /// few blocks), `Summary:` fields, then the opening paragraphs.
    pub fn summary_spans(&self) -> Vec<Range<usize>> {
        let mut out: Vec<Range<usize>> = Vec::new();
        for s in self
            .sections
            .iter()
            .filter(|s| s.kinds.contains(KindId::SUMMARY))
        {
            out.extend(
                self.blocks_in(s.body.clone())
                    .iter()
                    .filter(|b| {
                        matches!(
                            b.kind,
                            BlockKind::Paragraph | BlockKind::Html | BlockKind::ListItem { .. }
                        )
                    })
                    .take(SUMMARY_BLOCKS)
                    .map(|b| b.span.clone()),
            );
        }
        out.extend(
            self.fields
                .iter()
                .filter(|f| f.name == FieldName::Summary)
                .map(|f| f.value_span.clone()),
        );
        // The opening paragraphs come last: a summary section's own range wins the window.
        out.extend(self.opening().take(SUMMARY_BLOCKS).map(|b| b.span.clone()));
        out
    }

    /// The first line of a span, without its line ending and trailing spaces.
    pub fn first_line(&self, span: &Range<usize>) -> Range<usize> {
        let end =
            memchr::memchr(b'\n', self.slice(span).as_bytes()).map_or(span.end, |i| span.start + i);
        span.start..span.start + trim_end_ws(&self.text[span.start..end]).len()
    }

    /// The shallowest list depth among blocks: only those items are entries or actions; deeper
    /// ones are their details.
    pub fn min_list_depth(blocks: &[Block]) -> u8 {
        blocks
            .iter()
            .filter_map(|b| match b.kind {
                BlockKind::ListItem { depth } => Some(depth),
                _ => None,
            })
            .min()
            .unwrap_or(0)
    }

    /// A block's own lines: a list item's first line (its span also covers nested items, so
    /// reading it whole for every item would be quadratic), every line of other blocks.
    pub fn own_lines(&self, b: &Block) -> impl Iterator<Item = Range<usize>> + '_ {
        let (first, all) = match b.kind {
            BlockKind::ListItem { .. } => (Some(self.first_line(&b.span)), None),
            _ => (None, Some(self.lines_in(&b.span))),
        };
        first.into_iter().chain(all.into_iter().flatten())
    }

    /// The non-blank lines of a span, each trimmed of surrounding whitespace. An iterator:
    /// rules walk every block's lines, and a list of them per block was an allocation each.
    pub fn lines_in(&self, span: &Range<usize>) -> impl Iterator<Item = Range<usize>> + '_ {
        let (text, base) = (self.slice(span), span.start);
        let mut pos = 0;
        std::iter::from_fn(move || {
            while pos < text.len() {
                let at = pos;
                pos = memchr::memchr(b'\n', &text.as_bytes()[at..])
                    .map_or(text.len(), |i| at + i + 1);
                let t = trim_end_ws(&text[at..pos]);
                let lead = t.len() - trim_start_ws(t).len();
                if lead < t.len() {
                    return Some(base + at + lead..base + at + t.len());
                }
            }
            None
        })
    }
}
