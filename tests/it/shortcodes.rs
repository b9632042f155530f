//! Shortcodes in Zola's syntax: the theme's, the site's own (which win), typed and
//! checked arguments with located errors, bodies in Markdown or raw, never applied in
//! code, and Zola's escapes to show the syntax.

use crate::common::{TestSite, member};

fn page(title: &str, body: &str) -> String {
    format!("---\ntitle: {title}\n---\n{body}")
}

#[test]
fn the_themes_shortcodes_render_where_they_are_called() {
    let body = "Intro with {{ youtube(id=\"dQw4w9WgXcQ\", title=\"A talk\", start=30) }} inline.\n\n\
{{ figure(src=\"/map.png\", caption=\"The *route*\", width=300) }}\n\n\
{% note(kind=\"warning\", title=\"Mind this\") %}\n\
A body with a [[kazakhstan]] link and *emphasis*.\n\n\
- one point\n\
{% end %}\n\n\
{% aside() %}\nA remark.\n{% end %}\n\n\
{{ ref(to=\"kazakhstan\") }}\n\nAfter.\n";
    let site = TestSite::new(&[
        (
            "members/kazakhstan.md",
            &member("Kazakhstan", "Hosts the drill."),
        ),
        ("members/russia.md", &page("Russia", body)),
    ]);
    site.build_ok();
    let html = site.output("members/russia/index.html");
    // A block's output stands outside paragraphs, even when called inside one.
    assert!(
        html.contains("<p>Intro with </p>\n<div class=\"video-embed\">"),
        "{html}"
    );
    assert!(!html.contains("<p><figure"), "{html}");
    assert!(
        html.contains(
            "<figure class=\"figure\"><img src=\"/map.png\" alt=\"The route\" width=\"300\""
        ),
        "{html}"
    );
    assert!(
        html.contains("<figcaption>The <em>route</em></figcaption>"),
        "{html}"
    );
    // The video: a link until clicked, no request to YouTube before.
    assert!(
        html.contains("href=\"https://www.youtube.com/watch?v=dQw4w9WgXcQ&amp;t=30\""),
        "{html}"
    );
    assert!(!html.contains("<iframe"), "{html}");
    assert!(!html.contains("src=\"https://www.youtube"), "{html}");
    assert!(
        html.contains("/video."),
        "the page loads the video script: {html}"
    );
    // The note's body is Markdown of the page: its link resolved, its list a list.
    let note = &html[html.find("data-callout=\"warning\"").expect("note")..];
    assert!(
        note.starts_with("data-callout=\"warning\">\n<p class=\"callout-title\">Mind this</p>"),
        "{note}"
    );
    assert!(
        note.contains("<a href=\"/members/kazakhstan/\">Kazakhstan</a> link and <em>emphasis</em>"),
        "{note}"
    );
    assert!(note.contains("<ul>\n<li>one point</li>\n</ul>"), "{note}");
    assert!(html.contains("<aside class=\"aside\">"), "{html}");
    // The card: title, kind label and URL of the page it names.
    assert!(
        html.contains("<a class=\"ref-card\" href=\"/members/kazakhstan/\"><span class=\"ref-card-kind\">Member state</span>\n<strong class=\"ref-card-title\">Kazakhstan</strong>"),
        "{html}"
    );
    assert!(html.contains("<p>After.</p>"), "{html}");
    // Pages without a video do not load its script.
    assert!(
        !site
            .output("members/kazakhstan/index.html")
            .contains("/video.")
    );
    // The card and the note's link are links of the page.
    let kz = site.output("members/kazakhstan/index.html");
    assert!(kz.contains("href=\"/members/russia/\""), "backlink: {kz}");
}

#[test]
fn code_shows_the_syntax_and_escapes_show_it_in_text() {
    let body = "Write {{/* figure(src=\"a.png\") */}} in text.\n\n\
```markdown\n{{ figure(src=\"b.png\") }}\n{% note() %}\nx\n{% end %}\n{{/* escaped() */}}\n```\n\n\
And `{{ unknown_here(x=1) }}` inline, and $x^{{ 2 }}$.\n";
    let site = TestSite::new(&[("members/russia.md", &page("Russia", body))]);
    site.build_ok();
    let html = site.output("members/russia/index.html");
    assert!(
        html.contains("<p>Write {{ figure(src=“a.png”) }} in text.</p>"),
        "{html}"
    );
    assert!(
        html.contains(
            "{{ figure(src=&quot;b.png&quot;) }}\n{% note() %}\nx\n{% end %}\n{{ escaped() }}"
        ),
        "{html}"
    );
    assert!(
        html.contains("<code>{{ unknown_here(x=1) }}</code>"),
        "{html}"
    );
    assert!(!html.contains("<figure"), "{html}");
    assert!(!html.contains('\u{1}'), "no placeholder is left");
}

#[test]
fn every_mistake_is_a_located_error_with_a_hint() {
    let body = "Line one.\n\
{{ figur(src=\"a.png\") }}\n\
{{ figure(src=\"a.png\", widht=3) }}\n\
{{ figure(src=\"a.png\", width=\"wide\") }}\n\
{{ figure(caption=\"no source\") }}\n\
{{ figure(src=a.png) }}\n\
{% note() %}\nnever ended\n";
    let site = TestSite::new(&[
        ("members/russia.md", &page("Russia", body)),
        (
            "members/belarus.md",
            &page(
                "Belarus",
                "See {{ ref(to=\"nowhere\") }} and {{ youtube(id=\"x\") }}.\n",
            ),
        ),
    ]);
    let err = site.build().expect_err("the calls are wrong");
    let text = err.to_string();
    let expect = [
        (
            "russia.md:5:1",
            "unknown shortcode `figur`",
            "did you mean `figure`?",
        ),
        (
            "russia.md:6:24",
            "shortcode `figure` has no argument `widht`",
            "did you mean `width`?",
        ),
        (
            "russia.md:7:24",
            "argument `width` of `figure` must be a number, not a string",
            "width=3",
        ),
        (
            "russia.md:8:1",
            "shortcode `figure` needs argument `src`",
            "src=\"text\"",
        ),
        ("russia.md:9:15", "does not parse: expected a value", "{{/*"),
        (
            "russia.md:10:1",
            "shortcode `note` has no `{% end %}`",
            "end its body",
        ),
        ("belarus.md:4:12", "nowhere", "check the file name"),
    ];
    for (place, message, hint) in expect {
        let d = err
            .0
            .iter()
            .find(|d| d.message.contains(message))
            .unwrap_or_else(|| panic!("no error `{message}` in:\n{text}"));
        let location = d.location.as_ref().expect("located");
        let at = format!(
            "{}:{}:{}",
            location.file.file_name().unwrap().to_string_lossy(),
            location.line,
            location.column
        );
        assert_eq!(at, place, "{message}\n{text}");
        assert!(
            d.hint.as_deref().unwrap_or_default().contains(hint),
            "{message}: {:?}",
            d.hint
        );
    }
    assert!(
        err.0.iter().filter(|d| d.kind.code() == "E016").count() >= 6,
        "{text}"
    );
    // A failed build wrote nothing.
    assert!(!site.root().join("public").exists());
}

#[test]
fn the_sites_shortcodes_win_and_zolas_templates_work_as_written() {
    let site = TestSite::new(&[(
        "members/russia.md",
        &page(
            "Russia",
            "{% note() %}\nOverridden *body*.\n{% end %}\n\n\
{% quote(author=\"A. Writer\") %}\nA **bold** claim.\n{% end %}\n\n\
{{ counter() }} `{{ counter() }}` {{ counter() }}\n\n\
{{ listing(items=[\"a\", \"b\"]) }}\n\n\
{% raw_sample(lang=\"yaml\") %}\nkey: *not emphasis* [[not-a-link]]\n{% end %}\n",
        ),
    )]);
    // A site's own note replaces the theme's.
    site.write(
        "templates/shortcodes/note.html",
        "<div class=\"site-note\">{{ body }}</div>",
    );
    // Zola's way: no declaration, the body through `markdown`, `nth`, `default`.
    site.write(
        "templates/shortcodes/quote.html",
        "<blockquote class=\"quote\">{{ body | markdown | safe }}<p>— {{ author | default(value=\"Anonymous\") }}</p></blockquote>",
    );
    site.write(
        "templates/shortcodes/counter.html",
        "<span class=\"n\">{{ nth }}</span>",
    );
    // A `.md` shortcode's output is Markdown.
    site.write(
        "templates/shortcodes/listing.md",
        "{% for item in items %}- **{{ item }}**\n{% endfor %}",
    );
    site.write(
        "templates/shortcodes/raw_sample.html",
        "{# shortcode\nargs:\n  lang: string\nbody: raw\n#}<pre data-lang=\"{{ lang }}\">{{ body }}</pre>",
    );
    site.build_ok();
    let html = site.output("members/russia/index.html");
    assert!(
        html.contains("<div class=\"site-note\">\n<p>Overridden <em>body</em>.</p>\n</div>"),
        "{html}"
    );
    assert!(!html.contains("callout"), "{html}");
    assert!(
        html.contains("<blockquote class=\"quote\">\n<p>A <strong>bold</strong> claim.</p>\n<p>— A. Writer</p></blockquote>"),
        "{html}"
    );
    assert!(
        // A call inside code is not a call: `nth` counts those applied.
        html.contains(
            "<span class=\"n\">1</span> <code>{{ counter() }}</code> <span class=\"n\">2</span>"
        ),
        "{html}"
    );
    assert!(
        html.contains("<li><strong>a</strong></li>\n<li><strong>b</strong></li>"),
        "{html}"
    );
    assert!(
        html.contains("<pre data-lang=\"yaml\">\nkey: *not emphasis* [[not-a-link]]\n</pre>"),
        "{html}"
    );
}

#[test]
fn template_failures_and_bad_declarations_are_located() {
    let site = TestSite::new(&[(
        "members/russia.md",
        &page("Russia", "Text.\n\n{{ broken(n=2) }}\n"),
    )]);
    site.write(
        "templates/shortcodes/broken.html",
        "<b>{{ n + missing }}</b>",
    );
    let err = site.build().expect_err("the template fails");
    let d = err
        .0
        .iter()
        .find(|d| d.message.contains("shortcode `broken` failed"))
        .unwrap_or_else(|| panic!("{err}"));
    let location = d.location.as_ref().unwrap();
    assert!(
        location.file.ends_with("content/members/russia.md"),
        "{err}"
    );
    assert_eq!((location.line, location.column), (6, 1), "{err}");
    assert!(d.message.contains("broken.html:1:"), "{err}");

    site.write(
        "templates/shortcodes/broken.html",
        "{# shortcode\nargs:\n  n: numbr\n#}<b>{{ n }}</b>",
    );
    let err = site.build().expect_err("the declaration is wrong");
    let d = err
        .0
        .iter()
        .find(|d| d.message.contains("declaration of shortcode `broken`"))
        .unwrap_or_else(|| panic!("{err}"));
    let location = d.location.as_ref().unwrap();
    assert!(location.file.ends_with("broken.html"), "{err}");
    assert_eq!(location.line, 3, "{err}");
}

#[test]
fn positions_after_a_shortcode_stay_true() {
    // A broken link after a long call spread over lines is reported where it is.
    let body = "{{ figure(\n  src=\"/a.png\",\n  caption=\"A long caption\"\n) }}\n\nThen [[missing-page]].\n";
    let site = TestSite::new(&[("members/russia.md", &page("Russia", body))]);
    let err = site.build().expect_err("broken link");
    let d = err
        .0
        .iter()
        .find(|d| d.message.contains("missing-page"))
        .unwrap_or_else(|| panic!("{err}"));
    let location = d.location.as_ref().unwrap();
    assert_eq!((location.line, location.column), (9, 6), "{err}");
}

#[test]
fn summaries_show_what_calls_render() {
    let site = TestSite::new(&[
        (
            "members/russia.md",
            &page("Russia", "A member {{ counter() }} of the CSTO.\n\nMore.\n"),
        ),
        ("members/_index.md", "---\ntitle: Members\n---\n"),
    ]);
    site.write(
        "templates/shortcodes/counter.html",
        "{# shortcode #}<b>#{{ nth }}</b>",
    );
    site.build_ok();
    let listing = site.output("members/index.html");
    assert!(
        listing.contains("A member <b>#1</b> of the CSTO."),
        "{listing}"
    );
}

#[test]
fn include_puts_another_pages_markdown_in_place() {
    let site = TestSite::new(&[
        (
            "snippets/_index.md",
            "---\ntitle: Snippets\nheadless: true\n---\n",
        ),
        (
            "snippets/disclaimer.md",
            "---\ntitle: Disclaimer\n---\n## Sources\n\nEvery fact here comes from [[kazakhstan]]'s page {{ counter() }}.\n",
        ),
        ("members/kazakhstan.md", &member("Kazakhstan", "Hosts.")),
        (
            "members/russia.md",
            &page(
                "Russia",
                "Intro.\n\n{{ include(path=\"/snippets/disclaimer.md\") }}\n\nShown as written: `{{ include(path=\"nowhere.md\") }}`.\n",
            ),
        ),
    ]);
    site.write(
        "templates/shortcodes/counter.html",
        "{# shortcode #}<b>#{{ nth }}</b>",
    );
    site.build_ok();
    let html = site.output("members/russia/index.html");
    // As if written there: a heading of the page (with its id, in the contents), its
    // link resolved from the including page, its shortcode applied.
    assert!(html.contains("<h2 id=\"sources\">Sources"), "{html}");
    assert!(html.contains("href=\"#sources\""), "contents: {html}");
    assert!(
        html.contains(
            "comes from <a href=\"/members/kazakhstan/\">Kazakhstan</a>’s page <b>#1</b>."
        ),
        "{html}"
    );
    assert!(
        html.contains("<code>{{ include(path=\"nowhere.md\") }}</code>"),
        "{html}"
    );
    // The snippets' section is headless: included, not published.
    assert!(!site.root().join("public/snippets").exists());
}

#[test]
fn include_cycles_and_missing_pages_are_located_errors() {
    let site = TestSite::new(&[
        (
            "notes/a.md",
            &page("A", "Start.\n\n{{ include(path=\"b.md\") }}\n"),
        ),
        ("notes/b.md", &page("B", "{{ include(path=\"a.md\") }}\n")),
        (
            "notes/c.md",
            &page("C", "x\n{{ include(path=\"../../etc/passwd\") }}\n"),
        ),
    ]);
    let err = site.build().expect_err("cycle");
    let text = err.to_string();
    let cycle = err
        .0
        .iter()
        .find(|d| {
            d.message.contains("would include it in itself")
                && d.location.as_ref().unwrap().file.ends_with("notes/a.md")
        })
        .unwrap_or_else(|| panic!("{text}"));
    assert_eq!(cycle.location.as_ref().unwrap().line, 6, "{text}");
    assert!(
        cycle
            .message
            .contains("notes/a.md → notes/b.md → notes/a.md"),
        "{text}"
    );
    let missing = err
        .0
        .iter()
        .find(|d| d.message.contains("finds no page `../../etc/passwd`"))
        .unwrap_or_else(|| panic!("{text}"));
    assert_eq!(missing.location.as_ref().unwrap().line, 5, "{text}");
}

#[test]
fn many_tags_on_one_line_and_unclosed_ones_stay_linear() {
    // 40,000 calls on one line, 40,000 strings that never close, 20,000 raw bodies that
    // never end: each tag is looked at within a bounded distance, each line once.
    let calls = "{{ counter() }} ".repeat(40_000);
    let unclosed = "{{ f(a=\" ".repeat(40_000);
    let raw = "{% sample() %} ".repeat(20_000);
    let site = TestSite::new(&[
        ("notes/calls.md", &page("Calls", &format!("{calls}\n"))),
        (
            "notes/unclosed.md",
            &page("Unclosed", &format!("{unclosed}\n")),
        ),
        ("notes/raw.md", &page("Raw", &format!("{raw}\n"))),
    ]);
    site.write(
        "templates/shortcodes/counter.html",
        "{# shortcode #}<b>{{ nth }}</b>",
    );
    site.write(
        "templates/shortcodes/sample.html",
        "{# shortcode\nbody: raw\n#}<pre>{{ body }}</pre>",
    );
    let err = site.build().expect_err("the raw bodies never end");
    let unended = err
        .0
        .iter()
        .filter(|d| d.message.contains("has no `{% end %}`"))
        .count();
    assert_eq!(unended, 20_000, "every unended body is reported");
    assert!(
        err.0.iter().all(|d| !d.message.contains("does not parse")
            || d.location.as_ref().unwrap().file.ends_with("unclosed.md")),
        "only the unclosed strings are malformed"
    );
    // Without the raw bodies, the page of 40,000 calls renders every one.
    std::fs::remove_file(site.root().join("content/notes/raw.md")).unwrap();
    std::fs::remove_file(site.root().join("content/notes/unclosed.md")).unwrap();
    site.build_ok();
    let html = site.output("notes/calls/index.html");
    assert!(html.contains("<b>40000</b>"), "the last call rendered");
}
