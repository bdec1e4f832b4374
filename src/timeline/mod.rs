//! The timeline model: every timeline entry resolved to an instant, the stated incident
//! window, milestones, and every date/time the document states, built once from the
//! [`Document`] for the timeline rules (PM2xx, PM3xx) and `pmlint timeline` to read.

pub mod length;
pub mod resolve;

use std::ops::Range;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate};

use crate::document::{Block, BlockKind, Document, FieldName, KindId};
use crate::parse::strip_markup;
use crate::time::{self, Found, Stamp, Zone};
pub use length::Length;
use resolve::{Context, add_days, hint_order, resolve};
pub use resolve::{DateOrder, Precision, Resolved, Unresolved};

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

/// Incident phases SRE teams track.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Milestone {
    Started,
    Detected,
    Mitigated,
    Resolved,
}

impl Milestone {
    pub fn as_str(self) -> &'static str {
        match self {
            Milestone::Started => "started",
            Milestone::Detected => "detected",
            Milestone::Mitigated => "mitigated",
            Milestone::Resolved => "resolved",
        }
    }
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
    /// The window the length is stated for (a Duration field's own range, or the incident's).
    pub start: Option<Point>,
    pub end: Option<Point>,
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
    for s in std::iter::once(&mut f.start).chain(f.end.as_mut()) {
        mv(&mut s.month_span);
        mv(&mut s.year_span);
        mv(&mut s.meridiem_span);
        mv(&mut s.date_span);
        mv(&mut s.time_span);
    }
    f
}

fn scan_at(doc: &Document, span: &Range<usize>) -> Vec<Found> {
    time::scan(doc.slice(span))
        .into_iter()
        .map(|f| shift(f, span.start))
        .collect()
}

/// Builds the timeline of a document.
pub fn build(doc: &Document, config: &crate::Config) -> Timeline {
    let configured_order = config.date_order;
    let mut tl = Timeline::default();
    let timeline_sections: Vec<usize> = doc
        .sections
        .iter()
        .enumerate()
        .filter(|(i, s)| {
            s.kinds.contains(KindId::TIMELINE) && !doc.has_ancestor_of_kind(*i, KindId::TIMELINE)
        })
        .map(|(i, _)| i)
        .collect();

    // Fields first: they give the window, the zone and the year.
    let mut field_found: Vec<(FieldName, Found)> = Vec::new();
    for f in &doc.fields {
        if matches!(
            f.name,
            FieldName::Start
                | FieldName::End
                | FieldName::Duration
                | FieldName::Detected
                | FieldName::Mitigated
                | FieldName::Resolved
                | FieldName::Date
                | FieldName::Timezone
        ) {
            for found in scan_at(doc, &f.value_span).into_iter().take(2) {
                field_found.push((f.name, found));
            }
        }
    }
    // Summary prose: its first range is the window when no field states one.
    let mut summary_found: Vec<Found> = Vec::new();
    for s in doc
        .sections
        .iter()
        .filter(|s| s.kinds.contains(KindId::SUMMARY))
    {
        for b in doc.blocks_in(s.body.clone()).iter().take(8) {
            if matches!(
                b.kind,
                BlockKind::Paragraph | BlockKind::Html | BlockKind::ListItem { .. }
            ) {
                summary_found.extend(scan_at(doc, &b.span).into_iter().take(8));
            }
        }
    }

    // Candidate entries and their expressions.
    let mut raw_entries: Vec<RawEntry> = Vec::new();
    let mut day_headings: Vec<Found> = Vec::new();
    for &si in &timeline_sections {
        let section = &doc.sections[si];
        tl.sections.push(section.heading_span.clone());
        let mut section_zone =
            zone_in(&time::scan(&section.title)).or_else(|| zone_word(&section.title));
        let blocks = doc.blocks_in(section.body.clone());
        let min_depth = blocks
            .iter()
            .filter_map(|b| match b.kind {
                BlockKind::ListItem { depth } => Some(depth),
                _ => None,
            })
            .min()
            .unwrap_or(0);
        let header_time_col = time_column(doc, blocks);
        let mut day: Option<NaiveDateCtx> = None;
        // Sub-headings follow the section directly in the list: a bounded walk, not a scan.
        let mut next_heading = doc.sections[si + 1..]
            .iter()
            .take_while(|s| s.heading_span.start < section.body.end)
            .peekable();
        for b in blocks {
            // A sub-heading that is a date sets the day for the entries under it.
            while let Some(h) = next_heading.peek() {
                if h.heading_span.start > b.span.start {
                    break;
                }
                let found = scan_at(doc, &h.heading_span);
                if let Some(f) = found
                    .into_iter()
                    .find(|f| f.start.has_date() && !f.start.has_time())
                {
                    day = Some(NaiveDateCtx(f.start.clone()));
                    day_headings.push(f);
                }
                next_heading.next();
            }
            match b.kind {
                BlockKind::ListItem { depth } if depth == min_depth => {
                    let line = doc.first_line(&b.span);
                    let found = scan_at(doc, &line).into_iter().next();
                    // "- Actions Taken:" heads a group of sub-items; it is not an entry.
                    let label_only = found.is_none()
                        && strip_markup(doc.slice(&line)).0.trim_end().ends_with(':');
                    if !label_only {
                        raw_entries.push((line, found, day.clone(), section_zone));
                    }
                }
                // A two-column field table ("| Start | 14:02 UTC |") and an empty template
                // row are not entries.
                BlockKind::TableRow { header: false }
                    if b.cells.iter().all(|c| doc.slice(c).trim().is_empty())
                        || (b.cells.len() == 2
                            && crate::document::field_name(
                                strip_markup(doc.slice(&b.cells[0])).0.trim(),
                            )
                            .is_some()) => {}
                BlockKind::TableRow { header: false } => {
                    let found = match header_time_col.and_then(|c| b.cells.get(c)) {
                        Some(cell) => scan_at(doc, cell).into_iter().next(),
                        None => b
                            .cells
                            .iter()
                            .find_map(|c| scan_at(doc, c).into_iter().next()),
                    };
                    // A row of a two-column field table ("| Impact | ... |") is not an entry.
                    if found.is_some() || b.cells.len() > 2 {
                        raw_entries.push((b.span.clone(), found, day.clone(), section_zone));
                    }
                }
                BlockKind::TableRow { header: true } => {
                    if let Some(z) = zone_in(&scan_at(doc, &b.span)) {
                        section_zone = Some(z);
                    }
                    let text = doc.slice(&b.span).to_ascii_uppercase();
                    if section_zone.is_none() {
                        section_zone = zone_word(&text);
                    }
                }
                BlockKind::Paragraph | BlockKind::Html => {
                    for line in doc.lines_in(&b.span) {
                        let found = scan_at(doc, &line);
                        let raw = doc.slice(&line);
                        let is_li = raw.contains("<li");
                        let content_start =
                            line.start + (raw.len() - raw.trim_start_matches(is_lead).len());
                        let at_start = found.first().filter(|f| f.span.start <= content_start + 3);
                        if let Some(f) = at_start {
                            raw_entries.push((
                                line.clone(),
                                Some(f.clone()),
                                day.clone(),
                                section_zone,
                            ));
                        } else if is_li {
                            raw_entries.push((
                                line.clone(),
                                found.into_iter().next(),
                                day.clone(),
                                section_zone,
                            ));
                        } else if let Some(z) = zone_in(&found).or_else(|| zone_word(raw)) {
                            // "All times in CET." sets the zone of what follows.
                            section_zone = Some(z);
                        }
                    }
                }
                _ => {}
            }
        }
    }

    // The document's numeric date order: a settling date, else the zones' regions.
    let all_found = field_found
        .iter()
        .map(|(_, f)| f)
        .chain(summary_found.iter())
        .chain(raw_entries.iter().filter_map(|e| e.1.as_ref()))
        .chain(day_headings.iter());
    let mut settled = None;
    let mut hinted = None;
    let mut any_zone = false;
    for f in all_found {
        for s in std::iter::once(&f.start).chain(f.end.as_ref()) {
            settled = settled.or(s.settles);
            hinted = hinted.or(s.zone_hint);
            any_zone |= s.zone.is_some();
        }
    }
    let order = configured_order
        .or(settled.map(hint_order))
        .or(hinted.map(hint_order));
    tl.order = order;
    let order = order.unwrap_or(DateOrder::Unsettled);

    // The document's zone and year.
    let fm_zone = doc
        .fields
        .iter()
        .filter(|f| f.name == FieldName::Timezone)
        .find_map(|f| {
            zone_word(&f.value.to_ascii_uppercase()).or_else(|| time::zone::iana(f.value.trim()))
        });
    let field_zone = field_found
        .iter()
        .find_map(|(_, f)| f.start.zone.or(f.end.as_ref().and_then(|e| e.zone)));
    let summary_zone = summary_found.iter().find_map(|f| f.start.zone);
    let doc_zone = field_zone.or(fm_zone).or(summary_zone).or(config.timezone);
    tl.zone_stated = any_zone || doc_zone.is_some() || raw_entries.iter().any(|e| e.3.is_some());
    let doc_year = field_found
        .iter()
        .map(|(_, f)| f)
        .chain(raw_entries.iter().filter_map(|e| e.1.as_ref()))
        .chain(summary_found.iter())
        .find_map(|f| f.start.year);
    let base_ctx = Context {
        date: None,
        year: doc_year,
        zone: doc_zone,
    };

    // The window: Start/End fields, else a Duration range, else the summary's first range.
    let mut start: Option<(Found, bool)> = None;
    let mut end: Option<(Found, bool)> = None;
    let mut date_field: Option<NaiveDate> = None;
    for (name, f) in &field_found {
        match name {
            FieldName::Start if start.is_none() => start = Some((f.clone(), false)),
            FieldName::End | FieldName::Resolved if end.is_none() && *name == FieldName::End => {
                end = Some((f.clone(), false))
            }
            FieldName::Date => {
                date_field = resolve(&f.start, order, &base_ctx)
                    .ok()
                    .filter(|r| r.dated)
                    .map(|r| r.at.date_naive())
            }
            _ => {}
        }
    }
    let range_source = field_found
        .iter()
        .filter(|(n, _)| *n == FieldName::Duration)
        .map(|(_, f)| f)
        .chain(summary_found.iter())
        .find(|f| f.end.is_some() && f.start.has_time());
    if let Some(r) = range_source {
        if start.is_none() {
            start = Some((r.clone(), false));
        }
        if end.is_none() {
            end = Some((r.clone(), true));
        }
    }
    let summary_date = summary_found
        .iter()
        .find(|f| f.start.has_date() && !f.start.has_time())
        .and_then(|f| resolve(&f.start, order, &base_ctx).ok())
        .filter(|r| r.dated)
        .map(|r| r.at.date_naive());
    let window_ctx = Context {
        date: date_field.or(summary_date),
        ..base_ctx
    };
    let point = |f: &Found, use_end: bool, ctx: &Context| -> Option<Point> {
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
    };
    tl.window.start = start.as_ref().and_then(|(f, e)| point(f, *e, &window_ctx));
    let end_ctx = Context {
        date: tl
            .window
            .start
            .as_ref()
            .filter(|p| p.dated)
            .map(|p| p.at.date_naive())
            .or(window_ctx.date),
        ..window_ctx
    };
    tl.window.end = end.as_ref().and_then(|(f, e)| point(f, *e, &end_ctx));
    // An overnight window stated with times only ("11 PM to 1 AM") ends the next day.
    if let (Some(s), Some(e)) = (&tl.window.start, &mut tl.window.end)
        && e.at < s.at
        && e.precision == Precision::Minute
    {
        let end_stamp = end.as_ref().map(|(f, use_end)| {
            if *use_end {
                f.end.clone().unwrap_or_default()
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

    // Stated lengths: the Duration field's, and the summary's narrative ("down for 66 minutes").
    for f in doc.fields.iter().filter(|f| f.name == FieldName::Duration) {
        for l in length::lengths(doc.slice(&f.value_span)) {
            let own = field_found
                .iter()
                .find(|(n, fd)| *n == FieldName::Duration && fd.end.is_some());
            let (s, e) = match own {
                Some((_, fd)) => (point(fd, false, &window_ctx), point(fd, true, &end_ctx)),
                None => (tl.window.start.clone(), tl.window.end.clone()),
            };
            tl.lengths.push(StatedLength {
                length: Length {
                    minutes: l.minutes,
                    span: l.span.start + f.value_span.start..l.span.end + f.value_span.start,
                },
                start: s,
                end: e,
            });
        }
    }
    for s in doc
        .sections
        .iter()
        .filter(|s| s.kinds.contains(KindId::SUMMARY))
    {
        for b in doc.blocks_in(s.body.clone()).iter().take(8) {
            let text = doc.slice(&b.span);
            for l in length::lengths(text) {
                let before = &text[..l.span.start];
                let lower = before.to_ascii_lowercase();
                let narrative = [
                    "down for ",
                    "lasted ",
                    "lasted for ",
                    "outage of ",
                    "for a total of ",
                    "duration of ",
                ]
                .iter()
                .any(|p| {
                    lower.trim_end_matches(['~', ' ']).ends_with(p.trim_end()) || lower.ends_with(p)
                });
                if narrative {
                    tl.lengths.push(StatedLength {
                        length: Length {
                            minutes: l.minutes,
                            span: l.span.start + b.span.start..l.span.end + b.span.start,
                        },
                        start: tl.window.start.clone(),
                        end: tl.window.end.clone(),
                    });
                }
            }
        }
    }

    // Stated expressions outside entries (fields, summary, day headings).
    for (name, f) in field_found {
        let ctx = Context {
            date: window_ctx.date,
            ..base_ctx
        };
        push_stated(&mut tl, f, Source::Field(name), order, &ctx);
        if let Some(m) = milestone_of_field(name)
            && let Some(r) = tl.stated.last().and_then(|s| s.resolved)
        {
            let span = tl
                .stated
                .last()
                .map(|s| s.found.span.clone())
                .unwrap_or_default();
            tl.field_milestones.push((m, r.at, span));
        }
    }
    for f in summary_found.into_iter().chain(day_headings) {
        push_stated(
            &mut tl,
            f,
            Source::Prose,
            order,
            &Context {
                date: window_ctx.date,
                ..base_ctx
            },
        );
    }

    // Entries, in order, each resolved with what came before it.
    let mut prev: Option<(DateTime<FixedOffset>, Precision, bool)> = None;
    let mut prev_day: Option<NaiveDate> = None;
    let start_date = tl
        .window
        .start
        .as_ref()
        .filter(|p| p.dated)
        .map(|p| p.at.date_naive())
        .or(window_ctx.date);
    for (line, found, day, zone) in raw_entries {
        let idx = tl.entries.len();
        let text = strip_markup(doc.slice(&line)).0.trim().to_string();
        let milestone = milestone_of_text(&text);
        let Some(found) = found else {
            tl.entries.push(Entry {
                span: line,
                text,
                stated: None,
                at: None,
                precision: Precision::Day,
                rolled: false,
                time_unknown: false,
                milestone,
            });
            continue;
        };
        let day_date = day
            .as_ref()
            .and_then(|d| resolve(&d.0, order, &base_ctx).ok())
            .filter(|r| r.dated)
            .map(|r| r.at.date_naive());
        let prev_date = prev.filter(|p| p.2).map(|p| p.0.date_naive());
        // Under a new day heading the heading's date wins; within a day, the previous entry's
        // (which may have rolled past midnight).
        let date = if day_date.is_some() && day_date != prev_day {
            day_date
        } else {
            prev_date.or(day_date)
        };
        prev_day = day_date;
        let ctx = Context {
            date: date.or(start_date),
            year: doc_year,
            zone: found.start.zone.or(zone).or(doc_zone),
        };
        let time_unknown = found.start.time_unknown;
        let explicit = found.start.has_date();
        push_stated(&mut tl, found, Source::Entry(idx), order, &ctx);
        let mut at = tl.stated.last().and_then(|s| s.resolved);
        let mut rolled = false;
        // Times of day that go past midnight roll to the next day: 23:58 then 00:20.
        if let (Some(r), Some((p, pp, _))) = (&mut at, prev)
            && !explicit
            && pp == Precision::Minute
            && r.precision == Precision::Minute
            && (p - r.at).num_hours() >= 12
            && let Some(next) = add_days(r.at, 1)
        {
            r.at = next;
            rolled = true;
            if let Some(s) = tl.stated.last_mut() {
                s.resolved = Some(*r);
            }
        }
        if let Some(r) = at {
            prev = Some((r.at, r.precision, r.dated));
        }
        tl.entries.push(Entry {
            span: line,
            text,
            stated: Some(tl.stated.len() - 1),
            at: at.map(|r| r.at),
            precision: at.map_or(Precision::Day, |r| r.precision),
            rolled,
            time_unknown,
            milestone,
        });
    }
    let mut outlier = vec![false; tl.entries.len()];
    for i in out_of_order(&tl) {
        outlier[i] = true;
    }
    let kept = |i: usize| !outlier[i] && tl.entries[i].at.is_some();
    let mut neighbours = vec![(None, None); tl.entries.len()];
    let mut last = None;
    for (i, n) in neighbours.iter_mut().enumerate() {
        n.0 = last;
        if kept(i) {
            last = Some(i);
        }
    }
    last = None;
    for (i, n) in neighbours.iter_mut().enumerate().rev() {
        n.1 = last;
        if kept(i) {
            last = Some(i);
        }
    }
    tl.outlier = outlier;
    tl.neighbours = neighbours;
    tl
}

/// An entry before resolution: its line, its time expression, the day heading above it and
/// the zone its section states.
type RawEntry = (
    Range<usize>,
    Option<Found>,
    Option<NaiveDateCtx>,
    Option<Zone>,
);

/// Day context from a heading, kept unresolved until the date order is known.
#[derive(Debug, Clone)]
struct NaiveDateCtx(Stamp);

fn push_stated(tl: &mut Timeline, found: Found, source: Source, order: DateOrder, ctx: &Context) {
    let (resolved, invalid) = match resolve(&found.start, order, ctx) {
        Ok(r) => (Some(r), None),
        Err(Unresolved::Invalid(why)) => (None, Some(why)),
        Err(Unresolved::Nothing) => (None, None),
    };
    let end_resolved = found.end.as_ref().and_then(|e| {
        let ctx = Context {
            date: resolved
                .filter(|r| r.dated)
                .map(|r| r.at.date_naive())
                .or(ctx.date),
            zone: found.start.zone.or(ctx.zone),
            ..*ctx
        };
        resolve(e, order, &ctx).ok()
    });
    tl.stated.push(Stated {
        found,
        source,
        resolved,
        end_resolved,
        invalid,
    });
}

/// Markup and words that may come before an entry's time: `- `, `**`, `At `, `<li>`.
fn is_lead(c: char) -> bool {
    matches!(
        c,
        '-' | '*' | '_' | '>' | '•' | '●' | ' ' | '\t' | '|' | '[' | '('
    )
}

/// The table column holding times, by header name.
fn time_column(doc: &Document, blocks: &[Block]) -> Option<usize> {
    let header = blocks
        .iter()
        .find(|b| b.kind == BlockKind::TableRow { header: true })?;
    header.cells.iter().position(|c| {
        let h = doc.slice(c).to_ascii_lowercase();
        ["time", "date", "when", "timestamp"]
            .iter()
            .any(|w| h.contains(w))
    })
}

fn zone_in(found: &[Found]) -> Option<Zone> {
    found.iter().find_map(|f| f.start.zone)
}

/// A zone named by itself in prose: "All times in CET", "Timezone: UTC", "(UTC)".
fn zone_word(text: &str) -> Option<Zone> {
    if text.len() > 300 {
        return None;
    }
    text.split(|c: char| !c.is_ascii_alphanumeric() && c != '/' && c != '_')
        .find_map(|w| {
            time::zone::abbreviation(w)
                .map(|z| z.0)
                .filter(|_| w.len() >= 3)
                .or_else(|| time::zone::iana(w))
        })
}

fn milestone_of_field(name: FieldName) -> Option<Milestone> {
    match name {
        FieldName::Start => Some(Milestone::Started),
        FieldName::Detected => Some(Milestone::Detected),
        FieldName::Mitigated => Some(Milestone::Mitigated),
        FieldName::Resolved | FieldName::End => Some(Milestone::Resolved),
        _ => None,
    }
}

/// Phrases that name a milestone, strongest first: the SRE-book markers (upper case in the
/// text), then plain wording. Matched case-insensitively in one pass (Aho-Corasick).
const MILESTONE_PHRASES: &[(&str, Milestone)] = &[
    ("OUTAGE BEGINS", Milestone::Started),
    ("INCIDENT BEGINS", Milestone::Started),
    ("OUTAGE MITIGATED", Milestone::Mitigated),
    ("INCIDENT MITIGATED", Milestone::Mitigated),
    ("OUTAGE ENDS", Milestone::Resolved),
    ("INCIDENT ENDS", Milestone::Resolved),
    ("fully restored", Milestone::Resolved),
    ("resolved", Milestone::Resolved),
    ("full recovery", Milestone::Resolved),
    ("fully recovered", Milestone::Resolved),
    ("back to normal", Milestone::Resolved),
    ("incident closed", Milestone::Resolved),
    ("all clear", Milestone::Resolved),
    ("all-clear", Milestone::Resolved),
    ("mitigated", Milestone::Mitigated),
    ("mitigation applied", Milestone::Mitigated),
    ("rolled back", Milestone::Mitigated),
    ("rollback complete", Milestone::Mitigated),
    ("workaround", Milestone::Mitigated),
    ("detected", Milestone::Detected),
    ("issue detection", Milestone::Detected),
    ("incident detection", Milestone::Detected),
    ("detection time", Milestone::Detected),
    ("alert fired", Milestone::Detected),
    ("alert triggered", Milestone::Detected),
    ("alerted", Milestone::Detected),
    ("paged", Milestone::Detected),
    ("was noticed", Milestone::Detected),
    ("outage began", Milestone::Started),
    ("incident began", Milestone::Started),
    ("outage started", Milestone::Started),
    ("incident started", Milestone::Started),
    ("errors began", Milestone::Started),
    ("started failing", Milestone::Started),
    ("outage starts", Milestone::Started),
    ("incident starts", Milestone::Started),
];

/// A milestone named by an entry: the SRE-book markers, or plain wording.
pub fn milestone_of_text(text: &str) -> Option<Milestone> {
    static MATCHER: std::sync::LazyLock<Option<aho_corasick::AhoCorasick>> =
        std::sync::LazyLock::new(|| {
            aho_corasick::AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build(MILESTONE_PHRASES.iter().map(|(p, _)| p))
                .ok()
        });
    let matcher = MATCHER.as_ref()?;
    // The markers count only in capitals; the earliest phrase in the table wins.
    matcher
        .find_overlapping_iter(text)
        .filter(|m| {
            let (phrase, _) = MILESTONE_PHRASES[m.pattern().as_usize()];
            !phrase.starts_with(|c: char| c.is_ascii_uppercase()) || &text[m.range()] == phrase
        })
        .map(|m| m.pattern().as_usize())
        .min()
        .map(|i| MILESTONE_PHRASES[i].1)
}

/// The date of an instant as a human writes it: `May 10`.
pub fn short_date(at: &DateTime<FixedOffset>) -> String {
    format!("{} {}", resolve::month_name(at.month()), at.day())
}

/// Entries that break the order: those outside the longest non-decreasing run of the timed
/// entries, so the outlier is blamed and not its innocent neighbour. O(n log n).
pub fn out_of_order(tl: &Timeline) -> Vec<usize> {
    // Sort keys: an entry known only to the day (or month) sorts with the timed entries of
    // that day, never before them.
    let mut keys: Vec<(usize, DateTime<FixedOffset>)> = Vec::new();
    let mut last: Option<DateTime<FixedOffset>> = None;
    for (i, e) in tl.entries.iter().enumerate() {
        let Some(at) = e.at else { continue };
        let key = match (e.precision, last) {
            (Precision::Day, Some(l)) if l.date_naive() == at.date_naive() => l,
            (Precision::Month, Some(l)) if (l.year(), l.month()) == (at.year(), at.month()) => l,
            _ => at,
        };
        keys.push((i, key));
        last = Some(key);
    }
    // Patience sorting, run from the last entry backwards for the longest non-increasing run:
    // among runs of equal length this keeps the earlier entries, so the entry that goes back
    // in time is blamed, not the one before it. tails[k] ends the best run of length k+1.
    let mut tails: Vec<usize> = Vec::new();
    let mut parent: Vec<Option<usize>> = vec![None; keys.len()];
    for k in (0..keys.len()).rev() {
        let key = keys[k].1;
        let pos = tails.partition_point(|&t| keys[t].1 >= key);
        if pos > 0 {
            parent[k] = Some(tails[pos - 1]);
        }
        if pos == tails.len() {
            tails.push(k);
        } else {
            tails[pos] = k;
        }
    }
    let mut keep = vec![false; keys.len()];
    let mut cur = tails.last().copied();
    while let Some(k) = cur {
        keep[k] = true;
        cur = parent[k];
    }
    keys.iter()
        .zip(keep)
        .filter(|(_, kept)| !kept)
        .map(|((i, _), _)| *i)
        .collect()
}

/// When each phase happened: from fields (`Detected: ...`) first, then from the entries'
/// wording; the start and end of the stated window stand in for started and resolved.
pub fn milestones(tl: &Timeline) -> [(Milestone, Option<DateTime<FixedOffset>>); 4] {
    let find = |m: Milestone| {
        tl.field_milestones
            .iter()
            .find(|(k, _, _)| *k == m)
            .map(|(_, at, _)| *at)
            .or_else(|| {
                tl.entries
                    .iter()
                    .find(|e| e.milestone == Some(m) && e.precision == Precision::Minute)
                    .and_then(|e| e.at)
            })
    };
    let started = find(Milestone::Started)
        .or(tl.window.start.as_ref().map(|p| p.at))
        .or_else(|| tl.entries.iter().find_map(|e| e.at));
    let resolved = find(Milestone::Resolved).or(tl.window.end.as_ref().map(|p| p.at));
    [
        (Milestone::Started, started),
        (Milestone::Detected, find(Milestone::Detected)),
        (Milestone::Mitigated, find(Milestone::Mitigated)),
        (Milestone::Resolved, resolved),
    ]
}
