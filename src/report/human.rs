//! The default output, in the style of rustc and ruff: a header line per finding, a code frame
//! of the source line with the span underlined (annotate-snippets) and the suggestion.

use std::io::{self, Write};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use anstyle::{AnsiColor, Style};

use super::{Reporter, Summary, plural};
use crate::diagnostic::{Diagnostic, Severity};
use crate::runner::FileReport;
use crate::source::{LineIndex, ceil_char_boundary, floor_char_boundary};

/// Widest slice of a line shown in a frame; longer lines are cut around the span.
const FRAME_WIDTH: usize = 240;

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
        lines: &LineIndex,
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
        // The frame shows the first line of the span.
        let line = lines.line_range(text, d.start.line.saturating_sub(1));
        let (line_start, line_end) = (line.start, line.end);
        let span_start = d.span.start.clamp(line_start, line_end);
        let span_end = d.span.end.clamp(span_start, line_end);
        // Cut very long lines to a window around the span.
        let win_start = floor_char_boundary(
            text,
            span_start.saturating_sub(FRAME_WIDTH / 2).max(line_start),
        );
        let win_end =
            ceil_char_boundary(text, (span_end + FRAME_WIDTH / 2).min(line_end)).max(win_start);
        let (src, rel) = frame_source(
            &text[win_start..win_end],
            span_start - win_start..span_end - win_start,
        );
        let mut group = Group::with_level(level(d.severity)).element(
            Snippet::source(&src)
                .line_start(d.start.line)
                .fold(false)
                .annotation(AnnotationKind::Primary.span(rel)),
        );
        if let Some(s) = &d.suggestion {
            let msg = super::visible(&s.message).into_owned();
            group = group.element(Level::HELP.message(msg));
        }
        writeln!(out, "{}", self.renderer.render(&[group]))?;
        writeln!(out)
    }
}

impl Reporter for Human {
    fn file(&mut self, out: &mut dyn Write, report: &FileReport) -> io::Result<()> {
        if let Some(err) = &report.error {
            let red = self.style(sev_style(Severity::Error));
            return writeln!(
                out,
                "{red}error{red:#}: {}: {}\n",
                super::visible_line(&report.path),
                super::visible_line(err)
            );
        }
        if report.diagnostics.is_empty() {
            return Ok(());
        }
        let text = report.text();
        let lines = LineIndex::new(text);
        // A file name is text from the repository too: shown, never obeyed.
        let path = super::visible_line(&report.path);
        for d in &report.diagnostics {
            self.diagnostic(out, &path, text, &lines, d)?;
        }
        Ok(())
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
