//! A log file's layout, and reading it: from memory, or from the open file by position,
//! so that a build never holds a large log whole (at 100,000 pages the parse cache alone
//! is 0.8 GB).

use std::borrow::Cow;
use std::fs::File;
use std::io::{self, BufRead, Write};
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use xxhash_rust::xxh3::{Xxh3, xxh3_64};

/// Changes whenever the stored layout does.
pub(super) const FORMAT: u32 = 2;

// The file's layout, little-endian: [`FORMAT`] (4 bytes) and the setup hash (16), then
// entries: key (16 bytes), length (8), checksum of the bytes (8), and the bytes. Written
// by hand: serde would copy the bytes one by one as a sequence.

/// The length of the file's header.
const HEADER: usize = 4 + 16;
/// The length of an entry's header.
const ENTRY_HEADER: usize = 16 + 8 + 8;

/// Where each entry of a log is, by key. Keys are hashes already: Fx spreads them well
/// enough, where the default SipHash took most of the time of building the index.
pub(crate) type Index = rustc_hash::FxHashMap<u128, Range<usize>>;

/// A log as a build found it.
pub(super) enum Stored {
    /// In memory: serve's logs, kept between its builds.
    Memory(Arc<Vec<u8>>),
    /// In the open file, whose entries are read by position when they are used. What it
    /// holds up to its length when opened stays as it is: a build appends to a log, or
    /// renames a new file over it, and never writes into it.
    File {
        /// The file (shared with the bodies' HTML left in it, see [`Tail`]).
        file: Arc<File>,
        /// Its length when opened.
        len: usize,
    },
}

impl Stored {
    /// The log in `file`; empty if there is none or it cannot be read.
    pub(super) fn open(file: &Path) -> Stored {
        let opened = File::open(file).and_then(|file| {
            let len = usize::try_from(file.metadata()?.len()).map_err(io::Error::other)?;
            Ok(Stored::File {
                file: Arc::new(file),
                len,
            })
        });
        opened.unwrap_or_else(|_| Stored::Memory(Arc::default()))
    }

    /// Nothing stored.
    pub(super) fn empty() -> Stored {
        Stored::Memory(Arc::default())
    }

    /// How many bytes it holds.
    pub(super) fn len(&self) -> usize {
        match self {
            Stored::Memory(bytes) => bytes.len(),
            Stored::File { len, .. } => *len,
        }
    }

    /// The bytes at `range`, an entry's found by [`Stored::index`].
    pub(super) fn bytes(&self, range: Range<usize>) -> io::Result<Cow<'_, [u8]>> {
        match self {
            Stored::Memory(bytes) => bytes
                .get(range)
                .map(Cow::Borrowed)
                .ok_or_else(|| io::ErrorKind::UnexpectedEof.into()),
            Stored::File { file, .. } => {
                crate::file_at::read_at(file, range.start as u64, range.len()).map(Cow::Owned)
            }
        }
    }

    /// The entry at `range` cut after its head, whose length its first four bytes give:
    /// the head's bytes, and where the rest is, which is not read.
    pub(super) fn split(&self, range: Range<usize>) -> io::Result<(Cow<'_, [u8]>, Tail<'_>)> {
        let short = || io::Error::from(io::ErrorKind::UnexpectedEof);
        match self {
            Stored::Memory(bytes) => {
                let entry = bytes.get(range).ok_or_else(short)?;
                let head_len = head_len(entry).ok_or_else(short)?;
                let (head, tail) = entry[4..].split_at_checked(head_len).ok_or_else(short)?;
                Ok((Cow::Borrowed(head), Tail::Bytes(tail)))
            }
            Stored::File { file, .. } => {
                // One read for the head of most entries (a body's links and headings).
                let first = range.len().min(HEAD_READ);
                let mut bytes = crate::file_at::read_at(file, range.start as u64, first)?;
                let head_len = head_len(&bytes).ok_or_else(short)?;
                let tail_start = 4 + head_len;
                if tail_start > range.len() {
                    return Err(short());
                }
                if tail_start > bytes.len() {
                    let more = tail_start - bytes.len();
                    let at = (range.start + bytes.len()) as u64;
                    bytes.extend(crate::file_at::read_at(file, at, more)?);
                }
                bytes.truncate(tail_start);
                bytes.drain(..4);
                let tail = (range.start + tail_start) as u64..range.end as u64;
                Ok((Cow::Owned(bytes), Tail::File { file, range: tail }))
            }
        }
    }

    /// Where each whole, valid entry's bytes are if this is a log of `setup`, and how far
    /// such entries go (0 if it is not such a log). Reads a file once, in order, without
    /// keeping it.
    pub(super) fn index(&self, setup: u128) -> (Index, usize) {
        match self {
            Stored::Memory(bytes) => index_of(&bytes[..], setup),
            Stored::File { file, .. } => {
                // A fresh handle's cursor: reading by position elsewhere never moves it.
                index_of(io::BufReader::with_capacity(1 << 20, &**file), setup)
            }
        }
    }
}

/// How much of an entry [`Stored::split`] reads first.
const HEAD_READ: usize = 4096;

/// The rest of an entry after its head (see [`Stored::split`]), not read yet.
pub(crate) enum Tail<'a> {
    /// In memory.
    Bytes(&'a [u8]),
    /// At `range` of the log's file.
    File {
        file: &'a Arc<File>,
        range: Range<u64>,
    },
}

/// The head's length an entry written by [`split_entry`] starts with.
fn head_len(entry: &[u8]) -> Option<usize> {
    let len = u32::from_le_bytes(entry.get(..4)?.try_into().ok()?);
    usize::try_from(len).ok()
}

/// The bytes of an entry made of `head` and `tail`, for [`Stored::split`] to cut again.
pub(crate) fn split_entry(head: &[u8], tail: &[u8]) -> Option<Vec<u8>> {
    let len = u32::try_from(head.len()).ok()?;
    let mut bytes = Vec::with_capacity(4 + head.len() + tail.len());
    bytes.extend_from_slice(&len.to_le_bytes());
    bytes.extend_from_slice(head);
    bytes.extend_from_slice(tail);
    Some(bytes)
}

/// Writes an entry of `bytes` under `key`.
pub(super) fn write_entry(out: &mut impl Write, key: u128, bytes: &[u8]) -> io::Result<()> {
    out.write_all(&key.to_le_bytes())?;
    out.write_all(&(bytes.len() as u64).to_le_bytes())?;
    out.write_all(&xxh3_64(bytes).to_le_bytes())?;
    out.write_all(bytes)
}

/// Writes the header of a log of `setup`.
pub(super) fn write_header(out: &mut impl Write, setup: u128) -> io::Result<()> {
    out.write_all(&FORMAT.to_le_bytes())?;
    out.write_all(&setup.to_le_bytes())
}

/// Where each whole, valid entry's bytes are in the log read from `stored` if it is a
/// log of `setup`, and how far such entries go (0 if it is not such a log).
pub(in crate::incremental) fn index_of(mut stored: impl BufRead, setup: u128) -> (Index, usize) {
    let mut index = Index::default();
    let mut header = [0; HEADER];
    let ours = stored.read_exact(&mut header).is_ok()
        && header[..4] == FORMAT.to_le_bytes()
        && header[4..] == setup.to_le_bytes();
    if !ours {
        return (index, 0);
    }
    let mut at = HEADER;
    while let Some((key, len)) = next_entry(&mut stored) {
        let start = at + ENTRY_HEADER;
        index.insert(key, start..start + len);
        at = start + len;
    }
    (index, at)
}

/// The key and length of the entry at the start of `rest`, if it is whole and its
/// checksum matches; `rest` is then read past it.
fn next_entry(rest: &mut impl BufRead) -> Option<(u128, usize)> {
    let mut header = [0; ENTRY_HEADER];
    rest.read_exact(&mut header).ok()?;
    let (key, header) = header.split_at(16);
    let (len, checksum) = header.split_at(8);
    let key = u128::from_le_bytes(key.try_into().ok()?);
    let len = usize::try_from(u64::from_le_bytes(len.try_into().ok()?)).ok()?;
    let checksum = u64::from_le_bytes(checksum.try_into().ok()?);
    // Hashed as it comes, never copied whole.
    let mut hash = Xxh3::new();
    let mut left = len;
    while left > 0 {
        let buffered = rest.fill_buf().ok()?;
        if buffered.is_empty() {
            return None;
        }
        let n = buffered.len().min(left);
        hash.update(&buffered[..n]);
        rest.consume(n);
        left -= n;
    }
    (hash.digest() == checksum).then_some((key, len))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn log(setup: u128, entries: &[(u128, &[u8])]) -> Vec<u8> {
        let mut out = Vec::new();
        write_header(&mut out, setup).unwrap();
        for (key, bytes) in entries {
            write_entry(&mut out, *key, bytes).unwrap();
        }
        out
    }

    #[test]
    fn a_log_in_a_file_reads_as_the_same_log_in_memory() {
        let long = vec![7u8; 5000];
        let bytes = log(3, &[(1, b"one"), (2, &long), (3, b"")]);
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("log");
        std::fs::write(&path, &bytes).unwrap();
        let file = Stored::open(&path);
        let memory = Stored::Memory(Arc::new(bytes.clone()));
        let (index, valid) = file.index(3);
        assert_eq!(
            (index.len(), valid, file.len()),
            (3, bytes.len(), bytes.len())
        );
        assert_eq!((index.clone(), valid), memory.index(3));
        assert_eq!(&*file.bytes(index[&2].clone()).unwrap(), &long[..]);
        assert_eq!(&*memory.bytes(index[&1].clone()).unwrap(), b"one");
        // Hashed in pieces smaller than an entry: the same checksums.
        let small = io::BufReader::with_capacity(7, &bytes[..]);
        assert_eq!(index_of(small, 3).0, index);
        // Another setup, or no file: nothing.
        assert_eq!(file.index(4).1, 0);
        assert_eq!(Stored::open(&tmp.path().join("none")).index(3).1, 0);
    }

    /// An entry of head and tail is cut where its head ends, in memory and in a file; the
    /// file's tail is not read, and a head longer than the first read is read whole.
    #[test]
    fn an_entry_is_cut_after_its_head_and_its_tail_left_where_it_is() {
        let long_head = vec![5u8; HEAD_READ + 100];
        let entries = [
            split_entry(b"head", "tail: Душанбе".as_bytes()).unwrap(),
            split_entry(&long_head, b"t").unwrap(),
            split_entry(b"", b"").unwrap(),
        ];
        let bytes = log(3, &[(1, &entries[0]), (2, &entries[1]), (3, &entries[2])]);
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("log");
        std::fs::write(&path, &bytes).unwrap();
        let file = Stored::open(&path);
        let memory = Stored::Memory(Arc::new(bytes.clone()));
        let (index, _) = file.index(3);
        let wanted: [(&[u8], &[u8]); 3] = [
            (b"head", "tail: Душанбе".as_bytes()),
            (&long_head, b"t"),
            (b"", b""),
        ];
        for (key, (head, tail)) in (1..=3).zip(wanted) {
            let range = index[&key].clone();
            let (read, rest) = memory.split(range.clone()).unwrap();
            assert_eq!(
                (&*read, matches!(rest, Tail::Bytes(t) if t == tail)),
                (head, true)
            );
            let (read, rest) = file.split(range.clone()).unwrap();
            assert_eq!(&*read, head);
            let Tail::File { range: at, .. } = rest else {
                panic!("a file's tail stays in the file");
            };
            let at = at.start as usize..at.end as usize;
            assert_eq!((&bytes[at.clone()], at.end), (tail, range.end));
        }
        // A head said to be longer than its entry.
        let mut lying = split_entry(b"head", b"tail").unwrap();
        lying[..4].copy_from_slice(&100u32.to_le_bytes());
        let bytes = log(3, &[(1, &lying)]);
        std::fs::write(&path, &bytes).unwrap();
        let file = Stored::open(&path);
        let memory = Stored::Memory(Arc::new(bytes));
        let (index, _) = memory.index(3);
        assert!(memory.split(index[&1].clone()).is_err());
        assert!(file.split(index[&1].clone()).is_err());
    }

    #[test]
    fn entries_stop_at_the_first_torn_or_damaged_one() {
        let bytes = log(3, &[(1, b"one"), (2, b"two"), (3, b"three")]);
        let (index, _) = index_of(&bytes[..], 3);
        let mut damaged = bytes.clone();
        damaged[index[&2].start] ^= 1;
        let (kept, valid) = index_of(&damaged[..], 3);
        assert_eq!(kept.keys().collect::<Vec<_>>(), [&1]);
        assert_eq!(valid, index[&1].end);
        let torn = &bytes[..bytes.len() - 1];
        assert_eq!(index_of(torn, 3).0.len(), 2);
        // An entry's length past the end of the file.
        let mut long = bytes[..index[&1].end].to_vec();
        write_entry(&mut long, 9, b"nine").unwrap();
        let at = index[&1].end + 16;
        long[at..at + 8].copy_from_slice(&u64::MAX.to_le_bytes());
        assert_eq!(index_of(&long[..], 3).0.len(), 1);
    }
}
