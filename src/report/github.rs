//! `--format github`: GitHub Actions workflow commands, one annotation per diagnostic.
//! GitHub shows at most 10 error and 10 warning annotations per step; for large changes,
//! upload SARIF instead (see the README).

use std::io::{self, Write};

use super::{Render, Reporter, Summary};
use crate::diagnostic::{Diagnostic, Severity};
use crate::runner::FileReport;

#[derive(Default)]
pub struct Github;

/// Escapes a message (`%`, CR, LF), as the workflow-command grammar requires.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value: also `:` and `,`.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

impl Render for Github {
    fn open(&self, out: &mut dyn Write, report: &FileReport) -> io::Result<()> {
        if let Some(err) = &report.error {
            return writeln!(
                out,
                "::error file={},title=pmlint::{}",
                file(report),
                escape_data(&super::visible(err))
            );
        }
        Ok(())
    }

    fn diagnostic(
        &self,
        out: &mut dyn Write,
        report: &FileReport,
        _index: usize,
        d: &Diagnostic,
    ) -> io::Result<()> {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            _ => "notice",
        };
        let mut message = super::visible(&d.message).into_owned();
        if let Some(s) = &d.suggestion {
            message.push_str(&format!("\nhelp: {}", super::visible(&s.message)));
        }
        writeln!(
            out,
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            file(report),
            d.start.line,
            d.start.column,
            d.end.line,
            d.end.column,
            escape_property(&format!("{} {}", d.code, d.name)),
            escape_data(&message)
        )
    }
}

/// The file's name as a property. The runner's log shows ANSI escapes: a file name's controls
/// are made visible too.
fn file(report: &FileReport) -> String {
    escape_property(&super::visible(&report.path))
}

impl Reporter for Github {
    fn render(&self) -> Box<dyn Render> {
        Box::new(Github)
    }

    fn finish(&mut self, _out: &mut dyn Write, _summary: &Summary) -> io::Result<()> {
        Ok(())
    }
}
