//! The slot pass: turns parser events into events with slots (see `slots.rs`), writing
//! headings with their ids, code, formulas, footnotes, embeds and links as muster wants
//! them, and gathering what later stages need (headings, links, anchors, blocks).

use std::collections::VecDeque;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Tag, TagEnd};

use super::calls::{CallTags, Piece, QueryBlock};
use super::ids::{IdScheme, UsedIds};
use super::slots::{FIRST_PARAGRAPH, FIRST_PARAGRAPH_END, MORE, slot};
use super::slotted_links::{ImageRead, OpenLink};
use super::{
    Heading, InternalLink, LocalUrl, MathError, Settings, code, context, emoji, footnotes, math,
    targets,
};

/// What a Markdown table is wrapped in: a named, focusable region that scrolls.
const TABLE_REGION: &str =
    "<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"Table\">\n";

#[derive(PartialEq, Eq)]
pub(super) enum FirstParagraph {
    NotYet,
    Inside,
    Done,
}

/// Turns parser events into events with slots, buffering each heading until
/// its text, and so its id, is known.
pub(super) struct Slotted<'a, I: Iterator<Item = (Event<'a>, std::ops::Range<usize>)>> {
    pub(super) inner: I,
    /// The text being parsed, for the delimiters of formulas.
    pub(super) body: &'a str,
    pub(super) math: math::MathRenderer,
    pub(super) math_errors: Vec<MathError>,
    pub(super) out: VecDeque<Event<'a>>,
    /// Events of the heading being read, and its text so far.
    pub(super) heading: Option<(Vec<Event<'a>>, String)>,
    pub(super) used_ids: UsedIds,
    pub(super) id_scheme: IdScheme,
    /// For each open link: its slot number if it is internal, and whether it is a bare wikilink.
    pub(super) open_links: Vec<OpenLink>,
    /// The attributes of links to other sites, if site.yaml asks for any.
    pub(super) external_attributes: Option<String>,
    /// Images are written with `loading="lazy"` (site.yaml `lazy_async_image`).
    pub(super) lazy_images: bool,
    /// `:shortcodes:` become emoji (site.yaml `emoji`).
    pub(super) emoji: bool,
    /// The colours of highlighted code, unless site.yaml turns `highlight` off.
    pub(super) highlighting: Option<code::Highlighting>,
    /// Inside a fenced code block: its info string and its text so far.
    pub(super) code: Option<(CowStr<'a>, String)>,
    /// Inside an image we write ourselves: which, and its alt text so far.
    pub(super) reading_image: Option<(ImageRead, String)>,
    pub(super) image_depth: usize,
    pub(super) seen_more: bool,
    pub(super) first_paragraph: FirstParagraph,
    pub(super) headings: Vec<Heading>,
    pub(super) links: Vec<InternalLink>,
    pub(super) external: Vec<(String, usize)>,
    pub(super) local: Vec<LocalUrl>,
    pub(super) anchors: Vec<String>,
    /// Where the heading being read starts.
    pub(super) heading_start: usize,
    pub(super) footnotes: footnotes::Footnotes<'a>,
    /// Where the paragraph or list item being read starts.
    pub(super) block_start: usize,
    pub(super) blocks: Vec<(String, std::ops::Range<usize>)>,
    /// The shortcode tags of the body, if it has any.
    pub(super) calls: Option<CallTags<'a>>,
    /// ```` ```query ```` blocks, numbered as calls after those of the tags.
    pub(super) query_blocks: Vec<QueryBlock>,
    /// How many calls the tags made.
    pub(super) call_base: usize,
    /// Where the code block being read starts, and where its text does.
    pub(super) code_at: (usize, Option<usize>),
    /// The text of the block being read, for the sentence around each link.
    pub(super) contexts: context::Contexts,
    /// Words of text so far.
    pub(super) words: usize,
}

impl<'a, I: Iterator<Item = (Event<'a>, std::ops::Range<usize>)>> Slotted<'a, I> {
    /// The pass over `inner`, events of `body`, with `settings`.
    pub(super) fn new(inner: I, body: &'a str, settings: Settings) -> Slotted<'a, I> {
        Slotted {
            inner,
            body,
            math: math::MathRenderer::new(),
            math_errors: Vec::new(),
            out: VecDeque::new(),
            heading: None,
            used_ids: UsedIds::default(),
            id_scheme: settings.ids,
            open_links: Vec::new(),
            external_attributes: settings.markdown.external_link_attributes(),
            lazy_images: settings.markdown.lazy_async_image,
            highlighting: settings.markdown.highlighting(),
            emoji: settings.markdown.emoji,
            code: None,
            reading_image: None,
            image_depth: 0,
            seen_more: false,
            first_paragraph: FirstParagraph::NotYet,
            headings: Vec::new(),
            links: Vec::new(),
            external: Vec::new(),
            local: Vec::new(),
            anchors: Vec::new(),
            heading_start: 0,
            block_start: 0,
            footnotes: footnotes::Footnotes::default(),
            blocks: Vec::new(),
            calls: None,
            query_blocks: Vec::new(),
            call_base: 0,
            code_at: (0, None),
            contexts: context::Contexts::default(),
            words: 0,
        }
    }
}

impl<'a, I: Iterator<Item = (Event<'a>, std::ops::Range<usize>)>> Iterator for Slotted<'a, I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        loop {
            if let Some(e) = self.out.pop_front() {
                return Some(e);
            }
            match self.inner.next() {
                Some((event, range)) => self.handle(event, range.start),
                None => {
                    self.contexts.block_boundary(&mut self.links);
                    // An unterminated heading cannot happen, but nothing may be lost if it did.
                    if let Some((events, _)) = self.heading.take() {
                        self.out.extend(events);
                        continue;
                    }
                    let notes = self.footnotes.finish();
                    if notes.is_empty() {
                        return None;
                    }
                    self.out.extend(notes);
                }
            }
        }
    }
}

impl<'a, I: Iterator<Item = (Event<'a>, std::ops::Range<usize>)>> Slotted<'a, I> {
    pub(super) fn emit(&mut self, event: Event<'a>) {
        match &mut self.heading {
            Some((events, _)) => events.push(event),
            None => self.put(event),
        }
    }

    /// Sends `event` out, or to the footnote being read.
    fn put(&mut self, event: Event<'a>) {
        if self.footnotes.is_reading() {
            self.footnotes.keep(event);
        } else {
            self.out.push_back(event);
        }
    }

    fn handle(&mut self, event: Event<'a>, offset: usize) {
        if self.reading_image.is_some() {
            self.image_event(&event);
            return;
        }
        if self.code.is_some() || matches!(event, Event::Start(Tag::CodeBlock(_))) {
            self.code_event(event, offset);
            return;
        }
        match event {
            Event::Start(Tag::Heading { .. }) if self.heading.is_none() => {
                self.heading = Some((vec![event], String::new()));
                self.heading_start = offset;
            }
            Event::End(TagEnd::Heading(level)) if self.heading.is_some() => {
                self.end_heading(event, level);
            }
            // A wide table scrolls sideways in a region keyboard users can reach.
            Event::Start(Tag::Table(_)) => {
                self.emit(Event::Html(CowStr::Borrowed(TABLE_REGION)));
                self.emit(event);
            }
            Event::End(TagEnd::Table) => {
                self.emit(event);
                self.emit(Event::Html(CowStr::Borrowed("</div>\n")));
            }
            Event::Text(t) => self.text_with_calls(t, offset),
            Event::Code(t) => {
                let t = self.restore(t);
                if let Some((_, title)) = &mut self.heading {
                    title.push_str(&t);
                } else {
                    self.contexts.text(&t);
                }
                self.emit(Event::Code(t));
            }
            Event::Html(h) => {
                let h = self.slots_in_html(h);
                self.raw_html(Event::Html(h));
            }
            Event::InlineHtml(h) => {
                let h = self.slots_in_html(h);
                self.raw_html(Event::InlineHtml(h));
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                self.anchors.push(label.to_string());
                self.footnotes.start(&label);
            }
            Event::End(TagEnd::FootnoteDefinition) => self.footnotes.end(),
            Event::FootnoteReference(label) => {
                let reference = self.footnotes.reference(&label);
                self.emit(reference);
            }
            Event::InlineMath(latex) => {
                let latex = self.restore(latex);
                let html = self.formula(&latex, false, offset);
                self.emit(Event::InlineHtml(html.into()));
            }
            Event::DisplayMath(latex) => {
                let latex = self.restore(latex);
                let html = self.formula(&latex, true, offset);
                self.emit(Event::Html(html.into()));
            }
            Event::Start(Tag::Image { .. }) => self.start_image(event, offset),
            Event::End(TagEnd::Image) => {
                self.image_depth = self.image_depth.saturating_sub(1);
                self.emit(event);
            }
            Event::Start(Tag::Link { .. }) => self.start_link(event, offset),
            Event::End(TagEnd::Link) => self.end_link(event),
            Event::SoftBreak | Event::HardBreak => {
                self.contexts.text(" ");
                self.emit(event);
            }
            Event::Start(Tag::TableCell) | Event::End(TagEnd::Item | TagEnd::TableCell) => {
                self.contexts.block_boundary(&mut self.links);
                self.emit(event);
            }
            Event::Start(Tag::Paragraph | Tag::Item) => {
                self.contexts.block_boundary(&mut self.links);
                self.block_start = offset;
                if matches!(event, Event::Start(Tag::Paragraph))
                    && self.first_paragraph == FirstParagraph::NotYet
                {
                    self.first_paragraph = FirstParagraph::Inside;
                    self.emit(slot(FIRST_PARAGRAPH, None));
                }
                self.emit(event);
            }
            Event::End(TagEnd::Paragraph) if self.first_paragraph == FirstParagraph::Inside => {
                self.contexts.block_boundary(&mut self.links);
                self.first_paragraph = FirstParagraph::Done;
                self.emit(event);
                self.emit(slot(FIRST_PARAGRAPH_END, None));
            }
            Event::End(TagEnd::Paragraph) => {
                self.contexts.block_boundary(&mut self.links);
                self.emit(event);
            }
            _ => self.emit(event),
        }
    }

    /// Text outside code, cut where shortcode placeholders stand into text and slots.
    fn text_with_calls(&mut self, t: CowStr<'a>, offset: usize) {
        let Some(calls) = self
            .calls
            .as_mut()
            .filter(|_| t.contains(crate::shortcodes::PLACEHOLDER_START))
        else {
            return self.text(t, offset);
        };
        for piece in calls.split(&t) {
            match piece {
                Piece::Text(text) => self.text(CowStr::from(text.to_string()), offset),
                Piece::Slot(slot) => self.emit(Event::InlineHtml(slot.into())),
            }
        }
    }

    /// Raw HTML: its ids are anchors; `<!-- more -->` ends the summary.
    fn raw_html(&mut self, event: Event<'a>) {
        let (Event::Html(h) | Event::InlineHtml(h)) = &event else {
            return;
        };
        self.anchors.extend(targets::html_ids(h));
        if !self.seen_more && is_more_marker(h) {
            self.seen_more = true;
            self.emit(slot(MORE, None));
        } else {
            self.emit(event);
        }
    }

    /// Raw HTML with its shortcode placeholders made slots.
    fn slots_in_html(&mut self, html: CowStr<'a>) -> CowStr<'a> {
        match &mut self.calls {
            Some(calls) => calls.in_html(html),
            None => html,
        }
    }

    /// Text inside code or a formula, with shortcode tags put back as written.
    pub(super) fn restore(&self, text: CowStr<'a>) -> CowStr<'a> {
        match &self.calls {
            Some(calls) => calls.restore(text),
            None => text,
        }
    }

    /// Text outside code: emoji if asked for, a heading's title, Obsidian's `… ^a1b2`
    /// block ids (an anchor, not text).
    fn text(&mut self, t: CowStr<'a>, offset: usize) {
        self.words += crate::text::count_words(&t);
        let t = if self.emoji && self.image_depth == 0 {
            match emoji::replace(&t) {
                std::borrow::Cow::Owned(replaced) => CowStr::from(replaced),
                std::borrow::Cow::Borrowed(_) => t,
            }
        } else {
            t
        };
        if let Some((_, title)) = &mut self.heading {
            title.push_str(&t);
        } else if self.image_depth == 0
            && let Some((before, id)) = targets::block_id(&t)
        {
            let (before, id) = (before.to_string(), id.to_string());
            self.anchors.push(format!("^{id}"));
            self.blocks
                .push((id.clone(), self.block_start..offset + t.len()));
            self.contexts.text(&before);
            self.emit(Event::Text(CowStr::from(before)));
            self.emit(Event::InlineHtml(targets::block_anchor(&id)));
            return;
        }
        if self.image_depth == 0 {
            self.contexts.text(&t);
        }
        self.emit(Event::Text(t));
    }

    /// The end of a heading: its id is known now; written with its `#` link.
    fn end_heading(&mut self, end: Event<'a>, level: HeadingLevel) {
        let Some((mut events, title)) = self.heading.take() else {
            return;
        };
        events.push(end);
        let heading = finish_heading(
            &mut events[0],
            level,
            title,
            &mut self.used_ids,
            self.id_scheme,
        );
        let heading = Heading {
            offset: self.heading_start,
            ..heading
        };
        // A `#` link to the heading, shown on hover by the theme; hidden from
        // assistive technology, which has the heading itself (as GitHub does).
        let anchor = format!(
            "<a class=\"heading-anchor\" href=\"#{}\" aria-hidden=\"true\" tabindex=\"-1\"></a>",
            heading.id
        );
        let end = events.len() - 1;
        events.insert(end, Event::InlineHtml(CowStr::from(anchor)));
        self.headings.push(heading);
        events.into_iter().for_each(|e| self.put(e));
    }
}

fn is_more_marker(html: &str) -> bool {
    html.trim()
        .strip_prefix("<!--")
        .and_then(|s| s.strip_suffix("-->"))
        .is_some_and(|s| s.trim() == "more")
}

fn finish_heading(
    start: &mut Event<'_>,
    level: HeadingLevel,
    title: String,
    used: &mut UsedIds,
    scheme: IdScheme,
) -> Heading {
    let title = title.trim().to_string();
    let Event::Start(Tag::Heading { id, .. }) = start else {
        unreachable!("heading start recorded at a non-heading event")
    };
    // `{#id}` wins over the scheme.
    let base = match id {
        Some(explicit) => explicit.to_string(),
        None => scheme.id(&title),
    };
    let unique = used.unique(base);
    *id = Some(CowStr::from(unique.clone()));
    Heading {
        level: level as u8,
        id: unique.into_boxed_str(),
        title: title.into_boxed_str(),
        offset: 0,
    }
}
