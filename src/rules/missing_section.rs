use super::{Context, Rule, Sink};
use crate::coverage;
use crate::diagnostic::Severity;
use crate::document::HeadingForm;
use crate::fix::Applicability;

pub static RULE: Rule = Rule {
    code: "PM001",
    name: "missing-section",
    default_severity: Severity::Error,
    summary: "a required section (summary, impact, root cause, timeline, resolution, corrective actions) is absent",
    docs: r#"## What it does
Checks that the postmortem tells a reader every required kind of information: by default
summary, impact, root cause, timeline, resolution and corrective actions. It looks for the
information, as a reviewer does, not only for a heading:

- a heading in any form (markdown `##`, setext, HTML `<h3>`, bold `**Timeline**` lines or
  plain `Timeline:` lines), matched through an alias table ("Issue Summary", "Chronology",
  "How it was fixed", "Corrective and Preventative Measures"); a combined heading such as
  "Root Cause and Resolution" counts for both;
- a field: `Impact: ...`, `**Root cause:** ...`, `Summary: ...`, `What happened: ...`;
- prose: for the summary, the opening paragraph(s) before the first section; for the impact,
  a summary that says who or what was affected; for the root cause, a sentence that states
  it ("the root cause was ...", "caused by ..."); for the resolution, a paragraph or a
  timeline entry that says how service was restored; for the timeline, a paragraph with
  several times; for corrective actions, a paragraph or list that says what will change.

`missing-section` is for information that is nowhere.

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
The required kinds and extra heading aliases are configurable (see `pmlint.toml`). A team
that wants every kind under its own heading sets `require-headings = true` in `[sections]`;
then a kind found only in prose is reported as having "no heading of its own".
"#,
    fix: Some(Applicability::Safe),
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
        // Told in prose only: an empty heading at the end would not move it there.
        let (message, advice, skeleton) =
            if headings_only && coverage::locate(doc, ctx.timeline, kind, false).is_some() {
                (
                    format!(
                        "required section `{}` has no heading of its own",
                        kinds.name(kind)
                    ),
                    "move what the document says about it under a section headed",
                    None,
                )
            } else {
                (
                    format!("required section `{}` is missing", kinds.name(kind)),
                    "add a section headed",
                    Some(format!("{sep}\n{heading}\n\n")),
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
            skeleton,
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
