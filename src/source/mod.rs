//! Walking `content/`, reading files and splitting off their front matter.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::error::{Diagnostic, ErrorKind, Location};

mod front_matter;

pub use front_matter::{FrontMatterSplit, MatterFormat, SplitError, split_front_matter};

/// The folder under the site root that holds the Markdown sources.
pub(crate) const CONTENT_DIR: &str = "content";

/// A Markdown file read from `content/`.
#[derive(Debug, Clone)]
pub(crate) struct SourceFile {
    /// Path relative to `content/`, `/`-separated, e.g. `members/russia.md`.
    pub rel: String,
    /// Path relative to the site root, for messages, e.g. `content/members/russia.md`.
    pub file: PathBuf,
    /// The text, without a UTF-8 byte order mark.
    pub text: String,
    /// For an `index.md`: whether its folder holds other pages, which makes it the
    /// folder's section page (as `_index.md`) rather than a page bundle. Set by the model.
    pub section_index: bool,
}

/// A Markdown file found under `content/`, read only when the model loads it: each is
/// read and parsed in one go, so that a site's sources are never all in memory at once.
#[derive(Debug, Clone)]
pub(crate) struct FoundFile {
    /// Path relative to `content/`, `/`-separated, e.g. `members/russia.md`.
    pub rel: String,
    /// Path relative to the site root, for messages, e.g. `content/members/russia.md`.
    pub file: PathBuf,
    /// As [`SourceFile::section_index`]; set by the model.
    pub section_index: bool,
    text: FoundText,
}

/// Where a found file's text is.
#[derive(Debug, Clone)]
enum FoundText {
    /// On disk, at this path.
    OnDisk(PathBuf),
    /// Read already (an editor's unsaved buffer, decoded; a test's page).
    Read(String),
}

impl FoundFile {
    /// Its text: read from disk and decoded as every source is, or the one given.
    pub(crate) fn text(&self) -> Result<std::borrow::Cow<'_, str>, Diagnostic> {
        match &self.text {
            FoundText::Read(text) => Ok(std::borrow::Cow::Borrowed(text)),
            FoundText::OnDisk(path) => {
                let bytes = read_source(path).map_err(|e| {
                    Diagnostic::io(&self.file, &e).at(Location::file_start(&self.file), None)
                })?;
                decode(&self.file, bytes).map(std::borrow::Cow::Owned)
            }
        }
    }

    /// The file with its text.
    pub(crate) fn read(&self) -> Result<SourceFile, Diagnostic> {
        Ok(SourceFile {
            rel: self.rel.clone(),
            file: self.file.clone(),
            text: self.text()?.into_owned(),
            section_index: self.section_index,
        })
    }
}

impl From<SourceFile> for FoundFile {
    /// A file read already, taken as it is.
    fn from(source: SourceFile) -> FoundFile {
        FoundFile {
            rel: source.rel,
            file: source.file,
            section_index: source.section_index,
            text: FoundText::Read(source.text),
        }
    }
}

/// Room first made for a source's bytes: most pages are smaller, so most are read in one
/// call and one more that finds the end.
const SOURCE_ROOM: usize = 16 * 1024;

/// The bytes of the file at `path`, without asking its size first as `std::fs::read`
/// does: one system call a source less, 10,000 in a build of 10,000 pages.
fn read_source(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::with_capacity(SOURCE_ROOM);
    // Through `take`: `File`'s own `read_to_end` asks the size (`statx`) and the position.
    std::fs::File::open(path)?
        .take(u64::MAX)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// A non-Markdown file in `content/`, copied to the output beside its page.
#[derive(Debug, Clone)]
pub(crate) struct Asset {
    /// Where it is on disk.
    pub path: PathBuf,
    /// Path relative to `content/`, `/`-separated.
    pub rel: String,
}

/// Everything found under `content/`.
#[derive(Debug, Default)]
pub(crate) struct SourceTree {
    /// Markdown files, sorted by path; not read yet.
    pub files: Vec<FoundFile>,
    /// Other files, sorted by path.
    pub assets: Vec<Asset>,
}

/// Texts that stand for files of the site in place of what is on disk (an editor's
/// unsaved buffers, for `muster lsp`), by path relative to the site root
/// (`content/members/russia.md`).
pub(crate) type Overlay = std::collections::HashMap<PathBuf, String>;

/// Walks `root/content`, finding every Markdown file (read later, by the model), taking
/// the text of those in `overlay` from it; a Markdown file of `overlay` under `content/`
/// that is not on disk yet is a source too.
pub(crate) fn load(root: &Path, overlay: &Overlay) -> (SourceTree, Vec<Diagnostic>) {
    let content = root.join(CONTENT_DIR);
    if !content.is_dir() {
        let d = Diagnostic::new(
            ErrorKind::Io,
            format!("no `{CONTENT_DIR}/` folder in {}", root.display()),
        )
        .hint("create content/ with your Markdown pages, or pass --root DIR");
        return (SourceTree::default(), vec![d]);
    }
    let (mut found, mut errors) = walk(root, &content);
    add_unsaved(root, overlay, &mut found);
    let (markdown, assets): (Vec<_>, Vec<_>) = found
        .into_iter()
        .partition(|(rel, _)| markdown_stem(rel).is_some());
    // Pages written for other tools in other formats: named, never copied raw.
    let (unrendered, assets): (Vec<_>, Vec<_>) = assets
        .into_iter()
        .partition(|(rel, _)| unrendered_format(rel).is_some());
    for (rel, path) in unrendered {
        let format = unrendered_format(&rel).unwrap_or_default();
        errors.push(
            Diagnostic::new(
                ErrorKind::Unrendered,
                format!("{format} is not rendered: this file is neither published nor copied"),
            )
            .at(Location::file_start(&relative(root, &path)), None)
            .hint("convert it to Markdown (.md) to make it a page, or move it out of content/")
            .warning(),
        );
    }
    let assets = assets
        .into_iter()
        .map(|(rel, path)| Asset { path, rel })
        .collect();
    let files = markdown
        .into_iter()
        .map(|(rel, path)| found_file(root, path, rel, overlay))
        .collect();
    (SourceTree { files, assets }, errors)
}

/// The name of the page format of `rel` if it is one of another tool's that muster does
/// not render (MDX, Org, AsciiDoc, reStructuredText).
fn unrendered_format(rel: &str) -> Option<&'static str> {
    let (_, ext) = rel.rsplit_once('.')?;
    match ext.to_ascii_lowercase().as_str() {
        "mdx" => Some("MDX"),
        "org" => Some("Org"),
        "adoc" | "asciidoc" => Some("AsciiDoc"),
        "rst" => Some("reStructuredText"),
        _ => None,
    }
}

/// `rel` without its Markdown extension (`.md`, `.MD`, `.markdown`), if it has one.
pub(crate) fn markdown_stem(rel: &str) -> Option<&str> {
    let (stem, ext) = rel.rsplit_once('.')?;
    (ext.eq_ignore_ascii_case("md") || ext.eq_ignore_ascii_case("markdown"))
        .then_some(stem)
        .filter(|stem| !stem.is_empty() && !stem.ends_with('/'))
}

/// Every file below `dir` (a folder of the site at `root`; none if it does not exist),
/// skipping editor and hidden files, as (`/`-separated path relative to `dir`, full
/// path), sorted. Symbolic links are followed, so that content and themes can be
/// shared between sites, but only to places inside the site: a link that leaves it
/// (`dir` itself included) is an error, so nothing from elsewhere is published. So
/// are folders that cannot be read and link loops: nothing is skipped silently.
/// Content, static files, themes and templates are all walked by this function.
pub(crate) fn walk(root: &Path, dir: &Path) -> (Vec<(String, PathBuf)>, Vec<Diagnostic>) {
    let mut found = Vec::new();
    let mut errors = Vec::new();
    if std::fs::symlink_metadata(dir).is_err() {
        return (found, errors);
    }
    let site_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    // The folder itself may be reached through a link anywhere on its way (`themes/x`).
    if !points_inside(dir, &site_root) {
        errors.push(
            Diagnostic::new(
                ErrorKind::Io,
                "this folder lies outside the site (through a symbolic link)",
            )
            .at(Location::file_start(&relative(root, dir)), None)
            .hint("copy the folder into the site, or link to a place inside it"),
        );
        return (found, errors);
    }
    let mut walker = WalkDir::new(dir)
        .follow_links(true)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(e.file_name().to_string_lossy().as_ref()));
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().map(|p| relative(root, p)).unwrap_or_default();
                let (msg, hint) = match e.io_error() {
                    _ if e.loop_ancestor().is_some() => {
                        ("symbolic link loop".to_string(), "remove or fix the link")
                    }
                    Some(io) => (
                        format!("cannot be read: {io}"),
                        "make it readable, or move it out of the site",
                    ),
                    None => (e.to_string(), "remove or fix the link"),
                };
                errors.push(
                    Diagnostic::new(ErrorKind::Io, msg)
                        .at(Location::file_start(&path), None)
                        .hint(hint),
                );
                continue;
            }
        };
        if entry.path_is_symlink() && !points_inside(entry.path(), &site_root) {
            errors.push(
                Diagnostic::new(ErrorKind::Io, "symbolic link points outside the site")
                    .at(Location::file_start(&relative(root, entry.path())), None)
                    .hint("copy the file into the site, or link to a place inside it"),
            );
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = relative(dir, entry.path())
            .to_string_lossy()
            .replace('\\', "/");
        found.push((rel, entry.into_path()));
    }
    // In the order a walk sorted by name gives, folder by folder: a `/` sorts before any
    // other byte. Sorted once here, as walkdir's sort of each folder took longer than the
    // walk (7,000 instructions a file, its names found by parsing each path).
    found.sort_by_cached_key(|(rel, _)| rel.replace('/', "\0"));
    (found, errors)
}

/// Whether the link at `path` resolves to a place below `site_root` (canonical).
fn points_inside(path: &Path, site_root: &Path) -> bool {
    path.canonicalize()
        .is_ok_and(|target| target.starts_with(site_root))
}

/// Whether the site file `path` (from site.yaml) lies inside the site at `root` once
/// links are followed; `false` if it cannot be resolved.
pub(crate) fn lies_inside(root: &Path, path: &Path) -> bool {
    let site_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    points_inside(path, &site_root)
}

/// Editor swap, backup and hidden files are never content.
pub(crate) fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || [".swp", ".swx", ".swo"]
            .iter()
            .any(|ext| name.ends_with(ext))
        || name == "4913"
        || (name.len() > 1 && name.starts_with('#') && name.ends_with('#'))
}

fn relative(base: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(base).unwrap_or(path).to_path_buf()
}

/// Adds to `found` (sorted, as `walk` gives it) the Markdown files of `overlay` below
/// `content/` that are not on disk: a page being written that was never saved.
fn add_unsaved(root: &Path, overlay: &Overlay, found: &mut Vec<(String, PathBuf)>) {
    let content = Path::new(CONTENT_DIR);
    let before = found.len();
    for file in overlay.keys() {
        let Ok(below) = file.strip_prefix(content) else {
            continue;
        };
        let names: Option<Vec<&str>> = below.iter().map(|c| c.to_str()).collect();
        let Some(names) = names.filter(|n| !n.iter().any(|c| is_ignored(c) || *c == "..")) else {
            continue;
        };
        let rel = names.join("/");
        if markdown_stem(&rel).is_some() && !found[..before].iter().any(|(r, _)| *r == rel) {
            found.push((rel, root.join(file)));
        }
    }
    if found.len() > before {
        found.sort();
    }
}

/// The Markdown file at `path`, its text to be read from disk, or taken from `overlay`.
fn found_file(root: &Path, path: PathBuf, rel: String, overlay: &Overlay) -> FoundFile {
    let file = relative(root, &path);
    let text = match overlay.get(&file) {
        // A String is UTF-8: decoding only takes off a byte order mark and scrubs.
        Some(text) => FoundText::Read(
            decode(&file, text.as_bytes().to_vec()).unwrap_or_else(|_| text.clone()),
        ),
        None => FoundText::OnDisk(path),
    };
    FoundFile {
        rel,
        file,
        section_index: false,
        text,
    }
}

/// UTF-8 text without a byte order mark and with NUL replaced by U+FFFD, or an
/// error at the first invalid byte.
pub(crate) fn decode(file: &Path, mut bytes: Vec<u8>) -> Result<String, Diagnostic> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let bytes = e.into_bytes();
        let prefix = String::from_utf8_lossy(&bytes[..valid]);
        let location = Location::at_offset(file, &prefix, valid);
        Diagnostic::new(ErrorKind::Io, "file is not valid UTF-8")
            .at(location, None)
            .hint("save the file as UTF-8")
    })?;
    // CommonMark replaces NUL for safety; the Markdown stage also relies on it never
    // appearing. Other characters XML 1.0 forbids go too, so no feed or SVG breaks.
    Ok(match scrub(&text) {
        std::borrow::Cow::Borrowed(_) => text,
        std::borrow::Cow::Owned(clean) => clean,
    })
}

/// Whether XML 1.0 allows `c` in a document: tab, newline, carriage return and the
/// printable planes, not the other C0 controls (NUL among them) nor U+FFFE/U+FFFF.
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Whether `text` holds only characters XML 1.0 allows; a byte scan the compiler
/// vectorises, since every page's text goes through it.
pub(crate) fn all_xml_chars(text: &str) -> bool {
    let bytes = text.as_bytes();
    // C0 controls other than tab, newline and return are single bytes below 0x20.
    let controls = bytes.chunks(64).any(|chunk| {
        chunk.iter().fold(false, |bad, &b| {
            bad | (b < 0x20 && b != b'\t' && b != b'\n' && b != b'\r')
        })
    });
    // U+FFFE and U+FFFF are EF BF BE and EF BF BF.
    !controls
        && !memchr::memchr_iter(0xEF, bytes).any(|i| {
            bytes.get(i + 1) == Some(&0xBF) && matches!(bytes.get(i + 2), Some(0xBE | 0xBF))
        })
}

/// `text` with every character XML 1.0 forbids replaced by U+FFFD, borrowed when
/// there is none (nearly always). Source files and front matter values pass through it.
pub(crate) fn scrub(text: &str) -> std::borrow::Cow<'_, str> {
    if all_xml_chars(text) {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(
        text.chars()
            .map(|c| if is_xml_char(c) { c } else { '\u{FFFD}' })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_xml_forbids_are_replaced() {
        let f = Path::new("a.md");
        assert_eq!(
            decode(f, b"a\0b\x01c\td\r\n".to_vec()).unwrap(),
            "a\u{FFFD}b\u{FFFD}c\td\r\n"
        );
        assert_eq!(scrub("x\u{FFFE}y\u{FFFF}"), "x\u{FFFD}y\u{FFFD}");
        assert!(matches!(
            scrub("plain Кириллица 🎉"),
            std::borrow::Cow::Borrowed(_)
        ));
        // The byte scan agrees with the character test, chunk edges and all.
        for bad in ['\0', '\u{1}', '\u{1F}', '\u{FFFE}', '\u{FFFF}'] {
            for at in [0, 63, 64, 65, 200] {
                let text: String = "а".repeat(at / 2) + &bad.to_string() + "z";
                assert!(!all_xml_chars(&text), "{bad:?} at {at}");
            }
        }
        assert!(all_xml_chars("\t\n\r \u{FFFD}\u{EFFF}\u{FEFF}\u{10FFFF}"));
        for c in (0..0x20u32).filter_map(char::from_u32) {
            assert_eq!(is_xml_char(c), matches!(c, '\t' | '\n' | '\r'), "{c:?}");
        }
    }

    /// Files come folder by folder, each folder's entries by name, a folder's files right
    /// after its name: the order of a walk that sorts each folder.
    #[test]
    fn walk_gives_files_folder_by_folder_in_name_order() {
        let tmp = tempfile::tempdir().unwrap();
        let content = tmp.path().join("content");
        let files = [
            "a-c.md", "a.md", "a/b.md", "a/c/d.md", "a/c.md", "B.md", "a0.md", "é.md",
        ];
        for rel in files {
            let path = content.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, "x").unwrap();
        }
        let (found, errors) = walk(tmp.path(), &content);
        assert!(errors.is_empty());
        let rels: Vec<&str> = found.iter().map(|(rel, _)| rel.as_str()).collect();
        assert_eq!(
            rels,
            ["B.md", "a", "a-c.md", "a.md", "a0.md", "é.md"]
                .iter()
                .flat_map(|name| match *name {
                    "a" => vec!["a/b.md", "a/c/d.md", "a/c.md"],
                    name => vec![name],
                })
                .collect::<Vec<_>>()
        );
    }

    /// Sources larger and smaller than the room first made, and empty ones, are read whole.
    #[test]
    fn sources_of_any_length_are_read_whole() {
        let tmp = tempfile::tempdir().unwrap();
        for len in [
            0,
            1,
            SOURCE_ROOM - 1,
            SOURCE_ROOM,
            SOURCE_ROOM + 1,
            5 * SOURCE_ROOM + 7,
        ] {
            let text: String = "Душанбе ".chars().cycle().take(len).collect();
            let path = tmp.path().join(format!("{len}.md"));
            std::fs::write(&path, &text).unwrap();
            assert_eq!(
                read_source(&path).unwrap(),
                text.as_bytes(),
                "{len} characters"
            );
        }
        assert!(read_source(&tmp.path().join("missing.md")).is_err());
    }

    #[test]
    fn decode_strips_bom_and_locates_bad_bytes() {
        let f = Path::new("a.md");
        assert_eq!(decode(f, b"\xEF\xBB\xBFhi".to_vec()).unwrap(), "hi");
        let e = decode(f, b"ok\nab\xFFc".to_vec()).unwrap_err();
        let loc = e.location.unwrap();
        assert_eq!((loc.line, loc.column), (2, 3));
    }
}
