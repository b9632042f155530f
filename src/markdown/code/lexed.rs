//! The twelve most written languages (Rust, Python, JavaScript, TypeScript, shell, YAML,
//! TOML, JSON, HTML, CSS, Markdown, Dockerfile) coloured by hl-lite's hand-written lexers:
//! a single pass per block, tens of times faster than a grammar. Each kind of token is
//! given the TextMate scope themes colour it by, so the colours and classes are the
//! theme's, as for grammars.

use hl_lite::{Kind, Lang};
use syntect::highlighting::Highlighter;
use syntect::parsing::Scope;

use super::CodeColours;
use super::line::ClassNames;

/// The scope themes colour a kind of token by (Sublime's and VS Code's names for it),
/// `None` for plain text.
fn scope_of(kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::Plain => None,
        Kind::Keyword => Some("keyword"),
        Kind::String => Some("string.quoted"),
        Kind::Comment => Some("comment"),
        Kind::Number => Some("constant.numeric"),
        Kind::Type => Some("entity.name.type"),
        Kind::Function => Some("entity.name.function"),
        Kind::Attribute => Some("entity.other.attribute-name"),
        // Keys of key/value pairs: how the YAML and TOML grammars scope them.
        Kind::Property => Some("entity.name.tag"),
        Kind::Tag => Some("entity.name.tag"),
        Kind::Operator => Some("keyword.operator"),
        Kind::Punctuation => Some("punctuation"),
        Kind::Constant => Some("constant.language"),
        Kind::Variable => Some("variable"),
    }
}

/// The kind a token is coloured as. hl-lite calls `.`, `::` and `;` operators; grammars
/// scope them as punctuation, which themes leave plain, and so do we.
fn kind_of(span: hl_lite::Span<'_>) -> Kind {
    let separator = |b: u8| matches!(b, b'.' | b':' | b',' | b';');
    if span.kind == Kind::Operator && span.text.bytes().all(separator) {
        Kind::Punctuation
    } else {
        span.kind
    }
}

/// Each line of `code` as HTML without its line end, if `lang` is one of the lexers'
/// languages; `None` sends the block to the grammars.
pub(super) fn lines(lang: &str, code: &str, colours: CodeColours) -> Option<Vec<String>> {
    let lang = Lang::from_slug(lang)?;
    let (light, dark) = (colours.light.theme(), colours.dark.theme());
    let painters = [Highlighter::new(light), Highlighter::new(dark)];
    let mut names = ClassNames::new([light.settings.foreground, dark.settings.foreground]);
    let base = Scope::new(&format!("source.{}", lang.slug())).ok()?;
    // Worked out on a kind's first token: a theme's rules are walked once per kind.
    let mut classes: Vec<(Kind, usize)> = Vec::new();
    let mut class_of = |kind: Kind| -> usize {
        if let Some(&(_, class)) = classes.iter().find(|(k, _)| *k == kind) {
            return class;
        }
        let mut stack = vec![base];
        stack.extend(scope_of(kind).and_then(|s| Scope::new(s).ok()));
        let class = names.of(painters.each_ref().map(|p| p.style_for_stack(&stack)));
        classes.push((kind, class));
        class
    };
    // Each token's end in `code`, with its class.
    let mut ends = Vec::new();
    let mut end = 0;
    for span in hl_lite::highlight(lang, code) {
        end += span.text.len();
        ends.push((end, class_of(kind_of(span))));
    }
    let mut lines = Vec::new();
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut next = 0;
    let mut start = 0;
    for line in code.split_inclusive('\n') {
        let stop = start + line.len();
        runs.clear();
        // The tokens ending in this line, and the one running on into the next.
        while let Some(&(token_end, class)) = ends.get(next) {
            runs.push((token_end.min(stop) - start, class));
            if token_end > stop {
                break;
            }
            next += 1;
            if token_end == stop {
                break;
            }
        }
        lines.push(names.line_html(line.trim_end_matches(['\n', '\r']), &runs));
        start = stop;
    }
    Some(lines)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::code::CodeTheme;

    const COLOURS: CodeColours = CodeColours {
        light: CodeTheme::LIGHT,
        dark: CodeTheme::DARK,
    };

    #[test]
    fn tokens_across_lines_are_coloured_on_each_line() {
        let lines = lines("rust", "/* a\nb */ fn x() {}\r\nlet\n", COLOURS).unwrap();
        assert_eq!(lines.len(), 3, "{lines:?}");
        assert!(lines[0].starts_with("<span class=\"l-") && lines[0].ends_with("</span>"));
        assert!(lines[1].starts_with("<span class=\"l-"), "{lines:?}");
        // The comment and the keyword are different colours: two spans.
        assert!(lines[1].contains("b */</span>"), "{lines:?}");
        assert!(lines[1].contains(">fn</span>"), "{lines:?}");
        assert!(!lines[1].contains('\r'), "{lines:?}");
        assert!(lines[2].contains(">let</span>"), "{lines:?}");
    }

    #[test]
    fn separators_are_punctuation_and_operators_keep_their_colour() {
        let lines = lines("rust", "a.b::c = d > e;\n", COLOURS).unwrap();
        assert!(lines[0].starts_with("a.b::c <span class=\"l-"), "{lines:?}");
        assert!(lines[0].contains(">=</span>"), "{lines:?}");
        assert!(lines[0].ends_with("e;"), "{lines:?}");
    }

    #[test]
    fn only_the_lexers_languages_are_taken() {
        assert!(lines("Python", "def f(): pass\n", COLOURS).is_some());
        assert!(lines("yml", "a: 1\n", COLOURS).is_some());
        assert!(lines("haskell", "main = pure ()\n", COLOURS).is_none());
    }

    #[test]
    fn the_text_is_kept_whole_and_escaped() {
        let code = "x = \"<b>\" # ünïcode & more\nprint(x)";
        let lines = lines("python", code, COLOURS).unwrap();
        let text: Vec<String> = lines
            .iter()
            .map(|l| {
                let mut text = String::new();
                let mut inside = false;
                for c in l.chars() {
                    match c {
                        '<' => inside = true,
                        '>' => inside = false,
                        c if !inside => text.push(c),
                        _ => {}
                    }
                }
                text.replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&quot;", "\"")
                    .replace("&amp;", "&")
            })
            .collect();
        assert_eq!(text.join("\n"), code);
    }
}
