//! The session's handling of analyses, driven by its methods.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::atomic::Ordering;

use super::*;

/// What the server sent, shared with the test.
#[derive(Clone, Default)]
struct Sent(Rc<RefCell<Vec<u8>>>);

impl Write for Sent {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Sent {
    /// Takes what was sent so far, as text.
    fn take(&self) -> String {
        String::from_utf8(std::mem::take(&mut *self.0.borrow_mut())).unwrap()
    }
}

fn open(path: &Path, text: &str) -> Notification {
    let params = serde_json::json!({ "textDocument": {
        "uri": uri_of(path), "languageId": "markdown", "version": 1, "text": text
    }});
    Notification::new("textDocument/didOpen".into(), params)
}

/// An edit made while a check reads the model stops the check; its page's diagnostics
/// come at once, from the page alone, and the model takes the edit once the check lets
/// go of it; a model read before the edit is not taken.
#[test]
fn an_edit_during_a_check_is_read_when_the_check_ends() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    super::super::analysis::tests::copy_theme(root);
    let config = "title: T\nbase_url: https://example.org/\nkinds:\n  member:\n    section: members\n    fields:\n      ally: { type: ref, kind: member }\n";
    std::fs::write(root.join("site.yaml"), config).unwrap();
    std::fs::create_dir_all(root.join("content/members")).unwrap();
    let page = root.join("content/members/a.md");
    std::fs::write(&page, "---\ntitle: A\nally: b\n---\nText.\n").unwrap();
    std::fs::write(root.join("content/members/b.md"), "---\ntitle: B\n---\n").unwrap();
    let sent = Sent::default();
    let (events, _received) = mpsc::channel();
    let mut server = Server::new(root.to_path_buf(), Output::new(sent.clone()), events, || {});
    server.publish().unwrap();
    assert!(!sent.take().contains("E005"));

    // A check of generation 0 is under way and holds the model.
    let check = Arc::clone(&server.analysis.site);
    let cancelled = Arc::clone(&server.cancel);
    server
        .notice(open(&page, "---\ntitle: A\nally: c\n---\nText.\n"))
        .unwrap();
    assert!(cancelled.load(Ordering::Relaxed), "the check is stopped");
    let published = sent.take();
    assert!(published.contains("E005"), "answered at once: {published}");
    let file = Path::new("content/members/a.md");
    let ally = |server: &Server| {
        let (_, page) = server.analysis.page_of_file(file).unwrap();
        page.front_matter_source.contains("ally: c")
    };
    assert!(!ally(&server), "the model is the check's until it ends");
    // The model the check made of generation 0 comes, too late: it is not taken.
    let stale = Analysis::run(&server.options, &Overlay::new());
    let kept = Arc::as_ptr(&server.analysis.site);
    let (freed, told) = mpsc::channel();
    server.loaded(0, stale, freed);
    assert_eq!(Arc::as_ptr(&server.analysis.site), kept);
    let waited = told.recv_timeout(std::time::Duration::from_secs(60));
    assert!(
        waited.is_ok(),
        "the check is told once the unused model is freed"
    );
    drop(check);
    server.analysed(0, Vec::new()).unwrap();
    assert!(ally(&server), "the model took the edit");
    assert!(server.deferred.is_empty());
    let published = sent.take();
    assert!(!published.contains("E005"), "nothing changed: {published}");
    assert_eq!(server.analysed, 0, "a full analysis is still due");
}

/// Each analysis gives the memory its model stage freed back before its links stage,
/// the session's peak (its last analysis is held beside the new one); a build does not.
#[test]
fn an_analysis_gives_memory_back_between_its_stages() {
    static RELEASED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    fn release() {
        RELEASED.fetch_add(1, Ordering::Relaxed);
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    super::super::analysis::tests::copy_theme(root);
    std::fs::write(
        root.join("site.yaml"),
        "title: T\nbase_url: https://example.org/\n",
    )
    .unwrap();
    std::fs::create_dir_all(root.join("content")).unwrap();
    std::fs::write(root.join("content/a.md"), "---\ntitle: A\n---\nText.\n").unwrap();
    let (events, _received) = mpsc::channel();
    let server = Server::new(
        root.to_path_buf(),
        Output::new(Sent::default()),
        events,
        release,
    );
    assert_eq!(
        RELEASED.load(Ordering::Relaxed),
        1,
        "once, in the first analysis"
    );
    assert!(server.options.between_stages.is_some());
    assert!(
        crate::build::BuildOptions::new(root)
            .between_stages
            .is_none()
    );
}
