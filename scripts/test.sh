#!/usr/bin/env bash
# Roda todos os testes: os testes Rust do serviço (cargo test) e os testes Python
# do robô, do portal simulado e do modal (pytest, Chromium do Debian).
# Instala o que faltar antes (scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh

# Formato e lint antes dos testes: falham rápido e dizem o comando que conserta.
echo "[test] formato e lint"
cargo fmt --check || { echo "[test] rode: cargo fmt"; exit 1; }
.venv/bin/ruff format --check --quiet . || { echo "[test] rode: .venv/bin/ruff format ."; exit 1; }
.venv/bin/ruff check --quiet .
if command -v node >/dev/null 2>&1; then
    for js in static/*.js portal/*.js portal/js/*.js rpa/*.js; do node --check "$js"; done
else
    echo "[test] node ausente: a sintaxe dos scripts do navegador fica para os testes e2e"
fi
cargo clippy --quiet --all-targets -- -D warnings

echo "[test] cargo test"
cargo test --quiet

echo "[test] pytest"
mkdir -p test-artifacts
# Uma execução do pytest por suíte: as suítes do portal e do modal mantêm, cada uma, um Playwright
# (API síncrona) aberto durante toda a sessão, e dois não podem conviver num só processo.
code=0
for d in portal/tests rpa/tests tests/e2e; do
    [ -d "$d" ] || continue
    echo "[test] pytest $d"
    # pytest devolve 5 quando não encontra testes; isso é falha aqui também.
    .venv/bin/python -m pytest -q -p no:cacheprovider "$d" || code=1
done
exit "$code"
