//! A query as written (YAML, in a ```` ```query ```` block or `{% query() %}` body),
//! read and checked against the kinds of site.yaml: every field, operator and value
//! is known to be right before any page is looked at.

use serde_yaml::Value as Yaml;

use crate::config::SiteConfig;
use crate::error::closest;

use super::schema::Schema;
use super::{Column, Query, Style};

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

pub(super) fn error(at: &[&str], message: impl Into<String>, hint: impl Into<String>) -> SpecError {
    SpecError {
        message: message.into(),
        hint: hint.into(),
        at: at.iter().map(|s| s.to_string()).collect(),
    }
}

/// The keys a query may have.
pub(crate) const KEYS: [&str; 7] = ["kind", "where", "sort", "limit", "show", "as", "none"];

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
    let mut errors = unknown_keys(&map);
    let kind = match kind(&map, config) {
        Ok(kind) => kind,
        Err(e) => {
            errors.push(e);
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
        none: map.get("none").and_then(Yaml::as_str).map(str::to_string),
    };
    let mut keep = |e: SpecError| errors.push(e);
    read_conditions(&schema, map.get("where"), &mut query, &mut keep);
    for (name, descending) in names(map.get("sort")) {
        match schema.field(&["sort"], &name) {
            Ok(field) => query.sort.push((field, descending)),
            Err(e) => keep(e),
        }
    }
    match map.get("limit") {
        None => {}
        Some(Yaml::Number(n)) if n.as_u64().is_some() => {
            query.limit = n.as_u64().map(|n| n as usize)
        }
        Some(_) => keep(error(
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
            Err(e) => keep(e),
        }
    }
    query.style = style(map.get("as"), !query.show.is_empty()).unwrap_or_else(|e| {
        keep(e);
        Style::List
    });
    if errors.is_empty() {
        Ok(query)
    } else {
        Err(errors)
    }
}

/// The keys a query does not have.
fn unknown_keys(map: &serde_yaml::Mapping) -> Vec<SpecError> {
    map.keys()
        .map(|key| key.as_str().unwrap_or_default())
        .filter(|key| !KEYS.contains(key))
        .map(|key| {
            let hint = match closest(key, KEYS) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!("a query's keys are {}", KEYS.join(", ")),
            };
            error(&[key], format!("a query has no key `{key}`"), hint)
        })
        .collect()
}

/// The kind the query lists, which site.yaml must declare.
fn kind(map: &serde_yaml::Mapping, config: &SiteConfig) -> Result<String, SpecError> {
    let kinds: Vec<&str> = config.kinds.keys().map(String::as_str).collect();
    match map.get("kind").and_then(Yaml::as_str) {
        Some(k) if config.kinds.contains_key(k) => Ok(k.to_string()),
        Some(k) => {
            let hint = match closest(k, kinds.iter().copied()) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!("the kinds are {}", kinds.join(", ")),
            };
            Err(error(&["kind"], format!("unknown kind `{k}`"), hint))
        }
        None => Err(error(
            &["kind"],
            "a query names the kind of pages it lists: `kind: NAME`",
            format!("the kinds are {}", kinds.join(", ")),
        )),
    }
}

/// The conditions of `where`, into `query`; problems to `keep`.
fn read_conditions(
    schema: &Schema<'_>,
    conditions: Option<&Yaml>,
    query: &mut Query,
    keep: &mut impl FnMut(SpecError),
) {
    match conditions {
        None => {}
        Some(Yaml::Mapping(conditions)) => {
            for (name, test) in conditions {
                let name = name.as_str().unwrap_or_default();
                match schema.condition(name, test) {
                    Ok(c) => query.conditions.push(c),
                    Err(e) => keep(e),
                }
            }
        }
        Some(_) => keep(error(
            &["where"],
            "`where` maps fields to what they must be",
            "write `where: { participants: this, format: field }`",
        )),
    }
}

/// How the pages are shown: `as:`, else a table when there are fields to show.
fn style(written: Option<&Yaml>, shows_fields: bool) -> Result<Style, SpecError> {
    Ok(match written.map(|v| v.as_str().unwrap_or_default()) {
        None if !shows_fields => Style::List,
        None | Some("table") => Style::Table,
        Some("list") => Style::List,
        Some("cards") => Style::Cards,
        Some("count") => Style::Count,
        Some(other) => {
            return Err(error(
                &["as"],
                format!("a query cannot show its pages as `{other}`"),
                "write `as:` table, list, cards or count",
            ));
        }
    })
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::{Field, Test, Value};

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
                (Field::Reference("host".into()), false)
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
