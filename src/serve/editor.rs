//! Opening a file at a line in the writer's editor, for the error overlay's locations.
//!
//! The editor comes from `muster serve --editor`, else `$MUSTER_EDITOR`, `$VISUAL`,
//! `$EDITOR`, in that order. There is no site.yaml setting: a site is shared by writers
//! who use different editors. A command may say where the position goes with `{file}`,
//! `{line}` and `{column}`; without them, the usual arguments of well-known editors are
//! used (`code -g file:line:col`, `idea --line L file`, …), and the bare file otherwise.

use std::path::{Component, Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

/// An editor command, split into words as a shell would.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EditorCommand {
    words: Vec<String>,
}

/// Why a file could not be opened; each says what to do, for the overlay.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub(crate) enum OpenError {
    /// No editor is set.
    #[error("no editor set: start muster serve with --editor \"code\" (or set $VISUAL or $EDITOR)")]
    NoEditor,
    /// The editor runs in a terminal, which serve's own terminal cannot share.
    #[error(
        "`{0}` runs in a terminal: give muster serve --editor a command that opens a window, e.g. --editor \"xterm -e {0} +{{line}} {{file}}\""
    )]
    Terminal(String),
    /// The path is not a file inside the site.
    #[error("`{0}` is not a file of this site")]
    Outside(String),
    /// The editor could not be started.
    #[error("could not start `{program}`: {reason}")]
    Spawn {
        /// The program run.
        program: String,
        /// The system's reason.
        reason: String,
    },
}

/// Editors that take over a terminal: started from serve they would fight it for it.
const TERMINAL_EDITORS: &[&str] = &[
    "vi",
    "vim",
    "nvim",
    "nano",
    "pico",
    "micro",
    "hx",
    "helix",
    "kak",
    "emacs -nw",
    "ed",
    "joe",
    "mcedit",
    "ne",
];

impl EditorCommand {
    /// The command written `text` (shell words); `None` if it is empty or its quotes do
    /// not close.
    pub(crate) fn parse(text: &str) -> Option<EditorCommand> {
        let words = shlex::split(text)?;
        (!words.is_empty()).then_some(EditorCommand { words })
    }

    /// The editor to use: `flag`, else the first of `$MUSTER_EDITOR`, `$VISUAL`,
    /// `$EDITOR` that is set (read through `env`, so tests can give their own).
    pub(crate) fn chosen(
        flag: Option<&str>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Option<EditorCommand> {
        let from_env = || {
            ["MUSTER_EDITOR", "VISUAL", "EDITOR"]
                .iter()
                .filter_map(|name| env(name))
                .find(|value| !value.trim().is_empty())
        };
        match flag {
            Some(flag) => EditorCommand::parse(flag),
            None => EditorCommand::parse(&from_env()?),
        }
    }

    /// The program's file name, without folders or `.exe`.
    fn program(&self) -> &str {
        let first = &self.words[0];
        let name = first.rsplit(['/', '\\']).next().unwrap_or(first);
        name.strip_suffix(".exe").unwrap_or(name)
    }

    /// The command that opens `file` at `line` and `column`.
    pub(crate) fn command(
        &self,
        file: &Path,
        line: u32,
        column: u32,
    ) -> Result<Command, OpenError> {
        let file_text = file.to_string_lossy();
        let placed = self
            .words
            .iter()
            .any(|w| w.contains("{file}") || w.contains("{line}"));
        let mut words: Vec<String> = if placed {
            self.words
                .iter()
                .map(|w| {
                    w.replace("{file}", &file_text)
                        .replace("{line}", &line.to_string())
                        .replace("{column}", &column.to_string())
                })
                .collect()
        } else {
            if self.is_terminal_editor() {
                return Err(OpenError::Terminal(self.words.join(" ")));
            }
            let mut words = self.words.clone();
            words.extend(position_arguments(self.program(), &file_text, line, column));
            words
        };
        let mut command = Command::new(words.remove(0));
        command
            .args(words)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        Ok(command)
    }

    fn is_terminal_editor(&self) -> bool {
        let program = self.program();
        let with_first_argument = match self.words.get(1) {
            Some(argument) => format!("{program} {argument}"),
            None => program.to_string(),
        };
        TERMINAL_EDITORS
            .iter()
            .any(|t| *t == program || *t == with_first_argument)
    }

    /// Opens `rel` (a path relative to `root`, as diagnostics give it) at `line` and
    /// `column`, if it is a file inside `root`. Does not wait for the editor.
    pub(crate) fn open(
        &self,
        root: &Path,
        rel: &str,
        line: u32,
        column: u32,
    ) -> Result<(), OpenError> {
        let file = file_inside(root, rel).ok_or_else(|| OpenError::Outside(rel.to_string()))?;
        let mut command = self.command(&file, line.max(1), column.max(1))?;
        let mut child = command.spawn().map_err(|e| OpenError::Spawn {
            program: self.words[0].clone(),
            reason: e.to_string(),
        })?;
        // Reaped when it exits, so no zombie stays while serve runs.
        std::thread::spawn(move || child.wait());
        Ok(())
    }
}

/// How `program` is told a position, when the command does not say.
fn position_arguments(program: &str, file: &str, line: u32, column: u32) -> Vec<String> {
    let at = format!("{file}:{line}:{column}");
    match program {
        "code" | "code-insiders" | "codium" | "vscodium" | "cursor" | "windsurf" => {
            vec!["-g".into(), at]
        }
        "subl" | "sublime_text" | "zed" | "zeditor" | "lapce" => vec![at],
        "idea" | "idea.sh" | "webstorm" | "pycharm" | "clion" | "rustrover" | "goland"
        | "phpstorm" | "rubymine" => vec![
            "--line".into(),
            line.to_string(),
            "--column".into(),
            column.to_string(),
            file.into(),
        ],
        "kate" => vec![
            "-l".into(),
            line.to_string(),
            "-c".into(),
            column.to_string(),
            file.into(),
        ],
        "gvim" | "mvim" => vec![format!("+{line}"), file.into()],
        "emacs" | "emacsclient" | "gedit" | "gnome-text-editor" => {
            vec![format!("+{line}:{column}"), file.into()]
        }
        _ => vec![file.into()],
    }
}

/// `root/rel` if `rel` is a relative path of plain names naming a file that, with every
/// link followed, still lies inside `root`.
pub(crate) fn file_inside(root: &Path, rel: &str) -> Option<PathBuf> {
    let rel = Path::new(rel);
    if rel.as_os_str().is_empty() || !rel.components().all(|c| matches!(c, Component::Normal(_))) {
        return None;
    }
    let root = root.canonicalize().ok()?;
    let file = root.join(rel).canonicalize().ok()?;
    (file.starts_with(&root) && file.is_file()).then_some(file)
}

/// A token the overlay must send to open a file: 128 random bits, so that only pages
/// that read the event stream (this site's, never another origin's) can ask.
pub(crate) fn new_token() -> String {
    let mut bytes = [0u8; 16];
    if getrandom::fill(&mut bytes).is_err() {
        // No system randomness: the endpoint then refuses everything (see `accepts`).
        return String::new();
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether `given` is the token `expected`; an empty token accepts nothing.
pub(crate) fn accepts(expected: &str, given: &str) -> bool {
    // Constant time is not needed: the token is only compared on this machine, and a
    // wrong guess costs a request; but an empty token must never match.
    !expected.is_empty() && expected == given
}

/// What the overlay's editor endpoint needs: the site, the editor, the token to expect.
pub(crate) struct FileOpener {
    /// The site root; only files below it are opened.
    pub root: std::path::PathBuf,
    /// The writer's editor, if one is set.
    pub editor: Option<EditorCommand>,
    /// The token requests must carry in `X-Muster-Token`.
    pub token: String,
}

/// Where to open: a site file as diagnostics name it, and a position in it.
#[derive(serde::Deserialize)]
pub(crate) struct OpenRequest {
    file: String,
    #[serde(default)]
    line: u32,
    #[serde(default)]
    column: u32,
}

/// `POST /__muster/open?file=…&line=…&column=…` with the token: opens the file in the
/// editor. 204 when started; otherwise a status and a sentence the overlay shows.
pub(crate) async fn open_file(
    State(opener): State<Arc<FileOpener>>,
    headers: HeaderMap,
    query: axum::extract::Query<OpenRequest>,
) -> Response {
    let token = headers
        .get("x-muster-token")
        .and_then(|t| t.to_str().ok())
        .unwrap_or("");
    if !accepts(&opener.token, token) {
        return (
            StatusCode::FORBIDDEN,
            "the page is from an older server: reload it\n",
        )
            .into_response();
    }
    let Some(editor) = opener.editor.clone() else {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            OpenError::NoEditor.to_string(),
        )
            .into_response();
    };
    let request = query.0;
    let root = opener.root.clone();
    let opened = tokio::task::spawn_blocking(move || {
        editor.open(&root, &request.file, request.line, request.column)
    })
    .await;
    match opened {
        Ok(Ok(())) => StatusCode::NO_CONTENT.into_response(),
        Ok(Err(e @ OpenError::Outside(_))) => {
            (StatusCode::NOT_FOUND, e.to_string()).into_response()
        }
        Ok(Err(e)) => (StatusCode::SERVICE_UNAVAILABLE, e.to_string()).into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(command: &str, file: &str) -> Result<Vec<String>, OpenError> {
        let c = EditorCommand::parse(command).unwrap();
        let built = c.command(Path::new(file), 7, 3)?;
        Ok(std::iter::once(built.get_program())
            .chain(built.get_args())
            .map(|a| a.to_string_lossy().into_owned())
            .collect())
    }

    #[test]
    fn known_editors_get_their_own_position_arguments() {
        assert_eq!(
            args("code", "/s/a.md").unwrap(),
            ["code", "-g", "/s/a.md:7:3"]
        );
        assert_eq!(
            args("/usr/bin/code --wait", "/s/a.md").unwrap(),
            ["/usr/bin/code", "--wait", "-g", "/s/a.md:7:3"]
        );
        assert_eq!(args("zed", "/s/a.md").unwrap(), ["zed", "/s/a.md:7:3"]);
        assert_eq!(
            args("idea", "/s/a.md").unwrap(),
            ["idea", "--line", "7", "--column", "3", "/s/a.md"]
        );
        assert_eq!(
            args("emacsclient -n", "/s/a.md").unwrap(),
            ["emacsclient", "-n", "+7:3", "/s/a.md"]
        );
        assert_eq!(
            args("mousepad", "/s/a.md").unwrap(),
            ["mousepad", "/s/a.md"]
        );
    }

    #[test]
    fn placeholders_put_the_position_where_the_command_says() {
        assert_eq!(
            args("'my editor' --goto {file}@{line},{column}", "/s/a b.md").unwrap(),
            ["my editor", "--goto", "/s/a b.md@7,3"]
        );
        assert_eq!(
            args("xterm -e nvim +{line} {file}", "/s/a.md").unwrap(),
            ["xterm", "-e", "nvim", "+7", "/s/a.md"]
        );
    }

    #[test]
    fn terminal_editors_without_a_window_are_refused_with_advice() {
        for editor in ["vim", "/usr/bin/nvim", "nano", "emacs -nw", "hx"] {
            let err = args(editor, "/s/a.md").unwrap_err();
            assert!(matches!(err, OpenError::Terminal(_)), "{editor}: {err:?}");
            assert!(err.to_string().contains("--editor \"xterm -e"), "{err}");
        }
        assert!(args("emacs", "/s/a.md").is_ok());
    }

    #[test]
    fn the_flag_comes_first_then_the_environment_in_order() {
        let env = |vars: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                vars.iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| v.to_string())
            }
        };
        let chosen = |flag, vars| EditorCommand::chosen(flag, env(vars)).map(|c| c.words);
        assert_eq!(chosen(Some("zed"), &[("VISUAL", "code")]).unwrap(), ["zed"]);
        assert_eq!(
            chosen(None, &[("EDITOR", "vim"), ("VISUAL", "code -n")]).unwrap(),
            ["code", "-n"]
        );
        assert_eq!(
            chosen(None, &[("MUSTER_EDITOR", "subl"), ("VISUAL", "code")]).unwrap(),
            ["subl"]
        );
        assert_eq!(
            chosen(None, &[("VISUAL", " "), ("EDITOR", "kate")]).unwrap(),
            ["kate"]
        );
        assert!(chosen(None, &[]).is_none());
        assert!(chosen(Some("'unclosed"), &[]).is_none());
    }

    #[test]
    fn only_files_inside_the_site_are_opened() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::write(root.join("content/a.md"), "a").unwrap();
        std::fs::write(tmp.path().join("secret"), "s").unwrap();
        assert!(file_inside(&root, "content/a.md").is_some());
        for bad in [
            "",
            "/etc/passwd",
            "../secret",
            "content/../../secret",
            "content",
            "nope.md",
        ] {
            assert!(file_inside(&root, bad).is_none(), "{bad}");
        }
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(tmp.path().join("secret"), root.join("content/link.md"))
                .unwrap();
            assert!(file_inside(&root, "content/link.md").is_none());
        }
    }

    #[test]
    fn tokens_are_random_and_an_empty_one_accepts_nothing() {
        let (a, b) = (new_token(), new_token());
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
        assert!(accepts(&a, &a));
        assert!(!accepts(&a, &b));
        assert!(!accepts("", ""));
    }
}
