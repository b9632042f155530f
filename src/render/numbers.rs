//! Numbers in a reader's language, from CLDR's data through ICU4X: how a number is
//! written ("1 234,5" in Russian, "1,234.5" in English, "1000" in Spanish) and which
//! plural form a count takes ("one", "few", "many"…), for every language CLDR knows.
//! The `number` filter writes `{{ value | number }}` in the page's language.

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::Arc;

use icu_decimal::DecimalFormatter;
use icu_decimal::input::Decimal;
use icu_decimal::options::{DecimalFormatterOptions, GroupingStrategy};
use icu_locale_core::Locale;
use icu_plurals::{PluralCategory, PluralRules};
use tera::{Kwargs, State, Tera, TeraResult, Value};

/// When digits are grouped ("10,000"): as the language does, only from five digits
/// (CLDR's `min2`, which leaves years such as 1992 alone), or never.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Grouping {
    /// As the language groups digits.
    Auto,
    /// Only numbers of five digits or more.
    Min2,
    /// Never.
    Never,
}

impl Grouping {
    const ALL: [Grouping; 3] = [Grouping::Auto, Grouping::Min2, Grouping::Never];

    /// The grouping named `name` in a template (`auto`, `min2`, `never`).
    fn named(name: &str) -> Option<Grouping> {
        match name {
            "auto" => Some(Grouping::Auto),
            "min2" => Some(Grouping::Min2),
            "never" => Some(Grouping::Never),
            _ => None,
        }
    }

    fn strategy(self) -> GroupingStrategy {
        match self {
            Grouping::Auto => GroupingStrategy::Auto,
            Grouping::Min2 => GroupingStrategy::Min2,
            Grouping::Never => GroupingStrategy::Never,
        }
    }
}

/// One language's number formats, one per [`Grouping`].
struct Formats {
    decimal: [DecimalFormatter; 3],
    plurals: PluralRules,
}

impl Formats {
    /// The formats of `code`; CLDR's root (English-like digits, no plural forms) for a
    /// code that is no locale.
    fn of(code: &str) -> Formats {
        let locale = Locale::from_str(code).unwrap_or(Locale::UNKNOWN);
        let decimal = |grouping: Grouping| {
            let options = DecimalFormatterOptions::from(grouping.strategy());
            DecimalFormatter::try_new(locale.clone().into(), options)
                .or_else(|_| DecimalFormatter::try_new(Default::default(), options))
                .expect("ICU4X's compiled data has the root locale")
        };
        Formats {
            decimal: Grouping::ALL.map(decimal),
            plurals: PluralRules::try_new_cardinal(locale.clone().into())
                .or_else(|_| PluralRules::try_new_cardinal(Default::default()))
                .expect("ICU4X's compiled data has the root locale"),
        }
    }
}

/// The number formats of a site's languages, made once per build.
pub(crate) struct LanguageNumbers {
    by_code: HashMap<String, Formats>,
    default: String,
}

impl std::fmt::Debug for LanguageNumbers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LanguageNumbers")
            .field("languages", &self.by_code.keys())
            .finish_non_exhaustive()
    }
}

impl Default for LanguageNumbers {
    fn default() -> Self {
        LanguageNumbers::new("en", std::iter::empty())
    }
}

impl LanguageNumbers {
    /// The formats of `default` and of each of `others`.
    pub(crate) fn new<'a>(default: &'a str, others: impl Iterator<Item = &'a str>) -> Self {
        let mut by_code = HashMap::new();
        for code in std::iter::once(default).chain(others) {
            by_code
                .entry(code.to_string())
                .or_insert_with(|| Formats::of(code));
        }
        LanguageNumbers {
            by_code,
            default: default.to_string(),
        }
    }

    /// The formats of `code`, else of the default language.
    fn formats(&self, code: &str) -> &Formats {
        self.by_code
            .get(code)
            .or_else(|| self.by_code.get(&self.default))
            .expect("the default language's formats are made first")
    }

    /// `number` (digits with an optional sign and decimal point, as JSON writes numbers)
    /// as readers of `code` write it; `None` if it is no such number.
    pub(crate) fn format(&self, code: &str, number: &str, grouping: Grouping) -> Option<String> {
        let decimal = Decimal::from_str(number).ok()?;
        let formatter = &self.formats(code).decimal[grouping as usize];
        Some(formatter.format(&decimal).to_string())
    }

    /// The plural form of `n` in `code`, as CLDR names it: `one`, `few`, `many`, `other`…
    pub(crate) fn plural_form(&self, code: &str, n: i64) -> &'static str {
        match self.formats(code).plurals.category_for(n) {
            PluralCategory::Zero => "zero",
            PluralCategory::One => "one",
            PluralCategory::Two => "two",
            PluralCategory::Few => "few",
            PluralCategory::Many => "many",
            PluralCategory::Other => "other",
        }
    }
}

/// Registers `{{ value | number }}`: a number (or its text) in the language of the page
/// (`lang=` to choose another; `grouping="min2"` or `"never"` to group digits less);
/// other values pass through unchanged.
pub(crate) fn register(tera: &mut Tera, numbers: Arc<LanguageNumbers>) {
    tera.register_filter(
        "number",
        move |value: &Value, kwargs: Kwargs, state: &State| -> TeraResult<Value> {
            let code = match kwargs.get::<String>("lang")? {
                Some(code) => code,
                None => {
                    super::strings::language_of(state)?.unwrap_or_else(|| numbers.default.clone())
                }
            };
            let grouping = match kwargs.get::<String>("grouping")? {
                None => Grouping::Auto,
                Some(name) => Grouping::named(&name).ok_or_else(|| {
                    tera::Error::message(format!(
                        "`grouping` is `auto`, `min2` or `never`, not `{name}`"
                    ))
                })?,
            };
            let text = match value.as_str() {
                Some(text) => text.trim().to_string(),
                None => value.to_string(),
            };
            Ok(match numbers.format(&code, &text, grouping) {
                Some(shown) => shown.into(),
                None => value.clone(),
            })
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_as_each_language_writes_them() {
        let numbers = LanguageNumbers::new("en", ["ru", "es", "de"].into_iter());
        let auto = |code: &str, n: &str| numbers.format(code, n, Grouping::Auto);
        assert_eq!(auto("en", "-1234567").unwrap(), "-1,234,567");
        assert_eq!(auto("en", "1.5").unwrap(), "1.5");
        // Russian groups with a no-break space and writes a decimal comma.
        assert_eq!(auto("ru", "1234567").unwrap(), "1\u{a0}234\u{a0}567");
        assert_eq!(auto("ru", "1.5").unwrap(), "1,5");
        assert_eq!(auto("de", "1000").unwrap(), "1.000");
        // Spanish leaves four digits ungrouped.
        assert_eq!(auto("es", "1000").unwrap(), "1000");
        assert_eq!(auto("es", "10000").unwrap(), "10.000");
        // A language the site has not declared is written as the default's.
        assert_eq!(auto("fr", "1000").unwrap(), "1,000");
        assert_eq!(auto("en", "twelve"), None);
        // `min2` leaves years alone; `never` groups nothing.
        let min2 = |code: &str, n: &str| numbers.format(code, n, Grouping::Min2);
        assert_eq!(min2("en", "1992").unwrap(), "1992");
        assert_eq!(min2("en", "12000").unwrap(), "12,000");
        let never = numbers.format("ru", "12000.5", Grouping::Never);
        assert_eq!(never.unwrap(), "12000,5");
    }

    #[test]
    fn counts_take_each_languages_plural_forms() {
        let numbers = LanguageNumbers::new("en", ["ru", "pl", "x-unknown"].into_iter());
        let forms = |code: &str| -> Vec<&str> {
            [1, 2, 5, 11, 21, 22, 0]
                .iter()
                .map(|n| numbers.plural_form(code, *n))
                .collect()
        };
        assert_eq!(
            forms("en"),
            ["one", "other", "other", "other", "other", "other", "other"]
        );
        assert_eq!(
            forms("ru"),
            ["one", "few", "many", "many", "one", "few", "many"]
        );
        assert_eq!(
            forms("pl"),
            ["one", "few", "many", "many", "many", "few", "many"]
        );
        assert_eq!(forms("x-unknown")[0], "other");
    }
}
