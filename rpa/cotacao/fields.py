"""Names of the input fields as a visitor knows them, and the factory of `rejeitado_<campo>`
outcomes used both by input validation and by the screens when the portal refuses a value."""

from __future__ import annotations

from .errors import InputRejected

LABELS = {
    "tipo_veiculo": "Tipo de veículo",
    "placa": "Placa",
    "cep": "CEP",
    "nome": "Nome",
    "cpf": "CPF",
    "email": "E-mail",
    "telefone": "Celular",
    "data_nascimento": "Data de nascimento",
    "sexo": "Sexo",
    "estado_civil": "Estado civil",
    "zero_km": "Veículo zero km",
    "combustivel": "Combustível",
    "kit_gas": "Kit gás",
    "blindado": "Blindado",
    "financiado": "Financiado",
    "veiculo_segurado": "Veículo já segurado",
    "uso_veiculo": "Uso do veículo",
    "condutor_principal": "Condutor principal",
    "nome_condutor": "Nome do condutor principal",
    "cpf_condutor": "CPF do condutor principal",
    "data_nascimento_condutor": "Data de nascimento do condutor principal",
    "sexo_condutor": "Sexo do condutor principal",
    "estado_civil_condutor": "Estado civil do condutor principal",
    "local_de_trabalho": "Local de trabalho",
    "estacionamento_proprio_local_de_trabalho": "Estacionamento no trabalho",
    "local_de_estudo": "Local de estudo",
    "estacionamento_proprio_local_de_estudo": "Estacionamento no estudo",
    "garagem_residencia": "Garagem na residência",
    "portao_eletronico": "Tipo de portão",
    "reside_18_26": "Residentes entre 18 e 26 anos",
    "sexo_do_menor": "Sexo dos residentes entre 18 e 26 anos",
    "faixa_etaria_menor_mais_novo": "Faixa etária do residente mais novo",
    "continuar_com_corretor_anterior": "Continuar com o corretor anterior",
}


def label(campo: str) -> str:
    return LABELS.get(campo, campo.replace("_", " ").capitalize())


def rejected(campo: str, detalhe: str, *, missing: bool = False) -> InputRejected:
    """`rejeitado_<campo>`: the visitor is told which field to fix, the operator why."""
    nome = label(campo)
    if missing:
        mensagem = f"Precisamos do campo «{nome}» para calcular a cotação. Preencha e envie de novo."
    elif campo == "placa":
        # The service refuses a malformed plate before any quote: a plate the portal refuses is
        # one it does not know.
        mensagem = "O veículo desta placa não foi encontrado pela seguradora. Confira a placa e envie de novo."
    else:
        mensagem = f"O campo «{nome}» não foi aceito. Confira o valor e envie de novo."
    return InputRejected(campo, mensagem, detalhe)
