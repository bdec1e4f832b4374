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

fn check(ctx: &Context, out: &mut Sink) {
    let Some(matcher) = MATCHER.as_ref() else {
        return;
    };
    let doc = ctx.doc;
    let text = doc.text;
    // ASCII lower-casing keeps every byte where it was: offsets into `lower` are offsets
    // into `text`.
    let lower = text.to_ascii_lowercase();
    let mut pos = 0;
    for m in doc
        .masked
        .iter()
        .chain(std::iter::once(&(text.len()..text.len())))
    {
        if m.start > pos {
            for hit in matcher.find_iter(&lower[pos..m.start]) {
                let mut span = pos + hit.start()..pos + hit.end();
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
