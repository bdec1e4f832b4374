use super::{Context, Rule, Sink};
use crate::diagnostic::Severity;
use crate::fix::Applicability;

pub static RULE: Rule = Rule {
    code: "PM210",
    name: "timeline-unreadable",
    default_severity: Severity::Warning,
    summary: "a timeline stamp that cannot be placed: `09:??`, `--:--`, `2022-02-??`, `16.40`",
    docs: r#"## What it does
Reports a timeline entry whose stamp is written but cannot be read as an instant: an
unknown time or day (`2019-12-03 --:--`, `14:??`, `2022-05-??`), or a slip that is probably
a time (`16.40` for `16:40`, `3: 15 pm` for `3:15 pm`, `20231-05-08` with a five-digit
year). The suggestion gives the probable reading where there is one. Template tokens such
as `HH:mm` are left to `placeholder`.

## Why it matters
An entry that cannot be placed cannot be checked for order, and durations computed across
it are guesses. A reader should see "time unknown" said in words, not a stamp that looks
like a typo.

## Example
```markdown
| 2019-12-03 --:-- | Surge of new deployments |
| 16.40            | Rollback complete        |
```
Fixed: `| 2019-12-03 (time unknown) | ... |` and `| 16:40 | ... |`.

## Options
None.
"#,
    fix: Some(Applicability::Unsafe),
    check,
};

fn check(ctx: &Context, out: &mut Sink) {
    for e in &ctx.timeline.entries {
        let Some(u) = e.unreadable.clone() else {
            continue;
        };
        let written = ctx.doc.slice(&u.span).to_string();
        let d = out.report(
            u.span.clone(),
            match &u.meant {
                Some(m) => format!("`{written}` {}; probably `{m}`", u.why),
                None => format!("`{written}` {}: the entry cannot be placed in time", u.why),
            },
        );
        match u.meant {
            Some(m) => d.suggest(format!("write `{m}`"), Some(m), u.span),
            None => d.suggest(
                "write the time if it is known, or say in words that it is not",
                None,
                u.span,
            ),
        };
    }
}
