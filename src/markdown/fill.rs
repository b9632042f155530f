//! Filling a parsed body's slots once its links are resolved: each internal link
//! opened and closed, embeds written (a page's part, an image, a player or a document
//! viewer), callout titles in the page's language and shortcode calls put in.

use std::fmt::Write as _;

use super::slots::{
    CALL, CALL_CLOSE, CALL_OPEN, CLOSE, EMBED, FIRST_PARAGRAPH, FIRST_PARAGRAPH_END, MORE, OPEN,
    TEXT_END, TEXT_START, TITLE_END, TITLE_START, slots,
};
use super::{InternalLink, LinkTarget, ParsedBody};

/// The theme's word for a callout type (`warning`) in the page's language, if it has one.
pub(crate) type CalloutWords<'w> = &'w dyn Fn(&str) -> Option<String>;

/// No words: callouts keep their types as titles.
fn no_words(_: &str) -> Option<String> {
    None
}

/// What a shortcode call renders to: the HTML before its body and after it (all of it
/// in `before` for a call without a Markdown body).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct CallOutput {
    /// The output up to where the body goes.
    pub before: String,
    /// The output after the body.
    pub after: String,
    /// Whether the template shows the body at all.
    pub shows_body: bool,
}

/// Writes embed `link`: the part of the page it shows, an image, a player or a document
/// viewer of the attachment, or else a link to it; unresolved (already reported), an
/// image of the target as written.
fn push_embed(html: &mut String, link: &InternalLink, target: Option<&LinkTarget<'_>>) {
    let Some(embed) = &link.embed else { return };
    if let Some(page) = target
        && let Some(embedded) = &page.embedded
    {
        html.push_str("<div class=\"embed\"><p class=\"embed-source\"><a href=\"");
        let _ = pulldown_cmark_escape::escape_href(&mut *html, &page.url);
        html.push_str("\">");
        let _ = pulldown_cmark_escape::escape_html_body_text(&mut *html, page.title);
        html.push_str("</a></p>\n");
        html.push_str(embedded);
        html.push_str("</div>");
        return;
    }
    if let Some(file) = target.filter(|t| t.file)
        && push_media(html, &file.url, &embed.alt)
    {
        return;
    }
    // A page too deep in embeds, or a file no browser shows inline: a link.
    if let Some(page) = target.filter(|t| !t.file || !super::is_image(&t.url)) {
        html.push_str("<a href=\"");
        let _ = pulldown_cmark_escape::escape_href(&mut *html, &page.url);
        html.push_str("\">");
        let _ = pulldown_cmark_escape::escape_html_body_text(&mut *html, page.title);
        html.push_str("</a>");
        return;
    }
    let src = target.map_or(&*link.target, |t| t.url.as_str());
    let mut size = String::new();
    if let (Some(width), height) = embed.size {
        let _ = write!(size, " width=\"{width}\"");
        if let Some(height) = height {
            let _ = write!(size, " height=\"{height}\"");
        }
    }
    push_img(html, src, &embed.alt, "", &size, embed.lazy);
}

/// A player or viewer of attachment `url` if browsers show its type inline: audio,
/// video, PDF (with a link inside for browsers that do not).
fn push_media(html: &mut String, url: &str, name: &str) -> bool {
    use super::targets::{Media, media};
    let player = match media(url) {
        Some(Media::Audio) => Some("audio"),
        Some(Media::Video) => Some("video"),
        Some(Media::Pdf) => None,
        Some(Media::Image) | None => return false,
    };
    let mut href = String::new();
    let _ = pulldown_cmark_escape::escape_href(&mut href, url);
    let mut text = String::new();
    let _ = pulldown_cmark_escape::escape_html(&mut text, name);
    let fallback = format!("<a href=\"{href}\">{text}</a>");
    let _ = match player {
        Some(element) => write!(
            html,
            "<{element} class=\"embed-file\" controls preload=\"metadata\" src=\"{href}\" title=\"{text}\">{fallback}</{element}>"
        ),
        None => write!(
            html,
            "<object class=\"embed-file\" data=\"{href}\" type=\"application/pdf\" title=\"{text}\">{fallback}</object>"
        ),
    };
    true
}

/// An `<img>` of `src` with its alt text, title (if any), `extra` attributes (already
/// written out), lazily loaded if `lazy` (site.yaml `lazy_async_image`).
pub(super) fn push_img(
    html: &mut String,
    src: &str,
    alt: &str,
    title: &str,
    extra: &str,
    lazy: bool,
) {
    html.push_str("<img src=\"");
    let _ = pulldown_cmark_escape::escape_href(&mut *html, src);
    html.push_str("\" alt=\"");
    let _ = pulldown_cmark_escape::escape_html(&mut *html, alt);
    html.push('"');
    if !title.is_empty() {
        html.push_str(" title=\"");
        let _ = pulldown_cmark_escape::escape_html(&mut *html, title);
        html.push('"');
    }
    html.push_str(extra);
    if lazy {
        html.push_str(" loading=\"lazy\" decoding=\"async\"");
    }
    html.push_str(" />");
}

/// Writes a `block` (with `write`) where a slot was: blocks cannot stand inside a `<p>`,
/// so the paragraph is closed before and opened again after, if need be; `last` is where
/// the copying of `slotted` goes on.
fn outside_paragraph(
    html: &mut String,
    slotted: &str,
    last: &mut usize,
    block: bool,
    write: impl FnOnce(&mut String),
) {
    let in_paragraph = block && html.rfind("<p>") > html.rfind("</p>");
    if in_paragraph {
        if html.ends_with("<p>") {
            html.truncate(html.len() - "<p>".len());
        } else {
            html.push_str("</p>\n");
        }
    }
    write(html);
    if in_paragraph {
        if slotted[*last..].starts_with("</p>") {
            *last += "</p>".len();
        } else {
            html.push_str("\n<p>");
        }
    }
}

/// Whether `html` starts with an element that cannot stand in a paragraph.
fn starts_with_block(html: &str) -> bool {
    const BLOCKS: [&str; 28] = [
        "address",
        "aside",
        "audio",
        "blockquote",
        "details",
        "div",
        "dl",
        "fieldset",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "iframe",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "ul",
        "video",
    ];
    let Some(tag) = html.trim_start().strip_prefix('<') else {
        return false;
    };
    let name_end = tag
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(tag.len());
    let name = tag[..name_end].to_ascii_lowercase();
    BLOCKS.contains(&name.as_str())
}

impl ParsedBody {
    /// The whole body as HTML, asking `resolve` where the `i`th internal link goes.
    /// An unresolved link (already reported as an error) renders as its text.
    pub(crate) fn html<'a>(&self, resolve: impl Fn(usize) -> Option<LinkTarget<'a>>) -> String {
        self.fill(&self.html.text(), &resolve, &[], &no_words)
    }

    /// The whole body as HTML, with `calls` the outputs of its shortcode calls and
    /// `words` the callout titles of the page's language.
    pub(crate) fn html_with<'a>(
        &self,
        resolve: impl Fn(usize) -> Option<LinkTarget<'a>>,
        calls: &[CallOutput],
        words: CalloutWords<'_>,
    ) -> String {
        self.fill(&self.html.text(), &resolve, calls, words)
    }

    /// The summary as HTML: the part before `<!-- more -->`, or else the first paragraph.
    #[cfg(any(test, feature = "fuzzing"))]
    pub(crate) fn summary_html<'a>(
        &self,
        resolve: impl Fn(usize) -> Option<LinkTarget<'a>>,
    ) -> String {
        self.summary_html_with(resolve, &[], &no_words)
    }

    /// The summary as HTML, with `calls` the outputs of the body's shortcode calls.
    pub(crate) fn summary_html_with<'a>(
        &self,
        resolve: impl Fn(usize) -> Option<LinkTarget<'a>>,
        calls: &[CallOutput],
        words: CalloutWords<'_>,
    ) -> String {
        match &self.summary {
            Some(range) => self.fill(&self.html.slice(range.clone()), &resolve, calls, words),
            None => String::new(),
        }
    }

    /// Fills the slots of `slotted`, a slice of `self.html` that cuts no slot.
    fn fill<'a>(
        &self,
        slotted: &str,
        resolve: &impl Fn(usize) -> Option<LinkTarget<'a>>,
        calls: &[CallOutput],
        words: CalloutWords<'_>,
    ) -> String {
        let targets: Vec<Option<LinkTarget<'a>>> =
            (0..self.internal_links.len()).map(resolve).collect();
        let mut html = String::with_capacity(slotted.len() + self.internal_links.len() * 32);
        // Inside the text of a resolved bare wikilink, which the target's title replaces.
        let mut skipping = false;
        // Inside the body of call N, whose template does not show it.
        let mut hidden_body: Option<usize> = None;
        // Where the type a callout shows as its title starts.
        let mut title_from: Option<usize> = None;
        let mut last = 0;
        for (range, letter, number) in slots(slotted) {
            if let Some(call) = hidden_body {
                last = range.end;
                if letter == CALL_CLOSE && number == Some(call) {
                    hidden_body = None;
                    if let Some(output) = calls.get(call) {
                        html.push_str(&output.after);
                    }
                }
                continue;
            }
            if !skipping {
                html.push_str(&slotted[last..range.start]);
            }
            last = range.end;
            if let Some(output) = number.and_then(|n| calls.get(n)) {
                let shows_body = push_call(&mut html, (slotted, &mut last), letter, output);
                if !shows_body {
                    hidden_body = number;
                }
            }
            let link =
                number.and_then(|n| Some((self.internal_links.get(n)?, targets.get(n)?.as_ref()?)));
            match (letter, link) {
                (OPEN, Some((link, target))) => push_link_open(&mut html, link, target),
                (CLOSE, Some(_)) => html.push_str("</a>"),
                (TEXT_START, Some((_, target))) => {
                    let _ = pulldown_cmark_escape::escape_html_body_text(&mut html, target.title);
                    skipping = true;
                }
                (TEXT_END, _) => skipping = false,
                (TITLE_START, _) => {
                    skipping = true;
                    title_from = Some(range.end);
                }
                (TITLE_END, _) => {
                    skipping = false;
                    if let Some(from) = title_from.take() {
                        push_callout_title(&mut html, &slotted[from..range.start], words);
                    }
                }
                (EMBED, _) => {
                    if let Some(n) = number
                        && let Some(link) = self.internal_links.get(n)
                    {
                        let target = targets.get(n).and_then(Option::as_ref);
                        let block = target.is_some_and(|t| t.embedded.is_some());
                        outside_paragraph(&mut html, slotted, &mut last, block, |html| {
                            push_embed(html, link, target);
                        });
                    }
                }
                // Block slots made the writer start the next block on a new line;
                // drop that newline so the output is as if the slot were absent.
                (MORE | FIRST_PARAGRAPH | FIRST_PARAGRAPH_END, _)
                    if (html.is_empty() || html.ends_with('\n'))
                        && slotted[last..].starts_with('\n') =>
                {
                    last += 1;
                }
                _ => {}
            }
        }
        if !skipping {
            html.push_str(&slotted[last..]);
        }
        html
    }
}

/// The opening tag of a link to `target`, with its language if another and its title.
fn push_link_open(html: &mut String, link: &InternalLink, target: &LinkTarget<'_>) {
    html.push_str("<a href=\"");
    let _ = pulldown_cmark_escape::escape_href(&mut *html, &target.url);
    if let Some(lang) = target.hreflang {
        html.push_str("\" hreflang=\"");
        let _ = pulldown_cmark_escape::escape_html(&mut *html, lang);
        html.push_str("\" class=\"other-language");
    }
    if !link.title.is_empty() {
        html.push_str("\" title=\"");
        let _ = pulldown_cmark_escape::escape_html(&mut *html, &link.title);
    }
    html.push_str("\">");
}

/// A callout's title, `shown` as written (its own escaped text: `Warning`) unless
/// `words` says it in the page's language.
fn push_callout_title(html: &mut String, shown: &str, words: CalloutWords<'_>) {
    match words(&shown.to_ascii_lowercase()) {
        Some(word) => {
            let _ = pulldown_cmark_escape::escape_html_body_text(&mut *html, &word);
        }
        None => html.push_str(shown),
    }
}

/// What shortcode call slot `letter` shows of `output` (a call's whole output is moved out
/// of the paragraph it would break, `last` being where `slotted` is read from); false
/// when it opens a body its template does not show.
fn push_call(
    html: &mut String,
    (slotted, last): (&str, &mut usize),
    letter: char,
    output: &CallOutput,
) -> bool {
    match letter {
        CALL => {
            let block = starts_with_block(&output.before);
            outside_paragraph(html, slotted, last, block, |html| {
                html.push_str(&output.before);
            });
        }
        CALL_OPEN => {
            html.push_str(&output.before);
            return output.shows_body;
        }
        CALL_CLOSE => html.push_str(&output.after),
        _ => {}
    }
    true
}
