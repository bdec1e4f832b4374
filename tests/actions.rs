//! Action items: extraction, the strict profile, and `pmlint actions`.

use std::path::Path;

use assert_cmd::Command;
use pmlint::{Config, Profile, Severity, lint_source};

fn fixture(rel: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn extract(rel: &str) -> Vec<pmlint::actions::ActionItem> {
    let text = fixture(rel);
    let doc = pmlint::parse::parse(&text, &Config::default().kinds);
    pmlint::actions::extract(&doc, chrono::NaiveDate::from_ymd_opt(2024, 1, 1)).items
}

fn strict() -> Config {
    Config {
        profile: Profile::Strict,
        ..Config::default()
    }
}

#[test]
fn seed_measures_are_all_extracted() {
    let items = extract("seed/webstack-outage.txt");
    assert_eq!(items.len(), 8, "{items:#?}");
    assert!(items[0].text.starts_with("Perform a comprehensive review"));
    assert!(items[5].text.starts_with("Update the system documentation"));
    assert!(
        items
            .iter()
            .all(|i| i.owner.is_none() && i.due.is_none() && i.status == "open")
    );
}

#[test]
fn tables_give_owner_due_ticket_and_type() {
    let items = extract("timeline/professional.md");
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].text, "Pin SDK timeouts explicitly");
    assert_eq!(items[0].owner.as_deref(), Some("payments"));
    assert_eq!(
        items[0].due.map(|d| d.to_string()).as_deref(),
        Some("2025-10-01")
    );
    assert_eq!(items[0].ticket.as_deref(), Some("PAY-311"));
    assert_eq!(items[0].kind.as_deref(), Some("prevent"));
}

#[test]
fn inline_owner_due_and_task_status() {
    let items = extract("rules/action-owner-good.md");
    assert_eq!(items[1].status, "done");
    let items = extract("rules/action-due-good.md");
    assert_eq!(items[0].owner.as_deref(), Some("@cache-team"));
    assert_eq!(
        items[1].due.map(|d| d.to_string()).as_deref(),
        Some("2024-06-15")
    );
}

#[test]
fn professional_fixtures_pass_strict() {
    for rel in ["timeline/professional.md", "timeline/table.md"] {
        let diags = lint_source(&fixture(rel), &strict());
        let errors: Vec<_> = diags
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        assert!(errors.is_empty(), "{rel}: {errors:#?}");
    }
}

#[test]
fn real_reports_without_owners_fail_strict_but_not_by_default() {
    for rel in [
        "real/01-rebecca-lb-outage.md",
        "real/44-dfds-coredns.md",
        "seed/webstack-outage.txt",
    ] {
        let text = fixture(rel);
        let default = lint_source(&text, &Config::default());
        assert!(
            default
                .iter()
                .all(|d| d.code != "PM402" && d.code != "PM403"),
            "{rel}"
        );
        let strict = lint_source(&text, &strict());
        assert!(
            strict
                .iter()
                .any(|d| d.code == "PM402" && d.severity == Severity::Error),
            "{rel}"
        );
    }
    let mut cmd = Command::cargo_bin("pmlint").expect("binary");
    cmd.args([
        "check",
        "--profile",
        "strict",
        "fixtures/real/44-dfds-coredns.md",
    ]);
    cmd.assert().code(1);
}

#[test]
fn actions_command_json_shape() {
    let out = Command::cargo_bin("pmlint")
        .expect("binary")
        .args([
            "actions",
            "--format",
            "json",
            "fixtures/timeline/professional.md",
            "fixtures/seed",
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let actions = json["actions"].as_array().expect("actions");
    assert_eq!(actions.len(), 10);
    let first = &actions[0];
    assert_eq!(first["path"], "fixtures/timeline/professional.md");
    assert_eq!(first["line"], 61);
    assert_eq!(first["owner"], "payments");
    assert_eq!(first["due"], "2025-10-01");
    assert_eq!(first["ticket"], "PAY-311");
    assert_eq!(first["type"], "prevent");
    assert_eq!(first["status"], "open");
    assert_eq!(actions[2]["owner"], serde_json::Value::Null);
}

/// The items of a fixture, with due dates read against its own incident date (as `check` and
/// `pmlint actions` read them).
fn extract_as_linted(rel: &str) -> Vec<pmlint::actions::ActionItem> {
    let text = fixture(rel);
    let config = Config::default();
    let doc = pmlint::parse::parse(&text, &config.kinds);
    let tl = pmlint::timeline::build(&doc, &config);
    pmlint::actions::extract(&doc, pmlint::actions::incident_date(&tl)).items
}

fn dues(items: &[pmlint::actions::ActionItem]) -> Vec<String> {
    items
        .iter()
        .map(|i| {
            i.due
                .map(|d| d.to_string())
                .or_else(|| i.due_text.clone())
                .unwrap_or_default()
        })
        .collect()
}

#[test]
fn due_dates_keep_their_year_after_a_colon() {
    // Incident on 2023-12-05. `due: Jan 10` (no year) is the next January 10, `by Dec 20`
    // the one after the incident in the same year.
    let items = extract_as_linted("actions/due-dates-good.md");
    assert_eq!(
        dues(&items),
        [
            "2025-02-01",
            "2024-01-10",
            "2024-01-10",
            "2024-03-01",
            "2023-12-20"
        ]
    );
    // A stated year stands even when it puts the date before the incident.
    let items = extract_as_linted("actions/due-dates-bad.md");
    assert_eq!(dues(&items), ["2023-11-01", "2024-01-10"]);
}

#[test]
fn strict_reports_only_due_dates_really_before_the_incident() {
    let due = |rel: &str| -> Vec<(usize, String)> {
        lint_source(&fixture(rel), &strict())
            .into_iter()
            .filter(|d| d.code == "PM403")
            .map(|d| (d.start.line, d.message))
            .collect()
    };
    assert_eq!(due("actions/due-dates-good.md"), []);
    assert_eq!(
        due("actions/due-dates-bad.md"),
        [(
            24,
            "action item is due 2023-11-01, before the incident began (2023-12-05)".to_string()
        )]
    );
    // The real report whose `Deadline: January 10, 2024` was read as 2023-01-10: only its
    // two improvements without a deadline remain.
    let lines: Vec<usize> = due("real/01-rebecca-lb-outage.md")
        .into_iter()
        .map(|(line, message)| {
            assert!(message.contains("has no due date"), "{message}");
            line
        })
        .collect();
    assert_eq!(lines, [52, 53]);
}

#[test]
fn label_lines_belong_to_the_item_above() {
    let items = extract_as_linted("actions/label-lines.md");
    let texts: Vec<&str> = items.iter().map(|i| i.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "Task: Validate credentials before a deploy goes out",
            "Task: Alert on checkout errors above 1%",
            "Task: Rehearse the rollback with the on-call team",
            // `Status page:` is not a status: this bullet is an action of its own.
            "Status page: post a banner while checkout fails (owner: @support, due 2024-01-15)",
        ]
    );
    let owners: Vec<Option<&str>> = items.iter().map(|i| i.owner.as_deref()).collect();
    assert_eq!(
        owners,
        [Some("@payments"), Some("@sre"), None, Some("@support")]
    );
    assert_eq!(
        dues(&items),
        ["2024-01-10", "2024-01-10", "2024-02-01", "2024-01-15"]
    );
    assert_eq!(items[1].ticket.as_deref(), Some("SRE-42"));
    // The span stays the item's first line, where diagnostics point.
    assert!(
        items
            .iter()
            .all(|i| !fixture("actions/label-lines.md")[i.span.clone()].contains('\n'))
    );

    // The same, written as plain lines, one paragraph an item.
    let items = extract_as_linted("actions/label-lines.txt");
    assert_eq!(items.len(), 3, "{items:#?}");
    assert_eq!(dues(&items), ["2024-01-10", "2024-01-10", "2025-02-01"]);
    assert_eq!(items[1].ticket.as_deref(), Some("SRE-42"));
    assert_eq!(items[1].status, "done");
    assert_eq!(items[2].owner.as_deref(), Some("@sre"));
}

#[test]
fn action_lines_without_labels_stay_separate_items() {
    // Capitalised action lines and a first line that is a label start items of their own.
    let text = "# Outage\n\n## Action items\n\nOwner: @sre\nAdd an alert on pool saturation\n\
                Deadline review of every pool setting\nStatus page banner for long outages\n";
    let doc = pmlint::parse::parse(text, &Config::default().kinds);
    let items = pmlint::actions::extract(&doc, None).items;
    let texts: Vec<&str> = items.iter().map(|i| i.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "Owner: @sre",
            "Add an alert on pool saturation",
            "Deadline review of every pool setting",
            "Status page banner for long outages",
        ]
    );
}

#[test]
fn actions_command_shows_one_item_with_its_deadline() {
    let out = Command::cargo_bin("pmlint")
        .expect("binary")
        .args([
            "actions",
            "--format",
            "json",
            "fixtures/actions/label-lines.txt",
            "fixtures/real/01-rebecca-lb-outage.md",
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let actions = json["actions"].as_array().expect("actions");
    let rows: Vec<(u64, &str)> = actions
        .iter()
        .map(|a| {
            (
                a["line"].as_u64().unwrap_or_default(),
                a["due"].as_str().unwrap_or("-"),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (17, "2024-01-10"),
            (21, "2024-01-10"),
            (26, "2025-02-01"),
            (52, "-"),
            (53, "-"),
            (58, "2023-12-22"),
            (62, "2023-12-20"),
            (66, "2023-12-21"),
            (70, "2024-01-10"),
        ]
    );
    assert_eq!(actions[0]["owner"], "@payments");
    assert_eq!(actions[1]["ticket"], "SRE-42");
    assert_eq!(actions[1]["status"], "done");
}
