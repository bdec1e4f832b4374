//! Stated lengths of time: `2 hours and 45 minutes`, `(45 minutes)`, `1h 30m`, `an hour`,
//! `was down for 66 minutes`.

use std::ops::Range;

/// A length found in text, in minutes, with its span.
#[derive(Debug, Clone, PartialEq)]
pub struct Length {
    pub minutes: i64,
    pub span: Range<usize>,
}

fn unit_minutes(word: &str) -> Option<i64> {
    // Compared in place: called on the word after every number.
    const UNITS: &[(&str, i64)] = &[
        ("d", 24 * 60),
        ("day", 24 * 60),
        ("days", 24 * 60),
        ("h", 60),
        ("hr", 60),
        ("hrs", 60),
        ("hour", 60),
        ("hours", 60),
        ("m", 1),
        ("min", 1),
        ("mins", 1),
        ("minute", 1),
        ("minutes", 1),
    ];
    if word.len() > 7 {
        return None;
    }
    UNITS
        .iter()
        .find(|(u, _)| u.eq_ignore_ascii_case(word))
        .map(|(_, m)| *m)
}

/// Finds lengths of time in `text` (at most the first 4 KiB). Adjacent parts join:
/// "2 hours and 45 minutes" is one length of 165 minutes.
pub fn lengths(text: &str) -> Vec<Length> {
    let text = &text[..crate::source::floor_char_boundary(text, 4096)];
    let mut out: Vec<Length> = Vec::new();
    let words: Vec<(usize, &str)> = split_words(text);
    let mut i = 0;
    while i < words.len() {
        let (start, w) = words[i];
        // "an hour", "a day", "half an hour"
        // Words are alphanumeric: only one that starts with a digit can be a number.
        let numeric = w.as_bytes().first().is_some_and(u8::is_ascii_digit);
        let (value, unit_at) = if let Some(v) = numeric.then(|| w.parse::<i64>().ok()).flatten() {
            (v.min(1_000_000), i + 1)
        } else if let Some((v, next)) = number_word(&words, i) {
            (v, next)
        } else if w.eq_ignore_ascii_case("an")
            || w.eq_ignore_ascii_case("a")
            || w.eq_ignore_ascii_case("one")
        {
            (1, i + 1)
        } else if let Some((num, unit)) = split_number_unit(w) {
            // "1h", "30m", "45mins"
            match unit_minutes(unit) {
                Some(u) => {
                    push_part(&mut out, num * u, start..start + w.len(), text);
                    i += 1;
                    continue;
                }
                None => {
                    i += 1;
                    continue;
                }
            }
        } else {
            i += 1;
            continue;
        };
        match words.get(unit_at).and_then(|(_, u)| unit_minutes(u)) {
            Some(u) => {
                let (ustart, uw) = words[unit_at];
                push_part(
                    &mut out,
                    value.saturating_mul(u),
                    start..ustart + uw.len(),
                    text,
                );
                i = unit_at + 1;
            }
            None => i += 1,
        }
    }
    out
}

/// Words that place an entry right after the one before it.
const AT_ONCE: &[&str] = &[
    "immediately",
    "right after",
    "shortly after",
    "soon after",
    "moments later",
    "minutes later",
    "a few minutes after",
    "at the same time",
    "simultaneously",
];

/// A time relative to the entry before, in minutes: "10 minutes later", "after 15 minutes",
/// "about 10 mins after", "immediately" (0). Only the opening of an entry is read.
pub fn relative_minutes(text: &str) -> Option<i64> {
    let head = &text[..crate::source::floor_char_boundary(text, 400)];
    let lower = head.to_ascii_lowercase();
    for l in lengths(head) {
        let after = lower[l.span.end..].trim_start();
        let before = lower[..l.span.start].trim_end();
        let before = before
            .strip_suffix("about")
            .or_else(|| before.strip_suffix("around"))
            .or_else(|| before.strip_suffix("approximately"))
            .unwrap_or(before)
            .trim_end();
        if ["later", "after", "afterward", "afterwards", "on"]
            .iter()
            .any(|w| after.starts_with(w))
            || before.ends_with("after")
            || before.ends_with("within")
        {
            return Some(l.minutes);
        }
    }
    AT_ONCE.iter().any(|w| lower.contains(w)).then_some(0)
}

/// A number written as words: "ninety", "forty-five", "twenty five".
fn number_word(words: &[(usize, &str)], i: usize) -> Option<(i64, usize)> {
    let (_, w) = *words.get(i)?;
    match number_named(w)? {
        Number::Unit(u) => Some((u, i + 1)),
        Number::Tens(tens) => match words.get(i + 1).and_then(|(_, n)| number_named(n)) {
            Some(Number::Unit(u @ 1..=9)) => Some((tens + u, i + 2)),
            _ => Some((tens, i + 1)),
        },
    }
}

enum Number {
    /// zero to nineteen
    Unit(i64),
    /// twenty, thirty ... ninety
    Tens(i64),
}

/// A number written as a word, any case. Matched on a lower-cased stack copy: this runs on
/// every word of a summary.
fn number_named(w: &str) -> Option<Number> {
    if !(3..=9).contains(&w.len()) {
        return None;
    }
    let mut buf = [0u8; 9];
    for (d, s) in buf.iter_mut().zip(w.bytes()) {
        *d = s.to_ascii_lowercase();
    }
    Some(match &buf[..w.len()] {
        b"zero" => Number::Unit(0),
        b"one" => Number::Unit(1),
        b"two" => Number::Unit(2),
        b"three" => Number::Unit(3),
        b"four" => Number::Unit(4),
        b"five" => Number::Unit(5),
        b"six" => Number::Unit(6),
        b"seven" => Number::Unit(7),
        b"eight" => Number::Unit(8),
        b"nine" => Number::Unit(9),
        b"ten" => Number::Unit(10),
        b"eleven" => Number::Unit(11),
        b"twelve" => Number::Unit(12),
        b"thirteen" => Number::Unit(13),
        b"fourteen" => Number::Unit(14),
        b"fifteen" => Number::Unit(15),
        b"sixteen" => Number::Unit(16),
        b"seventeen" => Number::Unit(17),
        b"eighteen" => Number::Unit(18),
        b"nineteen" => Number::Unit(19),
        b"twenty" => Number::Tens(20),
        b"thirty" => Number::Tens(30),
        b"forty" => Number::Tens(40),
        b"fifty" => Number::Tens(50),
        b"sixty" => Number::Tens(60),
        b"seventy" => Number::Tens(70),
        b"eighty" => Number::Tens(80),
        b"ninety" => Number::Tens(90),
        _ => return None,
    })
}

/// Adds a part, joining it to the previous length when only "and", "," or spaces are between.
fn push_part(out: &mut Vec<Length>, minutes: i64, span: Range<usize>, text: &str) {
    if let Some(last) = out.last_mut() {
        let between = text.get(last.span.end..span.start).unwrap_or("x");
        let joiner = between.trim().trim_matches(',').trim();
        if joiner.is_empty() || joiner.eq_ignore_ascii_case("and") {
            last.minutes = last.minutes.saturating_add(minutes);
            last.span.end = span.end;
            return;
        }
    }
    out.push(Length { minutes, span });
}

fn split_words(text: &str) -> Vec<(usize, &str)> {
    // About one word in six bytes of prose: one allocation for most texts.
    let mut out = Vec::with_capacity(text.len() / 6 + 1);
    let mut start = None;
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        // ASCII decided by the byte; other characters decoded (and stepped over) whole.
        let (word, len) = if b.is_ascii() {
            (b.is_ascii_alphanumeric(), 1)
        } else {
            match text[i..].chars().next() {
                Some(c) => (c.is_alphanumeric(), c.len_utf8()),
                None => break,
            }
        };
        if word {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            out.push((s, &text[s..i]));
        }
        i += len;
    }
    if let Some(s) = start {
        out.push((s, &text[s..]));
    }
    out
}

fn split_number_unit(w: &str) -> Option<(i64, &str)> {
    let digits = w.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits == w.len() || digits > 6 {
        return None;
    }
    Some((w[..digits].parse().ok()?, &w[digits..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte walk splits as the plain walk over characters does.
    #[test]
    fn words_split_as_a_walk_over_characters_does() {
        fn by_chars(text: &str) -> Vec<(usize, &str)> {
            let mut out = Vec::new();
            let mut start = None;
            for (i, c) in text.char_indices() {
                if c.is_alphanumeric() {
                    start.get_or_insert(i);
                } else if let Some(s) = start.take() {
                    out.push((s, &text[s..i]));
                }
            }
            out.extend(start.map(|s| (s, &text[s..])));
            out
        }
        for text in [
            "",
            "2 hours and 45 minutes",
            "  down for 66 min.",
            "été 3h — ½ hour, naïve 10m",
            "数字 5 分钟 x",
            "a\u{00A0}b\tc\u{2003}d",
            "ü",
            "45mins",
        ] {
            assert_eq!(split_words(text), by_chars(text), "{text:?}");
        }
    }

    fn minutes(text: &str) -> Vec<i64> {
        lengths(text).iter().map(|l| l.minutes).collect()
    }

    #[test]
    fn reads_lengths() {
        assert_eq!(minutes("2 hours and 45 minutes"), [165]);
        assert_eq!(minutes("(4 hours 30 minutes)"), [270]);
        assert_eq!(minutes("the site was down for 10 minutes."), [10]);
        assert_eq!(minutes("lasted an hour"), [60]);
        assert_eq!(minutes("1h 30m"), [90]);
        assert_eq!(minutes("3 days"), [4320]);
        assert_eq!(minutes("about 30 users for 5 minutes"), [5]);
        assert_eq!(minutes("for ninety minutes"), [90]);
        assert_eq!(minutes("forty-five minutes"), [45]);
        assert_eq!(minutes("one of two servers"), Vec::<i64>::new());
        assert!(minutes("version 2 of the api").is_empty());
    }
}
