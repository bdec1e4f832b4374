//! `pmlint.toml` (or `.pmlint.toml`): a team's conventions, found by walking up from each
//! checked file's own directory (the nearest file wins; `extend` inherits from another).
//!
//! Unknown keys and bad values are errors that name the file, the line and the key, with a
//! "did you mean" for near misses.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use schemars::JsonSchema;
use serde::Deserialize;

use crate::config::{Config, Profile};
use crate::diagnostic::Severity;
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
    /// Globs of files to check when walking directories (default: *.md, *.markdown, *.txt).
    pub include: Option<Vec<String>>,
    /// Globs of files to skip when walking directories.
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
    /// lessons-learned; a new name adds a kind (give it aliases).
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

/// A configuration error, located in its file.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
#[error("{path}:{line}:{column}: {message}")]
pub struct ConfigError {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
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
    let fail = |message: String| ConfigError {
        path: path.display().to_string(),
        line: 1,
        column: 1,
        message,
    };
    // A configuration is a small regular file: `extend = "/dev/zero"` must not read forever.
    let file = std::fs::File::open(path).map_err(|e| fail(e.to_string()))?;
    if !file.metadata().map_err(|e| fail(e.to_string()))?.is_file() {
        return Err(fail("not a regular file".into()));
    }
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(
        &mut std::io::Read::take(file, MAX_CONFIG_BYTES + 1),
        &mut bytes,
    )
    .map_err(|e| fail(e.to_string()))?;
    if bytes.len() as u64 > MAX_CONFIG_BYTES {
        return Err(fail(format!(
            "larger than {} KiB; not a configuration file",
            MAX_CONFIG_BYTES >> 10
        )));
    }
    let text = String::from_utf8(bytes).map_err(|_| fail("not valid UTF-8".into()))?;
    parse(path, &text)
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
                let offset = text.find(key.as_str()).unwrap_or(0);
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

/// Applies a file (and what it extends, first) to a configuration.
pub fn apply(path: &Path, config: &mut Config, depth: usize) -> Result<(), ConfigError> {
    let file = read(path)?;
    if let Some(ext) = &file.extend {
        let base = path.parent().unwrap_or(Path::new(".")).join(ext);
        if depth > 16 {
            return Err(ConfigError {
                path: path.display().to_string(),
                line: 1,
                column: 1,
                message: "`extend` goes more than 16 files deep (a cycle?)".into(),
            });
        }
        apply(&base, config, depth + 1)?;
    }
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
    if let Some(globs) = &file.include {
        config.include = globs.clone();
    }
    if let Some(globs) = &file.exclude {
        config.exclude = globs.clone();
    }
    if let Some(dir) = &file.postmortems_dir {
        config.postmortems_dir = Some(path.parent().unwrap_or(Path::new(".")).join(dir));
    }
    if let Some(dir) = &file.templates_dir {
        config.templates_dir = Some(path.parent().unwrap_or(Path::new(".")).join(dir));
    }
    Ok(())
}

/// Finds the configuration for each file: walking up from its directory, cached per directory.
pub struct Resolver {
    base: Config,
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
            base,
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

    /// The configuration for a file (or for standard input: the current directory's).
    pub fn for_file(&mut self, file: Option<&Path>) -> Result<Arc<Config>, ConfigError> {
        let dir = file
            .and_then(|f| f.parent())
            .map(|p| {
                if p.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    p
                }
            })
            .unwrap_or(Path::new("."))
            .to_path_buf();
        if let Some(r) = self.by_dir.get(&dir) {
            return r.clone();
        }
        let found = match &self.fixed {
            Some(choice) => choice.clone(),
            None => find_upwards(&dir),
        };
        let result = match found {
            None => Ok(Arc::new(self.base.clone())),
            Some(path) => {
                let mut config = self.base.clone();
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
        };
        self.by_dir.insert(dir, result.clone());
        result
    }
}

fn find_upwards(dir: &Path) -> Option<PathBuf> {
    let start = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
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
