//! The render plan: every output file and its template, decided before anything
//! is rendered, so missing templates and colliding aliases are all reported first.

use super::Templates;
use super::guide::Guide;
use crate::error::{Diagnostic, ErrorKind};
use crate::model::{PageId, Role, Site};
use crate::taxonomy::Taxonomy;

/// One file to render: which template, into which output path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PlannedOutput {
    /// What the file shows.
    pub target: OutputTarget,
    /// Template name.
    pub template: String,
    /// Output path relative to the output root.
    pub path: String,
}

/// What a planned output file shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum OutputTarget {
    /// A page or section.
    Page(PageId),
    /// Listing page `number` (from 1) of a paginated section.
    Paged {
        /// The section.
        section: PageId,
        /// Which listing page, from 1.
        number: usize,
    },
    /// The list of terms of taxonomy `n`.
    TaxonomyList(usize),
    /// Term `term` of taxonomy `taxonomy`.
    Term {
        /// Index of the taxonomy.
        taxonomy: usize,
        /// Index of the term.
        term: usize,
    },
    /// The not-found page.
    NotFound,
    /// `/timeline/`: every dated page in order, of the default language (`None`) or of
    /// `Site::languages[n]` (`/ru/timeline/`).
    Timeline {
        /// The index of the language in `Site::languages`, if not the default.
        language: Option<usize>,
    },
    /// `/graph/`: the knowledge graph drawn as SVG, of the default language or another.
    Graph {
        /// The index of the language in `Site::languages`, if not the default.
        language: Option<usize>,
    },
    /// `/search/`: the search page, of the default language (`None`) or of
    /// `Site::languages[n]` (`/ru/search/`).
    Search {
        /// The index of the language in `Site::languages`, if not the default.
        language: Option<usize>,
    },
    /// `/guide/`: the writer's guide from `guide:` in site.yaml.
    Guide,
    /// A redirect from an old URL (alias number `alias` of the page).
    Redirect {
        /// The page redirected to.
        page: PageId,
        /// Index in its `aliases`.
        alias: usize,
    },
}

/// Every file a build renders, decided before anything is rendered.
#[derive(Debug, Default)]
pub(crate) struct RenderPlan {
    /// Files in a stable order.
    pub outputs: Vec<PlannedOutput>,
}

/// The site path of listing page `number` (2 or more) of the section at `section`.
pub(crate) fn pager_path(section: &str, number: usize) -> String {
    if section.is_empty() {
        format!("page/{number}")
    } else {
        format!("{section}/page/{number}")
    }
}

fn index_html(path: &str) -> String {
    if path.is_empty() {
        "index.html".to_string()
    } else {
        [path, "/index.html"].concat()
    }
}

/// Chooses a template for every page and term; reports missing templates and colliding aliases.
pub(crate) fn plan(
    site: &Site,
    taxonomies: &[Taxonomy],
    templates: &Templates,
    guide: Option<&Guide>,
) -> (RenderPlan, Vec<Diagnostic>) {
    let mut outputs = Vec::with_capacity(site.pages.len());
    let mut errors = Vec::new();
    for (id, page) in site.iter() {
        match page_template(page, templates) {
            Ok(template) => page_outputs(site, id, template, &mut outputs),
            Err(e) => errors.push(e),
        }
    }
    taxonomy_outputs(taxonomies, &mut outputs);
    site_wide_outputs(site, templates, guide, &mut outputs);
    errors.extend(missing_templates(site, templates, &outputs));
    (RenderPlan { outputs }, errors)
}

/// The template of `page`: its `template:`, which must exist, or its role's and kind's.
fn page_template(page: &crate::model::Page, templates: &Templates) -> Result<String, Diagnostic> {
    Ok(match (&page.meta.seldom().template, page.role) {
        (Some(t), _) => {
            if !templates.has(t) {
                let mut names: Vec<&str> = templates.sources.keys().map(String::as_str).collect();
                names.sort();
                let hint = match crate::error::closest(t, names.iter().copied()) {
                    Some(c) => format!("did you mean `{c}`?"),
                    None => format!("available templates: {}", names.join(", ")),
                };
                return Err(page
                    .diagnostic_at_value(
                        ErrorKind::Template,
                        format!("template `{t}` not found"),
                        "template",
                        None,
                    )
                    .hint(hint));
            }
            t.clone()
        }
        (None, Role::Section) if page.path.is_empty() => "index.html".to_string(),
        (None, Role::Section) => "section.html".to_string(),
        (None, Role::Page) => match &page.kind {
            Some(kind) if templates.has(&format!("kinds/{kind}.html")) => {
                format!("kinds/{kind}.html")
            }
            _ => "page.html".to_string(),
        },
    })
}

/// The outputs of page `id` rendered with `template`: the page, or each listing page
/// of a paginated section, and a redirect for each of its aliases.
fn page_outputs(site: &Site, id: PageId, template: String, outputs: &mut Vec<PlannedOutput>) {
    let page = site.page(id);
    let listed = site.section_pages.get(&id).map_or(0, Vec::len);
    match page
        .meta
        .seldom()
        .paginate_by
        .filter(|_| page.role == Role::Section)
    {
        Some(per_page) => {
            // The first listing page is the section's own URL; the rest are /page/N/.
            for number in 1..=listed.div_ceil(per_page).max(1) {
                let path = match number {
                    1 => index_html(&page.path),
                    n => index_html(&pager_path(&page.path, n)),
                };
                outputs.push(PlannedOutput {
                    target: OutputTarget::Paged {
                        section: id,
                        number,
                    },
                    template: template.clone(),
                    path,
                });
            }
        }
        None => outputs.push(PlannedOutput {
            target: OutputTarget::Page(id),
            template,
            path: index_html(&page.path),
        }),
    }
    for (alias, written) in page.meta.seldom().aliases.iter().enumerate() {
        // Aliases that are no path were reported with the front matter.
        let Ok(path) = crate::model::keys::alias_path(written) else {
            continue;
        };
        outputs.push(PlannedOutput {
            target: OutputTarget::Redirect { page: id, alias },
            template: String::new(),
            path: index_html(path),
        });
    }
}

/// Each taxonomy's list of terms, and each term's page.
fn taxonomy_outputs(taxonomies: &[Taxonomy], outputs: &mut Vec<PlannedOutput>) {
    for (t, tax) in taxonomies.iter().enumerate() {
        outputs.push(PlannedOutput {
            target: OutputTarget::TaxonomyList(t),
            template: "taxonomy_list.html".into(),
            path: index_html(&tax.path()),
        });
        for (i, term) in tax.terms.iter().enumerate() {
            outputs.push(PlannedOutput {
                target: OutputTarget::Term {
                    taxonomy: t,
                    term: i,
                },
                template: "taxonomy_term.html".into(),
                path: index_html(&tax.term_path(term)),
            });
        }
    }
}

/// Site-wide pages, when the theme has their template, one per language with pages;
/// a content page at their URL collides.
fn site_wide_outputs(
    site: &Site,
    templates: &Templates,
    guide: Option<&Guide>,
    outputs: &mut Vec<PlannedOutput>,
) {
    let languages: Vec<(Option<usize>, &str)> = std::iter::once((None, ""))
        .chain(
            site.languages
                .iter()
                .enumerate()
                .map(|(n, (_, folder))| (Some(n), folder.as_str())),
        )
        .collect();
    type PerLanguage = fn(Option<usize>) -> OutputTarget;
    let per_language: [(PerLanguage, &str); 3] = [
        (|language| OutputTarget::Timeline { language }, "timeline"),
        (|language| OutputTarget::Graph { language }, "graph"),
        (|language| OutputTarget::Search { language }, "search"),
    ];
    for (target, name) in per_language {
        let template = format!("{name}.html");
        if !templates.has(&template) {
            continue;
        }
        for (language, folder) in &languages {
            outputs.push(PlannedOutput {
                target: target(*language),
                template: template.clone(),
                path: index_html(&crate::model::in_folder(folder, name)),
            });
        }
    }
    if guide.is_some() && templates.has("guide.html") {
        outputs.push(PlannedOutput {
            target: OutputTarget::Guide,
            template: "guide.html".into(),
            path: index_html("guide"),
        });
    }
    if templates.has("404.html") {
        outputs.push(PlannedOutput {
            target: OutputTarget::NotFound,
            template: "404.html".into(),
            path: "404.html".into(),
        });
    }
}

/// A template the theme lacks, reported once, at the first page with a file that needs it.
fn missing_templates(
    site: &Site,
    templates: &Templates,
    outputs: &[PlannedOutput],
) -> Vec<Diagnostic> {
    let mut missing: Vec<(&str, &str, Option<&crate::model::Page>)> = Vec::new();
    for o in outputs {
        if o.template.is_empty() || templates.has(&o.template) {
            continue;
        }
        let page = match o.target {
            OutputTarget::Page(id) | OutputTarget::Paged { section: id, .. } => {
                Some(site.page(id)).filter(|p| p.file.is_some())
            }
            _ => None,
        };
        match missing.iter_mut().find(|(t, ..)| *t == o.template) {
            Some(entry) if entry.2.is_none() && page.is_some() => {
                *entry = (&o.template, &o.path, page)
            }
            Some(_) => {}
            None => missing.push((&o.template, &o.path, page)),
        }
    }
    missing
        .into_iter()
        .map(|(template, path, page)| {
            let message =
                format!("template `{template}` not found (needed for {path} and maybe more)");
            let d = match page {
                Some(page) => page.diagnostic_at(ErrorKind::Template, message, 0),
                None => Diagnostic::new(ErrorKind::Template, message),
            };
            d.hint(format!(
                "add {template} to themes/<theme>/templates/ or to templates/"
            ))
        })
        .collect()
}
