//! Month names of the languages muster knows, for the `date` filter: English is
//! jiff's own `%B`; others are here, in the form a date takes ("26 сентября 2024": the
//! genitive in Russian, as a day and year around it need).

/// The twelve month names of language `code` as a date writes them, if muster has
/// them; `None` leaves jiff's English names.
pub(crate) fn month_names(code: &str) -> Option<[&'static str; 12]> {
    let base = code.split('-').next().unwrap_or(code);
    Some(match base {
        "ru" => [
            "января",
            "февраля",
            "марта",
            "апреля",
            "мая",
            "июня",
            "июля",
            "августа",
            "сентября",
            "октября",
            "ноября",
            "декабря",
        ],
        _ => return None,
    })
}
