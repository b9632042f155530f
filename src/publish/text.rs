//! Text helpers for data files: XML escaping and the plain text of HTML.

/// `text` escaped for XML character data and attribute values, with the characters
/// XML 1.0 forbids dropped (source text has them replaced already; site.yaml's
/// values may still hold them), so every XML file muster writes is well formed.
pub fn xml_escape(text: &str) -> std::borrow::Cow<'_, str> {
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
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    // Whether a space is owed before the next visible text.
    let mut space = false;
    let push = |out: &mut String, text: &str, space: &mut bool| {
        if text.is_empty() {
            return;
        }
        *space |= text.as_bytes()[0].is_ascii_whitespace();
        for word in text.split_ascii_whitespace() {
            if *space && !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
            *space = true;
        }
        // A text of spaces only ends in one too, so this also keeps an owed space.
        *space = text.as_bytes()[text.len() - 1].is_ascii_whitespace();
    };
    let mut rest = html;
    while let Some(i) = memchr::memchr2(b'<', b'&', rest.as_bytes()) {
        push(&mut out, &rest[..i], &mut space);
        rest = &rest[i..];
        if rest.starts_with('<') {
            // Tags separate words: `<p>a</p><p>b</p>` is "a b".
            space = true;
            rest = memchr::memchr(b'>', rest.as_bytes()).map_or("", |end| &rest[end + 1..]);
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
                push(&mut out, "&", &mut space);
                rest = &rest[1..];
                continue;
            }
        };
        push(&mut out, decoded, &mut space);
        rest = &rest[end.unwrap_or(0) + 1..];
    }
    push(&mut out, rest, &mut space);
    out
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
        assert_eq!(html_to_text("<p>un<em>even"), "un even");
        assert_eq!(html_to_text(" a  b <br> &amp;c\n"), "a b &c");
    }

    #[test]
    fn xml_escaping() {
        assert_eq!(xml_escape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&apos;");
    }
}
