//! Time zones as postmortems write them: abbreviations, UTC offsets and IANA names.

use chrono::{FixedOffset, NaiveDateTime, Offset, TimeZone};
use chrono_tz::Tz;

/// A zone stated in the text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Zone {
    /// A fixed offset in seconds east of UTC (`UTC`, `PDT`, `+02:00`, `UTC+2`).
    Fixed(i32),
    /// An IANA zone (`Europe/Berlin`, or `PT`/`Eastern time`), whose offset depends on the date.
    Named(Tz),
}

/// Which numeric date order a zone's region writes (`BST` people write 31/05).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateOrderHint {
    DayFirst,
    MonthFirst,
}

impl Zone {
    /// The offset in force at a local date and time; None for an impossible offset.
    pub fn offset_at(&self, local: &NaiveDateTime) -> Option<FixedOffset> {
        match self {
            Zone::Fixed(secs) => FixedOffset::east_opt(*secs),
            Zone::Named(tz) => tz
                .offset_from_local_datetime(local)
                .earliest()
                .map(|o| o.fix())
                .or_else(|| Some(tz.offset_from_utc_datetime(local).fix())),
        }
    }

    /// A short label for messages: `UTC`, `+02:00`, `Europe/Berlin`.
    pub fn label(&self) -> String {
        match self {
            Zone::Fixed(0) => "UTC".to_string(),
            Zone::Fixed(s) => {
                let sign = if *s < 0 { '-' } else { '+' };
                let a = s.unsigned_abs();
                format!("{sign}{:02}:{:02}", a / 3600, (a % 3600) / 60)
            }
            Zone::Named(tz) => tz.name().to_string(),
        }
    }
}

/// `(abbreviation, offset in minutes or IANA name, date-order hint)`. Ambiguous abbreviations
/// take their most common meaning in incident reports: IST is India, CST is US Central.
const ABBREVIATIONS: &[(&str, Abbrev)] = &[
    ("UTC", Abbrev::Min(0, None)),
    ("GMT", Abbrev::Min(0, Some(DateOrderHint::DayFirst))),
    ("Z", Abbrev::Min(0, None)),
    ("PST", Abbrev::Min(-8 * 60, Some(DateOrderHint::MonthFirst))),
    ("PDT", Abbrev::Min(-7 * 60, Some(DateOrderHint::MonthFirst))),
    ("MST", Abbrev::Min(-7 * 60, Some(DateOrderHint::MonthFirst))),
    ("MDT", Abbrev::Min(-6 * 60, Some(DateOrderHint::MonthFirst))),
    ("CST", Abbrev::Min(-6 * 60, Some(DateOrderHint::MonthFirst))),
    ("CDT", Abbrev::Min(-5 * 60, Some(DateOrderHint::MonthFirst))),
    ("EST", Abbrev::Min(-5 * 60, Some(DateOrderHint::MonthFirst))),
    ("EDT", Abbrev::Min(-4 * 60, Some(DateOrderHint::MonthFirst))),
    (
        "AKST",
        Abbrev::Min(-9 * 60, Some(DateOrderHint::MonthFirst)),
    ),
    (
        "AKDT",
        Abbrev::Min(-8 * 60, Some(DateOrderHint::MonthFirst)),
    ),
    (
        "HST",
        Abbrev::Min(-10 * 60, Some(DateOrderHint::MonthFirst)),
    ),
    (
        "PT",
        Abbrev::Iana(Tz::America__Los_Angeles, Some(DateOrderHint::MonthFirst)),
    ),
    (
        "MT",
        Abbrev::Iana(Tz::America__Denver, Some(DateOrderHint::MonthFirst)),
    ),
    (
        "CT",
        Abbrev::Iana(Tz::America__Chicago, Some(DateOrderHint::MonthFirst)),
    ),
    (
        "ET",
        Abbrev::Iana(Tz::America__New_York, Some(DateOrderHint::MonthFirst)),
    ),
    ("BST", Abbrev::Min(60, Some(DateOrderHint::DayFirst))),
    (
        "IST",
        Abbrev::Min(5 * 60 + 30, Some(DateOrderHint::DayFirst)),
    ),
    ("WET", Abbrev::Min(0, Some(DateOrderHint::DayFirst))),
    ("WEST", Abbrev::Min(60, Some(DateOrderHint::DayFirst))),
    ("CET", Abbrev::Min(60, Some(DateOrderHint::DayFirst))),
    ("CEST", Abbrev::Min(2 * 60, Some(DateOrderHint::DayFirst))),
    ("EET", Abbrev::Min(2 * 60, Some(DateOrderHint::DayFirst))),
    ("EEST", Abbrev::Min(3 * 60, Some(DateOrderHint::DayFirst))),
    ("MSK", Abbrev::Min(3 * 60, Some(DateOrderHint::DayFirst))),
    ("WAT", Abbrev::Min(60, Some(DateOrderHint::DayFirst))),
    ("CAT", Abbrev::Min(2 * 60, Some(DateOrderHint::DayFirst))),
    ("EAT", Abbrev::Min(3 * 60, Some(DateOrderHint::DayFirst))),
    ("SAST", Abbrev::Min(2 * 60, Some(DateOrderHint::DayFirst))),
    ("GST", Abbrev::Min(4 * 60, Some(DateOrderHint::DayFirst))),
    ("PKT", Abbrev::Min(5 * 60, Some(DateOrderHint::DayFirst))),
    ("ICT", Abbrev::Min(7 * 60, Some(DateOrderHint::DayFirst))),
    ("SGT", Abbrev::Min(8 * 60, Some(DateOrderHint::DayFirst))),
    ("HKT", Abbrev::Min(8 * 60, Some(DateOrderHint::DayFirst))),
    ("AWST", Abbrev::Min(8 * 60, Some(DateOrderHint::DayFirst))),
    ("JST", Abbrev::Min(9 * 60, None)),
    ("KST", Abbrev::Min(9 * 60, None)),
    (
        "ACST",
        Abbrev::Min(9 * 60 + 30, Some(DateOrderHint::DayFirst)),
    ),
    ("AEST", Abbrev::Min(10 * 60, Some(DateOrderHint::DayFirst))),
    ("AEDT", Abbrev::Min(11 * 60, Some(DateOrderHint::DayFirst))),
    ("NZST", Abbrev::Min(12 * 60, Some(DateOrderHint::DayFirst))),
    ("NZDT", Abbrev::Min(13 * 60, Some(DateOrderHint::DayFirst))),
];

#[derive(Debug, Clone, Copy)]
enum Abbrev {
    Min(i32, Option<DateOrderHint>),
    Iana(Tz, Option<DateOrderHint>),
}

/// Every abbreviation has 1 to 4 letters: packed into a `u32` (upper-cased, zero-padded) a
/// lookup is a compare per entry, not a string comparison (the scanner asks for every word
/// that might be a zone).
const fn key(word: &[u8]) -> Option<u32> {
    if word.is_empty() || word.len() > 4 {
        return None;
    }
    let mut k = [0u8; 4];
    let mut i = 0;
    while i < word.len() {
        k[i] = word[i].to_ascii_uppercase();
        i += 1;
    }
    Some(u32::from_le_bytes(k))
}

/// `ABBREVIATIONS`' keys, in the same order.
const KEYS: [u32; ABBREVIATIONS.len()] = {
    let mut keys = [0u32; ABBREVIATIONS.len()];
    let mut i = 0;
    while i < keys.len() {
        keys[i] = match key(ABBREVIATIONS[i].0.as_bytes()) {
            Some(k) => k,
            None => panic!("an abbreviation has 1 to 4 letters"),
        };
        i += 1;
    }
    keys
};

/// A zone abbreviation, matched case-sensitively (so the German "ist" or "est." in prose is
/// not a zone); `utc`/`gmt` are accepted in any case.
pub fn abbreviation(word: &str) -> Option<(Zone, Option<DateOrderHint>)> {
    Some(match ABBREVIATIONS[abbreviation_index(word)?].1 {
        Abbrev::Min(m, h) => (Zone::Fixed(m * 60), h),
        Abbrev::Iana(tz, h) => (Zone::Named(tz), h),
    })
}

/// Whether `word` is a zone abbreviation, as [`abbreviation`] reads it.
pub fn is_abbreviation(word: &str) -> bool {
    abbreviation_index(word).is_some()
}

fn abbreviation_index(word: &str) -> Option<usize> {
    let k = key(word.as_bytes())?;
    let upper_ok = word.len() >= 2 && word.bytes().all(|b| b.is_ascii_uppercase());
    let lower_ok = word.eq_ignore_ascii_case("utc") || word.eq_ignore_ascii_case("gmt");
    if !upper_ok && !lower_ok && word != "Z" {
        return None;
    }
    KEYS.iter().position(|&a| a == k)
}

/// A written-out US zone: `Eastern`, `Pacific` ... (followed by "time" in the text).
pub fn us_region(word: &str) -> Option<Zone> {
    let name = [
        ("eastern", "America/New_York"),
        ("central", "America/Chicago"),
        ("mountain", "America/Denver"),
        ("pacific", "America/Los_Angeles"),
    ]
    .iter()
    .find(|(w, _)| w.eq_ignore_ascii_case(word))?
    .1;
    name.parse::<Tz>().ok().map(Zone::Named)
}

/// An IANA name such as `Europe/Berlin` or `America/Argentina/Buenos_Aires`.
pub fn iana(name: &str) -> Option<Zone> {
    if !name.contains('/') || name.len() > 40 {
        return None;
    }
    name.parse::<Tz>().ok().map(Zone::Named)
}

/// An offset of hours and minutes; None beyond ±18:00 (no real zone is further out).
pub fn offset(sign: i32, hours: u32, minutes: u32) -> Option<Zone> {
    if hours > 18 || minutes > 59 || (hours == 18 && minutes > 0) {
        return None;
    }
    Some(Zone::Fixed(
        sign * (hours as i32 * 3600 + minutes as i32 * 60),
    ))
}

/// A bare signed offset with minutes, `-08:00`, `+05:30` (`−` too), or the same after `UTC`
/// or `GMT` (`UTC-08:00`). The colon form only: a bare `-8` is too often something else.
pub fn signed_offset(word: &str) -> Option<Zone> {
    let rest = ["UTC", "GMT", "utc", "gmt"]
        .iter()
        .find_map(|p| word.strip_prefix(p))
        .unwrap_or(word);
    let (sign, digits) = if let Some(d) = rest.strip_prefix('+') {
        (1, d)
    } else if let Some(d) = rest
        .strip_prefix('-')
        .or_else(|| rest.strip_prefix('\u{2212}'))
    {
        (-1, d)
    } else {
        return None;
    };
    let (h, m) = digits.split_once(':')?;
    if !(1..=2).contains(&h.len())
        || m.len() != 2
        || !h.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit())
    {
        return None;
    }
    offset(sign, h.parse().ok()?, m.parse().ok()?)
}

/// The abbreviations pmlint knows, for suggestions.
pub fn abbreviations() -> impl Iterator<Item = &'static str> {
    ABBREVIATIONS.iter().map(|(a, _)| *a)
}

/// A word written where a zone goes that is one letter off a known abbreviation (`GWT` for
/// `GMT`): the abbreviation it probably meant. Known abbreviations and other words are None.
pub fn near_abbreviation(word: &str) -> Option<&'static str> {
    if !(3..=4).contains(&word.len())
        || !word.bytes().all(|b| b.is_ascii_uppercase())
        || abbreviation(word).is_some()
    {
        return None;
    }
    ABBREVIATIONS
        .iter()
        .map(|(a, _)| *a)
        .filter(|a| a.len() == word.len())
        .find(|a| a.bytes().zip(word.bytes()).filter(|(x, y)| x != y).count() == 1)
}

/// Abbreviations that name one region's standard or daylight time: `(standard, daylight,
/// IANA zone)`. EST then EDT across the change is one zone; PST in June is a slip.
const FAMILIES: &[(&str, &str, Tz)] = &[
    ("PST", "PDT", Tz::America__Los_Angeles),
    ("MST", "MDT", Tz::America__Denver),
    ("CST", "CDT", Tz::America__Chicago),
    ("EST", "EDT", Tz::America__New_York),
    ("AKST", "AKDT", Tz::America__Anchorage),
    ("CET", "CEST", Tz::Europe__Berlin),
    ("EET", "EEST", Tz::Europe__Athens),
    ("WET", "WEST", Tz::Europe__Lisbon),
    ("AEST", "AEDT", Tz::Australia__Sydney),
    ("NZST", "NZDT", Tz::Pacific__Auckland),
];

/// The region an abbreviation belongs to (its standard-time name), if it has daylight time.
pub fn family(abbrev: &str) -> Option<&'static str> {
    FAMILIES
        .iter()
        .find(|(s, d, _)| *s == abbrev || *d == abbrev)
        .map(|(s, _, _)| *s)
}

/// The abbreviation in force in `abbrev`'s region at a local date and time, when it is not
/// `abbrev` itself: `PST` on 2024-06-20 → `PDT` (and its offset).
pub fn season_fix(abbrev: &str, local: &NaiveDateTime) -> Option<(&'static str, FixedOffset)> {
    let (std, dst, tz) = FAMILIES
        .iter()
        .find(|(s, d, _)| *s == abbrev || *d == abbrev)?;
    let std_offset = abbreviation(std)?.0.offset_at(local)?;
    let written = abbreviation(abbrev)?.0.offset_at(local)?;
    // In the repeated hour of the autumn change both abbreviations are right.
    let result = tz.offset_from_local_datetime(local);
    if result.earliest().map(|o| o.fix()) == Some(written)
        || result.latest().map(|o| o.fix()) == Some(written)
    {
        return None;
    }
    let offset = result.earliest()?.fix();
    let right = if offset == std_offset { *std } else { *dst };
    (right != abbrev).then_some((right, offset))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abbreviations_and_offsets() {
        assert_eq!(
            abbreviation("PDT").map(|z| z.0),
            Some(Zone::Fixed(-7 * 3600))
        );
        assert_eq!(abbreviation("utc").map(|z| z.0), Some(Zone::Fixed(0)));
        assert!(abbreviation("ist").is_none());
        assert!(abbreviation("Est").is_none());
        // Looked up by a packed key: padding, length and case must not make a false match.
        assert_eq!(abbreviation("Z").map(|z| z.0), Some(Zone::Fixed(0)));
        assert!(abbreviation("z").is_none());
        assert!(abbreviation("PT\0").is_none());
        assert!(abbreviation("UTCX").is_none());
        assert!(abbreviation("ESTERN").is_none());
        assert!(abbreviation("").is_none());
        assert_eq!(
            abbreviation("PT").map(|z| z.0),
            Some(Zone::Named(Tz::America__Los_Angeles))
        );
        assert_eq!(abbreviation("Gmt").map(|z| z.0), Some(Zone::Fixed(0)));
        assert!(is_abbreviation("NZDT") && !is_abbreviation("NZDX"));
        assert_eq!(offset(1, 5, 30), Some(Zone::Fixed(19800)));
        assert_eq!(offset(1, 99, 99), None);
        assert!(iana("Europe/Berlin").is_some());
        assert!(iana("Europe/Nowhere").is_none());
        assert_eq!(Zone::Fixed(-7 * 3600).label(), "-07:00");
        assert_eq!(signed_offset("-08:00"), Some(Zone::Fixed(-8 * 3600)));
        assert_eq!(signed_offset("UTC+05:30"), Some(Zone::Fixed(19800)));
        assert_eq!(signed_offset("\u{2212}03:00"), Some(Zone::Fixed(-3 * 3600)));
        for not_offset in [
            "08:00",
            "-8",
            "-0800",
            "-08:0",
            "+99:00",
            "-08:00x",
            "10:00-11:00",
        ] {
            assert_eq!(signed_offset(not_offset), None, "{not_offset}");
        }
    }

    #[test]
    fn zone_typos_and_seasons() {
        assert_eq!(near_abbreviation("GWT"), Some("GMT"));
        assert_eq!(near_abbreviation("GMT"), None);
        assert_eq!(near_abbreviation("API"), None);
        let june = chrono::NaiveDate::from_ymd_opt(2024, 6, 20)
            .and_then(|d| d.and_hms_opt(10, 0, 0))
            .expect("date");
        assert_eq!(season_fix("PST", &june).map(|f| f.0), Some("PDT"));
        assert_eq!(season_fix("PDT", &june), None);
        // 01:10 on the US autumn change happens twice: EST and EDT are both right.
        let repeated = chrono::NaiveDate::from_ymd_opt(2024, 11, 3)
            .and_then(|d| d.and_hms_opt(1, 10, 0))
            .expect("date");
        assert_eq!(season_fix("EST", &repeated), None);
        assert_eq!(family("EDT"), Some("EST"));
    }
}
