//! muster deletes or replaces only what it wrote (issue "Nothing lost, nothing written
//! outside"). Each case runs the real binary on a site in `site/` of its own temporary
//! folder and fingerprints that whole folder (the site, what lies beside it, and the
//! output) before and after: a refused command changes nothing at all, a build changes
//! nothing but its output folder.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use crate::common::{CONFIG, TestSite, fingerprint};

fn muster(site: &TestSite, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_muster"))
        .args(args)
        .args(["--color", "never"])
        .current_dir(site.root())
        .output()
        .expect("run muster")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn site() -> TestSite {
    TestSite::nested(
        CONFIG,
        &[
            (
                "members/kz.md",
                "---\ntitle: Kazakhstan\ntags: [csto]\n---\nHost.\n",
            ),
            (
                "members/ru.md",
                "---\ntitle: Russia\n---\nA member, see [[kz]].\n",
            ),
        ],
    )
}

type Fingerprint = Vec<(String, String)>;

/// The entries of two fingerprints that differ, from either side.
fn changes<'a>(before: &'a Fingerprint, after: &'a Fingerprint) -> Vec<&'a (String, String)> {
    after
        .iter()
        .filter(|e| !before.contains(e))
        .chain(before.iter().filter(|e| !after.contains(e)))
        .collect()
}

/// Runs `args`, which must be refused with exit status 1, an error with `code` and a
/// hint, no panic, and nothing changed anywhere in the site's folder.
fn refused(site: &TestSite, args: &[&str], code: &str) -> String {
    let before = fingerprint(site.parent(), &[]);
    let out = muster(site, args);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
    assert!(err.contains(&format!("error[{code}]")), "{args:?}: {err}");
    assert!(err.contains("help:"), "{args:?}: {err}");
    assert!(!err.contains("panicked"), "{args:?}: {err}");
    let after = fingerprint(site.parent(), &[]);
    let changed = changes(&before, &after);
    assert!(changed.is_empty(), "{args:?} changed {changed:?}: {err}");
    err
}

/// Runs `muster build` (with `args`), which must succeed and change nothing outside
/// `output`; what it printed on stderr.
fn builds_into(site: &TestSite, output: &Path, args: &[&str]) -> String {
    // The build cache beside the output is muster's too; `build_cache` checks what it holds.
    let cache = crate::common::build_cache(output);
    let before = fingerprint(site.parent(), &[output, &cache]);
    let mut all = vec!["build"];
    if !args.contains(&"-v") {
        all.push("-q");
    }
    all.extend_from_slice(args);
    let out = muster(site, &all);
    assert!(out.status.success(), "{all:?}: {}", stderr(&out));
    // The previous site goes in the background; wait for it before looking beside.
    crate::common::wait_until(
        "the previous site to be removed",
        crate::common::server::PATIENCE,
        || {
            std::fs::read_dir(output.parent().unwrap())
                .unwrap()
                .all(|e| {
                    !crate::common::is_build_leftover(&e.unwrap().file_name().to_string_lossy())
                })
        },
    );
    let after = fingerprint(
        site.parent(),
        &[output, &crate::common::build_cache(output)],
    );
    let changed = changes(&before, &after);
    assert!(
        changed.is_empty(),
        "{all:?} wrote outside {}: {changed:?}",
        output.display()
    );
    stderr(&out)
}

#[test]
fn output_that_is_the_site_its_sources_or_a_parent_is_refused() {
    let site = site();
    site.write("static/robots.txt", "User-agent: *\n");
    site.write("templates/.keep", "");
    builds_into(&site, &site.root().join("public"), &[]);
    let parent = site.parent().to_string_lossy().into_owned();
    let root = site.root().to_string_lossy().into_owned();
    for output in [
        ".",
        "./",
        &root,
        "content",
        "content/members",
        "content/new-folder",
        "themes",
        "themes/default/templates",
        "static",
        "templates",
        "..",
        &parent,
        "/",
        "public/../content",
    ] {
        let err = refused(&site, &["build", "--output", output], "E012");
        assert!(err.contains("output folder"), "{output}: {err}");
    }
}

#[test]
fn output_that_is_a_file_is_refused() {
    let site = site();
    // Missing folders above the output are made, as `mkdir -p` would.
    let out = muster(&site, &["build", "-q", "--output", "made/for/it"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(site.root().join("made/for/it/index.html").is_file());
    std::fs::create_dir(site.root().join("dist")).unwrap();
    for output in ["site.yaml", "../beside.txt", "content/members/kz.md"] {
        let err = refused(&site, &["build", "--output", output], "E012");
        assert!(
            err.contains("is a file") || err.contains("is in the site's"),
            "{output}: {err}"
        );
    }
}

#[test]
fn output_beside_or_below_the_site_is_built() {
    let site = site();
    // Missing folders above the output are made, as `mkdir -p` would.
    let out = muster(&site, &["build", "-q", "--output", "made/for/it"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(site.root().join("made/for/it/index.html").is_file());
    std::fs::create_dir(site.root().join("dist")).unwrap();
    for output in [
        site.root().join("public"),
        site.root().join("dist/kb"),
        site.parent().join("out"),
    ] {
        builds_into(&site, &output, &["--output", output.to_str().unwrap()]);
        builds_into(&site, &output, &["--output", output.to_str().unwrap()]);
        assert!(output.join("members/kz/index.html").is_file());
        assert!(output.join(".muster-manifest").is_file());
    }
}

#[test]
fn a_gh_pages_worktree_keeps_its_git_and_cname() {
    let site = site();
    let public = site.root().join("public");
    // A worktree as `git worktree add public gh-pages` leaves it, before any build.
    site.write("public/.git", "gitdir: /elsewhere/.git/worktrees/public\n");
    site.write("public/CNAME", "kb.example.org\n");
    site.write("public/notes/todo.txt", "my own notes\n");
    let theirs = || {
        fingerprint(&public, &[])
            .into_iter()
            .filter(|(p, _)| p == ".git" || p == "CNAME" || p.starts_with("notes"))
            .collect::<Vec<_>>()
    };
    let before = theirs();
    builds_into(&site, &public, &[]);
    assert_eq!(theirs(), before);
    assert!(public.join("members/kz/index.html").is_file());
    // A second build replaces muster's files, drops the ones it no longer makes, keeps theirs.
    std::fs::remove_file(site.root().join("content/members/ru.md")).unwrap();
    builds_into(&site, &public, &[]);
    assert_eq!(theirs(), before);
    assert!(!public.join("members/ru").exists());
    let manifest = std::fs::read_to_string(public.join(".muster-manifest")).unwrap();
    assert!(
        !manifest.contains("CNAME") && !manifest.contains(".git") && !manifest.contains("notes/")
    );
    // Nothing of the build is left inside or beside it.
    assert!(std::fs::read_dir(&public).unwrap().all(|e| {
        !e.unwrap()
            .file_name()
            .to_string_lossy()
            .starts_with(".muster-staging")
    }));
}

#[test]
fn a_users_file_where_the_site_goes_stops_the_build() {
    let site = site();
    site.write("public/index.html", "<p>my own home page</p>\n");
    site.write("public/CNAME", "kb.example.org\n");
    let err = refused(&site, &["build"], "E012");
    assert!(err.contains("index.html"), "{err}");
    assert!(!err.contains("CNAME"), "{err}");
    // After a build, a file put where muster writes is no more muster's than before.
    std::fs::remove_file(site.root().join("public/index.html")).unwrap();
    builds_into(&site, &site.root().join("public"), &[]);
    site.write("public/members/ru/notes.md", "mine\n");
    builds_into(&site, &site.root().join("public"), &[]);
    assert_eq!(
        std::fs::read_to_string(site.root().join("public/members/ru/notes.md")).unwrap(),
        "mine\n"
    );
}

/// Sets the modified time of every folder in `dir` an hour back, as folders long unchanged
/// have: a build then keeps their listings for the next build, which does not list them again.
fn age_folders(dir: &Path) {
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.unwrap();
        if entry.file_type().is_dir() {
            let folder = std::fs::File::open(entry.path()).unwrap();
            folder.set_modified(hour_ago).unwrap();
        }
    }
}

#[test]
fn a_file_put_into_a_folder_whose_listing_was_kept_is_found() {
    let site = site();
    let public = site.root().join("public");
    builds_into(&site, &public, &[]);
    // Each of the two sites that take turns in `public/` is listed once while settled.
    for _ in 0..2 {
        age_folders(&public);
        builds_into(&site, &public, &[]);
    }
    // The next build knows them: it lists only the folder whose manifest it replaced.
    let told = builds_into(&site, &public, &["-v"]);
    let counts = told
        .lines()
        .find_map(|l| l.trim().strip_prefix("output folders"))
        .unwrap_or_else(|| panic!("{told}"));
    let numbers: Vec<usize> = counts
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    assert!(
        numbers.len() == 2 && numbers[0] <= 1 && numbers[1] >= 4,
        "{counts}"
    );
    site.write("public/members/ru/notes.md", "mine\n");
    site.write("public/members/theirs/index.html", "theirs\n");
    builds_into(&site, &public, &[]);
    assert_eq!(
        std::fs::read_to_string(public.join("members/ru/notes.md")).unwrap(),
        "mine\n"
    );
    assert_eq!(
        std::fs::read_to_string(public.join("members/theirs/index.html")).unwrap(),
        "theirs\n"
    );
    // A page of that name now would replace their file: refused.
    site.write(
        "content/members/theirs.md",
        "---\ntitle: Theirs\n---\nA member.\n",
    );
    let err = refused(&site, &["build"], "E012");
    assert!(err.contains("members/theirs/index.html"), "{err}");
}

#[cfg(target_os = "linux")]
#[test]
fn a_mount_point_output_is_built_inside() {
    let site = site();
    let out = site.parent().join("volume");
    std::fs::create_dir(&out).unwrap();
    let bin = env!("CARGO_BIN_EXE_muster");
    let script = format!(
        "set -e\n\
         mount -t tmpfs -o size=8m tmpfs '{out}'\n\
         echo mine > '{out}/lost+found.txt'\n\
         '{bin}' build -q --root '{root}' --output '{out}'\n\
         '{bin}' build -q --root '{root}' --output '{out}'\n\
         ls -a '{out}'\n\
         cat '{out}/lost+found.txt'\n",
        out = out.display(),
        root = site.root().display(),
    );
    let probe = Command::new("unshare")
        .args(["-Urm", "sh", "-c", "mount -t tmpfs -o size=1m tmpfs /mnt"])
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: this machine allows no mount namespace for a tmpfs");
        return;
    }
    let before = fingerprint(site.parent(), &[&out]);
    let run = Command::new("unshare")
        .args(["-Urm", "sh", "-c", &script])
        .output()
        .unwrap();
    let listing = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "{listing}\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let names: Vec<&str> = listing.lines().collect();
    for name in [
        "index.html",
        "members",
        ".muster-manifest",
        "lost+found.txt",
        "mine",
    ] {
        assert!(names.contains(&name), "{name} missing: {listing}");
    }
    assert!(!listing.contains("muster-staging"), "{listing}");
    assert_eq!(fingerprint(site.parent(), &[&out]), before);
}

#[test]
fn front_matter_values_of_dots_and_slashes_are_located_errors() {
    for (front, line, column) in [
        ("slug: \"../..\"\n", 3, 7),
        ("slug: \".\"\n", 3, 7),
        ("slug: \"\"\n", 3, 7),
        ("slug: \"/\"\n", 3, 7),
        ("tags: [\"../../..\"]\n", 3, 9),
        ("tags: [\"..\"]\n", 3, 9),
        ("aliases: [\"../../x\"]\n", 3, 12),
        ("aliases: [\"/\"]\n", 3, 12),
        ("aliases: [\".\"]\n", 3, 12),
        ("aliases: [\"a\\\\..\\\\..\\\\b\"]\n", 3, 1),
        ("aliases: [\"a\\tb\"]\n", 3, 1),
    ] {
        let site = site();
        builds_into(&site, &site.root().join("public"), &[]);
        site.write(
            "content/notes/n.md",
            &format!("---\ntitle: N\n{front}---\nText.\n"),
        );
        for command in ["build", "check"] {
            let err = refused(&site, &[command], "E004");
            assert!(
                err.contains(&format!("content/notes/n.md:{line}:{column}")),
                "{front}: {err}"
            );
        }
    }
}

#[test]
fn file_and_folder_names_without_a_slug_are_located_errors() {
    let site = site();
    site.write("content/notes/!!!.md", "---\ntitle: Bangs\n---\n");
    let err = refused(&site, &["build"], "E004");
    assert!(err.contains("content/notes/!!!.md:1:1"), "{err}");
    // `slug:` gives the page a name; a folder still needs one of its own.
    site.write(
        "content/notes/!!!.md",
        "---\ntitle: Bangs\nslug: bangs\n---\n",
    );
    site.write("content/+++/x.md", "---\ntitle: X\n---\n");
    let err = refused(&site, &["build"], "E004");
    assert!(
        err.contains("content/+++/x.md:1:1") && err.contains("folder name"),
        "{err}"
    );
}

#[test]
fn site_yaml_paths_that_leave_the_site_are_located_errors() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.md"), "# Secret\n").unwrap();
    let secret = outside.path().join("secret.md");
    for (setting, line) in [
        (format!("guide: {}\n", secret.display()), 18),
        ("guide: ../beside.txt\n".to_string(), 18),
        ("guide: docs/../../beside.txt\n".to_string(), 18),
        ("theme: ../../themes\n".to_string(), 18),
        ("theme: .\n".to_string(), 18),
    ] {
        let site = site();
        site.write("site.yaml", &format!("{CONFIG}{setting}"));
        let err = refused(&site, &["build"], "E002");
        assert!(
            err.contains(&format!("site.yaml:{line}:")),
            "{setting}: {err}"
        );
    }
    for (config, at) in [
        (
            CONFIG.replace("taxonomies: [tags]", "taxonomies: [\"..\"]"),
            "site.yaml:3:",
        ),
        (
            CONFIG.replace("section: drills", "section: /etc"),
            "site.yaml:6:",
        ),
        (
            CONFIG.replace("section: members", "section: ../../x"),
            "site.yaml:14:",
        ),
        (
            CONFIG.replace("  drill:\n", "  \"../x\":\n"),
            "site.yaml:5:",
        ),
    ] {
        let site = site();
        site.write("site.yaml", &config);
        let err = refused(&site, &["build"], "E002");
        assert!(err.contains(at), "{err}");
        // `muster schema` names files after kinds: refused too, nothing written.
        refused(&site, &["schema"], "E002");
    }
}

#[cfg(unix)]
#[test]
fn links_out_of_the_site_are_refused_everywhere() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("passwd"), "root:x:0:0\n").unwrap();
    std::fs::create_dir(outside.path().join("templates")).unwrap();
    std::fs::write(
        outside.path().join("templates/page.html"),
        "{{ page.title }}",
    )
    .unwrap();
    std::fs::write(outside.path().join("guide.md"), "# Guide\n").unwrap();
    let cases: [(&str, PathBuf, &str); 6] = [
        ("static", outside.path().to_path_buf(), "static"),
        (
            "static/passwd",
            outside.path().join("passwd"),
            "static/passwd",
        ),
        ("templates", outside.path().join("templates"), "templates"),
        (
            "themes/default/static/x.txt",
            outside.path().join("passwd"),
            "themes/default/static/x.txt",
        ),
        (
            "content/notes/p.md",
            outside.path().join("passwd"),
            "content/notes/p.md",
        ),
        (
            "docs/guide.md",
            outside.path().join("guide.md"),
            "site.yaml",
        ),
    ];
    for (link, target, at) in cases {
        let site = site();
        builds_into(&site, &site.root().join("public"), &[]);
        site.write("site.yaml", &format!("{CONFIG}guide: docs/guide.md\n"));
        site.write("docs/readme.txt", "");
        let path = site.root().join(link);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let _ = std::fs::remove_file(&path);
        symlink(&target, &path).unwrap();
        if link != "docs/guide.md" {
            site.write("docs/guide.md", "# Guide\n");
        }
        let err = refused(&site, &["build"], "E001");
        assert!(
            err.contains(at) && err.contains("outside the site"),
            "{link}: {err}"
        );
        assert!(!err.contains("root:x"), "{err}");
    }
    // A link inside the site is fine, as before.
    let site = site();
    symlink(
        site.root().join("content/members/kz.md"),
        site.root().join("content/members/kz2.md"),
    )
    .unwrap();
    let out = muster(&site, &["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

/// Runs `command` on `site` as a user who cannot read `unreadable` (below the site
/// root, made mode 000): `nobody` when the tests run as root, who may read everything.
#[cfg(unix)]
fn run_without_reading(site: &TestSite, unreadable: &str, command: &str) -> Output {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    use std::os::unix::process::CommandExt;
    let as_root = std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0);
    if as_root {
        // Everything else readable and writable by `nobody`.
        for entry in walkdir::WalkDir::new(site.parent()).into_iter().flatten() {
            let mode = if entry.file_type().is_dir() {
                0o777
            } else {
                0o666
            };
            let _ = std::fs::set_permissions(entry.path(), std::fs::Permissions::from_mode(mode));
        }
    }
    let path = site.root().join(unreadable);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    let mut run = Command::new(env!("CARGO_BIN_EXE_muster"));
    run.args([command, "--color", "never"])
        .current_dir(site.root());
    if as_root {
        run.uid(65534).gid(65534);
    }
    let out = run.output().unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    out
}

#[cfg(unix)]
#[test]
fn an_unreadable_static_file_or_folder_is_an_error_not_a_skip() {
    for (unreadable, file) in [
        ("static/private.txt", "static/private.txt"),
        ("static/locked", "static/locked"),
    ] {
        for command in ["build", "check"] {
            let site = site();
            site.write("static/private.txt", "secret\n");
            site.write("static/locked/inner.txt", "secret\n");
            let out = run_without_reading(&site, unreadable, command);
            let err = stderr(&out);
            assert_eq!(out.status.code(), Some(1), "{command} {unreadable}: {err}");
            assert!(
                err.contains(file) && err.contains("Permission denied"),
                "{command}: {err}"
            );
            assert!(!site.root().join("public").exists());
        }
    }
}

#[test]
fn two_outputs_at_one_path_are_an_error_naming_both() {
    let cases: [(&str, &str, &str, &[&str]); 9] = [
        (
            "content/notes/n.md",
            "---\ntitle: N\naliases: [tags]\n---\n",
            "tags/index.html",
            &["alias `tags`", "list of tags"],
        ),
        (
            "content/notes/n.md",
            "---\ntitle: N\naliases: [members/kz]\n---\n",
            "members/kz/index.html",
            &["alias `members/kz`", "content/members/kz.md"],
        ),
        (
            "content/notes/n.md",
            "---\ntitle: N\naliases: [tags/csto]\n---\n",
            "tags/csto/index.html",
            &["alias", "tags term `csto`"],
        ),
        (
            "content/notes/n.md",
            "---\ntitle: N\naliases: [api/pages.json]\n---\n",
            "api/pages.json",
            &["alias", "the page data"],
        ),
        (
            "content/search.md",
            "---\ntitle: Search me\n---\n",
            "search/index.html",
            &["content/search.md", "search page"],
        ),
        (
            "content/tags/csto.md",
            "---\ntitle: CSTO\n---\n",
            "tags/csto/index.html",
            &["content/tags/csto.md", "term `csto`"],
        ),
        (
            "static/api/pages.json",
            "[]",
            "api/pages.json",
            &["static/api/pages.json", "the page data"],
        ),
        (
            "static/index.html",
            "<p>home</p>",
            "index.html",
            &["static/index.html", "the home page"],
        ),
        (
            "static/members",
            "a file",
            "members",
            &["static/members", "as a folder"],
        ),
    ];
    for (file, text, path, names) in cases {
        let site = site();
        builds_into(&site, &site.root().join("public"), &[]);
        site.write(file, text);
        let first = refused(&site, &["build"], "E008");
        assert!(first.contains(path), "{file}: {first}");
        for name in names {
            assert!(first.contains(name), "{file}: no {name:?} in {first}");
        }
        // The same report every time.
        assert_eq!(refused(&site, &["build"], "E008"), first);
        refused(&site, &["check"], "E008");
    }
}

#[test]
fn schema_keeps_comments_and_settings_of_vscode_settings() {
    let site = site();
    let settings = "{\n  // my editor\n  \"editor.tabSize\": 2,\n  \"files.exclude\": { \"public\": true, },\n  \"yaml.schemas\": { \"old.json\": [\"x\"] },\n}\n";
    site.write(".vscode/settings.json", settings);
    let out = muster(&site, &["schema"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(site.root().join(".vscode/settings.json")).unwrap();
    for kept in [
        "// my editor",
        "\"editor.tabSize\": 2",
        "\"files.exclude\": { \"public\": true, }",
    ] {
        assert!(text.contains(kept), "lost {kept:?}:\n{text}");
    }
    assert!(
        text.contains("./schemas/drill.schema.json") && !text.contains("old.json"),
        "{text}"
    );
    // A file that is not JSON with comments is left as it is, and the command fails.
    for broken in ["{ \"a\": ", "[1, 2]", "not json"] {
        site.write(".vscode/settings.json", broken);
        let before = fingerprint(site.parent(), &[]);
        let out = muster(&site, &["schema"]);
        assert_eq!(out.status.code(), Some(1), "{broken}");
        assert!(stderr(&out).contains("left as it is"), "{}", stderr(&out));
        assert_eq!(fingerprint(site.parent(), &[]), before, "{broken}");
    }
}

#[cfg(unix)]
#[test]
fn no_panic_with_closed_output_streams_or_absurd_numbers() {
    let site = site();
    site.write(
        "content/notes/bad.md",
        "---\ntitle: Bad\n---\n[[nowhere]] [[nowhere-else]]\n",
    );
    for args in [
        &["build"][..],
        &["check"],
        &["--help"],
        &["explain"],
        &["build", "--message-format", "json"],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_muster"))
            .args(args)
            .current_dir(site.root())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Both pipes closed before muster writes: as `muster build 2>&1 | head -0`.
        drop(child.stdout.take());
        drop(child.stderr.take());
        let status = child.wait().unwrap();
        assert!(matches!(status.code(), Some(0..=2)), "{args:?}: {status:?}");
    }
    for timeout in ["18446744073709551615", "0", "-1", "99999999999999999999"] {
        let out = muster(&site, &["check", "--external", "--timeout", timeout]);
        assert_eq!(out.status.code(), Some(2), "{timeout}: {}", stderr(&out));
        assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
    }
}

#[test]
fn characters_xml_forbids_never_reach_an_output() {
    // Every C0 control but tab, newline and return, and the two non-characters, written
    // as YAML escapes in front matter and raw in the body.
    let escapes: String = (1u32..0x20)
        .filter(|c| ![0x9, 0xA, 0xD].contains(c))
        .map(|c| format!("\\x{c:02X}"))
        .chain(["\\uFFFE".to_string(), "\\uFFFF".to_string()])
        .collect();
    let raw: String = (1u8..0x20)
        .filter(|c| ![0x9, 0xA, 0xD].contains(c))
        .map(char::from)
        .chain(['\u{FFFE}', '\u{FFFF}'])
        .collect();
    let site = site();
    site.write(
        "content/notes/c.md",
        &format!(
            "---\ntitle: \"Ctl {escapes} end\"\nsummary: \"Sum {escapes}\"\ndate: 2024-01-02\ntags: [\"t {escapes}\"]\n---\nBody {raw} text, see [[kz]].\n\n## Head {raw}\n"
        ),
    );
    site.write(
        "site.yaml",
        &CONFIG.replace("title: Test KB", &format!("title: \"KB {escapes}\"")),
    );
    let out = muster(&site, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let public = site.root().join("public");
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(&public)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
    {
        let path = entry.path();
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let name = path.display();
        let forbidden = text.chars().find(|c| !muster::is_xml_char(*c));
        assert_eq!(forbidden, None, "{name} holds {forbidden:?}");
        match path.extension().and_then(|e| e.to_str()) {
            Some("xml" | "svg") => {
                roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
                checked += 1;
            }
            Some("json") => {
                serde_json::from_str::<serde_json::Value>(&text)
                    .unwrap_or_else(|e| panic!("{name}: {e}"));
                checked += 1;
            }
            _ => {}
        }
    }
    assert!(checked > 5, "only {checked} data files");
    let feed = std::fs::read_to_string(public.join("atom.xml")).unwrap();
    assert!(feed.contains("Ctl") && feed.contains("end"), "{feed}");
}

#[test]
fn long_lines_of_links_and_deep_nesting_give_short_located_errors() {
    let site = site();
    let links: String = (0..20_000)
        .map(|i| format!("[[missing-{}]] ", i % 10))
        .collect();
    site.write(
        "content/notes/links.md",
        &format!("---\ntitle: L\n---\n{links}\n"),
    );
    site.write(
        "content/notes/deep.md",
        &format!(
            "---\ntitle: D\nx: {}{}\n---\n",
            "[".repeat(100_000),
            "]".repeat(100_000)
        ),
    );
    let out = muster(&site, &["check", "--message-format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let errors: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(errors.len(), 20_001);
    let deep = &errors[0];
    assert_eq!(deep["location"]["file"], "content/notes/deep.md");
    assert_eq!(
        (
            deep["location"]["line"].as_u64(),
            deep["location"]["column"].as_u64()
        ),
        (Some(3), Some(68))
    );
    let last = &errors[20_000];
    assert_eq!(last["location"]["column"].as_u64(), Some(1 + 19_999 * 14));
    for e in &errors {
        assert!(e["source_line"].as_str().unwrap().chars().count() <= muster::SOURCE_WINDOW);
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_previous_site_still_being_removed_is_left_to_its_remover() {
    let site = site();
    builds_into(&site, &site.root().join("public"), &[]);
    // A remover that still runs (a process that lives), and one that died.
    let mut living = Command::new("sleep").arg("600").spawn().unwrap();
    let alive = site
        .root()
        .join(format!(".public.muster-previous-{}", living.id()));
    let dead = site.root().join(".public.muster-previous-0");
    for dir in [&alive, &dead] {
        std::fs::create_dir_all(dir.join("members")).unwrap();
        std::fs::write(dir.join("members/index.html"), "old").unwrap();
        std::fs::write(dir.join(".muster-manifest"), "# muster manifest 1: the files muster wrote here; it replaces or deletes only these\nmembers/index.html\n").unwrap();
    }
    let out = muster(&site, &["build", "-q"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        alive.join("members/index.html").exists(),
        "a running remover's folder was touched"
    );
    crate::common::wait_until(
        "the dead remover's folder to go",
        crate::common::server::PATIENCE,
        || !dead.exists(),
    );
    let _ = living.kill();
    let _ = living.wait();
    let out = muster(&site, &["build", "-q"]);
    assert!(out.status.success());
    crate::common::wait_until(
        "the folder to go once its remover died",
        crate::common::server::PATIENCE,
        || !alive.exists(),
    );
}
