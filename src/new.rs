//! `pmlint new`: a draft postmortem from a template that already passes the structure checks,
//! with `placeholder` prompts exactly where the author still has to write.
//!
//! Built-in templates live in `templates/` and are compiled in; a team's `templates-dir`
//! (pmlint.toml) adds its own and overrides built-ins of the same name. Templates are
//! rendered with minijinja, in strict mode so a typo in a template is an error, not a blank.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Datelike, FixedOffset, Utc};
use minijinja::{Environment, UndefinedBehavior, context};

use crate::time::{self, DateOrderHint, Stamp, Zone};
use crate::timeline::resolve::{Context, DateOrder, Precision, Unresolved, resolve};

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
    /// `flag` is the option (`start`, `end`); `why` names the value.
    #[error("--{flag}: {why}")]
    BadTime { flag: &'static str, why: String },
    #[error(
        "--timezone: `{text}` is not a time zone{}; give an abbreviation (UTC, PST, CET), an IANA name (Europe/Berlin) or an offset (UTC-08:00)",
        hint.as_ref().map(|h| format!(" (did you mean `{h}`?)")).unwrap_or_default()
    )]
    UnknownZone { text: String, hint: Option<String> },
    #[error("--end `{end}` is before --start `{start}`: the incident must end after it starts")]
    EndBeforeStart { start: String, end: String },
    #[error("--{0} holds a line break or control character; give it on one line")]
    ControlChar(String),
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

/// An example of what `--start`/`--end` read, for error messages.
const TIME_EXAMPLE: &str = "try `2026-11-20 14:02 UTC`";

/// The zone the draft is written in, and how it is written: as the author wrote it (`PST`,
/// `Europe/Berlin`), else in a form pmlint reads back (`UTC-08:00`).
#[derive(Debug, Clone)]
struct DocZone {
    zone: Zone,
    label: String,
}

impl DocZone {
    fn utc() -> Self {
        DocZone {
            zone: Zone::Fixed(0),
            label: "UTC".into(),
        }
    }

    /// The canonical label of a zone nobody named in words.
    fn of(zone: Zone) -> Self {
        let label = match zone {
            Zone::Fixed(0) => "UTC".to_string(),
            Zone::Fixed(_) => format!("UTC{}", zone.label()),
            Zone::Named(tz) => tz.name().to_string(),
        };
        DocZone { zone, label }
    }

    /// The same instant on this zone's clock.
    fn local(&self, at: DateTime<FixedOffset>) -> DateTime<FixedOffset> {
        match self.zone {
            Zone::Fixed(secs) => FixedOffset::east_opt(secs).map_or(at, |o| at.with_timezone(&o)),
            Zone::Named(tz) => at.with_timezone(&tz).fixed_offset(),
        }
    }
}

/// `--timezone`: an abbreviation (any case), an offset (`UTC-8`, `-08:00`) or an IANA name
/// (any case); anything else is an error with the nearest known name.
fn parse_zone(text: &str) -> Result<DocZone, NewError> {
    let t = text.trim();
    let upper = t.to_ascii_uppercase();
    if let Some((zone, _)) = time::zone::abbreviation(&upper) {
        let label = if upper == "Z" { "UTC".into() } else { upper };
        return Ok(DocZone { zone, label });
    }
    let offset = time::zone::signed_offset(t).or_else(|| {
        // `UTC-8`, `+5`: whole hours, as people type them on a command line.
        (!t.contains(':') && t.len() <= 6)
            .then(|| time::zone::signed_offset(&format!("{t}:00")))
            .flatten()
    });
    if let Some(zone) = offset {
        return Ok(DocZone::of(zone));
    }
    if t.len() <= 40
        && let Some(tz) = chrono_tz::TZ_VARIANTS
            .iter()
            .find(|tz| tz.name().eq_ignore_ascii_case(t))
    {
        return Ok(DocZone::of(Zone::Named(*tz)));
    }
    Err(NewError::UnknownZone {
        text: shown(t),
        hint: zone_hint(t),
    })
}

/// The known zone name nearest to a mistyped one: an abbreviation one or two letters off, an
/// IANA name with a typo, or the IANA zone of a city (`Berlin` → `Europe/Berlin`).
fn zone_hint(text: &str) -> Option<String> {
    if text.len() > 40 {
        return None;
    }
    let upper = text.to_ascii_uppercase();
    if upper.is_ascii()
        && let Some(a) = time::zone::abbreviations().find(|a| *a != "Z" && one_edit(&upper, a))
    {
        return Some(a.to_string());
    }
    let lower = text.to_ascii_lowercase().replace(' ', "_");
    let names: Vec<String> = chrono_tz::TZ_VARIANTS
        .iter()
        .map(|tz| tz.name().to_ascii_lowercase())
        .collect();
    let canonical = |l: &str| {
        names
            .iter()
            .position(|n| n == l)
            .and_then(|i| chrono_tz::TZ_VARIANTS.get(i))
            .map(|tz| tz.name().to_string())
    };
    if let Some(city) = names
        .iter()
        .find(|n| n.rsplit('/').next() == Some(lower.as_str()) && n.contains('/'))
    {
        return canonical(city);
    }
    crate::config_file::did_you_mean(&lower, names.iter().map(String::as_str))
        .filter(|n| n.contains('/'))
        .and_then(canonical)
}

/// Are two ASCII words one typo apart: a letter changed, added, dropped, or two swapped? Zone
/// abbreviations are short, so a looser match would suggest one for any word.
fn one_edit(a: &str, b: &str) -> bool {
    let (a, b) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let (x, y) = (a.as_bytes(), b.as_bytes());
    match y.len() - x.len() {
        0 => {
            let diff: Vec<usize> = (0..x.len()).filter(|&i| x[i] != y[i]).collect();
            match diff[..] {
                [_] => true,
                [i, j] => j == i + 1 && x[i] == y[j] && x[j] == y[i],
                _ => false,
            }
        }
        1 => (0..y.len()).any(|i| y[..i] == x[..i] && y[i + 1..] == x[i..]),
        _ => false,
    }
}

/// A value for an error message: control characters escaped and at most 80 characters.
fn shown(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().take(80) {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    if text.chars().nth(80).is_some() {
        out.push('…');
    }
    out
}

/// `--start`/`--end` as scanned: exactly one date/time expression and nothing else.
fn read_stamp(flag: &'static str, text: &str) -> Result<Stamp, NewError> {
    let t = text.trim();
    let cannot = |extra: &str| NewError::BadTime {
        flag,
        why: format!(
            "cannot read `{}` as a date and time{extra} ({TIME_EXAMPLE})",
            shown(t)
        ),
    };
    if t.is_empty() {
        return Err(NewError::BadTime {
            flag,
            why: format!("is empty ({TIME_EXAMPLE})"),
        });
    }
    if t.len() > 200 {
        return Err(cannot(""));
    }
    let found = time::scan(t);
    let Some(first) = found.first() else {
        return Err(cannot(""));
    };
    let left: String = [&t[..first.span.start], &t[first.span.end..]].join(" ");
    let left = left.trim_matches(|c: char| !c.is_alphanumeric());
    if found.len() > 1 || left.chars().any(char::is_alphanumeric) {
        return Err(cannot(&format!(": `{}` is left over", shown(left))));
    }
    if first.end.is_some() {
        return Err(NewError::BadTime {
            flag,
            why: format!(
                "`{}` is a range; give its start with --start and its end with --end",
                shown(t)
            ),
        });
    }
    if first.start.time_unknown || first.start.day_unknown {
        return Err(NewError::BadTime {
            flag,
            why: format!(
                "`{}` is a stand-in, not a time; leave --{flag} out to get a prompt in the draft",
                shown(t)
            ),
        });
    }
    Ok(first.start.clone())
}

/// A resolved `--start`/`--end`: the instant, and whether a time of day was given.
struct Given {
    text: String,
    at: DateTime<FixedOffset>,
    timed: bool,
}

fn resolve_given(
    flag: &'static str,
    text: &str,
    stamp: &Stamp,
    zone: &DocZone,
    date: Option<chrono::NaiveDate>,
) -> Result<Given, NewError> {
    let t = shown(text.trim());
    let order = match stamp.settles.or(stamp.zone_hint) {
        Some(DateOrderHint::DayFirst) => DateOrder::DayFirst,
        _ => DateOrder::MonthFirst,
    };
    let ctx = Context {
        zone: Some(zone.zone),
        date,
        ..Context::default()
    };
    let r = resolve(stamp, order, &ctx).map_err(|e| NewError::BadTime {
        flag,
        why: match e {
            Unresolved::Invalid(reason) => format!("`{t}` {reason}"),
            Unresolved::Nothing => {
                format!("cannot read `{t}` as a date and time ({TIME_EXAMPLE})")
            }
        },
    })?;
    if !r.dated || r.precision == Precision::Month {
        return Err(NewError::BadTime {
            flag,
            why: format!("`{t}` has no date ({TIME_EXAMPLE})"),
        });
    }
    let at = zone.local(r.at);
    // The draft must read back: the scanner reads four-digit years.
    if !(1000..=9999).contains(&at.year()) {
        return Err(NewError::BadTime {
            flag,
            why: format!(
                "`{t}` is {} in {}, outside the years 1000 to 9999",
                at.format("%Y-%m-%d %H:%M"),
                zone.label
            ),
        });
    }
    Ok(Given {
        text: t,
        at,
        timed: stamp.has_time(),
    })
}

/// The zone word the author wrote in `text` for `zone` (`PST` in `2026-11-20 14:02 PST`).
fn written_zone(text: &str, zone: Zone) -> DocZone {
    text.split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | ','))
        .find_map(|w| {
            let abbrev = time::zone::abbreviation(w)
                .filter(|(z, _)| *z == zone && w != "Z")
                .map(|_| w.to_ascii_uppercase());
            abbrev.or_else(|| {
                time::zone::iana(w)
                    .filter(|z| *z == zone)
                    .map(|z| DocZone::of(z).label)
            })
        })
        .map(|label| DocZone { zone, label })
        .unwrap_or_else(|| DocZone::of(zone))
}

/// Values end up on one line of the draft (and inside quoted front matter): a line break
/// would let them write structure of their own.
fn one_line(flag: &str, value: &str) -> Result<(), NewError> {
    if value.chars().any(char::is_control) {
        return Err(NewError::ControlChar(flag.to_string()));
    }
    Ok(())
}

/// A double-quoted YAML string (JSON's escapes): a title with `"` or `\` stays one value.
fn yaml_string(value: String) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
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

/// The rendered draft and the file name it should get (`YYYY-MM-DD-slug.md`). Without
/// `--start` the start is a `YYYY-MM-DD HH:MM` prompt (the file is named for `now`'s day): the
/// moment a draft is written is not when the incident started.
pub fn render(
    template: &Template,
    values: &Values,
    now: DateTime<Utc>,
) -> Result<(String, String), NewError> {
    for (flag, value) in [
        ("title", &values.title),
        ("start", &values.start),
        ("end", &values.end),
        ("severity", &values.severity),
        ("timezone", &values.timezone),
    ] {
        if let Some(v) = value {
            one_line(flag, v)?;
        }
    }
    let start_stamp = values
        .start
        .as_deref()
        .map(|s| read_stamp("start", s))
        .transpose()?;
    let end_stamp = values
        .end
        .as_deref()
        .map(|s| read_stamp("end", s))
        .transpose()?;
    // The zone: as given, else the one written in --start (or --end), else UTC.
    let zone = match values.timezone.as_deref() {
        Some(z) => parse_zone(z)?,
        None => [
            (values.start.as_deref(), &start_stamp),
            (values.end.as_deref(), &end_stamp),
        ]
        .into_iter()
        .find_map(|(text, stamp)| {
            let z = stamp.as_ref()?.zone?;
            Some(written_zone(text.unwrap_or(""), z))
        })
        .unwrap_or_else(DocZone::utc),
    };
    let start = match (&values.start, &start_stamp) {
        (Some(text), Some(stamp)) => Some(resolve_given("start", text, stamp, &zone, None)?),
        _ => None,
    };
    let end = match (&values.end, &end_stamp) {
        // `--end 15:10` is on the start's day.
        (Some(text), Some(stamp)) => Some(resolve_given(
            "end",
            text,
            stamp,
            &zone,
            start.as_ref().map(|s| s.at.date_naive()),
        )?),
        _ => None,
    };
    if let (Some(s), Some(e)) = (&start, &end) {
        let before = if s.timed && e.timed {
            e.at < s.at
        } else {
            e.at.date_naive() < s.at.date_naive()
        };
        if before {
            return Err(NewError::EndBeforeStart {
                start: s.text.clone(),
                end: e.text.clone(),
            });
        }
    }
    // A date given without a time keeps the time as a prompt.
    let date_of = |g: &Option<Given>| {
        g.as_ref().map_or("YYYY-MM-DD".to_string(), |g| {
            g.at.format("%Y-%m-%d").to_string()
        })
    };
    let time_of = |g: &Option<Given>| match g {
        Some(g) if g.timed => g.at.format("%H:%M").to_string(),
        _ => "HH:MM".to_string(),
    };
    let stamp_of = |g: &Option<Given>| format!("{} {} {}", date_of(g), time_of(g), zone.label);
    let mut extra = BTreeMap::new();
    for kv in &values.set {
        let (k, v) = kv
            .split_once('=')
            .ok_or_else(|| NewError::BadSet(shown(kv)))?;
        let k = k.trim();
        if k.is_empty()
            || !k
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
        {
            return Err(NewError::BadSet(shown(kv)));
        }
        one_line(&format!("set {k}"), v)?;
        extra.insert(k.to_string(), v.trim().to_string());
    }
    let title = values
        .title
        .clone()
        .unwrap_or_else(|| "<incident title>".into());
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.add_filter("yaml", yaml_string);
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
            timezone => zone.label.clone(),
            start => stamp_of(&start),
            start_date => date_of(&start),
            start_time => time_of(&start),
            end => end.is_some().then(|| stamp_of(&end)),
            end_date => end.is_some().then(|| date_of(&end)),
            end_time => end.is_some().then(|| time_of(&end)),
            extra => extra,
        })
        .map_err(render_err)?;
    let day = start
        .as_ref()
        .map_or_else(|| now.format("%Y-%m-%d"), |s| s.at.format("%Y-%m-%d"));
    let name = format!(
        "{day}-{}.md",
        slug(values.title.as_deref().unwrap_or("postmortem"))
    );
    Ok((end_with_one_newline(text, &template.source), name))
}

/// Exactly one line ending at the end, in the template's own style (CRLF stays CRLF).
fn end_with_one_newline(mut text: String, source: &str) -> String {
    let eol = if source.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let kept = text.trim_end_matches(['\r', '\n']).len();
    text.truncate(kept);
    text.push_str(eol);
    text
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

    #[test]
    fn typos_are_one_edit_apart() {
        for (typo, meant) in [
            ("PTS", "PST"),
            ("ESTT", "EST"),
            ("CETS", "CEST"),
            ("GWT", "GMT"),
        ] {
            assert!(one_edit(typo, meant), "{typo} {meant}");
        }
        for (word, other) in [("MARS", "MST"), ("AB", "ET"), ("XYZ", "Z"), ("PST", "PST")] {
            assert!(!one_edit(word, other), "{word} {other}");
        }
        assert_eq!(zone_hint("Mars"), None);
        assert_eq!(zone_hint("pts").as_deref(), Some("PST"));
        assert_eq!(zone_hint("Europe/Berln").as_deref(), Some("Europe/Berlin"));
        assert_eq!(zone_hint("new york").as_deref(), Some("America/New_York"));
    }

    #[test]
    fn yaml_strings_escape_quotes_and_controls() {
        assert_eq!(yaml_string(r#"a "b" \ c"#.into()), r#""a \"b\" \\ c""#);
        assert_eq!(yaml_string("a\u{7}".into()), r#""a\u0007""#);
    }
}
