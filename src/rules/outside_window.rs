use chrono::Duration;

use super::timeline_fix::{fixes, window_text};
use super::{Context, Rule, Sink};
use crate::diagnostic::Severity;
use crate::fix::Applicability;
use crate::timeline::Precision;

pub static RULE: Rule = Rule {
    code: "PM203",
    name: "outside-window",
    default_severity: Severity::Error,
    summary: "a timeline entry far outside the stated incident window",
    docs: r#"## What it does
Compares each timeline entry with the incident window the document states (a `Duration:`
range, `Start:`/`End:` fields, front matter, or the summary's first range). Lead-up events
just before the start (the deploy that triggered it) and follow-ups after the end are normal,
so an entry is reported only when it also breaks the timeline's order, or lies further from
the window than the incident's own length and more than a week. The suggestion names the
single edit (month, year, AM/PM, day/month swap) that brings it inside.

## Why it matters
A timestamp outside the incident is the classic copy-paste or typo error ("June 10" in a
May 8–11 incident); it misleads every reader who computes durations from the timeline.

## Example
```text
Duration: May 8th, 2023, 10:00 AM - May 11, 2023, 2:00 AM (UTC)
Timeline:
- June 10, 2023, 10:00 AM: The issue was detected ...
```
Fixed: `- May 10, 2023, 10:00 AM: The issue was detected ...`

## Options
None yet; the distance allowed for lead-up and follow-up events will be configurable.
"#,
    fix: Some(Applicability::Unsafe),
    check,
};

/// In-order entries may lie this far outside the window (lead-up deploys, follow-ups).
const MIN_SLACK_DAYS: i64 = 7;

/// The entries this rule reports: outside the stated window and either out of order or
/// further out than the incident's length (and the slack). `timeline-order` leaves these to
/// this rule, so one wrong date gets one error.
pub(super) fn outside_entries(ctx: &Context) -> Vec<usize> {
    let tl = ctx.timeline;
    let (Some(start), Some(end)) = (&tl.window.start, &tl.window.end) else {
        return Vec::new();
    };
    if start.precision != Precision::Minute
        || end.precision != Precision::Minute
        || end.at < start.at
        || !start.dated
    {
        return Vec::new();
    }
    let length = end.at - start.at;
    let days = ctx.config.window_slack_days.unwrap_or(MIN_SLACK_DAYS);
    let slack = length.max(Duration::try_days(days).unwrap_or(Duration::days(MIN_SLACK_DAYS)));
    let mut out = Vec::new();
    for (i, e) in tl.entries.iter().enumerate() {
        let (Some(at), Some(stated)) = (e.at, tl.entry_stamp(e)) else {
            continue;
        };
        if stated.resolved.is_some_and(|r| !r.dated) {
            continue;
        }
        let distance = if at < start.at {
            start.at - at
        } else if at > end.at {
            at - end.at
        } else {
            continue;
        };
        // Entries known only to the day are outside only when their whole day is.
        if e.precision != Precision::Minute && distance < Duration::days(1) {
            continue;
        }
        if !tl.outlier.get(i).copied().unwrap_or(false) && distance <= slack {
            continue;
        }
        out.push(i);
    }
    out
}

fn check(ctx: &Context, out: &mut Sink) {
    let tl = ctx.timeline;
    let outside = outside_entries(ctx);
    // Formatting the window costs more than the check itself: only when there is a finding.
    if outside.is_empty() {
        return;
    }
    let Some(window) = window_text(tl) else {
        return;
    };
    for i in outside {
        let e = &tl.entries[i];
        let Some(stated) = tl.entry_stamp(e) else {
            continue;
        };
        let written = ctx.doc.slice(&stated.found.span);
        let candidates = fixes(ctx.doc, tl, i);
        let mut message = format!("{written} is outside the incident ({window})");
        if tl.outlier.get(i).copied().unwrap_or(false) {
            message.push_str(&order_note(ctx, i));
        }
        let d = match candidates.into_iter().next() {
            Some(f) => {
                message.push_str(&format!("; did you mean {}?", f.meant));
                let meant = f.meant.clone();
                out.report(stated.found.span.clone(), message).suggest(
                    format!("did you mean {meant}?"),
                    Some(f.replacement),
                    f.span,
                );
                continue;
            }
            None => out.report(stated.found.span.clone(), message),
        };
        d.suggest(
            "correct the date, or the stated incident window",
            None,
            stated.found.span.clone(),
        );
    }
}

/// ", and out of order (after May 10 18:00, line 15)": the order break the same date causes.
fn order_note(ctx: &Context, i: usize) -> String {
    let tl = ctx.timeline;
    let (prev, next) = tl.neighbours.get(i).copied().unwrap_or_default();
    let at = tl.entries[i].at;
    let line = |j: usize| ctx.doc.lines.line_of(tl.entries[j].span.start) + 1;
    let describe = |j: usize| {
        let e = &tl.entries[j];
        match (e.at, &tl.window.start) {
            (Some(a), Some(s)) => super::timeline_fix::when_in(&a, e.precision, &s.at),
            (Some(a), None) => super::timeline_fix::when(&a, e.precision),
            _ => String::new(),
        }
    };
    match (prev.filter(|&j| tl.entries[j].at > at), next) {
        (Some(j), _) => format!(
            " and before the entry above it ({}, line {})",
            describe(j),
            line(j)
        ),
        (None, Some(j)) => format!(
            " and after the entries below it ({}, line {})",
            describe(j),
            line(j)
        ),
        (None, None) => " and out of order".to_string(),
    }
}
