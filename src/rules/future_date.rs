use super::timeline_fix::zone_label;
use super::{Context, Rule, Sink};
use crate::diagnostic::Severity;
use crate::timeline::Precision;

pub static RULE: Rule = Rule {
    code: "PM208",
    name: "future-date",
    default_severity: Severity::Warning,
    summary: "a timeline or summary time after the moment of the check",
    docs: r#"## What it does
Reports a dated time in the timeline or the summary fields that lies in the future at the
moment pmlint runs. Action-item due dates are not checked here: they belong in the future.
A wrong year is one typo however many entries carry it, so each future day is reported once,
at the first time written with that date, with the count of the others and the full date
(the year is usually what is wrong).

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
    fix: None,
    check,
};

fn check(ctx: &Context, out: &mut Sink) {
    let now = ctx
        .config
        .now
        .unwrap_or_else(|| chrono::Utc::now().fixed_offset());
    // One report per future calendar day: a wrong year is one typo however many entries
    // carry it, so the first time written with that date speaks for the rest.
    let mut days: Vec<(chrono::NaiveDate, Vec<&crate::timeline::Stated>)> = Vec::new();
    for s in &ctx.timeline.stated {
        let Some(r) = s.resolved else { continue };
        if !(r.dated && r.at > now) {
            continue;
        }
        let day = r.at.date_naive();
        match days.iter_mut().find(|(d, _)| *d == day) {
            Some((_, group)) => group.push(s),
            None => days.push((day, vec![s])),
        }
    }
    for (day, group) in days {
        let Some(first) = group
            .iter()
            .find(|s| s.resolved.is_some_and(|r| r.explicit_date))
            .or(group.first())
        else {
            continue;
        };
        let Some(r) = first.resolved else { continue };
        let more = match group.len() - 1 {
            0 => String::new(),
            1 => format!("; so is 1 more time on {day}"),
            n => format!("; so are {n} more times on {day}"),
        };
        let at = match r.precision {
            Precision::Minute => format!("{} {}", r.at.format("%Y-%m-%d %H:%M"), zone_label(&r.at)),
            _ => r.at.format("%Y-%m-%d").to_string(),
        };
        out.report(
            first.found.span.clone(),
            format!(
                "`{}` ({at}) is in the future{more}",
                ctx.doc.slice(&first.found.span),
            ),
        )
        .suggest(
            format!("check the year ({}) and the month", r.at.format("%Y")),
            None,
            first.found.span.clone(),
        );
    }
}
