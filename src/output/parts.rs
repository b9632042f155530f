//! Writing a file made in parts (`pages.json`, `graph.json`: too large to hold whole on
//! a large site) as the parts come, hashing it on the way.

use std::io::{self, Read, Seek, Write};
use std::path::Path;

use xxhash_rust::xxh3::Xxh3;

use super::manifest::ContentHash;

/// Writes `parts` one after another as the file at `path`, which may hold an earlier
/// version of it (made if it is missing): compared with it as they come, and written only
/// from the first byte that differs, so that an unchanged file is not written at all and
/// no part waits in memory. The hash of the whole, and whether the file was unchanged.
pub(super) fn rewrite_parts(
    path: &Path,
    parts: &mut dyn Iterator<Item = Vec<u8>>,
) -> io::Result<(ContentHash, bool)> {
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)?;
    let old_len = file.metadata()?.len();
    // Parts are a page's entry each (a kilobyte or two): read what the file holds in
    // larger runs, not one call per part.
    let mut earlier = io::BufReader::with_capacity(READ_AHEAD, &file);
    let mut hasher = Xxh3::new();
    let mut at = 0u64;
    let mut old = Vec::new();
    // Set once a part differs from what the file holds: the rest is written from there.
    let mut out: Option<io::BufWriter<std::fs::File>> = None;
    for part in parts {
        hasher.update(&part);
        match &mut out {
            Some(out) => out.write_all(&part)?,
            None => {
                old.resize(part.len(), 0);
                let held = read_up_to(&mut earlier, &mut old)?;
                if held == part.len() && old == part {
                    at += part.len() as u64;
                    continue;
                }
                let same = part.iter().zip(&old[..held]).take_while(|(a, b)| a == b);
                let same = same.count();
                let mut writer = io::BufWriter::new(file.try_clone()?);
                writer.seek(io::SeekFrom::Start(at + same as u64))?;
                writer.write_all(&part[same..])?;
                out = Some(writer);
            }
        }
        at += part.len() as u64;
    }
    let unchanged = out.is_none() && at == old_len;
    if let Some(mut out) = out {
        out.flush()?;
    }
    if at != old_len {
        file.set_len(at)?;
    }
    Ok((hasher.digest128(), unchanged))
}

/// How much of the earlier file is read at a time to compare parts with.
const READ_AHEAD: usize = 256 * 1024;

/// Reads from `file` into `buffer` until it is full or the file ends; how much it read.
fn read_up_to(file: &mut impl Read, buffer: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match file.read(&mut buffer[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Writes `parts` over a file holding `old` (none: no file); what the file then holds,
    /// and whether it was reported unchanged.
    fn rewrite(old: Option<&[u8]>, parts: &[Vec<u8>]) -> (Vec<u8>, bool) {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("pages.json");
        if let Some(old) = old {
            std::fs::write(&path, old).unwrap();
        }
        let (hash, unchanged) = rewrite_parts(&path, &mut parts.iter().cloned()).unwrap();
        let now = std::fs::read(&path).unwrap();
        assert_eq!(
            hash,
            xxhash_rust::xxh3::xxh3_128(&now),
            "the hash of what was written"
        );
        (now, unchanged)
    }

    /// Parts of `sizes` bytes each, cut from `bytes` in order.
    fn cut(bytes: &[u8], sizes: &[usize]) -> Vec<Vec<u8>> {
        let mut at = 0;
        let mut parts: Vec<Vec<u8>> = sizes
            .iter()
            .map(|&n| {
                let end = (at + n).min(bytes.len());
                let part = bytes[at..end].to_vec();
                at = end;
                part
            })
            .collect();
        parts.push(bytes[at..].to_vec());
        parts
    }

    /// Runs longer than what is read ahead at a time, changed before, across and after its
    /// edges: the file ends as the parts, and is unchanged only when it held them already.
    #[test]
    fn parts_across_the_read_ahead_replace_the_file_from_the_first_difference() {
        let old: Vec<u8> = (0..3 * READ_AHEAD + 123).map(|i| (i % 251) as u8).collect();
        let sizes = [1000, READ_AHEAD - 7, 40, READ_AHEAD + 3000, 17];
        assert_eq!(rewrite(Some(&old), &cut(&old, &sizes)), (old.clone(), true));
        for at in [
            0,
            999,
            READ_AHEAD,
            READ_AHEAD + 1,
            2 * READ_AHEAD + 5,
            old.len() - 1,
        ] {
            let mut new = old.clone();
            new[at] ^= 0xff;
            assert_eq!(
                rewrite(Some(&old), &cut(&new, &sizes)),
                (new, false),
                "{at}"
            );
        }
        let shorter = &old[..READ_AHEAD + 10];
        assert_eq!(
            rewrite(Some(&old), &cut(shorter, &sizes)),
            (shorter.to_vec(), false)
        );
        let mut longer = old.clone();
        longer.extend_from_slice(b"more");
        assert_eq!(
            rewrite(Some(&old), &cut(&longer, &sizes)),
            (longer.clone(), false)
        );
        assert_eq!(rewrite(None, &cut(&longer, &sizes)), (longer, false));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// Whatever the file held, it then holds the parts, and is reported unchanged
        /// exactly when it held them already.
        #[test]
        fn the_file_holds_the_parts_afterwards(
            old in proptest::collection::vec(0u8..4, 0..2000),
            new in proptest::collection::vec(0u8..4, 0..2000),
            sizes in proptest::collection::vec(0usize..300, 0..12),
        ) {
            let (now, unchanged) = rewrite(Some(&old), &cut(&new, &sizes));
            prop_assert_eq!(&now, &new);
            prop_assert_eq!(unchanged, old == new);
        }
    }
}
