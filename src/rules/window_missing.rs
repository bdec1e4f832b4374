use super::{Context, Rule, Sink};
use crate::coverage::{self, Evidence};
use crate::diagnostic::Severity;
use crate::document::{FieldName, KindId};

pub static RULE: Rule = Rule {
    code: "PM304",
    name: "window-missing",
    default_severity: Severity::Warning,
    summary: "the document states no incident window: no start and end, and no duration",
    docs: r#"## What it does
Reports a postmortem that does not say how long the incident lasted: neither a start and an
end time (in fields such as `Start:`/`End:`, front matter, or a summary range such as "from
10:05 to 10:15 UTC") nor a duration ("Duration: 45 minutes", "down for 10 minutes",
"Time to recovery: 31 minutes"). A start alone, or dates without times ("September 28th to
September 29th"), are not a window. A timeline with at least two times of day gives the
length, so a document that has one is not reported. The summary (or the document's start)
is underlined.

## Why it matters
The length of an outage is the first number readers look for and the one every
reliability report aggregates. Without it, nothing in the timeline can be checked against
the summary.

## Example
```markdown
## Summary
On Monday, 14 Aug 2023, around 6:00 AM WAT, the web server ran out of file descriptors.
```
Fixed: `... from 6:00 AM to 7:10 AM WAT (70 minutes), the web server ...`.

## Options
None.
"#,
    fix: None,
    check,
};

fn check(ctx: &Context, out: &mut Sink) {
    let tl = ctx.timeline;
    let timed = |p: &Option<crate::timeline::Point>| {
        p.as_ref()
            .is_some_and(|p| p.precision == crate::timeline::Precision::Minute)
    };
    if (timed(&tl.window.start) && timed(&tl.window.end)) || !tl.lengths.is_empty() {
        return;
    }
    // A timeline with times gives the length even when the summary does not state it.
    let timed_entries = tl
        .entries
        .iter()
        .filter(|e| e.precision == crate::timeline::Precision::Minute)
        .count();
    if timed_entries >= 2 {
        return;
    }
    let doc = ctx.doc;
    // "Time to recovery: N/A" is one defect, reported by placeholder.
    let left_open = doc.blocks.iter().any(|b| {
        doc.own_lines(b).any(|l| {
            super::placeholder::lone_value(doc.slice(&l)).is_some_and(|(_, label)| {
                let lower = label.to_ascii_lowercase();
                lower.starts_with("time to") || lower.contains("duration")
            })
        })
    });
    // A draft's `end: "<when it was resolved>"` is a placeholder, reported as one.
    let open = |value: &str| {
        ["<", "{{", "TBD", "??", "HH:MM", "HH:mm"]
            .iter()
            .any(|p| value.contains(p))
    };
    let is_end = |name: Option<FieldName>| {
        matches!(
            name,
            Some(FieldName::End | FieldName::Resolved | FieldName::Duration)
        )
    };
    // Front matter keeps the value as written; in prose the prompt reads as a tag and is
    // dropped from the field, so the line itself is read.
    let end_left_open = doc
        .fields
        .iter()
        .any(|f| is_end(Some(f.name)) && open(&f.value))
        || doc.text.lines().any(|l| {
            l.split_once(':').is_some_and(|(label, value)| {
                label.len() <= 40
                    && is_end(crate::document::field_name(label.trim()))
                    && open(value)
            })
        });
    if left_open || end_left_open {
        return;
    }
    let duration = doc.field(FieldName::Duration).map(|f| f.span.clone());
    let summary = || match coverage::locate(doc, tl, KindId::SUMMARY, false)? {
        Evidence::Heading(i) => doc.sections.get(i).map(|s| s.heading_span.clone()),
        Evidence::Field(i) => doc.fields.get(i).map(|f| f.span.clone()),
        Evidence::Prose(span) => Some(doc.first_line(&span)),
        Evidence::Entry(_) => None,
    };
    let what = match (&duration, &tl.window.start) {
        (Some(d), _) => format!(
            "the stated duration `{}` gives no times and no length",
            doc.slice(d)
        ),
        (None, Some(start)) => format!(
            "the document gives only a start (`{}`): no end time and no duration",
            doc.slice(&start.span)
        ),
        (None, None) => match first_time(ctx) {
            Some(t) => format!(
                "the document gives a time (`{}`) but no start and end and no duration of the incident",
                doc.slice(&t)
            ),
            None => "the document gives no start, end or duration of the incident".into(),
        },
    };
    let span = duration
        .or_else(|| tl.window.start.as_ref().map(|p| p.span.clone()))
        .or_else(summary)
        .unwrap_or_else(|| doc.first_line(&(0..doc.text.len())));
    out.report(span.clone(), what).suggest(
        "state the window in the summary: `from 10:05 to 10:47 UTC (42 minutes)`, or `Duration: 42 minutes`",
        None,
        span,
    );
}

/// The first time of day stated outside the timeline entries (the summary's "around 6:00 AM").
fn first_time(ctx: &Context) -> Option<std::ops::Range<usize>> {
    ctx.timeline
        .stated
        .iter()
        .filter(|s| !matches!(s.source, crate::timeline::Source::Entry(_)))
        .find(|s| s.found.start.hour.is_some())
        .map(|s| s.found.span.clone())
}
