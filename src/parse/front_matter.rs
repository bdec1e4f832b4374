//! YAML (`---`) and TOML (`+++`) front matter: top-level keys become fields.
//!
//! serde-saphyr reads the YAML: serde_yaml is deprecated and serde_yml unsound
//! (RUSTSEC-2025-0068), while serde-saphyr is maintained, fuzzed and panic-free, with budgets
//! against hostile documents.

use std::ops::Range;

use crate::document::{Field, FieldName, FieldSource, FrontMatter, FrontMatterFormat, field_name};

/// Parses the front matter block; `inner` is the text between the fences.
pub fn read(
    text: &str,
    format: FrontMatterFormat,
    span: Range<usize>,
    inner: Range<usize>,
    fields: &mut Vec<Field>,
) -> FrontMatter {
    let body = &text[inner.clone()];
    let parsed: Result<Vec<(String, String)>, String> = match format {
        FrontMatterFormat::Yaml => {
            if body.trim().is_empty() {
                Ok(Vec::new())
            } else if let Some(pairs) = simple_yaml(body) {
                Ok(pairs)
            } else {
                parsed_yaml(body)
            }
        }
        FrontMatterFormat::Toml => simple_toml(body).map_or_else(|| parsed_toml(body), Ok),
    };
    let error = match parsed {
        Ok(pairs) => {
            for (key, value) in pairs {
                let Some(name) = field_name(&key) else {
                    continue;
                };
                let (key_span, value_span) = key_line(text, &inner, &key);
                fields.push(Field {
                    name,
                    label: key,
                    value,
                    span: key_span,
                    value_span,
                    source: FieldSource::FrontMatter,
                    section: None,
                });
            }
            None
        }
        Err(e) => Some(e),
    };
    FrontMatter {
        format,
        span,
        error,
    }
}

/// Top-level scalar keys of YAML front matter, read by serde-saphyr.
fn parsed_yaml(body: &str) -> Result<Vec<(String, String)>, String> {
    serde_saphyr::from_str::<serde_json::Map<String, serde_json::Value>>(body)
        .map(|m| {
            m.into_iter()
                .filter_map(|(k, v)| {
                    let listed = || match &v {
                        serde_json::Value::Array(items) if list_field(&k) => {
                            joined(items.iter().filter_map(scalar_json))
                        }
                        _ => None,
                    };
                    scalar_json(&v).or_else(listed).map(|v| (k, v))
                })
                .collect()
        })
        .map_err(|e| first_line(&e.to_string()))
}

/// Top-level scalar keys of TOML front matter, read by the `toml` crate.
fn parsed_toml(body: &str) -> Result<Vec<(String, String)>, String> {
    toml::from_str::<toml::Table>(body)
        .map(|t| {
            t.into_iter()
                .filter_map(|(k, v)| {
                    let listed = || match &v {
                        toml::Value::Array(items) if list_field(&k) => {
                            joined(items.iter().filter_map(scalar_toml))
                        }
                        _ => None,
                    };
                    scalar_toml(&v).or_else(listed).map(|v| (k, v))
                })
                .collect()
        })
        .map_err(|e| first_line(e.message()))
}

/// Keys whose list value is a field, its items joined with ", " (`services: [api, db]`);
/// other lists (authors, tags) are not fields.
fn list_field(key: &str) -> bool {
    field_name(key) == Some(FieldName::Services)
}

/// A list field's value: its items joined with ", "; None for an empty list.
fn joined(items: impl Iterator<Item = String>) -> Option<String> {
    let items: Vec<String> = items.collect();
    (!items.is_empty()).then(|| items.join(", "))
}

/// Front matter that is only `key: plain text` lines (what most postmortems carry), read
/// without the YAML parser, which takes ~40 µs a document: as long as linting the rest of a
/// small one. Anything else (nesting, lists, flow collections, anchors, escapes, numbers,
/// booleans, nulls, comments after values, repeated keys) returns None and goes to
/// serde-saphyr; `simple_front_matter_reads_as_the_parsers_do` checks the two agree.
fn simple_yaml(body: &str) -> Option<Vec<(String, String)>> {
    let mut pairs: Vec<(String, String)> = Vec::with_capacity(8);
    let mut seen: Vec<&str> = Vec::with_capacity(8);
    for line in body.lines() {
        let line = line.trim_end();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (key, value) = line.split_once(':')?;
        if !plain_key(key) || !(value.is_empty() || value.starts_with(' ')) {
            return None;
        }
        if seen.contains(&key) {
            return None;
        }
        seen.push(key);
        let value = value.trim();
        // `authors: ["@sam", dana]`: a list is not a field (unless it lists services), but
        // must be one the parser reads.
        if let Some(items) = value.strip_prefix('[').and_then(|v| v.strip_suffix(']')) {
            let simple = items.trim().is_empty()
                || items
                    .split(',')
                    .all(|item| !item.contains(':') && yaml_text(item.trim()).is_some());
            if !simple {
                return None;
            }
            if list_field(key) && !items.trim().is_empty() {
                let items: Vec<&str> = items
                    .split(',')
                    .filter_map(|i| yaml_text(i.trim()))
                    .collect();
                pairs.push((key.to_string(), items.join(", ")));
            }
            continue;
        }
        let value = yaml_text(value).or_else(|| is_local_date(value).then_some(value))?;
        pairs.push((key.to_string(), value.to_string()));
    }
    // The parser's map comes back sorted by key.
    pairs.sort_by(|a, b| a.0.cmp(&b.0));
    Some(pairs)
}

/// The text of a YAML scalar that the core schema reads as a string: quoted without escapes,
/// or plain (see [`plain_yaml_string`]).
fn yaml_text(v: &str) -> Option<&str> {
    if let Some(inner) = v.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
        (!inner.contains(['"', '\\'])).then_some(inner)
    } else if let Some(inner) = v.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')) {
        (!inner.contains('\'')).then_some(inner)
    } else {
        plain_yaml_string(v).then_some(v)
    }
}

/// A key of letters, digits, `_` and `-`, starting with a letter.
fn plain_key(key: &str) -> bool {
    key.starts_with(|c: char| c.is_ascii_alphabetic())
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// A plain YAML scalar that the core schema reads as a string: not empty, no indicator or
/// quote anywhere, no `: ` inside, and not a number, boolean or null.
fn plain_yaml_string(v: &str) -> bool {
    !v.is_empty()
        // The indicators are ASCII: a byte test per byte, not a character search.
        && !v.bytes().any(|b| b"#\"'{}[]&*!|>%@`\t\\".contains(&b))
        && !v.starts_with(['-', '?', ':', ',', '.', '+', '~'])
        && !v.contains(": ")
        && !v.ends_with(':')
        && !v.starts_with(|c: char| c.is_ascii_digit())
        && !["true", "false", "null", "yes", "no", "on", "off", "y", "n"]
            .iter()
            .any(|w| v.eq_ignore_ascii_case(w))
}

/// TOML front matter of only `key = "text"`, `key = 'text'`, `key = 2019-03-04` and
/// `key = 42` lines, read without the TOML parser (~20 µs a document). Anything else returns
/// None and goes to the `toml` crate.
fn simple_toml(body: &str) -> Option<Vec<(String, String)>> {
    let mut pairs: Vec<(String, String)> = Vec::new();
    for line in body.lines() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let (key, value) = line.split_once('=')?;
        let (key, value) = (key.trim(), value.trim());
        if !plain_key(key) || pairs.iter().any(|(k, _)| k == key) {
            return None;
        }
        let value = if let Some(inner) = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
            (!inner.contains(['"', '\\']) && !inner.chars().any(char::is_control))
                .then_some(inner)?
        } else if let Some(inner) = value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')) {
            (!inner.contains('\'') && !inner.chars().any(char::is_control)).then_some(inner)?
        } else if is_local_date(value) || is_plain_integer(value) {
            value
        } else {
            return None;
        };
        pairs.push((key.to_string(), value.to_string()));
    }
    pairs.sort_by(|a, b| a.0.cmp(&b.0));
    Some(pairs)
}

/// `2019-03-04`, a real calendar date (TOML rejects `2019-02-30`).
fn is_local_date(v: &str) -> bool {
    v.len() == 10
        && v.as_bytes()[4] == b'-'
        && v.as_bytes()[7] == b'-'
        && chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d").is_ok()
}

/// `42`: digits without a leading zero, small enough for an i64.
fn is_plain_integer(v: &str) -> bool {
    (v == "0" || !v.starts_with('0'))
        && (1..=18).contains(&v.len())
        && v.bytes().all(|b| b.is_ascii_digit())
}

fn first_line(s: &str) -> String {
    s.lines()
        .next()
        .unwrap_or("invalid front matter")
        .trim()
        .to_string()
}

fn scalar_json(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn scalar_toml(v: &toml::Value) -> Option<String> {
    match v {
        toml::Value::String(s) => Some(s.clone()),
        toml::Value::Integer(i) => Some(i.to_string()),
        toml::Value::Float(f) => Some(f.to_string()),
        toml::Value::Boolean(b) => Some(b.to_string()),
        toml::Value::Datetime(d) => Some(d.to_string()),
        _ => None,
    }
}

/// The spans of a top-level `key: value` / `key = value` line.
fn key_line(text: &str, inner: &Range<usize>, key: &str) -> (Range<usize>, Range<usize>) {
    let mut offset = inner.start;
    for line in text[inner.clone()].split_inclusive('\n') {
        let content = line.trim_end();
        let unquoted = content.trim_start_matches(['"', '\'']);
        if let Some(rest) = unquoted.strip_prefix(key) {
            let rest_trim = rest.trim_start_matches(['"', '\'']).trim_start();
            if let Some(v) = rest_trim
                .strip_prefix(':')
                .or_else(|| rest_trim.strip_prefix('='))
            {
                let v = v.trim();
                let vstart = offset + content.len() - v.len();
                return (
                    offset..offset + content.len(),
                    vstart..offset + content.len(),
                );
            }
        }
        offset += line.len();
    }
    (inner.start..inner.start, inner.start..inner.start)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The quick readers must give what the parsers give wherever they answer, and must
    /// answer for the front matter postmortems usually carry.
    #[test]
    fn a_list_of_services_is_one_field_and_other_lists_are_none() {
        let block = "services:\n  - search\n  - \"payments api\"\nauthors:\n  - sam\n";
        assert_eq!(
            parsed_yaml(block),
            Ok(vec![("services".into(), "search, payments api".into())])
        );
        let toml = "services = [\"api\", \"db\"]\ntags = [\"x\"]\n";
        assert_eq!(
            parsed_toml(toml),
            Ok(vec![("services".into(), "api, db".into())])
        );
        assert_eq!(simple_yaml("services: []\n"), Some(Vec::new()));
    }

    #[test]
    fn simple_front_matter_reads_as_the_parsers_do() {
        let yaml = [
            "title: Checkout outage\ndate: 2019-03-04\nseverity: SEV2\n",
            "title: \"Checkout: the outage\"\nauthors: 'Sam Lee'\nstatus: final\n",
            "# comment\n\ntitle: Outage of the API (eu-west-1)\nurl: https://status.example.com/x\n",
            "title: Ünïcode — zone\nempty: \"\"\nalso: ''\nowner: Dana, SRE\n",
            "title: X\nauthors: [\"@sam\", dana lee]\ntags: []\nstatus: draft\n",
            "title: X\nservices: [checkout, \"payments api\"]\nseverity: SEV1\n",
            // Parsed differently from text, or not simple: the quick reader declines.
            "started: 2024-05-08 14:02 UTC\n",
            "count: 42\n",
            "ok: yes\nflag: true\nnothing: null\n",
            "list:\n  - a\n  - b\n",
            "tags: [a, [b]]\n",
            "tags: [a, {b: c}]\n",
            "tags: [a, b]\ntags: c\n",
            "a: b # comment\n",
            "k: 'it''s'\n",
            "k: \"a\\tb\"\n",
            "dup: a\ndup: b\n",
            "date: 2019-02-30\n",
            "k:v\n",
            "k: -5\n",
            "k: .inf\n",
            "k: &anchor x\n",
            "time: 09:12\n",
        ];
        let mut quick = 0;
        for body in yaml {
            if let Some(pairs) = simple_yaml(body) {
                quick += 1;
                assert_eq!(Ok(pairs), parsed_yaml(body), "{body:?}");
            }
        }
        assert_eq!(quick, 6, "the common shapes take the quick path");
        let toml = [
            "title = \"Checkout outage\"\ndate = 2019-03-04\nseverity = 'SEV2'\nsev = 2\n",
            "title = \"A = B\"\n",
            "n = 0\n",
            // Declined.
            "title = \"x\" # c\n",
            "[table]\nk = 1\n",
            "k = \"a\\u00e9\"\n",
            "k = 1_000\n",
            "k = 012\n",
            "k = 2019-02-30\n",
            "k = true\n",
            "k = 1.5\n",
            "\"quoted key\" = 1\n",
            "dup = 1\ndup = 2\n",
        ];
        let mut quick = 0;
        for body in toml {
            if let Some(pairs) = simple_toml(body) {
                quick += 1;
                assert_eq!(Ok(pairs), parsed_toml(body), "{body:?}");
            }
        }
        assert_eq!(quick, 3, "the common shapes take the quick path");
    }
}
