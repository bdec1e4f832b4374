//! Links the `pmlint` binary as a fixed-address (non-PIE) executable on Linux. A position-
//! independent one has ~47,000 relocations, mostly in the time-zone tables, that the loader
//! applies at every start, touching ~300 pages: on a small VM that was most of the time of a
//! one-file run.
fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let linux = std::env::var("CARGO_CFG_TARGET_OS").is_ok_and(|os| os == "linux");
    let gnu_or_musl =
        std::env::var("CARGO_CFG_TARGET_ENV").is_ok_and(|env| env == "gnu" || env == "musl");
    if linux && gnu_or_musl {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
