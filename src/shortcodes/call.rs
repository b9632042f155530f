//! A shortcode call as the Markdown stage found it: name, typed arguments, body, the
//! problems found with it, and (for the built-in `query`) the query it holds.

use super::syntax::Arg;

/// A shortcode call found in a body.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Call {
    /// The shortcode's name.
    pub name: String,
    /// Its arguments, as written.
    pub args: Vec<Arg>,
    /// Byte offset of its first tag in the body.
    pub offset: usize,
    /// Its body, if it has one.
    pub body: CallBody,
    /// What is wrong with it (reported only if it stands outside code).
    pub problems: Vec<Problem>,
    /// Seen outside code by the slot pass: applied, and its problems reported.
    pub live: bool,
    /// The arguments of type `page`, by number.
    pub page_args: Vec<usize>,
    /// The internal link each of them became (same order), once the call is live.
    pub page_links: Vec<usize>,
    /// Where a raw body's text starts in the body.
    pub body_at: usize,
    /// A query (the built-in `query`), once read against site.yaml: after the Markdown
    /// stage, so never in what the parse cache keeps.
    #[serde(skip)]
    pub query: Option<Box<crate::query::Query>>,
}

/// A call's body.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) enum CallBody {
    /// `{{ name() }}`.
    None,
    /// Markdown parsed in place, between the call's two tags.
    Markdown,
    /// The text as written, for a shortcode declared `body: raw`.
    Raw(String),
}

/// A problem with a call: message, hint and where it is.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Problem {
    /// Byte offset in the body.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: String,
}

impl Call {
    /// A query written as a ```` ```query ```` block at `offset`, its text at `body_at`.
    pub(crate) fn query_block(text: String, offset: usize, body_at: usize) -> Call {
        let mut call = Call::new(crate::query::QUERY.into(), Vec::new(), offset, Vec::new());
        call.body = CallBody::Raw(text);
        call.body_at = body_at;
        call.live = true;
        call
    }

    /// A call not yet seen outside code.
    pub(super) fn new(
        name: String,
        args: Vec<super::Arg>,
        offset: usize,
        problems: Vec<Problem>,
    ) -> Call {
        Call {
            name,
            args,
            offset,
            body: CallBody::None,
            problems,
            live: false,
            page_args: Vec::new(),
            page_links: Vec::new(),
            body_at: offset,
            query: None,
        }
    }
}
