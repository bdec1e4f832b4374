use super::{Context, Rule, Sink};
use crate::diagnostic::Severity;

pub static RULE: Rule = Rule {
    code: "PM207",
    name: "invalid-date",
    default_severity: Severity::Error,
    summary: "a date or time that does not exist: February 30, 25:00, 13 PM",
    docs: r#"## What it does
Reports dates and times in the timeline, the summary fields and the summary that cannot
exist: a day past the end of its month (February 30, April 31), a month above 12, an hour
above 23 or a minute above 59 (`25:00`, `10:75`), and 12-hour times outside 1–12 (`13 PM`,
`0 AM`).

## Why it matters
An impossible timestamp is a typo whose intended value nobody can recover with certainty,
and tools that read the postmortem (dashboards, MTTR reports) silently drop or misplace it.

## Example
```markdown
- February 30, 2024, 13:05 UTC: failover starts
```
Fixed: `- February 29, 2024, 13:05 UTC: failover starts`.

## Options
None.
"#,
    fix: None,
    check,
};

fn check(ctx: &Context, out: &mut Sink) {
    let tl = ctx.timeline;
    for s in &tl.stated {
        // `3: 15 pm` reads as "15 pm"; timeline-unreadable reports it with its meaning.
        let slip = match s.source {
            crate::timeline::Source::Entry(i) => {
                tl.entries.get(i).is_some_and(|e| e.unreadable.is_some())
            }
            _ => false,
        };
        if slip {
            continue;
        }
        if let Some(why) = &s.invalid {
            let written = ctx.doc.slice(&s.found.span);
            out.report(s.found.span.clone(), format!("`{written}` {why}"))
                .suggest("correct the date or time", None, s.found.span.clone());
        }
    }
}
