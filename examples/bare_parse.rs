//! The benchmark's baseline: walk the same files the same way `pmlint check` does (ignore +
//! rayon, same extensions), read each and run a bare pulldown-cmark parse with pmlint's
//! options, counting events. `bench/run.sh` compares `pmlint check` against this.

use std::path::PathBuf;

use pulldown_cmark::Parser;
use rayon::prelude::*;

fn main() {
    let roots: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let mut resolver = pmlint::config_file::Resolver::new(pmlint::Config::default(), None, true);
    let options = pmlint::discover::Options::default();
    let found = pmlint::discover::discover(&roots, &options, &mut resolver);
    let files: Vec<PathBuf> = found
        .inputs
        .into_iter()
        .filter_map(|i| match i {
            pmlint::runner::Input::File(p) | pmlint::runner::Input::Found(p) => Some(p),
            _ => None,
        })
        .collect();
    let events: usize = files
        .par_iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).unwrap_or_default();
            Parser::new_ext(&text, pmlint::parse::markdown_options())
                .into_offset_iter()
                .count()
        })
        .sum();
    println!("{} files, {events} events", files.len());
}
