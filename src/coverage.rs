//! Where a document states each kind of information a postmortem needs. A reviewer looks for
//! the information, not for a heading: many good postmortems are blog-style prose, open with
//! an untitled summary, say "the root cause was ..." in a paragraph or tell how service came
//! back only in the timeline. `missing-section` reports a kind only when it is nowhere.

use std::ops::Range;
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;

use crate::document::{BlockKind, Document, FieldName, KindId};
use crate::timeline::{Milestone, Timeline};

/// Where a kind was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Evidence {
    /// A section of that kind (`Document::sections[i]`).
    Heading(usize),
    /// A field that states it (`Impact: ...`, `**Summary:** ...`).
    Field(usize),
    /// Prose that states it: an opening paragraph, a summary sentence, a paragraph with
    /// several times (a prose timeline).
    Prose(Range<usize>),
    /// A timeline entry that says how service was restored.
    Entry(usize),
}

/// How much of a block is read for cues: the opening of a paragraph is where a summary
/// states impact, and it keeps a 10 MB paragraph cheap.
const READ: usize = 4000;

/// Where the document states `kind`: under a heading or field of its own when `headings_only`,
/// else also in prose a reader would accept.
pub fn locate(
    doc: &Document,
    timeline: &Timeline,
    kind: KindId,
    headings_only: bool,
) -> Option<Evidence> {
    if let Some(i) = doc.sections.iter().position(|s| s.kinds.contains(kind)) {
        return Some(Evidence::Heading(i));
    }
    if let Some(i) = doc
        .fields
        .iter()
        .position(|f| field_kind(f.name) == Some(kind) && !f.value.trim().is_empty())
    {
        return Some(Evidence::Field(i));
    }
    if headings_only {
        return None;
    }
    match kind {
        KindId::SUMMARY => doc
            .opening()
            .next()
            .map(|b| Evidence::Prose(b.span.clone())),
        KindId::IMPACT => doc
            .summary_spans()
            .into_iter()
            .chain(doc.opening().map(|b| b.span.clone()))
            .find(|span| cue(&IMPACT, doc.slice(span)))
            .map(Evidence::Prose),
        KindId::ROOT_CAUSE => prose(doc, timeline)
            .find(|span| cue(&ROOT_CAUSE, doc.slice(span)))
            .map(Evidence::Prose),
        KindId::RESOLUTION => restored_entry(timeline).map(Evidence::Entry).or_else(|| {
            prose(doc, timeline)
                .find(|span| cue(&RESOLUTION, doc.slice(span)))
                .map(Evidence::Prose)
        }),
        KindId::CORRECTIVE_ACTIONS => prose(doc, timeline)
            .find(|span| cue(&ACTIONS, doc.slice(span)))
            .map(Evidence::Prose),
        KindId::TIMELINE => timeline.prose.clone().map(Evidence::Prose),
        _ => None,
    }
}

/// The kind a field's value states.
pub fn field_kind(name: FieldName) -> Option<KindId> {
    match name {
        FieldName::Summary => Some(KindId::SUMMARY),
        other => other.satisfies_kind(),
    }
}

/// Prose and list items outside code and outside the timeline: where a root cause, a fix or
/// a plan is told in sentences.
fn prose<'d>(doc: &'d Document, timeline: &'d Timeline) -> impl Iterator<Item = Range<usize>> + 'd {
    doc.blocks
        .iter()
        .filter(|b| {
            matches!(
                b.kind,
                BlockKind::Paragraph | BlockKind::Html | BlockKind::ListItem { .. }
            )
        })
        .filter(|b| !doc.is_masked(&b.span))
        .map(|b| b.span.clone())
        .chain(timeline.entries.iter().map(|e| e.span.clone()))
}

/// A timeline entry that marks service restored or mitigated, by milestone or wording.
fn restored_entry(timeline: &Timeline) -> Option<usize> {
    timeline.entries.iter().position(|e| {
        matches!(
            e.milestone,
            Some(Milestone::Resolved | Milestone::Mitigated)
        ) || cue(&RESOLUTION, &e.text)
    })
}

/// Does the opening of `text` contain one of the phrases, starting at a word boundary?
fn cue(matcher: &Option<AhoCorasick>, text: &str) -> bool {
    let Some(m) = matcher else { return false };
    let head = &text[..crate::source::floor_char_boundary(text, READ)];
    m.find_iter(head).any(|found| {
        head[..found.start()]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric())
    })
}

fn matcher(phrases: &[&str]) -> Option<AhoCorasick> {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        // Searched on a few paragraphs a document: a DFA's build cost is not repaid.
        .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
        .build(phrases)
        .ok()
}

/// Words by which a summary says who or what was affected.
static IMPACT: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| {
    matcher(&[
        "impact",
        "affected",
        "affecting",
        "users",
        "customers",
        "clients",
        "visitors",
        "% of",
        "percent",
        "unavailable",
        "unable to",
        "could not",
        "couldn't",
        "can't",
        "cannot",
        "outage",
        "downtime",
        "went down",
        "was down",
        "were down",
        "degraded",
        "error",
        "fail",
        "crash",
        "requests",
        "traffic",
        "lost",
        "missing",
        "slow",
        "latency",
        "timeout",
        "time out",
        "timed out",
        "not being",
        "not working",
        "broken",
        "disruption",
        "interruption",
        "500",
        "502",
        "503",
        "504",
        "delay",
        "restore",
    ])
});

/// Words that state a cause.
static ROOT_CAUSE: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| {
    matcher(&[
        "root cause",
        "caused by",
        "was caused",
        "were caused",
        "the cause",
        "due to",
        "because",
        "culprit",
        "stemmed from",
        "traced to",
        "traced back",
        "the result of",
        "triggered by",
        "the issue was",
        "the problem was",
        "led to",
        "resulted in",
        "caused the",
        "which caused",
    ])
});

/// Words that say how service was restored.
static RESOLUTION: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| {
    matcher(&[
        "fix",
        "resolved",
        "resolve",
        "restored",
        "restoring",
        "recovered",
        "recovery",
        "reverted",
        "revert",
        "rolled back",
        "rolling back",
        "rollback",
        "restarted",
        "restart",
        "rebooted",
        "back online",
        "back to normal",
        "up and running",
        "working normally",
        "solved",
        "solve",
        "mitigated",
        "mitigation",
        "patched",
        "corrected",
        "downgraded",
        "redeployed",
        "now serving",
        "was replaced",
        "were replaced",
        "workaround",
    ])
});

/// Words that introduce what will change.
static ACTIONS: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| {
    matcher(&[
        "we need to",
        "we will",
        "we'll",
        "we should",
        "we plan to",
        "going forward",
        "to prevent",
        "to avoid",
        "in the future",
        "will be implemented",
        "action item",
        "follow-up",
        "follow up",
        "next steps",
        "lessons",
        "prevention",
    ])
});
