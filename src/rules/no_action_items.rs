use super::{Context, Rule, Sink};
use crate::diagnostic::Severity;

pub static RULE: Rule = Rule {
    code: "PM401",
    name: "no-action-items",
    default_severity: Severity::Error,
    summary: "the corrective-actions section exists but lists no concrete item",
    docs: r#"## What it does
Reports a corrective-actions section ("Corrective and Preventative Measures", "Action
items", "Follow-ups", ...) that contains no concrete item: no list item, no table row, and no
run of short lines written as a list without bullets. A paragraph of intentions is not an
item. (A missing section is `missing-section`'s job.)

## Why it matters
A postmortem is only worth its follow-ups. Google's SRE book, PagerDuty and Atlassian all
ask for specific, owned, tracked actions; a paragraph of good intentions gets none of them.

## Example
```markdown
## Action items
We will try to be more careful with configuration changes in the future.
```
Fixed:
```markdown
## Action items
- Validate config pushes against a schema in CI (owner: platform team, due 2024-05-01, PLAT-88)
```

## Options
None.
"#,
    fix: None,
    check,
};

fn check(ctx: &Context, out: &mut Sink) {
    if !ctx.actions.items.is_empty() {
        return;
    }
    for span in &ctx.actions.sections {
        out.report(
            span.clone(),
            format!("`{}` lists no concrete action item", ctx.doc.slice(span).trim()),
        )
        .suggest(
            "list each action as an item with an owner and a due date: `- <action> (owner: <team>, due <date>)`",
            None,
            span.clone(),
        );
    }
}
