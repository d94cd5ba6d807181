//! Prices: the three estimate ranges of screen 5 and the two final plans of screen 15, derived
//! from the plate's seed inside the ranges the real portal was seen to use (reference §1, §3).

use serde::Serialize;

use crate::catalog::{pick, seed};
use crate::money::{brl, format_centavos};

/// One estimate card: whole reais, "De R$ de,00 até R$ ate,00".
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cobertura {
    pub nome: &'static str,
    pub de: u64,
    pub ate: u64,
    pub beneficios: &'static [&'static str],
}

pub const BENEFICIOS_COMPREENSIVA: [&str; 7] = [
    "Colisão e Acidentes",
    "Roubo e Furto",
    "Incêndio",
    "Danos a terceiros",
    "Assistência 24h",
    "Carro Reserva",
    "Vidros",
];
pub const BENEFICIOS_ROUBO: [&str; 3] = ["Roubo", "Furto", "Danos parciais em tentativas de roubo."];
pub const BENEFICIOS_RCF: [&str; 2] = ["Danos materiais a terceiros", "Danos corporais a terceiros"];

/// The three cards: Compreensiva 1.200–2.600 / 1.700–3.200; Roubo e Furto 1.200–1.900 /
/// 1.500–2.400; RCF 900–1.300 / 1.400–1.700.
pub fn estimate(placa: &str) -> Vec<Cobertura> {
    let h = seed(placa).rotate_left(7);
    let comp_de = 1_200 + 100 * pick(h, 0, 15);
    let comp_ate = comp_de + 500 + 100 * pick(h, 5, 2);
    let roubo_de = 1_200 + 100 * pick(h, 10, 8);
    let roubo_ate = roubo_de + 300 + 100 * pick(h, 15, 3);
    let rcf_de = 900 + 100 * pick(h, 20, 5);
    let rcf_ate = 1_400 + 100 * pick(h, 25, 4);
    vec![
        Cobertura { nome: "Compreensiva", de: comp_de, ate: comp_ate, beneficios: &BENEFICIOS_COMPREENSIVA },
        Cobertura { nome: "Roubo e Furto", de: roubo_de, ate: roubo_ate, beneficios: &BENEFICIOS_ROUBO },
        Cobertura { nome: "RCF", de: rcf_de, ate: rcf_ate, beneficios: &BENEFICIOS_RCF },
    ]
}

/// One final plan, with every amount already formatted as the portal prints it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plano {
    pub plano: &'static str,
    /// Annual premium without the sign, e.g. "3.099,18" (the card shows `R$` in its own span).
    pub valor: String,
    pub forma_pagamento: String,
    pub valor_franquia: String,
    pub tipo_franquia: &'static str,
    pub valor_mercado: &'static str,
    pub assistencia: bool,
    pub vidros: bool,
    pub carro_reserva: bool,
    pub danos_materiais: String,
    pub danos_corporais: String,
    pub danos_morais: String,
    pub morte_invalidez: String,
}

/// The recommended and the alternative plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Planos {
    pub plano_recomendado: Plano,
    pub plano_alternativo: Plano,
}

/// Premiums R$ 2.401,53–4.679,30 (the alternative always pricier), franquias
/// R$ 2.648,42–6.148,33, payment lines and coverage tiers as seen on the real portal.
pub fn plans(placa: &str) -> Planos {
    let h = seed(placa).rotate_left(23);
    let rec = 240_153 + pick(h, 0, 200_000);
    let alt = rec + 3_000 + pick(h, 18, 24_000);
    let fr_rec = 264_842 + pick(h, 33, 300_000);
    let fr_alt = fr_rec + pick(h, 40, 49_992);
    let (mat, corp, mor, morte_alt) = if pick(h, 52, 3) == 0 {
        (10_000_000, 10_000_000, 2_000_000, 0)
    } else {
        (5_000_000, 5_000_000, 1_000_000, [0, 500_000, 1_000_000][pick(h, 55, 3) as usize])
    };
    let plan = |plano, premium: u64, franquia, pagamento, vidros, reserva, morte: u64| Plano {
        plano,
        valor: format_centavos(premium),
        forma_pagamento: pagamento,
        valor_franquia: brl(franquia),
        tipo_franquia: "Reduzida",
        valor_mercado: "100% da tabela FIPE",
        assistencia: true,
        vidros,
        carro_reserva: reserva,
        danos_materiais: brl(mat),
        danos_corporais: brl(corp),
        danos_morais: brl(mor),
        morte_invalidez: brl(morte),
    };
    Planos {
        plano_recomendado: plan(
            "Plano recomendado",
            rec,
            fr_rec,
            payment_line(rec, pick(h, 45, 4)),
            pick(h, 47, 4) != 0,
            pick(h, 49, 2) == 1,
            0,
        ),
        plano_alternativo: plan(
            "Plano alternativo",
            alt,
            fr_alt,
            payment_line(alt, pick(h, 50, 3)),
            true,
            true,
            morte_alt,
        ),
    }
}

/// The payment lines seen on the real portal; the boleto line quotes 12 instalments with interest.
fn payment_line(premium: u64, which: u64) -> String {
    match which {
        0 => format!("Boleto/Crédito em até 3x sem juros ou 12x de {}", brl((premium * 129 + 600) / 1200)),
        1 => "Crédito em até 10x sem juros!".to_string(),
        2 => "Crédito em até 12x sem juros!".to_string(),
        _ => "Crédito em até 4x sem juros!".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn money(s: &str) -> u64 {
        s.trim_start_matches("R$ ").replace(['.', ','], "").parse().unwrap()
    }

    #[test]
    fn ranges_hold_for_many_plates() {
        for i in 0..2000u32 {
            let placa = format!(
                "T{}{}{}A{:02}",
                (b'A' + (i % 26) as u8) as char,
                (b'A' + (i / 26 % 26) as u8) as char,
                i % 10,
                i % 100
            );
            let e = estimate(&placa);
            assert!((1_200..=2_600).contains(&e[0].de) && (1_700..=3_200).contains(&e[0].ate));
            assert!((1_200..=1_900).contains(&e[1].de) && (1_500..=2_400).contains(&e[1].ate));
            assert!((900..=1_300).contains(&e[2].de) && (1_400..=1_700).contains(&e[2].ate));
            let p = plans(&placa);
            let (r, a) = (money(&p.plano_recomendado.valor), money(&p.plano_alternativo.valor));
            assert!((240_153..=467_930).contains(&r) && (240_153..=467_930).contains(&a) && a > r);
            for f in [&p.plano_recomendado.valor_franquia, &p.plano_alternativo.valor_franquia] {
                assert!((264_842..=614_833).contains(&money(f)), "{f}");
            }
        }
    }

    #[test]
    fn deterministic() {
        assert_eq!(plans("ABC1D23"), plans("ABC1D23"));
        assert_eq!(estimate("ABC1D23"), estimate("ABC1D23"));
        assert_ne!(plans("ABC1D23"), plans("BRA2E19"));
    }
}
