//! Signing a webhook body with HMAC-SHA256 (RustCrypto `hmac` + `sha2`):
//! - Standard Webhooks (standardwebhooks.com): `webhook-signature: v1,<base64>` over
//!   `{webhook-id}.{webhook-timestamp}.{body}`, the timestamp in Unix seconds, the key being the
//!   bytes of the `whsec_` secret;
//! - Webflow form webhooks: `X-Webflow-Signature: <hex>` over `{X-Webflow-Timestamp}:{body}`,
//!   the timestamp in Unix milliseconds, the key being the secret's text.

use base64::Engine;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

fn hmac_sha256(key: &[u8], parts: &[&[u8]]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC accepts keys of any length");
    for p in parts {
        mac.update(p);
    }
    mac.finalize().into_bytes().to_vec()
}

/// The `webhook-signature` header value.
pub fn standard(key: &[u8], webhook_id: &str, timestamp_s: i64, body: &[u8]) -> String {
    let ts = timestamp_s.to_string();
    let mac = hmac_sha256(key, &[webhook_id.as_bytes(), b".", ts.as_bytes(), b".", body]);
    format!("v1,{}", base64::engine::general_purpose::STANDARD.encode(mac))
}

/// The `X-Webflow-Signature` header value.
pub fn webflow(key: &[u8], timestamp_ms: i64, body: &[u8]) -> String {
    let ts = timestamp_ms.to_string();
    hmac_sha256(key, &[ts.as_bytes(), b":", body]).iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    // The example of the Standard Webhooks specification's reference libraries.
    #[test]
    fn standard_matches_the_specification_example() {
        let key = base64::engine::general_purpose::STANDARD.decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        let sig = standard(&key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, br#"{"test": 2432232314}"#);
        assert_eq!(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    #[test]
    fn webflow_is_lowercase_hex_over_timestamp_colon_body() {
        let sig = webflow(b"0123456789abcdef", 1663849649733, br#"{"a":1}"#);
        assert_eq!(sig.len(), 64);
        assert!(sig.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        assert_ne!(sig, webflow(b"0123456789abcdef", 1663849649734, br#"{"a":1}"#));
        assert_ne!(sig, webflow(b"0123456789abcdef", 1663849649733, br#"{"a":2}"#));
    }
}
