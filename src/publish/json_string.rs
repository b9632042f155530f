//! JSON strings written as serde_json writes them, but looking for the bytes that need
//! escaping sixteen at a time: the search index's rows hold each page's first 1,500
//! characters, and serde_json looks at them one byte at a time.

use wide::u8x16;

/// Appends `text` to `out` as a JSON string, byte for byte as `serde_json` writes it.
pub(super) fn push_json_string(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    out.push(b'"');
    let mut copied = 0;
    while let Some(at) = next_special(bytes, copied) {
        out.extend_from_slice(&bytes[copied..at]);
        push_escape(out, bytes[at]);
        copied = at + 1;
    }
    out.extend_from_slice(&bytes[copied..]);
    out.push(b'"');
}

/// Whether JSON needs byte `b` escaped: controls, the quote and the backslash.
fn is_special(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

/// The first byte at or after `from` that needs escaping.
fn next_special(bytes: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    while let Some(chunk) = bytes.get(at..at + 16) {
        let v = u8x16::new(chunk.try_into().unwrap_or_default());
        // Below 0x20 is where the unsigned minimum with 0x1f leaves a byte as it is.
        let control = v.min(u8x16::splat(0x1f)).simd_eq(v);
        let mask =
            (control | v.simd_eq(u8x16::splat(b'"')) | v.simd_eq(u8x16::splat(b'\\'))).to_bitmask();
        if mask != 0 {
            return Some(at + mask.trailing_zeros() as usize);
        }
        at += 16;
    }
    bytes[at..]
        .iter()
        .position(|&b| is_special(b))
        .map(|i| at + i)
}

/// Appends the escape of special byte `b`, as serde_json writes it.
fn push_escape(out: &mut Vec<u8>, b: u8) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    match b {
        b'"' => out.extend_from_slice(b"\\\""),
        b'\\' => out.extend_from_slice(b"\\\\"),
        0x08 => out.extend_from_slice(b"\\b"),
        0x0c => out.extend_from_slice(b"\\f"),
        b'\n' => out.extend_from_slice(b"\\n"),
        b'\r' => out.extend_from_slice(b"\\r"),
        b'\t' => out.extend_from_slice(b"\\t"),
        _ => out.extend_from_slice(&[
            b'\\',
            b'u',
            b'0',
            b'0',
            HEX[usize::from(b >> 4)],
            HEX[usize::from(b & 0xf)],
        ]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(text: &str) -> String {
        let mut out = Vec::new();
        push_json_string(&mut out, text);
        String::from_utf8(out).unwrap_or_default()
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        for text in [
            "",
            "plain",
            "a \"quoted\" back\\slash",
            "\u{0}\u{1}\u{8}\t\n\u{b}\u{c}\r\u{1f} \u{7f}",
            "Коллективные силы — 2024 “ОДКБ” 😀",
            "sixteen bytes ok\"and more after the first chunk\\\n",
        ] {
            assert_eq!(
                json(text),
                serde_json::to_string(text).unwrap_or_default(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn every_special_byte_is_found_at_every_place_of_the_16_byte_steps() {
        let specials = (0u8..0x20).chain([b'"', b'\\']).map(char::from);
        for special in specials.chain(['\u{7f}', 'é', ' ']) {
            for at in 0..40 {
                let text = format!("{}{special}{}", "a".repeat(at), "b".repeat(40 - at));
                assert_eq!(
                    json(&text),
                    serde_json::to_string(&text).unwrap_or_default(),
                    "{text:?}"
                );
            }
        }
    }

    proptest::proptest! {
        /// Any text, controls and quotes at any place in and across the 16-byte steps.
        #[test]
        fn any_string_is_written_as_serde_json_writes_it(text in "([a-zé€ ]|[\\x00-\\x1f\"\\\\]|\\PC){0,60}") {
            proptest::prop_assert_eq!(json(&text), serde_json::to_string(&text).unwrap_or_default());
        }
    }
}
