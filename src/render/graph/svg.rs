//! SVG written piece by piece: strings and whole numbers pushed in order, with no
//! formatting machinery, since every page's local graph writes a few hundred of them.

/// A piece of SVG text: a string as it is, or a whole number.
pub(crate) enum Piece<'a> {
    /// Text, already escaped where it needs to be.
    Text(&'a str),
    /// A whole number, in decimal.
    Int(i64),
}

/// Appends `pieces` to `out`, in order.
pub(crate) fn push(out: &mut String, pieces: &[Piece<'_>]) {
    let mut digits = itoa::Buffer::new();
    for piece in pieces {
        match piece {
            Piece::Text(text) => out.push_str(text),
            Piece::Int(n) => out.push_str(digits.format(*n)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_are_written_in_order() {
        let mut out = String::from("<");
        push(
            &mut out,
            &[
                Piece::Text("x=\""),
                Piece::Int(-12),
                Piece::Text("\" y=\""),
                Piece::Int(0),
                Piece::Text("\""),
            ],
        );
        assert_eq!(out, "<x=\"-12\" y=\"0\"");
    }
}
