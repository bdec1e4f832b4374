//! YAML (`---`) and TOML (`+++`) front matter: top-level keys become fields.
//!
//! serde-saphyr reads the YAML: serde_yaml is deprecated and serde_yml unsound
//! (RUSTSEC-2025-0068), while serde-saphyr is maintained, fuzzed and panic-free, with budgets
//! against hostile documents.

use std::ops::Range;

use crate::document::{Field, FieldSource, FrontMatter, FrontMatterFormat, field_name};

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
            } else {
                serde_saphyr::from_str::<serde_json::Map<String, serde_json::Value>>(body)
                    .map(|m| {
                        m.into_iter()
                            .filter_map(|(k, v)| scalar_json(&v).map(|v| (k, v)))
                            .collect()
                    })
                    .map_err(|e| first_line(&e.to_string()))
            }
        }
        FrontMatterFormat::Toml => toml::from_str::<toml::Table>(body)
            .map(|t| {
                t.into_iter()
                    .filter_map(|(k, v)| scalar_toml(&v).map(|v| (k, v)))
                    .collect()
            })
            .map_err(|e| first_line(e.message())),
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
