#!/usr/bin/env python3
"""Fake quote robot for the service's tests: speaks contracts 1-3 without a browser or portal.

What it does is a pure function of the plate's first three letters:
  (any other)  success: estimate at step 5, both plans at step 15, exit 0
  MAN          cotação manual: terminal error `cotacao_manual`, exit 3
  REJ          the portal refuses the plate: terminal error `rejeitado_placa` (campo placa), exit 2
  CRA          crash mid-run: exit 1 without a terminal snapshot
  FLK          technical failure (`erro_inesperado`, exit 1) on the first attempt, success after
  HNG          hangs: ignores SIGTERM and starts a grandchild that hangs too
  INV          writes half-written and invalid JSON between steps, then succeeds
  NOF          writes no snapshot at all and exits 1
  FAL          technical failure (`tela_nao_carregou`, exit 1) at screen 9, on every attempt
  MUD          success, but screen 7 looks different (its structural fingerprint changes)
  ESP          after screen 3 waits (at most 60 s) for the file `go_<session>` in
               FAKE_ROBOT_STATE_DIR, then succeeds
  CAL          success, but screen 15's countdown holds at each value until the file
               `calculo_<session>_<seconds left>` appears in FAKE_ROBOT_STATE_DIR (at most 60 s each)
  SVE          success, but screen 3 does not say which vehicle the plate is (no `veiculo`)

From screen 3 on, progress carries `veiculo` ("ECOSPORT 2007/2007", also in screen 3's history
entry). On screen 15, progress carries the portal's countdown `calculo` {restante_s, total_s},
counting down from FAKE_ROBOT_CALCULO_S (default 3) one second per pause: the result comes after
two values, a cotação manual (MAN) after the whole countdown; it is gone from the terminal
snapshot.

Every screen's history entry carries `dados_extra.tela` (docs/contract/vocabulary.json) and
`dados_extra.fingerprint` (16 hex), the same for every plate except on the screen MUD changes.

`--verificar` answers the preflight (contract §1): every item ok, except those listed in
FAKE_ROBOT_CHECK_FAILS (comma-separated item names, e.g. `credenciais,navegador`).
With FAKE_ROBOT_NOT_CONFIGURED=1 a quote ends at once with `configuracao_invalida` (exit 1), as
the real robot does without its credentials.

The portal can be down for a while: while FAKE_ROBOT_STATE_DIR holds a file `portal_fora_ate`
with a Unix time still to come, every robot, whatever the plate, fails as it opens the portal with
`portal_indisponivel` (exit 1), as the real robot does when the portal does not answer.

Each robot records `<session> <RPA_BROWSER_SERVER>` in browsers.txt (the shared browser it
was given, empty without one).
Environment: FAKE_ROBOT_PAUSE_MS (pause between steps, default 20), FAKE_ROBOT_STATE_DIR (where
it records its pid, the highest number of robots alive at once, attempts per session and the
time each step was written).
It also checks its side of the contracts (0600 input file with every key of
docs/contract/robot-input.schema.json, accepted by the real robot's input validation, no personal
data in argv or environment) and fails with `erro_inesperado` if they are broken. To exercise log
masking it prints the person's data to stderr, as a careless robot might.
"""

import argparse
import atexit
import datetime
import fcntl
import hashlib
import json
import os
import signal
import stat
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "rpa"))
from cotacao.errors import InputRejected  # noqa: E402  (the real robot's input validation)
from cotacao.inputs import CONTRACT_FILE, parse_input  # noqa: E402

# Every key of the robot input (docs/contract/robot-input.schema.json).
with open(CONTRACT_FILE, encoding="utf-8") as _f:
    KEYS = json.load(_f)["required"]
# The screen each step's history entry names (docs/contract/vocabulary.json).
with open(os.path.join(REPO, "docs", "contract", "vocabulary.json"), encoding="utf-8") as _f:
    TELAS = {e["etapa"]: e["tela"] for e in json.load(_f)["etapas"]}

VEICULO = "ECOSPORT 2007/2007"

ESTIMATIVA = {
    "coberturas_detalhadas": [
        {
            "nome_cobertura": "Compreensiva",
            "valores": {"de": "R$ 2.400,00", "ate": "R$ 2.900,00"},
            "beneficios": [{"nome": "Colisão e Incêndio", "status": "incluido"}],
        },
        {
            "nome_cobertura": "Roubo e Furto",
            "valores": {"de": "R$ 1.300,00", "ate": "R$ 1.700,00"},
            "beneficios": [{"nome": "Roubo", "status": "incluido"}],
        },
        {
            "nome_cobertura": "RCF",
            "valores": {"de": "R$ 800,00", "ate": "R$ 1.000,00"},
            "beneficios": [{"nome": "Danos a terceiros", "status": "incluido"}],
        },
    ],
    "resumo": {"total_coberturas": 3, "total_beneficios": 3, "valores_encontrados": 6},
}


def plano(nome, valor, franquia):
    return {
        "plano": nome,
        "valor": valor,
        "forma_pagamento": "Cartão de crédito",
        "parcelamento": "anual",
        "valor_franquia": franquia,
        "tipo_franquia": "Reduzida",
        "valor_mercado": "100% da tabela FIPE",
        "assistencia": True,
        "vidros": True,
        "carro_reserva": nome == "Plano recomendado",
        "danos_materiais": "R$ 100.000,00",
        "danos_corporais": "R$ 100.000,00",
        "danos_morais": "R$ 20.000,00",
        "morte_invalidez": "R$ 10.000,00",
    }


PLANOS = {
    "plano_recomendado": plano("Plano recomendado", "R$ 3.099,18", "R$ 4.500,00"),
    "plano_alternativo": plano("Plano alternativo", "R$ 2.567,40", "R$ 6.000,00"),
}


def now():
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="milliseconds")


class Tracker:
    """Writes the three snapshot files atomically (or deliberately not, in INV mode)."""

    def __init__(self, data_dir, session, state_dir):
        self.dir, self.session, self.state_dir = data_dir, session, state_dir
        self.inicio = now()
        self.historico = []
        self.progress = {
            "session_id": session,
            "etapa_atual": 0,
            "total_etapas": 15,
            "percentual": 0.0,
            "status": "iniciando",
            "mensagem": "Iniciando RPA",
            "timestamp_inicio": self.inicio,
            "timestamp_atualizacao": self.inicio,
            "dados_extra": {},
            "erros": [],
        }

    def path(self, kind):
        return os.path.join(self.dir, f"{kind}_{self.session}.json")

    def write(self, kind, obj):
        tmp = self.path(kind) + ".tmp"
        with open(tmp, "w") as f:
            json.dump(obj, f, ensure_ascii=False)
        os.rename(tmp, self.path(kind))

    def write_broken(self, kind, text):
        with open(self.path(kind), "w") as f:
            f.write(text)

    def history(self, status_final=None):
        self.write(
            "history",
            {
                "session_id": self.session,
                "timestamp_inicio": self.inicio,
                "timestamp_fim": now() if status_final else None,
                "status_final": status_final,
                "total_etapas": 15,
                "historico": self.historico,
            },
        )

    def step(self, etapa, mensagem, status="executando", dados_extra=None, hist_etapa=None, hist_extra=None):
        self.progress.update(
            etapa_atual=etapa,
            percentual=round(etapa / 15 * 100, 1),
            status=status,
            mensagem=mensagem,
            timestamp_atualizacao=now(),
        )
        if dados_extra:
            self.progress["dados_extra"].update(dados_extra)
        self.historico.append(
            {
                "etapa": etapa if hist_etapa is None else hist_etapa,
                "timestamp": now(),
                "status": status,
                "mensagem": mensagem,
                "dados_extra": hist_extra,
                "erro": None,
            }
        )
        self.history()
        self.write("progress", self.progress)
        record(self.state_dir, f"writes_{self.session}.txt", f"{etapa} {time.time():.6f}\n")

    def estimate(self):
        est = dict(ESTIMATIVA, timestamp=now())
        self.historico.append(
            {
                "etapa": "estimativas",
                "timestamp": now(),
                "status": "executando",
                "mensagem": "Estimativas capturadas",
                "dados_extra": est,
                "erro": None,
            }
        )
        self.progress["dados_extra"]["estimativas_tela_5"] = est
        self.history()
        self.write("progress", self.progress)

    def finish_success(self):
        self.write(
            "result", {"session_id": self.session, "status": "success", "timestamp_fim": now(), "dados_finais": PLANOS}
        )
        self.historico.append(
            {
                "etapa": "final",
                "timestamp": now(),
                "status": "success",
                "mensagem": "RPA concluído com sucesso",
                "dados_extra": PLANOS,
                "erro": None,
            }
        )
        self.history("success")
        self.progress.pop("calculo", None)  # never in a terminal snapshot
        self.progress["dados_extra"].update(PLANOS)
        self.progress.update(status="success", mensagem="RPA concluído com sucesso", timestamp_atualizacao=now())
        self.write("progress", self.progress)

    def finish_error(self, tipo, mensagem, sugestao, campo=None):
        erro = {"tipo": tipo, "mensagem": mensagem, "sugestao": sugestao, "timestamp": now()}
        if campo:
            erro["campo"] = campo
        self.progress["erros"].append(erro)
        self.progress.pop("calculo", None)  # never in a terminal snapshot
        self.progress.update(status="error", mensagem=mensagem, timestamp_atualizacao=now())
        self.historico.append(
            {
                "etapa": "erro",
                "timestamp": now(),
                "status": "error",
                "mensagem": mensagem,
                "dados_extra": None,
                "erro": erro,
            }
        )
        self.write(
            "result", {"session_id": self.session, "status": "error", "timestamp_fim": now(), "dados_finais": {}}
        )
        self.history("error")
        self.write("progress", self.progress)


def countdown(t, state_dir, session, pause, mode):
    """Screen 15's calculation: the portal's countdown in progress, as the real robot reads it."""
    total = int(os.environ.get("FAKE_ROBOT_CALCULO_S", "3"))
    last = 0 if mode == "MAN" else max(total - 1, 0)
    for left in range(total, last - 1, -1):
        t.progress["calculo"] = {"restante_s": left, "total_s": total}
        t.progress["timestamp_atualizacao"] = now()
        t.write("progress", t.progress)
        if mode == "CAL" and state_dir:
            go = os.path.join(state_dir, f"calculo_{session}_{left}")
            deadline = time.monotonic() + 60
            while not os.path.exists(go) and time.monotonic() < deadline:
                time.sleep(0.02)
        else:
            time.sleep(pause)
    del t.progress["calculo"]
    t.write("progress", t.progress)


def record(state_dir, name, text):
    if state_dir:
        with open(os.path.join(state_dir, name), "a") as f:
            f.write(text)


def concurrency(state_dir, delta):
    """Counts robots alive at once, from the robots' side, under a file lock."""
    if not state_dir:
        return
    with open(os.path.join(state_dir, "concurrency.lock"), "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        path = os.path.join(state_dir, "concurrency.json")
        try:
            with open(path) as f:
                c = json.load(f)
        except (OSError, ValueError):
            c = {"current": 0, "max": 0, "started": 0}
        c["current"] += delta
        c["max"] = max(c["max"], c["current"])
        c["started"] += 1 if delta > 0 else 0
        with open(path, "w") as f:
            json.dump(c, f)


def attempt_number(state_dir, session):
    if not state_dir:
        return 1
    path = os.path.join(state_dir, f"attempts_{session}.txt")
    record(state_dir, f"attempts_{session}.txt", "x")
    with open(path) as f:
        return len(f.read())


def contract_problems(args):
    problems = []
    mode = stat.S_IMODE(os.stat(args.data_file).st_mode)
    if mode != 0o600:
        problems.append(f"modo do arquivo de entrada {oct(mode)}")
    with open(args.data_file) as f:
        data = json.load(f)
    missing = [k for k in KEYS if k not in data]
    extra = [k for k in data if k not in KEYS]
    if missing or extra:
        problems.append(f"chaves faltando {missing} / sobrando {extra}")
    try:
        parse_input(data)
    except InputRejected as exc:
        problems.append(f"o robô recusaria o campo {exc.campo} que o serviço aceitou ({exc.sugestao})")
    secrets = [str(data.get(k)) for k in ("cpf", "nome", "email", "telefone") if data.get(k)]
    visible = " ".join(sys.argv) + " " + " ".join(os.environ.values())
    if any(s in visible for s in secrets):
        problems.append("dados pessoais na linha de comando ou no ambiente")
    return data, problems


def portal_down(state_dir):
    """Whether the simulated portal is down now (`portal_fora_ate` holds a Unix time to come)."""
    if not state_dir:
        return False
    try:
        with open(os.path.join(state_dir, "portal_fora_ate")) as f:
            return time.time() < float(f.read().strip() or 0)
    except (OSError, ValueError):
        return False


def fingerprint(etapa, mode):
    """A screen's structural fingerprint, as the real robot records it (16 hex)."""
    shape = f"tela-{etapa}" + ("-com-um-botao-novo" if mode == "MUD" and etapa == 7 else "")
    return hashlib.sha256(shape.encode()).hexdigest()[:16]


CHECK_ITEMS = ["configuracao", "credenciais", "navegador", "portal"]


def check():
    """The preflight answer: one JSON line, exit 0 when every item is ok."""
    fails = {i.strip() for i in os.environ.get("FAKE_ROBOT_CHECK_FAILS", "").split(",") if i.strip()}
    items = [
        {
            "item": i,
            "ok": i not in fails,
            "mensagem": f"{i}: problema simulado" if i in fails else f"{i}: ok",
            "correcao": f"corrija {i}" if i in fails else "",
        }
        for i in CHECK_ITEMS
    ]
    record(os.environ.get("FAKE_ROBOT_STATE_DIR"), "checks.txt", "x")
    print(json.dumps({"status": "erro" if fails else "ok", "verificacoes": items}, ensure_ascii=False))
    return 1 if fails else 0


def main():
    if "--verificar" in sys.argv[1:]:
        sys.exit(check())
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-file", required=True)
    parser.add_argument("--session", required=True)
    parser.add_argument("--data-dir", required=True)
    args = parser.parse_args()

    state_dir = os.environ.get("FAKE_ROBOT_STATE_DIR")
    pause = int(os.environ.get("FAKE_ROBOT_PAUSE_MS", "20")) / 1000
    concurrency(state_dir, +1)
    atexit.register(concurrency, state_dir, -1)
    record(state_dir, "pids.txt", f"{os.getpid()} {args.session}\n")
    record(state_dir, "browsers.txt", f"{args.session} {os.environ.get('RPA_BROWSER_SERVER', '')}\n")

    data, problems = contract_problems(args)
    mode = data.get("placa", "")[:3]
    print(
        f"entrada: cpf={data.get('cpf')} nome={data.get('nome')} email={data.get('email')}", file=sys.stderr, flush=True
    )
    print("contato do corretor anterior: (21) 91234-5678", file=sys.stderr, flush=True)
    t = Tracker(args.data_dir, args.session, state_dir)

    def on_sigterm(_sig, _frame):
        t.finish_error("cancelado", "Cotação cancelada.", "O robô recebeu SIGTERM.")
        print(json.dumps({"status": "error", "codigo": 1, "tipo": "cancelado", "mensagem": "cancelado"}))
        sys.exit(1)

    signal.signal(signal.SIGTERM, on_sigterm)
    t.step(0, "Iniciando RPA", status="iniciando", hist_etapa="inicio")
    if problems:
        t.finish_error("erro_inesperado", "Contrato violado.", "; ".join(problems))
        sys.exit(1)
    if os.environ.get("FAKE_ROBOT_NOT_CONFIGURED") == "1":
        t.finish_error(
            "configuracao_invalida",
            "Cotação indisponível.",
            "Credenciais do portal ausentes: defina RPA_PORTAL_EMAIL e RPA_PORTAL_SENHA.",
        )
        print(json.dumps({"status": "error", "codigo": 1, "tipo": "configuracao_invalida", "mensagem": "configuração"}))
        sys.exit(1)
    if mode == "NOF":
        os.remove(t.path("progress"))
        os.remove(t.path("history"))
        sys.exit(1)
    if portal_down(state_dir):
        time.sleep(pause)
        t.finish_error(
            "portal_indisponivel",
            "O portal da seguradora está indisponível no momento.",
            "Falha simulada ao acessar o portal (portal_fora_ate).",
        )
        print(json.dumps({"status": "error", "codigo": 1, "tipo": "portal_indisponivel", "mensagem": "portal"}))
        sys.exit(1)
    if mode == "FLK" and attempt_number(state_dir, args.session) == 1:
        time.sleep(pause)
        t.finish_error("erro_inesperado", "Falha inesperada.", "Falha simulada na primeira tentativa.")
        print(json.dumps({"status": "error", "codigo": 1, "tipo": "erro_inesperado", "mensagem": "falha"}))
        sys.exit(1)

    for etapa in range(1, 16):
        time.sleep(pause)
        if mode == "INV":
            t.write_broken("progress", f'{{"session_id": "{args.session}", "etapa_atual": {etapa}, "sta')
            time.sleep(pause)
            t.write_broken("history", "isto não é JSON")
            time.sleep(pause)
        screen = {"tela": TELAS[etapa], "fingerprint": fingerprint(etapa, mode)}
        if etapa == 3 and mode != "SVE":
            t.progress["veiculo"] = VEICULO
            screen["veiculo"] = VEICULO
        t.step(etapa, f"Tela {etapa}", hist_extra=screen)
        if mode == "INV":
            time.sleep(0.2)  # the good copy stays long enough for a sync tick to see it
        if etapa == 2 and mode == "REJ":
            t.finish_error(
                "rejeitado_placa",
                "O portal não encontrou o veículo desta placa.",
                "Placa recusada na tela 2.",
                campo="placa",
            )
            print(json.dumps({"status": "error", "codigo": 2, "tipo": "rejeitado_placa", "mensagem": "placa"}))
            sys.exit(2)
        if etapa == 3 and mode == "ESP" and state_dir:
            deadline = time.monotonic() + 60
            while not os.path.exists(os.path.join(state_dir, f"go_{args.session}")) and time.monotonic() < deadline:
                time.sleep(0.02)
        if etapa == 3 and mode == "HNG":
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            child = subprocess.Popen(["sleep", "600"])
            record(state_dir, "hang_pids.txt", f"{os.getpid()} {child.pid}\n")
            while True:
                time.sleep(1)
        if etapa == 9 and mode == "FAL":
            t.finish_error("tela_nao_carregou", "O portal demorou demais.", "A tela 9 não apareceu.")
            print(json.dumps({"status": "error", "codigo": 1, "tipo": "tela_nao_carregou", "mensagem": "tela 9"}))
            sys.exit(1)
        if etapa == 5:
            t.estimate()
        if etapa == 7 and mode == "CRA":
            print("falha grave simulada", file=sys.stderr)
            concurrency(state_dir, -1)
            os._exit(1)
        if etapa == 15:
            countdown(t, state_dir, args.session, pause, mode)
    if mode == "MAN":
        t.finish_error(
            "cotacao_manual",
            "Um especialista vai calcular e entrar em contato.",
            "O portal não ofereceu cotação (Ops, ainda não encontramos resultados).",
        )
        print(json.dumps({"status": "error", "codigo": 3, "tipo": "cotacao_manual", "mensagem": "manual"}))
        sys.exit(3)
    t.finish_success()
    print(json.dumps({"status": "success", "codigo": 0, "mensagem": "Cotação obtida"}))


if __name__ == "__main__":
    main()
