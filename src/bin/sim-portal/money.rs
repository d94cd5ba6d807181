//! Brazilian money formatting ("3.099,18") for the amounts the portal shows.

/// Formats whole reais with thousands dots: 1200 → "1.200".
pub fn reais(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('.');
        }
        out.push(ch);
    }
    out
}

/// Formats centavos without the currency sign: 309918 → "3.099,18".
pub fn format_centavos(value: u64) -> String {
    format!("{},{:02}", reais(value / 100), value % 100)
}

/// Formats centavos as the portal prints a money line: "R$ 3.099,18" (normal space).
pub fn brl(value: u64) -> String {
    format!("R$ {}", format_centavos(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(reais(0), "0");
        assert_eq!(reais(900), "900");
        assert_eq!(reais(1200), "1.200");
        assert_eq!(reais(1234567), "1.234.567");
        assert_eq!(format_centavos(309918), "3.099,18");
        assert_eq!(format_centavos(5), "0,05");
        assert_eq!(brl(5000000), "R$ 50.000,00");
    }
}
