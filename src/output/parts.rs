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
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)?;
    let old_len = file.metadata()?.len();
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
                let held = read_up_to(&mut file, &mut old)?;
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

/// Reads from `file` into `buffer` until it is full or the file ends; how much it read.
fn read_up_to(file: &mut std::fs::File, buffer: &mut [u8]) -> io::Result<usize> {
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
