//! Computing the figures: each document through the same pipeline as `check` (its own
//! `pmlint.toml`, the same findings), read in parallel; then the groups.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use rayon::prelude::*;

use super::model::{By, Group, Incident, Overdue, Spread, Stats, Unusable};
use crate::actions::Actions;
use crate::config::Config;
use crate::config_file::Resolver;
use crate::diagnostic::Severity;
use crate::document::{Document, FieldName};
use crate::runner::Input;
use crate::timeline::Timeline;

/// Key of the incidents that have no value for the grouping (no severity, no service).
pub const NONE_KEY: &str = "(none)";
/// Key of the incidents whose start has no date, grouped by time.
pub const UNDATED_KEY: &str = "(no date)";

/// Overdue items listed per group.
const OLDEST: usize = 5;

/// Reads and checks every input, and groups the incidents `by`. Overdue is measured against
/// `today`. Files a directory walk found that do not read as postmortems are left out, as
/// `check` leaves them out; files that cannot be read, or have no incident start, are listed
/// in `unusable` with why.
pub fn collect(inputs: Vec<Input>, resolver: &mut Resolver, by: By, today: NaiveDate) -> Stats {
    // Configurations in input order on this thread (the resolver caches per directory).
    let jobs: Vec<(Input, Result<Arc<Config>, String>)> = inputs
        .into_iter()
        .map(|input| {
            let config = resolver
                .for_file(input.config_path())
                .map_err(|e| format!("configuration error: {e}"));
            (input, config)
        })
        .collect();
    let results: Vec<Option<Result<Incident, Unusable>>> = jobs
        .into_par_iter()
        .map(|(input, config)| {
            let path = input.display();
            let config = match config {
                Ok(c) => c,
                Err(why) => return Some(Err(Unusable { path, why })),
            };
            one(&input, path, &config, today)
        })
        .collect();
    let mut incidents = Vec::new();
    let mut unusable = Vec::new();
    for r in results.into_iter().flatten() {
        match r {
            Ok(i) => incidents.push(i),
            Err(u) => unusable.push(u),
        }
    }
    let groups = group(&incidents, by);
    let total = summarize("all".to_string(), incidents.iter());
    Stats {
        today,
        by,
        incidents,
        groups,
        total,
        unusable,
    }
}

/// One document's figures; None when a walk found it and it is not a postmortem.
fn one(
    input: &Input,
    path: String,
    config: &Config,
    today: NaiveDate,
) -> Option<Result<Incident, Unusable>> {
    let text = match input.read() {
        Ok(t) => t,
        Err(why) => return Some(Err(Unusable { path, why })),
    };
    let found = matches!(input, Input::Found(_));
    let mut facts = None;
    let linted = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        crate::lint_inspect(
            &text,
            config,
            |doc, timeline| !found || crate::discover::reads_as_postmortem(doc, timeline, config),
            |doc, timeline, actions| {
                facts = Some((
                    facts_of(doc, timeline, actions, &path, today),
                    timeline.window.start.is_some(),
                ));
            },
        )
    }));
    let diagnostics = match linted {
        Ok(Some(d)) => d,
        Ok(None) => return None,
        Err(_) => {
            let why = "internal error while checking this file (a pmlint bug; please report it)";
            return Some(Err(Unusable {
                path,
                why: why.into(),
            }));
        }
    };
    let (mut incident, has_window) = facts?;
    if !has_window {
        let why = "no resolvable incident window: no timed timeline entry, start field or \
                   stated window";
        return Some(Err(Unusable {
            path,
            why: why.into(),
        }));
    }
    let count = |s: Severity| {
        diagnostics
            .iter()
            .filter(|d| d.severity == s)
            .map(|d| d.findings())
            .sum()
    };
    incident.errors = count(Severity::Error);
    incident.warnings = count(Severity::Warning);
    incident.passes_check = incident.errors == 0;
    Some(Ok(incident))
}

/// What the model says about one incident (the check's totals are filled in after).
fn facts_of(
    doc: &Document,
    timeline: &Timeline,
    actions: &Actions,
    path: &str,
    today: NaiveDate,
) -> Incident {
    let window = &timeline.window;
    // A time with no date anywhere in the document is placed on a stand-in day: its length
    // counts, its month does not.
    let dated = |p: &Option<crate::timeline::Point>| p.as_ref().filter(|p| p.dated).map(|p| p.at);
    let (start, end) = (dated(&window.start), dated(&window.end));
    let metrics = crate::report::timeline::metrics(doc, timeline);
    let field = |name| {
        doc.field(name)
            .map(|f| f.value.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let done = |status: &str| status.eq_ignore_ascii_case("done");
    let mut overdue: Vec<Overdue> = actions
        .items
        .iter()
        .filter(|a| !done(&a.status))
        .filter_map(|a| {
            let due = a.due?;
            let days = (today - due).num_days();
            (days > 0).then(|| Overdue {
                path: path.to_string(),
                text: a.text.clone(),
                due,
                days_overdue: days,
            })
        })
        .collect();
    overdue.sort_by_key(|o| o.due);
    Incident {
        path: path.to_string(),
        title: doc.title.as_ref().map(|t| t.text.clone()),
        start,
        end,
        duration_minutes: window.minutes().filter(|m| *m >= 0),
        time_to_detect_minutes: metrics.time_to_detect_minutes,
        time_to_mitigate_minutes: metrics.time_to_mitigate_minutes,
        time_to_resolve_minutes: metrics.time_to_resolve_minutes,
        severity: field(FieldName::Severity),
        services: field(FieldName::Services).map_or_else(Vec::new, |v| services(&v)),
        actions: actions.items.len(),
        actions_done: actions.items.iter().filter(|a| done(&a.status)).count(),
        overdue,
        passes_check: false,
        errors: 0,
        warnings: 0,
    }
}

/// `api, checkout and payments` → three services.
fn services(value: &str) -> Vec<String> {
    let mut out: Vec<String> = value
        .split([',', ';', '/', '\n'])
        .flat_map(|part| part.split(" and "))
        .map(|s| {
            s.trim()
                .trim_matches(['`', '*', '"', '\''])
                .trim()
                .to_string()
        })
        .filter(|s| !s.is_empty())
        .collect();
    out.dedup();
    out
}

/// The groups `by` asks for, in key order (time keys oldest first; `(none)` last). An
/// incident with several services is in each of their groups.
fn group(incidents: &[Incident], by: By) -> Vec<Group> {
    let mut keyed: BTreeMap<(bool, String), Vec<&Incident>> = BTreeMap::new();
    for i in incidents {
        let keys: Vec<String> = match by {
            By::Month => i
                .start
                .iter()
                .map(|s| s.format("%Y-%m").to_string())
                .collect(),
            By::Quarter => i
                .start
                .iter()
                .map(|s| format!("{}-Q{}", s.year(), s.month0() / 3 + 1))
                .collect(),
            By::Year => i.start.iter().map(|s| s.year().to_string()).collect(),
            By::Severity => i.severity.iter().cloned().collect(),
            By::Service => i.services.clone(),
        };
        if keys.is_empty() {
            let none = match by {
                By::Month | By::Quarter | By::Year => UNDATED_KEY,
                By::Severity | By::Service => NONE_KEY,
            };
            keyed.entry((true, none.into())).or_default().push(i);
        }
        for k in keys {
            keyed.entry((false, k)).or_default().push(i);
        }
    }
    keyed
        .into_iter()
        .map(|((_, key), list)| summarize(key, list.into_iter()))
        .collect()
}

/// One group's figures.
fn summarize<'a>(key: String, incidents: impl Iterator<Item = &'a Incident>) -> Group {
    let list: Vec<&Incident> = incidents.collect();
    let spread = |f: fn(&Incident) -> Option<i64>| spread(list.iter().map(|i| f(i)));
    let mut overdue: Vec<Overdue> = list
        .iter()
        .flat_map(|i| i.overdue.iter().cloned())
        .collect();
    overdue.sort_by(|a, b| (a.due, &a.path).cmp(&(b.due, &b.path)));
    overdue.truncate(OLDEST);
    Group {
        key,
        incidents: list.len(),
        duration: spread(|i| i.duration_minutes),
        time_to_detect: spread(|i| i.time_to_detect_minutes),
        time_to_mitigate: spread(|i| i.time_to_mitigate_minutes),
        time_to_resolve: spread(|i| i.time_to_resolve_minutes),
        actions: list.iter().map(|i| i.actions).sum(),
        actions_open: list.iter().map(|i| i.actions - i.actions_done).sum(),
        oldest_overdue: overdue,
        passing: list.iter().filter(|i| i.passes_check).count(),
    }
}

/// Median and 90th percentile by linear interpolation between the closest ranks (as
/// spreadsheets' PERCENTILE.INC and numpy's default do).
pub fn spread(values: impl Iterator<Item = Option<i64>>) -> Spread {
    let mut missing = 0;
    let mut known: Vec<i64> = Vec::new();
    for v in values {
        match v {
            Some(v) => known.push(v),
            None => missing += 1,
        }
    }
    known.sort_unstable();
    Spread {
        count: known.len(),
        missing,
        median: percentile(&known, 0.5),
        p90: percentile(&known, 0.9),
        min: known.first().copied(),
        max: known.last().copied(),
    }
}

fn percentile(sorted: &[i64], q: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let rank = q * last as f64;
    let (lo, hi) = (rank.floor() as usize, rank.ceil() as usize);
    let (a, b) = (*sorted.get(lo)? as f64, *sorted.get(hi)? as f64);
    Some(a + (b - a) * (rank - lo as f64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_interpolate_and_missing_values_are_counted_not_zero() {
        let s = spread([Some(10), None, Some(30), Some(20), Some(40), None].into_iter());
        assert_eq!((s.count, s.missing), (4, 2));
        assert_eq!(s.median, Some(25.0));
        // rank 0.9 * 3 = 2.7: 30 + 0.7 * 10.
        assert!((s.p90.unwrap_or(0.0) - 37.0).abs() < 1e-9);
        assert_eq!((s.min, s.max), (Some(10), Some(40)));
        let none = spread([None, None].into_iter());
        assert_eq!((none.count, none.missing, none.median), (0, 2, None));
        assert_eq!(spread([Some(7)].into_iter()).p90, Some(7.0));
    }

    #[test]
    fn services_are_split_on_lists_and_and() {
        assert_eq!(
            services("api, `checkout` and payments; search"),
            ["api", "checkout", "payments", "search"]
        );
        assert!(services(" , ").is_empty());
    }
}
