//! Helix attached to `muster lsp`, as a writer uses it: it runs in a tmux pane of its own
//! server, keys are sent to it, and the test reads what the screen shows. Helix has no
//! headless mode, and what a writer sees is what this test is about.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use super::DRILL;

/// How long Helix and the server get to show something, on a busy machine too.
const DEADLINE: Duration = Duration::from_secs(60);

/// The test, ignored where Helix or tmux is missing unless `MUSTER_REQUIRE_HELIX` is set.
pub(crate) fn trial() -> libtest_mimic::Trial {
    let found = which_helix().filter(|_| has_tmux());
    let required = std::env::var_os("MUSTER_REQUIRE_HELIX").is_some();
    if found.is_none() {
        eprintln!("the Helix test cannot run here: no `hx` (Helix) or no `tmux` on PATH");
    }
    let ignored = found.is_none() && !required;
    libtest_mimic::Trial::test("helix_shows_errors_and_completes_refs", move || {
        match &found {
            Some(hx) => helix_shows_errors_and_completes_refs(hx),
            None => return Err("the Helix test is required but `hx` or `tmux` is missing".into()),
        }
        Ok(())
    })
    .with_ignored_flag(ignored)
}

/// `HELIX_BIN`, else `hx`, if it runs and is Helix.
fn which_helix() -> Option<String> {
    let hx = std::env::var("HELIX_BIN").unwrap_or_else(|_| "hx".into());
    let out = Command::new(&hx).arg("--version").output().ok()?;
    String::from_utf8_lossy(&out.stdout)
        .starts_with("helix")
        .then_some(hx)
}

fn has_tmux() -> bool {
    Command::new("tmux")
        .arg("-V")
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// A tmux server of the test's own (its socket named after the process), killed on drop.
struct Pane {
    socket: String,
}

impl Pane {
    /// Starts `command` in `dir`, in a pane of 160 × 45 characters.
    fn start(dir: &Path, command: &str) -> Pane {
        let pane = Pane {
            socket: format!("muster-helix-{}", std::process::id()),
        };
        let out = pane.tmux(
            &["new-session", "-d", "-x", "160", "-y", "45", "-c"],
            &[&dir.to_string_lossy(), command],
        );
        assert!(out.status.success(), "tmux: {out:?}");
        pane
    }

    fn tmux(&self, args: &[&str], more: &[&str]) -> Output {
        Command::new("tmux")
            .args(["-L", &self.socket, "-f", "/dev/null"])
            .args(args)
            .args(more)
            .output()
            .expect("run tmux")
    }

    /// What the pane shows.
    fn screen(&self) -> String {
        let out = self.tmux(&["capture-pane", "-p"], &[]);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Sends keys by tmux's names (`Escape`, `Enter`, `Space`, or letters).
    fn keys(&self, keys: &[&str]) {
        self.tmux(&["send-keys"], keys);
    }

    /// Types `text` as it is.
    fn type_text(&self, text: &str) {
        self.tmux(&["send-keys", "-l"], &[text]);
    }

    /// Waits until `seen` holds for the screen, and returns that screen.
    fn wait_for(&self, what: &str, seen: impl Fn(&str) -> bool) -> String {
        let until = Instant::now() + DEADLINE;
        loop {
            let screen = self.screen();
            if seen(&screen) {
                return screen;
            }
            assert!(
                Instant::now() < until,
                "not seen within {DEADLINE:?}: {what}\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Pane {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"], &[]);
    }
}

/// Helix opens the knowledge base's drill page with a broken `host:`, marks the line,
/// lists the error in its diagnostics picker, and completes a new `host:` value with the
/// member states.
fn helix_shows_errors_and_completes_refs(hx: &str) {
    let (dir, broken) = super::site_with_broken_host();
    let site = dir.path();
    let host_line = broken.lines().position(|l| l.starts_with("host:")).unwrap() + 1;
    // The set-up docs/EDITORS.md gives, with this build's binary.
    std::fs::create_dir(site.join(".helix")).unwrap();
    let config = format!(
        "[language-server.muster]\ncommand = {:?}\nargs = [\"lsp\"]\n\n[[language]]\nname = \"markdown\"\nroots = [\"site.yaml\"]\nlanguage-servers = [\"muster\"]\n",
        env!("CARGO_BIN_EXE_muster")
    );
    std::fs::write(site.join(".helix/languages.toml"), config).unwrap();
    let log = site.join("helix.log");
    let pane = Pane::start(site, &format!("{hx} -vv --log {} {DRILL}", log.display()));

    // The gutter marks the host's line with the error.
    let marked = format!("{host_line}  host: kazakstan");
    pane.wait_for("the error mark on the host's line", |s| {
        s.lines()
            .any(|l| l.starts_with('●') && l.ends_with(&marked))
    });
    // The diagnostics picker lists it with its code.
    pane.keys(&["Space", "d"]);
    let error = "E005 field `host`: no page `kazakstan`";
    pane.wait_for("the error in the diagnostics picker", |s| s.contains(error));
    pane.keys(&["Escape"]);
    pane.wait_for("the picker closed", |s| !s.contains(error));
    // A new value for `host:`: the completion menu offers the member states.
    pane.type_text(&format!(":{host_line}"));
    pane.keys(&["Enter"]);
    let at = format!(" {host_line}:1");
    pane.wait_for("the cursor on the host's line", |s| {
        s.lines().any(|l| l.trim_end().ends_with(&at))
    });
    pane.keys(&["x", "c"]);
    pane.wait_for("insert mode", |s| s.lines().any(|l| l.starts_with(" INS ")));
    pane.type_text("host: ka");
    let menu = pane.wait_for("the completion menu", |s| s.contains("Kyrgyzstan"));
    for member in ["Kazakhstan", "Kyrgyzstan", "Tajikistan"] {
        assert!(menu.contains(member), "{member} not offered:\n{menu}");
    }
    pane.keys(&["Escape"]);
    let log = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(
        log.contains("textDocument/publishDiagnostics"),
        "Helix's log shows no diagnostics from muster lsp"
    );
}
