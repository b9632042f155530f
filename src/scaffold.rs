//! Writers' starting points: `muster new` (a page with its kind's front matter laid
//! out) and `muster init` (a new site that builds at once).

use std::fmt::Write;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

use crate::config::{FieldDef, FieldType, KindDef, SiteConfig};
use crate::source::CONTENT_DIR;

/// The default theme, built into the binary for `muster init`.
static DEFAULT_THEME: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// Why a scaffold could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    /// No kind of that name in site.yaml.
    #[error("no kind `{kind}` in site.yaml{}", hint_list(kind, .known))]
    UnknownKind {
        /// The name given.
        kind: String,
        /// The kinds there are.
        known: Vec<String>,
    },
    /// The title gives no usable file name.
    #[error("the title `{0}` gives no file name; use letters or digits")]
    EmptySlug(String),
    /// The file or folder is there already.
    #[error("{} exists already; muster does not overwrite it", .0.display())]
    Exists(PathBuf),
    /// No language of that code in site.yaml's `languages:`.
    #[error("`{0}` is not one of the site's other languages; site.yaml's `languages:` lists them")]
    UnknownLanguage(String),
    /// The page to translate is not there.
    #[error("there is no {} to translate: write the page in the default language first", .0.display())]
    NoOriginal(PathBuf),
    /// Writing failed.
    #[error("{}: {source}", .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

fn hint_list(kind: &str, known: &[String]) -> String {
    let meant = crate::error::closest(kind, known.iter().map(String::as_str));
    match (meant, known.is_empty()) {
        (Some(meant), _) => format!(
            "; did you mean `{meant}`? (kinds are: {})",
            known.join(", ")
        ),
        (None, true) => String::new(),
        (None, false) => format!("; kinds are: {}", known.join(", ")),
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ScaffoldError + '_ {
    move |source| ScaffoldError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// What a field wants, for a comment: `enum: command-staff | field`, `ref → a member page`.
fn describe(def: &FieldDef, candidates: &[String]) -> String {
    let mut text = match &def.ty {
        FieldType::Enum { values, .. } => format!("enum: {}", values.join(" | ")),
        FieldType::Ref(target) => format!("ref → a page of kind {}", target.kind),
        FieldType::Refs(target) => format!("refs → pages of kind {}", target.kind),
        ty => ty.name().to_string(),
    };
    if def.ty.target().is_some() && !candidates.is_empty() {
        const SHOWN: usize = 8;
        let more = if candidates.len() > SHOWN {
            ", …"
        } else {
            ""
        };
        let names: Vec<&str> = candidates.iter().take(SHOWN).map(String::as_str).collect();
        let _ = write!(text, ": {}{more}", names.join(", "));
    }
    if let Some(d) = &def.description {
        let _ = write!(text, " — {d}");
    }
    text
}

/// The placeholder a field starts with: empty, so the build points at it until filled.
fn placeholder(def: &FieldDef) -> &'static str {
    match def.ty {
        FieldType::DateRange => "{ start: YYYY-MM-DD, end: YYYY-MM-DD }",
        FieldType::Date => "YYYY-MM-DD",
        FieldType::List | FieldType::Refs(_) => "[]",
        FieldType::Bool => "false",
        // Left empty, so that the build points at the field until it is filled.
        FieldType::String
        | FieldType::Text
        | FieldType::Integer
        | FieldType::Url
        | FieldType::Enum { .. }
        | FieldType::Ref(_) => "",
    }
}

/// Slugs of the pages of `kind`'s section, from file names (no parsing).
fn pages_of(root: &Path, kind: &KindDef) -> Vec<String> {
    let mut slugs: Vec<String> = std::fs::read_dir(root.join(CONTENT_DIR).join(&kind.section))
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let slug = name.strip_suffix(".md").unwrap_or(&name).to_string();
            let is_page = name.ends_with(".md") || e.path().join("index.md").is_file();
            (is_page && !slug.starts_with('_') && !slug.starts_with('.')).then_some(slug)
        })
        .collect();
    slugs.sort();
    slugs
}

/// What `muster new` says of the draft line it writes.
const DRAFT: &str = "draft: true  # left out of build and check until this line goes; `--drafts` shows and checks it\n";

/// The text of a new page of `kind` titled `title`: a draft (as `hugo new` makes one),
/// so that the site still builds and checks while its fields are empty; required fields
/// first, each with a placeholder and a comment saying what it takes; optional ones
/// commented out.
pub(crate) fn page_text(root: &Path, config: &SiteConfig, kind: &KindDef, title: &str) -> String {
    let quoted = serde_yaml::to_string(title).unwrap_or_else(|_| format!("{title:?}\n"));
    let mut text = format!("---\ntitle: {quoted}{DRAFT}");
    let (required, optional): (Vec<_>, Vec<_>) = kind.fields.iter().partition(|(_, d)| d.required);
    let candidates_for = |def: &FieldDef| {
        def.ty
            .target()
            .and_then(|t| config.kinds.get(&t.kind))
            .map(|k| pages_of(root, k))
            .unwrap_or_default()
    };
    for (fields, heading, prefix) in [
        (&required, "# required\n", ""),
        (&optional, "# optional: remove the `#` to use\n", "# "),
    ] {
        if !fields.is_empty() {
            text.push_str(heading);
        }
        for (name, def) in fields {
            let value = placeholder(def);
            let sep = if value.is_empty() { "" } else { " " };
            let what = describe(def, &candidates_for(def));
            let _ = writeln!(text, "{prefix}{name}:{sep}{value}  # {what}");
        }
    }
    for t in &config.taxonomies {
        let _ = writeln!(text, "# {t}: []");
    }
    // The hint is a comment: a sample link (`[[slug]]`) would be a broken link.
    text.push_str(
        "---\n<!-- Write the page here. Link another page with its slug between [[ and ]]. -->\n",
    );
    text
}

/// Creates `content/<section>/<slug>.md` for a new page of kind `kind_name`; returns its path.
pub fn new_page(
    root: &Path,
    config: &SiteConfig,
    kind_name: &str,
    title: &str,
) -> Result<PathBuf, ScaffoldError> {
    let kind = kind_named(config, kind_name)?;
    let slug = slug::slugify(title);
    if slug.is_empty() {
        return Err(ScaffoldError::EmptySlug(title.to_string()));
    }
    let dir = root.join(CONTENT_DIR).join(&kind.section);
    let path = dir.join(format!("{slug}.md"));
    if path.exists() || dir.join(&slug).join("index.md").exists() {
        return Err(ScaffoldError::Exists(path));
    }
    std::fs::create_dir_all(&dir).map_err(io(&dir))?;
    create_new(&path, &page_text(root, config, kind, title))?;
    Ok(path)
}

/// The kind `kind_name` of site.yaml.
fn kind_named<'c>(config: &'c SiteConfig, kind_name: &str) -> Result<&'c KindDef, ScaffoldError> {
    config
        .kinds
        .get(kind_name)
        .ok_or_else(|| ScaffoldError::UnknownKind {
            kind: kind_name.to_string(),
            known: config.kinds.keys().cloned().collect(),
        })
}

/// Writes `text` into a new file at `path`; never over a file, even one that appeared
/// since the caller looked.
fn create_new(path: &Path, text: &str) -> Result<(), ScaffoldError> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => ScaffoldError::Exists(path.to_path_buf()),
            _ => io(path)(e),
        })?;
    std::io::Write::write_all(&mut file, text.as_bytes()).map_err(io(path))
}

/// Creates the translation into `lang` of the page of kind `kind_name` whose title
/// (or file name) is `title`: `name.ru.md` beside the original, a copy of it with
/// its fields, as a draft for the translator to write over.
pub fn new_translation(
    root: &Path,
    config: &SiteConfig,
    (kind_name, title): (&str, &str),
    lang: &str,
) -> Result<PathBuf, ScaffoldError> {
    let kind = kind_named(config, kind_name)?;
    if !config.is_translation_language(lang) {
        return Err(ScaffoldError::UnknownLanguage(lang.to_string()));
    }
    let slug = slug::slugify(title);
    if slug.is_empty() {
        return Err(ScaffoldError::EmptySlug(title.to_string()));
    }
    let dir = root.join(CONTENT_DIR).join(&kind.section);
    // A page bundle's translation sits in its folder, as `index.ru.md`.
    let (original, path) = match dir.join(&slug).join("index.md") {
        bundle if bundle.is_file() => (bundle, dir.join(&slug).join(format!("index.{lang}.md"))),
        _ => (
            dir.join(format!("{slug}.md")),
            dir.join(format!("{slug}.{lang}.md")),
        ),
    };
    let text = std::fs::read_to_string(&original).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => ScaffoldError::NoOriginal(original.clone()),
        _ => io(&original)(e),
    })?;
    let format = crate::source::split_front_matter(&text)
        .map(|s| s.format)
        .unwrap_or(crate::source::MatterFormat::None);
    let text = crate::translations::with_key(format, &text, "draft", "true");
    create_new(&path, &text)?;
    Ok(path)
}

/// Every kind with its section and fields, for `muster new --list`.
pub fn kinds_overview(config: &SiteConfig) -> String {
    let mut out = String::new();
    for (name, kind) in &config.kinds {
        let label = kind.label.as_deref().unwrap_or(name);
        let _ = writeln!(out, "{name} ({label}) — pages in content/{}/", kind.section);
        for (field, def) in &kind.fields {
            let required = if def.required { "required" } else { "optional" };
            let _ = writeln!(out, "    {field:<16} {required:<8}  {}", describe(def, &[]));
        }
    }
    if out.is_empty() {
        out.push_str("site.yaml declares no kinds; every page has only the common keys\n");
    }
    out
}

const INIT_CONFIG: &str = "\
# Site settings and the kinds of pages, with their typed fields.
title: My knowledge base
description: Notes that link to each other.
base_url: /
language: en
theme: default
taxonomies: [tags]

kinds:
  place:
    section: places
    label: Place
    fields:
      region: { type: string, label: Region, description: The wider area it is in }
  event:
    section: events
    label: Event
    fields:
      held_on: { type: date, required: true, label: Held on }
      place: { type: ref, kind: place, required: true, inverse: events, label: Place }
      category: { type: enum, values: [meeting, exercise, other], label: Category }
";

const INIT_PAGES: [(&str, &str); 5] = [
    (
        "_index.md",
        "---\ntitle: Home\n---\nWelcome. Start with the [[harbour]] or the [[opening-meeting]].\n",
    ),
    (
        "places/_index.md",
        "---\ntitle: Places\n---\nWhere things happen.\n",
    ),
    (
        "places/harbour.md",
        "---\ntitle: Harbour\nregion: Coast\ntags: [example]\n---\nAn example place. The events held here are listed below, from the `place:` of each event.\n",
    ),
    (
        "events/_index.md",
        "---\ntitle: Events\nsort_by: date\n---\nWhat happened, newest first.\n",
    ),
    (
        "events/opening-meeting.md",
        "---\ntitle: Opening meeting\nheld_on: 2024-01-15\nplace: harbour\ncategory: meeting\ntags: [example]\n---\nAn example event at the [[harbour]].\n\n## Agenda\n\nReplace this page with your own.\n",
    ),
];

const INIT_README: &str = "\
# Writing in this knowledge base

Pages are Markdown files with YAML front matter under `content/`; the folder decides a page's
kind (`content/events/` holds events). `site.yaml` declares each kind's fields and their types.

- New page: `muster new event \"Annual review\"` creates `content/events/annual-review.md` with the
  fields to fill in. `muster new --list` shows every kind and field.
- Links: `[[harbour]]`, `[[harbour|the harbour]]`, `[[harbour#history]]`, `[text](@/places/harbour.md)`.
- Preview while you write: `muster serve`, then open http://127.0.0.1:1111/.
- Check everything: `muster check`. Every error names the file, line and column;
  `muster explain E004` tells what an error code means.
- Publish: `muster build` writes the site into `public/`.
- Editor checking: `muster schema` writes JSON Schemas of the front matter and the VS Code settings.
";

/// Creates a new site in `dir` (which must not exist or be empty); returns the files written.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, ScaffoldError> {
    if dir.exists() {
        let empty = std::fs::read_dir(dir).map_err(io(dir))?.next().is_none();
        if !empty {
            return Err(ScaffoldError::Exists(dir.to_path_buf()));
        }
    }
    let mut written = Vec::new();
    let mut write = |rel: &str, text: &[u8]| -> Result<(), ScaffoldError> {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        std::fs::write(&path, text).map_err(io(&path))?;
        written.push(path);
        Ok(())
    };
    write(SiteConfig::FILE, INIT_CONFIG.as_bytes())?;
    write("README.md", INIT_README.as_bytes())?;
    // The output, and what muster keeps beside it: builds in progress, the build cache.
    write(".gitignore", b"/public\n/.public.muster-*\n")?;
    for (rel, text) in INIT_PAGES {
        write(&format!("{CONTENT_DIR}/{rel}"), text.as_bytes())?;
    }
    for file in theme_files(&DEFAULT_THEME) {
        let rel = format!("themes/default/{}", file.path().to_string_lossy());
        write(&rel, file.contents())?;
    }
    Ok(written)
}

fn theme_files<'a>(dir: &'a Dir<'a>) -> Vec<&'a include_dir::File<'a>> {
    let mut files: Vec<&include_dir::File<'_>> = dir.files().collect();
    for sub in dir.dirs() {
        files.extend(theme_files(sub));
    }
    files
}
