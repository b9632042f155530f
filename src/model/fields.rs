//! Typed front matter values and their conversion from YAML.

use indexmap::IndexMap;
use jiff::civil::Date;
use serde::Serialize;
use serde_yaml::Value as Yaml;

use crate::config::{FieldDef, FieldType};

/// A front matter value checked against its declared type.
#[derive(Debug, Clone, PartialEq, Hash, Serialize)]
#[serde(untagged)]
pub(crate) enum FieldValue {
    /// `string`, `text`, `url` and `enum` values.
    Str(String),
    /// A `date`.
    Date(Date),
    /// A `daterange`, start not after end.
    DateRange {
        /// First day.
        start: Date,
        /// Last day.
        end: Date,
    },
    /// An `integer`.
    Integer(i64),
    /// A `bool`.
    Bool(bool),
    /// A `list` of strings.
    List(Vec<String>),
    /// A `ref`, as written: a slug or a path.
    Ref(String),
    /// A `refs` list, as written.
    Refs(Vec<String>),
}

impl FieldValue {
    /// The date a page with this field is filed under when it sets no `date`.
    pub(crate) fn first_date(&self) -> Option<Date> {
        match self {
            FieldValue::Date(d) | FieldValue::DateRange { start: d, .. } => Some(*d),
            _ => None,
        }
    }
}

/// Why a value does not fit its declared type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub(crate) struct FieldError {
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: String,
    /// The offending item as written, to point at it.
    pub item: Option<String>,
}

impl FieldError {
    pub(crate) fn new(message: impl Into<String>, hint: impl Into<String>) -> FieldError {
        FieldError {
            message: message.into(),
            hint: hint.into(),
            item: None,
        }
    }
}

/// A short description of a YAML value's type, for messages.
pub(crate) fn yaml_type(v: &Yaml) -> &'static str {
    match v {
        Yaml::Null => "nothing",
        Yaml::Bool(_) => "a boolean",
        Yaml::Number(_) => "a number",
        Yaml::String(_) => "a string",
        Yaml::Sequence(_) => "a list",
        Yaml::Mapping(_) => "a mapping",
        Yaml::Tagged(_) => "a tagged value",
    }
}

/// A scalar as text: strings as they are, numbers and booleans written out.
pub(crate) fn scalar_text(v: &Yaml) -> Option<String> {
    match v {
        Yaml::String(s) => Some(s.clone()),
        Yaml::Number(n) => Some(n.to_string()),
        Yaml::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Parses a `YYYY-MM-DD` date (a full timestamp keeps its date).
pub(crate) fn parse_date(v: &Yaml) -> Result<Date, FieldError> {
    let hint = "write dates as YYYY-MM-DD, e.g. 2024-09-26";
    let Some(text) = scalar_text(v) else {
        return Err(FieldError::new(
            format!("expected a date, found {}", yaml_type(v)),
            hint,
        ));
    };
    let text = text.trim();
    let date_part = text.get(..10).filter(|_| text.len() > 10).unwrap_or(text);
    super::dates::parse_day(date_part).map_err(|why| FieldError {
        // The caret goes to the date itself, not to the `{` of a range around it.
        item: Some(text.to_string()),
        ..FieldError::new(format!("`{text}` is not a valid date: {why}"), hint)
    })
}

/// Parses a list of strings; a single string counts as a list of one.
pub(crate) fn parse_string_list(v: &Yaml) -> Result<Vec<String>, FieldError> {
    let hint = "write a list as `[a, b]` or as lines starting with `- `";
    match v {
        Yaml::Sequence(items) => items
            .iter()
            .map(|item| {
                scalar_text(item).ok_or_else(|| {
                    FieldError::new(
                        format!(
                            "expected a list of strings, found {} in it",
                            yaml_type(item)
                        ),
                        hint,
                    )
                })
            })
            .collect(),
        Yaml::Null => Ok(Vec::new()),
        other => scalar_text(other).map(|s| vec![s]).ok_or_else(|| {
            FieldError::new(
                format!("expected a list of strings, found {}", yaml_type(other)),
                hint,
            )
        }),
    }
}

/// `s`, if it is one line (a `string` field's value).
fn one_line(s: String) -> Result<String, FieldError> {
    match s.contains('\n') {
        true => Err(FieldError::new(
            "expected a one-line string",
            "use a `text` field for several lines",
        )),
        false => Ok(s),
    }
}

/// `s`, if it is an absolute web address (a `url` field's value).
fn absolute_url(s: String) -> Result<String, FieldError> {
    if !(s.starts_with("https://") || s.starts_with("http://")) || s.contains(char::is_whitespace) {
        return Err(FieldError::new(
            format!("`{s}` is not an absolute URL"),
            "write the full address, starting with https://",
        ));
    }
    Ok(s)
}

/// `s`, if it is one of `values` (an `enum` field's); else the nearest of them.
fn allowed(values: &[String], s: String) -> Result<String, FieldError> {
    if values.contains(&s) {
        return Ok(s);
    }
    let hint = match crate::error::closest(&s, values.iter().map(String::as_str)) {
        Some(c) => format!("did you mean `{c}`? allowed: {}", values.join(", ")),
        None => format!(
            "allowed values, nearest first: {}",
            crate::error::nearest(&s, values.iter().map(String::as_str), values.len()).join(", ")
        ),
    };
    Err(FieldError {
        item: Some(s.clone()),
        ..FieldError::new(format!("`{s}` is not an allowed value"), hint)
    })
}

/// Converts `value` to the type declared by `def`.
pub(crate) fn convert(def: &FieldDef, value: &Yaml) -> Result<FieldValue, FieldError> {
    let expect_string = |what: &str| {
        scalar_text(value)
            .filter(|_| !matches!(value, Yaml::Bool(_)))
            .ok_or_else(|| {
                // `yes` is read as true: quoting keeps it words. A list or a table is
                // the wrong shape altogether: say what the field takes.
                let hint = match value {
                    Yaml::Bool(_) => "quote the value: `\"yes\"`".to_string(),
                    _ => format!("write {}", def.ty.shape()),
                };
                FieldError::new(format!("expected {what}, found {}", yaml_type(value)), hint)
            })
    };
    match &def.ty {
        FieldType::String => one_line(expect_string("a string")?).map(FieldValue::Str),
        FieldType::Text => Ok(FieldValue::Str(expect_string("text")?)),
        FieldType::Url => absolute_url(expect_string("a URL")?).map(FieldValue::Str),
        FieldType::Enum { values, .. } => {
            allowed(values, expect_string("one of the allowed values")?).map(FieldValue::Str)
        }
        FieldType::Date => parse_date(value).map(FieldValue::Date),
        FieldType::DateRange => parse_date_range(value),
        FieldType::Integer => match value {
            Yaml::Number(n) if let Some(i) = n.as_i64() => Ok(FieldValue::Integer(i)),
            other => Err(FieldError::new(
                format!("expected a whole number, found {}", yaml_type(other)),
                "write digits without quotes, e.g. `3`",
            )),
        },
        FieldType::Bool => match value {
            Yaml::Bool(b) => Ok(FieldValue::Bool(*b)),
            other => Err(FieldError::new(
                format!("expected true or false, found {}", yaml_type(other)),
                "write `true` or `false` without quotes",
            )),
        },
        FieldType::List => parse_string_list(value).map(FieldValue::List),
        FieldType::Ref(target) => {
            let s = expect_string("a page reference")
                .map_err(|e| list_given_to_a_ref(e, value, target))?;
            Ok(FieldValue::Ref(s.trim().to_string()))
        }
        FieldType::Refs(_) => parse_string_list(value)
            .map(|l| FieldValue::Refs(l.into_iter().map(|s| s.trim().to_string()).collect())),
    }
}

/// `error` for a list given to a `ref` field, with a hint naming what to write instead.
fn list_given_to_a_ref(
    error: FieldError,
    value: &Yaml,
    target: &crate::config::RefTarget,
) -> FieldError {
    let Yaml::Sequence(items) = value else {
        return error;
    };
    let hint = match items.as_slice() {
        [one] => match scalar_text(one) {
            Some(slug) => format!("write `{slug}` without the brackets: the field names one page"),
            None => return error,
        },
        _ => format!(
            "the field names one page of kind `{}`: keep one slug, without brackets (a field for several pages is declared `type: refs` in site.yaml)",
            target.kind
        ),
    };
    FieldError { hint, ..error }
}

fn parse_date_range(value: &Yaml) -> Result<FieldValue, FieldError> {
    let hint = "write `{ start: 2024-09-26, end: 2024-10-07 }`";
    let Yaml::Mapping(map) = value else {
        return Err(FieldError::new(
            format!("expected a date range, found {}", yaml_type(value)),
            hint,
        ));
    };
    let get = |key: &str| {
        map.get(key)
            .ok_or_else(|| FieldError::new(format!("date range is missing `{key}`"), hint))
            .and_then(parse_date)
    };
    if let Some(extra) = map
        .keys()
        .filter_map(Yaml::as_str)
        .find(|k| *k != "start" && *k != "end")
    {
        return Err(FieldError::new(
            format!("unknown key `{extra}` in date range"),
            hint,
        ));
    }
    let (start, end) = (get("start")?, get("end")?);
    if start > end {
        return Err(FieldError::new(
            format!("date range ends ({end}) before it starts ({start})"),
            "swap start and end",
        ));
    }
    Ok(FieldValue::DateRange { start, end })
}

/// The declared fields of a page, in declaration order.
pub(crate) type Fields = IndexMap<String, FieldValue>;

#[cfg(test)]
mod tests {
    use super::*;

    fn def(ty: FieldType) -> FieldDef {
        FieldDef {
            ty,
            required: false,
            label: None,
            description: None,
        }
    }

    fn enum_of_formats() -> FieldType {
        FieldType::Enum {
            values: vec!["field".into(), "command-staff".into()],
            labels: indexmap::IndexMap::new(),
        }
    }

    fn refs() -> FieldType {
        FieldType::Refs(crate::config::RefTarget {
            kind: "member".into(),
            inverse: None,
            inverse_label: None,
        })
    }

    fn yaml(s: &str) -> Yaml {
        serde_yaml::from_str(s).unwrap()
    }

    #[test]
    fn converts_each_type() {
        assert_eq!(
            convert(&def(FieldType::Integer), &yaml("6")).unwrap(),
            FieldValue::Integer(6)
        );
        assert_eq!(
            convert(&def(FieldType::Date), &yaml("2007-10-06")).unwrap(),
            FieldValue::Date(jiff::civil::date(2007, 10, 6))
        );
        assert_eq!(
            convert(
                &def(FieldType::DateRange),
                &yaml("{start: 2024-09-26, end: 2024-10-07}")
            )
            .unwrap(),
            FieldValue::DateRange {
                start: jiff::civil::date(2024, 9, 26),
                end: jiff::civil::date(2024, 10, 7)
            }
        );
        assert_eq!(
            convert(&def(refs()), &yaml("[russia, members/belarus]")).unwrap(),
            FieldValue::Refs(vec!["russia".into(), "members/belarus".into()])
        );
        assert_eq!(
            convert(&def(enum_of_formats()), &yaml("field")).unwrap(),
            FieldValue::Str("field".into())
        );
    }

    #[test]
    fn rejects_wrong_types_with_hints() {
        let e = convert(&def(FieldType::Integer), &yaml("six")).unwrap_err();
        assert_eq!(e.message, "expected a whole number, found a string");
        let e = convert(&def(FieldType::Date), &yaml("2024-13-01")).unwrap_err();
        assert!(e.message.contains("not a valid date"), "{}", e.message);
        let e = convert(&def(enum_of_formats()), &yaml("feild")).unwrap_err();
        assert!(e.hint.starts_with("did you mean `field`?"), "{}", e.hint);
        let e = convert(
            &def(FieldType::DateRange),
            &yaml("{start: 2024-10-07, end: 2024-09-26}"),
        )
        .unwrap_err();
        assert!(e.message.contains("before it starts"));
        let e = convert(&def(FieldType::Url), &yaml("asiaplustj.info")).unwrap_err();
        assert!(e.message.contains("not an absolute URL"));
    }
}
