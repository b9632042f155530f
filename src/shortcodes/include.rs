//! `{{ include(path="snippets/disclaimer.md") }}`: another page's Markdown put in place
//! before the body is parsed, as if written there (its headings, links and shortcodes
//! become the page's). Only pages of the site can be included, the files the source
//! stage found (read when included), so no path leads outside `content/`; a page meant only to be included
//! lives in a headless section. Includes nest up to [`MAX_INCLUDE_DEPTH`]; one that
//! would include itself again is an error.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::OnceLock;

use super::call::Problem;
use super::extract::Walk;
use super::syntax::{Arg, ArgValue};

/// The built-in shortcode's name.
pub(crate) const INCLUDE: &str = "include";

/// How deep includes may nest.
pub(crate) const MAX_INCLUDE_DEPTH: usize = 8;

/// The pages an include may name: the Markdown files the source stage found, by path
/// under `content/` (`snippets/note.md`), each read when an include asks for it.
#[derive(Debug)]
pub(crate) struct Includable<'a> {
    files: &'a [crate::source::FoundFile],
    /// Each file's place in `files` by path, made at the first include (owning its keys:
    /// a borrowed key would make the type invariant in `'a`).
    index: OnceLock<HashMap<String, usize>>,
}

impl<'a> Includable<'a> {
    /// The pages of `files`.
    pub(crate) fn new(files: &'a [crate::source::FoundFile]) -> Includable<'a> {
        Includable {
            files,
            index: OnceLock::new(),
        }
    }

    fn index(&self) -> &HashMap<String, usize> {
        self.index.get_or_init(|| {
            let files = self.files;
            files
                .iter()
                .enumerate()
                .map(|(i, f)| (f.rel.clone(), i))
                .collect()
        })
    }

    fn contains(&self, rel: &str) -> bool {
        self.index().contains_key(rel)
    }

    /// The text of the page at `rel`, which must be one of them; why not if it cannot
    /// be read.
    fn text(&self, rel: &str) -> Result<Cow<'a, str>, String> {
        let file = self.index().get(rel).map(|&i| &self.files[i]);
        match file.map(crate::source::FoundFile::text) {
            Some(Ok(text)) => Ok(text),
            Some(Err(d)) => Err(d.message.into()),
            None => Err("not a page of the site".into()),
        }
    }
}

/// What includes of one page may name.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Includes<'i> {
    /// The pages of the site, by path under `content/`.
    pub pages: &'i Includable<'i>,
    /// The including page's path under `content/`.
    pub page: &'i str,
    /// Its folder, which relative paths start from.
    pub page_dir: &'i str,
    /// The Markdown options, to find code (an include inside code is shown as written).
    pub options: pulldown_cmark::Options,
}

/// The byte ranges of `text` that are code or formulas, where no include applies.
pub(crate) fn code_ranges(text: &str, options: pulldown_cmark::Options) -> Vec<Range<usize>> {
    use pulldown_cmark::{Event, Parser, Tag};
    Parser::new_ext(text, options)
        .into_offset_iter()
        .filter(|(event, _)| {
            matches!(
                event,
                Event::Start(Tag::CodeBlock(_))
                    | Event::Code(_)
                    | Event::InlineMath(_)
                    | Event::DisplayMath(_)
            )
        })
        .map(|(_, range)| range)
        .collect()
}

impl Walk<'_> {
    /// Puts the page `args` name in place, its own tags replaced; what is wrong if not.
    pub(super) fn include(&mut self, args: &[Arg], at: usize) -> Result<(), Problem> {
        let Some(includes) = self.includes else {
            return Ok(());
        };
        let problem = |message: String, hint: String| Problem {
            offset: at,
            message,
            hint,
        };
        let path = match args {
            [
                Arg {
                    name,
                    value: ArgValue::Str(path),
                    ..
                },
            ] if name == "path" => path,
            _ => {
                return Err(problem(
                    "`include` takes one argument, `path`, a quoted path".into(),
                    "write `{{ include(path=\"snippets/note.md\") }}`, relative to this page's folder or, with a leading `/`, to content/".into(),
                ));
            }
        };
        let Some(rel) = resolve(includes, path) else {
            let near =
                crate::error::closest(path, includes.pages.files.iter().map(|f| f.rel.as_str()));
            return Err(problem(
                format!("`include` finds no page `{path}` under content/"),
                match near {
                    Some(n) => format!("did you mean `/{n}`?"),
                    None => "give the path of a Markdown file under content/, relative to this page's folder or from content/ with a leading `/`".into(),
                },
            ));
        };
        if rel == includes.page || self.stack.contains(&rel) {
            let mut ring: Vec<&str> = vec![includes.page];
            ring.extend(self.stack.iter().map(String::as_str));
            ring.push(&rel);
            return Err(problem(
                format!(
                    "`include` of `{rel}` would include it in itself: {}",
                    ring.join(" → ")
                ),
                "make one of these pages stop including the next".into(),
            ));
        }
        if self.stack.len() >= MAX_INCLUDE_DEPTH {
            return Err(problem(
                format!("includes nest more than {MAX_INCLUDE_DEPTH} deep"),
                "include fewer levels of pages".into(),
            ));
        }
        let text = includes.pages.text(&rel).map_err(|why| {
            problem(
                format!("`include` cannot read `{rel}`: {why}"),
                "make the file readable UTF-8 text, or include another".into(),
            )
        })?;
        let body = crate::source::split_front_matter(&text).map_or(&*text, |s| s.body);
        if !self.out.included.contains(&rel) {
            self.out.included.push(rel.clone());
        }
        self.stack.push(rel);
        self.text(body, Some(at));
        self.stack.pop();
        Ok(())
    }
}

/// The page `path` names: from the page's folder, or from `content/` with a leading
/// `/`, or else from `content/`; `.md` may be left out.
fn resolve(includes: &Includes<'_>, path: &str) -> Option<String> {
    let (bases, path) = match path.strip_prefix('/') {
        Some(rest) => (vec![""], rest),
        None => (vec![includes.page_dir, ""], path),
    };
    for base in bases {
        let Some(parts) = crate::url_path::join(base, path) else {
            continue;
        };
        let joined = parts.join("/");
        for candidate in [joined.clone(), format!("{joined}.md")] {
            if includes.pages.contains(&candidate) {
                return Some(candidate);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shortcodes::extract;

    fn pages(list: &[(&str, &str)]) -> Vec<crate::source::FoundFile> {
        list.iter()
            .map(|(p, t)| {
                crate::source::FoundFile::from(crate::source::SourceFile {
                    rel: p.to_string(),
                    file: format!("content/{p}").into(),
                    text: t.to_string(),
                    section_index: false,
                })
            })
            .collect()
    }

    fn includes<'i>(pages: &'i Includable<'i>, page: &'i str) -> Includes<'i> {
        Includes {
            pages,
            page,
            page_dir: page.rsplit_once('/').map_or("", |(d, _)| d),
            options: pulldown_cmark::Options::empty(),
        }
    }

    #[test]
    fn puts_the_page_in_place_without_its_front_matter() {
        let pages = pages(&[
            ("notes/a.md", "x"),
            ("snippets/b.md", "---\ntitle: B\n---\nIncluded {{ x() }}.\n"),
        ]);
        let e = extract(
            "Before\n\n{{ include(path=\"/snippets/b\") }}\n\nAfter `{{ include(path=\"no\") }}`\n",
            None,
            Some(&includes(&Includable::new(&pages), "notes/a.md")),
        );
        assert!(
            e.text.starts_with(
                "Before\n\nIncluded \u{1}0\u{2}.\n\n\nAfter `{{ include(path=\"no\") }}`"
            ),
            "{:?}",
            e.text
        );
        assert_eq!(e.included, ["snippets/b.md"]);
        // The call inside the included page is placed at the include.
        assert_eq!(e.calls[0].offset, "Before\n\n".len());
        assert!(e.calls[0].problems.is_empty());
    }

    #[test]
    fn cycles_and_missing_pages_are_problems() {
        let pages = pages(&[
            ("a.md", "{{ include(path=\"b.md\") }}"),
            ("b.md", "{{ include(path=\"a.md\") }}"),
        ]);
        let pages = Includable::new(&pages);
        let e = extract(
            "{{ include(path=\"b.md\") }}",
            None,
            Some(&includes(&pages, "a.md")),
        );
        let problems: Vec<&str> = e
            .calls
            .iter()
            .flat_map(|c| &c.problems)
            .map(|p| p.message.as_str())
            .collect();
        assert_eq!(
            problems,
            ["`include` of `a.md` would include it in itself: a.md → b.md → a.md"]
        );
        let e = extract(
            "{{ include(path=\"c.md\") }}",
            None,
            Some(&includes(&pages, "a.md")),
        );
        assert!(e.calls[0].problems[0].message.contains("no page `c.md`"));
        let e = extract(
            "{{ include(path=\"../../x.md\") }}",
            None,
            Some(&includes(&pages, "a.md")),
        );
        assert!(e.calls[0].problems[0].message.contains("no page"));
    }
}
