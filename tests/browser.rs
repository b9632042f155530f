//! Browser tests: scripts under `tests/browser/` drive Debian's headless Chromium
//! with playwright-core against a real `muster serve`.
//!
//! They need `/usr/bin/chromium` (or `$CHROMIUM`), Node.js and `npm ci` in
//! `tests/browser/`. Without them the tests are reported as ignored, not passed
//! (this binary runs its own harness, libtest-mimic, to decide that at run time),
//! unless `MUSTER_REQUIRE_BROWSER=1` (set by `.ci/run`) makes a missing browser a failure.

#[path = "it/common/mod.rs"]
mod common;

use std::path::Path;
use std::process::Command;

use common::server::Server;
use common::static_server::StaticServer;
use common::{CONFIG, TestSite};

fn main() {
    let args = libtest_mimic::Arguments::from_args();
    let missing = missing();
    let required = std::env::var_os("MUSTER_REQUIRE_BROWSER").is_some();
    let tests: [(&str, fn()); 6] = [
        ("live_preview_in_chromium", live_preview_in_chromium),
        (
            "search_and_previews_in_chromium_on_static_files",
            search_and_previews_in_chromium_on_static_files,
        ),
        (
            "callouts_and_formulas_in_chromium",
            callouts_and_formulas_in_chromium,
        ),
        (
            "every_page_type_of_the_knowledge_base_passes_axe_in_chromium",
            every_page_type_of_the_knowledge_base_passes_axe_in_chromium,
        ),
        (
            "a_dense_graph_zooms_pans_and_highlights_in_chromium",
            a_dense_graph_zooms_pans_and_highlights_in_chromium,
        ),
        (
            "switching_language_and_searching_in_russian_in_chromium",
            switching_language_and_searching_in_russian_in_chromium,
        ),
    ];
    if !missing.is_empty() {
        eprintln!("browser tests cannot run here, missing: {missing:?}");
    }
    let trials = tests
        .into_iter()
        .map(|(name, test)| {
            let lacking = missing.clone();
            libtest_mimic::Trial::test(name, move || {
                if !lacking.is_empty() {
                    return Err(format!("browser tests required but missing: {lacking:?}").into());
                }
                test();
                Ok(())
            })
            .with_ignored_flag(!missing.is_empty() && !required)
        })
        .collect();
    libtest_mimic::run(&args, trials).exit();
}

/// The diagram script a site may vendor, from npm's `mermaid` package.
const MERMAID: &str = "tests/browser/node_modules/mermaid/dist/mermaid.min.js";

/// The accessibility checker the reader's tests run in each page, from npm's `axe-core`.
const AXE: &str = "tests/browser/node_modules/axe-core/axe.min.js";

/// What the browser tests need and this machine lacks.
fn missing() -> Vec<String> {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let playwright = common::repo().join("tests/browser/node_modules/playwright-core");
    [
        (!Path::new(&chromium).exists()).then(|| chromium.clone()),
        (!playwright.exists()).then(|| "playwright-core (run `npm ci` in tests/browser)".into()),
        (!common::repo().join(MERMAID).exists())
            .then(|| "mermaid (run `npm ci` in tests/browser)".into()),
        (!common::repo().join(AXE).exists())
            .then(|| "axe-core (run `npm ci` in tests/browser)".into()),
        Command::new("node")
            .arg("--version")
            .output()
            .is_err()
            .then(|| "node".to_string()),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// Runs `tests/browser/<script>` with `args`; fails with its output if it fails.
pub fn run_script(script: &str, args: &[&str]) {
    let output = Command::new("node")
        .arg(common::repo().join("tests/browser").join(script))
        .args(args)
        .output()
        .expect("run node");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "{script} failed:\n{stdout}\n{stderr}"
    );
    print!("{stdout}");
}

fn live_preview_in_chromium() {
    let member = |i: usize, words: &str| {
        format!(
            "---\ntitle: Member {i}\ntags: [t{i}]\n---\n{words}\n\nLinks to [[m{}]].\n",
            (i + 1) % 2
        )
    };
    let site = TestSite::new(&[
        ("members/m0.md", &member(0, "Another member.")),
        ("members/m1.md", &member(1, "Original words.")),
    ]);
    site.write("static/extra.css", ":root { --probe: original; }\n");
    // The default theme links style.css only; this test's stylesheet is linked by a site template override.
    let base =
        std::fs::read_to_string(site.root().join("themes/default/templates/base.html")).unwrap();
    let with_extra = base.replacen(
        "</head>",
        "<link rel=\"stylesheet\" href=\"/extra.css\">\n</head>",
        1,
    );
    assert_ne!(base, with_extra, "base.html has a </head>");
    site.write("templates/base.html", &with_extra);
    let (editor, _outside, opened) = common::server::recording_editor();
    let server = Server::start(&site, &["--editor", &editor]);
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots/serve");
    run_script(
        "serve.mjs",
        &[
            &server.url,
            site.root().to_str().unwrap(),
            shots.to_str().unwrap(),
            opened.to_str().unwrap(),
        ],
    );
}

fn search_and_previews_in_chromium_on_static_files() {
    let site = TestSite::new(&[
        (
            "drills/brotherhood.md",
            "---\ntitle: Indestructible Brotherhood\ndates: { start: 2024-09-26, end: 2024-10-07 }\nhost: kz\nparticipants: [kz]\nobjectives: [Rehearse an evacuation]\n---\nКомандно-штабное учение «Нерушимое братство». Held in [[kz]].\n\nThe drill trains units for peacekeeping. It lasts twelve days, and its command post works around the clock so that the forces can deploy quickly.\n",
        ),
        (
            "notes/un.md",
            "---\ntitle: Mandates\n---\nA force may act under a UN mandate.\n",
        ),
        (
            "members/kz.md",
            "---\ntitle: Kazakhstan\n---\nKazakhstan hosts the drill.\n",
        ),
    ]);
    let base = build_and_serve(site.root(), "/kb/");
    run_script("search.mjs", &[&base]);
}

fn callouts_and_formulas_in_chromium() {
    let site = TestSite::with_config(
        &format!("{CONFIG}markdown: {{ copy_button: true }}\n"),
        &[
            (
                "notes/rich.md",
                "---\ntitle: Rich\n---\n> [!warning] Mind the gap\n> Between the train and the platform.\n\n> [!faq]- Why fold?\n> So that long answers wait to be asked for.\n\nInline $E = mc^2$ and a display formula[^m]:\n\n$$\n\\frac{a + b}{2} \\geq \\sqrt{ab}\n$$\n\n\
```rust,linenos,hl_lines=2 title=\"src/main.rs\"\n/// Greets.\nfn main() {\n    println!(\"hello, {}\", 42);\n}\n```\n\n\
```mermaid\ngraph LR\n  Plan --> Drill --> Review\n```\n\n![[quoted#Part]]\n\n\
{{ youtube(id=\"dQw4w9WgXcQ\", title=\"A talk on drills\") }}\n\n\
{% note(kind=\"tip\", title=\"From a shortcode\") %}\nA note with a [[quoted]] link.\n{% end %}\n\n\
{{ ref(to=\"quoted\") }}\n\n\
```query\nkind: member\nshow: [joined]\n```\n\n\
[^m]: The AM–GM inequality.\n",
            ),
            (
                "notes/quoted.md",
                "---\ntitle: Quoted\n---\nNot shown.\n\n## Part\n\nThe embedded part.\n",
            ),
            (
                "members/kazakhstan.md",
                "---\ntitle: Kazakhstan\njoined: 1992\n---\nA member.\n",
            ),
            (
                "members/belarus.md",
                "---\ntitle: Belarus\njoined: 1993\n---\nA member.\n",
            ),
        ],
    );
    // The site opts in to diagrams with its own copy of mermaid (from npm), no CDN.
    let mermaid = common::repo().join(MERMAID);
    std::fs::create_dir_all(site.root().join("static")).unwrap();
    std::fs::copy(&mermaid, site.root().join("static/mermaid.min.js"))
        .expect("mermaid from tests/browser/node_modules (npm ci)");
    let base = build_and_serve(site.root(), "/");
    let shots = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    run_script(
        "rich.mjs",
        &[&format!("{base}notes/rich/"), shots.to_str().unwrap()],
    );
}

/// The knowledge base itself, built as a publisher would and served as static files:
/// every page type, light and dark, wide and narrow, through axe-core, with screenshots
/// saved under `target/tmp/screenshots/reader/`.
fn every_page_type_of_the_knowledge_base_passes_axe_in_chromium() {
    let dir = tempfile::tempdir().unwrap();
    for part in ["content", "themes", "docs"] {
        common::copy_dir(&common::repo().join(part), &dir.path().join(part));
    }
    std::fs::copy(
        common::repo().join("site.yaml"),
        dir.path().join("site.yaml"),
    )
    .unwrap();
    let base = build_and_serve(dir.path(), "/");
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots/reader");
    run_script("reader.mjs", &[&base, shots.to_str().unwrap()]);
}

/// A site of 150 notes, each linking to four others: a graph too dense to label at once.
fn a_dense_graph_zooms_pans_and_highlights_in_chromium() {
    let notes: Vec<(String, String)> = (0..150)
        .map(|i| {
            let links: Vec<String> = [i + 1, i * 7 + 3, i * 31 + 11, i / 2]
                .iter()
                .map(|t| format!("[[n{}]]", t % 150))
                .collect();
            (
                format!("notes/n{i}.md"),
                format!(
                    "---\ntitle: Note on topic {i}\n---\nSee {}.\n",
                    links.join(", ")
                ),
            )
        })
        .collect();
    let site = TestSite::from_owned(&notes);
    let base = build_and_serve(site.root(), "/");
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots/graph");
    run_script("graph.mjs", &[&base, shots.to_str().unwrap()]);
}

/// A site in English and Russian: the switcher, and search in Russian.
fn switching_language_and_searching_in_russian_in_chromium() {
    let config = format!(
        "{}language: en\nlanguages:\n  en: {{ name: English }}\n  ru: {{ name: Русский }}\n",
        common::CONFIG
    );
    let drill = |title: &str, body: &str| {
        format!(
            "---\ntitle: {title}\ndates: {{ start: 2024-09-26, end: 2024-09-30 }}\nhost: kz\n---\n{body}\n"
        )
    };
    let (en, ru) = (
        drill("Unbreakable Brotherhood", "A drill hosted by [[kz]]."),
        drill("Нерушимое братство", "Учения, которые принимал [[kz]]."),
    );
    let site = TestSite::with_config(
        &config,
        &[
            ("drills/brotherhood.md", &en),
            ("drills/brotherhood.ru.md", &ru),
            ("members/kz.md", "---\ntitle: Kazakhstan\n---\nA member.\n"),
            (
                "members/kz.ru.md",
                "---\ntitle: Казахстан\n---\nГосударство-член.\n",
            ),
        ],
    );
    let base = build_and_serve(site.root(), "/");
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots/languages");
    run_script("languages.mjs", &[&base, shots.to_str().unwrap()]);
}

/// Builds the site at `root` into its `public/` for the base path `base_path` and serves
/// it as plain static files; returns the site's URL.
fn build_and_serve(root: &Path, base_path: &str) -> String {
    let server = StaticServer::bind();
    let base = format!("{}{base_path}", server.origin);
    let options = muster::BuildOptions {
        base_url: Some(base.clone()),
        ..muster::BuildOptions::new(root)
    };
    muster::build(&options, &root.join("public")).expect("the site builds");
    server.serve(&root.join("public"), base_path);
    base
}
