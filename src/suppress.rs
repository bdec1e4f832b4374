//! Suppression comments in documents:
//!
//! ```markdown
//! <!-- pmlint-disable timeline-untimed -->  …  <!-- pmlint-enable -->
//! <!-- pmlint-disable-next-line PM202 -->
//! <!-- pmlint-disable-file -->
//! ```
//!
//! Rules are named by code or name; none means all. `disable-next-line` applies to the next
//! non-blank line (formatters such as Prettier put a blank line after a comment). A directive
//! that suppresses nothing is reported as `unused-suppression`.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::ops::Range;

use crate::diagnostic::{Diagnostic, Severity};
use crate::document::Document;
use crate::rules;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Disable,
    Enable,
    NextLine,
    File,
}

#[derive(Debug)]
struct Directive {
    kind: Kind,
    /// Rule codes; empty means every rule.
    codes: Vec<&'static str>,
    unknown: Vec<String>,
    span: Range<usize>,
    /// 1-based line of the comment, and for `next-line` the line it applies to.
    line: usize,
    target: usize,
    used: bool,
}

fn parse(doc: &Document) -> Vec<Directive> {
    let mut out = Vec::new();
    // The next non-blank line after each line a comment ends on, found once per line: many
    // comments on one line before a long blank run must not each scan the run.
    let mut targets: HashMap<usize, usize> = HashMap::new();
    for span in &doc.comments {
        let text = doc.slice(span);
        let inner = text
            .trim_start_matches("<!--")
            .trim_end_matches("-->")
            .trim();
        let Some(rest) = inner.strip_prefix("pmlint-") else {
            continue;
        };
        let (word, args) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
        let kind = match word {
            "disable" => Kind::Disable,
            "enable" => Kind::Enable,
            "disable-next-line" => Kind::NextLine,
            "disable-file" => Kind::File,
            _ => continue,
        };
        let mut codes = Vec::new();
        let mut unknown = Vec::new();
        for name in args.split([' ', ',', '\t', '\n']).filter(|n| !n.is_empty()) {
            match rules::find(name) {
                Some(r) => codes.push(r.code),
                None => unknown.push(name.to_string()),
            }
        }
        let line = doc.lines.line_of(span.start) + 1;
        let end_line = doc
            .lines
            .line_of(span.end.saturating_sub(1).max(span.start))
            + 1;
        let target = if kind == Kind::NextLine {
            *targets.entry(end_line).or_insert_with(|| {
                (end_line..doc.lines.line_count())
                    .find(|&l| {
                        !doc.slice(&doc.lines.line_range(doc.text, l))
                            .trim()
                            .is_empty()
                    })
                    .map_or(0, |l| l + 1)
            })
        } else {
            0
        };
        out.push(Directive {
            kind,
            codes,
            unknown,
            span: span.clone(),
            line,
            target,
            used: false,
        });
    }
    out
}

/// `(directive, from line, to line)` for each disable: it lasts until the next enable that
/// names all rules or one of its rules. Each disable is closed once, so this is linear in
/// the directives and their codes, not quadratic.
fn disable_ranges(directives: &[Directive]) -> Vec<(usize, usize, usize)> {
    let mut end = vec![usize::MAX; directives.len()];
    let mut open_all: Vec<usize> = Vec::new();
    let mut open_by_code: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut closed = vec![false; directives.len()];
    for (i, d) in directives.iter().enumerate() {
        match d.kind {
            Kind::Disable if d.codes.is_empty() => open_all.push(i),
            Kind::Disable => {
                for c in &d.codes {
                    open_by_code.entry(c).or_default().push(i);
                }
            }
            Kind::Enable if d.codes.is_empty() => {
                for (_, list) in open_by_code.drain() {
                    for j in list {
                        if !closed[j] {
                            closed[j] = true;
                            end[j] = d.line;
                        }
                    }
                }
                for j in open_all.drain(..) {
                    closed[j] = true;
                    end[j] = d.line;
                }
            }
            Kind::Enable => {
                for c in &d.codes {
                    for j in open_by_code.remove(c).unwrap_or_default() {
                        if !closed[j] {
                            closed[j] = true;
                            end[j] = d.line;
                        }
                    }
                }
            }
            _ => {}
        }
    }
    directives
        .iter()
        .enumerate()
        .filter(|(_, d)| d.kind == Kind::Disable)
        .map(|(i, d)| (i, d.line, end[i]))
        .collect()
}

/// File and next-line directives by rule and by line, for lookups without a scan: the first
/// directive of each kind that covers every rule, and the first that names each rule.
struct Index {
    file_all: Option<usize>,
    file_by_code: HashMap<&'static str, usize>,
    next_all: HashMap<usize, usize>,
    next_by_code: HashMap<(usize, &'static str), usize>,
}

impl Index {
    fn new(directives: &[Directive]) -> Self {
        let mut index = Index {
            file_all: None,
            file_by_code: HashMap::new(),
            next_all: HashMap::new(),
            next_by_code: HashMap::new(),
        };
        for (i, d) in directives.iter().enumerate() {
            match d.kind {
                Kind::File if d.codes.is_empty() => {
                    index.file_all.get_or_insert(i);
                }
                Kind::File => {
                    for c in &d.codes {
                        index.file_by_code.entry(c).or_insert(i);
                    }
                }
                Kind::NextLine if d.codes.is_empty() => {
                    index.next_all.entry(d.target).or_insert(i);
                }
                Kind::NextLine => {
                    for c in &d.codes {
                        index.next_by_code.entry((d.target, c)).or_insert(i);
                    }
                }
                _ => {}
            }
        }
        index
    }

    fn file(&self, code: &str) -> Option<usize> {
        let by_code = self.file_by_code.get(code).copied();
        [self.file_all, by_code].into_iter().flatten().min()
    }

    fn next_line(&self, line: usize, code: &'static str) -> Option<usize> {
        let all = self.next_all.get(&line).copied();
        let by_code = self.next_by_code.get(&(line, code)).copied();
        [all, by_code].into_iter().flatten().min()
    }
}

/// Disable ranges that have started, per rule, lowest directive first; ranges that have
/// ended are dropped as the sweep passes them.
#[derive(Default)]
struct Active {
    all: BinaryHeap<Reverse<(usize, usize)>>,
    by_code: HashMap<&'static str, BinaryHeap<Reverse<(usize, usize)>>>,
}

impl Active {
    fn push(&mut self, d: &Directive, i: usize, to: usize) {
        if d.codes.is_empty() {
            self.all.push(Reverse((i, to)));
        }
        for c in &d.codes {
            self.by_code.entry(c).or_default().push(Reverse((i, to)));
        }
    }

    fn first(&mut self, code: &str, line: usize) -> Option<usize> {
        let top = |heap: &mut BinaryHeap<Reverse<(usize, usize)>>| {
            while let Some(Reverse((i, to))) = heap.peek().copied() {
                if line < to {
                    return Some(i);
                }
                heap.pop();
            }
            None
        };
        let by_code = self.by_code.get_mut(code).and_then(top);
        [top(&mut self.all), by_code].into_iter().flatten().min()
    }
}

/// Removes suppressed diagnostics (positions must be resolved) and adds one
/// `unused-suppression` for each directive that suppressed nothing.
pub fn apply(
    doc: &Document,
    diagnostics: Vec<Diagnostic>,
    unused_severity: Severity,
    off: &[&str],
) -> Vec<Diagnostic> {
    let mut directives = parse(doc);
    if directives.is_empty() {
        return diagnostics;
    }
    let ranges = disable_ranges(&directives);
    let index = Index::new(&directives);
    let mut active = Active::default();
    let mut next_range = 0;
    let mut kept = Vec::with_capacity(diagnostics.len());
    // One sweep: diagnostics come sorted by line, ranges by the line they start after.
    for diag in diagnostics {
        let line = diag.start.line;
        while let Some(&(i, from, to)) = ranges.get(next_range) {
            if from >= line {
                break;
            }
            active.push(&directives[i], i, to);
            next_range += 1;
        }
        // A file or next-line directive wins over a disable range, as it always has: which
        // one is marked used decides what `unused-suppression` reports.
        let hit = [index.file(diag.code), index.next_line(line, diag.code)]
            .into_iter()
            .flatten()
            .min()
            .or_else(|| active.first(diag.code, line));
        match hit {
            Some(i) => directives[i].used = true,
            None => kept.push(diag),
        }
    }
    if unused_severity != Severity::Off {
        let unused: Vec<&Directive> = directives
            .iter()
            .filter(|d| {
                let only_off = !d.codes.is_empty() && d.codes.iter().all(|c| off.contains(c));
                d.kind != Kind::Enable && ((!d.used && !only_off) || !d.unknown.is_empty())
            })
            .collect();
        // Positioned in one batch: one at a time, 40,000 comments on one line took 3 s.
        let removals: Vec<Range<usize>> = unused
            .iter()
            .map(|d| whole_line(doc.text, &d.span))
            .collect();
        let offsets: Vec<usize> = unused
            .iter()
            .zip(&removals)
            .flat_map(|(d, r)| [d.span.start, d.span.end, r.start, r.end])
            .collect();
        let positions = doc.lines.positions(doc.text, &offsets);
        for ((d, at), removal) in unused.iter().zip(positions.chunks_exact(4)).zip(removals) {
            let text = doc.slice(&d.span).trim().to_string();
            let message = if !d.unknown.is_empty() {
                format!("`{text}` names no known rule: {}", d.unknown.join(", "))
            } else {
                format!("`{text}` suppresses nothing")
            };
            let (start, end) = (at[0], at[1]);
            kept.push(Diagnostic {
                code: UNUSED.0,
                name: UNUSED.1,
                severity: unused_severity,
                message,
                span: d.span.clone(),
                start,
                end,
                suggestion: Some(crate::diagnostic::Suggestion {
                    message: "remove the comment, or name the rule it should silence".into(),
                    replacement: Some(String::new()),
                    span: removal,
                    start: at[2],
                    end: at[3],
                }),
                more: 0,
            });
        }
        kept.sort_by(|a, b| (a.start, a.code).cmp(&(b.start, b.code)));
    }
    kept
}

/// A comment alone on its line is removed with its line (and line ending), so removing it
/// leaves no blank line behind; otherwise only the comment goes.
fn whole_line(text: &str, span: &Range<usize>) -> Range<usize> {
    let bytes = text.as_bytes();
    let before = &bytes[..span.start.min(bytes.len())];
    // Only the blanks right before the comment are read: many comments on one long line
    // must not each scan back to its start.
    let blanks_before = before
        .iter()
        .rev()
        .take_while(|b| matches!(b, b' ' | b'\t'))
        .count();
    let line_start = before.len() - blanks_before;
    if line_start > 0 && !matches!(before[line_start - 1], b'\n' | b'\r') {
        return span.clone();
    }
    let after = &bytes[span.end.min(bytes.len())..];
    let blanks = after
        .iter()
        .take_while(|b| matches!(b, b' ' | b'\t'))
        .count();
    match after.get(blanks..) {
        Some([b'\r', b'\n', ..]) => line_start..span.end + blanks + 2,
        Some([b'\n' | b'\r', ..]) => line_start..span.end + blanks + 1,
        Some([]) => line_start..span.end + blanks,
        _ => span.clone(),
    }
}

/// The rule that reports unused suppressions (its check runs here, after the other rules).
pub const UNUSED: (&str, &str) = ("PM005", "unused-suppression");
