//! Incremental builds: what each output read when it was last rendered (the render
//! stage records it, as it does for `serve`) is kept in the build cache with the
//! fingerprints of the site it was read from, so that the next build renders again
//! only the outputs whose reads changed, and takes every other file from the site it
//! replaces. Anything the reads do not name (settings, templates, which pages exist,
//! their order and relations) is in one fingerprint whose change renders everything.

pub(crate) mod fingerprint;
pub(crate) mod kept;
pub(crate) mod matter;
mod output_reads;
pub(crate) mod parsed;

use std::collections::HashSet;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Diagnostic, ErrorKind, Location};
use crate::model::PageId;
use crate::output::BuildCache;
use crate::output::manifest::{ContentHash, Manifest, content_hash};
use crate::render::reads::{Read, Reads};
use fingerprint::{PageFingerprint, SiteFingerprints};
use output_reads::OutputReads;
pub(crate) use output_reads::encode as encode_reads;

/// The state file's name in the build cache.
const STATE: &str = "render-state";

/// Raised when the state's layout changes, so that an older file is not misread.
const FORMAT: u32 = 2;

/// What the last build rendered and read, kept in the build cache.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct RenderState {
    format: u32,
    /// The muster that wrote it.
    muster: String,
    /// The hash of the manifest of the site this describes: the output folder it left.
    site: ContentHash,
    setup: u128,
    pages: Vec<PageFingerprint>,
    fields: Vec<((String, String), u128)>,
    /// Per planned output, by its number in the plan: what it read.
    outputs: OutputReads,
    /// What the site-wide values every output sees read.
    site_reads: Reads,
}

/// The last build's state and the site it left, for a build to reuse.
#[derive(Debug)]
pub(crate) struct Previous {
    state: RenderState,
    /// The output folder, holding the last build's files.
    pub dir: PathBuf,
    /// Its manifest, with the hash of every file (the output folder's own, shared).
    pub manifest: std::sync::Arc<Manifest>,
}

/// The state kept in `cache` if it describes the site in the output folder `dir`
/// (listed by `manifest`). A state that cannot be read, or that another version of
/// muster wrote, is a notice (a warning): the build then renders everything.
pub(crate) fn previous(
    cache: &BuildCache,
    dir: &Path,
    manifest: Option<&std::sync::Arc<Manifest>>,
) -> Result<Option<Previous>, Diagnostic> {
    let file = cache.dir().join(STATE);
    let bytes = match std::fs::read(&file) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(notice(&file, &e.to_string())),
        Ok(bytes) => bytes,
    };
    let state: RenderState = postcard::from_bytes(&bytes)
        .map_err(|e| notice(&file, &format!("it does not read ({e})")))?;
    if state.format != FORMAT || state.muster != env!("CARGO_PKG_VERSION") {
        let why = format!("muster {} wrote it", state.muster);
        return Err(notice(&file, &why));
    }
    // A state whose site is not the one in the output folder (replaced by hand, or by a
    // build killed before it could write its state) describes nothing there.
    let Some(manifest) = manifest.filter(|m| content_hash(m.to_text().as_bytes()) == state.site)
    else {
        return Ok(None);
    };
    Ok(Some(Previous {
        state,
        dir: dir.to_path_buf(),
        manifest: std::sync::Arc::clone(manifest),
    }))
}

/// The notice for a state that cannot be used.
fn notice(file: &Path, why: &str) -> Diagnostic {
    Diagnostic::new(
        ErrorKind::Output,
        format!("the build cache cannot be used: {why}; every page is rendered again"),
    )
    .at(Location::file_start(file), None)
    .hint("nothing to do: this build writes a new cache (`muster build --no-cache` deletes it)")
    .warning()
}

/// Which outputs a build renders.
#[derive(Debug)]
pub(crate) enum Renders {
    /// Every output, and the data files.
    All,
    /// The outputs with these numbers; the data files only if any page changed.
    Some {
        /// Numbers in the plan.
        outputs: HashSet<usize>,
        /// Whether the search index, feeds and other data files are made again.
        data: bool,
    },
}

impl Renders {
    /// Whether output `n` of the plan is rendered.
    pub(crate) fn output(&self, n: usize) -> bool {
        match self {
            Renders::All => true,
            Renders::Some { outputs, .. } => outputs.contains(&n),
        }
    }

    /// Whether the data files are made again.
    pub(crate) fn data(&self) -> bool {
        match self {
            Renders::All => true,
            Renders::Some { data, .. } => *data,
        }
    }
}

/// What a build must render, given the last build's state and the site's fingerprints
/// now; reads of the kind `ignored` are left out (see `BuildOptions::ignored_reads`).
pub(crate) fn renders(
    previous: Option<&Previous>,
    now: &SiteFingerprints,
    ignored: Option<&'static str>,
) -> Renders {
    let Some(state) = previous.map(|p| &p.state) else {
        return Renders::All;
    };
    if state.setup != now.setup || state.pages.len() != now.pages.len() {
        return Renders::All;
    }
    let mut changed = changed_reads(state, now);
    changed.retain(|read| Some(read.kind()) != ignored);
    if state.site_reads.touches(&changed) {
        return Renders::All;
    }
    let outputs: HashSet<usize> = (0..state.outputs.len())
        .filter(|&n| state.outputs.touches(n, &changed))
        .collect();
    Renders::Some {
        outputs,
        data: !changed.is_empty(),
    }
}

/// The reads whose fingerprint differs between the state and now.
fn changed_reads(state: &RenderState, now: &SiteFingerprints) -> HashSet<Read> {
    let mut changed = HashSet::new();
    for (i, (old, new)) in state.pages.iter().zip(&now.pages).enumerate() {
        let id = PageId(i);
        if old.text != new.text {
            changed.insert(Read::Text(id));
        }
        if old.facts != new.facts {
            changed.insert(Read::Facts(id));
        }
        if old.summary != new.summary {
            changed.insert(Read::Summary(id));
        }
    }
    let old_fields: std::collections::BTreeMap<_, _> = state.fields.iter().cloned().collect();
    let keys = old_fields.keys().chain(now.fields.keys());
    for key in keys {
        if old_fields.get(key) != now.fields.get(key) {
            let (kind, field) = key.clone();
            changed.insert(Read::field(kind, field));
        }
    }
    changed
}

/// The state after a build: the reads of the outputs it rendered (`report`), and the
/// earlier reads of those it took from the previous site (copied encoded).
pub(crate) fn next_state(
    previous: Option<Previous>,
    now: SiteFingerprints,
    outputs: usize,
    mut report: crate::render::RenderReport<Box<[u8]>>,
) -> RenderState {
    let earlier = previous
        .map(|p| p.state.outputs)
        .filter(|o| o.len() == outputs);
    report.reads.sort_unstable_by_key(|(n, _)| *n);
    let mut fresh = report.reads.into_iter().peekable();
    let mut reads = OutputReads::default();
    for n in 0..outputs {
        match (fresh.next_if(|(m, _)| *m == n), &earlier) {
            (Some((_, read)), _) => reads.push_encoded(&read),
            (None, Some(earlier)) => reads.push_from(earlier, n),
            (None, None) => reads.push(&Reads::default()),
        }
    }
    RenderState {
        format: FORMAT,
        muster: env!("CARGO_PKG_VERSION").to_string(),
        site: 0,
        setup: now.setup,
        pages: now.pages,
        fields: now.fields.into_iter().collect(),
        outputs: reads,
        site_reads: report.site_reads,
    }
}

/// Writes `state`, describing the site listed by `manifest`, into the cache in one
/// step (a temporary file renamed over the old one).
pub(crate) fn keep(
    cache: &BuildCache,
    mut state: RenderState,
    manifest: &Manifest,
) -> io::Result<()> {
    state.site = content_hash(manifest.to_text().as_bytes());
    let bytes = postcard::to_stdvec(&state).map_err(io::Error::other)?;
    write_whole(&cache.dir().join(STATE), |out| out.write_all(&bytes))
}

/// Writes `bytes` to `file` (in the build cache) in one step: a temporary file beside it,
/// renamed over it. Then removes the temporary files of builds killed while writing
/// `file`: muster wrote them and nothing reads them. (A build writing the same file at
/// this moment only loses what it wrote.)
pub(crate) fn write_whole(
    file: &Path,
    contents: impl FnOnce(&mut std::fs::File) -> io::Result<()>,
) -> io::Result<()> {
    let (Some(dir), Some(name)) = (file.parent(), file.file_name()) else {
        return Err(io::Error::other("not a file name"));
    };
    let name = name.to_string_lossy();
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!("{name}.{}.tmp", std::process::id()));
    std::fs::File::create(&tmp)
        .and_then(|mut out| contents(&mut out))
        .and_then(|()| std::fs::rename(&tmp, file))
        .inspect_err(|_| {
            let _ = std::fs::remove_file(&tmp);
        })?;
    remove_stale(dir, &name);
    Ok(())
}

/// Removes `<name>.<process id>.tmp` files from `dir`.
pub(crate) fn remove_stale(dir: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file = entry.file_name();
        let file = file.to_string_lossy();
        let stale = file
            .strip_prefix(name)
            .and_then(|rest| rest.strip_prefix('.'))
            .and_then(|rest| rest.strip_suffix(".tmp"))
            .is_some_and(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()));
        if stale && entry.file_type().is_ok_and(|t| t.is_file()) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(text: u128, facts: u128, summary: u128) -> PageFingerprint {
        PageFingerprint {
            text,
            facts,
            summary,
        }
    }

    fn state(pages: Vec<PageFingerprint>, outputs: Vec<Vec<Read>>) -> RenderState {
        let reads = |r: Vec<Read>| {
            let recorder = crate::render::reads::Recorder::default();
            r.into_iter().for_each(|r| recorder.read(r));
            recorder.finish()
        };
        RenderState {
            format: FORMAT,
            muster: env!("CARGO_PKG_VERSION").into(),
            site: 0,
            setup: 1,
            pages,
            fields: vec![(("member".into(), "joined".into()), 5)],
            outputs: {
                let mut table = OutputReads::default();
                outputs.into_iter().for_each(|r| table.push(&reads(r)));
                table
            },
            site_reads: Reads::default(),
        }
    }

    fn reusing(state: RenderState) -> Previous {
        Previous {
            state,
            dir: PathBuf::new(),
            manifest: Default::default(),
        }
    }

    #[test]
    fn each_kind_of_change_renders_the_outputs_that_read_it() {
        let old = state(
            vec![page(1, 1, 1), page(2, 2, 2)],
            vec![
                vec![Read::Text(PageId(0))],
                vec![Read::Facts(PageId(0))],
                vec![Read::Summary(PageId(1))],
                vec![Read::field("member", "joined")],
            ],
        );
        let previous = reusing(old.clone());
        let now = |pages: Vec<PageFingerprint>, joined: u128| SiteFingerprints {
            setup: 1,
            pages,
            fields: [(("member".into(), "joined".into()), joined)].into(),
        };
        let rendered = |now: &SiteFingerprints| {
            let renders = renders(Some(&previous), now, None);
            let mut outputs: Vec<usize> = (0..4).filter(|n| renders.output(*n)).collect();
            outputs.sort_unstable();
            (outputs, renders.data())
        };
        assert_eq!(rendered(&now(old.pages.clone(), 5)), (vec![], false));
        // Facts alone: a description changed while a hand-written summary did not.
        assert_eq!(
            rendered(&now(vec![page(1, 9, 1), page(2, 2, 2)], 5)),
            (vec![1], true)
        );
        assert_eq!(
            rendered(&now(vec![page(9, 1, 1), page(2, 2, 2)], 5)),
            (vec![0], true)
        );
        assert_eq!(
            rendered(&now(vec![page(1, 1, 1), page(2, 2, 9)], 5)),
            (vec![2], true)
        );
        assert_eq!(rendered(&now(old.pages.clone(), 6)), (vec![3], true));
        // Left out on purpose (the equivalence test's check of itself).
        let ignored = renders(
            Some(&previous),
            &now(vec![page(1, 9, 1), page(2, 2, 2)], 5),
            Some("facts"),
        );
        assert!(!ignored.output(1));
        // Anything outside the reads, or no state: everything.
        let mut other = now(old.pages.clone(), 5);
        other.setup = 2;
        assert!(matches!(
            renders(Some(&previous), &other, None),
            Renders::All
        ));
        assert!(matches!(renders(None, &other, None), Renders::All));
    }

    #[test]
    fn a_state_of_another_version_or_site_is_not_used() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        std::fs::create_dir(&out).unwrap();
        let cache = BuildCache::beside(&out);
        let manifest =
            std::sync::Arc::new(Manifest::hashed([("index.html".to_string(), 1)].into()));
        let old = state(vec![page(1, 1, 1)], vec![vec![]]);
        keep(&cache, old.clone(), &manifest).unwrap();
        assert!(previous(&cache, &out, Some(&manifest)).unwrap().is_some());
        // Another site in the output folder: not a notice, just nothing to reuse.
        let other = std::sync::Arc::new(Manifest::hashed([("index.html".to_string(), 2)].into()));
        assert!(previous(&cache, &out, Some(&other)).unwrap().is_none());
        assert!(previous(&cache, &out, None).unwrap().is_none());
        let older = RenderState {
            muster: "0.0.1".into(),
            ..old
        };
        keep(&cache, older, &manifest).unwrap();
        let notice = previous(&cache, &out, Some(&manifest)).unwrap_err();
        assert!(
            notice.message.contains("muster 0.0.1 wrote it"),
            "{}",
            notice.message
        );
        assert!(!notice.is_error());
    }

    #[test]
    fn keeping_a_state_removes_what_killed_builds_left_and_nothing_else() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let cache = BuildCache::beside(&out);
        std::fs::create_dir_all(cache.dir()).unwrap();
        let dir = cache.dir();
        std::fs::write(dir.join(format!("{STATE}.4242.tmp")), "half").unwrap();
        std::fs::write(dir.join(format!("{STATE}.x.tmp")), "not ours").unwrap();
        let manifest = Manifest::hashed([("index.html".to_string(), 1)].into());
        keep(&cache, state(vec![page(1, 1, 1)], vec![vec![]]), &manifest).unwrap();
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, [STATE.to_string(), format!("{STATE}.x.tmp")]);
    }
}
