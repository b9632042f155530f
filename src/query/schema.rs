//! What a query may say about a kind: its fields (declared, references, inverse
//! relations onto it, `title` and `date`), the operators each takes, and values checked
//! against the field's type.

use jiff::civil::Date;
use serde_yaml::Value as Yaml;

use crate::config::{FieldType, SiteConfig};
use crate::error::closest;

use super::spec::{SpecError, error};
use super::{Condition, Field, Test, Value};

/// The kind a query lists, in site.yaml.
pub(super) struct Schema<'s> {
    /// The site's kinds.
    pub(super) config: &'s SiteConfig,
    /// The kind listed.
    pub(super) kind: &'s str,
    /// The kind of the page the query is on, which `this` stands for.
    pub(super) page_kind: Option<&'s str>,
}

/// The type of a field as a query sees it.
enum FieldKind<'s> {
    Declared(&'s FieldType),
    /// An inverse relation, listing pages of these kinds.
    Inverse(Vec<&'s str>),
    Title,
    Date,
}

impl<'s> Schema<'s> {
    /// Every field a query of the kind may name.
    pub(super) fn fields(&self) -> impl Iterator<Item = &'s str> + '_ {
        let own = self.config.kinds[self.kind]
            .fields
            .keys()
            .map(String::as_str);
        own.chain(self.inverses().map(|(name, _)| name))
            .chain(["title", "date"])
    }

    /// Inverse relations onto this kind: (name, kind that refers).
    fn inverses(&self) -> impl Iterator<Item = (&'s str, &'s str)> + '_ {
        self.config.kinds.iter().flat_map(move |(from, def)| {
            def.fields.values().filter_map(move |f| match &f.ty {
                FieldType::Ref(t) | FieldType::Refs(t) if t.kind == self.kind => {
                    t.inverse.as_deref().map(|name| (name, from.as_str()))
                }
                _ => None,
            })
        })
    }

    fn kind_of(&self, name: &str) -> Option<(Field, FieldKind<'s>)> {
        if let Some(def) = self.config.kinds[self.kind].fields.get(name) {
            let field = match def.ty {
                FieldType::Ref(_) | FieldType::Refs(_) => Field::Reference(name.to_string()),
                _ => Field::Declared(name.to_string()),
            };
            return Some((field, FieldKind::Declared(&def.ty)));
        }
        let from: Vec<&str> = self
            .inverses()
            .filter(|(n, _)| *n == name)
            .map(|(_, k)| k)
            .collect();
        if !from.is_empty() {
            return Some((Field::Inverse(name.to_string()), FieldKind::Inverse(from)));
        }
        match name {
            "title" => Some((Field::Title, FieldKind::Title)),
            "date" => Some((Field::Date, FieldKind::Date)),
            _ => None,
        }
    }

    pub(super) fn field(&self, at: &[&str], name: &str) -> Result<Field, SpecError> {
        self.kind_of(name)
            .map(|(f, _)| f)
            .ok_or_else(|| self.unknown(at, name))
    }

    fn unknown(&self, at: &[&str], name: &str) -> SpecError {
        let names: Vec<&str> = self.fields().collect();
        let hint = match closest(name, names.iter().copied()) {
            Some(near) => format!("did you mean `{near}`?"),
            None => format!("`{}` pages have: {}", self.kind, names.join(", ")),
        };
        let mut path: Vec<&str> = at.to_vec();
        path.push(name);
        error(
            &path,
            format!("kind `{}` has no field `{name}`", self.kind),
            hint,
        )
    }

    /// The label a column of `field` shows.
    pub(super) fn label(&self, field: &Field) -> String {
        match field {
            Field::Title => "Title".into(),
            Field::Date => "Date".into(),
            Field::Declared(name) | Field::Reference(name) => self.config.kinds[self.kind].fields
                [name]
                .label
                .clone()
                .unwrap_or_else(|| crate::render::labels::humanize(name)),
            Field::Inverse(name) => {
                crate::render::labels::inverse_shown(self.config, Some(self.kind), name)
            }
        }
    }

    /// The condition on field `name` written as `test`.
    pub(super) fn condition(&self, name: &str, test: &Yaml) -> Result<Condition, SpecError> {
        let at = ["where", name];
        let (field, kind) = self
            .kind_of(name)
            .ok_or_else(|| self.unknown(&["where"], name))?;
        let test = match test {
            Yaml::Mapping(ops) => {
                let mut tests = Vec::new();
                for (op, value) in ops {
                    let op = op.as_str().unwrap_or_default();
                    tests.push(self.operator(&at, &kind, op, value)?);
                }
                match tests.len() {
                    1 => tests.remove(0),
                    _ => Test::All(tests),
                }
            }
            value => Test::Is(self.value(&at, &kind, value)?),
        };
        Ok(Condition { field, test })
    }

    fn operator(
        &self,
        at: &[&str],
        kind: &FieldKind<'_>,
        op: &str,
        value: &Yaml,
    ) -> Result<Test, SpecError> {
        let ranged = matches!(
            kind,
            FieldKind::Date
                | FieldKind::Declared(FieldType::Date | FieldType::DateRange | FieldType::Integer)
        );
        Ok(match op {
            "is" => Test::Is(self.value(at, kind, value)?),
            "not" => Test::Not(self.value(at, kind, value)?),
            "in" => match value {
                Yaml::Sequence(items) => Test::In(
                    items
                        .iter()
                        .map(|v| self.value(at, kind, v))
                        .collect::<Result<_, _>>()?,
                ),
                _ => {
                    return Err(error(
                        at,
                        "`in` takes a list of values",
                        "write `in: [a, b]`",
                    ));
                }
            },
            "from" | "to" if ranged => {
                let bound = self.value(at, kind, value)?;
                if op == "from" {
                    Test::From(bound)
                } else {
                    Test::To(bound)
                }
            }
            "from" | "to" => {
                return Err(error(
                    at,
                    format!("`{op}` applies to dates and numbers, not to this field"),
                    "use `is`, `not`, `in` or `present`",
                ));
            }
            "present" => match value {
                Yaml::Bool(b) => Test::Present(*b),
                _ => {
                    return Err(error(
                        at,
                        "`present` is true or false",
                        "write `present: true`",
                    ));
                }
            },
            other => {
                let ops = ["is", "not", "in", "from", "to", "present"];
                let hint = match closest(other, ops) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => format!("the operators are {}", ops.join(", ")),
                };
                return Err(error(at, format!("unknown operator `{other}`"), hint));
            }
        })
    }

    /// A value for a field of `kind`, checked against its type.
    fn value(&self, at: &[&str], kind: &FieldKind<'_>, value: &Yaml) -> Result<Value, SpecError> {
        let text = match value {
            Yaml::String(s) => Some(s.as_str()),
            _ => None,
        };
        let wrong = |expected: &str, example: &str| {
            error(
                at,
                format!("this value must be {expected}"),
                format!("write it as `{example}`"),
            )
        };
        match kind {
            FieldKind::Declared(FieldType::Ref(t) | FieldType::Refs(t)) => {
                self.page_value(at, text, &[t.kind.as_str()])
            }
            FieldKind::Inverse(from) => self.page_value(at, text, from),
            FieldKind::Declared(FieldType::Enum { values, .. }) => match text {
                Some(v) if values.iter().any(|x| x == v) => Ok(Value::Text(v.to_string())),
                Some(v) => Err(error(
                    at,
                    format!("`{v}` is not one of the field's values"),
                    match closest(v, values.iter().map(String::as_str)) {
                        Some(near) => format!("did you mean `{near}`?"),
                        None => format!("the values are {}", values.join(", ")),
                    },
                )),
                None => Err(wrong(
                    "one of the field's values",
                    values.first().map_or("x", String::as_str),
                )),
            },
            FieldKind::Date | FieldKind::Declared(FieldType::Date | FieldType::DateRange) => {
                match text.and_then(|t| t.parse::<Date>().ok()) {
                    Some(d) => Ok(Value::Date(d)),
                    None => Err(wrong("a date, YYYY-MM-DD", "2024-09-26")),
                }
            }
            FieldKind::Declared(FieldType::Integer) => match value.as_i64() {
                Some(n) => Ok(Value::Number(n)),
                None => Err(wrong("a whole number", "3")),
            },
            FieldKind::Declared(FieldType::Bool) => match value.as_bool() {
                Some(b) => Ok(Value::Bool(b)),
                None => Err(wrong("true or false", "true")),
            },
            FieldKind::Title | FieldKind::Declared(_) => match text {
                Some(t) => Ok(Value::Text(t.to_string())),
                None => Err(wrong("text", "\"text\"")),
            },
        }
    }

    /// `this` or a page's slug, for a field that holds pages of `kinds`.
    fn page_value(
        &self,
        at: &[&str],
        text: Option<&str>,
        kinds: &[&str],
    ) -> Result<Value, SpecError> {
        match text {
            Some("this") => match self.page_kind {
                Some(k) if kinds.contains(&k) => Ok(Value::This),
                _ => Err(error(
                    at,
                    format!(
                        "`this` is a page of kind `{}`, and this field holds {}",
                        self.page_kind.unwrap_or("(none)"),
                        kinds
                            .iter()
                            .map(|k| format!("`{k}`"))
                            .collect::<Vec<_>>()
                            .join(" or ")
                    ),
                    "name a page by its slug instead, or put the query on a page of that kind",
                )),
            },
            Some(slug) => Ok(Value::Page(slug.to_string())),
            None => Err(error(
                at,
                "this value must be a page: `this` or a slug",
                "write it as `this` or `kazakhstan`",
            )),
        }
    }
}
