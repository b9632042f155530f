//! `muster lsp` driven over stdio with real JSON-RPC messages, as an editor drives it.

use serde_json::{Value, json};

use crate::common::lsp::{LspClient, apply_workspace_edit, file_uri, position_of};
use crate::common::{TestSite, fingerprint, member};

const DRILL: &str = "---
title: Shield-2024
dates: { start: 2024-09-26, end: 2024-10-07 }
host: kazakhstan
participants: [kazakhstan, russia]
format: field
---
The drill in [[kazakhstan]], see [[russia#History]].
";

fn site() -> TestSite {
    TestSite::new(&[
        (
            "members/kazakhstan.md",
            &member("Kazakhstan", "## Geography\n\nSteppe."),
        ),
        (
            "members/russia.md",
            &member(
                "Russia",
                "A member.\n\n## History\n\nOld.\n\n### Empire\n\nLong.",
            ),
        ),
        ("drills/shield.md", DRILL),
    ])
}

/// `site()`, with Kazakhstan linking to Russia's history by path and heading id.
fn site_with_an_at_link() -> TestSite {
    let site = site();
    let body = "Next to [Russia](@/members/russia.md#history).";
    site.write("content/members/kazakhstan.md", &member("Kazakhstan", body));
    site
}

fn codes(diagnostics: &[Value]) -> Vec<&str> {
    diagnostics
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect()
}

#[test]
fn errors_show_as_you_type_in_the_page_and_in_pages_it_breaks() {
    let site = site();
    let before = fingerprint(site.root(), &[]);
    let mut lsp = LspClient::start(site.root());
    let drill = site.root().join("content/drills/shield.md");
    let drill_uri = file_uri(&drill);
    // A ref to a page that does not exist, typed and not saved.
    let typo = DRILL.replace("host: kazakhstan", "host: kazakstan");
    lsp.open(&drill, &typo);
    let found = lsp.diagnostics(&drill_uri, |d| !d.is_empty());
    assert_eq!(codes(&found), ["E005"], "{found:?}");
    let range = &found[0]["range"];
    assert_eq!(
        range["start"],
        position_of(&typo, "kazakstan", 0),
        "{found:?}"
    );
    assert_eq!(
        range["end"],
        position_of(&typo, "kazakstan", 9),
        "{found:?}"
    );
    let hint = found[0]["relatedInformation"][0]["message"]
        .as_str()
        .unwrap();
    assert!(
        hint.starts_with("hint: ") && hint.contains("kazakhstan"),
        "{hint}"
    );
    assert_eq!(found[0]["severity"], 1);
    // Mended: the file's diagnostics are cleared.
    lsp.change(&drill, 2, DRILL);
    lsp.diagnostics(&drill_uri, |d| d.is_empty());
    // Renaming a heading in one page breaks the link to it in another.
    let russia = site.root().join("content/members/russia.md");
    let renamed = member("Russia", "A member.\n\n## Past\n\nOld.");
    lsp.open(&russia, &renamed);
    let found = lsp.diagnostics(&drill_uri, |d| !d.is_empty());
    assert_eq!(codes(&found), ["E007"], "{found:?}");
    assert_eq!(
        found[0]["range"]["start"],
        position_of(DRILL, "[[russia#History]]", 0)
    );
    // Closing the buffer unsaved: the file on disk counts again.
    lsp.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": file_uri(&russia)}}),
    );
    lsp.diagnostics(&drill_uri, |d| d.is_empty());
    assert!(lsp.shutdown().success());
    assert_eq!(
        before,
        fingerprint(site.root(), &[]),
        "muster lsp wrote a file"
    );
}

fn completion_labels(response: &Value) -> Vec<String> {
    let items = response["result"].as_array().cloned().unwrap_or_default();
    items
        .iter()
        .map(|i| i["label"].as_str().unwrap().to_string())
        .collect()
}

/// The labels of the completion items offered at `needle` (plus `plus` characters).
fn labels_at(
    lsp: &mut LspClient,
    path: &std::path::Path,
    text: &str,
    (needle, plus): (&str, usize),
) -> Vec<String> {
    let response = lsp.request(
        "textDocument/completion",
        at(path, position_of(text, needle, plus)),
    );
    completion_labels(&response)
}

/// Asserts that `labels` hold each of `names`.
fn assert_offers(labels: &[String], names: &[&str]) {
    for name in names {
        assert!(labels.iter().any(|l| l == name), "{name} not in {labels:?}");
    }
}

fn at(path: &std::path::Path, position: Value) -> Value {
    json!({"textDocument": {"uri": file_uri(path)}, "position": position})
}

#[test]
fn completion_offers_keys_values_pages_and_headings() {
    let site = site();
    let mut lsp = LspClient::start(site.root());
    let path = site.root().join("content/drills/new.md");
    // A page not saved yet: its kind comes from its folder.
    let text = "---\ntitle: New\nobj\nparticipants: [russia, ]\n---\nSee [[ru]] and [[russia#]].\n";
    lsp.open(&path, text);
    let keys = lsp.request(
        "textDocument/completion",
        at(&path, position_of(text, "obj", 3)),
    );
    let labels = completion_labels(&keys);
    assert_offers(
        &labels,
        &["objectives", "host", "format", "dates", "date", "tags"],
    );
    for written in ["title", "participants"] {
        assert!(
            !labels.contains(&written.to_string()),
            "{written} is written: {labels:?}"
        );
    }
    let host = keys["result"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["label"] == "host")
        .unwrap();
    assert_eq!(host["detail"], "ref, required");
    assert_eq!(host["textEdit"]["newText"], "host: ");
    // Refs: only pages of the field's kind, titles shown and slugs written.
    let values = lsp.request(
        "textDocument/completion",
        at(&path, position_of(text, "russia, ]", 8)),
    );
    let items = values["result"].as_array().unwrap();
    let shown: Vec<(&str, &str)> = items
        .iter()
        .map(|i| {
            (
                i["label"].as_str().unwrap(),
                i["textEdit"]["newText"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(shown, [("Kazakhstan", "kazakhstan"), ("Russia", "russia")]);
    let pages = labels_at(&mut lsp, &path, text, ("[[ru]]", 4));
    assert_offers(&pages, &["russia", "shield"]);
    let headings = labels_at(&mut lsp, &path, text, ("[[russia#]]", 9));
    assert_eq!(headings, ["History", "Empire"]);
    // Enum values.
    let drill = site.root().join("content/drills/shield.md");
    lsp.open(&drill, DRILL);
    let formats = labels_at(&mut lsp, &drill, DRILL, ("format: field", 8));
    assert_eq!(formats, ["command-staff", "field"]);
    assert!(lsp.shutdown().success());
}

#[test]
fn hover_definition_references_and_symbols() {
    let site = site();
    let mut lsp = LspClient::start(site.root());
    let drill = site.root().join("content/drills/shield.md");
    let russia = site.root().join("content/members/russia.md");
    lsp.open(&drill, DRILL);
    let hover = lsp.request(
        "textDocument/hover",
        at(&drill, position_of(DRILL, "russia]", 1)),
    );
    let shown = hover["result"]["contents"]["value"].as_str().unwrap();
    assert!(shown.starts_with("**Russia** — Member state"), "{shown}");
    let hover = lsp.request(
        "textDocument/hover",
        at(&drill, position_of(DRILL, "host:", 1)),
    );
    let shown = hover["result"]["contents"]["value"].as_str().unwrap();
    assert!(
        shown.contains("ref, required") && shown.contains("kind `member`"),
        "{shown}"
    );
    // On a page's title: what points at it.
    let russia_text = std::fs::read_to_string(&russia).unwrap();
    let hover = lsp.request(
        "textDocument/hover",
        at(&russia, position_of(&russia_text, "title", 2)),
    );
    let shown = hover["result"]["contents"]["value"].as_str().unwrap();
    assert!(
        shown.contains("1 page links or refers here") && shown.contains("- Drills: Shield-2024"),
        "{shown}"
    );
    // Definition of a link to a heading: the heading's line in the other file.
    let definition = lsp.request(
        "textDocument/definition",
        at(&drill, position_of(DRILL, "History]]", 2)),
    );
    assert_eq!(definition["result"]["uri"], file_uri(&russia));
    assert_eq!(
        definition["result"]["range"]["start"],
        position_of(&russia_text, "## History", 0)
    );
    // References to Russia: the drill's ref in its front matter and its link.
    let references = lsp.request(
        "textDocument/references",
        json!({"textDocument": {"uri": file_uri(&russia)}, "position": {"line": 0, "character": 0},
               "context": {"includeDeclaration": false}}),
    );
    let found: Vec<(&str, Value)> = references["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["uri"].as_str().unwrap(), l["range"]["start"].clone()))
        .collect();
    let drill_uri = file_uri(&drill);
    assert_eq!(
        found,
        [
            (drill_uri.as_str(), position_of(DRILL, "russia]", 0)),
            (drill_uri.as_str(), position_of(DRILL, "[[russia#", 0)),
        ]
    );
    // The headings, nested.
    let symbols = lsp.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": file_uri(&russia)}}),
    );
    assert_eq!(symbols["result"][0]["name"], "History");
    assert_eq!(symbols["result"][0]["children"][0]["name"], "Empire");
    let pages = lsp.request("workspace/symbol", json!({"query": "rus"}));
    assert_eq!(pages["result"][0]["name"], "Russia");
    assert_eq!(pages["result"][0]["location"]["uri"], file_uri(&russia));
    assert!(lsp.shutdown().success());
}

#[test]
fn malformed_messages_and_foreign_files_get_error_answers() {
    let site = site();
    let mut lsp = LspClient::spawn(site.root());
    let early = lsp.request("textDocument/hover", json!({}));
    assert_eq!(early["error"]["code"], -32002, "{early}");
    let mut lsp = {
        drop(lsp);
        LspClient::start(site.root())
    };
    lsp.send_raw("{this is not json");
    let answer = lsp.response_to(&Value::Null);
    assert_eq!(answer["error"]["code"], -32700, "{answer}");
    lsp.send_raw(r#"{"jsonrpc":"2.0","id":41}"#);
    let answer = lsp.response_to(&json!(41));
    assert_eq!(answer["error"]["code"], -32600, "{answer}");
    let answer = lsp.request("textDocument/hover", json!({"textDocument": 3}));
    assert_eq!(answer["error"]["code"], -32602, "{answer}");
    let answer = lsp.request("textDocument/formatting", json!({}));
    assert_eq!(answer["error"]["code"], -32601, "{answer}");
    let elsewhere = tempfile::tempdir().unwrap();
    let foreign = elsewhere.path().join("notes.md");
    lsp.open(&foreign, "# Not in the site\n[[x]]\n");
    let answer = lsp.request(
        "textDocument/hover",
        at(&foreign, json!({"line": 1, "character": 3})),
    );
    assert_eq!(answer["error"]["code"], -32602, "{answer}");
    let message = answer["error"]["message"].as_str().unwrap();
    assert!(message.contains("not part of the site"), "{message}");
    // Still serving.
    let pages = lsp.request("workspace/symbol", json!({"query": "kaz"}));
    assert_eq!(pages["result"][0]["name"], "Kazakhstan");
    assert!(lsp.shutdown().success());
}

#[test]
fn renaming_a_page_moves_it_and_rewrites_every_link_and_ref() {
    let site = site_with_an_at_link();
    let mut lsp = LspClient::start(site.root());
    let drill = site.root().join("content/drills/shield.md");
    lsp.open(&drill, DRILL);
    let place = at(&drill, position_of(DRILL, "russia]", 2));
    let prepared = lsp.request("textDocument/prepareRename", place.clone());
    assert_eq!(prepared["result"]["placeholder"], "russia", "{prepared}");
    let mut params = place;
    params["newName"] = json!("russian-federation");
    let edit = lsp.request("textDocument/rename", params);
    assert!(edit.get("error").is_none(), "{edit}");
    assert!(lsp.shutdown().success());
    apply_workspace_edit(&edit["result"]);
    let drill_text = std::fs::read_to_string(&drill).unwrap();
    assert!(
        drill_text.contains("participants: [kazakhstan, russian-federation]"),
        "{drill_text}"
    );
    assert!(
        drill_text.contains("[[russian-federation#History]]"),
        "{drill_text}"
    );
    let kazakhstan =
        std::fs::read_to_string(site.root().join("content/members/kazakhstan.md")).unwrap();
    assert!(
        kazakhstan.contains("(@/members/russian-federation.md#history)"),
        "{kazakhstan}"
    );
    let moved = site.root().join("content/members/russian-federation.md");
    let moved_text = std::fs::read_to_string(&moved).unwrap();
    assert!(
        moved_text.contains("aliases: [\"/members/russia/\"]"),
        "{moved_text}"
    );
    assert!(!site.root().join("content/members/russia.md").exists());
    // The site builds as it is, and the old address leads to the page.
    site.build_ok();
    let redirect = site.output("members/russia/index.html");
    assert!(
        redirect.contains("/members/russian-federation/"),
        "{redirect}"
    );
}

#[test]
fn renaming_a_heading_rewrites_the_links_to_it_by_text_and_by_id() {
    let site = site_with_an_at_link();
    let mut lsp = LspClient::start(site.root());
    let russia = site.root().join("content/members/russia.md");
    let text = std::fs::read_to_string(&russia).unwrap();
    let mut params = at(&russia, position_of(&text, "## History", 5));
    let prepared = lsp.request("textDocument/prepareRename", params.clone());
    assert_eq!(prepared["result"]["placeholder"], "History", "{prepared}");
    params["newName"] = json!("Past times");
    let edit = lsp.request("textDocument/rename", params);
    assert!(edit.get("error").is_none(), "{edit}");
    // Nothing to rename on plain text.
    let nothing = lsp.request(
        "textDocument/prepareRename",
        at(&russia, position_of(&text, "A member", 2)),
    );
    assert!(nothing["result"].is_null(), "{nothing}");
    assert!(lsp.shutdown().success());
    apply_workspace_edit(&edit["result"]);
    let russia_text = std::fs::read_to_string(&russia).unwrap();
    assert!(russia_text.contains("## Past times\n"), "{russia_text}");
    let drill_text = std::fs::read_to_string(site.root().join("content/drills/shield.md")).unwrap();
    assert!(drill_text.contains("[[russia#Past times]]"), "{drill_text}");
    let kazakhstan =
        std::fs::read_to_string(site.root().join("content/members/kazakhstan.md")).unwrap();
    assert!(
        kazakhstan.contains("(@/members/russia.md#past-times)"),
        "{kazakhstan}"
    );
    site.build_ok();
}

fn action_titles(response: &Value) -> Vec<String> {
    let actions = response["result"].as_array().cloned().unwrap_or_default();
    actions
        .iter()
        .map(|a| a["title"].as_str().unwrap().to_string())
        .collect()
}

fn action<'a>(response: &'a Value, title: &str) -> &'a Value {
    let actions = response["result"].as_array().unwrap();
    let found = actions.iter().find(|a| a["title"] == title);
    &found.unwrap_or_else(|| panic!("no action {title:?} in {response}"))["edit"]
}

#[test]
fn code_actions_fix_names_create_missing_pages_and_cite_sources() {
    let site = site();
    let mut lsp = LspClient::start(site.root());
    let drill = site.root().join("content/drills/shield.md");
    let typo = DRILL
        .replace("host: kazakhstan", "host: kazakstan")
        .replace("[[russia#History]]", "[[rusia#History]] and [[new-member]]");
    std::fs::write(&drill, &typo).unwrap();
    lsp.open(&drill, &typo);
    let uri = file_uri(&drill);
    let diagnostics = lsp.diagnostics(&uri, |d| d.len() == 3);
    let for_line = |needle: &str| {
        let start = position_of(&typo, needle, 0);
        json!({"textDocument": {"uri": uri}, "range": {"start": start, "end": start},
               "context": {"diagnostics": diagnostics}})
    };
    let host = lsp.request("textDocument/codeAction", for_line("kazakstan"));
    assert_eq!(
        action_titles(&host),
        [
            "Change to `kazakhstan`",
            "Create content/members/kazakstan.md"
        ],
        "{host}"
    );
    let link = lsp.request("textDocument/codeAction", for_line("[[rusia"));
    let titles = action_titles(&link);
    assert!(
        titles.contains(&"Change to `russia`".to_string()),
        "{titles:?}"
    );
    assert!(
        titles.contains(&"Create content/drills/new-member.md".to_string()),
        "{titles:?}"
    );
    apply_workspace_edit(action(&host, "Change to `kazakhstan`"));
    apply_workspace_edit(action(&link, "Change to `russia`"));
    let created = action(&link, "Create content/drills/new-member.md");
    assert_eq!(created["documentChanges"][0]["kind"], "create");
    assert!(lsp.shutdown().success());
    let fixed = std::fs::read_to_string(&drill).unwrap();
    assert_eq!(
        fixed,
        DRILL.replace(
            "[[russia#History]]",
            "[[russia#History]] and [[new-member]]"
        )
    );
    // The scaffolded page is a draft with the drill's fields to fill in.
    apply_workspace_edit(created);
    let page = std::fs::read_to_string(site.root().join("content/drills/new-member.md")).unwrap();
    assert!(
        page.starts_with("---\ntitle: New member\ndraft: true"),
        "{page}"
    );
    assert!(page.contains("host:"), "{page}");
}

#[test]
fn a_page_cites_its_source_with_a_footnote() {
    let config = "title: T\nbase_url: https://example.org/\nkinds:\n  member:\n    section: members\n    fields:\n      sources: { type: refs, kind: source }\n  source:\n    section: sources\n";
    let page = "---\ntitle: Russia\nsources: [article]\n---\nRussia takes part.\n";
    let site = TestSite::with_config(
        config,
        &[
            ("members/russia.md", page),
            (
                "sources/article.md",
                "---\ntitle: The article\n---\nText.\n",
            ),
        ],
    );
    let mut lsp = LspClient::start(site.root());
    let russia = site.root().join("content/members/russia.md");
    lsp.open(&russia, page);
    let at = position_of(page, "takes part.", 10);
    let actions = lsp.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": file_uri(&russia)}, "range": {"start": at, "end": at},
               "context": {"diagnostics": []}}),
    );
    assert_eq!(action_titles(&actions), ["Cite The article"], "{actions}");
    apply_workspace_edit(action(&actions, "Cite The article"));
    assert!(lsp.shutdown().success());
    let cited = std::fs::read_to_string(&russia).unwrap();
    assert!(cited.contains("Russia takes part[^cite].\n"), "{cited}");
    assert!(cited.ends_with("\n[^cite]: [[article]]: \"\"\n"), "{cited}");
    site.build_ok();
}

#[test]
fn shortcodes_and_queries_complete_and_lead_to_their_templates() {
    let text = "---\ntitle: Russia\n---\n{{ fig() }} and {{ figure(sr) }}\n\n```query\nkind: drill\nwhere: { part: this }\n```\n";
    let site = site();
    let path = site.root().join("content/members/russia.md");
    let mut lsp = LspClient::start(site.root());
    lsp.open(&path, text);
    let names = labels_at(&mut lsp, &path, text, ("fig()", 3));
    assert_offers(&names, &["figure", "note", "aside", "inferred"]);
    let args = labels_at(&mut lsp, &path, text, ("sr)", 2));
    assert_eq!(args[..2], ["src", "alt"], "{args:?}");
    let fields = labels_at(&mut lsp, &path, text, ("part:", 4));
    assert_offers(&fields, &["participants", "host", "dates", "title"]);
    let hover = lsp.request(
        "textDocument/hover",
        at(&path, position_of(text, "figure(", 2)),
    );
    let shown = hover["result"]["contents"]["value"].as_str().unwrap();
    assert!(
        shown.contains("An image with a caption") && shown.contains("`src`: a string, required"),
        "{shown}"
    );
    let definition = lsp.request(
        "textDocument/definition",
        at(&path, position_of(text, "figure(", 2)),
    );
    let template = site
        .root()
        .join("themes/default/templates/shortcodes/figure.html");
    assert_eq!(
        definition["result"]["uri"],
        file_uri(&template),
        "{definition}"
    );
    assert!(lsp.shutdown().success());
}

#[test]
fn files_changed_outside_the_editor_are_checked_again() {
    let site = site();
    let watching = json!({"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}});
    let mut lsp = LspClient::start_with(site.root(), watching);
    let asked = lsp.requests_from_server("client/registerCapability");
    let registration = &asked[0]["params"]["registrations"][0];
    assert_eq!(
        registration["method"], "workspace/didChangeWatchedFiles",
        "{asked:?}"
    );
    // A page written by another program (a checkout), never opened.
    site.write(
        "content/members/armenia.md",
        &member("Armenia", "See [[nowhere]]."),
    );
    let uri = file_uri(&site.root().join("content/members/armenia.md"));
    lsp.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri, "type": 1}]}),
    );
    let found = lsp.diagnostics(&uri, |d| !d.is_empty());
    assert_eq!(codes(&found), ["E006"], "{found:?}");
    assert!(lsp.shutdown().success());
}

#[test]
fn a_folder_without_site_yaml_is_said_in_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let mut lsp = LspClient::start(dir.path());
    let shown = lsp.notification("window/showMessage");
    let message = shown["params"]["message"].as_str().unwrap();
    assert!(
        message.contains("site.yaml") && message.contains("--root"),
        "{message}"
    );
    assert_eq!(shown["params"]["type"], 1);
    assert!(lsp.shutdown().success());
}

#[test]
fn unsaved_settings_and_templates_are_checked_too() {
    let site = site();
    let mut lsp = LspClient::start(site.root());
    let settings = site.root().join("site.yaml");
    let written = std::fs::read_to_string(&settings).unwrap();
    let typo = written.replace(
        "kind: member, required: true",
        "kind: membr, required: true",
    );
    assert_ne!(typo, written);
    lsp.open(&settings, &typo);
    let found = lsp.diagnostics(&file_uri(&settings), |d| !d.is_empty());
    assert_eq!(codes(&found), ["E002"], "{found:?}");
    lsp.change(&settings, 2, &written);
    lsp.diagnostics(&file_uri(&settings), |d| d.is_empty());
    let template = site.root().join("themes/default/templates/page.html");
    let text = std::fs::read_to_string(&template).unwrap();
    lsp.open(&template, &format!("{{% if %}}\n{text}"));
    let found = lsp.diagnostics(&file_uri(&template), |d| !d.is_empty());
    assert_eq!(codes(&found), ["E009"], "{found:?}");
    assert_eq!(found[0]["range"]["start"]["line"], 0, "{found:?}");
    lsp.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": file_uri(&template)}}),
    );
    lsp.diagnostics(&file_uri(&template), |d| d.is_empty());
    assert!(lsp.shutdown().success());
}

#[test]
fn nothing_is_offered_outside_the_site() {
    let page = "---\ntitle: Russia\n---\nSee [[../../escape]] and [[members/../../../x]].\n";
    let site = TestSite::nested(crate::common::CONFIG, &[("members/russia.md", page)]);
    std::fs::write(site.parent().join("outside.md"), "# Outside\n").unwrap();
    let mut lsp = LspClient::start(site.root());
    let russia = site.root().join("content/members/russia.md");
    lsp.open(&russia, page);
    let uri = file_uri(&russia);
    let diagnostics = lsp.diagnostics(&uri, |d| d.len() == 2);
    for needle in ["[[../../escape]]", "[[members/"] {
        let start = position_of(page, needle, 0);
        let actions = lsp.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": {"start": start, "end": start},
                   "context": {"diagnostics": diagnostics}}),
        );
        let titles = action_titles(&actions);
        assert!(titles.iter().all(|t| !t.contains("..")), "{titles:?}");
    }
    // A document named through `..` is no file of the site, though one is there.
    let sneaky = format!("{}/content/../../outside.md", site.root().display());
    let answer = lsp.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": format!("file://{sneaky}")}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(answer["error"]["code"], -32602, "{answer}");
    assert!(lsp.shutdown().success());
}

/// In a site of two languages a translation is offered once, by its original's name,
/// and a translation's broken link is reported as in any page.
#[test]
fn translations_are_named_by_their_originals() {
    let config = format!(
        "{}languages:\n  ru: {{ name: Русский }}\n",
        crate::common::CONFIG
    );
    let site = TestSite::with_config(
        &config,
        &[
            ("members/kazakhstan.md", &member("Kazakhstan", "A member.")),
            ("members/kazakhstan.ru.md", &member("Казахстан", "Член.")),
            ("members/russia.md", &member("Russia", "A member.")),
            ("drills/shield.md", DRILL),
        ],
    );
    let mut lsp = LspClient::start(site.root());
    let path = site.root().join("content/drills/shield.ru.md");
    let text = DRILL
        .replace("The drill in", "Учения в")
        .replace("[[russia#History]]", "[[nowhere]]");
    lsp.open(&path, &text);
    // Once the new file is analysed (its broken link reported), it is a Russian page.
    let uri = file_uri(&path);
    let found = lsp.diagnostics(&uri, |d| codes(d).contains(&"E006"));
    assert!(codes(&found).contains(&"E006"), "{found:?}");
    // Offered once, titled in the file's language where translated.
    let labels = labels_at(&mut lsp, &path, &text, ("host: ", 6));
    assert_eq!(
        labels.iter().filter(|l| *l == "Казахстан").count(),
        1,
        "{labels:?}"
    );
    assert!(!labels.iter().any(|l| l == "Kazakhstan"), "{labels:?}");
    assert!(labels.iter().any(|l| l == "Russia"), "{labels:?}");
    let links = labels_at(&mut lsp, &path, &text, ("[[kaz", 2));
    assert_eq!(
        links.iter().filter(|l| *l == "kazakhstan").count(),
        1,
        "{links:?}"
    );
    assert!(lsp.shutdown().success());
}
