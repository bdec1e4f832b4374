//! `pmlint server`: a language server over stdio.
//!
//! Three threads besides this one: the reader ([`transport::read_loop`]) turns stdin into
//! messages, the writer sends replies, and the [`worker`] lints. The main loop here keeps
//! the open documents and answers requests; linting for diagnostics never runs on it.

pub mod convert;
pub mod features;
pub mod transport;
pub mod worker;

use std::collections::{HashMap, HashSet};
use std::io::{BufReader, BufWriter};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Sender};

use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types as lsp;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::config::Config;
use crate::config_file::{ConfigError, FILE_NAMES, Resolver};

use convert::{Encoding, OpenDocument};
use transport::{Incoming, Outgoing};
use worker::{Job, Snapshot};

/// Document languages the server lints; others are left alone, unless the file's extension
/// is one `pmlint check` walks (a client started without filetype detection sends "").
const LANGUAGES: &[&str] = &["markdown", "plaintext", "text"];
const EXTENSIONS: &[&str] = &[".md", ".markdown", ".txt"];

fn lints(language: &str, uri: &lsp::Uri) -> bool {
    let path = uri.path().as_str().to_ascii_lowercase();
    LANGUAGES.contains(&language) || EXTENSIONS.iter().any(|e| path.ends_with(e))
}

/// Serves one client on stdin/stdout until `exit` or the end of stdin. Exit status 0 after
/// `shutdown` then `exit`, 1 otherwise (as the protocol says).
pub fn run() -> ExitCode {
    serve(
        BufReader::new(std::io::stdin()),
        BufWriter::new(std::io::stdout()),
    )
}

/// As [`run`], on any byte streams (the fuzz target serves a stream held in memory).
pub fn serve(
    input: impl std::io::BufRead + Send + 'static,
    output: impl std::io::Write + Send + 'static,
) -> ExitCode {
    let (in_tx, in_rx) = mpsc::channel();
    // Not joined: it may sit in a read of stdin when the client says `exit`.
    let _reader = std::thread::spawn(move || transport::read_loop(input, in_tx));
    let (out_tx, out_rx) = mpsc::channel();
    let writer = std::thread::spawn(move || transport::write_loop(output, out_rx));
    let (job_tx, job_rx) = mpsc::channel();
    let worker_out = out_tx.clone();
    let stop = Arc::new(AtomicBool::new(false));
    let worker_stop = Arc::clone(&stop);
    let pending = Arc::new(worker::Pending::default());
    let worker_pending = Arc::clone(&pending);
    let findings = Arc::new(worker::Findings::default());
    let worker_findings = Arc::clone(&findings);
    let worker = std::thread::spawn(move || {
        worker::run(
            job_rx,
            worker_pending,
            worker_findings,
            worker_out,
            worker_stop,
        )
    });

    let mut server = Server::new(out_tx, job_tx, pending, findings);
    let mut clean = false;
    for incoming in in_rx {
        match incoming {
            Incoming::Closed => break,
            Incoming::Malformed { id, code, message } => {
                server.send(Outgoing::Raw(transport::error_reply(id, code, &message)));
            }
            Incoming::Message(Message::Notification(n)) if n.method == "exit" => {
                clean = server.shutdown;
                break;
            }
            Incoming::Message(Message::Request(r)) => server.request(r),
            Incoming::Message(Message::Notification(n)) => {
                let method = n.method.clone();
                if catch_unwind(AssertUnwindSafe(|| server.notification(n))).is_err() {
                    eprintln!("pmlint server: handling {method} failed");
                }
            }
            // Replies to the server's own requests (the watcher registration): nothing to do.
            Incoming::Message(Message::Response(_)) => {}
        }
    }
    // Stop the worker, then drop the senders so the writer sends what it has and stops.
    stop.store(true, Ordering::Relaxed);
    drop(server);
    let _ = worker.join();
    let _ = writer.join();
    if clean {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

struct Server {
    out: Sender<Outgoing>,
    jobs: Sender<Job>,
    pending: Arc<worker::Pending>,
    findings: Arc<worker::Findings>,
    /// The configuration of documents whose pmlint.toml is broken: one `Arc`, so their
    /// findings can be looked up in `findings`.
    fallback: Arc<Config>,
    docs: HashMap<lsp::Uri, Arc<OpenDocument>>,
    enc: Encoding,
    resolver: Resolver,
    /// Configuration files with an error published on them, to clear once they are fixed.
    broken_configs: HashSet<lsp::Uri>,
    inlay_hints: bool,
    watch_configs: bool,
    initialized: bool,
    shutdown: bool,
}

/// A failed request: its error code and message.
type Failure = (ErrorCode, String);

fn params<P: DeserializeOwned>(value: Value) -> Result<P, Failure> {
    serde_json::from_value(value).map_err(|e| (ErrorCode::InvalidParams, e.to_string()))
}

impl Server {
    fn new(
        out: Sender<Outgoing>,
        jobs: Sender<Job>,
        pending: Arc<worker::Pending>,
        findings: Arc<worker::Findings>,
    ) -> Self {
        Server {
            out,
            jobs,
            pending,
            findings,
            fallback: Arc::new(Config::default()),
            docs: HashMap::new(),
            enc: Encoding::Utf16,
            resolver: Resolver::new(Config::default(), None, false),
            broken_configs: HashSet::new(),
            inlay_hints: false,
            watch_configs: false,
            initialized: false,
            shutdown: false,
        }
    }

    fn send(&self, out: Outgoing) {
        // The writer only stops once this loop has: nothing to do if it is gone.
        let _ = self.out.send(out);
    }

    fn reply(&self, id: RequestId, result: Result<Value, Failure>) {
        let response = match result {
            Ok(v) => Response::new_ok(id, v),
            Err((code, message)) => Response::new_err(id, code as i32, message),
        };
        self.send(Outgoing::Message(Message::Response(response)));
    }

    fn request(&mut self, r: Request) {
        let id = r.id.clone();
        if !self.initialized && r.method != "initialize" {
            let msg = "the server is not initialized yet".to_string();
            return self.reply(id, Err((ErrorCode::ServerNotInitialized, msg)));
        }
        if self.shutdown {
            let msg = "the server is shutting down".to_string();
            return self.reply(id, Err((ErrorCode::InvalidRequest, msg)));
        }
        let method = r.method.clone();
        let result = catch_unwind(AssertUnwindSafe(|| self.handle(r)))
            .unwrap_or_else(|_| Err((ErrorCode::InternalError, format!("{method} failed"))));
        // `None`: answered elsewhere (a pull is answered by the worker).
        if let Some(result) = result.transpose() {
            self.reply(id, result);
        }
    }

    fn handle(&mut self, r: Request) -> Result<Option<Value>, Failure> {
        let json = |v: Result<Value, serde_json::Error>| {
            v.map(Some)
                .map_err(|e| (ErrorCode::InternalError, e.to_string()))
        };
        match r.method.as_str() {
            "initialize" => {
                if self.initialized {
                    let msg = "initialize was already sent".to_string();
                    return Err((ErrorCode::InvalidRequest, msg));
                }
                let p: lsp::InitializeParams = params(r.params)?;
                json(serde_json::to_value(self.initialize(&p)))
            }
            "shutdown" => {
                self.shutdown = true;
                Ok(Some(Value::Null))
            }
            "textDocument/diagnostic" => {
                let p: lsp::DocumentDiagnosticParams = params(r.params)?;
                match self.snapshot(&p.text_document.uri) {
                    Some(s) => {
                        let _ = self.jobs.send(Job::Pull(r.id, s));
                        Ok(None)
                    }
                    None => json(serde_json::to_value(worker::full_report(Vec::new()))),
                }
            }
            "textDocument/codeAction" => {
                let p: lsp::CodeActionParams = params(r.params)?;
                let uri = p.text_document.uri;
                let config = self.config_for(&uri);
                let Some(doc) = self.docs.get(&uri) else {
                    return Ok(Some(Value::Null));
                };
                let diags = self.findings_for(&uri, doc, &config);
                let view = self.view(doc, &uri, &config);
                let only = p.context.only.as_deref();
                json(serde_json::to_value(features::code_actions(
                    &view, &diags, p.range, only,
                )))
            }
            "textDocument/hover" => {
                let p: lsp::HoverParams = params(r.params)?;
                let uri = p.text_document_position_params.text_document.uri;
                let config = self.config_for(&uri);
                let Some(doc) = self.docs.get(&uri) else {
                    return Ok(Some(Value::Null));
                };
                let diags = self.findings_for(&uri, doc, &config);
                let view = self.view(doc, &uri, &config);
                let pos = p.text_document_position_params.position;
                json(serde_json::to_value(features::hover(&view, &diags, pos)))
            }
            "textDocument/documentSymbol" => {
                let p: lsp::DocumentSymbolParams = params(r.params)?;
                let uri = p.text_document.uri;
                let config = self.config_for(&uri);
                let Some(doc) = self.docs.get(&uri) else {
                    return Ok(Some(Value::Null));
                };
                let view = self.view(doc, &uri, &config);
                json(serde_json::to_value(features::symbols(&view)))
            }
            "textDocument/inlayHint" if self.inlay_hints => {
                let p: lsp::InlayHintParams = params(r.params)?;
                let uri = p.text_document.uri;
                let config = self.config_for(&uri);
                let Some(doc) = self.docs.get(&uri) else {
                    return Ok(Some(Value::Null));
                };
                let view = self.view(doc, &uri, &config);
                json(serde_json::to_value(features::inlay_hints(&view, p.range)))
            }
            other => Err((
                ErrorCode::MethodNotFound,
                format!("unknown method `{other}`"),
            )),
        }
    }

    /// The document's findings: the worker's when it linted this version with this
    /// configuration, else computed here.
    fn findings_for(
        &self,
        uri: &lsp::Uri,
        doc: &OpenDocument,
        config: &Arc<Config>,
    ) -> Arc<Vec<crate::Diagnostic>> {
        self.findings
            .get(uri, doc.version, config)
            .unwrap_or_else(|| {
                let diags = Arc::new(crate::lint_source(&doc.text, config));
                self.findings
                    .put(uri, doc.version, config, Arc::clone(&diags));
                diags
            })
    }

    fn view<'a>(
        &self,
        doc: &'a OpenDocument,
        uri: &'a lsp::Uri,
        config: &'a Config,
    ) -> features::View<'a> {
        features::View {
            doc,
            uri,
            enc: self.enc,
            config,
        }
    }

    fn initialize(&mut self, p: &lsp::InitializeParams) -> lsp::InitializeResult {
        let offers_utf8 = p
            .capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_ref())
            .is_some_and(|e| e.contains(&lsp::PositionEncodingKind::UTF8));
        self.enc = if offers_utf8 {
            Encoding::Utf8
        } else {
            Encoding::Utf16
        };
        self.inlay_hints = p
            .initialization_options
            .as_ref()
            .and_then(|o| o.get("inlayHints"))
            .and_then(Value::as_bool)
            .unwrap_or(false);
        self.watch_configs = p
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files)
            .and_then(|w| w.dynamic_registration)
            .unwrap_or(false);
        self.initialized = true;
        lsp::InitializeResult {
            capabilities: capabilities(self.enc, self.inlay_hints),
            server_info: Some(lsp::ServerInfo {
                name: "pmlint".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
        }
    }

    fn notification(&mut self, n: Notification) {
        if !self.initialized {
            return; // before initialize, notifications are dropped (the protocol says so)
        }
        match n.method.as_str() {
            "initialized" if self.watch_configs => self.register_watcher(),
            "textDocument/didOpen" => {
                let Ok(p) = params::<lsp::DidOpenTextDocumentParams>(n.params) else {
                    return;
                };
                let d = p.text_document;
                if !lints(&d.language_id, &d.uri) {
                    return;
                }
                self.docs.insert(
                    d.uri.clone(),
                    Arc::new(OpenDocument::new(d.text, d.version)),
                );
                self.lint(&d.uri);
            }
            "textDocument/didChange" => {
                let Ok(p) = params::<lsp::DidChangeTextDocumentParams>(n.params) else {
                    return;
                };
                let uri = p.text_document.uri;
                let enc = self.enc;
                let Some(doc) = self.docs.get_mut(&uri) else {
                    return;
                };
                // A copy only while the worker still holds the previous version.
                let doc = Arc::make_mut(doc);
                for change in &p.content_changes {
                    doc.apply(change, enc);
                }
                doc.version = p.text_document.version;
                self.lint(&uri);
            }
            "textDocument/didSave" => {
                if let Ok(p) = params::<lsp::DidSaveTextDocumentParams>(n.params) {
                    self.lint(&p.text_document.uri);
                }
            }
            "textDocument/didClose" => {
                if let Ok(p) = params::<lsp::DidCloseTextDocumentParams>(n.params)
                    && self.docs.remove(&p.text_document.uri).is_some()
                {
                    self.pending.remove(&p.text_document.uri);
                    self.findings.remove(&p.text_document.uri);
                    let _ = self.jobs.send(Job::Close(p.text_document.uri));
                }
            }
            "workspace/didChangeWatchedFiles" => {
                // Any configuration file may have changed what every document reads.
                self.resolver = Resolver::new(Config::default(), None, false);
                let stale: Vec<lsp::Uri> = self.broken_configs.drain().collect();
                for uri in stale {
                    self.send(worker::publish(uri, Vec::new(), None));
                }
                let open: Vec<lsp::Uri> = self.docs.keys().cloned().collect();
                for uri in open {
                    self.lint(&uri);
                }
            }
            _ => {}
        }
    }

    /// Asks the client to report changes to configuration files.
    fn register_watcher(&self) {
        let watchers = FILE_NAMES
            .iter()
            .map(|name| lsp::FileSystemWatcher {
                glob_pattern: lsp::GlobPattern::String(format!("**/{name}")),
                kind: None,
            })
            .collect();
        let params = lsp::RegistrationParams {
            registrations: vec![lsp::Registration {
                id: "pmlint-config-watcher".into(),
                method: "workspace/didChangeWatchedFiles".into(),
                register_options: serde_json::to_value(
                    lsp::DidChangeWatchedFilesRegistrationOptions { watchers },
                )
                .ok(),
            }],
        };
        self.send(Outgoing::Message(Message::Request(Request::new(
            RequestId::from("pmlint/register-watcher".to_string()),
            "client/registerCapability".into(),
            params,
        ))));
    }

    fn snapshot(&mut self, uri: &lsp::Uri) -> Option<Snapshot> {
        let config = self.config_for(uri);
        let doc = Arc::clone(self.docs.get(uri)?);
        Some(Snapshot {
            uri: uri.clone(),
            doc,
            config,
            enc: self.enc,
        })
    }

    fn lint(&mut self, uri: &lsp::Uri) {
        if let Some(s) = self.snapshot(uri) {
            self.pending.put(s);
            let _ = self.jobs.send(Job::Publish);
        }
    }

    /// The configuration a document is checked with: the nearest pmlint.toml above it, as
    /// `pmlint check` finds it. A broken one is reported on itself, and the defaults used.
    fn config_for(&mut self, uri: &lsp::Uri) -> Arc<Config> {
        let path = file_path(uri);
        match self.resolver.for_file(path.as_deref()) {
            Ok(config) => config,
            Err(e) => {
                self.report_config_error(&e);
                Arc::clone(&self.fallback)
            }
        }
    }

    fn report_config_error(&mut self, e: &ConfigError) {
        let Some(uri) = file_uri(Path::new(&e.path)) else {
            eprintln!("pmlint server: {e}");
            return;
        };
        let line = u32::try_from(e.line.saturating_sub(1)).unwrap_or(u32::MAX);
        let range = lsp::Range::new(
            lsp::Position::new(line, 0),
            lsp::Position::new(line.saturating_add(1), 0),
        );
        let diagnostic = lsp::Diagnostic {
            range,
            severity: Some(lsp::DiagnosticSeverity::ERROR),
            source: Some("pmlint".into()),
            message: format!(
                "{}; documents below it are checked with the defaults",
                e.message
            ),
            ..Default::default()
        };
        // Once per file until the watcher says it changed, not on every keystroke.
        if self.broken_configs.insert(uri.clone()) {
            self.send(worker::publish(uri, vec![diagnostic], None));
        }
    }
}

pub fn capabilities(enc: Encoding, inlay_hints: bool) -> lsp::ServerCapabilities {
    lsp::ServerCapabilities {
        position_encoding: Some(match enc {
            Encoding::Utf8 => lsp::PositionEncodingKind::UTF8,
            Encoding::Utf16 => lsp::PositionEncodingKind::UTF16,
        }),
        text_document_sync: Some(lsp::TextDocumentSyncCapability::Options(
            lsp::TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(lsp::TextDocumentSyncKind::INCREMENTAL),
                save: Some(lsp::TextDocumentSyncSaveOptions::Supported(true)),
                ..Default::default()
            },
        )),
        code_action_provider: Some(lsp::CodeActionProviderCapability::Options(
            lsp::CodeActionOptions {
                code_action_kinds: Some(vec![
                    lsp::CodeActionKind::QUICKFIX,
                    lsp::CodeActionKind::new(features::FIX_ALL),
                ]),
                resolve_provider: Some(false),
                ..Default::default()
            },
        )),
        hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
        document_symbol_provider: Some(lsp::OneOf::Left(true)),
        inlay_hint_provider: inlay_hints.then_some(lsp::OneOf::Left(true)),
        diagnostic_provider: Some(lsp::DiagnosticServerCapabilities::Options(
            lsp::DiagnosticOptions {
                identifier: Some("pmlint".into()),
                inter_file_dependencies: false,
                workspace_diagnostics: false,
                ..Default::default()
            },
        )),
        ..Default::default()
    }
}

/// The local path of a `file:` URI (percent-decoded); None for other schemes.
pub fn file_path(uri: &lsp::Uri) -> Option<PathBuf> {
    if !uri.scheme()?.as_str().eq_ignore_ascii_case("file") {
        return None;
    }
    let raw = uri.path().as_str().as_bytes();
    let mut bytes = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (raw[i], raw.get(i + 1).copied(), raw.get(i + 2).copied()) {
            (b'%', Some(h), Some(l)) if hex(h).is_some() && hex(l).is_some() => {
                let (h, l) = (hex(h).unwrap_or(0), hex(l).unwrap_or(0));
                bytes.push(u8::try_from(h * 16 + l).unwrap_or(b'?'));
                i += 3;
            }
            (b, _, _) => {
                bytes.push(b);
                i += 1;
            }
        }
    }
    let path = String::from_utf8(bytes).ok()?;
    // `file:///C:/x` on Windows: the drive letter comes after the slash.
    #[cfg(windows)]
    let path = path.strip_prefix('/').unwrap_or(&path).to_string();
    Some(PathBuf::from(path))
}

/// The `file:` URI of a path (made absolute).
pub fn file_uri(path: &Path) -> Option<lsp::Uri> {
    let path = std::path::absolute(path).ok()?;
    let text = path.to_str()?.replace('\\', "/");
    let mut uri = String::from("file://");
    if !text.starts_with('/') {
        uri.push('/');
    }
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/:".contains(&b) {
            uri.push(b as char);
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_uris_round_trip_through_paths() {
        let path = Path::new("/tmp/a dir/ü.md");
        let uri = file_uri(path).unwrap();
        assert_eq!(uri.as_str(), "file:///tmp/a%20dir/%C3%BC.md");
        assert_eq!(file_path(&uri).unwrap(), path);
        let other: lsp::Uri = "untitled:Untitled-1".parse().unwrap();
        assert_eq!(file_path(&other), None);
    }
}
