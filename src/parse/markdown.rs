//! One pass of pulldown-cmark over the text, reduced to the raw items the model is built from.
//!
//! Markdown structure (headings, lists, tables, code) comes from pulldown-cmark with source
//! offsets. Prose that may hide plain-text structure (paragraphs, indented "code" that is really
//! tab-indented prose, HTML blocks) is handed on as line runs for [`super::lines`] to read.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

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
        /// Where the item's own text ends: at its first nested list, or its end.
        own_end: usize,
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
    pub comments: Vec<Range<usize>>,
    pub front_matter: Option<(FrontMatterFormat, Range<usize>, Range<usize>)>,
}

/// pulldown-cmark's own metadata-block option is off: it also takes a `---` rule followed later
/// by another `---` in the middle of a document for front matter, swallowing the headings
/// between. Front matter is only recognised at the very start ([`front_matter`]).
pub fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS | Options::ENABLE_STRIKETHROUGH
}

/// Front matter at the start of the text: `---` … `---` (or `...`) for YAML, `+++` … `+++`
/// for TOML. Returns the format, the whole block and the part between the fences.
pub fn front_matter(text: &str) -> Option<(FrontMatterFormat, Range<usize>, Range<usize>)> {
    let first = text.lines().next()?;
    let (format, closers): (_, &[&str]) = match first.trim_end() {
        "---" => (FrontMatterFormat::Yaml, &["---", "..."]),
        "+++" => (FrontMatterFormat::Toml, &["+++"]),
        _ => return None,
    };
    let inner_start = text.find('\n')? + 1;
    let mut offset = inner_start;
    for line in text[inner_start..].split_inclusive('\n') {
        if closers.contains(&line.trim_end()) {
            return Some((format, 0..offset + line.len(), inner_start..offset));
        }
        offset += line.len();
    }
    None
}

pub fn scan(text: &str) -> Scan {
    // Sized for a typical postmortem (one item per ~60 bytes), so the vector rarely grows;
    // capped so a huge single paragraph does not reserve memory it never uses.
    let mut out = Scan {
        items: Vec::with_capacity((text.len() / 60).min(512)),
        ..Scan::default()
    };
    // Markdown starts after the front matter; offsets are shifted back to the whole text.
    let base = match front_matter(text) {
        Some((format, span, inner)) => {
            out.masked.push(span.clone());
            let end = span.end;
            out.front_matter = Some((format, span, inner));
            end
        }
        None => 0,
    };
    let mut heading: Option<(u8, usize, String)> = None;
    let mut list_depth: u8 = 0;
    let mut open_items: Vec<usize> = Vec::with_capacity(4);
    let mut quote_depth: u32 = 0;
    let mut row: Option<(bool, usize, Vec<Range<usize>>)> = None;

    for (event, range) in Parser::new_ext(&text[base..], options()).into_offset_iter() {
        let range = range.start + base..range.end + base;
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                heading = Some((level_num(level), range.start, String::new()));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, start, mut title)) = heading.take() {
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
                        title: {
                            trim_title(&mut title);
                            title
                        },
                        span: trim_span(text, start..first_line_end),
                    });
                }
            }
            // A list item's own lines are read with the item (see `parse`), not again here.
            Event::Start(Tag::Paragraph) if list_depth == 0 => {
                let origin = if quote_depth > 0 {
                    LinesOrigin::NestedParagraph
                } else {
                    LinesOrigin::Paragraph
                };
                out.items.push(RawItem::Lines {
                    span: trim_span(text, range),
                    origin,
                });
            }
            Event::Start(Tag::List(_)) => {
                if let Some(&i) = open_items.last()
                    && let Some(RawItem::ListItem { own_end, span, .. }) = out.items.get_mut(i)
                    && *own_end == span.end
                {
                    *own_end = range.start.max(span.start);
                }
                list_depth = list_depth.saturating_add(1)
            }
            Event::End(TagEnd::List(_)) => list_depth = list_depth.saturating_sub(1),
            Event::Start(Tag::BlockQuote(_)) => quote_depth += 1,
            Event::End(TagEnd::BlockQuote(_)) => quote_depth = quote_depth.saturating_sub(1),
            Event::Start(Tag::Item) => {
                let span = trim_span(text, range);
                open_items.push(out.items.len());
                out.items.push(RawItem::ListItem {
                    depth: list_depth.saturating_sub(1),
                    own_end: span.end,
                    span,
                });
            }
            Event::End(TagEnd::Item) => {
                open_items.pop();
            }
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
                    out.comments.push(range.start..end);
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
                out.comments.push(range.clone());
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
            _ => {}
        }
    }
    out.masked.sort_by_key(|r| r.start);
    out.comments.sort_by_key(|r| r.start);
    out
}

/// Trims a heading's text and its trailing colons in place (the string is the title).
fn trim_title(title: &mut String) {
    let lead = title.len() - title.trim_start().len();
    let end = title.trim_end().trim_end_matches(':').trim_end().len();
    // Only blank text trims past its own leading space: then nothing is left.
    title.truncate(end.max(lead));
    title.drain(..lead);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_titles_are_trimmed_in_place() {
        for (raw, want) in [
            ("  Timeline:  ", "Timeline"),
            ("Root cause : ", "Root cause"),
            ("Impact", "Impact"),
            ("  :  ", ""),
            ("   ", ""),
            (": :", ":"),
            ("\u{2003}Résumé::", "Résumé"),
        ] {
            let mut title = raw.to_string();
            trim_title(&mut title);
            assert_eq!(title, want, "{raw:?}");
            assert_eq!(title, raw.trim().trim_end_matches(':').trim_end());
        }
    }
}
