//! Formulas (`$…$`, `$$…$$`) rendered to MathML Core at build time with math-core: no
//! script, no CDN; browsers draw MathML Core themselves.

use math_core::{LatexToMathML, MathCoreConfig, MathDisplay};

/// A formula that does not parse: where in its source, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct MathError {
    /// Byte offset of the error in the body.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
}

/// Renders formulas; made on a body's first formula.
pub(super) struct MathRenderer {
    converter: Option<LatexToMathML>,
}

impl MathRenderer {
    pub(super) fn new() -> MathRenderer {
        MathRenderer { converter: None }
    }

    /// `latex` as MathML, or the error (its offset within `latex`, and message).
    pub(super) fn render(&mut self, latex: &str, display: bool) -> Result<String, (usize, String)> {
        let converter = self.converter.get_or_insert_with(|| {
            LatexToMathML::new(MathCoreConfig::default()).expect("no custom macros to parse")
        });
        let display = if display {
            MathDisplay::Block
        } else {
            MathDisplay::Inline
        };
        converter
            .convert_with_local_state(latex, display)
            .map(|r| r.mathml)
            .map_err(|e| (e.0.start, e.to_string()))
    }
}

/// The HTML of a formula that does not parse: its source, marked, so a reader still sees it.
pub(super) fn shown_as_source(latex: &str, display: bool) -> String {
    let mut html = String::from(if display {
        "<pre class=\"math-error\"><code>"
    } else {
        "<code class=\"math-error\">"
    });
    let _ = pulldown_cmark_escape::escape_html_body_text(&mut html, latex);
    html.push_str(if display { "</code></pre>" } else { "</code>" });
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_become_mathml_and_errors_keep_their_place() {
        let mut m = MathRenderer::new();
        let inline = m.render("x^2 + f'(x)", false).unwrap();
        assert!(inline.starts_with("<math>"), "{inline}");
        assert!(inline.contains("<msup>"), "{inline}");
        let block = m.render(r"\frac{1}{2}", true).unwrap();
        assert!(block.starts_with("<math display=\"block\">"), "{block}");
        let (at, message) = m.render(r"a + \frac{1}{", false).unwrap_err();
        assert!(at <= r"a + \frac{1}{".len(), "{at}");
        assert!(!message.is_empty());
        assert_eq!(
            shown_as_source("a<b", false),
            "<code class=\"math-error\">a&lt;b</code>"
        );
    }
}
