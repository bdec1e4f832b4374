//! What a check run is configured with. Issue #5 fills this from `pmlint.toml`; until then it
//! carries the defaults and the command line's overrides.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::diagnostic::Severity;
use chrono::{DateTime, FixedOffset};

use crate::discover::Globs;
use crate::document::{KindId, KindTable};
use crate::time::Zone;
use crate::timeline::DateOrder;

/// A review profile: `strict` is for teams whose postmortems are reviewed formally.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Profile {
    #[default]
    Default,
    Strict,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub profile: Profile,
    /// Section kinds and the heading names that mean them.
    pub kinds: KindTable,
    /// Kinds every postmortem must have (`missing-section`).
    pub required: Vec<KindId>,
    /// Must each required kind have a heading or field of its own (`require-headings`)?
    pub require_headings: Option<bool>,
    /// Severity per rule code, overriding the rule's default (`Off` disables it).
    pub severity: HashMap<&'static str, Severity>,
    /// How to read numeric dates when the document does not settle it (`None`: unsettled).
    pub date_order: Option<DateOrder>,
    /// The moment of the check, for `future-date` (fixed in tests).
    pub now: Option<DateTime<FixedOffset>>,
    /// Zone for times the document leaves without one.
    pub timezone: Option<Zone>,
    /// Globs for directory walks (and `--force-exclude`): only these (`include`), and never
    /// these (`exclude`).
    pub include: Globs,
    pub exclude: Globs,
    /// Minutes a stated duration or window may be off before it is reported (else 5 or 10%).
    pub tolerance_minutes: Option<i64>,
    /// Days an in-order entry may lie outside the window (else 7).
    pub window_slack_days: Option<i64>,
    /// Where a team keeps its own `pmlint new` templates.
    pub templates_dir: Option<PathBuf>,
    /// Where `pmlint new` writes drafts.
    pub postmortems_dir: Option<PathBuf>,
    /// Findings listed per rule and file before the rest are folded into one (0: no limit).
    pub max_per_rule: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            profile: Profile::Default,
            kinds: KindTable::default(),
            required: vec![
                KindId::SUMMARY,
                KindId::IMPACT,
                KindId::ROOT_CAUSE,
                KindId::TIMELINE,
                KindId::RESOLUTION,
                KindId::CORRECTIVE_ACTIONS,
            ],
            require_headings: None,
            severity: HashMap::new(),
            date_order: None,
            now: None,
            timezone: None,
            include: Globs::default(),
            exclude: Globs::default(),
            tolerance_minutes: None,
            window_slack_days: None,
            templates_dir: None,
            postmortems_dir: None,
            max_per_rule: crate::rules::MAX_PER_RULE,
        }
    }
}

impl Config {
    /// Must every required kind stand under its own heading (or field)? Off unless the
    /// configuration asks: `strict` is about action items, and prose that states a kind is
    /// what a reviewer reads.
    pub fn headings_required(&self) -> bool {
        self.require_headings.unwrap_or(false)
    }
}
