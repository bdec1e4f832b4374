use super::{Context, Rule, Sink};
use crate::diagnostic::Severity;
use crate::fix::Applicability;
use std::ops::Range;

use crate::timeline::{Entry, Precision, Stated};

pub static RULE: Rule = Rule {
    code: "PM205",
    name: "timezone",
    default_severity: Severity::Warning,
    summary: "timeline times with no zone anywhere, or several zones mixed in one timeline",
    docs: r#"## What it does
Reports a timeline whose times have no zone anywhere in the document (entries, the timeline
heading such as `Timeline (all times UTC)`, a line such as `All times in CET`, the summary,
or front matter), a timeline that mixes zones, and a word written as a zone that is not one
but one letter off a known abbreviation (`07:32 GWT`: did you mean `GMT`?), and a
daylight-saving abbreviation that does not fit its date (`PST` on June 20: Pacific time is
PDT, UTC-07:00, then). EST entries followed by EDT entries across the change are one zone. Mixed zones are still compared correctly
(10:00 PDT then 17:05 UTC is in order); the warning is about readability.

## Why it matters
"10:05" means nothing to a reader in another office, and a timeline that switches zones
invites mistakes in every duration computed from it.

## Example
```markdown
## Timeline
- 10:05 alert fires
- 10:40 rollback
```
Fixed: `## Timeline (all times UTC)`.

## Options
A default zone for a team can be configured.
"#,
    fix: Some(Applicability::Safe),
    check,
};

fn check(ctx: &Context, out: &mut Sink) {
    let tl = ctx.timeline;
    // Sized once: a filtered collect grows the vector step by step.
    let mut timed = Vec::with_capacity(tl.entries.len());
    timed.extend(
        tl.entries
            .iter()
            .filter(|e| e.precision == Precision::Minute)
            .filter_map(|e| tl.entry_stamp(e).map(|s| (e, s))),
    );
    let Some((first, first_stated)) = timed.first() else {
        return;
    };
    let mut abbrevs = Abbrevs::new(ctx);
    if unknown_zone(ctx, &timed, out)
        || wrong_season(ctx, &mut abbrevs, out)
        || summary_zone_differs(ctx, &timed, &mut abbrevs, out)
    {
        return;
    }
    if !tl.zone_stated {
        let span = first_stated.found.span.clone();
        let heading = tl.sections.first().cloned().unwrap_or(span.clone());
        out.report(
            span,
            format!(
                "no time zone is stated for the timeline (`{}` and the {} other entries)",
                ctx.doc.slice(&first_stated.found.span),
                timed.len() - 1
            ),
        )
        .suggest(
            "state the zone once, in the heading: `Timeline (all times UTC)`",
            None,
            heading,
        );
        let _ = first;
        return;
    }
    // Several stated zones: compare the offsets they give at each entry's instant.
    // EST then EDT across the change is one zone: compare regions where the words name one.
    let mut seen: Option<(i32, Option<&str>, usize, &str)> = None;
    for (e, s) in &timed {
        let (Some(zone), Some(at)) = (s.found.start.zone, e.at) else {
            continue;
        };
        let offset = at.offset().local_minus_utc();
        let label = ctx.doc.slice(&s.found.span);
        let region = abbrevs.of(e.stated).and_then(crate::time::zone::family);
        match &seen {
            None => seen = Some((offset, region, e.span.start, label)),
            Some((_, r, _, _)) if region.is_some() && *r == region => {}
            Some((o, _, line_at, first_label)) if *o != offset => {
                let line = ctx.doc.lines.line_of(*line_at) + 1;
                out.report(
                    s.found.span.clone(),
                    format!(
                        "the timeline mixes time zones: `{label}` ({}) after `{first_label}` (line {line}); entries are compared converted",
                        zone.label()
                    ),
                )
                .suggest("write every entry in one zone, stated once in the heading", None, s.found.span.clone());
                return;
            }
            _ => {}
        }
    }
}

/// An entry's time followed by a word that is one letter off a zone (`07:32 GWT`), on at
/// least two entries and half of those without a zone: reported once, on the first such
/// entry, with the zone it probably meant.
fn unknown_zone(ctx: &Context, timed: &[(&Entry, &Stated)], out: &mut Sink) -> bool {
    let text = ctx.doc.text;
    let mut first: Option<(Range<usize>, &str, &str)> = None;
    let mut count = 0;
    for (_, s) in timed {
        if s.found.start.zone.is_some() {
            continue;
        }
        let after = &text[s.found.span.end..];
        let lead = after.len() - after.trim_start_matches([' ', '(']).len();
        let word_len = after[lead..]
            .bytes()
            .take_while(|b| b.is_ascii_alphabetic())
            .count();
        let word = &after[lead..lead + word_len];
        if let Some(meant) = crate::time::zone::near_abbreviation(word) {
            count += 1;
            let start = s.found.span.end + lead;
            first.get_or_insert((start..start + word_len, word, meant));
        }
    }
    let Some((span, word, meant)) = first else {
        return false;
    };
    // A zone is written on every entry; one "09:52 CDN cache purge" is a word, not a zone.
    let unzoned = timed
        .iter()
        .filter(|(_, s)| s.found.start.zone.is_none())
        .count();
    if count < 2 || count * 2 < unzoned {
        return false;
    }
    let others = match count {
        1 => String::new(),
        n => format!(" (and on {} other entries)", n - 1),
    };
    out.report(
        span.clone(),
        format!("`{word}` is not a time zone{others}; did you mean `{meant}`?"),
    )
    .suggest(format!("write `{meant}`"), Some(meant.to_string()), span);
    true
}

/// The zone abbreviation of each stated expression, read once: the season, summary and
/// mixed-zone checks all ask for the same entries'.
struct Abbrevs<'t> {
    text: &'t str,
    stated: &'t [Stated],
    memo: Vec<Option<Option<&'t str>>>,
}

impl<'t> Abbrevs<'t> {
    fn new(ctx: &Context<'t, '_>) -> Self {
        let stated = &ctx.timeline.stated;
        Abbrevs {
            text: ctx.doc.text,
            stated,
            memo: vec![None; stated.len()],
        }
    }

    /// The abbreviation in `stated[i]`'s expression.
    fn of(&mut self, i: Option<usize>) -> Option<&'t str> {
        let i = i?;
        let (text, stated) = (self.text, self.stated);
        *self.memo.get_mut(i)?.get_or_insert_with(|| {
            abbreviation_in(text.get(stated[i].found.span.clone()).unwrap_or(""))
        })
    }
}

/// The zone abbreviation written in an expression, if any (`PST` in `10:00 AM (PST)`).
fn abbreviation_in(text: &str) -> Option<&str> {
    // Runs of ASCII letters, by byte: every byte of a non-ASCII char ends a run, as the char
    // would. Abbreviations have at most 4 letters, so longer words are skipped unlooked-up.
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_alphabetic() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
            i += 1;
        }
        let word = &text[start..i];
        if (3..=4).contains(&word.len()) && crate::time::zone::is_abbreviation(word) {
            return Some(word);
        }
    }
    None
}

/// A daylight-saving abbreviation that does not fit its date: `PST` on June 20 (Pacific
/// time is PDT then). Reported once, on the first such expression.
fn wrong_season(ctx: &Context, abbrevs: &mut Abbrevs, out: &mut Sink) -> bool {
    for (i, s) in ctx.timeline.stated.iter().enumerate() {
        let Some(r) = s.resolved.filter(|r| r.dated) else {
            continue;
        };
        let text = ctx.doc.slice(&s.found.span);
        let Some(abbrev) = abbrevs.of(Some(i)) else {
            continue;
        };
        let local = r.at.naive_local();
        let Some((right, offset)) = crate::time::zone::season_fix(abbrev, &local) else {
            continue;
        };
        let Some(at) = text.find(abbrev) else {
            continue;
        };
        let span = s.found.span.start + at..s.found.span.start + at + abbrev.len();
        out.report(
            span.clone(),
            format!(
                "`{abbrev}` does not fit {}: that region is on {right} (UTC{}) then",
                r.at.format("%B %-d, %Y"),
                offset
            ),
        )
        .suggest(format!("write `{right}`"), Some(right.to_string()), span);
        return true;
    }
    false
}

/// The summary states its times in one zone and the timeline in another (UTC above, CET
/// below): the reader must convert every time to compare them. Reported once, with the
/// offset between them.
fn summary_zone_differs(
    ctx: &Context,
    timed: &[(&Entry, &Stated)],
    abbrevs: &mut Abbrevs,
    out: &mut Sink,
) -> bool {
    let tl = ctx.timeline;
    let Some((summary_at, summary, zone)) = tl
        .stated
        .iter()
        .enumerate()
        .filter(|(_, s)| !matches!(s.source, crate::timeline::Source::Entry(_)))
        .find_map(|(i, s)| s.found.start.zone.map(|z| (i, s, z)))
    else {
        return false;
    };
    // A summary that itself mixes zones ("10:00 PDT to 18:30 UTC") is the mixed-zone case.
    if summary
        .found
        .end
        .as_ref()
        .is_some_and(|e| e.zone.is_some() && e.zone != Some(zone))
    {
        return false;
    }
    let summary_text = ctx.doc.slice(&summary.found.span);
    let summary_region = abbrevs
        .of(Some(summary_at))
        .and_then(crate::time::zone::family);
    for (e, s) in timed {
        let Some(at) = e.at else { continue };
        let Some(expected) = zone.offset_at(&at.naive_utc()) else {
            continue;
        };
        let offset = *at.offset();
        if offset == expected {
            continue;
        }
        let region = abbrevs.of(e.stated).and_then(crate::time::zone::family);
        if region.is_some() && region == summary_region {
            continue;
        }
        let diff = (offset.local_minus_utc() - expected.local_minus_utc()) / 60;
        let (h, m) = (diff.abs() / 60, diff.abs() % 60);
        let apart = match (h, m) {
            (0, m) => format!("{m} minutes"),
            (h, 0) => format!("{h} hour{}", if h == 1 { "" } else { "s" }),
            (h, m) => format!("{h} h {m} min"),
        };
        let span = s.found.span.clone();
        out.report(
            span.clone(),
            format!(
                "the timeline's times are in UTC{offset} but the summary's (`{summary_text}`) are in {}: {apart} apart",
                match zone {
                    crate::time::Zone::Fixed(_) => format!("UTC{expected}"),
                    crate::time::Zone::Named(_) => zone.label(),
                }
            ),
        )
        .suggest("state every time in one zone, named once", None, span);
        return true;
    }
    false
}
