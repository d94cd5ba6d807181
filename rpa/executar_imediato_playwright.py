#!/usr/bin/env python3
"""Robô de cotação do portal da seguradora (RPA V4).

Uso: executar_imediato_playwright.py (--data-file ARQUIVO | --data JSON) --session ID --data-dir DIR
Veja rpa/README.md e docs/contracts.md (§1 a §4).
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from cotacao.cli import main

if __name__ == "__main__":
    sys.exit(main())
