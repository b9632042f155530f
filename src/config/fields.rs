//! The fields a kind declares in site.yaml: their types, with what each type needs, and
//! how they are read (each `type:` accepts its own keys only).

use indexmap::IndexMap;
use serde::Deserialize;

/// One declared field of a kind: its type, with what that type needs, and what every
/// field has. Read from site.yaml through `FieldDecl`, so that each type accepts its
/// own keys only (`values:` on an `enum`, `kind:` on a `ref`) and requires them.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(from = "FieldDecl")]
pub struct FieldDef {
    /// The value's type.
    pub ty: FieldType,
    /// Whether a page of the kind must set it.
    pub required: bool,
    /// Display label; defaults to the field name.
    pub label: Option<String>,
    /// A sentence for writers and editor tooling.
    pub description: Option<String>,
}

/// The type of a declared field, with the settings of that type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldType {
    /// A one-line string.
    String,
    /// Markdown-free long text.
    Text,
    /// A calendar date, `YYYY-MM-DD`.
    Date,
    /// `{start: date, end: date}`.
    DateRange,
    /// A whole number.
    Integer,
    /// `true` or `false`.
    Bool,
    /// An absolute `http(s)` URL.
    Url,
    /// A list of strings.
    List,
    /// One of `values`.
    Enum {
        /// The allowed values, at least one.
        values: Vec<String>,
        /// What readers see for a value (`command-staff: Command and staff`); a value
        /// without a label is shown as words (`command staff`).
        labels: IndexMap<String, String>,
    },
    /// A reference to one page.
    Ref(RefTarget),
    /// A list of references to pages.
    Refs(RefTarget),
}

/// Where a `ref` or `refs` field points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefTarget {
    /// The kind the target pages must have.
    pub kind: String,
    /// The name under which targets list the pages referring to them.
    pub inverse: Option<String>,
    /// What readers see as the inverse relation's name ("Hosted"); the name as words
    /// when not given.
    pub inverse_label: Option<String>,
}

impl FieldType {
    /// The name used in `site.yaml`.
    pub fn name(&self) -> &'static str {
        match self {
            FieldType::String => "string",
            FieldType::Text => "text",
            FieldType::Date => "date",
            FieldType::DateRange => "daterange",
            FieldType::Integer => "integer",
            FieldType::Bool => "bool",
            FieldType::Url => "url",
            FieldType::List => "list",
            FieldType::Enum { .. } => "enum",
            FieldType::Ref(_) => "ref",
            FieldType::Refs(_) => "refs",
        }
    }

    /// What a value of this type looks like, in a writer's words, for hints: "one of:
    /// field, tactical", "slugs of pages of kind `member`, as a list: `[first, second]`".
    pub fn shape(&self) -> String {
        match self {
            FieldType::String => "one line of text".into(),
            FieldType::Text => "text (in quotes if it holds `: ` or starts with `[`)".into(),
            FieldType::Date => "a date, YYYY-MM-DD, e.g. 2024-09-26".into(),
            FieldType::DateRange => "a range: `{ start: 2024-09-26, end: 2024-10-07 }`".into(),
            FieldType::Integer => "a whole number, e.g. 3".into(),
            FieldType::Bool => "`true` or `false`".into(),
            FieldType::Url => "a full address starting with https://".into(),
            FieldType::List => "a list: `[first, second]`".into(),
            FieldType::Enum { values, .. } => format!("one of: {}", values.join(", ")),
            FieldType::Ref(t) => format!(
                "the slug of one page of kind `{}` (one slug, not a list)",
                t.kind
            ),
            FieldType::Refs(t) => format!(
                "slugs of pages of kind `{}`, as a list: `[first, second]`",
                t.kind
            ),
        }
    }

    /// The label of enum value `value`, if site.yaml gives one.
    pub fn value_label(&self, value: &str) -> Option<&str> {
        match self {
            FieldType::Enum { labels, .. } => labels.get(value).map(String::as_str),
            _ => None,
        }
    }

    /// Where a `ref` or `refs` field points; `None` for other types.
    pub fn target(&self) -> Option<&RefTarget> {
        match self {
            FieldType::Ref(t) | FieldType::Refs(t) => Some(t),
            _ => None,
        }
    }
}

/// A field as written in site.yaml, one variant a `type:`; serde rejects a key the type
/// does not take and a key it requires but lacks, at the field's position.
#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
enum FieldDecl {
    String(Plain),
    Text(Plain),
    Date(Plain),
    #[serde(alias = "date_range")]
    DateRange(Plain),
    Integer(Plain),
    Bool(Plain),
    Url(Plain),
    List(Plain),
    Enum(EnumDecl),
    Ref(RefDecl),
    Refs(RefDecl),
}

/// The keys every field takes.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Plain {
    #[serde(default)]
    required: bool,
    #[serde(default)]
    label: Option<String>,
    #[serde(default)]
    description: Option<String>,
}

/// An `enum` field: the keys every field takes, and its values.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EnumDecl {
    #[serde(deserialize_with = "non_empty")]
    values: Vec<String>,
    #[serde(default)]
    labels: IndexMap<String, String>,
    #[serde(default)]
    required: bool,
    #[serde(default)]
    label: Option<String>,
    #[serde(default)]
    description: Option<String>,
}

/// A `ref` or `refs` field: the keys every field takes, and where it points.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RefDecl {
    kind: String,
    #[serde(default)]
    inverse: Option<String>,
    #[serde(default)]
    inverse_label: Option<String>,
    #[serde(default)]
    required: bool,
    #[serde(default)]
    label: Option<String>,
    #[serde(default)]
    description: Option<String>,
}

fn non_empty<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let values = Vec::<String>::deserialize(d)?;
    if values.is_empty() {
        return Err(serde::de::Error::custom(
            "an enum field needs at least one value in `values`",
        ));
    }
    Ok(values)
}

impl From<FieldDecl> for FieldDef {
    fn from(decl: FieldDecl) -> FieldDef {
        let plain = |ty: FieldType, p: Plain| FieldDef {
            ty,
            required: p.required,
            label: p.label,
            description: p.description,
        };
        let reference = |r: RefDecl| {
            (
                RefTarget {
                    kind: r.kind,
                    inverse: r.inverse,
                    inverse_label: r.inverse_label,
                },
                Plain {
                    required: r.required,
                    label: r.label,
                    description: r.description,
                },
            )
        };
        match decl {
            FieldDecl::String(p) => plain(FieldType::String, p),
            FieldDecl::Text(p) => plain(FieldType::Text, p),
            FieldDecl::Date(p) => plain(FieldType::Date, p),
            FieldDecl::DateRange(p) => plain(FieldType::DateRange, p),
            FieldDecl::Integer(p) => plain(FieldType::Integer, p),
            FieldDecl::Bool(p) => plain(FieldType::Bool, p),
            FieldDecl::Url(p) => plain(FieldType::Url, p),
            FieldDecl::List(p) => plain(FieldType::List, p),
            FieldDecl::Enum(e) => plain(
                FieldType::Enum {
                    values: e.values,
                    labels: e.labels,
                },
                Plain {
                    required: e.required,
                    label: e.label,
                    description: e.description,
                },
            ),
            FieldDecl::Ref(r) => {
                let (target, p) = reference(r);
                plain(FieldType::Ref(target), p)
            }
            FieldDecl::Refs(r) => {
                let (target, p) = reference(r);
                plain(FieldType::Refs(target), p)
            }
        }
    }
}
