#!/usr/bin/env python3
"""A careless quote robot for tests/integration/robot_output_privacy.rs: speaks contracts 1-3 like
tests/fake_robot.py, but spreads the person's data in shapes a simple masker misses — CPF as
"529 982 247 25" and "529982247-25", the name with an NBSP, tabs and odd letter case, the phone
as "11 98765 4321" and "+55 (11) 98765-4321", the birth date as "1985-03-15" — over stdout,
stderr, `mensagem`, `dados_extra` (known and unknown keys), `erro` and `erros`. Every shape is
derived from the input file, so it leaks whoever the test quotes. It always ends in success.

Between screen 4 and the end it waits (bounded) for the file `go_<session>` in
FAKE_ROBOT_STATE_DIR, so the test can read the progress of a running quote first. The snapshot
files, the estimate and the plans are the fake robot's, with the leaks added.
"""

import argparse
import copy
import json
import os
import sys
import time

import fake_robot
from fake_robot import now, record

NBSP = "\u00a0"


def shapes(data):
    """The person's data as a careless robot might write it."""
    cpf = data["cpf"]
    tel = data["telefone"]
    dia, mes, ano = data["data_nascimento"].split("/")
    nome = data["nome"]
    return {
        "cpf_espacos": f"{cpf[:3]} {cpf[3:6]} {cpf[6:9]} {cpf[9:]}",
        "cpf_hifen": f"{cpf[:9]}-{cpf[9:]}",
        "cpf_nbsp": NBSP.join([cpf[:3], cpf[3:6], cpf[6:9], cpf[9:]]),
        "cpf_misto": f"{cpf[:3]}.{cpf[3:6]} {cpf[6:9]}-{cpf[9:]}",
        "nome_nbsp": nome.replace(" ", NBSP),
        "nome_espacos": "  ".join(nome.lower().split()),
        "nome_tab": "\t".join(nome.title().split()),
        "tel_espacos": f"{tel[:2]} {tel[2:-4]} {tel[-4:]}",
        "tel_ddi": f"+55 ({tel[:2]}) {tel[2:-4]}-{tel[-4:]}",
        "tel_pontos": f"{tel[:2]}.{tel[2:-4]}.{tel[-4:]}",
        "tel_55": f"55{tel}",
        "nasc_iso": f"{ano}-{mes}-{dia}",
        "nasc_hifen": f"{dia}-{mes}-{ano}",
        "nasc_pontos": f"{dia}.{mes}.{ano}",
        "email_maiusculo": data["email"].upper(),
    }


def estimate(s):
    """The fake robot's estimate, with the person's data in keys the contract does not have."""
    est = copy.deepcopy(fake_robot.ESTIMATIVA)
    est["timestamp"] = now()
    est["titular"] = s["nome_nbsp"]
    compreensiva = est["coberturas_detalhadas"][0]
    compreensiva["valores"]["cpf"] = s["cpf_hifen"]
    compreensiva["beneficios"][0]["telefone"] = s["tel_espacos"]
    compreensiva["segurado"] = {"nascimento": s["nasc_iso"]}
    est["resumo"]["contato"] = s["tel_ddi"]
    return est


def plano(nome, valor, franquia, s):
    """The fake robot's plan (no carro reserva in either), with keys the contract does not have."""
    p = fake_robot.plano(nome, valor, franquia)
    p["carro_reserva"] = False
    # Not in the contract: must never reach the public.
    p.update(
        segurado=s["nome_espacos"],
        cpf_segurado=s["cpf_espacos"],
        nascimento=s["nasc_iso"],
        contato={"telefone": s["tel_55"]},
    )
    return p


class Tracker(fake_robot.Tracker):
    """The fake robot's snapshot files; here a step's history entry also carries its
    `dados_extra` and `erro`, and nothing is written until `flush`."""

    def __init__(self, data_dir, session):
        super().__init__(data_dir, session, None)

    def flush(self, status_final=None):
        self.history(status_final)
        self.write("progress", self.progress)

    def step(self, etapa, mensagem, status="executando", hist_etapa=None, dados_extra=None, erro=None):
        self.progress.update(
            etapa_atual=etapa,
            percentual=round(etapa / 15 * 100, 1),
            status=status,
            mensagem=mensagem,
            timestamp_atualizacao=now(),
        )
        self.historico.append(
            {
                "etapa": etapa if hist_etapa is None else hist_etapa,
                "timestamp": now(),
                "status": status,
                "mensagem": mensagem,
                "dados_extra": dados_extra,
                "erro": erro,
            }
        )


def wait_for_go(state_dir, session):
    """Bounded wait for the test's go-ahead (a file it creates)."""
    if not state_dir:
        return
    go = os.path.join(state_dir, f"go_{session}")
    deadline = time.monotonic() + 120
    while not os.path.exists(go) and time.monotonic() < deadline:
        time.sleep(0.02)


def main():
    if "--verificar" in sys.argv[1:]:
        sys.exit(fake_robot.check())
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-file", required=True)
    parser.add_argument("--session", required=True)
    parser.add_argument("--data-dir", required=True)
    args = parser.parse_args()
    state_dir = os.environ.get("FAKE_ROBOT_STATE_DIR")
    record(state_dir, "pids.txt", f"{os.getpid()} {args.session}\n")

    with open(args.data_file) as f:
        data = json.load(f)
    s = shapes(data)

    # The log: every shape, plain and as a JSON dump (which escapes the NBSP as \u00a0).
    print("robo-vazador: inicio", flush=True)
    print(
        f"cliente {s['nome_nbsp']} cpf {s['cpf_espacos']} / {s['cpf_hifen']} / {s['cpf_nbsp']} / {s['cpf_misto']}",
        flush=True,
    )
    print(
        f"contato {s['tel_espacos']} {s['tel_ddi']} {s['tel_pontos']} {s['tel_55']} {s['email_maiusculo']}", flush=True
    )
    print(f"nascimento {s['nasc_iso']} {s['nasc_hifen']} {s['nasc_pontos']}", file=sys.stderr, flush=True)
    print(f"nomes: {s['nome_espacos']} | {s['nome_tab']}", file=sys.stderr, flush=True)
    print(json.dumps({"entrada": s}), file=sys.stderr, flush=True)

    t = Tracker(args.data_dir, args.session)
    t.step(0, "Iniciando RPA", status="iniciando", hist_etapa="inicio")
    t.flush()
    t.step(1, f"Tela 1: CPF {s['cpf_espacos']} informado")
    t.step(
        2,
        f"Tela 2: segurado {s['nome_nbsp']} ({s['nome_tab']})",
        dados_extra={"segurado": {"nome": s["nome_espacos"], "cpf": s["cpf_hifen"]}},
    )
    t.step(
        3,
        f"Tela 3: contato {s['tel_espacos']}, nascido em {s['nasc_iso']}",
        dados_extra={"telefone": s["tel_espacos"], "data_nascimento": s["nasc_iso"]},
    )
    t.flush()
    est = estimate(s)
    t.historico.append(
        {
            "etapa": "estimativas",
            "timestamp": now(),
            "status": "executando",
            "mensagem": "Estimativas capturadas",
            "dados_extra": est,
            "erro": None,
        }
    )
    t.progress["dados_extra"]["estimativas_tela_5"] = est
    t.progress["dados_extra"]["cliente"] = {"nome": s["nome_nbsp"], "telefone": s["tel_espacos"]}
    aviso = {
        "tipo": "aviso_dados",
        "mensagem": f"Telefone {s['tel_ddi']} não confirmado",
        "sugestao": f"Confira o cadastro {s['cpf_espacos']} nascido em {s['nasc_iso']}",
        "timestamp": now(),
        "campo": "telefone",
        "detalhe": {"email": s["email_maiusculo"], "nascimento": s["nasc_pontos"]},
        "telefone": s["tel_pontos"],
    }
    t.step(4, f"Conferindo os dados de {s['nome_nbsp']}, CPF {s['cpf_misto']}, tel. {s['tel_espacos']}", erro=aviso)
    t.progress["erros"] = [aviso]
    t.flush()
    print(f"aguardando: segurado {s['nome_espacos']} nascido em {s['nasc_iso']}", file=sys.stderr, flush=True)

    wait_for_go(state_dir, args.session)

    planos = {
        "plano_recomendado": plano("Plano recomendado", "R$ 3.099,18", "R$ 4.500,00", s),
        "plano_alternativo": plano("Plano alternativo", "R$ 2.567,40", "R$ 6.000,00", s),
        "titular": s["nome_nbsp"],
    }
    t.progress["erros"] = []
    t.step(15, "Tela 15: planos calculados")
    t.write("result", {"session_id": args.session, "status": "success", "timestamp_fim": now(), "dados_finais": planos})
    t.historico.append(
        {
            "etapa": "final",
            "timestamp": now(),
            "status": "success",
            "mensagem": "RPA concluído com sucesso",
            "dados_extra": planos,
            "erro": None,
        }
    )
    t.progress["dados_extra"].update(planos)
    t.progress.update(status="success", mensagem="RPA concluído com sucesso", timestamp_atualizacao=now())
    t.flush("success")
    print(f"fim: {s['nome_espacos']} {s['tel_espacos']}", file=sys.stderr, flush=True)
    print(json.dumps({"status": "success", "codigo": 0, "mensagem": "Cotação obtida"}), flush=True)


if __name__ == "__main__":
    main()
