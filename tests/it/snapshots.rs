//! Snapshot tests of large outputs: a whole rendered page and a full error report.

use crate::common::{TestSite, member};

/// `style.ef22a0c0db.css` → `style.HASH.css`, so that a stylesheet edit does not
/// change every snapshot (fingerprints are tested in tests/build.rs).
fn without_fingerprints(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(dot) = rest.find('.') {
        let after = &rest[dot + 1..];
        let hash_len = after.bytes().take_while(u8::is_ascii_hexdigit).count();
        let ext = &after[hash_len..];
        if hash_len == 10 && (ext.starts_with(".css\"") || ext.starts_with(".js\"")) {
            out.push_str(&rest[..dot]);
            out.push_str(".HASH");
            rest = ext;
        } else {
            out.push_str(&rest[..=dot]);
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

fn site() -> TestSite {
    TestSite::new(&[
        (
            "drills/one.md",
            "---\ntitle: Exercise One\ndates: { start: 2024-09-26, end: 2024-10-07 }\nhost: kz\nparticipants: [kz, ru]\nformat: field\nobjectives: [Deploy faster, Move contingents]\ntags: [csto]\n---\nHosted by [[kz]].\n\n## Plan {#the-plan}\n\n| Day | Step |\n|---|---|\n| 1 | Arrive |\n\n## Notes\n\nA note[^1].\n\n[^1]: Footnote.\n",
        ),
        ("members/kz.md", &member("Kazakhstan", "Host of [[one]].")),
        ("members/ru.md", &member("Russia", "")),
    ])
}

#[test]
fn drill_page_html() {
    let site = site();
    site.build_ok();
    insta::assert_snapshot!(without_fingerprints(&site.output("drills/one/index.html")));
}

#[test]
fn member_page_html_with_inverse_and_backlinks() {
    let site = site();
    site.build_ok();
    insta::assert_snapshot!(without_fingerprints(&site.output("members/kz/index.html")));
}

#[test]
fn error_report_text() {
    let site = TestSite::new(&[
        ("members/kz.md", &member("Kazakhstan", "## History")),
        (
            "drills/one.md",
            "---\ntitle: One\ndates: { start: 2024-10-07, end: 2024-09-26 }\nhost: kzz\nformat: feild\n---\nSee [[kz#histroy]].\n",
        ),
    ]);
    let errors = site.build().unwrap_err();
    insta::assert_snapshot!(errors.to_string());
}
