//! One pass of pulldown-cmark over the text, reduced to the raw items the model is built from.
//!
//! Markdown structure (headings, lists, tables, code) comes from pulldown-cmark with source
//! offsets. Prose that may hide plain-text structure (paragraphs, indented "code" that is really
//! tab-indented prose, HTML blocks) is handed on as line runs for [`super::lines`] to read.

use std::ops::Range;

use pulldown_cmark::{
    CodeBlockKind, Event, HeadingLevel, MetadataBlockKind, Options, Parser, Tag, TagEnd,
};

use crate::document::{FrontMatterFormat, HeadingForm};

#[derive(Debug)]
pub enum RawItem {
    Heading {
        level: u8,
        form: HeadingForm,
        title: String,
        span: Range<usize>,
    },
    /// Lines of prose to read line by line for labels and fields.
    Lines {
        span: Range<usize>,
        origin: LinesOrigin,
    },
    ListItem {
        depth: u8,
        span: Range<usize>,
    },
    TableRow {
        header: bool,
        span: Range<usize>,
        cells: Vec<Range<usize>>,
    },
    Code {
        span: Range<usize>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinesOrigin {
    Paragraph,
    /// A paragraph inside a list item or block quote: fields yes, headings no.
    NestedParagraph,
    /// An indented code block: in postmortems this is nearly always indented prose.
    IndentedCode,
    Html,
}

#[derive(Debug, Default)]
pub struct Scan {
    pub items: Vec<RawItem>,
    pub masked: Vec<Range<usize>>,
    pub front_matter: Option<(FrontMatterFormat, Range<usize>, Range<usize>)>,
}

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_STRIKETHROUGH
}

pub fn scan(text: &str) -> Scan {
    let mut out = Scan::default();
    let mut heading: Option<(u8, usize, String)> = None;
    let mut list_depth: u8 = 0;
    let mut quote_depth: u32 = 0;
    let mut row: Option<(bool, usize, Vec<Range<usize>>)> = None;
    let mut metadata: Option<(FrontMatterFormat, usize)> = None;

    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                heading = Some((level_num(level), range.start, String::new()));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, start, title)) = heading.take() {
                    let first_line_end = text[start..range.end]
                        .find('\n')
                        .map_or(range.end, |i| start + i);
                    let setext = range.end > first_line_end + 1
                        && !text[start..].trim_start().starts_with('#');
                    out.items.push(RawItem::Heading {
                        level,
                        form: if setext {
                            HeadingForm::Setext
                        } else {
                            HeadingForm::Atx
                        },
                        title: title.trim().trim_end_matches(':').trim_end().to_string(),
                        span: trim_span(text, start..first_line_end),
                    });
                }
            }
            Event::Start(Tag::Paragraph) => {
                let origin = if list_depth > 0 || quote_depth > 0 {
                    LinesOrigin::NestedParagraph
                } else {
                    LinesOrigin::Paragraph
                };
                out.items.push(RawItem::Lines {
                    span: trim_span(text, range),
                    origin,
                });
            }
            Event::Start(Tag::List(_)) => list_depth = list_depth.saturating_add(1),
            Event::End(TagEnd::List(_)) => list_depth = list_depth.saturating_sub(1),
            Event::Start(Tag::BlockQuote(_)) => quote_depth += 1,
            Event::End(TagEnd::BlockQuote(_)) => quote_depth = quote_depth.saturating_sub(1),
            Event::Start(Tag::Item) => out.items.push(RawItem::ListItem {
                depth: list_depth.saturating_sub(1),
                span: trim_span(text, range),
            }),
            Event::Start(Tag::TableHead) => row = Some((true, range.start, Vec::new())),
            Event::Start(Tag::TableRow) => row = Some((false, range.start, Vec::new())),
            Event::End(TagEnd::TableHead) | Event::End(TagEnd::TableRow) => {
                if let Some((header, start, cells)) = row.take() {
                    out.items.push(RawItem::TableRow {
                        header,
                        span: trim_span(text, start..range.end),
                        cells,
                    });
                }
            }
            Event::Start(Tag::TableCell) => {
                if let Some((_, _, cells)) = row.as_mut() {
                    cells.push(trim_cell(text, range));
                }
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                match kind {
                    CodeBlockKind::Fenced(_) => {
                        out.masked.push(range.clone());
                        out.items.push(RawItem::Code {
                            span: trim_span(text, range),
                        });
                    }
                    CodeBlockKind::Indented => {
                        // Not inside a list: there, indentation is list continuation.
                        // Keep the indentation: it nests plain labels.
                        let span = full_lines(text, range);
                        let end = span.start + text[span.clone()].trim_end().len();
                        out.items.push(RawItem::Lines {
                            span: span.start..end,
                            origin: LinesOrigin::IndentedCode,
                        });
                    }
                }
            }
            Event::Start(Tag::HtmlBlock) => {
                // A comment is not content; whatever HTML follows it on later lines is.
                let mut start = range.start;
                if text[range.clone()].trim_start().starts_with("<!--") {
                    let end = text[range.clone()]
                        .find("-->")
                        .map_or(range.end, |i| range.start + i + 3);
                    out.masked.push(range.start..end);
                    start = end;
                }
                if !text[start..range.end].trim().is_empty() {
                    out.items.push(RawItem::Lines {
                        span: trim_span(text, start..range.end),
                        origin: LinesOrigin::Html,
                    });
                }
            }
            Event::InlineHtml(html) if html.trim_start().starts_with("<!--") => {
                out.masked.push(range);
            }
            Event::Code(code) => {
                if let Some((_, _, title)) = heading.as_mut() {
                    title.push_str(&code);
                }
                out.masked.push(range);
            }
            Event::Text(t) => {
                if let Some((_, _, title)) = heading.as_mut() {
                    title.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some((_, _, title)) = heading.as_mut() {
                    title.push(' ');
                }
            }
            Event::Start(Tag::MetadataBlock(kind)) => {
                let format = match kind {
                    MetadataBlockKind::YamlStyle => FrontMatterFormat::Yaml,
                    MetadataBlockKind::PlusesStyle => FrontMatterFormat::Toml,
                };
                metadata = Some((format, range.start));
                out.masked.push(range);
            }
            Event::End(TagEnd::MetadataBlock(_)) => {
                // The content is between the fence lines.
                if let Some((format, start)) = metadata.take() {
                    let inner_start = text[start..]
                        .find('\n')
                        .map_or(range.end, |i| start + i + 1);
                    let inner_end = text[..range.end]
                        .trim_end()
                        .rfind('\n')
                        .map_or(inner_start, |i| i + 1)
                        .max(inner_start);
                    out.front_matter = Some((format, start..range.end, inner_start..inner_end));
                }
            }
            _ => {}
        }
    }
    out.masked.sort_by_key(|r| r.start);
    out
}

fn level_num(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// A span without surrounding whitespace.
pub fn trim_span(text: &str, range: Range<usize>) -> Range<usize> {
    let s = text.get(range.clone()).unwrap_or("");
    let start = range.start + (s.len() - s.trim_start().len());
    let end = range.start + s.trim_end().len();
    start..end.max(start)
}

/// A table cell without its pipes and padding.
fn trim_cell(text: &str, range: Range<usize>) -> Range<usize> {
    let r = trim_span(text, range);
    let s = &text[r.clone()];
    let inner = s.trim_start_matches('|').trim_end_matches('|');
    let start = r.start + (s.len() - s.trim_start_matches('|').len());
    trim_span(text, start..start + inner.len())
}

/// Extends a range to whole lines (indented code ranges start after the indentation).
fn full_lines(text: &str, range: Range<usize>) -> Range<usize> {
    let start = text[..range.start].rfind('\n').map_or(0, |i| i + 1);
    start..range.end
}
