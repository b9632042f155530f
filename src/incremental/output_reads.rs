//! What each planned output read when it was last rendered, kept encoded: an edit build
//! decodes one output's reads at a time, to test them against what changed, instead of
//! holding every output's decoded (about a hundred MB at 100,000 pages, a quarter of it
//! encoded).

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::render::reads::{Read, Reads};

/// Per planned output, by its number in the plan: its reads, postcard-encoded one
/// after another.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct OutputReads {
    /// The encoded reads of every output.
    #[serde(with = "serde_bytes")]
    bytes: Vec<u8>,
    /// Where each output's reads end in `bytes`.
    ends: Vec<usize>,
}

impl OutputReads {
    /// How many outputs.
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// Adds the next output's reads.
    pub(crate) fn push(&mut self, reads: &Reads) {
        self.push_encoded(&encode(reads));
    }

    /// Adds the next output's reads, as [`encode`] gave them.
    pub(crate) fn push_encoded(&mut self, encoded: &[u8]) {
        self.bytes.extend_from_slice(encoded);
        self.ends.push(self.bytes.len());
    }

    /// Adds output `n` of `other` as the next output, as it is encoded there.
    pub(crate) fn push_from(&mut self, other: &OutputReads, n: usize) {
        self.bytes.extend_from_slice(other.encoded(n));
        self.ends.push(self.bytes.len());
    }

    /// Whether output `n` read any of `changed`; true if its reads do not decode (a
    /// damaged cache renders more, never less).
    pub(crate) fn touches(&self, n: usize, changed: &HashSet<Read>) -> bool {
        postcard::from_bytes::<Reads>(self.encoded(n)).map_or(true, |r| r.touches(changed))
    }

    /// Output `n`'s encoded reads (none if `ends` does not describe `bytes`).
    fn encoded(&self, n: usize) -> &[u8] {
        let start = n.checked_sub(1).map_or(0, |m| self.ends[m]);
        self.bytes.get(start..self.ends[n]).unwrap_or_default()
    }
}

/// `reads` as an output's entry in [`OutputReads`].
pub(crate) fn encode(reads: &Reads) -> Box<[u8]> {
    // Encoding a list of plain values into a vector cannot fail.
    postcard::to_stdvec(reads)
        .unwrap_or_default()
        .into_boxed_slice()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::PageId;
    use crate::render::reads::Recorder;

    fn reads(list: &[Read]) -> Reads {
        let recorder = Recorder::default();
        list.iter().for_each(|r| recorder.read(r.clone()));
        recorder.finish()
    }

    /// Each output's reads are tested as recorded, whether pushed or copied from an
    /// earlier table, and survive a round trip through the cache's encoding.
    #[test]
    fn outputs_are_tested_on_their_own_reads() {
        let mut old = OutputReads::default();
        old.push(&reads(&[Read::Text(PageId(0))]));
        old.push(&Reads::default());
        old.push(&reads(&[Read::Facts(PageId(1)), Read::Summary(PageId(2))]));
        let mut table = OutputReads::default();
        table.push_from(&old, 0);
        table.push(&reads(&[Read::Text(PageId(3))]));
        table.push_from(&old, 2);
        let table: OutputReads =
            postcard::from_bytes(&postcard::to_stdvec(&table).unwrap()).unwrap();
        assert_eq!(table.len(), 3);
        let changed = |r: Read| HashSet::from([r]);
        let touched =
            |c: &HashSet<Read>| (0..3).filter(|n| table.touches(*n, c)).collect::<Vec<_>>();
        assert_eq!(touched(&changed(Read::Text(PageId(0)))), [0]);
        assert_eq!(touched(&changed(Read::Text(PageId(3)))), [1]);
        assert_eq!(touched(&changed(Read::Summary(PageId(2)))), [2]);
        assert!(touched(&changed(Read::Facts(PageId(0)))).is_empty());
    }

    /// Reads that do not decode count as touched.
    #[test]
    fn damaged_reads_count_as_touched() {
        let table = OutputReads {
            bytes: vec![0xff, 0xff],
            ends: vec![2],
        };
        assert!(table.touches(0, &HashSet::new()));
    }
}
