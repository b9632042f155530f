//! Typed queries: a page lists the pages of a kind whose fields meet conditions,
//! checked against site.yaml when the page is read (`spec.rs`) and run on the site once
//! its references are resolved (`eval.rs`).
//!
//! ```yaml
//! kind: drill
//! where: { participants: this, format: { in: [field, tactical] } }
//! sort: -dates
//! limit: 10
//! show: [dates, host]
//! ```

use jiff::civil::Date;

mod eval;
mod schema;
mod spec;

pub(crate) use eval::{PageIndex, Run, run};
#[cfg(feature = "lsp")]
pub(crate) use spec::KEYS;
pub(crate) use spec::parse;

/// The fields a query listing pages of `kind` may name in `where`, `sort` and `show`;
/// none for an unknown kind.
#[cfg(feature = "lsp")]
pub(crate) fn field_names<'s>(
    config: &'s crate::config::SiteConfig,
    kind: &'s str,
) -> Vec<&'s str> {
    if !config.kinds.contains_key(kind) {
        return Vec::new();
    }
    let schema = schema::Schema {
        config,
        kind,
        page_kind: None,
    };
    schema.fields().collect()
}

/// Reads the queries among the live calls of `body` (on a page of `kind`) against
/// site.yaml; the errors, with their byte offsets in the body.
pub(crate) fn read(
    config: &crate::config::SiteConfig,
    body: &mut crate::markdown::ParsedBody,
    kind: Option<&str>,
) -> Vec<(usize, crate::error::Diagnostic)> {
    let mut errors = Vec::new();
    let queries = body
        .calls
        .iter_mut()
        .filter(|c| c.live && c.name == QUERY && c.problems.is_empty());
    for call in queries {
        let crate::shortcodes::CallBody::Raw(spec) = &call.body else {
            continue;
        };
        match parse(spec, config, kind) {
            Ok(query) => call.query = Some(Box::new(query)),
            Err(found) => errors.extend(found.into_iter().map(|e| {
                let path: Vec<&str> = e.at.iter().map(String::as_str).collect();
                let within = crate::yaml_pos::locate_key(spec, &path).unwrap_or(0);
                let d = crate::error::Diagnostic::new(crate::error::ErrorKind::Query, e.message)
                    .hint(e.hint);
                (call.body_at + within, d)
            })),
        }
    }
    errors
}

/// The pages named in the queries of every page that do not exist, as errors at the
/// queries: checked with the links, so that they are reported with every other error.
pub(crate) fn check_pages(site: &crate::model::Site) -> Vec<crate::error::Diagnostic> {
    let queries = |p: &crate::model::Page| p.body.calls.iter().any(|c| c.query.is_some());
    if !site.pages.iter().any(queries) {
        return Vec::new();
    }
    let index = PageIndex::new(site);
    let mut errors = Vec::new();
    for (_, page) in site.iter() {
        for (n, call) in page.body.calls.iter().enumerate() {
            let Some(query) = &call.query else { continue };
            for condition in &query.conditions {
                if let Err(message) = eval::resolve_names(&condition.test, &index) {
                    errors.push(
                        page.diagnostic_at_link(
                            crate::error::ErrorKind::Query,
                            message,
                            page.call_place(n),
                        )
                        .hint("name an existing page by its slug or path, or `this`"),
                    );
                }
            }
        }
    }
    errors
}

/// The built-in shortcode (and fenced block language) of queries.
pub(crate) const QUERY: &str = "query";

/// A query, checked.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Query {
    /// The kind of pages it lists.
    pub kind: String,
    /// What every page listed meets.
    pub conditions: Vec<Condition>,
    /// Sort keys, first first: (field, descending); by title last.
    pub sort: Vec<(Field, bool)>,
    /// At most this many pages.
    pub limit: Option<usize>,
    /// The columns of a table (or the facts of a card).
    pub show: Vec<Column>,
    /// How the pages are shown.
    pub style: Style,
    /// Shown when no page matches.
    pub none: Option<String>,
}

/// A field a query reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Field {
    /// The page's title.
    Title,
    /// Its `date` (or the first day of its first date field).
    Date,
    /// A field declared on the kind, not a reference.
    Declared(String),
    /// A `ref` or `refs` field declared on the kind.
    Reference(String),
    /// An inverse relation onto the kind (`drills` on a member).
    Inverse(String),
}

/// A column shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Column {
    /// Its field.
    pub field: Field,
    /// Its heading.
    pub label: String,
}

impl Column {
    /// The column of field `name` of `kind` (declared, a reference, an inverse relation,
    /// `title` or `date`) with the heading a query's `show:` gives it; `None` if the kind
    /// has no such field. Section tables (site.yaml's `columns:`) are made with it too.
    pub(crate) fn of(config: &crate::config::SiteConfig, kind: &str, name: &str) -> Option<Column> {
        let schema = schema::Schema {
            config,
            kind,
            page_kind: None,
        };
        let field = schema.field(&[], name).ok()?;
        Some(Column {
            label: schema.label(&field),
            field,
        })
    }
}

/// One condition.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Condition {
    /// The field tested.
    pub field: Field,
    /// The test.
    pub test: Test,
}

/// What a field must be.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Test {
    /// Equal to, or (for lists and relations) containing.
    Is(Value),
    /// Not that.
    Not(Value),
    /// Any of these.
    In(Vec<Value>),
    /// On or after (a date range: ending on or after).
    From(Value),
    /// On or before (a date range: starting on or before).
    To(Value),
    /// Set, or not.
    Present(bool),
    /// Every one of these.
    All(Vec<Test>),
}

/// A value in a condition, of the field's type.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    /// The page the query is on.
    This,
    /// A page, by slug or path.
    Page(String),
    /// Text or an enum value.
    Text(String),
    /// A whole number.
    Number(i64),
    /// true or false.
    Bool(bool),
    /// A day.
    Date(Date),
}

/// How a query shows the pages it found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    /// A table with a column per `show` field.
    Table,
    /// A list of links.
    List,
    /// A card per page.
    Cards,
    /// Their number.
    Count,
}

impl Style {
    /// The name templates see.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Style::Table => "table",
            Style::List => "list",
            Style::Cards => "cards",
            Style::Count => "count",
        }
    }
}
