//! Replays the fuzz corpora (`fuzz/corpus/<target>/`, minimised, with every input that once
//! crashed a target) through the same `pmlint::fuzzing` functions the fuzz targets call, so
//! a stable `cargo test` catches a regression without nightly or cargo-fuzz.

use std::path::{Path, PathBuf};

fn replay(target: &str, run: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("corpus entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(
        files.len() >= 10,
        "{}: {} inputs; the corpus is missing",
        dir.display(),
        files.len()
    );
    let failed: Vec<String> = files
        .iter()
        .filter_map(|path| {
            let data = std::fs::read(path).expect("corpus file");
            std::panic::catch_unwind(|| run(&data))
                .is_err()
                .then(|| path.display().to_string())
        })
        .collect();
    assert!(
        failed.is_empty(),
        "{target}: these inputs fail: {failed:#?}"
    );
}

#[test]
fn pipeline_corpus() {
    replay("pipeline", pmlint::fuzzing::pipeline);
}

#[test]
fn time_corpus() {
    replay("time", pmlint::fuzzing::time);
}

#[test]
fn config_corpus() {
    replay("config", pmlint::fuzzing::config);
}

#[test]
fn suppress_corpus() {
    replay("suppress", pmlint::fuzzing::suppress);
}

#[test]
fn server_corpus() {
    replay("server", pmlint::fuzzing::server);
}
