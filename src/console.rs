//! Printing to the terminal without panicking: `println!` and `eprintln!` panic when
//! the stream is closed (`muster build 2>&1 | head`); these give up quietly instead.

/// `println!` that ignores a closed or failing standard output.
#[macro_export]
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

/// `eprintln!` that ignores a closed or failing standard error.
#[macro_export]
macro_rules! errln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}
