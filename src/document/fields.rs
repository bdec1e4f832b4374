//! Known summary fields (`Duration:`, `Start:`, ...) and the labels authors write for them.

use std::sync::LazyLock;

#[cfg(test)]
use super::kinds::normalize_heading;
use super::kinds::{KindId, with_normalized};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldName {
    Title,
    Summary,
    Date,
    Start,
    End,
    Detected,
    Mitigated,
    Resolved,
    Duration,
    Impact,
    RootCause,
    Resolution,
    Severity,
    Timezone,
    Status,
    Authors,
    /// The services or systems affected (`pmlint stats --by service`).
    Services,
}

impl FieldName {
    pub fn as_str(self) -> &'static str {
        match self {
            FieldName::Title => "title",
            FieldName::Summary => "summary",
            FieldName::Date => "date",
            FieldName::Start => "start",
            FieldName::End => "end",
            FieldName::Detected => "detected",
            FieldName::Mitigated => "mitigated",
            FieldName::Resolved => "resolved",
            FieldName::Duration => "duration",
            FieldName::Impact => "impact",
            FieldName::RootCause => "root-cause",
            FieldName::Resolution => "resolution",
            FieldName::Severity => "severity",
            FieldName::Timezone => "timezone",
            FieldName::Status => "status",
            FieldName::Authors => "authors",
            FieldName::Services => "services",
        }
    }

    /// A field line that states a required section's content in a sentence
    /// (`Impact: 20% of sign-ups failed`) counts as that section.
    pub fn satisfies_kind(self) -> Option<KindId> {
        match self {
            FieldName::Impact => Some(KindId::IMPACT),
            FieldName::RootCause => Some(KindId::ROOT_CAUSE),
            FieldName::Resolution => Some(KindId::RESOLUTION),
            _ => None,
        }
    }
}

const FIELDS: &[(FieldName, &[&str])] = &[
    (FieldName::Title, &["title", "incident title"]),
    (
        FieldName::Summary,
        &[
            "summary",
            "incident summary",
            "issue summary",
            "what happened",
            "overview",
            "tl dr",
            "tldr",
        ],
    ),
    (
        FieldName::Date,
        &["date", "incident date", "date of incident", "outage date"],
    ),
    (
        FieldName::Start,
        &[
            "start",
            "start time",
            "started",
            "started at",
            "start date",
            "incident start",
            "outage start",
            "outage began",
            "began",
            "start of incident",
            "start of outage",
            "incident start time",
            "outage start time",
            "begin",
        ],
    ),
    (
        FieldName::End,
        &[
            "end",
            "end time",
            "ended",
            "ended at",
            "end date",
            "incident end",
            "outage end",
            "end of incident",
            "end of outage",
            "incident end time",
            "outage end time",
            "finish",
        ],
    ),
    (
        FieldName::Detected,
        &[
            "detected",
            "detected at",
            "detection",
            "detection time",
            "time detected",
            "first detected",
            "alerted",
        ],
    ),
    (
        FieldName::Mitigated,
        &[
            "mitigated",
            "mitigated at",
            "mitigation time",
            "time mitigated",
        ],
    ),
    (
        FieldName::Resolved,
        &[
            "resolved",
            "resolved at",
            "resolution time",
            "time resolved",
            "time to resolve",
            "fixed",
            "restored",
        ],
    ),
    (
        FieldName::Duration,
        &[
            "duration",
            "outage duration",
            "incident duration",
            "total duration",
            "downtime",
            "total downtime",
            "length",
            "window",
            "incident window",
            "outage window",
        ],
    ),
    (
        FieldName::Impact,
        &[
            "impact",
            "impacts",
            "customer impact",
            "user impact",
            "business impact",
            "service impact",
            "impact summary",
        ],
    ),
    (
        FieldName::RootCause,
        &["root cause", "root causes", "cause", "rca"],
    ),
    (
        FieldName::Resolution,
        &["resolution", "mitigation", "fix", "remediation"],
    ),
    (
        FieldName::Severity,
        &["severity", "sev", "severity level", "incident severity"],
    ),
    (
        FieldName::Timezone,
        &["timezone", "time zone", "tz", "all times", "times"],
    ),
    (FieldName::Status, &["status", "incident status"]),
    (
        FieldName::Services,
        &[
            "services",
            "service",
            "affected services",
            "services affected",
            "affected service",
            "affected systems",
            "systems affected",
            "affected components",
            "components",
        ],
    ),
    (
        FieldName::Authors,
        &[
            "authors",
            "author",
            "owner",
            "owners",
            "written by",
            "prepared by",
        ],
    ),
];

/// The field a label names, if any. Labels are short, so this scans the small table.
pub fn field_name(label: &str) -> Option<FieldName> {
    // Field labels are short words; a time ("10:45 AM: ...") or a sentence is not one.
    if label.len() > 60
        || !label
            .trim_start_matches(['*', '_', ' '])
            .starts_with(char::is_alphabetic)
    {
        return None;
    }
    // A sorted table: a binary search over ~100 short names beats hashing each label.
    static BY_NAME: LazyLock<Vec<(&'static str, FieldName)>> = LazyLock::new(|| {
        let mut names: Vec<_> = FIELDS
            .iter()
            .flat_map(|(f, names)| names.iter().map(move |n| (*n, *f)))
            .collect();
        names.sort_by_key(|(n, _)| *n);
        names
    });
    // "November 12, 4" (before the colon of "4:17 AM: ..."): a last word ending in a digit
    // stays in the normalized key (only leading numbering and parentheticals are dropped),
    // and no field name has a digit.
    if label.ends_with(|c: char| c.is_ascii_digit()) && !label.contains(['(', '[']) {
        return None;
    }
    with_normalized(label, |key| {
        BY_NAME
            .binary_search_by_key(&key, |(n, _)| n)
            .ok()
            .map(|i| BY_NAME[i].1)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_map_to_fields() {
        assert_eq!(field_name("Start Time"), Some(FieldName::Start));
        assert_eq!(field_name("**Duration**"), Some(FieldName::Duration));
        assert_eq!(field_name("Impact"), Some(FieldName::Impact));
        assert_eq!(field_name("10:45 AM (UTC)"), None);
        assert_eq!(field_name("Note"), None);
    }

    /// The quick reject of labels ending in a digit agrees with the general path.
    #[test]
    fn labels_ending_in_digits_are_no_fields() {
        for label in [
            "November 12, 4",
            "Start 2",
            "Step 2",
            "1",
            "Impact 2023",
            "Nov 12 04",
        ] {
            assert_eq!(field_name(label), None, "{label}");
            let key = normalize_heading(label);
            assert!(
                key.is_empty() || key.ends_with(|c: char| c.is_ascii_digit()) || key == "step",
                "{label}: {key}"
            );
        }
        // An unclosed parenthetical drops the digits: the general path decides.
        assert_eq!(field_name("Start (Nov 12, 4"), Some(FieldName::Start));
        assert_eq!(field_name("Start [4"), Some(FieldName::Start));
    }
}
