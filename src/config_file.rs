//! `pmlint.toml` (or `.pmlint.toml`): a team's conventions, found by walking up from each
//! checked file's own directory (the nearest file wins; `extend` inherits from another).
//!
//! Unknown keys and bad values are errors that name the file, the line and the key, with a
//! "did you mean" for near misses.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use schemars::JsonSchema;
use serde::Deserialize;

use crate::config::{Config, Profile};
use crate::diagnostic::Severity;
use crate::document::KindTable;
use crate::rules;
use crate::timeline::DateOrder;

pub const FILE_NAMES: &[&str] = &["pmlint.toml", ".pmlint.toml"];

/// The file as written. Every field is optional: a file sets only what a team changes.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FileConfig {
    /// Another configuration file to inherit from, relative to this one.
    pub extend: Option<String>,
    /// Review profile: `default`, or `strict` (owners and due dates required).
    pub profile: Option<ProfileName>,
    pub sections: Option<Sections>,
    /// Severity per rule, by code or name: `"off"`, `"info"`, `"warning"` or `"error"`.
    pub rules: Option<BTreeMap<String, SeverityName>>,
    pub time: Option<TimeSettings>,
    /// Globs (gitignore syntax, relative to this file) of the files a directory walk checks
    /// (default: every *.md, *.markdown and *.txt that is not plainly something else).
    pub include: Option<Vec<String>>,
    /// Globs (gitignore syntax, relative to this file) of files a directory walk skips;
    /// with `--force-exclude`, files named on the command line too.
    pub exclude: Option<Vec<String>>,
    /// A directory of templates for `pmlint new`, relative to this file.
    pub templates_dir: Option<String>,
    /// Where `pmlint new` writes drafts, relative to this file (default: the current directory).
    pub postmortems_dir: Option<String>,
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Sections {
    /// Section kinds every postmortem must have. Built-in kinds: summary, impact,
    /// root-cause, trigger, detection, timeline, resolution, corrective-actions,
    /// lessons-learned; a new name adds a kind (give it aliases in the same file).
    pub required: Option<Vec<String>>,
    /// Extra heading names per kind: `{ lessons-learned = ["What we learned"] }`.
    pub aliases: Option<BTreeMap<String, Vec<String>>>,
    /// Every required kind under a heading (or field) of its own; by default a kind that a
    /// reader can find in prose (an opening summary, "the root cause was ...") counts.
    pub require_headings: Option<bool>,
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TimeSettings {
    /// Zone for times that state none (`UTC`, `CET`, `Europe/Berlin`).
    pub timezone: Option<String>,
    /// How to read numeric dates the document does not settle: `mdy` or `dmy`.
    pub date_order: Option<DateOrderName>,
    /// Minutes a stated duration or window may differ from the times before it is reported
    /// (duration-mismatch, window-mismatch); the default is 5 minutes or 10%, whichever is more.
    pub tolerance_minutes: Option<u32>,
    /// Days an in-order timeline entry may lie outside the window (lead-up deploys,
    /// follow-ups) before outside-window reports it; default 7.
    pub window_slack_days: Option<u32>,
}

#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ProfileName {
    Default,
    Strict,
}

#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum SeverityName {
    Off,
    Info,
    Warning,
    Error,
}

#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum DateOrderName {
    Mdy,
    Dmy,
}

/// A configuration error, located in its file (line 0: the file as a whole, which could
/// not be read).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.path, self.message)
        } else {
            write!(
                f,
                "{}:{}:{}: {}",
                self.path, self.line, self.column, self.message
            )
        }
    }
}

impl std::error::Error for ConfigError {}

/// Why a file could not be used: unreadable (the reason), or read and wrong.
enum LoadError {
    Read(String),
    Invalid(ConfigError),
}

impl From<ConfigError> for LoadError {
    fn from(e: ConfigError) -> Self {
        LoadError::Invalid(e)
    }
}

/// The JSON Schema of the file, for editors (`pmlint config --schema`).
pub fn schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(FileConfig)).unwrap_or_default()
}

fn locate(path: &Path, text: &str, offset: usize) -> (usize, usize) {
    let idx = crate::source::LineIndex::new(text);
    let p = idx.position(text, offset);
    let _ = path;
    (p.line, p.column)
}

fn error_at(path: &Path, text: &str, offset: usize, message: String) -> ConfigError {
    let (line, column) = locate(path, text, offset);
    ConfigError {
        path: path.display().to_string(),
        line,
        column,
        message,
    }
}

/// The closest of `options` to `word`, when it is close enough to be a typo.
pub fn did_you_mean<'a>(word: &str, options: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    options
        .into_iter()
        .map(|o| (strsim_distance(word, o), o))
        .filter(|(d, o)| *d <= 2.max(o.len() / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, o)| o)
}

/// Levenshtein distance; configuration keys are short, so the quadratic table is tiny.
fn strsim_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) =
        (a.chars().take(64).collect(), b.chars().take(64).collect());
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Keys that belong above every table.
const TOP_LEVEL: &[&str] = &[
    "extend",
    "profile",
    "include",
    "exclude",
    "templates-dir",
    "postmortems-dir",
];

/// The `[table]` header in force at `offset`, if any.
fn table_before(text: &str, offset: usize) -> Option<&str> {
    let before = text.get(..offset)?;
    before.lines().rev().find_map(|l| {
        let l = l.trim();
        (l.starts_with('[') && !l.starts_with("[[") && l.ends_with(']'))
            .then(|| l.trim_matches(['[', ']']).trim())
    })
}

/// Reads one file (not following `extend`).
pub fn read(path: &Path) -> Result<FileConfig, ConfigError> {
    match load(path) {
        Ok((file, _)) => Ok(file),
        Err(LoadError::Read(reason)) => Err(unreadable(path, &reason)),
        Err(LoadError::Invalid(e)) => Err(e),
    }
}

fn unreadable(path: &Path, reason: &str) -> ConfigError {
    ConfigError {
        path: path.display().to_string(),
        line: 0,
        column: 0,
        message: format!("cannot read configuration file: {reason}"),
    }
}

/// Reads and parses one file, keeping its text to locate later errors in.
fn load(path: &Path) -> Result<(FileConfig, String), LoadError> {
    let fail = |e: std::io::Error| LoadError::Read(crate::runner::io_reason(&e));
    // A configuration is a small regular file: `extend = "/dev/zero"` must not read forever.
    let file = std::fs::File::open(path).map_err(fail)?;
    if !file.metadata().map_err(fail)?.is_file() {
        return Err(LoadError::Read("not a regular file".into()));
    }
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(
        &mut std::io::Read::take(file, MAX_CONFIG_BYTES + 1),
        &mut bytes,
    )
    .map_err(fail)?;
    if bytes.len() as u64 > MAX_CONFIG_BYTES {
        return Err(LoadError::Read(format!(
            "larger than {} KiB; not a configuration file",
            MAX_CONFIG_BYTES >> 10
        )));
    }
    let text = String::from_utf8(bytes).map_err(|_| LoadError::Read("not valid UTF-8".into()))?;
    let file = parse(path, &text)?;
    Ok((file, text))
}

/// Configurations are a few hundred bytes; a megabyte is already absurd.
const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

pub fn parse(path: &Path, text: &str) -> Result<FileConfig, ConfigError> {
    let file: FileConfig = toml::from_str(text).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        let mut message = e.message().trim().to_string();
        // "unknown field `requied`, expected one of `required`, `aliases`"
        if let Some(rest) = message.strip_prefix("unknown field `")
            && let Some((field, expected)) = rest.split_once('`')
        {
            let options: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
            if let Some(table) = table_before(text, offset).filter(|_| TOP_LEVEL.contains(&field))
            {
                // TOML puts a key written after `[time]` into `[time]`.
                message = format!(
                    "`{field}` is a top-level key; here it is inside `[{table}]`: move it above the first table"
                );
            } else if let Some(best) = did_you_mean(field, options.iter().copied()) {
                message.push_str(&format!("; did you mean `{best}`?"));
            }
        }
        error_at(path, text, offset, message)
    })?;
    // Rule names are checked here: serde sees only a map of strings.
    if let Some(rules_map) = &file.rules {
        for key in rules_map.keys() {
            if rules::find(key).is_none() {
                let offset = find_key(text, key);
                let names = rules::RULES.iter().flat_map(|r| [r.code, r.name]);
                let hint = did_you_mean(key, names)
                    .map(|b| format!("; did you mean `{b}`?"))
                    .unwrap_or_default();
                return Err(error_at(
                    path,
                    text,
                    offset,
                    format!("unknown rule `{key}` in [rules]{hint}"),
                ));
            }
        }
    }
    if let Some(tz) = file.time.as_ref().and_then(|t| t.timezone.as_deref())
        && crate::time::zone::abbreviation(tz).is_none()
        && crate::time::zone::iana(tz).is_none()
    {
        let offset = text.find(tz).unwrap_or(0);
        return Err(error_at(
            path,
            text,
            offset,
            format!(
                "unknown time zone `{tz}` (use an abbreviation such as UTC or an IANA name such as Europe/Berlin)"
            ),
        ));
    }
    Ok(file)
}

/// Where `word` first stands as a whole word (a key, or a quoted value) outside comments;
/// 0 if nowhere.
fn find_key(text: &str, word: &str) -> usize {
    let part = |c: char| c.is_alphanumeric() || matches!(c, '-' | '_');
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        if !line.trim_start().starts_with('#') {
            let code = line.split(" #").next().unwrap_or(line);
            for (i, _) in code.match_indices(word) {
                let before = code[..i].chars().next_back();
                let after = code[i + word.len()..].chars().next();
                if !before.is_some_and(part) && !after.is_some_and(part) {
                    return line_start + i;
                }
            }
        }
        line_start += line.len();
    }
    0
}

/// Applies a file (and what it extends, first) to a configuration.
pub fn apply(path: &Path, config: &mut Config, depth: usize) -> Result<(), ConfigError> {
    match apply_file(path, config, depth) {
        Ok(()) => Ok(()),
        Err(LoadError::Read(reason)) => Err(unreadable(path, &reason)),
        Err(LoadError::Invalid(e)) => Err(e),
    }
}

fn apply_file(path: &Path, config: &mut Config, depth: usize) -> Result<(), LoadError> {
    let (file, text) = load(path)?;
    let dir = path.parent().unwrap_or(Path::new("."));
    if let Some(ext) = &file.extend {
        let base = dir.join(ext);
        let at = find_key(&text, "extend");
        if depth > 16 {
            return Err(error_at(
                path,
                &text,
                at,
                "`extend` goes more than 16 files deep (a cycle?)".into(),
            )
            .into());
        }
        match apply_file(&base, config, depth + 1) {
            // The file that names a missing base is the one to fix.
            Err(LoadError::Read(reason)) => {
                let shown = base
                    .parent()
                    .and_then(|p| std::fs::canonicalize(p).ok())
                    .zip(base.file_name())
                    .map_or_else(|| base.clone(), |(p, name)| p.join(name));
                let message = format!(
                    "extend = \"{ext}\": cannot read {}: {reason}",
                    shown.display()
                );
                return Err(error_at(path, &text, at, message).into());
            }
            other => other?,
        }
    }
    check_kinds(path, &text, &file, &config.kinds)?;
    if let Some(p) = file.profile {
        config.profile = match p {
            ProfileName::Default => Profile::Default,
            ProfileName::Strict => Profile::Strict,
        };
    }
    if let Some(sections) = &file.sections {
        if let Some(aliases) = &sections.aliases {
            for (kind, names) in aliases {
                let id = config.kinds.add_kind(kind, kind);
                for n in names {
                    config.kinds.add_alias(id, n);
                }
            }
        }
        if let Some(r) = sections.require_headings {
            config.require_headings = Some(r);
        }
        if let Some(required) = &sections.required {
            config.required = required
                .iter()
                .map(|k| config.kinds.add_kind(k, k))
                .collect();
        }
    }
    if let Some(map) = &file.rules {
        for (key, sev) in map {
            if let Some(r) = rules::find(key) {
                config.severity.insert(
                    r.code,
                    match sev {
                        SeverityName::Off => Severity::Off,
                        SeverityName::Info => Severity::Info,
                        SeverityName::Warning => Severity::Warning,
                        SeverityName::Error => Severity::Error,
                    },
                );
            }
        }
    }
    if let Some(time) = &file.time {
        if let Some(order) = time.date_order {
            config.date_order = Some(match order {
                DateOrderName::Mdy => DateOrder::MonthFirst,
                DateOrderName::Dmy => DateOrder::DayFirst,
            });
        }
        if let Some(m) = time.tolerance_minutes {
            config.tolerance_minutes = Some(i64::from(m));
        }
        if let Some(d) = time.window_slack_days {
            config.window_slack_days = Some(i64::from(d));
        }
        if let Some(tz) = &time.timezone {
            config.timezone = crate::time::zone::abbreviation(tz)
                .map(|z| z.0)
                .or_else(|| crate::time::zone::iana(tz));
        }
    }
    // Globs are relative to the file that sets them.
    let globs = |patterns: &[String]| {
        crate::discover::Globs::new(dir, patterns).map_err(|(glob, why)| {
            let at = if glob.is_empty() {
                0
            } else {
                text.find(&glob).unwrap_or(0)
            };
            error_at(path, &text, at, format!("bad glob `{glob}`: {why}"))
        })
    };
    if let Some(patterns) = &file.include {
        config.include = globs(patterns)?;
    }
    if let Some(patterns) = &file.exclude {
        config.exclude = globs(patterns)?;
    }
    if let Some(d) = &file.postmortems_dir {
        config.postmortems_dir = Some(dir.join(d));
    }
    if let Some(d) = &file.templates_dir {
        config.templates_dir = Some(dir.join(d));
    }
    Ok(())
}

const MAX_KINDS: usize = 64;

/// Every kind `[sections]` names must be one pmlint knows (built in, or added by a file this
/// one extends), or a new kind this file both requires and gives aliases: a typo such as
/// `lesons-learned` would otherwise require a kind no heading can ever match, or give
/// aliases to one nothing requires.
fn check_kinds(
    path: &Path,
    text: &str,
    file: &FileConfig,
    kinds: &KindTable,
) -> Result<(), ConfigError> {
    let Some(sections) = &file.sections else {
        return Ok(());
    };
    let required_list = sections.required.as_deref().unwrap_or_default();
    let required: HashSet<&str> = required_list.iter().map(String::as_str).collect();
    let aliased: HashSet<&str> = sections
        .aliases
        .iter()
        .flat_map(|a| a.keys())
        .map(String::as_str)
        .collect();
    let named = required_list.iter().map(|k| (k.as_str(), false)).chain(
        sections
            .aliases
            .iter()
            .flat_map(|a| a.keys())
            .map(|k| (k.as_str(), true)),
    );
    let mut added = HashSet::new();
    for (kind, is_alias) in named {
        if kinds.id(kind).is_some() {
            continue;
        }
        let new_kind = if is_alias {
            required.contains(kind)
        } else {
            aliased.contains(kind)
        };
        // A new kind one letter from a known one is a typo made twice.
        let near = did_you_mean(kind, kinds.names());
        if new_kind && near.is_none_or(|n| strsim_distance(kind, n) > 1) {
            added.insert(kind.to_ascii_lowercase());
            // Kinds are kept in a 64-bit set.
            if kinds.names().count() + added.len() > MAX_KINDS {
                return Err(error_at(
                    path,
                    text,
                    find_key(text, kind),
                    format!(
                        "too many section kinds: pmlint keeps at most {MAX_KINDS}, built-in ones included"
                    ),
                ));
            }
            continue;
        }
        let place = if is_alias { "aliases" } else { "required" };
        let mut hint = match near {
            Some(n) => format!("did you mean `{n}`? "),
            None => format!(
                "known kinds: {}; ",
                kinds.names().collect::<Vec<_>>().join(", ")
            ),
        };
        hint.push_str(if new_kind {
            "a new kind needs a name further from the known ones"
        } else if is_alias {
            "a new kind must also be listed in `required`"
        } else {
            "a new kind needs `aliases`, the headings that name it"
        });
        return Err(error_at(
            path,
            text,
            find_key(text, kind),
            format!("unknown section kind `{kind}` in [sections] {place}; {hint}"),
        ));
    }
    Ok(())
}

/// Finds the configuration for each file: walking up from its directory, cached per directory.
pub struct Resolver {
    /// Shared as is by every directory without a configuration file.
    base: Arc<Config>,
    /// Severities and profile set on the command line: they win over any file.
    overrides: HashMap<&'static str, Severity>,
    strict_flag: bool,
    /// `--config FILE` (used for every file) or `--no-config`.
    fixed: Option<Option<PathBuf>>,
    by_dir: HashMap<PathBuf, Result<Arc<Config>, ConfigError>>,
}

impl Resolver {
    pub fn new(base: Config, explicit: Option<PathBuf>, no_config: bool) -> Self {
        let fixed = if no_config {
            Some(None)
        } else {
            explicit.map(Some)
        };
        Resolver {
            base: Arc::new(base),
            overrides: HashMap::new(),
            strict_flag: false,
            fixed,
            by_dir: HashMap::new(),
        }
    }

    /// Command-line choices that must win over the configuration files.
    pub fn with_overrides(
        mut self,
        severity: HashMap<&'static str, Severity>,
        strict: bool,
    ) -> Self {
        self.overrides = severity;
        self.strict_flag = strict;
        self
    }

    /// `--config FILE` loaded up front: one error for the run, naming the file, rather than
    /// the same error for every checked file.
    pub fn explicit_error(&mut self) -> Option<ConfigError> {
        match self.fixed {
            Some(Some(_)) => self.for_file(None).err(),
            _ => None,
        }
    }

    /// The configuration for a file (or for standard input: the current directory's).
    pub fn for_file(&mut self, file: Option<&Path>) -> Result<Arc<Config>, ConfigError> {
        // `--config` and `--no-config` give every directory the same answer.
        let dir = if self.fixed.is_some() {
            PathBuf::new()
        } else {
            Self::dir_of(file)
        };
        if let Some(r) = self.by_dir.get(&dir) {
            return r.clone();
        }
        let found = match &self.fixed {
            Some(choice) => choice.clone(),
            None => find_upwards(&dir),
        };
        let result = self.resolve(found);
        self.by_dir.insert(dir, result.clone());
        result
    }

    fn dir_of(file: Option<&Path>) -> PathBuf {
        file.and_then(|f| f.parent())
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf()
    }

    fn resolve(&self, found: Option<PathBuf>) -> Result<Arc<Config>, ConfigError> {
        match found {
            None => Ok(Arc::clone(&self.base)),
            Some(path) => {
                let mut config = Config::clone(&self.base);
                apply(&path, &mut config, 0).map(|_| {
                    config
                        .severity
                        .extend(self.overrides.iter().map(|(k, v)| (*k, *v)));
                    if self.strict_flag {
                        config.profile = Profile::Strict;
                    }
                    Arc::new(config)
                })
            }
        }
    }
}

/// The nearest configuration file in `dir` or above it. A directory that does not exist (the
/// `--stdin-filename` of a new file) is looked up from where it would be.
fn find_upwards(dir: &Path) -> Option<PathBuf> {
    let start = std::fs::canonicalize(dir)
        .or_else(|_| std::path::absolute(dir))
        .unwrap_or_else(|_| dir.to_path_buf());
    start
        .ancestors()
        .take(64)
        .flat_map(|d| FILE_NAMES.iter().map(move |n| d.join(n)))
        .find(|p| p.is_file())
}

/// The starter file `pmlint init` writes.
pub const STARTER: &str = r#"# pmlint configuration. pmlint uses the nearest pmlint.toml above each file it checks.
# Every key is optional; `pmlint config --schema` prints the JSON Schema for editors.

# extend = "../pmlint.toml"        # inherit from another file first

# Review profile: "default", or "strict" (every action item needs an owner and a due date).
profile = "default"

# Top-level keys go above the first [table]: below it, TOML reads them as that table's keys.
# include = ["docs/postmortems/**/*.md"]
# exclude = ["**/drafts/**"]
# templates-dir = "postmortem-templates"   # your own `pmlint new` templates
# postmortems-dir = "docs/postmortems"      # where `pmlint new` writes drafts

[sections]
# Kinds every postmortem must have. Add your own (give them aliases below).
required = ["summary", "impact", "root-cause", "timeline", "resolution", "corrective-actions"]
# Extra heading names per kind.
# aliases = { lessons-learned = ["What we learned"] }
# Every kind under its own heading; by default prose that states it counts.
# require-headings = true

[rules]
# Severity per rule, by code or name: "off", "info", "warning" or "error".
# timeline-untimed = "off"
# PM205 = "error"

[time]
# timezone = "UTC"         # for times that state no zone
# date-order = "dmy"       # how to read 03/04/2023 when the document does not settle it
# tolerance-minutes = 5    # allowed difference between a stated duration and its times
# window-slack-days = 7    # how far in-order lead-up and follow-up entries may lie outside
"#;

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> ConfigError {
        parse(Path::new("pmlint.toml"), text).expect_err("an error")
    }

    #[test]
    fn unknown_keys_name_the_line_and_suggest() {
        let e = err("profile = \"strict\"\n\n[sections]\nrequied = [\"summary\"]\n");
        assert_eq!((e.line, e.column), (4, 1));
        assert!(
            e.message.contains("did you mean `required`?"),
            "{}",
            e.message
        );
        let e = err("[rules]\ntimeline-untimd = \"off\"\n");
        assert_eq!(e.line, 2);
        assert!(
            e.message.contains("did you mean `timeline-untimed`?"),
            "{}",
            e.message
        );
        let e = err("[rules]\nPM201 = \"loud\"\n");
        assert_eq!(e.line, 2);
        let e = err("[time]\ntimezone = \"Mars/Olympus\"\n");
        assert!(e.message.contains("unknown time zone"));
    }

    #[test]
    fn starter_file_parses() {
        parse(Path::new("pmlint.toml"), STARTER).expect("the starter is valid");
    }

    /// Every commented-out setting of the starter, uncommented, still loads: the top-level
    /// keys sit above the first table.
    #[test]
    fn starter_with_every_setting_uncommented_parses() {
        let uncommented: String = STARTER
            .lines()
            .map(|l| match l.strip_prefix("# ") {
                Some(rest)
                    if rest.split_once(" = ").is_some_and(|(k, _)| {
                        k.chars().all(|c| c.is_ascii_lowercase() || c == '-')
                    }) =>
                {
                    rest
                }
                _ => l,
            })
            .map(|l| format!("{l}\n"))
            .collect();
        assert!(uncommented.contains("\ninclude = "), "{uncommented}");
        let file = parse(Path::new("pmlint.toml"), &uncommented).expect("uncommented starter");
        assert!(file.include.is_some() && file.templates_dir.is_some());
    }

    /// The README's example configuration loads as written.
    #[test]
    fn readme_example_parses() {
        let readme = include_str!("../README.md");
        let section = readme
            .split("### Configuration: `pmlint.toml`")
            .nth(1)
            .expect("README has the configuration section");
        let block = section
            .split("```toml\n")
            .nth(1)
            .and_then(|b| b.split("```").next())
            .expect("a toml block");
        let file = parse(Path::new("pmlint.toml"), block).expect("README example");
        assert!(file.include.is_some() && file.exclude.is_some());
    }

    #[test]
    fn keys_are_found_as_whole_words_outside_comments() {
        let text =
            "# extend = \"x\"\nprofile = \"default\" # extend\nextended = 1\nextend = \"b\"\n";
        assert_eq!(
            find_key(text, "extend"),
            text.rfind("extend = ").expect("line 4")
        );
        assert_eq!(find_key(text, "nowhere"), 0);
    }

    /// Kinds live in a 64-bit set: more would silently never match.
    #[test]
    fn more_section_kinds_than_pmlint_keeps_is_an_error() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("pmlint.toml");
        let file = |n: usize| {
            let names: Vec<String> = (0..n).map(|i| format!("\"team-kind-{i}\"")).collect();
            let aliases: Vec<String> = (0..n)
                .map(|i| format!("team-kind-{i} = [\"Team heading {i}\"]"))
                .collect();
            format!(
                "[sections]\nrequired = [{}]\n\n[sections.aliases]\n{}\n",
                names.join(", "),
                aliases.join("\n")
            )
        };
        std::fs::write(&path, file(50)).expect("write");
        apply(&path, &mut Config::default(), 0).expect("50 new kinds fit");
        std::fs::write(&path, file(60)).expect("write");
        let e = apply(&path, &mut Config::default(), 0).expect_err("too many");
        assert!(e.message.contains("too many section kinds"), "{e}");
        assert_eq!(e.line, 2);
    }

    #[test]
    fn top_level_key_inside_a_table_says_where_it_landed() {
        let e = err("[time]\ntimezone = \"UTC\"\ninclude = [\"*.md\"]\n");
        assert_eq!(e.line, 3);
        assert!(
            e.message
                .contains("`include` is a top-level key; here it is inside `[time]`"),
            "{}",
            e.message
        );
    }
}
