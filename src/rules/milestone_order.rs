use super::timeline_fix::when;
use super::{Context, Rule, Sink};
use crate::diagnostic::Severity;
use crate::timeline::{Milestone, Precision};

pub static RULE: Rule = Rule {
    code: "PM303",
    name: "milestone-order",
    default_severity: Severity::Error,
    summary: "started ≤ detected ≤ mitigated ≤ resolved is broken",
    docs: r#"## What it does
Reads the incident's milestones from the summary fields and front matter (`Start:`,
`Detected:`, `Mitigated:`, `Resolved:`/`End:`) and from the SRE-book markers in the timeline
(`OUTAGE BEGINS`, `OUTAGE MITIGATED`, `OUTAGE ENDS`), and reports a milestone that comes
before one it must follow.

## Why it matters
Detection before the start, or resolution before mitigation, makes time-to-detect and
time-to-resolve negative: a typo that breaks every report built on the postmortem.

## Example
```yaml
start: 2024-02-12T22:40Z
detected: 2024-02-12T22:10Z
```
Fixed: `detected: 2024-02-12T23:10Z`.

## Options
None.
"#,
    fix: None,
    check,
};

/// The SRE-book markers, by first letter.
const MARKERS: [&str; 5] = [
    "OUTAGE BEGINS",
    "OUTAGE MITIGATED",
    "OUTAGE ENDS",
    "INCIDENT BEGINS",
    "INCIDENT ENDS",
];

/// Whether `text` holds a marker: compared only where an `O` or `I` stands (one memchr2 pass,
/// not a substring search per marker).
fn has_marker(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr2_iter(b'O', b'I', bytes).any(|i| {
        let rest = &bytes[i..];
        let (from, to) = if bytes[i] == b'O' { (0, 3) } else { (3, 5) };
        MARKERS[from..to]
            .iter()
            .any(|m| rest.starts_with(m.as_bytes()))
    })
}

fn check(ctx: &Context, out: &mut Sink) {
    let tl = ctx.timeline;
    let mut points: Vec<(
        Milestone,
        chrono::DateTime<chrono::FixedOffset>,
        std::ops::Range<usize>,
    )> = tl.field_milestones.clone();
    for e in &tl.entries {
        // The cheap fields first: few entries are timed milestones, fewer carry a marker.
        let (Some(m), Some(at), Precision::Minute) = (e.milestone, e.at, e.precision) else {
            continue;
        };
        if has_marker(&e.text) {
            points.push((m, at, e.span.clone()));
        }
    }
    points.sort_by_key(|p| (p.0, p.2.start));
    // Each milestone must not be earlier than the latest of the milestones before it.
    let mut latest: Option<(Milestone, chrono::DateTime<chrono::FixedOffset>)> = None;
    for (m, at, span) in points {
        if let Some((pm, pat)) = latest
            && pm < m
            && at < pat
        {
            out.report(
                span.clone(),
                format!(
                    "{} ({}) is before {} ({})",
                    m.as_str(),
                    when(&at, Precision::Minute),
                    pm.as_str(),
                    when(&pat, Precision::Minute)
                ),
            )
            .suggest(
                format!("{} cannot come before {}", m.as_str(), pm.as_str()),
                None,
                span,
            );
            continue;
        }
        if latest.is_none_or(|(_, pat)| at >= pat) {
            latest = Some((m, at));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::has_marker;

    #[test]
    fn markers_are_found_anywhere_in_capitals_only() {
        assert!(has_marker("10:05 OUTAGE BEGINS"));
        assert!(has_marker("Impact: INCIDENT ENDS (rollback done)"));
        assert!(has_marker("IO OUTAGE MITIGATED"));
        assert!(!has_marker("10:05 outage begins"));
        assert!(!has_marker("OUTAGE BEGAN, INCIDENT OPEN"));
        assert!(!has_marker(""));
    }
}
