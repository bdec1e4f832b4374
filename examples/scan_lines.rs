//! Scans every line of a file with `time::scan` and `time::scan_first`, ROUNDS times, and
//! prints an FNV hash of the first round's results: a scanner change that keeps the hash keeps
//! every result. Under callgrind it also counts the scanner's instructions.
//!
//!     cargo run --release --example scan_lines -- ROUNDS FILE
use std::io::Read;
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rounds: usize = args[0].parse().unwrap();
    let mut text = String::new();
    std::fs::File::open(&args[1])
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let mut h: u64 = 0xcbf29ce484222325;
    let mut n = 0usize;
    for r in 0..rounds {
        for l in &lines {
            let f = pmlint::time::scan(l);
            let f1 = pmlint::time::scan_first(l);
            n += f.len();
            if r == 0 {
                for b in format!("{f:?}{f1:?}").bytes() {
                    h ^= u64::from(b);
                    h = h.wrapping_mul(0x100000001b3);
                }
            }
        }
    }
    println!("{} lines, {n} found, hash {h:016x}", lines.len());
}
