//! What a careful human reviewer would say about realistic postmortems. Each file in
//! `fixtures/reviewer/` is one behaviour, written in the styles of the real corpus, and its
//! first line states the findings a reviewer would agree with:
//! `<!-- expect: none -->` or `<!-- expect: PM205@12 PM203@20 -->` (code @ 1-based line).
//! Only errors and warnings are compared; info findings are advice a reviewer may skip.

use std::path::{Path, PathBuf};

use pmlint::{Config, Severity, lint_source};

/// The expected `(code, line)` pairs from a fixture's first line, sorted.
fn expected(path: &Path, text: &str) -> Vec<(String, usize)> {
    let first = text.lines().next().unwrap_or_default().trim();
    let list = first
        .strip_prefix("<!-- expect:")
        .and_then(|rest| rest.strip_suffix("-->"))
        .unwrap_or_else(|| {
            panic!(
                "{}: the first line must be `<!-- expect: none -->` or `<!-- expect: CODE@LINE ... -->`, found `{first}`",
                path.display()
            )
        })
        .trim();
    if list == "none" {
        return Vec::new();
    }
    let mut pairs: Vec<(String, usize)> = list
        .split_whitespace()
        .map(|item| {
            let parsed = item
                .split_once('@')
                .and_then(|(code, line)| Some((code.to_string(), line.parse().ok()?)));
            parsed.unwrap_or_else(|| {
                panic!(
                    "{}: `{item}` in the expect comment is not CODE@LINE",
                    path.display()
                )
            })
        })
        .collect();
    assert!(
        !pairs.is_empty(),
        "{}: empty expect list; write `<!-- expect: none -->`",
        path.display()
    );
    pairs.sort();
    pairs
}

/// The `(code, line)` of every error and warning pmlint reports, sorted.
fn actual(text: &str) -> Vec<(String, usize)> {
    let mut pairs: Vec<(String, usize)> = lint_source(text, &Config::default())
        .into_iter()
        .filter(|d| matches!(d.severity, Severity::Error | Severity::Warning))
        .map(|d| (d.code.to_string(), d.start.line))
        .collect();
    pairs.sort();
    pairs
}

fn show(pairs: &[(String, usize)]) -> String {
    if pairs.is_empty() {
        return "none".to_string();
    }
    pairs
        .iter()
        .map(|(code, line)| format!("{code}@{line}"))
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn reviewer_fixtures_get_exactly_the_findings_they_state() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/reviewer");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("a readable directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 20,
        "{} holds {} fixtures; expected at least 20",
        dir.display(),
        files.len()
    );

    // Check every file before failing, so one run lists all the disagreements.
    let mut failures = Vec::new();
    for path in &files {
        let text =
            std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let want = expected(path, &text);
        let got = actual(&text);
        if want != got {
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            failures.push(format!(
                "{name}:\n    expected: {}\n    pmlint:   {}",
                show(&want),
                show(&got)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} reviewer fixtures disagree with pmlint:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}
