//! A shortcode's declaration: the header comment of its template, in YAML, naming its
//! arguments with their types and whether it takes a body.
//!
//! ```text
//! {#- shortcode
//! description: An image with a caption.
//! args:
//!   src: { type: string, required: true, doc: the image's path or URL }
//!   caption: string
//! body: none
//! -#}
//! ```
//!
//! A template without such a header (Zola's and Hugo's sites have none) takes any
//! arguments and a Markdown body.

use indexmap::IndexMap;
use serde::Deserialize;

/// What a shortcode's body is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum BodyMode {
    /// It takes none: `{% name() %}` is an error.
    None,
    /// Markdown, rendered in place with the page (links, headings and all), given to the
    /// template as HTML in `body`.
    Markdown,
    /// Text as written, given to the template as a string in `body`.
    Raw,
}

/// The type of an argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum ArgType {
    /// A quoted string.
    String,
    /// An integer or a float.
    Number,
    /// `true` or `false`.
    Bool,
    /// `[…]`.
    Array,
    /// A page of the site, written as a wikilink's target (`kazakhstan`,
    /// `members/kazakhstan.md#history`): checked like a link, given to the template as
    /// `{title, url, kind, description}`.
    Page,
    /// Anything.
    Any,
}

impl ArgType {
    /// The type as a writer reads it in a message.
    pub(crate) fn describe(self) -> &'static str {
        match self {
            ArgType::String => "a string",
            ArgType::Number => "a number",
            ArgType::Bool => "true or false",
            ArgType::Array => "an array",
            ArgType::Page => "a page, as a quoted slug or path",
            ArgType::Any => "any value",
        }
    }

    /// Whether `value` is of this type.
    pub(crate) fn accepts(self, value: &super::ArgValue) -> bool {
        use super::ArgValue as V;
        matches!(
            (self, value),
            (ArgType::Any, _)
                | (ArgType::String | ArgType::Page, V::Str(_))
                | (ArgType::Number, V::Int(_) | V::Float(_))
                | (ArgType::Bool, V::Bool(_))
                | (ArgType::Array, V::Array(_))
        )
    }
}

/// One declared argument.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
enum ArgSpecWritten {
    /// `caption: string`
    Short(ArgType),
    /// `src: { type: string, required: true, doc: … }`
    Long {
        #[serde(rename = "type")]
        ty: ArgType,
        #[serde(default)]
        required: bool,
        #[serde(default)]
        doc: Option<String>,
    },
}

/// An argument a shortcode declares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ArgSpec {
    /// Its type.
    pub ty: ArgType,
    /// Whether every call must give it.
    pub required: bool,
    /// What it is for, shown by the writer's tools.
    pub doc: Option<String>,
}

/// The header as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct HeaderWritten {
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    args: IndexMap<String, ArgSpecWritten>,
    #[serde(default)]
    body: Option<BodyMode>,
}

/// What a shortcode's template declares of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Declaration {
    /// One line saying what it does.
    pub description: Option<String>,
    /// Its arguments, in the order declared; `None` when the template declares nothing
    /// (then any argument is taken).
    pub args: Option<IndexMap<String, ArgSpec>>,
    /// What its body is.
    pub body: BodyMode,
}

/// The first line of a declaring header comment.
const HEADER_START: &str = "shortcode";

/// The declaration in the header of `template`, if it has one; an error (message and
/// byte offset in the template) if the header is not valid.
pub(crate) fn declaration(template: &str) -> Result<Declaration, (String, usize)> {
    let undeclared = Declaration {
        description: None,
        args: None,
        body: BodyMode::Markdown,
    };
    let trimmed = template.trim_start();
    let lead = template.len() - trimmed.len();
    let Some(after) = trimmed.strip_prefix("{#") else {
        return Ok(undeclared);
    };
    let after = after.strip_prefix('-').unwrap_or(after);
    let spaced = after.trim_start_matches([' ', '\t']);
    let Some(rest) = spaced.strip_prefix(HEADER_START) else {
        return Ok(undeclared);
    };
    let Some(end) = rest.find("#}") else {
        return Err(("the header comment has no closing `#}`".into(), lead));
    };
    let yaml = rest[..end].strip_suffix('-').unwrap_or(&rest[..end]);
    let yaml_offset = template.len() - rest.len();
    let written: HeaderWritten = if yaml.trim().is_empty() {
        HeaderWritten {
            description: None,
            args: IndexMap::new(),
            body: None,
        }
    } else {
        serde_yaml::from_str(yaml).map_err(|e| {
            let at = e.location().map_or(0, |l| l.index());
            (e.to_string(), yaml_offset + at)
        })?
    };
    let args = written
        .args
        .into_iter()
        .map(|(name, spec)| {
            let spec = match spec {
                ArgSpecWritten::Short(ty) => ArgSpec {
                    ty,
                    required: false,
                    doc: None,
                },
                ArgSpecWritten::Long { ty, required, doc } => ArgSpec { ty, required, doc },
            };
            (name, spec)
        })
        .collect();
    Ok(Declaration {
        description: written.description,
        args: Some(args),
        body: written.body.unwrap_or(BodyMode::None),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_header() {
        let d = declaration(
            "{#- shortcode\ndescription: A figure.\nargs:\n  src: { type: string, required: true, doc: the image }\n  width: number\nbody: raw\n-#}\n<figure>",
        )
        .unwrap();
        assert_eq!(d.description.as_deref(), Some("A figure."));
        assert_eq!(d.body, BodyMode::Raw);
        let args = d.args.unwrap();
        assert!(args["src"].required);
        assert_eq!(args["width"].ty, ArgType::Number);
        assert!(!args["width"].required);
    }

    #[test]
    fn a_template_without_header_takes_anything() {
        let d = declaration("{# a comment #}<b>{{ body }}</b>").unwrap();
        assert_eq!(d.args, None);
        assert_eq!(d.body, BodyMode::Markdown);
        let d = declaration("{# shortcode #}<hr>").unwrap();
        assert_eq!(d.args, Some(IndexMap::new()));
        assert_eq!(d.body, BodyMode::None);
    }

    #[test]
    fn a_bad_header_says_where() {
        let text = "{# shortcode\nargs:\n  src: strin\n#}";
        let (message, at) = declaration(text).unwrap_err();
        assert!(message.contains("args"), "{message}");
        assert!(at > text.find("args").unwrap(), "{at}");
    }
}
