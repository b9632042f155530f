//! Generates a deterministic synthetic knowledge base for benchmarks and load tests.
//!
//! `cargo run --release --example gen_site -- --pages 10000 --out DIR [--seed N] [--rich PERCENT]
//! [--code PERCENT] [--math PERCENT] [--callouts PERCENT] [--embeds PERCENT] [--queries]
//! [--translations PERCENT]`
//!
//! The site uses this repository's `site.yaml` kinds and default theme: five
//! sections of typed pages with refs, 50 tags, wikilinks and `@/` links to
//! headings, tables and lists, about 6 KB of Markdown per page. Features, each on the
//! given share of pages: `--code` a code block (Rust, Python or YAML, 12 to 20 lines, its
//! names drawn at random); `--math` two formulas; `--rich` both; `--callouts` a GitHub
//! alert and an Obsidian callout that folds; `--embeds` (drills and events only) an embed
//! of a heading's section of a place or organization page, which embed nothing, so there
//! are no cycles; `--queries`, every member page ends with a query listing the drills it
//! takes part in; `--translations`, a Russian translation (`page.ru.md`, its title in
//! Russian) beside that share of the pages, with `languages:` in site.yaml. Each feature
//! draws from a generator of its own: the rest of every page is the same as without it.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

const SECTIONS: [(&str, &str); 5] = [
    ("drills", "dri"),
    ("members", "mem"),
    ("organizations", "org"),
    ("places", "pla"),
    ("events", "eve"),
];

const WORDS: [&str; 24] = [
    "peacekeeping",
    "force",
    "member",
    "state",
    "exercise",
    "command",
    "staff",
    "deployment",
    "transit",
    "contingent",
    "training",
    "ground",
    "region",
    "council",
    "agreement",
    "mandate",
    "security",
    "collective",
    "treaty",
    "organization",
    "operation",
    "units",
    "airborne",
    "troops",
];

struct Options {
    pages: usize,
    out: PathBuf,
    seed: u64,
    code_percent: usize,
    math_percent: usize,
    callout_percent: usize,
    embed_percent: usize,
    queries: bool,
    translation_percent: usize,
}

fn parse_args() -> Result<Options, String> {
    let mut pages = 1000;
    let mut out = None;
    let mut seed = 2024;
    let (mut code_percent, mut math_percent) = (0, 0);
    let (mut callout_percent, mut embed_percent) = (0, 0);
    let mut queries = false;
    let mut translation_percent = 0;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--pages" => pages = value()?.parse().map_err(|e| format!("--pages: {e}"))?,
            "--out" => out = Some(PathBuf::from(value()?)),
            "--seed" => seed = value()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--rich" => {
                code_percent = value()?.parse().map_err(|e| format!("--rich: {e}"))?;
                math_percent = code_percent;
            }
            "--code" => code_percent = value()?.parse().map_err(|e| format!("--code: {e}"))?,
            "--math" => math_percent = value()?.parse().map_err(|e| format!("--math: {e}"))?,
            "--callouts" => {
                callout_percent = value()?.parse().map_err(|e| format!("--callouts: {e}"))?
            }
            "--embeds" => embed_percent = value()?.parse().map_err(|e| format!("--embeds: {e}"))?,
            "--queries" => queries = true,
            "--translations" => {
                translation_percent = value()?
                    .parse()
                    .map_err(|e| format!("--translations: {e}"))?
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    let out = out.ok_or("--out DIR is required")?;
    Ok(Options {
        pages: pages.max(SECTIONS.len()),
        out,
        seed,
        code_percent,
        math_percent,
        callout_percent,
        embed_percent,
        queries,
        translation_percent,
    })
}

fn main() {
    let options = match parse_args() {
        Ok(o) => o,
        Err(e) => {
            eprintln!(
                "gen_site: {e}\nusage: gen_site --pages N --out DIR [--seed N] [--rich|--code|--math|--callouts|--embeds|--translations PERCENT] [--queries]"
            );
            std::process::exit(2);
        }
    };
    if let Err(e) = generate(&options) {
        eprintln!("gen_site: {e}");
        std::process::exit(1);
    }
    eprintln!("wrote {} pages to {}", options.pages, options.out.display());
}

fn generate(options: &Options) -> std::io::Result<()> {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = &options.out;
    if out.exists() {
        std::fs::remove_dir_all(out)?;
    }
    std::fs::create_dir_all(out.join("content/sources"))?;
    // The repository's kinds; its languages (Russian, with its labels) only for a site
    // with translations, so that the plain site is in one language.
    let config = std::fs::read_to_string(repo.join("site.yaml"))?;
    let config = match options.translation_percent {
        0 => without_block(&config, "languages:"),
        _ => config,
    };
    std::fs::write(out.join("site.yaml"), config)?;
    copy_dir(&repo.join("themes"), &out.join("themes"))?;
    // site.yaml publishes the writer's guide from docs/.
    copy_dir(&repo.join("docs"), &out.join("docs"))?;
    std::fs::write(
        out.join("content/sources/src.md"),
        "---\ntitle: Source\npublisher: Generator\nmedium: news-article\n---\nThe generated source.\n",
    )?;
    let per_section = options.pages / SECTIONS.len();
    let mut rng = fastrand::Rng::with_seed(options.seed);
    for (section, prefix) in SECTIONS {
        std::fs::create_dir_all(out.join("content").join(section))?;
        for i in 0..per_section {
            let mut text = page(&mut rng, section, i, per_section);
            // Each feature its own generator, so that the pages are otherwise the same as
            // without it. (Code and formulas share the one `--rich` always used.)
            let seed = options.seed ^ (i as u64) << 8 ^ text.len() as u64;
            let mut extra = fastrand::Rng::with_seed(seed);
            let chosen = extra.usize(..100);
            if chosen < options.code_percent {
                code(&mut extra, &mut text);
            }
            if chosen < options.math_percent {
                math(&mut extra, &mut text);
            }
            let mut callouts = fastrand::Rng::with_seed(seed ^ 0xca11);
            if callouts.usize(..100) < options.callout_percent {
                callout(&mut callouts, &mut text);
            }
            let mut embeds = fastrand::Rng::with_seed(seed ^ 0xe3bd);
            if matches!(section, "drills" | "events") && embeds.usize(..100) < options.embed_percent
            {
                let prefix = if embeds.bool() { "pla" } else { "org" };
                let _ = write!(
                    text,
                    "\n## Background\n\n![[{prefix}-{}#Heading {}]]\n",
                    embeds.usize(..per_section),
                    embeds.usize(..6)
                );
            }
            if options.queries && section == "members" {
                text.push_str("\n## Drills\n\n```query\nkind: drill\nwhere: { participants: this }\nsort: -dates\nshow: [dates, host, format]\n```\n");
            }
            let mut translations = fastrand::Rng::with_seed(seed ^ 0x7a11);
            if translations.usize(..100) < options.translation_percent {
                // The same page, its title in Russian: what a translation costs is its
                // being a page, whatever its words.
                let translated = text.replacen("\ntitle: \"", "\ntitle: \"Перевод ", 1);
                // Made from the original as it is, as `muster translations --mark` records.
                let version = (xxhash_rust::xxh3::xxh3_128(text.as_bytes()) >> 64) as u64;
                let translated = translated.replacen(
                    "\ntitle: ",
                    &format!("\ntranslated_from: \"{version:016x}\"\ntitle: "),
                    1,
                );
                let path = format!("content/{section}/{prefix}-{i}.ru.md");
                std::fs::write(out.join(path), translated)?;
            }
            std::fs::write(out.join(format!("content/{section}/{prefix}-{i}.md")), text)?;
        }
    }
    Ok(())
}

fn sentence(rng: &mut fastrand::Rng, words: usize) -> String {
    let mut s = String::new();
    for i in 0..words {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(WORDS[rng.usize(..WORDS.len())]);
    }
    s
}

fn page(rng: &mut fastrand::Rng, section: &str, i: usize, per_section: usize) -> String {
    let mut t = String::with_capacity(7000);
    let other = |rng: &mut fastrand::Rng, p: &str| format!("{p}-{}", rng.usize(..per_section));
    let _ = writeln!(t, "---\ntitle: \"{} {i}\"", capitalize(&sentence(rng, 3)));
    let _ = writeln!(
        t,
        "date: {}-{:02}-{:02}",
        2000 + rng.usize(..25),
        1 + rng.usize(..12),
        1 + rng.usize(..28)
    );
    let _ = writeln!(t, "tags: [tag{}, tag{}]", rng.usize(..50), rng.usize(..50));
    let _ = match section {
        "drills" => write!(
            t,
            "format: field\ndates: {{ start: 2024-09-26, end: 2024-10-07 }}\nhost: {}\nparticipants: [{}, {}, {}]\nlocation: {}\nforce: {}\nobjectives: [{}, {}]\n",
            other(rng, "mem"),
            other(rng, "mem"),
            other(rng, "mem"),
            other(rng, "mem"),
            other(rng, "pla"),
            other(rng, "org"),
            sentence(rng, 4),
            sentence(rng, 5),
        ),
        "members" => write!(t, "organization: {}\nstatus: member\n", other(rng, "org")),
        "organizations" => write!(t, "abbreviation: O{i}\nparent: {}\n", other(rng, "org")),
        "places" => write!(t, "place_type: region\ncountry: {}\n", other(rng, "mem")),
        _ => write!(
            t,
            "actor: {}\norganization: {}\n",
            other(rng, "mem"),
            other(rng, "org")
        ),
    };
    t.push_str("sources: [src]\n---\n");
    for h in 0..6 {
        let _ = write!(t, "\n## Heading {h}\n\n");
        for _ in 0..4 {
            let _ = writeln!(t, "{}.", capitalize(&sentence(rng, 30)));
        }
        let (target_section, target_prefix) = SECTIONS[rng.usize(..SECTIONS.len())];
        let n = rng.usize(..per_section);
        let _ = match rng.usize(..3) {
            0 => write!(t, "\nSee [[{target_prefix}-{n}]].\n"),
            1 => write!(
                t,
                "\nSee [[{target_section}/{target_prefix}-{n}|this page]].\n"
            ),
            _ => write!(
                t,
                "\nSee [details](@/{target_section}/{target_prefix}-{n}.md#heading-{}).\n",
                rng.usize(..6)
            ),
        };
    }
    t.push_str("\n| Item | Value |\n|---|---|\n| one | 1 |\n| two | 2 |\n\n- first\n- second\n  - nested\n");
    t
}

/// A GitHub alert and an Obsidian callout that folds.
fn callout(rng: &mut fastrand::Rng, t: &mut String) {
    let kinds = ["NOTE", "TIP", "IMPORTANT", "WARNING", "CAUTION"];
    let _ = write!(
        t,
        "\n> [!{}]\n> {}.\n\n> [!info]- {}\n> {}.\n> {}.\n",
        kinds[rng.usize(..kinds.len())],
        capitalize(&sentence(rng, 12)),
        capitalize(&sentence(rng, 3)),
        capitalize(&sentence(rng, 20)),
        capitalize(&sentence(rng, 16)),
    );
}

/// A code block, as a technical page has it.
fn code(rng: &mut fastrand::Rng, t: &mut String) {
    let word = |rng: &mut fastrand::Rng| WORDS[rng.usize(..WORDS.len())];
    let lines = 12 + rng.usize(..9);
    match rng.usize(..3) {
        0 => {
            t.push_str("\n```rust\n");
            let _ = writeln!(
                t,
                "/// Plans the {} of {} {}.",
                word(rng),
                word(rng),
                word(rng)
            );
            let _ = writeln!(
                t,
                "pub fn plan_{}(units: &[Unit], days: u32) -> Vec<Step> {{",
                word(rng)
            );
            for n in 0..lines {
                let _ = writeln!(
                    t,
                    "    let {}_{n}: Vec<_> = units.iter().filter(|u| u.{} > {}).map(|u| u.id).collect(); // {}",
                    word(rng),
                    word(rng),
                    rng.usize(..1000),
                    word(rng)
                );
            }
            t.push_str("    Vec::new()\n}\n```\n");
        }
        1 => {
            t.push_str("\n```python\n");
            let _ = writeln!(t, "def plan_{}(units, days=3):", word(rng));
            let _ = writeln!(
                t,
                "    \"\"\"Plans the {} of the {}.\"\"\"",
                word(rng),
                word(rng)
            );
            for n in 0..lines {
                let _ = writeln!(
                    t,
                    "    {}_{n} = [u.id for u in units if u.{} > {}]  # {}",
                    word(rng),
                    word(rng),
                    rng.usize(..1000),
                    word(rng)
                );
            }
            t.push_str("    return []\n```\n");
        }
        _ => {
            t.push_str("\n```yaml\n");
            for n in 0..lines {
                let _ = writeln!(
                    t,
                    "{}_{n}: {{ {}: {}, note: \"{}\" }}",
                    word(rng),
                    word(rng),
                    rng.usize(..1000),
                    word(rng)
                );
            }
            t.push_str("```\n");
        }
    }
}

/// Two formulas, inline and displayed.
fn math(rng: &mut fastrand::Rng, t: &mut String) {
    let word = |rng: &mut fastrand::Rng| WORDS[rng.usize(..WORDS.len())];
    let _ = write!(
        t,
        "\nThe ratio $r_{{{0}}} = \\frac{{a_{0}}}{{b + {1}}}$ holds for each {2}.\n\n$$\n\\sum_{{i=1}}^{{{1}}} x_i^2 \\le \\sqrt{{{0}}}\n$$\n",
        rng.usize(..100),
        rng.usize(..100),
        word(rng)
    );
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map_or(String::new(), |f| f.to_uppercase().chain(c).collect())
}

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.map_err(std::io::Error::other)?;
        let target = to.join(
            entry
                .path()
                .strip_prefix(from)
                .map_err(std::io::Error::other)?,
        );
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

/// `yaml` without the top-level block that starts with the line `key` (up to the next
/// line that starts at the left margin).
fn without_block(yaml: &str, key: &str) -> String {
    let mut inside = false;
    let mut kept = String::with_capacity(yaml.len());
    for line in yaml.lines() {
        let top = !line.starts_with([' ', '\t']) && !line.is_empty();
        if top {
            inside = line.trim_end() == key;
        }
        if !inside {
            kept.push_str(line);
            kept.push('\n');
        }
    }
    kept
}
