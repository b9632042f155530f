//! The words of folded text: runs of letters and digits, two characters or more. Which
//! bytes are letters or digits is found sixteen at a time first, then each word is read
//! off those bits: splitting a page's text was a twentieth of a cold build.

use wide::u8x16;

/// The words of `folded`, as `folded.split(|c: char| !c.is_alphanumeric())` gives them,
/// words of one character left out.
pub(super) fn words(folded: &str) -> Words<'_> {
    let alnum = alnum_bits(folded);
    let first = alnum.first().copied().unwrap_or(0);
    Words {
        text: folded,
        alnum,
        index: 0,
        edges: first ^ (first << 1),
        carry: first >> 63,
        start: None,
    }
}

/// The words of a text, read off its [`alnum_bits`] by where they change.
pub(super) struct Words<'t> {
    text: &'t str,
    /// One bit per byte, set for the bytes of letters and digits.
    alnum: Vec<u64>,
    /// The bits of `alnum` read now.
    index: usize,
    /// Bytes of those 64 where a word starts or ends, those read cleared.
    edges: u64,
    /// The last bit of those 64: whether a word runs into the next.
    carry: u64,
    /// Where the word being read started.
    start: Option<usize>,
}

impl<'t> Iterator for Words<'t> {
    type Item = &'t str;

    fn next(&mut self) -> Option<&'t str> {
        loop {
            while self.edges == 0 {
                self.index += 1;
                let Some(&bits) = self.alnum.get(self.index) else {
                    // A word that runs to the end of a text of whole 64 bytes.
                    let start = self.start.take()?;
                    return Some(&self.text[start..]).filter(|w| two_characters(w));
                };
                self.edges = bits ^ ((bits << 1) | self.carry);
                self.carry = bits >> 63;
            }
            let at = self.index * 64 + self.edges.trailing_zeros() as usize;
            self.edges &= self.edges - 1;
            match self.start.take() {
                None => self.start = Some(at),
                // Every byte of a character has its bit, so both ends are character
                // boundaries.
                Some(start) => {
                    let word = &self.text[start..at];
                    if two_characters(word) {
                        return Some(word);
                    }
                }
            }
        }
    }
}

/// Whether `word` (not empty) has two characters or more: two bytes do if the first is ASCII.
fn two_characters(word: &str) -> bool {
    word.len() >= 2 && (word.as_bytes()[0] < 0x80 || word.chars().nth(1).is_some())
}

/// One bit per byte of `text`, set for the bytes of letters and digits: sixteen ASCII
/// bytes at a time, characters beyond ASCII decoded.
fn alnum_bits(text: &str) -> Vec<u64> {
    let bytes = text.as_bytes();
    let mut bits = vec![0u64; bytes.len().div_ceil(64)];
    let mut chunks = bytes.chunks_exact(16);
    for (k, chunk) in (&mut chunks).enumerate() {
        let v = u8x16::new(chunk.try_into().unwrap_or_default());
        // The high bit of each byte: set for the bytes of characters beyond ASCII.
        let mask = if v.to_bitmask() == 0 {
            ascii_alnum(v)
        } else {
            bytewise(text, k * 16..k * 16 + 16)
        };
        bits[k / 4] |= u64::from(mask) << (16 * (k % 4));
    }
    let rest = bytes.len() - chunks.remainder().len();
    let mask = bytewise(text, rest..bytes.len());
    if let Some(last) = bits.get_mut(rest / 64) {
        *last |= u64::from(mask) << (rest % 64);
    }
    bits
}

/// The letters and digits among sixteen ASCII bytes, as bits.
fn ascii_alnum(v: u8x16) -> u32 {
    let within =
        |v: u8x16, lo: u8, hi: u8| v.max(u8x16::splat(lo)).min(u8x16::splat(hi)).simd_eq(v);
    let digit = within(v, b'0', b'9');
    // A capital letter with 0x20 set is its small letter; no other byte becomes one.
    let letter = within(v | u8x16::splat(0x20), b'a', b'z');
    (digit | letter).to_bitmask()
}

/// The letters and digits among the bytes of `text` in `range` (sixteen at most), as bits:
/// each byte of a character beyond ASCII gets the character's.
fn bytewise(text: &str, range: std::ops::Range<usize>) -> u32 {
    let bytes = text.as_bytes();
    let mut mask = 0;
    for (i, at) in range.clone().enumerate() {
        let alnum = if bytes[at] < 0x80 {
            bytes[at].is_ascii_alphanumeric()
        } else {
            let start = (0..=at)
                .rev()
                .find(|&s| text.is_char_boundary(s))
                .unwrap_or(0);
            text[start..]
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric)
        };
        mask |= u32::from(alnum) << i;
    }
    mask
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The words as the standard split finds them: what [`words`] must give.
    fn split(text: &str) -> Vec<&str> {
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().nth(1).is_some())
            .collect()
    }

    #[test]
    fn words_are_runs_of_two_letters_or_digits_or_more() {
        let found: Vec<&str> = words(" ab  c de-fg_h1 23 é xy½ ").collect();
        assert_eq!(found, ["ab", "de", "fg", "h1", "23", "xy½"]);
        let found: Vec<&str> = words("яя ж—éé a’b 1½").collect();
        assert_eq!(found, ["яя", "éé", "1½"]);
        // Words across the sixteen-byte and sixty-four-byte steps, and at the very end.
        let long = "abcdefghijklmno pqrstuvwxyz0123456789 ".repeat(5) + "@[`{/:AZaz09";
        assert_eq!(words(&long).collect::<Vec<_>>(), split(&long));
        assert_eq!(words("").count(), 0);
        let whole = "ab".repeat(32) + " " + &"cd".repeat(32);
        assert_eq!(words(&whole).collect::<Vec<_>>(), split(&whole));
        let whole = "a ".repeat(32) + &"b".repeat(64);
        assert_eq!(words(&whole).collect::<Vec<_>>(), split(&whole));
        assert_eq!(words("a").count(), 0);
    }

    proptest::proptest! {
        /// The same words as the standard split, in any text.
        #[test]
        fn words_are_those_of_the_standard_split(text in "([a-zA-Z0-9 .,_@`{/:\\[-]|[éяß½—’\\u{1F600}\\u{0301}]){0,90}") {
            proptest::prop_assert_eq!(words(&text).collect::<Vec<_>>(), split(&text));
        }
    }
}
