//! The sentence around each internal link, as plain text: what a backlink shows of the
//! page that links (as Quartz and Obsidian show a linked mention).

use super::InternalLink;

/// The most a context keeps: a long sentence is cut to whole words around the link.
const MAX_CHARS: usize = 240;

/// The sentence a link stands in, and where the link's own text is in it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct LinkContext {
    /// The sentence as plain text, cut with `…` where it was too long.
    pub text: Box<str>,
    /// The byte range of the link's text in `text`.
    pub link: std::ops::Range<u32>,
    /// Bare wikilinks in `text` (`[[russia]]`, shown as the page's title): their byte
    /// ranges and link numbers, in order.
    pub bare: Box<[(std::ops::Range<u32>, u32)]>,
}

impl LinkContext {
    /// The text before the link, the link's text and the text after it, each bare
    /// wikilink shown as `title` gives it (its written text where that gives none).
    pub(crate) fn parts<'t>(&self, title: impl Fn(usize) -> Option<&'t str>) -> [String; 3] {
        let link = self.link.start as usize..self.link.end as usize;
        let mut parts: [String; 3] = Default::default();
        let part_of = |at: usize| usize::from(at >= link.start) + usize::from(at >= link.end);
        let push_text = |parts: &mut [String; 3], from: usize, to: usize| {
            for (i, cut) in [
                (0, 0..link.start),
                (1, link.clone()),
                (2, link.end..self.text.len()),
            ] {
                let (a, b) = (from.max(cut.start), to.min(cut.end));
                if a < b {
                    parts[i].push_str(&self.text[a..b]);
                }
            }
        };
        let mut at = 0;
        for (range, n) in &self.bare {
            let (s, e) = (range.start as usize, range.end as usize);
            push_text(&mut parts, at, s);
            let shown = title(*n as usize).unwrap_or(&self.text[s..e]);
            parts[part_of(s)].push_str(shown);
            at = e;
        }
        push_text(&mut parts, at, self.text.len());
        parts
    }
}

/// Gathers the plain text of the block (paragraph, list item, table cell) being read
/// and the links in it; when the block ends, each link gets its sentence.
#[derive(Default)]
pub(super) struct Contexts {
    text: String,
    /// Links opened in this block: (link number, start in `text`, end once closed).
    links: Vec<(usize, usize, Option<usize>)>,
}

impl Contexts {
    /// A block starts (or ends): links of the block before get their sentences.
    pub(super) fn block_boundary(&mut self, links: &mut [InternalLink]) {
        if self.links.is_empty() {
            self.text.clear();
            return;
        }
        let text = std::mem::take(&mut self.text);
        let opened = std::mem::take(&mut self.links);
        // Found once per block: a block of many links (one long line of them) must not
        // cost each link a scan of the whole block.
        let ends = sentence_ends(&text);
        let bare: Vec<(std::ops::Range<usize>, usize)> = opened
            .iter()
            .filter(|(n, ..)| links.get(*n).is_some_and(|l| l.bare_wikilink))
            .map(|&(n, start, end)| (start..end.unwrap_or(text.len()), n))
            .collect();
        for (n, start, end) in opened {
            let end = end.unwrap_or(text.len());
            if let Some(link) = links.get_mut(n) {
                link.context = sentence(&text, start..end, &bare, &ends);
            }
        }
    }

    /// Text of the block, its runs of whitespace kept as one space.
    pub(super) fn text(&mut self, text: &str) {
        push_collapsed(&mut self.text, text);
    }

    /// Internal link `n` starts here.
    pub(super) fn link_start(&mut self, n: usize) {
        self.links.push((n, self.text.len(), None));
    }

    /// Internal link `n` ends here.
    pub(super) fn link_end(&mut self, n: usize) {
        if let Some(open) = self.links.iter_mut().rev().find(|l| l.0 == n) {
            open.2 = Some(self.text.len());
        }
    }
}

/// The sentence of `text` (whitespace collapsed) around `link` (a byte range of it), cut
/// to whole words when longer than [`MAX_CHARS`], with the `bare` wikilinks it keeps
/// (in order of their starts); `None` for a block of no words. `ends` are the text's
/// [`sentence_ends`].
fn sentence(
    text: &str,
    link: std::ops::Range<usize>,
    bare: &[(std::ops::Range<usize>, usize)],
    ends: &[usize],
) -> Option<LinkContext> {
    let start = sentence_start(ends, link.start);
    let end = sentence_end(text, ends, link.end);
    let (mut from, mut to) = (start, end);
    // Too long: whole words around the link, as evenly as it allows (counted no
    // further than that, since a block may be one very long line).
    if text[from..to].chars().nth(MAX_CHARS).is_some() {
        let room = MAX_CHARS.saturating_sub(text[link.clone()].chars().count()) / 2;
        from = word_boundary_back(text, link.start, room).max(from);
        to = word_boundary_forward(text, link.end, room).min(to);
    }
    let (cut_front, cut_back) = (from > start, to < end);
    // Leading and trailing spaces go; offsets in the kept text shift by what goes before.
    from += text[from..to].len() - text[from..to].trim_start().len();
    to = from + text[from..to].trim().len();
    if from >= to {
        return None;
    }
    let prefix = if cut_front { "… " } else { "" };
    let mut out = String::with_capacity(prefix.len() + to - from + 4);
    out.push_str(prefix);
    out.push_str(&text[from..to]);
    if cut_back {
        out.push_str(" …");
    }
    let shift = |i: usize| (i.clamp(from, to) - from + prefix.len()) as u32;
    Some(LinkContext {
        link: shift(link.start)..shift(link.end),
        bare: bare[bare.partition_point(|(r, _)| r.start < from)..]
            .iter()
            .take_while(|(r, _)| r.start < to)
            .filter(|(r, _)| r.end <= to)
            .map(|(r, n)| (shift(r.start)..shift(r.end), *n as u32))
            .collect(),
        text: out.into_boxed_str(),
    })
}

/// Where sentences end in `text`, in order: after each `.`, `!` or `?` followed by a
/// space or the end of the text.
fn sentence_ends(text: &str) -> Vec<usize> {
    // The marks are ASCII, so a byte search finds them and never a byte inside a character.
    memchr::memchr3_iter(b'.', b'!', b'?', text.as_bytes())
        .map(|i| i + 1)
        .filter(|&e| e == text.len() || text[e..].starts_with(char::is_whitespace))
        .collect()
}

/// Where the sentence holding byte `at` starts: after the last sentence end before `at`.
fn sentence_start(ends: &[usize], at: usize) -> usize {
    let before = ends.partition_point(|&e| e < at);
    before.checked_sub(1).map_or(0, |i| ends[i])
}

/// Where the sentence holding the text up to byte `at` ends: the first sentence end
/// whose mark is at or after `at`, or the end of the text.
fn sentence_end(text: &str, ends: &[usize], at: usize) -> usize {
    let next = ends.partition_point(|&e| e <= at);
    ends.get(next).copied().unwrap_or(text.len())
}

/// The start of a word at most about `room` characters before byte `at`.
fn word_boundary_back(text: &str, at: usize, room: usize) -> usize {
    let before = &text[..at];
    let Some((cut, _)) = before.char_indices().rev().nth(room) else {
        return 0;
    };
    before[cut..]
        .find(char::is_whitespace)
        .map_or(at, |i| cut + i + 1)
}

/// The end of a word at most about `room` characters after byte `at`.
fn word_boundary_forward(text: &str, at: usize, room: usize) -> usize {
    let after = &text[at..];
    let Some((cut, _)) = after.char_indices().nth(room) else {
        return text.len();
    };
    after[..cut]
        .rfind(char::is_whitespace)
        .map_or(at, |i| at + i)
}

/// Appends `text` with runs of whitespace as one space.
fn push_collapsed(out: &mut String, text: &str) {
    // Most text has single spaces only: copied whole.
    let bytes = text.as_bytes();
    let plain = memchr::memchr3(b'\n', b'\t', b'\r', bytes).is_none()
        && memchr::memmem::find(bytes, b"  ").is_none();
    if plain && !(out.ends_with(' ') && text.starts_with(' ')) {
        out.push_str(text);
        return;
    }
    for c in text.chars() {
        if c.is_whitespace() {
            if !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An internal link, as the Markdown stage makes one.
    fn a_link() -> InternalLink {
        crate::markdown::links::internal_link(pulldown_cmark::LinkType::Inline, "@/c.md", "", 0)
            .unwrap()
    }

    fn context(text: &str, link: &str) -> (String, String) {
        let start = text.find(link).unwrap();
        let c = sentence(text, start..start + link.len(), &[], &sentence_ends(text)).unwrap();
        let [_, l, _] = c.parts(|_| None);
        (c.text.to_string(), l)
    }

    #[test]
    fn a_link_gets_its_own_sentence() {
        let text = "The drill began. Troops from Russia took part, as did others! Then it ended.";
        assert_eq!(
            context(text, "Russia"),
            (
                "Troops from Russia took part, as did others!".into(),
                "Russia".into()
            )
        );
        assert_eq!(
            context("Only Russia", "Russia"),
            ("Only Russia".into(), "Russia".into())
        );
        // A full stop inside a number or a name does not end the sentence.
        assert_eq!(
            context("Version 2.5 of e.g.x was Russia's. Next.", "Russia").0,
            "Version 2.5 of e.g.x was Russia's."
        );
    }

    #[test]
    fn whitespace_collapses_and_the_range_follows() {
        let mut contexts = Contexts::default();
        contexts.text("  a\n  b   ");
        contexts.link_start(0);
        contexts.text("c");
        contexts.link_end(0);
        contexts.text("  d.");
        let mut links = vec![a_link()];
        contexts.block_boundary(&mut links);
        let c = links[0].context.as_ref().unwrap();
        assert_eq!(&*c.text, "a b c d.");
        assert_eq!(
            c.parts(|_| None),
            ["a b ".to_string(), "c".into(), " d.".into()]
        );
    }

    #[test]
    fn bare_wikilinks_show_their_titles_in_any_part() {
        // "See russia and belarus, then tajikistan." with bare links 0, 1, 2 and the
        // context of link 1.
        let text = "See russia and belarus, then tajikistan.";
        let at = |w: &str| text.find(w).unwrap()..text.find(w).unwrap() + w.len();
        let bare = [(at("russia"), 0), (at("belarus"), 1), (at("tajikistan"), 2)];
        let c = sentence(text, at("belarus"), &bare, &sentence_ends(text)).unwrap();
        let titles = ["Russia", "Belarus", "Tajikistan"];
        assert_eq!(
            c.parts(|n| titles.get(n).copied()),
            [
                "See Russia and ".to_string(),
                "Belarus".into(),
                ", then Tajikistan.".into()
            ]
        );
    }

    #[test]
    fn a_long_sentence_is_cut_to_whole_words_around_the_link() {
        let words: Vec<String> = (0..200).map(|i| format!("w{i}")).collect();
        let text = format!(
            "{} LINK {}.",
            words[..100].join(" "),
            words[100..].join(" ")
        );
        let (shown, link) = context(&text, "LINK");
        assert_eq!(link, "LINK");
        assert!(shown.chars().count() <= MAX_CHARS + 4, "{shown}");
        assert!(shown.starts_with("… w") && shown.ends_with(" …"), "{shown}");
        // Whole words only: every word shown is one of the text's.
        for w in shown.trim_matches(['…', ' ']).split(' ') {
            assert!(w == "LINK" || words.contains(&w.to_string()), "{w}");
        }
    }

    #[test]
    fn sentence_bounds_are_those_of_a_scan_from_each_link() {
        // What the bounds mean, written as the direct scans they replace.
        fn start_by_scan(text: &str, at: usize) -> usize {
            let before = &text[..at];
            before
                .char_indices()
                .rev()
                .find(|&(i, c)| {
                    matches!(c, '.' | '!' | '?') && before[i + 1..].starts_with(char::is_whitespace)
                })
                .map_or(0, |(i, _)| i + 1)
        }
        fn end_by_scan(text: &str, at: usize) -> usize {
            let after = &text[at..];
            after
                .char_indices()
                .find(|&(i, c)| {
                    matches!(c, '.' | '!' | '?') && {
                        let rest = &after[i + 1..];
                        rest.is_empty() || rest.starts_with(char::is_whitespace)
                    }
                })
                .map_or(text.len(), |(i, _)| at + i + 1)
        }
        for text in [
            "",
            "No end",
            "One. Two! Three? Four",
            "e.g.x 2.5 end.",
            "Ends here.",
            "Да. Нет!\u{a0}Может быть?\u{2003}Конец.",
            "..  ?! . x",
        ] {
            let ends = sentence_ends(text);
            for (at, _) in text.char_indices().chain([(text.len(), ' ')]) {
                assert_eq!(
                    sentence_start(&ends, at),
                    start_by_scan(text, at),
                    "{text:?} {at}"
                );
                assert_eq!(
                    sentence_end(text, &ends, at),
                    end_by_scan(text, at),
                    "{text:?} {at}"
                );
            }
        }
    }

    #[test]
    fn a_block_of_many_links_gives_each_its_own_words() {
        // 20,000 links on one line once took each link a scan of the whole line.
        let mut contexts = Contexts::default();
        let mut links = Vec::new();
        for n in 0..20_000 {
            contexts.text(" see ");
            contexts.link_start(n);
            contexts.text(&format!("page{n}"));
            contexts.link_end(n);
            links.push(a_link());
        }
        contexts.block_boundary(&mut links);
        let c = links[12_345].context.as_ref().unwrap();
        let [before, link, after] = c.parts(|_| None);
        assert_eq!(link, "page12345");
        assert!(before.starts_with("… ") && before.ends_with("see page12344 see "));
        assert!(after.starts_with(" see page12346") && after.ends_with(" …"));
    }
}
