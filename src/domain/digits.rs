//! Decimal digits of every script: `٥٢٩`, `५२९` and `５２９` are 529 as much as `529` is. Unicode
//! gives every script's digits 0 to 9 as a run of ten code points in order, so a digit's value is
//! its distance from the zero of its run ([`ZEROS`], Unicode 17).

/// The zero of every run of decimal digits (general category Nd).
const ZEROS: [u32; 77] = [
    0x0030, 0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6, 0x0D66, 0x0DE6,
    0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40,
    0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10, 0x104A0, 0x10D30, 0x10D40, 0x11066,
    0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0, 0x11650, 0x116C0, 0x116D0, 0x116DA, 0x11730, 0x118E0,
    0x11950, 0x11BF0, 0x11C50, 0x11D50, 0x11DA0, 0x11DE0, 0x11F50, 0x16130, 0x16A60, 0x16AC0, 0x16B50, 0x16D70,
    0x1CCF0, 0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E4F0, 0x1E5F1, 0x1E950, 0x1FBF0,
];

/// The ASCII digit `c` stands for, if it is a decimal digit of any script.
pub fn ascii(c: char) -> Option<char> {
    let c = u32::from(c);
    let zero = ZEROS.partition_point(|z| *z <= c).checked_sub(1).map(|i| ZEROS[i])?;
    let value = c - zero;
    (value < 10).then(|| char::from(b'0' + value as u8))
}

/// The decimal digit at byte `i` of `s` (a character boundary), as ASCII, and its length in bytes.
pub fn at(s: &str, i: usize) -> Option<(char, usize)> {
    let c = s.get(i..)?.chars().next()?;
    ascii(c).map(|d| (d, c.len_utf8()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_of_any_script_and_nothing_else() {
        let as_ascii = |s: &str| s.chars().map(|c| ascii(c).unwrap_or('_')).collect::<String>();
        assert_eq!(as_ascii("0123456789"), "0123456789");
        assert_eq!(as_ascii("٥٢٩٩٨٢٢٤٧٢٥"), "52998224725", "Arabic-Indic");
        assert_eq!(as_ascii("۵۲۹"), "529", "Persian");
        assert_eq!(as_ascii("५२९"), "529", "Devanagari");
        assert_eq!(as_ascii("５２９"), "529", "fullwidth");
        assert_eq!(as_ascii("𝟓𝟐𝟗"), "529", "mathematical bold");
        assert_eq!(as_ascii("a¹²①Ⅻ/:"), "_______", "letters, superscripts, circled and Roman numerals are not");
        assert_eq!(at("x٥", 1), Some(('5', 2)));
    }

    #[test]
    fn the_zeros_are_in_order_and_each_run_is_ten_apart() {
        assert!(ZEROS.windows(2).all(|w| w[1] - w[0] >= 10));
        assert!(ZEROS.iter().all(|z| char::from_u32(*z).is_some_and(char::is_numeric)));
    }
}
