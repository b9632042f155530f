//! One line of highlighted code as HTML: a span per run of one colour in both themes.

use std::fmt::Write as _;

use pulldown_cmark_escape::escape_html;
use syntect::highlighting::{Color, FontStyle, Style};

use super::theme::hex;

/// One line's HTML from its runs: (end offset, style in each theme).
pub(super) fn line_html(
    text: &str,
    runs: &[(usize, [Style; 2])],
    defaults: [Option<Color>; 2],
) -> String {
    let mut html = String::with_capacity(text.len() * 2);
    let mut open = String::new();
    let mut classes = String::new();
    let mut pos = 0;
    for &(end, [light, dark]) in runs {
        let end = end.min(text.len());
        if end <= pos {
            continue;
        }
        classes.clear();
        if !is_plain(light, defaults[0]) || !is_plain(dark, defaults[1]) {
            push_classes(&mut classes, 'l', light);
            classes.push(' ');
            push_classes(&mut classes, 'd', dark);
        }
        if classes != open {
            if !open.is_empty() {
                html.push_str("</span>");
            }
            if !classes.is_empty() {
                let _ = write!(html, "<span class=\"{classes}\">");
            }
            std::mem::swap(&mut open, &mut classes);
        }
        let _ = escape_html(&mut html, &text[pos..end]);
        pos = end;
    }
    if !open.is_empty() {
        html.push_str("</span>");
    }
    if pos < text.len() {
        let _ = escape_html(&mut html, &text[pos..]);
    }
    html
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
