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
}

impl Default for Junit {
    fn default() -> Self {
        Junit {
            suite: TestSuite::new("pmlint"),
        }
    }
}

impl Reporter for Junit {
    fn file(&mut self, _out: &mut dyn Write, report: &FileReport) -> io::Result<()> {
        let line = |d: &crate::Diagnostic| {
            format!(
                "{}:{}:{}: {}[{} {}]: {}",
                report.path, d.start.line, d.start.column, d.severity, d.code, d.name, d.message
            )
        };
        let errors: Vec<String> = report
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(line)
            .collect();
        let others: Vec<String> = report
            .diagnostics
            .iter()
            .filter(|d| d.severity != Severity::Error)
            .map(line)
            .collect();
        let status = if let Some(err) = &report.error {
            let mut s = TestCaseStatus::non_success(NonSuccessKind::Error);
            s.set_message(format!("could not be read: {err}"));
            s
        } else if errors.is_empty() {
            TestCaseStatus::success()
        } else {
            let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
            s.set_message(format!(
                "{} error{}",
                errors.len(),
                if errors.len() == 1 { "" } else { "s" }
            ))
            .set_type("pmlint")
            .set_description(errors.join("\n"));
            s
        };
        let mut case = TestCase::new(report.path.clone(), status);
        case.set_classname("pmlint");
        if !others.is_empty() {
            case.set_system_out(others.join("\n"));
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
