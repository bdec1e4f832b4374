use super::{Context, Rule, Sink};
use crate::diagnostic::Severity;
use crate::fix::Applicability;

pub static RULE: Rule = Rule {
    code: "PM005",
    name: "unused-suppression",
    default_severity: Severity::Warning,
    summary: "a pmlint-disable comment that suppresses nothing, or names no known rule",
    docs: r#"## What it does
Reports a suppression comment (`<!-- pmlint-disable ... -->`, `<!-- pmlint-disable-next-line
... -->`, `<!-- pmlint-disable-file ... -->`) that silenced no diagnostic, or that names a rule
pmlint does not know. Rules are named by code (`PM202`) or name (`timeline-order`); a comment
without names silences every rule. `disable-next-line` applies to the next non-blank line.

## Why it matters
A suppression outlives the problem it silenced: left behind, it will hide the next real
problem on that line. A misspelt rule name silences nothing at all.

## Example
```markdown
<!-- pmlint-disable-next-line timeline-order -->
- 10:05 UTC alert fires
```
(when line `10:05` is in order). Fixed: remove the comment.

## Options
Suppressions: `<!-- pmlint-disable RULES -->` … `<!-- pmlint-enable RULES -->`,
`<!-- pmlint-disable-next-line RULES -->`, `<!-- pmlint-disable-file RULES -->`.
"#,
    fix: Some(Applicability::Safe),
    check,
};

/// Reported by `crate::suppress::apply`, after every other rule ran.
fn check(_ctx: &Context, _out: &mut Sink) {}
