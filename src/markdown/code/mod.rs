//! Fenced code blocks: highlighted at build time into spans whose classes name a colour
//! of the light and of the dark theme, with numbered and marked lines and captions. The
//! common languages go through hand-written lexers (`lexed`), the rest through Sublime
//! Text grammars (`grammar`); the choice is argued in docs/ARCHITECTURE.md.

mod grammar;
mod lexed;
mod line;
mod theme;

use std::fmt::Write as _;

use pulldown_cmark_escape::escape_html;
use serde::Deserialize;

use super::fences::FenceInfo;
pub(crate) use theme::{CodeColours, CodeTheme, stylesheet};

/// What colours fenced code: site.yaml `markdown.highlighter`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HighlightEngine {
    /// Hand-written lexers for the twelve most written languages, grammars for the rest.
    #[default]
    Lexers,
    /// Sublime Text grammars for every language: finer, at ten to forty times the cost.
    Grammars,
}

/// How a build colours fenced code: the themes, and what tells the tokens apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Highlighting {
    /// The light and dark themes.
    pub colours: CodeColours,
    /// Lexers first, or grammars only.
    pub engine: HighlightEngine,
}

/// A fenced block's HTML: highlighted if its language is known, else plain; diagrams
/// (`mermaid`) kept as their source for a script to draw.
pub(crate) fn render(info: &str, code: &str, highlighting: Option<Highlighting>) -> String {
    let fence = FenceInfo::parse(info);
    let mut html = String::with_capacity(code.len() * 3 + 100);
    if fence.lang.as_deref() == Some("mermaid") {
        html.push_str("<pre class=\"mermaid\">");
        let _ = escape_html(&mut html, code);
        html.push_str("</pre>\n");
        return html;
    }
    let lines = highlighting
        .zip(fence.lang.as_deref())
        .and_then(|(highlighting, lang)| highlighted(lang, code, highlighting))
        .unwrap_or_else(|| plain_lines(code));
    if let Some(title) = &fence.title {
        html.push_str("<figure class=\"code-figure\"><figcaption class=\"code-title\">");
        let _ = escape_html(&mut html, title);
        html.push_str("</figcaption>");
    }
    html.push_str("<pre class=\"code");
    if fence.line_numbers {
        html.push_str(" linenos");
    }
    html.push('"');
    if let Some(lang) = &fence.lang {
        html.push_str(" data-lang=\"");
        let _ = escape_html(&mut html, lang);
        html.push('"');
    }
    if fence.line_numbers && fence.first_line != 1 {
        let _ = write!(
            html,
            " style=\"counter-reset: line {}\"",
            fence.first_line.saturating_sub(1)
        );
    }
    // A long line scrolls the block sideways: keyboard users must be able to reach it.
    html.push_str(" tabindex=\"0\"><code");
    if let Some(lang) = &fence.lang {
        html.push_str(" class=\"language-");
        let _ = escape_html(&mut html, lang);
        html.push('"');
    }
    html.push('>');
    let wrapped = fence.line_numbers || !fence.highlighted.is_empty();
    for (i, line) in lines.iter().enumerate() {
        if wrapped {
            html.push_str(if fence.is_highlighted(i + 1) {
                "<span class=\"line hl\">"
            } else {
                "<span class=\"line\">"
            });
        }
        html.push_str(line);
        html.push('\n');
        if wrapped {
            html.push_str("</span>");
        }
    }
    html.push_str("</code></pre>");
    if fence.title.is_some() {
        html.push_str("</figure>");
    }
    html.push('\n');
    html
}

/// Each line of `code` as HTML without its line end, if `lang` names a language a lexer
/// or a grammar knows (by name or extension).
fn highlighted(lang: &str, code: &str, highlighting: Highlighting) -> Option<Vec<String>> {
    let Highlighting { colours, engine } = highlighting;
    match engine {
        HighlightEngine::Lexers => lexed::lines(lang, code, colours),
        HighlightEngine::Grammars => None,
    }
    .or_else(|| grammar::lines(lang, code, colours))
}

/// Each line of `code` escaped, without its line end.
fn plain_lines(code: &str) -> Vec<String> {
    code.lines()
        .map(|line| {
            let mut html = String::with_capacity(line.len());
            let _ = escape_html(&mut html, line);
            html
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const THEMES: CodeColours = CodeColours {
        light: CodeTheme::LIGHT,
        dark: CodeTheme::DARK,
    };

    /// The default: lexers for the common languages.
    const COLOURS: Option<Highlighting> = Some(Highlighting {
        colours: THEMES,
        engine: HighlightEngine::Lexers,
    });

    /// Grammars for all.
    const GRAMMARS: Option<Highlighting> = Some(Highlighting {
        colours: THEMES,
        engine: HighlightEngine::Grammars,
    });

    #[test]
    fn known_languages_are_coloured_by_class() {
        let html = render("rust", "fn main() {}\n", COLOURS);
        assert!(
            html.starts_with(
                "<pre class=\"code\" data-lang=\"rust\" tabindex=\"0\"><code class=\"language-rust\"><span class=\"l-"
            ),
            "{html}"
        );
        // `fn` is a keyword in both themes: one span with both colours.
        assert!(html.contains(" d-"), "{html}");
        assert!(html.contains(">fn</span>"), "{html}");
        assert!(!html.contains("style="), "{html}");
        // By extension and in any case, as writers write them.
        assert!(render("RS", "let x = 1;\n", COLOURS).contains("<span class=\"l-"));
        assert!(render("toml", "[a]\nb = 1\n", COLOURS).contains("<span class=\"l-"));
        // Off: plain.
        assert!(!render("rust", "fn main() {}\n", None).contains("<span"));
    }

    #[test]
    fn unknown_languages_are_plain_and_escaped() {
        let html = render("klingon", "a < b && \"c\"\n", COLOURS);
        assert_eq!(
            html,
            "<pre class=\"code\" data-lang=\"klingon\" tabindex=\"0\"><code class=\"language-klingon\">a &lt; b &amp;&amp; &quot;c&quot;\n</code></pre>\n"
        );
        let html = render("", "x\n", COLOURS);
        assert_eq!(
            html,
            "<pre class=\"code\" tabindex=\"0\"><code>x\n</code></pre>\n"
        );
    }

    #[test]
    fn hostile_languages_titles_and_code_stay_text() {
        let html = render(
            r#""><script>alert(1)</script> title="<img src=x onerror=alert(1)>""#,
            "x\n",
            COLOURS,
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        let html = render("html", "<script>alert(1)</script>\n", COLOURS);
        assert!(!html.contains("<script"), "{html}");
        assert!(html.contains("alert"), "{html}");
    }

    #[test]
    fn numbered_and_marked_lines_are_whole_spans() {
        let html = render(
            "rust,linenos,hl_lines=2",
            "/* a\nb */\nfn x() {}\n",
            COLOURS,
        );
        assert!(html.contains("class=\"code linenos\""), "{html}");
        assert_eq!(html.matches("<span class=\"line").count(), 3, "{html}");
        assert_eq!(
            html.matches("<span class=\"line hl\">").count(),
            1,
            "{html}"
        );
        assert_eq!(
            html.matches("<span").count(),
            html.matches("</span>").count(),
            "{html}"
        );
        // The comment spans lines 1–2: each line has its own coloured span.
        let second = html.split("<span class=\"line hl\">").nth(1).unwrap();
        assert!(second.starts_with("<span class=\"l-"), "{second}");
        let html = render("text {linenos=true, linenostart=7}", "a\nb\n", COLOURS);
        assert!(html.contains("style=\"counter-reset: line 6\""), "{html}");
    }

    #[test]
    fn titles_become_captions() {
        let html = render("rust title=\"src/main.rs\"", "fn main() {}\n", COLOURS);
        assert!(
            html.starts_with("<figure class=\"code-figure\"><figcaption class=\"code-title\">src/main.rs</figcaption><pre"),
            "{html}"
        );
        assert!(html.ends_with("</pre></figure>\n"), "{html}");
    }

    #[test]
    fn diagrams_keep_their_source() {
        let source = "graph TD\n  A[\"x\"] --> B<br/>\n";
        let html = render("mermaid", source, COLOURS);
        assert!(html.starts_with("<pre class=\"mermaid\">"), "{html}");
        assert!(
            html.contains("A[&quot;x&quot;] --&gt; B&lt;br/&gt;"),
            "{html}"
        );
    }

    #[test]
    fn every_class_used_has_a_rule() {
        let css = stylesheet(THEMES);
        assert!(css.contains("@media (prefers-color-scheme: dark)"));
        let code =
            "/// Doc\n#[derive(Debug)]\npub fn f<'a>(x: &'a str) -> u8 { let s = \"x\"; 1 + 2 }\n";
        let engines = [COLOURS, GRAMMARS];
        for (lang, highlighting) in ["rust", "python", "js", "yaml", "toml", "sh", "haskell"]
            .into_iter()
            .flat_map(|lang| engines.map(|engine| (lang, engine)))
        {
            let html = render(lang, code, highlighting);
            for class in html
                .split("class=\"")
                .skip(1)
                .flat_map(|rest| rest[..rest.find('"').unwrap()].split(' '))
                .filter(|c| c.starts_with("l-") || c.starts_with("d-"))
            {
                assert!(
                    css.contains(&format!(".{class} {{")),
                    "{lang}: no rule for {class}"
                );
            }
        }
    }
}
