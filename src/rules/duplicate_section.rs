use std::collections::BTreeMap;

use super::{Context, Rule, Sink};
use crate::diagnostic::Severity;
use crate::document::KindId;

pub static RULE: Rule = Rule {
    code: "PM003",
    name: "duplicate-section",
    default_severity: Severity::Warning,
    summary: "the same kind of section appears twice in separate sections",
    docs: r#"## What it does
Reports a section whose kind (summary, timeline, root cause, ...) already appeared in an
earlier, separate section, and says where the first one is. Sub-sections of a classified
section are its parts, not duplicates: an "Impact:" line inside the summary, or
"Timeline – day 2" under "Timeline", is fine, and so is a qualified title that names its
kind with more words ("Root cause identification: the five whys" and later "Root causes").
A combined heading that adds a new kind
("Root Cause and Resolution" after "Root Cause") is not reported.

## Why it matters
Two timelines or two root-cause sections drift apart as the document is edited, and readers
cannot tell which one is right.

## Example
```markdown
## Timeline
- 10:00 alert fires
## Resolution
...
## Timeline
- 10:40 rollback
```
Fixed: merge the second timeline into the first.

## Options
None.
"#,
    fix: None,
    check,
};

fn check(ctx: &Context, out: &mut Sink) {
    let doc = ctx.doc;
    let kinds = &ctx.config.kinds;
    // The first section of each kind, per parent: sections under different parents belong to
    // different parts of the file (a README around the postmortem, one part per day).
    // Ordered, not hashed: a handful of keys per document, where SipHash cost more than the rule.
    let mut first: BTreeMap<(KindId, Option<usize>), usize> = BTreeMap::new();
    for (i, section) in doc.sections.iter().enumerate() {
        // A qualified title ("Root cause identification: the five whys") is a deliberate,
        // distinct section; only sections named plainly for their kind can collide.
        if section.kinds.is_empty() || section.qualified || doc.has_classified_ancestor(i) {
            continue;
        }
        let parent = section.parent;
        let seen = |k: KindId| first.get(&(k, parent)).copied();
        if section.kinds.iter().all(|k| seen(k).is_some()) {
            let k: KindId = section.kinds.iter().next().unwrap_or(KindId::SUMMARY);
            let Some(prev) = seen(k) else {
                continue;
            };
            let prev = &doc.sections[prev];
            let line = doc.lines.line_of(prev.heading_span.start) + 1;
            out.report(
                section.heading_span.clone(),
                format!(
                    "section `{}` appears again here; the first is `{}` at line {line}",
                    kinds.name(k),
                    prev.title
                ),
            )
            .suggest(
                format!("merge this section into `{}` (line {line})", prev.title),
                None,
                section.heading_span.clone(),
            );
        } else {
            for k in section.kinds.iter() {
                first.entry((k, parent)).or_insert(i);
            }
        }
    }
}
