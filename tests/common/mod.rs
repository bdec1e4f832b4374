//! Shared by the tests that need a real program (Neovim, Chromium).

use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs an install script (relative to the crate: it installs once, then prints the
/// program's path) and returns that path; fails the test, saying why, if it cannot.
pub fn installed(script: &str, what: &str) -> PathBuf {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join(script);
    let out = Command::new("bash")
        .arg(&script)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", script.display()));
    assert!(
        out.status.success(),
        "cannot install {what} for this test:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let path = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    assert!(path.exists(), "no {what} at {}", path.display());
    path
}
