//! What an output read while it rendered: pages' texts, facts and short forms, the
//! fields queries looked at, templates. `serve` re-renders an output when something it
//! read changed, and nothing else: the reads are recorded, not kept by hand.

use std::cell::RefCell;
use std::collections::HashSet;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::model::PageId;

/// One thing an output (or a page's body, or its short form) read. Sixteen bytes: an
/// output reads tens of things, and every output's reads are kept until the build ends
/// (the names of fields and templates are shared, not copied into each read).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub(crate) enum Read {
    /// A page's own source: its body and front matter.
    Text(PageId),
    /// What a link or a card shows of a page: its title, URL, kind, description, date.
    Facts(PageId),
    /// A page's short form, as listings, relations and backlinks show it.
    Summary(PageId),
    /// A field of every page of a kind, as a query reads it: `title`, `date` and
    /// `description` are fields here too.
    Field(Arc<FieldRead>),
    /// A template, by name (the one an output is rendered with, or a shortcode's).
    Template(Arc<String>),
}

/// The field of a kind a [`Read::Field`] names.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub(crate) struct FieldRead {
    /// The kind queried.
    pub kind: String,
    /// The field its conditions, sort or columns read.
    pub field: String,
}

impl Read {
    /// The read of field `field` of the pages of kind `kind`.
    pub(crate) fn field(kind: impl Into<String>, field: impl Into<String>) -> Read {
        Read::Field(Arc::new(FieldRead {
            kind: kind.into(),
            field: field.into(),
        }))
    }

    /// The read of the template named `name`.
    pub(crate) fn template(name: impl Into<String>) -> Read {
        Read::Template(Arc::new(name.into()))
    }

    /// The name of its kind: `text`, `facts`, `summary`, `field` or `template`.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Read::Text(_) => "text",
            Read::Facts(_) => "facts",
            Read::Summary(_) => "summary",
            Read::Field(_) => "field",
            Read::Template(_) => "template",
        }
    }
}

/// Reads recorded, sorted and without repeats.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct Reads(Vec<Read>);

impl Reads {
    /// How many reads.
    #[cfg_attr(not(feature = "serve"), allow(dead_code))]
    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    /// The reads, in order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &Read> {
        self.0.iter()
    }

    /// Whether any of these reads is among `changed`.
    pub(crate) fn touches(&self, changed: &HashSet<Read>) -> bool {
        if changed.len() < self.0.len() {
            changed.iter().any(|c| self.0.binary_search(c).is_ok())
        } else {
            self.0.iter().any(|r| changed.contains(r))
        }
    }
}

/// Collects the reads of one rendering: each output renders on one thread, with a
/// recorder of its own.
#[derive(Debug, Default)]
pub(crate) struct Recorder(RefCell<Vec<Read>>);

impl Recorder {
    /// Records one read.
    pub(crate) fn read(&self, read: Read) {
        self.0.borrow_mut().push(read);
    }

    /// Records every read of `reads` (what a body or short form made before read).
    pub(crate) fn read_all(&self, reads: &Reads) {
        self.0.borrow_mut().extend(reads.0.iter().cloned());
    }

    /// The reads recorded, sorted and without repeats.
    pub(crate) fn finish(self) -> Reads {
        let mut reads = self.0.into_inner();
        reads.sort_unstable();
        reads.dedup();
        // Kept until the build ends: without the room the repeats took.
        reads.shrink_to_fit();
        Reads(reads)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_read_takes_sixteen_bytes() {
        assert_eq!(std::mem::size_of::<Read>(), 16);
    }

    #[test]
    fn touches_finds_a_shared_read_either_way_round() {
        let recorder = Recorder::default();
        recorder.read(Read::Summary(PageId(3)));
        recorder.read(Read::Text(PageId(1)));
        recorder.read(Read::Summary(PageId(3)));
        let reads = recorder.finish();
        assert_eq!(reads.0.len(), 2);
        let one = HashSet::from([Read::Summary(PageId(3))]);
        assert!(reads.touches(&one));
        let many: HashSet<Read> = (10..20)
            .map(|i| Read::Facts(PageId(i)))
            .chain([Read::Text(PageId(1))])
            .collect();
        assert!(reads.touches(&many));
        let other = HashSet::from([Read::Facts(PageId(3)), Read::template("a")]);
        assert!(!reads.touches(&other));
    }
}
