//! Byte offsets to 1-based line and column positions.
//!
//! Every span in the model is a byte range into the source text (BOM removed). Users and
//! editors want lines and columns counted in characters, so positions are resolved here, in
//! one linear pass per batch of offsets (never one scan of a line per offset: a 10 MB line with
//! many findings would otherwise be quadratic).

use std::ops::Range;

/// A 1-based line and column; the column counts characters, not bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// Start offsets of every line of a text.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
    len: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        // Room for lines of ~40 bytes, capped: a few regrowths beat a huge guess.
        let mut starts = Vec::with_capacity((text.len() / 40).min(4096) + 1);
        starts.push(0);
        if memchr::memchr(b'\r', bytes).is_none() {
            // LF endings only (the common case): the one-byte search is cheaper per line.
            starts.extend(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1));
        } else {
            starts.extend(memchr_newlines(text).map(|i| i + 1));
        }
        LineIndex {
            starts,
            len: text.len(),
        }
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// 0-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }

    /// Byte range of a 0-based line, without its line ending.
    pub fn line_range(&self, text: &str, line: usize) -> Range<usize> {
        let start = self.starts.get(line).copied().unwrap_or(self.len);
        let mut end = self.starts.get(line + 1).copied().unwrap_or(self.len);
        let bytes = text.as_bytes();
        if end > start && bytes.get(end - 1) == Some(&b'\n') {
            end -= 1;
        }
        if end > start && bytes.get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        start..end
    }

    /// Position of one offset. Linear in the length of its line; use [`Self::positions`] for many.
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line_of(offset);
        let start = self.starts[line];
        Position {
            line: line + 1,
            column: text[start..offset].chars().count() + 1,
        }
    }

    /// Positions of many offsets in one pass over the text: sorts a copy of the offsets and
    /// walks forward, so the cost is O(n log n + text length) whatever the offsets are.
    pub fn positions(&self, text: &str, offsets: &[usize]) -> Vec<Position> {
        let mut order: Vec<usize> = (0..offsets.len()).collect();
        order.sort_by_key(|&i| offsets[i]);
        let mut out = vec![Position::default(); offsets.len()];
        let mut sweep = self.sweep(text);
        for i in order {
            out[i] = sweep.position(offsets[i]);
        }
        out
    }

    /// A forward walk over `text` that positions offsets given in non-decreasing order.
    pub fn sweep<'a>(&'a self, text: &'a str) -> Sweep<'a> {
        Sweep {
            index: self,
            text,
            offset: 0,
            line: 0,
            column: 1,
        }
    }
}

/// Positions offsets given in non-decreasing order, each counted on from the one before:
/// linear in the text however many offsets share one long line.
pub struct Sweep<'a> {
    index: &'a LineIndex,
    text: &'a str,
    offset: usize,
    line: usize,
    column: usize,
}

impl Sweep<'_> {
    pub fn position(&mut self, offset: usize) -> Position {
        let target = floor_char_boundary(self.text, offset.min(self.text.len()));
        let line = self.index.line_of(target);
        if line != self.line || target < self.offset {
            self.line = line;
            self.offset = self.index.starts[line];
            self.column = 1;
        }
        self.column += self.text[self.offset..target].chars().count();
        self.offset = target;
        Position {
            line: self.line + 1,
            column: self.column,
        }
    }
}

/// Ends of lines: LF, and CR not followed by LF. CommonMark (and every editor) ends a line at a
/// lone CR too; counting only LF put a whole CR-only document on line 1.
fn memchr_newlines(text: &str) -> impl Iterator<Item = usize> + '_ {
    let bytes = text.as_bytes();
    memchr::memchr2_iter(b'\n', b'\r', bytes)
        .filter(move |&i| bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n'))
}

/// ASCII whitespace as `char::is_whitespace` sees it.
fn is_ws_byte(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0B' | b'\x0C')
}

/// `str::trim_end`, by bytes while the text is ASCII: every line's end is trimmed, and the
/// char-decoding walk costs more than the line's other work.
pub fn trim_end_ws(s: &str) -> &str {
    let b = s.as_bytes();
    let n = b.len() - b.iter().rev().take_while(|c| is_ws_byte(**c)).count();
    match n.checked_sub(1).map(|i| b[i]) {
        // Possibly the end of a multi-byte space (U+00A0, U+3000): the general path.
        Some(c) if c >= 0x80 => s[..n].trim_end(),
        _ => &s[..n],
    }
}

/// `str::trim_start`, by bytes while the text is ASCII (see [`trim_end_ws`]).
pub fn trim_start_ws(s: &str) -> &str {
    let n = s.bytes().take_while(|c| is_ws_byte(*c)).count();
    match s.as_bytes().get(n) {
        Some(c) if *c >= 0x80 => s[n..].trim_start(),
        _ => &s[n..],
    }
}

/// The largest char boundary at or below `i`.
pub fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    if i >= text.len() {
        return text.len();
    }
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The smallest char boundary at or above `i`.
pub fn ceil_char_boundary(text: &str, mut i: usize) -> usize {
    if i >= text.len() {
        return text.len();
    }
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "a\né😀x\r\nlast";
        let idx = LineIndex::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(idx.position(text, x), Position { line: 2, column: 3 });
        assert_eq!(
            idx.position(text, text.len()),
            Position { line: 3, column: 5 }
        );
        assert_eq!(idx.line_range(text, 1), 2..text.find('\r').unwrap());
    }

    #[test]
    fn a_lone_cr_ends_a_line_and_crlf_is_one_ending() {
        let text = "one\rtwo\r\nthree\n\rfive\r";
        let idx = LineIndex::new(text);
        let at = |s: &str| idx.position(text, text.find(s).unwrap());
        assert_eq!(at("two"), Position { line: 2, column: 1 });
        assert_eq!(at("three"), Position { line: 3, column: 1 });
        assert_eq!(at("five"), Position { line: 5, column: 1 });
        assert_eq!(idx.line_count(), 6);
        assert_eq!(&text[idx.line_range(text, 0)], "one");
        assert_eq!(&text[idx.line_range(text, 1)], "two");
        assert_eq!(&text[idx.line_range(text, 3)], "");
        // LF only: one line per LF, as before.
        assert_eq!(LineIndex::new("a\nb\n").line_count(), 3);
    }

    #[test]
    fn byte_trims_agree_with_std() {
        for s in [
            "",
            " ",
            "a",
            " a b \t\r\n",
            "\x0B\x0Cx\x0C",
            "x\u{a0}",
            "\u{3000} x \u{2003}",
            "é ",
            " é",
            "a\u{a0} \t",
            "\u{1F600}",
            "\x1F x \x1F",
        ] {
            assert_eq!(trim_end_ws(s), s.trim_end(), "{s:?}");
            assert_eq!(trim_start_ws(s), s.trim_start(), "{s:?}");
        }
    }

    #[test]
    fn batch_positions_match_single_positions() {
        let text = "héllo\nwörld wide\n\nend";
        let idx = LineIndex::new(text);
        let offsets: Vec<usize> = (0..=text.len()).rev().collect();
        let batch = idx.positions(text, &offsets);
        for (o, p) in offsets.iter().zip(batch) {
            assert_eq!(idx.position(text, *o), p, "offset {o}");
        }
    }
}
