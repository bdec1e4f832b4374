//! Where the time goes for one document: bare pulldown-cmark, pmlint's parse, the rules.
//! `cargo run --release --example phases -- FILE`
use std::time::Instant;

fn main() {
    let path = std::env::args().nth(1).expect("usage: phases FILE");
    let text = std::fs::read_to_string(path).expect("readable UTF-8 file");
    let config = pmlint::Config::default();
    let runs: u32 = std::env::var("RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(20);
    let t = Instant::now();
    for _ in 0..runs {
        let n = pulldown_cmark::Parser::new_ext(&text, pmlint::parse::markdown_options())
            .into_offset_iter()
            .count();
        std::hint::black_box(n);
    }
    let bare = t.elapsed() / runs;
    let t = Instant::now();
    for _ in 0..runs {
        std::hint::black_box(pmlint::parse::parse(&text, &config.kinds));
    }
    let parse = t.elapsed() / runs;
    let t = Instant::now();
    for _ in 0..runs {
        std::hint::black_box(pmlint::lint_source(&text, &config));
    }
    let lint = t.elapsed() / runs;
    println!("bare pulldown-cmark {bare:?}, parse {parse:?}, parse+rules {lint:?}");
}
