//! Responses sealed on a collecting device: the tablet at a lunch club keeps the answers it
//! has not sent yet encrypted to its credential's public key, so the next person to pick it
//! up cannot read them, and only the collector, which holds the private key, can open them.
//!
//! The scheme is what the browser's WebCrypto offers everywhere (`collect.js` seals): an
//! ephemeral ECDH key pair on P-256, its shared secret with the credential's key stretched
//! by HKDF-SHA-256 into an AES-256-GCM key, and the submission id as the associated data,
//! so a sealed body cannot be replayed under another id.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64ct::{Base64, Encoding};
use hkdf::Hkdf;
use p256::elliptic_curve::sec1::ToEncodedPoint;
use p256::{PublicKey, SecretKey};
use serde::Deserialize;
use sha2::Sha256;

/// What HKDF is told the key is for: a key derived for anything else differs.
const INFO: &[u8] = b"voices collect v1";

/// A sealed response as the device sends it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Envelope {
    /// The credential whose public key sealed it (perhaps an earlier one of this device's).
    pub credential: String,
    pub submission_id: String,
    /// The device's ephemeral public key: an uncompressed SEC1 point, base64.
    pub key: String,
    /// AES-GCM's 12-byte nonce, base64.
    pub nonce: String,
    /// The submission's JSON, encrypted, with its tag, base64.
    pub data: String,
}

/// Why a sealed response could not be opened; each names the part that was wrong.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SealError {
    #[error("the sealed response's {0} is not base64")]
    NotBase64(&'static str),
    #[error("the sealed response's key is not a P-256 public key")]
    BadKey,
    #[error("the sealed response's nonce must be 12 bytes")]
    BadNonce,
    #[error(
        "the sealed response does not open with its credential's key: it was changed, or sealed for another submission id"
    )]
    DoesNotOpen,
    #[error("the collection credential's private key is damaged in the store")]
    BadPrivateKey,
}

/// A new key pair: the private key (hex, kept in the store) and the public key (base64 of
/// an uncompressed point, given to the device).
pub fn new_key_pair() -> (String, String) {
    let secret = loop {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).expect("the operating system's random source works");
        // Nearly every 32 bytes is a valid scalar; the rest (zero, or past the order) are
        // drawn again.
        if let Ok(secret) = SecretKey::from_slice(&bytes) {
            break secret;
        }
    };
    let private = crate::staff::credentials::hex(&secret.to_bytes());
    let public = public_of(&secret);
    (private, public)
}

/// The public key (base64) of a private key kept as hex.
pub fn public_key(private_hex: &str) -> Result<String, SealError> {
    Ok(public_of(&secret_of(private_hex)?))
}

fn public_of(secret: &SecretKey) -> String {
    Base64::encode_string(secret.public_key().to_encoded_point(false).as_bytes())
}

fn secret_of(private_hex: &str) -> Result<SecretKey, SealError> {
    let bytes = unhex(private_hex).ok_or(SealError::BadPrivateKey)?;
    SecretKey::from_slice(&bytes).map_err(|_| SealError::BadPrivateKey)
}

/// Opens `envelope` with the private key of the credential that sealed it: the
/// submission's JSON.
pub fn open(private_hex: &str, envelope: &Envelope) -> Result<Vec<u8>, SealError> {
    let secret = secret_of(private_hex)?;
    let theirs = Base64::decode_vec(&envelope.key).map_err(|_| SealError::NotBase64("key"))?;
    let theirs = PublicKey::from_sec1_bytes(&theirs).map_err(|_| SealError::BadKey)?;
    let nonce = Base64::decode_vec(&envelope.nonce).map_err(|_| SealError::NotBase64("nonce"))?;
    if nonce.len() != 12 {
        return Err(SealError::BadNonce);
    }
    let data = Base64::decode_vec(&envelope.data).map_err(|_| SealError::NotBase64("data"))?;
    let shared = p256::ecdh::diffie_hellman(secret.to_nonzero_scalar(), theirs.as_affine());
    let mut key = [0u8; 32];
    Hkdf::<Sha256>::new(Some(&[]), shared.raw_secret_bytes())
        .expand(INFO, &mut key)
        .map_err(|_| SealError::DoesNotOpen)?;
    let cipher = Aes256Gcm::new(&key.into());
    cipher
        .decrypt(
            Nonce::from_slice(&nonce),
            Payload {
                msg: &data,
                aad: envelope.submission_id.as_bytes(),
            },
        )
        .map_err(|_| SealError::DoesNotOpen)
}

/// Seals `plain` for the holder of `public` (base64), as `collect.js` does in the browser.
/// The collector never seals; tests do, to send what a device would.
pub fn seal(public: &str, credential: &str, submission_id: &str, plain: &[u8]) -> String {
    let (ephemeral_hex, ephemeral_public) = new_key_pair();
    let ephemeral = secret_of(&ephemeral_hex).expect("a key just made");
    let theirs = PublicKey::from_sec1_bytes(&Base64::decode_vec(public).expect("base64"))
        .expect("a P-256 key");
    let shared = p256::ecdh::diffie_hellman(ephemeral.to_nonzero_scalar(), theirs.as_affine());
    let mut key = [0u8; 32];
    Hkdf::<Sha256>::new(Some(&[]), shared.raw_secret_bytes())
        .expand(INFO, &mut key)
        .expect("32 bytes is a valid length");
    let mut nonce = [0u8; 12];
    getrandom::fill(&mut nonce).expect("the operating system's random source works");
    let data = Aes256Gcm::new(&key.into())
        .encrypt(
            Nonce::from_slice(&nonce),
            Payload {
                msg: plain,
                aad: submission_id.as_bytes(),
            },
        )
        .expect("AES-GCM seals any length this small");
    serde_json::json!({
        "credential": credential,
        "submission_id": submission_id,
        "key": ephemeral_public,
        "nonce": Base64::encode_string(&nonce),
        "data": Base64::encode_string(&data),
    })
    .to_string()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.is_ascii() {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn envelope(text: &str) -> Envelope {
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn what_is_sealed_for_a_key_opens_with_it_alone() {
        let (private, public) = new_key_pair();
        let sealed = seal(&public, "c1", "id-1", b"{\"answers\":{}}");
        assert_eq!(
            open(&private, &envelope(&sealed)).unwrap(),
            b"{\"answers\":{}}"
        );
        let (other, _) = new_key_pair();
        assert_eq!(
            open(&other, &envelope(&sealed)),
            Err(SealError::DoesNotOpen)
        );
    }

    #[test]
    fn a_sealed_body_moved_to_another_submission_id_does_not_open() {
        let (private, public) = new_key_pair();
        let sealed = seal(&public, "c1", "id-1", b"answers");
        let mut moved = envelope(&sealed);
        moved.submission_id = "id-2".into();
        assert_eq!(open(&private, &moved), Err(SealError::DoesNotOpen));
    }

    #[test]
    fn damaged_parts_are_named() {
        let (private, public) = new_key_pair();
        let mut bad = envelope(&seal(&public, "c1", "id", b"x"));
        bad.nonce = "AAAA".into();
        assert_eq!(open(&private, &bad), Err(SealError::BadNonce));
        bad.key = "not base64!".into();
        assert_eq!(open(&private, &bad), Err(SealError::NotBase64("key")));
        assert_eq!(public_key("zz"), Err(SealError::BadPrivateKey));
        assert_eq!(public_key(&private).unwrap(), public);
    }
}
