"""What a visitor does on the demo page: synthetic people, filling the quote form by typing into
its masked fields, and reading what the modal shows."""

from __future__ import annotations

import itertools
import re
import time
from dataclasses import dataclass, replace

from playwright.sync_api import Page, Response

_counter = itertools.count(1)


def cpf_with_check_digits(base9: str) -> str:
    """A synthetic CPF: nine digits plus their two valid check digits."""
    digits = [int(c) for c in base9]
    for weight_start in (10, 11):
        total = sum(d * w for d, w in zip(digits, range(weight_start, 1, -1)))
        rest = (total * 10) % 11
        digits.append(0 if rest == 10 else rest)
    return "".join(map(str, digits))


def fresh_cpf() -> str:
    """A different valid synthetic CPF on every call (the service refuses two active quotes of one
    CPF and plate)."""
    n = next(_counter)
    return cpf_with_check_digits(f"{700000000 + n * 7919:09d}"[-9:])


@dataclass(frozen=True)
class Person:
    nome: str = "FULANO DE TAL"
    cpf: str = "52998224725"
    nascimento: str = "15031985"
    sexo: str = "Masculino"
    estado_civil: str = "Casado"
    tipo: str = "carro"
    placa: str = "ABC1D23"
    marca: str = "VOLKSWAGEN GOL"
    ano: str = "2020"
    cep: str = "01310100"
    ddd: str = "11"
    celular: str = "987654321"
    email: str = "fulano@example.com"

    def with_(self, **changes) -> Person:
        return replace(self, **changes)


def person(**changes) -> Person:
    return Person(cpf=fresh_cpf()).with_(**changes)


def type_into(page: Page, selector: str, text: str) -> None:
    """Types character by character (real key events), as a person does in a masked field."""
    field = page.locator(selector)
    field.click()
    field.press("Control+a")
    field.press("Backspace")
    field.press_sequentially(text, delay=5)


def fill_form(page: Page, p: Person) -> None:
    type_into(page, "#NOME", p.nome)
    type_into(page, "#CPF", p.cpf)
    type_into(page, "#DATA-DE-NASCIMENTO", p.nascimento)
    page.select_option("#SEXO", p.sexo)
    page.select_option("#ESTADO-CIVIL", p.estado_civil)
    page.select_option("#TIPO-DE-VEICULO", p.tipo)
    type_into(page, "#PLACA", p.placa)
    type_into(page, "#MARCA", p.marca)
    type_into(page, "#ANO", p.ano)
    type_into(page, "#CEP", p.cep)
    type_into(page, "#DDD-CELULAR", p.ddd)
    type_into(page, "#CELULAR", p.celular)
    type_into(page, "#email", p.email)


# Records, from the page's own mutations, what the wait showed: the highest value of the overall
# bar before the dialog showed an ending, the calculation's bar values, and whether the steps'
# summary and the estimate were ever on screen at the same time.
WAIT_RECORDER_JS = """
(() => {
  window.__rpaWait = {maxPercent: null, calc: [], valuetexts: []};
  const seen = () => {
    const dialog = document.querySelector('.rpa-dialog');
    if (!dialog || dialog.dataset.state !== 'watching') return;
    const bar = document.querySelector('.rpa-progress .rpa-bar');
    if (bar) {
      const v = Number(bar.getAttribute('aria-valuenow'));
      const w = window.__rpaWait;
      w.maxPercent = w.maxPercent === null ? v : Math.max(w.maxPercent, v);
      const vt = bar.getAttribute('aria-valuetext');
      if (vt && w.valuetexts[w.valuetexts.length - 1] !== vt) w.valuetexts.push(vt);
    }
    const calc = document.querySelector('.rpa-calc:not([hidden]) .rpa-calc-bar');
    if (calc) {
      const c = Number(calc.getAttribute('aria-valuenow'));
      const list = window.__rpaWait.calc;
      if (list[list.length - 1] !== c) list.push(c);
    }
  };
  new MutationObserver(seen).observe(document, {subtree: true, childList: true, attributes: true,
    characterData: true});
})();
"""


def record_wait(page: Page) -> None:
    """From the next navigation on, records what the wait shows (read it with waited())."""
    page.add_init_script(WAIT_RECORDER_JS)


def waited(page: Page) -> dict:
    return page.evaluate("window.__rpaWait")


def submit_quote(page: Page, url: str, p: Person) -> None:
    """Opens the demo page, fills the whole form and clicks "CALCULE AGORA!"."""
    page.goto(url)
    fill_form(page, p)
    page.click("#submit_button_auto")


def start_answer(page: Page, selector: str = "#submit_button_auto") -> Response:
    """Clicks `selector` and returns the service's answer to the quote start it sends."""
    with page.expect_response(lambda r: r.url.endswith("/api/rpa/start")) as answer:
        page.click(selector)
    return answer.value


def api_requests(page: Page) -> list[tuple[float, str, str]]:
    """From now on records every request of the page to the service's API as (time, method, URL)."""
    seen: list[tuple[float, str, str]] = []
    page.on(
        "request",
        lambda r: seen.append((time.monotonic(), r.method, r.url)) if "/api/rpa/" in r.url else None,
    )
    return seen


def starts(seen: list[tuple[float, str, str]]) -> list[tuple[float, str, str]]:
    """The quote starts (POST /api/rpa/start) among the requests api_requests recorded."""
    return [s for s in seen if s[1] == "POST" and s[2].endswith("/api/rpa/start")]


def active_id(page: Page) -> str | None:
    """The id of the element that has the keyboard focus."""
    return page.evaluate("document.activeElement && document.activeElement.id")


def norm(text: str) -> str:
    """Collapses every kind of white space (the portal uses U+00A0 after "R$")."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def session_id(page: Page) -> str | None:
    return page.evaluate("() => window.RpaModal && window.RpaModal.state().sessionId")


def stored_session(page: Page) -> dict | None:
    return page.evaluate("() => JSON.parse(sessionStorage.getItem('rpa-modal:session') || 'null')")


def wait_state(page: Page, state: str, timeout_ms: int = 180_000) -> None:
    """Waits until the dialog shows a state: watching, success, manual, rejected, error…"""
    page.wait_for_selector(f'.rpa-dialog[data-state="{state}"]', state="visible", timeout=timeout_ms)


FINAL_STATES = ("success", "manual", "rejected", "error", "lost")


def wait_final(page: Page, timeout_ms: int = 180_000) -> str:
    """Waits until the dialog shows how the quote ended and returns that state."""
    selector = ", ".join(f'.rpa-dialog[data-state="{s}"]' for s in FINAL_STATES)
    page.wait_for_selector(selector, state="visible", timeout=timeout_ms)
    return page.locator(".rpa-dialog").get_attribute("data-state")


def plan_values(page: Page, kind: str) -> dict:
    """Every value of one plan in the plans' table as the visitor reads it: the premium, and each
    row's value with its note (yes/no as words; the ✔/✖ marks are left out)."""
    return page.evaluate(
        """kind => {
          const out = {};
          document.querySelectorAll(`.rpa-compare [data-plano="${kind}"][data-campo]`).forEach(el => {
            const value = el.querySelector('.rpa-cell-value');
            const note = el.querySelector('.rpa-cell-note');
            out[el.dataset.campo] = value ? value.textContent + (note ? ' ' + note.textContent : '') : el.textContent;
          });
          return out;
        }""",
        kind,
    )


def estimate_values(page: Page) -> list[tuple[str, str, str]]:
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('.rpa-coverage')).map(li => [
             li.dataset.cobertura,
             li.querySelector('[data-valor="de"]').textContent,
             li.querySelector('[data-valor="ate"]').textContent])"""
    )
