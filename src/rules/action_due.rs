use super::action_owner::clip;
use super::{Context, Rule, Sink};
use crate::diagnostic::Severity;

pub static RULE: Rule = Rule {
    code: "PM403",
    name: "action-due",
    default_severity: Severity::Off,
    summary: "an action item with no due date, or one before the incident (on in `strict`)",
    docs: r#"## What it does
Reports an action item with no due date (no Due column, no `due 2024-05-01`, `by ...`,
`deadline: ...` or `Deadline:` line under the item), and one whose due date is before the
incident began. A stated year always stands; a date without one (`due Jan 10`) is the first
such date on or after the incident. Off by default; the `strict` profile turns it on as an
error.

## Why it matters
Follow-ups without a date drift into the backlog forever; a due date before the incident is a
copy-paste from an older postmortem.

## Example
```markdown
- Add an alert on connection-pool saturation (owner: @dbre)
```
Fixed: `- Add an alert on connection-pool saturation (owner: @dbre, due 2024-05-01)`.

## Options
Enable with `--profile strict`.
"#,
    fix: None,
    check,
};

fn check(ctx: &Context, out: &mut Sink) {
    let start = ctx
        .timeline
        .window
        .start
        .as_ref()
        .filter(|p| p.dated)
        .map(|p| p.at.date_naive());
    for a in &ctx.actions.items {
        if a.status == "done" {
            continue;
        }
        match (a.due, &a.due_text) {
            (Some(due), _) if start.is_some_and(|s| due < s) => {
                out.report(
                    a.span.clone(),
                    format!(
                        "action item is due {due}, before the incident began ({})",
                        start.map(|s| s.to_string()).unwrap_or_default()
                    ),
                )
                .suggest("set a due date after the incident", None, a.span.clone());
            }
            (None, None) => {
                out.report(
                    a.span.clone(),
                    format!("action item has no due date: `{}`", clip(&a.text)),
                )
                .suggest(
                    "add a due date: `(due 2024-05-01)`",
                    None,
                    a.span.clone(),
                );
            }
            _ => {}
        }
    }
}
