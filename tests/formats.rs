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

#[test]
fn sarif_validates_against_the_official_schema() {
    // The official schema's `language` pattern has a bare `]` (a literal in ECMAScript regexes,
    // an error in Rust's): escape it, same meaning, so the schema compiles.
    let text = include_str!("schemas/sarif-schema-2.1.0.json")
        .replace("[a-zA-Z]{2}]?$", "[a-zA-Z]{2}\\\\]?$");
    let schema: serde_json::Value = serde_json::from_str(&text).expect("schema");
    let validator = jsonschema::validator_for(&schema).expect("valid schema");
    let mut args = vec!["check", "--format", "sarif"];
    args.extend(INPUTS);
    let (code, out) = run(&args);
    assert_eq!(code, Some(1));
    let sarif: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
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
}
