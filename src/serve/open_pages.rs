//! Which pages browsers show now, told by each page's event stream (`?page=` with its
//! path), and which they asked for before `serve` had rendered them: those are
//! rendered first, after a change touching many outputs and at start.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use super::http::site_path;

/// The output paths open in browsers, each with how many streams show it.
#[derive(Debug, Default)]
pub(crate) struct OpenPages {
    counts: Mutex<HashMap<String, usize>>,
    /// Output paths requested before they were rendered.
    wanted: Mutex<HashSet<String>>,
}

/// Keeps a page counted as open while its event stream lasts.
pub(crate) struct Showing {
    pages: Arc<OpenPages>,
    output: String,
}

impl OpenPages {
    /// Counts the page at URL path `url` (`/drills/x/`, percent-encoded as browsers
    /// send it) as open until the returned guard is dropped; `None` for a path that is
    /// no site path.
    pub(crate) fn show(self: &Arc<Self>, url: &str) -> Option<Showing> {
        let output = output_of(url)?;
        *self.lock().entry(output.clone()).or_default() += 1;
        Some(Showing {
            pages: self.clone(),
            output,
        })
    }

    /// The output paths open now.
    pub(crate) fn now(&self) -> HashSet<String> {
        self.lock().keys().cloned().collect()
    }

    /// Asks for the page at URL path `url` (as requested) to be rendered next.
    pub(crate) fn want(&self, url: &str) {
        let Some(output) = output_of(url) else {
            return;
        };
        let mut wanted = self.wanted.lock().unwrap_or_else(|e| e.into_inner());
        // `/drills/x` is answered with a redirect to `/drills/x/` once that is rendered.
        if !output.ends_with("index.html") {
            wanted.insert(format!("{output}/index.html"));
        }
        wanted.insert(output);
    }

    /// The output paths open now or asked for since the last call: render these first.
    pub(crate) fn first(&self) -> HashSet<String> {
        let mut first = self.now();
        first.extend(std::mem::take(
            &mut *self.wanted.lock().unwrap_or_else(|e| e.into_inner()),
        ));
        first
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, usize>> {
        self.counts.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Drop for Showing {
    fn drop(&mut self) {
        let mut counts = self.pages.lock();
        if let Some(n) = counts.get_mut(&self.output) {
            *n -= 1;
            if *n == 0 {
                counts.remove(&self.output);
            }
        }
    }
}

/// The output file a browser shows at URL path `url`: a folder URL shows its
/// `index.html`, as the server answers it.
fn output_of(url: &str) -> Option<String> {
    let key = site_path(url)?;
    Some(if key.is_empty() {
        "index.html".into()
    } else if url.ends_with('/') {
        format!("{key}/index.html")
    } else {
        key
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_count_as_open_while_a_stream_shows_them() {
        let pages = Arc::new(OpenPages::default());
        let home = pages.show("/").unwrap();
        let a = pages.show("/drills/x/").unwrap();
        let b = pages.show("/drills/x/").unwrap();
        let file = pages.show("/404.html").unwrap();
        let cyrillic = pages.show("/%D0%B0/").unwrap();
        let open = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<HashSet<_>>();
        assert_eq!(
            pages.now(),
            open(&[
                "index.html",
                "drills/x/index.html",
                "404.html",
                "а/index.html"
            ])
        );
        drop((home, a, file, cyrillic));
        assert_eq!(
            pages.now(),
            open(&["drills/x/index.html"]),
            "one stream still shows it"
        );
        drop(b);
        assert!(pages.now().is_empty());
        assert!(pages.show("/../etc/passwd").is_none());
        assert!(pages.show("no-slash").is_none());
    }

    #[test]
    fn pages_asked_for_come_first_once() {
        let pages = Arc::new(OpenPages::default());
        let _open = pages.show("/a/").unwrap();
        pages.want("/b/");
        pages.want("/c");
        pages.want("/../x");
        let expected: HashSet<String> = ["a/index.html", "b/index.html", "c", "c/index.html"]
            .map(String::from)
            .into();
        assert_eq!(pages.first(), expected);
        assert_eq!(
            pages.first(),
            ["a/index.html".to_string()].into(),
            "asked once"
        );
    }
}
