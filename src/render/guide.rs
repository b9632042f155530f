//! The writer's guide: a Markdown file outside `content/` (`guide:` in site.yaml),
//! published at `/guide/` so that writers read it beside the site they write.

use std::path::{Path, PathBuf};

use tera::Value;

use super::values::object;
use crate::config::SiteConfig;
use crate::error::{Diagnostic, ErrorKind};
use crate::markdown::{self, LinkTarget, ParsedBody};

/// The guide, parsed once.
#[derive(Debug)]
pub(crate) struct Guide {
    /// Its first `# heading`, or "Guide".
    pub title: String,
    /// The file, relative to the site root.
    pub file: PathBuf,
    /// The body, parsed.
    pub body: ParsedBody,
}

/// Reads the guide named in `config`, if any.
pub(crate) fn load(root: &Path, config: &SiteConfig) -> Result<Option<Guide>, Diagnostic> {
    let Some(file) = &config.guide else {
        return Ok(None);
    };
    let path = root.join(file);
    // site.yaml's check keeps the path inside; a link on the way must too.
    if path.exists() && !crate::source::lies_inside(root, &path) {
        return Err(config
            .diagnostic_at_key(
                ErrorKind::Io,
                format!(
                    "guide `{}` lies outside the site (through a symbolic link)",
                    file.display()
                ),
                &["guide"],
            )
            .hint("copy the guide into the site"));
    }
    let text = std::fs::read(&path)
        .map_err(|e| {
            config
                .diagnostic_at_key(
                    ErrorKind::Io,
                    format!("guide `{}` cannot be read: {e}", file.display()),
                    &["guide"],
                )
                .hint("give the path of a Markdown file, relative to the site root")
        })
        .and_then(|bytes| crate::source::decode(file, bytes))?;
    let body = markdown::scan(&text, markdown::Settings::of(config, None));
    let title = body
        .headings
        .iter()
        .find(|h| h.level == 1)
        .map_or_else(|| "Guide".to_string(), |h| h.title.to_string());
    Ok(Some(Guide {
        title,
        file: file.clone(),
        body,
    }))
}

/// `{title, content, toc}` for `guide.html`; the guide's own `[[links]]` stay text.
pub(crate) fn guide_value(guide: &Guide) -> Value {
    let toc: Vec<Value> = guide
        .body
        .headings
        .iter()
        .filter(|h| h.level > 1)
        .map(|h| {
            object([
                ("level", h.level.into()),
                ("id", (&*h.id).into()),
                ("title", (&*h.title).into()),
            ])
        })
        .collect();
    let html = guide.body.html(|n| {
        // Links to the guide's own headings work; links to pages stay text.
        let link = &guide.body.internal_links[n];
        match (&link.anchor, link.target.is_empty()) {
            (Some(anchor), true) => Some(LinkTarget {
                url: format!("#{anchor}"),
                title: "",
                file: false,
                embedded: None,
                hreflang: None,
            }),
            _ => None,
        }
    });
    let (heading, content) = split_title(&html);
    object([
        ("title", guide.title.as_str().into()),
        ("heading", Value::safe_string(heading)),
        ("content", Value::safe_string(content)),
        ("toc", toc.into()),
        (
            "source",
            guide.file.to_string_lossy().replace('\\', "/").into(),
        ),
    ])
}

/// The guide's HTML cut after its opening `<h1>`, if it starts with one: the contents
/// go between the title and the text.
fn split_title(html: &str) -> (&str, &str) {
    let start = html.trim_start();
    match start.find("</h1>") {
        Some(end) if start.starts_with("<h1") => {
            let end = end + "</h1>".len();
            (&start[..end], start[end..].trim_start_matches('\n'))
        }
        _ => ("", html),
    }
}

#[cfg(test)]
mod title_tests {
    use super::split_title;

    #[test]
    fn cuts_after_a_leading_title_only() {
        assert_eq!(
            split_title("<h1 id=\"g\">Guide</h1>\n<p>Text</p>"),
            ("<h1 id=\"g\">Guide</h1>", "<p>Text</p>")
        );
        assert_eq!(
            split_title("<p>Text</p><h1>Late</h1>"),
            ("", "<p>Text</p><h1>Late</h1>")
        );
    }
}
