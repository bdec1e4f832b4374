//! The `pmlint stats` HTML page in a real browser: headless Chromium (Debian's package,
//! installed by `tests/browser/install-chromium.sh`, which `.ci/run` runs too; `PMLINT_CHROMIUM`
//! names another) loads pages rendered from hand-built figures, and `tests/browser/measure.py`
//! reports over the DevTools protocol what a person sees: bars, chart sizes, the boxes of the
//! month labels, colours, links. Light and dark colour schemes; the screenshots stay in
//! `target/stats-html/`. Without a browser the test fails saying so: it never passes unrun.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{FixedOffset, NaiveDate, TimeZone};
use pmlint::stats::{By, Group, Incident, Overdue, Spread, Stats, Unusable, html};
use serde_json::Value;

const HOSTILE_PATH: &str = "postmortems/2024 #3 100%? \"<script>alert(1)</script>.md";

fn chromium() -> String {
    common::installed(
        "tests/browser/install-chromium.sh",
        "Chromium (Debian's `chromium`)",
    )
    .to_string_lossy()
    .into_owned()
}

/// `target/stats-html/` (beside `target/tmp`, so `CARGO_TARGET_DIR` is followed).
fn out_dir() -> PathBuf {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let dir = tmp.parent().unwrap_or(tmp).join("stats-html");
    std::fs::create_dir_all(&dir).expect("create target/stats-html");
    dir
}

fn spread(count: usize, missing: usize, median: Option<f64>, p90: Option<f64>) -> Spread {
    Spread {
        count,
        missing,
        median,
        p90,
        min: None,
        max: None,
    }
}

fn group(key: &str, incidents: usize, passing: usize) -> Group {
    Group {
        key: key.to_string(),
        incidents,
        duration: spread(incidents, 0, Some(95.0), Some(400.0)),
        time_to_detect: spread(incidents.saturating_sub(1), 1, Some(12.0), Some(30.0)),
        time_to_mitigate: spread(0, incidents, None, None),
        time_to_resolve: spread(incidents, 0, Some(180.0), Some(3000.0)),
        actions: 2 * incidents,
        actions_open: incidents,
        oldest_overdue: Vec::new(),
        passing,
    }
}

/// `months` months from January 2023; each month has 0–3 incidents (some none) over three
/// severities and none, times to resolve from minutes to days, one hostile path.
fn figures(months: u32) -> Stats {
    let tz = FixedOffset::east_opt(2 * 3600).expect("offset");
    let severities = [Some("SEV-1"), Some("SEV-2"), Some("SEV-3"), None];
    let mut incidents = Vec::new();
    for m in 0..months {
        let per_month = [2, 0, 3, 1, 1, 0, 2][(m % 7) as usize];
        for k in 0..per_month {
            let n = incidents.len();
            let (y, mo) = (2023 + (m / 12) as i32, m % 12 + 1);
            let ttr = [
                Some(7),
                Some(95),
                Some(600),
                None,
                Some(2 * 1440 + 300),
                Some(40),
            ][n % 6];
            incidents.push(Incident {
                path: if n == 4 {
                    HOSTILE_PATH.to_string()
                } else {
                    format!("postmortems/{y}-{mo:02}-{k}.md")
                },
                title: Some(if n == 4 {
                    "<img src=x onerror=alert(1)> \"quoted\"".to_string()
                } else {
                    format!("Incident {n}: checkout errors")
                }),
                start: tz.with_ymd_and_hms(y, mo, 1 + 3 * k, 9, 30, 0).single(),
                end: None,
                duration_minutes: ttr.map(|t| t + 10),
                time_to_detect_minutes: Some(5 + n as i64),
                time_to_mitigate_minutes: None,
                time_to_resolve_minutes: ttr,
                severity: severities[n % 4].map(str::to_string),
                services: vec!["checkout".to_string()],
                actions: 3,
                actions_done: n % 4,
                overdue: Vec::new(),
                passes_check: n % 5 != 0,
                errors: usize::from(n % 5 == 0),
                warnings: n % 2,
            });
        }
    }
    let total = incidents.len();
    let passing = incidents.iter().filter(|i| i.passes_check).count();
    let mut all = group("all", total, passing);
    all.oldest_overdue = vec![Overdue {
        path: HOSTILE_PATH.to_string(),
        text: "Add an alert on queue depth <b>now</b>".to_string(),
        due: NaiveDate::from_ymd_opt(2024, 2, 1).expect("date"),
        days_overdue: 1029,
    }];
    Stats {
        today: NaiveDate::from_ymd_opt(2026, 11, 26).expect("date"),
        by: By::Severity,
        incidents,
        groups: vec![
            group("SEV-1", 5, 4),
            group("SEV-2", 4, 4),
            group("(none)", 2, 1),
        ],
        total: all,
        unusable: vec![Unusable {
            path: "postmortems/draft.md".to_string(),
            why: "no resolvable incident window".to_string(),
        }],
    }
}

/// Renders `stats` to `target/stats-html/NAME.html` and measures it in `scheme`.
fn measure(browser: &str, stats: &Stats, name: &str, scheme: &str) -> Value {
    let page = out_dir().join(format!("{name}.html"));
    std::fs::write(&page, html::render(stats)).expect("write the page");
    measure_page(browser, &page, name, scheme)
}

fn measure_page(browser: &str, page: &Path, name: &str, scheme: &str) -> Value {
    let shot = out_dir().join(format!("{name}-{scheme}.png"));
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/measure.py");
    let out = Command::new("python3")
        .arg(&script)
        .arg(browser)
        .arg(page)
        .arg(&shot)
        .arg(scheme)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "the browser could not load {}:\n{}",
        page.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(shot.exists(), "no screenshot at {}", shot.display());
    println!("screenshot ({scheme}): {}", shot.display());
    serde_json::from_slice(&out.stdout).expect("measure.py prints JSON")
}

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

/// `rgb(r, g, b)` / `rgba(…)` as relative luminance (WCAG).
fn luminance(css: &str) -> f64 {
    let inner = css
        .trim()
        .trim_start_matches("rgba(")
        .trim_start_matches("rgb(")
        .trim_end_matches(')');
    let c: Vec<f64> = inner
        .split(',')
        .take(3)
        .map(|p| {
            p.trim()
                .parse::<f64>()
                .unwrap_or_else(|_| panic!("colour {css:?}"))
                / 255.0
        })
        .map(|c| {
            if c <= 0.03928 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        })
        .collect();
    assert_eq!(c.len(), 3, "colour {css:?}");
    0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]
}

fn contrast(a: &str, b: &str) -> f64 {
    let (x, y) = (luminance(a), luminance(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).expect("ascii");
            out.push(u8::from_str_radix(hex, 16).expect("hex"));
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).expect("utf-8")
}

/// No two month labels' boxes intersect.
fn assert_labels_apart(m: &Value, what: &str) {
    let labels = m["labels"].as_array().expect("labels");
    let boxes: Vec<(f64, f64, f64, f64, &str)> = labels
        .iter()
        .map(|l| {
            (
                num(&l["x"]),
                num(&l["y"]),
                num(&l["width"]),
                num(&l["height"]),
                l["text"].as_str().unwrap_or(""),
            )
        })
        .collect();
    for (i, a) in boxes.iter().enumerate() {
        assert!(a.2 > 0.0 && a.3 > 0.0, "{what}: label {} has no size", a.4);
        // Labels are in x order: a later one that starts past this one's right edge, and
        // every one after it, cannot touch it.
        for b in boxes.iter().skip(i + 1).take_while(|b| b.0 < a.0 + a.2) {
            let apart =
                a.0 + a.2 <= b.0 || b.0 + b.2 <= a.0 || a.1 + a.3 <= b.1 || b.1 + b.3 <= a.1;
            assert!(
                apart,
                "{what}: labels {} and {} overlap: {a:?} {b:?}",
                a.4, b.4
            );
        }
    }
}

#[test]
fn the_page_renders_in_a_browser_light_and_dark() {
    let browser = chromium();
    let stats = figures(14);
    let mut seen = Vec::new();
    for scheme in ["light", "dark"] {
        let m = measure(&browser, &stats, "fourteen-months", scheme);
        assert_eq!(m["h1"], "Postmortem statistics");
        assert_eq!(m["bars"], 14, "{scheme}: one bar per month");
        // Months without incidents have an empty bar; the others a visible one.
        let heights: Vec<f64> = m["bar_heights"]
            .as_array()
            .expect("heights")
            .iter()
            .map(num)
            .collect();
        for (month, h) in heights.iter().enumerate() {
            let empty = [1, 5, 8, 12].contains(&month);
            assert_eq!(*h == 0.0, empty, "{scheme}: bar {month} is {h} high");
        }
        let charts = m["charts"].as_array().expect("charts");
        assert_eq!(
            charts.len(),
            2,
            "{scheme}: monthly and time-to-resolve charts"
        );
        for c in charts {
            assert!(
                num(&c["width"]) > 300.0 && num(&c["height"]) > 100.0,
                "{scheme}: chart rendered at {c}"
            );
            assert!(num(&c["width"]) <= num(&m["viewport_width"]));
        }
        assert!(
            num(&m["page_width"]) <= num(&m["viewport_width"]),
            "{scheme}: the page scrolls sideways"
        );
        // The tables fit the page's width (they would scroll inside their box if not).
        for table in ["groups", "incidents", "overdue", "unusable"] {
            assert_eq!(
                m["table_overflow"][table], 0,
                "{scheme}: table {table} overflows"
            );
        }
        assert_eq!(m["labels"].as_array().map(Vec::len), Some(14));
        assert_labels_apart(&m, scheme);
        // Readable: labels against the chart's background, text against the page's.
        let bg = m["chart_background"].as_str().expect("bg");
        let label = m["label_fill"].as_str().expect("fill");
        assert!(
            contrast(label, bg) >= 7.0,
            "{scheme}: labels {label} on {bg}"
        );
        let body = m["body_background"].as_str().expect("body bg");
        let text = m["body_color"].as_str().expect("body colour");
        assert!(
            contrast(text, body) >= 7.0,
            "{scheme}: text {text} on {body}"
        );
        let bar = m["bar_fill"].as_str().expect("bar");
        assert!(contrast(bar, bg) >= 3.0, "{scheme}: bars {bar} on {bg}");
        let dark_page = luminance(body) < 0.2;
        assert_eq!(
            dark_page,
            scheme == "dark",
            "{scheme}: page background {body}"
        );
        // One colour per severity (three and none).
        assert_eq!(m["dot_fills"].as_array().map(Vec::len), Some(4), "{scheme}");
        assert!(num(&m["dots"]) > 10.0);
        // The hostile document neither ran nor broke out, and its link leads to its file.
        assert_eq!(m["scripts"], 0);
        let links = m["links"].as_array().expect("links");
        assert_eq!(links.len(), stats.incidents.len());
        let hostile = links
            .iter()
            .find(|l| l["text"] == "<img src=x onerror=alert(1)> \"quoted\"")
            .expect("the hostile title is shown as text");
        let href = hostile["href"].as_str().expect("href");
        let dir = out_dir();
        let base = format!("file://{}/", dir.display());
        assert!(href.starts_with(&base), "{href} not under {base}");
        assert_eq!(percent_decode(&href[base.len()..]), HOSTILE_PATH);
        seen.push((bg.to_string(), label.to_string()));
    }
    assert_ne!(seen[0], seen[1], "light and dark look the same");
}

#[test]
fn sixty_months_of_labels_do_not_overlap() {
    let browser = chromium();
    let stats = figures(60);
    let m = measure(&browser, &stats, "sixty-months", "light");
    assert_eq!(m["bars"], 60);
    let labels = m["labels"].as_array().expect("labels").len();
    assert!((12..=60).contains(&labels), "{labels} month labels");
    assert_labels_apart(&m, "60 months");
    let m = measure(&browser, &figures(600), "six-hundred-months", "dark");
    assert_eq!(m["bars"], 600);
    assert_labels_apart(&m, "600 months");
}

/// Months from the first incident's start to the last one's (each in its own offset), as
/// the monthly chart draws them.
fn months_spanned(stats: &Value) -> usize {
    let months: Vec<i64> = stats["incidents"]
        .as_array()
        .expect("incidents")
        .iter()
        .filter_map(|i| i["start"].as_str())
        .filter_map(|s| {
            Some(s.get(0..4)?.parse::<i64>().ok()? * 12 + s.get(5..7)?.parse::<i64>().ok()?)
        })
        .collect();
    let (Some(first), Some(last)) = (months.iter().min(), months.iter().max()) else {
        return 0;
    };
    usize::try_from(last - first + 1).unwrap_or(0)
}

/// `pmlint stats --html` itself, on the real corpus and on a generated archive of 5,000: the page it
/// writes loads, has one bar per month the incidents span and labels that do not collide.
#[test]
fn pages_written_by_pmlint_stats_render() {
    let browser = chromium();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let generated = tempfile::tempdir().expect("temp dir");
    let made = Command::new("python3")
        .arg(root.join("bench/gen.py"))
        .arg(generated.path())
        .arg("5000")
        .status()
        .expect("python3 runs");
    assert!(made.success(), "bench/gen.py failed");
    let real = root.join("../shared/corpus/real");
    assert!(
        real.is_dir(),
        "the real corpus is missing at {}",
        real.display()
    );
    for (name, dir) in [
        ("real-corpus", real.as_path()),
        ("generated-5000", generated.path()),
    ] {
        let page = out_dir().join(format!("{name}.html"));
        let out = Command::new(env!("CARGO_BIN_EXE_pmlint"))
            .args([
                "stats",
                "--no-config",
                "--format",
                "json",
                "--today",
                "2026-11-26",
                "--html",
            ])
            .arg(&page)
            .arg(dir)
            .output()
            .expect("pmlint runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stats: Value = serde_json::from_slice(&out.stdout).expect("json");
        assert!(
            stats["incidents"].as_array().is_some_and(|l| l.len() > 10),
            "{name}"
        );
        for scheme in ["light", "dark"] {
            let m = measure_page(&browser, &page, name, scheme);
            assert_eq!(m["bars"], months_spanned(&stats), "{name} ({scheme})");
            assert_labels_apart(&m, name);
        }
    }
}
