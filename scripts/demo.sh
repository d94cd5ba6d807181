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

# Só anuncia a URL quando o serviço responde (até 60 s).
if ! python3 - "$port" <<'PY'
import sys, time, urllib.request
url = f"http://127.0.0.1:{sys.argv[1]}/api/rpa/health"
deadline = time.monotonic() + 60
while time.monotonic() < deadline:
    try:
        with urllib.request.urlopen(url, timeout=2):
            sys.exit(0)
    except OSError:
        time.sleep(0.3)
sys.exit(1)
PY
then
    echo "[demo] ERRO: o serviço não respondeu em 127.0.0.1:${port}; veja as mensagens acima." >&2
    exit 1
fi

echo
echo "  Demonstração pronta: abra http://127.0.0.1:${port}/static/demo.html"
echo "  Portal simulado:     http://127.0.0.1:${portal_port}/imediatosolucoes"
echo
echo "  Dados de teste (fictícios): CPF 529.982.247-25, CEP 01310-100, e a placa decide o desfecho:"
echo "    ABC-1D23  cotação completa (estimativa e os dois planos)"
echo "    MAN-1A23  cotação manual (um especialista entra em contato)"
echo "    ZZZ-1A23  placa não encontrada (o modal aponta o campo Placa)"
echo "  Ctrl+C encerra tudo."
echo
wait -n "${pids[@]}"
