//! Canonical section kinds and the alias table that maps heading text onto them.
//!
//! The table is data: each kind lists the heading names authors really use (gathered from the
//! real corpus in `fixtures/real/`). A name ending in ` *` also matches longer headings that
//! start with it (`timeline *` matches "Timeline of events"). Later, configuration adds aliases
//! and kinds to the same table.

/// Index of a kind in a [`KindTable`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KindId(pub u8);

impl KindId {
    pub const SUMMARY: KindId = KindId(0);
    pub const IMPACT: KindId = KindId(1);
    pub const ROOT_CAUSE: KindId = KindId(2);
    pub const TRIGGER: KindId = KindId(3);
    pub const DETECTION: KindId = KindId(4);
    pub const TIMELINE: KindId = KindId(5);
    pub const RESOLUTION: KindId = KindId(6);
    pub const CORRECTIVE_ACTIONS: KindId = KindId(7);
    pub const LESSONS_LEARNED: KindId = KindId(8);
}

/// A small set of kinds (a heading like "Root Cause and Resolution" has two).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct KindSet(u64);

impl KindSet {
    pub fn insert(&mut self, k: KindId) {
        if k.0 < 64 {
            self.0 |= 1 << k.0;
        }
    }
    pub fn contains(&self, k: KindId) -> bool {
        k.0 < 64 && self.0 & (1 << k.0) != 0
    }
    pub fn is_empty(&self) -> bool {
        self.0 == 0
    }
    pub fn iter(&self) -> impl Iterator<Item = KindId> + '_ {
        (0..64u8).map(KindId).filter(|k| self.contains(*k))
    }
}

use std::collections::{HashMap, HashSet};

/// Heading words are short: a fast, fixed-seed hash (the table is built from the built-in
/// and configured names, never from the document) instead of SipHash.
type Hasher = foldhash::fast::FixedState;
type WordMap = HashMap<String, KindId, Hasher>;
type WordSet = HashSet<String, Hasher>;

/// `(kind name, heading title used in suggestions, aliases)`.
const BUILTIN: &[(&str, &str, &[&str])] = &[
    (
        "summary",
        "Summary",
        &[
            "summary *",
            "* summary",
            "* overview",
            "issue summary",
            "incident summary",
            "executive summary",
            "outage summary",
            "postmortem summary",
            "post-mortem summary",
            "overview",
            "incident overview",
            "issue overview",
            "tldr",
            "tl dr",
            "abstract",
            "synopsis",
            "description",
            "incident description",
            "issue description",
            "what happened",
            "incident report summary",
        ],
    ),
    (
        "impact",
        "Impact",
        &[
            "impact *",
            "impacts",
            "customer impact",
            "user impact",
            "business impact",
            "service impact",
            "who was affected",
            "what was affected",
            "scope",
            "scope of impact",
            "blast radius",
            "effects",
            "effect",
            "extents",
            "affected services",
            "affected users",
            "consequences",
        ],
    ),
    (
        "root-cause",
        "Root Cause",
        &[
            "root cause *",
            "root causes",
            "root-cause *",
            "rootcause",
            "cause",
            "causes",
            "the cause",
            "the root cause",
            "cause of the outage",
            "cause of the incident",
            "contributing factors",
            "contributing causes",
            "why did it happen",
            "why it happened",
            "why did this happen",
            "rca",
            "five whys",
            "5 whys",
            "the five whys",
            "technical root cause",
            "what caused it",
            "what caused the outage",
        ],
    ),
    (
        "trigger",
        "Trigger",
        &[
            "trigger",
            "triggers",
            "triggering event",
            "what triggered it",
        ],
    ),
    (
        "detection",
        "Detection",
        &[
            "detection *",
            "how was it detected",
            "how it was detected",
            "how we detected it",
            "monitoring and detection",
            "alerting",
        ],
    ),
    (
        "timeline",
        "Timeline",
        &[
            "timeline *",
            "time line *",
            "timelines",
            "chronology",
            "chronology of events",
            "sequence of events",
            "incident timeline",
            "outage timeline",
            "detailed timeline",
            "events",
            "timeline of events",
            "events timeline",
            "event timeline",
            "order of events",
            "log of events",
            "event log",
            "incident log",
            "what happened when",
        ],
    ),
    (
        "resolution",
        "Resolution",
        &[
            "resolution *",
            "mitigation *",
            "mitigations",
            "recovery *",
            "remediation",
            "remediation steps",
            "how it was fixed",
            "how we fixed it",
            "how it was resolved",
            "how was it resolved",
            "how the issue was resolved",
            "fix",
            "fixes",
            "the fix",
            "solution",
            "solutions",
            "resolved",
            "workaround",
            "steps to resolve",
            "steps taken",
            "actions taken",
            "response and recovery",
            "repair",
        ],
    ),
    (
        "corrective-actions",
        "Corrective Actions",
        &[
            "corrective and preventative measures",
            "corrective and preventive measures",
            "corrective",
            "preventative",
            "preventive",
            "corrective and preventative actions",
            "corrective and preventive actions",
            "corrective measures",
            "corrective actions",
            "corrective action items",
            "corrective action",
            "preventative measures",
            "preventive measures",
            "preventative actions",
            "preventive actions",
            "prevention *",
            "preventing recurrence",
            "preventing future incidents",
            "action items *",
            "action item",
            "actions",
            "action plan",
            "follow-ups",
            "follow ups",
            "followups",
            "follow-up",
            "follow up",
            "follow-up actions",
            "follow up actions",
            "follow-up items",
            "next steps",
            "remediation items",
            "remediation actions",
            "remediations",
            "remediation plan",
            "improvements",
            "improvement plan",
            "todo list",
            "todo",
            "to do",
            "to-do list",
            "tasks",
            "task list",
            "recommendations",
            "countermeasures",
            "future work",
            "future prevention",
            "moving forward",
            "going forward",
            "what we are doing about it",
            "what we're doing about it",
            "what we are doing to prevent this",
            "measures",
            "preventive steps",
            "preventative steps",
        ],
    ),
    (
        "lessons-learned",
        "Lessons Learned",
        &[
            "lessons learned *",
            "lessons learnt",
            "lessons",
            "learnings",
            "what we learned",
            "what we learnt",
            "what went well",
            "what went wrong",
            "where we got lucky",
            "takeaways",
            "key takeaways",
            "retrospective",
        ],
    ),
];

const MAX_HEADING_BYTES: usize = 300;
/// Longer "headings" are sentences ("Moving forward, the team will ...:").
const MAX_HEADING_WORDS: usize = 8;

/// Kinds whose label sub-headings are parts of them, not new sections: a summary's
/// `Impact:` and `Root Cause:` lines, a timeline's `Detection:` and `Resolution:` phases,
/// the `Improvements/Fixes:` of the corrective actions.
const PARTS: &[(&str, &[&str])] = &[
    (
        "summary",
        &["impact", "root-cause", "trigger", "detection", "resolution"],
    ),
    ("impact", &["detection"]),
    ("root-cause", &["trigger", "detection"]),
    ("timeline", &["detection", "resolution", "trigger"]),
    ("resolution", &["detection"]),
    ("corrective-actions", &["resolution"]),
];

/// One pattern of the table, normalized.
#[derive(Debug, Clone)]
struct Alias {
    words: String,
    /// `* overview`: matches titles that end with the words ("Postmortem Report Overview").
    suffix: bool,
    kind: KindId,
}

#[derive(Debug, Clone)]
pub struct KindDef {
    pub name: String,
    pub title: String,
}

/// Kind names and aliases; built-in, then extended by configuration.
#[derive(Debug, Clone)]
pub struct KindTable {
    kinds: Vec<KindDef>,
    aliases: Vec<Alias>,
    /// Lookups by normalized words; the first alias added for a name wins.
    exact_map: WordMap,
    prefix_map: WordMap,
    suffix_map: WordMap,
    /// First words of the prefix aliases and last words of the suffix aliases: a heading
    /// whose own first (last) word is not among them needs no lookup per word cut.
    prefix_firsts: WordSet,
    suffix_lasts: WordSet,
    /// `parts[k]`: kinds that a label under a `k` section belongs to rather than starts anew.
    parts: Vec<KindSet>,
}

impl Default for KindTable {
    fn default() -> Self {
        let aliases = BUILTIN.iter().map(|(_, _, a)| a.len()).sum();
        let mut t = KindTable {
            kinds: Vec::new(),
            aliases: Vec::new(),
            // Sized for the built-in aliases: no rehash while they are added.
            exact_map: WordMap::with_capacity_and_hasher(aliases, Hasher::default()),
            prefix_map: WordMap::with_capacity_and_hasher(aliases / 4, Hasher::default()),
            suffix_map: WordMap::with_capacity_and_hasher(aliases / 4, Hasher::default()),
            prefix_firsts: WordSet::with_hasher(Hasher::default()),
            suffix_lasts: WordSet::with_hasher(Hasher::default()),
            parts: Vec::new(),
        };
        for (name, title, aliases) in BUILTIN {
            let id = t.add_kind(name, title);
            for a in *aliases {
                t.add_alias(id, a);
            }
        }
        for (whole, parts) in PARTS {
            for part in *parts {
                if let (Some(w), Some(p)) = (t.id(whole), t.id(part)) {
                    t.parts[w.0 as usize].insert(p);
                }
            }
        }
        t
    }
}

impl KindTable {
    /// Adds a kind (or returns the existing one of that name).
    pub fn add_kind(&mut self, name: &str, title: &str) -> KindId {
        if let Some(id) = self.id(name) {
            return id;
        }
        self.kinds.push(KindDef {
            name: name.to_string(),
            title: title.to_string(),
        });
        self.parts.push(KindSet::default());
        KindId((self.kinds.len() - 1) as u8)
    }

    pub fn add_alias(&mut self, kind: KindId, pattern: &str) {
        let (pat, prefix) = match pattern.strip_suffix(" *") {
            Some(p) => (p, true),
            None => (pattern, false),
        };
        let (pat, suffix) = match pat.strip_prefix("* ") {
            Some(p) => (p, true),
            None => (pat, false),
        };
        // The built-in aliases are written normalized: only a configured one needs the work.
        let words = if is_normalized(pat) {
            pat.to_string()
        } else {
            normalize_heading(pat)
        };
        if !words.is_empty() {
            let map = if suffix {
                &mut self.suffix_map
            } else if prefix {
                &mut self.prefix_map
            } else {
                &mut self.exact_map
            };
            map.entry(words.clone()).or_insert(kind);
            if suffix {
                let last = words.rsplit(' ').next().unwrap_or_default();
                self.suffix_lasts.insert(last.to_string());
            } else if prefix {
                let first = words.split(' ').next().unwrap_or_default();
                self.prefix_firsts.insert(first.to_string());
            }
            if prefix {
                // "timeline *" also names a heading that is exactly "timeline".
                self.exact_map.entry(words.clone()).or_insert(kind);
            }
            self.aliases.push(Alias {
                words,
                suffix,
                kind,
            });
        }
    }

    pub fn id(&self, name: &str) -> Option<KindId> {
        self.kinds
            .iter()
            .position(|k| k.name.eq_ignore_ascii_case(name))
            .map(|i| KindId(i as u8))
    }

    /// Every kind's name, built-in ones first.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.kinds.iter().map(|k| k.name.as_str())
    }

    pub fn name(&self, id: KindId) -> &str {
        self.kinds.get(id.0 as usize).map_or("?", |k| &k.name)
    }

    /// Does a label naming `kinds` belong inside a section of `parent` kinds? Unclassified
    /// labels ("Duration:", "Escalation:") always do; so do the parent's own kinds and parts.
    pub fn is_part_of(&self, kinds: KindSet, parent: KindSet) -> bool {
        let mut allowed = parent;
        for p in parent.iter() {
            if let Some(parts) = self.parts.get(p.0 as usize) {
                allowed.0 |= parts.0;
            }
        }
        kinds.0 & !allowed.0 == 0
    }

    /// The heading to suggest when a kind is missing.
    pub fn title(&self, id: KindId) -> &str {
        self.kinds.get(id.0 as usize).map_or("?", |k| &k.title)
    }

    /// Some example headings for a kind, for messages and docs.
    pub fn examples(&self, id: KindId, n: usize) -> Vec<&str> {
        self.aliases
            .iter()
            .filter(|a| a.kind == id && !a.suffix)
            .map(|a| a.words.as_str())
            .take(n)
            .collect()
    }

    /// Kinds named by a heading. Tries the whole heading, then each part of a combined heading
    /// ("Root Cause and Resolution").
    pub fn classify(&self, heading: &str) -> KindSet {
        self.classify_detailed(heading).0
    }

    /// Kinds named by a heading, and whether the name was only a prefix match: a qualified
    /// title ("Root cause identification: the five whys") rather than the kind's own name.
    pub fn classify_detailed(&self, heading: &str) -> (KindSet, bool) {
        // No section name is this long; skipping keeps a 10 MB "heading" cheap.
        if heading.len() > MAX_HEADING_BYTES {
            return (KindSet::default(), false);
        }
        with_normalized(heading, |norm| self.classify_normalized(norm))
    }

    fn classify_normalized(&self, norm: &str) -> (KindSet, bool) {
        let mut set = KindSet::default();
        if norm.is_empty() {
            return (set, false);
        }
        if let Some(k) = self.exact(norm) {
            set.insert(k);
            return (set, false);
        }
        let mut qualified = false;
        // A combined heading names several kinds; a sentence with commas names none.
        if norm.split(' ').count() <= MAX_HEADING_WORDS {
            for part in split_combined(norm) {
                let found = self.exact(part).or_else(|| {
                    qualified = true;
                    self.prefix(part)
                });
                match found {
                    Some(k) => set.insert(k),
                    None => {
                        // Every part must name a kind: "Moving forward, we will" is a sentence.
                        set = KindSet::default();
                        break;
                    }
                }
            }
        }
        if set.is_empty()
            && let Some(k) = self.prefix(norm)
        {
            set.insert(k);
            qualified = true;
        }
        (set, qualified && !set.is_empty())
    }

    /// Exact (not prefix) match only: for plain lines without a colon, where a prose line that
    /// merely starts with "Timeline" must not become a heading.
    pub fn classify_exact(&self, heading: &str) -> KindSet {
        let mut set = KindSet::default();
        if heading.len() > MAX_HEADING_BYTES {
            return set;
        }
        with_normalized(heading, |norm| {
            if let Some(k) = self.exact(norm) {
                set.insert(k);
                return set;
            }
            let parts = || split_combined(norm);
            if parts().nth(1).is_some() && parts().all(|p| self.exact(p).is_some()) {
                for k in parts().filter_map(|p| self.exact(p)) {
                    set.insert(k);
                }
            }
            set
        })
    }

    fn exact(&self, norm: &str) -> Option<KindId> {
        self.exact_map.get(norm).copied()
    }

    /// The longest alias that `norm` starts with (whole words), so "remediation items"
    /// (corrective) beats "remediation"; else an alias it ends with ("* overview").
    fn prefix(&self, norm: &str) -> Option<KindId> {
        // Word cuts from the last: longest prefix first, then shortest suffix first.
        let cuts = || memchr::memrchr_iter(b' ', norm.as_bytes());
        let first = norm.split(' ').next().unwrap_or_default();
        let last = norm.rsplit(' ').next().unwrap_or_default();
        let prefixed = || {
            self.prefix_firsts
                .contains(first)
                .then(|| cuts().find_map(|i| self.prefix_map.get(&norm[..i]).copied()))
                .flatten()
        };
        let suffixed = || {
            self.suffix_lasts
                .contains(last)
                .then(|| cuts().find_map(|i| self.suffix_map.get(&norm[i + 1..]).copied()))
                .flatten()
        };
        prefixed().or_else(suffixed)
    }
}

/// Splits a normalized heading at "and", "&", "/", "," and "+".
fn split_combined(norm: &str) -> impl Iterator<Item = &str> {
    norm.split(" and ")
        .flat_map(|p| p.split(['&', '/', ',', '+']))
        .map(str::trim)
        .filter(|p| !p.is_empty())
}

/// Instructions from a template or an assignment left at the end of a heading: "Corrective
/// measures must contain". They do not name the section; `placeholder` reports them.
pub const ASSIGNMENT_TAILS: &[&str] = &[
    "must contain",
    "should contain",
    "must include",
    "should include",
    "must have",
    "goes here",
];

/// Lowercases a heading and strips what does not name it: markup, emoji, numbering
/// (`3.`, `III.`, `Step 2:`), parentheticals (`Timeline (all times UTC)`), trailing colons.
pub fn normalize_heading(raw: &str) -> String {
    with_normalized(raw, str::to_string)
}

/// Calls `f` with the [`normalize_heading`] form of `raw`, written into buffers reused on the
/// thread: every label-like line and field label is looked up this way, and an owned string
/// for each was most of the lookup's cost.
pub fn with_normalized<R>(raw: &str, f: impl FnOnce(&str) -> R) -> R {
    thread_local! {
        static BUF: std::cell::Cell<(String, String)> =
            const { std::cell::Cell::new((String::new(), String::new())) };
    }
    // A nested call finds the buffers taken and works on fresh ones: correct, only slower.
    let (mut scratch, mut out) = BUF.take();
    out.clear();
    let result = f(normalize_into(raw, &mut scratch, &mut out));
    BUF.set((scratch, out));
    result
}

fn normalize_into<'o>(raw: &str, scratch: &mut String, out: &'o mut String) -> &'o str {
    match quick_words(raw) {
        Some(plain) => {
            out.push_str(plain);
            out.make_ascii_lowercase();
        }
        None => {
            scratch.clear();
            words_of(raw, scratch, out);
        }
    }
    // Assignment text after the name: "Corrective measures must contain".
    for tail in ASSIGNMENT_TAILS {
        if out.len() > tail.len() + 1
            && out.ends_with(tail)
            && out[..out.len() - tail.len()].ends_with(' ')
        {
            out.truncate(out.len() - tail.len() - 1);
        }
    }
    out.trim_matches([',', '&', '/', '+', ' '])
}

/// True when `normalize_heading(words) == words`, told cheaply: lower-case ASCII words that
/// [`plain_words`] takes as they are and that end in no assignment text.
fn is_normalized(words: &str) -> bool {
    !words.bytes().any(|c| c.is_ascii_uppercase())
        && plain_words(words).is_some()
        && !ASSIGNMENT_TAILS.iter().any(|t| words.ends_with(t))
}

/// The words of a plain heading (see [`plain_words`]), also when one parenthetical runs to its
/// end (`Timeline (all times UTC)`, `Fix the alert (owner`): the general path drops it whole.
/// Returns the part of `raw` that, lower-cased, is the normalized heading.
fn quick_words(raw: &str) -> Option<&str> {
    plain_words(raw).or_else(|| {
        let open = raw.find(['(', '['])?;
        let inner = &raw[open + 1..];
        let inner = inner.strip_suffix([')', ']']).unwrap_or(inner);
        if inner.contains(['(', ')', '[', ']']) {
            return None;
        }
        plain_words(raw[..open].trim_end_matches(' '))
    })
}

/// `raw` when it is ASCII words separated by single spaces, not starting with numbering
/// (`Root Cause`, every built-in alias): the general path would only lower-case it.
fn plain_words(raw: &str) -> Option<&str> {
    // One pass: letters and digits, single spaces between them (none leading or trailing).
    let mut after_space = true;
    for &c in raw.as_bytes() {
        match c {
            b' ' if after_space => return None,
            b' ' => after_space = true,
            _ if c.is_ascii_alphanumeric() => after_space = false,
            _ => return None,
        }
    }
    if after_space {
        return None; // empty, or a trailing space
    }
    if let Some((first, _)) = raw.split_once(' ') {
        let lower = |w: &str| first.eq_ignore_ascii_case(w);
        let numbering = first.bytes().all(|c| c.is_ascii_digit())
            || (first.len() <= 4 && first.bytes().all(|c| b"ivxlIVXL".contains(&c)))
            || (first.len() == 1 && !lower("a"))
            || lower("step")
            || lower("part")
            || lower("section");
        if numbering {
            return None;
        }
    }
    Some(raw)
}

/// The general path: any text, markup, punctuation, numbering.
fn words_of(raw: &str, out: &mut String, result: &mut String) {
    // One pass: drop parentheticals ("Timeline(in EAT)"), map punctuation to spaces, lowercase.
    let mut depth = 0u32;
    for c in raw.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            '\u{2019}' | '\u{2018}' | '\'' => out.push('\''),
            '\u{2013}' | '\u{2014}' | '-' => out.push('-'),
            '&' | '/' | ',' | '+' => out.push(c),
            _ if c.is_ascii_alphanumeric() => out.push(c.to_ascii_lowercase()),
            _ if c.is_alphanumeric() => out.extend(c.to_lowercase()),
            _ => out.push(' '),
        }
    }
    let mut words = out
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| c == '-' || c == '\''))
        .filter(|w| !w.is_empty())
        .peekable();
    // Leading numbering: "3", "3.1", "iv", "b" (when more words follow), "step 2", "part 1".
    while let Some(w) = words.next() {
        if result.is_empty() && words.peek().is_some() {
            let numeric = w.bytes().all(|c| c.is_ascii_digit());
            let roman = w.len() <= 4 && w.bytes().all(|c| b"ivxl".contains(&c));
            let letter = w.len() == 1 && w.bytes().all(|c| c.is_ascii_alphabetic()) && w != "a";
            if numeric || roman || letter {
                continue;
            }
            if matches!(w, "step" | "part" | "section")
                && words
                    .peek()
                    .is_some_and(|n| n.bytes().all(|c| c.is_ascii_digit()))
            {
                words.next();
                if words.peek().is_some() {
                    continue;
                }
                result.push_str(w);
                continue;
            }
        }
        if !result.is_empty() {
            result.push(' ');
        }
        result.push_str(w);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(t: &KindTable, h: &str) -> Vec<String> {
        t.classify(h)
            .iter()
            .map(|k| t.name(k).to_string())
            .collect()
    }

    #[test]
    fn words_told_normalized_are_normalized() {
        let mut told = 0;
        let aliases = BUILTIN.iter().flat_map(|(_, _, a)| a.iter());
        let samples = [
            "Root Cause",
            "root cause",
            "3 root cause",
            "step 2",
            "a b",
            "x",
            "",
        ];
        for w in aliases.copied().chain(samples) {
            let w = w.trim_start_matches("* ").trim_end_matches(" *");
            if is_normalized(w) {
                assert_eq!(normalize_heading(w), w);
                told += 1;
            }
        }
        assert!(told > 100, "{told}");
        assert!(!is_normalized("Root Cause") && !is_normalized("3 root cause"));
        assert!(!is_normalized("fixes must include"));
    }

    #[test]
    fn plain_words_read_as_the_general_path_does() {
        let samples = [
            "Root Cause",
            "root cause",
            "Timeline",
            "3 Root Cause",
            "IV Resolution",
            "iv",
            "b Timeline",
            "a Timeline",
            "Step 2",
            "Step 2 Timeline",
            "Part One",
            "Section Timeline",
            "Lessons Learned",
            "Corrective measures must contain",
            "x",
            "Impact 2023",
            "2023",
            "Timeline (all times UTC)",
            "Timeline(in EAT)",
            "Fix the alert (owner",
            "Start [UTC]",
            "Start (UTC) end",
            "Start (a (b) c)",
            "Start (a) (b)",
            "Start (a))",
            "(UTC)",
            "3 Timeline (UTC)",
            "Timeline  (UTC)",
            "Timeline\t(UTC)",
            "Root Cause (see below]",
        ];
        let aliases = BUILTIN.iter().flat_map(|(_, _, a)| a.iter().copied());
        let mut plain = 0;
        for raw in samples.into_iter().chain(aliases) {
            let mut general = String::new();
            words_of(raw, &mut String::new(), &mut general);
            if let Some(p) = quick_words(raw) {
                plain += 1;
                assert_eq!(p.to_ascii_lowercase(), general, "{raw:?}");
            }
        }
        assert_eq!(quick_words("Timeline (all times UTC)"), Some("Timeline"));
        assert_eq!(quick_words("Fix it (owner"), Some("Fix it"));
        assert_eq!(quick_words("Start (a (b) c)"), None);
        // The quick path takes the common shape, not nothing.
        assert!(plain > 10, "{plain}");
        assert_eq!(plain_words("3 Root Cause"), None);
        assert_eq!(plain_words("Root  Cause"), None);
        assert_eq!(plain_words("Root Cause:"), None);
        for spaced in ["", " ", " Root", "Root ", "Root  Cause"] {
            assert_eq!(plain_words(spaced), None, "{spaced:?}");
        }
    }

    /// A lookup made while the thread's buffers are in use gets fresh ones, not theirs.
    #[test]
    fn nested_normalization_keeps_both_results() {
        let pair = with_normalized("3. Root Cause:", |outer| {
            let inner = with_normalized("Timeline (UTC)", str::to_string);
            (outer.to_string(), inner)
        });
        assert_eq!(pair, ("root cause".to_string(), "timeline".to_string()));
        assert_eq!(normalize_heading("IV. Resolution"), "resolution");
    }

    #[test]
    fn normalizes_real_heading_styles() {
        assert_eq!(normalize_heading("## 3. Root cause:"), "root cause");
        assert_eq!(normalize_heading("Timeline (all times UTC)"), "timeline");
        assert_eq!(
            normalize_heading("Timeline(in East African Time)"),
            "timeline"
        );
        assert_eq!(normalize_heading("Issue Summary 📃"), "issue summary");
        assert_eq!(
            normalize_heading("**Corrective and Preventative Measures:**"),
            "corrective and preventative measures"
        );
        assert_eq!(normalize_heading("IV. Resolution"), "resolution");
        assert_eq!(
            normalize_heading("What we’re doing about it"),
            "what we're doing about it"
        );
    }

    #[test]
    fn classifies_aliases_and_combined_headings() {
        let t = KindTable::default();
        assert_eq!(kinds(&t, "Issue Summary:"), ["summary"]);
        assert_eq!(
            kinds(&t, "Root Cause and Resolution"),
            ["root-cause", "resolution"]
        );
        assert_eq!(kinds(&t, "Timeline of events (UTC)"), ["timeline"]);
        assert_eq!(
            kinds(&t, "Corrective and Preventative Measures"),
            ["corrective-actions"]
        );
        assert_eq!(kinds(&t, "Remediation items"), ["corrective-actions"]);
        assert_eq!(kinds(&t, "Remediation"), ["resolution"]);
        assert_eq!(
            kinds(&t, "Lessons and actions"),
            ["corrective-actions", "lessons-learned"]
        );
        assert_eq!(kinds(&t, "Why did it happen?"), ["root-cause"]);
        assert!(kinds(&t, "Appendix").is_empty());
        assert_eq!(kinds(&t, "Postmortem Report Overview"), ["summary"]);
        assert_eq!(
            kinds(&t, "Corrective/Preventative measures"),
            ["corrective-actions"]
        );
        assert!(t.is_part_of(t.classify("Impact"), t.classify("Issue Summary")));
        assert!(t.is_part_of(t.classify("Duration"), t.classify("Issue Summary")));
        assert!(t.is_part_of(
            t.classify("Improvements/Fixes"),
            t.classify("Corrective and Preventative Measures")
        ));
        assert!(!t.is_part_of(t.classify("Timeline"), t.classify("Issue Summary")));
        assert!(!t.is_part_of(
            t.classify("Root Cause and Resolution"),
            t.classify("Timeline")
        ));
        assert!(kinds(&t, "Postmortem: Webstack Outage").is_empty());
    }

    /// Prefix and suffix aliases added later (configuration) are found past the word gates.
    #[test]
    fn added_prefix_and_suffix_aliases_classify() {
        let mut t = KindTable::default();
        assert!(kinds(&t, "Postmortem Wrapup").is_empty());
        assert!(kinds(&t, "Wrap up of the day").is_empty());
        t.add_alias(KindId::LESSONS_LEARNED, "* wrapup");
        t.add_alias(KindId::LESSONS_LEARNED, "wrap up *");
        assert_eq!(kinds(&t, "Postmortem Wrapup"), ["lessons-learned"]);
        assert_eq!(kinds(&t, "Wrap up of the day"), ["lessons-learned"]);
        assert_eq!(kinds(&t, "Detection and alerting gaps"), ["detection"]);
        assert_eq!(kinds(&t, "Incident Report Overview"), ["summary"]);
    }

    #[test]
    fn exact_classification_ignores_prefixes() {
        let t = KindTable::default();
        assert!(t.classify_exact("Timeline").contains(KindId::TIMELINE));
        assert!(
            t.classify_exact("Timeline of the outage was long")
                .is_empty()
        );
        assert!(!t.classify_exact("Root Cause and Resolution").is_empty());
    }
}
