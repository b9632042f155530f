//! Every diagnostic code as a writer sees it, in the terminal and as JSON: one small
//! site per code, its first diagnostic of that code rendered, all in one snapshot that
//! is reviewed by reading it.

use std::fmt::Write;

use muster::{BuildOptions, Diagnostic, ErrorKind};

use crate::common::{CONFIG, TestSite, member};

/// A drill of the test site's kinds with `front` added to its front matter.
fn drill(front: &str, body: &str) -> String {
    format!(
        "---\ntitle: D\ndates: {{ start: 2024-09-26, end: 2024-10-07 }}\nhost: kz\n{front}---\n{body}"
    )
}

/// What `site` reports when built into `public/` (errors and warnings).
fn reported(site: &TestSite) -> Vec<Diagnostic> {
    match site.build() {
        Ok(stats) => stats.warnings,
        Err(e) => e.0,
    }
}

/// One site per code, and what it reports.
fn cases() -> Vec<(ErrorKind, Vec<Diagnostic>)> {
    let kz = ("members/kz.md", member("Kazakhstan", "## History"));
    let with = |files: &[(&str, &str)]| {
        let mut all = vec![(kz.0, kz.1.as_str())];
        all.extend_from_slice(files);
        reported(&TestSite::new(&all))
    };
    let configured = |extra: &str, files: &[(&str, &str)]| {
        reported(&TestSite::with_config(&format!("{CONFIG}{extra}"), files))
    };
    let output_is_a_file = {
        let site = TestSite::new(&[(kz.0, &kz.1)]);
        site.write("taken", "a file");
        let options = BuildOptions::new(site.root());
        let error = muster::build(&options, &site.root().join("taken")).unwrap_err();
        error.0
    };
    let template_failing = {
        let site = TestSite::new(&[
            (kz.0, &kz.1),
            ("drills/d.md", &drill("template: broken.html\n", "")),
        ]);
        site.write("templates/broken.html", "{{ page.nothing.deeper }}");
        reported(&site)
    };
    let external_link_missing = {
        let (origin, _) = crate::external::start_server();
        let site = TestSite::new(&[
            (kz.0, &kz.1),
            (
                "drills/d.md",
                &drill("", &format!("[Gone]({origin}/missing)\n")),
            ),
        ]);
        let options = BuildOptions::new(site.root());
        let error = muster::check_external(&options, &muster::ExternalOptions::default());
        error.unwrap_err().0
    };
    vec![
        (ErrorKind::Io, configured("guide: missing.md\n", &[])),
        (ErrorKind::Config, configured("titel: Typo\n", &[])),
        (
            ErrorKind::FrontMatter,
            with(&[("drills/d.md", "---\ntitle: [D\nhost: kz\n---\n")]),
        ),
        (
            ErrorKind::Field,
            with(&[("drills/d.md", &drill("partcipants: [kz]\n", ""))]),
        ),
        (
            ErrorKind::Reference,
            with(&[("drills/d.md", &drill("participants: [kzz]\n", ""))]),
        ),
        (
            ErrorKind::Link,
            with(&[("drills/d.md", &drill("", "See [[nowhere]].\n"))]),
        ),
        (
            ErrorKind::Anchor,
            with(&[("drills/d.md", &drill("", "See [[kz#histroy]].\n"))]),
        ),
        (
            ErrorKind::Duplicate,
            with(&[("members/other.md", "---\ntitle: Other\nslug: kz\n---\n")]),
        ),
        (
            ErrorKind::Template,
            with(&[("drills/d.md", &drill("template: missing.html\n", ""))]),
        ),
        (ErrorKind::Render, template_failing),
        (ErrorKind::External, external_link_missing),
        (ErrorKind::Output, output_is_a_file),
        (
            ErrorKind::Unrendered,
            with(&[("notes/page.mdx", "# A page for another tool\n")]),
        ),
        (
            ErrorKind::Math,
            with(&[(
                "drills/d.md",
                &drill("", "A formula: $a + \\nosuchcommand x$ here.\n"),
            )]),
        ),
        (
            ErrorKind::Embed,
            with(&[
                ("drills/d.md", &drill("", "![[e]]\n")),
                ("drills/e.md", &drill("", "![[d]]\n")),
            ]),
        ),
        (
            ErrorKind::Shortcode,
            with(&[("drills/d.md", &drill("", "{{ nosuch(x=1) }}\n"))]),
        ),
        (
            ErrorKind::Query,
            with(&[(
                "drills/d.md",
                &drill("", "```query\nkind: memebr\nshow: [joined]\n```\n"),
            )]),
        ),
        (
            ErrorKind::Translation,
            configured(
                "languages:\n  ru: { name: Русский }\n",
                &[
                    (kz.0, &kz.1),
                    (
                        "members/kz.ru.md",
                        "---\ntitle: Казахстан\ntranslated_from: \"0123456789abcdef\"\n---\n",
                    ),
                ],
            ),
        ),
    ]
}

#[test]
fn every_diagnostic_code_as_a_writer_sees_it() {
    let mut shown = String::new();
    let mut covered = Vec::new();
    for (kind, reported) in cases() {
        let d = reported
            .iter()
            .find(|d| d.kind == kind)
            .unwrap_or_else(|| panic!("no {} among {reported:#?}", kind.code()));
        // Every one has a hint, and is located but for the output folder, which is
        // named on the command line, not in a file.
        assert!(d.location.is_some() || kind == ErrorKind::Output, "{d}");
        assert!(d.hint.is_some(), "{d}");
        let _ = writeln!(
            shown,
            "=== {} ({:?})\n{}\n",
            kind.code(),
            kind,
            d.render(false)
        );
        let _ = writeln!(shown, "{}\n", muster::diagnostic_json(d));
        covered.push(kind);
    }
    for kind in muster::explain::ALL {
        assert!(covered.contains(&kind), "{} has no case", kind.code());
    }
    insta::assert_snapshot!(without_ports(&without_temporary_folders(&shown)));
}

/// `text` with the port of each address on this machine (`127.0.0.1:45667`) written
/// `<port>`: the test server's port changes from run to run.
fn without_ports(text: &str) -> String {
    const HOST: &str = "127.0.0.1:";
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(HOST) {
        out.push_str(&rest[..at + HOST.len()]);
        let after = &rest[at + HOST.len()..];
        let digits = after
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(after.len());
        out.push_str(if digits > 0 { "<port>" } else { "" });
        rest = &after[digits..];
    }
    out.push_str(rest);
    out
}

/// `text` with each temporary folder's path (`/tmp/.tmpAb12Cd`) written `<tmp>`.
fn without_temporary_folders(text: &str) -> String {
    let prefix = format!("{}/.tmp", std::env::temp_dir().display()).replace("//", "/");
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(&prefix) {
        out.push_str(&rest[..at]);
        out.push_str("<tmp>");
        let after = &rest[at + prefix.len()..];
        let name = after
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(after.len());
        rest = &after[name..];
    }
    out.push_str(rest);
    out
}
