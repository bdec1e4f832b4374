use super::timeline_fix::{fixes, when};
use super::{Context, Rule, Sink};
use crate::diagnostic::Severity;
use crate::fix::Applicability;

pub static RULE: Rule = Rule {
    code: "PM202",
    name: "timeline-order",
    default_severity: Severity::Error,
    summary: "an entry out of chronological order with the entries around it",
    docs: r#"## What it does
Resolves every timeline entry to an instant (dates and zones carried from earlier entries,
day headings and the summary; a run of times that passes midnight rolls to the next day) and
reports the entries that break the order. The longest run of entries in order is kept, and
only the entries outside it are reported, so the outlier is blamed and not its neighbour.
Entries are compared at the precision both state: two entries on 2022-06-02 with unknown
times are in order. When one edit (another month or year, AM ↔ PM, day and month swapped)
would put the entry back in order, it is suggested.

## Why it matters
An entry out of order is almost always a typo in its date or time, and it corrupts every
duration computed from the timeline.

## Example
```markdown
- May 10, 2023, 10:00 AM: alert fires
- May 10, 2023, 9:15 AM: rollback complete
```
Fixed: `May 10, 2023, 11:15 AM: rollback complete` (or reorder the entries).

## Options
None.
"#,
    fix: Some(Applicability::Unsafe),
    check,
};

fn check(ctx: &Context, out: &mut Sink) {
    let tl = ctx.timeline;
    // An entry outside the window is reported once, by outside-window, naming the order too.
    let window_rule_on = super::find("PM203")
        .is_some_and(|r| super::severity_of(r, ctx.config) != crate::diagnostic::Severity::Off);
    let outside = if window_rule_on {
        super::outside_window::outside_entries(ctx)
    } else {
        Vec::new()
    };
    for (i, e) in tl.entries.iter().enumerate() {
        // `outside` is in entry order: a binary search, not a scan per outlier.
        if !tl.outlier.get(i).copied().unwrap_or(false) || outside.binary_search(&i).is_ok() {
            continue;
        }
        let (Some(at), Some(stated)) = (e.at, tl.entry_stamp(e)) else {
            continue;
        };
        let written = ctx.doc.slice(&stated.found.span);
        let (prev, next) = tl.neighbours.get(i).copied().unwrap_or_default();
        let line = |j: usize| ctx.doc.lines.line_of(tl.entries[j].span.start) + 1;
        let describe = |j: usize| when(&tl.entries[j].at.unwrap_or(at), tl.entries[j].precision);
        let message = match (prev.filter(|&j| tl.entries[j].at > Some(at)), next) {
            (Some(j), _) => format!(
                "`{written}` is earlier than the entry above it ({}, line {})",
                describe(j),
                line(j)
            ),
            (None, Some(j)) => format!(
                "`{written}` is later than the entries below it ({}, line {})",
                describe(j),
                line(j)
            ),
            (None, None) => format!("`{written}` is out of order"),
        };
        let d = out.report(stated.found.span.clone(), message);
        match fixes(ctx.doc, tl, i).into_iter().next() {
            Some(f) => {
                d.suggest(
                    format!("did you mean {}?", f.meant),
                    Some(f.replacement),
                    f.span,
                );
            }
            None => {
                d.suggest(
                    "correct the time, or move the entry to where it belongs",
                    None,
                    stated.found.span.clone(),
                );
            }
        }
    }
}
