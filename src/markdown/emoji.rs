//! Emoji shortcodes (`:tada:`), as GitHub and Zola's `render_emoji` write them; only when
//! site.yaml turns them on, since `:word:` can be meant literally.

use std::borrow::Cow;

/// `text` with each `:shortcode:` GitHub knows replaced by its emoji; others kept.
pub(super) fn replace(text: &str) -> Cow<'_, str> {
    if !text.contains(':') {
        return Cow::Borrowed(text);
    }
    let mut out = String::new();
    let mut last = 0;
    let mut from = 0;
    while let Some(start) = text[from..].find(':').map(|i| from + i) {
        let rest = &text[start + 1..];
        let len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '+' | '-')))
            .unwrap_or(rest.len());
        let name = &rest[..len];
        if !name.is_empty()
            && rest[len..].starts_with(':')
            && let Some(emoji) = emojis::get_by_shortcode(name)
        {
            out.push_str(&text[last..start]);
            out.push_str(emoji.as_str());
            last = start + 1 + len + 1;
            from = last;
            continue;
        }
        // The closing `:` of a miss may open the next shortcode.
        from = start + 1;
    }
    if last == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[last..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::replace;

    #[test]
    fn known_shortcodes_only() {
        assert_eq!(replace("Done :tada: :+1:"), "Done 🎉 👍");
        assert_eq!(
            replace("at 10:30: ok :nosuchemoji: :smile:"),
            "at 10:30: ok :nosuchemoji: 😄"
        );
        assert_eq!(replace("a::b :"), "a::b :");
        assert!(matches!(replace("plain"), std::borrow::Cow::Borrowed(_)));
    }
}
