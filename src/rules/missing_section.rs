use super::{Context, Rule, Sink};
use crate::coverage;
use crate::diagnostic::Severity;
use crate::document::HeadingForm;

pub static RULE: Rule = Rule {
    code: "PM001",
    name: "missing-section",
    default_severity: Severity::Error,
    summary: "a required section (summary, impact, root cause, timeline, resolution, corrective actions) is absent",
    docs: r#"## What it does
Checks that the postmortem has every required section: by default summary, impact, root
cause, timeline, resolution and corrective actions. Headings are recognised by name in any
form (markdown `##`, setext, HTML `<h3>`, bold `**Timeline**` lines or plain `Timeline:`
lines) through an alias table: "Issue Summary", "Chronology", "How it was fixed" and
"Corrective and Preventative Measures" all count. A combined heading such as "Root Cause and
Resolution" counts for both. An `Impact: ...` line (likewise `Root cause: ...` and
`Resolution: ...`) counts as that section, and so does a summary that says who or what was
affected (users, customers, a percentage, errors, downtime): many templates put the impact in
the summary's opening paragraph.

## Why it matters
Readers of a postmortem look for these parts to learn what happened and what will change. A
write-up without a root cause or corrective actions cannot prevent the next incident.

## Example
```markdown
## Summary
The API returned 500s for 40 minutes.
## Root cause
A config push removed the database credentials.
```
Fixed: add the missing `## Impact`, `## Timeline`, `## Resolution` and `## Corrective actions`
sections (pmlint suggests each heading in the style the document already uses).

## Options
The required kinds and extra heading aliases are configurable (see `pmlint.toml`).
"#,
    check,
};

fn check(ctx: &Context, out: &mut Sink) {
    let doc = ctx.doc;
    let kinds = &ctx.config.kinds;
    let end = doc.text.len();
    let headings_only = ctx.config.headings_required();
    for &kind in &ctx.config.required {
        if coverage::locate(doc, ctx.timeline, kind, headings_only).is_some() {
            continue;
        }
        let heading = heading_like_document(ctx, kinds.title(kind));
        let also: Vec<&str> = kinds.examples(kind, 4);
        let sep = if doc.text.ends_with('\n') || doc.text.is_empty() {
            ""
        } else {
            "\n"
        };
        let (message, advice) =
            if headings_only && coverage::locate(doc, ctx.timeline, kind, false).is_some() {
                (
                    format!(
                        "required section `{}` has no heading of its own",
                        kinds.name(kind)
                    ),
                    "move what the document says about it under a section headed",
                )
            } else {
                (
                    format!("required section `{}` is missing", kinds.name(kind)),
                    "add a section headed",
                )
            };
        out.report(0..0, message).suggest(
            format!(
                "{advice} `{}` (other names such as {} also count)",
                heading.trim(),
                also.iter()
                    .map(|a| format!("\"{a}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Some(format!("{sep}\n{heading}\n\n")),
            end..end,
        );
    }
}

/// A heading for `title` in the style the document already uses.
fn heading_like_document(ctx: &Context, title: &str) -> String {
    let classified = ctx.doc.sections.iter().filter(|s| !s.kinds.is_empty());
    let style = classified.clone().next().map(|s| (s.form, s.level));
    match style {
        Some((HeadingForm::Atx | HeadingForm::Setext | HeadingForm::Html, level)) => {
            format!("{} {title}", "#".repeat(level.clamp(1, 6) as usize))
        }
        Some((HeadingForm::BoldLabel, _)) => format!("**{title}**"),
        Some((HeadingForm::PlainLabel, _)) => format!("{title}:"),
        None => format!("## {title}"),
    }
}
