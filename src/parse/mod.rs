//! Source text → [`Document`]. One pulldown-cmark pass ([`markdown`]), one line pass over
//! prose ([`lines`]), then a linear assembly of the section tree.

mod front_matter;
mod lines;
mod markdown;

use std::ops::Range;

pub use lines::{is_html_element, strip_markup};
pub use markdown::options as markdown_options;

use crate::document::{
    Block, BlockKind, Document, Field, FieldSource, HeadingForm, KindSet, KindTable, Section,
    Title, field_name,
};
use crate::source::LineIndex;
use markdown::{LinesOrigin, RawItem};

/// A heading found by either pass, before the tree is built.
struct HeadingItem {
    level: u8,
    form: HeadingForm,
    title: String,
    span: Range<usize>,
}

/// Parses a document. `text` must already be free of a leading BOM.
pub fn parse<'a>(text: &'a str, kinds: &KindTable) -> Document<'a> {
    let lines = LineIndex::new(text);
    let scan = markdown::scan(text);

    // A postmortem states a handful of fields: room for them up front, not grown one by one.
    let mut fields: Vec<Field> = Vec::with_capacity(8);
    let front_matter = scan
        .front_matter
        .map(|(format, span, inner)| front_matter::read(text, format, span, inner, &mut fields));

    // Headings and blocks in source order; `owner[i]` is the number of headings seen before
    // block i, so its innermost section is that heading.
    let mut headings: Vec<HeadingItem> = Vec::with_capacity(16);
    let mut blocks: Vec<Block> = Vec::with_capacity(scan.items.len());
    let mut field_lines = Vec::with_capacity(8);
    let mut field_owner: Vec<usize> = Vec::with_capacity(8);

    for item in scan.items {
        match item {
            RawItem::Heading {
                level,
                form,
                title,
                span,
            } => headings.push(HeadingItem {
                level,
                form,
                title,
                span,
            }),
            RawItem::Lines { span, origin } => {
                read_lines(
                    text,
                    &lines,
                    span,
                    origin,
                    kinds,
                    &mut headings,
                    &mut blocks,
                    &mut field_lines,
                    &mut field_owner,
                );
            }
            RawItem::ListItem {
                depth,
                span,
                own_end,
            } => {
                read_list_item(
                    text,
                    &lines,
                    (depth, span, own_end),
                    kinds,
                    &mut headings,
                    &mut blocks,
                    &mut field_lines,
                    &mut field_owner,
                );
            }
            RawItem::TableRow {
                header,
                span,
                cells,
            } => {
                if cells.len() == 2 {
                    let label = &text[cells[0].clone()];
                    let value = text[cells[1].clone()].trim();
                    let plain = strip_markup(label).0;
                    if let Some(name) = field_name(plain.trim())
                        && !value.is_empty()
                    {
                        fields.push(Field {
                            name,
                            label: plain.trim().to_string(),
                            value: strip_markup(value).0.trim().to_string(),
                            span: span.clone(),
                            value_span: cells[1].clone(),
                            source: FieldSource::Table,
                            section: headings.len().checked_sub(1),
                        });
                    }
                }
                push_block(
                    &mut blocks,
                    BlockKind::TableRow { header },
                    span,
                    headings.len(),
                    cells,
                );
            }
            RawItem::Code { span } => push_block(
                &mut blocks,
                BlockKind::Code,
                span,
                headings.len(),
                Vec::new(),
            ),
        }
    }

    // The title: a lone leading H1 that names no section kind, else front matter, else a plain
    // first line that is neither label nor field.
    let mut title = None;
    let h1s = headings.iter().filter(|h| h.level == 1).count();
    let first_block_start = blocks.first().map_or(usize::MAX, |b| b.span.start);
    if let Some(h) = headings.first()
        && h.level == 1
        && h1s == 1
        && h.span.start < first_block_start
        && kinds.classify(&h.title).is_empty()
    {
        let h = headings.remove(0);
        title = Some(Title {
            text: h.title,
            span: h.span,
        });
        // Blocks were numbered against the heading list; shift them.
        for b in &mut blocks {
            b.section = b.section.and_then(|s| s.checked_sub(1));
        }
        for o in &mut field_owner {
            *o = o.saturating_sub(1);
        }
        for f in &mut fields {
            f.section = f.section.and_then(|s| s.checked_sub(1));
        }
    }
    if title.is_none()
        && let Some(f) = fields
            .iter()
            .find(|f| f.source == FieldSource::FrontMatter && f.label == "title")
    {
        title = Some(Title {
            text: f.value.clone(),
            span: f.span.clone(),
        });
    }
    if title.is_none()
        && let Some(b) = blocks.first()
    {
        let before_headings = headings.first().is_none_or(|h| b.span.start < h.span.start);
        let starts_doc = text[..b.span.start].trim().is_empty()
            || front_matter
                .as_ref()
                .is_some_and(|fm| text[fm.span.end..b.span.start].trim().is_empty());
        if b.kind == BlockKind::Paragraph && before_headings && starts_doc {
            let line = lines.line_range(text, lines.line_of(b.span.start));
            let is_field = field_lines.iter().any(|f| f.span.start == b.span.start);
            if !is_field && line.len() <= 200 {
                title = Some(Title {
                    text: strip_markup(&text[line.clone()]).0.trim().to_string(),
                    span: b.span.start..line.end,
                });
            }
        }
    }

    for (f, owner) in field_lines.into_iter().zip(field_owner) {
        fields.push(Field {
            name: f.name,
            label: f.label,
            value: f.value,
            span: f.span,
            value_span: f.value_span,
            source: FieldSource::Inline,
            section: owner.checked_sub(1),
        });
    }
    fields.sort_by_key(|f| f.span.start);
    // Rules binary-search blocks by position; list items split by a lazy label line can
    // interleave, so restore source order (stable: equal starts keep their nesting order).
    blocks.sort_by_key(|b| b.span.start);

    let sections = build_sections(text, headings, &blocks, kinds);
    Document {
        text,
        lines,
        front_matter,
        title,
        sections,
        blocks,
        fields,
        masked: scan.masked,
        comments: scan.comments,
    }
}

#[allow(clippy::too_many_arguments)]
fn read_lines(
    text: &str,
    index: &LineIndex,
    span: Range<usize>,
    origin: LinesOrigin,
    kinds: &KindTable,
    headings: &mut Vec<HeadingItem>,
    blocks: &mut Vec<Block>,
    field_lines: &mut Vec<lines::FieldLine>,
    field_owner: &mut Vec<usize>,
) {
    let allow_headings = origin != LinesOrigin::NestedParagraph;
    let kind = if origin == LinesOrigin::Html {
        BlockKind::Html
    } else {
        BlockKind::Paragraph
    };
    let first = index.line_of(span.start);
    let last = index.line_of(span.end.saturating_sub(1).max(span.start));
    // A run of prose lines becomes one block; a label line ends the run.
    let mut run: Option<Range<usize>> = None;
    for line in first..=last {
        let r = index.line_range(text, line);
        let r = r.start.max(span.start)..r.end.min(span.end);
        if r.start >= r.end {
            continue;
        }
        let before = field_lines.len();
        match lines::read_line(text, r, allow_headings, kinds, field_lines) {
            Some(lines::LineItem::Heading {
                level,
                form,
                title,
                span,
            }) => {
                if let Some(p) = run.take() {
                    push_block(blocks, kind, p, headings.len(), Vec::new());
                }
                headings.push(HeadingItem {
                    level,
                    form,
                    title,
                    span,
                });
            }
            Some(lines::LineItem::Prose { span }) => {
                // HTML lines stay one block each: `<li>` lines are separate entries.
                if kind == BlockKind::Html {
                    push_block(blocks, kind, span, headings.len(), Vec::new());
                } else {
                    run = Some(run.map_or(span.clone(), |p| p.start..span.end));
                }
            }
            None => {
                if let Some(p) = run.take() {
                    push_block(blocks, kind, p, headings.len(), Vec::new());
                }
            }
        }
        field_owner.resize(field_lines.len().max(before), headings.len());
    }
    if let Some(p) = run.take() {
        push_block(blocks, kind, p, headings.len(), Vec::new());
    }
}

/// A list item: a field on its first line, and its lazy continuation lines. Authors of plain
/// text write `- Duration: ...` and then `Root Cause:` at the start of the next line, which
/// markdown folds into the item; a reader sees a new section, and so does pmlint.
#[allow(clippy::too_many_arguments)]
fn read_list_item(
    text: &str,
    index: &LineIndex,
    (depth, span, own_end): (u8, Range<usize>, usize),
    kinds: &KindTable,
    headings: &mut Vec<HeadingItem>,
    blocks: &mut Vec<Block>,
    field_lines: &mut Vec<lines::FieldLine>,
    field_owner: &mut Vec<usize>,
) {
    let first_line = index.line_of(span.start);
    let first = index.line_range(text, first_line);
    let first = span.start..first.end.min(span.end).max(span.start);
    if let Some(f) = lines::field_line(text, first) {
        field_lines.push(f);
    }
    field_owner.resize(field_lines.len(), headings.len());
    let item = blocks.len();
    push_block(
        blocks,
        BlockKind::ListItem { depth },
        span.clone(),
        headings.len(),
        Vec::new(),
    );

    let last_line = index.line_of(own_end.saturating_sub(1).max(span.start));
    let mut split = false;
    let mut run: Option<Range<usize>> = None;
    for line in first_line + 1..=last_line {
        let r = index.line_range(text, line);
        let r = r.start..r.end.min(own_end);
        let raw = &text[r.clone()];
        // Indented lines continue the item; only lines at column 0 can start something new.
        if !split && raw.starts_with([' ', '\t']) {
            continue;
        }
        match lines::read_line(text, r.clone(), true, kinds, field_lines) {
            Some(lines::LineItem::Heading {
                level,
                form,
                title,
                span: h,
            }) => {
                if !split {
                    let end = text[..h.start]
                        .trim_end()
                        .len()
                        .max(blocks[item].span.start);
                    blocks[item].span.end = end;
                    split = true;
                }
                if let Some(p) = run.take() {
                    push_block(blocks, BlockKind::Paragraph, p, headings.len(), Vec::new());
                }
                headings.push(HeadingItem {
                    level,
                    form,
                    title,
                    span: h,
                });
            }
            Some(lines::LineItem::Prose { span: p }) if split => {
                run = Some(run.map_or(p.clone(), |r| r.start..p.end));
            }
            Some(lines::LineItem::Prose { .. }) => {}
            None => {
                if let Some(p) = run.take() {
                    push_block(blocks, BlockKind::Paragraph, p, headings.len(), Vec::new());
                }
            }
        }
        field_owner.resize(field_lines.len(), headings.len());
    }
    if let Some(p) = run.take() {
        push_block(blocks, BlockKind::Paragraph, p, headings.len(), Vec::new());
    }
}

fn push_block(
    blocks: &mut Vec<Block>,
    kind: BlockKind,
    span: Range<usize>,
    headings_before: usize,
    cells: Vec<Range<usize>>,
) {
    blocks.push(Block {
        kind,
        span,
        section: headings_before.checked_sub(1),
        cells,
    });
}

/// Builds the section tree with a stack: linear in the number of headings.
///
/// Label headings carry no level of their own, so they are nested by meaning. A label goes one
/// level below the label before it when it directly follows it with no content between
/// (`Tasks:` then `Config review:`) and is a part of it, or when it is a part of the
/// classified label section it is in (`Impact:` after `Issue Summary:`, an unclassified
/// `Escalation:` inside `Timeline:`), instead of closing that section.
fn build_sections(
    text: &str,
    headings: Vec<HeadingItem>,
    blocks: &[Block],
    kinds: &KindTable,
) -> Vec<Section> {
    let mut sections: Vec<Section> = Vec::with_capacity(headings.len());
    let mut open: Vec<usize> = Vec::with_capacity(8);
    // The label section that labels may nest in: (level, kinds).
    let mut label_parent: Option<(u8, KindSet)> = None;
    for mut h in headings {
        let (kinds_set, qualified) = kinds.classify_detailed(&h.title);
        if matches!(h.form, HeadingForm::BoldLabel | HeadingForm::PlainLabel) {
            let prev = sections.last().filter(|p| {
                matches!(p.form, HeadingForm::BoldLabel | HeadingForm::PlainLabel)
                    && p.level >= h.level
                    && !has_block(blocks, p.heading_span.end..h.span.start)
            });
            match (prev, label_parent) {
                (Some(p), _) if kinds.is_part_of(kinds_set, p.kinds) => h.level = p.level + 1,
                (_, Some((level, parent)))
                    if h.level == level
                        && !parent.is_empty()
                        && kinds.is_part_of(kinds_set, parent) =>
                {
                    h.level = level + 1;
                }
                _ => label_parent = Some((h.level, kinds_set)),
            }
        } else {
            label_parent = None;
        }
        while let Some(&top) = open.last() {
            if sections[top].level >= h.level {
                sections[top].body.end = h.span.start;
                open.pop();
            } else {
                break;
            }
        }
        sections.push(Section {
            title: h.title,
            form: h.form,
            level: h.level,
            body: h.span.end..text.len(),
            heading_span: h.span,
            kinds: kinds_set,
            qualified,
            parent: open.last().copied(),
        });
        open.push(sections.len() - 1);
    }
    sections
}

/// Is there a block starting inside `range`? Blocks are in source order.
fn has_block(blocks: &[Block], range: Range<usize>) -> bool {
    let i = blocks.partition_point(|b| b.span.start < range.start);
    blocks.get(i).is_some_and(|b| b.span.start < range.end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn titles(doc: &Document) -> Vec<(u8, String)> {
        doc.sections
            .iter()
            .map(|s| (s.level, s.title.clone()))
            .collect()
    }

    #[test]
    fn seed_style_plain_labels() {
        let text = "Postmortem: Outage.\n\nIssue Summary:\nDuration: May 8 - May 9\nImpact: all users\n\nTimeline:\n- 10:00: start\n\nMoving forward, we will:\n- do x\n";
        let doc = parse(text, &KindTable::default());
        assert_eq!(
            doc.title.as_ref().map(|t| t.text.as_str()),
            Some("Postmortem: Outage.")
        );
        assert_eq!(
            titles(&doc),
            [
                (7, "Issue Summary".to_string()),
                (7, "Timeline".to_string())
            ]
        );
        let names: Vec<_> = doc.fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["duration", "impact"]);
        assert_eq!(doc.fields[0].section, Some(0));
    }

    #[test]
    fn markdown_tree_and_blocks() {
        let text = "# Incident 42\n\n## Summary\n\ntext\n\n### Impact\n\n## Timeline\n\n| Time | Event |\n|---|---|\n| 10:00 | x |\n";
        let doc = parse(text, &KindTable::default());
        assert_eq!(
            doc.title.as_ref().map(|t| t.text.as_str()),
            Some("Incident 42")
        );
        assert_eq!(
            titles(&doc),
            [
                (2, "Summary".into()),
                (3, "Impact".into()),
                (2, "Timeline".into())
            ]
        );
        assert_eq!(doc.sections[1].parent, Some(0));
        assert_eq!(doc.sections[0].body.end, doc.sections[2].heading_span.start);
        let rows: Vec<_> = doc
            .blocks
            .iter()
            .filter(|b| matches!(b.kind, BlockKind::TableRow { .. }))
            .collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].section, Some(2));
        assert_eq!(doc.slice(&rows[1].cells[0]), "10:00");
    }

    #[test]
    fn front_matter_and_table_fields() {
        let text = "---\ntitle: DB down\nstart: 2024-01-02 10:00 UTC\nseverity: SEV-2\n---\n\n## Summary\n\n| Field | Value |\n|---|---|\n| Duration | 45 minutes |\n";
        let doc = parse(text, &KindTable::default());
        assert_eq!(doc.title.as_ref().map(|t| t.text.as_str()), Some("DB down"));
        let start = doc.fields.iter().find(|f| f.label == "start").unwrap();
        assert_eq!(doc.slice(&start.value_span), "2024-01-02 10:00 UTC");
        let dur = doc.fields.iter().find(|f| f.label == "Duration").unwrap();
        assert_eq!(dur.value, "45 minutes");
        assert_eq!(dur.source, FieldSource::Table);
    }

    #[test]
    fn html_headings_and_indented_prose() {
        let text = "<h3>Issue Summary</h3>\nFrom 8:50pm the db was down.\n\n# Summary:\n\tDuration:\n\t\tStart Time: 10:00\n";
        let doc = parse(text, &KindTable::default());
        assert_eq!(titles(&doc)[0], (3, "Issue Summary".to_string()));
        assert!(
            doc.sections
                .iter()
                .any(|s| s.title == "Duration" && s.level == 8)
        );
        assert!(doc.fields.iter().any(|f| f.label == "Start Time"));
    }
}
