//! What a body points to that is not a page of the site (paths and files: images,
//! attachments, `/blog/x/`), and what in it a link can point to besides its headings
//! (ids in raw HTML, footnotes, Obsidian's block ids). Both are checked after the
//! site is planned, against its outputs (`links::local`).

use pulldown_cmark::CowStr;

/// A link or image to a path of this site rather than to a page by name: relative
/// (`pic.png`, `../x/`) or from the site's root (`/blog/x/`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct LocalUrl {
    /// As written, percent-encoding and all.
    pub dest: String,
    /// Byte offset of the link in the body.
    pub offset: usize,
    /// An image (`src`) rather than a link (`href`).
    pub image: bool,
}

/// What a browser shows of a file inline, by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Media {
    /// In `<img>`.
    Image,
    /// In `<audio>`.
    Audio,
    /// In `<video>`.
    Video,
    /// In `<object>`, as a PDF viewer.
    Pdf,
}

/// What kind of media file `name` is, if browsers show it inline.
pub(crate) fn media(name: &str) -> Option<Media> {
    let ext = name
        .rsplit_once('.')
        .map_or("", |(_, e)| e)
        .to_ascii_lowercase();
    Some(match ext.as_str() {
        "png" | "jpg" | "jpeg" | "gif" | "svg" | "webp" | "avif" | "bmp" | "ico" => Media::Image,
        "mp3" | "ogg" | "oga" | "wav" | "m4a" | "flac" | "opus" => Media::Audio,
        "mp4" | "webm" | "ogv" | "mov" | "m4v" => Media::Video,
        "pdf" => Media::Pdf,
        _ => return None,
    })
}

/// Whether a file is an image a browser shows in `<img>`, by its extension.
pub(crate) fn is_image(name: &str) -> bool {
    media(name) == Some(Media::Image)
}

/// Whether an embed (`![[name]]`) of a file shows it inline rather than as a link.
pub(crate) fn is_embeddable(name: &str) -> bool {
    media(name).is_some()
}

/// Whether `dest` is a path of this site: not a web or other scheme URL (`mailto:`,
/// `data:`), not a protocol-relative one (`//host/x`), and not only a fragment.
pub(crate) fn is_local(dest: &str) -> bool {
    let dest = dest.trim();
    if dest.is_empty() || dest.starts_with('#') || dest.starts_with("//") {
        return false;
    }
    // A scheme is letters, digits, `+`, `-`, `.` before the first `:`, and comes before any `/`.
    let scheme = dest.split_once(':').is_some_and(|(s, _)| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    !scheme
}

/// `html` (a page's summary) with relative `href` and `src` values (and `#fragment`s)
/// made root-relative from `page_url` (`/kb/blog/x/`), so that they still work where the summary is shown
/// on another page: listings, term pages, feeds. Values are double-quoted in what
/// pulldown-cmark writes, and a `"` in text is always `&quot;`, so `href="` is an attribute.
pub(crate) fn rebase<'h>(html: &'h str, page_url: &str) -> std::borrow::Cow<'h, str> {
    let mut out: Option<String> = None;
    let (mut last, mut from) = (0, 0);
    while let Some(i) = html[from..].find("=\"").map(|i| from + i) {
        from = i + 2;
        let Some(len) = html[from..].find('"') else {
            break;
        };
        let value = &html[from..from + len];
        let attribute = html[..i].ends_with(" href") || html[..i].ends_with(" src");
        // `#note` (a footnote, a heading) is on the page, not where the summary is shown.
        let joined = if value.starts_with('#') && value.len() > 1 {
            Some(format!("{page_url}{value}"))
        } else if is_local(value) && !value.starts_with('/') {
            join_url(page_url, value)
        } else {
            None
        };
        if attribute && let Some(joined) = joined {
            let o = out.get_or_insert_with(|| String::with_capacity(html.len() + 64));
            o.push_str(&html[last..from]);
            o.push_str(&joined);
            last = from + len;
        }
        from += len;
    }
    match out {
        Some(mut o) => {
            o.push_str(&html[last..]);
            o.into()
        }
        None => html.into(),
    }
}

/// The root-relative URL `relative` points to from the folder URL `base`; `None` if
/// it climbs above the server's root.
fn join_url(base: &str, relative: &str) -> Option<String> {
    let end = relative.find(['?', '#']).unwrap_or(relative.len());
    let (path, rest) = relative.split_at(end);
    let parts = crate::url_path::join(base, path)?;
    let mut url = format!("/{}", parts.join("/"));
    if (path.ends_with('/') || path.is_empty() || path.ends_with("/.") || path.ends_with(".."))
        && !url.ends_with('/')
    {
        url.push('/');
    }
    url.push_str(rest);
    Some(url)
}

/// The values of the `id` and `name` attributes in a fragment of raw HTML: targets
/// of `#fragment` links as browsers find them.
pub(crate) fn html_ids(html: &str) -> Vec<String> {
    let mut ids = Vec::new();
    // Attributes live inside tags: `<…>` that is not a comment or a closing tag.
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        rest = &rest[open + 1..];
        let end = rest.find('>').unwrap_or(rest.len());
        let tag = &rest[..end];
        rest = &rest[end..];
        if tag.starts_with(['/', '!', '?']) {
            continue;
        }
        ids.extend(tag_ids(tag));
    }
    ids
}

/// The `id` and `name` values among the attributes of one tag's text.
fn tag_ids(tag: &str) -> Vec<String> {
    let mut ids = Vec::new();
    let bytes = tag.as_bytes();
    for attr in ["id", "name"] {
        let mut from = 0;
        while let Some(i) = tag[from..].find(attr).map(|i| from + i) {
            from = i + attr.len();
            // A whole attribute name: after a space, before `=`.
            if i == 0 || !bytes[i - 1].is_ascii_whitespace() {
                continue;
            }
            let Some(value) = tag[from..]
                .trim_start()
                .strip_prefix('=')
                .map(str::trim_start)
            else {
                continue;
            };
            let value = match value.chars().next() {
                Some(q @ ('"' | '\'')) => value[1..].split(q).next(),
                _ => value.split(char::is_whitespace).next(),
            };
            if let Some(v) = value.filter(|v| !v.is_empty()) {
                ids.push(v.to_string());
            }
        }
    }
    ids
}

/// Obsidian's block id at the end of a paragraph's text (`… end of line ^a1b2`): the
/// text before it and the id, if there is one.
pub(crate) fn block_id(text: &str) -> Option<(&str, &str)> {
    // Called on every text of every page: one backwards byte scan rejects nearly all.
    let text = text.trim_end();
    let caret = memchr::memrchr(b'^', text.as_bytes())?;
    let before = text[..caret].strip_suffix(' ')?;
    let id = &text[caret + 1..];
    let valid = !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    valid.then_some((before, id))
}

/// The empty element that carries a block id in the HTML (`#^a1b2` finds it).
pub(crate) fn block_anchor(id: &str) -> CowStr<'static> {
    CowStr::from(format!("<span id=\"^{id}\"></span>"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_urls_are_paths_of_this_site() {
        for local in [
            "pic.png",
            "../x/",
            "/blog/x/",
            "x.pdf#page=2",
            "./a b.png",
            "Name%20Page.md",
        ] {
            assert!(is_local(local), "{local}");
        }
        for other in [
            "https://x.org",
            "mailto:a@b",
            "data:image/png;base64,x",
            "#top",
            "",
            "//cdn.x/y.js",
            "tel:+1",
        ] {
            assert!(!is_local(other), "{other}");
        }
    }

    #[test]
    fn summaries_keep_relative_urls_working_elsewhere() {
        let html = r##"<p><img src="pic.png" alt="x" /> <a href="../y/#a">y</a> <a href="/abs/">a</a> <a href="https://x.org/p">w</a> <a href="#n">n</a> <a href="a.pdf?x=1&amp;y=2">f</a></p>"##;
        assert_eq!(
            rebase(html, "/kb/blog/x/"),
            r##"<p><img src="/kb/blog/x/pic.png" alt="x" /> <a href="/kb/blog/y/#a">y</a> <a href="/abs/">a</a> <a href="https://x.org/p">w</a> <a href="/kb/blog/x/#n">n</a> <a href="/kb/blog/x/a.pdf?x=1&amp;y=2">f</a></p>"##
        );
        assert!(matches!(
            rebase("<p>no links</p>", "/"),
            std::borrow::Cow::Borrowed(_)
        ));
        assert_eq!(
            rebase(r#"<a href="../../..">u</a>"#, "/a/"),
            r#"<a href="../../..">u</a>"#
        );
        assert_eq!(
            rebase(r#"<a href="..">u</a>"#, "/a/b/"),
            r#"<a href="/a/">u</a>"#
        );
    }

    #[test]
    fn ids_in_raw_html() {
        let html =
            r#"<a name="old"></a><div id='box' class="c">x</div><span data-id="no" id=bare>"#;
        assert_eq!(html_ids(html), ["old", "box", "bare"]);
        assert!(html_ids("<p>hidden id=x</p>").is_empty());
    }

    #[test]
    fn obsidian_block_ids() {
        assert_eq!(block_id("A claim. ^src-1"), Some(("A claim.", "src-1")));
        assert_eq!(block_id("2 ^ 3 = 8"), None);
        assert_eq!(block_id("x ^"), None);
    }
}
