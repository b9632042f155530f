//! The graph page of a language: the drawing of its pages, its legend and the table
//! of its relations, named in the language drawn.

use tera::Value;

use super::graph::{self, GraphNames, Mark};
use super::reads::{Read, Recorder};
use super::values::{PageValues, object};
use super::{RenderInput, relations};
use crate::links::Relation;
use crate::model::PageId;

/// The names of a language's graph: labels of its kinds and fields, and theme words.
struct LanguageNames<'a> {
    input: &'a RenderInput<'a>,
    values: &'a PageValues<'a>,
    lang: Option<&'a str>,
}

impl LanguageNames<'_> {
    /// The theme word `key` in the language drawn, else `fallback` (a theme without it).
    fn word(&self, key: &str, args: &[(&str, String)], fallback: String) -> String {
        let code = self.input.config.language_code(self.lang);
        self.input
            .templates
            .strings
            .say(code, key, args)
            .unwrap_or(fallback)
    }
}

impl GraphNames for LanguageNames<'_> {
    fn url(&self, id: PageId) -> String {
        self.values.targets.url(id).to_string()
    }

    fn kind_label(&self, kind: &str) -> String {
        super::labels::kind_label_in(self.input.config, self.lang, kind).to_string()
    }

    fn relation_name(&self, from: PageId, relation: &Relation) -> String {
        match relation {
            Relation::Link { .. } => self.word("relation_link", &[], "link".into()),
            Relation::Embed => self.word("relation_embed", &[], "embed".into()),
            Relation::Ref { .. } => {
                relations::relation_name(self.input.config, self.input.site, from, relation)
                    .to_string()
            }
        }
    }

    fn mark(&self, kind: Option<&str>) -> Mark {
        Mark::of_kind(self.input.config, kind)
    }

    fn title(&self, pages: usize, relations: usize) -> String {
        let args = [
            ("pages", pages.to_string()),
            ("relations", relations.to_string()),
        ];
        let fallback = format!("Knowledge graph: {pages} pages, {relations} relations");
        self.word("graph_title", &args, fallback)
    }

    fn other_pages(&self) -> String {
        self.word("other_pages", &[], "Other pages".into())
    }
}

/// The graph page's value for language `lang`: the drawing, its legend (kind, label,
/// colour, mark as SVG), the table of its relations and the URL of its data.
pub(crate) fn graph_value(
    input: &RenderInput<'_>,
    values: &PageValues<'_>,
    lang: Option<&str>,
    recorder: &Recorder,
) -> Value {
    // The graph draws every page of its language by its title, kind and URL.
    for (id, page) in input.site.iter() {
        if page.written_in(lang) {
            recorder.read(Read::Facts(id));
        }
    }
    let names = LanguageNames {
        input,
        values,
        lang,
    };
    // Laid out once for every language (`values.graph_layout`), whichever graph comes first.
    let base = values
        .graph_layout
        .get_or_init(|| graph::GraphLayout::of_default(input.site, input.graph));
    let drawing = graph::draw(input.site, lang, input.graph, &names, base);
    let legend: Vec<Value> = drawing
        .legend
        .iter()
        .map(|(kind, label, mark)| {
            object([
                ("kind", kind.as_str().into()),
                ("label", label.as_str().into()),
                ("colour", mark.colour.into()),
                ("mark", Value::safe_string(&mark.svg(8.0, 8.0, 6.0))),
            ])
        })
        .collect();
    let page = |id: PageId| {
        object([
            ("title", input.site.page(id).meta.title.as_str().into()),
            ("url", values.targets.url(id).into()),
        ])
    };
    let relations: Vec<Value> = drawing
        .relations
        .iter()
        .map(|(from, name, to)| {
            object([
                ("from", page(*from)),
                ("relation", name.as_str().into()),
                ("to", page(*to)),
            ])
        })
        .collect();
    let json = crate::model::in_language_folder(input.config, lang, "graph.json");
    object([
        ("svg", Value::safe_string(&drawing.svg)),
        ("shown", drawing.shown.into()),
        ("total", drawing.total.into()),
        ("legend", legend.into()),
        ("relations", relations.into()),
        ("json_url", input.urls.file(&json).into()),
    ])
}
