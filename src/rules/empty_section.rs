use super::{Context, Rule, Sink};
use crate::diagnostic::Severity;

pub static RULE: Rule = Rule {
    code: "PM002",
    name: "empty-section",
    default_severity: Severity::Warning,
    summary: "a heading with no content before the next heading of the same or higher level",
    docs: r#"## What it does
Reports a heading that has nothing under it (no paragraph, list, table or code) before the
next heading of the same or a higher level. Sub-sections with content count as content; an
HTML comment alone does not; a code block does. A section that holds only a stand-in (`-`,
`N/A`, `...`, `?`) is reported too. A closing line set as a heading ("Stay safe and happy
debugging!") is a sign-off, not an empty section.

## Why it matters
An empty section usually means a template heading the author meant to come back to. A
required section that is present but empty satisfies `missing-section` while telling the
reader nothing.

## Example
```markdown
## Root cause

## Resolution
We rolled back the deploy.
```
Fixed: write the root cause under its heading, or remove the heading.

## Options
None.
"#,
    fix: None,
    check,
};

fn check(ctx: &Context, out: &mut Sink) {
    let doc = ctx.doc;
    for section in &doc.sections {
        // A closing line set as a heading ("Stay Safe and Happy Debugging!") is a sign-off,
        // not a section waiting for content.
        let sign_off =
            section.kinds.is_empty() && section.title.trim_end().ends_with(['!', '.', '?']);
        let blocks = doc.blocks_in(section.body.clone());
        // A section that holds only a dash or `N/A` was left unfilled.
        let stand_in = blocks.first().filter(|_| blocks.len() == 1).and_then(|b| {
            let t = doc.slice(&b.span).trim();
            [
                "-", "\u{2013}", "\u{2014}", "N/A", "n/a", "...", "\u{2026}", "?",
            ]
            .contains(&t)
            .then_some(t)
        });
        if let Some(t) = stand_in {
            out.report(
                section.heading_span.clone(),
                format!("section `{}` holds only `{t}`", section.title),
            )
            .suggest(
                "write the section's content, or remove the heading",
                None,
                section.heading_span.clone(),
            );
            continue;
        }
        // Comments never become blocks, so any block is content.
        if !sign_off && blocks.is_empty() {
            out.report(
                section.heading_span.clone(),
                format!("section `{}` has no content", section.title),
            )
            .suggest(
                "write the section's content under the heading, or remove the heading",
                None,
                section.heading_span.clone(),
            );
        }
    }
}
