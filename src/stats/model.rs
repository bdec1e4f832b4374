//! What `pmlint stats` computes: one record per incident, and per-group summaries. The
//! outputs (terminal table, JSON, CSV, HTML) all render these types and compute nothing.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::Serialize;

/// One postmortem's figures. Durations are whole minutes; `None` when the document does not
/// state or imply the milestone (never a zero standing in for "unknown").
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Incident {
    /// As `pmlint check` reports it (relative to where the run started).
    pub path: String,
    pub title: Option<String>,
    /// None when the document gives times but no date (its lengths still count).
    pub start: Option<DateTime<FixedOffset>>,
    pub end: Option<DateTime<FixedOffset>>,
    pub duration_minutes: Option<i64>,
    pub time_to_detect_minutes: Option<i64>,
    pub time_to_mitigate_minutes: Option<i64>,
    pub time_to_resolve_minutes: Option<i64>,
    /// As written in front matter or a summary field (`SEV-1`, `P2`, `Major`).
    pub severity: Option<String>,
    /// Services named in front matter or a summary field.
    pub services: Vec<String>,
    pub actions: usize,
    pub actions_done: usize,
    /// Open action items whose due date is before the run's date, oldest first.
    pub overdue: Vec<Overdue>,
    /// `pmlint check` finds no error (warnings allowed) under the file's configuration.
    pub passes_check: bool,
    pub errors: usize,
    pub warnings: usize,
}

/// An open action item past its due date.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Overdue {
    pub path: String,
    pub text: String,
    pub due: NaiveDate,
    pub days_overdue: i64,
}

/// A document left out of the figures, and why ("not valid UTF-8 (line 3, column 1)",
/// "no resolvable incident window").
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Unusable {
    pub path: String,
    pub why: String,
}

/// Summary of one duration over a group's incidents.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Default)]
pub struct Spread {
    /// Incidents with the value.
    pub count: usize,
    /// Incidents without it (not counted as zero).
    pub missing: usize,
    pub median: Option<f64>,
    pub p90: Option<f64>,
    pub min: Option<i64>,
    pub max: Option<i64>,
}

/// What the incidents are grouped by (`--by`).
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum By {
    #[default]
    Month,
    Quarter,
    Year,
    Severity,
    Service,
}

/// One group's figures: `key` is `2024-05`, `2024-Q2`, `2024`, a severity or a service;
/// `(none)` for incidents without one (no start, no severity, no service).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Group {
    pub key: String,
    pub incidents: usize,
    pub duration: Spread,
    pub time_to_detect: Spread,
    pub time_to_mitigate: Spread,
    pub time_to_resolve: Spread,
    pub actions: usize,
    pub actions_open: usize,
    /// The group's oldest overdue items (at most five), oldest first.
    pub oldest_overdue: Vec<Overdue>,
    pub passing: usize,
}

/// Everything a run computed.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Stats {
    /// The date overdue items are measured against.
    pub today: NaiveDate,
    pub by: By,
    /// In path order.
    pub incidents: Vec<Incident>,
    /// In key order (time keys oldest first; `(none)` last).
    pub groups: Vec<Group>,
    /// Every group's figures together.
    pub total: Group,
    pub unusable: Vec<Unusable>,
}
