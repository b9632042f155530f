//! The search index of incremental builds: an edit build takes unchanged documents'
//! terms from the build cache and patches the last build's index, and either way leaves
//! the index a build from nothing leaves.

use std::path::{Path, PathBuf};

use muster::BuildOptions;

use crate::common::TestSite;
use crate::incremental::{build, cached_site, difference};

/// An edit of the test site's member page `m2`: writes `words` before its History heading,
/// in place of the words an earlier edit wrote.
fn member_editor(root: &Path) -> impl Fn(&str) {
    let member = root.join("content/members/m2.md");
    let text = std::fs::read_to_string(&member).unwrap();
    move |words: &str| {
        let added = text.replacen("\n\n## History", &format!("\n\n{words}\n\n## History"), 1);
        std::fs::write(&member, added).unwrap();
    }
}

/// Builds `site` with `options` but no cache into the folder `name` beside it; the folder.
fn cold_build(site: &TestSite, options: &BuildOptions, name: &str) -> PathBuf {
    let cold_out = site.parent().join(name);
    let options = BuildOptions {
        cache: false,
        ..options.clone()
    };
    build(&options, &cold_out).unwrap();
    cold_out
}

#[test]
fn the_search_index_reads_again_only_the_documents_that_changed() {
    let (site, options, out) = cached_site();
    let root = options.root.clone();
    build(&options, &out).unwrap();
    let terms = crate::common::build_cache(&out).join("terms");
    let whole = std::fs::metadata(&terms).unwrap().len();
    let edit = member_editor(&root);
    edit("Unheard-of zebras.");
    build(&options, &out).unwrap();
    // One document's terms appended; every other document's taken from the file.
    let appended = std::fs::metadata(&terms).unwrap().len() - whole;
    assert!(
        appended > 0 && appended < whole / 4,
        "{appended} of {whole}"
    );
    let cold = |name: &str| cold_build(&site, &options, name);
    let cold_out = cold("cold");
    assert_eq!(
        difference(&out.join("search"), &cold_out.join("search")),
        None
    );
    assert!(
        std::fs::read_to_string(out.join("search/shard-7a65.json"))
            .unwrap()
            .contains("zebras")
    );
    // A damaged file only costs time: the index is the same as a cold build's.
    std::fs::write(&terms, b"\x02\x00\x00\x00 damaged").unwrap();
    edit("Unheard-of yaks.");
    build(&options, &out).unwrap();
    let cold_again = cold("cold-again");
    assert_eq!(
        difference(&out.join("search"), &cold_again.join("search")),
        None
    );
}

/// An edit build's index is the last one with the edited document taken out and put in
/// again: the shards none of its terms are in are taken from the last site as they were.
/// A damaged index state in the cache only makes every file again.
#[test]
fn an_edit_build_makes_only_the_search_files_the_edit_touched() {
    let (site, options, out) = cached_site();
    let root = options.root.clone();
    build(&options, &out).unwrap();
    let edit = member_editor(&root);
    let cold = |name: &str| cold_build(&site, &options, name);
    let made_and_carried = |words: &str, name: &str| {
        edit(words);
        let stats = build(&options, &out).unwrap();
        let cold_out = cold(name);
        assert_eq!(
            difference(&out.join("search"), &cold_out.join("search")),
            None,
            "after adding {words:?}"
        );
        stats
            .search_files
            .expect("a build keeping its cache counts them")
    };
    let shards = || {
        std::fs::read_dir(out.join("search"))
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .starts_with("shard-")
            })
            .count()
    };
    // A new word: its new shard, the document's chunk, meta.json and the shards of the
    // words the document has are made; the others are carried.
    let (made, carried) = made_and_carried("Unheard-of zebras.", "cold-1");
    assert!(carried > 0 && made > 2, "{made} made, {carried} carried");
    assert_eq!(
        made + carried,
        shards() + 2,
        "every shard, one chunk and meta.json"
    );
    assert!(
        std::fs::read_to_string(out.join("search/shard-7a65.json"))
            .unwrap()
            .contains("zebras")
    );
    // The word taken out again: its shard goes.
    made_and_carried("", "cold-2");
    assert!(!out.join("search/shard-7a65.json").exists());
    // A damaged state makes the whole index again, the same.
    let state = crate::common::build_cache(&out).join("search-index");
    let mut bytes = std::fs::read(&state).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x55;
    std::fs::write(&state, &bytes).unwrap();
    let (made, carried) = made_and_carried("Unheard-of yaks.", "cold-3");
    assert_eq!((made, carried), (shards() + 2, 0));
}
