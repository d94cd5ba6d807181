#!/usr/bin/env bash
# Roda todos os testes: os testes Rust do serviço (cargo test) e os testes Python
# do robô, do portal simulado e do modal (pytest, Chromium do Debian).
# Instala o que faltar antes (scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh

echo "[test] cargo test"
cargo test --quiet

echo "[test] pytest"
mkdir -p test-artifacts
set +e
suites=()
for d in portal/tests rpa/tests tests/e2e; do [ -d "$d" ] && suites+=("$d"); done
# Uma execução por suíte: cada uma tem o seu conftest.py (módulos de mesmo nome não se misturam).
code=0
for s in "${suites[@]}"; do
    echo "[test] pytest $s"
    .venv/bin/python -m pytest -q -p no:cacheprovider "$s" || code=$?
done
[ "${#suites[@]}" -gt 0 ] || code=5
set -e
# pytest devolve 5 quando não encontra testes; isso é falha aqui também.
exit "$code"
