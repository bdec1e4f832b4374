//! `pmlint stats` in the terminal (a table per group), as JSON (the whole model) and as CSV
//! (one row per incident, for a spreadsheet or a dashboard).

use std::fmt::Write as _;

use serde::Serialize;

use super::html::minutes;
use super::model::{By, Group, Spread, Stats};
use crate::report::visible_line;

fn median_p90(s: &Spread) -> String {
    match (s.median, s.p90) {
        (Some(m), Some(p)) => format!(
            "{} / {}",
            minutes(m.round() as i64),
            minutes(p.round() as i64)
        ),
        _ => "–".to_string(),
    }
}

fn by_name(by: By) -> &'static str {
    match by {
        By::Month => "month",
        By::Quarter => "quarter",
        By::Year => "year",
        By::Severity => "severity",
        By::Service => "service",
    }
}

/// The terminal table: one row per group and one for all, then what lacked a milestone, the
/// oldest overdue action items and the documents left out.
pub fn table(stats: &Stats) -> String {
    let header = [
        by_name(stats.by),
        "incidents",
        "detect (median / p90)",
        "mitigate (median / p90)",
        "resolve (median / p90)",
        "lacking d/m/r",
        "open actions",
        "passing",
    ];
    let row = |g: &Group| {
        vec![
            visible_line(&g.key).into_owned(),
            g.incidents.to_string(),
            median_p90(&g.time_to_detect),
            median_p90(&g.time_to_mitigate),
            median_p90(&g.time_to_resolve),
            format!(
                "{}/{}/{}",
                g.time_to_detect.missing, g.time_to_mitigate.missing, g.time_to_resolve.missing
            ),
            g.actions_open.to_string(),
            format!("{}/{}", g.passing, g.incidents),
        ]
    };
    let mut rows: Vec<Vec<String>> = stats.groups.iter().map(row).collect();
    rows.push(row(&stats.total));
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in &rows {
        for (w, cell) in widths.iter_mut().zip(r) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let mut line = |cells: &[String]| {
        let mut l = String::new();
        for (i, (cell, w)) in cells.iter().zip(&widths).enumerate() {
            let pad = w.saturating_sub(cell.chars().count());
            if i == 0 {
                l.push_str(cell);
                l.push_str(&" ".repeat(pad));
            } else {
                l.push_str("  ");
                l.push_str(&" ".repeat(pad));
                l.push_str(cell);
            }
        }
        out.push_str(l.trim_end());
        out.push('\n');
    };
    line(&header.map(String::from));
    let total_row = rows.len() - 1;
    for (i, r) in rows.iter().enumerate() {
        if i == total_row && total_row > 0 {
            let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
            line(&rule);
        }
        line(r);
    }
    let t = &stats.total;
    let _ = writeln!(
        out,
        "\n{} incidents; without a time (left out of the medians, not counted as zero): \
         detect {}, mitigate {}, resolve {}.",
        t.incidents,
        t.time_to_detect.missing,
        t.time_to_mitigate.missing,
        t.time_to_resolve.missing
    );
    if !t.oldest_overdue.is_empty() {
        let _ = writeln!(
            out,
            "\nOldest overdue action items (as of {}):",
            stats.today
        );
        for o in &t.oldest_overdue {
            let _ = writeln!(
                out,
                "  {} due {} ({} days overdue): {}",
                visible_line(&o.path),
                o.due,
                o.days_overdue,
                visible_line(&o.text)
            );
        }
    }
    if !stats.unusable.is_empty() {
        let _ = writeln!(out, "\nNot counted ({}):", stats.unusable.len());
        for u in &stats.unusable {
            let _ = writeln!(out, "  {}: {}", visible_line(&u.path), visible_line(&u.why));
        }
    }
    out
}

/// The JSON document: the schema's version and the whole model (see the README).
pub fn json(stats: &Stats) -> String {
    #[derive(Serialize)]
    struct Versioned<'a> {
        version: u32,
        #[serde(flatten)]
        stats: &'a Stats,
    }
    let doc = Versioned { version: 1, stats };
    // One line, as `check --format json` (a dashboard reads it; `jq` shows it).
    serde_json::to_string(&doc).map_or_else(|e| format!("{{\"error\":\"{e}\"}}"), |s| s + "\n")
}

/// One row per incident; cells that a spreadsheet would run as a formula are quoted.
pub fn csv(stats: &Stats) -> String {
    let header = [
        "path",
        "title",
        "start",
        "end",
        "duration_minutes",
        "time_to_detect_minutes",
        "time_to_mitigate_minutes",
        "time_to_resolve_minutes",
        "severity",
        "services",
        "actions",
        "actions_done",
        "actions_overdue",
        "passes_check",
        "errors",
        "warnings",
    ];
    let num = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    let rows = stats.incidents.iter().map(|i| {
        vec![
            i.path.clone(),
            i.title.clone().unwrap_or_default(),
            i.start.map(|s| s.to_rfc3339()).unwrap_or_default(),
            i.end.map(|s| s.to_rfc3339()).unwrap_or_default(),
            num(i.duration_minutes),
            num(i.time_to_detect_minutes),
            num(i.time_to_mitigate_minutes),
            num(i.time_to_resolve_minutes),
            i.severity.clone().unwrap_or_default(),
            i.services.join("; "),
            i.actions.to_string(),
            i.actions_done.to_string(),
            i.overdue.len().to_string(),
            i.passes_check.to_string(),
            i.errors.to_string(),
            i.warnings.to_string(),
        ]
    });
    crate::report::csv_table(&header, rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_people_write_them() {
        let median = |m: f64| {
            median_p90(&Spread {
                median: Some(m),
                p90: Some(m),
                ..Spread::default()
            })
        };
        assert_eq!(median(45.0), "45 min / 45 min");
        assert_eq!(median(125.4), "2 h 05 min / 2 h 05 min");
        assert_eq!(median(3.0 * 1440.0 + 250.0), "3 d 4 h / 3 d 4 h");
    }
}
