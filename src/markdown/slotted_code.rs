//! The slot pass's code and formulas: code blocks gathered and written whole (a
//! ```` ```query ```` block becomes a call of the built-in shortcode), formulas as MathML.

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::calls::QueryBlock;
use super::slots::{CALL, slot_text};
use super::slotted::Slotted;
use super::{MathError, code, math};

impl<'a, I: Iterator<Item = (Event<'a>, std::ops::Range<usize>)>> Slotted<'a, I> {
    /// Fenced and indented code: gathered, then written whole by `code::render`.
    pub(super) fn code_event(&mut self, event: Event<'a>, offset: usize) {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let info = match kind {
                    pulldown_cmark::CodeBlockKind::Fenced(info) => info,
                    pulldown_cmark::CodeBlockKind::Indented => CowStr::Borrowed(""),
                };
                self.code = Some((info, String::new()));
                self.code_at = (offset, None);
            }
            Event::Text(t) => {
                self.code_at.1.get_or_insert(offset);
                let t = self.restore(t);
                if let Some((_, code)) = &mut self.code {
                    code.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((info, code)) = self.code.take() {
                    if info.split_whitespace().next() == Some(crate::query::QUERY) {
                        // A query: run and shown as a call of the built-in shortcode.
                        let number = self.call_base + self.query_blocks.len();
                        let (offset, text_at) = self.code_at;
                        self.query_blocks.push(QueryBlock {
                            text: code,
                            offset,
                            text_offset: text_at.unwrap_or(offset),
                        });
                        let mut html = slot_text(CALL, Some(number));
                        html.push('\n');
                        self.emit(Event::Html(CowStr::from(html)));
                        return;
                    }
                    let html = code::render(&info, &code, self.highlighting);
                    self.emit(Event::Html(CowStr::from(html)));
                }
            }
            _ => {}
        }
    }

    /// A formula as MathML; one that does not parse is recorded and shown as its source.
    pub(super) fn formula(&mut self, latex: &str, display: bool, offset: usize) -> String {
        match self.math.render(latex, display) {
            Ok(mathml) => mathml,
            Err((at, message)) => {
                let delimiters = self.body[offset..]
                    .bytes()
                    .take_while(|b| *b == b'$')
                    .count();
                self.math_errors.push(MathError {
                    offset: offset + delimiters + at,
                    message,
                });
                math::shown_as_source(latex, display)
            }
        }
    }
}
