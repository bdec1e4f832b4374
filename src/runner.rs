//! Reading and checking the inputs `discover` found, in parallel, in deterministic order.
//!
//! Files are linted in parallel with rayon, a bounded window ahead of the output, and handed
//! on in path order, so memory stays flat.

use std::borrow::Cow;
use std::io::Read;
use std::path::{Path, PathBuf};

use std::collections::VecDeque;
use std::sync::{Arc, mpsc};

use crate::config::Config;
use crate::config_file::Resolver;
use crate::diagnostic::Diagnostic;
use crate::discover::Skip;

/// The name standard input is reported under when `--stdin-filename` gives none.
pub const STDIN_NAME: &str = "<stdin>";

/// Files larger than this are refused rather than read into memory.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A file to check (named on the command line, or named by an `include` glob).
    File(PathBuf),
    /// A file a directory walk found: checked only if it reads as a postmortem.
    Found(PathBuf),
    /// Standard input, reported under this name.
    Stdin(String),
    /// A path that could not be used, with the reason.
    Bad(PathBuf, String),
}

impl Input {
    pub fn display(&self) -> String {
        self.name().into_owned()
    }

    /// [`Input::display`] without a copy where the path is UTF-8 (sorting compares these).
    pub fn name(&self) -> Cow<'_, str> {
        match self {
            Input::File(p) | Input::Found(p) | Input::Bad(p, _) => match p.to_string_lossy() {
                Cow::Borrowed(s) => Cow::Borrowed(s.strip_prefix("./").unwrap_or(s)),
                Cow::Owned(s) => Cow::Owned(s.strip_prefix("./").unwrap_or(&s).to_string()),
            },
            Input::Stdin(name) => Cow::Borrowed(name),
        }
    }
}

/// What `check` does with each file besides reporting its findings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Mode {
    #[default]
    Check,
    /// Apply the safe fixes, and the unsafe ones too with `unsafe_fixes`. With `write`, into
    /// the file (standard input: to standard output) and the findings reported are those
    /// left; without, nothing is written and the report says what would change (a diff).
    Fix { unsafe_fixes: bool, write: bool },
}

/// The result for one file: its diagnostics, or why it could not be checked.
#[derive(Debug)]
pub struct FileReport {
    pub path: String,
    pub diagnostics: Vec<Diagnostic>,
    pub error: Option<String>,
    /// Not checked: a walk found it, and it does not read as a postmortem.
    pub skipped: Option<Skip>,
    /// In [`Mode::Fix`]: what fixing did.
    pub fixed: Option<Fixing>,
    pub(crate) text: String,
}

/// What fixing one file did.
#[derive(Debug, Default)]
pub struct Fixing {
    /// Fixes applied (or, without `write`, that would be).
    pub applied: usize,
    /// The unified diff of the change; empty when nothing changed.
    pub diff: String,
    /// Standard input's fixed text, which goes to standard output.
    pub output: Option<String>,
    /// Why the fixed text could not be written (the file is left as it was).
    pub error: Option<String>,
}

impl FileReport {
    /// The checked text (BOM removed), which the diagnostics' spans point into.
    pub fn text(&self) -> &str {
        self.text.strip_prefix('\u{feff}').unwrap_or(&self.text)
    }
}

pub(crate) fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

impl Input {
    /// The path whose configuration applies: the file's, or the name given to standard
    /// input (`--stdin-filename team/pm.md` uses the pmlint.toml above `team/`).
    pub fn config_path(&self) -> Option<&Path> {
        match self {
            Input::File(p) | Input::Found(p) | Input::Bad(p, _) => Some(p),
            Input::Stdin(name) if name != STDIN_NAME => Some(Path::new(name)),
            Input::Stdin(_) => None,
        }
    }

    /// Reads the input as `check` does (regular files only, size limit, UTF-8).
    pub fn read(&self) -> Result<String, String> {
        match self {
            Input::File(p) | Input::Found(p) => read_file(p),
            Input::Stdin(_) => read_document(Path::new("-")),
            Input::Bad(_, reason) => Err(reason.clone()),
        }
    }
}

impl FileReport {
    fn failed(path: String, error: String) -> FileReport {
        FileReport {
            path,
            diagnostics: Vec::new(),
            error: Some(error),
            skipped: None,
            fixed: None,
            text: String::new(),
        }
    }
}

/// Checks every input with the configuration that applies to it (the nearest `pmlint.toml`,
/// resolved once per directory) and passes each report, in input order, to `sink`.
pub fn check(inputs: Vec<Input>, resolver: &mut Resolver, mut sink: impl FnMut(FileReport)) {
    check_with(inputs, resolver, |_| (), |r, ()| sink(r));
}

/// As [`check`], running `prepare` on each report on the worker thread that checked it (the
/// reporters render there) and passing its result along with the report.
///
/// Files are checked in parallel, in batches ([`batch_size`]), at most [`window`] batches ahead
/// of the one `sink` waits for: a batch that finishes early waits in a reorder buffer of that
/// many, so memory stays flat however many files there are, and the workers never wait for
/// `sink`.
pub fn check_with<T: Send>(
    inputs: Vec<Input>,
    resolver: &mut Resolver,
    prepare: impl Fn(&mut FileReport) -> T + Sync,
    sink: impl FnMut(FileReport, T),
) {
    check_in_mode(inputs, resolver, Mode::Check, prepare, sink);
}

/// As [`check_with`], fixing each file as `mode` says.
pub fn check_in_mode<T: Send>(
    inputs: Vec<Input>,
    resolver: &mut Resolver,
    mode: Mode,
    prepare: impl Fn(&mut FileReport) -> T + Sync,
    mut sink: impl FnMut(FileReport, T),
) {
    let mut configured = |input: Input| {
        let config = resolver
            .for_file(input.config_path())
            .map_err(|e| format!("configuration error: {e}"));
        (input, config)
    };
    let one = |(input, config): (Input, Result<Arc<Config>, String>)| {
        let mut report = match config {
            Ok(c) => check_one(input, &c, mode),
            Err(e) => FileReport::failed(input.display(), e),
        };
        let prepared = prepare(&mut report);
        (report, prepared)
    };
    // One file (an editor, a pre-commit hook) does not pay for starting the thread pool.
    if inputs.len() == 1 {
        for input in inputs {
            let (report, prepared) = one(configured(input));
            sink(report, prepared);
        }
        return;
    }
    let window = window();
    let batch_size = batch_size(inputs.len());
    let (tx, rx) = mpsc::channel();
    rayon::in_place_scope_fifo(|scope| {
        let mut inputs = inputs.into_iter().peekable();
        // Slot k holds batch `written + k` once it is done.
        let mut pending: VecDeque<Option<Vec<(FileReport, T)>>> = VecDeque::new();
        let mut written = 0;
        loop {
            // Configurations are resolved here, in input order, as the files are handed out.
            while pending.len() < window && inputs.peek().is_some() {
                let batch: Vec<_> = inputs
                    .by_ref()
                    .take(batch_size)
                    .map(&mut configured)
                    .collect();
                let (tx, one, index) = (tx.clone(), &one, written + pending.len());
                scope.spawn_fifo(move |_| {
                    let done = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        batch.into_iter().map(one).collect::<Vec<_>>()
                    }));
                    // The receiver outlives the scope, so this cannot fail.
                    let _ = tx.send((index, done));
                });
                pending.push_back(None);
            }
            if pending.is_empty() {
                break;
            }
            let Ok((index, done)) = rx.recv() else { break };
            match done {
                Ok(done) => {
                    if let Some(slot) = index.checked_sub(written).and_then(|k| pending.get_mut(k))
                    {
                        *slot = Some(done);
                    }
                }
                // A panic outside `check_one`'s guard (in `prepare`) is a bug: raised here.
                Err(panic) => std::panic::resume_unwind(panic),
            }
            while let Some(Some(_)) = pending.front() {
                if let Some(Some(batch)) = pending.pop_front() {
                    batch
                        .into_iter()
                        .for_each(|(report, prepared)| sink(report, prepared));
                }
                written += 1;
            }
        }
    });
}

/// Files per task: one hand-over (a spawn, a message, a wake-up of this thread) per several
/// files rather than per file, yet at least a few batches per worker so a short run still
/// spreads over every core.
fn batch_size(files: usize) -> usize {
    let workers = rayon::current_num_threads().max(1);
    (files / workers.saturating_mul(8)).clamp(1, MAX_BATCH)
}

/// Past this, bigger batches save nothing measurable and hold more reports in memory.
const MAX_BATCH: usize = 16;

/// Batches checked ahead of the one being written: enough to keep every worker busy past a
/// slow file, few enough that their reports take little memory (64 files on two threads).
fn window() -> usize {
    rayon::current_num_threads().saturating_mul(8).max(16)
}

fn check_one(input: Input, config: &Config, mode: Mode) -> FileReport {
    let path = input.display();
    let found = matches!(input, Input::Found(_));
    let report = lint_one(&input, path, found, config);
    match mode {
        Mode::Fix {
            unsafe_fixes,
            write,
        } if report.error.is_none() && report.skipped.is_none() => {
            fix_one(&input, report, config, unsafe_fixes, write)
        }
        _ => report,
    }
}

/// Applies the fixes to a checked file: in the file (atomically, only if it is unchanged),
/// to standard output for standard input, or only as a diff.
fn fix_one(
    input: &Input,
    mut report: FileReport,
    config: &Config,
    unsafe_fixes: bool,
    write: bool,
) -> FileReport {
    let diagnostics = std::mem::take(&mut report.diagnostics);
    let fixed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        crate::fix::fix_source(
            &report.text,
            config,
            unsafe_fixes,
            Some(diagnostics.clone()),
        )
    }));
    let Ok(fixed) = fixed else {
        report.diagnostics = diagnostics;
        report.fixed = Some(Fixing {
            error: Some(
                "internal error while fixing this file (a pmlint bug; please report it)".into(),
            ),
            ..Fixing::default()
        });
        return report;
    };
    let mut fixing = Fixing {
        applied: fixed.applied,
        diff: crate::fix::unified_diff(&report.text, &fixed.text, &report.path),
        ..Fixing::default()
    };
    if !write {
        report.diagnostics = diagnostics;
    } else if let Input::Stdin(_) = input {
        fixing.output = Some(fixed.text.clone());
        report.diagnostics = fixed.diagnostics;
        report.text = fixed.text;
    } else if fixed.applied == 0 || fixed.text == report.text {
        report.diagnostics = diagnostics;
    } else {
        let path = match input {
            Input::File(p) | Input::Found(p) => Some(p),
            _ => None,
        };
        match path.map(|p| crate::fix::write::replace(p, &report.text, &fixed.text)) {
            Some(Ok(())) => {
                report.diagnostics = fixed.diagnostics;
                report.text = fixed.text;
            }
            Some(Err(e)) => {
                report.diagnostics = diagnostics;
                fixing.applied = 0;
                fixing.error = Some(e);
            }
            None => report.diagnostics = diagnostics,
        }
    }
    report.fixed = Some(fixing);
    report
}

/// Reads and lints one input.
fn lint_one(input: &Input, path: String, found: bool, config: &Config) -> FileReport {
    match input.read() {
        Ok(text) => {
            // A bug in one rule must not take the other files down with it.
            let linted = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                crate::lint_if(&text, config, |doc, timeline| {
                    !found || crate::discover::reads_as_postmortem(doc, timeline, config)
                })
            }));
            match linted {
                Ok(Some(diagnostics)) => FileReport {
                    path,
                    diagnostics,
                    error: None,
                    skipped: None,
                    fixed: None,
                    text,
                },
                Ok(None) => FileReport {
                    path,
                    diagnostics: Vec::new(),
                    error: None,
                    skipped: Some(Skip::Content),
                    fixed: None,
                    text: String::new(),
                },
                Err(_) => FileReport::failed(
                    path,
                    "internal error while checking this file (a pmlint bug; please report it)"
                        .into(),
                ),
            }
        }
        Err(reason) => FileReport::failed(path, reason),
    }
}

/// Reads an input and finds its configuration, as `check` does.
pub fn read_configured(
    input: &Input,
    resolver: &mut Resolver,
) -> Result<(String, Arc<Config>), String> {
    let text = input.read()?;
    let config = resolver
        .for_file(input.config_path())
        .map_err(|e| format!("configuration error: {e}"))?;
    Ok((text, config))
}

/// Reads a document as `check` does, for every command: `-` is standard input, anything
/// else must be a regular file; either way at most `MAX_FILE_BYTES`, and UTF-8.
pub fn read_document(path: &Path) -> Result<String, String> {
    if path.as_os_str() == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .take(MAX_FILE_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| io_reason(&e))?;
        return decode(bytes);
    }
    read_file(path)
}

fn read_file(path: &Path) -> Result<String, String> {
    let file = std::fs::File::open(path).map_err(|e| io_reason(&e))?;
    let meta = file.metadata().map_err(|e| io_reason(&e))?;
    if !meta.is_file() {
        return Err("not a regular file".into());
    }
    let mut bytes = Vec::with_capacity(meta.len().min(MAX_FILE_BYTES) as usize);
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io_reason(&e))?;
    decode(bytes)
}

pub(crate) fn decode(bytes: Vec<u8>) -> Result<String, String> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(format!(
            "larger than {} MiB; not checked",
            MAX_FILE_BYTES >> 20
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let line = bytes[..at].iter().filter(|b| **b == b'\n').count() + 1;
        let col = String::from_utf8_lossy(&bytes[..at])
            .rsplit('\n')
            .next()
            .map_or(0, |l| l.chars().count())
            + 1;
        format!("not valid UTF-8 (line {line}, column {col})")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(dir: &Path, n: usize) -> Vec<Input> {
        (0..n)
            .map(|i| {
                let path = dir.join(format!("pm{i:04}.md"));
                // Sizes vary so that files finish out of order.
                let body = "Some prose.\n".repeat((i * 7919) % 300);
                std::fs::write(&path, format!("# Postmortem {i}\n\n{body}")).expect("temp dir");
                Input::File(path)
            })
            .collect()
    }

    #[test]
    fn reports_arrive_in_input_order_however_they_finish() {
        let dir = tempfile::tempdir().expect("temp dir");
        let n = window() * MAX_BATCH * 3 + 3;
        let inputs = files(dir.path(), n);
        let expected: Vec<String> = inputs.iter().map(Input::display).collect();
        let mut resolver = Resolver::new(Config::default(), None, true);
        let mut seen = Vec::new();
        check_with(
            inputs,
            &mut resolver,
            |r| (r.path.clone(), r.diagnostics.len()),
            |r, (path, count)| {
                // What `prepare` made of a report travels with that report.
                assert_eq!((&r.path, r.diagnostics.len()), (&path, count));
                seen.push(r.path);
            },
        );
        assert_eq!(seen, expected);
        // One file is checked on this thread, as many are on the pool.
        let one = files(dir.path(), 1);
        let mut seen = Vec::new();
        check(one, &mut resolver, |r| seen.push(r.path));
        assert_eq!(seen, expected[..1]);
    }

    #[test]
    fn a_panic_while_preparing_a_report_is_raised_not_a_hang() {
        let dir = tempfile::tempdir().expect("temp dir");
        let inputs = files(dir.path(), 40);
        let mut resolver = Resolver::new(Config::default(), None, true);
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            check_with(
                inputs,
                &mut resolver,
                |r| assert!(!r.path.ends_with("pm0017.md"), "prepare failed"),
                |_, ()| {},
            )
        }));
        assert!(run.is_err());
    }
}
