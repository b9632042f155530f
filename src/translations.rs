//! Whether translations keep up with their originals: each translation records the
//! version of its original it was made from (`translated_from:`, a hash of the original's
//! text that `muster translations --mark` writes), so a later change of the original shows
//! it stale. `muster check` warns of stale translations and of pages a language lacks;
//! `muster translations` prints the table.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::build::{BuildOptions, run_stages};
use crate::config::SiteConfig;
use crate::error::{BuildErrors, Diagnostic, ErrorKind};
use crate::model::{Page, PageId, Site};
use crate::source::{MatterFormat, Overlay};

/// The front matter key a translation records its original's version in.
pub(crate) const KEY: &str = "translated_from";

/// Most pages a warning about missing translations names.
const NAMED: usize = 8;

/// The version of a page's text, as a translation records it: 16 hexadecimal digits.
pub(crate) fn version(page: &Page) -> String {
    format!("{:016x}", (page.source_hash >> 64) as u64)
}

/// Whether `text` has the form of a version.
pub(crate) fn is_version(text: &str) -> bool {
    text.len() == 16 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// How a translation stands against its original.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    /// Made from the original as it is.
    Current,
    /// The original changed since.
    Stale,
    /// It records no version.
    Unrecorded,
}

impl Status {
    fn word(self) -> &'static str {
        match self {
            Status::Current => "current",
            Status::Stale => "stale",
            Status::Unrecorded => "unrecorded",
        }
    }
}

/// How translation `id` of `site` stands, if it translates a page.
pub(crate) fn status(site: &Site, id: PageId) -> Option<Status> {
    let original = site.page(*site.originals.get(&id)?);
    let page = site.page(id);
    // A folder's section made up for its pages has no text to translate.
    if original.file.is_none() || page.file.is_none() {
        return None;
    }
    Some(match &page.meta.seldom().translated_from {
        Some(v) if *v == version(original) => Status::Current,
        Some(_) => Status::Stale,
        None => Status::Unrecorded,
    })
}

/// Pages that have a source of their own and so may be translated.
fn translatable(page: &Page) -> bool {
    page.lang.is_none() && page.file.is_some()
}

/// The warnings of `muster check`: each translation that is stale or records no
/// version, and per language the pages it has no translation of.
pub(crate) fn warnings(config: &SiteConfig, site: &Site) -> Vec<Diagnostic> {
    if config.languages.is_empty() {
        return Vec::new();
    }
    let mut found = Vec::new();
    for (id, page) in site.iter() {
        // Most translations are current: nothing to say, so nothing to format.
        let Some(status) = status(site, id).filter(|s| *s != Status::Current) else {
            continue;
        };
        let original = site.page(site.originals[&id]);
        let original_file = original.file.as_deref().unwrap_or(Path::new("?"));
        let file = page.file.as_deref().unwrap_or(Path::new("?"));
        let mark = format!("`muster translations --mark {}`", file.display());
        let d = match status {
            Status::Stale => page
                .diagnostic_at_value(
                    ErrorKind::Translation,
                    format!(
                        "this translation is stale: {} changed after it was translated",
                        original_file.display()
                    ),
                    KEY,
                    None,
                )
                .hint(format!(
                    "bring it in line with the original, then run {mark}"
                )),
            Status::Unrecorded => page
                .diagnostic_at(
                    ErrorKind::Translation,
                    format!(
                        "this translation does not record which version of {} it translates",
                        original_file.display()
                    ),
                    0,
                )
                .hint(format!("once it matches the original, run {mark}")),
            Status::Current => continue,
        };
        found.push(d.warning());
    }
    for lang in config.all_languages().flatten() {
        let missing = untranslated(site, lang);
        if missing.is_empty() {
            continue;
        }
        let of = site.iter().filter(|(_, p)| translatable(p)).count();
        let paths = missing.iter().map(|id| site.page(*id).source_path.as_str());
        let message = format!(
            "{} of {of} pages have no translation into {} ({lang}): {}",
            missing.len(),
            config.language_name(lang),
            crate::error::some_of(paths, NAMED)
        );
        let d = config
            .diagnostic_at_key(ErrorKind::Translation, message, &["languages", lang])
            .hint(format!(
                "`muster translations` lists them; a translation sits beside its original as `name.{lang}.md`"
            ))
            .warning();
        found.push(d);
    }
    found
}

/// The pages of the default language with no translation into `lang`.
fn untranslated(site: &Site, lang: &str) -> Vec<PageId> {
    site.iter()
        .filter(|(id, p)| {
            // An untranslated copy shown with a notice is no translation.
            let translation = site.translation(*id, Some(lang));
            translatable(p) && translation.is_none_or(|t| site.page(t).untranslated)
        })
        .map(|(id, _)| id)
        .collect()
}

/// `muster translations`: per language, every page of the default language and its
/// translation's status (`missing` where there is none), as lines of text.
pub fn report(options: &BuildOptions) -> Result<String, BuildErrors> {
    let stages = run_stages(options, None, &Overlay::new())?;
    let (config, site) = (&stages.config, &stages.site);
    if config.languages.is_empty() {
        return Ok("the site has one language: site.yaml's `languages:` adds others\n".into());
    }
    let mut text = String::new();
    for lang in config.all_languages().flatten() {
        let _ = writeln!(text, "{} ({lang}):", config.language_name(lang));
        let mut counts = [0usize; 4];
        for (id, page) in site.iter().filter(|(_, p)| translatable(p)) {
            let translation = site.translation(id, Some(lang));
            let (word, n) = match translation.and_then(|t| status(site, t)) {
                Some(s) => (s.word(), s as usize),
                None => ("missing", 3),
            };
            counts[n] += 1;
            let file = translation
                .and_then(|t| site.page(t).file.as_deref())
                .map_or(String::new(), |f| f.display().to_string());
            let _ = writeln!(text, "  {word:<10}  {:<40}  {file}", page.source_path);
        }
        let _ = writeln!(
            text,
            "  {} current, {} stale, {} unrecorded, {} missing",
            counts[0], counts[1], counts[2], counts[3]
        );
    }
    Ok(text)
}

/// `muster translations --mark FILE…`: records in each translation (a path relative to
/// the site root) that it matches its original as the original is now. Nothing is
/// written unless every file is a translation of the site.
pub fn mark(options: &BuildOptions, files: &[PathBuf]) -> Result<Vec<PathBuf>, BuildErrors> {
    let stages = run_stages(options, None, &Overlay::new())?;
    let site = &stages.site;
    let mut marked = Vec::new();
    let mut errors = Vec::new();
    for file in files {
        let found = site
            .iter()
            .find(|(_, p)| p.file.as_deref() == Some(file.as_path()));
        match found.and_then(|(id, p)| Some((p, site.page(*site.originals.get(&id)?)))) {
            Some((page, original)) => marked.push((page, version(original))),
            None => errors.push(
                Diagnostic::new(
                    ErrorKind::Translation,
                    format!(
                        "{} is no translation of a page of this site",
                        file.display()
                    ),
                )
                .at(crate::error::Location::file_start(file), None)
                .hint("name a file such as content/members/russia.ru.md, beside its original"),
            ),
        }
    }
    if !errors.is_empty() {
        return Err(BuildErrors(errors));
    }
    let mut written = Vec::new();
    for (page, version) in marked {
        let file = page.file.clone().unwrap_or_default();
        let path = options.root.join(&file);
        let result = std::fs::read_to_string(&path).and_then(|text| {
            let new = with_version(page.matter_format, &text, &version);
            replace_file(&path, &new)
        });
        match result {
            Ok(()) => written.push(file),
            Err(e) => errors.push(Diagnostic::io(&file, &e)),
        }
    }
    match errors.is_empty() {
        true => Ok(written),
        false => Err(BuildErrors(errors)),
    }
}

/// `text` (a page's source) with `translated_from:` set to `version` in its front matter,
/// replacing the line that gives it or added as the front matter's last line.
fn with_version(format: MatterFormat, text: &str, version: &str) -> String {
    with_key(format, text, KEY, &format!("\"{version}\""))
}

/// `text` (a page's source) with top-level `key` set to `value` (as YAML or TOML writes
/// it) in its front matter, replacing the line that gives it or added as its last line.
pub(crate) fn with_key(format: MatterFormat, text: &str, key: &str, value: &str) -> String {
    let Ok(split) = crate::source::split_front_matter(text) else {
        return text.to_string();
    };
    let line = match format {
        MatterFormat::Toml => format!("{key} = {value}"),
        _ => format!("{key}: {value}"),
    };
    if split.format == MatterFormat::None {
        return format!("---\n{line}\n---\n{text}");
    }
    let (start, end) = (
        split.matter_offset,
        split.matter_offset + split.matter.len(),
    );
    let matter = &text[start..end];
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let mut lines: Vec<&str> = matter.lines().collect();
    let given = lines.iter().position(|l| {
        l.strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with([':', '=']))
    });
    match given {
        Some(n) => lines[n] = &line,
        None => lines.push(&line),
    }
    let mut new_matter = lines.join(newline);
    new_matter.push_str(newline);
    let rest = text[end..].trim_start_matches(['\r', '\n']);
    format!("{}{new_matter}{rest}", &text[..start])
}

/// Writes `text` to `path` through a temporary file beside it, so that the page is
/// never half written.
fn replace_file(path: &Path, text: &str) -> std::io::Result<()> {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let temporary = path.with_file_name(format!(".{name}.muster-mark"));
    std::fs::write(&temporary, text)?;
    std::fs::rename(&temporary, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&temporary);
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_is_set_in_yaml_and_toml_front_matter() {
        let v = "0123456789abcdef";
        let yaml = "---\ntitle: Россия\n---\nТекст.\n";
        assert_eq!(
            with_version(MatterFormat::Yaml, yaml, v),
            "---\ntitle: Россия\ntranslated_from: \"0123456789abcdef\"\n---\nТекст.\n"
        );
        let again = with_version(
            MatterFormat::Yaml,
            &with_version(MatterFormat::Yaml, yaml, v),
            "ffffffffffffffff",
        );
        assert_eq!(
            again,
            "---\ntitle: Россия\ntranslated_from: \"ffffffffffffffff\"\n---\nТекст.\n"
        );
        let toml = "+++\ntitle = \"Россия\"\n+++\nТекст.\n";
        assert_eq!(
            with_version(MatterFormat::Toml, toml, v),
            "+++\ntitle = \"Россия\"\ntranslated_from = \"0123456789abcdef\"\n+++\nТекст.\n"
        );
        assert_eq!(
            with_version(MatterFormat::None, "Текст.\n", v),
            "---\ntranslated_from: \"0123456789abcdef\"\n---\nТекст.\n"
        );
        let crlf = "---\r\ntitle: A\r\n---\r\nB\r\n";
        assert_eq!(
            with_version(MatterFormat::Yaml, crlf, v),
            "---\r\ntitle: A\r\ntranslated_from: \"0123456789abcdef\"\r\n---\r\nB\r\n"
        );
    }

    #[test]
    fn versions_have_one_form() {
        assert!(is_version("0123456789abcdef"));
        assert!(!is_version("0123456789ABCDEF"));
        assert!(!is_version("0123"));
    }
}
