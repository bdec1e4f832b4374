//! Per-phase CPU time over a folder of documents, on one thread: where `check`'s time goes.
//! `cargo run --release --example corpus_phases -- DIR`
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn main() {
    // The files `pmlint check` would read, found the way it finds them.
    let roots: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let mut resolver = pmlint::config_file::Resolver::new(pmlint::Config::default(), None, true);
    let found = pmlint::discover::discover(&roots, &Default::default(), &mut resolver);
    let texts: Vec<String> = found
        .inputs
        .iter()
        .filter_map(|i| match i {
            pmlint::runner::Input::File(p) | pmlint::runner::Input::Found(p) => {
                std::fs::read_to_string(p).ok()
            }
            _ => None,
        })
        .collect();
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
