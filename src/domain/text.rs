//! Small text helpers shared by the domain parsers: digits only, accent folding, Unicode
//! normalisation (NFC) and the characters no form field may hold (control, format and invisible
//! ones, which let a name of nothing but Hangul fillers look like a name).

use unicode_normalization::UnicodeNormalization;

/// The text in Unicode NFC, so "e" + combining acute and "é" are the same letter.
pub(crate) fn nfc(s: &str) -> String {
    s.nfc().collect()
}

/// Control characters, format characters (Cf) and the default-ignorable code points of Unicode
/// (DerivedCoreProperties.txt: zero-width spaces and joiners, bidi controls, Hangul fillers,
/// variation selectors, tags…): nothing a visitor types in a form field on purpose.
pub(crate) fn is_hidden(c: char) -> bool {
    const RANGES: &[(u32, u32)] = &[
        (0x00AD, 0x00AD),   // soft hyphen
        (0x034F, 0x034F),   // combining grapheme joiner
        (0x0600, 0x0605),   // Arabic number signs (Cf)
        (0x061C, 0x061C),   // Arabic letter mark
        (0x06DD, 0x06DD),   // Arabic end of ayah (Cf)
        (0x070F, 0x070F),   // Syriac abbreviation mark (Cf)
        (0x0890, 0x0891),   // Arabic pound/piastre mark above (Cf)
        (0x08E2, 0x08E2),   // Arabic disputed end of ayah (Cf)
        (0x115F, 0x1160),   // Hangul choseong/jungseong fillers
        (0x17B4, 0x17B5),   // Khmer inherent vowels
        (0x180B, 0x180F),   // Mongolian free variation selectors, vowel separator
        (0x200B, 0x200F),   // zero-width space, joiners, LRM/RLM
        (0x202A, 0x202E),   // bidi embeddings and overrides
        (0x2060, 0x206F),   // word joiner, invisible operators, bidi isolates
        (0x3164, 0x3164),   // Hangul filler
        (0xFE00, 0xFE0F),   // variation selectors
        (0xFEFF, 0xFEFF),   // zero-width no-break space (BOM)
        (0xFFA0, 0xFFA0),   // halfwidth Hangul filler
        (0xFFF0, 0xFFFB),   // unassigned specials and interlinear annotation (Cf)
        (0x110BD, 0x110BD), // Kaithi number sign (Cf)
        (0x110CD, 0x110CD), // Kaithi number sign above (Cf)
        (0x13430, 0x1343F), // Egyptian hieroglyph format controls (Cf)
        (0x1BCA0, 0x1BCA3), // shorthand format controls
        (0x1D173, 0x1D17A), // musical symbol format controls
        (0xE0000, 0xE0FFF), // tags and variation selectors supplement
    ];
    let n = u32::from(c);
    c.is_control() || RANGES.iter().any(|(a, b)| (*a..=*b).contains(&n))
}

/// The ASCII digits of `s`, in order.
pub(crate) fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// Lower-case, accents removed, inner whitespace collapsed: the key used to match
/// enumerated answers ("Viúvo", "viuvo", " VIUVO " all fold to "viuvo").
pub(crate) fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.trim().chars().flat_map(char::to_lowercase) {
        let c = match c {
            'á' | 'à' | 'â' | 'ã' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ó' | 'ò' | 'ô' | 'õ' | 'ö' => 'o',
            'ú' | 'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            c if c.is_whitespace() => ' ',
            c => c,
        };
        if c == ' ' && (out.is_empty() || out.ends_with(' ')) {
            continue;
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_characters_are_told_apart_from_letters() {
        for c in ['\u{3164}', '\u{200B}', '\u{202E}', '\u{FEFF}', '\u{00AD}', '\u{0007}', '\u{E0041}', '\u{2066}'] {
            assert!(is_hidden(c), "{:X}", u32::from(c));
        }
        for c in ['a', 'Á', 'ç', ' ', '-', '\'', '\u{00A0}', '1'] {
            assert!(!is_hidden(c), "{c}");
        }
        assert_eq!(nfc("Jose\u{301}"), "José");
    }

    #[test]
    fn folds_accents_case_and_spaces() {
        assert_eq!(fold("  Casado ou  União Estável "), "casado ou uniao estavel");
        assert_eq!(digits("529.982.247-25"), "52998224725");
    }
}
