//! Finding the shortcodes of a body before it is parsed: each tag is replaced by a
//! placeholder the Markdown parser passes through untouched, so the body is still
//! parsed once, with a Markdown body in place between its call's two tags. The slot pass
//! then turns placeholders outside code into slots and puts the tags' text back inside
//! code, where shortcodes are never applied.
//!
//! A placeholder is `\u{1}` + the tag's number + `\u{2}` (pages never hold those
//! characters: [`crate::source::decode`] replaces them, and so does `markdown::scan`).
//! A tag alone on its line becomes an HTML comment around the placeholder, which
//! CommonMark makes a block of its own: a block shortcode's output is not wrapped in a
//! paragraph, and a body's blocks are not merged with the line of its tag.

use std::ops::Range;

use super::call::{Call, CallBody, Problem};
use super::include::{self, INCLUDE, Includes};
use super::syntax::{Tag, tag_at};
use super::{BodyMode, Shortcodes, check_call};

/// Starts a placeholder.
pub(crate) const PLACEHOLDER_START: char = '\u{1}';
/// Ends a placeholder.
pub(crate) const PLACEHOLDER_END: char = '\u{2}';

/// Which part of its call a tag is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// The whole call (no body, or a raw one).
    Whole,
    /// `{% name() %}` before a Markdown body.
    Open,
    /// `{% end %}` after it.
    Close,
}

/// A tag replaced by a placeholder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Placed {
    /// The call it belongs to.
    pub call: usize,
    /// Which part of it.
    pub role: Role,
    /// Its text as written, put back where it turns out to be code.
    pub written: String,
}

/// A body with its tags replaced by placeholders.
#[derive(Debug, Default)]
pub(crate) struct Extracted {
    /// The text to parse.
    pub text: String,
    /// The calls, in the order their first tags come.
    pub calls: Vec<Call>,
    /// The tags; placeholder `K` stands for `placed[K]`.
    pub placed: Vec<Placed>,
    /// Where the text differs from the body: (range in the text, range in the body).
    pub edits: Vec<(Range<usize>, Range<usize>)>,
    /// The pages included, by path under `content/`, each once.
    pub included: Vec<String>,
}

/// Whether `body` may hold shortcode syntax at all (one fast scan).
pub(crate) fn may_have_tags(body: &str) -> bool {
    memchr::memmem::find(body.as_bytes(), b"{{").is_some()
        || memchr::memmem::find(body.as_bytes(), b"{%").is_some()
}

/// Replaces the shortcode tags of `body` by placeholders and escapes by what they show;
/// `known` (if the templates loaded) checks names and arguments; `includes` (if given)
/// lets `{{ include(path="…") }}` put another page's Markdown in place.
pub(crate) fn extract(
    body: &str,
    known: Option<&Shortcodes>,
    includes: Option<&Includes<'_>>,
) -> Extracted {
    let mut walk = Walk {
        out: Extracted {
            text: String::with_capacity(body.len()),
            ..Extracted::default()
        },
        known,
        includes,
        stack: Vec::new(),
    };
    walk.text(body, None);
    walk.out
}

/// One pass over a body and the pages it includes, into one text.
pub(super) struct Walk<'w> {
    pub(super) out: Extracted,
    known: Option<&'w Shortcodes>,
    pub(super) includes: Option<&'w Includes<'w>>,
    /// The pages being included, outermost first.
    pub(super) stack: Vec<String>,
}

/// One text being walked: the body, or a page it includes.
struct Pass<'t> {
    text: &'t str,
    /// For an included page: the offset of the include in the body.
    included_at: Option<usize>,
    /// How much of `text` is in the output.
    copied: usize,
    /// Calls whose Markdown body is open, innermost last.
    open: Vec<usize>,
    /// Where `text` has code, found on the first include.
    code: Option<Vec<Range<usize>>>,
    /// Each body's `{% end %}` by where its opening tag ends, found on the first raw body.
    ends: Option<std::collections::HashMap<usize, (usize, usize)>>,
}

impl Pass<'_> {
    /// Where the body that starts at `from` (the end of its opening tag) ends: the start
    /// and end of its `{% end %}`.
    fn matching_end(&mut self, from: usize) -> Option<(usize, usize)> {
        let text = self.text;
        self.ends
            .get_or_insert_with(|| pair_ends(text))
            .get(&from)
            .copied()
    }
}

impl Walk<'_> {
    /// Appends `text` with its tags replaced; `included_at` is the offset in the body of
    /// the include that brought `text` (its calls and problems are placed there), `None`
    /// for the body itself.
    pub(super) fn text(&mut self, text: &str, included_at: Option<usize>) {
        let mut pass = Pass {
            text,
            included_at,
            copied: 0,
            open: Vec::new(),
            code: None,
            ends: None,
        };
        let mut from = 0;
        while let Some(found) = memchr::memchr(b'{', &text.as_bytes()[from..]) {
            let start = from + found;
            from = start + 1;
            let Some(tag) = tag_at(text, start) else {
                continue;
            };
            if let Some(end) = self.tag(&mut pass, start, tag) {
                pass.copied = end;
                from = end;
            }
        }
        self.out.text.push_str(&text[pass.copied..]);
        for call in pass.open {
            let problem = no_end(&self.out.calls[call]);
            self.out.calls[call].problems.push(problem);
        }
    }

    /// Replaces `tag`, at `start` of the pass's text; where it ends, or `None` if it
    /// stays as written.
    fn tag(&mut self, pass: &mut Pass<'_>, start: usize, tag: Tag) -> Option<usize> {
        let text = pass.text;
        let at = pass.included_at.unwrap_or(start);
        let (end, replacement) = match tag {
            Tag::Escaped { end, shown } => (end, shown),
            // A stray `{% end %}` is text.
            Tag::End { end } => {
                let call = pass.open.pop()?;
                (end, self.out.place(text, call, Role::Close, start..end))
            }
            Tag::Call {
                ref name,
                with_body: false,
                ..
            } if name == INCLUDE && self.includes.is_some() => {
                return self.include_tag(pass, start, tag);
            }
            Tag::Call {
                end,
                name,
                args,
                with_body,
            } => {
                let (end, number, role) = self.call(pass, start, end, name, args, with_body, at);
                if role == Role::Open {
                    pass.open.push(number);
                }
                (end, self.out.place(text, number, role, start..end))
            }
            Tag::Malformed {
                end,
                name,
                message,
                at: problem_at,
            } => {
                let number = self.out.calls.len();
                let problem = Problem {
                    offset: pass.included_at.unwrap_or(problem_at),
                    message: format!("this shortcode call does not parse: {message}"),
                    hint: "write it as `{{ name(arg=\"text\", n=3) }}`; to show the syntax itself, write `{{/* … */}}`".into(),
                };
                self.out
                    .calls
                    .push(Call::new(name, Vec::new(), at, vec![problem]));
                (end, self.out.place(text, number, Role::Whole, start..end))
            }
        };
        self.replace(pass, start..end, &replacement);
        Some(end)
    }

    /// `{{ include(…) }}` at `start`: the page put in place, or the call with its
    /// problem; `None` inside code, where it stays as written.
    fn include_tag(&mut self, pass: &mut Pass<'_>, start: usize, tag: Tag) -> Option<usize> {
        let Tag::Call { end, args, .. } = tag else {
            return None;
        };
        let options = self
            .includes
            .map_or(pulldown_cmark::Options::empty(), |i| i.options);
        let text = pass.text;
        let code = pass
            .code
            .get_or_insert_with(|| include::code_ranges(text, options));
        if code.iter().any(|r| r.contains(&start)) {
            return None;
        }
        let at = pass.included_at.unwrap_or(start);
        self.out.text.push_str(&text[pass.copied..start]);
        let new_start = self.out.text.len();
        if let Err(problem) = self.include(&args, at) {
            // Reported as a call, which the slot pass finds outside code.
            let number = self.out.calls.len();
            self.out
                .calls
                .push(Call::new(INCLUDE.into(), args, at, vec![problem]));
            let placeholder = self.out.place(text, number, Role::Whole, start..end);
            self.out.text.push_str(&placeholder);
        }
        if pass.included_at.is_none() {
            self.out
                .edits
                .push((new_start..self.out.text.len(), start..end));
        }
        Some(end)
    }

    /// Appends the pass's text up to `range` and `replacement` for it, noting the edit
    /// if the text is the body.
    fn replace(&mut self, pass: &Pass<'_>, range: Range<usize>, replacement: &str) {
        self.out.text.push_str(&pass.text[pass.copied..range.start]);
        let new_start = self.out.text.len();
        self.out.text.push_str(replacement);
        if pass.included_at.is_none() {
            self.out.edits.push((new_start..self.out.text.len(), range));
        }
    }

    /// Records the call at `start..end` of `text`; returns where its tags end (past a
    /// raw body), its number and the role of its first tag.
    #[allow(clippy::too_many_arguments)]
    fn call(
        &mut self,
        pass: &mut Pass<'_>,
        start: usize,
        end: usize,
        name: String,
        args: Vec<super::Arg>,
        with_body: bool,
        at: usize,
    ) -> (usize, usize, Role) {
        let known = self.known;
        let mode = known.and_then(|k| k.get(&name)).map(|s| s.declaration.body);
        let problems = check_call(known, &name, &args, with_body, start);
        let mut call = Call::new(name, args, at, problems);
        call.page_args = super::page_args(known, &call.name, &call.args);
        if at != start {
            // Inside an included file: every problem is placed at the include.
            for problem in &mut call.problems {
                problem.offset = at;
            }
            for arg in &mut call.args {
                arg.offset = at;
            }
        }
        let number = self.out.calls.len();
        let (end, role) = if !with_body {
            (end, Role::Whole)
        } else if mode == Some(BodyMode::Raw) {
            match pass.matching_end(end) {
                Some((body_end, tag_end)) => {
                    call.body = CallBody::Raw(pass.text[end..body_end].to_string());
                    call.body_at = if at == start { end } else { at };
                    (tag_end, Role::Whole)
                }
                None => {
                    call.problems.push(no_end(&call));
                    (end, Role::Whole)
                }
            }
        } else {
            call.body = CallBody::Markdown;
            (end, Role::Open)
        };
        self.out.calls.push(call);
        (end, number, role)
    }
}

/// The problem of a body call without `{% end %}`.
fn no_end(call: &Call) -> Problem {
    Problem {
        offset: call.offset,
        message: format!("shortcode `{}` has no `{{% end %}}`", call.name),
        hint: "end its body with `{% end %}`, or call it as `{{ name(…) }}` if it takes none"
            .into(),
    }
}

/// Every body tag of `text` paired with its `{% end %}`, in one pass: (end of the
/// opening tag) → (start, end of its `{% end %}`).
fn pair_ends(text: &str) -> std::collections::HashMap<usize, (usize, usize)> {
    let mut pairs = std::collections::HashMap::new();
    let mut open: Vec<usize> = Vec::new();
    let mut at = 0;
    while let Some(found) = memchr::memmem::find(&text.as_bytes()[at..], b"{%") {
        let start = at + found;
        at = start + 2;
        match tag_at(text, start) {
            Some(Tag::End { end }) => {
                if let Some(body) = open.pop() {
                    pairs.insert(body, (start, end));
                }
                at = end;
            }
            Some(Tag::Call {
                with_body: true,
                end,
                ..
            }) => {
                open.push(end);
                at = end;
            }
            Some(Tag::Escaped { end, .. }) => at = end,
            _ => {}
        }
    }
    pairs
}

impl Extracted {
    /// Records the tag at `source` and returns its placeholder: a block of its own if the
    /// tag is alone on its line (after any indentation and `>` of quotes).
    fn place(&mut self, body: &str, call: usize, role: Role, source: Range<usize>) -> String {
        let number = self.placed.len();
        // Looked at only as far as blanks go, so that a line of many tags stays linear.
        let before = &body.as_bytes()[..source.start];
        let indent = before
            .iter()
            .rev()
            .take_while(|b| matches!(b, b' ' | b'\t' | b'>'))
            .count();
        let starts_line = matches!(
            before.len().checked_sub(indent + 1).map(|i| before[i]),
            None | Some(b'\n')
        );
        let ends_line = matches!(
            body.as_bytes()[source.end..]
                .iter()
                .find(|b| !matches!(b, b' ' | b'\t' | b'\r')),
            None | Some(b'\n')
        );
        let alone = starts_line && ends_line;
        self.placed.push(Placed {
            call,
            role,
            written: body[source].to_string(),
        });
        let placeholder = format!("{PLACEHOLDER_START}{number}{PLACEHOLDER_END}");
        if alone {
            format!("<!--{placeholder}-->")
        } else {
            placeholder
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_become_placeholders_and_blocks_stand_alone() {
        let body = "Intro {{ sup(t=\"1\") }} text.\n\n{% note() %}\nInside *it*.\n{% end %}\n";
        let e = extract(body, None, None);
        assert_eq!(
            e.text,
            "Intro \u{1}0\u{2} text.\n\n<!--\u{1}1\u{2}-->\nInside *it*.\n<!--\u{1}2\u{2}-->\n"
        );
        assert_eq!(e.calls.len(), 2);
        assert_eq!(e.calls[1].body, CallBody::Markdown);
        assert_eq!(
            e.placed
                .iter()
                .map(|p| (p.call, p.role))
                .collect::<Vec<_>>(),
            [(0, Role::Whole), (1, Role::Open), (1, Role::Close)]
        );
        assert_eq!(e.placed[2].written, "{% end %}");
        // Offsets after an edit map back through `edits`.
        let (new, old) = &e.edits[1];
        assert_eq!(&e.text[new.clone()], "<!--\u{1}1\u{2}-->");
        assert_eq!(&body[old.clone()], "{% note() %}");
    }

    #[test]
    fn escapes_show_the_call_and_stray_ends_stay() {
        let e = extract("See {{/* youtube(id=\"x\") */}} and {% end %}.", None, None);
        assert_eq!(e.text, "See {{ youtube(id=\"x\") }} and {% end %}.");
        assert!(e.calls.is_empty());
    }

    #[test]
    fn nested_bodies_pair_their_ends() {
        let e = extract(
            "{% a() %}\n{% b() %}\nx\n{% end %}\n{% end %}\n",
            None,
            None,
        );
        let roles: Vec<_> = e.placed.iter().map(|p| (p.call, p.role)).collect();
        assert_eq!(
            roles,
            [
                (0, Role::Open),
                (1, Role::Open),
                (1, Role::Close),
                (0, Role::Close)
            ]
        );
        let e = extract("{% a() %}\nx\n", None, None);
        assert!(e.calls[0].problems[0].message.contains("no `{% end %}`"));
    }
}
