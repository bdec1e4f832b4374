//! Hostile input: nothing a user can write makes pmlint panic, hang or blow up. These tests
//! assert results, not timings (the benchmark measures speed); a quadratic step shows up
//! here as a test that never finishes.

use pmlint::{Config, lint_source};

fn lint(text: &str) -> Vec<pmlint::Diagnostic> {
    lint_source(text, &Config::default())
}

#[test]
fn ten_megabyte_line() {
    let line = "lots of words without any markers in them ".repeat(250_000);
    let text = format!("# Summary\n\n{line} TODO\n");
    let diags = lint(&text);
    let todo: Vec<_> = diags.iter().filter(|d| d.code == "PM004").collect();
    assert_eq!(todo.len(), 1);
    assert_eq!(todo[0].start.line, 3);
    assert_eq!(todo[0].start.column, line.chars().count() + 2);
}

#[test]
fn lines_full_of_brackets_and_tags() {
    let text = format!(
        "# Summary\n\n{}\n{}\n{}\n{}\n",
        "<a".repeat(200_000),
        "{".repeat(200_000),
        "[".repeat(200_000),
        "**x:".repeat(100_000)
    );
    let diags = lint(&text);
    assert!(
        // Only what the document lacks: sections, and an incident window.
        diags.iter().all(|d| matches!(d.code, "PM001" | "PM304")),
        "{:?}",
        &diags[..diags.len().min(3)]
    );
}

#[test]
fn hundred_thousand_timeline_entries() {
    let mut text = String::from("## Timeline\n\n");
    for i in 0..100_000 {
        text.push_str(&format!("- 10:{:02} UTC event {i}\n", i % 60));
    }
    let diags = lint(&text);
    let missing: Vec<&str> = diags
        .iter()
        .filter(|d| d.code == "PM001")
        .map(|d| d.message.as_str())
        .collect();
    assert!(!missing.iter().any(|m| m.contains("`timeline`")));
    assert_eq!(missing.len(), 5);
}

#[test]
fn hundred_thousand_headings_and_labels() {
    let mut text = String::new();
    for i in 0..50_000 {
        text.push_str(&format!(
            "## Timeline {i}\n\nx\n\nLabel {}:\nvalue\n\n",
            i % 7
        ));
    }
    let diags = lint(&text);
    assert!(diags.iter().any(|d| d.code == "PM001"));
}

#[test]
fn deep_nesting() {
    let quotes = format!("{} deep\n", ">".repeat(50_000));
    lint(&quotes);
    let mut lists = String::new();
    for i in 0..2_000 {
        lists.push_str(&"  ".repeat(i));
        lists.push_str("- Impact: x\n");
    }
    lint(&lists);
    let html = "<div>".repeat(100_000);
    lint(&html);
}

#[test]
fn odd_bytes_and_line_endings() {
    for text in [
        "",
        "\u{feff}",
        "\r\n\r\n",
        "\r",
        "#",
        "---\n",
        "---\nkey: [unclosed\n---\n# Summary\n",
        "+++\n= broken\n+++\n",
        "\u{0}\u{1}\u{7f}",
        "Timeline:\n\u{301}\u{301}:\n",
        "é:é:é:é",
        "**",
        "<h1>",
        "| a |\n|---|\n| é |",
    ] {
        for d in lint(text) {
            assert!(d.start.line >= 1 && d.start.column >= 1);
        }
    }
}

#[test]
fn huge_front_matter_values() {
    let text = format!(
        "---\ntitle: {}\nstart: 99999-99-99T99:99+99:99\n---\n# Summary\n",
        "x".repeat(1_000_000)
    );
    lint(&text);
    let nested = format!(
        "---\na: {}{}\n---\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    lint(&nested);
}

/// Thousands of disable/enable pairs (one sorted sweep, not a scan per pair) still suppress
/// exactly what they cover, and none is reported unused.
#[test]
fn many_suppression_pairs_each_cover_their_line() {
    let mut text = String::from("# T\n\n## Summary\n\ntext\n\n");
    for _ in 0..5_000 {
        text.push_str("<!-- pmlint-disable PM004 -->\nTODO here\n<!-- pmlint-enable PM004 -->\n");
    }
    text.push_str("\nTODO left out\n");
    let diags = lint(&text);
    let placeholders = diags.iter().filter(|d| d.code == "PM004").count();
    assert_eq!(placeholders, 1, "only the unsuppressed TODO");
    assert!(diags.iter().all(|d| d.code != "PM005"));
}

/// Action items built to be slow: a 1 MB item of "by"s and "due"s (one date scan per item,
/// not one per cue), 100,000 sub-items under one item (no search back for the parent) and
/// 30,000 `Task:`/`Deadline:` pairs, checked whole (100,000 are timed in release, not here).
#[test]
fn action_items_full_of_cues_and_labels() {
    let head = "# T\n\n## Summary\n\nStart: 2023-12-05 10:00 UTC\nEnd: 2023-12-05 11:00 UTC\n\n\
                ## Action items\n\n";
    let due = |items: &[pmlint::actions::ActionItem]| -> Vec<Option<String>> {
        items.iter().map(|i| i.due.map(|d| d.to_string())).collect()
    };
    for (cue, want) in [
        ("by 1 ", None),
        ("due 1 ", None),
        ("due: x, ", None),
        // The first December 4 after the incident.
        ("by Dec 4 ", Some("2024-12-04".to_string())),
    ] {
        let text = format!("{head}- Fix it {}\n", cue.repeat(200_000));
        assert_eq!(due(&items_of(&text)), [want], "{cue}");
    }

    let mut nested = format!("{head}- Fix it\n");
    for i in 0..100_000 {
        nested.push_str(&format!("  - detail {i}\n"));
    }
    nested.push_str("  - Deadline: Jan 10\n");
    assert_eq!(due(&items_of(&nested)), [Some("2024-01-10".to_string())]);

    // Checked whole, in the strict profile: every pair is one item, with an owner missing and
    // a due date that is not before the incident.
    let mut pairs = head.to_string();
    for i in 0..30_000 {
        pairs.push_str(&format!("Task: fix thing {i}\nDeadline: Jan 10, 2024\n"));
    }
    let strict = pmlint::Config {
        profile: pmlint::Profile::Strict,
        max_per_rule: 0,
        ..Config::default()
    };
    let diags = lint_source(&pairs, &strict);
    let count = |code: &str| diags.iter().filter(|d| d.code == code).count();
    assert_eq!((count("PM402"), count("PM403")), (30_000, 0));
}

fn items_of(text: &str) -> Vec<pmlint::actions::ActionItem> {
    let config = Config::default();
    let doc = pmlint::parse::parse(text, &config.kinds);
    let tl = pmlint::timeline::build(&doc, &config);
    pmlint::actions::extract(&doc, pmlint::actions::incident_date(&tl)).items
}

/// A line of 100,000 TODOs in table cells: each is checked for being a status cell by the
/// markup around it and the line's first `|` (found once), not by rescanning the line.
#[test]
fn a_line_of_table_cells_full_of_todos() {
    let text = format!("# T\n\n## Summary\n\n{}|\n", "| TODO x ".repeat(100_000));
    let all = lint_source(
        &text,
        &Config {
            max_per_rule: 0,
            ..Config::default()
        },
    );
    let todo: Vec<_> = all.iter().filter(|d| d.code == "PM004").collect();
    assert_eq!(todo.len(), 100_000);
    assert_eq!(todo[99_999].start.column, 9 * 99_999 + 3);
    // By default the first 100 are listed and one more stands for the rest.
    let capped: Vec<_> = lint(&text)
        .into_iter()
        .filter(|d| d.code == "PM004")
        .collect();
    assert_eq!(capped.len(), 101);
    assert_eq!(capped[100].more, 99_900);
    assert_eq!(capped[100].start.column, 9 * 100 + 3);
}

/// 50,000 unreadable stamps with `TBA` in them: each marker is looked up among the unreadable
/// entries by binary search (it belongs to `timeline-unreadable`, not `placeholder`).
#[test]
fn many_unreadable_stamps_with_markers() {
    let mut text = String::from("# T\n\n## Timeline\n\n");
    for i in 0..50_000 {
        text.push_str(&format!("- 2022-02-?? ??:?? TBA deploy {i}\n"));
    }
    text.push_str("\n## Summary\n\nTBA\n");
    let diags = lint(&text);
    let placeholders: Vec<_> = diags.iter().filter(|d| d.code == "PM004").collect();
    assert_eq!(placeholders.len(), 1, "only the TBA outside the timeline");
    assert_eq!(placeholders[0].start.line, 50_008);
    let unreadable: usize = diags
        .iter()
        .filter(|d| d.code == "PM210")
        .map(|d| d.findings())
        .sum();
    assert_eq!(unreadable, 50_000);
}

/// 50,000 unused suppressions on one line are positioned in one pass, not each by counting
/// the line's characters from its start.
#[test]
fn a_line_of_unused_suppressions() {
    let text = format!(
        "# T\n\n## Summary\n\nx {}\n",
        "<!-- pmlint-disable PM202 --> ".repeat(50_000)
    );
    let all = lint_source(
        &text,
        &Config {
            max_per_rule: 0,
            ..Config::default()
        },
    );
    let unused: Vec<_> = all.iter().filter(|d| d.code == "PM005").collect();
    assert_eq!(unused.len(), 50_000);
    let last = unused[49_999];
    assert_eq!((last.start.line, last.start.column), (5, 3 + 49_999 * 30));
    assert_eq!(last.end.column, last.start.column + 29);
}

/// Many `disable-next-line` comments on one line before a long blank run (found by the
/// `suppress` fuzz target's review): each used to scan the run for its target line, 5,000 ×
/// 200,000 lines. The target is found once; the first comment is used, the rest unused.
#[test]
fn many_next_line_comments_before_blank_lines() {
    let text = format!(
        "# T\n\n## Summary\n\na {}\n{}TODO here\n",
        "<!-- pmlint-disable-next-line -->".repeat(5_000),
        "\n".repeat(200_000)
    );
    let diags = lint(&text);
    assert!(
        diags.iter().all(|d| d.code != "PM004"),
        "the TODO is covered"
    );
    let unused: usize = diags
        .iter()
        .filter(|d| d.code == "PM005")
        .map(|d| d.findings())
        .sum();
    assert_eq!(unused, 4_999);
}

/// Thousands of `disable-next-line` comments naming another rule, over a line with thousands
/// of findings: each finding is looked up by line and rule, not matched against every comment.
#[test]
fn many_next_line_comments_over_many_findings() {
    let todos = "TODO ".repeat(20_000);
    let text = format!(
        "# T\n\n## Summary\n\na {}\n{todos}\n",
        "<!-- pmlint-disable-next-line PM001 -->".repeat(5_000),
    );
    let diags = lint(&text);
    let count = |ds: &[pmlint::Diagnostic]| {
        ds.iter()
            .filter(|d| d.code == "PM004")
            .map(|d| d.findings())
            .sum::<usize>()
    };
    let without = lint(&format!("# T\n\n## Summary\n\na\n{todos}\n"));
    assert!(count(&without) > 0);
    assert_eq!(
        count(&diags),
        count(&without),
        "none of the TODOs is covered"
    );
    let unused: usize = diags
        .iter()
        .filter(|d| d.code == "PM005")
        .map(|d| d.findings())
        .sum();
    assert_eq!(unused, 5_000);
}

#[test]
fn many_entries_outside_the_window_and_out_of_order() {
    // Every other entry a month late: each is outside the window and breaks the order.
    let mut text = String::from(
        "# Summary\n\n**Start:** 2024-05-08 10:00 UTC\n**End:** 2024-05-08 11:00 UTC\n\n## Timeline\n\n",
    );
    let n = 40_000;
    for i in 0..n {
        let month = if i % 2 == 1 { 6 } else { 5 };
        text.push_str(&format!(
            "- 2024-{month:02}-08 10:{:02} UTC event {i}\n",
            i % 60
        ));
    }
    let diags = lint(&text);
    let count = |code: &str| diags.iter().filter(|d| d.code == code).count();
    // Each late entry is reported once, by outside-window, not again as out of order.
    assert!(count("PM203") > 0, "{:?}", &diags[..diags.len().min(3)]);
    let lines = |code: &str| -> std::collections::HashSet<usize> {
        diags
            .iter()
            .filter(|d| d.code == code)
            .map(|d| d.start.line)
            .collect()
    };
    assert!(lines("PM203").is_disjoint(&lines("PM202")));
}
