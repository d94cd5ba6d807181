"""Structural fingerprint of a portal screen: what the screen is made of, never what was typed
into it. It covers the interactive elements (input, select, textarea, button, a and anything with
a role): their tag, input type, id, name, role and, for buttons and links, their text. Never an
input's value, never a text the visitor typed. Ids the page generates (React/MUI `:r1:`, `mui-12`,
uuids) are dropped and digit runs become `#`, so counters and timers do not change it; each
distinct element description counts once, so a list that grows by one more item of the same kind
(a moto's missing "Kit Gás" box, a third address suggestion) does not either. Format: the first 16
lowercase hex digits of the SHA-256 of the sorted descriptions, one per line."""

from __future__ import annotations

import hashlib
import re

from playwright.async_api import Page

from ..privacy import redact

# One description per interactive element: tag|type|id|name|role|text.
_DESCRIBE_JS = r"""() => {
  const dynamicId = id => /[:«»]|^(mui|radix|react|headlessui)-|[0-9a-f]{8}-[0-9a-f]{4}-|\d{4,}/i.test(id);
  const norm = s => (s || '').replace(/\s+/g, ' ').trim().replace(/\d+/g, '#');
  const out = [];
  for (const el of document.querySelectorAll('input, select, textarea, button, a, [role]')) {
    const tag = el.tagName.toLowerCase();
    const type = tag === 'input' || tag === 'button' ? (el.getAttribute('type') || '').toLowerCase() : '';
    const id = el.id && !dynamicId(el.id) ? norm(el.id) : '';
    const name = norm(el.getAttribute('name'));
    const role = norm(el.getAttribute('role'));
    const clickable = tag === 'button' || tag === 'a' || role === 'button' ||
      (tag === 'input' && (type === 'button' || type === 'submit'));
    const text = clickable ? norm(el.textContent).slice(0, 80) : '';
    out.push([tag, type, id, name, role, text].join('|'));
  }
  return out;
}"""


def digest(descriptions: list[str], personal: list[str] | None = None) -> str:
    """The fingerprint of a list of element descriptions (order and repetition do not matter).
    Button texts that carry personal-looking data or the quote's own values are masked first."""
    cleaned = {redact(d, personal or []) for d in descriptions}
    text = "\n".join(sorted(cleaned))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


async def describe(page: Page) -> list[str]:
    return await page.evaluate(_DESCRIBE_JS)


async def fingerprint(page: Page, personal: list[str] | None = None) -> str:
    """The fingerprint of the screen the page shows now."""
    return digest(await describe(page), personal)


FORMAT = re.compile(r"^[0-9a-f]{16}$")
