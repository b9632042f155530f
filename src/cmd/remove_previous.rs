//! `muster __remove-previous-output`: the helper `build` starts to delete the site it
//! swapped out, so that the command returns as soon as the new site is in place.

use std::process::ExitCode;

use super::fail;

/// Reads the folder's path on standard input (the build writes it once the folder is
/// renamed for this process) and deletes the files its manifest lists; nothing named,
/// nothing done.
pub fn run() -> ExitCode {
    let mut line = String::new();
    let _ = std::io::stdin().read_line(&mut line);
    let path = line.trim_end_matches(['\n', '\r']);
    if path.is_empty() {
        return ExitCode::SUCCESS;
    }
    match muster::remove_previous(std::path::Path::new(path)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(e),
    }
}
