//! `muster explain E0xx`: what each error code means and how to fix it.

use crate::error::ErrorKind;

/// Every error kind, in code order.
pub const ALL: [ErrorKind; 18] = [
    ErrorKind::Io,
    ErrorKind::Config,
    ErrorKind::FrontMatter,
    ErrorKind::Field,
    ErrorKind::Reference,
    ErrorKind::Link,
    ErrorKind::Anchor,
    ErrorKind::Duplicate,
    ErrorKind::Template,
    ErrorKind::Render,
    ErrorKind::External,
    ErrorKind::Output,
    ErrorKind::Unrendered,
    ErrorKind::Math,
    ErrorKind::Embed,
    ErrorKind::Shortcode,
    ErrorKind::Query,
    ErrorKind::Translation,
];

/// The kind with code `code` (`E006`, `e006` or `6`).
pub fn kind_of(code: &str) -> Option<ErrorKind> {
    let code = code.trim();
    // The kind's name as JSON messages give it (`"kind": "anchor"`) names it too.
    if let Some(kind) = ALL
        .into_iter()
        .find(|k| name(*k).eq_ignore_ascii_case(code))
    {
        return Some(kind);
    }
    let digits = code.trim_start_matches(['E', 'e']);
    let n: u32 = digits.parse().ok()?;
    ALL.into_iter()
        .find(|k| k.code()[1..].parse::<u32>().ok() == Some(n))
}

/// The kind's name in JSON messages: `front_matter`, `anchor`.
fn name(kind: ErrorKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// For a code that names no error: the code or kind name it most likely meant
/// (`E040` → `E004`, `anchr` → `anchor`).
pub fn suggestion(code: &str) -> Option<String> {
    let code = code.trim();
    let written = match code.trim_start_matches(['E', 'e']).parse::<u32>() {
        Ok(n) => format!("E{n:03}"),
        Err(_) => code.to_ascii_lowercase(),
    };
    let candidates = ALL
        .into_iter()
        .flat_map(|k| [k.code().to_string(), name(k)]);
    candidates
        .map(|c| (strsim::damerau_levenshtein(&written, &c), c))
        .filter(|(distance, c)| *distance <= 1.max(c.len() / 4))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, c)| c)
}

/// A short title and a longer explanation with an example and the fix.
pub fn explanation(kind: ErrorKind) -> (&'static str, &'static str) {
    match kind {
        ErrorKind::Io => (
            "a file or folder cannot be read or written",
            "muster could not read a source file or write the output. The message names the path and\n\
             what the system said (not found, permission denied, no space left…).\n\n\
             Also reported here: a symbolic link in content/ that points outside the site (refused, so\n\
             that nothing outside the site is published) and symbolic link loops.\n\n\
             Fix: check that the path exists and is readable, that the output folder is writable and\n\
             the disk has room; replace links that leave the site by copies.",
        ),
        ErrorKind::Config => (
            "site.yaml is invalid",
            "site.yaml could not be read: bad YAML, an unknown key, a wrong type, or a kind whose\n\
             fields are declared wrongly (a ref without `kind:`, an enum without `values:`, a field\n\
             named like a common key such as `title`).\n\n\
             Example:\n\n    kinds:\n      drill:\n        fields:\n          host: { type: ref }        # which kind does it point to?\n\n\
             Fix: `host: { type: ref, kind: member }`. The message points at the key; `help:` names the\n\
             key you probably meant when one is misspelt.",
        ),
        ErrorKind::FrontMatter => (
            "a page's front matter cannot be read",
            "Every page starts with YAML front matter between two `---` lines. This error means the\n\
             block is missing, not closed, or not valid YAML: tabs used for indentation, a `:` inside\n\
             an unquoted value, an unclosed `[` or quote, a key written twice.\n\n\
             Example:\n\n    ---\n    title: Drills: the plan      # second `:` needs quotes\n    ---\n\n\
             Fix: `title: \"Drills: the plan\"`. The caret shows where the YAML parser stopped.",
        ),
        ErrorKind::Field => (
            "a front matter field is missing, unknown or of the wrong type",
            "A page's kind (from its section folder) declares its fields in site.yaml. A required\n\
             field is missing, a field is not declared (often a typo), or a value has the wrong type:\n\
             a date that is not YYYY-MM-DD, a daterange whose start is after its end, an enum value\n\
             not in the list, text where a list is expected.\n\n\
             Example:\n\n    partcipants: [russia]      # unknown field\n\n\
             Fix: `participants: [russia]` — `help:` suggests the closest declared field. `muster new\n\
             --list` shows every kind's fields and types.",
        ),
        ErrorKind::Reference => (
            "a ref field points to a missing page or a page of the wrong kind",
            "A `ref` or `refs` field names other pages by slug (`russia`), path (`members/russia`) or\n\
             `@/members/russia.md`. The page must exist and be of the kind the field declares.\n\n\
             Example:\n\n    host: almaty-region        # a place, but `host` wants a member\n\n\
             Fix: name a page of the right kind; `help:` lists candidates. When two pages share a\n\
             slug, write the path to say which.",
        ),
        ErrorKind::Link => (
            "a link in the text points to a page that does not exist",
            "Internal links — `[[russia]]`, `[[members/russia|Russia]]`, `[text](@/members/russia.md)`,\n\
             `[text](russia.md)` — must lead to a page of the site. The target may be misspelt,\n\
             ambiguous (two pages with that slug), a draft left out of the build, or deleted.\n\n\
             Fix: correct the name (`help:` suggests close ones), or write the path to remove an\n\
             ambiguity. A page that was renamed can keep its old URL with `aliases:`.",
        ),
        ErrorKind::Anchor => (
            "a link points to a heading that does not exist",
            "A link with `#anchor` — `[[russia#history]]`, `[[#plan]]` — must name a heading of the\n\
             target page. Heading anchors are the heading's text, lower-cased, with spaces as `-`:\n\
             `## Armed forces` is `#armed-forces`.\n\n\
             Fix: use one of the anchors `help:` lists, or add the heading to the target page.",
        ),
        ErrorKind::Duplicate => (
            "two things would have the same URL",
            "Two pages produce the same URL (also when they differ only in letter case, which some\n\
             hosts ignore), a `slug:` repeats another page's, or an `aliases:` entry collides with a\n\
             page or leaves the site.\n\n\
             Fix: rename one of the files or give it a different `slug:`; pick an alias no page uses.",
        ),
        ErrorKind::Template => (
            "a template is missing or has a syntax error",
            "A page asks for a template that does not exist (`template:` in its front matter), the\n\
             theme lacks one muster needs (`page.html`, `section.html`…), or a template does not\n\
             parse: an unclosed `{% if %}`, a misspelt tag. The location is in the template file.\n\n\
             Fix: add the template to themes/<theme>/templates/ or templates/, or correct the tag.",
        ),
        ErrorKind::Render => (
            "a template failed while rendering a page",
            "The template parsed but failed for one page: it read a variable that is not defined for\n\
             that page (`page.fields.host` on a page without one), or a filter got a value it cannot\n\
             use. The message names the template position and the page being rendered.\n\n\
             Fix: guard optional values with `{% if x is defined %}` or `| default(value=…)`.",
        ),
        ErrorKind::External => (
            "an external link does not answer (muster check --external)",
            "An `http(s)://` link of a page answered with an error status (404, 500…), did not answer\n\
             within the timeout, or its host could not be reached. Each URL is requested once, with\n\
             HEAD and then GET where HEAD is refused.\n\n\
             Fix: open the address in a browser; link the page's new address, an archived copy, or\n\
             remove the link. Raise `--timeout` for slow hosts.",
        ),
        ErrorKind::Output => (
            "the output folder cannot be used",
            "muster deletes or replaces only files it wrote itself. It refuses an output folder that is,\n\
             holds or lies inside the site's sources (the site root, content/, themes/, static/,\n\
             templates/, or a folder above them) and an output path that is a file. An output folder\n\
             may hold files muster did not write (a `.git`, a `CNAME`, your notes): they are kept, and\n\
             the list of muster's own files is in `.muster-manifest` there. The build stops when the\n\
             new site would replace one of those files.\n\n\
             Example: `muster build --output .` from the site root would replace the site.\n\n\
             Fix: build into `public/` (the default) or a folder of its own. If a file named in the\n\
             message is yours, move it; if the folder is a site built by another tool or an older\n\
             muster, delete the folder and build again.",
        ),
        ErrorKind::Unrendered => (
            "a content file muster does not render (a warning)",
            "A file in content/ is in a format of another tool that muster does not turn into a\n\
             page: MDX (`.mdx`), Org (`.org`), AsciiDoc (`.adoc`, `.asciidoc`), reStructuredText\n\
             (`.rst`). muster neither renders nor copies it, so that its source is never published as\n\
             it is; the build goes on and names each such file.\n\n\
             Fix: convert the file to Markdown (`.md`), or move it out of content/ if it is not a page.",
        ),
        ErrorKind::Math => (
            "a formula does not parse",
            "Text between `$` signs (`$E = mc^2$`) or `$$` signs (a formula on its own lines) is LaTeX,\n\
             rendered to MathML when the site is built, as GitHub and Obsidian render it. This one has\n\
             a mistake at the place shown: an unclosed `{`, an unknown command, a missing argument.\n\
             The page shows the formula's source meanwhile.\n\n\
             Fix: correct the LaTeX; write `\\$` for a dollar sign that starts no formula. A site may\n\
             make these warnings (`markdown: { math_errors: warning }`) or turn formulas off\n\
             (`markdown: { math: false }`) in site.yaml.",
        ),
        ErrorKind::Embed => (
            "an embed cannot be shown",
            "`![[page]]` shows that page's content in this one, as Obsidian does. As an error: the\n\
             embedded page embeds this one back, directly or through other embeds, so neither could\n\
             ever be shown whole; the message names every page on the cycle. As a warning: the page\n\
             would show more than 256 embedded parts (nested ones included) or embeds nested more\n\
             than 8 levels deep, and shows links from the embed named on.\n\n\
             Fix: make one of the embeds on the cycle a link (`[[page]]`, without `!`), or embed only\n\
             a part of the page that holds no embed back (`![[page#Heading]]`, `![[page#^block]]`);\n\
             for the limits, embed fewer or smaller parts.",
        ),
        ErrorKind::Shortcode => (
            "a shortcode call is wrong or its template fails",
            "A shortcode is a small template a page calls, in Zola's syntax: `{{ figure(src=\"map.png\") }}`\n\
             or, with a body, `{% note(kind=\"tip\") %}…{% end %}`. Its template is\n\
             templates/shortcodes/NAME.html in the site or the theme; a header comment there may declare\n\
             its arguments and their types. The message says which of these is wrong: the name is\n\
             unknown, the call does not parse, an argument is unknown, missing or of the wrong type, a\n\
             body has no `{% end %}`, or the template failed while rendering this call.\n\n\
             Fix: follow the \"did you mean\" of the hint, or see the shortcode's arguments in the\n\
             writer's guide. Shortcode syntax inside code is shown as written; to show it in text,\n\
             write `{{/* name() */}}`.",
        ),
        ErrorKind::Query => (
            "a query does not fit the site's kinds",
            "A query lists the pages of a kind that meet conditions, written as YAML in a ```query block\n\
             (or `{% query() %}…{% end %}`):\n\n\
             kind: drill\n\
             where: { participants: this, dates: { from: 2024-01-01 } }\n\
             sort: -dates\n\
             show: [dates, host]\n\n\
             It is checked against site.yaml when the page is read: the kind must exist, every field\n\
             must be one of the kind's (or an inverse relation onto it, or title or date), operators\n\
             are is, not, in, from, to and present, and values must have the field's type (a date, a\n\
             number, one of an enum's values, `this` or a page's slug for references).\n\n\
             Fix: follow the \"did you mean\" of the hint; `muster schema` and site.yaml list each kind's\n\
             fields and types.",
        ),
        ErrorKind::Translation => (
            "a translation is behind its original, or pages have none",
            "A translation sits beside its original (`members/russia.ru.md` beside `members/russia.md`)\n\
             and records which version of the original it was made from:\n\n\
             translated_from: 3f2a9c1b7e4d5a60\n\n\
             When the original changes after that, the translation is stale: a warning points at\n\
             this key. A translation that records no version, and the pages a language has no\n\
             translation of, are warnings too. None of them stops the build: the reader sees the\n\
             translation as it is, and the original where there is none.\n\n\
             Fix: bring the translation in line with its original, then record that it is with\n\
             `muster translations --mark content/members/russia.ru.md`. `muster translations` lists\n\
             every page and its status in each language.",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_an_explanation_and_parses_back() {
        for kind in ALL {
            let (title, text) = explanation(kind);
            assert!(!title.is_empty() && text.contains("Fix"), "{kind:?}");
            assert_eq!(kind_of(kind.code()), Some(kind));
        }
        assert_eq!(kind_of("e6"), Some(ErrorKind::Link));
        assert_eq!(kind_of("E999"), None);
        assert_eq!(kind_of("x"), None);
    }
}
