use super::{Context, Rule, Sink};
use crate::diagnostic::Severity;
use crate::timeline::Precision;

pub static RULE: Rule = Rule {
    code: "PM201",
    name: "timeline-untimed",
    default_severity: Severity::Warning,
    summary: "a timeline entry (list item or table row) with no time",
    docs: r#"## What it does
Reports a timeline entry (a list item, a table row, an HTML `<li>`, a `●` bullet line, a
phase line such as `Investigation: ...`, or a sentence of a timeline told in prose) that
states no time at all. Not reported: entries with a partly known time (`2022-06-02 HH:mm`,
`14:??`: `placeholder` and `timeline-unreadable` report those), entries timed relative to
the one before ("10 minutes later", "immediately"), the items of a phase group such as
`Resolution:` when one of them has a time, wrapped continuation lines, and log lines quoted
after an entry that ends with `:`. A short incident (a week at most) whose timeline gives
dates but no time of day at all gets one warning on its first entry.

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
    fix: None,
    check,
};

fn check(ctx: &Context, out: &mut Sink) {
    let entries = &ctx.timeline.entries;
    dates_only(ctx, out);
    // A phase group ("Resolution:" and its items) with one timed item is placed in time.
    let timed_groups: std::collections::HashSet<usize> = entries
        .iter()
        .filter(|e| e.stated.is_some() || e.relative.is_some())
        .filter_map(|e| e.group)
        .collect();
    for e in entries {
        let grouped = e.group.is_some_and(|g| timed_groups.contains(&g));
        if e.stated.is_none() && e.relative.is_none() && !grouped && e.unreadable.is_none() {
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

/// Longest a timeline of dates alone may span before dates are the right grain.
const DATES_ONLY_DAYS: i64 = 7;

/// A short incident whose timeline gives dates but no time of day anywhere ("September 28th
/// (Afternoon): ..."): one warning on the first entry.
fn dates_only(ctx: &Context, out: &mut Sink) {
    let tl = ctx.timeline;
    let entries = &tl.entries;
    if entries
        .iter()
        .any(|e| e.precision == Precision::Minute || e.time_unknown || e.relative.is_some())
    {
        return;
    }
    let days: Vec<_> = entries
        .iter()
        .filter(|e| e.precision == Precision::Day)
        .filter_map(|e| e.at.map(|a| (e, a)))
        .collect();
    let (Some((first, a)), Some((_, b))) = (days.first(), days.last()) else {
        return;
    };
    if days.len() < 2 || (*b - *a).num_days().abs() > DATES_ONLY_DAYS {
        return;
    }
    let Some(stated) = tl.entry_stamp(first) else {
        return;
    };
    let span = stated.found.span.clone();
    out.report(
        span.clone(),
        format!(
            "the timeline gives dates but no times of day ({} entries, {} to {}): nothing in it can be timed",
            days.len(),
            crate::timeline::short_date(a),
            crate::timeline::short_date(b)
        ),
    )
    .suggest("give each entry the time it happened: `September 28, 14:10 UTC`", None, span);
}
