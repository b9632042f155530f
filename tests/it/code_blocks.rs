//! Fenced code: highlighted at build time with the options Zola, Hugo and MkDocs write in
//! the info string, styled by a generated stylesheet; diagrams kept for the site's script.

use crate::common::{CONFIG, TestSite};

const PAGE: &str = "---\ntitle: Code\n---\nSee:\n\n\
```rust,linenos,hl_lines=2\nfn main() {\n    let x = \"<b>\";\n}\n```\n\n\
```go {linenos=true, linenostart=10, hl_lines=[1]}\npackage main\n```\n\n\
```python title=\"tools/x.py\"\ndef f(): pass\n```\n\n\
```no-such-language\n<not> highlighted\n```\n\n\
```mermaid\ngraph TD\n  A[\"start\"] --> B\n```\n";

#[test]
fn code_is_highlighted_with_numbers_marks_and_captions() {
    let site = TestSite::new(&[("notes/code.md", PAGE)]);
    site.build_ok();
    let html = site.output("notes/code/index.html");
    assert!(
        html.contains(r#"<pre class="code linenos" data-lang="rust" tabindex="0"><code class="language-rust"><span class="line"><span class="l-"#),
        "{html}"
    );
    // Line 2 marked, and the string's markup escaped inside its highlight span.
    let marked: Vec<&str> = html.split(r#"<span class="line hl">"#).skip(1).collect();
    assert_eq!(marked.len(), 2, "{html}");
    assert!(marked[0].contains("&lt;b&gt;"), "{}", marked[0]);
    assert!(html.contains(r#"style="counter-reset: line 9""#), "{html}");
    assert!(
        html.contains(r#"<figure class="code-figure"><figcaption class="code-title">tools/x.py</figcaption><pre class="code" data-lang="python" tabindex="0">"#),
        "{html}"
    );
    // Unknown languages: plain, escaped, no error.
    assert!(
        html.contains(r#"<code class="language-no-such-language">&lt;not&gt; highlighted"#),
        "{html}"
    );
    assert!(
        html.contains("<pre class=\"mermaid\">graph TD\n  A[&quot;start&quot;] --&gt; B\n</pre>"),
        "{html}"
    );
    // No options leak into class names, as they did before (`language-rust,linenos`).
    assert!(!html.contains("language-rust,"), "{html}");
    // Colours come from the generated stylesheet, for light and dark; no inline colours.
    assert!(!html.contains("style=\"color"), "{html}");
    assert!(html.contains(r#"<link rel="stylesheet" href="/highlight.css">"#));
    let css = site.output("highlight.css");
    assert!(css.contains("pre.code {"), "{css}");
    assert!(css.contains("@media (prefers-color-scheme: dark)"), "{css}");
    // Without opting in, no script: highlighting needs none.
    assert!(!html.contains("code.js"), "{html}");
    assert!(!html.contains("mermaid.min"), "{html}");
}

#[test]
fn themes_copy_buttons_and_diagrams_are_the_sites_choice() {
    let config = format!(
        "{CONFIG}markdown: {{ highlight_theme: solarized-light, highlight_theme_dark: Dracula, copy_button: true }}\n"
    );
    let site = TestSite::with_config(&config, &[("notes/code.md", PAGE)]);
    // The site opts in to diagrams by bringing the script; no CDN.
    site.write("static/mermaid.min.js", "window.mermaid = null;\n");
    site.build_ok();
    let html = site.output("notes/code/index.html");
    assert!(html.contains("data-copy-button"), "{html}");
    // The button's words come from the theme's, in the page's language.
    assert!(
        html.contains("data-copy=\"Copy\" data-copy-label=\"Copy code to clipboard\""),
        "{html}"
    );
    assert!(html.contains(r#"<script src="/mermaid.min."#), "{html}");
    let css = site.output("highlight.css");
    let default = TestSite::new(&[("notes/code.md", PAGE)]);
    default.build_ok();
    assert_ne!(css, default.output("highlight.css"));
    // Highlighting off: the options are still read, the code is plain.
    let site = TestSite::with_config(
        &format!("{CONFIG}markdown: {{ highlight: false }}\n"),
        &[("notes/code.md", PAGE)],
    );
    site.build_ok();
    let html = site.output("notes/code/index.html");
    assert!(!html.contains("<span class=\"l-"), "{html}");
    assert!(
        html.contains(r#"<span class="line hl">    let x = &quot;&lt;b&gt;&quot;;"#),
        "{html}"
    );
}

#[test]
fn an_unknown_highlighting_theme_is_a_located_error_listing_the_themes() {
    let site = TestSite::with_config(
        &format!("{CONFIG}markdown: {{ highlight_theme: githubb }}\n"),
        &[("notes/code.md", PAGE)],
    );
    let err = site.build().unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("unknown highlighting theme `githubb`"),
        "{text}"
    );
    assert!(text.contains("github"), "{text}");
    let d = &err.0[0];
    let loc = d.location.as_ref().expect("located");
    assert_eq!(loc.file.to_str(), Some("site.yaml"), "{d}");
}

/// The spans of a page's first code block in `lang`.
fn block<'h>(html: &'h str, lang: &str) -> &'h str {
    let start = html
        .find(&format!("<code class=\"language-{lang}\">"))
        .expect("the block");
    &html[start..start + html[start..].find("</code>").expect("its end")]
}

#[test]
fn common_languages_are_lexed_and_grammars_are_the_sites_choice() {
    let page = "---\ntitle: Code\n---\n```rust\nfn f(x: u32) -> Vec<u8> {\n    let a = b.c; // d\n}\n```\n\n\
```haskell\nmain = putStrLn \"hi\"\n```\n";
    let lexed = TestSite::new(&[("notes/code.md", page)]);
    lexed.build_ok();
    let config = format!("{CONFIG}markdown: {{ highlighter: grammars }}\n");
    let grammars = TestSite::with_config(&config, &[("notes/code.md", page)]);
    grammars.build_ok();
    let (lexed_html, grammar_html) = (
        lexed.output("notes/code/index.html"),
        grammars.output("notes/code/index.html"),
    );
    // Both colour the keyword and the comment, with classes the stylesheet defines.
    for html in [&lexed_html, &grammar_html] {
        let rust = block(html, "rust");
        assert!(rust.contains(">let</span>"), "{rust}");
        assert!(rust.contains(">// d</span>"), "{rust}");
    }
    // The lexers and the grammars tell different tokens apart: the output is each one's.
    assert_ne!(
        block(&lexed_html, "rust"),
        block(&grammar_html, "rust"),
        "the setting chose nothing"
    );
    // A language the lexers do not know goes to the grammars either way.
    assert_eq!(
        block(&lexed_html, "haskell"),
        block(&grammar_html, "haskell")
    );
    assert!(block(&lexed_html, "haskell").contains("<span class=\"l-"));
    // An unknown engine is a located error naming the choices.
    let wrong = TestSite::with_config(
        &format!("{CONFIG}markdown: {{ highlighter: pygments }}\n"),
        &[("notes/code.md", page)],
    );
    let text = wrong.build().unwrap_err().to_string();
    assert!(
        text.contains("pygments") && text.contains("lexers"),
        "{text}"
    );
    assert!(text.contains("site.yaml"), "{text}");
}
