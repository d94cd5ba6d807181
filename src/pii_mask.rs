//! Masking personal data in text the robot produces (its stdout/stderr log, its snapshots):
//! the job's own CPF, name, e-mail, phone and birth date, plus anything shaped like a CPF, an
//! e-mail address, and in log lines a written-out phone number. A CPF becomes `***.***.***-25`,
//! a phone `****-4321`. Another person's name has no shape and is not caught.

use serde_json::Value;

/// The masks for one job.
#[derive(Debug, Clone, Default)]
pub struct Masker {
    literals: Vec<(String, String)>,
}

impl Masker {
    /// Builds the masks from the robot input as stored (JSON text); unreadable input masks only shapes.
    pub fn for_input_json(input_json: &str) -> Masker {
        Masker::for_input(&serde_json::from_str(input_json).unwrap_or_default())
    }

    /// Builds the masks from the robot input (contract §2).
    pub fn for_input(input: &Value) -> Masker {
        let s = |k: &str| input.get(k).and_then(Value::as_str).map(str::to_string).filter(|v| v.len() >= 2);
        let mut literals = Vec::new();
        for key in ["cpf", "cpf_condutor"] {
            if let Some(cpf) = s(key).filter(|c| c.len() == 11) {
                let masked = format!("***.***.***-{}", &cpf[9..]);
                literals.push((format!("{}.{}.{}-{}", &cpf[..3], &cpf[3..6], &cpf[6..9], &cpf[9..]), masked.clone()));
                literals.push((cpf, masked));
            }
        }
        for key in ["nome", "nome_condutor"] {
            if let Some(n) = s(key) {
                literals.push((n, "***".into()));
            }
        }
        if let Some(e) = s("email") {
            literals.push((e, "***@***".into()));
        }
        if let Some(t) = s("telefone") {
            literals.push((t, "***".into()));
        }
        for key in ["data_nascimento", "data_nascimento_condutor"] {
            if let Some(d) = s(key) {
                literals.push((d, "**/**/****".into()));
            }
        }
        literals.sort_by_key(|(needle, _)| std::cmp::Reverse(needle.len()));
        Masker { literals }
    }

    /// For a line of the robot's log: also any written-out phone number. Snapshots keep such
    /// shapes (a model year "2019-2020" is not a phone), their personal data comes from the input.
    pub fn mask_log_line(&self, text: &str) -> String {
        mask_phone_shapes(&self.mask(text))
    }

    pub fn mask(&self, text: &str) -> String {
        let mut out = text.to_string();
        for (needle, replacement) in &self.literals {
            out = replace_ignoring_case(&out, needle, replacement);
        }
        mask_emails(&mask_cpf_shapes(&out))
    }
}

/// Replaces every occurrence of `needle` regardless of letter case.
fn replace_ignoring_case(text: &str, needle: &str, replacement: &str) -> String {
    let (lower, needle) = (text.to_lowercase(), needle.to_lowercase());
    if lower.len() != text.len() {
        // Case folding changed byte offsets (rare scripts): exact matches only.
        return text.replace(needle.as_str(), replacement);
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (pos, _) in lower.match_indices(needle.as_str()) {
        if pos >= last && text.is_char_boundary(pos) && text.is_char_boundary(pos + needle.len()) {
            out.push_str(&text[last..pos]);
            out.push_str(replacement);
            last = pos + needle.len();
        }
    }
    out.push_str(&text[last..]);
    out
}

/// Copies `s`, replacing each shape `find` recognises: `find(bytes, i)` answers the length of a
/// match starting at byte `i` (always ASCII) and the text that replaces it.
fn replace_shapes(s: &str, find: impl Fn(&[u8], usize) -> Option<(usize, String)>) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < b.len() {
        if let Some((len, replacement)) = find(b, i) {
            out.push_str(&replacement);
            i += len;
        } else {
            let ch = s[i..].chars().next().unwrap_or(' ');
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    out
}

fn digit(b: &[u8], j: usize) -> bool {
    b.get(j).is_some_and(u8::is_ascii_digit)
}

/// `ddd.ddd.ddd-dd` and runs of exactly 11 digits → `***.***.***-dd`.
fn mask_cpf_shapes(s: &str) -> String {
    replace_shapes(s, |b, i| {
        // Part of a longer word (a session id, a hex string) is not a CPF.
        let word = |j: usize| b.get(j).is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_');
        if i > 0 && word(i - 1) {
            return None;
        }
        let formatted = (0..14).all(|k| match k {
            3 | 7 => b.get(i + k) == Some(&b'.'),
            11 => b.get(i + k) == Some(&b'-'),
            _ => digit(b, i + k),
        }) && !word(i + 14);
        let plain = (0..11).all(|k| digit(b, i + k)) && !word(i + 11);
        let len = match (formatted, plain) {
            (true, _) => 14,
            (_, true) => 11,
            _ => return None,
        };
        Some((len, format!("***.***.***-{}", String::from_utf8_lossy(&b[i + len - 2..i + len]))))
    })
}

/// A written-out phone number: `[(dd) ]dddd-dddd` or `[(dd) ]ddddd-dddd` → `[(dd) ]****-dddd`.
/// Only the hyphenated form: bare 10-digit runs are as often Unix timestamps.
fn mask_phone_shapes(s: &str) -> String {
    replace_shapes(s, |b, i| {
        let word = |j: usize| b.get(j).is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b'-');
        if i > 0 && (word(i - 1) || b[i - 1] == b'.') {
            return None;
        }
        let head = (0..).take_while(|k| digit(b, i + k)).count();
        let end = i + head + 5;
        let phone = (head == 4 || head == 5)
            && b.get(i + head) == Some(&b'-')
            && (1..=4).all(|k| digit(b, i + head + k))
            && !word(end)
            && !(b.get(end) == Some(&b'.') && digit(b, end + 1));
        phone.then(|| (head + 5, format!("****-{}", String::from_utf8_lossy(&b[i + head + 1..end]))))
    })
}

fn mask_emails(s: &str) -> String {
    if !s.contains('@') {
        return s.to_string();
    }
    let local = |c: char| c.is_ascii_alphanumeric() || "._%+-".contains(c);
    let domain = |c: char| c.is_ascii_alphanumeric() || ".-".contains(c);
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('@') {
        let before = &rest[..at];
        let start = before.rfind(|c: char| !local(c)).map_or(0, |p| p + before[p..].chars().next().map_or(1, char::len_utf8));
        let after = &rest[at + 1..];
        let end = after.find(|c: char| !domain(c)).unwrap_or(after.len());
        if start < at && after[..end].contains('.') {
            out.push_str(&before[..start]);
            out.push_str("***@***");
            rest = &after[end..];
        } else {
            out.push_str(&rest[..=at]);
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn masks_the_jobs_personal_data_and_any_cpf_or_email() {
        let m = Masker::for_input(&json!({"cpf": "52998224725", "nome": "FULANO DE TAL",
            "email": "fulano@example.com", "telefone": "11987654321"}));
        let line = "cpf=52998224725 (529.982.247-25) nome=Fulano de Tal FULANO DE TAL fulano@example.com 11987654321 outro 111.444.777-35 x@y.com.br";
        let masked = m.mask(line);
        for secret in ["52998224725", "529.982.247", "FULANO", "fulano@", "11987654321", "111.444.777", "x@y"] {
            assert!(!masked.contains(secret), "{secret} in {masked}");
        }
        assert!(masked.contains("***.***.***-25"));
        assert!(masked.contains("***.***.***-35"));
    }

    #[test]
    fn masks_anyones_written_out_phone_number() {
        let m = Masker::default();
        assert_eq!(m.mask_log_line("tel (11) 98765-4321, fixo 3333-4444."), "tel (11) ****-4321, fixo ****-4444.");
        assert_eq!(m.mask_log_line("celular 21 91234-5678"), "celular 21 ****-5678");
        assert_eq!(m.mask("GOL 1.0 2019-2020"), "GOL 1.0 2019-2020");
    }

    #[test]
    fn leaves_other_numbers_alone() {
        let m = Masker::default();
        let sid = "rpa_v4_20261124_222711_1094ce3ff5e9116924c74317065297c7 _12345678901";
        assert_eq!(m.mask(sid), sid);
        assert_eq!(m.mask("etapa 15 de 15, 1732486380123 ms, R$ 3.099,18"), "etapa 15 de 15, 1732486380123 ms, R$ 3.099,18");
        for kept in ["2026-11-24T22:13:00.123Z", "CEP 01310-100", "ids 1234-5678-90 abcd-1234", "v1.2345-6789.0"] {
            assert_eq!(m.mask_log_line(kept), kept);
        }
    }
}
