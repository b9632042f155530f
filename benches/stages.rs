//! Benchmarks of the hot stages: front matter split and parse, Markdown scan and
//! render with link rewriting, one page rendered through its template, and a whole
//! check of the repository's knowledge base.
//!
//! `cargo bench --bench stages`

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use muster::SiteConfig;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A typical drill page: typed front matter with refs, six sections with links.
fn drill_page() -> String {
    let mut body = String::new();
    for h in 0..6 {
        body.push_str(&format!("\n## Heading {h}\n\n"));
        for _ in 0..4 {
            body.push_str("Units from the member states train together at the training ground, under one command, to prepare a peacekeeping operation of the collective force.\n");
        }
        body.push_str(&format!("\nSee [[russia]], [[members/belarus|Belarus]] and [the plan](@/drills/x.md#heading-{h}).\n"));
    }
    body.push_str("\n| Item | Value |\n|---|---|\n| one | 1 |\n\n- first\n- second\n");
    format!(
        "---\ntitle: Exercise\nformat: command-staff\ndates: {{ start: 2024-09-26, end: 2024-10-07 }}\nhost: kazakhstan\nparticipants: [kazakhstan, russia, belarus, kyrgyzstan, tajikistan]\nobjectives: [Deploy, Transit, Develop]\nsources: [asiaplus-drill-article]\ntags: [csto, peacekeeping]\n---\n{body}"
    )
}

fn front_matter_and_parse(c: &mut Criterion) {
    let config = SiteConfig::load(&repo()).expect("site.yaml");
    let text = drill_page();
    c.bench_function(
        "page load (split, YAML, typed fields, Markdown scan)",
        |b| {
            b.iter(|| {
                black_box(muster::stages::load_page(
                    &config,
                    "drills/x.md",
                    text.clone(),
                ))
            })
        },
    );
    let split = muster::split_front_matter(&text).unwrap();
    c.bench_function("front matter split", |b| {
        b.iter(|| black_box(muster::split_front_matter(black_box(&text))))
    });
    c.bench_function("markdown scan", |b| {
        b.iter(|| black_box(muster::stages::scan(split.body)))
    });
}

fn markdown_render(c: &mut Criterion) {
    let text = drill_page();
    let body = muster::stages::scan(muster::split_front_matter(&text).unwrap().body);
    c.bench_function("markdown render with link rewriting", |b| {
        b.iter(|| black_box(body.render()))
    });
}

fn one_page_render(c: &mut Criterion) {
    let loaded = muster::load(&muster::BuildOptions::new(repo())).expect("loads");
    let sink = muster::NullSink;
    muster::stages::with_one_page_render(
        &loaded,
        "drills/indestructible-brotherhood-2024/index.html",
        &sink,
        |render| {
            c.bench_function("one page render (drill page, Tera, values shared)", |b| {
                b.iter(|| black_box(render()))
            });
        },
    )
    .expect("the drill page is planned");
}

fn check_small_site(c: &mut Criterion) {
    let options = muster::BuildOptions::new(repo());
    c.bench_function("check the repository's knowledge base", |b| {
        b.iter(|| black_box(muster::check(&options).expect("knowledge base builds")))
    });
}

criterion_group!(
    benches,
    front_matter_and_parse,
    markdown_render,
    one_page_render,
    check_small_site
);
criterion_main!(benches);
