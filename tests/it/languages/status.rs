//! Keeping translations in step: `translated_from:`, `muster check`'s warnings,
//! `muster translations`, `muster new --lang`, and the checks of `languages:`.

use crate::common::{CONFIG, TestSite};

use super::{DRILL, DRILL_RU, check, has, lacks, two_language_site};

#[test]
fn translations_say_when_their_original_changed_since() {
    let site = two_language_site();
    // No translation records its original's version yet; Kazakhstan has none.
    let said = check(&site);
    has(
        &said,
        "warning[E018]: this translation does not record which version of content/drills/brotherhood.md it translates",
    );
    has(&said, "--> content/drills/brotherhood.ru.md:1:1");
    has(
        &said,
        "1 of 4 pages have no translation into Русский (ru): `members/kazakhstan`",
    );
    let table = site.run(&["translations"]);
    let table = String::from_utf8_lossy(&table.stdout).into_owned();
    has(&table, "Русский (ru):");
    has(&table, "missing     members/kazakhstan");
    has(&table, "unrecorded  drills/brotherhood");
    has(&table, "0 current, 0 stale, 3 unrecorded, 1 missing");

    let marked = site.run(&["translations", "--mark", "content/drills/brotherhood.ru.md"]);
    assert!(
        marked.status.success(),
        "{}",
        String::from_utf8_lossy(&marked.stderr)
    );
    let text =
        std::fs::read_to_string(site.root().join("content/drills/brotherhood.ru.md")).unwrap();
    assert!(
        text.starts_with(&DRILL_RU[..DRILL_RU.find("\n---\n").unwrap()]),
        "{text}"
    );
    has(&text, "\ntranslated_from: \"");
    assert!(
        text.ends_with(&DRILL_RU[DRILL_RU.find("\n---\n").unwrap()..]),
        "{text}"
    );
    let said = check(&site);
    lacks(&said, "content/drills/brotherhood.ru.md");
    let table = String::from_utf8_lossy(&site.run(&["translations"]).stdout).into_owned();
    has(&table, "current     drills/brotherhood");

    // The original changes: its translation is stale, pointed at its record.
    site.write(
        "content/drills/brotherhood.md",
        &DRILL.replace("Hosted by", "Held in"),
    );
    let said = check(&site);
    has(
        &said,
        "warning[E018]: this translation is stale: content/drills/brotherhood.md changed after it was translated",
    );
    let line = DRILL_RU.lines().count() - DRILL_RU.split("\n---\n").nth(1).unwrap().lines().count();
    has(
        &said,
        &format!("--> content/drills/brotherhood.ru.md:{line}:18"),
    );
    // A stale translation is published as it is.
    site.build_ok();
    assert!(
        site.output("ru/drills/brotherhood/index.html")
            .contains("Нерушимое братство")
    );
}

#[test]
fn marking_refuses_what_is_no_translation_and_writes_nothing() {
    let site = two_language_site();
    let before = crate::common::fingerprint(site.root(), &[]);
    let out = site.run(&[
        "translations",
        "--mark",
        "content/drills/brotherhood.ru.md",
        "content/members/kazakhstan.md",
    ]);
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    has(
        &said,
        "content/members/kazakhstan.md is no translation of a page of this site",
    );
    assert_eq!(before, crate::common::fingerprint(site.root(), &[]));
}

#[test]
fn language_settings_are_checked() {
    let config = format!("{CONFIG}languages:\n  ru: {{ path: ../up }}\n");
    let site = TestSite::with_config(&config, &[]);
    let out = site.run(&["check", "--color", "never"]);
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    has(&said, "`../up` is not a folder name for the pages in `ru`");
}

#[test]
fn new_makes_a_translation_from_its_original() {
    let site = two_language_site();
    let out = site.run(&["new", "--lang", "ru", "drill", "Brotherhood"]);
    assert!(!out.status.success(), "the translation exists already");
    assert!(String::from_utf8_lossy(&out.stderr).contains("exists already"));
    site.write(
        "content/drills/bulwark.md",
        &DRILL.replace("Unbreakable Brotherhood", "Bulwark"),
    );
    let out = site.run(&["new", "--lang", "ru", "drill", "Bulwark"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let made = std::fs::read_to_string(site.root().join("content/drills/bulwark.ru.md")).unwrap();
    // The original's fields, as a draft to translate.
    has(
        &made,
        "host: kyrgyzstan\nparticipants: [kazakhstan, kyrgyzstan]\ndraft: true\n---\n",
    );
    has(&made, "title: Bulwark");
    let out = site.run(&["new", "--lang", "de", "drill", "Bulwark"]);
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("`de` is not one of the site's other languages")
    );
    let out = site.run(&["new", "--lang", "ru", "drill", "Nothing"]);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("there is no"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!site.root().join("content/drills/nothing.ru.md").exists());
}
