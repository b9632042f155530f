//! A page's front matter text made a mapping: YAML, or TOML as Zola and Hugo write it,
//! each error located in the file; a key written twice is one error and the rest read.

use serde_yaml::{Mapping, Value as Yaml};

use crate::error::{Diagnostic, ErrorKind};
use crate::model::fields;

/// Parses a page's front matter (`split` of the file `text`) into a mapping, or its
/// errors. A top-level key written twice in YAML is one error, and the rest is still
/// read (with the key's first value), so that its other errors show in the same run.
pub(in crate::model) fn parse(
    split: &crate::source::FrontMatterSplit<'_>,
    file: &std::path::Path,
    text: &str,
) -> Result<(Mapping, Vec<Diagnostic>), Vec<Diagnostic>> {
    use crate::source::MatterFormat;
    let located = |(message, rel_offset): (String, usize)| {
        let offset = split.matter_offset + rel_offset;
        match split.format {
            MatterFormat::Toml => toml_error(&message, file, text, offset),
            _ => crate::yaml_errors::yaml_error(&message, file, text, offset),
        }
    };
    let mut matter = std::borrow::Cow::Borrowed(split.matter);
    let mut repeats = Vec::new();
    loop {
        let parsed = match split.format {
            MatterFormat::Yaml => parse_yaml(&matter),
            MatterFormat::Toml => parse_toml(&matter),
            MatterFormat::None => Ok(Mapping::new()),
        };
        match parsed {
            Ok(mapping) => return Ok((mapping, repeats)),
            Err(error) => {
                let blanked = match split.format {
                    MatterFormat::Yaml if repeats.len() < 16 => {
                        blank_repeated_key(&matter, &error.0)
                    }
                    _ => None,
                };
                let d = located(error);
                repeats.push(d);
                match blanked {
                    Some(rest) => matter = rest.into(),
                    // A syntax error stops the reading: it and the repeats before it.
                    None => return Err(repeats),
                }
            }
        }
    }
}

/// `matter` with the second top-level `key:` of a "duplicate entry with key" error (and
/// the lines indented under it) turned into blank lines, so offsets stay where they were.
fn blank_repeated_key(matter: &str, message: &str) -> Option<String> {
    let key = message
        .strip_prefix("duplicate entry with key \"")?
        .split('"')
        .next()?;
    let mut seen = 0;
    let mut blanking = false;
    let mut out = String::with_capacity(matter.len());
    for line in matter.split_inclusive('\n') {
        let top_level = !line.starts_with([' ', '\t', '#', '\n', '\r']);
        if top_level {
            blanking = false;
            if line
                .strip_prefix(key)
                .is_some_and(|rest| rest.starts_with(':'))
            {
                seen += 1;
                blanking = seen == 2;
            }
        }
        if blanking {
            out.extend(line.chars().map(|c| if c == '\n' { '\n' } else { ' ' }));
        } else {
            out.push_str(line);
        }
    }
    (seen >= 2).then_some(out)
}

/// Parses front matter YAML into a mapping; empty front matter is an empty mapping.
fn parse_yaml(yaml: &str) -> Result<Mapping, (String, usize)> {
    if let Some(at) = crate::yaml_guard::too_deep(yaml) {
        return Err((
            format!(
                "front matter nests `[` or `{{` more than {} levels deep",
                crate::yaml_guard::MAX_FLOW_DEPTH
            ),
            at,
        ));
    }
    match serde_yaml::from_str::<Yaml>(yaml) {
        Ok(Yaml::Mapping(mut m)) => {
            // `"\x01"` and `"\uFFFE"` are valid YAML escapes for characters no feed may hold.
            m.iter_mut().for_each(|(_, v)| scrub_strings(v));
            Ok(m)
        }
        Ok(Yaml::Null) => Ok(Mapping::new()),
        Ok(other) => Err((
            format!(
                "front matter must be `key: value` lines, found {}",
                fields::yaml_type(&other)
            ),
            0,
        )),
        Err(e) => Err((e.to_string(), e.location().map_or(0, |l| l.index()))),
    }
}

/// Parses TOML front matter (Zola's and Hugo's `+++`) into the mapping YAML front
/// matter gives, so one reader checks both: dates and times become their text.
fn parse_toml(toml: &str) -> Result<Mapping, (String, usize)> {
    let table: toml::Table = toml::from_str(toml).map_err(|e| {
        let at = e.span().map_or(0, |s| s.start);
        (e.message().to_string(), at)
    })?;
    let Yaml::Mapping(mut m) = toml_to_yaml(toml::Value::Table(table)) else {
        unreachable!("a TOML table converts to a mapping")
    };
    m.iter_mut().for_each(|(_, v)| scrub_strings(v));
    Ok(m)
}

fn toml_to_yaml(value: toml::Value) -> Yaml {
    match value {
        toml::Value::String(s) => Yaml::String(s),
        toml::Value::Integer(i) => Yaml::Number(i.into()),
        toml::Value::Float(f) => Yaml::Number(f.into()),
        toml::Value::Boolean(b) => Yaml::Bool(b),
        toml::Value::Datetime(d) => Yaml::String(d.to_string()),
        toml::Value::Array(items) => Yaml::Sequence(items.into_iter().map(toml_to_yaml).collect()),
        toml::Value::Table(table) => Yaml::Mapping(
            table
                .into_iter()
                .map(|(k, v)| (Yaml::String(k), toml_to_yaml(v)))
                .collect(),
        ),
    }
}

/// A diagnostic for TOML front matter that does not parse, at byte `offset` of `text`.
fn toml_error(message: &str, file: &std::path::Path, text: &str, offset: usize) -> Diagnostic {
    Diagnostic::new(ErrorKind::FrontMatter, message.trim().to_string())
        .at_offset(file, text, offset)
        .hint("check the TOML syntax: `key = \"value\"`, lists as `[\"a\", \"b\"]`, tables as `[extra]` lines")
}

/// Replaces the characters XML 1.0 forbids in every string of `value` (see `source::scrub`).
fn scrub_strings(value: &mut Yaml) {
    match value {
        Yaml::String(s) => {
            if let std::borrow::Cow::Owned(clean) = crate::source::scrub(s) {
                *s = clean;
            }
        }
        Yaml::Sequence(items) => items.iter_mut().for_each(scrub_strings),
        Yaml::Mapping(m) => m.iter_mut().for_each(|(_, v)| scrub_strings(v)),
        Yaml::Tagged(t) => scrub_strings(&mut t.value),
        Yaml::Null | Yaml::Bool(_) | Yaml::Number(_) => {}
    }
}
