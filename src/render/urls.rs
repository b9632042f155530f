//! URLs of pages and files under the site's `base_url`, which may have a sub-path.

/// Turns site paths into URLs under the configured base.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Urls {
    /// Scheme and host, e.g. `https://host`; empty when `base_url` is only a path.
    origin: String,
    /// Always starts and ends with `/`, e.g. `/kb/`.
    base_path: String,
}

impl Urls {
    /// URLs for a `base_url` such as `https://host/kb/`, `https://host` or `/kb/`.
    pub(crate) fn new(base_url: &str) -> Urls {
        let (origin, path) = match base_url.find("://") {
            Some(i) => {
                let host_end = base_url[i + 3..]
                    .find('/')
                    .map_or(base_url.len(), |j| i + 3 + j);
                (&base_url[..host_end], &base_url[host_end..])
            }
            None => ("", base_url),
        };
        let trimmed = path.trim_matches('/');
        let base_path = if trimmed.is_empty() {
            "/".to_string()
        } else {
            format!("/{trimmed}/")
        };
        Urls {
            origin: origin.to_string(),
            base_path,
        }
    }

    /// The root-relative URL of a site path, e.g. `/kb/members/russia/`.
    pub(crate) fn path(&self, path: &str) -> String {
        if path.is_empty() {
            return self.base_path.clone();
        }
        let mut url = self.file(path);
        url.push('/');
        url
    }

    /// The root-relative URL of a file in the output, e.g. `/kb/style.css`.
    pub(crate) fn file(&self, rel: &str) -> String {
        // Pieced together: `format!` cost more than the encoding (every page's URL is made).
        let mut url = String::with_capacity(self.base_path.len() + rel.len() + 1);
        url.push_str(&self.base_path);
        url.extend(percent_encoding::utf8_percent_encode(rel, NOT_IN_PATH));
        url
    }

    /// The absolute URL of a site path; root-relative when `base_url` has no host.
    pub(crate) fn permalink(&self, path: &str) -> String {
        self.absolute(&self.path(path))
    }

    /// The absolute URL of a root-relative URL made by [`Urls::path`] or [`Urls::file`].
    pub(crate) fn absolute(&self, url: &str) -> String {
        [self.origin.as_str(), url].concat()
    }

    /// The absolute URL of file `rel` (`sitemap.xml` → `https://host/kb/sitemap.xml`).
    pub(crate) fn file_permalink(&self, rel: &str) -> String {
        self.absolute(&self.file(rel))
    }

    /// The base path, e.g. `/kb/`.
    pub(crate) fn base_path(&self) -> &str {
        &self.base_path
    }
}

/// What a URL path may not hold as it is: controls, space, delimiters and what
/// browsers and feed readers treat specially; letters beyond ASCII are encoded too.
pub(crate) const NOT_IN_PATH: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'[')
    .add(b']')
    .add(b'^')
    .add(b'|')
    .add(b'\\');

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_with_and_without_sub_paths() {
        let u = Urls::new("https://host/kb/");
        assert_eq!(u.path("members/russia"), "/kb/members/russia/");
        assert_eq!(u.path(""), "/kb/");
        assert_eq!(u.file_permalink("atom.xml"), "https://host/kb/atom.xml");
        assert_eq!(u.file("style.css"), "/kb/style.css");
        assert_eq!(
            u.permalink("members/russia"),
            "https://host/kb/members/russia/"
        );
        let u = Urls::new("https://host");
        assert_eq!(u.path("a"), "/a/");
        assert_eq!(u.permalink(""), "https://host/");
        let u = Urls::new("https://host/a/b");
        assert_eq!(u.base_path(), "/a/b/");
        let u = Urls::new("/");
        assert_eq!(u.permalink("x"), "/x/");
        assert_eq!(Urls::new("").base_path(), "/");
    }

    #[test]
    fn names_kept_as_written_are_encoded_in_urls() {
        let u = Urls::new("https://host/");
        assert_eq!(u.path("notes/My Page"), "/notes/My%20Page/");
        assert_eq!(
            u.file("img/Карта 1.png"),
            "/img/%D0%9A%D0%B0%D1%80%D1%82%D0%B0%201.png"
        );
        assert_eq!(u.path("v1.2_Notes"), "/v1.2_Notes/");
        assert_eq!(u.file("a#b?c%d"), "/a%23b%3Fc%25d");
    }
}
