//! `--format json`: a stable shape that CI consumers parse. Add fields, never rename them.

use std::io::{self, Write};

use serde::Serialize;

use super::{Render, Reporter, Summary};
use crate::diagnostic::Diagnostic;
use crate::runner::FileReport;

/// The report; its files' entries are rendered by [`JsonFile`].
#[derive(Default)]
pub struct Json {
    files_written: usize,
}

/// A file's entry, `{"path":...,"error":...,"diagnostics":[...]}`, written a diagnostic at a
/// time (serde_json's compact output of the same fields, in the same order).
struct JsonFile;

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'a str,
    name: &'a str,
    severity: &'a str,
    message: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    suggestion: Option<JsonSuggestion<'a>>,
    /// Only on a capped rule's last diagnostic: the findings it stands for.
    #[serde(skip_serializing_if = "is_zero")]
    more: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

#[derive(Serialize)]
struct JsonSuggestion<'a> {
    message: &'a str,
    replacement: Option<&'a str>,
    /// With a replacement: `safe` (`--fix`) or `unsafe` (`--fix --unsafe-fixes`).
    #[serde(skip_serializing_if = "Option::is_none")]
    applicability: Option<&'static str>,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
}

impl<'a> From<&'a Diagnostic> for JsonDiagnostic<'a> {
    fn from(d: &'a Diagnostic) -> Self {
        JsonDiagnostic {
            code: d.code,
            name: d.name,
            severity: d.severity.as_str(),
            message: &d.message,
            line: d.start.line,
            column: d.start.column,
            end_line: d.end.line,
            end_column: d.end.column,
            suggestion: d.suggestion.as_ref().map(|s| JsonSuggestion {
                message: &s.message,
                replacement: s.replacement.as_deref(),
                applicability: crate::fix::fix_of(d).map(|f| f.applicability.as_str()),
                line: s.start.line,
                column: s.start.column,
                end_line: s.end.line,
                end_column: s.end.column,
            }),
            more: d.more,
        }
    }
}

impl Render for JsonFile {
    fn open(&self, out: &mut dyn Write, report: &FileReport) -> io::Result<()> {
        out.write_all(b"{\"path\":")?;
        serde_json::to_writer(&mut *out, &report.path)?;
        if let Some(err) = &report.error {
            out.write_all(b",\"error\":")?;
            serde_json::to_writer(&mut *out, err)?;
        }
        out.write_all(b",\"diagnostics\":[")
    }

    fn diagnostic(
        &self,
        out: &mut dyn Write,
        _report: &FileReport,
        index: usize,
        d: &Diagnostic,
    ) -> io::Result<()> {
        if index > 0 {
            out.write_all(b",")?;
        }
        serde_json::to_writer(&mut *out, &JsonDiagnostic::from(d))?;
        Ok(())
    }

    fn close(&self, out: &mut dyn Write, _report: &FileReport) -> io::Result<()> {
        out.write_all(b"]}")
    }
}

impl Reporter for Json {
    fn render(&self) -> Box<dyn Render> {
        Box::new(JsonFile)
    }

    fn start_file(&mut self, out: &mut dyn Write, _report: &FileReport) -> io::Result<()> {
        out.write_all(if self.files_written == 0 {
            b"{\"version\":1,\"files\":["
        } else {
            b","
        })?;
        self.files_written += 1;
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, s: &Summary) -> io::Result<()> {
        if self.files_written == 0 {
            out.write_all(b"{\"version\":1,\"files\":[")?;
        }
        let summary = serde_json::json!({
            "files": s.files, "errors": s.errors, "warnings": s.warnings, "infos": s.infos,
        });
        write!(out, "],\"summary\":{summary}}}")?;
        writeln!(out)
    }
}
