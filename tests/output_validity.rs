//! Every output format stays valid, and no document can forge or steer it, whatever the
//! document holds: C0 and C1 controls (ESC sequences, OSC 8 links, NUL, BEL), U+FFFE and
//! U+FFFF, line and paragraph separators, bidirectional overrides, lone CRs. Each format is read
//! by a real consumer (serde_json, the SARIF schema, an XML parser, the csv crate) or checked
//! against its grammar (GitHub workflow commands, Mermaid lines); text formats for a terminal
//! must carry no raw control character but the line feed.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// Characters that must never reach text meant for a terminal or a line-oriented consumer:
/// controls (C0 but `\n` and `\t`, DEL, C1), line and paragraph separators, and the
/// bidirectional embeddings, overrides and isolates ("Trojan Source").
fn forbidden(c: char) -> bool {
    (c.is_control() && !matches!(c, '\n' | '\t'))
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn assert_clean(what: &str, out: &str) {
    if let Some((i, c)) = out.char_indices().find(|(_, c)| forbidden(*c)) {
        let from = out.floor_char_boundary(i.saturating_sub(60));
        panic!(
            "{what}: raw U+{:04X} at byte {i}: {:?}",
            c as u32,
            &out[from..out.ceil_char_boundary(i + 20)]
        );
    }
}

/// The hostile lines: each holds something a rule reports (a placeholder, an entry out of
/// order, an action without an owner), so the hostile text reaches messages and rows.
const LINES: &[&str] = &[
    "# Outage \u{1b}[31mred\u{1b}[0m title \u{202E}txt.exe",
    "",
    "## Summary",
    "",
    "TODO \u{1b}]8;;http://evil.example\u{7}click me\u{1b}]8;;\u{7} then \u{9b}31m C1 CSI, \u{FFFE}\u{FFFF} nonchars, NUL \u{0} and \u{85} NEL",
    "Users saw errors \u{2028}forged line\u{2029} \u{202E}desrever\u{202C} \u{2066}isolate\u{2069} TBD %0A %25 ::error::forged",
    "",
    "## Timeline",
    "",
    "- 2024-05-01 10:30 UTC deploy \u{1b}[2J\u{1b}[H TODO \u{FFFE} <b>\"quoted\"</b> & done",
    "- 2024-05-01 10:00 UTC rollback \u{2028}injected %% comment ; #1 : a, b",
    "- 2024-05-01 11:00 UTC \u{0}nul\u{7}bel\u{8}backspace \u{202E}gnirts FIXME",
    "- 2024-05-01 09:00 UTC out of order \u{1b}P DCS \u{1b}\\ =cmd|' /C calc'!A0",
    "- 2024-05-01 12:00 UTC resolved \u{FFFF}",
    "",
    "## Impact",
    "",
    "Checkout failed for \u{1b}[1mall\u{1b}[0m users; XXX of them.",
    "",
    "## Root cause",
    "",
    "A bad config \u{202E}push.",
    "",
    "## Resolution",
    "",
    "Rolled back.\u{1b}]0;window title\u{7}",
    "",
    "## Action items",
    "",
    "- =HYPERLINK(\"http://evil.example\") \u{1b}[31m fix the pool, due: +1 week \u{2028}x",
    "- @SUM(1+1) TODO owner \u{202E}bob \u{FFFE}",
    "- -rm -rf, owner: \u{85}team\u{0}",
    "",
];

/// Documents with the hostile lines, with LF, CRLF and lone-CR line endings, and under file
/// names full of characters that mean something to the formats or a terminal.
fn documents(dir: &Path) -> Vec<PathBuf> {
    let mut paths = Vec::new();
    for (name, eol) in [
        ("lf.md", "\n"),
        ("crlf.md", "\r\n"),
        ("cr only.md", "\r"),
        ("odd %0A, name: #1 & <x>.md", "\n"),
        // A file name can hold controls too (a pull request can add one).
        ("esc \u{1b}[31mred\u{7} \u{9b}2J \u{202E}.md", "\n"),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, LINES.join(eol)).expect("write");
        paths.push(path);
    }
    // A lone CR inside lines that otherwise end in LF.
    let mixed = dir.join("mixed.md");
    std::fs::write(&mixed, LINES.join("\n").replace(" deploy ", " deploy \r")).expect("write");
    paths.push(mixed);
    paths
}

/// Runs pmlint in `dir` (no configuration above a temporary directory) and returns the exit
/// code and standard output.
fn run(dir: &Path, args: &[&str], paths: &[PathBuf]) -> (Option<i32>, String) {
    let out = Command::cargo_bin("pmlint")
        .expect("binary")
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env("CLICOLOR_FORCE", "0")
        .args(args)
        .args(paths)
        .output()
        .expect("runs");
    let stdout = String::from_utf8(out.stdout).expect("UTF-8 output");
    (out.status.code(), stdout)
}

fn sarif_validator() -> jsonschema::Validator {
    // The official schema's `language` pattern has a bare `]` (a literal in ECMAScript
    // regexes, an error in Rust's): escaped, same meaning, so the schema compiles.
    let text = include_str!("schemas/sarif-schema-2.1.0.json")
        .replace("[a-zA-Z]{2}]?$", "[a-zA-Z]{2}\\\\]?$");
    let schema: serde_json::Value = serde_json::from_str(&text).expect("schema");
    jsonschema::validator_for(&schema).expect("valid schema")
}

#[test]
fn check_formats_stay_valid_for_hostile_documents() {
    let dir = tempfile::tempdir().expect("tempdir");
    let docs = documents(dir.path());
    let check = |format: &str| {
        let (code, out) = run(
            dir.path(),
            &[
                "check",
                "--no-config",
                "--color",
                "never",
                "--format",
                format,
            ],
            &docs,
        );
        assert_eq!(code, Some(1), "{format}: errors exit 1\n{out}");
        out
    };

    // JSON: parses, and keeps the document's text as it is (escaped by JSON, not altered).
    let json: serde_json::Value = serde_json::from_str(&check("json")).expect("JSON");
    let files = json["files"].as_array().expect("files");
    assert_eq!(files.len(), docs.len());
    for f in files {
        let diags = f["diagnostics"].as_array().expect("diagnostics");
        let codes: Vec<&str> = diags.iter().filter_map(|d| d["code"].as_str()).collect();
        for code in ["PM004", "PM202"] {
            assert!(
                codes.contains(&code),
                "{}: no {code} in {codes:?}",
                f["path"]
            );
        }
        assert!(
            diags
                .iter()
                .all(|d| d["line"].as_u64().is_some_and(|l| l >= 1)),
            "{}",
            f["path"]
        );
    }
    // The same findings at the same lines and columns whatever the line endings: a lone CR
    // ends a line as LF and CRLF do.
    let located = |name: &str| -> Vec<(String, u64, u64, u64, u64)> {
        let file = files
            .iter()
            .find(|f| f["path"].as_str().is_some_and(|p| p.ends_with(name)))
            .expect("file");
        file["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .map(|d| {
                let n = |k: &str| d[k].as_u64().expect("number");
                let code = d["code"].as_str().expect("code").to_string();
                (code, n("line"), n("column"), n("end_line"), n("end_column"))
            })
            .collect()
    };
    let lf = located("/lf.md");
    for other in ["/crlf.md", "/cr only.md"] {
        assert_eq!(located(other), lf, "{other}");
    }
    assert!(lf.iter().any(|d| d.0 == "PM202" && d.1 == 11), "{lf:?}");
    let total: usize = files
        .iter()
        .map(|f| f["diagnostics"].as_array().map_or(0, Vec::len))
        .sum();

    // SARIF: parses and validates against the official schema, one result per diagnostic.
    let sarif: serde_json::Value = serde_json::from_str(&check("sarif")).expect("SARIF JSON");
    let errors: Vec<String> = sarif_validator()
        .iter_errors(&sarif)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    assert_eq!(results.len(), total);
    for r in results {
        let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .expect("uri");
        let unreserved = |c: char| c.is_ascii_alphanumeric() || "-._~/%".contains(c);
        assert!(uri.chars().all(unreserved), "{uri}");
        assert!(
            uri.match_indices('%').all(|(i, _)| uri
                .get(i + 1..i + 3)
                .is_some_and(|h| h.chars().all(|c| c.is_ascii_hexdigit()))),
            "{uri}"
        );
    }

    // JUnit: well-formed XML, a case per file, each failing, nothing XML forbids.
    let junit = check("junit");
    let xml = roxmltree::Document::parse(&junit).expect("well-formed XML");
    let cases: Vec<_> = xml
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    assert_eq!(cases.len(), docs.len());
    assert_eq!(
        xml.root_element()
            .attribute("failures")
            .and_then(|f| f.parse().ok()),
        Some(docs.len())
    );
    assert!(!junit.contains(['\u{FFFE}', '\u{FFFF}', '\u{0}', '\u{1b}']));

    // Human: one header per finding, no raw control or bidirectional character.
    let human = check("human");
    assert_clean("check --format human", &human);
    assert!(human.contains('\u{241b}'), "ESC is shown as a symbol");

    // GitHub: one workflow command per line, values escaped as the runner's grammar needs.
    let github = check("github");
    assert_clean("check --format github", &github);
    let mut annotations = 0;
    for line in github.lines() {
        let rest = line.strip_prefix("::").unwrap_or_else(|| panic!("{line}"));
        let (command, rest) = rest.split_once(' ').unwrap_or_else(|| panic!("{line}"));
        assert!(["error", "warning", "notice"].contains(&command), "{line}");
        let (props, message) = rest.split_once("::").unwrap_or_else(|| panic!("{line}"));
        for prop in props.split(',') {
            let (key, value) = prop.split_once('=').unwrap_or_else(|| panic!("{line}"));
            assert!(
                ["file", "line", "col", "endLine", "endColumn", "title"].contains(&key),
                "{line}"
            );
            assert!(!value.contains([':', ',']), "{line}");
            assert!(
                escapes_only(value, &["%25", "%0D", "%0A", "%3A", "%2C"]),
                "{line}"
            );
        }
        assert!(escapes_only(message, &["%25", "%0D", "%0A"]), "{line}");
        annotations += 1;
    }
    assert_eq!(annotations, total);
    // The `%0A` in a file name stays text: escaped, not decoded into a line break.
    assert!(
        github.contains("/odd %250A%2C name%3A #1 & <x>.md,line="),
        "{github}"
    );
}

/// Every `%` in a workflow-command value starts one of the escapes the runner decodes.
fn escapes_only(value: &str, escapes: &[&str]) -> bool {
    value
        .match_indices('%')
        .all(|(i, _)| escapes.iter().any(|e| value[i..].starts_with(e)))
}

#[test]
fn timeline_formats_stay_valid_for_hostile_documents() {
    let dir = tempfile::tempdir().expect("tempdir");
    for doc in documents(dir.path()) {
        let name = doc.display().to_string();
        let timeline = |format: &str| {
            let (code, out) = run(
                dir.path(),
                &["timeline", "--format", format],
                std::slice::from_ref(&doc),
            );
            assert_eq!(code, Some(0), "{name} {format}");
            out
        };
        let json: serde_json::Value =
            serde_json::from_str(&timeline("json")).unwrap_or_else(|e| panic!("{name}: {e}"));
        let entries = json["entries"].as_array().expect("entries");
        assert_eq!(entries.len(), 5, "{name}: {entries:#?}");
        assert!(
            entries.iter().any(|e| e["flags"]
                .as_array()
                .is_some_and(|f| f.contains(&"out-of-order".into()))),
            "{name}"
        );

        assert_clean(&format!("{name} table"), &timeline("table"));

        let csv_out = timeline("csv");
        let mut reader = csv::Reader::from_reader(csv_out.as_bytes());
        let records: Vec<csv::StringRecord> = reader
            .records()
            .map(|r| r.unwrap_or_else(|e| panic!("{name}: {e}")))
            .collect();
        assert_eq!(records.len(), entries.len(), "{name}");
        for r in &records {
            assert_eq!(r.len(), 5, "{name}: {r:?}");
            assert!(
                r.iter().all(|cell| !cell.starts_with(['=', '+', '-', '@'])),
                "{name}: formula cell in {r:?}"
            );
        }

        // Mermaid: the header, then exactly one line per entry, each `when : what`, and
        // nothing that ends a line or starts a comment inside a node.
        let mermaid = timeline("mermaid");
        assert_clean(&format!("{name} mermaid"), &mermaid);
        assert!(!mermaid.contains(['\r', '\u{85}']), "{name}");
        let lines: Vec<&str> = mermaid.split('\n').collect();
        assert_eq!(lines[..2], ["timeline", "    title Incident timeline"]);
        assert_eq!(lines.last(), Some(&""));
        let nodes = &lines[2..lines.len() - 1];
        assert_eq!(nodes.len(), entries.len(), "{name}: {mermaid}");
        for node in nodes {
            assert!(node.starts_with("    "), "{name}: {node}");
            assert_eq!(node.matches(':').count(), 1, "{name}: {node}");
            assert!(
                !node.contains("%%") && !node.contains([';', '#']),
                "{name}: {node}"
            );
        }
    }
}

#[test]
fn actions_formats_stay_valid_for_hostile_documents() {
    let dir = tempfile::tempdir().expect("tempdir");
    let docs = documents(dir.path());
    let actions = |format: &str| {
        let (code, out) = run(dir.path(), &["actions", "--format", format], &docs);
        assert_eq!(code, Some(0), "{format}");
        out
    };
    let json: serde_json::Value = serde_json::from_str(&actions("json")).expect("JSON");
    let items = json["actions"].as_array().expect("actions");
    assert_eq!(items.len(), 3 * docs.len(), "{items:#?}");

    let table = actions("table");
    assert_clean("actions table", &table);
    assert_eq!(table.lines().count(), items.len() + 2, "{table}");

    let csv_out = actions("csv");
    let mut reader = csv::Reader::from_reader(csv_out.as_bytes());
    let records: Vec<csv::StringRecord> =
        reader.records().map(|r| r.expect("CSV record")).collect();
    assert_eq!(records.len(), items.len());
    for r in &records {
        assert_eq!(r.len(), 8, "{r:?}");
        assert!(
            r.iter().all(|cell| !cell.starts_with(['=', '+', '-', '@'])),
            "formula cell in {r:?}"
        );
    }
}

/// A file that cannot be read, under a name with an escape sequence and a line feed: every
/// format reports it on its own line(s), with the name shown, not obeyed.
#[test]
fn unreadable_files_with_hostile_names_stay_on_their_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir
        .path()
        .join("bad \u{1b}[31m\nforged.md:1:1: error[PM001] x.md");
    std::fs::write(&path, b"# Caf\xe9\n").expect("write");
    let paths = [path];
    let check = |format: &str| {
        let (code, out) = run(
            dir.path(),
            &[
                "check",
                "--no-config",
                "--color",
                "never",
                "--format",
                format,
            ],
            &paths,
        );
        assert_eq!(code, Some(2), "{format}: unreadable exits 2");
        out
    };
    let human = check("human");
    assert_clean("human", &human);
    let lines: Vec<&str> = human.lines().filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 2, "the error and the totals: {human}");
    assert!(lines[0].starts_with("error: ") && lines[0].contains("not valid UTF-8"));

    let github = check("github");
    assert_clean("github", &github);
    assert_eq!(github.lines().count(), 1, "{github}");
    assert!(github.starts_with("::error file="), "{github}");

    let json: serde_json::Value = serde_json::from_str(&check("json")).expect("JSON");
    assert!(
        json["files"][0]["path"]
            .as_str()
            .is_some_and(|p| p.contains('\n'))
    );
    let sarif: serde_json::Value = serde_json::from_str(&check("sarif")).expect("SARIF");
    assert!(sarif_validator().is_valid(&sarif));
    roxmltree::Document::parse(&check("junit")).expect("well-formed XML");
}
