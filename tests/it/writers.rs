//! Writers' tools: `new`, `init`, `schema`, `explain`, JSON diagnostics, colour
//! and progress output, through the real binary.

use std::path::Path;
use std::process::Command;

use crate::common::{TestSite, copy_dir, repo};
use serde_json::Value;

fn muster(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_muster"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run muster")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn new_creates_a_page_with_the_kinds_fields_and_never_overwrites() {
    let site = TestSite::new(&[
        ("members/kz.md", "---\ntitle: Kazakhstan\n---\nA member.\n"),
        ("members/ru.md", "---\ntitle: Russia\n---\nA member.\n"),
    ]);
    let out = site.run(&["new", "drill", "Brotherhood: 2025 edition"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let path = text(&out.stdout);
    assert!(
        path.trim()
            .ends_with("content/drills/brotherhood-2025-edition.md"),
        "{path}"
    );
    let page = std::fs::read_to_string(
        site.root()
            .join("content/drills/brotherhood-2025-edition.md"),
    )
    .unwrap();
    // The title is quoted as YAML needs; a draft; required fields come first, with
    // what they take.
    assert!(
        page.starts_with("---\ntitle: 'Brotherhood: 2025 edition'\ndraft: true  # left out"),
        "{page}"
    );
    assert!(
        page.contains("--drafts` shows and checks it\n# required\n"),
        "{page}"
    );
    let required = page.find("# required").unwrap();
    let optional = page.find("# optional").unwrap();
    let at = |needle: &str| {
        page.find(needle)
            .unwrap_or_else(|| panic!("{needle} missing:\n{page}"))
    };
    assert!(
        required < at("dates: { start: YYYY-MM-DD, end: YYYY-MM-DD }  # daterange")
            && at("dates:") < optional
    );
    assert!(at("host:  # ref → a page of kind member: kz, ru") < optional);
    assert!(optional < at("# participants: []  # refs → pages of kind member: kz, ru"));
    assert!(optional < at("# format:  # enum: command-staff | field"));
    assert!(optional < at("# tags: []"));
    // As written, the site checks (a draft is left out); checked as a draft, the new
    // page parses, and its only errors are the fields still to fill in.
    assert!(site.run(&["check"]).status.success());
    let check = site.run(&["check", "--drafts"]);
    let errors = text(&check.stderr);
    assert!(!check.status.success());
    assert!(errors.contains("brotherhood-2025-edition.md"), "{errors}");
    assert!(
        !errors.contains("E003"),
        "front matter must parse:\n{errors}"
    );
    // The text's placeholder is no broken link.
    assert!(!errors.contains("E006"), "{errors}");

    // Never overwrite.
    std::fs::write(
        site.root()
            .join("content/drills/brotherhood-2025-edition.md"),
        "mine",
    )
    .unwrap();
    let again = site.run(&["new", "drill", "Brotherhood: 2025 edition"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(text(&again.stderr).contains("exists already"));
    assert_eq!(
        std::fs::read_to_string(
            site.root()
                .join("content/drills/brotherhood-2025-edition.md")
        )
        .unwrap(),
        "mine"
    );
    let unknown = site.run(&["new", "dril", "X"]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(
        text(&unknown.stderr).contains("did you mean `drill`? (kinds are: drill, member"),
        "{}",
        text(&unknown.stderr)
    );
}

/// `muster new` of every kind of the knowledge base leaves a site that checks: each new
/// page is a draft; checked with `--drafts`, its only errors are its empty required fields.
#[test]
fn a_new_page_of_every_kind_passes_check_as_written() {
    let dir = tempfile::tempdir().unwrap();
    for part in ["content", "themes", "docs"] {
        copy_dir(&repo().join(part), &dir.path().join(part));
    }
    std::fs::copy(repo().join("site.yaml"), dir.path().join("site.yaml")).unwrap();
    let config = muster::SiteConfig::load(dir.path()).unwrap();
    let mut made = Vec::new();
    for kind in config.kinds.keys() {
        let out = muster(dir.path(), &["new", kind, &format!("A new {kind}")]);
        assert!(out.status.success(), "{kind}: {}", text(&out.stderr));
        assert!(
            text(&out.stderr).contains("a draft"),
            "{}",
            text(&out.stderr)
        );
        let path = text(&out.stdout).trim().to_string();
        let rel = Path::new(&path).strip_prefix(".").unwrap().to_path_buf();
        made.push(rel.to_string_lossy().into_owned());
    }
    assert_eq!(made.len(), config.kinds.len());
    let check = muster(dir.path(), &["check"]);
    assert!(check.status.success(), "{}", text(&check.stderr));
    let drafts = muster(
        dir.path(),
        &["check", "--drafts", "--message-format", "json"],
    );
    assert!(!drafts.status.success());
    // The errors; the knowledge base also warns that the new pages have no translation.
    let errors: Vec<Value> = text(&drafts.stdout)
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|e| e["severity"] == "error")
        .collect();
    assert!(!errors.is_empty());
    for e in &errors {
        let file = e["location"]["file"].as_str().unwrap_or_default();
        assert!(
            made.iter().any(|m| m == file),
            "an error outside the new pages: {e}"
        );
        assert_eq!(e["code"], "E004", "{e}");
        // An empty required field, or a date placeholder still unfilled.
        let message = e["message"].as_str().unwrap();
        assert!(
            message.contains("required field") || message.contains("`YYYY-MM-DD`"),
            "{e}"
        );
    }
}

#[test]
fn new_list_shows_kinds_and_fields() {
    let site = TestSite::new(&[]);
    let out = site.run(&["new", "--list"]);
    assert!(out.status.success());
    let list = text(&out.stdout);
    assert!(
        list.contains("drill (drill) — pages in content/drills/"),
        "{list}"
    );
    assert!(
        list.contains("host             required  ref → a page of kind member"),
        "{list}"
    );
    assert!(
        list.contains("member (Member state) — pages in content/members/"),
        "{list}"
    );
}

#[test]
fn init_makes_a_site_that_builds_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("kb");
    let out = muster(dir.path(), &["init", "kb"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    for file in [
        "site.yaml",
        "README.md",
        "content/events/opening-meeting.md",
        "themes/default/templates/base.html",
        "themes/default/static/style.css",
    ] {
        assert!(root.join(file).is_file(), "{file}");
    }
    // The embedded theme is the repository's, file for file.
    assert_eq!(
        crate::common::snapshot_tree(&root.join("themes/default")),
        crate::common::snapshot_tree(&repo().join("themes/default"))
    );
    let build = muster(&root, &["build"]);
    assert!(build.status.success(), "{}", text(&build.stderr));
    // The ref between the two kinds works both ways.
    let place = std::fs::read_to_string(root.join("public/places/harbour/index.html")).unwrap();
    assert!(place.contains("/events/opening-meeting/"), "{place}");
    // A second init into the same folder is refused.
    let again = muster(dir.path(), &["init", "kb"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(text(&again.stderr).contains("exists already"));
    // `new` works there too.
    let new = muster(&root, &["new", "place", "Old mill"]);
    assert!(new.status.success(), "{}", text(&new.stderr));
    assert!(root.join("content/places/old-mill.md").is_file());
}

/// A JSON Schema validator for draft 2020-12, from a generated schema file.
fn validator(path: &Path) -> jsonschema::Validator {
    let schema: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Breaks a valid front matter sample in one way.
type Breaker = fn(&mut Value);

fn front_matter(text: &str) -> Value {
    let split = muster::split_front_matter(text).unwrap();
    serde_yaml::from_str(split.matter).unwrap()
}

#[test]
fn schemas_accept_every_page_of_the_knowledge_base_and_reject_broken_ones() {
    let dir = tempfile::tempdir().unwrap();
    for part in ["content", "themes", "docs"] {
        copy_dir(&repo().join(part), &dir.path().join(part));
    }
    std::fs::copy(repo().join("site.yaml"), dir.path().join("site.yaml")).unwrap();
    let out = muster(dir.path(), &["schema"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let config = muster::SiteConfig::load(dir.path()).unwrap();
    let mut checked = 0;
    for (name, kind) in &config.kinds {
        let v = validator(&dir.path().join(format!("schemas/{name}.schema.json")));
        for entry in std::fs::read_dir(dir.path().join("content").join(&kind.section)).unwrap() {
            let path = entry.unwrap().path();
            // Sections (and their translations) are of no kind.
            if path
                .file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("_index.")
            {
                continue;
            }
            let fm = front_matter(&std::fs::read_to_string(&path).unwrap());
            let errors: Vec<String> = v.iter_errors(&fm).map(|e| e.to_string()).collect();
            assert!(errors.is_empty(), "{}: {errors:?}", path.display());
            checked += 1;
        }
    }
    assert!(checked >= 15, "{checked}");

    // Broken samples of a drill, each rejected.
    let drill = validator(&dir.path().join("schemas/drill.schema.json"));
    let good = front_matter(
        &std::fs::read_to_string(
            dir.path()
                .join("content/drills/indestructible-brotherhood-2024.md"),
        )
        .unwrap(),
    );
    assert!(drill.is_valid(&good));
    let broken: [(&str, Breaker); 6] = [
        ("misspelt field", |v| {
            let p = v["participants"].take();
            v.as_object_mut().unwrap().remove("participants");
            v["partcipants"] = p;
        }),
        ("missing required field", |v| {
            v.as_object_mut().unwrap().remove("host");
        }),
        ("value not in the enum", |v| v["format"] = "feild".into()),
        ("date not YYYY-MM-DD", |v| {
            v["dates"]["start"] = "26 September 2024".into()
        }),
        ("wrong type", |v| v["draft"] = "yes".into()),
        ("missing title", |v| {
            v.as_object_mut().unwrap().remove("title");
        }),
    ];
    for (what, breaks) in broken {
        let mut sample = good.clone();
        breaks(&mut sample);
        assert!(!drill.is_valid(&sample), "accepted: {what}");
    }

    // The editor settings apply each schema to its kind's folder.
    let settings: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join(".vscode/settings.json")).unwrap())
            .unwrap();
    assert_eq!(
        settings["yaml.schemas"]["./schemas/drill.schema.json"],
        serde_json::json!(["content/drills/**/*.md"])
    );
}

#[test]
fn schema_keeps_other_editor_settings() {
    let site = TestSite::new(&[]);
    site.write(".vscode/settings.json", "{\"editor.tabSize\": 2}");
    let out = site.run(&["schema"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let settings: Value =
        serde_json::from_slice(&std::fs::read(site.root().join(".vscode/settings.json")).unwrap())
            .unwrap();
    assert_eq!(settings["editor.tabSize"], 2);
    assert!(settings["yaml.schemas"].is_object());
}

#[test]
fn explain_tells_every_code() {
    let dir = tempfile::tempdir().unwrap();
    let list = muster(dir.path(), &["explain"]);
    let list = text(&list.stdout);
    for kind in muster::explain::ALL {
        assert!(list.contains(kind.code()), "{} not listed", kind.code());
        let out = muster(dir.path(), &["explain", kind.code()]);
        assert!(out.status.success());
        assert!(text(&out.stdout).contains("Fix"), "{}", kind.code());
    }
    let bad = muster(dir.path(), &["explain", "E404"]);
    assert_eq!(bad.status.code(), Some(2));
    // A kind's name as JSON messages give it names its code too.
    let by_name = muster(dir.path(), &["explain", "anchor"]);
    assert!(
        text(&by_name.stdout).starts_with("E007:"),
        "{}",
        text(&by_name.stdout)
    );
    // A near miss is answered with what it meant.
    for (written, meant) in [
        ("E040", "`E004`"),
        ("anchr", "`anchor`"),
        ("Feild", "`field`"),
    ] {
        let out = muster(dir.path(), &["explain", written]);
        assert_eq!(out.status.code(), Some(2));
        let err = text(&out.stderr);
        assert!(
            err.contains(&format!("did you mean {meant}?")),
            "{written}: {err}"
        );
    }
    let far = muster(dir.path(), &["explain", "xyzzy"]);
    assert!(
        !text(&far.stderr).contains("did you mean"),
        "{}",
        text(&far.stderr)
    );
}

const BROKEN: &str = "---\ntitle: One\ndates: { start: 2024-09-26, end: 2024-10-07 }\nhost: kz\nparticipants: [kz]\npartcipants: [kz]\n---\nSee [[nowhere]].\n";

#[test]
fn json_message_format_prints_one_object_per_diagnostic() {
    let site = TestSite::new(&[
        ("drills/one.md", BROKEN),
        ("members/kz.md", "---\ntitle: KZ\n---\n"),
    ]);
    let out = site.run(&["check", "--message-format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let lines: Vec<Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect();
    assert_eq!(lines.len(), 2, "{lines:#?}");
    assert_eq!(lines[0]["code"], "E004");
    assert_eq!(lines[0]["location"]["file"], "content/drills/one.md");
    assert_eq!(lines[0]["location"]["line"], 6);
    assert_eq!(lines[0]["hint"], "did you mean `participants`?");
    assert_eq!(lines[1]["code"], "E006");
    assert_eq!(lines[1]["location"]["line"], 8);
    assert_eq!(lines[1]["location"]["column"], 5);
    assert!(
        lines[1]["rendered"]
            .as_str()
            .unwrap()
            .contains("--> content/drills/one.md:8:5")
    );
    // Nothing for people on stderr in this mode.
    assert!(
        !text(&out.stderr).contains("error["),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn colour_only_on_a_terminal_or_when_asked() {
    let site = TestSite::new(&[
        ("drills/one.md", BROKEN),
        ("members/kz.md", "---\ntitle: KZ\n---\n"),
    ]);
    // Not a terminal here: plain text, the rustc layout.
    let plain = text(&site.run(&["check"]).stderr);
    assert!(!plain.contains('\u{1b}'), "{plain}");
    assert!(plain.contains("error[E004]: unknown field `partcipants` for a page of kind `drill`\n --> content/drills/one.md:6:1\n  |\n6 | partcipants: [kz]\n  | ^\n  |\n  = help: did you mean `participants`?"), "{plain}");
    let coloured = text(&site.run(&["check", "--color", "always"]).stderr);
    assert!(coloured.contains('\u{1b}'), "{coloured}");
}

#[test]
fn no_progress_output_when_not_on_a_terminal() {
    let site = TestSite::new(&[("members/kz.md", "---\ntitle: KZ\n---\n")]);
    let out = site.run(&["build"]);
    assert!(out.status.success());
    let stderr = text(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("built "), "{stderr}");
    assert!(!stderr.contains('\r'));
}
