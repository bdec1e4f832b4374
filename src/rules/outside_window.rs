use chrono::Duration;

use super::timeline_fix::{fixes, window_text};
use super::{Context, Rule, Sink};
use crate::diagnostic::Severity;
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
    check,
};

/// In-order entries may lie this far outside the window (lead-up deploys, follow-ups).
const MIN_SLACK_DAYS: i64 = 7;

fn check(ctx: &Context, out: &mut Sink) {
    let tl = ctx.timeline;
    let (Some(start), Some(end)) = (&tl.window.start, &tl.window.end) else {
        return;
    };
    if start.precision != Precision::Minute
        || end.precision != Precision::Minute
        || end.at < start.at
        || !start.dated
    {
        return;
    }
    let length = end.at - start.at;
    let days = ctx.config.window_slack_days.unwrap_or(MIN_SLACK_DAYS);
    let slack = length.max(Duration::try_days(days).unwrap_or(Duration::days(MIN_SLACK_DAYS)));
    let Some(window) = window_text(tl) else {
        return;
    };
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
        let written = ctx.doc.slice(&stated.found.span);
        let candidates = fixes(ctx.doc, tl, i);
        let mut message = format!("{written} is outside the incident ({window})");
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
