//! Progress of a long build: a bar on a terminal, nothing elsewhere.

use std::io::IsTerminal;
use std::path::Path;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::output::OutputSink;

/// What a build tells about its progress; every method may be called from many threads.
pub trait BuildProgress: Sync {
    /// A stage starts.
    fn stage(&self, _name: &str) {}
    /// How many files the build will write.
    fn total(&self, _files: u64) {}
    /// One more file written.
    fn file_done(&self) {}
}

/// Reports nothing.
#[derive(Debug, Default)]
pub struct NoProgress;

impl BuildProgress for NoProgress {}

/// An indicatif bar on standard error, drawn only when that is a terminal.
#[derive(Debug)]
pub struct TerminalProgress {
    bar: Option<ProgressBar>,
}

impl TerminalProgress {
    /// A bar if `wanted` and standard error is a terminal; otherwise silent.
    pub fn new(wanted: bool) -> TerminalProgress {
        let bar = (wanted && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template("{spinner} {msg:<28} [{bar:30}] {pos}/{len} files")
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
            );
            bar
        });
        TerminalProgress { bar }
    }

    /// Removes the bar.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl BuildProgress for TerminalProgress {
    fn stage(&self, name: &str) {
        if let Some(bar) = &self.bar {
            bar.set_message(name.to_string());
            bar.tick();
        }
    }

    fn total(&self, files: u64) {
        if let Some(bar) = &self.bar {
            bar.set_length(files);
        }
    }

    fn file_done(&self) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
    }
}

/// A sink that counts what it writes as progress.
pub(crate) struct CountingSink<'a> {
    /// Where files go.
    pub inner: &'a dyn OutputSink,
    /// Told of each file.
    pub progress: &'a dyn BuildProgress,
}

impl OutputSink for CountingSink<'_> {
    fn write(&self, rel_path: &str, contents: &[u8]) -> std::io::Result<()> {
        self.inner.write(rel_path, contents)?;
        self.progress.file_done();
        Ok(())
    }

    fn write_parts(
        &self,
        rel_path: &str,
        parts: &mut dyn Iterator<Item = Vec<u8>>,
    ) -> std::io::Result<()> {
        self.inner.write_parts(rel_path, parts)?;
        self.progress.file_done();
        Ok(())
    }

    fn copy(&self, rel_path: &str, from: &Path) -> std::io::Result<()> {
        self.inner.copy(rel_path, from)?;
        self.progress.file_done();
        Ok(())
    }

    fn carry(&self, rel_path: &str, from: &Path, hash: u128) -> std::io::Result<()> {
        self.inner.carry(rel_path, from, hash)?;
        self.progress.file_done();
        Ok(())
    }
}
