//! Reporters turn file results into output. Each gets files one at a time, in path order, so
//! output streams and memory does not grow with the number of files.

pub mod actions;
mod github;
mod human;
mod json;
mod junit;
mod sarif;
pub mod timeline;

use std::io::{self, Write};

pub use github::{Github, escape_data, escape_property};
pub use human::Human;
pub use json::Json;
pub use junit::Junit;
pub use sarif::{Sarif, full_description, help_uri};

use crate::runner::FileReport;

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
}

impl Summary {
    pub fn add(&mut self, report: &FileReport) {
        use crate::diagnostic::Severity::*;
        self.files += 1;
        if report.error.is_some() {
            self.unreadable += 1;
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

pub trait Reporter {
    fn file(&mut self, out: &mut dyn Write, report: &FileReport) -> io::Result<()>;
    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()>;
}

/// Checks `inputs` and writes the report: the one loop shared by the CLI and the tests.
pub fn run(
    inputs: Vec<crate::runner::Input>,
    resolver: &mut crate::config_file::Resolver,
    reporter: &mut dyn Reporter,
    out: &mut dyn Write,
) -> io::Result<Summary> {
    run_observed(inputs, resolver, reporter, out, &mut |_| {})
}

/// As [`run`], showing `observe` every input's result in input order, including the files
/// skipped as not postmortems, which the reporter and the summary never see.
pub fn run_observed(
    inputs: Vec<crate::runner::Input>,
    resolver: &mut crate::config_file::Resolver,
    reporter: &mut dyn Reporter,
    out: &mut dyn Write,
    observe: &mut dyn FnMut(&FileReport),
) -> io::Result<Summary> {
    let mut summary = Summary::default();
    let mut result = Ok(());
    crate::runner::check(inputs, resolver, |r| {
        observe(&r);
        if r.skipped.is_some() {
            return;
        }
        summary.add(&r);
        if result.is_ok() {
            result = reporter.file(out, &r);
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
