#!/usr/bin/env bash
# Mede a latência de GET /metrics e GET /api/rpa/health (binário release, robô falso, 4 slots
# ocupados, 1 cliente e 100 clientes concorrentes; p50/p99). Tudo em 127.0.0.1, limitado em
# número de pedidos (~30 s).
set -euo pipefail
cd "$(dirname "$0")/.."
exec cargo bench --quiet --bench metrics_latency
