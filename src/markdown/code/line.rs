//! One line of highlighted code as HTML: a span per run of one colour in both themes.

use std::fmt::Write as _;

use pulldown_cmark_escape::escape_html;
use syntect::highlighting::{Color, FontStyle, Style};

use super::theme::hex;

/// The class attributes of the colours a block uses, each written once (a block has
/// thousands of tokens and a dozen colours); class 0 is plain text, without a span.
pub(super) struct ClassNames {
    /// Each theme's plain text colour.
    defaults: [Option<Color>; 2],
    names: Vec<String>,
}

impl ClassNames {
    /// The table for a block coloured by themes whose plain colours are `defaults`.
    pub(super) fn new(defaults: [Option<Color>; 2]) -> ClassNames {
        ClassNames {
            defaults,
            names: vec![String::new()],
        }
    }

    /// The class of text styled `light` and `dark` in the two themes.
    pub(super) fn of(&mut self, [light, dark]: [Style; 2]) -> usize {
        if is_plain(light, self.defaults[0]) && is_plain(dark, self.defaults[1]) {
            return 0;
        }
        let mut name = String::new();
        push_classes(&mut name, 'l', light);
        name.push(' ');
        push_classes(&mut name, 'd', dark);
        match self.names.iter().position(|n| *n == name) {
            Some(found) => found,
            None => {
                self.names.push(name);
                self.names.len() - 1
            }
        }
    }

    /// One line's HTML from its runs: (end offset, class).
    pub(super) fn line_html(&self, text: &str, runs: &[(usize, usize)]) -> String {
        let mut html = String::with_capacity(text.len() * 3);
        let mut open = 0;
        let mut pos = 0;
        for &(end, class) in runs {
            let end = end.min(text.len());
            if end <= pos {
                continue;
            }
            if class != open {
                if open != 0 {
                    html.push_str("</span>");
                }
                if class != 0 {
                    html.push_str("<span class=\"");
                    html.push_str(&self.names[class]);
                    html.push_str("\">");
                }
                open = class;
            }
            let _ = escape_html(&mut html, &text[pos..end]);
            pos = end;
        }
        if open != 0 {
            html.push_str("</span>");
        }
        if pos < text.len() {
            let _ = escape_html(&mut html, &text[pos..]);
        }
        html
    }
}

/// Whether `style` is the theme's plain text: no span needed.
fn is_plain(style: Style, default: Option<Color>) -> bool {
    style.font_style.is_empty() && Some(style.foreground) == default
}

fn push_classes(classes: &mut String, prefix: char, style: Style) {
    let _ = write!(classes, "{prefix}-{}", hex(style.foreground));
    for (flag, letter) in [
        (FontStyle::BOLD, 'b'),
        (FontStyle::ITALIC, 'i'),
        (FontStyle::UNDERLINE, 'u'),
    ] {
        if style.font_style.contains(flag) {
            let _ = write!(classes, " {prefix}-{letter}");
        }
    }
}
