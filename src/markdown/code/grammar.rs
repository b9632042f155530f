//! Code coloured by Sublime Text grammars (syntect, with bat's 220): every language
//! bat knows, at about 1 ms of CPU per KB.

use std::sync::LazyLock;

use rustc_hash::FxHashMap;
use syntect::highlighting::Highlighter;
use syntect::parsing::{ParseState, Scope, ScopeStack, SyntaxSet};
use syntect::util::LinesWithEndings;

use super::CodeColours;
use super::line::ClassNames;

/// The grammars, loaded once on the first highlighted block: most sites have none.
/// Immutable once loaded; syntect compiles each grammar's patterns on first use.
static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(two_face::syntax::extra_newlines);

/// Each line of `code` as HTML without its line end, if `lang` names a known grammar (by
/// name or extension): runs of one colour in both themes are one span, classed by colour.
pub(super) fn lines(lang: &str, code: &str, colours: CodeColours) -> Option<Vec<String>> {
    let syntaxes = &*SYNTAXES;
    let syntax = syntaxes
        .find_syntax_by_token(lang)
        .or_else(|| syntaxes.find_syntax_by_token(&lang.to_ascii_lowercase()))?;
    let (light, dark) = (colours.light.theme(), colours.dark.theme());
    let painters = [Highlighter::new(light), Highlighter::new(dark)];
    let mut names = ClassNames::new([light.settings.foreground, dark.settings.foreground]);
    let mut parser = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    // Both themes' styles by scope stack: stacks repeat from token to token, and working
    // a style out walks every rule of a theme.
    let mut classes: FxHashMap<Vec<Scope>, usize> = FxHashMap::default();
    let mut class_of = |names: &mut ClassNames, stack: &ScopeStack| -> usize {
        let scopes = stack.as_slice();
        if let Some(&found) = classes.get(scopes) {
            return found;
        }
        let class = names.of(painters.each_ref().map(|p| p.style_for_stack(scopes)));
        classes.insert(scopes.to_vec(), class);
        class
    };
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut lines = Vec::new();
    for line in LinesWithEndings::from(code) {
        let ops = parser.parse_line(line, syntaxes).ok()?;
        runs.clear();
        let mut start = 0;
        for (at, op) in &ops {
            if *at > start {
                runs.push((*at, class_of(&mut names, &stack)));
                start = *at;
            }
            stack.apply(op).ok()?;
        }
        if line.len() > start {
            runs.push((line.len(), class_of(&mut names, &stack)));
        }
        let text = line.trim_end_matches(['\n', '\r']);
        lines.push(names.line_html(text, &runs));
    }
    Some(lines)
}
