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
    fix: None,
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

fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.as_bytes()
        .get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix.as_bytes()))
}

const _: () = assert!(PLEAS.len() <= 32, "the pleas held are a u32 bit set");

/// For each byte, the pleas (bits, in list order) that start with it.
const PLEA_FIRST: [u32; 256] = {
    let mut t = [0u32; 256];
    let mut i = 0;
    while i < PLEAS.len() {
        t[PLEAS[i].as_bytes()[0] as usize] |= 1 << i;
        i += 1;
    }
    t
};

/// The first of `PLEAS`, in list order, that `text` holds in any ASCII case. One pass that
/// compares only the pleas starting with the letter at hand; no lower-cased copy.
fn plea_in(text: &str) -> Option<&'static str> {
    let bytes = text.as_bytes();
    let mut held = 0u32;
    for (i, b) in bytes.iter().enumerate() {
        let mut starting = PLEA_FIRST[b.to_ascii_lowercase() as usize] & !held;
        while starting != 0 {
            let k = starting.trailing_zeros() as usize;
            starting &= starting - 1;
            let p = PLEAS[k].as_bytes();
            if bytes[i..]
                .get(..p.len())
                .is_some_and(|w| w.eq_ignore_ascii_case(p))
            {
                held |= 1 << k;
            }
        }
    }
    (held != 0).then(|| PLEAS[held.trailing_zeros() as usize])
}

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
        // Compared ignoring ASCII case in place: the phrases are lower-case ASCII.
        let plea = plea_in(core);
        let specific = core.bytes().any(|b| b.is_ascii_digit());
        let vague = !specific
            && VAGUE_VERBS.iter().any(|v| starts_with_ignore_case(core, v))
            && core.split_whitespace().nth(4).is_none();
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

#[cfg(test)]
mod tests {
    use super::{PLEAS, plea_in};

    #[test]
    fn the_first_plea_in_list_order_in_any_case() {
        assert_eq!(plea_in("Be Careful with deploys"), Some("be careful"));
        // Both held: the list decides, not the position in the text.
        assert_eq!(
            plea_in("try harder and BE MORE CAREFUL"),
            Some("be more careful")
        );
        assert_eq!(
            plea_in("Double-check everything twice"),
            Some("double-check everything")
        );
        assert_eq!(plea_in("Alert when the pool is above 90%"), None);
        assert_eq!(plea_in("be carefu"), None);
    }

    /// The one pass agrees with a search per plea over a lower-cased copy.
    #[test]
    fn one_pass_agrees_with_a_search_per_plea() {
        let pieces = [
            "be ",
            "more ",
            "careful",
            "BE ",
            "Careful",
            "try",
            " harder",
            "do",
            " better",
            "double",
            "-check",
            " check",
            " everything",
            "x",
            "é",
            " ",
        ];
        let mut held = 0;
        for text in crate::rules::random_texts(&pieces, 5000, 6, 7u64) {
            let lower = text.to_ascii_lowercase();
            let expected = PLEAS.iter().find(|p| lower.contains(*p)).copied();
            assert_eq!(plea_in(&text), expected, "{text:?}");
            held += usize::from(expected.is_some());
        }
        assert!(held > 100, "{held}");
    }
}
