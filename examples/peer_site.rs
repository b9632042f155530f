//! Turns a knowledge base made by `gen_site` into the same pages for Hugo, Eleventy or Zola, so
//! that `scripts/bench --peers` can time them on one corpus.
//!
//! `cargo run --release --example peer_site -- --from DIR --tool hugo|eleventy|zola|zola-no-search --out DIR`
//!
//! Every page keeps its path, front matter and body; only the links change to the peer's own
//! form: wikilinks and `@/` links become Hugo's `relref` shortcode (which, like muster, fails the
//! build on a missing page), Zola's `@/` links (checked the same way) or, for Eleventy, plain URLs
//! (it checks no links). Zola refuses front matter keys it does not know, so its pages keep
//! `title` and `date`, put `tags` under `taxonomies` and every other key under `extra`, and each
//! section folder gets an `_index.md`. The peers' templates are minimal: a page with its title,
//! date, tags and body; section, tag and home listings; Hugo adds its default RSS feeds and
//! sitemap, Zola its sitemap, feeds (site and tags) and search index. muster does more per page
//! (typed fields, backlinks, table of contents, graph, timeline), so the ratios favour the peers.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, PartialEq)]
enum Tool {
    Hugo,
    Eleventy,
    /// Zola, building its search index (as muster's theme does) or not.
    Zola {
        search_index: bool,
    },
}

struct Options {
    from: PathBuf,
    tool: Tool,
    out: PathBuf,
}

fn parse_args() -> Result<Options, String> {
    let (mut from, mut tool, mut out) = (None, None, None);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next().ok_or(format!("{arg} needs a value"))?;
        match arg.as_str() {
            "--from" => from = Some(PathBuf::from(value)),
            "--out" => out = Some(PathBuf::from(value)),
            "--tool" => {
                tool = Some(match value.as_str() {
                    "hugo" => Tool::Hugo,
                    "eleventy" => Tool::Eleventy,
                    "zola" => Tool::Zola { search_index: true },
                    "zola-no-search" => Tool::Zola {
                        search_index: false,
                    },
                    other => return Err(format!("unknown tool {other}")),
                })
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(Options {
        from: from.ok_or("--from DIR is required")?,
        tool: tool.ok_or("--tool hugo|eleventy|zola|zola-no-search is required")?,
        out: out.ok_or("--out DIR is required")?,
    })
}

fn main() {
    let options = match parse_args() {
        Ok(o) => o,
        Err(e) => {
            eprintln!(
                "peer_site: {e}\nusage: peer_site --from DIR --tool hugo|eleventy|zola|zola-no-search --out DIR"
            );
            std::process::exit(2);
        }
    };
    match convert(&options) {
        Ok(n) => eprintln!("wrote {n} pages to {}", options.out.display()),
        Err(e) => {
            eprintln!("peer_site: {e}");
            std::process::exit(1);
        }
    }
}

/// Writes the peer's project; returns how many pages it holds.
fn convert(options: &Options) -> std::io::Result<usize> {
    let content = options.from.join("content");
    let pages = markdown_files(&content)?;
    // Short names (`mem-12`) to paths inside content (`members/mem-12`), as wikilinks find them.
    let by_stem: HashMap<String, String> = pages
        .iter()
        .map(|rel| {
            (
                stem_of(rel).to_string(),
                rel.trim_end_matches(".md").to_string(),
            )
        })
        .collect();
    if options.out.exists() {
        std::fs::remove_dir_all(&options.out)?;
    }
    for (path, text) in project_files(options.tool) {
        write(&options.out.join(path), text)?;
    }
    for rel in &pages {
        let text = std::fs::read_to_string(content.join(rel))?;
        let mut text = rewrite_links(&text, &by_stem, options.tool);
        if matches!(options.tool, Tool::Zola { .. }) {
            text = zola_front_matter(&text);
        }
        write(&options.out.join("content").join(rel), &text)?;
    }
    if matches!(options.tool, Tool::Zola { .. }) {
        write_zola_sections(&options.out.join("content"), &pages)?;
    }
    Ok(pages.len())
}

fn markdown_files(content: &Path) -> std::io::Result<Vec<String>> {
    let mut pages = Vec::new();
    for entry in walkdir::WalkDir::new(content).sort_by_file_name() {
        let entry = entry.map_err(std::io::Error::other)?;
        let rel = entry
            .path()
            .strip_prefix(content)
            .map_err(std::io::Error::other)?;
        let rel = rel.to_string_lossy().replace('\\', "/");
        if entry.file_type().is_file() && rel.ends_with(".md") && !rel.ends_with("_index.md") {
            pages.push(rel);
        }
    }
    Ok(pages)
}

fn stem_of(rel: &str) -> &str {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    name.trim_end_matches(".md")
}

fn write(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, text)
}

/// Rewrites `[[target]]`, `[[target|label]]` and `](@/path.md#anchor)` into the tool's links.
fn rewrite_links(text: &str, by_stem: &HashMap<String, String>, tool: Tool) -> String {
    let mut out = String::with_capacity(text.len() + 256);
    let mut rest = text;
    loop {
        let wiki = rest.find("[[");
        let at = rest.find("](@/");
        match (wiki, at) {
            (Some(w), a) if a.is_none_or(|a| w < a) => {
                let Some(end) = rest[w..].find("]]") else {
                    break;
                };
                let inner = &rest[w + 2..w + end];
                let (target, label) = inner.split_once('|').unwrap_or((inner, inner));
                let path = by_stem.get(target).map_or(target, String::as_str);
                out.push_str(&rest[..w]);
                out.push_str(&format!("[{label}]({})", link_to(path, "", tool)));
                rest = &rest[w + end + 2..];
            }
            (_, Some(a)) => {
                let Some(end) = rest[a..].find(')') else {
                    break;
                };
                let inner = &rest[a + 4..a + end];
                let (file, anchor) = inner.split_once('#').unwrap_or((inner, ""));
                out.push_str(&rest[..a]);
                out.push_str(&format!(
                    "]({})",
                    link_to(file.trim_end_matches(".md"), anchor, tool)
                ));
                rest = &rest[a + end + 1..];
            }
            _ => break,
        }
    }
    out.push_str(rest);
    out
}

fn link_to(path: &str, anchor: &str, tool: Tool) -> String {
    let hash = if anchor.is_empty() {
        String::new()
    } else {
        format!("#{anchor}")
    };
    match tool {
        Tool::Hugo => format!("{{{{< relref \"/{path}.md{hash}\" >}}}}"),
        Tool::Eleventy => format!("/{path}/{hash}"),
        Tool::Zola { .. } => format!("@/{path}.md{hash}"),
    }
}

/// The page's front matter as Zola takes it: `title` and `date` as they are, `tags` under
/// `taxonomies`, every other key under `extra` (`gen_site` writes one key a line).
fn zola_front_matter(text: &str) -> String {
    let Some(rest) = text.strip_prefix("---\n") else {
        return text.to_string();
    };
    let Some(end) = rest.find("\n---\n") else {
        return text.to_string();
    };
    let (mut own, mut tags, mut extra) = (String::new(), String::new(), String::new());
    for line in rest[..end].lines() {
        match line.split_once(':').map(|(key, _)| key) {
            Some("title" | "date") => own.push_str(&format!("{line}\n")),
            Some("tags") => tags.push_str(&format!("  {line}\n")),
            _ => extra.push_str(&format!("  {line}\n")),
        }
    }
    if !tags.is_empty() {
        own.push_str(&format!("taxonomies:\n{tags}"));
    }
    if !extra.is_empty() {
        own.push_str(&format!("extra:\n{extra}"));
    }
    format!("---\n{own}---\n{}", &rest[end + 5..])
}

/// An `_index.md` for the home page and for each folder holding pages, so that Zola lists
/// them as muster, Hugo and Eleventy do.
fn write_zola_sections(content: &Path, pages: &[String]) -> std::io::Result<()> {
    let mut folders: Vec<&str> = pages
        .iter()
        .filter_map(|rel| rel.rsplit_once('/').map(|(dir, _)| dir))
        .collect();
    folders.sort_unstable();
    folders.dedup();
    write(
        &content.join("_index.md"),
        "---\ntitle: Generated knowledge base\n---\n",
    )?;
    for folder in folders {
        let text = format!("---\ntitle: \"{folder}\"\n---\n");
        write(&content.join(folder).join("_index.md"), &text)?;
    }
    Ok(())
}

/// The peer's configuration and templates.
fn project_files(tool: Tool) -> Vec<(&'static str, &'static str)> {
    match tool {
        Tool::Hugo => vec![
            ("hugo.toml", HUGO_CONFIG),
            ("layouts/_default/baseof.html", HUGO_BASE),
            ("layouts/_default/single.html", HUGO_SINGLE),
            ("layouts/_default/list.html", HUGO_LIST),
            ("layouts/_default/terms.html", HUGO_LIST),
            ("layouts/index.html", HUGO_LIST),
        ],
        Tool::Eleventy => vec![
            ("eleventy.config.js", ELEVENTY_CONFIG),
            ("_includes/page.njk", ELEVENTY_PAGE),
            ("content/index.njk", ELEVENTY_HOME),
            ("content/tags.njk", ELEVENTY_TAGS),
        ],
        Tool::Zola { search_index } => vec![
            (
                "config.toml",
                match search_index {
                    true => zola_config!("true"),
                    false => zola_config!("false"),
                },
            ),
            ("templates/base.html", ZOLA_BASE),
            ("templates/page.html", ZOLA_PAGE),
            ("templates/section.html", ZOLA_SECTION),
            ("templates/index.html", ZOLA_INDEX),
            ("templates/taxonomy_list.html", ZOLA_TERMS),
            ("templates/taxonomy_single.html", ZOLA_TERM),
        ],
    }
}

/// Zola's `config.toml`, with `build_search_index` set to `$search`.
macro_rules! zola_config {
    ($search:literal) => {
        concat!(
            "base_url = \"https://example.org/\"\n",
            "title = \"Generated knowledge base\"\n",
            "generate_feeds = true\n",
            "build_search_index = ",
            $search,
            "\n",
            "taxonomies = [{ name = \"tags\", feed = true }]\n",
        )
    };
}
use zola_config;

const ZOLA_BASE: &str = r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{% block title %}{% endblock %} · {{ config.title }}</title></head>
<body><nav><a href="{{ config.base_url }}">{{ config.title }}</a></nav>
<main>{% block main %}{% endblock %}</main></body></html>
"#;

const ZOLA_PAGE: &str = r#"{% extends "base.html" %}{% block title %}{{ page.title }}{% endblock %}
{% block main %}<article><h1>{{ page.title }}</h1>
{% if page.date %}<time>{{ page.date | date(format="%-d %B %Y") }}</time>{% endif %}
<ul>{% if page.taxonomies.tags %}{% for tag in page.taxonomies.tags %}<li><a href="{{ get_taxonomy_url(kind="tags", name=tag) }}">{{ tag }}</a></li>{% endfor %}{% endif %}</ul>
{{ page.content | safe }}</article>{% endblock %}
"#;

const ZOLA_SECTION: &str = r#"{% extends "base.html" %}{% block title %}{{ section.title }}{% endblock %}
{% block main %}<h1>{{ section.title }}</h1>
<ul>{% for p in section.pages %}<li><a href="{{ p.permalink }}">{{ p.title }}</a></li>{% endfor %}</ul>{% endblock %}
"#;

const ZOLA_INDEX: &str = r#"{% extends "base.html" %}{% block title %}Home{% endblock %}
{% block main %}<h1>{{ section.title }}</h1>
<ul>{% for s in section.subsections %}{% set sub = get_section(path=s, metadata_only=true) %}<li><a href="{{ sub.permalink }}">{{ sub.title }}</a></li>{% endfor %}</ul>{% endblock %}
"#;

const ZOLA_TERMS: &str = r#"{% extends "base.html" %}{% block title %}{{ taxonomy.name }}{% endblock %}
{% block main %}<ul>{% for term in terms %}<li><a href="{{ term.permalink }}">{{ term.name }}</a></li>{% endfor %}</ul>{% endblock %}
"#;

const ZOLA_TERM: &str = r#"{% extends "base.html" %}{% block title %}{{ term.name }}{% endblock %}
{% block main %}<h1>{{ term.name }}</h1>
<ul>{% for p in term.pages %}<li><a href="{{ p.permalink }}">{{ p.title }}</a></li>{% endfor %}</ul>{% endblock %}
"#;

const HUGO_CONFIG: &str = r#"baseURL = "https://example.org/"
title = "Generated knowledge base"
[taxonomies]
tag = "tags"
"#;

const HUGO_BASE: &str = r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} · {{ site.Title }}</title></head>
<body><nav><a href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a></nav>
<main>{{ block "main" . }}{{ end }}</main></body></html>
"#;

const HUGO_SINGLE: &str = r#"{{ define "main" }}<article><h1>{{ .Title }}</h1>
<time>{{ .Date.Format "2 January 2006" }}</time>
<ul>{{ range .GetTerms "tags" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
{{ .Content }}</article>{{ end }}
"#;

const HUGO_LIST: &str = r#"{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>{{ end }}
"#;

const ELEVENTY_CONFIG: &str = r#"export default function (config) {
  config.addGlobalData("layout", "page.njk");
  return {
    dir: { input: "content", includes: "../_includes", output: "_site" },
    markdownTemplateEngine: false,
  };
}
"#;

const ELEVENTY_PAGE: &str = r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><nav><a href="/">Home</a></nav><main><article><h1>{{ title }}</h1>
<time>{{ page.date.toDateString() }}</time>
<ul>{% for tag in tags %}<li><a href="/tags/{{ tag | slugify }}/">{{ tag }}</a></li>{% endfor %}</ul>
{{ content | safe }}</article></main></body></html>
"#;

const ELEVENTY_HOME: &str = r#"---
layout: false
eleventyExcludeFromCollections: true
---
<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Home</title></head><body>
<ul>{% for p in collections.all %}<li><a href="{{ p.url }}">{{ p.data.title }}</a></li>{% endfor %}</ul>
</body></html>
"#;

const ELEVENTY_TAGS: &str = r#"---
layout: false
eleventyExcludeFromCollections: true
pagination:
  data: collections
  size: 1
  alias: tag
  filter: [all]
permalink: /tags/{{ tag | slugify }}/
---
<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ tag }}</title></head><body>
<h1>{{ tag }}</h1>
<ul>{% for p in collections[tag] %}<li><a href="{{ p.url }}">{{ p.data.title }}</a></li>{% endfor %}</ul>
</body></html>
"#;
