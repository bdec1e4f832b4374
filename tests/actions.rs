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
    pmlint::actions::extract(&doc, Some(2024)).items
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
