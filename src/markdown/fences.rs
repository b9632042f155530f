//! The info string of a fenced code block: its language and options, written as Zola
//! (`rust,linenos,hl_lines=1 3-5`), Hugo (`go {linenos=true, hl_lines=[2,"4-5"]}`) or
//! MkDocs and Docusaurus (`rust title="main.rs"`) write them.

/// What a fence's info string asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct FenceInfo {
    /// The language, as written (`rust`, `py`, `mermaid`), if any.
    pub lang: Option<String>,
    /// Whether lines are numbered.
    pub line_numbers: bool,
    /// The number of the first line (`linenostart`), 1 unless set.
    pub first_line: usize,
    /// Lines to highlight, as inclusive ranges counted from 1 within the block.
    pub highlighted: Vec<(usize, usize)>,
    /// A caption shown above the block (`title="x.rs"`, Zola's `name=x.rs`).
    pub title: Option<String>,
}

impl FenceInfo {
    /// Reads `info`; options it does not know are ignored, as the tools that write them
    /// ignore each other's.
    pub(crate) fn parse(info: &str) -> FenceInfo {
        let info = info.trim();
        let end = info
            .find(|c: char| c == ',' || c == '{' || c.is_whitespace())
            .unwrap_or(info.len());
        let (lang, rest) = info.split_at(end);
        let mut fence = FenceInfo {
            lang: (!lang.is_empty()).then(|| lang.to_string()),
            first_line: 1,
            ..FenceInfo::default()
        };
        for (key, value) in options(rest) {
            fence.set(&key.to_ascii_lowercase(), value.as_deref());
        }
        fence
    }

    /// Whether line `n` (from 1) is highlighted.
    pub(crate) fn is_highlighted(&self, n: usize) -> bool {
        self.highlighted.iter().any(|&(a, b)| a <= n && n <= b)
    }

    fn set(&mut self, key: &str, value: Option<&str>) {
        match (key, value) {
            ("linenos", None) => self.line_numbers = true,
            ("linenos", Some(v)) => self.line_numbers = !matches!(v, "false" | "0" | "no"),
            ("linenostart", Some(v)) => {
                if let Ok(n) = v.parse::<usize>() {
                    self.first_line = n;
                }
            }
            ("hl_lines", Some(v)) => self.highlighted = line_ranges(v),
            ("title" | "name", Some(v)) if !v.is_empty() => self.title = Some(v.to_string()),
            _ => {}
        }
    }
}

/// `key` and `key=value` options, separated by commas or spaces, optionally in `{}`;
/// values may be quoted or bracketed (`[2,"4-5"]`); Zola's `hl_lines=1 3-5` takes the
/// line numbers that follow it.
fn options(rest: &str) -> Vec<(String, Option<String>)> {
    let chars: Vec<char> = rest.chars().collect();
    let mut found = Vec::new();
    let mut i = 0;
    let is_separator = |c: char| c == ',' || c == '{' || c == '}' || c.is_whitespace();
    while i < chars.len() {
        if is_separator(chars[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && chars[i] != '=' && !is_separator(chars[i]) {
            i += 1;
        }
        let key: String = chars[start..i].iter().collect();
        if chars.get(i) != Some(&'=') {
            found.push((key, None));
            continue;
        }
        i += 1;
        let (mut value, next) = read_value(&chars, i);
        i = next;
        if key == "hl_lines" && !matches!(chars.get(next.saturating_sub(1)), Some('"' | ']')) {
            // Zola: `hl_lines=1 3-5 9`, up to the next option.
            loop {
                let word_start = (i..chars.len())
                    .find(|&j| !chars[j].is_whitespace())
                    .unwrap_or(chars.len());
                let word_end = (word_start..chars.len())
                    .find(|&j| is_separator(chars[j]))
                    .unwrap_or(chars.len());
                let word: String = chars[word_start..word_end].iter().collect();
                if word.is_empty() || !word.chars().all(|c| c.is_ascii_digit() || c == '-') {
                    break;
                }
                value.push(' ');
                value.push_str(&word);
                i = word_end;
            }
        }
        found.push((key, Some(value)));
    }
    found
}

/// A value from `chars[i]`: quoted, bracketed or bare; and where reading stopped.
fn read_value(chars: &[char], mut i: usize) -> (String, usize) {
    let close = match chars.get(i) {
        Some('"') => Some('"'),
        Some('\'') => Some('\''),
        Some('[') => Some(']'),
        _ => None,
    };
    let start = i;
    if let Some(close) = close {
        i += 1;
        while i < chars.len() && chars[i] != close {
            i += 1;
        }
        let value = chars[start + 1..i.min(chars.len())].iter().collect();
        return (value, (i + 1).min(chars.len()));
    }
    while i < chars.len() && !(chars[i] == ',' || chars[i] == '}' || chars[i].is_whitespace()) {
        i += 1;
    }
    (chars[start..i].iter().collect(), i)
}

/// `2, "4-5"` or `1 3-5` as inclusive ranges; what is not a number or range is skipped.
fn line_ranges(value: &str) -> Vec<(usize, usize)> {
    value
        .split(|c: char| c == ',' || c.is_whitespace())
        .map(|part| part.trim_matches(|c| c == '"' || c == '\''))
        .filter_map(|part| match part.split_once('-') {
            Some((a, b)) => Some((a.parse().ok()?, b.parse().ok()?)),
            None => part.parse().ok().map(|n| (n, n)),
        })
        .filter(|&(a, b)| a <= b)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_language() {
        let f = FenceInfo::parse("rust");
        assert_eq!(f.lang.as_deref(), Some("rust"));
        assert!(!f.line_numbers && f.highlighted.is_empty() && f.title.is_none());
        assert_eq!(FenceInfo::parse("  ").lang, None);
    }

    #[test]
    fn zola_options() {
        let f = FenceInfo::parse("rust,linenos,linenostart=20,hl_lines=1 3-5 9");
        assert_eq!(f.lang.as_deref(), Some("rust"));
        assert!(f.line_numbers);
        assert_eq!(f.first_line, 20);
        assert_eq!(f.highlighted, [(1, 1), (3, 5), (9, 9)]);
        let f = FenceInfo::parse("py,hl_lines=2,name=x.py");
        assert_eq!(f.highlighted, [(2, 2)]);
        assert_eq!(f.title.as_deref(), Some("x.py"));
    }

    #[test]
    fn hugo_options() {
        let f = FenceInfo::parse(r#"go {linenos=table, hl_lines=[2,"4-5"], linenostart=3}"#);
        assert_eq!(f.lang.as_deref(), Some("go"));
        assert!(f.line_numbers);
        assert_eq!(f.first_line, 3);
        assert_eq!(f.highlighted, [(2, 2), (4, 5)]);
        let f = FenceInfo::parse("rust {hl_lines=[2,4-5]}");
        assert_eq!(f.highlighted, [(2, 2), (4, 5)]);
        assert!(!FenceInfo::parse("go {linenos=false}").line_numbers);
    }

    #[test]
    fn titles_and_unknown_options() {
        let f = FenceInfo::parse(r#"rust title="src/main.rs" showLineNumbers"#);
        assert_eq!(f.title.as_deref(), Some("src/main.rs"));
        assert!(!f.line_numbers);
        let f = FenceInfo::parse(r#"rust title="a b, c""#);
        assert_eq!(f.title.as_deref(), Some("a b, c"));
        assert!(!f.is_highlighted(1));
    }

    #[test]
    fn broken_options_do_not_panic() {
        for info in [
            "rust,hl_lines=",
            "rust {hl_lines=[",
            "x title=\"",
            "x,=,=,",
            "x hl_lines=5-2 a-b",
            "é,ü=ß",
        ] {
            let f = FenceInfo::parse(info);
            assert!(f.highlighted.iter().all(|(a, b)| a <= b), "{info}");
        }
    }

    proptest::proptest! {
        #[test]
        fn any_info_string_parses(info in "(?s).{0,60}") {
            let _ = FenceInfo::parse(&info);
        }
    }
}
