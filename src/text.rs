//! Text helpers for outputs: XML escaping, and the plain text of HTML for search,
//! feeds and `<meta>` (one walker over the visible text, used by the search index and the
//! `plain_text` filter).

/// `text` escaped for XML character data and attribute values, with the characters
/// XML 1.0 forbids dropped (source text has them replaced already; site.yaml's
/// values may still hold them), so every XML file muster writes is well formed.
pub(crate) fn xml_escape(text: &str) -> std::borrow::Cow<'_, str> {
    if crate::source::all_xml_chars(text) {
        return quick_xml::escape::escape(text);
    }
    let kept: String = text
        .chars()
        .filter(|c| crate::source::is_xml_char(*c))
        .collect();
    std::borrow::Cow::Owned(quick_xml::escape::escape(&kept).into_owned())
}

/// The visible text of an HTML fragment of our own making: tags dropped, the
/// entities our renderer writes decoded, runs of whitespace made one space.
pub(crate) fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    // Whether a space is owed before the next visible text.
    let mut space = false;
    visible_pieces(html, |piece| {
        let Some(text) = piece else {
            space = true;
            return;
        };
        if text.is_empty() {
            return;
        }
        space |= text.as_bytes()[0].is_ascii_whitespace();
        for word in text.split_ascii_whitespace() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
            space = true;
        }
        // A text of spaces only ends in one too, so this also keeps an owed space.
        space = text.as_bytes()[text.len() - 1].is_ascii_whitespace();
    });
    out
}

/// The visible text of `html` as [`html_to_text`] reads it, but with its whitespace as
/// written (a tag that separates words is one space): the same words, made without a
/// copy per word. [`collapse_whitespace`] of it is [`html_to_text`]'s.
pub(crate) fn html_to_spaced_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    visible_pieces(html, |piece| out.push_str(piece.unwrap_or(" ")));
    out
}

/// `text` with runs of ASCII whitespace made one space and none at either end, up to
/// its first `max_chars` characters.
pub(crate) fn collapse_whitespace(text: &str, max_chars: usize) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len().min(max_chars.saturating_mul(4)));
    let mut at = bytes.iter().take_while(|b| b.is_ascii_whitespace()).count();
    // Text between single spaces is copied in one piece, up to the next other whitespace.
    let (mut run, mut chars) = (at, 0);
    while at < bytes.len() {
        let b = bytes[at];
        if b & 0xC0 == 0x80 {
            // The rest of a character already counted.
            at += 1;
            continue;
        }
        if chars == max_chars {
            break;
        }
        chars += 1;
        if !b.is_ascii_whitespace() || (b == b' ' && next_is_word(bytes, at)) {
            at += 1;
            continue;
        }
        out.push_str(&text[run..at]);
        at += bytes[at..]
            .iter()
            .take_while(|b| b.is_ascii_whitespace())
            .count();
        if at == bytes.len() {
            run = at;
            break;
        }
        out.push(' ');
        run = at;
    }
    out.push_str(&text[run..at]);
    out
}

/// Whether the byte after `at` starts a word (is not whitespace, nor the end).
fn next_is_word(bytes: &[u8], at: usize) -> bool {
    bytes.get(at + 1).is_some_and(|b| !b.is_ascii_whitespace())
}

/// Calls `emit` with each piece of visible text of `html` in order (`Some`), and with
/// `None` where a tag separates words; footnote numbers are left out.
fn visible_pieces<'h>(html: &'h str, mut emit: impl FnMut(Option<&'h str>)) {
    let mut rest = html;
    while let Some(i) = memchr::memchr2(b'<', b'&', rest.as_bytes()) {
        emit(Some(&rest[..i]));
        rest = &rest[i..];
        if rest.starts_with(crate::markdown::FOOTNOTE_REFERENCE_START)
            && let Some(close) = rest.find("</sup>")
        {
            // A footnote's number is no word of the text: "force.¹ The" reads "force. The".
            rest = &rest[close + "</sup>".len()..];
            continue;
        }
        if rest.starts_with('<') {
            let end = memchr::memchr(b'>', rest.as_bytes());
            // Block elements separate words (`<p>a</p><p>b</p>` is "a b"); inline ones
            // do not (`<a>Kazakhstan</a>.` is "Kazakhstan.").
            if end.is_none_or(|e| separates_words(&rest[1..e])) {
                emit(None);
            }
            rest = end.map_or("", |e| &rest[e + 1..]);
            continue;
        }
        let end = rest.find(';').filter(|&e| e <= 10);
        let decoded = match end.map(|e| &rest[..=e]) {
            Some("&amp;") => "&",
            Some("&lt;") => "<",
            Some("&gt;") => ">",
            Some("&quot;") => "\"",
            Some("&#39;") | Some("&#x27;") => "'",
            Some("&nbsp;") => " ",
            _ => {
                emit(Some("&"));
                rest = &rest[1..];
                continue;
            }
        };
        emit(Some(decoded));
        rest = &rest[end.unwrap_or(0) + 1..];
    }
    emit(Some(rest));
}

/// Whether the tag written as `tag` (between `<` and `>`) ends a run of words: block
/// elements and line breaks do, inline elements (links, emphasis, code) do not. A
/// superscript starts one: a marker (`2024<sup>inferred</sup>.`) or an exponent is a
/// word of its own.
fn separates_words(tag: &str) -> bool {
    let name = tag.trim_start_matches('/');
    let name = &name[..name
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(name.len())];
    if name.eq_ignore_ascii_case("sup") {
        return !tag.starts_with('/');
    }
    let inline = |name: &str| {
        matches!(
            name,
            "a" | "abbr"
                | "b"
                | "cite"
                | "code"
                | "del"
                | "em"
                | "i"
                | "ins"
                | "kbd"
                | "mark"
                | "s"
                | "span"
                | "strong"
                | "sub"
        )
    };
    // Names are matched as written (muster writes them in lower case, so this runs on
    // every tag of every page) and only lower-cased when they are not.
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        !inline(&name.to_ascii_lowercase())
    } else {
        !inline(name)
    }
}

/// Words in `text`: runs of bytes other than ASCII whitespace. Counted over bytes, as a
/// reading time needs no more precision, sixteen at a time, as this runs on every text of
/// every page.
pub(crate) fn count_words(text: &str) -> usize {
    use wide::u8x16;
    // A word starts at a byte that is not whitespace after one that is (or the start).
    let starts = |chunk: [u8; 16], before: u32| -> (u32, u32) {
        let v = u8x16::new(chunk);
        let space = [b' ', b'\t', b'\n', 0x0c, b'\r']
            .into_iter()
            .fold(u8x16::ZERO, |acc, c| acc | v.simd_eq(u8x16::splat(c)));
        let mask = space.to_bitmask();
        (
            (!mask & ((mask << 1) | before) & 0xffff).count_ones(),
            mask >> 15,
        )
    };
    let mut chunks = text.as_bytes().chunks_exact(16);
    let (mut words, mut before) = (0, 1);
    for chunk in &mut chunks {
        let (n, last) = starts(chunk.try_into().unwrap_or_default(), before);
        words += n as usize;
        before = last;
    }
    // The rest, padded with spaces, which start no word.
    let mut rest = [b' '; 16];
    rest[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
    words + starts(rest, before).0 as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_of_html() {
        assert_eq!(
            html_to_text(
                "<p>A &amp; B</p><p>C&lt;D &quot;e&quot; &#39;f&#39;</p>\n<pre><code>x</code></pre> R&D"
            ),
            "A & B C<D \"e\" 'f' x R&D"
        );
        assert_eq!(html_to_text("<p>un<em>even</em>ly"), "unevenly");
        // Tag names in any case, as writers' raw HTML has them.
        assert_eq!(
            html_to_text("<P>un<EM>ev</Em><Strong>en</STRONG>ly<DIV>x"),
            "unevenly x"
        );
        assert_eq!(
            html_to_text(r#"<p>Hosted by <a href="/kz/">Kazakhstan</a>.</p><p>Next</p>"#),
            "Hosted by Kazakhstan. Next"
        );
        assert_eq!(html_to_text("a<br>b<li>c</li><td>d"), "a b c d");
        assert_eq!(html_to_text(" a  b <br> &amp;c\n"), "a b &c");
    }

    /// The spaced text has the same words, and collapsed it is the text.
    #[test]
    fn spaced_text_collapses_to_the_text() {
        let samples = [
            "<p>A &amp; B</p><p>C&lt;D &quot;e&quot; &#39;f&#39;</p>\n<pre><code>x</code></pre> R&D",
            "<p>un<em>even</em>ly",
            " a  b <br> &amp;c\n",
            "x&nbsp;&nbsp;y<p></p><p> </p>z",
            r##"A force.<sup class="footnote-reference" id="fnref-a"><a href="#a">1</a></sup> B"##,
            "",
            "   ",
        ];
        for html in samples {
            let spaced = html_to_spaced_text(html);
            assert_eq!(
                collapse_whitespace(&spaced, usize::MAX),
                html_to_text(html),
                "{html:?}"
            );
        }
        assert_eq!(html_to_spaced_text("<p>a</p><p>b\n c</p>"), " a  b\n c ");
    }

    /// Words counted a byte at a time, as [`count_words`] must count them.
    fn count_words_bytewise(text: &str) -> usize {
        let mut words = 0;
        let mut in_word = false;
        for &b in text.as_bytes() {
            let space = b.is_ascii_whitespace();
            words += usize::from(!space && !in_word);
            in_word = !space;
        }
        words
    }

    #[test]
    fn words_are_runs_of_other_than_ascii_whitespace() {
        for (text, words) in [
            ("", 0),
            ("   ", 0),
            ("a", 1),
            (" a b\tc\nd\re\x0cf ", 6),
            ("a\x0bb\u{a0}c", 1),
            ("sixteen bytes ab cd", 4),
            ("fifteen bytes a bc", 4),
            ("fifteen bytes abc", 3),
        ] {
            assert_eq!(count_words(text), words, "{text:?}");
        }
    }

    proptest::proptest! {
        /// Sixteen bytes at a time count what one byte at a time counts, across chunks.
        #[test]
        fn words_counted_in_chunks_are_those_counted_bytewise(text in "([a-zé]{1,5}|[ \t\n\r\x0b\x0c]{1,3}){0,40}") {
            proptest::prop_assert_eq!(count_words(&text), count_words_bytewise(&text));
        }

        /// For any mix of words, whitespace, tags and entities: the spaced text collapsed is
        /// the text, and collapsed up to a limit it is the text's first characters.
        #[test]
        fn collapsed_spaced_text_is_the_text(
            html in "([a-zé€ ]|[ \t\n]{1,3}|<p>|</em>|<br>|&amp;|&nbsp;|&x){0,40}",
            limit in 0usize..60,
        ) {
            let text = html_to_text(&html);
            let spaced = html_to_spaced_text(&html);
            proptest::prop_assert_eq!(collapse_whitespace(&spaced, usize::MAX), text.clone());
            let first: String = text.chars().take(limit).collect();
            proptest::prop_assert_eq!(collapse_whitespace(&spaced, limit), first);
        }
    }

    #[test]
    fn collapsed_whitespace_stops_at_the_limit() {
        assert_eq!(collapse_whitespace("  ab \n cd  ef ", 5), "ab cd");
        assert_eq!(collapse_whitespace("  ab \n cd  ef ", 4), "ab c");
        assert_eq!(collapse_whitespace("ab cd", 3), "ab ");
        assert_eq!(collapse_whitespace("äöü ß", 2), "äö");
        assert_eq!(collapse_whitespace("ab", 0), "");
        assert_eq!(collapse_whitespace("ab cd", 2), "ab");
        assert_eq!(collapse_whitespace("ab cd", 4), "ab c");
        assert_eq!(collapse_whitespace("ab\tcd ", 9), "ab cd");
        assert_eq!(collapse_whitespace("äb  çd é", 4), "äb ç");
        assert_eq!(collapse_whitespace("  ", 9), "");
    }

    /// Footnote numbers are left out; a superscript marker is a word apart.
    #[test]
    fn footnote_numbers_go_and_markers_stand_apart() {
        let html = concat!(
            r##"<p>A force.<sup class="footnote-reference" id="fnref-a"><a href="#a">1</a></sup>"##,
            r#" Held in <span class="inferred">2024<sup class="inferred-marker">inferred</sup></span>."#,
            "</p>"
        );
        assert_eq!(html_to_text(html), "A force. Held in 2024 inferred.");
        // An unclosed reference is read as any other tag.
        assert_eq!(html_to_text(r#"x<sup class="footnote-reference">1"#), "x 1");
    }

    #[test]
    fn xml_escaping() {
        assert_eq!(xml_escape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&apos;");
    }
}
