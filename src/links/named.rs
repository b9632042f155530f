//! Lists of pages by name (a page's ref fields, or its inverse relations), held flat: a
//! page has a handful of names, and a hash map per page cost more than its lists.

use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::config::SiteConfig;
use crate::model::PageId;

/// Lists of pages by name, in the order the names were first given: one page's resolved
/// ref fields (`participants: [...]`), or its inverse relations (`drills` on a member).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct NamedPages {
    /// Each name, with the end of its pages in `pages` (each list starts where the last
    /// one ended).
    names: Box<[(Arc<str>, u32)]>,
    /// Every list's pages, one list after the other.
    pages: Box<[PageId]>,
}

impl NamedPages {
    /// The lists `lists` gives, in its order; a name given twice keeps both lists, of
    /// which [`NamedPages::get`] finds the first.
    pub(crate) fn new(lists: impl IntoIterator<Item = (Arc<str>, Vec<PageId>)>) -> NamedPages {
        let mut names = Vec::new();
        let mut pages = Vec::new();
        for (name, list) in lists {
            pages.extend(list);
            let end = u32::try_from(pages.len()).expect("fewer than 2^32 relations on one page");
            names.push((name, end));
        }
        NamedPages {
            names: names.into_boxed_slice(),
            pages: pages.into_boxed_slice(),
        }
    }

    /// The pages listed under `name`, if it is there.
    pub(crate) fn get(&self, name: &str) -> Option<&[PageId]> {
        self.iter()
            .find(|(n, _)| *n == name)
            .map(|(_, pages)| pages)
    }

    /// Each name and its pages, in order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&str, &[PageId])> {
        let mut start = 0;
        self.names.iter().map(move |(name, end)| {
            let end = *end as usize;
            let pages = &self.pages[start..end];
            start = end;
            (&**name, pages)
        })
    }

    /// How many names it lists.
    pub(crate) fn len(&self) -> usize {
        self.names.len()
    }
}

/// The names relations go by (ref fields and inverse relations of site.yaml's kinds),
/// each held once and shared by every page and edge that uses it.
#[derive(Debug, Default)]
pub(crate) struct RelationNames(FxHashMap<String, Arc<str>>);

impl RelationNames {
    /// The field and inverse names of `config`'s kinds.
    pub(crate) fn new(config: &SiteConfig) -> RelationNames {
        let mut names = FxHashMap::default();
        for kind in config.kinds.values() {
            for (field, def) in &kind.fields {
                let inverse = def.ty.target().and_then(|t| t.inverse.as_deref());
                for name in std::iter::once(field.as_str()).chain(inverse) {
                    names
                        .entry(name.to_string())
                        .or_insert_with(|| Arc::from(name));
                }
            }
        }
        RelationNames(names)
    }

    /// `name`, shared if `config` declares it.
    pub(crate) fn get(&self, name: &str) -> Arc<str> {
        self.0.get(name).cloned().unwrap_or_else(|| Arc::from(name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(ids: &[usize]) -> Vec<PageId> {
        ids.iter().copied().map(PageId).collect()
    }

    #[test]
    fn lists_are_found_by_name_in_the_order_given() {
        let named = NamedPages::new([
            ("host".into(), ids(&[3])),
            ("participants".into(), ids(&[1, 2, 4])),
            ("none".into(), Vec::new()),
            ("sources".into(), ids(&[0])),
        ]);
        assert_eq!(named.get("participants"), Some(&ids(&[1, 2, 4])[..]));
        assert_eq!(named.get("host"), Some(&ids(&[3])[..]));
        assert_eq!(named.get("none"), Some(&[][..]));
        assert_eq!(named.get("sources"), Some(&ids(&[0])[..]));
        assert_eq!(named.get("missing"), None);
        let names: Vec<&str> = named.iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["host", "participants", "none", "sources"]);
        assert_eq!(named.len(), 4);
        assert_eq!(NamedPages::default().len(), 0);
        assert_eq!(NamedPages::default().iter().count(), 0);
    }
}
