//! Masking personal data in text the robot produces: its stdout/stderr log ([`Masker::mask_log_line`])
//! and its snapshots, as JSON text ([`Masker::mask`]).
//!
//! The job's own data, in the shapes people and robots write it: the CPF with or without
//! separators (space, dot, hyphen) between its digit groups; the name in any letter case with any
//! whitespace (spaces, NBSP, tabs) between its words; the e-mail in any letter case; the phone's
//! digits with spaces, hyphens, dots or parentheses between them, with or without the DDD or the
//! country code 55; the birth date as DD/MM/AAAA and AAAA-MM-DD, with `/`, `-` or `.`.
//! Anyone's: a CPF written `ddd.ddd.ddd-dd` or as 11 bare digits, or with other separators
//! (spaces, a lone hyphen) when its check digits are valid, in the digits of any script
//! (`٥٢٩.٩٨٢.٢٤٧-٢٥`, `５２９…`); an e-mail address; and, in log lines
//! only, a written-out phone number. Whitespace also counts when written as an escape (`\t`,
//! `\u00a0`, `\xa0`), as JSON text and printed reprs show it. A CPF becomes `***.***.***-25`, a
//! phone `****-4321` (the job's own `***`). Another person's name has no shape and is not caught;
//! model years, prices, CEPs, timestamps and session ids stay as they are.

use crate::domain::cpf::Cpf;
use crate::domain::digits;
use serde_json::Value;
use std::fmt;

/// Separators allowed between the digit groups of the job's CPF, phone and birth date (besides
/// whitespace, which is always allowed).
const CPF_PUNCT: &[u8] = b".-";
const PHONE_PUNCT: &[u8] = b".-()";
const DATE_PUNCT: &[u8] = b"/-.";
/// At most this many separators between two digit groups of the job's own data ("(11) 9…").
const MAX_SEPARATORS: usize = 3;

/// One piece of the job's own data, as the shapes it may be written in.
#[derive(Clone)]
enum Needle {
    /// Digit groups, each exact, with up to [`MAX_SEPARATORS`] separators (whitespace or one of
    /// `punct`) between groups. `bounded`: not right after or before another digit (for short
    /// sequences that could sit inside a longer number).
    Digits { groups: Vec<String>, punct: &'static [u8], bounded: bool },
    /// Words in any letter case, with any whitespace between them.
    Words(Vec<Vec<char>>),
}

impl Needle {
    fn digits<S: Into<String>>(groups: impl IntoIterator<Item = S>, punct: &'static [u8], bounded: bool) -> Needle {
        Needle::Digits { groups: groups.into_iter().map(Into::into).collect(), punct, bounded }
    }

    /// One digit per group: separators may sit between any two digits (phones).
    fn each_digit(digits: &str, bounded: bool) -> Needle {
        Needle::digits(digits.chars().map(String::from), PHONE_PUNCT, bounded)
    }

    fn words(text: &str) -> Option<Needle> {
        let words: Vec<Vec<char>> = text.split_whitespace().map(|w| w.chars().collect()).collect();
        (!words.is_empty()).then_some(Needle::Words(words))
    }

    /// How many digits or letters it stands for: longer needles are replaced first.
    fn size(&self) -> usize {
        match self {
            Needle::Digits { groups, .. } => groups.iter().map(String::len).sum(),
            Needle::Words(words) => words.iter().map(Vec::len).sum::<usize>() + words.len(),
        }
    }

    /// The length in bytes of a match starting at byte `i` of `s` (a character boundary).
    fn find(&self, s: &str, i: usize) -> Option<usize> {
        let b = s.as_bytes();
        if i > 0 && b[i - 1] == b'\\' {
            return None; // never from inside an escape
        }
        let mut j = i;
        match self {
            Needle::Digits { groups, punct, bounded } => {
                if *bounded && i > 0 && b[i - 1].is_ascii_digit() {
                    return None;
                }
                for (k, group) in groups.iter().enumerate() {
                    if k > 0 {
                        j = skip_separators(s, j, punct, MAX_SEPARATORS);
                    }
                    if !b[j..].starts_with(group.as_bytes()) {
                        return None;
                    }
                    j += group.len();
                }
                if *bounded && digit(b, j) {
                    return None;
                }
            }
            Needle::Words(words) => {
                for (k, word) in words.iter().enumerate() {
                    if k > 0 {
                        let after = skip_separators(s, j, b"", usize::MAX);
                        if after == j {
                            return None;
                        }
                        j = after;
                    }
                    for &c in word {
                        let t = s[j..].chars().next()?;
                        if t != c && !t.to_lowercase().eq(c.to_lowercase()) {
                            return None;
                        }
                        j += t.len_utf8();
                    }
                }
            }
        }
        Some(j - i)
    }
}

/// The masks for one job.
#[derive(Clone, Default)]
pub struct Masker {
    own: Vec<(Needle, String)>,
}

/// Never shows the data it masks.
impl fmt::Debug for Masker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Masker({} padrões do cliente)", self.own.len())
    }
}

fn digits_of(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

impl Masker {
    /// Builds the masks from the robot input as stored (JSON text); unreadable input masks only shapes.
    pub fn for_input_json(input_json: &str) -> Masker {
        Masker::for_input(&serde_json::from_str(input_json).unwrap_or_default())
    }

    /// Builds the masks from the robot input (contract §2).
    pub fn for_input(input: &Value) -> Masker {
        let s = |k: &str| input.get(k).and_then(Value::as_str).map(str::trim).filter(|v| v.chars().count() >= 2);
        let mut own: Vec<(Needle, String)> = Vec::new();
        for key in ["cpf", "cpf_condutor"] {
            if let Some(cpf) = s(key).map(digits_of).filter(|c| c.len() == 11) {
                let masked = format!("***.***.***-{}", &cpf[9..]);
                own.push((Needle::digits([&cpf[..3], &cpf[3..6], &cpf[6..9], &cpf[9..]], CPF_PUNCT, false), masked));
            }
        }
        for key in ["nome", "nome_condutor"] {
            if let Some(n) = s(key).and_then(Needle::words) {
                own.push((n, "***".into()));
            }
        }
        if let Some(e) = s("email").and_then(Needle::words) {
            own.push((e, "***@***".into()));
        }
        if let Some(t) = s("telefone").map(digits_of) {
            let t = if t.len() >= 12 && t.starts_with("55") { t[2..].to_string() } else { t };
            if t.len() == 10 || t.len() == 11 {
                own.push((Needle::each_digit(&format!("55{t}"), false), "***".into()));
                own.push((Needle::each_digit(&t, false), "***".into()));
                own.push((Needle::each_digit(&t[2..], true), "***".into()));
            } else if t.len() >= 8 {
                own.push((Needle::each_digit(&t, true), "***".into()));
            }
        }
        for key in ["data_nascimento", "data_nascimento_condutor"] {
            let Some(d) = s(key) else { continue };
            let parts: Vec<&str> = d.split(|c: char| !c.is_ascii_digit()).filter(|p| !p.is_empty()).collect();
            if let [dia, mes, ano] = parts[..] {
                if (dia.len(), mes.len(), ano.len()) == (2, 2, 4) {
                    own.push((Needle::digits([dia, mes, ano], DATE_PUNCT, true), "**/**/****".into()));
                    own.push((Needle::digits([ano, mes, dia], DATE_PUNCT, true), "**/**/****".into()));
                    continue;
                }
            }
            if let Some(n) = Needle::words(d) {
                own.push((n, "**/**/****".into()));
            }
        }
        own.sort_by_key(|(needle, _)| std::cmp::Reverse(needle.size()));
        Masker { own }
    }

    /// For a line of the robot's log: also any written-out phone number. Snapshots keep such
    /// shapes (a model year "2019-2020" is not a phone), their personal data comes from the input.
    pub fn mask_log_line(&self, text: &str) -> String {
        mask_phone_shapes(&self.mask(text))
    }

    /// For snapshot text (JSON): the job's own data and anyone's CPF and e-mail.
    pub fn mask(&self, text: &str) -> String {
        let mut out = text.to_string();
        for (needle, replacement) in &self.own {
            out = replace_shapes(&out, |s, i| needle.find(s, i).map(|len| (len, replacement.clone())));
        }
        mask_emails(&mask_cpf_shapes(&out))
    }
}

/// Copies `s`, replacing each shape `find` recognises: `find(s, i)` answers the length in bytes
/// of a match starting at byte `i` (a character boundary) and the text that replaces it.
fn replace_shapes(s: &str, find: impl Fn(&str, usize) -> Option<(usize, String)>) -> String {
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if let Some((len, replacement)) = find(s, i).filter(|(len, _)| *len > 0) {
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

/// The length of one separator at byte `i`: a byte of `punct`, any whitespace character (NBSP,
/// tab…), or whitespace written as an escape.
fn separator(s: &str, i: usize, punct: &[u8]) -> Option<usize> {
    let rest = s.get(i..)?;
    let c = rest.chars().next()?;
    if (c.is_ascii() && punct.contains(&(c as u8))) || c.is_whitespace() {
        return Some(c.len_utf8());
    }
    escaped_whitespace(rest)
}

/// Skips at most `max` separators from byte `i`; answers where it stopped.
fn skip_separators(s: &str, mut i: usize, punct: &[u8], max: usize) -> usize {
    for _ in 0..max {
        match separator(s, i, punct) {
            Some(len) => i += len,
            None => break,
        }
    }
    i
}

/// The length of an escape at the start of `rest` that stands for whitespace: `\t`, `\n`, `\r`,
/// `\f` (JSON, Python), `\u00a0` and other `\uXXXX` (JSON), `\xa0` (Python's repr).
fn escaped_whitespace(rest: &str) -> Option<usize> {
    let b = rest.as_bytes();
    if b.first() != Some(&b'\\') {
        return None;
    }
    let hex_whitespace = |len: usize| {
        let h = rest.get(2..2 + len)?;
        let ok = h.bytes().all(|c| c.is_ascii_hexdigit())
            && u32::from_str_radix(h, 16).ok().and_then(char::from_u32).is_some_and(char::is_whitespace);
        ok.then_some(2 + len)
    };
    match b.get(1)? {
        b't' | b'n' | b'r' | b'f' => Some(2),
        b'u' => hex_whitespace(4),
        b'x' => hex_whitespace(2),
        _ => None,
    }
}

/// Whether the character before byte `i` continues a word (letter, digit of any script, `_`, or
/// one of `extra`) — not when it ends an escape that stands for whitespace (`…\n52998224725`).
fn word_before(s: &str, i: usize, extra: &[u8]) -> bool {
    let Some(&p) = i.checked_sub(1).and_then(|k| s.as_bytes().get(k)) else { return false };
    if !p.is_ascii() {
        return s[..i].chars().next_back().and_then(digits::ascii).is_some();
    }
    if !(p.is_ascii_alphanumeric() || p == b'_' || extra.contains(&p)) {
        return false;
    }
    let ends_escape = [2, 4, 6]
        .into_iter()
        .any(|n| i >= n && s.is_char_boundary(i - n) && escaped_whitespace(&s[i - n..i]) == Some(n));
    !ends_escape
}

fn word_at(b: &[u8], j: usize, extra: &[u8]) -> bool {
    b.get(j).is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_' || extra.contains(c))
}

/// [`word_at`], where a digit of any script also continues a word.
fn word_or_digit_at(s: &str, j: usize, extra: &[u8]) -> bool {
    word_at(s.as_bytes(), j, extra) || digits::at(s, j).is_some()
}

/// Anyone's CPF → `***.***.***-dd`: `ddd.ddd.ddd-dd` and runs of exactly 11 digits as they are;
/// the same digit groups with other separators (one space, NBSP, dot or hyphen per gap, as in
/// "529 982 247 25" or "529982247-25") only when the check digits are valid, so that timestamps
/// and other numbers stay. Digits of any script count (`٥٢٩٩٨٢٢٤٧٢٥`).
fn mask_cpf_shapes(s: &str) -> String {
    replace_shapes(s, |s, i| {
        // Part of a longer word (a session id, a hex string) is not a CPF.
        if digits::at(s, i).is_none() || word_before(s, i, b"") {
            return None;
        }
        let mut j = i;
        let mut gaps: Vec<&str> = Vec::with_capacity(3);
        let mut cpf = String::with_capacity(11);
        for (k, n) in [3, 3, 3, 2].into_iter().enumerate() {
            if k > 0 {
                let len = separator(s, j, b".-").unwrap_or(0);
                gaps.push(&s[j..j + len]);
                j += len;
            }
            for _ in 0..n {
                let (d, len) = digits::at(s, j)?;
                cpf.push(d);
                j += len;
            }
        }
        if word_or_digit_at(s, j, b"") {
            return None;
        }
        let formatted = gaps == [".", ".", "-"];
        let plain = gaps.iter().all(|g| g.is_empty());
        (formatted || plain || Cpf::parse(&cpf).is_ok()).then(|| (j - i, format!("***.***.***-{}", &cpf[9..])))
    })
}

/// A written-out phone number → `****-dddd`: `[(dd) ]dddd-dddd` or `[(dd) ]ddddd-dddd`, and a
/// mobile `9dddd dddd` (space, NBSP). Bare 10-digit runs are as often Unix timestamps.
fn mask_phone_shapes(s: &str) -> String {
    replace_shapes(s, |s, i| {
        let b = s.as_bytes();
        if !digit(b, i) || word_before(s, i, b"-") || (i > 0 && b[i - 1] == b'.') {
            return None;
        }
        let head = (0..).take_while(|k| digit(b, i + k)).count();
        let gap = if (head == 4 || head == 5) && b.get(i + head) == Some(&b'-') {
            1
        } else if head == 5 && b[i] == b'9' {
            separator(s, i + head, b"")?
        } else {
            return None;
        };
        let tail = i + head + gap;
        let end = tail + 4;
        let phone = (0..4).all(|k| digit(b, tail + k))
            && !word_at(b, end, b"-")
            && !(b.get(end) == Some(&b'.') && digit(b, end + 1));
        phone.then(|| (end - i, format!("****-{}", &s[tail..end])))
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
        let start =
            before.rfind(|c: char| !local(c)).map_or(0, |p| p + before[p..].chars().next().map_or(1, char::len_utf8));
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
        assert_eq!(
            m.mask("etapa 15 de 15, 1732486380123 ms, R$ 3.099,18"),
            "etapa 15 de 15, 1732486380123 ms, R$ 3.099,18"
        );
        for kept in ["2026-11-24T22:13:00.123Z", "CEP 01310-100", "ids 1234-5678-90 abcd-1234", "v1.2345-6789.0"] {
            assert_eq!(m.mask_log_line(kept), kept);
        }
    }

    fn fulano() -> Masker {
        Masker::for_input(&json!({"cpf": "52998224725", "nome": "FULANO DE TAL", "email": "fulano@example.com",
            "telefone": "11987654321", "data_nascimento": "15/03/1985",
            "nome_condutor": "BELTRANA SOUZA", "cpf_condutor": "11144477735", "data_nascimento_condutor": "01/02/1990"}))
    }

    #[test]
    fn masks_the_jobs_cpf_with_any_separators_between_its_groups() {
        let m = fulano();
        for shape in [
            "529 982 247 25",
            "529982247-25",
            "529.982.247-25",
            "529-982-247-25",
            "529.982 247-25",
            "529\u{a0}982\u{a0}247\u{a0}25",
            "529 . 982 . 247 - 25",
            "52998224725",
            "529\\u00a0982\\u00a0247\\u00a025",
            "111 444 777 35",
        ] {
            let masked = m.mask(&format!("cpf: {shape}."));
            assert!(masked == "cpf: ***.***.***-25." || masked == "cpf: ***.***.***-35.", "{shape} → {masked}");
        }
    }

    #[test]
    fn masks_the_jobs_name_with_any_whitespace_and_letter_case() {
        let m = fulano();
        for shape in [
            "FULANO\u{a0}DE TAL",
            "Fulano  de\ttal",
            "fulano\u{2003}De\u{a0}\u{a0}TAL",
            "FULANO\\u00a0DE\\tTAL",
            "'FULANO\\xa0DE TAL'",
            "fulano\nde tal",
            "Beltrana\u{a0}Souza",
        ] {
            let masked = m.mask(&format!("nome={shape};"));
            assert!(
                !masked.to_lowercase().contains("fulano") && !masked.to_lowercase().contains("beltrana"),
                "{shape} → {masked}"
            );
            assert!(
                masked.starts_with("nome=") && masked.ends_with(';') && masked.contains("***"),
                "{shape} → {masked}"
            );
        }
        assert_eq!(m.mask("FULANO DE TALES"), "***ES", "a longer word still hides the name");
        assert_eq!(m.mask("FULANO DA SILVA, de tal forma"), "FULANO DA SILVA, de tal forma", "only the whole name");
    }

    #[test]
    fn masks_the_jobs_phone_with_any_separators_with_or_without_55() {
        let m = fulano();
        for shape in [
            "11 98765 4321",
            "(11) 98765-4321",
            "+55 (11) 98765-4321",
            "5511987654321",
            "55 11 98765 4321",
            "11.98765.4321",
            "11-98765-4321",
            "(11)98765-4321",
            "98765 4321",
            "98765-4321",
            "987654321",
            "11\u{a0}98765\u{a0}4321",
        ] {
            let masked = m.mask(&format!("tel {shape}!"));
            let digits: String = masked.chars().filter(char::is_ascii_digit).collect();
            assert!(!digits.contains("4321") && !digits.contains("98765"), "{shape} → {masked}");
        }
        // Its last digits inside a longer number are not the phone.
        assert_eq!(m.mask("id 19876543210"), "id ***.***.***-10", "(an 11-digit run is a CPF shape)");
        assert_eq!(m.mask("t=1732987654321"), "t=1732987654321");
    }

    #[test]
    fn masks_the_jobs_birth_date_in_both_orders_and_separators() {
        let m = fulano();
        for shape in [
            "15/03/1985",
            "1985-03-15",
            "15-03-1985",
            "15.03.1985",
            "1985/03/15",
            "1985.03.15",
            "1985-03-15T00:00:00",
            "15031985",
            "19850315",
            "01/02/1990",
            "1990-02-01",
        ] {
            let masked = m.mask(&format!("nascimento: {shape}"));
            assert!(masked.starts_with("nascimento: **/**/****"), "{shape} → {masked}");
        }
        assert_eq!(m.mask("nascimento: 1985-03-15T00:00:00"), "nascimento: **/**/****T00:00:00");
        // Inside a longer number, or another date: left alone.
        for kept in ["1198503150", "2019850315", "1985-03-16", "16/03/1985"] {
            assert_eq!(m.mask(kept), kept);
        }
    }

    #[test]
    fn masks_the_jobs_email_in_any_case() {
        let m = fulano();
        assert_eq!(m.mask("FULANO@EXAMPLE.COM e Fulano@Example.com"), "***@*** e ***@***");
    }

    #[test]
    fn masks_anyones_cpf_with_spaces_or_a_lone_hyphen_when_its_check_digits_are_valid() {
        let m = Masker::default();
        for (shape, masked) in [
            ("529982247-25", "***.***.***-25"),
            ("529 982 247 25", "***.***.***-25"),
            ("111\u{a0}444\u{a0}777\u{a0}35", "***.***.***-35"),
            ("111.444.777 35", "***.***.***-35"),
            ("529-982-247-25", "***.***.***-25"),
        ] {
            assert_eq!(m.mask(&format!("cpf {shape}.")), format!("cpf {masked}."), "{shape}");
            assert_eq!(m.mask_log_line(&format!("[{shape}]")), format!("[{masked}]"), "{shape}");
        }
        // Escaped whitespace before a CPF is a boundary, not part of a word.
        assert_eq!(m.mask("a\\n52998224725 b\\u00a0529 982 247 25"), "a\\n***.***.***-25 b\\u00a0***.***.***-25");
        // The same shapes with wrong check digits are other numbers.
        for kept in ["529982247-24", "529 982 247 24", "123 456 789 00", "2026 112 422 13", "100000000-00"] {
            assert_eq!(m.mask(kept), kept);
            assert_eq!(m.mask_log_line(kept), kept);
        }
    }

    #[test]
    fn log_lines_also_mask_anyones_mobile_written_with_a_space() {
        let m = Masker::default();
        assert_eq!(m.mask_log_line("tel 21 91234 5678."), "tel 21 ****-5678.");
        assert_eq!(m.mask_log_line("tel (21)\u{a0}91234\u{a0}5678"), "tel (21)\u{a0}****-5678");
        assert_eq!(m.mask("tel 21 91234 5678."), "tel 21 91234 5678.", "snapshots keep shapes that are not a CPF");
        for kept in ["etapa 12345 6789", "pid 91234 56789", "v91234 5678"] {
            assert_eq!(m.mask_log_line(kept), kept);
        }
    }

    #[test]
    fn snapshots_keep_model_years_prices_ceps_and_timestamps_even_with_the_jobs_data() {
        let m = fulano();
        let text = r#"{"modelo":"GOL 1.0 2019-2020","valor":"R$ 3.099,18","cep":"01310-100","ts":"2026-11-24T22:13:00.123Z","n":1732486380123,"session_id":"rpa_v4_20261124_222711_1094ce3ff5e9116924c74317065297c7","etapa":15,"fipe":"R$ 15.031.985,00","premio":"R$ 529.982.247,25"}"#;
        assert_eq!(m.mask(text), text);
        // (A log line's "2019-2020" reads as a phone number: the log path is the stricter one.)
        let line = "GOL 1.0 R$ 3.099,18 CEP 01310-100 2026-11-24T22:13:00.123Z 1732486380123";
        assert_eq!(m.mask_log_line(line), line);
    }

    #[test]
    fn masking_json_text_keeps_it_json() {
        let m = fulano();
        let snapshot = json!({"mensagem": "FULANO\u{a0}DE TAL 529 982 247 25 11 98765 4321 1985-03-15",
            "nome": "fulano\tde\ttal", "x": {"cpf": "529982247-25", "tel": "+55 (11) 98765-4321", "e": "Fulano@Example.com"}});
        let masked: Value = serde_json::from_str(&m.mask(&snapshot.to_string())).expect("still JSON");
        assert_eq!(
            masked,
            json!({"mensagem": "*** ***.***.***-25 *** **/**/****", "nome": "***",
            "x": {"cpf": "***.***.***-25", "tel": "+***", "e": "***@***"}})
        );
    }

    #[test]
    fn masks_anyones_cpf_written_in_the_digits_of_any_script() {
        let m = Masker::default();
        for cpf in [
            "٥٢٩٩٨٢٢٤٧٢٥",
            "۵۲۹.۹۸۲.۲۴۷-۲۵",
            "５２９.９８２.２４７-２５",
            "५२९ ९८२ २४७ २५",
            "529٩٨٢٢٤٧٢٥",
            "𝟓𝟐𝟗𝟗𝟖𝟐𝟐𝟒𝟕𝟐𝟓",
        ] {
            let text = format!(r#"{{"utm_source":"cpf {cpf} via anúncio"}}"#);
            assert_eq!(m.mask(&text), r#"{"utm_source":"cpf ***.***.***-25 via anúncio"}"#, "{cpf}");
        }
        // Other numbers in any script stay: too long, part of a longer run, or spaced with check
        // digits that do not hold.
        for kept in ["٥٢٩٩٨٢٢٤٧٢٥١", "a٥٢٩٩٨٢٢٤٧٢٥", "٥٢٩٩٨٢٢٤٧٢٥٥", "١٢٣ ٤٥٦ ٧٨٩ ٠٠"]
        {
            assert_eq!(m.mask(kept), kept);
        }
    }

    #[test]
    fn debug_never_shows_the_data() {
        let shown = format!("{:?}", fulano());
        assert!(!shown.contains("529") && !shown.to_lowercase().contains("fulano"), "{shown}");
    }
}
