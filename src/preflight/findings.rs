//! What the preflight found: one [`Check`] per item looked at, in order, and the [`Report`] that
//! `rpa-v4 check` prints, health shows and the gate obeys.

use serde::Serialize;

/// One thing the preflight looked at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    /// `dados`, `padroes`, `webhooks`, `canario`, `robo`, and the robot's own items:
    /// `configuracao`, `credenciais`, `navegador`, `portal`.
    pub item: String,
    pub ok: bool,
    pub mensagem: String,
    /// What to fix (empty when ok).
    pub correcao: String,
}

impl Check {
    pub fn ok(item: &str, mensagem: impl Into<String>) -> Check {
        Check { item: item.into(), ok: true, mensagem: mensagem.into(), correcao: String::new() }
    }

    pub fn problem(item: &str, mensagem: impl Into<String>, correcao: impl Into<String>) -> Check {
        Check { item: item.into(), ok: false, mensagem: mensagem.into(), correcao: correcao.into() }
    }

    /// A portal that does not answer may be down for a while: that is not this installation's
    /// configuration, and quotes are not held for it (the robot's failures show in health).
    pub fn blocks_quotes(&self) -> bool {
        !self.ok && self.item != "portal"
    }
}

/// Everything the preflight found, in order.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub verificacoes: Vec<Check>,
}

impl Report {
    pub fn problems(&self) -> impl Iterator<Item = &Check> {
        self.verificacoes.iter().filter(|c| !c.ok)
    }

    /// No problem at all (what `rpa-v4 check` exits 0 on).
    pub fn all_ok(&self) -> bool {
        self.problems().next().is_none()
    }

    /// A problem that must hold the runners.
    pub fn blocks_quotes(&self) -> bool {
        self.verificacoes.iter().any(Check::blocks_quotes)
    }

    /// The report as `rpa-v4 check` prints it.
    pub fn render(&self) -> String {
        let mut out = String::from("Verificação da instalação do RPA V4\n");
        for c in &self.verificacoes {
            out.push_str(&format!("  {} {}: {}\n", if c.ok { "ok  " } else { "ERRO" }, c.item, c.mensagem));
            if !c.ok && !c.correcao.is_empty() {
                out.push_str(&format!("       como corrigir: {}\n", c.correcao));
            }
        }
        let n = self.problems().count();
        if n == 0 {
            out.push_str("Tudo certo: esta instalação pode fazer cotações.\n");
        } else if self.blocks_quotes() {
            out.push_str(&format!(
                "{n} problema(s): esta instalação não pode fazer cotações até que sejam corrigidos.\n"
            ));
        } else {
            out.push_str(&format!(
                "{n} problema(s): o portal não respondeu; as cotações vão falhar enquanto ele não responder.\n"
            ));
        }
        out
    }
}
