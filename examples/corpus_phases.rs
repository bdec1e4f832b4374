//! Per-phase CPU time over a folder of documents, on one thread: where `check`'s time goes.
//! `cargo run --release --example corpus_phases -- DIR`
use std::time::{Duration, Instant};

fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| ".".into());
    let mut texts = Vec::new();
    let mut stack = vec![std::path::PathBuf::from(dir)];
    while let Some(p) = stack.pop() {
        if p.is_dir() {
            for e in std::fs::read_dir(&p).into_iter().flatten().flatten() {
                stack.push(e.path());
            }
        } else if let Ok(t) = std::fs::read_to_string(&p) {
            texts.push(t);
        }
    }
    let config = pmlint::Config::default();
    let mut t = [Duration::ZERO; 6];
    for text in &texts {
        let a = Instant::now();
        let n = pulldown_cmark::Parser::new_ext(text, pmlint::parse::markdown_options())
            .into_offset_iter()
            .count();
        std::hint::black_box(n);
        let b = Instant::now();
        let doc = pmlint::parse::parse(text, &config.kinds);
        let c = Instant::now();
        let tl = pmlint::timeline::build(&doc, &config);
        let d = Instant::now();
        let actions = pmlint::actions::extract(&doc, pmlint::actions::incident_date(&tl));
        let e = Instant::now();
        let diags = pmlint::rules::run(&doc, &tl, &actions, &config);
        let f = Instant::now();
        std::hint::black_box(diags);
        let g = Instant::now();
        std::hint::black_box(pmlint::lint_source(text, &config));
        let h = Instant::now();
        for (k, (x, y)) in [(a, b), (b, c), (c, d), (d, e), (e, f), (g, h)]
            .iter()
            .enumerate()
        {
            t[k] += *y - *x;
        }
    }
    let n = texts.len() as u32;
    for (name, d) in [
        "bare",
        "parse",
        "timeline",
        "actions",
        "rules",
        "lint_source",
    ]
    .iter()
    .zip(t)
    {
        println!(
            "{name:12} {:>8.1} µs/doc",
            d.as_secs_f64() * 1e6 / f64::from(n)
        );
    }
}
