//! Typed queries: a page lists the pages of a kind whose fields meet conditions, checked
//! against site.yaml (located errors with "did you mean"), run once references are
//! resolved, and shown as a table, list, cards or count.

use crate::common::TestSite;

fn member(slug: &str, joined: i64, body: &str) -> (String, String) {
    (
        format!("members/{slug}.md"),
        format!(
            "---\ntitle: {}\njoined: {joined}\n---\n{body}\n",
            capitalize(slug)
        ),
    )
}

fn drill(
    slug: &str,
    start: &str,
    host: &str,
    participants: &[&str],
    format: &str,
) -> (String, String) {
    (
        format!("drills/{slug}.md"),
        format!(
            "---\ntitle: {}\ndates: {{ start: {start}, end: {start} }}\nhost: {host}\nparticipants: [{}]\nformat: {format}\n---\nA drill.\n",
            capitalize(slug),
            participants.join(", ")
        ),
    )
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn site(kazakhstan_body: &str) -> TestSite {
    TestSite::from_owned(&[
        member("kazakhstan", 1992, kazakhstan_body),
        member("russia", 1992, "A member."),
        member("armenia", 1992, "A member."),
        member("belarus", 1993, "A member."),
        drill(
            "alpha",
            "2022-05-01",
            "russia",
            &["kazakhstan", "russia"],
            "field",
        ),
        drill(
            "bravo",
            "2024-09-26",
            "kazakhstan",
            &["kazakhstan", "belarus"],
            "command-staff",
        ),
        drill(
            "charlie",
            "2023-03-01",
            "belarus",
            &["belarus", "armenia"],
            "field",
        ),
    ])
}

#[test]
fn a_member_page_lists_its_drills_newest_first_as_a_table() {
    let site = site(
        "Drills:\n\n```query\nkind: drill\nwhere: { participants: this }\nsort: -dates\nshow: [dates, host, format]\n```\n",
    );
    site.build_ok();
    let html = site.output("members/kazakhstan/index.html");
    let table = &html[html.find("<table class=\"query\">").expect("a table")..];
    let table = &table[..table.find("</table>").unwrap()];
    assert!(
        table.contains(
            "<th scope=\"col\">Dates</th><th scope=\"col\">Host</th><th scope=\"col\">Format</th>"
        ),
        "{table}"
    );
    // Bravo (2024) before Alpha (2022); Charlie has no Kazakhstan.
    let bravo = table.find("Bravo").expect("bravo");
    let alpha = table.find("Alpha").expect("alpha");
    assert!(bravo < alpha, "{table}");
    assert!(!table.contains("Charlie"), "{table}");
    // Typed values: references as links, dates as dates, enum values by label.
    assert!(
        table.contains(
            "<td><a href=\"/members/kazakhstan/\">Kazakhstan</a></td><td>Command staff</td>"
        ),
        "{table}"
    );
    assert!(
        table.contains("<time datetime=\"2024-09-26\">26 September 2024</time>"),
        "{table}"
    );
    // Scripts get the same result beside the page's data, in pages.json's terms.
    let data: serde_json::Value =
        serde_json::from_str(&site.output("api/pages.json")).expect("pages.json");
    let kazakhstan = data["pages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["path"] == "members/kazakhstan")
        .expect("the page");
    assert_eq!(
        kazakhstan["queries"],
        serde_json::json!([{ "kind": "drill", "pages": ["drills/bravo", "drills/alpha"] }])
    );
    let russia = data["pages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["path"] == "members/russia")
        .expect("the page");
    assert!(russia.get("queries").is_none(), "{russia}");
    // What a query lists is other pages' titles: searching them finds those pages, not
    // every page that lists them.
    assert_eq!(pages_found(&site, "bravo"), ["/drills/bravo/"]);
}

/// The URLs of the pages the search index gives for `term`.
fn pages_found(site: &TestSite, term: &str) -> Vec<String> {
    let json = |rel: &str| -> serde_json::Value {
        serde_json::from_str(&site.output(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    };
    let meta = json("search/meta.json");
    let prefix = meta["shards"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s.as_str())
        .filter(|p| term.starts_with(p))
        .max_by_key(|p| p.len())
        .expect("a shard")
        .to_string();
    let hex: String = prefix.bytes().map(|b| format!("{b:02x}")).collect();
    let shard = json(&format!("search/shard-{hex}.json"));
    let docs = json("search/docs-0.json");
    shard[term]
        .as_array()
        .expect("the term is indexed")
        .chunks(2)
        .map(|posting| {
            let doc = posting[0].as_u64().unwrap() as usize;
            docs[doc][1].as_str().unwrap().to_string()
        })
        .collect()
}

#[test]
fn conditions_ranges_inverses_limits_and_counts() {
    let body = "\
{% query() %}\nkind: drill\nwhere: { format: field, dates: { from: 2023-01-01 } }\n{% end %}\n\n\
{% query() %}\nkind: member\nwhere: { drills: bravo, joined: { to: 1992 } }\nas: cards\n{% end %}\n\n\
Members: {% query() %}\nkind: member\nas: count\n{% end %}.\n\n\
{% query() %}\nkind: drill\nwhere: { host: { in: [russia, belarus] } }\nsort: title\nlimit: 1\n{% end %}\n\n\
{% query() %}\nkind: drill\nwhere: { objectives: { present: true } }\nnone: Nothing planned.\n{% end %}\n";
    let site = site(body);
    site.build_ok();
    let html = site.output("members/kazakhstan/index.html");
    let lists: Vec<&str> = html
        .split("<ul class=\"query-")
        .skip(1)
        .map(|l| &l[..l.find("</ul>").unwrap()])
        .collect();
    // Field drills from 2023 on: Charlie only.
    assert!(lists[0].starts_with("list\">"), "{html}");
    assert!(
        lists[0].contains("Charlie") && !lists[0].contains("Alpha"),
        "{}",
        lists[0]
    );
    // Members in drill Bravo (an inverse relation) who joined by 1992: Kazakhstan only.
    assert!(lists[1].starts_with("cards\">"), "{html}");
    assert!(
        lists[1].contains("Kazakhstan") && !lists[1].contains("Belarus"),
        "{}",
        lists[1]
    );
    assert!(
        html.contains("Members: <span class=\"query-count\">4</span>."),
        "{html}"
    );
    // Hosted by Russia or Belarus, by title, one: Alpha.
    assert!(
        lists[2].contains("Alpha") && !lists[2].contains("Charlie"),
        "{}",
        lists[2]
    );
    assert!(
        html.contains("<p class=\"query-none\">Nothing planned.</p>"),
        "{html}"
    );
}

#[test]
fn every_mistake_is_a_located_error_with_a_hint() {
    let body = "\
```query\nkind: dril\n```\n\n\
```query\nkind: drill\nwhere: { participnts: this }\n```\n\n\
```query\nkind: drill\nwhere: { format: feild }\n```\n\n\
```query\nkind: drill\nwhere: { dates: { after: 2024-01-01 } }\n```\n\n\
```query\nkind: drill\nwhere: { dates: { from: soon } }\n```\n\n\
```query\nkind: drill\nsort: -host\nshow: [hots]\n```\n\n\
```query\nkind: drill\nwhere: { host: nowhere }\n```\n";
    let site = site(body);
    let err = site.build().expect_err("the queries are wrong");
    let text = err.to_string();
    let expect = [
        (6, "unknown kind `dril`", "did you mean `drill`?"),
        (
            11,
            "kind `drill` has no field `participnts`",
            "did you mean `participants`?",
        ),
        (
            16,
            "`feild` is not one of the field's values",
            "did you mean `field`?",
        ),
        (21, "unknown operator `after`", "the operators are"),
        (26, "this value must be a date", "2024-09-26"),
        (
            32,
            "kind `drill` has no field `hots`",
            "did you mean `host`?",
        ),
        (35, "the query names no page `nowhere`", "existing page"),
    ];
    for (line, message, hint) in expect {
        let d = err
            .0
            .iter()
            .find(|d| d.message.contains(message))
            .unwrap_or_else(|| panic!("no error `{message}` in:\n{text}"));
        assert_eq!(d.kind.code(), "E017", "{text}");
        let location = d.location.as_ref().expect("located");
        assert!(location.file.ends_with("members/kazakhstan.md"), "{text}");
        assert_eq!(location.line, line, "{message}\n{text}");
        assert!(
            d.hint.as_deref().unwrap_or_default().contains(hint),
            "{message}: {:?}",
            d.hint
        );
    }
}

#[test]
fn this_must_be_of_the_kind_the_field_holds() {
    // On a drill, `participants: this` cannot hold: participants are members.
    let site = TestSite::from_owned(&[
        member("kazakhstan", 1992, "A member."),
        (
            "drills/alpha.md".into(),
            "---\ntitle: Alpha\ndates: { start: 2022-05-01, end: 2022-05-02 }\nhost: kazakhstan\n---\n```query\nkind: drill\nwhere: { participants: this }\n```\n".into(),
        ),
    ]);
    let err = site.build().expect_err("wrong kind");
    assert!(
        err.0
            .iter()
            .any(|d| d.message.contains("`this` is a page of kind `drill`")),
        "{err}"
    );
}

/// Templates run the same queries with `query()`: the same keys, checks and result.
#[test]
fn templates_run_queries_with_the_query_function() {
    let site = site("A member.");
    site.write(
        "templates/partials/terms.html",
        "{% if page.kind == \"member\" %}{% set q = query(kind=\"drill\", where={\"participants\": \"this\"}, sort=\"-dates\", show=[\"host\"]) %}\
         <ul class=\"tq\">{% for r in q.rows %}<li>{{ r.title }}|{{ r.cells[0].value.title }}</li>{% endfor %}</ul>\
         {% set joined = query(kind=\"member\", where={\"joined\": 1993}) %}<p class=\"tqc\">{{ joined.count }}</p>{% endif %}\n",
    );
    site.build_ok();
    let html = site.output("members/kazakhstan/index.html");
    assert!(
        html.contains("<ul class=\"tq\"><li>Bravo|Kazakhstan</li><li>Alpha|Russia</li></ul>"),
        "{html}"
    );
    assert!(html.contains("<p class=\"tqc\">1</p>"), "{html}");
    let html = site.output("members/armenia/index.html");
    assert!(
        html.contains("<ul class=\"tq\"><li>Charlie|Belarus</li></ul>"),
        "{html}"
    );

    // Checked as a page's query is: an unknown field is an error at the template's call.
    site.write(
        "templates/partials/terms.html",
        "{% if page.kind == \"member\" %}{% set q = query(kind=\"drill\", where={\"hots\": \"this\"}) %}{{ q.count }}{% endif %}\n",
    );
    let errors = site.build().expect_err("an unknown field").0;
    let error = errors
        .iter()
        .find(|e| e.message.contains("query()"))
        .unwrap_or_else(|| panic!("{errors:?}"));
    assert!(error.message.contains("did you mean `host`"), "{error:?}");
    let location = error.location.as_ref().expect("a location");
    assert!(
        location.file.ends_with("templates/partials/terms.html"),
        "{location:?}"
    );
    assert_eq!(location.line, 1);
}
