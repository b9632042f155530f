//! Tests of replacing the output folder: what is kept, swapped, refused and removed.

use super::*;
use crate::output::folder::Existing;

fn folder(root: &Path, out: &Path) -> OutputFolder {
    OutputFolder::check(root, out).unwrap()
}

fn site() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    std::fs::create_dir_all(root.join("content")).unwrap();
    let out = root.join("public");
    (tmp, root, out)
}

/// Builds `files` into the output the way a build does.
fn build(root: &Path, out: &Path, files: &[&str]) -> Installed {
    let f = folder(root, out);
    let (staging, _) = staging_dir(&f, None).unwrap();
    let new = Manifest {
        files: files.iter().map(|s| s.to_string()).collect(),
        ..Default::default()
    };
    for rel in files {
        let p = staging.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, format!("new {rel}")).unwrap();
    }
    assert_eq!(f.conflicts(&new), Vec::<String>::new());
    let installed = install(&f, &staging, &new).unwrap();
    if let Installed::Swapped(Some(previous)) = &installed {
        remove_previous(previous).unwrap();
    }
    installed
}

#[test]
fn names_of_leftovers() {
    assert_eq!(
        leftover(".public.muster-staging-12", "public."),
        Some(Leftover::Staging(12))
    );
    assert_eq!(
        leftover(".public.muster-previous-7", "public."),
        Some(Leftover::Previous(7))
    );
    for other in [
        ".public.muster-staging-",
        ".public.muster-staging-1x",
        "public.muster-staging-1",
        ".other.muster-staging-1",
    ] {
        assert_eq!(leftover(other, "public."), None, "{other}");
    }
    assert!(is_inner_staging(".muster-staging-5"));
    assert!(!is_inner_staging("muster-staging-5"));
    assert!(is_previous(Path::new("/s/.public.muster-previous-3")));
    assert!(is_previous(Path::new(".a.b.muster-previous-3")));
    for other in [
        "/s/public",
        "/s/.public.muster-staging-3",
        "/",
        "/s/.muster-previous-",
    ] {
        assert!(!is_previous(Path::new(other)), "{other}");
    }
    let dir = tempfile::tempdir().unwrap();
    assert!(remove_previous(dir.path()).is_err());
    assert!(dir.path().exists());
}

#[test]
fn a_folder_of_muster_files_is_swapped_whole() {
    let (_tmp, root, out) = site();
    assert!(matches!(
        build(&root, &out, &["a/index.html", "x.css"]),
        Installed::Swapped(None)
    ));
    assert!(matches!(
        build(&root, &out, &["index.html"]),
        Installed::Swapped(Some(_))
    ));
    let left: Vec<_> = crate::output::tests::tree(&out);
    assert_eq!(left, [".muster-manifest", "index.html"]);
    // Nothing is left beside it.
    assert_eq!(std::fs::read_dir(&root).unwrap().count(), 2);
}

#[test]
fn foreign_files_are_kept_and_the_site_moved_in_around_them() {
    let (_tmp, root, out) = site();
    build(&root, &out, &["index.html", "old/index.html"]);
    std::fs::write(out.join("CNAME"), "kb.example.org").unwrap();
    std::fs::create_dir_all(out.join(".git/refs")).unwrap();
    std::fs::write(out.join(".git/refs/x"), "ref").unwrap();
    std::fs::write(out.join("old/notes.txt"), "mine").unwrap();
    assert!(matches!(
        folder(&root, &out).existing,
        Existing::Shared { .. }
    ));
    assert!(matches!(
        build(&root, &out, &["index.html", "new/index.html"]),
        Installed::InPlace
    ));
    let left = crate::output::tests::tree(&out);
    assert_eq!(
        left,
        [
            ".git/refs/x",
            ".muster-manifest",
            "CNAME",
            "index.html",
            "new/index.html",
            "old/notes.txt"
        ]
    );
    assert_eq!(
        std::fs::read_to_string(out.join("index.html")).unwrap(),
        "new index.html"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("CNAME")).unwrap(),
        "kb.example.org"
    );
    assert_eq!(
        Manifest::read(&out)
            .unwrap()
            .unwrap()
            .files
            .into_iter()
            .collect::<Vec<_>>(),
        ["index.html", "new/index.html"]
    );
}

#[test]
fn a_file_where_a_folder_goes_is_replaced_only_if_muster_wrote_it() {
    let (_tmp, root, out) = site();
    build(&root, &out, &["a", "b/index.html"]);
    std::fs::write(out.join("mine"), "x").unwrap();
    // `a` was muster's file, `b/index.html` muster's too: both may change shape.
    build(&root, &out, &["a/index.html", "b", "c"]);
    assert_eq!(std::fs::read_to_string(out.join("b")).unwrap(), "new b");
    let f = folder(&root, &out);
    let new = Manifest {
        files: ["mine/index.html".to_string()].into(),
        ..Default::default()
    };
    assert_eq!(f.conflicts(&new), ["mine"]);
}

#[cfg(target_os = "linux")]
#[test]
fn leftovers_of_dead_processes_go_and_those_of_running_ones_stay() {
    let (_tmp, root, out) = site();
    build(&root, &out, &["index.html"]);
    let parent_pid = std::os::unix::process::parent_id();
    let abandoned = root.join(".public.muster-staging-0");
    let running = root.join(format!(".public.muster-staging-{parent_pid}"));
    let previous_dead = root.join(".public.muster-previous-0");
    let previous_live = root.join(format!(".public.muster-previous-{parent_pid}"));
    for dir in [&abandoned, &running, &previous_dead, &previous_live] {
        std::fs::create_dir(dir).unwrap();
        std::fs::write(dir.join("index.html"), "x").unwrap();
    }
    Manifest {
        files: ["index.html".to_string()].into(),
        ..Default::default()
    }
    .write(&previous_dead)
    .unwrap();
    // A file the previous site's manifest does not list is not muster's to delete.
    std::fs::write(previous_dead.join("mine"), "x").unwrap();
    build(&root, &out, &["index.html"]);
    assert!(!abandoned.exists());
    assert!(running.exists() && previous_live.join("index.html").exists());
    assert_eq!(crate::output::tests::tree(&previous_dead), ["mine"]);
}

#[test]
fn hand_over_renames_for_the_new_owner() {
    let (_tmp, root, _out) = site();
    let previous = root.join(".public.muster-previous-1");
    std::fs::create_dir(&previous).unwrap();
    let renamed = hand_over(&previous, 42).unwrap();
    assert_eq!(renamed, root.join(".public.muster-previous-42"));
    assert!(renamed.is_dir() && !previous.exists());
    remove_previous(&renamed).unwrap();
    assert!(!renamed.exists());
}

#[test]
fn exchange_swaps_two_folders_or_says_it_cannot() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    for (dir, mark) in [(&a, "A"), (&b, "B")] {
        std::fs::create_dir(dir).unwrap();
        std::fs::write(dir.join("mark"), mark).unwrap();
    }
    let swapped = exchange(&a, &b).unwrap();
    // Linux file systems used here support the atomic swap; elsewhere nothing moves.
    assert_eq!(swapped, cfg!(target_os = "linux"));
    let (in_a, in_b) = if swapped { ("B", "A") } else { ("A", "B") };
    assert_eq!(std::fs::read_to_string(a.join("mark")).unwrap(), in_a);
    assert_eq!(std::fs::read_to_string(b.join("mark")).unwrap(), in_b);
}
