use super::timeline_fix::when;
use super::{Context, Rule, Sink};
use crate::diagnostic::Severity;

pub static RULE: Rule = Rule {
    code: "PM208",
    name: "future-date",
    default_severity: Severity::Warning,
    summary: "a timeline or summary time after the moment of the check",
    docs: r#"## What it does
Reports a dated time in the timeline or the summary fields that lies in the future at the
moment pmlint runs. Action-item due dates are not checked here: they belong in the future.

## Why it matters
A postmortem describes something that already happened; a future timestamp is a typo in
the year or the month.

## Example
```markdown
- 2032-03-02 10:05 UTC alert fires
```
Fixed: `- 2023-03-02 10:05 UTC alert fires`.

## Options
None.
"#,
    check,
};

fn check(ctx: &Context, out: &mut Sink) {
    let now = ctx
        .config
        .now
        .unwrap_or_else(|| chrono::Utc::now().fixed_offset());
    for s in &ctx.timeline.stated {
        let Some(r) = s.resolved else { continue };
        if r.dated && r.at > now {
            out.report(
                s.found.span.clone(),
                format!(
                    "`{}` ({}) is in the future",
                    ctx.doc.slice(&s.found.span),
                    when(&r.at, r.precision)
                ),
            )
            .suggest("check the year and the month", None, s.found.span.clone());
        }
    }
}
