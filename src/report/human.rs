//! The default output, in the style of rustc and ruff: a header line per finding, a code frame
//! of the source line with the span underlined (annotate-snippets) and the suggestion.

use std::io::{self, Write};
use std::ops::Range;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use anstyle::{AnsiColor, Style};

use super::{Render, Reporter, Summary, plural};
use crate::diagnostic::{Diagnostic, Severity};
use crate::runner::FileReport;
use crate::source::{ceil_char_boundary, floor_char_boundary};

/// Widest slice of a line shown in a frame; longer lines are cut around the span.
const FRAME_WIDTH: usize = 240;

#[derive(Clone)]
pub struct Human {
    renderer: Renderer,
    styled: bool,
}

impl Default for Human {
    /// Styled: the output stream strips colour when it should not be shown.
    fn default() -> Self {
        Human {
            renderer: Renderer::styled(),
            styled: true,
        }
    }
}

impl Human {
    /// Without any escape codes (for tests and files).
    pub fn plain() -> Self {
        Human {
            renderer: Renderer::plain(),
            styled: false,
        }
    }

    fn style(&self, style: Style) -> Style {
        if self.styled { style } else { Style::new() }
    }
}

fn level(sev: Severity) -> Level<'static> {
    match sev {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        _ => Level::INFO,
    }
}

fn sev_style(sev: Severity) -> Style {
    match sev {
        Severity::Error => AnsiColor::BrightRed.on_default().bold(),
        Severity::Warning => AnsiColor::Yellow.on_default().bold(),
        _ => AnsiColor::BrightBlue.on_default().bold(),
    }
}

impl Human {
    fn diagnostic(
        &self,
        out: &mut dyn Write,
        path: &str,
        text: &str,
        d: &Diagnostic,
    ) -> io::Result<()> {
        let bold = self.style(Style::new().bold());
        let sev = self.style(sev_style(d.severity));
        writeln!(
            out,
            "{bold}{path}:{}:{}:{bold:#} {sev}{}[{} {}]{sev:#}{bold}: {}{bold:#}",
            d.start.line,
            d.start.column,
            d.severity,
            d.code,
            d.name,
            super::visible_line(&d.message)
        )?;
        let (window, rel) = frame_window(text, &d.span);
        let (src, rel) = frame_source(&text[window], rel);
        let mut group = Group::with_level(level(d.severity)).element(
            Snippet::source(&src)
                .line_start(d.start.line)
                .fold(false)
                .annotation(AnnotationKind::Primary.span(rel)),
        );
        if let Some(s) = &d.suggestion {
            let mut msg = super::visible(&s.message).into_owned();
            match crate::fix::fix_of(d).map(|f| f.applicability) {
                Some(crate::fix::Applicability::Safe) => msg.push_str(" (fix: --fix)"),
                Some(crate::fix::Applicability::Unsafe) => {
                    msg.push_str(" (fix: --fix --unsafe-fixes)");
                }
                None => {}
            }
            group = group.element(Level::HELP.message(msg));
        }
        writeln!(out, "{}", self.renderer.render(&[group]))?;
        writeln!(out)
    }
}

/// The part of the span's first line a frame shows, and the span within it: the span cut to
/// that line, with up to half of [`FRAME_WIDTH`] either side. Found by looking only that far
/// around the span (no line index: a 10 MB line with many findings stays linear).
fn frame_window(text: &str, span: &Range<usize>) -> (Range<usize>, Range<usize>) {
    let bytes = text.as_bytes();
    // A line ends at LF, or at a CR not followed by LF (as `LineIndex` counts lines).
    let ends_line =
        |i: usize| bytes[i] == b'\n' || (bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
    let at = floor_char_boundary(text, span.start.min(text.len()));
    // Past `far` the line's end makes no difference to the window.
    let far = span
        .start
        .max(span.end)
        .saturating_add(FRAME_WIDTH)
        .min(text.len());
    let line_end = match (at..far).find(|&i| ends_line(i)) {
        Some(i) if bytes[i] == b'\n' && i > 0 && bytes[i - 1] == b'\r' => i - 1,
        Some(i) => i,
        None => far,
    };
    let span_start = span.start.min(line_end);
    // Before `near` the line's start makes no difference either.
    let near = span_start.saturating_sub(FRAME_WIDTH / 2);
    let line_start = (near..at)
        .rev()
        .find(|&i| ends_line(i))
        .map_or(near, |i| i + 1);
    let span_end = span.end.clamp(span_start, line_end);
    let win_start = floor_char_boundary(text, line_start);
    let win_end =
        ceil_char_boundary(text, (span_end + FRAME_WIDTH / 2).min(line_end)).max(win_start);
    (
        win_start..win_end,
        span_start - win_start..span_end - win_start,
    )
}

impl Render for Human {
    fn open(&self, out: &mut dyn Write, report: &FileReport) -> io::Result<()> {
        if let Some(err) = &report.error {
            let red = self.style(sev_style(Severity::Error));
            return writeln!(
                out,
                "{red}error{red:#}: {}: {}\n",
                super::visible_line(&report.path),
                super::visible_line(err)
            );
        }
        Ok(())
    }

    fn diagnostic(
        &self,
        out: &mut dyn Write,
        report: &FileReport,
        _index: usize,
        d: &Diagnostic,
    ) -> io::Result<()> {
        // A file name is text from the repository too: shown, never obeyed.
        let path = super::visible_line(&report.path);
        self.diagnostic(out, &path, report.text(), d)
    }
}

impl Reporter for Human {
    fn render(&self) -> Box<dyn Render> {
        Box::new(self.clone())
    }

    fn finish(&mut self, out: &mut dyn Write, s: &Summary) -> io::Result<()> {
        let bold = self.style(Style::new().bold());
        let mut parts = vec![plural(s.errors, "error"), plural(s.warnings, "warning")];
        if s.infos > 0 {
            parts.push(plural(s.infos, "info"));
        }
        let mut line = format!("{} in {}", parts.join(", "), plural(s.files, "file"));
        if s.unreadable > 0 {
            line.push_str(&format!(" ({} could not be read)", s.unreadable));
        }
        writeln!(out, "{bold}{line}{bold:#}")
    }
}

/// The frame's source with the characters the snippet renderer passes through raw (C1
/// controls, bidirectional overrides, line and paragraph separators) made visible, and the
/// annotated range moved to match.
fn frame_source(src: &str, rel: std::ops::Range<usize>) -> (String, std::ops::Range<usize>) {
    let raw = |c: char| matches!(c, '\u{80}'..='\u{9F}' | '\u{2028}' | '\u{2029}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
    if !src.chars().any(raw) {
        return (src.to_string(), rel);
    }
    let mut out = String::with_capacity(src.len() + 16);
    let (mut start, mut end) = (rel.start, rel.end);
    for (i, c) in src.char_indices() {
        if i == rel.start {
            start = out.len();
        }
        if i == rel.end {
            end = out.len();
        }
        if raw(c) {
            out.push_str(&format!("\\u{{{:X}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    if rel.end >= src.len() {
        end = out.len();
    }
    if rel.start >= src.len() {
        start = out.len();
    }
    (out, start..end.max(start))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::LineIndex;

    /// The window as it was found before: the span's line from a whole `LineIndex`.
    fn indexed_window(text: &str, span: &Range<usize>) -> (Range<usize>, Range<usize>) {
        let lines = LineIndex::new(text);
        let line = lines.line_range(text, lines.position(text, span.start).line - 1);
        let span_start = span.start.clamp(line.start, line.end);
        let span_end = span.end.clamp(span_start, line.end);
        let win_start = floor_char_boundary(
            text,
            span_start.saturating_sub(FRAME_WIDTH / 2).max(line.start),
        );
        let win_end =
            ceil_char_boundary(text, (span_end + FRAME_WIDTH / 2).min(line.end)).max(win_start);
        (
            win_start..win_end,
            span_start - win_start..span_end - win_start,
        )
    }

    #[test]
    fn the_window_found_near_the_span_is_the_one_a_line_index_gives() {
        // Line endings of every kind, multi-byte characters, lines shorter and longer than
        // the window, spans past the end and inside characters and line endings.
        let pieces = ["a", "é", "😀", "\n", "\r", "\r\n", "\n\n", &"x".repeat(130)];
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let mut cut = 0;
        for _ in 0..3000 {
            let text: String = (0..next(12)).map(|_| pieces[next(pieces.len())]).collect();
            for _ in 0..20 {
                let start = next(text.len() + 3);
                let end = start + next(300);
                let found = frame_window(&text, &(start..end));
                assert_eq!(
                    found,
                    indexed_window(&text, &(start..end)),
                    "{text:?} {start}..{end}"
                );
                cut += usize::from(found.0.end - found.0.start < text.len());
            }
        }
        // The windows cut long lines too, not only whole short ones.
        assert!(cut > 10_000, "{cut}");
    }

    #[test]
    fn a_window_stops_at_the_line_and_near_the_span() {
        let long = format!("{}target{}", "a".repeat(500), "b".repeat(500));
        let text = format!("first\r\n{long}\rlast");
        let at = text.find("target").unwrap_or(0);
        let (window, rel) = frame_window(&text, &(at..at + 6));
        assert_eq!(&text[window.clone()][rel], "target");
        assert_eq!(window, at - FRAME_WIDTH / 2..at + 6 + FRAME_WIDTH / 2);
        // A short line: the whole line, without its CRLF.
        let (window, _) = frame_window(&text, &(2..3));
        assert_eq!(&text[window], "first");
        // A span that runs past its line is cut at the lone CR.
        let end = text.len();
        let (window, rel) = frame_window(&text, &(at..end));
        assert_eq!(window.end, text.rfind('\r').unwrap_or(0));
        assert_eq!(rel.end, window.end - window.start);
    }
}
