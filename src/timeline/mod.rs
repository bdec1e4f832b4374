//! The timeline model: every timeline entry resolved to an instant, the stated incident
//! window, milestones, and every date/time the document states, built once from the
//! [`Document`] for the timeline rules (PM2xx, PM3xx) and `pmlint timeline` to read.
//!
//! [`build`] runs the stages in order, one file each:
//! `stated` (fields, summary, the document's date order, zone and year), `entries` (the
//! timeline sections' candidate entries), `window` (the stated window and lengths), `place`
//! (each entry resolved in order), `milestones`, and `outliers`.

mod entries;
pub mod length;
mod milestones;
mod outliers;
mod place;
pub mod resolve;
mod stated;
pub mod unreadable;
mod window;

use std::ops::Range;

use chrono::{DateTime, Datelike, FixedOffset};

use crate::document::{Document, FieldName};
use crate::time::{self, Found, Zone};
pub use length::Length;
pub use milestones::{Milestone, milestone_of_text, milestones};
pub use outliers::out_of_order;
pub use resolve::{DateOrder, Precision, Resolved, Unresolved};
pub use unreadable::{Unreadable, unreadable};

/// Where a date/time expression was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Timeline entry `n`.
    Entry(usize),
    Field(FieldName),
    /// Prose in the summary, or a day heading in the timeline.
    Prose,
}

/// One expression the document states, with absolute spans and what became of it.
#[derive(Debug, Clone)]
pub struct Stated {
    pub found: Found,
    pub source: Source,
    pub resolved: Option<Resolved>,
    pub end_resolved: Option<Resolved>,
    pub invalid: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Entry {
    /// The entry's first line (trimmed), in the source.
    pub span: Range<usize>,
    /// Its text without markup.
    pub text: String,
    /// Index into `Timeline::stated` of its time expression.
    pub stated: Option<usize>,
    pub at: Option<DateTime<FixedOffset>>,
    pub precision: Precision,
    /// The time was moved to the next day because the times of day went past midnight.
    pub rolled: bool,
    /// Stated as `HH:mm`, `??:??` or similar: known to the day at best.
    pub time_unknown: bool,
    pub milestone: Option<Milestone>,
    /// The label sub-section of the timeline it sits under ("Actions Taken:"), if any.
    pub group: Option<usize>,
    /// Untimed but placed relative to the entry before: "10 minutes later" (minutes after).
    pub relative: Option<i64>,
    /// A stamp written but not readable (`--:--`, `16.40`), found once for every rule.
    pub unreadable: Option<Unreadable>,
}

impl Entry {
    pub fn timed(&self) -> Option<(DateTime<FixedOffset>, Precision)> {
        self.at.map(|a| (a, self.precision))
    }
}

/// A point of the stated window.
#[derive(Debug, Clone)]
pub struct Point {
    pub at: DateTime<FixedOffset>,
    pub precision: Precision,
    pub span: Range<usize>,
    pub dated: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Window {
    pub start: Option<Point>,
    pub end: Option<Point>,
}

impl Window {
    /// Length in minutes when both ends are known to the minute.
    pub fn minutes(&self) -> Option<i64> {
        let (s, e) = (self.start.as_ref()?, self.end.as_ref()?);
        (s.precision == Precision::Minute && e.precision == Precision::Minute)
            .then(|| (e.at - s.at).num_minutes())
    }
}

/// A stated length and what it claims to measure.
#[derive(Debug, Clone)]
pub struct StatedLength {
    pub length: Length,
    /// What the length claims to measure.
    pub measures: Measure,
    /// The window the length is stated for (a Duration field's own range, or the incident's).
    pub start: Option<Point>,
    pub end: Option<Point>,
}

/// What a stated length measures: the incident ("Duration: 45 minutes", "down for 45
/// minutes") or one of the statistics postmortems give ("Time to detection: 12 minutes").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    Incident,
    Detect,
    Mitigate,
    Recover,
}

#[derive(Debug, Clone, Default)]
pub struct Timeline {
    pub entries: Vec<Entry>,
    pub window: Window,
    pub order: Option<DateOrder>,
    pub stated: Vec<Stated>,
    pub lengths: Vec<StatedLength>,
    /// Milestones from fields (`Detected: ...`): kind, instant, span.
    pub field_milestones: Vec<(Milestone, DateTime<FixedOffset>, Range<usize>)>,
    /// Any zone stated anywhere in the document (fields, headings, entries, prose).
    pub zone_stated: bool,
    /// The timeline sections' heading spans.
    pub sections: Vec<Range<usize>>,
    /// With no timeline section: the paragraph whose sentences are the entries.
    pub prose: Option<Range<usize>>,
    /// Per entry: outside the longest in-order run ([`out_of_order`]).
    pub outlier: Vec<bool>,
    /// Per entry: the nearest timed, in-order entries before and after it.
    pub neighbours: Vec<(Option<usize>, Option<usize>)>,
}

impl Timeline {
    pub fn date_order(&self) -> DateOrder {
        self.order.unwrap_or(DateOrder::Unsettled)
    }

    pub fn entry_stamp(&self, entry: &Entry) -> Option<&Stated> {
        entry.stated.and_then(|i| self.stated.get(i))
    }
}

/// Shifts a found expression's spans by `base` (it was scanned from a slice).
fn shift(mut f: Found, base: usize) -> Found {
    let mv = |r: &mut Option<Range<usize>>| {
        if let Some(r) = r {
            *r = r.start + base..r.end + base;
        }
    };
    f.span = f.span.start + base..f.span.end + base;
    for s in std::iter::once(&mut f.start).chain(f.end.as_deref_mut()) {
        mv(&mut s.month_span);
        mv(&mut s.year_span);
        mv(&mut s.meridiem_span);
        mv(&mut s.date_span);
        mv(&mut s.time_span);
    }
    f
}

fn scan_at(doc: &Document, span: &Range<usize>) -> Vec<Found> {
    scan_at_most(doc, span, usize::MAX)
}

/// The first `limit` expressions in a span, the scan stopping there.
fn scan_at_most(doc: &Document, span: &Range<usize>, limit: usize) -> Vec<Found> {
    time::scan_up_to(doc.slice(span), limit)
        .into_iter()
        .map(|f| shift(f, span.start))
        .collect()
}

/// The first expression in a span, the scan stopping there.
fn scan_first_at(doc: &Document, span: &Range<usize>) -> Option<Found> {
    time::scan_first(doc.slice(span)).map(|f| shift(f, span.start))
}

/// Builds the timeline of a document. Each stage reads what the ones before it settled: the
/// date order, zone and year need every expression scanned before any is resolved.
pub fn build(doc: &Document, config: &crate::Config) -> Timeline {
    // Fields first: they give the window, the zone and the year.
    let scanned = stated::scan(doc);
    let candidates = entries::collect(doc);
    let settled = stated::settle(doc, config, &scanned, &candidates);
    let order = settled.order;
    let (window, window_ctx) = window::window(&scanned, order, &settled.base);
    let lengths = window::lengths(doc, &scanned.fields, &window, &window_ctx, order);
    let mut tl = Timeline {
        window,
        lengths,
        order: settled.stated_order,
        zone_stated: settled.zone_stated,
        sections: candidates.sections,
        prose: candidates.prose,
        ..Timeline::default()
    };
    stated::push_outside(
        &mut tl,
        scanned,
        candidates.day_headings,
        order,
        &window_ctx,
    );
    place::resolve_entries(&mut tl, doc, candidates.raw, &settled, &window_ctx);
    outliers::mark(&mut tl);
    tl
}

/// The first zone the expressions state.
fn zone_in(found: &[Found]) -> Option<Zone> {
    found.iter().find_map(|f| f.start.zone)
}

/// A zone named by itself in prose: "All times in CET", "Timezone: UTC", "(UTC)",
/// "(all times UTC-5)", "all times PT".
fn zone_word(text: &str) -> Option<Zone> {
    if text.len() > 300 {
        return None;
    }
    let mut words = text
        .split(|c: char| !c.is_ascii_alphanumeric() && !matches!(c, '/' | '_' | '+' | '-' | ':'))
        .filter(|w| !w.is_empty());
    words.find_map(|w| {
        let w = w.trim_end_matches(':');
        utc_offset(w).or_else(|| {
            let w = w.trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '/' && c != '_');
            time::zone::abbreviation(w)
                .map(|z| z.0)
                .filter(|_| w.len() >= 2)
                .or_else(|| time::zone::iana(w))
                .or_else(|| time::zone::us_region(w).filter(|_| w.len() > 4))
        })
    })
}

/// A bare offset in a heading, "Timeline (all times -08:00)". Headings only: in prose a
/// `-08:00` is more often the end of a range.
fn heading_offset(title: &str) -> Option<Zone> {
    if title.len() > 300 {
        return None;
    }
    let mut prev = "";
    for w in title
        .split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | ',' | ';'))
        .filter(|w| !w.is_empty())
    {
        // "(10:00 -11:00)" is a range of times, not a zone.
        if !prev.ends_with(|c: char| c.is_ascii_digit())
            && let Some(z) = time::zone::signed_offset(w)
        {
            return Some(z);
        }
        prev = w;
    }
    None
}

/// `UTC-5`, `GMT+1`, `UTC+05:30` written as one word.
fn utc_offset(w: &str) -> Option<Zone> {
    let rest = w
        .strip_prefix("UTC")
        .or_else(|| w.strip_prefix("GMT"))
        .or_else(|| w.strip_prefix("utc"))?;
    let sign = match rest.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits = &rest[1..];
    let (h, m) = match digits.split_once(':') {
        Some((h, m)) => (h.parse().ok()?, m.parse().ok()?),
        None if digits.len() <= 2 => (digits.parse().ok()?, 0),
        None if digits.len() == 4 => (digits[..2].parse().ok()?, digits[2..].parse().ok()?),
        None => return None,
    };
    time::zone::offset(sign, h, m)
}

/// The date of an instant as a human writes it: `May 10`.
pub fn short_date(at: &DateTime<FixedOffset>) -> String {
    format!("{} {}", resolve::month_name(at.month()), at.day())
}
