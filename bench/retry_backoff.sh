#!/usr/bin/env bash
# Um portal fora do ar por FORA_S segundos (60 por padrão) e depois de volta: uma cotação enviada no
# início da queda, com o robô falso e o binário release; mostra como terminou e quando cada tentativa
# rodou. RPA_RETRY_BACKOFF_S e RPA_MAX_ATTEMPTS, se dados, valem para o serviço.
set -euo pipefail
cd "$(dirname "$0")/.."
exec cargo bench --quiet --bench retry_backoff -- "${1:-60}"
