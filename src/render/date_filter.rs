//! The `date` filter, which keeps what it formatted: listings show the same few dates on
//! many pages, and parsing and formatting one cost more than the rest of its call.

use std::sync::{Mutex, PoisonError};

use rustc_hash::FxHashMap;
use tera::{Kwargs, State, Tera, TeraResult};

/// The format when a template gives none: "26 September 2024".
const DEFAULT_FORMAT: &str = "%-d %B %Y";

/// Registers `{{ page.date | date(format="%-d %B %Y", lang="ru") }}`.
pub(super) fn register(tera: &mut Tera) {
    // Per date, format and language: the text. A pure function's results, so kept for as
    // long as the templates are.
    let formatted: Mutex<FxHashMap<String, String>> = Mutex::default();
    tera.register_filter(
        "date",
        move |value: &str, kwargs: Kwargs, state: &State| -> TeraResult<String> {
            let format = kwargs.get::<&str>("format")?.unwrap_or(DEFAULT_FORMAT);
            // The language: as given, else the page's (English where none is known).
            let lang = match kwargs.get::<String>("lang")? {
                Some(lang) => Some(lang),
                None => super::strings::language_of(state)?,
            };
            let key = memo_key(value, format, lang.as_deref().unwrap_or_default());
            let kept = || formatted.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some(text) = kept().get(&key) {
                return Ok(text.clone());
            }
            let text = format_date(value, format, lang.as_deref())?;
            kept().insert(key, text.clone());
            Ok(text)
        },
    );
}

/// One key for a date, a format and a language, each but the last led by its length, so
/// that no two triples run together whatever they hold.
fn memo_key(value: &str, format: &str, lang: &str) -> String {
    let mut digits = itoa::Buffer::new();
    let mut key = String::with_capacity(value.len() + format.len() + lang.len() + 8);
    for part in [value, format] {
        key.push_str(digits.format(part.len()));
        key.push(':');
        key.push_str(part);
    }
    key.push_str(lang);
    key
}

/// Formats a date (`YYYY-MM-DD`, or with a time: `2024-09-26T10:00:00+03:00`) with a
/// `strftime` format, months named in `lang`; a format with `%H`, `%M`… shows the time
/// (midnight for a day).
fn format_date(value: &str, format: &str, lang: Option<&str>) -> TeraResult<String> {
    let date = crate::model::dates::PageDate::parse(value)
        .map_err(|e| tera::Error::message(format!("`{value}` is not a date: {}", e.message)))?;
    let moment = date
        .day
        .to_datetime(date.time.unwrap_or(jiff::civil::Time::midnight()));
    let format = match lang.and_then(super::months::month_names) {
        // A month's name in the page's language, in the form a day before it takes.
        Some(names) => format.replace(
            "%B",
            names[usize::from(date.day.month().unsigned_abs()) - 1],
        ),
        None => format.to_string(),
    };
    jiff::fmt::strtime::format(&format, moment)
        .map_err(|e| tera::Error::message(format!("bad date format `{format}`: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(template: &str, lang: &str) -> String {
        let mut tera = Tera::new();
        register(&mut tera);
        tera.add_raw_template("t", template).unwrap();
        let mut context = tera::Context::new();
        context.insert("language", &lang);
        tera.render("t", &context).unwrap()
    }

    #[test]
    fn keys_of_different_triples_differ() {
        assert_ne!(memo_key("a\u{1f}b", "c", ""), memo_key("a", "b\u{1f}c", ""));
        assert_ne!(memo_key("1:a", "b", ""), memo_key("1", "a1:b", ""));
        assert_ne!(memo_key("2024", "%Y", "ru"), memo_key("2024", "%Yr", "u"));
    }

    #[test]
    fn the_same_date_is_formatted_per_format_and_language() {
        let template = r#"{{ "2024-09-26" | date }}/{{ "2024-09-26" | date(format="%Y") }}/{{ "2024-09-26" | date }}/{{ "2024-09-26" | date(lang="ru") }}/{{ "2024-10-01" | date }}"#;
        assert_eq!(
            render(template, "en"),
            "26 September 2024/2024/26 September 2024/26 сентября 2024/1 October 2024"
        );
        assert_eq!(
            render(template, "ru"),
            "26 сентября 2024/2024/26 сентября 2024/26 сентября 2024/1 октября 2024"
        );
    }
}
