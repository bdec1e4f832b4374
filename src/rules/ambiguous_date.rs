use super::{Context, Rule, Sink};
use crate::diagnostic::Severity;
use crate::timeline::DateOrder;
use crate::timeline::resolve::month_name;

pub static RULE: Rule = Rule {
    code: "PM204",
    name: "ambiguous-date",
    default_severity: Severity::Warning,
    summary: "a numeric date whose day/month order the document cannot settle (03/04/2023)",
    docs: r#"## What it does
Reports numeric dates such as `03/04/2023` that read as two different days, when nothing in
the document settles the order: no date with a day above 12 (`31/05/2023`), no zone whose
region writes one order (`BST` day first, `PDT` month first), and no configured order.

## Why it matters
Half the world reads 03/04 as the 3rd of April, the other half as the 4th of March. An
ambiguous date silently shifts a timeline by a month for half its readers.

## Example
```markdown
- 03/04/2023 10:00 UTC deploy starts
```
Fixed: `- 2023-04-03 10:00 UTC deploy starts`.

## Options
The numeric date order (`mdy` or `dmy`) can be configured for a team.
"#,
    fix: None,
    check,
};

fn check(ctx: &Context, out: &mut Sink) {
    if ctx.timeline.date_order() != DateOrder::Unsettled {
        return;
    }
    for s in &ctx.timeline.stated {
        for st in std::iter::once(&s.found.start).chain(s.found.end.as_deref()) {
            let (Some(n), Some(span)) = (st.numeric, &st.date_span) else {
                continue;
            };
            if st.inherited_date {
                continue;
            }
            let written = ctx.doc.slice(span);
            let y = st
                .year
                .map(|y| format!("{y:04}"))
                .unwrap_or_else(|| "YYYY".into());
            out.report(
                span.clone(),
                format!(
                    "`{written}` could be {} {} or {} {}, and no date in the document settles the order",
                    month_name(n.first),
                    n.second,
                    month_name(n.second),
                    n.first
                ),
            )
            .suggest(
                format!("write the date as {y}-{:02}-{:02} or {y}-{:02}-{:02}", n.first, n.second, n.second, n.first),
                None,
                span.clone(),
            );
        }
    }
}
