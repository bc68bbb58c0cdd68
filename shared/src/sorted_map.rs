//! A map from text keys (question ids, language tags) to values, kept as one list in the order of its keys.
//!
//! Not a `BTreeMap`: every `BTreeMap` of another value type is one more copy of its code in
//! the widget's wasm (the maps of text and of date parts were 18 KB of it between them, 2.4
//! KiB brotli), while this list's code is a binary search and a `Vec`'s insert and remove.
//! Each key goes into its place as it comes, so no sort is compiled in either. The maps it
//! holds are small (specify texts, a text's languages, a survey's question and page ids),
//! so keeping a list in order costs nothing a person could notice: building one is
//! quadratic in its size, which is seconds only for a definition of tens of thousands of
//! questions, which only staff can publish and the 2 MiB limit bounds. It iterates,
//! compares and serialises in key order, as a `BTreeMap` does, so it reads and writes the
//! same JSON.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
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

/// Reads a JSON object, refusing a key written twice: JSON parsers disagree on which of
/// the two wins, so neither is taken.
impl<'de, V: Deserialize<'de>> Deserialize<'de> for SortedMap<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<SortedMap<V>, D::Error> {
        struct Entries<V>(PhantomData<V>);

        impl<'de, V: Deserialize<'de>> Visitor<'de> for Entries<V> {
            type Value = SortedMap<V>;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object of question ids")
            }

            fn visit_map<A: MapAccess<'de>>(
                self,
                mut entries: A,
            ) -> Result<SortedMap<V>, A::Error> {
                let mut map = SortedMap::new();
                while let Some(key) = entries.next_key::<String>()? {
                    match map.place(&key) {
                        Ok(_) => {
                            return Err(serde::de::Error::custom(format!(
                                "\"{key}\" is written twice; write each question once"
                            )));
                        }
                        Err(at) => {
                            let value = entries.next_value()?;
                            map.0.insert(at, (key, value));
                        }
                    }
                }
                Ok(map)
            }
        }

        deserializer.deserialize_map(Entries(PhantomData))
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

    #[test]
    fn a_key_written_twice_is_refused() {
        let error = serde_json::from_str::<SortedMap<String>>(r#"{"pets": "a", "pets": "b"}"#)
            .unwrap_err()
            .to_string();
        assert!(error.contains("\"pets\" is written twice"), "{error}");
    }
}
