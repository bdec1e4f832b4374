//! `pmlint timeline`: the resolved timeline of one document as a table, JSON, CSV or a
//! Mermaid diagram, with the window and the durations SRE teams track.

use std::fmt::Write as _;

use chrono::{DateTime, FixedOffset, SecondsFormat};
use serde::Serialize;

use crate::document::Document;
use crate::timeline::{self, Milestone, Timeline};

#[derive(Serialize)]
pub struct TimelineReport {
    pub start: Option<String>,
    pub end: Option<String>,
    pub entries: Vec<EntryReport>,
    pub metrics: Metrics,
}

#[derive(Serialize)]
pub struct EntryReport {
    pub line: usize,
    pub time: Option<String>,
    pub offset_minutes: Option<i64>,
    pub text: String,
    pub flags: Vec<&'static str>,
}

#[derive(Serialize)]
pub struct Metrics {
    pub time_to_detect_minutes: Option<i64>,
    pub time_to_mitigate_minutes: Option<i64>,
    pub time_to_resolve_minutes: Option<i64>,
    /// Why a metric was left out: the entry that would time it is out of order, or the
    /// result would be negative.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

fn rfc3339(at: &DateTime<FixedOffset>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, false)
}

pub fn build(doc: &Document, tl: &Timeline) -> TimelineReport {
    let metrics = metrics(doc, tl);
    let start = timeline::milestones(tl)[0].1;
    finish(tl, entries(doc, tl, start), metrics)
}

/// The time to detect, mitigate and resolve, in minutes from the start; a metric whose
/// milestone is marked only by a flagged entry, or would be negative, is left out with a note.
/// (`pmlint stats` uses the same figures.)
pub fn metrics(doc: &Document, tl: &Timeline) -> Metrics {
    let ms = timeline::milestones(tl);
    let start = ms[0].1;
    let mut notes = Vec::new();
    let mut minutes = |m: Milestone, label: &str| {
        let at = ms.iter().find(|(k, _)| *k == m).and_then(|(_, a)| *a);
        let Some(at) = at else {
            // A phase marked only by an entry pmlint flags is left out, and said so.
            if let Some(i) = tl.entries.iter().enumerate().position(|(i, e)| {
                e.milestone == Some(m) && tl.outlier.get(i).copied().unwrap_or(false)
            }) {
                notes.push(format!(
                    "time to {label} left out: the entry that marks it (line {}) is out of order",
                    doc.lines.line_of(tl.entries[i].span.start) + 1
                ));
            }
            return None;
        };
        let value = (at - start?).num_minutes();
        if value < 0 {
            notes.push(format!(
                "time to {label} left out: it would be negative ({value} min), so the start or the {label} time is wrong"
            ));
            return None;
        }
        Some(value)
    };
    Metrics {
        time_to_detect_minutes: minutes(Milestone::Detected, "detect"),
        time_to_mitigate_minutes: minutes(Milestone::Mitigated, "mitigate"),
        time_to_resolve_minutes: minutes(Milestone::Resolved, "resolve"),
        notes,
    }
}

fn entries(
    doc: &Document,
    tl: &Timeline,
    start: Option<DateTime<FixedOffset>>,
) -> Vec<EntryReport> {
    tl.entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let mut flags = Vec::new();
            if e.at.is_none() {
                flags.push("untimed");
            }
            if tl.outlier.get(i).copied().unwrap_or(false) {
                flags.push("out-of-order");
            }
            if e.rolled {
                flags.push("next-day");
            }
            if e.time_unknown {
                flags.push("time-unknown");
            }
            if e.unreadable.is_some() {
                flags.push("unreadable");
            }
            if tl
                .entry_stamp(e)
                .and_then(|s| s.resolved)
                .is_some_and(|r| !r.dated)
            {
                flags.push("undated");
            }
            EntryReport {
                line: doc.lines.line_of(e.span.start) + 1,
                time: e.at.as_ref().map(rfc3339),
                offset_minutes: e.at.zip(start).map(|(a, s)| (a - s).num_minutes()),
                text: e.text.clone(),
                flags,
            }
        })
        .collect()
}

fn finish(tl: &Timeline, entries: Vec<EntryReport>, metrics: Metrics) -> TimelineReport {
    TimelineReport {
        start: tl.window.start.as_ref().map(|p| rfc3339(&p.at)),
        end: tl.window.end.as_ref().map(|p| rfc3339(&p.at)),
        entries,
        metrics,
    }
}

fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

pub fn table(r: &TimelineReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "window: {} – {}",
        r.start.as_deref().unwrap_or("?"),
        r.end.as_deref().unwrap_or("?")
    );
    let _ = writeln!(
        out,
        "{:>5}  {:<25}  {:>7}  {:<60}  flags",
        "line", "time", "+min", "entry"
    );
    for e in &r.entries {
        let _ = writeln!(
            out,
            "{:>5}  {:<25}  {:>7}  {:<60}  {}",
            e.line,
            e.time.as_deref().unwrap_or("-"),
            e.offset_minutes.map_or("-".to_string(), |m| m.to_string()),
            clip(&super::visible(&e.text), 60),
            e.flags.join(",")
        );
    }
    let m = &r.metrics;
    let show = |v: Option<i64>| v.map_or("?".to_string(), |v| format!("{v} min"));
    let _ = writeln!(
        out,
        "time to detect: {}, to mitigate: {}, to resolve: {}",
        show(m.time_to_detect_minutes),
        show(m.time_to_mitigate_minutes),
        show(m.time_to_resolve_minutes)
    );
    for n in &m.notes {
        let _ = writeln!(out, "note: {n}");
    }
    out
}

pub fn csv(r: &TimelineReport) -> String {
    super::csv_table(
        &["line", "time", "offset_minutes", "text", "flags"],
        r.entries.iter().map(|e| {
            vec![
                e.line.to_string(),
                e.time.clone().unwrap_or_default(),
                e.offset_minutes.map_or(String::new(), |m| m.to_string()),
                e.text.clone(),
                e.flags.join(" "),
            ]
        }),
    )
}

/// A Mermaid timeline: renders in GitHub markdown inside a ```mermaid block.
pub fn mermaid(r: &TimelineReport) -> String {
    let mut out = String::from("timeline\n    title Incident timeline\n");
    // `:` separates a period from its event and `#`, `;`, `%%` are Mermaid syntax: a colon
    // is written as the look-alike `∶`, the rest and every line break (CR, U+2028) as a
    // space, so no entry can end a line or start a comment; bidirectional overrides too, so
    // none can reverse the text shown around it.
    let clean = |s: &str| {
        let flat: String = s
            .chars()
            .map(|c| match c {
                ':' => '\u{2236}',
                '#' | ';' | '%' => ' ',
                c if c.is_control() => ' ',
                '\u{2028}' | '\u{2029}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => ' ',
                c => c,
            })
            .collect();
        clip(&flat, 80)
    };
    for e in &r.entries {
        let when = match &e.time {
            Some(t) => t.get(..16).unwrap_or(t).replace('T', " "),
            None => "(untimed)".to_string(),
        };
        let _ = writeln!(
            out,
            "    {} : {}",
            clean(&when).replace(' ', "\u{a0}"),
            clean(&e.text)
        );
    }
    out
}
