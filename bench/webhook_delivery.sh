#!/usr/bin/env bash
# Mede a entrega de webhooks do rpa-v4 (binário release, robô falso, 4 slots, receptor local):
# fim do job → cotacao.concluida no receptor (p50/p99), entregas por segundo de 5.000 eventos no
# outbox (concorrência 4 e 16) e a latência de POST /api/rpa/start (50 clientes) sem webhooks,
# com o receptor fora do ar e com um receptor que não responde.
# Tudo em 127.0.0.1, limitado em número de pedidos e em tempo (cada fase termina em ~2 min).
set -euo pipefail
cd "$(dirname "$0")/.."
exec cargo bench --quiet --bench webhook_delivery
