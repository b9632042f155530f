//! Markdown: one pass of pulldown-cmark per page renders the body to HTML in
//! which internal links are numbered slots (see `slots.rs`); once links are resolved,
//! the slots are filled in without parsing again.

use pulldown_cmark::Parser;
use serde::Serialize;

mod callouts;
mod calls;
mod code;
mod context;
mod embeds;
mod emoji;
mod fences;
mod fill;
mod footnotes;
pub(crate) use footnotes::REFERENCE_START as FOOTNOTE_REFERENCE_START;
mod ids;
mod links;
mod marks;
mod math;
mod offsets;
mod settings;
mod slots;
mod slotted;
mod slotted_code;
mod slotted_links;
mod spill;
mod targets;

pub(crate) use code::stylesheet as code_stylesheet;
pub(crate) use math::MathError;
pub(crate) use settings::MarkdownConfig;
pub(crate) use settings::Settings;

pub(crate) use embeds::{part as embedded_part, shown_elsewhere};
pub(crate) use fill::CallOutput;
pub(crate) use ids::IdScheme;
pub(crate) use links::{Embed, InternalLink, LinkSyntax, LinkTarget, is_web_url};
pub(crate) use spill::{BodyHtml, HtmlSpill, IN_MEMORY as HTML_IN_MEMORY};
pub(crate) use targets::{LocalUrl, is_embeddable, is_image, rebase};

use slots::summary_range;

/// A heading of a page, with its stable anchor id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub(crate) struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// The anchor id, unique within the page. Boxed strings: a site has several
    /// headings a page, and a `String`'s capacity is room no heading uses.
    pub id: Box<str>,
    /// The heading's plain text.
    pub title: Box<str>,
    /// Byte offset of the heading in the body: its section runs to the next heading of
    /// its level or above.
    pub offset: usize,
}

/// A page body parsed once: HTML with link slots, its headings and internal links.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
pub(crate) struct ParsedBody {
    /// HTML in which internal links are slots (see the module docs). Not in the serialized
    /// form: the parse cache keeps it after the rest (`ParsedBody::html_bytes`).
    #[serde(skip)]
    html: BodyHtml,
    /// Where the summary is in `html`: before `<!-- more -->`, or else the first paragraph.
    summary: Option<std::ops::Range<usize>>,
    /// Headings in document order.
    pub headings: Vec<Heading>,
    /// Internal links in document order; slot numbers index this.
    pub internal_links: Vec<InternalLink>,
    /// `http(s)://` links and images, as (URL, byte offset in the body), for
    /// `muster check --external`.
    pub external: Vec<(String, usize)>,
    /// Links and images to paths of this site (`pic.png`, `/blog/x/`), in document order.
    pub local: Vec<LocalUrl>,
    /// Targets of `#fragment` links besides the headings: ids in raw HTML, footnotes,
    /// block ids (`^a1b2`).
    pub anchors: Vec<String>,
    /// Formulas that do not parse, in document order.
    pub math_errors: Vec<MathError>,
    /// Obsidian block ids (`^a1b2`, without `^`) and the byte range of their block in the
    /// body, for embeds of one block.
    pub blocks: Vec<(String, std::ops::Range<usize>)>,
    /// Shortcode calls, numbered as their slots; those inside code are not `live`.
    pub calls: Vec<crate::shortcodes::Call>,
    /// The pages this body includes (`{{ include(path=…) }}`), by path under `content/`.
    pub included: Vec<String>,
    /// How many words its text has (code left out), for a reading time.
    pub words: usize,
}

impl ParsedBody {
    /// Moves the HTML into `spill` once the spill's memory budget is spent: the body is
    /// complete, and rendering reads the HTML back.
    pub(crate) fn spill_html(&mut self, spill: &std::sync::Arc<HtmlSpill>) {
        self.html.spill_into(spill);
    }

    /// The HTML's bytes, which the serialized form leaves out.
    pub(crate) fn html_bytes(&self) -> std::borrow::Cow<'_, str> {
        self.html.text()
    }

    /// Whether its HTML waits in the build cache's file.
    #[cfg(test)]
    pub(crate) fn html_is_kept(&self) -> bool {
        matches!(
            self.html,
            BodyHtml::Spilled {
                at: spill::At::Kept(_),
                ..
            }
        )
    }

    /// The body with `html` as its HTML: one read back from its serialized form.
    pub(crate) fn with_html(self, html: BodyHtml) -> ParsedBody {
        ParsedBody { html, ..self }
    }

    /// Lets go of what only rendering reads (the HTML, the sentences links stand in),
    /// keeping what the body links to and names: for `muster lsp`, which renders nothing
    /// from the pages it keeps.
    #[cfg(feature = "lsp")]
    pub(crate) fn drop_rendering(&mut self) {
        self.html = BodyHtml::default();
        self.summary = None;
        for link in &mut self.internal_links {
            link.context = None;
        }
    }
}

/// Parses `body` once into HTML with link slots, assigning heading ids and
/// collecting internal links.
pub(crate) fn scan(body: &str, settings: Settings<'_>) -> ParsedBody {
    // Pages come through `source::decode`, which already did this; other callers may not have.
    let cleaned = offsets::cleaned(body);
    let (body, cleaning) = match &cleaned {
        Some((text, map)) => (text.as_str(), Some(map)),
        None => (body, None),
    };
    let extracted = crate::shortcodes::may_have_tags(body)
        .then(|| crate::shortcodes::extract(body, settings.shortcodes, settings.includes.as_ref()));
    let text = extracted.as_ref().map_or(body, |e| e.text.as_str());
    let inner = callouts::Callouts::new(marks::Marks::new(
        pulldown_cmark::TextMergeWithOffset::new(
            Parser::new_ext(text, settings.options()).into_offset_iter(),
        ),
        settings.markdown.autolinks,
    ));
    let mut slotted = slotted::Slotted::new(inner, text, settings);
    slotted.calls = extracted.as_ref().map(|e| calls::CallTags {
        placed: &e.placed,
        live: vec![false; e.calls.len()],
    });
    slotted.call_base = extracted.as_ref().map_or(0, |e| e.calls.len());
    let mut html = String::with_capacity(text.len() + text.len() / 4);
    pulldown_cmark::html::push_html(&mut html, slotted.by_ref());
    html.shrink_to_fit();
    let summary = summary_range(&html);
    let live = slotted.calls.take().map(|c| c.live).unwrap_or_default();
    let query_blocks = std::mem::take(&mut slotted.query_blocks);
    let mut parsed = ParsedBody {
        html: BodyHtml::Held(html),
        summary,
        headings: slotted.headings,
        internal_links: slotted.links,
        external: slotted.external,
        local: slotted.local,
        anchors: slotted.anchors,
        math_errors: slotted.math_errors,
        blocks: slotted.blocks,
        calls: Vec::new(),
        included: Vec::new(),
        words: slotted.words,
    };
    let mut extracted = extracted;
    let extract_map = offsets::OffsetMap::new(
        extracted
            .as_mut()
            .map(|e| std::mem::take(&mut e.edits))
            .unwrap_or_default(),
    );
    parsed.map_offsets(&extract_map);
    if let Some(extracted) = extracted {
        parsed.included = extracted.included;
        parsed.calls = extracted.calls;
        for (call, live) in parsed.calls.iter_mut().zip(live) {
            call.live = live;
        }
        parsed.link_page_args();
    }
    parsed.calls.extend(query_blocks.into_iter().map(|q| {
        crate::shortcodes::Call::query_block(
            q.text,
            extract_map.map(q.offset),
            extract_map.map(q.text_offset),
        )
    }));
    if let Some(map) = cleaning {
        parsed.map_offsets(map);
    }
    parsed.shrink_to_fit();
    parsed
}

impl ParsedBody {
    /// Gives back the room its lists grew into: a body is kept until it is rendered, and
    /// at 100,000 pages their spare room is tens of megabytes.
    fn shrink_to_fit(&mut self) {
        self.headings.shrink_to_fit();
        self.internal_links.shrink_to_fit();
        self.external.shrink_to_fit();
        self.local.shrink_to_fit();
        self.anchors.shrink_to_fit();
        self.math_errors.shrink_to_fit();
        self.blocks.shrink_to_fit();
        self.calls.shrink_to_fit();
        self.included.shrink_to_fit();
    }

    /// The text of the `# ` heading the body starts with, if it does: a page without a
    /// title takes it (as Obsidian, Quartz and plain blogs show one).
    pub(crate) fn leading_title(&self) -> Option<&str> {
        let first = self.headings.first().filter(|h| h.level == 1)?;
        self.html.starts_with("<h1").then_some(&*first.title)
    }

    /// Drops the leading `# ` heading that became the page's title, which the page's
    /// template shows already; an empty element keeps its id, so links to it still land.
    pub(crate) fn drop_leading_title(&mut self) {
        if self.leading_title().is_none() {
            return;
        }
        let html = self.html.held_mut();
        let (Some(first), Some(end)) = (self.headings.first(), html.find("</h1>")) else {
            return;
        };
        let end = end + "</h1>".len();
        let end = end + usize::from(html[end..].starts_with('\n'));
        let anchor = format!("<span id=\"{}\"></span>\n", first.id);
        html.replace_range(..end, &anchor);
        self.summary = summary_range(html);
    }

    /// The internal links of the `page` arguments of live shortcode calls (after the
    /// links of the text, which slots number).
    fn link_page_args(&mut self) {
        for call in self.calls.iter_mut().filter(|c| c.live) {
            for &arg in &call.page_args {
                let arg = &call.args[arg];
                let crate::shortcodes::ArgValue::Str(target) = &arg.value else {
                    continue;
                };
                let kind = pulldown_cmark::LinkType::WikiLink { has_pothole: true };
                if let Some(link) = links::internal_link(kind, target, "", arg.offset) {
                    call.page_links.push(self.internal_links.len());
                    self.internal_links.push(link);
                }
            }
        }
    }

    /// Moves offsets found in a text made from the body back to the body.
    fn map_offsets(&mut self, map: &offsets::OffsetMap) {
        if map.is_identity() {
            return;
        }
        let map = |offset: usize| map.map(offset);
        for link in &mut self.internal_links {
            link.offset = map(link.offset);
        }
        for (_, offset) in &mut self.external {
            *offset = map(*offset);
        }
        for local in &mut self.local {
            local.offset = map(local.offset);
        }
        for error in &mut self.math_errors {
            error.offset = map(error.offset);
        }
        for heading in &mut self.headings {
            heading.offset = map(heading.offset);
        }
        for (_, range) in &mut self.blocks {
            *range = map(range.start)..map(range.end);
        }
        for call in &mut self.calls {
            call.offset = map(call.offset);
            for arg in &mut call.args {
                arg.offset = map(arg.offset);
            }
            for problem in &mut call.problems {
                problem.offset = map(problem.offset);
            }
        }
    }
}

#[cfg(test)]
mod tests;
