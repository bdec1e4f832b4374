use std::ops::Range;

use super::{Context, Rule, Sink};
use crate::diagnostic::Severity;

pub static RULE: Rule = Rule {
    code: "PM004",
    name: "placeholder",
    default_severity: Severity::Warning,
    summary: "template text left in: TODO, TBD, {{ ... }}, <describe ...>, [insert ...], HH:MM, lorem ipsum",
    docs: r#"## What it does
Finds template text that was never filled in: the markers `TODO`, `TBD`, `FIXME` and `XXX`;
template variables `{{ title }}` and `{CUSTOMER IMPACT}`; prompts in angle brackets
(`<describe the impact>`, `<owner>`; not HTML tags or autolinks) or square brackets
(`[insert timeline here]`); time and date
stand-ins (`HH:MM`, `XX:XX`, `??:??`, `YYYY-MM-DD`); and lorem ipsum, in the text and in
front matter values. Code blocks, inline code and HTML comments are not searched, and a heading such as "TODO list"
that names the action-item section is not a placeholder.

## Why it matters
A postmortem published with `{NUMBER} users were affected` or `Owner: TBD` looks finished in
review tools but leaves out exactly the facts readers need.

## Example
```markdown
## Impact
{NUMBER} users could not log in between HH:MM and 10:40 UTC.
```
Fixed:
```markdown
## Impact
About 1,200 users could not log in between 10:05 and 10:40 UTC.
```

## Options
None.
"#,
    check,
};

/// Words that are placeholders when written in capitals as a whole word.
const MARKERS: &[&str] = &["TODO", "TBD", "FIXME", "XXX", "TBA"];
/// Time and date stand-ins (capitalised, as templates write them: the scan only stops at the
/// bytes in `START`).
const STAND_INS: &[&str] = &["HH:MM", "HH:mm", "XX:XX", "??:??", "YYYY-MM-DD", "--:--"];
/// First words of a bracketed prompt: `[insert ...]`, `<describe ...>`.
const PROMPT_WORDS: &[&str] = &[
    "insert",
    "describe",
    "add",
    "enter",
    "fill",
    "your",
    "link",
    "explain",
    "summarize",
    "summarise",
    "list",
    "provide",
    "write",
    "include",
    "specify",
    "placeholder",
    "name of",
    "todo",
    "tbd",
    "date",
    "time",
    "owner",
    "ticket",
];
/// One-word prompts in angle brackets: `<owner>`, `<ticket>`.
const SINGLE_WORD_PROMPTS: &[&str] = &[
    "owner",
    "ticket",
    "severity",
    "title",
    "team",
    "name",
    "date",
    "time",
    "link",
    "url",
    "mitigated",
    "resolved",
    "detected",
    "value",
    "description",
    "action",
    "impact",
    "tbd",
];
/// Tags that are real HTML, not prompts.
const HTML_TAGS: &[&str] = &[
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "center",
    "code",
    "dd",
    "del",
    "details",
    "div",
    "dl",
    "dt",
    "em",
    "font",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "iframe",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "picture",
    "pre",
    "q",
    "s",
    "small",
    "source",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
    "video",
    "figure",
    "figcaption",
    "section",
    "article",
    "header",
    "footer",
    "nav",
    "main",
];

fn check(ctx: &Context, out: &mut Sink) {
    let doc = ctx.doc;
    let text = doc.text;
    // Headings that name a section ("TODO List:") are not leftovers.
    let named_headings: Vec<Range<usize>> = doc
        .sections
        .iter()
        .filter(|s| !s.kinds.is_empty())
        .map(|s| s.heading_span.clone())
        .collect();
    let mut found: Vec<(Range<usize>, String)> = Vec::new();
    let mut pos = 0;
    // Front matter values are searched too (`detected: "<when>"`); code and comments are not.
    let front = doc.front_matter.as_ref().map(|f| f.span.clone());
    let skipped = doc.masked.iter().filter(|m| Some(*m) != front.as_ref());
    for m in skipped.chain(std::iter::once(&(text.len()..text.len()))) {
        if m.start > pos {
            scan(text, pos..m.start, &mut found);
        }
        pos = pos.max(m.end);
    }
    for (span, what) in found {
        let in_heading = named_headings
            .binary_search_by(|h| {
                if h.end <= span.start {
                    std::cmp::Ordering::Less
                } else if h.start > span.start {
                    std::cmp::Ordering::Greater
                } else {
                    std::cmp::Ordering::Equal
                }
            })
            .is_ok();
        if in_heading {
            continue;
        }
        out.report(
            span.clone(),
            format!("placeholder `{what}` left in the text"),
        )
        .suggest("replace the placeholder with the real content", None, span);
    }
}

/// Finds placeholders in `text[range]`, one line at a time.
fn scan(text: &str, range: Range<usize>, found: &mut Vec<(Range<usize>, String)>) {
    let mut line_start = range.start;
    for line in text[range.clone()].split_inclusive('\n') {
        scan_line(line, line_start, found);
        line_start += line.len();
    }
}

/// Bytes that can start a placeholder; every other byte is skipped without a comparison.
const START: [bool; 256] = {
    let mut t = [false; 256];
    let starts = b"TFXHY?-L{[<";
    let mut i = 0;
    while i < starts.len() {
        t[starts[i] as usize] = true;
        i += 1;
    }
    t
};

fn scan_line(line: &str, base: usize, found: &mut Vec<(Range<usize>, String)>) {
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let Some(skip) = bytes[i..].iter().position(|b| START[*b as usize]) else {
            break;
        };
        i += skip;
        let b = bytes[i];
        let rest = &line[i..];
        let word_start = i == 0 || !is_word(bytes[i - 1]);
        let ends_word = |len: usize| !bytes.get(i + len).is_some_and(|c| is_word(*c));
        let mut hit: Option<usize> = None;
        if word_start {
            hit = MARKERS
                .iter()
                .chain(STAND_INS)
                .find(|m| rest.starts_with(**m) && ends_word(m.len()))
                .map(|m| m.len());
            if hit.is_none()
                && b == b'L'
                && rest
                    .get(..11)
                    .is_some_and(|h| h.eq_ignore_ascii_case("lorem ipsum"))
            {
                hit = Some(11);
            }
        }
        if hit.is_none() {
            let close = match b {
                b'{' => Some('}'),
                b'[' => Some(']'),
                b'<' => Some('>'),
                _ => None,
            };
            hit = close.and_then(|c| bracketed(rest, b, c));
        }
        match hit {
            Some(len) => {
                found.push((base + i..base + i + len, rest[..len].to_string()));
                i += len;
            }
            None => i += 1,
        }
        // Every byte in START is ASCII, so `i` stays on a char boundary after a skip of one;
        // a match ends on a boundary because its text is ASCII or ends with a bracket.
        while i < bytes.len() && !line.is_char_boundary(i) {
            i += 1;
        }
    }
}

/// Length of a bracketed placeholder starting at `rest[0]`, if it is one.
fn bracketed(rest: &str, open: u8, close: char) -> Option<usize> {
    // Bounded look-ahead keeps a 10 MB line linear.
    let window = &rest[..crate::source::floor_char_boundary(rest, 160)];
    let end = window[1..].find(close)? + 1;
    let double = open == b'{' && rest.as_bytes().get(1) == Some(&b'{');
    if double {
        let end = window.find("}}")? + 2;
        return (end > 4).then_some(end);
    }
    let inner = window[1..end].trim();
    let first = inner.chars().next()?;
    if !first.is_alphanumeric() {
        return None;
    }
    let len = end + 1;
    match open {
        // `{CUSTOMER IMPACT}`, `{16:00}`: braces in prose (code is masked) are template slots.
        b'{' => (!inner.contains(['{', '=', ';', '"', '$'])).then_some(len),
        b'[' => {
            // A link's text is not a prompt: `[add alerting](url)`, `[text][ref]`.
            let next = rest.as_bytes().get(len);
            let link = matches!(next, Some(b'(') | Some(b'[') | Some(b':'));
            (!link && starts_with_prompt(inner)).then_some(len)
        }
        _ => {
            // `<who was affected, and how>`, `<owner>`: a prompt, unless it is HTML (a known
            // tag, attributes) or an autolink. `< b` with a space after `<` is prose.
            let lower = inner.to_ascii_lowercase();
            let tag = lower.split_whitespace().next().unwrap_or("");
            let html = HTML_TAGS.contains(&tag) || inner.contains(['=', '"', '/']);
            let attached = rest
                .as_bytes()
                .get(1)
                .is_some_and(|b| b.is_ascii_alphabetic());
            let prompt = inner.contains(' ')
                || SINGLE_WORD_PROMPTS.contains(&lower.as_str())
                || starts_with_prompt(inner);
            (!html && attached && prompt).then_some(len)
        }
    }
}

fn starts_with_prompt(inner: &str) -> bool {
    let lower = inner.to_ascii_lowercase();
    PROMPT_WORDS.iter().any(|w| {
        lower.starts_with(w)
            && !lower
                .as_bytes()
                .get(w.len())
                .is_some_and(|c| c.is_ascii_alphanumeric())
    })
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}
