//! Markdown beyond CommonMark, as writers bring it from GitHub, Obsidian, Zola and Hugo:
//! formulas and the `markdown:` switches of site.yaml.

use crate::common::{CONFIG, TestSite};

fn with_markdown(options: &str, files: &[(&str, &str)]) -> TestSite {
    TestSite::with_config(&format!("{CONFIG}markdown: {options}\n"), files)
}

#[test]
fn formulas_become_mathml_untouched_by_smart_punctuation() {
    let site = TestSite::new(&[(
        "notes/maths.md",
        "---\ntitle: Maths\n---\nThe slope $f'(x) = 2x$ -- \"derivative\".\n\n$$\n\\frac{a}{b} \\\\ c\n$$\n",
    )]);
    site.build_ok();
    let html = site.output("notes/maths/index.html");
    assert!(html.contains("<math>"), "{html}");
    assert!(html.contains("<math display=\"block\">"), "{html}");
    assert!(html.contains("<mfrac>"), "{html}");
    // Outside the formula, punctuation is still made typographic.
    assert!(html.contains("– “derivative”"), "{html}");
    // Inside, the prime stays a prime, not a curly quote.
    assert!(!html.contains("f’"), "{html}");
    assert!(!html.contains("$f"), "{html}");
}

#[test]
fn a_formula_that_does_not_parse_is_located_and_shown_as_source() {
    let page = "---\ntitle: Maths\n---\nFine $x$.\n\nBroken $a + \\nosuchcommand x$ here.\n";
    let site = TestSite::new(&[("notes/maths.md", page)]);
    let err = site.build().unwrap_err();
    assert_eq!(err.0.len(), 1, "{err}");
    let d = &err.0[0];
    assert_eq!(d.kind.code(), "E014", "{d}");
    let loc = d.location.as_ref().unwrap();
    assert_eq!(
        (loc.line, loc.file.to_str().unwrap()),
        (6, "content/notes/maths.md"),
        "{d}"
    );
    // At the unknown command, not at the formula.
    assert_eq!(loc.column, 13, "{d}");
    // As a warning, the build goes on and readers see the source.
    let site = with_markdown("{ math_errors: warning }", &[("notes/maths.md", page)]);
    site.build_ok();
    let html = site.output("notes/maths/index.html");
    assert!(
        html.contains(r#"<code class="math-error">a + \nosuchcommand x</code>"#),
        "{html}"
    );
}

#[test]
fn smart_punctuation_and_math_can_be_turned_off() {
    let site = with_markdown(
        "{ smart_punctuation: false, math: false }",
        &[(
            "notes/cli.md",
            "---\ntitle: CLI\n---\nRun `x` with --flag and \"quotes\"... It costs $5 or $6.\n",
        )],
    );
    site.build_ok();
    let html = site.output("notes/cli/index.html");
    assert!(
        html.contains("with --flag and &quot;quotes&quot;..."),
        "{html}"
    );
    assert!(html.contains("costs $5 or $6."), "{html}");
    assert!(!html.contains("<math"), "{html}");
}

#[test]
fn callouts_of_github_and_obsidian_render_as_titled_blocks() {
    let site = TestSite::new(&[(
        "notes/c.md",
        "---\ntitle: C\n---\n> [!NOTE]\n> GitHub's alert, with a [[c|link]].\n\n> [!faq]- Why \\<script>?\n> Folded.\n\n> [!tip]+\n> Open.\n\n> A plain quote.\n",
    )]);
    site.build_ok();
    let html = site.output("notes/c/index.html");
    assert!(
        html.contains("<div class=\"callout\" data-callout=\"note\">\n<p class=\"callout-title\">Note</p>\n<p>GitHub’s alert, with a <a href=\"/notes/c/\">link</a>.</p>\n</div>"),
        "{html}"
    );
    assert!(
        html.contains("<details class=\"callout\" data-callout=\"faq\">\n<summary class=\"callout-title\">Why &lt;script&gt;?</summary>"),
        "{html}"
    );
    assert!(
        html.contains("<details class=\"callout\" data-callout=\"tip\" open>"),
        "{html}"
    );
    assert!(
        html.contains("<blockquote>\n<p>A plain quote.</p>"),
        "{html}"
    );
    assert!(!html.contains("[!"), "{html}");
}

#[test]
fn callout_titles_are_markdown_with_working_links() {
    let site = TestSite::new(&[
        (
            "notes/c.md",
            "---\ntitle: C\n---\n> [!info] See [[d]] and *why*\n> Body.\n\nAfter.\n",
        ),
        ("notes/d.md", "---\ntitle: D\n---\nD.\n"),
    ]);
    site.build_ok();
    let html = site.output("notes/c/index.html");
    assert!(
        html.contains("<p class=\"callout-title\">See <a href=\"/notes/d/\">D</a> and <em>why</em></p>\n<p>Body.</p>"),
        "{html}"
    );
    // The link counts: D's backlinks name C.
    let d = site.output("notes/d/index.html");
    assert!(d.contains("href=\"/notes/c/\""), "{d}");
    // A broken link in a title is an error at its place, as anywhere.
    let broken = TestSite::new(&[(
        "notes/c.md",
        "---\ntitle: C\n---\n> [!info] See [[nowhere]]\n> Body.\n",
    )]);
    let text = broken.build().unwrap_err().to_string();
    assert!(text.contains("notes/c.md:4:"), "{text}");
}

#[test]
fn bare_urls_and_definition_lists_as_github_and_obsidian_render_them() {
    let page = "---\ntitle: D\n---\nSee https://example.org/report and www.example.com.\n\nTerm\n: Its definition.\n";
    let site = TestSite::new(&[("notes/d.md", page)]);
    site.build_ok();
    let html = site.output("notes/d/index.html");
    assert!(
        html.contains(r#"<a href="https://example.org/report">https://example.org/report</a>"#),
        "{html}"
    );
    assert!(
        html.contains(r#"<a href="http://www.example.com">www.example.com</a>."#),
        "{html}"
    );
    assert!(
        html.contains("<dl>\n<dt>Term</dt>\n<dd>Its definition.</dd>\n</dl>"),
        "{html}"
    );
    let site = with_markdown("{ autolinks: false }", &[("notes/d.md", page)]);
    site.build_ok();
    let html = site.output("notes/d/index.html");
    assert!(
        html.contains("See https://example.org/report and"),
        "{html}"
    );
}

#[test]
fn hostile_text_in_callouts_embeds_and_formulas_stays_text() {
    let site = TestSite::with_config(
        &format!(
            "{CONFIG}broken_links: {{ files: warning }}\nmarkdown: {{ math_errors: warning }}\n"
        ),
        &[(
            "notes/h.md",
            "---\ntitle: H\n---\n> [!x\"y] \\<img src=x onerror=alert(1)>\n> Body.\n\n> [!note] Title \\\" onmouseover=\\\"alert(1)\n> Body.\n\n![[a\" onerror=\"alert(1).png|b\" onload=\"alert(2)]]\n\nFormula $\\bad<script>$ here.\n",
        )],
    );
    site.build_ok();
    let html = site.output("notes/h/index.html");
    for injected in ["<img src=x", "\" onerror=\"", "\" onload=\"", "<script>"] {
        assert!(
            !html.contains(injected),
            "`{injected}` got through:\n{html}"
        );
    }
    // The odd type is no callout; the note's title is text (a quote is harmless there).
    assert!(
        html.contains("<p class=\"callout-title\">Title \" onmouseover=\"alert(1)</p>"),
        "{html}"
    );
}

#[test]
fn external_links_and_images_take_the_attributes_site_yaml_asks_for() {
    let page = "---\ntitle: E\n---\n[Asia-Plus](https://asiaplustj.info/ \"The source\") and [a note](@/notes/e.md).\n\n![A map](https://example.org/map.png \"Map\")\n\n![[pic.png|300]]\n";
    // By default, as the HTML writer writes them.
    let site = TestSite::new(&[("notes/e.md", page), ("notes/pic.png", "png")]);
    site.build_ok();
    let html = site.output("notes/e/index.html");
    assert!(
        html.contains(r#"<a href="https://asiaplustj.info/" title="The source">Asia-Plus</a>"#),
        "{html}"
    );
    assert!(
        html.contains(r#"<img src="https://example.org/map.png" alt="A map" title="Map" />"#),
        "{html}"
    );
    let site = with_markdown(
        "{ external_links_target_blank: true, external_links_no_follow: true, external_links_no_referrer: true, lazy_async_image: true }",
        &[("notes/e.md", page), ("notes/pic.png", "png")],
    );
    site.build_ok();
    let html = site.output("notes/e/index.html");
    // Embedded images load lazily too.
    assert!(
        html.contains(r#"<img src="/notes/pic.png" alt="pic.png" width="300" loading="lazy" decoding="async" />"#),
        "{html}"
    );
    assert!(
        html.contains(r#"<a href="https://asiaplustj.info/" title="The source" rel="noopener nofollow noreferrer" target="_blank">Asia-Plus</a>"#),
        "{html}"
    );
    // Links within the site stay as they are.
    assert!(html.contains(r#"<a href="/notes/e/">a note</a>"#), "{html}");
    assert!(
        html.contains(r#"<img src="https://example.org/map.png" alt="A map" title="Map" loading="lazy" decoding="async" />"#),
        "{html}"
    );
}

#[test]
fn emoji_shortcodes_when_the_site_asks_and_never_in_code() {
    let page = "---\ntitle: Party\n---\nShipped :tada: at 10:30.\n\n`:tada:` in code.\n\n```\n:tada:\n```\n\n    :smile: indented\n";
    let site = with_markdown("{ emoji: true }", &[("notes/party.md", page)]);
    site.build_ok();
    let html = site.output("notes/party/index.html");
    assert!(html.contains("<p>Shipped 🎉 at 10:30.</p>"), "{html}");
    assert!(html.contains("<code>:tada:</code>"), "{html}");
    assert!(html.contains("<code>:tada:\n</code>"), "{html}");
    assert!(html.contains("<code>:smile: indented\n</code>"), "{html}");
    // Off by default: `:word:` may be meant as written.
    let site = TestSite::new(&[("notes/party.md", page)]);
    site.build_ok();
    assert!(
        site.output("notes/party/index.html")
            .contains("Shipped :tada: at")
    );
}
