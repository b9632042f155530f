//! A query as written (YAML, in a ```` ```query ```` block or `{% query() %}` body),
//! read and checked against the kinds of site.yaml: every field, operator and value
//! is known to be right before any page is looked at.

use jiff::civil::Date;
use serde_yaml::Value as Yaml;

use crate::config::{FieldType, SiteConfig};
use crate::error::closest;

use super::{Column, Condition, Field, Query, Style, Test, Value};

/// A problem with a query: message, hint, and the path of the key it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SpecError {
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: String,
    /// The keys leading to it (`["where", "host"]`), to find it in the text.
    pub at: Vec<String>,
}

fn error(at: &[&str], message: impl Into<String>, hint: impl Into<String>) -> SpecError {
    SpecError {
        message: message.into(),
        hint: hint.into(),
        at: at.iter().map(|s| s.to_string()).collect(),
    }
}

const KEYS: [&str; 7] = ["kind", "where", "sort", "limit", "show", "as", "none"];

/// Reads `text` as a query run on a page of kind `page_kind`; every problem found.
pub(crate) fn parse(
    text: &str,
    config: &SiteConfig,
    page_kind: Option<&str>,
) -> Result<Query, Vec<SpecError>> {
    let yaml: Yaml = serde_yaml::from_str(text).map_err(|e| {
        let message = e.to_string();
        let message = message.split(" at line ").next().unwrap_or(&message);
        vec![error(
            &[],
            format!("the query is not valid YAML: {message}"),
            "write it as `kind: drill` and the keys `where`, `sort`, `limit`, `show`, `as`, `none`",
        )]
    })?;
    let Yaml::Mapping(map) = yaml else {
        return Err(vec![error(
            &[],
            "a query is a mapping of keys",
            "start with `kind: NAME`",
        )]);
    };
    let mut errors = Vec::new();
    for key in map.keys() {
        let key = key.as_str().unwrap_or_default();
        if !KEYS.contains(&key) {
            let hint = match closest(key, KEYS) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!("a query's keys are {}", KEYS.join(", ")),
            };
            errors.push(error(&[key], format!("a query has no key `{key}`"), hint));
        }
    }
    let kinds: Vec<&str> = config.kinds.keys().map(String::as_str).collect();
    let kind = match map.get("kind").and_then(Yaml::as_str) {
        Some(k) if config.kinds.contains_key(k) => k.to_string(),
        Some(k) => {
            let hint = match closest(k, kinds.iter().copied()) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!("the kinds are {}", kinds.join(", ")),
            };
            errors.push(error(&["kind"], format!("unknown kind `{k}`"), hint));
            return Err(errors);
        }
        None => {
            errors.push(error(
                &["kind"],
                "a query names the kind of pages it lists: `kind: NAME`",
                format!("the kinds are {}", kinds.join(", ")),
            ));
            return Err(errors);
        }
    };
    let schema = Schema {
        config,
        kind: &kind,
        page_kind,
    };
    let mut query = Query {
        kind: kind.clone(),
        conditions: Vec::new(),
        sort: Vec::new(),
        limit: None,
        show: Vec::new(),
        style: Style::List,
        none: None,
    };
    if let Some(conditions) = map.get("where") {
        match conditions {
            Yaml::Mapping(conditions) => {
                for (name, test) in conditions {
                    let name = name.as_str().unwrap_or_default();
                    match schema.condition(name, test) {
                        Ok(c) => query.conditions.push(c),
                        Err(e) => errors.push(e),
                    }
                }
            }
            _ => errors.push(error(
                &["where"],
                "`where` maps fields to what they must be",
                "write `where: { participants: this, format: field }`",
            )),
        }
    }
    for (name, descending) in names(map.get("sort")) {
        match schema.field(&["sort"], &name) {
            Ok(field) => query.sort.push((field, descending)),
            Err(e) => errors.push(e),
        }
    }
    match map.get("limit") {
        None => {}
        Some(Yaml::Number(n)) if n.as_u64().is_some() => {
            query.limit = n.as_u64().map(|n| n as usize)
        }
        Some(_) => errors.push(error(
            &["limit"],
            "`limit` is a whole number",
            "write `limit: 10`",
        )),
    }
    for (name, _) in names(map.get("show")) {
        match schema.field(&["show"], &name) {
            Ok(field) => query.show.push(Column {
                label: schema.label(&field),
                field,
            }),
            Err(e) => errors.push(e),
        }
    }
    query.style = match map.get("as").map(|v| v.as_str().unwrap_or_default()) {
        None if query.show.is_empty() => Style::List,
        None | Some("table") => Style::Table,
        Some("list") => Style::List,
        Some("cards") => Style::Cards,
        Some("count") => Style::Count,
        Some(other) => {
            errors.push(error(
                &["as"],
                format!("a query cannot show its pages as `{other}`"),
                "write `as:` table, list, cards or count",
            ));
            Style::List
        }
    };
    query.none = map.get("none").and_then(Yaml::as_str).map(str::to_string);
    if errors.is_empty() {
        Ok(query)
    } else {
        Err(errors)
    }
}

/// `a` or `[a, -b]` as (name, descending).
fn names(value: Option<&Yaml>) -> Vec<(String, bool)> {
    let list: Vec<&Yaml> = match value {
        Some(Yaml::Sequence(items)) => items.iter().collect(),
        Some(v) => vec![v],
        None => Vec::new(),
    };
    list.into_iter()
        .filter_map(Yaml::as_str)
        .map(|s| match s.strip_prefix('-') {
            Some(name) => (name.trim().to_string(), true),
            None => (s.trim().to_string(), false),
        })
        .collect()
}

/// The kind a query lists, in site.yaml.
struct Schema<'s> {
    config: &'s SiteConfig,
    kind: &'s str,
    /// The kind of the page the query is on, which `this` stands for.
    page_kind: Option<&'s str>,
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
    fn fields(&self) -> impl Iterator<Item = &'s str> + '_ {
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
            return Some((
                Field::Declared(name.to_string()),
                FieldKind::Declared(&def.ty),
            ));
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

    fn field(&self, at: &[&str], name: &str) -> Result<Field, SpecError> {
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
    fn label(&self, field: &Field) -> String {
        match field {
            Field::Title => "Title".into(),
            Field::Date => "Date".into(),
            Field::Declared(name) => self.config.kinds[self.kind].fields[name]
                .label
                .clone()
                .unwrap_or_else(|| crate::render::values::humanize(name)),
            Field::Inverse(name) => crate::render::values::humanize(name),
        }
    }

    /// The condition on field `name` written as `test`.
    fn condition(&self, name: &str, test: &Yaml) -> Result<Condition, SpecError> {
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
            FieldKind::Declared(FieldType::Enum { values }) => match text {
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

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIG: &str = "title: T\nbase_url: https://example.org/\nkinds:\n  drill:\n    section: drills\n    fields:\n      dates: { type: daterange }\n      host: { type: ref, kind: member, inverse: hosted }\n      participants: { type: refs, kind: member, inverse: drills }\n      format: { type: enum, values: [field, command-staff] }\n  member:\n    section: members\n    fields:\n      joined: { type: integer }\n";

    fn read(text: &str, page_kind: &str) -> Result<Query, Vec<SpecError>> {
        let config = SiteConfig::parse(CONFIG).unwrap();
        parse(text, &config, Some(page_kind))
    }

    #[test]
    fn reads_a_whole_query() {
        let q = read(
            "kind: drill\nwhere: { participants: this, format: { in: [field] }, dates: { from: 2024-01-01, to: 2024-12-31 } }\nsort: [-dates, host]\nlimit: 5\nshow: [dates, host]\nnone: Nothing.\n",
            "member",
        )
        .unwrap();
        assert_eq!(q.kind, "drill");
        assert_eq!(q.conditions[0].test, Test::Is(Value::This));
        assert_eq!(
            q.conditions[1].test,
            Test::In(vec![Value::Text("field".into())])
        );
        assert!(matches!(&q.conditions[2].test, Test::All(t) if t.len() == 2));
        assert_eq!(
            q.sort,
            vec![
                (Field::Declared("dates".into()), true),
                (Field::Declared("host".into()), false)
            ]
        );
        assert_eq!(
            (q.limit, q.style, q.none.as_deref()),
            (Some(5), Style::Table, Some("Nothing."))
        );
        assert_eq!(q.show[1].label, "Host");
    }

    #[test]
    fn inverse_relations_are_fields_of_the_kind_they_point_to() {
        let q = read(
            "kind: member\nwhere: { drills: this, hosted: { present: false } }\nas: count\n",
            "drill",
        )
        .unwrap();
        assert_eq!(q.conditions[0].field, Field::Inverse("drills".into()));
        assert_eq!(q.style, Style::Count);
    }

    #[test]
    fn every_problem_is_found_with_its_place() {
        let errors = read(
            "kind: drill\nwher: {}\nwhere: { participants: 3, joined: 1, dates: { from: x } }\nsort: nope\nas: grid\n",
            "member",
        )
        .unwrap_err();
        let found: Vec<(String, Vec<String>)> =
            errors.into_iter().map(|e| (e.message, e.at)).collect();
        let messages: Vec<&str> = found.iter().map(|(m, _)| m.as_str()).collect();
        assert!(
            messages.contains(&"a query has no key `wher`"),
            "{messages:?}"
        );
        assert!(
            messages.contains(&"this value must be a page: `this` or a slug"),
            "{messages:?}"
        );
        assert!(
            messages.contains(&"kind `drill` has no field `joined`"),
            "{messages:?}"
        );
        assert!(
            messages.contains(&"this value must be a date, YYYY-MM-DD"),
            "{messages:?}"
        );
        assert!(
            messages.contains(&"kind `drill` has no field `nope`"),
            "{messages:?}"
        );
        assert!(
            messages.contains(&"a query cannot show its pages as `grid`"),
            "{messages:?}"
        );
        let at_joined = &found
            .iter()
            .find(|(m, _)| m.contains("`joined`"))
            .unwrap()
            .1;
        assert_eq!(at_joined, &["where", "joined"]);
        // `this` on a page whose kind the field does not hold.
        let errors = read("kind: drill\nwhere: { participants: this }\n", "drill").unwrap_err();
        assert!(
            errors[0]
                .message
                .starts_with("`this` is a page of kind `drill`"),
            "{errors:?}"
        );
    }
}
