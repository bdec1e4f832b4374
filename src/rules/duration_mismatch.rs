use super::timeline_fix::when_in;
use super::{Context, Rule, Sink};
use crate::diagnostic::Severity;
use crate::fix::Applicability;
use chrono::{DateTime, FixedOffset};

use crate::timeline::{Measure, Milestone, Point, Precision, StatedLength};

pub static RULE: Rule = Rule {
    code: "PM301",
    name: "duration-mismatch",
    default_severity: Severity::Error,
    summary: "a stated length (`Duration: 3 hours`, `(45 minutes)`) that disagrees with its start and end",
    docs: r#"## What it does
Compares a stated length of the incident (`Duration: 2 hours and 45 minutes`, a length in
parentheses after the range, or a sentence in the summary such as "was down for 66
minutes") with the start and end the document states. Differences up to 5 minutes or 10% are
accepted as rounding.

## Why it matters
Durations feed MTTR reports and error-budget accounting. When the stated length and the
stated times disagree, one of them is wrong, and readers do not know which.

## Example
```text
Start Time: December 18, 2023, 10:45 AM (UTC)
End Time: December 18, 2023, 1:30 PM (UTC)
Duration: 2 hours
```
Fixed: `Duration: 2 hours and 45 minutes`.

## Options
The tolerance will be configurable.
"#,
    fix: Some(Applicability::Unsafe),
    check,
};

fn check(ctx: &Context, out: &mut Sink) {
    for l in &ctx.timeline.lengths {
        match (&l.start, &l.end) {
            (Some(s), Some(e)) if l.measures == Measure::Incident => {
                against_window(ctx, l, s, e, out)
            }
            _ => against_entries(ctx, l, out),
        }
    }
}

/// Words that make a stated length an estimate.
const APPROXIMATE: &[&str] = &[
    "approx",
    "about",
    "around",
    "roughly",
    "nearly",
    "almost",
    "~",
    "over",
    "some ",
    "estimated",
    "under",
    "more than",
    "less than",
    "just",
];

fn tolerance(ctx: &Context, minutes: i64) -> i64 {
    ctx.config
        .tolerance_minutes
        .unwrap_or((minutes / 10).max(5))
}

/// A length stated with its own start and end: they must agree.
fn against_window(ctx: &Context, l: &StatedLength, s: &Point, e: &Point, out: &mut Sink) {
    if s.precision != Precision::Minute || e.precision != Precision::Minute || e.at < s.at {
        return;
    }
    let actual = (e.at - s.at).num_minutes();
    if (l.length.minutes - actual).abs() > tolerance(ctx, actual) {
        out.report(
            l.length.span.clone(),
            format!(
                "`{}` is {} but the stated start and end ({} – {}) are {} apart",
                ctx.doc.slice(&l.length.span),
                human(l.length.minutes),
                when_in(&s.at, s.precision, &s.at),
                when_in(&e.at, e.precision, &s.at),
                human(actual)
            ),
        )
        .suggest(
            format!("write {}, or correct the start or end", human(actual)),
            Some(human(actual)),
            l.length.span.clone(),
        );
    }
}

/// A length with no stated start and end ("logs were not shipped for ninety minutes",
/// "Time to recovery: 10 minutes") must fit the timeline's own evidence: the incident from
/// its first entry (or start or detection) to the last (or restoration); a statistic, some
/// pair of entries.
fn against_entries(ctx: &Context, l: &StatedLength, out: &mut Sink) {
    let tl = ctx.timeline;
    let timed: Vec<(usize, DateTime<FixedOffset>)> = tl
        .entries
        .iter()
        .enumerate()
        .filter(|(i, e)| {
            e.precision == Precision::Minute && !tl.outlier.get(*i).copied().unwrap_or(false)
        })
        .filter_map(|(i, e)| e.at.map(|a| (i, a)))
        .collect();
    let (Some(&first), Some(&last)) = (timed.first(), timed.last()) else {
        return;
    };
    if timed.len() < 2 {
        return;
    }
    let marks = |ms: &[Milestone]| {
        timed
            .iter()
            .copied()
            .filter(|(i, _)| tl.entries[*i].milestone.is_some_and(|m| ms.contains(&m)))
            .collect::<Vec<_>>()
    };
    // A statistic may be measured between any two entries; the incident's length runs from
    // its first entry (or its start or detection) to its last (or restoration).
    let (starts, ends) = match l.measures {
        Measure::Incident => {
            let mut s = vec![first];
            s.extend(marks(&[Milestone::Started, Milestone::Detected]));
            // Restoration may be any later entry ("new certificate deployed").
            (s, timed.clone())
        }
        Measure::Detect | Measure::Mitigate | Measure::Recover => (timed.clone(), timed.clone()),
    };
    let stated = l.length.minutes;
    // "ninety minutes" is meant exactly; "about two hours" is not.
    let before = &ctx.doc.text[..l.length.span.start];
    let before =
        &before[crate::source::floor_char_boundary(before, before.len().saturating_sub(40))..];
    let before = before.to_ascii_lowercase();
    let approximate = APPROXIMATE.iter().any(|w| before.contains(w));
    let tol = if approximate {
        tolerance(ctx, stated)
    } else {
        ctx.config.tolerance_minutes.unwrap_or((stated / 20).max(3))
    };
    let fits = starts.iter().any(|(_, s)| {
        ends.iter()
            .any(|(_, e)| *e >= *s && ((*e - *s).num_minutes() - stated).abs() <= tol)
    });
    // An incident longer than everything its timeline covers may have begun before the
    // first entry (the outage ran before anyone noticed): only a length that falls short of
    // the timeline, or between its readings, contradicts it.
    let longest = starts
        .iter()
        .flat_map(|(_, s)| ends.iter().map(move |(_, e)| (*e - *s).num_minutes()))
        .max()
        .unwrap_or(0);
    if fits || (l.measures == Measure::Incident && stated > longest + tol) {
        return;
    }
    let (i, s) = first;
    let (j, e) = last;
    let actual = (e - s).num_minutes();
    let line = |k: usize| ctx.doc.lines.line_of(tl.entries[k].span.start) + 1;
    let what = match l.measures {
        Measure::Incident => "the incident",
        Measure::Detect => "detection",
        Measure::Mitigate => "mitigation",
        Measure::Recover => "recovery",
    };
    let message = match l.measures {
        Measure::Incident => format!(
            "`{}` ({}) for {what} fits no pair of timeline entries: the timeline runs {} from {} (line {}) to {} (line {})",
            ctx.doc.slice(&l.length.span),
            human(stated),
            human(actual),
            when_in(&s, Precision::Minute, &s),
            line(i),
            when_in(&e, Precision::Minute, &s),
            line(j)
        ),
        _ => format!(
            "`{}` ({}) for {what} fits no pair of timeline entries (from {} to {})",
            ctx.doc.slice(&l.length.span),
            human(stated),
            when_in(&s, Precision::Minute, &s),
            when_in(&e, Precision::Minute, &s),
        ),
    };
    out.report(l.length.span.clone(), message).suggest(
        "correct the length, or the timeline entries it is measured from",
        None,
        l.length.span.clone(),
    );
}

/// `2 hours 45 minutes`, `1 day 3 hours`, `45 minutes`.
pub fn human(minutes: i64) -> String {
    let (d, h, m) = (minutes / 1440, (minutes % 1440) / 60, minutes % 60);
    let unit = |n: i64, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    let mut parts = Vec::new();
    if d > 0 {
        parts.push(unit(d, "day"));
    }
    if h > 0 {
        parts.push(unit(h, "hour"));
    }
    if m > 0 || parts.is_empty() {
        parts.push(unit(m, "minute"));
    }
    parts.join(" ")
}
