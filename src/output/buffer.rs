//! A rendered file held in pieces of bounded size: a page of a hundred thousand entries
//! (the timeline, a large listing) grows by new pieces instead of by doubling one
//! buffer, which for a moment holds the old copy and the new, twice the size.

use std::io::{self, Write};

use super::OutputSink;

/// The largest piece, in bytes: larger writes get a piece of their own.
const PIECE: usize = 256 * 1024;

/// What a template writes, in pieces of at most [`PIECE`] bytes (the first starts small
/// and grows, as most pages are a few kilobytes).
#[derive(Debug)]
pub(crate) struct PieceBuffer {
    pieces: Vec<Vec<u8>>,
}

impl PieceBuffer {
    /// An empty buffer whose first piece holds `first` bytes before it grows.
    pub(crate) fn with_capacity(first: usize) -> PieceBuffer {
        PieceBuffer {
            pieces: vec![Vec::with_capacity(first.min(PIECE))],
        }
    }

    /// Stores what was written as the file `rel_path` of `sink`: whole if it is one
    /// piece, else piece by piece.
    pub(crate) fn store(self, sink: &dyn OutputSink, rel_path: &str) -> io::Result<()> {
        match <[Vec<u8>; 1]>::try_from(self.pieces) {
            Ok([whole]) => sink.write(rel_path, &whole),
            Err(pieces) => sink.write_parts(rel_path, &mut pieces.into_iter()),
        }
    }
}

impl Write for PieceBuffer {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        // `pieces` is never empty: made with one, and only ever pushed to.
        let last = self.pieces.len() - 1;
        let current = &mut self.pieces[last];
        if !current.is_empty() && current.len() + bytes.len() > PIECE {
            self.pieces.push(Vec::with_capacity(PIECE.max(bytes.len())));
        }
        let last = self.pieces.len() - 1;
        self.pieces[last].extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::MemorySink;

    /// Whatever the sizes of the writes, the file stored is what was written, in order,
    /// and no piece but one written whole exceeds the bound.
    #[test]
    fn pieces_hold_what_was_written_in_order() {
        let mut buffer = PieceBuffer::with_capacity(16);
        let mut expected = Vec::new();
        for (i, size) in [3, 70_000, 200_000, 1, PIECE + 5, 10, 90_000]
            .into_iter()
            .enumerate()
        {
            let bytes = vec![b'a' + i as u8; size];
            buffer.write_all(&bytes).unwrap();
            expected.extend_from_slice(&bytes);
        }
        assert!(buffer.pieces.len() > 1);
        assert!(
            buffer
                .pieces
                .iter()
                .all(|p| p.len() <= PIECE || p.len() == PIECE + 5)
        );
        let sink = MemorySink::default();
        buffer.store(&sink, "a.html").unwrap();
        assert_eq!(sink.into_files()["a.html"], expected);
    }

    /// A small file stays one piece.
    #[test]
    fn a_small_file_is_one_piece() {
        let mut buffer = PieceBuffer::with_capacity(16);
        buffer.write_all(b"<p>short</p>").unwrap();
        assert_eq!(buffer.pieces.len(), 1);
        let sink = MemorySink::default();
        buffer.store(&sink, "b.html").unwrap();
        assert_eq!(sink.into_files()["b.html"], b"<p>short</p>");
    }
}
