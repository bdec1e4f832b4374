//! The stated window (Start/End fields, else a Duration range, else the summary's first
//! range) and the stated lengths (the Duration field, the summary's "down for 66 minutes").

use chrono::NaiveDate;

use crate::document::{BlockKind, Document, FieldName};
use crate::time::Found;

use super::length::{self, Length};
use super::resolve::{Context, DateOrder, Precision, add_days, resolve};
use super::stated::Scanned;
use super::{Measure, Point, StatedLength, Window};

/// A window end: its expression, and whether it is that expression's range end.
type End = Option<(Found, bool)>;

/// The stated window, and the context its expressions resolve in: the document's, on the
/// Date field's day or the summary's.
pub(super) fn window(scanned: &Scanned, order: DateOrder, base: &Context) -> (Window, Context) {
    let (mut start, mut end, date_field) = stated_ends(&scanned.fields, order, base);
    let range_source = scanned
        .fields
        .iter()
        .filter(|(n, _)| *n == FieldName::Duration)
        .map(|(_, f)| f)
        .chain(scanned.summary.iter())
        .find(|f| f.end.is_some() && f.start.has_time());
    if let Some(r) = range_source {
        if start.is_none() {
            start = Some((r.clone(), false));
        }
        if end.is_none() {
            end = Some((r.clone(), true));
        }
    }
    // "Duration: The outage started at 08:00 GMT and ended at 10:00 GMT": two times.
    let duration_times: Vec<&Found> = scanned
        .fields
        .iter()
        .filter(|(n, f)| *n == FieldName::Duration && f.end.is_none() && f.start.has_time())
        .map(|(_, f)| f)
        .collect();
    if let [first, second] = duration_times[..]
        && start.is_none()
        && end.is_none()
    {
        start = Some((first.clone(), false));
        end = Some((second.clone(), false));
    }
    let summary_date = scanned
        .summary
        .iter()
        .find(|f| f.start.has_date() && !f.start.has_time())
        .and_then(|f| resolve(&f.start, order, base).ok())
        .filter(|r| r.dated)
        .map(|r| r.at.date_naive());
    // A date only in the title ("Outage on 2023-01-25") still dates the times of day.
    let title_date = scanned
        .title
        .as_ref()
        .and_then(|f| resolve(&f.start, order, base).ok())
        .filter(|r| r.dated && r.precision >= Precision::Day)
        .map(|r| r.at.date_naive());
    let window_ctx = Context {
        date: date_field.or(summary_date).or(title_date),
        ..*base
    };
    let mut window = Window {
        start: start
            .as_ref()
            .and_then(|(f, e)| point(f, *e, order, &window_ctx)),
        end: None,
    };
    let end_ctx = end_context(&window, &window_ctx);
    window.end = end
        .as_ref()
        .and_then(|(f, e)| point(f, *e, order, &end_ctx));
    roll_overnight(&mut window, &end);
    (window, window_ctx)
}

/// The Start and End fields, and the day the Date field states.
fn stated_ends(
    fields: &[(FieldName, Found)],
    order: DateOrder,
    base: &Context,
) -> (End, End, Option<NaiveDate>) {
    let mut start: End = None;
    let mut end: End = None;
    let mut date_field: Option<NaiveDate> = None;
    for (name, f) in fields {
        match name {
            FieldName::Start if start.is_none() => start = Some((f.clone(), false)),
            FieldName::End | FieldName::Resolved if end.is_none() && *name == FieldName::End => {
                end = Some((f.clone(), false))
            }
            FieldName::Date => {
                date_field = resolve(&f.start, order, base)
                    .ok()
                    .filter(|r| r.dated)
                    .map(|r| r.at.date_naive())
            }
            _ => {}
        }
    }
    (start, end, date_field)
}

/// An overnight window stated with times only ("11 PM to 1 AM") ends the next day.
fn roll_overnight(window: &mut Window, end: &End) {
    if let (Some(s), Some(e)) = (&window.start, &mut window.end)
        && e.at < s.at
        && e.precision == Precision::Minute
    {
        let end_stamp = end.as_ref().map(|(f, use_end)| {
            if *use_end {
                f.end.as_deref().cloned().unwrap_or_default()
            } else {
                f.start.clone()
            }
        });
        if end_stamp.is_some_and(|st| !st.has_date() || st.inherited_date)
            && let Some(next) = add_days(e.at, 1)
        {
            e.at = next;
        }
    }
}

/// The day the window starts, else the window context's day.
pub(super) fn start_date(window: &Window, window_ctx: &Context) -> Option<NaiveDate> {
    window
        .start
        .as_ref()
        .filter(|p| p.dated)
        .map(|p| p.at.date_naive())
        .or(window_ctx.date)
}

/// The window's end resolves on the day it starts.
fn end_context(window: &Window, window_ctx: &Context) -> Context {
    Context {
        date: start_date(window, window_ctx),
        ..*window_ctx
    }
}

/// A window point from an expression's start or (`use_end`) its range end.
fn point(f: &Found, use_end: bool, order: DateOrder, ctx: &Context) -> Option<Point> {
    let stamp = if use_end { f.end.as_ref()? } else { &f.start };
    let r = resolve(stamp, order, ctx).ok()?;
    let span = stamp
        .time_span
        .clone()
        .or_else(|| stamp.date_span.clone())
        .unwrap_or_else(|| f.span.clone());
    Some(Point {
        at: r.at,
        precision: r.precision,
        span,
        dated: r.dated,
    })
}

/// Stated lengths: the Duration field's, then the summary's narrative ones.
pub(super) fn lengths(
    doc: &Document,
    fields: &[(FieldName, Found)],
    window: &Window,
    window_ctx: &Context,
    order: DateOrder,
) -> Vec<StatedLength> {
    let mut out = field_lengths(doc, fields, window, window_ctx, order);
    out.extend(narrative_lengths(doc, window));
    out.extend(stat_lengths(doc));
    out
}

/// Statistics lines: `Time to detection: 53 minutes`, `- TTR: 1h 49m`.
fn stat_lengths(doc: &Document) -> Vec<StatedLength> {
    let mut out = Vec::new();
    for b in doc.blocks.iter().filter(|b| {
        matches!(b.kind, BlockKind::ListItem { .. } | BlockKind::Paragraph)
            && !doc.is_masked(&b.span)
    }) {
        for line in doc.own_lines(b) {
            let text = doc.slice(&line);
            let Some((label, value)) = text.split_once(':') else {
                continue;
            };
            let Some(measures) = stat_label(label) else {
                continue;
            };
            let base = line.start + label.len() + 1;
            if let Some(l) = length::lengths(value).into_iter().next() {
                out.push(StatedLength {
                    measures,
                    length: Length {
                        minutes: l.minutes,
                        span: base + l.span.start..base + l.span.end,
                    },
                    start: None,
                    end: None,
                });
            }
        }
    }
    out
}

/// The statistic a label names: "Time to detection", "time to recover", "TTR".
fn stat_label(label: &str) -> Option<Measure> {
    if label.len() > 40 {
        return None;
    }
    let lower = label
        .trim_matches(|c: char| !c.is_ascii_alphanumeric())
        .to_ascii_lowercase();
    let rest = lower
        .strip_prefix("time to ")
        .or_else(|| lower.strip_prefix("mean time to "));
    match rest {
        Some(r) if r.starts_with("detect") || r.starts_with("acknowledge") => Some(Measure::Detect),
        Some(r) if r.starts_with("mitigat") => Some(Measure::Mitigate),
        Some(r)
            if ["recover", "resol", "restor", "repair", "fix"]
                .iter()
                .any(|w| r.starts_with(w)) =>
        {
            Some(Measure::Recover)
        }
        _ => match lower.as_str() {
            "ttd" | "mttd" => Some(Measure::Detect),
            "ttm" => Some(Measure::Mitigate),
            "ttr" | "mttr" => Some(Measure::Recover),
            _ => None,
        },
    }
}

/// A Duration field's length measures its own range when it states one, else the window.
fn field_lengths(
    doc: &Document,
    fields: &[(FieldName, Found)],
    window: &Window,
    window_ctx: &Context,
    order: DateOrder,
) -> Vec<StatedLength> {
    let end_ctx = end_context(window, window_ctx);
    let mut out = Vec::new();
    for f in doc.fields.iter().filter(|f| f.name == FieldName::Duration) {
        for l in length::lengths(doc.slice(&f.value_span)) {
            let own = fields
                .iter()
                .find(|(n, fd)| *n == FieldName::Duration && fd.end.is_some());
            let (s, e) = match own {
                Some((_, fd)) => (
                    point(fd, false, order, window_ctx),
                    point(fd, true, order, &end_ctx),
                ),
                None => (window.start.clone(), window.end.clone()),
            };
            out.push(StatedLength {
                measures: Measure::Incident,
                length: Length {
                    minutes: l.minutes,
                    span: l.span.start + f.value_span.start..l.span.end + f.value_span.start,
                },
                start: s,
                end: e,
            });
        }
    }
    out
}

/// "down for 66 minutes", "lasted 2 hours" in the summary: a length of the window.
fn narrative_lengths(doc: &Document, window: &Window) -> Vec<StatedLength> {
    let mut out = Vec::new();
    for span in doc.summary_spans() {
        {
            let text = doc.slice(&span);
            for l in length::lengths(text) {
                let narrative = is_narrative(&text[..l.span.start]);
                if narrative {
                    out.push(StatedLength {
                        measures: Measure::Incident,
                        length: Length {
                            minutes: l.minutes,
                            span: l.span.start + span.start..l.span.end + span.start,
                        },
                        start: window.start.clone(),
                        end: window.end.clone(),
                    });
                }
            }
        }
    }
    out
}

/// Does the text before a length make it the incident's length? "down for", "lasted",
/// "for approximately", "outage of", "a duration of": not "after" or "within".
fn is_narrative(before: &str) -> bool {
    const QUALIFIERS: &[&str] = &[
        "approximately",
        "about",
        "around",
        "roughly",
        "nearly",
        "almost",
        "over",
        "just",
        "an estimated time of",
        "an estimated",
        "a total of",
        "a period of",
        "an",
        "a",
        "~",
    ];
    const LEADS: &[&str] = &[
        "for",
        "lasted",
        "lasting",
        "outage of",
        "duration of",
        "downtime of",
    ];
    let tail =
        &before[crate::source::floor_char_boundary(before, before.len().saturating_sub(60))..];
    let lower = tail.to_ascii_lowercase();
    // Strip qualifiers from the end ("for about an"), then look for the lead word.
    let mut rest = lower.as_str();
    loop {
        let trimmed = rest.trim_end_matches([' ', '~', '*', '_']);
        match QUALIFIERS
            .iter()
            .find_map(|q| strip_word_suffix(trimmed, q))
        {
            Some(shorter) => rest = shorter,
            None => {
                rest = trimmed;
                break;
            }
        }
    }
    LEADS.iter().any(|l| strip_word_suffix(rest, l).is_some())
}

/// `text` without a trailing `word` that starts at a word boundary.
fn strip_word_suffix<'a>(text: &'a str, word: &str) -> Option<&'a str> {
    let head = text.strip_suffix(word)?;
    head.chars()
        .next_back()
        .is_none_or(|c| !c.is_alphanumeric())
        .then_some(head)
}
