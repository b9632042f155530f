//! The `muster` command line: global options here, one module a command in `cmd/`.

mod cmd;

/// jemalloc instead of the system's allocator: a build allocates and frees millions of
/// small strings and values across threads; measured against glibc's and mimalloc in
/// docs/PERFORMANCE.md, "The allocator".
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's options, read when it starts (its `malloc_conf`, under the prefix
/// tikv-jemalloc-sys gives its symbols). Freed pages go back to the system within a
/// second, by a background thread, instead of within ten seconds by whichever thread
/// allocates next: a build's stages free hundreds of MB that later stages would otherwise
/// find still counted against the process (docs/PERFORMANCE.md, "The allocator").
/// `_RJEM_MALLOC_CONF` in the environment still overrides these.
#[cfg(not(target_env = "msvc"))]
#[unsafe(export_name = "_rjem_malloc_conf")]
static MALLOC_CONF: MallocConf =
    MallocConf(c"background_thread:true,dirty_decay_ms:1000,muzzy_decay_ms:0".as_ptr());

/// A C string's address, as jemalloc reads `malloc_conf` (`const char *`).
#[cfg(not(target_env = "msvc"))]
#[repr(transparent)]
struct MallocConf(*const std::ffi::c_char);

// SAFETY: it points to a string constant, which nothing writes.
#[cfg(not(target_env = "msvc"))]
unsafe impl Sync for MallocConf {}

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use cmd::Global;

/// Gives the pages jemalloc keeps of freed memory back to the system at once, in every
/// arena (4096 is jemalloc's `MALLCTL_ARENAS_ALL`), instead of over its ten-second decay.
#[cfg(all(not(target_env = "msvc"), feature = "lsp"))]
fn release_memory() {
    // SAFETY: `arena.<i>.purge` reads and writes no value, so all pointers may be null,
    // and the name is a NUL-terminated string that lives for the call.
    unsafe {
        tikv_jemalloc_sys::mallctl(
            c"arena.4096.purge".as_ptr(),
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            0,
        );
    }
}

/// The system's allocator gives freed memory back as it sees fit.
#[cfg(all(target_env = "msvc", feature = "lsp"))]
fn release_memory() {}

/// A fast static site generator for cross-linked knowledge bases.
#[derive(Parser)]
#[command(name = "muster", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    #[command(flatten)]
    global: Global,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder.
    Build(cmd::build::Args),
    /// Check every page, link and template without writing anything.
    Check(cmd::check::Args),
    /// Preview the site: serve it from memory and reload the browser on every change.
    #[cfg(feature = "serve")]
    Serve(cmd::serve::Args),
    /// Serve editors over the Language Server Protocol: errors as you type, completion, hover, links.
    #[cfg(feature = "lsp")]
    Lsp(cmd::lsp::Args),
    /// Create a page of a kind, with the kind's fields to fill in.
    New(cmd::new::Args),
    /// Create a new site that builds at once: settings, two kinds, example pages, the theme.
    Init(cmd::init::Args),
    /// Write JSON Schemas of each kind's front matter and the editor settings that use them.
    Schema(cmd::schema::Args),
    /// List each page's translations and whether they are behind their originals, or mark them current.
    Translations(cmd::translations::Args),
    /// Explain an error code, e.g. `muster explain E004`; without a code, list them all.
    Explain(cmd::explain::Args),
    /// Deletes a previous site that `build` swapped out, named on standard input (run by `build` itself).
    #[command(name = "__remove-previous-output", hide = true)]
    RemovePreviousOutput,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Printing may fail on a closed stream; the exit status still says what happened.
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let global = &cli.global;
    match &cli.command {
        Command::Build(args) => cmd::build::run(args, global),
        Command::Check(args) => cmd::check::run(args, global),
        #[cfg(feature = "serve")]
        Command::Serve(args) => cmd::serve::run(args, global),
        #[cfg(feature = "lsp")]
        Command::Lsp(args) => cmd::lsp::run(args),
        Command::New(args) => cmd::new::run(args, global),
        Command::Init(args) => cmd::init::run(args, global),
        Command::Schema(args) => cmd::schema::run(args, global),
        Command::Translations(args) => cmd::translations::run(args, global),
        Command::Explain(args) => cmd::explain::run(args),
        Command::RemovePreviousOutput => cmd::remove_previous::run(),
    }
}
