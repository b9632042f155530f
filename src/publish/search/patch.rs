//! An edit build's search index: the last build's, with the documents whose keys changed
//! taken out of its postings and put in again. Only the document chunks holding such a
//! document and the shards of the terms they had or have are made again; every other file
//! is carried from the last site as it is. The result is the index a build from nothing
//! makes, byte for byte (the random-edit equivalence test compares them).

use std::collections::HashSet;

use rayon::prelude::*;

use super::document::{add_doc, doc_inputs, replaced_terms, row_key, write_doc_row};
use super::state::LanguageIndex;
use super::{DOCS_PER_CHUNK, IndexFiles, MadeIndex, Postings, Term, prefix, write_shards};
use crate::incremental::kept::KeptLog;
use crate::model::PageId;
use crate::publish::Kept;
use crate::render::{PageValues, RenderInput};

/// A document's terms changed: `(term, doc, its new weight, or none to take it out)`.
type Change = (Box<str>, u32, Option<u32>);

/// Writes the index of `docs` into `folder` as `last` with what changed since; its
/// postings and its documents' keys. `None`, with nothing written, where making it whole
/// costs less or `last` cannot tell what changed: its documents are not the same number,
/// too many changed, or a changed document's old terms are not kept.
pub(super) fn write_patched(
    (input, values): (&RenderInput<'_>, &PageValues<'_>),
    kept: Kept<'_>,
    files: &IndexFiles<'_>,
    (docs, folder): (&[PageId], &str),
    last: LanguageIndex,
) -> Option<MadeIndex> {
    let log = kept.terms?;
    if last.docs.len() != docs.len() {
        return None;
    }
    let keys = docs
        .par_iter()
        .map(|&id| {
            let key = doc_inputs(input, values, id, kept).key?;
            Some((key, row_key(input, values, id, key)))
        })
        .collect::<Option<super::DocKeys>>()?;
    let changed: Vec<usize> = (0..docs.len())
        .filter(|&i| keys[i] != last.docs[i])
        .collect();
    // Each changed document costs about what a whole index costs per document, and more
    // where its terms are common ones: past a quarter, make it whole.
    if changed.len() * 4 > docs.len() {
        return None;
    }
    // The terms each document whose terms changed had: read before anything is written.
    let mut changes = replaced(log, &keys, &last, &changed)?;
    let dirty: HashSet<usize> = changed.iter().map(|i| i / DOCS_PER_CHUNK).collect();
    let chunks: Vec<(usize, &[PageId])> = docs.chunks(DOCS_PER_CHUNK).enumerate().collect();
    let new_terms: Vec<Change> = chunks
        .par_iter()
        .flat_map_iter(|&(n, chunk)| {
            let dirty = dirty.contains(&n);
            let made = (input, values);
            write_chunk(made, kept, files, (folder, n, chunk), (&keys, &last, dirty))
        })
        .collect();
    changes.extend(new_terms);
    let (terms, touched) = edited(last.postings, changes);
    write_shards(files, folder, docs.len(), &terms, |prefix, path| {
        !touched.contains(prefix) && files.carry(path, last.files.get(path))
    });
    Some((terms, Some(keys)))
}

/// The terms the documents `changed` had where their terms changed, each to be taken
/// out; `None` if `log` no longer has one's.
fn replaced(
    log: &KeptLog,
    keys: &[(u128, u128)],
    last: &LanguageIndex,
    changed: &[usize],
) -> Option<Vec<Change>> {
    let mut changes = Vec::new();
    for &i in changed.iter().filter(|&&i| keys[i].0 != last.docs[i].0) {
        let old = replaced_terms(log, last.docs[i].0)?;
        changes.extend(
            old.into_iter()
                .map(|t| (t.into_boxed_str(), i as u32, None)),
        );
    }
    Some(changes)
}

/// Writes the document chunk `n` of `folder`, `chunk`, or carries it from the last site
/// where it is not `dirty` (none of its documents changed) and still there; the new terms
/// of its documents whose terms changed since `last`.
fn write_chunk(
    (input, values): (&RenderInput<'_>, &PageValues<'_>),
    kept: Kept<'_>,
    files: &IndexFiles<'_>,
    (folder, n, chunk): (&str, usize, &[PageId]),
    (keys, last, dirty): (&[(u128, u128)], &LanguageIndex, bool),
) -> Vec<Change> {
    let path = format!("{folder}/docs-{n}.json");
    let first = n * DOCS_PER_CHUNK;
    if !dirty && files.carry(&path, last.files.get(&path)) {
        // Its documents' terms are not read: kept for the next build all the same.
        if let Some(log) = kept.terms {
            for (key, _) in &keys[first..first + chunk.len()] {
                log.retain(*key);
            }
        }
        return Vec::new();
    }
    let mut rows = vec![b'['];
    let mut changes = Vec::new();
    for (i, &id) in chunk.iter().enumerate() {
        let doc = first + i;
        let mut scratch = Postings::default();
        // Made again for the hundred documents of a chunk: keeping every document's from
        // the keys' pass would hold all their fields' text until now.
        let inputs = doc_inputs(input, values, id, kept);
        let shown = add_doc(
            &mut scratch,
            doc as u32,
            (input, values),
            id,
            (inputs, kept),
        );
        if keys[doc].0 != last.docs[doc].0 {
            changes.extend(scratch.into_iter().filter_map(|(term, list)| {
                let (_, weight) = list.iter().next()?;
                Some((term, doc as u32, Some(weight)))
            }));
        }
        if i > 0 {
            rows.push(b',');
        }
        write_doc_row(&mut rows, input, values, id, &shown);
    }
    rows.push(b']');
    files.put(&path, rows);
    changes
}

/// `postings` (in term order) with `changes` made; the prefixes of the terms they touched.
/// A document's new weight for a term replaces the taking out of its old one.
fn edited(postings: Vec<Term>, mut changes: Vec<Change>) -> (Vec<Term>, HashSet<String>) {
    // By term, then document, a new weight before the taking out it replaces.
    changes.sort_unstable_by(|a, b| (&a.0, a.1, a.2.is_none()).cmp(&(&b.0, b.1, b.2.is_none())));
    changes.dedup_by(|later, first| later.0 == first.0 && later.1 == first.1);
    let touched = changes
        .iter()
        .map(|(t, _, _)| prefix(t).to_string())
        .collect();
    let mut out: Vec<Term> = Vec::with_capacity(postings.len() + changes.len());
    let mut old = postings.into_iter().peekable();
    let mut rest = changes.as_slice();
    while let Some((term, _, _)) = rest.first() {
        let run = rest.iter().take_while(|(t, _, _)| t == term).count();
        let (these, after) = rest.split_at(run);
        rest = after;
        while let Some(before) = old.next_if(|(t, _)| t < term) {
            out.push(before);
        }
        let list = old.next_if(|(t, _)| t == term).map(|(_, list)| list);
        let edits: Vec<(u32, Option<u32>)> = these.iter().map(|(_, d, w)| (*d, *w)).collect();
        let list = list.unwrap_or_default().edited(&edits);
        if !list.is_empty() {
            out.push((term.clone(), list));
        }
    }
    out.extend(old);
    (out, touched)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::publish::postings::PostingList;

    fn term(t: &str, postings: &[(u32, u32)]) -> Term {
        let mut list = PostingList::default();
        for &(doc, weight) in postings {
            list.push(doc, weight);
        }
        (t.into(), list)
    }

    /// Terms gain and lose documents, new terms come in their place in term order, a term
    /// left without documents goes, and a document's new weight wins over its taking out.
    #[test]
    fn edits_keep_term_order_and_drop_empty_terms() {
        let postings = vec![
            term("alpha", &[(0, 1), (2, 1)]),
            term("beta", &[(2, 5)]),
            term("delta", &[(1, 1)]),
        ];
        let changes: Vec<Change> = vec![
            ("beta".into(), 2, None),
            ("alpha".into(), 2, None),
            ("alpha".into(), 2, Some(4)),
            ("gamma".into(), 2, Some(3)),
            ("aardvark".into(), 1, Some(1)),
        ];
        let (terms, touched) = edited(postings, changes);
        let expected = vec![
            term("aardvark", &[(1, 1)]),
            term("alpha", &[(0, 1), (2, 4)]),
            term("delta", &[(1, 1)]),
            term("gamma", &[(2, 3)]),
        ];
        assert_eq!(terms, expected);
        let mut touched: Vec<String> = touched.into_iter().collect();
        touched.sort();
        assert_eq!(touched, ["aa", "al", "be", "ga"]);
    }
}
