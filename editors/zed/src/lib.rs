//! Zed starts language servers only from extensions: this one starts `muster lsp`,
//! found on the `PATH` of the worktree's shell.

use zed_extension_api as zed;

struct Muster;

impl zed::Extension for Muster {
    fn new() -> Self {
        Muster
    }

    fn language_server_command(
        &mut self,
        _id: &zed::LanguageServerId,
        worktree: &zed::Worktree,
    ) -> zed::Result<zed::Command> {
        let muster = worktree.which("muster").ok_or_else(|| {
            "`muster` is not on PATH: run `cargo install --path .` in its repository".to_string()
        })?;
        Ok(zed::Command {
            command: muster,
            args: vec!["lsp".into()],
            env: Vec::new(),
        })
    }
}

zed::register_extension!(Muster);
