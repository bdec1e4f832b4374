//! `--format junit`: JUnit XML (quick-junit), a test case per file. Each file's errors make
//! its failure (one entry per error in the failure text); warnings and notes go to
//! `system-out`. Each case is serialized by the worker that checked its file; the suite's
//! frame, which counts them, is written around them at the end.

use std::io::{self, Write};

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use super::{Render, Reporter, Summary};
use crate::diagnostic::Severity;
use crate::runner::FileReport;

pub struct Junit {
    /// `--deny-warnings`: warnings fail the run, so they fail their file's case too.
    deny_warnings: bool,
    tests: usize,
    failures: usize,
    errors: usize,
    /// The test cases' XML, in order: the suite's opening tag counts them, so they wait.
    cases: Vec<u8>,
}

impl Default for Junit {
    fn default() -> Self {
        Junit::new(false)
    }
}

impl Junit {
    pub fn new(deny_warnings: bool) -> Self {
        Junit {
            deny_warnings,
            tests: 0,
            failures: 0,
            errors: 0,
            cases: Vec::new(),
        }
    }
}

/// Renders a file's test case as quick-junit writes it inside the suite.
struct Case {
    deny_warnings: bool,
}

impl Case {
    fn fails(&self, d: &crate::Diagnostic) -> bool {
        d.severity == Severity::Error || (self.deny_warnings && d.severity == Severity::Warning)
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

impl Case {
    fn test_case(&self, report: &FileReport) -> TestCase {
        let line = |d: &crate::Diagnostic| {
            format!(
                "{}:{}:{}: {}[{} {}]: {}",
                report.path, d.start.line, d.start.column, d.severity, d.code, d.name, d.message
            )
        };
        let fails = |d: &&crate::Diagnostic| self.fails(d);
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
        case
    }
}

impl Render for Case {
    fn open(&self, out: &mut dyn Write, report: &FileReport) -> io::Result<()> {
        let mut suite = TestSuite::new("pmlint");
        suite.add_test_case(self.test_case(report));
        let xml = serialize(suite)?;
        out.write_all(&xml[cases(&xml)?])
    }

    fn diagnostic(
        &self,
        _out: &mut dyn Write,
        _report: &FileReport,
        _index: usize,
        _d: &crate::Diagnostic,
    ) -> io::Result<()> {
        Ok(())
    }
}

/// The report of one suite, as quick-junit writes it.
fn serialize(suite: TestSuite) -> io::Result<Vec<u8>> {
    let mut report = Report::new("pmlint");
    report.add_test_suite(suite);
    let mut xml = Vec::new();
    report.serialize(&mut xml).map_err(io::Error::other)?;
    Ok(xml)
}

/// Where a serialized suite's test cases are: from the end of its opening tag to the line
/// of its closing tag (quick-xml escapes `<` and `>` in names and text, so tags are tags).
fn cases(xml: &[u8]) -> io::Result<std::ops::Range<usize>> {
    let find = |what: &[u8]| xml.windows(what.len()).position(|w| w == what);
    let open = find(b"<testsuite ").and_then(|at| {
        let end = xml[at..].iter().position(|&b| b == b'>')?;
        Some(at + end + 1)
    });
    let close = xml
        .windows(b"</testsuite>".len())
        .rposition(|w| w == b"</testsuite>")
        .and_then(|at| xml[..at].iter().rposition(|&b| b == b'\n'));
    match (open, close) {
        (Some(open), Some(close)) if open <= close => Ok(open..close),
        _ => Err(io::Error::other("junit: unexpected quick-junit output")),
    }
}

impl Reporter for Junit {
    fn render(&self) -> Box<dyn Render> {
        Box::new(Case {
            deny_warnings: self.deny_warnings,
        })
    }

    fn start_file(&mut self, _out: &mut dyn Write, report: &FileReport) -> io::Result<()> {
        let case = Case {
            deny_warnings: self.deny_warnings,
        };
        self.tests += 1;
        if report.error.is_some() {
            self.errors += 1;
        } else if report.diagnostics.iter().any(|d| case.fails(d)) {
            self.failures += 1;
        }
        Ok(())
    }

    fn write(&mut self, _out: &mut dyn Write, part: &[u8]) -> io::Result<()> {
        self.cases.extend_from_slice(part);
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, _summary: &Summary) -> io::Result<()> {
        let mut suite = TestSuite::new("pmlint");
        if self.tests == 0 {
            out.write_all(&serialize(suite)?)?;
            return writeln!(out);
        }
        // The frame is written around one stand-in case with the real counts; the stand-in's
        // place takes the cases.
        suite.add_test_case(TestCase::new("", TestCaseStatus::success()));
        suite.tests = self.tests;
        suite.failures = self.failures;
        suite.errors = self.errors;
        let frame = serialize(suite)?;
        let place = cases(&frame)?;
        out.write_all(&frame[..place.start])?;
        out.write_all(&self.cases)?;
        out.write_all(&frame[place.end..])?;
        writeln!(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Config;

    fn reports() -> Vec<FileReport> {
        let config = Config::default();
        let texts = [
            "# Postmortem\n\nNo sections & no <timeline>.\n",
            "",
            "# Outage\n\n## Summary\n\nIt broke.\n\n## Timeline\n\n- 10:00 UTC it broke\n",
        ];
        let mut reports: Vec<FileReport> = texts
            .iter()
            .enumerate()
            .map(|(i, text)| FileReport {
                path: format!("team/pm{i} \"<&>\".md"),
                diagnostics: crate::lint_source(text, &config),
                error: None,
                skipped: None,
                fixed: None,
                text: text.to_string(),
            })
            .collect();
        reports.insert(
            1,
            FileReport {
                path: "gone.md".into(),
                diagnostics: Vec::new(),
                error: Some("no such file or directory".into()),
                skipped: None,
                fixed: None,
                text: String::new(),
            },
        );
        reports
    }

    /// The cases written into their frame are the suite quick-junit writes whole.
    #[test]
    fn cases_in_their_frame_are_the_whole_suite_quick_junit_writes() {
        for deny_warnings in [false, true] {
            for n in [0, 1, 4] {
                let reports = &reports()[..n];
                let case = Case { deny_warnings };
                let mut suite = TestSuite::new("pmlint");
                reports.iter().for_each(|r| {
                    suite.add_test_case(case.test_case(r));
                });
                let mut expected = serialize(suite).expect("serialized");
                expected.push(b'\n');
                let mut junit = Junit::new(deny_warnings);
                let mut out = Vec::new();
                for r in reports {
                    junit.file(&mut out, r).expect("a Vec");
                }
                junit.finish(&mut out, &Summary::default()).expect("a Vec");
                let (out, expected) = (
                    String::from_utf8_lossy(&out),
                    String::from_utf8_lossy(&expected),
                );
                assert_eq!(out, expected, "{n} files, deny warnings {deny_warnings}");
                assert_eq!(out.matches("<testcase").count(), n);
            }
        }
        // Every kind of case is there: a pass, a failure, an error, and warnings as output.
        let case = Case {
            deny_warnings: false,
        };
        let cases: Vec<TestCase> = reports().iter().map(|r| case.test_case(r)).collect();
        let status = format!("{:?}", cases.iter().map(|c| &c.status).collect::<Vec<_>>());
        assert!(
            ["Success", "Failure", "Error"]
                .iter()
                .all(|s| status.contains(s)),
            "{status}"
        );
        assert!(cases.iter().any(|c| c.system_out.is_some()));
    }
}
