//! Every error a writer can cause: located at file:line:column with a hint,
//! reported together, exit status 1, and `public/` left exactly as it was.

use crate::common::{TestSite, member, snapshot_tree};
use muster::{Diagnostic, ErrorKind};

/// The errors of a build that must fail; warnings (a `base_url` without a host in the
/// small settings some tests use) are not what these tests are about.
fn errors(site: &TestSite) -> Vec<Diagnostic> {
    match site.build() {
        Ok(_) => panic!("build should fail"),
        Err(e) => e.0.into_iter().filter(Diagnostic::is_error).collect(),
    }
}

/// Asserts the only error is of `kind` at `file:line:column` and its hint contains `hint`.
fn assert_single(
    site: &TestSite,
    kind: ErrorKind,
    file: &str,
    line: usize,
    column: usize,
    hint: &str,
) -> Diagnostic {
    let errs = errors(site);
    assert_eq!(errs.len(), 1, "{errs:#?}");
    let d = errs.into_iter().next().unwrap();
    assert_eq!(d.kind, kind, "{d}");
    let loc = d
        .location
        .as_ref()
        .unwrap_or_else(|| panic!("no location: {d}"));
    assert_eq!(loc.file.to_string_lossy().replace('\\', "/"), file, "{d}");
    assert_eq!((loc.line, loc.column), (line, column), "{d}");
    assert!(
        d.hint.as_deref().unwrap_or("").contains(hint),
        "hint {:?} lacks {hint:?}",
        d.hint
    );
    d
}

const HOST: (&str, &str) = (
    "members/kazakhstan.md",
    "---\ntitle: Kazakhstan\n---\n## History\n",
);

fn drill(front: &str, body: &str) -> String {
    format!(
        "---\ntitle: D\ndates: {{ start: 2024-09-26, end: 2024-10-07 }}\nhost: kazakhstan\n{front}---\n{body}"
    )
}

#[test]
fn unknown_field_names_key_line_and_closest_field() {
    let site = TestSite::new(&[
        HOST,
        ("drills/d.md", &drill("partcipants: [kazakhstan]\n", "")),
    ]);
    let d = assert_single(
        &site,
        ErrorKind::Field,
        "content/drills/d.md",
        5,
        1,
        "did you mean `participants`?",
    );
    assert!(d.message.contains("unknown field `partcipants`"));
    assert_eq!(d.source_line.as_deref(), Some("partcipants: [kazakhstan]"));
}

/// A key written twice is one error, and the rest of the file is still checked: its
/// other errors come in the same run, and links to the page are not broken by it.
#[test]
fn a_repeated_key_is_one_error_and_the_rest_is_still_checked() {
    let site = TestSite::new(&[
        HOST,
        (
            "drills/d.md",
            &drill(
                "participants: [kazakhstan]\nhost: kazakhstan\n  # its comment\npartcipants: [x]\n",
                "",
            ),
        ),
        ("members/ru.md", "---\ntitle: Russia\n---\nSee [[d]].\n"),
    ]);
    let errs = errors(&site);
    let found: Vec<(ErrorKind, usize, usize)> = errs
        .iter()
        .map(|d| {
            let l = d.location.as_ref().unwrap();
            (d.kind, l.line, l.column)
        })
        .collect();
    assert_eq!(
        found,
        [(ErrorKind::FrontMatter, 6, 1), (ErrorKind::Field, 8, 1)],
        "{errs:#?}"
    );
    assert!(
        errs[0]
            .hint
            .as_ref()
            .unwrap()
            .contains("may appear only once")
    );
    assert!(
        errs[1]
            .hint
            .as_ref()
            .unwrap()
            .contains("did you mean `participants`?")
    );
}

#[test]
fn a_misspelt_required_key_is_one_error_not_also_a_missing_field() {
    let site = TestSite::new(&[
        HOST,
        (
            "drills/d.md",
            "---\ntitle: D\ndates: { start: 2024-09-26, end: 2024-10-07 }\nhots: kazakhstan\n---\n",
        ),
    ]);
    let d = assert_single(
        &site,
        ErrorKind::Field,
        "content/drills/d.md",
        4,
        1,
        "did you mean `host`?",
    );
    assert!(d.message.contains("unknown field `hots`"), "{}", d.message);
}

#[test]
fn hints_say_what_the_field_takes_by_its_type() {
    let site = TestSite::new(&[
        HOST,
        (
            "drills/d.md",
            &drill("format: [field]\nparticipants: kazakhstan, russia\n", ""),
        ),
        (
            "drills/e.md",
            "---\ntitle: E\ndates: { start: 2024-09-26, end: 2024-10-07 }\nhost: [kazakhstan]\n---\n",
        ),
        (
            "drills/f.md",
            "---\ntitle: F\nhost: kazakhstan\ndates:\n---\n",
        ),
        (
            "drills/g.md",
            "---\ntitle: G\ndates: { start: 2024-09-26, end: 2024-10-07 }\nhost: [kazakhstan, russia]\n---\n",
        ),
        (
            "drills/h.md",
            "---\ntitle: H\ndates: { start: 2024-09-26, end: 2024-10-07 }\nhost:\n---\n",
        ),
    ]);
    let errs = errors(&site);
    let hint_of = |file: &str, field: &str| {
        errs.iter()
            .find(|d| {
                d.location.as_ref().is_some_and(|l| l.file.ends_with(file))
                    && d.message.contains(&format!("`{field}`"))
            })
            .unwrap_or_else(|| panic!("no error for {file} {field}: {errs:#?}"))
            .hint
            .clone()
            .unwrap_or_default()
    };
    // An enum lists its values; a ref wants one slug of its kind; an empty required
    // range shows its form. No "quote the value" for a wrong shape.
    assert_eq!(
        hint_of("d.md", "format"),
        "write one of: command-staff, field"
    );
    assert_eq!(
        hint_of("e.md", "host"),
        "write `kazakhstan` without the brackets: the field names one page"
    );
    assert_eq!(
        hint_of("g.md", "host"),
        "the field names one page of kind `member`: keep one slug, without brackets (a field for several pages is declared `type: refs` in site.yaml)"
    );
    // An empty ref names the pages it could be, found once every page is read.
    assert_eq!(
        hint_of("h.md", "host"),
        "give `host:` the slug of one page of kind `member` (one slug, not a list); pages of kind `member`: `kazakhstan`"
    );
    assert_eq!(
        hint_of("f.md", "dates"),
        "give `dates:` a range: `{ start: 2024-09-26, end: 2024-10-07 }`"
    );
}

#[test]
fn a_date_that_does_not_exist_is_pointed_at_and_named_in_plain_words() {
    let site = TestSite::new(&[
        HOST,
        (
            "drills/d.md",
            "---\ntitle: D\ndates: { start: 2024-13-40, end: 2024-10-07 }\nhost: kazakhstan\n---\n",
        ),
    ]);
    // The caret at the bad date inside the range, not at its `{`.
    let d = assert_single(
        &site,
        ErrorKind::Field,
        "content/drills/d.md",
        3,
        17,
        "YYYY-MM-DD",
    );
    assert!(
        d.message.ends_with(
            "`2024-13-40` is not a valid date: there is no month 13; months go from 01 to 12"
        ),
        "{}",
        d.message
    );
}

#[test]
fn an_inferred_field_that_is_no_field_is_located_with_did_you_mean() {
    let site = TestSite::new(&[
        HOST,
        (
            "drills/d.md",
            &drill("inferred: { datez: \"the drill's name\" }\n", ""),
        ),
    ]);
    let d = assert_single(
        &site,
        ErrorKind::Field,
        "content/drills/d.md",
        5,
        13,
        "did you mean `dates`?",
    );
    assert!(
        d.message.contains("`inferred` names `datez`"),
        "{}",
        d.message
    );
}

#[test]
fn inferred_on_a_page_of_no_kind_is_an_error_not_ignored() {
    let site = TestSite::new(&[(
        "notes/n.md",
        "---\ntitle: N\ninferred: { year: the name }\n---\nText.\n",
    )]);
    let d = assert_single(
        &site,
        ErrorKind::Field,
        "content/notes/n.md",
        3,
        1,
        "`inferred` shortcode",
    );
    assert!(d.message.contains("no kind"), "{}", d.message);
}

#[test]
fn an_inferred_field_is_marked_beside_its_value() {
    let site = TestSite::new(&[
        HOST,
        (
            "drills/d.md",
            &drill("inferred: { dates: \"the year, from the name\" }\n", ""),
        ),
    ]);
    site.build_ok();
    let html = site.output("drills/d/index.html");
    let dates = &html[html.find("fact-dates").expect("the dates row")..];
    let dates = &dates[..dates.find("</dd>").unwrap()];
    assert!(
        dates.contains("<sup class=\"inferred-marker\" title=\"Inferred from the year, from the name\">inferred"),
        "{dates}"
    );
    assert!(
        !html[html.find("fact-host").unwrap()..]
            .split("</dd>")
            .next()
            .unwrap()
            .contains("inferred-marker")
    );
}

#[test]
fn yaml_syntax_error_is_located_in_the_markdown_file() {
    let site = TestSite::new(&[(
        "notes/a.md",
        "---\ntitle: A\nlist: [a, b\nother: x\n---\nbody",
    )]);
    let errs = errors(&site);
    assert_eq!(errs.len(), 1);
    let loc = errs[0].location.as_ref().unwrap();
    assert_eq!(errs[0].kind, ErrorKind::FrontMatter);
    assert!(
        loc.line >= 3 && loc.line <= 5,
        "line {} is not in the file's YAML",
        loc.line
    );
    assert!(errs[0].hint.is_some());
}

#[test]
fn a_repeated_key_points_at_the_repeat() {
    let site = TestSite::new(&[("notes/a.md", "---\ntitle: A\ntags: [x]\ntitle: B\n---\n")]);
    assert_single(
        &site,
        ErrorKind::FrontMatter,
        "content/notes/a.md",
        4,
        1,
        "`title` may appear only once",
    );
}

#[test]
fn tabs_in_yaml_get_a_hint() {
    let site = TestSite::new(&[("notes/a.md", "---\ntitle: A\nlist:\n\t- a\n---\n")]);
    let errs = errors(&site);
    assert_eq!(errs[0].location.as_ref().unwrap().line, 4, "{}", errs[0]);
    assert!(
        errs[0].hint.as_deref().unwrap().contains("tabs"),
        "{}",
        errs[0]
    );
}

#[test]
fn missing_and_unterminated_front_matter() {
    // A page of a kind needs front matter (its title); a note does not.
    let site = TestSite::new(&[("members/a.md", "# Just markdown\n")]);
    assert_single(
        &site,
        ErrorKind::Field,
        "content/members/a.md",
        1,
        1,
        "add `title: ...`",
    );
    let site = TestSite::new(&[("notes/a.md", "---\ntitle: A\n")]);
    assert_single(
        &site,
        ErrorKind::FrontMatter,
        "content/notes/a.md",
        1,
        1,
        "close the front matter",
    );
}

#[test]
fn missing_title_and_required_field() {
    let site = TestSite::new(&[
        HOST,
        (
            "drills/d.md",
            "---\ndates: { start: 2024-09-26, end: 2024-10-07 }\n---\n",
        ),
    ]);
    let errs = errors(&site);
    let messages: Vec<&str> = errs.iter().map(|e| &*e.message).collect();
    assert!(
        messages.contains(&"missing required field `title`"),
        "{messages:?}"
    );
    assert!(
        messages.contains(&"missing required field `host` for a page of kind `drill`"),
        "{messages:?}"
    );
    assert!(errs.iter().all(|e| e.location.as_ref().unwrap().line == 2));
}

#[test]
fn wrong_field_type_points_at_the_value() {
    let config = crate::common::CONFIG;
    let site = TestSite::with_config(
        config,
        &[("members/x.md", "---\ntitle: X\njoined: soon\n---\n")],
    );
    let d = assert_single(
        &site,
        ErrorKind::Field,
        "content/members/x.md",
        3,
        9,
        "digits",
    );
    assert!(d.message.contains("expected a whole number"), "{d}");
}

#[test]
fn ref_to_missing_page_points_at_the_value() {
    let site = TestSite::new(&[
        HOST,
        (
            "drills/d.md",
            &drill("participants: [kazakhstan, rusia]\n", ""),
        ),
    ]);
    let d = assert_single(
        &site,
        ErrorKind::Reference,
        "content/drills/d.md",
        5,
        28,
        "kazakhstan",
    );
    assert!(d.message.contains("no page `rusia`"), "{d}");
}

#[test]
fn ref_to_page_of_wrong_kind_lists_right_pages() {
    let site = TestSite::new(&[
        HOST,
        ("drills/d.md", &drill("", "")),
        ("drills/e.md", &drill("participants:\n  - d\n", "")),
    ]);
    let d = assert_single(
        &site,
        ErrorKind::Reference,
        "content/drills/e.md",
        6,
        5,
        "pages of kind `member`: `kazakhstan`",
    );
    assert!(
        d.message
            .contains("is a page of kind `drill`, expected kind `member`"),
        "{d}"
    );
}

#[test]
fn ambiguous_slug_asks_for_a_path() {
    let site = TestSite::new(&[
        HOST,
        ("notes/kazakhstan.md", &member("Also KZ", "")),
        ("notes/x.md", &member("X", "See [[kazakhstan]].")),
    ]);
    let errs = errors(&site);
    let d = errs
        .iter()
        .find(|e| e.message.contains("ambiguous"))
        .expect("ambiguous error");
    assert!(
        d.hint.as_deref().unwrap().contains("members/kazakhstan"),
        "{d}"
    );
}

#[test]
fn broken_links_and_anchors_are_all_reported_with_positions() {
    let body = "Intro.\n\nSee [[nowhere]] and [x](@/members/kazakhstan.md#histroy).\n\n[y](@/members/nope.md)\n";
    let site = TestSite::new(&[HOST, ("notes/a.md", &member("A", body))]);
    let errs = errors(&site);
    assert_eq!(errs.len(), 3, "{errs:#?}");
    let at = |e: &Diagnostic| {
        let l = e.location.as_ref().unwrap();
        (e.kind, l.line, l.column)
    };
    assert_eq!(at(&errs[0]), (ErrorKind::Link, 6, 5));
    assert_eq!(at(&errs[1]), (ErrorKind::Anchor, 6, 21));
    assert_eq!(errs[1].hint.as_deref(), Some("did you mean `#history`?"));
    assert_eq!(at(&errs[2]), (ErrorKind::Link, 8, 1));
}

#[test]
fn link_to_a_draft_explains_why_it_is_missing() {
    let site = TestSite::new(&[
        ("notes/wip.md", "---\ntitle: WIP\ndraft: true\n---\n"),
        ("notes/a.md", &member("A", "See [[wip]].")),
    ]);
    let d = assert_single(
        &site,
        ErrorKind::Link,
        "content/notes/a.md",
        4,
        5,
        "is a draft",
    );
    assert!(d.hint.unwrap().contains("--drafts"));
    let with_drafts = muster::BuildOptions {
        drafts: true,
        ..muster::BuildOptions::new(site.root())
    };
    muster::check(&with_drafts).unwrap();
}

#[test]
fn broken_relative_markdown_links_are_reported() {
    let site = TestSite::new(&[(
        "notes/a.md",
        &member(
            "A",
            "[x](nope.md) [y](../../../etc/passwd.md) [z](https://e.org/a.md)",
        ),
    )]);
    let errs = errors(&site);
    assert_eq!(errs.len(), 2, "{errs:#?}");
    assert_eq!(errs[0].kind, ErrorKind::Link);
    assert!(errs[0].message.contains("`nope.md`"), "{}", errs[0]);
    assert!(
        errs[1]
            .hint
            .as_deref()
            .unwrap()
            .contains("climbs above content/"),
        "{}",
        errs[1]
    );
}

#[test]
fn links_in_code_are_not_checked() {
    let site = TestSite::new(&[(
        "notes/a.md",
        &member(
            "A",
            "`[[nowhere]]`\n\n```\n[x](@/nope.md)\n```\n\n\\[[escaped]]",
        ),
    )]);
    site.build_ok();
}

#[test]
fn path_escapes_in_links_are_refused() {
    let site = TestSite::new(&[(
        "notes/a.md",
        &member("A", "[x](@/../site.yaml) [y](@//etc/passwd.md)"),
    )]);
    let errs = errors(&site);
    assert_eq!(errs.len(), 2, "{errs:#?}");
    assert!(
        errs.iter()
            .all(|e| e.hint.as_deref().unwrap().contains("without `..`"))
    );
}

#[test]
fn missing_template_named_in_front_matter() {
    let site = TestSite::new(&[("notes/a.md", "---\ntitle: A\ntemplate: pgae.html\n---\n")]);
    assert_single(
        &site,
        ErrorKind::Template,
        "content/notes/a.md",
        3,
        11,
        "did you mean `page.html`?",
    );
}

#[test]
fn template_syntax_error_is_located_in_the_template() {
    let site = TestSite::new(&[("notes/a.md", &member("A", ""))]);
    site.write(
        "templates/page.html",
        "<h1>{{ page.title }}</h1>\n{% if %}\n",
    );
    site.write("templates/other.html", "{% for x in %}");
    let errs = errors(&site);
    let files: Vec<String> = errs
        .iter()
        .map(|e| e.location.as_ref().unwrap().file.display().to_string())
        .collect();
    assert_eq!(
        files,
        ["templates/other.html", "templates/page.html"],
        "{errs:#?}"
    );
    assert_eq!(errs[1].location.as_ref().unwrap().line, 2);
}

#[test]
fn template_extending_or_including_a_missing_template_is_located() {
    let site = TestSite::new(&[("notes/a.md", "---\ntitle: A\ntemplate: plain.html\n---\n")]);
    site.write("templates/plain.html", "\n{% extends \"nope.html\" %}\n");
    let d = assert_single(
        &site,
        ErrorKind::Template,
        "templates/plain.html",
        2,
        12,
        "templates/nope.html",
    );
    assert!(d.message.contains("nope.html"));
    site.write("templates/plain.html", "{% include \"gone.html\" %}");
    assert_single(
        &site,
        ErrorKind::Template,
        "templates/plain.html",
        1,
        12,
        "add the template",
    );
}

#[test]
fn template_reading_undefined_field_names_template_and_page() {
    let site = TestSite::new(&[("notes/a.md", "---\ntitle: A\ntemplate: plain.html\n---\n")]);
    site.write(
        "templates/plain.html",
        "<h1>{{ page.title }}</h1>\n{{ page.nope }}\n",
    );
    let d = assert_single(
        &site,
        ErrorKind::Render,
        "templates/plain.html",
        2,
        9,
        "default",
    );
    assert!(d.message.contains("content/notes/a.md"), "{d}");
}

#[test]
fn unknown_config_key_has_line_and_hint() {
    let site = TestSite::with_config("title: T\ntaxonomys: [tags]\n", &[]);
    assert_single(
        &site,
        ErrorKind::Config,
        "site.yaml",
        2,
        1,
        "did you mean `taxonomies`?",
    );
}

#[test]
fn section_keys_on_a_page_and_bad_pagination_are_refused() {
    let site = TestSite::new(&[("notes/a.md", "---\ntitle: A\npaginate_by: 3\n---\n")]);
    assert_single(
        &site,
        ErrorKind::Field,
        "content/notes/a.md",
        3,
        1,
        "_index.md",
    );
    let site = TestSite::new(&[("notes/_index.md", "---\ntitle: N\npaginate_by: 0\n---\n")]);
    assert_single(
        &site,
        ErrorKind::Field,
        "content/notes/_index.md",
        3,
        14,
        "paginate_by: 20",
    );
}

#[test]
fn slug_on_a_section_is_refused() {
    let site = TestSite::new(&[("notes/_index.md", "---\ntitle: Notes\nslug: other\n---\n")]);
    assert_single(
        &site,
        ErrorKind::Field,
        "content/notes/_index.md",
        3,
        1,
        "rename the section's folder",
    );
}

#[test]
fn missing_theme_points_at_the_theme_key() {
    let site = TestSite::with_config("title: T\ntheme: fancy\n", &[]);
    assert_single(
        &site,
        ErrorKind::Template,
        "site.yaml",
        2,
        1,
        "themes/fancy/templates/",
    );
}

#[test]
fn two_pages_with_the_same_url_differing_in_case() {
    let site = TestSite::new(&[
        ("notes/Page.md", &member("A", "")),
        ("notes/page.md", &member("B", "")),
    ]);
    let errs = errors(&site);
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert_eq!(errs[0].kind, ErrorKind::Duplicate);
    assert!(errs[0].message.contains("/notes/page/"), "{}", errs[0]);
}

#[test]
fn invalid_utf8_is_located() {
    let site = TestSite::new(&[]);
    std::fs::create_dir_all(site.root().join("content/notes")).unwrap();
    std::fs::write(
        site.root().join("content/notes/a.md"),
        b"---\ntitle: A\n---\nbad \xFF byte",
    )
    .unwrap();
    assert_single(&site, ErrorKind::Io, "content/notes/a.md", 4, 5, "UTF-8");
}

#[test]
fn errors_from_many_files_and_stages_come_together() {
    let site = TestSite::new(&[
        HOST,
        ("drills/d.md", &drill("partcipants: []\n", "[[nowhere]]")),
        ("notes/a.md", "---\ntitle: [\n---\n"),
        ("members/b.md", "no front matter"),
    ]);
    site.write("templates/broken.html", "{% if %}");
    let errs = errors(&site);
    let kinds: Vec<ErrorKind> = errs.iter().map(|e| e.kind).collect();
    for k in [
        ErrorKind::Field,
        ErrorKind::Link,
        ErrorKind::FrontMatter,
        ErrorKind::Template,
    ] {
        assert!(kinds.contains(&k), "{k:?} missing from {kinds:?}");
    }
    assert!(errs.len() >= 5, "{errs:#?}");
}

#[test]
fn failed_build_leaves_public_exactly_as_it_was() {
    let site = TestSite::new(&[HOST, ("notes/a.md", &member("A", "[[kazakhstan]]"))]);
    site.build_ok();
    let before = snapshot_tree(&site.root().join("public"));
    assert!(!before.is_empty());
    site.write("content/notes/a.md", &member("A changed", "[[nowhere]]"));
    site.write("content/notes/new.md", &member("New", ""));
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--> content/notes/a.md:4:1"), "{stderr}");
    assert!(stderr.contains("error[E006]"), "{stderr}");
    assert_eq!(snapshot_tree(&site.root().join("public")), before);
    // No staging folder is left behind.
    let names: Vec<String> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.contains("staging")), "{names:?}");
}

#[test]
fn cli_exit_status_is_one_for_content_errors() {
    let site = TestSite::new(&[("members/a.md", "oops")]);
    let out = site.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("help:"));
    let out = site.run(&["build", "--root", "/nonexistent/site"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_template_missing_from_the_theme_is_reported_once() {
    let site = TestSite::new(&[
        ("a/one.md", &member("One", "")),
        ("b/two.md", &member("Two", "")),
        ("c/three.md", &member("Three", "")),
    ]);
    std::fs::remove_file(site.root().join("themes/default/templates/section.html")).unwrap();
    let errs = errors(&site);
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert!(
        errs[0]
            .message
            .contains("template `section.html` not found")
    );
    assert!(errs[0].hint.as_deref().unwrap().contains("templates/"));
}

#[cfg(unix)]
#[test]
fn symlinks_pointing_outside_the_site_are_refused() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.md"),
        "---\ntitle: Secret\n---\nprivate",
    )
    .unwrap();
    std::fs::create_dir(outside.path().join("dir")).unwrap();
    std::fs::write(
        outside.path().join("dir/other.md"),
        "---\ntitle: Other\n---\n",
    )
    .unwrap();
    let site = TestSite::new(&[("notes/a.md", &member("A", ""))]);
    std::os::unix::fs::symlink(
        outside.path().join("secret.md"),
        site.root().join("content/notes/secret.md"),
    )
    .unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("dir"),
        site.root().join("content/linked"),
    )
    .unwrap();
    // A link inside the site is fine.
    std::os::unix::fs::symlink(
        site.root().join("content/notes/a.md"),
        site.root().join("content/notes/b.md"),
    )
    .unwrap();
    let errs = errors(&site);
    assert_eq!(errs.len(), 2, "{errs:#?}");
    assert!(
        errs.iter()
            .all(|e| e.message.contains("symbolic link points outside the site"))
    );
    assert!(!site.root().join("public").exists());
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_is_an_error_not_a_hang() {
    let site = TestSite::new(&[("notes/a.md", &member("A", ""))]);
    std::os::unix::fs::symlink(
        site.root().join("content"),
        site.root().join("content/notes/loop"),
    )
    .unwrap();
    let errs = errors(&site);
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert!(
        errs[0].message.contains("symbolic link loop"),
        "{}",
        errs[0]
    );
    let loc = errs[0].location.as_ref().expect("located at the link");
    assert_eq!(loc.file, std::path::Path::new("content/notes/loop"));
}

#[test]
fn the_cause_comes_first_and_what_follows_from_it_is_marked() {
    let site = TestSite::new(&[
        (
            "a.md",
            "---\ntitle: A\n---\nSee [[kz]] and [it](@/members/kz.md).\n",
        ),
        ("members/kz.md", "---\ntitle: [Kazakhstan\n---\n"),
    ]);
    let errs = errors(&site);
    assert_eq!(errs.len(), 3, "{errs:#?}");
    let files: Vec<_> = errs
        .iter()
        .map(|d| {
            d.location
                .as_ref()
                .unwrap()
                .file
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert_eq!(
        files,
        ["content/members/kz.md", "content/a.md", "content/a.md"]
    );
    assert_eq!(errs[0].caused_by, None);
    for d in &errs[1..] {
        assert_eq!(
            d.caused_by.as_deref().map(|p| p.as_path()),
            Some(std::path::Path::new("content/members/kz.md")),
            "{d:#?}"
        );
        assert!(
            d.hint.as_deref().unwrap().contains("could not be read"),
            "{d:#?}"
        );
        assert!(
            d.to_string()
                .contains("follows from the error in content/members/kz.md"),
            "{d}"
        );
    }
}

#[test]
fn template_errors_and_broken_paths_come_with_broken_links_in_one_run() {
    let site = TestSite::new(&[
        (
            "notes/a.md",
            "---\ntitle: A\n---\n[[nowhere]] and [a picture](pic.png)\n",
        ),
        (
            "notes/b.md",
            "---\ntitle: B\ntemplate: odd.html\n---\nText.\n",
        ),
    ]);
    site.write(
        "templates/odd.html",
        "{% extends \"base.html\" %}{% block main %}{{ no_such_value }}{% endblock %}",
    );
    let errs = errors(&site);
    let kinds: Vec<ErrorKind> = errs.iter().map(|d| d.kind).collect();
    assert_eq!(
        kinds,
        [ErrorKind::Link, ErrorKind::Link, ErrorKind::Render],
        "{errs:#?}"
    );
    assert!(errs[1].message.contains("pic.png"), "{errs:#?}");
    assert!(errs[2].message.contains("no_such_value"), "{errs:#?}");
}

#[test]
fn a_value_too_far_from_any_allowed_one_lists_them_nearest_first() {
    let site = TestSite::new(&[
        HOST,
        ("members/armenia.md", "---\ntitle: Armenia\n---\n"),
        ("members/belarus.md", "---\ntitle: Belarus\n---\n"),
        ("members/kyrgyzstan.md", "---\ntitle: Kyrgyzstan\n---\n"),
        (
            "drills/d.md",
            &drill("participants: [kyrgyz-republic]\nformat: staff\n", ""),
        ),
    ]);
    let errs = errors(&site);
    let hint_of = |what: &str| {
        errs.iter()
            .find(|d| d.message.contains(what))
            .unwrap_or_else(|| panic!("no {what}: {errs:#?}"))
            .hint
            .clone()
            .unwrap_or_default()
    };
    assert_eq!(
        hint_of("no page `kyrgyz-republic`"),
        "pages of kind `member`, nearest first: `kyrgyzstan`, `armenia`, `belarus`, `kazakhstan`"
    );
    assert_eq!(
        hint_of("`staff`"),
        "allowed values, nearest first: command-staff, field"
    );
}
