//! A map from text keys (question ids, language tags) to values, kept as one list in the order of its keys.
//!
//! Not a `BTreeMap`: every `BTreeMap` of another value type is one more copy of its code in
//! the widget's wasm (the maps of text and of date parts were 18 KB of it between them, 2.4
//! KiB brotli), while this list's code is a binary search and a `Vec`'s insert and remove.
//! Each key goes into its place as it comes, so no sort is compiled in either. Building a
//! map key by key is quadratic in its size: nothing for what the widget and the parser build
//! (a person's answers on one device, a text's languages, a definition's ids, which only
//! staff publish and the 2 MiB limit bounds). What comes from the network is read with
//! serde, which gathers the keys in a `BTreeMap` first (see `Deserialize` below). It
//! iterates, compares and serialises in key order, as a `BTreeMap` does, so it writes the
//! same JSON; reading, it refuses a key written twice, which no JSON it writes has.

use std::fmt;

use serde::de::{Deserialize, Deserializer};
use serde::ser::{Serialize, SerializeMap, Serializer};

#[derive(Clone, PartialEq, Eq)]
pub struct SortedMap<V>(Vec<(String, V)>);

impl<V> SortedMap<V> {
    pub const fn new() -> SortedMap<V> {
        SortedMap(Vec::new())
    }

    pub fn get(&self, key: &str) -> Option<&V> {
        self.place(key).ok().map(|at| &self.0[at].1)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.place(key).is_ok()
    }

    /// Keeps `value` for `key`, returning the value it replaces, as `BTreeMap::insert` does.
    pub fn insert(&mut self, key: String, value: V) -> Option<V> {
        match self.place(&key) {
            Ok(at) => Some(std::mem::replace(&mut self.0[at].1, value)),
            Err(at) => {
                self.0.insert(at, (key, value));
                None
            }
        }
    }

    /// The value kept for `key`, kept first as `V::default()` when there is none, as
    /// `BTreeMap`'s `entry(key).or_default()` does.
    pub fn get_or_insert_default(&mut self, key: String) -> &mut V
    where
        V: Default,
    {
        let at = match self.place(&key) {
            Ok(at) => at,
            Err(at) => {
                self.0.insert(at, (key, V::default()));
                at
            }
        };
        &mut self.0[at].1
    }

    pub fn remove(&mut self, key: &str) -> Option<V> {
        self.place(key).ok().map(|at| self.0.remove(at).1)
    }

    pub fn clear(&mut self) {
        self.0.clear();
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Every entry, in key order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&String, &V)> + ExactSizeIterator {
        self.0.iter().map(|(key, value)| (key, value))
    }

    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &String> + ExactSizeIterator {
        self.0.iter().map(|(key, _)| key)
    }

    pub fn values(&self) -> impl DoubleEndedIterator<Item = &V> + ExactSizeIterator {
        self.0.iter().map(|(_, value)| value)
    }

    fn place(&self, key: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(each, _)| each.as_str().cmp(key))
    }
}

impl<V> Default for SortedMap<V> {
    fn default() -> SortedMap<V> {
        SortedMap::new()
    }
}

impl<V: fmt::Debug> fmt::Debug for SortedMap<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// A later entry for the same key replaces an earlier one, as collecting into a map does.
impl<V> FromIterator<(String, V)> for SortedMap<V> {
    fn from_iter<I: IntoIterator<Item = (String, V)>>(entries: I) -> SortedMap<V> {
        let mut map = SortedMap::new();
        for (key, value) in entries {
            map.insert(key, value);
        }
        map
    }
}

impl<V, const N: usize> From<[(String, V); N]> for SortedMap<V> {
    fn from(entries: [(String, V); N]) -> SortedMap<V> {
        entries.into_iter().collect()
    }
}

impl<V> IntoIterator for SortedMap<V> {
    type Item = (String, V);
    type IntoIter = std::vec::IntoIter<(String, V)>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<V: Serialize> Serialize for SortedMap<V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, value) in &self.0 {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

/// Reads a JSON object as answers are read ([`crate::response`]'s `unique_keys`), refusing a
/// key written twice. The keys are gathered in its `BTreeMap` first, not put into the list
/// one by one: a specify object comes from the network, and a body of thousands of keys
/// written in descending order would make each insert shift the whole list (quadratic:
/// about 50 ms for a 64 KiB body). Only the collector reads these maps with serde, so that
/// `BTreeMap`'s code is not in the widget's wasm.
impl<'de, V: Deserialize<'de>> Deserialize<'de> for SortedMap<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<SortedMap<V>, D::Error> {
        // In key order already: each entry goes on the end of the list.
        Ok(SortedMap(
            crate::response::unique_keys(deserializer)?
                .into_iter()
                .collect(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;

    use super::SortedMap;

    proptest! {
        /// Whatever is kept and removed, in whatever order, reads back, iterates and
        /// serialises as a `BTreeMap` would.
        #[test]
        fn it_behaves_as_a_btree_map_would(
            steps in prop::collection::vec(("[a-e]{0,3}", prop::option::of(0u32..10)), 0..60),
            asked in prop::collection::vec("[a-e]{0,3}", 0..20),
        ) {
            let mut map = SortedMap::new();
            let mut model = BTreeMap::new();
            for (key, value) in &steps {
                match value {
                    // Nine stands for "the value kept, or a default": both add one to it.
                    Some(9) => {
                        *map.get_or_insert_default(key.clone()) += 1;
                        *model.entry(key.clone()).or_default() += 1;
                    }
                    Some(value) => prop_assert_eq!(
                        map.insert(key.clone(), *value),
                        model.insert(key.clone(), *value)
                    ),
                    None => prop_assert_eq!(map.remove(key), model.remove(key)),
                }
            }
            for key in steps.iter().map(|(key, _)| key).chain(&asked) {
                prop_assert_eq!(map.get(key), model.get(key), "{}", key);
                prop_assert_eq!(map.contains_key(key), model.contains_key(key));
            }
            prop_assert_eq!(map.len(), model.len());
            prop_assert!(map.iter().eq(model.iter()));
            prop_assert_eq!(
                serde_json::to_string(&map).unwrap(),
                serde_json::to_string(&model).unwrap()
            );
            let read: SortedMap<u32> = serde_json::from_str(&serde_json::to_string(&model).unwrap()).unwrap();
            prop_assert!(read == map);
        }
    }

    proptest! {
        /// An object read in whatever order its keys are written is the map of its keys,
        /// and one with a key written twice is refused, naming that key.
        #[test]
        fn it_reads_any_order_and_refuses_a_repeated_key(
            written in prop::collection::vec(("[a-e]{0,2}", 0u32..9), 0..12),
        ) {
            let body = format!(
                "{{{}}}",
                written
                    .iter()
                    .map(|(key, value)| format!("\"{key}\": {value}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            let read = serde_json::from_str::<SortedMap<u32>>(&body);
            let first_repeated = written
                .iter()
                .enumerate()
                .find(|(at, (key, _))| written[..*at].iter().any(|(earlier, _)| earlier == key))
                .map(|(_, (key, _))| key);
            match first_repeated {
                Some(key) => {
                    let error = read.unwrap_err().to_string();
                    prop_assert!(error.contains(&format!("\"{key}\" is written twice")), "{}", error);
                }
                None => {
                    let model: BTreeMap<String, u32> = written.iter().cloned().collect();
                    let read = read.unwrap();
                    prop_assert!(read.iter().eq(model.iter()));
                }
            }
        }
    }

    #[test]
    fn a_key_written_twice_is_refused() {
        let error = serde_json::from_str::<SortedMap<String>>(r#"{"pets": "a", "pets": "b"}"#)
            .unwrap_err()
            .to_string();
        assert!(error.contains("\"pets\" is written twice"), "{error}");
    }
}
