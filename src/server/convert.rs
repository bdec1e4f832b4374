//! Positions and diagnostics between pmlint (byte spans) and LSP (line and UTF-8 or UTF-16
//! code unit), and the open document's text, edited in place by incremental changes.

use std::ops::Range;

use lsp_types as lsp;
use serde_json::json;

use crate::diagnostic::{Diagnostic, Severity};
use crate::source::{LineIndex, floor_char_boundary};
use crate::{fix, report, rules, suppress};

/// How the client counts a line's characters: negotiated at `initialize`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
}

impl Encoding {
    fn units(self, c: char) -> usize {
        match self {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
        }
    }

    fn units_in(self, s: &str) -> usize {
        match self {
            Encoding::Utf8 => s.len(),
            Encoding::Utf16 if s.is_ascii() => s.len(),
            Encoding::Utf16 => s.chars().map(char::len_utf16).sum(),
        }
    }
}

/// An open document: its text as the client has it, its version and where its lines start.
#[derive(Debug, Clone)]
pub struct OpenDocument {
    pub text: String,
    pub version: i32,
    pub lines: LineIndex,
}

impl OpenDocument {
    pub fn new(text: String, version: i32) -> Self {
        let lines = LineIndex::new(&text);
        OpenDocument {
            text,
            version,
            lines,
        }
    }

    /// Applies one change (`range` None: the whole text). Positions outside the text are
    /// clamped to it, and a reversed range is taken in order.
    pub fn apply(&mut self, change: &lsp::TextDocumentContentChangeEvent, enc: Encoding) {
        match change.range {
            None => self.text.clone_from(&change.text),
            Some(range) => {
                let a = self.offset(range.start, enc);
                let b = self.offset(range.end, enc);
                self.text.replace_range(a.min(b)..a.max(b), &change.text);
            }
        }
        self.lines = LineIndex::new(&self.text);
    }

    /// The byte offset of an LSP position, clamped to the document: a line past the end is
    /// the end, a character past a line's end is that end, and one inside a character
    /// (half a surrogate pair, a byte of a UTF-8 sequence) is that character's start.
    pub fn offset(&self, pos: lsp::Position, enc: Encoding) -> usize {
        let line = pos.line as usize;
        if line >= self.lines.line_count() {
            return self.text.len();
        }
        let range = self.lines.line_range(&self.text, line);
        let want = pos.character as usize;
        let mut units = 0usize;
        for (i, c) in self.text[range.clone()].char_indices() {
            let next = units + enc.units(c);
            if next > want {
                return range.start + i;
            }
            units = next;
        }
        range.end
    }

    /// The LSP position of one byte offset (clamped to the text and to a character start).
    pub fn position(&self, offset: usize, enc: Encoding) -> lsp::Position {
        let offset = floor_char_boundary(&self.text, offset);
        let line = self.lines.line_of(offset);
        let range = self.lines.line_range(&self.text, line);
        // An offset inside a CRLF is the end of its line.
        let offset = offset.min(range.end).max(range.start);
        lsp::Position::new(
            saturate(line),
            saturate(enc.units_in(&self.text[range.start..offset])),
        )
    }

    /// Positions of many offsets, in one walk per line however many share it (a 10 MB line
    /// with a hundred findings is not walked a hundred times).
    pub fn positions(&self, offsets: &[usize], enc: Encoding) -> Vec<lsp::Position> {
        let mut order: Vec<usize> = (0..offsets.len()).collect();
        order.sort_unstable_by_key(|&i| offsets[i]);
        let mut out = vec![lsp::Position::default(); offsets.len()];
        // The last position found: its line, line end, offset and units from the line start.
        let mut last: Option<(usize, usize, usize, usize)> = None;
        for i in order {
            let target = floor_char_boundary(&self.text, offsets[i]);
            let line = self.lines.line_of(target);
            let (line_end, from, units) = match last {
                Some((l, end, at, units)) if l == line => (end, at, units),
                _ => {
                    let r = self.lines.line_range(&self.text, line);
                    (r.end, r.start, 0)
                }
            };
            let target = target.min(line_end).max(from);
            let units = units + enc.units_in(&self.text[from..target]);
            last = Some((line, line_end, target, units));
            out[i] = lsp::Position::new(saturate(line), saturate(units));
        }
        out
    }

    pub fn range(&self, span: &Range<usize>, enc: Encoding) -> lsp::Range {
        lsp::Range::new(self.position(span.start, enc), self.position(span.end, enc))
    }

    /// How many bytes a BOM takes at the start: pmlint's spans are into the text after it.
    pub fn bom(&self) -> usize {
        if self.text.starts_with('\u{feff}') {
            '\u{feff}'.len_utf8()
        } else {
            0
        }
    }

    /// The line ending the document uses (for lines a code action inserts).
    pub fn line_ending(&self) -> &'static str {
        fix::line_ending(&self.text)
    }
}

fn saturate(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

pub fn severity(s: Severity) -> lsp::DiagnosticSeverity {
    match s {
        Severity::Error => lsp::DiagnosticSeverity::ERROR,
        Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        Severity::Info => lsp::DiagnosticSeverity::INFORMATION,
        Severity::Off => lsp::DiagnosticSeverity::HINT,
    }
}

/// The 1-based line numbers a message refers to ("… (May 10 18:00 UTC, line 15)").
pub fn lines_named(message: &str) -> Vec<usize> {
    let mut out = Vec::new();
    for (at, _) in message.match_indices("line ") {
        // A word of its own: not the end of "online".
        if message.as_bytes()[..at]
            .last()
            .is_some_and(u8::is_ascii_alphanumeric)
        {
            continue;
        }
        let digits: String = message[at + 5..]
            .chars()
            .take_while(char::is_ascii_digit)
            .take(12)
            .collect();
        if let Ok(n) = digits.parse::<usize>()
            && n > 0
            && !out.contains(&n)
        {
            out.push(n);
        }
    }
    out
}

/// Converts one document's diagnostics, their positions found in one walk.
pub fn diagnostics(
    doc: &OpenDocument,
    diags: &[Diagnostic],
    uri: &lsp::Uri,
    enc: Encoding,
) -> Vec<lsp::Diagnostic> {
    let bom = doc.bom();
    let mut offsets = Vec::with_capacity(diags.len() * 4);
    for d in diags {
        let fix_span = d.suggestion.as_ref().map_or(&d.span, |s| &s.span);
        offsets.extend([
            d.span.start + bom,
            d.span.end + bom,
            fix_span.start + bom,
            fix_span.end + bom,
        ]);
    }
    let at = doc.positions(&offsets, enc);
    diags
        .iter()
        .zip(at.chunks_exact(4))
        .map(|(d, at)| {
            let range = lsp::Range::new(at[0], at[1]);
            let fix_range = lsp::Range::new(at[2], at[3]);
            diagnostic(doc, d, uri, enc, [range, fix_range])
        })
        .collect()
}

fn diagnostic(
    doc: &OpenDocument,
    d: &Diagnostic,
    uri: &lsp::Uri,
    enc: Encoding,
    [range, fix_range]: [lsp::Range; 2],
) -> lsp::Diagnostic {
    let rule = rules::find(d.code);
    let href = rule.and_then(|r| report::help_uri(r).parse().ok());
    let related: Vec<lsp::DiagnosticRelatedInformation> = lines_named(&d.message)
        .into_iter()
        .filter(|&n| n <= doc.lines.line_count())
        .map(|n| {
            let line = saturate(n - 1);
            let end = doc.lines.line_range(&doc.text, n - 1);
            let end = doc.position(end.end, enc).character;
            lsp::DiagnosticRelatedInformation {
                location: lsp::Location::new(
                    uri.clone(),
                    lsp::Range::new(lsp::Position::new(line, 0), lsp::Position::new(line, end)),
                ),
                message: format!("line {n}, named in the message"),
            }
        })
        .collect();
    let data = fix::fix_of(d).map(|f| {
        json!({
            "fix": {
                "applicability": f.applicability.as_str(),
                "replacement": f.replacement,
                "range": fix_range,
            }
        })
    });
    lsp::Diagnostic {
        range,
        severity: Some(severity(d.severity)),
        code: Some(lsp::NumberOrString::String(d.code.to_string())),
        code_description: href.map(|href| lsp::CodeDescription { href }),
        source: Some("pmlint".into()),
        message: d.message.clone(),
        related_information: (!related.is_empty()).then_some(related),
        tags: (d.code == suppress::UNUSED.0).then(|| vec![lsp::DiagnosticTag::UNNECESSARY]),
        data,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(line: u32, character: u32) -> lsp::Position {
        lsp::Position::new(line, character)
    }

    #[test]
    fn utf16_and_utf8_columns_count_their_own_units() {
        // "é" is 2 bytes, 1 UTF-16 unit; "😀" 4 bytes, 2 units.
        let doc = OpenDocument::new("aé😀b\r\nx\ry\n".into(), 0);
        let b = "aé😀".len();
        assert_eq!(doc.offset(pos(0, 4), Encoding::Utf16), b);
        assert_eq!(doc.offset(pos(0, 7), Encoding::Utf8), b);
        assert_eq!(doc.position(b, Encoding::Utf16), pos(0, 4));
        assert_eq!(doc.position(b, Encoding::Utf8), pos(0, 7));
        // Half a surrogate pair is the character's start.
        assert_eq!(doc.offset(pos(0, 3), Encoding::Utf16), "aé".len());
        // A lone CR ends a line; CRLF is one ending.
        assert_eq!(doc.offset(pos(1, 0), Encoding::Utf16), b + 3);
        assert_eq!(doc.offset(pos(2, 0), Encoding::Utf16), b + 5);
        // Outside the document: clamped, never a panic.
        assert_eq!(doc.offset(pos(0, 999), Encoding::Utf16), b + 1);
        assert_eq!(doc.offset(pos(99, 0), Encoding::Utf16), doc.text.len());
        assert_eq!(doc.position(9999, Encoding::Utf16), pos(3, 0));
        // Inside the CRLF: the end of the line.
        assert_eq!(doc.position(b + 2, Encoding::Utf16), pos(0, 4 + 1));
        let many = doc.positions(&[b, 1, 9999, b + 2], Encoding::Utf16);
        assert_eq!(many, [pos(0, 4), pos(0, 1), pos(3, 0), pos(0, 5)]);
    }

    #[test]
    fn every_position_maps_to_a_character_start_and_back() {
        // Multi-byte characters, CRLF, a lone CR, an empty line, no final newline.
        let doc = OpenDocument::new("\u{feff}aé\r\n😀x\r\rz\n\nend".into(), 0);
        for enc in [Encoding::Utf8, Encoding::Utf16] {
            for line in 0..8 {
                for character in 0..12 {
                    let off = doc.offset(pos(line, character), enc);
                    assert!(doc.text.is_char_boundary(off), "{line}:{character}");
                    // Back and forth again is the same offset: positions are stable.
                    let back = doc.position(off, enc);
                    assert_eq!(doc.offset(back, enc), off, "{line}:{character} {enc:?}");
                }
            }
            let offsets: Vec<usize> = (0..=doc.text.len() + 2).collect();
            let many = doc.positions(&offsets, enc);
            for (&o, p) in offsets.iter().zip(&many) {
                assert_eq!(*p, doc.position(o, enc), "offset {o} {enc:?}");
            }
        }
    }

    #[test]
    fn incremental_changes_edit_in_place() {
        let mut doc = OpenDocument::new("June 10\nsecond\n".into(), 1);
        let change = |r: Option<lsp::Range>, t: &str| lsp::TextDocumentContentChangeEvent {
            range: r,
            range_length: None,
            text: t.into(),
        };
        doc.apply(
            &change(Some(lsp::Range::new(pos(0, 0), pos(0, 4))), "May"),
            Encoding::Utf16,
        );
        assert_eq!(doc.text, "May 10\nsecond\n");
        // Reversed and out-of-range ends are put in order and clamped.
        doc.apply(
            &change(Some(lsp::Range::new(pos(9, 9), pos(1, 6))), "!"),
            Encoding::Utf16,
        );
        assert_eq!(doc.text, "May 10\nsecond!");
        assert_eq!(doc.lines.line_count(), 2);
        doc.apply(&change(None, "new"), Encoding::Utf16);
        assert_eq!(doc.text, "new");
    }

    #[test]
    fn only_line_numbers_in_the_message_are_related() {
        assert_eq!(
            lines_named("after the entries below it (May 10 18:00 UTC, line 15)"),
            [15]
        );
        assert!(lines_named("timeline entry has no time: `online 5`").is_empty());
        assert!(lines_named("a line of text").is_empty());
    }
}
