//! `check --diff`: each file's unified diff of what `--fix` would change, and nothing else, so
//! the output is a patch (`git apply`, `patch -p1`). The totals go to standard error.

use std::io::{self, Write};

use super::{Render, Reporter, Summary};
use crate::diagnostic::Diagnostic;
use crate::runner::FileReport;

#[derive(Default)]
pub struct Diff {
    /// For a terminal: control characters from documents shown as symbols (the diff is then
    /// for reading, not for applying).
    pub visible: bool,
}

struct DiffFile {
    visible: bool,
}

impl Render for DiffFile {
    fn open(&self, out: &mut dyn Write, report: &FileReport) -> io::Result<()> {
        let Some(diff) = report.fixed.as_ref().map(|f| f.diff.as_str()) else {
            return Ok(());
        };
        if self.visible {
            out.write_all(super::visible(diff).as_bytes())
        } else {
            out.write_all(diff.as_bytes())
        }
    }

    fn diagnostic(
        &self,
        _out: &mut dyn Write,
        _report: &FileReport,
        _index: usize,
        _d: &Diagnostic,
    ) -> io::Result<()> {
        Ok(())
    }
}

impl Reporter for Diff {
    fn render(&self) -> Box<dyn Render> {
        Box::new(DiffFile {
            visible: self.visible,
        })
    }

    fn finish(&mut self, _out: &mut dyn Write, _summary: &Summary) -> io::Result<()> {
        Ok(())
    }
}
