//! The HTML report of `pmlint stats --html`: one self-contained page (inline CSS, inline SVG
//! drawn here, no script, nothing fetched), light and dark via `prefers-color-scheme`.
//!
//! Every string that comes from a document goes through [`esc`] (HTML text and attributes)
//! or [`href`] (a relative URL), so a document cannot inject markup. Everything is one pass
//! over the incidents or the months; the chart draws at most [`MAX_BARS`] bars and says so
//! when it has to put several months in one bar.

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use chrono::{DateTime, Datelike, FixedOffset};

use super::{By, Group, Incident, Overdue, Spread, Stats, Unusable};
use crate::report::visible_line;

/// Writing to a `String` cannot fail.
macro_rules! w {
    ($out:expr, $($arg:tt)*) => {{
        let _ = write!($out, $($arg)*);
    }};
}

/// Width of both charts' viewBox; the page scales them to its width.
const WIDTH: f64 = 960.0;
/// More months than this are drawn a year (or several) per bar.
pub const MAX_BARS: usize = 1200;
/// Severity colours (CSS variables `--sev0`…); the same index in every chart and table.
const PALETTE: usize = 8;

/// The whole page.
pub fn render(stats: &Stats) -> String {
    render_with_base(stats, None)
}

/// As [`render`], for a page written away from the directory the run's paths are relative
/// to: `base` (`../`, a relative URL path ending in `/`) makes the links to files resolve
/// from there.
pub fn render_with_base(stats: &Stats, base: Option<&str>) -> String {
    let mut out = String::with_capacity(16_384 + stats.incidents.len() * 1_200);
    let passing = stats.incidents.iter().filter(|i| i.passes_check).count();
    let severities = Severities::of(&stats.incidents);
    w!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"color-scheme\" content=\"light dark\">\n{base}\
         <title>Postmortem statistics ({today})</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n\
         <header>\n<h1>Postmortem statistics</h1>\n<p class=\"meta\">As of <time datetime=\"{today}\">{today}</time>: \
         <strong>{n}</strong> {incidents}, <strong>{u}</strong> unusable {documents}, \
         <strong>{passing}</strong> passing <code>pmlint check</code>.</p>\n</header>\n",
        today = stats.today,
        base = base.map_or(String::new(), |b| format!("<base href=\"{}\">\n", href(b))),
        n = stats.incidents.len(),
        incidents = plural(stats.incidents.len(), "incident", "incidents"),
        u = stats.unusable.len(),
        documents = plural(stats.unusable.len(), "document", "documents"),
    );
    if stats.incidents.is_empty() {
        out.push_str("<p class=\"empty\">No incidents: nothing to chart.</p>\n");
    } else {
        out.push_str("<section>\n<h2>Incidents per month</h2>\n");
        monthly_chart(&mut out, &stats.incidents);
        out.push_str("</section>\n<section>\n<h2>Time to resolve by severity</h2>\n");
        resolve_chart(&mut out, &stats.incidents, &severities);
        out.push_str("</section>\n");
    }
    groups_table(&mut out, stats);
    incidents_table(&mut out, &stats.incidents, &severities);
    overdue_list(&mut out, &stats.total.oldest_overdue);
    unusable_list(&mut out, &stats.unusable);
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

const CSS: &str = r#"
:root { color-scheme: light dark;
  --bg: #ffffff; --fg: #1f2328; --muted: #59636e; --grid: #d8dee4; --axis: #8c959f;
  --bar: #3a6fd8; --panel: #f6f8fa; --link: #0a58b8; --ok: #1a7f37; --bad: #c62828;
  --sev0: #d1242f; --sev1: #e16f24; --sev2: #a97b00; --sev3: #2a9a48; --sev4: #0969da;
  --sev5: #8250df; --sev6: #bf3989; --sev7: #1b7c83; --sevnone: #8c959f; }
@media (prefers-color-scheme: dark) { :root {
  --bg: #0f1419; --fg: #e6edf3; --muted: #9aa4ae; --grid: #2d333b; --axis: #6e7681;
  --bar: #6ca4ff; --panel: #161b22; --link: #79b8ff; --ok: #56d364; --bad: #ff7b72;
  --sev0: #ff7b72; --sev1: #ffa657; --sev2: #e3b341; --sev3: #56d364; --sev4: #79c0ff;
  --sev5: #d2a8ff; --sev6: #ff9bce; --sev7: #76e3ea; --sevnone: #8b949e; } }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
main { max-width: 1120px; margin: 0 auto; padding: 24px 20px 48px; }
h1 { margin: 0 0 4px; font-size: 26px; }
h2 { margin: 32px 0 8px; font-size: 18px; }
.meta, .note, .path, .empty { color: var(--muted); }
.note { margin: 4px 0 0; font-size: 13px; }
a { color: var(--link); }
svg.chart { display: block; width: 100%; max-width: 100%; height: auto; color: var(--fg);
  background: var(--panel); border-radius: 6px; }
svg.chart text { fill: currentColor; font-size: 11px; }
svg.chart text.muted { fill: var(--muted); font-size: 10px; }
svg.chart text.value { font-size: 10px; text-anchor: middle; }
svg.chart .grid { stroke: var(--grid); stroke-width: 1; }
svg.chart .axis { stroke: var(--axis); stroke-width: 1; }
rect.bar { fill: var(--bar); }
rect.bar:hover { opacity: .8; }
.sev0 { --c: var(--sev0); } .sev1 { --c: var(--sev1); } .sev2 { --c: var(--sev2); }
.sev3 { --c: var(--sev3); } .sev4 { --c: var(--sev4); } .sev5 { --c: var(--sev5); }
.sev6 { --c: var(--sev6); } .sev7 { --c: var(--sev7); } .sevnone { --c: var(--sevnone); }
circle.dot { fill: var(--c); fill-opacity: .85; stroke: var(--panel); stroke-width: 1; }
line.median { stroke: var(--c); stroke-width: 3; stroke-linecap: round; }
.swatch { display: inline-block; width: .7em; height: .7em; border-radius: 50%;
  background: var(--c); margin-right: .35em; vertical-align: baseline; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; font-size: 13px; }
th, td { padding: 4px 8px; border-bottom: 1px solid var(--grid); text-align: left; vertical-align: top; }
th { background: var(--panel); font-weight: 600; }
td.num, th.num { text-align: right; white-space: nowrap; }
table.groups { font-size: 12px; }
table.groups th, table.groups td { padding: 3px 5px; }
table.groups th[colspan] { text-align: center; }
table.groups .first { border-left: 1px solid var(--grid); }
tfoot td { font-weight: 600; border-top: 2px solid var(--axis); }
td .path { display: block; font-size: 12px; word-break: break-all; }
.ok { color: var(--ok); } .bad { color: var(--bad); }
"#;

/// HTML-escaped (text and attribute values alike), control characters and line breaks shown
/// as visible symbols.
pub fn esc(text: &str) -> String {
    let text = visible_line(text);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A path as a relative URL: every byte but unreserved ones and `/` percent-encoded, so `#`,
/// `?`, `%`, spaces, quotes and `:` (no scheme) stay part of the path. A leading `//` would
/// name a host, so its second slash is encoded too. The result needs no further escaping.
pub fn href(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            w!(out, "%{b:02X}");
        }
    }
    if out.starts_with("//") {
        out.replace_range(1..2, "%2F");
    }
    out
}

/// Minutes as a person reads them: `45 min`, `2 h 05 min`, `3 d 4 h`.
pub fn minutes(m: i64) -> String {
    let sign = if m < 0 { "−" } else { "" };
    let m = m.unsigned_abs();
    if m < 60 {
        format!("{sign}{m} min")
    } else if m < 1440 {
        format!("{sign}{} h {:02} min", m / 60, m % 60)
    } else {
        format!("{sign}{} d {} h", m / 1440, m / 60 % 24)
    }
}

/// A median or percentile (fractional minutes), or `–`.
fn spread_value(v: Option<f64>) -> String {
    match v {
        Some(v) if v.is_finite() => minutes(v.round() as i64),
        _ => "–".to_string(),
    }
}

fn opt_minutes(v: Option<i64>) -> String {
    v.map_or_else(|| "–".to_string(), minutes)
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// At most `max` characters, with `…` when cut (on a char boundary).
fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut t: String = text.chars().take(max.saturating_sub(1)).collect();
    t.push('…');
    t
}

/// The severities seen, in natural order (`SEV-2` before `SEV-10`), `(none)` last, each with
/// its colour class.
struct Severities {
    order: Vec<Option<String>>,
    index: HashMap<Option<String>, usize>,
}

impl Severities {
    fn of(incidents: &[Incident]) -> Self {
        let mut order: Vec<Option<String>> = Vec::new();
        let mut seen: HashSet<&Option<String>> = HashSet::new();
        for i in incidents {
            if seen.insert(&i.severity) {
                order.push(i.severity.clone());
            }
        }
        order.sort_by(|a, b| match (a, b) {
            (None, None) => Ordering::Equal,
            (None, Some(_)) => Ordering::Greater,
            (Some(_), None) => Ordering::Less,
            (Some(a), Some(b)) => natural_cmp(a, b),
        });
        let index = order
            .iter()
            .enumerate()
            .map(|(n, s)| (s.clone(), n))
            .collect();
        Severities { order, index }
    }

    fn class(&self, severity: &Option<String>) -> String {
        match (severity, self.index.get(severity)) {
            (Some(_), Some(n)) => format!("sev{}", n % PALETTE),
            _ => "sevnone".to_string(),
        }
    }
}

fn severity_name(s: &Option<String>) -> &str {
    s.as_deref().unwrap_or("(none)")
}

/// Case-insensitive, runs of digits compared as numbers.
fn natural_cmp(a: &str, b: &str) -> Ordering {
    fn chunks(s: &str) -> Vec<(bool, String)> {
        let mut out: Vec<(bool, String)> = Vec::new();
        for c in s.chars() {
            let digit = c.is_ascii_digit();
            match out.last_mut() {
                Some((d, text)) if *d == digit => text.push(c),
                _ => out.push((digit, c.to_string())),
            }
        }
        out
    }
    let (ca, cb) = (chunks(a), chunks(b));
    for (x, y) in ca.iter().zip(cb.iter()) {
        let ord = match (x, y) {
            ((true, x), (true, y)) => {
                let (x, y) = (x.trim_start_matches('0'), y.trim_start_matches('0'));
                x.len().cmp(&y.len()).then_with(|| x.cmp(y))
            }
            ((_, x), (_, y)) => x.to_lowercase().cmp(&y.to_lowercase()),
        };
        if ord != Ordering::Equal {
            return ord;
        }
    }
    ca.len().cmp(&cb.len()).then_with(|| a.cmp(b))
}

/// Months counted from year 0: `year * 12 + month0`, in the incident's own offset.
fn month_index(d: &DateTime<FixedOffset>) -> i64 {
    let n = d.naive_local();
    i64::from(n.year()) * 12 + i64::from(n.month0())
}

/// The bars of the monthly chart: `counts[i]` incidents from month `first + i * months`.
#[derive(Debug, PartialEq)]
struct Bins {
    first: i64,
    /// Months per bar: 1, or a whole number of years when the span has more than
    /// [`MAX_BARS`] months.
    months: i64,
    counts: Vec<usize>,
    span_months: i64,
}

fn bins(incidents: &[Incident]) -> Option<Bins> {
    let idx: Vec<i64> = incidents
        .iter()
        .filter_map(|i| i.start.as_ref().map(month_index))
        .collect();
    let (lo, hi) = (*idx.iter().min()?, *idx.iter().max()?);
    let span = hi - lo + 1;
    let (first, months) = if span <= MAX_BARS as i64 {
        (lo, 1)
    } else {
        let (y0, y1) = (lo.div_euclid(12), hi.div_euclid(12));
        let years = y1 - y0 + 1;
        let per = (years + MAX_BARS as i64 - 1) / MAX_BARS as i64;
        (y0 * 12, per * 12)
    };
    let n = ((hi - first) / months + 1) as usize;
    let mut counts = vec![0usize; n];
    for m in idx {
        let b = ((m - first) / months) as usize;
        if let Some(c) = counts.get_mut(b) {
            *c += 1;
        }
    }
    Some(Bins {
        first,
        months,
        counts,
        span_months: span,
    })
}

fn bin_label(first: i64, months: i64, i: usize) -> String {
    let s = first + months * i as i64;
    let (y, m) = (s.div_euclid(12), s.rem_euclid(12) + 1);
    match months {
        1 => format!("{y}-{m:02}"),
        12 => format!("{y}"),
        _ => format!("{y}–{}", y + months / 12 - 1),
    }
}

/// A tick step of 1, 2 or 5 times a power of ten, at least `raw`.
fn nice_step(raw: f64) -> f64 {
    let mut step = 1.0;
    loop {
        for f in [1.0, 2.0, 5.0] {
            if step * f >= raw {
                return step * f;
            }
        }
        step *= 10.0;
    }
}

fn monthly_chart(out: &mut String, incidents: &[Incident]) {
    let undated = incidents.iter().filter(|i| i.start.is_none()).count();
    let Some(b) = bins(incidents) else {
        w!(
            out,
            "<p class=\"empty\">No incident has a start: no monthly chart ({undated} without a start).</p>\n"
        );
        return;
    };
    let n = b.counts.len();
    let max = b.counts.iter().copied().max().unwrap_or(0).max(1);
    let step = nice_step(max as f64 / 4.0);
    let top_value = (max as f64 / step).ceil() * step;
    let chars = |label: String| label.chars().count().max(4) as f64;
    let label_w = 6.6
        * chars(bin_label(b.first, b.months, 0)).max(chars(bin_label(b.first, b.months, n - 1)));
    let (left, right, top, plot_h) = (48.0, 16.0, 18.0, 220.0);
    let plot_w = WIDTH - left - right;
    let slot = plot_w / n as f64;
    // Horizontal labels when they fit side by side, else vertical ones, every `every`-th bar
    // so that neighbours stay 16 units apart (an 11-unit font's line box).
    let horizontal = slot >= label_w + 8.0;
    let every = if horizontal {
        1
    } else {
        label_every(slot, b.months)
    };
    // Labelling whole years only: the year alone says it.
    let year_labels = b.months == 1 && every % 12 == 0;
    let year_w = 6.6
        * chars(b.first.div_euclid(12).to_string())
            .max(chars((b.first + n as i64 - 1).div_euclid(12).to_string()));
    let bottom = match (horizontal, year_labels) {
        (true, _) => 28.0,
        (false, true) => year_w + 16.0,
        (false, false) => label_w + 16.0,
    };
    let height = top + plot_h + bottom;
    w!(
        out,
        "<svg class=\"chart monthly\" viewBox=\"0 0 {WIDTH} {height:.0}\" role=\"img\" \
         aria-label=\"Incidents per month: {n} bars\" xmlns=\"http://www.w3.org/2000/svg\">\n"
    );
    let mut v = 0.0;
    while v <= top_value + 1e-9 {
        let y = top + plot_h * (1.0 - v / top_value);
        w!(
            out,
            "<line class=\"grid\" x1=\"{left}\" x2=\"{:.1}\" y1=\"{y:.1}\" y2=\"{y:.1}\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{v}</text>\n",
            left + plot_w,
            left - 6.0,
            y + 4.0
        );
        v += step;
    }
    let gap = (slot * 0.15).min(3.0);
    for (i, &c) in b.counts.iter().enumerate() {
        let x = left + slot * i as f64;
        let h = plot_h * c as f64 / top_value;
        let y = top + plot_h - h;
        let label = bin_label(b.first, b.months, i);
        w!(
            out,
            "<rect class=\"bar\" x=\"{:.2}\" y=\"{y:.2}\" width=\"{:.2}\" height=\"{h:.2}\">\
             <title>{label}: {c} {}</title></rect>",
            x + gap,
            (slot - 2.0 * gap).max(0.1),
            plot(c)
        );
        let digits = c.to_string().len() as f64;
        if c > 0 && slot >= digits * 6.5 + 4.0 {
            w!(
                out,
                "<text class=\"value\" x=\"{:.2}\" y=\"{:.2}\">{c}</text>",
                x + slot / 2.0,
                y - 4.0
            );
        }
        let s = b.first + b.months * i as i64;
        let labelled = if b.months == 1 {
            s.rem_euclid(every as i64) == 0
        } else {
            i % every == 0
        };
        if labelled {
            let label = if year_labels {
                s.div_euclid(12).to_string()
            } else {
                label
            };
            let cx = x + slot / 2.0;
            let ly = top + plot_h + 8.0;
            if horizontal {
                w!(
                    out,
                    "<text class=\"month\" x=\"{cx:.2}\" y=\"{:.2}\" text-anchor=\"middle\">{label}</text>",
                    ly + 10.0
                );
            } else {
                w!(
                    out,
                    "<text class=\"month\" x=\"{:.2}\" y=\"{ly:.2}\" text-anchor=\"end\" \
                     transform=\"rotate(-90 {:.2} {ly:.2})\">{label}</text>",
                    cx + 4.0,
                    cx + 4.0
                );
            }
        }
        out.push('\n');
    }
    w!(
        out,
        "<line class=\"axis\" x1=\"{left}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\"/>\n</svg>\n",
        left + plot_w,
        top + plot_h,
        top + plot_h
    );
    if b.months > 1 {
        w!(
            out,
            "<p class=\"note\">The incidents span {} months, more than {MAX_BARS} bars: one bar per {} {}.</p>\n",
            b.span_months,
            b.months / 12,
            plural((b.months / 12) as usize, "year", "years")
        );
    }
    if undated > 0 {
        w!(
            out,
            "<p class=\"note\">{undated} {} without a start {} not in this chart.</p>\n",
            plural(undated, "incident", "incidents"),
            plural(undated, "is", "are")
        );
    }
}

fn plot(c: usize) -> &'static str {
    plural(c, "incident", "incidents")
}

/// Label every how many bars so that labels stay 16 units apart; for months, a step that
/// divides a year or a whole number of years, so labels fall on the same months each year.
fn label_every(slot: f64, months: i64) -> usize {
    let steps: &[usize] = if months == 1 {
        &[1, 2, 3, 4, 6, 12, 24, 60, 120, 240, 600, 1200]
    } else {
        &[1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]
    };
    steps
        .iter()
        .copied()
        .find(|&s| slot * s as f64 >= 16.0)
        .unwrap_or(MAX_BARS)
}

/// Where a number of minutes sits on the resolve axis: log10(1 + minutes), so zero has a place
/// and minutes, hours and weeks all stay readable.
fn log_pos(m: f64) -> f64 {
    (1.0 + m.max(0.0)).log10()
}

/// Candidate ticks of the resolve axis, in minutes.
const RESOLVE_TICKS: &[i64] = &[
    0, 1, 5, 15, 30, 60, 120, 240, 480, 1440, 2880, 10080, 20160, 43200, 129600, 525600,
];

fn tick_label(m: i64) -> String {
    if m == 0 {
        "0".to_string()
    } else if m < 60 {
        format!("{m} min")
    } else if m < 1440 {
        format!("{} h", m / 60)
    } else if m % 525600 == 0 {
        format!("{} y", m / 525600)
    } else {
        format!("{} d", m / 1440)
    }
}

/// Even spread in [-0.5, 0.5) for the `i`-th dot of a row (golden-ratio sequence): the same
/// page every run, and dots of one row do not pile on one line.
fn jitter(i: usize) -> f64 {
    let x = (i as f64 * 0.618_033_988_749_895).fract();
    x - 0.5
}

struct Row<'a> {
    severity: &'a Option<String>,
    /// (minutes, incident)
    values: Vec<(i64, &'a Incident)>,
    missing: usize,
    negative: usize,
}

fn resolve_chart(out: &mut String, incidents: &[Incident], sev: &Severities) {
    let mut rows: Vec<Row> = sev
        .order
        .iter()
        .map(|s| Row {
            severity: s,
            values: Vec::new(),
            missing: 0,
            negative: 0,
        })
        .collect();
    for i in incidents {
        let Some(row) = sev.index.get(&i.severity).and_then(|&n| rows.get_mut(n)) else {
            continue;
        };
        match i.time_to_resolve_minutes {
            None => row.missing += 1,
            Some(m) if m < 0 => row.negative += 1,
            Some(m) => row.values.push((m, i)),
        }
    }
    let max = rows
        .iter()
        .flat_map(|r| r.values.iter().map(|v| v.0))
        .max()
        .unwrap_or(60)
        .max(60);
    // The axis ends on a tick: the first candidate at or past the largest value, or, past a
    // year, a whole number of years.
    let end = RESOLVE_TICKS
        .iter()
        .copied()
        .find(|&t| t >= max)
        .unwrap_or_else(|| {
            max.div_euclid(525600)
                .saturating_add(1)
                .saturating_mul(525600)
        });
    let (left, right, top, row_h) = (236.0, 24.0, 12.0, 46.0);
    let plot_w = WIDTH - left - right;
    let scale = plot_w / log_pos(end as f64);
    let x_of = |m: i64| left + log_pos(m as f64) * scale;
    let plot_h = row_h * rows.len() as f64;
    let height = top + plot_h + 36.0;
    w!(
        out,
        "<svg class=\"chart resolve\" viewBox=\"0 0 {WIDTH} {height:.0}\" role=\"img\" \
         aria-label=\"Time to resolve by severity\" xmlns=\"http://www.w3.org/2000/svg\">\n"
    );
    let mut last_x = f64::NEG_INFINITY;
    let mut ticks: Vec<i64> = RESOLVE_TICKS
        .iter()
        .copied()
        .filter(|&t| t <= end)
        .collect();
    if !ticks.contains(&end) {
        ticks.push(end);
    }
    for t in ticks {
        let x = x_of(t);
        if x - last_x < 52.0 && t != end {
            continue;
        }
        last_x = x;
        w!(
            out,
            "<line class=\"grid\" x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{top}\" y2=\"{:.1}\"/>\
             <text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>\n",
            top + plot_h,
            top + plot_h + 16.0,
            tick_label(t)
        );
    }
    w!(
        out,
        "<text class=\"muted\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">time to resolve (log scale)</text>\n",
        left + plot_w,
        top + plot_h + 32.0
    );
    for (r, row) in rows.iter_mut().enumerate() {
        let class = sev.class(row.severity);
        let y0 = top + row_h * r as f64;
        let cy = y0 + row_h / 2.0;
        let name = severity_name(row.severity);
        let mut note = format!(
            "n = {}, {} without a time to resolve",
            row.values.len(),
            row.missing
        );
        if row.negative > 0 {
            w!(note, ", {} negative (not drawn)", row.negative);
        }
        w!(
            out,
            "<g class=\"row {class}\"><line class=\"axis\" x1=\"{left}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\"/>\
             <text class=\"severity\" x=\"12\" y=\"{:.1}\"><title>{}</title>{}</text>\
             <text class=\"muted\" x=\"12\" y=\"{:.1}\">{note}</text>\n",
            left + plot_w,
            y0 + row_h,
            y0 + row_h,
            cy - 3.0,
            esc(name),
            esc(&truncate(name, 30)),
            cy + 11.0,
        );
        for (k, (m, inc)) in row.values.iter().enumerate() {
            w!(
                out,
                "<circle class=\"dot\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"4\"><title>{}: {}</title></circle>",
                x_of(*m),
                cy + jitter(k) * (row_h - 14.0),
                esc(inc.title.as_deref().unwrap_or(&inc.path)),
                minutes(*m)
            );
        }
        row.values.sort_unstable_by_key(|v| v.0);
        if let Some(&(median, _)) = row.values.get(row.values.len() / 2) {
            let x = x_of(median);
            w!(
                out,
                "<line class=\"median\" x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{:.1}\" y2=\"{:.1}\">\
                 <title>median {}</title></line>",
                y0 + 4.0,
                y0 + row_h - 4.0,
                minutes(median)
            );
        }
        out.push_str("</g>\n");
    }
    out.push_str("</svg>\n<p class=\"note\">One dot per incident; the bar marks the median.</p>\n");
}

fn group_heading(by: By) -> &'static str {
    match by {
        By::Month => "Month",
        By::Quarter => "Quarter",
        By::Year => "Year",
        By::Severity => "Severity",
        By::Service => "Service",
    }
}

fn spread_cells(out: &mut String, s: &Spread) {
    w!(
        out,
        "<td class=\"num first\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>",
        spread_value(s.median),
        spread_value(s.p90),
        s.missing
    );
}

fn group_row(out: &mut String, g: &Group, cell: &str) {
    w!(
        out,
        "<tr><{cell}>{}</{cell}><td class=\"num\">{}</td>",
        esc(&g.key),
        g.incidents
    );
    for s in [
        &g.duration,
        &g.time_to_detect,
        &g.time_to_mitigate,
        &g.time_to_resolve,
    ] {
        spread_cells(out, s);
    }
    w!(
        out,
        "<td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
        g.actions_open,
        g.passing
    );
}

fn groups_table(out: &mut String, stats: &Stats) {
    w!(
        out,
        "<section>\n<h2>By {}</h2>\n<div class=\"scroll\"><table class=\"groups\">\n<thead>\
         <tr><th rowspan=\"2\">{}</th><th rowspan=\"2\" class=\"num\">Incidents</th>\
         <th colspan=\"3\" class=\"first\">Duration</th><th colspan=\"3\" class=\"first\">Time to detect</th>\
         <th colspan=\"3\" class=\"first\">Time to mitigate</th><th colspan=\"3\" class=\"first\">Time to resolve</th>\
         <th rowspan=\"2\" class=\"num\">Open actions</th><th rowspan=\"2\" class=\"num\">Passing</th></tr>\n<tr>",
        group_heading(stats.by).to_lowercase(),
        group_heading(stats.by)
    );
    for _ in 0..4 {
        out.push_str(
            "<th class=\"num first\">median</th><th class=\"num\">p90</th><th class=\"num\">lacking</th>",
        );
    }
    out.push_str("</tr>\n</thead>\n<tbody>\n");
    for g in &stats.groups {
        group_row(out, g, "td");
    }
    out.push_str("</tbody>\n<tfoot>\n");
    group_row(out, &stats.total, "td");
    out.push_str(
        "</tfoot>\n</table></div>\n<p class=\"note\">Durations in minutes, hours and days; \
         “lacking”: incidents without that milestone (not counted as zero).</p>\n</section>\n",
    );
}

fn file_link(path: &str, text: &str) -> String {
    format!("<a href=\"{}\">{}</a>", href(path), esc(text))
}

fn incidents_table(out: &mut String, incidents: &[Incident], sev: &Severities) {
    if incidents.is_empty() {
        return;
    }
    out.push_str(
        "<section>\n<h2>Incidents</h2>\n<div class=\"scroll\"><table class=\"incidents\">\n<thead><tr>\
         <th>Incident</th><th>Start</th><th>Severity</th><th class=\"num\">Duration</th>\
         <th class=\"num\">Detect</th><th class=\"num\">Mitigate</th><th class=\"num\">Resolve</th>\
         <th class=\"num\">Actions done</th><th>Check</th></tr></thead>\n<tbody>\n",
    );
    for i in incidents {
        let start = i.start.map_or_else(
            || "–".to_string(),
            |s| s.format("%Y-%m-%d %H:%M %:z").to_string(),
        );
        let title = i.title.as_deref().unwrap_or(&i.path);
        let mut check = if i.passes_check {
            "<span class=\"ok\">passes</span>".to_string()
        } else {
            format!(
                "<span class=\"bad\">fails</span>: {} {}",
                i.errors,
                plural(i.errors, "error", "errors")
            )
        };
        if i.warnings > 0 {
            w!(
                check,
                ", {} {}",
                i.warnings,
                plural(i.warnings, "warning", "warnings")
            );
        }
        w!(
            out,
            "<tr><td>{}<span class=\"path\">{}</span></td><td class=\"num\">{start}</td>\
             <td><span class=\"swatch {}\"></span>{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{} / {}</td><td>{check}</td></tr>\n",
            file_link(&i.path, title),
            esc(&i.path),
            sev.class(&i.severity),
            esc(severity_name(&i.severity)),
            opt_minutes(i.duration_minutes),
            opt_minutes(i.time_to_detect_minutes),
            opt_minutes(i.time_to_mitigate_minutes),
            opt_minutes(i.time_to_resolve_minutes),
            i.actions_done,
            i.actions,
        );
    }
    out.push_str("</tbody>\n</table></div>\n</section>\n");
}

fn overdue_list(out: &mut String, overdue: &[Overdue]) {
    out.push_str("<section>\n<h2>Oldest overdue action items</h2>\n");
    if overdue.is_empty() {
        out.push_str(
            "<p class=\"empty\">No open action item is past its due date.</p>\n</section>\n",
        );
        return;
    }
    out.push_str(
        "<div class=\"scroll\"><table class=\"overdue\">\n<thead><tr><th>Due</th>\
         <th class=\"num\">Days overdue</th><th>Action item</th><th>File</th></tr></thead>\n<tbody>\n",
    );
    for o in overdue {
        w!(
            out,
            "<tr><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td></tr>\n",
            o.due,
            o.days_overdue,
            esc(&o.text),
            file_link(&o.path, &o.path)
        );
    }
    out.push_str("</tbody>\n</table></div>\n</section>\n");
}

fn unusable_list(out: &mut String, unusable: &[Unusable]) {
    out.push_str("<section>\n<h2>Documents left out</h2>\n");
    if unusable.is_empty() {
        out.push_str("<p class=\"empty\">None: every document was used.</p>\n</section>\n");
        return;
    }
    out.push_str(
        "<div class=\"scroll\"><table class=\"unusable\">\n<thead><tr><th>File</th><th>Why</th></tr></thead>\n<tbody>\n",
    );
    for u in unusable {
        w!(
            out,
            "<tr><td>{}</td><td>{}</td></tr>\n",
            file_link(&u.path, &u.path),
            esc(&u.why)
        );
    }
    out.push_str("</tbody>\n</table></div>\n</section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, TimeZone};

    fn spread() -> Spread {
        Spread::default()
    }

    fn group(key: &str, incidents: usize) -> Group {
        Group {
            key: key.to_string(),
            incidents,
            duration: spread(),
            time_to_detect: spread(),
            time_to_mitigate: spread(),
            time_to_resolve: spread(),
            actions: 0,
            actions_open: 0,
            oldest_overdue: Vec::new(),
            passing: 0,
        }
    }

    fn incident(
        path: &str,
        start: Option<(i32, u32)>,
        sev: Option<&str>,
        ttr: Option<i64>,
    ) -> Incident {
        let tz = FixedOffset::east_opt(0).unwrap();
        Incident {
            path: path.to_string(),
            title: Some(format!("Title of {path}")),
            start: start.map(|(y, m)| tz.with_ymd_and_hms(y, m, 3, 10, 0, 0).unwrap()),
            end: None,
            duration_minutes: ttr,
            time_to_detect_minutes: None,
            time_to_mitigate_minutes: None,
            time_to_resolve_minutes: ttr,
            severity: sev.map(str::to_string),
            services: Vec::new(),
            actions: 2,
            actions_done: 1,
            overdue: Vec::new(),
            passes_check: true,
            errors: 0,
            warnings: 0,
        }
    }

    fn stats(incidents: Vec<Incident>) -> Stats {
        let n = incidents.len();
        Stats {
            today: NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
            by: By::Month,
            incidents,
            groups: vec![group("2024-01", n)],
            total: group("total", n),
            unusable: Vec::new(),
        }
    }

    /// Incidents on the first month of `months` consecutive months, skipping every third.
    fn over_months(months: u32) -> Vec<Incident> {
        (0..months)
            .filter(|m| m % 3 != 1 || *m == months - 1)
            .map(|m| {
                let (y, mo) = (2000 + (m / 12) as i32, m % 12 + 1);
                incident(
                    &format!("pm/{m}.md"),
                    Some((y, mo)),
                    Some("SEV-2"),
                    Some(i64::from(m) * 7),
                )
            })
            .collect()
    }

    fn count(html: &str, needle: &str) -> usize {
        html.matches(needle).count()
    }

    /// x of every month label, in order.
    fn label_xs(html: &str) -> Vec<f64> {
        html.split("<text class=\"month\" x=\"")
            .skip(1)
            .map(|s| s.split('"').next().unwrap().parse().unwrap())
            .collect()
    }

    #[test]
    fn one_bar_per_month_including_empty_months() {
        let html = render(&stats(over_months(14)));
        assert_eq!(count(&html, "<rect class=\"bar\""), 14);
        // Months without incidents still have a (zero-height) bar and a label.
        assert!(html.contains("<title>2000-02: 0 incidents</title>"));
        assert!(html.contains(">2000-02</text>"));
        assert_eq!(count(&html, "<text class=\"month\""), 14);
        assert!(!html.contains("without a start"));
    }

    #[test]
    fn undated_incidents_are_counted_under_the_chart() {
        let mut i = over_months(3);
        i.push(incident("undated.md", None, None, None));
        i.push(incident("undated2.md", None, None, None));
        let html = render(&stats(i));
        assert_eq!(count(&html, "<rect class=\"bar\""), 3);
        assert!(html.contains("2 incidents without a start are not in this chart."));
    }

    #[test]
    fn labels_are_thinned_so_they_never_overlap() {
        for months in [12, 60, 600] {
            let html = render(&stats(over_months(months)));
            assert_eq!(count(&html, "<rect class=\"bar\""), months as usize);
            let xs = label_xs(&html);
            assert!(xs.len() >= 6, "{months} months: {} labels", xs.len());
            let min_gap = xs.windows(2).map(|w| w[1] - w[0]).fold(f64::MAX, f64::min);
            // Horizontal labels (12 months) need a label's width, vertical ones a line's height.
            let need = if months == 12 { 50.0 } else { 16.0 };
            assert!(min_gap >= need, "{months} months: labels {min_gap} apart");
        }
        // 12 months: every month labelled; 600: thinned to whole years.
        assert_eq!(label_xs(&render(&stats(over_months(12)))).len(), 12);
        let html = render(&stats(over_months(600)));
        assert!(html.contains("<title>2001-01: 1 incident</title>"));
        assert!(html.contains(">2001</text>") && !html.contains(">2001-01</text>"));
    }

    #[test]
    fn a_span_past_the_bar_limit_is_drawn_per_year_and_says_so() {
        let mut i = over_months(2);
        i.push(incident("far.md", Some((2400, 6)), None, None));
        let html = render(&stats(i));
        assert_eq!(count(&html, "<rect class=\"bar\""), 401);
        assert!(html.contains("one bar per 1 year"), "{html}");
        assert!(html.contains("<title>2000: 2 incidents</title>"));
        // Year 99999 against year 1: still at most MAX_BARS bars, several years each.
        let i = vec![
            incident("a.md", Some((1, 1)), None, None),
            incident("b.md", Some((99999, 12)), None, None),
        ];
        let html = render(&stats(i));
        let bars = count(&html, "<rect class=\"bar\"");
        assert!(bars <= MAX_BARS && bars > 100, "{bars}");
        assert!(html.contains("one bar per 84 years"), "{bars}");
        // Under the limit: no such note.
        assert!(!render(&stats(over_months(600))).contains("one bar per"));
    }

    #[test]
    fn hostile_strings_are_escaped_everywhere() {
        let mut i = incident(
            "a\"><script>alert(1)</script> #1%?.md",
            Some((2024, 1)),
            Some("<b>SEV</b>\u{1b}[31m"),
            Some(5),
        );
        i.title = Some("<img src=x onerror=alert(1)>'\"\n".to_string());
        let mut s = stats(vec![i]);
        s.total.oldest_overdue.push(Overdue {
            path: "x.md".into(),
            text: "<script>steal()</script>".into(),
            due: NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
            days_overdue: 1060,
        });
        s.groups[0].key = "<i>key</i>".into();
        s.unusable.push(Unusable {
            path: "bad\u{7}.md".into(),
            why: "not valid UTF-8 <b>".into(),
        });
        let html = render(&s);
        for bad in [
            "<script",
            "<img",
            "<b>",
            "<i>",
            "\u{1b}",
            "\u{7}",
            "onerror=alert(1)>",
        ] {
            assert!(!html.contains(bad), "{bad:?} in the page");
        }
        assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;&#39;&quot;\u{240A}"));
        assert!(html.contains("&lt;b&gt;SEV&lt;/b&gt;\u{241B}[31m"));
        assert!(html.contains("&lt;script&gt;steal()&lt;/script&gt;"));
        assert!(html.contains("bad\u{2407}.md"));
        assert!(
            html.contains(
                "<a href=\"a%22%3E%3Cscript%3Ealert%281%29%3C/script%3E%20%231%25%3F.md\">"
            )
        );
    }

    #[test]
    fn paths_become_relative_urls() {
        assert_eq!(href("docs/pm/2024-05-db.md"), "docs/pm/2024-05-db.md");
        assert_eq!(href("a b/#1 100%?.md"), "a%20b/%231%20100%25%3F.md");
        assert_eq!(href("javascript:alert(1)"), "javascript%3Aalert%281%29");
        assert_eq!(href("//evil.example/x.md"), "/%2Fevil.example/x.md");
        assert_eq!(href("/abs/x.md"), "/abs/x.md");
        assert_eq!(href("é.md"), "%C3%A9.md");
    }

    #[test]
    fn minutes_read_as_hours_and_days() {
        assert_eq!(minutes(0), "0 min");
        assert_eq!(minutes(45), "45 min");
        assert_eq!(minutes(125), "2 h 05 min");
        assert_eq!(minutes(3 * 1440 + 4 * 60 + 59), "3 d 4 h");
        assert_eq!(minutes(-90), "−1 h 30 min");
        assert!(minutes(i64::MIN).starts_with(&format!("−{} d ", i64::MIN.unsigned_abs() / 1440)));
        assert_eq!(spread_value(Some(124.6)), "2 h 05 min");
        assert_eq!(spread_value(None), "–");
        assert_eq!(spread_value(Some(f64::NAN)), "–");
    }

    #[test]
    fn empty_stats_render_a_page_that_says_so() {
        let mut s = stats(Vec::new());
        s.groups.clear();
        let html = render(&s);
        assert!(html.starts_with("<!DOCTYPE html>") && html.ends_with("</html>\n"));
        assert!(html.contains("No incidents: nothing to chart."));
        assert!(!html.contains("<svg"));
        assert!(html.contains("<strong>0</strong> incidents"));
        // With incidents, no such sentence.
        assert!(!render(&stats(over_months(2))).contains("No incidents"));
    }

    #[test]
    fn severities_keep_one_colour_and_natural_order() {
        let i = vec![
            incident("a.md", Some((2024, 1)), Some("SEV-10"), Some(30)),
            incident("b.md", Some((2024, 2)), None, None),
            incident("c.md", Some((2024, 3)), Some("SEV-2"), Some(3000)),
            incident("d.md", Some((2024, 3)), Some("SEV-2"), None),
        ];
        let html = render(&stats(i));
        let rows: Vec<&str> = html.split("<g class=\"row ").skip(1).collect();
        assert_eq!(rows.len(), 3);
        assert!(rows[0].starts_with("sev0") && rows[0].contains("SEV-2"));
        assert!(rows[0].contains("n = 1, 1 without a time to resolve"));
        assert!(rows[1].starts_with("sev1") && rows[1].contains("SEV-10"));
        assert!(rows[2].starts_with("sevnone") && rows[2].contains("(none)"));
        assert!(rows[2].contains("n = 0, 1 without a time to resolve"));
        // The table's swatches use the same classes.
        assert!(html.contains("<span class=\"swatch sev0\"></span>SEV-2"));
        assert!(html.contains("<span class=\"swatch sev1\"></span>SEV-10"));
        assert!(html.contains("<span class=\"swatch sevnone\"></span>(none)"));
        assert!(html.contains("@media (prefers-color-scheme: dark)"));
    }

    #[test]
    fn dots_are_jittered_deterministically() {
        let i: Vec<Incident> = (0..20)
            .map(|k| incident(&format!("{k}.md"), Some((2024, 1)), Some("P1"), Some(60)))
            .collect();
        let a = render(&stats(i.clone()));
        assert_eq!(a, render(&stats(i)));
        let ys: HashSet<&str> = a
            .split("<circle class=\"dot\" cx=\"")
            .skip(1)
            .map(|s| s.split('"').nth(2).unwrap())
            .collect();
        assert!(ys.len() >= 10, "dots at {} heights", ys.len());
    }

    #[test]
    fn ten_thousand_incidents_render_every_one() {
        let i: Vec<Incident> = (0..10_000u32)
            .map(|k| {
                incident(
                    &format!("{k}.md"),
                    Some((2000 + (k % 240 / 12) as i32, k % 12 + 1)),
                    Some("SEV-1"),
                    Some(i64::from(k)),
                )
            })
            .collect();
        let html = render(&stats(i));
        assert_eq!(count(&html, "<rect class=\"bar\""), 240);
        assert_eq!(count(&html, "<circle class=\"dot\""), 10_000);
        assert_eq!(count(&html, "<tr><td><a href="), 10_000);
    }

    #[test]
    fn check_status_names_errors_and_only_present_warnings() {
        let mut i = over_months(2);
        i[0].passes_check = false;
        i[0].errors = 2;
        i[1].warnings = 1;
        let html = render(&stats(i));
        assert!(html.contains("<span class=\"bad\">fails</span>: 2 errors</td>"));
        assert!(html.contains("<span class=\"ok\">passes</span>, 1 warning</td>"));
        assert!(!html.contains("0 warnings"));
    }

    #[test]
    fn group_table_says_what_is_missing() {
        let mut s = stats(over_months(2));
        s.total.time_to_resolve = Spread {
            count: 2,
            missing: 3,
            median: Some(150.0),
            p90: Some(4000.0),
            min: Some(1),
            max: Some(5000),
        };
        let html = render(&s);
        let foot = html.split("<tfoot>").nth(1).unwrap();
        assert!(foot.contains("<td class=\"num first\">2 h 30 min</td><td class=\"num\">2 d 18 h</td><td class=\"num\">3</td>"));
        assert!(foot.contains("<td class=\"num\">–</td>"));
    }
}
