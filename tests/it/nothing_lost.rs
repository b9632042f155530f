//! A build that is killed, runs out of disk or cannot write never costs the
//! published site: `public/` is the old site or the new one, never a mix.

use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{TestSite, snapshot_tree};

type Tree = Vec<(String, Vec<u8>)>;

/// A site of `pages` member pages whose bodies say `version`.
fn write_pages(site: &TestSite, pages: usize, version: &str) {
    for n in 0..pages {
        let next = (n + 1) % pages;
        site.write(
            &format!("content/members/m{n:04}.md"),
            &format!(
                "---\ntitle: Member {n} {version}\ntags: [t{}]\n---\nVersion {version} of page {n}, next [[m{next:04}]].\n\n## Part\n\n{}\n",
                n % 7,
                "Words about the member state and the drill. ".repeat(40)
            ),
        );
    }
}

fn muster() -> Command {
    Command::new(env!("CARGO_BIN_EXE_muster"))
}

fn public(site: &TestSite) -> Tree {
    snapshot_tree(&site.root().join("public"))
}

/// Folders muster left beside `public/` (staging or swapped-out sites; not the cache).
fn leftovers(site: &TestSite) -> Vec<String> {
    crate::common::build_cache(&site.root().join("public"));
    std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| crate::common::is_build_leftover(n))
        .collect()
}

/// Kills `muster build` at random moments, alternating between two versions of the
/// content; after every kill `public/` must equal one of the two complete builds.
#[test]
fn a_killed_build_leaves_the_old_site_or_the_new_one() {
    let _heavy = crate::common::heavy();
    let kills = crate::common::env_count("MUSTER_KILLS", 60);
    let site = TestSite::new(&[]);
    let pages = 300;
    let mut trees: HashMap<&str, Tree> = HashMap::new();
    let mut duration = Duration::ZERO;
    for version in ["B", "A"] {
        write_pages(&site, pages, version);
        let start = Instant::now();
        let out = muster()
            .args(["build", "-q"])
            .current_dir(site.root())
            .output()
            .unwrap();
        duration = duration.max(start.elapsed());
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        trees.insert(version, public(&site));
    }
    assert_ne!(trees["A"], trees["B"]);
    // public/ now holds A.
    let mut rng = fastrand::Rng::with_seed(7);
    let (mut old_kept, mut new_in) = (0, 0);
    let mut current = "A";
    for kill in 0..kills {
        let next = if current == "A" { "B" } else { "A" };
        write_pages(&site, pages, next);
        let mut child = muster()
            .args(["build", "-q"])
            .current_dir(site.root())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Anywhere from before the first write to after the swap; every tenth kill
        // late, so that some builds surely finish even on a loaded machine.
        let factor = if kill % 10 == 9 { 4.0 } else { rng.f64() * 1.3 };
        let delay = duration.mul_f64(factor);
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL on Unix
        let status = child.wait().unwrap();
        let now = public(&site);
        if now == trees[current] {
            old_kept += 1;
        } else if now == trees[next] {
            new_in += 1;
            current = next;
        } else {
            panic!(
                "kill {kill} after {delay:?} ({status}) left public/ neither the old nor the new site"
            );
        }
    }
    eprintln!(
        "{kills} kills of a {pages}-page build (about {duration:?}): old site kept {old_kept}, new site in {new_in}"
    );
    assert_eq!(old_kept + new_in, kills);
    if kills >= 20 {
        // The kills landed both before and after the swap, so both outcomes were tested.
        assert!(old_kept > 0 && new_in > 0, "old {old_kept}, new {new_in}");
    }
    // The next build that completes clears what killed builds left beside public/.
    let out = muster()
        .args(["build", "-q"])
        .current_dir(site.root())
        .output()
        .unwrap();
    assert!(out.status.success());
    // The old site is removed in the background, after the command returned.
    crate::common::wait_until(
        "the folders of killed builds to go",
        crate::common::server::PATIENCE,
        || leftovers(&site).is_empty(),
    );
}

/// The default site plus a page big enough to overflow `limit` bytes of output.
fn site_with_big_page() -> (TestSite, String) {
    let site = TestSite::new(&[("members/kz.md", "---\ntitle: Kazakhstan\n---\nHost.\n")]);
    let big = format!(
        "---\ntitle: Big\n---\n{}",
        "A long paragraph about the drill and its participants. ".repeat(40_000)
    );
    (site, big)
}

/// Runs `script` with `sh` in a new user and mount namespace, where it may mount a
/// small tmpfs; `None` if this machine does not allow that.
fn in_mount_namespace(script: &str) -> Option<std::process::Output> {
    // The mount is private to the namespace and goes with it.
    let probe = Command::new("unshare")
        .args(["-Urm", "sh", "-c", "mount -t tmpfs -o size=1m tmpfs /mnt"])
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        return None;
    }
    Some(
        Command::new("unshare")
            .args(["-Urm", "sh", "-c", script])
            .output()
            .unwrap(),
    )
}

#[test]
fn a_full_disk_fails_the_build_and_keeps_public() {
    let (site, big) = site_with_big_page();
    let disk = site.root().join("disk");
    std::fs::create_dir(&disk).unwrap();
    let bin = env!("CARGO_BIN_EXE_muster");
    let root = site.root().display();
    let out_dir = disk.join("public");
    let out_dir = out_dir.display();
    // In the namespace: a 1 MiB disk; the small site fits, the big page does not.
    let script = format!(
        "set -e\n\
         mount -t tmpfs -o size=1m tmpfs '{disk}'\n\
         '{bin}' build -q --root '{root}' --output '{out_dir}'\n\
         before=$(cd '{out_dir}' && find . -type f | sort | xargs sha256sum | sha256sum)\n\
         cp '{root}/big.md' '{root}/content/members/big.md'\n\
         set +e\n\
         '{bin}' build --root '{root}' --output '{out_dir}' --color never 2>'{root}/stderr'\n\
         echo \"exit=$?\"\n\
         after=$(cd '{out_dir}' && find . -type f | sort | xargs sha256sum | sha256sum)\n\
         [ \"$before\" = \"$after\" ] && echo same || echo changed\n\
         ls -a '{disk}'\n",
        disk = disk.display(),
    );
    site.write("big.md", &big);
    let Some(out) = in_mount_namespace(&script) else {
        eprintln!("skipped: this machine allows no mount namespace for a small tmpfs");
        return;
    };
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = std::fs::read_to_string(site.root().join("stderr")).unwrap_or_default();
    assert!(
        stdout.contains("exit=1"),
        "{stdout}\n{stderr}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("same"), "public/ changed: {stdout}");
    assert!(stderr.contains("No space left on device"), "{stderr}");
    assert!(stderr.contains("help:"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    // Nothing but public/ and the first build's cache is left on the disk: the staging
    // folder was removed.
    let names: Vec<&str> = stdout
        .lines()
        .skip_while(|l| *l != "same")
        .skip(1)
        .collect();
    assert_eq!(
        names,
        [".", "..", ".public.muster-cache", "public"],
        "{stdout}"
    );
}

#[cfg(unix)]
#[test]
fn a_file_size_limit_fails_the_build_and_keeps_public() {
    let (site, big) = site_with_big_page();
    site.build_ok();
    let before = public(&site);
    site.write("content/members/big.md", &big);
    // Writes past 256 KiB fail with EFBIG; the signal that would kill the process is ignored.
    let out = Command::new("sh")
        .args([
            "-c",
            "trap '' XFSZ; ulimit -f 512; exec \"$0\" build --color never",
            env!("CARGO_BIN_EXE_muster"),
        ])
        .current_dir(site.root())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("File too large"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(public(&site), before);
    assert_eq!(leftovers(&site), Vec::<String>::new());
}

#[cfg(unix)]
#[test]
fn an_unwritable_output_folder_fails_the_build_and_keeps_public() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    use std::os::unix::process::CommandExt;
    let site = TestSite::new(&[("members/kz.md", "---\ntitle: Kazakhstan\n---\nHost.\n")]);
    site.build_ok();
    let before = public(&site);
    site.write("content/members/new.md", "---\ntitle: New\n---\n");
    // Everyone may read the site; nobody but its owner may write beside public/.
    for entry in walkdir::WalkDir::new(site.root()) {
        let entry = entry.unwrap();
        let mode = if entry.file_type().is_dir() {
            0o555
        } else {
            0o444
        };
        std::fs::set_permissions(entry.path(), std::fs::Permissions::from_mode(mode)).unwrap();
    }
    let mut command = muster();
    command
        .args(["build", "--color", "never"])
        .current_dir(site.root());
    // Root may write anywhere: run the build as `nobody` then.
    if std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0) {
        command.uid(65534).gid(65534);
    }
    let out = command.output().unwrap();
    for entry in walkdir::WalkDir::new(site.root()) {
        let path = entry.unwrap().into_path();
        let _ = std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755));
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("Permission denied"), "{stderr}");
    assert!(stderr.contains("help:"), "{stderr}");
    assert_eq!(public(&site), before);
    assert!(Path::new(&site.root().join("public")).is_dir());
}
