//! Snapshot tests of large outputs: a whole rendered page and a full error report.

mod common;

use common::{TestSite, member};

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
    insta::assert_snapshot!(site.output("drills/one/index.html"));
}

#[test]
fn member_page_html_with_inverse_and_backlinks() {
    let site = site();
    site.build_ok();
    insta::assert_snapshot!(site.output("members/kz/index.html"));
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
