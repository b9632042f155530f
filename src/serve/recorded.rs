//! What every output read when it last rendered, as the render stage recorded it:
//! `serve` re-renders an output when one of its reads changed, and no other.

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::render::Templates;
use crate::render::reads::{Read, Reads};

/// The recorded reads of every planned output of the last good build.
#[derive(Debug, Default)]
pub(crate) struct OutputReads {
    /// Per planned output, by its number in the plan.
    per_output: Vec<Reads>,
    /// What the site-wide values read: every output shows them.
    site: Reads,
    /// Per read: the outputs that read it, now or before (an output rendered again
    /// adds its new reads and keeps its old entries, which `affected` checks against
    /// `per_output`): an edit looks at the outputs that may have read it, not at all.
    readers: rustc_hash::FxHashMap<Read, Vec<u32>>,
    /// Entries in `readers`, repeats and old ones included.
    entries: usize,
    /// A kind of read left out of every decision, to show that the equivalence
    /// test notices a dependency dropped.
    ignored: Option<&'static str>,
}

impl OutputReads {
    /// Keeps what a full render of `outputs` planned outputs recorded; reads of kind
    /// `ignored` are left out of decisions (see [`OutputReads::ignore`]).
    pub(crate) fn new(
        outputs: usize,
        report: crate::render::RenderReport,
        ignored: Option<&'static str>,
    ) -> OutputReads {
        let mut reads = OutputReads {
            per_output: vec![Reads::default(); outputs],
            site: Reads::default(),
            readers: Default::default(),
            entries: 0,
            ignored,
        };
        reads.update(report);
        reads
    }

    /// Replaces the reads of the outputs `report` rendered again.
    pub(crate) fn update(&mut self, report: crate::render::RenderReport) {
        for (n, reads) in report.reads {
            // Mostly an output reads what it read before: its entries stand.
            if reads != self.per_output[n] {
                self.index(n, &reads);
                self.per_output[n] = reads;
            }
        }
        // Old entries pile up as outputs render again: past twice what the outputs
        // read now, the index is made again from them.
        let current: usize = self.per_output.iter().map(Reads::len).sum();
        if self.entries > 2 * current + 1024 {
            self.readers.clear();
            self.entries = 0;
            for n in 0..self.per_output.len() {
                let reads = std::mem::take(&mut self.per_output[n]);
                self.index(n, &reads);
                self.per_output[n] = reads;
            }
        }
        self.site = report.site_reads;
    }

    /// Lists output `n` among the readers of each of `reads`.
    fn index(&mut self, n: usize, reads: &Reads) {
        let n = u32::try_from(n).expect("fewer than 4 billion outputs");
        for read in reads.iter() {
            self.readers.entry(read.clone()).or_default().push(n);
        }
        self.entries += reads.len();
    }

    /// `changed` without the reads left out by [`OutputReads::ignore`].
    pub(crate) fn considered(&self, changed: HashSet<Read>) -> HashSet<Read> {
        match self.ignored {
            Some(kind) => changed.into_iter().filter(|r| r.kind() != kind).collect(),
            None => changed,
        }
    }

    /// The outputs that read something among `changed`.
    pub(crate) fn affected(&self, changed: &HashSet<Read>) -> BTreeSet<usize> {
        if self.site.touches(changed) {
            return (0..self.per_output.len()).collect();
        }
        changed
            .iter()
            .filter_map(|read| self.readers.get(read))
            .flatten()
            .map(|&n| n as usize)
            .filter(|&n| self.per_output[n].touches(changed))
            .collect()
    }

    /// Leaves reads of `kind` (see [`Read::kind`]) out of every decision from now on.
    pub(crate) fn ignore(&mut self, kind: &'static str) {
        self.ignored = Some(kind);
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
