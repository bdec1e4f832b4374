//! Reporters turn file results into output. Each file's part is rendered on the worker thread
//! that checked it ([`Render`]); the main thread writes the parts one at a time, in path
//! order ([`Reporter`]), so output streams and memory does not grow with the number of files.

pub mod actions;
mod diff;
mod github;
mod human;
mod json;
mod junit;
mod sarif;
pub mod timeline;

use std::io::{self, Write};

pub use diff::Diff;
pub use github::{Github, escape_data, escape_property};
pub use human::Human;
pub use json::Json;
pub use junit::Junit;
pub use sarif::{Sarif, full_description, help_uri};

use crate::diagnostic::Diagnostic;
use crate::runner::{FileReport, Mode};

/// Control characters from a document shown as visible symbols (`␛` for ESC, `\u{9B}` for a
/// C1 control), so a document cannot drive the reader's terminal (colours, OSC 8 links,
/// cursor moves) or forge lines in a report. Tabs stay; line breaks are the caller's to
/// escape or keep.
pub fn visible(text: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| {
        (c.is_control() && !matches!(c, '\t' | '\n'))
            || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    };
    if !text.chars().any(bad) {
        return std::borrow::Cow::Borrowed(text);
    }
    text.chars()
        .map(|c| match c {
            c if !bad(c) => c.to_string(),
            '\u{0}'..='\u{1F}' => {
                char::from_u32(0x2400 + c as u32).map_or_else(String::new, String::from)
            }
            '\u{7F}' => "\u{2421}".to_string(),
            c => format!("\\u{{{:X}}}", c as u32),
        })
        .collect::<String>()
        .into()
}

/// As [`visible`], for text that must stay on its line (a file name or a message in a
/// header): a line feed is shown as `␊` too, so it cannot start a forged line.
pub fn visible_line(text: &str) -> std::borrow::Cow<'_, str> {
    match visible(text) {
        std::borrow::Cow::Borrowed(t) if !t.contains('\n') => std::borrow::Cow::Borrowed(t),
        v => v.replace('\n', "\u{240A}").into(),
    }
}

/// Totals over a run.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Files that could not be read.
    pub unreadable: usize,
    /// With `--fix` / `--diff`: fixes applied (or that would be), the files they change, and
    /// the files whose fixed text could not be written.
    pub fixes: usize,
    pub files_fixed: usize,
    pub fix_failures: usize,
    /// With `--fix` / `--diff`: findings left that have an unsafe fix.
    pub unsafe_fixable: usize,
}

impl Summary {
    pub fn add(&mut self, report: &FileReport) {
        use crate::diagnostic::Severity::*;
        self.files += 1;
        if report.error.is_some() {
            self.unreadable += 1;
        }
        if let Some(f) = &report.fixed {
            self.fixes += f.applied;
            self.files_fixed += usize::from(f.applied > 0);
            self.fix_failures += usize::from(f.error.is_some());
            self.unsafe_fixable += report
                .diagnostics
                .iter()
                .filter_map(crate::fix::fix_of)
                .filter(|f| f.applicability == crate::fix::Applicability::Unsafe)
                .count();
        }
        for d in &report.diagnostics {
            let n = d.findings();
            match d.severity {
                Error => self.errors += n,
                Warning => self.warnings += n,
                Info => self.infos += n,
                Off => {}
            }
        }
    }
}

/// The half of a reporter that draws one file's part of the report from that file alone, so
/// it runs on the worker thread that checked the file. A part is its opening, one piece per
/// diagnostic and its closing, so a part too large to hold can be finished piece by piece.
pub trait Render: Send + Sync {
    /// What a file's part starts with (an error line, a JSON object's opening).
    fn open(&self, _out: &mut dyn Write, _report: &FileReport) -> io::Result<()> {
        Ok(())
    }
    /// The file's diagnostic `index` (`d`).
    fn diagnostic(
        &self,
        out: &mut dyn Write,
        report: &FileReport,
        index: usize,
        d: &Diagnostic,
    ) -> io::Result<()>;
    /// What a file's part ends with.
    fn close(&self, _out: &mut dyn Write, _report: &FileReport) -> io::Result<()> {
        Ok(())
    }
}

/// A report: files' parts drawn by a [`Render`], written in path order with what goes
/// between and around them (`start_file`, `write`, `finish`, on the main thread).
pub trait Reporter {
    /// The rendering half, shared by the worker threads.
    fn render(&self) -> Box<dyn Render>;
    /// What goes before a file's part (a separator, a header), and the totals a frame needs.
    fn start_file(&mut self, _out: &mut dyn Write, _report: &FileReport) -> io::Result<()> {
        Ok(())
    }
    /// A piece of the current file's part, in order.
    fn write(&mut self, out: &mut dyn Write, part: &[u8]) -> io::Result<()> {
        out.write_all(part)
    }
    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()>;

    /// One whole file, rendered and written on this thread.
    fn file(&mut self, out: &mut dyn Write, report: &FileReport) -> io::Result<()> {
        let render = self.render();
        write_file(self, &*render, out, report, Ahead::default())
    }
}

/// Bytes of a file's part a worker renders ahead; the rest (a file with 200,000 findings)
/// is rendered by the main thread a diagnostic at a time as it is written, so it streams.
const AHEAD_BYTES: usize = 256 * 1024;

/// Where the rendering of a file's part stopped.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum Resume {
    #[default]
    Open,
    Diagnostic(usize),
    Done,
}

/// A file's part as far as a worker rendered it.
#[derive(Debug, Default)]
pub struct Ahead {
    bytes: Vec<u8>,
    resume: Resume,
}

/// Renders as much of `report`'s part as fits in [`AHEAD_BYTES`]; a diagnostic that may not
/// fit (a long span or message) is left to the main thread, with everything after it.
pub fn render_ahead(render: &dyn Render, report: &FileReport) -> Ahead {
    let mut bytes = Vec::new();
    match ahead(render, report, &mut bytes) {
        Ok(resume) => Ahead { bytes, resume },
        // Writing to a Vec does not fail; should a renderer, the main thread starts over.
        Err(_) => Ahead::default(),
    }
}

/// The diagnostics a renderer is given: none for a file that could not be checked, whose
/// part is its error line (and whose text, which snippets would quote, is empty).
fn shown(report: &FileReport) -> &[Diagnostic] {
    if report.error.is_some() {
        &[]
    } else {
        &report.diagnostics
    }
}

fn ahead(render: &dyn Render, report: &FileReport, bytes: &mut Vec<u8>) -> io::Result<Resume> {
    render.open(bytes, report)?;
    for (i, d) in shown(report).iter().enumerate() {
        let hint = d.span.len().saturating_add(d.message.len()).saturating_add(
            d.suggestion.as_ref().map_or(0, |s| {
                s.message.len() + s.replacement.as_ref().map_or(0, String::len)
            }),
        );
        if bytes.len().saturating_add(hint) > AHEAD_BYTES {
            return Ok(Resume::Diagnostic(i));
        }
        render.diagnostic(bytes, report, i, d)?;
    }
    render.close(bytes, report)?;
    Ok(Resume::Done)
}

impl Ahead {
    /// The whole part is rendered: the file's text is no longer needed.
    pub fn is_done(&self) -> bool {
        self.resume == Resume::Done
    }
}

/// Writes a file's part: what a worker rendered ahead, then the rest, rendered here one
/// piece at a time.
fn write_file<R: Reporter + ?Sized>(
    reporter: &mut R,
    render: &dyn Render,
    out: &mut dyn Write,
    report: &FileReport,
    ahead: Ahead,
) -> io::Result<()> {
    reporter.start_file(out, report)?;
    if !ahead.bytes.is_empty() {
        reporter.write(out, &ahead.bytes)?;
    }
    let from = match ahead.resume {
        Resume::Done => return Ok(()),
        Resume::Diagnostic(i) => i,
        Resume::Open => {
            let mut piece = Vec::new();
            render.open(&mut piece, report)?;
            reporter.write(out, &piece)?;
            0
        }
    };
    let mut piece = Vec::new();
    for (i, d) in shown(report).iter().enumerate().skip(from) {
        piece.clear();
        render.diagnostic(&mut piece, report, i, d)?;
        reporter.write(out, &piece)?;
    }
    piece.clear();
    render.close(&mut piece, report)?;
    reporter.write(out, &piece)
}

/// Checks `inputs` and writes the report: the one loop shared by the CLI and the tests.
pub fn run(
    inputs: Vec<crate::runner::Input>,
    resolver: &mut crate::config_file::Resolver,
    reporter: &mut dyn Reporter,
    out: &mut dyn Write,
) -> io::Result<Summary> {
    run_observed(inputs, resolver, Mode::Check, reporter, out, &mut |_| {})
}

/// As [`run`], showing `observe` every input's result in input order, including the files
/// skipped as not postmortems, which the reporter and the summary never see. Each file's part
/// is rendered on the worker that checked it; this thread only writes the parts in order.
pub fn run_observed(
    inputs: Vec<crate::runner::Input>,
    resolver: &mut crate::config_file::Resolver,
    mode: Mode,
    reporter: &mut dyn Reporter,
    out: &mut dyn Write,
    observe: &mut dyn FnMut(&FileReport),
) -> io::Result<Summary> {
    let render = reporter.render();
    let mut summary = Summary::default();
    let mut result = Ok(());
    // After a failed write (`pmlint check | head`) nothing more is rendered.
    let failed = std::sync::atomic::AtomicBool::new(false);
    let prepare = |r: &mut FileReport| {
        if r.skipped.is_some() || failed.load(std::sync::atomic::Ordering::Relaxed) {
            return Ahead::default();
        }
        let ahead = render_ahead(&*render, r);
        if ahead.is_done() {
            r.text = String::new();
        }
        ahead
    };
    crate::runner::check_in_mode(inputs, resolver, mode, prepare, |r, ahead| {
        observe(&r);
        if r.skipped.is_some() {
            return;
        }
        summary.add(&r);
        if result.is_ok() {
            result = write_file(reporter, &*render, out, &r, ahead);
            if result.is_err() {
                failed.store(true, std::sync::atomic::Ordering::Relaxed);
            }
        }
    });
    result?;
    reporter.finish(out, &summary)?;
    Ok(summary)
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// A CSV table written with the `csv` crate (quoting every field that needs it), with cells
/// that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR) prefixed with `'`.
pub fn csv_table(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> String {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    let mut write = |cells: Vec<String>| -> Result<(), csv::Error> {
        let cells: Vec<String> = cells
            .into_iter()
            .map(|c| {
                if c.starts_with(['=', '+', '-', '@', '\t', '\r']) {
                    format!("'{c}")
                } else {
                    c
                }
            })
            .collect();
        w.write_record(&cells)
    };
    // Writing to a Vec cannot fail; a failure would only drop the rows after it.
    let _ = write(header.iter().map(|h| h.to_string()).collect());
    for r in rows {
        if write(r).is_err() {
            break;
        }
    }
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;
    use crate::source::Position;

    fn report(path: &str, lines: usize, message: &str) -> FileReport {
        let text: String = (0..lines)
            .map(|i| format!("line {i} of {path}\n"))
            .collect();
        let mut offset = 0;
        let diagnostics = (0..lines)
            .map(|i| {
                let len = format!("line {i} of {path}\n").len();
                let d = Diagnostic {
                    code: crate::rules::RULES[i % 3].code,
                    name: crate::rules::RULES[i % 3].name,
                    severity: [Severity::Error, Severity::Warning, Severity::Info][i % 3],
                    message: format!("{message} {i}"),
                    span: offset + 5..offset + len - 1,
                    start: Position {
                        line: i + 1,
                        column: 6,
                    },
                    end: Position {
                        line: i + 1,
                        column: len,
                    },
                    suggestion: None,
                    more: 0,
                };
                offset += len;
                d
            })
            .collect();
        FileReport {
            path: path.into(),
            diagnostics,
            error: None,
            skipped: None,
            fixed: None,
            text,
        }
    }

    fn reporters() -> Vec<(&'static str, Box<dyn Reporter>)> {
        vec![
            ("human", Box::new(Human::plain())),
            ("styled", Box::new(Human::default())),
            ("json", Box::new(Json::default())),
            ("sarif", Box::new(Sarif::default())),
            ("github", Box::new(Github)),
            ("junit", Box::new(Junit::new(false))),
        ]
    }

    /// A report written file by file on one thread, and one rendered ahead (as the workers do)
    /// and written by `write_file`, are the same bytes.
    fn both_ways(reports: &[FileReport]) {
        let mut summary = Summary::default();
        reports.iter().for_each(|r| summary.add(r));
        for ((name, mut one), (_, mut two)) in reporters().into_iter().zip(reporters()) {
            let mut direct = Vec::new();
            for r in reports {
                one.file(&mut direct, r).expect("a Vec");
            }
            one.finish(&mut direct, &summary).expect("a Vec");
            let render = two.render();
            let mut ahead = Vec::new();
            for r in reports {
                let part = render_ahead(&*render, r);
                write_file(two.as_mut(), &*render, &mut ahead, r, part).expect("a Vec");
            }
            two.finish(&mut ahead, &summary).expect("a Vec");
            assert!(direct.len() > 100, "{name}");
            assert!(direct == ahead, "{name}: rendered ahead differs");
        }
    }

    #[test]
    fn a_small_part_is_rendered_whole_ahead() {
        let r = report("a.md", 5, "short");
        for (name, reporter) in reporters() {
            assert!(render_ahead(&*reporter.render(), &r).is_done(), "{name}");
        }
        let mut failed = report("b.md", 0, "");
        failed.error = Some("permission denied".into());
        both_ways(&[r, failed, report("c.md", 3, "three")]);
    }

    #[test]
    fn a_file_that_failed_shows_its_error_not_diagnostics() {
        let mut bare = report("b.md", 0, "");
        bare.error = Some("permission denied".into());
        let mut with = report("b.md", 3, "three");
        with.error = Some("permission denied".into());
        // JUnit builds a file's case from the whole report, not diagnostic by diagnostic.
        for (name, reporter) in reporters().into_iter().filter(|(n, _)| *n != "junit") {
            let render = reporter.render();
            let (a, b) = (render_ahead(&*render, &bare), render_ahead(&*render, &with));
            assert!(a.bytes == b.bytes && b.is_done(), "{name}");
        }
    }

    #[test]
    fn a_large_part_is_finished_by_the_writer_in_the_same_bytes() {
        let big = report("big.md", 4000, &"long message ".repeat(10));
        let ahead = render_ahead(&*Human::plain().render(), &big);
        assert!(
            matches!(ahead.resume, Resume::Diagnostic(i) if i > 10 && i < 4000),
            "{:?}",
            ahead.resume
        );
        assert!(ahead.bytes.len() <= AHEAD_BYTES);
        // A diagnostic that alone may not fit is left to the writer, with the rest.
        let mut wide = report("wide.md", 3, "wide");
        wide.diagnostics[1].span = 0..wide.text.len();
        wide.diagnostics[1].message = "m".repeat(AHEAD_BYTES);
        let ahead = render_ahead(&*Json::default().render(), &wide);
        assert_eq!(ahead.resume, Resume::Diagnostic(1));
        both_ways(&[
            report("a.md", 2, "before"),
            big,
            wide,
            report("z.md", 2, "after"),
        ]);
    }
}
