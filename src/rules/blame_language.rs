use std::ops::Range;
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;

use super::{Context, Rule, Sink};
use crate::diagnostic::Severity;

pub static RULE: Rule = Rule {
    code: "PM501",
    name: "blame-language",
    default_severity: Severity::Info,
    summary: "wording that blames people rather than systems (\"human error\", \"careless\")",
    docs: r#"## What it does
Notes wording that puts the cause on a person rather than on the system that let the
mistake happen: "human error", "X's fault", "careless", "should have known", "negligence",
"incompetent". Code and comments are not searched. Raised to a warning in the `strict`
profile.

## Why it matters
Blameless postmortems are how teams learn: people share what happened when they are not
punished for it, and "human error" ends the analysis exactly where it should start (why did
the system allow one command to take the site down?).

## Example
```markdown
The outage was caused by human error: a careless engineer ran the wrong script.
```
Fixed: `A maintenance script ran against production because the tool defaulted to it.`

## Options
None.
"#,
    fix: None,
    check,
};

const PHRASES: &[&str] = &[
    "human error",
    "'s fault",
    "’s fault",
    "fault of",
    "careless",
    "should have known",
    "should've known",
    "negligence",
    "negligent",
    "incompetent",
    "incompetence",
    "stupid mistake",
    "dumb mistake",
    "blame on",
    "to blame",
];

static MATCHER: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| {
    // Case-sensitive phrases over lower-cased text: the searcher can then skip ahead with
    // its SIMD prefilter, where a case-insensitive one steps through every byte.
    // Leftmost-first, because only leftmost searches use the packed (Teddy) prefilter.
    AhoCorasick::builder()
        .match_kind(aho_corasick::MatchKind::LeftmostFirst)
        // The prefilter does the scanning; a DFA, or the contiguous NFA built from this one,
        // would only cost its build.
        .kind(Some(aho_corasick::AhoCorasickKind::NoncontiguousNFA))
        .build(PHRASES.iter().map(|p| p.to_ascii_lowercase()))
        .ok()
});

/// The leftmost-first matches of the phrases in `lower`, in order. The first documents of a
/// run search each phrase in turn and pick as the matcher would: its build (about 0.24M
/// instructions) is most of a one-file run's rule time.
fn phrase_hits(lower: &str, hits: &mut Vec<Range<usize>>) {
    static WARMUP: crate::warmup::Warmup = crate::warmup::Warmup::new(16);
    hits.clear();
    // A long text goes to the matcher, which streams: the phrase search collects its hits.
    if lower.len() <= 1 << 16 && WARMUP.cold() {
        each_phrase(lower, hits);
    } else if let Some(matcher) = MATCHER.as_ref() {
        hits.extend(matcher.find_iter(lower).map(|m| m.range()));
    }
}

/// Every occurrence of every phrase (overlapping ones too), then leftmost first: at one start
/// the earlier phrase of the list wins, and a match hides the ones it overlaps.
fn each_phrase(lower: &str, hits: &mut Vec<Range<usize>>) {
    let hay = lower.as_bytes();
    let mut all: Vec<(usize, usize, usize)> = Vec::new();
    for (i, finder) in lower_phrases().iter().enumerate() {
        let len = finder.needle().len();
        let mut from = 0;
        while let Some(k) = hay.get(from..).and_then(|rest| finder.find(rest)) {
            all.push((from + k, i, len));
            from += k + 1;
        }
    }
    all.sort_unstable();
    let mut end = 0;
    for (at, _, len) in all {
        if at >= end {
            end = at + len;
            hits.push(at..end);
        }
    }
}

fn lower_phrases() -> &'static [memchr::memmem::Finder<'static>] {
    use memchr::memmem::Finder;
    static LOWER: LazyLock<Vec<Finder<'static>>> = LazyLock::new(|| {
        PHRASES
            .iter()
            .map(|p| Finder::new(&p.to_ascii_lowercase()).into_owned())
            .collect()
    });
    &LOWER
}

fn check(ctx: &Context, out: &mut Sink) {
    let doc = ctx.doc;
    let text = doc.text;
    // ASCII lower-casing keeps every byte where it was: offsets into `lower` are offsets
    // into `text`.
    let lower = text.to_ascii_lowercase();
    let mut pos = 0;
    let mut hits = Vec::new();
    for m in doc
        .masked
        .iter()
        .chain(std::iter::once(&(text.len()..text.len())))
    {
        if m.start > pos {
            phrase_hits(&lower[pos..m.start], &mut hits);
            for hit in &hits {
                let mut span = pos + hit.start..pos + hit.end;
                let word_start =
                    span.start == 0 || !text.as_bytes()[span.start - 1].is_ascii_alphanumeric();
                if text[span.clone()].starts_with(['\'', '’']) {
                    // "Sam's fault": include the name.
                    let name = text[..span.start].len()
                        - text[..span.start]
                            .trim_end_matches(char::is_alphanumeric)
                            .len();
                    span.start -= name;
                } else if !word_start {
                    continue;
                }
                out.report(
                    span.clone(),
                    format!("`{}` blames a person; describe what in the system allowed it", &text[span.clone()]),
                )
                .suggest(
                    "write what happened and what made it possible, without judging the people involved",
                    None,
                    span,
                );
            }
        }
        pos = pos.max(m.end);
    }
}

#[cfg(test)]
mod tests {
    /// The first documents of a run search phrase by phrase: the same matches as the matcher.
    #[test]
    fn phrase_search_and_the_matcher_agree() {
        let Some(matcher) = super::MATCHER.as_ref() else {
            panic!("the phrase table builds");
        };
        let mut pieces: Vec<&str> = vec![
            " ", "a", "s", "'s", "’", "fault", "f", "of ", "to", "on", "\n",
        ];
        pieces.extend(super::PHRASES);
        let mut hits = 0;
        // A match that hides a phrase's first occurrence but not the next, overlapping one.
        let mut texts = vec!["x's fault ofault of".to_string()];
        texts.extend(crate::rules::random_texts(
            &pieces,
            2000,
            16,
            0x9e37_79b9_u64,
        ));
        for text in texts {
            let lower = text.to_ascii_lowercase();
            let mut each = Vec::new();
            super::each_phrase(&lower, &mut each);
            let expected: Vec<_> = matcher.find_iter(&lower).map(|m| m.range()).collect();
            assert_eq!(each, expected, "{text:?}");
            hits += each.len();
        }
        assert!(hits > 2000, "{hits}");
    }
}
