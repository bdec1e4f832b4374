//! `pmlint stats` as users run it. The figures of three documents were worked out by hand
//! from the documents themselves (noted beside each assertion), not copied from pmlint.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::{Value, json};

fn pmlint() -> Command {
    let mut cmd = Command::cargo_bin("pmlint").expect("binary built");
    cmd.env_remove("NO_COLOR").env("CLICOLOR_FORCE", "0");
    cmd
}

/// The three hand-checked documents, plus one that cannot be read and one with no times, in a
/// fresh folder.
fn archive() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let copy = |from: &str, to: &str| {
        fs::copy(from, dir.path().join(to)).expect("copy fixture");
    };
    copy("fixtures/real/01-rebecca-lb-outage.md", "a-lb-outage.md");
    copy("fixtures/stats/sev1-checkout.md", "b-checkout.md");
    copy("fixtures/seed/webstack-outage.txt", "c-webstack.txt");
    fs::write(dir.path().join("d-binary.md"), b"# Outage\n\xff\xfe\n").expect("write");
    fs::write(
        dir.path().join("e-no-times.md"),
        "# Outage\n\n## Summary\n\nThe site was down.\n\n## Timeline\n\nWe do not know when.\n",
    )
    .expect("write");
    dir
}

fn stats_json(dir: &Path, by: &str) -> Value {
    let out = pmlint()
        .current_dir(dir)
        .args([
            "stats",
            "--no-config",
            "--format",
            "json",
            "--today",
            "2026-11-26",
            "--by",
            by,
        ])
        .output()
        .expect("ran");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

fn incident<'a>(stats: &'a Value, path: &str) -> &'a Value {
    stats["incidents"]
        .as_array()
        .and_then(|l| l.iter().find(|i| i["path"] == path))
        .unwrap_or_else(|| panic!("no incident {path} in {stats}"))
}

#[test]
fn three_documents_give_the_figures_worked_out_by_hand() {
    let dir = archive();
    let s = stats_json(dir.path(), "month");
    assert_eq!(s["version"], 1);

    // Start 10:45, end 1:30 PM UTC (the Start/End Time fields): 165 min. "Issue Detected" at
    // 10:45 is the start; nothing says mitigated; resolved at the end. Six tasks, none
    // done; the four with deadlines (Dec 20, 21, 22 2023, Jan 10 2024) are all overdue.
    let a = incident(&s, "a-lb-outage.md");
    assert_eq!(a["start"], "2023-12-18T10:45:00Z");
    assert_eq!(a["duration_minutes"], 165);
    assert_eq!(a["time_to_detect_minutes"], 0);
    assert_eq!(a["time_to_mitigate_minutes"], Value::Null);
    assert_eq!(a["time_to_resolve_minutes"], 165);
    assert_eq!(
        (a["actions"].clone(), a["actions_done"].clone()),
        (json!(6), json!(0))
    );
    assert_eq!(a["overdue"][0]["due"], "2023-12-20");
    assert_eq!(a["overdue"][0]["days_overdue"], 1072);
    assert_eq!(a["overdue"].as_array().map(Vec::len), Some(4));

    // 09:00 start, alert 09:12, "mitigated" 09:40, resolved 10:30; SEV-1; two services;
    // three actions, one ticked; only the one due 2024-04-01 is open and past due (969 days
    // before 2026-11-26); it passes check.
    let b = incident(&s, "b-checkout.md");
    assert_eq!(b["duration_minutes"], 90);
    assert_eq!(b["time_to_detect_minutes"], 12);
    assert_eq!(b["time_to_mitigate_minutes"], 40);
    assert_eq!(b["time_to_resolve_minutes"], 90);
    assert_eq!(b["severity"], "SEV-1");
    assert_eq!(b["services"], json!(["checkout", "payments"]));
    assert_eq!(
        (b["actions"].clone(), b["actions_done"].clone()),
        (json!(3), json!(1))
    );
    assert_eq!(b["overdue"][0]["days_overdue"], 969);
    assert_eq!(b["passes_check"], true);

    // The seed: May 8 10:00 to May 11 02:00 UTC is 64 h = 3840 min; its detection entry is
    // the June 10 typo, which pmlint flags, so time to detect is unknown (not 0); it fails
    // check with that one error and four untimed entries.
    let c = incident(&s, "c-webstack.txt");
    assert_eq!(c["duration_minutes"], 3840);
    assert_eq!(c["time_to_detect_minutes"], Value::Null);
    assert_eq!(c["time_to_resolve_minutes"], 3840);
    assert_eq!(c["passes_check"], false);
    assert_eq!(
        (c["errors"].clone(), c["warnings"].clone()),
        (json!(1), json!(4))
    );

    // Together: time to resolve 90, 165, 3840 → median 165, p90 at rank 1.8 = 165 + 0.8 *
    // 3675 = 3105; one of three has no time to detect.
    let t = &s["total"];
    assert_eq!(t["incidents"], 3);
    assert_eq!(t["time_to_resolve"]["median"], 165.0);
    assert_eq!(t["time_to_resolve"]["p90"], 3105.0);
    assert_eq!(t["time_to_detect"]["missing"], 1);
    assert_eq!(t["passing"], 2);

    // Never silently dropped: the unreadable file and the one without times, with why.
    let why: Vec<(String, String)> = s["unusable"]
        .as_array()
        .map(|l| {
            l.iter()
                .map(|u| {
                    (
                        u["path"].as_str().unwrap_or("").into(),
                        u["why"].as_str().unwrap_or("").into(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(why.len(), 2, "{why:?}");
    assert!(why[0].0 == "d-binary.md" && why[0].1.contains("not valid UTF-8"));
    assert!(why[1].0 == "e-no-times.md" && why[1].1.contains("no resolvable incident window"));

    // By month: one group a month, oldest first.
    let keys: Vec<&str> = s["groups"]
        .as_array()
        .map(|g| g.iter().filter_map(|g| g["key"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(keys, ["2023-05", "2023-12", "2024-03"]);
}

#[test]
fn groups_by_severity_and_service_put_the_incidents_without_one_last() {
    let dir = archive();
    let keys = |s: &Value| -> Vec<(String, u64)> {
        s["groups"]
            .as_array()
            .map(|g| {
                g.iter()
                    .map(|g| {
                        (
                            g["key"].as_str().unwrap_or("").into(),
                            g["incidents"].as_u64().unwrap_or(0),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let sev = stats_json(dir.path(), "severity");
    assert_eq!(keys(&sev), [("SEV-1".into(), 1), ("(none)".into(), 2)]);
    let svc = stats_json(dir.path(), "service");
    assert_eq!(
        keys(&svc),
        [
            ("checkout".into(), 1),
            ("payments".into(), 1),
            ("(none)".into(), 2)
        ]
    );
    let quarter = stats_json(dir.path(), "quarter");
    assert_eq!(keys(&quarter)[2], ("2024-Q1".into(), 1));
}

#[test]
fn the_table_and_csv_show_the_same_figures() {
    let dir = archive();
    pmlint()
        .current_dir(dir.path())
        .args([
            "stats",
            "--no-config",
            "--today",
            "2026-11-26",
            "--by",
            "year",
        ])
        .assert()
        .success()
        .stdout(predicate::str::is_match(r"(?m)^all +3 +6 min / 11 min ").expect("regex"))
        .stdout(predicate::str::contains("2 h 45 min / 2 d 3 h"))
        .stdout(predicate::str::contains("Not counted (2):"))
        .stdout(predicate::str::contains("d-binary.md: not valid UTF-8"));
    let out = pmlint()
        .current_dir(dir.path())
        .args([
            "stats",
            "--no-config",
            "--format",
            "csv",
            "--today",
            "2026-11-26",
        ])
        .output()
        .expect("ran");
    let csv = String::from_utf8(out.stdout).expect("utf-8");
    let mut lines = csv.lines();
    assert!(
        lines
            .next()
            .is_some_and(|h| h.starts_with("path,title,start,end,duration_minutes,"))
    );
    let b = csv
        .lines()
        .find(|l| l.starts_with("b-checkout.md,"))
        .unwrap_or_default();
    assert!(
        b.contains(",90,12,40,90,SEV-1,checkout; payments,3,1,1,true,0,0"),
        "{b}"
    );
    assert_eq!(csv.lines().count(), 4);
}

#[test]
fn the_html_page_is_written_atomically_next_to_the_report() {
    let dir = archive();
    let page = dir.path().join("report.html");
    pmlint()
        .current_dir(dir.path())
        .args([
            "stats",
            "--no-config",
            "--today",
            "2026-11-26",
            "--html",
            "report.html",
        ])
        .assert()
        .success();
    let html = fs::read_to_string(&page).expect("page written");
    assert!(html.contains("<svg") && html.contains("<a href=\"b-checkout.md\">"));
    assert!(
        !html.contains("<base"),
        "same directory: links need no base"
    );
    // Written elsewhere, the links still lead to the files: a base back to the run's directory.
    fs::create_dir(dir.path().join("reports")).expect("mkdir");
    pmlint()
        .current_dir(dir.path())
        .args([
            "stats",
            "--no-config",
            "--today",
            "2026-11-26",
            "--html",
            "reports/r.html",
            ".",
        ])
        .assert()
        .success();
    let html = fs::read_to_string(dir.path().join("reports/r.html")).expect("page written");
    assert!(html.contains("<base href=\"../\">"), "no base in the page");
}
