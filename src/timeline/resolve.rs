//! From the fields a stamp states, plus the document's context, to an instant.

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveTime, TimeZone};

use crate::time::{DateOrderHint, Stamp, Zone};

/// How finely an instant is known: entries are compared only at the precision both state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Precision {
    Month,
    Day,
    Minute,
}

/// What the document settles about reading dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateOrder {
    MonthFirst,
    DayFirst,
    /// Nothing settles it; numeric dates are read month first and reported.
    Unsettled,
}

/// Context an entry's missing fields come from.
#[derive(Debug, Clone, Copy, Default)]
pub struct Context {
    pub date: Option<NaiveDate>,
    pub year: Option<i32>,
    pub zone: Option<Zone>,
}

/// A resolved stamp.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Resolved {
    pub at: DateTime<FixedOffset>,
    pub precision: Precision,
    /// The date came from the stamp itself (not from context).
    pub explicit_date: bool,
    /// A date is known at all (from the stamp or context); otherwise only the time of day is.
    pub dated: bool,
    /// The zone used, if any was known.
    pub zone: Option<Zone>,
}

/// Why a stamp cannot be an instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unresolved {
    /// Not a real date or time ("February 30", "25:00", "13 PM"): the reason, to follow the
    /// text as written ("`25:00` is not a time of day").
    Invalid(String),
    /// Nothing to place it with (no time, no date).
    Nothing,
}

/// When neither the stamp nor the document gives a date, times of day are still ordered on
/// this stand-in day (and reported as undated).
pub fn undated_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default()
}

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

pub fn month_name(m: u32) -> &'static str {
    MONTH_NAMES
        .get((m as usize).wrapping_sub(1))
        .copied()
        .unwrap_or("?")
}

/// The month and day of a stamp under the document's date order.
pub fn month_day(stamp: &Stamp, order: DateOrder) -> (Option<u32>, Option<u32>) {
    match (stamp.numeric, order) {
        (Some(n), DateOrder::DayFirst) => (Some(n.second), Some(n.first)),
        _ => (stamp.month, stamp.day),
    }
}

/// Checks the time fields: `25:00`, `13 PM`, `10:75` are not times.
pub fn check_time(stamp: &Stamp) -> Result<Option<NaiveTime>, Unresolved> {
    let Some(h) = stamp.hour else {
        return Ok(None);
    };
    if stamp.time_unknown {
        return Ok(None);
    }
    let m = stamp.minute.unwrap_or(0);
    let s = stamp.second.unwrap_or(0);
    if stamp.meridiem.is_some() && (h == 0 || h > 12) {
        return Err(Unresolved::Invalid(
            "is not a time: a 12-hour clock runs from 1 to 12".into(),
        ));
    }
    if h > 23 || m > 59 || s > 59 {
        return Err(Unresolved::Invalid("is not a time of day".into()));
    }
    let h24 = stamp.hour24().unwrap_or(h);
    NaiveTime::from_hms_opt(h24, m, s)
        .map(Some)
        .ok_or_else(|| Unresolved::Invalid("is not a time of day".into()))
}

/// Checks the date fields with a year: February 30, month 13.
pub fn check_date(year: i32, month: u32, day: u32) -> Result<NaiveDate, Unresolved> {
    if !(1..=12).contains(&month) {
        return Err(Unresolved::Invalid(format!(
            "is not a date: there is no month {month}"
        )));
    }
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| {
        Unresolved::Invalid(format!(
            "is not a date: {} {year} has {} days",
            month_name(month),
            days_in_month(year, month)
        ))
    })
}

fn days_in_month(year: i32, month: u32) -> u32 {
    (28..=31)
        .rev()
        .find(|d| NaiveDate::from_ymd_opt(year, month, *d).is_some())
        .unwrap_or(28)
}

/// Resolves a stamp with context.
pub fn resolve(stamp: &Stamp, order: DateOrder, ctx: &Context) -> Result<Resolved, Unresolved> {
    let time = check_time(stamp)?;
    let (month, day) = month_day(stamp, order);
    let year = stamp.year.or(ctx.year).or(ctx.date.map(|d| d.year()));
    let explicit_date = (month.is_some() || day.is_some()) && !stamp.inherited_date;
    let (date, mut precision, dated) = match (month, day, year) {
        (Some(m), Some(d), Some(y)) if !stamp.day_unknown => {
            (check_date(y, m, d)?, Precision::Day, true)
        }
        // No year anywhere: check against a leap year so February 29 stays possible.
        (Some(m), Some(d), None) => (check_date(2000, m, d)?, Precision::Day, false),
        (Some(m), _, Some(y)) => (check_date(y, m, 1)?, Precision::Month, true),
        _ => match ctx.date {
            Some(d) => (d, Precision::Day, true),
            None if time.is_some() => (undated_day(), Precision::Day, false),
            None => return Err(Unresolved::Nothing),
        },
    };
    let naive = match time {
        Some(t) => {
            if precision == Precision::Day {
                precision = Precision::Minute;
            }
            date.and_time(t)
        }
        None => date.and_time(NaiveTime::MIN),
    };
    let zone = stamp.zone.or(ctx.zone);
    let offset = zone
        .and_then(|z| z.offset_at(&naive))
        .or_else(|| FixedOffset::east_opt(0))
        .ok_or(Unresolved::Nothing)?;
    let at = offset
        .from_local_datetime(&naive)
        .single()
        .ok_or(Unresolved::Nothing)?;
    Ok(Resolved {
        at,
        precision,
        explicit_date,
        dated,
        zone,
    })
}

/// Compares two instants at the precision both state (two entries on the same day with
/// unknown times are equal).
pub fn cmp_at(
    a: (DateTime<FixedOffset>, Precision),
    b: (DateTime<FixedOffset>, Precision),
) -> std::cmp::Ordering {
    match a.1.min(b.1) {
        Precision::Minute => a.0.cmp(&b.0),
        Precision::Day => a.0.date_naive().cmp(&b.0.date_naive()),
        Precision::Month => (a.0.year(), a.0.month()).cmp(&(b.0.year(), b.0.month())),
    }
}

/// Adds whole days, checked (year 9999 does not overflow into a panic).
pub fn add_days(at: DateTime<FixedOffset>, days: i64) -> Option<DateTime<FixedOffset>> {
    at.checked_add_signed(Duration::try_days(days)?)
}

pub fn hint_order(h: DateOrderHint) -> DateOrder {
    match h {
        DateOrderHint::DayFirst => DateOrder::DayFirst,
        DateOrderHint::MonthFirst => DateOrder::MonthFirst,
    }
}
