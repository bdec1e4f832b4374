use std::ops::Range;
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;

use super::{Context, Rule, Sink};
use crate::diagnostic::Severity;
use crate::document::Document;
use crate::fix::Applicability;

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
front matter values; assignment text left in a heading ("Root cause and resolution must
contain:"); and values left as `?`, or as `N/A` where a time or length is asked for ("Time
to detection: ?", "Time to recovery: N/A"). Code blocks, inline code and HTML comments are
not searched; a heading such as "TODO list" that names the action-item section, and a table
cell that holds only `TODO` or `DONE` (a status, as in the SRE book's action table), are not
placeholders. A stand-in in a timeline stamp (`2019-12-03 --:--`) is reported by
`timeline-unreadable` instead.

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
    fix: Some(Applicability::Unsafe),
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
    let mut found: Vec<(Range<usize>, &str)> = Vec::new();
    let mut pos = 0;
    // Front matter values are searched too (`detected: "<when>"`); code and comments are not.
    let front = doc.front_matter.as_ref().map(|f| f.span.clone());
    let skipped = doc.masked.iter().filter(|m| Some(*m) != front.as_ref());
    let matcher = marker_matcher();
    for m in skipped.chain(std::iter::once(&(text.len()..text.len()))) {
        if m.start > pos {
            scan(text, pos..m.start, matcher, &mut found);
        }
        pos = pos.max(m.end);
    }
    // A timeline stamp such as `2022-02-?? ??:??` is reported once, by timeline-unreadable;
    // a `TBA` in the same row belongs to that defect.
    let mut unreadable: Vec<Range<usize>> = ctx
        .timeline
        .entries
        .iter()
        .filter(|e| e.unreadable.is_some())
        .map(|e| e.span.clone())
        .collect();
    // Sorted by start, each end raised to the largest so far: a span lies inside one of them
    // when the last that starts at or before it reaches its end (a binary search, not a scan
    // of every entry per marker).
    unreadable.sort_by_key(|u| u.start);
    let mut reach = 0;
    for u in &mut unreadable {
        reach = reach.max(u.end);
        u.end = reach;
    }
    let mut pipes = FirstPipe::default();
    found.retain(|(span, what)| {
        // "(What 'high' is TBD)": the author says in a sentence that it is undecided.
        let said = MARKERS.contains(what) && {
            // Only the few bytes before the marker are read: a document of 50,000 TODOs
            // stays linear.
            let head = &text[..span.start];
            let before = head
                [crate::source::floor_char_boundary(head, head.len().saturating_sub(16))..]
                .trim_end_matches([' ', '*', '_'])
                .to_ascii_lowercase();
            [" is", " are", " still", " remains", " be"]
                .iter()
                .any(|w| before.ends_with(w))
        };
        if said {
            return false;
        }
        let stamp_part = MARKERS.contains(what) || matches!(*what, "??:??" | "--:--");
        let in_unreadable = unreadable
            .partition_point(|u| u.start <= span.start)
            .checked_sub(1)
            .is_some_and(|i| span.end <= unreadable[i].end);
        // `TODO` as a table status is a state; `TBD` in an Owner cell is still a slot.
        let status = *what == "TODO" && is_status_cell(doc, &mut pipes, span);
        !(status || stamp_part && in_unreadable)
    });
    assignment_headings(ctx, out);
    lone_values(ctx, out);
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

/// The first `|` of the line last asked about, found once per line.
#[derive(Default)]
struct FirstPipe {
    line: Option<usize>,
    at: Option<usize>,
}

/// A table cell that holds only a marker, or a marker in bold, is a status (`| DONE |`,
/// `| b/311403 **TODO** |`), as in the SRE book's action table. Reads only the markup
/// around the marker and, once per line, where the line's first `|` is: a line of 300,000
/// TODOs stays linear.
fn is_status_cell(doc: &Document, pipes: &mut FirstPipe, span: &Range<usize>) -> bool {
    let text = doc.text;
    let line_no = doc.lines.line_of(span.start);
    let line = doc.lines.line_range(text, line_no);
    if pipes.line != Some(line_no) {
        pipes.line = Some(line_no);
        pipes.at = memchr::memchr(b'|', &text.as_bytes()[line.clone()]).map(|i| line.start + i);
    }
    let before = &text[line.start..span.start];
    let after = text.get(span.end..line.end.max(span.end)).unwrap_or("");
    // Some `|` before the marker on its line.
    let Some(first) = pipes.at.filter(|&p| p < span.start) else {
        return false;
    };
    // `| b/311403 **TODO** |`: a bold status word in a table cell.
    let bold = (before.ends_with("**") && after.starts_with("**"))
        || (before.ends_with("__") && after.starts_with("__"));
    if bold {
        return true;
    }
    let markup = |c: char| c == '*' || c == '_' || c.is_whitespace();
    // Only markup between the cell's opening `|` and the marker ...
    let lead = before.trim_end_matches(markup);
    if !lead.ends_with('|') {
        return false;
    }
    let open = line.start + lead.len() - 1;
    // ... and between the marker and the closing `|` (or the end of the line, in a row
    // with an earlier cell).
    let trail = after.trim_start_matches(markup);
    if trail.starts_with('|') {
        return true;
    }
    trail.is_empty() && first < open
}

/// Assignment text left in a heading: "Root cause and resolution must contain:".
fn assignment_headings(ctx: &Context, out: &mut Sink) {
    for s in &ctx.doc.sections {
        let title = s.title.trim_end_matches([':', ' ', '*']);
        let Some(phrase) = crate::document::ASSIGNMENT_TAILS.iter().find(|p| {
            title.len() > p.len()
                && title
                    .get(title.len() - p.len()..)
                    .is_some_and(|t| t.eq_ignore_ascii_case(p))
        }) else {
            continue;
        };
        let heading = ctx.doc.slice(&s.heading_span);
        let at = heading
            .to_ascii_lowercase()
            .rfind(phrase)
            .map_or(s.heading_span.clone(), |i| {
                s.heading_span.start + i..s.heading_span.start + i + phrase.len()
            });
        out.report(
            at.clone(),
            format!(
                "assignment text left in the heading `{}`: `{phrase}`",
                s.title
            ),
        )
        .suggest(
            format!("drop `{phrase}` from the heading"),
            Some(String::new()),
            at.start.saturating_sub(1).max(s.heading_span.start)..at.end,
        );
    }
}

/// A value left as a stand-in: `Time to detection: ?`, `Time to recovery: N/A`.
fn lone_values(ctx: &Context, out: &mut Sink) {
    let doc = ctx.doc;
    let colons = value_colons(doc.text);
    // Most documents leave no value open: then no block's lines are read at all.
    if colons.is_empty() {
        return;
    }
    for b in doc.blocks.iter().filter(|b| {
        matches!(
            b.kind,
            crate::document::BlockKind::ListItem { .. } | crate::document::BlockKind::Paragraph
        )
    }) {
        // A lone value's colon lies in its line, inside the block: none there, no line to read.
        let first = colons.partition_point(|&c| c < b.span.start);
        if colons.get(first).is_none_or(|&c| c >= b.span.end) {
            continue;
        }
        for line in doc.own_lines(b) {
            if let Some((value, label)) = lone_value(doc.slice(&line)) {
                let span = line.end - value.len()..line.end;
                out.report(span.clone(), format!("`{label}` is left as `{value}`"))
                    .suggest("give the value, or say why it is not known", None, span);
            }
        }
    }
}

/// The colons that may end a label before a lone value: `:`, markup or spaces, then `?` or
/// `n` (`N/A`, `na`). Every line `lone_value` accepts has one; one memchr pass over the text.
fn value_colons(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b':', bytes)
        .filter(|&c| {
            let after = &bytes[c + 1..];
            let skip = after
                .iter()
                .position(|b| !matches!(b, b'*' | b'_' | b' '))
                .unwrap_or(after.len());
            matches!(after.get(skip), Some(b'?' | b'n' | b'N'))
        })
        .collect()
}

/// `Label: ?` (any label) or `Label: N/A` for a label that asks for a time or a length.
pub(crate) fn lone_value(line: &str) -> Option<(&str, &str)> {
    if line.len() > 120 {
        return None;
    }
    // A `?` or `n/a` value ends in `?` or `a` before its closing markup: most lines are
    // settled by their last bytes, before any search for the colon.
    let tail = line.trim_end_matches(['*', '_', ' ']);
    if !tail.ends_with(['?', 'a', 'A']) {
        return None;
    }
    let (label, value) = line.rsplit_once(':')?;
    let value = value.trim_matches(['*', '_', ' ']);
    let unknown = value.chars().all(|c| c == '?') && !value.is_empty();
    let na = value.eq_ignore_ascii_case("n/a") || value.eq_ignore_ascii_case("na");
    // Most lines with a colon hold a real value: settled before the label is looked at.
    if !unknown && !na {
        return None;
    }
    let label = label
        .trim_start_matches(['-', '*', '+', ' ', '\t'])
        .trim_matches(['*', '_', ' ']);
    if label.is_empty() || label.len() > 50 || !label.starts_with(|c: char| c.is_alphabetic()) {
        return None;
    }
    let lower = label.to_ascii_lowercase();
    let asks_time = [
        "time", "date", "duration", "detect", "recover", "resolv", "mitigat", "start", "end",
    ]
    .iter()
    .any(|w| lower.contains(w));
    (unknown || (na && asks_time)).then_some((value, label))
}

/// Where a marker, a stand-in or "lorem ipsum" can start: the whole strings (so `The` or a
/// table's `|----|` is never looked at) and `Lo`/`LO` for lorem ipsum in any case. Found with
/// aho-corasick's SIMD prefilter instead of a test of every byte.
static MARKER_STARTS: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| {
    AhoCorasick::builder()
        // Leftmost, so the packed (Teddy) prefilter is used; the prefilter does the scanning.
        .match_kind(aho_corasick::MatchKind::LeftmostFirst)
        .kind(Some(aho_corasick::AhoCorasickKind::NoncontiguousNFA))
        .build(MARKERS.iter().chain(STAND_INS).chain(&["Lo", "LO"]))
        .ok()
});

/// The matcher once it pays for its build (about 0.17M instructions, most of a one-file
/// run's rule time): the first documents of a run are walked byte by byte instead. Both find
/// the same placeholders (see the tests).
fn marker_matcher() -> Option<&'static AhoCorasick> {
    static WARMUP: crate::warmup::Warmup = crate::warmup::Warmup::new(16);
    if WARMUP.cold() {
        None
    } else {
        MARKER_STARTS.as_ref()
    }
}

/// Finds placeholders in `text[range]`. Only candidate positions are looked at: where a
/// marker string starts, and `{`, `[`, `<` (memchr3); each is then judged as a line-by-line
/// walk over every byte in `START` would judge it, so the findings are the same.
fn scan<'t>(
    text: &'t str,
    range: Range<usize>,
    matcher: Option<&AhoCorasick>,
    found: &mut Vec<(Range<usize>, &'t str)>,
) {
    let hay = &text.as_bytes()[..range.end];
    let next_marker = |from: usize| match matcher {
        Some(m) => m
            .find(aho_corasick::Input::new(hay).span(from..hay.len()))
            .map(|f| f.start()),
        None => hay[from..]
            .iter()
            .position(|b| START[*b as usize])
            .map(|k| from + k),
    };
    let next_bracket =
        |from: usize| memchr::memchr3(b'{', b'[', b'<', &hay[from..]).map(|k| from + k);
    // The next candidate of each kind at or after the last search; searched again only once
    // the walk has passed it.
    let mut marker = next_marker(range.start);
    let mut bracket = next_bracket(range.start);
    let mut i = range.start;
    loop {
        if marker.is_some_and(|m| m < i) {
            marker = next_marker(i);
        }
        if bracket.is_some_and(|b| b < i) {
            bracket = next_bracket(i);
        }
        let at = match (marker, bracket) {
            (Some(m), Some(b)) => m.min(b),
            (Some(p), None) | (None, Some(p)) => p,
            (None, None) => break,
        };
        match placeholder_at(text, range.start, hay, at) {
            Some(len) => {
                found.push((at..at + len, &text[at..at + len]));
                i = at + len;
            }
            None => i = at + 1,
        }
    }
}

/// Bytes that can start a placeholder (the fallback walk's filter, when there is no matcher).
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

/// The length of the placeholder at `hay[at]`, if one starts there. `hay` ends where the
/// searched range ends; `range_start` counts as a word boundary, as a line's start does.
fn placeholder_at(text: &str, range_start: usize, hay: &[u8], at: usize) -> Option<usize> {
    let b = hay[at];
    let rest = &text[at..hay.len()];
    let word_start = at == range_start || !is_word(hay[at - 1]);
    let ends_word = |len: usize| !hay.get(at + len).is_some_and(|c| is_word(*c));
    // The byte after decides most candidates without a comparison.
    let next = hay.get(at + 1).copied().unwrap_or(0);
    let could_be = match b {
        b'T' => matches!(next, b'O' | b'B'),
        b'F' => next == b'I',
        b'X' | b'H' | b'Y' | b'?' | b'-' => next == b,
        b'L' => next.eq_ignore_ascii_case(&b'o'),
        _ => false,
    };
    if word_start && could_be {
        let hit = MARKERS
            .iter()
            .chain(STAND_INS)
            .find(|m| rest.starts_with(**m) && ends_word(m.len()))
            .map(|m| m.len());
        if hit.is_some() {
            return hit;
        }
        if b == b'L'
            && rest
                .get(..11)
                .is_some_and(|h| h.eq_ignore_ascii_case("lorem ipsum"))
        {
            return Some(11);
        }
    }
    let close = match b {
        b'{' => '}',
        b'[' => ']',
        b'<' => '>',
        _ => return None,
    };
    // A bracketed placeholder stays on its line. Only its first 160 bytes are read, so the
    // line's end is looked for only that far.
    let near = &hay[at..hay.len().min(at + 161)];
    let line = match memchr::memchr(b'\n', near) {
        Some(nl) => &rest[..=nl],
        None => rest,
    };
    bracketed(line, b, close)
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
            // `is_html_element` and the comparisons ignore ASCII case: no lower-cased copy.
            let tag = inner.split_whitespace().next().unwrap_or("");
            let html = crate::parse::is_html_element(tag) || inner.contains(['=', '"', '/']);
            let attached = rest
                .as_bytes()
                .get(1)
                .is_some_and(|b| b.is_ascii_alphabetic());
            let prompt = inner.contains(' ')
                || SINGLE_WORD_PROMPTS
                    .iter()
                    .any(|w| w.eq_ignore_ascii_case(inner))
                || starts_with_prompt(inner);
            (!html && attached && prompt).then_some(len)
        }
    }
}

fn starts_with_prompt(inner: &str) -> bool {
    let bytes = inner.as_bytes();
    PROMPT_WORDS.iter().any(|w| {
        bytes
            .get(..w.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(w.as_bytes()))
            && !bytes
                .get(w.len())
                .is_some_and(|c| c.is_ascii_alphanumeric())
    })
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

#[cfg(test)]
mod tests {
    use crate::{Config, lint_source};

    /// The columns of the placeholders reported on the one line of `row` under a summary.
    fn reported(row: &str) -> Vec<usize> {
        lint_source(&format!("## Summary\n\n{row}\n"), &Config::default())
            .iter()
            .filter(|d| d.code == "PM004")
            .map(|d| d.start.column)
            .collect()
    }

    /// The matcher only finds where to look: on text dense with near-misses it finds exactly
    /// what the walk over every byte that can start a placeholder finds.
    #[test]
    fn the_matcher_finds_what_the_byte_walk_finds() {
        let pieces = [
            "TODO",
            "TODOs",
            "TBD",
            "TBA",
            "FIXME",
            "XXX",
            "XXXX",
            "XX:XX",
            "HH:MM",
            "HH:mm",
            "??:??",
            "?",
            "--:--",
            "---",
            "-",
            "YYYY-MM-DD",
            "Lorem ipsum",
            "LOREM IPSUM",
            "Lo",
            "lorem ipsum",
            "[insert x]",
            "[add y](z)",
            "<owner>",
            "<b>",
            "<your name>",
            "{{ title }}",
            "{X}",
            "{",
            "[",
            "<",
            "}",
            "]",
            ">",
            "\n",
            "a",
            "_",
            " ",
            "é",
            "T",
        ];
        let mut hits = 0;
        for text in crate::rules::random_texts(&pieces, 2000, 24, 0x2545_f491_u64) {
            // The whole text, and each side of a cut (as a masked range makes).
            let mid = (text.len() / 3..text.len())
                .find(|&i| text.is_char_boundary(i))
                .unwrap_or(text.len());
            for range in [0..text.len(), mid..text.len(), 0..mid] {
                let (mut fast, mut walk) = (Vec::new(), Vec::new());
                super::scan(
                    &text,
                    range.clone(),
                    super::MARKER_STARTS.as_ref(),
                    &mut fast,
                );
                super::scan(&text, range.clone(), None, &mut walk);
                assert_eq!(fast, walk, "{text:?} {range:?}");
                hits += fast.len();
            }
        }
        assert!(hits > 1000, "{hits}");
    }

    #[test]
    fn a_todo_alone_in_a_table_cell_is_a_status() {
        for row in [
            "| Fix the pool | TODO |",
            "| Fix the pool | **TODO** |",
            "| b/311403 **TODO** | x |",
            "| Fix the pool | TODO",
            "| a | _TODO_ |",
        ] {
            assert_eq!(reported(row), Vec::<usize>::new(), "{row}");
        }
    }

    #[test]
    fn a_todo_with_words_in_its_cell_or_outside_a_table_is_reported() {
        for (row, col) in [
            ("| Fix the pool TODO |", 16),
            ("| TODO later |", 3),
            ("|  TODO  ", 4),
            ("| TODO", 3),
            ("Size the cache. TODO: owner", 17),
        ] {
            assert_eq!(reported(row), vec![col], "{row}");
        }
    }
}
