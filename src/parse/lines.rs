//! Plain-text structure inside prose: label lines that act as headings (`Issue Summary:`,
//! `**Timeline**`, `<h3>Root Cause</h3>`) and `Label: value` field lines.
//!
//! Works on one line at a time and never looks back, so a paragraph of any size is linear.

use std::borrow::Cow;
use std::ops::Range;

use crate::document::{FieldName, HeadingForm, KindTable, LABEL_LEVEL, field_name};

/// What one line of prose turned out to be.
#[derive(Debug)]
pub enum LineItem {
    Heading {
        level: u8,
        form: HeadingForm,
        title: String,
        span: Range<usize>,
    },
    Prose {
        span: Range<usize>,
    },
}

/// A `Label: value` line naming a known field.
#[derive(Debug)]
pub struct FieldLine {
    pub name: FieldName,
    pub label: String,
    pub value: String,
    pub span: Range<usize>,
    pub value_span: Range<usize>,
}

/// Longest line considered as a label or field; anything longer is prose.
const MAX_LABEL_LINE: usize = 120;

/// Reads one line (`range` is the line without its ending). `headings` says whether label lines
/// may become headings here (not inside list items or quotes).
pub fn read_line(
    text: &str,
    range: Range<usize>,
    headings: bool,
    kinds: &KindTable,
    fields: &mut Vec<FieldLine>,
) -> Option<LineItem> {
    let raw = &text[range.clone()];
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return None;
    }
    let lead = raw.len() - raw.trim_start().len();
    let span = range.start + lead..range.start + lead + trimmed.len();
    if trimmed.len() > MAX_LABEL_LINE {
        if let Some(f) = field_line(text, span.clone()) {
            fields.push(f);
        }
        return Some(LineItem::Prose { span });
    }
    let indent: usize = raw[..lead]
        .chars()
        .map(|c| if c == '\t' { 4 } else { 1 })
        .sum();

    if headings
        && let Some((level, title)) = html_heading(trimmed)
        && !title.is_empty()
    {
        return Some(LineItem::Heading {
            level,
            form: HeadingForm::Html,
            title,
            span,
        });
    }

    // `## Title` inside an HTML block or indented prose still reads as a heading.
    if headings && indent < 4 {
        let hashes = trimmed.bytes().take_while(|b| *b == b'#').count();
        if (1..=6).contains(&hashes) && trimmed.as_bytes().get(hashes) == Some(&b' ') {
            let title = strip_markup(&trimmed[hashes..])
                .0
                .trim()
                .trim_end_matches(':')
                .to_string();
            if !title.is_empty() {
                return Some(LineItem::Heading {
                    level: hashes as u8,
                    form: HeadingForm::Atx,
                    title,
                    span,
                });
            }
        }
    }

    // Indented labels nest: each 4 columns (or part of them) is one level down.
    let label_level = LABEL_LEVEL + indent.div_ceil(4).min(3) as u8;

    // Most lines cannot be label headings: decide that on the raw text, before allocating.
    if headings && could_be_label(trimmed) {
        let (plain, bold) = strip_markup(trimmed);
        let plain = plain.trim();
        let (label, colon) = match plain.strip_suffix(':') {
            Some(l) => (l.trim_end(), true),
            None => (plain, false),
        };
        // `Timeline (all times -08:00):` — a colon inside a trailing zone qualifier does
        // not end the label, but only a known section name qualifies ("Update (14:05):"
        // is a timeline entry).
        let qualified = label.contains(':') && offset_qualified(label);
        if !label.is_empty() && (!label.contains(':') || qualified) {
            let is_heading = if qualified {
                (colon || bold) && !kinds.classify(label).is_empty()
            } else if colon || bold {
                !kinds.classify(label).is_empty() || short_label(label)
            } else {
                // A known name alone on a line, written as a title: "Timeline", not "the fix."
                word_count(label) <= 6
                    && label.chars().next().is_some_and(char::is_uppercase)
                    && !label.ends_with(['.', ',', ';'])
                    && !kinds.classify_exact(label).is_empty()
            };
            if is_heading {
                return Some(LineItem::Heading {
                    level: label_level,
                    form: if bold {
                        HeadingForm::BoldLabel
                    } else {
                        HeadingForm::PlainLabel
                    },
                    title: label.to_string(),
                    span,
                });
            }
        }
    }

    if let Some(f) = field_line(text, span.clone()) {
        fields.push(f);
    }
    Some(LineItem::Prose { span })
}

/// A `Label: value` field on a line (markup such as `- **Start:**` allowed around the label).
/// Only the label is bounded; the value may be as long as the line.
pub fn field_line(text: &str, span: Range<usize>) -> Option<FieldLine> {
    let raw = &text[span.clone()];
    // A label, with its markup (`- **<span style="...">Start:</span>**`), is near the start.
    let head = &raw[..crate::source::floor_char_boundary(raw, 100)];
    let colon = colon_outside_tags(head)?;
    let first = raw[..colon].trim_start_matches(|c: char| !c.is_alphanumeric() && c != '<');
    if first.is_empty() || first.starts_with(|c: char| c.is_ascii_digit()) {
        return None; // "10:45 AM: ..." is a timeline entry, not a field
    }
    let (label, _) = strip_markup(&raw[..colon]);
    let label = label.trim();
    if label.is_empty() || label.len() > 60 {
        return None;
    }
    let name = field_name(label)?;
    let value_start = skip_markup(raw, colon + 1);
    let (value, _) = strip_markup(&raw[value_start..]);
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    Some(FieldLine {
        name,
        label: label.to_string(),
        value: value.to_string(),
        value_span: span.start + value_start..span.end,
        span,
    })
}

/// The first `:` that is not inside an HTML tag (`<span style="color: red">`).
fn colon_outside_tags(raw: &str) -> Option<usize> {
    // Most lines have no tag before their first colon, or no colon at all.
    let first = memchr::memchr(b':', raw.as_bytes())?;
    if memchr::memchr(b'<', &raw.as_bytes()[..first]).is_none() {
        return Some(first);
    }
    let mut in_tag = false;
    for (i, b) in raw.bytes().enumerate() {
        match b {
            b'<' if is_tag_start(raw, i) => in_tag = true,
            b'>' => in_tag = false,
            b':' if !in_tag => return Some(i),
            _ => {}
        }
    }
    None
}

/// Offset from `i` of the `>` closing a tag that opens at `i`; tags are short, so the search
/// is bounded and a line full of `<` stays linear.
fn tag_end(s: &str, i: usize) -> Option<usize> {
    let window = &s[i..crate::source::floor_char_boundary(s, i + 256)];
    window.find('>')
}

/// Does an HTML tag start at `i` (`<a`, `</a`, `<!--`), rather than a bare `<`?
fn is_tag_start(s: &str, i: usize) -> bool {
    let b = s.as_bytes();
    match b.get(i + 1) {
        Some(b'!') => true,
        Some(b'/') => is_html_name(b.get(i + 2..).unwrap_or_default()),
        Some(c) if c.is_ascii_alphabetic() => is_html_name(b.get(i + 1..).unwrap_or_default()),
        _ => false,
    }
}

/// HTML element names, sorted: what is markup rather than a prompt such as `<incident
/// title>` (shared with `placeholder`).
const HTML_ELEMENTS: [&str; 70] = [
    "a",
    "abbr",
    "article",
    "aside",
    "b",
    "big",
    "blockquote",
    "body",
    "br",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "dd",
    "del",
    "details",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "font",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "html",
    "i",
    "iframe",
    "img",
    "ins",
    "kbd",
    "li",
    "main",
    "mark",
    "nav",
    "ol",
    "p",
    "picture",
    "pre",
    "q",
    "s",
    "section",
    "small",
    "source",
    "span",
    "strike",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "time",
    "tr",
    "tt",
    "u",
    "ul",
    "var",
    "video",
];

/// Whether `name` (any case) is an HTML element.
pub fn is_html_element(name: &str) -> bool {
    let mut lower = [0u8; 10];
    let Some(buf) = lower.get_mut(..name.len()) else {
        return false;
    };
    buf.copy_from_slice(name.as_bytes());
    buf.make_ascii_lowercase();
    let buf = &*buf;
    HTML_ELEMENTS
        .binary_search_by(|e| e.as_bytes().cmp(buf))
        .is_ok()
}

/// Whether `rest` starts with the name of an HTML element. Prompts such as `<incident title>`
/// or `<your name>` are text an author must replace, not markup to strip.
fn is_html_name(rest: &[u8]) -> bool {
    let len = rest
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric())
        .count();
    let ends = matches!(rest.get(len), None | Some(b'>' | b'/' | b' ' | b'\t'));
    // The name is ASCII alphanumeric, so this slice is on a character boundary.
    ends && std::str::from_utf8(&rest[..len]).is_ok_and(|n| !n.is_empty() && is_html_element(n))
}

/// Index of the first byte at or after `i` that is not whitespace, emphasis or an HTML tag.
fn skip_markup(raw: &str, mut i: usize) -> usize {
    let b = raw.as_bytes();
    while i < b.len() {
        match b[i] {
            b' ' | b'\t' | b'*' | b'_' => i += 1,
            b'<' if is_tag_start(raw, i) => match tag_end(raw, i) {
                Some(j) => i += j + 1,
                None => break,
            },
            _ => break,
        }
    }
    i
}

/// `<h3>Root Cause</h3>` → (3, "Root Cause").
fn html_heading(line: &str) -> Option<(u8, String)> {
    // Every line comes here: compare in place rather than lower-case a copy.
    let b = line.as_bytes().get(..4)?;
    if b[0] != b'<'
        || !b[1].eq_ignore_ascii_case(&b'h')
        || !(b'1'..=b'6').contains(&b[2])
        || !(b[3] == b'>' || b[3] == b' ')
    {
        return None;
    }
    let (plain, _) = strip_markup(line);
    Some((b[2] - b'0', plain.trim().to_string()))
}

/// The line's text without HTML tags, emphasis markers, list markers and quote markers, and
/// whether all of its text was bold.
pub fn strip_markup(line: &str) -> (Cow<'_, str>, bool) {
    let mut s = line.trim();
    while let Some(rest) = s.strip_prefix('>') {
        s = rest.trim_start();
    }
    // Every marker starts with one of these: most lines try none of them.
    if s.starts_with(['-', '*', '+', '•']) {
        for marker in [
            "- [ ] ", "- [x] ", "* [ ] ", "* [x] ", "- ", "* ", "+ ", "• ",
        ] {
            if let Some(rest) = s.strip_prefix(marker) {
                s = rest.trim_start();
                break;
            }
        }
    }
    // Most text has no markup at all: borrow it without the per-character walk.
    if memchr::memchr3(b'<', b'*', b'_', s.as_bytes()).is_none()
        && memchr::memchr(b'`', s.as_bytes()).is_none()
    {
        return (Cow::Borrowed(s), false);
    }
    let (out, bold) = strip_owned(s);
    (Cow::Owned(out), bold)
}

/// The markup-stripping walk of [`strip_markup`]: text between markup bytes is copied a run
/// at a time, not a character at a time.
fn strip_owned(s: &str) -> (String, bool) {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut bold_open = false;
    let mut saw_text_outside_bold = false;
    let mut saw_bold = false;
    let mut i = 0;
    while i < b.len() {
        let k = b[i..]
            .iter()
            .position(|c| matches!(c, b'<' | b'*' | b'_' | b'`'))
            .map_or(b.len(), |n| i + n);
        // The markup bytes are ASCII, so `i` and `k` are on character boundaries.
        let run = &s[i..k];
        out.push_str(run);
        if !bold_open && !saw_text_outside_bold {
            saw_text_outside_bold = run.chars().any(|c| !c.is_whitespace() && c != ':');
        }
        let Some(&c) = b.get(k) else {
            break;
        };
        i = k + 1;
        match c {
            b'<' if is_tag_start(s, k) => match tag_end(s, k) {
                // An HTML tag: skip it, noting <strong>/<b> as bold.
                Some(j) => {
                    let tag = s[k + 1..k + j].trim_start_matches('/');
                    let name = tag.split_whitespace().next().unwrap_or("");
                    if name.eq_ignore_ascii_case("strong") || name.eq_ignore_ascii_case("b") {
                        bold_open = !s[k + 1..].starts_with('/');
                        saw_bold = true;
                    }
                    i = k + j + 1;
                }
                None => out.push('<'),
            },
            b'<' => {
                saw_text_outside_bold |= !bold_open;
                out.push('<');
            }
            b'*' | b'_' if b.get(k + 1) == Some(&c) => {
                i = k + 2;
                bold_open = !bold_open;
                saw_bold = true;
            }
            b'_' if k > 0 && s[k + 1..].chars().next().is_some_and(char::is_alphanumeric) => {
                out.push('_'); // snake_case
            }
            _ => {}
        }
    }
    (out, saw_bold && !saw_text_outside_bold)
}

/// Can this line be a label heading? Labels end with `:` or with bold or HTML markup; a bare
/// known name ("Timeline") is short and has no colon.
fn could_be_label(line: &str) -> bool {
    line.ends_with([':', '*', '_', '>'])
        || (line.len() <= 60 && !line.contains(':') && line.split_whitespace().nth(6).is_none())
}

/// Does the label end in a parenthetical whose only colons are in UTC offsets: `Timeline
/// (all times -08:00)`, `Timeline (UTC+05:30, IST)`? Times such as `(14:05)` are not.
fn offset_qualified(label: &str) -> bool {
    let Some(body) = label.strip_suffix(')') else {
        return false;
    };
    let Some(open) = body.rfind('(') else {
        return false;
    };
    let (head, inner) = (&body[..open], &body[open + 1..]);
    !head.trim().is_empty()
        && !head.contains([':', '(', ')'])
        && inner
            .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '/'))
            .filter(|w| w.contains(':'))
            .all(|w| crate::time::zone::signed_offset(w).is_some())
}

/// A short title-like label: "Duration", "Steps taken". Sentences ("Moving forward, the team
/// will prioritize these tasks") are lead-ins to a list, not headings.
fn short_label(label: &str) -> bool {
    let starts_upper = label.chars().next().is_some_and(|c| c.is_uppercase());
    starts_upper
        && word_count(label) <= 5
        && label.len() <= 50
        && !label.contains(['.', ',', ';', '!', '?', '"'])
        && !label.chars().next().is_some_and(|c| c.is_ascii_digit())
}

fn word_count(s: &str) -> usize {
    s.split_whitespace().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// HTML tags are markup; a prompt in angle brackets is text the author must replace.
    #[test]
    fn strip_markup_keeps_prompts_in_angle_brackets() {
        assert_eq!(strip_markup("<b>Impact</b>: all").0, "Impact: all");
        assert_eq!(strip_markup("<SPAN class=x>Root</span>").0, "Root");
        assert_eq!(
            strip_markup("Postmortem: <incident title>").0,
            "Postmortem: <incident title>"
        );
        assert_eq!(strip_markup("<your name>").0, "<your name>");
        assert_eq!(strip_markup("x <!-- note --> y").0, "x  y");
    }

    /// The character-at-a-time walk `strip_owned` replaced: the run-at-a-time one must agree.
    fn strip_reference(s: &str) -> (String, bool) {
        let mut out = String::new();
        let (mut bold_open, mut outside, mut saw_bold) = (false, false, false);
        let mut chars = s.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            match c {
                '<' if is_tag_start(s, i) => {
                    if let Some(j) = tag_end(s, i) {
                        let tag = s[i + 1..i + j].trim_start_matches('/').to_ascii_lowercase();
                        let name = tag.split_whitespace().next().unwrap_or("");
                        if name == "strong" || name == "b" {
                            bold_open = !s[i + 1..].starts_with('/');
                            saw_bold = true;
                        }
                        while chars.peek().is_some_and(|(k, _)| *k <= i + j) {
                            chars.next();
                        }
                    } else {
                        out.push(c);
                    }
                }
                '*' | '_' => {
                    if chars.peek().is_some_and(|(_, n)| *n == c) {
                        chars.next();
                        bold_open = !bold_open;
                        saw_bold = true;
                    } else if c == '_'
                        && i > 0
                        && chars.peek().is_some_and(|(_, n)| n.is_alphanumeric())
                    {
                        out.push(c);
                    }
                }
                '`' => {}
                _ => {
                    outside |= !bold_open && !c.is_whitespace() && c != ':';
                    out.push(c);
                }
            }
        }
        (out, saw_bold && !outside)
    }

    #[test]
    fn strip_owned_agrees_with_the_character_walk() {
        let pieces = [
            "**",
            "*",
            "_",
            "__",
            "`",
            "<b>",
            "</B>",
            "<strong x=1>",
            "</strong>",
            "<span>",
            "<!-- c -->",
            "<",
            "<your name>",
            ">",
            ":",
            " ",
            "\t",
            "é",
            "\u{2003}",
            "a_b",
            "snake_case",
            "Start",
            "10:00",
            "<b",
            "x",
            "_é",
            "中",
        ];
        // A fixed pseudo-random walk over the pieces: every pair, and longer mixes.
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut cases: Vec<String> = Vec::new();
        for a in pieces {
            for b in pieces {
                cases.push(format!("{a}{b}"));
            }
        }
        for _ in 0..3000 {
            let mut s = String::new();
            for _ in 0..8 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                s.push_str(pieces[(seed % pieces.len() as u64) as usize]);
            }
            cases.push(s);
        }
        for case in &cases {
            assert_eq!(strip_owned(case), strip_reference(case), "{case:?}");
        }
        assert_eq!(strip_owned("**Impact:**"), ("Impact:".to_string(), true));
        assert_eq!(strip_owned("<b>x</b> y"), ("x y".to_string(), false));
    }

    fn read(line: &str) -> (Option<LineItem>, Vec<FieldLine>) {
        let kinds = KindTable::default();
        let mut fields = Vec::new();
        let item = read_line(line, 0..line.len(), true, &kinds, &mut fields);
        (item, fields)
    }

    fn heading_title(line: &str) -> Option<String> {
        match read(line).0 {
            Some(LineItem::Heading { title, .. }) => Some(title),
            _ => None,
        }
    }

    #[test]
    fn label_lines_become_headings() {
        assert_eq!(
            heading_title("Issue Summary:").as_deref(),
            Some("Issue Summary")
        );
        assert_eq!(heading_title("**Timeline**").as_deref(), Some("Timeline"));
        assert_eq!(heading_title("**Timeline**:").as_deref(), Some("Timeline"));
        assert_eq!(
            heading_title("__Root Cause:__").as_deref(),
            Some("Root Cause")
        );
        assert_eq!(
            heading_title("<h3>Issue Summary</h3>").as_deref(),
            Some("Issue Summary")
        );
        assert_eq!(
            heading_title("Root Cause and Resolution").as_deref(),
            Some("Root Cause and Resolution")
        );
        for zoned in [
            "Timeline (all times -08:00):",
            "Timeline (all times UTC):",
            "Timeline (PST):",
            "Timeline (UTC-08:00):",
            "**Timeline (all times +05:30)**",
            "Timeline of events (all times UTC+05:30, IST):",
        ] {
            let title = heading_title(zoned);
            assert!(
                title.as_deref().is_some_and(|t| t.starts_with("Timeline")),
                "{zoned}: {title:?}"
            );
        }
        assert_eq!(
            heading_title("**<span style=\"color: red;\">Impact:</span>**").as_deref(),
            Some("Impact")
        );
    }

    #[test]
    fn sentences_and_fields_are_not_headings() {
        assert_eq!(
            heading_title("Moving forward, the engineering team will prioritize these tasks:"),
            None
        );
        assert_eq!(heading_title("**All in all, job well done!**"), None);
        assert_eq!(heading_title("Timeline of the outage was long"), None);
        assert_eq!(
            heading_title("Duration: May 8th, 2023, 10:00 AM - May 11, 2023"),
            None
        );
        assert_eq!(heading_title("10:45 AM (UTC): Issue Detected"), None);
        // A time in the parenthetical is an entry, not a zone qualifier.
        assert_eq!(heading_title("Update (14:05):"), None);
        assert_eq!(heading_title("Detection (14:05):"), None);
        assert_eq!(heading_title("Resolution (14:05 -08:00):"), None);
        assert_eq!(heading_title("Timeline (see below): the outage"), None);
        // Offsets qualify only a known section name.
        assert_eq!(heading_title("Deploy (UTC-08:00):"), None);
        assert_eq!(heading_title("Timeline (-08:00) of the day:"), None);
    }

    #[test]
    fn fields_are_read_with_value_spans() {
        let line = "- **Start:** June 1, 2024, 08:00 AM (UTC)";
        let (_, fields) = read(line);
        assert_eq!(fields.len(), 1);
        assert_eq!(fields[0].name, FieldName::Start);
        assert_eq!(fields[0].value, "June 1, 2024, 08:00 AM (UTC)");
        assert_eq!(
            &line[fields[0].value_span.clone()],
            "June 1, 2024, 08:00 AM (UTC)"
        );
        let (_, fields) = read("Impact: 20% of sign-ups failed");
        assert_eq!(fields[0].name, FieldName::Impact);
    }
}
