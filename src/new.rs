//! `pmlint new`: a draft postmortem from a template that already passes the structure checks,
//! with `placeholder` prompts exactly where the author still has to write.
//!
//! Built-in templates live in `templates/` and are compiled in; a team's `templates-dir`
//! (pmlint.toml) adds its own and overrides built-ins of the same name. Templates are
//! rendered with minijinja, in strict mode so a typo in a template is an error, not a blank.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, Utc};
use minijinja::{Environment, UndefinedBehavior, context};

use crate::time::{self, Zone};
use crate::timeline::resolve::{Context, DateOrder, resolve};

/// A template: its name, a line on what it is for, and its text.
#[derive(Debug, Clone)]
pub struct Template {
    pub name: String,
    pub description: String,
    pub source: String,
}

const BUILTIN: &[(&str, &str, &str)] = &[
    (
        "default",
        "markdown, the six required sections with short prompts",
        include_str!("../templates/default.md"),
    ),
    (
        "detailed",
        "front matter with milestones and severity, summary and timeline tables, lessons learned, an action-item table",
        include_str!("../templates/detailed.md"),
    ),
    (
        "plain",
        "plain-text `Label:` sections, for wikis and tickets that do not render markdown",
        include_str!("../templates/plain.txt"),
    ),
];

#[derive(Debug, thiserror::Error)]
pub enum NewError {
    #[error("no template `{name}`; the templates are: {}", known.join(", "))]
    UnknownTemplate { name: String, known: Vec<String> },
    #[error("`--set {0}` is not `key=value`")]
    BadSet(String),
    #[error("cannot read `{0}` as a date and time (try `2026-11-20 14:02 UTC`)")]
    BadTime(String),
    #[error("template `{template}` line {line}: {message}")]
    Render {
        template: String,
        line: usize,
        message: String,
    },
    #[error("{0} already exists; pass --force to replace it")]
    Exists(PathBuf),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// The templates: built-ins, then a team directory's `*.md`/`*.txt` files (same name wins).
pub fn templates(dir: Option<&Path>) -> Vec<Template> {
    let mut out: Vec<Template> = BUILTIN
        .iter()
        .map(|(n, d, s)| Template {
            name: n.to_string(),
            description: d.to_string(),
            source: s.to_string(),
        })
        .collect();
    let Some(dir) = dir else { return out };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    let mut files: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    files.sort();
    for path in files {
        let ext_ok = path.extension().is_some_and(|x| x == "md" || x == "txt");
        let (Some(stem), true) = (path.file_stem().and_then(|s| s.to_str()), ext_ok) else {
            continue;
        };
        let Ok(source) = std::fs::read_to_string(&path) else {
            continue;
        };
        let t = Template {
            name: stem.to_string(),
            description: format!("from {}", path.display()),
            source,
        };
        match out.iter_mut().find(|x| x.name == t.name) {
            Some(slot) => *slot = t,
            None => out.push(t),
        }
    }
    out
}

/// What the author gave on the command line.
#[derive(Debug, Default, Clone)]
pub struct Values {
    pub title: Option<String>,
    pub start: Option<String>,
    pub end: Option<String>,
    pub severity: Option<String>,
    pub timezone: Option<String>,
    /// `--set key=value`, in order.
    pub set: Vec<String>,
}

/// A time from the command line, read by the timeline scanner.
fn parse_time(
    text: &str,
    zone: Option<Zone>,
) -> Result<(DateTime<FixedOffset>, Option<Zone>), NewError> {
    let found = time::scan(text)
        .into_iter()
        .find(|f| f.start.has_date())
        .ok_or_else(|| NewError::BadTime(text.to_string()))?;
    let ctx = Context {
        zone,
        ..Context::default()
    };
    let r = resolve(&found.start, DateOrder::MonthFirst, &ctx)
        .map_err(|_| NewError::BadTime(text.to_string()))?;
    if !r.dated {
        return Err(NewError::BadTime(text.to_string()));
    }
    Ok((r.at, found.start.zone))
}

/// `Database connection pool exhausted` → `database-connection-pool-exhausted`.
pub fn slug(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
        if out.len() >= 60 {
            break;
        }
    }
    let s = out.trim_matches('-').to_string();
    if s.is_empty() { "postmortem".into() } else { s }
}

/// The rendered draft and the file name it should get (`YYYY-MM-DD-slug.md`).
pub fn render(
    template: &Template,
    values: &Values,
    now: DateTime<Utc>,
) -> Result<(String, String), NewError> {
    let named_zone = values.timezone.as_deref().and_then(|z| {
        time::zone::abbreviation(z)
            .map(|z| z.0)
            .or_else(|| time::zone::iana(z))
    });
    if let (Some(z), None) = (&values.timezone, named_zone) {
        return Err(NewError::BadTime(format!("time zone {z}")));
    }
    let start = values
        .start
        .as_deref()
        .map(|s| parse_time(s, named_zone))
        .transpose()?;
    let end = values
        .end
        .as_deref()
        .map(|s| parse_time(s, named_zone))
        .transpose()?;
    // The zone: as given, else the one in --start, else UTC.
    let zone_label = values
        .timezone
        .clone()
        .or_else(|| start.as_ref().and_then(|(_, z)| z.map(|z| z.label())))
        .unwrap_or_else(|| "UTC".into());
    let start_at = start.map(|s| s.0).unwrap_or_else(|| now.fixed_offset());
    let fmt =
        |at: &DateTime<FixedOffset>| format!("{} {}", at.format("%Y-%m-%d %H:%M"), zone_label);
    let mut extra = BTreeMap::new();
    for kv in &values.set {
        let (k, v) = kv
            .split_once('=')
            .ok_or_else(|| NewError::BadSet(kv.clone()))?;
        let k = k.trim();
        if k.is_empty()
            || !k
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
        {
            return Err(NewError::BadSet(kv.clone()));
        }
        extra.insert(k.to_string(), v.trim().to_string());
    }
    let title = values
        .title
        .clone()
        .unwrap_or_else(|| "<incident title>".into());
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    let render_err = |e: minijinja::Error| NewError::Render {
        template: template.name.clone(),
        line: e.line().unwrap_or(0),
        message: e.detail().unwrap_or(&e.to_string()).to_string(),
    };
    env.add_template(&template.name, &template.source)
        .map_err(render_err)?;
    let tmpl = env.get_template(&template.name).map_err(render_err)?;
    let text = tmpl
        .render(context! {
            title => title,
            severity => values.severity.clone().unwrap_or_else(|| "<severity, e.g. SEV-2>".into()),
            timezone => zone_label.clone(),
            start => fmt(&start_at),
            start_date => start_at.format("%Y-%m-%d").to_string(),
            start_time => start_at.format("%H:%M").to_string(),
            end => end.as_ref().map(|(e, _)| fmt(e)),
            end_date => end.as_ref().map(|(e, _)| e.format("%Y-%m-%d").to_string()),
            end_time => end.as_ref().map(|(e, _)| e.format("%H:%M").to_string()),
            extra => extra,
        })
        .map_err(render_err)?;
    let name = format!(
        "{}-{}.md",
        start_at.format("%Y-%m-%d"),
        slug(values.title.as_deref().unwrap_or("postmortem"))
    );
    Ok((text, name))
}

/// Writes a new file: never over an existing one unless `force`; parent directories are
/// created; the text goes to a temporary file in the same directory and is renamed into
/// place, so the file is never half-written.
pub fn write(path: &Path, text: &str, force: bool) -> Result<(), NewError> {
    let io = |source| NewError::Io {
        path: path.to_path_buf(),
        source,
    };
    if !force && path.exists() {
        return Err(NewError::Exists(path.to_path_buf()));
    }
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(io)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(io)?;
    std::io::Write::write_all(&mut tmp, text.as_bytes()).map_err(io)?;
    tmp.as_file().sync_all().map_err(io)?;
    if force {
        tmp.persist(path).map_err(|e| io(e.error))?;
    } else {
        // Even if the file appeared since the check above, do not replace it.
        tmp.persist_noclobber(path).map_err(|e| {
            if e.error.kind() == std::io::ErrorKind::AlreadyExists {
                NewError::Exists(path.to_path_buf())
            } else {
                io(e.error)
            }
        })?;
    }
    Ok(())
}

/// Picks a template by name.
pub fn find<'a>(all: &'a [Template], name: &str) -> Result<&'a Template, NewError> {
    all.iter()
        .find(|t| t.name == name)
        .ok_or_else(|| NewError::UnknownTemplate {
            name: name.to_string(),
            known: all.iter().map(|t| t.name.clone()).collect(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_and_names() {
        assert_eq!(
            slug("Database connection pool exhausted"),
            "database-connection-pool-exhausted"
        );
        assert_eq!(slug("  API: 502s / EU!! "), "api-502s-eu");
        assert_eq!(slug("***"), "postmortem");
    }
}
