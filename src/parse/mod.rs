//! Source text → [`Document`]. One pulldown-cmark pass ([`markdown`]), one line pass over
//! prose ([`lines`]), then a linear assembly of the section tree.

mod front_matter;
mod lines;
mod markdown;

use std::ops::Range;

pub use lines::strip_markup;

use crate::document::{
    Block, BlockKind, Document, Field, FieldSource, HeadingForm, KindTable, Section, Title,
    field_name,
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

    let mut fields: Vec<Field> = Vec::new();
    let front_matter = scan
        .front_matter
        .map(|(format, span, inner)| front_matter::read(text, format, span, inner, &mut fields));

    // Headings and blocks in source order; `owner[i]` is the number of headings seen before
    // block i, so its innermost section is that heading.
    let mut headings: Vec<HeadingItem> = Vec::new();
    let mut blocks: Vec<Block> = Vec::new();
    let mut field_lines = Vec::new();
    let mut field_owner: Vec<usize> = Vec::new();

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
            RawItem::ListItem { depth, span } => {
                let first = lines.line_range(text, lines.line_of(span.start));
                let first = span.start..first.end.min(span.end).max(span.start);
                let before = field_lines.len();
                if let Some(f) = lines::field_line(text, first) {
                    field_lines.push(f);
                }
                field_owner.resize(field_lines.len().max(before), headings.len());
                push_block(
                    &mut blocks,
                    BlockKind::ListItem { depth },
                    span,
                    headings.len(),
                    Vec::new(),
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
                    if let Some(name) = field_name(strip_markup(label).0.trim())
                        && !value.is_empty()
                    {
                        fields.push(Field {
                            name,
                            label: strip_markup(label).0.trim().to_string(),
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

    let sections = build_sections(text, headings, kinds);
    Document {
        text,
        lines,
        front_matter,
        title,
        sections,
        blocks,
        fields,
        masked: scan.masked,
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
fn build_sections(text: &str, headings: Vec<HeadingItem>, kinds: &KindTable) -> Vec<Section> {
    let mut sections: Vec<Section> = Vec::with_capacity(headings.len());
    let mut open: Vec<usize> = Vec::new();
    for h in headings {
        while let Some(&top) = open.last() {
            if sections[top].level >= h.level {
                sections[top].body.end = h.span.start;
                open.pop();
            } else {
                break;
            }
        }
        let kinds_set = kinds.classify(&h.title);
        sections.push(Section {
            title: h.title,
            form: h.form,
            level: h.level,
            body: h.span.end..text.len(),
            heading_span: h.span,
            kinds: kinds_set,
            parent: open.last().copied(),
        });
        open.push(sections.len() - 1);
    }
    sections
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
