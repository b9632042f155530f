//! The quick answer to an edit of one page, while the full check runs behind it: the page
//! read again (front matter, fields, Markdown), its refs and links resolved again, and
//! when its headings changed, the links of the pages that point at it. Its diagnostics
//! of those kinds replace the page's; the full analysis then replaces everything.

use std::path::Path;

use super::analysis::Analysis;
use crate::error::{Diagnostic, ErrorKind};
use crate::model::{self, PageId, Role};
use crate::source::SourceFile;

/// The kinds of diagnostic reading a page finds. With [`RESOLVED_KINDS`], what the quick
/// path finds again in the edited page; a page's others (a template failing on it) stay
/// as the last full analysis found them.
const READ_KINDS: [ErrorKind; 4] = [
    ErrorKind::FrontMatter,
    ErrorKind::Field,
    ErrorKind::Math,
    ErrorKind::Shortcode,
];

/// The kinds of diagnostic resolving a page's refs and links finds: all the quick path
/// finds again in the pages linking to the edited one.
const RESOLVED_KINDS: [ErrorKind; 3] = [ErrorKind::Reference, ErrorKind::Link, ErrorKind::Anchor];

/// Takes `text` as the source of `file` (relative to the site root) into `analysis`;
/// `false` (and `analysis` as it was) when the edit changes what other pages see of the
/// page beyond its headings (its names, its place, its includes), which only a full
/// analysis gets right.
pub(super) fn update_page(analysis: &mut Analysis, file: &Path, text: &str) -> bool {
    let Some((id, new, errors)) = read_again(analysis, file, text) else {
        return false;
    };
    let old = analysis.site.page(id);
    let headings_moved = !new.body.headings.iter().map(|h| &h.id).eq(old
        .body
        .headings
        .iter()
        .map(|h| &h.id));
    let Some(site) = std::sync::Arc::get_mut(&mut analysis.site) else {
        return false;
    };
    site.pages[id.0] = new;
    let mut found = errors;
    found.extend(resolve_again(analysis, id));
    let both: Vec<ErrorKind> = READ_KINDS.into_iter().chain(RESOLVED_KINDS).collect();
    let mut replaced = vec![(file.to_path_buf(), found, both.as_slice())];
    if headings_moved {
        let (site, graph) = (&analysis.site, &analysis.graph);
        let linking = crate::links::linking_to_headings(site, graph, &analysis.attachments, id);
        for from in linking {
            let Some(from_file) = analysis.site.page(from).file.clone() else {
                continue;
            };
            replaced.push((from_file, resolve_again(analysis, from), &RESOLVED_KINDS));
        }
    }
    for (file, found, kinds) in replaced {
        replace_diagnostics(&mut analysis.diagnostics, &file, found, kinds);
    }
    analysis.diagnostics = crate::build::sorted(std::mem::take(&mut analysis.diagnostics));
    true
}

/// The diagnostics the quick path finds in the edited page itself, without changing the
/// model, which a check is reading: the page read again from `text` and its refs and
/// links resolved against the site as it is (the page's own headings as edited).
/// [`update_page`] takes the edit into the model once the check is over, and then also
/// finds what moved headings break or mend in the pages linking to it. `false` (and
/// `analysis` as it was) where [`update_page`] would give `false`.
pub(super) fn preview_page(analysis: &mut Analysis, file: &Path, text: &str) -> bool {
    let (Some((id, new, errors)), Some(config)) =
        (read_again(analysis, file, text), analysis.config.as_ref())
    else {
        return false;
    };
    let (site, graph) = (&analysis.site, &analysis.graph);
    let resolution =
        crate::links::resolve_one_as(config, site, &analysis.attachments, (graph, id), &new);
    let mut found = errors;
    found.extend(resolution.errors);
    let both: Vec<ErrorKind> = READ_KINDS.into_iter().chain(RESOLVED_KINDS).collect();
    replace_diagnostics(&mut analysis.diagnostics, file, found, &both);
    analysis.diagnostics = crate::build::sorted(std::mem::take(&mut analysis.diagnostics));
    true
}

/// The page of `file` read again from `text`, with its errors, if it keeps its names
/// and place in the site.
fn read_again(
    analysis: &Analysis,
    file: &Path,
    text: &str,
) -> Option<(PageId, model::Page, Vec<Diagnostic>)> {
    let (id, old) = analysis.page_of_file(file)?;
    let config = analysis.config.as_ref()?;
    let rel = file.strip_prefix(crate::source::CONTENT_DIR).ok()?;
    let source = SourceFile {
        rel: rel.to_string_lossy().replace('\\', "/"),
        file: file.to_path_buf(),
        text: crate::source::scrub(text.strip_prefix('\u{feff}').unwrap_or(text)).into_owned(),
        section_index: old.role == Role::Section,
    };
    let shortcodes = crate::shortcodes::SiteShortcodes {
        known: analysis.shortcodes.as_ref(),
        pages: None,
    };
    let (new, errors) = model::page_load::load(config, shortcodes, None, source);
    let mut new = new?;
    let includes = |p: &model::Page| {
        !p.body.included.is_empty()
            || p.body
                .calls
                .iter()
                .any(|c| c.name == crate::shortcodes::INCLUDE)
    };
    let same_place = new.path == old.path
        && new.slug == old.slug
        && new.source_path == old.source_path
        && new.kind == old.kind
        && new.role == old.role
        && new.meta.seldom().aliases == old.meta.seldom().aliases
        && new.meta.draft == old.meta.draft
        && new.meta.headless == old.meta.headless;
    if !same_place || includes(old) || includes(&new) {
        return None;
    }
    new.committed = old.committed;
    Some((id, new, model::page_errors(&analysis.site, errors)))
}

/// Resolves page `id`'s refs and links again, keeping where they go; their errors.
fn resolve_again(analysis: &mut Analysis, id: PageId) -> Vec<Diagnostic> {
    let Some(config) = analysis.config.as_ref() else {
        return Vec::new();
    };
    let resolution = crate::links::resolve_one(
        config,
        &analysis.site,
        &analysis.attachments,
        (&analysis.graph, id),
    );
    if let Some(graph) = std::sync::Arc::get_mut(&mut analysis.graph) {
        graph.body_targets[id.0] = resolution.body_targets;
    }
    resolution.errors
}

/// Replaces the diagnostics of `kinds` in `file` by those of `found`.
fn replace_diagnostics(
    all: &mut Vec<Diagnostic>,
    file: &Path,
    found: Vec<Diagnostic>,
    kinds: &[ErrorKind],
) {
    all.retain(|d| {
        let in_file = d.location.as_ref().is_some_and(|l| l.file == file);
        !(in_file && kinds.contains(&d.kind))
    });
    all.extend(found.into_iter().filter(|d| kinds.contains(&d.kind)));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::build::BuildOptions;
    use crate::source::Overlay;

    const CONFIG: &str = "title: T\nbase_url: https://example.org/\nkinds:\n  member:\n    section: members\n    fields:\n      ally: { type: ref, kind: member }\n      status: { type: enum, values: [member, observer] }\n";

    /// The diagnostics of the quick kinds in `file`, as text.
    fn quick(analysis: &Analysis, file: &Path) -> Vec<String> {
        let mut found: Vec<String> = analysis
            .diagnostics
            .iter()
            .filter(|d| READ_KINDS.contains(&d.kind) || RESOLVED_KINDS.contains(&d.kind))
            .filter(|d| d.location.as_ref().is_some_and(|l| l.file == file))
            .map(|d| d.render(false))
            .collect();
        found.sort();
        found
    }

    /// Each edit taken quickly gives the diagnostics a full analysis of the same text
    /// gives, in the edited page and in the page linking to its headings: with the
    /// theme's templates (and shortcodes), and without any.
    #[test]
    fn quick_updates_match_full_analyses() {
        for with_theme in [true, false] {
            quick_updates_match(with_theme);
        }
    }

    fn quick_updates_match(with_theme: bool) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        if with_theme {
            crate::lsp::analysis::tests::copy_theme(root);
        }
        std::fs::write(root.join("site.yaml"), CONFIG).unwrap();
        std::fs::create_dir_all(root.join("content/members")).unwrap();
        // `a` has a field error of its own, which renaming `b`'s heading must leave.
        let a = "---\ntitle: A\nally: b\nstatus: memberr\n---\nSee [[b#history]].\n\n## Past\n";
        let b = "---\ntitle: B\nstatus: member\n---\n## History\n\nText [[a#past]].\n";
        std::fs::write(root.join("content/members/a.md"), a).unwrap();
        std::fs::write(root.join("content/members/b.md"), b).unwrap();
        let options = BuildOptions::new(root);
        let (file_a, file_b) = (
            Path::new("content/members/a.md"),
            Path::new("content/members/b.md"),
        );
        let edits = [
            (file_b, b.replace("## History", "## Story")),
            (file_b, b.replace("status: member", "status: memberr")),
            (file_a, a.replace("ally: b", "ally: c")),
            (
                file_a,
                a.replace("[[b#history]]", "[[x]] and [[b#nothing]] and $x^$"),
            ),
            (file_a, a.replace("---\nSee", "stray: 1\n---\nSee")),
            (
                file_b,
                b.replace("Text", "{{ nothing() }} {{ figure(alt=3) }} Text"),
            ),
            (file_a, a.replace("title: A", "title: Another")),
            // A heading and a link to it, in the same page.
            (file_a, format!("{a}\n## Fresh\n\nSee [[#fresh]].\n")),
            (file_a, a.to_string()),
        ];
        // Each edit previewed on the site as it was reads the edited page as updating the
        // model does.
        for (file, text) in &edits {
            let mut previewed = Analysis::run(&options, &Overlay::new());
            let mut updated = Analysis::run(&options, &Overlay::new());
            assert!(preview_page(&mut previewed, file, text), "{text}");
            assert!(update_page(&mut updated, file, text), "{text}");
            assert_eq!(quick(&previewed, file), quick(&updated, file), "{text:?}");
        }
        let mut analysis = Analysis::run(&options, &Overlay::new());
        let mut overlay = Overlay::new();
        for (file, text) in edits {
            overlay.insert(file.to_path_buf(), text.clone());
            assert!(update_page(&mut analysis, file, &text), "{text}");
            let full = Analysis::run(&options, &overlay);
            for f in [file_a, file_b] {
                assert_eq!(
                    quick(&analysis, f),
                    quick(&full, f),
                    "after {text:?}, in {f:?}"
                );
            }
        }
    }

    #[test]
    fn a_new_name_needs_the_full_analysis() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("site.yaml"), CONFIG).unwrap();
        std::fs::create_dir_all(root.join("content/members")).unwrap();
        let a = "---\ntitle: A\n---\nText.\n";
        std::fs::write(root.join("content/members/a.md"), a).unwrap();
        let mut analysis = Analysis::run(&BuildOptions::new(root), &Overlay::new());
        let file = Path::new("content/members/a.md");
        // A title names no page: only what the page shows changes.
        assert!(update_page(
            &mut analysis,
            file,
            &a.replace("title: A", "title: Z")
        ));
        assert!(!update_page(
            &mut analysis,
            file,
            &a.replace("---\nText", "aliases: [/x/]\n---\nText")
        ));
        assert!(!update_page(
            &mut analysis,
            file,
            &a.replace("---\nText", "slug: z\n---\nText")
        ));
        assert!(update_page(
            &mut analysis,
            file,
            &a.replace("Text", "Other text")
        ));
    }
}
