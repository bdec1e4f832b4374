//! `--format junit`: JUnit XML (quick-junit), a test case per file. Each file's errors make
//! its failure (one entry per error in the failure text); warnings and notes go to
//! `system-out`.

use std::io::{self, Write};

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use super::{Reporter, Summary};
use crate::diagnostic::Severity;
use crate::runner::FileReport;

pub struct Junit {
    suite: TestSuite,
    /// `--deny-warnings`: warnings fail the run, so they fail their file's case too.
    deny_warnings: bool,
}

impl Default for Junit {
    fn default() -> Self {
        Junit::new(false)
    }
}

impl Junit {
    pub fn new(deny_warnings: bool) -> Self {
        Junit {
            suite: TestSuite::new("pmlint"),
            deny_warnings,
        }
    }
}

/// XML 1.0 forbids most control characters, U+FFFE and U+FFFF even as references: they are
/// written as visible `\u{...}` text so the report stays well-formed whatever a file holds.
fn xml_safe(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => c.to_string(),
            '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'.. => c.to_string(),
            _ => format!("\\u{{{:04X}}}", c as u32),
        })
        .collect()
}

impl Reporter for Junit {
    fn file(&mut self, _out: &mut dyn Write, report: &FileReport) -> io::Result<()> {
        let line = |d: &crate::Diagnostic| {
            format!(
                "{}:{}:{}: {}[{} {}]: {}",
                report.path, d.start.line, d.start.column, d.severity, d.code, d.name, d.message
            )
        };
        let fails = |d: &&crate::Diagnostic| {
            d.severity == Severity::Error || (self.deny_warnings && d.severity == Severity::Warning)
        };
        let errors: Vec<String> = report.diagnostics.iter().filter(fails).map(line).collect();
        // A capped rule's stand-in counts for every finding it folds.
        let failed: usize = report
            .diagnostics
            .iter()
            .filter(fails)
            .map(|d| d.findings())
            .sum();
        let others: Vec<String> = report
            .diagnostics
            .iter()
            .filter(|d| !fails(d))
            .map(line)
            .collect();
        let status = if let Some(err) = &report.error {
            let mut s = TestCaseStatus::non_success(NonSuccessKind::Error);
            s.set_message(xml_safe(&format!("could not be read: {err}")));
            s
        } else if errors.is_empty() {
            TestCaseStatus::success()
        } else {
            let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
            let what = if self.deny_warnings {
                "finding"
            } else {
                "error"
            };
            s.set_message(format!(
                "{failed} {what}{}",
                if failed == 1 { "" } else { "s" }
            ))
            .set_type("pmlint")
            .set_description(xml_safe(&errors.join("\n")));
            s
        };
        let mut case = TestCase::new(xml_safe(&report.path), status);
        case.set_classname("pmlint");
        if !others.is_empty() {
            case.set_system_out(xml_safe(&others.join("\n")));
        }
        self.suite.add_test_case(case);
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, _summary: &Summary) -> io::Result<()> {
        let mut report = Report::new("pmlint");
        report.add_test_suite(std::mem::replace(&mut self.suite, TestSuite::new("pmlint")));
        report.serialize(&mut *out).map_err(io::Error::other)?;
        writeln!(out)
    }
}
