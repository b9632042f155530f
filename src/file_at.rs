//! Writing and reading a file at a byte offset, without a shared cursor: threads read
//! one file at once (the spill of bodies' HTML, the build cache's logs).

use std::fs::File;
use std::io;

#[cfg(unix)]
/// Writes all of `bytes` at offset `at` of `file`.
pub(crate) fn write_at(file: &File, bytes: &[u8], at: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(file, bytes, at)
}

#[cfg(unix)]
/// The `len` bytes at offset `at` of `file`.
pub(crate) fn read_at(file: &File, at: u64, len: usize) -> io::Result<Vec<u8>> {
    let mut bytes = vec![0; len];
    std::os::unix::fs::FileExt::read_exact_at(file, &mut bytes, at)?;
    Ok(bytes)
}

#[cfg(windows)]
/// Writes all of `bytes` at offset `at` of `file`.
pub(crate) fn write_at(file: &File, mut bytes: &[u8], mut at: u64) -> io::Result<()> {
    while !bytes.is_empty() {
        match std::os::windows::fs::FileExt::seek_write(file, bytes, at)? {
            0 => return Err(io::ErrorKind::WriteZero.into()),
            n => {
                bytes = &bytes[n..];
                at += n as u64;
            }
        }
    }
    Ok(())
}

#[cfg(windows)]
/// The `len` bytes at offset `at` of `file`.
pub(crate) fn read_at(file: &File, mut at: u64, len: usize) -> io::Result<Vec<u8>> {
    let mut bytes = vec![0; len];
    let mut filled = 0;
    while filled < len {
        match std::os::windows::fs::FileExt::seek_read(file, &mut bytes[filled..], at)? {
            0 => return Err(io::ErrorKind::UnexpectedEof.into()),
            n => {
                filled += n;
                at += n as u64;
            }
        }
    }
    Ok(bytes)
}

#[cfg(not(any(unix, windows)))]
/// Writes all of `bytes` at offset `at` of `file`.
pub(crate) fn write_at(_: &File, _: &[u8], _: u64) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

#[cfg(not(any(unix, windows)))]
/// The `len` bytes at offset `at` of `file`.
pub(crate) fn read_at(_: &File, _: u64, _: usize) -> io::Result<Vec<u8>> {
    Err(io::ErrorKind::Unsupported.into())
}
