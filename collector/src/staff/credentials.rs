//! Secrets of staff: argon2id password hashes, and random tokens kept only as SHA-256 digests.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use sha2::{Digest, Sha256};

/// Shorter passwords are refused: length is what makes a password hard to guess.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// argon2id at OWASP's minimum: 19 MiB of memory, 2 passes, 1 lane.
fn hasher() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error("the password must be at least {MIN_PASSWORD_CHARS} characters long")]
    TooShort,
    #[error("the password could not be hashed: {0}")]
    Hash(String),
}

/// Hashes a new password, with a fresh salt, into a PHC string.
pub fn hash_password(password: &str) -> Result<String, PasswordError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(PasswordError::TooShort);
    }
    let salt = SaltString::generate(&mut OsRng);
    hasher()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| PasswordError::Hash(e.to_string()))
}

/// Whether `password` matches `stored` (a PHC string). The parameters stored
/// with the hash are used, so raising them later keeps old hashes working.
pub fn verify_password(stored: &str, password: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(hash) => hasher().verify_password(password.as_bytes(), &hash).is_ok(),
        Err(_) => false,
    }
}

/// Spends the time a real check would, so that a wrong user name cannot be
/// told from a wrong password by how long the answer takes.
pub fn verify_nobody(password: &str) {
    static NOBODY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let stored = NOBODY
        .get_or_init(|| hash_password("a password that belongs to nobody").unwrap_or_default());
    let _ = verify_password(stored, password);
}

/// 256 random bits, as 64 hex digits: session ids, CSRF tokens and bearer tokens.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    // The OS random source failing leaves nothing safe to do: refuse to go on.
    getrandom::fill(&mut bytes).expect("the operating system's random source failed");
    hex(&bytes)
}

/// SHA-256 of a secret, hex: what is stored or compared instead of the secret.
pub fn digest(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut out, b| {
            let _ = write!(out, "{b:02x}");
            out
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_verifies_only_itself() {
        let stored = hash_password("correct horse battery").unwrap();
        assert!(
            stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{stored}"
        );
        assert!(verify_password(&stored, "correct horse battery"));
        assert!(!verify_password(&stored, "correct horse batterY"));
        assert!(!verify_password("not a hash", "correct horse battery"));
        assert!(matches!(
            hash_password("short"),
            Err(PasswordError::TooShort)
        ));
    }

    #[test]
    fn secrets_are_random_and_digests_stable() {
        let (a, b) = (new_secret(), new_secret());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_eq!(digest("abc"), digest("abc"));
        assert_eq!(
            digest("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
