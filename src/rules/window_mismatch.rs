use super::timeline_fix::when_in;
use super::{Context, Rule, Sink};
use crate::diagnostic::Severity;
use crate::fix::Applicability;
use chrono::{DateTime, Datelike, FixedOffset, NaiveDate};

use std::ops::Range;

use crate::document::FieldName;
use crate::timeline::{Milestone, Precision};

pub static RULE: Rule = Rule {
    code: "PM302",
    name: "window-mismatch",
    default_severity: Severity::Warning,
    summary: "the stated start or end and the timeline's own start or resolution disagree",
    docs: r#"## What it does
Compares the stated window (summary fields, front matter) with the timeline entries that
mark the start (`OUTAGE BEGINS`, "began") and the end (`OUTAGE ENDS`, "resolved", "fully
restored"). Differences up to 5 minutes or 10% of the incident are accepted.

## Why it matters
The summary is what most readers read; when it says the incident ended at 07:40 but the
timeline says service was restored at 07:05, the reported impact is wrong by half an hour.

## Example
```markdown
end: 2024-02-12T07:40:00Z       (front matter)
- 07:05 service fully restored
```
Fixed: make the stated end 07:05, or explain what happened until 07:40.

## Options
None.
"#,
    fix: Some(Applicability::Unsafe),
    check,
};

fn check(ctx: &Context, out: &mut Sink) {
    title_date(ctx, out);
    detected_before_start(ctx, out);
    let tl = ctx.timeline;
    let Some(length) = tl.window.minutes() else {
        return;
    };
    let tolerance = ctx.config.tolerance_minutes.unwrap_or((length / 10).max(5));
    for (m, point) in [
        (Milestone::Started, &tl.window.start),
        (Milestone::Resolved, &tl.window.end),
    ] {
        let Some(point) = point else { continue };
        if !point.dated {
            continue;
        }
        let entry = if m == Milestone::Resolved {
            tl.entries
                .iter()
                .rev()
                .find(|e| e.milestone == Some(m) && e.precision == Precision::Minute)
        } else {
            tl.entries
                .iter()
                .find(|e| e.milestone == Some(m) && e.precision == Precision::Minute)
        };
        let Some(entry) = entry else { continue };
        let Some(at) = entry.at else { continue };
        if (at - point.at).num_minutes().abs() > tolerance {
            let line = ctx.doc.lines.line_of(entry.span.start) + 1;
            let written = ctx.doc.slice(&point.span);
            if let Some(flipped) = meridiem_slip(written, &at.with_timezone(point.at.offset())) {
                out.report(
                    point.span.clone(),
                    format!(
                        "the stated {} `{written}` ({}) disagrees with the timeline, which has the incident {} at {} (line {line}); did you mean `{flipped}`?",
                        if m == Milestone::Started { "start" } else { "end" },
                        when_in(&point.at, point.precision, &point.at),
                        m.as_str(),
                        when_in(&at, entry.precision, &point.at)
                    ),
                )
                .suggest(format!("write `{flipped}`"), Some(flipped), point.span.clone());
                continue;
            }
            out.report(
                point.span.clone(),
                format!(
                    "the stated {} ({}) disagrees with the timeline, which has the incident {} at {} (line {line})",
                    if m == Milestone::Started { "start" } else { "end" },
                    when_in(&point.at, point.precision, &point.at),
                    m.as_str(),
                    when_in(&at, entry.precision, &point.at)
                ),
            )
            .suggest(
                if (at - point.at).num_minutes().abs() == 60 {
                    "exactly an hour apart: check the zone, a daylight-saving change is the usual cause"
                } else {
                    "make the summary and the timeline agree"
                },
                None,
                point.span.clone(),
            );
        }
    }
}

/// "12:20 AM" where the timeline says 12:20 PM: the written time with AM and PM swapped,
/// when that is exactly the timeline's time.
fn meridiem_slip(written: &str, at: &DateTime<FixedOffset>) -> Option<String> {
    let lower = written.to_ascii_lowercase();
    let (from, to) = if lower.contains("am") || lower.contains("a.m.") {
        ("am", "pm")
    } else if lower.contains("pm") || lower.contains("p.m.") {
        ("pm", "am")
    } else {
        return None;
    };
    let clock = written
        .split(|c: char| !c.is_ascii_digit() && c != ':')
        .find(|w| w.contains(':'))?;
    let meant_clock = at.format("%-I:%M").to_string();
    let meant_half = at.format("%P").to_string();
    let same_clock =
        clock.trim_start_matches('0') == meant_clock || clock == at.format("%I:%M").to_string();
    if !same_clock || meant_half != to {
        return None;
    }
    let idx = lower.find(from)?;
    let cased = |s: &str| {
        if written[idx..].starts_with(|c: char| c.is_ascii_uppercase()) {
            s.to_ascii_uppercase()
        } else {
            s.to_string()
        }
    };
    Some(format!(
        "{}{}{}",
        &written[..idx],
        cased(to),
        &written[idx + from.len()..]
    ))
}

/// A detection or alert entry before the stated start: the incident began earlier than the
/// summary says. Lead-up events (the deploy that caused it) are not symptoms and are allowed.
fn detected_before_start(ctx: &Context, out: &mut Sink) {
    let tl = ctx.timeline;
    let Some(start) = tl
        .window
        .start
        .as_ref()
        .filter(|p| p.precision == Precision::Minute)
    else {
        return;
    };
    // Detection is a minute-exact event: the tolerance does not grow with a long incident.
    let tolerance = ctx.config.tolerance_minutes.unwrap_or(5);
    let early = tl.entries.iter().enumerate().find(|(i, e)| {
        e.milestone == Some(Milestone::Detected)
            && e.precision == Precision::Minute
            && !tl.outlier.get(*i).copied().unwrap_or(false)
            && e.at.is_some_and(|a| {
                (start.at - a).num_minutes() > tolerance && (start.at - a).num_hours() < 24
            })
    });
    let Some((_, e)) = early else { return };
    let Some(at) = e.at else { return };
    let line = ctx.doc.lines.line_of(start.span.start) + 1;
    // Underlined on the entry, where a reader sees the contradiction.
    let span = tl
        .entry_stamp(e)
        .map_or(e.span.clone(), |s| s.found.span.clone());
    out.report(
        span,
        format!(
            "detected at {}, before the stated start ({}, line {line}): the incident began at least {} minutes earlier than the summary says",
            when_in(&at, e.precision, &start.at),
            when_in(&start.at, start.precision, &start.at),
            (start.at - at).num_minutes()
        ),
    )
    .suggest("move the stated start to when the first symptom appeared", None, start.span.clone());
}

/// The title or a `date:` field naming another day than the incident: "Outage of June 10" for
/// a May 8–11 incident, with the date probably meant. A `date:` after the incident may be
/// the day it was written; one before it cannot be.
fn title_date(ctx: &Context, out: &mut Sink) {
    let doc = ctx.doc;
    if let Some(title) = &doc.title {
        named_date(ctx, &title.span, "title", false, out);
    }
    if let Some(f) = doc.field(FieldName::Date) {
        named_date(ctx, &f.value_span, "date", true, out);
    }
}

fn named_date(ctx: &Context, at: &Range<usize>, what: &str, after_ok: bool, out: &mut Sink) {
    let tl = ctx.timeline;
    let (Some(s), Some(e)) = (&tl.window.start, &tl.window.end) else {
        return;
    };
    if !s.dated || s.precision != Precision::Minute {
        return;
    }
    let (first, last) = (s.at.date_naive(), e.at.date_naive().max(s.at.date_naive()));
    let doc = ctx.doc;
    let text = doc.slice(at);
    let Some(found) = crate::time::scan(text)
        .into_iter()
        .find(|f| f.start.month.is_some() && f.start.day.is_some())
    else {
        return;
    };
    let (Some(month), Some(day)) = (found.start.month, found.start.day) else {
        return;
    };
    let year = found.start.year.unwrap_or(first.year());
    let Some(date) = NaiveDate::from_ymd_opt(year, month, day) else {
        return;
    };
    let before = date < first.pred_opt().unwrap_or(first);
    let after = date > last.succ_opt().unwrap_or(last);
    let reported = before || (after && !after_ok);
    if !reported {
        return;
    }
    let span = at.start + found.span.start..at.start + found.span.end;
    // The same day of the month inside the window is what a slip of the month gives.
    let meant = first
        .iter_days()
        .take_while(|d| *d <= last)
        .take(62)
        .find(|d| d.day() == day);
    let window = super::timeline_fix::window_text(tl).unwrap_or_default();
    let message = match meant {
        Some(m) => format!(
            "the {what} says {}, but the incident runs {window}; did you mean {} {}?",
            doc.slice(&span),
            crate::timeline::resolve::month_name(m.month()),
            m.day()
        ),
        None => format!(
            "the {what} says {}, but the incident runs {window}",
            doc.slice(&span)
        ),
    };
    out.report(span.clone(), message).suggest(
        format!("make the {what}'s date the incident's"),
        None,
        span,
    );
}
