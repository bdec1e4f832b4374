//! Timeline stamps a reader cannot place: `09:??`, `--:--`, `2022-02-??`, and slips that are
//! probably a time (`16.40`, `3: 15 pm`, a five-digit year). Template tokens such as `HH:mm`
//! are the `placeholder` rule's.

use std::ops::Range;

use super::{Entry, Precision};

/// What is wrong with an entry's stamp, and what it probably meant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    /// The stamp as written.
    pub span: Range<usize>,
    pub why: &'static str,
    /// The reading it probably meant, when there is one.
    pub meant: Option<String>,
}

/// How far into an entry a stamp is looked for.
const HEAD: usize = 40;

/// The entry's stamp, when it cannot be read as written.
pub fn unreadable(text: &str, entry: &Entry) -> Option<Unreadable> {
    let line = text.get(entry.span.clone())?;
    // A stamp placed to the minute is unreadable only through a stand-in (`??`, `--:--`):
    // most entries end here, before the stamp is looked for.
    if entry.precision == Precision::Minute
        && memchr::memchr(b'?', line.as_bytes()).is_none()
        && !line.contains("--:--")
    {
        return None;
    }
    let lead = line.len() - line.trim_start_matches(['|', '-', '*', ' ', '\t']).len();
    let head = &line[lead..crate::source::floor_char_boundary(line, lead + HEAD)];
    let base = entry.span.start + lead;
    // The stamp: up to the first cell border, colon-space or two words of text.
    let stamp_len = head
        .find(" | ")
        .or_else(|| head.find('|'))
        .or_else(|| head.find(": "))
        .unwrap_or(head.len());
    let stamp = head[..stamp_len].trim_end();
    let span = base..base + stamp.len();
    if stamp.contains("??") || stamp.contains("--:--") {
        let no_day = stamp.contains("-??") || stamp.contains("/??");
        let no_time = ["??:??", "--:--", "HH:", "hh:", "XX:"]
            .iter()
            .any(|t| stamp.contains(t));
        let why = if no_day && no_time {
            "gives neither the day nor the time"
        } else if no_day {
            "gives no day"
        } else if stamp
            .find(":??")
            .is_some_and(|i| stamp[..i].ends_with(|c: char| c.is_ascii_digit()))
        {
            "gives no minute"
        } else {
            "gives no time of day"
        };
        return Some(Unreadable {
            span,
            why,
            meant: None,
        });
    }
    // A stamp placed to the minute was read; one that was not may hide a slip.
    if entry.precision == Precision::Minute {
        return None;
    }
    let bytes = stamp.as_bytes();
    (0..bytes.len())
        // At the entry's start, or after its numeric date: "2019-12-03 16.40".
        .filter(|&i| {
            // An ASCII digit always starts a character, so slicing before it is safe.
            bytes[i].is_ascii_digit()
                && (i == 0 || matches!(bytes[i - 1], b' ' | b'|'))
                && stamp[..i]
                    .trim_end()
                    .bytes()
                    .all(|c| c.is_ascii_digit() || matches!(c, b'-' | b'/' | b'.'))
        })
        .find_map(|i| slip(&stamp[i..], base + i))
}

/// `16.40`, `3: 15 pm`, `20231-05-08` at the start of an untimed entry.
fn slip(head: &str, base: usize) -> Option<Unreadable> {
    let b = head.as_bytes();
    let digits = |from: usize| {
        b[from.min(b.len())..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count()
    };
    let h = digits(0);
    if (1..=2).contains(&h) {
        // 16.40 or 3: 15
        let (sep_len, what) = match b.get(h) {
            Some(b'.') => (1, "a dot for a colon"),
            Some(b':') if b.get(h + 1) == Some(&b' ') => (2, "a space after the colon"),
            _ => (0, ""),
        };
        if sep_len > 0 && digits(h + sep_len) == 2 && digits(h + sep_len + 2) == 0 {
            let hour = &head[..h];
            let minute = &head[h + sep_len..h + sep_len + 2];
            let ok = hour.parse::<u32>().is_ok_and(|v| v < 24)
                && minute.parse::<u32>().is_ok_and(|v| v < 60);
            if ok {
                let _ = what;
                return Some(Unreadable {
                    span: base..base + h + sep_len + 2,
                    why: "is not written as a time",
                    meant: Some(format!("{hour}:{minute}")),
                });
            }
        }
    }
    if h == 5 && b.get(5) == Some(&b'-') && digits(6) == 2 {
        let year = &head[..5];
        return Some(Unreadable {
            span: base..base + 5,
            why: "has a five-digit year",
            meant: Some(year[..4].to_string()),
        });
    }
    None
}
