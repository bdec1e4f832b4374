use super::timeline_fix::when;
use super::{Context, Rule, Sink};
use crate::diagnostic::Severity;
use crate::timeline::Precision;

pub static RULE: Rule = Rule {
    code: "PM301",
    name: "duration-mismatch",
    default_severity: Severity::Error,
    summary: "a stated length (`Duration: 3 hours`, `(45 minutes)`) that disagrees with its start and end",
    docs: r#"## What it does
Compares a stated length of the incident (`Duration: 2 hours and 45 minutes`, a length in
parentheses after the range, or a sentence in the summary such as "was down for 66
minutes") with the start and end the document states. Differences up to 5 minutes or 10% are
accepted as rounding.

## Why it matters
Durations feed MTTR reports and error-budget accounting. When the stated length and the
stated times disagree, one of them is wrong, and readers do not know which.

## Example
```text
Start Time: December 18, 2023, 10:45 AM (UTC)
End Time: December 18, 2023, 1:30 PM (UTC)
Duration: 2 hours
```
Fixed: `Duration: 2 hours and 45 minutes`.

## Options
The tolerance will be configurable.
"#,
    check,
};

fn check(ctx: &Context, out: &mut Sink) {
    for l in &ctx.timeline.lengths {
        let (Some(s), Some(e)) = (&l.start, &l.end) else {
            continue;
        };
        if s.precision != Precision::Minute || e.precision != Precision::Minute || e.at < s.at {
            continue;
        }
        let actual = (e.at - s.at).num_minutes();
        let tolerance = ctx.config.tolerance_minutes.unwrap_or((actual / 10).max(5));
        if (l.length.minutes - actual).abs() > tolerance {
            out.report(
                l.length.span.clone(),
                format!(
                    "`{}` is {} but the stated start and end ({} – {}) are {} apart",
                    ctx.doc.slice(&l.length.span),
                    human(l.length.minutes),
                    when(&s.at, s.precision),
                    when(&e.at, e.precision),
                    human(actual)
                ),
            )
            .suggest(
                format!("write {}, or correct the start or end", human(actual)),
                Some(human(actual)),
                l.length.span.clone(),
            );
        }
    }
}

/// `2 hours 45 minutes`, `1 day 3 hours`, `45 minutes`.
pub fn human(minutes: i64) -> String {
    let (d, h, m) = (minutes / 1440, (minutes % 1440) / 60, minutes % 60);
    let unit = |n: i64, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    let mut parts = Vec::new();
    if d > 0 {
        parts.push(unit(d, "day"));
    }
    if h > 0 {
        parts.push(unit(h, "hour"));
    }
    if m > 0 || parts.is_empty() {
        parts.push(unit(m, "minute"));
    }
    parts.join(" ")
}
