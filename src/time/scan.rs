//! Finds date and time expressions in a line of text.
//!
//! The line is split into tokens (numbers, words, punctuation, with a flag for the whitespace
//! before each), and small pattern functions read dates, times, zones and ranges from a token
//! position. Every pattern looks at a bounded number of tokens, so a line is scanned in linear
//! time whatever it contains. The scanner reports what was *stated*: a missing year or zone
//! stays missing, for the timeline resolver to fill from context.

use std::ops::Range;

use chrono::Weekday;

use super::vocab::{W, classify};
use super::zone::{self, DateOrderHint, Zone};

/// AM or PM as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Meridiem {
    Am,
    Pm,
}

/// A numeric date like `03/04/2023` whose day/month order the text alone does not settle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Numeric {
    pub first: u32,
    pub second: u32,
}

/// The fields one date/time expression states. Spans are relative to the scanned text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stamp {
    pub year: Option<i32>,
    pub month: Option<u32>,
    pub day: Option<u32>,
    pub weekday: Option<Weekday>,
    pub hour: Option<u32>,
    pub minute: Option<u32>,
    pub second: Option<u32>,
    pub meridiem: Option<Meridiem>,
    pub zone: Option<Zone>,
    pub zone_hint: Option<DateOrderHint>,
    /// Set for `a/b/yyyy` dates: `month`/`day` hold the month-first reading until the
    /// document's order is known.
    pub numeric: Option<Numeric>,
    /// A numeric date whose own values settle the order (`31/05/2023` is day-first).
    pub settles: Option<DateOrderHint>,
    /// The time was written as a stand-in (`HH:mm`, `??:??`) or the day as `??`.
    pub time_unknown: bool,
    pub day_unknown: bool,
    /// The date was copied from the other end of a range (`10:00-10:45` on a dated line).
    pub inherited_date: bool,
    pub month_span: Option<Range<usize>>,
    pub year_span: Option<Range<usize>>,
    pub meridiem_span: Option<Range<usize>>,
    pub date_span: Option<Range<usize>>,
    pub time_span: Option<Range<usize>>,
}

impl Stamp {
    pub fn has_date(&self) -> bool {
        self.month.is_some() || self.day.is_some() || self.year.is_some()
    }
    pub fn has_time(&self) -> bool {
        self.hour.is_some() || self.time_unknown
    }
    /// The 24-hour hour, applying AM/PM (12 AM is 0, 12 PM is 12).
    pub fn hour24(&self) -> Option<u32> {
        let h = self.hour?;
        Some(match self.meridiem {
            Some(Meridiem::Am) if h == 12 => 0,
            Some(Meridiem::Pm) if h < 12 => h + 12,
            _ => h,
        })
    }
}

/// One expression found in the text: a point, or a range `start – end`.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub span: Range<usize>,
    pub start: Stamp,
    /// Boxed: most expressions are points, and a timeline holds one `Found` per entry.
    pub end: Option<Box<Stamp>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Digits: value (saturating) and number of digits.
    Num(u32, u8),
    /// A word, recognised once here for every pattern that reads it.
    Word(W),
    Punct(char),
}

#[derive(Debug, Clone)]
struct Tok {
    kind: Kind,
    span: Range<usize>,
    /// Whitespace precedes this token.
    gap: bool,
}

/// Lines longer than this are scanned only up to it: a date that matters in a postmortem
/// line is near its start, and the cap bounds the token buffer.
const MAX_SCAN: usize = 4096;

/// Finds every date/time expression in `text`.
pub fn scan(text: &str) -> Vec<Found> {
    scan_up_to(text, usize::MAX)
}

/// The first date/time expression in `text`: the scan stops there (expressions are read
/// left to right and never look back, so it is the first that [`scan`] would return).
pub fn scan_first(text: &str) -> Option<Found> {
    // Without the `Vec` of `scan_up_to`: timeline entries ask for one expression each.
    let mut first = None;
    scan_with(text, 1, |f| first = Some(f));
    first
}

/// The first `limit` expressions in `text` (the scan stops there).
pub fn scan_up_to(text: &str, limit: usize) -> Vec<Found> {
    let mut out = Vec::new();
    scan_with(text, limit, |f| out.push(f));
    out
}

/// Hands the first `limit` expressions in `text` to `emit`, in order.
fn scan_with(text: &str, limit: usize, emit: impl FnMut(Found)) {
    let text = &text[..crate::source::floor_char_boundary(text, MAX_SCAN)];
    // Without a digit, only `noon`, `midnight` and stand-ins like `HH:mm` or `??:??` can be
    // found: most prose lines end here, untokenized.
    if !may_hold_expression(text.as_bytes()) {
        return;
    }
    // The token buffer is reused across calls on a thread: a document scans hundreds of
    // lines, and growing a fresh buffer for each was a tenth of the whole run.
    thread_local! {
        static TOKENS: std::cell::Cell<Vec<Tok>> = const { std::cell::Cell::new(Vec::new()) };
    }
    let mut toks = TOKENS.take();
    tokenize(text, &mut toks);
    expressions(text, &toks, limit, emit);
    toks.clear();
    TOKENS.set(toks);
}

fn expressions(text: &str, toks: &[Tok], limit: usize, mut emit: impl FnMut(Found)) {
    let s = Scanner { text, t: toks };
    let mut found = 0;
    let mut i = 0;
    while i < toks.len() && found < limit {
        if !s.can_start(i) {
            i += 1;
            continue;
        }
        match s.expr(i) {
            Some((f, next)) if next > i => {
                emit(f);
                found += 1;
                i = next;
            }
            _ => i += 1,
        }
    }
}

fn tokenize(text: &str, toks: &mut Vec<Tok>) {
    toks.clear();
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut gap = true;
    while let Some(&b) = bytes.get(i) {
        let start = i;
        // ASCII is decided by the byte's class alone; only other characters are decoded.
        let kind = match CLASS[usize::from(b)] {
            SPACE => {
                gap = true;
                i += 1;
                continue;
            }
            DIGIT => {
                // Exact up to u32::MAX, then saturated (the value only grows digit by digit).
                let mut v: u64 = 0;
                let mut n: u8 = 0;
                while let Some(&d) = bytes.get(i)
                    && d.is_ascii_digit()
                {
                    v = (v * 10 + u64::from(d - b'0')).min(1 << 32);
                    n = n.saturating_add(1);
                    i += 1;
                }
                Kind::Num(u32::try_from(v).unwrap_or(u32::MAX), n)
            }
            LETTER => {
                i = word_end(text, i + 1);
                Kind::Word(classify(bytes, start, i))
            }
            PUNCT => {
                i += 1;
                Kind::Punct(char::from(b))
            }
            _ => {
                let c = char_at(text, i);
                i += c.len_utf8();
                if c.is_whitespace() {
                    gap = true;
                    continue;
                }
                if c.is_alphabetic() {
                    i = word_end(text, i);
                    Kind::Word(W::Other)
                } else {
                    Kind::Punct(c)
                }
            }
        };
        toks.push(Tok {
            kind,
            span: start..i,
            gap,
        });
        gap = false;
    }
}

const SPACE: u8 = 0;
const DIGIT: u8 = 1;
const LETTER: u8 = 2;
const PUNCT: u8 = 3;
const NON_ASCII: u8 = 4;

/// The tokenizer's class of each byte: one table load dispatches it.
static CLASS: [u8; 256] = {
    let mut t = [NON_ASCII; 256];
    let mut b = 0;
    while b < 128 {
        t[b] = match b as u8 {
            b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C => SPACE,
            b'0'..=b'9' => DIGIT,
            b'a'..=b'z' | b'A'..=b'Z' => LETTER,
            _ => PUNCT,
        };
        b += 1;
    }
    t
};

/// ASCII letters and `_`: what continues a word (a table load per byte, not four compares).
static WORD_BYTE: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = (b as u8).is_ascii_alphabetic() || b == b'_' as usize;
        b += 1;
    }
    t
};

/// The end of a word whose letters continue at byte `i`: letters and `_`.
#[inline]
fn word_end(text: &str, mut i: usize) -> usize {
    let bytes = text.as_bytes();
    loop {
        // ASCII letters in a tight loop; other characters are decoded one by one.
        while let Some(&b) = bytes.get(i)
            && WORD_BYTE[usize::from(b)]
        {
            i += 1;
        }
        match bytes.get(i) {
            Some(b) if !b.is_ascii() => {
                let ch = char_at(text, i);
                if !ch.is_alphabetic() {
                    return i;
                }
                i += ch.len_utf8();
            }
            _ => return i,
        }
    }
}

/// The character at byte `i` (a char boundary), without decoding when it is ASCII.
fn char_at(text: &str, i: usize) -> char {
    match text.as_bytes().get(i) {
        Some(&b) if b.is_ascii() => char::from(b),
        _ => text[i..].chars().next().unwrap_or(' '),
    }
}

struct Scanner<'a> {
    text: &'a str,
    t: &'a [Tok],
}

impl Scanner<'_> {
    fn word(&self, i: usize) -> Option<&str> {
        let t = self.t.get(i)?;
        matches!(t.kind, Kind::Word(_)).then(|| &self.text[t.span.clone()])
    }

    /// The id of the word at `i`.
    fn w(&self, i: usize) -> Option<W> {
        match self.t.get(i)?.kind {
            Kind::Word(w) => Some(w),
            _ => None,
        }
    }

    fn is_word(&self, i: usize, w: W) -> bool {
        self.w(i) == Some(w)
    }

    fn is_any_word(&self, i: usize, ws: &[W]) -> bool {
        self.w(i).is_some_and(|x| ws.contains(&x))
    }

    fn num(&self, i: usize) -> Option<(u32, u8)> {
        match self.t.get(i)?.kind {
            Kind::Num(v, n) => Some((v, n)),
            _ => None,
        }
    }

    fn punct(&self, i: usize, c: char) -> bool {
        self.t.get(i).is_some_and(|t| t.kind == Kind::Punct(c))
    }

    fn attached(&self, i: usize) -> bool {
        self.t.get(i).is_some_and(|t| !t.gap)
    }

    fn span(&self, from: usize, to: usize) -> Range<usize> {
        let start = self.t.get(from).map_or(self.text.len(), |t| t.span.start);
        let end = to
            .checked_sub(1)
            .and_then(|k| self.t.get(k))
            .map_or(start, |t| t.span.end);
        start..end.max(start)
    }

    fn month(&self, i: usize) -> Option<u32> {
        match self.w(i)? {
            W::Month(m, common) => self.name_ok(i, common).then_some(u32::from(m)),
            _ => None,
        }
    }

    fn weekday(&self, i: usize) -> Option<Weekday> {
        match self.w(i)? {
            W::Weekday(d, common) => self.name_ok(i, common).then_some(d),
            _ => None,
        }
    }

    /// "may", "sat", "mar" in lower case are everyday words, unless between date numbers.
    fn name_ok(&self, i: usize, common: bool) -> bool {
        !common
            || self
                .t
                .get(i)
                .and_then(|t| self.text.as_bytes().get(t.span.start))
                .is_some_and(u8::is_ascii_uppercase)
            || self.between_date_numbers(i)
    }

    /// A lower-case "mar" or "may" still names a month between a day and a year: `24 mar
    /// 2017`, `may 8, 2023`.
    fn between_date_numbers(&self, i: usize) -> bool {
        let num = |k: usize, digits: std::ops::RangeInclusive<u8>| matches!(self.t.get(k).map(|t| t.kind), Some(Kind::Num(_, n)) if digits.contains(&n));
        let day_before = i.checked_sub(1).is_some_and(|k| num(k, 1..=2));
        let year_after = num(i + 1, 4..=4);
        let comma = usize::from(self.punct(i + 2, ','));
        (day_before && year_after) || (num(i + 1, 1..=2) && num(i + 2 + comma, 4..=4))
    }

    /// Can an expression start at token `i`? Most words cannot; skipping them cheaply keeps
    /// prose lines fast.
    fn can_start(&self, i: usize) -> bool {
        match self.t.get(i).map(|t| &t.kind) {
            // Most numbers in prose ("708 requests", "p99 latency") start nothing: every
            // pattern that starts with a number reads one of these right after it.
            Some(Kind::Num(..)) => match self.t.get(i + 1).map(|t| t.kind) {
                Some(Kind::Punct(c)) => matches!(c, ':' | '-' | '–' | '—' | '/' | '.'),
                Some(Kind::Word(w)) => self.may_follow_number(w),
                _ => false,
            },
            // Only `??:??`, `--:--` and `@ 10:00` start with punctuation: a list's `-` starts
            // nothing.
            Some(Kind::Punct(c)) => match c {
                '?' | '-' => self.punct(i + 1, *c),
                '@' => true,
                _ => false,
            },
            Some(&Kind::Word(w)) => {
                // This runs on every word of every scanned line.
                let next = self.t.get(i + 1).map(|t| t.kind);
                // "at", "the" and "on" are common in prose: they start an expression only
                // before what `time`, `day_first` or `date` read after them.
                let starts = match w {
                    W::At => matches!(
                        next,
                        Some(Kind::Num(..) | Kind::Word(_) | Kind::Punct('?' | '-'))
                    ),
                    W::The => matches!(next, Some(Kind::Num(..))),
                    W::On => matches!(next, Some(Kind::Num(..) | Kind::Word(_))),
                    W::Hh | W::Xx | W::From | W::Noon | W::Midday | W::Between | W::Midnight => {
                        true
                    }
                    _ => false,
                };
                if starts {
                    return true;
                }
                if !matches!(w, W::Month(..) | W::Weekday(..)) {
                    return false;
                }
                // A month or weekday starts an expression only before a number or a comma
                // ("May 8", "Mon, 8 May", "Sept. 3"); most words are followed by words.
                let next_ok = matches!(next, Some(Kind::Num(..) | Kind::Punct(',' | '.')))
                    || self.is_word(i + 1, W::The);
                next_ok && (self.month(i).is_some() || self.weekday(i).is_some())
            }
            None => false,
        }
    }

    /// Can the word at `i` continue an expression that starts with the number before it: an
    /// ordinal, a month, an hour unit, AM/PM (`in the morning`), `o'clock`, `of`, or a range
    /// connector? A superset of what the patterns accept, decided on the word alone.
    fn may_follow_number(&self, w: W) -> bool {
        matches!(
            w,
            W::H | W::A
                | W::P
                | W::O
                | W::St
                | W::Nd
                | W::Rd
                | W::Th
                | W::Hr
                | W::Hrs
                | W::Hours
                | W::Am
                | W::Pm
                | W::In
                | W::Of
                | W::To
                | W::Thru
                | W::Through
                | W::Until
                | W::Till
                | W::Month(..)
                | W::Weekday(..)
        )
    }

    /// `st`/`nd`/`rd`/`th` attached to a number; returns the index after it.
    fn ordinal(&self, i: usize) -> usize {
        if self.attached(i) && self.is_any_word(i, &[W::St, W::Nd, W::Rd, W::Th]) {
            i + 1
        } else {
            i
        }
    }

    /// A day number 1–31 (with an optional ordinal suffix, or a `3.` German-style period).
    fn day_num(&self, i: usize) -> Option<(u32, usize)> {
        let (v, n) = self.num(i)?;
        if n > 2 || !(1..=31).contains(&v) {
            return None;
        }
        let next = self.ordinal(i + 1);
        // "2x", "5ms": a number with a unit attached is not a day ("14april" is).
        if next == i + 1
            && self.attached(i + 1)
            && self.word(i + 1).is_some()
            && self.month(i + 1).is_none()
        {
            return None;
        }
        Some((v, next))
    }

    /// A year: four digits, or two digits (74 → 1974, 15 → 2015) when `short` allows it.
    fn year(&self, i: usize, short: bool) -> Option<(i32, usize)> {
        let (v, n) = self.num(i)?;
        match n {
            4 if (1000..=9999).contains(&v) => Some((v as i32, i + 1)),
            2 if short => Some((if v < 70 { 2000 + v } else { 1900 + v } as i32, i + 1)),
            _ => None,
        }
    }

    /// Is token `i` the start of a time (so a two-digit number there is not a year)?
    fn looks_like_time_after(&self, i: usize) -> bool {
        (self.punct(i, ':') && self.attached(i + 1) && self.num(i + 1).is_some())
            || self.meridiem(i).is_some()
            || (self.attached(i) && self.is_word(i, W::H))
    }

    // ---- dates -------------------------------------------------------------------------

    /// A date, with an optional weekday before (`Mon, 8 May 2023`) or after (`Jul 18, Fri`).
    fn date(&self, i: usize) -> Option<(Stamp, usize)> {
        // No date starts with a number before a colon (`14:05`), as most timeline entries do.
        if self.num(i).is_some() && self.punct(i + 1, ':') {
            return None;
        }
        let mut j = i;
        if self.is_word(j, W::On) {
            j += 1;
        }
        let mut weekday = None;
        let mut k = j;
        if let Some(w) = self.weekday(j) {
            k = j + 1;
            if self.punct(k, '.') && self.attached(k) {
                k += 1;
            }
            if self.punct(k, ',') {
                k += 1;
            }
            if self.is_word(k, W::The) {
                k += 1;
            }
            weekday = Some(w);
        }
        let (mut st, mut end) = self.core_date(k)?;
        if weekday.is_none() {
            let mut m = end;
            if self.punct(m, ',') {
                m += 1;
            }
            if let Some(w) = self.weekday(m) {
                weekday = Some(w);
                end = m + 1;
            }
        }
        st.weekday = weekday;
        st.date_span = Some(self.span(if weekday.is_some() { j } else { k }, end));
        Some((st, end))
    }

    fn core_date(&self, i: usize) -> Option<(Stamp, usize)> {
        self.iso_date(i)
            .or_else(|| self.numeric_date(i))
            .or_else(|| self.month_first(i))
            .or_else(|| self.day_first(i))
    }

    /// `2023-05-08`, `2015/10/31`, `2022-05-??`, `2014-10` (a month).
    fn iso_date(&self, i: usize) -> Option<(Stamp, usize)> {
        let (year, j) = self.year(i, false)?;
        let sep = match self.t.get(j)?.kind {
            Kind::Punct(c @ ('-' | '/' | '.')) if self.attached(j) => c,
            _ => return None,
        };
        let (month, mn) = self.num(j + 1)?;
        if mn > 2 || !self.attached(j + 1) {
            return None;
        }
        let mut st = Stamp {
            year: Some(year),
            month: Some(month),
            year_span: Some(self.span(i, i + 1)),
            month_span: Some(self.span(j + 1, j + 2)),
            ..Stamp::default()
        };
        let k = j + 2;
        if self.punct(k, sep) && self.attached(k) && self.attached(k + 1) {
            if let Some((day, dn)) = self.num(k + 1)
                && dn <= 2
            {
                st.day = Some(day);
                return Some((st, k + 2));
            }
            if self.punct(k + 1, '?') && self.punct(k + 2, '?') {
                st.day_unknown = true;
                return Some((st, k + 3));
            }
            return None;
        }
        (1..=12).contains(&month).then_some((st, k))
    }

    /// `05/08/2023`, `08.05.2023`, `31-10-74`, `3/3/15`, `2/15` (no year; `/` only),
    /// `31-Oct-74`, `06/May/2022`.
    fn numeric_date(&self, i: usize) -> Option<(Stamp, usize)> {
        let (a, an) = self.num(i)?;
        if an > 2 {
            return None;
        }
        let sep = match self.t.get(i + 1)?.kind {
            Kind::Punct(c @ ('-' | '/' | '.')) if self.attached(i + 1) => c,
            _ => return None,
        };
        if !self.attached(i + 2) {
            return None;
        }
        // Day - month name - year.
        if let Some(month) = self.month(i + 2) {
            if !self.punct(i + 3, sep) || !self.attached(i + 3) {
                return None;
            }
            let (year, end) = self.year(i + 4, true)?;
            return Some((
                Stamp {
                    year: Some(year),
                    month: Some(month),
                    day: Some(a),
                    month_span: Some(self.span(i + 2, i + 3)),
                    year_span: Some(self.span(i + 4, end)),
                    ..Stamp::default()
                },
                end,
            ));
        }
        let (b, bn) = self.num(i + 2)?;
        if bn > 2 {
            return None;
        }
        // A day above 12 settles the order; otherwise keep both readings (month first).
        let (month, day, numeric, settles) = if a > 12 && b <= 12 {
            (b, a, None, Some(DateOrderHint::DayFirst))
        } else if b > 12 {
            (a, b, None, Some(DateOrderHint::MonthFirst))
        } else if a == b {
            (a, b, None, None)
        } else {
            (
                a,
                b,
                Some(Numeric {
                    first: a,
                    second: b,
                }),
                None,
            )
        };
        if self.punct(i + 3, sep) && self.attached(i + 3) && self.attached(i + 4) {
            let (year, end) = self.year(i + 4, true)?;
            return Some((
                Stamp {
                    year: Some(year),
                    month: Some(month),
                    day: Some(day),
                    numeric,
                    settles,
                    year_span: Some(self.span(i + 4, end)),
                    ..Stamp::default()
                },
                end,
            ));
        }
        // No year: `a/b`, or `a-b` with a day above 12 (`2-15`), and only when it can be a
        // date and is not a ratio, a range of numbers or a quantity (`3/100`, `5-15 minutes`).
        let dash_ok = sep == '-' && b > 12 && self.word(i + 3).is_none() && !self.punct(i + 3, '%');
        if (sep == '/' || dash_ok)
            && !self.punct(i + 3, sep)
            && (1..=31).contains(&a)
            && (1..=31).contains(&b)
            && (a <= 12 || b <= 12)
        {
            return Some((
                Stamp {
                    month: Some(month),
                    day: Some(day),
                    numeric,
                    settles,
                    ..Stamp::default()
                },
                i + 3,
            ));
        }
        None
    }

    /// `May 8th, 2023`, `Aug 8`, `January23, 2021`, `february the 15th`, `October 2014`,
    /// `July 13` (a range end `-15` is read by the range rule).
    fn month_first(&self, i: usize) -> Option<(Stamp, usize)> {
        let month = self.month(i)?;
        let mut j = i + 1;
        if self.punct(j, '.') && self.attached(j) {
            j += 1;
        }
        let month_span = Some(self.span(i, i + 1));
        if self.is_word(j, W::The) {
            j += 1;
        }
        if let Some((day, k)) = self.day_num(j) {
            // Not "May 2023": a four-digit number is the year, read below.
            let mut st = Stamp {
                month: Some(month),
                day: Some(day),
                month_span,
                ..Stamp::default()
            };
            let mut end = k;
            let mut y = k;
            if self.punct(y, ',') || (self.punct(y, '.') && self.attached(y)) {
                y += 1;
            }
            if let Some((year, after)) = self.year(y, false) {
                st.year = Some(year);
                st.year_span = Some(self.span(y, after));
                end = after;
            } else if self.punct(y, '\'')
                && let Some((year, after)) = self.year(y + 1, true)
            {
                st.year = Some(year);
                st.year_span = Some(self.span(y + 1, after));
                end = after;
            }
            return Some((st, end));
        }
        let mut y = j;
        if self.punct(y, ',') {
            y += 1;
        }
        let (year, after) = self.year(y, false)?;
        Some((
            Stamp {
                year: Some(year),
                month: Some(month),
                month_span,
                year_span: Some(self.span(y, after)),
                ..Stamp::default()
            },
            after,
        ))
    }

    /// `8 May 2023`, `the 15th of february`, `14april 2015`, `14th April 15`, `3. February 2020`.
    fn day_first(&self, i: usize) -> Option<(Stamp, usize)> {
        let mut j = i;
        if self.is_word(j, W::The) {
            j += 1;
        }
        let (day, mut k) = self.day_num(j)?;
        if self.punct(k, '.') && self.attached(k) {
            k += 1;
        }
        if self.is_word(k, W::Of) {
            k += 1;
        }
        let month = self.month(k)?;
        let month_span = Some(self.span(k, k + 1));
        let mut end = k + 1;
        let mut st = Stamp {
            month: Some(month),
            day: Some(day),
            month_span,
            ..Stamp::default()
        };
        let mut y = end;
        if self.punct(y, ',') {
            y += 1;
        }
        let short_ok = !self.looks_like_time_after(y + 1);
        if let Some((year, after)) = self.year(y, short_ok) {
            st.year = Some(year);
            st.year_span = Some(self.span(y, after));
            end = after;
        }
        Some((st, end))
    }

    // ---- times -------------------------------------------------------------------------

    /// AM/PM after a time: `am`, `PM`, `a.m.`, `3:18a` (attached), `-am`, `in the afternoon`.
    fn meridiem(&self, i: usize) -> Option<(Meridiem, usize)> {
        let mut j = i;
        if self.punct(j, '-') && self.attached(j) && self.attached(j + 1) {
            j += 1;
        }
        let w = self.w(j)?;
        let m = match w {
            W::Am => Meridiem::Am,
            W::Pm => Meridiem::Pm,
            W::A | W::P => {
                let m = if w == W::A {
                    Meridiem::Am
                } else {
                    Meridiem::Pm
                };
                // `a.m.` anywhere; a bare `a`/`p` only attached (`3:18a`), never the article.
                if self.punct(j + 1, '.') && self.is_word(j + 2, W::M) {
                    let end = if self.punct(j + 3, '.') { j + 4 } else { j + 3 };
                    return Some((m, end));
                }
                let next_is_text = self.attached(j + 1)
                    && self
                        .t
                        .get(j + 1)
                        .is_some_and(|t| !matches!(t.kind, Kind::Punct(_)));
                // Only after minutes (`3:18a`): "rack 3a", "step 2a", "0013a" are names.
                let after_minutes = j.checked_sub(2).is_some_and(|k| self.punct(k, ':'));
                if self.attached(j) && !next_is_text && after_minutes {
                    m
                } else {
                    return None;
                }
            }
            W::In => {
                let mut k = j + 1;
                if self.is_word(k, W::The) {
                    k += 1;
                }
                let m = if self.is_any_word(k, &[W::Am, W::Morning]) {
                    Meridiem::Am
                } else if self.is_any_word(k, &[W::Pm, W::Afternoon, W::Evening, W::Night]) {
                    Meridiem::Pm
                } else {
                    return None;
                };
                return Some((m, k + 1));
            }
            _ => return None,
        };
        Some((m, j + 1))
    }

    /// A time of day. Returns the stamp (hour as written, with `meridiem`) and the next index.
    fn time(&self, i: usize) -> Option<(Stamp, usize)> {
        let mut j = i;
        if self.is_word(j, W::At) || self.punct(j, '@') {
            j += 1;
        }
        let start = j;
        let mut st = Stamp::default();
        let mut k;
        if let Some((h, hn)) = self.num(j) {
            if hn <= 2 && self.punct(j + 1, ':') && self.attached(j + 1) && self.attached(j + 2) {
                // 10:00, 10:00:30, 14:??
                if self.punct(j + 2, '?') && self.punct(j + 3, '?') {
                    st.hour = Some(h);
                    st.time_unknown = true;
                    st.time_span = Some(self.span(start, j + 4));
                    return Some((st, j + 4));
                }
                let (m, mn) = self.num(j + 2)?;
                if mn != 2 {
                    return None;
                }
                st.hour = Some(h);
                st.minute = Some(m);
                k = j + 3;
                if self.punct(k, ':')
                    && self.attached(k)
                    && self.attached(k + 1)
                    && let Some((s, 2)) = self.num(k + 1)
                {
                    st.second = Some(s);
                    k += 2;
                    // Fractions of a second are read and dropped.
                    if self.punct(k, '.')
                        && self.attached(k)
                        && self.num(k + 1).is_some()
                        && self.attached(k + 1)
                    {
                        k += 2;
                    }
                }
            } else if hn <= 2
                && self.attached(j + 1)
                && self.is_any_word(j + 1, &[W::H, W::Hr, W::Hrs, W::Hours])
            {
                // 14h05, 15h, 0300hrs is below
                st.hour = Some(h);
                st.minute = Some(0);
                k = j + 2;
                if self.is_word(j + 1, W::H)
                    && self.attached(k)
                    && let Some((m, 2)) = self.num(k)
                {
                    st.minute = Some(m);
                    k += 1;
                }
            } else if (hn == 3 || hn == 4)
                && self.attached(j + 1)
                && self.is_any_word(j + 1, &[W::H, W::Hr, W::Hrs, W::Hours])
            {
                st.hour = Some(h / 100);
                st.minute = Some(h % 100);
                k = j + 2;
            } else if hn <= 2 && self.meridiem(j + 1).is_some() {
                st.hour = Some(h);
                st.minute = Some(0);
                k = j + 1;
                if self.is_word(k, W::O) && self.punct(k + 1, '\'') && self.is_word(k + 2, W::Clock)
                {
                    k += 3;
                }
            } else if (hn == 3 || hn == 4) && (self.meridiem(j + 1).is_some() || start > i) {
                // 330 p.m., at 1030
                st.hour = Some(h / 100);
                st.minute = Some(h % 100);
                k = j + 1;
            } else if hn <= 2
                && self.is_word(j + 1, W::O)
                && self.punct(j + 2, '\'')
                && self.is_word(j + 3, W::Clock)
            {
                st.hour = Some(h);
                st.minute = Some(0);
                k = j + 4;
            } else {
                return None;
            }
        } else if self.is_any_word(j, &[W::Noon, W::Midday]) {
            st.hour = Some(12);
            st.minute = Some(0);
            k = j + 1;
        } else if self.is_word(j, W::Midnight) {
            st.hour = Some(0);
            st.minute = Some(0);
            k = j + 1;
        } else if self.is_any_word(j, &[W::Hh, W::Xx])
            && self.punct(j + 1, ':')
            && self.is_any_word(j + 2, &[W::Mm, W::Xx])
        {
            st.time_unknown = true;
            st.time_span = Some(self.span(start, j + 3));
            return Some((st, j + 3));
        } else if (self.punct(j, '?')
            && self.punct(j + 1, '?')
            && self.punct(j + 2, ':')
            && self.punct(j + 3, '?')
            && self.punct(j + 4, '?'))
            || (self.punct(j, '-')
                && self.punct(j + 1, '-')
                && self.punct(j + 2, ':')
                && self.punct(j + 3, '-')
                && self.punct(j + 4, '-'))
        {
            st.time_unknown = true;
            st.time_span = Some(self.span(start, j + 5));
            return Some((st, j + 5));
        } else {
            return None;
        }
        if let Some((m, after)) = self.meridiem(k) {
            st.meridiem = Some(m);
            st.meridiem_span = Some(self.span(k, after));
            k = after;
        }
        st.time_span = Some(self.span(start, k));
        Some((st, k))
    }

    /// A zone after a time: `UTC`, `(UTC)`, `-GMT`, `Z`, `+02:00`, `UTC+2`, `Europe/Berlin`,
    /// `Eastern time`. `iso` allows a `-05:00` offset (after an ISO date-time).
    fn zone(&self, i: usize, iso: bool) -> Option<(Zone, Option<DateOrderHint>, usize)> {
        // (UTC), (UTC-5)
        if self.punct(i, '(') {
            let (z, h, k) = self.zone_inner(i + 1, true)?;
            return self.punct(k, ')').then_some((z, h, k + 1));
        }
        let mut j = i;
        if self.punct(j, '-')
            && self.attached(j)
            && self.attached(j + 1)
            && self.word(j + 1).is_some()
        {
            j += 1;
        }
        self.zone_inner(j, iso)
    }

    fn zone_inner(&self, i: usize, iso: bool) -> Option<(Zone, Option<DateOrderHint>, usize)> {
        if let Some(w) = self.word(i) {
            // Europe/Berlin, America/New_York
            if self.punct(i + 1, '/')
                && self.attached(i + 1)
                && self.attached(i + 2)
                && let Some(w2) = self.word(i + 2)
            {
                let mut end = i + 3;
                let mut name = format!("{w}/{w2}");
                if self.punct(end, '/')
                    && self.attached(end)
                    && let Some(w3) = self.word(end + 1)
                {
                    name = format!("{name}/{w3}");
                    end += 2;
                }
                if let Some(z) = zone::iana(&name) {
                    return Some((z, None, end));
                }
            }
            if self.is_word(i, W::Region)
                && self.is_word(i + 1, W::Time)
                && let Some(z) = zone::us_region(w)
            {
                return Some((z, Some(DateOrderHint::MonthFirst), i + 2));
            }
            if w == "Z" && self.attached(i) {
                return Some((Zone::Fixed(0), None, i + 1));
            }
            let (z, hint) = zone::abbreviation(w)?;
            // UTC+2, GMT-05:00
            if (w.eq_ignore_ascii_case("UTC") || w.eq_ignore_ascii_case("GMT"))
                && let Some((off, end)) = self.offset(i + 1, true)
            {
                return Some((off, hint, end));
            }
            return Some((z, hint, i + 1));
        }
        let (off, end) = self.offset(i, iso)?;
        Some((off, None, end))
    }

    /// `+02:00`, `+0200`, `+2`; a `-` sign only where `minus` allows it (a bare `-10:45`
    /// after a time is the end of a range, not an offset).
    fn offset(&self, i: usize, minus: bool) -> Option<(Zone, usize)> {
        // `10:00 -05:00` (space before, none after) is an offset; `10:00 - 10:45` and
        // `10:00-10:45` are ranges.
        let spaced_sign = self.t.get(i).is_some_and(|t| t.gap) && self.attached(i + 1);
        let sign = if self.punct(i, '+') {
            1
        } else if self.punct(i, '-') && (minus || spaced_sign) {
            -1
        } else {
            return None;
        };
        if !self.attached(i + 1) {
            return None;
        }
        let (h, hn) = self.num(i + 1)?;
        if self.punct(i + 2, ':') && self.attached(i + 2) {
            let (m, mn) = self.num(i + 3)?;
            if hn > 2 || mn != 2 {
                return None;
            }
            return zone::offset(sign, h, m).map(|z| (z, i + 4));
        }
        match hn {
            1 | 2 => zone::offset(sign, h, 0).map(|z| (z, i + 2)),
            4 => zone::offset(sign, h / 100, h % 100).map(|z| (z, i + 2)),
            _ => None,
        }
    }

    /// Time then zone, filling `st`.
    fn time_zone(&self, i: usize, iso: bool) -> Option<(Stamp, usize)> {
        let (mut st, mut k) = self.time(i)?;
        if let Some((z, h, after)) = self.zone(k, iso) {
            st.zone = Some(z);
            st.zone_hint = h;
            k = after;
        }
        Some((st, k))
    }

    // ---- expressions -------------------------------------------------------------------

    /// A point in time: date, date + time, time, time + date.
    fn point(&self, i: usize) -> Option<(Stamp, usize)> {
        if let Some((mut d, mut k)) = self.date(i) {
            // Connectors between a date and its time: `,` `at` `@` `-` `T` or nothing.
            let mut j = k;
            let iso = self.is_word(j, W::T) && self.attached(j) && self.attached(j + 1);
            if iso
                || (self.punct(j, ',') && !self.attached(j + 1))
                || (self.punct(j, '-') && !self.attached(j) && !self.punct(j + 1, '-'))
            {
                j += 1;
            }
            if self.punct(j, ',') {
                j += 1;
            }
            if let Some((t, after)) = self.time_zone(j, iso) {
                merge_time(&mut d, &t);
                k = after;
            } else if let Some((z, h, after)) = self.zone(k, false) {
                // A date with a zone but no time is rare; accept only a parenthesised zone.
                if self.punct(k, '(') {
                    d.zone = Some(z);
                    d.zone_hint = h;
                    k = after;
                }
            }
            return Some((d, k));
        }
        let (mut t, mut k) = self.time_zone(i, false)?;
        // `1:30 PM on Sat, Sep 21`, `19h30, Sep 20`
        let mut j = k;
        if self.punct(j, ',') || self.punct(j, '-') {
            j += 1;
        }
        if let Some((d, after)) = self.date(j) {
            let zone = t.zone.or(d.zone);
            let mut merged = d;
            merge_time(&mut merged, &t);
            merged.zone = zone;
            t = merged;
            k = after;
            if t.zone.is_none()
                && let Some((z, h, after)) = self.zone(k, false)
            {
                t.zone = Some(z);
                t.zone_hint = h;
                k = after;
            }
        }
        Some((t, k))
    }

    /// A point or a range, with `from`/`between` before it.
    fn expr(&self, i: usize) -> Option<(Found, usize)> {
        let mut j = i;
        if self.is_any_word(j, &[W::From, W::Between]) {
            j += 1;
        }
        if let Some(r) = self.short_range(j) {
            return Some(r);
        }
        let (start, k) = self.point(j)?;
        let mut found = Found {
            span: self.span(j, k),
            start,
            end: None,
        };
        let mut next = k;
        // Range connector.
        let c = k;
        let connector = self
            .is_any_word(c, &[W::To, W::Thru, W::Through, W::Until, W::Till, W::And])
            || self
                .t
                .get(c)
                .is_some_and(|t| matches!(t.kind, Kind::Punct('-' | '–' | '—' | '/')));
        if connector {
            let slash = self.punct(c, '/');
            if let Some((mut end, after)) = self.point(c + 1) {
                if !slash || (end.has_date() && found.start.has_date()) {
                    inherit(&mut found.start, &mut end);
                    found.end = Some(Box::new(end));
                    next = after;
                }
            } else if found.start.month.is_some()
                && found.start.day.is_some()
                && !found.start.has_time()
            {
                // July 13-15, August 27th - 29th
                if let Some((day, after)) = self.day_num(c + 1) {
                    let end = Stamp {
                        year: found.start.year,
                        month: found.start.month,
                        day: Some(day),
                        ..Stamp::default()
                    };
                    found.end = Some(Box::new(end));
                    next = after;
                }
            } else if found.start.has_time() {
                // 3:30-6 p.m.
                if let Some((h, hn)) = self.num(c + 1)
                    && let Some((m, after)) = self.meridiem(c + 2).filter(|_| hn <= 2)
                {
                    let mut end = Stamp {
                        hour: Some(h),
                        minute: Some(0),
                        meridiem: Some(m),
                        ..Stamp::default()
                    };
                    inherit(&mut found.start, &mut end);
                    found.end = Some(Box::new(end));
                    next = after;
                }
            }
        }
        // A zone after the whole range applies to both ends: `... - May 11, 2:00 AM (UTC)`.
        if found.end.is_some()
            && found.start.zone.is_none()
            && let Some(end) = &found.end
        {
            found.start.zone = end.zone;
            found.start.zone_hint = end.zone_hint;
        }
        found.span = self.span(j, next);
        Some((found, next))
    }

    /// Ranges whose start is only a number: `3-4pm`, `from 3 to 4 in the PM`,
    /// `13 to 15 July`, `23rd to 26th Oct`, `from the 13th to the 15th of July`.
    fn short_range(&self, i: usize) -> Option<(Found, usize)> {
        let mut j = i;
        if self.is_word(j, W::The) {
            j += 1;
        }
        let (a, an) = self.num(j)?;
        if an > 2 {
            return None;
        }
        let k = self.ordinal(j + 1);
        let connector = self.is_any_word(k, &[W::To, W::Thru, W::Through, W::Until, W::Till])
            || self
                .t
                .get(k)
                .is_some_and(|t| matches!(t.kind, Kind::Punct('-' | '–' | '—')));
        if !connector {
            return None;
        }
        // Time: `3-4pm`, `3 to 4 in the PM`.
        if k == j + 1 {
            if let Some((mut end, after)) = self.time_zone(k + 1, false)
                && (end.meridiem.is_some() && end.minute == Some(0) || end.meridiem.is_some())
            {
                let mut start = Stamp {
                    hour: Some(a),
                    minute: Some(0),
                    ..Stamp::default()
                };
                if a <= 12 {
                    inherit(&mut start, &mut end);
                    return Some((
                        Found {
                            span: self.span(i, after),
                            start,
                            end: Some(Box::new(end)),
                        },
                        after,
                    ));
                }
            }
            if let Some((b, bn)) = self.num(k + 1)
                && bn <= 2
                && a <= 12
                && b <= 12
                && let Some((m, after)) = self.meridiem(k + 2)
            {
                let start = Stamp {
                    hour: Some(a),
                    minute: Some(0),
                    meridiem: Some(m),
                    ..Stamp::default()
                };
                let end = Stamp {
                    hour: Some(b),
                    minute: Some(0),
                    meridiem: Some(m),
                    ..Stamp::default()
                };
                return Some((
                    Found {
                        span: self.span(i, after),
                        start,
                        end: Some(Box::new(end)),
                    },
                    after,
                ));
            }
        }
        // Date: `13 to 15 July`, `23rd to 26th Oct`.
        let (end, after) = self.date(k + 1)?;
        if end.day.is_none() || end.month.is_none() || !(1..=31).contains(&a) {
            return None;
        }
        let start = Stamp {
            year: end.year,
            month: end.month,
            day: Some(a),
            ..Stamp::default()
        };
        Some((
            Found {
                span: self.span(i, after),
                start,
                end: Some(Box::new(end)),
            },
            after,
        ))
    }
}

/// A digit, `?` or `:`, or the word `noon`, `midday` or `midnight` (any case): without one of
/// these no expression can be found. One pass over the bytes.
fn may_hold_expression(b: &[u8]) -> bool {
    for (i, &c) in b.iter().enumerate() {
        // One table load per byte; only `n` and `m` look further.
        match HOLD[usize::from(c)] {
            0 => {}
            1 => return true,
            _ => {
                let rest = b.get(i..).unwrap_or_default();
                if starts_ignore_case(rest, b"noon")
                    || starts_ignore_case(rest, b"midday")
                    || starts_ignore_case(rest, b"midnight")
                {
                    return true;
                }
            }
        }
    }
    false
}

/// For `may_hold_expression`: 1 for a digit, `?` or `:`; 2 for a letter that may begin
/// `noon`, `midday` or `midnight`.
static HOLD: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = match b as u8 {
            b'0'..=b'9' | b'?' | b':' => 1,
            b'n' | b'N' | b'm' | b'M' => 2,
            _ => 0,
        };
        b += 1;
    }
    t
};

fn starts_ignore_case(b: &[u8], word: &[u8]) -> bool {
    b.get(..word.len())
        .is_some_and(|h| h.eq_ignore_ascii_case(word))
}

/// Copies a time's fields into a date stamp.
fn merge_time(d: &mut Stamp, t: &Stamp) {
    d.hour = t.hour;
    d.minute = t.minute;
    d.second = t.second;
    d.meridiem = t.meridiem;
    d.meridiem_span = t.meridiem_span.clone();
    d.time_span = t.time_span.clone();
    d.time_unknown = t.time_unknown;
    if t.zone.is_some() {
        d.zone = t.zone;
        d.zone_hint = t.zone_hint;
    }
}

/// Fills what one end of a range leaves out from the other: the end's date from the start,
/// the start's month/year and AM/PM from the end (`3:30-6 p.m.` is 15:30–18:00).
fn inherit(start: &mut Stamp, end: &mut Stamp) {
    if !end.has_date() && start.has_date() {
        end.year = start.year;
        end.month = start.month;
        end.day = start.day;
        end.numeric = start.numeric;
        end.inherited_date = true;
    }
    // `from 10:00 AM to 12:00 PM on June 7, 2024`: the date after the range is both ends'.
    if !start.has_date() && end.has_date() && start.has_time() {
        start.year = end.year;
        start.month = end.month;
        start.day = end.day;
        start.numeric = end.numeric;
        start.inherited_date = true;
    }
    if start.day.is_some() && start.month.is_none() {
        start.month = end.month;
    }
    if start.year.is_none()
        && start.month.is_some()
        && end.year.is_some()
        && start.month == end.month
    {
        start.year = end.year;
    }
    if start.meridiem.is_none()
        && start.hour.is_some()
        && let (Some(m), Some(sh), Some(eh)) = (end.meridiem, start.hour, end.hour)
    {
        let shift = |h: u32| match m {
            Meridiem::Pm if h < 12 => h + 12,
            Meridiem::Am if h == 12 => 0,
            _ => h,
        };
        if sh <= 12 && shift(sh) <= shift(eh) {
            start.meridiem = Some(m);
        }
    }
    if end.zone.is_none() {
        end.zone = start.zone;
        end.zone_hint = start.zone_hint;
    }
}
