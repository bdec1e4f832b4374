use super::timeline_fix::when_in;
use super::{Context, Rule, Sink};
use crate::diagnostic::Severity;
use crate::timeline::{Milestone, Precision};

pub static RULE: Rule = Rule {
    code: "PM302",
    name: "window-mismatch",
    default_severity: Severity::Warning,
    summary: "the stated start or end and the timeline's own start or resolution disagree",
    docs: r#"## What it does
Compares the stated window (summary fields, front matter) with the timeline entries that
mark the start (`OUTAGE BEGINS`, "began") and the end (`OUTAGE ENDS`, "resolved", "fully
restored"). Differences up to 5 minutes or 10% of the incident are accepted.

## Why it matters
The summary is what most readers read; when it says the incident ended at 07:40 but the
timeline says service was restored at 07:05, the reported impact is wrong by half an hour.

## Example
```markdown
end: 2024-02-12T07:40:00Z       (front matter)
- 07:05 service fully restored
```
Fixed: make the stated end 07:05, or explain what happened until 07:40.

## Options
None.
"#,
    check,
};

fn check(ctx: &Context, out: &mut Sink) {
    let tl = ctx.timeline;
    let Some(length) = tl.window.minutes() else {
        return;
    };
    let tolerance = ctx.config.tolerance_minutes.unwrap_or((length / 10).max(5));
    for (m, point) in [
        (Milestone::Started, &tl.window.start),
        (Milestone::Resolved, &tl.window.end),
    ] {
        let Some(point) = point else { continue };
        if !point.dated {
            continue;
        }
        let entry = if m == Milestone::Resolved {
            tl.entries
                .iter()
                .rev()
                .find(|e| e.milestone == Some(m) && e.precision == Precision::Minute)
        } else {
            tl.entries
                .iter()
                .find(|e| e.milestone == Some(m) && e.precision == Precision::Minute)
        };
        let Some(entry) = entry else { continue };
        let Some(at) = entry.at else { continue };
        if (at - point.at).num_minutes().abs() > tolerance {
            let line = ctx.doc.lines.line_of(entry.span.start) + 1;
            out.report(
                point.span.clone(),
                format!(
                    "the stated {} ({}) disagrees with the timeline, which has the incident {} at {} (line {line})",
                    if m == Milestone::Started { "start" } else { "end" },
                    when_in(&point.at, point.precision, &point.at),
                    m.as_str(),
                    when_in(&at, entry.precision, &point.at)
                ),
            )
            .suggest("make the summary and the timeline agree", None, point.span.clone());
        }
    }
}
