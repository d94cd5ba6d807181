//! The deterministic "database" behind the portal: which vehicle a plate is, and which path and
//! outcome a quote takes. Everything is a pure function of the normalised plate (and, for the
//! CPF-mismatch modal, of the CPF), so tests can assert exact values. portal/README.md documents
//! the same rules in a table.

use serde::Serialize;

/// Kind of vehicle chosen on screen 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Tipo {
    Carro,
    Moto,
}

impl Tipo {
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "carro" | "" => Some(Tipo::Carro),
            "moto" => Some(Tipo::Moto),
            _ => None,
        }
    }
}

/// How a quote ends after the calculation countdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Sucesso,
    CotacaoManual,
}

/// What the plate lookup answers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Vehicle {
    pub placa: String,
    pub placa_formatada: String,
    pub tipo: Tipo,
    pub marca: String,
    pub modelo: String,
    pub ano_fabricacao: u32,
    pub ano_modelo: u32,
    /// The conditional Zero KM screen appears after the estimate.
    pub perguntar_zero_km: bool,
    /// The conditional previous-broker screen (14) appears after screen 13.
    pub corretor_anterior: bool,
}

/// Why a plate has no vehicle.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PlateError {
    #[error("Placa inválida. Use o formato ABC-1D34 ou ABC-1234.")]
    Invalid,
    #[error("Placa não encontrada. Verifique a placa informada.")]
    NotFound,
}

/// CPFs whose broker account is a different person: the CPF-mismatch modal appears after login.
pub const CPF_DIVERGENTE: [&str; 1] = ["11144477735"];

const CARS: [(&str, &str); 10] = [
    ("NISSAN", "KICKS"),
    ("CHEVROLET", "ONIX"),
    ("FIAT", "ARGO"),
    ("VOLKSWAGEN", "GOL"),
    ("HYUNDAI", "HB20"),
    ("TOYOTA", "COROLLA"),
    ("HONDA", "CIVIC"),
    ("RENAULT", "KWID"),
    ("JEEP", "RENEGADE"),
    ("FORD", "KA"),
];

const MOTOS: [(&str, &str); 4] =
    [("HONDA", "CG 160"), ("YAMAHA", "FAZER 250"), ("HONDA", "BIZ 125"), ("YAMAHA", "FACTOR 150")];

/// Upper-cases and strips everything but letters and digits; checks the old (ABC1234) or the
/// Mercosul (ABC1D23) format.
pub fn normalize_plate(raw: &str) -> Result<String, PlateError> {
    let p: String = raw.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_uppercase();
    let b = p.as_bytes();
    let ok = b.len() == 7
        && b[..3].iter().all(u8::is_ascii_uppercase)
        && b[3].is_ascii_digit()
        && b[4].is_ascii_alphanumeric()
        && b[5..].iter().all(u8::is_ascii_digit);
    if ok {
        Ok(p)
    } else {
        Err(PlateError::Invalid)
    }
}

/// The portal's display mask: ABC1D23 → ABC-1D23.
pub fn mask_plate(plate: &str) -> String {
    format!("{}-{}", &plate[..3], &plate[3..])
}

/// FNV-1a, 64 bits: the seed of every derived value.
pub fn seed(text: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Bits `shift..` of the seed, reduced modulo `m`.
pub fn pick(h: u64, shift: u32, m: u64) -> u64 {
    (h >> shift) % m
}

/// Looks a plate up. Prefix rules: `ZZZ` unknown; `COR` previous-broker screen; explicit plates
/// in [`fixed_vehicle`]; otherwise derived from the seed.
pub fn vehicle(raw_plate: &str, tipo: Tipo) -> Result<Vehicle, PlateError> {
    let placa = normalize_plate(raw_plate)?;
    if placa.starts_with("ZZZ") {
        return Err(PlateError::NotFound);
    }
    let h = seed(&placa);
    let (marca, modelo) = match tipo {
        Tipo::Carro => CARS[pick(h, 0, CARS.len() as u64) as usize],
        Tipo::Moto => MOTOS[pick(h, 0, MOTOS.len() as u64) as usize],
    };
    let ano_fabricacao = 2008 + pick(h, 4, 17) as u32;
    let ano_modelo = ano_fabricacao + pick(h, 9, 2) as u32;
    let mut v = Vehicle {
        placa_formatada: mask_plate(&placa),
        tipo,
        marca: marca.to_string(),
        modelo: modelo.to_string(),
        ano_fabricacao,
        ano_modelo,
        // The real portal showed the Zero KM question in 12 of 13 observed runs.
        perguntar_zero_km: pick(h, 11, 8) != 0,
        corretor_anterior: placa.starts_with("COR"),
        placa,
    };
    fixed_vehicle(&mut v);
    Ok(v)
}

/// The documented plates with hand-picked vehicles and paths (portal/README.md).
fn fixed_vehicle(v: &mut Vehicle) {
    let (marca, modelo, ano, zero_km) = match (v.placa.as_str(), v.tipo) {
        ("ABC1D23", Tipo::Carro) => ("NISSAN", "KICKS", 2017, false),
        ("BRA2E19", Tipo::Carro) => ("CHEVROLET", "ONIX", 2024, true),
        ("MAN1A23", Tipo::Carro) => ("FIAT", "ARGO", 2019, false),
        ("COR4B56", Tipo::Carro) => ("TOYOTA", "COROLLA", 2020, false),
        ("MOT1A23", Tipo::Moto) => ("HONDA", "CG 160", 2021, false),
        _ => return,
    };
    v.marca = marca.to_string();
    v.modelo = modelo.to_string();
    v.ano_fabricacao = ano;
    v.ano_modelo = ano;
    v.perguntar_zero_km = zero_km;
}

/// The quote's ending: plates starting with `MAN` need a manual quote.
pub fn outcome(placa: &str) -> Outcome {
    if placa.starts_with("MAN") {
        Outcome::CotacaoManual
    } else {
        Outcome::Sucesso
    }
}

/// True when the CPF (digits or masked) triggers the CPF-mismatch modal after login.
pub fn cpf_divergente(cpf: &str) -> bool {
    let digits: String = cpf.chars().filter(char::is_ascii_digit).collect();
    CPF_DIVERGENTE.contains(&digits.as_str())
}

/// Calculation time at delay scale 1 for a success: 30–70 s, from the seed.
pub fn calculation_ms(placa: &str) -> u64 {
    30_000 + pick(seed(placa), 13, 40_001)
}

/// The countdown shown on screen 15 at delay scale 1 ("Tempo estimado em 02:43").
pub const COUNTDOWN_MS: u64 = 163_000;

/// Plate lookup time at delay scale 1: 0.8–1.7 s.
pub fn plate_lookup_ms(placa: &str) -> u64 {
    800 + pick(seed(placa), 17, 901)
}

/// Estimate time at delay scale 1.
pub const ESTIMATE_MS: u64 = 5_000;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_plates() {
        assert_eq!(normalize_plate("abc-1d23").unwrap(), "ABC1D23");
        assert_eq!(normalize_plate("KVA 1791").unwrap(), "KVA1791");
        assert_eq!(normalize_plate("AB1D234"), Err(PlateError::Invalid));
        assert_eq!(normalize_plate("ABC1D2"), Err(PlateError::Invalid));
        assert_eq!(mask_plate("ABC1D23"), "ABC-1D23");
    }

    #[test]
    fn documented_plates() {
        let v = vehicle("ABC1D23", Tipo::Carro).unwrap();
        assert_eq!((v.modelo.as_str(), v.ano_fabricacao, v.perguntar_zero_km), ("KICKS", 2017, false));
        assert!(vehicle("BRA2E19", Tipo::Carro).unwrap().perguntar_zero_km);
        assert!(vehicle("COR4B56", Tipo::Carro).unwrap().corretor_anterior);
        assert_eq!(vehicle("ZZZ1A23", Tipo::Carro), Err(PlateError::NotFound));
        assert_eq!(outcome("MAN1A23"), Outcome::CotacaoManual);
        assert_eq!(outcome("ABC1D23"), Outcome::Sucesso);
        assert!(cpf_divergente("111.444.777-35"));
        assert!(!cpf_divergente("52998224725"));
    }

    #[test]
    fn derived_values_are_stable_and_in_range() {
        for p in ["KXT4F11", "QWE1234", "JJJ9J99"] {
            let a = vehicle(p, Tipo::Carro).unwrap();
            assert_eq!(a, vehicle(p, Tipo::Carro).unwrap());
            assert!((2008..=2025).contains(&a.ano_modelo));
            assert!((30_000..=70_000).contains(&calculation_ms(p)));
            assert!((800..=1_700).contains(&plate_lookup_ms(p)));
        }
    }
}
