//! The slot pass's links and images: internal links become slots, links to other sites
//! take site.yaml's attributes, embeds and lazy images are written by us.

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

use super::links::internal_link;
use super::slots::{CLOSE, EMBED, OPEN, TEXT_END, TEXT_START, slot};
use super::slotted::Slotted;
use super::{Embed, LocalUrl, is_web_url, targets};

impl<'a, I: Iterator<Item = (Event<'a>, std::ops::Range<usize>)>> Slotted<'a, I> {
    /// An image starts: an embed (`![[x]]`) or a lazy image is read to its end and
    /// written by us; others go to the HTML writer.
    pub(super) fn start_image(&mut self, event: Event<'a>, offset: usize) {
        let Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            ..
        }) = &event
        else {
            return;
        };
        if matches!(link_type, LinkType::WikiLink { .. }) && self.image_depth == 0 {
            if let Some(link) = internal_link(*link_type, dest_url, title, offset) {
                self.reading_image = Some((ImageRead::Embed(self.links.len()), String::new()));
                self.links.push(link);
            } else {
                self.emit(event);
            }
            return;
        }
        self.record_destination(dest_url, offset, true);
        if self.lazy_images && self.image_depth == 0 {
            let read = ImageRead::Lazy {
                src: dest_url.to_string(),
                title: title.to_string(),
            };
            self.reading_image = Some((read, String::new()));
            return;
        }
        self.image_depth += 1;
        self.emit(event);
    }

    /// A link starts: internal links become slots; others are recorded for checking.
    pub(super) fn start_link(&mut self, event: Event<'a>, offset: usize) {
        let Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            ..
        }) = &event
        else {
            return;
        };
        // Links inside image descriptions end up as plain alt text.
        let internal = (self.image_depth == 0)
            .then(|| internal_link(*link_type, dest_url, title, offset))
            .flatten();
        let Some(link) = internal else {
            self.record_destination(dest_url, offset, false);
            match &self.external_attributes {
                Some(attributes) if self.image_depth == 0 && is_web_url(dest_url) => {
                    let open = external_link(dest_url, title, attributes);
                    self.open_links.push(OpenLink::Written);
                    self.emit(Event::InlineHtml(CowStr::from(open)));
                }
                _ => {
                    self.open_links.push(OpenLink::Plain);
                    self.emit(event);
                }
            }
            return;
        };
        let n = self.links.len();
        let bare = link.bare_wikilink;
        self.links.push(link);
        self.contexts.link_start(n);
        self.open_links.push(OpenLink::Internal { n, bare });
        self.emit(slot(OPEN, Some(n)));
        if bare {
            self.emit(slot(TEXT_START, Some(n)));
        }
    }

    /// Records where a link or image goes, for the checks: another site, or a path of
    /// this one (not for links inside an image's description, which become alt text).
    fn record_destination(&mut self, dest: &str, offset: usize, image: bool) {
        if is_web_url(dest) {
            self.external.push((dest.to_string(), offset));
        } else if (image || self.image_depth == 0) && targets::is_local(dest) {
            self.local.push(LocalUrl {
                dest: dest.to_string(),
                offset,
                image,
            });
        }
    }

    /// A link ends, as it was opened.
    pub(super) fn end_link(&mut self, event: Event<'a>) {
        match self.open_links.pop() {
            Some(OpenLink::Written) => self.emit(Event::InlineHtml(CowStr::Borrowed("</a>"))),
            Some(OpenLink::Internal { n, bare }) => {
                if bare {
                    self.emit(slot(TEXT_END, Some(n)));
                }
                self.contexts.link_end(n);
                self.emit(slot(CLOSE, Some(n)));
            }
            Some(OpenLink::Plain) | None => self.emit(event),
        }
    }
}

impl<'a, I: Iterator<Item = (Event<'a>, std::ops::Range<usize>)>> Slotted<'a, I> {
    /// An event inside an image we write ourselves: its text is the alt text (and, in an
    /// embed, the size); at its end, the embed's slot or the `<img>`.
    pub(super) fn image_event(&mut self, event: &Event<'a>) {
        match event {
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, text)) = &mut self.reading_image {
                    text.push_str(t);
                }
            }
            Event::End(TagEnd::Image) => match self.reading_image.take() {
                Some((ImageRead::Embed(n), text)) => {
                    let link = &mut self.links[n];
                    // Without `|`, the parser gives the target itself as the text.
                    let text = if link.bare_wikilink { "" } else { &text };
                    link.embed = Some(Box::new(Embed::new(&link.target, text, self.lazy_images)));
                    self.emit(slot(EMBED, Some(n)));
                }
                Some((ImageRead::Lazy { src, title }, alt)) => {
                    let mut html = String::new();
                    super::fill::push_img(&mut html, &src, &alt, &title, "", true);
                    self.emit(Event::InlineHtml(CowStr::from(html)));
                }
                None => {}
            },
            _ => {}
        }
    }
}

/// How a link that is open was written out.
pub(super) enum OpenLink {
    /// By the HTML writer, from its event.
    Plain,
    /// By us, to another site with the attributes site.yaml asks for.
    Written,
    /// As slots, internal link `n`; `bare` if its text is its target's title.
    Internal { n: usize, bare: bool },
}

/// The opening tag of a link to `url` (another site) with `attributes`.
fn external_link(url: &str, title: &str, attributes: &str) -> String {
    let mut html = String::from("<a href=\"");
    let _ = pulldown_cmark_escape::escape_href(&mut html, url);
    html.push('"');
    if !title.is_empty() {
        html.push_str(" title=\"");
        let _ = pulldown_cmark_escape::escape_html(&mut html, title);
        html.push('"');
    }
    html.push_str(attributes);
    html.push('>');
    html
}

/// An image the slot pass writes itself rather than the HTML writer.
pub(super) enum ImageRead {
    /// An embed (`![[map.png|300]]`): internal link `n`.
    Embed(usize),
    /// An image loaded lazily (site.yaml `lazy_async_image`).
    Lazy { src: String, title: String },
}
