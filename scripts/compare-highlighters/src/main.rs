use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let text = std::fs::read_to_string(&args[1]).unwrap();
    let lang = &args[2];
    let reps: usize = args.get(3).map(|s| s.parse().unwrap()).unwrap_or(5);
    let start = Instant::now();
    let setup = run_setup();
    let setup_time = start.elapsed();
    let start = Instant::now();
    let mut out = 0;
    for _ in 0..reps {
        out = highlight(&setup, &text, lang);
    }
    let el = start.elapsed() / reps as u32;
    let kb = text.len() as f64 / 1024.0;
    println!(
        "setup {:?}; {:.0} KB in {:?} = {:.1} µs/KB; html {} bytes; languages {}",
        setup_time,
        kb,
        el,
        el.as_secs_f64() * 1e6 / kb,
        out,
        languages(&setup)
    );
}

#[cfg(any(feature = "syn", feature = "tf", feature = "onig", feature = "tfonig"))]
type Setup = syntect::parsing::SyntaxSet;

#[cfg(any(feature = "syn", feature = "onig"))]
fn run_setup() -> Setup {
    syntect::parsing::SyntaxSet::load_defaults_newlines()
}
#[cfg(any(feature = "tf", feature = "tfonig"))]
fn run_setup() -> Setup {
    two_face::syntax::extra_newlines()
}
#[cfg(any(feature = "syn", feature = "tf", feature = "onig", feature = "tfonig"))]
fn languages(s: &Setup) -> usize {
    s.syntaxes().len()
}
#[cfg(any(feature = "syn", feature = "tf", feature = "onig", feature = "tfonig"))]
fn highlight(set: &Setup, text: &str, lang: &str) -> usize {
    use syntect::html::{ClassStyle, ClassedHTMLGenerator};
    use syntect::util::LinesWithEndings;
    let syntax = set.find_syntax_by_token(lang).unwrap();
    let mut g = ClassedHTMLGenerator::new_with_class_style(syntax, set, ClassStyle::SpacedPrefixed { prefix: "z-" });
    for line in LinesWithEndings::from(text) {
        g.parse_html_for_line_which_includes_newline(line).unwrap();
    }
    g.finalize().len()
}

#[cfg(feature = "ts")]
struct Setup {
    configs: Vec<(&'static str, tree_sitter_highlight::HighlightConfiguration)>,
}
#[cfg(feature = "ts")]
const NAMES: [&str; 12] = [
    "attribute", "comment", "constant", "function", "keyword", "number", "operator", "property",
    "punctuation", "string", "type", "variable",
];
#[cfg(feature = "ts")]
fn run_setup() -> Setup {
    use tree_sitter_highlight::HighlightConfiguration;
    let mut configs = Vec::new();
    let mut c = HighlightConfiguration::new(
        tree_sitter_rust::LANGUAGE.into(),
        "rust",
        tree_sitter_rust::HIGHLIGHTS_QUERY,
        tree_sitter_rust::INJECTIONS_QUERY,
        "",
    )
    .unwrap();
    c.configure(&NAMES);
    configs.push(("rust", c));
    let mut c = HighlightConfiguration::new(
        tree_sitter_python::LANGUAGE.into(),
        "python",
        tree_sitter_python::HIGHLIGHTS_QUERY,
        "",
        "",
    )
    .unwrap();
    c.configure(&NAMES);
    configs.push(("py", c));
    let mut c = HighlightConfiguration::new(
        tree_sitter_javascript::LANGUAGE.into(),
        "javascript",
        tree_sitter_javascript::HIGHLIGHT_QUERY,
        tree_sitter_javascript::INJECTIONS_QUERY,
        tree_sitter_javascript::LOCALS_QUERY,
    )
    .unwrap();
    c.configure(&NAMES);
    configs.push(("js", c));
    Setup { configs }
}
#[cfg(feature = "ts")]
fn languages(s: &Setup) -> usize {
    s.configs.len()
}
#[cfg(feature = "ts")]
fn highlight(s: &Setup, text: &str, lang: &str) -> usize {
    use tree_sitter_highlight::{HtmlRenderer, Highlighter};
    let config = &s.configs.iter().find(|(n, _)| *n == lang).unwrap().1;
    let mut h = Highlighter::new();
    let events = h.highlight(config, text.as_bytes(), None, None, |_| None).unwrap();
    let mut r = HtmlRenderer::new();
    let classes: Vec<String> = NAMES.iter().map(|n| format!("class=\"{n}\"")).collect();
    r.render(events, text.as_bytes(), &|h, out| out.extend(classes[h.0].as_bytes())).unwrap();
    r.html.len()
}

#[cfg(feature = "hl")]
type Setup = ();
#[cfg(feature = "hl")]
fn run_setup() -> Setup {}
#[cfg(feature = "hl")]
fn languages(_: &Setup) -> usize {
    12
}
#[cfg(feature = "hl")]
fn highlight(_: &Setup, text: &str, lang: &str) -> usize {
    let lang = hl_lite::Lang::from_slug(lang).unwrap();
    let mut html = String::with_capacity(text.len() * 2);
    for span in hl_lite::highlight(lang, text) {
        if span.kind == hl_lite::Kind::Plain {
            escape(&mut html, span.text);
        } else {
            html.push_str("<span class=\"");
            html.push_str(span.kind.class());
            html.push_str("\">");
            escape(&mut html, span.text);
            html.push_str("</span>");
        }
    }
    html.len()
}
#[cfg(feature = "hl")]
fn escape(html: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '<' => html.push_str("&lt;"),
            '>' => html.push_str("&gt;"),
            '&' => html.push_str("&amp;"),
            '"' => html.push_str("&quot;"),
            c => html.push(c),
        }
    }
}
