use chrono::Datelike;

use super::{Context, Rule, Sink};
use crate::diagnostic::Severity;
use crate::timeline::resolve::{check_date, month_day, month_name};

pub static RULE: Rule = Rule {
    code: "PM206",
    name: "weekday-mismatch",
    default_severity: Severity::Error,
    summary: "a stated weekday that is not that date's weekday",
    docs: r#"## What it does
Checks dates written with a weekday and a year (`Tue, 8 May 2023`, `Wednesday 8th February,
2023`) and reports the weekday when the calendar disagrees.

## Why it matters
A wrong weekday means the date or the weekday is wrong, and readers cannot tell which: "last
Tuesday's outage" becomes a different day depending on which part they trust.

## Example
```markdown
The outage began on Tuesday, 8 May 2023.
```
Fixed: `Monday, 8 May 2023` (or the date that was a Tuesday).

## Options
None.
"#,
    fix: None,
    check,
};

fn check(ctx: &Context, out: &mut Sink) {
    let order = ctx.timeline.date_order();
    for s in &ctx.timeline.stated {
        let st = &s.found.start;
        let (Some(wd), Some(y)) = (st.weekday, st.year) else {
            continue;
        };
        let (Some(m), Some(d)) = month_day(st, order) else {
            continue;
        };
        let Ok(date) = check_date(y, m, d) else {
            continue;
        };
        if date.weekday() != wd {
            let span = st.date_span.clone().unwrap_or(s.found.span.clone());
            out.report(
                span.clone(),
                format!(
                    "{} {d}, {y} was a {}, not a {}",
                    month_name(m),
                    full_weekday(date.weekday()),
                    full_weekday(wd)
                ),
            )
            .suggest(
                format!("write {} or correct the date", full_weekday(date.weekday())),
                None,
                span,
            );
        }
    }
}

fn full_weekday(w: chrono::Weekday) -> &'static str {
    match w {
        chrono::Weekday::Mon => "Monday",
        chrono::Weekday::Tue => "Tuesday",
        chrono::Weekday::Wed => "Wednesday",
        chrono::Weekday::Thu => "Thursday",
        chrono::Weekday::Fri => "Friday",
        chrono::Weekday::Sat => "Saturday",
        chrono::Weekday::Sun => "Sunday",
    }
}
