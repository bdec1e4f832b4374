//! What a rule reports: a finding with a stable code, a severity, a span and maybe a fix.

use std::borrow::Cow;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::source::Position;

/// How serious a finding is. `Off` only appears in configuration, never on a diagnostic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Off,
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Off => "off",
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A proposed edit: replace `span` with `replacement`, or only advice when `replacement` is None.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    /// Mostly fixed advice: borrowed then, not one allocation per finding.
    pub message: Cow<'static, str>,
    pub replacement: Option<String>,
    pub span: Range<usize>,
    pub start: Position,
    pub end: Position,
}

/// One finding. Spans are byte ranges into the (BOM-stripped) source; `start`/`end` are filled
/// in by [`crate::lint_source`] once all rules ran, in one pass over the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub message: String,
    pub span: Range<usize>,
    pub start: Position,
    pub end: Position,
    pub suggestion: Option<Suggestion>,
    /// Set on the one diagnostic that stands in for a rule's findings past the per-file cap
    /// ([`crate::rules::cap`]): how many findings it stands for, itself included. 0 otherwise.
    pub more: usize,
}

impl Diagnostic {
    /// How many findings this diagnostic counts for in totals and the exit code.
    pub fn findings(&self) -> usize {
        self.more.max(1)
    }

    /// Attaches a suggestion: advice, and the edit that applies it when there is one.
    pub fn suggest(
        &mut self,
        message: impl Into<Cow<'static, str>>,
        replacement: Option<String>,
        span: Range<usize>,
    ) -> &mut Self {
        self.suggestion = Some(Suggestion {
            message: message.into(),
            replacement,
            span,
            start: Position::default(),
            end: Position::default(),
        });
        self
    }
}
