//! Whatever a writer saves, a build ends in success or located errors, never a panic,
//! and a failed build leaves `public/` as it was.

use crate::common::{TestSite, snapshot_tree};
use proptest::prelude::*;

/// Fragments that make front matter and Markdown interesting to parse.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("---\n".to_string()),
        Just("title: T\n".to_string()),
        Just("host: kazakhstan\n".to_string()),
        Just("participants: [kazakhstan, nope]\n".to_string()),
        Just("dates: { start: 2024-09-26, end: 2024-10-07 }\n".to_string()),
        Just("dates: { start: 2024-13-40 }\n".to_string()),
        Just("tags: [a, B, a]\n".to_string()),
        Just("\t- tab\n".to_string()),
        Just("[[kazakhstan#history]] ".to_string()),
        Just("[[members/kazakhstan|K]] ".to_string()),
        Just("[x](@/members/kazakhstan.md#nope) ".to_string()),
        Just("[[../../etc/passwd]] ".to_string()),
        Just("```\n".to_string()),
        Just("## Heading\n".to_string()),
        Just("> ".to_string()),
        Just("<!-- more -->\n".to_string()),
        Just("\u{feff}".to_string()),
        Just("\r\n".to_string()),
        Just("{{ figure(src=\"a.png\", width=3) }}".to_string()),
        Just("{{ figur(x=1) }}".to_string()),
        Just("{% note(kind=\"tip\") %}\n".to_string()),
        Just("{% end %}\n".to_string()),
        Just("{% query() %}\nkind: member\n".to_string()),
        Just("{{/* shown() */}}".to_string()),
        Just("{{ f(a=\"".to_string()),
        Just("{{ include(path=\"/notes/n.md\") }}\n".to_string()),
        Just("```query\nkind: drill\nwhere: { host: this }\n```\n".to_string()),
        Just("\u{1}0\u{2}".to_string()),
        "[a-zа-я :\\[\\]{}#|@/\n-]{0,12}",
    ]
}

fn document() -> impl Strategy<Value = String> {
    proptest::collection::vec(fragment(), 0..16).prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn any_page_text_builds_or_fails_cleanly(drill in document(), note in document()) {
        let site = TestSite::new(&[("members/kazakhstan.md", "---\ntitle: Kazakhstan\n---\n## History\n")]);
        site.build_ok();
        let before = snapshot_tree(&site.root().join("public"));
        site.write("content/drills/d.md", &drill);
        site.write("content/notes/n.md", &note);
        match site.build() {
            Ok(_) => {}
            Err(errors) => {
                prop_assert!(!errors.0.is_empty());
                for e in &errors.0 {
                    prop_assert!(e.hint.is_some(), "no hint: {e}");
                    if e.kind != muster::ErrorKind::Duplicate && e.kind != muster::ErrorKind::Io {
                        prop_assert!(e.location.is_some(), "no location: {e}");
                    }
                }
                prop_assert_eq!(snapshot_tree(&site.root().join("public")), before);
            }
        }
    }
}
