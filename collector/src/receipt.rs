//! Receipts: short, unguessable codes a respondent can read out over the phone (`K7QF-2MXD`).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Letters and digits that cannot be mistaken for one another when read
/// aloud or written by hand: no 0/O, 1/I/L, 5/S, 2/Z, U/V.
const ALPHABET: &[u8; 25] = b"346789ABCDEFGHJKMNPQRTWXY";

/// Eight characters from a 25-symbol alphabet: about 37 bits, drawn from the
/// operating system's random source.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Receipt(String);

impl Receipt {
    pub fn generate() -> Receipt {
        let mut bytes = [0u8; 8];
        getrandom::fill(&mut bytes).expect("the operating system's random source is available");
        let mut text = String::with_capacity(9);
        for (i, byte) in bytes.iter().enumerate() {
            if i == 4 {
                text.push('-');
            }
            // 250 is the largest multiple of 25 below 256; the bias of the
            // remaining 6 values is negligible for a receipt, but avoid it anyway.
            let mut b = *byte;
            while b >= 250 {
                let mut again = [0u8; 1];
                getrandom::fill(&mut again)
                    .expect("the operating system's random source is available");
                b = again[0];
            }
            text.push(ALPHABET[usize::from(b % 25)] as char);
        }
        Receipt(text)
    }

    /// Reads a receipt as a person might type it: any case, with or without the dash.
    pub fn parse(text: &str) -> Option<Receipt> {
        let compact: String = text
            .chars()
            .filter(|c| !matches!(c, '-' | ' '))
            .map(|c| c.to_ascii_uppercase())
            .collect();
        if compact.len() != 8 || !compact.bytes().all(|b| ALPHABET.contains(&b)) {
            return None;
        }
        Some(Receipt(format!("{}-{}", &compact[..4], &compact[4..])))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Receipt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Receipt {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Receipt {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Receipt::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("\"{text}\" is not a receipt")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn receipts_are_readable_and_parse_back() {
        for _ in 0..1000 {
            let receipt = Receipt::generate();
            assert_eq!(receipt.as_str().len(), 9);
            assert_eq!(&receipt.as_str()[4..5], "-");
            assert_eq!(Receipt::parse(receipt.as_str()), Some(receipt.clone()));
            assert_eq!(
                Receipt::parse(&receipt.as_str().to_lowercase().replace('-', "")),
                Some(receipt)
            );
        }
    }

    #[test]
    fn receipts_differ() {
        let receipts: std::collections::BTreeSet<_> =
            (0..10_000).map(|_| Receipt::generate()).collect();
        assert_eq!(receipts.len(), 10_000);
    }

    #[test]
    fn rejects_confusable_characters() {
        assert_eq!(Receipt::parse("K7QF-2MXD"), None, "2 is excluded");
        assert_eq!(Receipt::parse("K7QF-OMXD"), None);
        assert!(Receipt::parse("K7QF-3MXD").is_some());
        assert_eq!(Receipt::parse("K7QF-3MX"), None);
    }
}
