//! Ids (of questions, of pages) to numbers, as a list kept in the order of the ids: the one lookup table of that kind the survey and its parser use.
//!
//! Not a `BTreeMap<String, usize>`: every `BTreeMap` of another type is one more copy of
//! its code in the widget's wasm (this one was 0.6 KiB brotli), and these tables are
//! small, built once and then only read. Each id goes into its place as it comes, found
//! by binary search, so no sort is compiled in either. Building is quadratic in the number
//! of ids: nothing for a survey's tens of questions, seconds only for a definition of tens
//! of thousands of questions, which only staff can publish and the 2 MiB limit bounds.

#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct IdIndex(Vec<(String, usize)>);

impl IdIndex {
    pub(crate) fn new() -> IdIndex {
        IdIndex(Vec::new())
    }

    /// The number kept for `id`.
    pub(crate) fn get(&self, id: &str) -> Option<usize> {
        self.place(id).ok().map(|at| self.0[at].1)
    }

    /// Keeps `number` for `id`, replacing any kept before, as a map would.
    pub(crate) fn insert(&mut self, id: &str, number: usize) {
        match self.place(id) {
            Ok(at) => self.0[at].1 = number,
            Err(at) => self.0.insert(at, (id.to_owned(), number)),
        }
    }

    fn place(&self, id: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(each, _)| each.as_str().cmp(id))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;

    use super::IdIndex;

    proptest! {
        /// Whatever is kept, in whatever order, reads back as a map would read it.
        #[test]
        fn it_reads_as_a_map_would(
            kept in prop::collection::vec(("[a-e]{0,3}", 0usize..9), 0..40),
            asked in prop::collection::vec("[a-e]{0,3}", 0..20),
        ) {
            let mut index = IdIndex::new();
            let mut map = BTreeMap::new();
            for (id, number) in &kept {
                index.insert(id, *number);
                map.insert(id.clone(), *number);
            }
            for id in kept.iter().map(|(id, _)| id).chain(&asked) {
                prop_assert_eq!(index.get(id), map.get(id).copied(), "{}", id);
            }
        }
    }
}
