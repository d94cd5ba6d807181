#!/usr/bin/env bash
# Mede a latência do serviço rpa-v4 (binário release, robô falso, 4 slots, 100 clientes):
# POST /api/rpa/start, GET /api/rpa/progress/{id} e snapshot gravado → visível na API (p50/p99).
# Tudo em 127.0.0.1, limitado em número de pedidos e em tempo (~1 min).
set -euo pipefail
cd "$(dirname "$0")/.."
exec cargo bench --quiet --bench service_latency
