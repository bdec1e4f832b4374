//! Finding the files to check and checking them in parallel, in deterministic order.
//!
//! Directories are walked with the `ignore` crate (the walker behind ripgrep), so `.gitignore`
//! is honoured, symlinks are not followed (no loops) and only regular files are read (a FIFO
//! never blocks the run). Files are linted in chunks with rayon and handed to the reporter in
//! path order; a chunk is dropped before the next is read, so memory stays flat.

use std::io::Read;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use std::sync::Arc;

use crate::config::Config;
use crate::config_file::Resolver;
use crate::diagnostic::Diagnostic;

/// Extensions a directory walk picks up. Files named explicitly are checked whatever their name.
pub const EXTENSIONS: &[&str] = &["md", "markdown", "txt"];

/// Files larger than this are refused rather than read into memory.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Files linted per parallel chunk.
const CHUNK: usize = 256;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    File(PathBuf),
    /// Standard input, reported under this name.
    Stdin(String),
    /// A path that could not be used, with the reason.
    Bad(PathBuf, String),
}

impl Input {
    fn display(&self) -> String {
        match self {
            Input::File(p) | Input::Bad(p, _) => display_path(p),
            Input::Stdin(name) => name.clone(),
        }
    }
}

/// The result for one file: its diagnostics, or why it could not be checked.
#[derive(Debug)]
pub struct FileReport {
    pub path: String,
    pub diagnostics: Vec<Diagnostic>,
    pub error: Option<String>,
    pub(crate) text: String,
}

impl FileReport {
    /// The checked text (BOM removed), which the diagnostics' spans point into.
    pub fn text(&self) -> &str {
        self.text.strip_prefix('\u{feff}').unwrap_or(&self.text)
    }
}

fn display_path(p: &Path) -> String {
    let s = p.to_string_lossy();
    s.strip_prefix("./").unwrap_or(&s).to_string()
}

/// Expands paths into inputs: files as given, directories walked, `-` as stdin.
/// Directory contents are sorted; the order of the paths given is kept.
pub fn discover(paths: &[PathBuf], stdin_name: Option<&str>) -> Vec<Input> {
    discover_with(paths, stdin_name, None)
}

/// As [`discover`], applying the `include`/`exclude` globs of the configuration found for
/// each directory walked.
pub fn discover_with(
    paths: &[PathBuf],
    stdin_name: Option<&str>,
    mut resolver: Option<&mut Resolver>,
) -> Vec<Input> {
    let mut inputs = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(Input::Stdin(stdin_name.unwrap_or("<stdin>").to_string()));
            continue;
        }
        match std::fs::metadata(path) {
            Err(e) => inputs.push(Input::Bad(path.clone(), io_reason(&e))),
            Ok(m) if m.is_dir() => {
                let globs = resolver
                    .as_deref_mut()
                    .and_then(|r| r.for_file(Some(&path.join("."))).ok())
                    .map(|c| (c.include.clone(), c.exclude.clone()))
                    .unwrap_or_default();
                walk(path, &globs, &mut inputs)
            }
            Ok(m) if m.is_file() => inputs.push(Input::File(path.clone())),
            Ok(_) => inputs.push(Input::Bad(path.clone(), "not a regular file".into())),
        }
    }
    inputs
}

fn walk(dir: &Path, (include, exclude): &(Vec<String>, Vec<String>), inputs: &mut Vec<Input>) {
    let mut found = Vec::new();
    let mut overrides = ignore::overrides::OverrideBuilder::new(dir);
    for g in include {
        let _ = overrides.add(g);
    }
    for g in exclude {
        let _ = overrides.add(&format!("!{g}"));
    }
    let overrides = overrides
        .build()
        .unwrap_or_else(|_| ignore::overrides::Override::empty());
    let walker = ignore::WalkBuilder::new(dir)
        .overrides(overrides)
        .require_git(false)
        .follow_links(false)
        .sort_by_file_name(|a, b| a.cmp(b))
        .build();
    for entry in walker {
        match entry {
            Ok(e) => {
                let is_file = e.file_type().is_some_and(|t| t.is_file());
                let wanted = e
                    .path()
                    .extension()
                    .and_then(|x| x.to_str())
                    .is_some_and(|x| EXTENSIONS.iter().any(|w| x.eq_ignore_ascii_case(w)));
                if is_file && wanted {
                    found.push(Input::File(e.into_path()));
                }
            }
            Err(e) => {
                let path = match &e {
                    ignore::Error::WithPath { path, .. } => path.clone(),
                    _ => dir.to_path_buf(),
                };
                found.push(Input::Bad(path, e.to_string()));
            }
        }
    }
    found.sort_by_key(|a| a.display());
    inputs.extend(found);
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// Checks every input with the configuration that applies to it (the nearest `pmlint.toml`,
/// resolved once per directory) and passes each report, in input order, to `sink`.
pub fn check(inputs: Vec<Input>, resolver: &mut Resolver, mut sink: impl FnMut(FileReport)) {
    let mut inputs = inputs.into_iter().peekable();
    while inputs.peek().is_some() {
        let chunk: Vec<(Input, Result<Arc<Config>, String>)> = inputs
            .by_ref()
            .take(CHUNK)
            .map(|i| {
                let path = match &i {
                    Input::File(p) | Input::Bad(p, _) => Some(p.as_path()),
                    Input::Stdin(_) => None,
                };
                let config = resolver
                    .for_file(path)
                    .map_err(|e| format!("configuration error: {e}"));
                (i, config)
            })
            .collect();
        // One file (an editor, a pre-commit hook) does not pay for starting the thread pool.
        let one = |(input, config): (Input, Result<Arc<Config>, String>)| match config {
            Ok(c) => check_one(input, &c),
            Err(e) => FileReport {
                path: input.display(),
                diagnostics: Vec::new(),
                error: Some(e),
                text: String::new(),
            },
        };
        let reports: Vec<FileReport> = if chunk.len() == 1 {
            chunk.into_iter().map(one).collect()
        } else {
            chunk.into_par_iter().map(one).collect()
        };
        reports.into_iter().for_each(&mut sink);
    }
}

fn check_one(input: Input, config: &Config) -> FileReport {
    let path = input.display();
    let read = match input {
        Input::File(p) => read_file(&p),
        Input::Stdin(_) => {
            let mut bytes = Vec::new();
            std::io::stdin()
                .take(MAX_FILE_BYTES + 1)
                .read_to_end(&mut bytes)
                .map_err(|e| io_reason(&e))
                .and_then(|_| decode(bytes))
        }
        Input::Bad(_, reason) => Err(reason),
    };
    match read {
        Ok(text) => {
            // A bug in one rule must not take the other files down with it.
            let linted = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                crate::lint_source(&text, config)
            }));
            match linted {
                Ok(diagnostics) => FileReport {
                    path,
                    diagnostics,
                    error: None,
                    text,
                },
                Err(_) => FileReport {
                    path,
                    diagnostics: Vec::new(),
                    error: Some(
                        "internal error while checking this file (a pmlint bug; please report it)"
                            .into(),
                    ),
                    text: String::new(),
                },
            }
        }
        Err(reason) => FileReport {
            path,
            diagnostics: Vec::new(),
            error: Some(reason),
            text: String::new(),
        },
    }
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
