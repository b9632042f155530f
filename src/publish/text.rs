//! Text helpers for data files: XML escaping and the plain text of HTML.

/// `text` escaped for XML character data and attribute values.
pub fn xml_escape(text: &str) -> std::borrow::Cow<'_, str> {
    quick_xml::escape::escape(text)
}

/// The visible text of an HTML fragment of our own making: tags dropped, the
/// entities our renderer writes decoded, runs of whitespace made one space.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find(['<', '&']) {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        if rest.starts_with('<') {
            // Block-level ends separate words: `<p>a</p><p>b</p>` is "a b".
            out.push(' ');
            rest = rest.find('>').map_or("", |end| &rest[end + 1..]);
        } else {
            let end = rest.find(';').filter(|&e| e <= 10);
            match end.map(|e| &rest[..=e]) {
                Some("&amp;") => out.push('&'),
                Some("&lt;") => out.push('<'),
                Some("&gt;") => out.push('>'),
                Some("&quot;") => out.push('"'),
                Some("&#39;") | Some("&#x27;") => out.push('\''),
                Some("&nbsp;") => out.push(' '),
                _ => {
                    out.push('&');
                    rest = &rest[1..];
                    continue;
                }
            }
            rest = &rest[end.unwrap_or(0) + 1..];
        }
    }
    out.push_str(rest);
    let mut collapsed = String::with_capacity(out.len());
    for word in out.split_whitespace() {
        if !collapsed.is_empty() {
            collapsed.push(' ');
        }
        collapsed.push_str(word);
    }
    collapsed
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
    }

    #[test]
    fn xml_escaping() {
        assert_eq!(xml_escape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&apos;");
    }
}
