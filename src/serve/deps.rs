//! Which outputs read what: pages, their short forms, templates. `serve` uses it
//! to re-render only the outputs a change touched.

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::links::{LinkGraph, Relation};
use crate::model::{PageId, Site};
use crate::render::{OutputTarget, RenderPlan, Templates};
use crate::taxonomy::Taxonomy;

/// Planned outputs indexed by the page or term they show and the template they use.
#[derive(Debug, Default)]
pub(crate) struct OutputIndex {
    /// Per page: its own outputs (the page, its listing pages, its redirects).
    pub of_page: Vec<Vec<usize>>,
    /// Per `(taxonomy, term)`: the term's output.
    pub of_term: HashMap<(usize, usize), usize>,
    /// Per template name: the outputs rendered with it.
    pub of_template: HashMap<String, Vec<usize>>,
    /// The timeline, which shows the short form of every dated page.
    pub timeline: Option<usize>,
}

impl OutputIndex {
    /// Indexes `plan` for a site of `pages` pages.
    pub(crate) fn new(plan: &RenderPlan, pages: usize) -> OutputIndex {
        let mut index = OutputIndex {
            of_page: vec![Vec::new(); pages],
            ..OutputIndex::default()
        };
        for (i, output) in plan.outputs.iter().enumerate() {
            match output.target {
                OutputTarget::Page(id)
                | OutputTarget::Paged { section: id, .. }
                | OutputTarget::Redirect { page: id, .. } => index.of_page[id.0].push(i),
                OutputTarget::Term { taxonomy, term } => {
                    index.of_term.insert((taxonomy, term), i);
                }
                OutputTarget::Timeline => index.timeline = Some(i),
                OutputTarget::TaxonomyList(_)
                | OutputTarget::NotFound
                | OutputTarget::Graph
                | OutputTarget::Search
                | OutputTarget::Guide => {}
            }
            index
                .of_template
                .entry(output.template.clone())
                .or_default()
                .push(i);
        }
        index
    }

    /// The outputs of the pages that embed page `id`, through any chain of embeds: they
    /// show its body.
    pub(crate) fn embedders_of(&self, graph: &LinkGraph, id: PageId) -> BTreeSet<usize> {
        let mut outputs = BTreeSet::new();
        let mut queue = vec![id];
        let mut seen = HashSet::from([id]);
        while let Some(p) = queue.pop() {
            for &e in &graph.incoming[p.0] {
                let edge = &graph.edges[e];
                if edge.relation == Relation::Embed && seen.insert(edge.from) {
                    outputs.extend(self.of_page[edge.from.0].iter().copied());
                    queue.push(edge.from);
                }
            }
        }
        outputs
    }

    /// The outputs that show the short form (title, URL, summary) of regular page `id`:
    /// its section's listings, its terms, the pages it relates to in either direction,
    /// and the timeline.
    pub(crate) fn readers_of_summary(
        &self,
        site: &Site,
        graph: &LinkGraph,
        taxonomies: &[Taxonomy],
        id: PageId,
    ) -> BTreeSet<usize> {
        let page = site.page(id);
        let mut readers: BTreeSet<usize> = self.timeline.into_iter().collect();
        let mut add_page = |p: PageId| readers.extend(self.of_page[p.0].iter().copied());
        if let Some(section) = site.section_of(page) {
            add_page(section);
        }
        for edge in &graph.edges {
            if edge.from == id {
                add_page(edge.to);
            }
        }
        for &e in &graph.incoming[id.0] {
            add_page(graph.edges[e].from);
        }

        for (t, tax) in taxonomies.iter().enumerate() {
            let Some(written) = page.meta.taxonomies.get(&tax.name) else {
                continue;
            };
            for term in written.iter().filter_map(|w| tax.by_written.get(w)) {
                readers.extend(self.of_term.get(&(t, *term)).copied());
            }
        }
        readers
    }
}

/// The templates that use any of `changed`, directly or through `extends`,
/// `include` or `import`, with `changed` themselves.
pub(crate) fn templates_using(templates: &Templates, changed: &HashSet<String>) -> HashSet<String> {
    // Who uses whom, read from each template's tags.
    let mut users: HashMap<String, Vec<&str>> = HashMap::new();
    for (name, (_, source)) in &templates.sources {
        for used in referenced_templates(source) {
            users.entry(used).or_default().push(name);
        }
    }
    let mut affected = changed.clone();
    let mut queue: Vec<String> = changed.iter().cloned().collect();
    while let Some(name) = queue.pop() {
        for user in users.get(&name).into_iter().flatten() {
            if affected.insert(user.to_string()) {
                queue.push(user.to_string());
            }
        }
    }
    affected
}

/// Template names named in `{% extends %}`, `{% include %}` and `{% import %}` tags.
pub(crate) fn referenced_templates(source: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = source;
    while let Some(start) = rest.find("{%") {
        let after = &rest[start + 2..];
        let end = after.find("%}").unwrap_or(after.len());
        let tag = after[..end].trim_start_matches('-').trim();
        rest = &after[end..];
        let Some(keyword) = tag.split_whitespace().next() else {
            continue;
        };
        if !matches!(keyword, "extends" | "include" | "import") {
            continue;
        }
        // Every quoted string in the tag: `include ["a.html", "b.html"]` names several.
        let mut quoted = tag[keyword.len()..].split(['"', '\'']);
        quoted.next();
        while let Some(name) = quoted.next() {
            if !name.is_empty() {
                names.push(name.to_string());
            }
            quoted.next();
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_template_references() {
        let source = r#"{% extends "base.html" %}{%- include 'partials/toc.html' -%}
{% import "macros.html" as m %}{% if x %}"not.html"{% endif %}{% block a %}{% endblock %}"#;
        assert_eq!(
            referenced_templates(source),
            ["base.html", "partials/toc.html", "macros.html"]
        );
    }

    #[test]
    fn unterminated_tag_is_harmless() {
        assert_eq!(referenced_templates("{% include \"a.html"), ["a.html"]);
        assert!(referenced_templates("{%").is_empty());
    }
}
