//! Writing a fixed file without ever losing data: only when the file is still what was
//! checked, through a temporary file in the same directory renamed over it, with the file's
//! permissions; a symbolic link stays a link (its target is rewritten).

use std::io::Write;
use std::path::Path;

/// Replaces the file at `path`, which held `original` when it was read, with `fixed`.
/// Errors say why in words, for the file's line of the report.
pub fn replace(path: &Path, original: &str, fixed: &str) -> Result<(), String> {
    let reason = crate::runner::io_reason;
    let target = std::fs::canonicalize(path).map_err(|e| reason(&e))?;
    let meta = std::fs::metadata(&target).map_err(|e| reason(&e))?;
    if !meta.is_file() {
        return Err("not a regular file".into());
    }
    // Refuse a file that changed since it was read: an editor or another tool wrote it.
    let now = std::fs::read(&target).map_err(|e| reason(&e))?;
    if now != original.as_bytes() {
        return Err("changed on disk since it was read; not fixed (run again)".into());
    }
    let dir = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".pmlint-fix-")
        .tempfile_in(dir)
        .map_err(|e| format!("cannot write beside it: {}", reason(&e)))?;
    tmp.write_all(fixed.as_bytes())
        .and_then(|()| tmp.as_file().set_permissions(meta.permissions()))
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(|e| format!("cannot write beside it: {}", reason(&e)))?;
    tmp.persist(&target)
        .map_err(|e| format!("cannot replace it: {}", reason(&e.error)))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_that_changed_since_it_was_read_is_left_alone() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("pm.md");
        std::fs::write(&path, "edited by someone else\n").expect("write");
        let err = replace(&path, "what was read\n", "fixed\n");
        assert!(err.is_err_and(|e| e.contains("changed on disk")));
        assert_eq!(
            std::fs::read_to_string(&path).expect("read"),
            "edited by someone else\n"
        );
    }

    #[cfg(unix)]
    #[test]
    fn permissions_and_links_are_kept() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("temp dir");
        let real = dir.path().join("real.md");
        let link = dir.path().join("link.md");
        std::fs::write(&real, "old\n").expect("write");
        std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).expect("chmod");
        std::os::unix::fs::symlink(&real, &link).expect("symlink");
        replace(&link, "old\n", "new\n").expect("replaced");
        assert!(std::fs::symlink_metadata(&link).expect("link").is_symlink());
        assert_eq!(std::fs::read_to_string(&real).expect("read"), "new\n");
        let mode = std::fs::metadata(&real).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o640);
        // No temporary file is left behind.
        assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 2);
    }
}
