//! Zola's shortcode syntax in raw Markdown text: `{{ name(arg="v", n=3) }}`,
//! `{% name(arg="v") %}` … `{% end %}`, and the escapes `{{/* … */}}` and `{%/* … */%}`
//! that show the syntax as written.
//!
//! Arguments follow Zola: `name=value` pairs separated by commas, values being strings
//! in `"`, `'` or `` ` `` quotes, integers, floats, `true`/`false` and `[…]` arrays of them.

/// A value of a shortcode argument, typed as written.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub(crate) enum ArgValue {
    /// `"text"`, `'text'` or `` `text` ``.
    Str(String),
    /// `3`, `-1`.
    Int(i64),
    /// `1.5`.
    Float(f64),
    /// `true`, `false`.
    Bool(bool),
    /// `[1, "a"]`.
    Array(Vec<ArgValue>),
}

impl ArgValue {
    /// The value's type as a writer reads it in a message.
    pub(crate) fn type_name(&self) -> &'static str {
        match self {
            ArgValue::Str(_) => "a string",
            ArgValue::Int(_) | ArgValue::Float(_) => "a number",
            ArgValue::Bool(_) => "true or false",
            ArgValue::Array(_) => "an array",
        }
    }
}

/// One `name=value` argument and where its name starts in the text.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Arg {
    /// The argument's name.
    pub name: String,
    /// Its value.
    pub value: ArgValue,
    /// Byte offset of the name in the text scanned.
    pub offset: usize,
}

/// What a `{{` or `{%` starts, found by [`tag_at`].
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tag {
    /// `{{/* x */}}` or `{%/* x */%}`: the text to show instead, `{{ x }}` or `{% x %}`.
    Escaped { end: usize, shown: String },
    /// `{{ name(…) }}` (no body) or `{% name(…) %}` (a body follows, up to `{% end %}`).
    Call {
        end: usize,
        name: String,
        args: Vec<Arg>,
        with_body: bool,
    },
    /// `{% end %}`.
    End { end: usize },
    /// A call whose arguments do not parse: the message, where the problem is, and where
    /// the tag ends (at the next `}}` or `%}`).
    Malformed {
        end: usize,
        name: String,
        message: String,
        at: usize,
    },
}

/// The longest a tag may be (its arguments included; a body is not part of it): what
/// one `{{` costs to look at stays bounded however the text goes on.
pub(crate) const MAX_TAG: usize = 16 * 1024;

/// The tag starting at byte `start` of `text` (which holds `{{` or `{%` there), if it
/// is shortcode syntax at all; `{{ page.title }}` and `{% if x %}` are not.
pub(crate) fn tag_at(text: &str, start: usize) -> Option<Tag> {
    let mut limit = (start + MAX_TAG).min(text.len());
    while !text.is_char_boundary(limit) {
        limit -= 1;
    }
    let text = &text[..limit];
    let rest = &text[start..];
    let (close, block) = if rest.starts_with("{{") {
        ("}}", false)
    } else if rest.starts_with("{%") {
        ("%}", true)
    } else {
        return None;
    };
    if rest[2..].starts_with("/*") {
        let inner_end = rest.find(&format!("*/{close}"))?;
        let open = &rest[..2];
        let shown = format!("{open}{}{close}", &rest[4..inner_end]);
        return Some(Tag::Escaped {
            end: start + inner_end + 4,
            shown,
        });
    }
    let mut p = Cursor {
        text,
        at: start + 2,
    };
    p.skip_space();
    let name = p.ident()?;
    p.skip_space();
    if block && name == "end" && p.eat(close) {
        return Some(Tag::End { end: p.at });
    }
    if !p.eat("(") {
        return None;
    }
    match p.args(close) {
        Ok(args) => Some(Tag::Call {
            end: p.at,
            name: name.to_string(),
            args,
            with_body: block,
        }),
        Err((message, at)) => {
            // The tag reaches to its closing braces, if it has any.
            let end = start + rest.find(close)? + 2;
            Some(Tag::Malformed {
                end: end.max(at),
                name: name.to_string(),
                message,
                at,
            })
        }
    }
}

/// A position in the text being parsed.
struct Cursor<'t> {
    text: &'t str,
    at: usize,
}

type Parsed<T> = Result<T, (String, usize)>;

impl<'t> Cursor<'t> {
    fn rest(&self) -> &'t str {
        &self.text[self.at..]
    }

    fn skip_space(&mut self) {
        let rest = self.rest();
        self.at += rest.len() - rest.trim_start().len();
    }

    fn eat(&mut self, s: &str) -> bool {
        let found = self.rest().starts_with(s);
        if found {
            self.at += s.len();
        }
        found
    }

    /// A name: a letter or `_`, then letters, digits, `_` and `-`.
    fn ident(&mut self) -> Option<&'t str> {
        let rest = self.rest();
        let first = rest.chars().next()?;
        if !(first.is_ascii_alphabetic() || first == '_') {
            return None;
        }
        let len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(rest.len());
        self.at += len;
        Some(&rest[..len])
    }

    fn fail<T>(&self, message: impl Into<String>) -> Parsed<T> {
        Err((message.into(), self.at))
    }

    /// `name=value, …)` and then `close`, after the `(`.
    fn args(&mut self, close: &str) -> Parsed<Vec<Arg>> {
        let mut args: Vec<Arg> = Vec::new();
        loop {
            self.skip_space();
            if self.eat(")") {
                break;
            }
            let offset = self.at;
            let Some(name) = self.ident() else {
                return self.fail("expected an argument name or `)`");
            };
            if args.iter().any(|a| a.name == name) {
                return Err((format!("argument `{name}` is given twice"), offset));
            }
            self.skip_space();
            if !self.eat("=") {
                return self.fail(format!("expected `=` after `{name}`"));
            }
            self.skip_space();
            let value = self.value()?;
            args.push(Arg {
                name: name.to_string(),
                value,
                offset,
            });
            self.skip_space();
            if self.eat(")") {
                break;
            }
            if !self.eat(",") {
                return self.fail("expected `,` or `)` after the value");
            }
        }
        self.skip_space();
        if !self.eat(close) {
            return self.fail(format!("expected `{close}` to end the shortcode"));
        }
        Ok(args)
    }

    fn value(&mut self) -> Parsed<ArgValue> {
        let rest = self.rest();
        match rest.chars().next() {
            Some(q @ ('"' | '\'' | '`')) => self.string(q),
            Some('[') => {
                self.at += 1;
                let mut items = Vec::new();
                loop {
                    self.skip_space();
                    if self.eat("]") {
                        return Ok(ArgValue::Array(items));
                    }
                    items.push(self.value()?);
                    self.skip_space();
                    if !self.eat(",") && !self.rest().starts_with(']') {
                        return self.fail("expected `,` or `]` in the array");
                    }
                }
            }
            Some(c) if c == '-' || c == '+' || c.is_ascii_digit() => self.number(),
            _ if self.eat("true") => Ok(ArgValue::Bool(true)),
            _ if self.eat("false") => Ok(ArgValue::Bool(false)),
            _ => self.fail("expected a value: a quoted string, a number, true, false or [array]"),
        }
    }

    /// A string in quotes `q`; `\` escapes the quote and itself.
    fn string(&mut self, q: char) -> Parsed<ArgValue> {
        let start = self.at;
        let mut out = String::new();
        let mut chars = self.rest()[1..].char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some((_, e)) if e == q || e == '\\' => out.push(e),
                    Some((_, e)) => {
                        out.push('\\');
                        out.push(e);
                    }
                    None => break,
                },
                c if c == q => {
                    self.at = start + 1 + i + c.len_utf8();
                    return Ok(ArgValue::Str(out));
                }
                c => out.push(c),
            }
        }
        Err((format!("this string has no closing {q}"), start))
    }

    fn number(&mut self) -> Parsed<ArgValue> {
        let start = self.at;
        let rest = self.rest();
        let len = rest
            .char_indices()
            .find(|&(i, c)| {
                !(c.is_ascii_digit() || c == '.' || c == '_' || (i == 0 && (c == '-' || c == '+')))
                    && !(matches!(c, 'e' | 'E') && i > 0)
            })
            .map_or(rest.len(), |(i, _)| i);
        let written = rest[..len].replace('_', "");
        self.at += len;
        if let Ok(n) = written.parse::<i64>() {
            return Ok(ArgValue::Int(n));
        }
        match written.parse::<f64>() {
            Ok(f) if f.is_finite() => Ok(ArgValue::Float(f)),
            _ => Err((format!("`{}` is not a number", &rest[..len]), start)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(text: &str) -> (String, Vec<(String, ArgValue)>, bool, usize) {
        match tag_at(text, 0) {
            Some(Tag::Call {
                end,
                name,
                args,
                with_body,
            }) => (
                name,
                args.into_iter().map(|a| (a.name, a.value)).collect(),
                with_body,
                end,
            ),
            other => panic!("not a call: {other:?}"),
        }
    }

    #[test]
    fn reads_typed_arguments() {
        let text =
            r#"{{ figure(src="a.png", width=300, scale=1.5, lazy=true, tags=['x', `y`]) }} after"#;
        let (name, args, body, end) = call(text);
        assert_eq!(name, "figure");
        assert!(!body);
        assert_eq!(&text[end..], " after");
        assert_eq!(
            args,
            vec![
                ("src".into(), ArgValue::Str("a.png".into())),
                ("width".into(), ArgValue::Int(300)),
                ("scale".into(), ArgValue::Float(1.5)),
                ("lazy".into(), ArgValue::Bool(true)),
                (
                    "tags".into(),
                    ArgValue::Array(vec![ArgValue::Str("x".into()), ArgValue::Str("y".into())])
                ),
            ]
        );
    }

    #[test]
    fn body_tags_and_their_end() {
        let (name, args, body, _) = call("{% note(kind='tip') %}");
        assert_eq!((name.as_str(), args.len(), body), ("note", 1, true));
        assert_eq!(tag_at("{%end%}", 0), Some(Tag::End { end: 7 }));
        assert_eq!(tag_at("{% end %}", 0), Some(Tag::End { end: 9 }));
        let (name, args, _, _) = call("{{ toc() }}");
        assert_eq!((name.as_str(), args.len()), ("toc", 0));
        let (_, args, _, _) = call("{{ x(\n  a = \"1\",\n  b = 2,\n) }}");
        assert_eq!(args.len(), 2);
    }

    #[test]
    fn template_syntax_is_not_a_shortcode() {
        for text in [
            "{{ page.title }}",
            "{% if x %}",
            "{{ x }}",
            "{% for i in range(3) %}",
            "{{",
            "{{ 3(x) }}",
        ] {
            assert_eq!(tag_at(text, 0), None, "{text}");
        }
    }

    #[test]
    fn escapes_show_the_syntax() {
        assert_eq!(
            tag_at("{{/* youtube(id=\"x\") */}}!", 0),
            Some(Tag::Escaped {
                end: 25,
                shown: "{{ youtube(id=\"x\") }}".into()
            })
        );
        assert_eq!(
            tag_at("{%/* end */%}", 0),
            Some(Tag::Escaped {
                end: 13,
                shown: "{% end %}".into()
            })
        );
    }

    #[test]
    fn malformed_calls_say_where() {
        let text = "{{ figure(src=a.png) }}";
        let Some(Tag::Malformed {
            end, message, at, ..
        }) = tag_at(text, 0)
        else {
            panic!("not malformed");
        };
        assert_eq!(end, text.len());
        assert_eq!(at, text.find("a.png").unwrap());
        assert!(message.contains("expected a value"), "{message}");
        let Some(Tag::Malformed { message, .. }) = tag_at("{{ f(a=\"x\", a=\"y\") }}", 0) else {
            panic!("twice");
        };
        assert!(message.contains("twice"));
        // A call that never closes is text.
        assert_eq!(tag_at("{{ f(a=", 0), None);
    }

    #[test]
    fn strings_keep_what_they_hold() {
        let (_, args, _, _) = call(r#"{{ q(a="say \"hi\" }} now", b='{{ x }}') }}"#);
        assert_eq!(args[0].1, ArgValue::Str("say \"hi\" }} now".into()));
        assert_eq!(args[1].1, ArgValue::Str("{{ x }}".into()));
    }
}
