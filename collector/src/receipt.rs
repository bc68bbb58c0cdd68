//! Receipts: short, unguessable codes a respondent can read out over the phone (`K7QF-2MXD`).

use std::fmt;

use hmac::{Hmac, Mac};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::Sha256;
use uuid::Uuid;

/// Letters and digits that cannot be mistaken for one another when read
/// aloud or written by hand: no 0/O, 1/I/L, 5/S, 2/Z, U/V.
const ALPHABET: &[u8; 25] = b"346789ABCDEFGHJKMNPQRTWXY";

/// Eight characters from a 25-symbol alphabet: about 37 bits, drawn from the
/// operating system's random source ([`Receipt::generate`]) or derived from a submission
/// under a secret ([`Receipt::derived`]).
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

    /// A receipt derived from a survey and a submission id, keyed with `secret`
    /// (HMAC-SHA-256): the same for the same three, and as hard to guess as one drawn at
    /// random for whoever lacks the secret, however the submission id was chosen. The sled
    /// store offers it first ([`crate::store::Store::first_receipt`]), so that it finds a
    /// response by its submission through its receipt and keeps no second index of every
    /// response. It tells little the submission id does not: a retry with the same
    /// submission id and answers is answered with the receipt anyway.
    pub fn derived(secret: &[u8], survey_id: &str, submission_id: Uuid) -> Receipt {
        let mut text = String::with_capacity(9);
        // 32 bytes give 8 usable ones but once in about 10^40; another round then.
        for round in 0u32.. {
            // HMAC takes a key of any length.
            let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key");
            mac.update(survey_id.as_bytes());
            mac.update(&[0]);
            mac.update(submission_id.as_bytes());
            mac.update(&round.to_be_bytes());
            let digest = mac.finalize().into_bytes();
            // As in `generate`: only bytes below 250 (10 × 25), so each symbol is as likely.
            for byte in digest.into_iter().filter(|b| *b < 250) {
                if text.len() == 4 {
                    text.push('-');
                }
                text.push(ALPHABET[usize::from(byte % 25)] as char);
                if text.len() == 9 {
                    return Receipt(text);
                }
            }
        }
        unreachable!("a round of SHA-256 gives a symbol with all but negligible certainty")
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
    fn derived_receipts_are_receipts_fixed_by_their_secret_and_submission() {
        let submission = Uuid::from_u128(0x0123_4567_89ab_cdef_0123_4567_89ab_cdef);
        let receipt = Receipt::derived(b"secret", "engagement-2026", submission);
        assert_eq!(Receipt::parse(receipt.as_str()), Some(receipt.clone()));
        assert_eq!(
            Receipt::derived(b"secret", "engagement-2026", submission),
            receipt,
            "the same secret and submission give the same receipt"
        );
        for (secret, survey, submission) in [
            (&b"another"[..], "engagement-2026", submission),
            (b"secret", "help-at-home", submission),
            (b"secret", "engagement-2026", Uuid::from_u128(1)),
        ] {
            assert_ne!(Receipt::derived(secret, survey, submission), receipt);
        }
    }

    #[test]
    fn derived_receipts_use_every_symbol_alike() {
        let mut seen = [0u32; 25];
        for n in 0..40_000u128 {
            let receipt = Receipt::derived(b"secret", "s", Uuid::from_u128(n));
            for symbol in receipt.as_str().bytes().filter(|b| *b != b'-') {
                seen[ALPHABET.iter().position(|a| *a == symbol).unwrap()] += 1;
            }
        }
        // 320,000 symbols: 12,800 expected of each, give or take 5 standard deviations
        // (555). Taking every byte modulo 25 would give six symbols 10 % more (14,080).
        assert!(
            seen.iter().all(|n| (12_245..=13_355).contains(n)),
            "{seen:?}"
        );
    }

    #[test]
    fn rejects_confusable_characters() {
        assert_eq!(Receipt::parse("K7QF-2MXD"), None, "2 is excluded");
        assert_eq!(Receipt::parse("K7QF-OMXD"), None);
        assert!(Receipt::parse("K7QF-3MXD").is_some());
        assert_eq!(Receipt::parse("K7QF-3MX"), None);
    }
}
