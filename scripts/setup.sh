#!/usr/bin/env bash
# Prepara a máquina para rodar o RPA V4: pacotes do sistema (Chromium, sqlite3),
# o virtualenv do robô em .venv e os binários Rust. Idempotente: rodar de novo é barato.
#
# Uso: scripts/setup.sh [--release]
set -euo pipefail
cd "$(dirname "$0")/.."

profile_flag=""
[ "${1:-}" = "--release" ] && profile_flag="--release"

say() { printf '[setup] %s\n' "$*"; }

# 1. Pacotes do sistema.
missing=()
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || missing+=(chromium)
command -v sqlite3 >/dev/null 2>&1 || missing+=(sqlite3)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || missing+=(python3-venv)
if [ "${#missing[@]}" -gt 0 ]; then
    say "instalando pacotes do sistema: ${missing[*]}"
    if [ "$(id -u)" -eq 0 ]; then apt_get=(apt-get); else apt_get=(sudo apt-get); fi
    "${apt_get[@]}" update -qq
    DEBIAN_FRONTEND=noninteractive "${apt_get[@]}" install -y -qq "${missing[@]}" >/dev/null
fi

# 2. Virtualenv do robô e dos testes Python.
if [ ! -x .venv/bin/python ]; then
    say "criando o virtualenv em .venv"
    python3 -m venv .venv
fi
stamp=.venv/.requirements.sha256
want=$(cat requirements-test.txt rpa/requirements.txt | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    say "instalando dependências Python"
    .venv/bin/pip install -q --disable-pip-version-check -r requirements-test.txt
    echo "$want" > "$stamp"
fi

# 3. Binários Rust (rpa-v4 e sim-portal).
if ! command -v cargo >/dev/null 2>&1; then
    say "ERRO: cargo não encontrado. Instale o Rust (https://rustup.rs) e rode de novo."
    exit 1
fi
# rustfmt e clippy: o comando de testes confere formato e lint.
if command -v rustup >/dev/null 2>&1; then
    for c in rustfmt clippy; do
        rustup component list --installed 2>/dev/null | grep -q "^$c" || rustup component add "$c"
    done
fi
say "compilando os binários (cargo build ${profile_flag:-debug})"
cargo build --quiet --bins $profile_flag
