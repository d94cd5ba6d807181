//! `ResumeToken`: the proof that a repeated submit comes from the visitor who started the quote.
//! The first answer hands it out (32 hex characters, 128 random bits); only its SHA-256 is stored.
//! A repeated submit of the same CPF and plate gets the running quote's session back only with
//! the token, so two semi-public values (a CPF and a plate) are not enough to read someone
//! else's quote.

use sha2::{Digest, Sha256};

#[derive(Clone, PartialEq, Eq)]
pub struct ResumeToken(String);

impl ResumeToken {
    /// A new token with 128 random bits from the kernel.
    pub fn generate() -> ResumeToken {
        let mut bytes = [0u8; 16];
        if getrandom::fill(&mut bytes).is_err() {
            bytes = *uuid::Uuid::new_v4().as_bytes();
        }
        ResumeToken(bytes.iter().map(|b| format!("{b:02x}")).collect())
    }

    /// Accepts only the exact shape [`ResumeToken::generate`] makes.
    pub fn parse(s: &str) -> Option<ResumeToken> {
        (s.len() == 32 && s.bytes().all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c)))
            .then(|| ResumeToken(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What the database keeps: the SHA-256 of the token, in hex.
    pub fn hash(&self) -> String {
        Sha256::digest(self.0.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
    }
}

impl std::fmt::Debug for ResumeToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ResumeToken(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_tokens_parse_differ_and_hash_stably() {
        let (a, b) = (ResumeToken::generate(), ResumeToken::generate());
        assert_ne!(a, b);
        assert_eq!(ResumeToken::parse(a.as_str()), Some(a.clone()));
        assert_eq!(a.hash(), ResumeToken::parse(a.as_str()).unwrap().hash());
        assert_eq!(a.hash().len(), 64);
        assert_ne!(a.hash(), a.as_str());
        for bad in ["", "XYZ", &"A".repeat(32), &"0".repeat(31), &"0".repeat(33)] {
            assert_eq!(ResumeToken::parse(bad), None, "{bad}");
        }
    }
}
