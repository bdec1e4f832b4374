//! Which files a run reads: paths named on the command line, directories walked, standard
//! input; the `include`/`exclude` globs of `pmlint.toml`; and the files a walk skips because
//! they are plainly not postmortems (README, CHANGELOG, ... by name; by content, documents
//! with no timeline and no heading or field of a required kind).
//!
//! Directories are walked with the `ignore` crate (the walker behind ripgrep), so `.gitignore`
//! is honoured, symlinks are not followed (no loops) and only regular files are read (a FIFO
//! never blocks the run). A file named on the command line is always read, unless
//! `--force-exclude` asks for it to be treated as a walk would (a pre-commit hook names every
//! staged file).

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use ignore::gitignore::{Gitignore, GitignoreBuilder};

use crate::config::Config;
use crate::config_file::Resolver;
use crate::document::{Document, KindId};
use crate::runner::{Input, STDIN_NAME};
use crate::timeline::Timeline;

/// Extensions a directory walk picks up.
pub const EXTENSIONS: &[&str] = &["md", "markdown", "txt"];

/// Repository files that are never postmortems, by the part of the name before the first dot,
/// compared without case, `-` or `_`.
const NOT_POSTMORTEMS: &[&str] = &[
    "architecture",
    "authors",
    "changelog",
    "changes",
    "cmakelists",
    "codeofconduct",
    "contributing",
    "contributors",
    "copying",
    "governance",
    "history",
    "install",
    "issuetemplate",
    "licence",
    "license",
    "maintainers",
    "news",
    "notice",
    "pullrequesttemplate",
    "readme",
    "releasenotes",
    "requirements",
    "robots",
    "security",
    "support",
    "upgrading",
];

/// Why a file was not checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Skip {
    /// An `exclude` glob matched (the glob as written).
    Excluded(String),
    /// `include` is set and none of its globs matched.
    NotIncluded,
    /// Named with `--force-exclude`, and not a `.md`, `.markdown` or `.txt` file.
    Extension,
    /// README, CHANGELOG and the like.
    Name,
    /// No timeline and no heading or field of a required kind.
    Content,
}

impl fmt::Display for Skip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Skip::Excluded(glob) => write!(f, "excluded by `{glob}`"),
            Skip::NotIncluded => f.write_str("matched by no `include` glob"),
            Skip::Extension => f.write_str("not a .md, .markdown or .txt file"),
            Skip::Name => {
                f.write_str("named as a repository file (README, CHANGELOG, ...), not a postmortem")
            }
            Skip::Content => f.write_str("no timeline and no heading or field of a required kind"),
        }
    }
}

/// `include` or `exclude` globs (gitignore syntax), relative to the directory of the
/// `pmlint.toml` that set them.
#[derive(Debug, Clone, Default)]
pub struct Globs {
    matcher: Option<Gitignore>,
    /// The globs whose last part is a plain file name (`docs/README.md`): they name a file
    /// rather than describe a set.
    literal: Option<Gitignore>,
    root: PathBuf,
}

impl Globs {
    /// Compiles `patterns`; on a bad one, returns it with the reason.
    pub fn new(root: &Path, patterns: &[String]) -> Result<Globs, (String, String)> {
        let root = absolute(root);
        let mut all = GitignoreBuilder::new(&root);
        let mut literal = GitignoreBuilder::new(&root);
        for p in patterns {
            all.add_line(None, p)
                .map_err(|e| (p.clone(), e.to_string()))?;
            let last = p.trim_end_matches('/').rsplit('/').next().unwrap_or(p);
            if !p.starts_with('!') && !p.ends_with('/') && !last.contains(['*', '?', '[', '{']) {
                literal
                    .add_line(None, p)
                    .map_err(|e| (p.clone(), e.to_string()))?;
            }
        }
        let build = |b: GitignoreBuilder| b.build().map_err(|e| (String::new(), e.to_string()));
        Ok(Globs {
            matcher: Some(build(all)?),
            literal: Some(build(literal)?),
            root,
        })
    }

    pub fn is_empty(&self) -> bool {
        self.matcher.as_ref().is_none_or(|m| m.is_empty())
    }

    /// The glob (as written) that matches `path` (absolute) or a directory above it. A
    /// `!glob` that matches undoes the globs before it, as in `.gitignore`.
    fn find(&self, path: &Path) -> Option<&str> {
        match self.matched(self.matcher.as_ref(), path) {
            ignore::Match::Ignore(g) => Some(g.original()),
            _ => None,
        }
    }

    /// Does a glob that names a file (no wildcard in its last part) match `path` itself?
    fn names(&self, path: &Path) -> bool {
        self.matched(self.literal.as_ref(), path).is_ignore()
    }

    fn matched<'g>(
        &self,
        m: Option<&'g Gitignore>,
        path: &Path,
    ) -> ignore::Match<&'g ignore::gitignore::Glob> {
        let Some(m) = m else {
            return ignore::Match::None;
        };
        let rel = match path.strip_prefix(&self.root) {
            Ok(rel) => rel,
            // Only with `--config` elsewhere: match what the path says below the root.
            Err(_) => path.strip_prefix("/").unwrap_or(path),
        };
        m.matched_path_or_any_parents(rel, false)
    }
}

/// `path` made absolute with symlinks in its directories resolved, as configuration
/// directories are, so the two compare.
fn absolute(path: &Path) -> PathBuf {
    std::fs::canonicalize(path)
        .or_else(|_| std::path::absolute(path))
        .unwrap_or_else(|_| path.to_path_buf())
}

/// Does a file name say the file is not a postmortem?
pub fn not_a_postmortem_by_name(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let stem = name.split('.').next().unwrap_or(name);
    let key: String = stem
        .chars()
        .filter(|c| !matches!(c, '-' | '_'))
        .map(|c| c.to_ascii_lowercase())
        .collect();
    NOT_POSTMORTEMS.contains(&key.as_str())
}

/// Does a parsed document read as a postmortem: a timeline, or a heading or field of a
/// required kind? Prose does not count here: an opening paragraph is a summary only in a
/// document that is otherwise a postmortem.
pub fn reads_as_postmortem(doc: &Document, timeline: &Timeline, config: &Config) -> bool {
    let wanted = |k: KindId| k == KindId::TIMELINE || config.required.contains(&k);
    !timeline.entries.is_empty()
        || !timeline.sections.is_empty()
        || doc.sections.iter().any(|s| s.kinds.iter().any(wanted))
        || doc
            .fields
            .iter()
            .any(|f| crate::coverage::field_kind(f.name).is_some_and(wanted))
}

/// How files named on the command line are treated.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options<'a> {
    /// The name `-` is reported under (and its configuration looked up by).
    pub stdin_name: Option<&'a str>,
    /// Named files (and a named stdin) go through the walk's filters too.
    pub force_exclude: bool,
}

/// The inputs to read, and what was skipped on the way.
#[derive(Debug, Default)]
pub struct Discovery {
    pub inputs: Vec<Input>,
    pub log: Log,
}

/// What discovery and checking skipped, per directory walked, for the messages at the end.
#[derive(Debug, Default)]
pub struct Log {
    /// For each input: the directory walk it came from (an index into `walks`).
    origin: Vec<Option<usize>>,
    walks: Vec<Walk>,
    /// Files named on the command line that `--force-exclude` skipped.
    named: Vec<(String, Skip)>,
}

#[derive(Debug)]
struct Walk {
    dir: PathBuf,
    checked: usize,
    skipped: Vec<(String, Skip)>,
}

/// Expands paths into inputs: files as given, directories walked (sorted), `-` as standard
/// input. The order of the paths given is kept.
pub fn discover(paths: &[PathBuf], options: &Options, resolver: &mut Resolver) -> Discovery {
    let mut found = Discovery::default();
    let mut dirs = HashMap::new();
    for path in paths {
        if path.as_os_str() == "-" {
            let name = options.stdin_name.unwrap_or(STDIN_NAME);
            if options.force_exclude
                && let Some(named) = options.stdin_name
                && let Err(why) = filter(Path::new(named), resolver, &mut dirs)
            {
                found.log.named.push((name.to_string(), why));
                continue;
            }
            found.push(Input::Stdin(name.to_string()), None);
            continue;
        }
        match std::fs::metadata(path) {
            Err(e) => found.push(Input::Bad(path.clone(), crate::runner::io_reason(&e)), None),
            Ok(m) if m.is_dir() => walk(path, resolver, &mut dirs, &mut found),
            Ok(m) if m.is_file() && options.force_exclude => {
                match filter(path, resolver, &mut dirs) {
                    Ok(input) => found.push(input, None),
                    Err(why) => found.log.named.push((display(path), why)),
                }
            }
            Ok(m) if m.is_file() => found.push(Input::File(path.clone()), None),
            Ok(_) => found.push(Input::Bad(path.clone(), "not a regular file".into()), None),
        }
    }
    found
}

impl Discovery {
    fn push(&mut self, input: Input, walk: Option<usize>) {
        self.inputs.push(input);
        self.log.origin.push(walk);
    }
}

fn walk(dir: &Path, resolver: &mut Resolver, dirs: &mut Dirs, found: &mut Discovery) {
    let index = found.log.walks.len();
    found.log.walks.push(Walk {
        dir: dir.to_path_buf(),
        checked: 0,
        skipped: Vec::new(),
    });
    let walker = ignore::WalkBuilder::new(dir)
        .require_git(false)
        .follow_links(false)
        .sort_by_file_name(|a, b| a.cmp(b))
        .build();
    // Pushed straight into the run's list and sorted there: a second list of every path
    // was a third of the peak memory of a 100,000-file run.
    let first = found.inputs.len();
    for entry in walker {
        match entry {
            Ok(e) => {
                let is_file = e.file_type().is_some_and(|t| t.is_file());
                if is_file && has_extension(e.path()) {
                    match filter(e.path(), resolver, dirs) {
                        Ok(input) => found.inputs.push(input),
                        Err(why) => found.log.walks[index]
                            .skipped
                            .push((display(e.path()), why)),
                    }
                }
            }
            Err(e) => {
                let path = match &e {
                    ignore::Error::WithPath { path, .. } => path.clone(),
                    _ => dir.to_path_buf(),
                };
                found.inputs.push(Input::Bad(path, e.to_string()));
            }
        }
    }
    // By the name shown, compared in place: a key function would allocate a string at every
    // comparison, and cached keys would hold a second copy of every path.
    found.inputs[first..].sort_by(|a, b| a.name().cmp(&b.name()));
    let walked = found.inputs.len() - first;
    found
        .log
        .origin
        .extend(std::iter::repeat_n(Some(index), walked));
}

fn has_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|x| x.to_str())
        .is_some_and(|x| EXTENSIONS.iter().any(|w| x.eq_ignore_ascii_case(w)))
}

/// Canonical directories, looked up once each.
type Dirs = HashMap<PathBuf, PathBuf>;

/// A file as a walk sees it: `Found` (checked if it reads as a postmortem), `File` (an
/// `include` glob names it: always checked), or why it is skipped.
fn filter(path: &Path, resolver: &mut Resolver, dirs: &mut Dirs) -> Result<Input, Skip> {
    if !has_extension(path) {
        return Err(Skip::Extension);
    }
    // A broken configuration is reported when the file is checked.
    let config = resolver.for_file(Some(path)).ok();
    let globs = config
        .as_deref()
        .filter(|c| !c.include.is_empty() || !c.exclude.is_empty());
    let mut named = false;
    if let Some(c) = globs {
        let parent = path.parent().filter(|p| !p.as_os_str().is_empty());
        let parent = parent.unwrap_or(Path::new("."));
        let dir = dirs
            .entry(parent.to_path_buf())
            .or_insert_with(|| absolute(parent));
        let full = dir.join(path.file_name().unwrap_or_default());
        if let Some(glob) = c.exclude.find(&full) {
            return Err(Skip::Excluded(glob.to_string()));
        }
        if !c.include.is_empty() {
            c.include.find(&full).ok_or(Skip::NotIncluded)?;
            // `include = ["docs/README.md"]` names the file: the user says it is one.
            named = c.include.names(&full);
        }
    }
    if named {
        return Ok(Input::File(path.to_path_buf()));
    }
    if not_a_postmortem_by_name(path) {
        return Err(Skip::Name);
    }
    Ok(Input::Found(path.to_path_buf()))
}

fn display(p: &Path) -> String {
    let s = p.to_string_lossy();
    s.strip_prefix("./").unwrap_or(&s).to_string()
}

/// Names listed in a one-line message before "and N more".
const NAMES_SHOWN: usize = 3;

impl Log {
    /// Records the result for input `index` (in input order): checked, or skipped for `why`.
    pub fn saw(&mut self, index: usize, path: &str, why: Option<&Skip>) {
        let walk = self.origin.get(index).copied().flatten();
        match (why, walk.and_then(|w| self.walks.get_mut(w))) {
            (None, Some(w)) => w.checked += 1,
            (None, None) => {}
            (Some(why), Some(w)) => w.skipped.push((path.to_string(), why.clone())),
            (Some(why), None) => self.named.push((path.to_string(), why.clone())),
        }
    }

    /// The lines for standard error: with `verbose`, every skipped file and why; always, a
    /// warning for each directory in which nothing was checked, and a note naming documents
    /// skipped for their content elsewhere (a draft that lost its headings should not pass
    /// unnoticed).
    pub fn messages(&self, verbose: bool) -> Vec<String> {
        let mut out = Vec::new();
        let all = || {
            self.named
                .iter()
                .chain(self.walks.iter().flat_map(|w| &w.skipped))
        };
        if verbose {
            out.extend(all().map(|(path, why)| format!("skipped {path}: {why}")));
        }
        for w in self.walks.iter().filter(|w| w.checked == 0) {
            let mut dir = display(&w.dir);
            if dir.is_empty() || dir == "." {
                dir = "./".into();
            } else if !dir.ends_with('/') {
                dir.push('/');
            }
            let detail = if w.skipped.is_empty() {
                "no .md, .markdown or .txt files".to_string()
            } else {
                let why = if verbose { "" } else { "; --verbose says why" };
                format!(
                    "{} skipped: {}{why}",
                    plural(w.skipped.len(), "file"),
                    names(w.skipped.iter().map(|(p, _)| p.as_str()), w.skipped.len())
                )
            };
            out.push(format!(
                "warning: no postmortems found under {dir} ({detail})"
            ));
        }
        if !verbose {
            let by_content: Vec<&str> = self
                .named
                .iter()
                .chain(
                    self.walks
                        .iter()
                        .filter(|w| w.checked > 0)
                        .flat_map(|w| &w.skipped),
                )
                .filter(|(_, why)| *why == Skip::Content)
                .map(|(p, _)| p.as_str())
                .collect();
            if !by_content.is_empty() {
                out.push(format!(
                    "note: skipped {} with no timeline and no heading or field of a required kind: {} (name a file to check it anyway)",
                    plural(by_content.len(), "document"),
                    names(by_content.iter().copied(), by_content.len())
                ));
            }
        }
        out
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn names<'a>(list: impl Iterator<Item = &'a str>, len: usize) -> String {
    let shown: Vec<&str> = list.take(NAMES_SHOWN).collect();
    let mut s = shown.join(", ");
    if len > NAMES_SHOWN {
        s.push_str(&format!(" and {} more", len - NAMES_SHOWN));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repository_files_are_known_by_name() {
        for name in [
            "README.md",
            "docs/readme.markdown",
            "CHANGELOG.md",
            "CODE_OF_CONDUCT.md",
            "code-of-conduct.md",
            "LICENSE.txt",
            "ARCHITECTURE.md",
            "README.de.md",
            "requirements.txt",
        ] {
            assert!(not_a_postmortem_by_name(Path::new(name)), "{name}");
        }
        for name in [
            "2024-05-01-readme-outage.md",
            "postmortem.md",
            "licensing-server-outage.md",
            "changes-to-dns.txt",
        ] {
            assert!(!not_a_postmortem_by_name(Path::new(name)), "{name}");
        }
    }

    #[test]
    fn globs_are_relative_to_their_root_and_undo_with_bang() {
        let root = std::env::temp_dir();
        let root = absolute(&root);
        let globs = Globs::new(
            &root,
            &[
                "**/drafts/**".into(),
                "!**/drafts/keep.md".into(),
                "old/".into(),
            ],
        )
        .expect("globs");
        assert_eq!(
            globs.find(&root.join("a/drafts/x.md")),
            Some("**/drafts/**")
        );
        assert_eq!(globs.find(&root.join("a/drafts/keep.md")), None);
        assert_eq!(globs.find(&root.join("old/deep/x.md")), Some("old/"));
        assert_eq!(globs.find(&root.join("a/x.md")), None);
        let anchored = Globs::new(&root, &["docs/*.md".into()]).expect("globs");
        assert!(anchored.find(&root.join("docs/a.md")).is_some());
        assert!(anchored.find(&root.join("x/docs/a.md")).is_none());
        // A path outside the root does not panic.
        assert!(anchored.find(Path::new("/elsewhere/docs/a.md")).is_none());
        assert!(Globs::default().is_empty());
        // Only a glob with a plain file name names a file, wherever it stands in the list.
        let include = Globs::new(&root, &["README.md".into(), "*.md".into()]).expect("globs");
        assert!(include.names(&root.join("docs/README.md")));
        assert!(!include.names(&root.join("docs/other.md")));
        let include = Globs::new(&root, &["docs/".into(), "docs/*.md".into()]).expect("globs");
        assert!(!include.names(&root.join("docs/README.md")));
    }
}
