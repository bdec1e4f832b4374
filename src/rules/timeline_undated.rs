use super::{Context, Rule, Sink};
use crate::diagnostic::Severity;
use crate::document::BlockKind;

pub static RULE: Rule = Rule {
    code: "PM209",
    name: "timeline-undated",
    default_severity: Severity::Warning,
    summary: "clock times with no date anywhere in the document",
    docs: r#"## What it does
Reports a postmortem that gives times of day (`7:30 PM`, `11:26 GMT`) but no date anywhere:
not in the title, the front matter, the summary, the timeline or its day headings, nor in
any paragraph. A weekday alone ("on a busy Monday") is not a date. The first time of day is
underlined.

## Why it matters
A reader a month later cannot tell when the incident happened, link it to deploys, alerts
or other incidents, or check a zone such as PST against daylight saving time. Durations can
still be computed, but nothing else in the timeline can be checked.

## Example
```markdown
## Summary
From 7:30 PM to 7:57 PM CST the site returned 502s.
```
Fixed: `On Tuesday, 2024-02-13, from 7:30 PM to 7:57 PM CST the site returned 502s.`

## Options
None.
"#,
    fix: None,
    check,
};

fn check(ctx: &Context, out: &mut Sink) {
    let tl = ctx.timeline;
    let mut first_time = None;
    for s in &tl.stated {
        for st in std::iter::once(&s.found.start).chain(s.found.end.as_deref()) {
            if st.has_date() {
                return;
            }
        }
        if s.found.start.hour.is_some()
            && first_time
                .as_ref()
                .is_none_or(|f: &std::ops::Range<usize>| s.found.span.start < f.start)
        {
            first_time = Some(s.found.span.clone());
        }
    }
    let Some(span) = first_time else { return };
    if dated_elsewhere(ctx) {
        return;
    }
    let others = tl
        .stated
        .iter()
        .filter(|s| s.found.start.hour.is_some())
        .count()
        .saturating_sub(1);
    let shown = ctx.doc.slice(&span);
    let message = if others == 0 {
        format!("`{shown}` has no date, and the document states none anywhere")
    } else {
        format!(
            "`{shown}` and the {others} other times of day have no date, and the document states none anywhere"
        )
    };
    out.report(span.clone(), message).suggest(
        "state the date once, in the summary or the timeline heading: `On 2024-02-13, from 19:30 to 19:57 CST ...`",
        None,
        span,
    );
}

/// A date the timeline did not read: in the title, or in any paragraph, list item or table
/// row. Only reached for the rare document whose timeline has no date, so the scan is cheap.
fn dated_elsewhere(ctx: &Context) -> bool {
    let doc = ctx.doc;
    let has_date = |text: &str| {
        crate::time::scan(text)
            .iter()
            .any(|f| f.start.month.is_some() || f.start.year.is_some())
    };
    if doc.title.as_ref().is_some_and(|t| has_date(&t.text)) {
        return true;
    }
    doc.blocks
        .iter()
        .filter(|b| b.kind != BlockKind::Code && !doc.is_masked(&b.span))
        .any(|b| doc.own_lines(b).any(|l| has_date(doc.slice(&l))))
}
