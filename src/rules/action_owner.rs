use super::{Context, Rule, Sink};
use crate::diagnostic::Severity;

pub static RULE: Rule = Rule {
    code: "PM402",
    name: "action-owner",
    default_severity: Severity::Off,
    summary: "an action item with no owner (on in the `strict` profile)",
    docs: r#"## What it does
Reports an action item that names no owner: no Owner column, no `owner: X`, no `@name`, no
`(X team)`. Off by default; the `strict` profile turns it on as an error.

## Why it matters
An action without an owner is an action nobody does. Every major postmortem practice asks
that each follow-up be owned.

## Example
```markdown
- Add an alert on connection-pool saturation
```
Fixed: `- Add an alert on connection-pool saturation (owner: @dbre, due 2024-05-01)`.

## Options
Enable with `--profile strict`.
"#,
    fix: None,
    check,
};

fn check(ctx: &Context, out: &mut Sink) {
    for a in &ctx.actions.items {
        if a.owner.is_none() && a.status != "done" {
            out.report(
                a.span.clone(),
                format!("action item has no owner: `{}`", clip(&a.text)),
            )
            .suggest(
                "name an owner: `(owner: <team or @person>)`",
                None,
                a.span.clone(),
            );
        }
    }
}

pub fn clip(text: &str) -> String {
    if text.chars().count() <= 60 {
        return text.to_string();
    }
    let cut: String = text.chars().take(60).collect();
    format!("{}…", cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a))
}
