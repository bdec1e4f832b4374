//! Incident phases (started, detected, mitigated, resolved): named by fields, by an entry's
//! wording, or stood in for by the stated window.

use aho_corasick::{AhoCorasick, AhoCorasickKind, packed};
use chrono::{DateTime, FixedOffset};

use crate::document::FieldName;

use super::{Precision, Timeline};

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

/// The milestone a field names: `Start`, `Detected`, `Mitigated`, `Resolved` or `End`.
pub(super) fn milestone_of_field(name: FieldName) -> Option<Milestone> {
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
    ("caught up", Milestone::Resolved),
    ("back online", Milestone::Resolved),
    ("up and running", Milestone::Resolved),
    ("working normally", Milestone::Resolved),
    ("working again", Milestone::Resolved),
    ("service restored", Milestone::Resolved),
    ("service was restored", Milestone::Resolved),
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
    ("alerts fired", Milestone::Detected),
    ("alerts triggered", Milestone::Detected),
    ("received alert", Milestone::Detected),
    ("received an alert", Milestone::Detected),
    ("alert received", Milestone::Detected),
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

/// How phrases are found. A built searcher pays for itself after a few hundred entries;
/// before that each phrase is searched for in turn. The packed (SIMD) searcher reads lower-cased
/// text several bytes at a time; the DFA, which steps through every byte, is for CPUs without
/// it. All find the same milestone (see the tests).
enum Matcher {
    Phrases,
    Packed(&'static packed::Searcher),
    Dfa(&'static AhoCorasick),
}

fn milestone_matcher() -> Option<Matcher> {
    use std::sync::LazyLock;
    static PACKED: LazyLock<Option<packed::Searcher>> = LazyLock::new(build_packed);
    static DFA: LazyLock<Option<AhoCorasick>> =
        LazyLock::new(|| build_matcher(AhoCorasickKind::DFA));
    static WARMUP: crate::warmup::Warmup = crate::warmup::Warmup::new(256);
    if WARMUP.cold() {
        Some(Matcher::Phrases)
    } else if let Some(p) = PACKED.as_ref() {
        Some(Matcher::Packed(p))
    } else {
        DFA.as_ref().map(Matcher::Dfa)
    }
}

/// The lower-cased phrases, leftmost-first; `None` where the CPU has no SIMD for it.
fn build_packed() -> Option<packed::Searcher> {
    packed::Config::new()
        .match_kind(packed::MatchKind::LeftmostFirst)
        .builder()
        .extend(
            MILESTONE_PHRASES
                .iter()
                .map(|(p, _)| p.to_ascii_lowercase()),
        )
        .build()
}

/// The phrases, matched ASCII case-insensitively: the text is searched as written.
fn build_matcher(kind: AhoCorasickKind) -> Option<AhoCorasick> {
    AhoCorasick::builder()
        .kind(Some(kind))
        .ascii_case_insensitive(true)
        .build(MILESTONE_PHRASES.iter().map(|(p, _)| p))
        .ok()
}

/// A milestone named by an entry: the SRE-book markers, or plain wording.
pub fn milestone_of_text(text: &str) -> Option<Milestone> {
    milestone_with(&milestone_matcher()?, text)
}

fn milestone_with(matcher: &Matcher, text: &str) -> Option<Milestone> {
    // The markers count only in capitals; the earliest phrase in the table wins.
    let counts = |i: usize, at: std::ops::Range<usize>| {
        let (phrase, _) = MILESTONE_PHRASES[i];
        !phrase.starts_with(|c: char| c.is_ascii_uppercase()) || text.get(at) == Some(phrase)
    };
    match matcher {
        Matcher::Dfa(ac) => ac
            .find_overlapping_iter(text)
            .filter(|m| counts(m.pattern().as_usize(), m.range()))
            .map(|m| m.pattern().as_usize())
            .min(),
        Matcher::Packed(searcher) => with_lower(text, |lower| packed_in(searcher, lower, counts)),
        Matcher::Phrases => with_lower(text, |lower| phrases_in(lower, counts)),
    }
    .map(|i| MILESTONE_PHRASES[i].1)
}

/// Calls `f` with `text` ASCII lower-cased (same byte offsets) in a buffer reused on the thread.
fn with_lower<R>(text: &str, f: impl FnOnce(&str) -> R) -> R {
    thread_local! {
        static LOWER: std::cell::Cell<String> = const { std::cell::Cell::new(String::new()) };
    }
    let mut lower = LOWER.take();
    lower.clear();
    lower.push_str(text);
    lower.make_ascii_lowercase();
    let result = f(&lower);
    LOWER.set(lower);
    result
}

/// The first phrase of the table in `lower` that counts, each searched for in turn.
fn phrases_in(
    lower: &str,
    counts: impl Fn(usize, std::ops::Range<usize>) -> bool,
) -> Option<usize> {
    lower_phrases().iter().position(|(i, finder)| {
        let len = finder.needle().len();
        finder
            .find_iter(lower.as_bytes())
            .any(|at| counts(*i, at..at + len))
    })
}

/// The first phrase of the table in `lower` that counts: a leftmost search from every start
/// that matched, so overlapping phrases are seen too. No phrase begins another, so a start
/// matches one phrase at most.
fn packed_in(
    searcher: &packed::Searcher,
    lower: &str,
    counts: impl Fn(usize, std::ops::Range<usize>) -> bool,
) -> Option<usize> {
    let hay = lower.as_bytes();
    let mut best: Option<usize> = None;
    let mut from = 0;
    while let Some(m) = searcher.find_in(hay, aho_corasick::Span::from(from..hay.len())) {
        let k = m.pattern().as_usize();
        if best.is_none_or(|b| k < b) && counts(k, m.start()..m.end()) {
            best = Some(k);
        }
        from = m.start() + 1;
    }
    best
}

/// A searcher for each phrase lower-cased, with its place in the table.
fn lower_phrases() -> &'static [(usize, memchr::memmem::Finder<'static>)] {
    use memchr::memmem::Finder;
    static LOWER: std::sync::LazyLock<Vec<(usize, Finder<'static>)>> =
        std::sync::LazyLock::new(|| {
            MILESTONE_PHRASES
                .iter()
                .enumerate()
                .map(|(i, (p, _))| (i, Finder::new(&p.to_ascii_lowercase()).into_owned()))
                .collect()
        });
    &LOWER
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
                // An entry pmlint reports as out of order cannot time a phase.
                tl.entries
                    .iter()
                    .enumerate()
                    .find(|(i, e)| {
                        e.milestone == Some(m)
                            && e.precision == Precision::Minute
                            && !tl.outlier.get(*i).copied().unwrap_or(false)
                    })
                    .and_then(|(_, e)| e.at)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A run switches from phrase search to the DFA part-way: both must name the same milestone,
    /// for every phrase in every case and inside other words, and for plain entries.
    /// `packed_in` sees one phrase per start: none may begin another.
    #[test]
    fn no_phrase_begins_another() {
        for (a, _) in MILESTONE_PHRASES {
            for (b, _) in MILESTONE_PHRASES {
                let (a, b) = (a.to_ascii_lowercase(), b.to_ascii_lowercase());
                assert!(a == b || !b.starts_with(&a), "{a:?} begins {b:?}");
            }
        }
    }

    #[test]
    fn phrase_search_and_the_dfa_agree() {
        let Some(dfa) = build_matcher(AhoCorasickKind::DFA) else {
            panic!("the phrase table builds");
        };
        let dfa: &'static AhoCorasick = Box::leak(Box::new(dfa));
        let (phrases, dfa) = (Matcher::Phrases, Matcher::Dfa(dfa));
        let packed: &'static packed::Searcher = match build_packed() {
            Some(p) => Box::leak(Box::new(p)),
            None => return, // no SIMD searcher on this CPU: the DFA is used
        };
        let packed = Matcher::Packed(packed);
        let mut texts = vec![
            "10:02 Alert fired; on-call paged".to_string(),
            "Rolled back the deploy, errors began to drop".to_string(),
            "Nothing happened here".to_string(),
            "The issue was unresolved until 14:00".to_string(),
            "OUTAGE BEGINS outage begins".to_string(),
        ];
        // Phrases that overlap or touch, in mixed case.
        let mut pieces: Vec<&str> = vec![" ", "x", "ed", "S", "-", "é", "OUTAGE ", "Incident "];
        pieces.extend(MILESTONE_PHRASES.iter().map(|(p, _)| *p));
        pieces.extend(["Alert", "ALERTED", "Started FAILING", "rolled BACK"]);
        texts.extend(crate::rules::random_texts(&pieces, 1500, 6, 0x5eed_u64));
        for (phrase, _) in MILESTONE_PHRASES {
            texts.push(format!("14:05 {phrase}"));
            texts.push(format!("- **{}** at last", phrase.to_ascii_uppercase()));
            texts.push(format!("x{}y", phrase.to_ascii_lowercase()));
        }
        let mut named = 0;
        for t in &texts {
            let got = milestone_with(&phrases, t);
            assert_eq!(got, milestone_with(&dfa, t), "{t:?}");
            assert_eq!(got, milestone_with(&packed, t), "{t:?}");
            named += usize::from(got.is_some());
        }
        assert!(
            named > MILESTONE_PHRASES.len(),
            "only {named} texts named a milestone"
        );
        assert_eq!(
            milestone_with(&phrases, "Nothing happened here"),
            None,
            "plain text names no milestone"
        );
    }
}
