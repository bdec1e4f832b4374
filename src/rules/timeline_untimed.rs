use super::{Context, Rule, Sink};
use crate::diagnostic::Severity;

pub static RULE: Rule = Rule {
    code: "PM201",
    name: "timeline-untimed",
    default_severity: Severity::Warning,
    summary: "a timeline entry (list item or table row) with no time",
    docs: r#"## What it does
Reports a timeline entry (a list item, a table row or an HTML `<li>`) that states no time
at all. Entries with a partly known time (`2022-06-02 HH:mm`, `14:??`) are not reported here
(`placeholder` reports the stand-in), and prose lines between entries are not entries.

## Why it matters
A timeline is read for *when* things happened: time to detect, time to mitigate. An entry
without a time cannot be placed, and readers cannot tell how long each phase took.

## Example
```markdown
## Timeline (UTC)
- 10:00 alert fires
- Investigation: the team checked the network
- 10:40 rollback complete
```
Fixed: `- 10:12 investigation starts: the team checked the network`.

## Options
Turn it off for teams whose timelines group narrative under timed headings.
"#,
    check,
};

fn check(ctx: &Context, out: &mut Sink) {
    for e in &ctx.timeline.entries {
        if e.stated.is_none() {
            // Underline the entry's opening words (up to a label's colon), not the whole line.
            let raw = ctx.doc.slice(&e.span);
            let lead = raw.len()
                - raw
                    .trim_start_matches(['-', '*', '+', '|', ' ', '\t'])
                    .len();
            let body = &raw[lead..];
            let cut = body
                .find(':')
                .filter(|&c| c <= 40)
                .map(|c| c + 1)
                .unwrap_or_else(|| crate::source::floor_char_boundary(body, 40));
            let span = e.span.start + lead..e.span.start + lead + cut;
            out.report(
                span.clone(),
                format!("timeline entry has no time: `{}`", clip_words(&e.text, 60)),
            )
            .suggest(
                "start the entry with the time it happened",
                None,
                span.start..span.start,
            );
        }
    }
}

/// The first words of a text, at most `n` characters, with an ellipsis when cut.
fn clip_words(text: &str, n: usize) -> String {
    if text.chars().count() <= n {
        return text.to_string();
    }
    let cut: String = text.chars().take(n).collect();
    let cut = cut
        .rsplit_once(' ')
        .map_or(cut.as_str(), |(a, _)| a)
        .trim_end_matches([',', ';', ':']);
    format!("{cut}…")
}
