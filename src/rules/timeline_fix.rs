//! Shared by the timeline rules: formatting instants for messages, and the single edits
//! (another month, another year, AM ↔ PM, day and month swapped) that would put an entry back
//! in order and inside the window.

use std::ops::Range;

use chrono::{DateTime, Datelike, Duration, FixedOffset};

use crate::document::Document;
use crate::time::Meridiem;
use crate::timeline::{Precision, Timeline, resolve::month_name};

/// `May 8 10:00`, or `May 8` for a day.
pub fn when(at: &DateTime<FixedOffset>, precision: Precision) -> String {
    // Times of day in an undated document sit on a stand-in day that must not be shown.
    if at.date_naive() == crate::timeline::resolve::undated_day() {
        return at.format("%H:%M").to_string();
    }
    match precision {
        Precision::Minute => at.format("%b %-d %H:%M").to_string(),
        Precision::Day => at.format("%b %-d").to_string(),
        Precision::Month => at.format("%B %Y").to_string(),
    }
}

/// `at` in the zone of `reference`, with the zone named: `Jan 4 09:40 UTC-05:00`. Messages
/// that compare two instants print both this way, so they never seem to contradict.
pub fn when_in(
    at: &DateTime<FixedOffset>,
    precision: Precision,
    reference: &DateTime<FixedOffset>,
) -> String {
    let local = at.with_timezone(reference.offset());
    format!("{} {}", when(&local, precision), zone_label(&local))
}

/// `UTC` or `UTC+02:00` for an offset.
pub fn zone_label(at: &DateTime<FixedOffset>) -> String {
    let secs = at.offset().local_minus_utc();
    if secs == 0 {
        "UTC".into()
    } else {
        format!("UTC{}", at.format("%:z"))
    }
}

/// `May 8 10:00 – May 11 02:00 UTC`.
pub fn window_text(tl: &Timeline) -> Option<String> {
    let (s, e) = (tl.window.start.as_ref()?, tl.window.end.as_ref()?);
    Some(format!(
        "{} – {} {}",
        when(&s.at, s.precision),
        when(&e.at, e.precision),
        zone_label(&s.at)
    ))
}

/// A single edit to an entry's text and the instant it would give.
#[derive(Debug, Clone)]
pub struct Fix {
    pub span: Range<usize>,
    pub replacement: String,
    pub at: DateTime<FixedOffset>,
    /// What the author probably meant, for the message: "May 10", "2024", "12:30 PM".
    pub meant: String,
}

/// Candidate fixes for entry `i`, best first: those that put it inside the window (when
/// there is one) and between its kept neighbours, preferring one that lands on a stated
/// milestone.
pub fn fixes(doc: &Document, tl: &Timeline, i: usize) -> Vec<Fix> {
    let Some(entry) = tl.entries.get(i) else {
        return Vec::new();
    };
    let (Some(at), Some(stated)) = (entry.at, tl.entry_stamp(entry)) else {
        return Vec::new();
    };
    let st = &stated.found.start;
    let (prev, next) = tl.neighbours.get(i).copied().unwrap_or_default();
    let prev = prev.and_then(|j| tl.entries[j].at);
    let next = next.and_then(|j| tl.entries[j].at);
    let in_window = |c: &DateTime<FixedOffset>| match (&tl.window.start, &tl.window.end) {
        (Some(s), Some(e)) => s.at <= *c && *c <= e.at,
        _ => true,
    };
    let fits = |c: &DateTime<FixedOffset>| {
        prev.is_none_or(|p| p <= *c) && next.is_none_or(|n| *c <= n) && in_window(c)
    };
    let mut out: Vec<Fix> = Vec::new();

    if let Some(span) = &st.month_span {
        let written = doc.slice(span);
        for m in 1..=12u32 {
            if Some(m) == st.month {
                continue;
            }
            let Some(c) = at
                .with_day(1)
                .and_then(|d| d.with_month(m))
                .and_then(|d| d.with_day(at.day()))
            else {
                continue;
            };
            if fits(&c) {
                out.push(Fix {
                    span: span.clone(),
                    replacement: month_like(written, m),
                    at: c,
                    meant: format!("{} {}", month_name(m), c.day()),
                });
            }
        }
    }
    if let Some(span) = &st.year_span {
        let written = doc.slice(span);
        for dy in [-1, 1] {
            let Some(c) = at.with_year(at.year() + dy) else {
                continue;
            };
            if fits(&c) {
                let y = c.year();
                let replacement = if written.len() == 2 {
                    format!("{:02}", y % 100)
                } else {
                    y.to_string()
                };
                out.push(Fix {
                    span: span.clone(),
                    replacement,
                    at: c,
                    meant: y.to_string(),
                });
            }
        }
    }
    if let (Some(span), Some(m)) = (&st.meridiem_span, st.meridiem) {
        let shift = if m == Meridiem::Am { 12 } else { -12 };
        if let Some(c) = at.checked_add_signed(Duration::hours(shift))
            && fits(&c)
        {
            let written = doc.slice(span);
            out.push(Fix {
                span: span.clone(),
                replacement: flip_meridiem(written),
                at: c,
                meant: c.format("%-I:%M %p").to_string(),
            });
        }
    }
    if let (Some(n), Some(span)) = (st.numeric, &st.date_span) {
        let swapped = at
            .with_day(1)
            .and_then(|d| d.with_month(at.day()))
            .and_then(|d| d.with_day(at.month()));
        if let Some(c) = swapped.filter(|c| fits(c)) {
            let written = doc.slice(span);
            out.push(Fix {
                span: span.clone(),
                replacement: swap_numbers(written, n.first, n.second),
                at: c,
                meant: format!("{} {}", month_name(c.month()), c.day()),
            });
        }
    }
    // Restored at 04:05 after an alert at 14:20 on the same date: the next day was meant.
    if let Some(span) = &st.date_span
        && st.day.is_some()
        && let Some(c) = crate::timeline::resolve::add_days(at, 1)
        && fits(&c)
    {
        let written = doc.slice(span);
        let iso = written.len() == 10
            && written.bytes().enumerate().all(|(k, b)| {
                if k == 4 || k == 7 {
                    b == b'-'
                } else {
                    b.is_ascii_digit()
                }
            });
        if iso {
            out.push(Fix {
                span: span.clone(),
                replacement: c.format("%Y-%m-%d").to_string(),
                at: c,
                meant: format!("the next day, {} {}", month_name(c.month()), c.day()),
            });
        }
    }
    // Prefer a fix that lands on a stated milestone or window edge, then the nearest month.
    let marks: Vec<DateTime<FixedOffset>> = tl
        .field_milestones
        .iter()
        .map(|m| m.1)
        .chain(tl.window.start.iter().map(|p| p.at))
        .chain(tl.window.end.iter().map(|p| p.at))
        .collect();
    out.sort_by_key(|f| (!marks.contains(&f.at), (f.at - at).num_minutes().abs()));
    out
}

/// A month name in the style of the one written: `Jun` → `May`, `JUNE` → `MAY`.
fn month_like(written: &str, m: u32) -> String {
    let full = month_name(m);
    let name = if written.len() <= 4 && written.len() < full.len() {
        full[..3].to_string()
    } else {
        full.to_string()
    };
    if written.chars().all(|c| c.is_uppercase()) {
        name.to_uppercase()
    } else if written.chars().next().is_some_and(char::is_lowercase) {
        name.to_lowercase()
    } else {
        name
    }
}

fn flip_meridiem(written: &str) -> String {
    written
        .chars()
        .map(|c| match c {
            'a' => 'p',
            'p' => 'a',
            'A' => 'P',
            'P' => 'A',
            _ => c,
        })
        .collect()
}

/// `03/04/2023` → `04/03/2023`.
fn swap_numbers(written: &str, first: u32, second: u32) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut cur = String::new();
    for c in written.chars() {
        if c.is_ascii_digit() {
            cur.push(c);
        } else {
            if !cur.is_empty() {
                parts.push(std::mem::take(&mut cur));
            }
            parts.push(c.to_string());
        }
    }
    if !cur.is_empty() {
        parts.push(cur);
    }
    let nums: Vec<usize> = parts
        .iter()
        .enumerate()
        .filter(|(_, p)| p.chars().all(|c| c.is_ascii_digit()))
        .map(|(i, _)| i)
        .collect();
    if nums.len() >= 2
        && parts[nums[0]].parse() == Ok(first)
        && parts[nums[1]].parse() == Ok(second)
    {
        parts.swap(nums[0], nums[1]);
    }
    parts.concat()
}
