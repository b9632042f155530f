//! `serve`'s incremental rebuilds against full builds: after any sequence of edits,
//! what serve holds in memory must equal what a full build of the same files gives.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::common::TestSite;
use muster::BuildOptions;
use muster::MemorySink;
use muster::{LiveSite, OpenFirst, Strategy};

const MEMBERS: usize = 6;

fn member(i: usize, extra: &str) -> String {
    let next = (i + 1) % MEMBERS;
    // Even members are dated, so they are among the newest pages every page lists.
    let date = if i.is_multiple_of(2) {
        format!("date: 2020-0{}-01\n", i + 1)
    } else {
        String::new()
    };
    format!(
        "---\ntitle: Member {i}\n{date}joined: {}\ntags: [t{}]\n---\nIntro paragraph of member {i}, next to [[m{next}]].\n\n## History\n\nJoined long ago.{extra}\n",
        1990 + i,
        i % 3
    )
}

fn drill(i: usize) -> String {
    format!(
        "---\ntitle: Drill {i}\ndates: {{ start: 2024-0{}-01, end: 2024-0{}-05 }}\nhost: m{i}\nparticipants: [m{}, m{}]\ntags: [t{i}]\n---\nDrill {i} was held in [[m{i}]]. See [[m{}#history]].\n\n![[m{i}#history]]\n\nBadge {{{{ badge(n={i}) }}}}.\n\n{{{{ ref(to=\"m{i}\") }}}}\n\n```query\nkind: member\nwhere: {{ drills: this }}\nshow: [joined]\n```\n",
        i + 1,
        i + 1,
        (i + 1) % MEMBERS,
        (i + 2) % MEMBERS,
        (i + 3) % MEMBERS
    )
}

fn site() -> TestSite {
    site_with(true)
}

/// The test site; with `dense`, every page also shows the newest pages' summaries and
/// a query of all members, so that most edits change every page.
pub(crate) fn site_with(dense: bool) -> TestSite {
    let mut files: Vec<(String, String)> = (0..MEMBERS)
        .map(|i| (format!("members/m{i}.md"), member(i, "")))
        .collect();
    files.extend((0..3).map(|i| (format!("drills/d{i}.md"), drill(i))));
    files.push((
        "_index.md".into(),
        "---\ntitle: Home\n---\nStart at [[d0]].\n".into(),
    ));
    let site = TestSite::from_owned(&files);
    site.write("static/extra.css", "body { color: black; }\n");
    site.write(
        "templates/shortcodes/badge.html",
        "{# shortcode\nargs:\n  n: number\n#}<b>{{ n }}</b>",
    );
    if !dense {
        return site;
    }
    // Every page shows the summaries of the newest pages: a summary edit of one of
    // them changes every page.
    site.write(
        "templates/partials/terms.html",
        "<div class=\"recent\">{% for p in site.recent %}{{ p.summary }}{% endfor %}</div>\n\
         {% set early = query(kind=\"member\", where={\"joined\": {\"to\": 1992}}) %}\
         <p>{{ early.count }} early: {% for r in early.rows %}{{ r.title }} {% endfor %}</p>\n",
    );
    site
}

/// Russian for the test site: the site's languages, translations of members m0–m2,
/// of the first drill and of the home (the other pages are in English only, or with
/// `notice` shown in Russian with a notice).
pub(crate) fn add_russian(site: &TestSite, notice: bool) {
    let config = std::fs::read_to_string(site.root().join("site.yaml")).unwrap();
    let untranslated = if notice { "notice" } else { "omit" };
    site.write(
        "site.yaml",
        &format!(
            "{config}language: en\nlanguages:\n  ru: {{ name: Русский, untranslated: {untranslated} }}\n"
        ),
    );
    for i in 0..3 {
        let text = member(i, "").replacen(
            &format!("title: Member {i}"),
            &format!("title: Участник {i}"),
            1,
        );
        site.write(
            &format!("content/members/m{i}.ru.md"),
            &text.replace("Intro paragraph of member", "Начало текста участника"),
        );
    }
    let drill = drill(0).replacen("title: Drill 0", "title: Учение 0", 1);
    site.write("content/drills/d0.ru.md", &drill);
    site.write(
        "content/_index.ru.md",
        "---\ntitle: Главная\n---\nНачните с [[d0]] и [[d1]].\n",
    );
}

pub(crate) fn options(root: &Path) -> BuildOptions {
    BuildOptions::serving(root, "http://127.0.0.1:1111/", true)
}

/// A full build of the files as they are now, into memory.
fn full_build(options: &BuildOptions) -> Result<HashMap<String, Vec<u8>>, Vec<muster::Diagnostic>> {
    // Every body's HTML through the temporary file, which serve never uses: the same site.
    let options = BuildOptions {
        html_in_memory: 0,
        ..options.clone()
    };
    let loaded = muster::load(&options).map_err(|e| e.0)?;
    let sink = MemorySink::default();
    muster::render_into(&loaded, &sink).map_err(|e| e.0)?;
    Ok(sink.into_files())
}

/// One random edit; returns the paths it touched, as a watcher would report them.
pub(crate) struct Editor {
    root: PathBuf,
    rng: fastrand::Rng,
    step: usize,
}

impl Editor {
    /// An editor of the site at `root`, making the edits `seed` gives.
    pub(crate) fn new(root: &Path, seed: u64) -> Editor {
        Editor {
            root: root.to_path_buf(),
            rng: fastrand::Rng::with_seed(seed),
            step: 0,
        }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    fn read(&self, rel: &str) -> Option<String> {
        std::fs::read_to_string(self.path(rel)).ok()
    }

    fn write(&self, rel: &str, text: &str) -> PathBuf {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }

    fn existing_members(&self) -> Vec<String> {
        let mut found: Vec<String> = std::fs::read_dir(self.path("content/members"))
            .unwrap()
            .flatten()
            .map(|e| format!("content/members/{}", e.file_name().to_string_lossy()))
            .collect();
        found.sort();
        found
    }

    pub(crate) fn edit(&mut self) -> (&'static str, Vec<PathBuf>) {
        self.step += 1;
        let n = self.step;
        let members = self.existing_members();
        let pick = members[self.rng.usize(..members.len())].clone();
        let text = self.read(&pick).unwrap_or_default();
        match self.rng.u8(..20) {
            0 | 1 => (
                "append body",
                vec![self.write(&pick, &format!("{text}\nMore text, zq{n}.\n"))],
            ),
            2 | 3 => (
                "edit summary",
                vec![self.write(
                    &pick,
                    &text.replacen("Intro paragraph", &format!("Intro {n}"), 1),
                )],
            ),
            4 => {
                let to = self.rng.usize(..MEMBERS);
                (
                    "add link",
                    vec![self.write(&pick, &format!("{text}\nSee [[m{to}]].\n"))],
                )
            }
            5 => {
                let to = self.rng.usize(..MEMBERS);
                let anchor = if self.rng.bool() {
                    "history"
                } else {
                    "nowhere"
                };
                (
                    "add anchored link",
                    vec![self.write(&pick, &format!("{text}\nSee [[m{to}#{anchor}]].\n"))],
                )
            }
            6 => (
                "add heading",
                vec![self.write(&pick, &format!("{text}\n## Part {n}\n\nText.\n"))],
            ),
            7 => {
                let title = text.replacen("title: ", &format!("title: Renamed {n} "), 1);
                ("change title", vec![self.write(&pick, &title)])
            }
            8 => {
                let rel = format!("content/members/new{n}.md");
                (
                    "new page",
                    vec![self.write(&rel, &member(n % MEMBERS, " New."))],
                )
            }
            9 => {
                std::fs::remove_file(self.path(&pick)).unwrap();
                ("delete page", vec![self.path(&pick)])
            }
            10 => {
                // Break the front matter, or put a deleted member back.
                let missing = (0..MEMBERS)
                    .map(|i| format!("content/members/m{i}.md"))
                    .find(|p| !self.path(p).exists());
                match missing {
                    Some(rel) => {
                        let i: usize = rel["content/members/m".len()..rel.len() - 3]
                            .parse()
                            .unwrap();
                        ("restore page", vec![self.write(&rel, &member(i, ""))])
                    }
                    None => (
                        "break yaml",
                        vec![self.write(&pick, &text.replacen("---\n", "---\ntitle: [\n", 1))],
                    ),
                }
            }
            11 => {
                // Repair every member page.
                let paths = (0..MEMBERS)
                    .map(|i| self.write(&format!("content/members/m{i}.md"), &member(i, "")))
                    .collect();
                ("repair all", paths)
            }
            13 => {
                // An embed: drills already embed members; this may chain them, or
                // close a cycle (an error both ways).
                let to = self.rng.usize(..MEMBERS);
                (
                    "add embed",
                    vec![self.write(&pick, &format!("{text}\n![[m{to}#history]]\n"))],
                )
            }
            12 => {
                let rel = "themes/default/templates/partials/toc.html";
                let old = self.read(rel).unwrap();
                let new = if self.rng.u8(..4) == 0 {
                    format!("{old}{{% if %}}")
                } else {
                    // Drop an earlier break, then add a visible change.
                    let clean = old.replace("{% if %}", "");
                    format!("{clean}<!-- edit {n} -->\n")
                };
                ("edit template", vec![self.write(rel, &new)])
            }
            14 => {
                // A shortcode: a card of a member (a link of its own), or a note whose
                // body links, or a call of a badge the site defines.
                let to = self.rng.usize(..MEMBERS);
                let call = match self.rng.u8(..3) {
                    0 => format!("{{{{ ref(to=\"m{to}\") }}}}"),
                    1 => format!("{{% note(kind=\"tip\") %}}\nSee [[m{to}]], {n}.\n{{% end %}}"),
                    _ => format!("Badge {{{{ badge(n={n}) }}}} here."),
                };
                (
                    "add shortcode",
                    vec![self.write(&pick, &format!("{text}\n{call}\n"))],
                )
            }
            15 => {
                let rel = "templates/shortcodes/badge.html";
                let new = if self.rng.u8(..4) == 0 {
                    "{# shortcode\nargs:\n  n: number\n#}<b>{{ n + }}</b>".to_string()
                } else {
                    format!(
                        "{{# shortcode\nargs:\n  n: number\n#}}<b class=\"v{n}\">{{{{ n }}}}</b>"
                    )
                };
                ("edit shortcode", vec![self.write(rel, &new)])
            }
            17 => {
                // A field the drills' queries show.
                let joined = text.replacen("joined: ", &format!("joined: {n}"), 1);
                ("change queried field", vec![self.write(&pick, &joined)])
            }
            18 => {
                // What `ref` cards show of a page, and what queries read.
                let described = match text.find("description: ") {
                    Some(_) => text.replacen("description: ", &format!("description: D{n} "), 1),
                    None => text.replacen("---\n", &format!("---\ndescription: D{n}\n"), 1),
                };
                ("change description", vec![self.write(&pick, &described)])
            }
            19 => {
                let from = self.rng.usize(..MEMBERS);
                (
                    "add include",
                    vec![self.write(
                        &pick,
                        &format!("{text}\n{{{{ include(path=\"m{from}\") }}}}\n"),
                    )],
                )
            }
            _ => {
                let rel = "static/extra.css";
                let old = self.read(rel).unwrap();
                (
                    "edit css",
                    vec![self.write(rel, &format!("{old}/* {n} */\n"))],
                )
            }
        }
    }
}

/// Whether what serve holds is what a full build of the same files gives.
fn compare(live: &LiveSite, options: &BuildOptions, what: &str) -> Result<(), String> {
    match full_build(options) {
        Ok(files) => {
            if !live.errors().is_empty() {
                return Err(format!(
                    "{what}: serve has errors the build has not: {:?}",
                    live.errors()
                ));
            }
            let served: HashMap<&str, &[u8]> = live
                .files()
                .iter()
                .map(|(k, v)| (k.as_str(), &v[..]))
                .collect();
            let built: HashMap<&str, &[u8]> =
                files.iter().map(|(k, v)| (k.as_str(), &v[..])).collect();
            for (path, bytes) in &built {
                match served.get(path) {
                    None => return Err(format!("{what}: serve lacks {path}")),
                    Some(s) if s != bytes => {
                        return Err(format!(
                            "{what}: {path} differs\n--- serve\n{}\n--- build\n{}",
                            String::from_utf8_lossy(s),
                            String::from_utf8_lossy(bytes)
                        ));
                    }
                    _ => {}
                }
            }
            if let Some(path) = served.keys().find(|p| !built.contains_key(*p)) {
                return Err(format!("{what}: serve has {path}, the build has not"));
            }
        }
        Err(mut errors) => {
            // serve lists errors, not warnings.
            errors.retain(muster::Diagnostic::is_error);
            if live.errors() != &errors[..] {
                return Err(format!(
                    "{what}: errors differ\n--- serve\n{:?}\n--- build\n{errors:?}",
                    live.errors()
                ));
            }
        }
    }
    Ok(())
}

/// Runs `steps` random edits from `seed`, comparing serve with a full build after
/// each; the strategies taken, or the first difference. With `ignored`, serve leaves
/// that kind of recorded read out of its decisions.
fn run_sequence(
    seed: u64,
    steps: usize,
    ignored: Option<&'static str>,
) -> Result<HashMap<String, usize>, String> {
    run_sequence_on(site(), seed, steps, ignored)
}

/// [`run_sequence`] on `site`.
fn run_sequence_on(
    site: TestSite,
    seed: u64,
    steps: usize,
    ignored: Option<&'static str>,
) -> Result<HashMap<String, usize>, String> {
    let root = site.root().canonicalize().unwrap();
    let options = options(&root);
    let (mut live, first) = LiveSite::new(options.clone());
    assert!(first.errors.is_empty(), "{:?}", first.errors);
    if let Some(kind) = ignored {
        live.ignore_reads(kind);
    }
    // Pages first; the data files follow when serve calls for them.
    assert!(live.data_pending());
    assert!(!live.files().contains_key("search/meta.json"));
    live.refresh_data();
    compare(&live, &options, "first build")?;
    let mut editor = Editor::new(&root, seed);
    let mut strategies: HashMap<String, usize> = HashMap::new();
    let mut log = Vec::new();
    // Two pages open in browsers: a large change renders them first, in an update of
    // their own, which must leave the same files as rendering everything at once.
    let open: HashSet<String> = ["index.html", "members/m1/index.html"]
        .map(String::from)
        .into();
    for _ in 0..steps {
        let (what, paths) = editor.edit();
        log.push(what);
        let mut early = Vec::new();
        let mut show = |update: muster::Update| early.push(update);
        let update = live.rebuild_with(
            &paths,
            OpenFirst {
                pages: &open,
                show: &mut show,
            },
        );
        for first in &early {
            let shown: HashSet<&str> = first.changed.iter().map(|(p, _)| p.as_str()).collect();
            if !shown.is_subset(&open.iter().map(String::as_str).collect()) {
                return Err(format!("seed {seed}, after {log:?}: shown first {shown:?}"));
            }
            *strategies.entry("open first".into()).or_default() += 1;
        }
        *strategies
            .entry(format!("{:?}", update.strategy))
            .or_default() += 1;
        // What serve does once the writer pauses.
        if let Some(update) = live.refresh_data() {
            *strategies
                .entry(format!("{:?}", update.strategy))
                .or_default() += 1;
        }
        compare(&live, &options, &format!("seed {seed}, after {log:?}"))?;
    }
    Ok(strategies)
}

#[test]
fn random_edit_sequences_match_full_builds() {
    let mut totals: HashMap<String, usize> = HashMap::new();
    for seed in 1..=6 {
        for (k, v) in run_sequence(seed, 40, None).unwrap_or_else(|e| panic!("{e}")) {
            *totals.entry(k).or_default() += v;
        }
    }
    // The cheap paths must really have been taken, or this compares nothing of them.
    for strategy in [
        Strategy::Page,
        Strategy::Templates,
        Strategy::Static,
        Strategy::Full,
    ] {
        assert!(
            totals.get(&format!("{strategy:?}")).copied().unwrap_or(0) > 0,
            "{strategy:?} never taken: {totals:?}"
        );
    }
    assert!(
        totals.get("open first").copied().unwrap_or(0) > 0,
        "open pages were never rendered first: {totals:?}"
    );
}

/// The same in two languages: edits to originals and translations re-render both
/// languages' outputs (listings, timelines, graphs, switchers) as a full build does.
#[test]
fn random_edit_sequences_in_two_languages_match_full_builds() {
    let mut totals: HashMap<String, usize> = HashMap::new();
    for seed in 1..=4 {
        let site = site();
        add_russian(&site, seed > 2);
        let strategies = run_sequence_on(site, seed, 40, None).unwrap_or_else(|e| panic!("{e}"));
        for (k, v) in strategies {
            *totals.entry(k).or_default() += v;
        }
    }
    for strategy in [Strategy::Page, Strategy::Full] {
        assert!(
            totals.get(&format!("{strategy:?}")).copied().unwrap_or(0) > 0,
            "{strategy:?} never taken: {totals:?}"
        );
    }
}

/// The equivalence test above must be able to fail: with any one kind of recorded
/// read left out of serve's decisions, some sequence of edits leaves a stale page.
#[test]
fn the_equivalence_test_notices_any_kind_of_read_dropped() {
    for kind in ["text", "facts", "summary", "field", "template"] {
        let caught = (1..=12).find_map(|seed| run_sequence(seed, 40, Some(kind)).err());
        assert!(
            caught.is_some(),
            "with `{kind}` reads dropped, serve still matched every full build"
        );
    }
}

#[test]
fn body_edit_rerenders_only_what_shows_it() {
    let site = site();
    let root = site.root().canonicalize().unwrap();
    let (mut live, _) = LiveSite::new(options(&root));
    let path = root.join("content/members/m3.md");
    // Below the summary: only the page itself changes.
    std::fs::write(&path, member(3, " Added below the summary.")).unwrap();
    let update = live.rebuild(std::slice::from_ref(&path));
    assert_eq!(update.strategy, Strategy::Page);
    let changed: Vec<&str> = update.changed.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(changed, ["members/m3/index.html"]);
    // The summary: the section listing and the term pages show it too.
    std::fs::write(
        &path,
        member(3, " Added below the summary.").replace("Intro", "Opening"),
    )
    .unwrap();
    let update = live.rebuild(std::slice::from_ref(&path));
    assert_eq!(update.strategy, Strategy::Page);
    let changed: Vec<&str> = update.changed.iter().map(|(p, _)| p.as_str()).collect();
    for expected in [
        "members/m3/index.html",
        "members/index.html",
        "tags/t0/index.html",
    ] {
        assert!(changed.contains(&expected), "{expected} not in {changed:?}");
    }
    assert!(!changed.contains(&"members/m5/index.html"), "{changed:?}");
}

#[test]
fn a_deleted_page_disappears_even_while_links_to_it_are_broken() {
    let site = site();
    let root = site.root().canonicalize().unwrap();
    let (mut live, _) = LiveSite::new(options(&root));
    assert!(live.files().contains_key("members/m4/index.html"));
    let path = root.join("content/members/m4.md");
    std::fs::remove_file(&path).unwrap();
    let update = live.rebuild(std::slice::from_ref(&path));
    assert!(
        update
            .removed
            .contains(&"members/m4/index.html".to_string())
    );
    assert!(!live.files().contains_key("members/m4/index.html"));
    // m3 links to m4 ("next to"): its link is now broken, and it says where.
    let broken = live
        .errors()
        .iter()
        .find(|d| {
            d.location
                .as_ref()
                .is_some_and(|l| l.file.ends_with("members/m3.md"))
        })
        .expect("an error on the page linking to the deleted one");
    assert_eq!(broken.kind, muster::ErrorKind::Link);
    // The last good version of the other pages stays served.
    assert!(live.files().contains_key("members/m3/index.html"));
}

#[test]
fn an_edit_rerenders_every_page_that_embeds_it_through_any_chain() {
    let site = site();
    let root = site.root().canonicalize().unwrap();
    let (mut live, _) = LiveSite::new(options(&root));
    // d1 embeds m1's history; m2's history embeds it too, and d2 embeds m2's history.
    let m2 = root.join("content/members/m2.md");
    std::fs::write(&m2, member(2, "\n\n![[m1#history]]")).unwrap();
    live.rebuild(std::slice::from_ref(&m2));
    let m1 = root.join("content/members/m1.md");
    std::fs::write(&m1, member(1, " Quoted onward.")).unwrap();
    let update = live.rebuild(std::slice::from_ref(&m1));
    assert_eq!(update.strategy, Strategy::Page);
    let changed: Vec<&str> = update.changed.iter().map(|(p, _)| p.as_str()).collect();
    for expected in [
        "members/m1/index.html",
        "drills/d1/index.html",
        "members/m2/index.html",
        "drills/d2/index.html",
    ] {
        assert!(changed.contains(&expected), "{expected} not in {changed:?}");
    }
    assert!(!changed.contains(&"drills/d0/index.html"), "{changed:?}");
    let d2 = String::from_utf8_lossy(&live.files()["drills/d2/index.html"]).into_owned();
    assert!(d2.contains("Quoted onward."), "{d2}");
    live.refresh_data();
    compare(&live, &options(&root), "after the chained edit").unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn a_shortcode_edit_rerenders_the_pages_that_call_it() {
    let site = site();
    let root = site.root().canonicalize().unwrap();
    let options = options(&root);
    let (mut live, _) = LiveSite::new(options.clone());
    live.refresh_data();
    assert!(
        String::from_utf8_lossy(&live.files()["drills/d1/index.html"]).contains("<b>1</b>"),
        "the drill calls the badge"
    );
    let path = root.join("templates/shortcodes/badge.html");
    std::fs::write(
        &path,
        "{# shortcode\nargs:\n  n: number\n#}<b class=\"new\">{{ n }}</b>",
    )
    .unwrap();
    live.rebuild(std::slice::from_ref(&path));
    live.refresh_data();
    assert!(
        String::from_utf8_lossy(&live.files()["drills/d1/index.html"])
            .contains("<b class=\"new\">1</b>"),
        "the drill shows the new badge"
    );
    compare(&live, &options, "after a shortcode edit").unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn an_edit_to_an_included_page_rerenders_the_pages_that_include_it() {
    let site = site();
    site.write(
        "content/members/m1.md",
        &member(1, "\n\n{{ include(path=\"/snippets/note.md\") }}"),
    );
    site.write(
        "content/snippets/_index.md",
        "---\ntitle: Snippets\nheadless: true\n---\n",
    );
    site.write(
        "content/snippets/note.md",
        "---\ntitle: Note\n---\nFirst note.\n",
    );
    let root = site.root().canonicalize().unwrap();
    let options = options(&root);
    let (mut live, first) = LiveSite::new(options.clone());
    assert!(first.errors.is_empty(), "{:?}", first.errors);
    live.refresh_data();
    let page = |live: &LiveSite| {
        String::from_utf8_lossy(&live.files()["members/m1/index.html"]).to_string()
    };
    assert!(page(&live).contains("First note."));
    let path = root.join("content/snippets/note.md");
    std::fs::write(&path, "---\ntitle: Note\n---\nSecond note.\n").unwrap();
    live.rebuild(std::slice::from_ref(&path));
    live.refresh_data();
    assert!(page(&live).contains("Second note."), "{}", page(&live));
    compare(&live, &options, "after an included page's edit").unwrap_or_else(|e| panic!("{e}"));
    // And an edit to the including page keeps the included text.
    let path = root.join("content/members/m1.md");
    std::fs::write(
        &path,
        member(1, " Edited.\n\n{{ include(path=\"/snippets/note.md\") }}"),
    )
    .unwrap();
    live.rebuild(std::slice::from_ref(&path));
    live.refresh_data();
    assert!(page(&live).contains("Second note."), "{}", page(&live));
    compare(&live, &options, "after the including page's edit").unwrap_or_else(|e| panic!("{e}"));
}

/// A field edit re-renders the pages whose queries read that field, and no other.
#[test]
fn a_queried_field_edit_rerenders_exactly_the_pages_whose_queries_read_it() {
    const CONFIG: &str = "title: Q\nbase_url: https://example.org/\nkinds:\n  member:\n    section: members\n    fields:\n      joined: { type: integer }\n      motto: { type: string }\n  report:\n    section: reports\n";
    let mut files: Vec<(String, String)> = (0..3)
        .map(|i| {
            (
                format!("members/m{i}.md"),
                format!(
                    "---\ntitle: Member {i}\njoined: {}\nmotto: M{i}\n---\nText.\n",
                    1990 + i
                ),
            )
        })
        .collect();
    files.extend((0..1000).map(|i| {
        (
            format!("reports/r{i}.md"),
            format!("---\ntitle: Report {i}\n---\nMembers:\n\n```query\nkind: member\nshow: [joined]\n```\n"),
        )
    }));
    files.extend((0..200).map(|i| (format!("notes/n{i}.md"), format!("# Note {i}\n\nPlain.\n"))));
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let site = TestSite::with_config(CONFIG, &refs);
    let root = site.root().canonicalize().unwrap();
    let (mut live, first) = LiveSite::new(options(&root));
    assert!(first.errors.is_empty(), "{:?}", first.errors);
    let path = root.join("content/members/m1.md");

    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("joined: 1991", "joined: 2001")).unwrap();
    let update = live.rebuild(std::slice::from_ref(&path));
    assert_eq!(update.strategy, Strategy::Page, "{:?}", update.errors);
    // The 1,000 reports and the member's own page.
    assert_eq!(update.rendered, 1001);
    assert_eq!(update.changed.len(), 1001);
    assert!(
        update
            .changed
            .iter()
            .all(|(p, _)| p.starts_with("reports/r") || p == "members/m1/index.html"),
        "{:?}",
        update.changed.iter().map(|(p, _)| p).collect::<Vec<_>>()
    );
    let report = String::from_utf8_lossy(&live.files()["reports/r7/index.html"]).into_owned();
    assert!(report.contains("2001"), "{report}");

    // A field no query reads: the member's page alone.
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("motto: M1", "motto: Other")).unwrap();
    let update = live.rebuild(std::slice::from_ref(&path));
    assert_eq!(update.strategy, Strategy::Page, "{:?}", update.errors);
    assert_eq!(update.rendered, 1);
    live.refresh_data();
    compare(&live, &options(&root), "after the field edits").unwrap_or_else(|e| panic!("{e}"));
}

/// A query's `date` is a page's first date field when it has no `date:`: a new value of
/// that field moves the page (in every list by date), so it is a full rebuild, and
/// re-sorts the queries sorted by date.
#[test]
fn a_date_field_edit_resorts_queries_by_date() {
    const CONFIG: &str = "title: Q\nbase_url: https://example.org/\nkinds:\n  member:\n    section: members\n    fields:\n      signed: { type: date }\n";
    let files = [
        (
            "members/a.md",
            "---\ntitle: A\nsigned: 2001-01-01\n---\nText.\n",
        ),
        (
            "members/b.md",
            "---\ntitle: B\nsigned: 2002-01-01\n---\nText.\n",
        ),
        (
            "list.md",
            "---\ntitle: List\n---\n```query\nkind: member\nsort: -date\nas: list\n```\n",
        ),
    ];
    let site = TestSite::with_config(CONFIG, &files);
    let root = site.root().canonicalize().unwrap();
    let (mut live, first) = LiveSite::new(options(&root));
    assert!(first.errors.is_empty(), "{:?}", first.errors);
    let path = root.join("content/members/a.md");
    std::fs::write(&path, "---\ntitle: A\nsigned: 2003-01-01\n---\nText.\n").unwrap();
    let update = live.rebuild(std::slice::from_ref(&path));
    assert_eq!(update.strategy, Strategy::Full, "{:?}", update.errors);
    let list = String::from_utf8_lossy(&live.files()["list/index.html"]).into_owned();
    let (a, b) = (list.find(">A<").expect("A"), list.find(">B<").expect("B"));
    assert!(a < b, "A is now the newest: {list}");
    live.refresh_data();
    compare(&live, &options(&root), "after the date edit").unwrap_or_else(|e| panic!("{e}"));
}
