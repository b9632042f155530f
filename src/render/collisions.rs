//! Two outputs at one path: found before anything is written, from every source of
//! output files (pages, listings, aliases, terms, site-wide pages, data files, static
//! files and content assets), and reported naming both.

use std::collections::HashMap;
use std::path::Path;

use super::plan::{OutputTarget, RenderPlan};
use crate::error::{Diagnostic, ErrorKind, Location};
use crate::model::{PageId, Site};
use crate::taxonomy::Taxonomy;

/// Where an output file comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Origin<'a> {
    /// A page, section or listing page, or the site-wide page named here.
    Planned(OutputTarget),
    /// A data file muster writes, named for messages ("the sitemap").
    Data(&'static str),
    /// A file copied from the theme, `static/` or `content/`.
    Copied(&'a Path),
}

/// One output path and where it comes from.
pub(crate) type Claim<'a> = (&'a str, Origin<'a>);

/// Reports every pair of claims on one path, and every path that one claim needs as a
/// file and another as a folder. Paths are compared ignoring case, as on the file
/// systems of Windows and macOS. The order of `claims` decides which of two is named
/// first; errors come sorted.
pub(crate) fn check(
    site: &Site,
    taxonomies: &[Taxonomy],
    root: &Path,
    claims: &[Claim<'_>],
) -> Vec<Diagnostic> {
    let folded: Vec<String> = claims.iter().map(|(p, _)| p.to_lowercase()).collect();
    let mut first: HashMap<&str, usize> = HashMap::with_capacity(claims.len());
    let mut errors = Vec::new();
    let describe = Describe {
        site,
        taxonomies,
        root,
    };
    for (i, path) in folded.iter().enumerate() {
        match first.get(path.as_str()) {
            Some(&j) => errors.push(describe.collision(claims[j], claims[i], None)),
            None => {
                first.insert(path, i);
            }
        }
    }
    // A path that another needs as a folder: `members` (a file) and `members/x/index.html`.
    for (i, path) in folded.iter().enumerate() {
        if first.get(path.as_str()) != Some(&i) {
            continue;
        }
        let mut rest = path.as_str();
        while let Some((dir, _)) = rest.rsplit_once('/') {
            if let Some(&j) = first.get(dir) {
                errors.push(describe.collision(claims[j], claims[i], Some(claims[i].0)));
                break;
            }
            rest = dir;
        }
    }
    errors
}

/// Names sources of output files and points at where they are written.
struct Describe<'a> {
    site: &'a Site,
    taxonomies: &'a [Taxonomy],
    root: &'a Path,
}

impl Describe<'_> {
    /// The error for `a` and `b` on one path (or `b` below `a`, `below` being `b`'s path).
    fn collision(&self, a: Claim<'_>, b: Claim<'_>, below: Option<&str>) -> Diagnostic {
        // Point at the one a writer chose last: an alias, then a page, a term, a copied file.
        let (located, other) = if self.rank(b.1) >= self.rank(a.1) {
            (b, a)
        } else {
            (a, b)
        };
        let message = match below {
            None => format!(
                "{} and {} are both written to {}",
                self.name(located.1),
                self.name(other.1),
                a.0
            ),
            Some(path) => format!(
                "{} is written to {}, which {} needs as a folder for {path}",
                self.name(a.1),
                a.0,
                self.name(b.1)
            ),
        };
        let hint =
            "give one of them another name: rename the file, or change its `slug:`, alias or term";
        self.at(located.1, message).hint(hint)
    }

    fn rank(&self, origin: Origin<'_>) -> u8 {
        match origin {
            Origin::Planned(OutputTarget::Redirect { .. }) => 4,
            Origin::Planned(OutputTarget::Page(id) | OutputTarget::Paged { section: id, .. })
                if self.site.page(id).file.is_some() =>
            {
                3
            }
            Origin::Planned(OutputTarget::Term { .. }) => 2,
            Origin::Copied(_) => 1,
            _ => 0,
        }
    }

    fn file_of(&self, id: PageId) -> String {
        let page = self.site.page(id);
        match &page.file {
            Some(f) => format!("the page {}", f.display()),
            None if page.path.is_empty() => "the home page".to_string(),
            None => format!("the section page of content/{}/", page.source_path),
        }
    }

    fn name(&self, origin: Origin<'_>) -> String {
        match origin {
            Origin::Planned(target) => match target {
                OutputTarget::Page(id)
                | OutputTarget::Paged {
                    section: id,
                    number: 1,
                } => self.file_of(id),
                OutputTarget::Paged { section, number } => {
                    format!("listing page {number} of {}", self.file_of(section))
                }
                OutputTarget::Redirect { page, alias } => format!(
                    "the alias `{}` of {}",
                    self.site.page(page).meta.seldom().aliases[alias],
                    self.file_of(page)
                ),
                OutputTarget::TaxonomyList(t) => {
                    format!("the list of {}", self.taxonomies[t].name)
                }
                OutputTarget::Term { taxonomy, term } => format!(
                    "the {} term `{}`",
                    self.taxonomies[taxonomy].name, self.taxonomies[taxonomy].terms[term].name
                ),
                OutputTarget::NotFound => "the not-found page".into(),
                OutputTarget::Timeline { .. } => "muster's timeline page".into(),
                OutputTarget::Graph { .. } => "muster's graph page".into(),
                OutputTarget::Search { .. } => "muster's search page".into(),
                OutputTarget::Guide => "the writer's guide".into(),
            },
            Origin::Data(name) => name.to_string(),
            Origin::Copied(file) => format!(
                "the file {}",
                file.strip_prefix(self.root).unwrap_or(file).display()
            ),
        }
    }

    /// `message` placed where `origin` is written.
    fn at(&self, origin: Origin<'_>, message: String) -> Diagnostic {
        let kind = ErrorKind::Duplicate;
        match origin {
            Origin::Planned(OutputTarget::Redirect { page, alias }) => {
                let page = self.site.page(page);
                let written = page.meta.seldom().aliases[alias].as_str();
                page.diagnostic_at_value(kind, message, "aliases", Some(written))
            }
            Origin::Planned(OutputTarget::Page(id) | OutputTarget::Paged { section: id, .. }) => {
                let page = self.site.page(id);
                match page.meta.seldom().slug {
                    Some(_) => page.diagnostic_at_value(kind, message, "slug", None),
                    None => page.diagnostic_at(kind, message, 0),
                }
            }
            Origin::Planned(OutputTarget::Term { taxonomy, term }) => {
                let tax = &self.taxonomies[taxonomy];
                let term = &tax.terms[term];
                match term.pages.first() {
                    Some(&id) => self.site.page(id).diagnostic_at_value(
                        kind,
                        message,
                        &tax.name,
                        Some(&term.name),
                    ),
                    None => Diagnostic::new(kind, message),
                }
            }
            Origin::Copied(file) => Diagnostic::new(kind, message).at(
                Location::file_start(file.strip_prefix(self.root).unwrap_or(file)),
                None,
            ),
            _ => Diagnostic::new(kind, message),
        }
    }
}

/// The claims of a render plan.
pub(crate) fn planned(plan: &RenderPlan) -> impl Iterator<Item = Claim<'_>> {
    plan.outputs
        .iter()
        .map(|o| (o.path.as_str(), Origin::Planned(o.target)))
}
