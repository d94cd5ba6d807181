#!/usr/bin/env bash
# Demonstração completa na máquina local: o portal simulado, o serviço RPA V4
# (SQLite em data/demo.db) e a página de demonstração do formulário.
# Abra a URL impressa, preencha o formulário e acompanhe a cotação chegar.
#
# Variáveis opcionais: DEMO_PORT (8080), PORTAL_PORT (8090),
# DEMO_DELAY_SCALE (0.2; 1 = tempos reais do portal, ~2 min por cotação).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh --release

port="${DEMO_PORT:-8080}"
portal_port="${PORTAL_PORT:-8090}"
scale="${DEMO_DELAY_SCALE:-0.2}"
mkdir -p data

pids=()
cleanup() { for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

target/release/sim-portal --port "$portal_port" --delay-scale "$scale" &
pids+=($!)

export RPA_LISTEN="127.0.0.1:${port}"
export RPA_DB="${RPA_DB:-data/demo.db}"
export RPA_DATA_DIR="${RPA_DATA_DIR:-data/jobs}"
export RPA_ALLOWED_ORIGINS="http://127.0.0.1:${port},http://localhost:${port}"
export RPA_PORTAL_URL="http://127.0.0.1:${portal_port}/imediatosolucoes"
export RPA_PORTAL_EMAIL="corretor@example.com"
export RPA_PORTAL_SENHA="senha-de-teste"
target/release/rpa-v4 serve &
pids+=($!)

echo
echo "  Demonstração pronta: abra http://127.0.0.1:${port}/static/demo.html"
echo "  Portal simulado:     http://127.0.0.1:${portal_port}/imediatosolucoes"
echo "  Ctrl+C encerra tudo."
echo
wait -n "${pids[@]}"
