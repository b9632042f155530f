//! The invalid-input suite: each case is a tiny site with one mistake a writer can make
//! and the exact errors `muster build` must give for it (code, file, line, column, and a
//! word of the hint). Every case runs the real binary on a site that built before, and
//! checks: exit status 1 (no panic, no signal), exactly the expected errors, and `public/`
//! byte for byte as it was.

use crate::common::{TestSite, snapshot_tree};

/// One error a case must give.
struct Expected {
    code: &'static str,
    file: String,
    line: u64,
    column: u64,
    hint: &'static str,
}

/// How a case changes a site that built.
enum Change {
    /// Writes `bytes` at a path below the site root.
    Write(String, Vec<u8>),
    /// Deletes a file below the site root.
    Remove(&'static str),
    /// Makes a symbolic link at a path below the site root, to a target where
    /// `{root}` is the site root and `{outside}` a folder outside it.
    #[cfg_attr(not(unix), allow(dead_code))]
    Symlink(&'static str, &'static str),
}

struct Case {
    name: &'static str,
    changes: Vec<Change>,
    expected: Vec<Expected>,
}

fn write(path: &str, text: &str) -> Change {
    Change::Write(path.to_string(), text.as_bytes().to_vec())
}

fn error(code: &'static str, file: &str, line: u64, column: u64, hint: &'static str) -> Expected {
    Expected {
        code,
        file: file.to_string(),
        line,
        column,
        hint,
    }
}

/// One case: a name, what it changes, and the one error it must give.
fn case(name: &'static str, changes: Vec<Change>, expected: Expected) -> Case {
    Case {
        name,
        changes,
        expected: vec![expected],
    }
}

/// A drill page with valid required fields plus `front`, then `body`.
fn drill(front: &str, body: &str) -> String {
    format!(
        "---\ntitle: D\ndates: {{ start: 2024-09-26, end: 2024-10-07 }}\nhost: kazakhstan\n{front}---\n{body}"
    )
}

/// A page of no kind with `front` after its title, then `body`.
fn note(front: &str, body: &str) -> String {
    format!("---\ntitle: N\n{front}---\n{body}")
}

const NOTE: &str = "content/notes/n.md";
const DRILL: &str = "content/drills/d.md";
/// A page of a kind (member) whose only required key is `title`: pages of no kind may
/// go without front matter and title, typed ones may not.
const MEMBER: &str = "content/members/m.md";

fn cases() -> Vec<Case> {
    let deep_quotes = format!("{}deep [[nowhere]]\n", "> ".repeat(10_000));
    let deep_list: String = (0..10_000)
        .map(|i| format!("{}- level\n", "  ".repeat(i)))
        .collect();
    // About 50 MB of ordinary paragraphs, each with a working link.
    let big =
        "A paragraph about the drill that links to [[kazakhstan]] and goes on.\n\n".repeat(700_000);
    vec![
        // Front matter.
        case(
            "empty file",
            vec![write(MEMBER, "")],
            error("E004", MEMBER, 1, 1, "add `title: ...`"),
        ),
        case(
            "no front matter",
            vec![write(MEMBER, "# Only Markdown\n")],
            error("E004", MEMBER, 1, 1, "add `title: ...`"),
        ),
        case(
            "unterminated front matter",
            vec![write(NOTE, "---\ntitle: N\nbody text\n")],
            error("E003", NOTE, 1, 1, "close the front matter"),
        ),
        case(
            "empty front matter",
            vec![write(MEMBER, "---\n---\nbody\n")],
            error("E004", MEMBER, 2, 1, "add `title: ...`"),
        ),
        case(
            "tab indentation",
            vec![write(NOTE, "---\ntitle: N\ntags:\n\t- a\n---\n")],
            error("E003", NOTE, 4, 1, "spaces, not tabs"),
        ),
        case(
            "bad indentation",
            vec![write(NOTE, "---\ntitle: N\n  tags: [a]\n---\n")],
            // At the indented key, saying why YAML cannot read it.
            error("E003", NOTE, 3, 3, "at the first column"),
        ),
        case(
            "unclosed flow list",
            vec![write(NOTE, "---\ntitle: N\ntags: [a, b\n---\n")],
            // At the bracket left open, not where the parser gave up.
            error("E003", NOTE, 3, 7, "close it with `]`"),
        ),
        case(
            "empty key (found by fuzzing: it hung the build)",
            vec![write(DRILL, &drill("\"\": x\n", ""))],
            error("E004", DRILL, 5, 1, "fields of kind drill"),
        ),
        case(
            "repeated key",
            vec![write(NOTE, "---\ntitle: N\ntags: [a]\ntitle: M\n---\n")],
            error("E003", NOTE, 4, 1, "may appear only once"),
        ),
        case(
            "front matter closed only by a `---` inside a code block",
            vec![write(NOTE, "---\ntitle: N\n\n```yaml\n---\n```\n")],
            error("E003", NOTE, 4, 1, "close it with `---` before the body"),
        ),
        case(
            "`---` inside a fenced code block of the body is code",
            vec![write(
                NOTE,
                "---\ntitle: N\n---\n```yaml\n---\nkey: v\n---\n```\n[[nowhere]]\n",
            )],
            error("E006", NOTE, 9, 1, "check the file name"),
        ),
        case(
            "front matter that is a list",
            vec![write(NOTE, "---\n- title\n---\n")],
            error("E003", NOTE, 2, 1, ""),
        ),
        // Fields.
        case(
            "missing title",
            vec![write(MEMBER, "---\ntags: [a]\n---\n")],
            error("E004", MEMBER, 2, 1, "add `title: ...`"),
        ),
        case(
            "missing required ref",
            vec![write(
                DRILL,
                "---\ntitle: D\ndates: { start: 2024-09-26, end: 2024-10-07 }\n---\n",
            )],
            error("E004", DRILL, 2, 1, "add `host:`"),
        ),
        case(
            "unknown field with a typo",
            vec![write(DRILL, &drill("partcipants: [kazakhstan]\n", ""))],
            error("E004", DRILL, 5, 1, "did you mean `participants`?"),
        ),
        case(
            "integer field given words",
            vec![write(
                "content/members/kazakhstan.md",
                "---\ntitle: Kazakhstan\njoined: nineteen\n---\n## History\n",
            )],
            error("E004", "content/members/kazakhstan.md", 3, 9, ""),
        ),
        case(
            "list field given a mapping",
            vec![write(DRILL, &drill("objectives: { a: b }\n", ""))],
            error("E004", DRILL, 5, 13, ""),
        ),
        case(
            "enum value misspelt",
            vec![write(DRILL, &drill("format: feild\n", ""))],
            error("E004", DRILL, 5, 9, "did you mean `field`?"),
        ),
        case(
            "date range without an end",
            vec![write(
                DRILL,
                "---\ntitle: D\ndates: { start: 2024-09-26 }\nhost: kazakhstan\n---\n",
            )],
            error("E004", DRILL, 3, 8, "end: "),
        ),
        case(
            "impossible date",
            vec![write(
                DRILL,
                "---\ntitle: D\ndates: { start: 2024-13-40, end: 2024-10-07 }\nhost: kazakhstan\n---\n",
            )],
            // At the date itself, not at the `{` of the range around it.
            error("E004", DRILL, 3, 17, ""),
        ),
        case(
            "title that is a list",
            vec![write(NOTE, "---\ntitle: [a, b]\n---\n")],
            error("E004", NOTE, 2, 8, ""),
        ),
        case(
            "draft that is not a boolean",
            vec![write(NOTE, &note("draft: maybe\n", ""))],
            error("E004", NOTE, 3, 8, ""),
        ),
        // References in front matter.
        case(
            "ref to a missing page",
            vec![write(
                DRILL,
                "---\ntitle: D\ndates: { start: 2024-09-26, end: 2024-10-07 }\nhost: kazakstan\n---\n",
            )],
            error("E005", DRILL, 4, 7, "did you mean `kazakhstan`?"),
        ),
        case(
            "ref to a page of the wrong kind",
            vec![
                write("content/drills/e.md", &drill("", "")),
                write(
                    DRILL,
                    "---\ntitle: D\ndates: { start: 2024-09-26, end: 2024-10-07 }\nhost: e\n---\n",
                ),
            ],
            error("E005", DRILL, 4, 7, "kazakhstan"),
        ),
        // Found by comparing fuzz coverage: a ref, unlike a link, had no case for this.
        case(
            "ref naming two pages by one slug",
            vec![
                write("content/members/armenia.md", "---\ntitle: Armenia\n---\n"),
                write("content/notes/armenia.md", &note("", "")),
                write(
                    DRILL,
                    "---\ntitle: D\ndates: { start: 2024-09-26, end: 2024-10-07 }\nhost: armenia\n---\n",
                ),
            ],
            error("E005", DRILL, 4, 7, "write the path instead"),
        ),
        case(
            "one missing entry in a refs list",
            vec![write(
                DRILL,
                &drill("participants: [kazakhstan, atlantis]\n", ""),
            )],
            error("E005", DRILL, 5, 28, ""),
        ),
        case(
            "`..` in a ref",
            vec![write(
                DRILL,
                "---\ntitle: D\ndates: { start: 2024-09-26, end: 2024-10-07 }\nhost: ../members/kazakhstan\n---\n",
            )],
            error("E005", DRILL, 4, 7, "without `..`"),
        ),
        case(
            "absolute path in a ref",
            vec![write(
                DRILL,
                "---\ntitle: D\ndates: { start: 2024-09-26, end: 2024-10-07 }\nhost: /etc/passwd\n---\n",
            )],
            error("E005", DRILL, 4, 7, "leading `/`"),
        ),
        case(
            "ambiguous slug",
            vec![
                write("content/notes/alpha.md", &note("", "")),
                write("content/places/alpha.md", &note("", "")),
                write(NOTE, &note("", "See [[alpha]].\n")),
            ],
            error("E006", NOTE, 4, 5, "write the path instead"),
        ),
        // Links in the body.
        case(
            "wikilink to a missing page",
            vec![write(NOTE, &note("", "Text\n\nand [[atlantis]]\n"))],
            error("E006", NOTE, 6, 5, ""),
        ),
        case(
            "`..` in an `@/` link",
            vec![write(NOTE, &note("", "[up](@/../site.yaml)\n"))],
            error("E006", NOTE, 4, 1, "without `..`"),
        ),
        case(
            "absolute path in an `@/` link",
            vec![write(NOTE, &note("", "[abs](@//etc/passwd)\n"))],
            error("E006", NOTE, 4, 1, "leading `/`"),
        ),
        case(
            "relative link to a missing file",
            vec![write(NOTE, &note("", "[m](../members/atlantis.md)\n"))],
            error("E006", NOTE, 4, 1, ""),
        ),
        case(
            "relative link climbing out of content/",
            vec![write(NOTE, &note("", "[m](../../site.md)\n"))],
            error("E006", NOTE, 4, 1, "climbs above content/"),
        ),
        case(
            "link to a draft",
            vec![
                write("content/notes/draft.md", &note("draft: true\n", "")),
                write(NOTE, &note("", "[[draft]]\n")),
            ],
            error("E006", NOTE, 4, 1, "is a draft"),
        ),
        case(
            "wikilink to a missing heading",
            vec![write(NOTE, &note("", "[[kazakhstan#histroy]]\n"))],
            error("E007", NOTE, 4, 1, "did you mean `#history`?"),
        ),
        case(
            "`@/` link to a missing heading",
            vec![write(
                NOTE,
                &note("", "[h](@/members/kazakhstan.md#future)\n"),
            )],
            error("E007", NOTE, 4, 1, "#history"),
        ),
        case(
            "link to a missing heading of the same page",
            vec![write(NOTE, &note("", "## Plan\n\n[p](#plam)\n"))],
            error("E007", NOTE, 6, 1, "did you mean `#plan`?"),
        ),
        // URLs.
        case(
            "two pages with the same slug",
            vec![
                write("content/notes/a.md", &note("slug: same\n", "")),
                write("content/notes/b.md", &note("slug: same\n", "")),
            ],
            error(
                "E008",
                "content/notes/b.md",
                1,
                1,
                "set a different `slug:`",
            ),
        ),
        case(
            "two pages whose URLs differ only in case",
            vec![
                write("content/notes/Page.md", &note("", "")),
                write("content/notes/page.md", &note("", "")),
            ],
            error(
                "E008",
                "content/notes/page.md",
                1,
                1,
                "rename one of the files",
            ),
        ),
        case(
            "alias colliding with a page",
            vec![write(NOTE, &note("aliases: [members/kazakhstan/]\n", ""))],
            error("E008", NOTE, 3, 11, "another name"),
        ),
        case(
            "alias leaving the site",
            vec![write(NOTE, &note("aliases: [../../outside]\n", ""))],
            error("E004", NOTE, 3, 11, "old URL path"),
        ),
        // Encodings and file names.
        case(
            "invalid UTF-8",
            vec![Change::Write(
                NOTE.into(),
                b"---\ntitle: N\n---\nOne \xFF byte\n".to_vec(),
            )],
            error("E001", NOTE, 4, 5, "save the file as UTF-8"),
        ),
        case(
            "UTF-8 byte order mark does not shift positions",
            vec![Change::Write(
                NOTE.into(),
                [
                    b"\xEF\xBB\xBF".as_slice(),
                    b"---\ntitle: N\n---\n[[atlantis]]\n",
                ]
                .concat(),
            )],
            error("E006", NOTE, 4, 1, ""),
        ),
        case(
            "CRLF line endings do not shift positions",
            vec![write(
                DRILL,
                "---\r\ntitle: D\r\ndates: { start: 2024-09-26, end: 2024-10-07 }\r\nhost: kazakhstan\r\nhots: x\r\n---\r\nText\r\n",
            )],
            error("E004", DRILL, 5, 1, "did you mean `host`?"),
        ),
        case(
            "CRLF body: link column",
            vec![write(
                NOTE,
                "---\r\ntitle: N\r\n---\r\nLine\r\nsee [[atlantis]]\r\n",
            )],
            error("E006", NOTE, 5, 5, ""),
        ),
        case(
            "file name with spaces",
            vec![write(
                "content/notes/my notes.md",
                &note("", "[[atlantis]]\n"),
            )],
            error("E006", "content/notes/my notes.md", 4, 1, ""),
        ),
        case(
            "Cyrillic file name",
            vec![write(
                "content/notes/Учения.md",
                &note("", "\n[[атлантида]]\n"),
            )],
            error("E006", "content/notes/Учения.md", 5, 1, ""),
        ),
        // Size and depth.
        case(
            "a 50 MB page",
            vec![write(
                NOTE,
                &format!("---\ntitle: Big\n---\n{big}[[atlantis]]\n"),
            )],
            error("E006", NOTE, 1_400_004, 1, ""),
        ),
        case(
            "10,000 nested blockquotes",
            vec![write(NOTE, &note("", &deep_quotes))],
            error("E006", NOTE, 4, 20_006, ""),
        ),
        case(
            "10,000 nested list levels",
            vec![write(
                NOTE,
                &note("", &format!("{deep_list}[[atlantis]]\n")),
            )],
            error("E006", NOTE, 10_004, 1, ""),
        ),
        // Templates.
        case(
            "missing template named by a page",
            vec![write(NOTE, &note("template: pgae.html\n", ""))],
            error("E009", NOTE, 3, 11, "did you mean `page.html`?"),
        ),
        case(
            "template missing from the theme",
            vec![
                Change::Remove("themes/default/templates/section.html"),
                write("content/notes/_index.md", "---\ntitle: Notes\n---\n"),
            ],
            error("E009", "content/notes/_index.md", 1, 1, "templates/"),
        ),
        case(
            "template syntax error",
            vec![write(
                "templates/page.html",
                "{% extends \"base.html\" %}\n{% block content %}\n{% if %}\n{% endblock %}\n",
            )],
            error("E009", "templates/page.html", 3, 7, ""),
        ),
        case(
            "template reading an undefined field",
            vec![
                write(
                    "templates/plain.html",
                    "<h1>{{ page.title }}</h1>\n<p>{{ page.nope }}</p>\n",
                ),
                write(NOTE, &note("template: plain.html\n", "")),
            ],
            error("E010", "templates/plain.html", 2, 12, "default"),
        ),
        // Configuration.
        case(
            "unknown key in site.yaml",
            vec![write(
                "site.yaml",
                &crate::common::CONFIG.replace("taxonomies:", "taxonomys:"),
            )],
            error("E002", "site.yaml", 3, 1, "did you mean `taxonomies`?"),
        ),
        case(
            "ref field naming an unknown kind in site.yaml",
            vec![write(
                "site.yaml",
                &crate::common::CONFIG.replace(
                    "kind: member, required: true",
                    "kind: membr, required: true",
                ),
            )],
            error("E002", "site.yaml", 9, 26, "did you mean `member`?"),
        ),
    ]
}

/// Errors `muster build --message-format json` printed, as (code, file, line, column, hint).
fn reported(stdout: &str) -> Vec<(String, String, u64, u64, String)> {
    stdout
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("one JSON object a line");
            let loc = &v["location"];
            (
                v["code"].as_str().unwrap_or_default().to_string(),
                loc["file"].as_str().unwrap_or("<none>").to_string(),
                loc["line"].as_u64().unwrap_or(0),
                loc["column"].as_u64().unwrap_or(0),
                v["hint"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn base_site() -> TestSite {
    TestSite::new(&[
        (
            "members/kazakhstan.md",
            "---\ntitle: Kazakhstan\n---\n## History\n",
        ),
        (
            "drills/first.md",
            &drill("participants: [kazakhstan]\n", "[[kazakhstan#history]]\n"),
        ),
    ])
}

fn apply(site: &TestSite, outside: &std::path::Path, change: &Change) {
    match change {
        Change::Write(path, bytes) => {
            let path = site.root().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, bytes).unwrap();
        }
        Change::Remove(path) => std::fs::remove_file(site.root().join(path)).unwrap(),
        #[cfg(unix)]
        Change::Symlink(link, target) => {
            let target = target
                .replace("{root}", &site.root().to_string_lossy())
                .replace("{outside}", &outside.to_string_lossy());
            let link = site.root().join(link);
            std::fs::create_dir_all(link.parent().unwrap()).unwrap();
            std::os::unix::fs::symlink(target, link).unwrap();
        }
        #[cfg(not(unix))]
        Change::Symlink(..) => {}
    }
}

/// Runs one case; returns what went wrong, if anything.
fn run(case: &Case, outside: &std::path::Path) -> Option<String> {
    let site = base_site();
    let first = site.run(&["build", "--quiet"]);
    assert!(
        first.status.success(),
        "{}: the base site must build",
        case.name
    );
    let public = site.root().join("public");
    let before = snapshot_tree(&public);
    for change in &case.changes {
        apply(&site, outside, change);
    }
    let out = site.run(&["build", "--message-format", "json"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let mut problems = Vec::new();
    if out.status.code() != Some(1) {
        problems.push(format!("exit status {:?}, not 1", out.status));
    }
    if stderr.contains("panicked") {
        problems.push(format!("panicked: {stderr}"));
    }
    let got = reported(&stdout);
    let matches = |e: &Expected, g: &(String, String, u64, u64, String)| {
        g.0 == e.code && g.1 == e.file && (g.2, g.3) == (e.line, e.column) && g.4.contains(e.hint)
    };
    let all_match = got.len() == case.expected.len()
        && case
            .expected
            .iter()
            .all(|e| got.iter().any(|g| matches(e, g)));
    if !all_match {
        let want: Vec<String> = case
            .expected
            .iter()
            .map(|e| {
                format!(
                    "{} {}:{}:{} hint ~ {:?}",
                    e.code, e.file, e.line, e.column, e.hint
                )
            })
            .collect();
        problems.push(format!("expected {want:#?}\n   got {got:#?}"));
    }
    if got.iter().any(|g| g.4.is_empty()) {
        problems.push("an error without a hint".into());
    }
    if snapshot_tree(&public) != before {
        problems.push("public/ changed".into());
    }
    (!problems.is_empty()).then(|| format!("{}:\n  {}", case.name, problems.join("\n  ")))
}

/// Every case in one list, with a folder outside the site for links to point to.
fn all_cases() -> Vec<Case> {
    let mut all = cases();
    all.extend(symlink_cases());
    all
}

/// Runs the case named `name` on its own site.
fn run_case(name: &str) {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.md"),
        "---\ntitle: Secret\n---\n",
    )
    .unwrap();
    let all = all_cases();
    let case = all
        .iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no case named {name:?}"));
    if let Some(failure) = run(case, outside.path()) {
        panic!("{failure}");
    }
}

/// One test per case, so that each runs alone (`cargo test --test it alias_leaving`)
/// and all run in parallel.
macro_rules! invalid_input_tests {
    ($($(#[$attr:meta])* $test:ident: $name:literal,)*) => {
        $(
            $(#[$attr])*
            #[test]
            fn $test() {
                run_case($name);
            }
        )*

        /// The names above, to check that no case lacks its test.
        const TESTED: &[&str] = &[$($name),*];
    };
}

invalid_input_tests! {
    empty_file: "empty file",
    no_front_matter: "no front matter",
    unterminated_front_matter: "unterminated front matter",
    empty_front_matter: "empty front matter",
    tab_indentation: "tab indentation",
    bad_indentation: "bad indentation",
    unclosed_flow_list: "unclosed flow list",
    empty_key_found_by_fuzzing_it_hung_the_build: "empty key (found by fuzzing: it hung the build)",
    repeated_key: "repeated key",
    front_matter_closed_only_by_a_inside_a_code_block: "front matter closed only by a `---` inside a code block",
    inside_a_fenced_code_block_of_the_body_is_code: "`---` inside a fenced code block of the body is code",
    front_matter_that_is_a_list: "front matter that is a list",
    missing_title: "missing title",
    missing_required_ref: "missing required ref",
    unknown_field_with_a_typo: "unknown field with a typo",
    integer_field_given_words: "integer field given words",
    list_field_given_a_mapping: "list field given a mapping",
    enum_value_misspelt: "enum value misspelt",
    date_range_without_an_end: "date range without an end",
    impossible_date: "impossible date",
    title_that_is_a_list: "title that is a list",
    draft_that_is_not_a_boolean: "draft that is not a boolean",
    ref_to_a_missing_page: "ref to a missing page",
    ref_to_a_page_of_the_wrong_kind: "ref to a page of the wrong kind",
    ref_naming_two_pages_by_one_slug: "ref naming two pages by one slug",
    one_missing_entry_in_a_refs_list: "one missing entry in a refs list",
    in_a_ref: "`..` in a ref",
    absolute_path_in_a_ref: "absolute path in a ref",
    ambiguous_slug: "ambiguous slug",
    wikilink_to_a_missing_page: "wikilink to a missing page",
    in_an_link: "`..` in an `@/` link",
    absolute_path_in_an_link: "absolute path in an `@/` link",
    relative_link_to_a_missing_file: "relative link to a missing file",
    relative_link_climbing_out_of_content: "relative link climbing out of content/",
    link_to_a_draft: "link to a draft",
    wikilink_to_a_missing_heading: "wikilink to a missing heading",
    link_to_a_missing_heading: "`@/` link to a missing heading",
    link_to_a_missing_heading_of_the_same_page: "link to a missing heading of the same page",
    two_pages_with_the_same_slug: "two pages with the same slug",
    two_pages_whose_urls_differ_only_in_case: "two pages whose URLs differ only in case",
    alias_colliding_with_a_page: "alias colliding with a page",
    alias_leaving_the_site: "alias leaving the site",
    invalid_utf_8: "invalid UTF-8",
    utf_8_byte_order_mark_does_not_shift_positions: "UTF-8 byte order mark does not shift positions",
    crlf_line_endings_do_not_shift_positions: "CRLF line endings do not shift positions",
    crlf_body_link_column: "CRLF body: link column",
    file_name_with_spaces: "file name with spaces",
    cyrillic_file_name: "Cyrillic file name",
    a_50_mb_page: "a 50 MB page",
    n10_000_nested_blockquotes: "10,000 nested blockquotes",
    n10_000_nested_list_levels: "10,000 nested list levels",
    missing_template_named_by_a_page: "missing template named by a page",
    template_missing_from_the_theme: "template missing from the theme",
    template_syntax_error: "template syntax error",
    template_reading_an_undefined_field: "template reading an undefined field",
    unknown_key_in_site_yaml: "unknown key in site.yaml",
    ref_field_naming_an_unknown_kind_in_site_yaml: "ref field naming an unknown kind in site.yaml",
    #[cfg(unix)]
    symlink_loop_in_content: "symlink loop in content/",
    #[cfg(unix)]
    symlink_to_a_file_outside_the_site: "symlink to a file outside the site",
    #[cfg(unix)]
    symlink_to_a_folder_outside_the_site: "symlink to a folder outside the site",
}

#[test]
fn every_case_has_its_own_test() {
    let all = all_cases();
    assert!(all.len() >= 40, "only {} cases", all.len());
    let untested: Vec<&str> = all
        .iter()
        .map(|c| c.name)
        .filter(|n| !TESTED.contains(n))
        .collect();
    assert!(untested.is_empty(), "cases without a test: {untested:?}");
    assert_eq!(TESTED.len(), all.len(), "a test names no case");
}

#[cfg(unix)]
fn symlink_cases() -> Vec<Case> {
    vec![
        case(
            "symlink loop in content/",
            vec![Change::Symlink("content/notes/loop", "{root}/content")],
            error("E001", "content/notes/loop", 1, 1, "remove or fix the link"),
        ),
        case(
            "symlink to a file outside the site",
            vec![Change::Symlink(
                "content/notes/secret.md",
                "{outside}/secret.md",
            )],
            error(
                "E001",
                "content/notes/secret.md",
                1,
                1,
                "copy the file into the site",
            ),
        ),
        case(
            "symlink to a folder outside the site",
            vec![Change::Symlink("content/elsewhere", "{outside}")],
            error(
                "E001",
                "content/elsewhere",
                1,
                1,
                "copy the file into the site",
            ),
        ),
    ]
}

#[cfg(not(unix))]
fn symlink_cases() -> Vec<Case> {
    Vec::new()
}
