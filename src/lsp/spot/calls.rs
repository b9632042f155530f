//! Spots in what a page calls: a shortcode's name or argument (`{{ figure(src="…") }}`,
//! `{% note() %}`), and the keys, kinds and fields of a query block.

use super::{Spot, Token};

/// Characters of a shortcode, argument, key or field name.
fn is_name(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-'
}

/// The name around byte `column` of `line`: its range.
fn name_around(line: &str, column: usize) -> std::ops::Range<usize> {
    let start = line[..column].rfind(|c: char| !is_name(c)).map_or(0, |i| {
        i + line[i..].chars().next().map_or(1, char::len_utf8)
    });
    let end = line[column..]
        .find(|c: char| !is_name(c))
        .map_or(line.len(), |i| column + i);
    start..end
}

/// The spot in a shortcode call around byte `column` of `line`, if the cursor is in one.
pub(super) fn shortcode_spot(line: &str, line_start: usize, column: usize) -> Option<Spot> {
    let before = &line[..column];
    let open = ["{{", "{%"]
        .iter()
        .filter_map(|o| before.rfind(o))
        .max()
        .filter(|&i| !before[i..].contains("}}") && !before[i..].contains("%}"))?;
    let name_start = open + 2 + (line[open + 2..].len() - line[open + 2..].trim_start().len());
    let name_end = line[name_start..]
        .find(|c: char| !is_name(c))
        .map_or(line.len(), |i| name_start + i);
    if column <= name_end {
        let token = Token::new(line, line_start, name_start..name_end);
        return Some(Spot::ShortcodeName(token));
    }
    let shortcode = line[name_start..name_end].to_string();
    let args_start = name_end + line[name_end..].find('(')? + 1;
    if column < args_start || line[args_start..column].contains(')') {
        return Some(Spot::Nothing);
    }
    // After `(` or `,`, before `=`: an argument's name.
    let arg_start = line[args_start..column]
        .rfind(',')
        .map_or(args_start, |i| args_start + i + 1);
    if line[arg_start..column].contains('=') {
        return Some(Spot::Nothing);
    }
    let range = name_around(line, column);
    Some(Spot::ShortcodeArg {
        shortcode,
        arg: Token::new(line, line_start, range),
    })
}

/// The spot in a query block (the lines after ```` ```query ```` in `above`) on `line`.
pub(super) fn query_spot(
    above: &str,
    line: &str,
    line_start: usize,
    column: usize,
) -> Option<Spot> {
    let fence = above
        .lines()
        .rev()
        .find(|l| l.trim_start().starts_with("```"))?;
    if fence.trim() != "```query" {
        return None;
    }
    let block = &above[above.rfind(fence)? + fence.len()..];
    let kind = block
        .lines()
        .chain(std::iter::once(line))
        .find_map(|l| l.trim().strip_prefix("kind:"))
        .map(|k| k.trim().trim_matches(['"', '\'']).to_string())
        .filter(|k| !k.is_empty());
    let mut range = name_around(line, column);
    // `sort: -dates` sorts by `dates`, newest first.
    if line[range.clone()].starts_with('-') && column > range.start {
        range.start += 1;
    }
    let token = Token::new(line, line_start, range.clone());
    let key_end = line.find(':').filter(|&i| i < range.start);
    let Some(key_end) = key_end.filter(|_| !line.starts_with([' ', '\t'])) else {
        return Some(Spot::QueryKey(token));
    };
    let key = line[..key_end].trim();
    // In `where: { field: value }`, what follows a field's `:` is its value.
    let follows_colon = line[..range.start].trim_end().ends_with(':') && range.start > key_end + 1;
    Some(match key {
        "kind" => Spot::QueryKind(token),
        "where" | "sort" | "show" if !follows_colon => Spot::QueryField { kind, field: token },
        _ => Spot::Nothing,
    })
}

#[cfg(test)]
mod tests {
    use super::super::spot_at;
    use super::*;

    fn at(text: &str) -> Spot {
        let offset = text.find('|').unwrap();
        spot_at(&text.replacen('|', "", 1), offset)
    }

    #[test]
    fn shortcode_names_and_arguments() {
        let spot = at("---\ntitle: A\n---\nSee {{ fig| }}\n");
        assert!(matches!(spot, Spot::ShortcodeName(t) if t.text == "fig"));
        let spot = at("---\ntitle: A\n---\n{% note(kind=\"x\", ti|) %}\n");
        assert!(
            matches!(&spot, Spot::ShortcodeArg { shortcode, arg } if shortcode == "note" && arg.text == "ti")
        );
        assert_eq!(
            at("---\ntitle: A\n---\n{{ figure(src=\"a|\") }}\n"),
            Spot::Nothing
        );
    }

    #[test]
    fn query_keys_kinds_and_fields() {
        let block =
            |line: &str| format!("---\ntitle: A\n---\n```query\nkind: drill\n{line}\n```\n");
        assert!(matches!(at(&block("so|")), Spot::QueryKey(t) if t.text == "so"));
        let spot = at(&block("where: { parti|: this }"));
        assert!(
            matches!(&spot, Spot::QueryField { kind: Some(k), field } if k == "drill" && field.text == "parti")
        );
        assert_eq!(at(&block("where: { host: th|is }")), Spot::Nothing);
        assert!(
            matches!(at("---\ntitle: A\n---\n```query\nkind: dr|\n```\n"), Spot::QueryKind(t) if t.text == "dr")
        );
        assert!(
            matches!(at(&block("sort: -da|tes")), Spot::QueryField { field, .. } if field.text == "dates")
        );
    }
}
