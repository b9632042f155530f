//! Bodies' HTML between the Markdown stage and rendering. A page's HTML is made when
//! its body is parsed and read again only when the page (or a listing of its summary,
//! or the search index) is rendered, so a large site's HTML need not all be in memory
//! at once: past a budget it waits in an unnamed temporary file, which goes when the
//! last page pointing into it does. Written in large pieces by position, read back by
//! position, so the threads that render never wait for each other.

use std::borrow::Cow;
use std::fs::File;
use std::io;
use std::ops::Range;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use crate::file_at::{read_at, write_at};

/// How much HTML the bodies may hold in memory before the rest is spilled: a site of
/// a few thousand typical pages keeps all of its bodies. Reading a body back by position
/// costs no measurable time (docs/PERFORMANCE.md, "A smaller budget for bodies' HTML").
pub(crate) const IN_MEMORY: usize = 16 << 20;

/// Bytes gathered before one write to the file.
const PIECE: usize = 1 << 20;

/// A page body's HTML: in memory, or in a [`HtmlSpill`].
#[derive(Clone)]
pub(crate) enum BodyHtml {
    /// In memory.
    Held(String),
    /// Read back through the spill: `len` bytes from `at`.
    Spilled {
        spill: Arc<HtmlSpill>,
        at: At,
        len: usize,
    },
}

/// Where HTML read back through a [`HtmlSpill`] is: which file, and from which byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum At {
    /// In the spill's temporary file (or in its pieces not yet written).
    Spill(u64),
    /// In the parse cache's file ([`HtmlSpill::kept_in`]): a body the last build parsed,
    /// whose HTML is read only where it is rendered.
    Kept(u64),
}

impl At {
    /// `n` bytes further.
    fn after(self, n: usize) -> At {
        match self {
            At::Spill(at) => At::Spill(at + n as u64),
            At::Kept(at) => At::Kept(at + n as u64),
        }
    }
}

impl Default for BodyHtml {
    fn default() -> BodyHtml {
        BodyHtml::Held(String::new())
    }
}

impl BodyHtml {
    /// The whole HTML.
    pub(crate) fn text(&self) -> Cow<'_, str> {
        self.slice(0..self.len())
    }

    /// The bytes `range` of the HTML, which must fall on character boundaries.
    pub(crate) fn slice(&self, range: Range<usize>) -> Cow<'_, str> {
        match self {
            BodyHtml::Held(html) => Cow::Borrowed(&html[range]),
            BodyHtml::Spilled { spill, at, .. } => {
                Cow::Owned(spill.read(at.after(range.start), range.len()))
            }
        }
    }

    /// Whether the HTML starts with `prefix`: only its first bytes read back if it waits
    /// in a file (compared as bytes, which may cut a character).
    pub(crate) fn starts_with(&self, prefix: &str) -> bool {
        let n = prefix.len();
        match self {
            BodyHtml::Held(html) => html.starts_with(prefix),
            _ if n > self.len() => false,
            BodyHtml::Spilled { spill, at, .. } => {
                spill.bytes_read(spill.read_raw(*at, n)) == prefix.as_bytes()
            }
        }
    }

    /// Its length in bytes.
    pub(crate) fn len(&self) -> usize {
        match self {
            BodyHtml::Held(html) => html.len(),
            BodyHtml::Spilled { len, .. } => *len,
        }
    }

    /// The HTML in memory, to change it; read back first if it was spilled.
    pub(crate) fn held_mut(&mut self) -> &mut String {
        if let BodyHtml::Spilled { .. } = self {
            *self = BodyHtml::Held(self.text().into_owned());
        }
        match self {
            BodyHtml::Held(html) => html,
            BodyHtml::Spilled { .. } => unreachable!("made held just above"),
        }
    }

    /// Moves the HTML into `spill` if the spill's memory budget is spent.
    pub(crate) fn spill_into(&mut self, spill: &Arc<HtmlSpill>) {
        if let BodyHtml::Held(html) = self
            && !spill.keeps_in_memory(html.len())
        {
            *self = spill.add(std::mem::take(html));
        }
    }
}

/// Shown as its text, wherever it is, so that a body's debug form (which the parse
/// cache's tests compare) does not depend on where the HTML waits.
impl std::fmt::Debug for BodyHtml {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&*self.text(), f)
    }
}

/// Serialized as its text: the parse cache holds the HTML, never a place in a spill.
impl serde::Serialize for BodyHtml {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text())
    }
}

impl<'de> serde::Deserialize<'de> for BodyHtml {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(BodyHtml::Held)
    }
}

/// An unnamed temporary file of bodies' HTML, and how much HTML may still stay in memory.
pub(crate) struct HtmlSpill {
    /// Made at the first body spilled; `None` if it could not be made.
    file: OnceLock<Option<File>>,
    /// Bytes of HTML that may still be kept in memory rather than spilled.
    budget: AtomicUsize,
    pending: Mutex<Pending>,
    /// Every byte below this offset is in the file (or in `Pending::unwritten`).
    written: AtomicU64,
    /// Whether some piece could not be written and is held in `Pending::unwritten`.
    any_unwritten: AtomicBool,
    /// The parse cache's file, where the HTML of bodies the last build parsed stays.
    kept: OnceLock<Arc<File>>,
    /// The first read that failed: the build using this spill must fail.
    failure: OnceLock<String>,
}

impl std::fmt::Debug for HtmlSpill {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HtmlSpill")
            .field("written", &self.written.load(Ordering::Relaxed))
            .field("failure", &self.failure.get())
            .finish_non_exhaustive()
    }
}

/// What is not yet in the file.
#[derive(Default)]
struct Pending {
    /// Where `bytes` goes in the file.
    at: u64,
    /// HTML gathered for the next write.
    bytes: Vec<u8>,
    /// Pieces that could not be written (a full disk), by offset: kept in memory instead.
    unwritten: Vec<(u64, Vec<u8>)>,
}

impl HtmlSpill {
    /// A spill that keeps the first `in_memory` bytes of HTML in memory and the rest in a
    /// temporary file, made when first needed (if none can be made, all stays in memory).
    pub(crate) fn new(in_memory: usize) -> Arc<HtmlSpill> {
        Arc::new(HtmlSpill {
            file: OnceLock::new(),
            budget: AtomicUsize::new(in_memory),
            pending: Mutex::new(Pending::default()),
            written: AtomicU64::new(0),
            any_unwritten: AtomicBool::new(false),
            kept: OnceLock::new(),
            failure: OnceLock::new(),
        })
    }

    fn file(&self) -> Option<&File> {
        self.file.get_or_init(|| tempfile::tempfile().ok()).as_ref()
    }

    /// Takes `len` bytes from the budget if it has them.
    fn keeps_in_memory(&self, len: usize) -> bool {
        self.budget
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
                left.checked_sub(len)
            })
            .is_ok()
    }

    /// Puts `html` into the spill; where it is (in memory still if there is no file).
    fn add(self: &Arc<HtmlSpill>, html: String) -> BodyHtml {
        if self.file().is_none() {
            return BodyHtml::Held(html);
        }
        let mut pending = self.pending();
        let at = pending.at + pending.bytes.len() as u64;
        pending.bytes.extend_from_slice(html.as_bytes());
        if pending.bytes.len() >= PIECE {
            self.write_pending(&mut pending);
        }
        BodyHtml::Spilled {
            spill: Arc::clone(self),
            at: At::Spill(at),
            len: html.len(),
        }
    }

    /// Writes what was gathered, so that reads need no lock; called once bodies are
    /// all parsed.
    pub(crate) fn finish_writing(&self) {
        let mut pending = self.pending();
        self.write_pending(&mut pending);
    }

    fn pending(&self) -> std::sync::MutexGuard<'_, Pending> {
        self.pending.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn write_pending(&self, pending: &mut Pending) {
        if pending.bytes.is_empty() {
            return;
        }
        let bytes = std::mem::take(&mut pending.bytes);
        let at = pending.at;
        pending.at += bytes.len() as u64;
        let written = self.file().map(|file| write_at(file, &bytes, at));
        if !matches!(written, Some(Ok(()))) {
            pending.unwritten.push((at, bytes));
            self.any_unwritten.store(true, Ordering::Release);
        } else {
            // Gathering goes on in a buffer of the same size.
            pending.bytes = Vec::with_capacity(bytes.capacity());
        }
        self.written.store(pending.at, Ordering::Release);
    }

    /// The HTML at `range` of `file`, the parse cache's, left there: read back when it
    /// is rendered, as spilled HTML is (a second file, which no build has, is read now).
    pub(crate) fn kept_in(self: &Arc<HtmlSpill>, file: &Arc<File>, range: Range<u64>) -> BodyHtml {
        let len = (range.end - range.start) as usize;
        match Arc::ptr_eq(self.kept.get_or_init(|| Arc::clone(file)), file) {
            true => BodyHtml::Spilled {
                spill: Arc::clone(self),
                at: At::Kept(range.start),
                len,
            },
            false => BodyHtml::Held(self.text_of(read_at(file, range.start, len))),
        }
    }

    /// The `len` bytes at `at` as text. A failure gives an empty text and is kept, for
    /// [`HtmlSpill::failure`].
    fn read(&self, at: At, len: usize) -> String {
        self.text_of(self.read_raw(at, len))
    }

    /// The `len` bytes at `at`: from a file, or from memory if not written yet.
    fn read_raw(&self, at: At, len: usize) -> io::Result<Vec<u8>> {
        let at = match at {
            At::Spill(at) => at,
            At::Kept(at) => {
                let file = self
                    .kept
                    .get()
                    .ok_or_else(|| io::Error::other("no build cache file"))?;
                return read_at(file, at, len);
            }
        };
        let end = at + len as u64;
        let in_file = end <= self.written.load(Ordering::Acquire)
            && !self.any_unwritten.load(Ordering::Acquire);
        match in_file {
            true => self.read_file(at, len),
            false => self.read_pending(at, len),
        }
    }

    /// The bytes read back; a failure gives none and is kept.
    fn bytes_read(&self, bytes: io::Result<Vec<u8>>) -> Vec<u8> {
        bytes.unwrap_or_else(|e| {
            self.failed(e.to_string());
            Vec::new()
        })
    }

    /// The text of `bytes` read back; a failure gives an empty text and is kept.
    fn text_of(&self, bytes: io::Result<Vec<u8>>) -> String {
        match bytes.map(String::from_utf8) {
            Ok(Ok(text)) => text,
            Ok(Err(_)) => self.failed("the bytes read back are not the text written".into()),
            Err(e) => self.failed(e.to_string()),
        }
    }

    /// The bytes at `at` while some are not in the file: under the lock.
    fn read_pending(&self, at: u64, len: usize) -> io::Result<Vec<u8>> {
        let pending = self.pending();
        let from = |start: u64, bytes: &[u8]| {
            let start = usize::try_from(at - start).ok()?;
            bytes
                .get(start..start.checked_add(len)?)
                .map(<[u8]>::to_vec)
        };
        let piece = if at >= pending.at {
            Some((pending.at, &pending.bytes))
        } else {
            pending
                .unwritten
                .iter()
                .find(|(start, bytes)| *start <= at && at - start < bytes.len() as u64)
                .map(|(start, bytes)| (*start, bytes))
        };
        match piece {
            Some((start, bytes)) => from(start, bytes).ok_or_else(|| {
                io::Error::new(io::ErrorKind::UnexpectedEof, "past the spill's end")
            }),
            None => self.read_file(at, len),
        }
    }

    fn read_file(&self, at: u64, len: usize) -> io::Result<Vec<u8>> {
        match self.file() {
            Some(file) => read_at(file, at, len),
            None => Err(io::Error::other("no temporary file")),
        }
    }

    fn failed(&self, message: String) -> String {
        let _ = self.failure.set(message);
        String::new()
    }

    /// Why some HTML could not be read back, if it could not: then some page was made
    /// without its body, and must not be published.
    pub(crate) fn failure(&self) -> Option<&str> {
        self.failure.get().map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spilled(spill: &Arc<HtmlSpill>, text: &str) -> BodyHtml {
        let mut html = BodyHtml::Held(text.to_string());
        html.spill_into(spill);
        html
    }

    #[test]
    fn html_past_the_budget_is_spilled_and_read_back_whole_or_in_part() {
        let spill = HtmlSpill::new(10);
        let kept = spilled(&spill, "<p>short</p>");
        assert!(matches!(kept, BodyHtml::Spilled { .. }), "12 bytes > 10");
        let spill = HtmlSpill::new(12);
        let held = spilled(&spill, "<p>short</p>");
        assert!(matches!(held, BodyHtml::Held(_)), "within the budget");
        let a = spilled(&spill, "<p>Душанбе</p>");
        let b = spilled(&spill, "<h2>b</h2>");
        // Read before and after the pieces are written.
        assert_eq!(a.text(), "<p>Душанбе</p>");
        spill.finish_writing();
        assert_eq!(
            (a.text(), b.text()),
            ("<p>Душанбе</p>".into(), "<h2>b</h2>".into())
        );
        assert_eq!(b.slice(4..5), "b");
        assert!(a.starts_with("<p>Д") && !a.starts_with("<h1"));
        // Compared as bytes: the bytes read may cut a character (`Д` is two), which is no
        // failure; a prefix longer than the body is not read.
        assert!(!a.starts_with("<p>X") && a.starts_with("<p>"));
        assert!(!b.starts_with("<h2>b</h2> and more"));
        assert_eq!(a.len(), "<p>Душанбе</p>".len());
        assert!(spill.failure().is_none());
    }

    #[test]
    fn many_pieces_from_many_threads_come_back_as_written() {
        let spill = HtmlSpill::new(0);
        let bodies: Vec<String> = (0..3000)
            .map(|i| format!("<p>{}</p>", "x".repeat(i % 997)))
            .collect();
        let spilled: Vec<BodyHtml> = std::thread::scope(|scope| {
            let halves = bodies.split_at(1500);
            let handles = [halves.0, halves.1].map(|half| {
                let spill = Arc::clone(&spill);
                scope.spawn(move || half.iter().map(|b| spilled(&spill, b)).collect::<Vec<_>>())
            });
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap())
                .collect()
        });
        spill.finish_writing();
        for (body, html) in bodies.iter().zip(&spilled) {
            assert_eq!(html.text(), body.as_str());
        }
    }

    #[test]
    fn a_held_copy_can_be_changed_and_the_debug_form_is_the_text() {
        let spill = HtmlSpill::new(0);
        let mut html = spilled(&spill, "<h1>T</h1>");
        assert_eq!(format!("{html:?}"), format!("{:?}", "<h1>T</h1>"));
        html.held_mut().push_str("<p>more</p>");
        assert!(matches!(html, BodyHtml::Held(_)));
        assert_eq!(html.text(), "<h1>T</h1><p>more</p>");
    }

    #[test]
    fn a_failed_read_is_remembered_and_gives_no_text() {
        let spill = HtmlSpill::new(0);
        spill.finish_writing();
        // Beyond the end of the file: nothing there to read.
        assert_eq!(spill.read(At::Spill(1000), 10), "");
        assert!(spill.failure().is_some());
    }
}
