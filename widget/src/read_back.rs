//! Reading back, by hand, the JSON records the widget itself wrote: drafts, outbox entries, sent records and a form's carried state.
//!
//! Why not serde's derived `Deserialize`: each derived reader is a visitor instantiated for
//! serde_json's parser, with its own field matching and error messages. These records are
//! now parsed into a `Value` first (whose parser the survey definition needs anyway) and
//! taken apart here, which made the wasm 4.8 KiB brotli smaller. Each record type still
//! writes itself with the derived `Serialize`; its `from_json` reads exactly what that
//! writes, and `read_back_tests.rs` holds each reader to what the derived reader it
//! replaced accepted and refused, on records altered every way a device or a posted form
//! could alter them.
//!
//! The rules are serde's: a required field must be there, a defaulted one may be missing,
//! an optional one may also be `null`, fields nobody reads are ignored, and any field of
//! the wrong kind makes the whole record unreadable (`None`), which its caller sets aside,
//! as before. Where the text is not what `Serialize` writes, four things differ, none of
//! which this widget ever writes:
//! - a record written as an array instead of an object (serde's derive reads it field by
//!   field) is not read;
//! - a field written twice is read with its last value (serde's derive refuses it);
//! - a number out of range (`1e400`) or a lone surrogate (`"\ud800"`) in a field nobody
//!   reads makes the record unreadable (serde's derive skips such a field unread), since
//!   the whole text is read into a `Value` first.
//!
//! `read_back_tests.rs` pins each of these.

use std::collections::BTreeMap;

use voices_shared::SortedMap;
use voices_shared::serde_json::{Map, Value};

/// A record's fields, each taken out as it is read.
pub struct Fields(Map<String, Value>);

impl Fields {
    /// The fields of a JSON object; anything else is not a record.
    pub fn of(value: Value) -> Option<Fields> {
        match value {
            Value::Object(map) => Some(Fields(map)),
            _ => None,
        }
    }

    /// A field that must be there and read.
    pub fn required<T>(&mut self, name: &str, read: impl FnOnce(Value) -> Option<T>) -> Option<T> {
        read(self.0.remove(name)?)
    }

    /// A field that may be missing (then its default), and must read if it is there.
    pub fn defaulted<T: Default>(
        &mut self,
        name: &str,
        read: impl FnOnce(Value) -> Option<T>,
    ) -> Option<T> {
        match self.0.remove(name) {
            None => Some(T::default()),
            Some(value) => read(value),
        }
    }

    /// A field that may be missing or `null` (then `None`), and must read otherwise.
    pub fn optional<T>(
        &mut self,
        name: &str,
        read: impl FnOnce(Value) -> Option<T>,
    ) -> Option<Option<T>> {
        match self.0.remove(name) {
            None | Some(Value::Null) => Some(None),
            Some(value) => read(value).map(Some),
        }
    }
}

pub fn text(value: Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text),
        _ => None,
    }
}

pub fn flag(value: Value) -> Option<bool> {
    value.as_bool()
}

/// A whole number that fits `T`: not negative, not written with a fraction or an exponent
/// (serde_json reads `1.0` as a float, which no integer field takes).
pub fn whole<T: TryFrom<u64>>(value: Value) -> Option<T> {
    T::try_from(value.as_u64()?).ok()
}

/// An object of anything, as it stands (a draft's answers).
pub fn object(value: Value) -> Option<BTreeMap<String, Value>> {
    let Value::Object(map) = value else {
        return None;
    };
    // One insert at a time rather than `collect`: `BTreeMap`'s `FromIterator` sorts, and
    // each type it sorts costs the wasm a sort of its own.
    let mut out = BTreeMap::new();
    for (key, value) in map {
        out.insert(key, value);
    }
    Some(out)
}

/// An object whose every value reads as `T`.
pub fn object_of<T>(value: Value, read: impl Fn(Value) -> Option<T>) -> Option<SortedMap<T>> {
    let Value::Object(map) = value else {
        return None;
    };
    let mut out = SortedMap::new();
    for (key, value) in map {
        out.insert(key, read(value)?);
    }
    Some(out)
}

/// An array whose every item reads as `T`.
pub fn list_of<T>(value: Value, read: impl Fn(Value) -> Option<T>) -> Option<Vec<T>> {
    match value {
        Value::Array(items) => items.into_iter().map(read).collect(),
        _ => None,
    }
}
