//! Linting off the main loop: one thread takes snapshots of the open documents, waits for
//! typing to pause, and lints only the newest version of each.
//!
//! Snapshots wait in a [`Pending`] slot per document rather than in the channel: a newer one
//! replaces the older, so a fast typist in a 10 MB document queues one copy, not one per key.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use lsp_server::{Message, Notification, RequestId, Response};
use lsp_types as lsp;

use crate::config::Config;
use crate::diagnostic::Diagnostic;

use super::convert::{self, Encoding, OpenDocument};
use super::transport::Outgoing;

/// How long the worker waits for typing to pause before linting.
pub const DEBOUNCE: Duration = Duration::from_millis(50);
/// Linting is never put off longer than this, however fast the typist.
const MAX_DELAY: Duration = Duration::from_millis(250);

/// A document as it was when the job was made.
pub struct Snapshot {
    pub uri: lsp::Uri,
    /// Shared with the main loop until it edits the document again.
    pub doc: Arc<OpenDocument>,
    pub config: Arc<Config>,
    pub enc: Encoding,
}

/// The newest snapshot of each document waiting to be linted and published.
#[derive(Default)]
pub struct Pending(Mutex<Vec<Snapshot>>);

impl Pending {
    /// Puts a snapshot in, replacing an older one of its document.
    pub fn put(&self, s: Snapshot) {
        let mut pending = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        match pending.iter_mut().find(|p| p.uri == s.uri) {
            Some(p) => *p = s,
            None => pending.push(s),
        }
    }

    /// Drops what waits for a document (it closed).
    pub fn remove(&self, uri: &lsp::Uri) {
        let mut pending = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        pending.retain(|p| &p.uri != uri);
    }

    fn take(&self) -> Vec<Snapshot> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

pub enum Job {
    /// Something was put in [`Pending`]: lint it once typing pauses.
    Publish,
    /// Lint and answer a `textDocument/diagnostic` request, at once.
    Pull(RequestId, Snapshot),
    /// The document closed: drop what is pending for it and clear its diagnostics.
    Close(lsp::Uri),
}

/// The findings last computed for each document, with the version and configuration they
/// are for: code actions and hover read them instead of linting again on the main loop.
#[derive(Default)]
pub struct Findings(Mutex<HashMap<lsp::Uri, Found>>);

struct Found {
    version: i32,
    config: Arc<Config>,
    diagnostics: Arc<Vec<Diagnostic>>,
}

impl Findings {
    /// The findings for this version under this configuration (the same `Arc`: a reloaded
    /// pmlint.toml is a new one), if they were computed.
    pub fn get(
        &self,
        uri: &lsp::Uri,
        version: i32,
        config: &Arc<Config>,
    ) -> Option<Arc<Vec<Diagnostic>>> {
        let all = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        all.get(uri)
            .filter(|f| f.version == version && Arc::ptr_eq(&f.config, config))
            .map(|f| Arc::clone(&f.diagnostics))
    }

    pub fn put(
        &self,
        uri: &lsp::Uri,
        version: i32,
        config: &Arc<Config>,
        diagnostics: Arc<Vec<Diagnostic>>,
    ) {
        let mut all = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        all.insert(
            uri.clone(),
            Found {
                version,
                config: Arc::clone(config),
                diagnostics,
            },
        );
    }

    pub fn remove(&self, uri: &lsp::Uri) {
        let mut all = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        all.remove(uri);
    }
}

/// Lints one snapshot and keeps the findings; a panic in a rule costs the findings, not the
/// server.
pub fn lint(snapshot: &Snapshot, findings: &Findings) -> Vec<lsp::Diagnostic> {
    let found = catch_unwind(AssertUnwindSafe(|| {
        let diags = Arc::new(crate::lint_source(&snapshot.doc.text, &snapshot.config));
        let converted = convert::diagnostics(&snapshot.doc, &diags, &snapshot.uri, snapshot.enc);
        findings.put(&snapshot.uri, snapshot.doc.version, &snapshot.config, diags);
        converted
    }));
    found.unwrap_or_else(|_| {
        eprintln!(
            "pmlint server: linting {} failed; no diagnostics for this version",
            snapshot.uri.as_str()
        );
        Vec::new()
    })
}

pub fn publish(uri: lsp::Uri, diagnostics: Vec<lsp::Diagnostic>, version: Option<i32>) -> Outgoing {
    Outgoing::Message(Message::Notification(Notification::new(
        "textDocument/publishDiagnostics".into(),
        lsp::PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        },
    )))
}

pub fn full_report(items: Vec<lsp::Diagnostic>) -> lsp::DocumentDiagnosticReportResult {
    lsp::DocumentDiagnosticReportResult::Report(lsp::DocumentDiagnosticReport::Full(
        lsp::RelatedFullDocumentDiagnosticReport {
            related_documents: None,
            full_document_diagnostic_report: lsp::FullDocumentDiagnosticReport {
                result_id: None,
                items,
            },
        },
    ))
}

/// Runs until every sender of `jobs` is gone, or `stop` is set (the client said `exit`:
/// work still queued is dropped rather than holding up the exit).
pub fn run(
    jobs: Receiver<Job>,
    pending: Arc<Pending>,
    findings: Arc<Findings>,
    out: Sender<Outgoing>,
    stop: Arc<AtomicBool>,
) {
    while let Ok(first) = jobs.recv() {
        if stop.load(Ordering::Relaxed) {
            return;
        }
        let mut urgent = take(first, &findings, &out);
        let started = Instant::now();
        let mut quiet_until = started + DEBOUNCE;
        while !urgent {
            let now = Instant::now();
            if now >= quiet_until {
                break;
            }
            match jobs.recv_timeout(quiet_until - now) {
                Ok(job) => {
                    urgent = take(job, &findings, &out);
                    quiet_until = (Instant::now() + DEBOUNCE).min(started + MAX_DELAY);
                }
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        for s in pending.take() {
            if stop.load(Ordering::Relaxed) {
                return;
            }
            let diags = lint(&s, &findings);
            let version = Some(s.doc.version);
            if out.send(publish(s.uri, diags, version)).is_err() {
                return;
            }
        }
    }
}

/// Takes one job in: a pull is answered and a close cleared now. True when the pending work
/// should not wait for typing to pause.
fn take(job: Job, findings: &Findings, out: &Sender<Outgoing>) -> bool {
    match job {
        Job::Publish => false,
        Job::Pull(id, s) => {
            let report = full_report(lint(&s, findings));
            let _ = out.send(Outgoing::Message(Message::Response(Response::new_ok(
                id, report,
            ))));
            // The pull answered the newest text; a pending publish can go now too.
            true
        }
        // The main loop took the document out of `Pending` before sending this.
        Job::Close(uri) => {
            let _ = out.send(publish(uri, Vec::new(), None));
            false
        }
    }
}
