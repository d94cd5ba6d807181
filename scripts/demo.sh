#!/usr/bin/env bash
# Demonstração completa na máquina local: o portal simulado, o serviço RPA V4
# (SQLite em data/demo.db) e a página de demonstração do formulário.
# Abra a URL impressa, preencha o formulário e acompanhe a cotação chegar.
#
# Variáveis opcionais: DEMO_PORT (8080), PORTAL_PORT (8090),
# DEMO_DELAY_SCALE (0.2; 1 = tempos reais do portal, ~2 min por cotação).
#
# As portas são conferidas antes de qualquer instalação ou compilação; uma porta ocupada é
# dita com a variável que a troca. "Demonstração pronta" só aparece quando o portal e o
# serviço desta demonstração disseram que estão ouvindo, e continuam vivos.
set -euo pipefail
cd "$(dirname "$0")/.."

port="${DEMO_PORT:-8080}"
portal_port="${PORTAL_PORT:-8090}"
scale="${DEMO_DELAY_SCALE:-0.2}"

fail() { echo "[demo] ERRO: $*" >&2; exit 1; }

# 0 quando ninguém ouve em 127.0.0.1:PORTA (o mesmo bind que o portal e o serviço farão).
port_free() {
    python3 - "$1" <<'PY'
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
finally:
    s.close()
PY
}

# check_port PORTA "o que usa" VARIÁVEL
check_port() {
    if ! [[ "$1" =~ ^[0-9]+$ ]] || (( 10#$1 < 1 || 10#$1 > 65535 )); then
        fail "$3=$1 não é uma porta (use um número de 1 a 65535)."
    fi
    if ! port_free "$1"; then
        echo "[demo] ERRO: a porta $1 ($2) já está em uso em 127.0.0.1." >&2
        echo "[demo]       Pare o programa que a usa, ou escolha outra porta com $3, por exemplo:" >&2
        echo "[demo]       $3=$(( 10#$1 == 65535 ? 1024 : 10#$1 + 1 )) scripts/demo.sh" >&2
        exit 1
    fi
}

[[ "$port" != "$portal_port" ]] || fail "DEMO_PORT e PORTAL_PORT são a mesma porta ($port); escolha duas diferentes."
check_port "$port" "serviço RPA V4" DEMO_PORT
check_port "$portal_port" "portal simulado" PORTAL_PORT

scripts/setup.sh --release

mkdir -p data
logs="$(mktemp -d "${TMPDIR:-/tmp}/rpa-demo.XXXXXX")"
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$logs"
}
# Ctrl+C (ou TERM) sai com 130/143 mesmo quando um dos processos, que recebe o mesmo Ctrl+C,
# termina antes e o `wait -n` abaixo volta com 0; a limpeza roda na saída.
trap cleanup EXIT
trap 'trap - INT; exit 130' INT
trap 'trap - TERM; exit 143' TERM

# wait_listening PID LOG "linha de pronto" "o que é" PORTA VARIÁVEL
# Espera (até 60 s) o próprio processo dizer que ouve; se ele terminar antes, diz por quê.
wait_listening() {
    local pid="$1" log="$2" ready="$3" what="$4" p="$5" var="$6"
    for _ in $(seq 1 300); do
        if grep -q "$ready" "$log" 2>/dev/null; then
            kill -0 "$pid" 2>/dev/null && return 0
        fi
        if ! kill -0 "$pid" 2>/dev/null; then
            if grep -qi "escutar em\|ouvir em\|address already in use\|em uso" "$log"; then
                fail "o $what não conseguiu usar a porta $p (ocupada agora por outro programa); escolha outra com $var=<porta>."
            fi
            fail "o $what terminou ao iniciar; veja as mensagens acima."
        fi
        sleep 0.2
    done
    fail "o $what não disse que está ouvindo em 60 s; veja as mensagens acima."
}

# A saída de cada um vai ao terminal e a um log (que diz quando ele está ouvindo). O tee ignora
# Ctrl+C: ele só termina quando o processo termina, que assim nunca escreve num cano fechado.
logged() { trap '' INT TERM; exec tee "$1"; }

target/release/sim-portal --port "$portal_port" --delay-scale "$scale" > >(logged "$logs/sim-portal.log") 2>&1 &
pids+=($!)
wait_listening "${pids[0]}" "$logs/sim-portal.log" "sim-portal ouvindo em" "portal simulado" "$portal_port" PORTAL_PORT

export RPA_LISTEN="127.0.0.1:${port}"
export RPA_DB="${RPA_DB:-data/demo.db}"
export RPA_DATA_DIR="${RPA_DATA_DIR:-data/jobs}"
export RPA_ALLOWED_ORIGINS="http://127.0.0.1:${port},http://localhost:${port}"
export RPA_PORTAL_URL="http://127.0.0.1:${portal_port}/imediatosolucoes"
export RPA_PORTAL_EMAIL="corretor@example.com"
export RPA_PORTAL_SENHA="senha-de-teste"
target/release/rpa-v4 serve > >(logged "$logs/rpa-v4.log") 2>&1 &
pids+=($!)
wait_listening "${pids[1]}" "$logs/rpa-v4.log" "RPA V4 ouvindo em" "serviço RPA V4" "$port" DEMO_PORT

# O serviço ouve: confere que é ele quem responde (até 30 s) e que continua vivo.
if ! python3 - "$port" <<'PY'
import sys, time, urllib.request
url = f"http://127.0.0.1:{sys.argv[1]}/api/rpa/health"
deadline = time.monotonic() + 30
while time.monotonic() < deadline:
    try:
        with urllib.request.urlopen(url, timeout=2):
            sys.exit(0)
    except urllib.error.HTTPError:
        sys.exit(0)  # 503 (unhealthy) também é o serviço respondendo; o motivo está no log
    except OSError:
        time.sleep(0.3)
sys.exit(1)
PY
then
    fail "o serviço não respondeu em 127.0.0.1:${port}; veja as mensagens acima."
fi
for p in "${pids[@]}"; do
    kill -0 "$p" 2>/dev/null || fail "um processo da demonstração terminou; veja as mensagens acima."
done

echo
echo "  Demonstração pronta: abra http://127.0.0.1:${port}/static/demo.html"
echo "  Portal simulado:     http://127.0.0.1:${portal_port}/imediatosolucoes"
echo
echo "  Dados de teste (fictícios): CPF 529.982.247-25, CEP 01310-100, e a placa decide o desfecho:"
echo "    ABC-1D23  cotação completa (estimativa e os dois planos)"
echo "    MAN-1A23  cotação manual (um especialista liga; o modal oferece o WhatsApp)"
echo "    ZZZ-1A23  placa não encontrada (corrigir a placa ou falar com um corretor)"
echo "  O WhatsApp e o telefone da corretora na página são fictícios."
echo "  Ctrl+C encerra tudo."
echo
wait -n "${pids[@]}" || true
fail "um processo da demonstração terminou sozinho; veja as mensagens acima."
