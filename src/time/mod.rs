//! Finding and resolving dates and times in postmortem text.
//!
//! [`scan`] finds expressions and reports the fields each states; the timeline module
//! (`crate::timeline`) resolves them to instants with the document's context.

pub mod scan;
mod vocab;
pub mod zone;

pub use scan::{Found, Meridiem, Numeric, Stamp, scan, scan_first, scan_up_to};
pub use zone::{DateOrderHint, Zone};

#[cfg(test)]
mod tests {
    use super::*;

    /// Renders what the scanner read in the notation of `fixtures/time/duckling-en.tsv`.
    fn render(s: &Stamp) -> String {
        let date = match (s.year, s.month, s.day) {
            (Some(y), Some(m), Some(d)) => Some(format!("{y:04}-{m:02}-{d:02}")),
            (None, Some(m), Some(d)) => Some(format!("--{m:02}-{d:02}")),
            (Some(y), Some(m), None) => Some(format!("{y:04}-{m:02}")),
            _ => None,
        };
        let time = s.hour24().map(|h| {
            format!(
                "{h:02}:{:02}:{:02}",
                s.minute.unwrap_or(0),
                s.second.unwrap_or(0)
            )
        });
        match (date, time) {
            (Some(d), Some(t)) => format!("{d}T{t}"),
            (Some(d), None) => d,
            (None, Some(t)) => t,
            (None, None) => "?".into(),
        }
    }

    fn read(phrase: &str) -> Option<String> {
        let found = scan(phrase);
        let f = found.first()?;
        Some(match &f.end {
            Some(e) => format!("{}/{}", render(&f.start), render(e)),
            None => render(&f.start),
        })
    }

    /// Every phrase of Duckling's English corpus, alone and inside a timeline entry, is found
    /// whole and read to the stated value.
    #[test]
    fn duckling_corpus() {
        let table = include_str!("../../fixtures/time/duckling-en.tsv");
        let mut failures = Vec::new();
        for row in table.lines().skip(1) {
            let cols: Vec<&str> = row.split('\t').collect();
            let (phrase, expected) = (cols[0], cols[2]);
            let alone = read(phrase);
            if alone.as_deref() != Some(expected) {
                failures.push(format!("{phrase:?}: got {alone:?}, want {expected}"));
                continue;
            }
            let entry = format!("- {phrase}: the deploy was rolled back");
            let found = scan(&entry);
            let whole = found.first().map(|f| &entry[f.span.clone()]);
            let stripped = phrase.trim_start_matches("on ").trim_start_matches("at ");
            if !whole.is_some_and(|w| w.ends_with(stripped.split(' ').next_back().unwrap_or(""))) {
                failures.push(format!("{phrase:?} in an entry: found {whole:?}"));
            }
        }
        assert!(
            failures.is_empty(),
            "{} failures:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }

    #[test]
    fn postmortem_phrasings() {
        let cases = [
            (
                "May 8th, 2023, 10:00 AM - May 11, 2023, 2:00 AM (UTC)",
                "2023-05-08T10:00:00/2023-05-11T02:00:00",
            ),
            ("2023-05-08T10:00:00Z", "2023-05-08T10:00:00"),
            ("2023-05-08 10:00 UTC", "2023-05-08T10:00:00"),
            ("8 May 2023 10:00", "2023-05-08T10:00:00"),
            ("Mon, 8 May 2023", "2023-05-08"),
            ("05/08/2023", "2023-05-08"),
            ("10am", "10:00:00"),
            ("10:00:30", "10:00:30"),
            ("2:00 PM", "14:00:00"),
            ("14h05", "14:05:00"),
            ("0300hrs (EAT)", "03:00:00"),
            ("11:26-am-GMT", "11:26:00"),
            ("10:00-10:45", "10:00:00/10:45:00"),
            ("from 10:00 to 11:30", "10:00:00/11:30:00"),
            ("10:00 – 10:45", "10:00:00/10:45:00"),
            ("Wednesday 8th February, 2023", "2023-02-08"),
            ("Monday 3. February 2020", "2020-02-03"),
            ("January23, 2021", "2021-01-23"),
            ("06/May/2022", "2022-05-06"),
            ("2022-06-02 HH:mm", "2022-06-02"),
            ("At 3:15 PM Eastern time", "15:15:00"),
            ("2019-1-17", "2019-01-17"),
        ];
        for (phrase, want) in cases {
            assert_eq!(read(phrase).as_deref(), Some(want), "{phrase}");
        }
    }

    #[test]
    fn zones_are_read() {
        let zone_of = |p: &str| scan(p).first().and_then(|f| f.start.zone);
        assert_eq!(zone_of("10:00 PDT"), Some(Zone::Fixed(-7 * 3600)));
        assert_eq!(zone_of("10:00 +02:00"), Some(Zone::Fixed(7200)));
        assert_eq!(zone_of("10:00 UTC+2"), Some(Zone::Fixed(7200)));
        assert_eq!(
            zone_of("2023-05-08T10:00:00-05:00"),
            Some(Zone::Fixed(-5 * 3600))
        );
        assert!(matches!(
            zone_of("10:00 Europe/Berlin"),
            Some(Zone::Named(_))
        ));
        assert_eq!(
            zone_of("May 8th, 2023, 10:00 AM - May 11, 2023, 2:00 AM (UTC)"),
            Some(Zone::Fixed(0))
        );
        assert_eq!(zone_of("10:00 +99:99"), None);
        // A range is not an offset.
        let f = &scan("10:00-10:45")[0];
        assert_eq!(f.start.zone, None);
    }

    #[test]
    fn prose_is_not_a_date() {
        for p in [
            "we may 2x the pool",
            "3/100 requests",
            "version 1.2.3",
            "the a team",
            "50% of users",
        ] {
            let found = scan(p);
            assert!(found.is_empty(), "{p}: {found:?}");
        }
    }

    /// `scan_first` and `scan_up_to` stop early: they must still give exactly the first
    /// expressions a whole scan finds, on every line of the real postmortems and the fixtures.
    #[test]
    fn scan_first_is_the_first_of_scan() {
        let mut lines = 0;
        for dir in [
            "fixtures/real",
            "fixtures/timeline",
            "fixtures/rules",
            "fixtures/seed",
        ] {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
            for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let Ok(text) = std::fs::read_to_string(entry.path()) else {
                    continue;
                };
                for line in text.lines() {
                    let all = scan(line);
                    assert_eq!(scan_first(line).as_ref(), all.first(), "{line:?}");
                    for n in [2, 8] {
                        assert_eq!(scan_up_to(line, n), all[..n.min(all.len())], "{line:?}");
                    }
                    lines += usize::from(!all.is_empty());
                }
            }
        }
        // The fixtures hold hundreds of dated lines: the comparison is not vacuous.
        assert!(lines > 300, "only {lines} lines with an expression");
    }
}
