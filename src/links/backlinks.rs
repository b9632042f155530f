//! The edges into each page, in one list for the whole site.

use std::ops::Index;

use super::Edge;

/// Per page, the indexes (into the graph's edges) of the relations pointing to it, ordered
/// by source page: every page's run in one array, so that a site of 100,000 pages holds no
/// 100,000 small lists, and each run is written in place rather than grown by pushes.
#[derive(Debug, Default)]
pub(crate) struct Backlinks {
    /// Where each page's run starts in `edges`; one more entry than pages, the last the end.
    starts: Vec<usize>,
    /// Every page's edge indexes, one run after the other.
    edges: Vec<usize>,
}

impl Backlinks {
    /// The backlinks of `pages` pages from `edges`, which are in source page order.
    pub(crate) fn new(pages: usize, edges: &[Edge]) -> Backlinks {
        let mut starts = vec![0; pages + 1];
        for edge in edges {
            starts[edge.to.0 + 1] += 1;
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        // Each page's next free slot, filled in edge order: each run stays in source order.
        let mut next = starts.clone();
        let mut into = vec![0; edges.len()];
        for (index, edge) in edges.iter().enumerate() {
            into[next[edge.to.0]] = index;
            next[edge.to.0] += 1;
        }
        Backlinks {
            starts,
            edges: into,
        }
    }
}

impl Index<usize> for Backlinks {
    type Output = [usize];

    /// The edges into page `page` (none for a page past the end).
    fn index(&self, page: usize) -> &[usize] {
        match (self.starts.get(page), self.starts.get(page + 1)) {
            (Some(&start), Some(&end)) => &self.edges[start..end],
            _ => &[],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::links::Relation;
    use crate::model::PageId;

    fn edge(from: usize, to: usize) -> Edge {
        Edge {
            from: PageId(from),
            to: PageId(to),
            relation: Relation::Embed,
        }
    }

    #[test]
    fn runs_per_page_in_source_order() {
        let edges = [edge(0, 2), edge(0, 1), edge(1, 2), edge(2, 0), edge(3, 2)];
        let backlinks = Backlinks::new(4, &edges);
        assert_eq!(&backlinks[0], &[3]);
        assert_eq!(&backlinks[1], &[1]);
        assert_eq!(&backlinks[2], &[0, 2, 4]);
        assert!(backlinks[3].is_empty());
        assert!(backlinks[4].is_empty());
    }

    #[test]
    fn no_edges() {
        let backlinks = Backlinks::new(3, &[]);
        assert!((0..3).all(|p| backlinks[p].is_empty()));
        assert!(Backlinks::default()[0].is_empty());
    }
}
