//! The checks the fuzz targets in `fuzz/` run, kept here so that regression tests run
//! exactly the same code on saved inputs. Each panics if an invariant breaks.

use std::path::Path;

use crate::assets::StaticNames;
use crate::build::{self, LoadedSite};
use crate::config::SiteConfig;
use crate::markdown::{self, LinkTarget};
use crate::model::{self, page_load};
use crate::output::MemorySink;
use crate::render::Templates;
use crate::source::{self, SourceFile};
use crate::{Diagnostic, links, taxonomy};

/// Where the fuzzed page sits.
const PAGE: &str = "drills/a.md";

fn source_file(rel: &str, text: String) -> SourceFile {
    SourceFile {
        section_index: false,
        rel: rel.into(),
        file: Path::new("content").join(rel),
        text,
    }
}

fn assert_located(errors: &[Diagnostic]) {
    for e in errors {
        assert!(e.hint.is_some(), "no hint: {e}");
        assert!(e.location.is_some(), "no location: {e}");
    }
}

/// Splits and reads `data` as a page file: a page or located errors inside the file.
pub fn front_matter(config: &SiteConfig, data: &[u8]) {
    let file = Path::new("content").join(PAGE);
    let Ok(text) = source::decode(&file, data.to_vec()) else {
        return;
    };
    if let Ok(split) = source::split_front_matter(&text) {
        assert!(split.matter_offset <= split.body_offset && split.body_offset <= text.len());
        assert_eq!(&text[split.body_offset..], split.body);
    }
    let lines = text.split('\n').count();
    let (_page, errors) =
        page_load::load(config, Default::default(), None, source_file(PAGE, text));
    assert_located(&errors);
    for e in &errors {
        let loc = e.location.as_ref().expect("located");
        assert!(
            loc.line >= 1 && loc.line <= lines,
            "line {} of {lines}: {e}",
            loc.line
        );
        assert!(loc.column >= 1, "{e}");
    }
}

/// Scans `body` for links: offsets inside the body, unique heading ids, no slot left.
pub fn links(body: &str) {
    let parsed = markdown::scan(body, markdown::Settings::defaults());
    for link in &parsed.internal_links {
        assert!(link.offset <= body.len() && body.is_char_boundary(link.offset));
    }
    for (_, offset) in &parsed.external {
        assert!(*offset <= body.len());
    }
    let mut ids: Vec<&str> = parsed.headings.iter().map(|h| &*h.id).collect();
    ids.sort_unstable();
    let count = ids.len();
    ids.dedup();
    assert_eq!(ids.len(), count, "heading ids are unique");
    let resolved = parsed.html(|_| {
        Some(LinkTarget {
            url: "/target/".into(),
            title: "Target",
            file: false,
            embedded: None,
            hreflang: None,
        })
    });
    // Slots are NUL-delimited; none may survive filling.
    assert!(!resolved.contains('\0'), "a slot was left in the HTML");
    assert!(!parsed.html(|_| None).contains('\0'));
    assert!(!parsed.summary_html(|_| None).contains('\0'));
}

/// How a one-page site run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Not UTF-8.
    NotText,
    /// Refused with located errors.
    Refused,
    /// Rendered into memory.
    Rendered,
}

/// A site of one fuzzed page beside a fixed member page, with a compiled theme kept
/// between runs.
pub struct OnePageSite {
    config: SiteConfig,
    templates: Option<Templates>,
    static_names: StaticNames,
}

impl OnePageSite {
    /// Settings from `config_text`; the theme of the site at `root`.
    pub fn new(root: &Path, config_text: &str) -> OnePageSite {
        let config = SiteConfig::parse(config_text).expect("valid settings");
        let templates = Templates::load(root, &config).expect("the theme loads");
        let theme_static = root.join("themes").join(&config.theme).join("static");
        let (mut statics, errors) = source::walk(root, &theme_static);
        assert!(errors.is_empty(), "theme files: {errors:?}");
        let static_names =
            crate::assets::name_static_files(&mut statics, false).expect("theme files");
        OnePageSite {
            config,
            templates: Some(templates),
            static_names,
        }
    }

    /// The settings.
    pub fn config(&self) -> &SiteConfig {
        &self.config
    }

    /// Loads, resolves and renders the site with `data` as its page.
    pub fn run(&mut self, data: &[u8]) -> Outcome {
        let Ok(text) = source::decode(&Path::new("content").join(PAGE), data.to_vec()) else {
            return Outcome::NotText;
        };
        let member = "---\ntitle: Kazakhstan\njoined: 1992\n---\n## History\n";
        let files = vec![
            source_file(PAGE, text).into(),
            source_file("members/kazakhstan.md", member.into()).into(),
        ];
        let (site, errors) = model::load(
            &self.config,
            None,
            None,
            files,
            false,
            // Every body spilled, so that reading HTML back meets every input.
            Some(crate::markdown::HtmlSpill::new(0)),
        );
        let (graph, link_errors) =
            links::resolve(&self.config, &site, &links::Attachments::default());
        if !errors.is_empty() || !link_errors.is_empty() {
            assert_located(&errors);
            assert_located(&link_errors);
            return Outcome::Refused;
        }
        let taxonomies = taxonomy::collect(&self.config, &site);
        let mut loaded = LoadedSite {
            root: std::path::PathBuf::new(),
            config: self.config.clone(),
            site: site.into(),
            graph: graph.into(),
            template_queries: Default::default(),
            taxonomies,
            templates: self.templates.take().expect("templates are put back"),
            shortcodes: crate::shortcodes::Shortcodes::default(),
            assets: Vec::new(),
            attachments: links::Attachments::default(),
            static_files: Vec::new(),
            static_names: self.static_names.clone(),
            guide: None,
            stages: Vec::new(),
            warnings: Vec::new(),
            parses_to_keep: None,
        };
        loaded.share_with_templates();
        let result = build::render_into(&loaded, &MemorySink::default());
        self.templates = Some(loaded.templates);
        match result {
            Ok(_) => Outcome::Rendered,
            Err(errors) => {
                assert_located(&errors.0);
                Outcome::Refused
            }
        }
    }
}
