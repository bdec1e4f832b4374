//! Each entry placed in time, in order, with what came before it: the day heading above it,
//! the previous entry's date, and times of day that go past midnight.

use chrono::{DateTime, FixedOffset, NaiveDate};

use crate::document::Document;
use crate::parse::strip_markup;

use super::entries::RawEntry;
use super::milestones::milestone_of_text;
use super::resolve::{Context, Precision, Resolved, add_days, resolve};
use super::stated::{Settled, push_stated};
use super::{Entry, Source, Timeline, length, window};

/// The previous timed entry: its instant, precision, and whether a date is known.
type Prev = (DateTime<FixedOffset>, Precision, bool);

/// Resolves the entries in order, pushing each one's expression to `tl.stated`.
pub(super) fn resolve_entries(
    tl: &mut Timeline,
    doc: &Document,
    raw: Vec<RawEntry>,
    settled: &Settled,
    window_ctx: &Context,
) {
    let (order, base) = (settled.order, settled.base);
    let mut prev: Option<Prev> = None;
    let mut prev_day: Option<NaiveDate> = None;
    let start_date = window::start_date(&tl.window, window_ctx);
    tl.entries.reserve(raw.len());
    tl.stated.reserve(raw.len());
    for RawEntry {
        line,
        found,
        day,
        zone,
        group,
    } in raw
    {
        let idx = tl.entries.len();
        let text = strip_markup(doc.slice(&line)).0.trim().to_string();
        let milestone = milestone_of_text(&text);
        let Some(found) = found else {
            // "10 minutes later", "immediately": placed after the entry before it.
            let relative = prev.and_then(|_| length::relative_minutes(&text));
            tl.entries.push(Entry {
                span: line,
                text,
                stated: None,
                at: None,
                precision: Precision::Day,
                rolled: false,
                time_unknown: false,
                milestone,
                group,
                relative,
                unreadable: None,
            });
            continue;
        };
        let day_date = day
            .as_ref()
            .and_then(|d| resolve(&d.0, order, &base).ok())
            .filter(|r| r.dated)
            .map(|r| r.at.date_naive());
        let date = entry_date(day_date, prev_day, prev);
        prev_day = day_date;
        let ctx = Context {
            date: date.or(start_date),
            year: base.year,
            zone: found.start.zone.or(zone).or(base.zone),
        };
        let time_unknown = found.start.time_unknown;
        let explicit = found.start.has_date();
        push_stated(tl, found, Source::Entry(idx), order, &ctx);
        let mut at = tl.stated.last().and_then(|s| s.resolved);
        let rolled = roll_past_midnight(tl, &mut at, prev, explicit);
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
            group,
            relative: None,
            unreadable: None,
        });
    }
    let found: Vec<_> = tl
        .entries
        .iter()
        .map(|e| super::unreadable(doc.text, e))
        .collect();
    for (e, u) in tl.entries.iter_mut().zip(found) {
        e.unreadable = u;
    }
}

/// Under a new day heading the heading's date wins; within a day, the previous entry's
/// (which may have rolled past midnight).
fn entry_date(
    day_date: Option<NaiveDate>,
    prev_day: Option<NaiveDate>,
    prev: Option<Prev>,
) -> Option<NaiveDate> {
    let prev_date = prev.filter(|p| p.2).map(|p| p.0.date_naive());
    if day_date.is_some() && day_date != prev_day {
        day_date
    } else {
        prev_date.or(day_date)
    }
}

/// Times of day that go past midnight roll to the next day: 23:58 then 00:20. Updates the
/// entry's stated expression too; true when it rolled.
fn roll_past_midnight(
    tl: &mut Timeline,
    at: &mut Option<Resolved>,
    prev: Option<Prev>,
    explicit: bool,
) -> bool {
    if let (Some(r), Some((p, pp, _))) = (at, prev)
        && !explicit
        && pp == Precision::Minute
        && r.precision == Precision::Minute
        && (p - r.at).num_hours() >= 12
        && let Some(next) = add_days(r.at, 1)
    {
        r.at = next;
        if let Some(s) = tl.stated.last_mut() {
            s.resolved = Some(*r);
        }
        return true;
    }
    false
}
