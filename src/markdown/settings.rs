//! site.yaml's `markdown:` options, and what one scan of a body needs of the settings.

use pulldown_cmark::Options;
use serde::Deserialize;

use super::IdScheme;
use super::code::{CodeColours, CodeTheme, HighlightEngine, Highlighting};
use crate::config::{LinkLevel, SiteConfig};
use crate::shortcodes::{Includes, Shortcodes};

/// site.yaml `markdown:`: switches for the Markdown extensions writers may not want.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MarkdownConfig {
    /// Curly quotes, dashes and ellipses from `"`, `--` and `...` (on by default; off for
    /// sites that write `--flag` in prose).
    pub smart_punctuation: bool,
    /// `$inline$` and `$$display$$` formulas rendered to MathML (on by default, as GitHub
    /// and Obsidian do).
    pub math: bool,
    /// Whether a formula that does not parse stops the build (the default) or is a warning.
    pub math_errors: LinkLevel,
    /// Bare URLs in text (`https://…`, `www.…`) made links, as GitHub does (on by default).
    pub autolinks: bool,
    /// Links to other sites open in a new tab (`target="_blank"`, with `rel="noopener"`),
    /// as Zola's option of the same name.
    pub external_links_target_blank: bool,
    /// Links to other sites carry `rel="nofollow"`.
    pub external_links_no_follow: bool,
    /// Links to other sites carry `rel="noreferrer"`.
    pub external_links_no_referrer: bool,
    /// Images load lazily (`loading="lazy" decoding="async"`), as Zola's `lazy_async_image`.
    pub lazy_async_image: bool,
    /// Fenced code in a known language is highlighted at build time (on by default).
    pub highlight: bool,
    /// What tells code's tokens apart: lexers for the common languages (the default) or
    /// grammars for all.
    pub highlighter: HighlightEngine,
    /// The colours of highlighted code (bat's theme names, as Zola's `highlight_theme`).
    pub highlight_theme: CodeTheme,
    /// The colours of highlighted code when the reader prefers dark.
    pub highlight_theme_dark: CodeTheme,
    /// Code blocks get a button that copies their text (the theme's script).
    pub copy_button: bool,
    /// `:tada:` and the other shortcodes GitHub knows become emoji (off by default, as
    /// Zola's `render_emoji`: `:word:` may be meant as written).
    pub emoji: bool,
}

impl MarkdownConfig {
    /// How fenced code is coloured, if it is highlighted.
    pub(crate) fn highlighting(&self) -> Option<Highlighting> {
        self.highlight.then_some(Highlighting {
            colours: self.code_colours(),
            engine: self.highlighter,
        })
    }

    /// The themes fenced code is coloured with.
    pub(crate) fn code_colours(&self) -> CodeColours {
        CodeColours {
            light: self.highlight_theme,
            dark: self.highlight_theme_dark,
        }
    }

    /// The attributes links to other sites get beyond `href` and `title`, if any.
    pub(crate) fn external_link_attributes(&self) -> Option<String> {
        let mut rel = Vec::new();
        if self.external_links_target_blank {
            rel.push("noopener");
        }
        if self.external_links_no_follow {
            rel.push("nofollow");
        }
        if self.external_links_no_referrer {
            rel.push("noreferrer");
        }
        if rel.is_empty() {
            return None;
        }
        let mut attributes = format!(" rel=\"{}\"", rel.join(" "));
        if self.external_links_target_blank {
            attributes.push_str(" target=\"_blank\"");
        }
        Some(attributes)
    }
}

impl Default for MarkdownConfig {
    fn default() -> MarkdownConfig {
        MarkdownConfig {
            smart_punctuation: true,
            math: true,
            math_errors: LinkLevel::Error,
            autolinks: true,
            external_links_target_blank: false,
            external_links_no_follow: false,
            external_links_no_referrer: false,
            lazy_async_image: false,
            highlight: true,
            highlighter: HighlightEngine::Lexers,
            highlight_theme: CodeTheme::LIGHT,
            highlight_theme_dark: CodeTheme::DARK,
            copy_button: false,
            emoji: false,
        }
    }
}

/// What scanning a body needs of the site's settings.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Settings<'s> {
    /// How heading text becomes ids.
    pub ids: IdScheme,
    /// The `markdown:` switches.
    pub markdown: MarkdownConfig,
    /// The shortcodes calls are checked against, if the templates loaded.
    pub shortcodes: Option<&'s Shortcodes>,
    /// What `{{ include() }}` may name, if the site has pages that include others.
    pub includes: Option<Includes<'s>>,
}

impl<'s> Settings<'s> {
    /// The settings of `config`, with the site's `shortcodes` if known.
    pub(crate) fn of(config: &SiteConfig, shortcodes: Option<&'s Shortcodes>) -> Settings<'s> {
        Settings {
            ids: config.heading_ids,
            markdown: config.markdown,
            shortcodes,
            includes: None,
        }
    }

    /// The defaults: GitHub's ids, every extension on.
    #[cfg(any(test, feature = "fuzzing", feature = "stages"))]
    pub(crate) fn defaults() -> Settings<'static> {
        Settings {
            ids: IdScheme::Github,
            markdown: MarkdownConfig::default(),
            shortcodes: None,
            includes: None,
        }
    }

    /// The pulldown-cmark extensions these settings enable.
    pub(crate) fn options(&self) -> Options {
        let mut options = Options::ENABLE_TABLES
            | Options::ENABLE_FOOTNOTES
            | Options::ENABLE_STRIKETHROUGH
            | Options::ENABLE_TASKLISTS
            | Options::ENABLE_HEADING_ATTRIBUTES
            | Options::ENABLE_DEFINITION_LIST
            | Options::ENABLE_WIKILINKS;
        if self.markdown.smart_punctuation {
            options |= Options::ENABLE_SMART_PUNCTUATION;
        }
        if self.markdown.math {
            options |= Options::ENABLE_MATH;
        }
        options
    }
}
