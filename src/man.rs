//! `pmlint man`: manual pages from the command-line definition, so they never drift from
//! `--help`. The top page lists the subcommands as `pmlint-check(1)` and so on; those pages
//! exist too: `pmlint man check` prints one, `--out-dir` writes them all for packagers.

use std::path::Path;

/// The page of `command` (a subcommand's name, or `None` for pmlint(1)) as roff.
pub fn page(root: clap::Command, command: Option<&str>) -> Result<Vec<u8>, String> {
    let root = built(root);
    let cmd = match command {
        None => root,
        Some(name) => root
            .get_subcommands()
            .find(|s| !s.is_hide_set() && s.get_name() == name)
            .cloned()
            .ok_or_else(|| {
                let names: Vec<&str> = root
                    .get_subcommands()
                    .filter(|s| !s.is_hide_set())
                    .map(|s| s.get_name())
                    .collect();
                format!("no command `{name}`; pages: {}", names.join(", "))
            })?,
    };
    let mut buf = Vec::new();
    clap_mangen::Man::new(cmd)
        .render(&mut buf)
        .map_err(|e| e.to_string())?;
    Ok(buf)
}

/// Writes `pmlint.1` and one `pmlint-<command>.1` per subcommand into `dir` (regenerating any
/// there already: they are build output). Returns how many pages were written.
pub fn write_all(root: clap::Command, dir: &Path) -> Result<usize, String> {
    if !dir.is_dir() {
        return Err(format!("{} is not a directory", dir.display()));
    }
    let root = built(root);
    let count = 1 + root.get_subcommands().filter(|s| !s.is_hide_set()).count();
    clap_mangen::generate_to(root, dir)
        .map_err(|e| format!("cannot write into {}: {e}", dir.display()))?;
    Ok(count)
}

/// Subcommands get their display names (`pmlint-check`) only once the command is built.
fn built(root: clap::Command) -> clap::Command {
    let mut root = root.disable_help_subcommand(true);
    root.build();
    root
}
