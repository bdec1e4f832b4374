//! `pmlint server` driven over stdio with framed JSON-RPC, as an editor drives it.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use pmlint::Config;
use pmlint::config_file::Resolver;
use pmlint::server::file_uri;
use serde_json::{Value, json};

/// Long enough for a debug build on a busy machine; a hung server fails instead of hanging.
const TIMEOUT: Duration = Duration::from_secs(120);

struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    rx: Receiver<Value>,
    /// Messages read but not yet asked for.
    backlog: Vec<Value>,
    next_id: i64,
}

impl Client {
    fn start() -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_pmlint"))
            .arg("server")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut out = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if out.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(v) = line.strip_prefix("Content-Length: ") {
                        length = v.parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; length.expect("a Content-Length header")];
                if out.read_exact(&mut body).is_err() {
                    return;
                }
                let value: Value = serde_json::from_slice(&body).expect("the server sends JSON");
                if tx.send(value).is_err() {
                    return;
                }
            }
        });
        Client {
            child,
            stdin,
            rx,
            backlog: Vec::new(),
            next_id: 1,
        }
    }

    /// Started and initialized, with the given client capabilities and options.
    fn initialized(capabilities: Value, options: Value) -> Client {
        let mut c = Client::start();
        c.request(
            "initialize",
            json!({"processId": null, "rootUri": null, "capabilities": capabilities,
                   "initializationOptions": options}),
        );
        c.notify("initialized", json!({}));
        c
    }

    fn raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().unwrap();
        stdin.write_all(bytes).unwrap();
        stdin.flush().unwrap();
    }

    fn send(&mut self, value: &Value) {
        let body = value.to_string();
        self.raw(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and returns its whole response.
    fn call(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.wait(|m| m["id"] == id && m.get("method").is_none())
    }

    /// Sends a request and returns its result, failing on an error reply.
    fn request(&mut self, method: &str, params: Value) -> Value {
        let response = self.call(method, params);
        assert!(response.get("error").is_none(), "{method}: {response}");
        response["result"].clone()
    }

    /// The first message (read already or to come) that `wanted` accepts.
    fn wait(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.backlog.iter().position(&wanted) {
            return self.backlog.remove(i);
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(m) if wanted(&m) => return m,
                Ok(m) => self.backlog.push(m),
                Err(RecvTimeoutError::Timeout) => {
                    panic!("no such message in {TIMEOUT:?}; got {:#?}", self.backlog)
                }
                Err(RecvTimeoutError::Disconnected) => {
                    panic!("the server closed its output; got {:#?}", self.backlog)
                }
            }
        }
    }

    /// The diagnostics published for `uri`, at `version` when given.
    fn published(&mut self, uri: &str, version: Option<i64>) -> Vec<Value> {
        let m = self.wait(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && version.is_none_or(|v| m["params"]["version"] == v)
        });
        m["params"]["diagnostics"].as_array().unwrap().clone()
    }

    fn open(&mut self, uri: &str, language: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language, "version": 1,
                                    "text": text}}),
        );
    }

    /// The exit status once the server stops (it must, within the timeout).
    fn exit_status(&mut self) -> i32 {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code().unwrap_or(-1);
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn seed_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/seed/webstack-outage.txt")
}

fn seed() -> (String, String) {
    let path = seed_path();
    let text = std::fs::read_to_string(&path).unwrap();
    (file_uri(&path).unwrap().as_str().to_string(), text)
}

/// (code, 0-based line) of each diagnostic, as the server sends them.
fn codes_and_lines(diags: &[Value]) -> Vec<(String, u64)> {
    diags
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["range"]["start"]["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// What `pmlint check` finds in the seed, as (code, 0-based line).
fn expected_for_seed(text: &str) -> Vec<(String, u64)> {
    let config = Resolver::new(Config::default(), None, false)
        .for_file(Some(&seed_path()))
        .unwrap();
    pmlint::lint_source(text, &config)
        .iter()
        .map(|d| (d.code.to_string(), d.start.line as u64 - 1))
        .collect()
}

#[test]
fn initialize_declares_the_capabilities() {
    let mut c = Client::start();
    let mut result = c.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {}}),
    );
    result["serverInfo"]["version"] = json!("[version]");
    insta::assert_json_snapshot!("initialize", result);
    // UTF-8 when the client offers it; no inlay hints unless asked for.
    let mut c = Client::start();
    let result = c.request(
        "initialize",
        json!({"processId": null, "capabilities": {"general": {"positionEncodings": ["utf-8", "utf-16"]}},
               "initializationOptions": {"inlayHints": true}}),
    );
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-8");
    assert_eq!(result["capabilities"]["inlayHintProvider"], true);
}

#[test]
fn the_seed_gets_the_diagnostics_pmlint_check_gives_and_an_edit_clears_pm203() {
    let (uri, text) = seed();
    let mut c = Client::initialized(json!({}), json!(null));
    c.open(&uri, "plaintext", &text);
    let pushed = c.published(&uri, Some(1));
    let expected = expected_for_seed(&text);
    assert_eq!(codes_and_lines(&pushed), expected);
    let pm203 = pushed.iter().find(|d| d["code"] == "PM203").unwrap();
    assert_eq!(pm203["range"]["start"], json!({"line": 10, "character": 2}));
    assert_eq!(pm203["severity"], 1);
    assert_eq!(pm203["source"], "pmlint");
    assert!(
        pm203["codeDescription"]["href"]
            .as_str()
            .unwrap()
            .ends_with("docs/rules.md#pm203-outside-window")
    );
    // The entry it is compared with, named "line 15" in the message.
    assert_eq!(
        pm203["relatedInformation"][0]["location"]["range"]["start"]["line"],
        14
    );
    assert_eq!(pm203["data"]["fix"]["replacement"], "May");
    // An untimed entry relates to no other line.
    let pm201 = pushed.iter().find(|d| d["code"] == "PM201").unwrap();
    assert!(pm201.get("relatedInformation").is_none());

    // Pull gives the same.
    let pulled = c.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": uri}}),
    );
    assert_eq!(pulled["kind"], "full");
    assert_eq!(
        codes_and_lines(pulled["items"].as_array().unwrap()),
        expected
    );

    // "June" → "May" on line 11, incrementally.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2},
               "contentChanges": [{"range": {"start": {"line": 10, "character": 2},
                                             "end": {"line": 10, "character": 6}},
                                   "text": "May"}]}),
    );
    let after = c.published(&uri, Some(2));
    let fixed = text.replacen("June 10", "May 10", 1);
    assert_eq!(codes_and_lines(&after), expected_for_seed(&fixed));
    assert!(!after.iter().any(|d| d["code"] == "PM203"));
    assert_eq!(after.len(), pushed.len() - 1);

    // Closing clears them.
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    );
    assert!(c.published(&uri, None).is_empty());
}

#[test]
fn typing_fast_is_linted_once_for_the_newest_version() {
    let (uri, text) = seed();
    let mut c = Client::initialized(json!({}), json!(null));
    c.open(&uri, "markdown", &text);
    for v in 2..=30 {
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": v},
                   "contentChanges": [{"range": {"start": {"line": 0, "character": 0},
                                                 "end": {"line": 0, "character": 0}},
                                       "text": "x"}]}),
        );
    }
    let last = c.published(&uri, Some(30));
    assert_eq!(last.len(), expected_for_seed(&text).len());
    // Everything published came in order, and far fewer times than there were changes.
    let versions: Vec<i64> = c
        .backlog
        .iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics")
        .map(|m| m["params"]["version"].as_i64().unwrap())
        .collect();
    assert!(versions.len() < 10, "{versions:?}");
    assert!(versions.windows(2).all(|w| w[0] < w[1]), "{versions:?}");
}

fn actions_at(c: &mut Client, uri: &str, line: u64) -> Vec<Value> {
    c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri},
               "range": {"start": {"line": line, "character": 5},
                         "end": {"line": line, "character": 5}},
               "context": {"diagnostics": []}}),
    )
    .as_array()
    .unwrap()
    .clone()
}

#[test]
fn code_actions_offer_the_may_fix_and_a_suppression() {
    let (uri, text) = seed();
    let mut c = Client::initialized(json!({}), json!(null));
    c.open(&uri, "plaintext", &text);
    let actions = actions_at(&mut c, &uri, 10);
    let may = actions
        .iter()
        .find(|a| a["title"] == "Replace `June` with `May` (PM203, unsafe)")
        .unwrap();
    assert_eq!(may["kind"], "quickfix");
    assert_eq!(may["isPreferred"], false);
    assert_eq!(may["diagnostics"][0]["code"], "PM203");
    assert_eq!(
        may["edit"]["changes"][&uri],
        json!([{"range": {"start": {"line": 10, "character": 2},
                          "end": {"line": 10, "character": 6}},
                "newText": "May"}])
    );
    let disable = actions
        .iter()
        .find(|a| a["title"] == "Disable PM203 for this line")
        .unwrap();
    assert_eq!(
        disable["edit"]["changes"][&uri],
        json!([{"range": {"start": {"line": 10, "character": 0},
                          "end": {"line": 10, "character": 0}},
                "newText": "<!-- pmlint-disable-next-line PM203 -->\n"}])
    );
    // A line with no finding offers nothing; asking only for quick fixes leaves fix-all out.
    assert_eq!(actions_at(&mut c, &uri, 1), Vec::<Value>::new());
    assert!(!actions.iter().any(|a| a["kind"] == "source.fixAll.pmlint"));
}

#[test]
fn fix_all_safe_problems_is_one_edit() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("draft.md");
    let uri = file_uri(&path).unwrap().as_str().to_string();
    let text = "# Outage\n\n<!-- pmlint-disable-next-line PM202 -->\nSummary: x\n";
    let mut c = Client::initialized(json!({}), json!(null));
    c.open(&uri, "markdown", text);
    // The unused suppression is marked unnecessary (editors grey it out); nothing else is.
    let diags = c.published(&uri, Some(1));
    for d in &diags {
        let tags = if d["code"] == "PM005" {
            json!([1])
        } else {
            Value::Null
        };
        assert_eq!(d.get("tags").cloned().unwrap_or(Value::Null), tags, "{d}");
    }
    assert!(diags.iter().any(|d| d["code"] == "PM005"));
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri},
               "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
               "context": {"diagnostics": [], "only": ["source.fixAll"]}}),
    );
    let actions = actions.as_array().unwrap();
    assert_eq!(actions.len(), 1, "{actions:#?}");
    assert_eq!(actions[0]["kind"], "source.fixAll.pmlint");
    let edit = &actions[0]["edit"]["changes"][&uri][0];
    let fixed = edit["newText"].as_str().unwrap();
    assert!(!fixed.contains("pmlint-disable"));
    assert!(fixed.contains("## Timeline"));
}

#[test]
fn hover_explains_a_timestamp_and_a_diagnostic() {
    let (uri, text) = seed();
    let mut c = Client::initialized(json!({}), json!(null));
    c.open(&uri, "plaintext", &text);
    let hover = |c: &mut Client, line: u64, character: u64| {
        c.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri},
                   "position": {"line": line, "character": character}}),
        )
    };
    // "May 10, 2023, 6:00 PM" on line 15: 56 hours after the start (May 8 10:00 UTC).
    let h = hover(&mut c, 14, 6);
    let value = h["contents"]["value"].as_str().unwrap();
    assert!(value.contains("2023-05-10 18:00"), "{value}");
    assert!(
        value.contains("+2 d 8 h 00 min from the incident start"),
        "{value}"
    );
    assert!(value.contains("date: written in the stamp"), "{value}");
    assert_eq!(h["range"]["start"], json!({"line": 14, "character": 2}));
    insta::assert_snapshot!("hover_stamp", value);
    // On PM203's range: the stamp and the rule's documentation.
    let h = hover(&mut c, 10, 4);
    let value = h["contents"]["value"].as_str().unwrap();
    assert!(value.contains("### PM203 outside-window"), "{value}");
    // Nothing to say on a blank line.
    assert_eq!(hover(&mut c, 1, 0), Value::Null);
}

#[test]
fn document_symbols_outline_the_sections() {
    let (uri, text) = seed();
    let mut c = Client::initialized(json!({}), json!(null));
    c.open(&uri, "plaintext", &text);
    let symbols = c.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    insta::assert_json_snapshot!("document_symbols", symbols);
}

#[test]
fn inlay_hints_only_when_asked_for() {
    let (uri, text) = seed();
    let range = json!({"start": {"line": 0, "character": 0}, "end": {"line": 99, "character": 0}});
    let mut c = Client::initialized(json!({}), json!({"inlayHints": true}));
    c.open(&uri, "plaintext", &text);
    let hints = c.request(
        "textDocument/inlayHint",
        json!({"textDocument": {"uri": uri}, "range": range}),
    );
    let labels: Vec<(u64, &str)> = hints
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["position"]["line"].as_u64().unwrap(),
                h["label"].as_str().unwrap(),
            )
        })
        .collect();
    assert!(labels.contains(&(14, "+2 d 8 h 00 min")), "{labels:?}");
    assert!(labels.contains(&(16, "+2 d 16 h 00 min")), "{labels:?}");
    let mut c = Client::initialized(json!({}), json!(null));
    c.open(&uri, "plaintext", &text);
    let off = c.call(
        "textDocument/inlayHint",
        json!({"textDocument": {"uri": uri}, "range": range}),
    );
    assert_eq!(off["error"]["code"], -32601);
}

#[test]
fn a_broken_pmlint_toml_is_reported_on_itself_and_reloaded_when_it_changes() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("pmlint.toml");
    std::fs::write(&config, "[rules]\nPM201 = \"off\"\nnot valid = = toml\n").unwrap();
    let doc = dir.path().join("seed.txt");
    let (_, text) = seed();
    std::fs::write(&doc, &text).unwrap();
    let uri = file_uri(&doc).unwrap().as_str().to_string();
    let config_uri = file_uri(&std::fs::canonicalize(&config).unwrap())
        .unwrap()
        .as_str()
        .to_string();
    let mut c = Client::initialized(
        json!({"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}}),
        json!(null),
    );
    let register = c.wait(|m| m["method"] == "client/registerCapability");
    assert_eq!(
        register["params"]["registrations"][0]["registerOptions"]["watchers"][0]["globPattern"],
        "**/pmlint.toml"
    );
    c.open(&uri, "plaintext", &text);
    let on_config = c.published(&config_uri, None);
    assert_eq!(on_config.len(), 1);
    assert_eq!(on_config[0]["range"]["start"]["line"], 2);
    // The document is still checked, with the defaults (PM201 on).
    let diags = c.published(&uri, Some(1));
    assert!(diags.iter().any(|d| d["code"] == "PM201"));

    std::fs::write(&config, "[rules]\nPM201 = \"off\"\n").unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": config_uri, "type": 2}]}),
    );
    assert!(c.published(&config_uri, None).is_empty());
    let diags = c.published(&uri, Some(1));
    assert!(!diags.iter().any(|d| d["code"] == "PM201"), "{diags:#?}");
    assert!(diags.iter().any(|d| d["code"] == "PM203"));
}

#[test]
fn no_watcher_is_registered_for_a_client_that_cannot_take_one() {
    let mut c = Client::initialized(json!({}), json!(null));
    c.request("shutdown", json!(null));
    assert!(
        !c.backlog
            .iter()
            .any(|m| m["method"] == "client/registerCapability")
    );
}

#[test]
fn shutdown_then_exit_is_a_clean_exit_and_exit_alone_is_not() {
    let mut c = Client::initialized(json!({}), json!(null));
    assert_eq!(c.request("shutdown", json!(null)), Value::Null);
    // After shutdown, requests are refused.
    let late = c.call("textDocument/hover", json!({}));
    assert_eq!(late["error"]["code"], -32600);
    c.notify("exit", json!(null));
    assert_eq!(c.exit_status(), 0);

    let mut c = Client::initialized(json!({}), json!(null));
    c.notify("exit", json!(null));
    assert_eq!(c.exit_status(), 1);
}

#[test]
fn the_server_exits_when_its_input_closes() {
    let mut c = Client::initialized(json!({}), json!(null));
    c.stdin = None;
    assert_eq!(c.exit_status(), 1);
}

#[test]
fn malformed_messages_get_error_replies_and_the_server_goes_on() {
    let (uri, text) = seed();
    let mut c = Client::start();
    // A request before initialize.
    let early = c.call("textDocument/hover", json!({}));
    assert_eq!(early["error"]["code"], -32002);
    c.request("initialize", json!({"capabilities": {}}));
    c.notify("initialized", json!({}));

    let error = |c: &mut Client| c.wait(|m| m.get("error").is_some() && m["id"].is_null());
    // Not JSON.
    c.raw(b"Content-Length: 9\r\n\r\n{not json");
    assert_eq!(error(&mut c)["error"]["code"], -32700);
    // A header without a length.
    c.raw(b"Content-Type: text/plain\r\n\r\n");
    assert_eq!(error(&mut c)["error"]["code"], -32700);
    // A length no server should buffer.
    c.raw(b"Content-Length: 999999999999\r\n\r\n");
    assert_eq!(error(&mut c)["error"]["code"], -32700);
    // JSON, but not a message.
    c.send(&json!([1, 2, 3]));
    assert_eq!(error(&mut c)["error"]["code"], -32600);
    // An unknown method, and bad parameters.
    let unknown = c.call("pmlint/nothing", json!({}));
    assert_eq!(unknown["error"]["code"], -32601);
    let bad = c.call("textDocument/hover", json!({"textDocument": 5}));
    assert_eq!(bad["error"]["code"], -32602);
    // A notification with bad parameters is ignored.
    c.notify("textDocument/didOpen", json!({"textDocument": "x"}));

    // Positions far past the end of the document.
    c.open(&uri, "plaintext", &text);
    let far = json!({"line": 99999, "character": 99999});
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": far}),
    );
    assert_eq!(hover, Value::Null);
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2},
               "contentChanges": [{"range": {"start": far, "end": far}, "text": "\nappended"}]}),
    );
    let diags = c.published(&uri, Some(2));
    assert_eq!(diags.len(), expected_for_seed(&text).len());

    // A 10 MB document, one line.
    let big = "Timeline: 10:00 restarted the pool. ".repeat(10 << 20 >> 5);
    let big_uri = "untitled:big";
    c.open(big_uri, "markdown", &big);
    let pulled = c.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": big_uri}}),
    );
    assert_eq!(pulled["kind"], "full");

    // And it still answers.
    let symbols = c.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    assert!(!symbols.as_array().unwrap().is_empty());
    c.request("shutdown", json!(null));
    c.notify("exit", json!(null));
    assert_eq!(c.exit_status(), 0);
}

#[test]
fn positions_count_utf8_or_utf16_units_as_negotiated() {
    // "⚠" is one UTF-16 unit and three UTF-8 bytes.
    let (uri, text) = seed();
    let text = text.replacen("- June 10", "- ⚠ June 10", 1);
    let june = |enc: &str| -> (u64, u64) { if enc == "utf-8" { (6, 10) } else { (4, 8) } };
    for enc in ["utf-8", "utf-16"] {
        let mut c = Client::initialized(
            json!({"general": {"positionEncodings": [enc]}}),
            json!(null),
        );
        c.open(&uri, "plaintext", &text);
        let diags = c.published(&uri, Some(1));
        let pm203 = diags.iter().find(|d| d["code"] == "PM203").unwrap();
        let (start, end) = june(enc);
        assert_eq!(pm203["range"]["start"]["character"], start, "{enc}");
        assert_eq!(
            pm203["data"]["fix"]["range"]["end"]["character"], end,
            "{enc}"
        );
        // Replacing exactly "June" in the client's units clears it.
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": 2},
                   "contentChanges": [{"range": {"start": {"line": 10, "character": start},
                                                 "end": {"line": 10, "character": end}},
                                       "text": "May"}]}),
        );
        let after = c.published(&uri, Some(2));
        assert!(
            !after.iter().any(|d| d["code"] == "PM203"),
            "{enc}: {after:#?}"
        );
        assert_eq!(after.len(), diags.len() - 1, "{enc}");
    }
}

#[test]
fn documents_are_linted_by_language_or_by_extension() {
    let (_, text) = seed();
    let mut c = Client::initialized(json!({}), json!(null));
    // A client without filetype detection sends no language: the extension decides.
    c.open("file:///tmp/pmlint-lang/draft.md", "", &text);
    let pushed = c.published("file:///tmp/pmlint-lang/draft.md", Some(1));
    assert!(pushed.iter().any(|d| d["code"] == "PM203"));
    // Source code is not a postmortem.
    c.open("file:///tmp/pmlint-lang/main.rs", "rust", &text);
    let pulled = c.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": "file:///tmp/pmlint-lang/main.rs"}}),
    );
    assert_eq!(pulled["items"], json!([]));
}
