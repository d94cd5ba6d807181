"""The simulated portal's documented outcomes (portal/README.md, "Resultados por placa" and
"Valores exatos") that the modal must show exactly, as the visitor reads them."""

PLATE_SUCCESS = "ABC1D23"
PLATE_MANUAL = "MAN1A23"
PLATE_NOT_FOUND = "ZZZ1A23"

# (coverage, de, até) of the screen-5 estimate for ABC1D23.
ESTIMATE_ABC1D23 = [
    ("Compreensiva", "R$ 2.300,00", "R$ 2.900,00"),
    ("Roubo e Furto", "R$ 1.800,00", "R$ 2.300,00"),
    ("RCF", "R$ 900,00", "R$ 1.700,00"),
]

_COMMON = {
    "parcelamento": "anual",
    "valor_mercado": "100% da tabela FIPE",
    "tipo_franquia": "Reduzida",
    "danos_materiais": "R$ 50.000,00",
    "danos_corporais": "R$ 50.000,00",
    "danos_morais": "R$ 10.000,00",
}

# Both final plans for ABC1D23 as the progress answer carries them (contract §3).
PLANS_ABC1D23_RAW = {
    "plano_recomendado": {
        **_COMMON,
        "plano": "Plano recomendado",
        "valor": "R$ 3.889,94",
        "forma_pagamento": "Crédito em até 12x sem juros!",
        "valor_franquia": "R$ 3.091,66",
        "assistencia": True,
        "vidros": False,
        "carro_reserva": False,
        "morte_invalidez": "R$ 0,00",
    },
    "plano_alternativo": {
        **_COMMON,
        "plano": "Plano alternativo",
        "valor": "R$ 3.930,75",
        "forma_pagamento": "Boleto/Crédito em até 3x sem juros ou 12x de R$ 422,56",
        "valor_franquia": "R$ 3.455,80",
        "assistencia": True,
        "vidros": True,
        "carro_reserva": True,
        "morte_invalidez": "R$ 5.000,00",
    },
}

# Both final plans for ABC1D23 as the visitor reads each cell of the table: yes/no as words, a
# coverage of R$ 0,00 as "Não incluído", and the installments' total when it is not the premium.
PLANS_ABC1D23 = {
    "recomendado": {
        **_COMMON,
        "valor": "R$ 3.889,94",
        "forma_pagamento": "Crédito em até 12x sem juros!",
        "valor_franquia": "R$ 3.091,66",
        "assistencia": "Incluído",
        "vidros": "Não incluído",
        "carro_reserva": "Não incluído",
        "morte_invalidez": "Não incluído",
    },
    "alternativo": {
        **_COMMON,
        "valor": "R$ 3.930,75",
        "forma_pagamento": "Boleto/Crédito em até 3x sem juros ou 12x de R$ 422,56 Total em 12x: R$ 5.070,72",
        "valor_franquia": "R$ 3.455,80",
        "assistencia": "Incluído",
        "vidros": "Incluído",
        "carro_reserva": "Incluído",
        "morte_invalidez": "R$ 5.000,00",
    },
}

# The rows where the two plans differ, marked in the table.
DIFFERING_ROWS_ABC1D23 = ["forma_pagamento", "valor_franquia", "vidros", "carro_reserva", "morte_invalidez"]
