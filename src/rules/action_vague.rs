use super::{Context, Rule, Sink};
use crate::diagnostic::Severity;

pub static RULE: Rule = Rule {
    code: "PM404",
    name: "action-vague",
    default_severity: Severity::Info,
    summary: "an action item that is only a vague intention (\"be more careful\", \"improve monitoring\")",
    docs: r#"## What it does
Notes action items that are intentions rather than actions: pleas such as "be more careful"
or "communicate better", and short items that name only a vague verb and a broad area
("Improve monitoring", "Enhance testing") with no object, number or ticket. Raised to a
warning in the `strict` profile.

## Why it matters
"Improve monitoring" cannot be done, checked or closed. A specific action ("alert when the
connection pool is above 90% for 5 minutes") can.

## Example
```markdown
- Improve monitoring.
```
Fixed: `- Alert when connection-pool usage stays above 90% for 5 minutes (owner: @dbre)`.

## Options
None.
"#,
    check,
};

const PLEAS: &[&str] = &[
    "be more careful",
    "be careful",
    "pay more attention",
    "try harder",
    "do better",
    "communicate better",
    "be more vigilant",
    "double check",
    "double-check everything",
];

const VAGUE_VERBS: &[&str] = &[
    "improve",
    "enhance",
    "increase",
    "better",
    "strengthen",
    "review",
    "ensure",
    "monitor",
    "optimize",
    "optimise",
    "work on",
    "look into",
    "investigate",
];

fn check(ctx: &Context, out: &mut Sink) {
    for a in &ctx.actions.items {
        // The action itself, without its "(owner: ..., due ...)" bookkeeping.
        let core = a
            .text
            .split('(')
            .next()
            .unwrap_or(&a.text)
            .trim()
            .trim_end_matches('.');
        let lower = core.to_ascii_lowercase();
        let plea = PLEAS.iter().find(|p| lower.contains(*p));
        let words = lower.split_whitespace().count();
        let specific = lower.bytes().any(|b| b.is_ascii_digit());
        let vague = words <= 4 && !specific && VAGUE_VERBS.iter().any(|v| lower.starts_with(v));
        if plea.is_some() || vague {
            let why = match plea {
                Some(p) => format!("\"{p}\" is an intention, not an action"),
                None => "names an area, not an action that can be done and closed".into(),
            };
            out.report(a.span.clone(), format!("vague action item `{core}`: {why}"))
                .suggest(
                    "say what will change and how to check it is done, e.g. an alert with its threshold",
                    None,
                    a.span.clone(),
                );
        }
    }
}
