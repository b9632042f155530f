//! `muster explain`: what an error code means, or the list of codes.

use std::process::ExitCode;

use muster::{errln, outln};

/// Options of `muster explain`.
#[derive(clap::Args)]
pub struct Args {
    /// The code, e.g. E004.
    code: Option<String>,
}

/// Prints one explanation, or every code with its title.
pub fn run(args: &Args) -> ExitCode {
    let Some(code) = &args.code else {
        for kind in muster::explain::ALL {
            outln!("{}  {}", kind.code(), muster::explain::explanation(kind).0);
        }
        return ExitCode::SUCCESS;
    };
    match muster::explain::kind_of(code) {
        Some(kind) => {
            let (title, text) = muster::explain::explanation(kind);
            outln!("{}: {title}\n\n{text}", kind.code());
            ExitCode::SUCCESS
        }
        None => {
            let meant = muster::explain::suggestion(code)
                .map(|c| format!("did you mean `{c}`? "))
                .unwrap_or_default();
            errln!("error: no error code `{code}`; {meant}`muster explain` lists them");
            ExitCode::from(2)
        }
    }
}
