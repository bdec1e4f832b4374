//! The words the date patterns read, recognised once per word when a line is tokenized: the
//! patterns then compare a one-byte id instead of slicing and case-folding the text again at
//! every attempt.

use chrono::Weekday;

/// A word the scanner reads, matched ASCII case-insensitively; `Other` for every other word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum W {
    Other,
    The,
    On,
    At,
    From,
    Between,
    To,
    Thru,
    Through,
    Until,
    Till,
    And,
    Of,
    In,
    Am,
    Pm,
    A,
    P,
    M,
    H,
    Hr,
    Hrs,
    Hours,
    St,
    Nd,
    Rd,
    Th,
    O,
    Clock,
    Noon,
    Midday,
    Midnight,
    Hh,
    Xx,
    Mm,
    Morning,
    Afternoon,
    Evening,
    Night,
    T,
    Time,
    /// `Eastern`, `Central`, `Mountain`, `Pacific`: a US zone before "time".
    Region,
    /// A month name or abbreviation; `true` for one that is also an everyday word ("may").
    Month(u8, bool),
    /// A weekday name or abbreviation; `true` for one that is also an everyday word ("sat").
    Weekday(Weekday, bool),
}

/// Up to 8 bytes, little-endian and zero-padded (a word holds no zero byte, so the key tells
/// words of different lengths apart), each OR-ed with 0x20: that lower-cases a letter and
/// leaves `_` and non-ASCII bytes as bytes no listed word holds.
const fn pack(w: &[u8]) -> u64 {
    let mut k = 0u64;
    let mut i = 0;
    while i < w.len() && i < 8 {
        k |= ((w[i] | 0x20) as u64) << (8 * i);
        i += 1;
    }
    k
}

/// `lookup`: one `match` on the packed key (a few compares), for words of 1 to 8 letters.
macro_rules! vocabulary {
    ($($key:ident = $word:literal => $id:expr,)*) => {
        $(const $key: u64 = pack($word);)*
        fn lookup(key: u64) -> W {
            match key {
                $($key => $id,)*
                _ => W::Other,
            }
        }
    };
}

vocabulary! {
    THE = b"the" => W::The,
    ON = b"on" => W::On,
    AT = b"at" => W::At,
    FROM = b"from" => W::From,
    BETWEEN = b"between" => W::Between,
    TO = b"to" => W::To,
    THRU = b"thru" => W::Thru,
    THROUGH = b"through" => W::Through,
    UNTIL = b"until" => W::Until,
    TILL = b"till" => W::Till,
    AND = b"and" => W::And,
    OF = b"of" => W::Of,
    IN = b"in" => W::In,
    AM = b"am" => W::Am,
    PM = b"pm" => W::Pm,
    A = b"a" => W::A,
    P = b"p" => W::P,
    M = b"m" => W::M,
    H = b"h" => W::H,
    HR = b"hr" => W::Hr,
    HRS = b"hrs" => W::Hrs,
    HOURS = b"hours" => W::Hours,
    ST = b"st" => W::St,
    ND = b"nd" => W::Nd,
    RD = b"rd" => W::Rd,
    TH = b"th" => W::Th,
    O = b"o" => W::O,
    CLOCK = b"clock" => W::Clock,
    NOON = b"noon" => W::Noon,
    MIDDAY = b"midday" => W::Midday,
    MIDNIGHT = b"midnight" => W::Midnight,
    HH = b"hh" => W::Hh,
    XX = b"xx" => W::Xx,
    MM = b"mm" => W::Mm,
    MORNING = b"morning" => W::Morning,
    EVENING = b"evening" => W::Evening,
    NIGHT = b"night" => W::Night,
    T = b"t" => W::T,
    TIME = b"time" => W::Time,
    EASTERN = b"eastern" => W::Region,
    CENTRAL = b"central" => W::Region,
    MOUNTAIN = b"mountain" => W::Region,
    PACIFIC = b"pacific" => W::Region,
    JANUARY = b"january" => W::Month(1, false),
    JAN = b"jan" => W::Month(1, true),
    FEBRUARY = b"february" => W::Month(2, false),
    FEB = b"feb" => W::Month(2, false),
    MARCH = b"march" => W::Month(3, true),
    MAR = b"mar" => W::Month(3, true),
    APRIL = b"april" => W::Month(4, false),
    APR = b"apr" => W::Month(4, false),
    MAY = b"may" => W::Month(5, true),
    JUNE = b"june" => W::Month(6, false),
    JUN = b"jun" => W::Month(6, false),
    JULY = b"july" => W::Month(7, false),
    JUL = b"jul" => W::Month(7, false),
    AUGUST = b"august" => W::Month(8, false),
    AUG = b"aug" => W::Month(8, false),
    SEPT = b"sept" => W::Month(9, false),
    SEP = b"sep" => W::Month(9, false),
    OCTOBER = b"october" => W::Month(10, false),
    OCT = b"oct" => W::Month(10, false),
    NOVEMBER = b"november" => W::Month(11, false),
    NOV = b"nov" => W::Month(11, false),
    DECEMBER = b"december" => W::Month(12, false),
    DEC = b"dec" => W::Month(12, true),
    MONDAY = b"monday" => W::Weekday(Weekday::Mon, false),
    MON = b"mon" => W::Weekday(Weekday::Mon, false),
    TUESDAY = b"tuesday" => W::Weekday(Weekday::Tue, false),
    TUES = b"tues" => W::Weekday(Weekday::Tue, false),
    TUE = b"tue" => W::Weekday(Weekday::Tue, false),
    WED = b"wed" => W::Weekday(Weekday::Wed, true),
    THURSDAY = b"thursday" => W::Weekday(Weekday::Thu, false),
    THURS = b"thurs" => W::Weekday(Weekday::Thu, false),
    THUR = b"thur" => W::Weekday(Weekday::Thu, false),
    THU = b"thu" => W::Weekday(Weekday::Thu, false),
    FRIDAY = b"friday" => W::Weekday(Weekday::Fri, false),
    FRI = b"fri" => W::Weekday(Weekday::Fri, false),
    SATURDAY = b"saturday" => W::Weekday(Weekday::Sat, false),
    SAT = b"sat" => W::Weekday(Weekday::Sat, true),
    SUNDAY = b"sunday" => W::Weekday(Weekday::Sun, false),
    SUN = b"sun" => W::Weekday(Weekday::Sun, true),
}

/// The id of the word `bytes[start..end]`.
pub(super) fn classify(bytes: &[u8], start: usize, end: usize) -> W {
    let n = end.saturating_sub(start);
    match n {
        1..=8 => {
            // One 8-byte load where the line has 8 bytes left, masked to the word.
            let key = match bytes.get(start..).and_then(<[u8]>::first_chunk::<8>) {
                Some(c) => {
                    (u64::from_le_bytes(*c) | 0x2020_2020_2020_2020) & (u64::MAX >> (64 - 8 * n))
                }
                None => pack(bytes.get(start..end).unwrap_or_default()),
            };
            lookup(key)
        }
        // The only nine-letter words read.
        9 => {
            let word = bytes.get(start..end).unwrap_or_default();
            let is = |w: &[u8]| word.eq_ignore_ascii_case(w);
            if is(b"september") {
                W::Month(9, false)
            } else if is(b"wednesday") {
                W::Weekday(Weekday::Wed, false)
            } else if is(b"afternoon") {
                W::Afternoon
            } else {
                W::Other
            }
        }
        _ => W::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_classified_in_any_case() {
        // Alone (read byte by byte) and inside a longer line (one 8-byte load).
        let id = |w: &str| {
            let line = format!("{w} and more text");
            let inside = classify(line.as_bytes(), 0, w.len());
            assert_eq!(inside, classify(w.as_bytes(), 0, w.len()), "{w}");
            inside
        };
        assert_eq!(id("The"), W::The);
        assert_eq!(id("SEPTEMBER"), W::Month(9, false));
        assert_eq!(id("may"), W::Month(5, true));
        assert_eq!(id("DecEmbeR"), W::Month(12, false));
        assert_eq!(id("Wednesday"), W::Weekday(Weekday::Wed, false));
        assert_eq!(id("afternoon"), W::Afternoon);
        assert_eq!(id("t"), W::T);
        // Near misses, `_` (0x5F, which OR 0x20 makes 0x7F), non-ASCII, longer words and
        // prefixes are other words.
        for w in [
            "thee",
            "th_",
            "septembers",
            "wednesdays",
            "afternoons",
            "mayo",
            "x",
            "tim",
            "",
            "\u{c0}m",
            "_",
            "MAY_",
        ] {
            assert_eq!(id(w), W::Other, "{w}");
        }
    }
}
