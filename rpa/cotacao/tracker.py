"""Tracker snapshots of contract §3: `progress_ID.json`, `history_ID.json` and `result_ID.json`
in the data directory, each rewritten atomically (temp file in the same directory, fsync,
os.replace). The history only grows. Once a terminal status is written, later calls are ignored,
so a run has exactly one ending. Progress also carries, once known, the vehicle the portal
confirmed (`veiculo`), and, only while the portal's countdown of the final calculation shows, that
countdown (`calculo`)."""

from __future__ import annotations

import json
import os
import tempfile
from datetime import datetime
from pathlib import Path

TOTAL_ETAPAS = 15
ESTIMATE_KEY = "estimativas_tela_5"


def now_iso() -> str:
    """ISO 8601 with the local offset, millisecond precision."""
    return datetime.now().astimezone().isoformat(timespec="milliseconds")


def write_json_atomic(path: Path, doc: dict) -> None:
    """Writes `doc` so that a reader sees either the old file or the new one, never a mix."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(doc, fh, ensure_ascii=False, indent=1)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


class Tracker:
    """Progress of one quote session, mirrored to the three snapshot files."""

    def __init__(self, data_dir: Path, session_id: str):
        self.dir = Path(data_dir)
        self.session_id = session_id
        self.progress_path = self.dir / f"progress_{session_id}.json"
        self.history_path = self.dir / f"history_{session_id}.json"
        self.result_path = self.dir / f"result_{session_id}.json"
        self.started = now_iso()
        self.etapa = 0
        self.mensagem = ""
        self.status = "iniciando"
        self.dados_extra: dict = {}
        self.erros: list[dict] = []
        self.veiculo: str | None = None
        self.calculo: dict | None = None
        self.calculo_total = 0  # the countdown's first (largest) value, kept if it blinks off
        self.historico: list[dict] = []
        self.finished = False
        self.finished_at: str | None = None
        self.dir.mkdir(parents=True, exist_ok=True)

    # -- writing ---------------------------------------------------------------------------

    def _progress_doc(self) -> dict:
        doc = {
            "session_id": self.session_id,
            "etapa_atual": self.etapa,
            "total_etapas": TOTAL_ETAPAS,
            "percentual": round(self.etapa / TOTAL_ETAPAS * 100, 2),
            "status": self.status,
            "mensagem": self.mensagem,
            "timestamp_inicio": self.started,
            "timestamp_atualizacao": now_iso(),
            "dados_extra": self.dados_extra,
            "erros": self.erros,
        }
        if self.veiculo is not None:
            doc["veiculo"] = self.veiculo
        if self.calculo is not None:
            doc["calculo"] = dict(self.calculo)
        return doc

    def _history_doc(self, fim: str | None, status_final: str | None) -> dict:
        return {
            "session_id": self.session_id,
            "timestamp_inicio": self.started,
            "timestamp_fim": fim,
            "status_final": status_final,
            "total_etapas": TOTAL_ETAPAS,
            "historico": self.historico,
        }

    def _append(self, etapa, status: str, mensagem: str, dados_extra=None, erro=None) -> None:
        self.historico.append(
            {
                "etapa": etapa,
                "timestamp": now_iso(),
                "status": status,
                "mensagem": mensagem,
                "dados_extra": dados_extra,
                "erro": erro,
            }
        )

    def _flush(self, fim: str | None = None, status_final: str | None = None) -> None:
        write_json_atomic(self.history_path, self._history_doc(fim, status_final))
        write_json_atomic(self.progress_path, self._progress_doc())

    # -- events ----------------------------------------------------------------------------

    def start(self, mensagem: str) -> None:
        self.mensagem = mensagem
        self._append("inicio", "iniciando", mensagem)
        self._flush()

    def enter(self, etapa: int, mensagem: str) -> None:
        """The robot moved on to step `etapa` (progress only): the visitor sees it at once, and
        the step's history entry follows with `step` once the screen is recognised or read."""
        if self.finished:
            return
        self.etapa, self.mensagem, self.status = etapa, mensagem, "executando"
        write_json_atomic(self.progress_path, self._progress_doc())

    def step(self, etapa: int, mensagem: str, dados_extra: dict | None = None) -> None:
        """A step (etapa 1–15) in progress and history; `dados_extra` goes into its history
        entry only (the screen's fingerprint and how its values were read)."""
        if self.finished:
            return
        self.etapa, self.mensagem, self.status = etapa, mensagem, "executando"
        self._append(etapa, "executando", mensagem, dados_extra=dados_extra)
        self._flush()

    def vehicle(self, veiculo: str) -> None:
        """The vehicle the portal confirmed for the plate ("ECOSPORT 2007/2007"): in every
        progress snapshot from the next write on (the step of the screen that showed it)."""
        self.veiculo = veiculo

    def countdown(self, restante_s: int | None) -> None:
        """The portal's countdown of the final calculation shows `restante_s` seconds, or (None) no
        longer shows: progress `calculo` is `{restante_s, total_s}`, `total_s` the first value read
        (a larger one if the portal starts its countdown again), or absent. Written when it
        changes; never after the ending."""
        if self.finished:
            return
        if restante_s is None:
            if self.calculo is None:
                return
            self.calculo = None
        else:
            self.calculo_total = max(restante_s, self.calculo_total)
            calculo = {"restante_s": restante_s, "total_s": self.calculo_total}
            if calculo == self.calculo:
                return
            self.calculo = calculo
        write_json_atomic(self.progress_path, self._progress_doc())

    def estimates(self, estimate: dict, mensagem: str) -> None:
        """The initial estimate was read: published at once (progress + history)."""
        if self.finished:
            return
        self.dados_extra[ESTIMATE_KEY] = estimate
        self.mensagem = mensagem
        self._append("estimativas", "executando", mensagem, dados_extra=estimate)
        self._flush()

    def succeed(self, planos: dict, mensagem: str) -> None:
        """Terminal: the quote was obtained."""
        if self._finish("success", planos):
            self.etapa, self.mensagem = TOTAL_ETAPAS, mensagem
            self.dados_extra.update(planos)
            self._append("final", "success", mensagem, dados_extra=planos)
            self._flush(self.finished_at, "success")

    def fail(self, erro: dict, mensagem: str) -> None:
        """Terminal: the run ended without a quote; `erro` is a contract §4 entry."""
        if self._finish("error", {}):
            self.mensagem = mensagem
            self.erros.append(erro)
            self._append("erro", "error", erro["mensagem"], erro=erro)
            self._append("final", "error", mensagem)
            self._flush(self.finished_at, "error")

    def _finish(self, status: str, dados_finais: dict) -> bool:
        """Claims the single ending; writes the result file first, so a reader that sees the
        terminal progress finds the plans too. False if the run already ended."""
        if self.finished:
            return False
        self.finished, self.status, self.finished_at = True, status, now_iso()
        self.calculo = None  # the countdown never outlives the calculation
        write_json_atomic(
            self.result_path,
            {
                "session_id": self.session_id,
                "status": status,
                "timestamp_fim": self.finished_at,
                "dados_finais": dados_finais,
            },
        )
        return True
