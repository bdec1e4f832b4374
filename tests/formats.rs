//! Each output format, checked by a real consumer: the SARIF 2.1.0 schema, an XML parser for
//! JUnit, and the GitHub workflow-command grammar.

use assert_cmd::Command;

fn run(args: &[&str]) -> (Option<i32>, String) {
    let out = Command::cargo_bin("pmlint")
        .expect("binary")
        .args(args)
        .output()
        .expect("runs");
    (
        out.status.code(),
        String::from_utf8(out.stdout).expect("UTF-8"),
    )
}

const INPUTS: &[&str] = &["fixtures/seed", "fixtures/real", "fixtures/rules"];

/// Parses a SARIF log and checks it against the official SARIF 2.1.0 schema.
fn valid_sarif(out: &str) -> serde_json::Value {
    // The official schema's `language` pattern has a bare `]` (a literal in ECMAScript regexes,
    // an error in Rust's): escape it, same meaning, so the schema compiles.
    let text = include_str!("schemas/sarif-schema-2.1.0.json")
        .replace("[a-zA-Z]{2}]?$", "[a-zA-Z]{2}\\\\]?$");
    let schema: serde_json::Value = serde_json::from_str(&text).expect("schema");
    let validator = jsonschema::validator_for(&schema).expect("valid schema");
    let sarif: serde_json::Value = serde_json::from_str(out).expect("JSON");
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    sarif
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let mut args = vec!["check", "--format", "sarif"];
    args.extend(INPUTS);
    let (code, out) = run(&args);
    assert_eq!(code, Some(1));
    let sarif = valid_sarif(&out);
    let run0 = &sarif["runs"][0];
    let rules = run0["tool"]["driver"]["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), pmlint::rules::RULES.len());
    assert!(
        rules[0]["helpUri"]
            .as_str()
            .expect("uri")
            .ends_with("docs/rules.md#pm001-missing-section")
    );
    let seed: Vec<&serde_json::Value> = run0["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                == "fixtures/seed/webstack-outage.txt"
        })
        .collect();
    let window = seed
        .iter()
        .find(|r| r["ruleId"] == "PM203")
        .expect("PM203 on the seed");
    assert_eq!(
        window["locations"][0]["physicalLocation"]["region"]["startLine"],
        11
    );
    assert_eq!(
        window["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"],
        "May"
    );
}

#[test]
fn junit_is_read_by_an_xml_parser() {
    let mut args = vec!["check", "--format", "junit"];
    args.extend(INPUTS);
    let (_, out) = run(&args);
    let doc = roxmltree::Document::parse(&out).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let cases: Vec<_> = root
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    let files = std::fs::read_dir("fixtures/real").expect("dir").count() - 1 // MANIFEST.tsv
        + 1
        + std::fs::read_dir("fixtures/rules").expect("dir").count();
    assert_eq!(cases.len(), files);
    let failures = root
        .descendants()
        .filter(|n| n.has_tag_name("failure"))
        .count();
    assert_eq!(
        root.attribute("failures").and_then(|f| f.parse().ok()),
        Some(failures)
    );
    let seed = cases
        .iter()
        .find(|c| c.attribute("name") == Some("fixtures/seed/webstack-outage.txt"))
        .expect("seed case");
    let failure = seed
        .children()
        .find(|n| n.has_tag_name("failure"))
        .expect("failure");
    assert_eq!(failure.attribute("message"), Some("1 error"));
    assert!(
        failure
            .text()
            .unwrap_or("")
            .contains("PM203 outside-window")
    );
    assert!(seed.children().any(|n| n.has_tag_name("system-out")));
}

/// `::error file=...,line=...,col=...,endLine=...,endColumn=...,title=...::message`
#[test]
fn github_commands_follow_the_grammar() {
    let mut args = vec!["check", "--format", "github"];
    args.extend(INPUTS);
    let (_, out) = run(&args);
    let mut seen = 0;
    for line in out.lines() {
        let rest = line.strip_prefix("::").expect("starts with ::");
        let (command, rest) = rest.split_once(' ').expect("command and properties");
        assert!(["error", "warning", "notice"].contains(&command), "{line}");
        let (props, message) = rest.split_once("::").expect("properties :: message");
        assert!(!message.contains('\r') && !message.contains('\n'));
        for prop in props.split(',') {
            let (key, value) = prop.split_once('=').expect("key=value");
            assert!(
                ["file", "line", "col", "endLine", "endColumn", "title"].contains(&key),
                "{line}"
            );
            assert!(!value.contains(':') && !value.contains(','), "{line}");
        }
        seen += 1;
    }
    assert!(seen > 50);
    assert_eq!(
        pmlint::report::escape_property("a:b,c%\n"),
        "a%3Ab%2Cc%25%0A"
    );
}

#[test]
fn output_file_is_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("report.sarif");
    let (code, out) = run(&[
        "check",
        "--format",
        "sarif",
        "-o",
        path.to_str().expect("utf8"),
        "fixtures/seed",
    ]);
    assert_eq!(code, Some(1));
    assert!(out.is_empty());
    let written: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).expect("file")).expect("JSON");
    assert_eq!(written["version"], "2.1.0");
    // The temporary file it streamed into was renamed, not left beside it.
    assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 1);

    // A missing directory is said up front, naming the output, not the temporary file.
    let missing = dir.path().join("missing/dir/report.sarif");
    let out = Command::cargo_bin("pmlint")
        .expect("binary")
        .args(["check", "--format", "sarif", "-o"])
        .arg(&missing)
        .arg("fixtures/seed")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr.trim(),
        format!(
            "pmlint: cannot write {}: its directory does not exist",
            missing.display()
        )
    );
}

/// Characters XML 1.0 forbids (U+FFFE, U+FFFF, controls) never reach the JUnit report, and
/// `--deny-warnings` makes warnings failures there as in the exit code.
#[test]
fn junit_stays_valid_and_counts_denied_warnings() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("odd.md");
    std::fs::write(
        &path,
        "# Odd\n\n## Summary\n\nUsers saw errors for an hour, count TODO, \u{FFFE} \u{FFFF} \u{1} \u{1b}[31m text.\n",
    )
    .expect("write");
    let p = path.to_str().expect("UTF-8 path");
    for deny in [false, true] {
        let mut args = vec!["check", "--format", "junit"];
        if deny {
            args.push("--deny-warnings");
        }
        args.push(p);
        let (code, out) = run(&args);
        let doc = roxmltree::Document::parse(&out).expect("well-formed XML");
        let failures: usize = doc
            .root_element()
            .attribute("failures")
            .and_then(|f| f.parse().ok())
            .expect("failures");
        assert_eq!(code, Some(1), "missing sections are errors");
        assert_eq!(failures, 1);
        let failure = doc
            .descendants()
            .find(|n| n.has_tag_name("failure"))
            .expect("failure");
        let text = failure.text().unwrap_or("");
        // With --deny-warnings the placeholder warning is part of the failure.
        assert_eq!(text.contains("PM004"), deny, "{text}");
        assert!(!out.contains('\u{FFFE}') && !out.contains('\u{FFFF}'));
    }
}

/// Terminal escapes in a document (ESC, OSC 8 links, BEL, C1 controls) never reach the human,
/// GitHub or timeline output raw: they are shown as visible symbols.
#[test]
fn terminal_escapes_are_shown_not_obeyed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("esc.md");
    std::fs::write(
        &path,
        "# Esc\n\n## Timeline\n\n- Investigation \u{1b}]8;;http://x\u{7}link\u{1b}]8;;\u{7} \u{9b}31m red\n- TODO \u{1b}[2J\n",
    )
    .expect("write");
    let p = path.to_str().expect("UTF-8 path");
    for args in [
        vec!["check", "--color", "never", p],
        vec!["check", "--format", "github", p],
        vec!["timeline", p],
    ] {
        let (_, out) = run(&args);
        assert!(
            !out.contains(['\u{1b}', '\u{7}', '\u{9b}']),
            "{args:?}: {out:?}"
        );
    }
    let (_, out) = run(&["check", "--color", "never", p]);
    assert!(out.contains('\u{241b}'), "{out}");
}

/// SARIF locations are URI references (a `#` or space in a file name is percent-encoded) and
/// the run says its columns count code points.
#[test]
fn sarif_uris_are_encoded_and_columns_declared() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("Q3 outage #2.md");
    std::fs::write(&path, "# Q3\n\n## Summary\n\nTODO\n").expect("write");
    let (_, out) = run(&["check", "--format", "sarif", path.to_str().expect("UTF-8")]);
    let sarif: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let run0 = &sarif["runs"][0];
    assert_eq!(run0["columnKind"], "unicodeCodePoints");
    let uri = run0["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        .as_str()
        .expect("uri");
    assert!(uri.ends_with("Q3%20outage%20%232.md"), "{uri}");
}

/// The streamed log is complete and valid however the run goes: no files at all, a file that
/// cannot be read (a notification, and the run marked unsuccessful), a rule past its cap.
#[test]
fn sarif_stays_valid_without_files_with_unreadable_files_and_with_capped_rules() {
    let dir = tempfile::tempdir().expect("tempdir");
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).expect("mkdir");
    let (code, out) = run(&["check", "--format", "sarif", empty.to_str().expect("UTF-8")]);
    assert_eq!(code, Some(0));
    let sarif = valid_sarif(&out);
    let run0 = &sarif["runs"][0];
    assert_eq!(run0["results"].as_array().map(Vec::len), Some(0));
    assert_eq!(run0["invocations"][0]["executionSuccessful"], true);

    let latin1 = dir.path().join("latin1.md");
    std::fs::write(&latin1, b"# Summary\n\nCaf\xe9\n").expect("write");
    let todos = dir.path().join("todos.md");
    std::fs::write(
        &todos,
        format!("# T\n\n## Summary\n\n{}", "TODO item\n".repeat(150)),
    )
    .expect("write");
    let (code, out) = run(&[
        "check",
        "--format",
        "sarif",
        latin1.to_str().expect("UTF-8"),
        todos.to_str().expect("UTF-8"),
    ]);
    assert_eq!(code, Some(2));
    let sarif = valid_sarif(&out);
    let run0 = &sarif["runs"][0];
    let invocation = &run0["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let note = &invocation["toolExecutionNotifications"][0];
    assert!(
        note["message"]["text"]
            .as_str()
            .is_some_and(|t| t.ends_with("latin1.md: not valid UTF-8 (line 3, column 4)")),
        "{note}"
    );
    let todo: Vec<&serde_json::Value> = run0["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter(|r| r["ruleId"] == "PM004")
        .collect();
    assert_eq!(todo.len(), 101);
    assert!(todo[..100].iter().all(|r| r.get("properties").is_none()));
    assert_eq!(todo[100]["properties"]["more"], 50);
    assert_eq!(
        todo[100]["locations"][0]["physicalLocation"]["region"]["startLine"],
        105
    );
}

/// `--max-per-rule`: every format shows the same capped findings, and the totals, the JUnit
/// failure count and the exit code count the ones left out.
#[test]
fn capped_findings_are_the_same_in_every_format_and_still_counted() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("todos.md");
    let good = std::fs::read_to_string("fixtures/rules/missing-section-good.md").expect("read");
    std::fs::write(
        &path,
        format!("{good}\nTODO one\nTODO two\nTODO three\nTODO four\nTODO five\n"),
    )
    .expect("write");
    let p = path.to_str().expect("UTF-8");
    let check = |format: &str, max: &str| {
        run(&[
            "check",
            "--deny-warnings",
            "--format",
            format,
            "--max-per-rule",
            max,
            p,
        ])
    };

    let (code, out) = check("json", "3");
    assert_eq!(code, Some(1));
    let json: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let diags = json["files"][0]["diagnostics"]
        .as_array()
        .expect("diagnostics");
    assert_eq!(diags.len(), 4, "{diags:#?}");
    assert!(diags[..3].iter().all(|d| d.get("more").is_none()));
    assert_eq!(diags[3]["more"], 2);
    assert_eq!(
        diags[3]["message"]
            .as_str()
            .map(|m| m.starts_with("and 2 more placeholder findings in this file")),
        Some(true)
    );
    assert_eq!(json["summary"]["warnings"], 5);

    let (_, out) = check("human", "3");
    assert!(
        out.contains("and 2 more placeholder findings in this file"),
        "{out}"
    );
    assert!(out.contains("5 warnings in 1 file"), "{out}");
    let (_, out) = check("github", "3");
    assert_eq!(out.lines().count(), 4, "{out}");
    let (_, out) = check("sarif", "3");
    assert_eq!(
        valid_sarif(&out)["runs"][0]["results"]
            .as_array()
            .map(Vec::len),
        Some(4)
    );
    let (code, out) = check("junit", "3");
    assert_eq!(code, Some(1));
    let doc = roxmltree::Document::parse(&out).expect("well-formed XML");
    let failure = doc
        .descendants()
        .find(|n| n.has_tag_name("failure"))
        .expect("failure");
    assert_eq!(failure.attribute("message"), Some("5 findings"));

    // At the limit, or with none, every finding is listed and none stands for others.
    for max in ["5", "0"] {
        let (_, out) = check("json", max);
        let json: serde_json::Value = serde_json::from_str(&out).expect("JSON");
        let diags = json["files"][0]["diagnostics"]
            .as_array()
            .expect("diagnostics");
        assert_eq!(diags.len(), 5);
        assert!(diags.iter().all(|d| d.get("more").is_none()));
    }
}
